//! Recognising national person identifiers (and ID-like hashes) in free text and table cells.
//!
//! This module is pure and knows nothing of file formats, rules or thresholds. It offers:
//!
//! - [`Scanner`]: one pass over a piece of text (a log line, a cell, a comment) that finds every
//!   identifier shape at once. A fast digit-run tokenizer finds candidate positions, fixed
//!   shape templates keyed by the length of the first digit group cut out candidates, and a
//!   validator per kind checks dates and check digits. Context words (`cpr`, `hetu`, `fnr`, …)
//!   found by one Aho-Corasick automaton before a value raise its [`Confidence`]; negative words
//!   (`phone`, `timestamp`, `orgnr`, …) drop it.
//! - [`validate`]: does one value (a whole cell) validate as one kind?
//! - [`classify_column`]: the column-level decision of the identifiers spec (§0 item 1, §1.5,
//!   §3.1): a national ID column when ≥ 90 % of the non-empty values validate, or a
//!   pseudonymised key column by name plus key-like statistics.
//! - [`mask`]: a shape-keeping mask for reports that never shows more than 2 leading characters.
//! - [`generate`]: synthetic valid identifiers for tests and fixtures.
//!
//! Formats and check-digit rules follow `identifiers.md` §1.2 (python-stdnum as reference).

mod checks;
mod codes;
mod column;
pub mod generate;
mod scan;

#[cfg(test)]
mod tests;

pub use codes::snomed_concept;
pub use column::{classify_column, ColumnIdClass, ColumnIdFinding, KeyNames};
pub use scan::Scanner;

/// The identifier scanner of the run, compiled once per process (it holds only constant
/// patterns): the rules and the redaction of labels share it.
pub fn scanner() -> &'static Scanner {
    static SCANNER: std::sync::LazyLock<Scanner> = std::sync::LazyLock::new(Scanner::new);
    &SCANNER
}

use std::fmt;

/// The kinds of identifier this module recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum IdKind {
    DanishCpr,
    FinnishHetu,
    SwedishPersonnummer,
    SwedishSamordningsnummer,
    NorwegianFodselsnummer,
    NorwegianDNumber,
    NorwegianHNumber,
    IcelandicKennitala,
    BelgianNiss,
    BelgianBis,
    DutchBsn,
    UkNhsNumber,
    FrenchNir,
    EstonianIsikukood,
    /// A UUID (8-4-4-4-12 hex). Only a finding as a data value or next to an ID context word.
    Uuid,
    /// A hex string of hash length (32, 40, 64 or 128). Same caveat as [`IdKind::Uuid`].
    HexHash,
}

impl IdKind {
    /// Every kind, in declaration order.
    pub const ALL: [IdKind; 16] = [
        IdKind::DanishCpr,
        IdKind::FinnishHetu,
        IdKind::SwedishPersonnummer,
        IdKind::SwedishSamordningsnummer,
        IdKind::NorwegianFodselsnummer,
        IdKind::NorwegianDNumber,
        IdKind::NorwegianHNumber,
        IdKind::IcelandicKennitala,
        IdKind::BelgianNiss,
        IdKind::BelgianBis,
        IdKind::DutchBsn,
        IdKind::UkNhsNumber,
        IdKind::FrenchNir,
        IdKind::EstonianIsikukood,
        IdKind::Uuid,
        IdKind::HexHash,
    ];

    /// The national person identifiers: the first 14 of [`IdKind::ALL`] (all but UUIDs and
    /// hashes).
    pub const NATIONAL: [IdKind; 14] = {
        let mut out = [IdKind::DanishCpr; 14];
        let mut i = 0;
        while i < 14 {
            out[i] = Self::ALL[i];
            i += 1;
        }
        out
    };

