//! The text and tables of a WordprocessingML part (`word/document.xml`, headers, comments) or a
//! DrawingML text body (a slide, its notes). Both write paragraphs `p` of runs `r` with text `t`
//! and tables `tbl` of rows `tr` of cells `tc`, so one walk over local names reads them.
//!
//! Merged cells are written as a CSV of the table would show them (docs/tables.md): the text
//! in the first cell of a span and blanks in the cells it covers, across (`gridSpan`,
//! `hMerge`) and down (`vMerge` continuations). Deleted runs of tracked changes (`w:del`,
//! `w:delText`) and hidden runs (`w:vanish`) are kept apart from what the document shows.

use crate::read::document::xml::{walk, Element, Ev, XmlError};
use crate::table::grid::GridRow;

/// Most columns kept in one table row (a span past it is cut).
const MAX_COLUMNS: usize = 512;

/// What a part holds.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The paragraphs outside tables, as `(paragraph number, text)`, empty ones included so the
    /// numbers are the paragraphs' places.
    pub paragraphs: Vec<(u32, String)>,
    /// Text of tracked deletions, by the paragraph it stands in (or the next one, in a table).
    pub deleted: Vec<(u32, String)>,
    /// Text hidden by its format, likewise.
    pub hidden: Vec<(u32, String)>,
    /// Each table as its grid of rows (a nested table is a table of its own).
    pub tables: Vec<Vec<GridRow>>,
}

/// Read a part's paragraphs and tables.
pub fn parse(xml: &str) -> Result<Parsed, XmlError> {
    let mut s = State::default();
    walk(xml, |ev| match ev {
        Ev::Start(e) => s.start(e),
        Ev::End(name) => s.end(name),
        Ev::Text(t) => s.text(t),
    })?;
    Ok(s.out)
}

/// Where the text of a run goes.
#[derive(Clone, Copy, PartialEq)]
enum Sink {
    Shown,
    Deleted,
    Hidden,
}

#[derive(Default)]
struct Para {
    shown: String,
    deleted: String,
    hidden: String,
}

#[derive(Default)]
struct TableState {
    rows: Vec<GridRow>,
    row: Option<Vec<String>>,
    cell: Option<CellState>,
}

#[derive(Default)]
struct CellState {
    text: String,
    /// Grid columns the cell spans.
    span: u32,
    /// The covered columns are not written as cells of their own (WordprocessingML), so the
    /// span adds blanks; DrawingML writes them as `hMerge` cells.
    span_adds_blanks: bool,
    /// A continuation of a merge: shown blank.
    continued: bool,
}

#[derive(Default)]
struct State {
    out: Parsed,
    paras: Vec<Para>,
    tables: Vec<TableState>,
    /// Depth inside runs.
    run: u32,
    run_hidden: bool,
    /// Depth inside `del` (tracked deletions).
    del: u32,
    /// The text element being read, if any.
    sink: Option<Sink>,
    /// Depth inside content that repeats other content (`mc:Fallback`).
    skip: u32,
    /// Paragraphs outside tables so far.
    body: u32,
}

impl State {
    fn run_sink(&self) -> Sink {
        if self.del > 0 {
            Sink::Deleted
        } else if self.run_hidden {
            Sink::Hidden
        } else {
            Sink::Shown
        }
    }

    fn push(&mut self, sink: Sink, text: &str) {
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        match sink {
            Sink::Shown => p.shown.push_str(text),
            Sink::Deleted => p.deleted.push_str(text),
            Sink::Hidden => p.hidden.push_str(text),
        }
    }

