//! The one-pass scanner.
//!
//! 1. A word-at-a-time (SWAR) search finds the next ASCII digit; the digit run starting there is
//!    a candidate start when the byte before it is no letter or digit and it is not the decimal
//!    part of a number.
//! 2. Every shape template (`checks::TEMPLATES`) is tried at that position; templates fail
//!    within a few bytes, so this is cheap. Each match must also end at a boundary.
//! 3. The validators of the template's family decide which kinds the candidate is.
//! 4. Only when a candidate validates does an Aho-Corasick search of the 72 bytes before it look for context
//!    words; the nearest word in the 48 bytes before a value raises (or, if negative, drops) it.
//!
//! UUIDs and hash-length hex strings are checked when a digit run touches a hex letter.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::checks::{self, Cand, Strength, Valid, TEMPLATES};
use super::{Confidence, IdKind, IdMatch, KindSet};

/// How far before a value (in bytes) a context word counts.
const WINDOW: usize = 48;
/// How far before a value a negative word counts (and only with no digit in between).
const NEGATIVE_WINDOW: usize = 24;

#[derive(Clone, Copy, Debug)]
enum Ctx {
    /// Names specific kinds.
    Kinds(&'static [IdKind]),
    /// A generic person-ID word (`ssn`, `patient id`, …).
    Generic,
    /// A word that says the number is something else (`phone`, `timestamp`, `orgnr`, …).
    Negative,
    /// A word that says a hex string is a checksum, commit or similar (`sha256`, `commit`, …).
    NotAPerson,
}

use IdKind::*;

const DK: &[IdKind] = &[DanishCpr];
const FI: &[IdKind] = &[FinnishHetu];
const SE: &[IdKind] = &[SwedishPersonnummer, SwedishSamordningsnummer];
const NO: &[IdKind] = &[NorwegianFodselsnummer, NorwegianDNumber, NorwegianHNumber];
const NORDIC_PNR: &[IdKind] = &[
    DanishCpr,
    SwedishPersonnummer,
    SwedishSamordningsnummer,
    NorwegianFodselsnummer,
];
const IS: &[IdKind] = &[IcelandicKennitala];
const BE: &[IdKind] = &[BelgianNiss, BelgianBis];
const NL: &[IdKind] = &[DutchBsn];
const UK: &[IdKind] = &[UkNhsNumber];
const FR: &[IdKind] = &[FrenchNir];
const EE: &[IdKind] = &[EstonianIsikukood];
const HEXES: &[IdKind] = &[Uuid, HexHash];

/// Context vocabulary. Matching is ASCII case-insensitive; a word must start at a word boundary,
/// and words of up to 4 bytes must also end at one (so `nir` does not fire inside `nirvana`).
const CONTEXT: &[(&str, Ctx)] = &[
    // Denmark
    ("cpr", Ctx::Kinds(DK)),
    ("cprnr", Ctx::Kinds(DK)),
    ("cpr-nr", Ctx::Kinds(DK)),
    ("cpr_nr", Ctx::Kinds(DK)),
    ("cpr-nummer", Ctx::Kinds(DK)),
    ("cprnummer", Ctx::Kinds(DK)),
    ("personnummer", Ctx::Kinds(NORDIC_PNR)),
    ("personnr", Ctx::Kinds(NORDIC_PNR)),
    ("persnr", Ctx::Kinds(SE)),
    ("pnr", Ctx::Kinds(NORDIC_PNR)),
    // Finland
    ("hetu", Ctx::Kinds(FI)),
    ("henkilötunnus", Ctx::Kinds(FI)),
    ("henkilötunnukse", Ctx::Kinds(FI)),
    ("henkilotunnus", Ctx::Kinds(FI)),
    ("personbeteckning", Ctx::Kinds(FI)),
    ("sotu", Ctx::Kinds(FI)),
    ("personal identity code", Ctx::Kinds(FI)),
    // Sweden
    ("samordningsnummer", Ctx::Kinds(SE)),
    ("samordningsnr", Ctx::Kinds(SE)),
    // Norway
    ("fnr", Ctx::Kinds(NO)),
    ("fødselsnummer", Ctx::Kinds(NO)),
    ("FØDSELSNUMMER", Ctx::Kinds(NO)),
    ("fodselsnummer", Ctx::Kinds(NO)),
    ("foedselsnummer", Ctx::Kinds(NO)),
    ("d-nummer", Ctx::Kinds(NO)),
    ("dnummer", Ctx::Kinds(NO)),
    ("h-nummer", Ctx::Kinds(NO)),
    // Iceland
    ("kennitala", Ctx::Kinds(IS)),
    ("kennitölu", Ctx::Kinds(IS)),
    // Belgium
    ("niss", Ctx::Kinds(BE)),
    ("inss", Ctx::Kinds(BE)),
    ("insz", Ctx::Kinds(BE)),
    ("ssin", Ctx::Kinds(BE)),
    ("rijksregisternummer", Ctx::Kinds(BE)),
    ("rijksregister", Ctx::Kinds(BE)),
    ("numéro national", Ctx::Kinds(BE)),
    ("numero national", Ctx::Kinds(BE)),
    ("registre national", Ctx::Kinds(BE)),
    ("bis-nummer", Ctx::Kinds(BE)),
    ("bisnummer", Ctx::Kinds(BE)),
    ("numéro bis", Ctx::Kinds(BE)),
    // Netherlands
    ("bsn", Ctx::Kinds(NL)),
    ("burgerservicenummer", Ctx::Kinds(NL)),
    ("sofinummer", Ctx::Kinds(NL)),
    // United Kingdom
    ("nhs", Ctx::Kinds(UK)),
    ("nhs number", Ctx::Kinds(UK)),
    ("nhs no", Ctx::Kinds(UK)),
    ("nhsnumber", Ctx::Kinds(UK)),
    // France
    ("nir", Ctx::Kinds(FR)),
    ("sécurité sociale", Ctx::Kinds(FR)),
    ("securite sociale", Ctx::Kinds(FR)),
    ("num_secu", Ctx::Kinds(FR)),
    ("numéro de sécu", Ctx::Kinds(FR)),
    ("insee", Ctx::Kinds(FR)),
    // Estonia
    ("isikukood", Ctx::Kinds(EE)),
    ("isikukoodi", Ctx::Kinds(EE)),
    // Generic
    ("ssn", Ctx::Generic),
    ("social security", Ctx::Generic),
    ("personal id", Ctx::Generic),
    ("person id", Ctx::Generic),
    ("person_id", Ctx::Generic),
    ("personid", Ctx::Generic),
    ("patient id", Ctx::Generic),
    ("patient_id", Ctx::Generic),
    ("patientid", Ctx::Generic),
    ("patient", Ctx::Generic),
    ("subject_id", Ctx::Generic),
    ("national id", Ctx::Generic),
    ("national_id", Ctx::Generic),
    ("identity number", Ctx::Generic),
    ("id number", Ctx::Generic),
    ("idnr", Ctx::Generic),
    ("id-nr", Ctx::Generic),
    ("birth number", Ctx::Generic),
    ("pseudonym", Ctx::Generic),
    ("lbnr", Ctx::Generic),
    ("lopnr", Ctx::Generic),
    ("lopenr", Ctx::Generic),
    ("shnro", Ctx::Generic),
    ("rinpersoon", Ctx::Generic),
    // Negative: the number is something else.
    ("phone", Ctx::Negative),
    ("tel", Ctx::Negative),
    ("tel.", Ctx::Negative),
    ("tlf", Ctx::Negative),
    ("telefon", Ctx::Negative),
    ("telephone", Ctx::Negative),
    ("puh", Ctx::Negative),
    ("puhelin", Ctx::Negative),
    ("mobil", Ctx::Negative),
    ("mobile", Ctx::Negative),
    ("gsm", Ctx::Negative),
    ("fax", Ctx::Negative),
    ("time", Ctx::Negative),
    ("timestamp", Ctx::Negative),
    ("datetime", Ctx::Negative),
    ("epoch", Ctx::Negative),
    ("unixtime", Ctx::Negative),
    ("ts", Ctx::Negative),
    ("orgnr", Ctx::Negative),
    ("org.nr", Ctx::Negative),
    ("org nr", Ctx::Negative),
    ("organisationsnummer", Ctx::Negative),
    ("organisasjonsnummer", Ctx::Negative),
    ("cvr", Ctx::Negative),
    ("y-tunnus", Ctx::Negative),
    ("kvk", Ctx::Negative),
    ("invoice", Ctx::Negative),
    ("faktura", Ctx::Negative),
    ("order", Ctx::Negative),
    ("version", Ctx::Negative),
    ("dnr", Ctx::Negative),
    ("diarienummer", Ctx::Negative),
    ("diarienr", Ctx::Negative),
    ("permit", Ctx::Negative),
    ("iban", Ctx::Negative),
    ("account", Ctx::Negative),
    ("konto", Ctx::Negative),
    ("seed", Ctx::Negative),
    ("pid", Ctx::Negative),
    ("process", Ctx::Negative),
    // Hex strings that are not pseudonyms.
    ("sha", Ctx::NotAPerson),
    ("sha1", Ctx::NotAPerson),
    ("sha256", Ctx::NotAPerson),
    ("sha512", Ctx::NotAPerson),
    ("md5", Ctx::NotAPerson),
    ("md5sum", Ctx::NotAPerson),
    ("hash", Ctx::NotAPerson),
    ("checksum", Ctx::NotAPerson),
    ("digest", Ctx::NotAPerson),
    ("commit", Ctx::NotAPerson),
    ("revision", Ctx::NotAPerson),
    ("git", Ctx::NotAPerson),
    ("etag", Ctx::NotAPerson),
    ("uuid", Ctx::Kinds(HEXES)),
    ("guid", Ctx::Kinds(HEXES)),
];

/// Finds identifiers in free text in one pass. Build once (it compiles the context-word
/// automaton) and share: it is `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Scanner {
    ac: AhoCorasick,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

/// Context found before one value.
#[derive(Clone, Copy, Debug, Default)]
struct Context {
    kinds: KindSet,
    generic: bool,
    negative: bool,
    not_a_person: bool,
}

#[derive(Clone, Copy, Debug)]
struct Hit {
    end: usize,
    ctx: Ctx,
}

impl Scanner {
    pub fn new() -> Self {
        let words: Vec<&str> = CONTEXT.iter().map(|(w, _)| *w).collect();
        // The patterns are constants; building cannot fail for them (a test covers it).
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .expect("context-word automaton from constant patterns");
        Scanner { ac }
    }

