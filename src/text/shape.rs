//! What a printed table is, as far as its shape tells: numbered rows are one row per record.

use super::blocks::Block;

/// What a printed table is, as far as its shape tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Rows numbered 1..n (`Obs`, `1.`, R row names, a pandas index): one row per record.
    Numbered(Numbering),
    /// Anything else: frequency tables, model output, summaries.
    Other,
}

/// How rows of a listing are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// SAS `PROC PRINT`: an `Obs` column.
    SasObs,
    /// Stata `list`: `1.` before a `|` box.
    StataList,
    /// R, pandas, tibble row numbers or index without a header.
    RowNames,
}

impl Numbering {
    pub fn describe(self) -> &'static str {
        match self {
            Numbering::SasObs => "SAS PROC PRINT listing",
            Numbering::StataList => "Stata list output",
            Numbering::RowNames => "printed data frame",
        }
    }

    /// Fewest columns (the numbers included) of a block so numbered that can be a listing of
    /// records: R and pandas number many printouts that are not (a tibble of one value per
    /// variable), so their listings need two columns of values beside the numbers.
    pub fn listing_width(self) -> usize {
        match self {
            Numbering::SasObs | Numbering::StataList => 3,
            Numbering::RowNames => 4,
        }
    }
}

/// Whether a block's rows are numbered as records are. One row is enough for Stata's `list`
/// box (`l in 1`: an unnamed stub, a `|` box, the row numbered `1.`): no other Stata output
/// numbers its rows that way. Other numberings need two rows running upwards.
pub fn shape(block: &Block) -> Shape {
    let body = block.body();
    let head0 = block
        .header_cells()
        .first()
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let one_stata_row = block.piped
        && block.header > 0
        && head0.is_empty()
        && body.len() == 1
        && body[0].first().is_some_and(|c| stata_row_number(c));
    if body.is_empty() || (body.len() < 2 && !one_stata_row) {
        return Shape::Other;
    }
    let numbering = if head0.eq_ignore_ascii_case("obs") {
        Numbering::SasObs
    } else if head0.is_empty() {
        if block.piped
            && body
                .iter()
                .all(|r| r.first().is_some_and(|c| c.ends_with('.')))
        {
            Numbering::StataList
        } else {
            Numbering::RowNames
        }
    } else {
        return Shape::Other;
    };
    let mut prev: Option<i64> = None;
    for row in body {
        if row
            .iter()
            .all(|c| c.is_empty() || c.chars().all(|ch| ch == '.' || ch == '…'))
        {
            // pandas and data.table elide the middle rows with `...`.
            continue;
        }
        let Some(first) = row.first() else {
            return Shape::Other;
        };
        let t = first.trim().trim_end_matches(['.', ':']);
        let Ok(n) = t.parse::<i64>() else {
            return Shape::Other;
        };
        if prev.is_some_and(|p| n <= p) {
            return Shape::Other;
        }
        prev = Some(n);
    }
    Shape::Numbered(numbering)
}

/// A Stata `list` row number: digits and a dot (`1.`, `12.`).
pub(crate) fn stata_row_number(cell: &str) -> bool {
    let t = cell.trim();
    t.strip_suffix('.')
        .is_some_and(|d| !d.is_empty() && d.len() <= 9 && d.bytes().all(|b| b.is_ascii_digit()))
}
