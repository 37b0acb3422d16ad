//! The cells of a legacy workbook (BIFF8, and BIFF5 before it), read record by record from the
//! `Workbook` stream of its compound file, one sheet at a time and never the stream whole.
//!
//! calamine reads a legacy workbook whole when it opens it: the stream into memory, then every
//! sheet into a dense `Range` spanning its first to its last cell. Measured with
//! `benches/large_xls.rs` (`/usr/bin/time -v`), a 54 MiB workbook of four full sheets peaked
//! at 414 MiB that way; and a workbook of a few hundred bytes with one cell at `A1` and one at
//! `IV65536` on each sheet costs calamine 16.7 million cells, about 536 MB, per sheet. So the
//! cells are read here instead, as XLSX and XLSB sheets are read through calamine's cell
//! readers: each filled cell is handed on as it is read, and only the globals stay in memory
//! (sheet names and states, the shared strings, the number formats).
//!
//! What is read, as calamine reads it (the tests hold the two readers to the same cells on
//! every legacy fixture):
//! - the globals: `BOUNDSHEET` (name, state, type, where the sheet starts), `SST` with its
//!   `CONTINUE` records (a string cut by a record boundary goes on after a new flag byte),
//!   `FORMAT` and `XF` (which cells are dates or durations), `DATEMODE` (the 1904 system),
//!   `CODEPAGE` (how BIFF5 text is encoded) and `FILEPASS` (an encrypted workbook, which is not
//!   read);
//! - the cells of a sheet: `NUMBER`, `RK`, `MULRK`, `LABELSST`, `LABEL`, `RSTRING`, `BOOLERR`,
//!   and `FORMULA` by its cached value (a text result in the `STRING` record after it). A chart
//!   or other substream nested in a sheet is passed over.

use std::io::{Read, Seek};

use calamine::{
    CellErrorType, Data, ExcelDateTime, ExcelDateTimeType, Sheet, SheetType, SheetVisible,
};
use encoding_rs::Encoding;

use super::cfb::{CfbError, Compound, Entry};
use super::values::data_text;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const DATEMODE: u16 = 0x0022;
const CODEPAGE: u16 = 0x0042;
const FILEPASS: u16 = 0x002F;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const LABELSST: u16 = 0x00FD;
const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;
const BOOLERR: u16 = 0x0205;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;

/// Most characters of shared strings held (the globals of a legacy workbook stay in memory).
const MAX_SST_CHARS: usize = 64 << 20;
/// Most records of the globals read.
const MAX_GLOBAL_RECORDS: u64 = 10_000_000;
/// Most records of one sheet read (a full BIFF8 sheet is some 16 million cells).
const MAX_SHEET_RECORDS: u64 = 50_000_000;

