//! Equations (`docs/tables.md` §8.3): one merged system per set of blocks: an unknown per atom,
//! an equation per published cell (suppressed and rounded cells unknowns with their boxes), each
//! table's own relations and the `equal_population` links; then its audit and report.

use std::collections::{BTreeSet, HashMap};

use crate::audit::{
    audit, rounding_box, AuditConfig, AuditResult, Int, Origin, RoundingScheme, System, Unknown,
    VarId, VerdictCode,
};
use crate::model::Cell;
use crate::redact::safe_label;
use crate::rules::FileTables;
use crate::table::structure::{CellPos, Shown};

use super::super::prepare::{row_label, Prepared};
use super::super::report::Out;
use super::align::Pop;
use super::blocks::{node_pop, pop_set, row_set, Sets};
use super::cats::{category, rounding, shown, Cat};
use super::{CellId, Equal, Merge};

/// What one unknown of a merged system stands for.
#[derive(Clone, Debug)]
pub(super) enum Meaning {
    Atom {
        block: usize,
        pop: usize,
        row: usize,
    },
    /// A suppressed or rounded published cell, and its atoms.
    Form {
        table: usize,
        row_key: String,
        atoms: Vec<usize>,
    },
    /// A suppressed cell outside every block that a table's own relations (a total column, a
    /// sub-total) bring into the system: prepared table and position.
    Loose { table: usize, pos: CellPos },
    /// An implied residual of a table's own relation: never reported here.
    Residual,
}

/// A published cell behind a relation, for placing findings.
#[derive(Clone, Debug)]
pub(super) struct RelCell<'a> {
    pub(super) table: usize,
    pub(super) block: usize,
    pub(super) row_key: String,
    pub(super) cell: &'a Cell,
}

/// The atoms of the cells in blocks: (file, table number, row, column) → terms.
pub(super) type CellTerms = HashMap<(usize, u32, u32, u32), Vec<(VarId, Int)>>;

/// The source name of a table's relations: its file and table number.
pub(super) fn source(files: &[FileTables], p: &Prepared<'_>) -> String {
    format!("{}#{}", files[p.file].path, p.table.index)
}

/// One merged system being built: its unknowns and what each stands for, the published cell
/// behind each relation (or the table whose own relation it is), and the atoms of every cell.
pub(super) struct Build<'m, 'p> {
    pub(super) merge: &'m Merge<'p>,
    pub(super) sys: System,
    pub(super) meaning: Vec<Meaning>,
    /// Per relation: the published cell it equates, if any.
    rel_cell: Vec<Option<RelCell<'p>>>,
    /// Per relation of a table's own structure: the prepared table.
    own_table: HashMap<usize, usize>,
    /// First atom of each block.
    base: HashMap<usize, usize>,
    pub(super) cell_terms: CellTerms,
    /// Every relation was added (none was malformed).
    ok: bool,
}

impl<'p> Merge<'p> {
    /// Builds one system of blocks (their atoms set) and audits it.
    pub(super) fn audit_system<'m>(
        &'m self,
        members: &[usize],
        equal: &[&Equal],
    ) -> (Build<'m, 'p>, AuditResult) {
        let mut build = Build {
            merge: self,
            sys: System::new(),
            meaning: Vec::new(),
            rel_cell: Vec::new(),
            own_table: HashMap::new(),
            base: HashMap::new(),
            cell_terms: HashMap::new(),
            ok: true,
        };
        build.add_atoms(members);
        build.add_cells(members);
        build.add_own(members);
        build.add_links(members, equal);
        let res = audit(&build.sys, &build.config());
        (build, res)
    }
}

