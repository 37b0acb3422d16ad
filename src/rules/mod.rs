//! The rules: one file each, named after the problem it catches. Each file opens with its
//! documentation in the sections `## What it does`, `## Why is this bad?`, `## Example`,
//! `## Options`, `## References`; `--explain RULE` prints that same text, so the docs cannot drift
//! from the code. [`REGISTRY`] is the one list of rules.

use crate::config::Rules;
use crate::finding::{basis, Finding, Severity};
use crate::model::{Row, Table, Text};
use crate::table::classify::Lexicon;

pub mod back_calculation;
pub mod code_literal;
pub mod differencing;
pub mod extreme_values;
pub mod file_type;
pub mod group_disclosure;
pub mod log_listing;
pub mod low_dof;
pub mod micro_data;
pub mod people;
pub mod percent_back_calculation;
pub mod person_id;
pub mod small_count;
pub mod unreadable;

/// The sections every rule's documentation has, in order.
pub const DOC_SECTIONS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Options",
    "## References",
];

/// A rule's entry in the registry.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// Stable kebab-case id, as in CONTRACT.md.
    pub id: &'static str,
    /// The severity of its findings unless the rule says otherwise for a case.
    pub severity: Severity,
    /// One line for `--list-rules`.
    pub summary: &'static str,
    /// The rule's source file; its leading `//!` block is the documentation.
    source: &'static str,
}

impl RuleInfo {
    /// The rule's documentation: the leading `//!` comment of its source file.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out
    }
}

/// Every rule, in the order `--list-rules` prints them.
pub const REGISTRY: &[RuleInfo] = &[
    RuleInfo {
        id: small_count::ID,
        severity: Severity::Error,
        summary: small_count::SUMMARY,
        source: include_str!("small_count.rs"),
    },
    RuleInfo {
        id: back_calculation::ID,
        severity: Severity::Error,
        summary: back_calculation::SUMMARY,
        source: include_str!("back_calculation.rs"),
    },
    RuleInfo {
        id: percent_back_calculation::ID,
        severity: Severity::Error,
        summary: percent_back_calculation::SUMMARY,
        source: include_str!("percent_back_calculation.rs"),
    },
    RuleInfo {
        id: differencing::ID,
        severity: Severity::Error,
        summary: differencing::SUMMARY,
        source: include_str!("differencing.rs"),
    },
    RuleInfo {
        id: group_disclosure::ID,
        severity: Severity::Warning,
        summary: group_disclosure::SUMMARY,
        source: include_str!("group_disclosure.rs"),
    },
    RuleInfo {
        id: extreme_values::ID,
        severity: Severity::Warning,
        summary: extreme_values::SUMMARY,
        source: include_str!("extreme_values.rs"),
    },
    RuleInfo {
        id: low_dof::ID,
        severity: Severity::Error,
        summary: low_dof::SUMMARY,
        source: include_str!("low_dof.rs"),
    },
    RuleInfo {
        id: micro_data::ID,
        severity: Severity::Error,
        summary: micro_data::SUMMARY,
        source: include_str!("micro_data.rs"),
    },
    RuleInfo {
        id: person_id::ID,
        severity: Severity::Error,
        summary: person_id::SUMMARY,
        source: include_str!("person_id.rs"),
    },
    RuleInfo {
        id: code_literal::ID,
        severity: Severity::Error,
        summary: code_literal::SUMMARY,
        source: include_str!("code_literal.rs"),
    },
    RuleInfo {
        id: log_listing::ID,
        severity: Severity::Error,
        summary: log_listing::SUMMARY,
        source: include_str!("log_listing.rs"),
    },
    RuleInfo {
        id: file_type::ID,
        severity: Severity::Error,
        summary: file_type::SUMMARY,
        source: include_str!("file_type.rs"),
    },
    RuleInfo {
        id: unreadable::ID,
        severity: Severity::Error,
        summary: unreadable::SUMMARY,
        source: include_str!("unreadable.rs"),
    },
];

/// The registry entry of a rule id.
pub fn lookup(id: &str) -> Option<&'static RuleInfo> {
    REGISTRY.iter().find(|r| r.id == id)
}

/// What rules need besides the table: the rules in force and the compiled vocabulary.
pub struct Context<'a> {
    pub rules: &'a Rules,
    pub lexicon: &'a Lexicon,
    /// Person-key and quasi-identifier vocabularies.
    pub people: &'a people::People,
}

/// Most findings one rule lists for one table; past it, one finding counts the rest.
pub const MAX_LISTED_PER_TABLE: usize = 50;

/// Counts one rule's findings of one table, so that a large table lists a bounded number.
#[derive(Debug)]
pub struct Listing {
    rule: &'static str,
    severity: Severity,
    /// What is counted, plural (`groups concentrated in one category`).
    what: String,
    listed: usize,
    unlisted: u64,
}

impl Listing {
    pub fn new(rule: &'static str, severity: Severity, what: impl Into<String>) -> Self {
        Listing {
            rule,
            severity,
            what: what.into(),
            listed: 0,
            unlisted: 0,
        }
    }

    /// List a finding, or count it once the table's limit is reached.
    pub fn push(&mut self, f: Finding, out: &mut Vec<Finding>) {
        if self.listed < MAX_LISTED_PER_TABLE {
            self.listed += 1;
            out.push(f);
        } else {
            self.unlisted += 1;
        }
    }

