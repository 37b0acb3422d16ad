//! Column families from multi-row headers (docs/tables.md §3.7): every header level is a
//! dimension, and a member labelled as a total at one level is the sum of the columns that agree
//! with it on every other level.

use std::collections::{BTreeMap, BTreeSet};

use super::counts::col_lines;
use super::verify::{members_nonzero, verify};
use super::{col_name, Builder, Sense, Source, Total};
use crate::table::classify::Lexicon;

/// Column families read from multi-row headers (docs/tables.md §3.7). Each header
/// level is a dimension: columns whose header paths agree on every other level form a family,
/// and the member labelled as a total at that level (`All / <50`, `Men / Total`) is the sum of
/// the others (`Men / <50 + Women / <50`). A level without a total label may still have a sum
/// member, found by the numbers alone (two exact lines at least). Every family is confirmed
/// numerically on its own, with at least one exact line: a spanning label carried too far (an
/// overall `Total` under the last group) simply fails and is dropped. Families already found
/// (a group's `Total` from its label) are not repeated.
pub(super) fn header_groups(
    b: &mut Builder<'_, '_>,
    paths: &BTreeMap<u32, Vec<String>>,
    lexicon: &Lexicon,
    scan: bool,
) {
    let g = b.g;
    let depth = g.table.header.len();
    if depth < 2 || g.cols.len() < 3 {
        return;
    }
    let cols: Vec<(u32, &Vec<String>)> = g
        .cols
        .iter()
        .filter_map(|c| paths.get(c).map(|p| (*c, p)))
        .filter(|(_, p)| p.len() == depth)
        .collect();
    let mut seen = column_families(b);
    for level in 0..depth {
        for members in &level_families(&cols, level) {
            family_total(b, members, lexicon, scan, &mut seen);
        }
    }
}

/// Band labels differ only in their signs (`<50`, `50+`): keep them, fold case and spaces.
fn norm(t: &str) -> String {
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The column families found so far, as (total column, sorted part columns).
fn column_families(b: &Builder<'_, '_>) -> BTreeSet<(u32, Vec<u32>)> {
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
    seen
}

/// The families of one header level: columns agreeing on every level but this one, each member
/// with its label at this level, in the order of their first columns.
fn level_families(cols: &[(u32, &Vec<String>)], level: usize) -> Vec<Vec<(u32, String)>> {
    let mut fams: BTreeMap<Vec<String>, Vec<(u32, String)>> = BTreeMap::new();
    for (c, p) in cols {
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
    fams
}

/// The total of one family, if the numbers confirm one: its member labelled as a total, or
/// (when scanning, in a family of at most 12) the first member that the others add up to.
fn family_total(
    b: &mut Builder<'_, '_>,
    members: &[(u32, String)],
    lexicon: &Lexicon,
    scan: bool,
    seen: &mut BTreeSet<(u32, Vec<u32>)>,
) {
    let g = b.g;
    if members.len() < 3 || members.iter().any(|(_, t)| t.trim().is_empty()) {
        return;
    }
    let labels: BTreeSet<String> = members.iter().map(|(_, t)| norm(t)).collect();
    if labels.len() != members.len() {
        return; // the level does not tell these columns apart
    }
    let totals: Vec<u32> = members
        .iter()
        .filter(|(_, t)| lexicon.is_total(t))
        .map(|(c, _)| *c)
        .collect();
    let candidates: Vec<(u32, usize)> = match totals.as_slice() {
        [t] => vec![(*t, 1)],
        [] if scan && members.len() <= 12 => members.iter().map(|(c, _)| (*c, 2)).collect(),
        _ => return,
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
        let Some(acc) = verify(g, &lines, Sense::Eq, false, b.rounding.as_ref(), min_exact) else {
            continue;
        };
        let evidence = acc.tally.exact >= 1 || (acc.rounded && acc.tally.consistent >= 2);
        if !acc.confirmed || !evidence {
            continue;
        }
        seen.insert((t, parts));
        b.add(
            col_name(g.table, t),
            Source::HeaderGroups,
            lines,
            Sense::Eq,
            false,
            acc,
        );
        break;
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::table;
    use super::super::*;

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
}
