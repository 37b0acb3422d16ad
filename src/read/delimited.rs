//! Delimited text tables: CSV, TSV, `;`-separated Nordic exports, `|` tables, and text files that
//! turn out to be tables. The dialect is sniffed; blank lines split tables; large files stream.

use std::io::Read;

use crate::model::Row;
use crate::read::ReadError;
use crate::table::cell::NumberStyle;
use crate::table::grid::{Builder, GridRow};

/// How a delimited file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub delimiter: u8,
    pub quote: u8,
}

const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Lines of the sample the sniffer looks at.
const SNIFF_LINES: usize = 200;

/// Guess the delimiter from a sample of the text: the candidate that gives the most consistent
/// field count above one, outside quotes. `None` if no candidate makes a table.
pub fn sniff(sample: &str) -> Option<Dialect> {
    let sample: String = sample.lines().take(SNIFF_LINES).collect::<Vec<_>>().join("\n");
    let mut best: Option<(f64, usize, u8)> = None;
    for &d in &CANDIDATES {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = Vec::new();
        for rec in rdr.records() {
            match rec {
                Ok(r) => {
                    if r.iter().any(|f| !f.trim().is_empty()) {
                        counts.push(r.len());
                    }
                }
                Err(_) => break,
            }
        }
        if counts.is_empty() {
            continue;
        }
        let mut freq: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for c in &counts {
            *freq.entry(*c).or_default() += 1;
        }
        // The most common field count above one (ties: the wider).
        let Some((&mode, &n)) = freq.iter().filter(|(c, _)| **c > 1).max_by_key(|(c, n)| (**n, **c)) else {
            continue;
        };
        let consistency = n as f64 / counts.len() as f64;
        let multi = counts.iter().filter(|c| **c > 1).count() as f64 / counts.len() as f64;
        let score = consistency * 0.7 + multi * 0.3;
        let better = match best {
            None => true,
            Some((s, m, _)) => score > s + 1e-9 || ((score - s).abs() <= 1e-9 && mode > m),
        };
        if better {
            best = Some((score, mode, d));
        }
    }
    match best {
        Some((score, _, d)) if score >= 0.5 => Some(Dialect {
            delimiter: d,
            quote: b'"',
        }),
        _ => None,
    }
}

/// The number style a dialect suggests: `;` and tab files from Nordic and continental tools
/// usually write decimal commas, but the columns' own evidence decides.
pub fn style_hint(d: Dialect) -> Option<NumberStyle> {
    if d.delimiter == b';' {
        Some(NumberStyle::DecimalComma)
    } else {
        None
    }
}

/// Records of a delimited text with their row and line numbers; blank lines become blank rows
/// (they separate tables). A spreadsheet shows each record as a row, so the row number counts
/// blank lines too.
pub struct Records<R: Read> {
    inner: csv::Reader<R>,
    record: csv::StringRecord,
    next_line: u64,
    row: u32,
    pending_blank: u64,
    stash: Option<GridRow>,
    finished: bool,
}

impl<R: Read> Records<R> {
    pub fn new(input: R, d: Dialect) -> Self {
        let inner = csv::ReaderBuilder::new()
            .delimiter(d.delimiter)
            .quote(d.quote)
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        Records {
            inner,
            record: csv::StringRecord::new(),
            next_line: 1,
            row: 0,
            pending_blank: 0,
            stash: None,
            finished: false,
        }
    }

    fn emit(&mut self, mut g: GridRow) -> GridRow {
        self.row = self.row.saturating_add(1);
        g.row = self.row;
        g
    }
}

impl<R: Read> Iterator for Records<R> {
    type Item = Result<GridRow, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pending_blank > 0 {
            self.pending_blank -= 1;
            return Some(Ok(self.emit(GridRow::default())));
        }
        if let Some(g) = self.stash.take() {
            return Some(Ok(self.emit(g)));
        }
        if self.finished {
            return None;
        }
        match self.inner.read_record(&mut self.record) {
            Ok(true) => {
                let line = self.record.position().map(|p| p.line()).unwrap_or(self.next_line);
                let newlines: u64 = self.record.iter().map(|f| f.matches('\n').count() as u64).sum();
                let gap = line.saturating_sub(self.next_line);
                self.next_line = line + newlines + 1;
                let grid = GridRow {
                    row: 0,
                    line: Some(line.min(u64::from(u32::MAX)) as u32),
                    cells: self.record.iter().map(str::to_string).collect(),
                };
                if gap > 0 {
                    // Blank lines the parser skipped: emit them first, then this record.
                    self.pending_blank = gap - 1;
                    self.stash = Some(grid);
                    return Some(Ok(self.emit(GridRow::default())));
                }
                Some(Ok(self.emit(grid)))
            }
            Ok(false) => {
                self.finished = true;
                None
            }
            Err(e) => {
                self.finished = true;
                Some(Err(ReadError::Parse(format!("delimited text: {e}"))))
            }
        }
    }
}

/// Every row of a small delimited text.
pub fn grid(text: &str, d: Dialect) -> Result<Vec<GridRow>, ReadError> {
    Records::new(text.as_bytes(), d).collect()
}

/// Read a large delimited file in bounded memory: the first `sample_rows` rows become tables as
/// usual; the rows after them continue the last table and are handed to `sink` one by one, never
/// kept. Returns the tables (the last with `streamed_rows` set).
pub fn stream<R: Read>(
    input: R,
    d: Dialect,
    builder: &Builder<'_>,
    sample_rows: usize,
    sink: &mut dyn FnMut(&crate::model::Table, &Row),
) -> Result<Vec<crate::model::Table>, ReadError> {
    let mut records = Records::new(input, d);
    let mut sample = Vec::new();
    for rec in records.by_ref() {
        sample.push(rec?);
        if sample.len() >= sample_rows {
            break;
        }
    }
    let mut tables = builder.tables(&sample, None, None);
    let Some(last) = tables.last_mut() else {
        return Ok(tables);
    };
    let body: Vec<GridRow> = sample.iter().rev().take(200).cloned().collect();
    let styles = builder.styles(&body);
    let mut streamed = 0u64;
    for rec in records {
        let rec = rec?;
        if rec.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = builder.body_row(&rec, &styles);
        sink(last, &row);
        streamed += 1;
    }
    last.streamed_rows = streamed;
    Ok(tables)
}
