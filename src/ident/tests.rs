//! Tests for the identifier module: generated valid numbers per kind, corruption, look-alikes,
//! masking and robustness.

use super::generate::{self, compact, Rng};
use super::*;

const N: u64 = 150;

fn scanner() -> Scanner {
    Scanner::new()
}

/// Kinds with a written form in the generator, and whether the compact form is also a
/// recognised written form.
fn forms(kind: IdKind, seed: u64) -> Vec<String> {
    let v = generate::valid(kind, seed);
    let mut out = vec![v.clone()];
    match kind {
        IdKind::FinnishHetu | IdKind::Uuid | IdKind::HexHash => {}
        _ => {
            let c = compact(&v);
            if c != v {
                out.push(c);
            }
        }
    }
    if kind == IdKind::SwedishPersonnummer {
        out.push(generate::personnummer12(seed));
    }
    out
}

fn covers(m: &IdMatch, kind: IdKind, start: usize, end: usize) -> bool {
    m.start == start && m.end == end && (m.kind == kind || m.also.contains(kind))
}

#[test]
fn generated_numbers_validate() {
    for kind in IdKind::ALL {
        for seed in 0..N {
            for v in forms(kind, seed) {
                assert!(validate(kind, &v), "{kind}: {v} should validate");
                assert!(validate(kind, &format!("  {v} ")), "{kind}: padded {v}");
            }
        }
    }
}

#[test]
fn generated_numbers_are_found_by_scan() {
    let s = scanner();
    for kind in IdKind::ALL {
        for seed in 0..N {
            for v in forms(kind, seed) {
                let text = format!("row 7: {v} ok");
                let ms = s.scan(&text);
                assert!(
                    ms.iter().any(|m| covers(m, kind, 7, 7 + v.len())),
                    "{kind}: {v} not found in {text:?}: {ms:?}"
                );
            }
        }
    }
}

/// The context word for each kind, and the confidence it must give.
fn context_word(kind: IdKind) -> &'static str {
    match kind {
        IdKind::DanishCpr => "CPR-nr.:",
        IdKind::FinnishHetu => "hetu",
        IdKind::SwedishPersonnummer | IdKind::SwedishSamordningsnummer => "personnummer",
        IdKind::NorwegianFodselsnummer | IdKind::NorwegianDNumber | IdKind::NorwegianHNumber => {
            "fnr="
        }
        IdKind::IcelandicKennitala => "kennitala:",
        IdKind::BelgianNiss | IdKind::BelgianBis => "INSZ",
        IdKind::DutchBsn => "BSN:",
        IdKind::UkNhsNumber => "NHS number",
        IdKind::FrenchNir => "NIR",
        IdKind::EstonianIsikukood => "isikukood",
        IdKind::Uuid | IdKind::HexHash => "patient_id",
    }
}

#[test]
fn context_word_gives_high_confidence_and_the_right_kind() {
    let s = scanner();
    for kind in IdKind::NATIONAL {
        for seed in 0..N {
            for v in forms(kind, seed) {
                let text = format!("{} {v}", context_word(kind));
                let ms = s.scan(&text);
                let start = text.len() - v.len();
                let m = ms.iter().find(|m| m.start == start);
                let m = m.unwrap_or_else(|| panic!("{kind}: {text:?} → {ms:?}"));
                assert_eq!(m.confidence, Confidence::High, "{kind}: {text:?} → {m:?}");
                // Personnummer context names DK and NO too; the kind must be in the set.
                assert!(m.kind == kind || m.also.contains(kind), "{text:?} → {m:?}");
                if !matches!(
                    kind,
                    IdKind::SwedishPersonnummer | IdKind::SwedishSamordningsnummer
                ) {
                    assert_eq!(m.kind, kind, "{text:?} → {m:?}");
                }
            }
        }
    }
}

