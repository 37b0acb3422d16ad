//! A bounded walk over the elements of an XML part: start and end tags by local name (the
//! namespace prefix dropped), attributes, and text with the five predefined and the numeric
//! character references resolved. Other entities are never expanded.

use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// Most elements and text runs one part may hold before its walk stops with an error.
pub const MAX_EVENTS: usize = 4_000_000;

/// One step of the walk.
pub enum Ev<'a> {
    /// A start tag (an empty element gives a start and an end).
    Start(&'a Element),
    End(&'a str),
    Text(&'a str),
}

/// A start tag: its local name and its attributes.
#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    /// `(qualified name, value)` in document order.
    pub attrs: Vec<(String, String)>,
}

impl Element {
    /// The value of the attribute whose local name is `local` (the first one).
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.rsplit(':').next() == Some(local))
            .map(|(_, v)| v.as_str())
    }

    /// The value of the attribute with this qualified name (`r:id`).
    pub fn qattr(&self, qualified: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == qualified)
            .map(|(_, v)| v.as_str())
    }

    /// A numeric attribute, if it is one.
    pub fn num(&self, local: &str) -> Option<u32> {
        self.attr(local)?.trim().parse().ok()
    }

    /// An on/off attribute as OOXML writes them: absent is `None`, `0`/`false`/`off` is off,
    /// anything else (or no value) is on.
    pub fn on(&self, local: &str) -> Option<bool> {
        self.attr(local)
            .map(|v| !matches!(v.trim(), "0" | "false" | "off"))
    }
}

/// Why a part's walk stopped.
#[derive(Debug)]
pub enum XmlError {
    /// The part is not well-formed XML.
    Malformed(String),
    /// It holds more than [`MAX_EVENTS`] elements and text runs.
    TooLarge,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            XmlError::Malformed(why) => write!(f, "not well-formed XML ({why})"),
            XmlError::TooLarge => write!(f, "more than {MAX_EVENTS} elements"),
        }
    }
}

/// The local part of a qualified name.
fn local(qualified: &str) -> &str {
    qualified.rsplit(':').next().unwrap_or(qualified)
}

/// Walk the part's text, calling `f` for every step.
pub fn walk(xml: &str, mut f: impl FnMut(Ev<'_>)) -> Result<(), XmlError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut element = Element::default();
    let mut events = 0usize;
    // Open elements: a part that ends inside one was cut short.
    let mut open = 0usize;
    loop {
        events += 1;
        if events > MAX_EVENTS {
            return Err(XmlError::TooLarge);
        }
        let event = reader
            .read_event()
            .map_err(|e| XmlError::Malformed(e.to_string()))?;
        match event {
            Event::Start(ref s) | Event::Empty(ref s) => {
                element.name.clear();
                element.name.push_str(local(s.name().as_ref()));
                element.attrs.clear();
                for a in s.attributes().flatten() {
                    let value = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    element.attrs.push((a.key.as_ref().to_string(), value));
                }
                f(Ev::Start(&element));
                if matches!(event, Event::Empty(_)) {
                    f(Ev::End(&element.name));
                } else {
                    open += 1;
                }
            }
            Event::End(ref e) => {
                open = open.saturating_sub(1);
                f(Ev::End(local(e.name().as_ref())))
            }
            Event::Text(ref t) => f(Ev::Text(&t.xml10_content())),
            Event::CData(ref t) => f(Ev::Text(t.as_ref())),
            Event::GeneralRef(ref r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    let mut buf = [0u8; 4];
                    f(Ev::Text(c.encode_utf8(&mut buf)));
                } else if let Some(s) = resolve_xml_entity(r.as_ref()) {
                    f(Ev::Text(s));
                }
            }
            Event::Eof if open > 0 => {
                return Err(XmlError::Malformed(
                    "the part ends inside an element".into(),
                ))
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(xml: &str) -> Vec<String> {
        let mut out = Vec::new();
        walk(xml, |e| {
            out.push(match e {
                Ev::Start(el) => format!("<{}{:?}", el.name, el.attrs),
                Ev::End(n) => format!("</{n}"),
                Ev::Text(t) => t.to_string(),
            })
        })
        .expect("well-formed");
        out
    }

    #[test]
    fn names_lose_their_prefix_and_references_resolve() {
        let got = steps(r#"<w:p a:x="1 &amp; 2"><w:t>a &lt; b&#33;</w:t><w:br/></w:p>"#);
        assert_eq!(
            got,
            vec![
                r#"<p[("a:x", "1 & 2")]"#,
                "<t[]",
                "a ",
                "<",
                " b",
                "!",
                "</t",
                "<br[]",
                "</br",
                "</p"
            ]
        );
    }

    #[test]
    fn other_entities_are_never_expanded() {
        let xml = "<!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>";
        assert_eq!(steps(xml), vec!["<x[]", "</x"]);
    }

    #[test]
    fn broken_or_cut_xml_is_an_error_not_a_panic() {
        assert!(walk("<a><b>text</b>", |_| {}).is_err());
        assert!(walk("<a><b attr=\"x></a>", |_| {}).is_err());
        assert!(walk("<a", |_| {}).is_err());
        assert!(walk("<a><b/></a>", |_| {}).is_ok());
    }
}
