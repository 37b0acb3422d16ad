//! Which columns of a table hold percentages, proportions or rates, and the count column each
//! is paired with: `n (%)` cells, percent columns beside their counts, means of a 0/1 indicator
//! beside an n column, rates per 1,000 beside event counts.

use crate::audit::percent::ratio_implied_count;
use crate::audit::Shown as Ratio;
use crate::model::{Column, Kind, Table, Value};
use crate::rules::words::Words;
use crate::table::classify::Lexicon;
use crate::table::structure::{CellPos, Structure};

use super::{cell_value, exact_at};

/// Counts and shares of an `n (%)` column or a percent column paired with a count column.
pub(super) struct Pair {
    /// Percent cells' column.
    pub(super) pct_col: u32,
    /// The count column beside it (same column for `n (%)` cells).
    pub(super) count_col: Option<u32>,
    /// 100 for percentages, 1 for proportions, the rate's scale for rates.
    pub(super) scale: i128,
    pub(super) rate: bool,
}

/// The pairs of a table, in column order.
pub(super) fn find_pairs(
    table: &Table,
    s: &Structure,
    lexicon: &Lexicon,
    words: &Words,
) -> Vec<Pair> {
    let mut out = Vec::new();
    // Columns of percentages by their header or kind, in column order (`count_column` counts
    // those right of a column by bisection).
    let pct_cols: Vec<u32> = (table.columns.iter())
        .filter(|x| x.name.contains('%') || x.kind == Kind::Percent)
        .map(|x| x.col)
        .collect();
    for c in &table.columns {
        if let Some(p) = count_share_pair(table, c) {
            out.push(p);
            continue;
        }
        let kind = if percent_like(c, lexicon) {
            Kind::Percent
        } else {
            c.kind
        };
        let pair = match kind {
            Kind::Percent => Some(percent_pair(table, s, c, words, &pct_cols)),
            // `Mean of indicator` and the like beside an n column: a proportion of that n.
            Kind::Estimate | Kind::Unknown
                if words.is_indicator_mean(&c.name)
                    && c.col > 1
                    && share_of_n(table, c.col - 1, c.col, true, words) =>
            {
                Some(Pair {
                    pct_col: c.col,
                    count_col: None,
                    scale: 1,
                    rate: false,
                })
            }
            Kind::Rate => rate_pair(table, s, c, words),
            _ => None,
        };
        out.extend(pair);
    }
    out
}

/// An `n (%)` column: count and share in each cell.
fn count_share_pair(table: &Table, c: &Column) -> Option<Pair> {
    let shares = table
        .rows
        .iter()
        .filter(|r| {
            matches!(
                r.cell(c.col).map(|x| &x.value),
                Some(Value::CountShare { .. })
            )
        })
        .count();
    (shares > 0).then_some(Pair {
        pct_col: c.col,
        count_col: Some(c.col),
        scale: 100,
        rate: false,
    })
}

/// A `%` in the header marks percentages unless its words name an estimate (`95% CI`).
fn percent_like(c: &Column, lexicon: &Lexicon) -> bool {
    c.kind == Kind::Percent
        || (c.name.contains('%')
            && matches!(c.kind, Kind::Estimate | Kind::Unknown | Kind::Count)
            && matches!(
                lexicon.header_kind(&c.name),
                None | Some(Kind::Percent) | Some(Kind::Count) | Some(Kind::Label)
            ))
}

/// A column of percentages (or proportions, values in `[0, 1]` without a `%`) and its count
/// column.
fn percent_pair(table: &Table, s: &Structure, c: &Column, words: &Words, pct_cols: &[u32]) -> Pair {
    let values: Vec<f64> = table
        .rows
        .iter()
        .filter_map(|r| match r.cell(c.col).map(|x| &x.value) {
            Some(Value::Number(n)) => Some(n.value),
            _ => None,
        })
        .collect();
    let any_pct_sign = table
        .rows
        .iter()
        .any(|r| matches!(r.cell(c.col).map(|x| &x.value), Some(Value::Number(n)) if n.percent));
    let proportion = !any_pct_sign
        && !c.name.contains('%')
        && !values.is_empty()
        && values.iter().all(|v| (0.0..=1.0).contains(v));
    let mut count_col = count_column(table, s, c, words, pct_cols);
    // A proportion right after an n column is a share *of* that n (the mean of a 0/1
    // indicator) when the values say so; the n column then serves as denominator.
    if proportion && count_col.is_some_and(|k| share_of_n(table, k, c.col, false, words)) {
        count_col = None;
    }
    Pair {
        pct_col: c.col,
        count_col,
        scale: if proportion { 1 } else { 100 },
        rate: false,
    }
}

