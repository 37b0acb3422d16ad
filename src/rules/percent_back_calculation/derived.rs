//! Denominators derived from the count/percentage pairs of a column when no `N` is shown
//! (`docs/tables.md` §4.5): each visible pair `(n, p)` bounds the column's denominator to
//! `[100·n/(p+h), 100·n/(p−h)]`; the intersection over a section's pairs often pins it to one
//! integer. The suppressed cells of the section then add up to `D − Σ visible`, and a suppressed
//! count whose own percentage is shown comes back from `D` directly.
//!
//! Pairs are `n (%)` cells, or a count column followed by a percentage column (a header row that
//! repeats the group name over both, `Total  Total  White  White`, is typical). A section is a
//! run of rows between heading rows (rows with nothing in any pair). The suppressed cells of a
//! section add up to `D − Σ visible` only if the section's rows partition the group; that is
//! taken as shown when, in the same section or in another section of the same column, a fully
//! visible column of pairs adds up to its own derived denominator.

use std::collections::BTreeMap;

use super::{judge, judge_with, Emit};
use crate::audit::percent::{denominator_from_shares, ratio_implied_count};
use crate::audit::{Int, Shown as Ratio};
use crate::model::{Column, Kind, Table, Value};
use crate::rules::words::Words;
use crate::rules::Context;
use crate::table::structure::{CellPos, Structure};

/// A count column and the percentage column of its pairs (the same column for `n (%)` cells).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PairCol {
    count: u32,
    pct: u32,
}

/// The count half of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cnt {
    Exact(Int),
    Hidden { lo: Int, hi: Option<Int> },
    Blank,
}

/// The percentage half of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pct {
    Shown(Ratio),
    Hidden,
    Blank,
}

fn count_of(v: Option<&Value>) -> Option<Cnt> {
    match v {
        None | Some(Value::Empty) => Some(Cnt::Blank),
        Some(Value::Number(n)) if !n.percent && n.decimals == 0 && n.value >= 0.0 => {
            n.as_integer().map(|x| Cnt::Exact(Int::from(x)))
        }
        Some(Value::Suppressed(s)) => Some(Cnt::Hidden {
            lo: Int::from(s.low.unwrap_or(0).max(0)),
            hi: s.high.map(Int::from),
        }),
        _ => None,
    }
}

fn pct_of(v: Option<&Value>) -> Option<Pct> {
    match v {
        None | Some(Value::Empty) => Some(Pct::Blank),
        Some(Value::Number(n)) if (0.0..=100.0).contains(&n.value) => {
            Ratio::from_f64(n.value, n.decimals).map(Pct::Shown)
        }
        Some(Value::Suppressed(_)) => Some(Pct::Hidden),
        _ => None,
    }
}

/// The pair of row `r`; `None` if the cells are not a count and a percentage.
fn pair_at(table: &Table, pc: PairCol, r: usize) -> Option<(Cnt, Pct)> {
    if pc.count == pc.pct {
        return match table.value_at(r, pc.count) {
            Some(Value::CountShare { count, share }) => Some((
                count_of(Some(count))?,
                if (0.0..=100.0).contains(&share.value) {
                    Ratio::from_f64(share.value, share.decimals).map(Pct::Shown)?
                } else {
                    return None;
                },
            )),
            Some(Value::Suppressed(s)) => Some((
                Cnt::Hidden {
                    lo: Int::from(s.low.unwrap_or(0).max(0)),
                    hi: s.high.map(Int::from),
                },
                Pct::Hidden,
            )),
            None | Some(Value::Empty) => Some((Cnt::Blank, Pct::Blank)),
            _ => None,
        };
    }
    Some((
        count_of(table.value_at(r, pc.count))?,
        pct_of(table.value_at(r, pc.pct))?,
    ))
}

/// [`pair_columns_with`] under the default vocabulary (the unit tests' entry).
#[cfg(test)]
fn pair_columns(table: &Table) -> Vec<PairCol> {
    let rules = crate::config::Rules::default_rules();
    pair_columns_with(table, &Words::new(&rules.vocabulary))
}

/// Columns of count/percentage pairs, found by their values and confirmed by their header or by
/// three visible pairs that agree on one denominator.
fn pair_columns_with(table: &Table, words: &Words) -> Vec<PairCol> {
    let mut out: Vec<(PairCol, bool)> = Vec::new();
    let mut taken: Vec<u32> = Vec::new();
    for c in &table.columns {
        if taken.contains(&c.col) {
            continue;
        }
        let Some((candidate, strong)) = pair_column_at(table, c, words) else {
            continue;
        };
        taken.push(candidate.count);
        taken.push(candidate.pct);
        out.push((candidate, strong));
    }
    let keep = continued_runs(&out);
    out.into_iter()
        .zip(keep)
        .filter_map(|((pc, _), k)| k.then_some(pc))
        .collect()
}