    /// A short human description, e.g. "Danish CPR number".
    pub fn describe(&self) -> &'static str {
        match self {
            IdKind::DanishCpr => "Danish CPR number",
            IdKind::FinnishHetu => "Finnish personal identity code (henkilötunnus)",
            IdKind::SwedishPersonnummer => "Swedish personal identity number (personnummer)",
            IdKind::SwedishSamordningsnummer => "Swedish co-ordination number (samordningsnummer)",
            IdKind::NorwegianFodselsnummer => "Norwegian national identity number (fødselsnummer)",
            IdKind::NorwegianDNumber => "Norwegian D-number",
            IdKind::NorwegianHNumber => "Norwegian H-number",
            IdKind::IcelandicKennitala => "Icelandic identity number (kennitala)",
            IdKind::BelgianNiss => "Belgian national register number (NISS/INSZ)",
            IdKind::BelgianBis => "Belgian BIS number",
            IdKind::DutchBsn => "Dutch citizen service number (BSN)",
            IdKind::UkNhsNumber => "UK NHS number",
            IdKind::FrenchNir => "French social security number (NIR)",
            IdKind::EstonianIsikukood => "Estonian personal identification code (isikukood)",
            IdKind::Uuid => "UUID",
            IdKind::HexHash => "hexadecimal hash",
        }
    }

    /// A stable machine id, e.g. "dk-cpr".
    pub fn id(&self) -> &'static str {
        match self {
            IdKind::DanishCpr => "dk-cpr",
            IdKind::FinnishHetu => "fi-hetu",
            IdKind::SwedishPersonnummer => "se-personnummer",
            IdKind::SwedishSamordningsnummer => "se-samordningsnummer",
            IdKind::NorwegianFodselsnummer => "no-fodselsnummer",
            IdKind::NorwegianDNumber => "no-d-number",
            IdKind::NorwegianHNumber => "no-h-number",
            IdKind::IcelandicKennitala => "is-kennitala",
            IdKind::BelgianNiss => "be-niss",
            IdKind::BelgianBis => "be-bis",
            IdKind::DutchBsn => "nl-bsn",
            IdKind::UkNhsNumber => "uk-nhs",
            IdKind::FrenchNir => "fr-nir",
            IdKind::EstonianIsikukood => "ee-isikukood",
            IdKind::Uuid => "uuid",
            IdKind::HexHash => "hex-hash",
        }
    }

    /// Is this a national person identifier (not a UUID or hash)?
    pub fn is_national(&self) -> bool {
        !matches!(self, IdKind::Uuid | IdKind::HexHash)
    }

    /// Kinds that share one number space and are told apart only by a date offset
    /// (personnummer/samordningsnummer, fødselsnummer/D/H, NISS/BIS).
    pub(crate) fn family(&self) -> u8 {
        match self {
            IdKind::SwedishPersonnummer | IdKind::SwedishSamordningsnummer => 2,
            IdKind::NorwegianFodselsnummer
            | IdKind::NorwegianDNumber
            | IdKind::NorwegianHNumber => 4,
            IdKind::BelgianNiss | IdKind::BelgianBis => 8,
            other => *other as u8,
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A small set of [`IdKind`]s (a bit set; `Copy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KindSet(u32);

impl KindSet {
    pub const EMPTY: KindSet = KindSet(0);

    pub fn of(kinds: &[IdKind]) -> Self {
        let mut s = KindSet::EMPTY;
        for k in kinds {
            s.insert(*k);
        }
        s
    }
    pub fn all() -> Self {
        KindSet::of(&IdKind::ALL)
    }
    pub fn insert(&mut self, k: IdKind) {
        self.0 |= 1 << (k as u8);
    }
    pub fn contains(&self, k: IdKind) -> bool {
        self.0 & (1 << (k as u8)) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
    pub fn union(self, other: KindSet) -> KindSet {
        KindSet(self.0 | other.0)
    }
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }
    pub fn iter(&self) -> impl Iterator<Item = IdKind> + '_ {
        IdKind::ALL.into_iter().filter(|k| self.contains(*k))
    }
}

/// How sure a match is. The caller decides what each level means; the intended use in free
/// text is High = finding, Medium = review, Low = not a finding on its own (kept so that
/// column-level statistics and context can still use it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// One identifier found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdMatch {
    /// The most likely kind (context words first, then confidence, then a fixed specificity
    /// order).
    pub kind: IdKind,
    /// Byte offsets into the scanned text; always on `char` boundaries.
    pub start: usize,
    pub end: usize,
    pub confidence: Confidence,
    /// Every kind the same span validates as (including `kind`). A 10-digit number can be a valid
    /// CPR number and a valid personnummer at once.
    pub also: KindSet,
}

impl IdMatch {
    /// The matched text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Does `value` (a whole cell, surrounding whitespace ignored) validate as `kind`?
///
/// Accepts the usual written forms of the kind (with or without separators). For the Danish
/// CPR number a failing modulus-11 check is accepted only for 1 January birth dates (docs/identifiers.md §3.1);
/// Dutch BSNs may have 8 digits (leading zero dropped).
pub fn validate(kind: IdKind, value: &str) -> bool {
    checks::kinds_of_value(value).contains(kind)
}

/// Every kind `value` (a whole cell) validates as.
pub fn kinds_of(value: &str) -> KindSet {
    checks::kinds_of_value(value)
}

/// Mask an identifier (or anything) for a report: keep the shape, hide the content.
///
/// ASCII punctuation and whitespace stay; every other character becomes `#`, except that the
/// first two characters stay when both are ASCII letters or digits and the value has at least
/// 8 of them (so `010203-1234` → `01####-####`, `12345` → `#####`). Never more than the first
/// 2 characters are shown.
pub fn mask(value: &str) -> String {
    let alnum = value.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let keep_lead = i < 2 && alnum >= 8 && c.is_ascii_alphanumeric();
        if keep_lead || (c.is_ascii_punctuation() || c == ' ' || c == '\t') {
            out.push(c);
        } else {
            out.push('#');
        }
    }
    out
}
