//! Partitions across tables (`docs/tables.md` §8.8): one table gives a count of the whole
//! population per key (a week, a region), another the same count per category of a variable
//! that partitions the population (age groups, sex), keyed the same way: in columns under one
//! spanning header (`long_covid / 0-49`, `long_covid / 50-59`, …, as a pivot writes them) or in
//! rows of a long table (`date, age_group, long_covid`). Per key, the whole is the sum of its
//! categories; where every cell of a key is shown the sum is checked, and only a pair whose
//! shown keys all add up (two at least, none contradicting) is linked. Then a blank or
//! suppressed cell is an unknown (a blank cell of a count column is a redaction here: the
//! whole counts it), each key an equation, and the audit finds the cells the two tables give
//! back below the threshold.

use std::collections::{BTreeMap, BTreeSet};

use crate::audit::{audit, Int, System, Unknown, VarId, VerdictCode};
use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Kind, Row, Value};
use crate::redact::safe_label;
use crate::rules::{Context, FileTables};
use crate::table::structure::{self, Shown};

use super::atoms;
use super::prepare::{key, Population, Prepared, Words};
use super::report::Out;
use super::ID;

/// Pairs of (whole, parts) views compared at most per folder.
const MAX_PAIRS: usize = 10_000;

/// What a cell of a view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Val {
    Known(Int),
    /// A suppression marker with its bounds.
    Hidden(Int, Option<Int>),
    /// Nothing in a cell of a count column (or a category not listed in a long table).
    Blank,
}

/// A cell of a view: what it shows and where it is (`None`: a category a long table does not
/// list for the key).
type Slot = (Val, Option<Cell>);

/// A count column of the whole population, per key.
struct Whole {
    table: usize,
    measure: String,
    cells: BTreeMap<String, Slot>,
}

/// A count split by the categories of a variable, per key.
struct Parts {
    table: usize,
    measure: String,
    cells: BTreeMap<String, Vec<Slot>>,
    /// Key → its label as shown, for a long table (a wide one's are its row labels).
    labels: BTreeMap<String, String>,
}

fn val(cell: Option<&Cell>) -> Val {
    match cell.map(|c| structure::shown(&c.value)) {
        Some(Some(Shown::Exact(v))) => Val::Known(v),
        Some(Some(Shown::Hidden { lo, hi })) => Val::Hidden(lo, hi),
        Some(Some(Shown::Empty)) | None => Val::Blank,
        // A label, estimate or percentage where a count stands: not a count.
        Some(None) => Val::Blank,
    }
}

/// The cell of `row` in column `col`, or an empty one placed there.
fn slot(row: &Row, col: u32) -> Slot {
    match row.cells.iter().find(|c| c.col == col) {
        Some(c) => (val(Some(c)), Some(c.clone())),
        None => {
            let first = row.cells.first();
            let cell = Cell {
                row: first.map_or(0, |c| c.row),
                col,
                line: first.and_then(|c| c.line),
                text: String::new(),
                value: Value::Empty,
            };
            (Val::Blank, Some(cell))
        }
    }
}

/// Whether a cell holds a non-count value (a label or estimate where a count should be).
fn not_a_count(s: &Slot) -> bool {
    s.1.as_ref()
        .is_some_and(|c| structure::shown(&c.value).is_none() && c.value != Value::Empty)
}

/// The count columns of a table with their header split into measure and category: the last
/// part of a header of several rows is the category (`long_covid / 0-49`).
fn split_headers(p: &Prepared<'_>) -> Vec<(u32, String, Option<String>)> {
    p.table
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Count)
        .map(|c| {
            let parts: Vec<&str> = c.name.split(" / ").map(str::trim).collect();
            match parts.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    (c.col, key(&rest.join(" ")), Some((*last).to_string()))
                }
                _ => (c.col, key(&c.name), None),
            }
        })
        .collect()
}

/// The views of one table: its columns of the whole population per row key, its measures split
/// into category columns, and (a long table with two row variables) its counts per key and
/// category.
fn views(ti: usize, p: &Prepared<'_>, words: &Words, cx: &Context<'_>) -> (Vec<Whole>, Vec<Parts>) {
    let mut wholes = Vec::new();
    let mut parts = Vec::new();
    let mut by_measure: BTreeMap<String, Vec<(u32, Option<String>)>> = BTreeMap::new();
    for (col, measure, cat) in split_headers(p) {
        by_measure.entry(measure).or_default().push((col, cat));
    }
    let names_all =
        |c: &str| words.population(c) == Some(Population::All) || cx.lexicon.is_total(c);
    for (measure, cols) in by_measure {
        if measure.is_empty() {
            continue;
        }
        if let [(col, cat)] = cols.as_slice() {
            if cat.as_deref().is_none_or(names_all) && p.key_cols.len() == 1 {
                let cells = p
                    .rows
                    .iter()
                    .map(|(k, r)| (k.clone(), slot(r, *col)))
                    .collect();
                wholes.push(Whole {
                    table: ti,
                    measure: measure.clone(),
                    cells,
                });
            }
            if p.key_cols.len() == 2 && cat.is_none() {
                parts.extend(long_parts(ti, p, *col, &measure, &names_all));
            }
            continue;
        }
        let cats: BTreeSet<&str> = cols.iter().filter_map(|(_, c)| c.as_deref()).collect();
        if cats.len() != cols.len() || cats.iter().any(|c| names_all(c)) {
            continue;
        }
        let cells = p
            .rows
            .iter()
            .map(|(k, r)| (k.clone(), cols.iter().map(|(c, _)| slot(r, *c)).collect()))
            .collect();
        parts.push(Parts {
            table: ti,
            measure,
            cells,
            labels: BTreeMap::new(),
        });
    }
    (wholes, parts)
}

