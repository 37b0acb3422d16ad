//! Statistical-software output: SAS logs and listings, Stata text and SMCL logs, R transcripts
//! (`.Rout`), SPSS and pandas text output.
//!
//! Every line becomes part of [`Document::texts`] with its 1-based line number (SMCL tags
//! stripped), so text rules can scan it. Printed tables become [`Document::tables`] through the
//! same [`Builder`] a CSV goes through, so `small-count` and the other table rules see them.
//!
//! The steps, shared with the `log-listing` rule through [`scan`]:
//!
//! 1. [`clean`]: decode, strip SMCL tags (`{txt}`, `{res}`, `{c |}` → `|`, `{hline 5}` → `-----`),
//!    expand tabs;
//! 2. [`role`]: each line is a command echo (`. list`, `> head(df)`, numbered SAS source), a
//!    note (`NOTE:`, timing lines, `MPRINT(`), blank, or output;
//! 3. output lines between commands and notes are cut into blocks at blank lines; a header block
//!    followed by a body (SAS `PROC PRINT` puts a blank line between them) is joined to it;
//! 4. each block's columns are found from the gutters of spaces (and `|`) that its header and
//!    body lines share, never by single spaces inside a cell.
//!
//! Work is bounded: at most [`MAX_LINES`] lines and [`MAX_TEXT_BYTES`] bytes of text are kept,
//! lines are cut at [`MAX_LINE_CHARS`] characters and a block keeps at most [`MAX_BLOCK_LINES`]
//! lines.

use std::io::BufRead;
use std::sync::OnceLock;

use regex::Regex;

use crate::decode::{decode, decoding_reader, sniff_encoding};
use crate::model::{Document, Kind, Location, Notice, Table, Text};
use crate::read::{ReadError, Readers, Source};
use crate::table::classify::{tokens, Lexicon};
use crate::table::grid::{Builder, GridRow};

/// Most lines of a log kept in memory.
pub const MAX_LINES: usize = 2_000_000;
/// Most bytes of log text kept in memory.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;
/// Longest line kept, in characters; the rest of a longer line is dropped.
pub const MAX_LINE_CHARS: usize = 4096;
/// Most lines of one printed table kept.
pub const MAX_BLOCK_LINES: usize = 5_000;
/// Most header lines above a table body.
const MAX_HEADER_LINES: usize = 4;

/// Read a log or listing into texts and tables.
pub fn read(source: Source<'_>, readers: &Readers<'_>) -> Result<Document, ReadError> {
    let mut notices = Vec::new();
    let lines = match source {
        Source::Bytes(bytes) => {
            let decoded = decode(bytes)?;
            clean(decoded.text.lines().map(str::to_string), &mut notices)
        }
        Source::Stream { path, head } => {
            let encoding = sniff_encoding(head);
            let file = std::fs::File::open(path)?;
            let reader =
                std::io::BufReader::new(decoding_reader(std::io::BufReader::new(file), encoding));
            let mut err = None;
            let iter = reader.lines().map_while(|l| match l {
                Ok(l) => Some(l),
                Err(e) => {
                    err = Some(e);
                    None
                }
            });
            let lines = clean(iter, &mut notices);
            if let Some(e) = err {
                return Err(ReadError::Io(e));
            }
            lines
        }
    };
    let tables = tables(&lines, readers);
    Ok(Document {
        tables,
        texts: vec![Text {
            member: None,
            lines,
        }],
        notices,
    })
}

/// Tables printed in a plain text file, aligned with spaces (a `.txt` that is not delimited):
/// found like the printed tables of a log.
pub fn text_tables(text: &str, readers: &Readers<'_>) -> Vec<Table> {
    let mut notices = Vec::new();
    let lines = clean(text.lines().map(str::to_string), &mut notices);
    tables(&lines, readers)
}

/// Decode SMCL, expand tabs, cut long lines; stop keeping lines past the limits (with a notice).
pub fn clean(raw: impl Iterator<Item = String>, notices: &mut Vec<Notice>) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut bytes = 0usize;
    let mut smcl = false;
    let mut dropped = 0u64;
    for (i, line) in raw.enumerate() {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if out.len() >= MAX_LINES || bytes >= MAX_TEXT_BYTES {
            dropped += 1;
            continue;
        }
        let line = line.trim_end_matches('\r');
        if i < 5 && line.trim_start().starts_with("{smcl}") {
            smcl = true;
        }
        let line = if smcl {
            strip_smcl(line)
        } else {
            line.to_string()
        };
        let line = expand_tabs(&line);
        bytes += line.len();
        out.push((no, line));
    }
    if dropped > 0 {
        notices.push(Notice {
            rule: crate::rules::file_type::ID,
            message: format!(
                "log too large: {dropped} lines past the first {} were not checked; a person must review them",
                out.len()
            ),
            location: Location::default(),
        });
    }
    out
}

fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut col = 0usize;
    for ch in line.chars() {
        if col >= MAX_LINE_CHARS {
            break;
        }
        if ch == '\t' {
            let n = 8 - col % 8;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else if ch.is_control() {
            continue;
        } else {
            out.push(ch);
            col += 1;
        }
    }
    out
}

