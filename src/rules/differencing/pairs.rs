//! Complements: a table of all persons minus a table of a sub-group gives the rest of the
//! population, cell by cell.

use crate::finding::{basis, Finding, Severity};
use crate::model::Cell;
use crate::rules::{Context, FileTables};

use super::prepare::{row_label, Population, Prepared, Shown};
use super::report::{row_col_place, Out};
use super::ID;

/// (a) All persons minus a sub-group: the complement.
#[allow(clippy::too_many_arguments)]
pub(super) fn subpopulation(
    all: &Prepared<'_>,
    sub: &Prepared<'_>,
    group: &str,
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    cx: &Context<'_>,
    skip: &dyn Fn(&str) -> bool,
    out: &mut Out<'_>,
) {
    if !all.stub.is_empty() && !sub.stub.is_empty() && all.stub != sub.stub {
        return;
    }
    let t = i64::from(cx.rules.thresholds.min_count);
    let mut pairs: Vec<(&(String, String), i64, i64, &Cell)> = Vec::new();
    let mut sub_known = 0;
    for (k, (shown, cell)) in &sub.cells {
        let Shown::Known(s) = shown else { continue };
        sub_known += 1;
        if let Some((Shown::Known(a), _)) = all.cells.get(k) {
            pairs.push((k, *a, *s, cell));
        }
    }
    // The same categories, and every sub-group cell within its all-persons cell.
    if pairs.len() < 2 || 2 * pairs.len() < sub_known || pairs.iter().any(|p| p.2 > p.1) {
        return;
    }
    if pairs.iter().all(|p| p.1 == p.2) {
        return;
    }
    pairs.sort_by_key(|x| (x.3.row, x.3.col));
    for (k, a, s, cell) in pairs {
        if skip(&k.1) {
            continue;
        }
        let Some(diff) = a.checked_sub(s) else {
            continue;
        };
        if !(diff >= 1 && diff < t) {
            continue;
        }
        // Already published by another sub-group's table: `small-count` speaks for it there.
        let published = prepared.iter().any(|p| {
            p.file != sub.file
                && matches!(&p.population, Population::Group(g) if g != group)
                && matches!(p.cells.get(k), Some((Shown::Known(v), _)) if *v == diff)
        });
        if published {
            continue;
        }
        let other = &files[all.file].path;
        let mut f = Finding::new(
            ID,
            Severity::Error,
            format!(
                "count below {t} by differencing: the all-persons table in '{other}' minus this table ({group}) gives the rest of the population in {}",
                row_col_place(sub.table, cell, row_label(sub, &k.0))
            ),
            sub.table.locate(cell),
            basis(&[&sub.table.digest, &all.table.digest, k.0.as_bytes(), k.1.as_bytes()]),
        );
        f.related = vec![other.clone()];
        out.push(sub.file, format!("sub|{}|{}|{}", all.file, k.0, k.1), f);
    }
}
