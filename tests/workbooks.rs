//! Workbooks through the whole pipeline. The fixtures under `fixtures/cases/workbooks/` are built
//! here as zip packages of hand-written XML, and checked in (`EXPORT_CHECK_REGENERATE=1` rewrites
//! them): a hidden sheet of person rows, a small count at a known cell of a visible sheet, a
//! comment holding a person number, a macro project, a workbook cut short, and a clean workbook
//! of two tables on one sheet, whose formula error values are not counts. ODS packages are
//! written by hand too (`mimetype` stored first, the manifest, `content.xml`): a hidden sheet of
//! person rows, comments with a person number and with a small count, hidden rows and columns,
//! and a clean one. XLSB packages are written as BIFF12 records (`common::xlsb`): a clean one, a
//! small count at a known cell, hidden rows and a hidden column, a comment with a person number
//! (linked from its sheet, and orphaned), and a sheet part cut short in its cells and after them.

mod common;

use std::io::Write;

use common::cfb::{
    cell_records_workbook, compound_file, workbook_stream, workbook_stream_with, xls, BiffSheet,
    Cell,
};
use common::charts::{
    chart_series, chart_xml, num_lit, num_ref, str_lit, str_ref, MONTHS, NO_LINE,
};
use common::{assert_fixtures_current, esc, report};
use export_check::finding::{Finding, Severity, Verdict};
use zip::write::SimpleFileOptions;

