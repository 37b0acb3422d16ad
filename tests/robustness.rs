//! Bad input never panics and is never passed in silence: large files stream, undecodable text
//! and special files are findings, links are not followed.

use std::fs;
use std::path::Path;

use export_check::config::Rules;
use export_check::finding::{Severity, Verdict};
use export_check::report::Report;
use export_check::{check, Options};

fn run(dir: &Path, options: &Options) -> Report {
    check(dir, &Rules::default_rules(), options).expect("check runs")
}

fn rules_of(r: &Report, path: &str) -> Vec<String> {
    r.files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} missing from the report"))
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| f.rule.to_string())
        .collect()
}

#[test]
fn a_streamed_large_table_gives_the_same_findings_as_one_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Region;Antal;Andel (%)\n");
    for i in 0..3000 {
        // Every 500th row holds a small count.
        let n = if i % 500 == 499 { 2 } else { 100 + i % 50 };
        text.push_str(&format!("R{i};{n};{},{}\n", i % 30, i % 10));
    }
    fs::write(dir.path().join("big.csv"), &text).unwrap();
    let whole = run(dir.path(), &Options::default());
    let streamed = run(
        dir.path(),
        &Options {
            large_file_bytes: 1024,
            ..Options::default()
        },
    );
    let cells = |r: &Report| -> Vec<Option<String>> {
        // Info findings (what the back-calculation audit could see) may differ.
        r.files[0]
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| f.location.cell.clone())
            .collect()
    };
    assert_eq!(cells(&whole).len(), 6);
    assert_eq!(cells(&whole), cells(&streamed));
    assert_eq!(whole.files[0].sha256, streamed.files[0].sha256);
}

#[test]
fn a_huge_number_of_small_cells_is_listed_up_to_a_bound() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Group,n\n");
    for i in 0..400 {
        text.push_str(&format!("G{i},{}\n", 1 + i % 4));
    }
    fs::write(dir.path().join("many.csv"), &text).unwrap();
    for large in [1024, u64::MAX] {
        let r = run(
            dir.path(),
            &Options {
                large_file_bytes: large,
                ..Options::default()
            },
        );
        let f: Vec<_> = r.files[0]
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .collect();
        assert_eq!(f.len(), 51, "50 listed and one that counts the rest");
        assert!(
            f.iter()
                .any(|x| x.message.starts_with("350 more counts below 5")),
            "{f:?}"
        );
    }
}

#[test]
fn empty_files_and_empty_folders_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.csv"), b"").unwrap();
    fs::create_dir(dir.path().join("nothing")).unwrap();
    let r = run(dir.path(), &Options::default());
    assert_eq!(r.files.len(), 1);
    assert_eq!(r.verdict, Verdict::Pass);
}

#[cfg(unix)]
#[test]
fn links_loops_and_fifos_are_findings_and_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("sub")).unwrap();
    fs::write(root.join("sub/t.csv"), "Region,Antal\nNord,120\n").unwrap();
    std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", root.join("outside.txt")).unwrap();
    let fifo = root.join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let r = run(root, &Options::default());
    assert_eq!(rules_of(&r, "sub/loop"), vec!["file-type"]);
    assert_eq!(rules_of(&r, "outside.txt"), vec!["file-type"]);
    assert!(rules_of(&r, "sub/t.csv").is_empty());
    if made {
        assert_eq!(rules_of(&r, "pipe"), vec!["file-type"]);
    }
    assert_eq!(r.verdict, Verdict::Fail);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_finding_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.csv");
    fs::write(&secret, "a,b\n1,2\n").unwrap();
    fs::write(dir.path().join("ok.csv"), "Region,Antal\nNord,120\n").unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::File::open(&secret).is_ok() {
        // Running as root: permissions do not stop reads, nothing to test here.
        return;
    }
    let r = run(dir.path(), &Options::default());
    assert_eq!(rules_of(&r, "secret.csv"), vec!["unreadable"]);
    assert!(rules_of(&r, "ok.csv").is_empty());
}

#[test]
fn random_bytes_under_text_names_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..40 {
        let len = 1 + (i * 97) % 3000;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Mostly printable, with delimiters, quotes and some high bytes.
                let b = (x % 100) as u8;
                match b {
                    0..=9 => b'0' + b,
                    10..=14 => b';',
                    15..=18 => b',',
                    19..=21 => b'"',
                    22..=24 => b'\n',
                    25..=27 => 0xc3,
                    28 => 0x00,
                    _ => b'a' + (b % 26),
                }
            })
            .collect();
        fs::write(dir.path().join(format!("f{i:02}.csv")), bytes).unwrap();
    }
    let r = run(dir.path(), &Options::default());
    assert_eq!(r.files.len(), 40);
}

#[test]
fn a_streamed_large_text_is_scanned_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let cpr = export_check::ident::generate::cpr(7);
    let mut text = String::new();
    for i in 1..=120_000u32 {
        if i == 100_003 {
            text.push_str(&format!("Patient CPR {cpr} was excluded.\n"));
        } else {
            text.push_str("This run used the synthetic cohort definition.\n");
        }
    }
    fs::write(dir.path().join("notes.txt"), &text).unwrap();
    for large in [1024, u64::MAX] {
        let r = run(
            dir.path(),
            &Options {
                large_file_bytes: large,
                ..Options::default()
            },
        );
        let f: Vec<(&str, Option<u32>)> = r.files[0]
            .findings
            .iter()
            .map(|x| (x.rule, x.location.line))
            .collect();
        assert_eq!(
            f,
            vec![("person-id", Some(100_003))],
            "large_file_bytes {large}"
        );
    }
}
