//! What calamine does not read, from the parts of an XLSX or XLSM package: hidden rows and
//! columns, cell comments and threaded comments, pivot caches with their source records,
//! external links with their cached values, defined names over hidden sheets, embedded objects,
//! macro projects, data connections and the data model. Each becomes a hidden-part fact, and
//! what it holds is read like the rest of the file: comments as text, records and cached values
//! as tables, embedded objects as members checked like files.
//! Charts and their caches are read by [`super::charts`].

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use crate::model::{Document, Fact, FactKind, Location, Member, Text, TextKind};
use crate::table::grid::{Builder, GridRow};

use super::layout::{self, SheetCell};
use super::package::{Package, MAX_SCANNED_PART};
use super::xml::{attr, Ev};

/// Most pivot cache records read as a table.
const MAX_RECORDS: usize = 100_000;
/// Most bytes of embedded objects held for checking.
const MAX_EMBEDDED_BYTES: u64 = 512 << 20;

/// A sheet of the workbook as the package names it.
pub(super) struct SheetPart {
    pub(super) name: String,
    pub(super) part: String,
    pub(super) hidden: bool,
}

pub(super) fn member(part: &str) -> Location {
    Location {
        member: Some(part.to_string()),
        ..Location::default()
    }
}

pub(super) fn hidden(doc: &mut Document, location: Location, part: String, scope: Location) {
    doc.facts.push(Fact {
        location,
        kind: FactKind::Hidden { part, scope },
    });
}

pub(super) fn unchecked(doc: &mut Document, location: Location, part: String, why: &str) {
    doc.facts.push(Fact {
        location,
        kind: FactKind::Unchecked {
            part,
            why: why.to_string(),
        },
    });
}

/// Read the parts of an XLSX/XLSM package into `doc`.
pub fn read_parts<R: Read + Seek>(pkg: &mut Package<R>, builder: &Builder<'_>, doc: &mut Document) {
    let sheets = sheet_parts(pkg);
    let xml_comments = |p: &str| {
        (p.starts_with("xl/comments") || p.starts_with("xl/threadedComments/"))
            && p.ends_with(".xml")
    };
    sheets_and_comments(
        pkg,
        &sheets,
        doc,
        hidden_rows_and_columns,
        comments,
        xml_comments,
    );
    defined_names(pkg, &sheets, doc);
    pivot_caches(pkg, builder, doc);
    external_links(pkg, builder, doc);
    super::charts::read_charts(pkg, &sheets, builder, doc);
    objects(pkg, doc);
}

/// The targets of a relationships part by relationship id, resolved against `dir`; `None` when
/// the part is not there or cannot be read.
pub(super) fn targets_by_id<R: Read + Seek>(
    pkg: &mut Package<R>,
    rels: &str,
    dir: &str,
) -> Option<BTreeMap<String, String>> {
    let bytes = pkg.read(rels, MAX_SCANNED_PART)?;
    let mut map = BTreeMap::new();
    let _ = super::xml::walk(&bytes[..], &mut |e| {
        if let Ev::Start {
            name: "Relationship",
            attrs,
            ..
        } = e
        {
            if let (Some(id), Some(t)) = (attr(attrs, "Id"), attr(attrs, "Target")) {
                map.insert(id.to_string(), crate::read::opc::resolve(dir, t));
            }
        }
        true
    });
    Some(map)
}

/// Sheets by name, part and visibility, from the workbook part and its relationships.
fn sheet_parts<R: Read + Seek>(pkg: &mut Package<R>) -> Vec<SheetPart> {
    let Some(targets) = targets_by_id(pkg, "xl/_rels/workbook.xml.rels", "xl") else {
        return Vec::new();
    };
    let Some(bytes) = pkg.read("xl/workbook.xml", MAX_SCANNED_PART) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let _ = super::xml::walk(&bytes[..], &mut |e| {
        if let Ev::Start {
            name: "sheet",
            attrs,
            ..
        } = e
        {
            let (Some(name), Some(id)) = (attr(attrs, "name"), attr(attrs, "id")) else {
                return true;
            };
            if let Some(part) = targets.get(id) {
                out.push(SheetPart {
                    name: name.to_string(),
                    part: part.clone(),
                    hidden: matches!(attr(attrs, "state"), Some("hidden" | "veryHidden")),
                });
            }
        }
        true
    });
    out
}

