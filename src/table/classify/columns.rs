//! Corrections of column kinds once every column has one, from what neighbouring columns and
//! headers show: `%` headers over percentages, code columns, count/share column pairs; and the
//! columns of a table read without any.

use crate::model::{Column, Kind, Table, Value};

use super::{tokens, Lexicon};

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

/// A column headed by a code word alone (`Code`, `Kode`, `Koodi`, `Kod`), or by one and a number
/// (`Grouping_6`), over whole numbers holds category codes, wherever it stands
/// (`År;Kode;Beskrivelse;Antal`, `code,term,Grouping_6`).
pub(super) fn code_columns(table: &mut Table, lexicon: &Lexicon) {
    for i in 0..table.columns.len() {
        let name = table.columns[i].name.trim().to_lowercase();
        let numbered = || match tokens(&name).as_slice() {
            [word, n] => {
                n.bytes().all(|b| b.is_ascii_digit()) && lexicon.code_columns.contains(word)
            }
            _ => false,
        };
        if !(lexicon.code_columns.contains(&name) || numbered())
            || table.columns[i].kind == Kind::Label
        {
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

/// Fewest values of an axis named by its header, and of an unnamed one.
const AXIS_NAMED_MIN: usize = 5;
const AXIS_UNNAMED_MIN: usize = 20;

/// A column of whole numbers that run in constant steps is an axis, not counts: the days or
/// weeks of a curve (`time` 0, 1, 2, … once per group), a sequence number. Values restart at
/// each group (a value not above the one before begins a run); every run holds three values or
/// more and grows by one step, a named axis skipping a whole number of steps now and then. A header that names an axis (`[vocabulary]
/// axis_column`, or a label word such as `week`) needs five values; without one it takes
/// twenty in one run from 0 or 1 with step 1 (a row index). A header that names a measure
/// (`n`, `deaths`) keeps the column a count. A cumulative count
/// does not grow by one constant step, so it stays a count; a column with a suppressed cell
/// stays a count.
pub(super) fn axis_columns(table: &mut Table, lexicon: &Lexicon) {
    for i in 0..table.columns.len() {
        if table.columns[i].kind != Kind::Count {
            continue;
        }
        let Some(values) = whole_numbers(table, table.columns[i].col) else {
            continue;
        };
        let name = &table.columns[i].name;
        let header = lexicon.header_kind(name);
        if names_measure(header) {
            // A header that names a measure (`n`, `deaths`) keeps its column a count.
            continue;
        }
        let named = tokens(name).iter().any(|t| lexicon.axis_words.contains(t))
            || header == Some(Kind::Label);
        if is_axis(&values, named) {
            table.columns[i].kind = Kind::Label;
        }
    }
}

/// Whether values run in constant steps (see [`axis_columns`]).
fn is_axis(values: &[i64], named: bool) -> bool {
    if values.len()
        < if named {
            AXIS_NAMED_MIN
        } else {
            AXIS_UNNAMED_MIN
        }
    {
        return false;
    }
    let mut runs: Vec<&[i64]> = Vec::new();
    let mut start = 0;
    for k in 1..values.len() {
        if values[k] <= values[k - 1] {
            runs.push(&values[start..k]);
            start = k;
        }
    }
    runs.push(&values[start..]);
    let step = match values.get(1).map(|v| v - values[0]) {
        Some(s) if s >= 1 => s,
        _ => return false,
    };
    // A named axis may skip steps (the days without an event on a curve), each gap a whole
    // number of steps, as long as nine steps in ten are single ones.
    let (mut single, mut all) = (0usize, 0usize);
    for w in runs.iter().flat_map(|run| run.windows(2)) {
        let d = w[1] - w[0];
        if d % step != 0 || (!named && d != step) {
            return false;
        }
        all += 1;
        single += usize::from(d == step);
    }
    10 * single >= 9 * all
        && runs
            .iter()
            .all(|run| run.len() >= 3 && (named || (step == 1 && (run[0] == 0 || run[0] == 1))))
        && (named || runs.len() == 1)
}

/// Whole numbers that, with the label columns, tell the rows apart are levels of a
/// cross-classification (`agetype;ageval;ethval;estimate`: age and ethnic group codes keying one
/// estimate each; `care_home_type;date;had_smr`: a 0/1 indicator and a month keying a measure),
/// not counts. While the label columns so far leave rows that share every label, a column of
/// whole numbers joins the key if its header names no measure and its values repeat (at most
/// half of them distinct): any such column left of the last label column (a long table puts its
/// keys first), then those that follow the labels in an unbroken run. The columns join only if
/// the key they complete tells every row apart: a column of counts adds nothing to a stub that
/// already does (`Characteristic;Exposed;Unexposed`), and counts that happen to repeat seldom
/// complete a key. A row index (`0…n−1` or `1…n` under an empty header, as pandas and R print
/// it) tells rows apart by position only, so it is no part of the key. Rows whose key cells are
/// all empty are left out.
pub(super) fn key_columns(table: &mut Table, lexicon: &Lexicon) {
    let mut order: Vec<usize> = (0..table.columns.len()).collect();
    order.sort_by_key(|&i| table.columns[i].col);
    let mut key: Vec<u32> = order
        .iter()
        .map(|&i| &table.columns[i])
        .filter(|c| c.kind == Kind::Label && !row_index(table, c))
        .map(|c| c.col)
        .collect();
    let Some(&last_label) = key.last() else {
        return;
    };
    let mut joined: Vec<usize> = Vec::new();
    for &i in &order {
        if tells_rows_apart(table, &key) {
            break;
        }
        let c = &table.columns[i];
        if c.kind == Kind::Label {
            continue;
        }
        let measure = names_measure(lexicon.header_kind(&c.name));
        let level = c.kind == Kind::Count && !measure && repeating_levels(table, c.col);
        if level {
            key.push(c.col);
            joined.push(i);
        } else if c.col > last_label {
            break;
        }
    }
    if !joined.is_empty() && tells_rows_apart(table, &key) {
        for i in joined {
            table.columns[i].kind = Kind::Label;
        }
    }
}

/// Whether a column is a row index: an empty header over `0…n−1` or `1…n` in row order.
fn row_index(table: &Table, column: &crate::model::Column) -> bool {
    if !column.name.trim().is_empty() {
        return false;
    }
    let Some(values) = whole_numbers(table, column.col) else {
        return false;
    };
    let start = values.first().copied().unwrap_or(-1);
    values.len() >= 2
        && (start == 0 || start == 1)
        && values.iter().zip(start..).all(|(&v, i)| v == i)
}

/// Most columns of estimates a model-output table shows beside its stub for [`model_levels`].
const MODEL_ESTIMATES: usize = 2;

/// In a model-output table, a column of whole numbers without a header right after the stub
/// holds the levels of the stub's variables (`agegroup  2  0.32 (0.28-0.38) …`, the reference
/// level printed `1.00 (ref)`), not counts. The table is model output when every filled cell
/// outside that column is a word, an estimate with its interval (`1.21 (0.98-1.50)`,
/// `0.8 [0.6, 1.1]`) or a reference marker, and two columns or more hold intervals (records
/// wrapped over two lines put some in the stub's column). A mean with its SD (`45.2 (3.1)`) is
/// no such evidence, as a count of persons stands beside it in a descriptive table; a column
/// with a header keeps its kind.
pub(super) fn model_levels(table: &mut Table) {
    let mut order: Vec<usize> = (0..table.columns.len()).collect();
    order.sort_by_key(|&i| table.columns[i].col);
    let Some(pos) = order
        .iter()
        .position(|&i| table.columns[i].kind == Kind::Count)
    else {
        return;
    };
    let candidate = order[pos];
    let c = &table.columns[candidate];
    if pos == 0 || !c.name.trim().is_empty() {
        return;
    }
    let Some(values) = whole_numbers(table, c.col) else {
        return;
    };
    if values.is_empty() || values.iter().any(|&v| !(0..100).contains(&v)) {
        return;
    }
    let stub_has_words = table
        .rows
        .iter()
        .filter_map(|r| r.cell(table.columns[order[pos - 1]].col))
        .any(|cell| matches!(cell.value, Value::Label) && !cell.text.trim().is_empty());
    let mut with_intervals = 0;
    for &i in order.iter().filter(|&&i| i != candidate) {
        match model_cells(table, table.columns[i].col) {
            Some(intervals) => with_intervals += usize::from(intervals > 0),
            None => return,
        }
    }
    if stub_has_words && with_intervals >= MODEL_ESTIMATES {
        table.columns[candidate].kind = Kind::Label;
    }
}

/// The number of estimates with an interval in a column whose every filled cell is a word, such
/// an estimate or a reference marker (`1.00 (ref)`); `None` when a cell is anything else.
fn model_cells(table: &Table, col: u32) -> Option<usize> {
    let mut intervals = 0;
    for cell in table.rows.iter().filter_map(|r| r.cell(col)) {
        let text = cell.text.trim();
        if text.is_empty() || matches!(cell.value, Value::Label) {
            continue;
        }
        let reference = text.to_ascii_lowercase().contains("(ref");
        let interval = matches!(cell.value, Value::Estimate { .. })
            && text.split_once(['(', '[']).is_some_and(|(_, inside)| {
                inside.contains(['-', '\u{2013}', ',']) || inside.contains(" to ")
            });
        if !(reference || interval) {
            return None;
        }
        intervals += usize::from(interval);
    }
    Some(intervals)
}

/// Whether no two rows (with any key cell filled) show the same texts in the `key` columns.
fn tells_rows_apart(table: &Table, key: &[u32]) -> bool {
    let mut seen = std::collections::HashSet::new();
    for row in &table.rows {
        let texts: Vec<&str> = key
            .iter()
            .map(|&col| row.cell(col).map_or("", |c| c.text.trim()))
            .collect();
        if texts.iter().all(|t| t.is_empty()) {
            continue;
        }
        if !seen.insert(texts) {
            return false;
        }
    }
    true
}

/// Whether a column holds non-negative whole numbers (four or more), at most half of them
/// distinct.
fn repeating_levels(table: &Table, col: u32) -> bool {
    let Some(mut values) = whole_numbers(table, col).filter(|v| v.iter().all(|&x| x >= 0)) else {
        return false;
    };
    let n = values.len();
    values.sort_unstable();
    values.dedup();
    n >= 4 && 2 * values.len() <= n
}

/// The whole numbers of a column in row order, `None` when a filled cell holds anything else.
fn whole_numbers(table: &Table, col: u32) -> Option<Vec<i64>> {
    let mut values = Vec::new();
    for row in &table.rows {
        match row.cell(col).map(|c| &c.value) {
            None | Some(Value::Empty) => {}
            Some(Value::Number(n)) if !n.percent => values.push(n.as_integer()?),
            _ => return None,
        }
    }
    Some(values)
}

/// Whether a header's kind names a measure (a count, share, rate, estimate or extreme).
fn names_measure(header: Option<Kind>) -> bool {
    matches!(
        header,
        Some(Kind::Count | Kind::Percent | Kind::Rate | Kind::Estimate | Kind::Extreme)
    )
}

/// Fewest sibling columns that make a percentage distribution across a row.
const DISTRIBUTION_MIN: usize = 3;

/// Adjacent columns that share a header stem (`test_0`, `test_1`, `test_2`, `test_3+`) and add
/// up to 100 across four rows in five or more are one percentage distribution: each row is a
/// group's split over the categories. Whole numbers there are percentages, not counts.
/// Each cell may be off by half a unit, so a row may miss 100 by half a unit per column (at
/// least 1); a row with an empty or suppressed cell is not counted either way.
pub(super) fn percent_distributions(table: &mut Table) {
    let mut order: Vec<usize> = (0..table.columns.len()).collect();
    order.sort_by_key(|&i| table.columns[i].col);
    let mut start = 0;
    while start < order.len() {
        let stem = header_stem(&table.columns[order[start]].name);
        let mut end = start + 1;
        while end < order.len()
            && stem.is_some()
            && header_stem(&table.columns[order[end]].name) == stem
            && table.columns[order[end]].col == table.columns[order[end - 1]].col + 1
        {
            end += 1;
        }
        let run: Vec<usize> = order[start..end].to_vec();
        if run.len() >= DISTRIBUTION_MIN
            && run.iter().all(|&i| table.columns[i].kind == Kind::Count)
            && adds_up_to_100(table, &run)
        {
            for i in run {
                table.columns[i].kind = Kind::Percent;
            }
        }
        start = end;
    }
}

/// A header without its last part after `_`, `.` or a space when that part is a category
/// number (`test_0`, `test_3+`, `visits 2`); `None` for other headers.
fn header_stem(name: &str) -> Option<String> {
    let name = name.trim();
    let cut = name.rfind(['_', '.', ' '])?;
    let last = name[cut + 1..].trim_end_matches('+');
    (cut > 0 && !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        .then(|| name[..cut].to_lowercase())
}

/// Whether the columns add up to 100 in four rows in five (rows with every cell a number).
fn adds_up_to_100(table: &Table, run: &[usize]) -> bool {
    let cols: Vec<u32> = run.iter().map(|&i| table.columns[i].col).collect();
    let slack = (0.5 * cols.len() as f64).max(1.0);
    let (mut rows, mut hundred) = (0, 0);
    for row in &table.rows {
        let values: Option<Vec<f64>> = cols
            .iter()
            .map(|&c| match row.cell(c).map(|x| &x.value) {
                Some(Value::Number(n)) if !n.percent && n.value >= 0.0 => Some(n.value),
                _ => None,
            })
            .collect();
        let Some(values) = values else { continue };
        rows += 1;
        if (values.iter().sum::<f64>() - 100.0).abs() <= slack {
            hundred += 1;
        }
    }
    rows >= 2 && 5 * hundred >= 4 * rows
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

#[cfg(test)]
mod tests {
    use super::is_axis;

    #[test]
    fn an_axis_runs_in_constant_steps_per_group() {
        let days: Vec<i64> = (0..6).chain(0..6).collect();
        assert!(is_axis(&days, true));
        assert!(is_axis(&[1, 8, 15, 22, 29], true));
        // A cumulative count grows unevenly; a short run is no evidence.
        assert!(!is_axis(&[1, 3, 4, 8, 12, 13], true));
        assert!(!is_axis(&[0, 1, 2, 3, 0, 1], true));
        assert!(!is_axis(&[0, 1, 2, 3], true));
        // Unnamed: twenty values or more in one run from 0 or 1 in steps of 1.
        let index: Vec<i64> = (1..=20).collect();
        let cycling: Vec<i64> = (0..40).map(|k| 1 + k % 4).collect();
        assert!(!is_axis(&cycling, false));
        assert!(is_axis(&index, false));
        assert!(!is_axis(&index[..19], false));
        let weeks: Vec<i64> = (0..20).map(|k| 5 + 7 * k).collect();
        assert!(!is_axis(&weeks, false));
        assert!(is_axis(&weeks, true));
        // Days without an event are left out of a curve: a few gaps of whole steps.
        let curve: Vec<i64> = (0..40).filter(|d| d % 17 != 16).collect();
        assert!(is_axis(&curve, true));
        assert!(!is_axis(&curve, false));
        let sparse: Vec<i64> = (0..40).filter(|d| d % 3 != 2).collect();
        assert!(!is_axis(&sparse, true));
    }
}

#[cfg(test)]
mod distribution_tests {
    use super::header_stem;

    #[test]
    fn stems_of_numbered_categories() {
        assert_eq!(header_stem("test_0").as_deref(), Some("test"));
        assert_eq!(header_stem("test_3+").as_deref(), Some("test"));
        assert_eq!(header_stem("Visits 2").as_deref(), Some("visits"));
        assert_eq!(header_stem("Deaths"), None);
        assert_eq!(header_stem("age_band"), None);
    }
}