/// Strip the SMCL markup of one line: `{txt}`, `{res}`, `{com}` vanish, `{c |}` becomes `|`,
/// `{hline 5}` five dashes, `{space 3}` three spaces, `{col 20}` pads to column 20, and
/// `{bf:text}` keeps its text.
pub fn strip_smcl(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    smcl_into(&chars, &mut out, 0);
    out
}

fn smcl_into(chars: &[char], out: &mut String, depth: usize) {
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch != '{' || depth > 8 {
            out.push(ch);
            i += 1;
            continue;
        }
        // Find the matching close brace.
        let mut level = 0usize;
        let mut end = None;
        for (j, c) in chars.iter().enumerate().skip(i) {
            match c {
                '{' => level += 1,
                '}' => {
                    level -= 1;
                    if level == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            out.push(ch);
            i += 1;
            continue;
        };
        let inner = &chars[i + 1..end];
        smcl_directive(inner, out, depth);
        i = end + 1;
    }
}

fn smcl_directive(inner: &[char], out: &mut String, depth: usize) {
    let colon = inner.iter().position(|c| *c == ':');
    let name: String = inner[..colon.unwrap_or(inner.len())].iter().collect();
    let name = name.trim();
    let mut words = name.split_whitespace();
    let head = words.next().unwrap_or("");
    let arg = words.next();
    let num = arg
        .and_then(|a| a.parse::<usize>().ok())
        .map(|n| n.min(400));
    if let Some(c) = colon {
        // `{bf:text}`, `{res:text}`, `{ralign 12:text}`: keep the text, aligned if asked.
        let mut text = String::new();
        smcl_into(&inner[c + 1..], &mut text, depth + 1);
        let width = num.unwrap_or(0);
        let len = text.chars().count();
        match head {
            "ralign" if len < width => {
                out.extend(std::iter::repeat_n(' ', width - len));
                out.push_str(&text);
            }
            "lalign" if len < width => {
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', width - len));
            }
            "center" | "centre" if len < width => {
                let left = (width - len) / 2;
                out.extend(std::iter::repeat_n(' ', left));
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', width - len - left));
            }
            _ => out.push_str(&text),
        }
        return;
    }
    match head {
        "c" | "char" => match arg.unwrap_or("") {
            "|" => out.push('|'),
            "-" => out.push('-'),
            "+" | "TLC" | "TRC" | "BLC" | "BRC" | "LT" | "RT" | "TT" | "BT" => out.push('+'),
            "-(" => out.push('{'),
            ")-" => out.push('}'),
            _ => {}
        },
        "hline" => out.extend(std::iter::repeat_n('-', num.unwrap_or(12))),
        ".-" => out.extend(std::iter::repeat_n('-', 12)),
        "space" => out.extend(std::iter::repeat_n(' ', num.unwrap_or(1))),
        "col" => {
            if let Some(n) = num {
                let len = out.chars().count();
                if n > len + 1 {
                    out.extend(std::iter::repeat_n(' ', n - 1 - len));
                } else {
                    out.push(' ');
                }
            }
        }
        _ => {}
    }
}

/// What a line of a log is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Blank,
    /// A command echo or source line: `. list`, `> head(df)`, `+ more`, `12   data x;`.
    Command,
    /// Housekeeping: `NOTE:`, `WARNING:`, timing lines, `MPRINT(…)`, page headers.
    Note,
    /// Printed output.
    Output,
}

/// Which program wrote the log, as far as its lines tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mode {
    /// A SAS log (NOTE lines): numbered lines are program source.
    pub sas_log: bool,
}

/// The mode of a whole text.
pub fn mode(lines: &[(u32, String)]) -> Mode {
    let sas_log = lines.iter().take(20_000).any(|(_, l)| {
        l.starts_with("NOTE: ")
            || l.starts_with("NOTE ")
            || l.starts_with("ERROR: ")
            || l.starts_with("MPRINT(")
    });
    Mode { sas_log }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| Regex::new("$^").expect("empty")))
}

/// The role of each line; continuation lines of notes and commands follow their first line.
pub fn roles(lines: &[(u32, String)], mode: Mode) -> Vec<Role> {
    static SAS_SOURCE: OnceLock<Regex> = OnceLock::new();
    static TIMING: OnceLock<Regex> = OnceLock::new();
    let sas_source = re(&SAS_SOURCE, r"^\d+(\s+!)?(\s{2,}|\s*$)");
    let timing = re(
        &TIMING,
        r"^\s{2,}(real time|cpu time|user cpu time|system cpu time|memory|OS Memory|Timestamp|Step Count|Switch Count|Page Faults|Page Reclaims|Voluntary Context Switches|Involuntary Context Switches|Block Input Operations|Block Output Operations)\b",
    );
    let mut out = Vec::with_capacity(lines.len());
    let mut prev = Role::Blank;
    for (_, line) in lines {
        let t = line.trim_start();
        let note = is_note(line)
            || timing.is_match(line)
            // Indented continuation lines of a SAS note.
            || (prev == Role::Note
                && line.starts_with("      ")
                && mode.sas_log
                && !line.contains("_N_="));
        let prompt = line.starts_with(". ")
            || line == "."
            || line.starts_with("> ")
            || line == ">"
            || line.starts_with(">>> ")
            || line.starts_with("In [");
        let continued =
            (line.starts_with("+ ") || line.starts_with("... ")) && prev == Role::Command;
        let sas_code = mode.sas_log && sas_source.is_match(t) && !line.contains("_N_=");
        // Numbered lines of a Stata program or loop body (`  2.   gen x = 0`); `list` rows
        // have a `|` after the number.
        let command = prompt || continued || sas_code || stata_program_line(t);
        let role = if t.is_empty() {
            Role::Blank
        } else if note {
            Role::Note
        } else if command {
            Role::Command
        } else {
            Role::Output
        };
        out.push(role);
        if role != Role::Blank {
            prev = role;
        }
    }
    out
}

