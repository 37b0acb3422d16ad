//! Percent vectors of a group whose size is only bounded (`docs/tables.md` §4.6): a column of
//! percentages that add up to 100 (a complete partition) under an `N` row that shows `<5`. For
//! each group size `N` within the bound, integer counts must fit every percentage and add up to
//! `N`; when only one `N` fits, the suppressed size and the counts behind the percentages come
//! back. Without a bound the feasible sizes are endless (`3, 6, 9, …`) and nothing is flagged.

use super::Emit;
use crate::audit::percent::{percent_vector, PercentVectorVerdict};
use crate::audit::Int;
use crate::finding::Severity;
use crate::model::{Table, Value};
use crate::rules::Context;
use crate::table::structure::{CellPos, Structure};

/// Largest bound on `N` enumerated.
const MAX_N: Int = 100_000;

/// What a complete percent vector (shares of one group, adding up to 100) under a bound on the
/// group size gives back: whether the size is one count below `t`, and the indices of the
/// shares whose counts are. `None` when the shares are not one partition or nothing fits.
fn solve(shares: &[(f64, u8)], bound: Int, t: Int) -> Option<(bool, Vec<usize>)> {
    let d = shares.first()?.1;
    if shares.len() < 2 || shares.iter().any(|x| x.1 != d) || d > 3 {
        return None;
    }
    let sum: f64 = shares.iter().map(|x| x.0).sum();
    let slack = shares.len() as f64 * 0.5 * 10f64.powi(-i32::from(d)) + 1e-9;
    if (sum - 100.0).abs() > slack {
        return None;
    }
    let values: Vec<f64> = shares.iter().map(|x| x.0).collect();
    let pv = percent_vector(&values, d, 1, bound, MAX_N, t);
    if pv.truncated {
        return None;
    }
    let size_small = matches!(pv.feasible_n.as_slice(), [only] if *only > 0 && *only < t);
    let counts = pv
        .verdicts
        .iter()
        .filter_map(|v| match v {
            PercentVectorVerdict::CountExactSmall { index } => Some(*index),
            _ => None,
        })
        .collect();
    Some((size_small, counts))
}

/// Row percentages of a group whose size is shown as `<5` in an `N` column of the same row
/// (`Luxembourg;<5;33,3;66,7`): the same check along the row.
fn check_rows(table: &Table, cx: &Context<'_>, emit: &mut Emit<'_>) {
    let t = Int::from(cx.rules.thresholds.min_count);
    let n_cols: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| cx.words.is_n_column(&c.name))
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
        let Some(Value::Suppressed(sup)) = table.value_at(r, ncol) else {
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
            match table.value_at(r, c) {
                Some(Value::Number(n)) if (0.0..=100.0).contains(&n.value) => {
                    cells.push((c, n.value, n.decimals))
                }
                _ => {
                    cells.clear();
                    break;
                }
            }
        }
        let shares: Vec<(f64, u8)> = cells.iter().map(|x| (x.1, x.2)).collect();
        let Some((size_small, counts)) = solve(&shares, bound, t) else {
            continue;
        };
        if size_small {
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
        for index in counts {
            let Some(&(c, _, _)) = cells.get(index) else {
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

/// Run the bounded percent-vector check on a table.
pub(super) fn check(table: &Table, _s: &Structure, cx: &Context<'_>, emit: &mut Emit<'_>) {
    check_rows(table, cx, emit);
    let t = Int::from(cx.rules.thresholds.min_count);
    for c in &table.columns {
        // The group size: a suppressed cell with an upper bound in an `N` row.
        let Some((nrow, bound)) = table.rows.iter().enumerate().find_map(|(r, row)| {
            if !cx.words.is_n_column(&row.label) {
                return None;
            }
            match table.value_at(r, c.col) {
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
            match table.value_at(r, c.col) {
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
            // A complete partition: the percentages add up to 100 within their rounding.
            let shares: Vec<(f64, u8)> = sec.iter().map(|x| (x.1, x.2)).collect();
            let Some((size_small, counts)) = solve(&shares, bound, t) else {
                continue;
            };
            if size_small {
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
            for index in counts {
                let Some(&(r, _, _)) = sec.get(index) else {
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
