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
//! denominator, and 0.025 of 120 is 3 deaths.
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

use crate::audit::percent::{ratio_implied_count, ratio_in_boxes};
use crate::audit::Shown as Ratio;
use crate::finding::{basis, Finding, Severity};
use crate::model::{Kind, Row, Table, Value};
use crate::redact::group_sizes;
use crate::rules::{
    back_calculation::locate, Checks, Context, Rule, TableInput, TableRule, MAX_LISTED_PER_TABLE,
};
use crate::table::classify::{tokens, Lexicon};
use crate::table::structure::{self, CellPos, Shown, Structure};

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

mod derived;
mod means;
mod vector;

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

/// Where a denominator comes from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DenSource {
    ColumnHeader,
    TitleOrNote,
    RowLabel,
    NColumn,
    TotalRow,
    TotalColumn,
    PersonTime,
}

impl DenSource {
    fn text(self) -> &'static str {
        match self {
            DenSource::ColumnHeader => "the group size N in the column header",
            DenSource::TitleOrNote => "the group size N in the table's title or note",
            DenSource::RowLabel => "the group size N in the row label",
            DenSource::NColumn => "the N column of the same row",
            DenSource::TotalRow => "the total row",
            DenSource::TotalColumn => "the total column of the same row",
            DenSource::PersonTime => "the person-time or population column of the same row",
        }
    }
}

/// A ratio shown in a cell: value, decimals, scale (100 for %, 1 for a proportion).
#[derive(Clone, Copy, Debug)]
struct Shown2 {
    value: f64,
    decimals: u8,
}

fn cell_value(table: &Table, p: CellPos) -> Option<&Value> {
    table.value_at(p.row, p.col)
}

fn exact_at(table: &Table, p: CellPos) -> Option<i128> {
    match structure::shown(cell_value(table, p)?)? {
        Shown::Exact(v) => Some(v),
        _ => None,
    }
}

/// The scale of a rate column from its header: `per 1,000`, `per 100 000`, `/1000`, `pr. 1000`.
fn rate_scale(header: &str) -> Option<i128> {
    let low = header.to_lowercase();
    let at = ["per ", "pr. ", "pr ", "/"]
        .iter()
        .filter_map(|k| low.find(k).map(|i| i + k.len()))
        .min()?;
    let digits: String = low[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ' ' | ',' | '.' | '\u{a0}'))
        .filter(char::is_ascii_digit)
        .collect();
    let v: i128 = digits.parse().ok()?;
    matches!(v, 100 | 1_000 | 10_000 | 100_000 | 1_000_000).then_some(v)
}

fn is_person_time(header: &str) -> bool {
    let toks = tokens(header);
    let joined = toks.join(" ");
    [
        "person years",
        "person time",
        "py",
        "pyrs",
        "pyar",
        "personyears",
        "population",
        "pop",
        "personår",
        "personeår",
        "persontid",
        "risikotid",
        "henkilövuodet",
        "henkilövuosia",
        "personenjahre",
        "persoonsjaren",
        "personnes-années",
        "person-years",
        "years at risk",
        "befolkning",
        "väestö",
    ]
    .iter()
    .any(|w| {
        // The words go through the same folding as the header (`å` → `aa`, `ö` → `o`).
        let w = tokens(w).join(" ");
        joined == w
            || joined.contains(&format!("{w} "))
            || joined.ends_with(&format!(" {w}"))
            || toks.contains(&w)
    })
}

fn is_n_column(header: &str) -> bool {
    let toks = tokens(header);
    matches!(toks.as_slice(), [t] if ["n", "total", "denominator", "nævner", "naevner", "nevner", "nämnare", "namnare", "nimittäjä", "nimittaja", "antal", "antall", "aantal", "anzahl", "effectif", "effectifs", "lukumäärä", "lukumaara", "count", "number"].contains(&t.as_str()))
}

