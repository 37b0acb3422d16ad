//! Parsing one cell's text into a [`Value`](crate::model::Value).
//!
//! Parsing knows nothing of thresholds or of the column a cell stands in: it says what the text
//! *looks like* (a number, a suppression marker, `n (%)`, an estimate with an interval, a range,
//! a period, an age band, words). Whether a number is a count is decided by
//! [`classify`](super::classify).
//!
//! The order of the checks matters and is fixed in [`CellParser::parse`]:
//! empty → dash-as-zero → bounded markers (`<5`) → bare markers (`x`, `..`) → plain number →
//! band (`65+`, `≥18`) → date (label) → period (`2015-2019`) → `±` → `a (b)` / `a [b]` →
//! fraction → range → label.

use std::sync::LazyLock;

use regex::Regex;

use crate::config::Rules;
use crate::model::{Number, Suppressed, Value};
use crate::table::interval::{is_band, split_interval, BandPhrases};
pub(crate) use crate::table::number::parse_number;
pub use crate::table::number::{infer_style, NumberStyle};
use crate::table::number::{DATE, MAX_NUMERIC_LEN};

/// Parses cell texts with the suppression markers of the rules in force. Build once per run.
#[derive(Debug, Clone)]
pub struct CellParser {
    /// Bare markers `(lower-cased, as listed)`.
    markers: Vec<(String, String)>,
    /// Longest listed marker in bytes, to skip the marker lookup for long texts.
    max_marker_len: usize,
    dash_means_zero: bool,
    /// Bands and intervals written in words (`[vocabulary]`).
    bands: BandPhrases,
}

static BOUNDED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i)(n\s*)?(<=|=<|≤|⩽|<)\s*(\S.*)$").expect("regex"));
static PERIOD_SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})\s*[-–—/]\s*(\d{4}|\d{2})$").expect("regex"));
static PERIOD_SUB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)(\d{4})\s*[-_ ]?\s*(q|k|m|w|h|t|v|kv|uge|week)\s*-?(\d{1,2})$")
        .expect("regex")
});
static PERIOD_SUB_FIRST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i)(q|k|kv|h|t)\s*(\d)\s*[-/ ]?\s*(\d{4})$").expect("regex"));

/// Which of a header row's texts are letters naming columns: single letters that stand next to
/// the letter before or after them in the alphabet (`A;B;C;D;E`, `E,F,G`). Such a letter is a
/// name, not the statistic word it may also be (`B`, `F`, `P`, `T`, `Z`) nor a suppression marker
/// (`C`, `S`, `X`); a letter alone (`B;SE;t;p`) keeps its meaning.
pub fn letter_names(texts: &[&str]) -> Vec<bool> {
    let letter = |t: &str| -> Option<char> {
        let mut cs = t.trim().chars();
        let c = cs.next()?;
        (cs.next().is_none() && c.is_ascii_alphabetic()).then(|| c.to_ascii_uppercase())
    };
    let letters: Vec<Option<char>> = texts.iter().map(|t| letter(t)).collect();
    let next = |a: Option<char>, b: Option<char>| matches!((a, b), (Some(a), Some(b)) if (a as u8) + 1 == b as u8);
    (0..letters.len())
        .map(|i| {
            (i > 0 && next(letters[i - 1], letters[i]))
                || letters.get(i + 1).is_some_and(|&b| next(letters[i], b))
        })
        .collect()
}

/// A count hidden behind words (`alle 5`, `under 5`, `færre end 5`, `fewer than 10`): read as a
/// band by the parser (`under 18` is an age group), it is a suppression marker in a column of
/// counts. The bound must look like a threshold (2 to 20).
pub fn word_bounded(text: &str, parser: &CellParser) -> Option<Value> {
    let k = parser.bands.count_below(text.trim())?;
    (2..=20).contains(&k).then(|| {
        Value::Suppressed(Suppressed {
            marker: format!("<{k}"),
            low: Some(0),
            high: Some(k - 1),
        })
    })
}

