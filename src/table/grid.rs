//! From a grid of cell texts (a CSV file, a sheet, a printed table) to tables: blocks separated
//! by empty rows, title lines above a table, header rows, notes below it.

use sha2::{Digest, Sha256};

use crate::model::{Cell, Column, Kind, Row, Table, Value};
use crate::table::cell::{infer_style, letter_names, CellParser, NumberStyle};
use crate::table::classify::{classify, Lexicon};

/// One row of a grid as a reader saw it.
#[derive(Debug, Clone, Default)]
pub struct GridRow {
    /// Row number as a spreadsheet shows it (CSV: the record number), 1-based.
    pub row: u32,
    /// Line in the file where the row starts, for text formats.
    pub line: Option<u32>,
    /// Cell texts, column 1 first.
    pub cells: Vec<String>,
}

impl GridRow {
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    fn filled(&self) -> usize {
        self.cells.iter().filter(|c| !c.trim().is_empty()).count()
    }
}

/// What builds tables from grids: the cell parser and the vocabulary.
pub struct Builder<'a> {
    pub parser: &'a CellParser,
    pub lexicon: &'a Lexicon,
    /// Number style of the whole grid when the reader knows it (a `;`-separated file usually
    /// writes decimal commas); columns override it by their own evidence.
    pub style: Option<NumberStyle>,
}

/// The state of splitting a grid into tables, block by block.
#[derive(Default)]
struct Split {
    tables: Vec<Table>,
    /// Title lines waiting for the next table.
    pending_title: Vec<String>,
    /// A header separated from its body by an empty row.
    pending_header: Option<Vec<GridRow>>,
    /// A header printed once, above blocks separated by empty rows and section headings.
    shared_header: Option<Vec<GridRow>>,
}

impl Split {
    /// Take a block without a body: single texts are a title of what follows or notes of what
    /// came before, a few text rows a header separated from its body. Whether it was taken.
    fn text_block(&mut self, block: &[GridRow], parsed: &[Vec<Value>]) -> bool {
        let has_body = parsed.iter().any(|p| is_body_row(p));
        let widest = block.iter().map(|r| r.filled()).max().unwrap_or(0);
        if widest <= 1 && !has_body {
            // A block of single texts: a title of what follows, or notes of what came before.
            let texts: Vec<String> = block.iter().filter_map(first_text).collect();
            if let Some(last) = self
                .tables
                .last_mut()
                .filter(|_| self.pending_title.is_empty())
            {
                if looks_like_note(&texts) {
                    last.notes.extend(texts);
                    return true;
                }
            }
            self.pending_title.extend(texts);
            return true;
        }
        if !has_body {
            // Text rows only: a header separated from its body by an empty row, or a table
            // of labels.
            if self.pending_header.is_none() && block.len() <= MAX_HEADER_ROWS {
                self.pending_header = Some(block.to_vec());
                return true;
            }
        }
        false
    }

    /// The rows of a table's block: its section headings moved to the title, and the pending
    /// or shared header put above it when it has none of its own.
    fn with_header(
        &mut self,
        builder: &Builder<'_>,
        block: &[GridRow],
        parsed: &[Vec<Value>],
    ) -> Vec<GridRow> {
        // Section headings: single texts right above the body, as in descriptive tables
        // that print one block per variable ("Age group", then its categories) under one
        // column header. They title the block; they are not a header of its first column.
        let mut block = block.to_vec();
        let mut headings = 0;
        while headings + 1 < block.len()
            && block[headings].filled() == 1
            && !is_body_row(&parsed[headings])
            && is_body_row(&parsed[headings + 1])
            && block[headings + 1].filled() > 1
        {
            headings += 1;
        }
        if headings > 0 && (self.pending_header.is_some() || self.shared_header.is_some()) {
            self.pending_title
                .extend(block.drain(..headings).filter_map(|r| first_text(&r)));
        }
        let body = |r: &GridRow| is_body_row(&builder.parse_row(r));
        let starts_with_body = block.first().is_some_and(body);
        if let Some(h) = self.pending_header.take() {
            // Kept for later blocks without the title lines above it.
            let rows = h
                .iter()
                .skip_while(|r| r.filled() <= 1)
                .cloned()
                .collect::<Vec<_>>();
            self.shared_header = (!rows.is_empty()).then_some(rows);
            let mut joined = h;
            joined.append(&mut block);
            block = joined;
        } else if let Some(h) = self
            .shared_header
            .as_ref()
            .filter(|h| starts_with_body && fits_header(h, &block))
        {
            // A later block of the same layout, printed without repeating the column
            // header that the first block had.
            let mut joined = h.clone();
            joined.append(&mut block);
            block = joined;
        } else {
            // A block with its own column header: later blocks may share it.
            let own: Vec<GridRow> = block
                .iter()
                .skip_while(|r| r.filled() <= 1 && !body(r))
                .take_while(|r| r.filled() > 1 && !body(r))
                .cloned()
                .collect();
            self.shared_header = (!own.is_empty() && !starts_with_body).then_some(own);
        }
        block
    }
}

