//! ## What it does
//! Flags a group all of whose members fall in one category. In a row (or column) that has a
//! total, either a total labelled as one (`Total`, `I alt`, `Yhteensä`, `All` …) or a cell that
//! the other count cells of the line add up to exactly, it flags the one non-zero count cell
//! that equals the total while every other cell of the line is 0. It also flags a percentage of
//! 0% or 100% in a line whose group has at least one member: `100.0` in a percentage column
//! beside a count, or `12 (100%)`, when the shown precision proves the share is exactly 0 or
//! 100. Zeros alone are allowed, and total lines, columns of 100% totals, a first row at 100%
//! in every column (the denominator of the rows below), cumulative percentages and empty lines
//! are never flagged. In a workbook finalised by ACRO, a cell its risk grid flags
//! `all-values-are-same` that still shows a value is an error, and an output ACRO sends to
//! review for it a warning (docs/tables.md §12).
//!
//! ## Why is this bad?
//! No cell need be small for a table to disclose: when everyone in a group has the same value,
//! anyone who knows a person belongs to the group learns that person's value ("all 14 patients
//! treated at clinic B died"). This is group (attribute) disclosure. The guidelines ask the
//! checker to look at zeros and at 0% / 100% shares, not only at small cells.
//!
//! ## Example
//! ```text
//! Clinic,Survived,Died,Total
//! A,120,8,128
//! B,0,14,14        <- group-disclosure: every count of row 'B' is in column 'Died'
//! ```
//! Merge categories or groups until no group is concentrated in one category, or explain to
//! the output checker why the concentration discloses nothing (a structural zero).
//!
//! ## Options
//! The `[vocabulary] total` words that name totals; `[thresholds] min_count` is not used: a
//! group of any size can disclose.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: results must not make it possible
//! to identify individuals or their information. Eurostat/ESSnet, Handbook on Statistical
//! Disclosure Control (2010), §5.2 (group disclosure, zeros in frequency tables). OpenSAFELY
//! documentation, output checking: "group disclosure" and 0% / 100% cells.

use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Kind, Row, Table, Value};
use crate::redact::safe_label;
use crate::rules::words::Words;
use crate::rules::{Checks, Context, FileFacts, FileRule, Listing, Rule, TableInput, TableRule};
use crate::table::classify::tokens;

pub const RULE: Rule = Rule {
    id: "group-disclosure",
    severity: Severity::Warning,
    summary: "everyone in a group falls in one category (one non-zero cell equal to its total, 0% or 100%)",
    source: include_str!("group_disclosure.rs"),
    checks: Checks {
        table: Some(&GroupDisclosure),
        file: Some(&GroupDisclosure),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct GroupDisclosure;

/// What ACRO said of the file, where it names this rule's check.
impl FileRule for GroupDisclosure {
    fn check(&self, file: &FileFacts<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        crate::rules::prior::findings(ID, file, out);
    }
}

impl TableRule for GroupDisclosure {
    fn check(&self, input: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check(input.table, cx, out);
    }
}

/// Most rows or columns compared when looking for a total line by its sums.
const MAX_LINES: usize = 2_000;

/// What a count cell shows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shown {
    /// A whole number.
    Known(i64),
    /// Hidden, empty or not a count.
    Unknown,
}

/// The whole number a count cell shows: `17`, `17.0`, the n of `17 (3.4%)`.
fn count_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) if !n.percent && n.value.fract() == 0.0 && n.value.abs() < 9.0e15 => {
            Some(n.value as i64)
        }
        Value::CountShare { count, .. } => count_value(count),
        _ => None,
    }
}

/// Lines (rows or columns) that hold counts, as a matrix of shown values.
struct Counts<'a> {
    /// Rows that hold counts, with their indices into `table.rows`.
    rows: Vec<&'a Row>,
    /// Column numbers of count columns.
    cols: Vec<u32>,
    /// `grid[r][c]` for `rows[r]`, `cols[c]`.
    grid: Vec<Vec<Shown>>,
    /// Where each value stands, for locating findings.
    cells: Vec<Vec<Option<&'a Cell>>>,
}

fn counts<'a>(table: &'a Table) -> Counts<'a> {
    let cols: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Count)
        .map(|c| c.col)
        .collect();
    let rows: Vec<&Row> = table
        .rows
        .iter()
        .filter(|r| matches!(r.kind, Kind::Unknown | Kind::Count))
        .filter(|r| r.cells.iter().any(|c| !matches!(c.value, Value::Empty)))
        .take(MAX_LINES)
        .collect();
    let mut grid = Vec::with_capacity(rows.len());
    let mut cells = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut g = Vec::with_capacity(cols.len());
        let mut cs = Vec::with_capacity(cols.len());
        for col in &cols {
            let cell = row.cell(*col);
            let shown = cell
                .filter(|c| table.cell_kind(row, c) == Kind::Count)
                .and_then(|c| count_value(&c.value))
                .map_or(Shown::Unknown, Shown::Known);
            g.push(shown);
            cs.push(cell);
        }
        grid.push(g);
        cells.push(cs);
    }
    Counts {
        rows,
        cols,
        grid,
        cells,
    }
}

