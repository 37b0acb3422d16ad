//! `unreadable`: text that does not decode, under `fixtures/cases/unreadable/`. The fixtures are
//! bytes no editor would keep, so they are generated here and committed; a test fails when a
//! committed file differs from its generator. Regenerate with
//! `EXPORT_CHECK_REGENERATE=1 cargo test --test rules`. (A file that cannot be opened and a
//! broken file under a text name are in `tests/robustness.rs`, on temporary folders.)

use crate::common::{self, report};

use export_check::finding::{Severity, Verdict};

/// UTF-16 code units as bytes, little- or big-endian, after the byte-order mark.
fn utf16(units: &[u16], little: bool) -> Vec<u8> {
    let mut b = if little {
        vec![0xff, 0xfe]
    } else {
        vec![0xfe, 0xff]
    };
    for u in units {
        b.extend_from_slice(&if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    b
}

/// A table of 40 regions, its last cell left open.
fn regions() -> String {
    let mut table = String::from("Region,Antal\n");
    for i in 0..40 {
        table.push_str(&format!("Region {i},{}\n", 100 + i));
    }
    table.push_str("Syd,");
    table
}

/// UTF-16LE with a BOM, a table, and a lone high surrogate in its last cell.
fn lone_high_surrogate() -> Vec<u8> {
    let mut units: Vec<u16> = regions().encode_utf16().collect();
    units.extend([0xd800, u16::from(b'\n')]);
    utf16(&units, true)
}

/// UTF-16BE with a BOM, notes with a lone low surrogate in a word.
fn lone_low_surrogate() -> Vec<u8> {
    let mut units: Vec<u16> = "Notes on the analysis\nThe cohort was defined by the register"
        .encode_utf16()
        .collect();
    units.push(0xdc00);
    units.extend(" extract of the study.\n".encode_utf16());
    utf16(&units, false)
}

/// A UTF-8 byte-order mark, then a table with a byte that is never UTF-8.
fn invalid_utf8() -> Vec<u8> {
    let mut b = vec![0xef, 0xbb, 0xbf];
    b.extend_from_slice(b"Region,Antal\nNord,120\nSyd,133\nVest,145\n\xc3\xa6lv");
    b.push(0xff);
    b.extend_from_slice(b",160\n");
    b
}

/// Well-formed UTF-16LE notes: readable, a pass.
fn utf16_notes() -> Vec<u8> {
    let text = "Notes on the analysis\nAll tables were checked by the project's output checker.\n";
    utf16(&text.encode_utf16().collect::<Vec<_>>(), true)
}

/// Every generated fixture of this rule: path under `fixtures/` and its bytes.
fn generated() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "cases/unreadable/lone_high_surrogate.csv",
            lone_high_surrogate(),
        ),
        (
            "cases/unreadable/lone_low_surrogate_be.txt",
            lone_low_surrogate(),
        ),
        (
            "cases/unreadable/invalid_utf8_after_bom.csv",
            invalid_utf8(),
        ),
        ("cases/unreadable/utf16le_notes_pass.txt", utf16_notes()),
    ]
}

#[test]
fn generated_fixtures_are_committed_and_current() {
    common::assert_fixtures_current(&generated());
}

/// Each undecodable file is one `unreadable` error on the file as a whole, and nothing else is
/// said of it (what cannot be decoded is not read); the well-formed UTF-16 notes pass.
#[test]
fn undecodable_text_is_one_error_on_the_file() {
    for f in [
        "unreadable/lone_high_surrogate.csv",
        "unreadable/lone_low_surrogate_be.txt",
        "unreadable/invalid_utf8_after_bom.csv",
    ] {
        let r = report(f);
        assert_eq!(r.verdict, Verdict::Fail, "{f}");
        let found: Vec<_> = r.files[0]
            .findings
            .iter()
            .map(|x| (x.rule, x.severity, x.location.describe()))
            .collect();
        assert_eq!(
            found,
            vec![("unreadable", Severity::Error, String::new())],
            "{f}"
        );
        let m = &r.files[0].findings[0].message;
        assert!(m.contains("malformed"), "{f}: {m}");
    }
    let r = report("unreadable/utf16le_notes_pass.txt");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.files[0].findings);
}
