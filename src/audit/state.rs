//! The audit's working state: the current box of every unknown and how it was obtained.

use super::system::{Int, Relation, Sense, System};

/// Which tier of the audit produced an unknown's final interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Nothing narrowed the nominal box.
    Nominal,
    /// Exact presolve: a relation with a single unknown left (subtraction).
    Presolve,
    /// Exact presolve: unknowns forced to their lower bounds (a zero sum).
    ZeroSum,
    /// Bound propagation (FBBT) in exact integer arithmetic.
    Propagation,
    /// Gaussian elimination: the equations alone determine the unknown.
    Elimination,
    /// Two linear programs, bounds rounded inward.
    LinearProgram,
    /// Two integer programs.
    IntegerProgram,
    /// Not solved exactly: witnesses proved it can take a value `≥ t` and another value, so no
    /// small-cell verdict can apply. The interval shown is the propagation (outer) box.
    WitnessPruned,
}

impl Tier {
    /// True if the tier proves its interval in exact arithmetic (no floating point).
    pub fn is_exact_arithmetic(self) -> bool {
        matches!(
            self,
            Tier::Presolve | Tier::ZeroSum | Tier::Propagation | Tier::Elimination
        )
    }
}

/// Proof that a component has no (integer) solution: the relations involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Infeasible {
    pub rels: Vec<usize>,
}

/// Boxes, tiers and provenance of every unknown.
#[derive(Clone, Debug)]
pub(crate) struct State {
    pub lo: Vec<Int>,
    pub hi: Vec<Option<Int>>,
    pub tier: Vec<Tier>,
    /// Relations used to derive the current box, sorted and deduplicated.
    pub why: Vec<Vec<usize>>,
    /// Whether a floating-point tier's result was confirmed by integer programming.
    pub certified: Vec<bool>,
}

impl State {
    /// Every unknown at its nominal box.
    pub fn nominal(sys: &System) -> Self {
        let n = sys.unknowns.len();
        State {
            lo: sys.unknowns.iter().map(|u| u.low).collect(),
            hi: sys.unknowns.iter().map(|u| u.high).collect(),
            tier: vec![Tier::Nominal; n],
            why: vec![Vec::new(); n],
            certified: vec![true; n],
        }
    }

    /// The value of an unknown if its box is a single point.
    pub fn fixed(&self, v: usize) -> Option<Int> {
        match self.hi[v] {
            Some(h) if h == self.lo[v] => Some(h),
            _ => None,
        }
    }

    /// Fixes an unknown to `x` with the given provenance; fails if `x` is outside its box.
    pub fn fix(&mut self, v: usize, x: Int, tier: Tier, why: Vec<usize>) -> Result<(), ()> {
        if x < self.lo[v] || self.hi[v].is_some_and(|h| x > h) {
            return Err(());
        }
        self.lo[v] = x;
        self.hi[v] = Some(x);
        self.tier[v] = tier;
        self.why[v] = why;
        Ok(())
    }

    /// Union of the provenance of the given unknowns plus extra relations.
    pub fn why_union(&self, vars: impl IntoIterator<Item = usize>, extra: &[usize]) -> Vec<usize> {
        let mut out: Vec<usize> = extra.to_vec();
        for v in vars {
            out.extend_from_slice(&self.why[v]);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Checks one relation exactly when all its unknowns are fixed. `None` if some are free or
    /// the arithmetic overflows.
    pub fn holds(&self, r: &Relation) -> Option<bool> {
        let mut lhs: Int = 0;
        for &(v, a) in &r.terms {
            let x = self.fixed(v.0)?;
            lhs = lhs.checked_add(a.checked_mul(x)?)?;
        }
        Some(match r.sense {
            Sense::Eq => lhs == r.rhs,
            Sense::Le => lhs <= r.rhs,
        })
    }
}

/// Floor division for integers (rounds toward −∞). `None` on division by zero or overflow.
pub(crate) fn div_floor(a: Int, b: Int) -> Option<Int> {
    if b == 0 {
        return None;
    }
    let q = a.checked_div(b)?;
    let r = a.checked_rem(b)?;
    if r != 0 && ((r < 0) != (b < 0)) {
        q.checked_sub(1)
    } else {
        Some(q)
    }
}

/// Ceiling division for integers (rounds toward +∞). `None` on division by zero or overflow.
pub(crate) fn div_ceil(a: Int, b: Int) -> Option<Int> {
    if b == 0 {
        return None;
    }
    let q = a.checked_div(b)?;
    let r = a.checked_rem(b)?;
    if r != 0 && ((r < 0) == (b < 0)) {
        q.checked_add(1)
    } else {
        Some(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_and_ceil_division() {
        assert_eq!(div_floor(7, 2), Some(3));
        assert_eq!(div_floor(-7, 2), Some(-4));
        assert_eq!(div_floor(7, -2), Some(-4));
        assert_eq!(div_floor(-7, -2), Some(3));
        assert_eq!(div_ceil(7, 2), Some(4));
        assert_eq!(div_ceil(-7, 2), Some(-3));
        assert_eq!(div_ceil(7, -2), Some(-3));
        assert_eq!(div_ceil(-7, -2), Some(4));
        assert_eq!(div_ceil(6, 3), Some(2));
        assert_eq!(div_floor(1, 0), None);
    }
}