/// Rows and columns a sheet hides (`hidden="1"`): one fact each, with the sheet as scope.
fn hidden_rows_and_columns<R: Read + Seek>(
    pkg: &mut Package<R>,
    s: &SheetPart,
    doc: &mut Document,
) {
    let (mut rows, mut first_row) = (0u64, None::<u32>);
    let (mut cols, mut first_col) = (0u64, None::<u32>);
    let flagged = |a: &[(String, String)]| matches!(attr(a, "hidden"), Some("1" | "true"));
    let _ = pkg.walk(&s.part, &mut |e| {
        if let Ev::Start { name, attrs, .. } = e {
            match name {
                "row" if flagged(attrs) => {
                    rows += 1;
                    if first_row.is_none() {
                        first_row = attr(attrs, "r").and_then(|r| r.parse().ok());
                    }
                }
                "col" if flagged(attrs) => {
                    let min: u32 = attr(attrs, "min").and_then(|v| v.parse().ok()).unwrap_or(1);
                    let max: u32 = attr(attrs, "max")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(min);
                    cols += u64::from(max.saturating_sub(min) + 1);
                    first_col.get_or_insert(min);
                }
                _ => {}
            }
        }
        true
    });
    hidden_lines(
        doc,
        &s.name,
        (rows > 0).then_some(first_row),
        (cols > 0).then_some(first_col),
    );
}

/// The facts of a sheet's hidden rows and columns, the sheet as scope: `rows` and `cols` are
/// `Some` (with the first hidden one, if known) when the sheet hides any.
pub(super) fn hidden_lines(
    doc: &mut Document,
    sheet: &str,
    rows: Option<Option<u32>>,
    cols: Option<Option<u32>>,
) {
    let here = super::sheets::sheet_location(sheet);
    if let Some(row) = rows {
        let location = Location {
            row,
            ..here.clone()
        };
        let part = format!("hidden rows of sheet '{sheet}'");
        hidden(doc, location, part, here.clone());
    }
    if let Some(column) = cols {
        let location = Location {
            column,
            ..here.clone()
        };
        let part = format!("hidden columns of sheet '{sheet}'");
        hidden(doc, location, part, here);
    }
}

/// Every sheet's hidden rows and columns (`lines`) and the comments parts it links to
/// (`comments`), then the comments parts no sheet links to (`is_comments` tells them by name),
/// read with no sheet, in archive order.
pub(super) fn sheets_and_comments<R: Read + Seek>(
    pkg: &mut Package<R>,
    sheets: &[SheetPart],
    doc: &mut Document,
    lines: fn(&mut Package<R>, &SheetPart, &mut Document),
    comments: fn(&mut Package<R>, &str, Option<&str>, &mut Document),
    is_comments: fn(&str) -> bool,
) {
    let mut linked = Vec::new();
    for s in sheets {
        lines(pkg, s, doc);
        for (typ, target) in pkg.rels(&s.part) {
            if typ == "comments" || typ == "threadedComment" {
                comments(pkg, &target, Some(&s.name), doc);
                linked.push(target);
            }
        }
    }
    let mut orphans: Vec<String> = Vec::new();
    for part in &pkg.names {
        if is_comments(part) && !linked.contains(part) && !orphans.contains(part) {
            orphans.push(part.clone());
        }
    }
    for part in orphans {
        comments(pkg, &part, None, doc);
    }
}

/// A comments or threaded comments part of XML: what [`comments_found`] makes of its comments.
pub(super) fn comments<R: Read + Seek>(
    pkg: &mut Package<R>,
    part: &str,
    sheet: Option<&str>,
    doc: &mut Document,
) {
    let Some(bytes) = pkg.read(part, MAX_SCANNED_PART) else {
        unchecked(
            doc,
            member(part),
            format!("comments {part}"),
            "the part could not be read",
        );
        return;
    };
    let mut comments: Vec<(String, String)> = Vec::new();
    let mut depth_text = 0u32;
    let _ = super::xml::walk(&bytes[..], &mut |e| {
        match e {
            Ev::Start { name, attrs, empty } => match name {
                "comment" | "threadedComment" => {
                    let at = attr(attrs, "ref").unwrap_or("").to_string();
                    comments.push((at, String::new()));
                }
                "text" if !empty => depth_text += 1,
                _ => {}
            },
            Ev::End { name: "text" } => depth_text = depth_text.saturating_sub(1),
            Ev::Text(t) if depth_text > 0 => {
                if let Some((_, text)) = comments.last_mut() {
                    text.push_str(t);
                }
            }
            _ => {}
        }
        true
    });
    comments_found(doc, part, sheet, package_comments(part, sheet), &comments);
}

