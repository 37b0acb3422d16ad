//! The exact reference: what a reader of the published table can calculate back.
//!
//! The reader sees the shown counts, the totals and the markers. Each hidden cell is an
//! unknown with the box its marker gives (`[0, t−1]` for `<t`, `[0, ∞)` for a bare marker);
//! each relation of the true structure (known by construction, not detected) is an equation
//! `Σ parts − total = 0` with the shown cells moved to the right-hand side. For every unknown
//! the reference solves two LPs over the non-negative reals (good_lp with microlp: minimise and
//! maximise it). When the optimal point is integral the LP bound is the integer bound (2-D
//! tables and row hierarchies are totally unimodular, so this is the rule); otherwise (long
//! cubes of three dimensions are not) the same problem is solved over the integers. The true
//! table is a feasible point, so every interval must contain the true value: the harness
//! asserts it.
//!
//! The verdicts then follow the project's contract (`src/audit/mod.rs`, `fn verdicts`, and
//! `src/rules/back_calculation.rs`, `fn check`), which decides what is an error:
//!
//! - **B1** (error): an unknown pinned to one value `x` with `0 < x < t`; also `x = 0` when
//!   `zero_is_unsafe`, and a recovered 0 of a marker when `recovered_zero_fails` (the `uk`
//!   profile); otherwise a recovered 0 is a B5 warning.
//! - **B5** (warning): pinned to `x ≥ t`.
//! - **B3** (error) / **B3w** (warning): not pinned, `hi < t`, and narrower than the marker's box
//!   (`lo` above the floor, which is 1 for a `<t` marker since zeros would be shown, else the
//!   box's low end; or `hi` below the box's high end, always true for a bare marker); B3 when
//!   `hi − lo + 1 ≤ narrow_max_values`, B3w when more.
//! - **B2** (error): a relation whose unknowns all have coefficient +1 (or all −1) and at least
//!   two of them, with `0 < ±rhs < t` (their sum is known and small); and the unknowns of such a
//!   relation left open once the pinned ones are subtracted, at least two of them, whose sum
//!   `rhs − Σ pinned` is in `1..t−1`.
//!
//! A small inner count left visible (a leaked primary cell) is a `small-count` error.

use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable};

use super::gen::Truth;

/// The rule parameters the reference needs, read from the loaded profile.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub t: i64,
    pub narrow_max_values: i64,
    pub zero_is_unsafe: bool,
    pub recovered_zero_fails: bool,
}

/// Verdict codes of the reference, as in the spec's §3.6.9.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    B1,
    /// A marker recovered exactly as 0 where zeros must not be recoverable.
    B1Zero,
    B2,
    /// B2 over the unknowns left open once the pinned ones of the relation are known.
    B2Open,
    B3,
    B3w,
    B5,
    /// A recovered 0 that is only a warning.
    B5Zero,
    /// A small count shown (a primary cell left unsuppressed).
    Small,
}

impl Code {
    pub fn name(self) -> &'static str {
        match self {
            Code::B1 => "B1",
            Code::B1Zero => "B1(0)",
            Code::B2 => "B2",
            Code::B2Open => "B2(open)",
            Code::B3 => "B3",
            Code::B3w => "B3w",
            Code::B5 => "B5",
            Code::B5Zero => "B5(0)",
            Code::Small => "small",
        }
    }

    /// Whether the project's contract makes this an error.
    pub fn is_error(self) -> bool {
        matches!(
            self,
            Code::B1 | Code::B1Zero | Code::B2 | Code::B2Open | Code::B3 | Code::Small
        )
    }
}

/// One finding of the reference.
#[derive(Clone, Debug)]
pub struct RefFinding {
    pub code: Code,
    /// The cells concerned (indices into the truth).
    pub cells: Vec<usize>,
    /// The interval or sum, for the report.
    pub detail: String,
    /// The total cell of the relation of a B2 (where a report places a group sum).
    pub total: Option<usize>,
}

/// An unknown of the reader's system.
#[derive(Clone, Debug)]
pub struct RefUnknown {
    pub cell: usize,
    pub lo: i64,
    /// `None` for a bare marker.
    pub hi: Option<i64>,
}

/// One equation over unknowns: `Σ a·x = rhs`.
#[derive(Clone, Debug)]
pub struct RefRelation {
    pub terms: Vec<(usize, i64)>,
    pub rhs: i64,
    /// Index into the truth's relations.
    pub source: usize,
}

