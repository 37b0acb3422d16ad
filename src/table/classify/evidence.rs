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
}

impl Evidence {
    fn add(&mut self, cell: &Cell) {
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

    /// Whole numbers that name categories: years (`2015`), codes of fixed width with leading
    /// zeros (`0101`), or the sequence 1..k (0..k) in the first column.
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
        let codes = width >= 2
            && self
                .whole
                .iter()
                .all(|(t, _)| t.len() == width && digits(t))
            && self.whole.iter().any(|(t, _)| t.starts_with('0'));
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

    /// The kind the values alone say; `None` when there are none.
    fn kind(&self, first_column: bool) -> Option<Kind> {
        if self.nonempty == 0 {
            return None;
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
