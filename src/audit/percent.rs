//! Closed forms for percentage and rate back-calculation (`docs/tables.md` §4.1).
//!
//! All arithmetic is exact: a shown value `p` with `d` decimals is the integer mantissa
//! `M = p·10^d`, and round-half rounding means the true ratio lies in `[(2M−1), (2M+1)]/(2·10^d)`.

use super::system::{Int, Shown};

/// Integer interval of a numerator `n` such that `scale·n/den` rounds (half) to `shown`.
/// `None` if the interval is empty or the arithmetic overflows.
pub fn ratio_implied_count(shown: Shown, scale: Int, den: Int) -> Option<(Int, Int)> {
    let pow = 10i128.checked_pow(u32::from(shown.decimals))?;
    let k = pow.checked_mul(2)?.checked_mul(scale)?;
    if k <= 0 || den < 0 {
        return None;
    }
    let lo_num = shown
        .mantissa
        .checked_mul(2)?
        .checked_sub(1)?
        .checked_mul(den)?;
    let hi_num = shown
        .mantissa
        .checked_mul(2)?
        .checked_add(1)?
        .checked_mul(den)?;
    let lo = super::state::div_ceil(lo_num, k)?.max(0);
    let hi = super::state::div_floor(hi_num, k)?;
    (lo <= hi).then_some((lo, hi))
}

/// Interval of the count `n` behind a percentage shown with `decimals` decimals, given the
/// exact denominator: `[⌈D·(p−h)/100⌉, ⌊D·(p+h)/100⌋]`. `None` if no count fits.
///
/// ```
/// use export_check::audit::percent_implied_count;
/// assert_eq!(percent_implied_count(2.2, 1, 137), Some((3, 3)));
/// ```
pub fn percent_implied_count(p_shown: f64, decimals: u8, denominator: Int) -> Option<(Int, Int)> {
    ratio_implied_count(Shown::from_f64(p_shown, decimals)?, 100, denominator)
}

/// Interval of the event count behind a rate `r` per `scale` person-time units shown with
/// `decimals` decimals: `[⌈(r−h)·PT/S⌉, ⌊(r+h)·PT/S⌋]`. `None` if no count fits.
///
/// ```
/// use export_check::audit::rate_implied_count;
/// assert_eq!(rate_implied_count(2.1, 1, 1000, 1430), Some((3, 3)));
/// ```
pub fn rate_implied_count(
    rate: f64,
    decimals: u8,
    scale: Int,
    person_time: Int,
) -> Option<(Int, Int)> {
    ratio_implied_count(Shown::from_f64(rate, decimals)?, scale, person_time)
}

/// The interval `[lo, hi]` of true values behind a shown value (round half): the numerator and
/// common denominator of `[(2M−1), (2M+1)] / (2·10^d)`.
fn half_box(shown: Shown) -> Option<(Int, Int, Int)> {
    let pow = 10i128.checked_pow(u32::from(shown.decimals))?;
    let m2 = shown.mantissa.checked_mul(2)?;
    Some((m2.checked_sub(1)?, m2.checked_add(1)?, pow.checked_mul(2)?))
}

