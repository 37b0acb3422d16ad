//! Jupyter notebooks under `fixtures/cases/notebooks/`, built by the generators below and
//! checked through the whole pipeline: a cell that printed person rows fails at that cell, an
//! aggregate crosstab passes, a Plotly scatter of individuals is `embedded-data`, a traceback
//! that printed a row is read as output. Regenerate with
//! `EXPORT_CHECK_REGENERATE=1 cargo test --test notebooks`.

mod common;

use export_check::finding::{Severity, Verdict};
use export_check::ident::generate::Rng;
use export_check::report::Report;
use serde_json::{json, Value};

fn lines(text: &str) -> Value {
    let parts: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    json!(parts)
}

fn code(source: &str, outputs: Vec<Value>, count: u32) -> Value {
    json!({
        "cell_type": "code",
        "execution_count": count,
        "metadata": {},
        "source": lines(source),
        "outputs": outputs,
    })
}

fn markdown(source: &str) -> Value {
    json!({"cell_type": "markdown", "metadata": {}, "source": lines(source)})
}

fn notebook(cells: Vec<Value>) -> Vec<u8> {
    let nb = json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5
    });
    let mut s = serde_json::to_string_pretty(&nb).expect("JSON");
    s.push('\n');
    s.into_bytes()
}

/// The first rows of a synthetic cohort, as pandas prints `df.head()` (text and HTML).
fn person_rows() -> (String, String) {
    let mut rng = Rng::new(17);
    let mut text = String::from("   patient_id  age sex  postcode diagnosis_date\n");
    let mut html = String::from(
        "<div>\n<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n      \
         <th></th>\n      <th>patient_id</th>\n      <th>age</th>\n      <th>sex</th>\n      \
         <th>postcode</th>\n      <th>diagnosis_date</th>\n    </tr>\n  </thead>\n  <tbody>\n",
    );
    for i in 0..5 {
        let id = 4_100_200 + rng.below(90_000);
        let age = 20 + rng.below(70);
        let sex = if rng.below(2) == 0 { "F" } else { "M" };
        let pc = format!("LS{} {}QX", 1 + rng.below(9), 1 + rng.below(9));
        let date = format!(
            "20{:02}-{:02}-{:02}",
            15 + rng.below(8),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        text.push_str(&format!("{i}     {id}   {age}   {sex}  {pc}     {date}\n"));
        html.push_str(&format!(
            "    <tr>\n      <th>{i}</th>\n      <td>{id}</td>\n      <td>{age}</td>\n      \
             <td>{sex}</td>\n      <td>{pc}</td>\n      <td>{date}</td>\n    </tr>\n"
        ));
    }
    html.push_str("  </tbody>\n</table>\n</div>");
    (text.trim_end().to_string(), html)
}

/// Cell 3 prints `df.head()` of person rows.
fn head_person_rows() -> Vec<u8> {
    let (text, html) = person_rows();
    notebook(vec![
        code(
            "import pandas as pd\ndf = pd.read_csv(\"cohort.csv\")",
            vec![],
            1,
        ),
        markdown("## First look at the cohort"),
        code(
            "df.head()",
            vec![json!({
                "output_type": "execute_result",
                "execution_count": 2,
                "metadata": {},
                "data": {"text/plain": lines(&text), "text/html": lines(&html)},
            })],
            2,
        ),
    ])
}

/// Cell 2 prints an aggregate crosstab (every count at least 40), as text and HTML.
fn crosstab_aggregate() -> Vec<u8> {
    let bands = ["18-39", "40-59", "60-79", "80+"];
    let counts = [[412, 398], [655, 702], [530, 488], [141, 187]];
    let mut text = String::from("sex           F    M\nage_band           \n");
    let mut html = String::from(
        "<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n      \
         <th>sex</th>\n      <th>F</th>\n      <th>M</th>\n    </tr>\n    <tr>\n      \
         <th>age_band</th>\n      <th></th>\n      <th></th>\n    </tr>\n  </thead>\n  <tbody>\n",
    );
    for (b, [f, m]) in bands.iter().zip(counts) {
        text.push_str(&format!("{b:<10} {f:>4} {m:>4}\n"));
        html.push_str(&format!(
            "    <tr>\n      <th>{b}</th>\n      <td>{f}</td>\n      <td>{m}</td>\n    </tr>\n"
        ));
    }
    html.push_str("  </tbody>\n</table>");
    notebook(vec![
        code(
            "import pandas as pd\ndf = pd.read_parquet(\"cohort.parquet\")",
            vec![],
            1,
        ),
        code(
            "pd.crosstab(df.age_band, df.sex)",
            vec![json!({
                "output_type": "execute_result",
                "execution_count": 2,
                "metadata": {},
                "data": {"text/plain": lines(text.trim_end()), "text/html": lines(&html)},
            })],
            2,
        ),
        markdown("Counts of people by age band and sex."),
    ])
}

/// Cell 2 shows a Plotly scatter of 200 individuals (age against a lab value).
fn plotly_scatter() -> Vec<u8> {
    let mut rng = Rng::new(99);
    let x: Vec<f64> = (0..200)
        .map(|_| 18.0 + rng.below(7000) as f64 / 100.0)
        .collect();
    let y: Vec<f64> = (0..200)
        .map(|_| 3.0 + rng.below(9000) as f64 / 1000.0)
        .collect();
    let fig = json!({
        "data": [{"type": "scatter", "mode": "markers", "name": "patients", "x": x, "y": y}],
        "layout": {"xaxis": {"title": {"text": "age"}}, "yaxis": {"title": {"text": "HbA1c"}}}
    });
    notebook(vec![
        code("import plotly.express as px", vec![], 1),
        code(
            "px.scatter(df, x=\"age\", y=\"hba1c\")",
            vec![json!({
                "output_type": "display_data",
                "metadata": {},
                "data": {
                    "application/vnd.plotly.v1+json": fig,
                    "text/html": ["<div>a Plotly figure</div>"],
                    "text/plain": ["Figure()"]
                },
            })],
            2,
        ),
    ])
}

/// Cell 1 shows a Plotly scatter as the notebook renderer writes it: HTML only, its traces
/// in a `Plotly.newPlot` script.
fn plotly_html_output() -> Vec<u8> {
    let mut rng = Rng::new(7);
    let x: Vec<f64> = (0..150)
        .map(|_| rng.below(100_000) as f64 / 997.0)
        .collect();
    let y: Vec<f64> = (0..150)
        .map(|_| rng.below(100_000) as f64 / 991.0)
        .collect();
    let traces = json!([{"type": "scatter", "mode": "markers", "x": x, "y": y}]);
    let html = format!(
        "<div id=\"a1\" class=\"plotly-graph-div\"></div>\n<script type=\"text/javascript\">\n\
         require([\"plotly\"], function(Plotly) {{\n\
         Plotly.newPlot(\"a1\", {traces}, {{}}, {{\"responsive\": true}})\n}});\n</script>"
    );
    notebook(vec![code(
        "fig.show()",
        vec![json!({
            "output_type": "display_data",
            "metadata": {},
            "data": {"text/html": lines(&html)},
        })],
        1,
    )])
}

/// Cell 2 raised an error whose (coloured) traceback printed a person row.
fn traceback_row() -> Vec<u8> {
    notebook(vec![
        code(
            "import pandas as pd\ndf = pd.read_csv(\"cohort.csv\")",
            vec![],
            1,
        ),
        code(
            "check(df.loc[17])",
            vec![json!({
                "output_type": "error",
                "ename": "ValueError",
                "evalue": "bad row",
                "traceback": [
                    "\u{1b}[0;31m-------------------------------------------------------\u{1b}[0m",
                    "\u{1b}[0;31mValueError\u{1b}[0m    Traceback (most recent call last)",
                    "\u{1b}[0;31mValueError\u{1b}[0m: bad row: nhs_number=9434765919 age=57 sex=F"
                ]
            })],
            2,
        ),
    ])
}

/// A fixture: its path under `fixtures/` and its generator.
type Generator = (&'static str, fn() -> Vec<u8>);

const FIXTURES: [Generator; 5] = [
    (
        "cases/notebooks/plotly_html_output.ipynb",
        plotly_html_output,
    ),
    ("cases/notebooks/head_person_rows.ipynb", head_person_rows),
    (
        "cases/notebooks/crosstab_aggregate.ipynb",
        crosstab_aggregate,
    ),
    ("cases/notebooks/plotly_scatter.ipynb", plotly_scatter),
    ("cases/notebooks/traceback_row.ipynb", traceback_row),
];

#[test]
fn fixtures_are_current() {
    let generated: Vec<(&str, Vec<u8>)> = FIXTURES.iter().map(|(p, f)| (*p, f())).collect();
    common::assert_fixtures_current(&generated);
}

fn report(name: &str) -> Report {
    common::report(&format!("notebooks/{name}"))
}

/// `(rule, severity, member)` of every finding above info.
fn findings(r: &Report) -> Vec<(String, Severity, Option<String>)> {
    assert_eq!(r.files.len(), 1);
    let mut out: Vec<_> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| (f.rule.to_string(), f.severity, f.location.member.clone()))
        .collect();
    out.dedup();
    out
}

#[test]
fn printed_person_rows_fail_at_their_cell() {
    let r = report("head_person_rows.ipynb");
    assert_eq!(r.verdict, Verdict::Fail);
    let found = findings(&r);
    assert!(!found.is_empty());
    for (rule, _, member) in &found {
        assert_eq!(member.as_deref(), Some("cell 3"), "{rule}: {found:?}");
    }
    let rules: Vec<&str> = found.iter().map(|(r, _, _)| r.as_str()).collect();
    assert!(rules.contains(&"micro-data"), "{found:?}");
    assert!(
        rules.contains(&"log-listing") || rules.contains(&"person-id"),
        "{found:?}"
    );
}

#[test]
fn an_aggregate_crosstab_passes() {
    let r = report("crosstab_aggregate.ipynb");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
}

#[test]
fn a_scatter_of_individuals_is_embedded_data() {
    let r = report("plotly_scatter.ipynb");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(
        findings(&r),
        [(
            "embedded-data".to_string(),
            Severity::Error,
            Some("cell 2".to_string())
        )]
    );
    let f = &r.files[0].findings[0];
    assert!(f.message.contains("200 markers"), "{}", f.message);
}

#[test]
fn a_chart_in_an_html_output_is_embedded_data() {
    let r = report("plotly_html_output.ipynb");
    assert_eq!(
        findings(&r),
        [(
            "embedded-data".to_string(),
            Severity::Error,
            Some("cell 1".to_string())
        )]
    );
}

#[test]
fn a_traceback_is_output() {
    let r = report("traceback_row.ipynb");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", findings(&r));
    let found = findings(&r);
    assert!(
        found
            .iter()
            .any(|(rule, _, m)| rule == "person-id" && m.as_deref() == Some("cell 2")),
        "{found:?}"
    );
    // The traceback's lines follow the source line of the cell.
    let lines: Vec<u32> = r.files[0]
        .findings
        .iter()
        .filter_map(|f| f.location.line)
        .collect();
    assert!(lines.iter().all(|l| *l > 1), "{lines:?}");
}

#[test]
fn broken_notebooks_never_pass_and_never_panic() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let cases: [(&str, &[u8]); 5] = [
        (
            "truncated.ipynb",
            b"{\"cells\": [{\"cell_type\": \"code\", \"sour",
        ),
        ("not_a_notebook.ipynb", b"[1, 2, 3]"),
        (
            "odd_types.ipynb",
            b"{\"cells\": [7, {\"cell_type\": \"code\", \"source\": 5, \"outputs\": [1, \
              {\"output_type\": \"display_data\", \"data\": {\"image/png\": \"!!not base64\"}}]}], \
              \"nbformat\": 4}",
        ),
        ("binary.ipynb", &[0xff, 0xfe, 0x00, 0x7b, 0x00, 0x00, 0x9c]),
        ("deep.ipynb", &[b'['; 5000]),
    ];
    for (name, bytes) in cases {
        std::fs::write(dir.path().join(name), bytes).expect("a fixture is written");
    }
    let r = export_check::check(
        dir.path(),
        &export_check::config::Rules::default_rules(),
        &export_check::Options::default(),
    )
    .expect("check runs");
    assert_eq!(r.files.len(), 5);
    for f in &r.files {
        assert_ne!(f.verdict, Verdict::Pass, "{}: {:?}", f.path, f.findings);
    }
}
