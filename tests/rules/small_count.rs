//! `small-count`: the exact places of its findings on the cases under
//! `fixtures/cases/small-count/`, the medians and extremes of small groups under
//! `fixtures/cases/extreme-values/`, and SAS and Stata frequency tables under
//! `fixtures/cases/logs/`.

use crate::common::logs::only;
use crate::common::places::by_cell::{findings, places};
use crate::common::places::in_folder;
use crate::common::{report, report_with};

use export_check::config::Rules;
use export_check::finding::{Severity, Verdict};

#[test]
fn nordic_semicolon_table_flags_only_the_small_cell() {
    let r = report("small-count/nordic_semicolon_small.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(places(&r, "small-count"), vec!["B4"]);
    let msg = &r.files[0].findings[0].message;
    assert_eq!(msg, "count below 5 in column 'Antal', row 'Samsø'");
}

#[test]
fn n_percent_cells_are_checked_by_their_n() {
    let r = report("small-count/n_pct_small.csv");
    assert_eq!(places(&r, "small-count"), vec!["B4", "C4"]);
    let sc: Vec<_> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "small-count")
        .collect();
    assert!(sc[0].message.contains("n (%)"));
}

#[test]
fn no_false_alarms_on_models_years_summaries_rounding_and_markers() {
    for f in [
        "small-count/model_coefficients.csv",
        "small-count/counts_by_year.csv",
        "small-count/wide_summary.csv",
        "small-count/rounded_base5.csv",
        "small-count/suppressed_markers.csv",
        "small-count/index_column.csv",
        "small-count/finnish_decimal_comma.csv",
        "small-count/zero_cells.csv",
        "small-count/regression_summary.csv",
        "encodings/utf8_bom_safe.csv",
        "encodings/utf16be_safe.tsv",
    ] {
        let r = report(f);
        assert_eq!(r.verdict, Verdict::Pass, "{f}: {:?}", findings(&r));
    }
}

#[test]
fn the_n_beside_a_mean_counts() {
    let r = report("small-count/mean_over_three.csv");
    assert_eq!(places(&r, "small-count"), vec!["B3"]);
    let r = report("small-count/mean_n_in_header.csv");
    assert_eq!(places(&r, "small-count"), vec!["B1"]);
    assert!(r.files[0].findings[0].message.contains("header"));
}

#[test]
fn zeros_fail_only_when_the_profile_says_so() {
    let mut rules = Rules::default_rules();
    rules.thresholds.zero_is_unsafe = true;
    let r = report_with("small-count/zero_cells.csv", &rules);
    assert_eq!(places(&r, "small-count"), vec!["B2", "C4"]);
}

#[test]
fn several_tables_in_one_file_are_numbered() {
    let r = report("small-count/two_tables.txt");
    let f: Vec<_> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.severity != export_check::finding::Severity::Info)
        .collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].location.table, Some(2));
    assert_eq!(f[0].location.cell.as_deref(), Some("B9"));
}

/// A `.txt` of descriptive tables: a column header printed once over count and % pairs, blocks
/// per variable under section headings, tables of different widths. It is read as tables (not
/// as prose), category codes in the stub are labels, and only the small count is flagged.
#[test]
fn descriptive_sections_in_a_text_file_are_tables() {
    let r = report("small-count/descriptive_sections.txt");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(places(&r, "small-count"), vec!["F11"]);
    let f = &r.files[0].findings[0];
    assert_eq!(f.location.line, Some(11));
    assert_eq!(f.message, "count below 5 in column 'South'");
    assert!(
        places(&r, "back-calculation")
            .iter()
            .all(|p| p.starts_with("table ")),
        "no structure mismatch on totals over a partial breakdown: {:?}",
        findings(&r)
    );
    assert!(r.files[0]
        .findings
        .iter()
        .all(|f| f.severity != export_check::finding::Severity::Warning));
}

#[test]
fn counts_written_as_floats_are_counts() {
    let r = report("small-count/float_counts_small.csv");
    assert_eq!(places(&r, "small-count"), vec!["D4"]);
    // The group size in the row label is hidden in the message.
    let sc: Vec<_> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "small-count")
        .collect();
    assert!(sc[0].message.contains("n = …"), "{}", sc[0].message);
    let r = report("small-count/float_count_share.csv");
    assert_eq!(places(&r, "small-count"), vec!["D3"]);
    let sc: Vec<_> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "small-count")
        .collect();
    assert!(
        sc[0].message.contains("row 'age_band / 0-19'"),
        "{}",
        sc[0].message
    );
}

#[test]
fn fractions_are_checked() {
    let r = report("small-count/fraction_small.csv");
    assert_eq!(places(&r, "small-count"), vec!["B2"]);
}