/// Whether a label names a total: the profile's total words, or a word of the whole population
/// (`All patients`, `Overall`, `N`) anywhere in it.
fn totalish(label: &str, cx: &Context<'_>) -> bool {
    if cx.lexicon.is_total(label) {
        return true;
    }
    tokens(label).iter().any(|t| {
        matches!(
            t.as_str(),
            "all" | "total" | "totals" | "overall" | "n" | "sum" | "everyone" | "cohort"
        )
    })
}

/// Index of the line among `lines` that is the sum of the others in every position where all
/// are known, in at least two positions and with two non-zero parts somewhere; only the first
/// and last lines are candidates.
fn sum_line(values: &[Vec<Shown>]) -> Option<usize> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let width = values.iter().map(Vec::len).min().unwrap_or(0);
    [n - 1, 0].into_iter().find(|&cand| {
        let mut checked = 0;
        let mut spread = false;
        for pos in 0..width {
            let mut sum: i64 = 0;
            let mut nonzero = 0;
            let mut known = true;
            for (i, line) in values.iter().enumerate() {
                match line[pos] {
                    Shown::Known(v) if i != cand => {
                        sum = sum.saturating_add(v);
                        if v != 0 {
                            nonzero += 1;
                        }
                    }
                    Shown::Known(_) => {}
                    Shown::Unknown => known = false,
                }
            }
            if !known {
                continue;
            }
            if values[cand][pos] != Shown::Known(sum) {
                return false;
            }
            checked += 1;
            spread |= nonzero >= 2;
        }
        checked >= 2 && spread
    })
}

/// The single part equal to the total with all other parts 0, if that is what a line shows.
fn concentrated(parts: &[Shown], total: Shown) -> Option<usize> {
    let Shown::Known(t) = total else {
        return None;
    };
    if t < 1 || parts.len() < 2 {
        return None;
    }
    let mut hit = None;
    for (i, p) in parts.iter().enumerate() {
        match p {
            Shown::Known(0) => {}
            Shown::Known(v) if *v == t && hit.is_none() => hit = Some(i),
            _ => return None,
        }
    }
    hit
}

fn finding(table: &Table, cell: &Cell, message: String) -> Finding {
    Finding::new(
        ID,
        Severity::Warning,
        message,
        table.locate(cell),
        basis(&[&table.digest, cell.text.as_bytes(), b"group"]),
    )
}

fn row_name(row: &Row) -> String {
    let label = safe_label(row.label.trim());
    if label.is_empty() {
        "an unlabelled row".to_string()
    } else if label.chars().count() > 40 {
        let cut: String = label.chars().take(37).collect();
        format!("row '{cut}...'")
    } else {
        format!("row '{label}'")
    }
}

/// Check one table whose rows are in memory.
pub fn check(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut listing = Listing::new(ID, Severity::Warning, "groups concentrated in one category");
    check_counts(table, cx, &mut listing, out);
    check_shares(table, cx, &mut listing, out);
    listing.finish(table, out);
}

