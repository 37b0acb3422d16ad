//! The n behind a mean shown with its sum (spec §3.7 by analogy: a mean is a ratio of a sum to
//! a count): `total bed-days 1,210` beside `mean 403.3` can only be three stays. Per row, a column
//! whose header names a total or sum of something and a column whose header names the mean of the
//! same thing give `n ∈ [⌈(S−s)/(m+h)⌉, ⌊(S+s)/(m−h)⌋]`. Where an n column shows the count on
//! other rows, every such row must agree, else the columns are not taken as sum and mean.
//! Only an n pinned to one value, or to at most `narrow_max_values` values all below the
//! threshold, is reported; a mean of a continuous variable without its sum gives nothing.

use super::{is_n_column, judge, Emit};
use crate::audit::percent::mean_implied_count;
use crate::audit::{Int, Shown as Ratio};
use crate::finding::Severity;
use crate::model::{Table, Value};
use crate::rules::Context;
use crate::table::classify::tokens;
use crate::table::structure::{self, CellPos, Shown, Structure};

const MEAN_WORDS: &[&str] = &[
    "mean",
    "average",
    "avg",
    "gennemsnit",
    "gennemsnitlig",
    "gjennomsnitt",
    "medel",
    "medelvärde",
    "keskiarvo",
    "moyenne",
    "gemiddelde",
    "mittelwert",
];
const SUM_WORDS: &[&str] = &[
    "total",
    "sum",
    "summa",
    "totalt",
    "yhteensä",
    "yhteensa",
    "samlet",
    "totaal",
    "summe",
];
/// Words that name neither the variable nor the statistic.
const FILLER: &[&str] = &["of", "the", "per", "af", "i", "alt", "n", "in", "and"];

fn value_at(table: &Table, r: usize, col: u32) -> Option<&Value> {
    table
        .rows
        .get(r)?
        .cells
        .iter()
        .find(|c| c.col == col)
        .map(|c| &c.value)
}

/// The words of a header that name the variable, if the header names the statistic `words`.
fn subject(header: &str, words: &[&str]) -> Option<Vec<String>> {
    let toks = tokens(header);
    if !toks.iter().any(|t| words.contains(&t.as_str())) {
        return None;
    }
    Some(
        toks.into_iter()
            .filter(|t| {
                !words.contains(&t.as_str())
                    && !FILLER.contains(&t.as_str())
                    && !t.chars().all(|c| c.is_ascii_digit())
            })
            .collect(),
    )
}

fn number(v: Option<&Value>) -> Option<Ratio> {
    match v {
        Some(Value::Number(n)) if !n.percent && n.value > 0.0 => {
            Ratio::from_f64(n.value, n.decimals)
        }
        Some(Value::Estimate { value }) if value.value > 0.0 => {
            Ratio::from_f64(value.value, value.decimals)
        }
        _ => None,
    }
}

/// Run the mean-with-its-sum check on a table.
pub(super) fn check(table: &Table, _s: &Structure, cx: &Context<'_>, emit: &mut Emit<'_>) {
    let t = Int::from(cx.rules.min_count);
    let narrow = Int::from(cx.rules.narrow_max_values);
    let n_col = table
        .columns
        .iter()
        .find(|c| is_n_column(&c.name))
        .map(|c| c.col);
    for m in &table.columns {
        let Some(m_subject) = subject(&m.name, MEAN_WORDS) else {
            continue;
        };
        for sc in &table.columns {
            if sc.col == m.col || Some(sc.col) == n_col {
                continue;
            }
            let Some(s_subject) = subject(&sc.name, SUM_WORDS) else {
                continue;
            };
            // The same variable: a shared word (`bed-days`), or both name nothing else.
            let shared = s_subject.iter().any(|w| m_subject.contains(w));
            if !shared {
                continue;
            }
            // Rows: (row, implied n, shown n).
            let mut rows: Vec<(usize, (Int, Int), Option<Shown>)> = Vec::new();
            for r in 0..table.rows.len() {
                let (Some(sum), Some(mean)) = (
                    number(value_at(table, r, sc.col)),
                    number(value_at(table, r, m.col)),
                ) else {
                    continue;
                };
                let shown = n_col
                    .and_then(|c| value_at(table, r, c))
                    .and_then(structure::shown);
                match mean_implied_count(sum, mean) {
                    Some(implied) => rows.push((r, implied, shown)),
                    // No count fits: a shown n disagrees with any reading as sum and mean.
                    None => rows.push((r, (1, 0), shown)),
                }
            }
            // Rows with a shown n must all agree with the sum and the mean.
            let agree = rows.iter().all(|(_, (lo, hi), n)| match n {
                Some(Shown::Exact(x)) => lo <= x && x <= hi,
                _ => true,
            });
            if !agree {
                continue;
            }
            for &(r, implied, shown) in &rows {
                if implied.0 > implied.1 {
                    continue;
                }
                let nominal = match shown {
                    Some(Shown::Exact(_)) => continue, // shown: small-count's business
                    Some(Shown::Hidden { lo, hi }) => (lo, hi),
                    Some(Shown::Empty) | None => (0, None),
                };
                let Some(v) = judge(implied, nominal, t, narrow, cx.rules.zero_is_unsafe) else {
                    continue;
                };
                if v.severity != Severity::Error {
                    continue; // a wide interval: no finding
                }
                let what = if matches!(shown, Some(Shown::Hidden { .. })) {
                    "the suppressed n behind the mean"
                } else {
                    "the n behind the mean"
                };
                let message = format!(
                    "{what} in {} {} [{}]: it can be calculated back from the mean and the total in {}",
                    table.column_label(m.col),
                    v.what,
                    v.code,
                    table.column_label(sc.col)
                );
                emit.push(
                    table,
                    CellPos { row: r, col: m.col },
                    Severity::Error,
                    message,
                    b"mean-n",
                );
            }
        }
    }
}
