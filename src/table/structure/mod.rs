//! Structure detection (docs/tables.md §3): which cells of a [`Table`] are totals and
//! sub-totals of which others, confirmed numerically, and whether the table was rounded.
//!
//! Every relation found here is a hypothesis checked against the published numbers with
//! interval arithmetic (docs/tables.md §3.3): a family of parallel relations (a total row applied
//! to every count column, say) is accepted when no line is violated and enough lines match
//! exactly. Relations come from
//!
//! - total and sub-total rows and columns named by the lexicon (`Total`, `I alt`, `Yhteensä` …),
//!   adding up the block above, the block below, the other sub-totals or every other row;
//! - label-free discovery of sum rows and columns (AggreCol-style adjacent scan, docs/tables.md
//!   §3.5), which needs at least two exact matches, repeated with the totals found so far taken
//!   out so that a total over sub-totals (`Ward 1, Ward 2, North, Ward 3, Ward 4, South, County`)
//!   is found;
//! - column trees from multi-row headers: under spanning group headers (`Men`, `Women`, `All`
//!   over `<50`, `50+`, `Total`), every header level is a dimension, and a member labelled as a
//!   total at one level is the sum of the columns that agree with it on every other level
//!   (`All / <50 = Men / <50 + Women / <50`), or a member that the numbers alone show is;
//! - row trees: indentation, code prefixes (`C50` ⊃ `C50.1`), interval labels tiling a parent
//!   (`0-4`, `5-9` under `0-9`), and "of which" rows (`≤`, not `=`);
//! - long format: a label column with a `Total`/`All` category gives one relation per
//!   combination of the other label columns;
//! - "Table 1" blocks: a variable header row (`Sex`) with category rows below and a column header
//!   `N = …`; the categories add up to N, with an implied residual (missing, other) when they
//!   fall short.
//!
//! Rounding (docs/tables.md §3.10) is detected from the values (every non-zero count a multiple
//! of 5 or 10 in at least six values, or all `≡ 3 (mod 6)` for midpoint-6) or from words in
//! titles, headers and notes. Totals that equal the sum of the displayed (rounded) cells are
//! `sum-of-rounded`: the relations hold among the displayed values and no box is needed.
//!
//! Detection is bounded: tables with more than [`MAX_SCAN_ROWS`] data rows or
//! [`MAX_SCAN_COLUMNS`] count columns get only labelled totals, never the quadratic scans.
//!
//! The modules, one job each:
//!
//! - [`counts`]: the count grid (data rows × count columns) and the lines of a relation;
//! - [`verify`]: numeric verification of a candidate family;
//! - [`rounding`]: rounding declared in words or seen in the values;
//! - [`labelled`]: totals named by the lexicon;
//! - [`header_groups`]: column families from multi-row headers;
//! - [`row_trees`]: indentation, codes, intervals and "of which" rows;
//! - [`long_format`]: `Total` categories of long-format label columns;
//! - [`table_one`]: "Table 1" blocks under a column header `N = …`;
//! - [`discover`]: label-free discovery of sum rows and columns;
//! - this module: the types of a [`Structure`] and [`detect`], which runs the steps in order.

mod counts;
mod discover;
mod header_groups;
mod hierarchy;
mod labelled;
mod long_format;
mod rounding;
mod row_trees;
mod table_one;
mod verify;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Table, Value};
use crate::table::classify::Lexicon;
use counts::{build_grid, Grid, Line};
use verify::Accepted;

pub(crate) use rounding::declared_rounding_in;
pub use rounding::Rounding;

/// Exact integers, as the audit uses them.
pub type Int = i128;

/// Data rows above which the label-free and tree scans are skipped.
pub const MAX_SCAN_ROWS: usize = 400;
/// Count columns above which the label-free scans are skipped.
pub const MAX_SCAN_COLUMNS: usize = 120;
/// Lines a labelled total is verified on at most (the rest are not needed for evidence).
const MAX_VERIFY_LINES: usize = 5_000;

/// A cell of the table: the index of its row in [`Table::rows`] and its 1-based column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellPos {
    pub row: usize,
    pub col: u32,
}

