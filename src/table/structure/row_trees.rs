//! Row trees from labels (docs/tables.md §3.6): indentation, code prefixes (`C50` ⊃ `C50.1`),
//! code ranges (`I20-I25`), interval labels tiling a parent (`0-4`, `5-9` under `0-9`), and
//! "of which" rows (`≤`, not `=`; docs/tables.md §3.2).

use std::collections::BTreeSet;

use super::counts::row_lines;
use super::verify::verify;
use super::{row_name, used_totals, Builder, Int, Sense, Source};
use crate::model::Table;
use crate::table::classify::{tokens, Lexicon};
use crate::table::interval::{code_range, row_interval, IntervalWords};

/// Whether a row label begins with an "of which" word (docs/tables.md §3.2, `[vocabulary]
/// of_which`): the row is part of the row above, not a sibling.
pub(super) fn is_of_which(label: &str, lexicon: &Lexicon) -> bool {
    let toks = tokens(label);
    lexicon
        .of_which
        .iter()
        .any(|w| toks.len() >= w.len() && toks.iter().zip(w.iter()).all(|(a, b)| a == b))
}

/// "Of which" rows under the row above them that is not one: together, and else each alone, at
/// most that parent.
pub(super) fn of_which(b: &mut Builder<'_, '_>) {
    let g = b.g;
    let table = g.table;
    let mut parent: Option<usize> = None;
    let mut found: Vec<(usize, usize)> = Vec::new();
    for &r in &g.rows {
        if is_of_which(&table.rows[r].label, b.lexicon) {
            if let Some(p) = parent {
                found.push((p, r));
            }
        } else {
            parent = Some(r);
        }
    }
    // Several "of which" rows under one parent: listed as parts of it, they are taken as
    // disjoint, so together they are at most the parent (`Diabetes 420; of which type 1 <5; of
    // which type 2 417` bounds type 1 by 3). Each alone is at most the parent too.
    let mut by_parent: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &(p, r) in &found {
        by_parent.entry(p).or_default().push(r);
    }
    for (p, kids) in by_parent {
        if kids.len() >= 2 {
            let lines = row_lines(g, p, &kids);
            if let Some(acc) = verify(g, &lines, Sense::Le, false, None, 1) {
                b.add(
                    row_name(table, p),
                    Source::OfWhich,
                    lines,
                    Sense::Le,
                    false,
                    acc,
                );
                continue;
            }
        }
        for r in kids {
            let lines = row_lines(g, p, &[r]);
            if let Some(acc) = verify(g, &lines, Sense::Le, false, None, 1) {
                b.add(
                    row_name(table, r),
                    Source::OfWhich,
                    lines,
                    Sense::Le,
                    false,
                    acc,
                );
            }
        }
    }
}

/// The codes at the start of the rows' labels (`C50`, `C50.9` → `C509`). A chapter written as
/// letters alone (`I`, `J` over `I20`, `I21`) is a code only when a coded row starts with it
/// and at least two rows carry codes with digits.
pub(super) fn row_codes(table: &Table, rows: &[usize]) -> Vec<Option<String>> {
    let mut codes: Vec<Option<String>> = rows
        .iter()
        .map(|&r| code_of(&table.rows[r].label))
        .collect();
    for (i, &r) in rows.iter().enumerate() {
        if codes[i].is_some() {
            continue;
        }
        let Some(first) = table.rows[r].label.split_whitespace().next() else {
            continue;
        };
        let letters =
            (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_uppercase());
        if letters {
            let under = codes
                .iter()
                .flatten()
                .filter(|c| c.len() > first.len() && c.starts_with(first))
                .count();
            let digit_codes = codes.iter().flatten().count();
            if under >= 1 && digit_codes >= 2 {
                codes[i] = Some(first.to_string());
            }
        }
    }
    codes
}

