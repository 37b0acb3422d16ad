//! What an output checker that ran before this tool said of a file (ACRO's summary and risk
//! grid in a workbook it finalised), as findings of the rule whose check it names:
//! `small-count` for ACRO's threshold, `extreme-values` for its dominance rules and the negative
//! or missing values they cannot judge, `group-disclosure` for all values the same. A cell its
//! grid flags that shows a value is an error (the flag was not acted on); an output its summary
//! sends to review is a warning (ACRO did not clear it, so neither does this tool); a failed
//! output whose grid cannot be matched to its values is a warning.

use crate::finding::{Finding, Severity};
use crate::model::{FactKind, PriorCheck, PriorSaid};
use crate::rules::FileFacts;

/// The findings of rule `rule` from what earlier checkers said in `file`.
pub fn findings(rule: &'static str, file: &FileFacts<'_>, out: &mut Vec<Finding>) {
    for fact in file.facts {
        let FactKind::PriorChecker { tool, said } = &fact.kind else {
            continue;
        };
        let (check, severity, message) = describe(tool, said);
        if check.rule() != rule {
            continue;
        }
        // A shown cell that the rule's own check already flags is said once.
        let flagged_already = |f: &Finding| {
            f.rule == rule
                && f.severity == Severity::Error
                && (&f.location.member, &f.location.sheet, &f.location.cell)
                    == (
                        &fact.location.member,
                        &fact.location.sheet,
                        &fact.location.cell,
                    )
        };
        if matches!(said, PriorSaid::Shown(_)) && file.findings.iter().any(flagged_already) {
            continue;
        }
        let part = format!("{tool} {said:?} {}", fact.location.describe());
        out.push(Finding::new(
            rule,
            severity,
            message,
            fact.location.clone(),
            file.content_basis_of(part.as_bytes()),
        ));
    }
}

/// The check, severity and message of what a checker said.
pub fn describe(tool: &str, said: &PriorSaid) -> (PriorCheck, Severity, String) {
    match *said {
        PriorSaid::Shown(check) => (
            check,
            Severity::Error,
            format!(
                "{tool}'s risk grid flags this cell ({}) and it shows a value: it was not suppressed",
                check.describe()
            ),
        ),
        PriorSaid::Review(check) => (
            check,
            Severity::Warning,
            format!(
                "{tool}'s summary of this output asks for review ({}): {tool} did not clear it, so a person must check its values",
                check.describe()
            ),
        ),
        PriorSaid::Unmatched(check) => (
            check,
            Severity::Warning,
            format!(
                "{tool}'s risk grid flags cells of this output ({}), and it does not match the values cell by cell: whether the flagged cells were suppressed cannot be told",
                check.describe()
            ),
        ),
        PriorSaid::FlaggedCell { check, .. } => (
            check,
            Severity::Error,
            format!(
                "{tool}'s risk grid flags this cell ({}) and it shows a value: it was not suppressed",
                check.describe()
            ),
        ),
        PriorSaid::Fails(check) => (
            check,
            Severity::Warning,
            format!(
                "{tool}'s summary says this output fails ({}) and does not say that the cells were suppressed: a person must check that they are",
                check.describe()
            ),
        ),
    }
}
