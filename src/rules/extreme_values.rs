//! ## What it does
//! Flags columns and rows that hold minimum, maximum, range or extreme percentile values (`Min`,
//! `Max`, `Range`, `p0`, `p1`, `p99`, `p100`, `Maks`, `Suurin`, `Störst` …): one warning per
//! column or row, at its first value, whatever the size of the group.
//!
//! It also applies the threshold to the statistics that describe a few individuals: a median,
//! quartile, percentile or IQR, and a minimum or maximum, of a group whose size is from 1 to the
//! threshold minus one is a `small-count` error at that cell. The group size is read from an N
//! column of the same row, an `n=` in the column header or row label, or an N row of a wide
//! summary table.
//!
//! ## Why is this bad?
//! A minimum or a maximum is the value of one person: the oldest patient, the longest stay, the
//! highest income. Whoever knows who that is learns the exact value, and extreme persons are the
//! easiest to recognise. A median or percentile of a handful of values is one of those values
//! too. Guidelines allow them only where no individual can be identified.
//!
//! ## Example
//! ```text
//! Group,N,Median age,Min age,Max age
//! Cases,48,61,19,97        <- extreme-values: column 'Min age' holds extremes (warning)
//! Controls,3,58,51,72      <- small-count: median and extremes of a group below 5 (error)
//! ```
//! Show percentiles such as p10/p90 or p25/p75 instead of minimum and maximum, round or top-code
//! extremes, and leave out statistics of groups below the threshold.
//!
//! ## Options
//! The `[vocabulary] extreme` words that name extreme columns and rows; `[extreme_values]
//! quantile`, the labels of medians and percentiles; `[thresholds] min_count` for the group size.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: minimum, maximum and median values
//! only where no individual can be identified. Eurostat/ESSnet, Guidelines for the checking of
//! output based on microdata research (2015): maxima and minima are not released; percentiles
//! follow the threshold rule. OpenSAFELY documentation, output checking: minimum and maximum
//! values are disclosive.

use crate::finding::{basis, group_sizes, safe_label, Finding, Severity};
use crate::model::{Cell, Kind, Row, Table, Value};
use crate::rules::{small_count, Context, Listing};
use crate::table::classify::tokens;

pub const ID: &str = "extreme-values";
pub const SUMMARY: &str =
    "minimum, maximum or extreme percentiles, which describe single individuals";

/// Whether a cell shows a value (not empty, not a word, not hidden).
fn shows_value(cell: &Cell) -> bool {
    matches!(
        cell.value,
        Value::Number(_)
            | Value::Range { .. }
            | Value::Estimate { .. }
            | Value::CountShare { .. }
            | Value::Fraction { .. }
    )
}

/// Labels of medians, quartiles and percentiles, as token runs.
struct Quantiles(Vec<Vec<String>>);

impl Quantiles {
    fn new(words: &[String]) -> Self {
        Quantiles(
            words
                .iter()
                .map(|w| tokens(w))
                .filter(|t| !t.is_empty())
                .collect(),
        )
    }

    fn names(&self, label: &str) -> bool {
        let toks = tokens(label);
        self.0
            .iter()
            .any(|p| p.len() <= toks.len() && toks.windows(p.len()).any(|w| w == p.as_slice()))
    }
}

/// The whole number a count cell shows.
fn count_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) if !n.percent && n.value.fract() == 0.0 && n.value.abs() < 9.0e15 => {
            Some(n.value as i64)
        }
        _ => None,
    }
}

/// Whether a label is the name of a group size (`N`, `n`, `No.`, `Count`).
fn names_n(label: &str) -> bool {
    let toks = tokens(label);
    toks.iter().any(|t| t == "n")
}

/// The column that gives each row's group size: a count column named `N`, else the only count
/// column.
fn n_column(table: &Table) -> Option<u32> {
    let counts: Vec<_> = table
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Count)
        .collect();
    counts
        .iter()
        .find(|c| names_n(&c.name))
        .or(if counts.len() == 1 {
            counts.first()
        } else {
            None
        })
        .map(|c| c.col)
}

/// The row that gives each column's group size in a wide summary: a count row named `N`.
fn n_row(table: &Table) -> Option<&Row> {
    table
        .rows
        .iter()
        .find(|r| r.kind == Kind::Count && names_n(&r.label))
}

