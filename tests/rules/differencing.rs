//! `differencing` on the cases under `fixtures/cases/differencing/`: the pairwise comparisons
//! of tables in one folder (sub-populations, overlapping bands, near-duplicate group sizes), and
//! the merged atom audit (`docs/tables.md §8`): what pairwise differences cannot catch
//! (suppressed cells recovered from another banding, three-term differences, tables within one
//! file), declared links (TC-6, TC-7), the must-not-flag cases, and the validation of `[[link]]`
//! entries.

use crate::common::places::in_folder::verdict;
use crate::common::{case, report, report_with};

use std::io::Write;

use export_check::config::Rules;
use export_check::finding::{Severity, Verdict};
use export_check::report::Report;
use export_check::{check, Options};

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

/// `(file, place, severity, related)` of every `differencing` finding that is not info.
fn diff(r: &Report) -> Vec<(String, String, Severity, Vec<String>)> {
    r.files
        .iter()
        .flat_map(|f| {
            f.findings
                .iter()
                .filter(|x| x.rule == "differencing" && x.severity != Severity::Info)
                .map(|x| {
                    (
                        f.path.clone(),
                        x.location
                            .cell
                            .clone()
                            .unwrap_or_else(|| x.location.describe()),
                        x.severity,
                        x.related.clone(),
                    )
                })
        })
        .collect()
}

fn message<'r>(r: &'r Report, file: &str, cell: &str) -> &'r str {
    r.files
        .iter()
        .find(|f| f.path == file)
        .and_then(|f| {
            f.findings
                .iter()
                .find(|x| x.rule == "differencing" && x.location.cell.as_deref() == Some(cell))
        })
        .map(|x| x.message.as_str())
        .unwrap_or_else(|| panic!("no differencing finding at {file} {cell}"))
}

fn s(x: &str) -> String {
    x.to_string()
}

fn e(file: &str, cell: &str, related: &[&str]) -> (String, String, Severity, Vec<String>) {
    (
        s(file),
        s(cell),
        Severity::Error,
        related.iter().map(|r| s(r)).collect(),
    )
}

fn w(file: &str, cell: &str, related: &[&str]) -> (String, String, Severity, Vec<String>) {
    (
        s(file),
        s(cell),
        Severity::Warning,
        related.iter().map(|r| s(r)).collect(),
    )
}

