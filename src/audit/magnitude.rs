//! Primary sensitivity rules for magnitude tables (docs/tables.md §9): the dominance `(n,k)`
//! rule, the p% rule and its `(p,q)` prior-posterior form, their upper protection levels, the
//! `(2,k)` → p% mapping, and the holding rules (contributions of one enterprise group taken
//! together; a threshold on the number of holdings).
//!
//! A magnitude cell `X` (costs, turnover, bed-days) is the sum of its contributors'
//! values `x_1 ≥ x_2 ≥ … ≥ x_N`. These functions are pure: they take the contributions (or the
//! few largest of them, which is all the rules need) and say whether the cell is unsafe and by
//! how much. Contributions are finite and not negative; with negative contributions the
//! concentration rules are meaningless (handbook §4.2) and the functions say nothing
//! ([`Contributions::new`] refuses them).

/// The total of a cell and its largest contributions, largest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Contributions {
    total: f64,
    /// The largest contributions known, in descending order (at least one).
    top: Vec<f64>,
}

impl Contributions {
    /// A cell's total and its largest contributions (any order; as many as are known). `None`
    /// when a value is negative or not finite, when no contribution is given, or when the
    /// contributions exceed the total (beyond a relative 1e-9 for rounding).
    pub fn new(total: f64, mut top: Vec<f64>) -> Option<Self> {
        if !total.is_finite() || total < 0.0 || top.is_empty() {
            return None;
        }
        if top.iter().any(|x| !x.is_finite() || *x < 0.0) {
            return None;
        }
        top.sort_by(|a, b| b.total_cmp(a));
        let sum: f64 = top.iter().sum();
        if sum > total * (1.0 + 1e-9) + 1e-9 {
            return None;
        }
        Some(Contributions { total, top })
    }

    /// Every contribution of the cell: the total is their sum.
    pub fn all(values: Vec<f64>) -> Option<Self> {
        let total = values.iter().sum();
        Contributions::new(total, values)
    }

    pub fn total(&self) -> f64 {
        self.total
    }

    /// The largest contribution.
    pub fn x1(&self) -> f64 {
        self.top[0]
    }

    /// The sum of the `n` largest contributions, when `n` of them are known.
    pub fn top_sum(&self, n: usize) -> Option<f64> {
        (n >= 1 && n <= self.top.len()).then(|| self.top[..n].iter().sum())
    }

    /// How many of the largest contributions are known.
    pub fn known(&self) -> usize {
        self.top.len()
    }
}

/// A primary rule for magnitude cells.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// `(n,k)` dominance: unsafe iff the `n` largest contributions exceed `k` % of the total.
    Dominance { n: usize, k: f64 },
    /// `(p,q)` prior-posterior rule with a coalition of `n` intruders (`q = 100`, `n = 1` is the
    /// plain p% rule): unsafe iff `(p/q)·x_1 > X − x_1 − … − x_{n+1}`.
    PPercent { p: f64, q: f64, n: usize },
}

impl Rule {
    /// The plain p% rule (`q = 100`, one intruder).
    pub fn p_percent(p: f64) -> Rule {
        Rule::PPercent { p, q: 100.0, n: 1 }
    }
}

/// What a rule says about a cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub unsafe_cell: bool,
    /// Upper protection level: how far the cell would have to be raised to be safe (positive
    /// exactly when the cell is unsafe).
    pub upl: f64,
}

/// Apply a rule. `None` when the contributions it needs are not known: the `(n,k)` rule needs
/// the `n` largest and the p% rule the `n + 1` largest, except that a cell is decided unsafe
/// already by fewer when even they settle it (the largest alone above `k` %; `X − x_1` below
/// `(p/q)·x_1`), since unknown contributions only make the known sum larger (dominance) or the
/// remainder smaller (p%).
pub fn evaluate(rule: Rule, c: &Contributions) -> Option<Outcome> {
    match rule {
        Rule::Dominance { n, k } => {
            if n == 0 || !(0.0..=100.0).contains(&k) || k == 0.0 {
                return None;
            }
            match c.top_sum(n) {
                Some(s) => Some(dominance(s, c.total, k)),
                None => {
                    let known = c.top_sum(c.known())?;
                    let o = dominance(known, c.total, k);
                    o.unsafe_cell.then_some(o)
                }
            }
        }
        Rule::PPercent { p, q, n } => {
            if p.is_nan() || p <= 0.0 || !(0.0..=100.0).contains(&q) || q == 0.0 || n == 0 {
                return None;
            }
            match c.top_sum(n + 1) {
                Some(s) => Some(p_percent(c.total, c.x1(), s - c.x1(), p, q)),
                None => {
                    let known = c.top_sum(c.known())?;
                    let o = p_percent(c.total, c.x1(), known - c.x1(), p, q);
                    o.unsafe_cell.then_some(o)
                }
            }
        }
    }
}

