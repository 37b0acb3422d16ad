//! The back-calculation audit (`docs/tables.md` §5–7): given the unknowns of a table (suppressed
//! cells, true values behind rounded cells, implied residuals, hidden atoms) and the relations
//! among them, find every unknown's feasible integer interval and the verdicts B1–B6 and S3.
//!
//! The engine is format-free: a table reader or structure detector builds a [`System`] and calls
//! [`audit`]. Tiers run cheapest first, each exact or a sound over-approximation:
//!
//! 1. exact integer presolve (single unknown, zero sum) — [`presolve`];
//! 2. bound propagation (FBBT) in exact integer arithmetic — [`fbbt`];
//! 3. fraction-free Gaussian elimination for equation-determined unknowns — [`gauss`];
//! 4. two LPs per remaining unknown (microlp through good_lp), rounded inward — [`lp`];
//! 5. integer programs for unknowns about to be flagged or coupled through a ratio.
//!
//! Derivation strings name relations and counts of cells; they never contain a recovered value,
//! because reports that show them must not leak.
//!
//! Soundness notes:
//! - The exact tiers use checked `i128`; a relation whose arithmetic would overflow is skipped by
//!   that tier, never trusted. Intervals they prove are marked by [`Tier::is_exact_arithmetic`].
//! - LP bounds are rounded inward with the tolerance of `docs/tables.md` §6.5. A B1/B3 resting only on LP is
//!   certified by integer programs whose optimal points are re-checked exactly in `i128`; if that
//!   is impossible (time cap, component above `milp_max_vars`) the verdict becomes REVIEW.
//! - Unbounded unknowns stay unbounded (`hi = None`) in the LP; only the integer programs cap
//!   them, at four times the largest number in the component (microlp needs finite `i32` bounds).
//!
//! Not implemented yet: the 2-D network fast path (the LP path is fast enough on the
//! benchmark), B4 protection levels from raw values, the deep singleton probe and coalitions
//! (beyond two-cell lines), and retrying an infeasible system under other rounding
//! hypotheses (`docs/tables.md` §6.9; the caller can rebuild and re-run).
//!
//! ```
//! use export_check::audit::{audit, AuditConfig, System, Unknown, VerdictCode};
//! // Row total 30 with published cells 12 and 15 and two "<5" cells (TC-14a).
//! let mut sys = System::new();
//! let a = sys.add_unknown(Unknown::below("C1", 5));
//! let b = sys.add_unknown(Unknown::below("D1", 5));
//! sys.add_eq_visible(vec![(a, 1), (b, 1)], 30 - 12 - 15, "row 1", 2).unwrap();
//! let res = audit(&sys, &AuditConfig::default());
//! assert!(res.verdicts.iter().any(|v| v.code == VerdictCode::GroupSumSmall));
//! ```

pub mod fbbt;
pub mod gauss;
pub mod grid;
pub mod lp;
pub mod magnitude;
pub mod percent;
pub mod presolve;
pub mod rounding;
pub mod state;
pub mod system;
mod verdicts;

use std::collections::BTreeSet;
use std::time::Duration;

pub use grid::{add_table_2d, Entry};
pub use percent::{
    percent_implied_count, percent_vector, rate_implied_count, PercentVector, PercentVectorVerdict,
};
pub use rounding::{rounding_box, RoundingScheme};
pub use state::Tier;
pub use system::{
    Int, Operand, Origin, RatioRounding, RelId, Relation, RelationKind, Sense, Shown, System,
    SystemError, Unknown, VarId,
};

use lp::{LocalModel, LpOutcome};
use state::{Infeasible, State};
use verdicts::verdicts;

