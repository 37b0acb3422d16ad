//! The whole pipeline on the synthetic cases under `fixtures/cases/`: text in other encodings,
//! files whose reading decides what the rules see, and messages that never repeat a small count
//! anywhere. Each rule's exact places are in `tests/rules/<rule>.rs`.

mod common;
use common::places::by_cell::{findings, places};
use common::{case, report};

use export_check::config::Rules;
use export_check::finding::Verdict;
use export_check::report::text::{render, Colour};
use export_check::{check, Options};

#[test]
fn utf16_tables_are_read() {
    let r = report("encodings/utf16le_small.tsv");
    assert_eq!(places(&r, "small-count"), vec!["B3"]);
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
/// The text report of the whole pipeline on the encodings folder (the rules' folders have a
/// snapshot of each rule alone, `tests/rules.rs`).
fn encodings_folder_snapshot() {
    let r = report("encodings");
    insta::assert_snapshot!("encodings", render(&r, Colour::Never));
}

/// A `;` file whose header holds a comma and whose numbers carry decimal commas is read with
/// `;`: the decimals are not split off into cells of their own.
#[test]
fn a_comma_in_a_semicolon_header_does_not_split_the_numbers() {
    let r = report("percent/semicolon_comma_header_pass.csv");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", findings(&r));
    assert!(r.files[0].findings.is_empty(), "{:?}", findings(&r));
}
