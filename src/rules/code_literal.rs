//! ## What it does
//! Flags program code (`.sas .do .ado .R .Rmd .qmd .py .sql .sps .jl .m` and other scripts) that
//! writes individual values into the program, comments included:
//!
//! - national identifiers (the `person-id` recognisers; a bare ten- or eleven-digit number
//!   counts when it is quoted or on a line that names a person key, since one numeric constant
//!   in a hundred passes a date and checksum test);
//! - a person key compared with a literal (`if pnr = 000012345678`, `filter(lbnr == "12345")`)
//!   or listed with literals (`where pnr in (…)`, `inlist(pnr, …)`, `pnr %in% c(…)`);
//! - lists of five or more ID-like literals in any bracket (`%in% c(…)`, `in (…)`, `isin([…])`,
//!   `inlist(id, …)`), where ID-like means 8 or more digits (not a date), a hex key or a UUID;
//! - a date literal (`'17MAR1962'd`, `td(17mar1962)`, `as.Date("1962-03-17")`) written beside a
//!   birth-date name with `=`, `==`, `eq` or `in`;
//! - inline data (`datalines;`, `cards;`) with five or more ID-like values.
//!
//! Code that names variables (`patient_id`, `USUBJID`) or uses small constants (ages, years,
//! codes such as ICD `"E11"` or ATC `"A10BA02"`, cohort boundaries `foed_dato >= '01JAN1950'd`)
//! passes.
//!
//! ## Why is this bad?
//! A condition that selects one person by number, or a list of person numbers copied from the
//! data, carries micro-data out in the program. So does a birth date in a condition, and a table
//! pasted into a comment. Programs leave the secure environment with the results more often
//! than anything else.
//!
//! ## Example
//! ```text
//! data check;
//!   set cohort;
//!   if pnr in (000012345678, 000012345679, ...) then delete;  <- code-literal
//!   if foed_dato = '17MAR1962'd then flag = 1;                 <- code-literal
//! run;
//! ```
//! Select cases by a rule on the data (a flag variable, a join to a table that stays inside),
//! never by hard-coded values.
//!
//! ## Options
//! `[vocabulary] person_key`, `provider_key` and `birth_date` (the names that make a literal
//! beside them an individual value).
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: "no code or logs that contain
//! micro-data written into conditions or lists"; pasted tables in `.do` files must be revised.
//! `docs/identifiers.md` §8 (identifiers in code and logs).

use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{basis, Finding, Severity};
use crate::ident::scanner;
use crate::ident::Confidence;
use crate::model::{Location, Text};
use crate::rules::{people::NameClass, Checks, Context, Listing, Rule, TextRule};

pub const RULE: Rule = Rule {
    id: "code-literal",
    severity: Severity::Error,
    summary: "program code that hard-codes identifiers, birth dates or other individual values",
    source: include_str!("code_literal.rs"),
    checks: Checks {
        code: Some(&CodeLiteral),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct CodeLiteral;

impl TextRule for CodeLiteral {
    fn check(&self, text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check_code(text, cx, out);
    }
}

/// Fewest ID-like literals in one list for a finding without a person-key name.
const MIN_LIST: usize = 5;
/// Longest stretch of text a bracket group is followed over.
const MAX_GROUP_BYTES: usize = 256 * 1024;
/// Deepest bracket nesting followed.
const MAX_DEPTH: usize = 64;

static DATE_LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?ix)
        ['"]\d{1,2}(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\d{2,4}['"]d\b
      | \btd\(\s*\d{1,2}(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\d{4}\s*\)
      | ['"](?:18|19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])['"]
      | \bmdy\(\s*\d{1,2}\s*,\s*\d{1,2}\s*,\s*\d{4}\s*\)
      | \bdate(?:time)?\(\s*(?:18|19|20)\d{2}\s*,\s*\d{1,2}\s*,\s*\d{1,2}\s*\)
    "#,
    )
    .unwrap_or_else(|e| panic!("static regex: {e}"))
});

static EQUALITY: LazyLock<Regex> = LazyLock::new(|| {
    // A name, a comparison, then a literal with at least 4 digits (`<=` and `>=` are skipped).
    Regex::new(
        r#"(?i)([A-Za-z_][A-Za-z0-9_.]*)\s*(==|!=|<=|>=|\beq\b|\bne\b|=)\s*\(?\s*["']?([0-9][0-9A-Za-z_-]{3,}|[A-Za-z0-9_-]*[0-9]{4}[A-Za-z0-9_-]*)["']?"#,
    )
    .unwrap_or_else(|e| panic!("static regex: {e}"))
});

static IDENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z_][A-Za-z0-9_.]*").unwrap_or_else(|e| panic!("static regex: {e}"))
});