fn rules(profile: &str, file: Option<&str>, threshold: Option<u32>) -> Rules {
    let path = file.map(case);
    Rules::load(profile, path.as_deref(), threshold).expect("rules load")
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
fn a_suppressed_cell_is_recovered_from_another_banding() {
    // bands_a.csv hides 16-17 as `<5` beside an `x`, which protects it within the table;
    // bands_b.csv's 0-17 minus bands_a.csv's 0-15 gives it back. The pairwise band check
    // cannot see it (a hidden band breaks the runs); one finding, on the suppressed cell.
    // The `x` beside it hides nothing: bands_b.csv publishes 18-64 (B5, a warning).
    let r = report("differencing/suppressed_banding");
    assert_eq!(
        diff(&r),
        vec![
            e("bands_a.csv", "B3", &["bands_b.csv"]),
            w("bands_a.csv", "B4", &["bands_b.csv"]),
        ]
    );
    let m = message(&r, "bands_a.csv", "B3");
    assert!(m.contains("'bands_b.csv'") && m.contains("exactly"), "{m}");
    let m = message(&r, "bands_a.csv", "B4");
    assert!(m.contains("hides nothing") && !m.contains("297"), "{m}");
}

#[test]
fn three_term_difference_all_minus_men_minus_women() {
    // all − men − women = 2 in North: neither pair alone shows it.
    let r = report("differencing/three_tables");
    assert_eq!(
        diff(&r),
        vec![e("women.csv", "B2", &["all.csv", "men.csv"])]
    );
    let m = message(&r, "women.csv", "B2");
    assert!(
        m.contains("not men or women") && m.contains("row 'North'"),
        "{m}"
    );
}

#[test]
fn tables_within_one_file_are_compared() {
    // An all-persons block and a women block in one CSV.
    let r = report("differencing/one_file");
    assert_eq!(diff(&r), vec![e("by_sex.csv", "B9", &[])]);
    let f = &r.files[0].findings;
    let x = f
        .iter()
        .find(|x| x.rule == "differencing" && x.severity == Severity::Error)
        .unwrap();
    assert_eq!(x.location.table, Some(2));
    assert!(
        x.message.contains("1st table of this file"),
        "{}",
        x.message
    );
}

#[test]
fn tc4_subpopulation_through_the_audit_at_the_uk_threshold() {
    // The complement cells 1, 1 (row 21-30), 5 and 7 (HD 31-40, 41-50) under t = 10; the
    // published male 7 and 5 are small-count's, not differencing findings.
    let r = report_with("differencing/subpopulation", &rules("uk", None, None));
    assert_eq!(
        diff(&r),
        vec![
            e("men.csv", "B3", &["all.csv"]),
            e("men.csv", "C3", &["all.csv"]),
            e("men.csv", "B4", &["all.csv"]),
            e("men.csv", "B5", &["all.csv"]),
        ]
    );
}

#[test]
fn tc6_contains_link_differences_the_geographies() {
    // Without the link the audit does not merge the two areas, but their tables are the same
    // layout with every OA cell at most its ED cell and half of the cells equal: the nested
    // near-duplicate check flags the same three cells.
    let unlinked = report("differencing/tc6_geography");
    assert_eq!(
        diff(&unlinked),
        vec![
            e("oa2001.csv", "B2", &["ed1991.csv"]),
            e("oa2001.csv", "C2", &["ed1991.csv"]),
            e("oa2001.csv", "B3", &["ed1991.csv"]),
        ]
    );
    assert!(message(&unlinked, "oa2001.csv", "C2").contains("fewer persons"));
    let r = report_with(
        "differencing/tc6_geography",
        &rules("default", Some("differencing/tc6_links.toml"), None),
    );
    // (>30, M) = 2, (>30, F) = 1, (16-30, M) = 2 fail; 16-30 F and ≤15 are 0.
    assert_eq!(
        diff(&r),
        vec![
            e("oa2001.csv", "B2", &["ed1991.csv"]),
            e("oa2001.csv", "C2", &["ed1991.csv"]),
            e("oa2001.csv", "B3", &["ed1991.csv"]),
        ]
    );
    let m = message(&r, "oa2001.csv", "C2");
    assert!(m.contains("area of 'ed1991.csv'"), "{m}");
    // Zeros count when the profile says so.
    let mut zero = rules("default", Some("differencing/tc6_links.toml"), None);
    zero.thresholds.zero_is_unsafe = true;
    let r = report_with("differencing/tc6_geography", &zero);
    assert_eq!(diff(&r).len(), 6, "{:?}", diff(&r));
}

#[test]
fn tc7_equal_population_link() {
    // Females living and working in A = 22 − 21 = 1, working in A and living elsewhere =
    // 27 − 23 = 4: fail. Living in A and working elsewhere = (85 − 22) − 58 = 5 needs the
    // link (employed residents = the place-of-work table's total) and passes at t = 5.
    let base = vec![
        e("residence_men.csv", "B3", &["residence_all.csv"]),
        e("residence_men.csv", "B4", &["residence_all.csv"]),
        e("workplace_men.csv", "B3", &["workplace_all.csv"]),
    ];
    // With the link, the suppressed total of workplace_all.csv is emp.csv's 85, and its
    // `Works elsewhere` follows: both suppressions hide nothing (B5 warnings).
    let mut linked_base = base.clone();
    linked_base.insert(
        2,
        w("workplace_all.csv", "B4", &["emp.csv", "workplace_men.csv"]),
    );
    linked_base.insert(
        3,
        w("workplace_all.csv", "B5", &["emp.csv", "workplace_men.csv"]),
    );
    let linked = rules("default", Some("differencing/tc7_links.toml"), None);
    assert_eq!(
        diff(&report_with("differencing/tc7_linking", &linked)),
        linked_base
    );
    // At t = 6 the 5 fails, through the link only.
    let linked6 = rules("default", Some("differencing/tc7_links.toml"), Some(6));
    let r = report_with("differencing/tc7_linking", &linked6);
    let mut with_link = linked_base.clone();
    with_link.push(e(
        "workplace_men.csv",
        "B4",
        &["emp.csv", "workplace_all.csv"],
    ));
    assert_eq!(diff(&r), with_link);
    let unlinked6 = rules("default", None, Some(6));
    assert_eq!(
        diff(&report_with("differencing/tc7_linking", &unlinked6)),
        base
    );
}

#[test]
fn properly_suppressed_pairs_pass() {
    let r = report("differencing/suppressed_pass");
    assert_eq!(diff(&r), vec![]);
}

#[test]
fn rounded_tables_within_rounding_pass() {
    // Differences of 5 between tables rounded to 5 are not counts under t = 10: the true
    // values behind 25 and 20 differ by 1 to 9.
    let r = report_with("differencing/rounded_pass", &rules("uk", None, None));
    assert_eq!(diff(&r), vec![]);
    // Read as exact, the same numbers would be flagged.
    let dir = tempfile::tempdir().unwrap();
    for f in ["all.csv", "men.csv"] {
        let text = std::fs::read_to_string(case("differencing/rounded_pass").join(f)).unwrap();
        let text = text.replace(" (rounded to the nearest 5)", "");
        std::fs::write(dir.path().join(f), text).unwrap();
    }
    let r = check(dir.path(), &rules("uk", None, None), &Options::default()).unwrap();
    assert_eq!(diff(&r).len(), 2, "{:?}", diff(&r));
}

#[test]
fn unrelated_tables_sharing_labels_pass() {
    // A men's table with a cell above the all-persons one is not a sub-population.
    assert_eq!(diff(&report("differencing/nested_check")), vec![]);
    assert_eq!(report("differencing/unrelated").verdict, Verdict::Pass);
}

#[test]
fn partial_audit_falls_back_to_pairwise_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let rules_path = dir.path().join("rules.toml");
    std::fs::write(&rules_path, "[differencing]\nmax_atoms = 3\n").unwrap();
    let rules = Rules::load("default", Some(&rules_path), None).unwrap();
    let r = report_with("differencing/subpopulation", &rules);
    // The pairwise check still finds the complements, once each.
    assert_eq!(
        diff(&r),
        vec![
            e("men.csv", "B3", &["all.csv"]),
            e("men.csv", "C3", &["all.csv"]),
        ]
    );
    let info: Vec<&str> = r
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .filter(|x| x.rule == "differencing" && x.severity == Severity::Info)
        .map(|x| x.message.as_str())
        .collect();
    assert_eq!(info.len(), 2, "{info:?}");
    assert!(info.iter().all(|m| m.contains("partial")), "{info:?}");
}

