//! The binary fixtures of the demo and of the core cases, generated here, never hand-edited:
//! each is built by a function below and committed, and the test fails when a committed file
//! differs from what its function builds (see [`common::assert_fixtures_current`]). A reader's
//! fixtures are generated in its own test file. Regenerate with
//! `EXPORT_CHECK_REGENERATE=1 cargo test --test fixtures`.

mod common;

/// The 32-byte magic number at the start of every SAS7BDAT file.
const SAS7BDAT_MAGIC: [u8; 32] = [
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc2, 0xea, 0x81, 0x60,
    0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92, 0x08, 0x00, 0x09, 0xc7, 0x31, 0x8c, 0x18, 0x1f, 0x10, 0x11,
];

/// A stand-in SAS data set: the magic, a header page of zeros with a made-up data set name.
fn sas7bdat() -> Vec<u8> {
    let mut b = SAS7BDAT_MAGIC.to_vec();
    b.resize(1024, 0);
    let name = b"ANALYSIS_DATA";
    b[92..92 + name.len()].copy_from_slice(name);
    b
}

/// UTF-16LE with a BOM: a small count table as Windows tools write it.
fn utf16le_table() -> Vec<u8> {
    let text = "Region\tAntal\r\nNord\t120\r\nSyd\t3\r\nØst\t45\r\n";
    let mut b = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    b
}

/// UTF-16BE with a BOM, no small counts.
fn utf16be_table() -> Vec<u8> {
    let text = "Region\tAntal\nNord\t120\nSyd\t33\n";
    let mut b = vec![0xfe, 0xff];
    for u in text.encode_utf16() {
        b.extend_from_slice(&u.to_be_bytes());
    }
    b
}

/// A zip archive (stored, one member) renamed to `.csv`.
fn zip_named_csv() -> Vec<u8> {
    let name = b"t.csv";
    let data = b"a,b\n1,2\n";
    let crc = crc32(data);
    let mut b = Vec::new();
    // Local file header.
    b.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    b.extend_from_slice(&crc.to_le_bytes());
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&(name.len() as u16).to_le_bytes());
    b.extend_from_slice(&0u16.to_le_bytes());
    b.extend_from_slice(name);
    b.extend_from_slice(data);
    let cd_start = b.len() as u32;
    // Central directory header.
    b.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    b.extend_from_slice(&crc.to_le_bytes());
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&(name.len() as u16).to_le_bytes());
    b.extend_from_slice(&[0; 12]);
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(name);
    let cd_len = b.len() as u32 - cd_start;
    // End of central directory.
    b.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    b.extend_from_slice(&cd_len.to_le_bytes());
    b.extend_from_slice(&cd_start.to_le_bytes());
    b.extend_from_slice(&0u16.to_le_bytes());
    b
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A stand-in ELF executable header.
fn elf() -> Vec<u8> {
    let mut b = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    b.resize(64, 0);
    b
}

/// Binary junk with no known magic.
fn junk() -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..512)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x & 0xff) as u8
        })
        .collect()
}

/// Every generated fixture: path under `fixtures/` and its bytes.
fn generated() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("demo/Results/analysis_data.sas7bdat", sas7bdat()),
        ("cases/encodings/utf16le_small.tsv", utf16le_table()),
        ("cases/encodings/utf16be_safe.tsv", utf16be_table()),
        ("cases/file-type/renamed_archive.csv", zip_named_csv()),
        ("cases/file-type/tool.bin", elf()),
        ("cases/file-type/junk.dat", junk()),
        ("cases/file-type/cohort.sas7bdat", sas7bdat()),
    ]
}

#[test]
fn generated_fixtures_are_committed_and_current() {
    common::assert_fixtures_current(&generated());
}
