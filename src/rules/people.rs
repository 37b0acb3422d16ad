//! What the `person-id`, `micro-data` and `code-literal` rules share: the compiled column-name
//! vocabularies of person keys, provider numbers and quasi-identifiers (`[vocabulary]` in the
//! rules files, `docs/identifiers.md` §6), value patterns that recognise a quasi-identifier column
//! without a telling name (day-precision dates, diagnosis and ATC codes, sex codes), and the one
//! identifier [`Scanner`] of the run.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::config::Vocabulary;
use crate::ident::{classify_column, ColumnIdClass, Confidence, KeyNames};
use crate::model::{Cell, Kind, Row, Table, Value};
use crate::rules::Context;
use crate::table::classify::tokens;

/// A kind of quasi-identifier: a fact about a person that, combined with others, singles them out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QiKind {
    BirthDate,
    EventDate,
    Sex,
    Age,
    Geography,
    Origin,
    Diagnosis,
}

impl QiKind {
    /// The kind as a finding names it.
    pub fn describe(self) -> &'static str {
        match self {
            QiKind::BirthDate => "birth or death date",
            QiKind::EventDate => "event date",
            QiKind::Sex => "sex",
            QiKind::Age => "age",
            QiKind::Geography => "geography",
            QiKind::Origin => "origin",
            QiKind::Diagnosis => "diagnosis or drug code",
        }
    }
}

/// What a column name says about the people in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameClass {
    /// A national ID or pseudonymised person number (`pnr`, `shnro`, `USUBJID`).
    PersonKey,
    /// A provider number (`ydernr`): a small practice is a single doctor.
    ProviderKey,
    Quasi(QiKind),
}

/// The compiled vocabularies (build once per run; `Send + Sync`).
#[derive(Debug, Clone, Default)]
pub struct People {
    /// The person-key and provider names as the identifier scanner's column decision matches
    /// them.
    pub keys: KeyNames,
    person_key: HashSet<String>,
    /// Person-key words that name a key only as the whole column name (`n_patient` is a
    /// count).
    whole_name_only: HashSet<String>,
    provider_key: HashSet<String>,
    /// Values that name a sex, lower-cased.
    sex_values: HashSet<String>,
    quasi: Vec<(HashSet<String>, QiKind)>,
}

/// A name as the vocabularies are matched: tokens (lower-cased, diacritics folded) joined by `_`.
pub fn normalise(name: &str) -> Vec<String> {
    tokens(name)
}

fn set(list: &[String]) -> HashSet<String> {
    list.iter()
        .map(|w| normalise(w).join("_"))
        .filter(|w| !w.is_empty())
        .collect()
}

impl People {
    pub fn new(vocab: &Vocabulary) -> Self {
        People {
            keys: KeyNames::new(
                vocab
                    .person_key
                    .iter()
                    .chain(&vocab.provider_key)
                    .map(String::as_str),
            ),
            person_key: set(&vocab.person_key),
            whole_name_only: set(&vocab.person_key_whole_name_only),
            provider_key: set(&vocab.provider_key),
            sex_values: vocab.sex_values.iter().map(|v| v.to_lowercase()).collect(),
            quasi: vec![
                (set(&vocab.birth_date), QiKind::BirthDate),
                (set(&vocab.event_date), QiKind::EventDate),
                (set(&vocab.diagnosis), QiKind::Diagnosis),
                (set(&vocab.sex), QiKind::Sex),
                (set(&vocab.age), QiKind::Age),
                (set(&vocab.origin), QiKind::Origin),
                (set(&vocab.geography), QiKind::Geography),
            ],
        }
    }

    /// Is a variable name printed in a log (a `list` or `levelsof` variable, a column of a
    /// printed table) a person key: a name of the person-key list, a bare `id`, or a name ending
    /// in `_id`, `pnr` or `subjid`?
    pub fn listed_key(&self, name: &str) -> bool {
        let n = name
            .trim()
            .trim_matches(['"', '\'', '`'])
            .to_ascii_lowercase();
        n == "id"
            || self.person_key.contains(&normalise(&n).join("_"))
            || n.ends_with("_id")
            || n.ends_with("pnr")
            || n.ends_with("subjid")
    }

    /// A value that names a sex (`F`, `male`, `kvinde`).
    pub fn is_sex_value(&self, v: &str) -> bool {
        self.sex_values.contains(&v.trim().to_lowercase())
    }

