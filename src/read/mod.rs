//! Readers: one per format family, each turning a file into the neutral [`Document`]. Readers
//! know nothing of thresholds.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use thiserror::Error;

use crate::decode::{decode, decoding_reader, sniff_encoding, DecodeError};
use crate::detect::Format;
use crate::model::{Document, Fact, FactKind, Row, Table, Text, TextKind};
use crate::table::cell::CellParser;
use crate::table::classify::Lexicon;
use crate::table::grid::{Builder, GridRow};

mod acro_results;
pub mod archive;
pub mod delimited;
pub mod document;
pub mod figure;
pub mod html;
pub mod image;
pub mod json;
pub mod log;
pub mod notebook;
pub mod opc;
pub mod pdf;
pub mod svg;
pub mod workbook;

#[derive(Debug, Error)]
pub enum ReadError {
    #[error("{0}")]
    Parse(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Decode(#[from] DecodeError),
}

/// Files up to this size are read whole; larger ones stream in bounded memory.
pub const IN_MEMORY_LIMIT: u64 = 32 * 1024 * 1024;

/// Delimited tables larger than this stream their rows instead of being held whole: a parsed
/// table takes tens of times its size in memory (a 20 MiB CSV held whole peaked at 1.8 GiB).
pub const TABLE_IN_MEMORY_LIMIT: u64 = 4 * 1024 * 1024;

/// Rows of a large table read into memory to learn its layout before the rest streams past.
pub const SAMPLE_ROWS: usize = 5_000;

/// What a reader gets: the file's bytes when it is small, else its path for streaming.
pub enum Source<'a> {
    Bytes(&'a [u8]),
    Stream { path: &'a Path, head: &'a [u8] },
}

/// The parts every table reader shares.
pub struct Readers<'a> {
    pub parser: &'a CellParser,
    pub lexicon: &'a Lexicon,
}

/// What streams past a reader of a large file without being kept: rows of a large table, and
/// chunks of lines of a large text.
pub enum Streamed<'a> {
    Row(&'a Table, &'a Row),
    Text(&'a Text),
}

/// Lines of a large text handed to the sink at a time.
pub const TEXT_CHUNK_LINES: usize = 50_000;

/// Read a file of a detected format into a document. What streams past a reader of a large file
/// is handed to `sink` and not kept.
pub fn read(
    format: Format,
    source: Source<'_>,
    readers: &Readers<'_>,
    sink: &mut dyn FnMut(Streamed<'_>),
) -> Result<Document, ReadError> {
    match format {
        Format::Csv | Format::Tsv | Format::Text => read_delimited(format, source, readers, sink),
        Format::Code => read_code(source),
        Format::Markdown => read_markdown(source, readers),
        Format::Log | Format::Listing => log::read(source, readers),
        Format::Zip | Format::Tar | Format::Gzip | Format::Bzip2 | Format::Xz => {
            archive::read(format, source, readers)
        }
        Format::Docx | Format::Pptx | Format::Odt | Format::Rtf => {
            document::read(format, source, readers)
        }
        Format::Svg => svg::read(source, readers),
        Format::Pdf => pdf::read(source, readers),
        Format::Png | Format::Jpeg | Format::Gif | Format::Tiff | Format::Webp | Format::Bmp => {
            image::read(format, source, readers)
        }
        Format::Notebook => notebook::read(source, readers),
        Format::Html => html::read(source, readers),
        Format::Json => json::read(source, readers),
        Format::Xlsx | Format::Xls | Format::Ods => workbook::read(source, readers, sink),
        _ => Ok(not_read_yet()),
    }
}

/// Whether a file whose content contradicts its name is read as what it really is: text formats
/// are; a renamed container or binary is not opened.
pub fn reads_renamed(format: Format) -> bool {
    matches!(format, Format::Csv | Format::Tsv | Format::Text)
}

/// Program code: its lines, as text (the `code-literal` rule reads them). A program too large
/// to hold is read through and its lines are not checked; that is said in a notice.
fn read_code(source: Source<'_>) -> Result<Document, ReadError> {
    match source {
        Source::Bytes(bytes) => Ok(text_document(&decode(bytes)?.text, TextKind::Code)),
        Source::Stream { .. } => Ok(Document {
            facts: vec![Fact::whole(FactKind::CodeTooLarge {
                limit_mib: IN_MEMORY_LIMIT / (1024 * 1024),
            })],
            ..Document::default()
        }),
    }
}

/// Markdown (a README, methods notes): its lines as text, its pipe tables (`| a | b |` over
/// `|---|---|`) and tables aligned with spaces as tables. Too large to hold, it is read through
/// and its lines are not checked, which a notice says.
fn read_markdown(source: Source<'_>, readers: &Readers<'_>) -> Result<Document, ReadError> {
    let Source::Bytes(bytes) = source else {
        return read_code(source);
    };
    let text = decode(bytes)?.text;
    let mut doc = text_document(&text, TextKind::Output);
    let builder = Builder {
        parser: readers.parser,
        lexicon: readers.lexicon,
        style: None,
    };
    let mut block: Vec<GridRow> = Vec::new();
    let mut block_lines: Vec<usize> = Vec::new();
    let mut tables = Vec::new();
    // Lines read as a pipe table (its rule line too): the tables aligned with spaces do not read
    // them again.
    let mut taken: HashSet<usize> = HashSet::new();
    let mut flush = |block: &mut Vec<GridRow>, lines: &mut Vec<usize>, tables: &mut Vec<Table>| {
        if block.len() >= 2 {
            tables.extend(builder.tables(block, None, None));
            if block.iter().all(|r| r.cells.len() >= 2) {
                taken.extend(lines.iter().copied());
            }
        }
        block.clear();
        lines.clear();
    };
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        let no = i as u32 + 1;
        if t.starts_with('|') && t.len() > 1 {
            block_lines.push(i);
            let inner = t.trim_start_matches('|').trim_end_matches('|');
            let cells: Vec<String> = inner.split('|').map(|c| c.trim().to_string()).collect();
            let rule = cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
            if !rule {
                block.push(GridRow {
                    row: no,
                    line: Some(no),
                    cells,
                });
            }
        } else {
            flush(&mut block, &mut block_lines, &mut tables);
        }
    }
    flush(&mut block, &mut block_lines, &mut tables);
    let mut rest = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if !taken.contains(&i) {
            rest.push_str(line);
        }
        rest.push('\n');
    }
    tables.extend(log::text_tables(&rest, readers));
    for (k, t) in tables.iter_mut().enumerate() {
        t.index = k as u32 + 1;
    }
    doc.tables = tables;
    Ok(doc)
}