    /// Scan free text for identifiers. Matches are in text order and do not overlap.
    pub fn scan(&self, text: &str) -> Vec<IdMatch> {
        self.scan_with_context(text, None)
    }

    /// As [`Scanner::scan`], with the name of the column the text sits in (if any) as context:
    /// a column called `cpr` raises every CPR-shaped value in it, one called `phone` drops them.
    /// Context words inside the text win over the column name.
    pub fn scan_with_context(&self, text: &str, column_name: Option<&str>) -> Vec<IdMatch> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let column_ctx = column_name.map(|name| {
            let hs = self.hits(name);
            let mut c = Context::default();
            for h in &hs {
                c.add(h.ctx);
            }
            c
        });
        let mut valid = Vec::new();
        let mut i = 0;
        while let Some(p) = next_digit(b, i) {
            let run_end = p + b[p..].iter().take_while(|x| x.is_ascii_digit()).count();
            i = run_end;
            let touches_hex = (p > 0 && b[p - 1].is_ascii_hexdigit())
                || b.get(run_end)
                    .is_some_and(|&x| x.is_ascii_hexdigit() || x == b'-');
            if run_end - p <= 15 && left_ok_basic(b, p) && enough_digits(b, p) {
                if let Some(m) = self.best_at(b, p, &mut valid, column_ctx, text) {
                    i = m.end;
                    if let Some(m) = m.report {
                        out.push(m);
                    }
                    continue;
                }
            }
            if touches_hex {
                match hex_at(b, p) {
                    Some((s, e, kind)) => {
                        i = e;
                        let ctx = self.context_at(text, s, column_ctx);
                        if let Some(conf) = hex_confidence(kind, &ctx) {
                            out.push(IdMatch {
                                kind,
                                start: s,
                                end: e,
                                confidence: conf,
                                also: KindSet::of(&[kind]),
                            });
                        }
                    }
                    None => {
                        // Skip the rest of this word: nothing inside it can start an ID.
                        i = run_end
                            + b[run_end..]
                                .iter()
                                .take_while(|x| x.is_ascii_alphanumeric())
                                .count();
                    }
                }
            }
        }
        out
    }

