//! Statistical-software output under `fixtures/cases/logs/`: SAS logs and listings, Stata text
//! and SMCL logs, R transcripts, SPSS and pandas output. Each file's verdict and the exact rule
//! and line of its findings, and a snapshot of the folder's text report.

mod common;

/// The report of a case under `fixtures/cases/logs/`.
fn report(rel: &str) -> Report {
    common::report(&format!("logs/{rel}"))
}

use export_check::finding::{Severity, Verdict};
use export_check::report::text::{render, Colour};
use export_check::report::Report;

/// `(rule, severity, line)` of every finding of a single-file report.
/// Findings other than info ones (back-calculation's "no totals detected" on printed tables).
fn findings(rel: &str) -> (Verdict, Vec<(String, Severity, u32)>) {
    let r = report(rel);
    assert_eq!(r.files.len(), 1);
    let f = r.files[0]
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| (f.rule.to_string(), f.severity, f.location.line.unwrap_or(0)))
        .collect();
    (r.verdict, f)
}

/// A listing of records with a `pid` column of person numbers: the listing at its line, and the
/// column of person numbers with the records it keys (whole-table findings, line 0).
fn listing_with_keys(rel: &str, line: u32, micro_data: bool) {
    let (verdict, f) = findings(rel);
    let mut want = vec![("log-listing".to_string(), Severity::Error, line)];
    if micro_data {
        want.push(("micro-data".to_string(), Severity::Error, 0));
        want.push(("person-id".to_string(), Severity::Error, 0));
    } else {
        want.push(("person-id".to_string(), Severity::Error, line));
    }
    assert_eq!(f, want, "{rel}");
    assert_eq!(verdict, Verdict::Fail, "{rel}");
}

fn only(rel: &str, rule: &str, severity: Severity, lines: &[u32]) {
    let (verdict, f) = findings(rel);
    let want: Vec<(String, Severity, u32)> = lines
        .iter()
        .map(|l| (rule.to_string(), severity, *l))
        .collect();
    assert_eq!(f, want, "{rel}");
    let expected = match severity {
        Severity::Error => Verdict::Fail,
        Severity::Warning => Verdict::Review,
        Severity::Info => Verdict::Pass,
    };
    assert_eq!(verdict, expected, "{rel}");
}

#[test]
fn clean_logs_pass() {
    for f in [
        "sas_notes_only.log",
        "sas_freq_large.lst",
        "stata_tabulate.log",
        "stata_regress_large.log",
        "r_glm_clean.Rout",
    ] {
        let (verdict, found) = findings(f);
        assert_eq!(verdict, Verdict::Pass, "{f}: {found:?}");
        assert!(found.is_empty(), "{f}: {found:?}");
    }
}

#[test]
fn sas_listings_and_dumps_fail() {
    listing_with_keys("sas_pdv_dump.log", 7, false);
    listing_with_keys("sas_print.lst", 5, true);
    only("sas_univariate.lst", "log-listing", Severity::Warning, &[8]);
}

#[test]
fn sas_frequency_tables_go_through_the_table_rules() {
    only("sas_freq_small.lst", "small-count", Severity::Error, &[10]);
    // A crosstab cell block: the `Frequency` line of each cell holds the counts, the
    // percentage lines below it do not.
    only(
        "sas_crosstab_small.lst",
        "small-count",
        Severity::Error,
        &[13],
    );
    // A cell hidden by hand in a PROC FREQ crosstab whose percentage lines were left: the
    // frequency lines and the Total row give it back.
    only(
        "sas_freq_suppressed_with_pcts.lst",
        "back-calculation",
        Severity::Error,
        &[22],
    );
    // A frequency table of an identifier is a listing; it is not tabled, so that no table
    // finding names its rows (the identifiers).
    only("sas_freq_id.lst", "log-listing", Severity::Error, &[6]);
}

#[test]
fn stata_output() {
    listing_with_keys("stata_list.log", 15, true);
    listing_with_keys("stata_list.smcl", 13, true);
    only(
        "stata_tabulate_small.log",
        "small-count",
        Severity::Error,
        &[7],
    );
    only("stata_regress_small.log", "low-dof", Severity::Error, &[6]);
    only(
        "stata_codebook.log",
        "log-listing",
        Severity::Error,
        &[11, 17],
    );
}

#[test]
fn r_output() {
    listing_with_keys("r_head.Rout", 8, true);
    only("r_tibble.Rout", "log-listing", Severity::Error, &[5]);
    only("r_str.Rout", "log-listing", Severity::Error, &[2]);
    // The residuals' Min and Max are extremes of single observations: a warning each.
    let (verdict, found) = findings("r_lm_small.Rout");
    assert_eq!(verdict, Verdict::Fail);
    assert_eq!(
        found,
        vec![
            ("low-dof".to_string(), Severity::Error, 19),
            ("extreme-values".to_string(), Severity::Warning, 9),
            ("extreme-values".to_string(), Severity::Warning, 9),
        ]
    );
}

#[test]
fn residual_degrees_of_freedom_in_tables_and_residual_listings() {
    // The `Error` row of a SAS ANOVA table, its DF column (the label `Corrected Total` stays one
    // cell although its words stand over a gutter).
    let (verdict, f) = findings("sas_reg_small.lst");
    assert_eq!(verdict, Verdict::Fail);
    assert_eq!(f, vec![("low-dof".to_string(), Severity::Error, 11)]);
    let r = report("sas_reg_small.lst");
    assert_eq!(r.files[0].findings[0].location.cell.as_deref(), Some("B11"));
    // A `Df Residuals` row of a CSV model summary.
    let r = report("model_summary.csv");
    let f = &r.files[0].findings;
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].rule, f[0].location.cell.as_deref()),
        ("low-dof", Some("B4"))
    );
    only("r_residuals.Rout", "low-dof", Severity::Warning, &[2]);
}

#[test]
fn spss_and_pandas_output() {
    listing_with_keys("spss_list.lst", 13, true);
    let (verdict, f) = findings("pandas_print.out");
    assert_eq!(verdict, Verdict::Fail);
    assert_eq!(f[0], ("log-listing".to_string(), Severity::Error, 3));
}

#[test]
fn messages_say_what_and_where_never_the_values() {
    let r = report("");
    for file in &r.files {
        for f in &file.findings {
            for secret in ["X000", "A01", "E11", "751"] {
                assert!(
                    !f.message.contains(secret),
                    "{}: {} repeats a value",
                    file.path,
                    f.message
                );
            }
        }
    }
}

#[test]
fn folder_snapshot() {
    let r = report("");
    insta::assert_snapshot!("logs", render(&r, Colour::Never));
}

/// Stata `tab a b, row col`: the key box is a legend and the row and column percentage lines
/// under each row are not rows of counts; the small count is found at its line.
#[test]
fn stata_crosstabs_with_percentages_are_read_by_their_frequencies() {
    only(
        "stata_tab_row_col_small.log",
        "small-count",
        Severity::Error,
        &[22],
    );
}

/// `Frequency Missing = 3` under a SAS frequency table is a count of missing values, a cell
/// like the others.
#[test]
fn sas_frequency_missing_is_a_count() {
    only(
        "sas_freq_missing_small.lst",
        "small-count",
        Severity::Error,
        &[10],
    );
}