/// A cell of a generated sheet: its reference and what it holds.
enum V {
    S(&'static str),
    N(f64),
    /// A formula whose cached value is an error (`#N/A`).
    E(&'static str),
}

/// A sheet: name, state (`visible`, `hidden`, `veryHidden`), cells, hidden row numbers.
struct Sheet {
    name: &'static str,
    state: &'static str,
    cells: Vec<(String, V)>,
    hidden_rows: Vec<u32>,
    comments: Vec<(&'static str, &'static str)>,
}

/// Split `B7` into row 7 and the reference.
fn row_of(r: &str) -> u32 {
    r.trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .unwrap()
}

fn sheet_xml(s: &Sheet) -> String {
    let mut rows: std::collections::BTreeMap<u32, Vec<&(String, V)>> = Default::default();
    for c in &s.cells {
        rows.entry(row_of(&c.0)).or_default().push(c);
    }
    for r in &s.hidden_rows {
        rows.entry(*r).or_default();
    }
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, cells) in rows {
        let hidden = if s.hidden_rows.contains(&r) {
            r#" hidden="1""#
        } else {
            ""
        };
        x.push_str(&format!(r#"<row r="{r}"{hidden}>"#));
        for (at, v) in cells {
            match v {
                V::S(t) => x.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#,
                    esc(t)
                )),
                V::N(n) => x.push_str(&format!(r#"<c r="{at}"><v>{n}</v></c>"#)),
                V::E(e) => x.push_str(&format!(
                    r#"<c r="{at}" t="e"><f>NA()</f><v>{}</v></c>"#,
                    esc(e)
                )),
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

fn comments_xml(s: &Sheet) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>A</author></authors><commentList>"#,
    );
    for (at, text) in &s.comments {
        x.push_str(&format!(
            r#"<comment ref="{at}" authorId="0"><text><r><t>{}</t></r></text></comment>"#,
            esc(text)
        ));
    }
    x.push_str("</commentList></comments>");
    x
}

/// An XLSX (or XLSM, with a macro project) package of the sheets.
fn xlsx(sheets: &[Sheet], vba: bool) -> Vec<u8> {
    xlsx_with(sheets, vba, Vec::new())
}

/// An XLSX package of the sheets with more parts.
fn xlsx_with(sheets: &[Sheet], vba: bool, extra: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let mut parts: Vec<(String, Vec<u8>)> = extra;
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>"#,
    );
    types.push_str(r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#);
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, s) in sheets.iter().enumerate() {
        let n = i + 1;
        let state = if s.state == "visible" {
            String::new()
        } else {
            format!(r#" state="{}""#, s.state)
        };
        wb.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}"{state} r:id="rId{n}"/>"#,
            esc(s.name)
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        parts.push((
            format!("xl/worksheets/sheet{n}.xml"),
            sheet_xml(s).into_bytes(),
        ));
        if !s.comments.is_empty() {
            parts.push((format!("xl/comments{n}.xml"), comments_xml(s).into_bytes()));
            parts.push((
                format!("xl/worksheets/_rels/sheet{n}.xml.rels"),
                format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments{n}.xml"/></Relationships>"#).into_bytes(),
            ));
        }
    }
    wb.push_str("</sheets></workbook>");
    if vba {
        rels.push_str(r#"<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>"#);
        // Not a real macro project: its presence is what the reader reports.
        parts.push((
            "xl/vbaProject.bin".into(),
            b"synthetic macro project".to_vec(),
        ));
    }
    rels.push_str("</Relationships>");
    types.push_str("</Types>");
    let mut head: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), types.into_bytes()),
        ("_rels/.rels".into(), br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml".into(), wb.into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()),
    ];
    head.append(&mut parts);
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        // A fixed time, so that the bytes do not change from one run to the next.
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, bytes) in head {
            z.start_file(name, options).unwrap();
            z.write_all(&bytes).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

fn s(at: &str, t: &'static str) -> (String, V) {
    (at.to_string(), V::S(t))
}

fn n(at: &str, v: f64) -> (String, V) {
    (at.to_string(), V::N(v))
}

fn visible(name: &'static str, cells: Vec<(String, V)>) -> Sheet {
    Sheet {
        name,
        state: "visible",
        cells,
        hidden_rows: Vec::new(),
        comments: Vec::new(),
    }
}

/// A clean summary table at A1: regions by sex, every count at least 40.
fn summary() -> Sheet {
    let mut cells = vec![
        s("A1", "Table 1. Patients by region"),
        s("A3", "Region"),
        s("B3", "Men"),
        s("C3", "Women"),
    ];
    for (i, (region, men, women)) in [
        ("North", 120.0, 98.0),
        ("South", 80.0, 77.0),
        ("East", 45.0, 51.0),
        ("West", 60.0, 43.0),
    ]
    .into_iter()
    .enumerate()
    {
        let r = i + 4;
        cells.push(s(&format!("A{r}"), region));
        cells.push(n(&format!("B{r}"), men));
        cells.push(n(&format!("C{r}"), women));
    }
    visible("Summary", cells)
}

/// Birth dates of the made-up persons of the person-row fixtures.
const DATES: [&str; 20] = [
    "1961-02-11",
    "1974-06-03",
    "1983-09-27",
    "1952-12-30",
    "1990-01-15",
    "1948-07-08",
    "1969-03-19",
    "1977-11-02",
    "1985-05-24",
    "1958-10-13",
    "1995-08-06",
    "1963-04-29",
    "1971-02-17",
    "1980-12-09",
    "1956-06-21",
    "1988-09-01",
    "1966-01-28",
    "1993-03-14",
    "1950-05-05",
    "1979-07-31",
];

/// Twenty rows of person keys, birth dates, sex and municipality.
fn person_rows() -> Sheet {
    let mut cells = vec![
        s("A1", "lbnr"),
        s("B1", "birth_date"),
        s("C1", "sex"),
        s("D1", "municipality"),
    ];
    for (i, d) in DATES.iter().enumerate() {
        let r = i + 2;
        cells.push(n(&format!("A{r}"), 4_000_117.0 + 7.0 * i as f64));
        cells.push(s(&format!("B{r}"), d));
        cells.push(s(&format!("C{r}"), if i % 2 == 0 { "F" } else { "M" }));
        cells.push(n(&format!("D{r}"), 101.0 + (i % 5) as f64 * 46.0));
    }
    Sheet {
        name: "Data",
        state: "hidden",
        cells,
        hidden_rows: Vec::new(),
        comments: Vec::new(),
    }
}

/// A table at B3 whose cell D8 holds a count of 3.
fn small_count() -> Sheet {
    let mut cells = vec![
        s("B2", "Deaths by region and sex"),
        s("B4", "Region"),
        s("C4", "Men"),
        s("D4", "Women"),
    ];
    for (i, (region, men, women)) in [
        ("North", 120.0, 98.0),
        ("South", 80.0, 77.0),
        ("East", 45.0, 51.0),
        ("West", 33.0, 3.0),
    ]
    .into_iter()
    .enumerate()
    {
        let r = i + 5;
        cells.push(s(&format!("B{r}"), region));
        cells.push(n(&format!("C{r}"), men));
        cells.push(n(&format!("D{r}"), women));
    }
    visible("Deaths", cells)
}

/// Two clean tables on one sheet, side by side, a note under the first, and a column whose
/// formulas give `#N/A`.
fn two_tables() -> Sheet {
    let mut cells = vec![
        s("A1", "Table 1. Admissions by age"),
        s("A3", "Age"),
        s("B3", "Admissions"),
        s("C3", "Readmissions"),
        s("F1", "Table 2. Admissions by year"),
        s("F3", "Year"),
        s("G3", "Admissions"),
    ];
    for (i, (age, a)) in [("0-17", 140.0), ("18-64", 410.0), ("65+", 385.0)]
        .into_iter()
        .enumerate()
    {
        let r = i + 4;
        cells.push(s(&format!("A{r}"), age));
        cells.push(n(&format!("B{r}"), a));
        cells.push((format!("C{r}"), V::E("#N/A")));
    }
    for (i, (year, a)) in [("2019", 300.0), ("2020", 310.0), ("2021", 325.0)]
        .into_iter()
        .enumerate()
    {
        let r = i + 4;
        cells.push(s(&format!("F{r}"), year));
        cells.push(n(&format!("G{r}"), a));
    }
    cells.push(s("A8", "Source: synthetic register"));
    visible("Tables", cells)
}

/// A pivot cache whose records are twenty person rows (person key, sex), as a pivot table
/// showing only counts by sex keeps them.
fn pivot_parts() -> Vec<(String, Vec<u8>)> {
    let def = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1" recordCount="20"><cacheFields count="2"><cacheField name="lbnr"><sharedItems containsNumber="1"/></cacheField><cacheField name="sex"><sharedItems><s v="F"/><s v="M"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>"#,
    );
    let mut rec = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="20">"#,
    );
    for i in 0..20 {
        rec.push_str(&format!(
            r#"<r><n v="{}"/><x v="{}"/></r>"#,
            4_000_117 + 7 * i,
            i % 2
        ));
    }
    rec.push_str("</pivotCacheRecords>");
    vec![
        ("xl/pivotCache/pivotCacheDefinition1.xml".into(), def.into_bytes()),
        ("xl/pivotCache/pivotCacheRecords1.xml".into(), rec.into_bytes()),
        (
            "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels".into(),
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivotCacheRecords" Target="pivotCacheRecords1.xml"/></Relationships>"#
                .to_vec(),
        ),
    ]
}

/// An ODS sheet: name, hidden, rows of cells (`None` an empty cell), hidden row numbers
/// (1-based), hidden column numbers, and comments `(row, column, text)`.
struct OdsSheet {
    name: &'static str,
    hidden: bool,
    rows: Vec<Vec<V>>,
    hidden_rows: Vec<u32>,
    hidden_cols: Vec<u32>,
    comments: Vec<(u32, u32, &'static str)>,
}

fn ods_sheet(name: &'static str, cells: Vec<(String, V)>) -> OdsSheet {
    // Cells by reference into a grid of rows.
    let mut rows: Vec<Vec<V>> = Vec::new();
    for (at, v) in cells {
        let r = row_of(&at) as usize;
        let letters: String = at.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let c = letters
            .bytes()
            .fold(0usize, |acc, b| acc * 26 + (b - b'A' + 1) as usize);
        while rows.len() < r {
            rows.push(Vec::new());
        }
        let row = &mut rows[r - 1];
        while row.len() < c {
            row.push(V::S(""));
        }
        row[c - 1] = v;
    }
    OdsSheet {
        name,
        hidden: false,
        rows,
        hidden_rows: Vec::new(),
        hidden_cols: Vec::new(),
        comments: Vec::new(),
    }
}

/// An ODS package of the sheets, written by hand: `mimetype` stored first, the manifest and
/// `content.xml` with the table styles that hide a sheet.
fn ods(sheets: &[OdsSheet]) -> Vec<u8> {
    ods_with(sheets, &[])
}

/// An ODS package with parts besides its sheets (embedded objects, macro modules, pictures).
fn ods_with(sheets: &[OdsSheet], extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:automatic-styles><style:style style:name="ta1" style:family="table" style:master-page-name="Default"><style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style><style:style style:name="ta2" style:family="table" style:master-page-name="Default"><style:table-properties table:display="false" style:writing-mode="lr-tb"/></style:style></office:automatic-styles><office:body><office:spreadsheet>"#,
    );
    for s in sheets {
        let style = if s.hidden { "ta2" } else { "ta1" };
        x.push_str(&format!(
            r#"<table:table table:name="{}" table:style-name="{style}">"#,
            esc(s.name)
        ));
        let width = s.rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as u32;
        for c in 1..=width {
            let vis = if s.hidden_cols.contains(&c) {
                r#" table:visibility="collapse""#
            } else {
                ""
            };
            x.push_str(&format!(r#"<table:table-column{vis}/>"#));
        }
        let height = s
            .rows
            .len()
            .max(s.comments.iter().map(|c| c.0 as usize).max().unwrap_or(0));
        for r in 1..=height as u32 {
            let vis = if s.hidden_rows.contains(&r) {
                r#" table:visibility="collapse""#
            } else {
                ""
            };
            x.push_str(&format!(r#"<table:table-row{vis}>"#));
            let empty = Vec::new();
            let row = s.rows.get(r as usize - 1).unwrap_or(&empty);
            for c in 1..=width {
                let note = s
                    .comments
                    .iter()
                    .find(|k| k.0 == r && k.1 == c)
                    .map(|k| {
                        format!(
                            "<office:annotation><dc:creator>A. Analyst</dc:creator><dc:date>2024-01-01T00:00:00</dc:date><text:p>{}</text:p></office:annotation>",
                            esc(k.2)
                        )
                    })
                    .unwrap_or_default();
                match row.get(c as usize - 1) {
                    Some(V::S(t)) if !t.is_empty() => x.push_str(&format!(
                        r#"<table:table-cell office:value-type="string">{note}<text:p>{}</text:p></table:table-cell>"#,
                        esc(t)
                    )),
                    Some(V::N(n)) => x.push_str(&format!(
                        r#"<table:table-cell office:value-type="float" office:value="{n}">{note}<text:p>{n}</text:p></table:table-cell>"#
                    )),
                    _ if !note.is_empty() => {
                        x.push_str(&format!("<table:table-cell>{note}</table:table-cell>"))
                    }
                    _ => x.push_str("<table:table-cell/>"),
                }
            }
            x.push_str("</table:table-row>");
        }
        // The trailing empty rows a spreadsheet program writes.
        x.push_str(r#"<table:table-row table:number-rows-repeated="1048500"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#);
        x.push_str("</table:table>");
    }
    x.push_str("</office:spreadsheet></office:body></office:document-content>");
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut parts: Vec<(&str, &[u8])> = vec![
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", x.as_bytes()),
    ];
    parts.extend_from_slice(extra);
    common::zip_of(&parts)
}

/// The parts that put charts on sheet `n` of a workbook: a drawing related to the sheet, and the
/// chart parts (`xl/charts/chart{k}.xml`, from 1) related to the drawing. The sheet's XML has no
/// `<drawing>` element: the relationships are what the reader follows.
fn chart_parts(n: usize, charts: Vec<Vec<u8>>) -> Vec<(String, Vec<u8>)> {
    let named = charts
        .into_iter()
        .enumerate()
        .map(|(i, c)| (format!("chart{}.xml", i + 1), "chart", c))
        .collect();
    chart_parts_named(n, named)
}

/// As [`chart_parts`], each chart with its file name under `xl/charts/` and the type of its
/// relationship (`chart`, or `chartEx` for a chart extension part).
fn chart_parts_named(n: usize, charts: Vec<(String, &str, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let mut anchors = String::new();
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut parts = Vec::new();
    for (i, (file, rel, chart)) in charts.into_iter().enumerate() {
        let k = i + 1;
        anchors.push_str(&format!(
            r#"<xdr:twoCellAnchor><xdr:from><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r0}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>12</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{id}" name="Chart {k}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart r:id="rId{k}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"#,
            r0 = 1 + 16 * i,
            r1 = 15 + 16 * i,
            id = k + 1,
        ));
        let typ = if rel == "chartEx" {
            "http://schemas.microsoft.com/office/2014/relationships/chartEx"
        } else {
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
        };
        rels.push_str(&format!(
            r#"<Relationship Id="rId{k}" Type="{typ}" Target="../charts/{file}"/>"#
        ));
        parts.push((format!("xl/charts/{file}"), chart));
    }
    rels.push_str("</Relationships>");
    parts.push((
        "xl/drawings/drawing1.xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{anchors}</xdr:wsDr>"#
        )
        .into_bytes(),
    ));
    parts.push((
        "xl/drawings/_rels/drawing1.xml.rels".into(),
        rels.into_bytes(),
    ));
    parts.push((
        format!("xl/worksheets/_rels/sheet{n}.xml.rels"),
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/></Relationships>"#
            .to_vec(),
    ));
    parts
}

/// Four hundred made-up measurements at scattered positions, as a sheet `Points` (`x`, `y` in
/// A and B) and a scatter chart of them whose cache holds the same values.
fn scatter_of_points() -> Vec<u8> {
    scatter_workbook(400)
}

/// `n` made-up measurements on sheet `Points` and a scatter chart of them.
fn scatter_workbook(n_points: usize) -> Vec<u8> {
    let mut lcg = common::Lcg(20_261_203);
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    let mut cells = vec![s("A1", "x"), s("B1", "y")];
    for i in 0..n_points {
        let x = 150.0 + lcg.below(5_000) as f64 / 100.0;
        let y = 40.0 + lcg.below(7_000) as f64 / 100.0;
        cells.push(n(&format!("A{}", i + 2), x));
        cells.push(n(&format!("B{}", i + 2), y));
        xs.push(x);
        ys.push(y);
    }
    let last = n_points + 1;
    let series = chart_series(
        0,
        "Measurements",
        NO_LINE,
        &[
            num_ref("xVal", &format!("Points!$A$2:$A${last}"), &xs),
            num_ref("yVal", &format!("Points!$B$2:$B${last}"), &ys),
        ],
    );
    let chart = chart_xml(
        "Made-up measurements",
        "scatterChart",
        r#"<c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>"#,
        &[series],
    );
    xlsx_with(
        &[visible("Points", cells)],
        false,
        chart_parts(1, vec![chart]),
    )
}

/// Sixty made-up measurements on sheet `Points` and a scatter chart of them on a chartsheet
/// `Scatter` (a sheet that is only a chart: its drawing is related to the chartsheet part).
fn scatter_on_a_chartsheet() -> Vec<u8> {
    let mut lcg = common::Lcg(60);
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    let mut cells = vec![s("A1", "x"), s("B1", "y")];
    for i in 0..60 {
        let x = 150.0 + lcg.below(5_000) as f64 / 100.0;
        let y = 40.0 + lcg.below(7_000) as f64 / 100.0;
        cells.push(n(&format!("A{}", i + 2), x));
        cells.push(n(&format!("B{}", i + 2), y));
        xs.push(x);
        ys.push(y);
    }
    let series = chart_series(
        0,
        "Measurements",
        NO_LINE,
        &[
            num_ref("xVal", "Points!$A$2:$A$61", &xs),
            num_ref("yVal", "Points!$B$2:$B$61", &ys),
        ],
    );
    let chart = chart_xml(
        "Made-up measurements",
        "scatterChart",
        r#"<c:scatterStyle val="lineMarker"/>"#,
        &[series],
    );
    let mut extra: Vec<(String, Vec<u8>)> = chart_parts(1, vec![chart])
        .into_iter()
        .map(|(name, bytes)| match name.as_str() {
            "xl/worksheets/_rels/sheet1.xml.rels" => {
                ("xl/chartsheets/_rels/sheet1.xml.rels".to_string(), bytes)
            }
            _ => (name, bytes),
        })
        .collect();
    extra.push((
        "xl/chartsheets/sheet1.xml".into(),
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView workbookViewId="0"/></sheetViews><drawing r:id="rId1"/></chartsheet>"#
            .to_vec(),
    ));
    let book = xlsx_with(&[visible("Points", cells)], false, extra);
    // The chartsheet is listed in the workbook and its relationships, after the worksheet.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for i in 0..archive.len() {
            let mut f = archive.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut text).unwrap();
            let text = match name.as_str() {
                "xl/workbook.xml" => String::from_utf8(text).unwrap().replace(
                    "</sheets>",
                    r#"<sheet name="Scatter" sheetId="2" r:id="rIdCs1"/></sheets>"#,
                ),
                "xl/_rels/workbook.xml.rels" => String::from_utf8(text).unwrap().replace(
                    "</Relationships>",
                    r#"<Relationship Id="rIdCs1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>"#,
                ),
                _ => String::from_utf8(text).unwrap(),
            };
            z.start_file(name, options).unwrap();
            z.write_all(text.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// Four hundred made-up measurements on sheet `Values` and a histogram of them, a chart
/// extension part (`cx:chartSpace`) whose data block holds every value.
fn histogram_of_values() -> Vec<u8> {
    let mut lcg = common::Lcg(7_2026);
    let mut cells = vec![s("A1", "Measurement")];
    let mut pts = String::new();
    for i in 0..400 {
        let v = 20.0 + lcg.below(6_000) as f64 / 100.0;
        cells.push(n(&format!("A{}", i + 2), v));
        pts.push_str(&format!(r#"<cx:pt idx="{i}">{v}</cx:pt>"#));
    }
    let chart = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cx:chartSpace xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex"><cx:chartData><cx:data id="0"><cx:numDim type="val"><cx:f>Values!$A$2:$A$401</cx:f><cx:lvl ptCount="400" formatCode="General">{pts}</cx:lvl></cx:numDim></cx:data></cx:chartData><cx:chart><cx:title><cx:tx><cx:rich><a:bodyPr/><a:p><a:r><a:t>Made-up measurements</a:t></a:r></a:p></cx:rich></cx:tx></cx:title><cx:plotArea><cx:plotAreaRegion><cx:series layoutId="clusteredColumn" uniqueId="{{00000001-0000-0000-0000-000000000000}}"><cx:tx><cx:txData><cx:f>Values!$A$1</cx:f><cx:v>Measurement</cx:v></cx:txData></cx:tx><cx:dataId val="0"/><cx:layoutPr><cx:binning intervalClosed="r"/></cx:layoutPr></cx:series></cx:plotAreaRegion><cx:axis id="0"><cx:catScaling gapWidth="0"/></cx:axis><cx:axis id="1"><cx:valScaling/></cx:axis></cx:plotArea></cx:chart></cx:chartSpace>"#
    );
    xlsx_with(
        &[visible("Values", cells)],
        false,
        chart_parts_named(
            1,
            vec![("chartEx1.xml".into(), "chartEx", chart.into_bytes())],
        ),
    )
}

/// Twelve monthly admissions (every one at least 10) on a sheet, with a bar chart and a line
/// chart (markers on the line) of them whose caches hold the sheet's values.
fn monthly_charts() -> Vec<u8> {
    let values: Vec<f64> = (0..12).map(|i| 120.0 + (i * 37 % 50) as f64).collect();
    let mut cells = vec![
        s("A1", "Table 1. Admissions by month"),
        s("A3", "Month"),
        s("B3", "Admissions"),
    ];
    for (i, (m, v)) in MONTHS.iter().zip(&values).enumerate() {
        cells.push(s(&format!("A{}", i + 4), m));
        cells.push(n(&format!("B{}", i + 4), *v));
    }
    let data = [
        str_ref("cat", "Admissions!$A$4:$A$15", &MONTHS),
        num_ref("val", "Admissions!$B$4:$B$15", &values),
    ];
    let bar = chart_xml(
        "Admissions by month",
        "barChart",
        r#"<c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>"#,
        &[chart_series(0, "Admissions", "", &data)],
    );
    let line = chart_xml(
        "Admissions by month",
        "lineChart",
        r#"<c:grouping val="standard"/><c:varyColors val="0"/>"#,
        &[chart_series(0, "Admissions", "", &data)],
    );
    xlsx_with(
        &[visible("Admissions", cells)],
        false,
        chart_parts(1, vec![bar, line]),
    )
}

/// A clean summary sheet with a bar chart whose series are held only in the chart (`numLit`,
/// `strLit`), one of its counts 3.
fn literal_chart() -> Vec<u8> {
    let series = chart_series(
        0,
        "Patients",
        "",
        &[
            str_lit("cat", &["North", "South", "East", "West"]),
            num_lit("val", &[120.0, 80.0, 45.0, 3.0]),
        ],
    );
    let chart = chart_xml(
        "Patients by region",
        "barChart",
        r#"<c:barDir val="col"/><c:grouping val="clustered"/>"#,
        &[series],
    );
    xlsx_with(&[summary()], false, chart_parts(1, vec![chart]))
}

/// A clean summary sheet with a bar chart whose series refers to a sheet the workbook does not
/// have (deleted after the chart was made): its cache, one count 3, is all that is left.
fn chart_of_a_missing_sheet() -> Vec<u8> {
    let series = chart_series(
        0,
        "Deaths",
        "",
        &[
            str_ref(
                "cat",
                "'Old data'!$A$2:$A$5",
                &["North", "South", "East", "West"],
            ),
            num_ref("val", "'Old data'!$B$2:$B$5", &[33.0, 41.0, 3.0, 28.0]),
        ],
    );
    let chart = chart_xml(
        "Deaths by region",
        "barChart",
        r#"<c:barDir val="col"/><c:grouping val="clustered"/>"#,
        &[series],
    );
    xlsx_with(&[summary()], false, chart_parts(1, vec![chart]))
}

/// The clean summary sheet with a bar chart of its two columns: the cache of `Women` holds the
/// sheet's values, the cache of `Men` does not (the sheet changed after the chart was drawn,
/// or the cache was edited), and one of its cached counts is 3.
fn stale_chart_cache() -> Vec<u8> {
    let regions = ["North", "South", "East", "West"];
    let men = chart_series(
        0,
        "Men",
        "",
        &[
            str_ref("cat", "Summary!$A$4:$A$7", &regions),
            num_ref("val", "Summary!$B$4:$B$7", &[120.0, 80.0, 45.0, 3.0]),
        ],
    );
    let women = chart_series(
        1,
        "Women",
        "",
        &[
            str_ref("cat", "Summary!$A$4:$A$7", &regions),
            num_ref("val", "Summary!$C$4:$C$7", &[98.0, 77.0, 51.0, 43.0]),
        ],
    );
    let chart = chart_xml(
        "Patients by region",
        "barChart",
        r#"<c:barDir val="col"/><c:grouping val="clustered"/>"#,
        &[men, women],
    );
    xlsx_with(&[summary()], false, chart_parts(1, vec![chart]))
}

/// A small-count sheet with two chart parts that cannot be read: one cut short, one that is
/// not XML at all.
fn malformed_charts() -> Vec<u8> {
    let whole = chart_xml(
        "Deaths by region",
        "barChart",
        r#"<c:barDir val="col"/>"#,
        &[chart_series(
            0,
            "Deaths",
            "",
            &[num_lit("val", &[120.0, 80.0, 45.0, 33.0])],
        )],
    );
    let cut = whole[..whole.len() / 2].to_vec();
    xlsx_with(
        &[small_count()],
        false,
        chart_parts(1, vec![cut, b"\x00\x01 this is not a chart".to_vec()]),
    )
}

fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let mut commented = summary();
    commented.comments = vec![("B4", "Checked the record of CPR 161124-3533 by hand")];
    let clean = xlsx(&[two_tables()], false);
    let truncated = clean[..clean.len() / 2].to_vec();
    vec![
        (
            "cases/workbooks/hidden_person_sheet.xlsx",
            xlsx(&[summary(), person_rows()], false),
        ),
        (
            "cases/workbooks/small_count.xlsx",
            xlsx(&[small_count()], false),
        ),
        (
            "cases/workbooks/comment_with_id.xlsx",
            xlsx(&[commented], false),
        ),
        ("cases/workbooks/macros.xlsm", xlsx(&[summary()], true)),
        ("cases/workbooks/truncated.xlsx", truncated),
        (
            "cases/workbooks/pivot_cache_person_rows.xlsx",
            xlsx_with(&[summary()], false, pivot_parts()),
        ),
        ("cases/workbooks/clean_two_tables.xlsx", clean),
        // A zip bomb: one part of 20 MiB of blanks, stored in a few kilobytes.
        (
            "cases/workbooks/expanding_part.xlsx",
            xlsx_with(
                &[summary()],
                false,
                vec![("customXml/item1.xml".to_string(), vec![b' '; 20 << 20])],
            ),
        ),
        ("cases/workbooks/hidden_person_sheet.ods", {
            let mut data = ods_sheet("Data", person_rows().cells);
            data.hidden = true;
            ods(&[ods_sheet("Summary", summary().cells), data])
        }),
        ("cases/workbooks/comment_with_id.ods", {
            let mut s = ods_sheet("Summary", summary().cells);
            s.comments = vec![(4, 2, "Checked the record of CPR 161124-3533 by hand")];
            ods(&[s])
        }),
        ("cases/workbooks/comment_small_count.ods", {
            let mut s = ods_sheet("Summary", summary().cells);
            s.comments = vec![(7, 3, "2 of these had died before follow-up")];
            ods(&[s])
        }),
        ("cases/workbooks/hidden_rows_columns.ods", {
            let mut s = ods_sheet("Summary", summary().cells);
            s.hidden_rows = vec![6];
            s.hidden_cols = vec![3];
            ods(&[s])
        }),
        (
            "cases/workbooks/clean.ods",
            ods(&[ods_sheet("Summary", summary().cells)]),
        ),
        (
            "cases/workbooks/acro_finalised.xlsx",
            xlsx(&acro_outputs(), false),
        ),
        ("cases/workbooks/ods_objects_and_macros.ods", {
            let own = ods_chart(false);
            let copied = ods_chart(true);
            ods_with(
                &[ods_sheet("Summary", summary().cells)],
                &[
                    ("Object 1/content.xml", own.as_bytes()),
                    ("Object 1/styles.xml", b"<office:document-styles/>"),
                    ("Object 2/content.xml", copied.as_bytes()),
                    ("ObjectReplacements/Object 1", b"a rendering"),
                    ("Basic/script-lc.xml", b"<library:libraries/>"),
                    ("Basic/Standard/Module1.xml", ODS_MACRO.as_bytes()),
                ],
            )
        }),
        ("cases/workbooks/ods_scatter_chart_object.ods", {
            let chart =
                common::charts::odf_chart_object("chart:scatter", &common::charts::scattered(80));
            ods_with(
                &[ods_sheet("Summary", summary().cells)],
                &[("Object 1/content.xml", chart.as_bytes())],
            )
        }),
        ("cases/workbooks/ods_chart_of_its_sheet.ods", {
            let copied = ods_chart(true);
            ods_with(
                &[ods_sheet("Summary", summary().cells)],
                &[("Object 1/content.xml", copied.as_bytes())],
            )
        }),
        (
            "cases/workbooks/chart_scatter_of_points.xlsx",
            scatter_of_points(),
        ),
        (
            "cases/workbooks/chart_monthly_admissions.xlsx",
            monthly_charts(),
        ),
        (
            "cases/workbooks/chart_literal_small_count.xlsx",
            literal_chart(),
        ),
        (
            "cases/workbooks/chart_of_a_missing_sheet.xlsx",
            chart_of_a_missing_sheet(),
        ),
        ("cases/workbooks/chart_malformed.xlsx", malformed_charts()),
        (
            "cases/workbooks/chart_stale_cache.xlsx",
            stale_chart_cache(),
        ),
        (
            "cases/workbooks/chart_histogram_of_values.xlsx",
            histogram_of_values(),
        ),
        (
            "cases/workbooks/chart_on_a_chartsheet.xlsx",
            scatter_on_a_chartsheet(),
        ),
    ]
    .into_iter()
    .chain(legacy_fixtures())
    .collect()
}

/// A sheet written as a legacy (BIFF8) sheet: the same cells at 0-based positions.
fn biff_of(sheet: &Sheet) -> BiffSheet {
    let cells = sheet
        .cells
        .iter()
        .filter_map(|(at, v)| {
            let col = at
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .fold(0u16, |c, l| c * 26 + (l as u16 - 'A' as u16 + 1));
            let row = row_of(at) as u16;
            let v = match v {
                V::S(t) => Cell::S(t),
                V::N(x) => Cell::N(*x),
                V::E(_) => return None,
            };
            Some((row - 1, col - 1, v))
        })
        .collect();
    let mut b = BiffSheet::new(sheet.name, cells);
    b.state = match sheet.state {
        "hidden" => 1,
        "veryHidden" => 2,
        _ => 0,
    };
    b
}

/// Legacy workbooks: a clean one whose workbook stream lies in the mini stream and one padded
/// past it into regular sectors, a hidden sheet of person rows, a comment with a person number,
/// hidden rows and columns, a text box with a person number, an embedded workbook package with a
/// small count, and one cut short.
fn legacy_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let mut commented = biff_of(&summary());
    commented.comments = vec![(3, 1, "Checked the record of CPR 161124-3533 by hand")];
    let mut hiding = biff_of(&summary());
    hiding.hidden_rows = vec![5];
    hiding.hidden_cols = vec![2];
    let mut boxed = biff_of(&summary());
    boxed.text_boxes = vec!["Follow-up of CPR 161124-3533 is pending"];
    let clean = xls(&[biff_of(&summary())], 0);
    let truncated = {
        let padded = xls(&[biff_of(&summary())], 9000);
        padded[..padded.len() - 2048].to_vec()
    };
    let embedded = compound_file(&[
        ("Workbook", workbook_stream(&[biff_of(&summary())])),
        ("MBD0001A2B3/Package", xlsx(&[small_count()], false)),
        (
            "MBD0001A2B4/CONTENTS",
            b"an object this version does not read".to_vec(),
        ),
        ("_SX_DB_CUR/0001", vec![0u8; 64]),
    ]);
    vec![
        ("cases/workbooks/legacy_clean.xls", clean),
        (
            "cases/workbooks/legacy_clean_large_stream.xls",
            xls(&[biff_of(&summary())], 9000),
        ),
        (
            "cases/workbooks/legacy_hidden_person_sheet.xls",
            xls(&[biff_of(&summary()), biff_of(&person_rows())], 0),
        ),
        (
            "cases/workbooks/legacy_comment_with_id.xls",
            xls(&[commented], 0),
        ),
        (
            "cases/workbooks/legacy_hidden_rows_columns.xls",
            xls(&[hiding], 9000),
        ),
        (
            "cases/workbooks/legacy_text_box_with_id.xls",
            xls(&[boxed], 0),
        ),
        ("cases/workbooks/legacy_embedded_objects.xls", embedded),
        ("cases/workbooks/legacy_truncated.xls", truncated),
        ("cases/workbooks/legacy_external_cache.xls", {
            // Another workbook's person rows, cached by an external reference.
            let mut rows = vec![(
                0u16,
                0u16,
                vec![
                    Cell::S("lbnr"),
                    Cell::S("birth_date"),
                    Cell::S("sex"),
                    Cell::S("municipality"),
                ],
            )];
            for (i, d) in DATES[..12].iter().enumerate() {
                rows.push((
                    i as u16 + 1,
                    0,
                    vec![
                        Cell::N(4_000_117.0 + 7.0 * i as f64),
                        Cell::S(d),
                        Cell::S(if i % 2 == 0 { "F" } else { "M" }),
                        Cell::N(101.0 + (i % 5) as f64 * 46.0),
                    ],
                ));
            }
            compound_file(&[(
                "Workbook",
                workbook_stream_with(&[biff_of(&summary())], &rows),
            )])
        }),
        (
            "cases/workbooks/legacy_cell_records.xls",
            cell_records_workbook(),
        ),
        ("cases/workbooks/legacy_sparse_sheets.xls", {
            // Forty sheets, each a clean table at the top and one note in the grid's last
            // cell (IV65536): a reader that fills the span between them holds 16.7 million
            // cells a sheet.
            let sheets: Vec<BiffSheet> = (1..=40)
                .map(|i| {
                    let name: &'static str = Box::leak(format!("Region {i}").into_boxed_str());
                    let mut s = biff_of(&summary());
                    s.name = name;
                    s.cells.push((65_535, 255, Cell::S("end of sheet")));
                    s
                })
                .collect();
            xls(&sheets, 0)
        }),
        ("cases/workbooks/legacy_sheet_without_end.xls", {
            let mut commented = biff_of(&summary());
            commented.comments = vec![(3, 1, "Checked by hand")];
            let mut stream = workbook_stream(&[commented]);
            // The sheet's EOF record (four bytes) is gone: the stream ends inside the sheet.
            stream.truncate(stream.len() - 4);
            compound_file(&[("Workbook", stream)])
        }),
    ]
}

/// A LibreOffice chart object (`Object 1/content.xml`) with its data table: drawn from the sheet's
/// cells (`table:cell-range-address` names them) or typed into the chart, with a count of 3.
fn ods_chart(from_sheet: bool) -> String {
    let range = if from_sheet {
        r#" table:cell-range-address="Summary.A3:Summary.C7""#
    } else {
        ""
    };
    let west = if from_sheet { "43" } else { "3" };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:chart="urn:oasis:names:tc:opendocument:xmlns:chart:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:chart><chart:chart chart:class="chart:bar"><chart:plot-area{range}><chart:series chart:values-cell-range-address="local-table.B2:B5"/></chart:plot-area><table:table table:name="local-table"><table:table-header-rows><table:table-row><table:table-cell><text:p/></table:table-cell><table:table-cell office:value-type="string"><text:p>Men</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Women</text:p></table:table-cell></table:table-row></table:table-header-rows><table:table-rows><table:table-row><table:table-cell office:value-type="string"><text:p>North</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="120"><text:p>120</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="98"><text:p>98</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>West</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="60"><text:p>60</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="{west}"><text:p>{west}</text:p></table:table-cell></table:table-row></table:table-rows></table:table></chart:chart></office:chart></office:body></office:document-content>"#
    )
}

/// A LibreOffice Basic module that hard-codes a made-up person number.
const ODS_MACRO: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">Sub Check
  If ThisComponent.Sheets(0).getCellByPosition(0, 3).String = &quot;161124-3533&quot; Then MsgBox &quot;found&quot;
End Sub
</script:module>"#;

#[test]
fn ods_embedded_objects_and_macros_are_read_and_hidden() {
    let (verdict, found) = findings("ods_objects_and_macros.ods");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let at = |f: &&Finding| {
        (
            f.rule,
            f.severity,
            f.location.member.clone().unwrap_or_default(),
        )
    };
    let mut errors: Vec<_> = found
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| at(&f))
        .collect();
    errors.sort();
    errors.dedup();
    assert_eq!(
        errors,
        vec![
            (
                "code-literal",
                Severity::Error,
                "Basic/Standard/Module1.xml".to_string()
            ),
            (
                "hidden-content",
                Severity::Error,
                "Basic/Standard/Module1.xml".to_string()
            ),
            ("hidden-content", Severity::Error, "Object 1".to_string()),
            ("small-count", Severity::Error, "Object 1".to_string()),
        ],
        "{found:#?}"
    );
    let literal = found.iter().find(|f| f.rule == "code-literal").unwrap();
    assert_eq!(literal.location.line, Some(2), "the module's own line");
    // The chart drawn from the sheet, the object's styles, the rendering and the library list
    // raise nothing.
    assert!(
        found.iter().all(|f| !matches!(
            f.location.member.as_deref(),
            Some("Object 2" | "Object 1/styles.xml" | "ObjectReplacements/Object 1")
                | Some("Basic/script-lc.xml")
        )),
        "{found:#?}"
    );
    let (verdict, found) = findings("ods_chart_of_its_sheet.ods");
    assert_eq!(verdict, Verdict::Pass, "{found:#?}");
}

/// A sheet as ACRO's `finalise()` writes one output: `Command` and `Summary` rows, then its risk
/// grid and the table, each under a blank row. Grid and table rows are `(year, A, B)`; a table
/// cell that parses as a number is written as one, an empty one is left out (suppressed).
fn acro_output(
    name: &'static str,
    summary: &'static str,
    grid: &[[&'static str; 3]],
    table: &[[&'static str; 3]],
) -> Sheet {
    let mut cells = vec![
        n("B1", 0.0),
        s("A2", "Command"),
        s("B2", "safe_table = acro.crosstab(df.year, df.grant_type)"),
        s("A3", "Summary"),
        s("B3", summary),
    ];
    let header = [["year", "A", "B"]];
    let mut put = |top: usize, rows: &[[&'static str; 3]]| {
        for (i, row) in header.iter().chain(rows).enumerate() {
            for (j, &t) in row.iter().enumerate() {
                let at = format!("{}{}", ["A", "B", "C"][j], top + i);
                match t.parse::<f64>() {
                    _ if t.is_empty() => {}
                    Ok(v) if i > 0 && j > 0 => cells.push(n(&at, v)),
                    _ => cells.push(s(&at, t)),
                }
            }
        }
    };
    put(5, grid);
    put(6 + grid.len() + 1, table);
    visible(name, cells)
}

/// Four outputs of a made-up ACRO session: a crosstab whose flagged cell was suppressed (fail,
/// as ACRO says before suppression), one whose flagged cell still shows its count, means of a
/// variable with negative values (ACRO asks for review), and one that passed.
fn acro_outputs() -> Vec<Sheet> {
    vec![
        acro_output(
            "output_0",
            "fail; threshold: 1 cells suppressed; ",
            &[["2020", "ok", "threshold; "], ["2021", "ok", "ok"]],
            &[["2020", "48", ""], ["2021", "52", "61"]],
        ),
        acro_output(
            "output_1",
            "fail; threshold: 1 cells suppressed; ",
            &[["2020", "ok", "ok"], ["2021", "threshold; ", "ok"]],
            &[["2020", "48", "57"], ["2021", "7", "61"]],
        ),
        acro_output(
            "output_2",
            "review; negative values found",
            &[["2020", "", "negative"], ["2021", "", "negative"]],
            &[["2020", "1520.5", "-310.25"], ["2021", "1498", "-287.5"]],
        ),
        acro_output(
            "output_3",
            "pass",
            &[["2020", "ok", "ok"], ["2021", "ok", "ok"]],
            &[["2020", "48", "57"], ["2021", "52", "61"]],
        ),
    ]
}

#[test]
fn what_acro_said_of_its_outputs_is_reported_at_their_cells() {
    let (verdict, found) = findings("acro_finalised.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let at = |f: &Finding| {
        (
            f.rule,
            f.severity,
            f.location.sheet.clone().unwrap_or_default(),
            f.location.cell.clone().unwrap_or_default(),
        )
    };
    let mut acro: Vec<_> = found
        .iter()
        .filter(|f| f.message.contains("ACRO"))
        .map(at)
        .collect();
    acro.sort();
    assert_eq!(
        acro,
        vec![
            (
                "extreme-values",
                Severity::Warning,
                "output_2".to_string(),
                "B3".to_string()
            ),
            (
                "small-count",
                Severity::Error,
                "output_1".to_string(),
                "B11".to_string()
            ),
        ],
        "{found:#?}"
    );
    // The suppressed output and the one that passed raise nothing to review.
    assert!(
        found.iter().all(
            |f| !matches!(f.location.sheet.as_deref(), Some("output_0" | "output_3"))
                || f.severity == Severity::Info
        ),
        "{found:#?}"
    );
    // Under a threshold of 10 the count is a small count of the table too: said once.
    let uk = common::report_with(
        "workbooks/acro_finalised.xlsx",
        &export_check::Rules::load("uk", None, None).expect("uk profile"),
    );
    let at_b11: Vec<_> = uk.files[0]
        .findings
        .iter()
        .filter(|f| f.location.cell.as_deref() == Some("B11"))
        .collect();
    assert_eq!(at_b11.len(), 1, "{at_b11:#?}");
    // The shown count is not echoed.
    assert!(found.iter().all(|f| !f.message.contains('7')), "{found:#?}");
}

#[test]
fn fixtures_are_current() {
    assert_fixtures_current(&fixtures());
}

fn findings(name: &str) -> (Verdict, Vec<Finding>) {
    let r = report(&format!("workbooks/{name}"));
    assert_eq!(r.files.len(), 1);
    let f = &r.files[0];
    (f.verdict, f.findings.clone())
}

/// The one small-count error of the `small_count()` sheet: at `Deaths!D8`, row 8, column 4.
fn the_deaths_small_count(found: &[Finding]) -> Vec<&Finding> {
    let small = errors(found, "small-count");
    assert_eq!(small.len(), 1, "{found:#?}");
    assert_eq!(small[0].location.sheet.as_deref(), Some("Deaths"));
    assert_eq!(small[0].location.cell.as_deref(), Some("D8"));
    assert_eq!(
        (small[0].location.row, small[0].location.column),
        (Some(8), Some(4))
    );
    small
}

fn errors<'a>(found: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    found
        .iter()
        .filter(|f| f.rule == rule && f.severity == Severity::Error)
        .collect()
}

#[test]
fn a_hidden_sheet_of_person_rows_fails() {
    let (verdict, found) = findings("hidden_person_sheet.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let micro = errors(&found, "micro-data");
    assert!(!micro.is_empty(), "{found:#?}");
    assert!(micro
        .iter()
        .all(|f| f.location.sheet.as_deref() == Some("Data")));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.sheet.as_deref(), Some("Data"));
    assert!(
        hidden[0].message.contains("micro-data"),
        "{}",
        hidden[0].message
    );
    // The visible summary raises nothing to review.
    assert!(
        found
            .iter()
            .all(|f| f.location.sheet.as_deref() != Some("Summary") || f.severity == Severity::Info),
        "{found:#?}"
    );
}

#[test]
fn a_small_count_is_found_at_its_sheet_and_cell() {
    let (verdict, found) = findings("small_count.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let small = the_deaths_small_count(&found);
    let json = serde_json::to_value(&small[0].location).unwrap();
    assert_eq!(json["sheet"], "Deaths");
    assert_eq!(json["cell"], "D8");
}

#[test]
fn a_comment_with_a_person_number_fails() {
    let (verdict, found) = findings("comment_with_id.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let ids = errors(&found, "person-id");
    assert_eq!(ids.len(), 1, "{found:#?}");
    assert_eq!(ids[0].location.member.as_deref(), Some("xl/comments1.xml"));
    assert_eq!(ids[0].location.line, Some(1));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.sheet.as_deref(), Some("Summary"));
    assert_eq!(hidden[0].location.cell.as_deref(), Some("B4"));
    assert!(!hidden[0].message.contains("3533"), "{}", hidden[0].message);
}

#[test]
fn a_macro_project_is_hidden_and_not_checked() {
    let (verdict, found) = findings("macros.xlsm");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let unread = errors(&found, "unreadable");
    assert_eq!(unread.len(), 1, "{found:#?}");
    assert_eq!(
        unread[0].location.member.as_deref(),
        Some("xl/vbaProject.bin")
    );
    let hidden: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "hidden-content")
        .collect();
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(
        hidden[0].location.member.as_deref(),
        Some("xl/vbaProject.bin")
    );
}

#[test]
fn pivot_cache_records_of_persons_fail() {
    let (verdict, found) = findings("pivot_cache_person_rows.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let part = Some("xl/pivotCache/pivotCacheRecords1.xml");
    let ids = errors(&found, "person-id");
    assert!(!ids.is_empty(), "{found:#?}");
    assert!(ids.iter().all(|f| f.location.member.as_deref() == part));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.member.as_deref(), part);
}

#[test]
fn a_workbook_cut_short_is_unreadable() {
    let (verdict, found) = findings("truncated.xlsx");
    assert_eq!(verdict, Verdict::Fail);
    assert_eq!(
        found.iter().map(|f| f.rule).collect::<Vec<_>>(),
        vec!["unreadable"],
        "{found:#?}"
    );
}

/// A part that expands hundreds of times its stored size is refused before it is expanded:
/// the workbook is unreadable, never half-checked.
#[test]
fn a_workbook_zip_bomb_is_unreadable_before_it_expands() {
    let (verdict, found) = findings("expanding_part.xlsx");
    assert_eq!(verdict, Verdict::Fail);
    let unreadable = errors(&found, "unreadable");
    assert_eq!(unreadable.len(), 1, "{found:#?}");
    assert!(
        unreadable[0].message.contains("times its stored size"),
        "{}",
        unreadable[0].message
    );
}

#[test]
fn a_clean_workbook_of_two_tables_on_one_sheet_passes() {
    let (verdict, found) = findings("clean_two_tables.xlsx");
    assert_eq!(verdict, Verdict::Pass, "{found:#?}");
}

#[test]
fn an_ods_with_a_hidden_sheet_of_person_rows_fails() {
    let (verdict, found) = findings("hidden_person_sheet.ods");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let micro = errors(&found, "micro-data");
    assert!(!micro.is_empty(), "{found:#?}");
    assert!(micro
        .iter()
        .all(|f| f.location.sheet.as_deref() == Some("Data")));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.sheet.as_deref(), Some("Data"));
    assert!(
        hidden[0].message.contains("hidden sheet 'Data'"),
        "{}",
        hidden[0].message
    );
    assert!(
        found
            .iter()
            .all(|f| f.location.sheet.as_deref() != Some("Summary") || f.severity == Severity::Info),
        "{found:#?}"
    );
}

#[test]
fn an_ods_comment_with_a_person_number_fails_at_its_cell() {
    let (verdict, found) = findings("comment_with_id.ods");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let ids = errors(&found, "person-id");
    assert_eq!(ids.len(), 1, "{found:#?}");
    assert_eq!(ids[0].location.member.as_deref(), Some("content.xml"));
    assert_eq!(ids[0].location.line, Some(1));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.sheet.as_deref(), Some("Summary"));
    assert_eq!(hidden[0].location.cell.as_deref(), Some("B4"));
    assert!(!hidden[0].message.contains("3533"), "{}", hidden[0].message);
    // The comment's author is not read as text.
    assert!(
        found.iter().all(|f| !f.message.contains("Analyst")),
        "{found:#?}"
    );
}

#[test]
fn an_ods_comment_with_a_small_count_is_reviewed_as_in_xlsx() {
    let (verdict, found) = findings("comment_small_count.ods");
    assert_ne!(verdict, Verdict::Pass, "{found:#?}");
    let hidden: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "hidden-content")
        .collect();
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.cell.as_deref(), Some("C7"));
}

#[test]
fn ods_hidden_rows_and_columns_are_named_by_sheet_row_and_column() {
    let (verdict, found) = findings("hidden_rows_columns.ods");
    assert_eq!(verdict, Verdict::Review, "{found:#?}");
    let hidden: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "hidden-content")
        .collect();
    assert_eq!(hidden.len(), 2, "{found:#?}");
    assert!(hidden.iter().all(|f| f.severity == Severity::Warning));
    assert!(hidden
        .iter()
        .all(|f| f.location.sheet.as_deref() == Some("Summary")));
    assert!(hidden.iter().any(|f| f.location.row == Some(6)));
    assert!(hidden.iter().any(|f| f.location.column == Some(3)));
}

#[test]
fn a_clean_ods_passes() {
    let (verdict, found) = findings("clean.ods");
    assert_eq!(verdict, Verdict::Pass, "{found:#?}");
}

/// Writes a folder of large workbooks for measuring memory (never checked in):
/// `EXPORT_CHECK_LARGE_WORKBOOKS=/tmp/big cargo test --release --test workbooks -- --ignored`,
/// then `/usr/bin/time -v target/release/export-check /tmp/big`.
#[test]
#[ignore]
fn large_workbooks_for_measuring_memory() {
    let Some(dir) = std::env::var_os("EXPORT_CHECK_LARGE_WORKBOOKS") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, rows) in [
        ("big.xlsx", 1_800_000u32),
        ("mid_a.xlsx", 600_000),
        ("mid_b.xlsx", 600_000),
    ] {
        let file = std::fs::File::create(dir.join(name)).unwrap();
        let mut z = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let small = xlsx(&[visible("Listing", Vec::new())], false);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(small)).unwrap();
        for i in 0..archive.len() {
            let mut f = archive.by_index(i).unwrap();
            let part = f.name().unwrap().to_string();
            z.start_file(part.as_str(), options).unwrap();
            if part == "xl/worksheets/sheet1.xml" {
                z.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>age</t></is></c><c r="C1" t="inlineStr"><is><t>sex</t></is></c><c r="D1" t="inlineStr"><is><t>weight</t></is></c><c r="E1" t="inlineStr"><is><t>visits</t></is></c></row>"#).unwrap();
                let mut x: u64 = 12345;
                for r in 2..=rows {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let age = 18 + (x >> 33) % 80;
                    let sex = if (x >> 20) & 1 == 0 { "F" } else { "M" };
                    let w = 45.0 + ((x >> 40) % 600) as f64 / 10.0;
                    let v = 10 + (x >> 50) % 90;
                    write!(z, r#"<row r="{r}"><c r="A{r}"><v>{}</v></c><c r="B{r}"><v>{age}</v></c><c r="C{r}" t="inlineStr"><is><t>{sex}</t></is></c><c r="D{r}"><v>{w}</v></c><c r="E{r}"><v>{v}</v></c></row>"#, 1_000_000 + r).unwrap();
                }
                z.write_all(b"</sheetData></worksheet>").unwrap();
            } else {
                std::io::copy(&mut f, &mut z).unwrap();
            }
        }
        z.finish().unwrap();
    }
}

/// The findings of one rule.
fn of_rule<'a>(found: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    found.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn a_scatter_chart_of_four_hundred_points_fails_at_its_chart() {
    let (verdict, found) = findings("chart_scatter_of_points.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let embedded = of_rule(&found, "embedded-data");
    assert_eq!(embedded.len(), 1, "{found:#?}");
    assert_eq!(embedded[0].severity, Severity::Error);
    assert_eq!(
        embedded[0].location.member.as_deref(),
        Some("xl/charts/chart1.xml")
    );
    assert_eq!(embedded[0].location.sheet.as_deref(), Some("Points"));
    assert!(
        embedded[0]
            .message
            .starts_with("Excel chart: series 'Measurements' draws 400 markers"),
        "{}",
        embedded[0].message
    );
    // The cache holds what the sheet shows: it is not a hidden part.
    assert!(of_rule(&found, "hidden-content").is_empty(), "{found:#?}");
}

#[test]
fn monthly_bar_and_line_charts_of_a_visible_table_pass() {
    let (verdict, found) = findings("chart_monthly_admissions.xlsx");
    assert_eq!(verdict, Verdict::Pass, "{found:#?}");
    assert!(of_rule(&found, "embedded-data").is_empty(), "{found:#?}");
    assert!(of_rule(&found, "hidden-content").is_empty(), "{found:#?}");
    assert!(
        found.iter().all(|f| f.severity == Severity::Info),
        "{found:#?}"
    );
}

#[test]
fn a_chart_of_literal_values_is_hidden_and_its_small_count_found() {
    let (verdict, found) = findings("chart_literal_small_count.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let part = Some("xl/charts/chart1.xml");
    let small = errors(&found, "small-count");
    assert_eq!(small.len(), 1, "{found:#?}");
    assert_eq!(small[0].location.member.as_deref(), part);
    assert_eq!(small[0].location.cell.as_deref(), Some("B5"));
    let hidden = of_rule(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].severity, Severity::Error);
    assert_eq!(hidden[0].location.member.as_deref(), part);
    assert_eq!(hidden[0].location.sheet.as_deref(), Some("Summary"));
    assert!(
        hidden[0]
            .message
            .contains("chart cache of series 'Patients' in xl/charts/chart1.xml (data held only in the chart)"),
        "{}",
        hidden[0].message
    );
    assert!(
        hidden[0].message.contains("small-count"),
        "{}",
        hidden[0].message
    );
    // The visible summary raises nothing to review.
    assert!(
        found
            .iter()
            .all(|f| f.location.member.as_deref() == part || f.severity == Severity::Info),
        "{found:#?}"
    );
}

#[test]
fn a_chart_of_a_sheet_not_in_the_workbook_is_hidden_and_its_small_count_found() {
    let (verdict, found) = findings("chart_of_a_missing_sheet.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let part = Some("xl/charts/chart1.xml");
    let small = errors(&found, "small-count");
    assert_eq!(small.len(), 1, "{found:#?}");
    assert_eq!(small[0].location.member.as_deref(), part);
    assert_eq!(small[0].location.cell.as_deref(), Some("B4"));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.member.as_deref(), part);
    assert!(
        hidden[0].message.contains("(data not in any sheet)"),
        "{}",
        hidden[0].message
    );
}

#[test]
fn chart_parts_that_cannot_be_read_are_unreadable_and_the_sheets_still_checked() {
    let (verdict, found) = findings("chart_malformed.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let unread = errors(&found, "unreadable");
    assert_eq!(unread.len(), 2, "{found:#?}");
    assert_eq!(
        unread[0].location.member.as_deref(),
        Some("xl/charts/chart1.xml")
    );
    assert_eq!(unread[0].location.sheet.as_deref(), Some("Deaths"));
    assert!(
        unread[0].message.contains(
            "chart xl/charts/chart1.xml cannot be checked: the part is not well-formed XML"
        ),
        "{}",
        unread[0].message
    );
    assert_eq!(
        unread[1].location.member.as_deref(),
        Some("xl/charts/chart2.xml")
    );
    assert!(
        unread[1].message.contains("no chartSpace element"),
        "{}",
        unread[1].message
    );
    // The sheet is read all the same.
    let small = errors(&found, "small-count");
    assert_eq!(small.len(), 1, "{found:#?}");
    assert_eq!(small[0].location.cell.as_deref(), Some("D8"));
}

#[test]
fn a_chart_cache_the_referenced_cells_do_not_hold_is_hidden_series_by_series() {
    let (verdict, found) = findings("chart_stale_cache.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let part = Some("xl/charts/chart1.xml");
    let hidden = of_rule(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].severity, Severity::Error);
    assert_eq!(hidden[0].location.member.as_deref(), part);
    assert!(
        hidden[0].message.contains(
            "series 'Men' in xl/charts/chart1.xml (data the referenced cells do not hold)"
        ),
        "{}",
        hidden[0].message
    );
    let small = errors(&found, "small-count");
    assert_eq!(small.len(), 1, "{found:#?}");
    assert_eq!(small[0].location.member.as_deref(), part);
    assert_eq!(small[0].location.cell.as_deref(), Some("B5"));
}

/// Writes a workbook with a 50,000-point scatter chart for timing the chart reader (never
/// checked in): `EXPORT_CHECK_LARGE_CHART=/tmp/chart cargo test --release --test workbooks --
/// --ignored large_chart`, then `/usr/bin/time -v target/release/export-check /tmp/chart`.
#[test]
#[ignore]
fn large_chart_for_measuring_time_and_memory() {
    let Some(dir) = std::env::var_os("EXPORT_CHECK_LARGE_CHART") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("scatter_50000.xlsx"), scatter_workbook(50_000)).unwrap();
}

#[test]
fn a_histogram_chart_extension_of_four_hundred_values_fails_at_its_part() {
    let (verdict, found) = findings("chart_histogram_of_values.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let embedded = of_rule(&found, "embedded-data");
    assert_eq!(embedded.len(), 1, "{found:#?}");
    assert_eq!(embedded[0].severity, Severity::Error);
    assert_eq!(
        embedded[0].location.member.as_deref(),
        Some("xl/charts/chartEx1.xml")
    );
    assert_eq!(embedded[0].location.sheet.as_deref(), Some("Values"));
    assert!(
        embedded[0]
            .message
            .starts_with("Excel chart: series 'Measurement' draws 400 markers"),
        "{}",
        embedded[0].message
    );
    assert!(of_rule(&found, "hidden-content").is_empty(), "{found:#?}");
}

#[test]
fn a_scatter_chart_on_a_chartsheet_is_read_and_located_at_the_chartsheet() {
    let (verdict, found) = findings("chart_on_a_chartsheet.xlsx");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let embedded = of_rule(&found, "embedded-data");
    assert_eq!(embedded.len(), 1, "{found:#?}");
    assert_eq!(embedded[0].severity, Severity::Error);
    assert_eq!(
        embedded[0].location.member.as_deref(),
        Some("xl/charts/chart1.xml")
    );
    assert_eq!(embedded[0].location.sheet.as_deref(), Some("Scatter"));
    assert!(
        embedded[0].message.contains("draws 60 markers"),
        "{}",
        embedded[0].message
    );
    assert!(of_rule(&found, "hidden-content").is_empty(), "{found:#?}");
}

#[test]
fn a_clean_legacy_workbook_passes_in_the_mini_stream_and_in_regular_sectors() {
    for name in ["legacy_clean.xls", "legacy_clean_large_stream.xls"] {
        let (verdict, found) = findings(name);
        assert_eq!(verdict, Verdict::Pass, "{name}: {found:#?}");
        assert!(
            found.iter().all(|f| f.rule != "hidden-content"),
            "{name}: {found:#?}"
        );
    }
}

#[test]
fn a_legacy_workbook_with_a_hidden_sheet_of_person_rows_fails() {
    let (verdict, found) = findings("legacy_hidden_person_sheet.xls");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.sheet.as_deref(), Some("Data"));
    assert!(!errors(&found, "micro-data").is_empty(), "{found:#?}");
}

#[test]
fn a_legacy_comment_with_a_person_number_fails_at_its_cell() {
    let (verdict, found) = findings("legacy_comment_with_id.xls");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let ids = errors(&found, "person-id");
    assert_eq!(ids.len(), 1, "{found:#?}");
    assert_eq!(
        ids[0].location.member.as_deref(),
        Some("comments on sheet 'Summary'")
    );
    assert_eq!(ids[0].location.line, Some(1));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.sheet.as_deref(), Some("Summary"));
    assert_eq!(hidden[0].location.cell.as_deref(), Some("B4"));
    assert!(!hidden[0].message.contains("3533"), "{}", hidden[0].message);
}

#[test]
fn legacy_hidden_rows_and_columns_are_named_at_the_first_of_each() {
    let (verdict, found) = findings("legacy_hidden_rows_columns.xls");
    assert_eq!(verdict, Verdict::Review, "{found:#?}");
    let hidden: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "hidden-content")
        .map(|f| (f.severity, f.location.row, f.location.column))
        .collect();
    assert_eq!(
        hidden,
        [
            (Severity::Warning, None, Some(3)),
            (Severity::Warning, Some(6), None)
        ],
        "{found:#?}"
    );
}

#[test]
fn a_legacy_text_box_is_read_as_shown_text() {
    let (verdict, found) = findings("legacy_text_box_with_id.xls");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let ids = errors(&found, "person-id");
    assert_eq!(ids.len(), 1, "{found:#?}");
    assert_eq!(
        ids[0].location.member.as_deref(),
        Some("text boxes on sheet 'Summary'")
    );
    // A text box is on the sheet for everyone to see: not a hidden part.
    assert!(
        found.iter().all(|f| f.rule != "hidden-content"),
        "{found:#?}"
    );
}

#[test]
fn legacy_embedded_objects_and_pivot_caches_are_hidden_and_read_where_they_can_be() {
    let (verdict, found) = findings("legacy_embedded_objects.xls");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    // The embedded workbook package is checked as a file: its small count is found inside it.
    the_deaths_small_count(&found);
    let members: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "hidden-content")
        .filter_map(|f| f.location.member.clone())
        .collect();
    for m in ["MBD0001A2B3/Package", "MBD0001A2B4", "_SX_DB_CUR"] {
        assert!(members.iter().any(|x| x == m), "{m}: {found:#?}");
    }
    // What is flagged inside the embedded package makes that hidden part an error.
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(
        hidden[0].location.member.as_deref(),
        Some("MBD0001A2B3/Package")
    );
    let unchecked: Vec<_> = found
        .iter()
        .filter(|f| f.message.contains("not read by this version"))
        .filter_map(|f| f.location.member.clone())
        .collect();
    assert!(unchecked.contains(&"MBD0001A2B4".to_string()), "{found:#?}");
    assert!(unchecked.contains(&"_SX_DB_CUR".to_string()), "{found:#?}");
}

