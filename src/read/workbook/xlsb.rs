//! What calamine does not read from an XLSB package, whose parts are BIFF12 records (MS-XLSB):
//! the hidden rows (`BrtRowHdr` with `fDyZero`) and hidden columns (`BrtColInfo` with `fHidden`)
//! of every sheet, and the cell comments (`BrtBeginComment` gives the cell, `BrtCommentText` the
//! text) of the comments part a sheet links to, and of comments parts no sheet links to. Each
//! becomes the hidden-part fact an XLSX package gives ([`super::parts`]), and the comments' text
//! is read as text of their part. Threaded comments are XML even in an XLSB package and are read
//! as the XLSX ones are. The sheets come from `xl/workbook.bin` (`BrtBundleSh`) and its
//! relationships; chart sheets have no rows or comments and are not walked.
//!
//! A sheet part streams as it expands; a comments part is held up to [`MAX_SCANNED_PART`], and a
//! record's payload up to [`MAX_HELD_RECORD`] (only the records read are held). A part that is
//! cut short or malformed (a record running past the end, a type or size that is not a BIFF12
//! number, a record shorter than its fields, a row past the last one, no closing record, bytes
//! after it) is unchecked: what was read before the fault is still reported, and the file cannot
//! pass.

use std::io::{self, BufReader, Read, Seek};

use thiserror::Error;

use crate::model::{cell_ref, Document, Location};

use super::package::{Package, MAX_SCANNED_PART};
use super::parts::{
    self, comments_found, hidden_lines, member, package_comments, sheets_and_comments, unchecked,
    SheetPart,
};

/// The workbook part.
const WORKBOOK: &str = "xl/workbook.bin";

/// Record types (MS-XLSB 2.3.2).
const BRT_ROW_HDR: u16 = 0x0000;
const BRT_COL_INFO: u16 = 0x003C;
const BRT_END_SHEET: u16 = 0x0082;
const BRT_END_BUNDLE_SHS: u16 = 0x0090;
const BRT_BUNDLE_SH: u16 = 0x009C;
const BRT_END_COMMENTS: u16 = 0x0275;
const BRT_BEGIN_COMMENT: u16 = 0x027B;
const BRT_COMMENT_TEXT: u16 = 0x027D;

/// `BrtRowHdr`: the byte after `miyRw` and its padding flags holds `fDyZero` (the row is
/// hidden).
const ROW_FLAGS_AT: usize = 11;
const F_DY_ZERO: u8 = 0x10;
/// `BrtColInfo`: the flags after `colFirst`, `colLast`, `coldx` and `ixfe`; `fHidden` first.
const COL_FLAGS_AT: usize = 16;
const F_HIDDEN: u16 = 0x0001;

/// Rows and columns of a sheet.
const SHEET_ROWS: u32 = 1 << 20;
const SHEET_COLUMNS: u32 = 1 << 14;

/// Largest payload of a record that is read (a comment's text is at most 32,767 characters).
pub const MAX_HELD_RECORD: usize = 1 << 20;

/// What is wrong with a binary part.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum Malformed {
    #[error("the part ends inside a record (cut short)")]
    CutShort,
    #[error("a record's type or size is not a BIFF12 number")]
    BadNumber,
    #[error("a record is larger than the {} MiB this reader holds", MAX_HELD_RECORD >> 20)]
    TooLarge,
    #[error("a record is shorter than its fields")]
    Short,
    #[error("a record names a row or column outside the sheet")]
    OutOfSheet,
    #[error("the part ends before its closing record (cut short)")]
    Unclosed,
    #[error("bytes follow the part's closing record")]
    Trailing,
    #[error("the part could not be expanded")]
    Unreadable,
}

/// The records of a part, one at a time.
struct Records<R> {
    r: R,
    payload: Vec<u8>,
}

impl<R: Read> Records<R> {
    fn new(r: R) -> Self {
        Records {
            r,
            payload: Vec::new(),
        }
    }

