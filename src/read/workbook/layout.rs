//! From the filled cells of a sheet to its tables. A sheet often holds several tables: one under
//! another with blank rows between them, or side by side with blank columns between them, with
//! titles above and notes below. Blank rows split the sheet into bands; within a band, blank
//! columns split it into segments, unless the part to the right of a narrow gap starts with
//! numbers (a spacer column inside one table, as between the groups of a formatted table).
//! Segments one above another whose columns overlap form a lane; each lane is a grid for the
//! table builder, so titles, headers, notes and tables apart follow the delimited rules; its
//! cells keep their sheet columns (`C7` is C7).

use crate::model::Table;
use crate::table::grid::{Builder, GridRow};

/// A filled cell of a sheet, 1-based.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetCell {
    pub row: u32,
    pub col: u32,
    pub text: String,
}

/// Most positions (filled or not) the grids of one sheet may span: a sheet whose few cells lie
/// far apart in one block (A1 and XFD1048576) is not laid out as a dense grid.
pub const MAX_GRID_POSITIONS: u64 = 20_000_000;

/// Widest blank gap between columns that may still fall inside one table.
const MAX_SPACER: u32 = 1;

/// A block of a band: columns `c0..=c1`, rows `r0..=r1`.
#[derive(Debug, Clone, Copy)]
struct Segment {
    r0: u32,
    r1: u32,
    c0: u32,
    c1: u32,
}

/// The segments of one lane, top to bottom, and the columns they span together.
#[derive(Debug)]
struct Lane {
    c0: u32,
    c1: u32,
    segments: Vec<Segment>,
}

/// The layout would take more than [`MAX_GRID_POSITIONS`] positions.
#[derive(Debug)]
pub struct TooSpread;

/// The tables of a sheet from its filled cells (any order), each with `sheet` set and its cells
/// at their sheet rows and columns; tables are numbered top to bottom, then left to right.
pub fn tables(
    cells: &mut [SheetCell],
    builder: &Builder<'_>,
    sheet: &str,
) -> Result<Vec<Table>, TooSpread> {
    cells.sort_by_key(|c| (c.row, c.col));
    let rows = row_spans(cells);
    let lanes = lanes(cells, &rows);
    let positions: u64 = lanes.iter().map(|l| lane_positions(l, cells, &rows)).sum();
    if positions > MAX_GRID_POSITIONS {
        return Err(TooSpread);
    }
    let mut found: Vec<((u32, u32), Table)> = Vec::new();
    for lane in &lanes {
        let grid = lane_grid(lane, cells, &rows);
        for mut t in builder.tables(&grid, None, Some(sheet)) {
            shift_columns(&mut t, lane.c0 - 1);
            let top = t
                .header
                .first()
                .and_then(|r| r.first())
                .or_else(|| t.rows.first().and_then(|r| r.cells.first()))
                .map(|c| c.row)
                .unwrap_or(0);
            found.push(((top, lane.c0), t));
        }
    }
    found.sort_by_key(|(k, _)| *k);
    Ok(found
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut t))| {
            t.index = i as u32 + 1;
            t
        })
        .collect())
}

/// Move a table's cells `by` columns to the right: the builder numbers columns from 1, a lane
/// starts where it starts on the sheet.
pub fn shift_columns(t: &mut Table, by: u32) {
    if by == 0 {
        return;
    }
    for row in &mut t.header {
        for c in row {
            c.col += by;
        }
    }
    for c in &mut t.columns {
        c.col += by;
    }
    for row in &mut t.rows {
        for c in &mut row.cells {
            c.col += by;
        }
    }
}

/// `(row, start, end)` of each filled row in the sorted cells.
fn row_spans(cells: &[SheetCell]) -> Vec<(u32, usize, usize)> {
    let mut out: Vec<(u32, usize, usize)> = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        match out.last_mut() {
            Some((r, _, end)) if *r == c.row => *end = i + 1,
            _ => out.push((c.row, i, i + 1)),
        }
    }
    out
}