/// The reference's judgement of one table.
#[derive(Clone, Debug)]
pub struct Judgement {
    pub unknowns: Vec<RefUnknown>,
    pub relations: Vec<RefRelation>,
    /// The exact integer interval of each unknown (`None` above: unbounded).
    pub intervals: Vec<(i64, Option<i64>)>,
    pub findings: Vec<RefFinding>,
    /// LP optima that were not integral, so integer programs decided.
    pub milp_solves: usize,
    pub lp_solves: usize,
}

impl Judgement {
    /// An error-level back-calculation disclosure exists.
    pub fn backcalc_error(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.code.is_error() && f.code != Code::Small)
    }

    /// A small count is shown.
    pub fn small_count(&self) -> bool {
        self.findings.iter().any(|f| f.code == Code::Small)
    }

    /// The strongest error code, for the figures.
    pub fn main_code(&self) -> Option<Code> {
        self.findings
            .iter()
            .filter(|f| f.code.is_error() && f.code != Code::Small)
            .map(|f| f.code)
            .min()
    }
}

/// Builds the reader's system from the published table.
pub fn system(truth: &Truth, primary_bounded: bool) -> (Vec<RefUnknown>, Vec<RefRelation>) {
    let t = truth.t;
    let mut var_of = vec![None; truth.values.len()];
    let mut unknowns = Vec::new();
    for (i, &h) in truth.hidden.iter().enumerate() {
        if h {
            var_of[i] = Some(unknowns.len());
            unknowns.push(RefUnknown {
                cell: i,
                lo: 0,
                hi: (truth.primary[i] && primary_bounded).then_some(t - 1),
            });
        }
    }
    let mut relations = Vec::new();
    for (ri, r) in truth.relations.iter().enumerate() {
        let mut terms = Vec::new();
        let mut rhs = 0i64;
        for (cell, coef) in r.parts.iter().map(|&p| (p, 1i64)).chain([(r.total, -1)]) {
            match var_of[cell] {
                Some(v) => terms.push((v, coef)),
                None => rhs -= coef * truth.values[cell],
            }
        }
        if terms.is_empty() {
            assert_eq!(rhs, 0, "the generated relation {ri} must hold");
            continue;
        }
        relations.push(RefRelation {
            terms,
            rhs,
            source: ri,
        });
    }
    (unknowns, relations)
}

/// Minimises or maximises unknown `target`; `integer` makes every unknown integer. Returns the
/// optimum and the optimal point.
fn solve(
    unknowns: &[RefUnknown],
    relations: &[RefRelation],
    cap: f64,
    target: usize,
    maximise: bool,
    integer: bool,
) -> (f64, Vec<f64>) {
    let mut pv = ProblemVariables::new();
    let xs: Vec<Variable> = unknowns
        .iter()
        .map(|u| {
            let mut d = variable()
                .min(u.lo as f64)
                .max(u.hi.map_or(cap, |h| h as f64));
            if integer {
                d = d.integer();
            }
            pv.add(d)
        })
        .collect();
    let objective: Expression = xs[target].into();
    let problem = if maximise {
        pv.maximise(objective)
    } else {
        pv.minimise(objective)
    };
    let mut model = problem.using(microlp);
    for r in relations {
        let mut e = Expression::from(0.0);
        for &(v, a) in &r.terms {
            e.add_mul(a as f64, xs[v]);
        }
        model = model.with(e.eq(r.rhs as f64));
    }
    let sol = model
        .solve()
        .expect("the published table has a solution: the true table");
    let point: Vec<f64> = xs.iter().map(|&x| sol.value(x)).collect();
    (point[target], point)
}

fn integral(x: f64) -> Option<i64> {
    let r = x.round();
    ((x - r).abs() < 1e-6).then_some(r as i64)
}

/// Exact integer intervals of every unknown.
pub fn intervals(
    truth: &Truth,
    unknowns: &[RefUnknown],
    relations: &[RefRelation],
) -> (Vec<(i64, Option<i64>)>, usize, usize) {
    // No count exceeds the sum of everything shown (every unknown is a part of a shown total).
    let cap: i64 = truth
        .values
        .iter()
        .zip(&truth.hidden)
        .filter(|(_, &h)| !h)
        .map(|(&v, _)| v)
        .sum::<i64>()
        + 1;
    let mut out = Vec::new();
    let (mut lps, mut milps) = (0, 0);
    for (i, u) in unknowns.iter().enumerate() {
        let mut ends = [0i64; 2];
        for (k, maximise) in [false, true].into_iter().enumerate() {
            lps += 1;
            let (v, point) = solve(unknowns, relations, cap as f64, i, maximise, false);
            let exact = if point.iter().all(|&x| integral(x).is_some()) {
                integral(v).expect("an integral point")
            } else {
                milps += 1;
                let (w, p) = solve(unknowns, relations, cap as f64, i, maximise, true);
                assert!(
                    p.iter().all(|&x| integral(x).is_some()),
                    "integer program returned a fractional point"
                );
                integral(w).expect("an integral optimum")
            };
            ends[k] = exact;
        }
        let hi = if u.hi.is_none() && ends[1] >= cap {
            None
        } else {
            Some(ends[1])
        };
        let truth_v = truth.values[u.cell];
        assert!(
            ends[0] <= truth_v && hi.is_none_or(|h| truth_v <= h),
            "reference interval [{}, {:?}] excludes the true value {truth_v} of cell {}",
            ends[0],
            hi,
            u.cell
        );
        out.push((ends[0], hi));
    }
    (out, lps, milps)
}

