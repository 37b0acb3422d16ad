//! The count grid of a table (data rows × count columns) and the lines of a candidate relation
//! over it: one total cell and its part cells per line (docs/tables.md §3.1).

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
}

impl Grid<'_> {
    /// What the grid shows at a cell; `None` outside the count grid.
    pub(super) fn get(&self, p: CellPos) -> Option<Shown> {
        let i = *self.row_at.get(&p.row)?;
        let j = *self.col_at.get(&p.col)?;
        self.cells[i][j]
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
                    match r.cells.iter().find(|x| x.col == c.col).map(|x| &x.value) {
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
            if let Some(cell) = r.cells.iter().find(|x| x.col == c.col) {
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
            .map(|&c| {
                r.cells
                    .iter()
                    .find(|x| x.col == c)
                    .map_or(Some(Shown::Empty), |x| shown(&x.value))
            })
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