/// `(n,k)` dominance from the sum of the `n` largest contributions: unsafe iff
/// `top_n > (k/100)·X`; `UPL = (100/k)·top_n − X`.
pub fn dominance(top_n: f64, total: f64, k: f64) -> Outcome {
    Outcome {
        unsafe_cell: top_n > k / 100.0 * total,
        upl: 100.0 / k * top_n - total,
    }
}

/// The `(p,q)` rule for one intruder set: `others` is the sum of the intruders' contributions
/// besides the largest (`x_2` for the plain rule). Unsafe iff `(p/q)·x_1 > X − x_1 − others`,
/// which is τ-ARGUS `GetPQCell` `(p/100)·x_1 + (q/100)·(x_1 + others − X) > 0` scaled by
/// `100/q`; `UPL = (p/q)·x_1 − (X − x_1 − others)`.
pub fn p_percent(total: f64, x1: f64, others: f64, p: f64, q: f64) -> Outcome {
    let remainder = total - x1 - others;
    let upl = p / q * x1 - remainder;
    Outcome {
        unsafe_cell: upl > 0.0,
        upl,
    }
}

/// τ-ARGUS `GetPQCell`: `(p/100)·x_1 + (q/100)·(Σ_{i ≤ n+1} x_i − X)`; positive means unsafe.
pub fn pq_value(c: &Contributions, p: f64, q: f64, n: usize) -> Option<f64> {
    let s = c.top_sum(n + 1)?;
    Some(p / 100.0 * c.x1() + q / 100.0 * (s - c.total))
}

/// The p of the p% rule that a `(2,k)` dominance rule corresponds to: `p = 100·(100 − k)/k`.
pub fn k_to_p(k: f64) -> f64 {
    100.0 * (100.0 - k) / k
}

/// The k of the `(2,k)` rule under which every safe cell is also p%-safe: `k = 100·100/(100+p)`.
pub fn p_to_k(p: f64) -> f64 {
    100.0 * 100.0 / (100.0 + p)
}

/// The holding rule: contributions of reporting units that belong to one enterprise group (the
/// same holding) count as one contribution. `units` are `(holding, value)`; the result is the
/// contributions per holding, the input of [`Contributions::all`].
pub fn by_holding<H: Ord + Clone>(units: &[(H, f64)]) -> Vec<f64> {
    let mut sums: std::collections::BTreeMap<H, f64> = std::collections::BTreeMap::new();
    for (h, v) in units {
        *sums.entry(h.clone()).or_insert(0.0) += v;
    }
    sums.into_values().collect()
}

/// The minimum frequency rule applied to holdings: a cell with contributors from fewer than
/// `threshold` distinct holdings is unsafe (`threshold` 3: one or two enterprise groups).
pub fn holdings_unsafe<H: Ord>(holdings: &[H], threshold: usize) -> bool {
    let distinct: std::collections::BTreeSet<&H> = holdings.iter().collect();
    !distinct.is_empty() && distinct.len() < threshold
}

#[cfg(test)]
mod tests {
    //! TC-15 (docs/tables.md §11): SDC Handbook §4.2 Examples 1, 2 and 4, τ-ARGUS manual §4.4.4.
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn cell(total: f64, top: &[f64]) -> Contributions {
        Contributions::new(total, top.to_vec()).expect("valid contributions")
    }

    #[test]
    fn tc15_row1_dominance_1_90_is_safe() {
        let c = cell(100_000.0, &[50_000.0, 49_000.0]);
        let o = evaluate(Rule::Dominance { n: 1, k: 90.0 }, &c).expect("decided");
        assert!(!o.unsafe_cell, "50,000 ≤ 90,000");
        assert!(o.upl <= 0.0);
    }

    #[test]
    fn tc15_row2_p10_is_unsafe_with_upl_4000() {
        let c = cell(100_000.0, &[50_000.0, 49_000.0]);
        let o = evaluate(Rule::p_percent(10.0), &c).expect("decided");
        assert!(o.unsafe_cell, "X − x1 − x2 = 1,000 < 5,000");
        assert!(close(o.upl, 4_000.0, 1e-9), "{}", o.upl);
        // τ-ARGUS GetPQCell: 0.1·50,000 + 1·(99,000 − 100,000) = 4,000 > 0.
        let v = pq_value(&c, 10.0, 100.0, 1).expect("two known");
        assert!(close(v, 4_000.0, 1e-9), "{v}");
    }

    #[test]
    fn tc15_row3_p10_is_safe() {
        let c = cell(110_000.0, &[52_000.0, 50_000.0]);
        let o = evaluate(Rule::p_percent(10.0), &c).expect("decided");
        assert!(!o.unsafe_cell, "8,000 ≥ 5,200");
        // The estimate x1 ≈ X − x2 = 60,000 overshoots 52,000 by 15.4 %.
        let overshoot = (110_000.0 - 50_000.0 - 52_000.0) / 52_000.0 * 100.0;
        assert!(close(overshoot, 15.4, 0.05), "{overshoot}");
    }

