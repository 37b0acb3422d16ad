//! The neutral document model every reader fills and every rule reads.
//!
//! A reader turns a file into a [`Document`]: tables (a CSV block, a sheet, a printed frequency
//! table in a log) and text (lines with their positions). Rules never open files; they read this.

use std::fmt;

use serde::Serialize;

use crate::text::{Block, Layout, Mode, Role};

/// Where something is inside a checked file. Every number counts from 1, as a person sees it in
/// a spreadsheet or an editor. Fields that do not apply are `None` (`null` in JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub member: Option<String>,
    pub sheet: Option<String>,
    pub table: Option<u32>,
    pub row: Option<u32>,
    pub column: Option<u32>,
    pub cell: Option<String>,
    pub line: Option<u32>,
}

impl Location {
    /// A location that names only a line of a text file.
    pub fn line(line: u32) -> Self {
        Location {
            line: Some(line),
            ..Location::default()
        }
    }

    /// A short human form: `B4 (table 1, line 7)`, `line 12`, `sheet 'T1' B4`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(m) = &self.member {
            parts.push(format!("member '{m}'"));
        }
        if let Some(s) = &self.sheet {
            parts.push(format!("sheet '{s}'"));
        }
        if let Some(t) = self.table {
            parts.push(format!("table {t}"));
        }
        if let Some(c) = &self.cell {
            parts.push(format!("cell {c}"));
        } else {
            if let Some(r) = self.row {
                parts.push(format!("row {r}"));
            }
            if let Some(c) = self.column {
                parts.push(format!("column {c}"));
            }
        }
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        parts.join(", ")
    }
}

/// Spreadsheet column letters for a 1-based column number: 1 → `A`, 27 → `AA`.
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let rem = ((col - 1) % 26) as u8;
        out.push(b'A' + rem);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A1-style reference for a 1-based row and column.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row)
}

/// Everything a reader found in one file (or one member of a container).
#[derive(Debug, Default)]
pub struct Document {
    pub tables: Vec<Table>,
    pub texts: Vec<Text>,
    /// What the reader observed that is neither table nor text: a format it cannot read yet, a
    /// limit it reached, a hidden part. Rules judge them (`file-type`, `unreadable`,
    /// `hidden-content`, `embedded-data`).
    pub facts: Vec<Fact>,
    /// What the figures of the file draw, as the reader counted it (`embedded-data`).
    pub figures: Vec<Figure>,
    /// Files inside this one (archive members, embedded objects, attachments): each is checked
    /// like a file, its findings placed under its name in `location.member`.
    pub members: Vec<Member>,
}

/// A file inside another one.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Its name inside the container: a path in an archive (`tables/RQ5.csv`), a package part
    /// (`xl/embeddings/oleObject1.bin`), an attachment's file name. Detection reads its
    /// extension.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a figure (a chart, a drawing, a plot page) shows, as marks counted by its reader. The
/// reader says what it saw; `embedded-data` judges whether that is data about individuals.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub location: Location,
    /// What drew it, for messages: `SVG`, `PDF drawing`, `Plotly chart`, `Vega-Lite chart` (the
    /// page or part is in `location`).
    pub source: String,
    pub series: Vec<Series>,
}

/// One series (trace, layer, group of marks) of a figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its name as the figure gives it, for messages (never its data).
    pub name: String,
    pub mark: Mark,
    /// Data points (or marks) in the series.
    pub points: u64,
    /// Distinct positions among them.
    pub distinct: u64,
    /// The positions along the horizontal axis are a regular grid (time steps, categories), as
    /// a line of monthly values or a bar chart has; scattered positions are not.
    pub regular: bool,
    /// Nearly every marker sits inside an interval bar of its own (a horizontal or vertical
    /// stroke through it that holds no other marker): point estimates with their confidence
    /// intervals, as a forest plot or an error-bar plot draws them.
    pub on_intervals: bool,
}

