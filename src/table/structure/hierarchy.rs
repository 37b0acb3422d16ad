//! One level of sub-totals read as a whole (docs/tables.md §3.6a): the rows of a table cut
//! into blocks, each a sub-total row and the rows it adds up, with a grand total row over the
//! sub-totals. The sub-total rows are marked by their indentation (they sit left of their
//! children), by a total label (`North total`), or by nothing but the numbers. Whether a
//! sub-total comes above or below its block is settled for the whole table at once: every
//! reading whose blocks and grand total hold on every line is found, and a table is read one
//! way only when exactly one reading holds. When several do, the sums common to every reading
//! are kept and the table says that its structure could not be settled (fail closed).

use std::collections::BTreeSet;

use super::counts::row_lines;
use super::row_trees::is_of_which;
use super::verify::{cell_box, tally, Accepted, Tally};
use super::{row_name, Builder, Int, Sense, Shown, Source, Unsettled};
use crate::table::structure::CellPos;

/// How the sub-total rows of a table are told from the rows they add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marks {
    /// Sub-totals at the least indentation, their children all at one deeper indentation.
    Indent,
    /// Sub-totals carry a total label.
    Labelled,
    /// Nothing marks them: any row may be one.
    Unmarked,
}

/// One reading: the grand total row (if any) and the blocks, each a sub-total and its parts.
#[derive(Clone, Debug, PartialEq)]
struct Reading {
    grand: Option<usize>,
    blocks: Vec<(usize, Vec<usize>)>,
}

/// Readings found before the search stops and calls the table unsettled.
const MAX_READINGS: usize = 16;
/// Blocks tried before the search stops (the unmarked search is exponential in principle).
const MAX_STEPS: usize = 20_000;
/// Parts of one block at most (for unmarked sub-totals).
const MAX_BLOCK: usize = 12;

/// Marked sub-totals (indentation or total labels), read before the labelled totals and the
/// row trees so that neither takes a block on the wrong side of its sub-total.
pub(super) fn marked(b: &mut Builder<'_, '_>, total_rows: &[usize]) {
    let Some((rows, grands)) = candidates(b) else {
        return;
    };
    let table = b.g.table;
    let totals: BTreeSet<usize> = total_rows.iter().copied().collect();
    let indents: BTreeSet<u32> = rows.iter().map(|&r| table.rows[r].indent).collect();
    let labelled = rows
        .iter()
        .any(|r| totals.contains(r) && !grands.contains(r));
    let marks = if indents.len() >= 2 {
        Marks::Indent
    } else if labelled {
        Marks::Labelled
    } else {
        return;
    };
    settle(b, &rows, &grands, &totals, marks, 0);
}

/// Unmarked sub-totals, read last, for a flat table whose first or last row is a labelled
/// grand total and whose other rows carry no total label. The row totals found so far must be
/// sums found by the numbers alone (a reading may hold them too) or the plain reading (the
/// grand total over every other row). When the plain reading holds and so does a reading of
/// sub-totals, nobody can tell which is meant (the plain one then makes every hidden cell 0):
/// the structure is unsettled and the plain relation is withdrawn.
pub(super) fn unmarked(b: &mut Builder<'_, '_>, total_rows: &[usize]) {
    let Some((rows, grands)) = candidates(b) else {
        return;
    };
    let table = b.g.table;
    let totals: BTreeSet<usize> = total_rows.iter().copied().collect();
    let flat = rows
        .iter()
        .all(|&r| table.rows[r].indent == table.rows[rows[0]].indent);
    if grands.is_empty()
        || !flat
        || rows
            .iter()
            .any(|r| totals.contains(r) && !grands.contains(r))
    {
        return;
    }
    // The group of a plain reading already accepted for a grand total, if any.
    let plain_group = |r: &super::Relation| -> Option<usize> {
        let super::Total::Cell(p) = r.total else {
            return None;
        };
        let all_others = r.parts.len() + 1 == rows.len();
        (grands.contains(&p.row) && all_others).then_some(r.group)
    };
    let mut plain: Option<usize> = None;
    for r in b.out.relations.iter().filter(|r| is_row_relation(r)) {
        match plain_group(r) {
            Some(gi) if b.out.groups[gi].source == Source::Lexicon => plain = Some(gi),
            _ if b.out.groups[r.group].source == Source::Numeric => {}
            _ => return,
        }
    }
    settle_unmarked(b, &rows, &grands, &totals, plain);
}

