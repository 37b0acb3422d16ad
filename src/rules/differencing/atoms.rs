//! Differencing through the audit engine (spec §3.9.2–3.9.3): aligned tables become one system
//! of atoms, the common refinement of their categories, and the audit finds every atom or
//! suppressed cell that the tables recover only together.
//!
//! - **Alignment.** Per measure (a count column, by its header without population words), two
//!   tables align when their row variables do (the same stub header, category-set overlap with
//!   Jaccard ≥ 0.6, or interval categories under an empty stub) and their populations are
//!   consistent with nesting: all persons and a sub-group (every sub-group cell at most its
//!   all-persons cell), or the same population (no shared category with different counts, and
//!   some shared categories or the whole extent with equal counts). A `contains` link forces
//!   the alignment of its two tables.
//! - **Atoms.** A block of aligned tables has one non-negative integer unknown per (population
//!   atom × row atom): the sub-groups named plus the rest of the population; elementary intervals
//!   of every band, nominal labels, and a rest category when some total covers categories that
//!   its table does not list.
//! - **Equations.** Each published cell is `Σ atoms = value`; a suppressed cell (`x`, `<5`) or a
//!   rounded one is an unknown with its box equal to its atoms. An `equal_population` link equates
//!   the atoms of its two cells, joining their blocks into one system.
//! - **Findings.** An atom or suppressed cell recovered exactly (B1) or narrowed to a few values
//!   (B3) below the threshold, where the derivation uses two or more tables.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::audit::{
    audit, rounding_box, AuditConfig, Int, Origin, RoundingScheme, Severity as ASeverity, System,
    Unknown, VarId, VerdictCode,
};
use crate::config::Link;
use crate::finding::{basis, Finding, Severity};
use crate::model::{Cell, Location};
use crate::redact::safe_label;
use crate::rules::Context;
use crate::table::structure::{self, CellPos, Shown, Total};

use super::{interval, row_label, show_interval, FileTables, Out, Population, Prepared, ID};

/// A row category of one table.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Cat {
    /// A total (`Total`, `I alt`, `N`): every row atom.
    All,
    /// An integer interval, inclusive; an open top is `i64::MAX`.
    Band(i64, i64),
    /// A nominal label (its key).
    Label(String),
}

fn category(p: &Prepared<'_>, row_key: &str, cx: &Context<'_>) -> Cat {
    if row_key == "n" || cx.lexicon.is_total(row_key) {
        Cat::All
    } else if let Some((lo, hi)) = interval(row_label(p, row_key)) {
        Cat::Band(lo, hi)
    } else {
        Cat::Label(row_key.to_string())
    }
}

/// An atom of the row variable.
#[derive(Clone, Debug, PartialEq, Eq)]
enum RowAtom {
    Band(i64, i64),
    Label(String),
    /// Categories a total covers that no table lists.
    Rest,
}

/// An atom of the population.
#[derive(Clone, Debug, PartialEq, Eq)]
enum PopAtom {
    /// Every table of the block describes the same population.
    Only,
    Group(String),
    /// Everyone not in a named group.
    Rest,
}

/// The population of a table for alignment: detected, or set by a `contains` link.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Pop {
    All,
    Group(String),
}

/// A `contains` link resolved to prepared tables: (outer, inner, link index).
pub(super) type Contains = (usize, usize, usize);

/// An `equal_population` link resolved to (prepared table, row key, column key) twice.
pub(super) type CellId = (usize, String, String);
pub(super) type Equal = (CellId, CellId, usize);

/// What one unknown of a merged system stands for.
#[derive(Clone, Debug)]
enum Meaning {
    Atom {
        block: usize,
        pop: usize,
        row: usize,
    },
    /// A suppressed or rounded published cell, and its atoms.
    Form {
        table: usize,
        row_key: String,
        atoms: Vec<usize>,
    },
    /// A suppressed cell outside every block that a table's own relations (a total column, a
    /// sub-total) bring into the system: prepared table and position.
    Loose { table: usize, pos: CellPos },
    /// An implied residual of a table's own relation: never reported here.
    Residual,
}

struct Block {
    measure: String,
    nodes: Vec<usize>,
    pops: Vec<PopAtom>,
    rows: Vec<RowAtom>,
    /// Description of the rest of the population when a `contains` link made it.
    rest_text: Option<String>,
}

/// A published cell behind a relation, for placing findings.
#[derive(Clone, Debug)]
struct RelCell<'a> {
    table: usize,
    block: usize,
    row_key: String,
    cell: &'a Cell,
}

/// Union-find.
struct Sets(Vec<usize>);

