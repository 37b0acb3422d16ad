//! The charts of an XLSX or XLSM package (`xl/charts/chart*.xml`, on worksheets and on
//! chartsheets alike). A chart keeps a copy of the data it draws: each series (`c:ser`) of each
//! plot (`c:scatterChart`, `c:lineChart`, `c:barChart` …) has its categories or x values and its
//! values (`c:cat`, `c:val`, `c:xVal`, `c:yVal`, `c:bubbleSize`), each a reference to sheet
//! cells (`c:numRef`/`c:strRef`, a formula `c:f` with a cache of the values, `c:numCache`) or
//! literal values held only in the chart (`c:numLit`/`c:strLit`).
//!
//! Each chart becomes a [`Figure`] (`Excel chart`, located at the chart part and, when the
//! relationships sheet → drawing → chart resolve, the sheet that shows it) with one [`Series`]
//! per series: its mark from the plot type and its marker and line settings, its cached points,
//! their distinct positions and whether the horizontal positions lie on a regular grid, counted
//! as the chart JSON of an HTML page is ([`crate::read::html::charts`]). `embedded-data`
//! judges it like any other figure.
//!
//! A cache whose data a reader of the sheets never sees (literal values, a reference to another
//! workbook or to a sheet the workbook does not have, or sheet cells that do not hold the cached
//! values) is a hidden part, and its values are read as a table of the chart part (a category
//! column and a column per series), so that the table rules check them. A cache that the
//! referenced cells hold is not hidden: the sheet is checked already. A reference that cannot
//! be followed is taken for hidden data (fail closed). Text of the chart (titles, axis titles,
//! rich-text labels) is a text of the part.
//!
//! Chart extension parts (`xl/charts/chartEx*.xml`, Office 2016's histograms, box plots,
//! waterfalls …) keep their data in blocks (`cx:data`) that their series name; a histogram or
//! box plot keeps every value it summarises, each a marker at its value.
//!
//! The charts of Word and PowerPoint packages are the same parts: [`figure_of_chart_xml`]
//! reads one on its own into a figure (`Word chart`, `PowerPoint chart`), with no sheets to
//! check its cache against ([`crate::read::document::ooxml`]).
//!
//! Limits: at most [`MAX_SERIES`] series per chart and [`MAX_HELD_VALUES`] cached values for all
//! charts of a file are held; past a limit (and for a chart part that is not well-formed)
//! the part is unchecked, never passed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Seek};

use crate::model::{Document, Figure, Location, Mark, Series, Text, TextKind};
use crate::read::html::charts::{series as count_series, text_position, Pos};
use crate::redact::safe_label;
use crate::table::grid::{Builder, GridRow};

use super::package::Package;
use super::parts::{hidden, member, unchecked, SheetPart};
use super::xml::{attr, Ev};

/// Most series read from one chart.
pub const MAX_SERIES: usize = 1_000;
/// Most cached values held for all the charts of one workbook.
pub const MAX_HELD_VALUES: usize = 1_000_000;
/// Longest cached value kept (a longer one is cut; it is a label).
const MAX_VALUE_CHARS: usize = 256;
/// Deepest element nesting of a chart part.
const MAX_DEPTH: usize = 256;
/// Most text lines kept from one chart.
const MAX_TEXT_LINES: usize = 10_000;
/// Most cell ranges of one data reference.
const MAX_RANGES: usize = 64;

/// What a data element of a series gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Cat,
    X,
    Val,
    Y,
    Size,
}

impl Role {
    fn of(name: &str) -> Option<Role> {
        Some(match name {
            "cat" => Role::Cat,
            "xVal" => Role::X,
            "val" => Role::Val,
            "yVal" => Role::Y,
            "bubbleSize" => Role::Size,
            _ => return None,
        })
    }
}

/// One data element of a series: where its values come from and its cached points.
#[derive(Debug, Default, Clone)]
struct Data {
    role: Option<Role>,
    /// `numLit`/`strLit`: the values are held only in the chart.
    literal: bool,
    numeric: bool,
    formula: String,
    /// Cached points `(idx, text)` held.
    points: Vec<(u32, String)>,
}

/// One `c:ser`.
#[derive(Debug)]
struct Ser {
    plot: usize,
    name: String,
    /// The series' own line is not drawn (`c:spPr/a:ln/a:noFill`).
    no_line: bool,
    /// Its marker symbol: `Some(false)` for `none`, `Some(true)` for a symbol, `None` unsaid.
    marker: Option<bool>,
    data: Vec<Data>,
}

/// One plot of a chart's plot area.
#[derive(Debug, Default)]
struct Plot {
    kind: String,
    /// `c:scatterStyle` or `c:radarStyle`.
    style: Option<String>,
    /// `c:marker val` of a line chart.
    show_marker: Option<bool>,
}

/// A chart part as read.
#[derive(Debug, Default)]
struct Chart {
    part: String,
    sheet: Option<String>,
    plots: Vec<Plot>,
    series: Vec<Ser>,
    texts: Vec<String>,
    /// Why what it holds was not all read.
    cut: Option<&'static str>,
}

/// Why a cache is data a reader of the sheets never sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unseen {
    Literal,
    External,
    NoSheet,
    NotInCells,
    Unfollowed,
}

impl Unseen {
    fn describe(self) -> &'static str {
        match self {
            Unseen::Literal => "data held only in the chart",
            Unseen::External => "data of another workbook",
            Unseen::NoSheet => "data not in any sheet",
            Unseen::NotInCells => "data the referenced cells do not hold",
            Unseen::Unfollowed => "a data reference that could not be followed",
        }
    }
}

/// A rectangle of cells, 1-based, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rect {
    r0: u32,
    c0: u32,
    r1: u32,
    c1: u32,
}

impl Rect {
    fn cells(&self) -> u64 {
        u64::from(self.r1 - self.r0 + 1) * u64::from(self.c1 - self.c0 + 1)
    }
    fn contains(&self, r: u32, c: u32) -> bool {
        (self.r0..=self.r1).contains(&r) && (self.c0..=self.c1).contains(&c)
    }
}

/// Where a reference formula points.
#[derive(Debug, PartialEq)]
enum Target {
    External,
    Unfollowed,
    Cells(Vec<(String, Rect)>),
}