/// Most header rows above a table body.
const MAX_HEADER_ROWS: usize = 4;

impl Builder<'_> {
    /// Split a grid into tables. `member` and `sheet` are copied into each table.
    pub fn tables(
        &self,
        rows: &[GridRow],
        member: Option<&str>,
        sheet: Option<&str>,
    ) -> Vec<Table> {
        let mut split = Split::default();
        for block in split_blocks(rows) {
            let parsed: Vec<Vec<Value>> = block.iter().map(|r| self.parse_row(r)).collect();
            if split.text_block(block, &parsed) {
                continue;
            }
            let block = split.with_header(self, block, &parsed);
            let mut table = self.build(
                &block,
                std::mem::take(&mut split.pending_title),
                member,
                sheet,
            );
            table.index = split.tables.len() as u32 + 1;
            split.tables.push(table);
        }
        if let Some(h) = split.pending_header.take() {
            let mut table = self.build(&h, std::mem::take(&mut split.pending_title), member, sheet);
            table.index = split.tables.len() as u32 + 1;
            split.tables.push(table);
        }
        if !split.pending_title.is_empty() {
            if let Some(last) = split.tables.last_mut() {
                last.notes.append(&mut split.pending_title);
            }
        }
        split.tables
    }

    fn parse_row(&self, r: &GridRow) -> Vec<Value> {
        let style = self.style.unwrap_or(NumberStyle::DecimalPoint);
        r.cells
            .iter()
            .map(|c| self.parser.parse(c.trim(), style))
            .collect()
    }

    /// Build one table from a block: titles, headers, body, notes.
    fn build(
        &self,
        block: &[GridRow],
        title: Vec<String>,
        member: Option<&str>,
        sheet: Option<&str>,
    ) -> Table {
        let mut title = title;
        let width = block.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let parsed: Vec<Vec<Value>> = block.iter().map(|r| self.parse_row(r)).collect();
        let mut start = title_rows(block, &parsed, width, &mut title);
        if start == 0 && comma_title(block, &parsed, width, &mut title) {
            start = 1;
        }
        let (end, notes) = note_rows(block, &parsed, width, start);
        let header_end = self.header_end(block, &parsed, start, end);
        let heading_rows = heading_rows(block, start, header_end, end);
        let header_owned: Vec<GridRow>;
        let header_rows: &[GridRow] = if heading_rows.is_empty() {
            &block[start..header_end]
        } else {
            for &i in &heading_rows {
                if let Some(t) = first_text(&block[i]) {
                    title.push(t);
                }
            }
            header_owned = (start..header_end)
                .filter(|i| !heading_rows.contains(i))
                .map(|i| block[i].clone())
                .collect();
            &header_owned
        };
        let body_rows = &block[header_end..end];
        let styles = self.column_styles(body_rows, width);
        let names = column_names(header_rows, width);
        let columns: Vec<Column> = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| Column {
                col: i as u32 + 1,
                name,
                kind: Kind::Unknown,
            })
            .collect();
        let rows: Vec<Row> = body_rows
            .iter()
            .map(|r| self.body_row(r, &styles))
            .collect();

        let mut table = Table {
            index: 0,
            member: member.map(str::to_string),
            sheet: sheet.map(str::to_string),
            title,
            notes,
            header: header_cells(header_rows),
            columns,
            rows,
            streamed_rows: 0,
            digest: digest(&block[start..end]),
        };
        classify(&mut table, self.lexicon);
        words_as_markers(&mut table, self.parser);
        relabel(&mut table);
        table
    }

    /// Where the body starts: after the header rows, the leading rows without body values (a
    /// band header right above the body counts as one); with no body at all, the first row is
    /// the header and the rest are label rows.
    fn header_end(
        &self,
        block: &[GridRow],
        parsed: &[Vec<Value>],
        start: usize,
        end: usize,
    ) -> usize {
        let mut header_end = start;
        while header_end < end
            && header_end - start < MAX_HEADER_ROWS
            && (!(is_body_row(&names_as_labels(&block[header_end], &parsed[header_end]))
                || self.is_total_row(&block[header_end], &parsed[header_end])
                || is_labelled_body_row(block, parsed, start, header_end))
                || (header_end + 1 < end
                    && is_body_row(&parsed[header_end + 1])
                    && (self.is_band_header(&block[header_end], &parsed[header_end])
                        || self.is_code_header(
                            &block[header_end],
                            &parsed[header_end],
                            !self.is_total_row(&block[header_end], &parsed[header_end])
                                && self
                                    .is_total_row(&block[header_end + 1], &parsed[header_end + 1]),
                        ))))
        {
            header_end += 1;
        }
        if header_end == end {
            // No body at all: the first row is the header, the rest are label rows.
            header_end = (start + 1).min(end);
        }
        header_end
    }

    /// Column number styles from the body's own evidence.
    fn column_styles(&self, body_rows: &[GridRow], width: usize) -> Vec<NumberStyle> {
        column_styles_of(self.style, body_rows, width)
    }

    /// A header row of numeric codes (`Region,101,147,Total`: municipality or area numbers):
    /// two or more distinct whole numbers written as bare digits, a total word beside them
    /// (a body row has its total word in the stub, not over a column of counts), and nothing
    /// else but labels. A total row right below it anchors it as well (`Alue,101,147` above
    /// `Kaikki,171,164`): a total that comes first opens the body, so the row above it is the
    /// header.
    fn is_code_header(&self, r: &GridRow, values: &[Value], total_below: bool) -> bool {
        let mut codes: Vec<&str> = Vec::new();
        let mut anchor = total_below;
        for (i, v) in values.iter().enumerate() {
            let text = r.cells.get(i).map_or("", |t| t.trim());
            match v {
                Value::Number(n)
                    if i > 0
                        && n.decimals == 0
                        && !n.percent
                        && !text.is_empty()
                        && text.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    codes.push(text)
                }
                Value::Label if i > 0 => anchor |= self.lexicon.is_total(text),
                Value::Label | Value::Empty => {}
                _ => return false,
            }
        }
        let distinct: std::collections::BTreeSet<&str> = codes.iter().copied().collect();
        anchor && codes.len() >= 2 && distinct.len() == codes.len()
    }

    /// A row with a total word in its stub and numbers beside it is a body row even when the
    /// numbers read like years (`Total⇥1948` under `Code⇥N`): a header puts years over columns,
    /// and a total word in the stub labels the row.
    fn is_total_row(&self, r: &GridRow, values: &[Value]) -> bool {
        r.cells
            .first()
            .is_some_and(|t| self.lexicon.is_total(t.trim()))
            && values.iter().skip(1).any(|v| matches!(v, Value::Number(_)))
    }

    /// A header row of age bands or groups whose first band reads like a bounded marker
    /// (`Region,<50,50+,Total`): no number, every bounded cell at least `<11` (never a usual
    /// suppression marker), and beside it an open band (`50+`) or a total word.
    fn is_band_header(&self, r: &GridRow, values: &[Value]) -> bool {
        let mut bounded = 0;
        let mut anchor = false;
        for (i, v) in values.iter().enumerate() {
            match v {
                Value::Suppressed(s) => match s.high {
                    Some(h) if h >= 10 => bounded += 1,
                    _ => return false,
                },
                Value::Band => anchor = true,
                Value::Label if i > 0 => {
                    anchor |= r.cells.get(i).is_some_and(|t| self.lexicon.is_total(t));
                }
                Value::Label | Value::Empty => {}
                _ => return false,
            }
        }
        bounded > 0 && anchor
    }

    /// One body row, parsed with the column styles, its label from the leading text cells.
    pub fn body_row(&self, r: &GridRow, styles: &[NumberStyle]) -> Row {
        let cells: Vec<Cell> = r
            .cells
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let text = t.trim();
                let style = styles.get(i).copied().unwrap_or(NumberStyle::DecimalPoint);
                Cell {
                    row: r.row,
                    col: i as u32 + 1,
                    line: r.line,
                    text: text.to_string(),
                    value: self.parser.parse(text, style),
                }
            })
            .collect();
        let label = cells
            .iter()
            .take_while(|c| {
                matches!(
                    c.value,
                    Value::Label | Value::Empty | Value::Year | Value::Band | Value::Range { .. }
                )
            })
            .filter(|c| !c.text.is_empty())
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" / ");
        let indent = r
            .cells
            .iter()
            .find(|t| !t.trim().is_empty())
            .map(|t| {
                t.chars()
                    .take_while(|c| c.is_whitespace())
                    .count()
                    .min(u32::MAX as usize) as u32
            })
            .unwrap_or(0);
        Row {
            cells,
            kind: Kind::Unknown,
            label,
            indent,
        }
    }

    /// Column number styles for a block of body rows (used by streaming readers on a sample).
    pub fn styles(&self, rows: &[GridRow]) -> Vec<NumberStyle> {
        let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        column_styles_of(self.style, rows, width)
    }
}

