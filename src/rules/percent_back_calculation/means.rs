//! The n behind a mean shown with its sum (`docs/tables.md` §4.7: a mean is a ratio of a sum to
//! a count): `total bed-days 1,210` beside `mean 403.3` can only be three stays. Per row, a column
//! whose header names a total or sum of something and a column whose header names the mean of the
//! same thing give `n ∈ [⌈(S−s)/(m+h)⌉, ⌊(S+s)/(m−h)⌋]`. Where an n column shows the count on
//! other rows, every such row must agree, else the columns are not taken as sum and mean.
//! Only an n pinned to one value, or to at most `narrow_max_values` values all below the
//! threshold, is reported; a mean of a continuous variable without its sum gives nothing.
//!
//! Group means with their overall mean ([`check_groups`]): the groups of a section (rows closed
//! by a total row, or columns beside one total column) with the overall N from the n column or
//! row, the title, a note or a label, solved over the rounding intervals of the means by
//! [`group_sizes_from_means`].

use std::collections::HashSet;

use super::{judge, Emit};
use crate::audit::percent::{group_sizes_from_means, mean_implied_count, GroupMeansSizes, SizeBox};
use crate::audit::{AuditConfig, Int, Shown as Ratio};
use crate::finding::Severity;
use crate::model::{Table, Value};
use crate::redact::{group_sizes, safe_label};
use crate::rules::words::Words;
use crate::rules::Context;
use crate::table::classify::tokens;
use crate::table::structure::{self, CellPos, Shown, Structure};

