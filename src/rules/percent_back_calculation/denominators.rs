//! Where the denominator of a percentage can come from, per row: person-time beside a rate, the
//! column's `N = …`, the row label, the table's title or note, an N column, the total row, the
//! total column.

use crate::model::{Kind, Row, Table, Value};
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

/// N columns to the left of a percentage that are tried as its denominator, nearest first in
/// effect: a table of many `N, %` groups is not tried against every N column to its left (which
/// would cost columns² per row).
const MAX_N_COLUMNS: usize = 16;

/// What the denominators of a table's cells read from its columns, worked out once per table:
/// the header words are tokenised once, not once per cell.
pub(super) struct DenColumns {
    /// Columns of person-time or population (rates' denominators).
    person_time: Vec<u32>,
    /// Columns named as group sizes `N`, in column order.
    n_cols: Vec<u32>,
    /// Columns of percentages.
    percent_cols: usize,
    /// The table's one `N = …` of its title or notes.
    text_n: Option<i128>,
}

impl DenColumns {
    pub(super) fn new(table: &Table, words: &Words) -> DenColumns {
        DenColumns {
            person_time: (table.columns.iter())
                .filter(|c| words.is_person_time(&c.name))
                .map(|c| c.col)
                .collect(),
            n_cols: (table.columns.iter())
                .filter(|c| words.is_n_column(&c.name))
                .map(|c| c.col)
                .collect(),
            percent_cols: (table.columns.iter())
                .filter(|c| c.kind == Kind::Percent || c.name.contains('%'))
                .count(),
            text_n: text_n(table),
        }
    }
}

/// Most decimals of a person-time denominator (`1520.5` person-years) that are used.
const MAX_PERSON_TIME_DECIMALS: u8 = 3;

/// Denominator candidates for a cell in row `r` of pair `p`, each with the decimals it was
/// shown with: `(source, d, k)` stands for `d / 10^k` (`k > 0` only for person-time, which is
/// often printed with decimals).
pub(super) fn candidates(
    table: &Table,
    s: &Structure,
    p: &Pair,
    r: usize,
    cols: &DenColumns,
) -> Vec<(DenSource, i128, u8)> {
    let mut out = Vec::new();
    let row: &Row = &table.rows[r];
    if p.rate {
        for &c in &cols.person_time {
            if c != p.pct_col {
                let pos = CellPos { row: r, col: c };
                if let Some(v) = exact_at(table, pos) {
                    out.push((DenSource::PersonTime, v, 0));
                } else if let Some((v, k)) = decimal_at(table, pos) {
                    out.push((DenSource::PersonTime, v, k));
                }
            }
        }
        return out;
    }
    other_candidates(table, s, p, r, cols, row)
        .into_iter()
        .map(|(src, d)| (src, d, 0))
        .collect()
}

/// A positive number shown with 1 to [`MAX_PERSON_TIME_DECIMALS`] decimals, as `(d, k)` with
/// the value `d / 10^k`.
fn decimal_at(table: &Table, p: CellPos) -> Option<(i128, u8)> {
    let Value::Number(n) = super::cell_value(table, p)? else {
        return None;
    };
    if n.percent || n.decimals == 0 || n.decimals > MAX_PERSON_TIME_DECIMALS || n.value <= 0.0 {
        return None;
    }
    let shown = crate::audit::Shown::from_f64(n.value, n.decimals)?;
    (shown.mantissa < 1_000_000_000_000_000).then_some((shown.mantissa, n.decimals))
}

/// The candidates of a percentage or proportion: group sizes from the header, label, title or
/// note, N columns, the total row and column.
fn other_candidates(
    table: &Table,
    s: &Structure,
    p: &Pair,
    r: usize,
    cols: &DenColumns,
    row: &Row,
) -> Vec<(DenSource, i128)> {
    let mut out = Vec::new();
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
        if let Some(n) = cols.text_n.filter(|_| cols.percent_cols == 1) {
            out.push((DenSource::TitleOrNote, n));
        }
    }
    let pct_name = table.column(p.pct_col).map(|c| c.name.trim());
    let left = cols.n_cols.partition_point(|&c| c < p.pct_col);
    let tried = &cols.n_cols[left.saturating_sub(MAX_N_COLUMNS)..left];
    for c in tried.iter().filter_map(|&c| table.column(c)) {
        // A group name printed over its count and % columns (`Total`, `Total`): the count
        // beside the percentage is its numerator, not its denominator.
        let numerator_twin = c.col + 1 == p.pct_col && pct_name == Some(c.name.trim());
        if Some(c.col) != p.count_col && c.col != p.pct_col && !numerator_twin {
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
