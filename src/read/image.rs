//! Raster images (PNG, JPEG, GIF, TIFF, WebP, BMP): their pixels are not read, their metadata
//! text is. PNG text chunks (`tEXt`, `zTXt`, `iTXt`, inflated under a size cap), `eXIf` and the
//! ICC profile of `iCCP`, JPEG comments, EXIF, XMP, ICC profile and IPTC segments, GIF comment
//! and XMP extensions, TIFF text tags (with IPTC and ICC tags) and WebP's `EXIF`, `XMP ` and
//! `ICCP` chunks become
//! texts named by their part (`tEXt Comment`), so the text rules apply, and a part shaped like a
//! table becomes a table. A part that holds data (a table, many numbers) is said so; an image
//! whose metadata holds none asks a person to look at it (see `docs/figures.md`).

use std::io::Read;

use crate::decode::decode;
use crate::detect::Format;
use crate::model::{Document, Fact, FactKind, Location, Text, TextKind, Unreadable};
use crate::read::{delimited, log, ReadError, Readers, Source};
use crate::table::grid::Builder;

/// Most bytes one compressed text chunk may inflate to.
pub const MAX_TEXT: u64 = 4 * 1024 * 1024;

/// Most metadata parts (chunks, segments, extensions, tags) read from one image.
pub const MAX_PARTS: usize = 10_000;

/// Numbers in one part that make it data rather than a caption.
const MANY_NUMBERS: usize = 20;

/// A metadata part: its name (`tEXt Comment`, `JPEG comment`) and its text.
struct Part {
    name: String,
    text: String,
}

/// What the walk of an image found.
#[derive(Default)]
struct Found {
    parts: Vec<Part>,
    facts: Vec<Fact>,
}

impl Found {
    fn push(&mut self, name: impl Into<String>, text: String) {
        if !text.trim().is_empty() {
            self.parts.push(Part {
                name: name.into(),
                text,
            });
        }
    }

    fn limit(&mut self, what: String) {
        self.facts
            .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                what,
            ))));
    }
}

/// Read a raster image's metadata.
pub fn read(
    format: Format,
    source: Source<'_>,
    readers: &Readers<'_>,
) -> Result<Document, ReadError> {
    let bytes = match source {
        Source::Bytes(b) => b,
        // A large image: its metadata sits at the start in every format read here except
        // PNG chunks after the pixels, so only the head is walked and that is said.
        Source::Stream { head, .. } => head,
    };
    let mut found = Found::default();
    match format {
        Format::Png => png(bytes, &mut found),
        Format::Jpeg => jpeg(bytes, &mut found),
        Format::Gif => gif(bytes, &mut found),
        Format::Tiff => tiff(bytes, "TIFF", &mut found),
        Format::Webp => webp(bytes, &mut found),
        _ => {}
    }
    if let Source::Stream { .. } = source {
        found.limit("image too large to read whole: only its start was read".into());
    }
    Ok(document(found, readers))
}

