//! Tick labels of a figure's axes: numbers that stand beside an axis to give its scale, not
//! data. A run of three or more numbers alone on one line (a horizontal axis) or alone in one
//! column (a vertical axis) is an axis when
//!
//! - the values grow along the axis: left to right, or bottom to top;
//! - their positions are an affine function of the values (a linear axis) or of their
//!   logarithms (a log axis), within a small fraction of the span;
//! - the values are round: multiples of one step of 1, 2, 2.5 or 5 times a power of ten on a
//!   linear axis; on a log axis each of 1, 2, 2.5 or 5 times a power of ten, or each the one
//!   before times one ratio (`.5, 1, 2, 4`).
//!
//! Panels side by side put several axes on one line: the line is split where the values start
//! again, and every part must be an axis.
//!
//! A number beside a word on its line or in its column is never a tick: an at-risk row
//! (`Vaccinated 84 48 31 14 7 4`) has its group's name, and its counts fall over time. See
//! `docs/figures.md`.

use std::collections::HashSet;

use super::Item;

/// Fewest labels that make an axis.
const MIN_TICKS: usize = 3;

/// Items closer than this (in user units) across the axis stand on one line or column.
const ALIGN: f64 = 3.0;

/// Largest misfit of a tick's position, as a fraction of the axis span.
const FIT: f64 = 0.01;

/// Indices into `items` of the tick labels of the figure's axes.
pub(super) fn tick_labels(items: &[Item], tolerance: f64) -> HashSet<usize> {
    let mut out = HashSet::new();
    // Horizontal axes: a line of numbers, growing to the right.
    for group in aligned(items, |i| i.y, tolerance) {
        if let Some(ticks) = axis(items, &group, |i| i.x) {
            out.extend(ticks);
        }
    }
    // Vertical axes: a column of numbers, growing upwards (`y` grows downwards).
    for group in aligned(items, |i| i.x, ALIGN) {
        if let Some(ticks) = axis(items, &group, |i| -i.y) {
            out.extend(ticks);
        }
    }
    out
}

