//! Chart data written into a page or a notebook as JSON: Plotly traces (plain arrays and base64
//! `bdata` typed arrays), Vega and Vega-Lite specs (Altair's `datasets`), Bokeh documents (their
//! buffers plain or gzip-compressed),
//! htmlwidgets (plotly, leaflet, highcharter, echarts4r), Highcharts and ECharts options. Each
//! trace, layer or series becomes a [`Series`] that counts its points and distinct positions and
//! says whether its positions lie on a regular grid; `embedded-data` decides what that means.
//! No data value is kept.

use std::collections::HashSet;

use base64::Engine as _;
use serde_json::Value;

use crate::model::{Figure, Location, Mark, Series};

/// Most values of one array that are looked at (a typed array decodes to at most this many).
pub const MAX_VALUES: usize = 2_000_000;
/// Most series taken from one chart.
const MAX_SERIES: usize = 1_000;
/// Nesting searched for chart objects inside a JSON document (widget state, Bokeh).
const MAX_DEPTH: usize = 24;

/// A position along an axis: a number, or a category's text hashed.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Pos {
    Num(f64),
    Cat(u64),
}

/// The values of one data array, read from plain JSON or a typed array.
fn positions(v: &Value) -> Option<Vec<Pos>> {
    match v {
        Value::Array(items) => Some(
            items
                .iter()
                .take(MAX_VALUES)
                .map(|x| match x {
                    Value::Number(n) => Pos::Num(n.as_f64().unwrap_or(0.0)),
                    Value::String(s) => text_position(s),
                    other => Pos::Cat(hash(&other.to_string())),
                })
                .collect(),
        ),
        Value::Object(o) => {
            // Plotly's typed arrays: `{"dtype": "f8", "bdata": "..."}`; Bokeh's
            // `{"__ndarray__": "...", "dtype": "float64"}` and
            // `{"type": "ndarray", "array": {"type": "bytes", "data": "..."}, "dtype": ...}`.
            let dtype = o.get("dtype").and_then(Value::as_str)?;
            let data = o
                .get("bdata")
                .or_else(|| o.get("__ndarray__"))
                .or_else(|| o.get("array").and_then(|a| a.get("data")))
                .and_then(Value::as_str);
            match data {
                Some(b64) => typed_array(dtype, b64),
                // Bokeh 3 writes small arrays as a plain list under `array`.
                None => o.get("array").and_then(positions),
            }
        }
        _ => None,
    }
}

/// The position of a value written as text: a finite number, else a category.
pub(crate) fn text_position(s: &str) -> Pos {
    match s.trim().parse::<f64>() {
        Ok(f) if f.is_finite() => Pos::Num(f),
        _ => Pos::Cat(hash(s)),
    }
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Decode a base64 typed array of a NumPy-like `dtype` (`f8`, `i4`, `float64`, `<u2` ...).
fn typed_array(dtype: &str, b64: &str) -> Option<Vec<Pos>> {
    let d = dtype.trim_start_matches(['<', '>', '|', '=']);
    let (kind, size) = match d {
        "f8" | "float64" => ('f', 8),
        "f4" | "float32" => ('f', 4),
        "i1" | "int8" => ('i', 1),
        "u1" | "uint8" => ('u', 1),
        "i2" | "int16" => ('i', 2),
        "u2" | "uint16" => ('u', 2),
        "i4" | "int32" => ('i', 4),
        "u4" | "uint32" => ('u', 4),
        "i8" | "int64" => ('i', 8),
        "u8" | "uint64" => ('u', 8),
        _ => return None,
    };
    if b64.len() / 4 * 3 / size > MAX_VALUES {
        return None;
    }
    let compact: Vec<u8> = b64.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    let bytes = inflated(bytes, MAX_VALUES * size)?;
    let big = dtype.starts_with('>');
    Some(
        bytes
            .chunks_exact(size)
            .map(|c| {
                let mut b = [0u8; 8];
                b[..size].copy_from_slice(c);
                if big {
                    b[..size].reverse();
                }
                let v = match (kind, size) {
                    ('f', 8) => f64::from_le_bytes(b),
                    ('f', _) => f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64,
                    ('i', 1) => b[0] as i8 as f64,
                    ('i', 2) => i16::from_le_bytes([b[0], b[1]]) as f64,
                    ('i', 4) => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64,
                    ('i', _) => i64::from_le_bytes(b) as f64,
                    _ => u64::from_le_bytes(b) as f64,
                };
                Pos::Num(v)
            })
            .collect(),
    )
}

/// The bytes of a typed array, inflated when they are compressed: Bokeh 3.8 and later write
/// large buffers gzip-compressed before base64 (`1f 8b`), some writers zlib (`78 01`, `78 9c`,
/// `78 da`). At most `limit` bytes are kept (the values past [`MAX_VALUES`] are not looked
/// at); bytes that do not inflate are read as they are.
fn inflated(bytes: Vec<u8>, limit: usize) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let gzip = bytes.starts_with(&[0x1f, 0x8b]);
    let zlib = matches!(bytes.get(..2), Some([0x78, 0x01 | 0x5e | 0x9c | 0xda]));
    if !gzip && !zlib {
        return Some(bytes);
    }
    let mut out = Vec::new();
    let read = if gzip {
        flate2::read::GzDecoder::new(&bytes[..])
            .take(limit as u64)
            .read_to_end(&mut out)
    } else {
        flate2::read::ZlibDecoder::new(&bytes[..])
            .take(limit as u64)
            .read_to_end(&mut out)
    };
    // Raw values may start with those bytes too: what does not inflate is read as it is.
    Some(if read.is_ok() { out } else { bytes })
}

