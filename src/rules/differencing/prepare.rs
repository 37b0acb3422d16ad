//! Tables prepared for comparison: the population a table describes (from its constant
//! columns, headers, title, sheet or file name), its row variable, and its count cells by
//! (row key, column key), split per population when its count columns are populations.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::{Differencing, Vocabulary};
use crate::model::{Cell, Kind, Location, Table, Value};
use crate::rules::Context;
use crate::table::classify::{contains_run, token_runs, tokens};

/// The population a table describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Population {
    /// The whole population: named so, or nothing names a sub-group.
    All,
    /// A sub-population of `[differencing.groups]`.
    Group(String),
}

/// What a count cell shows.
#[derive(Debug, Clone, Copy)]
pub(super) enum Shown {
    Known(i64),
    Hidden,
}

/// Count cells by `(row key, column key)`: what each shows and the cell.
pub(super) type Cells<'a> = HashMap<(String, String), (Shown, &'a Cell)>;

/// Group sizes and totals: key → value and location.
pub(super) type Totals = BTreeMap<String, (i64, Location)>;

/// A table prepared for comparison.
pub(super) struct Prepared<'a> {
    pub(super) file: usize,
    pub(super) table: &'a Table,
    pub(super) population: Population,
    /// Normalised header of the row labels (`age`), empty if none.
    pub(super) stub: String,
    /// `(row key, column key)` → shown count and its cell; duplicated keys are left out.
    pub(super) cells: Cells<'a>,
    /// Row keys in table order (without duplicates).
    pub(super) row_keys: Vec<String>,
    /// Row key → the row's label as shown (without constant columns).
    pub(super) labels: HashMap<String, String>,
    /// Column keys of count columns.
    pub(super) col_keys: Vec<String>,
    /// Group sizes and totals: key → value and location.
    pub(super) totals: Totals,
    /// The body rows with their row key, in table order (blank cells included, for the
    /// partition check).
    pub(super) rows: Vec<(String, &'a crate::model::Row)>,
    /// The label columns that are not constant: the row variable(s).
    pub(super) key_cols: Vec<u32>,
}

/// Compiled population words.
pub(super) struct Words {
    all: Vec<Vec<String>>,
    groups: Vec<(String, Vec<Vec<String>>)>,
    /// Title words that restrict a table to part of a population (`[vocabulary]
    /// population_restriction`).
    restricting: Vec<Vec<String>>,
}

impl Words {
    pub(super) fn new(d: &Differencing, vocabulary: &Vocabulary) -> Self {
        Words {
            all: token_runs(&d.all),
            groups: d
                .groups
                .iter()
                .map(|(name, words)| (name.clone(), token_runs(words)))
                .collect(),
            restricting: token_runs(&vocabulary.population_restriction),
        }
    }

    /// The population a text names, if any.
    pub(super) fn population(&self, text: &str) -> Option<Population> {
        let toks = tokens(text);
        let named: Vec<&String> = self
            .groups
            .iter()
            .filter(|(_, ps)| ps.iter().any(|p| contains_run(&toks, p)))
            .map(|(n, _)| n)
            .collect();
        match named.as_slice() {
            [one] => Some(Population::Group((*one).clone())),
            [] if self.all.iter().any(|p| contains_run(&toks, p)) => Some(Population::All),
            [] => None,
            // `Men and women`: everyone.
            _ => Some(Population::All),
        }
    }

    /// The tokens of a header without its population words (`men / HD` → `hd`).
    pub(super) fn strip(&self, text: &str) -> String {
        let mut toks = tokens(text);
        let all = self
            .groups
            .iter()
            .flat_map(|(_, ps)| ps.iter())
            .chain(&self.all);
        for p in all {
            while let Some(i) =
                (0..toks.len().saturating_sub(p.len() - 1)).find(|&i| toks[i..].starts_with(p))
            {
                toks.drain(i..i + p.len());
            }
        }
        toks.join(" ")
    }