fn place(table: &Table, row: &Row, col: u32) -> String {
    let column = table.column_label(col);
    let label = safe_label(row.label.trim());
    if label.is_empty() {
        format!("column {column}")
    } else if label.chars().count() > 40 {
        let cut: String = label.chars().take(37).collect();
        format!("column {column}, row '{cut}...'")
    } else {
        format!("column {column}, row '{label}'")
    }
}

/// Check one table whose rows are in memory.
pub fn check(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut warn = Listing::new(ID, Severity::Warning, "columns or rows of extremes");
    // Columns of extremes: one finding each, at the first value.
    for column in table.columns.iter().filter(|c| c.kind == Kind::Extreme) {
        let first = table.rows.iter().find_map(|row| {
            row.cells.iter().find(|c| {
                c.col == column.col && shows_value(c) && table.cell_kind(row, c) == Kind::Extreme
            })
        });
        if let Some(cell) = first {
            warn.push(
                Finding::new(
                    ID,
                    Severity::Warning,
                    format!(
                        "column {} holds minimum, maximum or extreme percentile values, which describe single individuals",
                        table.column_label(column.col)
                    ),
                    table.locate(cell),
                    basis(&[&table.digest, b"extreme column", column.name.as_bytes()]),
                ),
                out,
            );
        }
    }
    // Rows of extremes (wide summaries): one finding each.
    for row in table.rows.iter().filter(|r| r.kind == Kind::Extreme) {
        let first = row
            .cells
            .iter()
            .find(|c| shows_value(c) && table.cell_kind(row, c) == Kind::Extreme);
        if let Some(cell) = first {
            let label = safe_label(row.label.trim());
            warn.push(
                Finding::new(
                    ID,
                    Severity::Warning,
                    format!(
                        "row '{label}' holds minimum, maximum or extreme percentile values, which describe single individuals"
                    ),
                    table.locate(cell),
                    basis(&[&table.digest, b"extreme row", row.label.as_bytes()]),
                ),
                out,
            );
        }
    }
    warn.finish(table, out);
    small_groups(table, cx, out);
}

/// Medians, percentiles and extremes of groups below the threshold: `small-count` errors.
fn small_groups(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let t = i64::from(cx.rules.min_count);
    let small = |n: i64| n >= 1 && n < t;
    let quantiles = Quantiles::new(&cx.rules.quantile);
    let n_col = n_column(table);
    let n_row = n_row(table);
    // Group sizes of columns: `n=` in the header, or the N row.
    let col_n = |col: u32| -> Option<i64> {
        let header = table.column(col).map(|c| c.name.as_str()).unwrap_or("");
        group_sizes(header).next().or_else(|| {
            n_row?
                .cells
                .iter()
                .find(|c| c.col == col)
                .and_then(|c| count_value(&c.value))
        })
    };
    let quantile_cols: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| quantiles.names(&c.name))
        .map(|c| c.col)
        .collect();
    let mut listing = Listing::new(
        small_count::ID,
        Severity::Error,
        "medians, percentiles or extremes of groups below the threshold",
    );
    for row in &table.rows {
        if n_row.is_some_and(|r| std::ptr::eq(r, row)) {
            continue;
        }
        let row_quantile = quantiles.names(&row.label);
        let row_n = group_sizes(&row.label).next().or_else(|| {
            let col = n_col?;
            row.cells
                .iter()
                .find(|c| c.col == col)
                .and_then(|c| count_value(&c.value))
        });
        for cell in &row.cells {
            if Some(cell.col) == n_col || !shows_value(cell) {
                continue;
            }
            let kind = table.cell_kind(row, cell);
            let what = match kind {
                Kind::Extreme => "minimum, maximum or extreme percentile",
                Kind::Estimate if row_quantile || quantile_cols.contains(&cell.col) => {
                    "median or percentile"
                }
                _ => continue,
            };
            let n = match (row_n, col_n(cell.col)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if !n.is_some_and(small) {
                continue;
            }
            listing.push(
                Finding::new(
                    small_count::ID,
                    Severity::Error,
                    format!(
                        "{what} of a group below {t} in {}",
                        place(table, row, cell.col)
                    ),
                    table.locate(cell),
                    basis(&[
                        &table.digest,
                        cell.text.as_bytes(),
                        b"small group statistic",
                    ]),
                ),
                out,
            );
        }
    }
    listing.finish(table, out);
}
