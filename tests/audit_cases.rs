//! Worked cases of the tables spec (§5) run through the audit engine, each system built by hand.

use export_check::audit::{
    add_table_2d, audit, AuditConfig, AuditResult, Entry, Int, Operand, Origin, Severity, System,
    Tier, Unknown, VarId, VerdictCode,
};

use Entry::{Known as K, Var as V};

fn cfg() -> AuditConfig {
    AuditConfig::default()
}

fn iv(res: &AuditResult, v: VarId) -> (Int, Option<Int>) {
    res.interval(v).expect("interval present")
}

fn codes_for(res: &AuditResult, v: VarId) -> Vec<VerdictCode> {
    res.verdicts
        .iter()
        .filter(|x| x.vars.contains(&v))
        .map(|x| x.code)
        .collect()
}

fn count(res: &AuditResult, code: VerdictCode) -> usize {
    res.with_code(code).count()
}

/// No derivation may contain a recovered value as a number of its own. Counts of cells,
/// relations, tables and possible values, and the threshold itself, are allowed.
fn assert_no_leak(res: &AuditResult, values: &[Int]) {
    let allowed = regex::Regex::new(
        r"\d+ (visible cells?|unknown cells?|possible values|relations|more relations|tables)|below \d+",
    )
    .unwrap();
    for v in &res.verdicts {
        let text = allowed.replace_all(&v.derivation, "");
        for tok in text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
        {
            if let Ok(n) = tok.parse::<Int>() {
                assert!(
                    !values.contains(&n),
                    "derivation leaks {n}: {:?}",
                    v.derivation
                );
            }
        }
    }
}

fn no_fail(res: &AuditResult) -> bool {
    res.verdicts.iter().all(|v| v.severity != Severity::Fail)
}

#[test]
fn tc01_feasibility_intervals() {
    let mut s = System::new();
    let x11 = s.add_unknown(Unknown::suppressed("X11"));
    let x12 = s.add_unknown(Unknown::suppressed("X12"));
    let x21 = s.add_unknown(Unknown::suppressed("X21"));
    let x22 = s.add_unknown(Unknown::suppressed("X22"));
    add_table_2d(
        &mut s,
        &[
            vec![V(x11), V(x12), K(7)],
            vec![V(x21), V(x22), K(3)],
            vec![K(3), K(3), K(6)],
            vec![K(9), K(7), K(16)],
        ],
        &["1", "2", "3", "Total"],
        &["1", "2", "Total"],
    )
    .unwrap();
    let r = audit(&s, &cfg());
    assert!(!r.inconsistent);
    assert_eq!(iv(&r, x11), (3, Some(6)));
    assert_eq!(iv(&r, x12), (1, Some(4)));
    assert_eq!(iv(&r, x21), (0, Some(3)));
    assert_eq!(iv(&r, x22), (0, Some(3)));
    // B2: row 2 (= 3) and column 2 (= 4); rows/columns summing to 7 and 6 pass.
    let b2: Vec<Vec<VarId>> = r
        .with_code(VerdictCode::GroupSumSmall)
        .map(|v| v.vars.clone())
        .collect();
    assert_eq!(b2.len(), 2);
    assert!(b2.contains(&vec![x21, x22]));
    assert!(b2.contains(&vec![x12, x22]));
    assert!(codes_for(&r, x21).contains(&VerdictCode::NarrowedWarn));
    assert!(codes_for(&r, x22).contains(&VerdictCode::NarrowedWarn));
    assert_eq!(count(&r, VerdictCode::ExactSmall), 0);
    assert_eq!(count(&r, VerdictCode::NarrowedSmall), 0);
}

/// TC-2 table (corrected X1 total 76): rows A, B, Total; columns X1..X4, Total.
fn tc2(suppressed: &[(usize, usize)], known_c12: bool) -> (System, Vec<Vec<Option<VarId>>>) {
    let values: [[Int; 5]; 3] = [
        [52, 15, 62, 17, 146],
        [24, 18, 31, 8, 81],
        [76, 33, 93, 25, 227],
    ];
    let mut s = System::new();
    let mut ids = vec![vec![None; 5]; 3];
    let mut grid = Vec::new();
    for (i, row) in values.iter().enumerate() {
        let mut g = Vec::new();
        for (j, &x) in row.iter().enumerate() {
            let is_c12 = (i, j) == (0, 1);
            if suppressed.contains(&(i, j)) && !(is_c12 && known_c12) {
                let name = format!("c{}{}", i + 1, j + 1);
                let mut u = Unknown::suppressed(&name);
                if (i, j) == (0, 1) || (i, j) == (0, 3) {
                    u = u.primary();
                }
                let v = s.add_unknown(u);
                ids[i][j] = Some(v);
                g.push(V(v));
            } else {
                g.push(K(x));
            }
        }
        grid.push(g);
    }
    add_table_2d(
        &mut s,
        &grid,
        &["A", "B", "Total"],
        &["X1", "X2", "X3", "X4", "Total"],
    )
    .unwrap();
    (s, ids)
}

