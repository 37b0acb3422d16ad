//! ## What it does
//! Finds the totals, sub-totals and other sums of a table (total rows and columns named
//! `Total`, `I alt`, `Yhteensä`, `Totalt`, `Insgesamt` …, sums found by the numbers alone,
//! indented or coded sub-groups, age bands that tile a wider band, `Total` categories of a long
//! table, "Table 1" blocks under a header `N = …`), confirms each numerically, and then audits
//! the table as a linear system: published counts are constants, suppressed cells (`<5`, `x`,
//! `[REDACTED]`, the n of `<5 (2.2%)`) are unknowns with the bounds their markers give, and
//! rounded cells are boxes of the true values behind them. It flags a suppressed cell that can be
//! calculated back exactly to a value from 1 to the threshold minus one (B1), suppressed cells
//! whose sum is known exactly and small (B2, the Danish group-sum rule, which covers an implied
//! "missing" category of a Table 1 block), and a cell narrowed to at most `narrow_max_values`
//! values, all below the threshold (B3). It warns about cells narrowed below the threshold to
//! more values (B3w), suppressions that hide nothing (B5), lines with only two primary
//! suppressions (B6), relations that cannot all hold (S3) and labelled totals that do not add up
//! (S1). Steps of a cumulative series (the number at risk of a survival table, cumulative
//! counts) are derived counts: a step from 1 to the threshold minus one is flagged too. A table
//! with no totals or sub-totals gets one info finding saying its cells were treated
//! as independent. Messages say how a cell can be recovered, never the value.
//!
//! ## Why is this bad?
//! Suppressing a small cell protects nobody when the row total minus the visible cells gives it
//! back. Statistics Denmark's rule is explicit: it must not be possible to calculate back to a
//! value under 5, from totals, sums, percentages or other tables. Secondary suppression (at least
//! two hidden cells in every line, with sums that are not small) is what makes primary
//! suppression work.
//!
//! ## Example
//! ```text
//! Age band,Heart disease,Population
//! 21-30,[REDACTED],[REDACTED]   <- back-calculation: recovered exactly from row 'Total'
//! 31-40,10,100
//! 41-50,15,90
//! 51+,25,85
//! Total,51,276
//! ```
//! Suppress further cells in every line (at least two per row and column, whose sum is not
//! small), suppress or round the totals, or merge categories.
//!
//! ## Options
//! `[thresholds] min_count` and `zero_is_unsafe`; `[back_calculation] narrow_max_values`
//! (default 2), `max_unknowns` (default 5000: larger tables are not audited and an info
//! finding says so) and `recovered_zero_fails` (default false: a suppressed cell, a marker or a
//! blank among counts, that can be calculated back exactly as 0 is a warning; the `uk` profile
//! makes it an error, as ACRO and SACRO suppress zeros as disclosive); the total words in
//! `[vocabulary] total`.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: no back-calculation to values under
//! 5. Hundepool et al., Handbook on Statistical Disclosure Control (2024), ch. 5 (frequency
//! tables: disclosure by differencing and from margins; rounding). τ-ARGUS manual §2.15 (audit).
//! OpenSAFELY documentation, releasing files: primary and secondary disclosure.

use std::collections::{BTreeSet, HashMap};

use crate::audit::{
    audit, AuditConfig, Origin, RelId, Severity as ASeverity, System, Unknown, VarId, VerdictCode,
};
use crate::finding::{basis, Finding, Severity};
use crate::model::{cell_ref, Cell, Location, Table, Value};
use crate::rules::{Checks, Context, Rule, TableInput, TableRule, MAX_LISTED_PER_TABLE};
use crate::table::structure::{self, CellPos, Sense, Shown, Structure, Total};

