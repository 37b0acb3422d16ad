//! Repeated analyses: a table that is another minus a few persons (the same layout, every cell
//! at most the other's), and the same total or group size in two tables differing by less than
//! the threshold.

use std::collections::BTreeSet;

use crate::finding::{basis, Finding, Severity};
use crate::model::Cell;
use crate::redact::safe_label;
use crate::rules::{Context, FileTables};

use super::atoms;
use super::prepare::{row_label, Prepared, Shown, Words};
use super::report::{row_col_place, Out};
use super::ID;

/// Whether a table's counts look rounded: declared or detected, or every non-zero count a
/// multiple of 5 (too few values for the detection, but then differences within the rounding
/// base are no counts).
pub(super) fn looks_rounded(p: &Prepared<'_>, cx: &Context<'_>) -> bool {
    if atoms::rounding(p, cx).is_some() {
        return true;
    }
    let mut nonzero = p
        .cells
        .values()
        .filter_map(|(s, _)| match s {
            Shown::Known(v) if *v != 0 => Some(*v),
            _ => None,
        })
        .peekable();
    nonzero.peek().is_some() && nonzero.all(|v| v % 5 == 0)
}

/// A count cell of a prepared table by its key, for comparisons in key order.
pub(super) type SortedCell<'k> = (&'k (String, String), Shown);

/// The count cells of a prepared table sorted by key.
pub(super) fn sorted_cells<'k>(p: &'k Prepared<'_>) -> Vec<SortedCell<'k>> {
    let mut v: Vec<SortedCell<'k>> = p.cells.iter().map(|(k, (s, _))| (k, *s)).collect();
    v.sort_by(|x, y| x.0.cmp(y.0));
    v
}

/// A cell published in both tables: its key, `a`'s count and `b`'s count.
type Pair<'k> = (&'k (String, String), i64, i64);

/// (c′) A table that is another minus a few persons: the same layout and labels, every cell of
/// one at most its cell in the other, at least half of the cells (and two non-zero ones) exactly
/// equal, and some cells differing by 1 to threshold−1. The smaller table describes the same
/// population after a late exclusion, and the difference table describes the excluded persons
/// (their category): an error at each cell that differs by less than the threshold. `true` when
/// the pair is nested this way (the near-duplicate warning is then not needed).
pub(super) fn nested_repeat(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    sorted: (&[SortedCell<'_>], &[SortedCell<'_>]),
    files: &[FileTables],
    words: &Words,
    cx: &Context<'_>,
    out: &mut Out<'_>,
) -> bool {
    let t = i64::from(cx.rules.thresholds.min_count);
    if a.stub != b.stub
        || a.row_keys.len() < 2
        || a.row_keys.len() != b.row_keys.len()
        || a.col_keys.len() != b.col_keys.len()
        || a.cells.len() != b.cells.len()
    {
        return false;
    }
    let Some((pairs, a_larger)) = lockstep_pairs(sorted) else {
        return false;
    };
    if !same_layout(a, b, cx) {
        return false;
    }
    let nonzero: Vec<_> = pairs.iter().filter(|p| p.1 != 0 || p.2 != 0).collect();
    let equal = nonzero.iter().filter(|p| p.1 == p.2).count();
    // The whole group differs by a few persons (a total, or `N`, within the threshold): every
    // cell difference is then a part of those few, even when fewer cells are equal.
    let small_total = a.totals.iter().any(|(k, (va, _))| {
        b.totals
            .get(k)
            .is_some_and(|(vb, _)| (1..t).contains(&(va - vb).abs()))
    });
    // The smaller table's title restricts its population (`restricted to age 65+`, `only
    // women`, `kun ...`, `vain ...`): a sub-population of the other, cell by cell.
    let (smaller, _) = if a_larger { (b, a) } else { (a, b) };
    let restricted = words.title_restricts(&smaller.table.title.join(" "));
    let repeated = (small_total && equal >= 1) || (equal >= 2 && 2 * equal >= nonzero.len());
    if !repeated && !restricted {
        return false;
    }
    // The smaller table carries the finding, at each cell that differs by a small count.
    let (here, there) = if a_larger { (b, a) } else { (a, b) };
    report_nested(here, there, &pairs, repeated, files, t, out)
}