/// Count a series from its horizontal and vertical positions (either may be missing: Plotly
/// draws `y` alone against its index).
pub(crate) fn series(
    name: &str,
    mark: Mark,
    xs: Option<&[Pos]>,
    ys: Option<&[Pos]>,
) -> Option<Series> {
    let n = xs.map_or(0, <[Pos]>::len).max(ys.map_or(0, <[Pos]>::len));
    if n == 0 {
        return None;
    }
    let key = |p: Option<&Pos>| match p {
        Some(Pos::Num(f)) => f.to_bits(),
        Some(Pos::Cat(h)) => *h ^ 0x9e37_79b9_7f4a_7c15,
        None => 0,
    };
    let distinct: HashSet<(u64, u64)> = (0..n)
        .map(|i| {
            (
                key(xs.and_then(|x| x.get(i))),
                key(ys.and_then(|y| y.get(i))),
            )
        })
        .collect();
    Some(Series {
        name: name.to_string(),
        mark,
        points: n as u64,
        distinct: distinct.len() as u64,
        regular: xs.is_none_or(regular),
        on_intervals: false,
    })
}

/// Positions on a regular grid: categories each drawn once, or numbers that are whole steps of
/// one spacing (months, years, ages in bands) with about one point per step. A cloud of points
/// at scattered positions, or many points stacked on each of a few positions, is not.
fn regular(xs: &[Pos]) -> bool {
    let mut nums: Vec<f64> = Vec::with_capacity(xs.len());
    let mut cats: HashSet<u64> = HashSet::new();
    for p in xs {
        match p {
            Pos::Num(f) if f.is_finite() => nums.push(*f),
            Pos::Num(_) => {}
            Pos::Cat(h) => {
                cats.insert(*h);
            }
        }
    }
    if !cats.is_empty() {
        return nums.is_empty() && cats.len() * 2 >= xs.len();
    }
    nums.sort_by(f64::total_cmp);
    nums.dedup();
    if nums.len() * 2 < xs.len() {
        return false;
    }
    if nums.len() < 3 {
        return true;
    }
    let step = nums
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    let span = nums[nums.len() - 1] - nums[0];
    if step <= 0.0 || span / step > 4.0 * nums.len() as f64 {
        return false;
    }
    nums.windows(2).all(|w| {
        let k = (w[1] - w[0]) / step;
        (k - k.round()).abs() < 1e-6 * k.max(1.0)
    })
}