/// Read every chart part of the package into figures, hidden-part facts, tables and texts.
pub fn read_charts<R: Read + Seek>(
    pkg: &mut Package<R>,
    sheets: &[SheetPart],
    builder: &Builder<'_>,
    doc: &mut Document,
) {
    let anchors = anchors(pkg, sheets);
    let mut parts: BTreeSet<String> = pkg
        .names
        .iter()
        .filter(|n| is_chart_part(n))
        .cloned()
        .collect();
    parts.extend(pkg.names.iter().filter(|n| is_chart_ex_part(n)).cloned());
    parts.extend(anchors.keys().filter(|p| pkg.has(p)).cloned());
    let mut budget = MAX_HELD_VALUES;
    let mut charts: Vec<Chart> = Vec::new();
    for part in parts {
        let anchor = anchors.get(&part);
        let mut chart = Chart {
            sheet: anchor.map(|(sheet, _)| sheet.clone()),
            part: part.clone(),
            ..Chart::default()
        };
        let ex = is_chart_ex_part(&part) || anchor.is_some_and(|(_, ex)| *ex);
        let read = read_chart_with(ex, &mut |f| pkg.walk(&part, f), &mut chart, &mut budget);
        match read {
            Ok(()) => charts.push(chart),
            Err(why) => {
                let at = chart_location(&chart);
                unchecked(doc, at, format!("chart {part}"), why);
            }
        }
    }
    let unseen = check_sources(pkg, sheets, &charts);
    for (ci, chart) in charts.iter().enumerate() {
        let at = chart_location(chart);
        if let Some(why) = chart.cut {
            unchecked(doc, at.clone(), format!("chart {}", chart.part), why);
        }
        doc.figures
            .extend(figure_of(chart, at.clone(), "Excel chart"));
        let hidden_series: Vec<(usize, Unseen)> = chart
            .series
            .iter()
            .enumerate()
            .filter_map(|(si, _)| unseen.get(&(ci, si)).map(|u| (si, *u)))
            .collect();
        let mut named: BTreeSet<String> = BTreeSet::new();
        for (si, why) in &hidden_series {
            let s = &chart.series[*si];
            let part = format!(
                "chart cache of series {} in {} ({})",
                shown_name(chart, s),
                chart.part,
                why.describe()
            );
            if named.insert(part.clone()) {
                hidden(doc, at.clone(), part, member(&chart.part));
            }
        }
        cache_tables(chart, &hidden_series, builder, doc);
        if !chart.texts.is_empty() {
            let lines = chart
                .texts
                .iter()
                .enumerate()
                .map(|(i, l)| (i as u32 + 1, l.clone()))
                .collect();
            let mut text = Text::new(TextKind::Output, lines);
            text.member = Some(chart.part.clone());
            doc.texts.push(text);
        }
    }
}

/// `xl/charts/chart3.xml`.
fn is_chart_part(name: &str) -> bool {
    chart_file(name, "xl/") == Some(false)
}

/// `xl/charts/chartEx1.xml`: a chart of Office 2016's kinds (histogram, box plot, waterfall …).
fn is_chart_ex_part(name: &str) -> bool {
    chart_file(name, "xl/") == Some(true)
}

/// Whether a part is a chart of the package folder `root` (`xl/`, `word/`, `ppt/`):
/// `Some(false)` for `{root}charts/chart3.xml`, `Some(true)` for a chart extension
/// `{root}charts/chartEx1.xml`, `None` for any other part.
pub(crate) fn chart_file(name: &str, root: &str) -> Option<bool> {
    let f = name.strip_prefix(root)?.strip_prefix("charts/")?;
    (!f.contains('/') && f.starts_with("chart") && f.ends_with(".xml"))
        .then(|| f.starts_with("chartEx"))
}

/// The figure of a chart read, under its location and source name (`Excel chart`), if any of
/// its series draws a point.
fn figure_of(chart: &Chart, location: Location, source: &str) -> Option<Figure> {
    let series: Vec<Series> = chart
        .series
        .iter()
        .filter_map(|s| figure_series(chart, s))
        .collect();
    (!series.is_empty()).then(|| Figure {
        location,
        source: source.into(),
        series,
    })
}

/// A chart part read on its own, outside a workbook (a chart of a Word document or a
/// PowerPoint presentation, whose data workbook is an embedded member checked on its own): its
/// figure, if it draws points, and why not all of it was read, if so. `ex` says the part is a
/// chart extension (`cx:chartSpace`); `budget` is the cached values that all the charts of the
/// file may still hold. `Err` is why the part cannot be read at all.
pub(crate) fn figure_of_chart_xml(
    part: &str,
    xml: &[u8],
    ex: bool,
    source: &str,
    budget: &mut usize,
) -> Result<(Option<Figure>, Option<&'static str>), &'static str> {
    let mut chart = Chart {
        part: part.to_string(),
        ..Chart::default()
    };
    read_chart_with(ex, &mut |f| super::xml::walk(xml, f), &mut chart, budget)?;
    let figure = figure_of(&chart, chart_location(&chart), source);
    Ok((figure, chart.cut))
}

/// An event walk over one chart part: it calls its argument with each event.
type Walk<'a> = dyn FnMut(&mut dyn FnMut(Ev<'_>) -> bool) -> Result<(), super::xml::BadXml> + 'a;

/// Read one chart part (a chart extension when `ex`) from its event walk.
fn read_chart_with(
    ex: bool,
    walk: &mut Walk<'_>,
    chart: &mut Chart,
    budget: &mut usize,
) -> Result<(), &'static str> {
    if ex {
        read_chart_ex(walk, chart, budget)
    } else {
        read_chart(walk, chart, budget)
    }
}

fn chart_location(chart: &Chart) -> Location {
    Location {
        member: Some(chart.part.clone()),
        sheet: chart.sheet.clone(),
        ..Location::default()
    }
}

/// The sheet each chart part is drawn on (sheet or chartsheet → drawing → chart), and whether
/// the drawing relates it as a chart extension.
fn anchors<R: Read + Seek>(
    pkg: &mut Package<R>,
    sheets: &[SheetPart],
) -> BTreeMap<String, (String, bool)> {
    let mut out = BTreeMap::new();
    for s in sheets {
        for (typ, drawing) in pkg.rels(&s.part) {
            if typ != "drawing" {
                continue;
            }
            for (typ, chart) in pkg.rels(&drawing) {
                if typ == "chart" || typ == "chartEx" {
                    out.entry(chart)
                        .or_insert_with(|| (s.name.clone(), typ == "chartEx"));
                }
            }
        }
    }
    out
}

/// Whether `stack` ends with the names `tail`.
fn ends_with(stack: &[String], tail: &[&str]) -> bool {
    stack.len() >= tail.len()
        && stack[stack.len() - tail.len()..]
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
}

/// The state of reading one chart part, event by event.
#[derive(Default)]
struct ChartRead {
    stack: Vec<String>,
    root: Root,
    /// The plot, series and data element being read, and the cached point.
    plot: Option<usize>,
    ser: Option<Ser>,
    data: Option<Data>,
    pt: Option<u32>,
    value: String,
    in_v: bool,
    name_v: bool,
    in_f: bool,
    rich: usize,
    in_t: bool,
    line: String,
}

impl ChartRead {
    fn parent(&self) -> Option<&str> {
        self.stack.last().map(String::as_str)
    }

    /// Whether the element being read is inside the series' own `c:tx`.
    fn in_series_name(&self) -> bool {
        self.stack
            .iter()
            .position(|s| s == "ser")
            .is_some_and(|i| self.stack.get(i + 1).is_some_and(|t| t == "tx"))
    }

