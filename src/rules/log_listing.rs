//! ## What it does
//! Flags logs and console output (SAS `.log`/`.lst`, Stata `.log`/`.smcl`, R `.Rout`, SPSS and
//! pandas text output) that list individual observations:
//!
//! - printed listings whose rows are records: SAS `PROC PRINT` (an `Obs` column), Stata `list`
//!   (rows `1.`, `2.` in a `|` box, one row enough: `l in 1`; and its wide form, one box per
//!   observation with its number before the variable names), R data frames and tibbles and
//!   pandas frames (row names or an index 1..n), with several columns of values and no count
//!   column. A Stata `list` after `collapse`, `contract` or `statsby` (before a command that loads
//!   other data: `use`, `import`, `restore`, `clear` …) prints one row per group: a table, which
//!   the table rules check, not a listing;
//! - SAS data-step record dumps (`name=value … _ERROR_=1 _N_=7`) and `PUT` output writing
//!   `name=value` pairs line after line;
//! - SPSS `LIST` and `SUMMARIZE /CASES` ("Case Summaries") output;
//! - frequency tables of an identifier: `PROC FREQ`, `tabulate` or `table()` where every
//!   frequency is 1 (the cumulative frequency grows by one per row);
//! - `str()`, `codebook` and `levelsof` output showing the values of an identifier column
//!   (error), or the first values of every column of a data frame (warning);
//! - extreme observations (`PROC UNIVARIATE` "Extreme Observations", `summarize, detail`
//!   smallest and largest values, SPSS "Extreme Values"): a warning.
//!
//! `NOTE:` lines, timing lines, `MPRINT` and command echoes are not listings. Frequency tables
//! of categories go through `small-count` and the other table rules like any table.
//!
//! ## Why is this bad?
//! A log that prints rows of the analysis data set carries micro-data out of the secure
//! environment: the same rows that a data set export would carry, only harder to spot. A
//! frequency table of an identifier is a list of every person's identifier. Extreme values are
//! the values of single persons.
//!
//! ## Example
//! ```text
//! . list pid age sex in 1/3
//!      +------------------+
//!      | pid   age   sex  |
//!      |------------------|
//!   1. | A01    34     F  |      <- log-listing: Stata list output lists individual records
//! ```
//! Remove listings, `PROC PRINT`, `head()` and `str()` output from logs before export; export
//! the tables and model results instead.
//!
//! ## Options
//! None. The vocabulary of count headers (`[vocabulary] count`) tells count columns of
//! aggregates from listings.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: no code or logs containing
//! micro-data may be transferred. Eurostat/ESSnet Guidelines for the checking of output based on
//! microdata research (2015): micro-data and extreme values are unsafe output. ACRO/SACRO
//! (AI-SDC): research outputs, not logs of data, leave the environment.

use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{basis, Finding, Severity};
use crate::model::{Kind, Location, Text};
use crate::rules::{Checks, Context, Listing, Rule, TextRule};
use crate::table::classify::{every_frequency_one, tokens};
use crate::text::{shape, Block, DataState, Numbering, Role, Shape};

pub const RULE: Rule = Rule {
    id: "log-listing",
    severity: Severity::Error,
    summary: "a log or console output that lists individual observations",
    source: include_str!("log_listing.rs"),
    checks: Checks {
        text: Some(&LogListing),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct LogListing;

impl TextRule for LogListing {
    fn check(&self, text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check_text(text, cx, out);
    }
}

/// Most findings this rule lists for one text.
const MAX_PER_TEXT: usize = 50;

fn regex(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("static regex: {e}"))
}

static PDV: LazyLock<Regex> = LazyLock::new(|| regex(r"\b_N_=\d+"));
static PAIR: LazyLock<Regex> = LazyLock::new(|| regex(r"(?:^|\s)[A-Za-z_][A-Za-z0-9_.]{0,31}=\S?"));
static STR_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^\s*(?:'data\.frame':\s+\d+ obs\. of\s+\d+ variables?|tibble \[\d+ × \d+\]|Classes .data\.table.|'tbl_df'|spc_tbl_)",
    )
});
static STR_VAR: LazyLock<Regex> = LazyLock::new(|| regex(r"^\s*\$ ([^:]+?)\s*:"));
static LEVELSOF: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\.\s+(?:qui(?:etly)?\s+)?levelsof\s+([A-Za-z_][A-Za-z0-9_]*)"));
static PANDAS_DIMS: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\s*\[\d+ rows x \d+ columns\]\s*$"));

