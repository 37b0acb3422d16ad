//! LP and MILP bounds through `good_lp` with the pure-Rust `microlp` backend (§3.6.6–3.6.7).
//!
//! Unknowns already fixed by the exact tiers are substituted as constants (exactly, in `i128`)
//! before conversion to `f64`, so the floating-point models stay small.

use std::time::Duration;

use good_lp::{
    microlp, variable, Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus,
    SolverModel, Variable, WithTimeLimit,
};

use super::state::State;
use super::system::{Int, Sense, System};

/// One row of a component model after substitution: `Σ a·x (= | ≤) rhs` over local indices.
#[derive(Clone, Debug)]
pub(crate) struct LocalRow {
    pub terms: Vec<(usize, f64)>,
    pub sense: Sense,
    pub rhs: f64,
}

/// A component's free unknowns and rows, ready for a solver.
#[derive(Clone, Debug)]
pub(crate) struct LocalModel {
    /// Global index of each local unknown.
    pub vars: Vec<usize>,
    pub lo: Vec<f64>,
    /// `None` = unbounded above.
    pub hi: Vec<Option<f64>>,
    pub rows: Vec<LocalRow>,
}

/// Result of one solve.
#[derive(Clone, Debug)]
pub(crate) enum LpOutcome {
    /// Optimal objective value and the optimal point (local order).
    Optimal {
        value: f64,
        point: Vec<f64>,
    },
    Infeasible,
    Unbounded,
    /// Time limit, size limit or solver error: nothing concluded.
    Failed,
}

impl LocalModel {
    /// Builds the model of the free unknowns of a component. `None` on overflow.
    pub fn build(sys: &System, rels: &[usize], st: &State, free: &[usize]) -> Option<Self> {
        let mut local = std::collections::HashMap::new();
        for (i, &v) in free.iter().enumerate() {
            local.insert(v, i);
        }
        let mut rows = Vec::new();
        for &ri in rels {
            let r = &sys.relations[ri];
            let mut rhs = r.rhs;
            let mut terms = Vec::new();
            for &(v, a) in &r.terms {
                match (st.fixed(v.0), local.get(&v.0)) {
                    (_, Some(&i)) => terms.push((i, a as f64)),
                    (Some(x), None) => rhs = rhs.checked_sub(a.checked_mul(x)?)?,
                    (None, None) => return None,
                }
            }
            if terms.is_empty() {
                continue;
            }
            rows.push(LocalRow {
                terms,
                sense: r.sense,
                rhs: rhs as f64,
            });
        }
        Some(LocalModel {
            vars: free.to_vec(),
            lo: free.iter().map(|&v| st.lo[v] as f64).collect(),
            hi: free.iter().map(|&v| st.hi[v].map(|h| h as f64)).collect(),
            rows,
        })
    }

    /// Minimises or maximises one local unknown. With `integer`, every unknown is integer and
    /// unbounded ones are capped at `cap`; the solve stops after `time_limit`.
    pub fn solve(
        &self,
        target: usize,
        maximise: bool,
        integer: Option<(Int, Duration)>,
    ) -> LpOutcome {
        let mut pv = ProblemVariables::new();
        let mut xs: Vec<Variable> = Vec::with_capacity(self.vars.len());
        for i in 0..self.vars.len() {
            let mut def = variable().min(self.lo[i]);
            match (self.hi[i], integer) {
                (Some(h), _) => def = def.max(h),
                (None, Some((cap, _))) => def = def.max(cap as f64),
                (None, None) => {}
            }
            if integer.is_some() {
                let fits = |x: f64| x.abs() < f64::from(i32::MAX);
                if !fits(self.lo[i]) || self.hi[i].is_some_and(|h| !fits(h)) {
                    return LpOutcome::Failed;
                }
                def = def.integer();
            }
            xs.push(pv.add(def));
        }
        let Some(&obj_var) = xs.get(target) else {
            return LpOutcome::Failed;
        };
        let objective: Expression = obj_var.into();
        let unsolved = if maximise {
            pv.maximise(objective)
        } else {
            pv.minimise(objective)
        };
        let mut model = unsolved.using(microlp);
        if let Some((_, limit)) = integer {
            model = model.with_time_limit(limit.as_secs_f64());
        }
        for row in &self.rows {
            let mut e = Expression::from(0.0);
            for &(i, a) in &row.terms {
                e.add_mul(a, xs[i]);
            }
            model = match row.sense {
                Sense::Eq => model.with(e.eq(row.rhs)),
                Sense::Le => model.with(e.leq(row.rhs)),
            };
        }
        match model.solve() {
            Ok(sol) => {
                if !matches!(sol.status(), SolutionStatus::Optimal) {
                    return LpOutcome::Failed;
                }
                let point: Vec<f64> = xs.iter().map(|&x| sol.value(x)).collect();
                let value = point[target];
                if !value.is_finite() {
                    return LpOutcome::Failed;
                }
                LpOutcome::Optimal { value, point }
            }
            Err(ResolutionError::Infeasible) => LpOutcome::Infeasible,
            Err(ResolutionError::Unbounded) => LpOutcome::Unbounded,
            Err(_) => LpOutcome::Failed,
        }
    }

    /// Checks an integer point exactly against every row (after rounding each value).
    pub fn check_integer_point(
        &self,
        sys: &System,
        rels: &[usize],
        st: &State,
        point: &[f64],
    ) -> bool {
        let mut vals: Vec<Option<Int>> = vec![None; sys.unknowns.len()];
        for (i, &v) in self.vars.iter().enumerate() {
            let x = point.get(i).copied().unwrap_or(f64::NAN);
            if !x.is_finite() || (x - x.round()).abs() > 1e-6 {
                return false;
            }
            let xi = x.round() as Int;
            if xi < st.lo[v] || st.hi[v].is_some_and(|h| xi > h) {
                return false;
            }
            vals[v] = Some(xi);
        }
        for &ri in rels {
            let r = &sys.relations[ri];
            let mut lhs: Int = 0;
            for &(v, a) in &r.terms {
                let Some(x) = vals[v.0].or_else(|| st.fixed(v.0)) else {
                    return false;
                };
                let Some(s) = a.checked_mul(x).and_then(|p| lhs.checked_add(p)) else {
                    return false;
                };
                lhs = s;
            }
            let ok = match r.sense {
                Sense::Eq => lhs == r.rhs,
                Sense::Le => lhs <= r.rhs,
            };
            if !ok {
                return false;
            }
        }
        true
    }
}

/// Rounds an LP lower bound inward with the §3.6.6 tolerance.
pub(crate) fn round_lo(x: f64) -> Int {
    let s = x.abs().max(1.0);
    (x - 1e-7 * s).ceil() as Int
}

/// Rounds an LP upper bound inward with the §3.6.6 tolerance.
pub(crate) fn round_hi(x: f64) -> Int {
    let s = x.abs().max(1.0);
    (x + 1e-7 * s).floor() as Int
}
