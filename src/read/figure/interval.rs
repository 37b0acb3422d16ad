//! Interval bars: straight horizontal or vertical strokes, and whether a series' markers each
//! sit inside one of their own (a point estimate on its confidence interval, as a forest plot
//! or an error-bar plot draws it). See `docs/figures.md` §1.

use std::collections::HashMap;

/// Interval bars kept per figure; strokes past it are not kept (a figure with more strokes
/// than this is judged by its markers alone, which fails closed).
const MAX_BARS: usize = 200_000;

/// How far, in hundredths of a unit, a marker's centre may lie off the line of its bar.
const OFF_LINE: i64 = 100;

/// Share of a series' strokes that must cap interval bars for the series to be caps.
pub(super) const SHARE: f64 = 0.9;

/// One straight stroke along an axis, in hundredths of a unit: the coordinate it keeps
/// (`at`) and the span of the other one.
#[derive(Debug, Clone, Copy)]
struct Bar {
    at: i64,
    lo: i64,
    hi: i64,
    /// An interval whose ends meet (drawn as a stroke of no length).
    point: bool,
}

/// The straight strokes of a figure, horizontal and vertical, indexed by the coordinate they
/// keep (to the whole unit) so that a marker's candidates are found in constant time.
#[derive(Debug, Default)]
pub struct Bars {
    across: HashMap<i64, Vec<Bar>>,
    down: HashMap<i64, Vec<Bar>>,
    count: usize,
}

impl Bars {
    /// Add a stroke from `a` to `b` (quantised coordinates) if it runs along an axis.
    pub fn add(&mut self, a: (i64, i64), b: (i64, i64)) {
        if self.count >= MAX_BARS {
            return;
        }
        // A stroke of no length is an interval whose ends meet (Stata's `rcap` of a reference
        // category, estimate 1 with no interval): it holds the marker drawn at its point.
        let (map, bar) = if a == b {
            let mut point = bar(a.1, a.0 - OFF_LINE, a.0 + OFF_LINE);
            point.point = true;
            (&mut self.across, point)
        } else if a.1 == b.1 {
            (&mut self.across, bar(a.1, a.0, b.0))
        } else if a.0 == b.0 {
            (&mut self.down, bar(a.0, a.1, b.1))
        } else {
            return;
        };
        map.entry(bar.at.div_euclid(100)).or_default().push(bar);
        self.count += 1;
    }

    /// Whether a stroke centred at `c` caps a bar: it lies at one of the bar's ends, and the
    /// bar runs across it (a stroke that runs `across` caps a vertical bar).
    pub fn capped_at(&self, c: (i64, i64), across: bool) -> bool {
        let (map, at, along) = if across {
            (&self.down, c.0, c.1)
        } else {
            (&self.across, c.1, c.0)
        };
        let bucket = at.div_euclid(100);
        (bucket - 1..=bucket + 1).any(|b| {
            map.get(&b).into_iter().flatten().any(|bar| {
                !bar.point
                    && (bar.at - at).abs() <= OFF_LINE
                    && ((bar.lo - along).abs() <= OFF_LINE || (bar.hi - along).abs() <= OFF_LINE)
            })
        })
    }

    /// Whether nearly every distinct position (all but one in ten, at least two of them)
    /// sits strictly inside a bar through it that holds no other of the positions: each
    /// marker its own interval.
    pub fn hold_each(&self, positions: &[(i64, i64)]) -> bool {
        let mut distinct: Vec<(i64, i64)> = positions.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.is_empty() || self.count == 0 {
            return false;
        }
        // For each bar (by map, bucket and index), the markers inside it.
        let mut held: HashMap<(bool, i64, usize), Vec<usize>> = HashMap::new();
        for (k, &(x, y)) in distinct.iter().enumerate() {
            for (across, map, at, along) in [(true, &self.across, y, x), (false, &self.down, x, y)]
            {
                let bucket = at.div_euclid(100);
                for b in bucket - 1..=bucket + 1 {
                    for (i, bar) in map.get(&b).into_iter().flatten().enumerate() {
                        if (bar.at - at).abs() <= OFF_LINE && bar.lo < along && along < bar.hi {
                            held.entry((across, b, i)).or_default().push(k);
                        }
                    }
                }
            }
        }
        let mut own = vec![false; distinct.len()];
        for markers in held.values() {
            if let [only] = markers.as_slice() {
                own[*only] = true;
            }
        }
        let on = own.iter().filter(|o| **o).count();
        // One marker in ten may lack an interval (at least one: a reference category drawn
        // without one, an interval hidden inside its marker).
        let off = distinct.len() - on;
        on >= 2 && off <= (distinct.len() / 10).max(1)
    }
}