/// The words of a header that name the variable, if the header names the statistic `words`
/// (`mean_statistic` or `sum_statistic`).
fn subject(header: &str, words: &HashSet<String>, all: &Words) -> Option<Vec<String>> {
    let toks = tokens(header);
    if !toks.iter().any(|t| words.contains(t)) {
        return None;
    }
    Some(
        toks.into_iter()
            .filter(|t| {
                !words.contains(t) && !all.is_filler(t) && !t.chars().all(|c| c.is_ascii_digit())
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
    let t = Int::from(cx.rules.thresholds.min_count);
    let narrow = Int::from(cx.rules.back_calculation.narrow_max_values);
    let n_col = table
        .columns
        .iter()
        .find(|c| cx.words.is_n_column(&c.name))
        .map(|c| c.col);
    for m in &table.columns {
        let Some(m_subject) = subject(&m.name, &cx.words.mean_statistic, cx.words) else {
            continue;
        };
        for sc in &table.columns {
            if sc.col == m.col || Some(sc.col) == n_col {
                continue;
            }
            let Some(s_subject) = subject(&sc.name, &cx.words.sum_statistic, cx.words) else {
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
                    number(table.value_at(r, sc.col)),
                    number(table.value_at(r, m.col)),
                ) else {
                    continue;
                };
                let shown = n_col
                    .and_then(|c| table.value_at(r, c))
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
                let Some(v) = judge(
                    implied,
                    nominal,
                    t,
                    narrow,
                    cx.rules.thresholds.zero_is_unsafe,
                ) else {
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

/// A shown mean: a plain number or the estimate of `45.2 (12.1)`, any sign.
fn mean_of(v: Option<&Value>) -> Option<Ratio> {
    match v {
        Some(Value::Number(n)) if !n.percent => Ratio::from_f64(n.value, n.decimals),
        Some(Value::Estimate { value }) if !value.percent => {
            Ratio::from_f64(value.value, value.decimals)
        }
        _ => None,
    }
}

/// A header or label of means that average over the members of each group (`Mean age`,
/// `Age, mean (SD)`), not a comparison of groups (`Mean difference`, `Ratio of means`).
fn is_group_mean(text: &str, words: &Words) -> bool {
    subject(text, &words.mean_statistic, words).is_some()
        && !tokens(text).iter().any(|t| words.is_comparison(t))
}

/// Where an overall N comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TotalFrom {
    /// A cell of the table's n column or row (back-calculation reads it too).
    Cell,
    /// A hidden cell of the n column or row.
    Hidden,
    /// `N = …` in the title, a note or the total's label.
    Text,
    /// Nowhere.
    Nowhere,
}

/// One group of a partition: where its n is (if the table has a place for it), what is shown.
struct GroupSpec {
    /// The n cell, or the group's first mean cell when there is no n column or row.
    pos: CellPos,
    /// The size as shown: exact, a marker's box, or nothing shown.
    shown: Option<Shown>,
    /// From a label or header (`Men (n=120)`).
    size: Option<Int>,
    name: String,
}

/// Groups, the overall N and the means of one partition, in a row or a column layout.
struct Partition {
    groups: Vec<GroupSpec>,
    total_pos: Option<CellPos>,
    total: Option<Shown>,
    total_text: Option<Int>,
    /// Per variable: the group means (in group order), the overall mean, the place named.
    means: Vec<(Vec<Ratio>, Ratio, String)>,
    /// The groups are rows (their n in a column) or columns (their n in a row).
    rows: bool,
}

fn one_size(text: &str) -> Option<Int> {
    let v: Vec<i64> = group_sizes(text).collect();
    match v.as_slice() {
        [n] => Some(Int::from(*n)),
        _ => None,
    }
}

/// Row layout: a column of n (or none), mean columns, groups in rows closed by a total row
/// (`All`, `Total`); a row with neither an n nor a mean starts a new section.
fn row_partitions(table: &Table, cx: &Context<'_>) -> Vec<Partition> {
    let n_col = table
        .columns
        .iter()
        .find(|c| cx.words.is_n_column(&c.name))
        .map(|c| c.col);
    let mean_cols: Vec<(u32, String)> = table
        .columns
        .iter()
        .filter(|c| Some(c.col) != n_col && is_group_mean(&c.name, cx.words))
        .map(|c| (c.col, table.column_label(c.col)))
        .collect();
    let mut out = Vec::new();
    if mean_cols.is_empty() {
        return out;
    }
    let n_at = |r: usize| {
        n_col
            .and_then(|c| table.value_at(r, c))
            .and_then(structure::shown)
    };
    let has_mean = |r: usize| {
        mean_cols
            .iter()
            .any(|(c, _)| mean_of(table.value_at(r, *c)).is_some())
    };
    let mut start = 0;
    for (r, row) in table.rows.iter().enumerate() {
        if !cx.lexicon.is_total(&row.label) {
            if !has_mean(r) && !matches!(n_at(r), Some(Shown::Exact(_) | Shown::Hidden { .. })) {
                start = r + 1; // a heading
            }
            continue;
        }
        let members: Vec<usize> = (start..r).filter(|&g| has_mean(g)).collect();
        start = r + 1;
        if members.len() < 2 {
            continue;
        }
        let means: Vec<(Vec<Ratio>, Ratio, String)> = mean_cols
            .iter()
            .filter_map(|(c, label)| {
                let overall = mean_of(table.value_at(r, *c))?;
                let groups = members
                    .iter()
                    .map(|&g| mean_of(table.value_at(g, *c)))
                    .collect::<Option<Vec<_>>>()?;
                Some((groups, overall, label.clone()))
            })
            .collect();
        let Some(&(first_mean, _)) = mean_cols
            .iter()
            .find(|(_, label)| means.iter().any(|m| m.2 == *label))
        else {
            continue;
        };
        let groups = members
            .iter()
            .map(|&g| GroupSpec {
                pos: CellPos {
                    row: g,
                    col: n_col.unwrap_or(first_mean),
                },
                shown: n_at(g),
                size: one_size(&table.rows[g].label),
                name: format!("row '{}'", safe_label(table.rows[g].label.trim())),
            })
            .collect();
        out.push(Partition {
            groups,
            total_pos: n_col.map(|col| CellPos { row: r, col }),
            total: n_at(r),
            total_text: one_size(&row.label).or_else(|| super::text_n(table)),
            means,
            rows: true,
        });
    }
    out
}

/// Column layout (a "Table 1"): groups in columns beside one total column (`All`, `Overall`),
/// an n row (or `(n=…)` in the headers) and rows of means (`Age, mean (SD)`). A column counts
/// as a group only if its n is shown, marked as suppressed or written in its header, so that a
/// p-value or difference column never joins the partition.
fn column_partitions(table: &Table, s: &Structure, cx: &Context<'_>) -> Vec<Partition> {
    let totals: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| cx.lexicon.is_total(&c.name))
        .map(|c| c.col)
        .collect();
    let [total_col] = totals.as_slice() else {
        return Vec::new();
    };
    let n_row = table
        .rows
        .iter()
        .position(|r| cx.words.is_n_column(&r.label));
    let mean_rows: Vec<usize> = (0..table.rows.len())
        .filter(|&r| Some(r) != n_row && is_group_mean(&table.rows[r].label, cx.words))
        .collect();
    if mean_rows.is_empty() {
        return Vec::new();
    }
    let n_at = |c: u32| {
        n_row
            .and_then(|r| table.value_at(r, c))
            .and_then(structure::shown)
    };
    let members: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| c.col != *total_col && c.kind != crate::model::Kind::Label)
        .filter(|c| {
            matches!(n_at(c.col), Some(Shown::Exact(_) | Shown::Hidden { .. }))
                || s.column_n.contains_key(&c.col)
        })
        .map(|c| c.col)
        .collect();
    if members.len() < 2 {
        return Vec::new();
    }
    let means: Vec<(Vec<Ratio>, Ratio, String)> = mean_rows
        .iter()
        .filter_map(|&r| {
            let overall = mean_of(table.value_at(r, *total_col))?;
            let groups = members
                .iter()
                .map(|&c| mean_of(table.value_at(r, c)))
                .collect::<Option<Vec<_>>>()?;
            Some((
                groups,
                overall,
                format!("row '{}'", safe_label(table.rows[r].label.trim())),
            ))
        })
        .collect();
    let Some(&first_mean) = mean_rows.first() else {
        return Vec::new();
    };
    let groups = members
        .iter()
        .map(|&c| GroupSpec {
            pos: CellPos {
                row: n_row.unwrap_or(first_mean),
                col: c,
            },
            shown: n_at(c),
            size: s.column_n.get(&c).copied(),
            name: table.column_label(c),
        })
        .collect();
    vec![Partition {
        groups,
        total_pos: n_row.map(|row| CellPos {
            row,
            col: *total_col,
        }),
        total: n_at(*total_col),
        total_text: s
            .column_n
            .get(total_col)
            .copied()
            .or_else(|| super::text_n(table)),
        means,
        rows: false,
    }]
}

/// The true values behind a shown count of a rounded table, if it is rounded.
fn rounded_box(s: &Structure, v: Int) -> Option<(Int, Int)> {
    s.rounding
        .and_then(|ro| crate::audit::rounding_box(ro.scheme, v))
}

/// Group means with the overall mean of the same groups: `Σ n_i·m_i = N·m` and `Σ n_i = N`
/// give back a suppressed or unshown group size, solved over the rounding intervals of the
/// shown means (a mean is a ratio, `docs/tables.md` §4.7). Only a size pinned to one value, or
/// narrowed to values all below the threshold, is reported; close means leave the size open.
pub(super) fn check_groups(table: &Table, s: &Structure, cx: &Context<'_>, emit: &mut Emit<'_>) {
    let t = Int::from(cx.rules.thresholds.min_count);
    let narrow = Int::from(cx.rules.back_calculation.narrow_max_values);
    let cfg = AuditConfig {
        min_count: t,
        zero_is_unsafe: cx.rules.thresholds.zero_is_unsafe,
        narrow_max_values: narrow,
        ..AuditConfig::default()
    };
    let g = GroupMeans {
        table,
        s,
        cfg: &cfg,
    };
    let mut parts = row_partitions(table, cx);
    parts.extend(column_partitions(table, s, cx));
    for p in parts {
        g.partition(&p, emit);
    }
}

/// The group-means check of one table.
struct GroupMeans<'a> {
    table: &'a Table,
    s: &'a Structure,
    cfg: &'a AuditConfig,
}

/// What a partition's sizes were solved from, for its messages.
struct Solved<'a> {
    /// Where its means are.
    mean_places: String,
    /// What besides the means gave the sizes.
    basis: &'static str,
    kind: &'static str,
    from: TotalFrom,
    res: &'a GroupMeansSizes,
}

impl GroupMeans<'_> {
    /// Solve one partition for its group sizes and report those it gives back.
    fn partition(&self, p: &Partition, emit: &mut Emit<'_>) {
        if p.means.is_empty() {
            return;
        }
        let (sizes, nominal) = self.boxes(p);
        let open = sizes.iter().filter(|b| b.1 != Some(b.0)).count();
        if open == 0 {
            return;
        }
        let (total, from) = self.total_box(p);
        // One hidden size beside a shown N is plain subtraction: back-calculation's finding.
        if from == TotalFrom::Cell && open == 1 {
            return;
        }
        let columns: Vec<(Vec<Ratio>, Ratio)> =
            p.means.iter().map(|(g, o, _)| (g.clone(), *o)).collect();
        let Some(res) = group_sizes_from_means(&sizes, &columns, total, self.cfg) else {
            return;
        };
        let solved = Solved {
            mean_places: p
                .means
                .iter()
                .map(|m| m.2.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            basis: match from {
                TotalFrom::Text => " and the group size N in the title, a note or a label",
                TotalFrom::Cell => " and the overall n",
                TotalFrom::Hidden | TotalFrom::Nowhere => "",
            },
            kind: if p.rows { "rows" } else { "columns" },
            from,
            res: &res,
        };
        self.report_groups(p, &nominal, &solved, emit);
        self.report_total(p, &solved, emit);
    }

    /// Each group's box as the table shows it, and the box the display itself implies.
    fn boxes(&self, p: &Partition) -> (Vec<SizeBox>, Vec<(Int, Option<Int>)>) {
        let mut sizes: Vec<SizeBox> = Vec::new();
        let mut nominal: Vec<(Int, Option<Int>)> = Vec::new();
        for g in &p.groups {
            let (b, nom) = match (g.shown, g.size) {
                // A rounded n is a box of true values (`docs/tables.md` §7.1), not a constant, even
                // where the totals are sums of the rounded cells: the means are of the true
                // groups.
                (Some(Shown::Exact(v)), _) => match rounded_box(self.s, v) {
                    Some((lo, hi)) => ((lo.max(1), Some(hi)), (v, Some(v))),
                    None => ((v, Some(v)), (v, Some(v))),
                },
                (_, Some(v)) => ((v, Some(v)), (v, Some(v))),
                (Some(Shown::Hidden { lo, hi }), None) => ((lo.max(1), hi), (lo, hi)),
                (Some(Shown::Empty) | None, None) => ((1, None), (0, None)),
            };
            sizes.push(b);
            nominal.push(nom);
        }
        (sizes, nominal)
    }

    /// The overall N's box and where it comes from.
    fn total_box(&self, p: &Partition) -> (Option<SizeBox>, TotalFrom) {
        match (p.total, p.total_text) {
            (Some(Shown::Exact(v)), _) => match rounded_box(self.s, v) {
                Some((lo, hi)) => (Some((lo, Some(hi))), TotalFrom::Cell),
                None => (Some((v, Some(v))), TotalFrom::Cell),
            },
            (_, Some(v)) => (Some((v, Some(v))), TotalFrom::Text),
            (Some(Shown::Hidden { lo, hi }), None) => (Some((lo, hi)), TotalFrom::Hidden),
            _ => (None, TotalFrom::Nowhere),
        }
    }

    /// The group sizes the means give back.
    fn report_groups(
        &self,
        p: &Partition,
        nominal: &[(Int, Option<Int>)],
        solved: &Solved<'_>,
        emit: &mut Emit<'_>,
    ) {
        let cfg = self.cfg;
        for (i, g) in p.groups.iter().enumerate() {
            // Shown sizes (rounded ones included) are small-count's business.
            if nominal[i].1 == Some(nominal[i].0) {
                continue;
            }
            let (lo, hi) = solved.res.groups[i];
            let Some(v) = judge(
                (lo, hi.unwrap_or(Int::MAX / 4)),
                nominal[i],
                cfg.min_count,
                cfg.narrow_max_values,
                cfg.zero_is_unsafe,
            ) else {
                continue;
            };
            let what = match g.shown {
                Some(Shown::Hidden { .. }) => "the suppressed n",
                _ => "the n, not shown,",
            };
            let message = format!(
                "{what} of {}: the overall mean in {}, weighted from the means of the \
                 {} beside it{}, {} [{}]",
                g.name, solved.mean_places, solved.kind, solved.basis, v.what, v.code
            );
            emit.push(self.table, g.pos, v.severity, message, b"group-means");
        }
    }

    /// A hidden overall n narrowed below the threshold: the whole population is small.
    fn report_total(&self, p: &Partition, solved: &Solved<'_>, emit: &mut Emit<'_>) {
        let cfg = self.cfg;
        if let (Some(pos), TotalFrom::Hidden) = (p.total_pos, solved.from) {
            let nom = match p.total {
                Some(Shown::Hidden { lo, hi }) => (lo, hi),
                _ => (0, None),
            };
            let (lo, hi) = solved.res.total;
            if let Some(v) = judge(
                (lo, hi.unwrap_or(Int::MAX / 4)),
                nom,
                cfg.min_count,
                cfg.narrow_max_values,
                cfg.zero_is_unsafe,
            ) {
                let message = format!(
                    "the suppressed overall n: the overall mean in {}, weighted from \
                     the means of the {}, {} [{}]",
                    solved.mean_places, solved.kind, v.what, v.code
                );
                emit.push(self.table, pos, v.severity, message, b"group-means-total");
            }
        }
    }
}
