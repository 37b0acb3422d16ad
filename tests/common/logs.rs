//! Statistical-software output under `fixtures/cases/logs/`: the report of a file and its
//! findings by rule, severity and line.

use export_check::finding::{Severity, Verdict};
use export_check::report::Report;

/// The report of a case under `fixtures/cases/logs/`.
pub fn report(rel: &str) -> Report {
    super::report(&format!("logs/{rel}"))
}

/// `(rule, severity, line)` of every finding of a single-file report.
/// Findings other than info ones (back-calculation's "no totals detected" on printed tables).
pub fn findings(rel: &str) -> (Verdict, Vec<(String, Severity, u32)>) {
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
/// column of person numbers with the records it keys (whole-table findings, line 0), or, for a
/// record dump, the person key's value at the listing's line.
pub fn listing_with_keys(rel: &str, line: u32, micro_data: bool) {
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

pub fn only(rel: &str, rule: &str, severity: Severity, lines: &[u32]) {
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