impl Sets {
    fn new(n: usize) -> Self {
        Sets((0..n).collect())
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

fn pop_of(p: &Prepared<'_>) -> Pop {
    match &p.population {
        Population::All => Pop::All,
        Population::Group(g) => Pop::Group(g.clone()),
    }
}

/// The count a cell shows, with its box if hidden.
fn shown(cell: &Cell) -> Option<Shown> {
    match structure::shown(&cell.value) {
        Some(Shown::Exact(v)) if v >= 0 => Some(Shown::Exact(v)),
        Some(Shown::Hidden { lo, hi }) => Some(Shown::Hidden { lo, hi }),
        _ => None,
    }
}

/// Published count of a (table, row key, measure), if any.
fn value(p: &Prepared<'_>, row_key: &str, measure: &str) -> Option<Int> {
    let (_, cell) = p.cells.get(&(row_key.to_string(), measure.to_string()))?;
    match shown(cell)? {
        Shown::Exact(v) => Some(v),
        _ => None,
    }
}

/// The rounding of a table's counts: declared in its title, notes or headers, or shown by every
/// non-zero count (at least six) being a multiple of 10 or 5, or of the form 6k+3 (midpoint 6).
pub(super) fn rounding(p: &Prepared<'_>) -> Option<RoundingScheme> {
    if let Some(scheme) = crate::table::structure::declared_rounding(p.table) {
        return Some(scheme);
    }
    let values: Vec<Int> = p
        .cells
        .values()
        .filter_map(|(_, c)| match shown(c) {
            Some(Shown::Exact(v)) if v != 0 => Some(v),
            _ => None,
        })
        .collect();
    if values.len() < 6 {
        return None;
    }
    for base in [10, 5] {
        if values.iter().all(|v| v % base == 0) {
            return Some(RoundingScheme::Conventional { base });
        }
    }
    if values.iter().all(|v| v % 6 == 3) {
        return Some(RoundingScheme::Midpoint { r: 6 });
    }
    None
}

/// Non-total row keys of a table that hold a cell of the measure.
fn body_keys<'p>(p: &'p Prepared<'_>, measure: &str, cats: &HashMap<&str, Cat>) -> Vec<&'p str> {
    p.row_keys
        .iter()
        .filter(|k| p.cells.contains_key(&((*k).clone(), measure.to_string())))
        .filter(|k| !matches!(cats.get(k.as_str()), Some(Cat::All) | None))
        .map(String::as_str)
        .collect()
}

/// Whether the row variables of two tables are the same variable.
fn rows_align(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    ka: &[&str],
    kb: &[&str],
    ca: &Cats,
    cb: &Cats,
) -> bool {
    if !a.stub.is_empty() && a.stub == b.stub {
        return true;
    }
    // The same categories, compared as parsed (`0–39 år` is `0-39`), Jaccard ≥ 0.6.
    let sa: BTreeSet<&Cat> = ka.iter().filter_map(|k| ca.get(k)).collect();
    let sb: BTreeSet<&Cat> = kb.iter().filter_map(|k| cb.get(k)).collect();
    let inter = sa.intersection(&sb).count();
    let union = sa.union(&sb).count();
    if union > 0 && inter * 5 >= union * 3 {
        return true;
    }
    let banded = |k: &[&str], c: &Cats| {
        k.len() >= 2 && k.iter().all(|x| matches!(c.get(x), Some(Cat::Band(..))))
    };
    if !(banded(ka, ca) && banded(kb, cb)) {
        return false;
    }
    // Two bandings of one extent (`0-15, 16-64, 65+` and `0-17, 18-64, 65+`) under different
    // stub words (`Alder`, `Age group`) are one variable too.
    let extent = |k: &[&str], c: &Cats| {
        k.iter()
            .filter_map(|x| match c.get(x) {
                Some(Cat::Band(l, h)) => Some((*l, *h)),
                _ => None,
            })
            .fold((i64::MAX, i64::MIN), |(l, h), (x, y)| (l.min(x), h.max(y)))
    };
    a.stub.is_empty() || b.stub.is_empty() || extent(ka, ca) == extent(kb, cb)
}

type Cats<'p> = HashMap<&'p str, Cat>;

/// The whole-extent count of a table for a measure: its total row, or the sum of its body
/// when every body cell is published.
fn extent_total(p: &Prepared<'_>, measure: &str, keys: &[&str], cats: &Cats) -> Option<Int> {
    for (k, c) in cats {
        if *c == Cat::All {
            if let Some(v) = value(p, k, measure) {
                return Some(v);
            }
        }
    }
    let mut sum: Int = 0;
    for k in keys {
        sum = sum.checked_add(value(p, k, measure)?)?;
    }
    Some(sum)
}

/// Whether two tables of the same population and row variable are the same population: no
/// shared category with different counts, and two shared categories or the whole extent equal.
fn same_population(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    measure: &str,
    (ka, kb): (&[&str], &[&str]),
    (ca, cb): (&Cats, &Cats),
) -> bool {
    let mut equal = 0;
    for k in ka {
        if let (Some(x), Some(y)) = (value(a, k, measure), value(b, k, measure)) {
            if x != y {
                return false;
            }
            equal += 1;
        }
    }
    if equal >= 2 {
        return true;
    }
    let extent = |k: &[&str], c: &Cats| -> Option<(i64, i64)> {
        let mut lo = i64::MAX;
        let mut hi = i64::MIN;
        for x in k {
            match c.get(x) {
                Some(Cat::Band(l, h)) => {
                    lo = lo.min(*l);
                    hi = hi.max(*h);
                }
                _ => return None,
            }
        }
        Some((lo, hi))
    };
    let same_extent = match (extent(ka, ca), extent(kb, cb)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    };
    same_extent
        && matches!(
            (extent_total(a, measure, ka, ca), extent_total(b, measure, kb, cb)),
            (Some(x), Some(y)) if x == y
        )
}

/// Whether `sub` is plausibly a sub-population of `all`: at least two of `sub`'s categories,
/// and half of them, have the same category (or a band inside a band) in `all`; every such pair
/// with both counts published has `sub ≤ all`, at least one such pair exists, and not all of
/// them are equal.
fn nested(
    all: &Prepared<'_>,
    sub: &Prepared<'_>,
    measure: &str,
    (ka, ks): (&[&str], &[&str]),
    (ca, cs): (&Cats, &Cats),
) -> bool {
    fn totals<'k>(c: &Cats<'k>) -> Vec<&'k str> {
        let mut v: Vec<&str> = c
            .iter()
            .filter(|(_, x)| **x == Cat::All)
            .map(|(k, _)| *k)
            .collect();
        v.sort_unstable();
        v
    }
    let (ta, ts) = (totals(ca), totals(cs));
    let mut matched = 0;
    let mut pairs = 0;
    let mut differ = false;
    let mut categories = 0;
    for s in ks.iter().copied().chain(ts.iter().copied()) {
        if !sub
            .cells
            .contains_key(&(s.to_string(), measure.to_string()))
        {
            continue;
        }
        categories += 1;
        let cat_s = cs.get(s);
        let partner = ka.iter().copied().chain(ta.iter().copied()).find(|&a| {
            let cat_a = ca.get(a);
            all.cells.contains_key(&(a.to_string(), measure.to_string()))
                && (a == s
                    || matches!((cat_s, cat_a), (Some(Cat::All), Some(Cat::All)))
                    || matches!((cat_s, cat_a), (Some(Cat::Band(l1, h1)), Some(Cat::Band(l2, h2))) if l2 <= l1 && h1 <= h2))
        });
        let Some(a) = partner else { continue };
        matched += 1;
        if let (Some(vs), Some(va)) = (value(sub, s, measure), value(all, a, measure)) {
            if vs > va {
                return false;
            }
            differ |= vs != va;
            pairs += 1;
        }
    }
    matched >= 2 && 2 * matched >= categories && pairs >= 1 && differ
}