/// Bands (runs of consecutive filled rows), split into segments, gathered into lanes.
fn lanes(cells: &[SheetCell], rows: &[(u32, usize, usize)]) -> Vec<Lane> {
    let mut lanes: Vec<Lane> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && rows[j].0 == rows[j - 1].0 + 1 {
            j += 1;
        }
        for seg in segments(cells, &rows[i..j]) {
            match lanes.iter_mut().find(|l| seg.c0 <= l.c1 && seg.c1 >= l.c0) {
                Some(l) => {
                    l.c0 = l.c0.min(seg.c0);
                    l.c1 = l.c1.max(seg.c1);
                    match l.segments.last_mut() {
                        // Two segments of one band in one lane are one block of it.
                        Some(last) if last.r0 == seg.r0 => {
                            last.c0 = last.c0.min(seg.c0);
                            last.c1 = last.c1.max(seg.c1);
                        }
                        _ => l.segments.push(seg),
                    }
                }
                None => lanes.push(Lane {
                    c0: seg.c0,
                    c1: seg.c1,
                    segments: vec![seg],
                }),
            }
        }
        i = j;
    }
    lanes
}

/// The segments of one band: its filled columns split at blank columns, a narrow gap closed
/// again when the part right of it starts with numbers.
fn segments(cells: &[SheetCell], band: &[(u32, usize, usize)]) -> Vec<Segment> {
    let (Some(first), Some(last)) = (band.first(), band.last()) else {
        return Vec::new();
    };
    let band_cells = &cells[first.1..last.2];
    let mut cols: Vec<u32> = band_cells.iter().map(|c| c.col).collect();
    cols.sort_unstable();
    cols.dedup();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for c in cols {
        match runs.last_mut() {
            Some((_, end)) if c == *end + 1 => *end = c,
            _ => runs.push((c, c)),
        }
    }
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for run in runs {
        match merged.last_mut() {
            Some((_, end))
                if run.0 - *end - 1 <= MAX_SPACER && starts_with_numbers(band_cells, run.0) =>
            {
                *end = run.1
            }
            _ => merged.push(run),
        }
    }
    merged
        .into_iter()
        .map(|(c0, c1)| Segment {
            r0: first.0,
            r1: last.0,
            c0,
            c1,
        })
        .collect()
}

/// Whether most filled cells of column `col` in a band are numbers (years are labels).
fn starts_with_numbers(band: &[SheetCell], col: u32) -> bool {
    let texts: Vec<&str> = band
        .iter()
        .filter(|c| c.col == col)
        .map(|c| c.text.trim())
        .collect();
    let numbers = texts
        .iter()
        .filter(|t| {
            let number = t
                .trim_end_matches('%')
                .replace([',', ' '], "")
                .parse::<f64>();
            number.is_ok_and(|n| !(n.fract() == 0.0 && (1900.0..=2100.0).contains(&n)))
        })
        .count();
    numbers * 2 > texts.len()
}

/// The filled cells of a row that fall in a segment.
fn row_cells<'a>(
    cells: &'a [SheetCell],
    rows: &[(u32, usize, usize)],
    row: u32,
    seg: &Segment,
) -> impl Iterator<Item = &'a SheetCell> {
    let span = rows
        .binary_search_by_key(&row, |r| r.0)
        .ok()
        .map(|i| (rows[i].1, rows[i].2))
        .unwrap_or((0, 0));
    let (c0, c1) = (seg.c0, seg.c1);
    cells[span.0..span.1]
        .iter()
        .filter(move |c| c.col >= c0 && c.col <= c1)
}

/// Positions a lane's grid takes: for every row, from the lane's first column to the row's last
/// filled cell in the lane.
fn lane_positions(lane: &Lane, cells: &[SheetCell], rows: &[(u32, usize, usize)]) -> u64 {
    let mut n = 0u64;
    for seg in &lane.segments {
        for r in seg.r0..=seg.r1 {
            if let Some(last) = row_cells(cells, rows, r, seg).map(|c| c.col).max() {
                n += u64::from(last - lane.c0 + 1);
            }
        }
    }
    n
}