/// The group size of a whole table: one `N = …` in its title or notes (none, or two
/// different ones, say nothing).
fn text_n(table: &Table) -> Option<i128> {
    let sizes: Vec<i64> = table
        .title
        .iter()
        .chain(table.notes.iter())
        .flat_map(|t| group_sizes(t).collect::<Vec<_>>())
        .collect();
    match sizes.as_slice() {
        [n] => Some(i128::from(*n)),
        _ => None,
    }
}

struct Verdictish {
    severity: Severity,
    code: &'static str,
    what: String,
}

/// Compare the implied interval with the cell's nominal box.
fn judge(
    implied: (i128, i128),
    nominal: (i128, Option<i128>),
    t: i128,
    narrow: i128,
    zero_unsafe: bool,
) -> Option<Verdictish> {
    judge_with(implied, nominal, t, narrow, zero_unsafe, false)
}

/// [`judge`] for a count a published percentage or rate gives back directly: when nothing said
/// the count was small (`open_is_small`), learning that every possible value is from 1 to the
/// threshold minus one is a small count, however many values remain (an error, B3).
fn judge_with(
    implied: (i128, i128),
    nominal: (i128, Option<i128>),
    t: i128,
    narrow: i128,
    zero_unsafe: bool,
    open_is_small: bool,
) -> Option<Verdictish> {
    let lo = implied.0.max(nominal.0);
    let hi = nominal.1.map_or(implied.1, |h| h.min(implied.1));
    if lo > hi {
        return None;
    }
    if lo == hi {
        let x = lo;
        if (x > 0 && x < t) || (x == 0 && zero_unsafe) {
            return Some(Verdictish {
                severity: Severity::Error,
                code: "B1",
                what: format!("gives back exactly a count below {t}"),
            });
        }
        return None;
    }
    let narrowed = lo > nominal.0 || nominal.1.is_none_or(|h| hi < h);
    if hi < t && narrowed && lo >= 1 {
        let was_open = open_is_small && nominal.1.is_none_or(|h| h >= t);
        if hi - lo < narrow || was_open {
            return Some(Verdictish {
                severity: Severity::Error,
                code: "B3",
                what: if hi - lo < narrow {
                    format!(
                        "gives back the count to at most {narrow} possible values, all below {t}"
                    )
                } else {
                    format!("gives back a count below {t}, whatever its exact value")
                },
            });
        }
        return Some(Verdictish {
            severity: Severity::Warning,
            code: "B3w",
            what: format!("narrows the count to values all below {t}"),
        });
    }
    None
}

/// Counts and shares of an `n (%)` column or a percent column paired with a count column.
struct Pair {
    /// Percent cells' column.
    pct_col: u32,
    /// The count column beside it (same column for `n (%)` cells).
    count_col: Option<u32>,
    /// 100 for percentages, 1 for proportions, the rate's scale for rates.
    scale: i128,
    rate: bool,
}

fn share_of(v: &Value) -> Option<Shown2> {
    match v {
        Value::CountShare { share, .. } => Some(Shown2 {
            value: share.value,
            decimals: share.decimals,
        }),
        Value::Number(n) => Some(Shown2 {
            value: n.value,
            decimals: n.decimals,
        }),
        _ => None,
    }
}

