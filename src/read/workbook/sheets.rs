//! The sheets of a workbook, through calamine: every sheet (hidden and very hidden ones too), its
//! cells by their cached values, laid out as tables. A sheet is held in memory up to
//! [`SHEET_CELLS`] filled cells; past that its cells read so far become the sample that fixes the
//! table's layout, and the rest streams row by row through the row rules (XLSX and XLSB read
//! their cells one at a time through calamine, XLS through [`super::xls`]; ODS gives
//! calamine's whole range). Only one table of a
//! document streams: a second sheet that large is read to its limit and the rest is said to be
//! unchecked.

use std::io::{Read, Seek};

use calamine::{Reader, Sheet, SheetType, SheetVisible, Sheets};

use crate::model::{Fact, FactKind, Location, Table, Unreadable};
use crate::read::Streamed;
use crate::table::cell::NumberStyle;
use crate::table::grid::{Builder, GridRow};

use super::layout::{self, SheetCell, MAX_GRID_POSITIONS};
use super::values::{data_ref_text, data_text};
use super::xls::XlsBook;

/// Filled cells of one sheet held in memory; a larger sheet streams.
pub const SHEET_CELLS: usize = 250_000;

/// Filled cells of a whole workbook held in memory.
pub const BOOK_CELLS: usize = 1_000_000;

/// Widest row a sheet has (XFD).
const MAX_COLUMNS: usize = 16_384;

/// The location of a sheet.
pub fn sheet_location(name: &str) -> Location {
    Location {
        sheet: Some(name.to_string()),
        ..Location::default()
    }
}

/// A workbook whose sheets' cells are read one at a time.
pub trait Book {
    /// The sheets, in the order of the workbook.
    fn sheet_list(&self) -> Vec<Sheet>;
    /// Hand every filled cell of a sheet, 1-based, in reading order (row by row) to `f`.
    fn visit(&mut self, name: &str, f: &mut dyn FnMut(u32, u32, String)) -> Result<(), ()>;
}

impl<RS: Read + Seek> Book for Sheets<RS> {
    fn sheet_list(&self) -> Vec<Sheet> {
        self.sheets_metadata().to_vec()
    }

    fn visit(&mut self, name: &str, f: &mut dyn FnMut(u32, u32, String)) -> Result<(), ()> {
        visit_cells(self, name, f)
    }
}

impl<R: Read + Seek> Book for XlsBook<R> {
    fn sheet_list(&self) -> Vec<Sheet> {
        self.sheets()
    }

    fn visit(&mut self, name: &str, f: &mut dyn FnMut(u32, u32, String)) -> Result<(), ()> {
        XlsBook::visit(self, name, f).map_err(|_| ())
    }
}

