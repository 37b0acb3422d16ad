//! ## What it does
//! Compares the tables of a folder (and the tables within one file) that describe nested
//! populations and flags a count from 1 to the threshold minus one that only their combination
//! reveals.
//!
//! Tables **align** when they count the same measure (a count column, by its header without
//! population words), their row variable is the same (the same stub header, mostly the same
//! categories, or two bandings of one extent; bands are compared as intervals whatever their
//! notation: `0-39`, `0–39 år`, `0 to 39`, `<40`, `under 40`, `40+`, `85 år+`, `65 and over`,
//! `65 år og derover`, `65 år och äldre`, `65 ja yli`, `75-`) and their populations nest: a
//! table of all persons and one of a sub-group (`Men`, `Mænd`, `Miehet`, `Women` … from a
//! constant column, the headers, the title or the file name; every sub-group cell at most its
//! all-persons cell), or two tables of the same population (no shared category with different
//! counts). A table whose count columns are populations (`Men`, `Women`, `Total`) counts each
//! population in its column and aligns population by population. Aligned tables become one
//! linear system over **atoms**, the common refinement of their categories: one non-negative
//! unknown per sub-group (and the rest of the population) × elementary interval (`0-15` and
//! `0-17` give `0-15`, `16-17`) or label. Every published cell is an equation, suppressed cells
//! (`x`, `<5`) and rounded cells (rounding to 5 or 10 or midpoint 6, declared or seen in the
//! values) are unknowns with their boxes, **each table's own relations** (its Total column,
//! total and sub-total rows, as `back-calculation` finds and confirms them; not for rounded
//! tables) join the system, and the back-calculation audit (presolve, bound propagation,
//! Gaussian elimination, LP and integer programs) runs over it. An atom or a suppressed cell
//! recovered exactly, or narrowed to at most `narrow_max_values` values, below the threshold,
//! is an error at the cell of the table that subtracts; `related` names the other files. This
//! covers the complement `all − men`, overlapping bands, **three-term differences** (`all − men
//! − women`), a **suppressed cell that another table's banding gives back**, a derivation
//! through **one table's Total column and another table's cell** (Men `<5` beside Women `x` and
//! Total, and a table of women), and tables within one file. A suppressed cell that the tables
//! together give back exactly as a value of at least the threshold (the suppression hides
//! nothing, B5), or narrow below the threshold to more values (B3w), is a warning. Only what
//! needs two tables is reported: a result one table's own relations give is
//! `back-calculation`'s.
//!
//! **Repeated analyses.** A table that equals another cell by cell except for a few persons
//! fewer (the same layout and labels, every cell at most the other's, at least half of the
//! non-zero cells exactly equal, some differences from 1 to the threshold minus one) is the
//! other minus a small group, and the difference table describes that group, its category
//! included: an error at each cell that differs by less than the threshold, `related` naming the
//! other file. Two years of one register table (cells going both ways) are not nested, and
//! tables rounded to 5 or 10 are not compared this way. The same total or group size in two
//! tables differing by less than the threshold (`N = 1023` and `N = 1025`) without that evidence
//! is a warning: a person must decide whether the populations really differ.
//!
//! When the merged system has more than `max_atoms` atoms, the tables are compared pair by pair
//! instead (complements, nested bands) and an info finding says the audit was partial.
//!
//! **Declared links.** Relations only a person can know are declared in a rules file or profile
//! as `[[link]]` entries: `kind = "contains"` with `tables = [outer, inner]` (the first table's
//! population contains the second's cell by cell, such as an enumeration district and an output
//! area: the difference is the count of the part outside), and `kind = "equal_population"` with
//! `cells = [a, b]` (two cells of different tables count the same people). A table is written
//! `path` or `path#N` (the N-th table of the file), a path relative to the checked folder; a cell
//! is `path[#N]:row label` when the table has one count column, else `path[#N]:row label/column`.
//! A link that matches no table or cell of the checked folder is a warning; a malformed one stops
//! the run (exit 2) naming the rules file, line and entry.
//!
//! ## Why is this bad?
//! Each table may be safe on its own and still disclose in combination: the total-population
//! table minus the table for men gives the table for women, and a cell of 1 there identifies a
//! woman. Two age groupings that differ by two years give the count of those two years. A
//! repeated analysis after a late exclusion (N = 1023, then N = 1025) describes the excluded
//! two persons. Output checkers are asked to look at all tables of a release together.
//!
//! ## Example
//! ```text
//! all.csv                 men.csv
//! Age,HD,Pop              Age,HD,Pop
//! 21-30,8,20              21-30,7,19    <- differencing: all.csv minus this table gives a
//! 31-40,10,25             31-40,5,15       count below 5 for women, row '21-30'
//!
//! bands_a.csv             bands_b.csv
//! Age,Admissions          Age,Admissions
//! 0-15,120                0-17,123
//! 16-17,<5   <- recovered exactly: bands_b.csv's 0-17 minus this table's 0-15
//! 18-64,x    <- warning: bands_b.csv shows it, the suppression hides nothing (B5)
//! Total,420               18-64,297
//!
//! by_sex.csv              women.csv
//! Age,Men,Women,Total     Age,Women
//! 0-39,<5,x,23   <- Men recovered exactly: Total minus women.csv's 0-39
//! 40-64,40,45,85          0-39,20
//!
//! deaths_all.csv          deaths_excl.csv
//! Age,Deaths              Age,Deaths
//! 0-39,40                 0-39,40
//! 40-64,120               40-64,118    <- error: this table is deaths_all.csv minus a few
//! 65+,300                 65+,300         persons, and they were aged 40-64
//! Total,460               Total,458    <- error
//! ```
//! ```toml
//! [[link]]                           # rules file, -r links.toml
//! kind = "contains"
//! tables = ["ed1991.csv", "oa2001.csv"]
//! dimension = "area"
//! [[link]]
//! kind = "equal_population"
//! cells = ["emp.csv:Employed", "workplace.csv:Total/Number"]
//! ```
//! Publish the complement consistently suppressed in both tables, use the same bands in every
//! table, or publish only one of the overlapping tables.
//!
//! ## Options
//! `[differencing] enabled`, `max_table_cells` (default 2,000) and `max_total_cells` (default
//! 50,000: larger folders are compared in part and an info finding says so), `max_atoms`
//! (default 50,000: larger merged systems are compared pairwise), `[[link]]` entries, `all` (words for
//! the whole population) and `[differencing.groups]` (each sub-population and its words in
//! Danish, Finnish, Swedish, Norwegian, Dutch, French, German and English);
//! `[thresholds] min_count` and `zero_is_unsafe`; `[back_calculation] narrow_max_values`.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: it must not be possible to
//! calculate back to a value under 5, also from differences between tables. Eurostat/ESSnet,
//! Handbook on Statistical Disclosure Control (2010), §5.2: disclosure by differencing
//! (sub-population tables, linked tables, overlapping geographies). OpenSAFELY documentation,
//! output checking: "disclosure by differencing" and repeated analyses (N versus N+1).
//! Duke-Williams and Rees (1998), differencing of small-area geographies. SSB `ComputeIntervals`
//! (atoms of linked tables as inner cells).

