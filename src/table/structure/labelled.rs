//! Totals named by the lexicon (docs/tables.md §3.4): a `Total` row or column adds up the block
//! above (left), the block below (right), its siblings, the top of a code tree, the other
//! sub-totals or every other line; a labelled total that nothing satisfies is a mismatch (S1).

use std::collections::{BTreeMap, BTreeSet};

use super::counts::{col_lines, row_lines, Line};
use super::row_trees::{code_roots, is_of_which};
use super::verify::{best_candidate, first_violation, verify};
use super::{col_name, row_name, used_totals, Builder, CellPos, Mismatch, Sense, Source};

/// Labelled total rows: each settled against the rows between it and its neighbouring totals,
/// its siblings, the roots of a code tree above it, the other totals, or every plain row.
pub(super) fn labelled_rows(b: &mut Builder<'_, '_>, total_rows: &[usize], strong: &[usize]) {
    let g = b.g;
    let table = g.table;
    let ofw: BTreeSet<usize> = g
        .rows
        .iter()
        .copied()
        .filter(|&r| is_of_which(&table.rows[r].label, b.lexicon))
        .collect();
    let totals: BTreeSet<usize> = total_rows.iter().copied().collect();
    let plain: Vec<usize> = g
        .rows
        .iter()
        .copied()
        .filter(|r| !totals.contains(r) && !ofw.contains(r))
        .collect();
    // Totals a reading of the sub-totals has settled already (docs/tables.md §3.6a).
    let (settled, _) = used_totals(b);
    for (k, &t) in total_rows.iter().enumerate() {
        if g.spent() {
            return;
        }
        if settled.contains(&t) {
            continue;
        }
        g.charge(total_rows.len());
        let prev = if k > 0 { Some(total_rows[k - 1]) } else { None };
        let next = total_rows.get(k + 1).copied();
        let above = between(&plain, prev, Some(t)).to_vec();
        let below = between(&plain, Some(t), next).to_vec();
        let others: Vec<usize> = total_rows.iter().copied().filter(|&x| x != t).collect();
        // Rows at the total's own indentation above it (the parents of indented sub-groups).
        let level = table.rows[t].indent;
        let siblings: Vec<usize> = above
            .iter()
            .copied()
            .filter(|&r| table.rows[r].indent == level)
            .collect();
        // The top level of a code tree above it (`I`, `J` over `I20`, `I21`, `J44`).
        let roots = code_roots(table, &above).unwrap_or_default();
        settle_total(
            b,
            [above, below, siblings, roots, others, plain.clone()],
            |parts| row_lines(g, t, parts),
            row_name(table, t),
            false,
            // S1 only for a row whose whole label names a total (not `all / with records`).
            strong.contains(&t),
        );
    }
}

/// The lines of `sorted` strictly between `after` and `before` (`None`: no bound), found by
/// bisection: a table's totals each take their block in logarithmic time.
fn between<T: Copy + Ord>(sorted: &[T], after: Option<T>, before: Option<T>) -> &[T] {
    let lo = after.map_or(0, |a| sorted.partition_point(|&x| x <= a));
    let hi = before.map_or(sorted.len(), |b| sorted.partition_point(|&x| x < b));
    sorted.get(lo..hi.max(lo)).unwrap_or(&[])
}