fn id(ids: &[Vec<Option<VarId>>], i: usize, j: usize) -> VarId {
    ids[i][j].expect("suppressed")
}

#[test]
fn tc02a_bridges_exact() {
    let (s, ids) = tc2(&[(0, 1), (0, 3)], false);
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, id(&ids, 0, 1)), (15, Some(15)));
    assert_eq!(iv(&r, id(&ids, 0, 3)), (17, Some(17)));
    assert_eq!(count(&r, VerdictCode::IneffectiveSuppression), 2);
    assert!(no_fail(&r));
    assert_no_leak(&r, &[15, 17]);
}

#[test]
fn tc02b_hypercube_and_two_cell_line() {
    let (s, ids) = tc2(&[(0, 1), (0, 3), (1, 1), (1, 3)], false);
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, id(&ids, 0, 1)), (7, Some(32)));
    assert_eq!(iv(&r, id(&ids, 0, 3)), (0, Some(25)));
    assert_eq!(iv(&r, id(&ids, 1, 1)), (1, Some(26)));
    assert_eq!(iv(&r, id(&ids, 1, 3)), (0, Some(25)));
    let b6: Vec<_> = r.with_code(VerdictCode::SingletonRisk).collect();
    assert_eq!(b6.len(), 1);
    assert_eq!(b6[0].vars, vec![id(&ids, 0, 1), id(&ids, 0, 3)]);
    assert_eq!(b6[0].severity, Severity::Warn);
    assert!(no_fail(&r));
}

#[test]
fn tc02c_singleton_knows_own_value() {
    let (s, ids) = tc2(&[(0, 1), (0, 3), (1, 1), (1, 3)], true);
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, id(&ids, 0, 3)), (17, Some(17)));
    assert_eq!(iv(&r, id(&ids, 1, 1)), (18, Some(18)));
    assert_eq!(iv(&r, id(&ids, 1, 3)), (8, Some(8)));
    // The p%-unsafe c14 is recovered exactly: reported (B5) without leaking its value.
    assert!(codes_for(&r, id(&ids, 0, 3)).contains(&VerdictCode::IneffectiveSuppression));
    assert_no_leak(&r, &[17, 18, 8]);
}

#[test]
fn tc02d_properly_protected() {
    let sup = [(0, 0), (0, 1), (0, 3), (1, 0), (1, 1), (1, 3)];
    let (s, ids) = tc2(&sup, false);
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, id(&ids, 0, 0)), (26, Some(76)));
    assert_eq!(iv(&r, id(&ids, 0, 1)), (0, Some(33)));
    assert_eq!(iv(&r, id(&ids, 0, 3)), (0, Some(25)));
    assert_eq!(iv(&r, id(&ids, 1, 0)), (0, Some(50)));
    assert_eq!(iv(&r, id(&ids, 1, 1)), (0, Some(33)));
    assert_eq!(iv(&r, id(&ids, 1, 3)), (0, Some(25)));
    assert!(r.verdicts.is_empty(), "{:?}", r.verdicts);
}

#[test]
fn tc02e_singleton_known_still_protected() {
    let sup = [(0, 0), (0, 1), (0, 3), (1, 0), (1, 1), (1, 3)];
    let (s, ids) = tc2(&sup, true);
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, id(&ids, 0, 0)), (44, Some(69)));
    assert_eq!(iv(&r, id(&ids, 0, 3)), (0, Some(25)));
    assert_eq!(iv(&r, id(&ids, 1, 0)), (7, Some(32)));
    assert_eq!(iv(&r, id(&ids, 1, 1)), (18, Some(18)));
    assert_eq!(iv(&r, id(&ids, 1, 3)), (0, Some(25)));
    assert_eq!(r.verdicts.len(), 1, "{:?}", r.verdicts);
    assert_eq!(r.verdicts[0].code, VerdictCode::IneffectiveSuppression);
    assert_eq!(r.verdicts[0].vars, vec![id(&ids, 1, 1)]);
}