/// A `Code` column of whole numbers beside a year column holds category codes, not counts.
#[test]
fn code_columns_are_labels() {
    let r = report("small-count/year_code_columns.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
    assert!(places(&r, "small-count").is_empty());
}

/// A code list's grouping column (`code,term,Grouping_6`, category numbers 1 to 6) holds
/// categories, not counts; a count column beside the same codes stays a count.
#[test]
fn a_grouping_column_of_a_code_list_is_a_label() {
    let r = report("small-count/codelist_grouping.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
    let dir = tempfile::tempdir().unwrap();
    let counts = "code,term,count\n22298006,Myocardial infarction,412\n194828000,Angina,3\n84114007,Heart failure,980\n";
    let r = crate::common::report_of_text(dir.path(), "code_counts.csv", counts);
    assert_eq!(places(&r, "small-count"), vec!["C3"]);
}

/// Markdown is read: its pipe tables are tables (a small count in a README's table fails), and
/// a codebook of variable names and value codes passes.
#[test]
fn markdown_pipe_tables_are_checked() {
    let r = report("small-count/readme_pipe_table.md");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(places(&r, "small-count"), vec!["B8"]);
    let r = report("small-count/codebook_pass.md");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
    // A pipe table whose columns also line up with spaces is one table, its cell said once.
    let dir = tempfile::tempdir().unwrap();
    let md = "# Results\n\n| Region | Patients |\n|--------|----------|\n| North  | 120      |\n| South  | 3        |\n";
    let r = crate::common::report_of_text(dir.path(), "README.md", md);
    let small: Vec<_> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "small-count")
        .collect();
    assert_eq!(small.len(), 1, "{small:#?}");
    assert_eq!(small[0].location.cell.as_deref(), Some("B6"));
}

#[test]
fn medians_and_extremes_of_small_groups_are_small_counts() {
    let r = report("extreme-values");
    let s = "small-count";
    // The N cell itself, the median and the maximum of the group of three.
    assert_eq!(
        in_folder::places(&r, "median_small_group.csv", s),
        vec!["B3", "C3", "D3"]
    );
    // The N row's small cell, then the median, min and max of that column.
    assert_eq!(
        in_folder::places(&r, "wide_summary_extremes.csv", s),
        vec!["C2", "C4", "C5", "C6"]
    );
    // `n=` in the header: the header and the median; the mean is left to the header finding.
    assert_eq!(
        in_folder::places(&r, "median_n_in_header.csv", s),
        vec!["C1", "C2"]
    );
}

/// Stata `tab a b, row col`: the key box is a legend and the row and column percentage lines
/// under each row are not rows of counts; the small count is found at its line.
#[test]
fn stata_crosstabs_with_percentages_are_read_by_their_frequencies() {
    only(
        "stata_tab_row_col_small.log",
        "small-count",
        Severity::Error,
        &[22],
    );
}

/// `Frequency Missing = 3` under a SAS frequency table is a count of missing values, a cell
/// like the others.
#[test]
fn sas_frequency_missing_is_a_count() {
    only(
        "sas_freq_missing_small.lst",
        "small-count",
        Severity::Error,
        &[10],
    );
}

/// Counts rounded to 5 (every count a multiple of 5, docs/tables.md §3.10): a shown 5 stands
/// for 3 to 7. Under a threshold of 6 that box reaches 6, so it is not a small count; under the
/// `uk` threshold of 10 the whole box is below it and every 5 is flagged, the 10s (8 to 12)
/// are not.
#[test]
fn a_rounded_count_is_small_only_when_its_whole_box_is() {
    let mut rules = Rules::default_rules();
    rules.thresholds.min_count = 6;
    let r = report_with("small-count/weekly_rounded_to_5.csv", &rules);
    assert_eq!(places(&r, "small-count"), Vec::<String>::new());
    let uk = Rules::load("uk", None, None).expect("uk profile");
    let r = report_with("small-count/weekly_rounded_to_5.csv", &uk);
    assert_eq!(places(&r, "small-count"), vec!["B4", "B7", "B9"]);
    // Without the rounding (one count of 7) a 5 is a count as shown.
    let r = report_with("small-count/weekly_unrounded.csv", &rules);
    assert_eq!(places(&r, "small-count"), vec!["B4", "B7", "B9"]);
}

/// The `time` column of a cumulative-incidence curve counts days (0, 1, 2, … per group, a day
/// without events left out), not persons; the cumulative count beside it stays a count.
#[test]
fn the_time_steps_of_a_curve_are_not_counts() {
    let r = report("small-count/curve_by_day.csv");
    assert_eq!(places(&r, "small-count"), vec!["C14"]);
}

/// Codes that key a table of estimates with the stub (`agetype;ageval;ethval;estimate`) are
/// levels, not counts. Counts beside a stub that shares labels do not become levels when they
/// tell no rows apart.
#[test]
fn codes_that_key_the_rows_are_levels() {
    let r = report("small-count/estimates_by_codes.csv");
    assert_eq!(places(&r, "small-count"), Vec::<String>::new());
    let r = report("small-count/repeated_stub_counts.csv");
    assert_eq!(places(&r, "small-count"), vec!["B2", "B3", "B4", "B5"]);
}

/// A 0/1 column before the month keys a long table with it (a pandas `groupby` written with
/// its row index): levels, not counts. Without a label beside them to key, the same small values
/// stay counts.
#[test]
fn an_indicator_that_keys_the_rows_is_a_level() {
    let r = report("small-count/indicator_keyed_measure.csv");
    assert_eq!(places(&r, "small-count"), Vec::<String>::new());
    let r = report("small-count/indicator_counts.csv");
    assert_eq!(places(&r, "small-count"), vec!["B3", "B4", "B5", "B7"]);
}

/// In a column where values have decimals (`44.2`), a `5.0` is a rate written with its one
/// decimal, not a count stored as a float, even under a `total` header.
#[test]
fn whole_values_among_decimals_are_not_counts() {
    let r = report("small-count/rates_written_with_decimals.csv");
    assert_eq!(places(&r, "small-count"), Vec::<String>::new());
    // `35.0` beside `12.0` is still a count stored as a float.
    let r = report("small-count/float_counts_small.csv");
    assert!(!places(&r, "small-count").is_empty());
}

/// Sibling columns (`visits_0` … `visits_15+`) that add up to 100 across the rows are each
/// group's percentage split, not counts; the same columns adding up to the group's size are
/// counts.
#[test]
fn a_split_that_adds_up_to_100_is_percentages() {
    let r = report("small-count/percent_split_over_columns.csv");
    assert_eq!(places(&r, "small-count"), Vec::<String>::new());
    let r = report("small-count/counts_split_over_columns.csv");
    assert_eq!(places(&r, "small-count"), vec!["E2"]);
}

/// In Stata's `tabulate` the column left of the bar holds the variable's values (`1`, `.` for
/// missing), never counts; the frequencies right of it are counts.
#[test]
fn stata_tab_values_left_of_the_bar_are_labels() {
    let (_, f) = crate::common::logs::findings("stata_tab_indicator.log");
    assert_eq!(f, vec![("small-count".to_string(), Severity::Error, 18)]);
}

#[test]
fn a_narrow_printed_tibble_keeps_its_counts() {
    // R numbers the rows of every tibble; with one column of values beside its names it is a
    // table, not a listing of records, so its counts are counts. The row numbers are the
    // stub, even in a row whose name says count (`n_visits`).
    let r = report("small-count/tibble_of_counts.Rout");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(places(&r, "small-count"), vec!["C10"]);
    assert!(
        findings(&r).iter().all(|f| f.0 != "log-listing"),
        "{:?}",
        findings(&r)
    );
}

#[test]
fn levels_beside_hazard_ratios_are_labels_and_counts_beside_means_are_counts() {
    // Model output: every cell but the levels is a word, an estimate with its interval or a
    // reference marker; the headerless column of whole numbers holds each variable's levels.
    let r = report("small-count/hazard_ratios_by_level.tsv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
    // A mean with its SD is no such evidence: the number beside it is a count of persons.
    let r = report("small-count/counts_beside_means.tsv");
    assert_eq!(places(&r, "small-count"), vec!["B1"]);
}

/// A table whose title says it counts organisations (practices, care homes) holds no person's
/// count: its small counts ask a person to confirm the unit (a warning) instead of blocking; the
/// same table of patients blocks.
#[test]
fn small_counts_of_organisations_are_warnings_and_of_patients_errors() {
    let r = report("small-count/organisation_missingness.Rout");
    let sc: Vec<_> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "small-count")
        .collect();
    assert_eq!(sc.len(), 2, "{:?}", findings(&r));
    for f in &sc {
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.message.contains("of gp practice (organisations"),
            "{}",
            f.message
        );
    }
    assert_eq!(r.verdict, Verdict::Review);
    let r = report("small-count/person_missingness.Rout");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", findings(&r));
    let errors = r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "small-count" && f.severity == Severity::Error)
        .count();
    assert_eq!(errors, 2);
}