fn stata_program_line(t: &str) -> bool {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 6 {
        return false;
    }
    let rest = &t[digits..];
    let Some(rest) = rest.strip_prefix('.') else {
        return false;
    };
    (rest.is_empty() || rest.starts_with(' ')) && !rest.trim_start().starts_with('|')
}

fn is_note(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "NOTE:",
        "NOTE ",
        "WARNING:",
        "WARNING ",
        "ERROR:",
        "ERROR ",
        "INFO:",
        "MPRINT(",
        "MLOGIC(",
        "SYMBOLGEN:",
        "MACROGEN(",
        "MAUTOCOMPLOC:",
        "Signif. codes:",
        "(Intercept)",
        "Warning message",
        "Warning:",
        "Error:",
        "Error in ",
        "Loading required package",
        "Attaching package",
        "Time difference of",
        "r; t=",
    ];
    PREFIXES.iter().any(|p| line.starts_with(p))
}

/// A block of output lines with its columns.
#[derive(Debug, Clone)]
pub struct Block {
    /// Line numbers of the block's lines (border lines left out), top to bottom.
    pub lines: Vec<u32>,
    /// Cell texts per line.
    pub cells: Vec<Vec<String>>,
    /// How many of the leading lines are header lines.
    pub header: usize,
    /// The nearest single text line above the block (a procedure or table title).
    pub title: Option<String>,
    /// The block is drawn with `|` separators (Stata, acro).
    pub piped: bool,
    /// The first text of the line just before the block's region began (the command).
    pub command: Option<String>,
}

impl Block {
    /// The header line nearest the body, as cells.
    pub fn header_cells(&self) -> &[String] {
        if self.header == 0 {
            &[]
        } else {
            &self.cells[self.header - 1]
        }
    }

    /// The body lines' cells.
    pub fn body(&self) -> &[Vec<String>] {
        &self.cells[self.header.min(self.cells.len())..]
    }

    /// Line number of the first body line.
    pub fn first_body_line(&self) -> u32 {
        self.lines
            .get(self.header)
            .or(self.lines.first())
            .copied()
            .unwrap_or(0)
    }

    /// Line number of the last line.
    pub fn last_line(&self) -> u32 {
        self.lines.last().copied().unwrap_or(0)
    }
}

/// A number as printed in output: `12`, `-3.5`, `1,234`, `45.2%`, `1e-05`.
pub fn is_number(tok: &str) -> bool {
    let t = tok.trim_end_matches('%');
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    if t.is_empty() {
        return false;
    }
    let t: String = t.chars().filter(|c| *c != ',').collect();
    t.parse::<f64>().is_ok()
        && t.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
}

/// Whether a line is drawn only with `-`, `=`, `+`, `|` and spaces.
fn is_border(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '-' | '=' | '+' | '|' | ' ' | '_'))
        && t.chars().filter(|c| matches!(c, '-' | '=' | '_')).count() >= 3
}

/// Whether a line holds at least one number outside an R vector index (`[1]`).
fn has_number(line: &str) -> bool {
    line.split(|c: char| c.is_whitespace() || c == '|')
        .any(|w| is_number(w.trim_end_matches(['.', ':'])) && !w.is_empty())
}

/// Stata's key box above a crosstab (`+----+`, `| Key |`, `| frequency |`, `+----+`): a legend,
/// not part of the table; its lines are left out so the table's columns are found alone.
fn without_key_boxes(lines: &[(u32, String)]) -> Vec<(u32, String)> {
    let edge = |t: &str| t.len() >= 5 && t.starts_with("+-") && t.ends_with("-+");
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].1.trim();
        if edge(t) {
            let close = (i + 1..lines.len().min(i + 12)).find(|&k| edge(lines[k].1.trim()));
            let inside_key = close.is_some_and(|k| {
                lines[i + 1..k].iter().all(|(_, l)| {
                    let l = l.trim();
                    l.starts_with('|') && l.ends_with('|')
                }) && lines[i + 1..k]
                    .iter()
                    .any(|(_, l)| l.to_lowercase().contains("key"))
            });
            if let (true, Some(k)) = (inside_key, close) {
                i = k + 1;
                continue;
            }
        }
        out.push(lines[i].clone());
        i += 1;
    }
    out
}

