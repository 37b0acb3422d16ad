//! Totals named by the lexicon (docs/tables.md §3.4): a `Total` row or column adds up the block
//! above (left), the block below (right), its siblings, the top of a code tree above or below it, the other
//! sub-totals or every other line; a labelled total that nothing satisfies is a mismatch (S1).

use std::collections::{BTreeMap, BTreeSet};

use super::counts::{col_lines, row_lines, Line};
use super::row_trees::{code_roots, is_of_which};
use super::verify::{best_candidate, first_violation, verify};
use super::{col_name, row_name, used_totals, Builder, CellPos, Mismatch, Sense, Source, Total};

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
        // The top level of a code tree above it (`I`, `J` over `I20`, `I21`, `J44`), or below
        // it when the total comes first.
        let roots = code_roots(table, &above).unwrap_or_default();
        let roots_below = code_roots(table, &below).unwrap_or_default();
        if stacked_partitions(b, t, &below) {
            continue;
        }
        settle_total(
            b,
            [
                above,
                below,
                siblings,
                roots,
                roots_below,
                others,
                plain.clone(),
            ],
            |parts| row_lines(g, t, parts),
            row_name(table, t),
            // A row whose whole label names a total (not `all / with records`) may leave a
            // group out (an implied residual), and otherwise is an S1 mismatch.
            strong.contains(&t),
            strong.contains(&t),
        );
    }
}

/// A total row over breakdowns stacked below it, one per variable, each named in the first
/// label column (`All` over `ageband 0-17 …`, `sex Female`, `sex Male`, `imd 1 … Unknown`):
/// every breakdown adds up to the total on its own. Each block of two rows or more with one name
/// becomes a relation: equal to the total, or bounded by it for a breakdown that leaves a
/// category out, as long as one block equals it. Whether the rows were read so.
fn stacked_partitions(b: &mut Builder<'_, '_>, t: usize, below: &[usize]) -> bool {
    let g = b.g;
    let table = g.table;
    let Some(first) = table.label_columns().into_iter().min() else {
        return false;
    };
    let name_of = |r: usize| table.rows[r].cell(first).map_or("", |c| c.text.trim());
    let mut blocks: Vec<(&str, Vec<usize>)> = Vec::new();
    for &r in below {
        match blocks.last_mut() {
            Some((name, rows)) if *name == name_of(r) => rows.push(r),
            _ => blocks.push((name_of(r), vec![r])),
        }
    }
    let names: BTreeSet<&str> = blocks.iter().map(|(n, _)| *n).collect();
    if blocks.len() < 2
        || names.len() < blocks.len()
        || blocks
            .iter()
            .any(|(n, rows)| n.is_empty() || rows.len() < 2)
    {
        return false;
    }
    let rounding = b.rounding.as_ref();
    let mut relations = Vec::new();
    for (_, rows) in &blocks {
        g.charge(rows.len() * g.cols.len());
        let lines = row_lines(g, t, rows);
        if let Some(acc) = verify(g, &lines, Sense::Eq, false, rounding, 1) {
            relations.push((lines, Sense::Eq, acc));
        } else if let Some(acc) = verify(g, &lines, Sense::Le, false, rounding, 1) {
            relations.push((lines, Sense::Le, acc));
        } else {
            return false;
        }
    }
    if !relations.iter().any(|(_, sense, _)| *sense == Sense::Eq) {
        return false;
    }
    let name = row_name(table, t);
    for (lines, sense, acc) in relations {
        b.add(name.clone(), Source::Lexicon, lines, sense, false, acc);
    }
    true
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
            // What the groups shown leave of the total is a group not shown (`Unknown`,
            // `Other`): an implied residual per line, audited like any cell.
            b.add(name, Source::Lexicon, lines, Sense::Eq, true, acc);
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
    let (mismatches_before, relations_before) = (b.out.mismatches.len(), b.out.relations.len());
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
    // A column named as a total that another labelled total adds up (`total_TPP` and
    // `total_EMIS` under `total`) is a part of it: that it adds up nothing itself is no S1.
    let parts: BTreeSet<u32> = b.out.relations[relations_before..]
        .iter()
        .filter(|r| matches!(r.total, Total::Cell(p) if r.parts.iter().all(|q| q.row == p.row)))
        .flat_map(|r| r.parts.iter().map(|q| q.col))
        .collect();
    let mut k = 0;
    b.out.mismatches.retain(|m| {
        k += 1;
        k <= mismatches_before || !parts.contains(&m.cell.col)
    });
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
        // Pop's total is below its parts: no reading.
        let (t, lx) = table("Age,HD,Pop\n21-30,7,19\n31-40,5,15\n41-50,8,18\nTotal,20,40\n");
        let s = detect(&t, &lx);
        assert!(!s.mismatches.is_empty(), "{s:?}");
        // Above its parts, it leaves an age group out: a residual on each column.
        let (t, lx) = table("Age,HD,Pop\n21-30,7,19\n31-40,5,15\n41-50,8,18\nTotal,20,64\n");
        let s = detect(&t, &lx);
        assert!(s.mismatches.is_empty(), "{s:?}");
        assert!(
            s.relations.len() == 2 && s.relations.iter().all(|r| r.residual),
            "{s:?}"
        );
    }

    /// A total first over a code tree below it adds up the tree's top level (`C50`, `E11`),
    /// not every row under it: with hidden cells among the children both read, but only the
    /// top level is exact on every line, and the children's own relations then hold with it.
    #[test]
    fn a_total_first_adds_up_the_top_of_a_code_tree_below_it() {
        let (t, lx) = table(
            "Code,A,B\nTotal,73,198\nC50,50,129\nC50.1,x,125\nC50.2,47,x\nE11,23,69\nE11.1,x,x\nE11.2,4,2\n",
        );
        let s = detect(&t, &lx);
        let total = s
            .relations
            .iter()
            .find(|r| r.total == Total::Cell(CellPos { row: 0, col: 2 }))
            .expect("the total row is read");
        let rows: Vec<usize> = total.parts.iter().map(|p| p.row).collect();
        assert_eq!(rows, [1, 4], "{s:?}");
        assert!(s.mismatches.is_empty(), "{s:?}");
    }
}
