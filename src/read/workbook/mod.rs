//! Workbooks: XLSX, XLSM, XLSB, XLS (BIFF) and ODS. calamine reads every sheet's cells by their
//! cached values ([`sheets`]), except a legacy workbook's, which are read record by record
//! ([`xls`]: calamine would hold the workbook whole, every sheet as a dense range); the zip package of an XLSX or XLSM gives what calamine does not
//! read ([`parts`]), and so do the binary records of an XLSB package (its hidden rows, columns
//! and comments, [`xlsb`]; its embedded objects and macros as in [`parts`]), an ODS package's
//! content ([`ods`]) and a legacy workbook's record stream and compound file ([`biff`],
//! [`cfb`]). A zip package is checked against its limits before anything in it expands
//! ([`package`]); a workbook that cannot be opened is an error of the reader, which the check
//! reports as unreadable.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};

use calamine::{Ods, Reader, Sheets, Xlsb, Xlsx};

use crate::model::{Document, Fact, FactKind, Location, Unreadable};
use crate::read::{ReadError, Readers, Source, Streamed};
use crate::table::grid::Builder;

pub(crate) mod acro;
mod biff;
mod cfb;
mod charts;
mod layout;
mod ods;
mod package;
mod parts;
mod sheets;
mod values;
mod xls;
mod xlsb;
mod xml;

use package::{Package, Refused};
use xls::{XlsBook, XlsError};

/// A chart part of a Word or PowerPoint package, read as a workbook's chart is.
pub(crate) use charts::{chart_file, figure_of_chart_xml, MAX_HELD_VALUES};

/// What a workbook is, from its bytes and parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// Read a workbook of any of the families into a document.
pub fn read(
    source: Source<'_>,
    readers: &Readers<'_>,
    sink: &mut dyn FnMut(Streamed<'_>),
) -> Result<Document, ReadError> {
    match source {
        Source::Bytes(bytes) => read_from(|| Ok(Cursor::new(bytes)), readers, sink),
        Source::Stream { path, .. } => {
            read_from(|| Ok(BufReader::new(File::open(path)?)), readers, sink)
        }
    }
}

fn read_from<R: Read + Seek>(
    open: impl Fn() -> std::io::Result<R>,
    readers: &Readers<'_>,
    sink: &mut dyn FnMut(Streamed<'_>),
) -> Result<Document, ReadError> {
    let mut doc = Document::default();
    let mut head = [0u8; 8];
    let n = read_head(&mut open()?, &mut head)?;
    let mut package = None;
    let kind = if head[..n].starts_with(b"PK") {
        let (pkg, encrypted) = match Package::open(open()?) {
            Ok(p) => p,
            Err(Refused::Broken) => {
                return Err(ReadError::Parse(
                    "the workbook is not a readable zip package (damaged or cut short)".into(),
                ))
            }
            Err(Refused::Limit(what)) => {
                doc.facts
                    .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                        what,
                    ))));
                return Ok(doc);
            }
        };
        for part in encrypted {
            doc.facts.push(Fact {
                location: Location {
                    member: Some(part.clone()),
                    ..Location::default()
                },
                kind: FactKind::Unchecked {
                    part: format!("part {part}"),
                    why: "it is encrypted".into(),
                },
            });
        }
        let kind = if pkg.has("xl/workbook.bin") {
            Kind::Xlsb
        } else if pkg.has("xl/workbook.xml") {
            Kind::Xlsx
        } else if pkg.has("content.xml") {
            Kind::Ods
        } else {
            return Err(ReadError::Parse(
                "the zip package holds no workbook part".into(),
            ));
        };
        package = Some(pkg);
        kind
    } else if head[..n].starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Kind::Xls
    } else {
        return Err(ReadError::Parse("the content is not a workbook".into()));
    };
    let builder = Builder {
        parser: readers.parser,
        lexicon: readers.lexicon,
        style: None,
    };
    if kind == Kind::Xls {
        let mut book = match XlsBook::open(open()?) {
            Ok(b) => b,
            Err(XlsError::Limit(what)) => {
                doc.facts
                    .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                        what.into(),
                    ))));
                return Ok(doc);
            }
            Err(XlsError::Encrypted) => {
                return Err(ReadError::Parse(XlsError::Encrypted.to_string()))
            }
            Err(_) => {
                return Err(ReadError::Parse(
                    "the XLS workbook could not be opened".into(),
                ))
            }
        };
        sheets::read_sheets(&mut book, &builder, sink, &mut doc.tables, &mut doc.facts);
        if book.has_macros() {
            macros_of_xls(&mut doc);
        }
        biff::read_parts(open()?, &builder, &mut doc);
        return Ok(doc);
    }
    let mut book = open_book(kind, open()?)?;
    sheets::read_sheets(&mut book, &builder, sink, &mut doc.tables, &mut doc.facts);
    match (kind, package.as_mut()) {
        (Kind::Xlsx, Some(pkg)) => parts::read_parts(pkg, &builder, &mut doc),
        (Kind::Xlsb, Some(pkg)) => {
            xlsb::read_parts(pkg, &mut doc);
            parts::objects(pkg, &mut doc);
        }
        (Kind::Ods, Some(pkg)) => ods::read_parts(pkg, &builder, &mut doc),
        _ => {}
    }
    // The streamed table, if any, is the last one read; the tables in memory keep their order.
    Ok(doc)
}

