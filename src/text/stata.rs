//! What a Stata log's commands say about the data in memory: after `collapse`, `contract` or
//! `statsby` it holds one row per group (aggregates), until a command loads other data (`use`,
//! `import`, `restore`, `clear` …). A `list` of aggregates is a table, not a listing of
//! observations.
//!
//! Command names are Stata's syntax, not vocabulary: its abbreviations (`u` for `use`, `l` for
//! `list`) and prefixes (`quietly`, `capture`, `by …:`) are fixed by the language.

use super::roles::Role;

/// Commands that replace the data in memory with one row per group.
const AGGREGATING: &[&str] = &["collapse", "contract", "statsby"];

/// Commands that replace the data in memory with other data (or none); Stata's shortest
/// abbreviations included.
const LOADING: &[&str] = &[
    "use", "u", "us", "sysuse", "webuse", "import", "insheet", "infile", "infix", "input", "inp",
    "inpu", "restore", "clear", "odbc", "cwf",
];

/// Prefixes that run the command after them.
const PREFIXES: &[&str] = &[
    "quietly", "qui", "quiet", "quietl", "qu", "noisily", "noi", "nois", "noisi", "noisil",
    "capture", "cap", "capt", "captu", "captur",
];

/// The first word of a Stata command echo (`. quietly by id: list in 1` → `list`), lower-cased,
/// with the rest of the command; `None` for a line that is no Stata command echo.
pub(crate) fn command_word(line: &str) -> Option<(String, &str)> {
    let mut rest = line.strip_prefix(". ")?.trim_start();
    loop {
        let (word, after) = split_word(rest);
        let lower = word.to_ascii_lowercase();
        if PREFIXES.contains(&lower.as_str()) {
            rest = after.trim_start_matches(':').trim_start();
            continue;
        }
        // `by id:`, `bysort id (date):`, `frame f:` run the command after the colon.
        if ["by", "bys", "byso", "bysor", "bysort", "frame"].contains(&lower.as_str()) {
            if let Some(k) = after.find(':') {
                rest = after[k + 1..].trim_start();
                continue;
            }
        }
        if lower.is_empty() {
            return None;
        }
        return Some((lower, after));
    }
}

fn split_word(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| c.is_whitespace() || c == ',' || c == ':')
        .unwrap_or(s.len());
    (&s[..end], &s[end..])
}

/// Where the data in memory are aggregates, from the commands of a log.
#[derive(Debug, Clone, Default)]
pub struct DataState {
    /// Line numbers where the state changes, with the state from there on.
    changes: Vec<(u32, bool)>,
}

impl DataState {
    /// The state along the command lines of `lines` (roles from [`super::roles`]).
    pub fn new(lines: &[(u32, String)], roles: &[Role]) -> DataState {
        let mut changes = Vec::new();
        let mut current = false;
        for ((no, line), role) in lines.iter().zip(roles) {
            if *role != Role::Command {
                continue;
            }
            let Some((word, rest)) = command_word(line) else {
                continue;
            };
            let next = if AGGREGATING.contains(&word.as_str()) {
                true
            } else if LOADING.contains(&word.as_str())
                || ((word == "frame" || word == "frames")
                    && rest.trim_start().starts_with("change"))
                || (word == "drop" && rest.trim_start().starts_with("_all"))
            {
                false
            } else {
                continue;
            };
            if next != current {
                changes.push((*no, next));
                current = next;
            }
        }
        DataState { changes }
    }

    /// Whether the data in memory at line `line` are aggregates.
    pub fn aggregated_at(&self, line: u32) -> bool {
        let k = self.changes.partition_point(|(no, _)| *no < line);
        k > 0 && self.changes[k - 1].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::numbered;
    use crate::text::{mode, roles};

    #[test]
    fn command_words_through_prefixes() {
        assert_eq!(command_word(". l in 1").map(|c| c.0), Some("l".into()));
        assert_eq!(
            command_word(". quietly bysort region: list id age").map(|c| c.0),
            Some("list".into())
        );
        assert_eq!(
            command_word(". cap noi collapse (sum) n, by(a)").map(|c| c.0),
            Some("collapse".into())
        );
        assert_eq!(command_word("  1. | x |"), None);
    }

    #[test]
    fn collapse_until_restore() {
        let lines = numbered(
            ". use cohort\n. preserve\n. collapse (count) n=id, by(region)\n. list\n. restore\n. list in 1\n",
        );
        let r = roles(&lines, mode(&lines));
        let s = DataState::new(&lines, &r);
        assert!(!s.aggregated_at(2));
        assert!(s.aggregated_at(4));
        assert!(!s.aggregated_at(6));
    }
}