/// What a count cell displays, as far as sums are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// A whole number.
    Exact(Int),
    /// A suppressed or bounded cell: `[lo, hi]`, `hi = None` for a bare marker.
    Hidden { lo: Int, hi: Option<Int> },
    /// Nothing in a cell of the count body.
    Empty,
}

/// The count a cell shows, if it holds one: a whole number, a suppression marker, or the n of
/// an `n (%)` cell. Percentages, estimates and labels give `None`.
pub fn shown(value: &Value) -> Option<Shown> {
    match value {
        Value::Number(n)
            if !n.percent && n.value.fract() == 0.0 && n.value.abs() < 9.0e15 && n.value >= 0.0 =>
        {
            Some(Shown::Exact(n.value as Int))
        }
        Value::Suppressed(s) => Some(Shown::Hidden {
            lo: Int::from(s.low.unwrap_or(0).max(0)),
            hi: s.high.map(Int::from),
        }),
        Value::CountShare { count, .. } => match shown(count) {
            Some(Shown::Empty) | None => None,
            s => s,
        },
        Value::Empty => Some(Shown::Empty),
        _ => None,
    }
}

/// Where a family of relations comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A row or column label from the total lexicon.
    Lexicon,
    /// Found by the numbers alone (adjacent scan).
    Numeric,
    /// Row tree from indentation.
    Indent,
    /// Row tree from code prefixes.
    CodePrefix,
    /// Interval labels tiling a parent interval.
    Interval,
    /// An "of which" row (`≤`).
    OfWhich,
    /// A `Total`/`All` category of a long-format label column.
    LongFormat,
    /// A "Table 1" block under a column header `N = …`.
    TableOne,
    /// Spanning group headers over sub-columns (a column tree, docs/tables.md §3.7).
    HeaderGroups,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Lexicon => "total label",
            Source::Numeric => "numbers alone",
            Source::Indent => "indentation",
            Source::CodePrefix => "code prefixes",
            Source::Interval => "interval labels",
            Source::OfWhich => "an 'of which' label",
            Source::LongFormat => "a Total category",
            Source::TableOne => "a column header N",
            Source::HeaderGroups => "the column header groups",
        }
    }
}

/// A family of parallel relations (a total row over every count column) and its evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Human label used in derivations: `row 'Total'`, `column 'I alt'`.
    pub label: String,
    pub source: Source,
    /// Lines the family was verified on.
    pub lines: usize,
    /// Lines where every member was published and the sum matched exactly.
    pub exact_lines: usize,
    /// Lines consistent with the relation (exact ones included).
    pub consistent_lines: usize,
    /// Enough exact matches to trust the relation (docs/tables.md §3.3); otherwise it is an
    /// assumption and findings that rest on it are for review only.
    pub confirmed: bool,
    /// Holds only for the true values behind rounded cells, not for the displayed ones.
    pub rounded: bool,
    /// Totals equal the sum of the visible cells while members are suppressed: the totals
    /// exclude suppressed cells (OpenSAFELY practice), so those cells are not members.
    pub excludes_suppressed: bool,
}

/// The total side of a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Total {
    /// A cell of the table.
    Cell(CellPos),
    /// A number written into a header (`N = 412`).
    Constant(Int),
}

/// Equality or "at most".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    /// `total = Σ parts` (plus the residual when there is one).
    Eq,
    /// `Σ parts ≤ total` ("of which").
    Le,
}

/// One relation `total = Σ parts [+ residual]` or `Σ parts ≤ total`.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// Index into [`Structure::groups`].
    pub group: usize,
    pub total: Total,
    pub parts: Vec<CellPos>,
    pub sense: Sense,
    /// An implied residual category (`N − Σ categories`, docs/tables.md §3.9) is part of the
    /// sum.
    pub residual: bool,
}

/// A labelled total that no interpretation satisfies (S1).
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    pub label: String,
    /// The total's first cell that disagrees.
    pub cell: CellPos,
}

/// Sub-totals that more than one reading of the table satisfies (docs/tables.md §3.6a): only
/// the sums common to every reading were kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Unsettled {
    /// How many readings hold (at least two; the search stops at a cap).
    pub readings: usize,
    /// The first row that some reading takes as a total.
    pub cell: CellPos,
}

