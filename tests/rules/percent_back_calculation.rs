//! `percent-back-calculation`: the exact places of its findings on the cases under
//! `fixtures/cases/percent/`: percentages, rates, shares and means beside suppressed counts.

use crate::common::places::with_severity::{errors, places, said, BC, PC};
use crate::common::{self, report};

use export_check::finding::{Severity, Verdict};

#[test]
fn tc11_percentage_beside_a_suppressed_count() {
    let r = report("percent/tc11_n_header.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["B5"]);
}

#[test]
fn tc13_rate_with_person_years() {
    let r = report("percent/tc13_rate.csv");
    assert_eq!(errors(&r, PC), vec!["D2"]);
}

/// Person-time printed with a decimal (`1520.5` person-years) is a denominator too: the rate
/// beside `<5` events gives them back. With the rates of those rows suppressed as well, nothing.
#[test]
fn a_rate_with_decimal_person_years_gives_the_events_back() {
    let r = report("percent/rate_decimal_person_years.csv");
    assert_eq!(errors(&r, PC), vec!["D2", "D5"]);
    let r = report("percent/rate_decimal_person_years_safe.csv");
    assert_eq!(places(&r, PC), vec![]);
    assert_eq!(r.verdict, Verdict::Pass);
}

/// Against the truth of generated rate tables (events, person-years from 50 to 500,000 with one
/// or two decimals, a rate per 1,000 with two decimals; events under 5 shown as `<5`): a rate is
/// flagged exactly when the events it allows (every count whose rate, for some person-time that
/// rounds to the shown one, rounds to the shown rate; exact integer arithmetic here) are fewer
/// than the marker's 0 to 4 and none is 0. Rows with events shown say nothing.
#[test]
fn rates_beside_suppressed_events_against_the_truth() {
    let mut rng = common::Lcg(0xda7e);
    let mut next = |n: u64| rng.below(n);
    let dir = tempfile::tempdir().unwrap();
    let mut flagged_rows = 0;
    for case in 0..150 {
        let mut csv = String::from("Region,Events,Person-years,Rate per 1000 person-years\n");
        let mut expected = Vec::new();
        for r in 0..(2 + next(4) as usize) {
            let events = if next(3) == 0 {
                1 + next(4)
            } else {
                5 + next(60)
            } as i128;
            let places = 1 + next(2) as u32;
            let unit = 10i128.pow(places);
            // Person-years in units of 10^-places, log-uniform from 50 to 500,000.
            let whole = (50.0 * 10f64.powf(next(4000) as f64 / 1000.0)) as i128;
            let py = whole * unit + next(unit as u64) as i128;
            // The rate per 1000 in hundredths, rounded half up: events·10^5·unit / py.
            let c = |n: i128| n * 100_000 * unit;
            let rate = (2 * c(events) + py) / (2 * py);
            let shown_events = if events < 5 {
                "<5".to_string()
            } else {
                events.to_string()
            };
            csv.push_str(&format!(
                "Region {r},{shown_events},{}.{:0w$},{}.{:02}\n",
                py / unit,
                py % unit,
                rate / 100,
                rate % 100,
                w = places as usize
            ));
            if events < 5 {
                // n fits when c(n)/p' rounds to `rate` for some p' in [py − ½, py + ½]:
                // c(n)/(py + ½) ≤ rate + ½ and c(n)/(py − ½) ≥ rate − ½.
                let fits = |n: i128| {
                    4 * c(n) <= (2 * rate + 1) * (2 * py + 1)
                        && 4 * c(n) >= (2 * rate - 1) * (2 * py - 1)
                };
                // `<5` allows 0 to 4, and a count that may be 0 discloses no one.
                let allowed: Vec<i128> = (0..5).filter(|&n| fits(n)).collect();
                if allowed.first().is_some_and(|&lo| lo >= 1) && allowed.len() < 5 {
                    expected.push(format!("D{}", r + 2));
                }
            }
        }
        flagged_rows += expected.len();
        let r = common::report_of_text(dir.path(), &format!("case{case}.csv"), &csv);
        assert_eq!(said(&r, PC), expected, "case {case}:\n{csv}");
    }
    assert!(
        flagged_rows > 20,
        "the generator makes disclosive rows: {flagged_rows}"
    );
}

/// A relative risk or odds ratio beside each group's events and size gives back one group's
/// suppressed events: the rows that show every number say which group is divided by. With the
/// ratio of that row suppressed too, nothing.
#[test]
fn a_ratio_of_two_groups_gives_suppressed_events_back() {
    let r = report("percent/ratio_rr_strata.csv");
    assert_eq!(errors(&r, PC), vec!["F2"]);
    let r = report("percent/ratio_or_strata.csv");
    assert_eq!(errors(&r, PC), vec!["F2"]);
    let r = report("percent/ratio_rr_strata_safe.csv");
    assert_eq!(places(&r, PC), vec![]);
    assert_eq!(r.verdict, Verdict::Pass);
}

/// Against the truth of generated strata (each group 200 to 3,000 persons, events 1 to 4 or
/// more, a relative risk or odds ratio with two decimals, the exposed group over the unexposed
/// or the other way round, one group's events suppressed as `<5` in some rows): a ratio is
/// flagged exactly when the counts it allows for the suppressed events (exact integer arithmetic
/// over the ratio's rounding interval) are fewer than the marker's 0 to 4 and none is 0.
#[test]
fn ratios_of_two_groups_against_the_truth() {
    let mut rng = common::Lcg(0x0dd5);
    let mut next = |n: u64| rng.below(n);
    let dir = tempfile::tempdir().unwrap();
    let mut flagged_rows = 0;
    for case in 0..150 {
        let odds = next(2) == 0;
        let swap = next(2) == 0;
        let header = if odds { "Odds ratio" } else { "RR" };
        let mut csv =
            format!("Stratum,Events exposed,N exposed,Events unexposed,N unexposed,{header}\n");
        let mut expected = Vec::new();
        for r in 0..(3 + next(3) as usize) {
            let n = [200 + next(2800) as i128, 200 + next(2800) as i128];
            let hide = if r == 0 {
                None
            } else {
                [None, Some(0), Some(1)][next(3) as usize]
            };
            let a: Vec<i128> = (0..2)
                .map(|g| {
                    if hide == Some(g) {
                        1 + next(4) as i128
                    } else {
                        20 + next(120) as i128
                    }
                })
                .collect();
            // The ratio of group `top` over the other, (num, den) as a rational.
            let (top, bot) = if swap { (1, 0) } else { (0, 1) };
            let frac = |a: &[i128]| {
                if odds {
                    (a[top] * (n[bot] - a[bot]), (n[top] - a[top]) * a[bot])
                } else {
                    (a[top] * n[bot], n[top] * a[bot])
                }
            };
            let (p, q) = frac(&a);
            let units = (200 * p + q) / (2 * q); // two decimals, half up
            let shown = |g: usize| match hide == Some(g) {
                true => "<5".to_string(),
                false => a[g].to_string(),
            };
            csv.push_str(&format!(
                "Stratum {r},{},{},{},{},{}.{:02}\n",
                shown(0),
                n[0],
                shown(1),
                n[1],
                units / 100,
                units % 100
            ));
            if let Some(g) = hide {
                // x fits when the ratio with a[g] = x rounds to the shown one.
                let fits = |x: i128| {
                    let mut b = a.clone();
                    b[g] = x;
                    let (p, q) = frac(&b);
                    q > 0 && (2 * units - 1) * q <= 200 * p && 200 * p <= (2 * units + 1) * q
                };
                let allowed: Vec<i128> = (0..5).filter(|&x| fits(x)).collect();
                if allowed.first().is_some_and(|&lo| lo >= 1) && allowed.len() < 5 {
                    expected.push(format!("F{}", r + 2));
                }
            }
        }
        flagged_rows += expected.len();
        let r = common::report_of_text(dir.path(), &format!("case{case}.csv"), &csv);
        assert_eq!(said(&r, PC), expected, "case {case}:\n{csv}");
    }
    assert!(
        flagged_rows > 30,
        "the generator makes disclosive rows: {flagged_rows}"
    );
}

#[test]
fn percent_only_column_under_an_n_header() {
    let r = report("percent/percent_only_n_header.csv");
    assert_eq!(errors(&r, PC), vec!["B2"]);
}

#[test]
fn row_percentages_with_an_n_column() {
    let r = report("percent/row_percent_n_column.csv");
    assert_eq!(errors(&r, PC), vec!["C2"]);
}

#[test]
fn suppressed_x_beside_its_percentage() {
    let r = report("percent/x_beside_percent.csv");
    assert_eq!(errors(&r, PC), vec!["C3"]);
    assert_eq!(errors(&r, BC), vec!["B3"]);
}

#[test]
fn denominator_from_the_pairs_gives_suppressed_cells_back() {
    // No N anywhere: 88 (55.0%) and the other pairs of 'South' pin its total, so the one
    // redacted cell of the first section, and the two of the second together, come back.
    let r = report("percent/derived_denominator.tsv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["D8", "D14", "E21"]);
    let f: Vec<_> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == PC)
        .collect();
    assert!(f[0].message.contains("[B1]") && f[0].message.contains("the percentages"));
    assert!(f[1].message.contains("[B2]") && f[1].message.contains("add up to"));
    assert_eq!(f[1].location.table, Some(2));
    // A redacted count beside its own percentage: the derived total gives it back.
    assert!(f[2]
        .message
        .contains("percentage beside a suppressed count"));
}

#[test]
fn tc18_residual_from_a_derived_denominator() {
    // TC-18 without `N = 208`: the percentages give the column total.
    let r = report("percent/tc18_derived_residual.csv");
    assert_eq!(errors(&r, PC), vec!["B4"]);
    assert!(r.files[0].findings.iter().any(|f| f.rule == PC
        && f.message.contains("implied residual")
        && f.message.contains("[B2]")));
}

#[test]
fn tc12_percentage_of_true_values_beside_midpoint6_counts() {
    // 22.2% is not 3 of 9: it was computed from the true counts, and only 2 of 9 fits the
    // boxes [1,6] and [7,12].
    let r = report("percent/tc12_midpoint6_true_pct.csv");
    assert_eq!(errors(&r, PC), vec!["C2"]);
    assert!(r.files[0].findings.iter().any(|f| f.rule == PC
        && f.message.contains("rounded count")
        && f.message.contains("[B1]")));
}

#[test]
fn percentages_of_rounded_counts_say_nothing() {
    // Every percentage is the ratio of the shown midpoint-6 counts: read as true-value
    // percentages, 20.0% of [13,18] would pin the first count.
    let r = report("percent/midpoint6_pct_from_rounded.csv");
    assert!(places(&r, PC).is_empty(), "{:?}", places(&r, PC));
}

#[test]
fn tc22_percent_vector_under_a_bounded_n() {
    let r = report("percent/tc22_bounded_vector.csv");
    assert_eq!(errors(&r, PC), vec!["C2", "C4", "C5"]);
    let r = report("percent/tc22_unbounded_vector.csv");
    assert!(places(&r, PC).is_empty());
}

#[test]
fn the_n_behind_a_mean_with_its_total() {
    // Total bed-days and their mean give the suppressed number of stays; a shown n below the
    // threshold beside a mean stays small-count's finding.
    let r = report("percent/mean_with_total.csv");
    assert_eq!(errors(&r, PC), vec!["D3"]);
    assert_eq!(errors(&r, "small-count"), vec!["B5"]);
    // Where the shown n of other rows disagree with sum/mean, the columns are not sum and mean.
    let r = report("percent/mean_not_its_sum.csv");
    assert!(places(&r, PC).is_empty());
    // Means of continuous variables without their sum, and coarse means, give nothing.
    let r = report("percent/mean_continuous_safe.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.files[0].findings);
}

#[test]
fn a_share_is_a_percentage_on_the_scale_of_one() {
    let r = report("percent/proportion_n_header.csv");
    assert_eq!(errors(&r, PC), vec!["B2"]);
}

/// A group name printed over its count and % columns (`Total`, `Total`): the count beside the
/// percentage is its numerator, never its denominator, even when the group is named `Total`.
#[test]
fn a_count_and_its_percentage_under_one_name_are_a_pair() {
    let r = report("percent/count_pct_twins_pass.tsv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", places(&r, PC));
    assert!(places(&r, PC).is_empty());
}

/// A Table 1 column listing two variables (sex, smoking) with counts and percentages and no
/// N anywhere: the visible pairs fix the group size, so the percentage beside `<5` gives the
/// count back, even though the column's counts add up to twice the group.
#[test]
fn the_group_size_from_count_percentage_pairs_serves_every_variable_of_a_column() {
    let r = report("percent/two_variables_no_n.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["C4"]);
}

/// `N = …` in the title (or a note) of a table with one percentage column is its group size;
/// two different N in the title leave the denominator unknown.
#[test]
fn the_group_size_in_a_title_is_the_denominator() {
    let r = report("percent/n_in_title.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["B3"]);
    assert!(r.files[0]
        .findings
        .iter()
        .any(|f| f.message.contains("title or note")));
    let r = report("percent/two_n_in_title_pass.csv");
    assert!(places(&r, PC).is_empty(), "{:?}", places(&r, PC));
}

/// Group means with their overall mean: `Σ n_i·m_i = N·m` gives back a suppressed group size
/// when the n column has no visible total (men 120 at 45.20, women `x` at 51.30, all `x` at
/// 45.40: only 4 women fit the rounding of the three means).
#[test]
fn group_means_give_back_a_suppressed_n() {
    let r = report("percent/group_means_suppressed_total.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["B3"]);
    let m = &r.files[0].findings[0].message;
    assert!(m.contains("'Mean age'") && m.contains("[B1]"), "{m}");
    assert!(places(&r, BC).iter().all(|(s, _)| *s == Severity::Info));
}

/// No n column at all, `Mean (SD)` cells, and `N = 124` in the title: the two means and the
/// overall mean split the 124 into groups, and the women's share is one small value, flagged
/// at the women's mean.
#[test]
fn group_means_with_n_in_the_title() {
    let r = report("percent/group_means_n_in_title.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["B4"]);
    assert!(r.files[0].findings[0].message.contains("title"));
}

/// A "Table 1" with groups in columns, an n row with `<5` and a suppressed overall n, and two
/// rows of `mean (SD)`: the same equation, column by column.
#[test]
fn group_means_in_columns() {
    let r = report("percent/group_means_columns.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["C2"]);
}

/// The n column's total shown, two groups suppressed: subtraction gives only their sum (6, not
/// small under the default threshold), the means split it.
#[test]
fn group_means_split_a_suppressed_pair() {
    let r = report("percent/group_means_two_hidden.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["B3", "B4"]);
    assert!(places(&r, BC).iter().all(|(s, _)| *s == Severity::Info));
}

/// Means shown to one decimal leave 2 to 6 women: not all below 5 (pass), all below 10 under
/// the UK profile but more than `narrow_max_values` values (a warning, B3w).
#[test]
fn group_means_with_one_decimal_narrow_without_pinning() {
    let r = report("percent/group_means_one_decimal.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.files[0].findings);
    let uk = export_check::config::Rules::load("uk", None, None).expect("uk profile");
    let r = common::report_with("percent/group_means_one_decimal.csv", &uk);
    assert_eq!(r.verdict, Verdict::Review);
    assert_eq!(places(&r, PC), vec![(Severity::Warning, "B3".to_string())]);
    assert!(r.files[0].findings[0].message.contains("[B3w]"));
}

/// Must not flag: means close to the overall mean (the interval of the hidden n is unbounded),
/// means of continuous variables with every n visible (small-count's finding, not this rule's),
/// a visible n total (back-calculation's subtraction, not repeated here), and counts rounded
/// to 5 (each shown n is a box of true values, and the boxes leave the hidden n wide).
#[test]
fn group_means_that_must_not_flag() {
    let uk = export_check::config::Rules::load("uk", None, None).expect("uk profile");
    let r = common::report_with("percent/group_means_close_pass.csv", &uk);
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.files[0].findings);
    // Taken as exact, the rounded n would pin the hidden one; their boxes leave it open to
    // values up to 9, so nothing fails (under the UK threshold of 10 it is a B3w warning).
    let r = report("percent/group_means_rounded_pass.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.files[0].findings);
    let r = common::report_with("percent/group_means_rounded_pass.csv", &uk);
    assert!(errors(&r, PC).is_empty(), "{:?}", places(&r, PC));
    let r = report("percent/group_means_visible_n.csv");
    assert!(places(&r, PC).is_empty(), "{:?}", places(&r, PC));
    assert_eq!(errors(&r, "small-count"), vec!["B3"]);
    let r = report("percent/group_means_total_shown.csv");
    assert!(places(&r, PC).is_empty(), "{:?}", places(&r, PC));
    assert_eq!(errors(&r, BC), vec!["B3"]);
}

/// A proportion right after an n column is a share of that n when the values say so: no one
/// total fits `n/D ≈ p` on every row (0.025 of 120 and 0.050 of 80 are 3 and 4 deaths), or the
/// header names the mean of an indicator. The n column is then the denominator.
#[test]
fn a_proportion_after_an_n_column_is_a_share_of_that_n() {
    let r = report("percent/proportion_of_n.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["C2", "C3"]);
    assert!(r.files[0].findings[0].message.contains("N column"));
    let r = report("percent/indicator_mean_of_n.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["C2"]);
}

/// The other way round, kept: `n, proportion` pairs whose proportions share one total (500,
/// 625) are numerator and share. The suppressed death count comes back from the total row's n,
/// and `25, 0.040` (25 of 625) is not read as one death out of 25.
#[test]
fn an_n_column_with_proportions_of_one_total_stays_the_numerator() {
    let r = report("percent/proportion_numerator.csv");
    assert_eq!(errors(&r, PC), vec!["C2"]);
    let pc = r.files[0]
        .findings
        .iter()
        .find(|f| f.rule == PC)
        .expect("a finding");
    assert!(pc.message.contains("total row"), "{}", pc.message);
    let r = report("percent/proportion_numerator_pass.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.files[0].findings);
}

/// Row percentages beside a count column named in another language (`Aantal`, `Effectif`):
/// the count is the row's N. A row whose N is `<5` and whose percentages fit one size only gives
/// back the size and the counts (TC-22 along a row).
#[test]
fn row_percentages_use_the_row_count_in_any_language() {
    let r = report("percent/row_pct_aantal.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["D3"]);
    let r = report("percent/row_vector_suppressed_n.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["B2", "C2", "D2"]);
}

/// A published percentage whose count, though not pinned, is below the threshold whatever it is
/// (0.4 % of 2,000 is 7 to 9, all below the UK threshold of 10) is a small count: an error,
/// not a warning about narrowing.
#[test]
fn a_percentage_whose_every_possible_count_is_small_fails() {
    let uk = export_check::config::Rules::load("uk", None, None).expect("uk profile");
    let r = common::report_with("percent/uk_share_all_below_threshold.csv", &uk);
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["B6"]);
    let r = report("percent/uk_share_all_below_threshold.csv");
    assert_eq!(
        r.verdict,
        Verdict::Pass,
        "at 5 the count may be 7: {:?}",
        places(&r, PC)
    );
}

/// A Danish rate table: `Personår` (folded like every header, `å` → `aa`) is the person-time
/// of the rate per 100,000, so the rate beside `<5` events gives them back.
#[test]
fn person_time_words_are_matched_after_folding() {
    let r = report("percent/danish_rate_personaar.csv");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(errors(&r, PC), vec!["D4"]);
}
