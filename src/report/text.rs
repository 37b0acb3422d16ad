//! The text report: each file with its verdict, its findings below it, then the verdict line.

use std::fmt::Write;

use super::Report;
use crate::finding::{Severity, Verdict};

/// Colour or not (only on a terminal, never with `NO_COLOR`; the caller decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Never,
    Always,
}

fn paint(c: Colour, code: &str, s: &str) -> String {
    match c {
        Colour::Never => s.to_string(),
        Colour::Always => format!("\x1b[{code}m{s}\x1b[0m"),
    }
}

fn verdict_code(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "32",
        Verdict::Review => "33",
        Verdict::Fail => "1;31",
    }
}

fn severity_code(s: Severity) -> &'static str {
    match s {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => "36",
    }
}

/// Render the whole report.
pub fn render(report: &Report, colour: Colour) -> String {
    let mut out = String::new();
    for f in &report.files {
        let _ = writeln!(
            out,
            "{}  {} ({})",
            paint(colour, verdict_code(f.verdict), f.verdict.as_str()),
            f.path,
            if f.format.is_empty() { "?" } else { &f.format }
        );
        for x in &f.findings {
            let place = x.location.describe();
            let place = if place.is_empty() {
                String::new()
            } else {
                format!("{place}: ")
            };
            let accepted = match &x.accepted {
                Some(reason) => format!(" [accepted: {reason}]"),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "    {}[{}] {}{}  ({}){}",
                paint(colour, severity_code(x.severity), x.severity.as_str()),
                x.rule,
                place,
                x.message,
                x.id,
                accepted
            );
        }
    }
    if !report.files.is_empty() {
        out.push('\n');
    }
    let line = report.verdict_line();
    let _ = writeln!(
        out,
        "{}",
        paint(colour, verdict_code(report.verdict), &line)
    );
    out
}