pub const RULE: Rule = Rule {
    id: "back-calculation",
    severity: Severity::Error,
    summary: "a suppressed or small cell that can be recovered, exactly or within a too-narrow interval, from totals, subtotals or other cells of the same table",
    source: include_str!("back_calculation.rs"),
    checks: Checks {
        table: Some(&BackCalculation),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct BackCalculation;

impl TableRule for BackCalculation {
    fn check(&self, input: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check(input.table, input.structure(cx), cx, out);
    }
}

/// The location of a cell by its row index and column.
pub(crate) fn locate(table: &Table, pos: CellPos) -> Location {
    let Some(row) = table.rows.get(pos.row) else {
        return table.location();
    };
    match row.cells.iter().find(|c| c.col == pos.col) {
        Some(cell) => table.locate(cell),
        None => {
            let r = row.cells.first().map_or(0, |c| c.row);
            Location {
                member: table.member.clone(),
                sheet: table.sheet.clone(),
                table: Some(table.index),
                row: Some(r),
                column: Some(pos.col),
                cell: Some(cell_ref(r, pos.col)),
                line: row.cells.first().and_then(|c| c.line),
            }
        }
    }
}

/// Spreadsheet name of a cell: `B4`.
fn cell_name(table: &Table, pos: CellPos) -> String {
    let loc = locate(table, pos);
    loc.cell.unwrap_or_else(|| format!("column {}", pos.col))
}

fn line_label(table: &Table, s: &Structure, rel: &structure::Relation) -> String {
    let group = &s.groups[rel.group].label;
    match rel.total {
        Total::Cell(p) => {
            if rel.parts.iter().all(|q| q.col == p.col) && !group.starts_with("column") {
                format!("{group} in {}", table.column_label(p.col))
            } else if rel.parts.iter().all(|q| q.row == p.row) {
                let label = table.rows.get(p.row).map(|r| r.label.trim()).unwrap_or("");
                if label.is_empty() {
                    format!("{group} in its row")
                } else {
                    format!(
                        "{group} in row '{}'",
                        crate::redact::safe_label(label)
                            .chars()
                            .take(40)
                            .collect::<String>()
                    )
                }
            } else {
                group.clone()
            }
        }
        Total::Constant(_) => match rel.parts.first() {
            Some(q) => format!("{group} in {}", table.column_label(q.col)),
            None => group.clone(),
        },
    }
}

/// What an unknown of the system stands for.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Cell(CellPos),
    /// The implied residual of a relation (its index in the structure).
    Residual(usize),
}

struct Built {
    sys: System,
    slots: Vec<Slot>,
    /// For each system relation, the structure relation it came from.
    rel_of: Vec<usize>,
    hidden_cells: usize,
}

fn build(table: &Table, s: &Structure, t: i128) -> Built {
    let mut sys = System::new();
    let mut slots: Vec<Slot> = Vec::new();
    let mut vars: HashMap<CellPos, VarId> = HashMap::new();
    let mut rel_of: Vec<usize> = Vec::new();
    let mut hidden_cells = 0;
    let rounding = s.rounding;
    let cell_shown = |p: CellPos| -> Option<Shown> {
        let row = table.rows.get(p.row)?;
        let cell = row.cells.iter().find(|c| c.col == p.col);
        match cell {
            Some(c) => structure::shown(&c.value),
            None => Some(Shown::Empty),
        }
    };
    for (ri, rel) in s.relations.iter().enumerate() {
        let group = &s.groups[rel.group];
        let label = line_label(table, s, rel);
        let mut terms: Vec<(VarId, i128)> = Vec::new();
        let mut rhs: i128 = 0;
        let mut visible = 0usize;
        let mut ok = true;
        let mut members: Vec<(Total, i128)> =
            rel.parts.iter().map(|&p| (Total::Cell(p), 1)).collect();
        members.push((rel.total, -1));
        for (m, coef) in members {
            let p = match m {
                Total::Constant(v) => {
                    rhs = match rhs.checked_sub(coef * v) {
                        Some(x) => x,
                        None => {
                            ok = false;
                            break;
                        }
                    };
                    continue;
                }
                Total::Cell(p) => p,
            };
            let Some(sh) = cell_shown(p) else {
                ok = false;
                break;
            };
            if group.excludes_suppressed && coef == 1 && !matches!(sh, Shown::Exact(_)) {
                continue;
            }
            let boxed = match sh {
                Shown::Exact(v) => rounding
                    .filter(|_| group.rounded || !rounding.is_some_and(|r| r.sum_of_rounded))
                    .and_then(|r| r.true_box(v)),
                _ => None,
            };
            match (sh, boxed) {
                (Shown::Exact(v), None) => {
                    rhs = match rhs.checked_sub(coef * v) {
                        Some(x) => x,
                        None => {
                            ok = false;
                            break;
                        }
                    };
                    visible += 1;
                }
                _ => {
                    let v = *vars.entry(p).or_insert_with(|| {
                        let name = cell_name(table, p);
                        let u = match (sh, boxed) {
                            (Shown::Exact(_), Some((lo, hi))) => Unknown::rounded(&name, lo, hi),
                            (Shown::Hidden { lo, hi }, _) => {
                                hidden_cells += 1;
                                let u = Unknown::suppressed(&name).with_box(lo, hi);
                                if hi.is_some_and(|h| h < t) {
                                    u.primary()
                                } else {
                                    u
                                }
                            }
                            _ => {
                                hidden_cells += 1;
                                Unknown::suppressed(&name)
                            }
                        };
                        slots.push(Slot::Cell(p));
                        sys.add_unknown(u)
                    });
                    terms.push((v, coef));
                }
            }
        }
        if !ok {
            continue;
        }
        if rel.residual {
            let name = match rel.parts.first() {
                Some(q) => format!("residual category in {}", table.column_label(q.col)),
                None => "residual category".to_string(),
            };
            let v = sys.add_unknown(Unknown::of(&name, Origin::Residual));
            slots.push(Slot::Residual(ri));
            terms.push((v, 1));
        }
        if terms.is_empty() && rhs == 0 {
            continue;
        }
        let added = match rel.sense {
            Sense::Eq => sys.add_eq_visible(terms, rhs, &label, visible),
            // parts − total ≤ 0  ⇔  Σ parts ≤ total
            Sense::Le => sys.add_le(terms, rhs, &label),
        };
        if added.is_ok() {
            rel_of.push(ri);
        }
    }
    Built {
        sys,
        slots,
        rel_of,
        hidden_cells,
    }
}

/// Run the rule on one table whose structure is known.
/// Header words of cumulative series whose steps are derived counts: the number at risk of a
/// survival table, cumulative counts.
const AT_RISK_WORDS: &[&str] = &[
    "at risk",
    "number at risk",
    "n at risk",
    "i risiko",
    "antal i risiko",
    "under risiko",
    "riskissä",
    "riskissa",
    "i riskzonen",
    "at-risk",
    "cumulative",
    "kumulativ",
    "kumulatiivinen",
    "cum. freq",
    "cum freq",
];

fn is_at_risk(label: &str) -> bool {
    let l = label.to_lowercase();
    AT_RISK_WORDS.iter().any(|w| l.contains(w))
}

/// Cumulative series (spec §3.3.8 item 5, TC-21): consecutive values of a number-at-risk or
/// cumulative column (or row) differ by a derived count, the events and censorings between two
/// time points; a step from 1 to threshold−1 is such a count.
fn check_at_risk(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let t = i64::from(cx.rules.thresholds.min_count);
    let whole = |v: &Value| match v {
        Value::Number(n)
            if !n.percent && n.value.fract() == 0.0 && n.value >= 0.0 && n.value < 9.0e15 =>
        {
            Some(n.value as i64)
        }
        _ => None,
    };
    // Series down a column, or along a row whose label says "at risk".
    let mut series: Vec<(String, Vec<&Cell>)> = Vec::new();
    for c in &table.columns {
        if is_at_risk(&c.name) {
            let cells = table
                .rows
                .iter()
                .filter_map(|r| r.cells.iter().find(|x| x.col == c.col))
                .collect();
            series.push((format!("column {}", table.column_label(c.col)), cells));
        }
    }
    for r in &table.rows {
        if is_at_risk(&r.label) {
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
    for (name, cells) in series {
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

pub fn check(table: &Table, s: &Structure, cx: &Context<'_>, out: &mut Vec<Finding>) {
    check_at_risk(table, cx, out);
    let t = i128::from(cx.rules.thresholds.min_count);
    let tloc = table.location();
    let digest = &table.digest;
    if table.streamed_rows > 0 {
        out.push(Finding::new(
            ID,
            Severity::Info,
            format!(
                "only the {} rows held in memory were audited for back-calculation; {} more rows streamed past",
                table.rows.len(),
                table.streamed_rows
            ),
            tloc.clone(),
            basis(&[digest, b"streamed"]),
        ));
    }
    for m in &s.mismatches {
        out.push(Finding::new(
            ID,
            Severity::Warning,
            format!(
                "the total in {} does not match the cells it appears to total under any reading (structure mismatch S1); check the table, totals that do not add up can hide or reveal cells",
                m.label
            ),
            locate(table, m.cell),
            basis(&[digest, b"S1", m.label.as_bytes()]),
        ));
    }
    if s.is_empty() {
        // A labelled total that does not add up (S1, reported above) is a structure, if a
        // broken one: saying none was found would contradict it.
        // A single row of counts has nothing to total: no need to say so.
        let lines = s.data_rows.len().max(s.count_cols.len());
        if !s.data_rows.is_empty()
            && !s.count_cols.is_empty()
            && s.mismatches.is_empty()
            && lines >= 2
        {
            let why = if s.scans_skipped {
                " (the table is too large for the label-free scans; only labelled totals were looked for)"
            } else {
                ""
            };
            out.push(Finding::new(
                ID,
                Severity::Info,
                format!("no totals or sub-totals detected: cells treated as independent{why}"),
                tloc,
                basis(&[digest, b"no-structure"]),
            ));
        }
        return;
    }
    for (gi, g) in s.groups.iter().enumerate() {
        if g.excludes_suppressed {
            out.push(Finding::new(
                ID,
                Severity::Info,
                format!(
                    "the totals of {} appear to exclude the suppressed cells (they equal the sum of the visible cells); if they do not, the suppressed cells are 0",
                    g.label
                ),
                tloc.clone(),
                basis(&[digest, b"excludes", &gi.to_le_bytes()]),
            ));
        }
    }
    let built = build(table, s, t);
    if built.sys.unknowns().is_empty() {
        return;
    }
    if built.sys.unknowns().len() > cx.rules.back_calculation.max_unknowns as usize {
        out.push(Finding::new(
            ID,
            Severity::Info,
            format!(
                "the table has {} unknown cells, more than the {} the back-calculation audit handles; it was not audited",
                built.sys.unknowns().len(),
                cx.rules.back_calculation.max_unknowns
            ),
            tloc,
            basis(&[digest, b"too-large"]),
        ));
        return;
    }
    let cfg = AuditConfig {
        min_count: t,
        zero_is_unsafe: cx.rules.thresholds.zero_is_unsafe,
        narrow_max_values: i128::from(cx.rules.back_calculation.narrow_max_values),
        ..AuditConfig::default()
    };
    let res = audit(&built.sys, &cfg);
    let mut listed = 0usize;
    let mut unlisted = 0usize;
    let mut push = |f: Finding, out: &mut Vec<Finding>| {
        if listed < MAX_LISTED_PER_TABLE {
            listed += 1;
            out.push(f);
        } else {
            unlisted += 1;
        }
    };
    let assumed = |rels: &[RelId]| -> Option<String> {
        rels.iter()
            .filter_map(|r| built.rel_of.get(r.0))
            .map(|&ri| &s.groups[s.relations[ri].group])
            .find(|g| !g.confirmed)
            .map(|g| {
                format!(
                    " (this rests on an assumed structure: {} from {}, not confirmed by exact sums)",
                    g.label,
                    g.source.as_str()
                )
            })
    };
    let place_of_var = |v: VarId| -> Location {
        match built.slots.get(v.0) {
            Some(Slot::Cell(p)) => locate(table, *p),
            Some(Slot::Residual(ri)) => match s.relations.get(*ri).map(|r| r.total) {
                Some(Total::Cell(p)) => locate(table, p),
                _ => s
                    .relations
                    .get(*ri)
                    .and_then(|r| r.parts.first())
                    .and_then(|q| {
                        table
                            .header
                            .last()
                            .and_then(|h| h.iter().find(|c| c.col == q.col))
                            .map(|c| table.locate(c))
                    })
                    .unwrap_or_else(|| tloc.clone()),
            },
            None => tloc.clone(),
        }
    };
    let place_of_rel = |r: RelId| -> Option<Location> {
        let ri = *built.rel_of.get(r.0)?;
        let rel = s.relations.get(ri)?;
        match rel.total {
            Total::Cell(p) => Some(locate(table, p)),
            Total::Constant(_) => None,
        }
    };
    let mut reported_zero: BTreeSet<usize> = BTreeSet::new();
    for v in &res.verdicts {
        let (severity, what) = match v.code {
            VerdictCode::ExactSmall => (
                Severity::Error,
                format!("can be calculated back exactly to a count below {t}"),
            ),
            VerdictCode::GroupSumSmall => (
                Severity::Error,
                format!("suppressed cells whose sum can be calculated back exactly, and it is below {t}"),
            ),
            VerdictCode::NarrowedSmall => (
                Severity::Error,
                format!("can be calculated back to at most {} possible values, all below {t}", cfg.narrow_max_values),
            ),
            VerdictCode::NarrowedWarn => (
                Severity::Warning,
                format!("is narrowed by the other cells to values all below {t}"),
            ),
            VerdictCode::IneffectiveSuppression => {
                (Severity::Warning, "suppression hides nothing".to_string())
            }
            VerdictCode::SingletonRisk => (
                Severity::Warning,
                "only two suppressed cells in a line (singleton risk)".to_string(),
            ),
            VerdictCode::Inconsistent => (
                Severity::Warning,
                "the detected relations cannot all hold (S3)".to_string(),
            ),
        };
        let mut severity = match v.severity {
            ASeverity::Fail => severity,
            ASeverity::Review | ASeverity::Warn => Severity::Warning.max(severity),
        };
        let mut note = String::new();
        if severity == Severity::Error {
            if let Some(a) = assumed(&v.relations) {
                severity = Severity::Warning;
                note = a;
            }
        }
        let location = match v.code {
            VerdictCode::GroupSumSmall => {
                let residual_only = v.vars.len() == 1;
                if residual_only {
                    v.vars.first().map(|&x| place_of_var(x))
                } else {
                    v.relations.first().and_then(|&r| place_of_rel(r))
                }
                .or_else(|| v.vars.first().map(|&x| place_of_var(x)))
                .unwrap_or_else(|| tloc.clone())
            }
            VerdictCode::Inconsistent => tloc.clone(),
            _ => v
                .vars
                .first()
                .map(|&x| place_of_var(x))
                .unwrap_or_else(|| tloc.clone()),
        };
        let rounded = v.vars.iter().any(|x| {
            built
                .sys
                .unknown(*x)
                .is_some_and(|u| u.origin == Origin::Rounded)
        });
        let subject = if rounded {
            "the true value behind a rounded cell"
        } else {
            "a suppressed cell"
        };
        let residual = v.vars.len() == 1
            && v.vars.iter().all(|x| {
                built
                    .sys
                    .unknown(*x)
                    .is_some_and(|u| u.origin == Origin::Residual)
            });
        let message = match v.code {
            VerdictCode::GroupSumSmall if residual => format!(
                "an implied residual category (N minus the categories shown) can be calculated back exactly, and it is below {t} [B2]: {}{note}",
                v.derivation
            ),
            VerdictCode::GroupSumSmall => {
                format!("{} [{}]: {}{note}", what, v.code.code(), v.derivation)
            }
            VerdictCode::Inconsistent
            | VerdictCode::SingletonRisk
            | VerdictCode::IneffectiveSuppression => {
                format!("{} [{}]{note}", v.derivation, v.code.code())
            }
            _ => format!("{subject} {what} [{}]: {}{note}", v.code.code(), v.derivation),
        };
        let key = format!("{}:{:?}:{:?}", v.code.code(), v.vars, v.relations);
        push(
            Finding::new(
                ID,
                severity,
                message,
                location,
                basis(&[digest, key.as_bytes()]),
            ),
            out,
        );
    }
    // A suppressed marker recovered exactly as 0 when zeros are allowed: the suppression hides
    // nothing.
    if !cx.rules.thresholds.zero_is_unsafe {
        for iv in &res.intervals {
            let Some(u) = built.sys.unknown(iv.var) else {
                continue;
            };
            // A marker, or a blank among counts (ACRO and others leave suppressed cells empty).
            let is_marker = matches!(built.slots.get(iv.var.0), Some(Slot::Cell(p))
                if matches!(table.rows.get(p.row).and_then(|r| r.cells.iter().find(|c| c.col == p.col)).map(|c| structure::shown(&c.value)), Some(Some(Shown::Hidden { .. } | Shown::Empty)) | None));
            if u.origin == Origin::Suppressed
                && is_marker
                && iv.lo == 0
                && iv.hi == Some(0)
                && iv.tier != crate::audit::Tier::Nominal
                && u.high != Some(0)
                && reported_zero.insert(iv.var.0)
            {
                // When suppressed zeros count as disclosive the message must not say what the
                // cell holds: it reads as any exact recovery.
                let (severity, why) = if cx.rules.back_calculation.recovered_zero_fails {
                    (Severity::Error, "the suppression can be undone [B1]")
                } else {
                    (Severity::Warning, "the suppression hides nothing [B5]")
                };
                push(
                    Finding::new(
                        ID,
                        severity,
                        format!(
                            "suppressed cell '{}' can be calculated back exactly from the other cells and totals of this table; {why}",
                            u.name
                        ),
                        place_of_var(iv.var),
                        basis(&[digest, b"zero", u.name.as_bytes()]),
                    ),
                    out,
                );
            }
        }
    }
    if unlisted > 0 {
        out.push(Finding::new(
            ID,
            Severity::Warning,
            format!(
                "{unlisted} more back-calculation findings in this table are not listed (the first {MAX_LISTED_PER_TABLE} are)"
            ),
            table.location(),
            basis(&[digest, b"more"]),
        ));
    }
    let _ = built.hidden_cells;
}
