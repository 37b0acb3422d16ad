//! The findings of the merged audit: each verdict placed at the cell of the table that
//! subtracts, with what it recovers (an atom's population and rows, or a suppressed cell) and
//! the other tables it needs.

use std::collections::BTreeSet;

use crate::audit::VerdictCode;
use crate::finding::{basis, Finding, Severity};
use crate::model::Cell;
use crate::redact::safe_label;

use super::super::bands::show_interval;
use super::super::prepare::row_label;
use super::super::report::Out;
use super::blocks::{node_pop, pop_set, row_set, Block, PopAtom, RowAtom};
use super::cats::{category, Cat};
use super::system::{Meaning, RelCell};
use super::Merge;
use crate::rules::differencing::ID;

/// Where a finding goes (prepared table and cell) and what it says is recovered.
type Subject<'c> = (Option<(usize, &'c Cell)>, String);

impl<'p> Merge<'p> {
    /// Reports one verdict about the unknown `what`, derived through the published cells
    /// `used` and the own relations of the tables `own`.
    pub(super) fn report(
        &self,
        what: &Meaning,
        (code, severity): (VerdictCode, Severity),
        (used, own): (&[&RelCell<'p>], &[usize]),
        out: &mut Out<'_>,
    ) {
        let Some((place, subject)) = self.subject(what, code, used) else {
            return;
        };
        let Some((place_table, place_cell)) = place else {
            return;
        };
        let prepared = self.prepared;
        let files = self.files;
        let here = &prepared[place_table];
        let mut others: BTreeSet<(usize, u32)> = BTreeSet::new();
        // Parts of one table split by population are one table.
        for t in used.iter().map(|c| c.table).chain(own.iter().copied()) {
            let p = &prepared[t];
            if (p.file, p.table.index) != (here.file, here.table.index) {
                others.insert((p.file, p.table.index));
            }
        }
        if others.is_empty() {
            return;
        }
        let related: Vec<String> = others
            .iter()
            .filter(|(f, _)| *f != here.file)
            .map(|(f, _)| files[*f].path.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let named: Vec<String> = others
            .iter()
            .map(|&(f, i)| {
                if f == here.file {
                    format!("the {} table of this file", ordinal(i))
                } else {
                    format!("'{}'", files[f].path)
                }
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let column = here.table.column_label(place_cell.col);
        let msg = self.message(code, &named.join(" and "), &subject, &column);
        let loc = here.table.locate(place_cell);
        let digest_others: Vec<u8> = others
            .iter()
            .flat_map(|&(f, i)| {
                let mut v = files[f].path.as_bytes().to_vec();
                v.extend_from_slice(&i.to_le_bytes());
                v
            })
            .collect();
        let mut f = Finding::new(
            ID,
            severity,
            msg,
            loc.clone(),
            basis(&match code {
                // The new warnings get their own fingerprints; the errors keep theirs.
                VerdictCode::IneffectiveSuppression | VerdictCode::NarrowedWarn => vec![
                    here.table.digest.as_slice(),
                    &digest_others,
                    subject.as_bytes(),
                    code.code().as_bytes(),
                ],
                _ => vec![
                    here.table.digest.as_slice(),
                    &digest_others,
                    subject.as_bytes(),
                ],
            }),
        );
        f.related = related;
        out.push_audit(here.file, loc, f);
    }

    /// Where the finding of a verdict about `what` goes and what it recovers; `None` for an
    /// implied residual, never reported.
    fn subject(
        &self,
        what: &Meaning,
        code: VerdictCode,
        used: &[&RelCell<'p>],
    ) -> Option<Subject<'p>> {
        Some(match what {
            Meaning::Residual => return None,
            Meaning::Loose { table, pos } => {
                let cell = self.prepared[*table]
                    .table
                    .rows
                    .get(pos.row)
                    .and_then(|r| r.cells.iter().find(|c| c.col == pos.col));
                (
                    cell.map(|c| (*table, c)),
                    "the suppressed count in this cell".to_string(),
                )
            }
            Meaning::Form { table, row_key, .. } => {
                let here = used
                    .iter()
                    .copied()
                    .find(|c| c.table == *table && &c.row_key == row_key);
                let what = match code {
                    VerdictCode::IneffectiveSuppression | VerdictCode::NarrowedWarn => {
                        "the suppressed count in this cell"
                    }
                    _ => "the suppressed or rounded count in this cell",
                };
                (here.map(|c| (c.table, c.cell)), what.to_string())
            }
            Meaning::Atom { block, pop, row } => self.atom_subject((*block, *pop, *row), used),
        })
    }

    /// The place and subject of an atom: the table that subtracts (its population leaves the
    /// atom out), at a cell whose category holds the atom's row; then the last file.
    fn atom_subject(
        &self,
        (block, pop, row): (usize, usize, usize),
        used: &[&RelCell<'p>],
    ) -> Subject<'p> {
        let prepared = self.prepared;
        let cx = self.cx;
        let blk = &self.blocks[block];
        let rank = |c: &RelCell<'_>| {
            (
                prepared[c.table].file,
                prepared[c.table].table.index,
                c.cell.row,
                c.cell.col,
            )
        };
        let score = |c: &RelCell<'_>| {
            let p = &prepared[c.table];
            let in_block = c.block == block;
            let touches =
                in_block && row_set(&category(p, &c.row_key, cx), &blk.rows).contains(&row);
            let excludes =
                in_block && !pop_set(&node_pop(blk, c.table, &self.pops), &blk.pops).contains(&pop);
            (excludes, touches, rank(c))
        };
        let best = used.iter().copied().max_by_key(|c| score(c));
        let pop_text = pop_text(blk, pop);
        let row_text = self.row_text(&blk.rows[row], best);
        let subject = if pop_text.is_empty() {
            format!("the count of {row_text}")
        } else {
            format!("the count of {pop_text} in {row_text}")
        };
        (best.map(|c| (c.table, c.cell)), subject)
    }

    /// The rows of an atom as a message names them: the row of the placing cell when it is the
    /// atom's band or label, else the band.
    fn row_text(&self, atom: &RowAtom, best: Option<&RelCell<'_>>) -> String {
        let prepared = self.prepared;
        match atom {
            RowAtom::Band(lo, hi) => match best {
                Some(c)
                    if category(&prepared[c.table], &c.row_key, self.cx) == Cat::Band(*lo, *hi) =>
                {
                    format!(
                        "row '{}'",
                        safe_label(row_label(&prepared[c.table], &c.row_key))
                    )
                }
                _ => format!("band {}", show_interval((*lo, *hi))),
            },
            RowAtom::Label(k) => {
                let shown = best
                    .filter(|c| &c.row_key == k)
                    .map(|c| row_label(&prepared[c.table], &c.row_key).to_string())
                    .unwrap_or_else(|| k.clone());
                format!("row '{}'", safe_label(&shown))
            }
            RowAtom::Rest => "the categories no table lists".to_string(),
        }
    }

    /// The message of a verdict: what `with` (the other tables) and this table give.
    fn message(&self, code: VerdictCode, with: &str, subject: &str, column: &str) -> String {
        let t = self.cx.rules.thresholds.min_count;
        match code {
            VerdictCode::IneffectiveSuppression => format!(
                "suppression hides nothing: this table combined with {with} gives {subject} (column {column}) back exactly, and it is not below {t}; check what the suppression was meant to protect [B5]"
            ),
            VerdictCode::NarrowedWarn => format!(
                "this table combined with {with} narrows {subject} (column {column}) to a few values, all below {t} [B3w]"
            ),
            VerdictCode::ExactSmall => format!(
                "count below {t} by differencing: this table combined with {with} gives {subject} (column {column}) exactly"
            ),
            VerdictCode::GroupSumSmall => format!(
                "count below {t} by differencing: this table combined with {with} gives exactly the number of persons of this row (column {column}) that the other tables leave out: {subject} together with anyone in none of the tables' groups [B2]"
            ),
            _ => format!(
                "count below {t} by differencing: this table combined with {with} gives {subject} (column {column}) to at most {} possible values",
                self.cx.rules.back_calculation.narrow_max_values
            ),
        }
    }
}

/// The population of an atom as a message names it: empty when every table of the block
/// describes the same population.
fn pop_text(blk: &Block, pop: usize) -> String {
    match &blk.pops[pop] {
        PopAtom::Only => String::new(),
        PopAtom::Group(g) => safe_label(g),
        PopAtom::Rest => match &blk.rest_text {
            Some(s) => s.clone(),
            None => {
                let named: Vec<String> = blk
                    .pops
                    .iter()
                    .filter_map(|a| match a {
                        PopAtom::Group(g) => Some(safe_label(g)),
                        _ => None,
                    })
                    .collect();
                format!("the rest of the population (not {})", named.join(" or "))
            }
        },
    }
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`: table numbers in messages (a bare number could
/// read as a count).
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal).to_vec();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]
        );
    }
}