#[test]
fn a_link_that_matches_nothing_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.toml");
    std::fs::write(
        &path,
        "[[link]]\nkind = \"contains\"\ntables = [\"ed1991.csv\", \"missing.csv\"]\n\
         [[link]]\nkind = \"equal_population\"\ncells = [\"ed1991.csv:No such row\", \"oa2001.csv:>30/Men\"]\n",
    )
    .unwrap();
    let rules = Rules::load("default", Some(&path), None).unwrap();
    let r = report_with("differencing/tc6_geography", &rules);
    let warned: Vec<(String, String)> = r
        .files
        .iter()
        .flat_map(|f| {
            f.findings
                .iter()
                .filter(|x| x.rule == "differencing" && x.severity == Severity::Warning)
                .map(|x| (f.path.clone(), x.message.clone()))
        })
        .collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert!(warned.iter().all(|(p, _)| p == "ed1991.csv"));
    assert!(warned[0].1.contains("links.toml, link 1"), "{warned:?}");
    assert!(warned[1].1.contains("links.toml, link 2"), "{warned:?}");
    // The OA table is the ED table minus a few persons (the nested near-duplicate errors).
    assert_eq!(r.verdict, Verdict::Fail);
}

#[test]
fn bad_links_stop_the_run_naming_the_file_and_entry() {
    let bad = [
        (
            "[[link]]\nkind = \"contains\"\ntables = [\"a.csv\"]\n",
            "exactly two files",
        ),
        (
            "[[link]]\nkind = \"equal_population\"\ncells = [\"a.csv\", \"b.csv:Total\"]\n",
            "'a.csv'",
        ),
        (
            "[[link]]\nkind = \"contains\"\ntables = [\"../a.csv\", \"b.csv\"]\n",
            "relative to the checked folder",
        ),
        (
            "[[link]]\nkind = \"equal_population\"\ncells = [\"a.csv:Total\", \"b.csv:Total\"]\ndimension = \"area\"\n",
            "takes `cells`",
        ),
        ("[[link]]\nkind = \"overlaps\"\n", "unknown variant"),
        (
            "[[link]]\nkind = \"contains\"\ntables = [\"a.csv\", \"b.csv\"]\ndimenson = \"x\"\n",
            "dimenson",
        ),
    ];
    for (text, want) in bad {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        write!(f, "[thresholds]\nmin_count = 5\n\n{text}").unwrap();
        let msg = Rules::load("default", Some(f.path()), None)
            .unwrap_err()
            .to_string();
        let name = f.path().display().to_string();
        assert!(msg.starts_with(&name), "{msg}");
        // The line of the entry (validation) or of the bad key (parsing).
        assert!((4..=7).any(|l| msg.contains(&format!(":{l}:"))), "{msg}");
        assert!(msg.contains(want), "{want}: {msg}");
    }
    // The CLI exits 2.
    let mut f = tempfile::NamedTempFile::new().unwrap();
    write!(f, "[[link]]\nkind = \"contains\"\ntables = [\"a.csv\"]\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_export-check"))
        .arg("-r")
        .arg(f.path())
        .arg(case("differencing/tc6_geography"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[[link]] 1"));
}

#[test]
fn cell_references_parse() {
    use export_check::config::{CellRef, TableRef};
    let c = CellRef::parse("res.csv:Area A/Number living in area").unwrap();
    assert_eq!(c.table.path, "res.csv");
    assert_eq!(c.table.table, None);
    assert_eq!(c.cell, "Area A/Number living in area");
    let c = CellRef::parse("tables/t1.csv#2:Total").unwrap();
    assert_eq!(
        c.table,
        TableRef {
            path: "tables/t1.csv".into(),
            table: Some(2)
        }
    );
    assert!(CellRef::parse("t1.csv").is_err());
    assert!(CellRef::parse("t1.csv:").is_err());
    assert!(CellRef::parse("t1.csv#0:Total").is_err());
    assert!(CellRef::parse("/abs/t1.csv:Total").is_err());
}

#[test]
fn messages_do_not_carry_the_differenced_values() {
    for (folder, rules) in [
        (
            "differencing/tc6_geography",
            Some("differencing/tc6_links.toml"),
        ),
        (
            "differencing/tc7_linking",
            Some("differencing/tc7_links.toml"),
        ),
        ("differencing/three_tables", None),
        ("differencing/suppressed_banding", None),
    ] {
        let r = report_with(folder, &self::rules("default", rules, None));
        for f in &r.files {
            for x in f.findings.iter().filter(|x| x.rule == "differencing") {
                let digits: Vec<&str> = x
                    .message
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()))
                    .collect();
                for d in digits {
                    let n: u32 = d.parse().unwrap_or(0);
                    // The threshold, band edges and file-name years may appear; small counts not.
                    assert!(!(1..=4).contains(&n), "{}: {}", f.path, x.message);
                }
            }
        }
    }
}