/// A long table's count column per key and category, each of its two row variables taken as
/// the key in turn; `None` when a category names the whole population (the table's own total).
fn long_parts(
    ti: usize,
    p: &Prepared<'_>,
    col: u32,
    measure: &str,
    names_all: &dyn Fn(&str) -> bool,
) -> Vec<Parts> {
    let mut out = Vec::new();
    for (kc, gc) in [(0, 1), (1, 0)] {
        let (kc, gc) = (p.key_cols[kc], p.key_cols[gc]);
        let text = |r: &Row, c: u32| {
            r.cells
                .iter()
                .find(|x| x.col == c)
                .map_or(String::new(), |x| x.text.trim().to_string())
        };
        let mut cats: Vec<String> = Vec::new();
        let mut rows: BTreeMap<String, BTreeMap<usize, Slot>> = BTreeMap::new();
        let mut labels: BTreeMap<String, String> = BTreeMap::new();
        let mut ok = true;
        for (_, r) in &p.rows {
            let (shown, g) = (text(r, kc), text(r, gc));
            let k = key(&shown);
            if k.is_empty() || g.is_empty() || names_all(&g) {
                ok &= !names_all(&g);
                continue;
            }
            let gi = cats.iter().position(|c| *c == g).unwrap_or_else(|| {
                cats.push(g.clone());
                cats.len() - 1
            });
            labels.entry(k.clone()).or_insert(shown);
            ok &= rows
                .entry(k)
                .or_default()
                .insert(gi, slot(r, col))
                .is_none();
        }
        if !ok || cats.len() < 2 {
            continue;
        }
        let cells = rows
            .into_iter()
            .map(|(k, m)| {
                let v = (0..cats.len())
                    .map(|i| m.get(&i).cloned().unwrap_or((Val::Blank, None)))
                    .collect();
                (k, v)
            })
            .collect();
        out.push(Parts {
            table: ti,
            measure: measure.to_string(),
            cells,
            labels,
        });
    }
    out
}

/// The shared keys of a whole and its parts when the pair is one partition: every key whose
/// cells are all shown adds up (two at least), and no key's shown parts exceed its whole.
fn confirmed<'v>(w: &'v Whole, q: &'v Parts) -> Option<Vec<(&'v String, &'v Slot, &'v [Slot])>> {
    let shared: Vec<(&String, &Slot, &[Slot])> = w
        .cells
        .iter()
        .filter_map(|(k, s)| q.cells.get(k).map(|v| (k, s, v.as_slice())))
        .collect();
    if shared.len() < 3 {
        return None;
    }
    let mut equal = 0;
    for (_, s, parts) in &shared {
        if not_a_count(s) || parts.iter().any(not_a_count) {
            return None;
        }
        let Val::Known(whole) = s.0 else { continue };
        let known: Int = parts
            .iter()
            .filter_map(|p| match p.0 {
                Val::Known(v) => Some(v),
                Val::Hidden(lo, _) => Some(lo),
                Val::Blank => None,
            })
            .sum();
        let all_known = parts.iter().all(|p| matches!(p.0, Val::Known(_)));
        if known > whole || (all_known && known != whole) {
            return None;
        }
        equal += usize::from(all_known && parts.iter().any(|p| p.0 != Val::Known(0)));
    }
    (equal >= 2).then_some(shared)
}

/// What one unknown of a partition system is: the view's table and the cell.
struct Hole<'v> {
    table: usize,
    cell: Option<&'v Cell>,
    blank: bool,
    row_key: &'v str,
}

/// An unknown for a cell that is not shown; `None` for a shown count.
fn add_hole<'v>(
    sys: &mut System,
    holes: &mut Vec<Hole<'v>>,
    s: &'v Slot,
    table: usize,
    row_key: &'v str,
) -> Option<VarId> {
    let (lo, hi, blank) = match s.0 {
        Val::Known(_) => return None,
        Val::Hidden(lo, hi) => (lo, hi, false),
        Val::Blank => (0, None, true),
    };
    let name = format!("cell {} of table {table}", holes.len());
    let v = sys.add_unknown(Unknown::suppressed(&name).with_box(lo, hi));
    holes.push(Hole {
        table,
        cell: s.1.as_ref(),
        blank,
        row_key,
    });
    Some(v)
}