#[test]
fn tc03_recovery_from_margins() {
    let mut s = System::new();
    let hd = s.add_unknown(Unknown::suppressed("Heart disease 21-30"));
    let pop = s.add_unknown(Unknown::suppressed("Population 21-30"));
    s.add_eq_visible(
        vec![(hd, 1)],
        51 - (10 + 15 + 25),
        "column 'Heart disease'",
        4,
    )
    .unwrap();
    s.add_eq_visible(
        vec![(pop, 1)],
        276 - (100 + 90 + 85),
        "column 'Population'",
        4,
    )
    .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, hd), (1, Some(1)));
    assert_eq!(iv(&r, pop), (1, Some(1)));
    assert_eq!(count(&r, VerdictCode::ExactSmall), 2);
    for v in r.with_code(VerdictCode::ExactSmall) {
        assert_eq!(v.severity, Severity::Fail);
        assert!(v.certified);
        assert!(v.derivation.contains("by subtraction"), "{}", v.derivation);
        assert!(v.derivation.contains("column '"), "{}", v.derivation);
        assert!(v.derivation.contains("4 visible cells"), "{}", v.derivation);
    }
    assert_eq!(r.intervals[hd.0].tier, Tier::Presolve);
    assert_no_leak(&r, &[1]);
}

/// TC-4: female = total − male for HD and Pop per age band, as a merged atom system.
fn tc4(t: Int) -> (AuditResult, Vec<VarId>, Vec<VarId>) {
    let total_hd = [8, 10, 15, 25];
    let total_pop = [20, 25, 30, 40];
    let male_hd = [7, 5, 8, 13];
    let male_pop = [19, 15, 18, 25];
    let ages = ["21-30", "31-40", "41-50", "51+"];
    let mut s = System::new();
    let mut f_hd = Vec::new();
    let mut f_pop = Vec::new();
    for i in 0..4 {
        for (measure, tot, male, out) in [
            ("HD", total_hd[i], male_hd[i], &mut f_hd),
            ("Pop", total_pop[i], male_pop[i], &mut f_pop),
        ] {
            let m = s.add_unknown(Unknown::of(
                &format!("male {measure} {}", ages[i]),
                Origin::Atom,
            ));
            let f = s.add_unknown(Unknown::of(
                &format!("female {measure} {}", ages[i]),
                Origin::Atom,
            ));
            let r1 = s
                .add_eq(
                    vec![(m, 1)],
                    male,
                    &format!("male table {measure} {}", ages[i]),
                )
                .unwrap();
            s.set_source(r1, "male.csv");
            let r2 = s
                .add_eq(
                    vec![(m, 1), (f, 1)],
                    tot,
                    &format!("total table {measure} {}", ages[i]),
                )
                .unwrap();
            s.set_source(r2, "total.csv");
            out.push(f);
        }
    }
    let c = AuditConfig {
        min_count: t,
        ..cfg()
    };
    (audit(&s, &c), f_hd, f_pop)
}

#[test]
fn tc04_differencing_subpopulation() {
    let (r, f_hd, f_pop) = tc4(5);
    assert_eq!(iv(&r, f_hd[0]), (1, Some(1)));
    assert_eq!(iv(&r, f_pop[0]), (1, Some(1)));
    assert_eq!(iv(&r, f_hd[1]), (5, Some(5)));
    assert_eq!(iv(&r, f_hd[2]), (7, Some(7)));
    let b1: Vec<_> = r.with_code(VerdictCode::ExactSmall).collect();
    assert_eq!(b1.len(), 2);
    assert!(b1.iter().all(|v| v.differencing));
    assert!(b1[0].derivation.starts_with("differencing across 2 tables"));
    let (r8, f_hd, f_pop) = tc4(8);
    let flagged: Vec<VarId> = r8
        .with_code(VerdictCode::ExactSmall)
        .filter(|v| v.differencing)
        .flat_map(|v| v.vars.clone())
        .collect();
    let mut expect = vec![f_hd[0], f_pop[0], f_hd[1], f_hd[2]];
    expect.sort();
    assert_eq!(flagged, expect);
    // The published male 7 and 5 are atoms pinned by one table: B1 too, but not differencing
    // (the primary check P1 reports them as published small counts).
    assert_eq!(r8.with_code(VerdictCode::ExactSmall).count(), 6);
}