static INLINE_DATA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:datalines4?|cards4?|lines4?)\s*;").unwrap_or_else(|e| panic!("{e}"))
});

/// Findings of one code text, capped.
struct Out<'a> {
    text: &'a Text,
    listing: Listing,
    out: &'a mut Vec<Finding>,
    seen: std::collections::HashSet<(u32, &'static str)>,
}

impl Out<'_> {
    fn push(&mut self, line: u32, what: &'static str, message: String, content: &str) {
        if !self.seen.insert((line, what)) {
            return;
        }
        let f = Finding::new(
            ID,
            Severity::Error,
            message,
            Location {
                member: self.text.member.clone(),
                ..Location::line(line)
            },
            basis(&[b"code-literal", what.as_bytes(), content.as_bytes()]),
        );
        self.listing.push(f, self.out);
    }
}

/// Check a text that is program code.
pub fn check_code(text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut o = Out {
        text,
        listing: Listing::new(ID, Severity::Error, "hard-coded values"),
        out,
        seen: Default::default(),
    };
    let mut inline_data: Option<(u32, usize)> = None;
    for (line_no, line) in &text.lines {
        identifiers(*line_no, line, cx, &mut o);
        birth_dates(*line_no, line, cx, &mut o);
        key_equality(*line_no, line, cx, &mut o);
        // Inline data blocks: `datalines;` … `;`.
        if let Some((start, n)) = inline_data.as_mut() {
            if line.trim_start().starts_with(';') || line.trim_end().ends_with(';') {
                if *n >= MIN_LIST {
                    let start = *start;
                    o.push(
                        start,
                        "inline",
                        "inline data with ID-like values in the program".into(),
                        line,
                    );
                }
                inline_data = None;
            } else {
                *n += line
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|t| id_like(t))
                    .count();
            }
        } else if INLINE_DATA.is_match(line) {
            inline_data = Some((*line_no, 0));
        }
    }
    lists(text, cx, &mut o);
    let location = Location {
        member: text.member.clone(),
        ..Location::default()
    };
    o.listing
        .finish_in("", location, basis(&[b"code-literal more"]), o.out);
}

fn identifiers(line_no: u32, line: &str, cx: &Context<'_>, o: &mut Out<'_>) {
    if line.bytes().filter(u8::is_ascii_digit).take(8).count() < 8 {
        return;
    }
    let key_line = IDENT
        .find_iter(line)
        .any(|m| cx.people.has_key_part(m.as_str()));
    let found = scanner()
        .scan(line)
        .into_iter()
        .filter(|m| m.kind.is_national())
        // A bare numeric constant (`x <- 3141592653`) passes a date and checksum test one time
        // in a hundred; in code it counts when written out (High), quoted as a string (as IDs
        // with leading zeros are), or on a line that names a person key.
        .filter(|m| {
            let quoted = m.start > 0 && matches!(line.as_bytes()[m.start - 1], b'"' | b'\'');
            m.confidence == Confidence::High
                || (m.confidence == Confidence::Medium && quoted)
                || key_line
        })
        .max_by_key(|m| m.confidence);
    if let Some(m) = found {
        o.push(
            line_no,
            "id",
            format!("{} hard-coded in the program", m.kind.describe()),
            line,
        );
    }
}

fn birth_dates(line_no: u32, line: &str, cx: &Context<'_>, o: &mut Out<'_>) {
    if !DATE_LITERAL.is_match(line) {
        return;
    }
    let birth_name = IDENT
        .find_iter(line)
        .any(|m| cx.people.is_birth_date_name(m.as_str()));
    if !birth_name {
        return;
    }
    if DATE_LITERAL
        .find_iter(line)
        .any(|date| equality_before(&line[..date.start()]))
    {
        o.push(
            line_no,
            "birth",
            "birth date hard-coded in a condition".into(),
            line,
        );
    }
}

/// Does the text before a literal end in an equality (`=`, `==`, `!=`, `eq`, `ne`, `in (`)?
fn equality_before(before: &str) -> bool {
    // The operator nearest before the literal.
    let op = before.trim_end();
    let lower = op.to_ascii_lowercase();
    // `=`, `==`, `!=`, `eq`, `ne`, `in`: a condition on one value singles out a person; `<`,
    // `<=`, `>`, `>=` bound a cohort.
    let lower = lower
        .strip_suffix("as.date(")
        .or_else(|| lower.strip_suffix("ymd("))
        .map(str::trim_end)
        .unwrap_or(&lower);
    (lower.ends_with('=') && !lower.ends_with("<=") && !lower.ends_with(">="))
        || lower.ends_with(" eq")
        || lower.ends_with(" ne")
        || (lower.ends_with('(')
            && (lower.contains(" in ") || lower.contains("%in%") || lower.contains("inlist")))
}

