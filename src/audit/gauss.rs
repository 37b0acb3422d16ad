//! Exact determinacy by Gaussian elimination (`docs/tables.md` §6.4).
//!
//! Integer, fraction-free row reduction to reduced row echelon form: each elimination step is
//! `row_i ← p·row_i − q·row_pivot` divided by the gcd of the row, all in checked `i128`. An
//! unknown is determined by the equations iff its pivot row has no other non-zero entry (the unit
//! vector lies in the row space: SSB's "leverage 1"). On overflow or a too-large matrix the tier
//! gives up and leaves the work to LP; it never guesses.

use super::state::{Infeasible, State};
use super::system::{Int, Sense, System};

/// Largest dense matrix (rows × free unknowns) this tier will build.
const MAX_CELLS: usize = 4_000_000;

/// What elimination found.
pub(crate) enum GaussOutcome {
    /// Unknowns determined by the equations: (unknown, value, relations combined).
    Determined(Vec<(usize, Int, Vec<usize>)>),
    /// The equations have no integer solution.
    Infeasible(Infeasible),
    /// Overflow or size cap: nothing concluded.
    GaveUp,
}

fn gcd(a: Int, b: Int) -> Int {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    Int::try_from(a).unwrap_or(1)
}

/// Divides a row (and its right-hand side) by the gcd of its entries.
fn normalise(row: &mut [Int], rhs: &mut Int) {
    let mut g: Int = 0;
    for &x in row.iter() {
        if x != 0 {
            g = gcd(g, x);
            if g == 1 {
                return;
            }
        }
    }
    if g > 1 && *rhs % g == 0 {
        for x in row.iter_mut() {
            *x /= g;
        }
        *rhs /= g;
    }
}

/// Row-reduces the equalities among `rels` over the unknowns not yet fixed in `st`.
pub(crate) fn eliminate(sys: &System, rels: &[usize], st: &State) -> GaussOutcome {
    let Some(mut m) = Matrix::build(sys, rels, st) else {
        return GaussOutcome::GaveUp;
    };
    if m.reduce().is_none() {
        return GaussOutcome::GaveUp;
    }
    m.determined()
}

/// The equalities as a dense integer matrix over the free unknowns, with the relations each row
/// combines.
struct Matrix {
    /// The unknown of each column.
    cols: Vec<usize>,
    mat: Vec<Vec<Int>>,
    rhs: Vec<Int>,
    /// The relations each row rests on (those combined, and those that fixed its knowns).
    support: Vec<Vec<usize>>,
}

impl Matrix {
    /// The matrix of the equalities among `rels`, the fixed unknowns moved to the right-hand
    /// side; `None` when there is nothing free, the matrix is too large, or a value overflows.
    fn build(sys: &System, rels: &[usize], st: &State) -> Option<Matrix> {
        let mut cols: Vec<usize> = Vec::new();
        let mut col_of = std::collections::HashMap::new();
        let eq_rels: Vec<usize> = rels
            .iter()
            .copied()
            .filter(|&ri| sys.relations[ri].sense == Sense::Eq)
            .collect();
        for &ri in &eq_rels {
            for &(v, _) in &sys.relations[ri].terms {
                if st.fixed(v.0).is_none() && !col_of.contains_key(&v.0) {
                    col_of.insert(v.0, cols.len());
                    cols.push(v.0);
                }
            }
        }
        let n = cols.len();
        if n == 0 || eq_rels.len().saturating_mul(n) > MAX_CELLS {
            return None;
        }
        let mut mat: Vec<Vec<Int>> = Vec::with_capacity(eq_rels.len());
        let mut rhs: Vec<Int> = Vec::with_capacity(eq_rels.len());
        let mut support: Vec<Vec<usize>> = Vec::with_capacity(eq_rels.len());
        for &ri in &eq_rels {
            let r = &sys.relations[ri];
            let mut row = vec![0; n];
            let mut b = r.rhs;
            let mut used = vec![ri];
            for &(v, a) in &r.terms {
                match st.fixed(v.0) {
                    Some(x) => {
                        b = a.checked_mul(x).and_then(|p| b.checked_sub(p))?;
                        used.extend_from_slice(&st.why[v.0]);
                    }
                    None => {
                        if let Some(&c) = col_of.get(&v.0) {
                            row[c] = a;
                        }
                    }
                }
            }
            mat.push(row);
            rhs.push(b);
            support.push(used);
        }
        Some(Matrix {
            cols,
            mat,
            rhs,
            support,
        })
    }

