//! Each rule tested alone, as ruff does: the rules restricted to one rule
//! ([`Rules::for_rule`]), run on a fixture folder, and one snapshot per (rule, folder) with that
//! rule's findings only. An empty snapshot is the assertion of a folder of pass cases.
//!
//! The table is [`table`]: by convention every rule whose id names a folder
//! `fixtures/cases/<rule-id>/` runs alone on it under the default profile, so a new rule's
//! folder needs no test code, only its snapshot
//! `tests/rules/snapshots/rules__<rule-id>@<rule-id>.snap` (`INSTA_UPDATE=always cargo test
//! --test rules` writes it; read it before committing). [`FOLDER_OF`] names a rule's folder
//! that is not named after it, and [`ROWS`] adds the rows that the convention cannot name:
//! other folders, other profiles, and another rule's findings on a rule's folder.
//!
//! Each rule's exact-place tests (the row, column or line of a finding, its message and the
//! verdict) are in its module beside this file, `tests/rules/<rule>.rs`. They run the whole
//! pipeline, as they did before they were gathered here; [`each_rule_alone_on_its_folders`]
//! checks that a rule alone finds exactly what the whole pipeline reports under its id, so the
//! two views agree. End-to-end tests (the demo, the CLI, encodings, robustness,
//! statistical-software output through every reader) are in their own files.

#[path = "../common/mod.rs"]
mod common;

mod back_calculation;
mod code_literal;
mod differencing;
mod extreme_values;
mod file_type;
mod group_disclosure;
mod ident_fixtures;
mod log_listing;
mod low_dof;
mod micro_data;
mod percent_back_calculation;
mod person_id;
mod small_count;
mod unreadable;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use export_check::config::Rules;
use export_check::finding::Severity;
use export_check::report::Report;
use export_check::REGISTRY;
use export_check::{check, Options};

/// Rules whose folder is not named after them, `(rule, folder under fixtures/cases/)`.
const FOLDER_OF: &[(&str, &str)] = &[
    ("percent-back-calculation", "percent"),
    ("embedded-data", "figures"),
    ("hidden-content", "workbooks"),
];

/// Rows besides each rule on its own folder, `(rule, folder under fixtures/cases/, profile)`.
const ROWS: &[(&str, &str, &str)] = &[
    // Statistical-software output: every rule that flags something in it.
    ("log-listing", "logs", "default"),
    ("extreme-values", "log-listing", "default"),
    ("small-count", "log-listing", "default"),
    ("micro-data", "logs", "default"),
    ("person-id", "logs", "default"),
    ("low-dof", "logs", "default"),
    ("small-count", "logs", "default"),
    ("back-calculation", "logs", "default"),
    ("extreme-values", "logs", "default"),
    // What ACRO said in a workbook it finalised: its review of negative values.
    ("extreme-values", "workbooks", "default"),
    // The macro modules of an ODS, read as code.
    ("code-literal", "workbooks", "default"),
    // Profiles that change what a rule finds: the UK threshold of 10 and its zeros, the Danish
    // markers.
    ("small-count", "small-count", "uk"),
    ("back-calculation", "back-calculation", "uk"),
    ("back-calculation", "back-calculation", "dk"),
    ("percent-back-calculation", "percent", "uk"),
    ("differencing", "differencing", "uk"),
    // Another rule's errors and warnings on a rule's folder (every one is in some snapshot:
    // `every_flag_on_a_folder_is_in_a_snapshot`).
    ("small-count", "back-calculation", "default"),
    ("differencing", "back-calculation", "default"),
    ("back-calculation", "percent", "default"),
    ("differencing", "percent", "default"),
    ("small-count", "percent", "default"),
    ("back-calculation", "differencing", "default"),
    ("small-count", "extreme-values", "default"),
    ("person-id", "micro-data", "default"),
    ("micro-data", "person-id", "default"),
    // What the readers of workbooks and figures give the other rules: a hidden sheet of person
    // rows, small counts at sheet cells and in drawn text, data in image metadata, corrupt files,
    // the cached points of workbook charts.
    ("embedded-data", "workbooks", "default"),
    ("hidden-content", "figures", "default"),
    ("micro-data", "figures", "default"),
    ("micro-data", "workbooks", "default"),
    ("person-id", "figures", "default"),
    ("person-id", "workbooks", "default"),
    ("small-count", "figures", "default"),
    ("small-count", "workbooks", "default"),
    ("unreadable", "figures", "default"),
    ("unreadable", "workbooks", "default"),
    // back-calculation's word on other rules' tables ("no totals or sub-totals detected"), info
    // that no folder needs a row for, kept from the folders' whole-pipeline snapshots.
    ("back-calculation", "small-count", "default"),
    ("back-calculation", "extreme-values", "default"),
    ("back-calculation", "group-disclosure", "default"),
    ("back-calculation", "micro-data", "default"),
    ("back-calculation", "person-id", "default"),
];