    /// Try every template at `p`; the best validated candidate, if any.
    fn best_at(
        &self,
        b: &[u8],
        p: usize,
        valid: &mut Vec<Valid>,
        column_ctx: Option<Context>,
        text: &str,
    ) -> Option<Found> {
        let mut cands: [Option<Cand>; 12] = [None; 12];
        let mut n = 0;
        // A digit run followed by neither a separator nor a letter can only be a bare form of
        // exactly its own length.
        let run_len = b[p..].iter().take_while(|x| x.is_ascii_digit()).count();
        let bare = !b
            .get(p + run_len)
            .is_some_and(|&x| matches!(x, b' ' | b'.' | b'-' | b'+') || x.is_ascii_alphabetic());
        for t in TEMPLATES {
            if bare && usize::from(t.bare_len) != run_len {
                continue;
            }
            if let Some(checks::El::Digits(first)) = t.els.first() {
                if usize::from(*first) > run_len {
                    continue;
                }
            }
            if let Some(c) = checks::match_template(b, p, t) {
                let spaced = c.has_sep(b' ');
                if left_ok_spaced(b, p, spaced) && right_ok(b, c.end, spaced) && n < cands.len() {
                    cands[n] = Some(c);
                    n += 1;
                }
            }
        }
        if n == 0 {
            return None;
        }
        // (span end, validated kinds, candidate)
        let mut results: Vec<(Cand, Valid)> = Vec::new();
        for c in cands.iter().flatten() {
            valid.clear();
            checks::validate_cand(c, valid);
            for v in valid.iter() {
                results.push((*c, *v));
            }
        }
        if results.is_empty() {
            return None;
        }
        let ctx = self.context_at(text, p, column_ctx);
        if ctx.negative {
            // The longest validated span is skipped, not reported.
            let end = results.iter().map(|(c, _)| c.end).max().unwrap_or(p + 1);
            return Some(Found { end, report: None });
        }
        let mut best: Option<(Rank, Cand, IdKind, Confidence)> = None;
        for (c, v) in &results {
            let conf = confidence(c, v, &ctx);
            let rank = Rank {
                conf,
                specific: ctx.kinds.contains(v.kind),
                strength: v.strength,
                len: c.end - p,
                priority: priority(v.kind),
            };
            if best.as_ref().is_none_or(|(r, ..)| rank > *r) {
                best = Some((rank, *c, v.kind, conf));
            }
        }
        let (_, c, kind, conf) = best?;
        let also = KindSet::of(
            &results
                .iter()
                .filter(|(o, _)| o.end == c.end)
                .map(|(_, v)| v.kind)
                .collect::<Vec<_>>(),
        );
        Some(Found {
            end: c.end,
            report: Some(IdMatch {
                kind,
                start: p,
                end: c.end,
                confidence: conf,
                also,
            }),
        })
    }