/// Cut a text into blocks of printed output.
pub fn scan(lines: &[(u32, String)]) -> Vec<Block> {
    let owned = without_key_boxes(lines);
    let lines = owned.as_slice();
    let mode = mode(lines);
    let roles = roles(lines, mode);
    let mut blocks = Vec::new();
    let mut i = 0;
    let mut command: Option<String> = None;
    while i < lines.len() {
        match roles[i] {
            Role::Command => {
                command = Some(lines[i].1.clone());
                i += 1;
                continue;
            }
            Role::Output => {}
            _ => {
                i += 1;
                continue;
            }
        }
        // A region: output and blank lines up to the next command or note.
        let start = i;
        while i < lines.len() && matches!(roles[i], Role::Output | Role::Blank) {
            i += 1;
        }
        region_blocks(&lines[start..i], &command, &mut blocks);
    }
    blocks
}

fn region_blocks(lines: &[(u32, String)], command: &Option<String>, out: &mut Vec<Block>) {
    // Paragraphs at blank lines, border lines dropped.
    let mut paras: Vec<Vec<&(u32, String)>> = Vec::new();
    let mut cur: Vec<&(u32, String)> = Vec::new();
    for l in lines {
        if l.1.trim().is_empty() {
            if !cur.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
        } else if !is_border(&l.1)
            && !l.1.trim_start().starts_with("# ℹ")
            && !l.1.trim_start().starts_with("# … with")
            && cur.len() < MAX_BLOCK_LINES
        {
            cur.push(l);
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    let mut title: Option<String> = None;
    let mut k = 0;
    while k < paras.len() {
        let mut para = paras[k].clone();
        k += 1;
        let numeric = para.iter().any(|l| has_number(&l.1));
        if !numeric && para.len() == 1 && para[0].1.split_whitespace().count() <= 8 {
            // A title line, unless the next paragraph is a body it heads.
            let next_body = paras
                .get(k)
                .is_some_and(|n| n.iter().all(|l| has_number(&l.1)) && columns_of(&n[0].1) > 1);
            if !(next_body && columns_of(&para[0].1) > 1) {
                let t = para[0].1.trim().to_string();
                title = Some(match title.take() {
                    Some(prev) if prev.len() < 200 => format!("{prev} / {t}"),
                    _ => t,
                });
                continue;
            }
        }
        if !numeric && para.len() <= MAX_HEADER_LINES {
            if let Some(next) = paras.get(k) {
                if next.iter().any(|l| has_number(&l.1)) && columns_of(&para[0].1) > 1 {
                    para.extend(next.iter().copied());
                    k += 1;
                }
            }
        }
        if !para.iter().any(|l| has_number(&l.1)) {
            continue;
        }
        if let Some(b) = build_block(&para, title.take(), command.clone()) {
            out.push(b);
        }
    }
}

/// Words separated by two or more spaces, a rough column count for a single line.
fn columns_of(line: &str) -> usize {
    line.split("  ").filter(|w| !w.trim().is_empty()).count()
}

fn build_block(
    para: &[&(u32, String)],
    title: Option<String>,
    command: Option<String>,
) -> Option<Block> {
    // R vectors (`[1] 1 2 3`) are not tables.
    if para.iter().all(|l| l.1.trim_start().starts_with('[')) {
        return None;
    }
    let header = para
        .iter()
        .take(MAX_HEADER_LINES + 1)
        .take_while(|l| !has_number(&l.1) || is_tibble_dims(&l.1))
        .count()
        .min(MAX_HEADER_LINES);
    // A tibble's `# A tibble: 6 × 4` line is a title, not a header.
    let (para, title) = if para.first().is_some_and(|l| is_tibble_dims(&l.1)) {
        (&para[1..], Some(para[0].1.trim().to_string()))
    } else {
        (para, title)
    };
    let header = if title.as_deref().is_some_and(is_tibble_dims) {
        header.saturating_sub(1)
    } else {
        header
    };
    if para.is_empty() {
        return None;
    }
    // Crosstab legend lines that carry nothing once their names moved into the stubs are
    // dropped, with their line numbers, and the header is counted again.
    let (para, texts, header): (Vec<&(u32, String)>, Vec<String>, usize) =
        match crosstab_stubs(para) {
            Some(r) => {
                let (kept, texts): (Vec<&(u32, String)>, Vec<String>) = para
                    .iter()
                    .zip(r)
                    .filter(|(_, t)| !t.trim().is_empty())
                    .map(|(l, t)| (*l, t))
                    .unzip();
                let header = texts
                    .iter()
                    .take_while(|t| !has_number(t))
                    .count()
                    .min(MAX_HEADER_LINES);
                (kept, texts, header)
            }
            None => (
                para.to_vec(),
                para.iter().map(|l| l.1.clone()).collect(),
                header,
            ),
        };
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let header = header.min(texts.len());
    let piped = texts.iter().filter(|t| t.contains('|')).count() * 2 > texts.len();
    let mut cells = split_columns(&texts, header, piped);
    if !piped && header > 0 {
        merge_label_words(&mut cells, header);
    }
    if cells.iter().map(|r| r.len()).max().unwrap_or(0) < 2 {
        return None;
    }
    Some(Block {
        lines: para.iter().map(|l| l.0).collect(),
        cells,
        header,
        title,
        piped,
        command,
    })
}

fn is_tibble_dims(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("# A tibble:") || t.starts_with("# A data frame:")
}

/// SAS `PROC FREQ` crosstab cells print several statistics per cell on stacked lines, named by
/// a legend (`Frequency`, `Percent`, `Row Pct`, `Col Pct`) in the top-left corner. Give each
/// stacked line the legend name in its stub so that rows say what they hold.
fn crosstab_stubs(para: &[&(u32, String)]) -> Option<Vec<String>> {
    const LEGEND: &[&str] = &[
        "Frequency",
        "Percent",
        "Row Pct",
        "Col Pct",
        "Expected",
        "Deviation",
        "Cell Chi-Square",
        "Tot Pct",
    ];
    let bar = para.first()?.1.find('|')?;
    let mut legend: Vec<String> = Vec::new();
    for l in para {
        let stub: String = l.1.chars().take(bar).collect();
        let s = stub.trim();
        if LEGEND.iter().any(|w| w.eq_ignore_ascii_case(s))
            || LEGEND.iter().any(|w| s.starts_with(w)) && !has_number(&l.1)
        {
            legend.push(s.to_string());
        } else {
            break;
        }
    }
    if legend.len() < 2 {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut k = 0usize;
    let mut current = String::new();
    for (i, l) in para.iter().enumerate() {
        let chars: Vec<char> = l.1.chars().collect();
        let (stub, rest): (String, String) = if chars.len() > bar {
            (chars[..bar].iter().collect(), chars[bar..].iter().collect())
        } else {
            (l.1.clone(), String::new())
        };
        if i < legend.len() {
            // The last legend line carries the column headers; its stub becomes empty.
            let blank = " ".repeat(bar);
            out.push(if i + 1 == legend.len() {
                format!("{blank}{rest}")
            } else {
                format!("{blank}{}", " ".repeat(rest.chars().count()))
            });
            continue;
        }
        if !stub.trim().is_empty() {
            current = stub.trim().to_string();
            k = 0;
        }
        let name = legend.get(k).cloned().unwrap_or_default();
        k += 1;
        // The frequency line carries the row's label; the percentage lines under it get none
        // (the table reader leaves them out: they are not counts).
        let new_stub = if name.eq_ignore_ascii_case("Frequency") {
            current.clone()
        } else if legend
            .first()
            .is_some_and(|f| f.eq_ignore_ascii_case("Frequency"))
        {
            String::new()
        } else {
            format!("{name} / {current}")
        };
        let new_stub: String = if new_stub.chars().count() >= bar {
            // Keep the stub within its width so the columns stay where they were.
            let mut s: String = new_stub.chars().take(bar.saturating_sub(1)).collect();
            s.push(' ');
            s
        } else {
            format!("{new_stub:<bar$}")
        };
        out.push(format!("{new_stub}{rest}"));
    }
    // Spacer legend lines are blank now; the caller drops them with their line numbers.
    Some(out)
}

/// A multi-word row label (`Corrected Total`) whose words happen to stand over a gutter of
/// every other line splits into columns; a column without a header whose cells, like those to
/// its left, hold no numbers is joined to its left neighbour.
fn merge_label_words(cells: &mut [Vec<String>], header: usize) {
    let width = cells.iter().map(Vec::len).max().unwrap_or(0);
    let wordy = |cells: &[Vec<String>], j: usize| {
        cells[header..]
            .iter()
            .filter_map(|r| r.get(j))
            .all(|c| !c.split_whitespace().any(is_number))
    };
    let mut j = width;
    while j > 1 {
        j -= 1;
        let unnamed = cells[..header]
            .iter()
            .all(|r| r.get(j).is_none_or(|c| c.is_empty()));
        if unnamed && wordy(cells, j) && wordy(cells, j - 1) {
            for row in cells.iter_mut() {
                if j < row.len() {
                    let moved = row.remove(j);
                    if !moved.is_empty() {
                        if !row[j - 1].is_empty() {
                            row[j - 1].push(' ');
                        }
                        row[j - 1].push_str(&moved);
                    }
                }
            }
        }
    }
}

/// Split aligned lines into cells by the gutters of spaces (and `|`) that the last header line
/// and the body lines share. Words of upper header lines go to the column they overlap most.
pub fn split_columns(lines: &[&str], header: usize, piped: bool) -> Vec<Vec<String>> {
    let chars: Vec<Vec<char>> = lines.iter().map(|l| l.chars().collect()).collect();
    let width = chars.iter().map(Vec::len).max().unwrap_or(0);
    let decide_from = header.saturating_sub(1).min(chars.len());
    let decide = &chars[decide_from..];
    let mut gutter = vec![true; width];
    let mut bar = vec![false; width];
    for line in decide {
        for (p, c) in line.iter().enumerate() {
            if *c == '|' {
                bar[p] = true;
            } else if *c != ' ' {
                gutter[p] = false;
            }
        }
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut p = 0;
    while p < width {
        if gutter[p] {
            p += 1;
            continue;
        }
        let s = p;
        while p < width && !gutter[p] {
            p += 1;
        }
        runs.push((s, p));
    }
    if piped {
        // The stub left of the first bar is one cell (`Never married |`).
        if let Some(first_bar) = bar.iter().position(|b| *b) {
            let left: Vec<(usize, usize)> =
                runs.iter().copied().filter(|r| r.1 <= first_bar).collect();
            if left.len() > 1 {
                let merged = (left[0].0, left[left.len() - 1].1);
                runs.retain(|r| r.1 > first_bar);
                runs.insert(0, merged);
            }
        }
    }
    // A header of several words over one column (`I alt` over right-aligned numbers under
    // `alt`): a run that only the header fills, one space before the next run, is part of it.
    let body_fills = |r: (usize, usize)| {
        chars
            .iter()
            .skip(header)
            .any(|l| l.iter().take(r.1).skip(r.0).any(|c| *c != ' ' && *c != '|'))
    };
    let mut k = 0;
    while k + 1 < runs.len() {
        if header > 0 && runs[k + 1].0 == runs[k].1 + 1 && !body_fills(runs[k]) {
            runs[k] = (runs[k].0, runs[k + 1].1);
            runs.remove(k + 1);
        } else {
            k += 1;
        }
    }
    if runs.is_empty() {
        return Vec::new();
    }
    // A stub aligned to the right (Stata's `      Married |`) has no hierarchy in its spaces.
    let stub_ends: Vec<usize> = chars
        .iter()
        .skip(header)
        .filter_map(|l| {
            words(l)
                .into_iter()
                .filter(|w| w.0 < runs[0].1)
                .map(|w| w.1)
                .next_back()
        })
        .collect();
    let right_aligned =
        piped || (stub_ends.len() >= 2 && stub_ends.iter().all(|e| *e == stub_ends[0]));
    chars
        .iter()
        .map(|line| {
            let mut cells = vec![String::new(); runs.len()];
            for (ws, we) in words(line) {
                let best = runs
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let overlap = we.min(r.1).saturating_sub(ws.max(r.0));
                        let dist = if we <= r.0 {
                            r.0 - we
                        } else {
                            ws.saturating_sub(r.1)
                        };
                        (i, overlap, dist)
                    })
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
                    .map(|(i, _, _)| i)
                    .unwrap_or(0);
                let w: String = line[ws..we].iter().collect();
                let cell = &mut cells[best];
                if !cell.is_empty() {
                    cell.push(' ');
                } else if best == 0 && !right_aligned {
                    // Indentation of the stub (`    Aalborg` under `Region Nordjylland`) is
                    // kept: it is how a printed table shows its hierarchy.
                    let indent = ws.saturating_sub(runs[0].0);
                    cell.extend(std::iter::repeat_n(' ', indent));
                }
                cell.push_str(&w);
            }
            cells
        })
        .collect()
}

/// Word spans of a line: runs of characters other than space and `|`.
fn words(line: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < line.len() {
        if line[p] == ' ' || line[p] == '|' {
            p += 1;
            continue;
        }
        let s = p;
        while p < line.len() && line[p] != ' ' && line[p] != '|' {
            p += 1;
        }
        out.push((s, p));
    }
    out
}

/// What a printed table is, as far as its shape tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Rows numbered 1..n (`Obs`, `1.`, R row names, a pandas index): one row per record.
    Numbered(Numbering),
    /// Anything else: frequency tables, model output, summaries.
    Other,
}

/// How rows of a listing are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// SAS `PROC PRINT`: an `Obs` column.
    SasObs,
    /// Stata `list`: `1.` before a `|` box.
    StataList,
    /// R, pandas, tibble row numbers or index without a header.
    RowNames,
}

