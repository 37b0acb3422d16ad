//! A small writer of XLSB packages for generated fixtures: the BIFF12 records (MS-XLSB) of a
//! workbook part, its sheets and their comments, enough for calamine 0.38 to open the workbook
//! and read its cells, and for the tool to read what calamine does not (hidden rows and columns,
//! comments). No styles or shared strings: numbers are `BrtCellReal`, text is `BrtCellSt`.
//! Synthetic content only.

use super::zip_of;

/// A cell's value.
pub enum Value {
    Text(String),
    Number(f64),
}

/// A sheet: its name, cells, hidden rows and columns and comments, all by 1-based row and
/// column.
pub struct Sheet {
    pub name: String,
    pub cells: Vec<(u32, u32, Value)>,
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u32>,
    pub comments: Vec<(u32, u32, String)>,
}

impl Sheet {
    /// A sheet with cells and nothing hidden.
    pub fn new(name: &str, cells: Vec<(u32, u32, Value)>) -> Sheet {
        Sheet {
            name: name.to_string(),
            cells,
            hidden_rows: Vec::new(),
            hidden_cols: Vec::new(),
            comments: Vec::new(),
        }
    }
}

// Record types (MS-XLSB 2.3.2).
const BRT_ROW_HDR: u16 = 0x0000;
const BRT_CELL_REAL: u16 = 0x0005;
const BRT_CELL_ST: u16 = 0x0006;
const BRT_COL_INFO: u16 = 0x003C;
const BRT_BEGIN_SHEET: u16 = 0x0081;
const BRT_END_SHEET: u16 = 0x0082;
const BRT_BEGIN_BOOK: u16 = 0x0083;
const BRT_END_BOOK: u16 = 0x0084;
const BRT_BEGIN_BUNDLE_SHS: u16 = 0x008F;
const BRT_END_BUNDLE_SHS: u16 = 0x0090;
const BRT_BEGIN_SHEET_DATA: u16 = 0x0091;
const BRT_END_SHEET_DATA: u16 = 0x0092;
const BRT_WS_DIM: u16 = 0x0094;
const BRT_BUNDLE_SH: u16 = 0x009C;
const BRT_BEGIN_COL_INFOS: u16 = 0x0186;
const BRT_END_COL_INFOS: u16 = 0x0187;
const BRT_BEGIN_COMMENTS: u16 = 0x0274;
const BRT_END_COMMENTS: u16 = 0x0275;
const BRT_BEGIN_COMMENT_AUTHORS: u16 = 0x0276;
const BRT_END_COMMENT_AUTHORS: u16 = 0x0277;
const BRT_COMMENT_AUTHOR: u16 = 0x0278;
const BRT_BEGIN_COMMENT_LIST: u16 = 0x0279;
const BRT_END_COMMENT_LIST: u16 = 0x027A;
const BRT_BEGIN_COMMENT: u16 = 0x027B;
const BRT_END_COMMENT: u16 = 0x027C;
const BRT_COMMENT_TEXT: u16 = 0x027D;

/// A BIFF12 number: seven bits a byte, the high bit saying another byte follows.
fn number(mut value: u32, out: &mut Vec<u8>) {
    loop {
        let b = (value & 0x7F) as u8;
        value >>= 7;
        if value == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A record: its type, its size, its payload.
pub fn record(typ: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    number(u32::from(typ), &mut out);
    number(payload.len() as u32, &mut out);
    out.extend_from_slice(payload);
    out
}

/// An `XLWideString`: a count of UTF-16 units, then the units.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    for u in units {
        out.extend(u.to_le_bytes());
    }
    out
}

fn u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The workbook part: one `BrtBundleSh` a sheet, its relationship `rId{n}`.
fn workbook(sheets: &[Sheet]) -> Vec<u8> {
    let mut out = record(BRT_BEGIN_BOOK, &[]);
    out.extend(record(BRT_BEGIN_BUNDLE_SHS, &[]));
    for (i, s) in sheets.iter().enumerate() {
        // hsState (visible), iTabID, strRelID, strName.
        let mut p = u32s(&[0, i as u32 + 1]);
        p.extend(wide(&format!("rId{}", i + 1)));
        p.extend(wide(&s.name));
        out.extend(record(BRT_BUNDLE_SH, &p));
    }
    out.extend(record(BRT_END_BUNDLE_SHS, &[]));
    out.extend(record(BRT_END_BOOK, &[]));
    out
}