/// What a labelled total (row or column) adds up: the first candidate set of lines the numbers
/// confirm as its parts. Failing that, when `partial` is allowed, a set the total bounds on
/// every line (a breakdown that leaves a group out: the shown groups sum to at most the total,
/// which bounds hidden cells; no mismatch); failing that, an S1 mismatch at the first line that
/// disagrees, when `report` says the label is sure enough to call one.
pub(super) fn settle_total<T: PartialEq>(
    b: &mut Builder<'_, '_>,
    candidates: impl IntoIterator<Item = Vec<T>>,
    lines_of: impl Fn(&[T]) -> Vec<Line>,
    name: String,
    partial: bool,
    report: bool,
) {
    let mut sets: Vec<Vec<T>> = Vec::new();
    for s in candidates {
        if s.len() >= 2 && !sets.contains(&s) {
            sets.push(s);
        }
    }
    // Candidates are built one by one while the table's cell reads last (`Grid::spent`).
    let mut cands: Vec<(Vec<Line>, Vec<CellPos>)> = Vec::new();
    for s in &sets {
        if b.g.spent() {
            return;
        }
        let lines = lines_of(s);
        b.g.charge(lines.iter().map(|l| l.parts.len()).sum());
        cands.push((lines, Vec::new()));
    }
    if let Some((k, acc)) = best_candidate(b, cands, 1) {
        b.add(
            name,
            Source::Lexicon,
            lines_of(&sets[k]),
            Sense::Eq,
            false,
            acc,
        );
        return;
    }
    if partial {
        let g = b.g;
        let bound = sets.iter().find_map(|s| {
            let lines = lines_of(s);
            verify(g, &lines, Sense::Le, false, b.rounding.as_ref(), 2).map(|acc| (lines, acc))
        });
        if let Some((lines, acc)) = bound {
            b.add(name, Source::Lexicon, lines, Sense::Le, false, acc);
            return;
        }
    }
    if report {
        if let Some(p) = sets
            .first()
            .and_then(|first| first_violation(b, &lines_of(first)))
        {
            b.out.mismatches.push(Mismatch {
                label: name,
                cell: p,
            });
        }
    }
}

/// Labelled total columns: each settled against its own header group, the columns between it and
/// its neighbouring totals, the other totals, or every plain column.
pub(super) fn labelled_cols(
    b: &mut Builder<'_, '_>,
    total_cols: &[u32],
    paths: &BTreeMap<u32, Vec<String>>,
) {
    let g = b.g;
    let table = g.table;
    let totals: BTreeSet<u32> = total_cols.iter().copied().collect();
    let plain: Vec<u32> = g
        .cols
        .iter()
        .copied()
        .filter(|c| !totals.contains(c))
        .collect();
    for (k, &t) in total_cols.iter().enumerate() {
        if g.spent() {
            return;
        }
        g.charge(plain.len() + total_cols.len());
        let prev = if k > 0 { Some(total_cols[k - 1]) } else { None };
        let next = total_cols.get(k + 1).copied();
        let left = between(&plain, prev, Some(t)).to_vec();
        let right = between(&plain, Some(t), next).to_vec();
        let others: Vec<u32> = total_cols.iter().copied().filter(|&x| x != t).collect();
        // Under a spanning group header: the other columns of the total's own group.
        let upper = |c: u32| -> Option<&[String]> {
            let p = paths.get(&c)?;
            let up = &p[..p.len().saturating_sub(1)];
            up.iter().any(|x| !x.is_empty()).then_some(up)
        };
        let group: Vec<u32> = match upper(t) {
            Some(up) => plain
                .iter()
                .copied()
                .filter(|&c| upper(c) == Some(up))
                .collect(),
            None => Vec::new(),
        };
        // A total over a breakdown that does not show every group (an "unknown" or "other"
        // group left out) bounds the groups shown instead of adding them up.
        settle_total(
            b,
            [group, left, right, others, plain.clone()],
            |parts| col_lines(g, t, parts),
            col_name(table, t),
            true,
            true,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::table;
    use super::super::*;

    #[test]
    fn total_row_and_column() {
        let (t, lx) = table("Region,Men,Women,Total\nA,10,12,22\nB,7,9,16\nTotal,17,21,38\n");
        let s = detect(&t, &lx);
        assert_eq!(s.groups.len(), 2, "{s:?}");
        assert!(s
            .groups
            .iter()
            .all(|g| g.confirmed && g.source == Source::Lexicon));
        assert!(s.total_rows.contains(&2));
        assert!(s.total_cols.contains(&4));
        assert!(s.mismatches.is_empty());
    }

    #[test]
    fn mismatch_is_reported() {
        let (t, lx) = table("Age,HD,Pop\n21-30,7,19\n31-40,5,15\n41-50,8,18\nTotal,20,64\n");
        let s = detect(&t, &lx);
        assert!(!s.mismatches.is_empty(), "{s:?}");
    }
}