/// The count column of a percent column: its twin (a group name printed over its count and %
/// columns), else the nearest count column to the left, unless that is an `N` column followed
/// by several percentage columns (their denominator, not a numerator).
///
/// `pct_cols` are the percentage columns of the table in column order; the count columns of
/// the structure are in column order too, so each look-up is a bisection.
fn count_column(
    table: &Table,
    s: &Structure,
    c: &Column,
    words: &Words,
    pct_cols: &[u32],
) -> Option<u32> {
    let left = s.count_cols.partition_point(|&k| k < c.col);
    let nearest = s.count_cols[..left]
        .iter()
        .rev()
        .copied()
        .find(|k| !s.total_cols.contains(k))
        .filter(|&k| {
            let name = table.column(k).map(|x| x.name.as_str()).unwrap_or("");
            let pct_after = pct_cols.len() - pct_cols.partition_point(|&x| x <= k);
            !(words.is_n_column(name) && pct_after >= 2)
        });
    let twin = table
        .column(c.col.wrapping_sub(1))
        .filter(|x| x.name.trim() == c.name.trim() && !x.name.trim().is_empty())
        .map(|x| x.col)
        .filter(|k| s.count_cols.binary_search(k).is_ok());
    if twin.is_some() {
        return twin;
    }
    // The nearest count column is the pair only if its published pairs fit one denominator
    // or say nothing. When they do not fit, or fewer than two are published, the nearest
    // column to the left (a total column included) whose pairs fit one denominator is the
    // pair: `Men;Women;Total;Share (%)` gives each row's share of the grand total.
    let fit = |k: u32| fits_one_denominator(table, k, c.col);
    match nearest {
        Some(k) if fit(k) == Some(true) => Some(k),
        _ => s.count_cols[..left]
            .iter()
            .rev()
            .copied()
            .find(|&k| fit(k) == Some(true))
            .or(nearest),
    }
}

/// Whether the published (count, percentage) pairs of a count and a percent column fit one
/// denominator: `Some(true)` for two or more that do, `Some(false)` for pairs that do not,
/// `None` for fewer than two.
fn fits_one_denominator(table: &Table, count_col: u32, pct_col: u32) -> Option<bool> {
    let mut pairs: Vec<(i128, Ratio)> = Vec::new();
    for r in 0..table.rows.len() {
        let n = exact_at(
            table,
            CellPos {
                row: r,
                col: count_col,
            },
        );
        let v = match cell_value(
            table,
            CellPos {
                row: r,
                col: pct_col,
            },
        ) {
            Some(Value::Number(x)) if x.value > 0.0 => Ratio::from_f64(x.value, x.decimals),
            _ => None,
        };
        if let (Some(n), Some(v)) = (n, v) {
            if n > 0 {
                pairs.push((n, v));
            }
        }
    }
    if pairs.len() < 2 {
        return None;
    }
    let largest = pairs.iter().map(|p| p.0).max().unwrap_or(0);
    Some(crate::audit::percent::denominator_from_shares(&pairs, 100, largest).is_some())
}

/// A rate column with a scale in its header, and the first count column left of it that is no
/// person-time.
fn rate_pair(table: &Table, s: &Structure, c: &Column, words: &Words) -> Option<Pair> {
    let scale = rate_scale(&c.name)?;
    let count_col = s
        .count_cols
        .iter()
        .copied()
        .filter(|&k| k < c.col)
        .find(|&k| {
            table
                .column(k)
                .is_some_and(|x| !words.is_person_time(&x.name))
        });
    Some(Pair {
        pct_col: c.col,
        count_col,
        scale,
        rate: true,
    })
}

/// The scale of a rate column from its header: `per 1,000`, `per 100 000`, `/1000`, `pr. 1000`.
fn rate_scale(header: &str) -> Option<i128> {
    let low = header.to_lowercase();
    let at = ["per ", "pr. ", "pr ", "/"]
        .iter()
        .filter_map(|k| low.find(k).map(|i| i + k.len()))
        .min()?;
    let digits: String = low[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ' ' | ',' | '.' | '\u{a0}'))
        .filter(char::is_ascii_digit)
        .collect();
    let v: i128 = digits.parse().ok()?;
    matches!(v, 100 | 1_000 | 10_000 | 100_000 | 1_000_000).then_some(v)
}

/// Whether the ratios in column `ratio_col` (values in `[0, 1]`) are shares *of* the n in column
/// `n_col` just left of them, not shares of some total with that n as numerator: every row's
/// `p·n` must round to a whole count, and either the header already says so (`mean of
/// indicator`), or no common total fits the pairs as numerator and share (`n/D ≈ p` for one D).
/// `12, 0.024` and `488, 0.976` are shares of 500 (numerators); `120, 0.025` and `80, 0.050`
/// are 3 of 120 and 4 of 80.
fn share_of_n(table: &Table, n_col: u32, ratio_col: u32, declared: bool, words: &Words) -> bool {
    if n_col + 1 != ratio_col
        || !table
            .column(n_col)
            .is_some_and(|c| words.is_n_column(&c.name))
    {
        return false;
    }
    let mut pairs: Vec<(i128, Ratio)> = Vec::new();
    for r in 0..table.rows.len() {
        let n = exact_at(table, CellPos { row: r, col: n_col });
        let v = match cell_value(
            table,
            CellPos {
                row: r,
                col: ratio_col,
            },
        ) {
            Some(Value::Number(x)) if !x.percent => Some(*x),
            Some(Value::Estimate { value }) if !value.percent => Some(*value),
            _ => None,
        };
        let (Some(n), Some(v)) = (n, v) else {
            continue;
        };
        if !(0.0..=1.0).contains(&v.value) || n <= 0 {
            return false;
        }
        let Some(ratio) = Ratio::from_f64(v.value, v.decimals) else {
            return false;
        };
        if ratio_implied_count(ratio, 1, n).is_none() {
            return false; // p·n is no whole count: n is not the denominator
        }
        pairs.push((n, ratio));
    }
    if pairs.is_empty() {
        return false;
    }
    if declared {
        return true;
    }
    let largest = pairs.iter().map(|p| p.0).max().unwrap_or(0);
    pairs.len() >= 2 && crate::audit::percent::denominator_from_shares(&pairs, 1, largest).is_none()
}
