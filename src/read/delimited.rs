//! Delimited text tables: CSV, TSV, `;`-separated Nordic exports, `|` tables, and text files that
//! turn out to be tables. The dialect is sniffed; blank lines split tables; large files stream.

use std::io::{BufRead, BufReader, Read};

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

/// Candidates in order of preference when two split the sample equally well: a `;` or tab
/// file whose numbers carry decimal commas (`Andel (%), N=2300` over `43,5`) splits as well on
/// `,`, while a comma file rarely holds a `;` in every line.
const CANDIDATES: [u8; 4] = [b';', b'\t', b'|', b','];

/// Lines of the sample the sniffer looks at.
const SNIFF_LINES: usize = 200;

/// Guess the delimiter from a sample of the text: the candidate that gives the most consistent
/// field count above one, outside quotes. `None` if no candidate makes a table.
///
/// Consistency is judged per block, not over the whole sample: a file of several tables of
/// different widths (a descriptive table per variable, each with its own columns, separated by
/// blank lines and section headings) is as much a table file as one wide table. A line is
/// consistent when it has the field count of the line before or after it (ignoring single-field
/// lines such as titles and headings), which prose with the odd comma rarely has.
pub fn sniff(sample: &str) -> Option<Dialect> {
    let sample: String = sample
        .lines()
        .take(SNIFF_LINES)
        .collect::<Vec<_>>()
        .join("\n");
    let mut best: Option<(f64, usize, u8)> = None;
    for &d in &CANDIDATES {
        let dialect = Dialect {
            delimiter: d,
            quote: b'"',
        };
        let counts: Vec<usize> = Records::new(sample.as_bytes(), dialect)
            .filter_map(Result::ok)
            .filter(|r| r.cells.iter().any(|f| !f.trim().is_empty()))
            .map(|r| r.cells.len())
            .collect();
        if counts.is_empty() {
            continue;
        }
        let mut freq: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for c in &counts {
            *freq.entry(*c).or_default() += 1;
        }
        // The most common field count above one (ties: the wider).
        let Some((&mode, _)) = freq
            .iter()
            .filter(|(c, _)| **c > 1)
            .max_by_key(|(c, n)| (**n, **c))
        else {
            continue;
        };
        let wide: Vec<usize> = counts.iter().copied().filter(|c| *c > 1).collect();
        let consistent = (0..wide.len())
            .filter(|&i| {
                (i > 0 && wide[i - 1] == wide[i]) || wide.get(i + 1).is_some_and(|n| *n == wide[i])
            })
            .count();
        let consistency = if wide.len() == 1 {
            // One line of several fields among single-field lines: a table only if it is all
            // there is.
            if counts.len() == 1 {
                1.0
            } else {
                0.0
            }
        } else {
            consistent as f64 / counts.len() as f64
        };
        let multi = wide.len() as f64 / counts.len() as f64;
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

/// Records of a delimited text with their row and line numbers, parsed line by line (quoted
/// fields may span lines; `""` is a quote inside quotes). Blank lines become blank rows: they
/// separate tables, and a spreadsheet shows them as rows, so row numbers count them.
pub struct Records<R: Read> {
    input: BufReader<R>,
    dialect: Dialect,
    buf: String,
    line: u32,
    row: u32,
    finished: bool,
}

impl<R: Read> Records<R> {
    pub fn new(input: R, d: Dialect) -> Self {
        Records {
            input: BufReader::with_capacity(256 * 1024, input),
            dialect: d,
            buf: String::new(),
            line: 0,
            row: 0,
            finished: false,
        }
    }

    /// Read the next physical line into `buf` without its line end; false at the end.
    fn read_line(&mut self) -> Result<bool, ReadError> {
        self.buf.clear();
        if self.input.read_line(&mut self.buf)? == 0 {
            return Ok(false);
        }
        self.line = self.line.saturating_add(1);
        while self.buf.ends_with('\n') || self.buf.ends_with('\r') {
            self.buf.pop();
        }
        Ok(true)
    }
}

impl<R: Read> Iterator for Records<R> {
    type Item = Result<GridRow, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        match self.read_line() {
            Ok(true) => {}
            Ok(false) => {
                self.finished = true;
                return None;
            }
            Err(e) => {
                self.finished = true;
                return Some(Err(e));
            }
        }
        let start_line = self.line;
        self.row = self.row.saturating_add(1);
        if self.buf.trim().is_empty() {
            return Some(Ok(GridRow {
                row: self.row,
                line: Some(start_line),
                cells: Vec::new(),
            }));
        }
        let delim = char::from(self.dialect.delimiter);
        let quote = char::from(self.dialect.quote);
        let mut cells = Vec::new();
        let mut field = String::new();
        let mut in_quotes = false;
        loop {
            let mut chars = self.buf.chars().peekable();
            while let Some(ch) = chars.next() {
                if in_quotes {
                    if ch == quote {
                        if chars.peek() == Some(&quote) {
                            field.push(quote);
                            chars.next();
                        } else {
                            in_quotes = false;
                        }
                    } else {
                        field.push(ch);
                    }
                } else if ch == delim {
                    cells.push(std::mem::take(&mut field));
                } else if ch == quote && field.trim().is_empty() {
                    field.clear();
                    in_quotes = true;
                } else {
                    field.push(ch);
                }
            }
            if !in_quotes {
                break;
            }
            // A quoted field goes on over the line end.
            match self.read_line() {
                Ok(true) => field.push('\n'),
                Ok(false) => break,
                Err(e) => {
                    self.finished = true;
                    return Some(Err(e));
                }
            }
        }
        cells.push(field);
        Some(Ok(GridRow {
            row: self.row,
            line: Some(start_line),
            cells,
        }))
    }
}

/// A text of whitespace-separated numbers (a fixed-width or space-separated data file, `.asc`,
/// `.dat`): the rows split on runs of white space, when at least 20 lines are nothing but numbers
/// and at least 90 % of them have the same number of fields (two or more) or the same length (a
/// fixed-width file, whose fields may run together). `None` otherwise.
pub fn whitespace_numbers(text: &str) -> Option<Vec<GridRow>> {
    let numeric = |tok: &str| {
        tok.bytes().any(|b| b.is_ascii_digit())
            && tok
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+' | b'e' | b'E'))
    };
    let mut rows = Vec::new();
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut lengths: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut filled = 0usize;
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if !cells.is_empty() {
            if !cells.iter().all(|c| numeric(c)) {
                return None;
            }
            filled += 1;
            *counts.entry(cells.len()).or_default() += 1;
            *lengths.entry(line.trim_end().len()).or_default() += 1;
        }
        rows.push(GridRow {
            row: i as u32 + 1,
            line: Some(i as u32 + 1),
            cells,
        });
    }
    let (&width, &n) = counts.iter().max_by_key(|(w, n)| (**n, **w))?;
    let same_length = lengths.values().copied().max().unwrap_or(0);
    let fixed = same_length * 10 >= filled * 9 && counts.keys().all(|w| *w >= 2);
    if filled >= 20 && width >= 2 && (n * 10 >= filled * 9 || fixed) {
        Some(rows)
    } else {
        None
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_rows(text: &str, d: u8) -> Vec<(u32, Option<u32>, usize)> {
        grid(
            text,
            Dialect {
                delimiter: d,
                quote: b'"',
            },
        )
        .unwrap()
        .iter()
        .map(|g| (g.row, g.line, g.cells.len()))
        .collect()
    }

    #[test]
    fn rows_and_lines_count_blank_lines_and_crlf() {
        assert_eq!(
            lines_rows("a,b\r\n1,2\r\n3,4\r\n", b','),
            vec![(1, Some(1), 2), (2, Some(2), 2), (3, Some(3), 2)]
        );
        assert_eq!(
            lines_rows("a,b\n\n\n1,2\n3,4\n", b','),
            vec![
                (1, Some(1), 2),
                (2, Some(2), 0),
                (3, Some(3), 0),
                (4, Some(4), 2),
                (5, Some(5), 2)
            ]
        );
        // A quoted field over two lines is one row; the next row starts two lines on.
        assert_eq!(
            lines_rows("a,b\n\"x\ny\",2\n3,4\n", b','),
            vec![(1, Some(1), 2), (2, Some(2), 2), (3, Some(4), 2)]
        );
    }

    #[test]
    fn whitespace_number_files_become_grids() {
        let mut dump = String::new();
        for i in 0..30 {
            dump.push_str(&format!("   12{i}.2221 {}   0 40\n", 11152 + i * 7));
        }
        let g = whitespace_numbers(&dump).expect("a numeric dump");
        assert_eq!(g.len(), 30);
        assert_eq!(g[0].cells.len(), 4);
        assert!(whitespace_numbers("a b\n1 2\n").is_none());
        assert!(
            whitespace_numbers(&"1 2\n".repeat(10)).is_none(),
            "too few lines"
        );
        assert!(
            whitespace_numbers(&"Total 2 3\n".repeat(30)).is_none(),
            "words"
        );
    }

    #[test]
    fn sniffs_delimiters() {
        let d = |s: &str| sniff(s).map(|d| d.delimiter as char);
        assert_eq!(d("a;b;c\n1;2,5;3\n4;5;6\n"), Some(';'));
        assert_eq!(d("a,b,c\n1,2,3\n4,5,6\n"), Some(','));
        assert_eq!(d("a\tb\n1\t2\n"), Some('\t'));
        assert_eq!(d("a|b|c\n1|2|3\n"), Some('|'));
        assert_eq!(
            d("Title line\nKommune;Antal\nAarhus;1.204\nOdder;758\nNote: x\n"),
            Some(';')
        );
        assert_eq!(
            d("This is prose.\nIt has no table in it.\nNone at all.\n"),
            None
        );
        assert_eq!(d("\"a,b\";c\n\"1,2\";3\n\"4,5\";6\n"), Some(';'));
        // A comma in the header and decimal commas split as well on `,`: `;` is meant.
        assert_eq!(
            d("Svar;Andel (%), N=2300\nNöjd;43,5\nMissnöjd;17,4\nVet ej;4,3\n"),
            Some(';')
        );
    }

    #[test]
    fn sniffs_a_file_of_tables_of_different_widths() {
        // Descriptive tables one per variable, each with its own number of groups, separated by
        // blank lines and headings: no one field count dominates, but each block is regular.
        let mut s =
            String::from("Table 2: characteristics by region\n\tAll\tAll\tNorth\tNorth\n\n");
        for (heading, width) in [("Age", 4), ("Sex", 6), ("Smoking", 8), ("Region", 10)] {
            s.push_str(heading);
            s.push('\n');
            for r in 0..3 {
                let cells: Vec<String> =
                    (0..width).map(|c| format!("{}", 100 + r * 7 + c)).collect();
                s.push_str(&format!("cat {r}\t{}\n", cells.join("\t")));
            }
            s.push_str("\n\n");
        }
        assert_eq!(sniff(&s).map(|d| d.delimiter), Some(b'\t'));
        // Prose whose sentences carry a comma now and then is not a table.
        let prose = "We used the registers, as planned.\nThe cohort was followed up.\nResults are shown below, by sex, age and region.\nNo one was lost.\nSee the appendix, table 3.\n";
        assert_eq!(sniff(prose), None);
    }
}