#[test]
fn tc05_overlapping_age_bands() {
    let mut s = System::new();
    let a1 = s.add_unknown(Unknown::of("age 0-15", Origin::Atom));
    let a2 = s.add_unknown(Unknown::of("age 16-17", Origin::Atom));
    let a3 = s.add_unknown(Unknown::of("age 18-64", Origin::Atom));
    let rels = [
        s.add_eq(vec![(a1, 1)], 120, "A: 0-15").unwrap(),
        s.add_eq(vec![(a2, 1), (a3, 1)], 300, "A: 16-64").unwrap(),
        s.add_eq(vec![(a1, 1), (a2, 1)], 123, "B: 0-17").unwrap(),
        s.add_eq(vec![(a3, 1)], 297, "B: 18-64").unwrap(),
    ];
    s.set_source(rels[0], "a.csv");
    s.set_source(rels[1], "a.csv");
    s.set_source(rels[2], "b.csv");
    s.set_source(rels[3], "b.csv");
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, a2), (3, Some(3)));
    let b1: Vec<_> = r.with_code(VerdictCode::ExactSmall).collect();
    assert_eq!(b1.len(), 1);
    assert_eq!(b1[0].vars, vec![a2]);
    assert!(b1[0].differencing);
    // Exact but large atoms: no finding (atoms are not suppressions, so no B5 either).
    assert_eq!(r.verdicts.len(), 1);
    assert_no_leak(&r, &[3]);
}

#[test]
fn tc07_linking() {
    // Female cells as atoms: living&working = 22 − 21, working-in-A-living-elsewhere = 27 − 23,
    // with the all-person cells themselves derived from the area table.
    let mut s = System::new();
    let lw = s.add_unknown(Unknown::of("all: live and work in A", Origin::Atom));
    let le = s.add_unknown(Unknown::of("all: live in A, work elsewhere", Origin::Atom));
    let we = s.add_unknown(Unknown::of("all: work in A, live elsewhere", Origin::Atom));
    let f_lw = s.add_unknown(Unknown::of("female: live and work in A", Origin::Atom));
    let f_le = s.add_unknown(Unknown::of(
        "female: live in A, work elsewhere",
        Origin::Atom,
    ));
    let f_we = s.add_unknown(Unknown::of(
        "female: work in A, live elsewhere",
        Origin::Atom,
    ));
    let add = |sys: &mut System, terms: Vec<(VarId, Int)>, rhs: Int, label: &str, src: &str| {
        let r = sys.add_eq(terms, rhs, label).unwrap();
        sys.set_source(r, src);
    };
    add(
        &mut s,
        vec![(lw, 1)],
        22,
        "area: living and working",
        "area",
    );
    add(
        &mut s,
        vec![(lw, 1), (le, 1)],
        85,
        "employed living in A",
        "employment",
    );
    add(
        &mut s,
        vec![(lw, 1), (we, 1)],
        49,
        "area: working in A",
        "area",
    );
    add(
        &mut s,
        vec![(lw, 1), (f_lw, -1)],
        21,
        "males: live and work",
        "males",
    );
    add(
        &mut s,
        vec![(le, 1), (f_le, -1)],
        58,
        "males: live in A, work elsewhere",
        "males",
    );
    add(
        &mut s,
        vec![(we, 1), (f_we, -1)],
        23,
        "males: work in A, live elsewhere",
        "males",
    );
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, le), (63, Some(63)));
    assert_eq!(iv(&r, we), (27, Some(27)));
    assert_eq!(iv(&r, f_lw), (1, Some(1)));
    assert_eq!(iv(&r, f_le), (5, Some(5)));
    assert_eq!(iv(&r, f_we), (4, Some(4)));
    let flagged: Vec<VarId> = r
        .with_code(VerdictCode::ExactSmall)
        .flat_map(|v| v.vars.clone())
        .collect();
    assert_eq!(flagged, vec![f_lw, f_we]);
    assert!(r.with_code(VerdictCode::ExactSmall).all(|v| v.differencing));
}

