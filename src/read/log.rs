//! Statistical-software output: SAS logs and listings, Stata text and SMCL logs, R transcripts
//! (`.Rout`), SPSS and pandas text output.
//!
//! Every line becomes part of [`Document::texts`] with its 1-based line number, cleaned by the
//! text layer ([`crate::text::clean`]: SMCL tags stripped, tabs expanded, bounded), so text rules
//! can scan it. The blocks of printed output the text layer finds on those lines
//! ([`Text::blocks`]) that are tables become [`Document::tables`] through the same [`Builder`] a
//! CSV goes through, so `small-count` and the other table rules see them.

use std::io::BufRead;

use crate::decode::{decode, decoding_reader, sniff_encoding};
use crate::model::{Document, Fact, FactKind, Kind, Table, Text, TextKind};
use crate::read::{ReadError, Readers, Source};
use crate::table::classify::{every_frequency_one, tokens};
use crate::table::grid::{Builder, GridRow};
use crate::text::{
    clean, is_number, mode, roles, shape, Block, Cleaned, DataState, Numbering, Shape,
};

/// Read a log or listing into texts and tables.
pub fn read(source: Source<'_>, readers: &Readers<'_>) -> Result<Document, ReadError> {
    let Cleaned { lines, dropped } = match source {
        Source::Bytes(bytes) => {
            let decoded = decode(bytes)?;
            clean(decoded.text.lines().map(str::to_string))
        }
        Source::Stream { path, head } => {
            let encoding = sniff_encoding(head);
            let file = std::fs::File::open(path)?;
            let reader =
                std::io::BufReader::new(decoding_reader(std::io::BufReader::new(file), encoding));
            let mut err = None;
            let iter = reader.lines().map_while(|l| match l {
                Ok(l) => Some(l),
                Err(e) => {
                    err = Some(e);
                    None
                }
            });
            let cleaned = clean(iter);
            if let Some(e) = err {
                return Err(ReadError::Io(e));
            }
            cleaned
        }
    };
    let mut facts = Vec::new();
    if dropped > 0 {
        facts.push(Fact::whole(FactKind::LinesDropped {
            kept: lines.len(),
            dropped,
        }));
    }
    let text = Text::new(TextKind::Output, lines);
    let tables = tables(&text.lines, text.blocks(), readers);
    Ok(Document {
        tables,
        texts: vec![text],
        facts,
        ..Document::default()
    })
}

/// Tables printed in a plain text file, aligned with spaces (a `.txt` that is not delimited):
/// found like the printed tables of a log.
pub fn text_tables(text: &str, readers: &Readers<'_>) -> Vec<Table> {
    let lines = clean(text.lines().map(str::to_string)).lines;
    tables(&lines, &crate::text::scan(&lines), readers)
}

/// The tables of a log: every block with a header and a body, through the common builder.
fn tables(lines: &[(u32, String)], blocks: &[Block], readers: &Readers<'_>) -> Vec<Table> {
    let builder = Builder {
        parser: readers.parser,
        lexicon: readers.lexicon,
        style: None,
    };
    let mut out: Vec<Table> = Vec::new();
    let state = DataState::new(lines, &roles(lines, mode(lines)));
    for block in blocks {
        // A frequency table of an identifier is a listing (`log-listing`); its row labels are
        // identifiers, which table findings would name.
        if block.header == 0
            || !tabled(block)
            || every_frequency_one(block, readers.lexicon) == Some(true)
        {
            continue;
        }
        let mut rows: Vec<GridRow> = Vec::new();
        if let Some(t) = &block.title {
            rows.push(GridRow {
                row: block
                    .lines
                    .first()
                    .copied()
                    .unwrap_or(1)
                    .saturating_sub(1)
                    .max(1),
                line: None,
                cells: vec![t.clone()],
            });
        }
        let mut labelled_above = false;
        let merged = valued_header(block, lines);
        let skip = if let Some(h) = merged {
            rows.push(h);
            block.header
        } else {
            0
        };
        for (i, (no, cells)) in block.lines.iter().zip(&block.cells).enumerate().skip(skip) {
            if i >= block.header && labelled_above && percentage_line(cells) {
                // The percentages a crosstab prints under each row's frequencies (Stata
                // `tab a b, row col`, SAS PROC FREQ): not rows of the table of counts.
                continue;
            }
            labelled_above =
                i >= block.header && cells.first().is_some_and(|c| !c.trim().is_empty());
            rows.push(GridRow {
                row: *no,
                line: Some(*no),
                cells: cells.clone(),
            });
        }
        let width = block.cells.iter().map(Vec::len).max().unwrap_or(0);
        // A Stata `list` after `collapse` or `contract` is a table of aggregates: its columns
        // are read like any table's.
        let (numbered, listing) = match shape(block) {
            Shape::Numbered(Numbering::StataList)
                if state.aggregated_at(block.first_body_line()) =>
            {
                (false, false)
            }
            Shape::Numbered(n) => (true, width >= n.listing_width()),
            Shape::Other => (false, false),
        };
        let stub = stub_left_of_bar(lines, block);
        for mut t in builder.tables(&rows, None, None) {
            relabel_log_table(&mut t, Numbered { numbered, listing }, stub);
            t.index = out.len() as u32 + 1;
            out.push(t);
        }
    }
    frequency_missing(lines, &builder, &mut out);
    out
}