/// The items that share a coordinate (within `within`), as groups of indices.
fn aligned(items: &[Item], at: impl Fn(&Item) -> f64, within: f64) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..items.len())
        .filter(|&k| !items[k].text.trim().is_empty())
        .collect();
    order.sort_by(|&a, &b| at(&items[a]).total_cmp(&at(&items[b])));
    let mut groups: Vec<(f64, Vec<usize>)> = Vec::new();
    for k in order {
        let v = at(&items[k]);
        match groups.last_mut() {
            Some((first, g)) if v - *first <= within => g.push(k),
            _ => groups.push((v, vec![k])),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// The group's items if they are the tick labels of axes along `pos`: one axis, or several
/// side by side (the panels of a figure, each axis starting again from its smallest value).
fn axis(items: &[Item], group: &[usize], pos: impl Fn(&Item) -> f64) -> Option<Vec<usize>> {
    if group.len() == 2 && decimal_pair(items, group, &pos) {
        return Some(group.to_vec());
    }
    if group.len() < MIN_TICKS {
        return None;
    }
    let mut ticks: Vec<(f64, f64, usize)> = Vec::with_capacity(group.len());
    for &k in group {
        let value = number(&items[k].text)?;
        ticks.push((pos(&items[k]), value, k));
    }
    ticks.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut start = 0;
    for end in 1..=ticks.len() {
        if end == ticks.len()
            || ticks[end].1 <= ticks[end - 1].1
            || ticks[end].0 <= ticks[end - 1].0
        {
            if !one_axis(&ticks[start..end]) {
                return None;
            }
            start = end;
        }
    }
    Some(ticks.iter().map(|t| t.2).collect())
}

/// Whether two labels alone on their line (or in their column) are the ends of a short axis:
/// written with the same number of decimals, one of them not whole (`1.0  1.5`, `0.50  0.75`),
/// growing along the axis by one round step. Two positions always fit a line, so the decimals
/// are the evidence: a figure writes counts as `1`, never as `1.0` beside a `1.5`.
fn decimal_pair(items: &[Item], group: &[usize], pos: &impl Fn(&Item) -> f64) -> bool {
    let mut pair: Vec<(f64, f64, usize)> = Vec::with_capacity(2);
    for &k in group {
        let text = items[k].text.trim();
        let Some(value) = number(text) else {
            return false;
        };
        let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
        pair.push((pos(&items[k]), value, decimals));
    }
    pair.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (a, b) = (pair[0], pair[1]);
    a.2 > 0
        && a.2 == b.2
        && (a.1.fract() != 0.0 || b.1.fract() != 0.0)
        && b.0 > a.0
        && round_steps(&[a.1, b.1])
}

/// Whether `(position, value)` pairs, growing in both, are the ticks of one linear or log axis.
fn one_axis(ticks: &[(f64, f64, usize)]) -> bool {
    if ticks.len() < MIN_TICKS {
        return false;
    }
    let positions: Vec<f64> = ticks.iter().map(|t| t.0).collect();
    let values: Vec<f64> = ticks.iter().map(|t| t.1).collect();
    if round_steps(&values) && affine(&values, &positions) {
        return true;
    }
    let logs: Vec<f64> = values.iter().map(|v| v.ln()).collect();
    values.iter().all(|&v| v > 0.0)
        && (values.iter().all(|&v| nice(v)) || geometric(&values))
        && affine(&logs, &positions)
}

/// Whether each value is the one before times one ratio (`.5, 1, 2, 4`).
fn geometric(values: &[f64]) -> bool {
    let ratio = values[1] / values[0];
    ratio > 1.0
        && values
            .windows(2)
            .all(|w| ((w[1] / w[0]) - ratio).abs() < 1e-6 * ratio)
}

/// A plain number as a tick label shows it: `10`, `-5`, `.25`, `0.5`, `1,000`.
fn number(text: &str) -> Option<f64> {
    let t = text.trim().replace(',', "").replace('\u{2212}', "-");
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Whether `v` is 1, 2, 2.5 or 5 times a power of ten.
fn nice(v: f64) -> bool {
    let m = v / 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .any(|n| (m - n).abs() < 1e-6 * n)
}

/// Whether the values step by one round step (`0, 5, 10, 15`; `0, 0.25, 0.5`), each a multiple
/// of it.
fn round_steps(values: &[f64]) -> bool {
    let step = values[1] - values[0];
    if step <= 0.0 || !nice(step) {
        return false;
    }
    values.iter().all(|v| {
        let k = v / step;
        (k - k.round()).abs() < 1e-6
    }) && values
        .windows(2)
        .all(|w| ((w[1] - w[0]) - step).abs() < 1e-6 * step.max(1.0))
}

/// Whether `positions` are an affine function of `values`, within [`FIT`] of their span.
fn affine(values: &[f64], positions: &[f64]) -> bool {
    let n = values.len() as f64;
    let (mv, mp) = (
        values.iter().sum::<f64>() / n,
        positions.iter().sum::<f64>() / n,
    );
    let (mut svv, mut svp) = (0.0, 0.0);
    for (v, p) in values.iter().zip(positions) {
        svv += (v - mv) * (v - mv);
        svp += (v - mv) * (p - mp);
    }
    if svv <= 0.0 {
        return false;
    }
    let slope = svp / svv;
    let span = positions.last().copied().unwrap_or(0.0) - positions[0];
    if slope <= 0.0 || span <= 0.0 {
        return false;
    }
    values
        .iter()
        .zip(positions)
        .all(|(v, p)| (mp + slope * (v - mv) - p).abs() <= FIT * span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f64, y: f64, text: &str) -> Item {
        Item {
            x,
            y,
            text: text.to_string(),
        }
    }

    #[test]
    fn linear_and_log_axes_are_ticks() {
        // A log axis of odds ratios along the bottom, a count axis up the side.
        let mut items: Vec<Item> = [(".25", 837.0), (".5", 1223.64), ("1", 1610.46)]
            .iter()
            .chain(&[("2", 1997.1), ("5", 2508.3), ("10", 2895.12)])
            .map(|(t, x)| at(*x, 5050.0, t))
            .collect();
        for (k, t) in ["0", "5", "10", "15"].iter().enumerate() {
            items.push(at(40.0, 900.0 - 200.0 * k as f64, t));
        }
        let ticks = tick_labels(&items, 2.0);
        assert_eq!(ticks.len(), 10);
        // Two panels, each with a log axis in powers of two, on one line.
        let panels: Vec<Item> = [".5", "1", "2", "4"]
            .iter()
            .enumerate()
            .flat_map(|(k, t)| {
                let x = 849.0 + 146.0 * k as f64;
                [at(x, 5058.0, t), at(x + 1893.0, 5058.0, t)]
            })
            .collect();
        assert_eq!(tick_labels(&panels, 2.0).len(), 8);
    }

    #[test]
    fn two_labels_with_decimals_are_a_short_axis() {
        let pair = |a: &str, b: &str| vec![at(300.0, 900.0, a), at(420.0, 900.0, b)];
        assert_eq!(tick_labels(&pair("1.0", "1.5"), 2.0).len(), 2);
        assert_eq!(tick_labels(&pair("0.50", "0.75"), 2.0).len(), 2);
        // Two counts, or whole values only, or values falling along the axis: no evidence.
        assert!(tick_labels(&pair("3", "4"), 2.0).is_empty());
        assert!(tick_labels(&pair("1.0", "2.0"), 2.0).is_empty());
        assert!(tick_labels(&pair("1.5", "1.0"), 2.0).is_empty());
        // Unequal decimals or an unround step are not one axis.
        assert!(tick_labels(&pair("1.0", "1.55"), 2.0).is_empty());
        assert!(tick_labels(&pair("1.0", "1.7"), 2.0).is_empty());
    }

    #[test]
    fn rows_of_counts_are_not_ticks() {
        // An at-risk row: its counts fall over time; with its label it is a row of a table.
        let falling: Vec<Item> = ["84", "48", "31", "14", "7", "4"]
            .iter()
            .enumerate()
            .map(|(k, t)| at(100.0 + 50.0 * k as f64, 700.0, t))
            .collect();
        assert!(tick_labels(&falling, 2.0).is_empty());
        let mut labelled: Vec<Item> = ["1", "2", "3", "4"]
            .iter()
            .enumerate()
            .map(|(k, t)| at(100.0 + 50.0 * k as f64, 700.0, t))
            .collect();
        labelled.push(at(10.0, 700.0, "Events"));
        assert!(tick_labels(&labelled, 2.0).is_empty());
        // Uneven counts at even positions are no axis.
        let uneven: Vec<Item> = ["3", "9", "12", "40"]
            .iter()
            .enumerate()
            .map(|(k, t)| at(100.0 + 50.0 * k as f64, 700.0, t))
            .collect();
        assert!(tick_labels(&uneven, 2.0).is_empty());
    }
}