/// A sheet part: its dimensions, hidden columns, rows (hidden ones flagged) with their cells.
pub fn sheet_part(s: &Sheet) -> Vec<u8> {
    let mut rows: std::collections::BTreeMap<u32, Vec<(u32, &Value)>> = Default::default();
    for (r, c, v) in &s.cells {
        rows.entry(*r).or_default().push((*c, v));
    }
    for r in &s.hidden_rows {
        rows.entry(*r).or_default();
    }
    let last_row = rows.keys().last().copied().unwrap_or(1);
    let last_col = s.cells.iter().map(|c| c.1).max().unwrap_or(1);
    let mut out = record(BRT_BEGIN_SHEET, &[]);
    // rwFirst, rwLast, colFirst, colLast, 0-based.
    out.extend(record(
        BRT_WS_DIM,
        &u32s(&[0, last_row - 1, 0, last_col - 1]),
    ));
    if !s.hidden_cols.is_empty() {
        out.extend(record(BRT_BEGIN_COL_INFOS, &[]));
        for c in &s.hidden_cols {
            // colFirst, colLast, coldx (9 digits), ixfe, then the flags: fHidden.
            let mut p = u32s(&[c - 1, c - 1, 9 * 256, 0]);
            p.extend(1u16.to_le_bytes());
            out.extend(record(BRT_COL_INFO, &p));
        }
        out.extend(record(BRT_END_COL_INFOS, &[]));
    }
    out.extend(record(BRT_BEGIN_SHEET_DATA, &[]));
    for (r, mut cells) in rows {
        // rw, ixfe, miyRw (15 pt), padding flags, then fDyZero (0x10) for a hidden row, fPhShow,
        // and no column spans.
        let mut p = u32s(&[r - 1, 0]);
        p.extend(300u16.to_le_bytes());
        let hidden = if s.hidden_rows.contains(&r) { 0x10 } else { 0 };
        p.extend([0, hidden, 0]);
        p.extend(0u32.to_le_bytes());
        out.extend(record(BRT_ROW_HDR, &p));
        cells.sort_by_key(|c| c.0);
        for (c, v) in cells {
            // The column, then iStyleRef and flags (none).
            let mut p = u32s(&[c - 1, 0]);
            match v {
                Value::Number(n) => {
                    p.extend(n.to_le_bytes());
                    out.extend(record(BRT_CELL_REAL, &p));
                }
                Value::Text(t) => {
                    p.extend(wide(t));
                    out.extend(record(BRT_CELL_ST, &p));
                }
            }
        }
    }
    out.extend(record(BRT_END_SHEET_DATA, &[]));
    out.extend(record(BRT_END_SHEET, &[]));
    out
}

/// A comments part: one author, then each comment's cell and text.
fn comments_part(s: &Sheet) -> Vec<u8> {
    let mut out = record(BRT_BEGIN_COMMENTS, &[]);
    out.extend(record(BRT_BEGIN_COMMENT_AUTHORS, &[]));
    out.extend(record(BRT_COMMENT_AUTHOR, &wide("Analyst")));
    out.extend(record(BRT_END_COMMENT_AUTHORS, &[]));
    out.extend(record(BRT_BEGIN_COMMENT_LIST, &[]));
    for (r, c, text) in &s.comments {
        // iauthor, the cell as a range (rwFirst, rwLast, colFirst, colLast), a zero guid.
        let mut p = u32s(&[0, r - 1, r - 1, c - 1, c - 1]);
        p.extend([0; 16]);
        out.extend(record(BRT_BEGIN_COMMENT, &p));
        // A RichStr without runs: its flags, then the string.
        let mut t = vec![0];
        t.extend(wide(text));
        out.extend(record(BRT_COMMENT_TEXT, &t));
        out.extend(record(BRT_END_COMMENT, &[]));
    }
    out.extend(record(BRT_END_COMMENT_LIST, &[]));
    out.extend(record(BRT_END_COMMENTS, &[]));
    out
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#;
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts of an XLSB package of the sheets, `(name, bytes)` in package order.
pub fn parts(sheets: &[Sheet]) -> Vec<(String, Vec<u8>)> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>"#,
    );
    let mut book_rels = String::from(RELS);
    let mut rest = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        let n = i + 1;
        book_rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.bin"/>"#
        ));
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.bin" ContentType="application/vnd.ms-excel.worksheet"/>"#));
        rest.push((format!("xl/worksheets/sheet{n}.bin"), sheet_part(s)));
        if !s.comments.is_empty() {
            types.push_str(&format!(r#"<Override PartName="/xl/comments{n}.bin" ContentType="application/vnd.ms-excel.comments"/>"#));
            rest.push((format!("xl/comments{n}.bin"), comments_part(s)));
            rest.push((
                format!("xl/worksheets/_rels/sheet{n}.bin.rels"),
                format!(r#"{RELS}<Relationship Id="rId1" Type="{REL}/comments" Target="../comments{n}.bin"/></Relationships>"#).into_bytes(),
            ));
        }
    }
    book_rels.push_str("</Relationships>");
    types.push_str("</Types>");
    let mut out = vec![
        ("[Content_Types].xml".to_string(), types.into_bytes()),
        (
            "_rels/.rels".to_string(),
            format!(r#"{RELS}<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.bin"/></Relationships>"#).into_bytes(),
        ),
        ("xl/workbook.bin".to_string(), workbook(sheets)),
        ("xl/_rels/workbook.bin.rels".to_string(), book_rels.into_bytes()),
    ];
    out.extend(rest);
    out
}

/// The parts zipped as a package.
pub fn package(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let members: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(&members)
}

/// An XLSB package of the sheets.
pub fn xlsb(sheets: &[Sheet]) -> Vec<u8> {
    package(&parts(sheets))
}