/// A lane as the builder's grid: every row from its top to its bottom (blank rows between its
/// segments included, they split tables), cells from the lane's first column.
fn lane_grid(lane: &Lane, cells: &[SheetCell], rows: &[(u32, usize, usize)]) -> Vec<GridRow> {
    let mut grid: Vec<GridRow> = Vec::new();
    let mut next_row: Option<u32> = None;
    for seg in &lane.segments {
        if let Some(n) = next_row {
            for r in n..seg.r0 {
                grid.push(GridRow {
                    row: r,
                    line: None,
                    cells: Vec::new(),
                });
            }
        }
        for r in seg.r0..=seg.r1 {
            let mut texts: Vec<String> = Vec::new();
            for c in row_cells(cells, rows, r, seg) {
                let at = (c.col - lane.c0) as usize;
                if texts.len() <= at {
                    texts.resize(at + 1, String::new());
                }
                texts[at] = c.text.clone();
            }
            grid.push(GridRow {
                row: r,
                line: None,
                cells: texts,
            });
        }
        next_row = Some(seg.r1 + 1);
    }
    // Segments of a lane come band by band, so top to bottom; a gap of more than a few rows
    // is kept only as one blank row.
    grid.dedup_by(|b, a| a.cells.is_empty() && b.cells.is_empty());
    grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Rules;
    use crate::table::cell::CellParser;
    use crate::table::classify::Lexicon;

    fn sheet(rows: &[(u32, u32, &str)]) -> Vec<Table> {
        let rules = Rules::default_rules();
        let parser = CellParser::new(&rules);
        let lexicon = Lexicon::new(&rules.vocabulary);
        let b = Builder {
            parser: &parser,
            lexicon: &lexicon,
            style: None,
        };
        let mut cells: Vec<SheetCell> = rows
            .iter()
            .map(|(r, c, t)| SheetCell {
                row: *r,
                col: *c,
                text: t.to_string(),
            })
            .collect();
        tables(&mut cells, &b, "S").unwrap()
    }

    #[test]
    fn tables_side_by_side_and_one_under_another_keep_their_cells() {
        let t = sheet(&[
            (1, 1, "Table 1. Deaths by region"),
            (3, 1, "Region"),
            (3, 2, "Deaths"),
            (4, 1, "North"),
            (4, 2, "120"),
            (5, 1, "South"),
            (5, 2, "80"),
            (3, 5, "Sex"),
            (3, 6, "Cases"),
            (4, 5, "Men"),
            (4, 6, "40"),
            (5, 5, "Women"),
            (5, 6, "3"),
            (8, 1, "Age"),
            (8, 2, "n"),
            (9, 1, "0-17"),
            (9, 2, "33"),
            (10, 1, "Source: synthetic"),
        ]);
        assert_eq!(t.len(), 3, "{t:#?}");
        assert_eq!(t[0].title, vec!["Table 1. Deaths by region"]);
        assert_eq!(t[0].sheet.as_deref(), Some("S"));
        assert_eq!(t[1].columns[0].col, 5);
        assert_eq!(
            t[1].locate(&t[1].rows[1].cells[1]).cell.as_deref(),
            Some("F5")
        );
        assert_eq!(t[2].index, 3);
        assert_eq!(t[2].notes, vec!["Source: synthetic"]);
        assert_eq!(t[2].rows[0].cells[1].row, 9);
    }

    #[test]
    fn a_spacer_column_inside_a_table_does_not_split_it() {
        let t = sheet(&[
            (1, 1, "Region"),
            (1, 2, "Men"),
            (1, 4, "Women"),
            (2, 1, "North"),
            (2, 2, "12"),
            (2, 4, "14"),
            (3, 1, "South"),
            (3, 2, "20"),
            (3, 4, "22"),
        ]);
        assert_eq!(t.len(), 1, "{t:#?}");
        assert_eq!(t[0].column(4).map(|c| c.name.as_str()), Some("Women"));
    }

    #[test]
    fn far_apart_cells_in_one_block_are_refused() {
        let rules = Rules::default_rules();
        let parser = CellParser::new(&rules);
        let lexicon = Lexicon::new(&rules.vocabulary);
        let b = Builder {
            parser: &parser,
            lexicon: &lexicon,
            style: None,
        };
        let mut cells: Vec<SheetCell> = (1..=3000)
            .flat_map(|r| {
                [
                    SheetCell {
                        row: r,
                        col: 1,
                        text: "a".into(),
                    },
                    SheetCell {
                        row: r,
                        col: 2,
                        text: "1".into(),
                    },
                    SheetCell {
                        row: r,
                        col: 16_384,
                        text: "b".into(),
                    },
                ]
            })
            .collect();
        cells.push(SheetCell {
            row: 1,
            col: 3,
            text: "x".into(),
        });
        for c in 4..16_384 {
            cells.push(SheetCell {
                row: 2,
                col: c,
                text: "1".into(),
            });
        }
        assert!(tables(&mut cells, &b, "S").is_err());
    }
}