    fn hits(&self, text: &str) -> Vec<Hit> {
        self.hits_in(text.as_bytes(), 0, text.len())
    }

    /// Context words in `b[from..to]`, word boundaries judged on all of `b`.
    fn hits_in(&self, b: &[u8], from: usize, to: usize) -> Vec<Hit> {
        let mut out = Vec::new();
        let Some(hay) = b.get(from..to) else {
            return out;
        };
        for m in self.ac.find_iter(hay) {
            let (s, e) = (from + m.start(), from + m.end());
            if s > 0 && b[s - 1].is_ascii_alphabetic() {
                continue;
            }
            if e - s <= 4 && b.get(e).is_some_and(|x| x.is_ascii_alphabetic()) {
                continue;
            }
            if let Some((_, ctx)) = CONTEXT.get(m.pattern().as_usize()) {
                out.push(Hit { end: e, ctx: *ctx });
            }
        }
        out
    }

    fn context_at(&self, text: &str, start: usize, column_ctx: Option<Context>) -> Context {
        // Only the window before `start` is searched; a word cut by the window edge fails the
        // word-boundary test against the full text.
        let b = text.as_bytes();
        let from = start.saturating_sub(WINDOW + 24);
        let hits = self.hits_in(b, from, start);
        let mut ctx = Context::default();
        let mut nearest: Option<Hit> = None;
        for h in hits.iter().filter(|h| start - h.end <= WINDOW) {
            let positive = matches!(h.ctx, Ctx::Kinds(_) | Ctx::Generic);
            // A negative word must be close and with no other number in between
            // (`tlf. 12 34 56 78 eller …, cpr …` must not silence what follows).
            if !positive
                && (start - h.end > NEGATIVE_WINDOW
                    || b[h.end..start].iter().any(u8::is_ascii_digit))
            {
                continue;
            }
            ctx.add(h.ctx);
            nearest = Some(*h);
        }
        if let Some(h) = nearest {
            // The nearest word decides between positive and negative.
            let positive = matches!(h.ctx, Ctx::Kinds(_) | Ctx::Generic);
            if positive {
                ctx.negative = false;
                ctx.not_a_person = false;
            } else {
                ctx.kinds = KindSet::EMPTY;
                ctx.generic = false;
            }
            return ctx;
        }
        column_ctx.unwrap_or_default()
    }
}

