//! Where the denominator of a percentage can come from, per row: person-time beside a rate, the
//! column's `N = …`, the row label, the table's title or note, an N column, the total row, the
//! total column.

use crate::model::{Kind, Row, Table};
use crate::redact::group_sizes;
use crate::rules::words::Words;
use crate::table::structure::{CellPos, Structure};

use super::exact_at;
use super::pairs::Pair;

/// Where a denominator comes from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DenSource {
    ColumnHeader,
    TitleOrNote,
    RowLabel,
    NColumn,
    TotalRow,
    TotalColumn,
    PersonTime,
}

impl DenSource {
    pub(super) fn text(self) -> &'static str {
        match self {
            DenSource::ColumnHeader => "the group size N in the column header",
            DenSource::TitleOrNote => "the group size N in the table's title or note",
            DenSource::RowLabel => "the group size N in the row label",
            DenSource::NColumn => "the N column of the same row",
            DenSource::TotalRow => "the total row",
            DenSource::TotalColumn => "the total column of the same row",
            DenSource::PersonTime => "the person-time or population column of the same row",
        }
    }
}

/// Denominator candidates for a cell in row `r` of pair `p`.
pub(super) fn candidates(
    table: &Table,
    s: &Structure,
    p: &Pair,
    r: usize,
    words: &Words,
) -> Vec<(DenSource, i128)> {
    let mut out = Vec::new();
    let row: &Row = &table.rows[r];
    if p.rate {
        for c in &table.columns {
            if c.col != p.pct_col && words.is_person_time(&c.name) {
                if let Some(v) = exact_at(table, CellPos { row: r, col: c.col }) {
                    out.push((DenSource::PersonTime, v));
                }
            }
        }
        return out;
    }
    for col in [Some(p.pct_col), p.count_col].into_iter().flatten() {
        if let Some(n) = s.column_n.get(&col) {
            out.push((DenSource::ColumnHeader, *n));
            break;
        }
    }
    if let Some(n) = group_sizes(&row.label).next() {
        out.push((DenSource::RowLabel, i128::from(n)));
    }
    // One `N = …` in the title or a note of a table with one percentage column and no N of its
    // own: the whole table's group size.
    if !s.column_n.contains_key(&p.pct_col) {
        let percent_cols = table
            .columns
            .iter()
            .filter(|c| c.kind == Kind::Percent || c.name.contains('%'))
            .count();
        if let Some(n) = text_n(table).filter(|_| percent_cols == 1) {
            out.push((DenSource::TitleOrNote, n));
        }
    }
    let pct_name = table
        .columns
        .iter()
        .find(|c| c.col == p.pct_col)
        .map(|c| c.name.trim());
    for c in &table.columns {
        // A group name printed over its count and % columns (`Total`, `Total`): the count
        // beside the percentage is its numerator, not its denominator.
        let numerator_twin = c.col + 1 == p.pct_col && pct_name == Some(c.name.trim());
        if Some(c.col) != p.count_col
            && c.col != p.pct_col
            && !numerator_twin
            && words.is_n_column(&c.name)
            && c.col < p.pct_col
        {
            if let Some(v) = exact_at(table, CellPos { row: r, col: c.col }) {
                out.push((DenSource::NColumn, v));
            }
        }
    }
    if let Some(cc) = p.count_col {
        for &tr in &s.total_rows {
            if tr != r {
                if let Some(v) = exact_at(table, CellPos { row: tr, col: cc }) {
                    out.push((DenSource::TotalRow, v));
                    break;
                }
            }
        }
    }
    for &tc in &s.total_cols {
        if Some(tc) != p.count_col
            && !(tc + 1 == p.pct_col && pct_name == table.column(tc).map(|c| c.name.trim()))
        {
            if let Some(v) = exact_at(table, CellPos { row: r, col: tc }) {
                out.push((DenSource::TotalColumn, v));
                break;
            }
        }
    }
    out
}

/// The group size of a whole table: one `N = …` in its title or notes (none, or two
/// different ones, say nothing).
pub(super) fn text_n(table: &Table) -> Option<i128> {
    let sizes: Vec<i64> = table
        .title
        .iter()
        .chain(table.notes.iter())
        .flat_map(|t| group_sizes(t).collect::<Vec<_>>())
        .collect();
    match sizes.as_slice() {
        [n] => Some(i128::from(*n)),
        _ => None,
    }
}
