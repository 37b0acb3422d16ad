//! The back-calculation cases under `fixtures/cases/back-calculation/` and
//! `fixtures/cases/percent/`: each file's verdict and the exact places of its findings, messages
//! that never carry a recovered value, and a snapshot of each folder's text report.

mod common;
use common::report;

use export_check::finding::{Severity, Verdict};
use export_check::report::text::{render, Colour};
use export_check::report::Report;

/// `(severity, place)` of the findings of one rule in a single-file report.
fn places(r: &Report, rule: &str) -> Vec<(Severity, String)> {
    assert_eq!(r.files.len(), 1);
    r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            (
                f.severity,
                f.location
                    .cell
                    .clone()
                    .unwrap_or_else(|| f.location.describe()),
            )
        })
        .collect()
}

fn errors(r: &Report, rule: &str) -> Vec<String> {
    places(r, rule)
        .into_iter()
        .filter(|(s, _)| *s == Severity::Error)
        .map(|(_, p)| p)
        .collect()
}

const BC: &str = "back-calculation";
const PC: &str = "percent-back-calculation";

#[test]
fn tc03_margins_give_back_both_redacted_cells() {
    let r = report("back-calculation/tc03_opensafely_margins.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["B2", "C2"]);
    let m = &r.files[0].findings[0].message;
    assert!(
        m.contains("row 'Total'") && m.contains("visible cells"),
        "{m}"
    );
}

#[test]
fn tc14a_danish_group_sum_fails_at_the_row_total() {
    let r = report("back-calculation/tc14a_danish_group_sum.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["F3"]);
    assert!(r.files[0]
        .findings
        .iter()
        .any(|f| f.rule == BC && f.message.contains("[B2]")));
}

#[test]
fn tc14b_secondary_suppression_passes() {
    let r = report("back-calculation/tc14b_secondary_suppressed.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", places(&r, BC));
}

#[test]
fn tc17_rounded_totals_of_visible_cells_do_not_flag() {
    let r = report("back-calculation/tc17_rounded_redacted.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", places(&r, BC));
    assert!(places(&r, BC).iter().all(|(s, _)| *s == Severity::Info));
}

#[test]
fn tc18_table_one_residual_is_a_count() {
    let r = report("back-calculation/tc18_table1_residual.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["B2"]);
    assert!(r.files[0].findings[0].message.contains("residual"));
}

#[test]
fn sub_total_hierarchy_from_indentation() {
    let r = report("back-calculation/subtotal_hierarchy.csv");
    assert_eq!(errors(&r, BC), vec!["B4"]);
    assert!(r.files[0].findings[0].message.contains("row 'North'"));
}

#[test]
fn tc21_steps_of_the_number_at_risk_are_counts() {
    let r = report("back-calculation/tc21_number_at_risk.csv");
    assert_eq!(
        errors(&r, "back-calculation"),
        vec!["B3".to_string(), "B5".to_string()]
    );
}

#[test]
fn long_format_total_category() {
    let r = report("back-calculation/long_format_totals.csv");
    assert_eq!(errors(&r, BC), vec!["C5"]);
}

#[test]
fn header_groups_give_men_plus_women_equals_all() {
    // Men/<50 is hidden with Men/50+ in its group, so the group total alone gives only their
    // sum; All/<50 minus Women/<50 gives it back.
    let r = report("back-calculation/header_groups.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["B4"]);
    let m = &r.files[0].findings[0].message;
    assert!(m.contains("'All / <50'") && m.contains("[B1]"), "{m}");
}

#[test]
fn header_groups_without_group_totals_beside_an_overall_total() {
    // Men and Women have no total column of their own; `All` has one, carried under the `All`
    // group: it totals its own group (no structure mismatch), and All/<50 gives Men/<50 back.
    let r = report("back-calculation/header_groups_overall_total.csv");
    assert_eq!(errors(&r, BC), vec!["B3"]);
    assert!(
        r.files[0]
            .findings
            .iter()
            .all(|f| !f.message.contains("(structure mismatch S1)")),
        "{:?}",
        places(&r, BC)
    );
}

#[test]
fn second_label_free_pass_over_sub_totals() {
    // `County` is the sum of the four wards, which its sub-totals `North` and `South` keep
    // apart: only the second pass of the label-free scan, with those taken out, finds it.
    for f in [
        "back-calculation/label_free_second_pass.csv",
        "back-calculation/label_free_second_pass_rows.csv",
    ] {
        let r = report(f);
        assert_eq!(r.verdict, Verdict::Fail, "{f}");
        assert_eq!(errors(&r, BC), vec!["B2"], "{f}");
        let m = &r.files[0].findings[0].message;
        assert!(m.contains("'County'") && m.contains("[B1]"), "{f}: {m}");
    }
}

#[test]
fn tables_that_must_pass() {
    for f in [
        "back-calculation/header_groups_not_additive_pass.csv",
        "back-calculation/header_groups_rounded_pass.csv",
        "back-calculation/suppressed_2d_pass.csv",
        "back-calculation/model_coefficients.csv",
        "back-calculation/rounded_base5_pass.csv",
        "back-calculation/rounded_conventional_pass.csv",
        "back-calculation/at_risk_large_steps.csv",
        "back-calculation/tc14b_secondary_suppressed.csv",
        "percent/safe_percentages.csv",
        "percent/opensafely_rounded_pct.csv",
    ] {
        let r = report(f);
        assert_eq!(r.verdict, Verdict::Pass, "{f}: {:?}", r.files[0].findings);
    }
}

#[test]
fn model_table_gets_at_most_the_info_finding() {
    let r = report("back-calculation/model_coefficients.csv");
    assert!(r.files[0].findings.len() <= 1);
    assert!(r.files[0]
        .findings
        .iter()
        .all(|f| f.severity == Severity::Info && f.message.starts_with("no totals")));
}

#[test]
fn tc11_percentage_beside_a_suppressed_count() {
    let r = report("percent/tc11_n_header.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["B5"]);
}

#[test]
fn tc13_rate_with_person_years() {
    let r = report("percent/tc13_rate.csv");
    assert_eq!(errors(&r, PC), vec!["D2"]);
}

#[test]
fn percent_only_column_under_an_n_header() {
    let r = report("percent/percent_only_n_header.csv");
    assert_eq!(errors(&r, PC), vec!["B2"]);
}

#[test]
fn row_percentages_with_an_n_column() {
    let r = report("percent/row_percent_n_column.csv");
    assert_eq!(errors(&r, PC), vec!["C2"]);
}

#[test]
fn suppressed_x_beside_its_percentage() {
    let r = report("percent/x_beside_percent.csv");
    assert_eq!(errors(&r, PC), vec!["C3"]);
    assert_eq!(errors(&r, BC), vec!["B3"]);
}

#[test]
fn messages_never_carry_the_recovered_value() {
    // Each case with the value its findings recover.
    for (f, value) in [
        ("back-calculation/tc03_opensafely_margins.csv", "1"),
        ("back-calculation/tc18_table1_residual.csv", "3"),
        ("back-calculation/subtotal_hierarchy.csv", "3"),
        ("back-calculation/long_format_totals.csv", "3"),
        ("back-calculation/header_groups.csv", "3"),
        ("back-calculation/header_groups_overall_total.csv", "3"),
        ("back-calculation/label_free_second_pass.csv", "3"),
        ("back-calculation/label_free_second_pass_rows.csv", "3"),
        ("percent/tc11_n_header.csv", "3"),
        ("percent/tc13_rate.csv", "3"),
        ("percent/percent_only_n_header.csv", "2"),
        ("percent/row_percent_n_column.csv", "3"),
    ] {
        let r = report(f);
        for x in &r.files[0].findings {
            if x.rule != BC && x.rule != PC {
                continue;
            }
            // Cell counts in derivations ("3 visible cells") are not values.
            let mut m = x.message.clone();
            for phrase in [" visible cell", " possible value", " unknown cell"] {
                while let Some(at) = m.find(phrase) {
                    let start = m[..at]
                        .rfind(|c: char| !c.is_ascii_digit())
                        .map_or(0, |i| i + 1);
                    m.replace_range(start..at + phrase.len(), "#");
                }
            }
            // Numbers standing alone (not cell names like `B2` or codes like `[B1]`).
            let runs: Vec<&str> = m
                .split(|c: char| !c.is_alphanumeric())
                .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
                .collect();
            assert!(!runs.contains(&value), "{f}: {}", x.message);
        }
    }
}

#[test]
fn folder_snapshots() {
    for folder in ["back-calculation", "percent"] {
        let r = report(folder);
        insta::assert_snapshot!(folder, render(&r, Colour::Never));
    }
}