/// The pair column that starts at column `c` (its `n (%)` cells, or it and the column after
/// it), and whether it is confirmed (`true`: by its header or by three agreeing pairs).
fn pair_column_at(table: &Table, c: &Column, words: &Words) -> Option<(PairCol, bool)> {
    let n = table.rows.len();
    let shares = (0..n)
        .filter(|&r| matches!(table.value_at(r, c.col), Some(Value::CountShare { .. })))
        .count();
    let candidate = if shares > 0 {
        PairCol {
            count: c.col,
            pct: c.col,
        }
    } else {
        PairCol {
            count: c.col,
            pct: c.col + 1,
        }
    };
    let pcol = table.column(candidate.pct)?;
    if matches!(c.kind, Kind::Label)
        || matches!(pcol.kind, Kind::Rate | Kind::Extreme | Kind::Label)
    {
        return None;
    }
    let mut pairs: Vec<(Int, Ratio)> = Vec::new();
    let mut decimals_or_sign = 0usize;
    for r in 0..n {
        if let (Cnt::Exact(x), Pct::Shown(p)) = pair_at(table, candidate, r)? {
            if x > 0 && p.mantissa > 0 {
                pairs.push((x, p));
            }
            if p.decimals > 0 {
                decimals_or_sign += 1;
            }
        }
    }
    if pairs.len() < 2 {
        return None;
    }
    let sign = (0..n)
        .any(|r| matches!(table.value_at(r, candidate.pct), Some(Value::Number(x)) if x.percent));
    let header = candidate.count == candidate.pct
        || words.names_percent(&pcol.name)
        || (!c.name.trim().is_empty() && c.name == pcol.name);
    let looks_like_pct =
        sign || decimals_or_sign * 2 >= pairs.len() || words.names_percent(&pcol.name);
    if !looks_like_pct {
        return None;
    }
    denominator_from_shares(&pairs, 100, 0)?;
    Some((candidate, header || pairs.len() >= 3))
}

