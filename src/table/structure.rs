//! Structure detection (spec §3.3): which cells of a [`Table`] are totals and sub-totals of
//! which others, confirmed numerically, and whether the table was rounded.
//!
//! Every relation found here is a hypothesis checked against the published numbers with
//! interval arithmetic (§3.3.4): a family of parallel relations (a total row applied to every
//! count column, say) is accepted when no line is violated and enough lines match exactly.
//! Relations come from
//!
//! - total and sub-total rows and columns named by the lexicon (`Total`, `I alt`, `Yhteensä` …),
//!   adding up the block above, the block below, the other sub-totals or every other row;
//! - label-free discovery of sum rows and columns (AggreCol-style adjacent scan, §3.3.5), which
//!   needs at least two exact matches, repeated with the totals found so far taken out so that
//!   a total over sub-totals (`Ward 1, Ward 2, North, Ward 3, Ward 4, South, County`) is found;
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
//! Rounding (§3.3.9) is detected from the values (every non-zero count a multiple of 5 or 10 in
//! at least six values, or all `≡ 3 (mod 6)` for midpoint-6) or from words in titles, headers and
//! notes. Totals that equal the sum of the displayed (rounded) cells are `sum-of-rounded`: the
//! relations hold among the displayed values and no box is needed.
//!
//! Detection is bounded: tables with more than [`MAX_SCAN_ROWS`] data rows or
//! [`MAX_SCAN_COLUMNS`] count columns get only labelled totals, never the quadratic scans.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::audit::{rounding_box, RoundingScheme};
use crate::model::{Kind, Table, Value};
use crate::table::classify::{tokens, Lexicon};

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
    /// Spanning group headers over sub-columns (a column tree, §3.3.6–3.3.7).
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
    /// Enough exact matches to trust the relation (§3.3.4); otherwise it is an assumption and
    /// findings that rest on it are for review only.
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
    /// An implied residual category (`N − Σ categories`, §3.3.6) is part of the sum.
    pub residual: bool,
}

/// The rounding found in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rounding {
    pub scheme: RoundingScheme,
    /// Totals equal the sum of the displayed rounded cells (no box on anything: relations hold
    /// among displayed values).
    pub sum_of_rounded: bool,
    /// Found from words (`rounded to the nearest 5`, `_midpoint6`) rather than values alone.
    pub declared: bool,
}

impl Rounding {
    /// The box of true values behind a displayed whole number; `None` when the cell is not
    /// rounded under the scheme (partial rounding: the value is exact).
    pub fn true_box(&self, shown: Int) -> Option<(Int, Int)> {
        if self.sum_of_rounded {
            return None;
        }
        rounding_box(self.scheme, shown)
    }

    pub fn describe(&self) -> String {
        let what = match self.scheme {
            RoundingScheme::Midpoint { r } => format!("midpoint-{r} rounding"),
            RoundingScheme::Conventional { base }
            | RoundingScheme::Random { base }
            | RoundingScheme::Controlled { base }
            | RoundingScheme::ControlledK { base, .. }
            | RoundingScheme::RedactThenRound { base, .. } => format!("rounding to {base}"),
        };
        if self.sum_of_rounded {
            format!("{what}, totals are sums of the rounded cells")
        } else {
            what
        }
    }
}

/// A labelled total that no interpretation satisfies (S1).
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    pub label: String,
    /// The total's first cell that disagrees.
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
    /// Group sizes written into column headers (`Exposed (N=412)`), by column.
    pub column_n: BTreeMap<u32, Int>,
    /// The columns that hold counts, in order.
    pub count_cols: Vec<u32>,
    /// Data rows (indices into [`Table::rows`]) whose count cells were read.
    pub data_rows: Vec<usize>,
    /// The scans were skipped because the table is large (only labelled totals were tried).
    pub scans_skipped: bool,
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

// ---------------------------------------------------------------------------------------------

/// The count grid of a table: data rows × count columns.
struct Grid<'t> {
    table: &'t Table,
    rows: Vec<usize>,
    cols: Vec<u32>,
    /// `cells[i][j]`: what row `rows[i]` shows in column `cols[j]`.
    cells: Vec<Vec<Option<Shown>>>,
    row_at: HashMap<usize, usize>,
    col_at: HashMap<u32, usize>,
}

impl Grid<'_> {
    fn get(&self, p: CellPos) -> Option<Shown> {
        let i = *self.row_at.get(&p.row)?;
        let j = *self.col_at.get(&p.col)?;
        self.cells[i][j]
    }
}

fn build_grid(table: &Table) -> Grid<'_> {
    // Count columns: columns that are not labels or other measures and hold counts.
    let mut cols = Vec::new();
    for c in &table.columns {
        let ok_kind = match c.kind {
            Kind::Count | Kind::Unknown => true,
            Kind::Percent => {
                // `n (%)` columns hold counts too.
                let (mut share, mut other) = (0, 0);
                for r in &table.rows {
                    match r.cells.iter().find(|x| x.col == c.col).map(|x| &x.value) {
                        Some(Value::CountShare { .. }) => share += 1,
                        Some(Value::Empty) | None => {}
                        Some(_) => other += 1,
                    }
                }
                share > 0 && share >= other
            }
            _ => false,
        };
        if !ok_kind {
            continue;
        }
        let mut counts = 0;
        let mut others = 0;
        for r in &table.rows {
            if let Some(cell) = r.cells.iter().find(|x| x.col == c.col) {
                match shown(&cell.value) {
                    Some(Shown::Exact(_)) | Some(Shown::Hidden { .. }) => counts += 1,
                    Some(Shown::Empty) => {}
                    None => {
                        if !matches!(cell.value, Value::Label) || !cell.text.is_empty() {
                            others += 1
                        }
                    }
                }
            }
        }
        if counts > 0 && counts >= others * 4 {
            cols.push(c.col);
        }
    }
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    for (ri, r) in table.rows.iter().enumerate() {
        if matches!(
            r.kind,
            Kind::Estimate | Kind::Extreme | Kind::Rate | Kind::Percent
        ) {
            continue;
        }
        let line: Vec<Option<Shown>> = cols
            .iter()
            .map(|&c| {
                r.cells
                    .iter()
                    .find(|x| x.col == c)
                    .map_or(Some(Shown::Empty), |x| shown(&x.value))
            })
            .collect();
        if line
            .iter()
            .any(|s| matches!(s, Some(Shown::Exact(_)) | Some(Shown::Hidden { .. })))
        {
            rows.push(ri);
            cells.push(line);
        }
    }
    let row_at = rows.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    let col_at = cols.iter().enumerate().map(|(j, &c)| (c, j)).collect();
    Grid {
        table,
        rows,
        cols,
        cells,
        row_at,
        col_at,
    }
}

// ---------------------------------------------------------------------------------------------
// Verification (§3.3.4).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// Every member and the total published exactly, and the sum matches.
    Exact,
    /// Every member published, all zero: no evidence either way.
    Trivial,
    Consistent,
    Violated,
}

/// One line of a candidate: total and parts.
struct Line {
    total: Total,
    parts: Vec<CellPos>,
}

fn cell_box(s: Shown, rounding: Option<&Rounding>) -> (Int, Option<Int>, bool) {
    match s {
        Shown::Exact(v) => match rounding.and_then(|r| rounding_box(r.scheme, v)) {
            Some((lo, hi)) => (lo, Some(hi), false),
            None => (v, Some(v), true),
        },
        Shown::Hidden { lo, hi } => (lo, hi, false),
        Shown::Empty => (0, None, false),
    }
}

