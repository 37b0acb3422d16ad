//! Label-free discovery (docs/tables.md §3.5): sum rows and columns found by the numbers alone
//! (AggreCol-style adjacent scan), in passes that take the totals found so far out.

use std::collections::BTreeSet;

use super::counts::{col_lines, row_lines, Grid, Line};
use super::verify::{members_nonzero, verify, Accepted};
use super::{col_name, row_name, used_totals, Builder, Int, Sense, Shown, Source};

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
        |c| match g.col_at.get(&c) {
            Some(&j) => g.cells.iter().map(|r| r[j]).collect(),
            None => Vec::new(),
        },
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
        |r| match g.row_at.get(&r) {
            Some(&i) => g.cells[i].clone(),
            None => Vec::new(),
        },
    );
}

/// The passes of label-free discovery over rows or columns: a line equal to the sum of an
/// adjacent run of lines (at most `max_run` long) among those not yet used as totals.
/// `cells_of` gives what a line shows at each position across it (the grid's rows for a column,
/// its columns for a row).
pub(super) fn discover<T: Copy + Ord>(
    b: &mut Builder<'_, '_>,
    all: &[T],
    used_of: impl Fn(&Builder<'_, '_>) -> BTreeSet<T>,
    max_run: usize,
    lines_of: impl Fn(T, &[T]) -> Vec<Line>,
    name_of: impl Fn(T) -> String,
    cells_of: impl Fn(T) -> Vec<Option<Shown>>,
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
            let run = Run {
                ids: &ids,
                at: j,
                max_len: n.min(max_run),
                used: &used,
            };
            if let Some((lines, acc)) = adjacent_sum(g, &run, &cells_of, |parts| lines_of(x, parts))
            {
                b.add(name_of(x), Source::Numeric, lines, Sense::Eq, false, acc);
            }
        }
        if pass > 0 && b.out.groups.len() == before {
            break;
        }
    }
}

/// Where an adjacent run is looked for: position `at` of `ids`, runs shorter than `max_len`,
/// no member in `used`.
pub(super) struct Run<'a, T> {
    pub(super) ids: &'a [T],
    pub(super) at: usize,
    pub(super) max_len: usize,
    pub(super) used: &'a BTreeSet<T>,
}

/// The first run of at least two lines (rows or columns) next to position `at` of `ids`, before
/// it and then after it, shorter than `max_len` and with no line already a total, whose lines
/// sum to the line at `at` (AggreCol's adjacent scan, docs/tables.md §3.5).
///
/// The interval sums of the run are kept per position as the run grows, so that a run that a
/// position contradicts is dropped in time linear in the positions; only a run that no
/// position contradicts is built and verified (docs/tables.md §3.3). The scan of one line
/// costs positions × run lengths, not positions × run lengths².
pub(super) fn adjacent_sum<T: Copy + Ord>(
    g: &Grid<'_>,
    run: &Run<'_, T>,
    cells_of: impl Fn(T) -> Vec<Option<Shown>>,
    lines_of: impl Fn(&[T]) -> Vec<Line>,
) -> Option<(Vec<Line>, Accepted)> {
    let ids = run.ids;
    let n = ids.len() as i64;
    let total = cells_of(ids[run.at]);
    for dir in [-1i64, 1] {
        let mut sums = RunSums::new(total.len());
        let mut parts: Vec<T> = Vec::new();
        for k in 1..run.max_len {
            let x = run.at as i64 + dir * k as i64;
            if x < 0 || x >= n {
                break;
            }
            let part = ids[x as usize];
            if run.used.contains(&part) {
                break;
            }
            parts.push(part);
            sums.add(&cells_of(part));
            if k < 2 || sums.contradicted_by(&total) {
                continue;
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

/// The interval sum of a run of lines at each position across them, as exact verification
/// (no rounding, `=`) computes it line by line.
struct RunSums {
    lo: Vec<Int>,
    hi: Vec<Option<Int>>,
    /// Every member shows a whole number at the position.
    exact: Vec<bool>,
    /// A member shows no count at the position: verification skips the line.
    skip: Vec<bool>,
}

impl RunSums {
    fn new(len: usize) -> RunSums {
        RunSums {
            lo: vec![0; len],
            hi: vec![Some(0); len],
            exact: vec![true; len],
            skip: vec![false; len],
        }
    }

    fn add(&mut self, cells: &[Option<Shown>]) {
        for i in 0..self.lo.len() {
            let Some(s) = cells.get(i).copied().flatten() else {
                self.skip[i] = true;
                continue;
            };
            let (a, b, e) = match s {
                Shown::Exact(v) => (v, Some(v), true),
                Shown::Hidden { lo, hi } => (lo, hi, false),
                Shown::Empty => (0, None, false),
            };
            self.lo[i] = self.lo[i].saturating_add(a);
            self.hi[i] = self.hi[i].zip(b).map(|(x, y)| x.saturating_add(y));
            self.exact[i] &= e;
        }
    }

    /// Whether a position of `total` is violated: the line's status would be `Violated`.
    fn contradicted_by(&self, total: &[Option<Shown>]) -> bool {
        (0..self.lo.len()).any(|i| {
            let (tlo, thi, t_exact) = match total.get(i).copied().flatten() {
                None | Some(Shown::Empty) => return false,
                Some(Shown::Exact(v)) => (v, Some(v), true),
                Some(Shown::Hidden { lo, hi }) => (lo, hi, false),
            };
            if self.skip[i] {
                return false;
            }
            let (lo, hi) = (self.lo[i], self.hi[i]);
            if t_exact && self.exact[i] {
                lo != tlo
            } else {
                !(hi.is_none_or(|h| h >= tlo) && thi.is_none_or(|th| lo <= th))
            }
        })
    }
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