#[test]
fn a_legacy_workbook_cut_short_is_not_passed() {
    let (verdict, found) = findings("legacy_truncated.xls");
    assert_ne!(verdict, Verdict::Pass, "{found:#?}");
    assert!(
        found.iter().any(|f| f.severity == Severity::Error),
        "{found:#?}"
    );
}

#[test]
fn legacy_cells_written_as_excel_writes_them_are_read_where_they_stand() {
    // Shared strings, RK and MULRK numbers, formula results: the count of 3 is a formula's
    // cached value at B4; the hidden sheet is read too.
    let (verdict, found) = findings("legacy_cell_records.xls");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let small: Vec<_> = found.iter().filter(|f| f.rule == "small-count").collect();
    assert_eq!(small.len(), 1, "{found:#?}");
    assert_eq!(small[0].location.sheet.as_deref(), Some("Admissions"));
    assert_eq!(small[0].location.cell.as_deref(), Some("B4"));
    assert!(
        found
            .iter()
            .any(|f| f.rule == "hidden-content" && f.location.sheet.as_deref() == Some("Codes")),
        "{found:#?}"
    );
    // Nothing of the chart nested in the sheet is read as a cell, and nothing is unchecked.
    assert!(!found.iter().any(|f| f.rule == "unreadable"), "{found:#?}");
}

