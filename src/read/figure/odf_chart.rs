//! An OpenDocument chart object (`Object 1/content.xml` of an ODS, ODT or ODP) as a figure.
//!
//! A chart's `chart:plot-area` lists its `chart:series`: the cells of its values
//! (`chart:values-cell-range-address`) and of its x values or categories (`chart:domain`),
//! and the chart keeps a copy of what it draws in its own `local-table`. Each series whose
//! ranges name that table is counted from it like any chart's series (points, distinct
//! positions, a regular grid); `embedded-data` judges it. A series drawn from a sheet's cells
//! is not counted here: the sheet's cells, checked as a table, stand for it (the local table's
//! layout need not follow the sheet range's). The marks follow the series class
//! (`chart:scatter`, `chart:bubble`: points; `chart:line`, `chart:radar`: lines; bars, areas,
//! pies: bars).

use crate::model::{Figure, Location, Mark};
use crate::read::document::xml::{walk, Ev};
use crate::read::html::charts::{series as count_series, text_position, Pos};

/// Most rows and columns of a chart's local table read.
const MAX_ROWS: usize = 200_000;
const MAX_COLUMNS: usize = 256;
/// Most times one row or cell is repeated.
const MAX_REPEAT: usize = 100_000;

/// One series: its class, label, value range and domain ranges.
#[derive(Default)]
struct Ser {
    class: Option<String>,
    values: Option<String>,
    domains: Vec<String>,
}

/// A range in A1 form on a table: the table's name, first and last (column, row), 0-based.
#[derive(Debug, PartialEq)]
struct Range {
    table: String,
    from: (usize, usize),
    to: (usize, usize),
}

fn cell_of(s: &str) -> Option<(usize, usize)> {
    let s = s.trim().trim_start_matches('$').replace('$', "");
    let letters: String = s.chars().take_while(char::is_ascii_alphabetic).collect();
    let row: usize = s[letters.len()..].parse().ok()?;
    let col = letters.bytes().try_fold(0usize, |c, b| {
        c.checked_mul(26)?
            .checked_add(usize::from(b.to_ascii_uppercase() - b'A') + 1)
    })?;
    Some((col.checked_sub(1)?, row.checked_sub(1)?))
}

/// `local-table.$B$2:.$B$13`, `Sheet1.B2:Sheet1.B13`, `'My sheet'.A1` (the first range of a
/// list).
fn range_of(s: &str) -> Option<Range> {
    // Ranges of a list are separated by spaces; a quoted table name may hold one.
    let mut quoted = false;
    let end = s
        .trim_start()
        .char_indices()
        .find(|&(_, c)| {
            if c == '\'' {
                quoted = !quoted;
            }
            c == ' ' && !quoted
        })
        .map_or(s.trim_start().len(), |(i, _)| i);
    let first = &s.trim_start()[..end];
    let (a, b) = first.split_once(':').unwrap_or((first, first));
    let split = |p: &str| -> (String, String) {
        match p.rsplit_once('.') {
            Some((t, c)) => (
                t.trim_matches('\'').trim_start_matches('$').to_string(),
                c.to_string(),
            ),
            None => (String::new(), p.to_string()),
        }
    };
    let (table, from) = split(a);
    let (_, to) = split(b);
    Some(Range {
        table,
        from: cell_of(&from)?,
        to: cell_of(&to)?,
    })
}

/// What a chart object's `content.xml` holds for its figure.
#[derive(Default)]
struct Chart {
    class: String,
    series: Vec<Ser>,
    /// The local table's cells as text (a number by its `office:value`).
    table: Vec<Vec<String>>,
    table_name: String,
    /// The plot area's source range, when it names one.
    plot_range: Option<String>,
}

