//! The rules: one file each, named after the problem it catches. Each rule file exports its
//! metadata in one constant, `RULE` (id, severity, summary, its documentation, and the checks it
//! runs), and implements the small trait of each kind of input it checks: [`TableRule`],
//! [`TextRule`] (text and code), [`RowRule`] (rows of a large table streamed past),
//! [`FolderRule`] (the kept tables of every file), [`FileRule`] (what is known of a file as a
//! whole). [`REGISTRY`] is the one list of rules, and each kind of input is dispatched by a loop
//! over it.
//!
//! A rule file opens with its documentation in the sections `## What it does`,
//! `## Why is this bad?`, `## Example`, `## Options`, `## References`; `--explain RULE` prints
//! that same text, so the docs cannot drift from the code.

use std::cell::OnceCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::config::Rules;
use crate::detect::Format;
use crate::finding::{basis, Finding, Severity};
use crate::model::{Document, Fact, Figure, Location, Row, Table, Text, TextKind};
use crate::table::classify::Lexicon;
use crate::table::structure::Structure;

pub mod back_calculation;
pub mod code_literal;
pub mod differencing;
pub mod embedded_data;
pub mod extreme_values;
pub mod families;
pub mod file_type;
pub mod group_disclosure;
pub mod hidden_content;
mod listing;
pub mod log_listing;
pub mod low_dof;
pub mod micro_data;
pub mod people;
pub mod percent_back_calculation;
pub mod person_id;
pub mod prior;
pub mod small_count;
pub mod unreadable;
mod words;

pub use listing::{Listing, MAX_LISTED_PER_TABLE};

/// The sections every rule's documentation has, in order.
pub const DOC_SECTIONS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Options",
    "## References",
];

/// Every rule, in the order `--list-rules` prints them.
pub const REGISTRY: &[&Rule] = &[
    &small_count::RULE,
    &back_calculation::RULE,
    &percent_back_calculation::RULE,
    &differencing::RULE,
    &group_disclosure::RULE,
    &extreme_values::RULE,
    &low_dof::RULE,
    &micro_data::RULE,
    &person_id::RULE,
    &code_literal::RULE,
    &log_listing::RULE,
    &embedded_data::RULE,
    &hidden_content::RULE,
    &file_type::RULE,
    &unreadable::RULE,
];

/// A rule: what `--list-rules` and `--explain` print, and the checks it runs.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable kebab-case id, as in the report contract (`docs/report.md`).
    pub id: &'static str,
    /// The severity of its findings unless the rule says otherwise for a case.
    pub severity: Severity,
    /// One line for `--list-rules`.
    pub summary: &'static str,
    /// The rule's source file; its leading `//!` block is the documentation.
    pub source: &'static str,
    /// What it checks.
    pub checks: Checks,
}

/// The checks of a rule, one per kind of input; `None` where the rule has nothing to say.
#[derive(Clone, Copy)]
pub struct Checks {
    pub table: Option<&'static dyn TableRule>,
    pub text: Option<&'static dyn TextRule>,
    pub code: Option<&'static dyn TextRule>,
    pub rows: Option<&'static dyn RowRule>,
    pub figure: Option<&'static dyn FigureRule>,
    pub folder: Option<&'static dyn FolderRule>,
    pub file: Option<&'static dyn FileRule>,
}

impl Checks {
    /// No checks: the start of a rule's `Checks { table: Some(..), ..Checks::NONE }`.
    pub const NONE: Checks = Checks {
        table: None,
        text: None,
        code: None,
        rows: None,
        figure: None,
        folder: None,
        file: None,
    };
}

impl Rule {
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

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

/// The registry entry of a rule id.
pub fn lookup(id: &str) -> Option<&'static Rule> {
    REGISTRY.iter().copied().find(|r| r.id == id)
}