#[test]
fn legacy_sheets_spread_over_the_whole_grid_are_read_cell_by_cell() {
    // Each of the forty sheets has its table read, and the note in its last cell with it;
    // nothing is unchecked (a reader filling each sheet's span would hold 670 million cells).
    let (verdict, found) = findings("legacy_sparse_sheets.xls");
    assert_eq!(verdict, Verdict::Pass, "{found:#?}");
    let sheets: std::collections::BTreeSet<_> = found
        .iter()
        .filter(|f| f.rule == "back-calculation")
        .filter_map(|f| f.location.sheet.clone())
        .collect();
    assert_eq!(sheets.len(), 40, "{found:#?}");
}

#[test]
fn a_legacy_sheet_whose_records_end_inside_it_is_unchecked_not_passed() {
    let (verdict, found) = findings("legacy_sheet_without_end.xls");
    assert_ne!(verdict, Verdict::Pass, "{found:#?}");
    let unchecked: Vec<_> = found
        .iter()
        .filter(|f| f.location.member.as_deref() == Some("Workbook"))
        .collect();
    assert_eq!(unchecked.len(), 1, "{found:#?}");
    assert_eq!(unchecked[0].severity, Severity::Error, "{found:#?}");
    assert!(
        unchecked[0].message.contains("ends inside a sheet"),
        "{}",
        unchecked[0].message
    );
}

