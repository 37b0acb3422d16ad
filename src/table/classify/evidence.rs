//! What the values of a column show ([`Evidence`]) and the kind a column gets from its header's
//! kind and that evidence.

use std::collections::HashMap;

use crate::model::{Cell, Kind, Table, Value};

/// Whether a number's decimals are all zeros (`35.0`, `12,00`).
pub(super) fn zero_decimals(text: &str) -> bool {
    let t = text.trim();
    match t.rfind(['.', ',']) {
        Some(i) => {
            let frac = &t[i + 1..];
            !frac.is_empty() && frac.len() <= 2 && frac.bytes().all(|b| b == b'0')
        }
        None => false,
    }
}

/// What the values of one column (over some rows) show.
#[derive(Debug, Default)]
pub(super) struct Evidence {
    pub(super) nonempty: usize,
    /// Words.
    words: usize,
    /// Periods, bands and ranges (label-like).
    labelish: usize,
    /// Whole numbers: `(text, value)`.
    whole: Vec<(String, i64)>,
    /// Of those, how many were written with zero decimals (`35.0`).
    whole_with_zero_decimals: usize,
    decimal: usize,
    percent: usize,
    negative: usize,
    pub(super) suppressed: usize,
    count_share: usize,
    estimate: usize,
    fraction: usize,
    /// The number each cell begins with, in row order (`None` for a label without one, the
    /// name of a group), while every cell is a whole number or a label; `None` once a cell is
    /// neither.
    levels: Option<Vec<Option<i64>>>,
    /// Labels that begin with a number (`1 (least deprived, reference)`).
    number_led: usize,
}

/// Whether values run up or down by one in runs of three or more (`5 4 3 2 1 5 4 3 2 1`).
fn consecutive_runs(values: &[i64]) -> bool {
    let mut run = 1;
    let mut dir = 0;
    for w in values.windows(2) {
        let d = w[1] - w[0];
        if (d == 1 || d == -1) && (dir == 0 || d == dir) {
            run += 1;
            dir = d;
        } else {
            if run < 3 {
                return false;
            }
            run = 1;
            dir = 0;
        }
    }
    run >= 3
}

/// The whole number a label begins with, before a space or a bracket: `5 (most deprived)`.
fn leading_number(text: &str) -> Option<i64> {
    let t = text.trim();
    let end = t.find(|c: char| !c.is_ascii_digit())?;
    let rest = t[end..].trim_start();
    if end == 0 || end > 3 || !(rest.starts_with('(') || rest.starts_with(['-', '–', '='])) {
        return None;
    }
    t[..end].parse().ok()
}

impl Evidence {
    fn add(&mut self, cell: &Cell) {
        if !matches!(cell.value, Value::Empty) {
            let level = match &cell.value {
                Value::Label => Some(leading_number(&cell.text).inspect(|_| self.number_led += 1)),
                Value::Number(n) if !n.percent && n.decimals == 0 => n.as_integer().map(Some),
                _ => None,
            };
            match (level, self.levels.as_mut()) {
                (Some(v), Some(levels)) => levels.push(v),
                (Some(v), None) if self.nonempty == 0 => self.levels = Some(vec![v]),
                _ => self.levels = None,
            }
        }
        match &cell.value {
            Value::Empty => return,
            Value::Label => self.words += 1,
            Value::Year | Value::Band | Value::Range { .. } => self.labelish += 1,
            Value::Number(n) => {
                if n.value < 0.0 {
                    self.negative += 1;
                }
                let sci = cell.text.contains(['e', 'E']);
                if n.percent {
                    self.percent += 1;
                } else if !sci && n.decimals > 0 && zero_decimals(&cell.text) && n.value >= 0.0 {
                    // `35.0`: a whole number written by a tool that stores counts as floats
                    // (pandas, Stata); it is count evidence like `35`.
                    self.whole
                        .push((cell.text.trim().to_string(), n.value as i64));
                    self.whole_with_zero_decimals += 1;
                } else if sci || n.decimals > 0 {
                    self.decimal += 1;
                } else if let Some(k) = n.as_integer() {
                    self.whole.push((cell.text.trim().to_string(), k));
                } else {
                    self.decimal += 1;
                }
            }
            Value::Suppressed(_) => self.suppressed += 1,
            Value::CountShare { .. } => self.count_share += 1,
            Value::Estimate { value } => {
                self.estimate += 1;
                if value.value < 0.0 {
                    self.negative += 1;
                }
            }
            Value::Fraction { .. } => self.fraction += 1,
        }
        self.nonempty += 1;
    }

    fn numeric(&self) -> usize {
        self.whole.len()
            + self.decimal
            + self.percent
            + self.suppressed
            + self.count_share
            + self.estimate
            + self.fraction
    }

    /// Whole numbers that name categories: years (`2015`), codes with leading zeros of fixed
    /// width (`0101`) or of a hierarchy of widths (`01` over `011`, `012`), or the sequence 1..k
    /// (0..k) in the first column.
    fn whole_are_labels(&self, first_column: bool) -> bool {
        if self.whole.is_empty() || self.suppressed > 0 {
            return false;
        }
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        let years = self
            .whole
            .iter()
            .all(|(t, v)| t.len() == 4 && digits(t) && (1900..=2100).contains(v));
        if years {
            return true;
        }
        let width = self.whole[0].0.len();
        let padded = self.whole.iter().all(|(t, _)| t.len() >= 2 && digits(t))
            && self.whole.iter().any(|(t, _)| t.starts_with('0'));
        // A code that begins a longer one is its parent (`01` over `011`): no count is written
        // with a leading zero, and a count column has no such prefixes by design.
        let nested = || {
            let texts: std::collections::BTreeSet<&str> =
                self.whole.iter().map(|(t, _)| t.as_str()).collect();
            texts.iter().any(|t| {
                t.starts_with('0') && texts.range(*t..).nth(1).is_some_and(|u| u.starts_with(*t))
            })
        };
        let codes = padded && (self.whole.iter().all(|(t, _)| t.len() == width) || nested());
        if codes {
            return true;
        }
        if first_column && self.whole.len() >= 2 {
            let start = self.whole[0].1;
            let sequence = (start == 0 || start == 1)
                && self
                    .whole
                    .iter()
                    .enumerate()
                    .all(|(i, (_, v))| *v == start + i as i64);
            if sequence {
                return true;
            }
        }
        false
    }

