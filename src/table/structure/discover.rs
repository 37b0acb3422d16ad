//! Label-free discovery (docs/tables.md §3.5): sum rows and columns found by the numbers alone
//! (AggreCol-style adjacent scan), in passes that take the totals found so far out.

use std::collections::BTreeSet;

use super::counts::{col_lines, row_lines, Grid, Line};
use super::verify::{members_nonzero, verify, Accepted};
use super::{col_name, row_name, used_totals, Builder, Sense, Source};

/// Passes of the label-free scan: the first over every line, each further one over the lines
/// left when the totals found so far are taken out (AggreCol's non-adjacent pass,
/// docs/tables.md §3.5).
pub(super) const LABEL_FREE_PASSES: usize = 3;

/// Label-free discovery of sum columns: a column equal to the sum of an adjacent run. Later
/// passes take the totals found so far out of the row of columns, so that a total whose parts
/// were split by a sub-total (`Ward 1, Ward 2, North, Ward 3, Ward 4, South, County`) has them
/// side by side.
pub(super) fn discover_cols(b: &mut Builder<'_, '_>) {
    let g = b.g;
    if b.rounding.is_some() {
        return;
    }
    discover(
        b,
        &g.cols,
        |b| used_totals(b).1,
        usize::MAX,
        |c, parts| col_lines(g, c, parts),
        |c| col_name(g.table, c),
    );
}

/// Label-free discovery of sum rows: a row equal to the sum of an adjacent run of rows, in
/// passes as for columns.
pub(super) fn discover_rows(b: &mut Builder<'_, '_>) {
    let g = b.g;
    if b.rounding.is_some() || g.cols.len() < 2 {
        return;
    }
    discover(
        b,
        &g.rows,
        |b| used_totals(b).0,
        60,
        |r, parts| row_lines(g, r, parts),
        |r| row_name(g.table, r),
    );
}

/// The passes of label-free discovery over rows or columns: a line equal to the sum of an
/// adjacent run of lines (at most `max_run` long) among those not yet used as totals.
pub(super) fn discover<T: Copy + Ord>(
    b: &mut Builder<'_, '_>,
    all: &[T],
    used_of: impl Fn(&Builder<'_, '_>) -> BTreeSet<T>,
    max_run: usize,
    lines_of: impl Fn(T, &[T]) -> Vec<Line>,
    name_of: impl Fn(T) -> String,
) {
    let g = b.g;
    for pass in 0..LABEL_FREE_PASSES {
        let used = used_of(b);
        if pass > 0 && used.is_empty() {
            break;
        }
        let ids: Vec<T> = if pass == 0 {
            all.to_vec()
        } else {
            all.iter().copied().filter(|x| !used.contains(x)).collect()
        };
        let before = b.out.groups.len();
        let n = ids.len();
        for j in 0..n {
            let x = ids[j];
            if used.contains(&x) {
                continue;
            }
            if let Some((lines, acc)) = adjacent_sum(g, &ids, j, n.min(max_run), &used, |parts| {
                lines_of(x, parts)
            }) {
                b.add(name_of(x), Source::Numeric, lines, Sense::Eq, false, acc);
            }
        }
        if pass > 0 && b.out.groups.len() == before {
            break;
        }
    }
}

/// The first run of at least two lines (rows or columns) next to position `at` of `ids`, before
/// it and then after it, shorter than `max_len` and with no line already a total, whose lines
/// sum to the line at `at` (AggreCol's adjacent scan, docs/tables.md §3.5).
pub(super) fn adjacent_sum<T: Copy + Ord>(
    g: &Grid<'_>,
    ids: &[T],
    at: usize,
    max_len: usize,
    used: &BTreeSet<T>,
    lines_of: impl Fn(&[T]) -> Vec<Line>,
) -> Option<(Vec<Line>, Accepted)> {
    let n = ids.len() as i64;
    for dir in [-1i64, 1] {
        for k in 2..max_len {
            let idx: Vec<i64> = (1..=k as i64).map(|s| at as i64 + dir * s).collect();
            if idx.iter().any(|&x| x < 0 || x >= n) {
                break;
            }
            let parts: Vec<T> = idx.iter().map(|&x| ids[x as usize]).collect();
            if parts.iter().any(|p| used.contains(p)) {
                break;
            }
            let lines = lines_of(&parts);
            if !members_nonzero(g, &lines) {
                continue;
            }
            if let Some(acc) = verify(g, &lines, Sense::Eq, false, None, 2) {
                return Some((lines, acc));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::test_support::table;
    use super::super::*;

    #[test]
    fn unlabelled_sum_column_needs_two_matches() {
        let (t, lx) = table("Group,Men,Women,N\nx,10,12,22\ny,7,9,16\nz,1,1,3\n");
        let s = detect(&t, &lx);
        assert!(s.relations.is_empty(), "{s:?}");
        let (t, lx) = table("Group,Men,Women,N\nx,10,12,22\ny,7,9,16\nz,1,2,3\n");
        let s = detect(&t, &lx);
        assert_eq!(s.groups.len(), 1, "{s:?}");
        assert_eq!(s.groups[0].source, Source::Numeric);
    }

    const WARDS: &str = "Cohort,Ward 1,Ward 2,North,Ward 3,Ward 4,South,County
Cohort A,<5,15,x,10,12,22,40
Cohort B,20,25,45,30,35,65,110
Cohort C,11,13,24,17,19,36,60
Cohort D,21,8,29,14,16,30,59
";

    fn numeric_labels(s: &Structure) -> Vec<&str> {
        s.groups
            .iter()
            .filter(|g| g.source == Source::Numeric)
            .map(|g| g.label.as_str())
            .collect()
    }

    #[test]
    fn second_label_free_pass_finds_the_total_over_sub_totals() {
        let (t, lx) = table(WARDS);
        let s = detect(&t, &lx);
        assert_eq!(
            numeric_labels(&s),
            ["'North'", "'South'", "'County'"],
            "{s:?}"
        );
        let county = s
            .relations
            .iter()
            .find(|r| r.total == Total::Cell(CellPos { row: 1, col: 8 }))
            .expect("County in row 2");
        let mut cols: Vec<u32> = county.parts.iter().map(|p| p.col).collect();
        cols.sort_unstable();
        assert_eq!(cols, [2, 3, 5, 6]);
    }

    #[test]
    fn second_label_free_pass_needs_two_exact_lines() {
        // County adds up in one fully published row only: a coincidence as far as we know.
        let csv = "Cohort,Ward 1,Ward 2,North,Ward 3,Ward 4,South,County
Cohort A,<5,15,x,10,12,22,40
Cohort B,20,25,45,30,35,65,110
Cohort C,11,13,24,17,19,36,x
";
        let (t, lx) = table(csv);
        let s = detect(&t, &lx);
        assert_eq!(numeric_labels(&s), ["'North'", "'South'"], "{s:?}");
    }
}