/// A figure of the series found, when there are any.
fn figure(source: &str, location: &Location, series: Vec<Series>) -> Option<Figure> {
    (!series.is_empty()).then(|| Figure {
        location: location.clone(),
        source: source.to_string(),
        series,
    })
}

/// A series' name for messages: its own, else its chart type (`scatter`), so that a message
/// never shows a bare index that reads like a count.
fn name_of(v: &Value, kind: &str) -> String {
    match v.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.chars().take(80).collect(),
        _ => kind.to_string(),
    }
}

/// The chart in a notebook output of the given MIME type.
pub fn from_mime(mime: &str, value: &Value, location: &Location) -> Option<Figure> {
    if mime.starts_with("application/vnd.plotly") {
        let traces = value.get("data").and_then(Value::as_array)?;
        return plotly(traces, location);
    }
    if mime.starts_with("application/vnd.vegalite") {
        return figure("Vega-Lite chart", location, vega_lite(value, 0));
    }
    if mime.starts_with("application/vnd.vega.") {
        return figure("Vega chart", location, vega(value));
    }
    if mime.starts_with("application/vnd.bokehjs") {
        return bokeh(value, location);
    }
    None
}

/// A Plotly figure from its traces.
pub fn plotly(traces: &[Value], location: &Location) -> Option<Figure> {
    let series = traces
        .iter()
        .take(MAX_SERIES)
        .filter_map(plotly_trace)
        .collect();
    figure("Plotly chart", location, series)
}

fn plotly_trace(t: &Value) -> Option<Series> {
    let kind = t.get("type").and_then(Value::as_str).unwrap_or("scatter");
    let axis = |k: &str| t.get(k).and_then(positions);
    let (xs, ys) = match kind {
        "scattergeo" | "scattermapbox" | "scattermap" | "densitymapbox" | "densitymap" => {
            (axis("lon"), axis("lat"))
        }
        "scatterpolar" | "scatterpolargl" | "barpolar" => (axis("theta"), axis("r")),
        "scatterternary" => (axis("a"), axis("b")),
        "pie" | "funnelarea" => (axis("labels"), axis("values")),
        "sunburst" | "treemap" | "icicle" => (axis("labels"), axis("values")),
        _ => (axis("x"), axis("y")),
    };
    let n = xs
        .as_ref()
        .map_or(0, Vec::len)
        .max(ys.as_ref().map_or(0, Vec::len));
    let mode = t.get("mode").and_then(Value::as_str);
    let mark = match kind {
        "scatter" | "scattergl" | "scattergeo" | "scattermapbox" | "scattermap"
        | "scatterpolar" | "scatterpolargl" | "scatter3d" | "scatterternary" | "splom" => {
            match mode {
                Some(m) if m.contains("markers") || m.contains("text") => Mark::Point,
                Some(_) => Mark::Line,
                // Plotly draws markers on a trace without a mode when it has under 20 points.
                None if n < 20 => Mark::Point,
                None => Mark::Line,
            }
        }
        // A histogram, box or violin trace carries every value it summarises: each is a datum.
        "histogram" | "histogram2d" | "histogram2dcontour" | "box" | "violin" | "strip" => {
            Mark::Point
        }
        "densitymapbox" | "densitymap" => Mark::Point,
        "bar" | "funnel" | "waterfall" | "pie" | "funnelarea" | "barpolar" | "sunburst"
        | "treemap" | "icicle" => Mark::Bar,
        "heatmap" | "heatmapgl" | "contour" | "choropleth" | "choroplethmapbox"
        | "choroplethmap" | "surface" => Mark::Cell,
        _ => Mark::Other,
    };
    series(&name_of(t, kind), mark, xs.as_deref(), ys.as_deref())
}

/// The Vega-Lite layers of a spec (and of its `layer`, `concat`, `facet` parts): each mark over
/// its data, inline `data.values` or a named dataset of `datasets` (Altair).
fn vega_lite(spec: &Value, depth: usize) -> Vec<Series> {
    let mut out = Vec::new();
    if depth > MAX_DEPTH {
        return out;
    }
    let datasets = spec.get("datasets");
    vega_lite_into(spec, spec.get("data"), datasets, depth, &mut out);
    out
}