/// Files written once per item of a list share their header but for one column named after
/// each file. Where that column holds codes in the others (concept ids), the `1` of a yes/no
/// codelist is a code too: one warning instead of a small count per row. Where it counts
/// deaths in every file, each small count stays an error.
#[test]
fn a_family_of_files_tells_a_code_column_from_a_count() {
    let r = report("small-count/codelist_family");
    assert_eq!(r.verdict, Verdict::Review, "{:?}", findings(&r));
    let registered = r
        .files
        .iter()
        .find(|f| f.path.contains("registered"))
        .expect("the registered file is checked");
    let sc: Vec<_> = registered
        .findings
        .iter()
        .filter(|f| f.rule == "small-count")
        .collect();
    assert_eq!(sc.len(), 1, "{sc:?}");
    assert_eq!(sc[0].severity, Severity::Warning);
    assert!(sc[0].message.contains("read as codes"), "{}", sc[0].message);
    assert_eq!(sc[0].location.column, Some(3));
    let r = report("small-count/count_family");
    assert_eq!(r.verdict, Verdict::Fail);
    for f in &r.files {
        let errors = f
            .findings
            .iter()
            .filter(|x| x.rule == "small-count" && x.severity == Severity::Error)
            .count();
        assert_eq!(errors, 1, "{}", f.path);
    }
}
