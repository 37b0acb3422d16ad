//! Closed forms for percentage and rate back-calculation (§3.7).
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
}
