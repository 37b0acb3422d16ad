//! What calamine does not read from an ODS package's `content.xml`: hidden sheets (a table
//! style with `table:display="false"`, in case calamine did not see it), hidden rows and columns
//! (`table:visibility="collapse"` or `"filter"`, or inside a collapsed row or column group,
//! `table:display="false"`; repeated ones counted with
//! `table:number-rows-repeated` / `table:number-columns-repeated`) and cell comments
//! (`office:annotation`, their author and date left out). Each becomes a hidden-part fact as the
//! XLSX parts do; the comments' text is read as text of the member `content.xml`. The part is
//! walked as it expands, never held; no entity is expanded ([`super::xml`]). Past
//! [`MAX_ELEMENTS`] elements or [`MAX_COMMENT_BYTES`] of comment text the workbook is
//! unreadable, never half-checked.

use std::collections::BTreeSet;
use std::io::{Read, Seek};

use crate::model::{
    cell_ref, Document, Fact, FactKind, Location, Member, Text, TextKind, Unreadable,
};
use crate::table::grid::Builder;

use super::package::Package;
use super::parts::{hidden, hidden_lines, unchecked};
use super::sheets::sheet_location;
use super::xml::{attr, Ev};

/// The part that holds the sheets.
const CONTENT: &str = "content.xml";
/// Most elements of `content.xml` walked.
pub const MAX_ELEMENTS: u64 = 50_000_000;
/// Most bytes of comment text held.
pub const MAX_COMMENT_BYTES: usize = 16 << 20;
/// Deepest nesting of row or column groups kept.
const MAX_GROUPS: usize = 1_000;

/// What one sheet hides.
#[derive(Default)]
struct SheetHides {
    name: String,
    style: Option<String>,
    /// First hidden row and column, if any.
    first_row: Option<u32>,
    first_col: Option<u32>,
    /// Comments: the cell of each, in document order.
    comments: Vec<String>,
}

/// The walk's state.
#[derive(Default)]
struct Walk {
    elements: u64,
    /// Most elements walked ([`MAX_ELEMENTS`]).
    max_elements: u64,
    /// Table styles that hide a sheet.
    hiding_styles: BTreeSet<String>,
    /// The style being read (`style:style` of family `table`).
    style: Option<String>,
    sheets: Vec<SheetHides>,
    /// Depth of `table:table` elements (a table inside a cell is not a sheet).
    table_depth: u32,
    /// Next row and column of the sheet, 1-based; the row being read.
    next_row: u32,
    next_col: u32,
    row: u32,
    /// Column of the cell being read.
    col: u32,
    /// Open row and column groups, each `true` when it is collapsed (`table:display="false"`):
    /// the rows and columns inside a collapsed group are hidden.
    row_groups: Vec<bool>,
    col_groups: Vec<bool>,
    /// Groups nested past [`MAX_GROUPS`], not kept (a collapsed one further out still hides).
    deep_groups: u32,
    /// Depth inside `office:annotation`, and inside its author and date.
    in_note: u32,
    in_meta: u32,
    note: String,
    comment_lines: Vec<(u32, String)>,
    comment_bytes: usize,
    limit: Option<String>,
}

