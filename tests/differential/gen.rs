//! The generator of random delivered tables, each with its truth.
//!
//! A [`Case`] is drawn from one seed in three steps:
//!
//! 1. **Truth** ([`Truth`]): the true counts of a table whose structure is known by
//!    construction: a 2-D table with a total row and column ([`Kind::Wide`]), rows in a
//!    sub-total hierarchy (groups of rows, a sub-total per group, a total over the sub-totals,
//!    optionally a total column, [`Kind::Hierarchy`]), or a long-format cube of two or three label
//!    columns whose every combination, `Total` categories included, is a row
//!    ([`Kind::Long`]). Inner cells are drawn (zeros, small counts `1..t−1`, larger counts on one
//!    of several scales); every margin is the exact sum of its inner cells, and a margin that
//!    would fall in `1..t−1` is raised (by raising one of its inner cells) so that only inner
//!    cells are primary. The relations (`total = Σ parts`) are listed for every line.
//! 2. **Suppression**: every inner cell in `1..t−1` is hidden (primary), except that a few tables
//!    leave one of them shown (a small count the `small-count` rule must catch). Secondary
//!    suppression then hides further inner cells, by one of several strategies, some enough and
//!    some not: none, one pass over the lines with a single hidden cell (each completed with
//!    probability ½), completing every such line until none is left (the usual "two per line"
//!    rule, which still leaks through combinations of lines), or that plus random extra cells.
//!    The completing cell is the smallest visible one (τ-ARGUS's cheapest) or a random one;
//!    zeros are used in a few tables only.
//! 3. **Style** ([`Style`]): how the table is delivered: header kinds (letters, `Gruppe A`, words
//!    of the lexicon's languages, codes, years, age bands, regions), stub kinds, the total label
//!    of the table's language, the total row, column and categories first or last, hierarchy
//!    marks (indentation, code prefixes, interval labels, labelled sub-totals, none), the
//!    separator (`,`, `;` with decimal commas, tab), thousands separators, a share column with
//!    decimals, a title and a note, and the profile's suppression markers (a bounded `<t` for
//!    primary cells and a bare marker for secondary ones, or one bare marker for all).
//!
//! The style never changes the truth or the suppression, so a table can be re-rendered with one
//! feature changed (see `attribute` in `differential.rs`) to find which feature the tool trips on.

use super::rng::Rng;

/// The shape of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Wide,
    Hierarchy,
    Long,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Wide => "2-D",
            Kind::Hierarchy => "hierarchy",
            Kind::Long => "long",
        }
    }
}

/// The rule profile a table is checked under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    Default,
    Dk,
    Fi,
    Be,
    Uk,
}

impl Profile {
    pub const ALL: [Profile; 5] = [
        Profile::Default,
        Profile::Dk,
        Profile::Fi,
        Profile::Be,
        Profile::Uk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Default => "default",
            Profile::Dk => "dk",
            Profile::Fi => "fi",
            Profile::Be => "be",
            Profile::Uk => "uk",
        }
    }

    /// The threshold `t` of `rules/<profile>.toml` (checked against the loaded rules).
    pub fn threshold(self) -> i64 {
        match self {
            Profile::Uk => 10,
            _ => 5,
        }
    }

    /// Bounded markers of the profile's practice (`<t`, `n<t`).
    fn bounded_markers(self) -> &'static [&'static str] {
        match self {
            Profile::Default => &["<5"],
            Profile::Dk => &["n<5", "<5"],
            Profile::Fi | Profile::Be => &["<5"],
            Profile::Uk => &["<10"],
        }
    }

    /// Bare markers listed in the profile's `[suppression] markers`.
    fn bare_markers(self) -> &'static [&'static str] {
        match self {
            Profile::Default => &["x", "..", "[REDACTED]", "*", ":", "[c]", "-", "suppressed"],
            Profile::Dk => &["x", "..", "[REDACTED]", "diskretioneret", "*"],
            Profile::Fi => &["x", "..", "salattu", "*"],
            Profile::Be => &["x", "..", "confidentiel", "vertrouwelijk", "[REDACTED]"],
            Profile::Uk => &["[REDACTED]", "x", "*", "[c]", ".."],
        }
    }
}

/// The language of a table's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Da,
    En,
    Fi,
    Sv,
    De,
    Nl,
    Fr,
}

impl Lang {
    pub fn name(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::De => "de",
            Lang::Nl => "nl",
            Lang::Fr => "fr",
        }
    }

    fn idx(self) -> usize {
        self as usize
    }
}

/// What the categories of a header or a stub are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LabelKind {
    /// `A`, `B`, `C` …
    Letters,
    /// `Gruppe A`, `Group B` …
    GroupWords,
    /// Diagnoses in the table's language: `Kræft`, `Diabetes` …
    Words,
    /// Municipality numbers, ICD codes, `K01` …
    Codes,
    /// `2016`, `2017` …
    Years,
    /// `0-17`, `18-29` … (`år`, `years`, en dashes)
    AgeBands,
    /// Regions and municipalities.
    Regions,
}

impl LabelKind {
    pub fn name(self) -> &'static str {
        match self {
            LabelKind::Letters => "letters",
            LabelKind::GroupWords => "group words",
            LabelKind::Words => "words",
            LabelKind::Codes => "codes",
            LabelKind::Years => "years",
            LabelKind::AgeBands => "age bands",
            LabelKind::Regions => "regions",
        }
    }
}

/// How the rows of a hierarchy show their level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HierStyle {
    /// Children indented under a region.
    Indent,
    /// `C50` over `C50.1`, `01` over `011`.
    CodePrefix,
    /// `0-19` over `0-9` and `10-19`.
    Interval,
    /// `Nordjylland, i alt` after (or before) its children.
    LabelledSubtotal,
    /// A plain label: only the numbers tell.
    Unmarked,
}