/// Rows of `rows` whose code extends no other row's code: the top level of a code tree. `None`
/// unless some coded row sits under another.
pub(super) fn code_roots(table: &Table, rows: &[usize]) -> Option<Vec<usize>> {
    let codes = row_codes(table, rows);
    let coded = codes.iter().filter(|c| c.is_some()).count();
    if coded < 3 || coded < rows.len() {
        return None;
    }
    let under = |c: &String| {
        codes
            .iter()
            .flatten()
            .any(|p| p.len() < c.len() && c.starts_with(p.as_str()))
    };
    let roots: Vec<usize> = rows
        .iter()
        .zip(&codes)
        .filter(|(_, c)| c.as_ref().is_some_and(|c| !under(c)))
        .map(|(&r, _)| r)
        .collect();
    (roots.len() >= 2 && roots.len() < rows.len()).then_some(roots)
}

/// The code at the start of a label (`C50`, `C50.9`, `011`), if the label starts with one.
pub(super) fn code_of(label: &str) -> Option<String> {
    let first = label.split_whitespace().next()?;
    let first = first.trim_end_matches([':', '-']);
    let digits = first.chars().filter(char::is_ascii_digit).count();
    let ok = first.len() >= 2
        && digits >= 1
        && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && first
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    ok.then(|| first.replace('.', ""))
}

/// A candidate row tree: the parent row, its children, and what the tree was read from.
type Tree = (usize, Vec<usize>, Source);

/// Row trees (docs/tables.md §3.6), from indentation, code prefixes and ranges, and intervals,
/// each accepted when the numbers confirm it; parents already used as totals are left alone.
pub(super) fn trees(b: &mut Builder<'_, '_>) {
    let g = b.g;
    let table = g.table;
    let (used_rows, _) = used_totals(b);
    let rows = g.rows.clone();
    let mut found: Vec<Tree> = Vec::new();
    indent_trees(table, &rows, &mut found);
    code_trees(table, &rows, &mut found);
    interval_trees(table, &rows, &b.lexicon.intervals, &mut found);
    let mut seen: BTreeSet<(usize, Vec<usize>)> = BTreeSet::new();
    for (parent, kids, source) in found {
        if used_rows.contains(&parent) || !seen.insert((parent, kids.clone())) {
            continue;
        }
        let lines = row_lines(g, parent, &kids);
        if let Some(acc) = verify(g, &lines, Sense::Eq, false, b.rounding.as_ref(), 1) {
            if acc.confirmed {
                b.add(
                    row_name(table, parent),
                    source,
                    lines,
                    Sense::Eq,
                    false,
                    acc,
                );
            }
        }
    }
}

/// Trees from indentation: a row over the rows indented below it, its direct children being
/// those at the least indentation among them.
fn indent_trees(table: &Table, rows: &[usize], found: &mut Vec<Tree>) {
    let indents: Vec<u32> = rows.iter().map(|&r| table.rows[r].indent).collect();
    if indents.iter().all(|&d| d == indents[0]) {
        return;
    }
    for i in 0..rows.len() {
        let d = indents[i];
        let mut kids = Vec::new();
        let mut j = i + 1;
        while j < rows.len() && indents[j] > d {
            kids.push(j);
            j += 1;
        }
        if kids.is_empty() {
            continue;
        }
        let m = kids.iter().map(|&k| indents[k]).min().unwrap_or(d);
        let direct: Vec<usize> = kids
            .iter()
            .copied()
            .filter(|&k| indents[k] == m)
            .map(|k| rows[k])
            .collect();
        if direct.len() >= 2 {
            found.push((rows[i], direct, Source::Indent));
        }
    }
}