/// Read every sheet of a workbook into tables (a streamed one last) and facts.
pub fn read_sheets(
    book: &mut dyn Book,
    builder: &Builder<'_>,
    sink: &mut dyn FnMut(Streamed<'_>),
    tables: &mut Vec<Table>,
    facts: &mut Vec<Fact>,
) {
    let sheets = book.sheet_list();
    let mut budget = BOOK_CELLS;
    let mut streamed: Option<Table> = None;
    for sheet in sheets {
        let here = sheet_location(&sheet.name);
        let state = match sheet.visible {
            SheetVisible::Visible => None,
            SheetVisible::Hidden => Some("hidden"),
            SheetVisible::VeryHidden => Some("very hidden"),
        };
        if let Some(state) = state {
            facts.push(Fact {
                location: here.clone(),
                kind: FactKind::Hidden {
                    part: format!("{state} sheet '{}'", sheet.name),
                    scope: here.clone(),
                },
            });
        }
        match sheet.typ {
            SheetType::ChartSheet | SheetType::Vba => continue,
            SheetType::MacroSheet => facts.push(Fact {
                location: here.clone(),
                kind: FactKind::Hidden {
                    part: format!("macro sheet '{}'", sheet.name),
                    scope: here.clone(),
                },
            }),
            SheetType::WorkSheet | SheetType::DialogSheet => {}
        }
        let mut read = SheetRead {
            name: sheet.name.clone(),
            builder,
            limit: SHEET_CELLS.min(budget),
            cells: Vec::new(),
            tables: Vec::new(),
            stream: None,
            may_stream: streamed.is_none(),
            dropped: 0,
            sink: &mut *sink,
        };
        let visited = book.visit(&sheet.name, &mut |r, c, t| read.cell(r, c, t));
        let held = if read.stream.is_some() {
            read.limit
        } else {
            read.cells.len()
        };
        budget = budget.saturating_sub(held);
        let done = read.finish(facts);
        tables.extend(done.0);
        if let Some(t) = done.1 {
            streamed = Some(t);
        }
        if visited.is_err() {
            facts.push(Fact {
                location: here.clone(),
                kind: FactKind::Unchecked {
                    part: format!("sheet '{}'", sheet.name),
                    why: "its cells could not be read".into(),
                },
            });
        }
    }
    tables.extend(streamed);
}

/// Hand every filled cell of a sheet, 1-based, in reading order (row by row) to `f`.
fn visit_cells<RS: Read + Seek>(
    book: &mut Sheets<RS>,
    name: &str,
    f: &mut dyn FnMut(u32, u32, String),
) -> Result<(), ()> {
    match book {
        Sheets::Xlsx(x) => {
            let mut r = x.worksheet_cells_reader(name).map_err(|_| ())?;
            while let Some(c) = r.next_cell().map_err(|_| ())? {
                let (row, col) = c.get_position();
                f(
                    row.saturating_add(1),
                    col.saturating_add(1),
                    data_ref_text(c.get_value()),
                );
            }
            Ok(())
        }
        Sheets::Xlsb(x) => {
            let mut r = x.worksheet_cells_reader(name).map_err(|_| ())?;
            while let Some(c) = r.next_cell().map_err(|_| ())? {
                let (row, col) = c.get_position();
                f(
                    row.saturating_add(1),
                    col.saturating_add(1),
                    data_ref_text(c.get_value()),
                );
            }
            Ok(())
        }
        Sheets::Xls(_) | Sheets::Ods(_) => {
            let range = book.worksheet_range(name).map_err(|_| ())?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, v) in range.used_cells() {
                let row = r0.saturating_add(r as u32).saturating_add(1);
                let col = c0.saturating_add(c as u32).saturating_add(1);
                f(row, col, data_text(v));
            }
            Ok(())
        }
    }
}

/// One sheet being read: cells gathered until the limit, then rows streamed.
struct SheetRead<'b, 's> {
    name: String,
    builder: &'b Builder<'b>,
    limit: usize,
    cells: Vec<SheetCell>,
    /// The tables of the sample other than the streamed one.
    tables: Vec<Table>,
    stream: Option<Stream>,
    /// Whether this sheet may stream (only one table of a document streams).
    may_stream: bool,
    /// Cells past the limit that were not read.
    dropped: u64,
    sink: &'s mut dyn FnMut(Streamed<'_>),
}

/// A sheet streaming: the table its rows go to, where its columns start, the row being
/// gathered, how many rows went past.
struct Stream {
    table: Table,
    c0: u32,
    styles: Vec<NumberStyle>,
    row: Option<GridRow>,
    rows: u64,
    /// Cells left of the table's columns, which no row of it shows.
    outside: u64,
}

impl SheetRead<'_, '_> {
    fn cell(&mut self, row: u32, col: u32, text: String) {
        if text.trim().is_empty() {
            return;
        }
        if let Some(s) = &mut self.stream {
            s.cell(row, col, text, self.builder, &mut *self.sink);
            return;
        }
        if self.cells.len() < self.limit {
            self.cells.push(SheetCell { row, col, text });
        } else if self.may_stream {
            self.start_stream();
            if let Some(s) = &mut self.stream {
                s.cell(row, col, text, self.builder, &mut *self.sink);
            }
        } else {
            self.dropped += 1;
        }
    }

