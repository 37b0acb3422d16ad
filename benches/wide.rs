//! Cost of checking very wide, very tall, and wide and tall tables (issue 8 C.6): each shape at
//! two or three sizes, so that the growth of the time with the size shows (linear: the time
//! doubles when the cells do). Plain `Instant` timing, no benchmark framework.
//!
//! Run with `cargo bench --bench wide`.

use std::fmt::Write as _;
use std::fs;
use std::time::Instant;

use export_check::config::Rules;
use export_check::{check, Options};

/// One header line and one line of counts, `n` columns.
fn wide(n: usize) -> String {
    let header: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let values: Vec<String> = (0..n).map(|i| (7 + i % 50).to_string()).collect();
    format!("{}\n{}\n", header.join(","), values.join(","))
}

/// Two regions and their total over `n` group columns and a total column, every 7th cell
/// suppressed.
fn wide_totals(n: usize) -> String {
    let value = |r: usize, j: usize| 10 + (r * 7 + j * 3) % 40;
    let mut s = String::from("Region");
    for j in 0..n {
        let _ = write!(s, ",g{j}");
    }
    s.push_str(",Total\n");
    for r in 0..2 {
        s.push_str(["North", "South"][r]);
        let mut sum = 0;
        for j in 0..n {
            sum += value(r, j);
            if j % 7 == 3 * r {
                s.push_str(",x");
            } else {
                let _ = write!(s, ",{}", value(r, j));
            }
        }
        let _ = writeln!(s, ",{sum}");
    }
    s.push_str("Total");
    let mut all = 0;
    for j in 0..n {
        all += value(0, j) + value(1, j);
        let _ = write!(s, ",{}", value(0, j) + value(1, j));
    }
    let _ = writeln!(s, ",{all}");
    s
}

/// `n` rows in blocks of nine places and their labelled sub-total.
fn tall_sub_totals(n: usize) -> String {
    let mut s = String::from("Kommune,Men,Women\n");
    for g in 0..n / 10 {
        for i in 0..9 {
            let _ = writeln!(s, "Place {g} {i},{},{}", 10 + i, 20 + g % 7);
        }
        let _ = writeln!(s, "Total {g},126,{}", 9 * (20 + g % 7));
    }
    s
}

/// `n` × `n` counts with a total row and column, one cell in 13 suppressed.
fn square(n: usize) -> String {
    let value = |i: usize, j: usize| 5 + (i * 31 + j * 17) % 86;
    let mut s = String::from("Row");
    for j in 0..n {
        let _ = write!(s, ",c{j}");
    }
    s.push_str(",Total\n");
    let mut cols = vec![0; n];
    for i in 0..n {
        let _ = write!(s, "Place {i}");
        let mut sum = 0;
        for (j, c) in cols.iter_mut().enumerate() {
            let v = value(i, j);
            sum += v;
            *c += v;
            if (i * 7 + j * 3) % 13 == 0 {
                s.push_str(",x");
            } else {
                let _ = write!(s, ",{v}");
            }
        }
        let _ = writeln!(s, ",{sum}");
    }
    s.push_str("Total");
    for c in &cols {
        let _ = write!(s, ",{c}");
    }
    let _ = writeln!(s, ",{}", cols.iter().sum::<usize>());
    s
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = Rules::default_rules();
    let cases: Vec<(&str, usize, String)> = [25_000, 50_000, 100_000]
        .iter()
        .map(|&n| ("one line, columns", n, wide(n)))
        .chain(
            [5_000, 10_000, 20_000]
                .iter()
                .map(|&n| ("totals, columns", n, wide_totals(n))),
        )
        .chain(
            [10_000, 20_000, 40_000]
                .iter()
                .map(|&n| ("sub-totals, rows", n, tall_sub_totals(n))),
        )
        .chain(
            [250, 500, 1_000]
                .iter()
                .map(|&n| ("square, side", n, square(n))),
        )
        .collect();
    for (what, n, text) in cases {
        let path = dir.path().join(format!("t{n}.csv"));
        fs::write(&path, &text).expect("write");
        let t = Instant::now();
        let r = check(&path, &rules, &Options::default()).expect("check");
        let secs = t.elapsed().as_secs_f64();
        let limits = r.files[0]
            .findings
            .iter()
            .filter(|f| f.message.contains("too large") || f.message.contains("not audited"))
            .count();
        println!(
            "{what} {n}: {:.1} MiB in {secs:.2} s; verdict {}, {} findings ({limits} at a limit)",
            text.len() as f64 / 1_048_576.0,
            r.verdict.as_str(),
            r.files[0].findings.len()
        );
        fs::remove_file(&path).ok();
    }
}