/// Audit parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditConfig {
    /// `t`: a count is unsafe iff `0 < n < t`.
    pub min_count: Int,
    /// Treat an exactly recovered 0 as unsafe too.
    pub zero_is_unsafe: bool,
    /// B3 FAIL when an unknown is narrowed to at most this many values, all below `t`.
    pub narrow_max_values: Int,
    /// Run integer programs to refine and certify flagged unknowns.
    pub milp: bool,
    /// Time cap for one integer program.
    pub milp_time_limit: Duration,
    /// Components with more free unknowns than this skip integer programming (results stay
    /// LP-based and flagged verdicts become REVIEW).
    pub milp_max_vars: usize,
    /// Skip the LPs of an unknown once witnesses show it takes a value `≥ t` and another value.
    pub witness_pruning: bool,
    /// Maximum sweeps of bound propagation.
    pub fbbt_sweeps: usize,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            min_count: 5,
            zero_is_unsafe: false,
            narrow_max_values: 2,
            milp: true,
            milp_time_limit: Duration::from_secs(2),
            milp_max_vars: 400,
            witness_pruning: true,
            fbbt_sweeps: 50,
        }
    }
}

/// Verdict codes (`docs/tables.md` §6.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VerdictCode {
    /// B1: an unknown is recovered exactly as a small value.
    ExactSmall,
    /// B2: the sum of a relation's unknowns (or an implied residual or cumulative difference) is
    /// exactly a small value.
    GroupSumSmall,
    /// B3: narrowed to at most `narrow_max_values` values, all below `t`.
    NarrowedSmall,
    /// B3w: narrowed below `t`, more values than `narrow_max_values`.
    NarrowedWarn,
    /// B5: a suppressed cell is recovered exactly with a value `≥ t`: it hides nothing.
    IneffectiveSuppression,
    /// B6: a line with exactly two primary-style suppressions; a singleton can recover the other.
    SingletonRisk,
    /// S3: the relations cannot all hold; structure or rounding assumptions are wrong.
    Inconsistent,
}

impl VerdictCode {
    /// Short code used in reports: `B1`, `B2`, `B3`, `B3w`, `B5`, `B6`, `S3`.
    pub fn code(self) -> &'static str {
        match self {
            VerdictCode::ExactSmall => "B1",
            VerdictCode::GroupSumSmall => "B2",
            VerdictCode::NarrowedSmall => "B3",
            VerdictCode::NarrowedWarn => "B3w",
            VerdictCode::IneffectiveSuppression => "B5",
            VerdictCode::SingletonRisk => "B6",
            VerdictCode::Inconsistent => "S3",
        }
    }
}

/// How serious a verdict is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Must be fixed before export.
    Fail,
    /// A floating-point result that integer programming could not certify in time: look at it.
    Review,
    /// Worth a look.
    Warn,
}

/// One finding of the audit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub code: VerdictCode,
    pub severity: Severity,
    /// The unknowns concerned.
    pub vars: Vec<VarId>,
    /// The relations the finding rests on.
    pub relations: Vec<RelId>,
    /// Human explanation naming relations and counts of cells; never the recovered value.
    pub derivation: String,
    /// The relations come from two or more sources (tables or files): a differencing finding.
    pub differencing: bool,
    /// Proven in exact arithmetic or certified by integer programming.
    pub certified: bool,
}

/// The audited interval of one unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarInterval {
    pub var: VarId,
    pub lo: Int,
    /// `None`: unbounded above.
    pub hi: Option<Int>,
    /// The tier that produced the interval.
    pub tier: Tier,
}

/// What [`audit`] returns.
#[derive(Clone, Debug, Default)]
pub struct AuditResult {
    /// One interval per unknown, in [`VarId`] order. Unknowns of an inconsistent component keep
    /// their nominal box.
    pub intervals: Vec<VarInterval>,
    /// Findings, sorted by code then unknowns.
    pub verdicts: Vec<Verdict>,
    /// Some component had no integer solution (see the S3 verdicts).
    pub inconsistent: bool,
    /// Work done, for reports and benchmarks.
    pub stats: AuditStats,
}

/// Counters of the work the audit did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditStats {
    pub components: usize,
    pub largest_component: usize,
    pub lp_solves: usize,
    pub milp_solves: usize,
    pub pruned: usize,
}

impl AuditResult {
    /// The interval of one unknown.
    pub fn interval(&self, v: VarId) -> Option<(Int, Option<Int>)> {
        self.intervals.get(v.0).map(|i| (i.lo, i.hi))
    }

