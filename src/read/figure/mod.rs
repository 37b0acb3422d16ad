//! What the vector figure readers (SVG, PDF) share: marks counted into [`Series`], and text
//! drawn at positions laid out into lines ([`Text`]) and, where the lines line up in columns,
//! rows for the table builder, so that an at-risk table or a flowchart box drawn as text goes
//! through the text and table rules like a printed table (see `docs/figures.md`).

mod axis;
mod interval;
pub mod odf_chart;

use std::collections::{HashMap, HashSet};

use crate::model::{Mark, Series, Table, Text, TextKind};
use crate::read::Readers;
use crate::table::grid::{Builder, GridRow};

/// Positions kept per series to count distinct ones; marks past it are counted, not placed.
const MAX_POSITIONS: usize = 200_000;

/// Largest width and height, in user units (SVG pixels, PDF points), of a shape drawn as one
/// marker.
pub const MARKER_SIZE: f64 = 15.0;

/// What kind of mark a drawn shape is, before its series is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// A marker that stands for one datum (a circle, a small closed path, a `use` of a symbol).
    Marker,
    /// A short vertical stroke: a censor tick on a survival curve, or an axis tick.
    Tick,
    /// A vertex of a line or curve.
    Vertex,
    /// A bar or area.
    Bar,
}

/// The two ends of a straight stroke, quantised.
type Ends = ((i64, i64), (i64, i64));

#[derive(Debug)]
struct Group {
    name: String,
    shape: Shape,
    marks: u64,
    positions: Vec<(i64, i64)>,
    /// For each position, when the mark is one straight stroke: its ends (the cap of an
    /// interval bar, or a short interval itself, is such a stroke).
    strokes: Vec<Option<Ends>>,
}

/// Marks of a figure, grouped into series by a key the reader chooses (parent group, class,
/// fill, referenced symbol).
#[derive(Debug, Default)]
pub struct Marks {
    order: Vec<Group>,
    index: HashMap<String, usize>,
    /// Straight strokes along an axis, the interval bars a marker may sit on.
    bars: interval::Bars,
}

/// A coordinate rounded to a hundredth of a unit, so that equal positions compare equal.
fn q(v: f64) -> i64 {
    if v.is_finite() {
        (v * 100.0).round().clamp(-9.0e15, 9.0e15) as i64
    } else {
        0
    }
}

impl Marks {
    /// Add one mark at `(x, y)` to the series `key` (named `name` when first seen).
    pub fn add(&mut self, key: &str, name: &str, shape: Shape, x: f64, y: f64) {
        self.add_mark(key, name, shape, (x, y), None);
    }

    /// Add a mark drawn as one straight stroke from `a` to `b` (a dash marker, a tick, the cap
    /// of an interval), placed at `at`; the stroke is an interval bar too.
    pub fn add_stroke(
        &mut self,
        key: &str,
        name: &str,
        shape: Shape,
        at: (f64, f64),
        (a, b): ((f64, f64), (f64, f64)),
    ) {
        self.stroke(a, b);
        let ends = ((q(a.0), q(a.1)), (q(b.0), q(b.1)));
        self.add_mark(key, name, shape, at, Some(ends));
    }

    fn add_mark(
        &mut self,
        key: &str,
        name: &str,
        shape: Shape,
        (x, y): (f64, f64),
        stroke: Option<Ends>,
    ) {
        let full = format!("{shape:?}|{key}");
        let i = match self.index.get(&full) {
            Some(i) => *i,
            None => {
                self.order.push(Group {
                    name: name.to_string(),
                    shape,
                    marks: 0,
                    positions: Vec::new(),
                    strokes: Vec::new(),
                });
                self.index.insert(full, self.order.len() - 1);
                self.order.len() - 1
            }
        };
        if let Some(g) = self.order.get_mut(i) {
            g.marks += 1;
            if g.positions.len() < MAX_POSITIONS {
                g.positions.push((q(x), q(y)));
                g.strokes.push(stroke);
            }
        }
    }

    /// Add a straight stroke from `a` to `b`: an interval bar if it runs along an axis.
    pub fn stroke(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.bars.add((q(a.0), q(a.1)), (q(b.0), q(b.1)));
    }

    /// The number of marks added so far.
    pub fn total(&self) -> u64 {
        self.order.iter().map(|g| g.marks).sum()
    }