/// How a series draws its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// One marker per datum: scatter points, circles, `use` symbols, censor ticks.
    Point,
    /// A line or curve through the data (a step function, a time series).
    Line,
    /// Bars, columns, areas: one aggregate per category.
    Bar,
    /// A cell per datum of a grid (heat maps) or a map layer.
    Cell,
    /// Anything else.
    Other,
}

/// A fact about a file or a part of it, with where it applies. Readers, the walk and the load
/// report facts; rules decide what they mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub location: Location,
    pub kind: FactKind,
}

impl Fact {
    /// A fact about the file as a whole.
    pub fn whole(kind: FactKind) -> Fact {
        Fact {
            location: Location::default(),
            kind,
        }
    }
}

/// What was observed.
#[derive(Debug, Clone, PartialEq)]
pub enum FactKind {
    /// The entry is a symbolic link; links are never followed.
    Symlink,
    /// The entry is not a regular file (`FIFO`, `socket`, `device`); it is never opened.
    Special(String),
    /// The entry, or a folder above it, is hidden.
    HiddenEntry,
    /// The entry could not be read, at the stage said, for the reason given.
    Unreadable(Unreadable),
    /// The content contradicts the name (a zip archive called `.csv`).
    NameMismatch(String),
    /// The format is recognised, but this version has no reader for it.
    NotReadYet,
    /// Program code too large to hold: read through, its lines not checked.
    CodeTooLarge { limit_mib: u64 },
    /// Lines past the reader's limits were read but not kept.
    LinesDropped { kept: usize, dropped: u64 },
    /// A part a reader of the file does not see: a hidden sheet, row or column, a comment, a
    /// pivot cache, an embedded object, a macro project. `scope` says where its content is: a
    /// finding whose location has every field `scope` sets, equal, is inside it.
    Hidden { part: String, scope: Location },
    /// A part that cannot be checked (an encrypted member, a format inside a container that is
    /// not read): never passed.
    Unchecked { part: String, why: String },
    /// A figure that only a person looking at it can judge (a raster image with no data in its
    /// metadata).
    LookAtFigure,
    /// A metadata part of an image (a PNG text chunk, a JPEG comment, EXIF or XMP) holds data:
    /// a table or many numbers that the picture does not show. `part` names it (`tEXt
    /// Comment`).
    DataInMetadata { part: String },
    /// Numbers that nothing names (a JSON array of number arrays): read, but what they count is
    /// not known, so a person must look. `location.member` says where they are.
    UnnamedNumbers,
    /// A member of a container that is a link or special file; it is not opened.
    SpecialMember { name: String, kind: String },
    /// What an output checker that ran before this tool wrote into the file about it: ACRO's
    /// `Summary` row and risk grid in a finalised workbook. The rule of the check it names
    /// judges it.
    PriorChecker { tool: &'static str, said: PriorSaid },
    /// What an earlier output checker's record in this file says of another file beside it:
    /// ACRO's `results.json` names each output's files with its verdict. `file` is the file's
    /// name as the record gives it; the folder pass finds it and the finding goes there.
    PriorCheckerOf {
        tool: &'static str,
        file: String,
        said: PriorSaid,
    },
}

/// A check that an earlier output checker names, from the words of its risk grid and summary
/// (ACRO: `threshold`, `p-ratio`, `nk-rule`, `all-values-are-same`, `negative`, `missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PriorCheck {
    /// Too few observations behind a cell.
    Threshold,
    /// One or two contributors dominate a cell's total (p% and (n,k) rules).
    Dominance,
    /// Every contributor to a cell has the same value.
    SameValues,
    /// Negative values, which the dominance rules cannot judge.
    Negative,
    /// Missing values, which the checker could not judge.
    Missing,
    /// A reason the checker gives that this tool does not know (a custom output, an
    /// exception request).
    Other,
}

