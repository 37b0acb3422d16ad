//! ## What it does
//! Finds the totals, sub-totals and other sums of a table (total rows and columns named
//! `Total`, `I alt`, `Yhteensä`, `Totalt`, `Insgesamt` …, sums found by the numbers alone,
//! indented or coded sub-groups, age bands that tile a wider band, `Total` categories of a long
//! table, "Table 1" blocks under a header `N = …`), confirms each numerically, and then audits
//! the table as a linear system: published counts are constants, suppressed cells (`<5`, `x`,
//! `[REDACTED]`, the n of `<5 (2.2%)`) are unknowns with the bounds their markers give, and
//! rounded cells are boxes of the true values behind them. It flags a suppressed cell that can be
//! calculated back exactly to a value from 1 to the threshold minus one (B1), suppressed cells
//! whose sum is known exactly and small (B2, the Danish group-sum rule, which covers an implied
//! "missing" category of a Table 1 block), and a cell narrowed to at most `narrow_max_values`
//! values, all below the threshold (B3). It warns about cells narrowed below the threshold to
//! more values (B3w), suppressions that hide nothing (B5), lines with only two primary
//! suppressions (B6), relations that cannot all hold (S3) and labelled totals that do not add up
//! (S1). Steps of a cumulative series (the number at risk of a survival table, cumulative
//! counts) are derived counts: a step from 1 to the threshold minus one is flagged too. The
//! tables Stata's `by` prefix prints per group (`-> agegroup = 85+`) are one table printed in
//! pieces: where their cells add up to the table of the whole sample printed earlier in the same
//! log (confirmed on the cells all groups show), a group's hidden cell that the whole sample
//! minus the other groups gives back is flagged the same way; so is a redacted row of one of two
//! tables of a file that partition the same cases by different variables with the same count
//! columns, whose totals agree (`docs/tables.md` §3.12). A table
//! with no totals or sub-totals gets one info finding saying its cells were treated
//! as independent. Messages say how a cell can be recovered, never the value.
//!
//! ## Why is this bad?
//! Suppressing a small cell protects nobody when the row total minus the visible cells gives it
//! back. Statistics Denmark's rule is explicit: it must not be possible to calculate back to a
//! value under 5, from totals, sums, percentages or other tables. Secondary suppression (at least
//! two hidden cells in every line, with sums that are not small) is what makes primary
//! suppression work.
//!
//! ## Example
//! ```text
//! Age band,Heart disease,Population
//! 21-30,[REDACTED],[REDACTED]   <- back-calculation: recovered exactly from row 'Total'
//! 31-40,10,100
//! 41-50,15,90
//! 51+,25,85
//! Total,51,276
//! ```
//! Suppress further cells in every line (at least two per row and column, whose sum is not
//! small), suppress or round the totals, or merge categories.
//!
//! ## Options
//! `[thresholds] min_count` and `zero_is_unsafe`; `[back_calculation] narrow_max_values`
//! (default 2), `max_unknowns` (default 5000: larger tables are not audited and a warning
//! says so) and `recovered_zero_fails` (default false: a suppressed cell, a marker or a
//! blank among counts, that can be calculated back exactly as 0 is a warning; the `uk` profile
//! makes it an error, as ACRO and SACRO suppress zeros as disclosive); the total words in
//! `[vocabulary] total`.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: no back-calculation to values under
//! 5. Hundepool et al., Handbook on Statistical Disclosure Control (2024), ch. 5 (frequency
//! tables: disclosure by differencing and from margins; rounding). τ-ARGUS manual §2.15 (audit).
//! OpenSAFELY documentation, releasing files: primary and secondary disclosure.

/// Structure detection stopped at its budget of cell reads (a very large table with many
/// totals): the relations it found are audited, others may be missing, so a person must check.
fn incomplete(table: &Table, s: &Structure, out: &mut Vec<Finding>) {
    if s.incomplete {
        out.push(Finding::new(
            ID,
            Severity::Warning,
            "the table is too large to look for all its totals and sub-totals; the ones found were audited, others may be missing: a person must check it for back-calculation".to_string(),
            table.location(),
            crate::finding::basis(&[&table.digest, b"structure-incomplete"]),
        ));
    }
}

mod at_risk;
mod by_groups;
mod notes;
mod partitions;
mod place;
mod report;
mod system;

use crate::audit::audit;
use crate::finding::{Finding, Severity};
use crate::model::Table;
use crate::rules::{Checks, Context, Rule, TableInput, TableRule};
use crate::table::structure::Structure;

pub(crate) use place::locate;

pub const RULE: Rule = Rule {
    id: "back-calculation",
    severity: Severity::Error,
    summary: "a suppressed or small cell that can be recovered, exactly or within a too-narrow interval, from totals, subtotals or other cells of the same table",
    source: include_str!("back_calculation.rs"),
    checks: Checks {
        table: Some(&BackCalculation),
        folder: Some(&by_groups::ByGroups),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct BackCalculation;

impl TableRule for BackCalculation {
    fn check(&self, input: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check(input.table, input.structure(cx), cx, out);
    }
}

/// What the rule did with a table: every table ends in one of these, and each that was not
/// audited carries a finding that says why (`Unaudited`), so no table passes unexamined. The
/// fail-closed walk over every fixture (`crate::fail_closed_tests`) holds the rule to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Fewer than two rows or columns of counts, or no counts at all: no relation can hold
    /// between its cells, so none can give one back (`small-count` reads each cell).
    NothingToRelate,
    /// Relations found, and no cell hidden or small: nothing to recover.
    NothingHidden,
    /// The system of its relations was audited.
    Audited,
    /// Not audited, and a finding of this rule on the table says why: no totals found (info),
    /// only totals that do not add up (S1), too many unknowns.
    Unaudited,
}

/// Run the rule on one table whose structure is known: its cumulative series, what the structure
/// says before the audit, then the audit of its system.
pub fn check(table: &Table, s: &Structure, cx: &Context<'_>, out: &mut Vec<Finding>) -> Outcome {
    at_risk::check(table, cx, out);
    let t = i128::from(cx.rules.thresholds.min_count);
    notes::streamed(table, out);
    incomplete(table, s, out);
    notes::mismatches(table, s, out);
    notes::unsettled(table, s, out);
    if s.is_empty() {
        return match notes::no_structure(table, s, out) {
            true => Outcome::Unaudited,
            false if !s.mismatches.is_empty() => Outcome::Unaudited,
            false => Outcome::NothingToRelate,
        };
    }
    notes::excluded_suppressed(table, s, out);
    let built = system::build(table, s, t);
    let unknowns = built.sys.unknowns().len();
    if unknowns == 0 {
        return Outcome::NothingHidden;
    }
    let max = cx.rules.back_calculation.max_unknowns;
    if unknowns > max as usize {
        notes::too_large(table, unknowns, max, out);
        return Outcome::Unaudited;
    }
    let cfg = cx.audit_config();
    let res = audit(&built.sys, &cfg);
    let mut report = report::Report::new(table, s, &built, &cfg);
    for v in &res.verdicts {
        report.verdict(v, out);
    }
    if !cx.rules.thresholds.zero_is_unsafe {
        report.recovered_zeros(&res.intervals, cx, out);
    }
    report.finish(out);
    Outcome::Audited
}
