//! `log-listing`: logs and console output that list individual observations, under
//! `fixtures/cases/logs/` (each file through the whole pipeline: only this rule flags it) and
//! `fixtures/cases/log-listing/`.

use crate::common::logs::{findings, listing_with_keys, only};

use export_check::finding::{Severity, Verdict};

#[test]
fn sas_listings_and_dumps_fail() {
    listing_with_keys("sas_pdv_dump.log", 7, false);
    listing_with_keys("sas_print.lst", 5, true);
    only("sas_univariate.lst", "log-listing", Severity::Warning, &[8]);
}

#[test]
fn spss_and_pandas_output() {
    listing_with_keys("spss_list.lst", 13, true);
    let (verdict, f) = findings("pandas_print.out");
    assert_eq!(verdict, Verdict::Fail);
    assert_eq!(f[0], ("log-listing".to_string(), Severity::Error, 3));
}

/// R `table(x)` of a variable whose every value occurs once lists the values; `summary(x)`
/// prints the names of statistics over their values (`Min. 1st Qu. Median`), which are no
/// list and no counts, even when every value is 1.
#[test]
fn r_table_of_unique_values_is_a_listing_and_summary_is_not() {
    let r = crate::common::report("log-listing/r_table_of_codes.Rout");
    assert!(r.files[0]
        .findings
        .iter()
        .any(|f| f.rule == "log-listing" && f.severity == Severity::Error));
    let r = crate::common::report("log-listing/r_summary_review.Rout");
    let rules: Vec<&str> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, vec!["extreme-values", "extreme-values"]);
}