/// The document of what was found: texts, tables, and a fact for the figure.
fn document(found: Found, readers: &Readers<'_>) -> Document {
    let mut doc = Document {
        facts: found.facts,
        ..Document::default()
    };
    let builder = Builder {
        parser: readers.parser,
        lexicon: readers.lexicon,
        style: None,
    };
    let mut holds_data = false;
    for part in found.parts {
        let mut text = Text::of(TextKind::Output, &part.text);
        text.member = Some(part.name.clone());
        let tables = match delimited::sniff(&part.text) {
            Some(d) if part.text.lines().count() >= 3 => match delimited::grid(&part.text, d) {
                Ok(rows) => builder.tables(&rows, Some(&part.name), None),
                Err(_) => Vec::new(),
            },
            _ => log::text_tables(&part.text, readers)
                .into_iter()
                .map(|mut t| {
                    t.member = Some(part.name.clone());
                    t
                })
                .collect(),
        };
        let numbers = part
            .text
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .count();
        let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
        if rows >= 2 || numbers >= MANY_NUMBERS {
            holds_data = true;
            doc.facts.push(Fact {
                location: Location {
                    member: Some(part.name.clone()),
                    ..Location::default()
                },
                kind: FactKind::DataInMetadata {
                    part: part.name.clone(),
                },
            });
        }
        doc.tables.extend(tables);
        doc.texts.push(text);
    }
    for (k, t) in doc.tables.iter_mut().enumerate() {
        t.index = k as u32 + 1;
    }
    if !holds_data {
        doc.facts.push(Fact::whole(FactKind::LookAtFigure));
    }
    doc
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Inflate a zlib stream, at most [`MAX_TEXT`] bytes; past it the part is cut and said so.
fn inflate(data: &[u8], name: &str, found: &mut Found) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut z = flate2::read::ZlibDecoder::new(data).take(MAX_TEXT + 1);
    if z.read_to_end(&mut out).is_err() {
        found.facts.push(Fact::whole(FactKind::Unchecked {
            part: name.to_string(),
            why: "its compressed text cannot be inflated".into(),
        }));
        return None;
    }
    if out.len() as u64 > MAX_TEXT {
        found.limit(format!(
            "{name} inflates past {} MiB",
            MAX_TEXT / (1024 * 1024)
        ));
        out.truncate(MAX_TEXT as usize);
    }
    Some(out)
}

/// PNG: walk the chunks after the signature (`length, type, data, CRC`), to `IEND`.
fn png(b: &[u8], found: &mut Found) {
    let mut at = 8;
    let mut parts = 0;
    while let Some(len) = be32(b, at) {
        let Some(kind) = b.get(at + 4..at + 8) else {
            break;
        };
        let start = at + 8;
        let Some(data) = start
            .checked_add(len as usize)
            .and_then(|end| b.get(start..end))
        else {
            found
                .facts
                .push(Fact::whole(FactKind::Unreadable(Unreadable::Parsing(
                    "a PNG chunk runs past the end of the file".into(),
                ))));
            return;
        };
        parts += 1;
        if parts > MAX_PARTS {
            found.limit(format!("more than {MAX_PARTS} PNG chunks"));
            return;
        }
        png_chunk(kind, data, found);
        if kind == b"IEND" {
            return;
        }
        at = start + len as usize + 4;
    }
}

fn png_chunk(kind: &[u8], data: &[u8], found: &mut Found) {
    let split = |d: &[u8]| -> (String, usize) {
        let nul = d.iter().position(|&c| c == 0).unwrap_or(d.len());
        (latin1(&d[..nul.min(79)]), nul + 1)
    };
    match kind {
        b"tEXt" => {
            let (key, rest) = split(data);
            let text = latin1(data.get(rest..).unwrap_or(&[]));
            found.push(format!("tEXt {key}"), text);
        }
        b"zTXt" => {
            let (key, rest) = split(data);
            let name = format!("zTXt {key}");
            if let Some(t) = inflate(data.get(rest + 1..).unwrap_or(&[]), &name, found) {
                found.push(name, latin1(&t));
            }
        }
        b"iTXt" => {
            let (key, rest) = split(data);
            let name = format!("iTXt {key}");
            let compressed = data.get(rest).copied().unwrap_or(0) == 1;
            let mut p = rest + 2;
            for _ in 0..2 {
                // Language tag, translated keyword.
                let tail = data.get(p..).unwrap_or(&[]);
                p += tail.iter().position(|&c| c == 0).unwrap_or(tail.len()) + 1;
            }
            let body = data.get(p..).unwrap_or(&[]);
            let text = if compressed {
                inflate(body, &name, found)
            } else {
                Some(body.to_vec())
            };
            if let Some(t) = text {
                found.push(name, String::from_utf8_lossy(&t).into_owned());
            }
        }
        b"eXIf" => tiff(data, "eXIf", found),
        // The profile's name, then its compression method and the zlib-compressed profile.
        b"iCCP" => {
            let (key, rest) = split(data);
            found.push("iCCP name", key);
            let name = "ICC profile".to_string();
            if let Some(profile) = inflate(data.get(rest + 1..).unwrap_or(&[]), &name, found) {
                icc(&profile, found);
            }
        }
        _ => {}
    }
}