/// The reference's judgement of a table (see the module docs for the rules).
pub fn judge(truth: &Truth, primary_bounded: bool, p: Params) -> Judgement {
    let (unknowns, relations) = system(truth, primary_bounded);
    let (iv, lp_solves, milp_solves) = intervals(truth, &unknowns, &relations);
    let t = p.t;
    let mut findings = Vec::new();
    for (i, u) in unknowns.iter().enumerate() {
        let (lo, hi) = iv[i];
        if hi == Some(lo) {
            let x = lo;
            let code = if x > 0 && x < t {
                Some(Code::B1)
            } else if x == 0 && u.hi != Some(0) {
                if p.zero_is_unsafe || p.recovered_zero_fails {
                    Some(Code::B1Zero)
                } else {
                    Some(Code::B5Zero)
                }
            } else if x >= t {
                Some(Code::B5)
            } else {
                None
            };
            if let Some(code) = code {
                findings.push(RefFinding {
                    code,
                    cells: vec![u.cell],
                    detail: format!("pinned to {x}"),
                    total: None,
                });
            }
            continue;
        }
        let Some(h) = hi else { continue };
        let floor = if !p.zero_is_unsafe && u.hi.is_some_and(|nh| nh < t) {
            u.lo.max(1)
        } else {
            u.lo
        };
        let narrowed = lo > floor || u.hi.is_none_or(|nh| h < nh);
        if h < t && narrowed {
            let count = h - lo + 1;
            let code = if count <= p.narrow_max_values {
                Code::B3
            } else {
                Code::B3w
            };
            findings.push(RefFinding {
                code,
                cells: vec![u.cell],
                detail: format!("narrowed to [{lo}, {h}] ({count} values)"),
                total: None,
            });
        }
    }
    for r in &relations {
        if r.terms.len() < 2 {
            continue;
        }
        let all_pos = r.terms.iter().all(|&(_, a)| a == 1);
        let all_neg = r.terms.iter().all(|&(_, a)| a == -1);
        if !(all_pos || all_neg) {
            continue;
        }
        let g = if all_pos { r.rhs } else { -r.rhs };
        let cells: Vec<usize> = r.terms.iter().map(|&(v, _)| unknowns[v].cell).collect();
        if g > 0 && g < t {
            findings.push(RefFinding {
                code: Code::B2,
                cells: cells.clone(),
                detail: format!(
                    "{} unknowns of relation {} sum to {g}",
                    cells.len(),
                    r.source
                ),
                total: Some(truth.relations[r.source].total),
            });
        }
        if all_pos {
            let pinned: Vec<i64> = r
                .terms
                .iter()
                .filter_map(|&(v, _)| (iv[v].1 == Some(iv[v].0)).then_some(iv[v].0))
                .collect();
            let open: Vec<usize> = r
                .terms
                .iter()
                .filter(|&&(v, _)| iv[v].1 != Some(iv[v].0))
                .map(|&(v, _)| unknowns[v].cell)
                .collect();
            let g2 = r.rhs - pinned.iter().sum::<i64>();
            if !pinned.is_empty() && open.len() >= 2 && g2 > 0 && g2 < t {
                findings.push(RefFinding {
                    code: Code::B2Open,
                    detail: format!(
                        "{} open unknowns of relation {} sum to {g2}",
                        open.len(),
                        r.source
                    ),
                    cells: open,
                    total: Some(truth.relations[r.source].total),
                });
            }
        }
    }
    for &c in &truth.leaked {
        findings.push(RefFinding {
            code: Code::Small,
            cells: vec![c],
            detail: format!("shown small count {}", truth.values[c]),
            total: None,
        });
    }
    findings.sort_by_key(|f| f.code);
    Judgement {
        unknowns,
        relations,
        intervals: iv,
        findings,
        milp_solves,
        lp_solves,
    }
}
