//! Chart data in a page's scripts.
//!
//! - JSON scripts (`<script type="application/json">`): htmlwidgets (`data-for`, an R widget's
//!   `{"x": ...}`; a DT data table is a table), Bokeh documents, Vega and Plotly specs.
//! - JavaScript: the literal arguments of `Plotly.newPlot` / `react` / `plot`, Vega specs given
//!   to `vegaEmbed` (Altair writes `var spec = {...}`), `Highcharts.chart` and ECharts'
//!   `setOption` options, Bokeh's `docs_json`. An argument that is not a literal (a variable, a
//!   call) is code, not data, and is passed by; Highcharts and ECharts options written as
//!   JavaScript rather than JSON cannot be read, which a fact says, unless the script is a
//!   library (larger than [`LIBRARY_BYTES`]), whose code names these calls without data.

use scraper::ElementRef;
use serde_json::Value;

use super::charts;
use super::table::{Grid, MAX_COLS, MAX_ROWS};
use super::Page;
use crate::model::{Fact, FactKind, Location};
use crate::table::grid::GridRow;

/// A script at least this large is taken for a library (plotly.js, echarts.min.js).
const LIBRARY_BYTES: usize = 256 * 1024;
/// Most calls looked at in one script.
const MAX_CALLS: usize = 200;

/// Read one `<script>` element's chart data into the page.
pub fn script(el: ElementRef<'_>, body: &str, page: &mut Page) {
    let ty = el.attr("type").unwrap_or("").trim().to_ascii_lowercase();
    if ty == "application/json" || ty.ends_with("+json") {
        json_script(el, body, page);
    } else if ty.is_empty() || ty.contains("javascript") || ty == "module" {
        javascript(body, page);
    }
}

fn unchecked(page: &mut Page, part: &str, why: &str) {
    page.facts.push(Fact::whole(FactKind::Unchecked {
        part: part.to_string(),
        why: why.to_string(),
    }));
}

fn json_script(el: ElementRef<'_>, body: &str, page: &mut Page) {
    let widget = el.attr("data-for").is_some();
    let value: Value = match serde_json::from_str(body.trim()) {
        Ok(v) => v,
        Err(_) => {
            if widget {
                unchecked(page, "an htmlwidget", "its data are not valid JSON");
            }
            return;
        }
    };
    let loc = Location::default();
    if widget {
        if let Some(grid) = dt_table(&value) {
            page.tables.push(grid);
        } else if let Some(f) = charts::htmlwidget(&value, &loc) {
            page.figures.push(f);
        } else if !inert_widget(&value) {
            unchecked(page, "an htmlwidget", "this kind of widget is not read");
        }
        return;
    }
    let text_has = |s: &str| body.contains(s);
    let figure = if text_has("ColumnDataSource") {
        charts::bokeh(&value, &loc)
    } else if value.get("$schema").is_some() || value.get("mark").is_some() {
        charts::from_mime(vega_kind(&value), &value, &loc)
    } else if let (Some(Value::Array(traces)), Some(_)) = (value.get("data"), value.get("layout")) {
        charts::plotly(traces, &loc)
    } else {
        None
    };
    page.figures.extend(figure);
}

/// A widget whose data hold no series or rows: nothing to read in it.
fn inert_widget(value: &Value) -> bool {
    fn longest(v: &Value, depth: usize) -> usize {
        if depth > 16 {
            return usize::MAX;
        }
        match v {
            Value::Array(a) => a
                .iter()
                .map(|x| longest(x, depth + 1))
                .max()
                .unwrap_or(0)
                .max(a.len()),
            Value::Object(o) => o.values().map(|x| longest(x, depth + 1)).max().unwrap_or(0),
            _ => 0,
        }
    }
    longest(value, 0) < 3
}

/// The MIME-like kind of a Vega spec, from its `$schema`.
fn vega_kind(spec: &Value) -> &'static str {
    let schema = spec.get("$schema").and_then(Value::as_str).unwrap_or("");
    if schema.contains("vega-lite") || spec.get("mark").is_some() {
        "application/vnd.vegalite.v5+json"
    } else {
        "application/vnd.vega.v5+json"
    }
}

/// A DT data table widget (`DT::datatable`): its header from the `container` markup, its rows
/// from `data`, which DT writes column by column.
fn dt_table(widget: &Value) -> Option<Grid> {
    let x = widget.get("x")?;
    let container = x.get("container")?.as_str()?;
    let data = x.get("data")?.as_array()?;
    if !container.contains("<table") {
        return None;
    }
    let head = super::extract(container);
    let header: Vec<GridRow> = head
        .tables
        .into_iter()
        .next()
        .map(|g| g.rows)
        .unwrap_or_default();
    let width = header.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let cols: Vec<&Vec<Value>> = data.iter().filter_map(Value::as_array).collect();
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let mut grid = Grid {
        header_rows: header.len(),
        rows: header,
        truncated: false,
    };
    // Row by row when the header says each inner list is a row.
    let by_rows = width > 0 && cols.len() != width && cols.iter().all(|c| c.len() == width);
    let (n_rows, n_cols) = if by_rows {
        (cols.len(), width)
    } else {
        (cols.iter().map(|c| c.len()).max().unwrap_or(0), cols.len())
    };
    if n_rows > MAX_ROWS || n_cols > MAX_COLS {
        grid.truncated = true;
    }
    for r in 0..n_rows.min(MAX_ROWS) {
        let cells = (0..n_cols.min(MAX_COLS))
            .map(|c| {
                let v = if by_rows {
                    cols.get(r).and_then(|row| row.get(c))
                } else {
                    cols.get(c).and_then(|col| col.get(r))
                };
                v.map(text).unwrap_or_default()
            })
            .collect();
        grid.rows.push(GridRow {
            row: grid.rows.len() as u32 + 1,
            line: None,
            cells,
        });
    }
    Some(grid)
}