fn parse(xml: &str) -> Option<Chart> {
    let mut c = Chart::default();
    let mut in_table = 0u32;
    let mut row: Option<(Vec<String>, usize)> = None;
    let mut cell: Option<(String, usize, bool)> = None;
    let mut seen_chart = false;
    walk(xml, |ev| match ev {
        Ev::Start(e) => match e.name.as_str() {
            // `office:chart` holds `chart:chart`, the one with a class.
            "chart" if !seen_chart && e.attr("class").is_some() => {
                seen_chart = true;
                c.class = e.attr("class").unwrap_or("").to_string();
            }
            "plot-area" => {
                c.plot_range = e
                    .attr("cell-range-address")
                    .filter(|r| !r.trim().is_empty())
                    .map(str::to_string);
            }
            "series" => c.series.push(Ser {
                class: e.attr("class").map(str::to_string),
                values: e.attr("values-cell-range-address").map(str::to_string),
                domains: Vec::new(),
            }),
            "domain" => {
                if let (Some(s), Some(r)) = (c.series.last_mut(), e.attr("cell-range-address")) {
                    s.domains.push(r.to_string());
                }
            }
            "table" => {
                in_table += 1;
                if in_table == 1 {
                    c.table_name = e.attr("name").unwrap_or("").to_string();
                }
            }
            "table-row" if in_table == 1 => {
                let n = e.num("number-rows-repeated").unwrap_or(1) as usize;
                row = Some((Vec::new(), n.clamp(1, MAX_REPEAT)));
            }
            "table-cell" | "covered-table-cell" if in_table == 1 => {
                let n = e.num("number-columns-repeated").unwrap_or(1) as usize;
                let value = e.attr("value").map(str::to_string);
                let has = value.is_some();
                cell = Some((value.unwrap_or_default(), n.clamp(1, MAX_COLUMNS), has));
            }
            _ => {}
        },
        Ev::Text(t) => {
            if let Some((text, _, false)) = cell.as_mut() {
                text.push_str(t);
            }
        }
        Ev::End(name) => match name {
            "table" => in_table = in_table.saturating_sub(1),
            "table-cell" | "covered-table-cell" if in_table == 1 => {
                if let (Some((text, n, _)), Some((cells, _))) = (cell.take(), row.as_mut()) {
                    for _ in 0..n {
                        if cells.len() < MAX_COLUMNS {
                            cells.push(text.clone());
                        }
                    }
                }
            }
            "table-row" if in_table == 1 => {
                if let Some((cells, n)) = row.take() {
                    for _ in 0..n {
                        if c.table.len() < MAX_ROWS {
                            c.table.push(cells.clone());
                        }
                    }
                }
            }
            _ => {}
        },
    })
    .ok()?;
    seen_chart.then_some(c)
}

/// The marks a series class draws.
fn mark_of(class: &str) -> Mark {
    match class.trim_start_matches("chart:") {
        "scatter" | "bubble" => Mark::Point,
        "line" | "radar" | "filled-radar" => Mark::Line,
        "bar" | "area" | "circle" | "ring" => Mark::Bar,
        _ => Mark::Other,
    }
}

impl Chart {
    /// The values of a range of the local table: a column (or row) of it. A range into a
    /// sheet gives none.
    fn values(&self, r: &str) -> Option<Vec<Pos>> {
        let r = range_of(r)?;
        if r.table != self.table_name && !r.table.is_empty() {
            return None;
        }
        let ((c0, r0), (c1, r1)) = (r.from, r.to);
        let mut out = Vec::new();
        for row in r0..=r1.min(self.table.len().saturating_sub(1)) {
            for col in c0..=c1.min(MAX_COLUMNS) {
                let v = self.table.get(row).and_then(|cells| cells.get(col));
                match v.map(|s| s.trim()) {
                    Some(s) if !s.is_empty() && s != "NaN" => out.push(text_position(s)),
                    _ => {}
                }
            }
        }
        Some(out)
    }
}

/// What a chart object's `content.xml` gives, read once: its figure, if a series reads its local
/// table, and whether it draws from sheet cells.
pub struct ChartObject {
    pub figure: Option<Figure>,
    pub from_sheets: bool,
}

/// The chart object in `xml` at `object` (its member name), if it is a chart.
pub fn chart_object(xml: &str, object: &str) -> Option<ChartObject> {
    let chart = parse(xml)?;
    Some(ChartObject {
        from_sheets: chart.draws_from_sheets(),
        figure: chart.figure(object),
    })
}

impl Chart {
    /// Whether the chart draws from sheet cells: a range of its plot area or of a series names
    /// a table other than its own local table. Its local table is then a copy of what the sheets
    /// show; otherwise it holds data typed into the chart, which no sheet shows.
    fn draws_from_sheets(&self) -> bool {
        let c = self;
        c.plot_range
            .iter()
            .chain(
                c.series
                    .iter()
                    .flat_map(|s| s.values.iter().chain(&s.domains)),
            )
            .filter_map(|r| range_of(r))
            .any(|r| !r.table.is_empty() && r.table != c.table_name)
    }

