//! Throughput and peak memory of checking one large delimited file and a folder of small ones.
//! Run with `cargo bench --bench large_csv`; sizes via `EXPORT_CHECK_BENCH_MB` (default 200).
//! Peak memory is the process's high-water mark (VmHWM), so run it alone.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::time::Instant;

use export_check::config::Rules;
use export_check::{check, Options};

fn peak_rss_mib() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let mb: u64 = std::env::var("EXPORT_CHECK_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = Rules::default_rules();

    // One large micro-data-like extract: 8 columns, counts and labels.
    let big = dir.path().join("big").join("extract.csv");
    fs::create_dir_all(big.parent().unwrap()).unwrap();
    let mut w = BufWriter::new(File::create(&big).unwrap());
    writeln!(
        w,
        "region;age_group;sex;year;admissions;deaths;share_pct;mean_los"
    )
    .unwrap();
    let mut written = 0u64;
    let mut i = 0u64;
    while written < mb * 1024 * 1024 {
        let line = format!(
            "Region {};{}-{};{};{};{};{};{},{};{},{}\n",
            i % 97,
            (i % 9) * 10,
            (i % 9) * 10 + 9,
            if i.is_multiple_of(2) { "F" } else { "M" },
            2010 + i % 12,
            5 + (i * 7919) % 5000,
            5 + (i * 104_729) % 300,
            i % 100,
            i % 10,
            3 + i % 11,
            i % 10
        );
        written += line.len() as u64;
        w.write_all(line.as_bytes()).unwrap();
        i += 1;
    }
    w.flush().unwrap();
    drop(w);
    let before = peak_rss_mib().unwrap_or(0.0);
    let t = Instant::now();
    let r = check(&big, &rules, &Options::default()).expect("check");
    let secs = t.elapsed().as_secs_f64();
    let after = peak_rss_mib().unwrap_or(0.0);
    println!(
        "large file: {:.0} MiB, {} rows in {:.2} s = {:.1} MiB/s; peak RSS {:.0} MiB (before {:.0} MiB); verdict {}",
        written as f64 / 1048576.0,
        i,
        secs,
        written as f64 / 1048576.0 / secs,
        after,
        before,
        r.verdict.as_str()
    );

    // Many small tables: 2,000 files of 40 rows.
    let many = dir.path().join("many");
    fs::create_dir_all(&many).unwrap();
    for f in 0..2000 {
        let mut s = String::from("Kommune;Antal;Andel (%)\n");
        for r in 0..40 {
            s.push_str(&format!(
                "K{r};{};{},{}\n",
                10 + (f * 31 + r * 17) % 900,
                r % 50,
                r % 10
            ));
        }
        fs::write(many.join(format!("t{f:04}.csv")), s).unwrap();
    }
    for jobs in [1usize, 2] {
        let t = Instant::now();
        let r = check(
            &many,
            &rules,
            &Options {
                jobs: Some(jobs),
                ..Options::default()
            },
        )
        .expect("check");
        let secs = t.elapsed().as_secs_f64();
        println!(
            "2000 small tables, {jobs} thread(s): {:.2} s = {:.0} files/s; verdict {}",
            secs,
            2000.0 / secs,
            r.verdict.as_str()
        );
    }
}