    /// The cells so far fix the layout; the bottom table takes the rows that follow. The row
    /// being read when the limit was reached goes with them.
    fn start_stream(&mut self) {
        let last_row = self.cells.last().map(|c| c.row);
        let split = self
            .cells
            .iter()
            .rposition(|c| Some(c.row) != last_row)
            .map(|i| i + 1)
            .unwrap_or(0);
        let open_row = self.cells.split_off(split);
        let mut tables =
            layout::tables(&mut self.cells, self.builder, &self.name).unwrap_or_default();
        let bottom = tables
            .iter()
            .enumerate()
            .max_by_key(|(_, t)| t.rows.last().and_then(|r| r.cells.first()).map(|c| c.row))
            .map(|(i, _)| i);
        let table = match bottom {
            Some(i) => tables.remove(i),
            None => Table {
                sheet: Some(self.name.clone()),
                index: 1,
                ..Table::default()
            },
        };
        let c0 = table.columns.first().map(|c| c.col).unwrap_or(1);
        let body: Vec<GridRow> = table
            .rows
            .iter()
            .rev()
            .take(200)
            .map(|r| GridRow {
                row: 0,
                line: None,
                cells: r.cells.iter().map(|c| c.text.clone()).collect(),
            })
            .collect();
        let styles = self.builder.styles(&body);
        self.cells = Vec::new();
        self.tables = tables;
        let mut s = Stream {
            table,
            c0,
            styles,
            row: None,
            rows: 0,
            outside: 0,
        };
        for c in open_row {
            s.cell(c.row, c.col, c.text, self.builder, &mut *self.sink);
        }
        self.stream = Some(s);
    }

    /// The sheet's tables in memory, its streamed table, and the facts of what was not read.
    fn finish(mut self, facts: &mut Vec<Fact>) -> (Vec<Table>, Option<Table>) {
        let here = sheet_location(&self.name);
        if self.dropped > 0 {
            facts.push(Fact {
                location: here.clone(),
                kind: FactKind::Unchecked {
                    part: format!("sheet '{}'", self.name),
                    why: "its cells past the in-memory limit are not read: only one large sheet of a workbook streams".into(),
                },
            });
        }
        if let Some(mut s) = self.stream.take() {
            Stream::flush(&mut s, self.builder, &mut *self.sink);
            s.table.streamed_rows = s.rows;
            if s.outside > 0 {
                facts.push(Fact {
                    location: here,
                    kind: FactKind::Unchecked {
                        part: format!("sheet '{}'", self.name),
                        why: "cells left of its large table are not read".into(),
                    },
                });
            }
            return (self.tables, Some(s.table));
        }
        facts.extend(super::acro::prior_checker(&self.cells, &self.name));
        match layout::tables(&mut self.cells, self.builder, &self.name) {
            Ok(t) => (t, None),
            Err(_) => {
                facts.push(Fact {
                    location: here,
                    kind: FactKind::Unreadable(Unreadable::LimitReached(format!(
                        "sheet '{}' spreads its cells over more than {MAX_GRID_POSITIONS} positions",
                        self.name
                    ))),
                });
                (Vec::new(), None)
            }
        }
    }
}

impl Stream {
    fn cell(
        &mut self,
        row: u32,
        col: u32,
        text: String,
        builder: &Builder<'_>,
        sink: &mut dyn FnMut(Streamed<'_>),
    ) {
        if self.row.as_ref().map(|r| r.row) != Some(row) {
            self.flush(builder, sink);
            self.row = Some(GridRow {
                row,
                line: None,
                cells: Vec::new(),
            });
        }
        if col < self.c0 {
            self.outside += 1;
            return;
        }
        let at = (col - self.c0) as usize;
        if let Some(r) = &mut self.row {
            if at < MAX_COLUMNS {
                if r.cells.len() <= at {
                    r.cells.resize(at + 1, String::new());
                }
                r.cells[at] = text;
            }
        }
    }

    /// The row gathered so far, through the row rules.
    fn flush(&mut self, builder: &Builder<'_>, sink: &mut dyn FnMut(Streamed<'_>)) {
        let Some(g) = self.row.take() else {
            return;
        };
        if g.cells.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        let mut row = builder.body_row(&g, &self.styles);
        for c in &mut row.cells {
            c.col += self.c0 - 1;
        }
        sink(Streamed::Row(&self.table, &row));
        self.rows += 1;
    }
}