    fn in_plot(
        &mut self,
        p: usize,
        name: &str,
        attrs: &[(String, String)],
        empty: bool,
        parent: Option<&str>,
        chart: &mut Chart,
    ) {
        let plot_kind = chart.plots.get(p).map(|k| k.kind.as_str());
        match name {
            "scatterStyle" | "radarStyle" if self.ser.is_none() => {
                if let Some(plot) = chart.plots.get_mut(p) {
                    plot.style = attr(attrs, "val").map(str::to_string);
                }
            }
            "marker" if self.ser.is_none() && parent == plot_kind => {
                if let Some(plot) = chart.plots.get_mut(p) {
                    plot.show_marker =
                        Some(matches!(attr(attrs, "val"), Some("1" | "true") | None));
                }
            }
            "ser" if self.ser.is_none() && !empty => {
                if chart.series.len() >= MAX_SERIES {
                    chart.cut = Some("series past the first 1000 of the chart are not read");
                } else {
                    self.ser = Some(Ser {
                        plot: p,
                        name: String::new(),
                        no_line: false,
                        marker: None,
                        data: Vec::new(),
                    });
                }
            }
            "symbol" if parent == Some("marker") && self.data.is_none() => {
                if let Some(s) = &mut self.ser {
                    if ends_with(&self.stack, &["ser", "marker"]) {
                        s.marker = Some(attr(attrs, "val") != Some("none"));
                    }
                }
            }
            "noFill" if ends_with(&self.stack, &["ser", "spPr", "ln"]) => {
                if let Some(s) = &mut self.ser {
                    s.no_line = true;
                }
            }
            _ if self.ser.is_some() && parent == Some("ser") && Role::of(name).is_some() => {
                self.data = (!empty).then(|| Data {
                    role: Role::of(name),
                    ..Data::default()
                });
            }
            "numRef" | "numLit" | "strRef" | "strLit" | "multiLvlStrRef" => {
                if let Some(d) = &mut self.data {
                    d.literal = name.ends_with("Lit");
                    d.numeric = name.starts_with("num");
                }
            }
            "f" if self.data.is_some() && !empty => self.in_f = true,
            "pt" if self.data.is_some() => {
                self.pt = attr(attrs, "idx").and_then(|v| v.parse().ok());
            }
            "v" if !empty && self.data.is_some() && self.pt.is_some() => {
                self.in_v = true;
                self.value.clear();
            }
            "v" if !empty && self.ser.is_some() && self.data.is_none() && self.in_series_name() => {
                self.name_v = true;
            }
            _ => {}
        }
    }
}

impl PartRead for ChartRead {
    fn root(&self) -> &Root {
        &self.root
    }

    fn start(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        empty: bool,
        chart: &mut Chart,
    ) -> bool {
        if self.stack.is_empty() && !self.root.enter(name) {
            return false;
        }
        let parent = self.parent().map(str::to_string);
        let parent = parent.as_deref();
        if name.ends_with("Chart") && parent == Some("plotArea") {
            chart.plots.push(Plot {
                kind: name.to_string(),
                ..Plot::default()
            });
            self.plot = (!empty).then_some(chart.plots.len() - 1);
        } else if let Some(p) = self.plot {
            self.in_plot(p, name, attrs, empty, parent, chart);
        }
        if name == "rich" && !empty {
            self.rich += 1;
        }
        if name == "t" && self.rich > 0 && !empty {
            self.in_t = true;
        }
        if !empty {
            if self.stack.len() >= MAX_DEPTH {
                self.root.too_deep = true;
                return false;
            }
            self.stack.push(name.to_string());
        }
        true
    }

    fn end(&mut self, name: &str, chart: &mut Chart, budget: &mut usize) {
        self.stack.pop();
        match name {
            "v" if self.in_v => {
                self.in_v = false;
                if let (Some(d), Some(i)) = (&mut self.data, self.pt) {
                    if *budget == 0 {
                        chart.cut = Some(
                            "cached values past the first 1000000 of the file's charts are not read",
                        );
                    } else {
                        *budget -= 1;
                        d.points.push((i, std::mem::take(&mut self.value)));
                    }
                }
            }
            "v" => self.name_v = false,
            "f" => self.in_f = false,
            "pt" => self.pt = None,
            "p" if self.rich > 0 => {
                let l = self.line.trim();
                if !l.is_empty() && chart.texts.len() < MAX_TEXT_LINES {
                    chart.texts.push(l.to_string());
                }
                self.line.clear();
            }
            "t" => self.in_t = false,
            "rich" => self.rich = self.rich.saturating_sub(1),
            _ => {}
        }
        let parent = self.parent();
        if parent == Some("ser") && Role::of(name).is_some() {
            if let (Some(d), Some(s)) = (self.data.take(), &mut self.ser) {
                s.data.push(d);
            }
        } else if name == "ser" {
            if let Some(s) = self.ser.take() {
                chart.series.push(s);
            }
        } else if parent == Some("plotArea") && name.ends_with("Chart") {
            self.plot = None;
        }
        if self.stack.is_empty() {
            self.root.closed = true;
        }
    }

    fn text(&mut self, t: &str) {
        if self.in_v {
            if self.value.len() < MAX_VALUE_CHARS {
                self.value.extend(t.chars().take(MAX_VALUE_CHARS));
            }
        } else if self.name_v {
            if let Some(s) = &mut self.ser {
                if s.name.len() < MAX_VALUE_CHARS {
                    s.name.extend(t.chars().take(MAX_VALUE_CHARS));
                }
            }
        } else if self.in_f {
            if let Some(d) = &mut self.data {
                if d.formula.len() < 8192 {
                    d.formula.push_str(t);
                }
            }
        } else if self.in_t && self.line.len() < 4096 {
            self.line.push_str(t);
        }
    }
}

/// Read one chart part; the reason when it cannot be read.
fn read_chart(
    walk: &mut Walk<'_>,
    chart: &mut Chart,
    budget: &mut usize,
) -> Result<(), &'static str> {
    walk_part(walk, &mut ChartRead::default(), chart, budget).map(|_| ())
}

/// What reading a chart part event by event needs of its state: the events, and at the end
/// whether the part had one root of the expected name, closed, within the nesting limit.
trait PartRead {
    fn start(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        empty: bool,
        chart: &mut Chart,
    ) -> bool;
    fn end(&mut self, name: &str, chart: &mut Chart, budget: &mut usize);
    fn text(&mut self, t: &str);
    fn root(&self) -> &Root;
}

/// The root element of a chart part as the walk saw it.
#[derive(Default)]
struct Root {
    rooted: bool,
    wrong_root: bool,
    closed: bool,
    second_root: bool,
    too_deep: bool,
}

impl Root {
    /// A top-level element starts: whether the walk goes on (one `chartSpace` root only).
    fn enter(&mut self, name: &str) -> bool {
        if self.rooted {
            self.second_root = true;
            return false;
        }
        self.rooted = true;
        if name != "chartSpace" {
            self.wrong_root = true;
            return false;
        }
        true
    }

    /// The reason the part cannot be read, if any, once the walk ended (`read_ok`: the XML
    /// reader did not fail).
    fn verdict(&self, read_ok: bool) -> Result<(), &'static str> {
        if self.too_deep {
            return Err("its elements are nested too deeply");
        }
        if !read_ok || self.second_root || (self.rooted && !self.wrong_root && !self.closed) {
            return Err("the part is not well-formed XML (damaged or cut short)");
        }
        if !self.rooted || self.wrong_root {
            return Err("the part holds no chart (no chartSpace element)");
        }
        Ok(())
    }
}

