//! SVG figures: the marks it draws counted into series (a circle, a small closed path or a
//! `use` of a symbol per datum; short vertical strokes as censor ticks; lines through many
//! vertices; bars), and its text (`<text>`, `<tspan>`, and the comments that matplotlib writes
//! for text drawn as paths) laid out into lines and tables (see `docs/figures.md`).
//!
//! Read with quick-xml, whose reader never expands entities: a `DOCTYPE` that declares
//! entities makes the file text only, its parts not drawn said unchecked. Elements are capped.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::decode::decode;
use crate::model::{Document, Fact, FactKind, Figure, Location, Text, TextKind, Unreadable};
use crate::read::figure::{
    bbox, drawn_path, text_and_tables, Item, Marks, Shape, Subpath, MARKER_SIZE,
};
use crate::read::{ReadError, Readers, Source};

/// Most elements read from one SVG; past it the file is not passed.
pub const MAX_ELEMENTS: u64 = 500_000;

/// Baselines closer than this are one text line.
const LINE_TOLERANCE: f64 = 2.0;

/// Elements whose children are definitions, not drawn where they stand.
const DEFINING: &[&str] = &["defs", "symbol", "clipPath", "marker", "pattern", "mask"];

/// Read an SVG file.
pub fn read(source: Source<'_>, readers: &Readers<'_>) -> Result<Document, ReadError> {
    let Source::Bytes(bytes) = source else {
        return Ok(Document {
            facts: vec![Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                "SVG too large to read".into(),
            )))],
            ..Document::default()
        });
    };
    let text = decode(bytes)?.text;
    let mut state = State {
        marker: MARKER_SIZE,
        ..State::default()
    };
    match walk(&text, &mut state) {
        Ok(()) => {}
        Err(Stop::Entities) => {
            // Read as plain text, never expanded.
            return Ok(Document {
                texts: vec![Text::of(TextKind::Output, &text)],
                facts: vec![Fact::whole(FactKind::Unchecked {
                    part: "SVG drawing".into(),
                    why:
                        "its DOCTYPE declares entities, which are never expanded; read as text only"
                            .into(),
                })],
                ..Document::default()
            });
        }
        Err(Stop::Limit) => {
            return Ok(Document {
                facts: vec![Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                    format!("more than {MAX_ELEMENTS} SVG elements"),
                )))],
                ..Document::default()
            });
        }
        Err(Stop::Xml(e)) => return Err(ReadError::Parse(format!("SVG: {e}"))),
    }
    let mut doc = Document::default();
    let (text, tables) = text_and_tables(&state.items, LINE_TOLERANCE, None, readers);
    doc.texts.extend(text);
    doc.tables = tables;
    let series = state.marks.series();
    if !series.is_empty() {
        doc.figures.push(Figure {
            location: Location::default(),
            source: "SVG".into(),
            series,
        });
    }
    Ok(doc)
}

enum Stop {
    Entities,
    Limit,
    Xml(String),
}

/// An open element: what its children inherit.
#[derive(Debug, Clone, Default)]
struct Frame {
    name: String,
    /// Serial number of the nearest `<g>` (0: none).
    group: u64,
    /// Name of the nearest group with an `id` or `class`.
    group_name: String,
    fill: String,
    dx: f64,
    dy: f64,
    defining: bool,
    /// Inside a group that matplotlib writes for one text artist (`<g id="text_3">`): its
    /// `use` and `path` elements are the glyphs of a label, never markers.
    glyphs: bool,
    /// Inside a `<text>`: the index of its current item.
    text: Option<usize>,
}

#[derive(Default)]
struct State {
    stack: Vec<Frame>,
    groups: u64,
    elements: u64,
    marks: Marks,
    items: Vec<Item>,
    /// Sizes of defined shapes by id, to tell a marker symbol from a glyph outline.
    defs: HashMap<String, f64>,
    /// A comment (matplotlib's text drawn as paths) waiting for the position of what follows.
    comment: Option<String>,
    /// Largest size of one marker in this drawing's units (see [`marker_size`]).
    marker: f64,
}

/// Width of the drawing, in its units, up to which [`MARKER_SIZE`] holds as it is (a figure of
/// matplotlib or R is a few hundred points wide).
const REFERENCE_WIDTH: f64 = 500.0;

