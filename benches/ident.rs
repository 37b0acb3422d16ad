//! Throughput of `ident::Scanner::scan` on ~50 MB of log-like text with sparse identifiers,
//! line by line, compared with `rg -c` and an equivalent digit-shape regex when ripgrep is
//! installed. Run with `cargo bench --bench ident`. Set `IDENT_BENCH_MB` to change the size.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::Command;
use std::time::Instant;

use export_check::ident::generate::{self, Rng};
use export_check::ident::{Confidence, IdKind, Scanner};

/// The shapes the scanner looks for, as one regex for ripgrep (boundaries included; no
/// validation, no hex/UUID shapes).
const RG_PATTERN: &str = concat!(
    r"(^|[^0-9A-Za-z])(",
    r"[0-9]{6}[-+ A-FU-Y]?[0-9]{3}[0-9A-Y]",
    r"|[0-9]{8}[-+ ]?[0-9]{4}",
    r"|[0-9]{6} ?[0-9]{5}",
    r"|[0-9]{2}\.[0-9]{2}\.[0-9]{2}[-. ]?[0-9]{3}\.?[0-9]{2}",
    r"|[0-9]{3}[- ][0-9]{3}[- ][0-9]{4}",
    r"|[0-9]{9}",
    r"|[0-9]{4}\.[0-9]{2}\.[0-9]{3}",
    r"|[1-478] ?[0-9]{2} ?[0-9]{2} ?([0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}",
    r")($|[^0-9A-Za-z])"
);

fn log_line(r: &mut Rng, out: &mut String) {
    let (h, m, s) = (r.below(24), r.below(60), r.below(60));
    match r.below(12) {
        0 => {
            let _ = write!(
                out,
                "2024-03-{:02} {h:02}:{m:02}:{s:02}.{:03} INFO [worker-{}] processed {} records in {}.{:04} s (rate {}.{}/s)",
                r.range(1, 28), r.below(1000), r.below(16), r.below(100_000), r.below(10), r.below(10_000), r.below(100_000), r.below(10)
            );
        }
        1 => {
            let _ = write!(
                out,
                "NOTE: The data set WORK.COHORT_{} has {} observations and {} variables.",
                r.below(100),
                r.below(1_000_000),
                r.below(300)
            );
        }
        2 => {
            let _ = write!(
                out,
                "      real time           {}.{:02} seconds",
                r.below(100),
                r.below(100)
            );
        }
        3 => {
            let _ = write!(
                out,
                "| {} | {} {:03} | {},{} % | 0.{:010} |",
                r.range(1990, 2024),
                r.below(100),
                r.below(1000),
                r.below(100),
                r.below(10),
                r.below(10_000_000_000)
            );
        }
        4 => {
            let _ = write!(
                out,
                "ts={} user=analyst{} file=/data/proj/out_{}.csv sha1={}",
                r.range(1_600_000_000, 1_800_000_000),
                r.below(20),
                r.below(1000),
                generate::hex_hash(r.next_u64(), 40)
            );
        }
        5 => {
            let _ = write!(
                out,
                "  {:>6} |  {:>8}   {:>5}.{:02}   {:>6}.{:02}",
                r.below(1000),
                r.below(100_000),
                r.below(100),
                r.below(100),
                r.below(100),
                r.below(100)
            );
        }
        6 => {
            let _ = write!(
                out,
                "Model fit: AIC = {}.{:03}, BIC = {}.{:03}, logLik = -{}.{:04}, p = 0,{:08}",
                r.below(100_000),
                r.below(1000),
                r.below(100_000),
                r.below(1000),
                r.below(100_000),
                r.below(10_000),
                r.below(100_000_000)
            );
        }
        7 => {
            let _ = write!(
                out,
                "Kontakt: tlf. +45 {} {} {} {} eller 040 {} {:04}",
                r.range(10, 99),
                r.range(10, 99),
                r.range(10, 99),
                r.range(10, 99),
                r.range(100, 999),
                r.below(10_000)
            );
        }
        8 => {
            let _ = write!(
                out,
                "R version 4.{}.{} ({}-{:02}-{:02}) -- \"Beagle Scouts\" Dnr {}-{}",
                r.below(5),
                r.below(4),
                r.range(2019, 2024),
                r.range(1, 12),
                r.range(1, 28),
                r.below(1000),
                r.range(2015, 2024)
            );
        }
        9 => {
            let _ = write!(out, "    The quick brown fox jumps over the lazy dog while the regression model converges after {} iterations", r.below(100));
        }
        10 => {
            let _ = write!(
                out,
                "{}{:02}{:02} {}  amount {} {:03} {:03},{:02}  ratio {}.{:06}",
                r.range(2015, 2024),
                r.range(1, 12),
                r.range(1, 28),
                r.below(10_000_000_000u64),
                r.below(100),
                r.below(1000),
                r.below(1000),
                r.below(100),
                r.below(10),
                r.below(1_000_000)
            );
        }
        _ => {
            let _ = write!(
                out,
                "obs {}: age={} sex={} bmi={}.{} group={} _ERROR_=0 _N_={}",
                r.below(100_000),
                r.range(18, 99),
                r.range(1, 2),
                r.range(15, 45),
                r.below(10),
                r.below(5),
                r.below(100_000)
            );
        }
    }
}

