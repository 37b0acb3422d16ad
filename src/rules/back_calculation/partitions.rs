//! Two tables of one file that partition the same cases by different variables (care-home type,
//! institution) and print the same count columns (`n_hh`, `n_pat`, `n_case`): each measure's
//! total is the same in both, so a redacted row of one (`<NA> … [REDACTED]`) is the other's total
//! minus its shown rows.
//!
//! The link is made on evidence only: the tables have different row variables (stub headers), no
//! total rows (each is a partition, not a margin), at least two count columns of the same name,
//! no measure whose totals contradict (both shown and different, or the shown part of one above
//! the other's whole), and either a measure both show in full with equal non-zero totals, or two
//! measures whose totals agree within [`NEAR`] of the larger (two partitions of millions agreeing
//! to a few persons in every measure are one population). Then the hidden cells are unknowns,
//! each shared measure an equation, and the audit gives back what the two totals recover.

use std::collections::BTreeMap;

use crate::audit::{audit, Int, System, Unknown, VarId, VerdictCode};
use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Kind, Table};
use crate::redact::safe_label;
use crate::rules::Context;
use crate::table::structure::{self, Shown};

use super::ID;

/// Totals of one measure within this share of the larger agree (evidence of one population).
const NEAR: f64 = 0.01;
/// Pairs of tables of one file compared at most.
const MAX_PAIRS: usize = 5_000;

/// A count column's measure: its name without R's type line (`n_hh / <int>` → `n_hh`).
fn measure(name: &str) -> String {
    name.split(" / ")
        .map(str::trim)
        .filter(|p| !(p.starts_with('<') && p.ends_with('>')))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The stub header: the names of the label columns right of a row index.
fn stub(t: &Table) -> String {
    t.columns
        .iter()
        .filter(|c| c.kind == Kind::Label)
        .map(|c| measure(&c.name))
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

/// A row label without the row number an R tibble or data frame prints before it (`4 / <NA>`
/// → `<NA>`): a position, not a name.
fn without_index(label: &str) -> String {
    label
        .split(" / ")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.bytes().all(|b| b.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// One side of a measure: its column's cells, the sum of those shown, and whether all are.
struct Side<'t> {
    cells: Vec<&'t Cell>,
    shown: Int,
    full: bool,
}

fn side(t: &Table, col: u32) -> Option<Side<'_>> {
    let mut s = Side {
        cells: Vec::new(),
        shown: 0,
        full: true,
    };
    for r in &t.rows {
        let Some(c) = r.cell(col) else { continue };
        match structure::shown(&c.value)? {
            Shown::Exact(v) => s.shown += v,
            Shown::Hidden { lo, .. } => {
                s.shown += lo;
                s.full = false;
            }
            Shown::Empty => s.full = false,
        }
        s.cells.push(c);
    }
    Some(s)
}

/// The shared measures of two tables, each as its two sides, when they are one population.
fn linked<'t>(
    a: &'t Table,
    b: &'t Table,
    cx: &Context<'_>,
) -> Option<Vec<(String, Side<'t>, Side<'t>)>> {
    let (sa, sb) = (stub(a), stub(b));
    let totals = |t: &Table| t.rows.iter().any(|r| cx.lexicon.is_total(r.label.trim()));
    if sa.is_empty() || sb.is_empty() || sa == sb || totals(a) || totals(b) {
        return None;
    }
    let counts = |t: &'t Table| -> BTreeMap<String, u32> {
        t.columns
            .iter()
            .filter(|c| c.kind == Kind::Count)
            .map(|c| (measure(&c.name), c.col))
            .collect()
    };
    let (ca, cb) = (counts(a), counts(b));
    let mut shared = Vec::new();
    let (mut equal, mut near, mut hidden) = (0, 0, false);
    for (m, &col_a) in &ca {
        let Some(&col_b) = cb.get(m) else { continue };
        let (x, y) = (side(a, col_a)?, side(b, col_b)?);
        hidden |= !x.full || !y.full;
        match (x.full, y.full) {
            (true, true) if x.shown != y.shown => return None,
            (true, true) => equal += usize::from(x.shown > 0),
            (true, false) | (false, true) => {
                let (whole, part) = if x.full {
                    (x.shown, y.shown)
                } else {
                    (y.shown, x.shown)
                };
                if part > whole {
                    return None;
                }
                near += usize::from(whole > 0 && (whole - part) as f64 <= NEAR * whole as f64);
            }
            (false, false) => {}
        }
        shared.push((m.clone(), x, y));
    }
    (shared.len() >= 2 && hidden && (equal >= 1 || near >= 2)).then_some(shared)
}