#[test]
fn an_ods_scatter_chart_object_of_typed_points_is_embedded_data() {
    let (verdict, found) = findings("ods_scatter_chart_object.ods");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let embedded = errors(&found, "embedded-data");
    assert_eq!(embedded.len(), 1, "{found:#?}");
    assert_eq!(embedded[0].location.member.as_deref(), Some("Object 1"));
    // The chart's own data is held only in the object: a hidden part, an error for what it holds.
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
}

// XLSB workbooks: BIFF12 packages written by `common::xlsb`, their cells read by calamine and
// their hidden rows, columns and comments by the tool's own reader of the records.

use common::xlsb::{self as binary, Value};
use export_check::ident::{generate, IdKind};

/// An XLSX fixture sheet as an XLSB one (its cells, hidden rows and comments).
fn binary_sheet(s: &Sheet) -> binary::Sheet {
    let at = |r: &str| {
        let letters = r.trim_end_matches(|c: char| c.is_ascii_digit());
        let col = letters
            .bytes()
            .fold(0, |n, b| n * 26 + u32::from(b - b'A') + 1);
        (row_of(r), col)
    };
    let cells = s
        .cells
        .iter()
        .map(|(r, v)| {
            let (row, col) = at(r);
            let value = match v {
                V::S(t) => Value::Text(t.to_string()),
                V::N(n) => Value::Number(*n),
                V::E(_) => panic!("the XLSB writer has no error cells"),
            };
            (row, col, value)
        })
        .collect();
    let mut out = binary::Sheet::new(s.name, cells);
    out.hidden_rows = s.hidden_rows.clone();
    out.comments = s
        .comments
        .iter()
        .map(|(r, t)| (at(r).0, at(r).1, t.to_string()))
        .collect();
    out
}