#[test]
fn formatted_strong_numbers_are_high_without_context() {
    let s = scanner();
    for kind in [
        IdKind::DanishCpr,
        IdKind::FinnishHetu,
        IdKind::SwedishPersonnummer,
        IdKind::IcelandicKennitala,
        IdKind::BelgianNiss,
        IdKind::BelgianBis,
        IdKind::FrenchNir,
    ] {
        for seed in 0..N {
            let v = generate::valid(kind, seed);
            let ms = s.scan(&v);
            assert_eq!(ms.len(), 1, "{kind}: {v} → {ms:?}");
            assert_eq!(ms[0].confidence, Confidence::High, "{kind}: {v} → {ms:?}");
        }
    }
}

/// Replace the check character at `pos` (counting in the compact form's characters, but on the
/// written form) with a different valid-looking character.
fn corrupt(v: &str, pos_from_end: usize, kind: IdKind) -> Vec<String> {
    let chars: Vec<char> = v.chars().collect();
    // Index of the pos_from_end-th alphanumeric from the end.
    let idx = chars
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, c)| c.is_ascii_alphanumeric())
        .nth(pos_from_end)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let alphabet: Vec<char> = if kind == IdKind::FinnishHetu {
        "0123456789ABCDEFHJKLMNPRSTUVWXY".chars().collect()
    } else {
        "0123456789".chars().collect()
    };
    alphabet
        .into_iter()
        .filter(|c| *c != chars[idx])
        .map(|c| {
            let mut w = chars.clone();
            w[idx] = c;
            w.into_iter().collect()
        })
        .collect()
}

#[test]
fn corrupting_the_check_digit_rejects() {
    let s = scanner();
    for kind in IdKind::NATIONAL {
        // Kennitala: the check digit is second to last (the last is the century).
        let pos = if kind == IdKind::IcelandicKennitala {
            1
        } else {
            0
        };
        for seed in 0..N {
            let v = generate::valid(kind, seed);
            for bad in corrupt(&v, pos, kind) {
                if kind == IdKind::BelgianNiss || kind == IdKind::BelgianBis {
                    // The other century's key can coincide with a changed key (1 in 97).
                    if other_belgian_key_matches(&bad) {
                        continue;
                    }
                }
                assert!(
                    !validate(kind, &bad),
                    "{kind}: corrupted {bad} (from {v}) validates"
                );
                let ms = s.scan(&format!("{} {bad}", context_word(kind)));
                assert!(
                    !ms.iter().any(|m| m.kind == kind || m.also.contains(kind)),
                    "{kind}: corrupted {bad} found: {ms:?}"
                );
            }
        }
    }
}

fn other_belgian_key_matches(v: &str) -> bool {
    let c = compact(v);
    let first9: u64 = c[..9].parse().unwrap_or(0);
    let cc: u64 = c[9..].parse().unwrap_or(0);
    97 - first9 % 97 == cc || 97 - (2_000_000_000 + first9) % 97 == cc
}

#[test]
fn cpr_without_modulus_11_only_on_1_january() {
    // Build a 1 January CPR number that fails modulus 11, and one on 2 January.
    let mut found_jan1 = None;
    let mut found_jan2 = None;
    for serial in 1000..2000u32 {
        let s = format!("010165{serial}");
        let w = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
        let sum: u32 = s.bytes().zip(w).map(|(b, w)| u32::from(b - b'0') * w).sum();
        if !sum.is_multiple_of(11) {
            found_jan1.get_or_insert(s.clone());
            found_jan2.get_or_insert(format!("020165{serial}"));
        }
    }
    let (j1, j2) = (found_jan1.unwrap(), found_jan2.unwrap());
    assert!(validate(IdKind::DanishCpr, &j1));
    assert!(
        !validate(IdKind::DanishCpr, &j2) || {
            // 2 January with the same serial could pass mod 11 by chance; then it is valid.
            let w = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
            j2.bytes()
                .zip(w)
                .map(|(b, w)| u32::from(b - b'0') * w)
                .sum::<u32>()
                % 11
                == 0
        }
    );
    let s = scanner();
    // Bare, no context: Low. Hyphenated: Medium. With context: High.
    let bare = s.scan(&j1);
    assert!(bare
        .iter()
        .all(|m| m.kind != IdKind::DanishCpr || m.confidence == Confidence::Low));
    let hyph = format!("{}-{}", &j1[..6], &j1[6..]);
    let m = s.scan(&hyph);
    assert!(
        m.iter()
            .any(|m| m.kind == IdKind::DanishCpr && m.confidence == Confidence::Medium),
        "{m:?}"
    );
    let m = s.scan(&format!("cpr {j1}"));
    assert!(
        m.iter()
            .any(|m| m.kind == IdKind::DanishCpr && m.confidence == Confidence::High),
        "{m:?}"
    );
}