/// Title lines: leading rows with one text cell, in a table wider than one column (unless the
/// next row is the body: then it is a one-label header). Adds them to `title`; where the rest
/// of the block starts.
fn title_rows(
    block: &[GridRow],
    parsed: &[Vec<Value>],
    width: usize,
    title: &mut Vec<String>,
) -> usize {
    let mut start = 0;
    while start < block.len()
        && width > 1
        && block[start].filled() == 1
        && !is_body_row(&parsed[start])
    {
        // ... unless the next row is the body: then it is a one-label header. So is a label
        // over a column of the body that is not the stub (`;Personer` above `København;14`):
        // a title is written in the first cell, a column name over its column.
        if start + 1 < block.len() && is_body_row(&parsed[start + 1]) {
            let at = block[start].cells.iter().position(|c| !c.trim().is_empty());
            let over_values = at.is_some_and(|i| {
                i > 0
                    && parsed[start + 1]
                        .get(i)
                        .is_some_and(|v| !matches!(v, Value::Label | Value::Empty))
            });
            if block[start + 1].filled() == 1 || over_values {
                break;
            }
        }
        if let Some(t) = first_text(&block[start]) {
            title.push(t);
        }
        start += 1;
    }
    start
}

/// A title with an unquoted comma (`Deaths by region, all ages` above `Region,Deaths`): a first
/// row of words only, whose first cell is a phrase, with fewer cells than the header row under
/// it, is the title split at its comma. Adds it to `title`; whether it was one.
fn comma_title(
    block: &[GridRow],
    parsed: &[Vec<Value>],
    width: usize,
    title: &mut Vec<String>,
) -> bool {
    if block.len() < 3 || width <= 1 {
        return false;
    }
    let first = &block[0];
    let next = &block[1];
    let phrase = first
        .cells
        .first()
        .is_some_and(|c| c.split_whitespace().count() >= 4);
    let words_only = parsed[0].iter().all(|v| {
        matches!(
            v,
            Value::Label | Value::Empty | Value::Band | Value::Year | Value::Range { .. }
        )
    });
    // The rest of the first row reads as the title's continuation: fewer cells than
    // the header under it, or phrases of words (`all ages`, `restricted to age 65+`).
    let continues = next.filled() > first.filled()
        || first
            .cells
            .iter()
            .skip(1)
            .filter(|c| !c.trim().is_empty())
            .all(|c| c.split_whitespace().count() >= 2);
    let header_below =
        !is_body_row(&parsed[1]) && continues && parsed.get(2).is_some_and(|p| is_body_row(p));
    if !(phrase && words_only && header_below) {
        return false;
    }
    let joined = first
        .cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    title.push(joined);
    true
}

