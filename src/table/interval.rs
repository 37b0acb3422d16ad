//! Interval and band labels, one room for every reading of them:
//!
//! - a cell that is a band (`65+`, `≥18`, `85 and over`, `under 18`): [`is_band`], and two numbers
//!   of a range or confidence interval (`1.2-3.4`, `12 to 15`): [`split_interval`], both as the
//!   cell parser reads them (docs/tables.md §2.2);
//! - a row label's integer interval for row trees (`0-4`, `5-9` under `0-9`, docs/tables.md
//!   §3.6): [`row_interval`], and code ranges (`I20-I25`): [`code_range`];
//! - a band category as differencing compares bands whatever their notation (`0 to 39 år`,
//!   `under 40`, `65 år og derover`, docs/tables.md §8.1): [`band_bounds`].
//!
//! The words of these labels are `[vocabulary]` lists (`interval_*`, `band_*`, `count_below`),
//! carried by [`BandPhrases`] in the cell parser and
//! [`IntervalWords`] in the [`Lexicon`](super::classify::Lexicon).

use std::sync::LazyLock;

use regex::Regex;

use crate::config::Vocabulary;
use crate::model::Number;
use crate::table::classify::tokens;
use crate::table::number::{parse_number, NumberStyle};

/// Exact integers, as the audit uses them.
type Int = i128;

/// The words of interval and band labels, from `[vocabulary]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct IntervalWords {
    /// `interval_unit_suffix`, each after a space (` years`).
    unit_suffixes: Vec<String>,
    /// `interval_open_top_suffix`, each after a space (` and over`).
    open_top_suffixes: Vec<String>,
    /// `band_fillers`, `band_open_top`, `band_above`, `band_below`, as tokens.
    #[cfg_attr(not(test), allow(dead_code))]
    fillers: Vec<String>,
    #[cfg_attr(not(test), allow(dead_code))]
    open_top: Vec<String>,
    #[cfg_attr(not(test), allow(dead_code))]
    above: Vec<String>,
    #[cfg_attr(not(test), allow(dead_code))]
    below: Vec<String>,
}

impl IntervalWords {
    pub(crate) fn new(vocab: &Vocabulary) -> Self {
        let spaced = |list: &[String]| -> Vec<String> {
            list.iter()
                .filter(|w| !w.is_empty())
                .map(|w| format!(" {w}"))
                .collect()
        };
        let toks = |list: &[String]| -> Vec<String> {
            list.iter()
                .filter_map(|w| match tokens(w).as_slice() {
                    [t] => Some(t.clone()),
                    _ => None,
                })
                .collect()
        };
        IntervalWords {
            unit_suffixes: spaced(&vocab.interval_unit_suffix),
            open_top_suffixes: spaced(&vocab.interval_open_top_suffix),
            fillers: toks(&vocab.band_fillers),
            open_top: toks(&vocab.band_open_top),
            above: toks(&vocab.band_above),
            below: toks(&vocab.band_below),
        }
    }
}

static LOWER_BOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)(n\s*)?(>=|=>|≥|⩾|>)\s*(\S.*?)(\s*\p{L}+\.?)?$").expect("regex")
});
static PLUS_BAND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+)\s*(\p{L}+\.?\s*)?\+(\s*\p{L}+\.?)?$").expect("regex"));

/// The phrases of bands and intervals written in words, compiled from `[vocabulary]`
/// (`band_unit`, `band_and_over`, `band_prefix`, `count_below`, `interval_between`).
#[derive(Debug, Clone)]
pub(crate) struct BandPhrases {
    /// `85 år og derover`, `18 ja yli`, `90 +`.
    and_over: Regex,
    /// `under 18`, `yngre end 30 år`.
    prefix: Regex,
    /// `alle 5`, `færre end 5`: the number in group 2.
    count_below: Regex,
    /// ` to `, ` til ` between the ends of an interval.
    between: Regex,
}

