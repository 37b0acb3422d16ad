//! OpenDocument text (ODT) and presentations (ODP): `content.xml` holds paragraphs (`text:p`,
//! `text:h`), tables (`table:table`), slides (`draw:page`) with their notes
//! (`presentation:notes`), comments (`office:annotation`), tracked deletions
//! (`text:tracked-changes`) and hidden text (`text:hidden-paragraph`, `text:hidden-text`).
//! Embedded objects (`Object 1/content.xml`, a chart with its data table) are read the same way
//! under the object's name, and a chart is also a figure ([`crate::read::figure::odf_chart`]);
//! pictures are members.

use std::io::{Read, Seek};

use crate::read::document::package::Package;
use crate::read::document::xml::{walk, Element, Ev, XmlError};
use crate::read::document::Out;
use crate::table::grid::GridRow;

/// Most columns kept in one table row, and most times one row or cell is repeated.
const MAX_COLUMNS: usize = 512;
const MAX_REPEAT: u32 = 64;

/// Read an OpenDocument package.
pub fn read<R: Read + Seek>(pkg: &mut Package<R>, out: &mut Out) {
    for name in pkg.names.clone() {
        let lower = name.to_ascii_lowercase();
        if name == "content.xml" {
            content(pkg, &name, None, out);
        } else if let Some(object) = name.strip_suffix("/content.xml") {
            let object = object.to_string();
            content(pkg, &name, Some(&object), out);
        } else if name.ends_with('/')
            || name == "mimetype"
            || lower.starts_with("meta-inf/")
            || lower.starts_with("thumbnails/")
            || lower.starts_with("configurations2/")
            || lower.ends_with("styles.xml")
            || lower.ends_with("meta.xml")
            || lower.ends_with("settings.xml")
            || lower.ends_with("manifest.rdf")
        {
            // Layout, metadata and a rendering of the first page: no content of their own.
        } else {
            pkg.member(&name);
        }
    }
}

/// One `content.xml` (the document's, or an embedded object's under its name).
fn content<R: Read + Seek>(pkg: &mut Package<R>, name: &str, object: Option<&str>, out: &mut Out) {
    let Ok(text) = pkg.text(name) else {
        return;
    };
    let parsed = match parse(&text) {
        Ok(p) => p,
        Err(e) => {
            pkg.unchecked(name, &e.to_string());
            return;
        }
    };
    if let Some(o) = object {
        let chart = crate::read::figure::odf_chart::chart_object(&text, o);
        if let Some(f) = chart.and_then(|c| c.figure) {
            out.figure(f);
        }
    }
    let within = |scope: &str| match object {
        Some(o) => format!("{o}!{scope}"),
        None => scope.to_string(),
    };
    for scope in parsed.scopes {
        let member = match (&scope.name, object) {
            (Some(s), _) => Some(within(s)),
            (None, Some(o)) => Some(o.to_string()),
            (None, None) => None,
        };
        out.lines(member.as_deref(), scope.lines);
        for rows in &scope.tables {
            out.table(member.as_deref(), rows);
        }
    }
    for (lines, what) in [
        (parsed.comments, "comments"),
        (parsed.deleted, "tracked deletions"),
        (parsed.hidden, "hidden text"),
    ] {
        if lines.is_empty() {
            continue;
        }
        let scope = within(&format!("{name} ({what})"));
        // The location names the part; a message never carries a bare number (`Object 1`).
        let of = if object.is_some() {
            "an embedded object"
        } else {
            "the document"
        };
        pkg.hidden(&format!("{what} of {of}"), &scope);
        out.lines(Some(&scope), lines);
    }
}

/// Text and tables of one place: the body, a slide, a slide's notes.
#[derive(Debug, Default)]
pub struct Scope {
    /// `None` for the body of a text document, `slide 2` or `notes 2` in a presentation.
    pub name: Option<String>,
    pub lines: Vec<(u32, String)>,
    pub tables: Vec<Vec<GridRow>>,
}

/// What a `content.xml` holds.
#[derive(Debug, Default)]
pub struct Parsed {
    pub scopes: Vec<Scope>,
    pub comments: Vec<(u32, String)>,
    pub deleted: Vec<(u32, String)>,
    pub hidden: Vec<(u32, String)>,
}