#[test]
fn tc08_unpicking_conventional_rounding() {
    let published: [[Int; 3]; 4] = [[0, 0, 0], [5, 5, 5], [10, 20, 30], [15, 25, 40]];
    let mut s = System::new();
    let mut ids = Vec::new();
    let mut grid = Vec::new();
    for (i, row) in published.iter().enumerate() {
        let mut g = Vec::new();
        let mut r_ids = Vec::new();
        for (j, &p) in row.iter().enumerate() {
            let (lo, hi) = if p == 0 { (0, 2) } else { (p - 2, p + 2) };
            let v = s.add_unknown(Unknown::rounded(&format!("r{i}c{j}"), lo, hi));
            r_ids.push(v);
            g.push(V(v));
        }
        ids.push(r_ids);
        grid.push(g);
    }
    add_table_2d(
        &mut s,
        &grid,
        &["A", "B", "C", "Total"],
        &["Male", "Female", "Total"],
    )
    .unwrap();
    let r = audit(&s, &cfg());
    assert!(!r.inconsistent);
    let expected: [[(Int, Int); 3]; 4] = [
        [(0, 2), (0, 2), (0, 2)],
        [(3, 4), (3, 4), (6, 7)],
        [(8, 12), (18, 22), (29, 32)],
        [(13, 17), (23, 27), (38, 41)],
    ];
    for i in 0..4 {
        for j in 0..3 {
            let (lo, hi) = expected[i][j];
            assert_eq!(iv(&r, ids[i][j]), (lo, Some(hi)), "cell {i},{j}");
        }
    }
    let b3: Vec<VarId> = r
        .with_code(VerdictCode::NarrowedSmall)
        .flat_map(|v| v.vars.clone())
        .collect();
    assert_eq!(b3, vec![ids[1][0], ids[1][1]]);
    assert_eq!(r.verdicts.len(), 2, "{:?}", r.verdicts);
    assert_no_leak(&r, &[3, 4]);
}

#[test]
fn tc09_minimal_unpicking() {
    let mut s = System::new();
    let a = s.add_unknown(Unknown::rounded("a", 3, 7));
    let b = s.add_unknown(Unknown::rounded("b", 8, 12));
    let t = s.add_unknown(Unknown::rounded("T", 8, 12));
    s.add_eq(vec![(a, 1), (b, 1), (t, -1)], 0, "row total")
        .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, a), (3, Some(4)));
    assert_eq!(iv(&r, b), (8, Some(9)));
    assert_eq!(iv(&r, t), (11, Some(12)));
    assert_eq!(codes_for(&r, a), vec![VerdictCode::NarrowedSmall]);
    assert_eq!(r.verdicts.len(), 1);
}

#[test]
fn tc10_midpoint6_next_to_exact_total() {
    let mut s = System::new();
    let p = s.add_unknown(Unknown::rounded("p", 1, 6));
    let q = s.add_unknown(Unknown::rounded("q", 7, 12));
    s.add_eq_visible(vec![(p, 1), (q, 1)], 9, "row total", 1)
        .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, p), (1, Some(2)));
    assert_eq!(iv(&r, q), (7, Some(8)));
    assert_eq!(codes_for(&r, p), vec![VerdictCode::NarrowedSmall]);
    assert_eq!(r.verdicts.len(), 1);
}

fn percent_beside_count(p: f64, decimals: u8, n: Int) -> (AuditResult, VarId) {
    let mut s = System::new();
    let x = s.add_unknown(Unknown::below("count", 5));
    s.add_ratio(
        Operand::Var(x),
        Operand::Const(n),
        p,
        decimals,
        100,
        "percent of N",
    )
    .unwrap();
    (audit(&s, &cfg()), x)
}

#[test]
fn tc11_percentage_beside_suppressed_count() {
    for (p, d, n, expect) in [(2.2, 1, 137, 3), (2.0, 0, 137, 3), (4.3, 1, 23, 1)] {
        let (r, x) = percent_beside_count(p, d, n);
        assert_eq!(iv(&r, x), (expect, Some(expect)), "{p}% of {n}");
        assert_eq!(codes_for(&r, x), vec![VerdictCode::ExactSmall]);
        assert_no_leak(&r, &[expect]);
    }
}

#[test]
fn tc12_percentage_from_true_values_beside_midpoint6() {
    let mut s = System::new();
    let n = s.add_unknown(Unknown::rounded("numerator", 1, 6));
    let d = s.add_unknown(Unknown::rounded("denominator", 7, 12));
    s.add_ratio(Operand::Var(n), Operand::Var(d), 22.2, 1, 100, "percent")
        .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, n), (2, Some(2)));
    assert_eq!(iv(&r, d), (9, Some(9)));
    assert_eq!(codes_for(&r, n), vec![VerdictCode::ExactSmall]);
    assert_eq!(r.verdicts.len(), 1);
    assert_no_leak(&r, &[2]);
}