#[test]
fn bare_cpr_date_only_is_low() {
    let s = scanner();
    // Bare 10-digit numbers passing CPR date but not modulus 11, not 1 January: rejected;
    // on 1 January: Low (tested above). Bare and mod 11: Medium unless timestamp-like.
    for seed in 0..N {
        let v = compact(&generate::cpr(seed));
        let ms = s.scan(&format!("value {v}"));
        let m = ms
            .iter()
            .find(|m| m.also.contains(IdKind::DanishCpr))
            .expect("found");
        let n: u64 = v.parse().unwrap();
        if (1_000_000_000..2_200_000_000).contains(&n) {
            assert_eq!(m.confidence, Confidence::Low, "{v}");
        } else {
            assert!(m.confidence >= Confidence::Medium, "{v}");
        }
    }
}

#[test]
fn finnish_century_signs() {
    for seed in 0..400 {
        let v = generate::hetu(seed);
        assert!(validate(IdKind::FinnishHetu, &v), "{v}");
        // Any other century sign of the same century is valid too (the check is independent).
        let sign = v.as_bytes()[6];
        let same: &[u8] = match sign {
            b'+' => b"+",
            b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => b"-YXWVU",
            _ => b"ABCDEF",
        };
        for &o in same {
            let mut w = v.clone().into_bytes();
            w[6] = o;
            let w = String::from_utf8(w).unwrap();
            assert!(validate(IdKind::FinnishHetu, &w), "{w}");
        }
        // A sign that is not a century sign is rejected.
        let mut w = v.clone().into_bytes();
        w[6] = b'G';
        assert!(!validate(
            IdKind::FinnishHetu,
            &String::from_utf8(w).unwrap()
        ));
    }
}

#[test]
fn norwegian_2032_rule_and_kinds() {
    for seed in 0..N {
        let v = generate::fodselsnummer_2032(seed);
        assert!(validate(IdKind::NorwegianFodselsnummer, &v), "{v}");
        assert!(validate(
            IdKind::NorwegianDNumber,
            &generate::d_number(seed)
        ));
        assert!(!validate(
            IdKind::NorwegianFodselsnummer,
            &generate::d_number(seed)
        ));
        assert!(validate(
            IdKind::NorwegianHNumber,
            &generate::h_number(seed)
        ));
    }
    // Examples from Skatteetaten's 2032 note (docs/identifiers.md §3.1), constructed test numbers.
    for v in ["02013299997", "30108299920", "30108299939"] {
        assert!(validate(IdKind::NorwegianFodselsnummer, v), "{v}");
    }
}

#[test]
fn samordningsnummer_and_personnummer_are_told_apart() {
    for seed in 0..N {
        let p = generate::personnummer(seed);
        let s = generate::samordningsnummer(seed);
        assert!(validate(IdKind::SwedishPersonnummer, &p));
        assert!(!validate(IdKind::SwedishSamordningsnummer, &p));
        assert!(validate(IdKind::SwedishSamordningsnummer, &s));
        assert!(!validate(IdKind::SwedishPersonnummer, &s));
        // The `+` separator (age ≥ 100) is accepted.
        assert!(validate(IdKind::SwedishPersonnummer, &p.replace('-', "+")));
    }
}