/// Largest size of one marker in a drawing whose `viewBox` (else `width`) spans `width` units:
/// [`MARKER_SIZE`] scaled with drawings wider than [`REFERENCE_WIDTH`] (Stata draws 5,400 units
/// across, its markers 40 wide).
fn marker_size(a: &HashMap<String, String>) -> f64 {
    let width = a
        .get("viewBox")
        .and_then(|v| numbers(v).nth(2))
        .or_else(|| num(a, "width"));
    match width {
        Some(w) if w.is_finite() && w > REFERENCE_WIDTH => MARKER_SIZE * w / REFERENCE_WIDTH,
        _ => MARKER_SIZE,
    }
}

fn walk(text: &str, st: &mut State) -> Result<(), Stop> {
    let mut reader = Reader::from_str(text);
    loop {
        let event = reader.read_event().map_err(|e| Stop::Xml(e.to_string()))?;
        match event {
            Event::Eof => return Ok(()),
            Event::DocType(d) if d.xml10_content().contains("<!ENTITY") => {
                return Err(Stop::Entities);
            }
            Event::Start(e) => {
                count(st)?;
                let frame = open(&e, st);
                st.stack.push(frame);
            }
            Event::Empty(e) => {
                count(st)?;
                let frame = open(&e, st);
                close(st, &frame);
            }
            Event::End(_) => {
                if let Some(frame) = st.stack.pop() {
                    close(st, &frame);
                }
            }
            Event::Text(t) => push_text(st, &t.xml10_content()),
            Event::CData(t) => push_text(st, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match r.xml10_content().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        _ => String::new(),
                    },
                };
                push_text(st, &s);
            }
            Event::Comment(c) => {
                let c = c.xml10_content();
                let c = c.trim();
                if !st.stack.is_empty() && !c.is_empty() && c.chars().count() <= 200 {
                    st.comment = Some(c.to_string());
                }
            }
            _ => {}
        }
    }
}

fn count(st: &mut State) -> Result<(), Stop> {
    st.elements += 1;
    if st.elements > MAX_ELEMENTS {
        Err(Stop::Limit)
    } else {
        Ok(())
    }
}

/// An attribute's value, its predefined entities resolved (others are left as written).
fn attrs(e: &BytesStart<'_>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref().to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.to_string());
        out.insert(key, value);
    }
    out
}

/// A length attribute: its leading number (`12.5px` → 12.5).
fn num(a: &HashMap<String, String>, key: &str) -> Option<f64> {
    let s = a.get(key)?.trim();
    let end = s
        .char_indices()
        .find(|(i, c)| {
            !(c.is_ascii_digit() || *c == '.' || *c == 'e' || ((*c == '-' || *c == '+') && *i == 0))
        })
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    s.get(..end)?.parse().ok()
}

/// The translation of a `transform` attribute (`translate(x y)`, or a matrix's last two).
fn translation(a: &HashMap<String, String>) -> (f64, f64) {
    let Some(t) = a.get("transform") else {
        return (0.0, 0.0);
    };
    let nums = |s: &str| -> Vec<f64> {
        s.split(|c: char| c == ',' || c.is_whitespace())
            .filter_map(|p| p.trim().parse().ok())
            .collect()
    };
    let mut dx = 0.0;
    let mut dy = 0.0;
    for (name, args) in t.split(')').filter_map(|p| p.split_once('(')) {
        let v = nums(args);
        match name.trim() {
            "translate" => {
                dx += v.first().copied().unwrap_or(0.0);
                dy += v.get(1).copied().unwrap_or(0.0);
            }
            "matrix" if v.len() == 6 => {
                dx += v[4];
                dy += v[5];
            }
            _ => {}
        }
    }
    (dx, dy)
}

/// The fill of an element: its `fill` attribute or the `fill:` of its style.
fn fill(a: &HashMap<String, String>) -> Option<String> {
    if let Some(f) = a.get("fill") {
        return Some(f.clone());
    }
    let style = a.get("style")?;
    style
        .split(';')
        .filter_map(|p| p.split_once(':'))
        .find(|(k, _)| k.trim() == "fill")
        .map(|(_, v)| v.trim().to_string())
}