/// Check a text (a log, a listing, console output).
pub fn check_text(text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut found: Vec<Found> = Vec::new();
    let lines = &text.lines;
    let state = DataState::new(lines, text.roles());
    for block in text.blocks() {
        block_findings(block, &state, cx, &mut found);
    }
    line_findings(lines, text.roles(), cx, &mut found);
    found.extend(stata_wide_records(lines, text.roles(), &state));
    found.sort_by_key(|f| (f.1, f.2));
    // Overlapping findings, and records of one kind a few lines apart (each dump after its
    // WARNING line), become one finding.
    found.dedup_by(|a, b| {
        let near = a.1 <= b.2.saturating_add(3) && a.3 == b.3;
        let overlap = a.1 >= b.1 && a.1 <= b.2 && a.0 == b.0;
        if near || overlap {
            b.2 = b.2.max(a.2);
            true
        } else {
            false
        }
    });
    let mut listing = Listing::new(ID, Severity::Error, "listings").limit(MAX_PER_TEXT);
    for (sev, first, last, what) in found {
        // The location names the first line; the message names no number, so that it can never
        // be read as a count.
        let span = if last > first {
            "a block of lines starting here"
        } else {
            "this line"
        };
        let content: Vec<&[u8]> = lines
            .iter()
            .filter(|(n, _)| *n >= first && *n <= last)
            .take(200)
            .map(|(_, l)| l.as_bytes())
            .collect();
        let mut parts: Vec<&[u8]> = vec![ID.as_bytes(), what.as_bytes()];
        parts.extend(content);
        let location = Location {
            member: text.member.clone(),
            ..Location::line(first)
        };
        listing.push(
            Finding::new(
                ID,
                sev,
                format!("{what}, in {span}"),
                location,
                basis(&parts),
            ),
            out,
        );
    }
    let location = Location {
        member: text.member.clone(),
        ..Location::default()
    };
    listing.finish_in(
        " in this text",
        location,
        basis(&[ID.as_bytes(), b"more"]),
        out,
    );
}

fn block_findings(block: &Block, state: &DataState, cx: &Context<'_>, found: &mut Vec<Found>) {
    let first = block.first_body_line();
    let last = block.last_line();
    let head_tokens: Vec<String> = block
        .cells
        .iter()
        .take(block.header + 1)
        .flatten()
        .flat_map(|c| tokens(c))
        .collect();
    let title = block.title.as_deref().unwrap_or("");
    if title.contains("Extreme Observations") || title.contains("Extreme Values") {
        found.push((
            Severity::Warning,
            block.lines.first().copied().unwrap_or(first),
            last,
            "extreme observations: values of single individuals".into(),
        ));
        return;
    }
    if head_tokens.iter().any(|t| t == "smallest") && head_tokens.iter().any(|t| t == "largest")
        || head_tokens.iter().any(|t| t == "lowest") && head_tokens.iter().any(|t| t == "highest")
    {
        found.push((
            Severity::Warning,
            block.lines.first().copied().unwrap_or(first),
            last,
            "smallest and largest values: values of single individuals".into(),
        ));
        return;
    }
    if let Shape::Numbered(numbering) = shape(block) {
        // A Stata `list` after `collapse` or `contract` lists one row per group: a table of
        // aggregates, which the table rules check.
        let aggregates = numbering == Numbering::StataList && state.aggregated_at(first);
        if !aggregates && listing_like(block, numbering, cx) {
            let what = if title.starts_with("# A tibble") {
                "printed tibble"
            } else {
                numbering.describe()
            };
            found.push((
                Severity::Error,
                first,
                last,
                format!("{what} lists individual records"),
            ));
            return;
        }
    }
    if let Some(what) = frequency_of_identifier(block, cx) {
        found.push((Severity::Error, first, last, what.into()));
    }
}

/// A numbered block whose rows are records: several value columns and no count column.
fn listing_like(block: &Block, numbering: Numbering, cx: &Context<'_>) -> bool {
    let width = block.cells.iter().map(Vec::len).max().unwrap_or(0);
    if width < 3 {
        return false;
    }
    let mut statistics = 0;
    for col in 1..width {
        let name: String = block
            .cells
            .iter()
            .take(block.header)
            .filter_map(|r| r.get(col))
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        let kind = cx.lexicon.header_kind(&name);
        let values: Vec<f64> = block
            .body()
            .iter()
            .filter_map(|r| r.get(col))
            .filter_map(|c| c.replace(',', "").parse::<f64>().ok())
            .collect();
        match kind {
            Some(Kind::Count)
                if values.iter().any(|v| *v > 1.0) && !cx.people.listed_key(&name) =>
            {
                return false
            }
            Some(Kind::Estimate | Kind::Percent | Kind::Rate | Kind::Extreme) => statistics += 1,
            _ => {}
        }
    }
    // A table of statistics by group (`aggregate()` output) is not a listing.
    if statistics * 2 >= width - 1 {
        return false;
    }
    match numbering {
        Numbering::SasObs | Numbering::StataList => true,
        // R and pandas print many things with numbered rows; a listing has more than one
        // column of values or an identifier column.
        Numbering::RowNames => {
            width >= numbering.listing_width()
                || block.header_cells().iter().any(|h| cx.people.listed_key(h))
        }
    }
}