impl CellParser {
    pub fn new(rules: &Rules) -> Self {
        let markers: Vec<(String, String)> = rules
            .suppression
            .markers
            .iter()
            .map(|m| m.trim())
            .filter(|m| !m.is_empty())
            .map(|m| (m.to_lowercase(), m.to_string()))
            .collect();
        let max_marker_len = markers
            .iter()
            .map(|(l, o)| l.len().max(o.len()))
            .max()
            .unwrap_or(0);
        CellParser {
            markers,
            max_marker_len,
            dash_means_zero: rules.suppression.dash_means_zero,
            bands: BandPhrases::new(&rules.vocabulary),
        }
    }

    /// Parse trimmed cell text. `style` says how to read an ambiguous `1,234` / `1.234`.
    pub fn parse(&self, text: &str, style: NumberStyle) -> Value {
        let t = text.trim();
        if t.is_empty() {
            return Value::Empty;
        }
        if self.dash_means_zero && matches!(t, "-" | "–" | "—" | "−") {
            return Value::Number(Number {
                value: 0.0,
                decimals: 0,
                percent: false,
            });
        }
        // Fast path: plain whole numbers are most cells of most tables.
        if t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(v) = t.parse::<u64>() {
                return Value::Number(Number {
                    value: v as f64,
                    decimals: 0,
                    percent: false,
                });
            }
        }
        if t.len() > MAX_NUMERIC_LEN {
            return match self.bare_marker(t) {
                Some(v) => v,
                None => Value::Label,
            };
        }
        if let Some(v) = self.bounded(t, style) {
            return v;
        }
        // A listed marker never starts with a digit; skip the lookup for numbers.
        if !t.as_bytes()[0].is_ascii_digit() {
            if let Some(v) = self.bare_marker(t) {
                return v;
            }
        }
        if !t.bytes().any(|b| b.is_ascii_digit()) {
            return Value::Label;
        }
        if let Some(n) = parse_number(t, style) {
            return Value::Number(n);
        }
        if is_band(t, style, &self.bands) {
            return Value::Band;
        }
        if DATE.is_match(t) {
            return Value::Label;
        }
        if is_period(t) {
            return Value::Year;
        }
        if let Some(v) = plus_minus(t, style) {
            return v;
        }
        if let Some(v) = self.bracketed(t, style) {
            return v;
        }
        if let Some(v) = fraction(t, style) {
            return v;
        }
        if let Some((low, high)) = split_interval(t, style, false, &self.bands) {
            if low.value <= high.value {
                return Value::Range {
                    low: low.value,
                    high: high.value,
                };
            }
        }
        Value::Label
    }

    /// `<5`, `n<5`, `≤ 5`, `<=5`, `=<5`: a suppression marker with bounds. A bound that is not a
    /// whole number (`<0.001`, `<5%`) is a band, not a hidden count.
    fn bounded(&self, t: &str, style: NumberStyle) -> Option<Value> {
        if !t.contains(['<', '≤', '⩽']) {
            return None;
        }
        let caps = BOUNDED.captures(t)?;
        let n_prefix = caps.get(1).is_some();
        let op = caps.get(2)?.as_str();
        let num = parse_number(caps.get(3)?.as_str(), style)?;
        let inclusive = op != "<";
        let k = match num.as_integer() {
            Some(k) => k,
            None => return Some(Value::Band),
        };
        let high = if inclusive { k } else { k - 1 };
        if high < 0 {
            return Some(Value::Band);
        }
        let canonical = format!(
            "{}{}{}",
            if n_prefix { "n" } else { "" },
            if inclusive { "≤" } else { "<" },
            k
        );
        let norm = normalize_marker(t);
        let marker = self
            .markers
            .iter()
            .find(|(lower, _)| normalize_marker(lower) == norm)
            .map(|(_, listed)| listed.clone())
            .unwrap_or(canonical);
        Some(Value::Suppressed(Suppressed {
            marker,
            low: Some(0),
            high: Some(high),
        }))
    }

    /// A listed bare marker (`x`, `..`, `[REDACTED]`), matched case-insensitively on the whole
    /// text; an exact-case listing wins over another case.
    fn bare_marker(&self, t: &str) -> Option<Value> {
        if t.len() > self.max_marker_len.saturating_mul(2) {
            return None;
        }
        let listed = if let Some((_, o)) = self.markers.iter().find(|(_, o)| o == t) {
            o.clone()
        } else if t.is_ascii() {
            self.markers
                .iter()
                .find(|(_, o)| o.eq_ignore_ascii_case(t))?
                .1
                .clone()
        } else {
            let lower = t.to_lowercase();
            self.markers.iter().find(|(l, _)| *l == lower)?.1.clone()
        };
        Some(Value::Suppressed(Suppressed {
            marker: listed,
            low: None,
            high: None,
        }))
    }

    /// `12 (3.4%)`, `<5 (2.2%)`, `12.3 (4.5)`, `1.21 (0.98-1.50)`, `34 [28; 41]`.
    fn bracketed(&self, t: &str, style: NumberStyle) -> Option<Value> {
        let close = t.chars().last()?;
        let open_ch = match close {
            ')' => '(',
            ']' => '[',
            _ => return None,
        };
        let open = t.rfind(open_ch)?;
        let left = t[..open].trim();
        let inner = t[open + open_ch.len_utf8()..t.len() - close.len_utf8()].trim();
        if left.is_empty() || inner.is_empty() || inner.contains(['(', ')', '[', ']']) {
            return None;
        }
        let first = if let Some(n) = parse_number(left, style) {
            Value::Number(n)
        } else if let Some(v @ Value::Suppressed(_)) = self.bounded(left, style) {
            v
        } else {
            self.bare_marker(left)?
        };
        if let Some(share) = parse_number(inner, style) {
            let share_ok = (0.0..=100.0).contains(&share.value);
            return match first {
                Value::Suppressed(_) if share_ok => Some(Value::CountShare {
                    count: Box::new(first),
                    share,
                }),
                Value::Number(n)
                    if share_ok
                        && n.value >= 0.0
                        && (n.as_integer().is_some()
                            || (!n.percent && n.value.fract() == 0.0 && left.ends_with(".0"))) =>
                {
                    Some(Value::CountShare {
                        count: Box::new(first),
                        share,
                    })
                }
                Value::Number(n) => Some(Value::Estimate { value: n }),
                _ => None,
            };
        }
        // `- (-)`, `x (x)`: a hidden count with its hidden share.
        if matches!(first, Value::Suppressed(_)) && self.bare_marker(inner).is_some() {
            return Some(first);
        }
        if split_interval(inner, style, true, &self.bands).is_some() {
            if let Value::Number(n) = first {
                return Some(Value::Estimate { value: n });
            }
        }
        None
    }
}