/// Everything structure detection found in one table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Structure {
    pub groups: Vec<Group>,
    pub relations: Vec<Relation>,
    pub rounding: Option<Rounding>,
    /// Rows (indices into [`Table::rows`]) that are totals or sub-totals of a relation.
    pub total_rows: BTreeSet<usize>,
    /// Columns (1-based) that are totals of a relation.
    pub total_cols: BTreeSet<u32>,
    /// Labelled totals that do not add up (S1).
    pub mismatches: Vec<Mismatch>,
    /// Sub-total hierarchies read in more than one way: the structure could not be settled.
    pub unsettled: Vec<Unsettled>,
    /// Group sizes written into column headers (`Exposed (N=412)`), by column.
    pub column_n: BTreeMap<u32, Int>,
    /// The columns that hold counts, in order.
    pub count_cols: Vec<u32>,
    /// Data rows (indices into [`Table::rows`]) whose count cells were read.
    pub data_rows: Vec<usize>,
    /// The scans were skipped because the table is large (only labelled totals were tried).
    pub scans_skipped: bool,
    /// Candidate relations were left untried because the table's budget of cell reads was
    /// spent (`counts::MAX_CELL_READS`): totals may be missing, so the audit is incomplete.
    pub incomplete: bool,
}

impl Structure {
    /// No relation was found: cells are independent as far as sums go.
    pub fn is_empty(&self) -> bool {
        self.relations.is_empty()
    }

    /// Whether a cell is the total of some relation.
    pub fn is_total_cell(&self, pos: CellPos) -> bool {
        self.total_rows.contains(&pos.row)
            || self.total_cols.contains(&pos.col)
            || self.relations.iter().any(|r| r.total == Total::Cell(pos))
    }
}

/// The shared state of the detection steps: the grid, the rounding found, and the structure so
/// far.
struct Builder<'g, 't> {
    g: &'g Grid<'t>,
    lexicon: &'g Lexicon,
    rounding: Option<Rounding>,
    out: Structure,
    /// Rows a reading of sub-totals could not settle: no later step takes them as totals.
    reserved: BTreeSet<usize>,
}

impl Builder<'_, '_> {
    /// Add an accepted family: its group, and a relation per line that has a published member.
    fn add(
        &mut self,
        label: String,
        source: Source,
        lines: Vec<Line>,
        sense: Sense,
        residual: bool,
        acc: Accepted,
    ) {
        let excludes = !residual
            && self.rounding.is_some()
            && acc.tally.hidden_lines > 0
            && acc.tally.excl_lines == acc.tally.hidden_lines;
        self.out.groups.push(Group {
            label,
            source,
            lines: acc.tally.lines,
            exact_lines: acc.tally.exact,
            consistent_lines: acc.tally.consistent,
            confirmed: acc.confirmed,
            rounded: acc.rounded,
            excludes_suppressed: excludes,
        });
        let gi = self.out.groups.len() - 1;
        for l in lines {
            if let Total::Cell(p) = l.total {
                if self.g.get(p).is_none_or(|s| s == Shown::Empty)
                    && l.parts.iter().all(|q| self.g.get(*q) == Some(Shown::Empty))
                {
                    continue;
                }
            }
            if l.parts.iter().any(|q| self.g.get(*q).is_none()) {
                continue;
            }
            self.out.relations.push(Relation {
                group: gi,
                total: l.total,
                parts: l.parts,
                sense,
                residual,
            });
        }
    }
}

/// Rows and columns already used as totals of an accepted family.
fn used_totals(b: &Builder<'_, '_>) -> (BTreeSet<usize>, BTreeSet<u32>) {
    let mut rows = b.reserved.clone();
    let mut cols = BTreeSet::new();
    for rel in &b.out.relations {
        if let Total::Cell(p) = rel.total {
            if rel.parts.iter().all(|q| q.col == p.col) {
                rows.insert(p.row);
            } else {
                cols.insert(p.col);
            }
        }
    }
    (rows, cols)
}