impl HierStyle {
    pub fn name(self) -> &'static str {
        match self {
            HierStyle::Indent => "indent",
            HierStyle::CodePrefix => "code prefix",
            HierStyle::Interval => "interval",
            HierStyle::LabelledSubtotal => "labelled sub-total",
            HierStyle::Unmarked => "unmarked",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sep {
    Comma,
    Semicolon,
    Tab,
}

impl Sep {
    pub fn char(self) -> char {
        match self {
            Sep::Comma => ',',
            Sep::Semicolon => ';',
            Sep::Tab => '\t',
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Sep::Comma => "comma",
            Sep::Semicolon => "semicolon",
            Sep::Tab => "tab",
        }
    }
}

/// Thousands separators in numbers of four digits or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Thousands {
    None,
    /// `1.234` (with decimal commas).
    Dot,
    /// `1 234`.
    Space,
    /// `1,234` (with decimal points).
    Comma,
}

impl Thousands {
    pub fn name(self) -> &'static str {
        match self {
            Thousands::None => "none",
            Thousands::Dot => "dot",
            Thousands::Space => "space",
            Thousands::Comma => "comma",
        }
    }
}

/// Secondary suppression strategies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Secondary {
    None,
    /// One pass: each line with a single hidden cell gets a second with probability ½.
    Partial,
    /// Until no line has a single hidden cell.
    Full,
    /// `Full`, then one or two random extra cells.
    FullExtra,
}

impl Secondary {
    pub fn name(self) -> &'static str {
        match self {
            Secondary::None => "none",
            Secondary::Partial => "partial",
            Secondary::Full => "full",
            Secondary::FullExtra => "full+extra",
        }
    }
}

/// `total = Σ parts` over cell indices.
#[derive(Clone, Debug)]
pub struct Relation {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// Where the cells of a table sit in its abstract layout (before rendering).
#[derive(Clone, Debug)]
pub enum Shape {
    /// `m[r][c]` for `r ≤ rows`, `c ≤ cols`; index `rows` is the total row, `cols` the total
    /// column.
    Wide {
        rows: usize,
        cols: usize,
        m: Vec<Vec<usize>>,
    },
    /// `leaf[g][k][j]`, `sub[g][j]`, `top[j]` for data columns `j < cols`, and `j = cols` the
    /// total column when there is one.
    Hier {
        cols: usize,
        total_col: bool,
        leaf: Vec<Vec<Vec<usize>>>,
        sub: Vec<Vec<usize>>,
        top: Vec<usize>,
    },
    /// A cube with `cats[d]` categories per dimension; coordinate `cats[d]` is `Total`. Cell
    /// indices are the mixed-radix numbers of the coordinates (see [`long_index`]).
    Long { cats: Vec<usize> },
}

/// The cell index of a coordinate of a long-format cube.
pub fn long_index(cats: &[usize], coords: &[usize]) -> usize {
    let mut i = 0;
    for (d, &c) in coords.iter().enumerate() {
        i = i * (cats[d] + 1) + c;
    }
    i
}

/// Every coordinate of a cube, in index order.
pub fn long_coords(cats: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    for &k in cats {
        let mut next = Vec::new();
        for p in &out {
            for c in 0..=k {
                let mut q = p.clone();
                q.push(c);
                next.push(q);
            }
        }
        out = next;
    }
    out
}

/// A table's true counts, structure and suppression.
#[derive(Clone, Debug)]
pub struct Truth {
    pub shape: Shape,
    pub values: Vec<i64>,
    /// An inner cell (not a total or sub-total).
    pub inner: Vec<bool>,
    pub relations: Vec<Relation>,
    pub hidden: Vec<bool>,
    /// Hidden because its true value is in `1..t−1`.
    pub primary: Vec<bool>,
    /// Inner cells in `1..t−1` left visible.
    pub leaked: Vec<usize>,
    pub t: i64,
}

/// Labels of a hierarchy's rows.
#[derive(Clone, Debug)]
pub struct HierLabels {
    pub style: HierStyle,
    pub parent_first: bool,
    /// The sub-total rows' labels, as printed.
    pub parents: Vec<String>,
    /// The children's labels, as printed (indentation included).
    pub children: Vec<Vec<String>>,
}

/// Labels of a long-format cube.
#[derive(Clone, Debug)]
pub struct LongLabels {
    pub dim_names: Vec<String>,
    pub cats: Vec<Vec<String>>,
    pub totals: Vec<String>,
}

/// How a table is delivered.
#[derive(Clone, Debug)]
pub struct Style {
    pub lang: Lang,
    pub sep: Sep,
    pub thousands: Thousands,
    pub decimal_comma: bool,
    pub crlf: bool,
    pub bom: bool,
    pub title: Option<String>,
    pub note: Option<String>,
    pub stub_header: String,
    pub col_kind: LabelKind,
    /// Data columns of a wide table or a hierarchy.
    pub col_labels: Vec<String>,
    pub row_kind: LabelKind,
    /// Data rows of a wide table.
    pub row_labels: Vec<String>,
    pub hier: Option<HierLabels>,
    pub long: Option<LongLabels>,
    /// The total row's and total column's label.
    pub total_label: String,
    pub total_row_first: bool,
    pub total_col_first: bool,
    /// Header of a column of each row's share of the grand total (`Andel (%)`), one decimal.
    pub share: Option<String>,
    /// Header of the only count column (a hierarchy without data columns, a long table).
    pub count_header: String,
    pub primary_marker: String,
    pub secondary_marker: String,
    /// The primary marker is `<t`: the reader knows the cell is at most `t−1`.
    pub primary_bounded: bool,
}

/// One generated table.
#[derive(Clone, Debug)]
pub struct Case {
    pub seed: u64,
    pub kind: Kind,
    pub profile: Profile,
    pub secondary: Secondary,
    pub truth: Truth,
    pub style: Style,
}

/// Weights of the features drawn; [`Mix::full`] is what real exports look like, other mixes
/// restrict it.
#[derive(Clone, Debug)]
pub struct Mix {
    pub kinds: Vec<(Kind, u32)>,
    pub col_kinds: Vec<(LabelKind, u32)>,
    pub row_kinds: Vec<(LabelKind, u32)>,
    pub hier_styles: Vec<(HierStyle, u32)>,
    /// Sub-total rows before (`Some(true)`) or after their children; `None`: drawn per style.
    pub parent_first: Option<bool>,
    pub seps: Vec<(Sep, u32)>,
    /// Probability of a thousands separator where the separator allows one.
    pub p_thousands: f64,
    pub p_total_first: f64,
    pub p_share: f64,
    pub p_title: f64,
    pub p_note: f64,
    pub p_leak: f64,
    pub p_bounded_marker: f64,
    pub profiles: Vec<(Profile, u32)>,
}

impl Mix {
    /// Everything, in proportions meant to resemble real exports.
    pub fn full() -> Mix {
        use LabelKind::*;
        let labels = vec![
            (Letters, 20),
            (GroupWords, 12),
            (Words, 15),
            (Codes, 12),
            (Years, 14),
            (AgeBands, 13),
            (Regions, 14),
        ];
        Mix {
            kinds: vec![(Kind::Wide, 50), (Kind::Hierarchy, 25), (Kind::Long, 25)],
            col_kinds: labels.clone(),
            row_kinds: labels,
            hier_styles: vec![
                (HierStyle::Indent, 30),
                (HierStyle::CodePrefix, 20),
                (HierStyle::Interval, 15),
                (HierStyle::LabelledSubtotal, 20),
                (HierStyle::Unmarked, 15),
            ],
            parent_first: None,
            seps: vec![(Sep::Comma, 40), (Sep::Semicolon, 40), (Sep::Tab, 20)],
            p_thousands: 0.4,
            p_total_first: 0.3,
            p_share: 0.2,
            p_title: 0.3,
            p_note: 0.2,
            p_leak: 0.04,
            p_bounded_marker: 0.45,
            profiles: vec![
                (Profile::Default, 25),
                (Profile::Dk, 25),
                (Profile::Fi, 15),
                (Profile::Be, 15),
                (Profile::Uk, 20),
            ],
        }
    }
}

/// Draws the case of one seed.
pub fn generate(seed: u64, mix: &Mix) -> Case {
    let mut rng = Rng::new(seed);
    let kind = rng.weighted(&mix.kinds);
    let profile = rng.weighted(&mix.profiles);
    let t = profile.threshold();
    let (shape, inner, relations, leaves) = match kind {
        Kind::Wide => wide_shape(&mut rng),
        Kind::Hierarchy => hier_shape(&mut rng),
        Kind::Long => long_shape(&mut rng),
    };
    let values = draw_values(&mut rng, &inner, &leaves, t);
    let mut truth = Truth {
        shape,
        hidden: vec![false; values.len()],
        primary: vec![false; values.len()],
        values,
        inner,
        relations,
        leaked: Vec::new(),
        t,
    };
    let secondary = rng.weighted(&[
        (Secondary::None, 15),
        (Secondary::Partial, 25),
        (Secondary::Full, 45),
        (Secondary::FullExtra, 15),
    ]);
    suppress(&mut rng, &mut truth, secondary, mix.p_leak);
    let style = draw_style(&mut rng, kind, profile, &truth, mix);
    Case {
        seed,
        kind,
        profile,
        secondary,
        truth,
        style,
    }
}

type Built = (Shape, Vec<bool>, Vec<Relation>, Vec<Vec<usize>>);

/// Cells in creation order: inner or a margin over given inner cells.
#[derive(Default)]
struct Cells {
    inner: Vec<bool>,
    leaves: Vec<Vec<usize>>,
}

impl Cells {
    fn inner(&mut self) -> usize {
        let i = self.inner.len();
        self.inner.push(true);
        self.leaves.push(vec![i]);
        i
    }