/// A document that says its format is not read by this version.
fn not_read_yet() -> Document {
    Document {
        facts: vec![Fact::whole(FactKind::NotReadYet)],
        ..Document::default()
    }
}

fn read_delimited(
    format: Format,
    source: Source<'_>,
    readers: &Readers<'_>,
    sink: &mut dyn FnMut(Streamed<'_>),
) -> Result<Document, ReadError> {
    let default_dialect = match format {
        Format::Tsv => Some(delimited::Dialect {
            delimiter: b'\t',
            quote: b'"',
        }),
        Format::Csv => Some(delimited::Dialect {
            delimiter: b',',
            quote: b'"',
        }),
        _ => None,
    };
    match source {
        Source::Bytes(bytes) => {
            let decoded = decode(bytes)?;
            let text = decoded.text;
            let dialect = delimited::sniff(&text).or(default_dialect);
            let Some(dialect) = dialect else {
                let mut doc = text_document(&text, TextKind::Output);
                if let Some(rows) = delimited::whitespace_numbers(&text) {
                    let builder = Builder {
                        parser: readers.parser,
                        lexicon: readers.lexicon,
                        style: None,
                    };
                    doc.tables = builder.tables(&rows, None, None);
                } else {
                    // Tables aligned with spaces, as a program prints them.
                    doc.tables = log::text_tables(&text, readers);
                }
                return Ok(doc);
            };
            let rows = delimited::grid(&text, dialect)?;
            let builder = Builder {
                parser: readers.parser,
                lexicon: readers.lexicon,
                style: delimited::style_hint(dialect),
            };
            Ok(Document {
                tables: builder.tables(&rows, None, None),
                ..Document::default()
            })
        }
        Source::Stream { path, head } => {
            let encoding = sniff_encoding(head);
            // Sniff on the decoded head.
            let (head_text, _, _) = encoding.decode(head);
            let dialect = delimited::sniff(&head_text).or(default_dialect);
            let file = File::open(path)?;
            let reader = decoding_reader(BufReader::new(file), encoding);
            let Some(dialect) = dialect else {
                return read_text_stream(reader, sink);
            };
            let builder = Builder {
                parser: readers.parser,
                lexicon: readers.lexicon,
                style: delimited::style_hint(dialect),
            };
            let tables = delimited::stream(reader, dialect, &builder, SAMPLE_ROWS, &mut |t, r| {
                sink(Streamed::Row(t, r))
            })?;
            Ok(Document {
                tables,
                ..Document::default()
            })
        }
    }
}

fn text_document(text: &str, kind: TextKind) -> Document {
    Document {
        texts: vec![Text::of(kind, text)],
        ..Document::default()
    }
}

/// A large text that is not a table: its lines go to `sink` in chunks of
/// [`TEXT_CHUNK_LINES`], with their line numbers, so that the text rules see every line in
/// bounded memory.
fn read_text_stream<R: std::io::Read>(
    reader: R,
    sink: &mut dyn FnMut(Streamed<'_>),
) -> Result<Document, ReadError> {
    use std::io::BufRead;
    let mut r = std::io::BufReader::new(reader);
    let mut line = String::new();
    let mut chunk: Vec<(u32, String)> = Vec::new();
    let mut number: u32 = 0;
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            break;
        }
        number = number.saturating_add(1);
        let l = line.trim_end_matches(['\n', '\r']);
        // A line of over 64 KiB is cut: the rules look at identifiers and listings, not at
        // megabyte-long lines.
        let l = match l.char_indices().nth(65_536) {
            Some((i, _)) => &l[..i],
            None => l,
        };
        chunk.push((number, l.to_string()));
        if chunk.len() >= TEXT_CHUNK_LINES {
            sink(Streamed::Text(&Text::new(
                TextKind::Output,
                std::mem::take(&mut chunk),
            )));
        }
    }
    if !chunk.is_empty() {
        sink(Streamed::Text(&Text::new(TextKind::Output, chunk)));
    }
    Ok(Document::default())
}
