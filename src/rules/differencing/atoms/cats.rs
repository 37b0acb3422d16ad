//! The row categories of prepared tables (a total, an interval, a label) and the counts they
//! publish, as the merged audit reads them.

use std::collections::HashMap;

use crate::audit::{Int, RoundingScheme};
use crate::model::Cell;
use crate::rules::Context;
use crate::table::structure::{self, Shown};

use super::super::prepare::{row_label, Prepared};
use crate::table::interval::band_bounds;

/// A row category of one table.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Cat {
    /// A total (`Total`, `I alt`, `N`): every row atom.
    All,
    /// An integer interval, inclusive; an open top is `i64::MAX`.
    Band(i64, i64),
    /// A nominal label (its key).
    Label(String),
}

/// The category of a row key: a total, an interval or a label.
pub(super) fn category(p: &Prepared<'_>, row_key: &str, cx: &Context<'_>) -> Cat {
    if row_key == "n" || cx.lexicon.is_total(row_key) {
        Cat::All
    } else if let Some((lo, hi)) = band_bounds(row_label(p, row_key), &cx.lexicon.intervals) {
        Cat::Band(lo, hi)
    } else {
        Cat::Label(row_key.to_string())
    }
}

pub(super) type Cats<'p> = HashMap<&'p str, Cat>;

/// Per prepared table: its categories by row key.
pub(super) fn all_cats<'p>(prepared: &'p [Prepared<'_>], cx: &Context<'_>) -> Vec<Cats<'p>> {
    prepared
        .iter()
        .map(|p| {
            p.row_keys
                .iter()
                .map(|k| (k.as_str(), category(p, k, cx)))
                .collect()
        })
        .collect()
}

/// The count a cell shows, with its box if hidden.
pub(super) fn shown(cell: &Cell) -> Option<Shown> {
    match structure::shown(&cell.value) {
        Some(Shown::Exact(v)) if v >= 0 => Some(Shown::Exact(v)),
        Some(Shown::Hidden { lo, hi }) => Some(Shown::Hidden { lo, hi }),
        _ => None,
    }
}

/// Published count of a (table, row key, measure), if any.
pub(super) fn value(p: &Prepared<'_>, row_key: &str, measure: &str) -> Option<Int> {
    let (_, cell) = p.cells.get(&(row_key.to_string(), measure.to_string()))?;
    match shown(cell)? {
        Shown::Exact(v) => Some(v),
        _ => None,
    }
}

/// The rounding of a table's counts: declared in its title, notes or headers, or shown by every
/// non-zero count (at least six) being a multiple of 10 or 5, or of the form 6k+3 (midpoint 6).
pub(in crate::rules::differencing) fn rounding(
    p: &Prepared<'_>,
    cx: &Context<'_>,
) -> Option<RoundingScheme> {
    if let Some(scheme) =
        crate::table::structure::declared_rounding_in(p.table, &cx.lexicon.rounding)
    {
        return Some(scheme);
    }
    let values: Vec<Int> = p
        .cells
        .values()
        .filter_map(|(_, c)| match shown(c) {
            Some(Shown::Exact(v)) if v != 0 => Some(v),
            _ => None,
        })
        .collect();
    if values.len() < 6 {
        return None;
    }
    for base in [10, 5] {
        if values.iter().all(|v| v % base == 0) {
            return Some(RoundingScheme::Conventional { base });
        }
    }
    if values.iter().all(|v| v % 6 == 3) {
        return Some(RoundingScheme::Midpoint { r: 6 });
    }
    None
}

/// Non-total row keys of a table that hold a cell of the measure.
pub(super) fn body_keys<'p>(
    p: &'p Prepared<'_>,
    measure: &str,
    cats: &HashMap<&str, Cat>,
) -> Vec<&'p str> {
    p.row_keys
        .iter()
        .filter(|k| p.cells.contains_key(&((*k).clone(), measure.to_string())))
        .filter(|k| !matches!(cats.get(k.as_str()), Some(Cat::All) | None))
        .map(String::as_str)
        .collect()
}

/// The whole-extent count of a table for a measure: its total row, or the sum of its body
/// when every body cell is published.
pub(super) fn extent_total(
    p: &Prepared<'_>,
    measure: &str,
    keys: &[&str],
    cats: &Cats,
) -> Option<Int> {
    for (k, c) in cats {
        if *c == Cat::All {
            if let Some(v) = value(p, k, measure) {
                return Some(v);
            }
        }
    }
    let mut sum: Int = 0;
    for k in keys {
        sum = sum.checked_add(value(p, k, measure)?)?;
    }
    Some(sum)
}
