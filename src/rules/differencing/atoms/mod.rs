//! Differencing through the audit engine (`docs/tables.md` §8): aligned tables become one system
//! of atoms, the common refinement of their categories, and the audit finds every atom or
//! suppressed cell that the tables recover only together.
//!
//! - **Alignment.** Per measure (a count column, by its header without population words), two
//!   tables align when their row variables do (the same stub header, category-set overlap with
//!   Jaccard ≥ 0.6, or interval categories under an empty stub) and their populations are
//!   consistent with nesting: all persons and a sub-group (every sub-group cell at most its
//!   all-persons cell), or the same population (no shared category with different counts, and
//!   some shared categories or the whole extent with equal counts). A `contains` link forces
//!   the alignment of its two tables.
//! - **Atoms.** A block of aligned tables has one non-negative integer unknown per (population
//!   atom × row atom): the sub-groups named plus the rest of the population; elementary intervals
//!   of every band, nominal labels, and a rest category when some total covers categories that
//!   its table does not list.
//! - **Equations.** Each published cell is `Σ atoms = value`; a suppressed cell (`x`, `<5`) or a
//!   rounded one is an unknown with its box equal to its atoms. An `equal_population` link equates
//!   the atoms of its two cells, joining their blocks into one system.
//! - **Findings.** An atom or suppressed cell recovered exactly (B1) or narrowed to a few values
//!   (B3) below the threshold, where the derivation uses two or more tables.

mod align;
mod blocks;
mod cats;
mod own;
mod report;
mod system;
mod verdicts;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::config::Link;
use crate::finding::{basis, Finding, Severity};
use crate::model::Location;
use crate::rules::{Context, FileTables};

use super::prepare::Prepared;
use super::report::Out;
use super::ID;

use align::{Nodes, Pop};
use blocks::{Block, Sets};
use cats::Cats;

pub(super) use cats::rounding;

/// A `contains` link resolved to prepared tables: (outer, inner, link index).
pub(super) type Contains = (usize, usize, usize);

/// An `equal_population` link resolved to (prepared table, row key, column key) twice.
pub(super) type CellId = (usize, String, String);
pub(super) type Equal = (CellId, CellId, usize);

/// What the merged audit did: the (table, table, measure) triples it covered completely, so
/// that the pairwise checks leave them alone, and the pairs of tables whose merged system had
/// no solution (they are not one population, and nothing links them).
#[derive(Default)]
pub(super) struct Covered(pub HashSet<(usize, usize, String)>, HashSet<(usize, usize)>);

impl Covered {
    pub(super) fn has(&self, a: usize, b: usize, measure: &str) -> bool {
        self.0.contains(&(a.min(b), a.max(b), measure.to_string()))
    }

    /// Whether two prepared tables were found not to be one population.
    pub(super) fn apart(&self, a: usize, b: usize) -> bool {
        self.1.contains(&(a.min(b), a.max(b)))
    }
}

/// The merged audit of one group's prepared tables: their categories and populations, the
/// (table, measure) nodes, and the blocks of aligned nodes.
struct Merge<'p> {
    prepared: &'p [Prepared<'p>],
    files: &'p [FileTables],
    links: &'p [Link],
    cx: &'p Context<'p>,
    /// Per prepared table: its categories by row key.
    cats: Vec<Cats<'p>>,
    /// Per prepared table: its population for alignment.
    pops: Vec<Pop>,
    /// Per inner table of a `contains` link: what the rest of its population is.
    rest_text: HashMap<usize, String>,
    nodes: Nodes<'p>,
    blocks: Vec<Block>,
    /// Per node: its block.
    block_of_node: Vec<usize>,
}

/// Runs the merged audit over all aligned tables; findings go to `out`. A system with no
/// solution (`docs/tables.md` §8.3) links nothing: its pairs of tables are kept apart and the
/// alignment is made again without them, so that they join no system of another measure and
/// the pairwise checks leave them alone too.
pub(super) fn run(
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    links: &[Link],
    (contains, equal): (&[Contains], &[Equal]),
    cx: &Context<'_>,
    out: &mut Out<'_>,
) -> Covered {
    let cats = cats::all_cats(prepared, cx);
    let (pops, rest_text) = align::link_populations(prepared, files, links, contains);
    let mut apart: HashSet<(usize, usize)> = HashSet::new();
    // Each round keeps more pairs apart; the systems of the last are consistent or final.
    for round in 0..MAX_ROUNDS {
        let nodes = Nodes::new(prepared, &cats);
        let mut sets = Sets::new(nodes.len());
        align::align(
            &nodes,
            prepared,
            (&cats, &pops),
            (contains, &apart),
            &mut sets,
        );
        let (blocks, block_of_node) = blocks::blocks(&nodes, &mut sets);
        let mut merge = Merge {
            prepared,
            files,
            links,
            cx,
            cats: cats.clone(),
            pops: pops.clone(),
            rest_text: rest_text.clone(),
            nodes,
            blocks,
            block_of_node,
        };
        let (systems, equal_ok) = merge.systems(equal);
        let ready: Vec<&Vec<usize>> = systems
            .values()
            .filter(|m| merge.ready_members(m, out))
            .collect();
        let audited: Vec<_> = ready
            .iter()
            .map(|m| (*m, merge.audit_system(m, &equal_ok)))
            .collect();
        let before = apart.len();
        for (members, (_, res)) in &audited {
            if res.inconsistent {
                apart.extend(merge.pairs_of(members));
            }
        }
        if apart.len() > before && round + 1 < MAX_ROUNDS {
            continue;
        }
        let mut covered = Covered::default();
        for (members, (build, res)) in audited {
            if build.report(&res, out) {
                for &b in members {
                    let m = &merge.blocks[b].measure;
                    for (i, &x) in merge.blocks[b].nodes.iter().enumerate() {
                        for &y in &merge.blocks[b].nodes[i + 1..] {
                            covered.0.insert((x.min(y), x.max(y), m.clone()));
                        }
                    }
                }
            }
        }
        covered.1 = apart;
        return covered;
    }
    Covered::default()
}

