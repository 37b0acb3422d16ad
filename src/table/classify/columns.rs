//! Corrections of column kinds once every column has one, from what neighbouring columns and
//! headers show: `%` headers over percentages, code columns, count/share column pairs; and the
//! columns of a table read without any.

use crate::model::{Column, Kind, Table, Value};

use super::Lexicon;

/// A header with a `%` over plain numbers from 0 to 100 (`Died (%)`, `Verstorben (%)`) holds
/// percentages, even when a count word comes first; an estimate header (`95% CI`) does not.
pub(super) fn percent_signed_headers(table: &mut Table, lexicon: &Lexicon) {
    for i in 0..table.columns.len() {
        let c = &table.columns[i];
        if c.kind != Kind::Estimate
            || !c.name.contains('%')
            || lexicon.header_kind(&c.name.replace('%', " ")) == Some(Kind::Estimate)
        {
            continue;
        }
        let col = c.col;
        let mut any = false;
        let shares = table
            .rows
            .iter()
            .all(|r| match r.cell(col).map(|x| &x.value) {
                Some(Value::Number(n)) => {
                    any = true;
                    (0.0..=100.0).contains(&n.value)
                }
                None | Some(Value::Empty) | Some(Value::Suppressed(_)) => true,
                _ => false,
            });
        if shares && any {
            table.columns[i].kind = Kind::Percent;
        }
    }
}

/// A column headed by a code word alone (`Code`, `Kode`, `Koodi`, `Kod`) over whole numbers
/// holds category codes, wherever it stands (`År;Kode;Beskrivelse;Antal`).
pub(super) fn code_columns(table: &mut Table, lexicon: &Lexicon) {
    for i in 0..table.columns.len() {
        let name = table.columns[i].name.trim().to_lowercase();
        if !lexicon.code_columns.contains(&name) || table.columns[i].kind == Kind::Label {
            continue;
        }
        let col = table.columns[i].col;
        let mut any = false;
        let all_codes = table
            .rows
            .iter()
            .all(|r| match r.cell(col).map(|c| &c.value) {
                None | Some(Value::Empty) => true,
                Some(Value::Number(n)) => {
                    any = true;
                    n.as_integer().is_some_and(|v| v >= 0)
                }
                Some(Value::Label) => true,
                _ => false,
            });
        if all_codes && any {
            table.columns[i].kind = Kind::Label;
        }
    }
}

/// A group name printed over a pair of columns (`North`, `North`), the first holding whole
/// numbers and the second numbers with decimals from 0 to 100: the group's count and its share.
pub(super) fn pair_counts_with_shares(table: &mut Table) {
    let column_of = |table: &Table, col: u32| -> (usize, usize, usize) {
        // (whole or hidden, shares, other) among the non-empty body cells of the column.
        let mut whole = 0;
        let mut shares = 0;
        let mut other = 0;
        for row in &table.rows {
            let Some(cell) = row.cell(col) else {
                continue;
            };
            match &cell.value {
                Value::Empty => {}
                Value::Suppressed(_) => {
                    whole += 1;
                    shares += 1;
                }
                Value::Number(n) if n.as_integer().is_some_and(|v| v >= 0) => {
                    whole += 1;
                    if n.value <= 100.0 {
                        shares += 1;
                    }
                }
                Value::Number(n) if (0.0..=100.0).contains(&n.value) => shares += 1,
                _ => other += 1,
            }
        }
        (whole, shares, other)
    };
    let n = table.columns.len();
    let mut i = 0;
    while i + 1 < n {
        let (a, b) = (&table.columns[i], &table.columns[i + 1]);
        let paired = !a.name.trim().is_empty()
            && a.name.trim() == b.name.trim()
            && b.col == a.col + 1
            && !matches!(a.kind, Kind::Label)
            && !matches!(b.kind, Kind::Label);
        if paired {
            let (wa, _, oa) = column_of(table, a.col);
            let (wb, sb, ob) = column_of(table, b.col);
            let rows = table.rows.len();
            let b_has_decimals = table.rows.iter().any(|r| {
                r.cell(b.col).is_some_and(
                    |c| matches!(&c.value, Value::Number(x) if x.decimals > 0 || x.percent),
                )
            });
            if oa == 0 && ob == 0 && wa > 0 && sb > 0 && b_has_decimals && wa <= rows && sb >= wb {
                table.columns[i].kind = Kind::Count;
                table.columns[i + 1].kind = Kind::Percent;
                i += 2;
                continue;
            }
        }
        i += 1;
    }
}

/// Give a table without columns one column per column number, named by its header rows.
pub(super) fn ensure_columns(table: &mut Table) {
    if !table.columns.is_empty() {
        return;
    }
    let max_col = table
        .header
        .iter()
        .flatten()
        .chain(table.rows.iter().flat_map(|r| r.cells.iter()))
        .map(|c| c.col)
        .max()
        .unwrap_or(0);
    table.columns = (1..=max_col)
        .map(|col| {
            let parts: Vec<&str> = table
                .header
                .iter()
                .filter_map(|h| h.iter().find(|c| c.col == col))
                .map(|c| c.text.trim())
                .filter(|t| !t.is_empty())
                .collect();
            Column {
                col,
                name: parts.join(" / "),
                kind: Kind::Unknown,
            }
        })
        .collect();
}