    /// Is the (whole) name a person key? `strict` allows only the whole name; otherwise a known
    /// key as the last part also counts (`mor_pnr`, `lopnr_personnr`, `pnr (pseudonymised)`
    /// does not).
    pub fn key_name(&self, name: &str, strict: bool) -> Option<NameClass> {
        let toks = normalise(name);
        if toks.is_empty() || toks.len() > 8 {
            return None;
        }
        for start in 0..toks.len() {
            if strict && start > 0 {
                break;
            }
            let tail = toks[start..].join("_");
            // A single short or generic last word (`id`, `nr`, `patient`) is not enough.
            if start > 0
                && (toks.len() - start == 1)
                && (tail.len() < 3 || self.whole_name_only.contains(&tail))
            {
                continue;
            }
            if self.person_key.contains(&tail) {
                return Some(NameClass::PersonKey);
            }
            if self.provider_key.contains(&tail) {
                return Some(NameClass::ProviderKey);
            }
        }
        None
    }

    /// Does any part of a name (`cpr_num`, `pnr.mor`) name a person key? Generic words
    /// (`patient_age`) do not count.
    pub fn has_key_part(&self, name: &str) -> bool {
        let toks = normalise(name);
        toks.len() <= 8
            && toks.iter().any(|t| {
                t.len() >= 3
                    && !self.whole_name_only.contains(t)
                    && (self.person_key.contains(t) || self.provider_key.contains(t))
            })
    }

    /// The quasi-identifier a column name names: any run of up to three of its parts
    /// (`age_group`, `foed_dag`, `Municipality of residence`).
    pub fn quasi_name(&self, name: &str) -> Option<QiKind> {
        let toks = normalise(name);
        if toks.is_empty() || toks.len() > 12 {
            return None;
        }
        let whole = toks.join("_");
        for (words, kind) in &self.quasi {
            if words.contains(&whole) {
                return Some(*kind);
            }
        }
        for (words, kind) in &self.quasi {
            for len in (1..=3.min(toks.len())).rev() {
                for start in 0..=toks.len() - len {
                    if words.contains(&toks[start..start + len].join("_")) {
                        return Some(*kind);
                    }
                }
            }
        }
        None
    }

    /// Is this name a birth-date name (for `code-literal`)?
    pub fn is_birth_date_name(&self, name: &str) -> bool {
        self.quasi_name(name) == Some(QiKind::BirthDate)
    }
}

// ---------------------------------------------------------------------------------------------
// Value patterns

static DAY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            (?:18|19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[T\ ][0-9:.]+)?
          | (?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:18|19|20)\d{2}
          | (?:0?[1-9]|[12]\d|3[01])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:18|19|20)?\d{2}
        )$",
    )
    .unwrap_or_else(|e| panic!("static regex: {e}"))
});

static DIAGNOSIS_CODE: LazyLock<Regex> = LazyLock::new(|| {
    // ICD-10 (`E11`, `E11.9`, `I21.0A`), Danish SKS (`DE11`, `DF200`), ATC (`A10BA02`, `N06A`).
    Regex::new(r"^(?:D?[A-TV-Z]\d{2}(?:\.?\d{1,2}[A-Z]?)?|[A-Z]\d{2}[A-Z]{1,2}(?:\d{2})?)$")
        .unwrap_or_else(|e| panic!("static regex: {e}"))
});

/// A date at day precision (`1962-10-21`, `21.10.1962`, `21OCT1962`), with or without a time.
pub fn is_day_date(v: &str) -> bool {
    let v = v.trim();
    v.len() >= 7 && v.len() <= 32 && DAY_DATE.is_match(v)
}

/// A diagnosis (ICD-10, SKS) or drug (ATC) code.
pub fn is_diagnosis_code(v: &str) -> bool {
    let v = v.trim();
    v.len() >= 3 && v.len() <= 8 && DIAGNOSIS_CODE.is_match(v)
}

/// The quasi-identifier a column's values show on their own, if nearly all (≥ 90 %, at least
/// 5) of its non-empty values have one shape.
pub fn quasi_by_values<'a>(
    values: impl Iterator<Item = &'a str>,
    people: &People,
) -> Option<QiKind> {
    let mut n = 0usize;
    let (mut day, mut diag, mut sex) = (0usize, 0usize, 0usize);
    for v in values {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        n += 1;
        if is_day_date(v) {
            day += 1;
        } else if is_diagnosis_code(v) {
            diag += 1;
        } else if people.is_sex_value(v) {
            sex += 1;
        }
    }
    if n < 5 {
        return None;
    }
    let most = |k: usize| k * 10 >= n * 9;
    if most(day) {
        Some(QiKind::EventDate)
    } else if most(diag) {
        Some(QiKind::Diagnosis)
    } else if most(sex) {
        Some(QiKind::Sex)
    } else {
        None
    }
}

