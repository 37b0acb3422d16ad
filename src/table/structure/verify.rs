//! Numeric verification of a candidate family of relations (docs/tables.md §3.3): each line's
//! status under interval arithmetic, exactly and then within rounding boxes, and the tally that
//! decides whether the family is accepted and confirmed.

use super::counts::{Grid, Line};
use super::{Builder, CellPos, Int, Rounding, Sense, Shown, Total, MAX_VERIFY_LINES};
use crate::audit::rounding_box;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Status {
    /// Every member and the total published exactly, and the sum matches.
    Exact,
    /// Every member published, all zero: no evidence either way.
    Trivial,
    Consistent,
    Violated,
}

pub(super) fn cell_box(s: Shown, rounding: Option<&Rounding>) -> (Int, Option<Int>, bool) {
    match s {
        Shown::Exact(v) => match rounding.and_then(|r| rounding_box(r.scheme, v)) {
            Some((lo, hi)) => (lo, Some(hi), false),
            None => (v, Some(v), true),
        },
        Shown::Hidden { lo, hi } => (lo, hi, false),
        Shown::Empty => (0, None, false),
    }
}

pub(super) fn line_status(
    g: &Grid<'_>,
    line: &Line,
    sense: Sense,
    residual: bool,
    rounding: Option<&Rounding>,
) -> Option<(Status, bool)> {
    let total = match line.total {
        Total::Cell(p) => g.get(p)?,
        Total::Constant(v) => Shown::Exact(v),
    };
    if total == Shown::Empty {
        return None;
    }
    let (tlo, thi, t_exact) = match line.total {
        Total::Constant(v) => (v, Some(v), true),
        Total::Cell(_) => cell_box(total, rounding),
    };
    let mut lo: Int = 0;
    let mut hi: Option<Int> = Some(0);
    let mut all_exact = t_exact;
    let mut visible_sum: Int = 0;
    let mut any_hidden = false;
    let mut all_zero = matches!(total, Shown::Exact(0));
    for p in &line.parts {
        let s = g.get(*p)?;
        if let Shown::Exact(v) = s {
            visible_sum = visible_sum.saturating_add(v);
            if v != 0 {
                all_zero = false;
            }
        } else {
            any_hidden = true;
            all_zero = false;
        }
        let (a, b, e) = cell_box(s, rounding);
        all_exact &= e;
        lo = lo.saturating_add(a);
        hi = match (hi, b) {
            (Some(x), Some(y)) => Some(x.saturating_add(y)),
            _ => None,
        };
    }
    // Hidden members whose total equals the visible sum exactly.
    let excl = any_hidden && t_exact && matches!(total, Shown::Exact(t) if t == visible_sum);
    if residual {
        hi = None;
        all_exact = false;
    }
    let status = match sense {
        Sense::Eq => {
            if all_exact {
                if Some(lo) == thi && lo == tlo {
                    if all_zero {
                        Status::Trivial
                    } else {
                        Status::Exact
                    }
                } else {
                    Status::Violated
                }
            } else if hi.is_none_or(|h| h >= tlo) && thi.is_none_or(|th| lo <= th) {
                Status::Consistent
            } else {
                Status::Violated
            }
        }
        Sense::Le => {
            if thi.is_none_or(|th| lo <= th) {
                Status::Consistent
            } else {
                Status::Violated
            }
        }
    };
    Some((status, excl))
}

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Tally {
    pub(super) lines: usize,
    pub(super) exact: usize,
    pub(super) consistent: usize,
    pub(super) violated: usize,
    pub(super) full: usize,
    pub(super) excl_lines: usize,
    pub(super) hidden_lines: usize,
}

/// The status of each line of a family, counted. With `stop`, counting ends at the first
/// violated line (the caller rejects the family on one, so the rest need not be read).
pub(super) fn tally(
    g: &Grid<'_>,
    lines: &[Line],
    sense: Sense,
    residual: bool,
    rounding: Option<&Rounding>,
    stop: bool,
) -> Tally {
    let mut t = Tally::default();
    for line in lines.iter().take(MAX_VERIFY_LINES) {
        if stop && t.violated > 0 {
            break;
        }
        let Some((s, excl)) = line_status(g, line, sense, residual, rounding) else {
            continue;
        };
        t.lines += 1;
        let hidden = line
            .parts
            .iter()
            .any(|p| matches!(g.get(*p), Some(Shown::Hidden { .. }) | Some(Shown::Empty)));
        if hidden {
            t.hidden_lines += 1;
            if excl {
                t.excl_lines += 1;
            }
        }
        match s {
            Status::Exact => {
                t.exact += 1;
                t.full += 1;
                t.consistent += 1;
            }
            Status::Trivial => {
                t.consistent += 1;
            }
            Status::Consistent => t.consistent += 1,
            Status::Violated => {
                t.violated += 1;
                if !hidden {
                    t.full += 1;
                }
            }
        }
    }
    t
}

