//! HTML pages (R Markdown and Quarto reports, exported notebooks, saved pages) and the HTML
//! outputs of notebooks.
//!
//! The page is parsed by `scraper` (html5ever, the HTML5 parsing algorithm browsers use, pure
//! Rust), so unclosed tags, stray markup and odd nesting are read as a browser reads them. `tl`
//! was measured beside it (a fresh crate of each with `base64`, `cargo build -j1` on the shared
//! two-core machine): `tl` built in 20 s (3 crates), `scraper` without default features in
//! 449 s (54 crates). `tl` is not a conforming parser (no implied end tags, no table fostering),
//! and the table a browser shows must be the table that is checked; the build cost is paid once
//! per target directory, not per change, so `scraper` was taken.
//!
//! What a page gives:
//! - each `<table>` is a table (through the grid builder every table reader uses), spans spread
//!   over the cells they cover ([`table`]);
//! - the visible text (not that of scripts, styles and tables) is output text, its lines the
//!   lines a browser would break it into, numbered from 1; tables printed in it (R output in
//!   `<pre>`) are found as in a log;
//! - chart data in scripts ([`scripts`], [`charts`]) are figures, a DT data table is a table;
//! - `data:` images (`<img src="data:image/png;base64,...">`) are members, checked as files.

pub mod charts;
mod scripts;
pub mod table;

use base64::Engine as _;
use scraper::{ElementRef, Html, Node};

use crate::model::Unreadable;
use crate::model::{Document, Fact, FactKind, Figure, Location, Member, Table, Text, TextKind};
use crate::read::{log, ReadError, Readers, Source, IN_MEMORY_LIMIT};
use crate::table::grid::Builder;
use crate::text::clean;

pub use table::Grid;

/// Most tables read from one page.
const MAX_TABLES: usize = 2_000;
/// Most `data:` images taken from one page.
const MAX_IMAGES: usize = 500;
/// Largest `data:` image (encoded) taken from a page.
const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;
/// Deepest element nesting walked for text.
const MAX_DEPTH: usize = 256;

/// What a page holds, before it is placed in a document.
#[derive(Default)]
pub struct Page {
    pub tables: Vec<Grid>,
    /// Visible text lines, top to bottom.
    pub lines: Vec<String>,
    pub figures: Vec<Figure>,
    /// `data:` images as `(name, bytes)`.
    pub images: Vec<(String, Vec<u8>)>,
    pub facts: Vec<Fact>,
}

/// Read an HTML file into tables, text, figures and image members.
pub fn read(source: Source<'_>, readers: &Readers<'_>) -> Result<Document, ReadError> {
    let Source::Bytes(bytes) = source else {
        return Ok(Document {
            facts: vec![Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                format!(
                    "a page over {} MiB is not read",
                    IN_MEMORY_LIMIT / (1024 * 1024)
                ),
            )))],
            ..Document::default()
        });
    };
    let text = crate::decode::decode(bytes)?.text;
    let page = extract(&text);
    let mut doc = Document {
        tables: build_tables(&page.tables, None, readers),
        facts: page.facts,
        figures: page.figures,
        members: page
            .images
            .into_iter()
            .map(|(name, bytes)| Member { name, bytes })
            .collect(),
        ..Document::default()
    };
    let lines = clean(page.lines.iter().cloned()).lines;
    if lines.iter().any(|(_, l)| !l.trim().is_empty()) {
        let joined = without_knitr_prefix(&page.lines).join("\n");
        let mut printed = log::text_tables(&joined, readers);
        doc.tables.append(&mut printed);
        doc.texts.push(Text::new(TextKind::Output, lines));
    }
    for (k, t) in doc.tables.iter_mut().enumerate() {
        t.index = k as u32 + 1;
    }
    Ok(doc)
}

/// The page's lines with knitr's output prefix (`## ` before every line R printed in an R
/// Markdown page) taken off runs of two or more such lines, so that a printed table's first
/// column is its stub, not `##`. Line numbers are unchanged: one line out for each line in.
fn without_knitr_prefix(lines: &[String]) -> Vec<&str> {
    let prefixed = |l: &str| l == "##" || l.starts_with("## ");
    let mut out: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut i = 0;
    while i < out.len() {
        let run = out[i..].iter().take_while(|l| prefixed(l)).count();
        if run >= 2 {
            for l in &mut out[i..i + run] {
                *l = l.get(3..).unwrap_or("");
            }
        }
        i += run.max(1);
    }
    out
}

/// Tables from grids, through the common builder, numbered from 1.
pub fn build_tables(grids: &[Grid], member: Option<&str>, readers: &Readers<'_>) -> Vec<Table> {
    let builder = Builder {
        parser: readers.parser,
        lexicon: readers.lexicon,
        style: None,
    };
    let mut out = Vec::new();
    for g in grids {
        for mut t in builder.tables(&g.rows, member, None) {
            t.index = out.len() as u32 + 1;
            out.push(t);
        }
    }
    out
}

/// Parse a page (or an HTML fragment: a notebook output) and take out what it holds.
pub fn extract(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let mut page = Page::default();
    let mut walker = Walker {
        page: &mut page,
        line: String::new(),
        images: 0,
        tables_over: false,
    };
    walker.walk(doc.root_element(), 0, false);
    walker.flush();
    if walker.tables_over {
        walker.limit(format!("tables past the first {MAX_TABLES}"));
    }
    page
}

struct Walker<'p> {
    page: &'p mut Page,
    /// The text line being gathered.
    line: String,
    images: usize,
    tables_over: bool,
}

