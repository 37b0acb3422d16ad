//! `extreme-values`: columns and rows of extremes, and cells dominated by their largest
//! contributors, under `fixtures/cases/extreme-values/`.

use crate::common::places::in_folder::{m_places, messages, places, verdict};
use crate::common::{case, report};

use export_check::config::Rules;
use export_check::finding::{Severity, Verdict};
use export_check::{check, Options};

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
fn dominated_magnitude_cells_are_warnings_at_the_total() {
    let r = report("extreme-values");
    let e = "extreme-values";
    // Trust B: the largest ward holds almost all bed-days (p% and (1,85) both fail); the Top1
    // and Top two columns are values of single wards.
    let f = "dominance_top_contributors.csv";
    assert_eq!(places(&r, f, e), vec!["C3", "D3", "B4"]);
    let m = messages(&r, f, e);
    assert!(
        m[2].contains("'Bed-days', row 'Trust B'")
            && m[2].contains("p% rule")
            && m[2].contains("dominance rule on the largest contributor, k = 85"),
        "{m:?}"
    );
    // Shares of the largest contributor: North (92 %) is dominated; South (61.5 %) is not
    // decided without the second largest and stays quiet.
    let f = "dominance_shares.csv";
    let dominated: Vec<_> = m_places(&r, f, "dominates");
    assert_eq!(dominated, vec!["B2"]);
    for f in ["dominance_shares.csv", "dominance_top_contributors.csv"] {
        assert_eq!(verdict(&r, f), Verdict::Review, "{f}");
        for m in messages(&r, f, e) {
            for v in ["7900", "8200", "8400", "92.0", "48210"] {
                assert!(!m.contains(v), "{f}: {m}");
            }
        }
    }
}

#[test]
fn magnitude_rules_stay_off_without_dominance_or_contributors() {
    let r = report("extreme-values");
    // Contributor columns, but no cell is dominated.
    assert!(m_places(&r, "dominance_safe.csv", "dominates").is_empty());
    // A maximum beside a total is a column of extremes, not contributor information.
    assert!(m_places(&r, "max_beside_total.csv", "dominates").is_empty());
    assert!(m_places(&r, "min_max_columns.csv", "dominates").is_empty());
    // With a stricter rule the safe table's Trust B fails: the rules are live.
    let mut rules = Rules::default_rules();
    rules.magnitude.k = 30.0;
    let r = check(
        &case("extreme-values/dominance_safe.csv"),
        &rules,
        &Options::default(),
    )
    .expect("check runs");
    let dominated: Vec<_> = m_places(&r, "dominance_safe.csv", "dominates");
    assert_eq!(dominated, vec!["B3"]);
}

/// ACRO's `results.json` passes on to the files beside it what ACRO left for a person: the
/// means of negative values it could not judge, and a cell its grid flags that the file still
/// shows. An output whose flagged cells are suppressed, and a custom output ACRO only wrapped,
/// get nothing from the record.
#[test]
fn an_acro_record_passes_on_its_reviews_to_the_files_it_names() {
    let r = report("extreme-values/acro_session");
    let said: Vec<(String, &str, Severity)> = r
        .files
        .iter()
        .flat_map(|f| {
            f.findings
                .iter()
                .filter(|x| x.message.contains("ACRO"))
                .map(move |x| (f.path.clone(), x.rule, x.severity))
        })
        .collect();
    assert_eq!(
        said,
        vec![
            (
                "mean_balance_by_year_0.csv".to_string(),
                "extreme-values",
                Severity::Warning
            ),
            // ACRO's grid flags South 2020 (fewer than its threshold of 10) and the file shows
            // the 7: an error at that cell, though 7 is no small count under this profile.
            (
                "visits_by_year_0.csv".to_string(),
                "small-count",
                Severity::Error
            ),
        ]
    );
    let visits = r
        .files
        .iter()
        .find(|f| f.path == "visits_by_year_0.csv")
        .unwrap();
    let at: Vec<_> = visits
        .findings
        .iter()
        .filter(|x| x.message.contains("ACRO"))
        .map(|x| x.location.cell.clone())
        .collect();
    assert_eq!(at, vec![Some("C2".to_string())]);
    let record = r.files.iter().find(|f| f.path == "results.json").unwrap();
    assert_eq!(record.verdict, Verdict::Pass);
}