/// The unmarked search, with the plain reading's group when it holds: then any reading of
/// sub-totals found makes the table unsettled.
fn settle_unmarked(
    b: &mut Builder<'_, '_>,
    rows: &[usize],
    grands: &[usize],
    totals: &BTreeSet<usize>,
    plain: Option<usize>,
) {
    let before = b.out.unsettled.len();
    let Some(gi) = plain else {
        settle(b, rows, grands, totals, Marks::Unmarked, 0);
        return;
    };
    let relations = b.out.relations.len();
    settle(b, rows, grands, totals, Marks::Unmarked, 1);
    if b.out.unsettled.len() > before || b.out.relations.len() > relations {
        // A reading of sub-totals holds beside the plain one: withdraw the plain relation.
        b.out.relations.retain(|r| r.group != gi);
        b.out.groups.remove(gi);
        for r in &mut b.out.relations {
            if r.group > gi {
                r.group -= 1;
            }
        }
    }
}

fn is_row_relation(r: &super::Relation) -> bool {
    matches!(r.total, super::Total::Cell(p) if r.parts.iter().all(|q| q.col == p.col))
}

/// The data rows, and which of them may be the grand total (the first or the last row, when
/// labelled as a total); `None` when the table is not one to read this way (rounded, too few
/// rows, "of which" rows).
fn candidates(b: &Builder<'_, '_>) -> Option<(Vec<usize>, Vec<usize>)> {
    let g = b.g;
    let table = g.table;
    if b.rounding.is_some() || g.rows.len() < 4 || g.spent() {
        return None;
    }
    let rows = g.rows.clone();
    if rows
        .iter()
        .any(|&r| is_of_which(&table.rows[r].label, b.lexicon))
    {
        return None;
    }
    let label = |r: usize| b.lexicon.is_total(&table.rows[r].label);
    let mut grands = Vec::new();
    for r in [rows[0], rows[rows.len() - 1]] {
        if label(r) && !grands.contains(&r) {
            grands.push(r);
        }
    }
    Some((rows, grands))
}

/// Find every reading of the rows under the marks, then keep the one that holds or, when
/// several do, what they agree on, and say the structure is unsettled.
fn settle(
    b: &mut Builder<'_, '_>,
    rows: &[usize],
    grands: &[usize],
    totals: &BTreeSet<usize>,
    marks: Marks,
    others: usize,
) {
    let table = b.g.table;
    let mut readings: Vec<Reading> = Vec::new();
    let mut steps = 0usize;
    let grand_options: Vec<Option<usize>> = if grands.is_empty() {
        vec![None]
    } else {
        grands.iter().map(|&t| Some(t)).collect()
    };
    let leading = code_header_row(b, rows);
    for (grand, skip) in grand_options
        .into_iter()
        .flat_map(|g| [(g, false), (g, true)])
    {
        if skip && (leading.is_none() || leading == grand) {
            continue;
        }
        let rest: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| Some(r) != grand && !(skip && Some(r) == leading))
            .collect();
        let min_indent = rest
            .iter()
            .map(|&r| table.rows[r].indent)
            .min()
            .unwrap_or(0);
        let may_sub = |r: usize| match marks {
            Marks::Indent => table.rows[r].indent == min_indent,
            Marks::Labelled => totals.contains(&r),
            Marks::Unmarked => true,
        };
        let may_leaf = |r: usize| match marks {
            Marks::Indent => table.rows[r].indent > min_indent,
            Marks::Labelled => !totals.contains(&r),
            Marks::Unmarked => true,
        };
        for head in [true, false] {
            let mut search = Search {
                b,
                rest: &rest,
                grand,
                head,
                may_sub: &may_sub,
                may_leaf: &may_leaf,
                fixed: marks != Marks::Unmarked,
                steps: &mut steps,
                found: &mut readings,
            };
            search.from(0, &mut Vec::new());
        }
    }
    if readings.is_empty() || b.g.spent() {
        return;
    }
    readings.dedup();
    // A total that a reading explains is no mismatch.
    let read: BTreeSet<usize> = readings.iter().flat_map(relations).map(|x| x.0).collect();
    b.out.mismatches.retain(|m| !read.contains(&m.cell.row));
    let capped = steps >= MAX_STEPS || readings.len() >= MAX_READINGS;
    if readings.len() == 1 && others == 0 && !capped {
        let r = readings.remove(0);
        accept(b, &r, marks);
        return;
    }
    unsettled(b, &readings, marks, others);
}

