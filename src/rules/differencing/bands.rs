//! Nested bands: two tables of the same population whose bandings of one variable differ
//! (`0-15` and `0-17`) give the count of the difference (`16-17`), compared as runs of
//! adjacent bands.

use std::collections::{BTreeMap, HashMap};

use crate::finding::{basis, Finding, Severity};
use crate::model::Cell;
use crate::rules::{Context, FileTables};

use super::prepare::{row_label, Prepared, Shown};
use super::report::Out;
use super::ID;
use crate::table::interval::band_bounds;

/// Most bands of one column compared (their runs grow with the square).
const MAX_BANDS: usize = 40;

/// Most pairs of band runs compared in one check, so that a folder of many banded tables stays
/// bounded; past it the band comparison stops and an info finding says so.
const MAX_RUN_PAIRS: u64 = 50_000_000;

/// An inclusive integer interval; an open top is `i64::MAX`.
type Interval = (i64, i64);

/// Runs of adjacent bands of one column: `(low, high)` → sum and the cells in it.
pub(super) type Runs<'a> = BTreeMap<(i64, i64), (i64, Vec<&'a Cell>)>;

/// The runs of adjacent bands of one count column, if its rows are a partition into at least
/// two (and at most [`MAX_BANDS`]) published bands.
pub(super) fn runs<'a>(p: &Prepared<'a>, col_key: &str, cx: &Context<'_>) -> Option<Runs<'a>> {
    let mut bands: Vec<((i64, i64), i64, &Cell)> = Vec::new();
    for rk in &p.row_keys {
        if cx.lexicon.is_total(rk) {
            continue;
        }
        let Some((shown, cell)) = p.cells.get(&(rk.clone(), col_key.to_string())) else {
            continue;
        };
        let Some(iv) = band_bounds(row_label(p, rk), &cx.lexicon.intervals) else {
            continue;
        };
        // A hidden band breaks the runs through it: leave the column out.
        let Shown::Known(v) = shown else { return None };
        bands.push((iv, *v, cell));
    }
    if bands.len() < 2 || bands.len() > MAX_BANDS {
        return None;
    }
    bands.sort_by_key(|b| b.0);
    // Overlapping bands in one table (`0-17`, then `0-4` …): not a partition, leave it out.
    if bands.windows(2).any(|w| w[1].0 .0 <= w[0].0 .1) {
        return None;
    }
    let mut out: Runs<'a> = BTreeMap::new();
    for i in 0..bands.len() {
        let mut sum: i64 = 0;
        let mut cells = Vec::new();
        for j in i..bands.len() {
            if j > i && bands[j].0 .0 != bands[j - 1].0 .1.saturating_add(1) {
                break;
            }
            sum = sum.saturating_add(bands[j].1);
            cells.push(bands[j].2);
            out.insert((bands[i].0 .0, bands[j].0 .1), (sum, cells.clone()));
        }
    }
    Some(out)
}

pub(super) fn show_interval(iv: (i64, i64)) -> String {
    if iv.1 == i64::MAX {
        format!("{}+", iv.0)
    } else if iv.0 == iv.1 {
        format!("{}", iv.0)
    } else {
        format!("{}-{}", iv.0, iv.1)
    }
}

/// (b) Nested bands of two tables of the same population.
#[allow(clippy::too_many_arguments)]
pub(super) fn bands(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    (runs_a, runs_b): (&HashMap<&str, Runs<'_>>, &HashMap<&str, Runs<'_>>),
    files: &[FileTables],
    cx: &Context<'_>,
    skip: &dyn Fn(&str) -> bool,
    out: &mut Out<'_>,
) {
    if a.stub.is_empty() || a.stub != b.stub {
        return;
    }
    let t = i64::from(cx.rules.thresholds.min_count);
    let mut cols: Vec<&String> = a
        .col_keys
        .iter()
        .filter(|k| b.col_keys.contains(k))
        .collect();
    cols.sort();
    cols.dedup();
    for col in cols {
        if skip(col) {
            continue;
        }
        let (Some(ra), Some(rb)) = (runs_a.get(col.as_str()), runs_b.get(col.as_str())) else {
            continue;
        };
        let work = 2 * (ra.len() as u64) * (rb.len() as u64);
        if out.run_pairs.saturating_add(work) > MAX_RUN_PAIRS {
            out.stopped.insert(b.file);
            return;
        }
        out.run_pairs += work;
        if !same_population(ra, rb) {
            continue;
        }
        // A larger inner run than its outer one: not the same population after all.
        let Some(hits) = nested_runs(ra, rb, t) else {
            return;
        };
        for hit in hits {
            report_band(hit, (a, b), (ra, rb), col, files, t, out);
        }
    }
}

