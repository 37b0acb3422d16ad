//! PDF documents, read with lopdf (pure Rust; chosen over pdf-extract because the text must
//! keep its position on the page to find the columns of a table, and lopdf hands over the
//! content operators with their operands; pdf-extract builds on lopdf and gives running text).
//!
//! Each page's content stream is interpreted far enough to place text (text and line matrices,
//! the current transformation) and to count what is painted: tiny identical paths or a marker
//! form drawn again and again (a vector scatter plot) are points of a series, paths through many
//! vertices are lines, large rectangles bars. Page text becomes a text named `page N`, with the
//! tables its aligned lines make. Embedded files (the `EmbeddedFiles` name tree, file
//! attachment annotations: every `EmbeddedFile` stream) become members checked as files, each
//! said hidden. An encrypted PDF is not read (see `docs/figures.md`).

use lopdf::content::Content;
use lopdf::{Dictionary, Document as Pdf, Encoding, Object, ObjectId};

use crate::model::{Document, Fact, FactKind, Figure, Location, Member, Unreadable};
use crate::read::figure::{drawn_path, text_and_tables, Item, Marks, Shape, Subpath, MARKER_SIZE};
use crate::read::{ReadError, Readers, Source};

/// Most pages read; past it the document is not passed.
pub const MAX_PAGES: usize = 2_000;

/// Most content operators read from one page.
pub const MAX_OPERATORS: usize = 2_000_000;

/// Most bytes a page's content or an embedded file may inflate to.
pub const MAX_STREAM: usize = 64 * 1024 * 1024;

/// Most embedded files taken out of one PDF.
pub const MAX_ATTACHMENTS: usize = 100;

/// Baselines closer than this (points) are one text line.
const LINE_TOLERANCE: f64 = 2.0;

/// Read a PDF file.
pub fn read(source: Source<'_>, readers: &Readers<'_>) -> Result<Document, ReadError> {
    let Source::Bytes(bytes) = source else {
        return Ok(limit("PDF too large to read".into()));
    };
    if contains(bytes, b"/Encrypt") {
        return Ok(Document {
            facts: vec![Fact::whole(FactKind::Unchecked {
                part: "PDF document".into(),
                why: "it is encrypted".into(),
            })],
            ..Document::default()
        });
    }
    let pdf = Pdf::load_mem(bytes).map_err(|e| ReadError::Parse(format!("PDF: {e}")))?;
    let mut doc = Document::default();
    let pages = pdf.get_pages();
    if pages.len() > MAX_PAGES {
        return Ok(limit(format!("more than {MAX_PAGES} pages")));
    }
    for (number, id) in pages {
        page(&pdf, number, id, readers, &mut doc);
    }
    attachments(&pdf, &mut doc);
    for (k, t) in doc.tables.iter_mut().enumerate() {
        t.index = k as u32 + 1;
    }
    Ok(doc)
}

fn limit(what: String) -> Document {
    Document {
        facts: vec![Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
            what,
        )))],
        ..Document::default()
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A 2-D affine transform `[a b c d e f]`, as PDF writes it.
#[derive(Debug, Clone, Copy)]
struct Matrix([f64; 6]);