    /// The series, in the order first seen. A series is regular when its marks lie on a
    /// regular grid across (a line of monthly points) or down (a forest or dot plot: an
    /// estimate per row, a few rows side by side in panels). Ticks on a regular grid are axis
    /// ticks or the caps of confidence intervals, and ticks stacked up one vertical (the
    /// dashes of a reference line) are a line (`Other`); ticks at scattered positions are
    /// censor marks, one per individual (`Point`).
    pub fn series(&self) -> Vec<Series> {
        // Closed markers of every series, which a stroke holding one is the interval of.
        let markers: Vec<(i64, i64)> = self
            .order
            .iter()
            .filter(|g| g.shape == Shape::Marker)
            .flat_map(|g| g.positions.iter().zip(&g.strokes))
            .filter(|(_, s)| s.is_none())
            .map(|(p, _)| *p)
            .collect();
        let held = interval::Held::new(&markers);
        self.order.iter().map(|g| self.judge(g, &held)).collect()
    }

    /// One group judged as a series. Marker strokes that cap an interval bar (at one of its
    /// ends, across it) or are the interval of a closed marker (one lies inside them) are left
    /// out of it first; a group of nothing else is an interval's caps
    /// (`Other`). Markers that each sit on an interval bar of their own are estimates
    /// (`on_intervals`).
    fn judge(&self, g: &Group, held: &interval::Held) -> Series {
        let caps: Vec<bool> = g
            .strokes
            .iter()
            .map(|s| {
                // Vertical caps are ticks, judged with the other ticks as before (on a regular
                // grid they are an axis's ticks or caps).
                g.shape == Shape::Marker
                    && s.is_some_and(|(a, b)| {
                        let c = ((a.0 + b.0) / 2, (a.1 + b.1) / 2);
                        self.bars.capped_at(c, a.1 == b.1) || held.inside(a, b)
                    })
            })
            .collect();
        let capped = caps.iter().filter(|c| **c).count();
        let all_caps = capped > 0 && capped as f64 >= interval::SHARE * caps.len() as f64;
        let kept: Vec<(i64, i64)> = g
            .positions
            .iter()
            .zip(&caps)
            .filter(|(_, cap)| !**cap)
            .map(|(p, _)| *p)
            .collect();
        let distinct = kept.iter().collect::<HashSet<_>>().len() as u64;
        let judged = match g.shape {
            Shape::Tick => without_dashes(&kept),
            _ => kept.clone(),
        };
        let down: Vec<(i64, i64)> = judged.iter().map(|&(x, y)| (y, x)).collect();
        let regular = (g.shape == Shape::Tick && judged.is_empty())
            || is_regular(&judged, 1)
            || is_regular(&down, ROW_SHARE);
        let mark = match g.shape {
            _ if all_caps => Mark::Other,
            Shape::Marker => Mark::Point,
            Shape::Tick if regular => Mark::Other,
            Shape::Tick => Mark::Point,
            Shape::Vertex => Mark::Line,
            Shape::Bar => Mark::Bar,
        };
        // A marker drawn as a stroke is an interval bar itself: only closed markers are
        // judged to sit on intervals, and strokes left among them count against the series.
        let closed: Vec<(i64, i64)> = g
            .positions
            .iter()
            .zip(&g.strokes)
            .filter(|(_, s)| s.is_none())
            .map(|(p, _)| *p)
            .collect();
        let loose = kept.len() - closed.len();
        let on_intervals = mark == Mark::Point
            && g.shape == Shape::Marker
            && loose <= kept.len() / 10
            && self.bars.hold_each(&closed);
        Series {
            name: g.name.clone(),
            mark,
            points: g.marks - capped as u64,
            distinct,
            regular,
            on_intervals,
        }
    }
}

/// Most marks one row of a forest or dot plot holds: a marker and the two caps of its interval
/// in each of a few panels side by side.
const ROW_SHARE: usize = 8;

/// Fewest ticks on one vertical that make them the dashes of a line.
const DASHES: usize = 4;

/// The tick positions that are not dashes of a vertical line (ticks of one `x` at [`DASHES`]
/// or more heights).
fn without_dashes(positions: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut heights: HashMap<i64, HashSet<i64>> = HashMap::new();
    for &(x, y) in positions {
        heights.entry(x).or_default().insert(y);
    }
    positions
        .iter()
        .copied()
        .filter(|(x, _)| heights.get(x).map_or(0, HashSet::len) < DASHES)
        .collect()
}