/// The column-level decision for one column: what its values are, if they are identifiers.
///
/// A generic `*_id` name (`region_id`, `category_id`) is not a person key by itself; a bare
/// `id` is, unless the table counts something (then it numbers the rows of an aggregate).
pub fn column_class(
    name: &str,
    values: &[&str],
    cx: &Context<'_>,
    counted: bool,
) -> Option<&'static str> {
    let by_name = cx.people.key_name(name, false);
    // A column that a person-key name heads stays a key whatever its values look like.
    if by_name.is_none() && codes_of_concepts(values) {
        return None;
    }
    let bare_id = normalise(name).join("_") == "id";
    if let Some(found) = classify_column(name, values, &cx.people.keys) {
        let generic = !found.name_matched && by_name.is_none();
        if found.class == ColumnIdClass::PseudonymisedKey && generic && (!bare_id || counted) {
            return None;
        }
        match found.class {
            ColumnIdClass::National(kind) if found.confidence >= Confidence::Medium => {
                return Some(kind.describe());
            }
            ColumnIdClass::PseudonymisedKey => {
                return Some(match by_name {
                    Some(NameClass::ProviderKey) => "provider number",
                    _ => "pseudonymised person number",
                });
            }
            _ => {}
        }
    }
    // A key name from the profile's vocabulary with key-shaped values (`USUBJID` =
    // `01-701-1015`): letters, digits and separators with at least one digit, mostly distinct.
    let class = by_name?;
    let vals: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if vals.len() < 3 {
        return None;
    }
    // A decimal number (`3.84`, a chi-square beside its test) is a statistic, not a key.
    let decimal = |v: &str| {
        let v = v.strip_prefix('-').unwrap_or(v);
        v.split_once(['.', ',']).is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        })
    };
    let shaped = vals.iter().filter(|v| id_token(v) && !decimal(v)).count();
    let distinct = vals.iter().collect::<HashSet<_>>().len();
    if shaped * 10 >= vals.len() * 9 && distinct * 2 >= vals.len() {
        Some(match class {
            NameClass::ProviderKey => "provider number",
            _ => "pseudonymised person number",
        })
    } else {
        None
    }
}

/// Whether a column holds SNOMED CT concept ids (at least 3, every one passing the partition and
/// Verhoeff check; 2 in 1 000 random numbers pass, so three random keys all do once in 10^8):
/// a code list that an `id` or `code` column heads, not numbers of persons. Only for a column
/// that no person-key name heads.
fn codes_of_concepts(values: &[&str]) -> bool {
    let mut n = 0usize;
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if !crate::ident::snomed_concept(v) {
            return false;
        }
        n += 1;
    }
    n >= 3
}

/// A token that can be a key: 3 to 40 letters, digits, `-`, `_`, `.` or `/`, with a digit.
pub fn id_token(v: &str) -> bool {
    (3..=40).contains(&v.len())
        && v.bytes().any(|b| b.is_ascii_digit())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
}

/// Does the table count something: a column headed as a count (`n`, `Antal`) with counts
/// above 1? Then it is an aggregate, whatever else it holds.
pub fn counted(table: &Table, cx: &Context<'_>) -> bool {
    table.columns.iter().any(|c| {
        c.kind == Kind::Count
            && cx.lexicon.header_kind(&c.name) == Some(Kind::Count)
            && table
                .rows
                .iter()
                .filter_map(|r| cell_at(r, c.col))
                .any(|x| match &x.value {
                    Value::Number(n) => n.value > 1.0,
                    Value::Empty | Value::Label => false,
                    _ => true,
                })
    })
}

/// Rows a column is judged on: the first 5 000, as many as a streamed table keeps, so that a
/// table is judged alike whether it was read whole or streamed.
pub const COLUMN_SAMPLE: usize = 5_000;

/// The values of one column among the first [`COLUMN_SAMPLE`] rows in memory.
pub fn column_values(table: &Table, col: u32) -> Vec<&str> {
    table
        .rows
        .iter()
        .take(COLUMN_SAMPLE)
        .filter_map(|r| cell_at(r, col))
        .map(|c| c.text.as_str())
        .collect()
}

/// The cell of a row in column `col`: where it usually is (cells in column order from 1), else
/// searched for.
pub fn cell_at(row: &Row, col: u32) -> Option<&Cell> {
    let guess = (col as usize).checked_sub(1).and_then(|i| row.cells.get(i));
    match guess {
        Some(c) if c.col == col => Some(c),
        _ => row.cell(col),
    }
}

