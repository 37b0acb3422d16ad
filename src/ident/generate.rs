//! Synthetic valid identifiers for tests and fixtures.
//!
//! Every function takes a seed and returns the same valid (checksum-correct, date-valid)
//! identifier for the same seed, using a small xorshift generator: no `rand`, no real person's
//! number hard-coded anywhere. A generated number can of course coincide with a real one, so
//! keep generated fixtures inside tests.
//!
//! The functions return the usual written form (`DDMMYY-SSSS`, `YY.MM.DD-SSS.CC`, …); use
//! [`compact`] for the digits only. Danish CPR numbers are never generated for 1 January (a
//! valid 1 January number need not pass modulus 11, which would make corruption tests vacuous).

use super::checks;
use super::IdKind;

/// xorshift64* generator.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // splitmix64 of the seed so that nearby seeds give unrelated streams; never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform-ish in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// In `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    pub fn digit(&mut self) -> u8 {
        b'0' + self.below(10) as u8
    }
}

/// A valid identifier of `kind` in its usual written form.
pub fn valid(kind: IdKind, seed: u64) -> String {
    match kind {
        IdKind::DanishCpr => cpr(seed),
        IdKind::FinnishHetu => hetu(seed),
        IdKind::SwedishPersonnummer => personnummer(seed),
        IdKind::SwedishSamordningsnummer => samordningsnummer(seed),
        IdKind::NorwegianFodselsnummer => fodselsnummer(seed),
        IdKind::NorwegianDNumber => d_number(seed),
        IdKind::NorwegianHNumber => h_number(seed),
        IdKind::IcelandicKennitala => kennitala(seed),
        IdKind::BelgianNiss => niss(seed),
        IdKind::BelgianBis => bis(seed),
        IdKind::DutchBsn => bsn(seed),
        IdKind::UkNhsNumber => nhs(seed),
        IdKind::FrenchNir => nir(seed),
        IdKind::EstonianIsikukood => isikukood(seed),
        IdKind::Uuid => uuid(seed),
        IdKind::HexHash => hex_hash(seed, 40),
    }
}

/// The characters of `id` without separators (spaces, `-`, `+`, `.`). Finnish century signs are
/// letters or `-`/`+` and part of the number, so do not use this on HETUs.
pub fn compact(id: &str) -> String {
    id.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '+' | '.'))
        .collect()
}

fn two(n: u64) -> String {
    format!("{:02}", n % 100)
}

/// A valid (year, month, day) with year in `lo..=hi`.
fn date(r: &mut Rng, lo: u64, hi: u64) -> (u64, u64, u64) {
    loop {
        let y = r.range(lo, hi);
        let m = r.range(1, 12);
        let d = r.range(1, 31);
        if checks::date_ok(y as u32, m as u32, d as u32) {
            return (y, m, d);
        }
    }
}

fn digits(s: &str) -> Vec<u32> {
    s.bytes().map(|b| u32::from(b.wrapping_sub(b'0'))).collect()
}

fn wsum(s: &str, w: &[u32]) -> u32 {
    digits(s).iter().zip(w).map(|(a, b)| a * b).sum()
}

/// Danish CPR `DDMMYY-SSSS` passing modulus 11, born 1900–2024, never on 1 January.
pub fn cpr(seed: u64) -> String {
    let mut r = Rng::new(seed);
    loop {
        let (y, m, d) = date(&mut r, 1900, 2024);
        if m == 1 && d == 1 {
            continue;
        }
        let yy = y % 100;
        // Digit 7 consistent with the century (docs/identifiers.md §3.1).
        let d7 = match (y / 100, yy) {
            (19, 0..=36) => r.range(0, 3),
            (19, 37..=57) => [0, 1, 2, 3, 4, 9][r.below(6) as usize],
            (19, _) => [0, 1, 2, 3, 4, 9][r.below(6) as usize],
            (_, _) => [4, 5, 6, 7, 8, 9][r.below(6) as usize],
        };
        let first9 = format!(
            "{}{}{}{}{}{}",
            two(d),
            two(m),
            two(yy),
            d7,
            r.digit() as char,
            r.digit() as char
        );
        let s = wsum(&first9, &[4, 3, 2, 7, 6, 5, 4, 3, 2]);
        let check = (11 - s % 11) % 11;
        if check == 10 {
            continue;
        }
        return format!("{}-{}{}", &first9[..6], &first9[6..], check);
    }
}