impl PriorCheck {
    /// The rule that the check belongs to.
    pub fn rule(self) -> &'static str {
        match self {
            PriorCheck::Threshold | PriorCheck::Other => "small-count",
            PriorCheck::Dominance | PriorCheck::Negative | PriorCheck::Missing => "extreme-values",
            PriorCheck::SameValues => "group-disclosure",
        }
    }

    /// Whether the check names a disclosure of a cell (too few observations, a dominant
    /// contributor, all values the same), which suppressing the cell answers, and not a value
    /// the checker could not judge.
    pub fn names_disclosure(self) -> bool {
        matches!(
            self,
            PriorCheck::Threshold | PriorCheck::Dominance | PriorCheck::SameValues
        )
    }

    /// How a message names it.
    pub fn describe(self) -> &'static str {
        match self {
            PriorCheck::Threshold => "fewer observations than its threshold",
            PriorCheck::Dominance => "a cell dominated by its largest contributors",
            PriorCheck::SameValues => "every contributor with the same value",
            PriorCheck::Negative => "negative values, which its dominance checks cannot judge",
            PriorCheck::Missing => "missing values, which it could not judge",
            PriorCheck::Other => "a reason it gives in its own words",
        }
    }
}

/// What an earlier output checker said of the output in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum PriorSaid {
    /// Its summary asks a person to review the output, for this check.
    Review(PriorCheck),
    /// Its risk grid flags a cell for this check, and the cell shows a value: it was not
    /// suppressed.
    Shown(PriorCheck),
    /// Its summary says the output fails for this check, and its risk grid could not be
    /// matched to the values cell by cell, so this tool cannot tell whether the flagged cells
    /// were suppressed.
    Unmatched(PriorCheck),
    /// Its record says the output fails for this check and does not say that it suppressed
    /// the cells.
    Fails(PriorCheck),
    /// Its record's risk grid flags the cell of this column and row (by their labels) for this
    /// check; the folder pass looks at the cell in the file.
    FlaggedCell {
        check: PriorCheck,
        column: String,
        row: String,
    },
}

/// Where reading an entry failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Unreadable {
    /// The walk could not look at the entry.
    Listing(String),
    /// The file could not be opened.
    Opening(String),
    /// Its bytes could not be read.
    Reading(String),
    /// Its reader rejected the content.
    Parsing(String),
    /// Its reader failed (an internal error).
    ReaderFailed,
    /// A limit of the reader was reached (expanded size, ratio, member count, nesting depth):
    /// what is past it is not checked, so the whole is not passed.
    LimitReached(String),
}

/// What a text is, which decides the rules it goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextKind {
    /// Program code: the code rules (`code-literal`).
    Code,
    /// Output, logs, prose: the text rules (`log-listing`, `low-dof`, `person-id`).
    #[default]
    Output,
}

/// A block of text lines (a log, a program, a note below a table).
#[derive(Debug, Default)]
pub struct Text {
    pub member: Option<String>,
    pub kind: TextKind,
    /// Lines as `(line number, text)`, 1-based. Set once by the reader: the layout below is
    /// worked out from them on first use.
    pub lines: Vec<(u32, String)>,
    layout: Layout,
}

impl Text {
    /// A text of the given kind.
    pub fn new(kind: TextKind, lines: Vec<(u32, String)>) -> Text {
        Text {
            member: None,
            kind,
            lines,
            layout: Layout::default(),
        }
    }

    /// A text of the given kind from its lines, numbered from 1.
    pub fn of(kind: TextKind, text: &str) -> Text {
        Text::new(
            kind,
            text.lines()
                .enumerate()
                .map(|(i, l)| (i as u32 + 1, l.to_string()))
                .collect(),
        )
    }

    /// Each line's role (command, note, output, blank), in line order.
    pub fn roles(&self) -> &[Role] {
        self.layout.roles(&self.lines)
    }

    /// The program that wrote the lines, as far as they tell.
    pub fn mode(&self) -> Mode {
        self.layout.mode(&self.lines)
    }

    /// The blocks of printed output, top to bottom.
    pub fn blocks(&self) -> &[Block] {
        self.layout.blocks(&self.lines)
    }
}

