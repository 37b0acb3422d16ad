//! Restrictions in column headers (`docs/tables.md` §8.10): a count column whose header
//! restricts its population (`Patients (18+)`, `Patienter 18 år+`, `65+ år`, `voksne`,
//! `excluding care homes`) counts a part of the column of the same measure without the
//! restriction (`Patients`), in the same table or another of the folder. When every row of the
//! restricted column is at most the other's and some differ, the difference in each row counts
//! the persons outside the restriction: from 1 to the threshold minus one it is an error at the
//! restricted cell, as a title restriction is (`repeats` in `nested.rs`).

use std::collections::{BTreeMap, BTreeSet};

use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Kind};
use crate::rules::{Context, FileTables};

use super::nested::looks_rounded;
use super::prepare::{row_label, Prepared, Shown, Words};
use super::report::{row_col_place, Out};
use super::ID;

/// Pairs of columns compared at most per folder.
const MAX_PAIRS: usize = 10_000;

/// A count column of a prepared table: the table, its column key and its header.
struct Col<'p> {
    table: usize,
    key: &'p str,
    col: u32,
}

/// Runs the check over the prepared tables of one group of files.
pub(super) fn check(
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    words: &Words,
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    // Base measure → restricted columns, and measure → unrestricted columns.
    let mut restricted: BTreeMap<String, Vec<Col<'_>>> = BTreeMap::new();
    let mut whole: BTreeMap<String, Vec<Col<'_>>> = BTreeMap::new();
    let mut seen: BTreeSet<(usize, u32)> = BTreeSet::new();
    for (ti, p) in prepared.iter().enumerate() {
        let counts: Vec<&crate::model::Column> = p
            .table
            .columns
            .iter()
            .filter(|c| c.kind == Kind::Count)
            .collect();
        // A table split by population is compared whole, once.
        if counts.len() != p.col_keys.len()
            || !seen.insert((p.file, p.table.index))
            || looks_rounded(p, cx)
        {
            continue;
        }
        for (c, k) in counts.iter().zip(&p.col_keys) {
            let col = Col {
                table: ti,
                key: k,
                col: c.col,
            };
            match words.header_restriction(&c.name, &cx.lexicon.intervals) {
                Some(base) if !base.is_empty() => restricted.entry(base).or_default().push(col),
                Some(_) => {}
                None => whole
                    .entry(words.strip(&crate::redact::safe_label(&c.name)))
                    .or_default()
                    .push(col),
            }
        }
    }
    let mut compared = 0;
    for (base, subs) in &restricted {
        let Some(alls) = whole.get(base) else {
            continue;
        };
        for s in subs {
            for a in alls {
                compared += 1;
                if compared > MAX_PAIRS {
                    return;
                }
                compare((a, s), prepared, files, cx, out);
            }
        }
    }
}

/// One restricted column `s` against an unrestricted one `a` of the same measure.
fn compare(
    (a, s): (&Col<'_>, &Col<'_>),
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let t = i64::from(cx.rules.thresholds.min_count);
    let (pa, ps) = (&prepared[a.table], &prepared[s.table]);
    let mut pairs = 0;
    let mut differ = false;
    let mut small: Vec<(&str, &Cell)> = Vec::new();
    for rk in &ps.row_keys {
        let (Some((Shown::Known(y), cell)), Some((Shown::Known(x), _))) = (
            ps.cells.get(&(rk.clone(), s.key.to_string())),
            pa.cells.get(&(rk.clone(), a.key.to_string())),
        ) else {
            continue;
        };
        if y > x {
            return;
        }
        pairs += 1;
        differ |= y != x;
        if (1..t).contains(&(x - y)) {
            small.push((rk.as_str(), cell));
        }
    }
    if pairs < 2 || !differ {
        return;
    }
    let other = if pa.file == ps.file && pa.table.index == ps.table.index {
        format!("column {} of this table", pa.table.column_label(a.col))
    } else if pa.file == ps.file {
        format!(
            "column {} of table {} of this file",
            pa.table.column_label(a.col),
            pa.table.index
        )
    } else {
        format!(
            "column {} of '{}'",
            pa.table.column_label(a.col),
            files[pa.file].path
        )
    };
    for (rk, cell) in small {
        let place = row_col_place(ps.table, cell, row_label(ps, rk));
        let mut f = Finding::new(
            ID,
            Severity::Error,
            format!(
                "count below {t} by differencing: this column's header restricts its population, and it is at most {other} in every row; the difference in {place} is a count below {t}, the persons outside the restriction"
            ),
            ps.table.locate(cell),
            basis(&[
                &ps.table.digest,
                &pa.table.digest,
                b"restricted column",
                rk.as_bytes(),
                &a.col.to_le_bytes(),
                &s.col.to_le_bytes(),
            ]),
        );
        if pa.file != ps.file {
            f.related = vec![files[pa.file].path.clone()];
        }
        out.push(
            ps.file,
            format!("restricted|{}|{}|{rk}|{}", a.table, a.col, s.col),
            f,
        );
    }
}
