//! Ratios of two groups beside each group's events and size (`docs/tables.md` §4.9): a relative
//! risk or rate ratio `RR = (a₁/n₁) / (a₀/n₀)` or an odds ratio `OR = a₁(n₀−a₀) / ((n₁−a₁)a₀)`,
//! with one group's events suppressed and the other three numbers shown, gives those events back
//! to within what the ratio's decimals allow.
//!
//! The columns are found by their headers: a ratio column (`RR`, `IRR (95% CI)`, `Odds ratio`)
//! and, left of it, two groups each with an events column (`Events exposed`) and a size column
//! (`N exposed`, `Person-years unexposed`), paired by the words their headers share. Which group
//! is the ratio's numerator is read from the rows where all five numbers are shown (seven in ten
//! must fit); with no such row both readings are tried, and what they give is a warning.

use super::verdict::judge_with;
use super::{cell_value, exact_at, Emit};
use crate::audit::Shown as Ratio;
use crate::finding::Severity;
use crate::model::{Kind, Table, Value};
use crate::rules::words::Words;
use crate::rules::Context;
use crate::table::classify::tokens;
use crate::table::structure::{self, CellPos, Shown, Structure};

/// One group's columns: its events and its size.
#[derive(Clone, Copy, Debug)]
struct Group {
    events: u32,
    size: u32,
}

/// The columns of a ratio table.
#[derive(Clone, Copy, Debug)]
struct Layout {
    ratio: u32,
    odds: bool,
    /// The groups in column order.
    groups: [Group; 2],
    /// The sizes are person-time (a rate ratio): odds make no sense there.
    person_time: bool,
}

/// Check the ratio columns of a table.
pub(super) fn check(table: &Table, _s: &Structure, cx: &Context<'_>, emit: &mut Emit<'_>) {
    for layout in layouts(table, cx.words) {
        let confirmed: Vec<bool> = [false, true]
            .into_iter()
            .filter(|&swap| fits_visible_rows(table, &layout, swap))
            .collect();
        let (directions, severity) = if confirmed.is_empty() && !any_visible_row(table, &layout) {
            (vec![false, true], Severity::Warning)
        } else {
            (confirmed, Severity::Error)
        };
        for r in 0..table.rows.len() {
            for &swap in &directions {
                if row(table, cx, &layout, r, swap, severity, emit) {
                    break;
                }
            }
        }
    }
}

/// Most ratio columns of one table that are read: each is paired with the columns left of it,
/// so the work stays linear in the table's width.
const MAX_RATIO_COLUMNS: usize = 8;

/// What a column left of a ratio may be: a group's events or its size (person-time or not),
/// with the words that name its group.
enum Role {
    Events(Vec<String>),
    Size(Vec<String>, bool),
}

/// The ratio columns of a table with their two groups.
fn layouts(table: &Table, words: &Words) -> Vec<Layout> {
    let ratios: Vec<(u32, bool)> = (table.columns.iter())
        .filter_map(|c| words.group_ratio(&c.name).map(|odds| (c.col, odds)))
        .take(MAX_RATIO_COLUMNS)
        .collect();
    if ratios.is_empty() {
        return Vec::new();
    }
    let roles: Vec<(u32, Role)> = (table.columns.iter())
        .filter(|x| !matches!(x.kind, Kind::Label))
        .filter_map(|x| {
            let toks = tokens(&x.name);
            let person_time = words.is_person_time(&x.name);
            if toks.iter().any(|t| words.is_event_token(t)) {
                Some((x.col, Role::Events(group_key(&toks, words))))
            } else if person_time || toks.iter().any(|t| words.is_denominator_token(t)) {
                Some((x.col, Role::Size(group_key(&toks, words), person_time)))
            } else {
                None
            }
        })
        .collect();
    let mut out = Vec::new();
    for (ratio, odds) in ratios {
        let left = roles.iter().filter(|(col, _)| *col < ratio);
        let mut events: Vec<(&[String], u32)> = Vec::new();
        let mut sizes: Vec<(&[String], u32, bool)> = Vec::new();
        for (col, role) in left {
            match role {
                Role::Events(key) => events.push((key, *col)),
                Role::Size(key, pt) => sizes.push((key, *col, *pt)),
            }
        }
        if events.len() != 2 || sizes.len() != 2 || events[0].0 == events[1].0 {
            continue;
        }
        let mut groups = Vec::new();
        let mut person_time = false;
        for (key, ev) in &events {
            if let Some((_, size, pt)) = sizes.iter().find(|(k, _, _)| k == key) {
                person_time |= *pt;
                groups.push(Group {
                    events: *ev,
                    size: *size,
                });
            }
        }
        if let [g1, g0] = groups[..] {
            if !(odds && person_time) {
                out.push(Layout {
                    ratio,
                    odds,
                    groups: [g1, g0],
                    person_time,
                });
            }
        }
    }
    out
}