impl BandPhrases {
    pub(crate) fn new(vocab: &Vocabulary) -> BandPhrases {
        // Longest phrases first, so that `bis zu` is tried before `bis`.
        let alternatives = |list: &[String]| {
            let mut phrases: Vec<&String> = list.iter().filter(|p| !p.trim().is_empty()).collect();
            phrases.sort_by_key(|p| std::cmp::Reverse(p.split_whitespace().count()));
            phrases
                .iter()
                .map(|p| {
                    let words: Vec<String> = p.split_whitespace().map(regex::escape).collect();
                    words.join(r"\s+")
                })
                .collect::<Vec<_>>()
                .join("|")
        };
        let compile = |pattern: String| {
            Regex::new(&pattern).unwrap_or_else(|e| panic!("band phrase regex: {e}"))
        };
        BandPhrases {
            and_over: compile(format!(
                r"(?i)^\d+\s*(?:{})?\s+(?:{}|\+)$",
                alternatives(&vocab.band_unit),
                alternatives(&vocab.band_and_over)
            )),
            prefix: compile(format!(
                r"(?i)^(?:{})\s+\d+(?:\s*\p{{L}}+\.?)?$",
                alternatives(&vocab.band_prefix)
            )),
            count_below: compile(format!(
                r"(?i)^({})\s+(\d{{1,2}})$",
                alternatives(&vocab.count_below)
            )),
            between: compile(format!(
                r"(?i)\s+(?:{})\s+",
                alternatives(&vocab.interval_between)
            )),
        }
    }

    /// The bound of a count hidden behind words (`færre end 5` → 5).
    pub(crate) fn count_below(&self, t: &str) -> Option<i64> {
        self.count_below.captures(t)?.get(2)?.as_str().parse().ok()
    }
}

/// `65+`, `85 år+`, `90+ years`, `85 and over`, `18 ja yli`, `≥18`, `>=18`, `>5`, `under 18`.
pub(crate) fn is_band(t: &str, style: NumberStyle, words: &BandPhrases) -> bool {
    if let Some(c) = LOWER_BOUND.captures(t) {
        if c.get(3)
            .is_some_and(|m| parse_number(m.as_str(), style).is_some())
        {
            return true;
        }
    }
    PLUS_BAND.is_match(t) || words.and_over.is_match(t) || words.prefix.is_match(t)
}

/// Split `a-b`, `a – b`, `a to b` into two numbers (either may be negative); inside brackets
/// (`bracketed`) also `a; b` and `a, b`.
pub(crate) fn split_interval(
    t: &str,
    style: NumberStyle,
    bracketed: bool,
    words: &BandPhrases,
) -> Option<(Number, Number)> {
    let both = |a: &str, b: &str| Some((parse_number(a, style)?, parse_number(b, style)?));
    if let Some(m) = words.between.find(t) {
        if let Some(p) = both(&t[..m.start()], &t[m.end()..]) {
            return Some(p);
        }
    }
    for (i, c) in t.char_indices() {
        if i == 0
            || !matches!(c, '-' | '–' | '—' | ';' | ',')
            || (!bracketed && matches!(c, ';' | ','))
        {
            continue;
        }
        let left = &t[..i];
        if c == '-'
            && !left
                .trim_end()
                .ends_with(|p: char| p.is_ascii_digit() || p == '%')
        {
            continue;
        }
        if let Some(p) = both(left, &t[i + c.len_utf8()..]) {
            return Some(p);
        }
    }
    None
}

/// A row label's integer interval (`0-4`, `5–9`, `85+`, `85 and over`, `<18`), the top `None`
/// when open.
pub(crate) fn row_interval(label: &str, words: &IntervalWords) -> Option<(Int, Option<Int>)> {
    let mut t = label.trim();
    for unit in &words.unit_suffixes {
        while let Some(rest) = t.strip_suffix(unit.as_str()) {
            t = rest;
        }
    }
    let t = t.replace(['–', '—'], "-");
    let t = t.trim();
    if let Some(rest) = t.strip_suffix('+') {
        return Some((rest.trim().parse().ok()?, None));
    }
    for suf in &words.open_top_suffixes {
        if let Some(rest) = t.strip_suffix(suf.as_str()) {
            return Some((rest.trim().parse().ok()?, None));
        }
    }
    if let Some(rest) = t.strip_prefix('<') {
        let v: Int = rest.trim().parse().ok()?;
        return Some((0, Some(v.saturating_sub(1))));
    }
    let (a, c) = t.split_once('-')?;
    let a: Int = a.trim().parse().ok()?;
    let c: Int = c.trim().parse().ok()?;
    (a <= c).then_some((a, Some(c)))
}