/// A rule over one table whose rows are in memory.
pub trait TableRule: Sync {
    fn check(&self, table: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// A rule over a block of text lines (a log, console output, a text file, or program code).
pub trait TextRule: Sync {
    fn check(&self, text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// A rule over the rows of a large table that stream past and are not kept.
pub trait RowRule: Sync {
    /// The state of one table's streamed rows.
    fn start(&self) -> Box<dyn RowState>;
}

/// Per-table state of a [`RowRule`] while the rows stream past.
pub trait RowState: Send {
    fn row(&mut self, table: &Table, row: &Row, cx: &Context<'_>, out: &mut Vec<Finding>);
    /// Findings that summarise the rows seen.
    fn finish(self: Box<Self>, table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// A rule over the kept tables of every file of the folder, after each file was checked on its
/// own. Each finding comes with the index of the file it belongs to.
pub trait FolderRule: Sync {
    fn check(&self, files: &[FileTables], cx: &Context<'_>) -> Vec<(usize, Finding)>;
    /// Whether the rule is enabled under these rules (its tables are kept only then).
    fn enabled(&self, rules: &Rules) -> bool;
    /// Whether a file's table is small enough to keep for the rule; the places of the others are
    /// kept, so that the rule can say what it did not compare.
    fn keeps(&self, table: &Table, rules: &Rules) -> bool;
}

/// A rule over one figure of a document: what its reader counted of its marks.
pub trait FigureRule: Sync {
    fn check(&self, figure: &Figure, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// A rule over what is known of a file as a whole: its entry, type and the facts its reader
/// observed.
pub trait FileRule: Sync {
    fn check(&self, file: &FileFacts<'_>, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// What rules need besides their input: the rules in force and the compiled vocabulary.
pub struct Context<'a> {
    pub rules: &'a Rules,
    pub lexicon: &'a Lexicon,
    /// Person-key and quasi-identifier vocabularies.
    pub people: &'a people::People,
    /// Header and label words of the table rules that read them.
    pub words: &'a words::Words,
}

/// The vocabularies of the rules in force, compiled once per run.
pub struct Compiled {
    pub lexicon: Lexicon,
    pub people: people::People,
    pub words: words::Words,
}

impl Compiled {
    pub fn new(rules: &Rules) -> Compiled {
        Compiled {
            lexicon: Lexicon::new(&rules.vocabulary),
            people: people::People::new(&rules.vocabulary),
            words: words::Words::new(&rules.vocabulary),
        }
    }
}

impl<'a> Context<'a> {
    pub fn new(rules: &'a Rules, compiled: &'a Compiled) -> Context<'a> {
        Context {
            rules,
            lexicon: &compiled.lexicon,
            people: &compiled.people,
            words: &compiled.words,
        }
    }

    /// Whether a rule runs under the rules in force (all do, unless the rules are restricted to
    /// some, as a rule's own tests are).
    pub fn runs(&self, rule: &Rule) -> bool {
        self.rules.runs(rule.id)
    }

    /// The audit's settings under the rules in force: the threshold, whether a zero is unsafe,
    /// and how few values make a narrowing a disclosure.
    pub fn audit_config(&self) -> crate::audit::AuditConfig {
        crate::audit::AuditConfig {
            min_count: i128::from(self.rules.thresholds.min_count),
            zero_is_unsafe: self.rules.thresholds.zero_is_unsafe,
            narrow_max_values: i128::from(self.rules.back_calculation.narrow_max_values),
            ..crate::audit::AuditConfig::default()
        }
    }
}

/// A table with what several rules read from it, worked out once on first use.
pub struct TableInput<'t> {
    pub table: &'t Table,
    structure: OnceCell<Structure>,
    id_columns: OnceCell<Vec<(u32, &'static str)>>,
}

impl<'t> TableInput<'t> {
    pub fn new(table: &'t Table) -> TableInput<'t> {
        TableInput {
            table,
            structure: OnceCell::new(),
            id_columns: OnceCell::new(),
        }
    }

    /// Its totals, sub-totals and other relations (`back-calculation` and
    /// `percent-back-calculation` read them).
    pub fn structure(&self, cx: &Context<'_>) -> &Structure {
        self.structure
            .get_or_init(|| crate::table::structure::detect(self.table, cx.lexicon))
    }

    /// Its columns of person identifiers, `(column, what it holds)` (`person-id` reports them,
    /// `micro-data` reads them).
    pub fn id_columns(&self, cx: &Context<'_>) -> &[(u32, &'static str)] {
        self.id_columns
            .get_or_init(|| people::id_columns(self.table, cx))
    }
}

/// What the file rules know of a file besides its content: its path, digest, detected format,
/// and the facts that the walk, the load, detection and its reader observed.
pub struct FileFacts<'a> {
    /// Path relative to the checked folder.
    pub path: &'a str,
    pub sha256: Option<&'a str>,
    /// The detected format, when the file could be loaded.
    pub format: Option<Format>,
    pub facts: &'a [Fact],
    /// What the content rules found in it (the file rules run last).
    pub findings: &'a [Finding],
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

    /// The basis of a finding about one part of the file's content.
    pub fn content_basis_of(&self, part: &[u8]) -> [u8; 32] {
        basis(&[self.sha256.unwrap_or("").as_bytes(), b"part", part])
    }
}

/// The tables of one checked file, kept for the folder rules.
#[derive(Debug, Default)]
pub struct FileTables {
    /// Path relative to the checked folder, `/` separators.
    pub path: String,
    /// Tables small enough to compare, rows in memory.
    pub tables: Vec<Table>,
    /// Tables left out because they were too large (or streamed): their locations.
    pub too_large: Vec<Location>,
    /// What an earlier checker's record in this file says of other files beside it (ACRO's
    /// `results.json`): `(where in the record, tool, file name, what it says)`.
    pub prior: Vec<(Location, &'static str, String, crate::model::PriorSaid)>,
}

impl FileTables {
    /// Keep the tables a folder rule keeps; note where the others were.
    pub fn keep(&mut self, tables: Vec<Table>, rules: &Rules) {
        let folder_rules: Vec<&dyn FolderRule> = REGISTRY
            .iter()
            .filter(|r| rules.runs(r.id))
            .filter_map(|r| r.checks.folder)
            .filter(|f| f.enabled(rules))
            .collect();
        // The family pass of `small-count` (`families`) compares the tables of files too.
        let families = rules.runs(small_count::RULE.id);
        if folder_rules.is_empty() && !families {
            return;
        }
        for table in tables {
            if folder_rules.iter().any(|r| r.keeps(&table, rules))
                || (families && families::keeps(&table, rules))
            {
                self.tables.push(table);
            } else {
                self.too_large.push(table.location());
            }
        }
    }
}

/// The rules that run, with their checks of one kind.
fn running<'c, T: ?Sized + 'static>(
    cx: &'c Context<'_>,
    kind: impl Fn(&Checks) -> Option<&'static T> + 'c,
) -> impl Iterator<Item = &'static T> + 'c {
    REGISTRY
        .iter()
        .filter(move |r| cx.runs(r))
        .filter_map(move |r| kind(&r.checks))
}

/// Run the file rules on what is known of a file as a whole.
pub fn check_file(file: &FileFacts<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
    for rule in running(cx, |c| c.file) {
        rule.check(file, cx, out);
    }
}

/// Run the content rules on a document: its tables, and its texts by kind.
pub fn check_document(doc: &Document, cx: &Context<'_>, out: &mut Vec<Finding>) {
    for table in &doc.tables {
        check_table(table, cx, out);
    }
    for text in &doc.texts {
        check_text(text, cx, out);
    }
    for figure in &doc.figures {
        for rule in running(cx, |c| c.figure) {
            rule.check(figure, cx, out);
        }
    }
}

/// Run the table rules on a table whose rows are in memory.
pub fn check_table(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let input = TableInput::new(table);
    for rule in running(cx, |c| c.table) {
        rule.check(&input, cx, out);
    }
}

/// Run the text rules on a text: the code rules on program code, the others on the rest.
pub fn check_text(text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let code = text.kind == TextKind::Code;
    for rule in running(cx, move |c| if code { c.code } else { c.text }) {
        rule.check(text, cx, out);
    }
}

/// Run the folder rules over the kept tables of all files; each finding comes with the index of
/// the file it belongs to. A folder rule is guarded like a reader: an internal failure becomes a
/// warning on every file whose tables were to be compared, never a crash of the whole check or a
/// silent pass.
pub fn check_folder(files: &[FileTables], cx: &Context<'_>) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for rule in REGISTRY.iter().filter(|r| cx.runs(r)) {
        let Some(folder) = rule.checks.folder else {
            continue;
        };
        match catch_unwind(AssertUnwindSafe(|| folder.check(files, cx))) {
            Ok(found) => out.extend(found),
            Err(_) => out.extend(
                files
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| !t.tables.is_empty())
                    .map(|(i, t)| {
                        let message = format!(
                            "the comparison of this file's tables with the other files failed (an internal error); a person must check for {}",
                            rule.id
                        );
                        let basis = basis(&[t.path.as_bytes(), b"cross-file failed"]);
                        (
                            i,
                            Finding::new(rule.id, Severity::Warning, message, Location::default(), basis),
                        )
                    }),
            ),
        }
    }
    out
}

/// Per-table state of the row rules while a large table streams past.
#[derive(Default)]
pub struct StreamState {
    states: Option<Vec<Box<dyn RowState>>>,
}

impl StreamState {
    /// Run the row rules on one streamed row.
    pub fn row(&mut self, table: &Table, row: &Row, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let states = self
            .states
            .get_or_insert_with(|| running(cx, |c| c.rows).map(|r| r.start()).collect());
        for state in states {
            state.row(table, row, cx, out);
        }
    }

    /// Findings that summarise what streamed past.
    pub fn finish(self, table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for state in self.states.into_iter().flatten() {
            state.finish(table, cx, out);
        }
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
}