impl Numbering {
    pub fn describe(self) -> &'static str {
        match self {
            Numbering::SasObs => "SAS PROC PRINT listing",
            Numbering::StataList => "Stata list output",
            Numbering::RowNames => "printed data frame",
        }
    }
}

/// Whether a block's rows are numbered as records are.
pub fn shape(block: &Block) -> Shape {
    let body = block.body();
    if body.len() < 2 {
        return Shape::Other;
    }
    let head0 = block
        .header_cells()
        .first()
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let numbering = if head0.eq_ignore_ascii_case("obs") {
        Numbering::SasObs
    } else if head0.is_empty() {
        if block.piped
            && body
                .iter()
                .all(|r| r.first().is_some_and(|c| c.ends_with('.')))
        {
            Numbering::StataList
        } else {
            Numbering::RowNames
        }
    } else {
        return Shape::Other;
    };
    let mut prev: Option<i64> = None;
    for row in body {
        if row
            .iter()
            .all(|c| c.is_empty() || c.chars().all(|ch| ch == '.' || ch == '…'))
        {
            // pandas and data.table elide the middle rows with `...`.
            continue;
        }
        let Some(first) = row.first() else {
            return Shape::Other;
        };
        let t = first.trim().trim_end_matches(['.', ':']);
        let Ok(n) = t.parse::<i64>() else {
            return Shape::Other;
        };
        if prev.is_some_and(|p| n <= p) {
            return Shape::Other;
        }
        prev = Some(n);
    }
    Shape::Numbered(numbering)
}

