//! What ACRO wrote into a workbook it finalised. ACRO (the SACRO output checker) writes one sheet
//! per output: a `Command` row, a `Summary` row with its verdict (`pass`, `fail; threshold: 2
//! cells suppressed; `, `review; negative values found`), then its risk grid (a copy of the
//! table whose cells say `ok`, `threshold; `, `p-ratio; `, `negative` …) and the table itself,
//! each under a blank row. This module reads that verdict and matches the grid to the table
//! cell by cell, so that the rules can tell a researcher what ACRO already said: an output ACRO
//! asked a person to review, and a cell its grid flags that still shows a value. No value is
//! kept; the facts name checks and cells.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{cell_ref, Fact, FactKind, Location, PriorCheck, PriorSaid};

use super::layout::SheetCell;

/// The tool named in messages.
const TOOL: &str = "ACRO";

/// ACRO's verdict of one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Pass,
    Fail,
    Review,
}

/// What an ACRO summary (`fail; threshold: 2 cells suppressed; `) says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    pub status: Status,
    /// Every check it names.
    pub checks: BTreeSet<PriorCheck>,
    /// The checks it names without saying that it suppressed the cells (`negative values
    /// found`): what ACRO left for a person.
    pub open: BTreeSet<PriorCheck>,
}

/// The verdict and the checks a `Summary` cell (or a results file's `summary`) names, if it is
/// one of ACRO's.
pub(crate) fn summary(text: &str) -> Option<Summary> {
    let t = text.trim().to_ascii_lowercase();
    let mut pieces = t.split(';');
    let status = match pieces.next()?.trim() {
        "pass" => Status::Pass,
        "fail" => Status::Fail,
        "review" => Status::Review,
        _ => return None,
    };
    let mut checks = BTreeSet::new();
    let mut open = BTreeSet::new();
    for piece in pieces {
        let (name, rest) = piece.split_once(':').unwrap_or((piece, ""));
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let check = check(name).unwrap_or(PriorCheck::Other);
        checks.insert(check);
        if !rest.contains("suppressed") {
            open.insert(check);
        }
    }
    Some(Summary {
        status,
        checks,
        open,
    })
}

/// A check by the word ACRO uses for it in a summary or a grid cell.
pub(crate) fn check(word: &str) -> Option<PriorCheck> {
    let w = word.trim();
    Some(match w {
        "threshold" => PriorCheck::Threshold,
        "p-ratio" | "nk-rule" => PriorCheck::Dominance,
        "all-values-are-same" => PriorCheck::SameValues,
        _ if w.starts_with("negative") => PriorCheck::Negative,
        _ if w.starts_with("missing") => PriorCheck::Missing,
        _ => return None,
    })
}

/// What a cell of a risk grid says: `Some(checks)` when it is a grid word (`ok` gives none),
/// `None` when it is a label.
fn grid_word(text: &str) -> Option<Vec<PriorCheck>> {
    let t = text.trim().to_ascii_lowercase();
    let mut out = Vec::new();
    let mut any = false;
    for piece in t.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        any = true;
        if piece == "ok" {
            continue;
        }
        out.push(check(piece)?);
    }
    any.then_some(out)
}

fn at(sheet: &str, row: u32, col: u32) -> Location {
    Location {
        sheet: Some(sheet.to_string()),
        row: Some(row),
        column: Some(col),
        cell: Some(cell_ref(row, col)),
        ..Location::default()
    }
}

fn fact(location: Location, said: PriorSaid) -> Fact {
    Fact {
        location,
        kind: FactKind::PriorChecker { tool: TOOL, said },
    }
}

