//! One table printed in pieces: Stata's `by` prefix (`bysort agegroup: tab sgtf outcome`) prints
//! the same table once per group, each under `-> agegroup = 0-39`, and the groups partition the
//! sample. The table of the whole sample printed by the same log (`tab sgtf outcome` on the same
//! sample, without `by`) is their margin: per row and column, the groups' cells add up to its
//! cell. A suppressed cell of one group (`X`) is then that total minus the other groups.
//!
//! The link is made on evidence only: the group tables follow each other under `->` titles of
//! the same variables, with the same columns and distinct values; the whole-sample table is an
//! earlier table of the same file with the same columns and every row of the groups, and every
//! cell that all groups show adds up to its cell (two at least, none contradicting, the shown
//! parts of the others never above it). Then each hidden cell is an unknown, each cell of the
//! whole-sample table an equation, each table's own totals (its Total row and column, as
//! [`structure::detect`] confirms them) join, and the audit gives back what they recover. A cell
//! that one table's own relations already give is left to the per-table check.

use std::collections::BTreeMap;

use crate::audit::{audit, Int, System, Unknown, VarId, VerdictCode};
use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Kind, Table};
use crate::redact::safe_label;
use crate::rules::{Context, FileTables, FolderRule};
use crate::table::structure::{self, CellPos, Shown, Total};

use super::ID;

/// Largest table (cells) kept for the check.
const MAX_TABLE_CELLS: u64 = 2_000;
/// Earlier tables tried as the whole sample of one family of groups.
const MAX_CANDIDATES: usize = 40;

pub(super) struct ByGroups;

impl FolderRule for ByGroups {
    fn check(&self, files: &[FileTables], cx: &Context<'_>) -> Vec<(usize, Finding)> {
        let mut out = Vec::new();
        for (fi, file) in files.iter().enumerate() {
            for f in check_file(&file.tables, cx) {
                out.push((fi, f));
            }
            for f in super::partitions::check_file(&file.tables, cx) {
                out.push((fi, f));
            }
        }
        out
    }

    fn enabled(&self, _rules: &crate::config::Rules) -> bool {
        true
    }

    fn keeps(&self, table: &Table, _rules: &crate::config::Rules) -> bool {
        let cells: u64 = table.rows.iter().map(|r| r.cells.len() as u64).sum();
        table.streamed_rows == 0 && cells <= MAX_TABLE_CELLS
    }
}

/// The by-variables and the group value of a table printed under `-> a = x, b = y`.
fn by_group(t: &Table) -> Option<(String, String)> {
    let line = t
        .title
        .iter()
        .flat_map(|l| l.split(" / "))
        .map(str::trim)
        .filter(|p| p.starts_with("-> "))
        .last()?;
    let rest = line.strip_prefix("-> ")?;
    let mut names = Vec::new();
    let mut values = Vec::new();
    for part in rest.split(", ") {
        let (name, value) = part.split_once(" = ")?;
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        names.push(name.to_string());
        values.push(value.trim().to_string());
    }
    Some((names.join(", "), values.join(", ")))
}

/// The layout tables must share: every column's name, in order.
fn layout(t: &Table) -> Vec<&str> {
    t.columns.iter().map(|c| c.name.trim()).collect()
}

/// Runs of consecutive group tables of one by-command: `(by-variables, table indices)`.
fn families(tables: &[Table]) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>, Vec<String>)> = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let Some((vars, value)) = by_group(t) else {
            continue;
        };
        let continues = out.last().is_some_and(|(v, members, values)| {
            *v == vars
                && members.last().is_some_and(|&m| m + 1 == i)
                && layout(&tables[members[0]]) == layout(t)
                && !values.contains(&value)
        });
        match out.last_mut() {
            Some((_, members, values)) if continues => {
                members.push(i);
                values.push(value);
            }
            _ => out.push((vars, vec![i], vec![value])),
        }
    }
    out.into_iter()
        .filter(|(_, m, _)| m.len() >= 2)
        .map(|(v, m, _)| (v, m))
        .collect()
}

fn check_file(tables: &[Table], cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (vars, members) in families(tables) {
        let first = members[0];
        let candidates = (0..first)
            .rev()
            .filter(|&k| {
                by_group(&tables[k]).is_none() && layout(&tables[k]) == layout(&tables[first])
            })
            .take(MAX_CANDIDATES);
        for k in candidates {
            if let Some(cells) = partition(&tables[k], &members, tables) {
                audit_family(&vars, k, &members, &cells, tables, cx, &mut out);
                break;
            }
        }
    }
    out
}