/// The text tags of an ICC profile (its description, copyright, device maker and model): the
/// tag table after the 128-byte header gives each tag's offset and size; `desc` (ICC v2),
/// `mluc` (v4, UTF-16BE records) and `text` typed tags are text.
fn icc(p: &[u8], found: &mut Found) {
    let count = be32(p, 128).unwrap_or(0) as usize;
    for i in 0..count.min(MAX_PARTS) {
        let at = 132 + 12 * i;
        let (Some(sig), Some(off), Some(size)) =
            (p.get(at..at + 4), be32(p, at + 4), be32(p, at + 8))
        else {
            break;
        };
        let Some(tag) = (off as usize)
            .checked_add(size as usize)
            .and_then(|end| p.get(off as usize..end))
        else {
            continue;
        };
        let name = format!("ICC tag {}", latin1(sig).trim());
        let text = match tag.get(..4) {
            Some(b"desc") => {
                let n = be32(tag, 8).unwrap_or(0) as usize;
                tag.get(12..12usize.saturating_add(n)).map(latin1)
            }
            Some(b"text") => tag.get(8..).map(latin1),
            Some(b"mluc") => {
                let records = be32(tag, 8).unwrap_or(0) as usize;
                let mut out = Vec::new();
                for r in 0..records.min(MAX_PARTS) {
                    let at = 16 + 12 * r;
                    let (Some(len), Some(from)) = (be32(tag, at + 4), be32(tag, at + 8)) else {
                        break;
                    };
                    let units: Vec<u16> = (from as usize)
                        .checked_add(len as usize)
                        .and_then(|end| tag.get(from as usize..end))
                        .unwrap_or(&[])
                        .chunks_exact(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]))
                        .collect();
                    out.push(String::from_utf16_lossy(&units));
                }
                Some(out.join("\n"))
            }
            _ => None,
        };
        if let Some(t) = text {
            found.push(name, t.trim_end_matches('\0').to_string());
        }
    }
}

/// IPTC-IIM records (in a JPEG's Photoshop block, a TIFF tag): `0x1C`, record, dataset, a
/// 16-bit length, the data. Each dataset of the application record (2) is text: caption,
/// headline, keywords, the writer's name.
fn iptc(b: &[u8], found: &mut Found) {
    let mut at = 0;
    let mut parts = 0;
    while at + 5 <= b.len() && b[at] == 0x1C {
        let (record, dataset) = (b[at + 1], b[at + 2]);
        let len = u16::from_be_bytes([b[at + 3], b[at + 4]]) as usize;
        // An extended length (high bit set) is not written for text; stop there.
        if len & 0x8000 != 0 {
            break;
        }
        let Some(data) = b.get(at + 5..at + 5 + len) else {
            break;
        };
        parts += 1;
        if parts > MAX_PARTS {
            found.limit(format!("more than {MAX_PARTS} IPTC datasets"));
            return;
        }
        if record == 2 && dataset != 0 {
            found.push(format!("IPTC {record}:{dataset:03}"), decode_text(data));
        }
        at += 5 + len;
    }
}

/// A Photoshop image resource block (JPEG APP13): `8BIM`, a resource id, a padded Pascal
/// name, a 32-bit size, the data padded to an even length. Resource 0x0404 holds IPTC.
fn photoshop(b: &[u8], found: &mut Found) {
    let mut at = 0;
    while b.get(at..at + 4) == Some(b"8BIM") {
        let Some(id) = b
            .get(at + 4..at + 6)
            .map(|s| u16::from_be_bytes([s[0], s[1]]))
        else {
            break;
        };
        let name_len = b.get(at + 6).copied().unwrap_or(0) as usize;
        let mut p = at + 6 + 1 + name_len;
        p += p % 2;
        let Some(size) = be32(b, p) else { break };
        let Some(data) = (p + 4)
            .checked_add(size as usize)
            .and_then(|end| b.get(p + 4..end))
        else {
            break;
        };
        if id == 0x0404 {
            iptc(data, found);
        }
        at = p + 4 + size as usize;
        at += at % 2;
    }
}

