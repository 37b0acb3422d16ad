//! The rule over a folder: files grouped by folder (and joined by declared links), each group's
//! tables within the cell budget prepared, audited together, then compared pair by pair.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::{Differencing, Link};
use crate::finding::{basis, Finding, Severity};
use crate::model::{Location, Table};
use crate::rules::{Context, FileTables};

use super::atoms;
use super::bands::{bands, runs, Runs};
use super::links::{self, link_paths, resolve_links};
use super::nested::{nested_repeat, repeats, sorted_cells, SortedCell};
use super::pairs::subpopulation;
use super::partition;
use super::prepare::{prepare, Population, Prepared, Words};
use super::releases;
use super::report::{Out, Placed};
use super::restricted;
use super::ID;

fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(f, _)| f)
}

/// Tables kept for comparison and the locations left out, each with its file index.
type Budget<'a> = (Vec<(usize, &'a Table)>, Vec<(usize, Location)>);

/// The tables of every file that may be compared, within the folder's cell budget; the
/// locations left out (file index, location) for info findings.
fn budget<'a>(files: &'a [FileTables], members: &[usize], d: &Differencing) -> Budget<'a> {
    let mut kept = Vec::new();
    let mut left = Vec::new();
    let mut used: u64 = 0;
    for &f in members {
        for loc in &files[f].too_large {
            left.push((f, loc.clone()));
        }
        for t in &files[f].tables {
            let cells: u64 = t.rows.iter().map(|r| r.cells.len() as u64).sum();
            if cells > u64::from(d.max_table_cells) || used + cells > u64::from(d.max_total_cells) {
                left.push((f, t.location()));
            } else {
                used += cells;
                kept.push((f, t));
            }
        }
    }
    (kept, left)
}

/// Run the cross-file `differencing` rule over the tables of all files. Files are compared only
/// with files of the same folder (and files joined by a declared link); output is in input
/// order, deterministic.
pub(super) fn check(files: &[FileTables], cx: &Context<'_>) -> Vec<Placed> {
    let d = &cx.rules.differencing;
    if !d.enabled {
        return Vec::new();
    }
    let words = Words::new(d, &cx.rules.vocabulary);
    let links = &cx.rules.links;
    let index: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    let mut out = Out::new(files);
    let mut used = vec![false; links.len()];
    for members in groups(files, links, &index).values() {
        let tables: usize = members
            .iter()
            .map(|&f| files[f].tables.len() + files[f].too_large.len())
            .sum();
        if tables < 2 {
            restricted_columns(members, files, &words, cx, &mut out);
            continue;
        }
        compare_group(members, files, &words, cx, &mut used, &mut out);
    }
    let pairs = releases::release_pairs(files);
    releases::not_compared(&pairs, files, &mut out);
    for &pair in &pairs {
        releases::compare(pair, files, &words, cx, &mut out);
    }
    links::unused(links, &used, &index, files, &mut out);
    out.finish()
}

/// The columns of one table whose headers restrict the population of another column (a folder
/// of one table compares nothing else).
fn restricted_columns(
    members: &[usize],
    files: &[FileTables],
    words: &Words,
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let (kept, _) = budget(files, members, &cx.rules.differencing);
    let prepared: Vec<Prepared<'_>> = kept
        .iter()
        .flat_map(|&(f, t)| prepare(f, &files[f].path, t, words, cx, false))
        .collect();
    restricted::check(&prepared, files, words, cx, out);
}