    fn margin(&mut self, of: &[usize]) -> usize {
        let mut leaves: Vec<usize> = of.iter().flat_map(|&c| self.leaves[c].clone()).collect();
        leaves.sort_unstable();
        leaves.dedup();
        self.inner.push(false);
        self.leaves.push(leaves);
        self.inner.len() - 1
    }
}

fn wide_shape(rng: &mut Rng) -> Built {
    let rows = rng.weighted(&[(2, 10), (3, 25), (4, 25), (5, 25), (6, 15)]);
    let cols = rng.weighted(&[(2, 10), (3, 25), (4, 25), (5, 25), (6, 15)]);
    wide_cells(rows, cols)
}

/// A wide table of given inner values and hidden cells (for hand-written cases such as C.1):
/// margins are the sums, every hidden cell in `1..t−1` is primary.
pub fn wide_truth(inner: &[Vec<i64>], hidden: &[Vec<bool>], t: i64) -> Truth {
    let (rows, cols) = (inner.len(), inner[0].len());
    let (shape, is_inner, relations, leaves) = wide_cells(rows, cols);
    let Shape::Wide { m, .. } = &shape else {
        unreachable!("a wide shape")
    };
    let n = is_inner.len();
    let mut values = vec![0i64; n];
    let mut hid = vec![false; n];
    for r in 0..rows {
        for c in 0..cols {
            values[m[r][c]] = inner[r][c];
            hid[m[r][c]] = hidden[r][c];
        }
    }
    for i in 0..n {
        if !is_inner[i] {
            values[i] = leaves[i].iter().map(|&l| values[l]).sum();
        }
    }
    let primary = (0..n)
        .map(|i| hid[i] && values[i] > 0 && values[i] < t)
        .collect();
    Truth {
        shape,
        values,
        inner: is_inner,
        relations,
        hidden: hid,
        primary,
        leaked: Vec::new(),
        t,
    }
}

fn wide_cells(rows: usize, cols: usize) -> Built {
    let mut c = Cells::default();
    let mut m: Vec<Vec<usize>> = (0..rows)
        .map(|_| (0..cols).map(|_| c.inner()).collect())
        .collect();
    for row in m.iter_mut() {
        let t = c.margin(row);
        row.push(t);
    }
    let total_row: Vec<usize> = (0..=cols)
        .map(|j| {
            let col: Vec<usize> = m.iter().map(|r| r[j]).collect();
            c.margin(&col)
        })
        .collect();
    m.push(total_row);
    let mut rel = Vec::new();
    for row in &m {
        rel.push(Relation {
            total: row[cols],
            parts: row[..cols].to_vec(),
        });
    }
    for j in 0..=cols {
        rel.push(Relation {
            total: m[rows][j],
            parts: m[..rows].iter().map(|r| r[j]).collect(),
        });
    }
    (Shape::Wide { rows, cols, m }, c.inner, rel, c.leaves)
}

fn hier_shape(rng: &mut Rng) -> Built {
    let groups = rng.weighted(&[(2, 40), (3, 40), (4, 20)]);
    let sizes: Vec<usize> = (0..groups)
        .map(|_| rng.weighted(&[(2, 40), (3, 40), (4, 20)]))
        .collect();
    let cols = rng.weighted(&[(1, 25), (2, 30), (3, 30), (4, 15)]);
    let total_col = cols >= 2 && rng.chance(0.8);
    let mut c = Cells::default();
    let mut leaf: Vec<Vec<Vec<usize>>> = Vec::new();
    for &k in &sizes {
        let mut g = Vec::new();
        for _ in 0..k {
            let mut row: Vec<usize> = (0..cols).map(|_| c.inner()).collect();
            if total_col {
                let t = c.margin(&row);
                row.push(t);
            }
            g.push(row);
        }
        leaf.push(g);
    }
    let width = cols + usize::from(total_col);
    let sub: Vec<Vec<usize>> = leaf
        .iter()
        .map(|g| {
            (0..width)
                .map(|j| {
                    let parts: Vec<usize> = g.iter().map(|r| r[j]).collect();
                    c.margin(&parts)
                })
                .collect()
        })
        .collect();
    let top: Vec<usize> = (0..width)
        .map(|j| {
            let parts: Vec<usize> = sub.iter().map(|r| r[j]).collect();
            c.margin(&parts)
        })
        .collect();
    let mut rel = Vec::new();
    for j in 0..width {
        for (g, rows) in leaf.iter().enumerate() {
            rel.push(Relation {
                total: sub[g][j],
                parts: rows.iter().map(|r| r[j]).collect(),
            });
        }
        rel.push(Relation {
            total: top[j],
            parts: sub.iter().map(|r| r[j]).collect(),
        });
    }
    if total_col {
        let all_rows = leaf.iter().flatten().chain(sub.iter()).chain([&top]);
        for row in all_rows {
            rel.push(Relation {
                total: row[cols],
                parts: row[..cols].to_vec(),
            });
        }
    }
    (
        Shape::Hier {
            cols,
            total_col,
            leaf,
            sub,
            top,
        },
        c.inner,
        rel,
        c.leaves,
    )
}

fn long_shape(rng: &mut Rng) -> Built {
    let dims = if rng.chance(0.5) { 2 } else { 3 };
    let cats: Vec<usize> = (0..dims)
        .map(|d| {
            if d == 0 && rng.chance(0.5) {
                2 // sex first, as most long exports have it
            } else {
                rng.weighted(&[(2, 35), (3, 40), (4, 25)])
            }
        })
        .collect();
    let coords = long_coords(&cats);
    let is_inner = |x: &[usize]| x.iter().zip(&cats).all(|(&c, &k)| c < k);
    let inner: Vec<bool> = coords.iter().map(|x| is_inner(x)).collect();
    let leaves: Vec<Vec<usize>> = coords
        .iter()
        .enumerate()
        .map(|(i, x)| {
            if inner[i] {
                return vec![i];
            }
            coords
                .iter()
                .filter(|y| {
                    is_inner(y)
                        && x.iter()
                            .zip(y.iter())
                            .zip(&cats)
                            .all(|((&a, &b), &k)| a == k || a == b)
                })
                .map(|y| long_index(&cats, y))
                .collect()
        })
        .collect();
    let mut rel = Vec::new();
    for x in &coords {
        for d in 0..dims {
            if x[d] != cats[d] {
                continue;
            }
            let parts = (0..cats[d])
                .map(|c| {
                    let mut y = x.clone();
                    y[d] = c;
                    long_index(&cats, &y)
                })
                .collect();
            rel.push(Relation {
                total: long_index(&cats, x),
                parts,
            });
        }
    }
    (Shape::Long { cats }, inner, rel, leaves)
}

/// Inner values, then margins as sums; margins in `1..t−1` are raised through an inner cell.
fn draw_values(rng: &mut Rng, inner: &[bool], leaves: &[Vec<usize>], t: i64) -> Vec<i64> {
    let p_small = *rng.pick(&[0.0, 0.05, 0.1, 0.15, 0.25, 0.35]);
    let p_zero = *rng.pick(&[0.0, 0.0, 0.03, 0.08]);
    let scale = *rng.pick(&[15i64, 40, 120, 400, 1500]);
    let mut v: Vec<i64> = inner
        .iter()
        .map(|&i| {
            if !i || rng.chance(p_zero) {
                0
            } else if rng.chance(p_small) {
                rng.range(1, t - 1)
            } else {
                t + rng.range(0, scale)
            }
        })
        .collect();
    loop {
        let mut changed = false;
        for (m, ls) in leaves.iter().enumerate() {
            if inner[m] {
                continue;
            }
            let s: i64 = ls.iter().map(|&l| v[l]).sum();
            if s > 0 && s < t {
                // Raise the largest inner cell of the margin above the threshold.
                let &l = ls
                    .iter()
                    .max_by_key(|&&l| v[l])
                    .expect("a margin has inner cells");
                v[l] += t;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (m, ls) in leaves.iter().enumerate() {
        if !inner[m] {
            v[m] = ls.iter().map(|&l| v[l]).sum();
        }
    }
    v
}

/// Primary and secondary suppression (see the module docs).
fn suppress(rng: &mut Rng, truth: &mut Truth, mode: Secondary, p_leak: f64) {
    let t = truth.t;
    for i in 0..truth.values.len() {
        if truth.inner[i] && truth.values[i] > 0 && truth.values[i] < t {
            truth.hidden[i] = true;
            truth.primary[i] = true;
        }
    }
    let primaries: Vec<usize> = (0..truth.values.len())
        .filter(|&i| truth.primary[i])
        .collect();
    if !primaries.is_empty() && rng.chance(p_leak) {
        let &i = rng.pick(&primaries);
        truth.hidden[i] = false;
        truth.primary[i] = false;
        truth.leaked.push(i);
    }
    let cheapest = rng.chance(0.5);
    let zeros_ok = rng.chance(0.1);
    let candidate = |truth: &Truth, i: usize| {
        truth.inner[i]
            && !truth.hidden[i]
            && !truth.leaked.contains(&i)
            && (zeros_ok || truth.values[i] > 0)
    };
    let mut order: Vec<usize> = (0..truth.relations.len()).collect();
    let passes = match mode {
        Secondary::None => 0,
        Secondary::Partial => 1,
        Secondary::Full | Secondary::FullExtra => 50,
    };
    for _ in 0..passes {
        rng.shuffle(&mut order);
        let mut changed = false;
        for &ri in &order {
            let r = &truth.relations[ri];
            let hidden = r.parts.iter().filter(|&&p| truth.hidden[p]).count();
            if hidden != 1 || truth.hidden[r.total] {
                continue;
            }
            if mode == Secondary::Partial && !rng.chance(0.5) {
                continue;
            }
            let cands: Vec<usize> = r
                .parts
                .iter()
                .copied()
                .filter(|&p| candidate(truth, p))
                .collect();
            if cands.is_empty() {
                continue;
            }
            let pick = if cheapest {
                *cands
                    .iter()
                    .min_by_key(|&&p| truth.values[p])
                    .expect("non-empty")
            } else {
                *rng.pick(&cands)
            };
            truth.hidden[pick] = true;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    if mode == Secondary::FullExtra {
        for _ in 0..rng.range(1, 2) {
            let cands: Vec<usize> = (0..truth.values.len())
                .filter(|&i| candidate(truth, i))
                .collect();
            if !cands.is_empty() {
                let &i = rng.pick(&cands);
                truth.hidden[i] = true;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Words.

const TOTALS: [&[&str]; 7] = [
    &["I alt", "Total", "Alle"],
    &["Total", "All", "Overall"],
    &["Yhteensä", "Kaikki"],
    &["Totalt", "Summa", "Samtliga"],
    &["Insgesamt", "Gesamt"],
    &["Totaal"],
    &["Ensemble", "Total"],
];

const GROUP_WORD: [&str; 7] = [
    "Gruppe", "Group", "Ryhmä", "Grupp", "Gruppe", "Groep", "Groupe",
];

const DISEASES: [[&str; 8]; 7] = [
    [
        "Hjertesygdom",
        "Kræft",
        "Diabetes",
        "Astma",
        "Depression",
        "Demens",
        "Gigt",
        "KOL",
    ],
    [
        "Heart disease",
        "Cancer",
        "Diabetes",
        "Asthma",
        "Depression",
        "Dementia",
        "Arthritis",
        "COPD",
    ],
    [
        "Sydäntauti",
        "Syöpä",
        "Diabetes",
        "Astma",
        "Masennus",
        "Muistisairaus",
        "Nivelrikko",
        "Keuhkoahtaumatauti",
    ],
    [
        "Hjärtsjukdom",
        "Cancer",
        "Diabetes",
        "Astma",
        "Depression",
        "Demens",
        "Artros",
        "KOL",
    ],
    [
        "Herzkrankheit",
        "Krebs",
        "Diabetes",
        "Asthma",
        "Depression",
        "Demenz",
        "Arthrose",
        "COPD",
    ],
    [
        "Hartziekte",
        "Kanker",
        "Diabetes",
        "Astma",
        "Depressie",
        "Dementie",
        "Artrose",
        "COPD",
    ],
    [
        "Cardiopathie",
        "Cancer",
        "Diabète",
        "Asthme",
        "Dépression",
        "Démence",
        "Arthrose",
        "BPCO",
    ],
];

const REGIONS: [[&str; 8]; 7] = [
    [
        "Aarhus", "Odense", "Aalborg", "Esbjerg", "Randers", "Kolding", "Horsens", "Vejle",
    ],
    [
        "North", "South", "East", "West", "Central", "London", "Wales", "Scotland",
    ],
    [
        "Uusimaa",
        "Pirkanmaa",
        "Varsinais-Suomi",
        "Pohjois-Pohjanmaa",
        "Keski-Suomi",
        "Lappi",
        "Satakunta",
        "Kanta-Häme",
    ],
    [
        "Stockholm",
        "Uppsala",
        "Skåne",
        "Västra Götaland",
        "Halland",
        "Dalarna",
        "Gävleborg",
        "Norrbotten",
    ],
    [
        "Bayern",
        "Berlin",
        "Hessen",
        "Sachsen",
        "Bremen",
        "Hamburg",
        "Saarland",
        "Thüringen",
    ],
    [
        "Antwerpen",
        "Limburg",
        "Gent",
        "Brugge",
        "Leuven",
        "Mechelen",
        "Hasselt",
        "Brussel",
    ],
    [
        "Bruxelles",
        "Liège",
        "Namur",
        "Hainaut",
        "Luxembourg",
        "Charleroi",
        "Mons",
        "Wavre",
    ],
];

const TOWNS: [[&str; 16]; 3] = [
    [
        "København",
        "Frederiksberg",
        "Gentofte",
        "Roskilde",
        "Næstved",
        "Holbæk",
        "Odense",
        "Esbjerg",
        "Kolding",
        "Aarhus",
        "Randers",
        "Horsens",
        "Aalborg",
        "Hjørring",
        "Thisted",
        "Viborg",
    ],
    [
        "Leeds",
        "York",
        "Hull",
        "Bradford",
        "Bristol",
        "Bath",
        "Exeter",
        "Plymouth",
        "Leicester",
        "Derby",
        "Lincoln",
        "Nottingham",
        "Norwich",
        "Ipswich",
        "Cambridge",
        "Luton",
    ],
    [
        "Helsinki",
        "Espoo",
        "Vantaa",
        "Tampere",
        "Nokia",
        "Ylöjärvi",
        "Turku",
        "Salo",
        "Raisio",
        "Oulu",
        "Kempele",
        "Raahe",
        "Jyväskylä",
        "Äänekoski",
        "Rovaniemi",
        "Kemi",
    ],
];

const PARENTS: [[&str; 4]; 3] = [
    ["Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland"],
    ["North", "Midlands", "South West", "East"],
    ["Etelä-Suomi", "Länsi-Suomi", "Itä-Suomi", "Pohjois-Suomi"],
];

const CODE_SETS: [[&str; 8]; 3] = [
    ["101", "147", "151", "153", "155", "157", "159", "161"],
    ["I20", "I21", "I25", "J45", "E11", "C50", "F32", "G30"],
    ["K01", "K02", "K03", "K04", "K05", "K06", "K07", "K08"],
];

const AGE_BANDS: [&str; 8] = [
    "0-17", "18-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+",
];

/// `n` labels of a kind.
fn labels(rng: &mut Rng, kind: LabelKind, lang: Lang, n: usize) -> Vec<String> {
    let l = lang.idx();
    match kind {
        LabelKind::Letters => {
            // Mostly from `A`; sometimes further on, so that some runs avoid `B`, `C`, `F` …
            let start = if rng.chance(0.7) { 0 } else { rng.below(16) } as u8;
            (0..n as u8)
                .map(|i| char::from(b'A' + start + i).to_string())
                .collect()
        }
        LabelKind::GroupWords => (0..n as u8)
            .map(|i| format!("{} {}", GROUP_WORD[l], char::from(b'A' + i)))
            .collect(),
        LabelKind::Words => {
            let mut w: Vec<&str> = DISEASES[l].to_vec();
            rng.shuffle(&mut w);
            w[..n].iter().map(|s| s.to_string()).collect()
        }
        LabelKind::Codes => {
            let set = rng.pick(&CODE_SETS);
            set[..n].iter().map(|s| s.to_string()).collect()
        }
        LabelKind::Years => {
            let start = rng.range(2010, 2018);
            (0..n as i64).map(|i| (start + i).to_string()).collect()
        }
        LabelKind::AgeBands => {
            let suffix = match (lang, rng.below(3)) {
                (Lang::Da, 0) => " år",
                (Lang::En, 0) => " years",
                (Lang::Fi, 0) => " v",
                _ => "",
            };
            let dash = if rng.chance(0.2) { "–" } else { "-" };
            AGE_BANDS[..n]
                .iter()
                .map(|b| format!("{}{suffix}", b.replace('-', dash)))
                .collect()
        }
        LabelKind::Regions => {
            let mut w: Vec<&str> = REGIONS[l].to_vec();
            if rng.chance(0.5) {
                rng.shuffle(&mut w);
            }
            w[..n].iter().map(|s| s.to_string()).collect()
        }
    }
}

/// The stub header of a row kind.
fn stub_header(rng: &mut Rng, kind: LabelKind, lang: Lang) -> String {
    if rng.chance(0.15) {
        return String::new();
    }
    let l = lang.idx();
    let words: [&str; 7] = match kind {
        LabelKind::Letters | LabelKind::GroupWords => [
            "Gruppe", "Group", "Ryhmä", "Grupp", "Gruppe", "Groep", "Groupe",
        ],
        LabelKind::Words => [
            "Diagnose",
            "Diagnosis",
            "Diagnoosi",
            "Diagnos",
            "Diagnose",
            "Diagnose",
            "Diagnostic",
        ],
        LabelKind::Codes => ["Kode", "Code", "Koodi", "Kod", "Code", "Code", "Code"],
        LabelKind::Years => ["År", "Year", "Vuosi", "År", "Jahr", "Jaar", "Année"],
        LabelKind::AgeBands => [
            "Alder",
            "Age group",
            "Ikäryhmä",
            "Ålder",
            "Altersgruppe",
            "Leeftijd",
            "Âge",
        ],
        LabelKind::Regions => [
            "Kommune",
            "Region",
            "Alue",
            "Region",
            "Region",
            "Provincie",
            "Province",
        ],
    };
    words[l].to_string()
}

fn count_header(rng: &mut Rng, lang: Lang) -> String {
    let words: &[&str] = match lang {
        Lang::Da => &["Antal", "Personer", "Antal patienter"],
        Lang::En => &["N", "Count", "Patients", "Number of patients"],
        Lang::Fi => &["Lukumäärä", "Lkm", "Henkilöt"],
        Lang::Sv => &["Antal", "Personer"],
        Lang::De => &["Anzahl", "Fälle"],
        Lang::Nl => &["Aantal", "Personen"],
        Lang::Fr => &["Effectif", "Nombre"],
    };
    rng.pick(words).to_string()
}

/// A labelled sub-total row for a parent, in the table's language.
fn labelled_subtotal(rng: &mut Rng, lang: Lang, parent: &str) -> String {
    match lang {
        Lang::Da => format!("{parent}, i alt"),
        Lang::En => {
            if rng.chance(0.5) {
                format!("{parent} total")
            } else {
                format!("Total {parent}")
            }
        }
        Lang::Fi => format!("{parent} yhteensä"),
        Lang::Sv => format!("{parent} totalt"),
        Lang::De => format!("{parent} insgesamt"),
        Lang::Nl => format!("Totaal {parent}"),
        Lang::Fr => format!("Total {parent}"),
    }
}

fn hier_labels(rng: &mut Rng, truth: &Truth, lang: Lang, style: HierStyle) -> HierLabels {
    let Shape::Hier { leaf, .. } = &truth.shape else {
        unreachable!("hierarchy labels for a hierarchy")
    };
    let sizes: Vec<usize> = leaf.iter().map(Vec::len).collect();
    let pool = match lang {
        Lang::Da => 0,
        Lang::Fi => 1,
        _ => 2,
    };
    let (towns, parents) = match pool {
        0 => (&TOWNS[0], &PARENTS[0]),
        1 => (&TOWNS[2], &PARENTS[2]),
        _ => (&TOWNS[1], &PARENTS[1]),
    };
    let mut next_town = 0;
    let mut town = || {
        let t = towns[next_town % towns.len()].to_string();
        next_town += 1;
        t
    };
    let (parents, children, parent_first): (Vec<String>, Vec<Vec<String>>, bool) = match style {
        HierStyle::Indent | HierStyle::Unmarked | HierStyle::LabelledSubtotal => {
            let indent = if style == HierStyle::Indent {
                if rng.chance(0.7) {
                    "  "
                } else {
                    "    "
                }
            } else {
                ""
            };
            let children = sizes
                .iter()
                .map(|&k| (0..k).map(|_| format!("{indent}{}", town())).collect())
                .collect();
            let ps = (0..sizes.len())
                .map(|g| {
                    let p = parents[g].to_string();
                    if style == HierStyle::LabelledSubtotal {
                        labelled_subtotal(rng, lang, &p)
                    } else {
                        p
                    }
                })
                .collect();
            let first = match style {
                HierStyle::Indent => rng.chance(0.8),
                HierStyle::LabelledSubtotal => rng.chance(0.2),
                _ => rng.chance(0.5),
            };
            (ps, children, first)
        }
        HierStyle::CodePrefix => {
            let icd = rng.chance(0.6);
            let roots: [&str; 4] = if icd {
                ["C50", "E11", "I21", "J45"]
            } else {
                ["01", "02", "10", "20"]
            };
            let children = sizes
                .iter()
                .enumerate()
                .map(|(g, &k)| {
                    (1..=k)
                        .map(|i| {
                            if icd {
                                format!("{}.{i}", roots[g])
                            } else {
                                format!("{}{i}", roots[g])
                            }
                        })
                        .collect()
                })
                .collect();
            let ps = roots[..sizes.len()].iter().map(|s| s.to_string()).collect();
            (ps, children, rng.chance(0.8))
        }
        HierStyle::Interval => {
            let mut ps = Vec::new();
            let mut children = Vec::new();
            for (g, &k) in sizes.iter().enumerate() {
                let (a, b) = (20 * g as i64, 20 * g as i64 + 19);
                ps.push(format!("{a}-{b}"));
                // Cut 20 years into k bands of at least 2 years.
                let mut cuts: Vec<i64> = Vec::new();
                while cuts.len() < k - 1 {
                    let c = rng.range(a + 2, b - 1);
                    if cuts.iter().all(|&x| (x - c).abs() >= 2) && b + 1 - c >= 2 {
                        cuts.push(c);
                    }
                }
                cuts.sort_unstable();
                let mut lo = a;
                let mut kids = Vec::new();
                for c in cuts.into_iter().chain([b + 1]) {
                    kids.push(format!("{lo}-{}", c - 1));
                    lo = c;
                }
                children.push(kids);
            }
            (ps, children, rng.chance(0.7))
        }
    };
    HierLabels {
        style,
        parent_first,
        parents,
        children,
    }
}

fn long_labels(rng: &mut Rng, cats: &[usize], lang: Lang, total: &str) -> LongLabels {
    let l = lang.idx();
    let sexes: [[&str; 2]; 7] = [
        ["Mænd", "Kvinder"],
        ["Male", "Female"],
        ["Miehet", "Naiset"],
        ["Män", "Kvinnor"],
        ["Männer", "Frauen"],
        ["Mannen", "Vrouwen"],
        ["Hommes", "Femmes"],
    ];
    let sex_names = [
        "Køn",
        "Sex",
        "Sukupuoli",
        "Kön",
        "Geschlecht",
        "Geslacht",
        "Sexe",
    ];
    let mut kinds = vec![
        LabelKind::AgeBands,
        LabelKind::Regions,
        LabelKind::Years,
        LabelKind::Words,
    ];
    rng.shuffle(&mut kinds);
    let mut dim_names = Vec::new();
    let mut labs = Vec::new();
    let mut totals = Vec::new();
    for (d, &k) in cats.iter().enumerate() {
        if d == 0 && k == 2 {
            dim_names.push(sex_names[l].to_string());
            labs.push(sexes[l].iter().map(|s| s.to_string()).collect());
            totals.push(total.to_string());
            continue;
        }
        let kind = kinds
            .pop()
            .expect("four kinds for at most three dimensions");
        dim_names.push(stub_header(rng, kind, lang));
        if dim_names[d].is_empty() {
            dim_names[d] = format!("Var{}", d + 1);
        }
        labs.push(labels(rng, kind, lang, k));
        totals.push(total.to_string());
    }
    LongLabels {
        dim_names,
        cats: labs,
        totals,
    }
}

fn draw_style(rng: &mut Rng, kind: Kind, profile: Profile, truth: &Truth, mix: &Mix) -> Style {
    use Lang::*;
    let lang = match profile {
        Profile::Dk => rng.weighted(&[(Da, 8), (En, 2)]),
        Profile::Fi => rng.weighted(&[(Fi, 6), (Sv, 2), (En, 2)]),
        Profile::Be => rng.weighted(&[(Nl, 4), (Fr, 4), (En, 2)]),
        Profile::Uk => En,
        Profile::Default => rng.weighted(&[
            (Da, 2),
            (En, 3),
            (Fi, 1),
            (Sv, 1),
            (De, 2),
            (Nl, 1),
            (Fr, 1),
        ]),
    };
    let sep = rng.weighted(&mix.seps);
    let decimal_comma = match sep {
        Sep::Semicolon => true,
        Sep::Tab => lang != En && rng.chance(0.5),
        Sep::Comma => false,
    };
    let thousands = if rng.chance(mix.p_thousands) {
        match sep {
            Sep::Comma => Thousands::None,
            Sep::Semicolon => rng.weighted(&[(Thousands::Dot, 70), (Thousands::Space, 30)]),
            Sep::Tab if decimal_comma => {
                rng.weighted(&[(Thousands::Dot, 40), (Thousands::Space, 60)])
            }
            Sep::Tab => rng.weighted(&[(Thousands::Space, 50), (Thousands::Comma, 50)]),
        }
    } else {
        Thousands::None
    };
    let total_label = rng.pick(TOTALS[lang.idx()]).to_string();
    let t = truth.t;
    let title = rng.chance(mix.p_title).then(|| {
        let n = rng.range(1, 9);
        match lang {
            Da => format!("Tabel {n}. Antal personer"),
            En => format!("Table {n}: Number of patients"),
            Fi => format!("Taulukko {n}. Henkilöiden lukumäärä"),
            Sv => format!("Tabell {n}. Antal personer"),
            De => format!("Tabelle {n}. Anzahl Personen"),
            Nl => format!("Tabel {n}. Aantal personen"),
            Fr => format!("Tableau {n}. Nombre de personnes"),
        }
    });
    let note = rng.chance(mix.p_note).then(|| match lang {
        Da => format!("Kilde: registerdata. Celler under {t} er diskretioneret."),
        Fi => format!("Lähde: rekisteriaineisto. Alle {t} solut on salattu."),
        _ => format!("Source: register data. Cells below {t} are suppressed."),
    });
    let count_header = count_header(rng, lang);
    let (mut col_kind, mut row_kind) = (rng.weighted(&mix.col_kinds), LabelKind::Regions);
    let (mut col_labels, mut row_labels) = (Vec::new(), Vec::new());
    let mut hier = None;
    let mut long = None;
    let mut stub = String::new();
    let mut share = None;
    match &truth.shape {
        Shape::Wide { rows, cols, .. } => {
            row_kind = rng.weighted(&mix.row_kinds);
            while row_kind == col_kind {
                row_kind = rng.weighted(&mix.row_kinds);
                if mix.row_kinds.len() == 1 && mix.col_kinds.len() == 1 {
                    break;
                }
                if mix.row_kinds.len() == 1 {
                    col_kind = rng.weighted(&mix.col_kinds);
                }
            }
            col_labels = labels(rng, col_kind, lang, *cols);
            row_labels = labels(rng, row_kind, lang, *rows);
            if row_labels == col_labels {
                row_labels = labels(rng, LabelKind::Regions, lang, *rows);
            }
            stub = stub_header(rng, row_kind, lang);
            share = rng.chance(mix.p_share).then(|| share_header(lang));
        }
        Shape::Hier {
            cols, total_col, ..
        } => {
            let style = rng.weighted(&mix.hier_styles);
            let mut h = hier_labels(rng, truth, lang, style);
            if let Some(first) = mix.parent_first {
                h.parent_first = first;
            }
            stub = match style {
                HierStyle::CodePrefix => stub_header(rng, LabelKind::Codes, lang),
                HierStyle::Interval => stub_header(rng, LabelKind::AgeBands, lang),
                _ => stub_header(rng, LabelKind::Regions, lang),
            };
            row_kind = match style {
                HierStyle::CodePrefix => LabelKind::Codes,
                HierStyle::Interval => LabelKind::AgeBands,
                _ => LabelKind::Regions,
            };
            if *cols == 1 {
                col_labels = vec![count_header.clone()];
                col_kind = LabelKind::Words;
            } else {
                while matches!(col_kind, LabelKind::AgeBands | LabelKind::Regions)
                    && row_kind == col_kind
                {
                    col_kind = rng.weighted(&mix.col_kinds);
                }
                col_labels = labels(rng, col_kind, lang, *cols);
            }
            if *total_col {
                share = rng.chance(mix.p_share).then(|| share_header(lang));
            }
            hier = Some(h);
        }
        Shape::Long { cats } => {
            long = Some(long_labels(rng, cats, lang, &total_label));
            col_kind = LabelKind::Words;
        }
    }
    let _ = kind;
    let bounded = rng.chance(mix.p_bounded_marker);
    let primary_marker = if bounded {
        rng.pick(profile.bounded_markers()).to_string()
    } else {
        rng.pick(profile.bare_markers()).to_string()
    };
    let secondary_marker = if bounded || rng.chance(0.2) {
        rng.pick(profile.bare_markers()).to_string()
    } else {
        primary_marker.clone()
    };
    Style {
        lang,
        sep,
        thousands,
        decimal_comma,
        crlf: rng.chance(0.2),
        bom: rng.chance(0.1),
        title,
        note,
        stub_header: stub,
        col_kind,
        col_labels,
        row_kind,
        row_labels,
        hier,
        long,
        total_label,
        total_row_first: rng.chance(mix.p_total_first),
        total_col_first: rng.chance(mix.p_total_first),
        share,
        count_header,
        primary_marker,
        secondary_marker,
        primary_bounded: bounded,
    }
}

fn share_header(lang: Lang) -> String {
    match lang {
        Lang::Da => "Andel (%)",
        Lang::Fi => "Osuus (%)",
        Lang::Sv => "Andel (%)",
        Lang::De => "Anteil (%)",
        Lang::Nl => "Aandeel (%)",
        Lang::Fr => "Part (%)",
        Lang::En => "Share (%)",
    }
    .to_string()
}

/// Relabelling helpers for counterfactual renderings.
impl Style {
    /// The column labels as `Gruppe A`, `Gruppe B` … in the table's language.
    pub fn group_word_columns(&mut self) {
        if self.col_kind == LabelKind::GroupWords || self.col_labels.len() < 2 {
            return;
        }
        let n = self.col_labels.len();
        self.col_labels = (0..n as u8)
            .map(|i| format!("{} {}", GROUP_WORD[self.lang.idx()], char::from(b'A' + i)))
            .collect();
        self.col_kind = LabelKind::GroupWords;
    }

    /// The row labels of a wide table as region names.
    pub fn region_rows(&mut self) {
        if self.row_labels.is_empty() || self.row_kind == LabelKind::Regions {
            return;
        }
        let n = self.row_labels.len();
        self.row_labels = REGIONS[self.lang.idx()][..n]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if self.row_labels == self.col_labels {
            self.row_labels = REGIONS[Lang::Da.idx()][..n]
                .iter()
                .map(|s| s.to_string())
                .collect();
        }
        self.row_kind = LabelKind::Regions;
    }
}