/// Elements that start a new line of visible text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "br"
            | "caption"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tr"
            | "ul"
            | "title"
            | "body"
            | "head"
            | "html"
    )
}

impl Walker<'_> {
    fn limit(&mut self, what: String) {
        self.page
            .facts
            .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                what,
            ))));
    }

    fn flush(&mut self) {
        let l = std::mem::take(&mut self.line);
        let t = l.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            self.page.lines.push(t);
        }
    }

    fn walk(&mut self, el: ElementRef<'_>, depth: usize, pre: bool) {
        if depth > MAX_DEPTH {
            self.limit("elements nested too deep".to_string());
            return;
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    if pre {
                        // Preformatted text keeps its lines and spacing.
                        let mut parts = t.split('\n');
                        if let Some(first) = parts.next() {
                            self.line.push_str(first);
                        }
                        for p in parts {
                            let l = std::mem::take(&mut self.line);
                            self.page.lines.push(l.trim_end().to_string());
                            self.line.push_str(p);
                        }
                    } else {
                        self.line.push_str(t);
                    }
                }
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        self.element(c, depth, pre);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef<'_>, depth: usize, pre: bool) {
        let name = el.value().name();
        match name {
            "script" => {
                let body: String = el.text().collect();
                scripts::script(el, &body, self.page);
                return;
            }
            "style" | "template" | "noscript" | "svg" | "math" | "iframe" | "object" => return,
            "table" => {
                self.flush();
                if self.page.tables.len() >= MAX_TABLES {
                    self.tables_over = true;
                } else {
                    let g = table::grid(el);
                    if g.truncated {
                        self.limit("a table past its row or column limit".to_string());
                    }
                    self.page.tables.push(g);
                }
                // Tables nested in its cells are grids of their own.
                for inner in el.descendent_elements().skip(1) {
                    if inner.value().name() == "table" && self.page.tables.len() < MAX_TABLES {
                        self.page.tables.push(table::grid(inner));
                    }
                }
                return;
            }
            "img" => self.image(el),
            _ => {}
        }
        let block = is_block(name);
        if block {
            if pre {
                let l = std::mem::take(&mut self.line);
                self.page.lines.push(l);
            } else {
                self.flush();
            }
        }
        self.walk(el, depth + 1, pre || name == "pre");
        if block && !pre {
            if name == "pre" {
                let l = std::mem::take(&mut self.line);
                if !l.trim().is_empty() {
                    self.page.lines.push(l.trim_end().to_string());
                }
                self.page.lines.push(String::new());
            } else {
                self.flush();
            }
        }
    }

    /// A `data:` image: decoded and kept as a member.
    fn image(&mut self, el: ElementRef<'_>) {
        let Some(src) = el.attr("src") else {
            return;
        };
        let Some(rest) = src.trim().strip_prefix("data:") else {
            return;
        };
        let Some((meta, data)) = rest.split_once(',') else {
            return;
        };
        let ext = match meta.split(';').next().unwrap_or("") {
            "image/png" => "png",
            "image/jpeg" | "image/jpg" => "jpg",
            "image/gif" => "gif",
            "image/svg+xml" => "svg",
            "image/webp" => "webp",
            _ => "bin",
        };
        self.images += 1;
        let name = format!("image {}.{ext}", self.images);
        if self.images > MAX_IMAGES || data.len() > MAX_IMAGE_BYTES {
            self.limit(format!("an image (#{}) past the image limits", self.images));
            return;
        }
        let bytes = if meta.ends_with(";base64") {
            let compact: Vec<u8> = data.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .ok()
        } else {
            Some(percent_decode(data))
        };
        match bytes {
            Some(bytes) => self.page.images.push((name, bytes)),
            None => self.page.facts.push(Fact {
                location: Location {
                    member: Some(name),
                    ..Location::default()
                },
                kind: FactKind::Unchecked {
                    part: "an embedded image".to_string(),
                    why: "its base64 data cannot be decoded".to_string(),
                },
            }),
        }
    }
}

/// A `data:` URL's percent-encoded text as bytes.
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            if let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn knitr_output_lines_lose_their_prefix() {
        let lines: Vec<String> = [
            "## Heading?",
            "text",
            "##        a    b",
            "## x     1    2",
            "##",
        ]
        .iter()
        .map(|l| l.to_string())
        .collect();
        assert_eq!(
            without_knitr_prefix(&lines),
            ["## Heading?", "text", "       a    b", "x     1    2", ""]
        );
    }

    use super::*;

    #[test]
    fn visible_text_skips_scripts_and_tables() {
        let p = extract(
            "<html><head><title>T</title><style>p{}</style></head><body><p>Hello <b>you</b></p>\
             <script>var x = 1;</script><table><tr><td>9</td></tr></table><pre>a  b\nc</pre>\
             <p>end</p></body></html>",
        );
        assert_eq!(p.lines, ["T", "Hello you", "a  b", "c", "", "end"]);
        assert_eq!(p.tables.len(), 1);
    }

    #[test]
    fn malformed_markup_does_not_panic() {
        for s in [
            "<table><tr><td rowspan=5>x<td colspan=-1>",
            "<img src=\"data:image/png;base64,!!!\">",
            "<img src=\"data:,%zz%4\">",
            "<<<>>></table></tr><pre>",
            "",
        ] {
            let _ = extract(s);
        }
        for s in
            crate::testutil::random_strings("<>/=\"' tabletrdhspnmgcrio:;,[]{}\n0123", 11, 400, 200)
        {
            let _ = extract(&s);
        }
    }
}
