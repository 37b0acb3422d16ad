//! The finished report and its renderers. Renderers print; they decide nothing.

use std::path::Path;

use serde::Serialize;

use crate::config::Rules;
use crate::finding::{Finding, Severity, Verdict};

pub mod json;
pub mod text;

pub const SCHEMA: &str = "export-check.report.v1";

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub pass: usize,
    pub review: usize,
    pub fail: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// One file's part of the report.
#[derive(Debug, Serialize)]
pub struct FileReport {
    /// Relative to the checked folder, `/` separators.
    pub path: String,
    pub bytes: u64,
    /// `null` for entries that are not regular files or could not be read.
    pub sha256: Option<String>,
    pub format: String,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
}

/// The report of one run.
#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub tool: Tool,
    pub root: String,
    pub profile: String,
    pub rules_sha256: String,
    pub verdict: Verdict,
    pub summary: Summary,
    pub files: Vec<FileReport>,
}

impl Report {
    pub fn new(root: &Path, rules: &Rules, files: Vec<FileReport>) -> Report {
        let mut report = Report {
            schema: SCHEMA,
            tool: Tool {
                name: "export-check",
                version: env!("CARGO_PKG_VERSION"),
            },
            root: root.display().to_string(),
            profile: rules.profile.name.clone(),
            rules_sha256: rules.sha256(),
            verdict: Verdict::Pass,
            summary: Summary::default(),
            files,
        };
        report.refresh();
        report
    }

    /// Recompute file verdicts, the summary and the verdict from the findings (after exceptions
    /// change what counts).
    pub fn refresh(&mut self) {
        let mut s = Summary::default();
        for f in &mut self.files {
            f.verdict = Verdict::of(&f.findings);
            s.files += 1;
            match f.verdict {
                Verdict::Pass => s.pass += 1,
                Verdict::Review => s.review += 1,
                Verdict::Fail => s.fail += 1,
            }
            for x in f.findings.iter().filter(|x| x.accepted.is_none()) {
                match x.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => {}
                }
            }
        }
        self.verdict = self
            .files
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Pass);
        self.summary = s;
    }

    /// The one-line verdict: `export-check: fail: 3 files (1 pass, 1 review, 1 fail); 2 errors, 1 warning`.
    pub fn verdict_line(&self) -> String {
        let s = &self.summary;
        format!(
            "export-check: {}: {} {} ({} pass, {} review, {} fail); {} {}, {} {}; profile {}",
            self.verdict.as_str(),
            s.files,
            plural(s.files, "file", "files"),
            s.pass,
            s.review,
            s.fail,
            s.errors,
            plural(s.errors, "error", "errors"),
            s.warnings,
            plural(s.warnings, "warning", "warnings"),
            self.profile
        )
    }

    /// The process exit code: 1 when something blocks export (or needs review, with
    /// `deny_warnings`), else 0.
    pub fn exit_code(&self, deny_warnings: bool) -> i32 {
        match self.verdict {
            Verdict::Fail => 1,
            Verdict::Review if deny_warnings => 1,
            _ => 0,
        }
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