/// The words of a header that name its group: all but the event, size and filler words.
fn group_key(toks: &[String], words: &Words) -> Vec<String> {
    let person_time: Vec<String> = toks
        .iter()
        .filter(|t| words.is_person_time(t))
        .cloned()
        .collect();
    toks.iter()
        .filter(|t| {
            !words.is_event_token(t)
                && !words.is_denominator_token(t)
                && !person_time.contains(t)
                && !matches!(
                    t.as_str(),
                    "of" | "no" | "number" | "years" | "time" | "with" | "in"
                )
        })
        .cloned()
        .collect()
}

/// A whole number a cell shows.
fn exact(table: &Table, row: usize, col: u32) -> Option<i128> {
    exact_at(table, CellPos { row, col })
}

/// The ratio a cell shows: a number, or the estimate of `1.21 (0.98-1.50)`.
fn ratio_at(table: &Table, row: usize, col: u32) -> Option<Ratio> {
    let n = match cell_value(table, CellPos { row, col })? {
        Value::Number(n) => n,
        Value::Estimate { value } => value,
        _ => return None,
    };
    if n.percent || n.value <= 0.0 || n.decimals > 6 {
        return None;
    }
    Ratio::from_f64(n.value, n.decimals).filter(|r| r.mantissa < 1_000_000_000_000)
}

/// The numerator group and the denominator group of the ratio: `swap` puts the second group of
/// the columns over the first.
fn ordered(layout: &Layout, swap: bool) -> (Group, Group) {
    let [a, b] = layout.groups;
    if swap {
        (b, a)
    } else {
        (a, b)
    }
}

/// Whether any row shows all five numbers.
fn any_visible_row(table: &Table, layout: &Layout) -> bool {
    (0..table.rows.len()).any(|r| visible(table, layout, r, false).is_some())
}

/// The events and sizes of the numerator and denominator groups and the ratio of a row that
/// shows all of them.
fn visible(table: &Table, layout: &Layout, r: usize, swap: bool) -> Option<([i128; 4], Ratio)> {
    let (g1, g0) = ordered(layout, swap);
    let v = [
        exact(table, r, g1.events)?,
        exact(table, r, g1.size)?,
        exact(table, r, g0.events)?,
        exact(table, r, g0.size)?,
    ];
    Some((v, ratio_at(table, r, layout.ratio)?))
}

/// Whether the ratio, read with this numerator group, fits seven in ten of the rows that show
/// every number (and at least one).
fn fits_visible_rows(table: &Table, layout: &Layout, swap: bool) -> bool {
    let (mut ok, mut n) = (0, 0);
    for r in 0..table.rows.len() {
        let Some(([a1, n1, a0, n0], shown)) = visible(table, layout, r, swap) else {
            continue;
        };
        n += 1;
        let (num, den) = if layout.odds {
            (a1 * (n0 - a0), (n1 - a1) * a0)
        } else {
            (a1 * n0, n1 * a0)
        };
        if den > 0 && within(num, den, shown) {
            ok += 1;
        }
    }
    n > 0 && ok * 10 >= n * 7
}

/// Whether `num/den` rounds to the shown ratio: it lies in `[mantissa − ½, mantissa + ½]·10^-d`.
fn within(num: i128, den: i128, shown: Ratio) -> bool {
    let Some(unit) = 10i128.checked_pow(u32::from(shown.decimals)) else {
        return false;
    };
    let x = 2 * num * unit;
    (2 * shown.mantissa - 1) * den <= x && x <= (2 * shown.mantissa + 1) * den
}