fn open(e: &BytesStart<'_>, st: &mut State) -> Frame {
    let name = e.local_name().as_ref().to_string();
    let a = attrs(e);
    let parent = st.stack.last().cloned().unwrap_or_default();
    let (tx, ty) = translation(&a);
    let mut frame = Frame {
        name: name.clone(),
        fill: fill(&a).unwrap_or(parent.fill.clone()),
        dx: parent.dx + tx,
        dy: parent.dy + ty,
        defining: parent.defining || DEFINING.contains(&name.as_str()),
        text: parent.text,
        ..parent.clone()
    };
    if name == "svg" && st.stack.is_empty() {
        st.marker = marker_size(&a);
    }
    if name == "g" {
        st.groups += 1;
        frame.group = st.groups;
        if let Some(n) = a.get("id").or(a.get("class")) {
            frame.group_name = n.clone();
        }
        if a.get("id").is_some_and(|id| is_text_artist(id)) {
            frame.glyphs = true;
        }
        if let Some(c) = st.comment.take() {
            // matplotlib: `<!-- 84 -->` then the glyphs in a translated group.
            st.items.push(Item {
                x: frame.dx,
                y: frame.dy,
                text: c,
            });
        }
    }
    if name == "text" || name == "tspan" {
        let x = num(&a, "x").map(|x| x + frame.dx);
        let y = num(&a, "y").map(|y| y + frame.dy);
        let last = parent
            .text
            .and_then(|i| st.items.get(i))
            .map(|i| (i.x, i.y));
        let (x, y) = match (x, y, last) {
            (Some(x), Some(y), _) => (x, y),
            (Some(x), None, Some((_, ly))) => (x, ly),
            (None, Some(y), Some((lx, _))) => (lx, y),
            (None, None, Some(_)) if name == "tspan" => return frame,
            _ => (x.unwrap_or(frame.dx), y.unwrap_or(frame.dy)),
        };
        st.items.push(Item {
            x,
            y,
            text: String::new(),
        });
        frame.text = Some(st.items.len() - 1);
        return frame;
    }
    shape(&name, &a, &frame, st);
    frame
}

fn close(st: &mut State, frame: &Frame) {
    if frame.name == "text" {
        st.comment = None;
    }
}

fn push_text(st: &mut State, s: &str) {
    let Some(i) = st.stack.last().and_then(|f| f.text) else {
        return;
    };
    if let Some(item) = st.items.get_mut(i) {
        if item.text.len() < 4096 {
            item.text.push_str(s);
        }
    }
}