/// Integer interval of the denominator `D` of a column of `(count, shown ratio)` pairs: every
/// pair needs `scale·n/D` to round (half) to its shown value, so `D` lies in
/// `[scale·n/(p+h), scale·n/(p−h)]`; the result is the intersection over the pairs, and never
/// below `at_least` (the sum of the visible counts). Pairs with a zero count or a zero ratio say
/// nothing and are skipped. `None` if no pair bounds `D` from above or the pairs contradict.
///
/// ```
/// use export_check::audit::percent::denominator_from_shares;
/// use export_check::audit::Shown;
/// let p = |m, d| Shown { mantissa: m, decimals: d };
/// // 88 (55.0%) and 41 (25.6%): only D = 160 fits both.
/// assert_eq!(denominator_from_shares(&[(88, p(550, 1)), (41, p(256, 1))], 100, 0), Some((160, 160)));
/// ```
pub fn denominator_from_shares(
    pairs: &[(Int, Shown)],
    scale: Int,
    at_least: Int,
) -> Option<(Int, Int)> {
    let mut lo = at_least.max(1);
    let mut hi: Option<Int> = None;
    for &(n, shown) in pairs {
        if n <= 0 || shown.mantissa <= 0 {
            continue;
        }
        let (a, b, k) = half_box(shown)?;
        // a/k ≤ scale·n/D ≤ b/k  ⇔  D·a ≤ k·scale·n ≤ D·b.
        let kn = k.checked_mul(scale)?.checked_mul(n)?;
        lo = lo.max(super::state::div_ceil(kn, b)?);
        if a > 0 {
            let h = super::state::div_floor(kn, a)?;
            hi = Some(hi.map_or(h, |x: Int| x.min(h)));
        }
    }
    let hi = hi?;
    (lo <= hi).then_some((lo, hi))
}

/// Integer numerators `n ∈ n_box` for which some denominator `D ∈ d_box` makes `scale·n/D`
/// round (half) to `shown`, enumerated exactly over the denominator box (at most `max_enum`
/// denominators; `None` past that or if nothing fits). This is the integer solution of the
/// ratio constraint between two rounded counts (TC-12: `22.2 %` of midpoint-6 counts `3` and `9`
/// gives `n = 2`, `D = 9`). Returns the smallest and largest fitting `n` and how many fit.
///
/// ```
/// use export_check::audit::percent::ratio_in_boxes;
/// use export_check::audit::Shown;
/// let p = Shown { mantissa: 222, decimals: 1 };
/// assert_eq!(ratio_in_boxes(p, 100, (1, 6), (7, 12), 10_000), Some((2, 2, 1)));
/// ```
pub fn ratio_in_boxes(
    shown: Shown,
    scale: Int,
    n_box: (Int, Int),
    d_box: (Int, Int),
    max_enum: Int,
) -> Option<(Int, Int, Int)> {
    if d_box.1 < d_box.0 || d_box.1 - d_box.0 >= max_enum {
        return None;
    }
    let mut fits: Vec<Int> = Vec::new();
    for d in d_box.0.max(1)..=d_box.1 {
        if let Some((lo, hi)) = ratio_implied_count(shown, scale, d) {
            for n in lo.max(n_box.0)..=hi.min(n_box.1) {
                fits.push(n);
            }
        }
    }
    fits.sort_unstable();
    fits.dedup();
    let lo = *fits.first()?;
    let hi = *fits.last()?;
    Some((lo, hi, fits.len() as Int))
}

/// Integer interval of the number `n` of values behind a mean, given their sum: `sum/n` must
/// round (half) to `mean`, and the sum is itself taken as rounded to the digits it shows (a
/// total of whole bed-days is exact, which this only widens by half a unit). With the sum in
/// `[S−s, S+s]` and the mean in `[m−h, m+h]`, `n ∈ [⌈(S−s)/(m+h)⌉, ⌊(S+s)/(m−h)⌋]`. `None` if the
/// mean is not positive (the interval is unbounded) or nothing fits.
///
/// ```
/// use export_check::audit::percent::mean_implied_count;
/// use export_check::audit::Shown;
/// // Total bed-days 1,210 and mean 403.3: three stays.
/// let sum = Shown { mantissa: 1210, decimals: 0 };
/// let mean = Shown { mantissa: 4033, decimals: 1 };
/// assert_eq!(mean_implied_count(sum, mean), Some((3, 3)));
/// ```
pub fn mean_implied_count(sum: Shown, mean: Shown) -> Option<(Int, Int)> {
    if sum.mantissa <= 0 || mean.mantissa <= 0 {
        return None;
    }
    let (s_lo, s_hi, ks) = half_box(sum)?;
    let (m_lo, m_hi, km) = half_box(mean)?;
    // n ≥ (s_lo/ks) / (m_hi/km) = s_lo·km / (ks·m_hi); n ≤ s_hi·km / (ks·m_lo).
    let lo = super::state::div_ceil(s_lo.checked_mul(km)?, ks.checked_mul(m_hi)?)?.max(1);
    if m_lo <= 0 {
        return None;
    }
    let hi = super::state::div_floor(s_hi.checked_mul(km)?, ks.checked_mul(m_lo)?)?;
    (lo <= hi).then_some((lo, hi))
}