/// A made-up Finnish person number with a valid check character.
fn hetu() -> String {
    generate::valid(IdKind::FinnishHetu, 41)
}

/// The summary sheet with a comment at B4 naming a person.
fn summary_with_comment() -> binary::Sheet {
    let mut s = binary_sheet(&summary());
    s.comments = vec![(4, 2, format!("Henkilötunnus {} tarkistettu käsin", hetu()))];
    s
}

/// The parts of a clean summary workbook with its sheet part cut: `keep` says how many bytes of
/// it are left.
fn cut_sheet(keep: impl Fn(usize) -> usize) -> Vec<u8> {
    let mut parts = binary::parts(&[binary_sheet(&summary())]);
    for (name, bytes) in &mut parts {
        if name == "xl/worksheets/sheet1.bin" {
            bytes.truncate(keep(bytes.len()));
        }
    }
    binary::package(&parts)
}

fn xlsb_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let mut hidden = binary_sheet(&summary());
    hidden.hidden_rows = vec![6, 7];
    hidden.hidden_cols = vec![3];
    let orphan = {
        let mut parts = binary::parts(&[summary_with_comment()]);
        parts.retain(|(name, _)| name != "xl/worksheets/_rels/sheet1.bin.rels");
        binary::package(&parts)
    };
    vec![
        (
            "cases/workbooks/clean.xlsb",
            binary::xlsb(&[binary_sheet(&summary())]),
        ),
        (
            "cases/workbooks/small_count.xlsb",
            binary::xlsb(&[binary_sheet(&small_count())]),
        ),
        (
            "cases/workbooks/hidden_rows_columns.xlsb",
            binary::xlsb(&[hidden]),
        ),
        (
            "cases/workbooks/comment_with_id.xlsb",
            binary::xlsb(&[summary_with_comment()]),
        ),
        ("cases/workbooks/orphan_comment_with_id.xlsb", orphan),
        // Cut in the middle of its cells: calamine stops there too.
        ("cases/workbooks/truncated_sheet.xlsb", cut_sheet(|n| n / 2)),
        // Cut inside the closing record, after every cell: calamine reads all the cells.
        (
            "cases/workbooks/sheet_cut_after_cells.xlsb",
            cut_sheet(|n| n - 1),
        ),
    ]
}

