//! ## What it does
//! Flags a percentage, proportion or rate whose denominator is known and which therefore gives
//! back a count from 1 to the threshold minus one: the n of `<5 (2.2%)` under a column header
//! `N = 137`, a suppressed count `x` beside its percentage in a table with a total row, a
//! percentage in a column of row percentages beside an `N` column, a percentage-only column under
//! `(N=412)`, or an event rate per 1,000 person-years beside its person-years when the events are
//! suppressed. The count is recovered with the closed forms of rounding intervals:
//! `n ∈ [⌈D·(p−h)/100⌉, ⌊D·(p+h)/100⌋]` with `h` half the last shown digit, and the same for rates
//! per 100, 1,000 or 100,000. A count narrowed to one value below the threshold, or to at most
//! `narrow_max_values` values all below it and narrower than its marker says, fails; narrowed to
//! more values below the threshold is a warning. Percentages that were computed from rounded
//! counts (OpenSAFELY practice: every shown percentage equals the ratio of the shown rounded
//! counts) carry no information about the true counts and are not used; percentages computed from
//! the true counts beside rounded ones (`22.2%` beside midpoint-6 `3` of `9`) are solved exactly
//! over the rounding boxes of count and denominator.
//!
//! Without any shown `N`, the count/percentage pairs of a column (`n (%)` cells, or a count
//! column followed by a percentage column, often under a header that repeats the group name
//! over both) give the column's total: each pair bounds it to `[100·n/(p+h), 100·n/(p−h)]`. The
//! suppressed cells of a section (`[REDACTED]`, `<5`, `x`, a blank) then add up to the total
//! minus the visible cells, and percentages that add up to less than 100 leave an implied
//! residual; both are flagged when that is a count below the threshold and the section's rows
//! are shown to partition the group (another fully visible column or section adds up to its own
//! total). A suppressed count whose own percentage is shown comes back from the derived total.
//! A column of percentages under an `N` row that shows only a bound (`<5`) fails when a single
//! group size within the bound fits the percentages (33.3% and 66.7% of at most 4 people).
//! Means are ratios too: a total (`Total bed-days`) beside the mean of the same thing
//! (`Mean bed-days`) gives back the n behind the mean when it is suppressed or not shown, if the
//! rows that do show n agree; only an n pinned to one value, or to at most `narrow_max_values`
//! values below the threshold, is reported. Group means with the overall mean of the same
//! groups (`Men`, `Women`, `All` rows under `n, Mean age`, or a "Table 1" with groups in columns,
//! an `n` row and `Age, mean (SD)` rows) satisfy `n₁·m₁ + n₂·m₂ + … = N·m` and `n₁ + n₂ + … = N`:
//! with the n column's total suppressed too, or no n column but `N = 124` in the title or a
//! label, they give back a suppressed group size. Every mean is taken anywhere in its rounding
//! interval (half a unit of its last digit), counts rounded to 5 or 10 as their boxes, and all
//! mean columns of the rows together; a size pinned to one value or to at most
//! `narrow_max_values` values below the threshold fails, more values below it is a warning.
//! Means close to the overall mean leave the size open (no finding); one hidden size beside a
//! shown total n is plain subtraction, reported by `back-calculation`. A proportion right after
//! an n column (`n, Proportion died` with `120, 0.025`), or a `Mean of … indicator`, is a share
//! of that n when no common total fits the pairs as count and share; then the n column is its
//! denominator, and 0.025 of 120 is 3 deaths. A relative risk, rate ratio or odds ratio beside
//! each of two groups' events and sizes (`Events exposed, N exposed, Events unexposed, N
//! unexposed, RR`) gives back one group's suppressed events: `RR 0.11` with 20 of 640 unexposed
//! and 600 exposed leaves 2 exposed events.
//!
//! ## Why is this bad?
//! Hiding a count while publishing its percentage and the group size hides nothing: 2.2 % of 137
//! can only be 3 persons. Statistics Denmark's rule names percentages explicitly: it must not be
//! possible to calculate back to a value under 5.
//!
//! ## Example
//! ```text
//! Characteristic,Cases (N = 137)
//! Male,74 (54.0%)
//! Female,<5 (2.2%)    <- percent-back-calculation: 2.2% of N gives the count back
//! ```
//! ```text
//!         North  North  South  South       (no N shown anywhere)
//! Never     212   59.9     88   55.0
//! Former    131   37.0     69   43.1
//! Unknown    11    3.1  [REDACTED] [REDACTED]   <- 88 at 55.0% and 69 at 43.1% make South
//!                                                  160 people: the redacted cell is the rest
//! ```
//! ```text
//! Group,n,Mean age
//! Men,120,45.20
//! Women,x,51.30     <- percent-back-calculation: only one n fits the three means
//! All,x,45.40
//! ```
//! Suppress the percentage together with the count (and the complementary cells), or show it
//! only in bands (`<5%`); suppress enough cells of a column that the rest do not pin its total;
//! suppress or coarsen the mean of a group whose size is hidden.
//!
//! ## Options
//! `[thresholds] min_count`, `zero_is_unsafe`; `[back_calculation] narrow_max_values`; the
//! percent and rate words of `[vocabulary]`. Pairs, sections and sum/mean columns are found from
//! the values and headers; there is nothing else to set.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: no calculating back from
//! percentages to values under 5. OpenSAFELY documentation, releasing files: percentages and
//! rates of redacted counts must be redacted too. Eurostat/ESSnet Guidelines for the checking of
//! output based on microdata research (2015): ratios and percentages.