/// Notes: trailing rows with one text cell. Where the rest of the block ends, and the notes.
fn note_rows(
    block: &[GridRow],
    parsed: &[Vec<Value>],
    width: usize,
    start: usize,
) -> (usize, Vec<String>) {
    let mut end = block.len();
    let mut notes = Vec::new();
    while end > start + 1
        && width > 1
        && block[end - 1].filled() == 1
        && !is_body_row(&parsed[end - 1])
    {
        if let Some(t) = first_text(&block[end - 1]) {
            notes.push(t);
        }
        end -= 1;
    }
    notes.reverse();
    (end, notes)
}

/// A section heading printed between the column header and the body (a lone text in the first
/// column under an empty corner) titles the block, as in per-variable descriptive tables; it
/// is not a second header row of the first column. The indices of such rows.
fn heading_rows(block: &[GridRow], start: usize, header_end: usize, end: usize) -> Vec<usize> {
    let mut heading_rows: Vec<usize> = Vec::new();
    if header_end > start + 1 && header_end < end {
        let corner_empty = block[start]
            .cells
            .first()
            .is_none_or(|c| c.trim().is_empty())
            && block[start].filled() > 1;
        if corner_empty {
            for (i, r) in block.iter().enumerate().take(header_end).skip(start + 1) {
                let lone_first =
                    r.filled() == 1 && r.cells.first().is_some_and(|c| !c.trim().is_empty());
                if lone_first {
                    heading_rows.push(i);
                }
            }
        }
    }
    heading_rows
}

/// The digest of a table's rows (titles and notes left out): its identity in reports.
fn digest(rows: &[GridRow]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"export-check table\0");
    for r in rows {
        for c in &r.cells {
            hasher.update(c.as_bytes());
            hasher.update([0x1f]);
        }
        hasher.update([0x1e]);
    }
    hasher.finalize().into()
}

/// The header rows as cells: labels, or empty.
fn header_cells(header_rows: &[GridRow]) -> Vec<Vec<Cell>> {
    header_rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .enumerate()
                .map(|(i, t)| Cell {
                    row: r.row,
                    col: i as u32 + 1,
                    line: r.line,
                    text: t.trim().to_string(),
                    value: if t.trim().is_empty() {
                        Value::Empty
                    } else {
                        Value::Label
                    },
                })
                .collect()
        })
        .collect()
}

/// In a column of counts, `alle 5` or `under 5` hides a count below 5; elsewhere it stays a band.
fn words_as_markers(table: &mut Table, parser: &CellParser) {
    let counts: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Count)
        .map(|c| c.col)
        .collect();
    for row in &mut table.rows {
        for cell in &mut row.cells {
            if matches!(cell.value, Value::Band) && counts.contains(&cell.col) {
                if let Some(v) = crate::table::cell::word_bounded(&cell.text, parser) {
                    cell.value = v;
                }
            }
        }
    }
}