    /// One finding for what was not listed.
    pub fn finish(self, table: &Table, out: &mut Vec<Finding>) {
        if self.unlisted > 0 {
            out.push(Finding::new(
                self.rule,
                self.severity,
                format!(
                    "{} more {} in this table are not listed (the first {MAX_LISTED_PER_TABLE} are)",
                    self.unlisted, self.what
                ),
                table.location(),
                basis(&[&table.digest, self.rule.as_bytes(), self.what.as_bytes(), b"more"]),
            ));
        }
    }
}

/// What the file rules know of a file besides its content: its path, digest, detected format,
/// and the facts that the walk, the load, detection and its reader observed.
pub struct FileFacts<'a> {
    /// Path relative to the checked folder.
    pub path: &'a str,
    pub sha256: Option<&'a str>,
    /// The detected format, when the file could be loaded.
    pub format: Option<crate::detect::Format>,
    pub facts: &'a [crate::model::Fact],
}

impl FileFacts<'_> {
    /// The basis of a finding about the entry itself (a link, a hidden name, a failed read).
    pub fn entry_basis(&self) -> [u8; 32] {
        basis(&[self.path.as_bytes()])
    }

    /// The basis of a finding about the file's content (its type, a part not checked).
    pub fn content_basis(&self) -> [u8; 32] {
        basis(&[self.sha256.unwrap_or("").as_bytes(), b"file"])
    }
}

/// Run the file rules on what is known of a file as a whole.
pub fn check_file(file: &FileFacts<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
    file_type::check(file, cx, out);
    unreadable::check(file, out);
}

/// Run the content rules on a document: its tables, and its texts by kind.
pub fn check_document(doc: &crate::model::Document, cx: &Context<'_>, out: &mut Vec<Finding>) {
    for table in &doc.tables {
        check_table(table, cx, out);
    }
    for text in &doc.texts {
        match text.kind {
            crate::model::TextKind::Code => check_code(text, cx, out),
            crate::model::TextKind::Output => check_text(text, cx, out),
        }
    }
}

/// Run the table rules on a table whose rows are in memory.
pub fn check_table(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut sc = small_count::TableState::default();
    for row in &table.rows {
        small_count::check_row(table, row, cx, &mut sc, out);
    }
    small_count::check_labels(table, cx, out);
    sc.finish(table, out);
    let ids = person_id::id_columns(table, cx);
    let mut pid = person_id::TableState::default();
    person_id::report_columns(table, &ids, &mut pid, out);
    for row in &table.rows {
        person_id::check_row(table, row, cx, &mut pid, out);
    }
    person_id::check_labels(table, cx, out);
    pid.finish(table, out);
    micro_data::check_table(table, &ids, cx, out);
    let structure = crate::table::structure::detect(table, cx.lexicon);
    back_calculation::check(table, &structure, cx, out);
    percent_back_calculation::check(table, &structure, cx, out);
    group_disclosure::check(table, cx, out);
    extreme_values::check(table, cx, out);
    low_dof::check_table(table, cx, out);
}

/// Run the cross-file rules over the tables of all files (after every file was checked on its
/// own). Each finding comes with the index of the file it belongs to.
pub fn check_folder(files: &[differencing::FileTables], cx: &Context<'_>) -> Vec<(usize, Finding)> {
    differencing::check(files, cx)
}

/// Run the text rules on a block of text lines (a log, console output, a text file).
pub fn check_text(text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
    log_listing::check_text(text, cx, out);
    low_dof::check_text(text, cx, out);
    person_id::check_text(text, cx, out);
}

/// Run the rules for program code on a program's lines (`code-literal`; it reports the
/// identifiers in code too, so `person-id` does not run on programs).
pub fn check_code(text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
    code_literal::check_code(text, cx, out);
}

/// Rules that look at one row at a time, for rows of a large table that are streamed past and
/// not kept. `state` carries per-table counters between rows.
pub fn check_streamed_row(
    table: &Table,
    row: &Row,
    cx: &Context<'_>,
    state: &mut StreamState,
    out: &mut Vec<Finding>,
) {
    small_count::check_row(table, row, cx, &mut state.small_count, out);
    person_id::prime(table, cx, &mut state.person_id);
    person_id::check_row(table, row, cx, &mut state.person_id, out);
    micro_data::check_streamed_row(table, row, cx, &mut state.micro_data);
}

/// Per-table state of the row rules while a large table streams past.
#[derive(Debug, Default)]
pub struct StreamState {
    pub small_count: small_count::TableState,
    pub person_id: person_id::TableState,
    pub micro_data: micro_data::StreamState,
}

impl StreamState {
    /// Findings that summarise what was not listed.
    pub fn finish(self, table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
        self.small_count.finish(table, out);
        self.person_id.finish(table, out);
        micro_data::finish_stream(self.micro_data, table, cx, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_in_all_sections() {
        for r in REGISTRY {
            let doc = r.documentation();
            for section in DOC_SECTIONS {
                assert!(doc.contains(section), "rule {} lacks '{section}'", r.id);
            }
            assert!(!r.summary.is_empty());
        }
    }

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in REGISTRY {
            assert!(seen.insert(r.id), "{} twice", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn registry_snapshot() {
        let listing: Vec<String> = REGISTRY
            .iter()
            .map(|r| format!("{} {} {}", r.id, r.severity.as_str(), r.summary))
            .collect();
        insta::assert_snapshot!(listing.join("\n"));
    }
}