#[test]
fn bands_written_differently_still_align() {
    // `0–15 år`, `16–64 år`, `65 år og derover` under `Aldersgruppe` and `0-17`, `18 to 64`,
    // `65+` under `Age`: the same variable and population (65+ and the totals agree), so
    // 0-17 minus 0-15 gives the count aged 16-17.
    let r = report("differencing/band_notation");
    assert_eq!(diff(&r), vec![e("alder_b.csv", "B2", &["alder_a.csv"])]);
    let m = message(&r, "alder_b.csv", "B2");
    assert!(m.contains("band 16-17") && m.contains("exactly"), "{m}");
}

#[test]
fn a_table_that_is_another_minus_a_few_persons_fails_at_the_differing_cells() {
    // deaths_excl.csv equals deaths_all.csv except 40-64 (2 fewer) and the total (2 fewer):
    // the difference table describes the two persons left out, and their age band.
    for profile in ["default", "uk"] {
        let r = report_with("differencing/nested_repeat", &rules(profile, None, None));
        assert_eq!(
            diff(&r),
            vec![
                e("deaths_excl.csv", "B3", &["deaths_all.csv"]),
                e("deaths_excl.csv", "B5", &["deaths_all.csv"]),
            ],
            "{profile}"
        );
        let m = message(&r, "deaths_excl.csv", "B3");
        assert!(m.contains("row '40-64'") && !m.contains(" 2 "), "{m}");
    }
}

