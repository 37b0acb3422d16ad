//! HTML pages under `fixtures/cases/html/`, built by the generators below and checked through
//! the whole pipeline: a table with a small count fails at its cell, a Plotly scatter written as
//! base64 typed arrays is `embedded-data`, a Plotly bar chart of monthly totals passes, a DT data
//! table of person rows is read as a table, a `data:` image is checked as a file. Regenerate
//! with `EXPORT_CHECK_REGENERATE=1 cargo test --test html`.

mod common;

use base64::Engine as _;
use export_check::finding::{Severity, Verdict};
use export_check::ident::generate::Rng;
use export_check::report::Report;
use serde_json::json;

fn page(title: &str, head: &str, body: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n{head}\
         </head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    .into_bytes()
}

/// An R Markdown report whose table of cases by region has a count of 3.
fn small_count() -> Vec<u8> {
    let mut body = String::from(
        "<h1>Cases by region</h1>\n<p>Cases notified in 2023, by region of residence.</p>\n\
         <table class=\"table\">\n<thead>\n<tr><th>Region</th><th>Cases</th></tr>\n</thead>\n<tbody>\n",
    );
    for (region, n) in [("North", 120), ("South", 3), ("East", 45), ("West", 88)] {
        body.push_str(&format!("<tr><td>{region}</td><td>{n}</td></tr>\n"));
    }
    body.push_str("</tbody>\n</table>\n<p>Source: synthetic register.</p>");
    page(
        "Cases by region",
        "<style>td { padding: 2px; }</style>\n",
        &body,
    )
}

fn f8(values: &[f64]) -> serde_json::Value {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    json!({"dtype": "f8", "bdata": base64::engine::general_purpose::STANDARD.encode(bytes)})
}

/// A Plotly page as `plotly.io.write_html` writes it: the traces given to `Plotly.newPlot`.
fn plotly_page(traces: serde_json::Value) -> Vec<u8> {
    let body = format!(
        "<div>\n<script type=\"text/javascript\">window.PlotlyConfig = {{MathJaxConfig: 'local'}};</script>\n\
         <div id=\"f0a1\" class=\"plotly-graph-div\" style=\"height:100%; width:100%;\"></div>\n\
         <script type=\"text/javascript\">\n\
         window.PLOTLYENV=window.PLOTLYENV || {{}};\n\
         if (document.getElementById(\"f0a1\")) {{\n\
         Plotly.newPlot(\n\"f0a1\",\n{},\n{{\"template\": {{}}}},\n{{\"responsive\": true}}\n)\n}};\n\
         </script>\n</div>",
        traces
    );
    page("Figure", "", &body)
}

/// A scatter of 200 individuals, its coordinates as base64 typed arrays (`bdata`).
fn plotly_bdata() -> Vec<u8> {
    let mut rng = Rng::new(5);
    let x: Vec<f64> = (0..200)
        .map(|_| 18.0 + rng.below(7000) as f64 / 100.0)
        .collect();
    let y: Vec<f64> = (0..200)
        .map(|_| 90.0 + rng.below(9000) as f64 / 100.0)
        .collect();
    plotly_page(json!([{
        "type": "scatter", "mode": "markers", "name": "",
        "x": f8(&x), "y": f8(&y),
        "hovertemplate": "age=%{x}<br>sbp=%{y}<extra></extra>"
    }]))
}

/// A bar chart of 12 monthly totals.
fn plotly_bar() -> Vec<u8> {
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let totals = [
        2901, 2820, 3242, 3205, 3262, 3740, 4216, 4213, 3629, 3199, 2794, 3142,
    ];
    plotly_page(json!([{"type": "bar", "name": "admissions", "x": months, "y": totals}]))
}