/// Rules without a folder yet, left out of `every_rule_has_a_folder_and_every_folder_a_rule`.
const WITHOUT_FOLDER: &[&str] = &[];

/// Folders checked end to end only (`tests/cases.rs`), not by one rule. A folder named after
/// a test file, `tests/<folder>.rs` (a reader family's fixtures and their generator), is checked
/// by that file and needs no entry here.
const END_TO_END: &[&str] = &["encodings"];

/// Rules that judge the other rules' findings (`hidden-content` is an error when another rule's
/// error lies inside the hidden part): their rows run every rule, and their snapshots keep
/// their own findings only.
const JUDGES_OTHERS: &[&str] = &["hidden-content"];

/// `(rule that emits them, rule they are reported under)`: findings a rule reports under
/// another rule's id. The rows of the second also run the first, so that its snapshot holds
/// every finding reported under its id; a rule's own snapshot never shows them.
/// TODO(src): `extreme-values` reports the medians and extremes of groups below the threshold
/// as `small-count` errors (`small_groups` in `src/rules/extreme_values.rs`), so
/// `for_rule("small-count")` alone misses them; once that check runs as part of `small-count`,
/// remove this entry.
const REPORTED_FOR: &[(&str, &str)] = &[("extreme-values", "small-count")];

/// One row of the table: `rule` alone on `fixtures/cases/<folder>/` under `profile`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    rule: String,
    folder: String,
    profile: String,
}

impl Row {
    fn new(rule: &str, folder: &str, profile: &str) -> Row {
        Row {
            rule: rule.into(),
            folder: folder.into(),
            profile: profile.into(),
        }
    }

    /// `rule@folder`, and `@profile` when it is not the default.
    fn snapshot(&self) -> String {
        if self.profile == "default" {
            format!("{}@{}", self.rule, self.folder)
        } else {
            format!("{}@{}@{}", self.rule, self.folder, self.profile)
        }
    }

    /// The rules of the row: its profile, only its rule running (and those that report
    /// findings under its id, [`REPORTED_FOR`]).
    fn rules(&self) -> Rules {
        if JUDGES_OTHERS.contains(&self.rule.as_str()) {
            return profile(&self.profile);
        }
        let mut rules = profile(&self.profile).for_rule(&self.rule);
        let only = rules.only.get_or_insert_with(Vec::new);
        for (by, under) in REPORTED_FOR {
            if *under == self.rule {
                only.push(by.to_string());
            }
        }
        rules
    }
}

fn profile(name: &str) -> Rules {
    Rules::load(name, None, None).unwrap_or_else(|e| panic!("profile {name}: {e}"))
}

/// The folders under `fixtures/cases/`.
fn folders() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(common::case(""))
        .expect("fixtures/cases")
        .map(|e| e.expect("an entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// A rule's own folder: `fixtures/cases/<rule-id>/`, or the one [`FOLDER_OF`] names.
fn own_folder(rule: &str) -> Option<String> {
    if let Some((_, folder)) = FOLDER_OF.iter().find(|(r, _)| *r == rule) {
        return Some(folder.to_string());
    }
    folders().into_iter().find(|f| f == rule)
}

/// The table: every rule on its own folder under the default profile, then [`ROWS`].
fn table() -> Vec<Row> {
    let mut rows: Vec<Row> = REGISTRY
        .iter()
        .filter_map(|r| Some(Row::new(r.id, &own_folder(r.id)?, "default")))
        .collect();
    rows.extend(ROWS.iter().map(|(r, f, p)| Row::new(r, f, p)));
    rows
}

fn run(folder: &str, rules: &Rules) -> Report {
    check(&common::case(folder), rules, &Options::default()).expect("check runs")
}

/// One line per finding of `rule`: path, place, severity, message, and the related files.
/// Not the finding's id: it is a digest of the path and of content the report never shows, so
/// a reader cannot check it against the fixture, and it would change with any move of a file or
/// change of a rule's basis that changes nothing a person reads (the demo's JSON snapshot pins
/// the ids of the report contract).
fn lines(r: &Report, rule: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in &r.files {
        for x in f.findings.iter().filter(|x| x.rule == rule) {
            let mut line = format!("{}: ", f.path);
            let place = x.location.describe();
            if !place.is_empty() {
                let _ = write!(line, "{place}: ");
            }
            let _ = write!(line, "{}: {}", x.severity.as_str(), x.message);
            if !x.related.is_empty() {
                let _ = write!(line, " (related: {})", x.related.join(", "));
            }
            out.push(line);
        }
    }
    out
}

/// The ids of the rules that findings of a report are reported under.
fn rule_ids(r: &Report) -> BTreeSet<&'static str> {
    r.files
        .iter()
        .flat_map(|f| f.findings.iter().map(|x| x.rule))
        .collect()
}

#[test]
fn each_rule_alone_on_its_folders() {
    let mut reported_for_seen = BTreeSet::new();
    // The whole pipeline's report of each folder under each profile.
    let mut whole = BTreeMap::new();
    for row in table() {
        let name = row.snapshot();
        let alone = run(&row.folder, &row.rules());
        assert!(!alone.files.is_empty(), "{name}: the folder has no files");
        // Nothing under another rule's id, but what REPORTED_FOR lists: the findings that the
        // row's rule reports under another id, and the own findings of the rules that its row
        // runs too.
        for id in rule_ids(&alone) {
            if id == row.rule || JUDGES_OTHERS.contains(&row.rule.as_str()) {
                continue;
            }
            let reports = REPORTED_FOR.contains(&(row.rule.as_str(), id));
            let runs = REPORTED_FOR.contains(&(id, row.rule.as_str()));
            assert!(
                reports || runs,
                "{name}: running {} alone reports findings under {id}",
                row.rule
            );
            if reports {
                reported_for_seen.insert((row.rule.clone(), id));
            }
        }
        // The rule alone finds what the whole pipeline reports for it.
        let found = lines(&alone, &row.rule);
        let whole = whole
            .entry((row.folder.clone(), row.profile.clone()))
            .or_insert_with(|| run(&row.folder, &profile(&row.profile)));
        let whole = lines(whole, &row.rule);
        assert_eq!(
            found, whole,
            "{name}: the rule alone and the whole pipeline differ"
        );
        let mut text = found.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        insta::with_settings!({
            description => format!(
                "{} alone on fixtures/cases/{}/ under the {} profile",
                row.rule, row.folder, row.profile
            ),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, text);
        });
    }
    for (by, under) in REPORTED_FOR {
        assert!(
            reported_for_seen.contains(&(by.to_string(), *under)),
            "REPORTED_FOR: no row sees {by} report under {under}: remove the entry"
        );
    }
}

