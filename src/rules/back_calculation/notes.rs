//! What `back-calculation` says about a table before its audit: rows it did not hold, labelled
//! totals that do not add up (S1), no structure at all, totals that leave suppressed cells out.

use crate::finding::{basis, Finding, Severity};
use crate::model::Table;
use crate::table::structure::Structure;

use super::place::locate;
use super::ID;

/// Only the rows held in memory of a streamed table are audited.
pub(super) fn streamed(table: &Table, out: &mut Vec<Finding>) {
    if table.streamed_rows > 0 {
        out.push(Finding::new(
            ID,
            Severity::Info,
            format!(
                "only the {} rows held in memory were audited for back-calculation; {} more rows streamed past",
                table.rows.len(),
                table.streamed_rows
            ),
            table.location(),
            basis(&[&table.digest, b"streamed"]),
        ));
    }
}

/// Labelled totals that match their cells under no reading (S1).
pub(super) fn mismatches(table: &Table, s: &Structure, out: &mut Vec<Finding>) {
    for m in &s.mismatches {
        out.push(Finding::new(
            ID,
            Severity::Warning,
            format!(
                "the total in {} does not match the cells it appears to total under any reading (structure mismatch S1); check the table, totals that do not add up can hide or reveal cells",
                m.label
            ),
            locate(table, m.cell),
            basis(&[&table.digest, b"S1", m.label.as_bytes()]),
        ));
    }
}

/// Sub-totals that more than one reading of the table satisfies (docs/tables.md §3.6a): the
/// sums common to every reading were audited, the rest could not be (fail closed).
pub(super) fn unsettled(table: &Table, s: &Structure, out: &mut Vec<Finding>) {
    for u in &s.unsettled {
        out.push(Finding::new(
            ID,
            Severity::Warning,
            format!(
                "the sub-totals of this table can be read in {} ways (which rows each sub-total adds up, or whether it comes above or below them), so its structure could not be settled; only the sums common to every reading were audited: a person must check it for back-calculation",
                if u.readings >= 16 { "many".to_string() } else { u.readings.to_string() }
            ),
            locate(table, u.cell),
            basis(&[&table.digest, b"unsettled"]),
        ));
    }
}

/// A table of counts without totals or sub-totals: its cells were treated as independent.
/// Says that no totals were found, when the table has two rows or columns of counts or more;
/// whether it said so.
pub(super) fn no_structure(table: &Table, s: &Structure, out: &mut Vec<Finding>) -> bool {
    // A labelled total that does not add up (S1, reported above) is a structure, if a
    // broken one: saying none was found would contradict it.
    // A single row of counts has nothing to total: no need to say so.
    let lines = s.data_rows.len().max(s.count_cols.len());
    if !s.data_rows.is_empty()
        && !s.count_cols.is_empty()
        && s.mismatches.is_empty()
        && s.unsettled.is_empty()
        && lines >= 2
    {
        let why = if s.scans_skipped {
            " (the table is too large for the label-free scans; only labelled totals were looked for)"
        } else {
            ""
        };
        out.push(Finding::new(
            ID,
            Severity::Info,
            format!("no totals or sub-totals detected: cells treated as independent{why}"),
            table.location(),
            basis(&[&table.digest, b"no-structure"]),
        ));
        return true;
    }
    false
}

/// Groups whose totals equal the sum of their visible cells: they appear to leave the
/// suppressed cells out.
pub(super) fn excluded_suppressed(table: &Table, s: &Structure, out: &mut Vec<Finding>) {
    for (gi, g) in s.groups.iter().enumerate() {
        if g.excludes_suppressed {
            out.push(Finding::new(
                ID,
                Severity::Info,
                format!(
                    "the totals of {} appear to exclude the suppressed cells (they equal the sum of the visible cells); if they do not, the suppressed cells are 0",
                    g.label
                ),
                table.location(),
                basis(&[&table.digest, b"excludes", &gi.to_le_bytes()]),
            ));
        }
    }
}

/// A table with more unknowns than `max_unknowns` is not audited: a person must check it (a
/// warning, so that the file does not pass unaudited).
pub(super) fn too_large(table: &Table, unknowns: usize, max: u32, out: &mut Vec<Finding>) {
    out.push(Finding::new(
        ID,
        Severity::Warning,
        format!(
            "the table has {unknowns} unknown cells, more than the {max} the back-calculation audit handles; it was not audited"
        ),
        table.location(),
        basis(&[&table.digest, b"too-large"]),
    ));
}
