//! Plain numbers in cell text (docs/tables.md §2.3): sign, thousands separators, decimal point
//! or comma, exponent and `%`, and the decimal style of a column inferred from its texts.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Number;

/// How an ambiguous `1,234` / `1.234` is read: as a decimal point number (`1,234` = 1234) or a
/// decimal comma number (`1.234` = 1234, `1,234` = 1.234).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    DecimalPoint,
    DecimalComma,
}

/// Cell texts longer than this are words, never numbers (and are not scanned further).
pub(crate) const MAX_NUMERIC_LEN: usize = 80;

/// A date (`2021-03-12`, `12.03.2021`): a label, and no evidence of a number style.
pub(crate) static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$").expect("regex")
});

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’')
}

/// Parse a plain number: sign, thousands separators, decimal point or comma, exponent, `%`.
/// Returns `None` for anything else (currency, units, words, two numbers).
pub(crate) fn parse_number(s: &str, style: NumberStyle) -> Option<Number> {
    let s = s.trim();
    let (s, percent) = match s.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (s, false),
    };
    let (negative, s) = if let Some(r) = s.strip_prefix('-') {
        (true, r)
    } else if let Some(r) = s.strip_prefix('−') {
        (true, r)
    } else if let Some(r) = s.strip_prefix('+') {
        (false, r)
    } else {
        (false, s)
    };
    if s.is_empty() || s.len() > MAX_NUMERIC_LEN {
        return None;
    }
    let (value, decimals) = if s.contains(['e', 'E']) {
        scientific(s)?
    } else {
        positional(s, style)?
    };
    Some(Number {
        value: if negative { -value } else { value },
        decimals,
        percent,
    })
}

/// Scientific notation without sign: `1e-5`, `2.3E+04`; the value and its decimals.
fn scientific(s: &str) -> Option<(f64, u8)> {
    let pos = s.find(['e', 'E'])?;
    let mantissa = &s[..pos];
    let exp = &s[pos + 1..];
    let exp_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
    if exp_digits.is_empty()
        || exp_digits.len() > 3
        || !exp_digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let exp_val: i32 = exp.parse().ok()?;
    let (int, frac) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let m: f64 = format!("{int}.{}", if frac.is_empty() { "0" } else { frac })
        .parse()
        .ok()?;
    let value = m * 10f64.powi(exp_val);
    if !value.is_finite() {
        return None;
    }
    let decimals = (frac.len() as i32 - exp_val).clamp(0, 255) as u8;
    Some((value, decimals))
}

/// A number in positional notation without sign: digits, thousands separators and at most one
/// decimal separator; the value and its decimals.
fn positional(s: &str, style: NumberStyle) -> Option<(f64, u8)> {
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_group_space(c))
    {
        return None;
    }
    if !s.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let first = s.chars().next()?;
    if !(first.is_ascii_digit() || first == '.' || first == ',') {
        return None;
    }
    let decimal = decimal_separator(s, style)?;
    let (int_part, frac_part) = match decimal {
        Some(d) => s.split_once(d)?,
        None => (s, ""),
    };
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if decimal.is_some() && frac_part.is_empty() {
        return None;
    }
    let mut digits = grouped_digits(int_part)?;
    if digits.is_empty() {
        if frac_part.is_empty() {
            return None;
        }
        digits.push('0');
    }
    let literal = if frac_part.is_empty() {
        digits
    } else {
        format!("{digits}.{frac_part}")
    };
    let value: f64 = literal.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    Some((value, frac_part.len().min(255) as u8))
}

/// The decimal separator of a positional number, `Some(None)` when it has none; `None` when
/// the separators cannot be read (two of the last kind after the other). An ambiguous `1,234`
/// / `1.234` is read by `style`.
fn decimal_separator(s: &str, style: NumberStyle) -> Option<Option<char>> {
    let spaced = s.chars().any(is_group_space);
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    if dots > 0 && commas > 0 {
        let last = if s.rfind('.') > s.rfind(',') {
            '.'
        } else {
            ','
        };
        if s.matches(last).count() > 1 {
            return None;
        }
        return Some(Some(last));
    }
    if dots + commas == 0 {
        return Some(None);
    }
    let sep = if dots > 0 { '.' } else { ',' };
    if dots + commas > 1 {
        // Several of one separator: thousands (`1,234,567`, `1.234.567`).
        return Some(None);
    }
    let (a, b) = s.split_once(sep)?;
    let ambiguous = !spaced
        && b.len() == 3
        && (1..=3).contains(&a.len())
        && !a.starts_with('0')
        && b.bytes().all(|c| c.is_ascii_digit());
    if ambiguous {
        Some(match (style, sep) {
            (NumberStyle::DecimalPoint, ',') | (NumberStyle::DecimalComma, '.') => None,
            _ => Some(sep),
        })
    } else {
        Some(Some(sep))
    }
}

