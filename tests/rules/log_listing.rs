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