mod atoms;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::{CellRef, Differencing, Link, LinkKind, TableRef};
use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Kind, Location, Table, Value};
use crate::redact::safe_label;
use crate::rules::{Checks, Context, FileTables, FolderRule, Rule, MAX_LISTED_PER_TABLE};
use crate::table::classify::tokens;

pub const RULE: Rule = Rule {
    id: "differencing",
    severity: Severity::Error,
    summary: "two tables in the folder whose difference reveals a count from 1 to threshold-1",
    source: include_str!("differencing.rs"),
    checks: Checks {
        folder: Some(&DifferencingRule),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct DifferencingRule;

impl FolderRule for DifferencingRule {
    fn check(&self, files: &[FileTables], cx: &Context<'_>) -> Vec<Placed> {
        check(files, cx)
    }

    fn enabled(&self, rules: &crate::config::Rules) -> bool {
        rules.differencing.enabled
    }

    fn keeps(&self, table: &Table, rules: &crate::config::Rules) -> bool {
        let cells: u64 = table.rows.iter().map(|r| r.cells.len() as u64).sum();
        table.streamed_rows == 0 && cells <= u64::from(rules.differencing.max_table_cells)
    }
}

/// A finding of a cross-file rule and the file (index into the input) it belongs to.
pub type Placed = (usize, Finding);

/// Most bands of one column compared (their runs grow with the square).
const MAX_BANDS: usize = 40;

/// Most pairs of band runs compared in one check, so that a folder of many banded tables stays
/// bounded; past it the band comparison stops and an info finding says so.
const MAX_RUN_PAIRS: u64 = 50_000_000;

/// The population a table describes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Population {
    /// The whole population: named so, or nothing names a sub-group.
    All,
    /// A sub-population of `[differencing.groups]`.
    Group(String),
}

/// What a count cell shows.
#[derive(Debug, Clone, Copy)]
enum Shown {
    Known(i64),
    Hidden,
}

/// A table prepared for comparison.
struct Prepared<'a> {
    file: usize,
    table: &'a Table,
    population: Population,
    /// Normalised header of the row labels (`age`), empty if none.
    stub: String,
    /// `(row key, column key)` → shown count and its cell; duplicated keys are left out.
    cells: HashMap<(String, String), (Shown, &'a Cell)>,
    /// Row keys in table order (without duplicates).
    row_keys: Vec<String>,
    /// Row key → the row's label as shown (without constant columns).
    labels: HashMap<String, String>,
    /// Column keys of count columns.
    col_keys: Vec<String>,
    /// Group sizes and totals: key → value and location.
    totals: BTreeMap<String, (i64, Location)>,
}

/// Token runs of a word list.
fn phrases(words: &[String]) -> Vec<Vec<String>> {
    words
        .iter()
        .map(|w| tokens(w))
        .filter(|t| !t.is_empty())
        .collect()
}

fn contains_run(toks: &[String], p: &[String]) -> bool {
    p.len() <= toks.len() && toks.windows(p.len()).any(|w| w == p)
}

/// Compiled population words.
struct Words {
    all: Vec<Vec<String>>,
    groups: Vec<(String, Vec<Vec<String>>)>,
}

impl Words {
    fn new(d: &Differencing) -> Self {
        Words {
            all: phrases(&d.all),
            groups: d
                .groups
                .iter()
                .map(|(name, words)| (name.clone(), phrases(words)))
                .collect(),
        }
    }

    /// The population a text names, if any.
    fn population(&self, text: &str) -> Option<Population> {
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
    fn strip(&self, text: &str) -> String {
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
}

fn key(text: &str) -> String {
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

fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(f, _)| f)
}

fn prepare<'a>(
    file: usize,
    path: &str,
    table: &'a Table,
    words: &Words,
    cx: &Context<'_>,
    split: bool,
) -> Vec<Prepared<'a>> {
    let label_cols: Vec<u32> = table.label_columns();
    // Constant label columns (`Sex = Male` on every row) name the population, not a category.
    let mut constant: Vec<u32> = Vec::new();
    let mut population: Option<Population> = None;
    if table.rows.len() >= 2 {
        for &col in &label_cols {
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
    let count_cols: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Count)
        .map(|c| c.col)
        .collect();
    // Every count column headed by the same population (`men / HD`, `men / Pop`).
    let population = population.or_else(|| {
        let mut named = count_cols
            .iter()
            .map(|&c| table.column(c).and_then(|c| words.population(&c.name)));
        let first = named.next().flatten()?;
        named.all(|p| p.as_ref() == Some(&first)).then_some(first)
    });
    let population = population
        .or_else(|| {
            let title = table.title.join(" ");
            words.population(&title)
        })
        .or_else(|| table.sheet.as_deref().and_then(|s| words.population(s)))
        .or_else(|| words.population(file_stem(path)))
        .unwrap_or(Population::All);
    let stub = label_cols
        .iter()
        .find(|c| !constant.contains(c))
        .and_then(|c| table.column(*c))
        .map(|c| key(&c.name))
        .unwrap_or_default();
    // A group size in a header (`All patients (N = 1025)`) names the same column as another
    // N: the sizes themselves are compared as totals, not as parts of the name.
    let col_key = |col: u32| -> String {
        table
            .column(col)
            .map(|c| words.strip(&crate::redact::safe_label(&c.name)))
            .unwrap_or_default()
    };
    let mut col_keys: Vec<String> = count_cols.iter().map(|&c| col_key(c)).collect();
    // Columns named by population words (`Men`, `Women`) would all strip to one key: they are
    // categories, keep their names.
    if col_keys.iter().collect::<BTreeSet<_>>().len() < col_keys.len() {
        col_keys = count_cols
            .iter()
            .map(|&c| {
                table
                    .column(c)
                    .map(|c| key(&crate::redact::safe_label(&c.name)))
                    .unwrap_or_default()
            })
            .collect();
    }
    let mut cells: HashMap<(String, String), (Shown, &Cell)> = HashMap::new();
    let mut duplicated: BTreeSet<(String, String)> = BTreeSet::new();
    let mut row_keys: Vec<String> = Vec::new();
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut totals: BTreeMap<String, (i64, Location)> = BTreeMap::new();
    for row in &table.rows {
        if !matches!(row.kind, Kind::Unknown | Kind::Count) {
            continue;
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
            continue;
        }
        let is_total = cx.lexicon.is_total(&row.label);
        let is_n = row.kind == Kind::Count && tokens(&row.label) == ["n"];
        if !labels.contains_key(&row_key) {
            labels.insert(row_key.clone(), shown_label);
            row_keys.push(row_key.clone());
        }
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
            match cells.entry(k) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    duplicated.insert(e.key().clone());
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((shown, cell));
                }
            }
            if let (true, Shown::Known(v)) = (is_total || is_n, shown) {
                let what = if is_n { "n" } else { "total" };
                totals
                    .entry(format!("{what}|{}", col_keys[i]))
                    .or_insert((v, table.locate(cell)));
            }
        }
    }
    for k in &duplicated {
        cells.remove(k);
    }
    // Group sizes in headers: `Exposed (N=412)`.
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
    let whole = Prepared {
        file,
        table,
        population,
        stub,
        cells,
        row_keys,
        labels,
        col_keys,
        totals,
    };
    if !split {
        return vec![whole];
    }
    split_by_population(whole, &count_cols, words)
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
        .map(|pop| {
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
                table,
                population: pop,
                stub: whole.stub.clone(),
                cells,
                row_keys: whole.row_keys.clone(),
                labels: whole.labels.clone(),
                col_keys,
                totals,
            }
        })
        .collect()
}