/// The first data row of a table read without any header row, when it may be that header: a
/// row of numeric column codes (`Region, 101, 147`: municipality or area numbers) reads like a
/// row of counts, and with no header row above the body nothing tells the two apart. Its count
/// cells are all whole numbers written as bare digits. Readings are searched with the row and
/// without it (a header in no block); when both hold, the table is unsettled.
fn code_header_row(b: &Builder<'_, '_>, rows: &[usize]) -> Option<usize> {
    let table = b.g.table;
    let first = *rows.first()?;
    if !table.header.is_empty() || table.columns.iter().any(|c| !c.name.trim().is_empty()) {
        return None;
    }
    let row = &table.rows[first];
    let codes = b.g.cols.iter().all(|&c| {
        row.cell(c).is_some_and(|x| {
            let t = x.text.trim();
            !t.is_empty()
                && t.bytes().all(|d| d.is_ascii_digit())
                && b.g
                    .get(CellPos { row: first, col: c })
                    .is_some_and(|s| matches!(s, Shown::Exact(_)))
        })
    });
    codes.then_some(first)
}

/// The depth-first search for readings: blocks laid one after another over `rest`, each a
/// sub-total and at least two parts that it holds on every line, and at the end the grand total
/// over the sub-totals.
struct Search<'a, 'b, 'g, 't> {
    b: &'a Builder<'g, 't>,
    rest: &'a [usize],
    grand: Option<usize>,
    /// The sub-total row comes first in its block.
    head: bool,
    may_sub: &'b dyn Fn(usize) -> bool,
    may_leaf: &'b dyn Fn(usize) -> bool,
    /// The marks fix where each block ends: a block takes every part until the next sub-total.
    fixed: bool,
    steps: &'a mut usize,
    found: &'a mut Vec<Reading>,
}

impl Search<'_, '_, '_, '_> {
    fn from(&mut self, at: usize, blocks: &mut Vec<(usize, Vec<usize>)>) {
        if self.found.len() >= MAX_READINGS || *self.steps >= MAX_STEPS {
            return;
        }
        let n = self.rest.len();
        if at == n {
            if self.grand_holds(blocks) && jointly_feasible(self.b, self.grand, blocks) {
                self.found.push(Reading {
                    grand: self.grand,
                    blocks: blocks.clone(),
                });
            }
            return;
        }
        let max = if self.fixed {
            n - at
        } else {
            (MAX_BLOCK + 1).min(n - at)
        };
        for len in 3..=max {
            let block = &self.rest[at..at + len];
            let (sub, parts) = if self.head {
                (block[0], &block[1..])
            } else {
                (block[len - 1], &block[..len - 1])
            };
            if !(self.may_sub)(sub) {
                if self.head {
                    break;
                }
                continue;
            }
            if !parts.iter().all(|&p| (self.may_leaf)(p)) {
                break;
            }
            if self.fixed {
                // A marked block takes every part up to the next sub-total.
                let next = at + len;
                let more = if self.head {
                    next < n && (self.may_leaf)(self.rest[next])
                } else {
                    false
                };
                if more {
                    continue;
                }
            }
            let indents: BTreeSet<u32> = parts
                .iter()
                .map(|&p| self.b.g.table.rows[p].indent)
                .collect();
            if indents.len() > 1 {
                break;
            }
            *self.steps += 1;
            self.b.g.charge(parts.len() * self.b.g.cols.len());
            if !holds(self.b, sub, parts) {
                continue;
            }
            blocks.push((sub, parts.to_vec()));
            self.from(at + len, blocks);
            blocks.pop();
            if self.fixed {
                break;
            }
        }
    }

    fn grand_holds(&self, blocks: &[(usize, Vec<usize>)]) -> bool {
        if blocks.len() < 2 {
            return false;
        }
        let Some(t) = self.grand else {
            return true;
        };
        let subs: Vec<usize> = blocks.iter().map(|x| x.0).collect();
        holds(self.b, t, &subs)
    }
}