/// Rounds of the merged audit at most: each keeps apart the tables of the systems found
/// without a solution.
const MAX_ROUNDS: usize = 4;

impl Merge<'_> {
    /// Systems: blocks joined by `equal_population` links (system root → its blocks), and the
    /// links whose cells are both in blocks.
    fn systems<'e>(&self, equal: &'e [Equal]) -> (BTreeMap<usize, Vec<usize>>, Vec<&'e Equal>) {
        let mut sys_sets = Sets::new(self.blocks.len());
        let mut equal_ok: Vec<&Equal> = Vec::new();
        for e in equal {
            let (Some(&na), Some(&nb)) = (
                self.nodes.index.get(&(e.0 .0, e.0 .2.as_str())),
                self.nodes.index.get(&(e.1 .0, e.1 .2.as_str())),
            ) else {
                continue;
            };
            sys_sets.union(self.block_of_node[na], self.block_of_node[nb]);
            equal_ok.push(e);
        }
        let mut systems: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for b in 0..self.blocks.len() {
            systems.entry(sys_sets.find(b)).or_default().push(b);
        }
        (systems, equal_ok)
    }

    /// Whether one system of blocks has two tables at least and at most `max_atoms` atoms (its
    /// atoms then set); an info finding says the audit was partial when it has more.
    fn ready_members(&mut self, members: &[usize], out: &mut Out<'_>) -> bool {
        let tables: BTreeSet<usize> = members
            .iter()
            .flat_map(|&b| self.blocks[b].nodes.iter().copied())
            .collect();
        // Two tables at least: the parts of one table split by population are one.
        let distinct: BTreeSet<(usize, u32)> = tables
            .iter()
            .map(|&t| (self.prepared[t].file, self.prepared[t].table.index))
            .collect();
        if distinct.len() < 2 {
            return false;
        }
        let max_atoms = u64::from(self.cx.rules.differencing.max_atoms.max(1));
        if self.fill_atoms(members) > max_atoms {
            for &t in &tables {
                let f = self.prepared[t].file;
                let path = self.files[f].path.clone();
                let msg = format!(
                    "the differencing audit of this file's tables with the tables aligned to them was partial: their merged system has more than {max_atoms} atoms, so only pairwise differences were checked"
                );
                out.push(
                    f,
                    format!("partial|{f}"),
                    Finding::new(
                        ID,
                        Severity::Info,
                        msg,
                        Location::default(),
                        basis(&[path.as_bytes(), b"differencing partial"]),
                    ),
                );
            }
            return false;
        }
        true
    }

    /// The pairs of prepared tables of different tables in a system's blocks.
    fn pairs_of(&self, members: &[usize]) -> Vec<(usize, usize)> {
        let tables: BTreeSet<usize> = members
            .iter()
            .flat_map(|&b| self.blocks[b].nodes.iter().copied())
            .collect();
        let of = |t: usize| (self.prepared[t].file, self.prepared[t].table.index);
        let mut v = Vec::new();
        for &a in &tables {
            for &b in tables.range(a + 1..) {
                if of(a) != of(b) {
                    v.push((a, b));
                }
            }
        }
        v
    }

    /// Sets the atoms of each block of a system; the number of atoms.
    fn fill_atoms(&mut self, members: &[usize]) -> u64 {
        let mut atoms: u64 = 0;
        for &b in members {
            let (p, r) =
                blocks::block_atoms(&self.blocks[b], self.prepared, &self.cats, &self.pops);
            atoms = atoms.saturating_add((p.len() as u64).saturating_mul(r.len() as u64));
            let rest_text = self.blocks[b]
                .nodes
                .iter()
                .find_map(|t| self.rest_text.get(t).cloned());
            let blk = &mut self.blocks[b];
            blk.pops = p;
            blk.rows = r;
            blk.rest_text = rest_text;
        }
        atoms
    }
}