/// A matplotlib text artist's group id: `text_` and a serial number.
fn is_text_artist(id: &str) -> bool {
    id.strip_prefix("text_")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Count what a drawing element draws.
/// A `line`: a short vertical one is a tick (a censor mark, an axis tick, an interval's cap),
/// any other an interval bar if it runs along an axis. `off` is the frame's translation.
fn line(a: &HashMap<String, String>, off: (f64, f64), key: &str, name: &str, st: &mut State) {
    let at = |x: f64, y: f64| (x + off.0, y + off.1);
    let (x1, y1) = (num(a, "x1").unwrap_or(0.0), num(a, "y1").unwrap_or(0.0));
    let (x2, y2) = (num(a, "x2").unwrap_or(0.0), num(a, "y2").unwrap_or(0.0));
    if (x1 - x2).abs() < 0.01 && (y1 - y2).abs() <= st.marker && (y1 - y2).abs() > 0.0 {
        let ends = (at(x1, y1), at(x2, y2));
        st.marks
            .add_stroke(key, name, Shape::Tick, at(x1, y1.min(y2)), ends);
    } else {
        st.marks.stroke(at(x1, y1), at(x2, y2));
    }
}

fn shape(name: &str, a: &HashMap<String, String>, frame: &Frame, st: &mut State) {
    if frame.glyphs {
        return;
    }
    let class = a.get("class").map(String::as_str).unwrap_or("");
    let key = |extra: &str| format!("{}|{name}|{class}|{}|{extra}", frame.group, frame.fill);
    let series_name = if frame.group_name.is_empty() {
        class.to_string()
    } else {
        frame.group_name.clone()
    };
    let at = |x: f64, y: f64| (x + frame.dx, y + frame.dy);
    let (tx, ty) = translation(a);
    match name {
        "circle" | "ellipse" => {
            let r = num(a, "r").or(num(a, "rx")).unwrap_or(0.0);
            if frame.defining {
                if let Some(id) = a.get("id") {
                    st.defs.insert(id.clone(), 2.0 * r);
                }
                return;
            }
            let (x, y) = at(num(a, "cx").unwrap_or(0.0), num(a, "cy").unwrap_or(0.0));
            let shape = if 2.0 * r <= st.marker {
                Shape::Marker
            } else {
                Shape::Bar
            };
            st.marks.add(&key(""), &series_name, shape, x, y);
        }
        "rect" if !frame.defining => {
            let (w, h) = (
                num(a, "width").unwrap_or(0.0),
                num(a, "height").unwrap_or(0.0),
            );
            if w <= 0.0 || h <= 0.0 {
                return;
            }
            let (x, y) = at(num(a, "x").unwrap_or(0.0), num(a, "y").unwrap_or(0.0));
            if w <= st.marker && h <= st.marker && (w / h) < 3.0 && (h / w) < 3.0 {
                st.marks
                    .add(&key(&format!("{w}x{h}")), &series_name, Shape::Marker, x, y);
            } else {
                st.marks.add(&key(""), &series_name, Shape::Bar, x, y + h);
            }
        }
        "use" if !frame.defining => {
            let href = a
                .get("xlink:href")
                .or(a.get("href"))
                .map(|h| h.trim_start_matches('#').to_string())
                .unwrap_or_default();
            // Glyphs of text drawn as outlines (cairo's `glyph0-1`, matplotlib's large font
            // paths) are text, not markers.
            let size = st.defs.get(&href).copied();
            if href.to_lowercase().contains("glyph") || size.is_some_and(|s| s > st.marker * 2.0) {
                return;
            }
            let (x, y) = at(
                num(a, "x").unwrap_or(0.0) + tx,
                num(a, "y").unwrap_or(0.0) + ty,
            );
            st.marks.add(&key(&href), &series_name, Shape::Marker, x, y);
        }
        "line" if !frame.defining => line(a, (frame.dx, frame.dy), &key(""), &series_name, st),
        "polyline" | "polygon" | "path" => {
            let subpaths = if name == "path" {
                path_vertices(a.get("d").map(String::as_str).unwrap_or(""))
            } else {
                vec![points(
                    a.get("points").map(String::as_str).unwrap_or(""),
                    name == "polygon",
                )]
            };
            if frame.defining {
                if let Some(id) = a.get("id") {
                    let size = subpaths
                        .iter()
                        .map(|s| bbox(&s.vertices))
                        .fold(0.0, f64::max);
                    st.defs.insert(id.clone(), size);
                }
                return;
            }
            let off = (frame.dx + tx, frame.dy + ty);
            drawn_path(
                &subpaths,
                &key(""),
                &series_name,
                off,
                st.marker,
                &mut st.marks,
            );
        }
        _ => {}
    }
}

/// Most vertices read from one path or points list.
const MAX_VERTICES: usize = 100_000;

fn points(s: &str, closed: bool) -> Subpath {
    let n: Vec<f64> = numbers(s).collect();
    Subpath {
        vertices: n
            .chunks_exact(2)
            .take(MAX_VERTICES)
            .map(|c| (c[0], c[1]))
            .collect(),
        closed,
    }
}

fn numbers(s: &str) -> impl Iterator<Item = f64> + '_ {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
}