impl Context {
    fn add(&mut self, c: Ctx) {
        match c {
            Ctx::Kinds(ks) => self.kinds = self.kinds.union(KindSet::of(ks)),
            Ctx::Generic => self.generic = true,
            Ctx::Negative => self.negative = true,
            Ctx::NotAPerson => self.not_a_person = true,
        }
    }
}

struct Found {
    end: usize,
    report: Option<IdMatch>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    conf: Confidence,
    specific: bool,
    strength: Strength,
    len: usize,
    priority: u8,
}

/// Higher wins when everything else is equal: the more specific formats first.
fn priority(k: IdKind) -> u8 {
    match k {
        FinnishHetu => 20,
        FrenchNir => 19,
        BelgianNiss => 18,
        BelgianBis => 17,
        NorwegianFodselsnummer => 16,
        NorwegianDNumber => 15,
        NorwegianHNumber => 14,
        EstonianIsikukood => 13,
        DanishCpr => 12,
        SwedishPersonnummer => 11,
        SwedishSamordningsnummer => 10,
        IcelandicKennitala => 9,
        UkNhsNumber => 8,
        DutchBsn => 7,
        Uuid => 2,
        HexHash => 1,
    }
}

/// The confidence model (docs/identifiers.md §4, three levels):
/// - a context word naming the kind → High; a generic ID word → High (strong check) or Medium;
/// - no context: strong check and formatted → High; strong and bare → Medium, but Low when the
///   bare number also reads as a Unix/SAS timestamp or a `YYYYMMDDhhmm` time;
/// - weak check without context → Low, except a hyphenated CPR number on 1 January (Medium).
fn confidence(c: &Cand, v: &Valid, ctx: &Context) -> Confidence {
    if ctx.kinds.contains(v.kind) {
        return Confidence::High;
    }
    if ctx.generic {
        return match v.strength {
            Strength::Strong => Confidence::High,
            Strength::Weak => Confidence::Medium,
        };
    }
    let formatted = c.formatted();
    match v.strength {
        Strength::Strong if formatted => Confidence::High,
        Strength::Strong if time_like(c) => Confidence::Low,
        Strength::Strong => Confidence::Medium,
        Strength::Weak if formatted && v.kind == DanishCpr => Confidence::Medium,
        Strength::Weak => Confidence::Low,
    }
}

/// A bare number that also reads as a time: 10 digits in the Unix/SAS seconds range of
/// 2001–2039, or 12 digits ending in a valid `hhmm`.
fn time_like(c: &Cand) -> bool {
    if c.nseps > 0 {
        return false;
    }
    let s = c.s();
    match s.len() {
        10 => {
            let v = s.iter().fold(0u64, |a, &x| a * 10 + u64::from(x - b'0'));
            (1_000_000_000..2_200_000_000).contains(&v)
        }
        12 => {
            let hh = (s[8] - b'0') * 10 + (s[9] - b'0');
            let mm = (s[10] - b'0') * 10 + (s[11] - b'0');
            hh <= 23 && mm <= 59
        }
        _ => false,
    }
}

fn hex_confidence(kind: IdKind, ctx: &Context) -> Option<Confidence> {
    if ctx.negative || ctx.not_a_person {
        return None;
    }
    if ctx.generic || ctx.kinds.contains(kind) {
        Some(Confidence::Medium)
    } else {
        Some(Confidence::Low)
    }
}

// ---------------------------------------------------------------------------------------------
// Boundaries

/// Cheap prefilter: every identifier shape has at least 9 digits within its first 22 bytes,
/// written with digits, single separators (` .-+`) and letters only. Most numbers in
/// logs (times, counts, amounts, decimals) stop well before that.
#[inline]
fn enough_digits(b: &[u8], p: usize) -> bool {
    let mut digits = 0;
    let mut prev_sep = false;
    for &x in b[p..].iter().take(22) {
        if x.is_ascii_digit() {
            digits += 1;
            if digits >= 9 {
                return true;
            }
            prev_sep = false;
        } else if matches!(x, b' ' | b'.' | b'-' | b'+') {
            if prev_sep {
                return false;
            }
            prev_sep = true;
        } else if !x.is_ascii_alphabetic() {
            return false;
        } else {
            prev_sep = false;
        }
    }
    false
}