/// What a comments part of a package is called in its hidden-part fact: `cell comments on
/// sheet 'Summary' (xl/comments1.xml)`, or threaded comments.
pub(super) fn package_comments(part: &str, sheet: Option<&str>) -> String {
    let kind = if part.contains("threaded") {
        "threaded comments"
    } else {
        "cell comments"
    };
    let on = sheet
        .map(|s| format!(" on sheet '{s}'"))
        .unwrap_or_default();
    format!("{kind}{on} ({part})")
}

/// The comments of a sheet, found: their text (one line per line of each comment) as a text
/// named `part`, and a hidden-part fact (`what` names it) at the first comment's cell, the part
/// as scope. `comments` are `(cell reference, text)` in part order; nothing is added when there
/// are none.
pub(super) fn comments_found(
    doc: &mut Document,
    part: &str,
    sheet: Option<&str>,
    what: String,
    comments: &[(String, String)],
) {
    if comments.is_empty() {
        return;
    }
    let mut lines = Vec::new();
    for (_, text) in comments {
        for l in text.lines() {
            lines.push((lines.len() as u32 + 1, l.to_string()));
        }
    }
    let mut text = Text::new(TextKind::Output, lines);
    text.member = Some(part.to_string());
    doc.texts.push(text);
    let location = Location {
        sheet: sheet.map(str::to_string),
        cell: comments
            .first()
            .map(|(c, _)| c.clone())
            .filter(|c| !c.is_empty()),
        ..member(part)
    };
    hidden(doc, location, what, member(part));
}

/// Defined names over hidden sheets, and names hidden from the name manager.
fn defined_names<R: Read + Seek>(pkg: &mut Package<R>, sheets: &[SheetPart], doc: &mut Document) {
    let Some(bytes) = pkg.read("xl/workbook.xml", MAX_SCANNED_PART) else {
        return;
    };
    let mut names: Vec<(bool, String)> = Vec::new();
    let mut inside = false;
    let _ = super::xml::walk(&bytes[..], &mut |e| {
        match e {
            Ev::Start {
                name: "definedName",
                attrs,
                empty,
            } => {
                let builtin = attr(attrs, "name").is_some_and(|n| n.starts_with("_xlnm."));
                let flagged = matches!(attr(attrs, "hidden"), Some("1" | "true"));
                names.push((flagged && !builtin, String::new()));
                inside = !empty;
            }
            Ev::End {
                name: "definedName",
            } => inside = false,
            Ev::Text(t) if inside => {
                if let Some((_, r)) = names.last_mut() {
                    r.push_str(t);
                }
            }
            _ => {}
        }
        true
    });
    let points_to = |r: &str, s: &str| {
        r.contains(&format!("'{}'!", s.replace('\'', "''"))) || r.contains(&format!("{s}!"))
    };
    let mut plain_hidden = 0;
    for s in sheets.iter().filter(|s| s.hidden) {
        let n = names.iter().filter(|(_, r)| points_to(r, &s.name)).count();
        if n > 0 {
            let here = super::sheets::sheet_location(&s.name);
            hidden(
                doc,
                here.clone(),
                format!("defined names over hidden sheet '{}'", s.name),
                here,
            );
        }
    }
    for (flagged, r) in &names {
        if *flagged && !sheets.iter().any(|s| s.hidden && points_to(r, &s.name)) {
            plain_hidden += 1;
        }
    }
    if plain_hidden > 0 {
        let at = member("xl/workbook.xml");
        hidden(doc, at.clone(), "hidden defined names".to_string(), at);
    }
}

/// Every pivot cache records part (orphans too), rebuilt with its definition's field names and
/// shared items, as a table of the part.
fn pivot_caches<R: Read + Seek>(pkg: &mut Package<R>, builder: &Builder<'_>, doc: &mut Document) {
    let definitions: Vec<String> = pkg
        .under("xl/pivotCache/")
        .into_iter()
        .filter(|n| {
            n.rsplit('/')
                .next()
                .is_some_and(|f| f.starts_with("pivotCacheDefinition"))
        })
        .collect();
    for def in definitions {
        let records = pkg
            .rels(&def)
            .into_iter()
            .find(|(t, _)| t == "pivotCacheRecords")
            .map(|(_, p)| p);
        let Some(records) = records.filter(|r| pkg.has(r)) else {
            continue;
        };
        let Some(def_bytes) = pkg.read(&def, MAX_SCANNED_PART) else {
            unchecked(
                doc,
                member(&def),
                format!("pivot cache {def}"),
                "the part could not be read",
            );
            continue;
        };
        let (fields, shared) = cache_fields(&def_bytes);
        let mut grid = vec![GridRow {
            row: 1,
            line: None,
            cells: fields,
        }];
        let (read, truncated) = cache_records(pkg, &records, &shared, &mut grid);
        let at = member(&records);
        if read.is_err() {
            unchecked(
                doc,
                at.clone(),
                format!("pivot cache records {records}"),
                "the part is not well-formed",
            );
        }
        if truncated {
            unchecked(
                doc,
                at.clone(),
                format!("pivot cache records {records}"),
                "records past the first 100000 are not read",
            );
        }
        for mut t in builder.tables(&grid, Some(&records), None) {
            t.member = Some(records.clone());
            doc.tables.push(t);
        }
        hidden(
            doc,
            at.clone(),
            format!("pivot cache with its source records ({records})"),
            at,
        );
    }
}