/// Finnish HETU `DDMMYYCZZZQ`, born 1850–2024, with every century sign in use (including the
/// 2023 signs).
pub fn hetu(seed: u64) -> String {
    let mut r = Rng::new(seed);
    let (y, m, d) = date(&mut r, 1850, 2024);
    let sign = match y / 100 {
        18 => '+',
        19 => ['-', 'Y', 'X', 'W', 'V', 'U'][r.below(6) as usize],
        _ => ['A', 'B', 'C', 'D', 'E', 'F'][r.below(6) as usize],
    };
    let zzz = r.range(2, 899);
    let n = ((d * 100 + m) * 100 + y % 100) * 1000 + zzz;
    let check = checks::HETU_ALPHABET[(n % 31) as usize] as char;
    format!("{}{}{}{}{:03}{}", two(d), two(m), two(y), sign, zzz, check)
}

fn luhn_check(first9: &str) -> u32 {
    let mut sum = 0;
    for (i, v) in digits(first9).into_iter().enumerate() {
        let mut v = v;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    (10 - sum % 10) % 10
}

fn swedish(seed: u64, day_offset: u64) -> (u64, String) {
    let mut r = Rng::new(seed);
    let (y, m, d) = date(&mut r, 1920, 2024);
    let nnn = r.range(0, 999);
    let first9 = format!("{}{}{}{:03}", two(y), two(m), two(d + day_offset), nnn);
    let c = luhn_check(&first9);
    (y, format!("{}-{}{}", &first9[..6], &first9[6..], c))
}

/// Swedish personnummer `YYMMDD-NNNC` (born 1920–2024).
pub fn personnummer(seed: u64) -> String {
    swedish(seed, 0).1
}

/// Swedish personnummer in the 12-digit form `YYYYMMDDNNNC`.
pub fn personnummer12(seed: u64) -> String {
    let (y, s) = swedish(seed, 0);
    format!("{}{}", y / 100, compact(&s))
}

/// Swedish samordningsnummer `YYMMDD-NNNC` with day + 60.
pub fn samordningsnummer(seed: u64) -> String {
    swedish(seed, 60).1
}

fn norwegian(seed: u64, day_off: u64, month_off: u64, new_k1: bool) -> String {
    let mut r = Rng::new(seed);
    loop {
        let (y, m, d) = date(&mut r, 1900, 2039);
        let iii = match y {
            1900..=1999 => r.range(0, 499),
            _ => r.range(500, 999),
        };
        let first9 = format!(
            "{}{}{}{:03}",
            two(d + day_off),
            two(m + month_off),
            two(y),
            iii
        );
        let s1 = wsum(&first9, &[3, 7, 6, 1, 8, 9, 4, 5, 2]);
        let k1 = if new_k1 {
            // 2032 rule: (S1 + K1) mod 11 ∈ {0,1,2,3}; pick one of the allowed digits.
            let opts: Vec<u32> = (0..10).filter(|k| (s1 + k) % 11 <= 3).collect();
            opts[r.below(opts.len() as u64) as usize]
        } else {
            match 11 - s1 % 11 {
                11 => 0,
                10 => continue,
                k => k,
            }
        };
        let first10 = format!("{first9}{k1}");
        let s2 = wsum(&first10, &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
        let k2 = match 11 - s2 % 11 {
            11 => 0,
            10 => continue,
            k => k,
        };
        return format!("{first10}{k2}");
    }
}

/// Norwegian fødselsnummer `DDMMYYIIIKK` (old check-digit rule).
pub fn fodselsnummer(seed: u64) -> String {
    norwegian(seed, 0, 0, false)
}

/// Norwegian fødselsnummer with K1 by the 2032 rule (may or may not also pass the old rule).
pub fn fodselsnummer_2032(seed: u64) -> String {
    norwegian(seed, 0, 0, true)
}

/// Norwegian D-number (day + 40).
pub fn d_number(seed: u64) -> String {
    norwegian(seed, 40, 0, false)
}

/// Norwegian H-number (month + 40).
pub fn h_number(seed: u64) -> String {
    norwegian(seed, 0, 40, false)
}

/// Icelandic kennitala `DDMMYY-RRCK` (born 1900–2024).
pub fn kennitala(seed: u64) -> String {
    let mut r = Rng::new(seed);
    loop {
        let (y, m, d) = date(&mut r, 1900, 2024);
        let rr = r.range(20, 99);
        let first8 = format!("{}{}{}{:02}", two(d), two(m), two(y), rr);
        let s = wsum(&first8, &[3, 2, 7, 6, 5, 4, 3, 2]);
        let c = (11 - s % 11) % 11;
        if c == 10 {
            continue;
        }
        let century = if y >= 2000 { 0 } else { 9 };
        return format!("{}-{}{}{}", &first8[..6], &first8[6..], c, century);
    }
}

fn belgian(seed: u64, month_off: u64) -> String {
    let mut r = Rng::new(seed);
    let (y, m, d) = date(&mut r, 1920, 2024);
    let sss = r.range(1, 997);
    let first9 = format!("{}{}{}{:03}", two(y), two(m + month_off), two(d), sss);
    let n: u64 = first9.parse().unwrap_or(0);
    let base = if y >= 2000 { 2_000_000_000 + n } else { n };
    let cc = 97 - base % 97;
    format!(
        "{}.{}.{}-{}.{:02}",
        &first9[..2],
        &first9[2..4],
        &first9[4..6],
        &first9[6..],
        cc
    )
}

/// Belgian NISS/INSZ `YY.MM.DD-SSS.CC` (born 1920–2024, 2000+ rule applied).
pub fn niss(seed: u64) -> String {
    belgian(seed, 0)
}

/// Belgian BIS number (month + 20 or + 40).
pub fn bis(seed: u64) -> String {
    let off = if seed.is_multiple_of(2) { 20 } else { 40 };
    belgian(seed, off)
}

/// Dutch BSN, 9 digits, 11-proof.
pub fn bsn(seed: u64) -> String {
    let mut r = Rng::new(seed);
    loop {
        let first8: String = (0..8).map(|_| r.digit() as char).collect();
        let s = wsum(&first8, &[9, 8, 7, 6, 5, 4, 3, 2]);
        let c = s % 11;
        if c == 10 || first8.starts_with("00") {
            continue;
        }
        return format!("{first8}{c}");
    }
}

/// UK NHS number `NNN NNN NNNN` (first digit 4, 6 or 7, as English numbers are).
pub fn nhs(seed: u64) -> String {
    let mut r = Rng::new(seed);
    loop {
        let lead = [b'4', b'6', b'7'][r.below(3) as usize] as char;
        let rest: String = (0..8).map(|_| r.digit() as char).collect();
        let first9 = format!("{lead}{rest}");
        let c = match 11 - wsum(&first9, &[10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11 {
            11 => 0,
            10 => continue,
            c => c,
        };
        return format!("{} {} {}{}", &first9[..3], &first9[3..6], &first9[6..], c);
    }
}

/// French NIR `S YY MM DD CCC NNN KK`, sometimes with a Corsican department (2A/2B).
pub fn nir(seed: u64) -> String {
    let mut r = Rng::new(seed);
    let sex = [1, 2][r.below(2) as usize];
    let (y, m, _) = date(&mut r, 1930, 2024);
    let dept = match r.below(10) {
        0 => "2A".to_string(),
        1 => "2B".to_string(),
        _ => format!(
            "{:02}",
            [1, 13, 33, 59, 69, 75, 92, 95][r.below(8) as usize]
        ),
    };
    let commune = r.range(1, 999);
    let order = r.range(1, 999);
    let key_dept = match dept.as_str() {
        "2A" => "19",
        "2B" => "18",
        d => d,
    };
    let n: u64 = format!("{sex}{}{}{key_dept}{commune:03}{order:03}", two(y), two(m))
        .parse()
        .unwrap_or(0);
    let key = 97 - n % 97;
    format!(
        "{sex} {} {} {dept} {commune:03} {order:03} {key:02}",
        two(y),
        two(m)
    )
}

/// Estonian isikukood `GYYMMDDSSSC` (born 1900–2024).
pub fn isikukood(seed: u64) -> String {
    let mut r = Rng::new(seed);
    let (y, m, d) = date(&mut r, 1900, 2024);
    let g = if y < 2000 { 3 } else { 5 } + r.below(2);
    let first10 = format!("{g}{}{}{}{:03}", two(y), two(m), two(d), r.range(0, 999));
    let c = checks::isikukood_check(first10.as_bytes());
    format!("{first10}{c}")
}

/// A random version-4 UUID (lowercase).
pub fn uuid(seed: u64) -> String {
    let mut r = Rng::new(seed);
    let mut hex = hex_hash_from(&mut r, 32).into_bytes();
    hex[12] = b'4';
    hex[16] = b"89ab"[r.below(4) as usize];
    let h = String::from_utf8_lossy(&hex).into_owned();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// A lowercase hex string of `len` characters with at least one letter and one digit.
pub fn hex_hash(seed: u64, len: usize) -> String {
    let mut r = Rng::new(seed);
    hex_hash_from(&mut r, len)
}

fn hex_hash_from(r: &mut Rng, len: usize) -> String {
    loop {
        let s: String = (0..len)
            .map(|_| b"0123456789abcdef"[r.below(16) as usize] as char)
            .collect();
        if s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic()) {
            return s;
        }
    }
}