/// An R Markdown page with a `DT::datatable` of person rows (an htmlwidget).
fn dt_person_rows() -> Vec<u8> {
    let mut rng = Rng::new(23);
    let n = 8;
    let index: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    let ids: Vec<String> = (0..n)
        .map(|_| format!("P{:07}", 1_000_000 + rng.below(8_000_000)))
        .collect();
    let ages: Vec<u64> = (0..n).map(|_| 20 + rng.below(70)).collect();
    let sex: Vec<&str> = (0..n)
        .map(|_| if rng.below(2) == 0 { "F" } else { "M" })
        .collect();
    let dates: Vec<String> = (0..n)
        .map(|_| format!("2021-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)))
        .collect();
    let widget = json!({
        "x": {
            "filter": "none",
            "vertical": false,
            "data": [index, ids, ages, sex, dates],
            "container": "<table class=\"display\">\n  <thead>\n    <tr>\n      <th> </th>\n      \
                          <th>patient_id</th>\n      <th>age</th>\n      <th>sex</th>\n      \
                          <th>admission_date</th>\n    </tr>\n  </thead>\n</table>",
            "options": {"columnDefs": [{"className": "dt-right", "targets": 2}], "order": []}
        },
        "evals": [],
        "jsHooks": []
    });
    let body = format!(
        "<h2>Admissions</h2>\n\
         <div class=\"datatables html-widget html-fill-item\" id=\"htmlwidget-7c1e\" \
         style=\"width:100%;height:auto;\"></div>\n\
         <script type=\"application/json\" data-for=\"htmlwidget-7c1e\">{widget}</script>"
    );
    page("Admissions", "", &body)
}

/// A page with a figure embedded as a `data:` PNG (a bare PNG signature and header).
fn data_image() -> Vec<u8> {
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    png.extend_from_slice(&[
        0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 0,
    ]);
    png.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'I', b'E', b'N', b'D']);
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    page(
        "Figure 1",
        "",
        &format!("<p>Figure 1</p>\n<img alt=\"fig\" src=\"data:image/png;base64,{b64}\">"),
    )
}

/// A fixture: its path under `fixtures/` and its generator.
/// A report whose author commented out an earlier table: the browser shows the safe table,
/// the comment still carries a count of 2.
fn commented_out_table() -> Vec<u8> {
    let body = "<!-- Generated by a synthetic knitr run -->\n<h1>Admissions by region</h1>\n\
         <table>\n<tr><th>Region</th><th>Admissions</th></tr>\n\
         <tr><td>North and East</td><td>167</td></tr>\n<tr><td>South and West</td><td>133</td></tr>\n\
         </table>\n<!--\nRegion   Admissions\nNorth         120\nEast           47\nSouth          2\nWest         131\n-->";
    page("Admissions by region", "", body)
}

/// A page whose only comments are a generator's notes: nothing hidden worth a look.
fn generator_comments() -> Vec<u8> {
    let body =
        "<!-- Generated by pkgdown: do not edit by hand -->\n<h1>Admissions by region</h1>\n\
         <table>\n<tr><th>Region</th><th>Admissions</th></tr>\n\
         <tr><td>North</td><td>120</td></tr>\n<tr><td>South</td><td>133</td></tr>\n</table>\n\
         <!-- end of table -->";
    page("Admissions by region", "", body)
}

/// A Bokeh 3 standalone page: its document in a JSON script, a scatter of 300 individuals
/// whose coordinates are base64 buffers gzip-compressed, as Bokeh 3.8 writes large arrays.
fn bokeh_gzip() -> Vec<u8> {
    use std::io::Write as _;
    let mut rng = Rng::new(11);
    let column = |rng: &mut Rng, base: f64| {
        let values: Vec<u8> = (0..300)
            .flat_map(|_| (base + rng.below(9000) as f64 / 100.0).to_le_bytes())
            .collect();
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&values).unwrap();
        let data = base64::engine::general_purpose::STANDARD.encode(z.finish().unwrap());
        json!({"type": "ndarray", "array": {"type": "bytes", "data": data},
               "shape": [300], "dtype": "float64", "order": "little"})
    };
    let (x, y) = (column(&mut rng, 18.0), column(&mut rng, 90.0));
    let doc = json!({"a3f1": {"version": "3.8.0", "title": "Bokeh Application", "roots": [{
        "type": "object", "name": "Figure", "id": "p1001", "attributes": {"renderers": [{
            "type": "object", "name": "GlyphRenderer", "id": "p1040", "attributes": {
                "data_source": {"type": "object", "name": "ColumnDataSource", "id": "p1031",
                    "attributes": {"data": {"type": "map", "entries": [["x", x], ["y", y]]}}},
                "glyph": {"type": "object", "name": "Scatter", "id": "p1037",
                    "attributes": {"x": {"type": "field", "field": "x"},
                                   "y": {"type": "field", "field": "y"}}}}}]}}]}});
    let body = format!(
        "<div id=\"e7c2\" data-root-id=\"p1001\" style=\"display: contents;\"></div>\n\
         <script type=\"application/json\" id=\"b91d\">\n{doc}\n</script>\n\
         <script type=\"text/javascript\">\n(function() {{ const docs_json = document.getElementById('b91d').textContent; \
         Bokeh.embed.embed_items(JSON.parse(docs_json), []); }})();\n</script>"
    );
    page("Bokeh Plot", "", &body)
}