/// The records of a pivot cache as rows under the field names in `grid`, shared items looked
/// up; whether the part was well-formed and whether records past [`MAX_RECORDS`] were left.
fn cache_records<R: Read + Seek>(
    pkg: &mut Package<R>,
    records: &str,
    shared: &[Vec<String>],
    grid: &mut Vec<GridRow>,
) -> (Result<(), super::xml::BadXml>, bool) {
    let mut truncated = false;
    let mut row: Option<Vec<String>> = None;
    let read = pkg.walk(records, &mut |e| match e {
        Ev::Start {
            name: "r", empty, ..
        } => {
            if grid.len() > MAX_RECORDS {
                truncated = true;
                return false;
            }
            if empty {
                grid.push(GridRow {
                    row: grid.len() as u32 + 1,
                    line: None,
                    cells: Vec::new(),
                });
            } else {
                row = Some(Vec::new());
            }
            true
        }
        Ev::Start { name, attrs, .. } => {
            if let Some(r) = &mut row {
                let v = attr(attrs, "v").unwrap_or("");
                let text = match name {
                    "x" => v
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| shared.get(r.len()).and_then(|s| s.get(i)))
                        .cloned()
                        .unwrap_or_default(),
                    "m" => String::new(),
                    _ => v.to_string(),
                };
                r.push(text);
            }
            true
        }
        Ev::End { name: "r" } => {
            if let Some(cells) = row.take() {
                grid.push(GridRow {
                    row: grid.len() as u32 + 1,
                    line: None,
                    cells,
                });
            }
            true
        }
        _ => true,
    });
    (read, truncated)
}

/// Field names and shared items of a pivot cache definition.
fn cache_fields(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut fields: Vec<String> = Vec::new();
    let mut shared: Vec<Vec<String>> = Vec::new();
    let mut in_items = false;
    let _ = super::xml::walk(bytes, &mut |e| {
        match e {
            Ev::Start {
                name: "cacheField",
                attrs,
                ..
            } => {
                fields.push(attr(attrs, "name").unwrap_or("").to_string());
                shared.push(Vec::new());
            }
            Ev::Start {
                name: "sharedItems",
                empty,
                ..
            } => in_items = !empty,
            Ev::End {
                name: "sharedItems",
            } => in_items = false,
            Ev::Start { name, attrs, .. } if in_items => {
                if let Some(items) = shared.last_mut() {
                    let v = if name == "m" {
                        ""
                    } else {
                        attr(attrs, "v").unwrap_or("")
                    };
                    if items.len() < 1_000_000 {
                        items.push(v.to_string());
                    }
                }
            }
            _ => {}
        }
        true
    });
    (fields, shared)
}

