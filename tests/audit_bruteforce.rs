//! Cross-checks the audit against exhaustive enumeration on small random 2-D and 3-D tables:
//! every audited interval must equal the true integer interval, with and without the exact
//! tiers and witness pruning.

use export_check::audit::{audit, AuditConfig, Int, System, Unknown, VarId};

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Builds a system from lines (index sets over cells) whose sums are published; the suppressed
/// cells are unknowns with box `[0, ∞)` (or `[0, 4]` when `below5`).
fn build(
    vals: &[Int],
    hidden: &[bool],
    lines: &[Vec<usize>],
    below5: &[bool],
) -> (System, Vec<usize>) {
    let mut s = System::new();
    let mut var_of = vec![None; vals.len()];
    let mut cells = Vec::new();
    for c in 0..vals.len() {
        if hidden[c] {
            let u = if below5[c] {
                Unknown::below(&format!("c{c}"), 5)
            } else {
                Unknown::suppressed(&format!("c{c}"))
            };
            var_of[c] = Some(s.add_unknown(u));
            cells.push(c);
        }
    }
    for (k, line) in lines.iter().enumerate() {
        let total: Int = line.iter().map(|&c| vals[c]).sum();
        let mut terms = Vec::new();
        let mut rhs = total;
        for &c in line {
            match var_of[c] {
                Some(v) => terms.push((v, 1)),
                None => rhs -= vals[c],
            }
        }
        if !terms.is_empty() {
            s.add_eq(terms, rhs, &format!("line {k}")).unwrap();
        }
    }
    (s, cells)
}

/// Exhaustive integer intervals (`None` if some unknown is unbounded within `cap`).
fn brute(s: &System, cap: Int) -> Vec<(Int, Int)> {
    let n = s.unknowns().len();
    // Every relation is a sum with coefficients +1 over non-negative unknowns, so no unknown
    // exceeds the right-hand side of any relation it is in.
    let hi: Vec<Int> = (0..n)
        .map(|v| {
            let mut h = s.unknowns()[v].high.unwrap_or(cap);
            for r in s.relations() {
                if r.terms.iter().any(|&(w, _)| w.0 == v) {
                    h = h.min(r.rhs);
                }
            }
            h
        })
        .collect();
    let mut best: Vec<(Int, Int)> = vec![(Int::MAX, Int::MIN); n];
    let mut x: Vec<Int> = vec![0; n];
    fn rec(i: usize, x: &mut Vec<Int>, hi: &[Int], s: &System, best: &mut Vec<(Int, Int)>) {
        if i == x.len() {
            for r in s.relations() {
                let lhs: Int = r.terms.iter().map(|&(v, a)| a * x[v.0]).sum();
                if lhs != r.rhs {
                    return;
                }
            }
            for (b, &v) in best.iter_mut().zip(x.iter()) {
                b.0 = b.0.min(v);
                b.1 = b.1.max(v);
            }
            return;
        }
        for v in 0..=hi[i] {
            x[i] = v;
            rec(i + 1, x, hi, s, best);
        }
    }
    rec(0, &mut x, &hi, s, &mut best);
    best
}

fn check(s: &System, cap: Int, seed: u64) {
    let truth = brute(s, cap);
    let configs = [
        AuditConfig {
            witness_pruning: false,
            ..AuditConfig::default()
        },
        AuditConfig {
            witness_pruning: false,
            fbbt_sweeps: 0,
            milp: false,
            ..AuditConfig::default()
        },
    ];
    for cfg in &configs {
        let r = audit(s, cfg);
        assert!(
            !r.inconsistent,
            "seed {seed}: consistent table reported inconsistent"
        );
        for (v, &(lo, hi)) in truth.iter().enumerate() {
            let got = r.interval(VarId(v)).unwrap();
            assert_eq!(got.0, lo, "seed {seed} var {v} lower: {:?}", r.intervals[v]);
            assert_eq!(
                got.1,
                Some(hi),
                "seed {seed} var {v} upper: {:?}",
                r.intervals[v]
            );
        }
    }
}

#[test]
fn random_3x3_tables_match_enumeration() {
    let mut rng = Lcg(42);
    for seed in 0..60 {
        let (nr, nc) = (3, 3);
        let vals: Vec<Int> = (0..nr * nc).map(|_| rng.below(6) as Int).collect();
        let mut hidden = vec![false; nr * nc];
        let k = 3 + rng.below(2) as usize;
        while hidden.iter().filter(|&&h| h).count() < k {
            hidden[rng.below((nr * nc) as u64) as usize] = true;
        }
        let below5: Vec<bool> = vals
            .iter()
            .map(|&v| v > 0 && v < 5 && rng.below(2) == 0)
            .collect();
        let mut lines: Vec<Vec<usize>> = (0..nr)
            .map(|i| (0..nc).map(|j| i * nc + j).collect())
            .collect();
        lines.extend((0..nc).map(|j| (0..nr).map(|i| i * nc + j).collect()));
        let (s, _) = build(&vals, &hidden, &lines, &below5);
        let cap = lines
            .iter()
            .map(|l| l.iter().map(|&c| vals[c]).sum::<Int>())
            .max()
            .unwrap_or(0);
        check(&s, cap, seed);
    }
}

