//! The verdict rules (`docs/tables.md` §6.7) applied to the final boxes of the unknowns: exact and
//! narrowed small cells (B1, B3, B3w), suppressions that hide nothing (B5), small group sums
//! (B2) and lines with two suppressed cells (B6).

use std::collections::BTreeSet;

use super::state::State;
use super::system::{Relation, Sense, Unknown};
use super::{cells, make, method_text, AuditConfig, Int, Origin, Severity, System, Tier};
use super::{Verdict, VerdictCode};

/// Applies the verdict rules to the final boxes; unknowns and relations of an inconsistent
/// component (`bad_var`, `bad_rel`) are left out.
pub(super) fn verdicts(
    sys: &System,
    cfg: &AuditConfig,
    st: &State,
    bad_var: &[bool],
    bad_rel: &[bool],
    out: &mut Vec<Verdict>,
) {
    let mut j = Judge {
        sys,
        cfg,
        st,
        out,
        seen_groups: BTreeSet::new(),
    };
    for (v, u) in sys.unknowns.iter().enumerate() {
        if !bad_var[v] {
            j.unknown(v, u);
        }
    }
    // B2 group sums and B6 two-cell lines.
    for (ri, r) in sys.relations.iter().enumerate() {
        if !bad_rel[ri] {
            j.relation(ri, r);
        }
    }
}

/// The verdicts of one audit while they are found.
struct Judge<'a> {
    sys: &'a System,
    cfg: &'a AuditConfig,
    st: &'a State,
    out: &'a mut Vec<Verdict>,
    /// The sets of unknowns already reported as a small group sum.
    seen_groups: BTreeSet<Vec<usize>>,
}