/// What is wrong with a legacy workbook's cells.
#[derive(Debug, thiserror::Error)]
pub enum XlsError {
    #[error("{0}")]
    Cfb(#[from] CfbError),
    #[error("the workbook stream is not well-formed: {0}")]
    Malformed(&'static str),
    #[error("the workbook is encrypted (protected by a password to open)")]
    Encrypted,
    #[error("{0}")]
    Limit(&'static str),
}

impl From<std::io::Error> for XlsError {
    fn from(e: std::io::Error) -> XlsError {
        XlsError::Cfb(CfbError::Io(e))
    }
}

/// How a number format shows a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Number,
    Date,
    Duration,
}

/// What the globals give: the sheets (each with the stream offset of its `BOF`), the shared
/// strings, each XF's way of showing numbers, the date system and the encoding of BIFF5 text.
struct Globals {
    sheets: Vec<(u64, Sheet)>,
    sst: Vec<String>,
    xf: Vec<Shown>,
    date1904: bool,
    biff8: bool,
    encoding: &'static Encoding,
}

/// A legacy workbook open for its cells.
pub struct XlsBook<R> {
    cfb: Compound<R>,
    stream: Entry,
    globals: Globals,
}

impl<R: Read + Seek> XlsBook<R> {
    /// Open a legacy workbook: its compound file, its workbook stream and the globals.
    pub fn open(file: R) -> Result<XlsBook<R>, XlsError> {
        let mut cfb = Compound::open(file)?;
        let stream = cfb
            .top_stream("Workbook")
            .or_else(|| cfb.top_stream("Book"))
            .ok_or(XlsError::Malformed("it has no workbook stream"))?;
        let globals = globals(cfb.open_stream(&stream)?)?;
        Ok(XlsBook {
            cfb,
            stream,
            globals,
        })
    }

    /// The sheets, in the order of the workbook.
    pub fn sheets(&self) -> Vec<Sheet> {
        self.globals.sheets.iter().map(|(_, s)| s.clone()).collect()
    }

    /// Whether the compound file holds a macro project.
    pub fn has_macros(&self) -> bool {
        self.cfb.entries.iter().any(|e| {
            e.path
                .split('/')
                .next()
                .is_some_and(|top| top.eq_ignore_ascii_case("_VBA_PROJECT_CUR"))
        })
    }

    /// Hand every filled cell of the sheet named `name`, 1-based, to `f` in the order of the
    /// stream (row by row, as Excel writes them).
    pub fn visit(
        &mut self,
        name: &str,
        f: &mut dyn FnMut(u32, u32, String),
    ) -> Result<(), XlsError> {
        let Some(&(offset, _)) = self.globals.sheets.iter().find(|(_, s)| s.name == name) else {
            return Err(XlsError::Malformed("a sheet has no substream"));
        };
        let r = self.cfb.open_stream_at(&self.stream, offset)?;
        sheet_cells(r, &self.globals, f)
    }
}

/// One record: its type and payload (`None` at the end of the stream).
fn next_record<R: Read>(r: &mut R, data: &mut Vec<u8>) -> Result<Option<u16>, XlsError> {
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
        _ => return Err(XlsError::Malformed("a record is cut short")),
    }
    let typ = u16::from_le_bytes([head[0], head[1]]);
    let len = u16::from_le_bytes([head[2], head[3]]) as usize;
    data.resize(len, 0);
    r.read_exact(data)
        .map_err(|_| XlsError::Malformed("a record is cut short"))?;
    Ok(Some(typ))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn f64_at(b: &[u8], at: usize) -> Option<f64> {
    let s = b.get(at..at + 8)?;
    let mut v = [0u8; 8];
    v.copy_from_slice(s);
    Some(f64::from_le_bytes(v))
}

/// Read the globals substream, up to its `EOF`.
fn globals<R: Read>(mut r: R) -> Result<Globals, XlsError> {
    let mut data = Vec::with_capacity(8224);
    let mut g = Globals {
        sheets: Vec::new(),
        sst: Vec::new(),
        xf: Vec::new(),
        date1904: false,
        biff8: true,
        encoding: encoding_rs::WINDOWS_1252,
    };
    let mut formats: Vec<(u16, Shown)> = Vec::new();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut sst: Option<Sst> = None;
    let mut count = 0u64;
    let mut first = true;
    loop {
        let Some(typ) = next_record(&mut r, &mut data)? else {
            return Err(XlsError::Malformed("the globals have no end"));
        };
        count += 1;
        if count > MAX_GLOBAL_RECORDS {
            return Err(XlsError::Limit(
                "the globals of the workbook have too many records",
            ));
        }
        if first {
            if typ != BOF {
                return Err(XlsError::Malformed("the stream does not begin with a BOF"));
            }
            g.biff8 = u16_at(&data, 0).is_none_or(|v| v == 0x0600);
            first = false;
            continue;
        }
        if typ == CONTINUE {
            if let Some(s) = sst.as_mut() {
                s.pieces.push(std::mem::take(&mut data));
                s.bytes += s.pieces.last().map_or(0, Vec::len);
                if s.bytes > 2 * MAX_SST_CHARS {
                    return Err(XlsError::Limit(
                        "the shared strings of the workbook are too large to hold",
                    ));
                }
            }
            continue;
        }
        if let Some(s) = sst.take() {
            g.sst = s.strings()?;
        }
        match typ {
            EOF => break,
            FILEPASS => return Err(XlsError::Encrypted),
            CODEPAGE => {
                if let Some(cp) = u16_at(&data, 0) {
                    if let Some(e) = codepage::to_encoding(cp) {
                        g.encoding = e;
                    }
                }
            }
            DATEMODE => g.date1904 = u16_at(&data, 0) == Some(1),
            BOUNDSHEET => {
                let (Some(pos), Some(&state), Some(&dt)) =
                    (u32_at(&data, 0), data.get(4), data.get(5))
                else {
                    return Err(XlsError::Malformed("a sheet's record is cut short"));
                };
                let visible = match state & 0x3F {
                    0 => SheetVisible::Visible,
                    1 => SheetVisible::Hidden,
                    _ => SheetVisible::VeryHidden,
                };
                let typ = match dt {
                    0x01 => SheetType::MacroSheet,
                    0x02 => SheetType::ChartSheet,
                    0x06 => SheetType::Vba,
                    _ => SheetType::WorkSheet,
                };
                let rest = data.get(6..).unwrap_or_default();
                let len = rest.first().copied().unwrap_or(0) as usize;
                let mut name = if g.biff8 {
                    unicode_chars(rest.get(1..).unwrap_or_default(), len).0
                } else {
                    decode(g.encoding, rest.get(1..).unwrap_or_default(), len)
                };
                name.retain(|c| c != '\0');
                g.sheets
                    .push((u64::from(pos), Sheet { name, typ, visible }));
            }
            FORMAT => {
                let Some(id) = u16_at(&data, 0) else { continue };
                let code = if g.biff8 {
                    let n = u16_at(&data, 2).unwrap_or(0) as usize;
                    unicode_chars(data.get(4..).unwrap_or_default(), n).0
                } else {
                    let n = data.get(2).copied().unwrap_or(0) as usize;
                    decode(g.encoding, data.get(3..).unwrap_or_default(), n)
                };
                formats.push((id, shown_by_code(&code)));
            }
            XF => xf_formats.push(u16_at(&data, 2).unwrap_or(0)),
            SST if g.biff8 => {
                sst = Some(Sst {
                    bytes: data.len(),
                    pieces: vec![std::mem::take(&mut data)],
                });
            }
            _ => {}
        }
    }
    g.xf = xf_formats
        .into_iter()
        .map(|id| {
            formats
                .iter()
                .rev()
                .find(|(f, _)| *f == id)
                .map_or_else(|| shown_builtin(id), |(_, s)| *s)
        })
        .collect();
    Ok(g)
}

/// The shared string table: the `SST` record and the `CONTINUE` records after it.
struct Sst {
    pieces: Vec<Vec<u8>>,
    bytes: usize,
}

/// A reader over record payloads that run on into each other.
struct Pieces<'a> {
    pieces: &'a [Vec<u8>],
    i: usize,
    at: usize,
}

impl Pieces<'_> {
    fn at_end(&mut self) -> bool {
        while self.i < self.pieces.len() && self.at >= self.pieces[self.i].len() {
            self.i += 1;
            self.at = 0;
        }
        self.i >= self.pieces.len()
    }