/// Tables kept for comparison and the locations left out, each with its file index.
type Budget<'a> = (Vec<(usize, &'a Table)>, Vec<(usize, Location)>);

/// The tables of every file that may be compared, within the folder's cell budget; the
/// locations left out (file index, location) for info findings.
fn budget<'a>(files: &'a [FileTables], members: &[usize], d: &Differencing) -> Budget<'a> {
    let mut kept = Vec::new();
    let mut left = Vec::new();
    let mut used: u64 = 0;
    for &f in members {
        for loc in &files[f].too_large {
            left.push((f, loc.clone()));
        }
        for t in &files[f].tables {
            let cells: u64 = t.rows.iter().map(|r| r.cells.len() as u64).sum();
            if cells > u64::from(d.max_table_cells) || used + cells > u64::from(d.max_total_cells) {
                left.push((f, t.location()));
            } else {
                used += cells;
                kept.push((f, t));
            }
        }
    }
    (kept, left)
}

/// Findings listed per file, bounded.
struct Out<'a> {
    files: &'a [FileTables],
    listed: HashMap<usize, usize>,
    unlisted: BTreeMap<usize, u64>,
    found: Vec<Placed>,
    seen: BTreeSet<(usize, String)>,
    /// Pairs of band runs compared so far.
    run_pairs: u64,
    /// Files where the band comparison stopped at [`MAX_RUN_PAIRS`].
    stopped: BTreeSet<usize>,
    /// Places the merged audit flagged: the pairwise checks do not flag them again.
    places: BTreeSet<(usize, Location)>,
}

impl Out<'_> {
    /// A finding of the merged audit, one per place.
    fn push_audit(&mut self, file: usize, loc: Location, f: Finding) {
        if !self.places.contains(&(file, loc.clone())) {
            self.push(file, format!("audit|{loc:?}"), f);
            self.places.insert((file, loc));
        }
    }

    fn push(&mut self, file: usize, dedupe: String, f: Finding) {
        if f.severity == Severity::Error && self.places.contains(&(file, f.location.clone())) {
            return;
        }
        if !self.seen.insert((file, dedupe)) {
            return;
        }
        let n = self.listed.entry(file).or_insert(0);
        if *n < MAX_LISTED_PER_TABLE {
            *n += 1;
            self.found.push((file, f));
        } else {
            *self.unlisted.entry(file).or_insert(0) += 1;
        }
    }

    fn finish(mut self) -> Vec<Placed> {
        for file in std::mem::take(&mut self.stopped) {
            let path = self.files[file].path.clone();
            self.found.push((
                file,
                Finding::new(
                    ID,
                    Severity::Info,
                    "the comparison of banded categories with the other tables of the folder stopped at its work limit; some pairs were not compared",
                    Location::default(),
                    basis(&[path.as_bytes(), b"differencing stopped"]),
                ),
            ));
        }
        for (file, n) in std::mem::take(&mut self.unlisted) {
            let path = self.files[file].path.clone();
            self.found.push((
                file,
                Finding::new(
                    ID,
                    Severity::Error,
                    format!(
                        "{n} more differencing findings for this file are not listed (the first {MAX_LISTED_PER_TABLE} are)"
                    ),
                    Location::default(),
                    basis(&[path.as_bytes(), b"differencing more"]),
                ),
            ));
        }
        self.found
    }
}