    /// Fraction-free reduction to reduced row echelon form; `None` on overflow.
    fn reduce(&mut self) -> Option<()> {
        let (n, m) = (self.cols.len(), self.mat.len());
        let mut pr = 0;
        for c in 0..n {
            if pr >= m {
                break;
            }
            // Pivot: the row with the smallest non-zero |entry| in this column.
            let mut best: Option<usize> = None;
            for (i, row) in self.mat.iter().enumerate().skip(pr) {
                let x = row[c];
                if x != 0 && best.is_none_or(|b| x.unsigned_abs() < self.mat[b][c].unsigned_abs()) {
                    best = Some(i);
                }
            }
            let Some(b) = best else { continue };
            self.mat.swap(pr, b);
            self.rhs.swap(pr, b);
            self.support.swap(pr, b);
            for i in 0..m {
                if i != pr && self.mat[i][c] != 0 {
                    self.eliminate_row(i, pr, c)?;
                }
            }
            pr += 1;
        }
        Some(())
    }

    /// `row_i ← p·row_i − q·row_pivot` (divided by the gcd of the row), clearing column `c` of
    /// row `i` with pivot row `pr`; `None` on overflow.
    fn eliminate_row(&mut self, i: usize, pr: usize, c: usize) -> Option<()> {
        let n = self.cols.len();
        let p = self.mat[pr][c];
        let q = self.mat[i][c];
        let g = gcd(p, q);
        let (pm, qm) = (p / g, q / g);
        let (head, tail) = if i < pr {
            let (h, t) = self.mat.split_at_mut(pr);
            (&mut h[i], &t[0])
        } else {
            let (h, t) = self.mat.split_at_mut(i);
            (&mut t[0], &h[pr])
        };
        for k in 0..n {
            head[k] = head[k]
                .checked_mul(pm)
                .and_then(|x| x.checked_sub(tail[k].checked_mul(qm)?))?;
        }
        self.rhs[i] = self.rhs[i]
            .checked_mul(pm)
            .and_then(|x| x.checked_sub(self.rhs[pr].checked_mul(qm)?))?;
        normalise(head, &mut self.rhs[i]);
        let extra = self.support[pr].clone();
        self.support[i].extend(extra);
        Some(())
    }

    /// The unknowns whose row has no other non-zero entry, with their values; an empty row with
    /// a non-zero right-hand side, or a value that is no integer, is infeasible.
    fn determined(&self) -> GaussOutcome {
        let n = self.cols.len();
        let mut found = Vec::new();
        for i in 0..self.mat.len() {
            let nz: Vec<usize> = (0..n).filter(|&k| self.mat[i][k] != 0).collect();
            let mut why = self.support[i].clone();
            why.sort_unstable();
            why.dedup();
            match nz.as_slice() {
                [] if self.rhs[i] != 0 => {
                    return GaussOutcome::Infeasible(Infeasible { rels: why });
                }
                [k] => {
                    let a = self.mat[i][*k];
                    if self.rhs[i] % a != 0 {
                        return GaussOutcome::Infeasible(Infeasible { rels: why });
                    }
                    found.push((self.cols[*k], self.rhs[i] / a, why));
                }
                _ => {}
            }
        }
        GaussOutcome::Determined(found)
    }
}
