//! Helpers for unit tests.

/// `count` pseudo-random strings of up to `max_len - 1` characters drawn from `alphabet`,
/// deterministic for a seed (xorshift and an LCG; no dependency).
pub fn random_strings(alphabet: &str, seed: u64, count: usize, max_len: u64) -> Vec<String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut state = seed;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % max_len) as usize;
        let mut s = String::new();
        let mut x = state;
        for _ in 0..len {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s.push(alphabet[(x >> 33) as usize % alphabet.len()]);
        }
        out.push(s);
    }
    out
}

/// The lines of `text` as a reader gives them: `(line number, text)`, numbered from 1.
pub fn numbered(text: &str) -> Vec<(u32, String)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i as u32 + 1, l.to_string()))
        .collect()
}

/// A zip of `(name, bytes)` members, in order.
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("member starts");
        w.write_all(bytes).expect("member written");
    }
    w.finish().expect("zip finishes").into_inner()
}

/// Run `f` with the readers' shared parts under the default rules, as the engine builds them.
pub fn with_readers<T>(f: impl FnOnce(&crate::read::Readers<'_>) -> T) -> T {
    let rules = crate::config::Rules::default_rules();
    let parser = crate::table::cell::CellParser::new(&rules);
    let lexicon = crate::table::classify::Lexicon::new(&rules.vocabulary);
    f(&crate::read::Readers {
        parser: &parser,
        lexicon: &lexicon,
    })
}

/// The document the workbook reader makes of a generated fixture under
/// `fixtures/cases/workbooks/` (tests/workbooks.rs writes them).
pub fn workbook_fixture(name: &str) -> crate::model::Document {
    use crate::read::{workbook, Source};
    let bytes = std::fs::read(format!(
        "{}/fixtures/cases/workbooks/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("a generated fixture (tests/workbooks.rs)");
    with_readers(|readers| {
        workbook::read(Source::Bytes(&bytes), readers, &mut |_| {}).expect("the fixture reads")
    })
}