/// The facts of what ACRO said of the output on one sheet, from its filled cells (any order).
/// A sheet without ACRO's `Command` and `Summary` rows gives none.
pub fn prior_checker(cells: &[SheetCell], sheet: &str) -> Vec<Fact> {
    let map: BTreeMap<(u32, u32), &str> = cells
        .iter()
        .map(|c| ((c.row, c.col), c.text.trim()))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    let heads: Vec<(u32, u32)> = map
        .iter()
        .filter(|(&(r, c), t)| {
            **t == "Summary" && r > 1 && map.get(&(r - 1, c)) == Some(&"Command")
        })
        .map(|(&k, _)| k)
        .collect();
    for (i, &(r, c)) in heads.iter().enumerate() {
        let Some(Summary {
            status,
            checks,
            open,
        }) = map.get(&(r, c + 1)).and_then(|t| summary(t))
        else {
            continue;
        };
        let here = at(sheet, r, c + 1);
        // The output's part of the sheet: down to the next output's `Command` row.
        let end = heads.get(i + 1).map_or(u32::MAX, |&(next, _)| next - 1);
        let matched = grids(&map, r + 1, end, c, sheet, &mut out);
        match status {
            Status::Pass => {}
            Status::Review => {
                // A check whose cells ACRO says it suppressed was acted on: the grid says
                // whether any still shows a value.
                let named: Vec<PriorCheck> = if checks.is_empty() {
                    vec![PriorCheck::Other]
                } else {
                    open.iter().copied().collect()
                };
                for check in named {
                    out.push(fact(here.clone(), PriorSaid::Review(check)));
                }
            }
            Status::Fail if !matched => {
                let check = checks.iter().next().copied().unwrap_or(PriorCheck::Other);
                out.push(fact(here.clone(), PriorSaid::Unmatched(check)));
            }
            Status::Fail => {}
        }
    }
    out
}

/// The blocks of rows `from..=to` (rows with a filled cell at column `c0` or right of it, between
/// blank rows), as `(first row, last row)`.
fn blocks(map: &BTreeMap<(u32, u32), &str>, from: u32, to: u32, c0: u32) -> Vec<(u32, u32)> {
    let rows: BTreeSet<u32> = map
        .range((from, 0)..)
        .map(|(&(r, c), _)| (r, c))
        .take_while(|&(r, _)| r <= to)
        .filter(|&(_, c)| c >= c0)
        .map(|(r, _)| r)
        .collect();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(b) if b.1 + 1 == r => b.1 = r,
            _ => out.push((r, r)),
        }
    }
    out
}