/// A band category's inclusive integer bounds, an open top being `i64::MAX`: `0-15`, `16–64`,
/// `0 to 39`, `65+`, `85 år+`, `<18`, `85 and over`, `65 år og derover`, `under 18 år`, `yli
/// 64`, `75-` (Finnish: 75 and over). Every token besides the numbers must be a filler, an
/// open-top, above or below word. Meant to replace `rules/differencing.rs`'s `interval`, which
/// it agrees with (see the tests).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn band_bounds(label: &str, words: &IntervalWords) -> Option<(i64, i64)> {
    let toks = tokens(label);
    let raw = label.trim().to_lowercase();
    let is_num = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let nums: Vec<i64> = toks
        .iter()
        .filter(|t| is_num(t) && t.len() <= 6)
        .filter_map(|t| t.parse().ok())
        .collect();
    let listed = |ws: &[String], t: &str| ws.iter().any(|w| w == t);
    // Every other token must be a unit, a connector or an open-end word.
    if toks.iter().any(|t| {
        !is_num(t)
            && !listed(&words.fillers, t)
            && !listed(&words.open_top, t)
            && !listed(&words.above, t)
            && !listed(&words.below, t)
    }) {
        return None;
    }
    if nums.is_empty() || nums.len() != toks.iter().filter(|t| is_num(t)).count() {
        return None;
    }
    let first_num = toks.iter().position(|t| is_num(t)).unwrap_or(0);
    let before = &toks[..first_num];
    let after = &toks[first_num..];
    let word_before = |ws: &[String]| before.iter().any(|t| listed(ws, t));
    let word_after = |ws: &[String]| after.iter().any(|t| listed(ws, t));
    // `>30` starts above 30; `≥30`, `>=30`, `30+`, `30 and over` at 30; `over 30` above it.
    let strict_above = (raw.starts_with('>') && !raw.starts_with(">="))
        || (!raw.starts_with('≥') && word_before(&words.above));
    let above = raw.starts_with('>') || raw.starts_with('≥') || strict_above;
    let below = raw.starts_with('<')
        || raw.starts_with('≤')
        || word_before(&words.below)
        || word_after(&words.below);
    let plus = raw.contains('+');
    // `75-`, `75– v`: a dash after the only number, followed by nothing or a separate word
    // (Statistics Finland); not the glued suffix of `40-vuotiaat`.
    let dash = |c: char| matches!(c, '-' | '–' | '—');
    let trailing_dash = nums.len() == 1
        && raw
            .char_indices()
            .rfind(|&(_, c)| dash(c))
            .is_some_and(|(i, c)| {
                let rest = &raw[i + c.len_utf8()..];
                raw[..i].trim_end().ends_with(|d: char| d.is_ascii_digit())
                    && rest.chars().next().is_none_or(char::is_whitespace)
            });
    // `-14`: a leading dash before the only number.
    let leading_dash =
        nums.len() == 1 && (raw.starts_with('-') || raw.starts_with('–') || raw.starts_with('—'));
    let open_high = plus || above || trailing_dash || word_after(&words.open_top);
    let open_low = below || leading_dash;
    match nums.as_slice() {
        [a, b] if !open_high && !open_low && a <= b => Some((*a, *b)),
        [a] if open_high && !open_low => Some((if strict_above { a + 1 } else { *a }, i64::MAX)),
        [a] if open_low && !open_high => {
            let inclusive = raw.starts_with("<=") || raw.starts_with('≤') || leading_dash;
            let hi = if inclusive { *a } else { a - 1 };
            (hi >= 0).then_some((0, hi))
        }
        _ => None,
    }
}