impl<'p> Build<'_, 'p> {
    /// The threshold: counts from 1 to it minus one are small.
    pub(super) fn threshold(&self) -> Int {
        Int::from(self.merge.cx.rules.thresholds.min_count)
    }

    /// One unknown per (population atom × row atom) of each block.
    fn add_atoms(&mut self, members: &[usize]) {
        for &b in members {
            let blk = &self.merge.blocks[b];
            self.base.insert(b, self.sys.unknowns().len());
            for pi in 0..blk.pops.len() {
                for ri in 0..blk.rows.len() {
                    self.sys.add_unknown(Unknown::of(
                        &format!("atom {pi}.{ri} of block {b}"),
                        Origin::Atom,
                    ));
                    self.meaning.push(Meaning::Atom {
                        block: b,
                        pop: pi,
                        row: ri,
                    });
                }
            }
        }
    }

    /// The atoms of a population and category in a block.
    fn atoms_of(&self, b: usize, pop: &Pop, cat: &Cat) -> Vec<(VarId, Int)> {
        let blk = &self.merge.blocks[b];
        let start = self.base[&b];
        let rows = row_set(cat, &blk.rows);
        let mut v = Vec::new();
        for pi in pop_set(pop, &blk.pops) {
            for &ri in &rows {
                v.push((VarId(start + pi * blk.rows.len() + ri), 1));
            }
        }
        v
    }

    /// An equation for each published cell of each table in a block.
    fn add_cells(&mut self, members: &[usize]) {
        let m = self.merge;
        for &b in members {
            let blk = &m.blocks[b];
            for &ti in &blk.nodes {
                let p = &m.prepared[ti];
                let scheme = rounding(p, m.cx);
                let src = source(m.files, p);
                let pop = node_pop(blk, ti, &m.pops);
                for rk in &p.row_keys {
                    let Some(&(_, cell)) = p.cells.get(&(rk.clone(), blk.measure.clone())) else {
                        continue;
                    };
                    self.add_cell((b, ti), &pop, (scheme, &src), rk, cell);
                }
            }
        }
    }

    /// The equation of one published cell: the sum of its atoms is its value, or an unknown of
    /// its own with its box when it is suppressed or rounded.
    fn add_cell(
        &mut self,
        (b, ti): (usize, usize),
        pop: &Pop,
        (scheme, src): (Option<RoundingScheme>, &str),
        rk: &str,
        cell: &'p Cell,
    ) {
        let m = self.merge;
        let t = self.threshold();
        let p = &m.prepared[ti];
        let Some(sh) = shown(cell) else { return };
        let cat = category(p, rk, m.cx);
        let mut terms = self.atoms_of(b, pop, &cat);
        if terms.is_empty() {
            return;
        }
        self.cell_terms
            .entry((p.file, p.table.index, cell.row, cell.col))
            .or_insert_with(|| terms.clone());
        let label = format!(
            "'{}' row '{}'",
            m.files[p.file].path,
            safe_label(row_label(p, rk))
                .chars()
                .take(40)
                .collect::<String>()
        );
        let name = p.table.locate(cell).cell.unwrap_or_default();
        let (form, rhs) = match sh {
            Shown::Exact(v) => match scheme.and_then(|s| rounding_box(s, v)) {
                Some((lo, hi)) => (Some(Unknown::rounded(&name, lo, hi)), 0),
                None => (None, v),
            },
            Shown::Hidden { lo, hi } => {
                let u = Unknown::suppressed(&name).with_box(lo, hi);
                (
                    Some(if hi.is_some_and(|h| h < t) {
                        u.primary()
                    } else {
                        u
                    }),
                    0,
                )
            }
            Shown::Empty => return,
        };
        if let Some(u) = form {
            let atoms = terms.iter().map(|(v, _)| v.0).collect();
            let v = self.sys.add_unknown(u);
            self.meaning.push(Meaning::Form {
                table: ti,
                row_key: rk.to_string(),
                atoms,
            });
            terms.push((v, -1));
        }
        match self.sys.add_eq(terms, rhs, &label) {
            Ok(r) => {
                self.sys.set_source(r, src);
                self.rel_cell.push(Some(RelCell {
                    table: ti,
                    block: b,
                    row_key: rk.to_string(),
                    cell,
                }));
            }
            Err(_) => self.ok = false,
        }
    }

    /// Each table's own relations (a total column, sub-total rows), over the atoms of its cells.
    fn add_own(&mut self, members: &[usize]) {
        let m = self.merge;
        let mut seen_tables: BTreeSet<(usize, u32)> = BTreeSet::new();
        for &b in members {
            for &ti in &m.blocks[b].nodes {
                let p = &m.prepared[ti];
                if !seen_tables.insert((p.file, p.table.index)) {
                    continue;
                }
                let before = self.sys.relations().len();
                self.add_own_relations(ti);
                for r in before..self.sys.relations().len() {
                    self.own_table.insert(r, ti);
                    self.rel_cell.push(None);
                }
            }
        }
    }

    /// The `equal_population` links between blocks of this system: the atoms of one cell
    /// equal those of the other.
    fn add_links(&mut self, members: &[usize], equal: &[&Equal]) {
        let m = self.merge;
        for &&(ref a, ref c, li) in equal {
            let (Some(&na), Some(&nc)) = (
                m.nodes.index.get(&(a.0, a.2.as_str())),
                m.nodes.index.get(&(c.0, c.2.as_str())),
            ) else {
                continue;
            };
            let (ba, bc) = (m.block_of_node[na], m.block_of_node[nc]);
            if !members.contains(&ba) || !members.contains(&bc) {
                continue;
            }
            let side = |cid: &CellId, b: usize| -> Vec<(VarId, Int)> {
                let p = &m.prepared[cid.0];
                self.atoms_of(
                    b,
                    &node_pop(&m.blocks[b], cid.0, &m.pops),
                    &category(p, &cid.1, m.cx),
                )
            };
            let mut terms = side(a, ba);
            terms.extend(side(c, bc).into_iter().map(|(v, k)| (v, -k)));
            let origin = &m.links[li].origin;
            if let Ok(r) = self.sys.add_eq(terms, 0, &format!("the link of {origin}")) {
                self.sys.set_source(r, origin);
                self.rel_cell.push(None);
            }
        }
    }

    /// The audit's settings from the rules in force.
    fn config(&self) -> AuditConfig {
        let m = self.merge;
        AuditConfig {
            min_count: self.threshold(),
            ..m.cx.audit_config()
        }
    }

    /// Reports the verdicts of the system's audit that need two tables; `true` if the audit
    /// covered the system completely. A system with no solution links nothing (its tables
    /// cannot be one population): nothing is reported.
    pub(super) fn report(self, res: &AuditResult, out: &mut Out<'_>) -> bool {
        let m = self.merge;
        let cfg = self.config();
        if res.inconsistent {
            return false;
        }
        let flagged = super::verdicts::flagged(&self.sys, &self.meaning, res, &cfg);
        let (mut comp, comp_tables) = self.components(!flagged.is_empty());
        // An atom that is all of a flagged suppressed cell is the same fact: report the cell only.
        let mut told: std::collections::HashSet<usize> = std::collections::HashSet::new();
        for v in &flagged {
            if let Some(Meaning::Form { atoms, .. }) =
                v.vars.first().and_then(|x| self.meaning.get(x.0))
            {
                if let [one] = atoms.as_slice() {
                    told.insert(*one);
                }
            }
        }
        for v in flagged {
            if v.code != VerdictCode::GroupSumSmall
                && v.vars.first().is_some_and(|x| told.contains(&x.0))
            {
                continue;
            }
            let Some(&var) = v.vars.first() else { continue };
            let used: Vec<&RelCell<'_>> = v
                .relations
                .iter()
                .filter_map(|r| self.rel_cell.get(r.0).and_then(Option::as_ref))
                .collect();
            let mut own: Vec<usize> = v
                .relations
                .iter()
                .filter_map(|r| self.own_table.get(&r.0).copied())
                .collect();
            // Bound propagation names only its last relation: the tables are then those of the
            // unknown's component (none of them alone gives the result, as checked above).
            let named: BTreeSet<(usize, u32)> = used
                .iter()
                .map(|c| c.table)
                .chain(own.iter().copied())
                .map(|t| (m.prepared[t].file, m.prepared[t].table.index))
                .collect();
            if named.len() < 2 {
                if let Some(ts) = comp_tables.get(&comp.find(var.0)) {
                    own.extend(ts.iter().copied());
                }
            }
            m.report(
                &self.meaning[var.0],
                (v.code, super::verdicts::severity(v)),
                (&used, &own),
                out,
            );
        }
        self.ok && !res.inconsistent
    }

    /// The connected components of the system's unknowns and, when `tables`, the tables of
    /// each component, for derivations that name one relation only.
    fn components(&self, tables: bool) -> (Sets, HashMap<usize, BTreeSet<usize>>) {
        let mut comp = Sets::new(self.sys.unknowns().len());
        for r in self.sys.relations() {
            if let Some(&(first, _)) = r.terms.first() {
                for &(x, _) in &r.terms[1..] {
                    comp.union(first.0, x.0);
                }
            }
        }
        let mut comp_tables: HashMap<usize, BTreeSet<usize>> = HashMap::new();
        if tables {
            for (ri, r) in self.sys.relations().iter().enumerate() {
                let Some(&(first, _)) = r.terms.first() else {
                    continue;
                };
                let table = self
                    .rel_cell
                    .get(ri)
                    .and_then(Option::as_ref)
                    .map(|c| c.table)
                    .or_else(|| self.own_table.get(&ri).copied());
                if let Some(t) = table {
                    comp_tables.entry(comp.find(first.0)).or_default().insert(t);
                }
            }
        }
        (comp, comp_tables)
    }
}
