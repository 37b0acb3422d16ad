//! `back-calculation`: the exact places of its findings on the cases under
//! `fixtures/cases/back-calculation/`, the tables of both back-calculation rules that must pass,
//! and messages of either that never carry a recovered value.

use crate::common::places::with_severity::{errors, places, said, BC, PC};
use crate::common::{self, report};

use export_check::finding::{Severity, Verdict};

#[test]
fn tc03_margins_give_back_both_redacted_cells() {
    let r = report("back-calculation/tc03_opensafely_margins.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["B2", "C2"]);
    let m = &r.files[0].findings[0].message;
    assert!(
        m.contains("row 'Total'") && m.contains("visible cells"),
        "{m}"
    );
}

#[test]
fn tc14a_danish_group_sum_fails_at_the_row_total() {
    let r = report("back-calculation/tc14a_danish_group_sum.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["F3"]);
    assert!(r.files[0]
        .findings
        .iter()
        .any(|f| f.rule == BC && f.message.contains("[B2]")));
}

/// A total larger than the groups shown beside it implies a group not shown (unknown or other
/// sex): total minus the groups is that group's count, an error when it is below the threshold,
/// at the total's cell, for a total column and a total row alike. Groups not shown of at least
/// the threshold give nothing.
#[test]
fn a_total_over_the_groups_shown_gives_back_the_group_not_shown() {
    let r = report("back-calculation/implied_group_in_total_column.csv");
    assert_eq!(errors(&r, BC), vec!["D2"]);
    let m = &r.files[0].findings[0].message;
    assert!(
        m.contains("[B2]") && m.contains("group not shown in row 'North'"),
        "{m}"
    );
    assert!(
        !m.contains(" 2 ") && !m.contains("119"),
        "no count is echoed: {m}"
    );
    let r = report("back-calculation/implied_group_in_total_row.csv");
    assert_eq!(errors(&r, BC), vec!["B4"]);
    let r = report("back-calculation/implied_group_large_enough.csv");
    assert_eq!(places(&r, BC), vec![]);
    assert_eq!(r.verdict, Verdict::Pass);
}

/// Against the truth of generated tables: a region by sex table whose `Total` column also counts
/// a sex not shown, of 0 to 12 persons per region. The table fails at a region's total exactly
/// when that region's group not shown has 1 to 4 persons; otherwise nothing is said of it.
#[test]
fn groups_not_shown_are_found_exactly_when_small() {
    let mut rng = common::Lcg(0x5eed);
    let mut next = |n: u64| rng.below(n);
    let dir = tempfile::tempdir().unwrap();
    for case in 0..150 {
        let rows = 2 + next(5) as usize;
        let mut csv = String::from("Region,Men,Women,Total\n");
        let mut expected = Vec::new();
        for r in 0..rows {
            let (men, women, other) = (20 + next(200), 20 + next(200), next(13));
            csv.push_str(&format!(
                "Region {r},{men},{women},{}\n",
                men + women + other
            ));
            if (1..5).contains(&other) {
                expected.push(format!("D{}", r + 2));
            }
        }
        let r = common::report_of_text(dir.path(), &format!("case{case}.csv"), &csv);
        assert_eq!(errors(&r, BC), expected, "case {case}:\n{csv}");
        assert_eq!(
            said(&r, BC),
            expected,
            "case {case}: nothing else is said:\n{csv}"
        );
    }
}

#[test]
fn tc14b_secondary_suppression_passes() {
    let r = report("back-calculation/tc14b_secondary_suppressed.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", places(&r, BC));
}

/// A structural zero of a table rounded to 5 (`0` for a region one system does not have): its
/// box 0..2 narrows to 0 or 1 through the totals, which proves no one is there and is no B3.
#[test]
fn a_rounded_zero_narrowed_to_zero_or_one_is_no_disclosure() {
    let r = report("back-calculation/rounded_structural_zero.csv");
    assert_eq!(errors(&r, BC), Vec::<String>::new());
}

#[test]
fn tc17_rounded_totals_of_visible_cells_do_not_flag() {
    let r = report("back-calculation/tc17_rounded_redacted.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", places(&r, BC));
    assert!(places(&r, BC).iter().all(|(s, _)| *s == Severity::Info));
}

#[test]
fn tc18_table_one_residual_is_a_count() {
    let r = report("back-calculation/tc18_table1_residual.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["B2"]);
    assert!(r.files[0].findings[0].message.contains("residual"));
}

#[test]
fn sub_total_hierarchy_from_indentation() {
    let r = report("back-calculation/subtotal_hierarchy.csv");
    assert_eq!(errors(&r, BC), vec!["B4"]);
    assert!(r.files[0].findings[0].message.contains("row 'North'"));
}

#[test]
fn tc21_steps_of_the_number_at_risk_are_counts() {
    let r = report("back-calculation/tc21_number_at_risk.csv");
    assert_eq!(
        errors(&r, "back-calculation"),
        vec!["B3".to_string(), "B5".to_string()]
    );
}

#[test]
fn long_format_total_category() {
    let r = report("back-calculation/long_format_totals.csv");
    assert_eq!(errors(&r, BC), vec!["C5"]);
}

#[test]
fn header_groups_give_men_plus_women_equals_all() {
    // Men/<50 is hidden with Men/50+ in its group, so the group total alone gives only their
    // sum; All/<50 minus Women/<50 gives it back.
    let r = report("back-calculation/header_groups.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["B4"]);
    let m = &r.files[0].findings[0].message;
    assert!(m.contains("'All / <50'") && m.contains("[B1]"), "{m}");
}

#[test]
fn header_groups_without_group_totals_beside_an_overall_total() {
    // Men and Women have no total column of their own; `All` has one, carried under the `All`
    // group: it totals its own group (no structure mismatch), and All/<50 gives Men/<50 back.
    let r = report("back-calculation/header_groups_overall_total.csv");
    assert_eq!(errors(&r, BC), vec!["B3"]);
    assert!(
        r.files[0]
            .findings
            .iter()
            .all(|f| !f.message.contains("(structure mismatch S1)")),
        "{:?}",
        places(&r, BC)
    );
}

#[test]
fn second_label_free_pass_over_sub_totals() {
    // `County` is the sum of the four wards, which its sub-totals `North` and `South` keep
    // apart: only the second pass of the label-free scan, with those taken out, finds it.
    for f in [
        "back-calculation/label_free_second_pass.csv",
        "back-calculation/label_free_second_pass_rows.csv",
    ] {
        let r = report(f);
        assert_eq!(r.verdict, Verdict::Fail, "{f}");
        assert_eq!(errors(&r, BC), vec!["B2"], "{f}");
        let m = &r.files[0].findings[0].message;
        assert!(m.contains("'County'") && m.contains("[B1]"), "{f}: {m}");
    }
}

#[test]
fn tables_that_must_pass() {
    for f in [
        "back-calculation/header_groups_not_additive_pass.csv",
        "back-calculation/header_groups_rounded_pass.csv",
        "back-calculation/suppressed_2d_pass.csv",
        "back-calculation/model_coefficients.csv",
        "back-calculation/rounded_base5_pass.csv",
        "back-calculation/rounded_conventional_pass.csv",
        "back-calculation/at_risk_large_steps.csv",
        "back-calculation/tc14b_secondary_suppressed.csv",
        "back-calculation/stacked_breakdowns_rounded_pass.csv",
        "percent/safe_percentages.csv",
        "percent/opensafely_rounded_pct.csv",
        "percent/derived_denominator_safe.tsv",
        "percent/derived_not_a_partition.csv",
        "percent/tc22_unbounded_vector.csv",
        "percent/mean_not_its_sum.csv",
    ] {
        let r = report(f);
        assert_eq!(r.verdict, Verdict::Pass, "{f}: {:?}", r.files[0].findings);
    }
}

#[test]
fn model_table_gets_at_most_the_info_finding() {
    let r = report("back-calculation/model_coefficients.csv");
    assert!(r.files[0].findings.len() <= 1);
    assert!(r.files[0]
        .findings
        .iter()
        .all(|f| f.severity == Severity::Info && f.message.starts_with("no totals")));
}

#[test]
fn messages_never_carry_the_recovered_value() {
    // Each case with the value its findings recover.
    for (f, value) in [
        ("back-calculation/tc03_opensafely_margins.csv", "1"),
        ("back-calculation/tc18_table1_residual.csv", "3"),
        ("back-calculation/subtotal_hierarchy.csv", "3"),
        ("back-calculation/long_format_totals.csv", "3"),
        ("back-calculation/header_groups.csv", "3"),
        ("back-calculation/header_groups_overall_total.csv", "3"),
        ("back-calculation/label_free_second_pass.csv", "3"),
        ("back-calculation/label_free_second_pass_rows.csv", "3"),
        ("percent/tc11_n_header.csv", "3"),
        ("percent/tc13_rate.csv", "3"),
        ("percent/percent_only_n_header.csv", "2"),
        ("percent/row_percent_n_column.csv", "3"),
        ("percent/derived_denominator.tsv", "3"),
        ("percent/tc18_derived_residual.csv", "3"),
        ("percent/tc12_midpoint6_true_pct.csv", "2"),
        ("percent/tc22_bounded_vector.csv", "3"),
        ("percent/mean_with_total.csv", "3"),
        ("percent/proportion_n_header.csv", "2"),
        ("percent/group_means_suppressed_total.csv", "4"),
        ("percent/group_means_n_in_title.csv", "4"),
        ("percent/group_means_columns.csv", "4"),
        ("percent/group_means_two_hidden.csv", "2"),
        ("percent/group_means_two_hidden.csv", "4"),
        ("percent/proportion_of_n.csv", "3"),
        ("percent/proportion_of_n.csv", "4"),
        ("percent/indicator_mean_of_n.csv", "3"),
    ] {
        let r = report(f);
        for x in &r.files[0].findings {
            if x.rule != BC && x.rule != PC {
                continue;
            }
            // Cell counts in derivations ("3 visible cells") are not values.
            let mut m = x.message.clone();
            for phrase in [" visible cell", " possible value", " unknown cell"] {
                while let Some(at) = m.find(phrase) {
                    let start = m[..at]
                        .rfind(|c: char| !c.is_ascii_digit())
                        .map_or(0, |i| i + 1);
                    m.replace_range(start..at + phrase.len(), "#");
                }
            }
            // Numbers standing alone (not cell names like `B2` or codes like `[B1]`).
            let runs: Vec<&str> = m
                .split(|c: char| !c.is_alphanumeric())
                .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
                .collect();
            assert!(!runs.contains(&value), "{f}: {}", x.message);
        }
    }
}

/// A blank left where a cell was suppressed (ACRO writes suppressed cells empty) that the margins
/// give back exactly as 0: a warning under the default profile, where zeros need no protection,
/// and an error under the UK profile, whose output checkers suppress zeros as disclosive. The
/// message never says the cell holds zero under the UK profile. Without margins nothing is said.
#[test]
fn blank_suppressions_recovered_as_zero_follow_the_profile() {
    let default = report("back-calculation/blank_suppressed_zero.csv");
    assert_eq!(default.verdict, Verdict::Review);
    assert_eq!(
        places(&default, BC),
        vec![(Severity::Warning, "C2".to_string())]
    );
    let uk = export_check::config::Rules::load("uk", None, None).expect("uk profile");
    let strict = common::report_with("back-calculation/blank_suppressed_zero.csv", &uk);
    assert_eq!(strict.verdict, Verdict::Fail);
    assert_eq!(errors(&strict, BC), vec!["C2"]);
    let m = &strict.files[0].findings[0].message;
    assert!(!m.contains("zero") && !m.contains(" 0"), "{m}");
    let open = common::report_with("back-calculation/blank_no_margins_pass.csv", &uk);
    assert_eq!(open.verdict, Verdict::Pass);
    assert!(places(&open, BC).iter().all(|(s, _)| *s == Severity::Info));
}

/// `alle 5` (Finnish "under 5") in a column of counts hides a count, and the margins give it
/// back; the same words in a label column are an age band.
#[test]
fn words_that_hide_a_count_are_markers_in_count_columns() {
    let r = report("back-calculation/finnish_alle5_margins.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["B3"]);
}

/// Two "of which" rows (`heraf`) under one parent are together at most the parent, so a hidden
/// one is narrowed below the threshold: a warning at its cell.
#[test]
fn of_which_rows_together_bound_a_hidden_one() {
    let r = report("back-calculation/of_which_rows_bound.csv");
    assert_eq!(r.verdict, Verdict::Review);
    assert_eq!(places(&r, BC), vec![(Severity::Warning, "B3".to_string())]);
    assert!(r.files[0].findings[0].message.contains("[B3w]"));
}

/// ICD chapters written as a letter (`I` over `I20`, `I21`, `I22`) and code ranges (`I20-I25`
/// over `I20` … `I22`) are sub-totals of the codes under them, and a grand total adds up the
/// chapters only: a hidden code is given back by its chapter.
#[test]
fn code_chapters_and_code_ranges_are_sub_totals() {
    let r = report("back-calculation/icd_chapters.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["C5"]);
    assert!(
        places(&r, BC).iter().all(|(s, _)| *s == Severity::Error),
        "the grand total over the chapters is no mismatch: {:?}",
        places(&r, BC)
    );
    let r = report("back-calculation/icd_code_ranges.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["B3"]);
}

/// Tables aligned with spaces in a `.txt` are read like printed log tables: the indentation of
/// the stub is a hierarchy, and a header of two words over one column (`I alt`) is one column.
#[test]
fn space_aligned_text_tables_are_audited() {
    let r = report("back-calculation/aligned_regions.txt");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["B7"]);
    assert!(r.files[0].findings[0].message.contains("row 'Region Vest'"));
    let r = report("back-calculation/aligned_two_word_total.txt");
    assert_eq!(errors(&r, BC), vec!["B3"]);
    assert!(r.files[0]
        .findings
        .iter()
        .all(|f| !f.message.contains("'alt'")));
    let r = report("small-count/prose_notes.txt");
    assert_eq!(r.verdict, Verdict::Pass);
    assert!(r.files[0].findings.is_empty());
}

/// Two `<5` cells whose line total is 5: each is 1 to 4, which is what `<5` says where zeros
/// are shown, so no narrowing is reported; the two-cell line is (B6).
#[test]
fn not_zero_is_no_narrowing_where_zeros_are_shown() {
    let r = report("back-calculation/two_markers_in_a_line.csv");
    assert_eq!(r.verdict, Verdict::Review);
    let codes: Vec<bool> = r.files[0]
        .findings
        .iter()
        .map(|f| f.message.contains("[B6]"))
        .collect();
    assert_eq!(codes, vec![true], "{:?}", places(&r, BC));
}

/// "Table 3. Counts rounded to the nearest 10; totals rounded independently": the base is the
/// number after the rounding words (not the table's number), so margins that do not add up are
/// expected and nothing is said.
#[test]
fn the_rounding_base_is_read_after_the_rounding_words() {
    let r = report("back-calculation/rounded_10_declared_in_title_pass.csv");
    assert_eq!(r.verdict, Verdict::Pass);
    assert!(r.files[0].findings.is_empty(), "{:?}", places(&r, BC));
}

/// "randomly rounded to base 5": each shown value may be up to 4 away from the true one, so
/// totals 5 or more off the sum of their cells are expected, not an inconsistency.
#[test]
fn declared_random_rounding_widens_the_boxes() {
    let r = report("back-calculation/random_rounding_declared_pass.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", places(&r, BC));
}

#[test]
fn breakdowns_stacked_under_one_total_each_add_up_to_it() {
    // `All` over age bands, then sexes, then regions: each breakdown is its own relation, so
    // the redacted Female count comes back from All minus Male (it was a silent pass while
    // the rows were read as one breakdown of six times the total).
    let r = report("back-calculation/stacked_breakdowns.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, BC), vec!["C6"]);
    // Rounded to 5, every breakdown ties within its rounding: no S1.
    let r = report("back-calculation/stacked_breakdowns_rounded_pass.csv");
    assert!(r.files[0].findings.is_empty(), "{:?}", r.files[0].findings);
    // `total_north` and `total_south` are the parts of `total`, not totals that add up nothing.
    let r = report("back-calculation/totals_named_by_part_pass.csv");
    assert!(r.files[0].findings.is_empty(), "{:?}", r.files[0].findings);
}

#[test]
fn a_category_beside_its_total_alone_is_a_subset_of_it() {
    // `Exposed` and `Total` per dose and product: the exposed are some of the total, the rest
    // not shown; no S1 while each is at most its total.
    let r = report("back-calculation/subset_beside_total_pass.csv");
    assert!(r.files[0].findings.is_empty(), "{:?}", r.files[0].findings);
    // More exposed than in total: not a subset, the totals are checked as totals (S1).
    let r = report("back-calculation/subset_above_total.csv");
    let s1: Vec<_> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == BC && f.message.contains("S1"))
        .collect();
    assert!(!s1.is_empty(), "{:?}", r.files[0].findings);
}