/// What the merged audit did: the (table, table, measure) triples it covered completely, so
/// that the pairwise checks leave them alone.
#[derive(Default)]
pub(super) struct Covered(pub HashSet<(usize, usize, String)>);

impl Covered {
    pub(super) fn has(&self, a: usize, b: usize, measure: &str) -> bool {
        self.0.contains(&(a.min(b), a.max(b), measure.to_string()))
    }
}

/// Per prepared table: its categories by row key.
fn all_cats<'p>(prepared: &'p [Prepared<'_>], cx: &Context<'_>) -> Vec<Cats<'p>> {
    prepared
        .iter()
        .map(|p| {
            p.row_keys
                .iter()
                .map(|k| (k.as_str(), category(p, k, cx)))
                .collect()
        })
        .collect()
}

/// Runs the merged audit over all aligned tables; findings go to `out`.
pub(super) fn run(
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    links: &[Link],
    (contains, equal): (&[Contains], &[Equal]),
    cx: &Context<'_>,
    out: &mut Out<'_>,
) -> Covered {
    let mut covered = Covered::default();
    let cats = all_cats(prepared, cx);
    let mut pops: Vec<Pop> = prepared.iter().map(pop_of).collect();
    let mut rest_text: HashMap<usize, String> = HashMap::new();
    for &(outer, inner, li) in contains {
        pops[outer] = Pop::All;
        pops[inner] = Pop::Group(format!("link {li}"));
        let dim = links[li].dimension.as_deref().unwrap_or("population");
        rest_text.insert(
            inner,
            format!(
                "the part of the {} of '{}' outside that of '{}'",
                safe_label(dim),
                files[prepared[outer].file].path,
                files[prepared[inner].file].path
            ),
        );
    }
    // Measures and their tables.
    let mut measures: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in prepared.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for k in &p.col_keys {
            if seen.insert(k.as_str()) {
                measures.entry(k.as_str()).or_default().push(i);
            }
        }
    }
    // Nodes are (table, measure); blocks are sets of aligned nodes.
    let mut node_index: HashMap<(usize, &str), usize> = HashMap::new();
    let mut nodes: Vec<(usize, &str)> = Vec::new();
    for (m, tables) in &measures {
        for &t in tables {
            node_index.insert((t, m), nodes.len());
            nodes.push((t, m));
        }
    }
    let keys: Vec<Vec<&str>> = nodes
        .iter()
        .map(|&(t, m)| body_keys(&prepared[t], m, &cats[t]))
        .collect();
    let mut sets = Sets::new(nodes.len());
    let forced: HashSet<(usize, usize)> = contains
        .iter()
        .map(|&(o, i, _)| (o.min(i), o.max(i)))
        .collect();
    for (m, tables) in &measures {
        if tables.len() < 2 {
            continue;
        }
        // Candidate pairs: all persons × sub-groups, and pairs of the same population sharing
        // a published (category, count) or a whole-extent count.
        let mut cand: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut buckets: HashMap<(String, String, Int), Vec<usize>> = HashMap::new();
        let mut alls = Vec::new();
        let mut groups = Vec::new();
        for &t in tables {
            let n = node_index[&(t, *m)];
            let pk = match &pops[t] {
                Pop::All => {
                    alls.push(t);
                    String::new()
                }
                Pop::Group(g) => {
                    groups.push(t);
                    g.clone()
                }
            };
            for k in &keys[n] {
                if let Some(v) = value(&prepared[t], k, m) {
                    buckets
                        .entry((pk.clone(), (*k).to_string(), v))
                        .or_default()
                        .push(t);
                }
            }
            if let Some(v) = extent_total(&prepared[t], m, &keys[n], &cats[t]) {
                buckets
                    .entry((pk.clone(), "\u{0}extent".into(), v))
                    .or_default()
                    .push(t);
            }
        }
        for members in buckets.values() {
            if members.len() > 64 {
                continue;
            }
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    cand.insert((a.min(b), a.max(b)));
                }
            }
        }
        if alls.len().saturating_mul(groups.len()) <= 250_000 {
            for &a in &alls {
                for &g in &groups {
                    cand.insert((a.min(g), a.max(g)));
                }
            }
        }
        for &(o, i) in &forced {
            if tables.contains(&o) && tables.contains(&i) {
                cand.insert((o, i));
            }
        }
        for (a, b) in cand {
            let (na, nb) = (node_index[&(a, *m)], node_index[&(b, *m)]);
            if forced.contains(&(a, b)) {
                sets.union(na, nb);
                continue;
            }
            let (pa, pb) = (&prepared[a], &prepared[b]);
            let (ka, kb) = (&keys[na][..], &keys[nb][..]);
            if !rows_align(pa, pb, ka, kb, &cats[a], &cats[b]) {
                continue;
            }
            let ok = match (&pops[a], &pops[b]) {
                (Pop::All, Pop::Group(_)) => nested(pa, pb, m, (ka, kb), (&cats[a], &cats[b])),
                (Pop::Group(_), Pop::All) => nested(pb, pa, m, (kb, ka), (&cats[b], &cats[a])),
                (x, y) if x == y => same_population(pa, pb, m, (ka, kb), (&cats[a], &cats[b])),
                _ => false,
            };
            if ok {
                sets.union(na, nb);
            }
        }
    }
    let mut block_of_root: BTreeMap<usize, usize> = BTreeMap::new();
    let mut blocks: Vec<Block> = Vec::new();
    for (n, &(table, measure)) in nodes.iter().enumerate() {
        let r = sets.find(n);
        let b = *block_of_root.entry(r).or_insert_with(|| {
            blocks.push(Block {
                measure: measure.to_string(),
                nodes: Vec::new(),
                pops: Vec::new(),
                rows: Vec::new(),
                rest_text: None,
            });
            blocks.len() - 1
        });
        blocks[b].nodes.push(table);
    }
    let block_of_node: Vec<usize> = (0..nodes.len())
        .map(|n| {
            let r = sets.find(n);
            block_of_root[&r]
        })
        .collect();
    // Systems: blocks joined by equal_population links.
    let mut sys_sets = Sets::new(blocks.len());
    let mut equal_ok: Vec<&Equal> = Vec::new();
    for e in equal {
        let (Some(&na), Some(&nb)) = (
            node_index.get(&(e.0 .0, e.0 .2.as_str())),
            node_index.get(&(e.1 .0, e.1 .2.as_str())),
        ) else {
            continue;
        };
        sys_sets.union(block_of_node[na], block_of_node[nb]);
        equal_ok.push(e);
    }
    let mut systems: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for b in 0..blocks.len() {
        systems.entry(sys_sets.find(b)).or_default().push(b);
    }
    let max_atoms = u64::from(cx.rules.differencing.max_atoms.max(1));
    for members in systems.values() {
        let tables: BTreeSet<usize> = members
            .iter()
            .flat_map(|&b| blocks[b].nodes.iter().copied())
            .collect();
        // Two tables at least: the parts of one table split by population are one.
        let distinct: BTreeSet<(usize, u32)> = tables
            .iter()
            .map(|&t| (prepared[t].file, prepared[t].table.index))
            .collect();
        if distinct.len() < 2 {
            continue;
        }
        // Atoms of each block.
        let mut atoms: u64 = 0;
        for &b in members {
            let (p, r) = block_atoms(&blocks[b], prepared, &cats, &pops);
            atoms = atoms.saturating_add((p.len() as u64).saturating_mul(r.len() as u64));
            blocks[b].pops = p;
            blocks[b].rows = r;
            blocks[b].rest_text = blocks[b]
                .nodes
                .iter()
                .find_map(|t| rest_text.get(t).cloned());
        }
        if atoms > max_atoms {
            for &t in &tables {
                let f = prepared[t].file;
                let path = files[f].path.clone();
                let msg = format!(
                    "the differencing audit of this file's tables with the tables aligned to them was partial: their merged system has more than {max_atoms} atoms, so only pairwise differences were checked"
                );
                out.push(
                    f,
                    format!("partial|{f}"),
                    Finding::new(
                        ID,
                        Severity::Info,
                        msg,
                        Location::default(),
                        basis(&[path.as_bytes(), b"differencing partial"]),
                    ),
                );
            }
            continue;
        }
        let complete = audit_system(
            members,
            &blocks,
            prepared,
            files,
            links,
            &equal_ok,
            &pops,
            &block_of_node,
            &node_index,
            cx,
            out,
        );
        if complete {
            for &b in members {
                let m = &blocks[b].measure;
                for (i, &x) in blocks[b].nodes.iter().enumerate() {
                    for &y in &blocks[b].nodes[i + 1..] {
                        covered.0.insert((x.min(y), x.max(y), m.clone()));
                    }
                }
            }
        }
    }
    covered
}