/// Run the cross-file `differencing` rule over the tables of all files. Files are compared only
/// with files of the same folder (and files joined by a declared link); output is in input
/// order, deterministic.
pub fn check(files: &[FileTables], cx: &Context<'_>) -> Vec<Placed> {
    let d = &cx.rules.differencing;
    if !d.enabled {
        return Vec::new();
    }
    let words = Words::new(d);
    let links = &cx.rules.links;
    let index: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    // Folders, joined when a link names files of two of them.
    let mut folders: BTreeMap<&str, usize> = BTreeMap::new();
    for f in files {
        let n = folders.len();
        folders.entry(folder(&f.path)).or_insert(n);
    }
    let mut parent: Vec<usize> = (0..folders.len()).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            x = p[x];
        }
        x
    }
    for link in links {
        let named: Vec<usize> = link_paths(link)
            .filter_map(|p| index.get(p))
            .filter_map(|&i| folders.get(folder(&files[i].path)).copied())
            .collect();
        for w in named.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if !f.tables.is_empty() || !f.too_large.is_empty() {
            let g = root(&mut parent, folders[folder(&f.path)]);
            groups.entry(g).or_default().push(i);
        }
    }
    let mut out = Out {
        files,
        listed: HashMap::new(),
        unlisted: BTreeMap::new(),
        found: Vec::new(),
        seen: BTreeSet::new(),
        run_pairs: 0,
        stopped: BTreeSet::new(),
        places: BTreeSet::new(),
    };
    let mut used = vec![false; links.len()];
    for members in groups.values() {
        let tables: usize = members
            .iter()
            .map(|&f| files[f].tables.len() + files[f].too_large.len())
            .sum();
        if tables < 2 {
            continue;
        }
        let (kept, left) = budget(files, members, d);
        for (f, loc) in left {
            let msg = "this table was not compared with the other tables of the folder for differencing: it is too large or the folder's tables exceed the comparison limit";
            let b = basis(&[files[f].path.as_bytes(), format!("{loc:?}").as_bytes()]);
            out.found
                .push((f, Finding::new(ID, Severity::Info, msg, loc, b)));
        }
        // Tables named by a link stay whole: the link speaks of the table.
        let linked: BTreeSet<&str> = links.iter().flat_map(link_paths).collect();
        let prepared: Vec<Prepared<'_>> = kept
            .iter()
            .flat_map(|&(f, t)| {
                let split = !linked.contains(files[f].path.as_str());
                prepare(f, &files[f].path, t, &words, cx, split)
            })
            .collect();
        let resolved = resolve_links(links, &prepared, files, &words, &mut used);
        let covered = atoms::run(
            &prepared,
            files,
            links,
            (&resolved.0, &resolved.1),
            cx,
            &mut out,
        );
        // Band runs per table and column, computed once (not once per pair of tables).
        let band_runs: Vec<HashMap<&str, Runs<'_>>> = prepared
            .iter()
            .map(|p| {
                p.col_keys
                    .iter()
                    .filter_map(|k| runs(p, k, cx).map(|r| (k.as_str(), r)))
                    .collect()
            })
            .collect();
        let sorted: Vec<Vec<SortedCell<'_>>> = prepared.iter().map(sorted_cells).collect();
        for (ai, a) in prepared.iter().enumerate() {
            for (bi, b) in prepared.iter().enumerate() {
                if a.file == b.file {
                    continue;
                }
                let skip = |col: &str| covered.has(ai, bi, col);
                if a.population == Population::All {
                    if let Population::Group(g) = &b.population {
                        subpopulation(a, b, g, &prepared, files, cx, &skip, &mut out);
                    }
                }
                if a.population == b.population && a.file < b.file {
                    bands(
                        a,
                        b,
                        (&band_runs[ai], &band_runs[bi]),
                        files,
                        cx,
                        &skip,
                        &mut out,
                    );
                    let sorted = (&sorted[ai][..], &sorted[bi][..]);
                    if !nested_repeat(a, b, sorted, files, cx, &mut out) {
                        repeats(a, b, files, cx, &mut out);
                    }
                }
            }
        }
    }
    for (li, link) in links.iter().enumerate() {
        if used[li] {
            continue;
        }
        // On the first named file that exists, else on the first file checked.
        let Some(file) = link_paths(link)
            .find_map(|p| index.get(p).copied())
            .or(if files.is_empty() { None } else { Some(0) })
        else {
            continue;
        };
        let what = match link.kind {
            LinkKind::Contains => "both of its tables",
            LinkKind::EqualPopulation => "both of its cells",
        };
        let msg = format!(
            "the link declared in {} was not used: the checked folder does not hold {what} as named (check the file paths, table numbers, row labels and columns)",
            safe_label(&link.origin)
        );
        out.found.push((
            file,
            Finding::new(
                ID,
                Severity::Warning,
                msg,
                Location::default(),
                basis(&[link.origin.as_bytes(), b"link unused"]),
            ),
        ));
    }
    out.finish()
}

/// The file paths a link names.
fn link_paths(link: &Link) -> impl Iterator<Item = &str> {
    link.tables
        .iter()
        .chain(link.cells.iter().map(|c| &c.table))
        .map(|t| t.path.as_str())
}