/// Whether group sizes `n_i` with shown group means `means[i]` can have an overall mean that
/// rounds to `overall` over `N = Σ n_i`: the weighted sum `Σ n_i·μ_i` with every `μ_i` in its
/// rounding interval must meet `N·μ` with `μ` in the overall one. Exact rational arithmetic.
pub fn group_means_fit(sizes: &[Int], means: &[Shown], overall: Shown) -> Option<bool> {
    if sizes.len() != means.len() {
        return None;
    }
    // Bring everything to one decimal scale.
    let d = means
        .iter()
        .map(|m| m.decimals)
        .chain(std::iter::once(overall.decimals))
        .max()?;
    let lift = |s: Shown| -> Option<(Int, Int)> {
        let f = 10i128.checked_pow(u32::from(d - s.decimals))?;
        let (a, b, _) = half_box(s)?;
        Some((a.checked_mul(f)?, b.checked_mul(f)?))
    };
    let mut lo: Int = 0;
    let mut hi: Int = 0;
    let mut total: Int = 0;
    for (&n, &m) in sizes.iter().zip(means) {
        if n < 0 {
            return None;
        }
        let (a, b) = lift(m)?;
        lo = lo.checked_add(n.checked_mul(a)?)?;
        hi = hi.checked_add(n.checked_mul(b)?)?;
        total = total.checked_add(n)?;
    }
    let (a, b) = lift(overall)?;
    let (olo, ohi) = (total.checked_mul(a)?, total.checked_mul(b)?);
    Some(lo <= ohi && olo <= hi)
}

/// A group size as the table shows it: `(lo, Some(hi))`, `(v, Some(v))` when shown exactly,
/// `hi = None` when nothing bounds it from above (`x`, a blank).
pub type SizeBox = (Int, Option<Int>);

/// The group sizes that group means and an overall mean leave possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMeansSizes {
    /// Per group, the integer interval of its size (`hi = None`: unbounded).
    pub groups: Vec<SizeBox>,
    /// The interval of the overall size `N = Σ n_i`.
    pub total: SizeBox,
}

/// Integer intervals of group sizes `n_i` behind group means and the overall mean of the same
/// groups (a partition): `Σ n_i = N` and `Σ n_i·μ_i = N·μ`, with every true mean `μ_i`, `μ`
/// anywhere in the rounding interval of its shown value (half a unit of the last digit).
///
/// `sizes` are the groups' boxes (a shown n is `(v, Some(v))`); `columns` holds one variable per
/// entry: the shown mean of each group, in the order of `sizes`, and the shown overall mean;
/// `total` is the box of `N` if the table bounds it. With true means free in their intervals
/// `[a_i, b_i]` and `[A, B]`, some means fit exactly when `Σ n_i·a_i ≤ N·B` and
/// `N·A ≤ Σ n_i·b_i` (both sides move continuously with the means), two constraints linear in
/// the sizes; they go with the sum into an audit [`System`](super::System), whose intervals are
/// exact integer bounds for one free size and sound for more. `None` if nothing fits, a mean is
/// missing, or the arithmetic overflows.
///
/// ```
/// use export_check::audit::percent::group_sizes_from_means;
/// use export_check::audit::{AuditConfig, Shown};
/// let s = |m| Shown { mantissa: m, decimals: 1 };
/// // Men 120 at 45.2, women hidden at 51.3, all 45.4: 2 to 6 women.
/// let r = group_sizes_from_means(
///     &[(120, Some(120)), (1, None)],
///     &[(vec![s(452), s(513)], s(454))],
///     None,
///     &AuditConfig::default(),
/// )
/// .unwrap();
/// assert_eq!(r.groups[1], (2, Some(6)));
/// ```
pub fn group_sizes_from_means(
    sizes: &[SizeBox],
    columns: &[(Vec<Shown>, Shown)],
    total: Option<SizeBox>,
    cfg: &super::AuditConfig,
) -> Option<GroupMeansSizes> {
    if sizes.is_empty() || columns.iter().any(|(m, _)| m.len() != sizes.len()) {
        return None;
    }
    let mut m = MeansSystem::new(sizes, total);
    m.add_sum()?;
    for (k, (means, overall)) in columns.iter().enumerate() {
        m.add_means(k, means, *overall)?;
    }
    m.solve(cfg)
}