/// Walk one chart part with `st`; the reason when it cannot be read, else the state.
fn walk_part<'s, S: PartRead>(
    walk: &mut Walk<'_>,
    st: &'s mut S,
    chart: &mut Chart,
    budget: &mut usize,
) -> Result<&'s mut S, &'static str> {
    let read = walk(&mut |e| match e {
        Ev::Start { name, attrs, empty } => st.start(name, attrs, empty, chart),
        Ev::End { name } => {
            st.end(name, chart, budget);
            true
        }
        Ev::Text(t) => {
            st.text(t);
            true
        }
    });
    st.root().verdict(read.is_ok())?;
    Ok(st)
}

/// The state of reading a chart extension part (`cx:chartSpace`): its data blocks
/// (`cx:chartData/cx:data`, each dimension a formula `cx:f` and levels of points `cx:pt`) and
/// the series that draw them (`cx:series layoutId=…` with `cx:dataId`).
#[derive(Default)]
struct ChartExRead {
    stack: Vec<String>,
    root: Root,
    blocks: HashMap<String, Vec<Data>>,
    block: Option<String>,
    dim: Option<Data>,
    pt: Option<u32>,
    value: String,
    in_f: bool,
    /// Series: layout, name, data block, whether it bins its values (a histogram).
    series: Vec<(String, String, String, bool)>,
    in_series: bool,
    name_v: bool,
    rich: usize,
    in_t: bool,
    line: String,
}

impl PartRead for ChartExRead {
    fn root(&self) -> &Root {
        &self.root
    }

    fn start(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        empty: bool,
        chart: &mut Chart,
    ) -> bool {
        if self.stack.is_empty() && !self.root.enter(name) {
            return false;
        }
        let parent = self.stack.last().map(String::as_str);
        match name {
            "data" if parent == Some("chartData") && !empty => {
                self.block = Some(attr(attrs, "id").unwrap_or("").to_string());
            }
            "numDim" | "strDim" if self.block.is_some() && !empty => {
                let role = match attr(attrs, "type") {
                    Some("cat") => Role::Cat,
                    Some("x") => Role::X,
                    Some("y") => Role::Y,
                    Some("size") => Role::Size,
                    _ => Role::Val,
                };
                self.dim = Some(Data {
                    role: Some(role),
                    numeric: name == "numDim",
                    ..Data::default()
                });
            }
            "f" if self.dim.is_some() && !empty => self.in_f = true,
            "pt" if self.dim.is_some() && !empty => {
                self.pt = attr(attrs, "idx").and_then(|v| v.parse().ok());
                self.value.clear();
            }
            "series" if parent == Some("plotAreaRegion") && !empty => {
                if self.series.len() >= MAX_SERIES {
                    chart.cut = Some("series past the first 1000 of the chart are not read");
                } else {
                    let layout = attr(attrs, "layoutId").unwrap_or("").to_string();
                    self.series
                        .push((layout, String::new(), String::new(), false));
                    self.in_series = true;
                }
            }
            "dataId" if self.in_series => {
                if let Some(s) = self.series.last_mut() {
                    s.2 = attr(attrs, "val").unwrap_or("").to_string();
                }
            }
            "binning" if self.in_series => {
                if let Some(s) = self.series.last_mut() {
                    s.3 = true;
                }
            }
            "v" if self.in_series
                && !empty
                && ends_with(&self.stack, &["series", "tx", "txData"]) =>
            {
                self.name_v = true;
            }
            _ => {}
        }
        if name == "rich" && !empty {
            self.rich += 1;
        }
        if name == "t" && self.rich > 0 && !empty {
            self.in_t = true;
        }
        if !empty {
            if self.stack.len() >= MAX_DEPTH {
                self.root.too_deep = true;
                return false;
            }
            self.stack.push(name.to_string());
        }
        true
    }

    fn end(&mut self, name: &str, chart: &mut Chart, budget: &mut usize) {
        self.stack.pop();
        match name {
            "pt" => {
                if let (Some(d), Some(i)) = (&mut self.dim, self.pt.take()) {
                    if *budget == 0 {
                        chart.cut = Some(
                            "cached values past the first 1000000 of the file's charts are not read",
                        );
                    } else {
                        *budget -= 1;
                        d.points.push((i, std::mem::take(&mut self.value)));
                    }
                }
            }
            "f" => self.in_f = false,
            "v" => self.name_v = false,
            "numDim" | "strDim" => {
                if let (Some(mut d), Some(b)) = (self.dim.take(), &self.block) {
                    d.literal = d.formula.trim().is_empty();
                    self.blocks.entry(b.clone()).or_default().push(d);
                }
            }
            "data" => self.block = None,
            "series" => self.in_series = false,
            "p" if self.rich > 0 => {
                let l = self.line.trim();
                if !l.is_empty() && chart.texts.len() < MAX_TEXT_LINES {
                    chart.texts.push(l.to_string());
                }
                self.line.clear();
            }
            "t" => self.in_t = false,
            "rich" => self.rich = self.rich.saturating_sub(1),
            _ => {}
        }
        if self.stack.is_empty() {
            self.root.closed = true;
        }
    }

    fn text(&mut self, t: &str) {
        if self.pt.is_some() {
            if self.value.len() < MAX_VALUE_CHARS {
                self.value.extend(t.chars().take(MAX_VALUE_CHARS));
            }
        } else if self.in_f {
            if let Some(d) = &mut self.dim {
                if d.formula.len() < 8192 {
                    d.formula.push_str(t);
                }
            }
        } else if self.name_v {
            if let Some(s) = self.series.last_mut() {
                if s.1.len() < MAX_VALUE_CHARS {
                    s.1.extend(t.chars().take(MAX_VALUE_CHARS));
                }
            }
        } else if self.in_t && self.line.len() < 4096 {
            self.line.push_str(t);
        }
    }
}

/// Read one chart extension part into plots (one per series, named by its layout) and series.
fn read_chart_ex(
    walk: &mut Walk<'_>,
    chart: &mut Chart,
    budget: &mut usize,
) -> Result<(), &'static str> {
    let mut state = ChartExRead::default();
    let st = walk_part(walk, &mut state, chart, budget)?;
    for (layout, name, block, binned) in std::mem::take(&mut st.series) {
        let kind = if binned && layout == "clusteredColumn" {
            "histogram".to_string()
        } else {
            layout
        };
        chart.plots.push(Plot {
            kind,
            ..Plot::default()
        });
        let data = st.blocks.get(&block).cloned().unwrap_or_default();
        chart.series.push(Ser {
            plot: chart.plots.len() - 1,
            name,
            no_line: false,
            marker: None,
            data,
        });
    }
    Ok(())
}

