//! ## What it does
//! Flags every count from 1 to the threshold minus one (4 under the default threshold of 5): a
//! cell of a count column or row, the n of an `n (%)` cell, the parts of a fraction `3/45`, and a
//! group size written into a header, title or label (`Mean age (n=3)`, `N = 4`). Years, codes
//! and category numbers used as labels are not counts, and estimates (means, SDs, coefficients,
//! p-values) are never read as counts. In a table whose counts are rounded (to 5 or 10, or
//! midpoint 6; declared or seen in the values, docs/tables.md §3.10) a displayed multiple of the
//! base stands for its rounding box and is small only when every value of the box is: rounded
//! to 5, a `5` (3 to 7) is small under a threshold of 10 but not under 6. A table whose title
//! says it counts organisations (`Number of care homes per MSOA`, `Missingness in practice
//! characteristics`, and no persons named) gets warnings instead: a person confirms the unit.
//! A workbook finalised by ACRO says what ACRO found: a cell its risk grid flags `threshold`
//! that still shows a value is an error (under ACRO's own threshold, which may be higher than
//! this profile's), and an output whose ACRO summary asks for review for a reason this tool
//! does not know (a custom output) is a warning (docs/tables.md §12).
//!
//! ## Why is this bad?
//! A cell that counts fewer persons than the threshold can identify them: whoever knows one of
//! the few learns about the others. Every guideline in force sets a minimum per cell at the
//! lowest level of aggregation: 5 in Denmark, Finland and Belgium, 10 in most UK environments.
//! An `n` that stands beside a mean, median or percentage counts too: a mean of three values
//! tells each contributor a lot about the other two.
//!
//! ## Example
//! ```text
//! Kommune;Antal;Andel (%)
//! Aarhus;1204;61,2
//! Samsø;3;0,2        <- small-count: count below 5 in column 'Antal'
//! ```
//! Suppress the cell (`<5`, `n<5`, `x`) and make sure it cannot be calculated back from totals
//! (see `back-calculation`), or merge categories until every cell holds at least 5.
//!
//! ## Options
//! `[thresholds] min_count` (default 5; `uk` profile 10; `--threshold N` overrides),
//! `[thresholds] zero_is_unsafe` (default false: zeros are allowed), the header words in
//! `[vocabulary]` that tell counts from other columns.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: no cell under 5 observations.
//! Findata, producing anonymous results: minimum cell frequency. Eurostat/ESSnet Guidelines for
//! the checking of output based on microdata research (2015), threshold rule.

use crate::audit::rounding::{rounding_box, RoundingScheme};
use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Kind, Row, Table, Value};
use crate::redact::{group_sizes, safe_label};
use crate::rules::{
    Checks, Context, FileFacts, FileRule, Listing, RowRule, RowState, Rule, TableInput, TableRule,
};

pub const RULE: Rule = Rule {
    id: "small-count",
    severity: Severity::Error,
    summary: "a count (or the n behind a mean, median, percentage or rate) from 1 to threshold-1",
    source: include_str!("small_count.rs"),
    checks: Checks {
        table: Some(&SmallCount),
        file: Some(&SmallCount),
        rows: Some(&SmallCount),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct SmallCount;

/// What ACRO said of the file, where it names this rule's check.
impl FileRule for SmallCount {
    fn check(&self, file: &FileFacts<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        crate::rules::prior::findings(ID, file, out);
    }
}

impl TableRule for SmallCount {
    fn check(&self, input: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let table = input.table;
        let mut state = TableState {
            rounding: input.structure(cx).rounding.map(|r| r.scheme),
            ..TableState::default()
        };
        state.unit_of(table, cx);
        for row in &table.rows {
            check_row(table, row, cx, &mut state, out);
        }
        check_labels(table, cx, out);
        state.finish(table, out);
    }
}

impl RowRule for SmallCount {
    fn start(&self) -> Box<dyn RowState> {
        Box::new(TableState::default())
    }
}

impl RowState for TableState {
    fn row(&mut self, table: &Table, row: &Row, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check_row(table, row, cx, self, out);
    }

    fn finish(self: Box<Self>, table: &Table, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        TableState::finish(*self, table, out);
    }
}

/// Counts the findings of one table, so that a large table lists a bounded number.
#[derive(Debug, Default)]
pub struct TableState {
    listing: Option<Listing>,
    /// The rounding the table's counts show (docs/tables.md §3.10): a displayed multiple of the
    /// base stands for its rounding box, and is small only when every value of the box is.
    /// Streamed rows have no structure and keep `None`: every value is taken as shown.
    rounding: Option<RoundingScheme>,
    /// The organisations the table's title says it counts (`Number of care homes per MSOA`),
    /// once looked up: small counts of them are warnings, not errors.
    unit: Option<Option<String>>,
}

impl TableState {
    /// Whether a displayed count is small: its rounding box all small in a rounded table, else
    /// the value itself.
    fn is_small_count(&self, n: i64, cx: &Context<'_>) -> bool {
        // The small values are one interval (1..t-1, or 0..t-1 when zeros are unsafe): a box is
        // all small when both its ends are.
        let small = |v: i128| i64::try_from(v).is_ok_and(|v| is_small(v, cx));
        match self.rounding.and_then(|s| rounding_box(s, i128::from(n))) {
            Some((lo, hi)) => small(lo) && small(hi),
            None => is_small(n, cx),
        }
    }
}

impl TableState {
    /// The organisations the table counts, looked up once from its title.
    fn unit_of(&mut self, table: &Table, cx: &Context<'_>) -> Option<&str> {
        self.unit
            .get_or_insert_with(|| cx.words.organisation_counted(&table.title))
            .as_deref()
    }

    fn push(&mut self, mut f: Finding, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.rules.thresholds.min_count;
        let severity = if self.unit.as_ref().is_some_and(Option::is_some) {
            Severity::Warning
        } else {
            Severity::Error
        };
        f.severity = severity;
        self.listing
            .get_or_insert_with(|| Listing::new(ID, severity, format!("counts below {t}")))
            .push(f, out);
    }

    /// One finding for the cells past the listing limit.
    pub fn finish(self, table: &Table, out: &mut Vec<Finding>) {
        if let Some(l) = self.listing {
            l.finish(table, out);
        }
    }
}

/// Whether `n` is a small count under the rules in force.
pub fn is_small(n: i64, cx: &Context<'_>) -> bool {
    (n > 0 && n < i64::from(cx.rules.thresholds.min_count))
        || (n == 0 && cx.rules.thresholds.zero_is_unsafe)
}

/// The whole number a count cell shows, if any: `17`, `17.0` in a count column.
fn count_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) if !n.percent && n.value.fract() == 0.0 && n.value.abs() < 9.0e15 => {
            Some(n.value as i64)
        }
        _ => None,
    }
}

