//! Each table's own relations in a merged system: its total column, total and sub-total rows,
//! as `back-calculation` finds and confirms them, over the atoms of its cells.

use std::collections::{BTreeMap, HashMap};

use crate::audit::{Int, Origin, Unknown, VarId};
use crate::model::Table;
use crate::table::structure::{self, CellPos, Relation, Shown, Total};

use super::cats::{rounding, shown};
use super::system::{source, Build, Meaning};

impl Build<'_, '_> {
    /// Adds the confirmed relations of one table's structure (its total column, total and
    /// sub-total rows) to a merged system: a cell in a block is the sum of its atoms, another
    /// published cell a constant, another suppressed cell an unknown of its own. Tables with
    /// rounded counts are left out (their relations hold between true values only within the
    /// rounding).
    pub(super) fn add_own_relations(&mut self, ti: usize) {
        let m = self.merge;
        let p = &m.prepared[ti];
        let table = p.table;
        if rounding(p, m.cx).is_some() {
            return;
        }
        let s = structure::detect(table, m.cx.lexicon);
        if s.rounding.is_some() {
            return;
        }
        let src = source(m.files, p);
        let mut loose: HashMap<CellPos, VarId> = HashMap::new();
        for rel in &s.relations {
            let Some(group) = s.groups.get(rel.group) else {
                continue;
            };
            if !group.confirmed || group.excludes_suppressed {
                continue;
            }
            let Some((coef, rhs)) = self.relation_terms(ti, table, rel, &mut loose) else {
                continue;
            };
            let mut terms: Vec<(VarId, Int)> = coef
                .into_iter()
                .filter(|&(_, a)| a != 0)
                .map(|(v, a)| (VarId(v), a))
                .collect();
            if rel.residual {
                let v = self
                    .sys
                    .add_unknown(Unknown::of("residual category", Origin::Residual));
                self.meaning.push(Meaning::Residual);
                terms.push((v, 1));
            }
            if terms.is_empty() {
                continue;
            }
            let label = format!("'{}' {}", m.files[p.file].path, group.label);
            let added = match rel.sense {
                structure::Sense::Eq => self.sys.add_eq(terms, rhs, &label),
                structure::Sense::Le => self.sys.add_le(terms, rhs, &label),
            };
            if let Ok(r) = added {
                self.sys.set_source(r, &src);
            }
        }
    }

    /// The terms (unknown → coefficient) and right-hand side of one relation of a table: the
    /// atoms of its cells in blocks, its other published cells as constants, its other
    /// suppressed cells as unknowns of their own (one per cell, in `loose`). `None` when a
    /// member is missing or not a count.
    fn relation_terms(
        &mut self,
        ti: usize,
        table: &Table,
        rel: &Relation,
        loose: &mut HashMap<CellPos, VarId>,
    ) -> Option<(BTreeMap<usize, Int>, Int)> {
        let t = self.threshold();
        let file = self.merge.prepared[ti].file;
        let mut coef: BTreeMap<usize, Int> = BTreeMap::new();
        let mut rhs: Int = 0;
        let members = rel
            .parts
            .iter()
            .map(|&q| (Total::Cell(q), 1))
            .chain(std::iter::once((rel.total, -1)));
        for (m, k) in members {
            let q = match m {
                Total::Constant(v) => {
                    rhs -= k * v;
                    continue;
                }
                Total::Cell(q) => q,
            };
            let cell = table
                .rows
                .get(q.row)
                .and_then(|r| r.cells.iter().find(|c| c.col == q.col))?;
            if let Some(terms) = self
                .cell_terms
                .get(&(file, table.index, cell.row, cell.col))
            {
                for &(v, a) in terms {
                    *coef.entry(v.0).or_insert(0) += k * a;
                }
                continue;
            }
            match shown(cell) {
                Some(Shown::Exact(v)) => rhs -= k * v,
                Some(Shown::Hidden { lo, hi }) => {
                    let v = *loose.entry(q).or_insert_with(|| {
                        let name = table.locate(cell).cell.unwrap_or_default();
                        let u = Unknown::suppressed(&name).with_box(lo, hi);
                        let u = if hi.is_some_and(|h| h < t) {
                            u.primary()
                        } else {
                            u
                        };
                        self.meaning.push(Meaning::Loose { table: ti, pos: q });
                        self.sys.add_unknown(u)
                    });
                    *coef.entry(v.0).or_insert(0) += k;
                }
                _ => return None,
            }
        }
        Some((coef, rhs))
    }
}
