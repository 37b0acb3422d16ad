//! RTF: the plain text of the document with its control words stripped, one line per
//! paragraph, and its tables (`\cell` ends a cell, `\row` a row) through the grid builder, as
//! SAS ODS and Word write them. Destinations that hold no text of the document (font and colour
//! tables, style sheets, pictures, embedded object data, `{\*...}` groups) are skipped; text
//! hidden by `\v` is hidden content.

use encoding_rs::{Encoding, WINDOWS_1252};

use std::io::Read;

use crate::model::{Document, Fact, FactKind, Location, Unreadable};
use crate::read::document::Out;
use crate::read::{ReadError, Readers, Source};
use crate::table::grid::GridRow;

/// Member name of the text hidden by `\v`.
const HIDDEN: &str = "hidden text";

/// Deepest group nesting followed; deeper groups are read as if at this depth.
const MAX_DEPTH: usize = 256;

/// Destinations whose content is not text of the document.
const SKIPPED: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "objdata",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "xmlnstbl",
    "filetbl",
    "revtbl",
    "fldinst",
    "bkmkstart",
    "bkmkend",
];

/// Most bytes of an RTF file read; past it the file is not checked in full.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Read an RTF file (a large one up to [`MAX_BYTES`], and a limit fact says so).
pub fn read(source: Source<'_>, readers: &Readers<'_>) -> Result<Document, ReadError> {
    let mut doc = Document::default();
    let bytes = match source {
        Source::Bytes(b) => b.to_vec(),
        Source::Stream { path, .. } => {
            let mut bytes = Vec::new();
            std::fs::File::open(path)?
                .take(MAX_BYTES + 1)
                .read_to_end(&mut bytes)?;
            if bytes.len() as u64 > MAX_BYTES {
                bytes.truncate(MAX_BYTES as usize);
                doc.facts
                    .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                        format!("RTF past {} MiB", MAX_BYTES / (1024 * 1024)),
                    ))));
            }
            bytes
        }
    };
    let parsed = parse(&bytes);
    let mut out = Out::new(readers);
    out.lines(None, parsed.lines);
    for rows in &parsed.tables {
        out.table(None, rows);
    }
    if !parsed.hidden.is_empty() {
        let location = Location {
            member: Some(HIDDEN.to_string()),
            ..Location::default()
        };
        doc.facts.push(Fact {
            location: location.clone(),
            kind: FactKind::Hidden {
                part: "hidden text".into(),
                scope: location,
            },
        });
        out.lines(Some(HIDDEN), parsed.hidden);
    }
    Ok(out.finish(doc))
}

/// What an RTF file holds.
#[derive(Debug, Default)]
pub struct Parsed {
    pub lines: Vec<(u32, String)>,
    pub hidden: Vec<(u32, String)>,
    pub tables: Vec<Vec<GridRow>>,
}

#[derive(Clone, Copy)]
struct Group {
    skip: bool,
    hidden: bool,
    /// Characters to skip after a `\u` (set by `\uc`).
    uc: u32,
}

struct State {
    out: Parsed,
    line: String,
    hidden_line: String,
    cells: Vec<String>,
    rows: Vec<GridRow>,
    in_table: bool,
    /// Bytes of `\'hh` escapes waiting to be decoded together.
    pending: Vec<u8>,
    /// Characters still to skip after a `\u`.
    skip_chars: u32,
    /// The code page of `\'hh` bytes (`\ansicpg`).
    encoding: &'static Encoding,
}

impl State {
    fn flush_bytes(&mut self, group: &Group) {
        if self.pending.is_empty() {
            return;
        }
        let (text, _) = self.encoding.decode_without_bom_handling(&self.pending);
        let text = text.into_owned();
        self.pending.clear();
        self.push(group, &text);
    }

    fn push(&mut self, group: &Group, s: &str) {
        if group.skip {
            return;
        }
        if group.hidden {
            self.hidden_line.push_str(s);
        } else {
            self.line.push_str(s);
        }
    }

    fn paragraph(&mut self) {
        if self.in_table {
            self.line.push(' ');
            return;
        }
        self.close_table();
        let n = self.out.lines.len() as u32 + 1;
        let text = std::mem::take(&mut self.line).trim_end().to_string();
        self.out.lines.push((n, text));
        let hidden = std::mem::take(&mut self.hidden_line);
        if !hidden.trim().is_empty() {
            self.out.hidden.push((n, hidden.trim().to_string()));
        }
    }

    fn cell(&mut self) {
        let text = std::mem::take(&mut self.line);
        self.cells.push(text.trim().to_string());
    }

    fn row(&mut self) {
        let cells = std::mem::take(&mut self.cells);
        self.line.clear();
        let row = self.rows.len() as u32 + 1;
        self.rows.push(GridRow {
            row,
            line: None,
            cells,
        });
        self.in_table = false;
    }

    fn close_table(&mut self) {
        if !self.rows.is_empty() {
            self.out.tables.push(std::mem::take(&mut self.rows));
        }
    }