fn main() {
    let target_mb: usize = std::env::var("IDENT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let mut r = Rng::new(2024);
    let mut text = String::with_capacity(target_mb * 1_048_576 + 1024);
    let mut planted = 0usize;
    let mut planted_lines: Vec<bool> = Vec::new();
    let kinds = IdKind::NATIONAL;
    while text.len() < target_mb * 1_048_576 {
        log_line(&mut r, &mut text);
        // About one line in 400 carries an identifier, half with a context word.
        if r.below(400) == 0 {
            let kind = kinds[r.below(kinds.len() as u64) as usize];
            let id = generate::valid(kind, r.next_u64());
            if r.below(2) == 0 {
                let _ = write!(text, " id {id}");
            } else {
                let _ = write!(text, " patient {id}");
            }
            planted += 1;
            planted_lines.push(true);
        } else {
            planted_lines.push(false);
        }
        text.push('\n');
    }
    let mb = text.len() as f64 / 1_048_576.0;
    let lines = text.lines().count();
    println!("corpus: {mb:.1} MiB, {lines} lines, {planted} planted identifiers");

    let scanner = Scanner::new();
    let mut best = f64::INFINITY;
    let (mut n_low, mut n_med, mut n_high, mut lines_with) = (0, 0, 0, 0);
    let show = std::env::var_os("IDENT_BENCH_SHOW").is_some();
    let (mut found_planted, mut reported_unplanted) = (0, 0);
    let mut r_low_shown = 0;
    for (line, &was_planted) in text.lines().zip(&planted_lines) {
        let ms = scanner.scan(line);
        let reported = ms
            .iter()
            .filter(|m| m.confidence >= Confidence::Medium)
            .count();
        if was_planted && ms.iter().any(|m| m.kind.is_national()) {
            found_planted += 1;
        } else if was_planted && show {
            eprintln!("MISSED {line}\n   {ms:?}");
        }
        if show && !was_planted && reported == 0 && !ms.is_empty() && r_low_shown < 40 {
            r_low_shown += 1;
            eprintln!("LOW {line}\n   {ms:?}");
        }
        if !was_planted && reported > 0 {
            reported_unplanted += reported;
            if show && reported_unplanted <= 30 {
                eprintln!("{line}\n   {ms:?}");
            }
        }
    }
    println!(
        "planted lines with a national-ID match: {found_planted}/{planted}; Medium/High matches on lines without a planted ID: {reported_unplanted}"
    );
    for run in 0..3 {
        let t = Instant::now();
        let (mut lo, mut me, mut hi, mut lw) = (0, 0, 0, 0);
        for line in text.lines() {
            let ms = scanner.scan(line);
            if !ms.is_empty() {
                lw += 1;
            }
            for m in &ms {
                match m.confidence {
                    Confidence::Low => lo += 1,
                    Confidence::Medium => me += 1,
                    Confidence::High => hi += 1,
                }
            }
        }
        let secs = t.elapsed().as_secs_f64();
        best = best.min(secs);
        if run == 0 {
            (n_low, n_med, n_high, lines_with) = (lo, me, hi, lw);
        }
    }
    println!(
        "Scanner::scan line by line: {:.0} MiB/s ({best:.3} s best of 3); matches High {n_high}, Medium {n_med}, Low {n_low}; lines with a match {lines_with}",
        mb / best
    );

    let t = Instant::now();
    let whole = scanner.scan(&text).len();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "Scanner::scan whole text at once: {:.0} MiB/s ({whole} matches)",
        mb / secs
    );

    // ripgrep over the same bytes, if installed.
    let rg = Command::new("rg").arg("--version").output();
    if !matches!(rg, Ok(ref o) if o.status.success()) {
        println!("ripgrep not installed: skipping the comparison (apt-get install ripgrep)");
        return;
    }
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ident-bench.log");
    let written = std::fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = written {
        println!("cannot write {}: {e}", path.display());
        return;
    }
    for (label, pattern) in [
        ("digit-shape regex", RG_PATTERN),
        ("bare \\d{6,}", "[0-9]{6,}"),
    ] {
        let mut best = f64::INFINITY;
        let mut count = String::new();
        for _ in 0..3 {
            let t = Instant::now();
            let out = Command::new("rg")
                .args(["--no-config", "-c", "-e", pattern])
                .arg(&path)
                .output();
            let secs = t.elapsed().as_secs_f64();
            best = best.min(secs);
            if let Ok(o) = out {
                count = String::from_utf8_lossy(&o.stdout).trim().to_string();
            }
        }
        println!(
            "rg -c ({label}): {:.0} MiB/s ({best:.3} s best of 3, incl. process start and file read); matching lines {count}",
            mb / best
        );
    }
    let _ = std::fs::remove_file(&path);
}
