//! Cumulative series (`docs/tables.md` §4.8): consecutive values of a number-at-risk or cumulative
//! column (or row) differ by a derived count, the events and censorings between two time points;
//! a step from 1 to threshold−1 is such a count.

use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Table, Value};
use crate::rules::{Context, MAX_LISTED_PER_TABLE};

use super::ID;

/// Flag the small steps of the table's cumulative series.
pub(super) fn check(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let t = i64::from(cx.rules.thresholds.min_count);
    for (name, cells) in series(table, cx) {
        let values: Vec<(&Cell, i64)> = cells
            .iter()
            .filter_map(|c| whole(&c.value).map(|v| (*c, v)))
            .collect();
        if values.len() < 2 || values.windows(2).any(|w| w[1].1 > w[0].1) {
            // Not a non-increasing series: not a number at risk.
            continue;
        }
        let mut listed = 0;
        for w in values.windows(2) {
            let step = w[0].1 - w[1].1;
            if step > 0 && step < t && listed < MAX_LISTED_PER_TABLE {
                listed += 1;
                out.push(Finding::new(
                    ID,
                    Severity::Error,
                    format!(
                        "the step down the cumulative series in {name} ending here is a count below {t} (the events and censorings between two time points)"
                    ),
                    table.locate(w[1].0),
                    basis(&[&table.digest, b"at-risk", w[1].0.text.as_bytes()]),
                ));
            }
        }
    }
}

/// A whole, non-negative count.
fn whole(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n)
            if !n.percent && n.value.fract() == 0.0 && n.value >= 0.0 && n.value < 9.0e15 =>
        {
            Some(n.value as i64)
        }
        _ => None,
    }
}

/// The series of a table, named: down a column, or along a row, whose label says "at risk"
/// (`[vocabulary] at_risk`).
fn series<'t>(table: &'t Table, cx: &Context<'_>) -> Vec<(String, Vec<&'t Cell>)> {
    let mut series: Vec<(String, Vec<&Cell>)> = Vec::new();
    for c in &table.columns {
        if cx.words.is_at_risk(&c.name) {
            let cells = table.rows.iter().filter_map(|r| r.cell(c.col)).collect();
            series.push((format!("column {}", table.column_label(c.col)), cells));
        }
    }
    for r in &table.rows {
        if cx.words.is_at_risk(&r.label) {
            let cells = r
                .cells
                .iter()
                .filter(|x| whole(&x.value).is_some())
                .collect();
            series.push((
                format!("row '{}'", crate::redact::safe_label(&r.label)),
                cells,
            ));
        }
    }
    series
}
