//! ## What it does
//! Flags national person identifiers (Danish CPR, Finnish henkilötunnus, Swedish personnummer
//! and samordningsnummer, Norwegian fødselsnummer and D/H-numbers, Icelandic kennitala, Belgian
//! NISS/BIS, Dutch BSN, UK NHS number, French NIR, Estonian isikukood) and pseudonymised person
//! numbers wherever they stand: any line of a text, log or note, any cell, header, title or note
//! of a table, and person keys written with their value (`USUBJID=…`, `pnr = …`) in text lines.
//! Each line or cell is scanned once; dates and check digits are validated, and
//! context words (`cpr`, `hetu`, `fnr`, …, or the column name) raise the confidence while others
//! (`phone`, `timestamp`, `orgnr`) lower it. Matches of high or medium confidence are findings;
//! low-confidence ones only in a column named as a person key.
//!
//! A whole column of identifiers (at least 90 % of its values validate as one kind, judged on its
//! first 5 000 rows), or a column named as a person key (`pnr`, `lbnr`, `shnro`, `RINPERSOON`,
//! `patient_id`, …) whose values look like keys, is one finding for the column, not one per cell. A table lists at most 50
//! cell findings; one more finding counts the rest.
//!
//! Program code is left to `code-literal`, which reports identifiers in code.
//!
//! The report names the kind and the place, never the identifier itself.
//!
//! ## Why is this bad?
//! A person identifier names a person. A pseudonymised number does too, inside the secure
//! environment and to anyone who holds the key, and it links every other output that carries it.
//! Nothing that leaves may carry either.
//!
//! ## Example
//! ```text
//! note: checked record of 010203-1234 by hand   <- person-id: Danish CPR number
//! pnr;age;sex                                    <- person-id: column 'pnr' holds
//! 000012345678;54;F                                 pseudonymised person numbers
//! ```
//! Remove the identifiers; report only aggregates.
//!
//! ## Options
//! `[vocabulary] person_key` and `provider_key` (column names that mark keys). The recognisers
//! themselves are built in (`docs/identifiers.md` §3).
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: no micro-data, and pseudonymised
//! key variables (`PNR`, `CVR`, workplace numbers) are always micro-data, even alone. Findata,
//! producing anonymous results: no personal identity codes. Statistics Finland, FIONA remote
//! access: no identifiers in results. Formats and check digits: python-stdnum; identifiers spec
//! §1 and §1.5.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{basis, Finding, Severity};
use crate::ident::scanner;
use crate::ident::{Confidence, IdMatch};
use crate::model::{Cell, Kind, Location, Row, Table, Text, Value};
use crate::rules::{
    people::{id_columns, id_token},
    Checks, Context, Listing, RowRule, RowState, Rule, TableInput, TableRule, TextRule,
};

