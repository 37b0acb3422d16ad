//! A convenience for the common case: a flat 2-D table with a total row and a total column.

use super::system::{Int, RelId, System, SystemError, VarId};

/// One entry of a 2-D grid: a published exact value or an unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Published exact value (folded into the right-hand side).
    Known(Int),
    /// An unknown of the system.
    Var(VarId),
}

/// Adds the row and column sum relations of a 2-D table whose **last** row holds the column
/// totals and whose **last** column holds the row totals.
///
/// `row_names` and `col_names` label the relations (`row 'A'`, `column 'X1'`); missing names
/// fall back to 1-based numbers. Returns the relations added, rows first. Rows of unequal length
/// or a grid smaller than 2×2 add nothing.
pub fn add_table_2d(
    sys: &mut System,
    grid: &[Vec<Entry>],
    row_names: &[&str],
    col_names: &[&str],
) -> Result<Vec<RelId>, SystemError> {
    let mut out = Vec::new();
    let nr = grid.len();
    let Some(nc) = grid.first().map(Vec::len) else {
        return Ok(out);
    };
    if nr < 2 || nc < 2 || grid.iter().any(|r| r.len() != nc) {
        return Ok(out);
    }
    let name = |names: &[&str], i: usize| {
        names
            .get(i)
            .map(|s| s.to_string())
            .unwrap_or_else(|| (i + 1).to_string())
    };
    let mut line = |cells: Vec<Entry>, label: String| -> Result<(), SystemError> {
        // parts − total = 0
        let last = cells.len() - 1;
        let mut terms = Vec::new();
        let mut rhs: Int = 0;
        let mut visible = 0;
        for (k, e) in cells.into_iter().enumerate() {
            let coef: Int = if k == last { -1 } else { 1 };
            match e {
                Entry::Var(v) => terms.push((v, coef)),
                Entry::Known(x) => {
                    rhs = rhs
                        .checked_sub(coef.checked_mul(x).ok_or(SystemError::Overflow {
                            label: label.clone(),
                        })?)
                        .ok_or(SystemError::Overflow {
                            label: label.clone(),
                        })?;
                    visible += 1;
                }
            }
        }
        out.push(sys.add_eq_visible(terms, rhs, &label, visible)?);
        Ok(())
    };
    for (i, row) in grid.iter().enumerate() {
        line(row.clone(), format!("row '{}'", name(row_names, i)))?;
    }
    for j in 0..nc {
        let col: Vec<Entry> = grid.iter().map(|r| r[j]).collect();
        line(col, format!("column '{}'", name(col_names, j)))?;
    }
    Ok(out)
}