#[test]
fn random_3x3x3_cubes_match_enumeration() {
    let mut rng = Lcg(7);
    let n = 3;
    let idx = |i: usize, j: usize, k: usize| (i * n + j) * n + k;
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for a in 0..n {
        for b in 0..n {
            lines.push((0..n).map(|c| idx(a, b, c)).collect());
            lines.push((0..n).map(|c| idx(a, c, b)).collect());
            lines.push((0..n).map(|c| idx(c, a, b)).collect());
        }
    }
    for seed in 0..25 {
        let vals: Vec<Int> = (0..27).map(|_| rng.below(3) as Int).collect();
        let mut hidden = vec![false; 27];
        // A 2×2×2 sub-cube (no equation-determined cell) plus a few random cells.
        let (a, b, c) = (
            rng.below(2) as usize,
            rng.below(2) as usize,
            rng.below(2) as usize,
        );
        for i in 0..2 {
            for j in 0..2 {
                for k in 0..2 {
                    hidden[idx(a + i, b + j, c + k)] = true;
                }
            }
        }
        let below5 = vec![false; 27];
        let (s, _) = build(&vals, &hidden, &lines, &below5);
        if s.unknowns().len() > 8 {
            continue;
        }
        let cap = 6;
        check(&s, cap, seed);
    }
}

/// Percentages computed from true values beside rounded counts (the TC-12 situation) on random
/// small cases: intervals must equal the exact integer intervals, which needs the integer tier.
#[test]
fn random_ratio_systems_match_enumeration() {
    use export_check::audit::Operand;
    let mut rng = Lcg(99);
    for seed in 0..40 {
        let d_true = 1 + rng.below(14) as Int;
        let n_true = rng.below(d_true as u64 + 1) as Int;
        let pct = (1000.0 * n_true as f64 / d_true as f64).round() / 10.0;
        let mut s = System::new();
        // Midpoint-6 style boxes around the true values.
        let boxed = |x: Int| {
            let shown = if x == 0 { 0 } else { (x + 5) / 6 * 6 - 3 };
            if shown == 0 {
                (0, 0)
            } else {
                (shown - 2, shown + 3)
            }
        };
        let (nl, nh) = boxed(n_true);
        let (dl, dh) = boxed(d_true);
        let n = s.add_unknown(Unknown::rounded("n", nl, nh));
        let d = s.add_unknown(Unknown::rounded("D", dl, dh));
        let m = s.add_unknown(Unknown::suppressed("m"));
        s.add_eq(vec![(n, 1), (m, 1), (d, -1)], 0, "total").unwrap();
        s.add_ratio(Operand::Var(n), Operand::Var(d), pct, 1, 100, "percent")
            .unwrap();
        // Enumerate n, D in their boxes; m follows.
        let mut best = [(Int::MAX, Int::MIN); 3];
        for nv in nl..=nh {
            for dv in dl..=dh {
                let mv = dv - nv;
                if mv < 0 {
                    continue;
                }
                let ok = s.relations().iter().all(|r| {
                    let vals = [nv, dv, mv];
                    let lhs: Int = r.terms.iter().map(|&(v, a)| a * vals[v.0]).sum();
                    match r.sense {
                        export_check::audit::Sense::Eq => lhs == r.rhs,
                        export_check::audit::Sense::Le => lhs <= r.rhs,
                    }
                });
                if ok {
                    for (b, v) in best.iter_mut().zip([nv, dv, mv]) {
                        b.0 = b.0.min(v);
                        b.1 = b.1.max(v);
                    }
                }
            }
        }
        assert!(best[0].0 <= n_true && n_true <= best[0].1, "seed {seed}");
        let cfg = AuditConfig {
            witness_pruning: false,
            ..AuditConfig::default()
        };
        let r = audit(&s, &cfg);
        assert!(!r.inconsistent, "seed {seed}");
        for (v, &(lo, hi)) in best.iter().enumerate() {
            assert_eq!(
                r.interval(VarId(v)).unwrap(),
                (lo, Some(hi)),
                "seed {seed} var {v}: n={n_true} D={d_true} pct={pct}"
            );
        }
    }
}