    /// `n` bytes, across record boundaries.
    fn bytes(&mut self, n: usize, out: &mut Vec<u8>) -> Result<(), XlsError> {
        let mut left = n;
        while left > 0 {
            if self.at_end() {
                return Err(XlsError::Malformed("a shared string runs past its records"));
            }
            let p = &self.pieces[self.i];
            let k = left.min(p.len() - self.at);
            out.extend_from_slice(&p[self.at..self.at + k]);
            self.at += k;
            left -= k;
        }
        Ok(())
    }

    fn skip(&mut self, n: usize) -> Result<(), XlsError> {
        let mut left = n;
        while left > 0 {
            if self.at_end() {
                return Err(XlsError::Malformed("a shared string runs past its records"));
            }
            let k = left.min(self.pieces[self.i].len() - self.at);
            self.at += k;
            left -= k;
        }
        Ok(())
    }

    /// `n` characters of a string's character data: one or two bytes each as `wide` says, and
    /// where a record boundary cuts them, a new flag byte says which for the rest.
    fn chars(&mut self, n: usize, mut wide: bool, out: &mut String) -> Result<(), XlsError> {
        let mut left = n;
        while left > 0 {
            if self.at >= self.pieces.get(self.i).map_or(0, Vec::len) {
                self.i += 1;
                self.at = 0;
                let Some(p) = self.pieces.get(self.i) else {
                    return Err(XlsError::Malformed("a shared string runs past its records"));
                };
                let Some(&flags) = p.first() else {
                    continue;
                };
                wide = flags & 0x01 != 0;
                self.at = 1;
                continue;
            }
            let p = &self.pieces[self.i][self.at..];
            let (s, k) = unicode_run(p, left, wide);
            out.push_str(&s);
            self.at += k * if wide { 2 } else { 1 };
            left -= k;
            if k == 0 {
                // Half a wide character at the end of a record.
                self.at = self.pieces[self.i].len();
            }
        }
        Ok(())
    }
}