fn vega_lite_into(
    spec: &Value,
    inherited: Option<&Value>,
    datasets: Option<&Value>,
    depth: usize,
    out: &mut Vec<Series>,
) {
    if depth > MAX_DEPTH || out.len() >= MAX_SERIES {
        return;
    }
    let data = spec.get("data").or(inherited);
    for key in ["layer", "hconcat", "vconcat", "concat"] {
        if let Some(parts) = spec.get(key).and_then(Value::as_array) {
            for p in parts {
                vega_lite_into(p, data, datasets, depth + 1, out);
            }
        }
    }
    if let Some(inner) = spec.get("spec") {
        vega_lite_into(inner, data, datasets, depth + 1, out);
    }
    let Some(mark) = spec.get("mark") else {
        return;
    };
    let mark_type = mark
        .as_str()
        .or_else(|| mark.get("type").and_then(Value::as_str))
        .unwrap_or("");
    let Some(records) = data.and_then(|d| records(d, datasets)) else {
        return;
    };
    let enc = spec.get("encoding");
    let field = |ch: &str| {
        enc.and_then(|e| e.get(ch))
            .and_then(|c| c.get("field"))
            .and_then(Value::as_str)
    };
    let aggregated = enc
        .and_then(Value::as_object)
        .is_some_and(|e| e.values().any(|c| c.get("aggregate").is_some()));
    let column = |f: Option<&str>| {
        f.map(|f| {
            records
                .iter()
                .map(|r| r.get(f).cloned().unwrap_or(Value::Null))
                .collect::<Vec<_>>()
        })
        .and_then(|v| positions(&Value::Array(v)))
    };
    let xs = column(field("x").or(field("longitude")));
    let ys = column(field("y").or(field("latitude")));
    // Marks drawn from an aggregate of the records still carry the records: each is a datum.
    let m = match mark_type {
        _ if aggregated => Mark::Point,
        "point" | "circle" | "square" | "tick" | "text" => Mark::Point,
        "line" | "trail" | "rule" => Mark::Line,
        "bar" | "area" | "arc" => Mark::Bar,
        "rect" | "geoshape" => Mark::Cell,
        _ => Mark::Other,
    };
    let name = spec
        .get("name")
        .or_else(|| data.and_then(|d| d.get("name")))
        .and_then(Value::as_str)
        .unwrap_or(mark_type);
    let ph = vec![Pos::Cat(0); records.len()];
    let ys = ys.or_else(|| xs.is_none().then_some(ph));
    if let Some(s) = series(name, m, xs.as_deref(), ys.as_deref()) {
        out.push(s);
    }
}

/// The records of a Vega-Lite data object: its `values`, or the named dataset.
fn records<'v>(data: &'v Value, datasets: Option<&'v Value>) -> Option<&'v Vec<Value>> {
    if let Some(v) = data.get("values").and_then(Value::as_array) {
        return Some(v);
    }
    let name = data.get("name").and_then(Value::as_str)?;
    datasets?.get(name)?.as_array()
}

/// A Vega spec: each inline data set, drawn by the marks that read it.
fn vega(spec: &Value) -> Vec<Series> {
    let mut marks: Vec<(String, Mark)> = Vec::new();
    collect_vega_marks(spec, 0, &mut marks);
    let Some(data) = spec.get("data").and_then(Value::as_array) else {
        return Vec::new();
    };
    data.iter()
        .take(MAX_SERIES)
        .filter_map(|d| {
            let name = d.get("name").and_then(Value::as_str).unwrap_or("data");
            let values = d.get("values").and_then(Value::as_array)?;
            let mark = marks
                .iter()
                .find(|(n, _)| n == name)
                .map_or(Mark::Other, |(_, m)| *m);
            let ph = vec![Pos::Cat(0); values.len()];
            series(name, mark, None, Some(&ph)).map(|mut s| {
                s.regular = false;
                s.distinct = values
                    .iter()
                    .map(|v| hash(&v.to_string()))
                    .collect::<HashSet<_>>()
                    .len() as u64;
                s
            })
        })
        .collect()
}

