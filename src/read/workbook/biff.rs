//! What the cells ([`super::xls`]) leave of a legacy (BIFF) workbook: hidden rows and columns, cell
//! comments and text boxes from the sheets' record streams, the values of other workbooks that
//! external references cached in the globals (`SUPBOOK`, `XCT`, `CRN`: read as tables, a
//! hidden part), and, from the compound file around them, embedded objects, pivot caches and a
//! shared workbook's revision log.
//!
//! The `Workbook` stream (`Book` before BIFF8) is a run of records: a globals substream, then
//! one substream per sheet, each opened by `BOF` and closed by `EOF`, with charts nested inside
//! as substreams of their own (skipped: their records are not the sheet's). Of a sheet:
//! - `ROW` with `fDyZero` is a hidden row, `COLINFO` with `fHidden` hidden columns, and
//!   `DEFAULTROWHEIGHT` with `fDyZero` hides every row not written;
//! - a comment is an `OBJ` of type note, its text in the `CONTINUE` records after its `TXO`,
//!   placed at a cell by the `NOTE` record that names the object; a BIFF5 `NOTE` holds its
//!   text itself. A text box (an `OBJ` of another type with a `TXO`) is shown on the sheet: its
//!   text is read as text, not as a hidden part.
//!
//! Records are read one at a time from the stream, never the stream whole. A stream that
//! cannot be followed (a record cut short, a chain that breaks) makes what it would have given
//! unchecked; a limit reached does too.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use crate::model::{cell_ref, Document, Member, Text, TextKind};
use crate::table::grid::Builder;

use super::layout::SheetCell;

use super::cfb::{CfbError, Compound, EntryKind};
use super::parts::{comments_found, hidden, hidden_lines, member, unchecked};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const ROW: u16 = 0x0208;
const COLINFO: u16 = 0x007D;
const DEFAULTROWHEIGHT: u16 = 0x0225;
const OBJ: u16 = 0x005D;
const TXO: u16 = 0x01B6;
const CONTINUE: u16 = 0x003C;
const NOTE: u16 = 0x001C;
const SUPBOOK: u16 = 0x01AE;
const XCT: u16 = 0x0059;
const CRN: u16 = 0x005A;
/// The `OBJ` type of a comment.
const OT_NOTE: u16 = 0x0019;

/// Most records of one workbook stream read (a full BIFF8 sheet is some 16 million cells).
const MAX_RECORDS: u64 = 50_000_000;
/// Most cached cells of external workbooks kept.
const MAX_CACHED_CELLS: usize = 250_000;
/// Most characters of comment and text box text kept per sheet.
const MAX_TEXT_CHARS: usize = 4 << 20;
/// Largest embedded object held for checking.
const MAX_EMBEDDED: u64 = 256 << 20;

/// What one sheet's substream gave.
#[derive(Default)]
struct SheetParts {
    name: String,
    /// First hidden row and column (1-based, `None` inside when only the default hides them).
    hidden_row: Option<Option<u32>>,
    hidden_col: Option<Option<u32>>,
    /// Text of each drawing object by its id: whether it is a comment, and its text.
    objects: BTreeMap<u16, (bool, String)>,
    /// Comments placed at cells: `(cell, object id or BIFF5 text)`.
    notes: Vec<(String, NoteText)>,
}

enum NoteText {
    Object(u16),
    Inline(String),
}

/// A text being read from the `CONTINUE` records after a `TXO`.
struct Pending {
    id: u16,
    note: bool,
    left: usize,
    text: String,
}

