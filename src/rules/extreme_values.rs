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
//! For magnitude tables that carry contributor information (a column of each cell's largest
//! contribution, `Top1`, `Largest contributor`, `Max contributor`, or its share `Largest share
//! (%)`, optionally the second largest or the two largest together, `Top two`), beside a total of
//! a magnitude (`Costs`, `Turnover`, `Bed-days`, `Total`), it applies the primary rules of
//! magnitude tables to every cell of that total: the p% rule (unsafe when the total minus the two
//! largest contributions is less than p % of the largest, `X − x1 − x2 < (p/q)·x1`, the (p,q)
//! rule when `q < 100`) and the dominance rule (unsafe when the n largest contributions exceed k %
//! of the total). A cell that either rule finds dominated is a warning at that cell, and a column
//! of the largest contributions' values is a warning at its first value (it is the value of
//! single units). Where only the largest contribution is known, a cell is flagged only when that
//! alone settles it. Tables without contributor columns are not touched.
//!
//! A workbook finalised by ACRO says what ACRO's own dominance rules found: a cell its risk grid
//! flags `p-ratio` or `nk-rule` that still shows a value is an error, and an output whose ACRO
//! summary asks for review because of negative or missing values (which the dominance rules
//! cannot judge) is a warning at the summary (docs/tables.md §12).
//!
//! ## Why is this bad?
//! A minimum or a maximum is the value of one person: the oldest patient, the longest stay, the
//! highest income. Whoever knows who that is learns the exact value, and extreme persons are the
//! easiest to recognise. A median or percentile of a handful of values is one of those values
//! too. Guidelines allow them only where no individual can be identified. In a magnitude table
//! (the costs of a ward, the turnover of a region) the same holds for a dominant contributor:
//! the second largest contributor, who knows their own value, subtracts it from the total and
//! learns the largest one's value almost exactly.
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
//! ```text
//! Hospital trust,Bed-days,Top1,Top two
//! Trust A,12500,3100,5600
//! Trust B,8400,7900,8200   <- extreme-values: Trust B's bed-days are dominated by one ward
//! ```
//! Merge dominated cells with others, suppress them (with secondary suppression), and do not
//! publish the contributors' values.
//!
//! ## Options
//! The `[vocabulary] extreme` words that name extreme columns and rows; `[extreme_values]
//! quantile`, the labels of medians and percentiles; `[thresholds] min_count` for the group size.
//! `[magnitude]`: `p` (default 10) and `q` (default 100) of the p% and (p,q) rules, `n` and `k`
//! (default 1 and 85) of the dominance rule, and the column names it reads: `largest`, `second`,
//! `top_two`, `share` (words that make a contributor column a share in %) and `total` (the
//! magnitude the contributions add up to). A (2,k) rule corresponds to p = 100·(100 − k)/k.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: minimum, maximum and median values
//! only where no individual can be identified. Eurostat/ESSnet, Guidelines for the checking of
//! output based on microdata research (2015): maxima and minima are not released; percentiles
//! follow the threshold rule. OpenSAFELY documentation, output checking: minimum and maximum
//! values are disclosive. Hundepool et al., Handbook on Statistical Disclosure Control (2024)
//! §4.2 (dominance and p% rules, prior-posterior rule, holdings); τ-ARGUS manual §4.4.4.

use crate::audit::magnitude::{Contributions, Rule as MagnitudeRule};
use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Kind, Row, Table, Value};
use crate::redact::{group_sizes, safe_label};
use crate::rules::{
    small_count, Checks, Context, FileFacts, FileRule, Listing, Rule, TableInput, TableRule,
};
use crate::table::classify::{contains_run, tokens};