fn key_equality(line_no: u32, line: &str, cx: &Context<'_>, o: &mut Out<'_>) {
    for c in EQUALITY.captures_iter(line) {
        let (Some(name), Some(op), Some(value)) = (c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        if matches!(op.as_str(), "<=" | ">=") {
            continue;
        }
        if cx.people.key_name(name.as_str(), false).is_none() {
            continue;
        }
        let v = value.as_str();
        if v.bytes().filter(u8::is_ascii_digit).count() < 4 {
            continue;
        }
        o.push(
            line_no,
            "key",
            format!(
                "a value of person key '{}' hard-coded in a condition",
                short(name.as_str())
            ),
            line,
        );
    }
}

fn short(name: &str) -> String {
    crate::redact::safe_label(&name.chars().take(40).collect::<String>())
}

/// One open bracket while the text is walked.
struct Frame {
    line: u32,
    start: usize,
    /// The name the group is about: `pnr` in `pnr in (`, `inlist(pnr, …`, `pnr %in% c(`.
    subject: Option<String>,
    literals: usize,
    id_like: usize,
    first_token: bool,
}

/// Bracket groups anywhere in the text, with the literals directly inside each.
fn lists(text: &Text, cx: &Context<'_>, o: &mut Out<'_>) {
    let mut stack: Vec<Frame> = Vec::new();
    let mut offset = 0usize;
    for (line_no, line) in &text.lines {
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            match c {
                b'(' | b'[' | b'{' => {
                    if stack.len() < MAX_DEPTH {
                        // `isin([…])`, `c(…)` inside `in (…)`: a list right inside a group
                        // about a person key is about it too.
                        let subject = subject_before(&line[..i], cx).or_else(|| {
                            let just_opened = line[..i].trim_end().ends_with(['(', '[']);
                            stack
                                .last()
                                .filter(|_| just_opened)
                                .and_then(|f| f.subject.clone())
                        });
                        stack.push(Frame {
                            line: *line_no,
                            start: offset + i,
                            subject,
                            literals: 0,
                            id_like: 0,
                            first_token: true,
                        });
                    }
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    if let Some(f) = stack.pop() {
                        judge(&f, o, line);
                    }
                    i += 1;
                }
                b'"' | b'\'' => {
                    // A string on this line; an unmatched quote (an apostrophe) is plain text.
                    match line[i + 1..].find(c as char) {
                        Some(end) => {
                            let lit = &line[i + 1..i + 1 + end];
                            note_literal(&mut stack, lit, Token::Quoted, cx);
                            i += end + 2;
                        }
                        None => i += 1,
                    }
                }
                _ if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' => {
                    let end = i + b[i..]
                        .iter()
                        .take_while(|x| {
                            x.is_ascii_alphanumeric() || **x == b'_' || **x == b'.' || **x == b'-'
                        })
                        .count();
                    let tok = &line[i..end];
                    // `where=(pnr=12345678)` compares the key: only another name's value is an
                    // option of the call.
                    let kind = if keyword_value(&line[..i])
                        .is_some_and(|name| cx.people.key_name(name, false).is_none())
                    {
                        Token::KeywordValue
                    } else {
                        Token::Bare
                    };
                    note_literal(&mut stack, tok, kind, cx);
                    i = end.max(i + 1);
                }
                _ => i += 1,
            }
        }
        offset += line.len() + 1;
        // Groups left open too long are dropped (an unbalanced bracket in a comment).
        while stack
            .first()
            .is_some_and(|f| offset.saturating_sub(f.start) > MAX_GROUP_BYTES)
        {
            stack.remove(0);
        }
    }
}

/// How a token inside a group is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A bare name or number.
    Bare,
    /// A quoted string: `"patient_id"` in `df.drop("patient_id", axis=1)` names a column; it is
    /// never the subject of the group.
    Quoted,
    /// The value of a keyword argument (`axis=1`, `n = 5`): an option of the call, not a value
    /// compared with the key.
    KeywordValue,
}