    /// Whether the column numbers the levels of an ordered category, some of them named
    /// (`5 (most deprived)`, `4`, `3`, `2`, `1 (least deprived)`), under the names of groups
    /// (`White`, then its levels): every cell a label or a whole number, the numbers running
    /// up or down by one in runs of three or more between the names.
    fn numbered_levels(&self) -> bool {
        let Some(levels) = self.levels.as_ref().filter(|_| self.number_led > 0) else {
            return false;
        };
        let mut runs = 0;
        for part in levels.split(Option::is_none) {
            let values: Vec<i64> = part.iter().flatten().copied().collect();
            if values.is_empty() {
                continue;
            }
            if !consecutive_runs(&values) {
                return false;
            }
            runs += 1;
        }
        runs > 0
    }

    /// The kind the values alone say; `None` when there are none.
    fn kind(&self, first_column: bool) -> Option<Kind> {
        if self.nonempty == 0 {
            return None;
        }
        if self.numbered_levels() {
            return Some(Kind::Label);
        }
        let numeric = self.numeric();
        let wordy = self.words + self.labelish;
        if numeric == 0 || wordy > numeric {
            return Some(Kind::Label);
        }
        // `<18` beside `18-64` and `65+` is an age band, not a hidden count.
        if numeric == self.suppressed && self.labelish > 0 {
            return Some(Kind::Label);
        }
        if self.negative > 0 {
            return Some(Kind::Estimate);
        }
        if self.percent > 0 && self.percent >= self.decimal + self.estimate {
            return Some(Kind::Percent);
        }
        if self.decimal + self.estimate > 0 {
            return Some(Kind::Estimate);
        }
        if self.count_share > 0 || self.fraction > 0 {
            return Some(Kind::Count);
        }
        if self.whole_are_labels(first_column) {
            return Some(Kind::Label);
        }
        Some(Kind::Count)
    }
}

/// The kind of a column from its header's kind and its values.
pub(super) fn column_kind(header: Option<Kind>, ev: &Evidence, first_column: bool) -> Kind {
    let values = ev.kind(first_column);
    let numeric = ev.numeric();
    // A column of words holds labels, whatever its header says (`Coefficient` above variable
    // names). Ranges keep a header's kind (`95% CI` over `0.98-1.50`, `Antal` over `1-4`).
    if numeric == 0 && ev.labelish == 0 && ev.words > 0 {
        return Kind::Label;
    }
    match header {
        None => values.unwrap_or(Kind::Unknown),
        Some(Kind::Label) => {
            let wordy = ev.words + ev.labelish;
            if numeric == 0 || wordy >= numeric || first_column || ev.whole_are_labels(first_column)
            {
                return Kind::Label;
            }
            match values {
                Some(Kind::Label) | None => Kind::Label,
                Some(k) => k,
            }
        }
        Some(Kind::Count) => {
            if ev.negative > 0 {
                return Kind::Estimate;
            }
            // `5.0` is a count written as a float only beside other counts: in a column where
            // other values have decimals (`44.2`), every value has one and none is a count.
            let decimals_throughout = ev.whole.len() == ev.whole_with_zero_decimals;
            match values {
                Some(k @ (Kind::Percent | Kind::Estimate))
                    if decimals_throughout && ev.count_share == 0 && ev.suppressed == 0 =>
                {
                    k
                }
                _ => Kind::Count,
            }
        }
        Some(Kind::Percent) => {
            if ev.count_share > 0 && 2 * ev.count_share >= numeric {
                Kind::Count
            } else {
                Kind::Percent
            }
        }
        Some(k) => k,
    }
}

/// Evidence per column over the rows whose kind passes `keep`.
pub(super) fn evidence(
    table: &Table,
    index: &HashMap<u32, usize>,
    keep: impl Fn(Kind) -> bool,
) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = table.columns.iter().map(|_| Evidence::default()).collect();
    for row in table.rows.iter().filter(|r| keep(r.kind)) {
        for cell in &row.cells {
            if let Some(&i) = index.get(&cell.col) {
                ev[i].add(cell);
            }
        }
    }
    ev
}

#[cfg(test)]
mod tests {
    use super::{consecutive_runs, leading_number};

    #[test]
    fn numbered_levels_run_by_one() {
        assert_eq!(leading_number("5 (most deprived)"), Some(5));
        assert_eq!(leading_number("1 - least"), Some(1));
        assert_eq!(leading_number("12 patients"), None);
        assert_eq!(leading_number("2021 (provisional)"), None);
        assert!(consecutive_runs(&[5, 4, 3, 2, 1, 5, 4, 3, 2, 1]));
        assert!(consecutive_runs(&[1, 2, 3]));
        assert!(!consecutive_runs(&[1, 2]));
        assert!(!consecutive_runs(&[3, 4, 6, 7]));
    }
}
