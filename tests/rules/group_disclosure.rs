//! `group-disclosure`: groups whose members all share an outcome, under
//! `fixtures/cases/group-disclosure/`.

use crate::common::places::in_folder::{places, verdict};
use crate::common::report;

use export_check::finding::{Severity, Verdict};

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
    // A first row at 100% in every column is the denominator of the rows below; a category
    // further down that holds everyone is still reported.
    assert_eq!(places(&r, "everyone_row_first.csv", g), vec!["C5"]);
    // Row percentages of an outcome beside the group's count (`Patients`, `Died (%)`).
    assert_eq!(
        places(&r, "row_percent_of_patients_full.csv", g),
        vec!["C3"]
    );
    assert_eq!(
        places(&r, "row_percent_of_patients_zero.csv", g),
        vec!["C3"]
    );
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
        "zero_count_share_of_total_pass.csv",
    ] {
        assert_eq!(verdict(&r, f), Verdict::Pass, "{f}");
    }
}