    /// One byte, `None` at the end of the part.
    fn byte(&mut self) -> Result<Option<u8>, Malformed> {
        let mut b = [0u8];
        loop {
            match self.r.read(&mut b) {
                Ok(0) => return Ok(None),
                Ok(_) => return Ok(Some(b[0])),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Malformed::Unreadable),
            }
        }
    }

    /// A number of at most `most` bytes, seven bits a byte, the high bit saying another follows;
    /// `first` is its first byte.
    fn number(&mut self, first: u8, most: u32) -> Result<u32, Malformed> {
        let (mut value, mut b) = (u32::from(first & 0x7F), first);
        for i in 1..most {
            if b & 0x80 == 0 {
                return Ok(value);
            }
            b = self.byte()?.ok_or(Malformed::CutShort)?;
            value |= u32::from(b & 0x7F) << (7 * i);
        }
        if b & 0x80 == 0 {
            Ok(value)
        } else {
            Err(Malformed::BadNumber)
        }
    }

    /// The next record: its type and, when `keep` picks the type, its payload (else the payload
    /// is skipped and given empty); `None` at the end of the part.
    fn next(&mut self, keep: impl Fn(u16) -> bool) -> Result<Option<(u16, &[u8])>, Malformed> {
        let Some(first) = self.byte()? else {
            return Ok(None);
        };
        // Two bytes of seven bits: the type fits.
        let typ = self.number(first, 2)? as u16;
        let first = self.byte()?.ok_or(Malformed::CutShort)?;
        let len = self.number(first, 4)? as usize;
        self.payload.clear();
        if keep(typ) {
            if len > MAX_HELD_RECORD {
                return Err(Malformed::TooLarge);
            }
            self.payload.resize(len, 0);
            self.r.read_exact(&mut self.payload).map_err(|e| {
                if e.kind() == io::ErrorKind::UnexpectedEof {
                    Malformed::CutShort
                } else {
                    Malformed::Unreadable
                }
            })?;
        } else {
            let skipped = io::copy(&mut (&mut self.r).take(len as u64), &mut io::sink())
                .map_err(|_| Malformed::Unreadable)?;
            if skipped < len as u64 {
                return Err(Malformed::CutShort);
            }
        }
        Ok(Some((typ, &self.payload)))
    }

    /// Walk the records up to the part's closing record `end`, handing those `keep` picks to
    /// `f`.
    fn walk(
        &mut self,
        end: u16,
        keep: impl Fn(u16) -> bool,
        mut f: impl FnMut(u16, &[u8]) -> Result<(), Malformed>,
    ) -> Result<(), Malformed> {
        while let Some((typ, payload)) = self.next(&keep)? {
            if typ == end {
                return Ok(());
            }
            if keep(typ) {
                f(typ, payload)?;
            }
        }
        Err(Malformed::Unclosed)
    }

    /// Walk a whole part as [`Records::walk`] does: nothing may follow its closing record.
    fn walk_all(
        &mut self,
        end: u16,
        keep: impl Fn(u16) -> bool,
        f: impl FnMut(u16, &[u8]) -> Result<(), Malformed>,
    ) -> Result<(), Malformed> {
        self.walk(end, keep, f)?;
        match self.byte()? {
            None => Ok(()),
            Some(_) => Err(Malformed::Trailing),
        }
    }
}

fn u16_at(p: &[u8], at: usize) -> Result<u16, Malformed> {
    p.get(at..at + 2)
        .and_then(|b| b.try_into().ok())
        .map(u16::from_le_bytes)
        .ok_or(Malformed::Short)
}

fn u32_at(p: &[u8], at: usize) -> Result<u32, Malformed> {
    p.get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes)
        .ok_or(Malformed::Short)
}

/// An `XLWideString` (a count of UTF-16 units, then the units) at `at`, and the offset past it;
/// the null string (count `0xFFFFFFFF`) of an `XLNullableWideString` is `None`.
fn wide_str(p: &[u8], at: usize) -> Result<(Option<String>, usize), Malformed> {
    let units = u32_at(p, at)?;
    if units == u32::MAX {
        return Ok((None, at + 4));
    }
    let end = (units as usize)
        .checked_mul(2)
        .and_then(|n| n.checked_add(at + 4))
        .ok_or(Malformed::Short)?;
    let bytes = p.get(at + 4..end).ok_or(Malformed::Short)?;
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    Ok((Some(String::from_utf16_lossy(&units)), end))
}

/// Read the parts of an XLSB package into `doc`.
pub fn read_parts<R: Read + Seek>(pkg: &mut Package<R>, doc: &mut Document) {
    let sheets = sheet_parts(pkg, doc);
    let comment_parts = |p: &str| {
        (p.starts_with("xl/comments") && p.ends_with(".bin"))
            || (p.starts_with("xl/threadedComments/") && p.ends_with(".xml"))
    };
    sheets_and_comments(
        pkg,
        &sheets,
        doc,
        hidden_rows_and_columns,
        comments,
        comment_parts,
    );
}

