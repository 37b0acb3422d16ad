//! End-to-end tests of the `export-check` binary: exit codes, report formats, the demo folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the binary from the repository root, without colour.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_export-check"))
        .args(args)
        .current_dir(manifest())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON: {e}\n{}", stdout(o)))
}

#[test]
fn demo_text_report() {
    let o = run(&["fixtures/demo/Results"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("demo_text", stdout(&o));
}

#[test]
fn demo_json_report() {
    let o = run(&["--format", "json", "fixtures/demo/Results"]);
    assert_eq!(o.status.code(), Some(1));
    let mut v = json(&o);
    // The version changes with releases and the rules digest with any rules edit; both are
    // checked below, not snapshotted.
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["rules_sha256"].as_str().map(str::len), Some(64));
    v["tool"]["version"] = "<version>".into();
    v["rules_sha256"] = "<sha256>".into();
    insta::assert_json_snapshot!("demo_json", v);
    // The verdict line goes to standard error so that standard output stays JSON.
    assert!(stderr(&o).contains("export-check: fail"), "{}", stderr(&o));
}

#[test]
fn json_report_follows_the_contract() {
    let o = run(&["--format", "json", "fixtures/demo/Results"]);
    let v = json(&o);
    assert_eq!(v["schema"], "export-check.report.v1");
    assert_eq!(v["tool"]["name"], "export-check");
    assert_eq!(v["profile"], "default");
    let files = v["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "files are in sorted order");
    for f in files {
        for key in ["path", "bytes", "sha256", "format", "verdict", "findings"] {
            assert!(f.get(key).is_some(), "file lacks {key}");
        }
        for x in f["findings"].as_array().unwrap() {
            for key in [
                "id", "rule", "severity", "message", "location", "related", "accepted",
            ] {
                assert!(x.get(key).is_some(), "finding lacks {key}");
            }
            for key in ["member", "sheet", "table", "row", "column", "cell", "line"] {
                assert!(x["location"].get(key).is_some(), "location lacks {key}");
            }
            assert_eq!(x["id"].as_str().unwrap().len(), 16);
        }
    }
    let s = &v["summary"];
    assert_eq!(s["files"].as_u64().unwrap() as usize, files.len());
    assert_eq!(
        s["pass"].as_u64().unwrap() + s["review"].as_u64().unwrap() + s["fail"].as_u64().unwrap(),
        files.len() as u64
    );
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let a = run(&["--format", "json", "-j", "1", "fixtures"]);
    let b = run(&["--format", "json", "-j", "4", "fixtures"]);
    let c = run(&["--format", "json", "fixtures"]);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stdout, c.stdout);
}

#[test]
fn exit_0_when_nothing_blocks() {
    let o = run(&["fixtures/cases/small-count/counts_by_year.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("export-check: pass"));
}

#[test]
fn exit_1_on_a_blocking_finding() {
    let o = run(&["fixtures/cases/small-count/nordic_semicolon_small.csv"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn review_exits_0_unless_warnings_are_denied() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".notes.txt"), "Synthetic notes\n").unwrap();
    let p = dir.path().to_str().unwrap();
    let o = run(&[p]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("export-check: review"));
    let o = run(&["--deny-warnings", p]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn exit_2_when_the_check_cannot_run() {
    let missing = run(&["no/such/folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no such file or folder"),
        "{}",
        stderr(&missing)
    );

    let profile = run(&["--profile", "xx", "fixtures/demo/Results"]);
    assert_eq!(profile.status.code(), Some(2));
    assert!(stderr(&profile).contains("unknown profile 'xx'"));

    let no_path = run(&[]);
    assert_eq!(no_path.status.code(), Some(2));

    let bad_threshold = run(&["--threshold", "0", "fixtures/demo/Results"]);
    assert_eq!(bad_threshold.status.code(), Some(2));

    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    fs::write(&rules, "[thresholds]\nmin_count = 7\nmin_cuont = 3\n").unwrap();
    let o = run(&["--rules", rules.to_str().unwrap(), "fixtures/demo/Results"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("rules.toml:3:"), "{e}");
    assert!(e.contains("min_cuont"), "{e}");
    assert!(o.stdout.is_empty());

    let unknown_rule = run(&["--explain", "no-such-rule"]);
    assert_eq!(unknown_rule.status.code(), Some(2));
}

#[test]
fn quiet_prints_only_the_verdict_line() {
    let o = run(&["-q", "fixtures/demo/Results"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("export-check: fail: 7 files"), "{out}");
}

/// Runs the demo with `-f json -o FILE` and `extra` flags: the process output and the report
/// read back from the file.
fn demo_to_file(extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let mut args = extra.to_vec();
    args.extend([
        "-f",
        "json",
        "-o",
        out.to_str().unwrap(),
        "fixtures/demo/Results",
    ]);
    let o = run(&args);
    let v = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    (o, v)
}

#[test]
fn output_file_gets_the_report_and_stderr_the_verdict() {
    let (o, v) = demo_to_file(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("export-check: fail"));
    assert_eq!(v["verdict"], "fail");
}

/// `-q -o FILE`: the report is still written to the file; only the verdict line is printed.
#[test]
fn quiet_with_an_output_file_still_writes_the_report() {
    let (o, v) = demo_to_file(&["-q"]);
    assert_eq!(o.status.code(), Some(1));
    let printed = stdout(&o);
    assert_eq!(printed.lines().count(), 1, "{printed}");
    assert!(printed.starts_with("export-check: fail"), "{printed}");
    assert_eq!(v["verdict"], "fail");
}

#[test]
fn threshold_and_profile_change_the_verdict() {
    // The smallest counts in this table are 6 and 10: they pass at 5 and fail at 11 and under
    // uk's 10.
    let f = "fixtures/cases/small-count/index_column.csv";
    assert_eq!(run(&[f]).status.code(), Some(0));
    assert_eq!(run(&["--threshold", "11", f]).status.code(), Some(1));
    assert_eq!(run(&["--profile", "uk", f]).status.code(), Some(1));
    let o = run(&["--profile", "uk", "--format", "json", f]);
    assert_eq!(json(&o)["profile"], "uk");
}

#[test]
fn list_rules_and_explain() {
    let o = run(&["--list-rules"]);
    assert_eq!(o.status.code(), Some(0));
    // One line per rule of the registry, in its order: id, default severity, summary.
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), export_check::REGISTRY.len(), "{out}");
    for (line, rule) in lines.iter().zip(export_check::REGISTRY) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[0], rule.id, "{line}");
        assert_eq!(words[1], rule.severity.as_str(), "{line}");
        assert!(line.ends_with(rule.summary), "{line}");
    }
    // The ids of the report contract (the table of docs/report.md §4) are never renamed or
    // dropped; new ids may be added without touching this test.
    let contract = std::fs::read_to_string("docs/report.md").expect("docs/report.md");
    let section = &contract[contract.find("## 4. Rule ids").expect("§4")..];
    let documented: Vec<&str> = section
        .lines()
        .take_while(|l| !l.starts_with("## 5"))
        .filter_map(|l| l.strip_prefix("| `")?.split('`').next())
        .collect();
    assert!(documented.len() >= 15, "{documented:?}");
    for id in documented {
        assert!(
            lines
                .iter()
                .any(|l| l.split_whitespace().next() == Some(id)),
            "{id} is gone"
        );
    }
    let o = run(&["--explain", "small-count"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for section in export_check::DOC_SECTIONS {
        assert!(out.contains(section), "{out}");
    }
}

#[test]
fn sarif_and_html_are_refused_clearly_for_now() {
    let o = run(&["--format", "sarif", "fixtures/demo/Results"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not available in this version"));
}

#[test]
fn the_checked_folder_is_not_modified() {
    let before = listing(&manifest().join("fixtures/demo/Results"));
    let _ = run(&["fixtures/demo/Results"]);
    let _ = run(&["-f", "json", "fixtures/demo/Results"]);
    assert_eq!(before, listing(&manifest().join("fixtures/demo/Results")));
}

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}
