//! The percentages, proportions and rates of each pair of columns: the count each gives back
//! with a denominator the table's other rows confirm.

use std::collections::BTreeMap;

use crate::audit::percent::{ratio_implied_count, ratio_in_boxes};
use crate::audit::Shown as Ratio;
use crate::model::{Table, Value};
use crate::rules::Context;
use crate::table::structure::{self, CellPos, Shown, Structure};

use super::denominators::{candidates, DenColumns, DenSource};
use super::pairs::{find_pairs, Pair};
use super::verdict::judge_with;
use super::{cell_value, Emit};

/// Check the pairs of a table.
pub(super) fn check(table: &Table, s: &Structure, cx: &Context<'_>, emit: &mut Emit<'_>) {
    let pairs = find_pairs(table, s, cx.lexicon, cx.words);
    if pairs.is_empty() {
        return;
    }
    let cols = DenColumns::new(table, cx.words);
    for p in pairs {
        PairCheck {
            table,
            s,
            cx,
            p: &p,
            cols: &cols,
        }
        .run(emit);
    }
}

/// One pair of columns of a table being checked.
struct PairCheck<'a> {
    table: &'a Table,
    s: &'a Structure,
    cx: &'a Context<'a>,
    p: &'a Pair,
    cols: &'a DenColumns,
}

/// Per denominator source (as `DenSource as u8`): the rows whose shown pair it fits, and the
/// rows it was tried on.
type Agreement = BTreeMap<u8, (usize, usize)>;

impl PairCheck<'_> {
    fn run(&self, emit: &mut Emit<'_>) {
        let Some(agree) = self.agreement() else {
            return;
        };
        for r in 0..self.table.rows.len() {
            self.row(r, &agree, emit);
        }
    }

    /// Which denominator sources agree with the published pairs of this column; `None` when
    /// every percentage was computed from the rounded counts (no information on true values,
    /// `docs/tables.md` §4.3).
    fn agreement(&self) -> Option<Agreement> {
        let (table, s, p) = (self.table, self.s, self.p);
        let mut agree: Agreement = Default::default();
        let mut from_rounded = 0usize;
        let mut checked = 0usize;
        for r in 0..table.rows.len() {
            let Some((Some(Shown::Exact(n)), sh)) = count_and_share(table, p, r) else {
                continue;
            };
            checked += 1;
            for (src, d, k) in candidates(table, s, p, r, self.cols) {
                let e = agree.entry(src as u8).or_default();
                e.1 += 1;
                let fits = match k {
                    0 => consistent_boxed(n, d, sh, p.scale, s.rounding),
                    _ => consistent_decimal(n, (d, k), sh, p.scale, s.rounding),
                };
                if fits {
                    e.0 += 1;
                }
            }
            if s.rounding.is_some() {
                if let Some((_, d, k)) = candidates(table, s, p, r, self.cols).first() {
                    // The shown percentage is the ratio of the shown (rounded) counts.
                    if consistent_decimal(n, (*d, *k), sh, p.scale, None) {
                        from_rounded += 1;
                    }
                }
            }
        }
        if s.rounding.is_some() && checked > 0 && from_rounded == checked {
            return None;
        }
        Some(agree)
    }

    /// Check the cell of row `r`: the first trusted denominator that gives its count back is
    /// reported.
    fn row(&self, r: usize, agree: &Agreement, emit: &mut Emit<'_>) {
        let (table, s, p) = (self.table, self.s, self.p);
        let Some((count, sh)) = count_and_share(table, p, r) else {
            return;
        };
        let Some(nominal) = nominal(count, s) else {
            return;
        };
        if sh.value == 0.0 && nominal.1.is_none() {
            return;
        }
        let Some(ratio) = Ratio::from_f64(sh.value, sh.decimals) else {
            return;
        };
        let thresholds = &self.cx.rules.thresholds;
        let t = i128::from(thresholds.min_count);
        let narrow = i128::from(self.cx.rules.back_calculation.narrow_max_values);
        for (src, d, k) in candidates(table, s, p, r, self.cols) {
            if !trusted(agree, src) || d <= 0 {
                continue;
            }
            let Some((lo, hi)) = self.implied(ratio, nominal, (d, k)) else {
                continue;
            };
            if lo > hi {
                continue;
            }
            let Some(v) = judge_with(
                (lo, hi),
                nominal,
                t,
                narrow,
                thresholds.zero_is_unsafe,
                true,
            ) else {
                continue;
            };
            let pos = CellPos {
                row: r,
                col: p.pct_col,
            };
            let message = format!(
                "{} in {} {} [{}]: it can be calculated back with {}",
                self.subject(count),
                table.column_label(p.pct_col),
                v.what,
                v.code,
                src.text()
            );
            emit.push(table, pos, v.severity, message, b"");
            break;
        }
    }

    /// The counts a ratio gives with denominator `d / 10^k` (a rounded denominator is a box),
    /// within the count's nominal box.
    fn implied(
        &self,
        ratio: Ratio,
        nominal: (i128, Option<i128>),
        (d, k): (i128, u8),
    ) -> Option<(i128, i128)> {
        let (scale, (dlo, dhi)) = if k > 0 {
            decimal_box(self.p.scale, d, k)?
        } else {
            match self.s.rounding.and_then(|ro| ro.true_box(d)) {
                Some(b) => (self.p.scale, b),
                None => (self.p.scale, (d, d)),
            }
        };
        if dlo < dhi && dhi - dlo < MAX_DENOMINATORS {
            // Exact: the numerators that fit some denominator of the box.
            let nb = (nominal.0, nominal.1.unwrap_or(i128::MAX / 4));
            ratio_in_boxes(ratio, scale, nb, (dlo, dhi), MAX_DENOMINATORS)
                .map(|(lo, hi, _)| (lo, hi))
        } else {
            let lo = ratio_implied_count(ratio, scale, dlo).map(|x| x.0);
            let hi = ratio_implied_count(ratio, scale, dhi).map(|x| x.1);
            Some((lo?, hi?))
        }
    }

    /// What the message says the cell is.
    fn subject(&self, count: Option<Shown>) -> &'static str {
        let p = self.p;
        match (count, p.rate) {
            (Some(Shown::Hidden { .. }), true) => "the rate beside a suppressed event count",
            (Some(Shown::Hidden { .. }), false) if p.scale == 1 => {
                "the proportion beside a suppressed count"
            }
            (Some(Shown::Hidden { .. }), false) => "the percentage beside a suppressed count",
            (Some(Shown::Exact(_)), _) => {
                "the percentage beside a rounded count (computed from the true counts)"
            }
            (_, true) => "the rate",
            (_, false) if p.scale == 1 => "the proportion",
            (_, false) => "the percentage",
        }
    }
}