/// How a series draws its points, from its plot's type and its marker and line settings.
fn mark_of(plot: &Plot, s: &Ser) -> Mark {
    let style = plot.style.as_deref();
    // A line chart's markers show unless the series or the plot says otherwise; a scatter
    // style says whether markers and lines are drawn.
    let lines = |markers_by_default: bool| {
        let markers = s.marker.unwrap_or(markers_by_default);
        let line = !s.no_line;
        (markers, line)
    };
    match plot.kind.as_str() {
        "scatterChart" => {
            let styled_line = matches!(
                style,
                Some("line" | "lineMarker" | "smooth" | "smoothMarker")
            );
            let styled_markers = !matches!(style, Some("line" | "smooth" | "none"));
            let markers = s.marker.unwrap_or(styled_markers);
            // Markers drawn are one per datum, whatever joins them (Plotly's `lines+markers`).
            if markers {
                Mark::Point
            } else if styled_line && !s.no_line {
                Mark::Line
            } else {
                Mark::Other
            }
        }
        "bubbleChart" => Mark::Point,
        "lineChart" | "line3DChart" | "stockChart" | "radarChart" => {
            if plot.kind == "radarChart" && style == Some("filled") {
                return Mark::Bar;
            }
            let by_default = match plot.kind.as_str() {
                "lineChart" => plot.show_marker.unwrap_or(true),
                "radarChart" => style == Some("marker"),
                _ => false,
            };
            match lines(by_default) {
                (true, false) => Mark::Point,
                (_, true) => Mark::Line,
                (false, false) => Mark::Other,
            }
        }
        "barChart" | "bar3DChart" | "areaChart" | "area3DChart" | "pieChart" | "pie3DChart"
        | "doughnutChart" | "ofPieChart" => Mark::Bar,
        "surfaceChart" | "surface3DChart" => Mark::Cell,
        // A histogram or box plot of a chart extension keeps every value it summarises: each
        // is a datum, as for Plotly's histogram and box traces.
        "histogram" | "boxWhisker" => Mark::Point,
        "waterfall" | "funnel" | "clusteredColumn" => Mark::Bar,
        "paretoLine" => Mark::Line,
        "sunburst" | "treemap" | "regionMap" => Mark::Cell,
        _ => Mark::Other,
    }
}

/// A series' name as it may be printed: its own (made safe, digits hidden as the figure rule
/// hides them), else its plot type.
fn shown_name(chart: &Chart, s: &Ser) -> String {
    let name = s.name.trim();
    if name.is_empty() {
        let kind = chart.plots.get(s.plot).map_or("chart", |p| p.kind.as_str());
        format!("'{}'", kind.trim_end_matches("Chart"))
    } else {
        let label = safe_label(name).replace(|c: char| c.is_ascii_digit(), "#");
        format!("'{label}'")
    }
}

/// The series as the figure rule counts it: its cached points, their positions.
fn figure_series(chart: &Chart, s: &Ser) -> Option<Series> {
    let plot = chart.plots.get(s.plot)?;
    let role = |r: &[Role]| {
        s.data
            .iter()
            .find(|d| d.role.is_some_and(|x| r.contains(&x)))
    };
    let name = match s.name.trim() {
        "" => plot.kind.trim_end_matches("Chart").to_string(),
        n => n.chars().take(80).collect(),
    };
    let ys = role(&[Role::Val, Role::Y])?;
    // A number cache may hold error values (`#N/A`) and blanks: Excel draws no point there.
    let number = |v: &str| v.trim().parse::<f64>().ok().filter(|f| f.is_finite());
    let drawn = |d: &Data, v: &str| !d.numeric || number(v).is_some();
    if matches!(plot.kind.as_str(), "histogram" | "boxWhisker") {
        // The values are the positions (of the individuals the plot summarises).
        let xs: Vec<Pos> = ys
            .points
            .iter()
            .filter(|(_, v)| drawn(ys, v))
            .map(|(_, v)| text_position(v))
            .collect();
        return count_series(&name, mark_of(plot, s), Some(&xs), None);
    }
    let xs = role(&[Role::X, Role::Cat]);
    // Text x values of a scatter are drawn at 1, 2, 3 …, as Excel does.
    let x_of: Option<(&Data, HashMap<u32, &str>)> = xs
        .filter(|x| x.numeric || x.role == Some(Role::Cat))
        .map(|x| (x, values(x)));
    let mut x: Vec<(u32, Pos, Pos)> = Vec::with_capacity(ys.points.len());
    for (i, v) in ys.points.iter().filter(|(_, v)| drawn(ys, v)) {
        let at = match &x_of {
            Some((d, m)) => match m.get(i) {
                Some(xv) if drawn(d, xv) => text_position(xv),
                Some(_) => continue,
                None => Pos::Num(f64::from(*i)),
            },
            None => Pos::Num(f64::from(*i)),
        };
        x.push((*i, at, text_position(v)));
    }
    x.sort_by_key(|(i, _, _)| *i);
    let (xs, ys): (Vec<Pos>, Vec<Pos>) = x.into_iter().map(|(_, a, b)| (a, b)).unzip();
    count_series(&name, mark_of(plot, s), Some(&xs), Some(&ys))
}

/// Where a reference formula points: `Sheet1!$B$2:$B$13`, `'My sheet'!$A$1`, a union
/// `(Sheet1!$A$1:$A$5,Sheet1!$C$1:$C$5)`; `[1]Sheet1!…` is another workbook.
fn target_of(f: &str) -> Target {
    let f = f.trim();
    let f = f
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(f);
    let mut pieces: Vec<String> = Vec::new();
    let (mut cur, mut quoted) = (String::new(), false);
    for ch in f.chars() {
        match ch {
            '\'' => {
                quoted = !quoted;
                cur.push(ch);
            }
            ',' if !quoted => pieces.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    pieces.push(cur);
    let mut out = Vec::new();
    for piece in pieces.iter().take(MAX_RANGES + 1) {
        let Some((sheet, range)) = piece.trim().rsplit_once('!') else {
            return Target::Unfollowed;
        };
        let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
            Some(q) => q.replace("''", "'"),
            None => sheet.to_string(),
        };
        // `[0]` is the workbook itself, in a reference to one of its names.
        if sheet.starts_with("[0]") {
            return Target::Unfollowed;
        }
        if sheet.contains('[') || sheet.contains(']') {
            return Target::External;
        }
        let Some(rect) = rect_of(range) else {
            return Target::Unfollowed;
        };
        out.push((sheet, rect));
    }
    if out.is_empty() || out.len() > MAX_RANGES {
        return Target::Unfollowed;
    }
    Target::Cells(out)
}

/// The defined names of a workbook: `(name, the sheet it is local to)`, both lowercased, to
/// the formula it stands for.
type Names = HashMap<(String, Option<String>), String>;

/// The defined names of `xl/workbook.xml`.
fn defined_names<R: Read + Seek>(pkg: &mut Package<R>) -> Names {
    let mut sheets: Vec<String> = Vec::new();
    let mut defs: Vec<(String, Option<usize>, String)> = Vec::new();
    let mut inside = false;
    let _ = pkg.walk("xl/workbook.xml", &mut |e| {
        match e {
            Ev::Start {
                name: "sheet",
                attrs,
                ..
            } => sheets.push(attr(attrs, "name").unwrap_or("").to_lowercase()),
            Ev::Start {
                name: "definedName",
                attrs,
                empty,
            } if defs.len() < 100_000 => {
                let local = attr(attrs, "localSheetId").and_then(|v| v.parse().ok());
                let name = attr(attrs, "name").unwrap_or("").to_lowercase();
                defs.push((name, local, String::new()));
                inside = !empty;
            }
            Ev::End {
                name: "definedName",
            } => inside = false,
            Ev::Text(t) if inside => {
                if let Some((_, _, f)) = defs.last_mut() {
                    if f.len() < 8192 {
                        f.push_str(t);
                    }
                }
            }
            _ => {}
        }
        true
    });
    defs.into_iter()
        .map(|(name, local, f)| ((name, local.and_then(|i| sheets.get(i).cloned())), f))
        .collect()
}

/// Where a reference formula points, a defined name (`[0]!Months`, `Sheet1!Months`,
/// `Months`) followed once to the range it stands for.
fn target_in(f: &str, names: &Names) -> Target {
    let direct = target_of(f);
    if direct != Target::Unfollowed {
        return direct;
    }
    let f = f.trim();
    let (scope, name) = match f.rsplit_once('!') {
        Some((s, n)) => {
            let s = s
                .strip_prefix('\'')
                .and_then(|q| q.strip_suffix('\''))
                .map_or(s.to_string(), |q| q.replace("''", "'"));
            ((s != "[0]").then(|| s.to_lowercase()), n)
        }
        None => (None, f),
    };
    let is_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '\\'));
    if !is_name || scope.as_deref().is_some_and(|s| s.contains('[')) {
        return Target::Unfollowed;
    }
    let key = name.to_lowercase();
    let def = names
        .get(&(key.clone(), scope.clone()))
        .or_else(|| scope.is_none().then(|| names.get(&(key, None))).flatten());
    match def.map(|d| target_of(d)) {
        Some(t @ (Target::Cells(_) | Target::External)) => t,
        _ => Target::Unfollowed,
    }
}

