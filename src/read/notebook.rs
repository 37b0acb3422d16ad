//! Jupyter notebooks (`.ipynb`, nbformat 4 and the older 3): every cell under its number, as a
//! person sees it in the notebook (`location.member = "cell 8"`).
//!
//! - A code cell's source is program code ([`TextKind::Code`]), its lines numbered from 1.
//! - What the cell printed (`stream` output, `text/plain` results, error tracebacks with their
//!   terminal colour codes removed) is output text ([`TextKind::Output`]) for the log rules, its
//!   lines numbered on from the source's last line, in the order the notebook shows them; the
//!   tables printed in it (a pandas or R data frame, a crosstab) are found as in a log.
//! - A markdown or raw cell is output text (prose).
//! - `text/html` outputs that hold `<table>` elements (a pandas `DataFrame`) are tables, read by
//!   the HTML reader ([`super::html`]); chart outputs (Plotly, Vega, Vega-Lite) and the saved
//!   widget state are figures; images (`image/png`, `image/jpeg`, `image/svg+xml`) are members,
//!   checked as files under `cell N/output K.png`.
//!
//! The notebook is JSON: it is parsed whole from memory (serde_json; a notebook past the reader's
//! size limit is not read and that is said). Cells, outputs and images past the caps below are
//! not read either, which a fact says, so the notebook is never passed half-read.

use base64::Engine as _;
use serde_json::Value;

use crate::model::{Document, Fact, FactKind, Location, Table, Text, TextKind, Unreadable};
use crate::read::html;
use crate::read::{log, ReadError, Readers, Source, IN_MEMORY_LIMIT};
use crate::text::clean;

/// Most cells read.
const MAX_CELLS: usize = 20_000;
/// Most outputs of one cell read.
const MAX_OUTPUTS: usize = 2_000;
/// Most images taken out of one notebook.
const MAX_IMAGES: usize = 500;
/// Largest image (encoded) taken out of a notebook.
const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;

/// Read a notebook into texts, tables, figures and image members.
pub fn read(source: Source<'_>, readers: &Readers<'_>) -> Result<Document, ReadError> {
    let Source::Bytes(bytes) = source else {
        return Ok(too_large());
    };
    let notebook: Value = serde_json::from_slice(bytes)
        .map_err(|e| ReadError::Parse(format!("not a notebook (JSON: {e})")))?;
    let cells = cells_of(&notebook)
        .ok_or_else(|| ReadError::Parse("not a notebook (no cells)".to_string()))?;
    let mut reader = NotebookReader {
        readers,
        doc: Document::default(),
        images: 0,
    };
    for (i, cell) in cells.iter().enumerate() {
        if i >= MAX_CELLS {
            reader.limit(format!("cells past the first {MAX_CELLS}"));
            break;
        }
        reader.cell(i as u32 + 1, cell);
    }
    reader.widget_state(&notebook);
    Ok(reader.doc)
}

/// A notebook too large to hold is not read: what it holds is not checked.
fn too_large() -> Document {
    Document {
        facts: vec![Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
            format!(
                "a notebook over {} MiB is not read",
                IN_MEMORY_LIMIT / (1024 * 1024)
            ),
        )))],
        ..Document::default()
    }
}

/// The cells: nbformat 4 keeps them at the top, nbformat 3 in its worksheets.
fn cells_of(notebook: &Value) -> Option<Vec<&Value>> {
    if let Some(cells) = notebook.get("cells").and_then(Value::as_array) {
        return Some(cells.iter().collect());
    }
    let sheets = notebook.get("worksheets")?.as_array()?;
    Some(
        sheets
            .iter()
            .filter_map(|s| s.get("cells").and_then(Value::as_array))
            .flatten()
            .collect(),
    )
}

/// A multi-line string field: a string, or (as notebooks store it) a list of lines.
fn joined(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .concat(),
        ),
        _ => None,
    }
}

/// The cell's name in locations.
fn member_of(cell: u32) -> String {
    format!("cell {cell}")
}

struct NotebookReader<'r, 'a> {
    readers: &'r Readers<'a>,
    doc: Document,
    images: usize,
}

/// What a cell's outputs give before they are placed: text lines and what else they hold.
#[derive(Default)]
struct Outputs {
    lines: Vec<String>,
    /// Indices into `lines` of text whose table is read from the HTML beside it.
    untabled: std::collections::HashSet<usize>,
    tables: Vec<Table>,
    /// The output being read gives its chart in a chart MIME type (Plotly, Vega), so the
    /// scripts of its HTML are the same chart.
    chart_mime: bool,
}