fn read_head<R: Read>(r: &mut R, head: &mut [u8]) -> Result<usize, ReadError> {
    let mut n = 0;
    while n < head.len() {
        let k = r.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}

fn open_book<R: Read + Seek>(kind: Kind, r: R) -> Result<Sheets<R>, ReadError> {
    let failed = |what: &str| ReadError::Parse(format!("the {what} workbook could not be opened"));
    Ok(match kind {
        Kind::Xlsx => Sheets::Xlsx(Xlsx::new(r).map_err(|_| failed("XLSX"))?),
        Kind::Xlsb => Sheets::Xlsb(Xlsb::new(r).map_err(|_| failed("XLSB"))?),
        Kind::Xls => return Err(failed("XLS")),
        Kind::Ods => Sheets::Ods(Ods::new(r).map_err(|_| failed("ODS"))?),
    })
}

/// A macro project of a legacy workbook: hidden, and not read.
fn macros_of_xls(doc: &mut Document) {
    {
        let here = Location {
            member: Some("_VBA_PROJECT_CUR".into()),
            ..Location::default()
        };
        doc.facts.push(Fact {
            location: here.clone(),
            kind: FactKind::Hidden {
                part: "macro project (VBA)".into(),
                scope: here.clone(),
            },
        });
        doc.facts.push(Fact {
            location: here,
            kind: FactKind::Unchecked {
                part: "macro project".into(),
                why: "macro code is not read by this version".into(),
            },
        });
    }
}

#[cfg(test)]
mod tests {
    /// The reader's tables of a fixture, as the engine gets them.
    fn tables_of(name: &str) -> Vec<crate::model::Table> {
        crate::testutil::workbook_fixture(name).tables
    }

    #[test]
    fn tables_side_by_side_keep_their_sheet_columns_titles_and_notes() {
        let t = tables_of("clean_two_tables.xlsx");
        assert_eq!(t.len(), 2, "{t:#?}");
        assert!(t.iter().all(|t| t.sheet.as_deref() == Some("Tables")));
        assert_eq!(t[0].title, vec!["Table 1. Admissions by age"]);
        assert_eq!(t[0].notes, vec!["Source: synthetic register"]);
        assert_eq!(t[1].title, vec!["Table 2. Admissions by year"]);
        assert_eq!(t[1].index, 2);
        let cell = &t[1].rows[2].cells[1];
        assert_eq!(t[1].locate(cell).cell.as_deref(), Some("G6"));
        // The `#N/A` of a formula is text, not a count.
        let na = &t[0].rows[0].cells[2];
        assert_eq!(na.text, "#N/A");
        assert!(!matches!(na.value, crate::model::Value::Number(_)));
    }
}