/// Match each risk grid below a summary to the table after it and report flagged cells that
/// show a value. Whether any grid was matched.
fn grids(
    map: &BTreeMap<(u32, u32), &str>,
    from: u32,
    to: u32,
    c0: u32,
    sheet: &str,
    out: &mut Vec<Fact>,
) -> bool {
    let bs = blocks(map, from, to, c0);
    let mut matched = false;
    for pair in bs.windows(2) {
        let (grid, values) = (pair[0], pair[1]);
        if grid.1 - grid.0 != values.1 - values.0 {
            continue;
        }
        let cells = |b: (u32, u32)| {
            map.range((b.0, 0)..=(b.1, u32::MAX))
                .filter(|(&(_, c), _)| c >= c0)
                .map(|(&k, &t)| (k, t))
                .collect::<Vec<_>>()
        };
        let shift = values.0 - grid.0;
        let mut flagged = Vec::new();
        let mut words = 0usize;
        let mut labels_agree = true;
        for ((r, c), t) in cells(grid) {
            let value = map.get(&(r + shift, c)).copied();
            match grid_word(t) {
                Some(checks) => {
                    words += 1;
                    if let (Some(&check), Some(_)) = (checks.iter().min(), value) {
                        if checks.iter().any(|k| k.names_disclosure()) {
                            flagged.push((r + shift, c, check));
                        }
                    }
                }
                None => labels_agree &= value == Some(t),
            }
        }
        // Every label of the grid stands in the table too, where the table has labels.
        let table_labels_agree = cells(values).iter().all(|&((r, c), t)| {
            let g = map.get(&(r - shift, c)).copied();
            g.is_some() || t.parse::<f64>().is_ok()
        });
        if words == 0 || !labels_agree || !table_labels_agree {
            continue;
        }
        matched = true;
        for (r, c, check) in flagged {
            out.push(fact(at(sheet, r, c), PriorSaid::Shown(check)));
        }
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(rows: &[(u32, &[&str])]) -> Vec<SheetCell> {
        let mut out = Vec::new();
        for &(r, texts) in rows {
            for (i, t) in texts.iter().enumerate() {
                if !t.is_empty() {
                    out.push(SheetCell {
                        row: r,
                        col: i as u32 + 1,
                        text: (*t).to_string(),
                    });
                }
            }
        }
        out
    }

    fn said(facts: &[Fact]) -> Vec<(Option<String>, PriorSaid)> {
        facts
            .iter()
            .map(|f| match &f.kind {
                FactKind::PriorChecker { said, .. } => (f.location.cell.clone(), said.clone()),
                other => panic!("unexpected fact {other:?}"),
            })
            .collect()
    }

    const HEAD: [(u32, &[&str]); 2] = [(2, &["Command", "acro.crosstab(a, b)"]), (1, &["", "0"])];

    fn sheet(summary: &str, grid: [&str; 2], values: [&str; 2]) -> Vec<SheetCell> {
        let mut rows: Vec<(u32, &[&str])> = HEAD.to_vec();
        let s = ["Summary", summary];
        let g1 = ["year", "A", "B"];
        let g2 = ["2020", grid[0], grid[1]];
        let v2 = ["2020", values[0], values[1]];
        rows.push((3, &s));
        rows.push((5, &g1));
        rows.push((6, &g2));
        rows.push((8, &g1));
        rows.push((9, &v2));
        cells(&rows)
    }

    #[test]
    fn a_flagged_cell_that_shows_a_value_is_named_and_a_suppressed_one_is_not() {
        let shown = sheet(
            "fail; threshold: 1 cells suppressed; ",
            ["ok", "threshold; "],
            ["40", "3"],
        );
        assert_eq!(
            said(&prior_checker(&shown, "out")),
            vec![(Some("C9".into()), PriorSaid::Shown(PriorCheck::Threshold))]
        );
        let suppressed = sheet(
            "fail; threshold: 1 cells suppressed; ",
            ["ok", "threshold; "],
            ["40", ""],
        );
        assert!(prior_checker(&suppressed, "out").is_empty());
    }

    #[test]
    fn a_review_summary_names_its_checks_and_a_pass_says_nothing() {
        let review = sheet(
            "review; negative values found",
            ["", "negative"],
            ["40", "-3"],
        );
        assert_eq!(
            said(&prior_checker(&review, "out")),
            vec![(Some("B3".into()), PriorSaid::Review(PriorCheck::Negative))]
        );
        let pass = sheet("pass", ["ok", "ok"], ["40", "30"]);
        assert!(prior_checker(&pass, "out").is_empty());
    }

    #[test]
    fn a_fail_whose_grid_does_not_match_its_table_is_unmatched() {
        let mut c = sheet(
            "fail; p-ratio: 1 cells suppressed; ",
            ["ok", "p-ratio; "],
            ["40", ""],
        );
        // The table's row label differs from the grid's: they are not the same table.
        for x in &mut c {
            if x.row == 9 && x.col == 1 {
                x.text = "2021".into();
            }
        }
        assert_eq!(
            said(&prior_checker(&c, "out")),
            vec![(
                Some("B3".into()),
                PriorSaid::Unmatched(PriorCheck::Dominance)
            )]
        );
    }

    #[test]
    fn a_summary_row_without_a_command_row_above_is_not_acros() {
        let c = cells(&[
            (3, &["Summary", "fail; threshold"]),
            (5, &["x", "threshold"]),
        ]);
        assert!(prior_checker(&c, "out").is_empty());
    }
}