/// The prepared table a reference names: the numbered table of the file, or its first one.
fn find_table(r: &TableRef, prepared: &[Prepared<'_>], files: &[FileTables]) -> Option<usize> {
    prepared
        .iter()
        .enumerate()
        .filter(|(_, p)| files[p.file].path == r.path)
        .filter(|(_, p)| r.table.is_none_or(|n| p.table.index == n))
        .min_by_key(|(_, p)| p.table.index)
        .map(|(i, _)| i)
}

/// The (table, row key, column key) a cell reference names: the text after the colon is the
/// row label, or a row label and a column header split at a `/`; without a column the table
/// must have one count column.
fn find_cell(
    r: &CellRef,
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    words: &Words,
) -> Option<atoms::CellId> {
    let t = find_table(&r.table, prepared, files)?;
    let p = &prepared[t];
    let mut cols: Vec<&String> = p.col_keys.iter().collect();
    cols.sort();
    cols.dedup();
    let mut tries: Vec<(&str, Option<&str>)> = vec![(r.cell.as_str(), None)];
    for (i, c) in r.cell.char_indices() {
        if c == '/' {
            tries.push((&r.cell[..i], Some(&r.cell[i + 1..])));
        }
    }
    for (row, col) in tries {
        let rk = key(row);
        if !p.labels.contains_key(&rk) {
            continue;
        }
        let ck = match col {
            None if cols.len() == 1 => cols[0].clone(),
            None => continue,
            Some(c) => {
                let k = words.strip(c);
                if !cols.contains(&&k) {
                    continue;
                }
                k
            }
        };
        if p.cells.contains_key(&(rk.clone(), ck.clone())) {
            return Some((t, rk, ck));
        }
    }
    None
}

/// The links whose tables or cells are all among `prepared`, marking them used.
fn resolve_links(
    links: &[Link],
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    words: &Words,
    used: &mut [bool],
) -> (Vec<atoms::Contains>, Vec<atoms::Equal>) {
    let mut contains = Vec::new();
    let mut equal = Vec::new();
    for (li, link) in links.iter().enumerate() {
        match link.kind {
            LinkKind::Contains => {
                let [outer, inner] = link.tables.as_slice() else {
                    continue;
                };
                if let (Some(o), Some(i)) = (
                    find_table(outer, prepared, files),
                    find_table(inner, prepared, files),
                ) {
                    if o != i {
                        contains.push((o, i, li));
                        used[li] = true;
                    }
                }
            }
            LinkKind::EqualPopulation => {
                let [a, b] = link.cells.as_slice() else {
                    continue;
                };
                if let (Some(x), Some(y)) = (
                    find_cell(a, prepared, files, words),
                    find_cell(b, prepared, files, words),
                ) {
                    if x != y {
                        equal.push((x, y, li));
                        used[li] = true;
                    }
                }
            }
        }
    }
    (contains, equal)
}

fn row_col_place(table: &Table, cell: &Cell, row_key_label: &str) -> String {
    let row = safe_label(row_key_label);
    format!("row '{row}', column {}", table.column_label(cell.col))
}

/// The label of a row key as shown.
fn row_label<'t>(p: &'t Prepared<'_>, row_key: &str) -> &'t str {
    p.labels.get(row_key).map_or("", String::as_str)
}

/// (a) All persons minus a sub-group: the complement.
#[allow(clippy::too_many_arguments)]
fn subpopulation(
    all: &Prepared<'_>,
    sub: &Prepared<'_>,
    group: &str,
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    cx: &Context<'_>,
    skip: &dyn Fn(&str) -> bool,
    out: &mut Out<'_>,
) {
    if !all.stub.is_empty() && !sub.stub.is_empty() && all.stub != sub.stub {
        return;
    }
    let t = i64::from(cx.rules.thresholds.min_count);
    let mut pairs: Vec<(&(String, String), i64, i64, &Cell)> = Vec::new();
    let mut sub_known = 0;
    for (k, (shown, cell)) in &sub.cells {
        let Shown::Known(s) = shown else { continue };
        sub_known += 1;
        if let Some((Shown::Known(a), _)) = all.cells.get(k) {
            pairs.push((k, *a, *s, cell));
        }
    }
    // The same categories, and every sub-group cell within its all-persons cell.
    if pairs.len() < 2 || 2 * pairs.len() < sub_known || pairs.iter().any(|p| p.2 > p.1) {
        return;
    }
    if pairs.iter().all(|p| p.1 == p.2) {
        return;
    }
    pairs.sort_by_key(|x| (x.3.row, x.3.col));
    for (k, a, s, cell) in pairs {
        if skip(&k.1) {
            continue;
        }
        let Some(diff) = a.checked_sub(s) else {
            continue;
        };
        if !(diff >= 1 && diff < t) {
            continue;
        }
        // Already published by another sub-group's table: `small-count` speaks for it there.
        let published = prepared.iter().any(|p| {
            p.file != sub.file
                && matches!(&p.population, Population::Group(g) if g != group)
                && matches!(p.cells.get(k), Some((Shown::Known(v), _)) if *v == diff)
        });
        if published {
            continue;
        }
        let other = &files[all.file].path;
        let mut f = Finding::new(
            ID,
            Severity::Error,
            format!(
                "count below {t} by differencing: the all-persons table in '{other}' minus this table ({group}) gives the rest of the population in {}",
                row_col_place(sub.table, cell, row_label(sub, &k.0))
            ),
            sub.table.locate(cell),
            basis(&[&sub.table.digest, &all.table.digest, k.0.as_bytes(), k.1.as_bytes()]),
        );
        f.related = vec![other.clone()];
        out.push(sub.file, format!("sub|{}|{}|{}", all.file, k.0, k.1), f);
    }
}

/// Units and connectors an interval label may carry besides its numbers (tokens, folded:
/// `år` is `aar`), in English, Danish, Norwegian, Swedish, Finnish, Dutch, German and French.
const INTERVAL_FILLERS: &[&str] = &[
    "age",
    "aged",
    "ages",
    "years",
    "year",
    "yrs",
    "yr",
    "y",
    "aar",
    "aarige",
    "aaringar",
    "aaringer",
    "vuotta",
    "vuotiaat",
    "vuotiaita",
    "v",
    "jaar",
    "ans",
    "jahre",
    "alder",
    "ikae",
    "to",
    "til",
    "till",
    "bis",
    "a",
    "tot",
    "and",
    "or",
    "og",
    "och",
    "eller",
    "ja",
    "tai",
    "en",
    "und",
    "et",
    "ou",
    "de",
];

/// Words after a number that open the top: `65 and over`, `65 år og derover`, `65 år och
/// äldre`, `65 ja yli`, `65 vuotta täyttäneet`, `65 jaar en ouder`, `65 Jahre und älter`, `65
/// ans et plus`.
const OPEN_HIGH_WORDS: &[&str] = &[
    "over",
    "older",
    "plus",
    "derover",
    "aeldre",
    "aldre",
    "eldre",
    "yli",
    "vanhemmat",
    "tayttaneet",
    "ouder",
    "alter",
    "mehr",
];

/// Words before a number that mean strictly above it: `over 64`, `above 64`, `yli 64`.
const ABOVE_WORDS: &[&str] = &["over", "above", "yli", "more", "than", "older"];

/// Words that mean strictly below the number: `under 18`, `alle 18`, `unter 18`, `moins de 18`.
const BELOW_WORDS: &[&str] = &[
    "under", "below", "alle", "unter", "moins", "less", "younger",
];

/// An integer interval category: `0-15`, `16–64`, `0 to 39`, `65+`, `85 år+`, `<18`, `85 and
/// over`, `65 år og derover`, `under 18 år`, `yli 64`, `75-` (Finnish: 75 and over).
fn interval(label: &str) -> Option<(i64, i64)> {
    let toks = tokens(label);
    let raw = label.trim().to_lowercase();
    let is_num = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let nums: Vec<i64> = toks
        .iter()
        .filter(|t| is_num(t) && t.len() <= 6)
        .filter_map(|t| t.parse().ok())
        .collect();
    // Every other token must be a unit, a connector or an open-end word.
    if toks.iter().any(|t| {
        !is_num(t)
            && !INTERVAL_FILLERS.contains(&t.as_str())
            && !OPEN_HIGH_WORDS.contains(&t.as_str())
            && !ABOVE_WORDS.contains(&t.as_str())
            && !BELOW_WORDS.contains(&t.as_str())
    }) {
        return None;
    }
    if nums.is_empty() || nums.len() != toks.iter().filter(|t| is_num(t)).count() {
        return None;
    }
    let first_num = toks.iter().position(|t| is_num(t)).unwrap_or(0);
    let before = &toks[..first_num];
    let after = &toks[first_num..];
    let word_before = |ws: &[&str]| before.iter().any(|t| ws.contains(&t.as_str()));
    let word_after = |ws: &[&str]| after.iter().any(|t| ws.contains(&t.as_str()));
    // `>30` starts above 30; `≥30`, `>=30`, `30+`, `30 and over` at 30; `over 30` above it.
    let strict_above = (raw.starts_with('>') && !raw.starts_with(">="))
        || (!raw.starts_with('≥') && word_before(ABOVE_WORDS));
    let above = raw.starts_with('>') || raw.starts_with('≥') || strict_above;
    let below = raw.starts_with('<')
        || raw.starts_with('≤')
        || word_before(BELOW_WORDS)
        || word_after(BELOW_WORDS);
    let plus = raw.contains('+');
    // `75-`, `75– v`: a dash after the only number, followed by nothing or a separate word
    // (Statistics Finland); not the glued suffix of `40-vuotiaat`.
    let dash = |c: char| matches!(c, '-' | '–' | '—');
    let trailing_dash = nums.len() == 1
        && raw
            .char_indices()
            .rfind(|&(_, c)| dash(c))
            .is_some_and(|(i, c)| {
                let rest = &raw[i + c.len_utf8()..];
                raw[..i].trim_end().ends_with(|d: char| d.is_ascii_digit())
                    && rest.chars().next().is_none_or(char::is_whitespace)
            });
    // `-14`: a leading dash before the only number.
    let leading_dash =
        nums.len() == 1 && (raw.starts_with('-') || raw.starts_with('–') || raw.starts_with('—'));
    let open_high = plus || above || trailing_dash || word_after(OPEN_HIGH_WORDS);
    let open_low = below || leading_dash;
    match nums.as_slice() {
        [a, b] if !open_high && !open_low && a <= b => Some((*a, *b)),
        [a] if open_high && !open_low => Some((if strict_above { a + 1 } else { *a }, i64::MAX)),
        [a] if open_low && !open_high => {
            let inclusive = raw.starts_with("<=") || raw.starts_with('≤') || leading_dash;
            let hi = if inclusive { *a } else { a - 1 };
            (hi >= 0).then_some((0, hi))
        }
        _ => None,
    }
}

/// An inclusive integer interval; an open top is `i64::MAX`.
type Interval = (i64, i64);

/// Runs of adjacent bands of one column: `(low, high)` → sum and the cells in it.
type Runs<'a> = BTreeMap<(i64, i64), (i64, Vec<&'a Cell>)>;