fn check_counts(table: &Table, cx: &Context<'_>, listing: &mut Listing, out: &mut Vec<Finding>) {
    let m = counts(table);
    if m.rows.is_empty() || (m.cols.len() < 2 && m.rows.len() < 3) {
        return;
    }
    // Total columns: by header, else by sums.
    let mut total_cols: Vec<usize> = (0..m.cols.len())
        .filter(|&c| {
            table
                .column(m.cols[c])
                .is_some_and(|col| cx.lexicon.is_total(&col.name))
        })
        .collect();
    if total_cols.is_empty() {
        let body: Vec<usize> = (0..m.rows.len())
            .filter(|&r| !totalish(&m.rows[r].label, cx))
            .collect();
        let transposed: Vec<Vec<Shown>> = (0..m.cols.len())
            .map(|c| body.iter().map(|&r| m.grid[r][c]).collect())
            .collect();
        total_cols.extend(sum_line(&transposed));
    }
    // Total rows: by label, else by sums.
    let mut total_rows: Vec<usize> = (0..m.rows.len())
        .filter(|&r| cx.lexicon.is_total(&m.rows[r].label))
        .collect();
    if total_rows.is_empty() {
        let parts: Vec<usize> = (0..m.cols.len())
            .filter(|c| !total_cols.contains(c))
            .collect();
        let lines: Vec<Vec<Shown>> = m
            .grid
            .iter()
            .map(|g| parts.iter().map(|&c| g[c]).collect())
            .collect();
        total_rows.extend(sum_line(&lines));
    }

    // Rows: the parts are the count cells outside total columns.
    if let [tc] = total_cols[..] {
        for (r, row) in m.rows.iter().enumerate() {
            if total_rows.contains(&r) || totalish(&row.label, cx) {
                continue;
            }
            let part_idx: Vec<usize> = (0..m.cols.len()).filter(|&c| c != tc).collect();
            let parts: Vec<Shown> = part_idx.iter().map(|&c| m.grid[r][c]).collect();
            if let Some(hit) = concentrated(&parts, m.grid[r][tc]) {
                let c = part_idx[hit];
                if let Some(cell) = m.cells[r][c] {
                    let msg = format!(
                        "every count of {} is in column {}, the other cells are 0: the whole group falls in one category",
                        row_name(row),
                        table.column_label(m.cols[c])
                    );
                    listing.push(finding(table, cell, msg), out);
                }
            }
        }
    }
    // Columns: the parts are the rows that are not totals.
    if let [tr] = total_rows[..] {
        let part_idx: Vec<usize> = (0..m.rows.len())
            .filter(|&r| r != tr && !totalish(&m.rows[r].label, cx))
            .collect();
        for c in 0..m.cols.len() {
            if total_cols.contains(&c) {
                continue;
            }
            let parts: Vec<Shown> = part_idx.iter().map(|&r| m.grid[r][c]).collect();
            if let Some(hit) = concentrated(&parts, m.grid[tr][c]) {
                let r = part_idx[hit];
                if let Some(cell) = m.cells[r][c] {
                    let msg = format!(
                        "every count of column {} is in {}, the other cells are 0: the whole group falls in one category",
                        table.column_label(m.cols[c]),
                        row_name(m.rows[r])
                    );
                    listing.push(finding(table, cell, msg), out);
                }
            }
        }
    }
}

/// Half the last shown digit of a percentage, in percentage points.
fn half_unit(decimals: u8) -> f64 {
    0.5 * 10f64.powi(-i32::from(decimals.min(12)))
}

/// Whether a share of 0% or 100% shown with `decimals` of a group of `n` (or of `n` out of a
/// group) is exact: one person more or less would show a different share.
fn exact_full(n: i64, decimals: u8) -> bool {
    n >= 1 && ((n + 1) as f64) * half_unit(decimals) < 100.0
}

/// Columns whose shares are totals or running sums: a total header, a cumulative header, or
/// every shown value 100.
fn share_total_column(table: &Table, col: u32, cx: &Context<'_>) -> bool {
    if let Some(c) = table.column(col) {
        if cx.lexicon.is_total(&c.name) {
            return true;
        }
        let toks = tokens(&c.name);
        if toks
            .iter()
            .any(|t| t.starts_with("cum") || t == "total" || t == "all")
        {
            return true;
        }
    }
    let mut seen = 0;
    for row in &table.rows {
        for cell in row.cells.iter().filter(|c| c.col == col) {
            match &cell.value {
                Value::Number(n) if n.value != 100.0 => return false,
                Value::Number(_) => seen += 1,
                Value::CountShare { share, .. } if share.value != 100.0 => return false,
                Value::CountShare { .. } => seen += 1,
                _ => {}
            }
        }
    }
    seen >= 2
}

/// Rows of counts and shares: a share of 0% or 100% of a group whose size is known says the
/// whole group falls in one category (one finding per row).
fn check_shares(table: &Table, cx: &Context<'_>, listing: &mut Listing, out: &mut Vec<Finding>) {
    for row in &table.rows {
        if !matches!(row.kind, Kind::Unknown | Kind::Count | Kind::Percent)
            || totalish(&row.label, cx)
        {
            continue;
        }
        if std::ptr::eq(row, &table.rows[0]) && whole_population(row) {
            continue;
        }
        let shares = RowShares::new(table, row, cx);
        for cell in &row.cells {
            if !shares.exact_all_or_none(cell) || share_total_column(table, cell.col, cx) {
                continue;
            }
            let msg = format!(
                "a share of 0% or 100% in column {}, {}: the whole group falls in one category",
                table.column_label(cell.col),
                row_name(row)
            );
            listing.push(finding(table, cell, msg), out);
            // One share finding per row: the complement says the same.
            break;
        }
    }
}