#[test]
fn tc12_milp_refines_lp_when_propagation_is_off() {
    // With propagation switched off the LP gives n ∈ [1.55, 2.67]; inward rounding and the
    // integer programs must still land on n = 2, D = 9.
    let mut s = System::new();
    let n = s.add_unknown(Unknown::rounded("numerator", 1, 6));
    let d = s.add_unknown(Unknown::rounded("denominator", 7, 12));
    s.add_ratio(Operand::Var(n), Operand::Var(d), 22.2, 1, 100, "percent")
        .unwrap();
    let c = AuditConfig {
        fbbt_sweeps: 0,
        ..cfg()
    };
    let r = audit(&s, &c);
    assert_eq!(iv(&r, n), (2, Some(2)));
    assert_eq!(iv(&r, d), (9, Some(9)));
    let b1: Vec<_> = r.with_code(VerdictCode::ExactSmall).collect();
    assert_eq!(b1.len(), 1);
    assert!(b1[0].certified);
    assert_eq!(b1[0].severity, Severity::Fail);
}

#[test]
fn tc13_rate_back_calculation() {
    let mut s = System::new();
    let e = s.add_unknown(Unknown::suppressed("events"));
    s.add_ratio(
        Operand::Var(e),
        Operand::Const(1430),
        2.1,
        1,
        1000,
        "rate per 1,000 PY",
    )
    .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, e), (3, Some(3)));
    assert_eq!(codes_for(&r, e), vec![VerdictCode::ExactSmall]);
}

#[test]
fn tc14a_danish_group_sum() {
    let mut s = System::new();
    let a = s.add_unknown(Unknown::below("C1", 5));
    let b = s.add_unknown(Unknown::below("D1", 5));
    s.add_eq_visible(vec![(a, 1), (b, 1)], 30 - 12 - 15, "row 1", 3)
        .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, a), (0, Some(3)));
    assert_eq!(iv(&r, b), (0, Some(3)));
    assert_eq!(count(&r, VerdictCode::GroupSumSmall), 1);
    assert_eq!(count(&r, VerdictCode::NarrowedWarn), 2);
    assert_eq!(r.verdicts.len(), 3);
    assert_no_leak(&r, &[3]);
}

#[test]
fn tc14b_group_sum_large_passes() {
    let mut s = System::new();
    let a = s.add_unknown(Unknown::below("C1", 5));
    let x = s.add_unknown(Unknown::suppressed("D1"));
    s.add_eq_visible(vec![(a, 1), (x, 1)], 40 - 12 - 15, "row 1", 3)
        .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, a), (0, Some(4)));
    assert_eq!(iv(&r, x), (9, Some(13)));
    assert!(r.verdicts.is_empty(), "{:?}", r.verdicts);
}

#[test]
fn tc17_opensafely_rounding_must_not_flag() {
    // Totals are sums of the displayed rounded cells, so they carry no relation: the redacted
    // cell keeps its box [0,7] and nothing is derived.
    let mut s = System::new();
    let hd = s.add_unknown(Unknown::below("HD 21-30", 8));
    let pops: Vec<VarId> = [20, 25, 30, 45]
        .iter()
        .map(|&p| s.add_unknown(Unknown::rounded("pop", (p - 2).max(8), p + 2)))
        .collect();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, hd), (0, Some(7)));
    assert_eq!(iv(&r, pops[0]), (18, Some(22)));
    assert!(r.verdicts.is_empty());
    assert!(!r.inconsistent);
}

#[test]
fn tc18_implied_residual() {
    let mut s = System::new();
    let res = s.add_unknown(Unknown::of("Sex: missing", Origin::Residual));
    s.add_eq_visible(
        vec![(res, 1)],
        208 - 100 - 105,
        "column 'All patients' N",
        3,
    )
    .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(codes_for(&r, res), vec![VerdictCode::GroupSumSmall]);
    assert_no_leak(&r, &[3]);
}