/// Every error and warning that the whole pipeline raises on a folder of the table, under the
/// default profile, is in the snapshot of its rule on that folder: no finding that decides a
/// verdict goes unpinned. Info findings of other rules (such as back-calculation's "no totals
/// detected") need no row.
#[test]
fn every_flag_on_a_folder_is_in_a_snapshot() {
    let table = table();
    let folders: BTreeSet<&str> = table.iter().map(|r| r.folder.as_str()).collect();
    let mut missing = BTreeSet::new();
    for folder in folders {
        let r = run(folder, &profile("default"));
        for f in &r.files {
            for x in f.findings.iter().filter(|x| x.severity != Severity::Info) {
                let row = Row::new(x.rule, folder, "default");
                if !table.contains(&row) {
                    missing.insert(format!("(\"{}\", \"{folder}\", \"default\")", x.rule));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "findings without a snapshot; add these rows to ROWS: {missing:?}"
    );
}

#[test]
fn every_rule_has_a_folder_and_every_folder_a_rule() {
    let table = table();
    let without: Vec<&str> = REGISTRY
        .iter()
        .map(|r| r.id)
        .filter(|id| own_folder(id).is_none())
        .collect();
    assert_eq!(
        without, WITHOUT_FOLDER,
        "rules without a folder of their own (give each a folder fixtures/cases/<rule-id>/)"
    );
    for folder in folders() {
        assert!(
            table.iter().any(|row| row.folder == folder)
                || END_TO_END.contains(&folder.as_str())
                || Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(format!("tests/{folder}.rs"))
                    .is_file(),
            "fixtures/cases/{folder}/ is no rule's folder: name it after a rule id or add a row"
        );
    }
    for (rule, _, profile) in ROWS {
        assert!(
            REGISTRY.iter().any(|r| r.id == *rule),
            "ROWS names {rule}, which is not a registered rule"
        );
        profile_exists(profile);
    }
}

fn profile_exists(name: &str) {
    assert!(
        export_check::config::PROFILES
            .iter()
            .any(|(n, _)| *n == name),
        "unknown profile {name}"
    );
}

/// Every snapshot of this file belongs to a row of the table: removing a row or a folder
/// removes its snapshot too.
#[test]
fn every_snapshot_has_a_row() {
    let names: BTreeSet<String> = table().iter().map(Row::snapshot).collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules/snapshots");
    for entry in std::fs::read_dir(&dir).expect("tests/rules/snapshots") {
        let file = entry.expect("an entry").file_name();
        let file = file.to_string_lossy();
        let Some(name) = file
            .strip_prefix("rules__")
            .and_then(|n| n.strip_suffix(".snap"))
        else {
            continue;
        };
        assert!(
            names.contains(name),
            "tests/rules/snapshots/{file} belongs to no row of the table: delete it"
        );
    }
}
