//! Re-releases (`docs/tables.md` §8.9): a file of the same name in a sibling folder
//! (`release/table1.ods`, `release2/table1.ods`) is another release of the same output. Its
//! tables are matched in order with the first release's: the same row variable, mostly the same
//! cells, every shown count close to its counterpart (a re-run over a slightly changed
//! population). Unrounded counts that change by 1 to the threshold minus one between two
//! releases describe the few persons who came or went: a warning on the later release, as
//! output checkers ask such changes to be suppressed or rounded.

use std::collections::BTreeMap;

use crate::finding::{basis, Finding, Severity};
use crate::model::Cell;
use crate::rules::{Context, FileTables};

use super::nested::looks_rounded;
use super::prepare::{prepare, Prepared, Shown, Words};
use super::report::{row_col_place, Out};
use super::ID;

/// Pairs of tables compared at most per pair of files.
const MAX_TABLE_PAIRS: usize = 10_000;

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
        if f.tables.is_empty() {
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
/// 5) are left out: their changes are the rounding's.
pub(super) fn compare(
    (fa, fb): (usize, usize),
    files: &[FileTables],
    words: &Words,
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let max_cells = u64::from(cx.rules.differencing.max_table_cells);
    let tables = |f: usize| -> Vec<Prepared<'_>> {
        files[f]
            .tables
            .iter()
            .filter(|t| t.rows.iter().map(|r| r.cells.len() as u64).sum::<u64>() <= max_cells)
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
