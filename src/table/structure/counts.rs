//! The count grid of a table (data rows × count columns) and the lines of a candidate relation
//! over it: one total cell and its part cells per line (docs/tables.md §3.1).

use std::cell::Cell;
use std::collections::HashMap;

use super::{shown, CellPos, Shown, Total};
use crate::model::{Kind, Table, Value};

/// The count grid of a table: data rows × count columns.
pub(super) struct Grid<'t> {
    pub(super) table: &'t Table,
    pub(super) rows: Vec<usize>,
    pub(super) cols: Vec<u32>,
    /// `cells[i][j]`: what row `rows[i]` shows in column `cols[j]`.
    pub(super) cells: Vec<Vec<Option<Shown>>>,
    pub(super) row_at: HashMap<usize, usize>,
    pub(super) col_at: HashMap<u32, usize>,
    /// Cells read so far by the verification of candidates ([`Grid::get`]).
    spent: Cell<u64>,
    /// A candidate was left unverified because [`MAX_CELL_READS`] were spent.
    pub(super) incomplete: Cell<bool>,
}

/// Cells the verification of candidate relations reads in one table at most (docs/tables.md
/// §3.3). Each candidate reads about as many cells as the grid has, so this allows a few
/// hundred candidates on a large table and is never reached on a usual one; past it, the
/// candidates left are not tried and the structure is incomplete (a finding says so).
#[cfg(not(test))]
pub(super) const MAX_CELL_READS: u64 = 100_000_000;
/// A smaller budget under unit tests, so that a test table reaches it in little time.
#[cfg(test)]
pub(super) const MAX_CELL_READS: u64 = 2_000_000;

impl Grid<'_> {
    /// What the grid shows at a cell; `None` outside the count grid.
    pub(super) fn get(&self, p: CellPos) -> Option<Shown> {
        self.spent.set(self.spent.get() + 1);
        let i = *self.row_at.get(&p.row)?;
        let j = *self.col_at.get(&p.col)?;
        self.cells[i][j]
    }

    /// Count `n` cells read outside [`Grid::get`] (building a candidate's lines).
    pub(super) fn charge(&self, n: usize) {
        self.spent.set(self.spent.get().saturating_add(n as u64));
    }

    /// Whether the cell reads are spent: the next candidate is not verified, and the structure
    /// is marked incomplete.
    pub(super) fn spent(&self) -> bool {
        let over = self.spent.get() >= MAX_CELL_READS;
        if over {
            self.incomplete.set(true);
        }
        over
    }
}

/// The count grid of `table`: its count columns (counts, and `n (%)` columns) and the data
/// rows that show a count in one of them.
pub(super) fn build_grid(table: &Table) -> Grid<'_> {
    // Count columns: columns that are not labels or other measures and hold counts.
    let mut cols = Vec::new();
    for c in &table.columns {
        let ok_kind = match c.kind {
            Kind::Count | Kind::Unknown => true,
            Kind::Percent => {
                // `n (%)` columns hold counts too.
                let (mut share, mut other) = (0, 0);
                for r in &table.rows {
                    match r.cell(c.col).map(|x| &x.value) {
                        Some(Value::CountShare { .. }) => share += 1,
                        Some(Value::Empty) | None => {}
                        Some(_) => other += 1,
                    }
                }
                share > 0 && share >= other
            }
            _ => false,
        };
        if !ok_kind {
            continue;
        }
        let mut counts = 0;
        let mut others = 0;
        for r in &table.rows {
            if let Some(cell) = r.cell(c.col) {
                match shown(&cell.value) {
                    Some(Shown::Exact(_)) | Some(Shown::Hidden { .. }) => counts += 1,
                    Some(Shown::Empty) => {}
                    None => {
                        if !matches!(cell.value, Value::Label) || !cell.text.is_empty() {
                            others += 1
                        }
                    }
                }
            }
        }
        if counts > 0 && counts >= others * 4 {
            cols.push(c.col);
        }
    }
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    for (ri, r) in table.rows.iter().enumerate() {
        if matches!(
            r.kind,
            Kind::Estimate | Kind::Extreme | Kind::Rate | Kind::Percent
        ) {
            continue;
        }
        let line: Vec<Option<Shown>> = cols
            .iter()
            .map(|&c| r.cell(c).map_or(Some(Shown::Empty), |x| shown(&x.value)))
            .collect();
        if line
            .iter()
            .any(|s| matches!(s, Some(Shown::Exact(_)) | Some(Shown::Hidden { .. })))
        {
            rows.push(ri);
            cells.push(line);
        }
    }
    let row_at = rows.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    let col_at = cols.iter().enumerate().map(|(j, &c)| (c, j)).collect();
    Grid {
        table,
        rows,
        cols,
        cells,
        row_at,
        col_at,
        spent: Cell::new(0),
        incomplete: Cell::new(false),
    }
}

/// One line of a candidate: total and parts.
pub(super) struct Line {
    pub(super) total: Total,
    pub(super) parts: Vec<CellPos>,
}

/// The lines of a total row over its part rows, one per count column.
pub(super) fn row_lines(g: &Grid<'_>, total_row: usize, parts: &[usize]) -> Vec<Line> {
    g.cols
        .iter()
        .map(|&c| Line {
            total: Total::Cell(CellPos {
                row: total_row,
                col: c,
            }),
            parts: parts.iter().map(|&r| CellPos { row: r, col: c }).collect(),
        })
        .collect()
}

/// The lines of a total column over its part columns, one per data row.
pub(super) fn col_lines(g: &Grid<'_>, total_col: u32, parts: &[u32]) -> Vec<Line> {
    g.rows
        .iter()
        .map(|&r| Line {
            total: Total::Cell(CellPos {
                row: r,
                col: total_col,
            }),
            parts: parts.iter().map(|&c| CellPos { row: r, col: c }).collect(),
        })
        .collect()
}