/// External links: a fact each (the path of another workbook, often inside the secure
/// environment) and their cached values as tables of the part.
fn external_links<R: Read + Seek>(pkg: &mut Package<R>, builder: &Builder<'_>, doc: &mut Document) {
    for part in pkg.under("xl/externalLinks/") {
        if !part.ends_with(".xml") || part.contains("/_rels/") {
            continue;
        }
        let Some(bytes) = pkg.read(&part, MAX_SCANNED_PART) else {
            unchecked(
                doc,
                member(&part),
                format!("external link {part}"),
                "the part could not be read",
            );
            continue;
        };
        let mut sheet_names: Vec<String> = Vec::new();
        let mut sets: Vec<(usize, Vec<SheetCell>)> = Vec::new();
        let (mut at, mut in_v, mut value) = (None::<(u32, u32)>, false, String::new());
        let _ = super::xml::walk(&bytes[..], &mut |e| {
            match e {
                Ev::Start {
                    name: "sheetName",
                    attrs,
                    ..
                } => sheet_names.push(attr(attrs, "val").unwrap_or("").to_string()),
                Ev::Start {
                    name: "sheetData",
                    attrs,
                    ..
                } => {
                    let id = attr(attrs, "sheetId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    sets.push((id, Vec::new()));
                }
                Ev::Start {
                    name: "cell",
                    attrs,
                    ..
                } => {
                    at = attr(attrs, "r").and_then(cell_position);
                }
                Ev::Start {
                    name: "v", empty, ..
                } => {
                    in_v = !empty;
                    value.clear();
                }
                Ev::Text(t) if in_v => value.push_str(t),
                Ev::End { name: "v" } => {
                    in_v = false;
                    if let (Some((row, col)), Some((_, cells))) = (at, sets.last_mut()) {
                        if cells.len() < super::sheets::SHEET_CELLS {
                            cells.push(SheetCell {
                                row,
                                col,
                                text: value.clone(),
                            });
                        }
                    }
                }
                _ => {}
            }
            true
        });
        for (id, mut cells) in sets {
            let name = sheet_names.get(id).cloned().unwrap_or_default();
            if let Ok(tables) = layout::tables(&mut cells, builder, &name) {
                for mut t in tables {
                    t.member = Some(part.clone());
                    doc.tables.push(t);
                }
            }
        }
        let here = member(&part);
        hidden(
            doc,
            here.clone(),
            format!("external link with cached values of another workbook ({part})"),
            here,
        );
    }
}

/// `B7` as `(7, 2)`.
pub(super) fn cell_position(r: &str) -> Option<(u32, u32)> {
    let letters: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: u32 = r[letters.len()..].trim_start_matches('$').parse().ok()?;
    let mut col = 0u32;
    for c in letters.trim_start_matches('$').chars() {
        col = col.checked_mul(26)? + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    (row > 0 && col > 0 && col <= 16_384).then_some((row, col))
}

/// Embedded objects (checked as files), macro projects, data connections and data models.
pub fn objects<R: Read + Seek>(pkg: &mut Package<R>, doc: &mut Document) {
    let mut held = 0u64;
    for part in pkg.under("xl/embeddings/") {
        let here = member(&part);
        hidden(
            doc,
            here.clone(),
            format!("embedded object {part}"),
            here.clone(),
        );
        match pkg.read(&part, MAX_SCANNED_PART) {
            Some(bytes) if held + bytes.len() as u64 <= MAX_EMBEDDED_BYTES => {
                held += bytes.len() as u64;
                doc.members.push(Member {
                    name: part.clone(),
                    bytes,
                });
            }
            _ => unchecked(
                doc,
                here,
                format!("embedded object {part}"),
                "it is too large to read",
            ),
        }
    }
    for part in pkg.names.clone() {
        let leaf = part.rsplit('/').next().unwrap_or(&part);
        if leaf.eq_ignore_ascii_case("vbaProject.bin") {
            let here = member(&part);
            hidden(
                doc,
                here.clone(),
                format!("macro project (VBA) {part}"),
                here.clone(),
            );
            unchecked(
                doc,
                here,
                format!("macro project {part}"),
                "macro code is not read by this version",
            );
        } else if part.starts_with("xl/model/") || part.starts_with("xl/customData/") {
            let here = member(&part);
            hidden(
                doc,
                here.clone(),
                format!("data model {part}"),
                here.clone(),
            );
            unchecked(
                doc,
                here,
                format!("data model {part}"),
                "a compressed data model cannot be read",
            );
        }
    }
    if pkg.has("xl/connections.xml") {
        connections(pkg, doc);
    }
}

/// Data connections: their commands and connection strings as text, and a fact.
fn connections<R: Read + Seek>(pkg: &mut Package<R>, doc: &mut Document) {
    let part = "xl/connections.xml";
    let here = member(part);
    hidden(
        doc,
        here.clone(),
        format!("data connections ({part})"),
        here.clone(),
    );
    let Some(bytes) = pkg.read(part, MAX_SCANNED_PART) else {
        unchecked(
            doc,
            here,
            format!("data connections {part}"),
            "the part could not be read",
        );
        return;
    };
    let mut lines: Vec<(u32, String)> = Vec::new();
    let _ = super::xml::walk(&bytes[..], &mut |e| {
        if let Ev::Start { attrs, .. } = e {
            for key in ["command", "connection", "sourceFile"] {
                if let Some(v) = attr(attrs, key) {
                    for l in v.lines() {
                        lines.push((lines.len() as u32 + 1, l.to_string()));
                    }
                }
            }
        }
        true
    });
    if !lines.is_empty() {
        let mut text = Text::new(TextKind::Output, lines);
        text.member = Some(part.to_string());
        doc.texts.push(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_positions() {
        assert_eq!(cell_position("B7"), Some((7, 2)));
        assert_eq!(cell_position("AA10"), Some((10, 27)));
        assert_eq!(cell_position("7"), None);
        assert_eq!(cell_position("ZZZZ1"), None);
    }
}