fn runs<'a>(p: &Prepared<'a>, col_key: &str, cx: &Context<'_>) -> Option<Runs<'a>> {
    let mut bands: Vec<((i64, i64), i64, &Cell)> = Vec::new();
    for rk in &p.row_keys {
        if cx.lexicon.is_total(rk) {
            continue;
        }
        let Some((shown, cell)) = p.cells.get(&(rk.clone(), col_key.to_string())) else {
            continue;
        };
        let Some(iv) = interval(row_label(p, rk)) else {
            continue;
        };
        // A hidden band breaks the runs through it: leave the column out.
        let Shown::Known(v) = shown else { return None };
        bands.push((iv, *v, cell));
    }
    if bands.len() < 2 || bands.len() > MAX_BANDS {
        return None;
    }
    bands.sort_by_key(|b| b.0);
    // Overlapping bands in one table (`0-17`, then `0-4` …): not a partition, leave it out.
    if bands.windows(2).any(|w| w[1].0 .0 <= w[0].0 .1) {
        return None;
    }
    let mut out: Runs<'a> = BTreeMap::new();
    for i in 0..bands.len() {
        let mut sum: i64 = 0;
        let mut cells = Vec::new();
        for j in i..bands.len() {
            if j > i && bands[j].0 .0 != bands[j - 1].0 .1.saturating_add(1) {
                break;
            }
            sum = sum.saturating_add(bands[j].1);
            cells.push(bands[j].2);
            out.insert((bands[i].0 .0, bands[j].0 .1), (sum, cells.clone()));
        }
    }
    Some(out)
}

fn show_interval(iv: (i64, i64)) -> String {
    if iv.1 == i64::MAX {
        format!("{}+", iv.0)
    } else if iv.0 == iv.1 {
        format!("{}", iv.0)
    } else {
        format!("{}-{}", iv.0, iv.1)
    }
}

/// (b) Nested bands of two tables of the same population.
#[allow(clippy::too_many_arguments)]
fn bands(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    (runs_a, runs_b): (&HashMap<&str, Runs<'_>>, &HashMap<&str, Runs<'_>>),
    files: &[FileTables],
    cx: &Context<'_>,
    skip: &dyn Fn(&str) -> bool,
    out: &mut Out<'_>,
) {
    if a.stub.is_empty() || a.stub != b.stub {
        return;
    }
    let t = i64::from(cx.rules.thresholds.min_count);
    let mut cols: Vec<&String> = a
        .col_keys
        .iter()
        .filter(|k| b.col_keys.contains(k))
        .collect();
    cols.sort();
    cols.dedup();
    for col in cols {
        if skip(col) {
            continue;
        }
        let (Some(ra), Some(rb)) = (runs_a.get(col.as_str()), runs_b.get(col.as_str())) else {
            continue;
        };
        let work = 2 * (ra.len() as u64) * (rb.len() as u64);
        if out.run_pairs.saturating_add(work) > MAX_RUN_PAIRS {
            out.stopped.insert(b.file);
            return;
        }
        out.run_pairs += work;
        // Same population: some common extent with equal sums, none with different sums.
        let mut equal = 0;
        let mut consistent = true;
        for (iv, (sa, _)) in ra {
            if let Some((sb, _)) = rb.get(iv) {
                if sa == sb {
                    equal += 1;
                } else {
                    consistent = false;
                }
            }
        }
        if !consistent || equal == 0 {
            continue;
        }
        // Runs of `inner` nested in runs of `outer`; the difference is the rest of `outer`.
        let mut hits: Vec<(Interval, Interval, bool)> = Vec::new();
        for (inner, outer, inner_is_a) in [(&ra, &rb, true), (&rb, &ra, false)] {
            for (iv_i, (si, _)) in inner.iter() {
                for (iv_o, (so, _)) in outer.iter() {
                    let nested = iv_o.0 <= iv_i.0 && iv_i.1 <= iv_o.1 && iv_i != iv_o;
                    if !nested {
                        continue;
                    }
                    let Some(diff) = so.checked_sub(*si) else {
                        continue;
                    };
                    if diff < 0 {
                        // Not the same population after all.
                        return;
                    }
                    if diff >= 1 && diff < t {
                        hits.push((*iv_i, *iv_o, inner_is_a));
                    }
                }
            }
        }
        for (iv_i, iv_o, inner_is_a) in hits {
            let pieces: Vec<(i64, i64)> = [
                (iv_o.0 < iv_i.0).then(|| (iv_o.0, iv_i.0 - 1)),
                (iv_i.1 < iv_o.1).then(|| (iv_i.1 + 1, iv_o.1)),
            ]
            .into_iter()
            .flatten()
            .collect();
            // A piece published (or summed) within one table is not news of the comparison.
            let within = |r: &Runs<'_>| pieces.iter().all(|p| r.contains_key(p));
            if within(ra) || within(rb) {
                continue;
            }
            // The finding goes on the later file (`b`), at its cells of the comparison.
            let (mine, theirs) = if inner_is_a {
                (iv_o, iv_i)
            } else {
                (iv_i, iv_o)
            };
            let Some(cell) = rb.get(&mine).and_then(|(_, cells)| cells.first()) else {
                continue;
            };
            let (here, there) = (b, a);
            let atom = pieces
                .iter()
                .map(|p| show_interval(*p))
                .collect::<Vec<_>>()
                .join(" and ");
            let other = &files[there.file].path;
            let column = here.table.column_label(cell.col);
            let mut f = Finding::new(
                ID,
                Severity::Error,
                format!(
                    "count below {t} by differencing: band {} in this table and band {} in '{other}' (column {column}) give the count of {atom}",
                    show_interval(mine),
                    show_interval(theirs),
                ),
                here.table.locate(cell),
                basis(&[&here.table.digest, &there.table.digest, atom.as_bytes(), col.as_bytes()]),
            );
            f.related = vec![other.clone()];
            out.push(here.file, format!("band|{}|{col}|{atom}", there.file), f);
        }
    }
}

