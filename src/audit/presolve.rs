//! Exact integer presolve (§3.6.2): residuals, single unknowns and zero sums.
//!
//! Works on equalities only, in checked `i128` arithmetic. A relation whose arithmetic would
//! overflow is skipped (left to the later tiers), never trusted.

use super::state::{Infeasible, State, Tier};
use super::system::{Int, Sense, System};

/// Runs the presolve rules over the given relations until nothing changes.
/// Returns whether any unknown was fixed.
pub(crate) fn presolve(sys: &System, rels: &[usize], st: &mut State) -> Result<bool, Infeasible> {
    let mut any = false;
    loop {
        let mut changed = false;
        for &ri in rels {
            let r = &sys.relations[ri];
            if r.sense != Sense::Eq {
                continue;
            }
            let mut resid: Option<Int> = Some(r.rhs);
            let mut free: Vec<(usize, Int)> = Vec::new();
            let mut fixed_vars: Vec<usize> = Vec::new();
            for &(v, a) in &r.terms {
                match st.fixed(v.0) {
                    Some(x) => {
                        resid = resid.and_then(|s| s.checked_sub(a.checked_mul(x)?));
                        fixed_vars.push(v.0);
                    }
                    None => free.push((v.0, a)),
                }
            }
            let Some(resid) = resid else { continue };
            let infeasible = |st: &State| Infeasible {
                rels: st.why_union(fixed_vars.iter().copied(), &[ri]),
            };
            match free.len() {
                0 => {
                    if resid != 0 {
                        return Err(infeasible(st));
                    }
                }
                1 => {
                    let (v, a) = free[0];
                    if resid % a != 0 {
                        return Err(infeasible(st));
                    }
                    let x = resid / a;
                    let why = st.why_union(fixed_vars.iter().copied(), &[ri]);
                    if st.fix(v, x, Tier::Presolve, why).is_err() {
                        let mut inf = infeasible(st);
                        inf.rels.extend_from_slice(&st.why[v]);
                        return Err(inf);
                    }
                    changed = true;
                }
                _ => {
                    // All coefficients of one sign: Σ a·x is extreme at the lower bounds.
                    let pos = free.iter().all(|&(_, a)| a > 0);
                    let neg = free.iter().all(|&(_, a)| a < 0);
                    if !(pos || neg) {
                        continue;
                    }
                    let mut at_low: Option<Int> = Some(0);
                    for &(v, a) in &free {
                        at_low = at_low.and_then(|s| s.checked_add(a.checked_mul(st.lo[v])?));
                    }
                    let Some(at_low) = at_low else { continue };
                    let beyond = if pos { resid < at_low } else { resid > at_low };
                    if beyond {
                        let mut inf = infeasible(st);
                        inf.rels = st.why_union(free.iter().map(|&(v, _)| v), &inf.rels);
                        return Err(inf);
                    }
                    if resid == at_low {
                        let why = st.why_union(
                            fixed_vars
                                .iter()
                                .copied()
                                .chain(free.iter().map(|&(v, _)| v)),
                            &[ri],
                        );
                        for &(v, _) in &free {
                            let x = st.lo[v];
                            if st.fix(v, x, Tier::ZeroSum, why.clone()).is_err() {
                                return Err(infeasible(st));
                            }
                        }
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            return Ok(any);
        }
        any = true;
    }
}