fn find_pairs(table: &Table, s: &Structure, lexicon: &Lexicon) -> Vec<Pair> {
    let mut out = Vec::new();
    for c in &table.columns {
        // n (%) columns.
        let shares = table
            .rows
            .iter()
            .filter(|r| {
                matches!(
                    r.cells.iter().find(|x| x.col == c.col).map(|x| &x.value),
                    Some(Value::CountShare { .. })
                )
            })
            .count();
        if shares > 0 {
            out.push(Pair {
                pct_col: c.col,
                count_col: Some(c.col),
                scale: 100,
                rate: false,
            });
            continue;
        }
        // A `%` in the header marks percentages unless its words name an estimate (`95% CI`).
        let percent_like = c.kind == Kind::Percent
            || (c.name.contains('%')
                && matches!(c.kind, Kind::Estimate | Kind::Unknown | Kind::Count)
                && matches!(
                    lexicon.header_kind(&c.name),
                    None | Some(Kind::Percent) | Some(Kind::Count) | Some(Kind::Label)
                ));
        let kind = if percent_like { Kind::Percent } else { c.kind };
        match kind {
            Kind::Percent => {
                let values: Vec<f64> = table
                    .rows
                    .iter()
                    .filter_map(|r| {
                        match r.cells.iter().find(|x| x.col == c.col).map(|x| &x.value) {
                            Some(Value::Number(n)) => Some(n.value),
                            _ => None,
                        }
                    })
                    .collect();
                let any_pct_sign = table.rows.iter().any(|r| {
                    matches!(r.cells.iter().find(|x| x.col == c.col).map(|x| &x.value), Some(Value::Number(n)) if n.percent)
                });
                let proportion = !any_pct_sign
                    && !c.name.contains('%')
                    && !values.is_empty()
                    && values.iter().all(|v| (0.0..=1.0).contains(v));
                // Nearest count column to the left; an `N` column followed by several
                // percentage columns is their denominator, not a numerator.
                let count_col = s
                    .count_cols
                    .iter()
                    .copied()
                    .filter(|&k| k < c.col && !s.total_cols.contains(&k))
                    .max()
                    .filter(|&k| {
                        let name = table.column(k).map(|x| x.name.as_str()).unwrap_or("");
                        let pct_after = table
                            .columns
                            .iter()
                            .filter(|x| {
                                x.col > k && (x.name.contains('%') || x.kind == Kind::Percent)
                            })
                            .count();
                        !(is_n_column(name) && pct_after >= 2)
                    });
                // A group name printed over its count and % columns: the twin is the count.
                let twin = table
                    .column(c.col.wrapping_sub(1))
                    .filter(|x| x.name.trim() == c.name.trim() && !x.name.trim().is_empty())
                    .map(|x| x.col)
                    .filter(|k| s.count_cols.contains(k));
                let mut count_col = twin.or(count_col);
                // A proportion right after an n column is a share *of* that n (the mean of a 0/1
                // indicator) when the values say so; the n column then serves as denominator.
                if proportion && count_col.is_some_and(|k| share_of_n(table, k, c.col, false)) {
                    count_col = None;
                }
                out.push(Pair {
                    pct_col: c.col,
                    count_col,
                    scale: if proportion { 1 } else { 100 },
                    rate: false,
                });
            }
            // `Mean of indicator` and the like beside an n column: a proportion of that n.
            Kind::Estimate | Kind::Unknown
                if is_indicator_mean(&c.name)
                    && c.col > 1
                    && share_of_n(table, c.col - 1, c.col, true) =>
            {
                out.push(Pair {
                    pct_col: c.col,
                    count_col: None,
                    scale: 1,
                    rate: false,
                });
            }
            Kind::Rate => {
                if let Some(scale) = rate_scale(&c.name) {
                    let count_col = s
                        .count_cols
                        .iter()
                        .copied()
                        .filter(|&k| k < c.col)
                        .find(|&k| table.column(k).is_some_and(|x| !is_person_time(&x.name)));
                    out.push(Pair {
                        pct_col: c.col,
                        count_col,
                        scale,
                        rate: true,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether the header names the mean of a 0/1 indicator: a proportion under another name.
fn is_indicator_mean(header: &str) -> bool {
    let toks = tokens(header);
    let has = |w: &[&str]| toks.iter().any(|t| w.contains(&t.as_str()));
    has(&["mean", "average", "gennemsnit", "keskiarvo", "medel"])
        && has(&[
            "indicator",
            "binary",
            "proportion",
            "share",
            "dummy",
            "andel",
            "osuus",
        ])
}

/// Whether the ratios in column `ratio_col` (values in `[0, 1]`) are shares *of* the n in column
/// `n_col` just left of them, not shares of some total with that n as numerator: every row's
/// `p·n` must round to a whole count, and either the header already says so (`mean of
/// indicator`), or no common total fits the pairs as numerator and share (`n/D ≈ p` for one D).
/// `12, 0.024` and `488, 0.976` are shares of 500 (numerators); `120, 0.025` and `80, 0.050`
/// are 3 of 120 and 4 of 80.
fn share_of_n(table: &Table, n_col: u32, ratio_col: u32, declared: bool) -> bool {
    if n_col + 1 != ratio_col || !table.column(n_col).is_some_and(|c| is_n_column(&c.name)) {
        return false;
    }
    let mut pairs: Vec<(i128, Ratio)> = Vec::new();
    for r in 0..table.rows.len() {
        let n = exact_at(table, CellPos { row: r, col: n_col });
        let v = match cell_value(
            table,
            CellPos {
                row: r,
                col: ratio_col,
            },
        ) {
            Some(Value::Number(x)) if !x.percent => Some(*x),
            Some(Value::Estimate { value }) if !value.percent => Some(*value),
            _ => None,
        };
        let (Some(n), Some(v)) = (n, v) else {
            continue;
        };
        if !(0.0..=1.0).contains(&v.value) || n <= 0 {
            return false;
        }
        let Some(ratio) = Ratio::from_f64(v.value, v.decimals) else {
            return false;
        };
        if ratio_implied_count(ratio, 1, n).is_none() {
            return false; // p·n is no whole count: n is not the denominator
        }
        pairs.push((n, ratio));
    }
    if pairs.is_empty() {
        return false;
    }
    if declared {
        return true;
    }
    let largest = pairs.iter().map(|p| p.0).max().unwrap_or(0);
    pairs.len() >= 2 && crate::audit::percent::denominator_from_shares(&pairs, 1, largest).is_none()
}

/// Denominator candidates for a cell in row `r` of pair `p`.
fn candidates(table: &Table, s: &Structure, p: &Pair, r: usize) -> Vec<(DenSource, i128)> {
    let mut out = Vec::new();
    let row: &Row = &table.rows[r];
    if p.rate {
        for c in &table.columns {
            if c.col != p.pct_col && is_person_time(&c.name) {
                if let Some(v) = exact_at(table, CellPos { row: r, col: c.col }) {
                    out.push((DenSource::PersonTime, v));
                }
            }
        }
        return out;
    }
    for col in [Some(p.pct_col), p.count_col].into_iter().flatten() {
        if let Some(n) = s.column_n.get(&col) {
            out.push((DenSource::ColumnHeader, *n));
            break;
        }
    }
    if let Some(n) = group_sizes(&row.label).next() {
        out.push((DenSource::RowLabel, i128::from(n)));
    }
    // One `N = …` in the title or a note of a table with one percentage column and no N of its
    // own: the whole table's group size.
    if !s.column_n.contains_key(&p.pct_col) {
        let percent_cols = table
            .columns
            .iter()
            .filter(|c| c.kind == Kind::Percent || c.name.contains('%'))
            .count();
        if let Some(n) = text_n(table).filter(|_| percent_cols == 1) {
            out.push((DenSource::TitleOrNote, n));
        }
    }
    let pct_name = table
        .columns
        .iter()
        .find(|c| c.col == p.pct_col)
        .map(|c| c.name.trim());
    for c in &table.columns {
        // A group name printed over its count and % columns (`Total`, `Total`): the count
        // beside the percentage is its numerator, not its denominator.
        let numerator_twin = c.col + 1 == p.pct_col && pct_name == Some(c.name.trim());
        if Some(c.col) != p.count_col
            && c.col != p.pct_col
            && !numerator_twin
            && is_n_column(&c.name)
            && c.col < p.pct_col
        {
            if let Some(v) = exact_at(table, CellPos { row: r, col: c.col }) {
                out.push((DenSource::NColumn, v));
            }
        }
    }
    if let Some(cc) = p.count_col {
        for &tr in &s.total_rows {
            if tr != r {
                if let Some(v) = exact_at(table, CellPos { row: tr, col: cc }) {
                    out.push((DenSource::TotalRow, v));
                    break;
                }
            }
        }
    }
    for &tc in &s.total_cols {
        if Some(tc) != p.count_col
            && !(tc + 1 == p.pct_col && pct_name == table.column(tc).map(|c| c.name.trim()))
        {
            if let Some(v) = exact_at(table, CellPos { row: r, col: tc }) {
                out.push((DenSource::TotalColumn, v));
                break;
            }
        }
    }
    out
}

fn count_and_share(table: &Table, p: &Pair, r: usize) -> Option<(Option<Shown>, Shown2)> {
    let pv = cell_value(
        table,
        CellPos {
            row: r,
            col: p.pct_col,
        },
    )?;
    let share = share_of(pv)?;
    let count = match pv {
        Value::CountShare { count, .. } => structure::shown(count),
        _ => p
            .count_col
            .and_then(|c| cell_value(table, CellPos { row: r, col: c }))
            .and_then(structure::shown),
    };
    Some((count, share))
}

/// Whether some true counts behind rounded shown ones (their boxes; exact values stand for
/// themselves) give the shown ratio.
fn consistent_boxed(
    n: i128,
    d: i128,
    sh: Shown2,
    scale: i128,
    rounding: Option<structure::Rounding>,
) -> bool {
    let nb = rounding.and_then(|r| r.true_box(n));
    let db = rounding.and_then(|r| r.true_box(d));
    if nb.is_none() && db.is_none() {
        return consistent(n, d, sh, scale);
    }
    let Some(ratio) = Ratio::from_f64(sh.value, sh.decimals) else {
        return false;
    };
    ratio_in_boxes(
        ratio,
        scale,
        nb.unwrap_or((n, n)),
        db.unwrap_or((d, d)),
        MAX_DENOMINATORS,
    )
    .is_some()
}

/// Most denominators of a rounding box enumerated exactly.
const MAX_DENOMINATORS: i128 = 10_000;

fn consistent(n: i128, d: i128, sh: Shown2, scale: i128) -> bool {
    let Some(ratio) = Ratio::from_f64(sh.value, sh.decimals) else {
        return false;
    };
    ratio_implied_count(ratio, scale, d).is_some_and(|(lo, hi)| lo <= n && n <= hi)
}

/// Run the rule on one table whose structure is known.
pub fn check(table: &Table, s: &Structure, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let t = i128::from(cx.rules.thresholds.min_count);
    let narrow = i128::from(cx.rules.back_calculation.narrow_max_values);
    let mut emit = Emit {
        out,
        listed: 0,
        seen: Default::default(),
    };
    for p in find_pairs(table, s, cx.lexicon) {
        // Which denominator sources agree with the published pairs of this column?
        let mut agree: std::collections::BTreeMap<u8, (usize, usize)> = Default::default();
        let mut from_rounded = 0usize;
        let mut checked = 0usize;
        for r in 0..table.rows.len() {
            let Some((Some(Shown::Exact(n)), sh)) = count_and_share(table, &p, r) else {
                continue;
            };
            checked += 1;
            for (src, d) in candidates(table, s, &p, r) {
                let e = agree.entry(src as u8).or_default();
                e.1 += 1;
                if consistent_boxed(n, d, sh, p.scale, s.rounding) {
                    e.0 += 1;
                }
            }
            if s.rounding.is_some() {
                if let Some(d) = candidates(table, s, &p, r).first().map(|x| x.1) {
                    // The shown percentage is the ratio of the shown (rounded) counts.
                    if consistent(n, d, sh, p.scale) {
                        from_rounded += 1;
                    }
                }
            }
        }
        if s.rounding.is_some() && checked > 0 && from_rounded == checked {
            continue; // computed from rounded counts: no information on true values (§3.3.8)
        }
        let trusted = |src: DenSource| -> bool {
            match agree.get(&(src as u8)) {
                None => true, // nothing to check against
                Some(&(ok, n)) => ok * 10 >= n * 7,
            }
        };
        for r in 0..table.rows.len() {
            let Some((count, sh)) = count_and_share(table, &p, r) else {
                continue;
            };
            // A shown count is small-count's business, unless it is rounded and the percentage
            // was computed from the true counts (TC-12): then its box is what is hidden.
            let nominal = match count {
                Some(Shown::Exact(n)) => match s.rounding.and_then(|ro| ro.true_box(n)) {
                    Some((lo, hi)) => (lo, Some(hi)),
                    None => continue,
                },
                Some(Shown::Hidden { lo, hi }) => (lo, hi),
                Some(Shown::Empty) | None => (0, None),
            };
            if sh.value == 0.0 && nominal.1.is_none() {
                continue;
            }
            let Some(ratio) = Ratio::from_f64(sh.value, sh.decimals) else {
                continue;
            };
            for (src, d) in candidates(table, s, &p, r) {
                if !trusted(src) || d <= 0 {
                    continue;
                }
                // A rounded denominator is a box.
                let (dlo, dhi) = match s.rounding.and_then(|ro| ro.true_box(d)) {
                    Some(b) => b,
                    None => (d, d),
                };
                let (lo, hi) = if dlo < dhi && dhi - dlo < MAX_DENOMINATORS {
                    // Exact: the numerators that fit some denominator of the box.
                    let nb = (nominal.0, nominal.1.unwrap_or(i128::MAX / 4));
                    match ratio_in_boxes(ratio, p.scale, nb, (dlo, dhi), MAX_DENOMINATORS) {
                        Some((lo, hi, _)) => (lo, hi),
                        None => continue,
                    }
                } else {
                    let lo = ratio_implied_count(ratio, p.scale, dlo).map(|x| x.0);
                    let hi = ratio_implied_count(ratio, p.scale, dhi).map(|x| x.1);
                    let (Some(lo), Some(hi)) = (lo, hi) else {
                        continue;
                    };
                    (lo, hi)
                };
                if lo > hi {
                    continue;
                }
                let Some(v) = judge_with(
                    (lo, hi),
                    nominal,
                    t,
                    narrow,
                    cx.rules.thresholds.zero_is_unsafe,
                    true,
                ) else {
                    continue;
                };
                let pos = CellPos {
                    row: r,
                    col: p.pct_col,
                };
                let subject = match (count, p.rate) {
                    (Some(Shown::Hidden { .. }), true) => {
                        "the rate beside a suppressed event count"
                    }
                    (Some(Shown::Hidden { .. }), false) if p.scale == 1 => {
                        "the proportion beside a suppressed count"
                    }
                    (Some(Shown::Hidden { .. }), false) => {
                        "the percentage beside a suppressed count"
                    }
                    (Some(Shown::Exact(_)), _) => {
                        "the percentage beside a rounded count (computed from the true counts)"
                    }
                    (_, true) => "the rate",
                    (_, false) if p.scale == 1 => "the proportion",
                    (_, false) => "the percentage",
                };
                let message = format!(
                    "{subject} in {} {} [{}]: it can be calculated back with {}",
                    table.column_label(p.pct_col),
                    v.what,
                    v.code,
                    src.text()
                );
                emit.push(table, pos, v.severity, message, b"");
                break;
            }
        }
    }
    derived::check(table, s, cx, &mut emit);
    vector::check(table, s, cx, &mut emit);
    means::check(table, s, cx, &mut emit);
    means::check_groups(table, s, cx, &mut emit);
}