/// Runs the partition check over the prepared tables of one group of files.
pub(super) fn check(
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    words: &Words,
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let mut seen: BTreeSet<(usize, u32)> = BTreeSet::new();
    let mut wholes = Vec::new();
    let mut parts = Vec::new();
    for (ti, p) in prepared.iter().enumerate() {
        // A table split by population is one table here.
        if !seen.insert((p.file, p.table.index))
            || atoms::rounding(p, cx).is_some()
            || p.table.streamed_rows > 0
        {
            continue;
        }
        let (w, q) = views(ti, p, words, cx);
        wholes.extend(w);
        parts.extend(q);
    }
    let mut compared = 0;
    for w in &wholes {
        for q in &parts {
            let (pw, pq) = (&prepared[w.table], &prepared[q.table]);
            if w.measure != q.measure || (pw.file, pw.table.index) == (pq.file, pq.table.index) {
                continue;
            }
            compared += 1;
            if compared > MAX_PAIRS {
                return;
            }
            if let Some(shared) = confirmed(w, q) {
                audit_pair((w, q), &shared, prepared, files, cx, out);
            }
        }
    }
}

/// The audit of one confirmed partition: an equation per shared key, and a finding for each
/// blank or suppressed cell given back below the threshold.
fn audit_pair(
    (w, q): (&Whole, &Parts),
    shared: &[(&String, &Slot, &[Slot])],
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let mut sys = System::new();
    let mut holes: Vec<Hole<'_>> = Vec::new();
    for (k, s, cells) in shared {
        let mut terms: Vec<(VarId, Int)> = Vec::new();
        let mut rhs: Int = 0;
        match add_hole(&mut sys, &mut holes, s, w.table, k) {
            Some(v) => terms.push((v, -1)),
            None => {
                if let Val::Known(x) = s.0 {
                    rhs = x;
                }
            }
        }
        for c in *cells {
            match add_hole(&mut sys, &mut holes, c, q.table, k) {
                Some(v) => terms.push((v, 1)),
                None => {
                    if let Val::Known(x) = c.0 {
                        rhs -= x;
                    }
                }
            }
        }
        if terms.is_empty() {
            continue;
        }
        let label = format!("row '{}'", safe_label(k));
        if sys.add_eq(terms, rhs, &label).is_err() {
            return;
        }
    }
    let cfg = cx.audit_config();
    let res = audit(&sys, &cfg);
    if res.inconsistent {
        return;
    }
    for v in &res.verdicts {
        let Some(&var) = v.vars.first() else { continue };
        let Some(hole) = holes.get(var.0) else {
            continue;
        };
        let exact = match v.code {
            VerdictCode::ExactSmall => true,
            VerdictCode::NarrowedSmall => false,
            _ => continue,
        };
        // A blank given back as 0 is a zero left blank.
        if hole.blank && res.interval(var) == Some((0, Some(0))) {
            continue;
        }
        report(hole, exact, (w, q), prepared, files, cx, out);
    }
}

/// The finding of one cell given back: at the cell, naming the other table's file.
fn report(
    hole: &Hole<'_>,
    exact: bool,
    (w, q): (&Whole, &Parts),
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let t = cx.rules.thresholds.min_count;
    let here = &prepared[hole.table];
    let other = &prepared[if hole.table == w.table {
        q.table
    } else {
        w.table
    }];
    let Some(cell) = hole.cell.or_else(|| {
        // A category a long table does not list: the finding goes to the whole's cell.
        w.cells.get(hole.row_key).and_then(|s| s.1.as_ref())
    }) else {
        return;
    };
    let here = if hole.cell.is_some() {
        here
    } else {
        &prepared[w.table]
    };
    let other_name = if other.file == here.file {
        format!("table {} of this file", other.table.index)
    } else {
        format!("'{}'", files[other.file].path)
    };
    let what = if hole.blank {
        "blank (redacted)"
    } else {
        "suppressed"
    };
    let how = if exact {
        "exactly".to_string()
    } else {
        format!("to a few values all below {t}")
    };
    let label = if hole.table == q.table {
        q.labels.get(hole.row_key)
    } else {
        None
    };
    let row = safe_label(
        label
            .or_else(|| here.labels.get(hole.row_key))
            .map_or(hole.row_key, String::as_str),
    );
    let column = here.table.column_label(cell.col);
    let msg = if hole.table == w.table {
        format!(
            "count below {t} by differencing: {other_name} counts this population by category for the same rows, and its categories add up to this cell's total (row '{row}', column {column}): the sum gives the {what} count {how}"
        )
    } else {
        format!(
            "count below {t} by differencing: {other_name} gives the total of this row (row '{row}') over the categories of this table, whose shown rows add up to it: that total minus the other categories gives the {what} count in column {column} {how}"
        )
    };
    let loc = here.table.locate(cell);
    let mut f = Finding::new(
        ID,
        Severity::Error,
        msg,
        loc.clone(),
        basis(&[
            &here.table.digest,
            &other.table.digest,
            b"partition",
            hole.row_key.as_bytes(),
            &cell.col.to_le_bytes(),
        ]),
    );
    if other.file != here.file {
        f.related = vec![files[other.file].path.clone()];
    }
    out.push_audit(here.file, loc, f);
}