    /// The measure a column header restricts to part of a population (`Patients (18+)`,
    /// `Patienter 65+ år`, `Patients, adults`, `Deaths excluding care homes`): the header before
    /// its restriction (an open or closed band, or a word of `population_restriction`), without
    /// population words; `None` when nothing restricts it.
    pub(super) fn header_restriction(
        &self,
        header: &str,
        bands: &crate::table::interval::IntervalWords,
    ) -> Option<String> {
        let toks = tokens(header);
        let by_word = (0..toks.len())
            .find(|&i| self.restricting.iter().any(|p| toks[i..].starts_with(p)))
            .map(|i| toks[..i].join(" "));
        // A band from a digit to the end of the header or of a bracket.
        let by_band = header.char_indices().find_map(|(i, c)| {
            let starts = c.is_ascii_digit()
                && !header[..i].ends_with(|p: char| p.is_ascii_digit() || p == '.' || p == ',');
            if !starts {
                return None;
            }
            let rest = header[i..].trim_end_matches([')', ']', ' ']);
            let rest = rest.split([')', ']']).next().unwrap_or(rest);
            crate::table::interval::band_bounds(rest, bands).map(|_| header[..i].to_string())
        });
        let prefix = match (by_word, by_band) {
            (Some(w), Some(b)) => {
                if tokens(&b).len() < tokens(&w).len() {
                    b
                } else {
                    w
                }
            }
            (Some(w), None) => w,
            (None, Some(b)) => b,
            (None, None) => return None,
        };
        Some(self.strip(&prefix))
    }

    /// Whether a title says its table is restricted to part of a population.
    pub(super) fn title_restricts(&self, title: &str) -> bool {
        let toks = tokens(title);
        self.restricting.iter().any(|p| contains_run(&toks, p))
    }
}

pub(super) fn key(text: &str) -> String {
    tokens(text).join(" ")
}

fn count_value(value: &Value) -> Option<Shown> {
    match value {
        Value::Number(n) if !n.percent && n.value.fract() == 0.0 && n.value.abs() < 9.0e15 => {
            Some(Shown::Known(n.value as i64))
        }
        Value::CountShare { count, .. } => count_value(count),
        Value::Suppressed(_) => Some(Shown::Hidden),
        _ => None,
    }
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// The label of a row key as shown.
pub(super) fn row_label<'t>(p: &'t Prepared<'_>, row_key: &str) -> &'t str {
    p.labels.get(row_key).map_or("", String::as_str)
}

/// A table prepared for comparison: one, or one per population when `split` and its count
/// columns are populations.
pub(super) fn prepare<'a>(
    file: usize,
    path: &str,
    table: &'a Table,
    words: &Words,
    cx: &Context<'_>,
    split: bool,
) -> Vec<Prepared<'a>> {
    let label_cols: Vec<u32> = table.label_columns();
    let (constant, named) = constant_columns(table, &label_cols, words);
    let count_cols: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Count)
        .map(|c| c.col)
        .collect();
    let population = population(table, path, &count_cols, named, words);
    let stub = label_cols
        .iter()
        .find(|c| !constant.contains(c))
        .and_then(|c| table.column(*c))
        .map(|c| key(&c.name))
        .unwrap_or_default();
    let col_keys = column_keys(table, &count_cols, words);
    let mut body = Body::default();
    for row in &table.rows {
        body.add_row(
            table,
            row,
            (&label_cols, &constant),
            (&count_cols, &col_keys),
            cx,
        );
    }
    for k in &body.duplicated {
        body.cells.remove(k);
    }
    header_sizes(table, &mut body.totals);
    let key_cols = label_cols
        .iter()
        .copied()
        .filter(|c| !constant.contains(c))
        .collect();
    let whole = Prepared {
        file,
        table,
        population,
        stub,
        cells: body.cells,
        row_keys: body.row_keys,
        labels: body.labels,
        col_keys,
        totals: body.totals,
        rows: body.rows,
        key_cols,
    };
    if !split {
        return vec![whole];
    }
    split_by_population(whole, &count_cols, words)
}

/// Constant label columns (`Sex = Male` on every row) name the population, not a category: the
/// constant columns, and the population the first of them names.
fn constant_columns(
    table: &Table,
    label_cols: &[u32],
    words: &Words,
) -> (Vec<u32>, Option<Population>) {
    let mut constant: Vec<u32> = Vec::new();
    let mut population: Option<Population> = None;
    if table.rows.len() >= 2 {
        for &col in label_cols {
            let mut texts = table.rows.iter().map(|r| {
                r.cells
                    .iter()
                    .find(|c| c.col == col)
                    .map_or("", |c| c.text.trim())
            });
            let first = texts.next().unwrap_or("");
            if !first.is_empty() && texts.all(|t| t == first) {
                constant.push(col);
                if population.is_none() {
                    population = words.population(first);
                }
            }
        }
    }
    (constant, population)
}