    fn start(&mut self, e: &Element) {
        if self.skip > 0 {
            if e.name == "Fallback" {
                self.skip += 1;
            }
            return;
        }
        match e.name.as_str() {
            "Fallback" => self.skip = 1,
            "p" => self.paras.push(Para::default()),
            "r" => {
                self.run += 1;
                self.run_hidden = false;
            }
            "vanish" if self.run > 0 => self.run_hidden = e.on("val").unwrap_or(true),
            // Moved-away text stays in the file like a deletion until the change is accepted.
            "del" | "moveFrom" => self.del += 1,
            "t" => self.sink = Some(self.run_sink()),
            "delText" => self.sink = Some(Sink::Deleted),
            "tab" if self.run > 0 => self.push(self.run_sink(), "\t"),
            "br" | "cr" if self.run > 0 || !self.paras.is_empty() => {
                self.push(self.run_sink(), " ")
            }
            "tbl" => self.tables.push(TableState::default()),
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Vec::new());
                }
            }
            "gridBefore" => {
                let n = e.num("val").unwrap_or(0) as usize;
                if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    let n = n.min(MAX_COLUMNS.saturating_sub(row.len()));
                    row.extend(std::iter::repeat_n(String::new(), n));
                }
            }
            "tc" => self.cell_start(e),
            "gridSpan" | "vMerge" | "hMerge" => self.cell_property(e),
            _ => {}
        }
    }

    /// A cell starts; DrawingML gives its spans and merges as attributes.
    fn cell_start(&mut self, e: &Element) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let continued = e.on("hMerge").unwrap_or(false) || e.on("vMerge").unwrap_or(false);
        t.cell = Some(CellState {
            span: e.num("gridSpan").unwrap_or(1).max(1),
            continued,
            ..CellState::default()
        });
    }

    /// WordprocessingML gives a cell's span and merges as elements of its properties.
    fn cell_property(&mut self, e: &Element) {
        let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) else {
            return;
        };
        match e.name.as_str() {
            "gridSpan" => {
                cell.span = e.num("val").unwrap_or(1).max(1);
                cell.span_adds_blanks = true;
            }
            // A merge that does not restart continues the one above (or to the left).
            _ => cell.continued = e.attr("val").map(str::trim) != Some("restart"),
        }
    }

    fn end(&mut self, name: &str) {
        if self.skip > 0 {
            if name == "Fallback" {
                self.skip -= 1;
            }
            return;
        }
        match name {
            "p" => self.end_paragraph(),
            "r" => {
                self.run = self.run.saturating_sub(1);
                self.run_hidden = false;
            }
            "del" | "moveFrom" => self.del = self.del.saturating_sub(1),
            "t" | "delText" => self.sink = None,
            "tc" => self.end_cell(),
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(cells) = t.row.take() {
                        let row = t.rows.len() as u32 + 1;
                        t.rows.push(GridRow {
                            row,
                            line: None,
                            cells,
                        });
                    }
                }
            }
            "tbl" => {
                if let Some(t) = self.tables.pop() {
                    if !t.rows.is_empty() {
                        self.out.tables.push(t.rows);
                    }
                }
            }
            _ => {}
        }
    }

    fn end_cell(&mut self) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let (Some(cell), Some(row)) = (t.cell.take(), t.row.as_mut()) else {
            return;
        };
        if row.len() >= MAX_COLUMNS {
            return;
        }
        row.push(if cell.continued {
            String::new()
        } else {
            cell.text
        });
        if cell.span_adds_blanks {
            let n = (cell.span as usize - 1).min(MAX_COLUMNS - row.len());
            row.extend(std::iter::repeat_n(String::new(), n));
        }
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else {
            return;
        };
        let in_cell = self.tables.last().is_some_and(|t| t.cell.is_some());
        let line = if in_cell {
            self.body + 1
        } else {
            self.body += 1;
            self.body
        };
        let shown = p.shown.trim_end().to_string();
        if in_cell {
            if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                let text = shown.trim();
                if !text.is_empty() {
                    if !cell.text.is_empty() {
                        cell.text.push(' ');
                    }
                    cell.text.push_str(text);
                }
            }
        } else {
            self.out.paragraphs.push((line, shown));
        }
        if !p.deleted.trim().is_empty() {
            self.out.deleted.push((line, p.deleted.trim().to_string()));
        }
        if !p.hidden.trim().is_empty() {
            self.out.hidden.push((line, p.hidden.trim().to_string()));
        }
    }

    fn text(&mut self, t: &str) {
        if self.skip > 0 {
            return;
        }
        if let Some(sink) = self.sink {
            self.push(sink, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(p: &Parsed, table: usize) -> Vec<Vec<String>> {
        p.tables[table].iter().map(|r| r.cells.clone()).collect()
    }

    #[test]
    fn word_merges_repeat_as_a_csv_shows_them() {
        let xml = r#"<w:document xmlns:w="w"><w:body>
          <w:p><w:r><w:t>Table 1</w:t></w:r></w:p>
          <w:tbl>
            <w:tr><w:tc><w:p><w:r><w:t>Group</w:t></w:r></w:p></w:tc>
                  <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Cases</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Sex</w:t></w:r></w:p></w:tc>
                  <w:tc><w:p><w:r><w:t>F</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
                  <w:tc><w:p><w:r><w:t>M</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r></w:p></w:tc></w:tr>
          </w:tbl>
          <w:p><w:r><w:t>Note </w:t></w:r><w:del><w:r><w:delText>was 3</w:delText></w:r></w:del></w:p>
        </w:body></w:document>"#;
        let p = parse(xml).expect("parses");
        assert_eq!(
            cells(&p, 0),
            vec![
                vec!["Group", "Cases", ""],
                vec!["Sex", "F", "12"],
                vec!["", "M", "1"]
            ]
        );
        assert_eq!(
            p.paragraphs,
            vec![(1, "Table 1".to_string()), (2, "Note".to_string())]
        );
        assert_eq!(p.deleted, vec![(2, "was 3".to_string())]);
        assert_eq!(p.hidden, vec![(2, "secret".to_string())]);
    }

    #[test]
    fn drawing_tables_mark_covered_cells() {
        let xml = r#"<a:tbl><a:tr><a:tc gridSpan="2"><a:txBody><a:p><a:r><a:t>Both</a:t></a:r></a:p></a:txBody></a:tc>
            <a:tc hMerge="1"><a:txBody><a:p/></a:txBody></a:tc></a:tr>
            <a:tr><a:tc><a:txBody><a:p><a:r><a:t>a</a:t></a:r></a:p></a:txBody></a:tc>
            <a:tc><a:txBody><a:p><a:r><a:t>b</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl>"#;
        let p = parse(xml).expect("parses");
        assert_eq!(cells(&p, 0), vec![vec!["Both", ""], vec!["a", "b"]]);
        assert!(p.paragraphs.is_empty());
    }

    #[test]
    fn fallback_content_is_not_read_twice() {
        let xml = r#"<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></mc:Choice>
            <mc:Fallback><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        let p = parse(xml).expect("parses");
        assert_eq!(
            p.paragraphs,
            vec![(1, "box".to_string()), (2, String::new())]
        );
    }
}
