//! The side rules of issue 3 on their synthetic cases under `fixtures/cases/`:
//! `group-disclosure`, `extreme-values` (with the `small-count` errors of medians and extremes
//! of small groups) and the cross-file `differencing`. Exact places, `related` files, pass
//! cases, and a snapshot of each folder's text report.

mod common;
use common::{case, report};

use export_check::config::Rules;
use export_check::engine::{check, Options};
use export_check::finding::{Severity, Verdict};
use export_check::report::text::{render, Colour};
use export_check::report::Report;

/// Places (`B4`) of the findings of `rule` in the file `file` of a folder report.
fn places(r: &Report, file: &str, rule: &str) -> Vec<String> {
    let f = r
        .files
        .iter()
        .find(|f| f.path == file)
        .unwrap_or_else(|| panic!("{file} not in report"));
    f.findings
        .iter()
        .filter(|x| x.rule == rule)
        .map(|x| {
            x.location
                .cell
                .clone()
                .unwrap_or_else(|| x.location.describe())
        })
        .collect()
}

fn verdict(r: &Report, file: &str) -> Verdict {
    r.files
        .iter()
        .find(|f| f.path == file)
        .map(|f| f.verdict)
        .unwrap_or_else(|| panic!("{file} not in report"))
}

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
fn medians_and_extremes_of_small_groups_are_small_counts() {
    let r = report("extreme-values");
    let s = "small-count";
    // The N cell itself, the median and the maximum of the group of three.
    assert_eq!(
        places(&r, "median_small_group.csv", s),
        vec!["B3", "C3", "D3"]
    );
    // The N row's small cell, then the median, min and max of that column.
    assert_eq!(
        places(&r, "wide_summary_extremes.csv", s),
        vec!["C2", "C4", "C5", "C6"]
    );
    // `n=` in the header: the header and the median; the mean is left to the header finding.
    assert_eq!(places(&r, "median_n_in_header.csv", s), vec!["C1", "C2"]);
}

