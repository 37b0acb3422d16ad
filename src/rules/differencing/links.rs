//! Declared links (`[[link]]`): the tables and cells they name resolved among the prepared
//! tables, and a warning for each link that matches nothing in the checked folder.

use std::collections::HashMap;

use crate::config::{CellRef, Link, LinkKind, TableRef};
use crate::finding::{basis, Finding, Severity};
use crate::model::Location;
use crate::redact::safe_label;
use crate::rules::FileTables;

use super::atoms;
use super::prepare::{key, Prepared, Words};
use super::report::Out;
use super::ID;

/// The file paths a link names.
pub(super) fn link_paths(link: &Link) -> impl Iterator<Item = &str> {
    link.tables
        .iter()
        .chain(link.cells.iter().map(|c| &c.table))
        .map(|t| t.path.as_str())
}

/// The prepared table a reference names: the numbered table of the file, or its first one.
fn find_table(r: &TableRef, prepared: &[Prepared<'_>], files: &[FileTables]) -> Option<usize> {
    prepared
        .iter()
        .enumerate()
        .filter(|(_, p)| files[p.file].path == r.path)
        .filter(|(_, p)| r.table.is_none_or(|n| p.table.index == n))
        .min_by_key(|(_, p)| p.table.index)
        .map(|(i, _)| i)
}

/// The (table, row key, column key) a cell reference names: the text after the colon is the
/// row label, or a row label and a column header split at a `/`; without a column the table
/// must have one count column.
fn find_cell(
    r: &CellRef,
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    words: &Words,
) -> Option<atoms::CellId> {
    let t = find_table(&r.table, prepared, files)?;
    let p = &prepared[t];
    let mut cols: Vec<&String> = p.col_keys.iter().collect();
    cols.sort();
    cols.dedup();
    let mut tries: Vec<(&str, Option<&str>)> = vec![(r.cell.as_str(), None)];
    for (i, c) in r.cell.char_indices() {
        if c == '/' {
            tries.push((&r.cell[..i], Some(&r.cell[i + 1..])));
        }
    }
    for (row, col) in tries {
        let rk = key(row);
        if !p.labels.contains_key(&rk) {
            continue;
        }
        let ck = match col {
            None if cols.len() == 1 => cols[0].clone(),
            None => continue,
            Some(c) => {
                let k = words.strip(c);
                if !cols.contains(&&k) {
                    continue;
                }
                k
            }
        };
        if p.cells.contains_key(&(rk.clone(), ck.clone())) {
            return Some((t, rk, ck));
        }
    }
    None
}

/// The links whose tables or cells are all among `prepared`, marking them used.
pub(super) fn resolve_links(
    links: &[Link],
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    words: &Words,
    used: &mut [bool],
) -> (Vec<atoms::Contains>, Vec<atoms::Equal>) {
    let mut contains = Vec::new();
    let mut equal = Vec::new();
    for (li, link) in links.iter().enumerate() {
        match link.kind {
            LinkKind::Contains => {
                let [outer, inner] = link.tables.as_slice() else {
                    continue;
                };
                if let (Some(o), Some(i)) = (
                    find_table(outer, prepared, files),
                    find_table(inner, prepared, files),
                ) {
                    if o != i {
                        contains.push((o, i, li));
                        used[li] = true;
                    }
                }
            }
            LinkKind::EqualPopulation => {
                let [a, b] = link.cells.as_slice() else {
                    continue;
                };
                if let (Some(x), Some(y)) = (
                    find_cell(a, prepared, files, words),
                    find_cell(b, prepared, files, words),
                ) {
                    if x != y {
                        equal.push((x, y, li));
                        used[li] = true;
                    }
                }
            }
        }
    }
    (contains, equal)
}

/// A warning for each link that no group of the folder used: on the first named file that
/// exists, else on the first file checked.
pub(super) fn unused(
    links: &[Link],
    used: &[bool],
    index: &HashMap<&str, usize>,
    files: &[FileTables],
    out: &mut Out<'_>,
) {
    for (li, link) in links.iter().enumerate() {
        if used[li] {
            continue;
        }
        // On the first named file that exists, else on the first file checked.
        let Some(file) = link_paths(link)
            .find_map(|p| index.get(p).copied())
            .or(if files.is_empty() { None } else { Some(0) })
        else {
            continue;
        };
        let what = match link.kind {
            LinkKind::Contains => "both of its tables",
            LinkKind::EqualPopulation => "both of its cells",
        };
        let msg = format!(
            "the link declared in {} was not used: the checked folder does not hold {what} as named (check the file paths, table numbers, row labels and columns)",
            safe_label(&link.origin)
        );
        out.found.push((
            file,
            Finding::new(
                ID,
                Severity::Warning,
                msg,
                Location::default(),
                basis(&[link.origin.as_bytes(), b"link unused"]),
            ),
        ));
    }
}