/// Detect the structure of a table: the count grid, the labelled totals and the rounding, then
/// each source of relations in turn (labelled totals before the scans, so that the scans leave
/// what the labels explain alone), then which rows and columns are totals.
pub fn detect(table: &Table, lexicon: &Lexicon) -> Structure {
    let g = build_grid(table);
    let mut b = Builder {
        g: &g,
        lexicon,
        rounding: None,
        out: Structure::default(),
        reserved: BTreeSet::new(),
    };
    b.out.count_cols = g.cols.clone();
    b.out.data_rows = g.rows.clone();
    for c in &table.columns {
        if let Some(n) = crate::redact::group_sizes(&c.name).next() {
            b.out.column_n.insert(c.col, Int::from(n));
        }
    }
    if g.rows.is_empty() || g.cols.is_empty() {
        return b.out;
    }
    let scan = g.rows.len() <= MAX_SCAN_ROWS && g.cols.len() <= MAX_SCAN_COLUMNS;
    b.out.scans_skipped = !scan;

    let total_rows = labelled_total_rows(&g, lexicon);
    let paths: BTreeMap<u32, Vec<String>> = table.header_paths().into_iter().collect();
    let total_cols = labelled_total_cols(&g, &paths, lexicon);
    b.rounding = rounding::detect_rounding(table, &g, &total_rows, &total_cols, lexicon);

    let label_cols: Vec<u32> = table.label_columns();
    let long = label_cols.len() >= 2 && long_format::long_format(&mut b, &label_cols, lexicon);
    if !long {
        if scan {
            hierarchy::marked(&mut b, &total_rows);
        }
        let strong: Vec<usize> = total_rows
            .iter()
            .copied()
            .filter(|&r| lexicon.is_total(&table.rows[r].label))
            .collect();
        labelled::labelled_rows(&mut b, &total_rows, &strong);
    }
    labelled::labelled_cols(&mut b, &total_cols, &paths);
    header_groups::header_groups(&mut b, &paths, lexicon, scan);
    if scan {
        row_trees::of_which(&mut b);
        row_trees::trees(&mut b);
        table_one::table_one(&mut b);
        discover::discover_cols(&mut b);
        if !long {
            discover::discover_rows(&mut b);
            hierarchy::unmarked(&mut b, &total_rows);
        }
    }
    // Sum-of-rounded: every accepted family holds among the displayed values.
    if let Some(r) = b.rounding.as_mut() {
        r.sum_of_rounded = !b.out.groups.is_empty() && b.out.groups.iter().all(|x| !x.rounded);
    }
    b.out.rounding = b.rounding;
    b.out.incomplete = g.incomplete.get();
    mark_totals(&mut b.out);
    b.out
}

/// Data rows labelled as totals, by their label or their first text cell.
fn labelled_total_rows(g: &Grid<'_>, lexicon: &Lexicon) -> Vec<usize> {
    let table = g.table;
    g.rows
        .iter()
        .copied()
        .filter(|&r| {
            lexicon.is_total(&table.rows[r].label) || first_label_is_total(table, r, lexicon)
        })
        .collect()
}

/// Count columns labelled as plain totals.
fn labelled_total_cols(
    g: &Grid<'_>,
    paths: &BTreeMap<u32, Vec<String>>,
    lexicon: &Lexicon,
) -> Vec<u32> {
    let table = g.table;
    g.cols
        .iter()
        .copied()
        .filter(|&c| {
            let t = col_label_text(table, c);
            // Under several header rows a column is a plain total when its own (lowest) label
            // says so; `Total / <50` is the total of a header group, left to `header_groups`.
            let grouped = paths
                .get(&c)
                .is_some_and(|p| p.len() >= 2 && p.last().is_some_and(|l| !l.is_empty()));
            lexicon.is_total(&t)
                || (!grouped && table.column(c).is_some_and(|x| lexicon.is_total(&x.name)))
        })
        .collect()
}

/// The rows and columns that are totals of a relation ("of which" parents are not totals).
fn mark_totals(out: &mut Structure) {
    for rel in &out.relations {
        if let Total::Cell(p) = rel.total {
            let gsrc = out.groups[rel.group].source;
            let is_row_family = rel.parts.iter().all(|q| q.col == p.col);
            if is_row_family && gsrc != Source::OfWhich {
                out.total_rows.insert(p.row);
            } else if rel.parts.iter().all(|q| q.row == p.row) {
                out.total_cols.insert(p.col);
            }
        }
    }
}

