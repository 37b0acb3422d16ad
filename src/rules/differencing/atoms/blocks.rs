//! Atoms (`docs/tables.md` §8.2): blocks of aligned tables and their population and row atoms,
//! the common refinement of every table's categories.

use std::collections::{BTreeMap, BTreeSet};

use super::super::prepare::Prepared;
use super::align::{Nodes, Pop};
use super::cats::{Cat, Cats};

/// An atom of the row variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum RowAtom {
    Band(i64, i64),
    Label(String),
    /// Categories a total covers that no table lists.
    Rest,
}

/// An atom of the population.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum PopAtom {
    /// Every table of the block describes the same population.
    Only,
    Group(String),
    /// Everyone not in a named group.
    Rest,
}

/// Aligned (table, measure) nodes of one measure and their atoms.
pub(super) struct Block {
    pub(super) measure: String,
    pub(super) nodes: Vec<usize>,
    pub(super) pops: Vec<PopAtom>,
    pub(super) rows: Vec<RowAtom>,
    /// Description of the rest of the population when a `contains` link made it.
    pub(super) rest_text: Option<String>,
}

/// Union-find.
pub(super) struct Sets(Vec<usize>);

impl Sets {
    pub(super) fn new(n: usize) -> Self {
        Sets((0..n).collect())
    }
    pub(super) fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    pub(super) fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// The blocks of aligned nodes (in node order), and the block of each node.
pub(super) fn blocks(nodes: &Nodes<'_>, sets: &mut Sets) -> (Vec<Block>, Vec<usize>) {
    let mut block_of_root: BTreeMap<usize, usize> = BTreeMap::new();
    let mut blocks: Vec<Block> = Vec::new();
    for (n, &(table, measure)) in nodes.nodes.iter().enumerate() {
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
    (blocks, block_of_node)
}

/// The population and row atoms of a block.
pub(super) fn block_atoms(
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
pub(super) fn row_set(c: &Cat, rows: &[RowAtom]) -> Vec<usize> {
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
pub(super) fn pop_set(pop: &Pop, atoms: &[PopAtom]) -> Vec<usize> {
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

/// A table's population as its block sees it.
pub(super) fn node_pop(blk: &Block, t: usize, pops: &[Pop]) -> Pop {
    if blk.pops.len() == 1 {
        Pop::All
    } else {
        pops[t].clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