/// Whether some non-negative counts within the cells' boxes satisfy the whole reading at once,
/// in every count column: each block's sub-total (its own box, narrowed to the sums its parts
/// allow) and the grand total over the sub-totals. Each relation holding on its own is not
/// enough: a hidden sub-total may be large by its block and small by the grand total. On a
/// tree of one level this interval reasoning is exact, for integers too (each part is in one
/// block, each sub-total in its block and the grand total), so a reading it rejects is one
/// that no true counts satisfy.
fn jointly_feasible(
    b: &Builder<'_, '_>,
    grand: Option<usize>,
    blocks: &[(usize, Vec<usize>)],
) -> bool {
    let g = b.g;
    let cell = |r: usize, c: u32| g.get(CellPos { row: r, col: c });
    for &c in &g.cols {
        let mut subs_lo: Int = 0;
        let mut subs_hi: Option<Int> = Some(0);
        let mut counted = true;
        for (sub, parts) in blocks {
            let Some(s) = cell(*sub, c) else {
                counted = false;
                break;
            };
            let (mut lo, mut hi, _) = cell_box(s, None);
            let (mut plo, mut phi): (Int, Option<Int>) = (0, Some(0));
            let mut parts_counted = true;
            for &p in parts {
                let Some(x) = cell(p, c) else {
                    parts_counted = false;
                    break;
                };
                let (a, z, _) = cell_box(x, None);
                plo = plo.saturating_add(a);
                phi = phi.zip(z).map(|(u, v)| u.saturating_add(v));
            }
            if parts_counted && s != Shown::Empty {
                lo = lo.max(plo);
                hi = match (hi, phi) {
                    (Some(u), Some(v)) => Some(u.min(v)),
                    (u, v) => u.or(v),
                };
            }
            if hi.is_some_and(|h| h < lo) {
                return false;
            }
            subs_lo = subs_lo.saturating_add(lo);
            subs_hi = subs_hi.zip(hi).map(|(u, v)| u.saturating_add(v));
        }
        let Some(t) = grand else {
            continue;
        };
        if !counted {
            continue;
        }
        let Some(ts) = cell(t, c) else {
            continue;
        };
        if ts == Shown::Empty {
            continue;
        }
        let (tlo, thi, _) = cell_box(ts, None);
        let apart = thi.is_some_and(|h| h < subs_lo) || subs_hi.is_some_and(|h| h < tlo);
        if apart {
            return false;
        }
    }
    true
}

/// Whether `total = Σ parts` is violated on no line.
fn holds(b: &Builder<'_, '_>, total: usize, parts: &[usize]) -> bool {
    let lines = row_lines(b.g, total, parts);
    let t = tally(b.g, &lines, Sense::Eq, false, None, true);
    t.lines > 0 && t.violated == 0
}

fn tally_of(b: &Builder<'_, '_>, total: usize, parts: &[usize]) -> Tally {
    let lines = row_lines(b.g, total, parts);
    tally(b.g, &lines, Sense::Eq, false, None, false)
}

/// The relations of a reading, each `(total, parts)`: the blocks and the grand total.
fn relations(r: &Reading) -> Vec<(usize, Vec<usize>)> {
    let mut v = r.blocks.clone();
    if let Some(t) = r.grand {
        v.push((t, r.blocks.iter().map(|x| x.0).collect()));
    }
    v
}

fn source_of(marks: Marks) -> Source {
    match marks {
        Marks::Indent => Source::Indent,
        Marks::Labelled => Source::Lexicon,
        Marks::Unmarked => Source::Numeric,
    }
}

/// Add the relations of the one reading that holds. Marked sub-totals rest on their marks;
/// unmarked ones are confirmed by two exact lines among them, as label-free sums are, or by
/// their labelled grand total: when it adds up the sub-totals exactly on a line (as one exact
/// line confirms a labelled total) and no other cut of the rows holds, the reading is the one
/// the labelled total confirms.
fn accept(b: &mut Builder<'_, '_>, r: &Reading, marks: Marks) {
    let by_grand = r.grand.is_some_and(|t| {
        let subs: Vec<usize> = r.blocks.iter().map(|x| x.0).collect();
        tally_of(b, t, &subs).exact >= 1
    });
    add_all(b, &relations(r), marks, by_grand);
}

