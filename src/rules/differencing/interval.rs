//! Integer intervals of band labels (`0-15`, `65+`, `under 18`, `65 år og derover`): the row
//! categories the differencing rule compares as intervals whatever their notation.

use crate::table::classify::tokens;

/// Units and connectors an interval label may carry besides its numbers (tokens, folded:
/// `år` is `aar`), in English, Danish, Norwegian, Swedish, Finnish, Dutch, German and French.
const INTERVAL_FILLERS: &[&str] = &[
    "age",
    "aged",
    "ages",
    "years",
    "year",
    "yrs",
    "yr",
    "y",
    "aar",
    "aarige",
    "aaringar",
    "aaringer",
    "vuotta",
    "vuotiaat",
    "vuotiaita",
    "v",
    "jaar",
    "ans",
    "jahre",
    "alder",
    "ikae",
    "to",
    "til",
    "till",
    "bis",
    "a",
    "tot",
    "and",
    "or",
    "og",
    "och",
    "eller",
    "ja",
    "tai",
    "en",
    "und",
    "et",
    "ou",
    "de",
];

/// Words after a number that open the top: `65 and over`, `65 år og derover`, `65 år och
/// äldre`, `65 ja yli`, `65 vuotta täyttäneet`, `65 jaar en ouder`, `65 Jahre und älter`, `65
/// ans et plus`.
const OPEN_HIGH_WORDS: &[&str] = &[
    "over",
    "older",
    "plus",
    "derover",
    "aeldre",
    "aldre",
    "eldre",
    "yli",
    "vanhemmat",
    "tayttaneet",
    "ouder",
    "alter",
    "mehr",
];

/// Words before a number that mean strictly above it: `over 64`, `above 64`, `yli 64`.
const ABOVE_WORDS: &[&str] = &["over", "above", "yli", "more", "than", "older"];

/// Words that mean strictly below the number: `under 18`, `alle 18`, `unter 18`, `moins de 18`.
const BELOW_WORDS: &[&str] = &[
    "under", "below", "alle", "unter", "moins", "less", "younger",
];

/// An integer interval category: `0-15`, `16–64`, `0 to 39`, `65+`, `85 år+`, `<18`, `85 and
/// over`, `65 år og derover`, `under 18 år`, `yli 64`, `75-` (Finnish: 75 and over).
pub(super) fn interval(label: &str) -> Option<(i64, i64)> {
    let toks = tokens(label);
    let raw = label.trim().to_lowercase();
    let is_num = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let nums: Vec<i64> = toks
        .iter()
        .filter(|t| is_num(t) && t.len() <= 6)
        .filter_map(|t| t.parse().ok())
        .collect();
    // Every other token must be a unit, a connector or an open-end word.
    if toks.iter().any(|t| {
        !is_num(t)
            && !INTERVAL_FILLERS.contains(&t.as_str())
            && !OPEN_HIGH_WORDS.contains(&t.as_str())
            && !ABOVE_WORDS.contains(&t.as_str())
            && !BELOW_WORDS.contains(&t.as_str())
    }) {
        return None;
    }
    if nums.is_empty() || nums.len() != toks.iter().filter(|t| is_num(t)).count() {
        return None;
    }
    let first_num = toks.iter().position(|t| is_num(t)).unwrap_or(0);
    let before = &toks[..first_num];
    let after = &toks[first_num..];
    let word_before = |ws: &[&str]| before.iter().any(|t| ws.contains(&t.as_str()));
    let word_after = |ws: &[&str]| after.iter().any(|t| ws.contains(&t.as_str()));
    // `>30` starts above 30; `≥30`, `>=30`, `30+`, `30 and over` at 30; `over 30` above it.
    let strict_above = (raw.starts_with('>') && !raw.starts_with(">="))
        || (!raw.starts_with('≥') && word_before(ABOVE_WORDS));
    let above = raw.starts_with('>') || raw.starts_with('≥') || strict_above;
    let below = raw.starts_with('<')
        || raw.starts_with('≤')
        || word_before(BELOW_WORDS)
        || word_after(BELOW_WORDS);
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
    let open_high = plus || above || trailing_dash || word_after(OPEN_HIGH_WORDS);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse() {
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
    fn interval_notations_agree() {
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
