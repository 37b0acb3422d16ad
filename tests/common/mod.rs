//! Helpers shared by the integration tests: the synthetic cases under `fixtures/cases/` and
//! their reports. Not every test file uses every helper.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use export_check::config::Rules;
use export_check::engine::{check, Options};
use export_check::report::Report;

/// A path under `fixtures/cases/`.
pub fn case(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cases")
        .join(rel)
}

/// The report of a case under the given rules.
pub fn report_with(rel: &str, rules: &Rules) -> Report {
    check(&case(rel), rules, &Options::default()).expect("check runs")
}

/// The report of a case under the default rules.
pub fn report(rel: &str) -> Report {
    report_with(rel, &Rules::default_rules())
}
