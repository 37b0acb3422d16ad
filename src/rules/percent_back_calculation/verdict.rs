//! Compare the interval a percentage implies for its count with what the cell shows of it.

use crate::finding::Severity;

/// What a percentage gives back of a count: how bad, the code (`B1`, `B3`, `B3w`), what it says.
pub(super) struct Verdictish {
    pub(super) severity: Severity,
    pub(super) code: &'static str,
    pub(super) what: String,
}

/// Compare the implied interval with the cell's nominal box.
pub(super) fn judge(
    implied: (i128, i128),
    nominal: (i128, Option<i128>),
    t: i128,
    narrow: i128,
    zero_unsafe: bool,
) -> Option<Verdictish> {
    judge_with(implied, nominal, t, narrow, zero_unsafe, false)
}

/// [`judge`] for a count a published percentage or rate gives back directly: when nothing said
/// the count was small (`open_is_small`), learning that every possible value is from 1 to the
/// threshold minus one is a small count, however many values remain (an error, B3).
pub(super) fn judge_with(
    implied: (i128, i128),
    nominal: (i128, Option<i128>),
    t: i128,
    narrow: i128,
    zero_unsafe: bool,
    open_is_small: bool,
) -> Option<Verdictish> {
    let lo = implied.0.max(nominal.0);
    let hi = nominal.1.map_or(implied.1, |h| h.min(implied.1));
    if lo > hi {
        return None;
    }
    if lo == hi {
        let x = lo;
        if (x > 0 && x < t) || (x == 0 && zero_unsafe) {
            return Some(Verdictish {
                severity: Severity::Error,
                code: "B1",
                what: format!("gives back exactly a count below {t}"),
            });
        }
        return None;
    }
    let narrowed = lo > nominal.0 || nominal.1.is_none_or(|h| hi < h);
    if hi < t && narrowed && lo >= 1 {
        let was_open = open_is_small && nominal.1.is_none_or(|h| h >= t);
        if hi - lo < narrow || was_open {
            return Some(Verdictish {
                severity: Severity::Error,
                code: "B3",
                what: if hi - lo < narrow {
                    format!(
                        "gives back the count to at most {narrow} possible values, all below {t}"
                    )
                } else {
                    format!("gives back a count below {t}, whatever its exact value")
                },
            });
        }
        return Some(Verdictish {
            severity: Severity::Warning,
            code: "B3w",
            what: format!("narrows the count to values all below {t}"),
        });
    }
    None
}
