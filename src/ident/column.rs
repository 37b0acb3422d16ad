//! Column-level decision (`docs/identifiers.md` §5).
//!
//! A column is a **national ID column** when at least 90 % of its non-empty values validate as
//! one kind (at least 3 values; at least 5 for the weak BSN and NHS checks, which 1 in 11 random
//! numbers pass). It is a **pseudonymised key column** when its name is in the key vocabulary
//! (`pnr`, `lbnr`, `shnro`, `RINPERSOON`, `patient_id`, …) and its values look like keys. Without
//! a known name, a column whose values are distinct, of one fixed width of at least 8, and all
//! digits or all hex, is **key-like**.

use std::collections::HashSet;

use super::checks;
use super::{Confidence, IdKind};

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnIdClass {
    /// Values are national identifiers of this kind (the most common kind in its family, e.g.
    /// personnummer rather than samordningsnummer).
    National(IdKind),
    /// The name is a known person-key name and the values look like keys.
    PseudonymisedKey,
    /// No known name, but the values look like a key (distinct, fixed width, digits or hex).
    KeyLike,
}

/// The result of [`classify_column`].
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnIdFinding {
    pub class: ColumnIdClass,
    pub confidence: Confidence,
    /// Non-empty values seen.
    pub n_nonempty: usize,
    /// Values that validate as the kind (for `National`), else values of key shape.
    pub n_matching: usize,
    /// Distinct non-empty values.
    pub n_distinct: usize,
    /// The column name is in the person-key vocabulary.
    pub name_matched: bool,
}

impl ColumnIdFinding {
    /// Share of non-empty values that match.
    pub fn share(&self) -> f64 {
        if self.n_nonempty == 0 {
            0.0
        } else {
            self.n_matching as f64 / self.n_nonempty as f64
        }
    }
}

/// The person-key column names of the rules in force (`[vocabulary] person_key` and
/// `provider_key`), compared after [`normalise_name`] (`docs/identifiers.md` §5.2).
#[derive(Debug, Clone, Default)]
pub struct KeyNames(HashSet<String>);

impl KeyNames {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> KeyNames {
        KeyNames(names.into_iter().map(normalise_name).collect())
    }

    fn contains(&self, norm: &str) -> bool {
        self.0.contains(norm)
    }
}

/// Lowercase, fold Nordic and accented letters to ASCII, turn `-`, space and `.` into `_`.
pub(crate) fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'æ' | 'ä' => out.push_str("ae"),
            'ø' | 'ö' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'ü' => out.push('u'),
            'é' | 'è' | 'ê' => out.push('e'),
            '-' | ' ' | '.' => out.push('_'),
            c => out.push(c),
        }
    }
    out
}

/// Is the (normalised) name a person-key name? Whole-name match, a structured register name
/// (`w19_0634_lopenr_person`, `p1105_lopnr_personnr`), a known name as the last `_` token, or a
/// generic `id` / `*_id` name (the caller still needs key-like values for those).
fn key_name(norm: &str, keys: &KeyNames) -> (bool, bool) {
    // Folded forms: "loebenr" ← "løbenr"; "fodselsnummer" also written "foedselsnummer".
    let alt = norm
        .replace("oe", "o")
        .replace("ae", "a")
        .replace("aa", "a");
    let known = |s: &str| keys.contains(s);
    if known(norm) || known(&alt) {
        return (true, false);
    }
    let tokens: Vec<&str> = norm.split('_').filter(|t| !t.is_empty()).collect();
    if norm.contains("lopenr_person") || norm.contains("lopnr_personnr") {
        return (true, false);
    }
    if let Some(last) = tokens.last() {
        if known(last) && last.len() >= 3 {
            return (true, false);
        }
        if *last == "id" {
            return (false, true);
        }
    }
    (false, false)
}

/// Decide what a column holds from its name and non-empty values (empty strings are ignored).
/// `None` when it is neither a national-ID column nor a person-key column.
pub fn classify_column(name: &str, values: &[&str], keys: &KeyNames) -> Option<ColumnIdFinding> {
    let vals: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if vals.is_empty() {
        return None;
    }
    let norm = normalise_name(name);
    let (name_known, name_generic_id) = key_name(&norm, keys);
    let n_distinct = vals.iter().collect::<HashSet<_>>().len();
    national_column(&vals, n_distinct, name_known)
        .or_else(|| key_column(&vals, n_distinct, name_known, name_generic_id))
}