#[test]
fn a_table_one_repeated_after_an_exclusion_shows_who_was_left_out() {
    // `n (%)` cells under `All patients (N = 1025)` and `(N = 1023)`: the group size in the
    // header does not make the columns different; the cells that differ describe the two.
    let r = report("differencing/table1_exclusion");
    assert_eq!(
        diff(&r),
        vec![
            e("table1_sensitivity.csv", "B2", &["table1_main.csv"]),
            e("table1_sensitivity.csv", "B4", &["table1_main.csv"]),
        ]
    );
}

#[test]
fn two_years_of_one_register_table_are_not_nested() {
    // 2019 and 2020: cells go both ways and few are equal; only the near-duplicate totals
    // warning remains.
    let r = report("differencing/two_years");
    let got = diff(&r);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].2, Severity::Warning);
    assert_eq!(got[0].1, "B5");
}

#[test]
fn rounded_tables_differing_within_the_rounding_base_are_not_nested() {
    // Both tables are multiples of 5: 115 and 120 may hide any true difference.
    for profile in ["default", "uk"] {
        let r = report_with("differencing/nested_rounded", &rules(profile, None, None));
        assert_eq!(diff(&r), vec![], "{profile}");
    }
}

#[test]
fn a_total_column_joins_the_merged_system() {
    // by_sex.csv: Men `<5` and Women `x` in row 0-39 beside Total 23, protected within the
    // table; women.csv publishes the women of 0-39. With by_sex.csv's own relation Men + Women
    // = Total in the merged system, Men comes back exactly (B1, an error), and the `x` hides
    // nothing (B5, a warning). Without it, Men would only be narrowed by the complement.
    let r = report("differencing/column_total");
    assert_eq!(
        diff(&r),
        vec![
            e("by_sex.csv", "B2", &["women.csv"]),
            w("by_sex.csv", "C2", &["women.csv"]),
        ]
    );
    let m = message(&r, "by_sex.csv", "B2");
    assert!(m.contains("'women.csv'") && m.contains("exactly"), "{m}");
    assert!(!m.contains(" 3 ") && !m.contains("20"), "{m}");
    // The table alone is back-calculation's business and passes it.
    assert!(r.files[0]
        .findings
        .iter()
        .all(|f| f.rule != "back-calculation" || f.severity == Severity::Info));
}