/// Closed markers of a figure, by position to the whole unit, to tell a short stroke that is
/// a marker's interval.
#[derive(Debug, Default)]
pub struct Held {
    cells: HashMap<(i64, i64), Vec<(i64, i64)>>,
}

impl Held {
    pub fn new(markers: &[(i64, i64)]) -> Held {
        let mut cells: HashMap<(i64, i64), Vec<(i64, i64)>> = HashMap::new();
        for &p in markers.iter().take(MAX_BARS) {
            cells
                .entry((p.0.div_euclid(100), p.1.div_euclid(100)))
                .or_default()
                .push(p);
        }
        Held { cells }
    }

    /// Whether a closed marker lies strictly inside the stroke from `a` to `b` (along an axis,
    /// within [`OFF_LINE`] of it): the stroke is that marker's interval. A stroke spanning
    /// more than 4,096 cells of a unit is not looked along (marker strokes are short).
    pub fn inside(&self, a: (i64, i64), b: (i64, i64)) -> bool {
        let (lo, hi) = ((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1)));
        let across = a.1 == b.1;
        if !(across || a.0 == b.0) || a == b {
            return false;
        }
        // The cells along the stroke (a marker stroke is short; a long one is capped).
        let (x0, x1) = (lo.0.div_euclid(100) - 1, hi.0.div_euclid(100) + 1);
        let (y0, y1) = (lo.1.div_euclid(100) - 1, hi.1.div_euclid(100) + 1);
        if (x1 - x0) * (y1 - y0) > 4096 {
            return false;
        }
        (x0..=x1).any(|x| {
            (y0..=y1).any(|y| {
                self.cells.get(&(x, y)).into_iter().flatten().any(|p| {
                    if across {
                        (p.1 - a.1).abs() <= OFF_LINE && lo.0 < p.0 && p.0 < hi.0
                    } else {
                        (p.0 - a.0).abs() <= OFF_LINE && lo.1 < p.1 && p.1 < hi.1
                    }
                })
            })
        })
    }
}

fn bar(at: i64, a: i64, b: i64) -> Bar {
    Bar {
        at,
        lo: a.min(b),
        hi: a.max(b),
        point: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_on_their_own_intervals_and_points_on_gridlines() {
        // A forest plot: nine estimates, each on its own horizontal interval.
        let mut bars = Bars::default();
        let estimates: Vec<(i64, i64)> = (0..9).map(|i| (5000 + 300 * (i % 4), 1000 * i)).collect();
        for &(x, y) in &estimates {
            bars.add((x - 800, y), (x + 1200, y));
        }
        assert!(bars.hold_each(&estimates));
        // Vertical error bars hold their markers too.
        let mut bars = Bars::default();
        for &(x, y) in &estimates {
            bars.add((y, x - 500), (y, x + 500));
        }
        let flipped: Vec<(i64, i64)> = estimates.iter().map(|&(x, y)| (y, x)).collect();
        assert!(bars.hold_each(&flipped));
        // A scatter whose points fall on a few gridlines: each gridline holds many points, so
        // no point has an interval of its own.
        let mut bars = Bars::default();
        for y in [0, 1000, 2000] {
            bars.add((0, y), (100_000, y));
        }
        let scatter: Vec<(i64, i64)> = (0..60).map(|i| (1500 * i + 7, 1000 * (i % 3))).collect();
        assert!(!bars.hold_each(&scatter));
        // An interval whose ends meet (a reference category) holds the marker at its point.
        let mut bars = Bars::default();
        bars.add((5018, 300), (5018, 300));
        bars.add((5018, 900), (5018, 900));
        assert!(bars.hold_each(&[(5000, 300), (5000, 900)]));
        assert!(!bars.hold_each(&[(5400, 300), (5400, 900)]));
        // One marker on a bar is too little evidence of a forest plot.
        assert!(!bars.hold_each(&[(5000, 300)]));
        // Markers at the end of a stroke (a line's vertices) are not inside it.
        let mut bars = Bars::default();
        bars.add((0, 0), (1000, 0));
        assert!(!bars.hold_each(&[(0, 0)]));
        assert!(!Bars::default().hold_each(&estimates));
        // A short horizontal stroke through a closed marker is its interval; one beside it is
        // not.
        let held = Held::new(&[(1000, 500)]);
        assert!(held.inside((700, 500), (1400, 500)));
        assert!(!held.inside((1100, 500), (1400, 500)));
        assert!(!held.inside((700, 800), (1400, 800)));
        // The caps of a vertical interval from 1000 to 3000: strokes across its ends.
        let mut bars = Bars::default();
        bars.add((500, 1000), (500, 3000));
        assert!(bars.capped_at((500, 1000), true));
        assert!(bars.capped_at((500, 3000), true));
        assert!(!bars.capped_at((500, 2000), true));
        assert!(!bars.capped_at((500, 1000), false));
    }
}