/// The system of [`group_sizes_from_means`]: an unknown per group whose size is not shown, then
/// one for N unless it is shown.
struct MeansSystem<'a> {
    sizes: &'a [SizeBox],
    sys: super::system::System,
    vars: Vec<Option<super::system::VarId>>,
    total_var: Option<super::system::VarId>,
    total_fixed: Option<Int>,
}

/// The value of a box that holds one value.
fn fixed_size(b: SizeBox) -> Option<Int> {
    (b.1 == Some(b.0)).then_some(b.0)
}

impl<'a> MeansSystem<'a> {
    fn new(sizes: &'a [SizeBox], total: Option<SizeBox>) -> MeansSystem<'a> {
        use super::system::{System, Unknown, VarId};
        let mut sys = System::new();
        let vars: Vec<Option<VarId>> = sizes
            .iter()
            .enumerate()
            .map(|(i, &b)| match fixed_size(b) {
                Some(_) => None,
                None => Some(sys.add_unknown(
                    Unknown::suppressed(&format!("group {}", i + 1)).with_box(b.0.max(0), b.1),
                )),
            })
            .collect();
        let total_fixed = total.and_then(fixed_size);
        let total_var = match (total, total_fixed) {
            (_, Some(_)) => None,
            (Some(b), None) => {
                Some(sys.add_unknown(Unknown::suppressed("N").with_box(b.0.max(0), b.1)))
            }
            (None, None) => Some(sys.add_unknown(Unknown::suppressed("N"))),
        };
        MeansSystem {
            sizes,
            sys,
            vars,
            total_var,
            total_fixed,
        }
    }

    /// `Σ_i c_i·n_i − c_N·N` as terms and right-hand side, with shown sizes moved to the
    /// right-hand side; `None` on overflow or a missing coefficient.
    fn row(
        &self,
        coef: &dyn Fn(usize) -> Option<Int>,
        c_total: Int,
    ) -> Option<(Vec<(super::system::VarId, Int)>, Int)> {
        let mut terms = Vec::new();
        let mut rhs: Int = 0;
        for (i, &b) in self.sizes.iter().enumerate() {
            let c = coef(i)?;
            match self.vars[i] {
                Some(v) => {
                    if c != 0 {
                        terms.push((v, c));
                    }
                }
                None => rhs = rhs.checked_sub(c.checked_mul(b.0)?)?,
            }
        }
        match (self.total_var, self.total_fixed) {
            (Some(v), _) => {
                if c_total != 0 {
                    terms.push((v, c_total.checked_neg()?));
                }
            }
            (None, Some(n)) => rhs = rhs.checked_add(c_total.checked_mul(n)?)?,
            (None, None) => return None,
        }
        Some((terms, rhs))
    }

    /// `Σ n_i = N`; `None` when the shown sizes contradict it.
    fn add_sum(&mut self) -> Option<()> {
        let (terms, rhs) = self.row(&|_| Some(1), 1)?;
        if !terms.is_empty() {
            self.sys.add_eq(terms, rhs, "sum of the group sizes").ok()?;
        } else if rhs != 0 {
            return None;
        }
        Some(())
    }

    /// Variable `k`'s means: `Σ n_i·a_i − N·B ≤ 0` and `N·A − Σ n_i·b_i ≤ 0`, all in the units
    /// of the most precise mean; `None` when they cannot hold or overflow.
    fn add_means(&mut self, k: usize, means: &[Shown], overall: Shown) -> Option<()> {
        let d = means
            .iter()
            .map(|m| m.decimals)
            .chain(std::iter::once(overall.decimals))
            .max()?;
        let lift = |s: Shown| -> Option<(Int, Int)> {
            let f = 10i128.checked_pow(u32::from(d - s.decimals))?;
            let (a, b, _) = half_box(s)?;
            Some((a.checked_mul(f)?, b.checked_mul(f)?))
        };
        let boxes: Vec<(Int, Int)> = means.iter().map(|&m| lift(m)).collect::<Option<_>>()?;
        let (big_a, big_b) = lift(overall)?;
        let label = format!("weighted mean {}", k + 1);
        let (t1, r1) = self.row(&|i| Some(boxes[i].0), big_b)?;
        let (t2, r2) = self.row(&|i| boxes[i].1.checked_neg(), big_a.checked_neg()?)?;
        for (terms, rhs) in [(t1, r1), (t2, r2)] {
            if terms.is_empty() {
                if rhs < 0 {
                    return None;
                }
                continue;
            }
            self.sys.add_le(terms, rhs, &label).ok()?;
        }
        Some(())
    }

    /// Audit the system: the interval of each group's size and of N.
    fn solve(self, cfg: &super::AuditConfig) -> Option<GroupMeansSizes> {
        let res = super::audit(&self.sys, cfg);
        if res.inconsistent {
            return None;
        }
        let at = |v: super::system::VarId| res.interval(v);
        let groups = self
            .sizes
            .iter()
            .zip(&self.vars)
            .map(|(&b, v)| match v {
                Some(v) => at(*v),
                None => Some(b),
            })
            .collect::<Option<Vec<_>>>()?;
        let total = match (self.total_var, self.total_fixed) {
            (Some(v), _) => at(v)?,
            (None, Some(n)) => (n, Some(n)),
            (None, None) => return None,
        };
        Some(GroupMeansSizes { groups, total })
    }
}

/// A finding of the percent-vector check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PercentVectorVerdict {
    /// Category `index` has one possible count, and it is small (B1).
    CountExactSmall { index: usize },
    /// Every feasible group size is below `t` (B2).
    GroupSizeSmall,
}