pub const RULE: Rule = Rule {
    id: "extreme-values",
    severity: Severity::Warning,
    summary: "minimum, maximum or extreme percentiles, which describe single individuals",
    source: include_str!("extreme_values.rs"),
    checks: Checks {
        table: Some(&ExtremeValues),
        file: Some(&ExtremeValues),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct ExtremeValues;

/// What ACRO said of the file, where it names this rule's check.
impl FileRule for ExtremeValues {
    fn check(&self, file: &FileFacts<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        crate::rules::prior::findings(ID, file, out);
    }
}

impl TableRule for ExtremeValues {
    fn check(&self, input: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check(input.table, cx, out);
    }
}

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
        self.0.iter().any(|p| contains_run(&toks, p))
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
    dominance(table, cx, out);
}

/// What a contributor column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// The largest contribution `x1`.
    Largest,
    /// The second largest `x2`.
    Second,
    /// The two largest together `x1 + x2`.
    TopTwo,
}

/// A contributor column: its role, and whether it gives a share of the total in %.
#[derive(Clone, Copy, Debug)]
struct Contributor {
    col: u32,
    role: Role,
    share: bool,
}

/// The contributor columns of a table and the magnitude column they belong to: the nearest
/// column to the left of the first contributor column (else to the right) whose header names a
/// magnitude total (`Costs`, `Turnover`, `Bed-days`, `Total`). `None` when the table has no
/// contributor columns or no such total: the magnitude rules are then off for it.
fn contributor_columns(table: &Table, cx: &Context<'_>) -> Option<(u32, Vec<Contributor>)> {
    let m = &cx.rules.magnitude;
    let (largest, second, top_two, share, total) = (
        Quantiles::new(&m.largest),
        Quantiles::new(&m.second),
        Quantiles::new(&m.top_two),
        Quantiles::new(&m.share),
        Quantiles::new(&m.total),
    );
    let mut contributors = Vec::new();
    for c in &table.columns {
        let role = if top_two.names(&c.name) {
            Role::TopTwo
        } else if second.names(&c.name) {
            Role::Second
        } else if largest.names(&c.name) {
            Role::Largest
        } else {
            continue;
        };
        contributors.push(Contributor {
            col: c.col,
            role,
            share: c.kind == Kind::Percent || share.names(&c.name),
        });
    }
    let first = contributors.iter().map(|c| c.col).min()?;
    let is_contributor = |col: u32| contributors.iter().any(|c| c.col == col);
    let magnitude: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| {
            !is_contributor(c.col)
                && total.names(&c.name)
                && !matches!(c.kind, Kind::Label | Kind::Percent | Kind::Rate)
        })
        .map(|c| c.col)
        .collect();
    let left = magnitude.iter().copied().filter(|&c| c < first).max();
    let right = magnitude.iter().copied().filter(|&c| c > first).min();
    Some((left.or(right)?, contributors))
}

/// A plain number a cell shows (a magnitude may have decimals), with whether it has a % sign.
fn magnitude_value(row: &Row, col: u32) -> Option<(f64, bool)> {
    match &row.cell(col)?.value {
        Value::Number(n) if n.value.is_finite() => Some((n.value, n.percent)),
        _ => None,
    }
}

/// The dominance `(n,k)` and p% rules ([`crate::audit::magnitude`]) on the
/// cells of a magnitude column whose row gives its largest contributions: a cell whose
/// largest contributor dominates is a warning at that cell.
fn dominance(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    use crate::audit::magnitude::evaluate;
    let Some((total_col, contributors)) = contributor_columns(table, cx) else {
        return;
    };
    let rules = magnitude_rules(&cx.rules.magnitude);
    let mut listing = Listing::new(
        ID,
        Severity::Warning,
        "cells dominated by their largest contributor",
    );
    contributor_values(table, &contributors, &mut listing, out);
    for row in &table.rows {
        let Some(contrib) = contributions(row, total_col, &contributors) else {
            continue;
        };
        let broken: Vec<&str> = rules
            .iter()
            .filter(|(rule, _)| evaluate(*rule, &contrib).is_some_and(|o| o.unsafe_cell))
            .map(|(_, name)| name.as_str())
            .collect();
        if broken.is_empty() {
            continue;
        }
        let Some(cell) = row.cell(total_col) else {
            continue;
        };
        listing.push(
            Finding::new(
                ID,
                Severity::Warning,
                format!(
                    "the largest contributor dominates the total in {} under {}: its value can be estimated closely from the total and the published contributions",
                    place(table, row, total_col),
                    broken.join(" and ")
                ),
                table.locate(cell),
                basis(&[&table.digest, cell.text.as_bytes(), b"dominated cell"]),
            ),
            out,
        );
    }
    listing.finish(table, out);
}

