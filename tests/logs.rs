//! Statistical-software output under `fixtures/cases/logs/` through the whole pipeline: SAS logs
//! and listings, Stata text and SMCL logs, R transcripts. Clean logs pass, each file's findings
//! are exactly the rules and lines asserted (several rules on one program's output), and no
//! message repeats a value. A rule's own cases are in `tests/rules/<rule>.rs`, and each rule's
//! findings on this folder in its snapshot `tests/rules/snapshots/rules__<rule>@logs.snap`.

mod common;
use common::logs::{findings, listing_with_keys, only, report};

use export_check::finding::{Severity, Verdict};

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