/// What the percent vector reveals about a group of bounded size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PercentVector {
    /// Every group size `N` in the range for which integer counts fit every percentage.
    pub feasible_n: Vec<Int>,
    /// Per category: the range of counts over all feasible `N` (`None` if none is feasible).
    pub counts: Option<Vec<(Int, Int)>>,
    /// The enumeration stopped at `max_n` before the end of the range.
    pub truncated: bool,
    /// Findings against the threshold `t`.
    pub verdicts: Vec<PercentVectorVerdict>,
}

/// Enumerates the group sizes `N ∈ [n_low, n_high]` compatible with a complete percent vector
/// (categories partition the group), at most `max_n` of them, and checks the result against `t`.
///
/// For each `N`, category `i` needs an integer `n_i` whose percentage rounds to `shown[i]`, and
/// `Σ n_i = N`. With `N ∈ [1, 4]` and `33.3 %, 66.7 %` only `N = 3` fits (TC-22).
pub fn percent_vector(
    shown: &[f64],
    decimals: u8,
    n_low: Int,
    n_high: Int,
    max_n: Int,
    t: Int,
) -> PercentVector {
    let parsed: Option<Vec<Shown>> = shown
        .iter()
        .map(|&p| Shown::from_f64(p, decimals))
        .collect();
    let mut out = PercentVector {
        feasible_n: Vec::new(),
        counts: None,
        truncated: false,
        verdicts: Vec::new(),
    };
    let Some(parsed) = parsed else { return out };
    if parsed.is_empty() {
        return out;
    }
    let start = n_low.max(1);
    let end = n_high.min(start.saturating_add(max_n.max(0)).saturating_sub(1));
    out.truncated = end < n_high;
    let mut ranges: Vec<(Int, Int)> = vec![(Int::MAX, Int::MIN); parsed.len()];
    let mut n = start;
    while n <= end {
        if let Some(per) = fit(&parsed, n) {
            out.feasible_n.push(n);
            for (r, p) in ranges.iter_mut().zip(per) {
                r.0 = r.0.min(p.0);
                r.1 = r.1.max(p.1);
            }
        }
        n += 1;
    }
    if out.feasible_n.is_empty() {
        return out;
    }
    if out.feasible_n.iter().all(|&n| n < t) && !out.truncated {
        out.verdicts.push(PercentVectorVerdict::GroupSizeSmall);
    }
    for (i, &(lo, hi)) in ranges.iter().enumerate() {
        if lo == hi && lo > 0 && lo < t {
            out.verdicts
                .push(PercentVectorVerdict::CountExactSmall { index: i });
        }
    }
    out.counts = Some(ranges);
    out
}