/// The identifier columns of a table (from the rows in memory): `(column, what it holds)`.
pub fn id_columns(table: &Table, cx: &Context<'_>) -> Vec<(u32, &'static str)> {
    let counted = counted(table, cx);
    table
        .columns
        .iter()
        .filter_map(|column| {
            let values = column_values(table, column.col);
            column_class(&column.name, &values, cx, counted).map(|what| (column.col, what))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Rules;

    fn people() -> People {
        People::new(&Rules::default_rules().vocabulary)
    }

    #[test]
    fn an_id_column_of_snomed_concepts_is_a_code_list() {
        let rules = Rules::default_rules();
        let compiled = crate::rules::Compiled::new(&rules);
        let cx = Context::new(&rules, &compiled);
        let concepts = ["22298006", "401303003", "194828000", "84114007", "42343007"];
        assert_eq!(column_class("id", &concepts, &cx, false), None);
        // The same shape, one digit off in each: keys again.
        let keys = ["22298007", "401303004", "194828001", "84114008", "42343008"];
        assert!(column_class("id", &keys, &cx, false).is_some());
        // A person-key name keeps its column a key.
        assert!(column_class("patient_id", &concepts, &cx, false).is_some());
    }

    #[test]
    fn a_short_key_name_needs_key_values() {
        // `chi` is the Scottish CHI number, and also a chi-square column: its statistics are
        // not person numbers.
        let rules = Rules::default_rules();
        let compiled = crate::rules::Compiled::new(&rules);
        let cx = Context::new(&rules, &compiled);
        let stats = ["3.84", "12.10", "0.52", "7.33", "1.09"];
        assert_eq!(column_class("chi", &stats, &cx, false), None);
        let keys = [
            "0101901234",
            "0202912345",
            "0303923456",
            "0404934567",
            "0505945678",
        ];
        assert!(column_class("chi", &keys, &cx, false).is_some());
    }

    #[test]
    fn key_names() {
        let p = people();
        for n in [
            "pnr",
            "PNR",
            "lbnr",
            "USUBJID",
            "patient_id",
            "RINPERSOON",
            "shnro",
            "mor_pnr",
        ] {
            assert_eq!(p.key_name(n, false), Some(NameClass::PersonKey), "{n}");
        }
        assert_eq!(p.key_name("ydernr", false), Some(NameClass::ProviderKey));
        for n in [
            "id",
            "n",
            "n_patient",
            "patients",
            "Antal",
            "practice",
            "region_id",
            "n_id",
        ] {
            assert_eq!(p.key_name(n, false), None, "{n}");
        }
        assert_eq!(p.key_name("mor_pnr", true), None);
        assert!(p.has_key_part("cpr_num"));
        assert!(p.has_key_part("pnr.mor"));
        assert!(!p.has_key_part("patient_age"));
        assert!(!p.has_key_part("region"));
    }

    #[test]
    fn quasi_names() {
        let p = people();
        assert_eq!(p.quasi_name("foed_dato"), Some(QiKind::BirthDate));
        assert_eq!(p.quasi_name("BRTHDTC"), Some(QiKind::BirthDate));
        assert_eq!(p.quasi_name("Age group"), Some(QiKind::Age));
        assert_eq!(p.quasi_name("køn"), Some(QiKind::Sex));
        assert_eq!(p.quasi_name("Kommune"), Some(QiKind::Geography));
        assert_eq!(p.quasi_name("c_adiag"), Some(QiKind::Diagnosis));
        assert_eq!(p.quasi_name("Antal"), None);
        assert_eq!(p.quasi_name("page"), None);
        assert_eq!(p.quasi_name("average"), None);
    }

    #[test]
    fn value_shapes() {
        assert!(is_day_date("1962-10-21"));
        assert!(is_day_date("2014-07-02T11:45"));
        assert!(is_day_date("21.10.1962"));
        assert!(is_day_date("21OCT1962"));
        assert!(!is_day_date("2015"));
        assert!(!is_day_date("2015-2019"));
        assert!(is_diagnosis_code("E11"));
        assert!(is_diagnosis_code("DE11"));
        assert!(is_diagnosis_code("I21.9"));
        assert!(is_diagnosis_code("A10BA02"));
        assert!(!is_diagnosis_code("Total"));
        assert!(!is_diagnosis_code("2015"));
        let sexes = ["M", "F", "F", "M", "M"];
        assert_eq!(
            quasi_by_values(sexes.into_iter(), &people()),
            Some(QiKind::Sex)
        );
        let dates = [
            "2001-02-03",
            "1999-12-31",
            "2005-06-07",
            "2010-01-02",
            "1980-03-04",
        ];
        assert_eq!(
            quasi_by_values(dates.into_iter(), &people()),
            Some(QiKind::EventDate)
        );
        let nums = ["1", "2", "3", "4", "5"];
        assert_eq!(quasi_by_values(nums.into_iter(), &people()), None);
    }
}
