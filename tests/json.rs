//! JSON results under `fixtures/cases/json/`, built by the generators below and checked through
//! the whole pipeline: records with a count of 3 fail at its cell, named under the table's JSON
//! path; a dict of large counts passes; records of persons with Danish CPR numbers (valid
//! checksums, generated) are micro-data; pandas' `orient="columns"` is read by its row index;
//! arrays of numbers that no key names ask a person to look. Regenerate with
//! `EXPORT_CHECK_REGENERATE=1 cargo test --test json`.

mod common;

use export_check::finding::{Severity, Verdict};
use export_check::ident::generate::cpr;
use export_check::report::Report;
use serde_json::json;

fn pretty(v: serde_json::Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(&v).expect("a JSON value prints");
    s.push('\n');
    s.into_bytes()
}

/// `json.dump` of a list of records: cases by region, one region with 3.
fn small_count_records() -> Vec<u8> {
    pretty(json!({
        "title": "Cases by region, 2023",
        "by_region": [
            {"region": "North", "cases": 120},
            {"region": "South", "cases": 3},
            {"region": "East", "cases": 45},
            {"region": "West", "cases": 88}
        ]
    }))
}

/// A dict of dicts of large counts, as a pipeline's summary statistics.
fn summary_counts_pass() -> Vec<u8> {
    pretty(json!({
        "asthma": {"patients": 55184, "practices": 6335},
        "copd": {"patients": 110220, "practices": 6329},
        "diabetes": {"patients": 228587, "practices": 6321}
    }))
}

/// Records of made-up persons with generated CPR numbers.
fn person_records() -> Vec<u8> {
    let rows: Vec<serde_json::Value> = (0..12u64)
        .map(|i| {
            json!({
                "cpr": cpr(1000 + i),
                "age": 30 + (i * 7) % 50,
                "sex": if i % 2 == 0 { "F" } else { "M" },
                "admitted": format!("2023-0{}-1{}", 1 + i % 9, i % 10)
            })
        })
        .collect();
    pretty(serde_json::Value::Array(rows))
}

/// `DataFrame.to_json()` (pandas' default `orient="columns"`): column, then row index.
fn pandas_columns() -> Vec<u8> {
    pretty(json!({
        "age_band": {"0": "0-17", "1": "18-64", "2": "65+"},
        "deaths": {"0": 2, "1": 140, "2": 310}
    }))
}

/// Cell coordinates that a checking tool recorded: numbers that no key names.
fn unnamed_numbers() -> Vec<u8> {
    pretty(json!({"checked": {"cells": [[0, 1], [2, 3], [1, 1]]}}))
}

type Generator = (&'static str, fn() -> Vec<u8>);

const FIXTURES: [Generator; 5] = [
    ("cases/json/small_count_records.json", small_count_records),
    ("cases/json/summary_counts_pass.json", summary_counts_pass),
    ("cases/json/person_records.json", person_records),
    ("cases/json/pandas_columns.json", pandas_columns),
    ("cases/json/unnamed_numbers.json", unnamed_numbers),
];

#[test]
fn fixtures_are_current() {
    let generated: Vec<(&str, Vec<u8>)> = FIXTURES.iter().map(|(p, f)| (*p, f())).collect();
    common::assert_fixtures_current(&generated);
}

fn report(name: &str) -> Report {
    common::report(&format!("json/{name}"))
}

/// `(rule, severity, member, cell)` of every finding above info.
fn findings(r: &Report) -> Vec<(String, Severity, Option<String>, Option<String>)> {
    assert_eq!(r.files.len(), 1);
    r.files[0]
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| {
            (
                f.rule.to_string(),
                f.severity,
                f.location.member.clone(),
                f.location.cell.clone(),
            )
        })
        .collect()
}

fn at(
    rule: &str,
    severity: Severity,
    member: &str,
    cell: Option<&str>,
) -> (String, Severity, Option<String>, Option<String>) {
    (
        rule.to_string(),
        severity,
        Some(member.to_string()),
        cell.map(str::to_string),
    )
}

#[test]
fn a_small_count_in_records_fails_at_its_cell_under_its_path() {
    let r = report("small_count_records.json");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(
        findings(&r),
        [at(
            "small-count",
            Severity::Error,
            "$.by_region",
            Some("B3")
        )]
    );
    let m = &r.files[0]
        .findings
        .iter()
        .find(|f| f.rule == "small-count")
        .expect("a finding")
        .message;
    assert!(
        m.contains("'cases'") && m.contains("'South'") && !m.contains('3'),
        "{m}"
    );
}

#[test]
fn a_summary_of_large_counts_passes() {
    let r = report("summary_counts_pass.json");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
}

#[test]
fn person_records_are_micro_data_and_their_ids_are_not_printed() {
    let r = report("person_records.json");
    assert_eq!(r.verdict, Verdict::Fail);
    let rules: Vec<&str> = r.files[0].findings.iter().map(|f| f.rule).collect();
    assert!(
        rules.contains(&"person-id") && rules.contains(&"micro-data"),
        "{rules:?}"
    );
    let text = serde_json::to_string(
        &r.files[0]
            .findings
            .iter()
            .map(|f| &f.message)
            .collect::<Vec<_>>(),
    )
    .expect("messages print");
    for i in 0..12u64 {
        let id = cpr(1000 + i);
        assert!(
            !text.contains(&id) && !text.contains(&id.replace('-', "")),
            "{text}"
        );
    }
}

#[test]
fn pandas_orient_columns_is_read_with_its_columns() {
    let r = report("pandas_columns.json");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(
        findings(&r),
        [at("small-count", Severity::Error, "$", Some("C2"))]
    );
}

#[test]
fn numbers_no_key_names_need_review() {
    let r = report("unnamed_numbers.json");
    assert_eq!(r.verdict, Verdict::Review);
    assert_eq!(
        findings(&r),
        [at("file-type", Severity::Warning, "$.checked.cells", None)]
    );
}