/// The name of a keyword argument (`axis` in `drop("x", axis=1)`) when the text before a token
/// ends in `, name =` or `( name =` (one `=`, not `==`, `<=`, `>=`, `!=`, `:=`).
fn keyword_value(before: &str) -> Option<&str> {
    let rest = before.trim_end().strip_suffix('=')?;
    if rest.ends_with(['=', '<', '>', '!', ':']) {
        return None;
    }
    let rest = rest.trim_end();
    let name = IDENT.find_iter(rest).last()?;
    let opens_argument = rest[..name.start()].trim_end().ends_with([',', '(']);
    (name.end() == rest.len() && opens_argument).then_some(name.as_str())
}

/// Count a token or string directly inside the innermost open group.
fn note_literal(stack: &mut [Frame], tok: &str, kind: Token, cx: &Context<'_>) {
    let Some(f) = stack.last_mut() else {
        return;
    };
    let first = f.first_token;
    f.first_token = false;
    let is_name = tok
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && !tok.bytes().any(|b| b.is_ascii_digit());
    if is_name {
        // `inlist(pnr, …)`: the first name inside is the subject.
        if first
            && kind == Token::Bare
            && f.subject.is_none()
            && cx.people.key_name(tok, false).is_some()
        {
            f.subject = Some(tok.to_string());
        }
        return;
    }
    if kind == Token::KeywordValue {
        return;
    }
    if tok.bytes().any(|b| b.is_ascii_digit()) {
        f.literals += 1;
        if id_like(tok) {
            f.id_like += 1;
        }
    }
}

fn judge(f: &Frame, o: &mut Out<'_>, content: &str) {
    if f.id_like >= MIN_LIST {
        let message = match &f.subject {
            Some(s) => format!(
                "a list of values of person key '{}' hard-coded in the program",
                short(s)
            ),
            None => "a list of ID-like values hard-coded in the program".to_string(),
        };
        o.push(f.line, "list", message, content);
    } else if let Some(s) = &f.subject {
        if f.literals > 0 {
            o.push(
                f.line,
                "list",
                format!(
                    "values of person key '{}' hard-coded in a condition or list",
                    short(s)
                ),
                content,
            );
        }
    }
}

/// The person-key name a bracket group is about, from the text before its opening bracket:
/// `pnr in (`, `pnr %in% c(`, `df.pnr.isin([`, `pnr not in (`.
fn subject_before(before: &str, cx: &Context<'_>) -> Option<String> {
    let t = before.trim_end();
    let lower = t.to_ascii_lowercase();
    let stripped = lower.strip_suffix("c").map(str::trim_end).unwrap_or(&lower);
    let rest = ["%in%", " in", " not in", ".isin", "isin", "=", "<-"]
        .iter()
        .find_map(|op| stripped.strip_suffix(op))?;
    let rest = rest.trim_end().trim_end_matches(" not").trim_end();
    let name = IDENT.find_iter(rest).last()?;
    if name.end() != rest.len() {
        return None;
    }
    // `df.pnr`, `df$pnr`, `df["pnr"]` → the last part.
    let last = name.as_str().rsplit('.').next().unwrap_or(name.as_str());
    match cx.people.key_name(last, false) {
        Some(NameClass::PersonKey | NameClass::ProviderKey) => Some(last.to_string()),
        _ => None,
    }
}

/// A literal that looks like an individual's key: 8 or more digits (with `-`, space or `.`
/// between groups) that are not a date or a round number, a hex key of 8 or more, or a UUID.
pub fn id_like(tok: &str) -> bool {
    let t = tok.trim_matches(|c: char| c == '"' || c == '\'' || c == ',' || c == ';');
    if t.len() < 8 || t.len() > 64 {
        return false;
    }
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    let all_digitish = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b' ' | b'.'));
    if all_digitish {
        if digits < 8 {
            return false;
        }
        // A decimal (`0.123456789`, `3.14159265`), a date (`2020-01-01`, `20200101`) or a round
        // number (`100000000`) is not a key.
        if t.contains('.') && t.bytes().filter(|b| *b == b'.').count() == 1 {
            return false;
        }
        if crate::rules::people::is_day_date(t) || yyyymmdd(t) {
            return false;
        }
        let trailing_zeros = t.bytes().rev().take_while(|b| *b == b'0').count();
        return trailing_zeros < 4 && !crate::ident::snomed_concept(t);
    }
    // Hex keys (with a digit and a letter) and UUIDs.
    let hexish = t.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    hexish && digits > 0 && t.bytes().any(|b| b.is_ascii_alphabetic()) && t.len() >= 16
}

