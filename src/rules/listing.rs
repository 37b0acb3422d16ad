//! A bounded listing of one rule's findings of one table: past a limit, one finding counts the rest.

use crate::finding::{basis, Finding, Severity};
use crate::model::Table;

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
