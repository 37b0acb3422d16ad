//! Audit benchmark: plain `Instant` timing loops, no benchmark framework.
//!
//! Run with `cargo bench --bench audit`. Cases: a 40×40 table with margins and about 180
//! suppressed interior cells, and a 6×6×6 cube with all 2-way margins published.

use std::time::{Duration, Instant};

use export_check::audit::{
    add_table_2d, audit, AuditConfig, AuditResult, Entry, Int, System, Unknown,
};

/// Small deterministic generator (64-bit LCG) so runs are repeatable without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn table_40x40(seed: u64, suppress: usize) -> System {
    let n = 40;
    let mut rng = Lcg(seed);
    let vals: Vec<Vec<Int>> = (0..n)
        .map(|_| (0..n).map(|_| rng.below(60) as Int).collect())
        .collect();
    let mut hidden = vec![vec![false; n]; n];
    let mut count = 0;
    while count < suppress {
        let (i, j) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
        if !hidden[i][j] {
            hidden[i][j] = true;
            count += 1;
        }
    }
    let mut sys = System::new();
    let mut grid: Vec<Vec<Entry>> = Vec::new();
    let mut col_tot = vec![0 as Int; n + 1];
    for i in 0..n {
        let mut row = Vec::new();
        let mut tot = 0;
        for j in 0..n {
            let x = vals[i][j];
            tot += x;
            col_tot[j] += x;
            if hidden[i][j] {
                let u = if x > 0 && x < 5 {
                    Unknown::below(&format!("r{i}c{j}"), 5)
                } else {
                    Unknown::suppressed(&format!("r{i}c{j}"))
                };
                row.push(Entry::Var(sys.add_unknown(u)));
            } else {
                row.push(Entry::Known(x));
            }
        }
        col_tot[n] += tot;
        row.push(Entry::Known(tot));
        grid.push(row);
    }
    grid.push(col_tot.into_iter().map(Entry::Known).collect());
    if add_table_2d(&mut sys, &grid, &[], &[]).is_err() {
        eprintln!("failed to build the 40x40 system");
    }
    sys
}

fn cube_6(seed: u64, suppress: usize) -> System {
    let n = 6;
    let mut rng = Lcg(seed);
    let mut val = vec![0 as Int; n * n * n];
    for v in val.iter_mut() {
        *v = rng.below(20) as Int;
    }
    let idx = |i: usize, j: usize, k: usize| (i * n + j) * n + k;
    let mut var = vec![None; n * n * n];
    let mut sys = System::new();
    let mut count = 0;
    while count < suppress {
        let c = rng.below((n * n * n) as u64) as usize;
        if var[c].is_none() {
            var[c] = Some(sys.add_unknown(Unknown::suppressed(&format!("cell{c}"))));
            count += 1;
        }
    }
    // The three families of 2-way margins: fix two coordinates, sum over the third.
    for fam in 0..3 {
        for a in 0..n {
            for b in 0..n {
                let mut terms = Vec::new();
                let mut rhs = 0;
                let mut published = 0;
                for c in 0..n {
                    let cell = match fam {
                        0 => idx(a, b, c),
                        1 => idx(a, c, b),
                        _ => idx(c, a, b),
                    };
                    match var[cell] {
                        Some(v) => terms.push((v, 1)),
                        None => published += 1,
                    }
                }
                let margin: Int = (0..n)
                    .map(|c| match fam {
                        0 => val[idx(a, b, c)],
                        1 => val[idx(a, c, b)],
                        _ => val[idx(c, a, b)],
                    })
                    .sum();
                let known: Int = (0..n)
                    .filter_map(|c| {
                        let cell = match fam {
                            0 => idx(a, b, c),
                            1 => idx(a, c, b),
                            _ => idx(c, a, b),
                        };
                        var[cell].is_none().then_some(val[cell])
                    })
                    .sum();
                rhs += margin - known;
                if !terms.is_empty()
                    && sys
                        .add_eq_visible(terms, rhs, &format!("margin {fam}/{a}/{b}"), published)
                        .is_err()
                {
                    eprintln!("failed to add a cube margin");
                }
            }
        }
    }
    sys
}

fn run(name: &str, sys: &System, cfg: &AuditConfig, reps: usize) {
    let mut times: Vec<Duration> = Vec::new();
    let mut last: Option<AuditResult> = None;
    for _ in 0..reps {
        let t0 = Instant::now();
        let res = audit(sys, cfg);
        times.push(t0.elapsed());
        last = Some(res);
    }
    times.sort();
    let Some(res) = last else { return };
    let fails = res
        .verdicts
        .iter()
        .filter(|v| v.severity == export_check::audit::Severity::Fail)
        .count();
    println!(
        "{name:<44} unknowns {:>4} relations {:>4} | min {:>9.2?} median {:>9.2?} | LPs {:>4} pruned {:>3} MILPs {:>3} | verdicts {:>3} (FAIL {fails}) inconsistent {}",
        sys.unknowns().len(),
        sys.relations().len(),
        times[0],
        times[times.len() / 2],
        res.stats.lp_solves,
        res.stats.pruned,
        res.stats.milp_solves,
        res.verdicts.len(),
        res.inconsistent
    );
}

fn main() {
    let cfg = AuditConfig::default();
    let no_prune = AuditConfig {
        witness_pruning: false,
        ..AuditConfig::default()
    };
    let lp_only = AuditConfig {
        milp: false,
        witness_pruning: false,
        fbbt_sweeps: 0,
        ..AuditConfig::default()
    };
    for seed in [1, 2, 3] {
        let t = table_40x40(seed, 180);
        run(&format!("40x40, 180 suppressed (seed {seed})"), &t, &cfg, 5);
        run(
            &format!("40x40, 180 suppressed, no pruning (seed {seed})"),
            &t,
            &no_prune,
            3,
        );
        run(
            &format!("40x40, 180 suppressed, LP only (seed {seed})"),
            &t,
            &lp_only,
            3,
        );
    }
    for (seed, k) in [(7, 40), (8, 80), (9, 120)] {
        let c = cube_6(seed, k);
        run(&format!("6x6x6 2-way margins, {k} suppressed"), &c, &cfg, 5);
        run(
            &format!("6x6x6 2-way margins, {k} suppressed, no pruning"),
            &c,
            &no_prune,
            3,
        );
    }
}