/// JPEG: walk the marker segments to the start of the scan: `COM` comments, APP1 EXIF and XMP,
/// APP2 ICC profile segments (joined in their order), APP13 Photoshop blocks with IPTC.
fn jpeg(b: &[u8], found: &mut Found) {
    let mut at = 2;
    let mut parts = 0;
    let mut icc_parts: Vec<(u8, &[u8])> = Vec::new();
    while at + 4 <= b.len() {
        if b[at] != 0xFF {
            break;
        }
        let marker = b[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        if marker == 0xD8 || marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            at += 2;
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([b[at + 2], b[at + 3]]) as usize;
        let Some(data) = b.get(at + 4..at + 2 + len.max(2)) else {
            break;
        };
        parts += 1;
        if parts > MAX_PARTS {
            found.limit(format!("more than {MAX_PARTS} JPEG segments"));
            return;
        }
        const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
        const ICC: &[u8] = b"ICC_PROFILE\0";
        const PHOTOSHOP: &[u8] = b"Photoshop 3.0\0";
        match marker {
            0xFE => found.push("JPEG comment", decode_text(data)),
            0xE1 if data.starts_with(b"Exif\0\0") => tiff(&data[6..], "EXIF", found),
            0xE1 if data.starts_with(XMP) => found.push("XMP", decode_text(&data[XMP.len()..])),
            // A profile is cut into numbered APP2 segments: sequence number, count, data.
            0xE2 if data.starts_with(ICC) && data.len() > ICC.len() + 2 => {
                let seq = data[ICC.len()];
                icc_parts.push((seq, &data[ICC.len() + 2..]));
            }
            0xED if data.starts_with(PHOTOSHOP) => photoshop(&data[PHOTOSHOP.len()..], found),
            _ => {}
        }
        at += 2 + len;
    }
    if !icc_parts.is_empty() {
        icc_parts.sort_by_key(|p| p.0);
        let profile: Vec<u8> = icc_parts.iter().flat_map(|p| p.1.iter().copied()).collect();
        icc(&profile, found);
    }
}

fn decode_text(b: &[u8]) -> String {
    match decode(b) {
        Ok(d) => d.text,
        Err(_) => latin1(b),
    }
}

/// WebP: walk the chunks of the RIFF container after `RIFF size WEBP` (`fourcc, size, data`,
/// padded to an even length): `EXIF` is a TIFF structure (some writers put JPEG's `Exif\0\0`
/// before it), `XMP ` is text; the image chunks (`VP8 `, `VP8L`, `VP8X`, `ALPH`, `ANIM`,
/// `ANMF`) hold no text.
fn webp(b: &[u8], found: &mut Found) {
    let le32 = |at: usize| -> Option<u32> {
        let s = b.get(at..at.checked_add(4)?)?;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    // The container's own size bounds the chunks, whatever follows it.
    let end = le32(4)
        .map(|n| (n as usize).saturating_add(8).min(b.len()))
        .unwrap_or(b.len());
    let mut at: usize = 12;
    let mut parts = 0;
    while at.saturating_add(8) <= end {
        let (Some(kind), Some(len)) = (b.get(at..at + 4), le32(at + 4)) else {
            break;
        };
        let start = at + 8;
        let Some(data) = start
            .checked_add(len as usize)
            .filter(|e| *e <= end)
            .and_then(|e| b.get(start..e))
        else {
            found
                .facts
                .push(Fact::whole(FactKind::Unreadable(Unreadable::Parsing(
                    "a WebP chunk runs past the end of the file".into(),
                ))));
            return;
        };
        parts += 1;
        if parts > MAX_PARTS {
            found.limit(format!("more than {MAX_PARTS} WebP chunks"));
            return;
        }
        match kind {
            b"EXIF" => tiff(
                data.strip_prefix(b"Exif\0\0").unwrap_or(data),
                "EXIF",
                found,
            ),
            b"XMP " => found.push("XMP", decode_text(data)),
            b"ICCP" => icc(data, found),
            _ => {}
        }
        at = start + len as usize + (len as usize & 1);
    }
}

/// GIF: walk the blocks: comment extensions and XMP application extensions are text.
fn gif(b: &[u8], found: &mut Found) {
    let Some(&flags) = b.get(10) else {
        return;
    };
    let mut at = 13;
    if flags & 0x80 != 0 {
        at += 3 << ((flags & 7) + 1);
    }
    let mut parts = 0;
    // The data sub-blocks from `at`: their bytes joined, and where they end.
    let blocks = |mut p: usize| -> (Vec<u8>, usize) {
        let mut out = Vec::new();
        while let Some(&n) = b.get(p) {
            p += 1;
            if n == 0 {
                break;
            }
            if (out.len() as u64) < MAX_TEXT {
                out.extend_from_slice(b.get(p..p + n as usize).unwrap_or(&[]));
            }
            p += n as usize;
        }
        (out, p)
    };
    while let Some(&block) = b.get(at) {
        parts += 1;
        if parts > MAX_PARTS {
            found.limit(format!("more than {MAX_PARTS} GIF blocks"));
            return;
        }
        match block {
            0x21 => {
                let label = b.get(at + 1).copied().unwrap_or(0);
                let (data, end) = blocks(at + 2);
                if label == 0xFE {
                    found.push("GIF comment", latin1(&data));
                } else if label == 0xFF && data.starts_with(b"XMP DataXMP") {
                    found.push("XMP", String::from_utf8_lossy(&data[11..]).into_owned());
                }
                at = end;
            }
            0x2C => {
                let packed = b.get(at + 9).copied().unwrap_or(0);
                at += 10;
                if packed & 0x80 != 0 {
                    at += 3 << ((packed & 7) + 1);
                }
                // LZW minimum code size, then the pixel sub-blocks.
                at = blocks(at + 1).1;
            }
            _ => return,
        }
    }
}

/// Text tags of a TIFF structure (a TIFF file, an EXIF block): ASCII tags, the user comment
/// and Windows' `XP` tags of the first directory and the EXIF directory.
fn tiff(b: &[u8], what: &str, found: &mut Found) {
    let little = match b.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return,
    };
    let u16_at = |p: usize| -> Option<u32> {
        let s = b.get(p..p + 2)?;
        Some(if little {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        } as u32)
    };
    let u32_at = |p: usize| -> Option<u32> {
        let s = b.get(p..p + 4)?;
        Some(if little {
            u32::from_le_bytes([s[0], s[1], s[2], s[3]])
        } else {
            u32::from_be_bytes([s[0], s[1], s[2], s[3]])
        })
    };
    let mut dirs = vec![u32_at(4).unwrap_or(0) as usize];
    let mut seen = 0;
    while let Some(dir) = dirs.pop() {
        seen += 1;
        if dir == 0 || seen > 4 {
            continue;
        }
        let n = u16_at(dir).unwrap_or(0) as usize;
        for e in 0..n.min(MAX_PARTS) {
            let p = dir + 2 + 12 * e;
            let (Some(tag), Some(kind), Some(count)) = (u16_at(p), u16_at(p + 2), u32_at(p + 4))
            else {
                break;
            };
            if tag == 0x8769 {
                dirs.push(u32_at(p + 8).unwrap_or(0) as usize);
                continue;
            }
            // IPTC records and an ICC profile, as bytes at an offset.
            if tag == 0x83BB || tag == 0x8773 {
                let len = if kind == 4 {
                    count as usize * 4
                } else {
                    count as usize
                };
                let off = if len <= 4 {
                    p + 8
                } else {
                    u32_at(p + 8).unwrap_or(0) as usize
                };
                if let Some(data) = off.checked_add(len).and_then(|end| b.get(off..end)) {
                    if tag == 0x83BB {
                        iptc(data, found);
                    } else {
                        icc(data, found);
                    }
                }
                continue;
            }
            let text_tag = kind == 2 || tag == 0x9286 || (0x9C9B..=0x9C9F).contains(&tag);
            if !text_tag || count as u64 > MAX_TEXT {
                continue;
            }
            let data = if count <= 4 {
                b.get(p + 8..p + 8 + count as usize)
            } else {
                let off = u32_at(p + 8).unwrap_or(0) as usize;
                b.get(off..off + count as usize)
            };
            let Some(data) = data else { continue };
            let text = if (0x9C9B..=0x9C9F).contains(&tag) {
                let units: Vec<u16> = data
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            } else if tag == 0x9286 {
                decode_text(data.get(8..).unwrap_or(&[]))
            } else {
                decode_text(data)
            };
            let text = text.trim_end_matches('\0').to_string();
            found.push(format!("{what} tag {tag:#06x}"), text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn riff(chunks: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        for (kind, data) in chunks {
            body.extend_from_slice(*kind);
            body.extend_from_slice(&(data.len() as u32).to_le_bytes());
            body.extend_from_slice(data);
            if data.len() % 2 == 1 {
                body.push(0);
            }
        }
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    }

    /// A little-endian TIFF structure with one ASCII tag (ImageDescription).
    fn exif(text: &str) -> Vec<u8> {
        let mut t = b"II*\0\x08\0\0\0".to_vec();
        t.extend_from_slice(&1u16.to_le_bytes());
        t.extend_from_slice(&0x010eu16.to_le_bytes());
        t.extend_from_slice(&2u16.to_le_bytes());
        t.extend_from_slice(&(text.len() as u32 + 1).to_le_bytes());
        t.extend_from_slice(&26u32.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        t.extend_from_slice(text.as_bytes());
        t.push(0);
        t
    }

    #[test]
    fn webp_exif_and_xmp_chunks_are_text_and_image_chunks_are_skipped() {
        let mut prefixed = b"Exif\0\0".to_vec();
        prefixed.extend(exif("second"));
        let b = riff(&[
            (b"VP8X", &[0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            (b"VP8L", b"\x2f\0\0\0\x10"),
            (b"EXIF", &exif("first")),
            (b"EXIF", &prefixed),
            (b"XMP ", b"<x:xmpmeta>odd</x:xmpmeta>"),
        ]);
        let mut found = Found::default();
        webp(&b, &mut found);
        let parts: Vec<(&str, &str)> = found
            .parts
            .iter()
            .map(|p| (p.name.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("EXIF tag 0x010e", "first"),
                ("EXIF tag 0x010e", "second"),
                ("XMP", "<x:xmpmeta>odd</x:xmpmeta>"),
            ]
        );
        assert!(found.facts.is_empty());
    }

    #[test]
    fn a_webp_chunk_past_the_end_is_unreadable() {
        let mut b = riff(&[(b"XMP ", b"some text here")]);
        b.truncate(b.len() - 4);
        let mut found = Found::default();
        webp(&b, &mut found);
        assert!(matches!(
            found.facts.as_slice(),
            [Fact {
                kind: FactKind::Unreadable(Unreadable::Parsing(_)),
                ..
            }]
        ));
        // A container whose size says less than the file holds ends where it says.
        let mut short = riff(&[(b"XMP ", b"first"), (b"XMP ", b"second")]);
        short[4..8].copy_from_slice(&18u32.to_le_bytes());
        let mut found = Found::default();
        webp(&short, &mut found);
        assert_eq!(found.parts.len(), 1);
    }
}
