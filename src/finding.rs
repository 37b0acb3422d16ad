//! Findings: what a rule says about a place in a file, and the verdicts derived from them.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::digest::hex;
use crate::model::Location;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks export.
    Error,
    /// A person must review it.
    Warning,
    /// For the record.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A file's or the report's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Review,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Review => "review",
            Verdict::Fail => "fail",
        }
    }

    /// The verdict of a set of findings: `fail` with an error, `review` with a warning, else
    /// `pass`. Accepted findings do not count.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Verdict {
        let mut v = Verdict::Pass;
        for f in findings {
            if f.accepted.is_some() {
                continue;
            }
            let this = match f.severity {
                Severity::Error => Verdict::Fail,
                Severity::Warning => Verdict::Review,
                Severity::Info => Verdict::Pass,
            };
            v = v.max(this);
        }
        v
    }
}

/// One finding. `message` locates and classifies; it never repeats an identifier, a small count
/// or a micro-data row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: String,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    pub related: Vec<String>,
    pub accepted: Option<String>,
    /// What the finding is about, as a digest of content that is never published (the table or
    /// text it was found in, and the place). Feeds the fingerprint; not serialised.
    #[serde(skip)]
    pub basis: [u8; 32],
}

impl Finding {
    /// A finding; `basis` is a digest of the content it is about (see [`basis`]).
    pub fn new(
        rule: &'static str,
        severity: Severity,
        message: impl Into<String>,
        location: Location,
        basis: [u8; 32],
    ) -> Self {
        Finding {
            id: String::new(),
            rule,
            severity,
            message: message.into(),
            location,
            related: Vec::new(),
            accepted: None,
            basis,
        }
    }

    /// Fill in the fingerprint from the rule, the file's path, the location and the basis.
    pub fn fingerprint(&mut self, path: &str) {
        let mut h = Sha256::new();
        h.update(b"export-check finding v1\0");
        h.update(self.rule.as_bytes());
        h.update([0]);
        h.update(path.as_bytes());
        h.update([0]);
        let l = &self.location;
        for part in [&l.member, &l.sheet, &l.cell] {
            h.update(part.as_deref().unwrap_or("").as_bytes());
            h.update([0]);
        }
        for n in [l.table, l.row, l.column, l.line] {
            h.update(n.unwrap_or(0).to_le_bytes());
        }
        for r in &self.related {
            h.update(r.as_bytes());
            h.update([0]);
        }
        h.update(self.basis);
        self.id = hex(&h.finalize()[..8]);
    }
}

/// A digest of content a finding is about. The content is hashed with a domain prefix so that
/// the digest is not the file's published sha256 and cannot be checked against guesses without
/// the whole content.
pub fn basis(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"export-check basis v1\0");
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(sev: Severity) -> Finding {
        Finding::new("small-count", sev, "m", Location::line(3), basis(&[b"x"]))
    }

    #[test]
    fn verdicts_take_the_worst_unaccepted_finding() {
        assert_eq!(Verdict::of(&[]), Verdict::Pass);
        assert_eq!(Verdict::of(&[f(Severity::Info)]), Verdict::Pass);
        assert_eq!(
            Verdict::of(&[f(Severity::Info), f(Severity::Warning)]),
            Verdict::Review
        );
        assert_eq!(
            Verdict::of(&[f(Severity::Error), f(Severity::Warning)]),
            Verdict::Fail
        );
        let mut accepted = f(Severity::Error);
        accepted.accepted = Some("reviewed".into());
        assert_eq!(Verdict::of(&[accepted]), Verdict::Pass);
    }

    #[test]
    fn fingerprints_are_stable_and_depend_on_place_and_content() {
        let mut a = f(Severity::Error);
        a.fingerprint("t.csv");
        let mut b = f(Severity::Error);
        b.fingerprint("t.csv");
        assert_eq!(a.id, b.id);
        assert_eq!(a.id.len(), 16);
        let mut c = f(Severity::Error);
        c.fingerprint("u.csv");
        assert_ne!(a.id, c.id);
        let mut d = Finding::new(
            "small-count",
            Severity::Error,
            "m",
            Location::line(3),
            basis(&[b"y"]),
        );
        d.fingerprint("t.csv");
        assert_ne!(a.id, d.id);
    }
}