/// What a cell holds, parsed from its text. Parsing knows nothing of thresholds; whether a
/// number is a count is decided by the column and row it stands in ([`Kind`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing in the cell.
    Empty,
    /// Words: a category label, a header, a note.
    Label,
    /// A plain number: `17`, `1 234`, `12,5`, `-3`, `4.3%`.
    Number(Number),
    /// A suppression marker (`<5`, `n<5`, `x`, `..`, `[REDACTED]`): the value is hidden, at most
    /// bounded.
    Suppressed(Suppressed),
    /// A count with a share beside it: `12 (3.4%)`, `12 (3.4)`, `<5 (2.2%)`.
    CountShare { count: Box<Value>, share: Number },
    /// A fraction `3/45`.
    Fraction { numerator: i64, denominator: i64 },
    /// An estimate with a spread or interval: `12.3 (4.5)`, `1.21 (0.98-1.50)`, `34 [28-41]`.
    Estimate { value: Number },
    /// A numeric range: `51-72`, `0–4` (an age band or a min–max).
    Range { low: f64, high: f64 },
    /// A calendar year `1998`..`2100` or a period `2015-2019`.
    Year,
    /// An age band or other open interval label: `65+`, `<18`, `85 and over`.
    Band,
}

/// A parsed number with how it was shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub value: f64,
    /// Decimals shown (defines the rounding half-width of the shown value).
    pub decimals: u8,
    /// Written with a per-cent sign.
    pub percent: bool,
}

impl Number {
    /// The value as a whole number when it is one (no decimals shown, no per-cent sign).
    pub fn as_integer(&self) -> Option<i64> {
        if self.decimals == 0
            && !self.percent
            && self.value.fract() == 0.0
            && self.value.abs() < 9.0e15
        {
            Some(self.value as i64)
        } else {
            None
        }
    }
}

/// A suppression marker and the bound it implies.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppressed {
    /// The marker as listed in the profile (not the cell text).
    pub marker: String,
    /// Inclusive bounds the marker implies on the hidden count (`<5` → 0..=4, `≤5` → 0..=5),
    /// `None` for a bare marker (`x`, `..`).
    pub low: Option<i64>,
    pub high: Option<i64>,
}

/// What a column (or row) of a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Category labels, codes, years or bands used as labels.
    Label,
    /// Counts of persons or events.
    Count,
    /// Percentages, proportions.
    Percent,
    /// Rates (per 1,000, per 100,000 person-years …).
    Rate,
    /// Means, SDs, medians, coefficients, CIs, p-values, test statistics.
    Estimate,
    /// Minimum, maximum, range: values of single individuals.
    Extreme,
    /// Not enough evidence either way.
    Unknown,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Kind::Label => "label",
            Kind::Count => "count",
            Kind::Percent => "percentage",
            Kind::Rate => "rate",
            Kind::Estimate => "estimate",
            Kind::Extreme => "extreme",
            Kind::Unknown => "unknown",
        };
        f.write_str(s)
    }
}

/// One cell with its position and parsed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Row as a spreadsheet shows it (for a CSV: the record number, 1-based, counting every
    /// record of the file including titles and headers).
    pub row: u32,
    /// Column, 1-based.
    pub col: u32,
    /// Line in the file where the cell starts, for text formats.
    pub line: Option<u32>,
    /// The cell text as shown (trimmed). Never printed in a report.
    pub text: String,
    pub value: Value,
}

/// A column of a table: its header text and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// 1-based column number in the file or sheet.
    pub col: u32,
    /// Header text, the header rows joined with ` / `; empty if there is none.
    pub name: String,
    pub kind: Kind,
}

/// One data row of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Its cells in ascending column order (a row may lack some columns).
    pub cells: Vec<Cell>,
    /// What the row holds when its label says so (wide tables: a row `Mean`, `Min`, `N`),
    /// else `Unknown`.
    pub kind: Kind,
    /// The row's label (the text of its label cells joined), for messages and structure.
    pub label: String,
    /// Leading spaces before the first non-empty cell's text as the file shows it (a tab or a
    /// non-breaking space counts as one); structure detection reads row trees from it.
    pub indent: u32,
}

