//! Text decoding: every text file is turned into UTF-8 before any reader or rule sees it.
//!
//! The order of decisions is fixed and the same for [`decode`] (a whole buffer) and
//! [`sniff_encoding`] (the first bytes of a large file, for [`decoding_reader`]):
//!
//! 1. a byte-order mark: UTF-8, UTF-16LE or UTF-16BE;
//! 2. BOM-less UTF-16, only when the zero-byte pattern is unmistakable (ASCII-range text where
//!    every other byte is zero);
//! 3. valid UTF-8 (a file that is valid UTF-8 is never guessed as anything else);
//! 4. otherwise a legacy guess with `chardetng` (Windows-1252 and the ISO-8859 family cover the
//!    Nordic and Belgian exports), with Windows-1252 as the last resort.
//!
//! Decoding is strict: malformed UTF-16 (odd length, lone surrogate) or a malformed sequence in a
//! declared encoding is an error with the byte offset, never a silent replacement character, so a
//! file that cannot be decoded becomes an `unreadable` finding instead of passing unseen.

use std::io::{self, Read};

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use thiserror::Error;

/// How many leading bytes [`sniff_encoding`] looks at.
pub const SNIFF_LEN: usize = 64 * 1024;

/// A decoded text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// `"UTF-8"`, `"UTF-8 (BOM)"`, `"UTF-16LE"`, `"UTF-16BE"`, `"UTF-16LE (no BOM)"`,
    /// `"UTF-16BE (no BOM)"`, or a legacy encoding's WHATWG name such as `"windows-1252"`.
    pub encoding: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// A byte sequence that is not valid in the encoding the file declares or shows.
    #[error("malformed {encoding} at byte {offset}")]
    Malformed {
        encoding: &'static str,
        /// Byte offset of the first malformed sequence, counted from the start of the file
        /// (a byte-order mark included).
        offset: u64,
    },
}

/// Decodes a whole buffer; see the module documentation for the order of decisions.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let label = bom_label(encoding);
        let text = strict_decode(&bytes[bom_len..], encoding, label, bom_len as u64)?;
        return Ok(Decoded {
            text,
            encoding: label,
        });
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let label = if encoding == UTF_16LE {
            "UTF-16LE (no BOM)"
        } else {
            "UTF-16BE (no BOM)"
        };
        let text = strict_decode(bytes, encoding, label, 0)?;
        return Ok(Decoded {
            text,
            encoding: label,
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
        });
    }
    let guess = legacy_guess(bytes, true);
    let mut first_error = None;
    for encoding in [guess, WINDOWS_1252] {
        match strict_decode(bytes, encoding, encoding.name(), 0) {
            Ok(text) => {
                return Ok(Decoded {
                    text,
                    encoding: encoding.name(),
                })
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    // Windows-1252 maps every byte, so this is only reached if that ever changes.
    Err(first_error.unwrap_or(DecodeError::Malformed {
        encoding: WINDOWS_1252.name(),
        offset: 0,
    }))
}

/// Sniffs the encoding of a file from its first bytes (at most [`SNIFF_LEN`] are looked at).
///
/// A UTF-8 sequence cut off at the very end of `head` is taken as a truncation, not as evidence
/// against UTF-8.
pub fn sniff_encoding(head: &[u8]) -> &'static Encoding {
    let head = &head[..head.len().min(SNIFF_LEN)];
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return encoding;
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return encoding;
    }
    match std::str::from_utf8(head) {
        Ok(_) => UTF_8,
        // `error_len() == None`: an incomplete sequence at the end, i.e. a cut in the head.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => legacy_guess(head, false),
    }
}

/// Wraps `inner` in a reader that yields UTF-8, decoding `encoding` in bounded memory.
///
/// A byte-order mark at the start is removed (and, as in [`decode`], takes precedence over
/// `encoding`). A malformed sequence is an [`io::ErrorKind::InvalidData`] error whose inner error
/// is a [`DecodeError`] with the byte offset; nothing is replaced in silence.
pub fn decoding_reader<R: Read>(inner: R, encoding: &'static Encoding) -> impl Read {
    DecodingReader {
        inner,
        decoder: encoding.new_decoder(),
        encoding,
        input: vec![0; 8 * 1024].into_boxed_slice(),
        in_start: 0,
        in_end: 0,
        output: vec![0; 16 * 1024].into_boxed_slice(),
        out_start: 0,
        out_end: 0,
        consumed: 0,
        eof: false,
        done: false,
    }
}

