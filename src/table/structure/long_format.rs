//! Long format (docs/tables.md §3.8): a label column with a `Total`/`All` category gives one
//! relation per combination of the other label columns.

use std::collections::{BTreeMap, BTreeSet};

use super::counts::row_lines;
use super::verify::verify;
use super::{col_name, Builder, Sense, Source};
use crate::table::classify::Lexicon;

/// Relations of the `Total` categories of the label columns; whether any was accepted (the table
/// is then in long format and its rows are not scanned as a wide table).
pub(super) fn long_format(b: &mut Builder<'_, '_>, label_cols: &[u32], lexicon: &Lexicon) -> bool {
    let g = b.g;
    let table = g.table;
    let text = |r: usize, c: u32| -> String {
        table.rows[r]
            .cells
            .iter()
            .find(|x| x.col == c)
            .map(|x| x.text.clone())
            .unwrap_or_default()
    };
    let mut any = false;
    for &lc in label_cols {
        let totals: Vec<usize> = g
            .rows
            .iter()
            .copied()
            .filter(|&r| lexicon.is_total(&text(r, lc)))
            .collect();
        if totals.is_empty() {
            continue;
        }
        // Group rows by the other label columns.
        let mut groups: BTreeMap<Vec<String>, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for &r in &g.rows {
            let key: Vec<String> = label_cols
                .iter()
                .filter(|&&c| c != lc)
                .map(|&c| text(r, c))
                .collect();
            let e = groups.entry(key).or_default();
            if totals.contains(&r) {
                e.0.push(r);
            } else {
                e.1.push(r);
            }
        }
        let mut lines = Vec::new();
        // A Total beside one category only (`Exposed` and `Total`): the category is a subset of
        // the total, its complement not shown; it is bounded by the total, not equal to it.
        let mut subsets = Vec::new();
        for (tots, parts) in groups.values() {
            if tots.len() == 1 && parts.len() == 1 {
                subsets.extend(row_lines(g, tots[0], parts));
            }
            if tots.len() != 1 || parts.len() < 2 {
                continue;
            }
            let cats: BTreeSet<String> = parts.iter().map(|&r| text(r, lc)).collect();
            if cats.len() != parts.len() {
                continue; // not a key: the rows are not categories of one cell
            }
            lines.extend(row_lines(g, tots[0], parts));
        }
        if !subsets.is_empty() {
            if let Some(acc) = verify(g, &subsets, Sense::Le, false, b.rounding.as_ref(), 1) {
                let name = col_name(table, lc);
                b.add(
                    format!("the Total category of {name}"),
                    Source::LongFormat,
                    subsets,
                    Sense::Le,
                    false,
                    acc,
                );
                any = true;
            }
        }
        if lines.is_empty() {
            continue;
        }
        if let Some(acc) = verify(g, &lines, Sense::Eq, false, b.rounding.as_ref(), 1) {
            let name = col_name(table, lc);
            b.add(
                format!("the Total category of {name}"),
                Source::LongFormat,
                lines,
                Sense::Eq,
                false,
                acc,
            );
            any = true;
        }
    }
    any
}