fn add_all(b: &mut Builder<'_, '_>, rels: &[(usize, Vec<usize>)], marks: Marks, by_grand: bool) {
    // Sums found already (by the numbers alone) are not added twice.
    let have: BTreeSet<(usize, Vec<usize>)> = b
        .out
        .relations
        .iter()
        .filter(|r| is_row_relation(r))
        .filter_map(|r| match r.total {
            super::Total::Cell(p) => {
                let mut parts: Vec<usize> = r.parts.iter().map(|q| q.row).collect();
                parts.sort_unstable();
                Some((p.row, parts))
            }
            super::Total::Constant(_) => None,
        })
        .collect();
    let rels: Vec<(usize, Vec<usize>)> = rels
        .iter()
        .filter(|(t, p)| {
            let mut p = p.clone();
            p.sort_unstable();
            !have.contains(&(*t, p))
        })
        .cloned()
        .collect();
    let rels = &rels[..];
    let tallies: Vec<Tally> = rels.iter().map(|(t, p)| tally_of(b, *t, p)).collect();
    let exact: usize = tallies.iter().map(|t| t.exact).sum();
    let confirmed = marks != Marks::Unmarked || exact >= 2 || by_grand;
    for ((t, parts), tally) in rels.iter().zip(tallies) {
        let lines = row_lines(b.g, *t, parts);
        let acc = Accepted {
            tally,
            confirmed,
            rounded: false,
        };
        b.add(
            row_name(b.g.table, *t),
            source_of(marks),
            lines,
            Sense::Eq,
            false,
            acc,
        );
    }
}

/// Several readings hold: keep the relations every one of them has, keep the other steps off
/// the rows any of them reads as a total, and say so.
fn unsettled(b: &mut Builder<'_, '_>, readings: &[Reading], marks: Marks, others: usize) {
    let all: Vec<Vec<(usize, Vec<usize>)>> = readings.iter().map(relations).collect();
    // Beside other readings (the plain one) nothing of these is common to all.
    let common: Vec<(usize, Vec<usize>)> = all[0]
        .iter()
        .filter(|x| others == 0 && all.iter().all(|rels| rels.contains(x)))
        .cloned()
        .collect();
    add_all(b, &common, marks, false);
    let mut reserved: BTreeSet<usize> = BTreeSet::new();
    for rels in &all {
        reserved.extend(rels.iter().map(|x| x.0));
    }
    let first = reserved.iter().next().copied().unwrap_or(0);
    let col = b.g.cols.first().copied().unwrap_or(1);
    b.out.unsettled.push(Unsettled {
        readings: readings.len() + others,
        cell: CellPos { row: first, col },
    });
    b.reserved.extend(reserved);
}

#[cfg(test)]
mod tests {
    use super::super::test_support::table;
    use super::super::*;

    /// Indented children above their sub-total rows, the grand total first: the sub-totals add
    /// up the rows above them, and the grand total the sub-totals.
    #[test]
    fn sub_totals_below_their_indented_children() {
        let (t, lx) = table(
            "Region,Patients\nAll,44\n  Leeds,x\n  York,13\n  Hull,8\nNorth,25\n  Bradford,x\n  Bristol,10\n  Bath,7\nMidlands,19\n",
        );
        let s = detect(&t, &lx);
        assert!(s.unsettled.is_empty(), "{s:?}");
        let north = s
            .relations
            .iter()
            .find(|r| r.total == Total::Cell(CellPos { row: 4, col: 2 }))
            .expect("North is a sub-total");
        let rows: Vec<usize> = north.parts.iter().map(|p| p.row).collect();
        assert_eq!(rows, [1, 2, 3]);
        assert!(s.groups.iter().all(|g| g.confirmed));
    }

    /// Unmarked sub-totals in one column: only one cut of the rows into blocks holds.
    #[test]
    fn unmarked_sub_totals_have_one_reading() {
        let (t, lx) = table(
            "Region,Patients\nLeeds,x\nYork,13\nNorth,17\nHull,20\nBath,11\nSouth,31\nTotal,48\n",
        );
        let s = detect(&t, &lx);
        assert!(s.unsettled.is_empty(), "{s:?}");
        assert_eq!(s.relations.len(), 3, "{s:?}");
        assert!(s
            .groups
            .iter()
            .all(|g| g.source == Source::Numeric && g.confirmed));
    }

    /// Two cuts hold at once (`A` over `B`, `C` and `D` over `E`, `F`; or `C` over `A`, `B` and
    /// `F` over `D`, `E`), and so does the plain reading (the total over every row, the hidden
    /// cells 0): nobody can tell which rows are sub-totals, so nothing is read and the table
    /// says so.
    #[test]
    fn two_readings_leave_the_structure_unsettled() {
        let (t, lx) = table("Group,N\nA,10\nB,x\nC,x\nD,10\nE,x\nF,x\nTotal,20\n");
        let s = detect(&t, &lx);
        assert_eq!(s.unsettled.len(), 1, "{s:?}");
        assert_eq!(s.unsettled[0].readings, 3);
        assert!(s.relations.is_empty(), "no sum is common to all: {s:?}");
    }