/// What a cell shows: `Some(Shown)`, or `None` for a cell that is no count.
fn shown_at(t: &Table, row: usize, col: u32) -> Option<Shown> {
    match t.rows.get(row).and_then(|r| r.cell(col)) {
        Some(c) => structure::shown(&c.value),
        // Stata leaves out a row no one falls in.
        None => Some(Shown::Exact(0)),
    }
}

/// One equation of the partition: the whole sample's cell and, per group table, its row.
type Equation = (CellPos, Vec<(usize, Option<usize>)>);

/// The equations of a confirmed partition of `total` into the tables `members`, or `None`
/// when the numbers do not confirm it.
fn partition(total: &Table, members: &[usize], tables: &[Table]) -> Option<Vec<Equation>> {
    let rows_of = |t: &Table| -> BTreeMap<String, usize> {
        t.rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.label.trim().to_string(), i))
            .collect()
    };
    let whole = rows_of(total);
    if whole.len() != total.rows.len() {
        return None;
    }
    let groups: Vec<BTreeMap<String, usize>> =
        members.iter().map(|&m| rows_of(&tables[m])).collect();
    if groups
        .iter()
        .any(|g| g.keys().any(|k| !whole.contains_key(k)))
    {
        return None;
    }
    let counts: Vec<u32> = total
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Count)
        .map(|c| c.col)
        .collect();
    let mut eqs = Vec::new();
    let mut confirmed = 0;
    for (label, &row) in &whole {
        for &col in &counts {
            let whole_cell = shown_at(total, row, col)?;
            let mut parts = Vec::new();
            let (mut known, mut hidden) = (0 as Int, false);
            for (g, &m) in groups.iter().zip(members) {
                let r = g.get(label).copied();
                match r.map_or(Some(Shown::Exact(0)), |r| shown_at(&tables[m], r, col))? {
                    Shown::Exact(v) => known += v,
                    Shown::Hidden { lo, .. } => {
                        known += lo;
                        hidden = true;
                    }
                    Shown::Empty => hidden = true,
                }
                parts.push((m, r));
            }
            if let Shown::Exact(w) = whole_cell {
                if known > w || (!hidden && known != w) {
                    return None;
                }
                confirmed += usize::from(!hidden && w != 0);
            }
            eqs.push((CellPos { row, col }, parts));
        }
    }
    (confirmed >= 2).then_some(eqs)
}

/// The unknowns of a family's system: one per hidden cell, by table and cell.
#[derive(Default)]
struct Unknowns {
    sys: System,
    at: BTreeMap<(usize, CellPos), VarId>,
    cells: Vec<(usize, CellPos)>,
}

impl Unknowns {
    /// A cell as a term: its value folded into the right-hand side, or its unknown.
    fn term(&mut self, tables: &[Table], ti: usize, pos: CellPos) -> Option<Result<Int, VarId>> {
        let shown = shown_at(&tables[ti], pos.row, pos.col)?;
        let (lo, hi) = match shown {
            Shown::Exact(v) => return Some(Ok(v)),
            Shown::Hidden { lo, hi } => (lo, hi),
            Shown::Empty => (0, None),
        };
        if let Some(&v) = self.at.get(&(ti, pos)) {
            return Some(Err(v));
        }
        let name = format!("cell {} of table {}", self.cells.len(), ti + 1);
        let v = self
            .sys
            .add_unknown(Unknown::suppressed(&name).with_box(lo, hi));
        self.at.insert((ti, pos), v);
        self.cells.push((ti, pos));
        Some(Err(v))
    }

    /// Adds `Σ sign·cell = 0` over the cells given; `false` when a cell is no count.
    fn equation(&mut self, tables: &[Table], cells: &[(usize, CellPos, Int)], label: &str) -> bool {
        let mut terms: Vec<(VarId, Int)> = Vec::new();
        let mut rhs: Int = 0;
        for &(ti, pos, sign) in cells {
            match self.term(tables, ti, pos) {
                Some(Ok(v)) => rhs -= sign * v,
                Some(Err(v)) => terms.push((v, sign)),
                None => return false,
            }
        }
        terms.is_empty() || self.sys.add_eq(terms, rhs, label).is_ok()
    }