/// Lower-case and drop whitespace, so `N < 5` and `n<5` compare equal.
fn normalize_marker(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .map(|c| if c == '⩽' { '≤' } else { c })
        .collect::<String>()
        .replace("<=", "≤")
        .replace("=<", "≤")
}

/// `2015-2019`, `2015/16`, `2019-03`, `2019Q1`, `2019M03`, `Q1 2019`.
fn is_period(t: &str) -> bool {
    let year = |s: &str| s.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y));
    if let Some(c) = PERIOD_SPAN.captures(t) {
        let a = &c[1];
        let b = &c[2];
        if !year(a) {
            return false;
        }
        return if b.len() == 4 {
            year(b) && b >= a
        } else {
            true
        };
    }
    if let Some(c) = PERIOD_SUB.captures(t) {
        return year(&c[1]) && c[3].parse::<u32>().is_ok_and(|k| (1..=53).contains(&k));
    }
    if let Some(c) = PERIOD_SUB_FIRST.captures(t) {
        return year(&c[3]);
    }
    false
}

/// `12.3 ± 4.5`, `12.3 +/- 4.5`.
fn plus_minus(t: &str, style: NumberStyle) -> Option<Value> {
    for sep in ["±", "+/-", "+-"] {
        if let Some((a, b)) = t.split_once(sep) {
            let value = parse_number(a, style)?;
            parse_number(b, style)?;
            return Some(Value::Estimate { value });
        }
    }
    None
}