struct DecodingReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    encoding: &'static Encoding,
    input: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    /// Input bytes handed to the decoder so far.
    consumed: u64,
    eof: bool,
    done: bool,
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.out_start < self.out_end {
                let n = (self.out_end - self.out_start).min(buf.len());
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let last = self.eof;
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                last,
            );
            self.in_start += read;
            self.consumed += read as u64;
            self.out_start = 0;
            self.out_end = written;
            match result {
                DecoderResult::InputEmpty => {
                    if last {
                        self.done = true;
                    }
                }
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, extra) => {
                    self.done = true;
                    self.out_end = 0;
                    let offset = self
                        .consumed
                        .saturating_sub(u64::from(bad) + u64::from(extra));
                    let label = stream_label(self.encoding, self.decoder.encoding());
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        DecodeError::Malformed {
                            encoding: label,
                            offset,
                        },
                    ));
                }
            }
        }
    }
}

fn stream_label(requested: &'static Encoding, actual: &'static Encoding) -> &'static str {
    if requested == actual {
        actual.name()
    } else {
        // A BOM overrode the requested encoding.
        bom_label(actual)
    }
}

fn bom_label(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "UTF-8 (BOM)"
    } else if encoding == UTF_16LE {
        "UTF-16LE"
    } else if encoding == UTF_16BE {
        "UTF-16BE"
    } else {
        encoding.name()
    }
}

/// Decodes `bytes` (no BOM handling) strictly; `base` is added to error offsets.
fn strict_decode(
    bytes: &[u8],
    encoding: &'static Encoding,
    label: &'static str,
    base: u64,
) -> Result<String, DecodeError> {
    if encoding == UTF_8 {
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => Err(DecodeError::Malformed {
                encoding: label,
                offset: base + e.valid_up_to() as u64,
            }),
        };
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad, extra) => Err(DecodeError::Malformed {
            encoding: label,
            offset: base + read.saturating_sub(bad as usize + extra as usize) as u64,
        }),
        // Cannot happen with the capacity above; treat as malformed rather than panic.
        DecoderResult::OutputFull => Err(DecodeError::Malformed {
            encoding: label,
            offset: base + read as u64,
        }),
    }
}

/// BOM-less UTF-16, recognised only from an unmistakable zero-byte pattern: at least 90 % of the
/// code units (and at least two) have a zero high byte and a non-zero low byte, and at most 2 %
/// look the other way round. Looks at most at the first 4096 code units.
pub(crate) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let bytes = &bytes[..bytes.len().min(8192)];
    let units = bytes.len() / 2;
    if units < 2 {
        return None;
    }
    let (mut le, mut be) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        match (pair[0] == 0, pair[1] == 0) {
            (false, true) => le += 1,
            (true, false) => be += 1,
            _ => {}
        }
    }
    let clear = |hits: usize, against: usize| hits * 10 >= units * 9 && against * 50 <= units;
    if clear(le, be) {
        Some(UTF_16LE)
    } else if clear(be, le) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// `chardetng`'s guess for bytes known not to be UTF-8; never UTF-8 itself.