#[test]
fn a_suppressed_cell_narrowed_across_tables_is_a_warning() {
    // deaths_all.csv hides 0-39 and 40-64 (x, x: 160 together); deaths_men.csv publishes the
    // men. Together, 0-39 of all persons lies within 0..3: narrowed below the threshold to more
    // than two values (B3w), a warning at the suppressed cell; neither table alone does it.
    for profile in ["default", "uk"] {
        let r = report_with("differencing/narrowed_warn", &rules(profile, None, None));
        // The persons not men aged 0-64 are known exactly too (hidden 0-39 and 40-64 of all
        // persons add up to a known total, and the men's are shown): B2 on the men's table.
        assert_eq!(
            diff(&r),
            vec![
                w("deaths_all.csv", "B2", &["deaths_men.csv"]),
                e("deaths_men.csv", "B2", &["deaths_all.csv"]),
            ],
            "{profile}"
        );
        let m = message(&r, "deaths_all.csv", "B2");
        assert!(m.contains("[B3w]") && !m.contains(" 3 "), "{m}");
        let m = message(&r, "deaths_men.csv", "B2");
        assert!(m.contains("[B2]") && !m.contains(" 3 "), "{m}");
    }
}

#[test]
fn a_total_column_with_consistent_suppression_across_tables_passes() {
    // The same by_sex.csv beside a women table that suppresses the women of 0-39 too.
    let r = report("differencing/column_total_pass");
    assert_eq!(diff(&r), vec![]);
    assert_eq!(r.verdict, Verdict::Pass);
}

#[test]
fn all_minus_men_is_small_even_when_the_women_cell_is_hidden() {
    // all.csv, men.csv and women.csv by age; women hide 40-59 (`<5`). All minus men gives the
    // persons of 40-59 who are not men exactly: an error on the men's table (B2), whatever the
    // women's table hides.
    let r = report("differencing/all_men_women_hidden");
    let got = diff(&r);
    assert!(got.contains(&e("men.csv", "B3", &["all.csv"])), "{got:?}");
    assert_eq!(r.verdict, Verdict::Fail);
}

#[test]
fn a_tabulation_repeated_after_dropping_a_few_is_an_error() {
    // Two Stata `tab` logs, the second after `drop if consent == 0`: the totals differ by a few
    // and every cell of the second is at most the first's, so the cells that differ describe the
    // dropped persons, even though only one cell is equal.
    let r = report("differencing/repeated_tab_logs");
    let got = diff(&r);
    assert!(
        got.iter().all(|(f, _, s, rel)| f == "consented.log"
            && *s == Severity::Error
            && rel == &vec!["full_cohort.log".to_string()]),
        "{got:?}"
    );
    assert_eq!(got.len(), 3, "{got:?}");
}

#[test]
fn a_table_whose_title_restricts_it_is_a_part_of_the_other() {
    // "restricted to age 65+": every cell at most the all-ages cell, so each difference is the
    // persons under 65; North's is small. The same numbers under two years' titles are left
    // alone.
    let r = report("differencing/restricted_title");
    assert_eq!(diff(&r), vec![e("table_b.csv", "B3", &["table_a.csv"])]);
    let r = report("differencing/two_years_titles_pass");
    assert!(diff(&r).is_empty(), "{:?}", diff(&r));
    assert_eq!(r.verdict, Verdict::Pass);
}

#[test]
fn a_title_with_an_unquoted_comma_is_still_a_title() {
    // `Patients …, restricted to age 65+` splits at its comma into two cells; it is read as
    // the title (not a header row), so the columns align and the restriction is seen.
    let r = report("differencing/restricted_title_comma");
    assert_eq!(diff(&r), vec![e("table_b.csv", "B3", &["table_a.csv"])]);
}

#[test]
fn differencing_a_total_file_gives_back_redacted_weekly_group_counts() {
    // A pivot of weekly counts by age group with a blank (redacted) cell, and the weekly
    // totals in another file: the total minus the shown groups is the blank count.
    let r = report("differencing/partition_weekly");
    assert_eq!(diff(&r), vec![e("by_age.csv", "D5", &["all_weeks.csv"])]);
    let msg = message(&r, "by_age.csv", "D5");
    assert!(
        msg.contains("'all_weeks.csv'")
            && msg.contains("row '2021-05-24'")
            && msg.contains("blank"),
        "{msg}"
    );
    // The week whose two blanks share more than the threshold, and the population counts
    // (large), give nothing.
    assert!(
        !msg.split(|c: char| !c.is_ascii_digit()).any(|n| n == "3"),
        "the value is not echoed: {msg}"
    );
}