/// The JSON value that starts at byte `pos` of `s`, if one does.
fn json_at(s: &str, pos: usize) -> Option<Value> {
    let rest = s.get(pos..)?;
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
    values.next()?.ok()
}

/// The position of the `n`th (0-based) argument of the call whose `(` is just before `pos`,
/// when the arguments before it are string literals or plain names.
fn argument(s: &str, mut pos: usize, n: usize) -> Option<usize> {
    let b = s.as_bytes();
    let skip_ws = |p: &mut usize| {
        while b.get(*p).is_some_and(u8::is_ascii_whitespace) {
            *p += 1;
        }
    };
    for _ in 0..n {
        skip_ws(&mut pos);
        match b.get(pos)? {
            q @ (b'"' | b'\'' | b'`') => {
                let q = *q;
                pos += 1;
                while *b.get(pos)? != q {
                    pos += if b[pos] == b'\\' { 2 } else { 1 };
                }
                pos += 1;
            }
            _ => {
                while b
                    .get(pos)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.'))
                {
                    pos += 1;
                }
            }
        }
        skip_ws(&mut pos);
        if *b.get(pos)? != b',' {
            return None;
        }
        pos += 1;
    }
    skip_ws(&mut pos);
    Some(pos)
}

/// Byte positions just after each occurrence of `pat` in `s`, at most [`MAX_CALLS`].
fn after<'s>(s: &'s str, pat: &'s str) -> impl Iterator<Item = usize> + 's {
    s.match_indices(pat)
        .take(MAX_CALLS)
        .map(move |(i, _)| i + pat.len())
}

fn javascript(body: &str, page: &mut Page) {
    let library = body.len() >= LIBRARY_BYTES;
    let loc = Location::default();
    for call in ["Plotly.newPlot(", "Plotly.react(", "Plotly.plot("] {
        for p in after(body, call) {
            let Some(arg) = argument(body, p, 1) else {
                continue;
            };
            let traces = match json_at(body, arg) {
                Some(Value::Array(t)) => t,
                Some(Value::Object(o)) => match o.get("data") {
                    Some(Value::Array(t)) => t.clone(),
                    _ => continue,
                },
                _ => continue,
            };
            page.figures.extend(charts::plotly(&traces, &loc));
        }
    }
    let mut vega = false;
    for pat in ["var spec = ", "const spec = ", "let spec = "] {
        for p in after(body, pat) {
            if let Some(spec) = json_at(body, p).filter(|v| v.is_object()) {
                vega = true;
                page.figures
                    .extend(charts::from_mime(vega_kind(&spec), &spec, &loc));
            }
        }
    }
    if !vega {
        for p in after(body, "vegaEmbed(") {
            if let Some(spec) = argument(body, p, 1).and_then(|a| json_at(body, a)) {
                page.figures
                    .extend(charts::from_mime(vega_kind(&spec), &spec, &loc));
            }
        }
    }
    for p in after(body, "docs_json = ") {
        if let Some(doc) = json_at(body, p).filter(Value::is_object) {
            page.figures.extend(charts::bokeh(&doc, &loc));
        }
    }
    options_calls(body, library, page);
}

/// Highcharts and ECharts options given as object literals.
fn options_calls(body: &str, library: bool, page: &mut Page) {
    let loc = Location::default();
    let calls: [(&str, &str); 5] = [
        ("Highcharts.chart(", "a Highcharts chart"),
        ("Highcharts.stockChart(", "a Highcharts chart"),
        ("Highcharts.mapChart(", "a Highcharts chart"),
        ("new Highcharts.Chart(", "a Highcharts chart"),
        (".setOption(", "an ECharts chart"),
    ];
    for (call, part) in calls {
        for p in after(body, call) {
            let first = argument(body, p, 0);
            let arg = match first {
                Some(a) if body.as_bytes().get(a) == Some(&b'{') => Some(a),
                _ => argument(body, p, 1).filter(|a| body.as_bytes().get(*a) == Some(&b'{')),
            };
            let Some(arg) = arg else {
                continue;
            };
            match json_at(body, arg) {
                Some(opts) if part.contains("ECharts") => {
                    page.figures.extend(charts::echarts(&opts, &loc));
                }
                Some(opts) => page.figures.extend(charts::highcharts(&opts, &loc)),
                None if !library => {
                    unchecked(page, part, "its options are JavaScript, not JSON");
                }
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_arguments() {
        let s = r#"Plotly.newPlot("id", [{"x": [1]}], {})"#;
        let p = after(s, "Plotly.newPlot(").next().unwrap();
        let a = argument(s, p, 1).unwrap();
        assert!(matches!(json_at(s, a), Some(Value::Array(_))));
        assert_eq!(argument("f(x + 1, y)", 2, 1), None);
        assert_eq!(argument("f('unterminated", 2, 1), None);
    }
}