/// Row labels from the columns the classifier found to hold labels.
fn relabel(table: &mut Table) {
    let label_cols: Vec<u32> = table.label_columns();
    if label_cols.is_empty() {
        return;
    }
    for row in &mut table.rows {
        let label = row
            .cells
            .iter()
            .filter(|c| label_cols.contains(&c.col) && !c.text.is_empty())
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" / ");
        if !label.is_empty() {
            row.label = label;
        }
    }
}

/// The number style of each column: its own unambiguous evidence (docs/tables.md §2.3), else
/// the file's style, else dots that group thousands when some column of the block shows it.
fn column_styles_of(file: Option<NumberStyle>, rows: &[GridRow], width: usize) -> Vec<NumberStyle> {
    let texts = |c: usize| {
        rows.iter()
            .filter_map(move |r| r.cells.get(c))
            .map(|s| s.trim())
    };
    let own: Vec<NumberStyle> = (0..width)
        .map(|c| match (file, infer_style(texts(c))) {
            (Some(NumberStyle::DecimalComma), NumberStyle::DecimalPoint)
                if !has_point_evidence(texts(c)) =>
            {
                NumberStyle::DecimalComma
            }
            (_, s) => s,
        })
        .collect();
    if file.is_some() || (0..width).any(|c| has_point_evidence(texts(c))) {
        return own;
    }
    let fits: Vec<Option<bool>> = (0..width).map(|c| dots_group_thousands(texts(c))).collect();
    if !fits.contains(&Some(true)) {
        return own;
    }
    own.into_iter()
        .zip(fits)
        .map(|(s, f)| {
            if f.is_some() {
                NumberStyle::DecimalComma
            } else {
                s
            }
        })
        .collect()
}

/// Whether the dots of a column group thousands (`1.208`, `12.345.678`) although no text shows
/// a decimal comma: every text with a dot is whole groups of three after one to three digits
/// and no text has a comma. `Some(true)` when beside them stand whole numbers written with one
/// to three digits only (`205`), none of four or more (which would carry the dot): a column of
/// estimates with three decimals (`1.208`) has no bare whole numbers beside them. `Some(false)`
/// when the dots fit but nothing else tells; `None` when they do not fit or there are none.
fn dots_group_thousands<'a>(texts: impl Iterator<Item = &'a str>) -> Option<bool> {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mut grouped = 0usize;
    let mut short = 0usize;
    for t in texts {
        let t = t.trim();
        if !t.bytes().any(|b| b.is_ascii_digit()) {
            continue; // labels and markers (`x`, `..`)
        }
        if t.contains(',') {
            return None;
        }
        if t.contains('.') {
            let mut parts = t.split('.');
            let head = parts.next().unwrap_or("");
            let ok = (1..=3).contains(&head.len())
                && digits(head)
                && !head.starts_with('0')
                && parts.all(|p| p.len() == 3 && digits(p));
            if !ok {
                return None;
            }
            grouped += 1;
        } else if digits(t) {
            if t.len() > 3 {
                return None;
            }
            short += 1;
        }
    }
    (grouped > 0).then_some(short > 0)
}

/// Whether texts show an unambiguous decimal point (`12.5` with one to two decimals and no comma).
fn has_point_evidence<'a>(texts: impl Iterator<Item = &'a str>) -> bool {
    texts.into_iter().any(|t| {
        let t = t.trim().trim_end_matches('%').trim();
        if let Some((a, b)) = t.split_once('.') {
            !a.is_empty()
                && a.chars().all(|c| c.is_ascii_digit() || c == '-')
                && !b.is_empty()
                && b.len() != 3
                && b.chars().all(|c| c.is_ascii_digit())
        } else {
            false
        }
    })
}

/// Split rows into blocks at empty rows.
/// Whether a header printed once fits a later block: the same number of columns (a trailing
/// empty field aside), and an empty corner above the block's labels.
fn fits_header(header: &[GridRow], block: &[GridRow]) -> bool {
    let used = |r: &GridRow| {
        r.cells.len()
            - r.cells
                .iter()
                .rev()
                .take_while(|c| c.trim().is_empty())
                .count()
    };
    let Some(width) = header.iter().map(used).max() else {
        return false;
    };
    let corner_empty = header
        .iter()
        .all(|r| r.cells.first().is_none_or(|c| c.trim().is_empty()));
    width > 2
        && corner_empty
        && block.iter().all(|r| used(r) <= width)
        && block.iter().any(|r| used(r) == width)
}

