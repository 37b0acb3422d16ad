//! Redaction: what a report may print of a header or label. Every rule and the table layer
//! print names through [`safe_label`], which hides group sizes written into a label and anything
//! that may be an identifier, so that a report never repeats what it flags.

use std::sync::LazyLock;

use regex::Regex;

/// `n = 3`, `(N=1 234)`, `n: 12`: a group size written into a label.
static GROUP_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^\p{L}\p{N}])n\s*[=:]\s*(\d{1,3}(?:[ \u{a0}\u{202f},.']\d{3})+|\d+)")
        .unwrap_or_else(|e| panic!("static regex: {e}"))
});

/// The group sizes written into a label (`Mean age (n=3)` gives 3).
pub fn group_sizes(text: &str) -> impl Iterator<Item = i64> + '_ {
    GROUP_SIZE.captures_iter(text).filter_map(|c| {
        let m = c.get(1)?;
        // `n = 12.5` is not a group size.
        let after = text[m.end()..].chars().next();
        if after.is_some_and(|ch| ch.is_ascii_digit() || ch == '.' || ch == ',') {
            return None;
        }
        m.as_str()
            .chars()
            .filter(|ch| ch.is_ascii_digit())
            .collect::<String>()
            .parse()
            .ok()
    })
}

/// A header or label safe to print: any group size written into it is hidden (`Mean (n=…)`),
/// and so is anything that may be an identifier (a header that swallowed data rows must not
/// carry them into a report): every identifier the scanner sees, whatever its confidence, and
/// every unbroken run of 8 or more digits, become `#`.
pub fn safe_label(text: &str) -> String {
    let sized = GROUP_SIZE
        .replace_all(text, |c: &regex::Captures<'_>| {
            let whole = &c[0];
            let num = &c[1];
            whole.replacen(num, "…", 1)
        })
        .into_owned();
    hide_ids(&sized)
}

static LONG_DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{8,}").unwrap_or_else(|e| panic!("static regex: {e}")));

fn hide_ids(text: &str) -> String {
    let hash = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_alphanumeric() { '#' } else { c })
            .collect()
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in crate::ident::scanner().scan(text) {
        if m.start < last {
            continue;
        }
        out.push_str(text.get(last..m.start).unwrap_or(""));
        out.push_str(&hash(m.text(text)));
        last = m.end;
    }
    out.push_str(text.get(last..).unwrap_or(""));
    LONG_DIGITS
        .replace_all(&out, |c: &regex::Captures<'_>| hash(&c[0]))
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_in_labels_are_hidden() {
        let cpr = crate::ident::generate::cpr(3);
        let label = format!("cpr / {cpr} / note");
        let safe = safe_label(&label);
        assert!(!safe.contains(&cpr), "{safe}");
        assert!(
            safe.starts_with("cpr / ") && safe.ends_with(" / note"),
            "{safe}"
        );
        assert_eq!(safe_label("pnr 000012345678"), "pnr ############");
        assert_eq!(safe_label("Age 2015-2019"), "Age 2015-2019");
    }

    #[test]
    fn group_sizes_are_found_and_hidden() {
        assert_eq!(group_sizes("Mean age (n=3)").collect::<Vec<_>>(), vec![3]);
        assert_eq!(group_sizes("N = 1 234").collect::<Vec<_>>(), vec![1234]);
        assert_eq!(group_sizes("Men, n: 12").collect::<Vec<_>>(), vec![12]);
        assert_eq!(group_sizes("Men n=12.5").count(), 0);
        assert_eq!(group_sizes("Tn=3 plan").count(), 0);
        assert_eq!(safe_label("Mean age (n=3)"), "Mean age (n=…)");
        assert_eq!(safe_label("Kommune"), "Kommune");
    }
}