/// `$B$2:$B$13` or `B2` as a rectangle.
fn rect_of(range: &str) -> Option<Rect> {
    let (a, b) = range.split_once(':').unwrap_or((range, range));
    let (r0, c0) = a1(a)?;
    let (r1, c1) = a1(b)?;
    Some(Rect {
        r0: r0.min(r1),
        c0: c0.min(c1),
        r1: r0.max(r1),
        c1: c0.max(c1),
    })
}

/// `$B$7` or `B7` as `(7, 2)`.
fn a1(r: &str) -> Option<(u32, u32)> {
    super::parts::cell_position(&r.trim().replace('$', ""))
}

/// One cell that a cached point says a sheet holds: the number, or (for text) anything.
struct Probe {
    row: u32,
    col: u32,
    owner: usize,
    number: Option<f64>,
}

/// The probes and counted rectangles of one sheet.
#[derive(Default)]
struct SheetProbes {
    probes: Vec<Probe>,
    /// Rectangles whose filled cells are counted (a block of several rows and columns, as
    /// multi-level categories take, has no one order of its points).
    counted: Vec<(Rect, usize)>,
}

/// The series whose caches hold data that the sheets do not: `(chart, series)` → why.
fn check_sources<R: Read + Seek>(
    pkg: &mut Package<R>,
    sheets: &[SheetPart],
    charts: &[Chart],
) -> HashMap<(usize, usize), Unseen> {
    let names = if charts.iter().any(|c| !c.series.is_empty()) {
        defined_names(pkg)
    } else {
        Names::new()
    };
    let mut unseen: HashMap<(usize, usize), Unseen> = HashMap::new();
    // Each data element checked against cells: its series and the points it must find.
    let mut owners: Vec<((usize, usize), usize)> = Vec::new();
    let mut by_sheet: BTreeMap<usize, SheetProbes> = BTreeMap::new();
    let sheet_index = |name: &str| {
        sheets.iter().position(|s| {
            s.name.eq_ignore_ascii_case(name) && !s.part.starts_with("xl/chartsheets/")
        })
    };
    for (ci, chart) in charts.iter().enumerate() {
        for (si, s) in chart.series.iter().enumerate() {
            for d in s.data.iter().filter(|d| !d.points.is_empty()) {
                let found = if d.literal {
                    Err(Unseen::Literal)
                } else {
                    match target_in(&d.formula, &names) {
                        Target::External => Err(Unseen::External),
                        Target::Unfollowed => Err(Unseen::Unfollowed),
                        Target::Cells(ranges) => {
                            let at: Option<Vec<(usize, Rect)>> = ranges
                                .iter()
                                .map(|(sheet, r)| sheet_index(sheet).map(|i| (i, *r)))
                                .collect();
                            at.ok_or(Unseen::NoSheet)
                        }
                    }
                };
                let ranges = match found {
                    Ok(r) => r,
                    Err(why) => {
                        unseen.entry((ci, si)).or_insert(why);
                        continue;
                    }
                };
                let owner = owners.len();
                owners.push(((ci, si), d.points.len()));
                if !probe(d, &ranges, owner, &mut by_sheet) {
                    unseen.entry((ci, si)).or_insert(Unseen::NotInCells);
                }
            }
        }
    }
    let mut matched = vec![0usize; owners.len()];
    for (sheet, mut probes) in by_sheet {
        probes.probes.sort_by_key(|p| (p.row, p.col));
        let last_row = probes
            .probes
            .iter()
            .map(|p| p.row)
            .chain(probes.counted.iter().map(|(r, _)| r.r1))
            .max()
            .unwrap_or(0);
        let part = sheets[sheet].part.clone();
        let _ = walk_cells(pkg, &part, &mut |row, col, cell| {
            if row > last_row {
                return false;
            }
            let start = probes
                .probes
                .partition_point(|p| (p.row, p.col) < (row, col));
            for p in probes.probes[start..]
                .iter()
                .take_while(|p| (p.row, p.col) == (row, col))
            {
                let ok = match (p.number, cell.number) {
                    (Some(want), Some(got)) => {
                        (want - got).abs() <= 1e-9 * want.abs().max(got.abs()).max(1.0)
                    }
                    (Some(_), None) => false,
                    (None, _) => true,
                };
                if ok {
                    matched[p.owner] += 1;
                }
            }
            for (r, owner) in &probes.counted {
                if r.contains(row, col) {
                    matched[*owner] += 1;
                }
            }
            true
        });
    }
    for (owner, (series, needed)) in owners.iter().enumerate() {
        if matched[owner] < *needed {
            unseen.entry(*series).or_insert(Unseen::NotInCells);
        }
    }
    unseen
}

/// The probes of one data element's points over its ranges; `false` when a point lies past
/// them.
fn probe(
    d: &Data,
    ranges: &[(usize, Rect)],
    owner: usize,
    by_sheet: &mut BTreeMap<usize, SheetProbes>,
) -> bool {
    let flat = ranges.iter().all(|(_, r)| r.r0 == r.r1 || r.c0 == r.c1);
    if !flat {
        let total: u64 = ranges.iter().map(|(_, r)| r.cells()).sum();
        for (sheet, r) in ranges {
            by_sheet
                .entry(*sheet)
                .or_default()
                .counted
                .push((*r, owner));
        }
        return total >= d.points.len() as u64;
    }
    for (idx, v) in &d.points {
        let mut i = u64::from(*idx);
        let mut at = None;
        for (sheet, r) in ranges {
            if i < r.cells() {
                let i = i as u32;
                at = Some(if r.c0 == r.c1 {
                    (*sheet, r.r0 + i, r.c0)
                } else {
                    (*sheet, r.r0, r.c0 + i)
                });
                break;
            }
            i -= r.cells();
        }
        let Some((sheet, row, col)) = at else {
            return false;
        };
        let number = if d.numeric {
            v.trim().parse::<f64>().ok().filter(|f| f.is_finite())
        } else {
            None
        };
        by_sheet.entry(sheet).or_default().probes.push(Probe {
            row,
            col,
            owner,
            number,
        });
    }
    true
}