/// Which pair columns to keep: the confirmed ones, and a weaker column (two agreeing pairs, no
/// header) when it continues a run of pairs that has a confirmed one (`n % n % n %` with one
/// group mostly suppressed).
fn continued_runs(out: &[(PairCol, bool)]) -> Vec<bool> {
    let mut keep: Vec<bool> = out.iter().map(|x| x.1).collect();
    loop {
        let mut changed = false;
        for i in 0..out.len() {
            if keep[i] {
                continue;
            }
            let (pc, _) = out[i];
            let next_to_kept = out
                .iter()
                .zip(&keep)
                .any(|((o, _), &k)| k && (o.pct + 1 == pc.count || pc.pct + 1 == o.count));
            if next_to_kept {
                keep[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    keep
}

/// What one section of one pair column shows.
#[derive(Default)]
struct Part {
    rows: Vec<usize>,
    visible: Vec<(Int, Ratio)>,
    visible_sum: Int,
    /// Rows whose count is hidden, with the hidden count's bounds and its percentage.
    hidden: Vec<(usize, Int, Option<Int>, Pct)>,
    /// Largest half-width of the shown percentages, in units of 10^-3 %.
    pct_sum_milli: Int,
    pct_slack_milli: Int,
    /// Denominator interval from the visible pairs.
    den: Option<(Int, Int)>,
}

impl Part {
    /// Every pair visible and the counts add up to the percentages' denominator.
    fn adds_up(&self) -> bool {
        self.hidden.is_empty()
            && self.visible.len() >= 2
            && self
                .den
                .is_some_and(|(lo, hi)| lo <= self.visible_sum && self.visible_sum <= hi)
    }

    /// The part of pair column `pc` over a section's rows; `None` when a row holds no pair or a
    /// percentage has more than three decimals.
    fn of(table: &Table, pc: PairCol, rows: &[usize]) -> Option<Part> {
        let mut part = Part {
            rows: rows.to_vec(),
            ..Part::default()
        };
        let mut usable = true;
        for &r in rows {
            let (cnt, pct) = pair_at(table, pc, r)?;
            if let Pct::Shown(p) = pct {
                match milli(p) {
                    Some((v, h)) => {
                        part.pct_sum_milli += v;
                        part.pct_slack_milli += h;
                    }
                    None => usable = false,
                }
            }
            match cnt {
                Cnt::Exact(x) => {
                    part.visible_sum = part.visible_sum.saturating_add(x);
                    if let Pct::Shown(p) = pct {
                        part.visible.push((x, p));
                    }
                }
                Cnt::Hidden { lo, hi } => part.hidden.push((r, lo, hi, pct)),
                Cnt::Blank => part.hidden.push((r, 0, None, pct)),
            }
        }
        if !usable {
            return None;
        }
        // Each count is at most the total; the visible counts add up to at most the total
        // only when the rows partition the group, which is judged below, so the shares
        // alone decide here (a Table 1 column lists several variables, each adding to N).
        let largest = part.visible.iter().map(|v| v.0).max().unwrap_or(0);
        part.den = denominator_from_shares(&part.visible, 100, largest);
        Some(part)
    }
}

fn milli(p: Ratio) -> Option<(Int, Int)> {
    // value and half-width in thousandths of a percent
    let d = u32::from(p.decimals);
    if d > 3 {
        return None;
    }
    let f = 10i128.pow(3 - d);
    Some((p.mantissa.checked_mul(f)?, f / 2))
}

/// Run the derived-denominator checks on a table.
pub(super) fn check(table: &Table, s: &Structure, cx: &Context<'_>, emit: &mut Emit<'_>) {
    if s.rounding.is_some_and(|r| !r.sum_of_rounded) {
        return; // rounded counts: D − Σ visible is not exact
    }
    let pcs = pair_columns_with(table, cx.words);
    if pcs.is_empty() {
        return;
    }
    let (sections, has_total) = sections(table, s, cx, &pcs);
    // One part per (section, pair column).
    let mut parts: BTreeMap<(usize, usize), Part> = BTreeMap::new();
    for (si, rows) in sections.iter().enumerate() {
        for (pi, &pc) in pcs.iter().enumerate() {
            if let Some(part) = Part::of(table, pc, rows) {
                parts.insert((si, pi), part);
            }
        }
    }
    let d = Derived {
        table,
        cx,
        t: Int::from(cx.rules.thresholds.min_count),
        narrow: Int::from(cx.rules.back_calculation.narrow_max_values),
    };
    for (&(si, pi), part) in &parts {
        if has_total[si] || s.column_n.contains_key(&pcs[pi].count) {
            continue; // a shown denominator: the other checks use it
        }
        let Some(den) = part.den else { continue };
        if part.visible.is_empty() {
            continue;
        }
        let pc = pcs[pi];
        // The rows partition the group: a fully visible column of the section, or a fully
        // visible section of the column, adds up to its denominator.
        let partition = parts
            .iter()
            .any(|(&(s2, p2), other)| (s2 == si) != (p2 == pi) && other.adds_up());
        d.hidden_with_percent(pc, part, den, emit);
        if !partition {
            continue;
        }
        if den.1 < part.visible_sum {
            continue; // the rows hold more than the total: not one group
        }
        if part.hidden.is_empty() {
            d.residual(pc, part, den, emit);
        } else {
            d.hidden_sum(pc, part, den, emit);
        }
    }
}

/// Sections: runs of rows between rows with nothing in any pair, and whether each holds a
/// total row.
fn sections(
    table: &Table,
    s: &Structure,
    cx: &Context<'_>,
    pcs: &[PairCol],
) -> (Vec<Vec<usize>>, Vec<bool>) {
    let mut sections: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    let mut has_total: Vec<bool> = Vec::new();
    let mut total = false;
    for r in 0..table.rows.len() {
        let blank = pcs
            .iter()
            .all(|&pc| matches!(pair_at(table, pc, r), Some((Cnt::Blank, Pct::Blank))));
        if blank {
            if !cur.is_empty() {
                sections.push(std::mem::take(&mut cur));
                has_total.push(total);
            }
            total = false;
            continue;
        }
        if cx.lexicon.is_total(&table.rows[r].label) || s.total_rows.contains(&r) {
            total = true;
        }
        cur.push(r);
    }
    if !cur.is_empty() {
        sections.push(cur);
        has_total.push(total);
    }
    (sections, has_total)
}

/// What the checks of one table's parts share.
struct Derived<'a> {
    table: &'a Table,
    cx: &'a Context<'a>,
    t: Int,
    narrow: Int,
}

impl Derived<'_> {
    /// Each hidden count whose own percentage is shown comes back from the derived
    /// denominator `den`.
    fn hidden_with_percent(&self, pc: PairCol, part: &Part, den: (Int, Int), emit: &mut Emit<'_>) {
        let (dlo, dhi) = den;
        for &(r, lo, hi, pct) in &part.hidden {
            let Pct::Shown(p) = pct else { continue };
            let (Some(a), Some(b)) = (
                ratio_implied_count(p, 100, dlo).map(|x| x.0),
                ratio_implied_count(p, 100, dhi).map(|x| x.1),
            ) else {
                continue;
            };
            if let Some(v) = judge_with(
                (a, b),
                (lo, hi),
                self.t,
                self.narrow,
                self.cx.rules.thresholds.zero_is_unsafe,
                true,
            ) {
                let message = format!(
                    "the percentage beside a suppressed count in {} {} [{}]: it can be calculated back with the column's total, which the percentages and the column's other cells give",
                    self.table.column_label(pc.pct),
                    v.what,
                    v.code
                );
                emit.push(
                    self.table,
                    CellPos {
                        row: r,
                        col: pc.pct,
                    },
                    v.severity,
                    message,
                    b"derived-cell",
                );
            }
        }
    }

    /// The interval of what the hidden rows of a partition hold: `D − Σ visible`.
    fn implied(part: &Part, (dlo, dhi): (Int, Int)) -> (Int, Int) {
        ((dlo - part.visible_sum).max(0), dhi - part.visible_sum)
    }

    /// A fully visible part whose percentages add up to clearly less than 100: an implied
    /// residual of the persons in none of its categories.
    fn residual(&self, pc: PairCol, part: &Part, den: (Int, Int), emit: &mut Emit<'_>) {
        let (t, narrow) = (self.t, self.narrow);
        let gap = 100_000 - part.pct_sum_milli;
        if gap <= part.pct_slack_milli {
            return;
        }
        let Some(v) = judge(
            Self::implied(part, den),
            (0, None),
            t,
            narrow,
            self.cx.rules.thresholds.zero_is_unsafe,
        ) else {
            return;
        };
        let Some(&last) = part.rows.last() else {
            return;
        };
        let message = format!(
            "the persons of {} in none of the categories of this section (an implied residual) are {} [{}]: the percentages and the column's other cells give them back",
            self.table.column_label(pc.count),
            how(v.code, t, narrow),
            if v.code == "B1" { "B2" } else { v.code }
        );
        emit.push(
            self.table,
            CellPos {
                row: last,
                col: pc.count,
            },
            v.severity,
            message,
            b"derived-residual",
        );
    }

    /// The suppressed counts of a partition add up to `D − Σ visible`.
    fn hidden_sum(&self, pc: PairCol, part: &Part, den: (Int, Int), emit: &mut Emit<'_>) {
        let (t, narrow) = (self.t, self.narrow);
        let lo: Int = part.hidden.iter().map(|h| h.1).sum();
        let hi: Option<Int> = part.hidden.iter().map(|h| h.2).sum();
        let Some(v) = judge(
            Self::implied(part, den),
            (lo, hi),
            t,
            narrow,
            self.cx.rules.thresholds.zero_is_unsafe,
        ) else {
            return;
        };
        let first = part.hidden[0].0;
        if part.hidden.len() == 1
            && emit.has(CellPos {
                row: first,
                col: pc.pct,
            })
        {
            return; // its own percentage already gave it back
        }
        let (subject, verb, code) = if part.hidden.len() == 1 {
            ("the suppressed count", "is", v.code)
        } else {
            (
                "the suppressed counts of this section",
                "add up to",
                if v.code == "B1" { "B2" } else { v.code },
            )
        };
        let message = format!(
            "{subject} in {} {verb} {} [{code}]: the column's total can be calculated back from the percentages, and with the column's other cells it gives the suppressed cells back",
            self.table.column_label(pc.count),
            how(v.code, t, narrow),
        );
        emit.push(
            self.table,
            CellPos {
                row: first,
                col: pc.count,
            },
            v.severity,
            message,
            b"derived-sum",
        );
    }
}

/// What a verdict code says about the recovered count, without the count.
fn how(code: &str, t: Int, narrow: Int) -> String {
    match code {
        "B1" | "B2" => format!("a count below {t} that can be calculated back exactly"),
        "B3" => format!("a count narrowed to at most {narrow} possible values, all below {t}"),
        _ => format!("a count narrowed to values all below {t}"),
    }
}

#[cfg(test)]
mod tests;