/// Read the parts calamine leaves of a legacy workbook into `doc`.
pub(super) fn read_parts<R: Read + Seek>(file: R, builder: &Builder<'_>, doc: &mut Document) {
    let what = "hidden rows, columns and comments of the legacy workbook";
    let mut cfb = match Compound::open(file) {
        Ok(c) => c,
        Err(e) => return unchecked(doc, member("Workbook"), what.into(), &e.to_string()),
    };
    storages(&mut cfb, doc);
    let Some(stream) = cfb
        .top_stream("Workbook")
        .or_else(|| cfb.top_stream("Book"))
    else {
        return unchecked(
            doc,
            member("Workbook"),
            what.into(),
            "it has no workbook stream",
        );
    };
    let name = stream.name().to_string();
    let read = cfb
        .open_stream(&stream)
        .map_err(|e| e.to_string())
        .and_then(|r| records(r).map_err(|e| e.to_string()));
    match read {
        Ok(walked) => {
            for s in walked.sheets {
                found(doc, s);
            }
            external_caches(doc, builder, &name, walked.external);
        }
        Err(why) => unchecked(doc, member(&name), what.into(), &why),
    }
}

/// The cached cells of other workbooks, read as tables of the stream, and one hidden part.
fn external_caches(
    doc: &mut Document,
    builder: &Builder<'_>,
    stream: &str,
    external: Vec<Vec<SheetCell>>,
) {
    if external.is_empty() {
        return;
    }
    for mut cells in external {
        if let Ok(tables) = super::layout::tables(&mut cells, builder, "external workbook") {
            for mut t in tables {
                t.member = Some(stream.to_string());
                doc.tables.push(t);
            }
        }
    }
    let here = member(stream);
    hidden(
        doc,
        here.clone(),
        format!("external link with cached values of another workbook ({stream})"),
        here,
    );
}

/// Give a sheet's hidden rows, columns, comments and text boxes to `doc`.
fn found(doc: &mut Document, mut s: SheetParts) {
    hidden_lines(doc, &s.name, s.hidden_row, s.hidden_col);
    let mut comments = Vec::new();
    for (cell, text) in std::mem::take(&mut s.notes) {
        let text = match text {
            NoteText::Inline(t) => t,
            NoteText::Object(id) => match s.objects.remove(&id) {
                Some((_, t)) => t,
                None => continue,
            },
        };
        comments.push((cell, text));
    }
    // A note object no `NOTE` places is still a comment, at no known cell.
    let (notes, boxes): (Vec<_>, Vec<_>) = s.objects.into_values().partition(|(note, _)| *note);
    comments.extend(notes.into_iter().map(|(_, t)| (String::new(), t)));
    let part = format!("comments on sheet '{}'", s.name);
    comments_found(doc, &part, Some(&s.name), format!("cell {part}"), &comments);
    let lines: Vec<(u32, String)> = boxes
        .iter()
        .flat_map(|(_, t)| t.lines())
        .enumerate()
        .map(|(i, l)| (i as u32 + 1, l.to_string()))
        .collect();
    if !lines.is_empty() {
        let mut text = Text::new(TextKind::Output, lines);
        text.member = Some(format!("text boxes on sheet '{}'", s.name));
        doc.texts.push(text);
    }
}