/// A frequency table with one row per value, each occurring once: a list of identifiers.
fn frequency_of_identifier(block: &Block, cx: &Context<'_>) -> Option<&'static str> {
    match every_frequency_one(block, cx.lexicon) {
        Some(true) => Some(
            "frequency table of a variable whose every value occurs once (a list of identifiers)",
        ),
        Some(false) => None,
        None => {
            // R `table(x)`: a line of values over a line of counts, every count 1. A line of
            // statistics' names over their values (`summary()`: `Min. 1st Qu. Median`) is no
            // table of values.
            let body = block.body();
            let header = block.header_cells();
            let statistics = header
                .iter()
                .filter(|h| {
                    matches!(
                        cx.lexicon.header_kind(h),
                        Some(Kind::Estimate | Kind::Extreme)
                    )
                })
                .count();
            if block.header >= 1
                && !body.is_empty()
                && body.len() <= 2
                && 2 * statistics < header.len()
            {
                let counts: Vec<&String> =
                    body.iter().flatten().filter(|c| !c.is_empty()).collect();
                if counts.len() >= 3 && counts.iter().all(|c| c.trim() == "1") {
                    return Some(
                        "table() of a variable whose every value occurs once (a list of identifiers)",
                    );
                }
            }
            None
        }
    }
}

/// Stata `list` in its wide form (`list, display`, or a data set too wide for one line): each
/// observation is a box of its own, its number before the first line of variable names
/// (`  1. | patient_id | age | sex |`) and its values on the line under it. One finding per run
/// of boxes; none where the data in memory are aggregates.
fn stata_wide_records(lines: &[(u32, String)], roles: &[Role], state: &DataState) -> Vec<Found> {
    let boxed = |k: usize| {
        let t = lines[k].1.trim();
        roles[k] == Role::Output && t.starts_with('|') && t.ends_with('|') && t.len() > 2
    };
    let border = |t: &str| t.chars().all(|c| matches!(c, '-' | '+' | '|' | ' '));
    let mut out: Vec<Found> = Vec::new();
    for i in 0..lines.len().saturating_sub(1) {
        let (no, line) = &lines[i];
        if roles[i] != Role::Output || !numbered_box_line(line) {
            continue;
        }
        if !boxed(i + 1) || border(lines[i + 1].1.trim()) || state.aggregated_at(*no) {
            continue;
        }
        let mut j = i + 1;
        while j + 1 < lines.len() && (boxed(j + 1) || lines[j + 1].1.trim().starts_with('+')) {
            j += 1;
        }
        let last = lines[j].0;
        match out.last_mut() {
            // The next observation's box a blank line further down continues the listing.
            Some(f) if f.2 + 3 >= *no => f.2 = last,
            _ => out.push((
                Severity::Error,
                *no,
                last,
                "Stata list output (one box per observation) lists individual records".into(),
            )),
        }
    }
    out
}

/// `  1. | name | … |`: a Stata `list` row number before a box line.
fn numbered_box_line(line: &str) -> bool {
    let t = line.trim_start();
    let Some((number, rest)) = t.split_once(' ') else {
        return false;
    };
    let rest = rest.trim();
    crate::text::stata_row_number(number) && rest.starts_with('|') && rest.ends_with('|')
}

/// A listing found on lines of a text: severity, first and last line, what it is.
type Found = (Severity, u32, u32, String);

/// Listings written line by line rather than as a printed table: SAS record dumps and PUT
/// output, R `str()`, Stata codebook examples and `levelsof`, SPSS case lists, pandas frames.
fn line_findings(
    lines: &[(u32, String)],
    roles: &[Role],
    cx: &Context<'_>,
    found: &mut Vec<Found>,
) {
    let mut i = 0;
    while i < lines.len() {
        // A listing that runs over several lines is reported once, and the scan goes on after it.
        if let Some((f, next)) = record_dump(lines, roles, i).or_else(|| str_output(lines, i, cx)) {
            found.push(f);
            i = next;
            continue;
        }
        found.extend(codebook_examples(lines, i, cx));
        found.extend(levelsof(lines, roles, i, cx));
        let (no, line) = &lines[i];
        let single = |severity, what: &str| (severity, *no, *no, what.to_string());
        if line.contains("Number of cases listed") {
            found.push(single(Severity::Error, "SPSS LIST output of cases"));
        }
        if line.trim() == "Case Summaries" || line.trim().starts_with("Case Summaries ") {
            found.push(single(
                Severity::Error,
                "SPSS case summaries (one row per case)",
            ));
        }
        if PANDAS_DIMS.is_match(line) {
            found.push(single(
                Severity::Warning,
                "printed pandas data frame (rows of a data set)",
            ));
        }
        i += 1;
    }
}

/// SAS record dumps (`a=1 b=2 _ERROR_=1 _N_=7`, wrapped over several lines) and PUT output:
/// output lines in a row with two or more name=value pairs, from line `i`. Returns the finding
/// and the line after it.
fn record_dump(lines: &[(u32, String)], roles: &[Role], i: usize) -> Option<(Found, usize)> {
    let pairs = |l: &str| PAIR.find_iter(l).count();
    let dumped = |k: usize| {
        roles[k] == Role::Output && (pairs(&lines[k].1) >= 2 || PDV.is_match(&lines[k].1))
    };
    if !dumped(i) {
        return None;
    }
    let mut j = i;
    let mut dump = false;
    while j < lines.len() && dumped(j) {
        dump |= PDV.is_match(&lines[j].1);
        j += 1;
    }
    if !dump && j - i < 3 {
        return None;
    }
    let what = if dump {
        "SAS data-step record dump (variable=value pairs of observations)"
    } else {
        "variable=value pairs written per observation (PUT output)"
    };
    Some((
        (Severity::Error, lines[i].0, lines[j - 1].0, what.into()),
        j,
    ))
}

/// R `str()` from line `i`: the first values of every column. Returns the finding and the line
/// after it.
fn str_output(lines: &[(u32, String)], i: usize, cx: &Context<'_>) -> Option<(Found, usize)> {
    if !STR_HEAD.is_match(&lines[i].1) {
        return None;
    }
    let mut j = i + 1;
    let mut id = false;
    while j < lines.len() && j < i + 2000 && STR_VAR.is_match(&lines[j].1) {
        if let Some(c) = STR_VAR.captures(&lines[j].1) {
            id |= c.get(1).is_some_and(|m| cx.people.listed_key(m.as_str()));
        }
        j += 1;
    }
    if j == i + 1 {
        return None;
    }
    let (sev, what) = if id {
        (
            Severity::Error,
            "str() output showing values of an identifier column",
        )
    } else {
        (
            Severity::Warning,
            "str() output showing the first values of every column",
        )
    };
    Some(((sev, lines[i].0, lines[j - 1].0, what.into()), j))
}

/// Stata `codebook` examples at line `i`.
fn codebook_examples(lines: &[(u32, String)], i: usize, cx: &Context<'_>) -> Option<Found> {
    let (no, line) = &lines[i];
    if !line.trim_start().starts_with("examples:") {
        return None;
    }
    let var = codebook_variable(lines, i);
    if var.as_deref().is_some_and(|v| cx.people.listed_key(v)) {
        Some((
            Severity::Error,
            *no,
            *no,
            "codebook examples of an identifier variable".into(),
        ))
    } else if line.contains('"') {
        Some((
            Severity::Warning,
            *no,
            *no,
            "codebook examples: values of individual observations".into(),
        ))
    } else {
        None
    }
}

/// Stata `levelsof` of an identifier at line `i`: the output lines under it.
fn levelsof(lines: &[(u32, String)], roles: &[Role], i: usize, cx: &Context<'_>) -> Option<Found> {
    let c = LEVELSOF.captures(&lines[i].1)?;
    if !c.get(1).is_some_and(|m| cx.people.listed_key(m.as_str())) {
        return None;
    }
    let mut j = i + 1;
    while j < lines.len() && roles[j] == Role::Output {
        j += 1;
    }
    (j > i + 1).then(|| {
        (
            Severity::Error,
            lines[i + 1].0,
            lines[j - 1].0,
            "levelsof output listing every value of an identifier".into(),
        )
    })
}

/// The variable a codebook entry describes: the first word of the line under the dashed rule
/// above `examples:`.
fn codebook_variable(lines: &[(u32, String)], at: usize) -> Option<String> {
    let from = at.saturating_sub(30);
    for k in (from..at).rev() {
        let l = lines[k].1.trim();
        if l.len() >= 10 && l.chars().all(|c| c == '-') && k > 0 {
            let above = lines[k - 1].1.trim();
            if !above.is_empty() && !above.chars().all(|c| c == '-') {
                return above.split_whitespace().next().map(str::to_string);
            }
        }
    }
    None
}
