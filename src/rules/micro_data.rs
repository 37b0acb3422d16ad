//! ## What it does
//! Flags tables whose rows are records about individuals rather than groups (identifiers spec
//! §4.6), in two ways:
//!
//! - **a person-key column**: national identifiers, pseudonymised person numbers (`pnr`, `lbnr`,
//!   `cpr`, `hetu`, `shnro`, `lopenr`, `personnummer`, `RINPERSOON`, `patient_id`, `subject_id`,
//!   `USUBJID`, …) or provider numbers (`ydernr`), found by name and by value;
//! - **rows that describe individuals without an ID**: at least 10 rows, no count column (or
//!   only counts of 1), no statistic columns, and quasi-identifiers (birth date or year, sex,
//!   age, municipality or postcode, origin, diagnosis or ATC codes, event dates at day
//!   precision) on which most rows stand in groups smaller than the threshold (k-anonymity: the
//!   equivalence classes over the quasi-identifier columns), while the table is not simply one
//!   row per combination of categories, as an aggregate table is. A birth date at day precision
//!   in every row is enough on its own.
//!
//! One finding per table. It names the kinds of column found and the number of rows, never a
//! value or a row. Large files are judged on every row: the quasi-identifier combinations of
//! the rows streamed past are counted as 64-bit hashes in bounded memory (at most 500 000
//! distinct combinations; past that the table counts as mostly unique).
//!
//! ## Why is this bad?
//! A row about one person is that person's record. Removing the ID does not help: birth date,
//! sex and municipality single out most people, and anyone who knows them learns the rest of
//! the row. Pseudonymised keys link the row back to the register.
//!
//! ## Example
//! ```text
//! pnr;foed_dato;koen;kommune       <- micro-data: 200 rows with person keys ('pnr') and
//! 000012345678;1962-10-21;K;101       quasi-identifiers (birth or death date, sex, geography)
//! ```
//! Export aggregates instead: counts per group with every cell at or above the threshold.
//!
//! ## Options
//! `[thresholds] min_count` (the k of k-anonymity), `[vocabulary] person_key`, `provider_key`,
//! `birth_date`, `event_date`, `sex`, `age`, `geography`, `origin`, `diagnosis` (column names);
//! the count and statistic words of `[vocabulary]` tell aggregates from listings.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: no micro-data of any kind, "also
//! in data where the de-identified ID variable has been removed"; pseudonymised key variables
//! are always micro-data, even alone. Findata and Statistics Finland: aggregate results only.
//! Eurostat/ESSnet Guidelines for the checking of output based on microdata research (2015):
//! micro-data may not leave. `docs/identifiers.md` §6 (vocabularies) and §7.3 (listing or aggregate).

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

use crate::finding::{basis, Finding, Severity};
use crate::ident::{classify_column, ColumnIdClass};
use crate::model::{Kind, Row, Table, Value};
use crate::rules::people::{
    cell_at, column_values, counted, id_columns, is_day_date, quasi_by_values, QiKind,
};
use crate::rules::{Checks, Context, RowRule, RowState, Rule, TableInput, TableRule};