/// A table: a rectangular block of cells with a header, as a CSV block, a sheet or a printed
/// frequency table gives it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// 1-based number of the table within its file (or sheet).
    pub index: u32,
    pub member: Option<String>,
    pub sheet: Option<String>,
    /// Title lines above the table.
    pub title: Vec<String>,
    /// Note lines below the table.
    pub notes: Vec<String>,
    /// Header rows, top to bottom.
    pub header: Vec<Vec<Cell>>,
    /// Its columns in ascending column order. This order (and that of every row's cells) is
    /// what makes finding a column or cell by its number take logarithmic time
    /// ([`Table::column`], [`Row::cell`]); [`Table::in_column_order`] checks it.
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Rows of the table that were read but not kept in memory (a large file is streamed; its
    /// rules saw every row as it went past, see [`Table::streamed_rows`]).
    pub streamed_rows: u64,
    /// Digest of the table's content, the basis of finding fingerprints; never printed.
    pub digest: [u8; 32],
}

impl Row {
    /// The cell in column `col`, if the row has one (in logarithmic time: the cells are in
    /// column order).
    pub fn cell(&self, col: u32) -> Option<&Cell> {
        by_col(&self.cells, col, |c| c.col)
    }
}

/// The item of `items`, sorted by column number, whose column is `col`. Most tables number their
/// columns from their first one without gaps, so the item is tried at its place first.
fn by_col<T>(items: &[T], col: u32, key: impl Fn(&T) -> u32) -> Option<&T> {
    let first = key(items.first()?);
    if let Some(x) = col
        .checked_sub(first)
        .and_then(|i| items.get(i as usize))
        .filter(|x| key(x) == col)
    {
        return Some(x);
    }
    items
        .binary_search_by_key(&col, key)
        .ok()
        .and_then(|i| items.get(i))
}

impl Table {
    /// The value of the cell in body row `row` (0-based) and column `col`, if it has one.
    pub fn value_at(&self, row: usize, col: u32) -> Option<&Value> {
        self.rows.get(row)?.cell(col).map(|c| &c.value)
    }

    /// The column with 1-based number `col` (in logarithmic time: the columns are in order).
    pub fn column(&self, col: u32) -> Option<&Column> {
        by_col(&self.columns, col, |c| c.col)
    }

    /// Whether the columns, and the cells of every body row, are in ascending column order, as
    /// [`Table::column`] and [`Row::cell`] need.
    pub fn in_column_order(&self) -> bool {
        fn ascending(cols: impl Iterator<Item = u32>) -> bool {
            let mut last = None;
            cols.into_iter().all(|c| {
                let ok = last.is_none_or(|l| l <= c);
                last = Some(c);
                ok
            })
        }
        ascending(self.columns.iter().map(|c| c.col))
            && self
                .rows
                .iter()
                .all(|r| ascending(r.cells.iter().map(|c| c.col)))
    }

    /// Put the columns and the cells of every row in ascending column order (a reader that
    /// builds its table in another order is put right before the rules read it).
    pub fn sort_columns(&mut self) {
        self.columns.sort_by_key(|c| c.col);
        for r in &mut self.rows {
            r.cells.sort_by_key(|c| c.col);
        }
    }

    /// What a cell holds, from its column and row: a row that says what it holds (`Mean`,
    /// `Min`, `N`) wins over an unknown or count column; an estimate column never holds counts.
    pub fn cell_kind(&self, row: &Row, cell: &Cell) -> Kind {
        let col_kind = self
            .column(cell.col)
            .map(|c| c.kind)
            .unwrap_or(Kind::Unknown);
        // A cell of the row's own label (its stub: `3 / n_resid`) names the row; what the row
        // says it holds applies to its other cells.
        if col_kind == Kind::Label && is_part_of_label(&row.label, &cell.text) {
            return Kind::Label;
        }
        combine_kinds(row.kind, col_kind)
    }

    /// The location of the table as a whole.
    pub fn location(&self) -> Location {
        Location {
            member: self.member.clone(),
            sheet: self.sheet.clone(),
            table: Some(self.index),
            ..Location::default()
        }
    }

