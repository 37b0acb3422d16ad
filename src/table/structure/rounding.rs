//! Rounding of a table (docs/tables.md §3.10): declared in words (`rounded to the nearest 5`,
//! `_midpoint6`) or seen in the values (every non-zero count a multiple of 5 or 10, or all
//! `≡ 3 (mod 6)`), and the box of true values behind a rounded cell.

use super::counts::Grid;
use super::{Int, Shown};
use crate::audit::{rounding_box, RoundingScheme};
use crate::model::Table;
use crate::table::classify::{Lexicon, RoundingWords};

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

/// The rounding a table declares, with the rounding words of the rules in force
/// (`[vocabulary] rounding`, `rounding_random`, `rounding_midpoint_6`).
pub(crate) fn declared_rounding_in(table: &Table, words: &RoundingWords) -> Option<RoundingScheme> {
    let texts = table
        .title
        .iter()
        .chain(&table.notes)
        .chain(table.columns.iter().map(|c| &c.name));
    let mut declared = None;
    for t in texts {
        let low = t.to_lowercase();
        if words.midpoint_6.iter().any(|w| low.contains(w.as_str())) {
            return Some(RoundingScheme::Midpoint { r: 6 });
        }
        let at = words
            .rounding
            .iter()
            .filter_map(|w| low.find(w.as_str()))
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
        let random = words.random.iter().any(|w| low.contains(w.as_str()));
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

/// The rounding of a table: declared in words, else seen in its values (counts outside the
/// labelled totals for midpoint-6).
pub(super) fn detect_rounding(
    table: &Table,
    g: &Grid<'_>,
    total_rows: &[usize],
    total_cols: &[u32],
    lexicon: &Lexicon,
) -> Option<Rounding> {
    // Words first.
    let declared = declared_rounding_in(table, &lexicon.rounding);
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

#[cfg(test)]
mod tests {
    use super::super::test_support::table;
    use super::super::*;

    #[test]
    fn rounding_is_found() {
        let (t, lx) = table("Age,HD,Pop\na,x,20\nb,10,25\nc,15,30\nd,25,45\nTotal,50,120\n");
        let s = detect(&t, &lx);
        let r = s.rounding.expect("rounded");
        assert!(r.sum_of_rounded);
        assert!(s.groups[0].excludes_suppressed, "{s:?}");
    }
}
