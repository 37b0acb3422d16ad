//! The synthetic cases under `fixtures/cases/`: each file's verdict and the exact places of its
//! findings, and a snapshot of each folder's text report.

mod common;
use common::{case, report, report_with};

use export_check::config::Rules;
use export_check::engine::{check, Options};
use export_check::finding::Verdict;
use export_check::report::text::{render, Colour};
use export_check::report::Report;

/// `(rule, place)` of every finding of a single-file report, place as `B4` or the location text.
fn findings(r: &Report) -> Vec<(String, String)> {
    assert_eq!(r.files.len(), 1);
    r.files[0]
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                f.location
                    .cell
                    .clone()
                    .unwrap_or_else(|| f.location.describe()),
            )
        })
        .collect()
}

fn places(r: &Report, rule: &str) -> Vec<String> {
    findings(r)
        .into_iter()
        .filter(|(id, _)| id == rule)
        .map(|(_, p)| p)
        .collect()
}

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

#[test]
fn utf16_tables_are_read() {
    let r = report("encodings/utf16le_small.tsv");
    assert_eq!(places(&r, "small-count"), vec!["B3"]);
}

#[test]
fn data_sets_executables_junk_and_renamed_archives_fail() {
    for f in [
        "file-type/cohort.sas7bdat",
        "file-type/tool.bin",
        "file-type/junk.dat",
        "file-type/renamed_archive.csv",
    ] {
        let r = report(f);
        assert_eq!(r.verdict, Verdict::Fail, "{f}");
        assert_eq!(places(&r, "file-type").len(), 1, "{f}: {:?}", findings(&r));
    }
    let r = report("file-type/renamed_archive.csv");
    assert!(
        r.files[0].findings[0].message.contains("zip"),
        "{}",
        r.files[0].findings[0].message
    );
}

#[test]
fn hidden_files_need_review() {
    let r = report("file-type/.Rhistory");
    assert_eq!(r.verdict, Verdict::Review, "{:?}", findings(&r));
}

#[test]
fn messages_never_repeat_small_counts() {
    // No number from 1 to 4 stands alone in a message (the threshold 5 may).
    let r = check(&case(""), &Rules::default_rules(), &Options::default()).unwrap();
    let mut seen = 0;
    for f in &r.files {
        for x in &f.findings {
            // Counts of cells and relations in a derivation ("3 visible cells") are not data.
            let mut message = x.message.replace(",000", "000");
            for phrase in [
                " visible cell",
                " possible value",
                " unknown cell",
                " relations",
                " suppressed cell",
            ] {
                while let Some(at) = message.find(phrase) {
                    let start = message[..at]
                        .rfind(|c: char| !c.is_ascii_digit())
                        .map_or(0, |i| i + 1);
                    message.replace_range(start..at + phrase.len(), "#");
                }
            }
            // Numbers standing alone: not cell names (`B2`) or verdict codes (`[B1]`).
            let runs: Vec<&str> = message
                .split(|c: char| !c.is_alphanumeric())
                .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
                .collect();
            for run in runs {
                let n: u64 = run.parse().unwrap_or(0);
                assert!(!(1..=4).contains(&n), "{}: {}", f.path, x.message);
            }
            seen += 1;
        }
    }
    assert!(seen > 10);
}

#[test]
fn folder_snapshots() {
    for folder in ["small-count", "encodings", "file-type"] {
        let r = report(folder);
        insta::assert_snapshot!(folder, render(&r, Colour::Never));
    }
}

/// A `Code` column of whole numbers beside a year column holds category codes, not counts.
#[test]
fn code_columns_are_labels() {
    let r = report("small-count/year_code_columns.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
    assert!(places(&r, "small-count").is_empty());
}

/// A `;` file whose header holds a comma and whose numbers carry decimal commas is read with
/// `;`: the decimals are not split off into cells of their own.
#[test]
fn a_comma_in_a_semicolon_header_does_not_split_the_numbers() {
    let r = report("percent/semicolon_comma_header_pass.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
    assert!(r.files[0].findings.is_empty(), "{:?}", findings(&r));
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
}