    /// Verdicts with the given code.
    pub fn with_code(&self, code: VerdictCode) -> impl Iterator<Item = &Verdict> {
        self.verdicts.iter().filter(move |v| v.code == code)
    }
}

/// A connected component of the unknowns ↔ relations graph.
struct Component {
    vars: Vec<usize>,
    rels: Vec<usize>,
}

fn components(sys: &System) -> Vec<Component> {
    let n = sys.unknowns.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for r in &sys.relations {
        if let Some(&(first, _)) = r.terms.first() {
            for &(v, _) in &r.terms[1..] {
                let (a, b) = (find(&mut parent, first.0), find(&mut parent, v.0));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut index = std::collections::HashMap::new();
    let mut comps: Vec<Component> = Vec::new();
    for v in 0..n {
        let root = find(&mut parent, v);
        let ci = *index.entry(root).or_insert_with(|| {
            comps.push(Component {
                vars: Vec::new(),
                rels: Vec::new(),
            });
            comps.len() - 1
        });
        comps[ci].vars.push(v);
    }
    for (ri, r) in sys.relations.iter().enumerate() {
        if let Some(&(first, _)) = r.terms.first() {
            let root = find(&mut parent, first.0);
            if let Some(&ci) = index.get(&root) {
                comps[ci].rels.push(ri);
            }
        }
    }
    comps
}

/// Runs the audit. Never panics on infeasible or degenerate input: such components are reported
/// with an S3 verdict and `inconsistent = true`.
pub fn audit(sys: &System, cfg: &AuditConfig) -> AuditResult {
    let mut st = State::nominal(sys);
    let mut res = AuditResult::default();
    let mut bad_var = vec![false; sys.unknowns.len()];
    let mut bad_rel = vec![false; sys.relations.len()];

    // Relations without unknowns are plain checks of published values.
    for (ri, r) in sys.relations.iter().enumerate() {
        if r.terms.is_empty() {
            let ok = match r.sense {
                Sense::Eq => r.rhs == 0,
                Sense::Le => r.rhs >= 0,
            };
            if !ok {
                bad_rel[ri] = true;
                res.verdicts.push(inconsistent_verdict(
                    sys,
                    &Infeasible { rels: vec![ri] },
                    &[],
                ));
            }
        }
    }

    let comps = components(sys);
    res.stats.components = comps.len();
    for comp in &comps {
        res.stats.largest_component = res.stats.largest_component.max(comp.vars.len());
        let saved: Vec<_> = comp
            .vars
            .iter()
            .map(|&v| (st.lo[v], st.hi[v], st.tier[v], st.why[v].clone()))
            .collect();
        if let Err(inf) = audit_component(sys, cfg, comp, &mut st, &mut res.stats) {
            for (&v, (lo, hi, tier, why)) in comp.vars.iter().zip(saved) {
                st.lo[v] = lo;
                st.hi[v] = hi;
                st.tier[v] = tier;
                st.why[v] = why;
                bad_var[v] = true;
            }
            for &ri in &comp.rels {
                bad_rel[ri] = true;
            }
            res.verdicts
                .push(inconsistent_verdict(sys, &inf, &comp.vars));
        }
    }
    res.inconsistent = bad_rel.iter().any(|&b| b) || bad_var.iter().any(|&b| b);
    res.intervals = (0..sys.unknowns.len())
        .map(|v| VarInterval {
            var: VarId(v),
            lo: st.lo[v],
            hi: st.hi[v],
            tier: st.tier[v],
        })
        .collect();
    verdicts(sys, cfg, &st, &bad_var, &bad_rel, &mut res.verdicts);
    res.verdicts
        .sort_by(|a, b| (a.code, &a.vars, &a.relations).cmp(&(b.code, &b.vars, &b.relations)));
    res
}

/// Runs every tier on one component, updating `st`.
fn audit_component(
    sys: &System,
    cfg: &AuditConfig,
    comp: &Component,
    st: &mut State,
    stats: &mut AuditStats,
) -> Result<(), Infeasible> {
    for &v in &comp.vars {
        if st.hi[v].is_some_and(|h| h < st.lo[v]) {
            return Err(Infeasible { rels: Vec::new() });
        }
    }
    if comp.rels.is_empty() {
        return Ok(());
    }
    // Exact tiers, repeated until nothing changes.
    for _ in 0..20 {
        let mut changed = presolve::presolve(sys, &comp.rels, st)?;
        changed |= fbbt::propagate(sys, &comp.rels, st, cfg.fbbt_sweeps)?;
        match gauss::eliminate(sys, &comp.rels, st) {
            gauss::GaussOutcome::Determined(found) => {
                for (v, x, why) in found {
                    if st.fixed(v).is_some() {
                        continue;
                    }
                    if st.fix(v, x, Tier::Elimination, why.clone()).is_err() {
                        return Err(Infeasible { rels: why });
                    }
                    changed = true;
                }
            }
            gauss::GaussOutcome::Infeasible(inf) => return Err(inf),
            gauss::GaussOutcome::GaveUp => {}
        }
        if !changed {
            break;
        }
    }
    let free: Vec<usize> = comp
        .vars
        .iter()
        .copied()
        .filter(|&v| st.fixed(v).is_none())
        .collect();
    if free.is_empty() {
        // Everything is fixed: check every relation exactly.
        for &ri in &comp.rels {
            if st.holds(&sys.relations[ri]) == Some(false) {
                return Err(Infeasible {
                    rels: st.why_union(sys.relations[ri].terms.iter().map(|&(v, _)| v.0), &[ri]),
                });
            }
        }
        return Ok(());
    }
    let Some(model) = LocalModel::build(sys, &comp.rels, st, &free) else {
        // Overflow: keep the exact tiers' sound boxes.
        return Ok(());
    };
    lp_tier(sys, cfg, comp, st, stats, &model)?;
    if cfg.milp {
        milp_tier(sys, cfg, comp, st, stats, &free)?;
    }
    Ok(())
}

/// Two LPs per free unknown, with witness pruning.
fn lp_tier(
    sys: &System,
    cfg: &AuditConfig,
    comp: &Component,
    st: &mut State,
    stats: &mut AuditStats,
    model: &LocalModel,
) -> Result<(), Infeasible> {
    let n = model.vars.len();
    let t = cfg.min_count;
    // Integer values seen at witness points: (smallest, largest).
    let mut seen: Vec<Option<(Int, Int)>> = vec![None; n];
    let all_rels = comp.rels.clone();
    for i in 0..n {
        let v = model.vars[i];
        if cfg.witness_pruning && !sys.unknowns[v].primary_style {
            if let Some((a, b)) = seen[i] {
                if a < b && b >= t {
                    stats.pruned += 1;
                    st.tier[v] = Tier::WitnessPruned;
                    continue;
                }
            }
        }
        let mut bounds = [0f64; 2];
        let mut unbounded = false;
        for (k, maximise) in [false, true].into_iter().enumerate() {
            stats.lp_solves += 1;
            match model.solve(i, maximise, None) {
                LpOutcome::Optimal { value, point } => {
                    bounds[k] = value;
                    for (j, &x) in point.iter().enumerate() {
                        let r = x.round();
                        if (x - r).abs() <= 1e-9 * x.abs().max(1.0) {
                            let r = r as Int;
                            seen[j] = Some(match seen[j] {
                                Some((a, b)) => (a.min(r), b.max(r)),
                                None => (r, r),
                            });
                        }
                    }
                }
                LpOutcome::Infeasible => {
                    return Err(Infeasible {
                        rels: all_rels.clone(),
                    })
                }
                LpOutcome::Unbounded if maximise => unbounded = true,
                LpOutcome::Unbounded | LpOutcome::Failed => {
                    // Keep the sound propagation box for this unknown.
                    bounds = [f64::NAN, f64::NAN];
                    break;
                }
            }
        }
        if bounds[0].is_nan() {
            continue;
        }
        let lo = lp::round_lo(bounds[0]).max(st.lo[v]);
        let hi = if unbounded {
            st.hi[v]
        } else {
            let h = lp::round_hi(bounds[1]);
            Some(st.hi[v].map_or(h, |old| old.min(h)))
        };
        if hi.is_some_and(|h| h < lo) {
            return Err(Infeasible {
                rels: all_rels.clone(),
            });
        }
        let narrowed = lo > st.lo[v] || hi != st.hi[v];
        st.lo[v] = lo;
        st.hi[v] = hi;
        if narrowed || st.tier[v] == Tier::Nominal {
            st.tier[v] = Tier::LinearProgram;
            st.why[v] = all_rels.clone();
            st.certified[v] = false;
        }
    }
    Ok(())
}

/// Would this box draw a B1/B3/B3w verdict?
fn flag_worthy(u: &Unknown, lo: Int, hi: Option<Int>, cfg: &AuditConfig) -> bool {
    let t = cfg.min_count;
    match hi {
        Some(h) if h == lo => (lo > 0 && lo < t) || (lo == 0 && cfg.zero_is_unsafe),
        Some(h) => h < t && (lo > u.low || u.high.is_none_or(|nh| h < nh)),
        None => false,
    }
}

/// Integer programs for unknowns about to be flagged by an LP result or coupled through a ratio.
fn milp_tier(
    sys: &System,
    cfg: &AuditConfig,
    comp: &Component,
    st: &mut State,
    stats: &mut AuditStats,
    free: &[usize],
) -> Result<(), Infeasible> {
    let ratio_vars: BTreeSet<usize> = comp
        .rels
        .iter()
        .filter(|&&ri| sys.relations[ri].kind == RelationKind::Ratio)
        .flat_map(|&ri| sys.relations[ri].terms.iter().map(|&(v, _)| v.0))
        .collect();
    let candidates: Vec<usize> = free
        .iter()
        .copied()
        .filter(|&v| st.fixed(v).is_none() || st.tier[v] == Tier::LinearProgram)
        .filter(|&v| {
            (st.tier[v] == Tier::LinearProgram
                && flag_worthy(&sys.unknowns[v], st.lo[v], st.hi[v], cfg))
                || ratio_vars.contains(&v)
        })
        .collect();
    if candidates.is_empty() {
        return Ok(());
    }
    let still_free: Vec<usize> = free.to_vec();
    if still_free.len() > cfg.milp_max_vars {
        return Ok(());
    }
    // Cap for unbounded unknowns: far above any number in the component.
    let mut biggest: Int = 1;
    for &ri in &comp.rels {
        biggest = biggest.max(sys.relations[ri].rhs.saturating_abs());
    }
    for &v in &comp.vars {
        biggest = biggest.max(st.lo[v].saturating_abs());
        if let Some(h) = st.hi[v] {
            biggest = biggest.max(h.saturating_abs());
        }
    }
    let cap = biggest
        .saturating_mul(4)
        .saturating_add(16)
        .min(Int::from(i32::MAX / 2));
    // Rebuild with the LP-tightened boxes (sound for integer solutions).
    let boxed = st.clone();
    let Some(model) = LocalModel::build(sys, &comp.rels, &boxed, &still_free) else {
        return Ok(());
    };
    let all_rels = comp.rels.clone();
    for v in candidates {
        let Some(i) = still_free.iter().position(|&w| w == v) else {
            continue;
        };
        let mut ends: [Option<Int>; 2] = [None, None];
        for (k, maximise) in [false, true].into_iter().enumerate() {
            stats.milp_solves += 1;
            match model.solve(i, maximise, Some((cap, cfg.milp_time_limit))) {
                LpOutcome::Optimal { value, point } => {
                    if model.check_integer_point(sys, &comp.rels, &boxed, &point) {
                        ends[k] = Some(value.round() as Int);
                    }
                }
                LpOutcome::Infeasible => {
                    return Err(Infeasible {
                        rels: all_rels.clone(),
                    })
                }
                LpOutcome::Unbounded | LpOutcome::Failed => {}
            }
        }
        match ends {
            [Some(lo), Some(hi)] if lo <= hi => {
                let lo = lo.max(st.lo[v]);
                let hi_new = st.hi[v].map_or(hi, |h| h.min(hi));
                // A capped maximum is no bound at all.
                let hi_new = if st.hi[v].is_none() && hi >= cap {
                    None
                } else {
                    Some(hi_new)
                };
                if lo != st.lo[v] || hi_new != st.hi[v] {
                    st.tier[v] = Tier::IntegerProgram;
                    st.why[v] = all_rels.clone();
                }
                st.lo[v] = lo;
                st.hi[v] = hi_new;
                st.certified[v] = true;
            }
            _ => st.certified[v] = false,
        }
    }
    Ok(())
}

/// Formats relation labels: up to four quoted, then a count of the rest.
fn describe_rels(sys: &System, rels: &[usize]) -> String {
    let mut labels: Vec<&str> = Vec::new();
    for &ri in rels {
        let l = sys.relations[ri].label.as_str();
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    let shown: Vec<String> = labels.iter().take(4).map(|l| l.to_string()).collect();
    let mut s = shown.join(", ");
    if labels.len() > 4 {
        s.push_str(&format!(" and {} more relations", labels.len() - 4));
    }
    if s.is_empty() {
        s.push_str("its nominal box");
    }
    s
}

/// "1 visible cell", "3 visible cells".
fn cells(n: usize, adjective: &str) -> String {
    if n == 1 {
        format!("1 {adjective} cell")
    } else {
        format!("{n} {adjective} cells")
    }
}

fn visible_count(sys: &System, rels: &[usize]) -> usize {
    rels.iter().map(|&ri| sys.relations[ri].visible).sum()
}

fn is_differencing(sys: &System, rels: &[usize]) -> bool {
    let sources: BTreeSet<&str> = rels
        .iter()
        .filter_map(|&ri| sys.relations[ri].source.as_deref())
        .collect();
    sources.len() >= 2
}

fn method_text(sys: &System, st: &State, v: usize) -> String {
    let rels = &st.why[v];
    let names = describe_rels(sys, rels);
    let vis = visible_count(sys, rels);
    let vis_text = if vis > 0 {
        format!(" and {}", cells(vis, "visible"))
    } else {
        String::new()
    };
    match st.tier[v] {
        Tier::Presolve => format!("by subtraction from {names}{vis_text}"),
        Tier::ZeroSum => format!(
            "because the unknown cells of {names}{vis_text} must all sit at their lower bound"
        ),
        Tier::Propagation => format!("by bound propagation through {names}{vis_text}"),
        Tier::Elimination => {
            format!("by combining the equations {names}{vis_text} (Gaussian elimination)")
        }
        Tier::LinearProgram => {
            let cert = if st.certified[v] {
                ", certified by integer programming"
            } else {
                ""
            };
            format!(
                "by linear programming over the {} relations of its component ({names}){cert}",
                rels.len()
            )
        }
        Tier::IntegerProgram => format!(
            "by integer programming over the {} relations of its component ({names})",
            rels.len()
        ),
        Tier::Nominal | Tier::WitnessPruned => "from its label alone".to_string(),
    }
}

fn make(
    sys: &System,
    code: VerdictCode,
    severity: Severity,
    vars: Vec<usize>,
    rels: &[usize],
    derivation: String,
    certified: bool,
) -> Verdict {
    let differencing = is_differencing(sys, rels);
    let derivation = if differencing {
        let n = rels
            .iter()
            .filter_map(|&ri| sys.relations[ri].source.as_deref())
            .collect::<BTreeSet<_>>()
            .len();
        format!("differencing across {n} tables: {derivation}")
    } else {
        derivation
    };
    Verdict {
        code,
        severity,
        vars: vars.into_iter().map(VarId).collect(),
        relations: rels.iter().copied().map(RelId).collect(),
        derivation,
        differencing,
        certified,
    }
}

fn inconsistent_verdict(sys: &System, inf: &Infeasible, vars: &[usize]) -> Verdict {
    let mut rels = inf.rels.clone();
    rels.sort_unstable();
    rels.dedup();
    let derivation = if rels.is_empty() {
        "an unknown's nominal box is empty".to_string()
    } else {
        format!(
            "the relations {} cannot all hold with the published values; check the detected structure or rounding assumption",
            describe_rels(sys, &rels)
        )
    };
    make(
        sys,
        VerdictCode::Inconsistent,
        Severity::Review,
        vars.to_vec(),
        &rels,
        derivation,
        true,
    )
}