/// Check one row with one numerator group: whether a finding was given.
fn row(
    table: &Table,
    cx: &Context<'_>,
    layout: &Layout,
    r: usize,
    swap: bool,
    severity: Severity,
    emit: &mut Emit<'_>,
) -> bool {
    let (g1, g0) = ordered(layout, swap);
    let Some(shown) = ratio_at(table, r, layout.ratio) else {
        return false;
    };
    let hidden =
        |col: u32| match cell_value(table, CellPos { row: r, col }).and_then(structure::shown) {
            Some(Shown::Hidden { lo, hi }) => Some((lo, hi)),
            _ => None,
        };
    let (Some(n1), Some(n0)) = (exact(table, r, g1.size), exact(table, r, g0.size)) else {
        return false;
    };
    // The suppressed group's events, from the other's and the ratio's bounds.
    let (col, nominal, interval) = match (
        exact(table, r, g1.events),
        exact(table, r, g0.events),
        hidden(g1.events),
        hidden(g0.events),
    ) {
        (None, Some(a0), Some(nom), None) => (g1.events, nom, numerator(layout, shown, a0, n1, n0)),
        (Some(a1), None, None, Some(nom)) => {
            (g0.events, nom, denominator(layout, shown, a1, n1, n0))
        }
        _ => return false,
    };
    let Some(implied) = interval else {
        return false;
    };
    let thresholds = &cx.rules.thresholds;
    let t = i128::from(thresholds.min_count);
    let narrow = i128::from(cx.rules.back_calculation.narrow_max_values);
    let Some(v) = judge_with(implied, nominal, t, narrow, thresholds.zero_is_unsafe, true) else {
        return false;
    };
    let kind = match (layout.odds, layout.person_time) {
        (true, _) => "odds ratio",
        (false, true) => "rate ratio",
        (false, false) => "relative risk",
    };
    let assumed = if severity == Severity::Warning {
        " (no row shows every number, so which group the ratio divides by is assumed)"
    } else {
        ""
    };
    let message = format!(
        "the {kind} in {} beside the suppressed events of {} {} [{}]: it can be calculated back with the other group's events and both groups' sizes{assumed}",
        table.column_label(layout.ratio),
        table.column_label(col),
        v.what,
        v.code
    );
    let severity = if severity == Severity::Warning {
        Severity::Warning
    } else {
        v.severity
    };
    let pos = CellPos {
        row: r,
        col: layout.ratio,
    };
    emit.push(table, pos, severity, message, b"group ratio");
    true
}

/// The ratio's bounds `(2u ∓ 1) / (2·10^d)` as numerator and denominator.
fn bounds(shown: Ratio) -> Option<[(i128, i128); 2]> {
    let unit2 = 2 * 10i128.checked_pow(u32::from(shown.decimals))?;
    Some([
        (2 * shown.mantissa - 1, unit2),
        (2 * shown.mantissa + 1, unit2),
    ])
}

/// The whole numbers between two non-negative rationals (either order); `None` for an
/// unbounded end.
fn whole_between(x: (i128, i128), y: (i128, i128)) -> Option<(i128, i128)> {
    let (lo, hi) = if x.0 * y.1 <= y.0 * x.1 {
        (x, y)
    } else {
        (y, x)
    };
    if lo.1 <= 0 || hi.1 <= 0 {
        return None;
    }
    let ceil = (lo.0 + lo.1 - 1).div_euclid(lo.1);
    Some((ceil.max(0), hi.0.div_euclid(hi.1)))
}

/// The numerator group's events `a₁` from the denominator group's `a₀` and the sizes.
fn numerator(layout: &Layout, shown: Ratio, a0: i128, n1: i128, n0: i128) -> Option<(i128, i128)> {
    let [lo, hi] = bounds(shown)?;
    let at = |(p, q): (i128, i128)| -> (i128, i128) {
        if layout.odds {
            // a₁ = OR·n₁·a₀ / (n₀ − a₀ + OR·a₀)
            (p * n1 * a0, q * (n0 - a0) + p * a0)
        } else {
            // a₁ = RR·a₀·n₁ / n₀
            (p * a0 * n1, q * n0)
        }
    };
    whole_between(at(lo), at(hi))
}

/// The denominator group's events `a₀` from the numerator group's `a₁` and the sizes.
fn denominator(
    layout: &Layout,
    shown: Ratio,
    a1: i128,
    n1: i128,
    n0: i128,
) -> Option<(i128, i128)> {
    let [lo, hi] = bounds(shown)?;
    if lo.0 <= 0 {
        return None; // a ratio that may be 0 leaves a₀ unbounded
    }
    let at = |(p, q): (i128, i128)| -> (i128, i128) {
        if layout.odds {
            // a₀ = n₀·a₁ / (OR·(n₁ − a₁) + a₁)
            (q * n0 * a1, p * (n1 - a1) + q * a1)
        } else {
            // a₀ = a₁·n₀ / (RR·n₁)
            (q * a1 * n0, p * n1)
        }
    };
    whole_between(at(lo), at(hi))
}
