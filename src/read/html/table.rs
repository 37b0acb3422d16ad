//! An HTML `<table>` as a grid of cell texts: rows of its own (`thead`, `tbody`, `tfoot` or
//! direct), `colspan` and `rowspan` spread over the cells they cover, so that a header written
//! once over several columns stands over each of them as in a spreadsheet. Nested tables are
//! grids of their own.

use scraper::{ElementRef, Node};

use crate::table::grid::GridRow;

/// Most rows kept of one table.
pub const MAX_ROWS: usize = 100_000;
/// Most columns of one table.
pub const MAX_COLS: usize = 1_000;
/// Largest span honoured; a larger `colspan`/`rowspan` counts as this.
const MAX_SPAN: usize = 100;

/// A table read from the page: its grid, and how many of its first rows are header rows
/// (`thead`, or rows of `th` cells only).
#[derive(Debug, Default, Clone)]
pub struct Grid {
    pub rows: Vec<GridRow>,
    pub header_rows: usize,
    /// Rows or columns past the limits were not kept.
    pub truncated: bool,
}

/// The rows of a table element, its nested tables left out.
fn rows_of<'a>(table: ElementRef<'a>) -> Vec<(ElementRef<'a>, bool)> {
    let mut out = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => out.push((child, false)),
            section @ ("thead" | "tbody" | "tfoot") => {
                for tr in child.child_elements().filter(|e| e.value().name() == "tr") {
                    out.push((tr, section == "thead"));
                }
            }
            _ => {}
        }
    }
    out
}

/// The text of a cell, whitespace collapsed; a line break (`<br>`) counts as a space. Text of a
/// nested table is left to that table.
pub fn cell_text(cell: ElementRef<'_>) -> String {
    let mut out = String::new();
    collect(cell, &mut out, 0);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collect(el: ElementRef<'_>, out: &mut String, depth: usize) {
    if depth > 64 || out.len() > 4096 {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                if matches!(e.name(), "table" | "script" | "style" | "template") {
                    continue;
                }
                if e.name() == "br" {
                    out.push(' ');
                }
                if let Some(c) = ElementRef::wrap(child) {
                    collect(c, out, depth + 1);
                }
            }
            _ => {}
        }
    }
}

fn span(cell: ElementRef<'_>, attr: &str) -> usize {
    cell.attr(attr)
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_SPAN)
}

/// The grid of one table element.
pub fn grid(table: ElementRef<'_>) -> Grid {
    let rows = rows_of(table);
    let mut grid = Grid::default();
    // Cells still covered by a rowspan from above: (column, rows left, text).
    let mut carried: Vec<Option<(usize, String)>> = Vec::new();
    let mut header_done = false;
    for (r, (tr, in_head)) in rows.iter().enumerate() {
        if r >= MAX_ROWS {
            grid.truncated = true;
            break;
        }
        let mut cells: Vec<String> = Vec::new();
        let mut col = 0usize;
        let mut all_th = true;
        let mut any = false;
        let place_carried =
            |col: &mut usize,
             cells: &mut Vec<String>,
             carried: &mut Vec<Option<(usize, String)>>| {
                while let Some(Some((left, text))) = carried.get_mut(*col) {
                    cells.push(text.clone());
                    *left -= 1;
                    if *left == 0 {
                        carried[*col] = None;
                    }
                    *col += 1;
                }
            };
        for cell in tr
            .child_elements()
            .filter(|e| matches!(e.value().name(), "td" | "th"))
        {
            place_carried(&mut col, &mut cells, &mut carried);
            any = true;
            all_th &= cell.value().name() == "th";
            let text = cell_text(cell);
            let (cs, rs) = (span(cell, "colspan"), span(cell, "rowspan"));
            for k in 0..cs {
                if col >= MAX_COLS {
                    grid.truncated = true;
                    break;
                }
                // A header spanning columns stands over each; a body cell spanning columns
                // is one value, written once.
                let spread = *in_head || all_th || k == 0;
                cells.push(if spread { text.clone() } else { String::new() });
                if rs > 1 {
                    if carried.len() <= col {
                        carried.resize(col + 1, None);
                    }
                    carried[col] = Some((rs - 1, text.clone()));
                }
                col += 1;
            }
        }
        place_carried(&mut col, &mut cells, &mut carried);
        if !any && cells.is_empty() {
            continue;
        }
        if !header_done && (*in_head || (all_th && any)) {
            grid.header_rows += 1;
        } else {
            header_done = true;
        }
        grid.rows.push(GridRow {
            row: grid.rows.len() as u32 + 1,
            line: None,
            cells,
        });
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn first(html: &str) -> Grid {
        let doc = Html::parse_document(html);
        let sel = Selector::parse("table").unwrap();
        grid(doc.select(&sel).next().unwrap())
    }

    #[test]
    fn spans_fill_the_grid() {
        let g = first(
            "<table><thead><tr><th rowspan=2>Age</th><th colspan=2>Sex</th></tr>\
             <tr><th>F</th><th>M</th></tr></thead>\
             <tbody><tr><td>18-29</td><td>12</td><td>3</td></tr></tbody></table>",
        );
        assert_eq!(g.header_rows, 2);
        assert_eq!(g.rows[0].cells, ["Age", "Sex", "Sex"]);
        assert_eq!(g.rows[1].cells, ["Age", "F", "M"]);
        assert_eq!(g.rows[2].cells, ["18-29", "12", "3"]);
    }

    #[test]
    fn huge_spans_are_capped() {
        let g = first("<table><tr><td colspan=99999999>x</td></tr></table>");
        assert_eq!(g.rows[0].cells.len(), MAX_SPAN);
    }
}