/// SAS prints the missing values of a frequency table below it (`Frequency Missing = 3`): a
/// count like any cell of the table, read as a table of its own.
fn frequency_missing(lines: &[(u32, String)], builder: &Builder<'_>, out: &mut Vec<Table>) {
    for (no, line) in lines {
        let t = line.trim();
        let Some(rest) = t
            .strip_prefix("Frequency Missing")
            .map(|r| r.trim_start().trim_start_matches('=').trim())
        else {
            continue;
        };
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let rows = [
            GridRow {
                row: *no,
                line: None,
                cells: vec!["Missing values".to_string(), "Frequency".to_string()],
            },
            GridRow {
                row: *no,
                line: Some(*no),
                cells: vec!["Frequency Missing".to_string(), rest.to_string()],
            },
        ];
        for mut t in builder.tables(&rows, None, None) {
            t.index = out.len() as u32 + 1;
            out.push(t);
        }
    }
}

/// The header of a Stata two-way `tabulate` whose column variable's values are numbers, as one
/// row: the header Stata rules off (`----+----`) ends with the values (`  (exposure) |  0  1 |
/// Total`) under the variable's label (`SGTF |  AE outcome for Cox`), and the values are names
/// of columns, not counts. Each value column is named `label / value`, the label spanning the
/// value columns as Stata prints it; the stub's wrapped name is joined. `None` for any other
/// header, which the builder reads as it is.
fn valued_header(block: &Block, lines: &[(u32, String)]) -> Option<GridRow> {
    if !block.piped || block.header < 2 {
        return None;
    }
    let last = block.cells.get(block.header - 1)?;
    let valued = |c: &str| is_number(c.trim());
    if !last.iter().skip(1).any(|c| valued(c)) {
        return None;
    }
    // The upper lines as Stata prints them: the stub's name left of the bar, the column
    // variable's label right of it (wrapped over lines, centred over the value columns).
    let (mut stub, mut label) = (Vec::new(), Vec::new());
    for no in &block.lines[..block.header - 1] {
        let raw = lines
            .iter()
            .find(|(n, _)| n == no)
            .map(|(_, l)| l.as_str())?;
        let (left, right) = raw.split_once('|')?;
        for (part, out) in [(left, &mut stub), (right, &mut label)] {
            let t = part.trim().trim_end_matches('|').trim();
            if !t.is_empty() {
                out.push(t.to_string());
            }
        }
    }
    let label = label.join(" ");
    let cells = last
        .iter()
        .enumerate()
        .map(|(j, own)| {
            let own = own.trim();
            if j == 0 {
                stub.iter()
                    .map(String::as_str)
                    .chain([own].into_iter().filter(|t| !t.is_empty()))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else if valued(own) && !label.is_empty() {
                format!("{label} / {own}")
            } else {
                own.to_string()
            }
        })
        .collect();
    Some(GridRow {
        row: block.lines.first().copied().unwrap_or(1),
        line: None,
        cells,
    })
}

/// Whether the block is laid out as Stata prints `tabulate`, `table` and `summarize`: a column
/// of values or names, then a bar `|` inside each line (not a markdown pipe table, whose lines
/// begin with one). The column left of the bar is the stub: the values of the variable
/// (`1`, `.` for missing), never counts.
fn stub_left_of_bar(lines: &[(u32, String)], block: &Block) -> bool {
    if !block.piped {
        return false;
    }
    let raw: Vec<&str> = block
        .lines
        .iter()
        .filter_map(|no| lines.iter().find(|(n, _)| n == no).map(|(_, l)| l.as_str()))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let inside = raw
        .iter()
        .filter(|l| l.contains('|') && !l.trim_start().starts_with('|'))
        .count();
    !raw.is_empty() && inside * 2 > raw.len()
}

/// A line under a crosstab row with no label of its own and only numbers with decimals (its row,
/// column or cell percentages).
fn percentage_line(cells: &[String]) -> bool {
    let Some((first, rest)) = cells.split_first() else {
        return false;
    };
    let mut numbers = 0;
    let all = rest.iter().all(|c| {
        let c = c.trim();
        if c.is_empty() {
            return true;
        }
        numbers += 1;
        c.contains('.') && is_number(c)
    });
    first.trim().is_empty() && all && numbers >= 1
}

/// Blocks that are tables worth the table rules: not summaries whose cells are single values.
fn tabled(block: &Block) -> bool {
    let words: Vec<String> = block
        .cells
        .iter()
        .take(block.header + 2)
        .flatten()
        .flat_map(|c| tokens(c))
        .collect();
    // Key-value summaries (`Number of obs = 9`, `Df Model: 3`) are not tables of counts.
    let keyed = block
        .cells
        .iter()
        .filter(|r| {
            r.iter()
                .any(|c| c == "=" || c.contains("->") || c.ends_with(':') || c.contains(" = "))
        })
        .count();
    if keyed * 2 >= block.cells.len() {
        return false;
    }
    // `summarize, detail` and PROC UNIVARIATE print single observations, not tables of counts.
    !words
        .iter()
        .any(|w| w == "smallest" || w == "largest" || w == "lowest" || w == "highest")
}

/// How a block's rows are numbered: `numbered` when they are (1..n), `listing` when it also
/// has the columns of a listing of records (`log-listing` then reports it).
#[derive(Clone, Copy)]
struct Numbered {
    numbered: bool,
    listing: bool,
}

/// Kinds the builder cannot know from a log table alone: an `Obs` or row-number column holds
/// labels; in a listing, numbers in columns that do not say they are counts are values of
/// individuals, not counts (the listing itself is the finding), while a numbered block too
/// narrow to be a listing keeps its counts; the column left of a Stata bar (`stub`) holds the
/// values of the variable.
fn relabel_log_table(table: &mut Table, rows: Numbered, stub: bool) {
    let Numbered { numbered, listing } = rows;
    let first = table.columns.iter().map(|c| c.col).min().unwrap_or(1);
    for c in &mut table.columns {
        let name = c.name.trim().to_ascii_lowercase();
        if name == "obs" || ((numbered || stub) && c.col == first) {
            c.kind = Kind::Label;
        } else if tokens(&name)
            .iter()
            .any(|t| t == "cumulative" || t == "cum")
        {
            // A running total repeats the counts above it; its own rows are not cells.
            c.kind = Kind::Unknown;
        } else if listing && c.kind == Kind::Count && !header_says_count(&name) {
            c.kind = Kind::Unknown;
        }
    }
}

fn header_says_count(name: &str) -> bool {
    let toks = tokens(name);
    toks.iter().any(|t| {
        matches!(
            t.as_str(),
            "n" | "count" | "freq" | "frequency" | "antal" | "number"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::classify::Lexicon;

    #[test]
    fn no_panics_on_odd_input() {
        let pieces = [
            "{smcl}",
            "{c |}",
            "{hline",
            "}",
            "{",
            "|",
            " ",
            "  ",
            "1.",
            "Obs",
            "Frequency",
            "Percent  |",
            "---+---",
            "ä×",
            "\t",
            "12",
            "-3.5",
            "_N_=4",
            "a=1",
            "# A tibble: 3 × 2",
            "<chr>",
            "Residual |",
            "examples:",
            "'data.frame':\t3 obs. of  2 variables:",
            " $ id: int",
            "NOTE: x",
            ". list",
            "> head(x)",
            "...",
            "[1]",
            "Total",
            "Extreme Observations",
        ];
        let rules = crate::config::Rules::default_rules();
        let parser = crate::table::cell::CellParser::new(&rules);
        let lexicon = Lexicon::new(&rules.vocabulary);
        let readers = Readers {
            parser: &parser,
            lexicon: &lexicon,
        };
        let mut seed: u64 = 7;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..60 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let p = pieces[(seed >> 33) as usize % pieces.len()];
                text.push_str(p);
                if (seed >> 20).is_multiple_of(3) {
                    text.push('\n');
                }
            }
            let doc = read(Source::Bytes(text.as_bytes()), &readers).expect("reads");
            for b in doc.texts[0].blocks() {
                let _ = shape(b);
                let _ = every_frequency_one(b, &lexicon);
            }
        }
    }
}