/// A code range at the start of a label (`I20-I25`, `C00–C97`): its two ends, of one length
/// and one letter prefix, dots removed.
pub(crate) fn code_range(label: &str) -> Option<(String, String)> {
    let first = label.split_whitespace().next()?;
    let (a, b) = first.split_once(['-', '–'])?;
    let (a, b) = (a.replace('.', ""), b.trim_end_matches(':').replace('.', ""));
    let coded = |t: &str| {
        t.len() >= 2
            && t.bytes().all(|c| c.is_ascii_alphanumeric())
            && t.bytes().any(|c| c.is_ascii_digit())
            && t.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
    };
    let same_letters = a
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .eq(b.bytes().take_while(u8::is_ascii_alphabetic));
    (coded(&a) && coded(&b) && a.len() == b.len() && same_letters && a < b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Rules;

    fn words() -> IntervalWords {
        IntervalWords::new(&Rules::default_rules().vocabulary)
    }

    #[test]
    fn band_phrases_come_from_the_vocabulary() {
        let mut vocab = Rules::default_rules().vocabulary;
        let style = NumberStyle::DecimalPoint;
        let default = BandPhrases::new(&vocab);
        assert!(is_band("85 år og  derover", style, &default));
        assert!(is_band("Under 18", style, &default));
        assert!(!is_band("85 und höher", style, &default));
        assert_eq!(default.count_below("færre end 5"), Some(5));
        assert!(split_interval("0 til 4", style, false, &default).is_some());
        vocab.band_and_over.push("und höher".into());
        vocab.interval_between.push("bis zu".into());
        let added = BandPhrases::new(&vocab);
        assert!(is_band("85 und höher", style, &added));
        assert!(split_interval("0 bis zu 4", style, false, &added).is_some());
    }

    #[test]
    fn extreme_interval_labels_do_not_overflow() {
        let w = words();
        assert_eq!(
            row_interval("<-170141183460469231731687303715884105728", &w),
            Some((0, Some(Int::MIN)))
        );
        let big = format!("0-{}", Int::MAX);
        assert_eq!(row_interval(&big, &w), Some((0, Some(Int::MAX))));
    }

    // The labels and answers of `rules/differencing.rs`'s tests of its `interval`, which
    // `band_bounds` is to replace: the two agree on every one.

    #[test]
    fn band_bounds_parse() {
        let w = words();
        let interval = |l: &str| band_bounds(l, &w);
        assert_eq!(interval("0-15"), Some((0, 15)));
        assert_eq!(interval("16–64"), Some((16, 64)));
        assert_eq!(interval("65+"), Some((65, i64::MAX)));
        assert_eq!(interval("85 and over"), Some((85, i64::MAX)));
        assert_eq!(interval("<18"), Some((0, 17)));
        assert_eq!(interval(">30"), Some((31, i64::MAX)));
        assert_eq!(interval("≥30"), Some((30, i64::MAX)));
        assert_eq!(interval("≤15"), Some((0, 15)));
        assert_eq!(interval("Age 18 to 24"), Some((18, 24)));
        assert_eq!(interval("Hospital 12"), None);
        assert_eq!(interval("30-20"), None);
        assert_eq!(interval("Total"), None);
    }

    #[test]
    fn band_notations_agree() {
        let w = words();
        let interval = |l: &str| band_bounds(l, &w);
        let b = |lo: i64, hi: i64| Some((lo, hi));
        let top = i64::MAX;
        for (label, want) in [
            ("0-39", b(0, 39)),
            ("0–39", b(0, 39)),
            ("0 — 39", b(0, 39)),
            ("0 to 39", b(0, 39)),
            ("0-39 år", b(0, 39)),
            ("0-39-årige", b(0, 39)),
            ("0–39-vuotiaat", b(0, 39)),
            ("0-39 vuotta", b(0, 39)),
            ("0 till 39 år", b(0, 39)),
            ("18 à 24 ans", b(18, 24)),
            ("<40", b(0, 39)),
            ("≤39", b(0, 39)),
            ("under 40", b(0, 39)),
            ("Under 40 år", b(0, 39)),
            ("alle 40-vuotiaat", b(0, 39)),
            ("unter 40 Jahre", b(0, 39)),
            ("moins de 40 ans", b(0, 39)),
            ("-39", b(0, 39)),
            ("40+", b(40, top)),
            ("40 +", b(40, top)),
            ("≥40", b(40, top)),
            (">=40", b(40, top)),
            (">39", b(40, top)),
            ("over 39", b(40, top)),
            ("yli 39", b(40, top)),
            ("older than 39", b(40, top)),
            ("65 and over", b(65, top)),
            ("65 or older", b(65, top)),
            ("65 years and over", b(65, top)),
            ("85 år+", b(85, top)),
            ("85+ år", b(85, top)),
            ("65 år og derover", b(65, top)),
            ("65 år og ældre", b(65, top)),
            ("67 år og eldre", b(67, top)),
            ("65 år och äldre", b(65, top)),
            ("65 år eller äldre", b(65, top)),
            ("65 ja yli", b(65, top)),
            ("65 vuotta täyttäneet", b(65, top)),
            ("75-", b(75, top)),
            ("75– v", b(75, top)),
            ("65 jaar en ouder", b(65, top)),
            ("65 Jahre und älter", b(65, top)),
            ("65 ans et plus", b(65, top)),
        ] {
            assert_eq!(interval(label), want, "{label}");
        }
        // Not intervals: years, codes, names with numbers, both ends open, empty bands.
        for label in [
            "2019",
            "Region 12",
            "ICD-10 C50",
            "1-2 children",
            "<40+",
            "under 0",
            "40-30",
            "Men",
            "",
        ] {
            assert_eq!(interval(label), None, "{label}");
        }
    }
}