/// For a frequency table (a `Frequency`, `Freq.`, `Count` or `N` column): whether every
/// frequency outside the total row is 1 over three rows or more, a list of the values of an
/// identifier. `None` for a block without a frequency column.
pub fn every_frequency_one(block: &Block, lexicon: &Lexicon) -> Option<bool> {
    let col = block.header_cells().iter().position(|h| {
        let t = tokens(h);
        t.len() == 1
            && matches!(t[0].as_str(), "frequency" | "freq" | "count" | "n")
            && lexicon.header_kind(h) == Some(Kind::Count)
    })?;
    let values: Vec<&str> = block
        .body()
        .iter()
        .filter(|r| {
            !r.first()
                .is_some_and(|l| lexicon.is_total(l) || l.trim().is_empty())
        })
        .filter_map(|r| r.get(col).map(|s| s.trim()))
        .collect();
    Some(values.len() >= 3 && values.iter().all(|v| *v == "1"))
}

/// The tables of a log: every block with a header and a body, through the common builder.
fn tables(lines: &[(u32, String)], readers: &Readers<'_>) -> Vec<Table> {
    let builder = Builder {
        parser: readers.parser,
        lexicon: readers.lexicon,
        style: None,
    };
    let mut out: Vec<Table> = Vec::new();
    for block in scan(lines) {
        // A frequency table of an identifier is a listing (`log-listing`); its row labels are
        // identifiers, which table findings would name.
        if block.header == 0
            || !tabled(&block)
            || every_frequency_one(&block, readers.lexicon) == Some(true)
        {
            continue;
        }
        let mut rows: Vec<GridRow> = Vec::new();
        if let Some(t) = &block.title {
            rows.push(GridRow {
                row: block
                    .lines
                    .first()
                    .copied()
                    .unwrap_or(1)
                    .saturating_sub(1)
                    .max(1),
                line: None,
                cells: vec![t.clone()],
            });
        }
        let mut labelled_above = false;
        for (i, (no, cells)) in block.lines.iter().zip(&block.cells).enumerate() {
            if i >= block.header && labelled_above && percentage_line(cells) {
                // The percentages a crosstab prints under each row's frequencies (Stata
                // `tab a b, row col`, SAS PROC FREQ): not rows of the table of counts.
                continue;
            }
            labelled_above =
                i >= block.header && cells.first().is_some_and(|c| !c.trim().is_empty());
            rows.push(GridRow {
                row: *no,
                line: Some(*no),
                cells: cells.clone(),
            });
        }
        let numbered = matches!(shape(&block), Shape::Numbered(_));
        for mut t in builder.tables(&rows, None, None) {
            relabel_log_table(&mut t, numbered);
            t.index = out.len() as u32 + 1;
            out.push(t);
        }
    }
    // SAS prints the missing values of a frequency table below it (`Frequency Missing = 3`):
    // a count like any cell of the table.
    for (no, line) in lines {
        let t = line.trim();
        let Some(rest) = t
            .strip_prefix("Frequency Missing")
            .map(|r| r.trim_start().trim_start_matches('=').trim())
        else {
            continue;
        };
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let rows = [
            GridRow {
                row: *no,
                line: None,
                cells: vec!["Missing values".to_string(), "Frequency".to_string()],
            },
            GridRow {
                row: *no,
                line: Some(*no),
                cells: vec!["Frequency Missing".to_string(), rest.to_string()],
            },
        ];
        for mut t in builder.tables(&rows, None, None) {
            t.index = out.len() as u32 + 1;
            out.push(t);
        }
    }
    out
}

