//! "Table 1" blocks (docs/tables.md §3.9): a variable header row (`Sex`) with category rows below
//! and a column header `N = …`; the categories add up to N, with an implied residual (missing,
//! other) when they fall short.

use std::collections::{BTreeMap, BTreeSet};

use super::counts::Line;
use super::verify::{Accepted, Tally};
use super::{short, Builder, CellPos, Int, Sense, Shown, Source, Total};

/// A block: the row naming the variable (`usize::MAX` for one named in the header) and its
/// category rows.
type Block = (usize, Vec<usize>);

/// The lines of the blocks under each column's N, by block: those that add up exactly and those
/// that leave a residual, and how many add up exactly.
struct BlockLines {
    exact: Vec<(usize, Line)>,
    residual: Vec<(usize, Line)>,
    exact_blocks: usize,
}

/// The relations of "Table 1" blocks under the columns whose header gives an N.
pub(super) fn table_one(b: &mut Builder<'_, '_>) {
    let g = b.g;
    let ncols: Vec<(u32, Int)> = g
        .cols
        .iter()
        .filter_map(|c| b.out.column_n.get(c).map(|n| (*c, *n)))
        .collect();
    if ncols.is_empty() {
        return;
    }
    let blocks = blocks(b);
    if blocks.is_empty() {
        return;
    }
    let lines = block_lines(b, &blocks, &ncols);
    add_blocks(b, &blocks, lines);
}

/// Blocks: a header row (a label, no counts) followed by at least two data rows.
fn blocks(b: &Builder<'_, '_>) -> Vec<Block> {
    let g = b.g;
    let table = g.table;
    let data: BTreeSet<usize> = g.rows.iter().copied().collect();
    let mut blocks: Vec<Block> = Vec::new();
    // Rows before the first variable row belong to a variable named in the last header row
    // (the reader takes a lone `Sex` row right below the header as part of the header).
    let lead = table
        .header
        .last()
        .and_then(|h| h.first())
        .is_some_and(|c| !c.text.is_empty())
        && table.header.len() >= 2;
    let mut current: Option<Block> = lead.then(|| (usize::MAX, Vec::new()));
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
    blocks
}

/// Each block's line under each column's N; a block whose shown categories exceed N is not a
/// partition of it (several answers per person) and gives no line.
fn block_lines(b: &Builder<'_, '_>, blocks: &[Block], ncols: &[(u32, Int)]) -> BlockLines {
    let g = b.g;
    let mut out = BlockLines {
        exact: Vec::new(),
        residual: Vec::new(),
        exact_blocks: 0,
    };
    for (bi, (_, rows)) in blocks.iter().enumerate() {
        for &(c, n) in ncols {
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
                out.exact_blocks += 1;
                out.exact.push((bi, line));
            } else {
                out.residual.push((bi, line));
            }
        }
    }
    out
}

/// One family per block and kind of line (exact, or with an implied residual); the evidence is
/// that some block adds up to its column's N exactly.
fn add_blocks(b: &mut Builder<'_, '_>, blocks: &[Block], lines: BlockLines) {
    let table = b.g.table;
    let BlockLines {
        exact: lines_eq,
        residual: lines_res,
        exact_blocks,
    } = lines;
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