#[test]
fn belgian_bis_and_niss() {
    for seed in 0..N {
        let b = generate::bis(seed);
        assert!(validate(IdKind::BelgianBis, &b), "{b}");
        assert!(!validate(IdKind::BelgianNiss, &b), "{b}");
        let n = generate::niss(seed);
        // Other written forms.
        let c = compact(&n);
        for form in [
            c.clone(),
            format!(
                "{}.{}.{}.{}.{}",
                &c[..2],
                &c[2..4],
                &c[4..6],
                &c[6..9],
                &c[9..]
            ),
            format!("{}-{}.{}", &c[..6], &c[6..9], &c[9..]),
        ] {
            assert!(validate(IdKind::BelgianNiss, &form), "{form}");
        }
    }
}

#[test]
fn a_decimal_followed_by_a_number_is_not_a_belgian_number() {
    let scanner = Scanner::new();
    for line in [
        "  30.0000 37462   0 44",
        "12.0000 37462",
        "weight 85.0730 03328",
    ] {
        let found: Vec<_> = scanner
            .scan(line)
            .into_iter()
            .filter(|m| m.confidence > Confidence::Low)
            .collect();
        assert!(found.is_empty(), "{line}: {found:?}");
    }
}

#[test]
fn nir_corsica_and_bsn_eight_digits() {
    let mut corsica = 0;
    for seed in 0..400 {
        let v = generate::nir(seed);
        if v.contains('A') || v.contains('B') {
            corsica += 1;
        }
        assert!(validate(IdKind::FrenchNir, &v), "{v}");
        assert!(validate(IdKind::FrenchNir, &compact(&v)), "{v}");
    }
    assert!(corsica > 20);
    for seed in 0..N {
        let v = generate::bsn(seed);
        if let Some(rest) = v.strip_prefix('0') {
            assert!(validate(IdKind::DutchBsn, rest));
        }
        let dotted = format!("{}.{}.{}", &v[..4], &v[4..6], &v[6..]);
        assert!(validate(IdKind::DutchBsn, &dotted));
    }
}

fn reported(s: &Scanner, text: &str) -> Vec<IdMatch> {
    s.scan(text)
        .into_iter()
        .filter(|m| m.confidence >= Confidence::Medium)
        .collect()
}

#[test]
fn look_alikes_are_not_reported() {
    let s = scanner();
    let cases = [
        // Phone numbers
        "Ring +45 12 34 56 78 for hjælp",
        "puh. 040 123 4567",
        "tel 040 123 4567",
        "040 123 4567",
        "+46701234567",
        "+4512345678",
        "0701234567 (mobil)",
        // Dates and timestamps
        "2021-03-12",
        "20210312",
        "2021-03-12T10:22:33Z",
        "12.03.2021 10:22",
        "1609459200",
        "ts=1609459200",
        "epoch 1700000000",
        "time: 1615550400",
        "created 1615550400 by job",
        "202103121530",
        // Amounts and decimals
        "1 234 567,00",
        "12345678.50",
        "1234567890.50",
        "1 234 567 890",
        "0,0101901234",
        "0.0101901234",
        "3.14159265358979",
        "-0.0101901234",
        "p = 0,0101901234",
        "1.234.567.890",
        // Versions, permits, references
        "version 10.12.01.123.45",
        "R version 4.3.1 (2023-06-16)",
        "THL/1234/5.05.00/2021",
        "Dnr 123-2020",
        "Dnr 2020-0101901234",
        "dnr 0101901234",
        "orgnr 556677-8899",
        "CVR 12345678",
        "IP 192.168.100.123",
        // Digits inside longer runs and words
        "01019012345678901234567",
        "x0101901234",
        "0101901234x",
        "abc1234567890def",
        "id 3f0101901234e5a7",
    ];
    for t in cases {
        let r = reported(&s, t);
        assert!(r.is_empty(), "{t:?} → {r:?}");
    }
    // These must not produce any match at all, not even Low.
    for t in [
        "2021-03-12",
        "20210312",
        "1 234 567,00",
        "12345678.50",
        "0,0101901234",
        "THL/1234/5.05.00/2021",
        "Dnr 123-2020",
        "+45 12 34 56 78",
        "01019012345678901234567",
    ] {
        assert!(s.scan(t).is_empty(), "{t:?} → {:?}", s.scan(t));
    }
}