/// The population of a table: named by a constant column, else by every count column's header,
/// the title, the sheet or the file name; else all persons.
fn population(
    table: &Table,
    path: &str,
    count_cols: &[u32],
    constant: Option<Population>,
    words: &Words,
) -> Population {
    // Every count column headed by the same population (`men / HD`, `men / Pop`).
    let population = constant.or_else(|| {
        let mut named = count_cols
            .iter()
            .map(|&c| table.column(c).and_then(|c| words.population(&c.name)));
        let first = named.next().flatten()?;
        named.all(|p| p.as_ref() == Some(&first)).then_some(first)
    });
    population
        .or_else(|| {
            let title = table.title.join(" ");
            words.population(&title)
        })
        .or_else(|| table.sheet.as_deref().and_then(|s| words.population(s)))
        .or_else(|| words.population(file_stem(path)))
        .unwrap_or(Population::All)
}

/// The keys of the count columns: their headers without population words.
fn column_keys(table: &Table, count_cols: &[u32], words: &Words) -> Vec<String> {
    // A group size in a header (`All patients (N = 1025)`) names the same column as another
    // N: the sizes themselves are compared as totals, not as parts of the name.
    let col_key = |col: u32| -> String {
        table
            .column(col)
            .map(|c| words.strip(&crate::redact::safe_label(&c.name)))
            .unwrap_or_default()
    };
    let col_keys: Vec<String> = count_cols.iter().map(|&c| col_key(c)).collect();
    // Columns named by population words (`Men`, `Women`) would all strip to one key: they are
    // categories, keep their names.
    if col_keys.iter().collect::<BTreeSet<_>>().len() < col_keys.len() {
        return count_cols
            .iter()
            .map(|&c| {
                table
                    .column(c)
                    .map(|c| key(&crate::redact::safe_label(&c.name)))
                    .unwrap_or_default()
            })
            .collect();
    }
    col_keys
}

/// The count cells, rows and totals of a table's body, gathered row by row.
#[derive(Default)]
struct Body<'a> {
    cells: Cells<'a>,
    duplicated: BTreeSet<(String, String)>,
    row_keys: Vec<String>,
    labels: HashMap<String, String>,
    totals: Totals,
    rows: Vec<(String, &'a crate::model::Row)>,
}

impl<'a> Body<'a> {
    /// Adds the count cells of one row (a row of counts or of unknown kind with a label), and
    /// its totals when it is a total or `N` row.
    fn add_row(
        &mut self,
        table: &'a Table,
        row: &'a crate::model::Row,
        (label_cols, constant): (&[u32], &[u32]),
        (count_cols, col_keys): (&[u32], &[String]),
        cx: &Context<'_>,
    ) {
        if !matches!(row.kind, Kind::Unknown | Kind::Count) {
            return;
        }
        let label: Vec<&str> = row
            .cells
            .iter()
            .filter(|c| label_cols.contains(&c.col) && !constant.contains(&c.col))
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        let shown_label = label.join(" / ");
        let row_key = key(&shown_label);
        if row_key.is_empty() {
            return;
        }
        let is_total = cx.lexicon.is_total(&row.label);
        let is_n = row.kind == Kind::Count && tokens(&row.label) == ["n"];
        if !self.labels.contains_key(&row_key) {
            self.labels.insert(row_key.clone(), shown_label);
            self.row_keys.push(row_key.clone());
        }
        self.rows.push((row_key.clone(), row));
        for (i, &col) in count_cols.iter().enumerate() {
            let Some(cell) = row.cells.iter().find(|c| c.col == col) else {
                continue;
            };
            if table.cell_kind(row, cell) != Kind::Count {
                continue;
            }
            let Some(shown) = count_value(&cell.value) else {
                continue;
            };
            let k = (row_key.clone(), col_keys[i].clone());
            match self.cells.entry(k) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    self.duplicated.insert(e.key().clone());
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((shown, cell));
                }
            }
            if let (true, Shown::Known(v)) = (is_total || is_n, shown) {
                let what = if is_n { "n" } else { "total" };
                self.totals
                    .entry(format!("{what}|{}", col_keys[i]))
                    .or_insert((v, table.locate(cell)));
            }
        }
    }
}