fn repeated(attrs: &[(String, String)], key: &str) -> u32 {
    attr(attrs, key)
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

fn hides(attrs: &[(String, String)]) -> bool {
    matches!(attr(attrs, "visibility"), Some("collapse" | "filter"))
}

impl Walk {
    fn event(&mut self, e: Ev<'_>) -> bool {
        match e {
            Ev::Start { name, attrs, empty } => {
                self.elements += 1;
                if self.elements > self.max_elements {
                    self.limit = Some(format!(
                        "the workbook's content has more than {} elements",
                        self.max_elements
                    ));
                    return false;
                }
                self.start(name, attrs, empty);
                if empty {
                    self.end(name);
                }
            }
            Ev::End { name } => self.end(name),
            Ev::Text(t) if self.in_note > 0 && self.in_meta == 0 => self.push_note(t),
            Ev::Text(_) => {}
        }
        if self.comment_bytes > MAX_COMMENT_BYTES {
            self.limit = Some(format!(
                "the workbook's comments hold more than {} MiB of text",
                MAX_COMMENT_BYTES >> 20
            ));
            return false;
        }
        true
    }

    fn push_note(&mut self, t: &str) {
        self.comment_bytes += t.len();
        self.note.push_str(t);
    }

    fn start(&mut self, name: &str, attrs: &[(String, String)], empty: bool) {
        if self.in_note > 0 {
            match name {
                "annotation" => self.in_note += 1,
                "creator" | "date" | "date-string" => self.in_meta += 1,
                "s" if self.in_meta == 0 => {
                    let n = repeated(attrs, "c").min(1_000) as usize;
                    self.push_note(&" ".repeat(n));
                }
                "tab" if self.in_meta == 0 => self.push_note("\t"),
                "line-break" if self.in_meta == 0 => self.push_note("\n"),
                _ => {}
            }
            return;
        }
        match name {
            "style" => {
                self.style = (attr(attrs, "family") == Some("table"))
                    .then(|| attr(attrs, "name").map(str::to_string))
                    .flatten();
            }
            "table-properties" => {
                if let (Some(s), Some("false")) = (&self.style, attr(attrs, "display")) {
                    self.hiding_styles.insert(s.clone());
                }
            }
            "table" => {
                self.table_depth += 1;
                if self.table_depth == 1 {
                    self.sheets.push(SheetHides {
                        name: attr(attrs, "name").unwrap_or("").to_string(),
                        style: attr(attrs, "style-name").map(str::to_string),
                        ..SheetHides::default()
                    });
                    self.next_row = 1;
                    self.next_col = 1;
                }
            }
            _ if self.table_depth != 1 => {}
            "table-row-group" | "table-column-group" => {
                let collapsed = attr(attrs, "display") == Some("false");
                let groups = if name == "table-row-group" {
                    &mut self.row_groups
                } else {
                    &mut self.col_groups
                };
                if groups.len() < MAX_GROUPS {
                    groups.push(collapsed);
                } else {
                    self.deep_groups += 1;
                }
            }
            "table-column" => {
                let n = repeated(attrs, "number-columns-repeated");
                if hides(attrs) || self.col_groups.contains(&true) {
                    if let Some(s) = self.sheets.last_mut() {
                        s.first_col.get_or_insert(self.next_col);
                    }
                }
                self.next_col = self.next_col.saturating_add(n);
            }
            "table-row" => {
                self.row = self.next_row;
                self.next_row = self
                    .next_row
                    .saturating_add(repeated(attrs, "number-rows-repeated"));
                self.next_col = 1;
                if hides(attrs) || self.row_groups.contains(&true) {
                    if let Some(s) = self.sheets.last_mut() {
                        s.first_row.get_or_insert(self.row);
                    }
                }
            }
            "table-cell" | "covered-table-cell" => {
                self.col = self.next_col;
                self.next_col = self
                    .next_col
                    .saturating_add(repeated(attrs, "number-columns-repeated"));
            }
            "annotation" if !empty => {
                self.in_note = 1;
                self.note.clear();
                if let Some(s) = self.sheets.last_mut() {
                    s.comments.push(cell_ref(self.row.max(1), self.col.max(1)));
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.in_note > 0 {
            match name {
                "annotation" => {
                    self.in_note -= 1;
                    if self.in_note == 0 {
                        self.finish_note();
                    }
                }
                "creator" | "date" | "date-string" => self.in_meta = self.in_meta.saturating_sub(1),
                "p" | "h" if self.in_meta == 0 => self.push_note("\n"),
                _ => {}
            }
            return;
        }
        match name {
            "style" => self.style = None,
            "table-row-group" | "table-column-group"
                if self.table_depth == 1 && self.deep_groups > 0 =>
            {
                self.deep_groups -= 1;
            }
            "table-row-group" if self.table_depth == 1 => {
                self.row_groups.pop();
            }
            "table-column-group" if self.table_depth == 1 => {
                self.col_groups.pop();
            }
            "table" => {
                self.table_depth = self.table_depth.saturating_sub(1);
                if self.table_depth == 0 {
                    // The next sheet's column definitions start again from A.
                    self.next_col = 1;
                }
            }
            _ => {}
        }
    }

    fn finish_note(&mut self) {
        let note = std::mem::take(&mut self.note);
        for l in note.lines().filter(|l| !l.trim().is_empty()) {
            let n = self.comment_lines.len() as u32 + 1;
            self.comment_lines.push((n, l.to_string()));
        }
    }
}

/// The parts of an ODS package besides its sheets: embedded objects (`Object 1/content.xml`: a
/// chart with its data table, an embedded spreadsheet or text), macro modules (`Basic/…`,
/// `Scripts/…`) and pictures. An object's tables and text are read as the member's, and the
/// object is hidden content, unless it is a chart that draws from sheet cells (its table is a
/// copy of them).
/// Macro modules are hidden content and their code goes to the code rules. Pictures and
/// anything not known are members, checked like files. Layout, settings, metadata and the
/// renderings of the first sheet and of objects (`Thumbnails/`, `ObjectReplacements/`) hold
/// no content of their own.
fn other_parts<R: Read + Seek>(pkg: &mut Package<R>, builder: &Builder<'_>, doc: &mut Document) {
    let mut held = 0u64;
    for name in pkg.names.clone() {
        let lower = name.to_ascii_lowercase();
        let leaf = lower.rsplit('/').next().unwrap_or(&lower);
        let structure = name.ends_with('/')
            || name == "mimetype"
            || name == CONTENT
            || lower.starts_with("meta-inf/")
            || lower.starts_with("thumbnails/")
            || lower.starts_with("objectreplacements/")
            || lower.starts_with("configurations2/")
            || matches!(
                leaf,
                "styles.xml" | "meta.xml" | "settings.xml" | "manifest.rdf"
            );
        if structure {
            continue;
        }
        let here = Location {
            member: Some(name.clone()),
            ..Location::default()
        };
        let macro_part = lower.starts_with("basic/") || lower.starts_with("scripts/");
        if let Some(object) = name.strip_suffix("/content.xml").filter(|_| !macro_part) {
            embedded_object(pkg, &name, object, builder, doc);
        } else if macro_part {
            // The library lists (`script-lc.xml`, `script.xlb`) name modules; the modules hold
            // the code.
            if matches!(
                leaf,
                "script-lc.xml" | "dialog-lc.xml" | "script.xlb" | "dialog.xlb"
            ) {
                continue;
            }
            hidden(
                doc,
                here.clone(),
                format!("macro module {name}"),
                here.clone(),
            );
            match pkg.read(&name, super::package::MAX_SCANNED_PART) {
                Some(bytes) => {
                    let code = if leaf.ends_with(".xml") || leaf.ends_with(".xba") {
                        leaf_text(&bytes)
                    } else {
                        Some(String::from_utf8_lossy(&bytes).into_owned())
                    };
                    let Some(code) = code else {
                        unchecked(
                            doc,
                            here,
                            format!("macro module {name}"),
                            "the part is not well-formed XML (damaged or cut short)",
                        );
                        continue;
                    };
                    let mut text = Text::of(TextKind::Code, &code);
                    text.member = Some(name.clone());
                    doc.texts.push(text);
                }
                None => unchecked(
                    doc,
                    here,
                    format!("macro module {name}"),
                    "the part could not be read",
                ),
            }
        } else {
            match pkg.read(&name, super::package::MAX_SCANNED_PART) {
                Some(bytes) if held + bytes.len() as u64 <= MAX_MEMBER_BYTES => {
                    held += bytes.len() as u64;
                    doc.members.push(Member { name, bytes });
                }
                _ => unchecked(doc, here, format!("part {name}"), "it is too large to read"),
            }
        }
    }
}

/// Most bytes of pictures and other parts held for checking as members.
const MAX_MEMBER_BYTES: u64 = 512 << 20;

/// The text of an XML part's elements, in order (a Basic module's code is the text of its one
/// `script:module` element, entities such as `&quot;` decoded by the walker); `None` when the
/// part is not well-formed or is cut short (an element left open).
fn leaf_text(bytes: &[u8]) -> Option<String> {
    let mut out = String::new();
    let (mut depth, mut rooted) = (0usize, false);
    let walked = super::xml::walk(bytes, &mut |e| {
        match e {
            Ev::Start { empty, .. } => {
                rooted = true;
                if !empty {
                    depth += 1;
                }
            }
            Ev::End { .. } => depth = depth.saturating_sub(1),
            Ev::Text(t) if rooted => out.push_str(t),
            Ev::Text(_) => {}
        }
        true
    });
    (walked.is_ok() && rooted && depth == 0).then_some(out)
}

/// One embedded object's `content.xml`, read as the text and tables of the object.
fn embedded_object<R: Read + Seek>(
    pkg: &mut Package<R>,
    part: &str,
    object: &str,
    builder: &Builder<'_>,
    doc: &mut Document,
) {
    let here = Location {
        member: Some(object.to_string()),
        ..Location::default()
    };
    let Some(bytes) = pkg.read(part, super::package::MAX_SCANNED_PART) else {
        unchecked(
            doc,
            here,
            "an embedded object".to_string(),
            "the part could not be read",
        );
        return;
    };
    let xml = String::from_utf8_lossy(&bytes);
    let parsed = match crate::read::document::odf::parse(&xml) {
        Ok(p) => p,
        Err(e) => {
            unchecked(doc, here, "an embedded object".to_string(), &e.to_string());
            return;
        }
    };
    // A chart draws its data from sheet cells when its plot area names a range of them: its
    // table is a copy of what the sheets show, already checked there. A chart without one holds
    // data typed into the chart, which no sheet shows.
    let chart = xml.contains("<chart:chart");
    let read = crate::read::figure::odf_chart::chart_object(&xml, object);
    let from_sheets = chart && read.as_ref().is_some_and(|c| c.from_sheets);
    doc.figures.extend(read.and_then(|c| c.figure));
    if !from_sheets {
        // The location names the object; a message never carries a bare number (`Object 1`).
        let what = if chart {
            "chart data held only in an embedded object".to_string()
        } else {
            "an embedded object".to_string()
        };
        hidden(doc, here.clone(), what, here.clone());
    }
    for scope in parsed.scopes {
        if !scope.lines.is_empty() {
            let mut text = Text::new(TextKind::Output, scope.lines);
            text.member = Some(object.to_string());
            doc.texts.push(text);
        }
        for rows in scope.tables.iter().filter(|_| !from_sheets) {
            if rows.len() >= 2 {
                doc.tables.extend(builder.tables(rows, Some(object), None));
            }
        }
    }
    let notes: Vec<(u32, String)> = [parsed.comments, parsed.deleted, parsed.hidden].concat();
    if !notes.is_empty() {
        let mut text = Text::new(TextKind::Output, notes);
        text.member = Some(object.to_string());
        doc.texts.push(text);
    }
}

/// Read the hidden parts of an ODS package's content into `doc`.
pub fn read_parts<R: Read + Seek>(pkg: &mut Package<R>, builder: &Builder<'_>, doc: &mut Document) {
    other_parts(pkg, builder, doc);
    let mut w = Walk {
        max_elements: MAX_ELEMENTS,
        ..Walk::default()
    };
    let walked = pkg.walk(CONTENT, &mut |e| w.event(e));
    if let Some(what) = w.limit.take() {
        doc.facts
            .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                what,
            ))));
        return;
    }
    let content = Location {
        member: Some(CONTENT.to_string()),
        ..Location::default()
    };
    if walked.is_err() {
        let part = format!("hidden rows, columns and comments ({CONTENT})");
        unchecked(doc, content, part, "the part is not well-formed");
        return;
    }
    for s in &w.sheets {
        let here = sheet_location(&s.name);
        let hidden_sheet = s
            .style
            .as_ref()
            .is_some_and(|st| w.hiding_styles.contains(st));
        let known = doc
            .facts
            .iter()
            .any(|f| matches!(&f.kind, FactKind::Hidden { scope, .. } if *scope == here));
        if hidden_sheet && !known {
            hidden(
                doc,
                here.clone(),
                format!("hidden sheet '{}'", s.name),
                here.clone(),
            );
        }
        hidden_lines(doc, &s.name, s.first_row.map(Some), s.first_col.map(Some));
        if let Some(cell) = s.comments.first() {
            let location = Location {
                member: Some(CONTENT.to_string()),
                sheet: Some(s.name.clone()),
                cell: Some(cell.clone()),
                ..Location::default()
            };
            hidden(
                doc,
                location,
                format!("cell comments on sheet '{}' ({CONTENT})", s.name),
                content.clone(),
            );
        }
    }
    if !w.comment_lines.is_empty() {
        let mut text = Text::new(TextKind::Output, std::mem::take(&mut w.comment_lines));
        text.member = Some(CONTENT.to_string());
        doc.texts.push(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(xml: &str) -> Walk {
        let mut w = Walk {
            max_elements: 1_000,
            ..Walk::default()
        };
        super::super::xml::walk(xml.as_bytes(), &mut |e| w.event(e)).expect("well-formed");
        w
    }

    #[test]
    fn a_macro_module_cut_short_gives_no_code() {
        let module = br#"<?xml version="1.0"?>
<script:module script:name="M">Sub A
End Sub
</script:module>"#;
        assert_eq!(leaf_text(module).as_deref(), Some("Sub A\nEnd Sub\n"));
        assert_eq!(leaf_text(&module[..module.len() - 10]), None);
        assert_eq!(leaf_text(b"not xml at all"), None);
    }

    #[test]
    fn repeated_rows_and_columns_place_what_follows() {
        let w = walk(
            r#"<t:table xmlns:t="t" xmlns:o="o" xmlns:x="x" t:name="S"><t:table-column t:number-columns-repeated="2"/><t:table-column t:visibility="collapse"/><t:table-row t:number-rows-repeated="4"><t:table-cell/></t:table-row><t:table-row t:visibility="filter"><t:table-cell t:number-columns-repeated="2"/><t:table-cell><o:annotation><x:creator>Name</x:creator><x:p>a <x:s x:c="2"/>b</x:p><x:p>c</x:p></o:annotation></t:table-cell></t:table-row></t:table>"#,
        );
        let s = &w.sheets[0];
        assert_eq!((s.first_row, s.first_col), (Some(5), Some(3)));
        assert_eq!(s.comments, vec!["C5"]);
        assert_eq!(
            w.comment_lines,
            vec![(1, "a   b".to_string()), (2, "c".to_string())]
        );
    }

    #[test]
    fn rows_and_columns_of_a_collapsed_group_are_hidden() {
        let w = walk(
            r#"<t:table xmlns:t="t" t:name="S"><t:table-column-group><t:table-column/></t:table-column-group><t:table-column-group t:display="false"><t:table-column/></t:table-column-group><t:table-row-group><t:table-row><t:table-cell/></t:table-row></t:table-row-group><t:table-row-group t:display="false"><t:table-row><t:table-cell/></t:table-row></t:table-row-group></t:table>"#,
        );
        let s = &w.sheets[0];
        assert_eq!((s.first_row, s.first_col), (Some(2), Some(2)));
        assert!(w.row_groups.is_empty() && w.col_groups.is_empty());
    }

    #[test]
    fn past_the_element_cap_the_walk_stops_with_a_limit() {
        let rows = "<r/>".repeat(2_000);
        let w = walk(&format!("<t>{rows}</t>"));
        assert!(w.limit.is_some());
        assert!(w.elements <= 1_001);
    }

    #[test]
    fn a_table_style_with_display_false_hides_its_sheet() {
        let w = walk(
            r#"<r xmlns:s="s" xmlns:t="t"><s:style s:name="ta2" s:family="table"><s:table-properties t:display="false"/></s:style><t:table t:name="D" t:style-name="ta2"/></r>"#,
        );
        assert!(w.hiding_styles.contains("ta2"));
        assert_eq!(w.sheets[0].style.as_deref(), Some("ta2"));
    }
}
