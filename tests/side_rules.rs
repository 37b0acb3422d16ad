//! The side rules of issue 3 on their synthetic cases under `fixtures/cases/`:
//! `group-disclosure`, `extreme-values` (with the `small-count` errors of medians and extremes
//! of small groups) and the cross-file `differencing`. Exact places, `related` files, pass
//! cases, and a snapshot of each folder's text report.

use std::path::{Path, PathBuf};

use export_check::config::Rules;
use export_check::engine::{check, Options};
use export_check::finding::{Severity, Verdict};
use export_check::report::text::{render, Colour};
use export_check::report::Report;

fn case(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cases")
        .join(rel)
}

fn report(rel: &str) -> Report {
    check(&case(rel), &Rules::default_rules(), &Options::default()).expect("check runs")
}

/// Places (`B4`) of the findings of `rule` in the file `file` of a folder report.
fn places(r: &Report, file: &str, rule: &str) -> Vec<String> {
    let f = r
        .files
        .iter()
        .find(|f| f.path == file)
        .unwrap_or_else(|| panic!("{file} not in report"));
    f.findings
        .iter()
        .filter(|x| x.rule == rule)
        .map(|x| {
            x.location
                .cell
                .clone()
                .unwrap_or_else(|| x.location.describe())
        })
        .collect()
}

fn verdict(r: &Report, file: &str) -> Verdict {
    r.files
        .iter()
        .find(|f| f.path == file)
        .map(|f| f.verdict)
        .unwrap_or_else(|| panic!("{file} not in report"))
}

#[test]
fn group_disclosure_flags_concentrated_groups() {
    let r = report("group-disclosure");
    let g = "group-disclosure";
    assert_eq!(places(&r, "one_category_row.csv", g), vec!["C3"]);
    assert_eq!(places(&r, "sums_without_total_label.csv", g), vec!["D3"]);
    assert_eq!(places(&r, "column_concentrated.csv", g), vec!["C3"]);
    assert_eq!(places(&r, "full_share.csv", g), vec!["C3"]);
    assert_eq!(places(&r, "n_pct_full.csv", g), vec!["B2"]);
    assert_eq!(places(&r, "zero_share_of_n.csv", g), vec!["C3"]);
    for f in &r.files {
        for x in f.findings.iter().filter(|x| x.rule == g) {
            assert_eq!(x.severity, Severity::Warning);
        }
    }
    let msg = &r
        .files
        .iter()
        .find(|f| f.path == "one_category_row.csv")
        .unwrap()
        .findings[0]
        .message;
    assert!(
        msg.contains("row 'South'") && msg.contains("'Died'"),
        "{msg}"
    );
}

#[test]
fn group_disclosure_leaves_totals_shares_and_zeros_alone() {
    let r = report("group-disclosure");
    for f in [
        "shares_with_total_column.csv",
        "zeros_allowed.csv",
        "total_row_equals_total_column.csv",
        "percent_missing_large.csv",
        "share_of_total_rounded.csv",
    ] {
        assert_eq!(verdict(&r, f), Verdict::Pass, "{f}");
    }
}

#[test]
fn extremes_are_one_warning_per_column_or_row() {
    let r = report("extreme-values");
    let e = "extreme-values";
    assert_eq!(places(&r, "min_max_columns.csv", e), vec!["D2", "E2"]);
    assert_eq!(verdict(&r, "min_max_columns.csv"), Verdict::Review);
    assert_eq!(places(&r, "wide_summary_extremes.csv", e), vec!["B5", "B6"]);
    assert_eq!(verdict(&r, "percentiles_safe.csv"), Verdict::Pass);
}

#[test]
fn medians_and_extremes_of_small_groups_are_small_counts() {
    let r = report("extreme-values");
    let s = "small-count";
    // The N cell itself, the median and the maximum of the group of three.
    assert_eq!(
        places(&r, "median_small_group.csv", s),
        vec!["B3", "C3", "D3"]
    );
    // The N row's small cell, then the median, min and max of that column.
    assert_eq!(
        places(&r, "wide_summary_extremes.csv", s),
        vec!["C2", "C4", "C5", "C6"]
    );
    // `n=` in the header: the header and the median; the mean is left to the header finding.
    assert_eq!(places(&r, "median_n_in_header.csv", s), vec!["C1", "C2"]);
}

#[test]
fn side_rule_folder_snapshots() {
    for folder in ["group-disclosure", "extreme-values"] {
        let r = report(folder);
        insta::assert_snapshot!(folder, render(&r, Colour::Never));
    }
}