/// Sheets by name and part, from the workbook part's `BrtBundleSh` records and its
/// relationships.
fn sheet_parts<R: Read + Seek>(pkg: &mut Package<R>, doc: &mut Document) -> Vec<SheetPart> {
    let what = format!("workbook part {WORKBOOK}");
    let targets = parts::targets_by_id(pkg, "xl/_rels/workbook.bin.rels", "xl").unwrap_or_default();
    let Some(bytes) = pkg.read(WORKBOOK, MAX_SCANNED_PART) else {
        unchecked(doc, member(WORKBOOK), what, "the part could not be read");
        return Vec::new();
    };
    let mut sheets = Vec::new();
    let mut unlinked = Vec::new();
    // The list of sheets closes with `BrtEndBundleShs`; what follows it names no sheet.
    let read = Records::new(&bytes[..]).walk(
        BRT_END_BUNDLE_SHS,
        |t| t == BRT_BUNDLE_SH,
        |_, p| {
            // hsState, iTabID, strRelID (nullable), strName.
            let state = u32_at(p, 0)?;
            let (rel, at) = wide_str(p, 8)?;
            let (name, _) = wide_str(p, at)?;
            let name = name.ok_or(Malformed::Short)?;
            let Some(rel) = rel else {
                return Ok(());
            };
            match targets.get(&rel) {
                Some(part) => sheets.push(SheetPart {
                    name,
                    part: part.clone(),
                    hidden: state != 0,
                }),
                None => unlinked.push(name),
            }
            Ok(())
        },
    );
    if let Err(e) = read {
        unchecked(doc, member(WORKBOOK), what, &e.to_string());
    }
    for name in unlinked {
        let at = super::sheets::sheet_location(&name);
        let why = "the workbook names no part for it";
        unchecked(
            doc,
            at,
            format!("rows, columns and comments of sheet '{name}'"),
            why,
        );
    }
    sheets
}

/// What a sheet hides: how many rows and columns, and the first of each (1-based).
#[derive(Debug, Default, PartialEq, Eq)]
struct Hides {
    rows: u64,
    first_row: Option<u32>,
    cols: u64,
    first_col: Option<u32>,
}

/// The rows and columns a sheet part hides, and whether the part was read to its end.
fn scan_sheet(r: impl Read) -> (Hides, Result<(), Malformed>) {
    let mut h = Hides::default();
    let read = Records::new(r).walk_all(
        BRT_END_SHEET,
        |t| t == BRT_ROW_HDR || t == BRT_COL_INFO,
        |typ, p| {
            if typ == BRT_ROW_HDR {
                let row = u32_at(p, 0)?;
                let flags = *p.get(ROW_FLAGS_AT).ok_or(Malformed::Short)?;
                // calamine stops at such a row; the cells after it are not read.
                if row >= SHEET_ROWS {
                    return Err(Malformed::OutOfSheet);
                }
                if flags & F_DY_ZERO != 0 {
                    h.rows += 1;
                    h.first_row.get_or_insert(row + 1);
                }
            } else {
                let (first, last) = (u32_at(p, 0)?, u32_at(p, 4)?);
                let flags = u16_at(p, COL_FLAGS_AT)?;
                if flags & F_HIDDEN != 0 {
                    // A range past the last column or backwards still hides a column.
                    let last = last.max(first).min(SHEET_COLUMNS - 1);
                    let first = first.min(last);
                    h.cols += u64::from(last - first) + 1;
                    h.first_col.get_or_insert(first + 1);
                }
            }
            Ok(())
        },
    );
    (h, read)
}

/// Rows and columns a sheet hides: one fact each, with the sheet as scope, as in an XLSX
/// package. A chart sheet has neither.
fn hidden_rows_and_columns<R: Read + Seek>(
    pkg: &mut Package<R>,
    s: &SheetPart,
    doc: &mut Document,
) {
    if s.part.starts_with("xl/chartsheets/") {
        return;
    }
    let at = Location {
        sheet: Some(s.name.clone()),
        ..member(&s.part)
    };
    let what = format!("sheet part {}", s.part);
    let Some(part) = pkg.stream(&s.part) else {
        unchecked(doc, at, what, "the part is not in the package");
        return;
    };
    let (h, read) = scan_sheet(BufReader::new(part));
    hidden_lines(
        doc,
        &s.name,
        (h.rows > 0).then_some(h.first_row),
        (h.cols > 0).then_some(h.first_col),
    );
    if let Err(e) = read {
        unchecked(doc, at, what, &e.to_string());
    }
}

