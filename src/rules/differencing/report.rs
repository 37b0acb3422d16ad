//! The findings of the differencing rule, listed per file and bounded: one per place, the
//! merged audit's first, with the info findings of what was not compared.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Location, Table};
use crate::redact::safe_label;
use crate::rules::{FileTables, MAX_LISTED_PER_TABLE};

use super::ID;

/// A finding of a cross-file rule and the file (index into the input) it belongs to.
pub(super) type Placed = (usize, Finding);

/// Findings listed per file, bounded.
pub(super) struct Out<'a> {
    files: &'a [FileTables],
    listed: HashMap<usize, usize>,
    unlisted: BTreeMap<usize, u64>,
    pub(super) found: Vec<Placed>,
    seen: BTreeSet<(usize, String)>,
    /// Pairs of band runs compared so far.
    pub(super) run_pairs: u64,
    /// Files where the band comparison stopped at its work limit (`MAX_RUN_PAIRS`).
    pub(super) stopped: BTreeSet<usize>,
    /// Places the merged audit flagged: the pairwise checks do not flag them again.
    places: BTreeSet<(usize, Location)>,
}

impl<'a> Out<'a> {
    pub(super) fn new(files: &'a [FileTables]) -> Self {
        Out {
            files,
            listed: HashMap::new(),
            unlisted: BTreeMap::new(),
            found: Vec::new(),
            seen: BTreeSet::new(),
            run_pairs: 0,
            stopped: BTreeSet::new(),
            places: BTreeSet::new(),
        }
    }

    /// A finding of the merged audit, one per place.
    pub(super) fn push_audit(&mut self, file: usize, loc: Location, f: Finding) {
        if !self.places.contains(&(file, loc.clone())) {
            self.push(file, format!("audit|{loc:?}"), f);
            self.places.insert((file, loc));
        }
    }

    pub(super) fn push(&mut self, file: usize, dedupe: String, f: Finding) {
        if f.severity == Severity::Error && self.places.contains(&(file, f.location.clone())) {
            return;
        }
        if !self.seen.insert((file, dedupe)) {
            return;
        }
        let n = self.listed.entry(file).or_insert(0);
        if *n < MAX_LISTED_PER_TABLE {
            *n += 1;
            self.found.push((file, f));
        } else {
            *self.unlisted.entry(file).or_insert(0) += 1;
        }
    }

    pub(super) fn finish(mut self) -> Vec<Placed> {
        for file in std::mem::take(&mut self.stopped) {
            let path = self.files[file].path.clone();
            self.found.push((
                file,
                Finding::new(
                    ID,
                    Severity::Info,
                    "the comparison of banded categories with the other tables of the folder stopped at its work limit; some pairs were not compared",
                    Location::default(),
                    basis(&[path.as_bytes(), b"differencing stopped"]),
                ),
            ));
        }
        for (file, n) in std::mem::take(&mut self.unlisted) {
            let path = self.files[file].path.clone();
            self.found.push((
                file,
                Finding::new(
                    ID,
                    Severity::Error,
                    format!(
                        "{n} more differencing findings for this file are not listed (the first {MAX_LISTED_PER_TABLE} are)"
                    ),
                    Location::default(),
                    basis(&[path.as_bytes(), b"differencing more"]),
                ),
            ));
        }
        self.found
    }
}

/// Where a cell is, for messages: its row label and column.
pub(super) fn row_col_place(table: &Table, cell: &Cell, row_key_label: &str) -> String {
    let row = safe_label(row_key_label);
    format!("row '{row}', column {}", table.column_label(cell.col))
}