impl Judge<'_> {
    /// The verdicts on unknown `v`: known exactly (small, or a suppression that hides
    /// nothing), or narrowed below the threshold.
    fn unknown(&mut self, v: usize, u: &Unknown) {
        let (sys, cfg, st) = (self.sys, self.cfg, self.st);
        let t = cfg.min_count;
        let certified = st.tier[v].is_exact_arithmetic() || st.certified[v];
        let sev = |s: Severity| {
            if s == Severity::Fail && !certified && cfg.milp {
                Severity::Review
            } else {
                s
            }
        };
        let (lo, hi) = (st.lo[v], st.hi[v]);
        let how = method_text(sys, st, v);
        if let Some(x) = st.fixed(v) {
            if st.tier[v] == Tier::Nominal {
                return; // the label itself says so; a primary check's business
            }
            let small = (x > 0 && x < t) || (x == 0 && cfg.zero_is_unsafe);
            if small {
                let (code, text) = match u.origin {
                    Origin::Residual => (
                        VerdictCode::GroupSumSmall,
                        format!("implied residual '{}' is known exactly {how}", u.name),
                    ),
                    Origin::Cumulative => (
                        VerdictCode::GroupSumSmall,
                        format!("cumulative-difference '{}' is known exactly {how}", u.name),
                    ),
                    _ => (
                        VerdictCode::ExactSmall,
                        format!("'{}' is recovered exactly {how}", u.name),
                    ),
                };
                self.out.push(make(
                    sys,
                    code,
                    sev(Severity::Fail),
                    vec![v],
                    &st.why[v],
                    text,
                    certified,
                ));
            } else if x >= t && u.origin == Origin::Suppressed {
                self.out.push(make(
                    sys,
                    VerdictCode::IneffectiveSuppression,
                    Severity::Warn,
                    vec![v],
                    &st.why[v],
                    format!(
                        "suppressed '{}' is recovered exactly {how}; the suppression hides nothing",
                        u.name
                    ),
                    certified,
                ));
            }
            return;
        }
        let Some(h) = hi else { return };
        // Where zeros are allowed, a `<t` marker stands for 1 to t−1 in practice (a zero would
        // be shown): learning that it is not 0 is no narrowing.
        let floor = if !cfg.zero_is_unsafe && u.high.is_some_and(|nh| nh < t) {
            u.low.max(1)
        } else {
            u.low
        };
        let narrowed = lo > floor || u.high.is_none_or(|nh| h < nh);
        // Where zeros are allowed, a rounded `0` whose interval still holds 0 proves no one is
        // there: narrowed to 0 or 1 it says no more than the published 0 (a structural zero
        // of a rounded table, `0 (0)`). The values must all lie in 1..t−1 (docs/tables.md
        // §6.7). A suppressed cell's 0 is no value in practice (see `floor`).
        let may_be_nobody = lo == 0 && !cfg.zero_is_unsafe && u.origin == Origin::Rounded;
        if h < t && narrowed && !may_be_nobody {
            let count = h.saturating_sub(lo).saturating_add(1);
            let (code, severity) = if count <= cfg.narrow_max_values {
                (VerdictCode::NarrowedSmall, sev(Severity::Fail))
            } else {
                (VerdictCode::NarrowedWarn, Severity::Warn)
            };
            self.out.push(make(
                sys,
                code,
                severity,
                vec![v],
                &st.why[v],
                format!(
                    "'{}' is narrowed to {count} possible values, all below {t}, {how}",
                    u.name
                ),
                certified,
            ));
        }
    }

    /// The verdicts on relation `ri`, an equation whose unknowns all have coefficient 1 (or
    /// all −1): a small sum known exactly, of all its unknowns or of those left open, and a
    /// line with only two suppressed cells.
    fn relation(&mut self, ri: usize, r: &Relation) {
        if r.sense != Sense::Eq || r.terms.len() < 2 {
            return;
        }
        let all_pos = r.terms.iter().all(|&(_, a)| a == 1);
        let all_neg = r.terms.iter().all(|&(_, a)| a == -1);
        if !(all_pos || all_neg) {
            return;
        }
        let mut vars: Vec<usize> = r.terms.iter().map(|&(v, _)| v.0).collect();
        vars.sort_unstable();
        self.group_sum(ri, r, &vars, all_pos);
        // Two-cell lines among the still-undetermined unknowns.
        let open: Vec<usize> = vars
            .iter()
            .copied()
            .filter(|&v| self.st.fixed(v).is_none())
            .collect();
        if all_pos && open.len() >= 2 && open.len() < vars.len() {
            self.open_sum(ri, r, &vars, &open);
        }
        if open.len() != 2 || !all_pos {
            return;
        }
        self.two_cell_line(ri, r, &vars, &open);
    }

    /// B2: the unknowns of a relation have a small sum known exactly.
    fn group_sum(&mut self, ri: usize, r: &Relation, vars: &[usize], all_pos: bool) {
        let t = self.cfg.min_count;
        let g = if all_pos {
            r.rhs
        } else {
            r.rhs.saturating_neg()
        };
        let vis = if r.visible > 0 {
            format!(" and its {}", cells(r.visible, "visible"))
        } else {
            String::new()
        };
        if g > 0 && g < t && self.seen_groups.insert(vars.to_vec()) {
            self.out.push(make(
                self.sys,
                VerdictCode::GroupSumSmall,
                Severity::Fail,
                vars.to_vec(),
                &[ri],
                format!(
                    "the {} of {} have a small sum known exactly from that relation{vis}",
                    cells(vars.len(), "unknown"),
                    r.label
                ),
                true,
            ));
        }
    }

    /// B2: the unknowns left open once the others are known have their sum known exactly too
    /// (all − men, with men given by another relation, is women plus anyone else).
    fn open_sum(&mut self, ri: usize, r: &Relation, vars: &[usize], open: &[usize]) {
        let (st, t) = (self.st, self.cfg.min_count);
        let fixed_sum = vars
            .iter()
            .filter_map(|&v| st.fixed(v))
            .try_fold(0 as Int, |a, x| a.checked_add(x));
        let Some(g2) = fixed_sum.and_then(|f| r.rhs.checked_sub(f)) else {
            return;
        };
        if g2 > 0 && g2 < t && self.seen_groups.insert(open.to_vec()) {
            let why = st.why_union(open.iter().copied().filter(|_| false), &[ri]);
            let mut rels: Vec<usize> = vars
                .iter()
                .filter(|&&v| st.fixed(v).is_some())
                .flat_map(|&v| st.why[v].iter().copied())
                .chain(why)
                .collect();
            rels.sort_unstable();
            rels.dedup();
            self.out.push(make(
                self.sys,
                VerdictCode::GroupSumSmall,
                Severity::Fail,
                open.to_vec(),
                &rels,
                format!(
                    "the {} of {} left open once the others are known have a small sum known exactly",
                    cells(open.len(), "unknown"),
                    r.label
                ),
                true,
            ));
        }
    }

    /// B6: a line whose two open unknowns are primary suppressions, with a sum not small: a
    /// contributor to one can recover the other.
    fn two_cell_line(&mut self, ri: usize, r: &Relation, vars: &[usize], open: &[usize]) {
        let (sys, st, t) = (self.sys, self.st, self.cfg.min_count);
        let mut rest = Some(r.rhs);
        for &v in vars {
            if let Some(x) = st.fixed(v) {
                rest = rest.and_then(|s| s.checked_sub(x));
            }
        }
        let Some(rest) = rest else { return };
        if rest < t {
            return;
        }
        let (u, w) = (open[0], open[1]);
        let pu = &sys.unknowns[u];
        let pw = &sys.unknowns[w];
        if !(pu.primary_style && pw.primary_style) {
            return;
        }
        let holds_one = |x: usize| st.lo[x] <= 1 && st.hi[x].is_none_or(|h| h >= 1);
        if holds_one(u) || holds_one(w) {
            self.out.push(make(
                sys,
                VerdictCode::SingletonRisk,
                Severity::Warn,
                vec![u, w],
                &[ri],
                format!(
                    "{} has only two suppressed cells, '{}' and '{}'; a contributor to one can recover the other; suppress a third cell",
                    r.label, pu.name, pw.name
                ),
                true,
            ));
        }
    }
}
