//! The table as the audit's linear system: published counts are constants, suppressed cells are
//! unknowns with the bounds their markers give, rounded cells are boxes of their true values, and
//! every relation of the structure is an equation or inequality (`docs/tables.md` §5).

use std::collections::HashMap;

use crate::audit::{Origin, System, Unknown, VarId};
use crate::model::Table;
use crate::table::structure::{self, CellPos, Group, Relation, Sense, Shown, Structure, Total};

use super::place::{cell_name, line_label};

/// What an unknown of the system stands for.
#[derive(Clone, Copy, Debug)]
pub(super) enum Slot {
    Cell(CellPos),
    /// The implied residual of a relation (its index in the structure).
    Residual(usize),
}

/// The system of a table, with what its unknowns and relations stand for.
pub(super) struct Built {
    pub(super) sys: System,
    /// For each unknown, what it stands for.
    pub(super) slots: Vec<Slot>,
    /// For each system relation, the structure relation it came from.
    pub(super) rel_of: Vec<usize>,
}

/// Build the system of a table's structure; `t` is the threshold (`min_count`).
pub(super) fn build(table: &Table, s: &Structure, t: i128) -> Built {
    let mut b = Builder {
        table,
        s,
        t,
        sys: System::new(),
        slots: Vec::new(),
        vars: HashMap::new(),
        rel_of: Vec::new(),
    };
    for (ri, rel) in s.relations.iter().enumerate() {
        b.relation(ri, rel);
    }
    Built {
        sys: b.sys,
        slots: b.slots,
        rel_of: b.rel_of,
    }
}

/// The system while its relations are added, one unknown per cell however many relations hold it.
struct Builder<'a> {
    table: &'a Table,
    s: &'a Structure,
    t: i128,
    sys: System,
    slots: Vec<Slot>,
    vars: HashMap<CellPos, VarId>,
    rel_of: Vec<usize>,
}

/// One relation as `Σ coef·unknown = rhs` (or `≤`), with the number of its visible cells.
#[derive(Default)]
struct Line {
    terms: Vec<(VarId, i128)>,
    rhs: i128,
    visible: usize,
}

impl Builder<'_> {
    /// Add relation `ri` of the structure, unless one of its cells is missing or its constants
    /// overflow (the unknowns of its cells seen before that stay).
    fn relation(&mut self, ri: usize, rel: &Relation) {
        let Some(mut line) = self.line(rel) else {
            return;
        };
        if rel.residual {
            let name = residual_name(self.table, rel);
            let v = self.sys.add_unknown(Unknown::of(&name, Origin::Residual));
            self.slots.push(Slot::Residual(ri));
            line.terms.push((v, 1));
        }
        if line.terms.is_empty() && line.rhs == 0 {
            return;
        }
        let label = line_label(self.table, self.s, rel);
        let added = match rel.sense {
            Sense::Eq => self
                .sys
                .add_eq_visible(line.terms, line.rhs, &label, line.visible),
            // parts − total ≤ 0  ⇔  Σ parts ≤ total
            Sense::Le => self.sys.add_le(line.terms, line.rhs, &label),
        };
        if added.is_ok() {
            self.rel_of.push(ri);
        }
    }

    /// The parts (coefficient 1) and the total (coefficient −1) of a relation as a line: exact
    /// cells move to the right-hand side, the others become unknowns. `None` when a cell is
    /// missing or a constant overflows.
    fn line(&mut self, rel: &Relation) -> Option<Line> {
        let group = &self.s.groups[rel.group];
        let mut line = Line::default();
        let mut members: Vec<(Total, i128)> =
            rel.parts.iter().map(|&p| (Total::Cell(p), 1)).collect();
        members.push((rel.total, -1));
        for (m, coef) in members {
            let p = match m {
                Total::Constant(v) => {
                    line.rhs = line.rhs.checked_sub(coef * v)?;
                    continue;
                }
                Total::Cell(p) => p,
            };
            let sh = self.cell_shown(p)?;
            if group.excludes_suppressed && coef == 1 && !matches!(sh, Shown::Exact(_)) {
                continue;
            }
            let boxed = self.true_box(sh, group);
            match (sh, boxed) {
                (Shown::Exact(v), None) => {
                    line.rhs = line.rhs.checked_sub(coef * v)?;
                    line.visible += 1;
                }
                _ => {
                    let v = self.unknown(p, sh, boxed);
                    line.terms.push((v, coef));
                }
            }
        }
        Some(line)
    }

    /// What a cell shows; an absent cell of a present row is empty, a missing row is `None`.
    fn cell_shown(&self, p: CellPos) -> Option<Shown> {
        let row = self.table.rows.get(p.row)?;
        let cell = row.cell(p.col);
        match cell {
            Some(c) => structure::shown(&c.value),
            None => Some(Shown::Empty),
        }
    }

    /// The box of true values behind an exact cell that the table's rounding applies to.
    fn true_box(&self, sh: Shown, group: &Group) -> Option<(i128, i128)> {
        let rounding = self.s.rounding;
        match sh {
            Shown::Exact(v) => rounding
                .filter(|_| group.rounded || !rounding.is_some_and(|r| r.sum_of_rounded))
                .and_then(|r| r.true_box(v)),
            _ => None,
        }
    }

    /// The unknown of a cell, added on first sight: a rounded cell's box, or a suppressed cell
    /// with its marker's bounds (primary when all its values are below the threshold).
    fn unknown(&mut self, p: CellPos, sh: Shown, boxed: Option<(i128, i128)>) -> VarId {
        if let Some(&v) = self.vars.get(&p) {
            return v;
        }
        let name = cell_name(self.table, p);
        let u = match (sh, boxed) {
            (Shown::Exact(_), Some((lo, hi))) => Unknown::rounded(&name, lo, hi),
            (Shown::Hidden { lo, hi }, _) => {
                let u = Unknown::suppressed(&name).with_box(lo, hi);
                if hi.is_some_and(|h| h < self.t) {
                    u.primary()
                } else {
                    u
                }
            }
            _ => Unknown::suppressed(&name),
        };
        self.slots.push(Slot::Cell(p));
        let v = self.sys.add_unknown(u);
        self.vars.insert(p, v);
        v
    }
}

/// The name of a relation's implied residual: the group a total leaves out of the groups shown
/// beside it (in its row, or in its column), or the category a `Table 1` block leaves out of its
/// column's `N`.
fn residual_name(table: &Table, rel: &Relation) -> String {
    let Some(q) = rel.parts.first() else {
        return "residual category".to_string();
    };
    match rel.total {
        Total::Cell(p) if rel.parts.iter().all(|x| x.row == p.row) => {
            let label = table.rows.get(p.row).map_or("", |r| r.label.trim());
            if label.is_empty() {
                format!("group not shown in the row of {}", cell_name(table, p))
            } else {
                format!(
                    "group not shown in row '{}'",
                    crate::redact::safe_label(label)
                )
            }
        }
        Total::Cell(p) if rel.parts.iter().all(|x| x.col == p.col) => {
            format!("group not shown in {}", table.column_label(p.col))
        }
        _ => format!("residual category in {}", table.column_label(q.col)),
    }
}