/// Whether a denominator source agrees with at least 70 % of the rows it was tried on (or was
/// tried on none).
fn trusted(agree: &Agreement, src: DenSource) -> bool {
    match agree.get(&(src as u8)) {
        None => true, // nothing to check against
        Some(&(ok, n)) => ok * 10 >= n * 7,
    }
}

/// The box of the count behind a cell. A shown count is small-count's business, unless it is
/// rounded and the percentage was computed from the true counts: then its box is what is hidden.
fn nominal(count: Option<Shown>, s: &Structure) -> Option<(i128, Option<i128>)> {
    Some(match count {
        Some(Shown::Exact(n)) => match s.rounding.and_then(|ro| ro.true_box(n)) {
            Some((lo, hi)) => (lo, Some(hi)),
            None => return None,
        },
        Some(Shown::Hidden { lo, hi }) => (lo, hi),
        Some(Shown::Empty) | None => (0, None),
    })
}

/// A ratio shown in a cell: value, decimals, scale (100 for %, 1 for a proportion).
#[derive(Clone, Copy, Debug)]
struct Shown2 {
    value: f64,
    decimals: u8,
}

fn share_of(v: &Value) -> Option<Shown2> {
    match v {
        Value::CountShare { share, .. } => Some(Shown2 {
            value: share.value,
            decimals: share.decimals,
        }),
        Value::Number(n) => Some(Shown2 {
            value: n.value,
            decimals: n.decimals,
        }),
        _ => None,
    }
}

fn count_and_share(table: &Table, p: &Pair, r: usize) -> Option<(Option<Shown>, Shown2)> {
    let pv = cell_value(
        table,
        CellPos {
            row: r,
            col: p.pct_col,
        },
    )?;
    let share = share_of(pv)?;
    let count = match pv {
        Value::CountShare { count, .. } => structure::shown(count),
        _ => p
            .count_col
            .and_then(|c| cell_value(table, CellPos { row: r, col: c }))
            .and_then(structure::shown),
    };
    Some((count, share))
}

/// Whether some true counts behind rounded shown ones (their boxes; exact values stand for
/// themselves) give the shown ratio.
fn consistent_boxed(
    n: i128,
    d: i128,
    sh: Shown2,
    scale: i128,
    rounding: Option<structure::Rounding>,
) -> bool {
    let nb = rounding.and_then(|r| r.true_box(n));
    let db = rounding.and_then(|r| r.true_box(d));
    if nb.is_none() && db.is_none() {
        return consistent(n, d, sh, scale);
    }
    let Some(ratio) = Ratio::from_f64(sh.value, sh.decimals) else {
        return false;
    };
    ratio_in_boxes(
        ratio,
        scale,
        nb.unwrap_or((n, n)),
        db.unwrap_or((d, d)),
        MAX_DENOMINATORS,
    )
    .is_some()
}

/// A denominator `d / 10^k` shown with `k` decimals, in units of `10^-(k+1)`: the ratio's scale
/// times `10^(k+1)`, and the box of what rounds to the shown value (a shown `1520.5` is a value
/// in `[1520.45, 1520.55]`, `152045..=152055` hundredths).
fn decimal_box(scale: i128, d: i128, k: u8) -> Option<(i128, (i128, i128))> {
    let unit = 10i128.checked_pow(u32::from(k) + 1)?;
    let d = d.checked_mul(10)?;
    Some((scale.checked_mul(unit)?, (d - 5, d + 5)))
}

/// [`consistent_boxed`] for a denominator `d / 10^k`; with `k = 0`, the shown denominator as
/// it is.
fn consistent_decimal(
    n: i128,
    (d, k): (i128, u8),
    sh: Shown2,
    scale: i128,
    rounding: Option<structure::Rounding>,
) -> bool {
    if k == 0 {
        return consistent(n, d, sh, scale);
    }
    let (Some(ratio), Some((scale, db))) = (
        Ratio::from_f64(sh.value, sh.decimals),
        decimal_box(scale, d, k),
    ) else {
        return false;
    };
    let nb = rounding.and_then(|r| r.true_box(n)).unwrap_or((n, n));
    ratio_in_boxes(ratio, scale, nb, db, MAX_DENOMINATORS).is_some()
}

/// Most denominators of a rounding box enumerated exactly.
const MAX_DENOMINATORS: i128 = 10_000;

fn consistent(n: i128, d: i128, sh: Shown2, scale: i128) -> bool {
    let Some(ratio) = Ratio::from_f64(sh.value, sh.decimals) else {
        return false;
    };
    ratio_implied_count(ratio, scale, d).is_some_and(|(lo, hi)| lo <= n && n <= hi)
}