/// A filled cell of a sheet as the check of chart caches sees it.
struct CellSeen {
    number: Option<f64>,
}

/// Walk the filled cells of a worksheet part in order, 1-based; `f` returns `false` to stop.
fn walk_cells<R: Read + Seek>(
    pkg: &mut Package<R>,
    part: &str,
    f: &mut dyn FnMut(u32, u32, CellSeen) -> bool,
) -> Result<(), super::xml::BadXml> {
    let (mut row, mut col) = (0u32, 0u32);
    let mut typ: Option<String> = None;
    let mut text = String::new();
    let mut reading = false;
    let mut in_cell = false;
    pkg.walk(part, &mut |e| {
        match e {
            Ev::Start {
                name: "row", attrs, ..
            } => {
                row = attr(attrs, "r")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(row.saturating_add(1));
                col = 0;
            }
            Ev::Start {
                name: "c",
                attrs,
                empty,
            } => {
                match attr(attrs, "r").and_then(super::parts::cell_position) {
                    Some((r, c)) => {
                        row = r;
                        col = c;
                    }
                    None => col = col.saturating_add(1),
                }
                typ = attr(attrs, "t").map(str::to_string);
                text.clear();
                in_cell = !empty;
            }
            Ev::Start {
                name: "v" | "t",
                empty,
                ..
            } if in_cell => reading = !empty,
            Ev::End { name: "v" | "t" } => reading = false,
            Ev::Text(t) if reading && text.len() < MAX_VALUE_CHARS => text.push_str(t),
            Ev::End { name: "c" } if in_cell => {
                in_cell = false;
                if text.trim().is_empty() {
                    return true;
                }
                let number = match typ.as_deref() {
                    None | Some("n" | "b" | "str" | "inlineStr") => {
                        text.trim().parse::<f64>().ok().filter(|f| f.is_finite())
                    }
                    _ => None,
                };
                return f(row, col, CellSeen { number });
            }
            _ => {}
        }
        true
    })
}

/// A data element's cached values by index.
fn values(d: &Data) -> HashMap<u32, &str> {
    d.points.iter().map(|(i, v)| (*i, v.as_str())).collect()
}