#[test]
fn failing_checksums_are_not_reported_even_with_context() {
    let s = scanner();
    let mut r = Rng::new(42);
    let mut strong_reports = 0;
    for _ in 0..20_000 {
        let digits: String = (0..11).map(|_| r.digit() as char).collect();
        for text in [format!("fnr {digits}"), format!("nir {digits}1234")] {
            for m in s.scan(&text) {
                // Whatever is reported validates as its kind.
                assert!(validate(m.kind, m.text(&text)), "{text:?} → {m:?}");
                strong_reports += 1;
            }
        }
    }
    // Random 11-digit strings rarely pass; this is a sanity bound, not a precise rate.
    assert!(strong_reports < 20_000 / 20, "{strong_reports}");
}

#[test]
fn weak_kinds_need_context() {
    let s = scanner();
    for seed in 0..N {
        for kind in [IdKind::DutchBsn, IdKind::UkNhsNumber] {
            let v = generate::valid(kind, seed);
            let text = format!("value {v}");
            assert!(
                s.scan(&text)
                    .iter()
                    .filter(|m| m.kind == kind)
                    .all(|m| m.confidence == Confidence::Low),
                "{text}"
            );
            let with = s.scan_with_context(
                &v,
                Some(if kind == IdKind::DutchBsn {
                    "BSN"
                } else {
                    "nhs_number"
                }),
            );
            assert!(
                with.iter()
                    .any(|m| m.kind == kind && m.confidence == Confidence::High),
                "{v} → {with:?}"
            );
        }
    }
}

#[test]
fn column_name_context_and_negative_context() {
    let s = scanner();
    let v = generate::cpr(7);
    assert_eq!(s.scan_with_context(&v, Some("telefon")).len(), 0);
    let c = compact(&v);
    let m = s.scan_with_context(&c, Some("CPR_NR"));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].confidence, Confidence::High);
    // In-text context beats the column name.
    let t = format!("phone {c}");
    assert!(s.scan_with_context(&t, Some("cpr")).is_empty());
}

#[test]
fn several_ids_on_one_line_in_order() {
    let s = scanner();
    let a = generate::cpr(1);
    let b = generate::hetu(2);
    let c = generate::niss(3);
    let d = generate::nir(4);
    let text = format!("{a}; {b}, ({c}) [{d}] and 3.5 and 2021-01-01");
    let ms = s.scan(&text);
    let got: Vec<&str> = ms.iter().map(|m| m.text(&text)).collect();
    assert_eq!(
        got,
        vec![a.as_str(), b.as_str(), c.as_str(), d.as_str()],
        "{ms:?}"
    );
    assert!(ms.windows(2).all(|w| w[0].end <= w[1].start));
}

#[test]
fn hex_and_uuid() {
    let s = scanner();
    for seed in 0..N {
        let u = generate::uuid(seed);
        let ms = s.scan(&format!("patient_id={u}"));
        assert!(
            ms.iter()
                .any(|m| m.kind == IdKind::Uuid && m.confidence == Confidence::Medium),
            "{u}: {ms:?}"
        );
        let h = generate::hex_hash(seed, 64);
        assert!(s.scan(&format!("sha256 {h}")).is_empty());
        assert!(s.scan(&format!("commit {}", &h[..40])).is_empty());
        let ms = s.scan(&format!("{h} file.txt"));
        assert!(ms.iter().all(|m| m.confidence == Confidence::Low), "{ms:?}");
    }
}

#[test]
fn mask_never_reveals_more_than_two_leading_characters() {
    let check = |v: &str| {
        let m = mask(v);
        assert_eq!(m.chars().count(), v.chars().count(), "{v} → {m}");
        for (i, (a, b)) in v.chars().zip(m.chars()).enumerate() {
            if i >= 2 && b != '#' {
                assert_eq!(a, b, "{v} → {m}");
                assert!(!a.is_alphanumeric(), "{v} → {m} reveals {a:?} at {i}");
            }
        }
    };
    assert_eq!(mask("010203-1234"), "01####-####");
    assert_eq!(mask("12345"), "#####");
    for kind in IdKind::ALL {
        for seed in 0..N {
            for v in forms(kind, seed) {
                check(&v);
            }
        }
    }
    let mut r = Rng::new(9);
    for _ in 0..2000 {
        let len = r.below(30) as usize;
        let v: String = (0..len)
            .map(|_| ['0', '7', 'A', 'é', 'ø', '-', ' ', '.', '+', '😀', 'z'][r.below(11) as usize])
            .collect();
        check(&v);
    }
}