/// The digits of an integer part, possibly grouped in threes by one kind of thousands separator
/// (`1 234`, `1.234.567`, `1'234`); `None` for other groupings.
fn grouped_digits(int_part: &str) -> Option<String> {
    let mut sep_kind: Option<char> = None;
    let mut digits = String::with_capacity(int_part.len());
    let mut groups: Vec<usize> = vec![0];
    for c in int_part.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            if let Some(g) = groups.last_mut() {
                *g += 1;
            }
        } else {
            let kind = match c {
                ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' => ' ',
                '\'' | '’' => '\'',
                other => other,
            };
            if sep_kind.is_some_and(|k| k != kind) {
                return None;
            }
            sep_kind = Some(kind);
            groups.push(0);
        }
    }
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0]);
        if !first_ok || groups[1..].iter().any(|&g| g != 3) {
            return None;
        }
    }
    Some(digits)
}

/// Infer a column's (or file's) number style from its cell texts by majority of unambiguous
/// evidence (`12,5` / `1.234,5` / `0,25` → comma; `12.5` / `1,234.5` → point); default
/// [`NumberStyle::DecimalPoint`]. Texts that are dates or ambiguous (`1,234`) give no evidence.
pub fn infer_style<'a>(texts: impl IntoIterator<Item = &'a str>) -> NumberStyle {
    let mut comma = 0usize;
    let mut point = 0usize;
    for text in texts {
        let t = text.trim();
        if t.len() > MAX_NUMERIC_LEN || DATE.is_match(t) {
            continue;
        }
        let mut run = String::new();
        for c in t.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() || c == '.' || c == ',' {
                run.push(c);
                continue;
            }
            match run_evidence(&run) {
                Some(NumberStyle::DecimalComma) => comma += 1,
                Some(NumberStyle::DecimalPoint) => point += 1,
                None => {}
            }
            run.clear();
        }
    }
    if comma > point {
        NumberStyle::DecimalComma
    } else {
        NumberStyle::DecimalPoint
    }
}

/// The style a run of digits, dots and commas shows unambiguously, if any.
fn run_evidence(run: &str) -> Option<NumberStyle> {
    let run = run.trim_matches(['.', ',']);
    if !run.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let dots = run.matches('.').count();
    let commas = run.matches(',').count();
    let of = |sep: char| {
        if sep == ',' {
            NumberStyle::DecimalComma
        } else {
            NumberStyle::DecimalPoint
        }
    };
    let other = |sep: char| {
        if sep == ',' {
            NumberStyle::DecimalPoint
        } else {
            NumberStyle::DecimalComma
        }
    };
    match (dots, commas) {
        (0, 0) => None,
        (d, c) if d > 0 && c > 0 => {
            let last = if run.rfind('.') > run.rfind(',') {
                '.'
            } else {
                ','
            };
            (run.matches(last).count() == 1).then(|| of(last))
        }
        (d, c) => {
            let sep = if d > 0 { '.' } else { ',' };
            let parts: Vec<&str> = run.split(sep).collect();
            if d + c > 1 {
                // `1.234.567` is grouping; `12.03.2021` is a date and says nothing.
                let grouped =
                    (1..=3).contains(&parts[0].len()) && parts[1..].iter().all(|p| p.len() == 3);
                return grouped.then(|| other(sep));
            }
            let (a, b) = (parts[0], parts[1]);
            if b.len() != 3 || a.starts_with('0') || a.len() > 3 {
                Some(of(sep))
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use NumberStyle::{DecimalComma as C, DecimalPoint as P};

    #[test]
    fn style_inference() {
        assert_eq!(infer_style(["12,5", "3,25", "1.234,5"]), C);
        assert_eq!(infer_style(["12.5", "1,234.5"]), P);
        assert_eq!(infer_style(["0,25"]), C);
        assert_eq!(infer_style(["1,234", "1.234"]), P);
        assert_eq!(infer_style(Vec::<&str>::new()), P);
        assert_eq!(infer_style(["1.234.567", "7"]), C);
        assert_eq!(infer_style(["12.03.2021", "1,5"]), C);
        assert_eq!(infer_style(["1,21 (0,98–1,50)"]), C);
        assert_eq!(infer_style(["12,5", "1.5", "2.5"]), P);
    }
}