fn legacy_guess(bytes: &[u8], last: bool) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, last);
    let guess = detector.guess(None, true);
    if guess == UTF_8 {
        WINDOWS_1252
    } else {
        guess
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for unit in s.encode_utf16() {
            let b = if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            out.extend_from_slice(&b);
        }
        out
    }

    const DANISH: &str = "Kommune;Antal\nKøbenhavn;12\nÅrhus;7\n";

    #[test]
    fn utf8_plain() {
        let d = decode(DANISH.as_bytes()).unwrap();
        assert_eq!(d.text, DANISH);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(sniff_encoding(DANISH.as_bytes()), UTF_8);
    }

    #[test]
    fn utf8_bom() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(DANISH.as_bytes());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, DANISH);
        assert_eq!(d.encoding, "UTF-8 (BOM)");
        assert_eq!(sniff_encoding(&bytes), UTF_8);
    }

    #[test]
    fn utf8_bom_then_malformed_is_error() {
        let err = decode(b"\xEF\xBB\xBFab\xFFc").unwrap_err();
        assert_eq!(
            err,
            DecodeError::Malformed {
                encoding: "UTF-8 (BOM)",
                offset: 5
            }
        );
    }

    #[test]
    fn utf16_with_bom_round_trips() {
        for le in [true, false] {
            let bytes = utf16(DANISH, le, true);
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, DANISH);
            assert_eq!(d.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
            assert_eq!(sniff_encoding(&bytes), if le { UTF_16LE } else { UTF_16BE });
        }
    }

    #[test]
    fn utf16_without_bom_when_unmistakable() {
        for le in [true, false] {
            let bytes = utf16(DANISH, le, false);
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, DANISH);
            assert_eq!(
                d.encoding,
                if le {
                    "UTF-16LE (no BOM)"
                } else {
                    "UTF-16BE (no BOM)"
                }
            );
        }
        // A single stray NUL in otherwise UTF-8 text is not a UTF-16 pattern.
        assert_eq!(utf16_without_bom(b"abc\0defghij"), None);
        assert_eq!(utf16_without_bom(b"a\0"), None);
    }

    #[test]
    fn windows_1252_danish() {
        let (bytes, _, had_errors) = WINDOWS_1252.encode(DANISH);
        assert!(!had_errors);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, DANISH);
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(sniff_encoding(&bytes), WINDOWS_1252);
    }

    #[test]
    fn windows_1252_nordic_round_trips() {
        for text in [
            "Kunta;Lukumäärä\nHelsinki;5\nMäntsälä;3\nÄänekoski;12\n",
            "Län;Antal\nSkåne län;14\nVästra Götalands län;9\nÖrebro län;4\n",
            "Fylke;Antall\nTrøndelag;8\nMøre og Romsdal;6\n",
        ] {
            let (bytes, _, _) = WINDOWS_1252.encode(text);
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, text, "decoded as {}", d.encoding);
        }
    }

    #[test]
    fn valid_utf8_is_never_guessed_otherwise() {
        // Mojibake-looking but valid UTF-8 stays UTF-8.
        let s = "KÃ¸benhavn;Ã…rhus\n";
        assert_eq!(decode(s.as_bytes()).unwrap().encoding, "UTF-8");
        assert_eq!(sniff_encoding(s.as_bytes()), UTF_8);
    }

    #[test]
    fn sniff_tolerates_a_cut_utf8_sequence() {
        let bytes = "abc ø".as_bytes();
        let cut = &bytes[..bytes.len() - 1];
        assert_eq!(sniff_encoding(cut), UTF_8);
    }

    #[test]
    fn empty_is_utf8() {
        let d = decode(b"").unwrap();
        assert_eq!(d.text, "");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(sniff_encoding(b""), UTF_8);
    }

    #[test]
    fn utf16_odd_length_is_error() {
        let mut bytes = utf16("abc", true, true);
        bytes.push(b'x');
        let err = decode(&bytes).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Malformed {
                encoding: "UTF-16LE",
                offset: 8
            }
        );
    }

    #[test]
    fn utf16_lone_surrogate_is_error() {
        // BOM, 'a', lone high surrogate D800, 'b'
        let bytes = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        match decode(&bytes) {
            Err(DecodeError::Malformed { encoding, offset }) => {
                assert_eq!(encoding, "UTF-16LE");
                assert_eq!(offset, 4);
            }
            other => panic!("expected an error, got {other:?}"),
        }
        // Lone low surrogate, big-endian.
        let bytes = [0xFE, 0xFF, 0, b'a', 0xDC, 0x00, 0, b'b'];
        assert!(decode(&bytes).is_err());
    }

    fn read_all(mut r: impl Read, chunk: usize) -> io::Result<String> {
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        Ok(String::from_utf8(out).expect("the reader yields UTF-8"))
    }

    /// A reader that hands out at most `step` bytes per call, to cut sequences across reads.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn streaming_equals_whole_buffer() {
        let text: String = (0..5000)
            .map(|i| format!("Københavns Kommune;{i};Århus;æøå ÆØÅ\n"))
            .collect();
        let inputs: Vec<Vec<u8>> = vec![
            text.as_bytes().to_vec(),
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            utf16(&text, true, true),
            utf16(&text, false, true),
            utf16(&text, true, false),
            WINDOWS_1252.encode(&text).0.into_owned(),
        ];
        for bytes in inputs {
            assert!(bytes.len() > 100_000, "multi-chunk input");
            let whole = decode(&bytes).unwrap();
            let encoding = sniff_encoding(&bytes[..SNIFF_LEN]);
            for (step, chunk) in [(usize::MAX, 4096), (7, 13), (1, 3)] {
                let reader = decoding_reader(Trickle { data: &bytes, step }, encoding);
                assert_eq!(read_all(reader, chunk).unwrap(), whole.text);
            }
        }
    }

    #[test]
    fn streaming_reports_malformed_with_offset() {
        let mut bytes = vec![b'a'; 20_000];
        bytes[15_000] = 0xFF;
        let err = read_all(decoding_reader(bytes.as_slice(), UTF_8), 1000).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let inner = err
            .get_ref()
            .and_then(|e| e.downcast_ref::<DecodeError>())
            .cloned();
        assert_eq!(
            inner,
            Some(DecodeError::Malformed {
                encoding: "UTF-8",
                offset: 15_000
            })
        );
    }

    #[test]
    fn never_panics_on_random_bytes() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for len in [0usize, 1, 2, 3, 5, 17, 256, 4099, 70_000] {
            for _ in 0..4 {
                let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                let _ = decode(&bytes);
                let enc = sniff_encoding(&bytes);
                let _ = read_all(decoding_reader(bytes.as_slice(), enc), 777);
                // Every prefix of a BOM-marked buffer as well.
                let mut marked = vec![0xFF, 0xFE];
                marked.extend_from_slice(&bytes);
                let _ = decode(&marked);
            }
        }
    }
}
