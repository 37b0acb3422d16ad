//! Feasibility-based bound tightening (§3.6.5) in exact integer arithmetic.
//!
//! For a row `Σ a_k x_k (= | ≤) r`, each unknown gets
//! `a_j x_j ∈ [r − max Σ_{k≠j}, r − min Σ_{k≠j}]`, rounded inward to integers. The result is
//! sound: it always contains every integer solution. It proves failures, never safety.

use super::state::{div_ceil, div_floor, Infeasible, State, Tier};
use super::system::{Int, Sense, System};

/// Activity range of one row: finite part and number of infinite contributions.
struct Activity {
    min_sum: Int,
    min_inf: usize,
    max_sum: Int,
    max_inf: usize,
}

/// Minimum and maximum contribution of `a·x` for `x` in its box (`None` = infinite).
fn contribution(a: Int, lo: Int, hi: Option<Int>) -> Option<(Option<Int>, Option<Int>)> {
    let at_lo = a.checked_mul(lo)?;
    let at_hi = match hi {
        Some(h) => Some(a.checked_mul(h)?),
        None => None,
    };
    Some(if a > 0 {
        (Some(at_lo), at_hi)
    } else {
        (at_hi, Some(at_lo))
    })
}

fn activity(terms: &[(usize, Int)], st: &State) -> Option<Activity> {
    let mut act = Activity {
        min_sum: 0,
        min_inf: 0,
        max_sum: 0,
        max_inf: 0,
    };
    for &(v, a) in terms {
        let (mn, mx) = contribution(a, st.lo[v], st.hi[v])?;
        match mn {
            Some(x) => act.min_sum = act.min_sum.checked_add(x)?,
            None => act.min_inf += 1,
        }
        match mx {
            Some(x) => act.max_sum = act.max_sum.checked_add(x)?,
            None => act.max_inf += 1,
        }
    }
    Some(act)
}

/// New bounds for one unknown of a row, or `None` if the arithmetic overflows.
fn implied(
    a: Int,
    v: usize,
    act: &Activity,
    rhs: Int,
    sense: Sense,
    st: &State,
) -> Option<(Option<Int>, Option<Int>)> {
    let (mn, mx) = contribution(a, st.lo[v], st.hi[v])?;
    // Σ_{k≠j} range
    let others_min = match mn {
        Some(x) if act.min_inf == 0 => Some(act.min_sum.checked_sub(x)?),
        None if act.min_inf == 1 => Some(act.min_sum),
        _ => None,
    };
    let others_max = match mx {
        Some(x) if act.max_inf == 0 => Some(act.max_sum.checked_sub(x)?),
        None if act.max_inf == 1 => Some(act.max_sum),
        _ => None,
    };
    // a·x ≤ rhs − others_min ; a·x ≥ rhs − others_max (equalities only)
    let upper = match others_min {
        Some(m) => Some(rhs.checked_sub(m)?),
        None => None,
    };
    let lower = match (sense, others_max) {
        (Sense::Eq, Some(m)) => Some(rhs.checked_sub(m)?),
        _ => None,
    };
    let (mut new_lo, mut new_hi) = (None, None);
    if a > 0 {
        if let Some(u) = upper {
            new_hi = Some(div_floor(u, a)?);
        }
        if let Some(l) = lower {
            new_lo = Some(div_ceil(l, a)?);
        }
    } else {
        if let Some(u) = upper {
            new_lo = Some(div_ceil(u, a)?);
        }
        if let Some(l) = lower {
            new_hi = Some(div_floor(l, a)?);
        }
    }
    Some((new_lo, new_hi))
}

/// Propagates bounds over the given relations for at most `max_sweeps` sweeps.
/// Returns whether any box changed.
pub(crate) fn propagate(
    sys: &System,
    rels: &[usize],
    st: &mut State,
    max_sweeps: usize,
) -> Result<bool, Infeasible> {
    let mut any = false;
    for _ in 0..max_sweeps {
        let mut changed = false;
        for &ri in rels {
            let r = &sys.relations[ri];
            let terms: Vec<(usize, Int)> = r.terms.iter().map(|&(v, a)| (v.0, a)).collect();
            let Some(act) = activity(&terms, st) else {
                continue;
            };
            // A row that cannot be satisfied at all.
            let too_high = act.min_inf == 0 && act.min_sum > r.rhs;
            let too_low = r.sense == Sense::Eq && act.max_inf == 0 && act.max_sum < r.rhs;
            if too_high || too_low {
                return Err(Infeasible {
                    rels: st.why_union(terms.iter().map(|&(v, _)| v), &[ri]),
                });
            }
            for &(v, a) in &terms {
                if st.fixed(v).is_some() {
                    continue;
                }
                let Some((new_lo, new_hi)) = implied(a, v, &act, r.rhs, r.sense, st) else {
                    continue;
                };
                let mut tightened = false;
                if let Some(l) = new_lo {
                    if l > st.lo[v] {
                        st.lo[v] = l;
                        tightened = true;
                    }
                }
                if let Some(h) = new_hi {
                    if st.hi[v].is_none_or(|old| h < old) {
                        st.hi[v] = Some(h);
                        tightened = true;
                    }
                }
                if !tightened {
                    continue;
                }
                changed = true;
                if st.hi[v].is_some_and(|h| h < st.lo[v]) {
                    return Err(Infeasible {
                        rels: st.why_union(terms.iter().map(|&(w, _)| w), &[ri]),
                    });
                }
                if st.fixed(v).is_some() {
                    st.why[v] = st.why_union(terms.iter().map(|&(w, _)| w), &[ri]);
                } else {
                    let mut w = std::mem::take(&mut st.why[v]);
                    w.push(ri);
                    w.sort_unstable();
                    w.dedup();
                    st.why[v] = w;
                }
                st.tier[v] = Tier::Propagation;
            }
        }
        if !changed {
            break;
        }
        any = true;
    }
    Ok(any)
}