fn collect_vega_marks(spec: &Value, depth: usize, out: &mut Vec<(String, Mark)>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(marks) = spec.get("marks").and_then(Value::as_array) else {
        return;
    };
    for m in marks {
        let ty = m.get("type").and_then(Value::as_str).unwrap_or("");
        if let Some(from) = m.pointer("/from/data").and_then(Value::as_str) {
            let mark = match ty {
                "symbol" | "text" => Mark::Point,
                "line" | "rule" | "trail" => Mark::Line,
                "rect" | "area" | "arc" => Mark::Bar,
                _ => Mark::Other,
            };
            out.push((from.to_string(), mark));
        }
        collect_vega_marks(m, depth + 1, out);
    }
}

/// A Bokeh document (`docs_json`, or one document of it): every column data source, drawn by
/// the glyph of the renderer that reads it.
pub fn bokeh(doc: &Value, location: &Location) -> Option<Figure> {
    let mut glyphs: Vec<(String, Mark)> = Vec::new();
    let mut sources: Vec<(String, &Value)> = Vec::new();
    walk_bokeh(doc, 0, &mut glyphs, &mut sources);
    let series = sources
        .iter()
        .take(MAX_SERIES)
        .enumerate()
        .filter_map(|(i, (id, data))| {
            let mark = glyphs
                .iter()
                .find(|(g, _)| g == id)
                .map_or(Mark::Other, |(_, m)| *m);
            let col = |k: &str| bokeh_column(data, k);
            let xs = col("x").or_else(|| col("lon")).or_else(|| col("left"));
            let ys = col("y").or_else(|| col("lat")).or_else(|| col("top"));
            series(
                &format!("source {}", i + 1),
                mark,
                xs.as_deref(),
                ys.as_deref(),
            )
        })
        .collect();
    figure("Bokeh chart", location, series)
}

/// A column of a Bokeh data source, as Bokeh 2 (`{"x": [...]}`) or 3 (`{"type": "map",
/// "entries": [["x", ...]]}`) writes it.
fn bokeh_column(data: &Value, key: &str) -> Option<Vec<Pos>> {
    if let Some(entries) = data.get("entries").and_then(Value::as_array) {
        let v = entries.iter().find_map(|e| {
            let pair = e.as_array()?;
            (pair.first()?.as_str()? == key).then(|| pair.get(1))?
        })?;
        return positions(v);
    }
    positions(data.get(key)?)
}

fn bokeh_type(v: &Value) -> Option<&str> {
    match v.get("type").and_then(Value::as_str) {
        // Bokeh 3: `{"type": "object", "name": "ColumnDataSource"}`.
        Some("object") => v.get("name").and_then(Value::as_str),
        other => other,
    }
}

fn walk_bokeh<'v>(
    v: &'v Value,
    depth: usize,
    glyphs: &mut Vec<(String, Mark)>,
    sources: &mut Vec<(String, &'v Value)>,
) {
    if depth > MAX_DEPTH || sources.len() > MAX_SERIES {
        return;
    }
    match v {
        Value::Array(items) => {
            for i in items {
                walk_bokeh(i, depth + 1, glyphs, sources);
            }
        }
        Value::Object(o) => {
            let attrs = o.get("attributes");
            match bokeh_type(v) {
                Some("ColumnDataSource") => {
                    let id = o.get("id").map(Value::to_string).unwrap_or_default();
                    if let Some(data) = attrs.and_then(|a| a.get("data")) {
                        sources.push((id, data));
                    }
                }
                Some("GlyphRenderer") => {
                    let a = attrs;
                    let src = a
                        .and_then(|a| a.get("data_source"))
                        .and_then(|s| s.get("id"))
                        .map(Value::to_string);
                    let glyph = a.and_then(|a| a.get("glyph"));
                    let mark = match glyph.and_then(bokeh_type).unwrap_or("") {
                        "Circle" | "Scatter" | "Square" | "Triangle" | "Diamond" | "X"
                        | "Cross" | "Asterisk" | "Dot" | "Hex" | "CircleX" => Mark::Point,
                        "Line" | "MultiLine" | "Step" => Mark::Line,
                        "VBar" | "HBar" | "Quad" | "Wedge" | "AnnularWedge" | "VArea" | "HArea"
                        | "Patch" => Mark::Bar,
                        "Rect" | "Image" | "HexTile" => Mark::Cell,
                        _ => Mark::Other,
                    };
                    if let Some(src) = src {
                        glyphs.push((src, mark));
                    }
                }
                _ => {}
            }
            for x in o.values() {
                walk_bokeh(x, depth + 1, glyphs, sources);
            }
        }
        _ => {}
    }
}