/// Same population: some common extent with equal sums, none with different sums.
fn same_population(ra: &Runs<'_>, rb: &Runs<'_>) -> bool {
    let mut equal = 0;
    let mut consistent = true;
    for (iv, (sa, _)) in ra {
        if let Some((sb, _)) = rb.get(iv) {
            if sa == sb {
                equal += 1;
            } else {
                consistent = false;
            }
        }
    }
    consistent && equal != 0
}

/// A run of one table nested in a run of the other whose difference is a small count: (inner,
/// outer, whether the inner run is `a`'s).
type Hit = (Interval, Interval, bool);

/// Runs of `inner` nested in runs of `outer`; the difference is the rest of `outer`. `None`
/// when an inner run is larger than an outer one.
fn nested_runs(ra: &Runs<'_>, rb: &Runs<'_>, t: i64) -> Option<Vec<Hit>> {
    let mut hits: Vec<Hit> = Vec::new();
    for (inner, outer, inner_is_a) in [(&ra, &rb, true), (&rb, &ra, false)] {
        for (iv_i, (si, _)) in inner.iter() {
            for (iv_o, (so, _)) in outer.iter() {
                let nested = iv_o.0 <= iv_i.0 && iv_i.1 <= iv_o.1 && iv_i != iv_o;
                if !nested {
                    continue;
                }
                let Some(diff) = so.checked_sub(*si) else {
                    continue;
                };
                if diff < 0 {
                    return None;
                }
                if diff >= 1 && diff < t {
                    hits.push((*iv_i, *iv_o, inner_is_a));
                }
            }
        }
    }
    Some(hits)
}

/// The finding of one nested run, unless one table alone publishes (or sums) the difference.
fn report_band(
    (iv_i, iv_o, inner_is_a): Hit,
    (a, b): (&Prepared<'_>, &Prepared<'_>),
    (ra, rb): (&Runs<'_>, &Runs<'_>),
    col: &str,
    files: &[FileTables],
    t: i64,
    out: &mut Out<'_>,
) {
    let pieces: Vec<(i64, i64)> = [
        (iv_o.0 < iv_i.0).then(|| (iv_o.0, iv_i.0 - 1)),
        (iv_i.1 < iv_o.1).then(|| (iv_i.1 + 1, iv_o.1)),
    ]
    .into_iter()
    .flatten()
    .collect();
    // A piece published (or summed) within one table is not news of the comparison.
    let within = |r: &Runs<'_>| pieces.iter().all(|p| r.contains_key(p));
    if within(ra) || within(rb) {
        return;
    }
    // The finding goes on the later file (`b`), at its cells of the comparison.
    let (mine, theirs) = if inner_is_a {
        (iv_o, iv_i)
    } else {
        (iv_i, iv_o)
    };
    let Some(cell) = rb.get(&mine).and_then(|(_, cells)| cells.first()) else {
        return;
    };
    let (here, there) = (b, a);
    let atom = pieces
        .iter()
        .map(|p| show_interval(*p))
        .collect::<Vec<_>>()
        .join(" and ");
    let other = &files[there.file].path;
    let column = here.table.column_label(cell.col);
    let mut f = Finding::new(
        ID,
        Severity::Error,
        format!(
            "count below {t} by differencing: band {} in this table and band {} in '{other}' (column {column}) give the count of {atom}",
            show_interval(mine),
            show_interval(theirs),
        ),
        here.table.locate(cell),
        basis(&[&here.table.digest, &there.table.digest, atom.as_bytes(), col.as_bytes()]),
    );
    f.related = vec![other.clone()];
    out.push(here.file, format!("band|{}|{col}|{atom}", there.file), f);
}