fn line_status(
    g: &Grid<'_>,
    line: &Line,
    sense: Sense,
    residual: bool,
    rounding: Option<&Rounding>,
) -> Option<(Status, bool)> {
    let total = match line.total {
        Total::Cell(p) => g.get(p)?,
        Total::Constant(v) => Shown::Exact(v),
    };
    if total == Shown::Empty {
        return None;
    }
    let (tlo, thi, t_exact) = match line.total {
        Total::Constant(v) => (v, Some(v), true),
        Total::Cell(_) => cell_box(total, rounding),
    };
    let mut lo: Int = 0;
    let mut hi: Option<Int> = Some(0);
    let mut all_exact = t_exact;
    let mut visible_sum: Int = 0;
    let mut any_hidden = false;
    let mut all_zero = matches!(total, Shown::Exact(0));
    for p in &line.parts {
        let s = g.get(*p)?;
        if let Shown::Exact(v) = s {
            visible_sum = visible_sum.saturating_add(v);
            if v != 0 {
                all_zero = false;
            }
        } else {
            any_hidden = true;
            all_zero = false;
        }
        let (a, b, e) = cell_box(s, rounding);
        all_exact &= e;
        lo = lo.saturating_add(a);
        hi = match (hi, b) {
            (Some(x), Some(y)) => Some(x.saturating_add(y)),
            _ => None,
        };
    }
    // Hidden members whose total equals the visible sum exactly.
    let excl = any_hidden && t_exact && matches!(total, Shown::Exact(t) if t == visible_sum);
    if residual {
        hi = None;
        all_exact = false;
    }
    let status = match sense {
        Sense::Eq => {
            if all_exact {
                if Some(lo) == thi && lo == tlo {
                    if all_zero {
                        Status::Trivial
                    } else {
                        Status::Exact
                    }
                } else {
                    Status::Violated
                }
            } else if hi.is_none_or(|h| h >= tlo) && thi.is_none_or(|th| lo <= th) {
                Status::Consistent
            } else {
                Status::Violated
            }
        }
        Sense::Le => {
            if thi.is_none_or(|th| lo <= th) {
                Status::Consistent
            } else {
                Status::Violated
            }
        }
    };
    Some((status, excl))
}

#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    lines: usize,
    exact: usize,
    consistent: usize,
    violated: usize,
    full: usize,
    excl_lines: usize,
    hidden_lines: usize,
}

fn tally(
    g: &Grid<'_>,
    lines: &[Line],
    sense: Sense,
    residual: bool,
    rounding: Option<&Rounding>,
) -> Tally {
    let mut t = Tally::default();
    for line in lines.iter().take(MAX_VERIFY_LINES) {
        let Some((s, excl)) = line_status(g, line, sense, residual, rounding) else {
            continue;
        };
        t.lines += 1;
        let hidden = line
            .parts
            .iter()
            .any(|p| matches!(g.get(*p), Some(Shown::Hidden { .. }) | Some(Shown::Empty)));
        if hidden {
            t.hidden_lines += 1;
            if excl {
                t.excl_lines += 1;
            }
        }
        match s {
            Status::Exact => {
                t.exact += 1;
                t.full += 1;
                t.consistent += 1;
            }
            Status::Trivial => {
                t.consistent += 1;
            }
            Status::Consistent => t.consistent += 1,
            Status::Violated => {
                t.violated += 1;
                if !hidden {
                    t.full += 1;
                }
            }
        }
    }
    t
}

/// How a family was accepted.
#[derive(Clone, Copy, Debug)]
struct Accepted {
    tally: Tally,
    confirmed: bool,
    rounded: bool,
}