use crate::finding::{basis, Finding, Severity};
use crate::model::{Table, Value};
use crate::rules::{
    back_calculation::locate, Checks, Context, Rule, TableInput, TableRule, MAX_LISTED_PER_TABLE,
};
use crate::table::structure::{self, CellPos, Shown, Structure};

mod denominators;
mod derived;
mod means;
mod pairs;
mod ratios;
mod shares;
mod vector;
mod verdict;

use denominators::text_n;
use verdict::{judge, judge_with};

pub const RULE: Rule = Rule {
    id: "percent-back-calculation",
    severity: Severity::Error,
    summary: "a percentage, proportion or rate whose known denominator implies a count from 1 to threshold-1",
    source: include_str!("percent_back_calculation.rs"),
    checks: Checks {
        table: Some(&PercentBackCalculation),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct PercentBackCalculation;

impl TableRule for PercentBackCalculation {
    fn check(&self, input: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check(input.table, input.structure(cx), cx, out);
    }
}

/// Findings of this rule for one table: at most [`MAX_LISTED_PER_TABLE`], one per cell.
pub(crate) struct Emit<'a> {
    out: &'a mut Vec<Finding>,
    listed: usize,
    seen: std::collections::BTreeSet<(usize, u32)>,
}

impl Emit<'_> {
    /// Whether a finding was already given for this cell.
    fn has(&self, pos: CellPos) -> bool {
        self.seen.contains(&(pos.row, pos.col))
    }

    fn push(
        &mut self,
        table: &Table,
        pos: CellPos,
        severity: Severity,
        message: String,
        what: &[u8],
    ) {
        if !self.seen.insert((pos.row, pos.col)) || self.listed >= MAX_LISTED_PER_TABLE {
            return;
        }
        self.listed += 1;
        let row = (pos.row as u64).to_le_bytes();
        let col = pos.col.to_le_bytes();
        let mut parts: Vec<&[u8]> = vec![&table.digest, &row, &col];
        if !what.is_empty() {
            parts.push(what);
        }
        self.out.push(Finding::new(
            ID,
            severity,
            message,
            locate(table, pos),
            basis(&parts),
        ));
    }
}

/// The value of a cell, if the table has one there.
fn cell_value(table: &Table, p: CellPos) -> Option<&Value> {
    table.value_at(p.row, p.col)
}

/// The exact count a cell shows.
fn exact_at(table: &Table, p: CellPos) -> Option<i128> {
    match structure::shown(cell_value(table, p)?)? {
        Shown::Exact(v) => Some(v),
        _ => None,
    }
}

/// Run the rule on one table whose structure is known: the pairs of percentages and counts,
/// then ratios derived from other columns, vectors of shares, and means.
pub fn check(table: &Table, s: &Structure, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut emit = Emit {
        out,
        listed: 0,
        seen: Default::default(),
    };
    shares::check(table, s, cx, &mut emit);
    derived::check(table, s, cx, &mut emit);
    vector::check(table, s, cx, &mut emit);
    means::check(table, s, cx, &mut emit);
    means::check_groups(table, s, cx, &mut emit);
    ratios::check(table, s, cx, &mut emit);
}