/// Check the cells of one row.
pub fn check_row(
    table: &Table,
    row: &Row,
    cx: &Context<'_>,
    state: &mut TableState,
    out: &mut Vec<Finding>,
) {
    let t = cx.rules.thresholds.min_count;
    for cell in &row.cells {
        let kind = table.cell_kind(row, cell);
        let what = match (&cell.value, kind) {
            (Value::CountShare { count, .. }, Kind::Count | Kind::Percent | Kind::Unknown) => {
                count_of(count)
                    .filter(|n| state.is_small_count(*n, cx))
                    .map(|_| "an n (%) cell of")
            }
            (
                Value::Fraction {
                    numerator,
                    denominator,
                },
                Kind::Count | Kind::Percent | Kind::Unknown,
            ) => {
                if is_small(*numerator, cx) || is_small(*denominator, cx) {
                    Some("a fraction in")
                } else {
                    None
                }
            }
            (v, Kind::Count) => count_of(v)
                .filter(|n| state.is_small_count(*n, cx))
                .map(|_| "column"),
            _ => None,
        };
        if let Some(what) = what {
            let column = table.column_label(cell.col);
            let column = column.trim_start_matches("column ");
            let place = if what == "column" {
                format!("column {column}")
            } else {
                format!("{what} column {column}")
            };
            // Bare numbers in a row label (a category code such as persons in the household,
            // the row numbers R prints) are left out: the message must not read as a count.
            let named: Vec<&str> = row
                .label
                .split(" / ")
                .map(str::trim)
                .filter(|part| !part.chars().all(|c| c.is_ascii_digit()))
                .collect();
            let of = match state.unit_of(table, cx) {
                Some(unit) => format!(" of {unit} (organisations, not persons: confirm the unit)"),
                None => String::new(),
            };
            let message = if named.is_empty() {
                format!("count below {t}{of} in {place}")
            } else {
                format!(
                    "count below {t}{of} in {place}, row '{}'",
                    short(&named.join(" / "))
                )
            };
            state.push(finding(table, cell, message), cx, out);
        }
    }
}

fn finding(table: &Table, cell: &Cell, message: String) -> Finding {
    Finding::new(
        ID,
        Severity::Error,
        message,
        table.locate(cell),
        basis(&[&table.digest, cell.text.as_bytes()]),
    )
}

/// Group sizes written into headers, titles and row labels: `(n=3)`, `N = 4`.
pub fn check_labels(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let t = cx.rules.thresholds.min_count;
    for header_row in &table.header {
        for cell in header_row {
            if small_group_size(&cell.text, cx) {
                out.push(finding(
                    table,
                    cell,
                    format!(
                        "group size below {t} in the header of column {}",
                        table.column_label(cell.col)
                    ),
                ));
            }
        }
    }
    for row in &table.rows {
        for cell in &row.cells {
            if matches!(cell.value, Value::Label) && small_group_size(&cell.text, cx) {
                out.push(finding(
                    table,
                    cell,
                    format!("group size below {t} in a row label"),
                ));
            }
        }
    }
    for line in &table.title {
        if small_group_size(line, cx) {
            out.push(Finding::new(
                ID,
                Severity::Error,
                format!("group size below {t} in a title line of the table"),
                table.location(),
                basis(&[&table.digest, line.as_bytes()]),
            ));
        }
    }
}

fn small_group_size(text: &str, cx: &Context<'_>) -> bool {
    group_sizes(text).any(|n| is_small(n, cx))
}

/// A label cut to a readable length for messages, with any group size in it hidden.
fn short(label: &str) -> String {
    let label = safe_label(label);
    let label = label.trim();
    if label.chars().count() > 40 {
        let cut: String = label.chars().take(37).collect();
        format!("{cut}...")
    } else {
        label.to_string()
    }
}