fn split_blocks(rows: &[GridRow]) -> Vec<&[GridRow]> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, r) in rows.iter().enumerate() {
        if r.is_blank() {
            if let Some(s) = start.take() {
                out.push(&rows[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&rows[s..]);
    }
    out
}

/// A row below the header's first row whose numbers read like years is the body's first row
/// when it labels itself in the stub although a row above already names the stub
/// (`Region⇥Anzahl`, then `North⇥1931`), and its numbers are not years over columns (two or
/// more, evenly spaced by one to ten). A header names its stub once; years a header puts over
/// columns run in steps.
fn is_labelled_body_row(block: &[GridRow], parsed: &[Vec<Value>], start: usize, at: usize) -> bool {
    let stub = |r: &GridRow| r.cells.first().is_some_and(|t| !t.trim().is_empty());
    if at <= start || !stub(&block[at]) || !block[start..at].iter().any(stub) {
        return false;
    }
    let numbers: Vec<f64> = parsed[at]
        .iter()
        .skip(1)
        .filter_map(|v| match v {
            Value::Number(n) => Some(n.value),
            _ => None,
        })
        .collect();
    let stepped = numbers.len() >= 2 && {
        let step = numbers[1] - numbers[0];
        (1.0..=10.0).contains(&step.abs()) && numbers.windows(2).all(|w| w[1] - w[0] == step)
    };
    !numbers.is_empty() && !stepped
}

/// A row that holds body values: counts, suppressed cells, shares, estimates. Years and bands
/// are label material (a header `Age;2019;2020` is not a body row).
fn is_body_row(values: &[Value]) -> bool {
    values.iter().any(|v| match v {
        Value::Number(n) => {
            let year_like = n.decimals == 0
                && !n.percent
                && (1900.0..=2100.0).contains(&n.value)
                && n.value.fract() == 0.0;
            !year_like
        }
        Value::CountShare { .. }
        | Value::Fraction { .. }
        | Value::Estimate { .. }
        | Value::Suppressed(_) => true,
        _ => false,
    })
}

/// A row's values with its letters naming columns (`A;B;C`, [`letter_names`]) read as labels:
/// a header of letters is no body row because `C`, `S` or `X` is also a suppression marker.
fn names_as_labels(r: &GridRow, values: &[Value]) -> Vec<Value> {
    let texts: Vec<&str> = r.cells.iter().map(String::as_str).collect();
    let names = letter_names(&texts);
    values
        .iter()
        .zip(names.iter().chain(std::iter::repeat(&false)))
        .map(|(v, &name)| match v {
            Value::Suppressed(_) if name => Value::Label,
            v => v.clone(),
        })
        .collect()
}

fn first_text(r: &GridRow) -> Option<String> {
    r.cells
        .iter()
        .map(|c| c.trim())
        .find(|c| !c.is_empty())
        .map(str::to_string)
}

fn looks_like_note(texts: &[String]) -> bool {
    texts.iter().any(|t| {
        let l = t.to_lowercase();
        [
            "note", "source", "kilde", "lähde", "källa", "bron", "quelle", "*", "footnote", "anm",
            "huom",
        ]
        .iter()
        .any(|w| l.starts_with(w))
    })
}

/// Column names from header rows: upper rows spread over the empty cells to their right (a
/// spanning group header), rows joined with ` / `.
fn column_names(header: &[GridRow], width: usize) -> Vec<String> {
    let mut names = vec![Vec::<String>::new(); width];
    let last = header.len().saturating_sub(1);
    for (hi, r) in header.iter().enumerate() {
        let mut carry: Option<String> = None;
        for (c, name) in names.iter_mut().enumerate() {
            let t = r.cells.get(c).map(|s| s.trim()).unwrap_or("");
            if !t.is_empty() {
                carry = Some(t.to_string());
                name.push(t.to_string());
            } else if hi < last && c > 0 {
                if let Some(cv) = &carry {
                    name.push(cv.clone());
                }
            }
        }
    }
    names.into_iter().map(|parts| parts.join(" / ")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Rules;

    fn grid(lines: &[&str], sep: char) -> Vec<GridRow> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| GridRow {
                row: i as u32 + 1,
                line: Some(i as u32 + 1),
                cells: if l.is_empty() {
                    vec![]
                } else {
                    l.split(sep).map(str::to_string).collect()
                },
            })
            .collect()
    }

    fn build_with(lines: &[&str], sep: char) -> Vec<Table> {
        let rules = Rules::default_rules();
        let parser = CellParser::new(&rules);
        let lexicon = Lexicon::new(&rules.vocabulary);
        let b = Builder {
            parser: &parser,
            lexicon: &lexicon,
            style: None,
        };
        b.tables(&grid(lines, sep), None, None)
    }

    fn build(lines: &[&str]) -> Vec<Table> {
        build_with(lines, ';')
    }

    #[test]
    fn title_header_body_notes() {
        let t = build(&[
            "Table 1. Deaths by region",
            "Region;Deaths;Share (%)",
            "North;120;60.0",
            "South;80;40.0",
            "Source: synthetic register",
        ]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].title, vec!["Table 1. Deaths by region"]);
        assert_eq!(t[0].header.len(), 1);
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[0].notes, vec!["Source: synthetic register"]);
        assert_eq!(t[0].columns[1].name, "Deaths");
        assert_eq!(t[0].rows[0].label, "North");
        assert_eq!(t[0].rows[0].cells[1].row, 3);
    }

    #[test]
    fn several_tables_separated_by_blank_lines() {
        let t = build(&[
            "A;n",
            "x1;10",
            "x2;12",
            "",
            "Table 2",
            "B;n",
            "y1;30",
            "",
            "Note: synthetic",
        ]);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].index, 1);
        assert_eq!(t[1].index, 2);
        assert_eq!(t[1].title, vec!["Table 2"]);
        assert_eq!(t[1].notes, vec!["Note: synthetic"]);
        assert_eq!(t[1].rows[0].cells[1].row, 7);
    }

    #[test]
    fn year_header_is_a_header_and_two_header_rows_join() {
        let t = build(&["Age;2019;2020", "0-17;15;16", "18+;40;41"]);
        assert_eq!(t[0].header.len(), 1);
        assert_eq!(t[0].columns[2].name, "2020");
        let t = build(&[";Male;;Female;", "Age;n;%;n;%", "0-17;15;20.0;16;21.0"]);
        assert_eq!(t[0].header.len(), 2);
        assert_eq!(t[0].columns[2].name, "Male / %");
        assert_eq!(t[0].columns[3].name, "Female / n");
    }

    /// A total row whose count reads like a year (`Total;1948`) is the body's first row, not a
    /// second header row; years over columns stay a header.
    #[test]
    fn a_total_row_with_a_year_like_count_is_a_body_row() {
        let t = build(&["Code;N", "Total;1948", "01;525", "02;1423"]);
        assert_eq!(t[0].header.len(), 1);
        assert_eq!(t[0].columns[0].name, "Code");
        assert_eq!(t[0].rows.len(), 3);
        let t = build(&["Region;2019;2020;Total", "North;15;16;31", "South;40;41;81"]);
        assert_eq!(t[0].header.len(), 1);
        assert_eq!(t[0].rows.len(), 2);
    }

    /// Area codes over the columns with the total row first below them: the codes are the
    /// header, and the total opens the body.
    #[test]
    fn codes_over_a_total_row_first_are_a_header() {
        let t = build(&[
            "Alue;101;147",
            "Kaikki;171;164",
            "Helsinki;12;5",
            "Espoo;159;159",
        ]);
        assert_eq!(t[0].header.len(), 1, "{t:?}");
        assert_eq!(t[0].columns[1].name, "101");
        assert_eq!(t[0].rows.len(), 3);
        // A total row over a sub-total row stays the body's first row.
        let t = build(&[
            "Region;A;B",
            "Total;171;164",
            "Total North;12;5",
            "Leeds;12;5",
        ]);
        assert_eq!(t[0].columns[1].name, "A", "{t:?}");
        assert_eq!(t[0].rows.len(), 3);
        // Without the total below, a row of numbers stays a body row.
        let t = build(&["Alue;101;147", "Helsinki;12;5", "Espoo;159;159"]);
        assert!(t[0].header.is_empty(), "{t:?}");
        assert_eq!(t[0].rows.len(), 3);
    }

    /// A header of one column name over a column of counts, its stub empty, is a header, not
    /// a title; a title in the first cell stays a title.
    #[test]
    fn a_lone_column_name_over_its_counts_is_a_header() {
        let t = build(&[";Personer", "København;14", "Roskilde;6"]);
        assert_eq!(t[0].header.len(), 1, "{t:?}");
        assert_eq!(t[0].columns[1].name, "Personer");
        assert!(t[0].title.is_empty());
        let t = build(&["Table 2. Persons by region;", "Region;Persons", "North;14"]);
        assert_eq!(t[0].title, vec!["Table 2. Persons by region"]);
        assert_eq!(t[0].columns[1].name, "Persons");
    }

    /// A first body row whose count reads like a year, labelled in the stub under a header that
    /// names the stub, is a body row; years over columns below a group row stay a header.
    #[test]
    fn a_labelled_row_with_a_year_like_count_under_a_named_stub_is_a_body_row() {
        let t = build(&["Region;Anzahl", "North;1931", "Leeds;536", "York;-"]);
        assert_eq!(t[0].header.len(), 1);
        assert_eq!(t[0].columns[1].name, "Anzahl");
        assert_eq!(t[0].rows.len(), 3);
        let t = build(&["Measure;Deaths;Deaths", "Region;2019;2020", "North;15;16"]);
        assert_eq!(t[0].header.len(), 2);
        let t = build(&[";Men;Men", ";2019;2020", "North;15;16"]);
        assert_eq!(t[0].header.len(), 2);
    }

    #[test]
    fn band_header_below_a_spanning_group_row() {
        let t = build(&[
            ";Men;;;Women;;",
            "Region;<50;50+;Total;<50;50+;Total",
            "North;<5;12;15;12;30;42",
            "South;20;35;55;18;27;45",
        ]);
        assert_eq!(t[0].header.len(), 2);
        assert_eq!(t[0].columns[1].name, "Men / <50");
        assert_eq!(t[0].columns[6].name, "Women / Total");
        assert_eq!(t[0].rows.len(), 2);
        assert!(matches!(t[0].rows[0].cells[1].value, Value::Suppressed(_)));
        let paths = t[0].header_paths();
        assert_eq!(paths[2], (3, vec!["Men".to_string(), "50+".to_string()]));
        assert_eq!(paths[4], (5, vec!["Women".to_string(), "<50".to_string()]));
        assert_eq!(paths[0], (1, vec![String::new(), "Region".to_string()]));
        // A first body row with small bounded markers stays in the body.
        let t = build(&["Group;n;Age", "A;<5;65+", "B;12;40"]);
        assert_eq!(t[0].header.len(), 1);
        assert_eq!(t[0].rows.len(), 2);
    }

    #[test]
    fn header_split_from_body_by_a_blank_row_is_joined() {
        let t = build(&["Region;Deaths", "", "North;120", "South;80"]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].columns[1].name, "Deaths");
        assert_eq!(t[0].rows.len(), 2);
    }

    #[test]
    fn digest_depends_on_content() {
        let a = build(&["A;n", "x;10"]);
        let b = build(&["A;n", "x;11"]);
        assert_ne!(a[0].digest, b[0].digest);
    }

    /// One block per variable under a column header printed once, each block titled by a
    /// section heading, groups repeated over their n and % columns.
    #[test]
    fn sections_share_the_header_printed_once() {
        let t = build_with(
            &[
                "Table 3: Household size by group",
                "\tTotal\tTotal\tNorth\tNorth\tSouth\tSouth",
                "",
                "People in household",
                " 1\t1200\t40.0\t300\t30.0\t7\t7.0\t",
                " 2-3\t1800\t60.0\t700\t70.0\t93\t93.0\t",
                "",
                "",
                "Age group",
                " Only 18-29\t0\t0.0\t0\t0.0\t0\t0.0\t",
                " Only 67+\t3000\t100.0\t1000\t100.0\t100\t100.0\t",
                "",
                "Table 4: Household size by subgroup",
                "\tTotal\tTotal\tEast\tEast",
                "Generations",
                " 0\t1164\t30.8\t451\t31.1",
                " 1\t2620\t69.2\t999\t68.9",
            ],
            '\t',
        );
        assert_eq!(t.len(), 3, "{t:#?}");
        for table in &t {
            assert_eq!(table.columns[0].kind, Kind::Label, "{table:#?}");
            assert_eq!(table.columns[1].name, "Total");
            assert_eq!(table.columns[1].kind, Kind::Count);
            assert_eq!(table.columns[2].kind, Kind::Percent, "{:?}", table.columns);
            assert!(table.header.len() == 1, "{table:#?}");
        }
        assert_eq!(t[0].columns[5].name, "South");
        assert_eq!(t[0].columns[5].kind, Kind::Count);
        assert!(t[0].title.iter().any(|x| x == "People in household"));
        assert!(t[1].title.iter().any(|x| x == "Age group"));
        assert!(t[2].title.iter().any(|x| x == "Generations"));
        assert_eq!(t[2].rows[0].label.trim(), "0");
        assert_eq!(t[1].rows[1].cells[1].row, 11);
    }

    #[test]
    fn under_five_is_a_marker_among_counts_and_a_band_among_labels() {
        let t = build_with(
            &["Age,Cases", "5-17,120", "under 5,under 5", "18-64,340"],
            ',',
        );
        assert_eq!(t[0].rows[1].cells[0].value, Value::Band);
        assert!(matches!(
            &t[0].rows[1].cells[1].value,
            Value::Suppressed(s) if s.high == Some(4)
        ));
        let p = CellParser::new(&crate::config::Rules::default_rules());
        assert!(crate::table::cell::word_bounded("under 18 years", &p).is_none());
        assert!(crate::table::cell::word_bounded("under 65", &p).is_none());
        assert!(crate::table::cell::word_bounded("færre end 5", &p).is_some());
    }

    #[test]
    fn a_title_split_at_its_comma_is_a_title() {
        let t = build_with(
            &[
                "Deaths by region and year, all ages",
                "Region,Deaths",
                "North,120",
                "South,98",
            ],
            ',',
        );
        assert_eq!(
            t[0].title,
            vec!["Deaths by region and year, all ages".to_string()]
        );
        assert_eq!(t[0].header.len(), 1);
        assert_eq!(t[0].columns[1].name, "Deaths");
        // A two-row header whose first cell is one word stays a header.
        let t = build_with(&[",Men,Women", "Region,Deaths,Deaths", "North,120,98"], ',');
        assert!(t[0].title.is_empty());
        assert_eq!(t[0].header.len(), 2);
    }
}