    fn control(&mut self, word: &str, param: Option<i64>, group: &mut Group) {
        match word {
            "par" | "line" | "sect" | "page" => self.paragraph(),
            "tab" => self.push(group, "\t"),
            "cell" | "nestcell" => self.cell(),
            "row" | "nestrow" => self.row(),
            "intbl" => self.in_table = true,
            "pard" => self.in_table = false,
            "v" => group.hidden = param != Some(0),
            "uc" => group.uc = param.unwrap_or(1).clamp(0, 8) as u32,
            "u" => {
                if let Some(p) = param {
                    let code = if p < 0 { p + 65_536 } else { p };
                    if let Some(c) = u32::try_from(code).ok().and_then(char::from_u32) {
                        self.push(group, c.encode_utf8(&mut [0u8; 4]));
                    }
                    self.skip_chars = group.uc;
                }
            }
            "ansicpg" => {
                let label = format!("windows-{}", param.unwrap_or(1252));
                if let Some(e) = Encoding::for_label(label.as_bytes()) {
                    self.encoding = e;
                }
            }
            "emdash" => self.push(group, "—"),
            "endash" => self.push(group, "–"),
            "bullet" => self.push(group, "•"),
            "lquote" | "rquote" => self.push(group, "'"),
            "ldblquote" | "rdblquote" => self.push(group, "\""),
            w if SKIPPED.contains(&w) => group.skip = true,
            _ => {}
        }
    }
}

/// Extract the text, hidden text and tables of an RTF file.
pub fn parse(bytes: &[u8]) -> Parsed {
    let mut st = State {
        out: Parsed::default(),
        line: String::new(),
        hidden_line: String::new(),
        cells: Vec::new(),
        rows: Vec::new(),
        in_table: false,
        pending: Vec::new(),
        skip_chars: 0,
        encoding: WINDOWS_1252,
    };
    let mut stack: Vec<Group> = Vec::new();
    let mut group = Group {
        skip: false,
        hidden: false,
        uc: 1,
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'\\' || bytes.get(i + 1) != Some(&b'\'') {
            st.flush_bytes(&group);
        }
        match b {
            b'{' => {
                if stack.len() < MAX_DEPTH {
                    stack.push(group);
                }
                i += 1;
            }
            b'}' => {
                group = stack.pop().unwrap_or(group);
                i += 1;
            }
            b'\\' => i = escape(bytes, i + 1, &mut st, &mut group),
            b'\r' | b'\n' => i += 1,
            _ => {
                if st.skip_chars > 0 {
                    st.skip_chars -= 1;
                } else {
                    st.pending.push(b);
                }
                i += 1;
            }
        }
    }
    st.flush_bytes(&group);
    if !st.line.trim().is_empty() || !st.hidden_line.trim().is_empty() {
        st.in_table = false;
        st.paragraph();
    }
    st.close_table();
    st.out
}

/// Read what follows a backslash at `i`; returns where reading goes on.
fn escape(bytes: &[u8], i: usize, st: &mut State, group: &mut Group) -> usize {
    let Some(&c) = bytes.get(i) else {
        return i;
    };
    if c.is_ascii_alphabetic() {
        let start = i;
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_alphabetic() && j - start < 32 {
            j += 1;
        }
        let word = String::from_utf8_lossy(&bytes[start..j]).into_owned();
        let num_start = j;
        if j < bytes.len() && bytes[j] == b'-' {
            j += 1;
        }
        while j < bytes.len() && bytes[j].is_ascii_digit() && j - num_start < 10 {
            j += 1;
        }
        let param = std::str::from_utf8(&bytes[num_start..j])
            .ok()
            .and_then(|s| s.parse::<i64>().ok());
        if j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        st.control(&word, param, group);
        return j;
    }
    match c {
        b'\'' => {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                if st.skip_chars > 0 {
                    st.skip_chars -= 1;
                } else {
                    st.pending.push(v);
                }
                return i + 3;
            }
            i + 1
        }
        b'*' => {
            group.skip = true;
            i + 1
        }
        b'\\' | b'{' | b'}' => {
            st.push(group, &(c as char).to_string());
            i + 1
        }
        b'~' => {
            st.push(group, " ");
            i + 1
        }
        b'_' => {
            st.push(group, "-");
            i + 1
        }
        b'\r' | b'\n' => {
            st.paragraph();
            i + 1
        }
        _ => i + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_control_words_and_tables_by_cells() {
        let rtf = br"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\*\generator x;}
\pard Table 1\par
\trowd\cellx100\cellx200\intbl Group\cell n\cell\row
\trowd\intbl Caf\'e9\cell 2\cell\row
\pard After {\v secret} end\par}";
        let p = parse(rtf);
        assert_eq!(
            p.lines,
            vec![(1, "Table 1".to_string()), (2, "After  end".to_string())]
        );
        let rows: Vec<Vec<String>> = p.tables[0].iter().map(|r| r.cells.clone()).collect();
        assert_eq!(rows, vec![vec!["Group", "n"], vec!["Café", "2"]]);
        assert_eq!(p.hidden, vec![(2, "secret".to_string())]);
    }

    #[test]
    fn unicode_escapes_skip_their_fallback() {
        let p = parse(br"{\rtf1\uc1 \u8805?5 and \u-3913? x\par}");
        assert_eq!(p.lines[0].1, "≥5 and \u{f0b7} x");
    }

    #[test]
    fn broken_input_never_panics() {
        for s in [
            &b"{\\"[..],
            b"\\'",
            b"\\'4",
            b"}}}{{",
            b"\\u",
            b"\\u-",
            b"{\\*",
        ] {
            let _ = parse(s);
        }
    }
}