    /// The 1-based numbers of the columns classified as labels.
    pub fn label_columns(&self) -> Vec<u32> {
        self.columns
            .iter()
            .filter(|c| c.kind == Kind::Label)
            .map(|c| c.col)
            .collect()
    }

    /// The location of a cell of this table.
    pub fn locate(&self, cell: &Cell) -> Location {
        Location {
            member: self.member.clone(),
            sheet: self.sheet.clone(),
            table: Some(self.index),
            row: Some(cell.row),
            column: Some(cell.col),
            cell: Some(cell_ref(cell.row, cell.col)),
            line: cell.line,
        }
    }

    /// The header texts above every column, top row first, as `(column, path)` in column
    /// order. A spanning group label written once over several columns (`,Men,,,Women,,`) is
    /// repeated over the empty cells to its right in every header row but the last, as the
    /// column names join them; a missing text is an empty string, so every path has one entry
    /// per header row.
    pub fn header_paths(&self) -> Vec<(u32, Vec<String>)> {
        let depth = self.header.len();
        let mut out: Vec<(u32, Vec<String>)> = self
            .columns
            .iter()
            .map(|c| (c.col, Vec::with_capacity(depth)))
            .collect();
        for (hi, row) in self.header.iter().enumerate() {
            let mut texts: Vec<(u32, &str)> = row
                .iter()
                .filter(|c| !c.text.trim().is_empty())
                .map(|c| (c.col, c.text.trim()))
                .collect();
            texts.sort_by_key(|(c, _)| *c);
            let mut k = 0;
            let mut carry: Option<&str> = None;
            for (col, path) in out.iter_mut() {
                while k < texts.len() && texts[k].0 < *col {
                    carry = Some(texts[k].1);
                    k += 1;
                }
                let text = match texts.get(k) {
                    Some((c, t)) if c == col => Some(*t),
                    _ if hi + 1 < depth && *col > 1 => carry,
                    _ => None,
                };
                path.push(text.unwrap_or("").to_string());
            }
        }
        out
    }

    /// A readable name for a column in messages: its header, or its letter.
    pub fn column_label(&self, col: u32) -> String {
        match self.column(col) {
            Some(c) if !c.name.trim().is_empty() => {
                format!("'{}'", crate::redact::safe_label(c.name.trim()))
            }
            _ => format!("column {}", column_letters(col)),
        }
    }
}

/// The kind of a cell from its row's and its column's kinds.
/// Whether `text` is one of the parts of a row label (the texts of its label cells joined by
/// ` / `).
fn is_part_of_label(label: &str, text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && label.split(" / ").any(|part| part.trim() == text)
}

pub fn combine_kinds(row: Kind, col: Kind) -> Kind {
    match (row, col) {
        (Kind::Unknown, c) => c,
        (r, Kind::Unknown) => r,
        // A column of labels with a row that says it holds counts: the row decides.
        (r, Kind::Label) => r,
        // An estimate or extreme anywhere wins: estimates are never read as counts.
        (Kind::Extreme, _) | (_, Kind::Extreme) => Kind::Extreme,
        (Kind::Estimate, _) | (_, Kind::Estimate) => Kind::Estimate,
        (Kind::Rate, _) | (_, Kind::Rate) => Kind::Rate,
        (Kind::Percent, _) | (_, Kind::Percent) => Kind::Percent,
        (Kind::Count, Kind::Count) => Kind::Count,
        (r, _) => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(52), "AZ");
        assert_eq!(column_letters(703), "AAA");
        assert_eq!(cell_ref(4, 2), "B4");
    }

    #[test]
    fn estimates_are_never_counts() {
        assert_eq!(combine_kinds(Kind::Estimate, Kind::Count), Kind::Estimate);
        assert_eq!(combine_kinds(Kind::Count, Kind::Estimate), Kind::Estimate);
        assert_eq!(combine_kinds(Kind::Unknown, Kind::Count), Kind::Count);
        assert_eq!(combine_kinds(Kind::Count, Kind::Label), Kind::Count);
        assert_eq!(combine_kinds(Kind::Extreme, Kind::Count), Kind::Extreme);
    }
}