/// The files with tables, grouped by folder; folders are joined when a link names files of two
/// of them. Group (by its first folder) → file indexes in input order.
fn groups(
    files: &[FileTables],
    links: &[Link],
    index: &HashMap<&str, usize>,
) -> BTreeMap<usize, Vec<usize>> {
    let mut folders: BTreeMap<&str, usize> = BTreeMap::new();
    for f in files {
        let n = folders.len();
        folders.entry(folder(&f.path)).or_insert(n);
    }
    let mut parent: Vec<usize> = (0..folders.len()).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            x = p[x];
        }
        x
    }
    for link in links {
        let named: Vec<usize> = link_paths(link)
            .filter_map(|p| index.get(p))
            .filter_map(|&i| folders.get(folder(&files[i].path)).copied())
            .collect();
        for w in named.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if !f.tables.is_empty() || !f.too_large.is_empty() {
            let g = root(&mut parent, folders[folder(&f.path)]);
            groups.entry(g).or_default().push(i);
        }
    }
    groups
}

/// Compares the tables of one group of files: an info finding for each table left out of the
/// budget, the merged audit, then the pairwise checks where the audit did not cover the pair.
fn compare_group(
    members: &[usize],
    files: &[FileTables],
    words: &Words,
    cx: &Context<'_>,
    used: &mut [bool],
    out: &mut Out<'_>,
) {
    let links = &cx.rules.links;
    let (kept, left) = budget(files, members, &cx.rules.differencing);
    for (f, loc) in left {
        let msg = "this table was not compared with the other tables of the folder for differencing: it is too large or the folder's tables exceed the comparison limit";
        let b = basis(&[files[f].path.as_bytes(), format!("{loc:?}").as_bytes()]);
        out.found
            .push((f, Finding::new(ID, Severity::Info, msg, loc, b)));
    }
    // Tables named by a link stay whole: the link speaks of the table.
    let linked: BTreeSet<&str> = links.iter().flat_map(link_paths).collect();
    let prepared: Vec<Prepared<'_>> = kept
        .iter()
        .flat_map(|&(f, t)| {
            let split = !linked.contains(files[f].path.as_str());
            prepare(f, &files[f].path, t, words, cx, split)
        })
        .collect();
    let resolved = resolve_links(links, &prepared, files, words, used);
    let covered = atoms::run(&prepared, files, links, (&resolved.0, &resolved.1), cx, out);
    partition::check(&prepared, files, words, cx, out);
    restricted::check(&prepared, files, words, cx, out);
    compare_pairs(&prepared, &covered, files, words, cx, out);
}

/// The pairwise checks of every two prepared tables of different files: complements of
/// sub-groups, nested bands, repeated analyses and near-equal totals.
fn compare_pairs(
    prepared: &[Prepared<'_>],
    covered: &atoms::Covered,
    files: &[FileTables],
    words: &Words,
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    // Band runs per table and column, computed once (not once per pair of tables).
    let band_runs: Vec<HashMap<&str, Runs<'_>>> = prepared
        .iter()
        .map(|p| {
            p.col_keys
                .iter()
                .filter_map(|k| runs(p, k, cx).map(|r| (k.as_str(), r)))
                .collect()
        })
        .collect();
    let sorted: Vec<Vec<SortedCell<'_>>> = prepared.iter().map(sorted_cells).collect();
    for (ai, a) in prepared.iter().enumerate() {
        for (bi, b) in prepared.iter().enumerate() {
            if a.file == b.file {
                continue;
            }
            // Tables whose merged system has no solution are not one population, nor one a
            // part of the other: only the checks of repeated analyses (two populations that
            // overlap) compare them.
            let apart = covered.apart(ai, bi);
            let skip = |col: &str| apart || covered.has(ai, bi, col);
            if a.population == Population::All {
                if let Population::Group(g) = &b.population {
                    subpopulation(a, b, g, prepared, files, cx, &skip, out);
                }
            }
            if a.population == b.population && a.file < b.file {
                bands(
                    a,
                    b,
                    (&band_runs[ai], &band_runs[bi]),
                    files,
                    cx,
                    &skip,
                    out,
                );
                let sorted = (&sorted[ai][..], &sorted[bi][..]);
                if !nested_repeat(a, b, sorted, files, words, cx, out) {
                    repeats(a, b, files, cx, out);
                }
            }
        }
    }
}