#[test]
fn scanning_arbitrary_input_never_panics() {
    let s = scanner();
    let mut r = Rng::new(1);
    let alphabet: Vec<char> = "0123456789-+ .,:/ABCDEFUVWXYabcdef_xé😀\n\t"
        .chars()
        .collect();
    for i in 0..20_000 {
        let len = r.below(80) as usize;
        let text: String = if i % 2 == 0 {
            (0..len)
                .map(|_| alphabet[r.below(alphabet.len() as u64) as usize])
                .collect()
        } else {
            let bytes: Vec<u8> = (0..len).map(|_| r.next_u64() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        };
        for m in s.scan_with_context(&text, Some("cpr")) {
            assert!(m.start < m.end && m.end <= text.len());
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            let _ = mask(m.text(&text));
        }
        let _ = validate(IdKind::FrenchNir, &text);
        let _ = kinds_of(&text);
    }
    // Some edge shapes.
    for t in [
        "",
        "0",
        "-",
        "2A",
        "1 85 05 2A",
        "010190-",
        "010190-123",
        "+",
        "9".repeat(10_000).as_str(),
    ] {
        let _ = s.scan(t);
    }
}

#[test]
fn scanner_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Scanner>();
}

#[test]
fn classify_columns() {
    let cprs: Vec<String> = (0..30).map(generate::cpr).collect();
    let refs: Vec<&str> = cprs.iter().map(String::as_str).collect();
    let f = classify_column("x", &refs, &keys()).expect("cpr column");
    assert_eq!(f.class, ColumnIdClass::National(IdKind::DanishCpr));
    assert_eq!(f.confidence, Confidence::High);

    // Mixed personnummer and samordningsnummer: one family, most common kind reported.
    let mut se: Vec<String> = (0..20).map(generate::personnummer).collect();
    se.extend((0..3).map(generate::samordningsnummer));
    let refs: Vec<&str> = se.iter().map(String::as_str).collect();
    let f = classify_column("id", &refs, &keys()).unwrap();
    assert_eq!(
        f.class,
        ColumnIdClass::National(IdKind::SwedishPersonnummer)
    );

    // Half valid: not a national ID column (and values are not key-shaped: hyphens).
    let mut half: Vec<String> = (0..10).map(generate::cpr).collect();
    half.extend((0..10).map(|i| format!("99{i:02}99-1234")));
    let refs: Vec<&str> = half.iter().map(String::as_str).collect();
    assert!(classify_column("x", &refs, &keys()).is_none());

    // Pseudonymised key by name: DST pnr as 12 zero-padded digits.
    let pnr: Vec<String> = (0..50)
        .map(|i| format!("{:012}", 100_000 + i * 7919))
        .collect();
    let refs: Vec<&str> = pnr.iter().map(String::as_str).collect();
    let f = classify_column("PNR", &refs, &keys()).unwrap();
    assert_eq!(f.class, ColumnIdClass::PseudonymisedKey);
    assert_eq!(f.confidence, Confidence::High);
    for name in [
        "lbnr",
        "RINPERSOON",
        "shnro",
        "w19_0634_lopenr_person",
        "P1105_LopNr_PersonNr",
        "patient_id",
        "løbenr",
    ] {
        assert!(classify_column(name, &refs, &keys()).is_some(), "{name}");
    }

    // Key-like without a known name: distinct fixed-width hex.
    let hx: Vec<String> = (0..20).map(|i| generate::hex_hash(i, 32)).collect();
    let refs: Vec<&str> = hx.iter().map(String::as_str).collect();
    let f = classify_column("token", &refs, &keys()).unwrap();
    assert_eq!(f.class, ColumnIdClass::KeyLike);

    // Counts and measurements are nothing.
    let counts = ["12", "5", "7", "12", "30"];
    assert!(classify_column("n", &counts, &keys()).is_none());
    let vals = ["1.25", "3.5", "2.75", "1.5", "9.0"];
    assert!(classify_column("pnr", &vals, &keys()).is_none());
    let years = ["2019", "2020", "2021", "2022", "2023"];
    assert!(classify_column("year", &years, &keys()).is_none());
    assert!(classify_column("pnr", &[], &keys()).is_none());

    // Weak kinds need 5 values without a telling name.
    let bsns: Vec<String> = (0..4).map(generate::bsn).collect();
    let refs: Vec<&str> = bsns.iter().map(String::as_str).collect();
    assert!(!matches!(
        classify_column("x", &refs, &keys()).map(|f| f.class),
        Some(ColumnIdClass::National(_))
    ));
    let f = classify_column("bsn", &refs, &keys()).unwrap();
    assert_eq!(f.class, ColumnIdClass::National(IdKind::DutchBsn));
}