#[derive(Default)]
struct Table {
    rows: Vec<GridRow>,
    row: Option<(Vec<String>, u32)>,
    cell: Option<(String, u32)>,
}

#[derive(Default)]
struct State {
    out: Parsed,
    /// Open paragraphs' text.
    paras: Vec<String>,
    tables: Vec<Table>,
    /// Depths inside comments, tracked deletions, hidden paragraphs, and elements whose text
    /// is not content (a comment's author and date).
    annotation: u32,
    deletion: u32,
    hidden: u32,
    skip: u32,
    slides: u32,
    /// Index into `out.scopes` of where text goes now, and of the slide around it.
    current: usize,
    slide: usize,
}

/// Read a `content.xml`.
pub fn parse(xml: &str) -> Result<Parsed, XmlError> {
    let mut s = State::default();
    s.out.scopes.push(Scope::default());
    walk(xml, |ev| match ev {
        Ev::Start(e) => s.start(e),
        Ev::End(name) => s.end(name),
        Ev::Text(t) => {
            if s.skip == 0 {
                if let Some(p) = s.paras.last_mut() {
                    p.push_str(t);
                }
            }
        }
    })?;
    Ok(s.out)
}

impl State {
    fn start(&mut self, e: &Element) {
        match e.name.as_str() {
            "p" | "h" => self.paras.push(String::new()),
            "s" => {
                let n = e.num("c").unwrap_or(1).clamp(1, 16) as usize;
                self.inline(&" ".repeat(n));
            }
            "tab" => self.inline("\t"),
            "line-break" => self.inline(" "),
            "annotation" => self.annotation += 1,
            "creator" | "date" | "note-citation" => self.skip += 1,
            "deletion" => self.deletion += 1,
            "hidden-paragraph" => self.hidden += 1,
            "hidden-text" => {
                if let Some(v) = e.attr("string-value").filter(|v| !v.trim().is_empty()) {
                    let line = self.line();
                    self.out.hidden.push((line, v.trim().to_string()));
                }
            }
            "page" => {
                self.slides += 1;
                self.out.scopes.push(Scope {
                    name: Some(format!("slide {}", self.slides)),
                    ..Scope::default()
                });
                self.current = self.out.scopes.len() - 1;
                self.slide = self.current;
            }
            "notes" if self.slides > 0 => {
                self.out.scopes.push(Scope {
                    name: Some(format!("notes {}", self.slides)),
                    ..Scope::default()
                });
                self.current = self.out.scopes.len() - 1;
            }
            "table" => self.tables.push(Table::default()),
            "table-row" => {
                let repeat = e
                    .num("number-rows-repeated")
                    .unwrap_or(1)
                    .clamp(1, MAX_REPEAT);
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some((Vec::new(), repeat));
                }
            }
            "table-cell" | "covered-table-cell" => {
                let repeat = e
                    .num("number-columns-repeated")
                    .unwrap_or(1)
                    .clamp(1, MAX_REPEAT);
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some((String::new(), repeat));
                }
            }
            _ => {}
        }
    }

    fn inline(&mut self, s: &str) {
        if self.skip == 0 {
            if let Some(p) = self.paras.last_mut() {
                p.push_str(s);
            }
        }
    }

    /// The line number the next paragraph of the current place gets.
    fn line(&self) -> u32 {
        self.out
            .scopes
            .get(self.current)
            .map_or(1, |s| s.lines.len() as u32 + 1)
    }

    fn end(&mut self, name: &str) {
        match name {
            "p" | "h" => self.end_paragraph(),
            "annotation" => self.annotation = self.annotation.saturating_sub(1),
            "creator" | "date" | "note-citation" => self.skip = self.skip.saturating_sub(1),
            "deletion" => self.deletion = self.deletion.saturating_sub(1),
            "hidden-paragraph" => self.hidden = self.hidden.saturating_sub(1),
            "notes" => self.current = self.slide,
            "page" => {
                self.current = 0;
                self.slide = 0;
            }
            "table-cell" | "covered-table-cell" => self.end_cell(name == "covered-table-cell"),
            "table-row" => {
                let Some(t) = self.tables.last_mut() else {
                    return;
                };
                let Some((cells, repeat)) = t.row.take() else {
                    return;
                };
                let blank = cells.iter().all(|c| c.trim().is_empty());
                for _ in 0..if blank { 1 } else { repeat } {
                    let row = t.rows.len() as u32 + 1;
                    t.rows.push(GridRow {
                        row,
                        line: None,
                        cells: cells.clone(),
                    });
                }
            }
            "table" => {
                if let Some(t) = self.tables.pop() {
                    if !t.rows.is_empty() {
                        if let Some(scope) = self.out.scopes.get_mut(self.current) {
                            scope.tables.push(t.rows);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn end_cell(&mut self, covered: bool) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let (Some((text, repeat)), Some((row, _))) = (t.cell.take(), t.row.as_mut()) else {
            return;
        };
        let text = if covered { String::new() } else { text };
        let repeat = if text.trim().is_empty() { 1 } else { repeat };
        for _ in 0..repeat {
            if row.len() < MAX_COLUMNS {
                row.push(text.clone());
            }
        }
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else {
            return;
        };
        let text = p.trim_end().to_string();
        let line = self.line();
        if self.annotation > 0 {
            let n = self.out.comments.len() as u32 + 1;
            if !text.trim().is_empty() {
                self.out.comments.push((n, text.trim().to_string()));
            }
        } else if self.deletion > 0 {
            if !text.trim().is_empty() {
                self.out.deleted.push((line, text.trim().to_string()));
            }
        } else if self.hidden > 0 {
            if !text.trim().is_empty() {
                self.out.hidden.push((line, text.trim().to_string()));
            }
        } else if let Some((cell, _)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            let text = text.trim();
            if !text.is_empty() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(text);
            }
        } else if let Some(p) = self.paras.last_mut() {
            // A paragraph inside another (a text box in a paragraph): its text joins the outer.
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(&text);
        } else if let Some(scope) = self.out.scopes.get_mut(self.current) {
            scope.lines.push((line, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_tables_comments_and_deletions() {
        let xml = r#"<office:document-content><office:body><office:text>
          <text:tracked-changes><text:changed-region><text:deletion><office:change-info><dc:creator>A</dc:creator></office:change-info>
            <text:p>removed 3 cases</text:p></text:deletion></text:changed-region></text:tracked-changes>
          <text:h>Results</text:h>
          <text:p>All<text:s text:c="2"/>good<office:annotation><dc:creator>B</dc:creator><text:p>check id</text:p></office:annotation></text:p>
          <table:table><table:table-header-rows><table:table-row>
            <table:table-cell table:number-columns-spanned="2"><text:p>Group</text:p></table:table-cell><table:covered-table-cell/>
            </table:table-row></table:table-header-rows>
            <table:table-row><table:table-cell><text:p>A</text:p></table:table-cell><table:table-cell><text:p>1</text:p></table:table-cell></table:table-row>
          </table:table>
        </office:text></office:body></office:document-content>"#;
        let p = parse(xml).expect("parses");
        let body = &p.scopes[0];
        assert_eq!(
            body.lines,
            vec![(1, "Results".to_string()), (2, "All  good".to_string())]
        );
        let rows: Vec<Vec<String>> = body.tables[0].iter().map(|r| r.cells.clone()).collect();
        assert_eq!(rows, vec![vec!["Group", ""], vec!["A", "1"]]);
        assert_eq!(p.comments, vec![(1, "check id".to_string())]);
        assert_eq!(p.deleted, vec![(1, "removed 3 cases".to_string())]);
    }

    #[test]
    fn slides_and_notes_are_places_of_their_own() {
        let xml = r#"<office:presentation>
          <draw:page draw:name="p1"><draw:frame><draw:text-box><text:p>Title one</text:p></draw:text-box></draw:frame>
            <presentation:notes><draw:frame><draw:text-box><text:p>say 2 died</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>
          <draw:page><draw:frame><draw:text-box><text:p>Two</text:p></draw:text-box></draw:frame></draw:page>
        </office:presentation>"#;
        let p = parse(xml).expect("parses");
        let names: Vec<Option<&str>> = p.scopes.iter().map(|s| s.name.as_deref()).collect();
        assert_eq!(
            names,
            vec![None, Some("slide 1"), Some("notes 1"), Some("slide 2")]
        );
        assert_eq!(p.scopes[2].lines, vec![(1, "say 2 died".to_string())]);
    }
}