/// The cached values of the series whose data the sheets do not hold, as tables of the chart
/// part: series that share their categories (or x values) share a table, a category column
/// and a value column per series.
fn cache_tables(
    chart: &Chart,
    hidden_series: &[(usize, Unseen)],
    builder: &Builder<'_>,
    doc: &mut Document,
) {
    let mut groups: Vec<(String, Vec<&Ser>)> = Vec::new();
    for (si, _) in hidden_series {
        let s = &chart.series[*si];
        let cat = s
            .data
            .iter()
            .find(|d| matches!(d.role, Some(Role::Cat | Role::X)));
        let key = match cat {
            None => String::new(),
            Some(d) if !d.formula.is_empty() && !d.literal => format!("f {}", d.formula),
            Some(d) => {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                d.points.hash(&mut h);
                format!("v {}", h.finish())
            }
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => g.push(s),
            None => groups.push((key, vec![s])),
        }
    }
    for (_, group) in groups {
        let mut columns: Vec<(String, HashMap<u32, &str>)> = Vec::new();
        if let Some(cat) = group.first().and_then(|s| {
            s.data
                .iter()
                .find(|d| matches!(d.role, Some(Role::Cat | Role::X)))
        }) {
            let header = if cat.role == Some(Role::X) {
                "x"
            } else {
                "Category"
            };
            columns.push((header.to_string(), values(cat)));
        }
        for s in &group {
            let name = match s.name.trim() {
                "" => "Value".to_string(),
                n => n.to_string(),
            };
            let mut data: Vec<&Data> = s
                .data
                .iter()
                .filter(|d| matches!(d.role, Some(Role::Val | Role::Y | Role::Size)))
                .collect();
            data.sort_by_key(|d| d.role);
            for d in data {
                let header = if d.role == Some(Role::Size) {
                    format!("{name} (size)")
                } else {
                    name.clone()
                };
                columns.push((header, values(d)));
            }
        }
        let rows: BTreeSet<u32> = columns
            .iter()
            .flat_map(|(_, v)| v.keys().copied())
            .collect();
        let mut grid = vec![GridRow {
            row: 1,
            line: None,
            cells: columns.iter().map(|(h, _)| h.clone()).collect(),
        }];
        for (n, idx) in rows.iter().enumerate() {
            grid.push(GridRow {
                row: n as u32 + 2,
                line: None,
                cells: columns
                    .iter()
                    .map(|(_, v)| v.get(idx).map_or(String::new(), |t| t.to_string()))
                    .collect(),
            });
        }
        for mut t in builder.tables(&grid, Some(&chart.part), None) {
            t.member = Some(chart.part.clone());
            doc.tables.push(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The figures the reader makes of a generated fixture (tests/workbooks.rs).
    fn figures_of(name: &str) -> Vec<Figure> {
        crate::testutil::workbook_fixture(name).figures
    }

    /// The document the chart reader makes of a package of the given parts (no sheets).
    fn read_package(parts: &[(&str, Vec<u8>)]) -> Document {
        let parts: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (*n, &b[..])).collect();
        let bytes = crate::testutil::zip_of(&parts);
        let Ok((mut pkg, _)) = Package::open(std::io::Cursor::new(bytes)) else {
            panic!("the package opens");
        };
        crate::testutil::with_readers(|readers| {
            let builder = Builder {
                parser: readers.parser,
                lexicon: readers.lexicon,
                style: None,
            };
            let mut doc = Document::default();
            read_charts(&mut pkg, &[], &builder, &mut doc);
            doc
        })
    }

    fn unchecked_reasons(doc: &Document) -> Vec<String> {
        doc.facts
            .iter()
            .filter_map(|f| match &f.kind {
                crate::model::FactKind::Unchecked { why, .. } => Some(why.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn past_a_limit_a_chart_is_unchecked_and_what_was_read_is_kept() {
        let ser = r#"<c:ser><c:tx><c:v>s</c:v></c:tx><c:val><c:numLit><c:pt idx="0"><c:v>20</c:v></c:pt></c:numLit></c:val></c:ser>"#;
        let chart = format!(
            r#"<c:chartSpace xmlns:c="c"><c:chart><c:plotArea><c:barChart>{}</c:barChart></c:plotArea></c:chart></c:chartSpace>"#,
            ser.repeat(MAX_SERIES + 1)
        );
        let doc = read_package(&[("xl/charts/chart1.xml", chart.into_bytes())]);
        assert_eq!(
            unchecked_reasons(&doc),
            vec!["series past the first 1000 of the chart are not read"]
        );
        assert_eq!(doc.figures.len(), 1);
        assert_eq!(doc.figures[0].series.len(), MAX_SERIES);
        // Nested past the walk's depth: not read at all.
        let deep = format!(
            "<c:chartSpace>{}{}</c:chartSpace>",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        let doc = read_package(&[("xl/charts/chart1.xml", deep.into_bytes())]);
        assert_eq!(
            unchecked_reasons(&doc),
            vec!["its elements are nested too deeply"]
        );
        assert!(doc.figures.is_empty());
    }

    #[test]
    fn an_entity_declared_in_a_chart_is_never_expanded() {
        let chart = r#"<?xml version="1.0"?><!DOCTYPE c [<!ENTITY big "1,2,3,4,5,6,7,8">]><c:chartSpace xmlns:c="c"><c:chart><c:plotArea><c:barChart><c:ser><c:val><c:numLit><c:pt idx="0"><c:v>&big;</c:v></c:pt></c:numLit></c:val></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>"#;
        let doc = read_package(&[("xl/charts/chart1.xml", chart.as_bytes().to_vec())]);
        // The literal point is empty text, never the entity's value.
        assert!(doc
            .tables
            .iter()
            .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter()))
            .all(|c| !c.text.contains("1,2")));
    }

    #[test]
    fn references_are_followed_to_sheets_and_ranges() {
        let r = |r0, c0, r1, c1| Rect { r0, c0, r1, c1 };
        assert_eq!(
            target_of("Sheet1!$B$2:$B$400"),
            Target::Cells(vec![("Sheet1".into(), r(2, 2, 400, 2))])
        );
        assert_eq!(
            target_of("'Bob''s data'!$A$1"),
            Target::Cells(vec![("Bob's data".into(), r(1, 1, 1, 1))])
        );
        assert_eq!(
            target_of("(S!$A$1:$A$5,'T, U'!$C$1:$E$1)"),
            Target::Cells(vec![
                ("S".into(), r(1, 1, 5, 1)),
                ("T, U".into(), r(1, 3, 1, 5))
            ])
        );
        assert_eq!(target_of("[1]Sheet1!$A$1:$A$3"), Target::External);
        assert_eq!(target_of("'C:\\x\\[book.xlsx]S'!$A$1"), Target::External);
        assert_eq!(target_of("[0]!MyName"), Target::Unfollowed);
        assert_eq!(target_of("MyName"), Target::Unfollowed);
        assert_eq!(target_of("Sheet1!MyName"), Target::Unfollowed);
        assert_eq!(target_of(""), Target::Unfollowed);
        let names: Names = [
            (("months".into(), None), "Admissions!$A$4:$A$15".into()),
            (
                ("vals".into(), Some("admissions".into())),
                "Admissions!$B$4:$B$15".into(),
            ),
            (
                ("moving".into(), None),
                "OFFSET(Admissions!$B$4,0,0,12,1)".into(),
            ),
        ]
        .into_iter()
        .collect();
        let months = Target::Cells(vec![("Admissions".into(), r(4, 1, 15, 1))]);
        assert_eq!(target_in("[0]!Months", &names), months);
        assert_eq!(target_in("Months", &names), months);
        assert_eq!(
            target_in("Admissions!vals", &names),
            Target::Cells(vec![("Admissions".into(), r(4, 2, 15, 2))])
        );
        assert_eq!(target_in("Other!vals", &names), Target::Unfollowed);
        assert_eq!(target_in("[0]!Moving", &names), Target::Unfollowed);
        assert_eq!(target_in("[0]!Nothing", &names), Target::Unfollowed);
        assert_eq!(
            target_in("Sheet1!$A$1", &names),
            Target::Cells(vec![("Sheet1".into(), r(1, 1, 1, 1))])
        );
    }

    #[test]
    fn marks_follow_the_plot_and_the_series_settings() {
        let plot = |kind: &str, style: Option<&str>| Plot {
            kind: kind.into(),
            style: style.map(str::to_string),
            show_marker: None,
        };
        let ser = |no_line, marker| Ser {
            plot: 0,
            name: String::new(),
            no_line,
            marker,
            data: Vec::new(),
        };
        let scatter = plot("scatterChart", Some("lineMarker"));
        assert_eq!(mark_of(&scatter, &ser(true, None)), Mark::Point);
        assert_eq!(mark_of(&scatter, &ser(false, Some(false))), Mark::Line);
        assert_eq!(
            mark_of(&plot("scatterChart", Some("line")), &ser(false, None)),
            Mark::Line
        );
        let line = plot("lineChart", None);
        assert_eq!(mark_of(&line, &ser(false, None)), Mark::Line);
        assert_eq!(mark_of(&line, &ser(true, None)), Mark::Point);
        assert_eq!(mark_of(&line, &ser(true, Some(false))), Mark::Other);
        assert_eq!(
            mark_of(&plot("barChart", None), &ser(false, None)),
            Mark::Bar
        );
        assert_eq!(
            mark_of(&plot("bubbleChart", None), &ser(false, None)),
            Mark::Point
        );
    }

    #[test]
    fn error_values_of_a_number_cache_are_not_points() {
        let data = |role, values: &[&str]| Data {
            role: Some(role),
            numeric: true,
            formula: "S!$A$1:$A$9".into(),
            points: values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as u32, v.to_string()))
                .collect(),
            ..Data::default()
        };
        let chart = |x: &[&str], y: &[&str]| Chart {
            plots: vec![Plot {
                kind: "scatterChart".into(),
                style: Some("marker".into()),
                show_marker: None,
            }],
            series: vec![Ser {
                plot: 0,
                name: "s".into(),
                no_line: true,
                marker: None,
                data: vec![data(Role::X, x), data(Role::Y, y)],
            }],
            ..Chart::default()
        };
        let na = ["#N/A"; 31];
        let c = chart(&na, &na);
        assert_eq!(figure_series(&c, &c.series[0]), None);
        let c = chart(&["1.5", "#N/A", "2.25", "3"], &["4", "5", "#DIV/0!", "6.5"]);
        let s = figure_series(&c, &c.series[0]).expect("two points are drawn");
        assert_eq!((s.points, s.distinct, s.mark), (2, 2, Mark::Point));
    }

    #[test]
    fn a_scatter_of_points_counts_its_cached_points_at_scattered_positions() {
        let f = figures_of("chart_scatter_of_points.xlsx");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].source, "Excel chart");
        assert_eq!(
            f[0].location.member.as_deref(),
            Some("xl/charts/chart1.xml")
        );
        assert_eq!(f[0].location.sheet.as_deref(), Some("Points"));
        let s = &f[0].series;
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].mark, s[0].points, s[0].regular),
            (Mark::Point, 400, false)
        );
        assert_eq!(s[0].name, "Measurements");
    }

    #[test]
    fn monthly_bars_and_lines_are_aggregates_on_a_regular_grid() {
        let f = figures_of("chart_monthly_admissions.xlsx");
        assert_eq!(f.len(), 2, "{f:#?}");
        let marks: Vec<(Mark, u64, bool)> = f
            .iter()
            .map(|f| (f.series[0].mark, f.series[0].points, f.series[0].regular))
            .collect();
        assert_eq!(marks, vec![(Mark::Bar, 12, true), (Mark::Line, 12, true)]);
        assert_eq!(
            f[1].location.member.as_deref(),
            Some("xl/charts/chart2.xml")
        );
        assert!(f
            .iter()
            .all(|f| f.location.sheet.as_deref() == Some("Admissions")));
    }
}