    #[test]
    fn tc15_row4_dominance_2_90909_is_unsafe() {
        let c = cell(110_000.0, &[52_000.0, 50_000.0]);
        let o = evaluate(Rule::Dominance { n: 2, k: 90.909 }, &c).expect("decided");
        assert!(o.unsafe_cell, "102,000 > 100,000");
    }

    #[test]
    fn tc15_row5_dominance_1_85_is_unsafe_with_upl_22_94() {
        let c = Contributions::all(vec![300.0, 20.0, 10.0]).expect("valid");
        assert_eq!(c.total(), 330.0);
        let o = evaluate(Rule::Dominance { n: 1, k: 85.0 }, &c).expect("decided");
        assert!(o.unsafe_cell, "300 > 280.5");
        assert!(close(o.upl, 22.94, 0.005), "{}", o.upl);
    }

    #[test]
    fn tc15_row6_k_to_p() {
        assert!(close(k_to_p(80.0), 25.0, 1e-12));
        assert!(close(k_to_p(95.0), 5.263, 0.0005), "{}", k_to_p(95.0));
        // And back: k = 100·100/(100 + p).
        assert!(close(p_to_k(25.0), 80.0, 1e-12));
        assert!(close(p_to_k(10.0), 90.909, 0.0005));
    }

    #[test]
    fn tc15_row7_reporting_units_are_safe_under_p10() {
        let c = Contributions::all(vec![700.0, 200.0, 60.0, 40.0, 10.0]).expect("valid");
        assert_eq!(c.total(), 1_010.0);
        let o = evaluate(Rule::p_percent(10.0), &c).expect("decided");
        assert!(!o.unsafe_cell, "110 ≥ 70");
    }

    #[test]
    fn tc15_row8_enterprise_groups_are_unsafe_under_p10() {
        // Units 700 and 200 belong to one enterprise group.
        let units = [(1, 700.0), (1, 200.0), (2, 60.0), (3, 40.0), (4, 10.0)];
        let groups = by_holding(&units);
        let c = Contributions::all(groups).expect("valid");
        assert_eq!(c.x1(), 900.0);
        let o = evaluate(Rule::p_percent(10.0), &c).expect("decided");
        assert!(o.unsafe_cell, "50 < 90");
    }

    #[test]
    fn tc15_row9_two_holdings_fail_the_threshold_of_three() {
        assert!(holdings_unsafe(&[1, 2], 3), "cell (800,20)");
        assert!(holdings_unsafe(&[4, 5], 3), "cell (900,20)");
    }

    #[test]
    fn tc15_row10_three_or_more_holdings_pass() {
        assert!(!holdings_unsafe(&[1, 2, 3], 3), "cell (800,30)");
        assert!(!holdings_unsafe(&[6, 7, 8, 9], 3), "cell (900,30)");
        // Several units of one holding count once.
        assert!(holdings_unsafe(&[1, 1, 1, 2], 3));
    }

    #[test]
    fn pq_rule_equals_p_percent_with_p_star() {
        // A (p,q) rule is a p% rule with p* = 100·p/q.
        let c = cell(100_000.0, &[50_000.0, 46_000.0]);
        let pq = evaluate(
            Rule::PPercent {
                p: 5.0,
                q: 50.0,
                n: 1,
            },
            &c,
        )
        .expect("decided");
        let p = evaluate(Rule::p_percent(10.0), &c).expect("decided");
        assert_eq!(pq.unsafe_cell, p.unsafe_cell);
        assert!(close(pq.upl, p.upl, 1e-9));
    }

    #[test]
    fn partial_knowledge_decides_only_when_it_settles_the_cell() {
        // Only x1 known: the largest alone above 85 % is unsafe under (2,85) as well.
        let c = cell(1_000.0, &[900.0]);
        assert!(evaluate(Rule::Dominance { n: 2, k: 85.0 }, &c).is_some_and(|o| o.unsafe_cell));
        // X − x1 = 100 ≥ 0.1·900: x2 decides.
        assert_eq!(evaluate(Rule::p_percent(10.0), &c), None);
        // X − x1 = 50 < 0.1·950: unsafe whatever x2 is.
        let c = cell(1_000.0, &[950.0]);
        assert!(evaluate(Rule::p_percent(10.0), &c).is_some_and(|o| o.unsafe_cell));
        // X − x1 = 500 ≥ 0.1·500, but x2 may be up to 500: undecided.
        let c = cell(1_000.0, &[500.0]);
        assert_eq!(evaluate(Rule::p_percent(10.0), &c), None);
        assert_eq!(evaluate(Rule::Dominance { n: 2, k: 85.0 }, &c), None);
    }

    #[test]
    fn negative_or_inconsistent_contributions_are_refused() {
        assert_eq!(Contributions::new(100.0, vec![-5.0, 3.0]), None);
        assert_eq!(Contributions::new(100.0, vec![80.0, 30.0]), None);
        assert_eq!(Contributions::new(100.0, vec![]), None);
        assert_eq!(Contributions::new(f64::NAN, vec![1.0]), None);
    }
}