#[test]
fn tc19_suppressed_margin_does_not_help() {
    let mut s = System::new();
    let a = s.add_unknown(Unknown::suppressed("a"));
    let r1 = s.add_unknown(Unknown::suppressed("R1"));
    add_table_2d(
        &mut s,
        &[
            vec![V(a), K(10), V(r1)],
            vec![K(6), K(20), K(26)],
            vec![K(10), K(30), K(40)],
        ],
        &["1", "2", "Total"],
        &["1", "2", "Total"],
    )
    .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, a), (4, Some(4)));
    assert_eq!(iv(&r, r1), (14, Some(14)));
    assert_eq!(codes_for(&r, a), vec![VerdictCode::ExactSmall]);
    assert_eq!(codes_for(&r, r1), vec![VerdictCode::IneffectiveSuppression]);
    assert_no_leak(&r, &[4, 14]);
}

#[test]
fn tc20_zero_cells_give_no_protection() {
    let mut s = System::new();
    let a = s.add_unknown(Unknown::below("a", 5));
    let b = s.add_unknown(Unknown::suppressed("b"));
    let c = s.add_unknown(Unknown::suppressed("c"));
    let d = s.add_unknown(Unknown::suppressed("d"));
    s.add_eq(vec![(a, 1), (b, 1)], 3, "row 1").unwrap();
    s.add_eq(vec![(c, 1), (d, 1)], 7, "row 2").unwrap();
    s.add_eq(vec![(a, 1), (c, 1)], 10, "column 1").unwrap();
    s.add_eq(vec![(b, 1), (d, 1)], 0, "column 2").unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, b), (0, Some(0)));
    assert_eq!(iv(&r, d), (0, Some(0)));
    assert_eq!(iv(&r, a), (3, Some(3)));
    assert_eq!(iv(&r, c), (7, Some(7)));
    assert!(codes_for(&r, a).contains(&VerdictCode::ExactSmall));
    let b2: Vec<_> = r.with_code(VerdictCode::GroupSumSmall).collect();
    assert_eq!(b2.len(), 1);
    assert_eq!(b2[0].vars, vec![a, b]);
    assert!(!codes_for(&r, b).contains(&VerdictCode::ExactSmall));
    // With zeros unsafe, the forced zeros are findings too.
    let z = AuditConfig {
        zero_is_unsafe: true,
        ..cfg()
    };
    let rz = audit(&s, &z);
    assert!(codes_for(&rz, b).contains(&VerdictCode::ExactSmall));
}

#[test]
fn tc21_cumulative_number_at_risk() {
    let at_risk: [Int; 4] = [120, 118, 97, 95];
    let mut s = System::new();
    let mut exits = Vec::new();
    for k in 0..3 {
        let e = s.add_unknown(Unknown::of(
            &format!("exits {}", ["A", "B", "C"][k]),
            Origin::Cumulative,
        ));
        s.add_eq_visible(
            vec![(e, 1)],
            at_risk[k] - at_risk[k + 1],
            &format!("'at risk' step {}", ["A", "B", "C"][k]),
            2,
        )
        .unwrap();
        exits.push(e);
    }
    let r = audit(&s, &cfg());
    let b2: Vec<_> = r.with_code(VerdictCode::GroupSumSmall).collect();
    assert_eq!(b2.len(), 2);
    assert_eq!(b2[0].vars, vec![exits[0]]);
    assert_eq!(b2[1].vars, vec![exits[2]]);
    assert!(b2
        .iter()
        .all(|v| v.derivation.contains("cumulative-difference")));
    assert_eq!(r.verdicts.len(), 2);
    assert_no_leak(&r, &[2]);
}

#[test]
fn tc22_percent_vector_bounded_n_as_system() {
    let build = |n_box: Option<Int>| {
        let mut s = System::new();
        let n = s.add_unknown(Unknown::below("N", 5).with_box(1, n_box));
        let m = s.add_unknown(Unknown::suppressed("Male"));
        let f = s.add_unknown(Unknown::suppressed("Female"));
        s.add_eq(vec![(m, 1), (f, 1), (n, -1)], 0, "sub-group total")
            .unwrap();
        s.add_ratio(Operand::Var(m), Operand::Var(n), 33.3, 1, 100, "Male %")
            .unwrap();
        s.add_ratio(Operand::Var(f), Operand::Var(n), 66.7, 1, 100, "Female %")
            .unwrap();
        (s, n, m, f)
    };
    let (s, n, m, f) = build(Some(4));
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, n), (3, Some(3)));
    assert_eq!(iv(&r, m), (1, Some(1)));
    assert_eq!(iv(&r, f), (2, Some(2)));
    assert!(codes_for(&r, m).contains(&VerdictCode::ExactSmall));
    assert!(codes_for(&r, f).contains(&VerdictCode::ExactSmall));
    assert_no_leak(&r, &[1, 2, 3]);
    // Without the bound N can be 3, 6, 9, …: no finding.
    let (s, _, _, _) = build(None);
    let r = audit(&s, &cfg());
    assert!(r.verdicts.is_empty(), "{:?}", r.verdicts);
}