/// A row whose every share (two or more) is 100%: in every column it is the whole of the
/// column's population. As the first row of its table (`cons ==1` over a descriptive table, an
/// `Everyone` row) it is the denominator of the rows below, a total and not a group that falls
/// in one category; further down, a category that holds everyone is still reported.
fn whole_population(row: &Row) -> bool {
    let shares: Vec<f64> = row
        .cells
        .iter()
        .filter_map(|c| match &c.value {
            Value::CountShare { share, .. } => Some(share.value),
            Value::Number(n) if n.percent => Some(n.value),
            _ => None,
        })
        .collect();
    shares.len() >= 2 && shares.iter().all(|&v| v == 100.0)
}

/// What one row shows of its group: its counts and its plain shares.
struct RowShares<'a> {
    table: &'a Table,
    row: &'a Row,
    /// The row's counts: the group's size or the numerator of its share.
    count_cells: Vec<&'a Cell>,
    /// The first count of at least 1.
    row_count: Option<i64>,
    /// The group's size, when a column named as one (`N`, `Total`, `Denominator`) shows it:
    /// only then is a 0% share a share of this group and not a rounded share of a total.
    group_size: Option<i64>,
    plain_shares: Vec<&'a Cell>,
    words: &'a Words,
}

impl<'a> RowShares<'a> {
    fn new(table: &'a Table, row: &'a Row, cx: &Context<'a>) -> RowShares<'a> {
        let count_cells: Vec<&Cell> = row
            .cells
            .iter()
            .filter(|c| table.cell_kind(row, c) == Kind::Count)
            .filter(|c| matches!(c.value, Value::Number(_)))
            .collect();
        let row_count: Option<i64> = count_cells
            .iter()
            .find_map(|c| count_value(&c.value))
            .filter(|n| *n >= 1);
        let group_size: Option<i64> = count_cells
            .iter()
            .filter(|c| {
                table.column(c.col).is_some_and(|col| {
                    cx.lexicon.is_total(&col.name)
                        || tokens(&col.name)
                            .iter()
                            .any(|t| t == "n" || t.starts_with("denominator"))
                })
            })
            .find_map(|c| count_value(&c.value))
            .filter(|n| *n >= 1);
        let plain_shares: Vec<&Cell> = row
            .cells
            .iter()
            .filter(|c| table.cell_kind(row, c) == Kind::Percent)
            .filter(|c| matches!(c.value, Value::Number(_)))
            .collect();
        RowShares {
            table,
            row,
            count_cells,
            row_count,
            group_size,
            plain_shares,
            words: cx.words,
        }
    }

    /// Row percentages of another measure (`Patients`, then `Died (%)`): the one count column
    /// of the row is the group the share in `pct_col` is of.
    fn share_of_other(&self, pct_col: u32) -> Option<i64> {
        let count_cells = &self.count_cells;
        if count_cells.len() != 1 {
            return None;
        }
        let words = |col: u32| -> Vec<String> {
            self.table
                .column(col)
                .map(|c| tokens(&c.name))
                .unwrap_or_default()
                .into_iter()
                .filter(|t| t.chars().any(char::is_alphabetic))
                .filter(|t| !self.words.is_share_word(t))
                .collect()
        };
        let of = words(pct_col);
        let counted = words(count_cells[0].col);
        (!of.is_empty() && !counted.is_empty() && of.iter().all(|w| !counted.contains(w)))
            .then(|| count_value(&count_cells[0].value))
            .flatten()
            .filter(|n| *n >= 1)
    }

    /// Whether a cell shows a share of 0% or 100% of a group so precisely that it is exact.
    fn exact_all_or_none(&self, cell: &Cell) -> bool {
        let kind = self.table.cell_kind(self.row, cell);
        match &cell.value {
            Value::CountShare { count, share }
                if matches!(kind, Kind::Count | Kind::Percent | Kind::Unknown)
                    && share.value == 100.0 =>
            {
                // n (100%): the group is exactly n when no larger group rounds to 100.
                count_value(count).is_some_and(|n| exact_full(n, share.decimals))
            }
            Value::Number(p) if kind == Kind::Percent && (p.value == 100.0 || p.value == 0.0) => {
                // A share of a group of `n` shown this precisely is exact.
                let others_nonzero = self.plain_shares.iter().any(|o| {
                    o.col != cell.col && matches!(&o.value, Value::Number(q) if q.value != 0.0)
                });
                if p.value == 100.0 {
                    !others_nonzero && self.row_count.is_some_and(|n| exact_full(n, p.decimals))
                } else {
                    self.group_size
                        .or_else(|| self.share_of_other(cell.col))
                        .is_some_and(|n| exact_full(n, p.decimals))
                }
            }
            _ => false,
        }
    }
}
