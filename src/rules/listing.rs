//! A bounded listing of one rule's findings of one table, text or file: past a limit, one
//! finding counts the rest.

use crate::finding::{basis, Finding, Severity};
use crate::model::{Location, Table};

/// Most findings one rule lists for one table; past it, one finding counts the rest.
pub const MAX_LISTED_PER_TABLE: usize = 50;

/// Counts one rule's findings of one table (or text, or file), so that a large one lists a
/// bounded number.
#[derive(Debug)]
pub struct Listing {
    rule: &'static str,
    severity: Severity,
    /// What is counted, plural (`groups concentrated in one category`).
    what: String,
    limit: usize,
    listed: usize,
    unlisted: u64,
}

impl Listing {
    pub fn new(rule: &'static str, severity: Severity, what: impl Into<String>) -> Self {
        Listing {
            rule,
            severity,
            what: what.into(),
            limit: MAX_LISTED_PER_TABLE,
            listed: 0,
            unlisted: 0,
        }
    }

    /// The same listing with another limit.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// List a finding, or count it once the table's limit is reached.
    pub fn push(&mut self, f: Finding, out: &mut Vec<Finding>) {
        if self.listed < self.limit {
            self.listed += 1;
            out.push(f);
        } else {
            self.unlisted += 1;
        }
    }

    /// One finding for what was not listed in a table.
    pub fn finish(self, table: &Table, out: &mut Vec<Finding>) {
        let basis = basis(&[
            &table.digest,
            self.rule.as_bytes(),
            self.what.as_bytes(),
            b"more",
        ]);
        self.finish_in(" in this table", table.location(), basis, out);
    }

    /// One finding for what was not listed, `where` it was (` in this text`, or empty), at
    /// `location`, about `basis`.
    pub fn finish_in(
        self,
        place: &str,
        location: Location,
        basis: [u8; 32],
        out: &mut Vec<Finding>,
    ) {
        if self.unlisted > 0 {
            out.push(Finding::new(
                self.rule,
                self.severity,
                format!(
                    "{} more {}{place} are not listed (the first {} are)",
                    self.unlisted, self.what, self.limit
                ),
                location,
                basis,
            ));
        }
    }
}