impl Matrix {
    const ID: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` then `then`.
    fn then(self, then: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    fn translate(x: f64, y: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }
}

fn nums(ops: &[Object]) -> Vec<f64> {
    ops.iter()
        .filter_map(|o| match o {
            Object::Integer(i) => Some(*i as f64),
            Object::Real(r) => Some(f64::from(*r)),
            _ => None,
        })
        .collect()
}

fn matrix(ops: &[Object]) -> Option<Matrix> {
    let v = nums(ops);
    (v.len() == 6).then(|| Matrix([v[0], v[1], v[2], v[3], v[4], v[5]]))
}

/// The interpreter's state over one page.
struct Page<'a> {
    ctm: Matrix,
    stack: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    leading: f64,
    font: Option<&'a Encoding<'a>>,
    fill: String,
    path: Vec<Subpath>,
    items: Vec<Item>,
    marks: Marks,
}

/// Read one page: its text and what it paints.
fn page(pdf: &Pdf, number: u32, id: ObjectId, readers: &Readers<'_>, doc: &mut Document) {
    let member = format!("page {number}");
    let content = pdf
        .get_page_content_with_limit(id, MAX_STREAM)
        .map_err(|e| e.to_string())
        .and_then(|c| Content::decode(&c).map_err(|e| e.to_string()));
    let content = match content {
        Ok(c) => c,
        Err(_) => {
            doc.facts.push(Fact::whole(FactKind::Unchecked {
                part: member,
                why: "its content cannot be read".into(),
            }));
            return;
        }
    };
    if content.operations.len() > MAX_OPERATORS {
        doc.facts
            .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                format!("{member}: more than {MAX_OPERATORS} operators"),
            ))));
        return;
    }
    let encodings: Vec<(Vec<u8>, Encoding<'_>)> = pdf
        .get_page_fonts(id)
        .map(|fonts| {
            fonts
                .into_iter()
                .filter_map(|(name, font)| {
                    font.get_font_encoding_with_limit(pdf, MAX_STREAM)
                        .ok()
                        .map(|e| (name, e))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut st = Page {
        ctm: Matrix::ID,
        stack: Vec::new(),
        tm: Matrix::ID,
        tlm: Matrix::ID,
        leading: 0.0,
        font: None,
        fill: String::new(),
        path: Vec::new(),
        items: Vec::new(),
        marks: Marks::default(),
    };
    for op in &content.operations {
        operate(op.operator.as_str(), &op.operands, &encodings, &mut st);
    }
    let (text, tables) = text_and_tables(&st.items, LINE_TOLERANCE, Some(&member), readers);
    doc.texts.extend(text);
    doc.tables.extend(tables);
    let series = st.marks.series();
    if st.marks.total() > 0 {
        doc.figures.push(Figure {
            location: Location {
                member: Some(member),
                ..Location::default()
            },
            source: "PDF drawing".into(),
            series,
        });
    }
}

/// One content operator.
fn operate<'a>(
    name: &str,
    ops: &[Object],
    encodings: &'a [(Vec<u8>, Encoding<'a>)],
    st: &mut Page<'a>,
) {
    let v = nums(ops);
    let arg = |i: usize| v.get(i).copied().unwrap_or(0.0);
    match name {
        "q" if st.stack.len() < 256 => st.stack.push(st.ctm),
        "Q" => st.ctm = st.stack.pop().unwrap_or(st.ctm),
        "cm" => {
            if let Some(m) = matrix(ops) {
                st.ctm = m.then(st.ctm);
            }
        }
        "BT" => {
            st.tm = Matrix::ID;
            st.tlm = Matrix::ID;
        }
        "Tf" => {
            st.font = ops
                .first()
                .and_then(|o| o.as_name().ok())
                .and_then(|n| encodings.iter().find(|(k, _)| k.as_slice() == n))
                .map(|(_, e)| e);
        }
        "TL" => st.leading = arg(0),
        "Td" | "TD" => {
            if name == "TD" {
                st.leading = -arg(1);
            }
            st.tlm = Matrix::translate(arg(0), arg(1)).then(st.tlm);
            st.tm = st.tlm;
        }
        "Tm" => {
            if let Some(m) = matrix(ops) {
                st.tm = m;
                st.tlm = m;
            }
        }
        "T*" => next_line(st),
        "Tj" | "TJ" | "'" | "\"" => {
            if name != "Tj" && name != "TJ" {
                next_line(st);
            }
            show(ops, st);
        }
        "rg" | "g" | "k" | "sc" | "scn" => st.fill = format!("{name}{v:?}"),
        "m" => {
            let p = st.ctm.apply(arg(0), arg(1));
            st.path.push(Subpath {
                vertices: vec![p],
                closed: false,
            });
        }
        "l" | "c" | "v" | "y" => {
            let n = v.len();
            if n >= 2 {
                let p = st.ctm.apply(v[n - 2], v[n - 1]);
                match st.path.last_mut() {
                    Some(s) if s.vertices.len() < 100_000 => s.vertices.push(p),
                    Some(_) => {}
                    None => st.path.push(Subpath {
                        vertices: vec![p],
                        closed: false,
                    }),
                }
            }
        }
        "h" => {
            if let Some(s) = st.path.last_mut() {
                s.closed = true;
            }
        }
        "re" => {
            let (x, y, w, h) = (arg(0), arg(1), arg(2), arg(3));
            let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
            st.path.push(Subpath {
                vertices: corners.iter().map(|(a, b)| st.ctm.apply(*a, *b)).collect(),
                closed: true,
            });
        }
        "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => paint(name, st),
        "n" => st.path.clear(),
        "Do" => {
            let form = ops
                .first()
                .and_then(|o| o.as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            let (x, y) = st.ctm.apply(0.0, 0.0);
            st.marks
                .add(&format!("Do|{form}"), &form, Shape::Marker, x, -y);
        }
        _ => {}
    }
}

fn next_line(st: &mut Page<'_>) {
    st.tlm = Matrix::translate(0.0, -st.leading).then(st.tlm);
    st.tm = st.tlm;
}

/// A text-showing operator: the text at the current text position on the page.
fn show(ops: &[Object], st: &mut Page<'_>) {
    let mut bytes: Vec<Vec<u8>> = Vec::new();
    for o in ops {
        match o {
            Object::String(s, _) => bytes.push(s.clone()),
            Object::Array(a) => {
                for e in a {
                    if let Object::String(s, _) = e {
                        bytes.push(s.clone());
                    }
                }
            }
            _ => {}
        }
    }
    let mut text = String::new();
    for b in bytes {
        let s = match st.font {
            Some(enc) => Pdf::decode_text(enc, &b).unwrap_or_default(),
            None => b.iter().map(|&c| c as char).collect(),
        };
        text.push_str(&s);
    }
    if text.trim().is_empty() || st.items.len() >= 1_000_000 {
        return;
    }
    let (x, y) = st.tm.then(st.ctm).apply(0.0, 0.0);
    // Down the page, as the layout counts lines.
    st.items.push(Item { x, y: -y, text });
}

/// A painting operator: the current path is counted as marks, then cleared.
fn paint(op: &str, st: &mut Page<'_>) {
    let path = std::mem::take(&mut st.path);
    // Flip y so that positions grow down the page like an SVG's.
    let flipped: Vec<Subpath> = path
        .into_iter()
        .map(|s| Subpath {
            vertices: s.vertices.iter().map(|(x, y)| (*x, -*y)).collect(),
            closed: s.closed,
        })
        .collect();
    let big_rect = flipped.len() == 1
        && flipped[0].closed
        && flipped[0].vertices.len() == 4
        && crate::read::figure::bbox(&flipped[0].vertices) > MARKER_SIZE;
    let key = format!("{op}|{}", st.fill);
    if big_rect {
        let v = &flipped[0].vertices;
        let x = v.iter().map(|p| p.0).fold(f64::MAX, f64::min);
        let y = v.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        st.marks.add(&key, "", Shape::Bar, x, y);
    } else {
        drawn_path(&flipped, &key, "", (0.0, 0.0), MARKER_SIZE, &mut st.marks);
    }
}

/// Embedded files: every `EmbeddedFile` stream, named by the file specification that points to
/// it (or by its object number), taken out as a member and said hidden.
fn attachments(pdf: &Pdf, doc: &mut Document) {
    let mut names: Vec<(ObjectId, String)> = Vec::new();
    for obj in pdf.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if let Some((id, name)) = file_spec(dict) {
            names.push((id, name));
        }
    }
    let mut taken = 0;
    for (id, obj) in &pdf.objects {
        let Object::Stream(stream) = obj else {
            continue;
        };
        let is_file = stream
            .dict
            .get(b"Type")
            .and_then(|t| t.as_name())
            .is_ok_and(|n| n == b"EmbeddedFile");
        if !is_file {
            continue;
        }
        taken += 1;
        if taken > MAX_ATTACHMENTS {
            doc.facts
                .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                    format!("more than {MAX_ATTACHMENTS} embedded files"),
                ))));
            return;
        }
        let name = names
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("embedded file {}", id.0));
        let scope = Location {
            member: Some(name.clone()),
            ..Location::default()
        };
        doc.facts.push(Fact::whole(FactKind::Hidden {
            part: format!("embedded file '{name}'"),
            scope,
        }));
        let bytes = if stream.dict.get(b"Filter").is_ok() {
            stream.decompressed_content_with_limit(MAX_STREAM)
        } else {
            Ok(stream.content.clone())
        };
        match bytes {
            Ok(bytes) => doc.members.push(Member { name, bytes }),
            Err(_) => doc.facts.push(Fact::whole(FactKind::Unchecked {
                part: format!("embedded file '{name}'"),
                why: "it cannot be decompressed within the size limit".into(),
            })),
        }
    }
}

/// A file specification's embedded stream and file name (`/UF`, else `/F`).
fn file_spec(dict: &Dictionary) -> Option<(ObjectId, String)> {
    let ef = dict.get(b"EF").ok()?.as_dict().ok()?;
    let id = ef
        .get(b"UF")
        .or_else(|_| ef.get(b"F"))
        .ok()?
        .as_reference()
        .ok()?;
    let name = dict
        .get(b"UF")
        .or_else(|_| dict.get(b"F"))
        .ok()
        .and_then(|n| lopdf::decode_text_string(n).ok())
        .unwrap_or_default();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    let name = name.rsplit(['/', '\\']).next().unwrap_or("").to_string();
    Some((
        id,
        if name.is_empty() {
            format!("embedded file {}", id.0)
        } else {
            name
        },
    ))
}