/// Whether the first coordinates of the positions lie on a regular grid, at most `share` marks
/// at each grid position (one for a line; a few for the rows of a forest plot in panels):
/// measured from the last position on the grid, each position lies a whole number of steps on
/// (the median gap is the step; a missing month is a double step) give or take an eighth
/// (calendar months on a time axis run 28 to 31 days). A few marks off the grid (a tenth, at
/// least one: highlighted or annotated points) are allowed; the grid must be mostly filled.
fn is_regular(positions: &[(i64, i64)], share: usize) -> bool {
    let mut all: Vec<i64> = positions.iter().map(|p| p.0).collect();
    all.sort_unstable();
    let mut xs: Vec<i64> = Vec::with_capacity(all.len());
    let mut run = 0;
    for (k, &x) in all.iter().enumerate() {
        run = if k > 0 && all[k - 1] == x { run + 1 } else { 1 };
        if run > share {
            return false;
        }
        if run == 1 {
            xs.push(x);
        }
    }
    if xs.len() < 2 {
        return false;
    }
    let mut gaps: Vec<i64> = xs.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_unstable();
    let step = gaps.get(gaps.len() / 2).copied().unwrap_or(0) as f64;
    if step <= 0.0 {
        return false;
    }
    let tolerance = (step * 0.125).max(2.0);
    let mut last = xs[0];
    let mut off = 0;
    for &x in &xs[1..] {
        let gap = (x - last) as f64;
        let k = (gap / step).round();
        if k >= 1.0 && (gap - k * step).abs() <= tolerance {
            last = x;
        } else {
            off += 1;
        }
    }
    let span = (xs[xs.len() - 1] - xs[0]) as f64;
    off <= (xs.len() / 10).max(1) && span / step <= 4.0 * xs.len() as f64
}

/// Count the marks a path draws: tiny subpaths are markers (closed) or ticks (a short vertical
/// stroke) no larger than `marker` (the drawing's marker size, [`MARKER_SIZE`] in a figure of
/// ordinary width); a path through many vertices is a line.
pub fn drawn_path(
    subpaths: &[Subpath],
    key: &str,
    name: &str,
    off: (f64, f64),
    marker: f64,
    marks: &mut Marks,
) {
    let all: Vec<(f64, f64)> = subpaths
        .iter()
        .flat_map(|s| s.vertices.iter().copied())
        .collect();
    if all.is_empty() {
        return;
    }
    let tiny = |s: &Subpath| bbox(&s.vertices) <= marker;
    if bbox(&all) <= marker {
        // One marker (a `+` is two strokes).
        let (x, y) = centre(&all);
        let shape = if subpaths.len() == 1 && is_vertical_stroke(&subpaths[0]) {
            Shape::Tick
        } else {
            Shape::Marker
        };
        let at = (x + off.0, y + off.1);
        match subpaths {
            [one] if !one.closed && one.vertices.len() == 2 => {
                let (a, b) = (one.vertices[0], one.vertices[1]);
                let ends = ((a.0 + off.0, a.1 + off.1), (b.0 + off.0, b.1 + off.1));
                marks.add_stroke(key, name, shape, at, ends);
            }
            _ => marks.add(key, name, shape, at.0, at.1),
        }
    } else if subpaths.len() >= 3 && subpaths.iter().all(tiny) {
        for s in subpaths {
            let (x, y) = centre(&s.vertices);
            let shape = if is_vertical_stroke(s) {
                Shape::Tick
            } else {
                Shape::Marker
            };
            marks.add(key, name, shape, x + off.0, y + off.1);
        }
    } else if all.len() >= 3 {
        strokes(subpaths, off, marks);
        for (x, y) in all {
            marks.add(key, name, Shape::Vertex, x + off.0, y + off.1);
        }
    } else {
        strokes(subpaths, off, marks);
    }
}

/// The straight strokes of a path larger than a marker: interval bars if along an axis.
fn strokes(subpaths: &[Subpath], off: (f64, f64), marks: &mut Marks) {
    for s in subpaths {
        if let [a, b] = s.vertices.as_slice() {
            marks.stroke((a.0 + off.0, a.1 + off.1), (b.0 + off.0, b.1 + off.1));
        }
    }
}