    /// Adds each table's own confirmed totals (its Total row and column).
    fn own_relations(&mut self, tables: &[Table], ti: usize, cx: &Context<'_>) {
        let s = structure::detect(&tables[ti], cx.lexicon);
        if s.rounding.is_some() {
            return;
        }
        for rel in &s.relations {
            let ok = s
                .groups
                .get(rel.group)
                .is_some_and(|g| g.confirmed && !g.excludes_suppressed);
            let Total::Cell(total) = rel.total else {
                continue;
            };
            if !ok || rel.residual || rel.sense != structure::Sense::Eq {
                continue;
            }
            let mut cells = vec![(ti, total, 1)];
            cells.extend(rel.parts.iter().map(|&p| (ti, p, -1)));
            self.equation(tables, &cells, &format!("the totals of table {}", ti + 1));
        }
    }
}

/// The audit of one family of group tables and its whole sample `k`: findings for the hidden
/// cells they give back below the threshold that no table's own relations give.
fn audit_family(
    vars: &str,
    k: usize,
    members: &[usize],
    eqs: &[Equation],
    tables: &[Table],
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
) {
    let mut u = Unknowns::default();
    for &ti in members.iter().chain([&k]) {
        u.own_relations(tables, ti, cx);
    }
    let cfg = cx.audit_config();
    let recovered = |res: &crate::audit::AuditResult| -> BTreeMap<VarId, bool> {
        res.verdicts
            .iter()
            .filter(|v| matches!(v.code, VerdictCode::ExactSmall | VerdictCode::NarrowedSmall))
            .filter_map(|v| Some((*v.vars.first()?, v.code == VerdictCode::ExactSmall)))
            .collect()
    };
    let alone = recovered(&audit(&u.sys, &cfg));
    for (pos, parts) in eqs {
        let mut cells = vec![(k, *pos, -1)];
        cells.extend(
            parts
                .iter()
                .filter_map(|&(m, r)| r.map(|row| (m, CellPos { row, col: pos.col }, 1))),
        );
        if !u.equation(tables, &cells, "the groups' sum") {
            return;
        }
    }
    let res = audit(&u.sys, &cfg);
    if res.inconsistent {
        return;
    }
    for (var, exact) in recovered(&res) {
        if alone.contains_key(&var) {
            continue;
        }
        let Some(&(ti, pos)) = u.cells.get(var.0) else {
            continue;
        };
        let t = &tables[ti];
        let Some(cell) = t.rows.get(pos.row).and_then(|r| r.cell(pos.col)) else {
            continue;
        };
        out.push(finding(vars, &tables[k], t, cell, pos, exact, cx));
    }
}

fn finding(
    vars: &str,
    whole: &Table,
    t: &Table,
    cell: &Cell,
    pos: CellPos,
    exact: bool,
    cx: &Context<'_>,
) -> Finding {
    let th = cx.rules.thresholds.min_count;
    let row = t.rows.get(pos.row).map_or("", |r| r.label.trim());
    let how = if exact {
        "exactly".to_string()
    } else {
        format!("to a few values all below {th}")
    };
    let place = if std::ptr::eq(whole, t) {
        "this table of the whole sample".to_string()
    } else {
        "this group's table".to_string()
    };
    let msg = format!(
        "suppressed count below {th} recovered {how} by subtraction within this file: the tables printed for each group of '{}' add up, cell by cell, to the table of the whole sample at line {}, so {place} gives back this cell (row '{}') from the other groups' cells",
        safe_label(vars),
        whole
            .rows
            .first()
            .and_then(|r| r.cells.first())
            .and_then(|c| c.line)
            .unwrap_or(0),
        safe_label(row),
    );
    Finding::new(
        ID,
        Severity::Error,
        msg,
        t.locate(cell),
        basis(&[
            &t.digest,
            &whole.digest,
            b"by-groups",
            &cell.col.to_le_bytes(),
            row.as_bytes(),
        ]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titled(title: &str) -> Table {
        Table {
            title: vec![title.to_string()],
            ..Table::default()
        }
    }

    #[test]
    fn by_titles_name_variables_and_values() {
        assert_eq!(
            by_group(&titled("-> agegroup6 = 85+")),
            Some(("agegroup6".into(), "85+".into()))
        );
        assert_eq!(
            by_group(&titled("-> sex = F, region = North")),
            Some(("sex, region".into(), "F, North".into()))
        );
        assert_eq!(by_group(&titled("-> not a by line")), None);
        assert_eq!(by_group(&titled("Table 2 = groups")), None);
    }

    #[test]
    fn a_family_breaks_at_a_repeated_value() {
        let tables: Vec<Table> = ["-> a = 1", "-> a = 2", "-> a = 1", "-> a = 2", "-> b = 1"]
            .iter()
            .map(|t| titled(t))
            .collect();
        let f = families(&tables);
        assert_eq!(f, vec![("a".into(), vec![0, 1]), ("a".into(), vec![2, 3])]);
    }
}