/// A saved Jupyter widget's model: a Plotly `FigureWidget` keeps its traces in `_data`.
pub fn from_widget(model: &Value, location: &Location) -> Option<Figure> {
    let state = model.get("state")?;
    if let Some(traces) = state.get("_data").and_then(Value::as_array) {
        return plotly(traces, location);
    }
    None
}

/// An htmlwidget's data (`<script type="application/json" data-for=...>`): `{"x": ...}` of a
/// plotly, leaflet, highcharter or echarts4r widget. DT tables are read as tables elsewhere.
pub fn htmlwidget(widget: &Value, location: &Location) -> Option<Figure> {
    let x = widget.get("x")?;
    if let Some(traces) = x.get("data").and_then(Value::as_array) {
        if x.get("layout").is_some() || x.get("config").is_some() {
            return plotly(traces, location);
        }
    }
    if let Some(calls) = x.get("calls").and_then(Value::as_array) {
        return figure("Leaflet map", location, leaflet(calls));
    }
    if let Some(opts) = x.get("hc_opts") {
        return highcharts(opts, location);
    }
    if let Some(opts) = x.get("opts").filter(|o| o.get("series").is_some()) {
        return echarts(opts, location);
    }
    None
}

/// Leaflet's markers: `addMarkers`, `addCircleMarkers` and `addCircles` calls with their
/// latitudes and longitudes.
fn leaflet(calls: &[Value]) -> Vec<Series> {
    calls
        .iter()
        .take(MAX_SERIES)
        .filter_map(|c| {
            let method = c.get("method").and_then(Value::as_str)?;
            let mark = match method {
                "addMarkers"
                | "addCircleMarkers"
                | "addCircles"
                | "addAwesomeMarkers"
                | "addLabelOnlyMarkers" => Mark::Point,
                "addHeatmap" => Mark::Point,
                "addPolylines" => Mark::Line,
                "addPolygons" | "addRectangles" => Mark::Cell,
                _ => return None,
            };
            let args = c.get("args").and_then(Value::as_array)?;
            let lat = args.first().and_then(positions);
            let lng = args.get(1).and_then(positions);
            series(method, mark, lng.as_deref(), lat.as_deref())
        })
        .collect()
}

/// Highcharts options: each series of `series`, its points as `[x, y]` pairs, objects or
/// values.
pub fn highcharts(opts: &Value, location: &Location) -> Option<Figure> {
    let default = opts
        .pointer("/chart/type")
        .and_then(Value::as_str)
        .unwrap_or("line");
    let list = opts.get("series").and_then(Value::as_array)?;
    let series = list
        .iter()
        .take(MAX_SERIES)
        .filter_map(|s| {
            let ty = s.get("type").and_then(Value::as_str).unwrap_or(default);
            let mark = chart_mark(ty);
            pairs_series(&name_of(s, ty), mark, s.get("data")?)
        })
        .collect();
    figure("Highcharts chart", location, series)
}

/// ECharts options: each series of `series` (an object or a list), its `data` as in Highcharts.
pub fn echarts(opts: &Value, location: &Location) -> Option<Figure> {
    let list: Vec<&Value> = match opts.get("series")? {
        Value::Array(a) => a.iter().collect(),
        o @ Value::Object(_) => vec![o],
        _ => return None,
    };
    let series = list
        .into_iter()
        .take(MAX_SERIES)
        .filter_map(|s| {
            let ty = s.get("type").and_then(Value::as_str).unwrap_or("line");
            pairs_series(&name_of(s, ty), chart_mark(ty), s.get("data")?)
        })
        .collect();
    figure("ECharts chart", location, series)
}

