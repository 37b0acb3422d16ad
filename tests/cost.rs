//! The cost of checking a table is bounded in every dimension (issue 8 C.6): a very wide, a very
//! tall and a wide and tall table finish, every cell is still checked for small counts, and
//! where a step stops at a limit a finding says so. These tests assert the findings, not the
//! time; `cargo bench --bench wide` measures the time.

use std::fs;

use export_check::config::Rules;
use export_check::finding::{Severity, Verdict};
use export_check::report::Report;
use export_check::{check, Options};

fn check_text(name: &str, text: &str) -> Report {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join(name), text).expect("write");
    check(dir.path(), &Rules::default_rules(), &Options::default()).expect("check runs")
}

/// `(rule, severity, cell)` of every finding of the one file.
fn findings(r: &Report) -> Vec<(String, Severity, Option<String>)> {
    r.files[0]
        .findings
        .iter()
        .map(|f| (f.rule.to_string(), f.severity, f.location.cell.clone()))
        .collect()
}

#[test]
fn one_line_of_100000_columns_is_checked_cell_by_cell() {
    let n = 100_000;
    let header: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    // Counts from 7 to 56, but one small count far to the right.
    let values: Vec<String> = (0..n)
        .map(|i| {
            if i == 76_543 {
                "3".into()
            } else {
                (7 + i % 50).to_string()
            }
        })
        .collect();
    let text = format!("{}\n{}\n", header.join(","), values.join(","));
    let r = check_text("wide.csv", &text);
    let small: Vec<_> = findings(&r)
        .into_iter()
        .filter(|f| f.0 == "small-count")
        .collect();
    // Column 76,544 is `DIEZ`.
    assert_eq!(
        small,
        [(
            "small-count".to_string(),
            Severity::Error,
            Some("DIEZ2".to_string())
        )]
    );
    assert_eq!(r.files[0].verdict, Verdict::Fail);
}

#[test]
fn a_wide_table_with_totals_and_suppressed_cells_is_audited() {
    // 10,000 groups in columns, two regions and a total row, a total column; every 7th cell of
    // the regions suppressed. Each suppressed cell comes back from its column total.
    let n = 10_000;
    let mut text = String::from("Region");
    for j in 0..n {
        text.push_str(&format!(",g{j}"));
    }
    text.push_str(",Total\n");
    let value = |r: usize, j: usize| 10 + (r * 7 + j * 3) % 40;
    for r in 0..2 {
        text.push_str(if r == 0 { "North" } else { "South" });
        let mut sum = 0;
        for j in 0..n {
            let v = value(r, j);
            sum += v;
            // Row 0 hides column j ≡ 0 (mod 7), row 1 column j ≡ 3: one per column at most.
            if (r == 0 && j % 7 == 0) || (r == 1 && j % 7 == 3) {
                text.push_str(",x");
            } else {
                text.push_str(&format!(",{v}"));
            }
        }
        text.push_str(&format!(",{sum}\n"));
    }
    text.push_str("Total");
    let mut all = 0;
    for j in 0..n {
        let v = value(0, j) + value(1, j);
        all += v;
        text.push_str(&format!(",{v}"));
    }
    text.push_str(&format!(",{all}\n"));
    let r = check_text("groups.csv", &text);
    let f = findings(&r);
    // Every suppressed cell is given back exactly (B5: it hides a count of at least 10), the
    // listing is capped with one finding for the rest.
    assert!(
        f.iter()
            .filter(|x| x.0 == "back-calculation" && x.2.is_some())
            .count()
            >= 40,
        "{f:?}"
    );
    assert_eq!(r.files[0].verdict, Verdict::Review);
    assert!(f.iter().all(|x| x.1 != Severity::Error), "{f:?}");
}

#[test]
fn a_tall_table_with_a_total_column_is_audited() {
    // 30,000 rows, a total column, every 11th `Men` cell suppressed: each comes back from its
    // row's total (B5, counts of 10 or more). Structure detection past the limit of cell reads
    // is tested in `table::structure` (a smaller limit under unit tests).
    let mut text = String::from("Kommune,Men,Women,Total\n");
    for i in 0..30_000 {
        let (a, b) = (10 + i % 37, 12 + i % 23);
        let men = if i % 11 == 0 {
            "x".to_string()
        } else {
            a.to_string()
        };
        text.push_str(&format!("Place {i},{men},{b},{}\n", a + b));
    }
    let r = check_text("tall.csv", &text);
    let f = findings(&r);
    assert!(
        f.iter()
            .filter(|x| x.0 == "back-calculation" && x.1 == Severity::Warning && x.2.is_some())
            .count()
            >= 40,
        "{f:?}"
    );
    assert_eq!(r.files[0].verdict, Verdict::Review);
}