impl NotebookReader<'_, '_> {
    fn limit(&mut self, what: String) {
        self.doc
            .facts
            .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                what,
            ))));
    }

    fn cell(&mut self, no: u32, cell: &Value) {
        let member = member_of(no);
        let kind = cell.get("cell_type").and_then(Value::as_str).unwrap_or("");
        // nbformat 3 calls a code cell's source `input`.
        let source = joined(cell.get("source").or_else(|| cell.get("input"))).unwrap_or_default();
        let source_lines = clean(source.lines().map(str::to_string)).lines;
        let code_lines = source_lines.len() as u32;
        let text_kind = if kind == "code" {
            TextKind::Code
        } else {
            TextKind::Output
        };
        if !source_lines.is_empty() {
            let mut text = Text::new(text_kind, source_lines);
            text.member = Some(member.clone());
            self.doc.texts.push(text);
        }
        let Some(outputs) = cell.get("outputs").and_then(Value::as_array) else {
            return;
        };
        let mut out = Outputs::default();
        for (k, output) in outputs.iter().enumerate() {
            if k >= MAX_OUTPUTS {
                self.limit(format!("outputs of {member} past the first {MAX_OUTPUTS}"));
                break;
            }
            if !out.lines.is_empty() {
                // A blank line between two outputs, so their printed tables stay apart.
                out.lines.push(String::new());
            }
            self.output(no, k as u32 + 1, output, &mut out);
        }
        self.place_outputs(&member, code_lines, out);
    }

    /// Put a cell's output lines in the document after its source lines, with the tables
    /// printed in them.
    fn place_outputs(&mut self, member: &str, code_lines: u32, mut out: Outputs) {
        let cleaned = clean(out.lines.iter().cloned()).lines;
        if cleaned.iter().any(|(_, l)| !l.trim().is_empty()) {
            let lines: Vec<(u32, String)> = cleaned
                .into_iter()
                .map(|(n, l)| (n.saturating_add(code_lines), l))
                .collect();
            // The printed tables, their lines numbered as the cell's: the source lines stand
            // as blank lines above the outputs.
            let padded: String = std::iter::repeat_n("\n", code_lines as usize)
                .chain(out.lines.iter().enumerate().flat_map(|(i, l)| {
                    let l = if out.untabled.contains(&i) {
                        ""
                    } else {
                        l.as_str()
                    };
                    [l, "\n"]
                }))
                .collect();
            out.tables.extend(log::text_tables(&padded, self.readers));
            let mut text = Text::new(TextKind::Output, lines);
            text.member = Some(member.to_string());
            self.doc.texts.push(text);
        }
        for (k, mut t) in out.tables.into_iter().enumerate() {
            t.index = k as u32 + 1;
            t.member = Some(member.to_string());
            self.doc.tables.push(t);
        }
    }

    /// One output of a cell: its text to `out.lines`, its HTML tables to `out.tables`, its
    /// charts to the figures and its images to the members.
    fn output(&mut self, cell: u32, k: u32, output: &Value, out: &mut Outputs) {
        let member = member_of(cell);
        let otype = output
            .get("output_type")
            .and_then(Value::as_str)
            .unwrap_or("");
        match otype {
            "stream" => {
                if let Some(t) = joined(output.get("text")) {
                    push_text(&mut out.lines, &t);
                }
                return;
            }
            "error" | "pyerr" => {
                if let Some(tb) = output.get("traceback").and_then(Value::as_array) {
                    for line in tb.iter().filter_map(Value::as_str) {
                        push_text(&mut out.lines, line);
                    }
                }
                return;
            }
            _ => {}
        }
        // `execute_result`, `display_data` (and nbformat 3's `pyout`): a bundle of MIME types,
        // under `data` or (nbformat 3) at the top with short names.
        let bundle = output.get("data").unwrap_or(output);
        let field = |names: &[&str]| names.iter().find_map(|n| bundle.get(*n));
        out.chart_mime = bundle
            .as_object()
            .is_some_and(|m| m.keys().any(|k| k.starts_with("application/vnd.")));
        let has_plain = field(&["text/plain", "text"]).is_some();
        let html_tables = match joined(field(&["text/html", "html"])) {
            Some(markup) => self.html_output(cell, k, &markup, has_plain, out),
            None => 0,
        };
        if let Some(t) = joined(field(&["text/plain", "text"])) {
            // With an HTML table beside it, the text is the same frame: its lines go to the text
            // rules, its table is the HTML one.
            let start = out.lines.len();
            push_text(&mut out.lines, &t);
            if html_tables > 0 {
                out.untabled.extend(start..out.lines.len());
            }
        }
        for (mime, ext) in [
            ("image/png", "png"),
            ("png", "png"),
            ("image/jpeg", "jpg"),
            ("jpeg", "jpg"),
            ("image/gif", "gif"),
        ] {
            if let Some(data) = joined(bundle.get(mime)) {
                self.image(cell, k, ext, ImageData::Base64(&data));
            }
        }
        if let Some(svg) = joined(field(&["image/svg+xml", "svg"])) {
            self.image(cell, k, "svg", ImageData::Raw(svg.into_bytes()));
        }
        let location = Location {
            member: Some(member),
            ..Location::default()
        };
        if let Some(map) = bundle.as_object() {
            for (mime, value) in map {
                if let Some(figure) = html::charts::from_mime(mime, value, &location) {
                    self.doc.figures.push(figure);
                }
            }
        }
    }

    /// A `text/html` output: its tables, its facts, its charts (unless the bundle gives them in
    /// a chart MIME type of their own), its `data:` images, and its text when no plain text
    /// stands beside it. Returns the number of tables.
    fn html_output(
        &mut self,
        cell: u32,
        k: u32,
        markup: &str,
        has_plain: bool,
        out: &mut Outputs,
    ) -> usize {
        let member = member_of(cell);
        let page = html::extract(markup);
        let grids = page.tables.len();
        out.tables.extend(html::build_tables(
            &page.tables,
            Some(&member),
            self.readers,
        ));
        let place = |mut l: Location| {
            l.member = Some(member.clone());
            l
        };
        self.doc.facts.extend(page.facts.into_iter().map(|mut f| {
            f.location = place(f.location);
            f
        }));
        if !out.chart_mime {
            self.doc
                .figures
                .extend(page.figures.into_iter().map(|mut f| {
                    f.location = place(f.location);
                    f
                }));
        }
        for (name, bytes) in page.images {
            self.doc.members.push(crate::model::Member {
                name: format!("cell {cell}/output {k} {name}"),
                bytes,
            });
        }
        if grids == 0 && !has_plain {
            out.lines.extend(page.lines);
        }
        grids
    }

    /// An image output becomes a member, checked like a file of its kind.
    fn image(&mut self, cell: u32, k: u32, ext: &str, data: ImageData<'_>) {
        let name = format!("cell {cell}/output {k}.{ext}");
        if self.images >= MAX_IMAGES {
            self.limit(format!("images past the first {MAX_IMAGES}"));
            return;
        }
        self.images += 1;
        let bytes = match data {
            ImageData::Raw(b) if b.len() <= MAX_IMAGE_BYTES => Some(b),
            ImageData::Base64(s) if s.len() <= MAX_IMAGE_BYTES / 3 * 4 + 4096 => {
                let compact: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .ok()
            }
            _ => {
                self.limit(format!("an image of cell {cell} over the size limit"));
                return;
            }
        };
        match bytes {
            Some(bytes) => self.doc.members.push(crate::model::Member { name, bytes }),
            None => self.doc.facts.push(Fact {
                location: Location {
                    member: Some(member_of(cell)),
                    ..Location::default()
                },
                kind: FactKind::Unchecked {
                    part: format!("output {k} image"),
                    why: "its base64 data cannot be decoded".to_string(),
                },
            }),
        }
    }

    /// Widgets saved with the notebook (`metadata.widgets`): their state holds the data of
    /// interactive charts (a Plotly `FigureWidget` keeps its traces there).
    fn widget_state(&mut self, notebook: &Value) {
        let Some(state) = notebook
            .pointer("/metadata/widgets")
            .and_then(|w| w.get("application/vnd.jupyter.widget-state+json"))
            .and_then(|w| w.get("state"))
            .and_then(Value::as_object)
        else {
            return;
        };
        for (id, model) in state {
            let location = Location {
                member: Some(format!("widget {}", crate::redact::safe_label(id))),
                ..Location::default()
            };
            if let Some(figure) = html::charts::from_widget(model, &location) {
                self.doc.figures.push(figure);
            }
        }
    }
}

enum ImageData<'a> {
    Base64(&'a str),
    Raw(Vec<u8>),
}

/// Output text, its terminal colour and cursor codes removed, line by line.
fn push_text(lines: &mut Vec<String>, text: &str) {
    let plain = strip_ansi(text);
    lines.extend(plain.lines().map(str::to_string));
}

/// Text without its ANSI escape sequences (`ESC [ 0;31m`, `ESC ]...BEL`), as IPython colours a
/// traceback.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('[') => {
                chars.next();
                // Parameters and intermediates, then one final byte in `@`..`~`.
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                chars.next();
                // An operating-system command, ended by BEL or ESC `\`.
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' {
                        chars.next();
                        break;
                    }
                }
            }
            Some(_) => {
                chars.next();
            }
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_codes_are_removed() {
        assert_eq!(
            strip_ansi("\u{1b}[0;31mValueError\u{1b}[0m: bad"),
            "ValueError: bad"
        );
        assert_eq!(strip_ansi("a\u{1b}]0;title\u{7}b"), "ab");
        assert_eq!(strip_ansi("end\u{1b}"), "end");
    }
}