/// The population and row atoms of a block.
fn block_atoms(
    block: &Block,
    prepared: &[Prepared<'_>],
    cats: &[Cats<'_>],
    pops: &[Pop],
) -> (Vec<PopAtom>, Vec<RowAtom>) {
    let first = &pops[block.nodes[0]];
    let pop_atoms = if block.nodes.iter().all(|&t| &pops[t] == first) {
        vec![PopAtom::Only]
    } else {
        let mut g: BTreeSet<&str> = BTreeSet::new();
        for &t in &block.nodes {
            if let Pop::Group(name) = &pops[t] {
                g.insert(name);
            }
        }
        let mut v: Vec<PopAtom> = g
            .into_iter()
            .map(|n| PopAtom::Group(n.to_string()))
            .collect();
        v.push(PopAtom::Rest);
        v
    };
    // Row atoms: elementary intervals, labels, and a rest if a total covers unlisted ones.
    let m = block.measure.as_str();
    let mut bounds: BTreeSet<i128> = BTreeSet::new();
    let mut bands: BTreeSet<(i64, i64)> = BTreeSet::new();
    let mut labels: BTreeSet<String> = BTreeSet::new();
    for &t in &block.nodes {
        for k in &prepared[t].row_keys {
            if !prepared[t].cells.contains_key(&(k.clone(), m.to_string())) {
                continue;
            }
            match cats[t].get(k.as_str()) {
                Some(Cat::Band(lo, hi)) => {
                    bands.insert((*lo, *hi));
                    bounds.insert(i128::from(*lo));
                    bounds.insert(i128::from(*hi) + 1);
                }
                Some(Cat::Label(l)) => {
                    labels.insert(l.clone());
                }
                _ => {}
            }
        }
    }
    let mut rows: Vec<RowAtom> = Vec::new();
    let b: Vec<i128> = bounds.into_iter().collect();
    for w in b.windows(2) {
        let (lo, hi) = (w[0] as i64, (w[1] - 1).min(i128::from(i64::MAX)) as i64);
        if bands.iter().any(|&(l, h)| l <= lo && hi <= h) {
            rows.push(RowAtom::Band(lo, hi));
        }
    }
    rows.extend(labels.into_iter().map(RowAtom::Label));
    let listed = rows.len();
    let needs_rest = block.nodes.iter().any(|&t| {
        let p = &prepared[t];
        let has_total = p.row_keys.iter().any(|k| {
            cats[t].get(k.as_str()) == Some(&Cat::All)
                && p.cells.contains_key(&(k.clone(), m.to_string()))
        });
        if !has_total {
            return false;
        }
        let mut cover = vec![false; listed];
        for k in &p.row_keys {
            if !p.cells.contains_key(&(k.clone(), m.to_string())) {
                continue;
            }
            if let Some(c) = cats[t].get(k.as_str()) {
                for i in row_set(c, &rows[..listed]) {
                    cover[i] = true;
                }
            }
        }
        cover.iter().any(|c| !c)
    });
    if needs_rest || rows.is_empty() {
        rows.push(RowAtom::Rest);
    }
    (pop_atoms, rows)
}

/// The row atoms of a category.
fn row_set(c: &Cat, rows: &[RowAtom]) -> Vec<usize> {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| match (c, r) {
            (Cat::All, _) => true,
            (Cat::Band(l, h), RowAtom::Band(a, b)) => l <= a && b <= h,
            (Cat::Label(x), RowAtom::Label(y)) => x == y,
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

/// The population atoms of a table's population within a block.
fn pop_set(pop: &Pop, atoms: &[PopAtom]) -> Vec<usize> {
    atoms
        .iter()
        .enumerate()
        .filter(|(_, a)| match (pop, a) {
            (_, PopAtom::Only) | (Pop::All, _) => true,
            (Pop::Group(g), PopAtom::Group(h)) => g == h,
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

fn source(files: &[FileTables], p: &Prepared<'_>) -> String {
    format!("{}#{}", files[p.file].path, p.table.index)
}

/// Builds, audits and reports one system; `true` if the audit covered it completely
/// (consistent, every table's cells in it).
#[allow(clippy::too_many_arguments)]
fn audit_system(
    members: &[usize],
    blocks: &[Block],
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    links: &[Link],
    equal: &[&Equal],
    pops: &[Pop],
    block_of_node: &[usize],
    node_index: &HashMap<(usize, &str), usize>,
    cx: &Context<'_>,
    out: &mut Out<'_>,
) -> bool {
    let t = Int::from(cx.rules.thresholds.min_count);
    let mut sys = System::new();
    let mut meaning: Vec<Meaning> = Vec::new();
    let mut rel_cell: Vec<Option<RelCell<'_>>> = Vec::new();
    // First atom of each block.
    let mut base: HashMap<usize, usize> = HashMap::new();
    for &b in members {
        let blk = &blocks[b];
        base.insert(b, sys.unknowns().len());
        for pi in 0..blk.pops.len() {
            for ri in 0..blk.rows.len() {
                sys.add_unknown(Unknown::of(
                    &format!("atom {pi}.{ri} of block {b}"),
                    Origin::Atom,
                ));
                meaning.push(Meaning::Atom {
                    block: b,
                    pop: pi,
                    row: ri,
                });
            }
        }
    }
    let atoms_of = |b: usize, pop: &Pop, cat: &Cat| -> Vec<(VarId, Int)> {
        let blk = &blocks[b];
        let start = base[&b];
        let rows = row_set(cat, &blk.rows);
        let mut v = Vec::new();
        for pi in pop_set(pop, &blk.pops) {
            for &ri in &rows {
                v.push((VarId(start + pi * blk.rows.len() + ri), 1));
            }
        }
        v
    };
    let mut ok = true;
    // The atoms of every cell in a block: (file, table number, row, column) → terms.
    let mut cell_terms: CellTerms = HashMap::new();
    for &b in members {
        let blk = &blocks[b];
        for &ti in &blk.nodes {
            let p = &prepared[ti];
            let scheme = rounding(p);
            let src = source(files, p);
            let pop = node_pop(blk, ti, pops);
            for rk in &p.row_keys {
                let Some((_, cell)) = p.cells.get(&(rk.clone(), blk.measure.clone())) else {
                    continue;
                };
                let Some(sh) = shown(cell) else { continue };
                let cat = category(p, rk, cx);
                let mut terms = atoms_of(b, &pop, &cat);
                if terms.is_empty() {
                    continue;
                }
                cell_terms
                    .entry((p.file, p.table.index, cell.row, cell.col))
                    .or_insert_with(|| terms.clone());
                let label = format!(
                    "'{}' row '{}'",
                    files[p.file].path,
                    safe_label(row_label(p, rk))
                        .chars()
                        .take(40)
                        .collect::<String>()
                );
                let name = p.table.locate(cell).cell.unwrap_or_default();
                let (form, rhs) = match sh {
                    Shown::Exact(v) => match scheme.and_then(|s| rounding_box(s, v)) {
                        Some((lo, hi)) => (Some(Unknown::rounded(&name, lo, hi)), 0),
                        None => (None, v),
                    },
                    Shown::Hidden { lo, hi } => {
                        let u = Unknown::suppressed(&name).with_box(lo, hi);
                        (
                            Some(if hi.is_some_and(|h| h < t) {
                                u.primary()
                            } else {
                                u
                            }),
                            0,
                        )
                    }
                    Shown::Empty => continue,
                };
                if let Some(u) = form {
                    let atoms = terms.iter().map(|(v, _)| v.0).collect();
                    let v = sys.add_unknown(u);
                    meaning.push(Meaning::Form {
                        table: ti,
                        row_key: rk.clone(),
                        atoms,
                    });
                    terms.push((v, -1));
                }
                match sys.add_eq(terms, rhs, &label) {
                    Ok(r) => {
                        sys.set_source(r, &src);
                        rel_cell.push(Some(RelCell {
                            table: ti,
                            block: b,
                            row_key: rk.clone(),
                            cell,
                        }));
                    }
                    Err(_) => ok = false,
                }
            }
        }
    }
    // Each table's own relations (a total column, sub-total rows), over the atoms of its cells.
    let mut own_table: HashMap<usize, usize> = HashMap::new();
    let mut seen_tables: BTreeSet<(usize, u32)> = BTreeSet::new();
    for &b in members {
        for &ti in &blocks[b].nodes {
            let p = &prepared[ti];
            if !seen_tables.insert((p.file, p.table.index)) {
                continue;
            }
            let before = sys.relations().len();
            add_own_relations(ti, prepared, files, &cell_terms, &mut sys, &mut meaning, cx);
            for r in before..sys.relations().len() {
                own_table.insert(r, ti);
                rel_cell.push(None);
            }
        }
    }
    // Links between blocks of this system.
    for &&(ref a, ref c, li) in equal {
        let (Some(&na), Some(&nc)) = (
            node_index.get(&(a.0, a.2.as_str())),
            node_index.get(&(c.0, c.2.as_str())),
        ) else {
            continue;
        };
        let (ba, bc) = (block_of_node[na], block_of_node[nc]);
        if !members.contains(&ba) || !members.contains(&bc) {
            continue;
        }
        let side = |cid: &CellId, b: usize| -> Vec<(VarId, Int)> {
            let p = &prepared[cid.0];
            atoms_of(
                b,
                &node_pop(&blocks[b], cid.0, pops),
                &category(p, &cid.1, cx),
            )
        };
        let mut terms = side(a, ba);
        terms.extend(side(c, bc).into_iter().map(|(v, k)| (v, -k)));
        if let Ok(r) = sys.add_eq(terms, 0, &format!("the link of {}", links[li].origin)) {
            sys.set_source(r, &links[li].origin);
            rel_cell.push(None);
        }
    }
    let cfg = AuditConfig {
        min_count: t,
        zero_is_unsafe: cx.rules.thresholds.zero_is_unsafe,
        narrow_max_values: Int::from(cx.rules.back_calculation.narrow_max_values),
        ..AuditConfig::default()
    };
    let res = audit(&sys, &cfg);
    let hidden_cell = |x: VarId| {
        matches!(
            meaning.get(x.0),
            Some(Meaning::Form { .. } | Meaning::Loose { .. })
        ) && sys
            .unknown(x)
            .is_some_and(|u| u.origin == Origin::Suppressed)
    };
    let flagged: Vec<&crate::audit::Verdict> = res
        .verdicts
        .iter()
        .filter(|v| match v.code {
            VerdictCode::ExactSmall | VerdictCode::NarrowedSmall => !matches!(
                v.vars.first().and_then(|x| meaning.get(x.0)),
                Some(Meaning::Residual)
            ),
            // A suppression another table undoes (B5), or narrows below the threshold (B3w).
            VerdictCode::IneffectiveSuppression | VerdictCode::NarrowedWarn => {
                v.vars.first().is_some_and(|&x| hidden_cell(x))
            }
            // A group of persons whose size the tables give together (all − men = women plus
            // anyone of another sex, when the women's cell is hidden): B2 across tables.
            VerdictCode::GroupSumSmall => {
                let sources: BTreeSet<&str> = v
                    .relations
                    .iter()
                    .filter_map(|r| sys.relation(*r).and_then(|x| x.source.as_deref()))
                    .collect();
                v.vars.len() >= 2
                    && sources.len() >= 2
                    && v.vars
                        .iter()
                        .all(|x| !matches!(meaning.get(x.0), Some(Meaning::Residual)))
            }
            _ => false,
        })
        .collect();
    // A finding must need two tables: what one table's own relations already give is
    // back-calculation's (the audit's own derivation tag is not enough, as bound propagation
    // names only the last relation it used).
    let alone = audits_alone(&sys, &flagged, &cfg);
    let flagged: Vec<&crate::audit::Verdict> = flagged
        .into_iter()
        .filter(|v| v.code == VerdictCode::GroupSumSmall || !single_table(&sys, &res, v, &alone))
        .collect();
    // The tables of each connected component, for derivations that name one relation only.
    let mut comp = Sets::new(sys.unknowns().len());
    for r in sys.relations() {
        if let Some(&(first, _)) = r.terms.first() {
            for &(x, _) in &r.terms[1..] {
                comp.union(first.0, x.0);
            }
        }
    }
    let mut comp_tables: HashMap<usize, BTreeSet<usize>> = HashMap::new();
    if !flagged.is_empty() {
        for (ri, r) in sys.relations().iter().enumerate() {
            let Some(&(first, _)) = r.terms.first() else {
                continue;
            };
            let table = rel_cell
                .get(ri)
                .and_then(Option::as_ref)
                .map(|c| c.table)
                .or_else(|| own_table.get(&ri).copied());
            if let Some(t) = table {
                comp_tables.entry(comp.find(first.0)).or_default().insert(t);
            }
        }
    }
    // An atom that is all of a flagged suppressed cell is the same fact: report the cell only.
    let mut told: HashSet<usize> = HashSet::new();
    for v in &flagged {
        if let Some(Meaning::Form { atoms, .. }) = v.vars.first().and_then(|x| meaning.get(x.0)) {
            if let [one] = atoms.as_slice() {
                told.insert(*one);
            }
        }
    }
    for v in flagged {
        if v.code != VerdictCode::GroupSumSmall
            && v.vars.first().is_some_and(|x| told.contains(&x.0))
        {
            continue;
        }
        let severity = match (v.code, v.severity) {
            (VerdictCode::IneffectiveSuppression | VerdictCode::NarrowedWarn, _) => {
                Severity::Warning
            }
            (_, ASeverity::Fail) => Severity::Error,
            _ => Severity::Warning,
        };
        let Some(&var) = v.vars.first() else { continue };
        let used: Vec<&RelCell<'_>> = v
            .relations
            .iter()
            .filter_map(|r| rel_cell.get(r.0).and_then(Option::as_ref))
            .collect();
        let mut own: Vec<usize> = v
            .relations
            .iter()
            .filter_map(|r| own_table.get(&r.0).copied())
            .collect();
        // Bound propagation names only its last relation: the tables are then those of the
        // unknown's component (none of them alone gives the result, as checked above).
        let named: BTreeSet<(usize, u32)> = used
            .iter()
            .map(|c| c.table)
            .chain(own.iter().copied())
            .map(|t| (prepared[t].file, prepared[t].table.index))
            .collect();
        if named.len() < 2 {
            if let Some(ts) = comp_tables.get(&comp.find(var.0)) {
                own.extend(ts.iter().copied());
            }
        }
        report(
            &meaning[var.0],
            v.code,
            severity,
            (&used, &own),
            blocks,
            pops,
            prepared,
            files,
            cx,
            out,
        );
    }
    ok && !res.inconsistent
}

/// The audit of each source (table) alone whose relations a verdict rests on.
fn audits_alone(
    sys: &System,
    verdicts: &[&crate::audit::Verdict],
    cfg: &AuditConfig,
) -> HashMap<String, crate::audit::AuditResult> {
    let sources: BTreeSet<&str> =
        sources_of(sys, verdicts.iter().filter_map(|v| v.vars.first().copied()))
            .into_iter()
            .collect();
    let mut out = HashMap::new();
    for src in sources {
        let mut one = System::new();
        for u in sys.unknowns() {
            one.add_unknown(u.clone());
        }
        for r in sys.relations() {
            if r.source.as_deref() != Some(src) {
                continue;
            }
            // Relations were valid in the merged system; they stay valid here.
            let _ = match r.sense {
                crate::audit::Sense::Eq => one.add_eq(r.terms.clone(), r.rhs, &r.label),
                crate::audit::Sense::Le => one.add_le(r.terms.clone(), r.rhs, &r.label),
            };
        }
        out.insert(src.to_string(), audit(&one, cfg));
    }
    out
}

/// Whether one source (table) alone gives the unknown of a verdict the same interval as the
/// merged system: then the finding is that table's own (back-calculation), not differencing.
fn single_table(
    sys: &System,
    res: &crate::audit::AuditResult,
    v: &crate::audit::Verdict,
    alone: &HashMap<String, crate::audit::AuditResult>,
) -> bool {
    let Some(&var) = v.vars.first() else {
        return false;
    };
    let merged = res.interval(var);
    sources_of(sys, std::iter::once(var))
        .into_iter()
        .filter_map(|src| alone.get(src))
        .any(|a| merged.is_some() && a.interval(var) == merged)
}

/// The sources (tables) of the relations that hold any of the unknowns.
fn sources_of(sys: &System, vars: impl Iterator<Item = VarId>) -> BTreeSet<&str> {
    let vars: HashSet<VarId> = vars.collect();
    sys.relations()
        .iter()
        .filter(|r| r.terms.iter().any(|(v, _)| vars.contains(v)))
        .filter_map(|r| r.source.as_deref())
        .collect()
}

/// The atoms of the cells in blocks: (file, table number, row, column) → terms.
type CellTerms = HashMap<(usize, u32, u32, u32), Vec<(VarId, Int)>>;

/// Adds the confirmed relations of one table's structure (its total column, total and sub-total
/// rows) to a merged system: a cell in a block is the sum of its atoms, another published cell
/// a constant, another suppressed cell an unknown of its own. Tables with rounded counts are
/// left out (their relations hold between true values only within the rounding).
fn add_own_relations<'a>(
    ti: usize,
    prepared: &[Prepared<'a>],
    files: &[FileTables],
    cell_terms: &CellTerms,
    sys: &mut System,
    meaning: &mut Vec<Meaning>,
    cx: &Context<'_>,
) {
    let p = &prepared[ti];
    let table = p.table;
    if rounding(p).is_some() {
        return;
    }
    let s = structure::detect(table, cx.lexicon);
    if s.rounding.is_some() {
        return;
    }
    let t = Int::from(cx.rules.thresholds.min_count);
    let src = source(files, p);
    let mut loose: HashMap<CellPos, VarId> = HashMap::new();
    for rel in &s.relations {
        let Some(group) = s.groups.get(rel.group) else {
            continue;
        };
        if !group.confirmed || group.excludes_suppressed {
            continue;
        }
        let mut coef: BTreeMap<usize, Int> = BTreeMap::new();
        let mut rhs: Int = 0;
        let mut ok = true;
        let members = rel
            .parts
            .iter()
            .map(|&q| (Total::Cell(q), 1))
            .chain(std::iter::once((rel.total, -1)));
        for (m, k) in members {
            let q = match m {
                Total::Constant(v) => {
                    rhs -= k * v;
                    continue;
                }
                Total::Cell(q) => q,
            };
            let Some(cell) = table
                .rows
                .get(q.row)
                .and_then(|r| r.cells.iter().find(|c| c.col == q.col))
            else {
                ok = false;
                break;
            };
            if let Some(terms) = cell_terms.get(&(p.file, table.index, cell.row, cell.col)) {
                for &(v, a) in terms {
                    *coef.entry(v.0).or_insert(0) += k * a;
                }
                continue;
            }
            match shown(cell) {
                Some(Shown::Exact(v)) => rhs -= k * v,
                Some(Shown::Hidden { lo, hi }) => {
                    let v = *loose.entry(q).or_insert_with(|| {
                        let name = table.locate(cell).cell.unwrap_or_default();
                        let u = Unknown::suppressed(&name).with_box(lo, hi);
                        let u = if hi.is_some_and(|h| h < t) {
                            u.primary()
                        } else {
                            u
                        };
                        meaning.push(Meaning::Loose { table: ti, pos: q });
                        sys.add_unknown(u)
                    });
                    *coef.entry(v.0).or_insert(0) += k;
                }
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        let mut terms: Vec<(VarId, Int)> = coef
            .into_iter()
            .filter(|&(_, a)| a != 0)
            .map(|(v, a)| (VarId(v), a))
            .collect();
        if rel.residual {
            let v = sys.add_unknown(Unknown::of("residual category", Origin::Residual));
            meaning.push(Meaning::Residual);
            terms.push((v, 1));
        }
        if terms.is_empty() {
            continue;
        }
        let label = format!("'{}' {}", files[p.file].path, group.label);
        let added = match rel.sense {
            structure::Sense::Eq => sys.add_eq(terms, rhs, &label),
            structure::Sense::Le => sys.add_le(terms, rhs, &label),
        };
        if let Ok(r) = added {
            sys.set_source(r, &src);
        }
    }
}

/// A table's population as its block sees it.
fn node_pop(blk: &Block, t: usize, pops: &[Pop]) -> Pop {
    if blk.pops.len() == 1 {
        Pop::All
    } else {
        pops[t].clone()
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    what: &Meaning,
    code: VerdictCode,
    severity: Severity,
    (used, own): (&[&RelCell<'_>], &[usize]),
    blocks: &[Block],
    pops: &[Pop],
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    cx: &Context<'_>,
    out: &mut Out<'_>,
) {
    let t = cx.rules.thresholds.min_count;
    let rank = |c: &RelCell<'_>| {
        (
            prepared[c.table].file,
            prepared[c.table].table.index,
            c.cell.row,
            c.cell.col,
        )
    };
    let (place, subject): (Option<(usize, &Cell)>, String) = match what {
        Meaning::Residual => return,
        Meaning::Loose { table, pos } => {
            let cell = prepared[*table]
                .table
                .rows
                .get(pos.row)
                .and_then(|r| r.cells.iter().find(|c| c.col == pos.col));
            (
                cell.map(|c| (*table, c)),
                "the suppressed count in this cell".to_string(),
            )
        }
        Meaning::Form { table, row_key, .. } => {
            let here = used
                .iter()
                .copied()
                .find(|c| c.table == *table && &c.row_key == row_key);
            let what = match code {
                VerdictCode::IneffectiveSuppression | VerdictCode::NarrowedWarn => {
                    "the suppressed count in this cell"
                }
                _ => "the suppressed or rounded count in this cell",
            };
            (here.map(|c| (c.table, c.cell)), what.to_string())
        }
        Meaning::Atom { block, pop, row } => {
            let blk = &blocks[*block];
            let atom = &blk.rows[*row];
            // The table that subtracts (its population leaves the atom out), at a cell whose
            // category holds the atom's row; then the last file.
            let score = |c: &RelCell<'_>| {
                let p = &prepared[c.table];
                let in_block = c.block == *block;
                let touches =
                    in_block && row_set(&category(p, &c.row_key, cx), &blk.rows).contains(row);
                let excludes =
                    in_block && !pop_set(&node_pop(blk, c.table, pops), &blk.pops).contains(pop);
                (excludes, touches, rank(c))
            };
            let best = used.iter().copied().max_by_key(|c| score(c));
            let pop_text = match &blk.pops[*pop] {
                PopAtom::Only => String::new(),
                PopAtom::Group(g) => safe_label(g),
                PopAtom::Rest => match &blk.rest_text {
                    Some(s) => s.clone(),
                    None => {
                        let named: Vec<String> = blk
                            .pops
                            .iter()
                            .filter_map(|a| match a {
                                PopAtom::Group(g) => Some(safe_label(g)),
                                _ => None,
                            })
                            .collect();
                        format!("the rest of the population (not {})", named.join(" or "))
                    }
                },
            };
            let row_text = match atom {
                RowAtom::Band(lo, hi) => match best {
                    Some(c)
                        if category(&prepared[c.table], &c.row_key, cx) == Cat::Band(*lo, *hi) =>
                    {
                        format!(
                            "row '{}'",
                            safe_label(row_label(&prepared[c.table], &c.row_key))
                        )
                    }
                    _ => format!("band {}", show_interval((*lo, *hi))),
                },
                RowAtom::Label(k) => {
                    let shown = best
                        .filter(|c| &c.row_key == k)
                        .map(|c| row_label(&prepared[c.table], &c.row_key).to_string())
                        .unwrap_or_else(|| k.clone());
                    format!("row '{}'", safe_label(&shown))
                }
                RowAtom::Rest => "the categories no table lists".to_string(),
            };
            let subject = if pop_text.is_empty() {
                format!("the count of {row_text}")
            } else {
                format!("the count of {pop_text} in {row_text}")
            };
            (best.map(|c| (c.table, c.cell)), subject)
        }
    };
    let Some((place_table, place_cell)) = place else {
        return;
    };
    let here = &prepared[place_table];
    let mut others: BTreeSet<(usize, u32)> = BTreeSet::new();
    // Parts of one table split by population are one table.
    for t in used.iter().map(|c| c.table).chain(own.iter().copied()) {
        let p = &prepared[t];
        if (p.file, p.table.index) != (here.file, here.table.index) {
            others.insert((p.file, p.table.index));
        }
    }
    if others.is_empty() {
        return;
    }
    let related: Vec<String> = others
        .iter()
        .filter(|(f, _)| *f != here.file)
        .map(|(f, _)| files[*f].path.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let named: Vec<String> = others
        .iter()
        .map(|&(f, i)| {
            if f == here.file {
                format!("the {} table of this file", ordinal(i))
            } else {
                format!("'{}'", files[f].path)
            }
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let column = here.table.column_label(place_cell.col);
    let with = named.join(" and ");
    let msg = match code {
        VerdictCode::IneffectiveSuppression => format!(
            "suppression hides nothing: this table combined with {with} gives {subject} (column {column}) back exactly, and it is not below {t}; check what the suppression was meant to protect [B5]"
        ),
        VerdictCode::NarrowedWarn => format!(
            "this table combined with {with} narrows {subject} (column {column}) to a few values, all below {t} [B3w]"
        ),
        VerdictCode::ExactSmall => format!(
            "count below {t} by differencing: this table combined with {with} gives {subject} (column {column}) exactly"
        ),
        VerdictCode::GroupSumSmall => format!(
            "count below {t} by differencing: this table combined with {with} gives exactly the number of persons of this row (column {column}) that the other tables leave out: {subject} together with anyone in none of the tables' groups [B2]"
        ),
        _ => format!(
            "count below {t} by differencing: this table combined with {with} gives {subject} (column {column}) to at most {} possible values",
            cx.rules.back_calculation.narrow_max_values
        ),
    };
    let loc = here.table.locate(place_cell);
    let digest_others: Vec<u8> = others
        .iter()
        .flat_map(|&(f, i)| {
            let mut v = files[f].path.as_bytes().to_vec();
            v.extend_from_slice(&i.to_le_bytes());
            v
        })
        .collect();
    let mut f = Finding::new(
        ID,
        severity,
        msg,
        loc.clone(),
        basis(&match code {
            // The new warnings get their own fingerprints; the errors keep theirs.
            VerdictCode::IneffectiveSuppression | VerdictCode::NarrowedWarn => vec![
                here.table.digest.as_slice(),
                &digest_others,
                subject.as_bytes(),
                code.code().as_bytes(),
            ],
            _ => vec![
                here.table.digest.as_slice(),
                &digest_others,
                subject.as_bytes(),
            ],
        }),
    );
    f.related = related;
    out.push_audit(here.file, loc, f);
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`: table numbers in messages (a bare number could
/// read as a count).
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal).to_vec();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]
        );
    }

    #[test]
    fn band_atoms_refine_every_banding() {
        let rows = vec![
            RowAtom::Band(0, 15),
            RowAtom::Band(16, 17),
            RowAtom::Band(18, 64),
            RowAtom::Label("unknown".into()),
        ];
        assert_eq!(row_set(&Cat::Band(0, 17), &rows), vec![0, 1]);
        assert_eq!(row_set(&Cat::Band(16, 64), &rows), vec![1, 2]);
        assert_eq!(row_set(&Cat::All, &rows), vec![0, 1, 2, 3]);
        assert_eq!(row_set(&Cat::Label("unknown".into()), &rows), vec![3]);
    }
}
