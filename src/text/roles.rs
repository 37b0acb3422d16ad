//! What each line of a log is: a command echo, a note, a blank line or printed output.

use std::sync::OnceLock;

use regex::Regex;

/// What a line of a log is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Blank,
    /// A command echo or source line: `. list`, `> head(df)`, `+ more`, `12   data x;`.
    Command,
    /// Housekeeping: `NOTE:`, `WARNING:`, timing lines, `MPRINT(…)`, page headers.
    Note,
    /// Printed output.
    Output,
}

/// Which program wrote the log, as far as its lines tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mode {
    /// A SAS log (NOTE lines): numbered lines are program source.
    pub sas_log: bool,
}

/// The mode of a whole text.
pub fn mode(lines: &[(u32, String)]) -> Mode {
    let sas_log = lines.iter().take(20_000).any(|(_, l)| {
        l.starts_with("NOTE: ")
            || l.starts_with("NOTE ")
            || l.starts_with("ERROR: ")
            || l.starts_with("MPRINT(")
    });
    Mode { sas_log }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| Regex::new("$^").expect("empty")))
}

/// The role of each line; continuation lines of notes and commands follow their first line.
pub fn roles(lines: &[(u32, String)], mode: Mode) -> Vec<Role> {
    static SAS_SOURCE: OnceLock<Regex> = OnceLock::new();
    static TIMING: OnceLock<Regex> = OnceLock::new();
    let sas_source = re(&SAS_SOURCE, r"^\d+(\s+!)?(\s{2,}|\s*$)");
    let timing = re(
        &TIMING,
        r"^\s{2,}(real time|cpu time|user cpu time|system cpu time|memory|OS Memory|Timestamp|Step Count|Switch Count|Page Faults|Page Reclaims|Voluntary Context Switches|Involuntary Context Switches|Block Input Operations|Block Output Operations)\b",
    );
    let mut out = Vec::with_capacity(lines.len());
    let mut prev = Role::Blank;
    for (_, line) in lines {
        let t = line.trim_start();
        let note = is_note(line)
            || timing.is_match(line)
            // Indented continuation lines of a SAS note.
            || (prev == Role::Note
                && line.starts_with("      ")
                && mode.sas_log
                && !line.contains("_N_="));
        let prompt = line.starts_with(". ")
            || line == "."
            || line.starts_with("> ")
            || line == ">"
            || line.starts_with(">>> ")
            || line.starts_with("In [");
        let continued =
            (line.starts_with("+ ") || line.starts_with("... ")) && prev == Role::Command;
        let sas_code = mode.sas_log && sas_source.is_match(t) && !line.contains("_N_=");
        // Numbered lines of a Stata program or loop body (`  2.   gen x = 0`); `list` rows
        // have a `|` after the number.
        let command = prompt || continued || sas_code || stata_program_line(t);
        let role = if t.is_empty() {
            Role::Blank
        } else if note {
            Role::Note
        } else if command {
            Role::Command
        } else {
            Role::Output
        };
        out.push(role);
        if role != Role::Blank {
            prev = role;
        }
    }
    out
}

fn stata_program_line(t: &str) -> bool {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 6 {
        return false;
    }
    let rest = &t[digits..];
    let Some(rest) = rest.strip_prefix('.') else {
        return false;
    };
    (rest.is_empty() || rest.starts_with(' ')) && !rest.trim_start().starts_with('|')
}

fn is_note(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "NOTE:",
        "NOTE ",
        "WARNING:",
        "WARNING ",
        "ERROR:",
        "ERROR ",
        "INFO:",
        "MPRINT(",
        "MLOGIC(",
        "SYMBOLGEN:",
        "MACROGEN(",
        "MAUTOCOMPLOC:",
        "Signif. codes:",
        "(Intercept)",
        "Warning message",
        "Warning:",
        "Error:",
        "Error in ",
        "Loading required package",
        "Attaching package",
        "Time difference of",
        "r; t=",
    ];
    PREFIXES.iter().any(|p| line.starts_with(p))
}
