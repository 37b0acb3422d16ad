//! Percent vectors of a group whose size is only bounded (spec §3.7, TC-22): a column of
//! percentages that add up to 100 (a complete partition) under an `N` row that shows `<5`. For
//! each group size `N` within the bound, integer counts must fit every percentage and add up to
//! `N`; when only one `N` fits, the suppressed size and the counts behind the percentages come
//! back. Without a bound the feasible sizes are endless (`3, 6, 9, …`) and nothing is flagged.

use super::{is_n_column, Emit};
use crate::audit::percent::{percent_vector, PercentVectorVerdict};
use crate::audit::Int;
use crate::finding::Severity;
use crate::model::{Table, Value};
use crate::rules::Context;
use crate::table::structure::{CellPos, Structure};

/// Largest bound on `N` enumerated.
const MAX_N: Int = 100_000;

fn value_at(table: &Table, r: usize, col: u32) -> Option<&Value> {
    table
        .rows
        .get(r)?
        .cells
        .iter()
        .find(|c| c.col == col)
        .map(|c| &c.value)
}

/// Row percentages of a group whose size is shown as `<5` in an `N` column of the same row
/// (`Luxembourg;<5;33,3;66,7`): the same check along the row.
fn check_rows(table: &Table, cx: &Context<'_>, emit: &mut Emit<'_>) {
    let t = Int::from(cx.rules.min_count);
    let n_cols: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| is_n_column(&c.name))
        .map(|c| c.col)
        .collect();
    let pct_cols: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| c.kind == crate::model::Kind::Percent || c.name.contains('%'))
        .filter(|c| !n_cols.contains(&c.col))
        .map(|c| c.col)
        .collect();
    if n_cols.len() != 1 || pct_cols.len() < 2 {
        return;
    }
    let ncol = n_cols[0];
    for (r, _) in table.rows.iter().enumerate() {
        let Some(Value::Suppressed(sup)) = value_at(table, r, ncol) else {
            continue;
        };
        let Some(bound) = sup.high.map(Int::from) else {
            continue;
        };
        if !(1..=MAX_N).contains(&bound) {
            continue;
        }
        let mut cells: Vec<(u32, f64, u8)> = Vec::new();
        for &c in &pct_cols {
            match value_at(table, r, c) {
                Some(Value::Number(n)) if (0.0..=100.0).contains(&n.value) => {
                    cells.push((c, n.value, n.decimals))
                }
                _ => {
                    cells.clear();
                    break;
                }
            }
        }
        if cells.len() < 2 {
            continue;
        }
        let d = cells[0].2;
        if cells.iter().any(|x| x.2 != d) || d > 3 {
            continue;
        }
        let sum: f64 = cells.iter().map(|x| x.1).sum();
        let slack = cells.len() as f64 * 0.5 * 10f64.powi(-i32::from(d)) + 1e-9;
        if (sum - 100.0).abs() > slack {
            continue;
        }
        let values: Vec<f64> = cells.iter().map(|x| x.1).collect();
        let pv = percent_vector(&values, d, 1, bound, MAX_N, t);
        if pv.truncated {
            continue;
        }
        if let [only] = pv.feasible_n.as_slice() {
            if *only > 0 && *only < t {
                let message = format!(
                    "the suppressed group size in {} is a count below {t} that can be calculated back exactly from the percentages beside it and its bound [B1]",
                    table.column_label(ncol)
                );
                emit.push(
                    table,
                    CellPos { row: r, col: ncol },
                    Severity::Error,
                    message,
                    b"vector-row-n",
                );
            }
        }
        for v in &pv.verdicts {
            if let PercentVectorVerdict::CountExactSmall { index } = v {
                let Some(&(c, _, _)) = cells.get(*index) else {
                    continue;
                };
                let message = format!(
                    "the percentage in {} gives back exactly a count below {t} [B1]: only one group size within the bound of the suppressed N of this row fits its percentages",
                    table.column_label(c)
                );
                emit.push(
                    table,
                    CellPos { row: r, col: c },
                    Severity::Error,
                    message,
                    b"vector-row-count",
                );
            }
        }
    }
}

/// Run the bounded percent-vector check on a table.
pub(super) fn check(table: &Table, _s: &Structure, cx: &Context<'_>, emit: &mut Emit<'_>) {
    check_rows(table, cx, emit);
    let t = Int::from(cx.rules.min_count);
    for c in &table.columns {
        // The group size: a suppressed cell with an upper bound in an `N` row.
        let Some((nrow, bound)) = table.rows.iter().enumerate().find_map(|(r, row)| {
            if !is_n_column(&row.label) {
                return None;
            }
            match value_at(table, r, c.col) {
                Some(Value::Suppressed(s)) => s.high.map(|h| (r, Int::from(h))),
                _ => None,
            }
        }) else {
            continue;
        };
        if !(1..=MAX_N).contains(&bound) {
            continue;
        }
        // Sections of percentages below it: runs of per-cent cells.
        let mut sections: Vec<Vec<(usize, f64, u8)>> = Vec::new();
        let mut cur: Vec<(usize, f64, u8)> = Vec::new();
        for r in 0..table.rows.len() {
            match value_at(table, r, c.col) {
                Some(Value::Number(n)) if n.percent && (0.0..=100.0).contains(&n.value) => {
                    cur.push((r, n.value, n.decimals));
                }
                _ => {
                    if !cur.is_empty() {
                        sections.push(std::mem::take(&mut cur));
                    }
                }
            }
        }
        if !cur.is_empty() {
            sections.push(cur);
        }
        for sec in sections {
            if sec.len() < 2 {
                continue;
            }
            let d = sec[0].2;
            if sec.iter().any(|x| x.2 != d) || d > 3 {
                continue;
            }
            // A complete partition: the percentages add up to 100 within their rounding.
            let sum: f64 = sec.iter().map(|x| x.1).sum();
            let slack = sec.len() as f64 * 0.5 * 10f64.powi(-i32::from(d)) + 1e-9;
            if (sum - 100.0).abs() > slack {
                continue;
            }
            let values: Vec<f64> = sec.iter().map(|x| x.1).collect();
            let pv = percent_vector(&values, d, 1, bound, MAX_N, t);
            if pv.truncated {
                continue;
            }
            if let [only] = pv.feasible_n.as_slice() {
                if *only > 0 && *only < t {
                    let message = format!(
                        "the suppressed group size in {} is a count below {t} that can be calculated back exactly from the percentages below it and its bound [B1]",
                        table.column_label(c.col)
                    );
                    emit.push(
                        table,
                        CellPos {
                            row: nrow,
                            col: c.col,
                        },
                        Severity::Error,
                        message,
                        b"vector-n",
                    );
                }
            }
            for v in &pv.verdicts {
                if let PercentVectorVerdict::CountExactSmall { index } = v {
                    let Some(&(r, _, _)) = sec.get(*index) else {
                        continue;
                    };
                    let message = format!(
                        "the percentage in {} gives back exactly a count below {t} [B1]: only one group size within the bound of the suppressed N fits the percentages of this section",
                        table.column_label(c.col)
                    );
                    emit.push(
                        table,
                        CellPos { row: r, col: c.col },
                        Severity::Error,
                        message,
                        b"vector-count",
                    );
                }
            }
        }
    }
}