/// A line under a crosstab row with no label of its own and only numbers with decimals (its row,
/// column or cell percentages).
fn percentage_line(cells: &[String]) -> bool {
    let Some((first, rest)) = cells.split_first() else {
        return false;
    };
    let mut numbers = 0;
    let all = rest.iter().all(|c| {
        let c = c.trim();
        if c.is_empty() {
            return true;
        }
        numbers += 1;
        c.contains('.') && is_number(c)
    });
    first.trim().is_empty() && all && numbers >= 1
}

/// Blocks that are tables worth the table rules: not summaries whose cells are single values.
fn tabled(block: &Block) -> bool {
    let words: Vec<String> = block
        .cells
        .iter()
        .take(block.header + 2)
        .flatten()
        .flat_map(|c| tokens(c))
        .collect();
    // Key-value summaries (`Number of obs = 9`, `Df Model: 3`) are not tables of counts.
    let keyed = block
        .cells
        .iter()
        .filter(|r| {
            r.iter()
                .any(|c| c == "=" || c.contains("->") || c.ends_with(':') || c.contains(" = "))
        })
        .count();
    if keyed * 2 >= block.cells.len() {
        return false;
    }
    // `summarize, detail` and PROC UNIVARIATE print single observations, not tables of counts.
    !words
        .iter()
        .any(|w| w == "smallest" || w == "largest" || w == "lowest" || w == "highest")
}