pub const RULE: Rule = Rule {
    id: "micro-data",
    severity: Severity::Error,
    summary: "records about individuals: one row per person or unit, with or without an ID column; identifier columns (pseudonymised person numbers, provider numbers)",
    source: include_str!("micro_data.rs"),
    checks: Checks {
        table: Some(&MicroData),
        rows: Some(&MicroData),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct MicroData;

impl TableRule for MicroData {
    fn check(&self, input: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check_table(input.table, input.id_columns(cx), cx, out);
    }
}

impl RowRule for MicroData {
    fn start(&self) -> Box<dyn RowState> {
        Box::new(StreamState::default())
    }
}

impl RowState for StreamState {
    fn row(&mut self, table: &Table, row: &Row, cx: &Context<'_>, _out: &mut Vec<Finding>) {
        check_streamed_row(table, row, cx, self);
    }

    fn finish(self: Box<Self>, table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
        finish_stream(*self, table, cx, out);
    }
}

/// Most distinct quasi-identifier combinations counted per table.
pub const MAX_CLASSES: usize = 500_000;
/// Most distinct values counted per quasi-identifier column.
const MAX_DISTINCT: usize = 100_000;
/// Fewest rows for a table to be judged a listing by its quasi-identifiers.
const MIN_ROWS: u64 = 10;

/// What the columns of a table say about it.
#[derive(Debug, Default)]
struct Shape {
    /// Person-key columns: (column label, what they hold).
    keys: Vec<(String, &'static str)>,
    /// Key-like columns found by values alone (no name), counted only without statistics.
    key_like: Vec<String>,
    /// Quasi-identifier columns.
    quasi: Vec<(u32, QiKind)>,
    /// A birth-date column whose values are dates at day precision.
    exact_birth: bool,
    /// A count column by its header (with counts above 1), or statistic columns: an aggregate.
    aggregate_columns: bool,
}

fn shape(table: &Table, ids: &[(u32, &'static str)], cx: &Context<'_>) -> Shape {
    let mut s = Shape::default();
    let mut stat_columns = 0usize;
    let mut other_columns = 0usize;
    let counted = counted(table, cx);
    s.aggregate_columns = counted;
    for column in &table.columns {
        let values = column_values(table, column.col);
        let label = table.column_label(column.col);
        if let Some((_, what)) = ids.iter().find(|(c, _)| *c == column.col) {
            s.keys.push((label, what));
            continue;
        }
        let header = cx.lexicon.header_kind(&column.name);
        match header {
            Some(Kind::Count) if column.kind == Kind::Count => {
                other_columns += 1;
                continue;
            }
            Some(Kind::Percent | Kind::Rate | Kind::Estimate | Kind::Extreme) => {
                stat_columns += 1;
                other_columns += 1;
                continue;
            }
            _ => {}
        }
        let qi = cx
            .people
            .quasi_name(&column.name)
            .or_else(|| quasi_by_values(values.iter().copied(), cx.people));
        if let Some(kind) = qi {
            let nonempty: Vec<&str> = values
                .iter()
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .collect();
            if kind == QiKind::BirthDate
                && !nonempty.is_empty()
                && nonempty.iter().filter(|v| is_day_date(v)).count() * 10 >= nonempty.len() * 9
            {
                s.exact_birth = true;
            }
            s.quasi.push((column.col, kind));
            continue;
        }
        other_columns += 1;
        if header.is_none() {
            if let Some(found) = classify_column(&column.name, &values, &cx.people.keys) {
                if found.class == ColumnIdClass::KeyLike && values.len() >= MIN_ROWS as usize {
                    s.key_like.push(label);
                }
            }
        }
    }
    // Statistic columns (`mean`, `rate`, `%`) make an aggregate, unless every row carries an
    // exact birth date: no aggregate is broken down by day of birth (and `weight` is a body
    // weight there, not a survey weight).
    if stat_columns > 0 && stat_columns * 2 >= other_columns && !s.exact_birth {
        s.aggregate_columns = true;
    }
    s
}

/// Equivalence classes of quasi-identifier combinations, counted in bounded memory.
///
/// Rows arrive one at a time (a streamed table's rows go through `check_streamed_row`), so the
/// rule reads the model and never the file. polars (`LazyCsvReader` → `group_by` → `count`) was
/// measured for this and not taken: `polars 0.55` with `default-features = false, features =
/// ["lazy", "csv", "streaming"]` brings 263 more crates and took a clean release build on the
/// 2-core build machine from 1 min 10 s (2 min 3 s CPU) to 11 min 34 s (20 min 6 s CPU), and
/// it would have to parse the file a second time with its own CSV dialect rules. A capped
/// map of 64-bit tuple hashes judges 2 million streamed rows in about 4 s in 43 MB.
#[derive(Debug, Default)]
pub struct Classes {
    counts: HashMap<u64, u32, Prehashed>,
    distinct: Vec<HashSet<u64, Prehashed>>,
    /// Rows counted.
    rows: u64,
    /// Rows whose combination was new after the class table was full.
    overflow: u64,
}

impl Classes {
    fn new(n_columns: usize) -> Self {
        Classes {
            distinct: vec![HashSet::default(); n_columns],
            ..Classes::default()
        }
    }

    fn add(&mut self, values: &[&str]) {
        if values.iter().all(|v| v.trim().is_empty()) {
            return;
        }
        self.rows += 1;
        let mut whole = DefaultHasher::new();
        for (i, v) in values.iter().enumerate() {
            let v = v.trim();
            v.hash(&mut whole);
            let mut one = DefaultHasher::new();
            v.hash(&mut one);
            if let Some(set) = self.distinct.get_mut(i) {
                if set.len() < MAX_DISTINCT {
                    set.insert(one.finish());
                }
            }
        }
        let key = whole.finish();
        if let Some(n) = self.counts.get_mut(&key) {
            *n = n.saturating_add(1);
        } else if self.counts.len() < MAX_CLASSES {
            self.counts.insert(key, 1);
        } else {
            self.overflow += 1;
        }
    }

    fn add_row(&mut self, row: &Row, cols: &[u32]) {
        let values: Vec<&str> = cols
            .iter()
            .map(|col| cell_at(row, *col).map(|c| c.text.as_str()).unwrap_or(""))
            .collect();
        self.add(&values);
    }

    /// Is this mostly a listing of individuals: most classes (or most rows) smaller than `k`,
    /// and not one row per combination of categories (an aggregate's shape)?
    fn mostly_small(&self, k: u32) -> bool {
        if self.rows < MIN_ROWS {
            return false;
        }
        let classes = self.counts.len() as u64 + self.overflow;
        let small_classes = self.counts.values().filter(|&&n| n < k).count() as u64 + self.overflow;
        let small_rows: u64 = self
            .counts
            .values()
            .filter(|&&n| n < k)
            .map(|&n| u64::from(n))
            .sum::<u64>()
            + self.overflow;
        let mostly = small_classes * 2 >= classes || small_rows * 2 >= self.rows;
        mostly && !self.aggregate_shape()
    }

    /// One row per combination, and the rows fill at least half of the cross product of the
    /// columns' distinct values: a table of categories × strata, not of persons.
    fn aggregate_shape(&self) -> bool {
        let classes = self.counts.len() as u64 + self.overflow;
        if classes != self.rows {
            return false;
        }
        let mut product: u64 = 1;
        for set in &self.distinct {
            product = product.saturating_mul(set.len().max(1) as u64);
        }
        self.rows.saturating_mul(2) >= product
    }
}

/// Keys that are already 64-bit hashes need no second hash.
type Prehashed = BuildHasherDefault<PassThrough>;

#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Per-table state while a large table streams past.
#[derive(Debug, Default)]
pub struct StreamState {
    started: bool,
    cols: Vec<u32>,
    judge: bool,
    classes: Classes,
    shape: Shape,
}

/// Count one streamed row (the first call also counts the table's sample rows).
pub fn check_streamed_row(table: &Table, row: &Row, cx: &Context<'_>, state: &mut StreamState) {
    if !state.started {
        state.started = true;
        let s = shape(table, &id_columns(table, cx), cx);
        state.judge = s.keys.is_empty() && !s.aggregate_columns && qualifies(&s);
        state.cols = s.quasi.iter().map(|(c, _)| *c).collect();
        state.shape = s;
        state.classes = Classes::new(state.cols.len());
        if state.judge {
            for r in rows_of(table, cx) {
                state.classes.add_row(r, &state.cols);
            }
        }
    }
    if state.judge && !is_total(row, cx) {
        state.classes.add_row(row, &state.cols);
    }
}

/// The judgement of a streamed table, after its last row.
pub fn finish_stream(state: StreamState, table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !state.judge {
        return;
    }
    let s = &state.shape;
    if s.exact_birth || state.classes.mostly_small(cx.rules.thresholds.min_count) {
        out.push(listing_finding(table, s, cx, state.classes.rows));
    }
}

fn is_total(row: &Row, cx: &Context<'_>) -> bool {
    !row.label.trim().is_empty() && cx.lexicon.is_total(&row.label)
}

fn rows_of<'t>(table: &'t Table, cx: &'t Context<'_>) -> impl Iterator<Item = &'t Row> + 't {
    table.rows.iter().filter(move |r| !is_total(r, cx))
}

/// Enough quasi-identifiers to judge by: two or more, or an exact birth date.
fn qualifies(s: &Shape) -> bool {
    s.exact_birth || s.quasi.len() >= 2
}

fn kinds(s: &Shape) -> String {
    let mut ks: Vec<QiKind> = s.quasi.iter().map(|(_, k)| *k).collect();
    ks.sort();
    ks.dedup();
    ks.iter()
        .map(|k| k.describe())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A headerless table of at least 50 rows, two or more columns, nothing but numbers, whose rows
/// are mostly distinct: a data file (fixed-width `.asc`, a bare CSV extract), not a result.
fn raw_number_dump(table: &Table) -> bool {
    let no_header = table
        .header
        .iter()
        .all(|r| r.iter().all(|c| c.text.trim().is_empty()));
    if !no_header || table.rows.len() < 50 || table.columns.len() < 2 {
        return false;
    }
    let all_numbers = table.rows.iter().all(|r| {
        r.cells
            .iter()
            .all(|c| matches!(c.value, Value::Number(_) | Value::Empty))
    });
    if !all_numbers {
        return false;
    }
    let distinct: std::collections::HashSet<Vec<&str>> = table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
        .collect();
    distinct.len() * 2 >= table.rows.len()
}

/// `200 rows`; a number of rows below the threshold is itself a small count and is not shown.
fn row_count(rows: u64, cx: &Context<'_>) -> String {
    if rows < u64::from(cx.rules.thresholds.min_count) {
        format!("fewer than {} rows", cx.rules.thresholds.min_count)
    } else {
        format!("{rows} rows")
    }
}

fn total_rows(table: &Table) -> u64 {
    table.rows.len() as u64 + table.streamed_rows
}

fn listing_finding(table: &Table, s: &Shape, cx: &Context<'_>, rows: u64) -> Finding {
    let why = if s.exact_birth && s.quasi.len() < 2 {
        "with an exact birth date in every row".to_string()
    } else {
        format!(
            "without a count column, and most combinations of the quasi-identifiers occur fewer than {} times",
            cx.rules.thresholds.min_count
        )
    };
    Finding::new(
        ID,
        Severity::Error,
        format!(
            "records about individuals: {} with quasi-identifiers ({}) {why}",
            row_count(rows, cx),
            kinds(s)
        ),
        table.location(),
        basis(&[&table.digest, b"micro-data listing"]),
    )
}

/// Judge a table: its columns, and, for a table whose rows are all in memory, its rows.
/// `ids` are the table's identifier columns ([`id_columns`]).
pub fn check_table(
    table: &Table,
    ids: &[(u32, &'static str)],
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
) {
    if raw_number_dump(table) {
        out.push(Finding::new(
            ID,
            Severity::Error,
            format!(
                "{} of unlabelled numbers with no header, mostly distinct: a raw data extract of records, not an aggregate result",
                row_count(total_rows(table), cx)
            ),
            table.location(),
            basis(&[&table.digest, b"micro-data dump"]),
        ));
        return;
    }
    let s = shape(table, ids, cx);
    let rows = total_rows(table);
    let key_like = !s.aggregate_columns && !s.key_like.is_empty();
    if !s.keys.is_empty() || key_like {
        let mut what: Vec<String> = Vec::new();
        let mut kinds_seen: Vec<&str> = Vec::new();
        for (_, w) in &s.keys {
            if !kinds_seen.contains(w) {
                kinds_seen.push(w);
            }
        }
        for kind in kinds_seen {
            let labels: Vec<&str> = s
                .keys
                .iter()
                .filter(|(_, w)| *w == kind)
                .map(|(l, _)| l.as_str())
                .collect();
            what.push(format!("{kind}s ({})", labels.join(", ")));
        }
        if key_like {
            what.push(format!("key-like values ({})", s.key_like.join(", ")));
        }
        let mut message = format!(
            "records about individuals: {} with {}",
            row_count(rows, cx),
            what.join(", ")
        );
        if !s.quasi.is_empty() {
            message.push_str(&format!(" and quasi-identifiers ({})", kinds(&s)));
        }
        out.push(Finding::new(
            ID,
            Severity::Error,
            message,
            table.location(),
            basis(&[&table.digest, b"micro-data keys"]),
        ));
        return;
    }
    if table.streamed_rows > 0 || s.aggregate_columns || !qualifies(&s) {
        // A streamed table is judged when its last row has passed (`finish_stream`).
        return;
    }
    let cols: Vec<u32> = s.quasi.iter().map(|(c, _)| *c).collect();
    let mut classes = Classes::new(cols.len());
    for row in rows_of(table, cx) {
        classes.add_row(row, &cols);
    }
    let exact_birth = s.exact_birth && classes.rows >= MIN_ROWS;
    if exact_birth || classes.mostly_small(cx.rules.thresholds.min_count) {
        out.push(listing_finding(table, &s, cx, classes.rows));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_tell_listings_from_aggregates() {
        // 40 persons, 20 distinct (age, sex) pairs: every class has 2.
        let mut c = Classes::new(2);
        for i in 0..40 {
            let age = format!("{}", 30 + i % 20);
            c.add(&[&age, if i % 2 == 0 { "M" } else { "F" }]);
        }
        assert!(c.mostly_small(5));
        // An aggregate: one row per (age band, sex).
        let mut a = Classes::new(2);
        for band in ["0-19", "20-39", "40-59", "60-79", "80+"] {
            for sex in ["M", "F"] {
                a.add(&[band, sex]);
            }
        }
        assert!(a.aggregate_shape());
        assert!(!a.mostly_small(5));
        // Large classes: not a listing by quasi-identifiers.
        let mut b = Classes::new(2);
        for i in 0..200 {
            b.add(&[if i % 2 == 0 { "M" } else { "F" }, "x"]);
        }
        assert!(!b.mostly_small(5));
    }

    #[test]
    fn class_table_is_bounded() {
        let mut c = Classes::new(1);
        c.counts.reserve(0);
        for i in 0..(MAX_CLASSES + 10) {
            c.add(&[&i.to_string()]);
        }
        assert_eq!(c.counts.len(), MAX_CLASSES);
        assert_eq!(c.overflow, 10);
        assert!(c.distinct[0].len() <= MAX_DISTINCT);
    }
}