fn first_label_is_total(table: &Table, r: usize, lexicon: &Lexicon) -> bool {
    table.rows[r]
        .cells
        .iter()
        .find(|c| !c.text.is_empty())
        .is_some_and(|c| matches!(c.value, Value::Label) && lexicon.is_total(&c.text))
}

fn short(label: &str) -> String {
    let label = crate::redact::safe_label(label.trim());
    if label.chars().count() > 40 {
        let cut: String = label.chars().take(37).collect();
        format!("{cut}...")
    } else {
        label
    }
}

fn row_name(table: &Table, r: usize) -> String {
    let label = table.rows.get(r).map(|x| x.label.as_str()).unwrap_or("");
    if label.trim().is_empty() {
        let n = table
            .rows
            .get(r)
            .and_then(|x| x.cells.first())
            .map_or(0, |c| c.row);
        format!("row {n}")
    } else {
        format!("row '{}'", short(label))
    }
}

fn col_name(table: &Table, c: u32) -> String {
    table.column_label(c).replace("column column", "column")
}

fn col_label_text(table: &Table, c: u32) -> String {
    table
        .column(c)
        .map(|x| x.name.rsplit(" / ").next().unwrap_or("").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod test_support {
    //! Tables from CSV text for the tests of the detection steps.

    use crate::config::Rules;
    use crate::model::Table;
    use crate::table::cell::CellParser;
    use crate::table::classify::Lexicon;
    use crate::table::grid::{Builder as GridBuilder, GridRow};

    /// The first table of `csv` as the grid builder reads it, and the default lexicon.
    pub(super) fn table(csv: &str) -> (Table, Lexicon) {
        let rules = Rules::default_rules();
        let parser = CellParser::new(&rules);
        let lexicon = Lexicon::new(&rules.vocabulary);
        let rows: Vec<GridRow> = csv
            .lines()
            .enumerate()
            .map(|(i, l)| GridRow {
                row: i as u32 + 1,
                line: Some(i as u32 + 1),
                cells: l.split(',').map(str::to_string).collect(),
            })
            .collect();
        let b = GridBuilder {
            parser: &parser,
            lexicon: &lexicon,
            style: None,
        };
        let t = b.tables(&rows, None, None).remove(0);
        (t, lexicon)
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::table;
    use super::*;

    #[test]
    fn model_output_under_header_groups_has_no_structure() {
        let (t, lx) = table(",Model 1,,,Model 2,,\nTerm,HR,Lower,Upper,HR,Lower,Upper\nAge,1.42,1.31,1.54,1.38,1.20,1.51\nFemale,0.87,0.78,0.97,0.91,0.80,1.02\n");
        let s = detect(&t, &lx);
        assert!(s.is_empty(), "{s:?}");
    }

    /// A tall table of many labelled sub-totals: every sub-total is tried against every block
    /// of rows, which costs rows × totals; detection stops at its budget of cell reads, keeps
    /// what it confirmed, and says the structure is incomplete.
    #[test]
    fn structure_detection_stops_at_its_budget_and_says_so() {
        let mut csv = String::from("Kommune,Men,Women\n");
        for g in 0..400 {
            for i in 0..9 {
                csv.push_str(&format!("Place {g} {i},{},{}\n", 10 + i, 20 + g % 7));
            }
            csv.push_str(&format!("Total {g},{},{}\n", 9 * 10 + 36, 9 * (20 + g % 7)));
        }
        let (t, lx) = table(&csv);
        let s = detect(&t, &lx);
        assert!(s.incomplete, "the budget is never reached");
        assert!(s.scans_skipped);
        assert!(!s.relations.is_empty(), "the first sub-totals are kept");
        assert!(s.mismatches.is_empty(), "an untried total is no mismatch");
        // A small table of the same kind is detected in full.
        let small: String = csv.lines().take(31).map(|l| format!("{l}\n")).collect();
        let (t, lx) = table(&small);
        let s = detect(&t, &lx);
        assert!(!s.incomplete);
        assert_eq!(s.total_rows.len(), 3, "{s:?}");
    }

    #[test]
    fn model_table_has_no_structure() {
        let (t, lx) = table("Term,HR,95% CI lower,95% CI upper,p\nAge,1.42,1.31,1.54,0.001\nFemale,0.87,0.78,0.97,0.012\n");
        let s = detect(&t, &lx);
        assert!(s.is_empty());
    }
}
