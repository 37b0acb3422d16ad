//! ## What it does
//! Flags content that a person opening the file does not see: hidden and very hidden sheets,
//! hidden rows and columns, cell comments and threaded comments, pivot caches with their source
//! records, external links and their cached values, defined names over hidden ranges, chart
//! caches, embedded objects, macro projects, data connections, document comments, tracked
//! deletions and hidden text, attachments, and office lock files (`~$name.xlsx`, which hold the
//! name of the user who had the file open). The hidden part is read and checked by every other
//! rule like the rest of the file. When something inside it is flagged (an error of any rule:
//! a small count, a person identifier, records about individuals), the hidden part is an error;
//! otherwise it is a warning that names what is hidden, so that a person looks at it.
//! A legacy XLS workbook is held to the same: its hidden rows and columns, its comments and the
//! cached values of its external links come from its record stream, and its embedded objects, pivot caches and a shared workbook's
//! revision log from the compound file around it (what cannot be read there is unchecked).
//!
//! ## Why is this bad?
//! An output checker reviews what the file shows. A sheet of person rows hidden behind a summary
//! sheet, a pivot table whose cache carries every source record, a comment with a person number
//! or the rows of a table filtered away leave with the export all the same, and are exactly
//! what a manual check misses.
//!
//! ## Example
//! ```text
//! Results/tables.xlsx   sheet 'Data' (hidden)   <- hidden-content: hidden sheet 'Data' holds
//!                                                  what other rules flag (micro-data)
//! Results/~$tables.xlsx                         <- hidden-content: office lock file
//! ```
//! Delete hidden sheets, rows, comments, pivot caches and embedded objects before export, or
//! save the results as plain tables (CSV).
//!
//! ## Options
//! None. The findings inside a hidden part come from the other rules and their options.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: every file is checked in full,
//! including what a program does not show. Eurostat/ESSnet Guidelines for the checking of
//! output based on microdata research (2015): hidden cells, sheets and metadata. OpenSAFELY and
//! SACRO output-checking guidance: no hidden data in spreadsheets.

use crate::finding::{Finding, Severity};
use crate::model::{FactKind, Location};
use crate::rules::{Checks, Context, FileFacts, FileRule, Rule};

pub const RULE: Rule = Rule {
    id: "hidden-content",
    severity: Severity::Warning,
    summary: "content a reader does not see: hidden sheets, rows or columns, pivot caches, comments, embedded objects, external links",
    source: include_str!("hidden_content.rs"),
    checks: Checks {
        file: Some(&HiddenContent),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct HiddenContent;

impl FileRule for HiddenContent {
    fn check(&self, file: &FileFacts<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        for fact in file.facts {
            let FactKind::Hidden { part, scope } = &fact.kind else {
                continue;
            };
            let mut flagged: Vec<&'static str> = file
                .findings
                .iter()
                .filter(|f| {
                    f.severity == Severity::Error && f.rule != ID && inside(&f.location, scope)
                })
                .map(|f| f.rule)
                .collect();
            flagged.sort_unstable();
            flagged.dedup();
            let (severity, message) = if flagged.is_empty() {
                (
                    Severity::Warning,
                    format!("{part}: a reader of the file does not see it; a person must check it"),
                )
            } else {
                (
                    Severity::Error,
                    format!(
                        "{part} holds what other rules flag ({}): a reader of the file does not see it",
                        flagged.join(", ")
                    ),
                )
            };
            out.push(Finding::new(
                ID,
                severity,
                message,
                fact.location.clone(),
                file.content_basis_of(part.as_bytes()),
            ));
        }
    }
}

/// Whether a place is inside a hidden part: every field the scope sets is equal (a member also
/// contains the places inside it, `member!inner`). A scope that sets nothing is the whole file.
fn inside(place: &Location, scope: &Location) -> bool {
    let member = match (&scope.member, &place.member) {
        (None, _) => true,
        (Some(s), Some(p)) => {
            p == s
                || p.strip_prefix(s.as_str())
                    .is_some_and(|r| r.starts_with('!'))
        }
        (Some(_), None) => false,
    };
    let same = |s: &Option<String>, p: &Option<String>| s.is_none() || s == p;
    let same_n = |s: Option<u32>, p: Option<u32>| s.is_none() || s == p;
    member
        && same(&scope.sheet, &place.sheet)
        && same(&scope.cell, &place.cell)
        && same_n(scope.table, place.table)
        && same_n(scope.row, place.row)
        && same_n(scope.column, place.column)
        && same_n(scope.line, place.line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::basis;
    use crate::model::Fact;
    use crate::rules::Compiled;

    fn sheet(name: &str) -> Location {
        Location {
            sheet: Some(name.into()),
            ..Location::default()
        }
    }

    fn run(facts: &[Fact], findings: &[Finding]) -> Vec<Finding> {
        let rules = crate::config::Rules::default_rules();
        let compiled = Compiled::new(&rules);
        let cx = Context::new(&rules, &compiled);
        let file = FileFacts {
            path: "t.xlsx",
            sha256: Some("00"),
            format: None,
            facts,
            findings,
        };
        let mut out = Vec::new();
        HiddenContent.check(&file, &cx, &mut out);
        out
    }

    #[test]
    fn a_hidden_part_is_an_error_only_when_something_inside_it_is_flagged() {
        let hidden = Fact {
            location: sheet("Data"),
            kind: FactKind::Hidden {
                part: "hidden sheet 'Data'".into(),
                scope: sheet("Data"),
            },
        };
        let outside = Finding::new(
            "small-count",
            Severity::Error,
            "m",
            sheet("Summary"),
            basis(&[b"a"]),
        );
        let found = run(
            std::slice::from_ref(&hidden),
            std::slice::from_ref(&outside),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        let inner = Finding::new(
            "micro-data",
            Severity::Error,
            "m",
            Location {
                row: Some(3),
                ..sheet("Data")
            },
            basis(&[b"b"]),
        );
        let found = run(&[hidden], &[outside, inner]);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(
            found[0].message.contains("micro-data"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn members_contain_what_is_inside_them() {
        let scope = Location {
            member: Some("xl/embeddings/a.xlsx".into()),
            ..Location::default()
        };
        let place = |m: &str| Location {
            member: Some(m.into()),
            ..Location::default()
        };
        assert!(inside(&place("xl/embeddings/a.xlsx"), &scope));
        assert!(inside(&place("xl/embeddings/a.xlsx!x.csv"), &scope));
        assert!(!inside(&place("xl/embeddings/a.xlsx2"), &scope));
        assert!(!inside(&Location::default(), &scope));
        assert!(inside(&Location::default(), &Location::default()));
    }
}