/// The cells published in both tables, when every cell of one is at most its cell in the other
/// and some differ, with whether `a` is the larger. Both tables' cells sorted by key, in
/// lockstep: every pair of same-population tables of a folder comes here, so cheap tests first.
fn lockstep_pairs<'k>(
    sorted: (&[SortedCell<'k>], &[SortedCell<'_>]),
) -> Option<(Vec<Pair<'k>>, bool)> {
    let mut pairs: Vec<Pair<'k>> = Vec::new();
    let (mut a_larger, mut b_larger) = (true, true);
    for (&(k, sa), &(kb, sb)) in sorted.0.iter().zip(sorted.1) {
        if k != kb {
            return None;
        }
        match (sa, sb) {
            (Shown::Known(x), Shown::Known(y)) => {
                a_larger &= x >= y;
                b_larger &= x <= y;
                if !a_larger && !b_larger {
                    return None;
                }
                pairs.push((k, x, y));
            }
            (Shown::Hidden, Shown::Hidden) => {}
            // Hidden in one table and shown in the other, or missing: not the same layout.
            _ => return None,
        }
    }
    if pairs.len() < 3 || (a_larger && b_larger) {
        return None;
    }
    Some((pairs, a_larger))
}

/// The same row and column keys, and not rounded counts (whose differences are no counts).
fn same_layout(a: &Prepared<'_>, b: &Prepared<'_>, cx: &Context<'_>) -> bool {
    let same = |x: &[String], y: &[String]| {
        x.iter().collect::<BTreeSet<_>>() == y.iter().collect::<BTreeSet<_>>()
    };
    same(&a.row_keys, &b.row_keys)
        && same(&a.col_keys, &b.col_keys)
        && atoms::rounding(a, cx).is_none()
        && atoms::rounding(b, cx).is_none()
        && !(looks_rounded(a, cx) && looks_rounded(b, cx))
}

/// An error at each cell of `here` (the smaller table) that differs from `there` by a small
/// count; `false` when none does.
fn report_nested(
    here: &Prepared<'_>,
    there: &Prepared<'_>,
    pairs: &[Pair<'_>],
    repeated: bool,
    files: &[FileTables],
    t: i64,
    out: &mut Out<'_>,
) -> bool {
    let mut small: Vec<(&(String, String), &Cell)> = pairs
        .iter()
        .filter(|p| (1..t).contains(&(p.1 - p.2).abs()))
        .filter_map(|p| here.cells.get(p.0).map(|(_, c)| (p.0, *c)))
        .collect();
    if small.is_empty() {
        return false;
    }
    small.sort_by_key(|(_, c)| (c.row, c.col));
    let other = &files[there.file].path;
    for (k, cell) in small {
        let place = row_col_place(here.table, cell, row_label(here, &k.0));
        let message = if repeated {
            format!(
                "count below {t} by differencing: this table equals '{other}' cell by cell except where it has fewer persons; the difference in {place} is a count below {t}, which describes the persons left out (a repeated analysis after a small exclusion)"
            )
        } else {
            format!(
                "count below {t} by differencing: this table, whose title restricts its population, is a part of '{other}' cell by cell; the difference in {place} is a count below {t}, the persons outside the restriction"
            )
        };
        let mut f = Finding::new(
            ID,
            Severity::Error,
            message,
            here.table.locate(cell),
            basis(&[
                &here.table.digest,
                &there.table.digest,
                b"nested repeat",
                k.0.as_bytes(),
                k.1.as_bytes(),
            ]),
        );
        f.related = vec![other.clone()];
        out.push(
            here.file,
            format!("nested|{}|{}|{}", there.file, k.0, k.1),
            f,
        );
    }
    true
}

/// (c) The same total or group size in two files, differing by less than the threshold.
pub(super) fn repeats(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    files: &[FileTables],
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let t = i64::from(cx.rules.thresholds.min_count);
    // Totals of rows are compared only between tables of the same categories.
    let shared_rows = a.row_keys.iter().filter(|k| b.row_keys.contains(k)).count();
    for (k, (va, la)) in &a.totals {
        let Some((vb, lb)) = b.totals.get(k) else {
            continue;
        };
        if !k.starts_with("header|") && shared_rows < 2 {
            continue;
        }
        let Some(delta) = va.checked_sub(*vb).and_then(i64::checked_abs) else {
            continue;
        };
        if !(delta >= 1 && delta < t) {
            continue;
        }
        // Two rounded tables differ by multiples of the base whatever the true difference.
        if delta % 5 == 0 && looks_rounded(a, cx) && looks_rounded(b, cx) {
            continue;
        }
        // On the file with the smaller group: it is the one that left someone out.
        let (here, loc, there) = if va < vb { (a, la, b) } else { (b, lb, a) };
        let other = &files[there.file].path;
        let what = k.split_once('|').map_or("", |(_, w)| w);
        let mut f = Finding::new(
            ID,
            Severity::Warning,
            format!(
                "the same total or group size ('{}') differs from the one in '{other}' by less than {t}: if the populations overlap, the difference describes a small group",
                safe_label(what)
            ),
            loc.clone(),
            basis(&[&here.table.digest, &there.table.digest, k.as_bytes()]),
        );
        f.related = vec![other.clone()];
        out.push(here.file, format!("repeat|{}|{k}", there.file), f);
    }
}