/// National identifiers: count per family, report the most common kind in the best family.
fn national_column(vals: &[&str], n_distinct: usize, name_known: bool) -> Option<ColumnIdFinding> {
    let n = vals.len();
    let mut per_kind = [0usize; 16];
    let mut per_family = [0usize; 32];
    for v in vals {
        let kinds = checks::kinds_of_value(v);
        let mut fams = 0u32;
        for k in kinds.iter() {
            per_kind[k as usize] += 1;
            fams |= 1 << k.family();
        }
        for (f, count) in per_family.iter_mut().enumerate() {
            if fams & (1 << f) != 0 {
                *count += 1;
            }
        }
    }
    let mut best: Option<(IdKind, usize)> = None;
    for k in IdKind::NATIONAL {
        let fam_count = per_family[k.family() as usize];
        let weak = matches!(k, IdKind::DutchBsn | IdKind::UkNhsNumber);
        let min_n = if weak && !name_known { 5 } else { 3 };
        if n < min_n || fam_count * 10 < n * 9 {
            continue;
        }
        let better = match best {
            None => true,
            Some((bk, bc)) => {
                fam_count > bc || (fam_count == bc && per_kind[k as usize] > per_kind[bk as usize])
            }
        };
        if better {
            best = Some((k, fam_count));
        }
    }
    let (k, count) = best?;
    // Within the family pick the most common kind.
    let kind = IdKind::NATIONAL
        .into_iter()
        .filter(|o| o.family() == k.family())
        .max_by_key(|o| (per_kind[*o as usize], std::cmp::Reverse(*o as u8)))
        .unwrap_or(k);
    let weak = matches!(kind, IdKind::DutchBsn | IdKind::UkNhsNumber);
    Some(ColumnIdFinding {
        class: ColumnIdClass::National(kind),
        confidence: if weak && !name_known {
            Confidence::Medium
        } else {
            Confidence::High
        },
        n_nonempty: n,
        n_matching: count,
        n_distinct,
        name_matched: name_known,
    })
}

/// Person keys by their statistics: every value a plain token of digits or hex (UUIDs
/// allowed), one width, nearly all distinct; a known key name needs less.
fn key_column(
    vals: &[&str],
    n_distinct: usize,
    name_known: bool,
    name_generic_id: bool,
) -> Option<ColumnIdFinding> {
    let n = vals.len();
    let key_shaped = vals.iter().filter(|v| key_token(v)).count();
    let first_len = vals[0].len();
    let fixed_width = vals.iter().all(|v| v.len() == first_len);
    let distinct_share = n_distinct as f64 / n as f64;
    let all_key_shaped = key_shaped == n;
    let finding = |class, confidence, name_matched| ColumnIdFinding {
        class,
        confidence,
        n_nonempty: n,
        n_matching: key_shaped,
        n_distinct,
        name_matched,
    };
    if name_known && all_key_shaped {
        let strong_stats = fixed_width || distinct_share >= 0.9;
        let confidence = if strong_stats {
            Confidence::High
        } else {
            Confidence::Medium
        };
        return Some(finding(ColumnIdClass::PseudonymisedKey, confidence, true));
    }
    let key_like_stats = n >= 5 && all_key_shaped && fixed_width && distinct_share >= 0.9;
    if name_generic_id && n >= 3 && all_key_shaped && distinct_share >= 0.9 {
        return Some(finding(
            ColumnIdClass::PseudonymisedKey,
            Confidence::High,
            false,
        ));
    }
    if key_like_stats && first_len >= 8 {
        return Some(finding(ColumnIdClass::KeyLike, Confidence::Medium, false));
    }
    None
}

/// A value that looks like a key: digits only, or hex (≥ 8 characters, with a digit), or a
/// UUID. Decimals, negative numbers and words are not keys.
fn key_token(v: &str) -> bool {
    let b = v.as_bytes();
    if b.is_empty() || b.len() > 128 {
        return false;
    }
    if b.iter().all(u8::is_ascii_digit) {
        return true;
    }
    if checks::is_uuid(b) {
        return true;
    }
    b.len() >= 8 && b.iter().all(u8::is_ascii_hexdigit) && b.iter().any(u8::is_ascii_digit)
}