    /// The figure of the chart at `object`, if a series reads its local table.
    fn figure(&self, object: &str) -> Option<Figure> {
        let chart = self;
        let mut series = Vec::new();
        for s in &chart.series {
            let class = s.class.as_deref().unwrap_or(&chart.class);
            let Some(ys) = s.values.as_deref().and_then(|r| chart.values(r)) else {
                continue;
            };
            let xs = s.domains.first().and_then(|r| chart.values(r));
            let xs = match xs {
                Some(x) if x.len() == ys.len() => x,
                // No domain (or one that does not line up): drawn at 1, 2, 3 …
                _ => (0..ys.len()).map(|k| Pos::Num(k as f64)).collect(),
            };
            let name = class.trim_start_matches("chart:").to_string();
            series.extend(count_series(&name, mark_of(class), Some(&xs), Some(&ys)));
        }
        if series.is_empty() {
            return None;
        }
        Some(Figure {
            location: Location {
                member: Some(object.to_string()),
                ..Location::default()
            },
            source: "chart object".to_string(),
            series,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure_of_odf_chart(xml: &str, object: &str) -> Option<Figure> {
        chart_object(xml, object).and_then(|c| c.figure)
    }

    fn draws_from_sheets(xml: &str) -> bool {
        chart_object(xml, "Object 1").is_some_and(|c| c.from_sheets)
    }

    fn chart(class: &str, rows: &[(f64, f64)], range_table: &str) -> String {
        let n = rows.len() + 1;
        let body: String = rows
            .iter()
            .map(|(x, y)| {
                format!(
                    "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"{x}\"><text:p>{x}</text:p></table:table-cell><table:table-cell office:value-type=\"float\" office:value=\"{y}\"><text:p>{y}</text:p></table:table-cell></table:table-row>"
                )
            })
            .collect();
        format!(
            "<office:document-content xmlns:office=\"o\" xmlns:chart=\"c\" xmlns:table=\"t\" xmlns:text=\"x\"><office:body><office:chart><chart:chart chart:class=\"{class}\"><chart:plot-area><chart:series chart:values-cell-range-address=\"{range_table}.$B$2:.$B${n}\"><chart:domain table:cell-range-address=\"{range_table}.$A$2:.$A${n}\"/></chart:series></chart:plot-area><table:table table:name=\"local-table\"><table:table-header-rows><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell><table:table-cell><text:p>y</text:p></table:table-cell></table:table-row></table:table-header-rows><table:table-rows>{body}</table:table-rows></table:table></chart:chart></office:chart></office:body></office:document-content>"
        )
    }

    #[test]
    fn ranges_name_their_table_and_cells() {
        assert_eq!(
            range_of("local-table.$B$2:.$B$13"),
            Some(Range {
                table: "local-table".into(),
                from: (1, 1),
                to: (1, 12)
            })
        );
        assert_eq!(
            range_of("'My sheet'.A1").map(|r| r.table),
            Some("My sheet".into())
        );
        assert_eq!(range_of("nonsense"), None);
    }

    #[test]
    fn a_scatter_of_points_is_counted_from_the_local_table() {
        let points: Vec<(f64, f64)> = (0..60)
            .map(|i| {
                let i = f64::from(i);
                (
                    40.0 + (i * 7.31).sin() * 23.7,
                    120.0 + (i * 3.17).cos() * 41.3,
                )
            })
            .collect();
        let f = figure_of_odf_chart(&chart("chart:scatter", &points, "local-table"), "Object 1")
            .expect("a chart");
        assert_eq!(f.series.len(), 1);
        let s = &f.series[0];
        assert_eq!((s.mark, s.points, s.distinct), (Mark::Point, 60, 60));
        assert!(!s.regular);
        assert_eq!(f.location.member.as_deref(), Some("Object 1"));
        // The same range on a sheet is the sheet's: its cells are checked as a table.
        assert!(
            figure_of_odf_chart(&chart("chart:scatter", &points, "Data"), "Object 1").is_none()
        );
        assert!(draws_from_sheets(&chart("chart:scatter", &points, "Data")));
        assert!(!draws_from_sheets(&chart(
            "chart:scatter",
            &points,
            "local-table"
        )));
    }

    #[test]
    fn a_monthly_line_lies_on_a_regular_grid_and_a_document_without_a_chart_is_none() {
        let months: Vec<(f64, f64)> = (1..=36)
            .map(|m| (f64::from(m), 100.0 + f64::from(m % 7)))
            .collect();
        let f = figure_of_odf_chart(&chart("chart:line", &months, "local-table"), "Object 2")
            .expect("a chart");
        assert_eq!(f.series[0].mark, Mark::Line);
        assert!(f.series[0].regular);
        assert!(figure_of_odf_chart("<office:document-content/>", "Object 3").is_none());
        assert!(figure_of_odf_chart("<chart:chart><chart:series", "Object 4").is_none());
    }
}