/// Verify a family: exactly first, then (for a rounded table) with rounding boxes.
/// `min_exact` is 1 for labelled candidates and 2 for label-free ones.
fn verify(
    g: &Grid<'_>,
    lines: &[Line],
    sense: Sense,
    residual: bool,
    rounding: Option<&Rounding>,
    min_exact: usize,
) -> Option<Accepted> {
    let t = tally(g, lines, sense, residual, None);
    if t.lines == 0 {
        return None;
    }
    // A labelled total with no fully published line rests on its label; otherwise at least
    // 70 % of the fully published lines must match exactly (AggreCol's coverage).
    let needed = if min_exact <= 1 && t.full == 0 {
        0
    } else {
        min_exact.max((t.full * 7).div_ceil(10))
    };
    if t.violated == 0 && (t.exact >= needed || sense == Sense::Le) {
        return Some(Accepted {
            tally: t,
            confirmed: true,
            rounded: false,
        });
    }
    if t.violated == 0 && min_exact <= 1 && t.exact >= 1 {
        return Some(Accepted {
            tally: t,
            confirmed: false,
            rounded: false,
        });
    }
    if let Some(r) = rounding.filter(|r| !r.sum_of_rounded) {
        if min_exact > 1 {
            return None;
        }
        let tr = tally(g, lines, sense, residual, Some(r));
        if tr.violated == 0 && tr.consistent >= 1 {
            return Some(Accepted {
                tally: tr,
                confirmed: true,
                rounded: true,
            });
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------

struct Builder<'g, 't> {
    g: &'g Grid<'t>,
    rounding: Option<Rounding>,
    out: Structure,
}

impl Builder<'_, '_> {
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

fn row_lines(g: &Grid<'_>, total_row: usize, parts: &[usize]) -> Vec<Line> {
    g.cols
        .iter()
        .map(|&c| Line {
            total: Total::Cell(CellPos {
                row: total_row,
                col: c,
            }),
            parts: parts.iter().map(|&r| CellPos { row: r, col: c }).collect(),
        })
        .collect()
}

fn col_lines(g: &Grid<'_>, total_col: u32, parts: &[u32]) -> Vec<Line> {
    g.rows
        .iter()
        .map(|&r| Line {
            total: Total::Cell(CellPos {
                row: r,
                col: total_col,
            }),
            parts: parts.iter().map(|&c| CellPos { row: r, col: c }).collect(),
        })
        .collect()
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

/// "Of which" words (§3.3.3): a row that is part of the row above, not a sibling.
const OF_WHICH: &[&[&str]] = &[
    &["of", "which"],
    &["heraf"],
    &["herav"],
    &["darav"],
    &["varav"],
    &["josta"],
    &["joista"],
    &["siita"],
    &["hvoraf"],
    &["hvorav"],
    &["waarvan"],
    &["davon"],
    &["dont"],
    &["including"],
    &["incl"],
];

fn is_of_which(label: &str) -> bool {
    let toks = tokens(label);
    OF_WHICH
        .iter()
        .any(|w| toks.len() >= w.len() && toks.iter().zip(w.iter()).all(|(a, b)| a == b))
}

/// Detect the structure of a table.
pub fn detect(table: &Table, lexicon: &Lexicon) -> Structure {
    let g = build_grid(table);
    let mut b = Builder {
        g: &g,
        rounding: None,
        out: Structure::default(),
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

    let total_rows: Vec<usize> = g
        .rows
        .iter()
        .copied()
        .filter(|&r| {
            lexicon.is_total(&table.rows[r].label) || first_label_is_total(table, r, lexicon)
        })
        .collect();
    let paths: BTreeMap<u32, Vec<String>> = table.header_paths().into_iter().collect();
    let total_cols: Vec<u32> = g
        .cols
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
        .collect();
    b.rounding = detect_rounding(table, &g, &total_rows, &total_cols);

    let label_cols: Vec<u32> = table.label_columns();
    let long = label_cols.len() >= 2 && long_format(&mut b, &label_cols, lexicon);
    if !long {
        let strong: Vec<usize> = total_rows
            .iter()
            .copied()
            .filter(|&r| lexicon.is_total(&table.rows[r].label))
            .collect();
        labelled_rows(&mut b, &total_rows, &strong);
    }
    labelled_cols(&mut b, &total_cols, &paths);
    header_groups(&mut b, &paths, lexicon, scan);
    if scan {
        of_which(&mut b);
        trees(&mut b);
        table_one(&mut b);
        discover_cols(&mut b);
        if !long {
            discover_rows(&mut b);
        }
    }
    // Sum-of-rounded: every accepted family holds among the displayed values.
    if let Some(r) = b.rounding.as_mut() {
        r.sum_of_rounded = !b.out.groups.is_empty() && b.out.groups.iter().all(|x| !x.rounded);
    }
    b.out.rounding = b.rounding;
    for rel in &b.out.relations {
        if let Total::Cell(p) = rel.total {
            let gsrc = b.out.groups[rel.group].source;
            let is_row_family = rel.parts.iter().all(|q| q.col == p.col);
            if is_row_family && gsrc != Source::OfWhich {
                b.out.total_rows.insert(p.row);
            } else if rel.parts.iter().all(|q| q.row == p.row) {
                b.out.total_cols.insert(p.col);
            }
        }
    }
    b.out
}

fn first_label_is_total(table: &Table, r: usize, lexicon: &Lexicon) -> bool {
    table.rows[r]
        .cells
        .iter()
        .find(|c| !c.text.is_empty())
        .is_some_and(|c| matches!(c.value, Value::Label) && lexicon.is_total(&c.text))
}

/// The rounding a table declares in its title, notes or headers: `midpoint 6`, or a base after
/// (else before) a rounding word (`Table 3. Counts rounded to the nearest 10`, `5-afrundet`).
pub fn declared_rounding(table: &Table) -> Option<RoundingScheme> {
    let texts = table
        .title
        .iter()
        .chain(&table.notes)
        .chain(table.columns.iter().map(|c| &c.name));
    let mut declared = None;
    for t in texts {
        let low = t.to_lowercase();
        if low.contains("midpoint6") || low.contains("midpoint 6") || low.contains("midpoint_6") {
            return Some(RoundingScheme::Midpoint { r: 6 });
        }
        let at = [
            "rounded",
            "rounding",
            "afrundet",
            "avrundet",
            "avrundat",
            "pyöristetty",
        ]
        .iter()
        .filter_map(|w| low.find(w))
        .min();
        let Some(at) = at else { continue };
        let bases = |t: &str| -> Vec<Int> {
            t.split(|c: char| !c.is_ascii_digit())
                .filter_map(|d| d.parse::<Int>().ok())
                .filter(|&b| matches!(b, 3 | 5 | 10 | 100))
                .collect()
        };
        let base = bases(&low[at..])
            .first()
            .copied()
            .or_else(|| bases(&low[..at]).last().copied());
        // Random (unbiased, "randomly rounded") and controlled rounding move a value by up to
        // a whole base, not half of one.
        let random = [
            "random",
            "tilfældig",
            "tilfeldig",
            "slumpmässig",
            "satunnais",
            "controlled",
        ]
        .iter()
        .any(|w| low.contains(w));
        if let Some(base) = base {
            declared = Some(if random {
                RoundingScheme::Random { base }
            } else {
                RoundingScheme::Conventional { base }
            });
        }
    }
    declared
}

fn detect_rounding(
    table: &Table,
    g: &Grid<'_>,
    total_rows: &[usize],
    total_cols: &[u32],
) -> Option<Rounding> {
    // Words first.
    let declared = declared_rounding(table);
    if let Some(scheme) = declared {
        return Some(Rounding {
            scheme,
            sum_of_rounded: false,
            declared: true,
        });
    }
    // Then values: non-zero counts outside labelled totals.
    let mut values: Vec<Int> = Vec::new();
    let mut all: Vec<Int> = Vec::new();
    for (i, &r) in g.rows.iter().enumerate() {
        for (j, &c) in g.cols.iter().enumerate() {
            if let Some(Shown::Exact(v)) = g.cells[i][j] {
                if v != 0 {
                    all.push(v);
                    if !total_rows.contains(&r) && !total_cols.contains(&c) {
                        values.push(v);
                    }
                }
            }
        }
    }
    if all.len() < 6 {
        return None;
    }
    for base in [10, 5] {
        if all.iter().all(|v| v % base == 0) {
            return Some(Rounding {
                scheme: RoundingScheme::Conventional { base },
                sum_of_rounded: false,
                declared: false,
            });
        }
    }
    if values.len() >= 6 && values.iter().all(|v| v % 6 == 3) {
        return Some(Rounding {
            scheme: RoundingScheme::Midpoint { r: 6 },
            sum_of_rounded: false,
            declared: false,
        });
    }
    None
}

/// Try candidate part sets for a total; keep the accepted one with the most exact lines.
fn best_candidate(
    b: &Builder<'_, '_>,
    cands: Vec<(Vec<Line>, Vec<CellPos>)>,
    min_exact: usize,
) -> Option<(usize, Accepted)> {
    let mut best: Option<(usize, Accepted)> = None;
    for (k, (lines, _)) in cands.iter().enumerate() {
        if let Some(acc) = verify(b.g, lines, Sense::Eq, false, b.rounding.as_ref(), min_exact) {
            let better = match &best {
                None => true,
                Some((_, a)) => (acc.confirmed, acc.tally.exact) > (a.confirmed, a.tally.exact),
            };
            if better {
                best = Some((k, acc));
            }
        }
    }
    best
}

/// The first exact line that disagrees, for an S1 report.
fn first_violation(b: &Builder<'_, '_>, lines: &[Line]) -> Option<CellPos> {
    let r = b.rounding.as_ref();
    lines.iter().find_map(|l| {
        let (s, _) = line_status(b.g, l, Sense::Eq, false, r)?;
        let hidden = l
            .parts
            .iter()
            .any(|p| !matches!(b.g.get(*p), Some(Shown::Exact(_))));
        match (s, l.total) {
            (Status::Violated, Total::Cell(p)) if !hidden => Some(p),
            _ => None,
        }
    })
}

fn labelled_rows(b: &mut Builder<'_, '_>, total_rows: &[usize], strong: &[usize]) {
    let g = b.g;
    let table = g.table;
    let ofw: BTreeSet<usize> = g
        .rows
        .iter()
        .copied()
        .filter(|&r| is_of_which(&table.rows[r].label))
        .collect();
    let plain: Vec<usize> = g
        .rows
        .iter()
        .copied()
        .filter(|r| !total_rows.contains(r) && !ofw.contains(r))
        .collect();
    for (k, &t) in total_rows.iter().enumerate() {
        let prev = if k > 0 { Some(total_rows[k - 1]) } else { None };
        let next = total_rows.get(k + 1).copied();
        let above: Vec<usize> = plain
            .iter()
            .copied()
            .filter(|&r| r < t && prev.is_none_or(|p| r > p))
            .collect();
        let below: Vec<usize> = plain
            .iter()
            .copied()
            .filter(|&r| r > t && next.is_none_or(|n| r < n))
            .collect();
        let others: Vec<usize> = total_rows.iter().copied().filter(|&x| x != t).collect();
        // Rows at the total's own indentation above it (the parents of indented sub-groups).
        let level = table.rows[t].indent;
        let siblings: Vec<usize> = plain
            .iter()
            .copied()
            .filter(|&r| r < t && prev.is_none_or(|p| r > p) && table.rows[r].indent == level)
            .collect();
        // The top level of a code tree above it (`I`, `J` over `I20`, `I21`, `J44`).
        let roots = code_roots(table, &above).unwrap_or_default();
        settle_total(
            b,
            [above, below, siblings, roots, others, plain.clone()],
            |parts| row_lines(g, t, parts),
            row_name(table, t),
            false,
            // S1 only for a row whose whole label names a total (not `all / with records`).
            strong.contains(&t),
        );
    }
}

/// What a labelled total (row or column) adds up: the first candidate set of lines the numbers
/// confirm as its parts. Failing that, when `partial` is allowed, a set the total bounds on
/// every line (a breakdown that leaves a group out: the shown groups sum to at most the total,
/// which bounds hidden cells; no mismatch); failing that, an S1 mismatch at the first line that
/// disagrees, when `report` says the label is sure enough to call one.
fn settle_total<T: PartialEq>(
    b: &mut Builder<'_, '_>,
    candidates: impl IntoIterator<Item = Vec<T>>,
    lines_of: impl Fn(&[T]) -> Vec<Line>,
    name: String,
    partial: bool,
    report: bool,
) {
    let mut sets: Vec<Vec<T>> = Vec::new();
    for s in candidates {
        if s.len() >= 2 && !sets.contains(&s) {
            sets.push(s);
        }
    }
    let cands: Vec<(Vec<Line>, Vec<CellPos>)> =
        sets.iter().map(|s| (lines_of(s), Vec::new())).collect();
    if let Some((k, acc)) = best_candidate(b, cands, 1) {
        b.add(
            name,
            Source::Lexicon,
            lines_of(&sets[k]),
            Sense::Eq,
            false,
            acc,
        );
        return;
    }
    if partial {
        let g = b.g;
        let bound = sets.iter().find_map(|s| {
            let lines = lines_of(s);
            verify(g, &lines, Sense::Le, false, b.rounding.as_ref(), 2).map(|acc| (lines, acc))
        });
        if let Some((lines, acc)) = bound {
            b.add(name, Source::Lexicon, lines, Sense::Le, false, acc);
            return;
        }
    }
    if report {
        if let Some(p) = sets
            .first()
            .and_then(|first| first_violation(b, &lines_of(first)))
        {
            b.out.mismatches.push(Mismatch {
                label: name,
                cell: p,
            });
        }
    }
}

fn labelled_cols(b: &mut Builder<'_, '_>, total_cols: &[u32], paths: &BTreeMap<u32, Vec<String>>) {
    let g = b.g;
    let table = g.table;
    for (k, &t) in total_cols.iter().enumerate() {
        let prev = if k > 0 { Some(total_cols[k - 1]) } else { None };
        let next = total_cols.get(k + 1).copied();
        let plain: Vec<u32> = g
            .cols
            .iter()
            .copied()
            .filter(|c| !total_cols.contains(c))
            .collect();
        let left: Vec<u32> = plain
            .iter()
            .copied()
            .filter(|&c| c < t && prev.is_none_or(|p| c > p))
            .collect();
        let right: Vec<u32> = plain
            .iter()
            .copied()
            .filter(|&c| c > t && next.is_none_or(|n| c < n))
            .collect();
        let others: Vec<u32> = total_cols.iter().copied().filter(|&x| x != t).collect();
        // Under a spanning group header: the other columns of the total's own group.
        let upper = |c: u32| -> Option<&[String]> {
            let p = paths.get(&c)?;
            let up = &p[..p.len().saturating_sub(1)];
            up.iter().any(|x| !x.is_empty()).then_some(up)
        };
        let group: Vec<u32> = match upper(t) {
            Some(up) => plain
                .iter()
                .copied()
                .filter(|&c| upper(c) == Some(up))
                .collect(),
            None => Vec::new(),
        };
        // A total over a breakdown that does not show every group (an "unknown" or "other"
        // group left out) bounds the groups shown instead of adding them up.
        settle_total(
            b,
            [group, left, right, others, plain.clone()],
            |parts| col_lines(g, t, parts),
            col_name(table, t),
            true,
            true,
        );
    }
}

/// Column families read from multi-row headers (§3.3.6 column trees, §3.3.7 cubes). Each header
/// level is a dimension: columns whose header paths agree on every other level form a family,
/// and the member labelled as a total at that level (`All / <50`, `Men / Total`) is the sum of
/// the others (`Men / <50 + Women / <50`). A level without a total label may still have a sum
/// member, found by the numbers alone (two exact lines at least). Every family is confirmed
/// numerically on its own, with at least one exact line: a spanning label carried too far (an
/// overall `Total` under the last group) simply fails and is dropped. Families already found
/// (a group's `Total` from its label) are not repeated.
fn header_groups(
    b: &mut Builder<'_, '_>,
    paths: &BTreeMap<u32, Vec<String>>,
    lexicon: &Lexicon,
    scan: bool,
) {
    let g = b.g;
    let table = g.table;
    let depth = table.header.len();
    if depth < 2 || g.cols.len() < 3 {
        return;
    }
    let cols: Vec<(u32, &Vec<String>)> = g
        .cols
        .iter()
        .filter_map(|c| paths.get(c).map(|p| (*c, p)))
        .filter(|(_, p)| p.len() == depth)
        .collect();
    // Existing column families, as (total column, sorted part columns).
    let mut seen: BTreeSet<(u32, Vec<u32>)> = BTreeSet::new();
    for rel in &b.out.relations {
        if let Total::Cell(p) = rel.total {
            if rel.parts.len() >= 2 && rel.parts.iter().all(|q| q.row == p.row) {
                let mut parts: Vec<u32> = rel.parts.iter().map(|q| q.col).collect();
                parts.sort_unstable();
                seen.insert((p.col, parts));
            }
        }
    }
    // Band labels differ only in their signs (`<50`, `50+`): keep them, fold case and spaces.
    let norm = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    for level in 0..depth {
        // Families: columns agreeing on every level but this one.
        let mut fams: BTreeMap<Vec<String>, Vec<(u32, String)>> = BTreeMap::new();
        for (c, p) in &cols {
            let key: Vec<String> = p
                .iter()
                .enumerate()
                .filter(|(l, _)| *l != level)
                .map(|(_, t)| norm(t))
                .collect();
            fams.entry(key).or_default().push((*c, p[level].clone()));
        }
        let mut fams: Vec<Vec<(u32, String)>> = fams.into_values().collect();
        fams.sort_by_key(|m| m.first().map(|x| x.0));
        for members in &fams {
            if members.len() < 3 || members.iter().any(|(_, t)| t.trim().is_empty()) {
                continue;
            }
            let labels: BTreeSet<String> = members.iter().map(|(_, t)| norm(t)).collect();
            if labels.len() != members.len() {
                continue; // the level does not tell these columns apart
            }
            let totals: Vec<u32> = members
                .iter()
                .filter(|(_, t)| lexicon.is_total(t))
                .map(|(c, _)| *c)
                .collect();
            let candidates: Vec<(u32, usize)> = match totals.as_slice() {
                [t] => vec![(*t, 1)],
                [] if scan && members.len() <= 12 => members.iter().map(|(c, _)| (*c, 2)).collect(),
                _ => continue,
            };
            for (t, min_exact) in candidates {
                let parts: Vec<u32> = members
                    .iter()
                    .map(|(c, _)| *c)
                    .filter(|c| *c != t && !totals.contains(c))
                    .collect();
                if parts.len() < 2 || seen.contains(&(t, parts.clone())) {
                    continue;
                }
                let lines = col_lines(g, t, &parts);
                if !members_nonzero(g, &lines) {
                    continue;
                }
                let Some(acc) = verify(g, &lines, Sense::Eq, false, b.rounding.as_ref(), min_exact)
                else {
                    continue;
                };
                let evidence = acc.tally.exact >= 1 || (acc.rounded && acc.tally.consistent >= 2);
                if !acc.confirmed || !evidence {
                    continue;
                }
                seen.insert((t, parts));
                b.add(
                    col_name(table, t),
                    Source::HeaderGroups,
                    lines,
                    Sense::Eq,
                    false,
                    acc,
                );
                break;
            }
        }
    }
}

/// Rows and columns already used as totals of an accepted family.
fn used_totals(b: &Builder<'_, '_>) -> (BTreeSet<usize>, BTreeSet<u32>) {
    let mut rows = BTreeSet::new();
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

fn of_which(b: &mut Builder<'_, '_>) {
    let g = b.g;
    let table = g.table;
    let mut parent: Option<usize> = None;
    let mut found: Vec<(usize, usize)> = Vec::new();
    for &r in &g.rows {
        if is_of_which(&table.rows[r].label) {
            if let Some(p) = parent {
                found.push((p, r));
            }
        } else {
            parent = Some(r);
        }
    }
    // Several "of which" rows under one parent: listed as parts of it, they are taken as
    // disjoint, so together they are at most the parent (`Diabetes 420; of which type 1 <5; of
    // which type 2 417` bounds type 1 by 3). Each alone is at most the parent too.
    let mut by_parent: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &(p, r) in &found {
        by_parent.entry(p).or_default().push(r);
    }
    for (p, kids) in by_parent {
        if kids.len() >= 2 {
            let lines = row_lines(g, p, &kids);
            if let Some(acc) = verify(g, &lines, Sense::Le, false, None, 1) {
                b.add(
                    row_name(table, p),
                    Source::OfWhich,
                    lines,
                    Sense::Le,
                    false,
                    acc,
                );
                continue;
            }
        }
        for r in kids {
            let lines = row_lines(g, p, &[r]);
            if let Some(acc) = verify(g, &lines, Sense::Le, false, None, 1) {
                b.add(
                    row_name(table, r),
                    Source::OfWhich,
                    lines,
                    Sense::Le,
                    false,
                    acc,
                );
            }
        }
    }
}

/// A row label's integer interval: `0-4`, `5–9`, `85+`, `85 and over`, `<18`.
fn interval(label: &str) -> Option<(Int, Option<Int>)> {
    let t = label
        .trim()
        .trim_end_matches(" years")
        .trim_end_matches(" år");
    let t = t.replace(['–', '—'], "-");
    let t = t.trim();
    if let Some(rest) = t.strip_suffix('+') {
        return Some((rest.trim().parse().ok()?, None));
    }
    for suf in [
        " and over",
        " and older",
        " or older",
        " og derover",
        " ja yli",
    ] {
        if let Some(rest) = t.strip_suffix(suf) {
            return Some((rest.trim().parse().ok()?, None));
        }
    }
    if let Some(rest) = t.strip_prefix('<') {
        let v: Int = rest.trim().parse().ok()?;
        return Some((0, Some(v.saturating_sub(1))));
    }
    let (a, c) = t.split_once('-')?;
    let a: Int = a.trim().parse().ok()?;
    let c: Int = c.trim().parse().ok()?;
    (a <= c).then_some((a, Some(c)))
}

/// The codes at the start of the rows' labels (`C50`, `C50.9` → `C509`). A chapter written as
/// letters alone (`I`, `J` over `I20`, `I21`) is a code only when a coded row starts with it
/// and at least two rows carry codes with digits.
fn row_codes(table: &Table, rows: &[usize]) -> Vec<Option<String>> {
    let mut codes: Vec<Option<String>> = rows
        .iter()
        .map(|&r| code_of(&table.rows[r].label))
        .collect();
    for (i, &r) in rows.iter().enumerate() {
        if codes[i].is_some() {
            continue;
        }
        let Some(first) = table.rows[r].label.split_whitespace().next() else {
            continue;
        };
        let letters =
            (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_uppercase());
        if letters {
            let under = codes
                .iter()
                .flatten()
                .filter(|c| c.len() > first.len() && c.starts_with(first))
                .count();
            let digit_codes = codes.iter().flatten().count();
            if under >= 1 && digit_codes >= 2 {
                codes[i] = Some(first.to_string());
            }
        }
    }
    codes
}

/// Rows of `rows` whose code extends no other row's code: the top level of a code tree. `None`
/// unless some coded row sits under another.
fn code_roots(table: &Table, rows: &[usize]) -> Option<Vec<usize>> {
    let codes = row_codes(table, rows);
    let coded = codes.iter().filter(|c| c.is_some()).count();
    if coded < 3 || coded < rows.len() {
        return None;
    }
    let under = |c: &String| {
        codes
            .iter()
            .flatten()
            .any(|p| p.len() < c.len() && c.starts_with(p.as_str()))
    };
    let roots: Vec<usize> = rows
        .iter()
        .zip(&codes)
        .filter(|(_, c)| c.as_ref().is_some_and(|c| !under(c)))
        .map(|(&r, _)| r)
        .collect();
    (roots.len() >= 2 && roots.len() < rows.len()).then_some(roots)
}

/// A code range at the start of a label (`I20-I25`, `C00–C97`): its two ends, of one length
/// and one letter prefix, dots removed.
fn code_range(label: &str) -> Option<(String, String)> {
    let first = label.split_whitespace().next()?;
    let (a, b) = first.split_once(['-', '–'])?;
    let (a, b) = (a.replace('.', ""), b.trim_end_matches(':').replace('.', ""));
    let coded = |t: &str| {
        t.len() >= 2
            && t.bytes().all(|c| c.is_ascii_alphanumeric())
            && t.bytes().any(|c| c.is_ascii_digit())
            && t.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
    };
    let same_letters = a
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .eq(b.bytes().take_while(u8::is_ascii_alphabetic));
    (coded(&a) && coded(&b) && a.len() == b.len() && same_letters && a < b).then_some((a, b))
}

/// The code at the start of a label (`C50`, `C50.9`, `011`), if the label starts with one.
fn code_of(label: &str) -> Option<String> {
    let first = label.split_whitespace().next()?;
    let first = first.trim_end_matches([':', '-']);
    let digits = first.chars().filter(char::is_ascii_digit).count();
    let ok = first.len() >= 2
        && digits >= 1
        && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && first
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    ok.then(|| first.replace('.', ""))
}

fn trees(b: &mut Builder<'_, '_>) {
    let g = b.g;
    let table = g.table;
    let (used_rows, _) = used_totals(b);
    let rows = g.rows.clone();
    let mut found: Vec<(usize, Vec<usize>, Source)> = Vec::new();
    // Indentation.
    let indents: Vec<u32> = rows.iter().map(|&r| table.rows[r].indent).collect();
    if indents.iter().any(|&d| d != indents[0]) {
        for i in 0..rows.len() {
            let d = indents[i];
            let mut kids = Vec::new();
            let mut j = i + 1;
            while j < rows.len() && indents[j] > d {
                kids.push(j);
                j += 1;
            }
            if kids.is_empty() {
                continue;
            }
            let m = kids.iter().map(|&k| indents[k]).min().unwrap_or(d);
            let direct: Vec<usize> = kids
                .iter()
                .copied()
                .filter(|&k| indents[k] == m)
                .map(|k| rows[k])
                .collect();
            if direct.len() >= 2 {
                found.push((rows[i], direct, Source::Indent));
            }
        }
    }
    // Code prefixes.
    let codes = row_codes(table, &rows);
    // The direct children of a parent among the rows whose codes `under` accepts: those with
    // the shortest code (`I20`, `I21` under `I`, not `I21.9`).
    let direct = |parent: usize, under: &dyn Fn(&str) -> bool| -> Vec<usize> {
        let kids: Vec<(usize, usize)> = (0..rows.len())
            .filter(|&k| k != parent)
            .filter_map(|k| {
                let c = codes[k].as_deref()?;
                under(c).then_some((k, c.len()))
            })
            .collect();
        let m = kids.iter().map(|x| x.1).min().unwrap_or(0);
        kids.into_iter()
            .filter(|x| x.1 == m)
            .map(|x| rows[x.0])
            .collect()
    };
    // A code range (`I20-I25`) over the codes inside it.
    for (i, &r) in rows.iter().enumerate() {
        let Some((lo, hi)) = code_range(&table.rows[r].label) else {
            continue;
        };
        let kids = direct(i, &|c: &str| {
            c.len() >= lo.len() && {
                let head = &c[..lo.len()];
                head >= lo.as_str() && head <= hi.as_str()
            }
        });
        if kids.len() >= 2 {
            found.push((r, kids, Source::CodePrefix));
        }
    }
    if codes.iter().filter(|c| c.is_some()).count() >= 3 {
        for i in 0..rows.len() {
            let Some(p) = codes[i].as_deref() else {
                continue;
            };
            let kids = direct(i, &|c: &str| c.len() > p.len() && c.starts_with(p));
            if kids.len() >= 2 {
                found.push((rows[i], kids, Source::CodePrefix));
            }
        }
    }
    // Interval labels tiling a parent.
    let ivs: Vec<Option<(Int, Option<Int>)>> = rows
        .iter()
        .map(|&r| interval(&table.rows[r].label))
        .collect();
    if ivs.iter().filter(|c| c.is_some()).count() >= 3 {
        for i in 0..rows.len() {
            let Some((a, bnd)) = ivs[i] else { continue };
            let inside = |k: usize| -> Option<(Int, Option<Int>)> {
                let (x, y) = ivs[k]?;
                let within = x >= a
                    && match (y, bnd) {
                        (_, None) => true,
                        (Some(y), Some(bb)) => y <= bb,
                        (None, Some(_)) => false,
                    };
                (k != i && within && (x, y) != (a, bnd)).then_some((x, y))
            };
            // Greedy chain from a, taking the widest piece at each step.
            let mut cursor = a;
            let mut chain: Vec<usize> = Vec::new();
            loop {
                let next = (0..rows.len())
                    .filter_map(|k| inside(k).map(|iv| (k, iv)))
                    .filter(|(_, (x, _))| *x == cursor)
                    .max_by_key(|(_, (_, y))| y.unwrap_or(Int::MAX));
                let Some((k, (_, y))) = next else { break };
                chain.push(rows[k]);
                match (y, bnd) {
                    (None, None) => {
                        cursor = Int::MIN;
                        break;
                    }
                    (Some(y), Some(bb)) if y == bb => {
                        cursor = Int::MIN;
                        break;
                    }
                    (Some(y), _) => cursor = y.saturating_add(1),
                    (None, Some(_)) => break,
                }
                if chain.len() > rows.len() {
                    break;
                }
            }
            if cursor == Int::MIN && chain.len() >= 2 {
                found.push((rows[i], chain, Source::Interval));
            }
        }
    }
    let mut seen: BTreeSet<(usize, Vec<usize>)> = BTreeSet::new();
    for (parent, kids, source) in found {
        if used_rows.contains(&parent) || !seen.insert((parent, kids.clone())) {
            continue;
        }
        let lines = row_lines(g, parent, &kids);
        if let Some(acc) = verify(g, &lines, Sense::Eq, false, b.rounding.as_ref(), 1) {
            if acc.confirmed {
                b.add(
                    row_name(table, parent),
                    source,
                    lines,
                    Sense::Eq,
                    false,
                    acc,
                );
            }
        }
    }
}

fn long_format(b: &mut Builder<'_, '_>, label_cols: &[u32], lexicon: &Lexicon) -> bool {
    let g = b.g;
    let table = g.table;
    let text = |r: usize, c: u32| -> String {
        table.rows[r]
            .cells
            .iter()
            .find(|x| x.col == c)
            .map(|x| x.text.clone())
            .unwrap_or_default()
    };
    let mut any = false;
    for &lc in label_cols {
        let totals: Vec<usize> = g
            .rows
            .iter()
            .copied()
            .filter(|&r| lexicon.is_total(&text(r, lc)))
            .collect();
        if totals.is_empty() {
            continue;
        }
        // Group rows by the other label columns.
        let mut groups: BTreeMap<Vec<String>, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for &r in &g.rows {
            let key: Vec<String> = label_cols
                .iter()
                .filter(|&&c| c != lc)
                .map(|&c| text(r, c))
                .collect();
            let e = groups.entry(key).or_default();
            if totals.contains(&r) {
                e.0.push(r);
            } else {
                e.1.push(r);
            }
        }
        let mut lines = Vec::new();
        for (tots, parts) in groups.values() {
            if tots.len() != 1 || parts.len() < 2 {
                continue;
            }
            let cats: BTreeSet<String> = parts.iter().map(|&r| text(r, lc)).collect();
            if cats.len() != parts.len() {
                continue; // not a key: the rows are not categories of one cell
            }
            lines.extend(row_lines(g, tots[0], parts));
        }
        if lines.is_empty() {
            continue;
        }
        if let Some(acc) = verify(g, &lines, Sense::Eq, false, b.rounding.as_ref(), 1) {
            let name = col_name(table, lc);
            b.add(
                format!("the Total category of {name}"),
                Source::LongFormat,
                lines,
                Sense::Eq,
                false,
                acc,
            );
            any = true;
        }
    }
    any
}

fn table_one(b: &mut Builder<'_, '_>) {
    let g = b.g;
    let table = g.table;
    let ncols: Vec<(u32, Int)> = g
        .cols
        .iter()
        .filter_map(|c| b.out.column_n.get(c).map(|n| (*c, *n)))
        .collect();
    if ncols.is_empty() {
        return;
    }
    // Blocks: a header row (a label, no counts) followed by data rows.
    let data: BTreeSet<usize> = g.rows.iter().copied().collect();
    let mut blocks: Vec<(usize, Vec<usize>)> = Vec::new();
    // Rows before the first variable row belong to a variable named in the last header row
    // (the reader takes a lone `Sex` row right below the header as part of the header).
    let lead = table
        .header
        .last()
        .and_then(|h| h.first())
        .is_some_and(|c| !c.text.is_empty())
        && table.header.len() >= 2;
    let mut current: Option<(usize, Vec<usize>)> = lead.then(|| (usize::MAX, Vec::new()));
    for (ri, row) in table.rows.iter().enumerate() {
        if data.contains(&ri) {
            if let Some((_, v)) = current.as_mut() {
                v.push(ri);
            }
        } else if !row.label.trim().is_empty() {
            if let Some(c) = current.take() {
                blocks.push(c);
            }
            current = Some((ri, Vec::new()));
        }
    }
    if let Some(c) = current.take() {
        blocks.push(c);
    }
    blocks.retain(|(_, v)| v.len() >= 2);
    if blocks.is_empty() {
        return;
    }
    // Evidence: some block adds up to its column's N exactly.
    let mut lines_eq: Vec<(usize, Line)> = Vec::new();
    let mut lines_res: Vec<(usize, Line)> = Vec::new();
    let mut exact_blocks = 0;
    for (bi, (_, rows)) in blocks.iter().enumerate() {
        for &(c, n) in &ncols {
            let parts: Vec<CellPos> = rows.iter().map(|&r| CellPos { row: r, col: c }).collect();
            let mut sum: Int = 0;
            let mut all = true;
            for p in &parts {
                match g.get(*p) {
                    Some(Shown::Exact(v)) => sum = sum.saturating_add(v),
                    Some(Shown::Hidden { lo, .. }) => {
                        all = false;
                        sum = sum.saturating_add(lo);
                    }
                    _ => all = false,
                }
            }
            if sum > n {
                continue; // not a partition of N (several answers per person)
            }
            let line = Line {
                total: Total::Constant(n),
                parts,
            };
            if all && sum == n {
                exact_blocks += 1;
                lines_eq.push((bi, line));
            } else {
                lines_res.push((bi, line));
            }
        }
    }
    let confirmed = exact_blocks >= 1;
    let tally = Tally {
        lines: lines_eq.len() + lines_res.len(),
        exact: exact_blocks,
        consistent: lines_eq.len() + lines_res.len(),
        full: exact_blocks,
        ..Tally::default()
    };
    let acc = Accepted {
        tally,
        confirmed,
        rounded: false,
    };
    for (residual, lines) in [(false, lines_eq), (true, lines_res)] {
        let mut by_block: BTreeMap<usize, Vec<Line>> = BTreeMap::new();
        for (bi, l) in lines {
            by_block.entry(bi).or_default().push(l);
        }
        for (bi, ls) in by_block {
            let head = blocks[bi].0;
            let name = match table.rows.get(head) {
                Some(r) => r.label.clone(),
                None => table
                    .header
                    .last()
                    .and_then(|h| h.first())
                    .map(|c| c.text.clone())
                    .unwrap_or_default(),
            };
            let label = format!("the categories of '{}' under each column's N", short(&name));
            b.add(label, Source::TableOne, ls, Sense::Eq, residual, acc);
        }
    }
}

/// Passes of the label-free scan: the first over every line, each further one over the lines
/// left when the totals found so far are taken out (AggreCol's non-adjacent pass, §3.3.5).
const LABEL_FREE_PASSES: usize = 3;

/// Label-free discovery of sum columns: a column equal to the sum of an adjacent run. Later
/// passes take the totals found so far out of the row of columns, so that a total whose parts
/// were split by a sub-total (`Ward 1, Ward 2, North, Ward 3, Ward 4, South, County`) has them
/// side by side.
fn discover_cols(b: &mut Builder<'_, '_>) {
    let g = b.g;
    if b.rounding.is_some() {
        return;
    }
    discover(
        b,
        &g.cols,
        |b| used_totals(b).1,
        usize::MAX,
        |c, parts| col_lines(g, c, parts),
        |c| col_name(g.table, c),
    );
}

/// Label-free discovery of sum rows: a row equal to the sum of an adjacent run of rows, in
/// passes as for columns.
fn discover_rows(b: &mut Builder<'_, '_>) {
    let g = b.g;
    if b.rounding.is_some() || g.cols.len() < 2 {
        return;
    }
    discover(
        b,
        &g.rows,
        |b| used_totals(b).0,
        60,
        |r, parts| row_lines(g, r, parts),
        |r| row_name(g.table, r),
    );
}

/// The passes of label-free discovery over rows or columns: a line equal to the sum of an
/// adjacent run of lines (at most `max_run` long) among those not yet used as totals.
fn discover<T: Copy + Ord>(
    b: &mut Builder<'_, '_>,
    all: &[T],
    used_of: impl Fn(&Builder<'_, '_>) -> BTreeSet<T>,
    max_run: usize,
    lines_of: impl Fn(T, &[T]) -> Vec<Line>,
    name_of: impl Fn(T) -> String,
) {
    let g = b.g;
    for pass in 0..LABEL_FREE_PASSES {
        let used = used_of(b);
        if pass > 0 && used.is_empty() {
            break;
        }
        let ids: Vec<T> = if pass == 0 {
            all.to_vec()
        } else {
            all.iter().copied().filter(|x| !used.contains(x)).collect()
        };
        let before = b.out.groups.len();
        let n = ids.len();
        for j in 0..n {
            let x = ids[j];
            if used.contains(&x) {
                continue;
            }
            if let Some((lines, acc)) = adjacent_sum(g, &ids, j, n.min(max_run), &used, |parts| {
                lines_of(x, parts)
            }) {
                b.add(name_of(x), Source::Numeric, lines, Sense::Eq, false, acc);
            }
        }
        if pass > 0 && b.out.groups.len() == before {
            break;
        }
    }
}

/// The first run of at least two lines (rows or columns) next to position `at` of `ids`, before
/// it and then after it, shorter than `max_len` and with no line already a total, whose lines
/// sum to the line at `at` (AggreCol's adjacent scan, spec §3.3.5).
fn adjacent_sum<T: Copy + Ord>(
    g: &Grid<'_>,
    ids: &[T],
    at: usize,
    max_len: usize,
    used: &BTreeSet<T>,
    lines_of: impl Fn(&[T]) -> Vec<Line>,
) -> Option<(Vec<Line>, Accepted)> {
    let n = ids.len() as i64;
    for dir in [-1i64, 1] {
        for k in 2..max_len {
            let idx: Vec<i64> = (1..=k as i64).map(|s| at as i64 + dir * s).collect();
            if idx.iter().any(|&x| x < 0 || x >= n) {
                break;
            }
            let parts: Vec<T> = idx.iter().map(|&x| ids[x as usize]).collect();
            if parts.iter().any(|p| used.contains(p)) {
                break;
            }
            let lines = lines_of(&parts);
            if !members_nonzero(g, &lines) {
                continue;
            }
            if let Some(acc) = verify(g, &lines, Sense::Eq, false, None, 2) {
                return Some((lines, acc));
            }
        }
    }
    None
}

/// Every member holds a non-zero published value in some line (no trivial `a = a + 0`).
fn members_nonzero(g: &Grid<'_>, lines: &[Line]) -> bool {
    let Some(first) = lines.first() else {
        return false;
    };
    (0..first.parts.len()).all(|m| {
        lines.iter().any(|l| {
            l.parts
                .get(m)
                .is_some_and(|p| matches!(g.get(*p), Some(Shown::Exact(v)) if v != 0))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Rules;
    use crate::table::cell::CellParser;
    use crate::table::grid::{Builder as GridBuilder, GridRow};

    fn table(csv: &str) -> (Table, Lexicon) {
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

    #[test]
    fn total_row_and_column() {
        let (t, lx) = table("Region,Men,Women,Total\nA,10,12,22\nB,7,9,16\nTotal,17,21,38\n");
        let s = detect(&t, &lx);
        assert_eq!(s.groups.len(), 2, "{s:?}");
        assert!(s
            .groups
            .iter()
            .all(|g| g.confirmed && g.source == Source::Lexicon));
        assert!(s.total_rows.contains(&2));
        assert!(s.total_cols.contains(&4));
        assert!(s.mismatches.is_empty());
    }

    #[test]
    fn mismatch_is_reported() {
        let (t, lx) = table("Age,HD,Pop\n21-30,7,19\n31-40,5,15\n41-50,8,18\nTotal,20,64\n");
        let s = detect(&t, &lx);
        assert!(!s.mismatches.is_empty(), "{s:?}");
    }

    #[test]
    fn unlabelled_sum_column_needs_two_matches() {
        let (t, lx) = table("Group,Men,Women,N\nx,10,12,22\ny,7,9,16\nz,1,1,3\n");
        let s = detect(&t, &lx);
        assert!(s.relations.is_empty(), "{s:?}");
        let (t, lx) = table("Group,Men,Women,N\nx,10,12,22\ny,7,9,16\nz,1,2,3\n");
        let s = detect(&t, &lx);
        assert_eq!(s.groups.len(), 1, "{s:?}");
        assert_eq!(s.groups[0].source, Source::Numeric);
    }

    const WARDS: &str = "Cohort,Ward 1,Ward 2,North,Ward 3,Ward 4,South,County
Cohort A,<5,15,x,10,12,22,40
Cohort B,20,25,45,30,35,65,110
Cohort C,11,13,24,17,19,36,60
Cohort D,21,8,29,14,16,30,59
";

    fn numeric_labels(s: &Structure) -> Vec<&str> {
        s.groups
            .iter()
            .filter(|g| g.source == Source::Numeric)
            .map(|g| g.label.as_str())
            .collect()
    }

    #[test]
    fn second_label_free_pass_finds_the_total_over_sub_totals() {
        let (t, lx) = table(WARDS);
        let s = detect(&t, &lx);
        assert_eq!(
            numeric_labels(&s),
            ["'North'", "'South'", "'County'"],
            "{s:?}"
        );
        let county = s
            .relations
            .iter()
            .find(|r| r.total == Total::Cell(CellPos { row: 1, col: 8 }))
            .expect("County in row 2");
        let mut cols: Vec<u32> = county.parts.iter().map(|p| p.col).collect();
        cols.sort_unstable();
        assert_eq!(cols, [2, 3, 5, 6]);
    }

    #[test]
    fn second_label_free_pass_needs_two_exact_lines() {
        // County adds up in one fully published row only: a coincidence as far as we know.
        let csv = "Cohort,Ward 1,Ward 2,North,Ward 3,Ward 4,South,County
Cohort A,<5,15,x,10,12,22,40
Cohort B,20,25,45,30,35,65,110
Cohort C,11,13,24,17,19,36,x
";
        let (t, lx) = table(csv);
        let s = detect(&t, &lx);
        assert_eq!(numeric_labels(&s), ["'North'", "'South'"], "{s:?}");
    }

    #[test]
    fn intervals_tile_a_parent() {
        let (t, lx) = table("Age,n\n0-9,30\n0-4,12\n5-9,18\n10-19,40\n10-14,15\n15-19,25\n");
        let s = detect(&t, &lx);
        assert_eq!(s.groups.len(), 2, "{s:?}");
        assert!(s.groups.iter().all(|g| g.source == Source::Interval));
    }

    #[test]
    fn rounding_is_found() {
        let (t, lx) = table("Age,HD,Pop\na,x,20\nb,10,25\nc,15,30\nd,25,45\nTotal,50,120\n");
        let s = detect(&t, &lx);
        let r = s.rounding.expect("rounded");
        assert!(r.sum_of_rounded);
        assert!(s.groups[0].excludes_suppressed, "{s:?}");
    }

    const GROUPED: &str = ",Men,,,Women,,,All,,
Region,<50,50+,Total,<50,50+,Total,<50,50+,Total
North,<5,x,31,12,30,42,15,58,73
South,20,35,55,18,27,45,38,62,100
East,16,22,38,14,19,33,30,41,71
West,25,29,54,21,26,47,46,55,101
";

    #[test]
    fn header_groups_give_column_families() {
        let (t, lx) = table(GROUPED);
        let s = detect(&t, &lx);
        let header: Vec<_> = s
            .groups
            .iter()
            .filter(|g| g.source == Source::HeaderGroups)
            .map(|g| g.label.as_str())
            .collect();
        assert_eq!(
            header,
            ["'All / <50'", "'All / 50+'", "'All / Total'"],
            "{s:?}"
        );
        // The group totals come from their labels and are not repeated.
        assert_eq!(s.groups.len(), 6, "{s:?}");
        assert!(s.mismatches.is_empty());
    }

    #[test]
    fn header_groups_that_do_not_add_up_give_nothing() {
        // `All` counts people of unknown sex too: no line adds up.
        let csv = GROUPED
            .replace("15,58,73", "17,60,77")
            .replace("38,62,100", "40,63,103")
            .replace("30,41,71", "31,43,74")
            .replace("46,55,101", "48,57,105");
        let (t, lx) = table(&csv);
        let s = detect(&t, &lx);
        assert!(
            s.groups.iter().all(|g| g.source != Source::HeaderGroups),
            "{s:?}"
        );
    }

    #[test]
    fn unlabelled_header_group_is_found_by_the_numbers() {
        let csv = ",Men,,Women,,Persons,
Region,<50,50+,<50,50+,<50,50+
North,<5,x,12,30,15,58
South,20,35,18,27,38,62
East,16,22,14,19,30,41
";
        let (t, lx) = table(csv);
        let s = detect(&t, &lx);
        let header: Vec<_> = s
            .groups
            .iter()
            .filter(|g| g.source == Source::HeaderGroups)
            .map(|g| g.label.as_str())
            .collect();
        assert_eq!(header, ["'Persons / <50'", "'Persons / 50+'"], "{s:?}");
        // One exact line is not enough without a total label.
        let csv = csv.replace("East,16,22,14,19,30,41\n", "");
        let (t, lx) = table(&csv);
        let s = detect(&t, &lx);
        assert!(
            s.groups.iter().all(|g| g.source != Source::HeaderGroups),
            "{s:?}"
        );
    }

    #[test]
    fn rounded_header_groups_hold_within_rounding() {
        let csv = ",Men,,Women,,All,
Region,<50,50+,<50,50+,<50,50+
North,x,30,15,25,20,55
South,20,35,20,25,35,65
East,15,20,15,20,30,40
West,25,30,20,25,45,55
";
        let (t, lx) = table(csv);
        let s = detect(&t, &lx);
        let r = s.rounding.expect("rounded");
        assert!(!r.sum_of_rounded, "{s:?}");
        let header: Vec<_> = s
            .groups
            .iter()
            .filter(|g| g.source == Source::HeaderGroups)
            .map(|g| (g.label.as_str(), g.rounded))
            .collect();
        assert_eq!(
            header,
            [("'All / <50'", true), ("'All / 50+'", true)],
            "{s:?}"
        );
    }

    #[test]
    fn model_output_under_header_groups_has_no_structure() {
        let (t, lx) = table(",Model 1,,,Model 2,,\nTerm,HR,Lower,Upper,HR,Lower,Upper\nAge,1.42,1.31,1.54,1.38,1.20,1.51\nFemale,0.87,0.78,0.97,0.91,0.80,1.02\n");
        let s = detect(&t, &lx);
        assert!(s.is_empty(), "{s:?}");
    }

    #[test]
    fn model_table_has_no_structure() {
        let (t, lx) = table("Term,HR,95% CI lower,95% CI upper,p\nAge,1.42,1.31,1.54,0.001\nFemale,0.87,0.78,0.97,0.012\n");
        let s = detect(&t, &lx);
        assert!(s.is_empty());
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    #[test]
    fn extreme_interval_labels_do_not_overflow() {
        assert_eq!(
            interval("<-170141183460469231731687303715884105728"),
            Some((0, Some(Int::MIN)))
        );
        let big = format!("0-{}", Int::MAX);
        assert_eq!(interval(&big), Some((0, Some(Int::MAX))));
    }
}
