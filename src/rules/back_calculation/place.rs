//! Where a cell or a line of a table is, as the findings of `back-calculation` name it.

use crate::model::{cell_ref, Location, Table};
use crate::table::structure::{self, CellPos, Structure, Total};

/// The location of a cell by its row index and column.
pub(crate) fn locate(table: &Table, pos: CellPos) -> Location {
    let Some(row) = table.rows.get(pos.row) else {
        return table.location();
    };
    match row.cell(pos.col) {
        Some(cell) => table.locate(cell),
        None => {
            let r = row.cells.first().map_or(0, |c| c.row);
            Location {
                member: table.member.clone(),
                sheet: table.sheet.clone(),
                table: Some(table.index),
                row: Some(r),
                column: Some(pos.col),
                cell: Some(cell_ref(r, pos.col)),
                line: row.cells.first().and_then(|c| c.line),
            }
        }
    }
}

/// Spreadsheet name of a cell: `B4`.
pub(super) fn cell_name(table: &Table, pos: CellPos) -> String {
    let loc = locate(table, pos);
    loc.cell.unwrap_or_else(|| format!("column {}", pos.col))
}

/// The name of a relation's line: its group, and the column or row it totals.
pub(super) fn line_label(table: &Table, s: &Structure, rel: &structure::Relation) -> String {
    let group = &s.groups[rel.group].label;
    match rel.total {
        Total::Cell(p) => {
            if rel.parts.iter().all(|q| q.col == p.col) && !group.starts_with("column") {
                format!("{group} in {}", table.column_label(p.col))
            } else if rel.parts.iter().all(|q| q.row == p.row) {
                let label = table.rows.get(p.row).map(|r| r.label.trim()).unwrap_or("");
                if label.is_empty() {
                    format!("{group} in its row")
                } else {
                    format!(
                        "{group} in row '{}'",
                        crate::redact::safe_label(label)
                            .chars()
                            .take(40)
                            .collect::<String>()
                    )
                }
            } else {
                group.clone()
            }
        }
        Total::Constant(_) => match rel.parts.first() {
            Some(q) => format!("{group} in {}", table.column_label(q.col)),
            None => group.clone(),
        },
    }
}