/// The messages of the findings of `rule` in `file` of a folder report.
fn messages(r: &Report, file: &str, rule: &str) -> Vec<String> {
    r.files
        .iter()
        .filter(|f| f.path == file)
        .flat_map(|f| f.findings.iter())
        .filter(|x| x.rule == rule)
        .map(|x| x.message.clone())
        .collect()
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

/// Places of the findings in `file` whose message contains `word`.
fn m_places(r: &Report, file: &str, word: &str) -> Vec<String> {
    r.files
        .iter()
        .filter(|f| f.path == file)
        .flat_map(|f| f.findings.iter())
        .filter(|x| x.message.contains(word))
        .filter_map(|x| x.location.cell.clone())
        .collect()
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

#[test]
fn side_rule_folder_snapshots() {
    for folder in ["group-disclosure", "extreme-values"] {
        let r = report(folder);
        insta::assert_snapshot!(folder, render(&r, Colour::Never));
    }
}

/// `(file, rule, place, related)` of every finding of a folder report, info findings (such as
/// back-calculation's "no totals detected") left out.
fn all_findings(r: &Report) -> Vec<(String, String, String, Vec<String>)> {
    r.files
        .iter()
        .flat_map(|f| {
            f.findings
                .iter()
                .filter(|x| x.severity != Severity::Info)
                .map(|x| {
                    (
                        f.path.clone(),
                        x.rule.to_string(),
                        x.location
                            .cell
                            .clone()
                            .unwrap_or_else(|| x.location.describe()),
                        x.related.clone(),
                    )
                })
        })
        .collect()
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn differencing_subpopulation_complement_tc4() {
    let r = report("differencing/subpopulation");
    assert_eq!(
        all_findings(&r),
        vec![
            (s("men.csv"), s("differencing"), s("B3"), vec![s("all.csv")]),
            (s("men.csv"), s("differencing"), s("C3"), vec![s("all.csv")]),
        ]
    );
    assert_eq!(verdict(&r, "men.csv"), Verdict::Fail);
    assert_eq!(verdict(&r, "all.csv"), Verdict::Pass);
    let msg = &r.files[1]
        .findings
        .iter()
        .find(|x| x.rule == "differencing")
        .unwrap()
        .message;
    assert!(
        msg.contains("'all.csv'") && msg.contains("row '21-30'"),
        "{msg}"
    );
    // Under the UK threshold of 10 the complements 5 and 7 of column HD count too.
    let uk = Rules::load("uk", None, None).unwrap();
    let r = check(
        &case("differencing/subpopulation"),
        &uk,
        &Options::default(),
    )
    .unwrap();
    let diff: Vec<String> = all_findings(&r)
        .into_iter()
        .filter(|f| f.1 == "differencing")
        .map(|f| f.2)
        .collect();
    assert_eq!(diff, vec!["B3", "C3", "B4", "B5"]);
}

#[test]
fn differencing_population_from_a_constant_column() {
    let r = report("differencing/constant_column");
    assert_eq!(
        all_findings(&r),
        vec![(
            s("by_sex_female.csv"),
            s("differencing"),
            s("C2"),
            vec![s("overall.csv")]
        )]
    );
}

#[test]
fn differencing_overlapping_bands_tc5() {
    let r = report("differencing/overlapping_bands");
    assert_eq!(
        all_findings(&r),
        vec![(
            s("admissions_b.csv"),
            s("differencing"),
            s("B2"),
            vec![s("admissions_a.csv")]
        )]
    );
    let msg = &r.files[1]
        .findings
        .iter()
        .find(|x| x.rule == "differencing")
        .unwrap()
        .message;
    assert!(msg.contains("16-17"), "{msg}");
}

#[test]
fn differencing_leaves_unrelated_tables_alone() {
    let r = report("differencing/unrelated");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", all_findings(&r));
}

#[test]
fn differencing_near_duplicate_group_sizes_need_review() {
    let r = report("differencing/repeat_n");
    assert_eq!(
        all_findings(&r),
        vec![(
            s("sensitivity_analysis.csv"),
            s("differencing"),
            s("B1"),
            vec![s("main_analysis.csv")]
        )]
    );
    assert_eq!(r.verdict, Verdict::Review);
}

#[test]
fn differencing_compares_only_within_a_folder_and_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("men");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        dir.path().join("all.csv"),
        "Age,HD\n21-30,8\n31-40,10\n41-50,15\n",
    )
    .unwrap();
    // The same categories for men, but in another folder: not compared.
    std::fs::write(sub.join("men.csv"), "Age,HD\n21-30,7\n31-40,5\n41-50,8\n").unwrap();
    let mut big = String::from("Group,n\n");
    for i in 0..1500 {
        big.push_str(&format!("G{i},{}\n", 100 + i));
    }
    std::fs::write(dir.path().join("big.csv"), &big).unwrap();
    let r = check(dir.path(), &Rules::default_rules(), &Options::default()).unwrap();
    let found = all_findings(&r);
    assert!(
        found
            .iter()
            .all(|f| f.1 != "differencing" || f.0 == "big.csv"),
        "{found:?}"
    );
    let big = r.files.iter().find(|f| f.path == "big.csv").unwrap();
    let diff: Vec<_> = big
        .findings
        .iter()
        .filter(|x| x.rule == "differencing")
        .collect();
    assert_eq!(diff.len(), 1, "{:?}", big.findings);
    assert_eq!(diff[0].severity, Severity::Info);
    assert_eq!(big.verdict, Verdict::Pass);
}

#[test]
fn differencing_folder_snapshots() {
    for folder in [
        "differencing/subpopulation",
        "differencing/overlapping_bands",
        "differencing/unrelated",
        "differencing/repeat_n",
        "differencing/constant_column",
    ] {
        let r = report(folder);
        insta::assert_snapshot!(folder.replace('/', "__"), render(&r, Colour::Never));
    }
}