impl Sst {
    /// Every string of the table (`XLUnicodeRichExtendedString`: count, flags, the formatting
    /// run count and the phonetic block size where the flags say so, the characters, then the
    /// runs and the block, which are passed over).
    fn strings(&self) -> Result<Vec<String>, XlsError> {
        let mut p = Pieces {
            pieces: &self.pieces,
            i: 0,
            at: 8,
        };
        let mut out = Vec::new();
        let mut head = Vec::with_capacity(8);
        let mut chars = 0usize;
        while !p.at_end() {
            head.clear();
            p.bytes(3, &mut head)?;
            let n = u16::from_le_bytes([head[0], head[1]]) as usize;
            let flags = head[2];
            let mut runs = 0usize;
            let mut ext = 0usize;
            if flags & 0x08 != 0 {
                head.clear();
                p.bytes(2, &mut head)?;
                runs = u16::from_le_bytes([head[0], head[1]]) as usize;
            }
            if flags & 0x04 != 0 {
                head.clear();
                p.bytes(4, &mut head)?;
                ext = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
            }
            let mut s = String::with_capacity(n.min(1 << 16));
            p.chars(n, flags & 0x01 != 0, &mut s)?;
            p.skip(runs * 4)?;
            p.skip(ext)?;
            chars += s.len();
            if chars > MAX_SST_CHARS {
                return Err(XlsError::Limit(
                    "the shared strings of the workbook are too large to hold",
                ));
            }
            out.push(s);
        }
        Ok(out)
    }
}

/// Up to `want` characters of one or two bytes each, and how many were read.
fn unicode_run(b: &[u8], want: usize, wide: bool) -> (String, usize) {
    if wide {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .take(want)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let n = units.len();
        (String::from_utf16_lossy(&units), n)
    } else {
        let n = b.len().min(want);
        (b[..n].iter().map(|&c| c as char).collect(), n)
    }
}

/// A BIFF8 string's characters after its length: the flag byte, then the characters.
fn unicode_chars(b: &[u8], want: usize) -> (String, usize) {
    let Some((&flags, rest)) = b.split_first() else {
        return (String::new(), 0);
    };
    unicode_run(rest, want, flags & 0x01 != 0)
}

/// Up to `want` bytes of BIFF5 text in the workbook's code page.
fn decode(encoding: &'static Encoding, b: &[u8], want: usize) -> String {
    let b = &b[..want.min(b.len())];
    encoding.decode_without_bom_handling(b).0.into_owned()
}