/// The comments of a binary comments part, `(cell, text)` in part order, and whether the part
/// was read to its end.
fn scan_comments(bytes: &[u8]) -> (Vec<(String, String)>, Result<(), Malformed>) {
    let mut found: Vec<(String, String)> = Vec::new();
    let read = Records::new(bytes).walk_all(
        BRT_END_COMMENTS,
        |t| t == BRT_BEGIN_COMMENT || t == BRT_COMMENT_TEXT,
        |typ, p| {
            if typ == BRT_BEGIN_COMMENT {
                // iauthor, then the cell range (rwFirst, rwLast, colFirst, colLast).
                let (row, col) = (u32_at(p, 4)?, u32_at(p, 12)?);
                if row >= SHEET_ROWS || col >= SHEET_COLUMNS {
                    return Err(Malformed::OutOfSheet);
                }
                found.push((cell_ref(row + 1, col + 1), String::new()));
            } else {
                // A RichStr: a flags byte, then the string; the formatting runs after it
                // hold no text.
                let (text, _) = wide_str(p, 1)?;
                let text = text.ok_or(Malformed::Short)?;
                match found.last_mut() {
                    Some((_, t)) => t.push_str(&text),
                    None => found.push((String::new(), text)),
                }
            }
            Ok(())
        },
    );
    (found, read)
}