/// The p% (or `(p,q)`) rule and the dominance rule of `[magnitude]`, each with the name a
/// message gives it.
fn magnitude_rules(m: &crate::config::Magnitude) -> [(MagnitudeRule, String); 2] {
    [
        (
            MagnitudeRule::PPercent {
                p: m.p,
                q: m.q,
                n: 1,
            },
            if m.q < 100.0 {
                format!("the (p,q) rule, p = {}, q = {}", m.p, m.q)
            } else {
                format!("the p% rule, p = {}", m.p)
            },
        ),
        (
            MagnitudeRule::Dominance {
                n: m.n as usize,
                k: m.k,
            },
            // Words, not digits: a small number standing alone in a message reads as a count.
            match m.n {
                1 => format!("the dominance rule on the largest contributor, k = {}", m.k),
                n => {
                    let n = match n {
                        2 => "two".to_string(),
                        3 => "three".to_string(),
                        4 => "four".to_string(),
                        n => n.to_string(),
                    };
                    format!(
                        "the dominance rule on the {n} largest contributors, k = {}",
                        m.k
                    )
                }
            },
        ),
    ]
}

/// A column of the largest contributions' values is itself the value of single units: a
/// warning at its first number (unless it was reported as a column of extremes).
fn contributor_values(
    table: &Table,
    contributors: &[Contributor],
    listing: &mut Listing,
    out: &mut Vec<Finding>,
) {
    for c in contributors.iter().filter(|c| !c.share) {
        if table.column(c.col).is_some_and(|x| x.kind == Kind::Extreme) {
            continue; // already reported as a column of extremes
        }
        let first = table.rows.iter().find_map(|row| {
            row.cells
                .iter()
                .find(|x| x.col == c.col && matches!(x.value, Value::Number(_)))
        });
        if let Some(cell) = first {
            listing.push(
                Finding::new(
                    ID,
                    Severity::Warning,
                    format!(
                        "column {} holds the values of single contributors",
                        table.column_label(c.col)
                    ),
                    table.locate(cell),
                    basis(&[&table.digest, b"contributor column", &c.col.to_le_bytes()]),
                ),
                out,
            );
        }
    }
}

/// A row's total (without a % sign) and its largest contributions, shares turned into values.
fn contributions(row: &Row, total_col: u32, contributors: &[Contributor]) -> Option<Contributions> {
    let Some((x, false)) = magnitude_value(row, total_col) else {
        return None;
    };
    let mut x1 = None;
    let mut x2 = None;
    let mut top_two = None;
    for c in contributors {
        let Some((v, pct)) = magnitude_value(row, c.col) else {
            continue;
        };
        let v = if c.share || pct { v / 100.0 * x } else { v };
        match c.role {
            Role::Largest => x1 = Some(v),
            Role::Second => x2 = Some(v),
            Role::TopTwo => top_two = Some(v),
        }
    }
    let x1 = x1?;
    let x2 = x2.or(top_two.map(|t| t - x1));
    let mut top = vec![x1];
    top.extend(x2);
    Contributions::new(x, top)
}

/// Medians, percentiles and extremes of groups below the threshold: `small-count` errors.
fn small_groups(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let t = i64::from(cx.rules.thresholds.min_count);
    let small = |n: i64| n >= 1 && n < t;
    let quantiles = Quantiles::new(&cx.rules.extreme_values.quantile);
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
        small_count::RULE.id,
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
            row.cell(col).and_then(|c| count_value(&c.value))
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
                    small_count::RULE.id,
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
