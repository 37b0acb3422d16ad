//! Alignment (`docs/tables.md` §8.1): which tables of a measure describe the same row
//! variable and nested populations, so that their cells join one system.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::audit::Int;
use crate::config::Link;
use crate::redact::safe_label;
use crate::rules::FileTables;

use super::super::prepare::{Population, Prepared};
use super::blocks::Sets;
use super::cats::{body_keys, extent_total, value, Cat, Cats};
use super::Contains;

/// The population of a table for alignment: detected, or set by a `contains` link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Pop {
    All,
    Group(String),
}

pub(super) fn pop_of(p: &Prepared<'_>) -> Pop {
    match &p.population {
        Population::All => Pop::All,
        Population::Group(g) => Pop::Group(g.clone()),
    }
}

/// A table's measures as nodes of the alignment: one node per (table, measure).
pub(super) struct Nodes<'p> {
    /// Measure → the tables that count it.
    measures: BTreeMap<&'p str, Vec<usize>>,
    /// Node → (table, measure).
    pub(super) nodes: Vec<(usize, &'p str)>,
    /// (table, measure) → node.
    pub(super) index: HashMap<(usize, &'p str), usize>,
    /// Per node: the table's non-total row keys with a cell of the measure.
    keys: Vec<Vec<&'p str>>,
}

impl<'p> Nodes<'p> {
    pub(super) fn new(prepared: &'p [Prepared<'_>], cats: &[Cats<'_>]) -> Self {
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
        let mut index: HashMap<(usize, &str), usize> = HashMap::new();
        let mut nodes: Vec<(usize, &str)> = Vec::new();
        for (m, tables) in &measures {
            for &t in tables {
                index.insert((t, m), nodes.len());
                nodes.push((t, m));
            }
        }
        let keys: Vec<Vec<&str>> = nodes
            .iter()
            .map(|&(t, m)| body_keys(&prepared[t], m, &cats[t]))
            .collect();
        Nodes {
            measures,
            nodes,
            index,
            keys,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }
}

/// The populations of the tables for alignment, `contains` links setting theirs (the outer
/// table all persons, the inner one a group of its own), and per inner table what the rest of
/// its population is.
pub(super) fn link_populations(
    prepared: &[Prepared<'_>],
    files: &[FileTables],
    links: &[Link],
    contains: &[Contains],
) -> (Vec<Pop>, HashMap<usize, String>) {
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
    (pops, rest_text)
}

/// Joins the nodes of aligned tables, measure by measure, in `sets`.
pub(super) fn align(
    nodes: &Nodes<'_>,
    prepared: &[Prepared<'_>],
    (cats, pops): (&[Cats<'_>], &[Pop]),
    (contains, apart): (&[Contains], &HashSet<(usize, usize)>),
    sets: &mut Sets,
) {
    let forced: HashSet<(usize, usize)> = contains
        .iter()
        .map(|&(o, i, _)| (o.min(i), o.max(i)))
        .collect();
    for (m, tables) in &nodes.measures {
        if tables.len() < 2 {
            continue;
        }
        for (a, b) in candidates(nodes, prepared, m, tables, (cats, pops), &forced) {
            if apart.contains(&(a.min(b), a.max(b))) {
                continue;
            }
            let (na, nb) = (nodes.index[&(a, *m)], nodes.index[&(b, *m)]);
            if forced.contains(&(a, b)) {
                sets.union(na, nb);
                continue;
            }
            let (pa, pb) = (&prepared[a], &prepared[b]);
            let (ka, kb) = (&nodes.keys[na][..], &nodes.keys[nb][..]);
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
}

/// Candidate pairs of tables of one measure: all persons × sub-groups, pairs of the same
/// population sharing a published (category, count) or a whole-extent count, and the pairs of
/// `contains` links.
fn candidates(
    nodes: &Nodes<'_>,
    prepared: &[Prepared<'_>],
    m: &str,
    tables: &[usize],
    (cats, pops): (&[Cats<'_>], &[Pop]),
    forced: &HashSet<(usize, usize)>,
) -> BTreeSet<(usize, usize)> {
    let mut cand: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut buckets: HashMap<(String, String, Int), Vec<usize>> = HashMap::new();
    let mut alls = Vec::new();
    let mut groups = Vec::new();
    for &t in tables {
        let n = nodes.index[&(t, m)];
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
        for k in &nodes.keys[n] {
            if let Some(v) = value(&prepared[t], k, m) {
                buckets
                    .entry((pk.clone(), (*k).to_string(), v))
                    .or_default()
                    .push(t);
            }
        }
        if let Some(v) = extent_total(&prepared[t], m, &nodes.keys[n], &cats[t]) {
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
    for &(o, i) in forced {
        if tables.contains(&o) && tables.contains(&i) {
            cand.insert((o, i));
        }
    }
    cand
}

/// Whether the row variables of two tables are the same variable.
pub(super) fn rows_align(
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

/// Whether two tables of the same population and row variable are the same population: no
/// shared category with different counts, and two shared categories or the whole extent equal.
pub(super) fn same_population(
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
pub(super) fn nested(
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