/// An `XLUnicodeString` (BIFF8: a 16-bit count, a flag byte, the characters) or a BIFF5 string
/// (a 16-bit count, then the bytes).
fn string_at(g: &Globals, b: &[u8]) -> String {
    let n = u16_at(b, 0).unwrap_or(0) as usize;
    if g.biff8 {
        unicode_chars(b.get(2..).unwrap_or_default(), n).0
    } else {
        decode(g.encoding, b.get(2..).unwrap_or_default(), n)
    }
}

/// How the built-in number format `id` shows a value.
fn shown_builtin(id: u16) -> Shown {
    match id {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => Shown::Date,
        46 => Shown::Duration,
        _ => Shown::Number,
    }
}

/// How a number format code shows a value: as a date where its first section has a date or
/// time part outside quotes, escapes and brackets (`dd/mm/yyyy`, `h:mm AM/PM`); as a duration
/// where it counts elapsed time in brackets (`[h]:mm`); else as a number (`0.0`, `[Red]0`,
/// `#,##0 "days"`).
fn shown_by_code(code: &str) -> Shown {
    let mut chars = code.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            quoted = c != '"';
            continue;
        }
        match c {
            '"' => quoted = true,
            '\\' | '_' | '*' => {
                chars.next();
            }
            ';' => return Shown::Number,
            '[' => {
                let inner: String = chars.by_ref().take_while(|&c| c != ']').collect();
                let lower = inner.to_ascii_lowercase();
                if !lower.is_empty()
                    && lower.chars().all(|c| matches!(c, 'h' | 'm' | 's'))
                    && lower
                        .chars()
                        .all(|c| c == lower.chars().next().unwrap_or('h'))
                {
                    return Shown::Duration;
                }
            }
            'd' | 'm' | 'y' | 'h' | 's' | 'D' | 'M' | 'Y' | 'H' | 'S' => return Shown::Date,
            'a' | 'A' => {
                let rest: String = chars.clone().take(4).collect();
                let rest = rest.to_ascii_lowercase();
                if rest.starts_with("m/pm") || rest.starts_with("/p") {
                    return Shown::Date;
                }
            }
            _ => {}
        }
    }
    Shown::Number
}

/// A number as the cell's XF shows it.
fn number(g: &Globals, xf: Option<u16>, v: f64) -> Data {
    match xf.and_then(|x| g.xf.get(x as usize)) {
        Some(Shown::Date) => Data::DateTime(ExcelDateTime::new(
            v,
            ExcelDateTimeType::DateTime,
            g.date1904,
        )),
        Some(Shown::Duration) => Data::DateTime(ExcelDateTime::new(
            v,
            ExcelDateTimeType::TimeDelta,
            g.date1904,
        )),
        _ => Data::Float(v),
    }
}

/// A whole number as the cell's XF shows it.
fn whole(g: &Globals, xf: Option<u16>, v: i64) -> Data {
    match xf.and_then(|x| g.xf.get(x as usize)) {
        Some(Shown::Date | Shown::Duration) => number(g, xf, v as f64),
        _ => Data::Int(v),
    }
}

/// An `RK` value: 30 bits of a whole number or the high bits of a double, perhaps times 100.
fn rk(g: &Globals, xf: Option<u16>, b: &[u8]) -> Data {
    let raw = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let cents = raw & 0x01 != 0;
    if raw & 0x02 != 0 {
        let v = i64::from((raw as i32) >> 2);
        if cents && v % 100 != 0 {
            number(g, xf, v as f64 / 100.0)
        } else {
            whole(g, xf, if cents { v / 100 } else { v })
        }
    } else {
        let v = f64::from_bits(u64::from(raw & 0xFFFF_FFFC) << 32);
        number(g, xf, if cents { v / 100.0 } else { v })
    }
}

