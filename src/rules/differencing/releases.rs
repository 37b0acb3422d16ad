//! Re-releases (`docs/tables.md` §8.9): a file of the same name in a sibling folder
//! (`release/table1.ods`, `release2/table1.ods`) is another release of the same output. Its
//! tables are matched in order with the first release's: the same row variable, mostly the same
//! cells, every shown count close to its counterpart (a re-run over a slightly changed
//! population). Unrounded counts that change by 1 to the threshold minus one between two
//! releases describe the few persons who came or went: a warning on the later release, as
//! output checkers ask such changes to be suppressed or rounded.

use std::collections::BTreeMap;

use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Location};
use crate::rules::{Context, FileTables};

use super::nested::looks_rounded;
use super::prepare::{prepare, Prepared, Shown, Words};
use super::report::{row_col_place, Out};
use super::ID;

/// Pairs of tables compared at most per pair of files.
const MAX_TABLE_PAIRS: usize = 10_000;

/// Other releases named in the message of a table not compared with them.
const NAMED_RELEASES: usize = 3;

/// A shown count of a release may differ from its counterpart by at most this share of the
/// larger (or by less than the threshold) for the two to be one table released twice.
const CLOSE_SHARE: f64 = 0.05;

fn parent_and_name(path: &str) -> (&str, &str, &str) {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let parent = folder.rsplit_once('/').map_or("", |(p, _)| p);
    (parent, folder, name)
}

/// Pairs of files (earlier, later in path order) of the same name in two folders of one parent.
pub(super) fn release_pairs(files: &[FileTables]) -> Vec<(usize, usize)> {
    let mut by_name: BTreeMap<(&str, &str), Vec<(usize, &str)>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if f.tables.is_empty() && f.too_large.is_empty() {
            continue;
        }
        let (parent, folder, name) = parent_and_name(&f.path);
        if folder.is_empty() {
            continue;
        }
        by_name.entry((parent, name)).or_default().push((i, folder));
    }
    let mut pairs = Vec::new();
    for group in by_name.values() {
        for (k, &(a, fa)) in group.iter().enumerate() {
            for &(b, fb) in &group[k + 1..] {
                if fa != fb {
                    pairs.push((a, b));
                }
            }
        }
    }
    pairs
}

/// Compares the tables of two releases of one file, in order, and reports the counts that
/// changed by a few persons. Rounded tables (declared, detected, or every count a multiple of
/// 5) are left out: their changes are the rounding's. The table pairs past the work limit are
/// not compared: an info finding says so.
pub(super) fn compare(
    (fa, fb): (usize, usize),
    files: &[FileTables],
    words: &Words,
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let tables = |f: usize| -> Vec<Prepared<'_>> {
        files[f]
            .tables
            .iter()
            .flat_map(|t| prepare(f, &files[f].path, t, words, cx, false))
            .filter(|p| !looks_rounded(p, cx))
            .collect()
    };
    let (ta, tb) = (tables(fa), tables(fb));
    let t = i64::from(cx.rules.thresholds.min_count);
    let mut next = 0;
    let mut tried = 0;
    for a in &ta {
        for (j, b) in tb.iter().enumerate().skip(next) {
            tried += 1;
            if tried > MAX_TABLE_PAIRS {
                let msg = format!(
                    "the comparison of this file with its other release '{}' stopped at its work limit; some of their tables were not compared",
                    files[fa].path
                );
                let b = basis(&[files[fb].path.as_bytes(), b"release comparison stopped"]);
                let mut finding = Finding::new(ID, Severity::Info, msg, Location::default(), b);
                finding.related = vec![files[fa].path.clone()];
                out.found.push((fb, finding));
                return;
            }
            if let Some(small) = released_again(a, b, t) {
                next = j + 1;
                if !small.is_empty() {
                    report(a, b, &small, files, t, out);
                }
                break;
            }
        }
    }
}

/// An info finding on each table that was too large to keep, in a file that has other releases:
/// it was not compared with them (`pairs` from [`release_pairs`]).
pub(super) fn not_compared(pairs: &[(usize, usize)], files: &[FileTables], out: &mut Out<'_>) {
    let mut others: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for &(a, b) in pairs {
        others.entry(a).or_default().push(&files[b].path);
        others.entry(b).or_default().push(&files[a].path);
    }
    for (f, paths) in others {
        for loc in &files[f].too_large {
            let mut named = (paths.iter().take(NAMED_RELEASES))
                .map(|p| format!("'{p}'"))
                .collect::<Vec<_>>()
                .join(", ");
            if paths.len() > NAMED_RELEASES {
                named.push_str(" and others");
            }
            let msg = format!(
                "this table was not compared with its other releases ({named}) for counts that changed by a few persons: it is too large to compare ([differencing] max_table_cells)"
            );
            let b = basis(&[
                files[f].path.as_bytes(),
                format!("{loc:?}").as_bytes(),
                b"release",
            ]);
            let mut finding = Finding::new(ID, Severity::Info, msg, loc.clone(), b);
            finding.related = paths.iter().map(|p| p.to_string()).collect();
            out.found.push((f, finding));
        }
    }
}

/// When `b` is `a` released again: its cells whose count changed by 1 to `t − 1`, in table
/// order (empty when none did).
fn released_again<'b>(a: &Prepared<'_>, b: &Prepared<'b>, t: i64) -> Option<Vec<&'b Cell>> {
    if a.stub != b.stub || a.cells.len() < 3 || b.cells.len() < 3 {
        return None;
    }
    let mut shared = 0;
    let mut differ = false;
    let mut small: Vec<&Cell> = Vec::new();
    for (k, (sa, _)) in &a.cells {
        let Some((sb, cell)) = b.cells.get(k) else {
            continue;
        };
        shared += 1;
        let (Shown::Known(x), Shown::Known(y)) = (sa, sb) else {
            continue;
        };
        let d = (x - y).abs();
        let close = d < t || (d as f64) <= CLOSE_SHARE * (*x.max(y) as f64);
        if !close {
            return None;
        }
        differ |= d != 0;
        if (1..t).contains(&d) {
            small.push(cell);
        }
    }
    // Mostly the same cells: nine in ten of each release's cells in the other.
    if shared < 3 || 10 * shared < 9 * a.cells.len().max(b.cells.len()) || !differ {
        return None;
    }
    small.sort_by_key(|c| (c.row, c.col));
    Some(small)
}

/// One warning on the later release, at its first cell that changed by a few persons.
fn report(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    small: &[&Cell],
    files: &[FileTables],
    t: i64,
    out: &mut Out<'_>,
) {
    let Some(first) = small.first() else { return };
    let earlier = &files[a.file].path;
    let row = b
        .rows
        .iter()
        .find(|(_, r)| r.cells.iter().any(|c| c.row == first.row))
        .map_or("", |(k, _)| k.as_str());
    let place = row_col_place(b.table, first, super::prepare::row_label(b, row));
    let (cells, verb) = if small.len() == 1 {
        ("a count", "differs")
    } else {
        ("counts", "differ")
    };
    let msg = format!(
        "this table is released again: '{earlier}' holds the same table, and {cells} of this one (the first in {place}) {verb} from it by fewer than {t} persons: each change describes the few persons who came or went between the releases; round or suppress changes against an earlier release"
    );
    let loc = b.table.locate(first);
    let mut f = Finding::new(
        ID,
        Severity::Warning,
        msg,
        loc,
        basis(&[&b.table.digest, &a.table.digest, b"released again"]),
    );
    f.related = vec![earlier.clone()];
    out.push(b.file, format!("release|{}|{}", a.file, a.table.index), f);
}