#[test]
fn must_not_flag_properly_suppressed_table() {
    let vals: [[Int; 3]; 3] = [[30, 40, 55], [35, 45, 60], [25, 50, 65]];
    let mut s = System::new();
    let mut grid: Vec<Vec<Entry>> = Vec::new();
    let mut col_tot = [0; 4];
    for (i, row) in vals.iter().enumerate() {
        let mut g = Vec::new();
        let tot: Int = row.iter().sum();
        for (j, &x) in row.iter().enumerate() {
            col_tot[j] += x;
            if i < 2 && j < 2 {
                let u = if (i, j) == (0, 0) {
                    Unknown::suppressed("x00").primary()
                } else {
                    Unknown::suppressed(&format!("x{i}{j}"))
                };
                g.push(V(s.add_unknown(u)));
            } else {
                g.push(K(x));
            }
        }
        col_tot[3] += tot;
        g.push(K(tot));
        grid.push(g);
    }
    grid.push(col_tot.iter().map(|&x| K(x)).collect());
    add_table_2d(&mut s, &grid, &[], &[]).unwrap();
    let r = audit(&s, &cfg());
    assert!(r.verdicts.is_empty(), "{:?}", r.verdicts);
    assert_eq!(iv(&r, VarId(0)), (0, Some(65)));
}

#[test]
fn gaussian_elimination_finds_what_propagation_cannot() {
    let mut s = System::new();
    let x = s.add_unknown(Unknown::suppressed("x"));
    let y = s.add_unknown(Unknown::suppressed("y"));
    s.add_eq(vec![(x, 1), (y, 1)], 5, "sum").unwrap();
    s.add_eq(vec![(x, 1), (y, -1)], 1, "difference").unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, y), (2, Some(2)));
    assert_eq!(r.intervals[y.0].tier, Tier::Elimination);
    assert!(codes_for(&r, y).contains(&VerdictCode::ExactSmall));
}

#[test]
fn inconsistent_systems_do_not_panic() {
    let mut s = System::new();
    let x = s.add_unknown(Unknown::below("x", 5));
    let y = s.add_unknown(Unknown::below("y", 5));
    s.add_eq(vec![(x, 1), (y, 1)], 20, "row").unwrap();
    let r = audit(&s, &cfg());
    assert!(r.inconsistent);
    assert_eq!(count(&r, VerdictCode::Inconsistent), 1);
    assert_eq!(iv(&r, x), (0, Some(4)));

    // A constant relation that does not hold, an empty box and huge coefficients.
    let mut s = System::new();
    let z = s.add_unknown(Unknown::suppressed("z").with_box(5, Some(2)));
    s.add_eq(vec![], 3, "published mismatch").unwrap();
    let w = s.add_unknown(Unknown::suppressed("w"));
    s.add_eq(vec![(w, Int::MAX), (z, Int::MAX)], Int::MIN, "overflow")
        .unwrap();
    let r = audit(&s, &cfg());
    assert!(r.inconsistent);

    // No integer solution although the LP has one.
    let mut s = System::new();
    let a = s.add_unknown(Unknown::suppressed("a"));
    let b = s.add_unknown(Unknown::suppressed("b"));
    s.add_eq(vec![(a, 2), (b, 2)], 7, "odd").unwrap();
    let r = audit(&s, &cfg());
    assert!(r.inconsistent);
}

#[test]
fn unknown_var_is_an_error_not_a_panic() {
    let mut s = System::new();
    let err = s.add_eq(vec![(VarId(3), 1)], 1, "bad").unwrap_err();
    assert!(err.to_string().contains("bad"));
}

#[test]
fn unbounded_unknown_stays_unbounded() {
    let mut s = System::new();
    let x = s.add_unknown(Unknown::suppressed("x"));
    let y = s.add_unknown(Unknown::suppressed("y"));
    s.add_eq(vec![(x, 1), (y, -1)], 3, "difference only")
        .unwrap();
    let r = audit(&s, &cfg());
    assert_eq!(iv(&r, x), (3, None));
    assert_eq!(iv(&r, y), (0, None));
    assert!(r.verdicts.is_empty());
}