/// Tokens of path data: commands and numbers (`M10-5.5.5` is `M`, `10`, `-5.5`, `.5`).
fn path_tokens(d: &str) -> Vec<Result<char, f64>> {
    let mut out = Vec::new();
    let b = d.as_bytes();
    let mut i = 0;
    while i < b.len() && out.len() < MAX_VERTICES * 8 {
        let c = b[i] as char;
        if c.is_ascii_alphabetic() && c != 'e' && c != 'E' {
            out.push(Ok(c));
            i += 1;
        } else if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' {
            let start = i;
            let mut dot = c == '.';
            i += 1;
            while i < b.len() {
                let ch = b[i] as char;
                if ch.is_ascii_digit() {
                    i += 1;
                } else if ch == '.' && !dot {
                    dot = true;
                    i += 1;
                } else if (ch == 'e' || ch == 'E') && i + 1 < b.len() {
                    i += 1;
                    if b[i] == b'-' || b[i] == b'+' {
                        i += 1;
                    }
                } else {
                    break;
                }
            }
            if let Some(v) = d.get(start..i).and_then(|s| s.parse().ok()) {
                out.push(Err(v));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The subpaths of path data with their segment end points.
pub fn path_vertices(d: &str) -> Vec<Subpath> {
    let tokens = path_tokens(d);
    let mut subs: Vec<Subpath> = Vec::new();
    let (mut cx, mut cy) = (0.0f64, 0.0f64);
    let (mut sx, mut sy) = (0.0f64, 0.0f64);
    let mut cmd = 'M';
    let mut args: Vec<f64> = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        if let Ok(c) = tokens[k] {
            cmd = c;
            k += 1;
            if c == 'z' || c == 'Z' {
                if let Some(s) = subs.last_mut() {
                    s.closed = true;
                }
                cx = sx;
                cy = sy;
            }
            continue;
        }
        let arity = match cmd.to_ascii_uppercase() {
            'M' | 'L' | 'T' => 2,
            'H' | 'V' => 1,
            'C' => 6,
            'S' | 'Q' => 4,
            'A' => 7,
            _ => {
                k += 1;
                continue;
            }
        };
        args.clear();
        while args.len() < arity {
            match tokens.get(k) {
                Some(Err(v)) => {
                    args.push(*v);
                    k += 1;
                }
                _ => break,
            }
        }
        if args.len() < arity {
            continue;
        }
        let rel = cmd.is_ascii_lowercase();
        let (ex, ey) = match cmd.to_ascii_uppercase() {
            'H' => (if rel { cx + args[0] } else { args[0] }, cy),
            'V' => (cx, if rel { cy + args[0] } else { args[0] }),
            _ => {
                let (x, y) = (args[arity - 2], args[arity - 1]);
                if rel {
                    (cx + x, cy + y)
                } else {
                    (x, y)
                }
            }
        };
        cx = ex;
        cy = ey;
        if cmd == 'M' || cmd == 'm' {
            sx = ex;
            sy = ey;
            subs.push(Subpath::default());
            // Pairs after a moveto are linetos.
            cmd = if rel { 'l' } else { 'L' };
        }
        if subs.is_empty() {
            subs.push(Subpath::default());
        }
        if let Some(s) = subs.last_mut() {
            if s.vertices.len() < MAX_VERTICES {
                s.vertices.push((ex, ey));
            }
        }
    }
    subs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_data_gives_subpaths() {
        let s = path_vertices("M3,0A3,3 0 1,1 0,-3A3,3 0 0,1 3,0Z");
        assert_eq!(s.len(), 1);
        assert!(s[0].closed);
        assert_eq!(s[0].vertices.len(), 3);
        let s = path_vertices("M 10 10 v 5 M 20 10 v 5");
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].vertices, vec![(20.0, 10.0), (20.0, 15.0)]);
        let s = path_vertices("M0-5.5.5 1l1e1 2");
        assert_eq!(s[0].vertices, vec![(0.0, -5.5), (0.5, 1.0), (10.5, 3.0)]);
    }

    #[test]
    fn glyphs_of_a_matplotlib_text_artist_are_not_markers() {
        // matplotlib draws tick labels as `use` of small glyph outlines in `<g id="text_N">`.
        let mut svg = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg"><defs><path id="m" d="M0,-1A1,1 0 1,1 0,1A1,1 0 1,1 0,-1Z"/></defs>"#,
        );
        for k in 0..8 {
            svg.push_str(&format!(
                r#"<g id="text_{k}"><g transform="translate({} 50)"><use href="m" x="{}"/><use href="m" x="{}"/></g></g>"#,
                10 * k + 3,
                k % 3,
                k % 5
            ));
        }
        svg.push_str("</svg>");
        let mut st = State::default();
        assert!(walk(&svg, &mut st).is_ok());
        assert!(st.marks.series().is_empty(), "{:?}", st.marks.series());
        // The same marks outside a text artist's group are a series of points.
        let plain = svg.replace("id=\"text_", "id=\"points_");
        let mut st = State::default();
        assert!(walk(&plain, &mut st).is_ok());
        assert!(!st.marks.series().is_empty());
        assert!(is_text_artist("text_12"));
        assert!(!is_text_artist("text_"));
        assert!(!is_text_artist("text_label"));
    }
}