/// An error value's code.
fn error_value(code: u8) -> Data {
    Data::Error(match code {
        0x00 => CellErrorType::Null,
        0x07 => CellErrorType::Div0,
        0x17 => CellErrorType::Ref,
        0x1D => CellErrorType::Name,
        0x24 => CellErrorType::Num,
        0x2A => CellErrorType::NA,
        0x2B => CellErrorType::GettingData,
        _ => CellErrorType::Value,
    })
}

/// Read one sheet's substream from its `BOF` to its `EOF`, handing each filled cell to `f`.
fn sheet_cells<R: Read>(
    mut r: R,
    g: &Globals,
    f: &mut dyn FnMut(u32, u32, String),
) -> Result<(), XlsError> {
    let mut data = Vec::with_capacity(8224);
    let mut depth = 0usize;
    let mut count = 0u64;
    // The cell of the formula whose text result the next `STRING` record holds.
    let mut formula_text: Option<(u32, u32)> = None;
    let short = || XlsError::Malformed("a cell's record is cut short");
    let mut give = |row: u16, col: u16, d: Data| {
        let text = data_text(&d);
        if !text.is_empty() {
            f(u32::from(row) + 1, u32::from(col) + 1, text);
        }
    };
    loop {
        // A sheet whose stream ends before its EOF gives the cells it has; the walk of the
        // sheet's other records says the stream ends inside it.
        let Some(typ) = next_record(&mut r, &mut data)? else {
            return Ok(());
        };
        count += 1;
        if count > MAX_SHEET_RECORDS {
            return Err(XlsError::Limit("a sheet has too many records"));
        }
        if count == 1 && typ != BOF {
            return Err(XlsError::Malformed("a sheet does not begin with a BOF"));
        }
        match typ {
            BOF => {
                depth += 1;
                continue;
            }
            EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(());
                }
                continue;
            }
            _ if depth != 1 => continue,
            _ => {}
        }
        let pending = formula_text.take();
        let (row, col, xf) = (u16_at(&data, 0), u16_at(&data, 2), u16_at(&data, 4));
        match typ {
            NUMBER => {
                let (Some(row), Some(col), Some(v)) = (row, col, f64_at(&data, 6)) else {
                    return Err(short());
                };
                give(row, col, number(g, xf, v));
            }
            RK => {
                let (Some(row), Some(col), Some(b)) = (row, col, data.get(6..10)) else {
                    return Err(short());
                };
                give(row, col, rk(g, xf, b));
            }
            MULRK => {
                let (Some(row), Some(first)) = (row, col) else {
                    return Err(short());
                };
                if data.len() < 6 || (data.len() - 6) % 6 != 0 {
                    return Err(short());
                }
                for (i, v) in data[4..data.len() - 2].chunks_exact(6).enumerate() {
                    let col = first.saturating_add(i as u16);
                    give(row, col, rk(g, u16_at(v, 0), &v[2..6]));
                }
            }
            LABELSST => {
                let (Some(row), Some(col), Some(i)) = (row, col, u32_at(&data, 6)) else {
                    return Err(short());
                };
                if let Some(s) = g.sst.get(i as usize) {
                    give(row, col, Data::String(s.clone()));
                }
            }
            LABEL | RSTRING => {
                let (Some(row), Some(col)) = (row, col) else {
                    return Err(short());
                };
                let text = string_at(g, data.get(6..).unwrap_or_default());
                give(row, col, Data::String(text));
            }
            BOOLERR => {
                let (Some(row), Some(col), Some(&v), Some(&is_error)) =
                    (row, col, data.get(6), data.get(7))
                else {
                    return Err(short());
                };
                let d = if is_error != 0 {
                    error_value(v)
                } else {
                    Data::Bool(v != 0)
                };
                give(row, col, d);
            }
            FORMULA => {
                let (Some(row), Some(col), Some(v)) = (row, col, data.get(6..14)) else {
                    return Err(short());
                };
                if v[6] == 0xFF && v[7] == 0xFF {
                    match v[0] {
                        0x00 => formula_text = Some((u32::from(row), u32::from(col))),
                        0x01 => give(row, col, Data::Bool(v[2] != 0)),
                        0x02 => give(row, col, error_value(v[2])),
                        _ => {}
                    }
                } else if let Some(x) = f64_at(v, 0) {
                    give(row, col, number(g, xf, x));
                }
            }
            STRING => {
                if let Some((row, col)) = pending {
                    let text = string_at(g, &data);
                    give(row as u16, col as u16, Data::String(text));
                }
            }
            // A shared formula or an array after a formula comes before its `STRING`.
            0x04BC | 0x0221 | 0x0236 => formula_text = pending,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every filled cell of every sheet: `(sheet, row, column, text)`, sorted.
    type Cells = Vec<(String, u32, u32, String)>;

    fn ours(bytes: &[u8]) -> Result<(Vec<Sheet>, Cells), XlsError> {
        let mut book = XlsBook::open(std::io::Cursor::new(bytes))?;
        let sheets = book.sheets();
        let mut cells = Vec::new();
        for s in &sheets {
            book.visit(&s.name, &mut |r, c, t| {
                cells.push((s.name.clone(), r, c, t))
            })?;
        }
        cells.sort();
        Ok((sheets, cells))
    }

    fn calamines(bytes: &[u8]) -> Option<(Vec<Sheet>, Cells)> {
        use calamine::Reader;
        let mut book = calamine::Xls::new(std::io::Cursor::new(bytes)).ok()?;
        let sheets = book.sheets_metadata().to_vec();
        let mut cells = Vec::new();
        for s in &sheets {
            let range = book.worksheet_range(&s.name).ok()?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, v) in range.used_cells() {
                let text = data_text(v);
                if !text.is_empty() {
                    cells.push((s.name.clone(), r0 + r as u32 + 1, c0 + c as u32 + 1, text));
                }
            }
        }
        cells.sort();
        Some((sheets, cells))
    }

    #[test]
    fn cells_are_the_ones_calamine_reads_whole_on_every_legacy_fixture() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/cases/workbooks");
        let mut compared = 0;
        let mut records = false;
        for entry in std::fs::read_dir(dir).expect("the workbook fixtures") {
            let path = entry.expect("a fixture").path();
            // calamine spends 92 s and 21 GB filling the sparse fixture's sheets.
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !name.ends_with(".xls") || name.contains("sparse") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("a fixture");
            let Some(theirs) = calamines(&bytes) else {
                // What calamine cannot open is not read here either.
                assert!(ours(&bytes).is_err(), "{}", path.display());
                continue;
            };
            let mine = ours(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(mine, theirs, "{}", path.display());
            records |= path.ends_with("legacy_cell_records.xls");
            compared += 1;
        }
        assert!(records && compared >= 8, "{compared} fixtures compared");
        // The fixture of Excel's own cell records gives what its writer put there.
        let bytes = std::fs::read(format!("{dir}/legacy_cell_records.xls")).expect("a fixture");
        let (sheets, cells) = ours(&bytes).expect("readable");
        assert_eq!(sheets[1].visible, SheetVisible::Hidden);
        let at = |r: u32, c: u32| {
            cells
                .iter()
                .find(|x| x.0 == "Admissions" && (x.1, x.2) == (r, c))
                .map(|x| x.3.as_str())
        };
        assert_eq!(at(4, 1), Some("Østre Vest"));
        assert_eq!(at(5, 1), Some("Total"));
        assert_eq!(at(6, 1), Some("Note"));
        assert_eq!(at(2, 4), Some("2021-01-01"));
        assert_eq!(at(3, 3), Some("0.5"));
        assert_eq!(at(3, 4), Some("2022-01-01"));
        assert_eq!(at(4, 2), Some("3"));
        assert_eq!(at(4, 3), Some("#DIV/0!"));
        assert_eq!(at(4, 4), Some("TRUE"));
        assert_eq!(at(5, 3), Some("#N/A"));
        assert_eq!(at(6, 2), Some("see text"));
        assert_eq!(at(7, 2), Some("12.34"));
        assert_eq!(at(10, 1), None, "a chart's record is not a cell");
    }

    #[test]
    fn broken_streams_give_errors_never_panics() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/cases/workbooks");
        let good = std::fs::read(format!("{dir}/legacy_cell_records.xls")).expect("a fixture");
        for len in (0..good.len()).step_by(37) {
            let _ = ours(&good[..len]);
        }
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut bad = good.clone();
            let at = (x % bad.len() as u64) as usize;
            bad[at] = (x >> 32) as u8;
            let _ = ours(&bad);
        }
    }

    #[test]
    fn number_formats_show_dates_durations_and_numbers() {
        for code in [
            "dd/mm/yyyy",
            "yyyy-mm-dd",
            "h:mm AM/PM",
            "[$-409]mmmm d, yyyy",
            "mmm-yy;@",
        ] {
            assert_eq!(shown_by_code(code), Shown::Date, "{code}");
        }
        for code in ["[h]:mm:ss", "[mm]:ss"] {
            assert_eq!(shown_by_code(code), Shown::Duration, "{code}");
        }
        for code in [
            "0.0",
            "[Red]0",
            "#,##0 \"days\"",
            "0\\d",
            "0;[Red]-0;\"-\"",
            "General",
            "0%",
        ] {
            assert_eq!(shown_by_code(code), Shown::Number, "{code}");
        }
    }

    #[test]
    fn shared_strings_run_on_across_records_with_a_new_flag_byte() {
        // Three strings: "ab" narrow; "cdé" wide, cut after "c" with the rest narrow; a rich
        // string with one formatting run whose run bytes are cut by the next record.
        let mut first = vec![0u8; 8];
        first.extend([2, 0, 0, b'a', b'b']);
        first.extend([3, 0, 1, b'c', 0]);
        let second = vec![0u8, b'd', 0xE9];
        let mut third = Vec::new();
        third.extend([1, 0, 0x08, 1, 0, b'x', 0, 0]);
        let fourth = vec![0u8, 0];
        let sst = Sst {
            bytes: 0,
            pieces: vec![first, second, third, fourth],
        };
        assert_eq!(
            sst.strings().ok(),
            Some(vec!["ab".into(), "cdé".into(), "x".into()])
        );
        // A count past the records is an error, never a panic.
        let bad = Sst {
            bytes: 0,
            pieces: vec![vec![0, 0, 0, 0, 0, 0, 0, 0, 200, 0, 0, b'a']],
        };
        assert!(bad.strings().is_err());
    }

    #[test]
    fn rk_values_are_whole_numbers_hundredths_and_doubles() {
        let g = Globals {
            sheets: Vec::new(),
            sst: Vec::new(),
            xf: vec![Shown::Number, Shown::Date],
            date1904: false,
            biff8: true,
            encoding: encoding_rs::WINDOWS_1252,
        };
        let int = |v: i32, cents: bool| ((v << 2) as u32 | 0x02 | u32::from(cents)).to_le_bytes();
        assert_eq!(data_text(&rk(&g, Some(0), &int(12, false))), "12");
        assert_eq!(data_text(&rk(&g, Some(0), &int(-7, false))), "-7");
        assert_eq!(data_text(&rk(&g, Some(0), &int(1234, true))), "12.34");
        assert_eq!(data_text(&rk(&g, Some(0), &int(1200, true))), "12");
        let double = ((2.5f64.to_bits() >> 32) as u32).to_le_bytes();
        assert_eq!(data_text(&rk(&g, Some(0), &double)), "2.5");
        assert_eq!(
            data_text(&rk(&g, Some(1), &int(44_197, false))),
            "2021-01-01"
        );
    }
}