/// `3/45`, `3 / 45`: two whole numbers, the denominator positive.
fn fraction(t: &str, style: NumberStyle) -> Option<Value> {
    let (a, b) = t.split_once('/')?;
    let numerator = parse_number(a, style)?.as_integer()?;
    let denominator = parse_number(b, style)?.as_integer()?;
    if numerator < 0 || denominator <= 0 {
        return Some(Value::Label);
    }
    Some(Value::Fraction {
        numerator,
        denominator,
    })
}

#[cfg(test)]
mod letter_tests {
    use super::letter_names;

    #[test]
    fn letters_in_sequence_name_columns() {
        assert_eq!(
            letter_names(&["Kommune", "A", "B", "C", "I alt"]),
            [false, true, true, true, false]
        );
        assert_eq!(letter_names(&["Term", "B", "SE", "t", "p"]), [false; 5]);
        assert_eq!(
            letter_names(&["", "E", "F", "G"]),
            [false, true, true, true]
        );
        assert_eq!(
            letter_names(&["Region", "C", "D", "Total"]),
            [false, true, true, false]
        );
        assert_eq!(letter_names(&["x", "s"]), [false, false]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use NumberStyle::{DecimalComma as C, DecimalPoint as P};

    fn parser() -> CellParser {
        CellParser::new(&Rules::default_rules())
    }

    fn num(value: f64, decimals: u8, percent: bool) -> Value {
        Value::Number(Number {
            value,
            decimals,
            percent,
        })
    }

    fn n(value: f64, decimals: u8, percent: bool) -> Number {
        Number {
            value,
            decimals,
            percent,
        }
    }

    fn sup(marker: &str, low: Option<i64>, high: Option<i64>) -> Value {
        Value::Suppressed(Suppressed {
            marker: marker.into(),
            low,
            high,
        })
    }

    #[track_caller]
    fn check(text: &str, style: NumberStyle, want: Value) {
        assert_eq!(parser().parse(text, style), want, "{text:?} {style:?}");
    }

    #[test]
    fn empty_and_words() {
        check("", P, Value::Empty);
        check("   \u{a0} ", P, Value::Empty);
        check("Copenhagen", P, Value::Label);
        check("Women", P, Value::Label);
        check("NA", P, Value::Label);
        check("NaN", P, Value::Label);
        check("null", P, Value::Label);
        check("missing", P, Value::Label);
    }

    #[test]
    fn plain_numbers() {
        check("17", P, num(17.0, 0, false));
        check("-3", P, num(-3.0, 0, false));
        check("−3", P, num(-3.0, 0, false));
        check("+4", P, num(4.0, 0, false));
        check("0", P, num(0.0, 0, false));
        check("12.0", P, num(12.0, 1, false));
        check("2019", P, num(2019.0, 0, false));
        check(".5", P, num(0.5, 1, false));
        check("0101", P, num(101.0, 0, false));
    }

    #[test]
    fn thousands_separators() {
        check("1 234", P, num(1234.0, 0, false));
        check("1\u{a0}234", C, num(1234.0, 0, false));
        check("1\u{202f}234\u{202f}567", P, num(1234567.0, 0, false));
        check("1.234", C, num(1234.0, 0, false));
        check("1.234", P, num(1.234, 3, false));
        check("1,234", P, num(1234.0, 0, false));
        check("1,234", C, num(1.234, 3, false));
        check("1,234,567", C, num(1234567.0, 0, false));
        check("1.234.567", P, num(1234567.0, 0, false));
        check("1'234", P, num(1234.0, 0, false));
        check("1’234.5", P, num(1234.5, 1, false));
        check("1 234,5", P, num(1234.5, 1, false));
        // Groups of other than three digits are not thousands.
        check("12 34", P, Value::Label);
        check("1,23,456", P, Value::Label);
    }

    #[test]
    fn decimals_and_percent() {
        check("12,5", P, num(12.5, 1, false));
        check("12,5", C, num(12.5, 1, false));
        check("0,25", P, num(0.25, 2, false));
        check("1.234,5", P, num(1234.5, 1, false));
        check("1,234.5", C, num(1234.5, 1, false));
        check("4.3%", P, num(4.3, 1, true));
        check("4,3 %", P, num(4.3, 1, true));
        check("4,3\u{a0}%", C, num(4.3, 1, true));
        check("12%", P, num(12.0, 0, true));
    }

    #[test]
    fn scientific() {
        assert_eq!(parser().parse("1e-5", P), num(1e-5, 5, false));
        match parser().parse("2.3E+04", P) {
            Value::Number(x) => assert!((x.value - 23000.0).abs() < 1e-9),
            v => panic!("{v:?}"),
        }
        check("1.5e-3", P, num(1.5e-3, 4, false));
    }

    #[test]
    fn units_and_currency_are_labels() {
        for t in [
            "$12",
            "12 kr",
            "12 EUR",
            "€ 5",
            "12 kg",
            "DKK 1.000",
            "12 mg/l",
            "(3)",
        ] {
            check(t, P, Value::Label);
        }
    }

    #[test]
    fn bounded_markers() {
        check("<5", P, sup("<5", Some(0), Some(4)));
        check("< 5", P, sup("<5", Some(0), Some(4)));
        check("n<5", P, sup("n<5", Some(0), Some(4)));
        check("N<5", P, sup("n<5", Some(0), Some(4)));
        check("n < 10", P, sup("n<10", Some(0), Some(9)));
        check("≤5", P, sup("≤5", Some(0), Some(5)));
        check("<=5", P, sup("≤5", Some(0), Some(5)));
        check("=<3", P, sup("≤3", Some(0), Some(3)));
        check("<1", P, sup("<1", Some(0), Some(0)));
        // Bounds that are not whole numbers are bands (p-values, small shares).
        check("<0.001", P, Value::Band);
        check("<5%", P, Value::Band);
    }

    #[test]
    fn bounded_markers_use_the_listed_spelling() {
        let dk = CellParser::new(&Rules::load("dk", None, None).unwrap());
        assert_eq!(dk.parse("N < 5", P), sup("n<5", Some(0), Some(4)));
        let be = CellParser::new(&Rules::load("be", None, None).unwrap());
        assert_eq!(be.parse("< 5", P), sup("<5", Some(0), Some(4)));
    }

    #[test]
    fn bare_markers() {
        check("x", P, sup("x", None, None));
        check("X", P, sup("X", None, None));
        check("..", P, sup("..", None, None));
        check(".", P, sup(".", None, None));
        check("[REDACTED]", P, sup("[REDACTED]", None, None));
        check("[redacted]", P, sup("[REDACTED]", None, None));
        check("Suppressed", P, sup("suppressed", None, None));
        check("-", P, sup("-", None, None));
        check("–", P, sup("–", None, None));
        let dk = CellParser::new(&Rules::load("dk", None, None).unwrap());
        assert_eq!(dk.parse("NA", P), sup("NA", None, None));
        assert_eq!(dk.parse("na", P), sup("NA", None, None));
    }

    #[test]
    fn dash_means_zero() {
        let mut rules = Rules::default_rules();
        rules.suppression.dash_means_zero = true;
        let p = CellParser::new(&rules);
        for t in ["-", "–", "—"] {
            assert_eq!(p.parse(t, P), num(0.0, 0, false), "{t}");
        }
        assert_eq!(p.parse("x", P), sup("x", None, None));
    }

    #[test]
    fn count_share() {
        let cs = |count: Value, share: Number| Value::CountShare {
            count: Box::new(count),
            share,
        };
        check("12 (3.4%)", P, cs(num(12.0, 0, false), n(3.4, 1, true)));
        check("12 (3.4)", P, cs(num(12.0, 0, false), n(3.4, 1, false)));
        check("12 (3,4 %)", C, cs(num(12.0, 0, false), n(3.4, 1, true)));
        check("12(3.4)", P, cs(num(12.0, 0, false), n(3.4, 1, false)));
        check(
            "1 234 (56.7%)",
            P,
            cs(num(1234.0, 0, false), n(56.7, 1, true)),
        );
        check(
            "<5 (2.2%)",
            P,
            cs(sup("<5", Some(0), Some(4)), n(2.2, 1, true)),
        );
        check(
            "n<5 (2%)",
            P,
            cs(sup("n<5", Some(0), Some(4)), n(2.0, 0, true)),
        );
        check("x (x)", P, Value::Label);
        // A "share" over 100 is a spread: the cell is an estimate.
        check(
            "12 (150)",
            P,
            Value::Estimate {
                value: n(12.0, 0, false),
            },
        );
    }

    #[test]
    fn estimates() {
        let est = |v: f64, d: u8| Value::Estimate {
            value: n(v, d, false),
        };
        check("12.3 (4.5)", P, est(12.3, 1));
        check("1.21 (0.98-1.50)", P, est(1.21, 2));
        check("1.21 (0.98 to 1.50)", P, est(1.21, 2));
        check("1,21 (0,98–1,50)", C, est(1.21, 2));
        check("1,21 (0,98–1,50)", P, est(1.21, 2));
        check("1.21 (0.98, 1.50)", P, est(1.21, 2));
        check("-0.12 (-0.30 - 0.05)", P, est(-0.12, 2));
        check("34 [28-41]", P, est(34.0, 0));
        check("34 [28; 41]", P, est(34.0, 0));
        check("12 (28-41)", P, est(12.0, 0));
        check("12.3 ± 4.5", P, est(12.3, 1));
        check("12.3±4.5", P, est(12.3, 1));
    }

    #[test]
    fn fractions_and_dates() {
        check(
            "3/45",
            P,
            Value::Fraction {
                numerator: 3,
                denominator: 45,
            },
        );
        check(
            "3 / 45",
            P,
            Value::Fraction {
                numerator: 3,
                denominator: 45,
            },
        );
        check("3/0", P, Value::Label);
        check("12/03/2021", P, Value::Label);
        check("2021-03-12", P, Value::Label);
        check("12.03.2021", P, Value::Label);
        check("12.03.2021", C, Value::Label);
    }

    #[test]
    fn ranges() {
        check(
            "51-72",
            P,
            Value::Range {
                low: 51.0,
                high: 72.0,
            },
        );
        check(
            "51–72",
            P,
            Value::Range {
                low: 51.0,
                high: 72.0,
            },
        );
        check(
            "51 - 72",
            P,
            Value::Range {
                low: 51.0,
                high: 72.0,
            },
        );
        check(
            "0.5-1.2",
            P,
            Value::Range {
                low: 0.5,
                high: 1.2,
            },
        );
        check(
            "0-4",
            P,
            Value::Range {
                low: 0.0,
                high: 4.0,
            },
        );
        check(
            "-5 - -3",
            P,
            Value::Range {
                low: -5.0,
                high: -3.0,
            },
        );
        check("72-51", P, Value::Label);
        check("1-2-3", P, Value::Label);
    }

    #[test]
    fn years_and_periods() {
        check("2015", P, num(2015.0, 0, false));
        for t in [
            "2015-2019",
            "2015–2019",
            "2015/16",
            "2015/2016",
            "2019Q1",
            "2019-03",
            "2019M03",
            "2019 Q4",
            "Q1 2019",
        ] {
            check(t, P, Value::Year);
        }
    }

    #[test]
    fn bands() {
        for t in [
            "65+",
            "85 and over",
            "85 år+",
            "18 ja yli",
            "≥18",
            ">=18",
            "18+",
            "90+ years",
            ">5",
            "65 år og derover",
            "85 ans et plus",
            "under 18",
        ] {
            check(t, P, Value::Band);
        }
    }

    #[test]
    fn never_panics_on_random_text() {
        let p = parser();
        for s in crate::testutil::random_strings(
            "0123456789 .,;:-–—−+%()[]<>=≤≥/'’±eExXnN\u{a0}\u{202f}aåøæ€$#*…\u{0301}🙂\t",
            0x9e37_79b9_7f4a_7c15,
            20_000,
            14,
        ) {
            let _ = p.parse(&s, P);
            let _ = p.parse(&s, C);
            let _ = infer_style([s.as_str()]);
        }
        let long = "1".repeat(10_000);
        assert_eq!(p.parse(&long, P), Value::Label);
    }
}