/// A comments part a sheet links to (`sheet`) or none does: a binary one is read here, a
/// threaded one (XML) as in an XLSX package.
fn comments<R: Read + Seek>(
    pkg: &mut Package<R>,
    part: &str,
    sheet: Option<&str>,
    doc: &mut Document,
) {
    if part.ends_with(".xml") {
        parts::comments(pkg, part, sheet, doc);
        return;
    }
    let at = Location {
        sheet: sheet.map(str::to_string),
        ..member(part)
    };
    let what = format!("comments {part}");
    let Some(bytes) = pkg.read(part, MAX_SCANNED_PART) else {
        unchecked(doc, at, what, "the part could not be read");
        return;
    };
    let (found, read) = scan_comments(&bytes);
    comments_found(doc, part, sheet, package_comments(part, sheet), &found);
    if let Err(e) = read {
        unchecked(doc, at, what, &e.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as the format writes it.
    fn rec(typ: u16, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut t = u32::from(typ);
        let mut n = payload.len() as u32;
        for (value, most) in [(&mut t, 2), (&mut n, 4)] {
            for _ in 0..most {
                let b = (*value & 0x7F) as u8;
                *value >>= 7;
                if *value == 0 {
                    out.push(b);
                    break;
                }
                out.push(b | 0x80);
            }
        }
        out.extend_from_slice(payload);
        out
    }

    fn row(rw: u32, hidden: bool) -> Vec<u8> {
        let mut p = rw.to_le_bytes().to_vec();
        p.extend([0; 4]); // ixfe
        p.extend(300u16.to_le_bytes());
        p.push(0);
        p.push(if hidden { F_DY_ZERO } else { 0 });
        p.extend([0; 5]);
        rec(BRT_ROW_HDR, &p)
    }

    fn col(first: u32, last: u32, hidden: bool) -> Vec<u8> {
        let mut p = Vec::new();
        for v in [first, last, 2560, 0] {
            p.extend(v.to_le_bytes());
        }
        p.extend(u16::from(hidden).to_le_bytes());
        rec(BRT_COL_INFO, &p)
    }

    fn wide(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut p = (units.len() as u32).to_le_bytes().to_vec();
        for u in units {
            p.extend(u.to_le_bytes());
        }
        p
    }

    fn sheet(records: &[Vec<u8>]) -> Vec<u8> {
        let mut out = rec(0x0081, &[]);
        for r in records {
            out.extend(r);
        }
        out.extend(rec(BRT_END_SHEET, &[]));
        out
    }

    #[test]
    fn types_and_sizes_are_numbers_of_seven_bits_a_byte() {
        let r = rec(BRT_BEGIN_COMMENT, &[7; 200]);
        assert_eq!(&r[..4], &[0xFB, 0x04, 0xC8, 0x01]);
        let mut records = Records::new(&r[..]);
        let (typ, p) = records.next(|_| true).unwrap().unwrap();
        assert_eq!((typ, p.len()), (BRT_BEGIN_COMMENT, 200));
        assert_eq!(records.next(|_| true), Ok(None));
    }

    #[test]
    fn a_type_of_three_bytes_or_a_size_of_five_is_not_a_number() {
        let mut records = Records::new(&[0x80, 0x80, 0x01, 0x00][..]);
        assert_eq!(records.next(|_| true), Err(Malformed::BadNumber));
        let mut records = Records::new(&[0x00, 0x80, 0x80, 0x80, 0x80, 0x01][..]);
        assert_eq!(records.next(|_| false), Err(Malformed::BadNumber));
    }

    #[test]
    fn a_record_past_the_end_is_cut_short_whether_read_or_skipped() {
        let r = rec(0x0005, &[1; 16]);
        for keep in [true, false] {
            for cut in [1, 2, 10] {
                let mut records = Records::new(&r[..cut]);
                assert_eq!(records.next(|_| keep), Err(Malformed::CutShort), "{cut}");
            }
        }
    }

    #[test]
    fn a_held_record_has_a_limit_and_a_skipped_one_none() {
        let mut big = vec![0x00, 0x80, 0x80, 0x80, 0x01];
        big.extend(vec![0; 1 << 21]);
        assert_eq!(
            Records::new(&big[..]).next(|_| true),
            Err(Malformed::TooLarge)
        );
        assert!(Records::new(&big[..]).next(|_| false).is_ok());
    }

    #[test]
    fn hidden_rows_and_columns_are_counted_from_their_first_one() {
        let part = sheet(&[
            col(0, 0, false),
            col(2, 4, true),
            col(7, 7, true),
            row(0, false),
            row(5, true),
            row(9, true),
        ]);
        let (h, read) = scan_sheet(&part[..]);
        assert_eq!(read, Ok(()));
        let want = Hides {
            rows: 2,
            first_row: Some(6),
            cols: 4,
            first_col: Some(3),
        };
        assert_eq!(h, want);
    }

    #[test]
    fn a_sheet_part_cut_short_or_malformed_is_not_read_as_whole() {
        let whole = sheet(&[row(0, false), row(5, true)]);
        let cut_in_record = &whole[..whole.len() - 10];
        let (h, read) = scan_sheet(cut_in_record);
        assert_eq!(read, Err(Malformed::CutShort));
        assert_eq!(h.rows, 0);
        // Cut between records: no closing record.
        let unclosed = &whole[..whole.len() - 3];
        assert_eq!(scan_sheet(unclosed).1, Err(Malformed::Unclosed));
        assert_eq!(scan_sheet(unclosed).0.first_row, Some(6));
        let mut trailing = whole.clone();
        trailing.push(0);
        assert_eq!(scan_sheet(&trailing[..]).1, Err(Malformed::Trailing));
        let past_the_last_row = sheet(&[row(SHEET_ROWS, false)]);
        assert_eq!(
            scan_sheet(&past_the_last_row[..]).1,
            Err(Malformed::OutOfSheet)
        );
        let odd_columns = sheet(&[col(20_000, 3, true)]);
        let (h, read) = scan_sheet(&odd_columns[..]);
        assert_eq!(read, Ok(()));
        assert_eq!((h.cols, h.first_col), (1, Some(16_384)));
        let short = sheet(&[rec(BRT_ROW_HDR, &[0; 8])]);
        assert_eq!(scan_sheet(&short[..]).1, Err(Malformed::Short));
    }

    fn comment(row: u32, col: u32, text: &str) -> Vec<u8> {
        let mut p = 0u32.to_le_bytes().to_vec();
        for v in [row, row, col, col] {
            p.extend(v.to_le_bytes());
        }
        p.extend([0; 16]);
        let mut out = rec(BRT_BEGIN_COMMENT, &p);
        let mut t = vec![0];
        t.extend(wide(text));
        out.extend(rec(BRT_COMMENT_TEXT, &t));
        out.extend(rec(0x027C, &[]));
        out
    }

    #[test]
    fn comments_are_read_at_their_cells() {
        let mut part = rec(0x0274, &[]);
        part.extend(comment(3, 1, "first\nsecond"));
        part.extend(comment(9, 27, "Ä third"));
        part.extend(rec(BRT_END_COMMENTS, &[]));
        let (found, read) = scan_comments(&part);
        assert_eq!(read, Ok(()));
        assert_eq!(
            found,
            vec![
                ("B4".to_string(), "first\nsecond".to_string()),
                ("AB10".to_string(), "Ä third".to_string()),
            ]
        );
        let (found, read) = scan_comments(&part[..part.len() - 8]);
        assert_eq!(read, Err(Malformed::CutShort));
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn a_comment_text_longer_than_its_record_is_malformed() {
        let mut t = vec![0];
        t.extend(40u32.to_le_bytes());
        t.extend([b'a', 0]);
        let mut part = rec(BRT_COMMENT_TEXT, &t);
        part.extend(rec(BRT_END_COMMENTS, &[]));
        assert_eq!(scan_comments(&part).1, Err(Malformed::Short));
    }
}