/// Trees from codes: a code range (`I20-I25`) over the codes inside it, and a code over the
/// codes it prefixes (`C50` over `C50.1`).
fn code_trees(table: &Table, rows: &[usize], found: &mut Vec<Tree>) {
    let codes = row_codes(table, rows);
    // The direct children of a parent among the rows whose codes `under` accepts: those with
    // the shortest code (`I20`, `I21` under `I`, not `I21.9`).
    let direct = |parent: usize, under: &dyn Fn(&str) -> bool| -> Vec<usize> {
        let kids: Vec<(usize, usize)> = (0..rows.len())
            .filter(|&k| k != parent)
            .filter_map(|k| {
                let c = codes[k].as_deref()?;
                under(c).then_some((k, c.len()))
            })
            .collect();
        let m = kids.iter().map(|x| x.1).min().unwrap_or(0);
        kids.into_iter()
            .filter(|x| x.1 == m)
            .map(|x| rows[x.0])
            .collect()
    };
    // A code range (`I20-I25`) over the codes inside it.
    for (i, &r) in rows.iter().enumerate() {
        let Some((lo, hi)) = code_range(&table.rows[r].label) else {
            continue;
        };
        let kids = direct(i, &|c: &str| {
            c.len() >= lo.len() && {
                let head = &c[..lo.len()];
                head >= lo.as_str() && head <= hi.as_str()
            }
        });
        if kids.len() >= 2 {
            found.push((r, kids, Source::CodePrefix));
        }
    }
    if codes.iter().filter(|c| c.is_some()).count() >= 3 {
        for i in 0..rows.len() {
            let Some(p) = codes[i].as_deref() else {
                continue;
            };
            let kids = direct(i, &|c: &str| c.len() > p.len() && c.starts_with(p));
            if kids.len() >= 2 {
                found.push((rows[i], kids, Source::CodePrefix));
            }
        }
    }
}

/// An integer interval with an open top as `None`.
type Bounds = (Int, Option<Int>);

/// Trees from interval labels: an interval row tiled by a chain of the intervals inside it.
fn interval_trees(table: &Table, rows: &[usize], words: &IntervalWords, found: &mut Vec<Tree>) {
    let ivs: Vec<Option<Bounds>> = rows
        .iter()
        .map(|&r| row_interval(&table.rows[r].label, words))
        .collect();
    if ivs.iter().filter(|c| c.is_some()).count() < 3 {
        return;
    }
    for i in 0..rows.len() {
        if let Some(chain) = tiling(&ivs, i) {
            found.push((
                rows[i],
                chain.iter().map(|&k| rows[k]).collect(),
                Source::Interval,
            ));
        }
    }
}

/// The chain of intervals (indices into `ivs`) that tiles interval `i` from its low end, taking
/// the widest piece at each step; `None` unless the chain has two pieces and reaches the top.
fn tiling(ivs: &[Option<Bounds>], i: usize) -> Option<Vec<usize>> {
    let (a, bnd) = ivs[i]?;
    let inside = |k: usize| -> Option<Bounds> {
        let (x, y) = ivs[k]?;
        let within = x >= a
            && match (y, bnd) {
                (_, None) => true,
                (Some(y), Some(bb)) => y <= bb,
                (None, Some(_)) => false,
            };
        (k != i && within && (x, y) != (a, bnd)).then_some((x, y))
    };
    let mut cursor = a;
    let mut chain: Vec<usize> = Vec::new();
    loop {
        let next = (0..ivs.len())
            .filter_map(|k| inside(k).map(|iv| (k, iv)))
            .filter(|(_, (x, _))| *x == cursor)
            .max_by_key(|(_, (_, y))| y.unwrap_or(Int::MAX));
        let Some((k, (_, y))) = next else { break };
        chain.push(k);
        match (y, bnd) {
            (None, None) => {
                cursor = Int::MIN;
                break;
            }
            (Some(y), Some(bb)) if y == bb => {
                cursor = Int::MIN;
                break;
            }
            (Some(y), _) => cursor = y.saturating_add(1),
            (None, Some(_)) => break,
        }
        if chain.len() > ivs.len() {
            break;
        }
    }
    (cursor == Int::MIN && chain.len() >= 2).then_some(chain)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::table;
    use super::super::*;

    #[test]
    fn intervals_tile_a_parent() {
        let (t, lx) = table("Age,n\n0-9,30\n0-4,12\n5-9,18\n10-19,40\n10-14,15\n15-19,25\n");
        let s = detect(&t, &lx);
        assert_eq!(s.groups.len(), 2, "{s:?}");
        assert!(s.groups.iter().all(|g| g.source == Source::Interval));
    }
}
