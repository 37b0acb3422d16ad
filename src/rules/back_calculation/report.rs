//! The audit's verdicts and recovered zeros as findings: severity, place and message of each,
//! at most [`MAX_LISTED_PER_TABLE`] of them listed per table.

use std::collections::BTreeSet;

use crate::audit::{
    AuditConfig, Origin, RelId, Severity as ASeverity, VarId, VarInterval, Verdict, VerdictCode,
};
use crate::finding::{basis, Finding, Severity};
use crate::model::{Location, Table};
use crate::rules::{Context, MAX_LISTED_PER_TABLE};
use crate::table::structure::{self, Shown, Structure, Total};

use super::place::locate;
use super::system::{Built, Slot};
use super::ID;

/// The findings of one table's audit while they are written.
pub(super) struct Report<'a> {
    table: &'a Table,
    s: &'a Structure,
    built: &'a Built,
    cfg: &'a AuditConfig,
    tloc: Location,
    listed: usize,
    unlisted: usize,
    /// Unknowns already reported as recovered zeros.
    reported_zero: BTreeSet<usize>,
}

impl<'a> Report<'a> {
    pub(super) fn new(
        table: &'a Table,
        s: &'a Structure,
        built: &'a Built,
        cfg: &'a AuditConfig,
    ) -> Report<'a> {
        Report {
            table,
            s,
            built,
            cfg,
            tloc: table.location(),
            listed: 0,
            unlisted: 0,
            reported_zero: BTreeSet::new(),
        }
    }

    /// List a finding, or count it among those not listed.
    fn push(&mut self, f: Finding, out: &mut Vec<Finding>) {
        if self.listed < MAX_LISTED_PER_TABLE {
            self.listed += 1;
            out.push(f);
        } else {
            self.unlisted += 1;
        }
    }

    /// A note when a verdict rests on a group of relations the sums did not confirm.
    fn assumed(&self, rels: &[RelId]) -> Option<String> {
        let s = self.s;
        rels.iter()
            .filter_map(|r| self.built.rel_of.get(r.0))
            .map(|&ri| &s.groups[s.relations[ri].group])
            .find(|g| !g.confirmed)
            .map(|g| {
                format!(
                    " (this rests on an assumed structure: {} from {}, not confirmed by exact sums)",
                    g.label,
                    g.source.as_str()
                )
            })
    }

    /// Where an unknown is: its cell, or for a residual the total of its relation (else the
    /// header of its first part).
    fn place_of_var(&self, v: VarId) -> Location {
        let (table, s) = (self.table, self.s);
        match self.built.slots.get(v.0) {
            Some(Slot::Cell(p)) => locate(table, *p),
            Some(Slot::Residual(ri)) => match s.relations.get(*ri).map(|r| r.total) {
                Some(Total::Cell(p)) => locate(table, p),
                _ => s
                    .relations
                    .get(*ri)
                    .and_then(|r| r.parts.first())
                    .and_then(|q| {
                        table
                            .header
                            .last()
                            .and_then(|h| h.iter().find(|c| c.col == q.col))
                            .map(|c| table.locate(c))
                    })
                    .unwrap_or_else(|| self.tloc.clone()),
            },
            None => self.tloc.clone(),
        }
    }

    /// Where a relation's total cell is, if it has one.
    fn place_of_rel(&self, r: RelId) -> Option<Location> {
        let ri = *self.built.rel_of.get(r.0)?;
        let rel = self.s.relations.get(ri)?;
        match rel.total {
            Total::Cell(p) => Some(locate(self.table, p)),
            Total::Constant(_) => None,
        }
    }

    /// Report one verdict of the audit.
    pub(super) fn verdict(&mut self, v: &Verdict, out: &mut Vec<Finding>) {
        let (severity, what) = self.what(v.code);
        let mut severity = match v.severity {
            ASeverity::Fail => severity,
            ASeverity::Review | ASeverity::Warn => Severity::Warning.max(severity),
        };
        let mut note = String::new();
        if severity == Severity::Error {
            if let Some(a) = self.assumed(&v.relations) {
                severity = Severity::Warning;
                note = a;
            }
        }
        let location = self.location(v);
        let message = self.message(v, &what, &note);
        let key = format!("{}:{:?}:{:?}", v.code.code(), v.vars, v.relations);
        let f = Finding::new(
            ID,
            severity,
            message,
            location,
            basis(&[&self.table.digest, key.as_bytes()]),
        );
        self.push(f, out);
    }

    /// The severity a verdict code starts from, and what it says of the cell.
    fn what(&self, code: VerdictCode) -> (Severity, String) {
        let t = self.cfg.min_count;
        match code {
            VerdictCode::ExactSmall => (
                Severity::Error,
                format!("can be calculated back exactly to a count below {t}"),
            ),
            VerdictCode::GroupSumSmall => (
                Severity::Error,
                format!("suppressed cells whose sum can be calculated back exactly, and it is below {t}"),
            ),
            VerdictCode::NarrowedSmall => (
                Severity::Error,
                format!("can be calculated back to at most {} possible values, all below {t}", self.cfg.narrow_max_values),
            ),
            VerdictCode::NarrowedWarn => (
                Severity::Warning,
                format!("is narrowed by the other cells to values all below {t}"),
            ),
            VerdictCode::IneffectiveSuppression => {
                (Severity::Warning, "suppression hides nothing".to_string())
            }
            VerdictCode::SingletonRisk => (
                Severity::Warning,
                "only two suppressed cells in a line (singleton risk)".to_string(),
            ),
            VerdictCode::Inconsistent => (
                Severity::Warning,
                "the detected relations cannot all hold (S3)".to_string(),
            ),
        }
    }

    /// Where a verdict is reported: a group sum at its total (a lone residual at its place), an
    /// inconsistency at the table, the others at their first unknown.
    fn location(&self, v: &Verdict) -> Location {
        match v.code {
            VerdictCode::GroupSumSmall => {
                let residual_only = v.vars.len() == 1;
                if residual_only {
                    v.vars.first().map(|&x| self.place_of_var(x))
                } else {
                    v.relations.first().and_then(|&r| self.place_of_rel(r))
                }
                .or_else(|| v.vars.first().map(|&x| self.place_of_var(x)))
                .unwrap_or_else(|| self.tloc.clone())
            }
            VerdictCode::Inconsistent => self.tloc.clone(),
            _ => v
                .vars
                .first()
                .map(|&x| self.place_of_var(x))
                .unwrap_or_else(|| self.tloc.clone()),
        }
    }

    /// The message of a verdict: what it says, its code, how the cell is recovered, the note.
    fn message(&self, v: &Verdict, what: &str, note: &str) -> String {
        let t = self.cfg.min_count;
        let origin_is =
            |x: &VarId, o: Origin| self.built.sys.unknown(*x).is_some_and(|u| u.origin == o);
        let rounded = v.vars.iter().any(|x| origin_is(x, Origin::Rounded));
        let subject = if rounded {
            "the true value behind a rounded cell"
        } else {
            "a suppressed cell"
        };
        let residual = v.vars.len() == 1 && v.vars.iter().all(|x| origin_is(x, Origin::Residual));
        match v.code {
            VerdictCode::GroupSumSmall if residual => format!(
                "an implied residual category (the total or N minus the categories shown: a group not shown, such as unknown or other) can be calculated back exactly, and it is below {t} [B2]: {}{note}",
                v.derivation
            ),
            VerdictCode::GroupSumSmall => {
                format!("{} [{}]: {}{note}", what, v.code.code(), v.derivation)
            }
            VerdictCode::Inconsistent
            | VerdictCode::SingletonRisk
            | VerdictCode::IneffectiveSuppression => {
                format!("{} [{}]{note}", v.derivation, v.code.code())
            }
            _ => format!("{subject} {what} [{}]: {}{note}", v.code.code(), v.derivation),
        }
    }

    /// A suppressed marker recovered exactly as 0 when zeros are allowed: the suppression hides
    /// nothing (or, with `recovered_zero_fails`, can be undone).
    pub(super) fn recovered_zeros(
        &mut self,
        intervals: &[VarInterval],
        cx: &Context<'_>,
        out: &mut Vec<Finding>,
    ) {
        for iv in intervals {
            let Some(u) = self.built.sys.unknown(iv.var) else {
                continue;
            };
            if u.origin == Origin::Suppressed
                && self.is_marker(iv.var)
                && iv.lo == 0
                && iv.hi == Some(0)
                && iv.tier != crate::audit::Tier::Nominal
                && u.high != Some(0)
                && self.reported_zero.insert(iv.var.0)
            {
                // When suppressed zeros count as disclosive the message must not say what the
                // cell holds: it reads as any exact recovery.
                let (severity, why) = if cx.rules.back_calculation.recovered_zero_fails {
                    (Severity::Error, "the suppression can be undone [B1]")
                } else {
                    (Severity::Warning, "the suppression hides nothing [B5]")
                };
                let f = Finding::new(
                    ID,
                    severity,
                    format!(
                        "suppressed cell '{}' can be calculated back exactly from the other cells and totals of this table; {why}",
                        u.name
                    ),
                    self.place_of_var(iv.var),
                    basis(&[&self.table.digest, b"zero", u.name.as_bytes()]),
                );
                self.push(f, out);
            }
        }
    }

    /// Whether an unknown is a cell shown as a marker, or a blank among counts (ACRO and others
    /// leave suppressed cells empty).
    fn is_marker(&self, v: VarId) -> bool {
        let table = self.table;
        matches!(self.built.slots.get(v.0), Some(Slot::Cell(p))
            if matches!(table.rows.get(p.row).and_then(|r| r.cell(p.col)).map(|c| structure::shown(&c.value)), Some(Some(Shown::Hidden { .. } | Shown::Empty)) | None))
    }

    /// Say how many findings were not listed.
    pub(super) fn finish(self, out: &mut Vec<Finding>) {
        if self.unlisted > 0 {
            let unlisted = self.unlisted;
            out.push(Finding::new(
                ID,
                Severity::Warning,
                format!(
                    "{unlisted} more back-calculation findings in this table are not listed (the first {MAX_LISTED_PER_TABLE} are)"
                ),
                self.table.location(),
                basis(&[&self.table.digest, b"more"]),
            ));
        }
    }
}