pub const RULE: Rule = Rule {
    id: "person-id",
    severity: Severity::Error,
    summary: "a national person identifier or pseudonymised person number in any text or cell",
    source: include_str!("person_id.rs"),
    checks: Checks {
        table: Some(&PersonId),
        text: Some(&PersonId),
        rows: Some(&PersonId),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct PersonId;

impl TableRule for PersonId {
    fn check(&self, input: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let table = input.table;
        let mut state = TableState::default();
        report_columns(table, input.id_columns(cx), &mut state, out);
        for row in &table.rows {
            check_row(table, row, cx, &mut state, out);
        }
        check_labels(table, cx, out);
        state.finish(table, out);
    }
}

impl TextRule for PersonId {
    fn check(&self, text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check_text(text, cx, out);
    }
}

impl RowRule for PersonId {
    fn start(&self) -> Box<dyn RowState> {
        Box::new(TableState::default())
    }
}

impl RowState for TableState {
    fn row(&mut self, table: &Table, row: &Row, cx: &Context<'_>, out: &mut Vec<Finding>) {
        prime(table, cx, self);
        check_row(table, row, cx, self, out);
    }

    fn finish(self: Box<Self>, table: &Table, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        TableState::finish(*self, table, out);
    }
}

/// Per-table state: the columns already reported as a whole, and the listing cap.
#[derive(Debug, Default)]
pub struct TableState {
    decided: bool,
    id_columns: HashSet<u32>,
    listing: Option<Listing>,
}

impl TableState {
    fn push(&mut self, f: Finding, out: &mut Vec<Finding>) {
        self.listing
            .get_or_insert_with(|| {
                Listing::new(ID, Severity::Error, "cells with person identifiers")
            })
            .push(f, out);
    }

    /// One finding for the cells past the listing limit.
    pub fn finish(self, table: &Table, out: &mut Vec<Finding>) {
        if let Some(l) = self.listing {
            l.finish(table, out);
        }
    }
}

/// Column-level findings over the rows in memory (a streamed table's sample rows). Runs once
/// per table, before its rows are checked cell by cell.
pub fn check_columns(
    table: &Table,
    cx: &Context<'_>,
    state: &mut TableState,
    out: &mut Vec<Finding>,
) {
    if !state.decided {
        report_columns(table, &id_columns(table, cx), state, out);
    }
}

/// One finding per identifier column found by [`id_columns`].
pub fn report_columns(
    table: &Table,
    ids: &[(u32, &'static str)],
    state: &mut TableState,
    out: &mut Vec<Finding>,
) {
    if state.decided {
        return;
    }
    state.decided = true;
    for (col, what) in ids {
        state.id_columns.insert(*col);
        let name = table.column(*col).map(|c| c.name.as_str()).unwrap_or("");
        out.push(Finding::new(
            ID,
            Severity::Error,
            format!(
                "column {} holds {what}s: a column of person identifiers",
                table.column_label(*col)
            ),
            Location {
                column: Some(*col),
                ..table.location()
            },
            basis(&[&table.digest, b"person-id column", name.as_bytes()]),
        ));
    }
}

/// Decide the ID columns of a streamed table without reporting them again (the table's
/// in-memory check reports them).
pub fn prime(table: &Table, cx: &Context<'_>, state: &mut TableState) {
    if !state.decided {
        check_columns(table, cx, state, &mut Vec::new());
    }
}

/// The identifiers in one piece of text that count as findings.
fn findings_in(text: &str, column: Option<&str>, cx: &Context<'_>) -> Vec<IdMatch> {
    // Most cells and lines hold no run of 8 digits or hex; skip the scanner for them.
    if !might_hold_id(text) {
        return Vec::new();
    }
    let key_column = column.is_some_and(|c| cx.people.key_name(c, false).is_some());
    scanner()
        .scan_with_context(text, column)
        .into_iter()
        .filter(|m| m.confidence >= Confidence::Medium || key_column)
        .collect()
}

/// Cheap prefilter: every national identifier has at least 9 digits, every hash or UUID at
/// least 32 hex characters (a date such as `1962-10-21` has neither).
fn might_hold_id(text: &str) -> bool {
    let (mut digits, mut hex) = (0, 0);
    for b in text.bytes() {
        if b.is_ascii_digit() {
            digits += 1;
            hex += 1;
            if digits >= 9 {
                return true;
            }
        } else if b.is_ascii_hexdigit() {
            hex += 1;
        }
    }
    hex >= 32
}

fn describe(matches: &[IdMatch]) -> &'static str {
    matches
        .iter()
        .max_by_key(|m| m.confidence)
        .map(|m| m.kind.describe())
        .unwrap_or("identifier")
}

/// Check the cells of one row (a row in memory or one streamed past).
pub fn check_row(
    table: &Table,
    row: &Row,
    cx: &Context<'_>,
    state: &mut TableState,
    out: &mut Vec<Finding>,
) {
    if !state.decided {
        check_columns(table, cx, state, out);
    }
    for cell in &row.cells {
        if state.id_columns.contains(&cell.col) {
            continue;
        }
        let name = table.column(cell.col).map(|c| c.name.as_str());
        let mut found = findings_in(&cell.text, name.filter(|n| !n.is_empty()), cx);
        // A bare number in a column of numbers (counts, amounts, estimates, by its header or
        // its values) is a number: only a written-out identifier (with its separator, or a
        // context word or column name) counts there.
        let statistic = table.column(cell.col).is_some_and(|c| {
            matches!(
                c.kind,
                Kind::Count | Kind::Percent | Kind::Rate | Kind::Estimate | Kind::Extreme
            )
        });
        if statistic && matches!(cell.value, Value::Number(_)) {
            found.retain(|m| m.confidence == Confidence::High);
        }
        if !found.is_empty() {
            let f = cell_finding(table, cell, describe(&found), "");
            state.push(f, out);
        }
    }
}

fn cell_finding(table: &Table, cell: &Cell, what: &str, place: &str) -> Finding {
    Finding::new(
        ID,
        Severity::Error,
        format!("{what}{place} in column {}", table.column_label(cell.col)),
        table.locate(cell),
        basis(&[&table.digest, b"person-id", cell.text.as_bytes()]),
    )
}

/// Header cells, titles and notes of a table.
pub fn check_labels(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    for header_row in &table.header {
        for cell in header_row {
            let found = findings_in(&cell.text, None, cx);
            if !found.is_empty() {
                out.push(cell_finding(
                    table,
                    cell,
                    describe(&found),
                    " in the header",
                ));
            }
        }
    }
    for (what, lines) in [("title", &table.title), ("note", &table.notes)] {
        for line in lines {
            let found = findings_in(line, None, cx);
            if !found.is_empty() {
                out.push(Finding::new(
                    ID,
                    Severity::Error,
                    format!("{} in a {what} line of the table", describe(&found)),
                    table.location(),
                    basis(&[&table.digest, b"person-id", line.as_bytes()]),
                ));
            }
        }
    }
}

static KEYED: LazyLock<Regex> = LazyLock::new(|| {
    // `USUBJID=01-701-1015`, `pnr = 000012345678`, `lbnr: "12345"`: a name, `=` (or `:` before a
    // quote), a value.
    Regex::new(
        r#"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|:\s*["'])\s*["']?([A-Za-z0-9][A-Za-z0-9_./-]{2,39})"#,
    )
    .unwrap_or_else(|e| panic!("static regex: {e}"))
});

/// A person key written with its value in a text line (a SAS `PUT` dump, an R `str()` line):
/// the key's name when there is one.
fn keyed_value(line: &str, cx: &Context<'_>) -> Option<String> {
    if !line.contains(['=', ':']) {
        return None;
    }
    KEYED.captures_iter(line).find_map(|c| {
        let name = c.get(1)?.as_str();
        let value = c.get(2)?.as_str();
        let digits = value.bytes().filter(u8::is_ascii_digit).count();
        (digits >= 3 && id_token(value) && cx.people.key_name(name, true).is_some())
            .then(|| name.to_string())
    })
}

/// Check every line of a text (a note, a log). One finding per line.
pub fn check_text(text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut listing = Listing::new(ID, Severity::Error, "lines with person identifiers");
    for (line_no, line) in &text.lines {
        let found = findings_in(line, None, cx);
        let message = if !found.is_empty() {
            describe(&found).to_string()
        } else if let Some(name) = keyed_value(line, cx) {
            format!(
                "a value of person key '{}' (a pseudonymised person number)",
                crate::redact::safe_label(&name)
            )
        } else {
            continue;
        };
        let location = Location {
            member: text.member.clone(),
            ..Location::line(*line_no)
        };
        let f = Finding::new(
            ID,
            Severity::Error,
            message,
            location,
            basis(&[b"person-id", line.as_bytes()]),
        );
        listing.push(f, out);
    }
    let location = Location {
        member: text.member.clone(),
        ..Location::default()
    };
    listing.finish_in("", location, basis(&[b"person-id more lines"]), out);
}