#[test]
fn describe_and_id_are_distinct() {
    let ids: std::collections::HashSet<_> = IdKind::ALL.iter().map(|k| k.id()).collect();
    assert_eq!(ids.len(), IdKind::ALL.len());
    assert_eq!(IdKind::DanishCpr.describe(), "Danish CPR number");
    assert_eq!(IdKind::DanishCpr.id(), "dk-cpr");
}

#[test]
fn ids_inside_longer_digit_runs_or_words_are_not_found() {
    let s = scanner();
    for kind in IdKind::NATIONAL {
        for seed in 0..N {
            for v in forms(kind, seed) {
                for (text, start) in [
                    (format!("7{v}"), 1),
                    (format!("{v}7"), 0),
                    (format!("x{v}"), 1),
                    (format!("{v}x"), 0),
                    (format!("3,{v}"), 2),
                    (format!("{v}.5"), 0),
                ] {
                    let ms = s.scan(&text);
                    assert!(
                        !ms.iter()
                            .any(|m| m.start == start && m.end == start + v.len()),
                        "{kind}: {text:?} → {ms:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn other_written_forms_are_found_with_context() {
    let s = scanner();
    for seed in 0..N {
        let v = generate::bsn(seed);
        let dotted = format!("{}.{}.{}", &v[..4], &v[4..6], &v[6..]);
        let ms = s.scan(&format!("BSN {dotted}"));
        assert!(
            ms.iter()
                .any(|m| m.kind == IdKind::DutchBsn && m.confidence == Confidence::High),
            "{dotted}"
        );
        let n = compact(&generate::nhs(seed));
        let dashed = format!("{}-{}-{}", &n[..3], &n[3..6], &n[6..]);
        let ms = s.scan(&format!("NHS no: {dashed}"));
        assert!(
            ms.iter()
                .any(|m| m.kind == IdKind::UkNhsNumber && m.confidence == Confidence::High),
            "{dashed}"
        );
        let f = generate::fodselsnummer(seed);
        let spaced = format!("{} {}", &f[..6], &f[6..]);
        let ms = s.scan(&format!("fødselsnummer {spaced}"));
        assert!(
            ms.iter()
                .any(|m| m.kind == IdKind::NorwegianFodselsnummer
                    && m.confidence == Confidence::High),
            "{spaced}"
        );
        let p = generate::personnummer12(seed);
        let hyph = format!("{}-{}", &p[..8], &p[8..]);
        let ms = s.scan(&hyph);
        assert!(
            ms.iter()
                .any(|m| m.kind == IdKind::SwedishPersonnummer && m.confidence == Confidence::High),
            "{hyph}"
        );
    }
}

/// The person-key names of the default rules.
fn keys() -> KeyNames {
    let rules = crate::config::Rules::default_rules();
    let v = &rules.vocabulary;
    KeyNames::new(
        v.person_key
            .iter()
            .chain(&v.provider_key)
            .map(String::as_str),
    )
}