fn yyyymmdd(t: &str) -> bool {
    if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let y: u32 = t[..4].parse().unwrap_or(0);
    let m: u32 = t[4..6].parse().unwrap_or(0);
    let d: u32 = t[6..].parse().unwrap_or(0);
    (1800..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings_of(code: &str) -> Vec<(u32, String)> {
        let rules = crate::config::Rules::default_rules();
        let lexicon = crate::table::classify::Lexicon::new(&rules.vocabulary);
        let people = crate::rules::people::People::new(&rules.vocabulary);
        let cx = Context {
            rules: &rules,
            lexicon: &lexicon,
            people: &people,
            words: &crate::rules::words::Words::new(&rules.vocabulary),
        };
        let text = Text::of(crate::model::TextKind::Code, code);
        let mut out = Vec::new();
        check_code(&text, &cx, &mut out);
        out.into_iter()
            .map(|f| (f.location.line.unwrap_or(0), f.message))
            .collect()
    }

    #[test]
    fn keyword_arguments_are_told_from_comparisons() {
        assert_eq!(
            keyword_value(r#"df.drop("patient_id", axis="#),
            Some("axis")
        );
        assert_eq!(keyword_value("head(n = "), Some("n"));
        assert_eq!(keyword_value("data x(where=(pnr="), Some("pnr"));
        assert_eq!(keyword_value("if (pnr == "), None);
        assert_eq!(keyword_value("x <= "), None);
        assert_eq!(keyword_value("total = "), None);
    }

    #[test]
    fn key_comparisons_with_and_without_spaces() {
        assert_eq!(findings_of("if pnr=000012345678 then x=1;").len(), 1);
        assert_eq!(findings_of("df[df$lbnr == \"12345\", ]").len(), 1);
        assert_eq!(findings_of("drop if lopnr != 123456").len(), 1);
        assert!(findings_of("if pnr >= 1000 then x = 1;").is_empty());
        assert!(findings_of("pnr = put(cpr_num, z10.);").is_empty());
        assert!(findings_of("keep if inrange(alder, 18, 65)").is_empty());
        assert!(findings_of("where pnr in (select pnr from cohort);").is_empty());
        let sql = findings_of("SELECT * FROM t WHERE PNR IN ('000012345678');");
        assert_eq!(sql.len(), 1, "{sql:?}");
    }

    #[test]
    fn identifiers_in_code_need_a_form_quotes_or_a_key() {
        let cpr = crate::ident::generate::cpr(77);
        let bare = crate::ident::generate::compact(&cpr);
        assert_eq!(findings_of(&format!("* {cpr} moved abroad;")).len(), 1);
        assert_eq!(
            findings_of(&format!("if cpr_num = {bare} then x = 1;")).len(),
            1
        );
        // An eleven-digit fødselsnummer without context: counted only when quoted.
        let fnr = crate::ident::generate::fodselsnummer(78);
        assert_eq!(findings_of(&format!("ids = [\"{fnr}\"]")).len(), 1);
        assert!(findings_of(&format!("x <- {fnr}")).is_empty());
    }

    #[test]
    fn a_list_over_several_lines_is_reported_at_its_start() {
        let ids: Vec<String> = (0..6)
            .map(|i| format!("{:012}", 12_345_678 + i * 7919))
            .collect();
        let code = format!("ids <- c(\n  {}\n)\n", ids.join(",\n  "));
        let found = findings_of(&code);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 1);
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let alphabet: Vec<char> = "ab pnr=in(),[]{}\"'0123456789-.;%cæø€\u{301}\t"
            .chars()
            .collect();
        let mut r = crate::ident::generate::Rng::new(9);
        for _ in 0..300 {
            let len = r.below(120) as usize;
            let line: String = (0..len)
                .map(|_| alphabet[r.below(alphabet.len() as u64) as usize])
                .collect();
            let _ = findings_of(&format!("{line}\n{line}\ndatalines;\n{line}\n;"));
        }
    }

    #[test]
    fn id_like_literals() {
        assert!(id_like("000012345678"));
        assert!(id_like("\"0101901234\""));
        assert!(id_like("838e3532-0deb-eb80-3c5e-f5b4c243efaa"));
        for t in [
            "E11",
            "A10BA02",
            "2020",
            "1000000000",
            "20200101",
            "2020-01-01",
            "0.123456789",
            "12345",
            "deadbeef",
            // SNOMED CT concept ids (type 2 diabetes, hypertension, asthma).
            "44054006",
            "38341003",
            "73211009",
            "46635009",
            "195967001",
            "22298006",
            "404684003",
        ] {
            assert!(!id_like(t), "{t}");
        }
    }
}