/// Kinds the builder cannot know from a log table alone: an `Obs` or row-number column holds
/// labels; in a listing, numbers in columns that do not say they are counts are values of
/// individuals, not counts (the listing itself is the finding).
fn relabel_log_table(table: &mut Table, numbered: bool) {
    let first = table.columns.iter().map(|c| c.col).min().unwrap_or(1);
    for c in &mut table.columns {
        let name = c.name.trim().to_ascii_lowercase();
        if name == "obs" || (numbered && c.col == first) {
            c.kind = Kind::Label;
        } else if tokens(&name)
            .iter()
            .any(|t| t == "cumulative" || t == "cum")
        {
            // A running total repeats the counts above it; its own rows are not cells.
            c.kind = Kind::Unknown;
        } else if numbered && c.kind == Kind::Count && !header_says_count(&name) {
            c.kind = Kind::Unknown;
        }
    }
}

fn header_says_count(name: &str) -> bool {
    let toks = tokens(name);
    toks.iter().any(|t| {
        matches!(
            t.as_str(),
            "n" | "count" | "freq" | "frequency" | "antal" | "number"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(text: &str) -> Vec<(u32, String)> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i as u32 + 1, l.to_string()))
            .collect()
    }

    #[test]
    fn smcl_tags_are_stripped() {
        assert_eq!(strip_smcl("{txt}  1. {c |} {res}A01 {c |}"), "  1. | A01 |");
        assert_eq!(strip_smcl("{hline 3}{c +}{hline 2}"), "---+--");
        assert_eq!(strip_smcl("{bf:{it:acro}} x"), "acro x");
        assert_eq!(strip_smcl("{ralign 5:ab}|"), "   ab|");
        assert_eq!(strip_smcl("a {c -(} b"), "a { b");
        assert_eq!(strip_smcl("unbalanced {txt"), "unbalanced {txt");
    }

    #[test]
    fn columns_follow_gutters_not_single_spaces() {
        let lines = [
            "                                 Cumulative    Cumulative",
            "sex        Frequency     Percent     Frequency      Percent",
            "Female          512       51.20           512        51.20",
            "Male            488       48.80          1000       100.00",
        ];
        let cells = split_columns(&lines, 2, false);
        assert_eq!(
            cells[1],
            vec!["sex", "Frequency", "Percent", "Frequency", "Percent"]
        );
        assert_eq!(cells[0][3], "Cumulative");
        assert_eq!(cells[3], vec!["Male", "488", "48.80", "1000", "100.00"]);
    }

    #[test]
    fn piped_stub_is_one_cell() {
        let lines = [
            "      marital |      Freq.     Percent        Cum.",
            "Never married |        120       40.00       40.00",
            "      Married |        180       60.00      100.00",
        ];
        let cells = split_columns(&lines, 1, true);
        assert_eq!(cells[1][0], "Never married");
        assert_eq!(cells[2], vec!["Married", "180", "60.00", "100.00"]);
    }

    #[test]
    fn r_data_frame_is_numbered() {
        let lines = numbered(
            "> head(df)\n  pid age sex\n1 A01  34   F\n2 A02  51   M\n3 A03  28   F\n> q()\n",
        );
        let blocks = scan(&lines);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].lines, vec![2, 3, 4, 5]);
        assert_eq!(shape(&blocks[0]), Shape::Numbered(Numbering::RowNames));
    }

    #[test]
    fn sas_print_with_blank_line_under_header() {
        let lines = numbered(
            "                 The SAS System\n\n Obs    pid     age\n\n   1    A01      34\n   2    A02      51\n",
        );
        let blocks = scan(&lines);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].header, 1);
        assert_eq!(blocks[0].first_body_line(), 5);
        assert_eq!(shape(&blocks[0]), Shape::Numbered(Numbering::SasObs));
    }

    #[test]
    fn numbers_are_recognised() {
        for t in ["12", "-3.5", "1,234", "45.2%", "1e-05", ".5"] {
            assert!(is_number(t), "{t}");
        }
        for t in ["", "-", "A01", "1.", "NA", "[1]"] {
            assert!(!is_number(t) || t == "1.", "{t}");
        }
    }

    #[test]
    fn no_panics_on_odd_input() {
        let pieces = [
            "{smcl}",
            "{c |}",
            "{hline",
            "}",
            "{",
            "|",
            " ",
            "  ",
            "1.",
            "Obs",
            "Frequency",
            "Percent  |",
            "---+---",
            "ä×",
            "\t",
            "12",
            "-3.5",
            "_N_=4",
            "a=1",
            "# A tibble: 3 × 2",
            "<chr>",
            "Residual |",
            "examples:",
            "'data.frame':\t3 obs. of  2 variables:",
            " $ id: int",
            "NOTE: x",
            ". list",
            "> head(x)",
            "...",
            "[1]",
            "Total",
            "Extreme Observations",
        ];
        let rules = crate::config::Rules::default_rules();
        let parser = crate::table::cell::CellParser::new(&rules);
        let lexicon = Lexicon::new(&rules.vocabulary);
        let readers = Readers {
            parser: &parser,
            lexicon: &lexicon,
        };
        let mut seed: u64 = 7;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..60 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let p = pieces[(seed >> 33) as usize % pieces.len()];
                text.push_str(p);
                if (seed >> 20).is_multiple_of(3) {
                    text.push('\n');
                }
            }
            let doc = read(Source::Bytes(text.as_bytes()), &readers).expect("reads");
            for b in scan(&doc.texts[0].lines) {
                let _ = shape(&b);
                let _ = every_frequency_one(&b, &lexicon);
            }
        }
    }
}