type Generator = (&'static str, fn() -> Vec<u8>);

const FIXTURES: [Generator; 8] = [
    ("cases/html/bokeh_gzip.html", bokeh_gzip),
    ("cases/html/commented_out_table.html", commented_out_table),
    ("cases/html/generator_comments.html", generator_comments),
    ("cases/html/small_count.html", small_count),
    ("cases/html/plotly_bdata.html", plotly_bdata),
    ("cases/html/plotly_bar.html", plotly_bar),
    ("cases/html/dt_person_rows.html", dt_person_rows),
    ("cases/html/data_image.html", data_image),
];

#[test]
fn fixtures_are_current() {
    let generated: Vec<(&str, Vec<u8>)> = FIXTURES.iter().map(|(p, f)| (*p, f())).collect();
    common::assert_fixtures_current(&generated);
}

fn report(name: &str) -> Report {
    common::report(&format!("html/{name}"))
}

/// `(rule, severity, table, cell)` of every finding above info.
fn findings(r: &Report) -> Vec<(String, Severity, Option<u32>, Option<String>)> {
    assert_eq!(r.files.len(), 1);
    r.files[0]
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| {
            (
                f.rule.to_string(),
                f.severity,
                f.location.table,
                f.location.cell.clone(),
            )
        })
        .collect()
}

#[test]
fn a_small_count_in_a_table_fails_at_its_cell() {
    let r = report("small_count.html");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(
        findings(&r),
        [(
            "small-count".to_string(),
            Severity::Error,
            Some(1),
            Some("B3".to_string())
        )]
    );
}

#[test]
fn a_plotly_scatter_in_typed_arrays_is_embedded_data() {
    let r = report("plotly_bdata.html");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(
        findings(&r),
        [("embedded-data".to_string(), Severity::Error, None, None)]
    );
    assert!(r.files[0].findings[0].message.contains("200 markers"));
}

#[test]
fn a_plotly_bar_chart_of_totals_passes() {
    let r = report("plotly_bar.html");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
}

#[test]
fn a_dt_table_of_person_rows_is_a_table() {
    let r = report("dt_person_rows.html");
    assert_eq!(r.verdict, Verdict::Fail);
    let found = findings(&r);
    assert!(
        found
            .iter()
            .any(|(rule, s, t, _)| rule == "micro-data" && *s == Severity::Error && *t == Some(1)),
        "{found:?}"
    );
}

#[test]
fn a_data_image_is_checked_as_a_file() {
    let r = report("data_image.html");
    let members: Vec<Option<&str>> = r.files[0]
        .findings
        .iter()
        .map(|f| f.location.member.as_deref())
        .collect();
    assert!(members.contains(&Some("image 1.png")), "{members:?}");
}

#[test]
fn a_table_left_in_a_comment_is_hidden_content_and_its_small_count_is_found() {
    let r = report("commented_out_table.html");
    assert_eq!(r.verdict, Verdict::Fail);
    let in_comments: Vec<(&str, Severity)> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.location.member.as_deref() == Some("HTML comments"))
        .map(|f| (f.rule, f.severity))
        .collect();
    assert!(
        in_comments.contains(&("small-count", Severity::Error)),
        "{:?}",
        r.files[0].findings
    );
    assert!(
        r.files[0]
            .findings
            .iter()
            .any(|f| f.rule == "hidden-content" && f.severity == Severity::Error),
        "{:?}",
        r.files[0].findings
    );
    // A generator's notes in comments are no hidden data.
    let r = report("generator_comments.html");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
}

#[test]
fn a_bokeh_scatter_in_gzip_compressed_buffers_is_embedded_data() {
    let r = report("bokeh_gzip.html");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", findings(&r));
    assert_eq!(
        findings(&r),
        [("embedded-data".to_string(), Severity::Error, None, None)]
    );
    let f = r.files[0]
        .findings
        .iter()
        .find(|f| f.rule == "embedded-data")
        .expect("the scatter");
    assert!(f.message.contains("300 markers"), "{}", f.message);
}