fn is_vertical_stroke(s: &Subpath) -> bool {
    !s.closed
        && s.vertices.len() == 2
        && (s.vertices[0].0 - s.vertices[1].0).abs() < 0.01
        && (s.vertices[0].1 - s.vertices[1].1).abs() > 0.0
}

/// The larger of the width and height spanned by the points.
pub fn bbox(v: &[(f64, f64)]) -> f64 {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in v {
        x0 = x0.min(*x);
        y0 = y0.min(*y);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    if v.is_empty() {
        0.0
    } else {
        (x1 - x0).max(y1 - y0)
    }
}

fn centre(v: &[(f64, f64)]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let (sx, sy) = v.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    (sx / n, sy / n)
}

/// One subpath: its vertices (segment end points, absolute) and whether it is closed.
#[derive(Debug, Default, Clone)]
pub struct Subpath {
    pub vertices: Vec<(f64, f64)>,
    pub closed: bool,
}

/// A piece of text drawn at a position (its baseline start, in the figure's units, `y`
/// growing downwards).
#[derive(Debug, Clone)]
pub struct Item {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

/// Text items gathered into lines: a line holds the items whose baselines are within
/// `tolerance` of its first, left to right.
fn lines(items: &[Item], tolerance: f64) -> Vec<(f64, Vec<Item>)> {
    let mut sorted: Vec<&Item> = items.iter().filter(|i| !i.text.trim().is_empty()).collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<(f64, Vec<Item>)> = Vec::new();
    for item in sorted {
        match out.last_mut() {
            Some((y, line)) if (item.y - *y).abs() <= tolerance => line.push(item.clone()),
            _ => out.push((item.y, vec![item.clone()])),
        }
    }
    for (_, line) in &mut out {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    out
}

/// The text of a figure and the tables its text lines make. `member` names the part (a PDF
/// page); line numbers count the figure's text lines top to bottom from 1.
pub fn text_and_tables(
    items: &[Item],
    tolerance: f64,
    member: Option<&str>,
    readers: &Readers<'_>,
) -> (Option<Text>, Vec<Table>) {
    let all_lines = lines(items, tolerance);
    if all_lines.is_empty() {
        return (None, Vec::new());
    }
    let text_lines: Vec<(u32, String)> = all_lines
        .iter()
        .enumerate()
        .map(|(k, (_, l))| {
            let words: Vec<&str> = l.iter().map(|i| i.text.trim()).collect();
            (k as u32 + 1, words.join("  "))
        })
        .collect();
    let mut text = Text::new(TextKind::Output, text_lines);
    text.member = member.map(str::to_string);
    // The tick labels of the axes give a scale, not data: they stay in the text, but no
    // table is laid out of them.
    let ticks: HashSet<(u64, u64, &str)> = axis::tick_labels(items, tolerance)
        .into_iter()
        .map(|k| key(&items[k]))
        .collect();
    let data: Vec<(f64, Vec<Item>)> = all_lines
        .iter()
        .map(|(y, line)| {
            let kept = line.iter().filter(|i| !ticks.contains(&key(i))).cloned();
            (*y, kept.collect())
        })
        .collect();
    let rows = grid_rows(&data);
    let builder = Builder {
        parser: readers.parser,
        lexicon: readers.lexicon,
        style: None,
    };
    let mut tables = builder.tables(&rows, member, None);
    for (k, t) in tables.iter_mut().enumerate() {
        t.index = k as u32 + 1;
    }
    (Some(text), tables)
}

/// An item's position and text, to tell it among clones.
fn key(item: &Item) -> (u64, u64, &str) {
    (item.x.to_bits(), item.y.to_bits(), item.text.as_str())
}

/// Rows of cells from the lines (a line emptied of its tick labels is left out, the numbers
/// of the others kept): items fall into columns by their horizontal position within
/// each block of lines (blocks are split where the gap between lines is much wider than the
/// usual one, and an empty row stands between them). A line of one text that gives a group
/// size (`Excluded (n = 1)`, a flowchart box) is split before it, so that the size is a label
/// cell that the table rules read.
fn grid_rows(lines: &[(f64, Vec<Item>)]) -> Vec<GridRow> {
    let mut gaps: Vec<f64> = lines.windows(2).map(|w| w[1].0 - w[0].0).collect();
    gaps.sort_by(f64::total_cmp);
    let usual = gaps.get(gaps.len() / 2).copied().unwrap_or(1.0).max(1.0);
    let mut blocks: Vec<Vec<(u32, &Vec<Item>)>> = vec![Vec::new()];
    let mut last_y: Option<f64> = None;
    for (k, (y, line)) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        if last_y.is_some_and(|l| y - l > usual * 2.2) {
            blocks.push(Vec::new());
        }
        last_y = Some(*y);
        if let Some(b) = blocks.last_mut() {
            b.push((k as u32 + 1, line));
        }
    }
    let mut rows = Vec::new();
    for block in blocks {
        let columns = column_starts(&block);
        for (no, line) in block {
            let mut cells = vec![String::new(); columns.len().max(1)];
            for item in line {
                let col = columns
                    .iter()
                    .rposition(|c| item.x >= *c - 0.5)
                    .unwrap_or(0);
                if let Some(cell) = cells.get_mut(col) {
                    if !cell.is_empty() {
                        cell.push(' ');
                    }
                    cell.push_str(item.text.trim());
                }
            }
            cells.retain(|c| !c.is_empty());
            if cells.len() == 1 {
                cells = split_group_size(&cells[0]);
            }
            rows.push(GridRow {
                row: no,
                line: Some(no),
                cells,
            });
        }
        rows.push(GridRow::default());
    }
    rows
}

/// Where the columns of a block start: the horizontal positions of its items, clustered
/// (positions closer than a few units are one column).
fn column_starts(block: &[(u32, &Vec<Item>)]) -> Vec<f64> {
    let mut xs: Vec<f64> = block
        .iter()
        .flat_map(|(_, l)| l.iter().map(|i| i.x))
        .collect();
    xs.sort_by(f64::total_cmp);
    let mut starts: Vec<f64> = Vec::new();
    for x in xs {
        match starts.last() {
            Some(s) if x - *s <= 3.0 => {}
            _ => starts.push(x),
        }
    }
    starts
}

/// `Excluded (n = 1)` → `Excluded`, `(n = 1)`; any other text stays one cell.
fn split_group_size(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let at = ["(n", "n =", "n=", "n:"]
        .iter()
        .filter_map(|p| lower.find(p))
        .min();
    match at {
        Some(i)
            if i > 0
                && text.is_char_boundary(i)
                && crate::redact::group_sizes(text).next().is_some() =>
        {
            vec![text[..i].trim().to_string(), text[i..].trim().to_string()]
        }
        _ => vec![text.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_positions_are_regular_and_scatter_is_not() {
        let monthly: Vec<(i64, i64)> = (0..36).map(|i| (q(10.0 + 12.5 * i as f64), i)).collect();
        assert!(is_regular(&monthly, 1));
        // Calendar months on a time axis: gaps of 28 to 31 days.
        let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let mut x = 0.0;
        let calendar: Vec<(i64, i64)> = (0..36)
            .map(|i| {
                x += f64::from(days[i % 12]) * 0.4;
                (q(x), i as i64)
            })
            .collect();
        assert!(is_regular(&calendar, 1));
        // A monthly series with a few highlighted points between the months.
        let mut marked = calendar.clone();
        marked.push((calendar[3].0 + 40, 99));
        marked.push((calendar[20].0 + 35, 98));
        assert!(is_regular(&marked, 1));
        let mut gappy = monthly.clone();
        gappy.remove(5);
        assert!(is_regular(&gappy, 1));
        let scatter: Vec<(i64, i64)> = (0..50)
            .map(|i| (q(((i * 37) % 101) as f64 * 1.37 + (i as f64).sqrt()), i))
            .collect();
        assert!(!is_regular(&scatter, 1));
        let scatter: Vec<(i64, i64)> = (0..150)
            .map(|i| {
                let h = (i as u64).wrapping_mul(2_654_435_761) % 40_000;
                (h as i64, i)
            })
            .collect();
        assert!(!is_regular(&scatter, 1));
    }

    #[test]
    fn group_sizes_split_into_their_own_cell() {
        assert_eq!(
            split_group_size("Excluded (N = 1)"),
            vec!["Excluded", "(N = 1)"]
        );
        assert_eq!(split_group_size("Months"), vec!["Months"]);
    }
}