/// How a family was accepted.
#[derive(Clone, Copy, Debug)]
pub(super) struct Accepted {
    pub(super) tally: Tally,
    pub(super) confirmed: bool,
    pub(super) rounded: bool,
}

/// Verify a family: exactly first, then (for a rounded table) with rounding boxes.
/// `min_exact` is 1 for labelled candidates and 2 for label-free ones.
pub(super) fn verify(
    g: &Grid<'_>,
    lines: &[Line],
    sense: Sense,
    residual: bool,
    rounding: Option<&Rounding>,
    min_exact: usize,
) -> Option<Accepted> {
    if g.spent() {
        return None;
    }
    // A violated line rejects the family unless the rounded pass below may still accept it.
    let rounded_pass = rounding.is_some_and(|r| !r.sum_of_rounded) && min_exact <= 1;
    let t = tally(g, lines, sense, residual, None, !rounded_pass);
    if t.lines == 0 {
        return None;
    }
    // A labelled total with no fully published line rests on its label; otherwise at least
    // 70 % of the fully published lines must match exactly (AggreCol's coverage).
    let needed = if min_exact <= 1 && t.full == 0 {
        0
    } else {
        min_exact.max((t.full * 7).div_ceil(10))
    };
    if t.violated == 0 && (t.exact >= needed || sense == Sense::Le) {
        return Some(Accepted {
            tally: t,
            confirmed: true,
            rounded: false,
        });
    }
    if t.violated == 0 && min_exact <= 1 && t.exact >= 1 {
        return Some(Accepted {
            tally: t,
            confirmed: false,
            rounded: false,
        });
    }
    if let Some(r) = rounding.filter(|r| !r.sum_of_rounded) {
        if min_exact > 1 {
            return None;
        }
        let tr = tally(g, lines, sense, residual, Some(r), true);
        if tr.violated == 0 && tr.consistent >= 1 {
            return Some(Accepted {
                tally: tr,
                confirmed: true,
                rounded: true,
            });
        }
    }
    None
}

/// Try candidate part sets for a total; keep the accepted one with the most exact lines.
pub(super) fn best_candidate(
    b: &Builder<'_, '_>,
    cands: Vec<(Vec<Line>, Vec<CellPos>)>,
    min_exact: usize,
) -> Option<(usize, Accepted)> {
    let mut best: Option<(usize, Accepted)> = None;
    for (k, (lines, _)) in cands.iter().enumerate() {
        if let Some(acc) = verify(b.g, lines, Sense::Eq, false, b.rounding.as_ref(), min_exact) {
            let better = match &best {
                None => true,
                Some((_, a)) => (acc.confirmed, acc.tally.exact) > (a.confirmed, a.tally.exact),
            };
            if better {
                best = Some((k, acc));
            }
        }
    }
    best
}

/// The first exact line that disagrees, for an S1 report.
pub(super) fn first_violation(b: &Builder<'_, '_>, lines: &[Line]) -> Option<CellPos> {
    if b.g.spent() {
        return None;
    }
    let r = b.rounding.as_ref();
    lines.iter().find_map(|l| {
        let (s, _) = line_status(b.g, l, Sense::Eq, false, r)?;
        let hidden = l
            .parts
            .iter()
            .any(|p| !matches!(b.g.get(*p), Some(Shown::Exact(_))));
        match (s, l.total) {
            (Status::Violated, Total::Cell(p)) if !hidden => Some(p),
            _ => None,
        }
    })
}

/// Every member holds a non-zero published value in some line (no trivial `a = a + 0`).
pub(super) fn members_nonzero(g: &Grid<'_>, lines: &[Line]) -> bool {
    let Some(first) = lines.first() else {
        return false;
    };
    (0..first.parts.len()).all(|m| {
        lines.iter().any(|l| {
            l.parts
                .get(m)
                .is_some_and(|p| matches!(g.get(*p), Some(Shown::Exact(v)) if v != 0))
        })
    })
}