/// Per-category count ranges for group size `n`, or `None` if no integer vector fits.
fn fit(parsed: &[Shown], n: Int) -> Option<Vec<(Int, Int)>> {
    let per: Vec<(Int, Int)> = parsed
        .iter()
        .map(|&s| ratio_implied_count(s, 100, n))
        .collect::<Option<_>>()?;
    let sum_lo: Int = per.iter().map(|p| p.0).sum();
    let sum_hi: Int = per.iter().map(|p| p.1).sum();
    if n < sum_lo || n > sum_hi {
        return None;
    }
    Some(
        per.iter()
            .map(|&(lo, hi)| {
                let lo2 = lo.max(n - (sum_hi - hi));
                let hi2 = hi.min(n - (sum_lo - lo));
                (lo2, hi2)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tc11_percent_beside_suppressed_count() {
        assert_eq!(percent_implied_count(2.2, 1, 137), Some((3, 3)));
        assert_eq!(percent_implied_count(2.0, 0, 137), Some((3, 3)));
        assert_eq!(percent_implied_count(4.3, 1, 23), Some((1, 1)));
    }

    #[test]
    fn tc13_rate() {
        assert_eq!(rate_implied_count(2.1, 1, 1000, 1430), Some((3, 3)));
    }

    #[test]
    fn impossible_percentage_is_none() {
        // 50.0 % of 3 people: 1.5 is not an integer and 1/3, 2/3 round elsewhere.
        assert_eq!(percent_implied_count(50.0, 1, 3), None);
    }

    #[test]
    fn tc22_percent_vector_bounded_n() {
        let pv = percent_vector(&[33.3, 66.7], 1, 1, 4, 100_000, 5);
        assert_eq!(pv.feasible_n, vec![3]);
        assert_eq!(pv.counts, Some(vec![(1, 1), (2, 2)]));
        assert!(pv.verdicts.contains(&PercentVectorVerdict::GroupSizeSmall));
        assert!(pv
            .verdicts
            .contains(&PercentVectorVerdict::CountExactSmall { index: 0 }));
        assert!(pv
            .verdicts
            .contains(&PercentVectorVerdict::CountExactSmall { index: 1 }));
    }

    #[test]
    fn tc22_percent_vector_unbounded_has_no_finding() {
        let pv = percent_vector(&[33.3, 66.7], 1, 1, 1000, 100_000, 5);
        assert!(pv.feasible_n.len() > 10);
        assert!(pv.feasible_n.contains(&3));
        assert!(pv.feasible_n.contains(&6));
        assert!(pv.feasible_n.contains(&1000));
        assert!(pv.verdicts.is_empty());
    }

    #[test]
    fn denominator_from_pairs_of_a_column() {
        let p = |m, d| Shown {
            mantissa: m,
            decimals: d,
        };
        assert_eq!(
            denominator_from_shares(
                &[(88, p(550, 1)), (41, p(256, 1)), (28, p(175, 1))],
                100,
                157
            ),
            Some((160, 160))
        );
        // One coarse pair leaves a range.
        let (lo, hi) = denominator_from_shares(&[(50, p(25, 0))], 100, 0).unwrap();
        assert!(lo < 200 && hi > 200);
        // Zeros bound nothing.
        assert_eq!(denominator_from_shares(&[(0, p(0, 1))], 100, 0), None);
        // Contradicting pairs.
        assert_eq!(
            denominator_from_shares(&[(88, p(550, 1)), (41, p(300, 1))], 100, 0),
            None
        );
    }

    #[test]
    fn tc12_ratio_of_two_rounded_boxes() {
        let p = Shown {
            mantissa: 222,
            decimals: 1,
        };
        assert_eq!(
            ratio_in_boxes(p, 100, (1, 6), (7, 12), 10_000),
            Some((2, 2, 1))
        );
        // 33.3 % of the same boxes: 3 of 9 or 4 of 12.
        let q = Shown {
            mantissa: 333,
            decimals: 1,
        };
        assert_eq!(
            ratio_in_boxes(q, 100, (1, 6), (7, 12), 10_000),
            Some((3, 4, 2))
        );
        // A box too wide to enumerate.
        assert_eq!(ratio_in_boxes(p, 100, (1, 6), (1, 100_000), 10_000), None);
    }

    #[test]
    fn mean_with_its_sum() {
        let s = |m, d| Shown {
            mantissa: m,
            decimals: d,
        };
        assert_eq!(mean_implied_count(s(1210, 0), s(4033, 1)), Some((3, 3)));
        // A coarsely rounded mean leaves a wide interval.
        let (lo, hi) = mean_implied_count(s(1210, 0), s(4, 0)).unwrap();
        assert!(hi - lo > 10, "{lo}..{hi}");
        // Large n: exact enough to be a single value, but not small.
        assert_eq!(
            mean_implied_count(s(12345, 0), s(12345, 3)),
            Some((1000, 1000))
        );
        assert_eq!(mean_implied_count(s(0, 0), s(4033, 1)), None);
    }

    #[test]
    fn group_means_weighted() {
        let s = |m, d| Shown {
            mantissa: m,
            decimals: d,
        };
        // 120 at 4.5 and 3 at 12.0: overall 4.68 → 4.7.
        assert_eq!(
            group_means_fit(&[120, 3], &[s(45, 1), s(120, 1)], s(47, 1)),
            Some(true)
        );
        assert_eq!(
            group_means_fit(&[120, 10], &[s(45, 1), s(120, 1)], s(47, 1)),
            Some(false)
        );
    }

    fn one(m: Int) -> Shown {
        Shown {
            mantissa: m,
            decimals: 1,
        }
    }

    fn two(m: Int) -> Shown {
        Shown {
            mantissa: m,
            decimals: 2,
        }
    }

    fn sizes(
        sizes: &[SizeBox],
        columns: &[(Vec<Shown>, Shown)],
        total: Option<SizeBox>,
    ) -> Option<GroupMeansSizes> {
        group_sizes_from_means(sizes, columns, total, &super::super::AuditConfig::default())
    }

    #[test]
    fn group_means_give_the_hidden_size() {
        // Men 120 at 45.2, women hidden at 51.3, all 45.4. By hand, with μ₁ ∈ [45.15, 45.25],
        // μ₂ ∈ [51.25, 51.35], μ ∈ [45.35, 45.45]:
        //   n₂ ≥ 120·(45.35−45.25)/(51.35−45.35) = 12/6 = 2,
        //   n₂ ≤ 120·(45.45−45.15)/(51.25−45.45) = 36/5.8 = 6.2, so n₂ ∈ [2, 6], N ∈ [122, 126].
        let r = sizes(
            &[(120, Some(120)), (1, None)],
            &[(vec![one(452), one(513)], one(454))],
            None,
        )
        .unwrap();
        assert_eq!(r.groups, vec![(120, Some(120)), (2, Some(6))]);
        assert_eq!(r.total, (122, Some(126)));
        // The exact set agrees with the weighted-mean check, size by size.
        for n in 0..200 {
            let fits = group_means_fit(&[120, n], &[one(452), one(513)], one(454)) == Some(true);
            assert_eq!(fits, (2..=6).contains(&n), "n = {n}");
        }
    }

    #[test]
    fn two_decimals_pin_the_size() {
        // 45.20, 51.30, 45.40: n₂ ≥ 120·0.19/5.91 = 3.86, n₂ ≤ 120·0.21/5.89 = 4.28: only 4.
        let r = sizes(
            &[(120, Some(120)), (1, None)],
            &[(vec![two(4520), two(5130)], two(4540))],
            None,
        )
        .unwrap();
        assert_eq!(r.groups[1], (4, Some(4)));
        assert_eq!(r.total, (124, Some(124)));
    }

    #[test]
    fn a_known_total_without_any_shown_size() {
        // N = 124 and no n shown: n₁ = 124 − n₂, and
        //   124·45.35 ≤ (124−n₂)·45.25 + n₂·51.35 gives n₂ ≥ 12.4/6.1 = 2.03,
        //   (124−n₂)·45.15 + n₂·51.25 ≤ 124·45.45 gives n₂ ≤ 37.2/6.1 = 6.10: n₂ ∈ [3, 6].
        let r = sizes(
            &[(1, None), (1, None)],
            &[(vec![one(452), one(513)], one(454))],
            Some((124, Some(124))),
        )
        .unwrap();
        assert_eq!(r.groups, vec![(118, Some(121)), (3, Some(6))]);
    }

    #[test]
    fn a_second_variable_narrows_further() {
        // Mean age alone leaves [2, 6] (above). Mean BMI 25.0 and 31.0, overall 25.2:
        //   n₂ ≥ 120·(25.15−25.05)/(31.05−25.15) = 12/5.9 = 2.03,
        //   n₂ ≤ 120·(25.25−24.95)/(30.95−25.25) = 36/5.7 = 6.3: [3, 6] together.
        let r = sizes(
            &[(120, Some(120)), (1, None)],
            &[
                (vec![one(452), one(513)], one(454)),
                (vec![one(250), one(310)], one(252)),
            ],
            None,
        )
        .unwrap();
        assert_eq!(r.groups[1], (3, Some(6)));
    }

    #[test]
    fn close_means_leave_the_size_open() {
        // 45.2 and 45.3 with overall 45.2: the intervals of μ₂ and μ touch, nothing bounds n₂.
        let r = sizes(
            &[(120, Some(120)), (1, None)],
            &[(vec![one(452), one(453)], one(452))],
            None,
        )
        .unwrap();
        assert_eq!(r.groups[1].1, None);
        // 45.2 and 45.5, overall 45.2: n₂ ≤ 120·0.1/0.2 = 60, far from a small count.
        let r = sizes(
            &[(120, Some(120)), (1, None)],
            &[(vec![one(452), one(455)], one(452))],
            None,
        )
        .unwrap();
        assert_eq!(r.groups[1], (1, Some(60)));
    }

    #[test]
    fn a_hidden_total_and_contradictions() {
        // The overall n suppressed as `x`: the same as no N, N follows the hidden size.
        let r = sizes(
            &[(120, Some(120)), (1, None)],
            &[(vec![one(452), one(513)], one(454))],
            Some((0, None)),
        )
        .unwrap();
        assert_eq!(r.total, (122, Some(126)));
        // An overall mean outside the group means: no sizes fit.
        assert_eq!(
            sizes(
                &[(120, Some(120)), (1, None)],
                &[(vec![one(452), one(513)], one(600))],
                None,
            ),
            None
        );
        // A mean missing for one group.
        assert_eq!(
            sizes(
                &[(120, Some(120)), (1, None)],
                &[(vec![one(452)], one(454))],
                None,
            ),
            None
        );
    }
}
