//! ## What it does
//! Flags a file that could not be read or parsed: permission denied, a corrupt workbook, text
//! in an encoding that does not decode, a reader that failed. The run goes on with the other
//! files, and the file is never passed.
//!
//! ## Why is this bad?
//! What the tool cannot read it cannot check. Passing such a file silently would let anything
//! through that is hidden in it, so the export is blocked until the file is fixed or removed.
//!
//! ## Example
//! ```text
//! Results/old/table.xlsx   <- unreadable: the workbook is corrupt (zip central directory missing)
//! Results/notes.txt        <- unreadable: UTF-16 text with a broken surrogate pair
//! ```
//!
//! ## Options
//! None. Fix the file (save it again, convert it to UTF-8) or remove it from the export.
//!
//! ## References
//! The fail-closed principle of output checking: Eurostat/ESSnet Guidelines for the checking of
//! output based on microdata research (2015), "output that cannot be checked is not released".
//! `docs/report.md` §2: a file that cannot be read or parsed is never silently passed.

use crate::finding::{Finding, Severity};
use crate::model::{FactKind, Unreadable};
use crate::rules::{Checks, Context, FileFacts, FileRule, Rule};

pub const RULE: Rule = Rule {
    id: "unreadable",
    severity: Severity::Error,
    summary: "a file that could not be read or parsed",
    source: include_str!("unreadable.rs"),
    checks: Checks {
        file: Some(&UnreadableRule),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct UnreadableRule;

impl FileRule for UnreadableRule {
    fn check(&self, file: &FileFacts<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        check(file, out);
    }
}

/// Every part of the file that could not be read is an error.
pub fn check(file: &FileFacts<'_>, out: &mut Vec<Finding>) {
    let describe = file.format.map(|f| f.describe()).unwrap_or("this file");
    for fact in file.facts {
        let why = match &fact.kind {
            FactKind::Unreadable(why) => why,
            FactKind::Unchecked { part, why } => {
                out.push(Finding::new(
                    ID,
                    Severity::Error,
                    format!("{part} cannot be checked: {why}"),
                    fact.location.clone(),
                    file.content_basis(),
                ));
                continue;
            }
            _ => continue,
        };
        let message = match why {
            Unreadable::Listing(reason) | Unreadable::Reading(reason) => {
                format!("cannot be read: {reason}")
            }
            Unreadable::Opening(reason) => format!("cannot be opened: {reason}"),
            Unreadable::Parsing(reason) => format!("cannot be read as {describe}: {reason}"),
            Unreadable::LimitReached(what) => format!(
                "{describe} not checked past a limit ({what}); a person must review it or split it"
            ),
            Unreadable::ReaderFailed => format!(
                "the {describe} reader failed on this file (an internal error); the file was not checked"
            ),
        };
        out.push(Finding::new(
            ID,
            Severity::Error,
            message,
            fact.location.clone(),
            file.entry_basis(),
        ));
    }
}