    /// A cut whose relations each hold on their own but not together (`C` over `A`, `B` needs
    /// `C` ≥ 18, `G` over `D`, `E`, `F` needs `G` ≥ 13, and `C + G` is 21) is no reading: the
    /// one cut left is read, as an assumption (no line is exact).
    #[test]
    fn a_cut_that_holds_only_line_by_line_is_no_reading() {
        let (t, lx) = table("Group,N\nA,18\nB,x\nC,x\nD,13\nE,x\nF,x\nG,x\nTotal,21\n");
        let s = detect(&t, &lx);
        assert!(s.unsettled.is_empty(), "{s:?}");
        assert_eq!(s.total_rows, BTreeSet::from([0, 4, 7]), "{s:?}");
        assert!(s.groups.iter().all(|g| !g.confirmed), "{s:?}");
    }

    /// `Hull` (hidden) over the four rows above it and `Exeter` (hidden) over the four above it
    /// each hold on their own, and the total over the two holds too, but not all at once
    /// (`Hull` ≥ 108 and `Exeter` ≥ 114 cannot add up to 114): that cut is no reading, and the
    /// one left is settled.
    #[test]
    fn a_reading_must_hold_jointly() {
        let (t, lx) = table(
            "Area,Patients\nNorth,41\nLeeds,23\nYork,18\nMidlands,26\nHull,x\nDerby,22\nWest,47\nBath,21\nBristol,24\nExeter,x\nTotal,114\n",
        );
        let s = detect(&t, &lx);
        assert!(s.unsettled.is_empty(), "{s:?}");
        let subs: BTreeSet<usize> = s.total_rows.iter().copied().collect();
        assert_eq!(subs, BTreeSet::from([0, 3, 6, 10]), "{s:?}");
        assert!(s.groups.iter().all(|g| g.confirmed), "{s:?}");
    }

    /// One count column: each block hides a cell, so the only exact line is the labelled grand
    /// total over the sub-totals. With no other cut holding, that line confirms the reading.
    #[test]
    fn the_labelled_grand_total_confirms_the_only_reading() {
        let csv = "Area,Patients\nEast,212\nEly,x\nMarch,209\nSouth,158\nDover,x\nDeal,x\nHythe,91\nRye,63\nTotal,370\n";
        let (t, lx) = table(csv);
        let s = detect(&t, &lx);
        assert!(s.unsettled.is_empty(), "{s:?}");
        assert_eq!(s.relations.len(), 3, "{s:?}");
        assert!(s.groups.iter().all(|g| g.confirmed), "{s:?}");
    }

    /// A table without a header row whose first row is column codes (`Area,301,302`): read as
    /// counts it breaks the first labelled block; read as the header (in no block) the
    /// sub-totals hold.
    #[test]
    fn a_first_row_of_column_codes_is_left_out_of_the_blocks() {
        let csv = "Area,301,302\nLeeds,x,140\nYork,155,31\nNorth total,158,171\nHull,120,66\nBath,98,121\nBristol,77,90\nSouth total,295,277\nTotal,453,448\n";
        let (t, lx) = table(csv);
        assert!(t.header.is_empty(), "the codes row is read as a body row");
        let s = detect(&t, &lx);
        assert!(s.mismatches.is_empty(), "{s:?}");
        assert!(s.unsettled.is_empty(), "{s:?}");
        let north = s
            .relations
            .iter()
            .find(|r| r.total == Total::Cell(CellPos { row: 3, col: 2 }))
            .expect("North total is a sub-total");
        let rows: Vec<usize> = north.parts.iter().map(|p| p.row).collect();
        assert_eq!(rows, [1, 2]);
        // A first row of counts that belongs to the first block is read with it.
        let (t, lx) = table(
            &csv.replace("North total,158,171", "North total,459,473")
                .replace("Total,453,448", "Total,754,750"),
        );
        let s = detect(&t, &lx);
        let north = s
            .relations
            .iter()
            .find(|r| r.total == Total::Cell(CellPos { row: 3, col: 2 }))
            .expect("North total is a sub-total");
        let rows: Vec<usize> = north.parts.iter().map(|p| p.row).collect();
        assert_eq!(rows, [0, 1, 2], "{s:?}");
    }
}