/// Findings for the hidden cells that two partitions of one file give back below the threshold.
pub(super) fn check_file(tables: &[Table], cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut pairs = 0;
    for (i, a) in tables.iter().enumerate() {
        for b in &tables[i + 1..] {
            pairs += 1;
            if pairs > MAX_PAIRS {
                return out;
            }
            if let Some(shared) = linked(a, b, cx) {
                audit_pair([a, b], &shared, cx, &mut out);
            }
        }
    }
    out
}

fn audit_pair(
    tables: [&Table; 2],
    shared: &[(String, Side<'_>, Side<'_>)],
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
) {
    let mut sys = System::new();
    let mut holes: Vec<(usize, &Cell, &str)> = Vec::new();
    for (m, x, y) in shared {
        let mut terms: Vec<(VarId, Int)> = Vec::new();
        let mut rhs: Int = 0;
        for (side, (s, sign)) in [(x, 1 as Int), (y, -1)].into_iter().enumerate() {
            for c in &s.cells {
                let (lo, hi) = match structure::shown(&c.value) {
                    Some(Shown::Exact(v)) => {
                        rhs -= sign * v;
                        continue;
                    }
                    Some(Shown::Hidden { lo, hi }) => (lo, hi),
                    _ => (0, None),
                };
                let name = format!("cell {}", holes.len());
                terms.push((
                    sys.add_unknown(Unknown::suppressed(&name).with_box(lo, hi)),
                    sign,
                ));
                holes.push((side, c, m.as_str()));
            }
        }
        if sys
            .add_eq(terms, rhs, &format!("the totals of '{}'", safe_label(m)))
            .is_err()
        {
            return;
        }
    }
    let cfg = cx.audit_config();
    let res = audit(&sys, &cfg);
    if res.inconsistent {
        return;
    }
    for v in &res.verdicts {
        let exact = match v.code {
            VerdictCode::ExactSmall => true,
            VerdictCode::NarrowedSmall => false,
            _ => continue,
        };
        let Some(&(side, cell, m)) = v.vars.first().and_then(|var| holes.get(var.0)) else {
            continue;
        };
        out.push(finding(tables[side], tables[1 - side], cell, m, exact, cx));
    }
}

fn finding(
    here: &Table,
    other: &Table,
    cell: &Cell,
    m: &str,
    exact: bool,
    cx: &Context<'_>,
) -> Finding {
    let th = cx.rules.thresholds.min_count;
    let how = if exact {
        "exactly".to_string()
    } else {
        format!("to a few values all below {th}")
    };
    let row = here
        .rows
        .iter()
        .find(|r| r.cells.iter().any(|c| c.row == cell.row))
        .map_or(String::new(), |r| without_index(&r.label));
    let line = other
        .rows
        .first()
        .and_then(|r| r.cells.first())
        .and_then(|c| c.line)
        .unwrap_or(0);
    let msg = format!(
        "suppressed count below {th} recovered {how} by subtraction within this file: the table at line {line} counts the same cases by another variable with the same measures, and their totals agree, so its total of '{}' minus this table's shown rows gives back this cell (row '{}')",
        safe_label(m),
        safe_label(&row),
    );
    Finding::new(
        ID,
        Severity::Error,
        msg,
        here.locate(cell),
        basis(&[
            &here.digest,
            &other.digest,
            b"two-partitions",
            &cell.col.to_le_bytes(),
            row.as_bytes(),
        ]),
    )
}