/// Group sizes in headers: `Exposed (N=412)`.
fn header_sizes(table: &Table, totals: &mut Totals) {
    for header_row in &table.header {
        for cell in header_row {
            if let Some(n) = crate::redact::group_sizes(&cell.text).next() {
                let k: Vec<String> = tokens(&cell.text)
                    .into_iter()
                    .filter(|t| !t.chars().all(|c| c.is_ascii_digit()))
                    .collect();
                totals
                    .entry(format!("header|{}", k.join(" ")))
                    .or_insert((n, table.locate(cell)));
            }
        }
    }
}

/// A table whose count columns are populations (`Men`, `Women`, `Total`, or `Men / HD`, `Women
/// / HD`, `All / HD`) becomes one prepared table per population, each with the measures left
/// when the population words are taken out of its headers: `Men` is the count of men, and
/// aligns with a table of men elsewhere. Only when the whole population is among the columns,
/// with at least one sub-group, and each population's measures are distinct.
fn split_by_population<'a>(
    whole: Prepared<'a>,
    count_cols: &[u32],
    words: &Words,
) -> Vec<Prepared<'a>> {
    if whole.population != Population::All || count_cols.len() < 2 {
        return vec![whole];
    }
    let table = whole.table;
    // Per count column: its key in `whole`, its population and its measure.
    let mut cols: Vec<(&String, Population, String)> = Vec::new();
    for (i, &c) in count_cols.iter().enumerate() {
        let Some(name) = table.column(c).map(|c| c.name.as_str()) else {
            return vec![whole];
        };
        let Some(pop) = words.population(name) else {
            return vec![whole];
        };
        cols.push((&whole.col_keys[i], pop, words.strip(name)));
    }
    let has_all = cols.iter().any(|c| c.1 == Population::All);
    let has_group = cols.iter().any(|c| matches!(c.1, Population::Group(_)));
    if !has_all || !has_group {
        return vec![whole];
    }
    let mut pops: Vec<Population> = Vec::new();
    for c in &cols {
        if !pops.contains(&c.1) {
            pops.push(c.1.clone());
        }
    }
    for p in &pops {
        let measures: Vec<&String> = cols.iter().filter(|c| &c.1 == p).map(|c| &c.2).collect();
        if measures.iter().collect::<BTreeSet<_>>().len() < measures.len() {
            return vec![whole];
        }
    }
    pops.into_iter()
        .map(|pop| one_population(&whole, &cols, pop))
        .collect()
}

/// The part of a split table that counts one population, its measures keyed without the
/// population words.
fn one_population<'a>(
    whole: &Prepared<'a>,
    cols: &[(&String, Population, String)],
    pop: Population,
) -> Prepared<'a> {
    let mine: HashMap<&String, &String> = cols
        .iter()
        .filter(|c| c.1 == pop)
        .map(|c| (c.0, &c.2))
        .collect();
    let cells = whole
        .cells
        .iter()
        .filter_map(|((r, c), v)| mine.get(c).map(|m| ((r.clone(), (*m).clone()), *v)))
        .collect();
    let col_keys = cols
        .iter()
        .filter(|c| c.1 == pop)
        .map(|c| c.2.clone())
        .collect();
    let totals = whole
        .totals
        .iter()
        .filter_map(|(k, v)| {
            let (what, col) = k.split_once('|')?;
            let m = mine.get(&col.to_string())?;
            Some((format!("{what}|{m}"), v.clone()))
        })
        .collect();
    Prepared {
        file: whole.file,
        table: whole.table,
        population: pop,
        stub: whole.stub.clone(),
        cells,
        row_keys: whole.row_keys.clone(),
        labels: whole.labels.clone(),
        col_keys,
        totals,
        rows: whole.rows.clone(),
        key_cols: whole.key_cols.clone(),
    }
}