fn chart_mark(ty: &str) -> Mark {
    match ty {
        "scatter" | "effectScatter" | "bubble" | "boxplot" => Mark::Point,
        "line" | "spline" | "area" | "areaspline" | "step" => Mark::Line,
        "bar" | "column" | "pie" | "funnel" => Mark::Bar,
        "heatmap" | "treemap" | "map" => Mark::Cell,
        _ => Mark::Other,
    }
}

/// A series whose data are values, `[x, y]` pairs or `{x, y}` / `{value: [x, y]}` objects.
fn pairs_series(name: &str, mark: Mark, data: &Value) -> Option<Series> {
    let items = data.as_array()?;
    let mut xs: Vec<Value> = Vec::with_capacity(items.len().min(MAX_VALUES));
    let mut ys: Vec<Value> = Vec::with_capacity(items.len().min(MAX_VALUES));
    let mut indexed = true;
    for it in items.iter().take(MAX_VALUES) {
        let it = it.get("value").unwrap_or(it);
        match it {
            Value::Array(p) if p.len() >= 2 => {
                indexed = false;
                xs.push(p[0].clone());
                ys.push(p[1].clone());
            }
            Value::Object(o) => {
                if let Some(x) = o.get("x") {
                    indexed = false;
                    xs.push(x.clone());
                }
                ys.push(o.get("y").cloned().unwrap_or(Value::Null));
            }
            other => ys.push(other.clone()),
        }
    }
    let xs = (!indexed).then(|| positions(&Value::Array(xs))).flatten();
    let ys = positions(&Value::Array(ys));
    series(name, mark, xs.as_deref(), ys.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_arrays_decode() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(
            [1.5f64, 2.5, 3.5]
                .iter()
                .flat_map(|f| f.to_le_bytes())
                .collect::<Vec<u8>>(),
        );
        let p = positions(&json!({"dtype": "f8", "bdata": b64})).unwrap();
        assert_eq!(p.len(), 3);
        assert!(matches!(p[1], Pos::Num(f) if f == 2.5));
        assert!(positions(&json!({"dtype": "f8", "bdata": "!!"})).is_none());
    }

    #[test]
    fn compressed_typed_arrays_are_inflated_and_other_bytes_read_as_they_are() {
        use std::io::Write as _;
        let raw: Vec<u8> = [0.5f64, 7.25, 9.0, 11.5]
            .iter()
            .flat_map(|f| f.to_le_bytes())
            .collect();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&raw).unwrap();
        let zlib = z.finish().unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&zlib);
        let p = positions(&json!({"dtype": "float64", "__ndarray__": b64})).unwrap();
        assert_eq!(p.len(), 4);
        assert!(matches!(p[1], Pos::Num(f) if f == 7.25));
        let cut = &zlib[..16];
        let b64 = base64::engine::general_purpose::STANDARD.encode(cut);
        let p = positions(&json!({"dtype": "float64", "__ndarray__": b64})).unwrap();
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn grids_and_clouds() {
        let months: Vec<Pos> = (0..36).map(|i| Pos::Num(i as f64)).collect();
        assert!(regular(&months));
        let cloud: Vec<Pos> = (0..200)
            .map(|i| Pos::Num(((i * 7919) % 1000) as f64 / 7.3 + (i as f64).sqrt()))
            .collect();
        assert!(!regular(&cloud));
        let stacked: Vec<Pos> = (0..200).map(|i| Pos::Num((i % 10) as f64)).collect();
        assert!(!regular(&stacked));
    }

    #[test]
    fn plotly_marks() {
        let loc = Location::default();
        let traces = vec![
            json!({"type": "scatter", "mode": "markers", "x": [1.1, 2.7, 0.3], "y": [4, 5, 6]}),
            json!({"type": "bar", "x": ["a", "b"], "y": [10, 20]}),
        ];
        let f = plotly(&traces, &loc).unwrap();
        assert_eq!(f.series[0].mark, Mark::Point);
        assert_eq!(f.series[0].points, 3);
        assert_eq!(f.series[1].mark, Mark::Bar);
        assert!(f.series[1].regular);
    }
}
