//! Time and peak memory of checking one large legacy (BIFF8) workbook: the tool's own
//! compound-file reader and record walks read its cells a sheet at a time and its hidden rows,
//! columns and comments. Run with `cargo bench --bench large_xls`; the number of full sheets (65,536 rows
//! of 12 numbers, about 14 MiB of records each) via `EXPORT_CHECK_BENCH_SHEETS` (default 4).
//! Peak memory is the process's high-water mark (VmHWM), which here includes the generator's;
//! `EXPORT_CHECK_BENCH_OUT=big.xls` writes the workbook there and stops, for measuring the
//! command alone (`/usr/bin/time -v target/release/export-check big.xls`).

#[path = "../tests/common/cfb.rs"]
#[allow(dead_code)]
mod cfb;

use std::fs;
use std::time::Instant;

use export_check::config::Rules;
use export_check::{check, Options};

use cfb::{xls, BiffSheet, Cell};

fn peak_rss_mib() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

const NAMES: [&str; 8] = ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"];

fn main() {
    let sheets: usize = std::env::var("EXPORT_CHECK_BENCH_SHEETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
        .clamp(1, NAMES.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let book: Vec<BiffSheet> = NAMES[..sheets]
        .iter()
        .map(|name| {
            let mut cells = Vec::with_capacity(65_536 * 12);
            for r in 0..65_535u16 {
                for c in 0..12u16 {
                    let v = f64::from(r % 997) * 3.0 + f64::from(c) + 10.0;
                    cells.push((r, c, Cell::N(v)));
                }
            }
            let mut s = BiffSheet::new(name, cells);
            s.hidden_rows = vec![40_000];
            s.comments = vec![(2, 1, "checked")];
            s
        })
        .collect();
    let bytes = xls(&book, 0);
    if let Some(out) = std::env::var_os("EXPORT_CHECK_BENCH_OUT") {
        fs::write(&out, &bytes).expect("written");
        return;
    }
    let path = dir.path().join("big.xls");
    fs::write(&path, &bytes).expect("written");
    drop(book);
    let rules = Rules::default_rules();
    let start = Instant::now();
    let report = check(dir.path(), &rules, &Options::default()).expect("check runs");
    let secs = start.elapsed().as_secs_f64();
    let hidden = report.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "hidden-content")
        .count();
    println!(
        "large_xls: {sheets} sheets, {:.1} MiB, checked in {secs:.2} s ({:.1} MiB/s), {} findings ({hidden} hidden-content), peak RSS {:.0} MiB",
        bytes.len() as f64 / 1048576.0,
        bytes.len() as f64 / 1048576.0 / secs,
        report.files[0].findings.len(),
        peak_rss_mib().unwrap_or(f64::NAN),
    );
}