/// One record: its type and payload.
fn next_record<R: Read>(r: &mut R, data: &mut Vec<u8>) -> Result<Option<u16>, CfbError> {
    let mut head = [0u8; 4];
    let mut n = 0;
    while n < 4 {
        let k = r.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    match n {
        0 => return Ok(None),
        4 => {}
        _ => return Err(CfbError::Malformed("a record is cut short")),
    }
    let typ = u16::from_le_bytes([head[0], head[1]]);
    let len = u16::from_le_bytes([head[2], head[3]]) as usize;
    data.resize(len, 0);
    r.read_exact(data)
        .map_err(|_| CfbError::Malformed("a record is cut short"))?;
    Ok(Some(typ))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

/// What the walk of the workbook stream gives: each sheet's parts, and the cells another
/// workbook's sheets had when an external reference last cached them (`CRN` records after a
/// `SUPBOOK` of another file and an `XCT` naming its sheet), one list per external sheet.
#[derive(Default)]
struct Walked {
    sheets: Vec<SheetParts>,
    external: Vec<Vec<SheetCell>>,
}

/// Walk the workbook stream's records: sheet names and external caches from the globals, the
/// parts of each sheet.
fn records<R: Read>(mut r: R) -> Result<Walked, CfbError> {
    let mut data = Vec::with_capacity(8224);
    let mut offset = 0u64;
    let mut count = 0u64;
    // Sheet names by the stream offset of their BOF, in the order the globals give them.
    let mut names: Vec<(u64, String)> = Vec::new();
    let mut sheets = Vec::new();
    let mut depth = 0usize;
    let mut substreams = 0usize;
    let mut biff8 = true;
    let mut current: Option<SheetParts> = None;
    let mut last_obj: Option<(u16, bool)> = None;
    let mut pending: Option<Pending> = None;
    let mut kept_chars = 0usize;
    let mut external: Vec<Vec<SheetCell>> = Vec::new();
    let mut external_book = false;
    let mut cached = 0usize;
    loop {
        let at = offset;
        let Some(typ) = next_record(&mut r, &mut data)? else {
            break;
        };
        offset += 4 + data.len() as u64;
        count += 1;
        if count > MAX_RECORDS {
            return Err(CfbError::Malformed(
                "the workbook stream has too many records",
            ));
        }
        if typ == BOF {
            depth += 1;
            if depth == 1 {
                if substreams == 0 {
                    biff8 = u16_at(&data, 0).is_none_or(|v| v == 0x0600);
                } else {
                    let name = names
                        .iter()
                        .find(|(p, _)| *p == at)
                        .or_else(|| names.get(substreams - 1))
                        .map_or_else(|| format!("sheet {substreams}"), |(_, n)| n.clone());
                    current = Some(SheetParts {
                        name,
                        ..SheetParts::default()
                    });
                }
                substreams += 1;
            }
            continue;
        }
        if typ == EOF {
            if depth == 1 {
                if let Some(s) = current.take() {
                    sheets.push(s);
                }
                last_obj = None;
                pending = None;
            }
            depth = depth.saturating_sub(1);
            // Past the last sheet the stream may be padded: nothing there belongs to a sheet.
            if depth == 0 && substreams > names.len() {
                break;
            }
            continue;
        }
        if depth != 1 {
            continue;
        }
        if substreams == 1 {
            match typ {
                // `cch` 0x0401 is this workbook, 0x3A01 an add-in: only another file caches.
                SUPBOOK => {
                    external_book = !matches!(u16_at(&data, 2), Some(0x0401 | 0x3A01));
                }
                XCT if external_book => external.push(Vec::new()),
                CRN if external_book => {
                    if let Some(cells) = external.last_mut() {
                        crn_cells(&data, biff8, cells, &mut cached);
                    }
                }
                _ => {}
            }
            if typ == BOUNDSHEET {
                if let Some(pos) = data.get(0..4) {
                    let pos = u32::from_le_bytes([pos[0], pos[1], pos[2], pos[3]]);
                    names.push((
                        u64::from(pos),
                        sheet_name(&data[6.min(data.len())..], biff8),
                    ));
                }
            }
            continue;
        }
        let Some(sheet) = current.as_mut() else {
            continue;
        };
        // The text of a TXO runs on in the CONTINUE records after it.
        if let Some(p) = pending.as_mut() {
            if typ == CONTINUE {
                let (chars, used) = chars_of(&data, p.left, biff8);
                p.left -= used;
                if kept_chars + chars.len() <= MAX_TEXT_CHARS {
                    kept_chars += chars.len();
                    p.text.push_str(&chars);
                }
                if p.left == 0 || used == 0 {
                    if let Some(p) = pending.take() {
                        sheet.objects.insert(p.id, (p.note, p.text));
                    }
                }
                continue;
            }
            if let Some(p) = pending.take() {
                sheet.objects.insert(p.id, (p.note, p.text));
            }
        }
        match typ {
            ROW => {
                if let (Some(row), Some(flags)) = (u16_at(&data, 0), u16_at(&data, 12)) {
                    if flags & 0x0020 != 0 && sheet.hidden_row.is_none_or(|r| r.is_none()) {
                        sheet.hidden_row = Some(Some(u32::from(row) + 1));
                    }
                }
            }
            COLINFO => {
                if let (Some(first), Some(flags)) = (u16_at(&data, 0), u16_at(&data, 8)) {
                    if flags & 0x0001 != 0 && sheet.hidden_col.is_none() {
                        sheet.hidden_col = Some(Some(u32::from(first) + 1));
                    }
                }
            }
            DEFAULTROWHEIGHT
                if u16_at(&data, 0).is_some_and(|f| f & 0x0002 != 0)
                    && sheet.hidden_row.is_none() =>
            {
                sheet.hidden_row = Some(None);
            }
            // The first sub-record of an OBJ is its common data: type and id.
            OBJ => {
                last_obj = match (u16_at(&data, 0), u16_at(&data, 4), u16_at(&data, 6)) {
                    (Some(0x0015), Some(ot), Some(id)) => Some((id, ot == OT_NOTE)),
                    _ => None,
                };
            }
            TXO => {
                let chars = u16_at(&data, 10).unwrap_or(0) as usize;
                if let Some((id, note)) = last_obj.take() {
                    if chars > 0 {
                        pending = Some(Pending {
                            id,
                            note,
                            left: chars,
                            text: String::new(),
                        });
                    }
                }
            }
            NOTE => {
                let (Some(row), Some(col)) = (u16_at(&data, 0), u16_at(&data, 2)) else {
                    continue;
                };
                if biff8 {
                    if let Some(id) = u16_at(&data, 6) {
                        let cell = cell_ref(u32::from(row) + 1, u32::from(col) + 1);
                        sheet.notes.push((cell, NoteText::Object(id)));
                    }
                } else {
                    // BIFF5: the text itself; a row of 0xFFFF continues the note before.
                    let text = chars_of(data.get(6..).unwrap_or_default(), usize::MAX, false).0;
                    match (row, sheet.notes.last_mut()) {
                        (0xFFFF, Some((_, NoteText::Inline(t)))) => t.push_str(&text),
                        _ => {
                            let cell = cell_ref(u32::from(row) + 1, u32::from(col) + 1);
                            sheet.notes.push((cell, NoteText::Inline(text)));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        return Err(CfbError::Malformed(
            "the workbook stream ends inside a sheet",
        ));
    }
    external.retain(|cells| !cells.is_empty());
    Ok(Walked { sheets, external })
}

/// The cached values of one `CRN` record: the last and first column, the row, then one value
/// per column (a type byte: 0x01 a number, 0x02 a string, 0x04 a boolean, 0x10 an error, 0x00
/// nothing; numbers and the others take eight bytes).
fn crn_cells(d: &[u8], biff8: bool, cells: &mut Vec<SheetCell>, cached: &mut usize) {
    let (Some(&last), Some(&first), Some(row)) = (d.first(), d.get(1), u16_at(d, 2)) else {
        return;
    };
    let mut at = 4;
    for col in first..=last {
        let Some(&kind) = d.get(at) else {
            return;
        };
        at += 1;
        let text = match kind {
            0x01 => {
                let Some(b) = d.get(at..at + 8) else { return };
                at += 8;
                let mut v = [0u8; 8];
                v.copy_from_slice(b);
                let x = f64::from_le_bytes(v);
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    format!("{}", x as i64)
                } else {
                    x.to_string()
                }
            }
            0x02 => {
                let Some(n) = u16_at(d, at) else { return };
                let rest = d.get(at + 2..).unwrap_or_default();
                let (t, used) = chars_of(rest, n as usize, biff8);
                let wide = biff8 && rest.first().is_some_and(|f| f & 1 != 0);
                at += 2 + usize::from(biff8) + used * if wide { 2 } else { 1 };
                t
            }
            _ => {
                at += 8;
                String::new()
            }
        };
        if !text.is_empty() && *cached < MAX_CACHED_CELLS {
            *cached += 1;
            cells.push(SheetCell {
                row: u32::from(row) + 1,
                col: u32::from(col) + 1,
                text,
            });
        }
    }
}

/// A sheet name of a `BOUNDSHEET` record (a short string: length, then BIFF8's flag byte).
fn sheet_name(b: &[u8], biff8: bool) -> String {
    let Some(&len) = b.first() else {
        return String::new();
    };
    if biff8 {
        chars_of(&b[1..], len as usize, true).0
    } else {
        chars_of(&b[1..], len as usize, false).0
    }
}

/// Up to `want` characters of a BIFF8 string piece (a flag byte, then one byte per character
/// or two), and how many were read. Before BIFF8 each byte is a character.
fn chars_of(b: &[u8], want: usize, biff8: bool) -> (String, usize) {
    if !biff8 {
        let s: String = b.iter().take(want).map(|&c| c as char).collect();
        let n = s.chars().count();
        return (s, n);
    }
    let Some((&flags, rest)) = b.split_first() else {
        return (String::new(), 0);
    };
    if flags & 0x01 == 0 {
        let s: String = rest.iter().take(want).map(|&c| c as char).collect();
        let n = rest.len().min(want);
        (s, n)
    } else {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .take(want)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let n = units.len();
        (String::from_utf16_lossy(&units), n)
    }
}

/// The storages around the workbook stream: embedded objects (a package or a packaged file in
/// one is checked as a file), pivot caches, a shared workbook's revision log and user names.
fn storages<R: Read + Seek>(cfb: &mut Compound<R>, doc: &mut Document) {
    let tops: Vec<_> = cfb.entries.iter().filter(|e| e.at_top()).cloned().collect();
    for top in tops {
        let name = top.name().to_string();
        let here = member(&name);
        if top.kind == EntryKind::Storage && name.starts_with("MBD") {
            embedded(cfb, &name, doc);
        } else if name.eq_ignore_ascii_case("_SX_DB_CUR") || name.eq_ignore_ascii_case("_SX_DB") {
            hidden(
                doc,
                here.clone(),
                format!("pivot cache {name}"),
                here.clone(),
            );
            unchecked(
                doc,
                here,
                format!("pivot cache {name}"),
                "the pivot cache records of a legacy workbook are not read by this version",
            );
        } else if name.eq_ignore_ascii_case("Revision Log")
            || name.eq_ignore_ascii_case("User Names")
        {
            hidden(
                doc,
                here.clone(),
                format!("shared workbook history ({name})"),
                here.clone(),
            );
            unchecked(
                doc,
                here,
                format!("shared workbook history ({name})"),
                "the revision log of a legacy workbook is not read by this version",
            );
        }
    }
}

/// An embedded object's storage, a hidden part: an Office package (`Package`) or a packaged
/// file (`Ole10Native`) becomes a member checked as a file (the hidden part is that member, so
/// what is flagged inside it makes the part an error); anything else is unchecked.
fn embedded<R: Read + Seek>(cfb: &mut Compound<R>, storage: &str, doc: &mut Document) {
    let inside: Vec<_> = cfb
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Stream && e.path.starts_with(&format!("{storage}/")))
        .cloned()
        .collect();
    let what = format!("embedded object {storage}");
    let packaged = inside.iter().find_map(|e| {
        let leaf = e.name().trim_start_matches(['\u{1}', '\u{3}']);
        if leaf.eq_ignore_ascii_case("Package") {
            Some((e, true))
        } else if leaf.eq_ignore_ascii_case("Ole10Native") {
            Some((e, false))
        } else {
            None
        }
    });
    let found = match packaged {
        None => Err("an object embedded in a legacy workbook is not read by this version".into()),
        Some((e, package)) => match cfb.read_stream(e, MAX_EMBEDDED) {
            Err(why) => Err(why.to_string()),
            Ok(bytes) if package => Ok(Member {
                name: format!("{storage}/Package"),
                bytes,
            }),
            Ok(bytes) => ole10_native(&bytes)
                .map(|(name, bytes)| Member {
                    name: format!("{storage}/{name}"),
                    bytes,
                })
                .ok_or_else(|| "the packaged file is not well-formed".to_string()),
        },
    };
    match found {
        Ok(m) => {
            let here = member(&m.name);
            hidden(doc, here.clone(), what, here);
            doc.members.push(m);
        }
        Err(why) => {
            let here = member(storage);
            hidden(doc, here.clone(), what.clone(), here.clone());
            unchecked(doc, here, what, &why);
        }
    }
}

/// A packaged file (`\x01Ole10Native`): its size, flags, label, path, then the data after a
/// few more fields. Gives its file name and bytes.
fn ole10_native(b: &[u8]) -> Option<(String, Vec<u8>)> {
    let cstr = |from: usize| -> Option<(String, usize)> {
        let end = from + b.get(from..)?.iter().position(|&c| c == 0)?;
        Some((b[from..end].iter().map(|&c| c as char).collect(), end + 1))
    };
    let (label, at) = cstr(6)?;
    let (_path, at) = cstr(at)?;
    // Two reserved bytes, then the temporary path's length and the path.
    let tmp_len = u32::from_le_bytes(b.get(at + 4..at + 8)?.try_into().ok()?) as usize;
    let at = at + 8 + tmp_len;
    let size = u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize;
    let data = b.get(at + 4..at + 4 + size)?.to_vec();
    let leaf = label
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("packaged")
        .to_string();
    Some((
        if leaf.is_empty() {
            "packaged".into()
        } else {
            leaf
        },
        data,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/fixtures/cases/workbooks/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("a generated fixture (tests/workbooks.rs)")
    }

    fn parts_of(bytes: &[u8]) -> Document {
        let mut doc = Document::default();
        crate::testutil::with_readers(|r| {
            let builder = Builder {
                parser: r.parser,
                lexicon: r.lexicon,
                style: None,
            };
            read_parts(std::io::Cursor::new(bytes), &builder, &mut doc);
        });
        doc
    }

    #[test]
    fn a_comment_is_read_at_its_cell_and_a_text_box_as_text() {
        let doc = parts_of(&fixture("legacy_comment_with_id.xls"));
        assert_eq!(doc.texts.len(), 1);
        assert_eq!(
            doc.texts[0].lines[0].1,
            "Checked the record of CPR 161124-3533 by hand"
        );
        assert_eq!(doc.facts.len(), 1, "{:#?}", doc.facts);
        assert_eq!(doc.facts[0].location.cell.as_deref(), Some("B4"));
        let doc = parts_of(&fixture("legacy_text_box_with_id.xls"));
        assert_eq!(doc.texts.len(), 1);
        assert!(doc.facts.is_empty(), "{:#?}", doc.facts);
    }

    #[test]
    fn broken_compound_files_and_record_streams_never_panic_and_say_so() {
        for name in [
            "legacy_comment_with_id.xls",
            "legacy_hidden_rows_columns.xls",
            "legacy_embedded_objects.xls",
        ] {
            let good = fixture(name);
            // Cut short anywhere: something is said unless only padding was lost.
            for len in (0..good.len()).step_by(61) {
                let _ = parts_of(&good[..len]);
            }
            assert!(!parts_of(&good[..100]).facts.is_empty());
            // Bytes overwritten in the header, the FAT, the directory and the streams.
            let mut x: u64 = 0x2545_f491_4f6c_dd1d;
            for _ in 0..400 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let mut bad = good.clone();
                let at = (x % bad.len() as u64) as usize;
                bad[at] = (x >> 32) as u8;
                let _ = parts_of(&bad);
            }
        }
        // A FAT whose chains loop: every sector points at the first directory sector.
        let mut looped = fixture("legacy_hidden_rows_columns.xls");
        let (fat, dir) = (
            512usize,
            u32::from_le_bytes([looped[48], looped[49], looped[50], looped[51]]),
        );
        for i in 0..128 {
            looped[fat + 4 * i..fat + 4 * i + 4].copy_from_slice(&dir.to_le_bytes());
        }
        let doc = parts_of(&looped);
        assert!(
            doc.facts
                .iter()
                .any(|f| matches!(&f.kind, crate::model::FactKind::Unchecked { .. })),
            "{:#?}",
            doc.facts
        );
    }
}