#[test]
fn xlsb_fixtures_are_current() {
    assert_fixtures_current(&xlsb_fixtures());
}

#[test]
fn a_clean_xlsb_passes() {
    let (verdict, found) = findings("clean.xlsb");
    assert_eq!(verdict, Verdict::Pass, "{found:#?}");
}

#[test]
fn an_xlsb_small_count_is_found_at_its_sheet_and_cell() {
    let (verdict, found) = findings("small_count.xlsb");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    the_deaths_small_count(&found);
}

#[test]
fn xlsb_hidden_rows_and_columns_are_named_by_sheet_row_and_column() {
    let (verdict, found) = findings("hidden_rows_columns.xlsb");
    assert_eq!(verdict, Verdict::Review, "{found:#?}");
    let hidden = of_rule(&found, "hidden-content");
    assert_eq!(hidden.len(), 2, "{found:#?}");
    assert!(hidden.iter().all(|f| f.severity == Severity::Warning));
    assert!(hidden
        .iter()
        .all(|f| f.location.sheet.as_deref() == Some("Summary")));
    let rows: Vec<_> = hidden.iter().filter(|f| f.location.row.is_some()).collect();
    assert_eq!(rows.len(), 1, "{found:#?}");
    assert_eq!(rows[0].location.row, Some(6));
    assert!(
        rows[0].message.contains("hidden rows"),
        "{}",
        rows[0].message
    );
    let cols: Vec<_> = hidden
        .iter()
        .filter(|f| f.location.column.is_some())
        .collect();
    assert_eq!(cols.len(), 1, "{found:#?}");
    assert_eq!(cols[0].location.column, Some(3));
    assert!(
        cols[0].message.contains("hidden columns"),
        "{}",
        cols[0].message
    );
}