/// Whether a table's counts look rounded: declared or detected, or every non-zero count a
/// multiple of 5 (too few values for the detection, but then differences within the rounding
/// base are no counts).
fn looks_rounded(p: &Prepared<'_>) -> bool {
    if atoms::rounding(p).is_some() {
        return true;
    }
    let mut nonzero = p
        .cells
        .values()
        .filter_map(|(s, _)| match s {
            Shown::Known(v) if *v != 0 => Some(*v),
            _ => None,
        })
        .peekable();
    nonzero.peek().is_some() && nonzero.all(|v| v % 5 == 0)
}

/// Whether a title says its table is restricted to part of a population.
fn title_restricts(title: &str) -> bool {
    const WORDS: &[&str] = &[
        "restricted",
        "restriction",
        "only",
        "subgroup",
        "subset",
        "excluding",
        "excluded",
        "among",
        "aged",
        "filter",
        "filtered",
        "kun",
        "blandt",
        "heraf",
        "endast",
        "bland",
        "bara",
        "vain",
        "joukossa",
        "alleen",
        "uniquement",
        "parmi",
        "nur",
        "unter",
    ];
    tokens(title).iter().any(|t| WORDS.contains(&t.as_str()))
}

/// A count cell of a prepared table by its key, for comparisons in key order.
type SortedCell<'k> = (&'k (String, String), Shown);

/// The count cells of a prepared table sorted by key.
fn sorted_cells<'k>(p: &'k Prepared<'_>) -> Vec<SortedCell<'k>> {
    let mut v: Vec<SortedCell<'k>> = p.cells.iter().map(|(k, (s, _))| (k, *s)).collect();
    v.sort_by(|x, y| x.0.cmp(y.0));
    v
}

/// (c′) A table that is another minus a few persons: the same layout and labels, every cell of
/// one at most its cell in the other, at least half of the cells (and two non-zero ones) exactly
/// equal, and some cells differing by 1 to threshold−1. The smaller table describes the same
/// population after a late exclusion, and the difference table describes the excluded persons
/// (their category): an error at each cell that differs by less than the threshold. `true` when
/// the pair is nested this way (the near-duplicate warning is then not needed).
fn nested_repeat(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    sorted: (&[SortedCell<'_>], &[SortedCell<'_>]),
    files: &[FileTables],
    cx: &Context<'_>,
    out: &mut Out<'_>,
) -> bool {
    let t = i64::from(cx.rules.thresholds.min_count);
    if a.stub != b.stub
        || a.row_keys.len() < 2
        || a.row_keys.len() != b.row_keys.len()
        || a.col_keys.len() != b.col_keys.len()
        || a.cells.len() != b.cells.len()
    {
        return false;
    }
    // Published in both: (key, a's count, b's count); cheap tests first, as every pair of
    // same-population tables of a folder comes here: the cells sorted by key, in lockstep.
    let mut pairs: Vec<(&(String, String), i64, i64)> = Vec::new();
    let (mut a_larger, mut b_larger) = (true, true);
    for (&(k, sa), &(kb, sb)) in sorted.0.iter().zip(sorted.1) {
        if k != kb {
            return false;
        }
        match (sa, sb) {
            (Shown::Known(x), Shown::Known(y)) => {
                a_larger &= x >= y;
                b_larger &= x <= y;
                if !a_larger && !b_larger {
                    return false;
                }
                pairs.push((k, x, y));
            }
            (Shown::Hidden, Shown::Hidden) => {}
            // Hidden in one table and shown in the other, or missing: not the same layout.
            _ => return false,
        }
    }
    if pairs.len() < 3 || (a_larger && b_larger) {
        return false;
    }
    let same = |x: &[String], y: &[String]| {
        x.iter().collect::<BTreeSet<_>>() == y.iter().collect::<BTreeSet<_>>()
    };
    if !same(&a.row_keys, &b.row_keys)
        || !same(&a.col_keys, &b.col_keys)
        || atoms::rounding(a).is_some()
        || atoms::rounding(b).is_some()
        || (looks_rounded(a) && looks_rounded(b))
    {
        return false;
    }
    let nonzero: Vec<_> = pairs.iter().filter(|p| p.1 != 0 || p.2 != 0).collect();
    let equal = nonzero.iter().filter(|p| p.1 == p.2).count();
    // The whole group differs by a few persons (a total, or `N`, within the threshold): every
    // cell difference is then a part of those few, even when fewer cells are equal.
    let small_total = a.totals.iter().any(|(k, (va, _))| {
        b.totals
            .get(k)
            .is_some_and(|(vb, _)| (1..t).contains(&(va - vb).abs()))
    });
    // The smaller table's title restricts its population (`restricted to age 65+`, `only
    // women`, `kun ...`, `vain ...`): a sub-population of the other, cell by cell.
    let (smaller, _) = if a_larger { (b, a) } else { (a, b) };
    let restricted = title_restricts(&smaller.table.title.join(" "));
    let repeated = (small_total && equal >= 1) || (equal >= 2 && 2 * equal >= nonzero.len());
    if !repeated && !restricted {
        return false;
    }
    // The smaller table carries the finding, at each cell that differs by a small count.
    let (here, there) = if a_larger { (b, a) } else { (a, b) };
    let mut small: Vec<(&(String, String), &Cell)> = pairs
        .iter()
        .filter(|p| (1..t).contains(&(p.1 - p.2).abs()))
        .filter_map(|p| here.cells.get(p.0).map(|(_, c)| (p.0, *c)))
        .collect();
    if small.is_empty() {
        return false;
    }
    small.sort_by_key(|(_, c)| (c.row, c.col));
    let other = &files[there.file].path;
    for (k, cell) in small {
        let place = row_col_place(here.table, cell, row_label(here, &k.0));
        let message = if repeated {
            format!(
                "count below {t} by differencing: this table equals '{other}' cell by cell except where it has fewer persons; the difference in {place} is a count below {t}, which describes the persons left out (a repeated analysis after a small exclusion)"
            )
        } else {
            format!(
                "count below {t} by differencing: this table, whose title restricts its population, is a part of '{other}' cell by cell; the difference in {place} is a count below {t}, the persons outside the restriction"
            )
        };
        let mut f = Finding::new(
            ID,
            Severity::Error,
            message,
            here.table.locate(cell),
            basis(&[
                &here.table.digest,
                &there.table.digest,
                b"nested repeat",
                k.0.as_bytes(),
                k.1.as_bytes(),
            ]),
        );
        f.related = vec![other.clone()];
        out.push(
            here.file,
            format!("nested|{}|{}|{}", there.file, k.0, k.1),
            f,
        );
    }
    true
}

