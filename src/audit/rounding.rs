//! Rounding existence intervals (docs/tables.md §7, TC-16): the box of true integer values behind a
//! published rounded value.

use super::system::Int;

/// A rounding scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundingScheme {
    /// Conventional rounding to a multiple of `base` (round half up).
    Conventional { base: Int },
    /// Random (unbiased) rounding to a multiple of `base`.
    Random { base: Int },
    /// Zero-restricted controlled rounding (τ-ARGUS CRP).
    Controlled { base: Int },
    /// Controlled rounding allowing `k` steps.
    ControlledK { base: Int, k: Int },
    /// OpenSAFELY midpoint-`r`: `ceil(x/r)·r − floor(r/2)` for `x ≠ 0`.
    Midpoint { r: Int },
    /// Redact values `≤ redact_max`, round the rest conventionally to `base` (OpenSAFELY).
    RedactThenRound { redact_max: Int, base: Int },
}

/// Box `[lo, hi]` of true values behind the published `shown`. `None` when the published value
/// is impossible under the scheme (not a multiple of the base, or, for redact-then-round, a value
/// that could only come from a redacted count: an S3 situation).
///
/// ```
/// use export_check::audit::{rounding_box, RoundingScheme};
/// assert_eq!(rounding_box(RoundingScheme::Midpoint { r: 6 }, 3), Some((1, 6)));
/// ```
pub fn rounding_box(scheme: RoundingScheme, shown: Int) -> Option<(Int, Int)> {
    if shown < 0 {
        return None;
    }
    match scheme {
        RoundingScheme::Conventional { base } => {
            if base <= 0 || shown % base != 0 {
                return None;
            }
            let (down, up) = if base % 2 == 1 {
                ((base - 1) / 2, (base - 1) / 2)
            } else {
                (base / 2, base / 2)
            };
            Some(((shown - down).max(0), shown.checked_add(up)?))
        }
        RoundingScheme::Random { base } | RoundingScheme::Controlled { base } => {
            if base <= 0 || shown % base != 0 {
                return None;
            }
            if shown == 0 {
                Some((0, base - 1))
            } else {
                Some((shown - base + 1, shown.checked_add(base - 1)?))
            }
        }
        RoundingScheme::ControlledK { base, k } => {
            if base <= 0 || k < 0 || shown % base != 0 {
                return None;
            }
            let w = k.checked_add(1)?.checked_mul(base)?;
            if shown < w {
                Some((0, w - 1))
            } else {
                Some((shown - w + 1, shown.checked_add(w - 1)?))
            }
        }
        RoundingScheme::Midpoint { r } => {
            if r <= 0 {
                return None;
            }
            if shown == 0 {
                return Some((0, 0));
            }
            let half = r / 2;
            if (shown + half) % r != 0 {
                return None;
            }
            Some((shown + half - r + 1, shown.checked_add(half)?))
        }
        RoundingScheme::RedactThenRound { redact_max, base } => {
            let (lo, hi) = rounding_box(RoundingScheme::Conventional { base }, shown)?;
            let lo = lo.max(redact_max.checked_add(1)?);
            (lo <= hi).then_some((lo, hi))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RoundingScheme::*;

    #[test]
    fn tc16_existence_intervals() {
        assert_eq!(rounding_box(Controlled { base: 5 }, 0), Some((0, 4)));
        assert_eq!(rounding_box(Controlled { base: 5 }, 10), Some((6, 14)));
        assert_eq!(
            rounding_box(ControlledK { base: 5, k: 1 }, 15),
            Some((6, 24))
        );
        assert_eq!(rounding_box(ControlledK { base: 5, k: 1 }, 5), Some((0, 9)));
        assert_eq!(rounding_box(Conventional { base: 5 }, 0), Some((0, 2)));
        assert_eq!(rounding_box(Conventional { base: 5 }, 5), Some((3, 7)));
        assert_eq!(rounding_box(Conventional { base: 5 }, 40), Some((38, 42)));
        assert_eq!(rounding_box(Midpoint { r: 6 }, 0), Some((0, 0)));
        assert_eq!(rounding_box(Midpoint { r: 6 }, 3), Some((1, 6)));
        assert_eq!(rounding_box(Midpoint { r: 6 }, 9), Some((7, 12)));
        assert_eq!(rounding_box(Midpoint { r: 6 }, 15), Some((13, 18)));
        let old = RedactThenRound {
            redact_max: 5,
            base: 5,
        };
        assert_eq!(rounding_box(old, 5), Some((6, 7)));
        let current = RedactThenRound {
            redact_max: 7,
            base: 5,
        };
        assert_eq!(rounding_box(current, 5), None);
        assert_eq!(rounding_box(current, 10), Some((8, 12)));
    }

    #[test]
    fn random_and_even_bases() {
        assert_eq!(rounding_box(Random { base: 5 }, 0), Some((0, 4)));
        assert_eq!(rounding_box(Random { base: 5 }, 10), Some((6, 14)));
        assert_eq!(rounding_box(Conventional { base: 10 }, 20), Some((15, 25)));
        assert_eq!(rounding_box(Conventional { base: 5 }, 7), None);
        assert_eq!(rounding_box(Midpoint { r: 6 }, 4), None);
    }
}