/// The byte before a candidate: not a letter or digit, not a `+` (international phone prefix),
/// and not a separator right after a digit (`3.0101…` decimal part, `2021-…`, `THL/1234/…`,
/// `12:…`).
fn left_ok_basic(b: &[u8], start: usize) -> bool {
    if start == 0 {
        return true;
    }
    let p = b[start - 1];
    if p.is_ascii_alphanumeric() || p == b'+' {
        return false;
    }
    if start >= 2 && b[start - 2].is_ascii_digit() && matches!(p, b'.' | b',' | b'-' | b'/' | b':')
    {
        return false;
    }
    true
}

/// For candidates written with spaces: not preceded by `digit space` (part of a longer grouped
/// number such as `1 234 567 890`).
fn left_ok_spaced(b: &[u8], start: usize, spaced: bool) -> bool {
    !(spaced && start >= 2 && b[start - 1] == b' ' && b[start - 2].is_ascii_digit())
}

/// The byte after a candidate: not a letter or digit, and not a separator followed by a digit
/// (integer part of a decimal, a longer grouped number).
fn right_ok(b: &[u8], end: usize, spaced: bool) -> bool {
    let Some(&x) = b.get(end) else {
        return true;
    };
    if x.is_ascii_alphanumeric() {
        return false;
    }
    let next_digit = b.get(end + 1).is_some_and(u8::is_ascii_digit);
    if next_digit && matches!(x, b'.' | b',' | b'-' | b'/' | b':') {
        return false;
    }
    !(spaced && x == b' ' && next_digit)
}

// ---------------------------------------------------------------------------------------------
// Hex shapes

/// A UUID or hash-length hex string containing position `p` (a digit), if any.
fn hex_at(b: &[u8], p: usize) -> Option<(usize, usize, IdKind)> {
    let mut s0 = p;
    while s0 > 0 && p - s0 < 130 && (b[s0 - 1].is_ascii_hexdigit() || b[s0 - 1] == b'-') {
        s0 -= 1;
    }
    let boundary_before = |q: usize| q == 0 || !b[q - 1].is_ascii_alphanumeric();
    let boundary_after = |e: usize| {
        b.get(e)
            .is_none_or(|x| !x.is_ascii_alphanumeric() && *x != b'-')
    };
    // UUID starting at s0 or right after a '-'.
    for q in s0..=p {
        if (q == s0 || b[q - 1] == b'-') && boundary_before(q) && q + 36 > p {
            if let Some(u) = b.get(q..q + 36) {
                if checks::is_uuid(u) && boundary_after(q + 36) {
                    return Some((q, q + 36, Uuid));
                }
            }
        }
    }
    let mut ts = p;
    while ts > 0 && p - ts < 130 && b[ts - 1].is_ascii_hexdigit() {
        ts -= 1;
    }
    let te = p + b[p..]
        .iter()
        .take(130)
        .take_while(|x| x.is_ascii_hexdigit())
        .count();
    if boundary_before(ts)
        && b.get(te).is_none_or(|x| !x.is_ascii_alphanumeric())
        && checks::is_hex_hash(&b[ts..te])
    {
        return Some((ts, te, HexHash));
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Digit search

/// Index of the first ASCII digit at or after `i`, eight bytes at a time.
#[inline]
fn next_digit(b: &[u8], mut i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // "Has a byte between m and n" (exclusive), Bit Twiddling Hacks; exact per byte because
    // no step can carry or borrow across bytes.
    const M: u64 = b'0' as u64 - 1;
    const N: u64 = b'9' as u64 + 1;
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let x = u64::from_le_bytes(w);
        let low7 = x & (ONES * 127);
        let m = (ONES * (127 + N) - low7) & !x & (low7 + ONES * (127 - M)) & HIGH;
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?
        .iter()
        .position(u8::is_ascii_digit)
        .map(|k| i + k)
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn next_digit_matches_naive() {
        let mut x: u64 = 0x1234_5678;
        for _ in 0..2000 {
            let mut v = Vec::new();
            for _ in 0..(x % 40) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                v.push((x >> 24) as u8);
            }
            for start in 0..=v.len() {
                let naive = v[start..]
                    .iter()
                    .position(u8::is_ascii_digit)
                    .map(|k| k + start);
                assert_eq!(next_digit(&v, start), naive, "{v:?} from {start}");
            }
        }
    }

    #[test]
    fn context_automaton_builds() {
        let s = Scanner::new();
        assert!(!s.hits("CPR: ").is_empty());
    }
}
