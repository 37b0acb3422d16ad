//! Documents: Word (DOCX), PowerPoint (PPTX), OpenDocument text and presentations (ODT, ODP)
//! and RTF. Their tables become tables through the grid builder, so every table rule applies as
//! to a CSV; their paragraphs become text, numbered by paragraph; what a reader of the document
//! does not see (comments, tracked deletions, hidden text, hidden slides) is read like the rest
//! and reported as hidden; embedded files are members.

use std::io::{Cursor, Read, Seek};

use zip::ZipArchive;

use crate::detect::Format;
use crate::model::{Document, Figure, Table, Text, TextKind};
use crate::read::{ReadError, Readers, Source};
use crate::table::grid::{Builder, GridRow};

pub mod odf;
pub mod ooxml;
pub mod package;
pub mod rtf;
pub mod wordml;
pub mod xml;

use package::Package;
use wordml::Parsed;

/// Read a document of a detected format.
pub fn read(
    format: Format,
    source: Source<'_>,
    readers: &Readers<'_>,
) -> Result<Document, ReadError> {
    match (format, source) {
        (Format::Rtf, source) => rtf::read(source, readers),
        (_, Source::Bytes(bytes)) => read_zip(format, zip(Cursor::new(bytes))?, readers),
        (_, Source::Stream { path, .. }) => {
            read_zip(format, zip(std::fs::File::open(path)?)?, readers)
        }
    }
}

fn zip<R: Read + Seek>(reader: R) -> Result<ZipArchive<R>, ReadError> {
    ZipArchive::new(reader).map_err(|e| ReadError::Parse(e.to_string()))
}

/// Read an office package of a detected format (an ODF presentation comes as a zip).
pub fn read_zip<R: Read + Seek>(
    format: Format,
    zip: ZipArchive<R>,
    readers: &Readers<'_>,
) -> Result<Document, ReadError> {
    let mut pkg = Package::new(zip)?;
    let mut out = Out::new(readers);
    match format {
        Format::Docx => ooxml::docx(&mut pkg, &mut out),
        Format::Pptx => ooxml::pptx(&mut pkg, &mut out),
        _ => odf::read(&mut pkg, &mut out),
    }
    Ok(out.finish(pkg.doc))
}

/// Whether a zip is an OpenDocument presentation (its `mimetype` part says so).
pub fn is_odf_presentation<R: Read + Seek>(zip: &mut ZipArchive<R>) -> bool {
    let Ok(file) = zip.by_name("mimetype") else {
        return false;
    };
    let mut head = Vec::new();
    if file.take(128).read_to_end(&mut head).is_err() {
        return false;
    }
    head.starts_with(b"application/vnd.oasis.opendocument.presentation")
}

/// The texts, tables and figures read so far, each under the member name of its part.
pub struct Out<'a> {
    builder: Builder<'a>,
    texts: Vec<Text>,
    tables: Vec<Table>,
    figures: Vec<Figure>,
    /// Cached chart values that the charts of the file may still hold.
    pub chart_budget: usize,
}

impl<'a> Out<'a> {
    pub fn new(readers: &Readers<'a>) -> Out<'a> {
        Out {
            builder: Builder {
                parser: readers.parser,
                lexicon: readers.lexicon,
                style: None,
            },
            texts: Vec::new(),
            tables: Vec::new(),
            figures: Vec::new(),
            chart_budget: crate::read::workbook::MAX_HELD_VALUES,
        }
    }

    /// A figure (a chart of the document), located at its part.
    pub fn figure(&mut self, figure: Figure) {
        self.figures.push(figure);
    }

    /// Lines of text under a member name (none: the document's body).
    pub fn lines(&mut self, member: Option<&str>, lines: Vec<(u32, String)>) {
        if lines.iter().all(|(_, l)| l.trim().is_empty()) {
            return;
        }
        let mut text = Text::new(TextKind::Output, lines);
        text.member = member.map(str::to_string);
        self.texts.push(text);
    }

    /// A table's grid under a member name.
    pub fn table(&mut self, member: Option<&str>, rows: &[GridRow]) {
        self.tables.extend(self.builder.tables(rows, member, None));
    }

    /// A part's paragraphs and tables under a member name; its deleted and hidden text (the
    /// caller reports them hidden) is left out.
    pub fn part_as(&mut self, member: Option<&str>, p: Parsed) {
        self.lines(member, p.paragraphs);
        for rows in &p.tables {
            self.table(member, rows);
        }
    }

    /// Everything a part holds under one member name: a part that is hidden as a whole, or a
    /// slide.
    pub fn part(&mut self, member: &str, p: Parsed) {
        let mut lines = p.paragraphs;
        lines.extend(p.deleted);
        lines.extend(p.hidden);
        lines.sort_by_key(|(n, _)| *n);
        self.lines(Some(member), lines);
        for rows in &p.tables {
            self.table(Some(member), rows);
        }
    }

    /// The document: the package's facts and members with the texts, tables and figures read,
    /// tables numbered from 1 within each member.
    pub fn finish(self, mut doc: Document) -> Document {
        let mut tables = self.tables;
        let mut counts: std::collections::HashMap<Option<String>, u32> = Default::default();
        for t in &mut tables {
            let n = counts.entry(t.member.clone()).or_insert(0);
            *n += 1;
            t.index = *n;
        }
        doc.texts = self.texts;
        doc.tables = tables;
        doc.figures.extend(self.figures);
        doc
    }
}
