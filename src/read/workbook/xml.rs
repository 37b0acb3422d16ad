//! A small event walk over a package part with quick-xml: element starts with their attributes
//! (local names, values unescaped), ends and text. Only the five predefined entities and
//! character references are resolved; no entity is ever expanded from a document type.

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// One event of the walk.
pub enum Ev<'a> {
    /// An element starts (`empty` when it is `<x/>`, which has no end event).
    Start {
        name: &'a str,
        attrs: &'a [(String, String)],
        empty: bool,
    },
    End {
        name: &'a str,
    },
    Text(&'a str),
}

/// The part is not well-formed XML.
#[derive(Debug)]
pub struct BadXml;

/// Walk the events of a part; `f` returns `false` to stop early.
pub fn walk<R: BufRead>(input: R, f: &mut dyn FnMut(Ev<'_>) -> bool) -> Result<(), BadXml> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        buf.clear();
        let go = match reader.read_event_into(&mut buf).map_err(|_| BadXml)? {
            Event::Start(e) => {
                read_attrs(&e, &mut attrs);
                let name = local(e.name().as_ref());
                f(Ev::Start {
                    name: &name,
                    attrs: &attrs,
                    empty: false,
                })
            }
            Event::Empty(e) => {
                read_attrs(&e, &mut attrs);
                let name = local(e.name().as_ref());
                f(Ev::Start {
                    name: &name,
                    attrs: &attrs,
                    empty: true,
                })
            }
            Event::End(e) => {
                let name = local(e.name().as_ref());
                f(Ev::End { name: &name })
            }
            Event::Text(t) => f(Ev::Text(&t.xml10_content())),
            Event::CData(t) => f(Ev::Text(&t)),
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    predefined(&r).map(str::to_string)
                };
                match resolved {
                    Some(s) => f(Ev::Text(&s)),
                    None => true,
                }
            }
            Event::Eof => return Ok(()),
            _ => true,
        };
        if !go {
            return Ok(());
        }
    }
}

/// The value of attribute `key` (local name) among `attrs`.
pub fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn read_attrs(e: &BytesStart<'_>, out: &mut Vec<(String, String)>) {
    out.clear();
    for a in e.attributes().flatten() {
        let key = local(a.key.as_ref());
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.to_string());
        out.push((key, value));
    }
}

/// The local part of a qualified name (`x:row` → `row`).
fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.to_string(),
    }
}

fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_from_a_doctype_are_never_expanded() {
        let xml = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "AAAA">]><x k="1&amp;2">&a;&lt;&#65;</x>"#;
        let mut texts = String::new();
        let mut k = String::new();
        walk(&xml[..], &mut |e| {
            match e {
                Ev::Text(t) => texts.push_str(t),
                Ev::Start { attrs, .. } => k = attr(attrs, "k").unwrap_or("").to_string(),
                Ev::End { .. } => {}
            }
            true
        })
        .unwrap();
        assert_eq!(texts, "<A");
        assert_eq!(k, "1&2");
    }
}