#[test]
fn an_xlsb_comment_with_a_person_number_fails_at_its_cell() {
    let (verdict, found) = findings("comment_with_id.xlsb");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let ids = errors(&found, "person-id");
    assert_eq!(ids.len(), 1, "{found:#?}");
    assert_eq!(ids[0].location.member.as_deref(), Some("xl/comments1.bin"));
    assert_eq!(ids[0].location.line, Some(1));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.sheet.as_deref(), Some("Summary"));
    assert_eq!(hidden[0].location.cell.as_deref(), Some("B4"));
    assert_eq!(
        hidden[0].location.member.as_deref(),
        Some("xl/comments1.bin")
    );
    let id = hetu();
    assert!(found.iter().all(|f| !f.message.contains(&id)), "{found:#?}");
    // The comment's author is not read as text.
    assert!(
        found.iter().all(|f| !f.message.contains("Analyst")),
        "{found:#?}"
    );
}

#[test]
fn an_xlsb_comments_part_no_sheet_links_to_is_read_too() {
    let (verdict, found) = findings("orphan_comment_with_id.xlsb");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let ids = errors(&found, "person-id");
    assert_eq!(ids.len(), 1, "{found:#?}");
    assert_eq!(ids[0].location.member.as_deref(), Some("xl/comments1.bin"));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert_eq!(hidden[0].location.sheet, None);
    assert_eq!(hidden[0].location.cell.as_deref(), Some("B4"));
}

/// The one `unreadable` error of a sheet part cut short names the part and its sheet.
fn cut_sheet_part(found: &[Finding]) {
    let unread: Vec<_> = errors(found, "unreadable")
        .into_iter()
        .filter(|f| f.location.member.is_some())
        .collect();
    assert_eq!(unread.len(), 1, "{found:#?}");
    assert_eq!(
        unread[0].location.member.as_deref(),
        Some("xl/worksheets/sheet1.bin")
    );
    assert_eq!(unread[0].location.sheet.as_deref(), Some("Summary"));
    assert!(
        unread[0].message.contains("cut short"),
        "{}",
        unread[0].message
    );
}

#[test]
fn an_xlsb_sheet_part_cut_short_is_unchecked_and_fails() {
    let (verdict, found) = findings("truncated_sheet.xlsb");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    cut_sheet_part(&found);
}

/// calamine stops at the end of the cells and never sees the rest of the part; the tool reads to
/// the closing record.
#[test]
fn an_xlsb_sheet_part_cut_after_its_cells_is_unchecked_and_fails() {
    let (verdict, found) = findings("sheet_cut_after_cells.xlsb");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    cut_sheet_part(&found);
    assert_eq!(
        errors(&found, "unreadable").len(),
        1,
        "calamine read every cell: {found:#?}"
    );
}

#[test]
fn a_legacy_external_reference_cache_of_person_rows_is_hidden_and_read() {
    let (verdict, found) = findings("legacy_external_cache.xls");
    assert_eq!(verdict, Verdict::Fail, "{found:#?}");
    let micro = errors(&found, "micro-data");
    assert!(!micro.is_empty(), "{found:#?}");
    assert!(micro
        .iter()
        .all(|f| f.location.member.as_deref() == Some("Workbook")));
    let hidden = errors(&found, "hidden-content");
    assert_eq!(hidden.len(), 1, "{found:#?}");
    assert!(
        hidden[0].message.contains("external link"),
        "{}",
        hidden[0].message
    );
    // The workbook's own sheet raises nothing to review.
    assert!(
        found
            .iter()
            .all(|f| f.location.sheet.as_deref() != Some("Summary") || f.severity == Severity::Info),
        "{found:#?}"
    );
}