/// (c) The same total or group size in two files, differing by less than the threshold.
fn repeats(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    files: &[FileTables],
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let t = i64::from(cx.rules.thresholds.min_count);
    // Totals of rows are compared only between tables of the same categories.
    let shared_rows = a.row_keys.iter().filter(|k| b.row_keys.contains(k)).count();
    for (k, (va, la)) in &a.totals {
        let Some((vb, lb)) = b.totals.get(k) else {
            continue;
        };
        if !k.starts_with("header|") && shared_rows < 2 {
            continue;
        }
        let Some(delta) = va.checked_sub(*vb).and_then(i64::checked_abs) else {
            continue;
        };
        if !(delta >= 1 && delta < t) {
            continue;
        }
        // Two rounded tables differ by multiples of the base whatever the true difference.
        if delta % 5 == 0 && looks_rounded(a) && looks_rounded(b) {
            continue;
        }
        // On the file with the smaller group: it is the one that left someone out.
        let (here, loc, there) = if va < vb { (a, la, b) } else { (b, lb, a) };
        let other = &files[there.file].path;
        let what = k.split_once('|').map_or("", |(_, w)| w);
        let mut f = Finding::new(
            ID,
            Severity::Warning,
            format!(
                "the same total or group size ('{}') differs from the one in '{other}' by less than {t}: if the populations overlap, the difference describes a small group",
                safe_label(what)
            ),
            loc.clone(),
            basis(&[&here.table.digest, &there.table.digest, k.as_bytes()]),
        );
        f.related = vec![other.clone()];
        out.push(here.file, format!("repeat|{}|{k}", there.file), f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse() {
        assert_eq!(interval("0-15"), Some((0, 15)));
        assert_eq!(interval("16–64"), Some((16, 64)));
        assert_eq!(interval("65+"), Some((65, i64::MAX)));
        assert_eq!(interval("85 and over"), Some((85, i64::MAX)));
        assert_eq!(interval("<18"), Some((0, 17)));
        assert_eq!(interval(">30"), Some((31, i64::MAX)));
        assert_eq!(interval("≥30"), Some((30, i64::MAX)));
        assert_eq!(interval("≤15"), Some((0, 15)));
        assert_eq!(interval("Age 18 to 24"), Some((18, 24)));
        assert_eq!(interval("Hospital 12"), None);
        assert_eq!(interval("30-20"), None);
        assert_eq!(interval("Total"), None);
    }

    #[test]
    fn interval_notations_agree() {
        let b = |lo: i64, hi: i64| Some((lo, hi));
        let top = i64::MAX;
        for (label, want) in [
            ("0-39", b(0, 39)),
            ("0–39", b(0, 39)),
            ("0 — 39", b(0, 39)),
            ("0 to 39", b(0, 39)),
            ("0-39 år", b(0, 39)),
            ("0-39-årige", b(0, 39)),
            ("0–39-vuotiaat", b(0, 39)),
            ("0-39 vuotta", b(0, 39)),
            ("0 till 39 år", b(0, 39)),
            ("18 à 24 ans", b(18, 24)),
            ("<40", b(0, 39)),
            ("≤39", b(0, 39)),
            ("under 40", b(0, 39)),
            ("Under 40 år", b(0, 39)),
            ("alle 40-vuotiaat", b(0, 39)),
            ("unter 40 Jahre", b(0, 39)),
            ("moins de 40 ans", b(0, 39)),
            ("-39", b(0, 39)),
            ("40+", b(40, top)),
            ("40 +", b(40, top)),
            ("≥40", b(40, top)),
            (">=40", b(40, top)),
            (">39", b(40, top)),
            ("over 39", b(40, top)),
            ("yli 39", b(40, top)),
            ("older than 39", b(40, top)),
            ("65 and over", b(65, top)),
            ("65 or older", b(65, top)),
            ("65 years and over", b(65, top)),
            ("85 år+", b(85, top)),
            ("85+ år", b(85, top)),
            ("65 år og derover", b(65, top)),
            ("65 år og ældre", b(65, top)),
            ("67 år og eldre", b(67, top)),
            ("65 år och äldre", b(65, top)),
            ("65 år eller äldre", b(65, top)),
            ("65 ja yli", b(65, top)),
            ("65 vuotta täyttäneet", b(65, top)),
            ("75-", b(75, top)),
            ("75– v", b(75, top)),
            ("65 jaar en ouder", b(65, top)),
            ("65 Jahre und älter", b(65, top)),
            ("65 ans et plus", b(65, top)),
        ] {
            assert_eq!(interval(label), want, "{label}");
        }
        // Not intervals: years, codes, names with numbers, both ends open, empty bands.
        for label in [
            "2019",
            "Region 12",
            "ICD-10 C50",
            "1-2 children",
            "<40+",
            "under 0",
            "40-30",
            "Men",
            "",
        ] {
            assert_eq!(interval(label), None, "{label}");
        }
    }
}
