//! `log-listing`: logs and console output that list individual observations, under
//! `fixtures/cases/logs/` (each file through the whole pipeline: only this rule flags it) and
//! `fixtures/cases/log-listing/`.

use crate::common::logs::{findings, only};

use export_check::finding::{Severity, Verdict};

#[test]
fn sas_listings_and_dumps_fail() {
    only("sas_pdv_dump.log", "log-listing", Severity::Error, &[7]);
    only("sas_print.lst", "log-listing", Severity::Error, &[5]);
    only("sas_univariate.lst", "log-listing", Severity::Warning, &[8]);
}

#[test]
fn spss_and_pandas_output() {
    only("spss_list.lst", "log-listing", Severity::Error, &[13]);
    let (verdict, f) = findings("pandas_print.out");
    assert_eq!(verdict, Verdict::Fail);
    assert_eq!(f[0], ("log-listing".to_string(), Severity::Error, 3));
}