#[test]
fn differencing_a_long_table_of_groups_and_a_file_of_totals() {
    let r = report("differencing/partition_long");
    assert_eq!(
        diff(&r),
        vec![e("by_region.csv", "C4", &["weekly_total.csv"])]
    );
    assert!(message(&r, "by_region.csv", "C4").contains("row '2021-W02'"));
}

#[test]
fn differencing_links_groups_to_a_total_only_when_the_shown_weeks_add_up() {
    // The groups count fewer persons than the total file in every complete week (adults
    // only): not a partition of the same population, so the blank is not given back.
    let r = report("differencing/partition_mismatch");
    assert_eq!(diff(&r), vec![]);
}

#[test]
fn differencing_tables_with_no_common_solution_link_nothing() {
    // The same regions with totals 511 and 531 under different suppression: no non-negative
    // counts satisfy both tables' cases, so they are not one population and their deaths
    // columns are not combined either.
    let r = report("differencing/contradictory_totals");
    assert_eq!(diff(&r), vec![]);
}

#[test]
fn differencing_a_table_released_again_with_a_few_persons_changed_needs_review() {
    // release2/table1.csv is release/table1.csv re-run: every count close to the first
    // release's, nine of them changed by fewer than 5 persons (both ways). One warning on the
    // later release, naming the earlier.
    let r = report("differencing/rerelease");
    assert_eq!(
        diff(&r),
        vec![w("release2/table1.csv", "B3", &["release/table1.csv"])]
    );
    assert!(message(&r, "release2/table1.csv", "B3").contains("'release/table1.csv'"));
    assert_eq!(verdict(&r, "release2/table1.csv"), Verdict::Review);
}

/// A table too large to keep is not compared with its other release, and says so: an info
/// finding on each release, naming the other. A table small enough is compared as before.
#[test]
fn differencing_a_release_too_large_to_compare_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::from("Group,n\n");
    for i in 0..1500 {
        big.push_str(&format!("G{i},{}\n", 100 + i));
    }
    for folder in ["release", "release2"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("big.csv"), &big).unwrap();
    }
    let r = check(dir.path(), &Rules::default_rules(), &Options::default()).unwrap();
    for (path, other) in [
        ("release/big.csv", "release2/big.csv"),
        ("release2/big.csv", "release/big.csv"),
    ] {
        let file = r.files.iter().find(|f| f.path == path).unwrap();
        let notes: Vec<_> = (file.findings.iter())
            .filter(|x| x.rule == "differencing")
            .collect();
        assert_eq!(notes.len(), 1, "{:?}", file.findings);
        assert_eq!(notes[0].severity, Severity::Info);
        assert!(
            notes[0].message.contains("other releases"),
            "{}",
            notes[0].message
        );
        assert_eq!(notes[0].related, vec![other.to_string()]);
        assert_eq!(file.verdict, Verdict::Pass);
    }
}

#[test]
fn differencing_same_named_tables_of_two_populations_are_not_releases() {
    // tpp/ and emis/ hold the same layout for two different populations: far apart, nothing.
    let r = report("differencing/rerelease_sites_pass");
    assert_eq!(diff(&r), vec![]);
}

#[test]
fn differencing_a_column_header_that_restricts_the_population() {
    // `Patients (18+)` beside `Patients`: North 121 and 119 leave a few children.
    let r = report("differencing/restricted_header");
    assert_eq!(diff(&r), vec![e("patients.csv", "C2", &[])]);
    // `Patienter 18 år+` in another file than the all-ages `Patienter`.
    let r = report("differencing/restricted_header_files");
    assert_eq!(diff(&r), vec![e("voksne.csv", "B2", &["all_ages.csv"])]);
}
