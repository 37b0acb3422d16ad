//! The check of a folder: walk, then each file on a thread pool (detect, read, rules), then the
//! sorted report. Per-file work is pure, so output never depends on thread timing.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::config::Rules;
use crate::detect::{detect, Format};
use crate::digest::hex;
use crate::finding::{basis, Finding, Severity, Verdict};
use crate::model::{Fact, FactKind, Location, Member, PriorSaid, Table, Unreadable, Value};
use crate::read::{self, Readers, Source, IN_MEMORY_LIMIT, TABLE_IN_MEMORY_LIMIT};
use crate::redact;
use crate::report::{FileReport, Report};
use crate::rules::families::CodeColumn;
use crate::rules::{self, file_type, Compiled, Context, FileFacts, FileTables, StreamState};
use crate::table::cell::CellParser;
use crate::walk::{walk, Entry, EntryKind};

#[derive(Debug, Error)]
pub enum CheckError {
    #[error("{0}: no such file or folder")]
    Missing(String),
    #[error("cannot start {jobs} worker threads: {reason}")]
    Threads { jobs: usize, reason: String },
}

/// How a check runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads; `None` for all cores.
    pub jobs: Option<usize>,
    /// Files larger than this stream in bounded memory; smaller ones are read whole.
    pub large_file_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jobs: None,
            large_file_bytes: IN_MEMORY_LIMIT,
        }
    }
}

/// Bytes read from the start of a file to detect its format.
const HEAD: usize = 64 * 1024;

/// Check a folder (or one file) under the given rules.
pub fn check(root: &Path, rules: &Rules, options: &Options) -> Result<Report, CheckError> {
    if std::fs::symlink_metadata(root).is_err() {
        return Err(CheckError::Missing(root.display().to_string()));
    }
    let entries = walk(root);
    let parser = CellParser::new(rules);
    let compiled = Compiled::new(rules);
    let shared = Shared {
        large: options.large_file_bytes,
        rules,
        parser: &parser,
        compiled: &compiled,
    };
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(j) = options.jobs {
        builder = builder.num_threads(j.max(1));
    }
    let pool = builder.build().map_err(|e| CheckError::Threads {
        jobs: options.jobs.unwrap_or(0),
        reason: e.to_string(),
    })?;
    let checked: Vec<(FileReport, FileTables)> = pool.install(|| {
        entries
            .par_iter()
            .map(|e| check_entry(e, &shared))
            .collect()
    });
    let (mut files, tables): (Vec<FileReport>, Vec<FileTables>) = checked.into_iter().unzip();
    cross_file(&mut files, &tables, &shared);
    Ok(Report::new(root, rules, files))
}

/// The cross-file pass: rules that compare the kept tables of different files (`differencing`).
/// Files are in walk order (sorted by path), so the result does not depend on thread timing.
fn cross_file(files: &mut [FileReport], tables: &[FileTables], shared: &Shared<'_>) {
    let found = rules::check_folder(tables, &shared.context());
    let mut touched = vec![false; files.len()];
    for code in rules::families::code_columns(tables) {
        if let Some(report) = files.get_mut(code.file) {
            touched[code.file] |= small_counts_as_codes(report, &code, shared.rules);
        }
    }
    for (i, f) in found.into_iter().chain(prior_records(tables, shared.rules)) {
        if let Some(report) = files.get_mut(i) {
            report.findings.push(f);
            touched[i] = true;
        }
    }
    for (report, t) in files.iter_mut().zip(touched) {
        if t {
            finish(report);
        }
    }
}

/// What earlier checkers' records say of the files beside them (ACRO's `results.json` of the
/// outputs in its folder), as findings of those files, by the rule of the check named. A file
/// the record names that is not in the folder is not exported, and nothing is said of it.
fn prior_records(tables: &[FileTables], rules: &Rules) -> Vec<(usize, Finding)> {
    let parent = |p: &str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let mut by_place: HashMap<(String, &str), usize> = HashMap::new();
    for (i, t) in tables.iter().enumerate() {
        let name = t.path.rsplit('/').next().unwrap_or(&t.path);
        by_place.insert((parent(&t.path), name), i);
    }
    let mut out = Vec::new();
    // Files whose table the grid could not be matched to, said once each.
    let mut unmatched: std::collections::HashSet<usize> = std::collections::HashSet::new();
    for record in tables.iter().filter(|t| !t.prior.is_empty()) {
        let dir = parent(&record.path);
        for (at, tool, file, said) in &record.prior {
            let Some(&j) = by_place.get(&(dir.clone(), file.as_str())) else {
                continue;
            };
            let (check, severity, message) = rules::prior::describe(tool, said);
            if !rules.runs(check.rule()) || tables[j].path == record.path {
                continue;
            }
            let mut location = Location::default();
            let (mut severity, mut message) = (severity, message);
            if let PriorSaid::FlaggedCell { column, row, .. } = said {
                match flagged_cell(&tables[j], column, row) {
                    // Suppressed, as the grid asks.
                    Some(None) => continue,
                    Some(Some(at)) => location = at,
                    None => {
                        if !unmatched.insert(j) {
                            continue;
                        }
                        (_, severity, message) =
                            rules::prior::describe(tool, &PriorSaid::Unmatched(check));
                    }
                }
            }
            let message = format!(
                "{message} (its record {}, {})",
                redact::safe_label(&record.path),
                at.describe()
            );
            let basis = basis(&[
                tables[j].path.as_bytes(),
                record.path.as_bytes(),
                format!("{said:?}").as_bytes(),
            ]);
            out.push((
                j,
                Finding::new(check.rule(), severity, message, location, basis),
            ));
        }
    }
    out
}

/// The cell of a file's first table under the column headed `column`, in the row whose first
/// cells read `row` (each level of a tuple `('a', 'b')` in turn): `Some(Some(location))` when it
/// shows a value, `Some(None)` when it is empty or suppressed or its row or column was left out,
/// `None` when the table has neither (or was not kept).
fn flagged_cell(file: &FileTables, column: &str, row: &str) -> Option<Option<Location>> {
    let table = file.tables.first()?;
    let col = table
        .columns
        .iter()
        .find(|c| c.name.trim() == column)
        .map(|c| c.col);
    // A row of several index levels is written as a tuple: `('great_pret', 'convenient')`.
    let levels: Vec<&str> = match row.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) => inner
            .split(',')
            .map(|l| l.trim().trim_matches(['\'', '"']))
            .filter(|l| !l.is_empty())
            .collect(),
        None => vec![row],
    };
    let r = table.rows.iter().find(|r| {
        r.cells.len() >= levels.len()
            && r.cells
                .iter()
                .zip(&levels)
                .all(|(c, l)| c.text.trim() == *l)
    });
    // A row or column the file left out altogether is not shown; when neither is there, the
    // table is not the one the grid describes.
    let (Some(r), Some(col)) = (r, col) else {
        return (r.is_some() || col.is_some()).then_some(None);
    };
    match r.cell(col) {
        None => Some(None),
        Some(c) if matches!(c.value, Value::Empty | Value::Suppressed(_)) => Some(None),
        Some(c) => Some(Some(table.locate(c))),
    }
}

/// The `small-count` errors of a column that the file's family shows to hold codes
/// ([`rules::families`]) become one warning that says why; whether any did.
fn small_counts_as_codes(report: &mut FileReport, code: &CodeColumn, rules: &Rules) -> bool {
    let before = report.findings.len();
    report.findings.retain(|f| {
        !(f.rule == rules::small_count::RULE.id
            && f.severity == Severity::Error
            && f.location.table == Some(code.table)
            && f.location.column == Some(code.col))
    });
    if report.findings.len() == before {
        return false;
    }
    let t = rules.thresholds.min_count;
    let message = format!(
        "values below {t} in column '{}' read as codes, not counts: this file is one of a \
         family in this folder (the same header but this column, named after each file), and \
         in most of the others the column holds codes; a person must confirm",
        redact::safe_label(&code.name),
    );
    let location = Location {
        table: Some(code.table),
        column: Some(code.col),
        ..Location::default()
    };
    let basis = basis(&[
        report.path.as_bytes(),
        code.name.as_bytes(),
        b"family codes",
    ]);
    report.findings.push(Finding::new(
        rules::small_count::RULE.id,
        Severity::Warning,
        message,
        location,
        basis,
    ));
    true
}

/// What every file's check shares: the rules in force, compiled once.
struct Shared<'a> {
    /// Files larger than this stream.
    large: u64,
    rules: &'a Rules,
    parser: &'a CellParser,
    compiled: &'a Compiled,
}

impl<'a> Shared<'a> {
    fn context(&self) -> Context<'a> {
        Context::new(self.rules, self.compiled)
    }

    fn readers(&self) -> Readers<'a> {
        Readers {
            parser: self.parser,
            lexicon: &self.compiled.lexicon,
        }
    }
}

fn check_entry(entry: &Entry, shared: &Shared<'_>) -> (FileReport, FileTables) {
    let mut tables = FileTables {
        path: entry.rel.clone(),
        ..FileTables::default()
    };
    let mut report = FileReport {
        path: entry.rel.clone(),
        bytes: 0,
        sha256: None,
        format: String::new(),
        verdict: Verdict::Pass,
        findings: Vec::new(),
    };
    let mut facts: Vec<Fact> = Vec::new();
    let mut format = None;
    match &entry.kind {
        EntryKind::Symlink => {
            report.format = "symlink".into();
            facts.push(Fact::whole(FactKind::Symlink));
        }
        EntryKind::Special(kind) => {
            report.format = "special".into();
            facts.push(Fact::whole(FactKind::Special((*kind).to_string())));
        }
        EntryKind::Error(reason) => {
            report.format = "unknown".into();
            facts.push(Fact::whole(FactKind::Unreadable(Unreadable::Listing(
                reason.clone(),
            ))));
        }
        EntryKind::File => {
            format = check_file(entry, shared, &mut report, &mut facts, &mut tables);
        }
    }
    for f in &facts {
        if let FactKind::PriorCheckerOf { tool, file, said } = &f.kind {
            tables
                .prior
                .push((f.location.clone(), tool, file.clone(), said.clone()));
        }
    }
    if entry.hidden {
        facts.push(Fact::whole(FactKind::HiddenEntry));
    }
    facts.extend(name_facts(&entry.rel));
    let file = FileFacts {
        path: &entry.rel,
        sha256: report.sha256.as_deref(),
        format,
        facts: &facts,
        findings: &report.findings,
    };
    let mut found = Vec::new();
    rules::check_file(&file, &shared.context(), &mut found);
    report.findings.append(&mut found);
    finish(&mut report);
    (report, tables)
}

/// Load, detect, read and check one regular file; the facts seen on the way go to `facts` for
/// the file rules. Returns the detected format, if the file could be loaded.
fn check_file(
    entry: &Entry,
    shared: &Shared<'_>,
    report: &mut FileReport,
    facts: &mut Vec<Fact>,
    kept: &mut FileTables,
) -> Option<Format> {
    let loaded = match load(&entry.path, shared.large) {
        Ok(loaded) => loaded,
        Err(why) => {
            report.format = "unknown".into();
            facts.push(Fact::whole(FactKind::Unreadable(why)));
            return None;
        }
    };
    report.bytes = loaded.size;
    report.sha256 = Some(loaded.sha256.clone());
    let name = entry
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let content = Content {
        name: &name,
        loaded: &loaded,
        path: Some(&entry.path),
        depth: 0,
    };
    let format = check_content(&content, shared, &mut report.findings, facts, kept);
    report.format = format.name().to_string();
    Some(format)
}

/// Most levels of containers inside containers (a zip in a zip in a workbook) that are opened.
pub const MAX_MEMBER_DEPTH: usize = 4;

/// The content of a file or of a member of a container, to be checked.
struct Content<'a> {
    /// Its file name (a member's name inside its container): detection reads the extension.
    name: &'a str,
    loaded: &'a Loaded,
    /// The file on disk, for streaming a large one; members are held in memory.
    path: Option<&'a Path>,
    /// Containers around it.
    depth: usize,
}

/// Detect, read and check a file's or member's content: its findings go to `findings`, the facts
/// seen to `facts`, its small tables to `kept`. Members the reader finds are checked the same way,
/// each under its name. Returns the detected format.
fn check_content(
    content: &Content<'_>,
    shared: &Shared<'_>,
    findings: &mut Vec<Finding>,
    facts: &mut Vec<Fact>,
    kept: &mut FileTables,
) -> Format {
    let loaded = content.loaded;
    let detected = detect(content.name, &loaded.head, None);
    let format = detected.format;
    let renamed = detected.mismatch.is_some();
    if let Some(mismatch) = detected.mismatch {
        facts.push(Fact::whole(FactKind::NameMismatch(mismatch)));
    }
    // What a file really is decides how it is read; a renamed container is not opened as text.
    if !file_type::admits(format, shared.rules) || (renamed && !read::reads_renamed(format)) {
        return format;
    }
    let source = match content.path {
        Some(path) if !reads_whole(format, loaded.size, shared.large) => Source::Stream {
            path,
            head: &loaded.head,
        },
        _ => Source::Bytes(&loaded.bytes),
    };
    let cx = shared.context();
    let mut streamed = Streamed::default();
    let read = catch_unwind(AssertUnwindSafe(|| {
        read::read(format, source, &shared.readers(), &mut |item| {
            streamed.check(item, &cx)
        })
    }));
    let mut doc = match read {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => {
            facts.push(Fact::whole(FactKind::Unreadable(Unreadable::Parsing(
                e.to_string(),
            ))));
            return format;
        }
        Err(_) => {
            facts.push(Fact::whole(FactKind::Unreadable(Unreadable::ReaderFailed)));
            return format;
        }
    };
    facts.extend(doc.facts.iter().cloned());
    // The rules find columns and cells by number in logarithmic time (`Table::column`).
    for t in doc.tables.iter_mut().filter(|t| !t.in_column_order()) {
        t.sort_columns();
    }
    rules::check_document(&doc, &cx, findings);
    streamed.finish(doc.tables.last(), &cx, findings);
    for member in std::mem::take(&mut doc.members) {
        check_member(member, content.depth + 1, shared, findings, kept);
    }
    kept.keep(doc.tables, shared.rules);
    format
}

/// Check a member of a container like a file, and place what it gives under its name.
fn check_member(
    member: Member,
    depth: usize,
    shared: &Shared<'_>,
    findings: &mut Vec<Finding>,
    kept: &mut FileTables,
) {
    let loaded = Loaded::whole(member.bytes);
    let mut facts = Vec::new();
    let mut found = Vec::new();
    let mut tables = FileTables::default();
    let format = if depth > MAX_MEMBER_DEPTH {
        facts.push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
            "containers nested past the depth limit".to_string(),
        ))));
        None
    } else {
        let leaf = member.name.rsplit('/').next().unwrap_or(&member.name);
        let content = Content {
            name: leaf,
            loaded: &loaded,
            path: None,
            depth,
        };
        Some(check_content(
            &content,
            shared,
            &mut found,
            &mut facts,
            &mut tables,
        ))
    };
    facts.extend(name_facts(&member.name));
    let file = FileFacts {
        path: &member.name,
        sha256: Some(&loaded.sha256),
        format,
        facts: &facts,
        findings: &found,
    };
    let mut file_found = Vec::new();
    rules::check_file(&file, &shared.context(), &mut file_found);
    found.append(&mut file_found);
    for f in &mut found {
        f.location.member = Some(within(&member.name, f.location.member.take()));
    }
    for t in &mut tables.tables {
        t.member = Some(within(&member.name, t.member.take()));
    }
    for l in &mut tables.too_large {
        l.member = Some(within(&member.name, l.member.take()));
    }
    findings.append(&mut found);
    kept.tables.append(&mut tables.tables);
    kept.too_large.append(&mut tables.too_large);
}

/// What a file's name alone tells: an office lock file (`~$report.docx`) holds the name of the
/// user who had the document open.
fn name_facts(path: &str) -> Option<Fact> {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with("~$").then(|| {
        Fact::whole(FactKind::Hidden {
            part: "office lock file (it holds the name of the user who had the document open)"
                .into(),
            scope: Location::default(),
        })
    })
}

/// The name of a place inside a member: `inner.zip!RQ5.csv`.
fn within(member: &str, inner: Option<String>) -> String {
    match inner {
        Some(inner) => format!("{member}!{inner}"),
        None => member.to_string(),
    }
}

/// A file's bytes (whole when small), its sha256 and its first bytes for detection.
struct Loaded {
    size: u64,
    sha256: String,
    /// The whole content when the file is read whole, else empty.
    bytes: Vec<u8>,
    head: Vec<u8>,
}

impl Loaded {
    /// Content held in memory (a member of a container).
    fn whole(bytes: Vec<u8>) -> Loaded {
        let head = bytes[..bytes.len().min(HEAD)].to_vec();
        Loaded {
            size: bytes.len() as u64,
            sha256: hex(&Sha256::digest(&bytes)),
            bytes,
            head,
        }
    }
}

/// Open, read and hash a file: small files whole (hash and parse from memory), large ones in
/// one streaming pass that keeps the first bytes (they are parsed in another).
fn load(path: &Path, large: u64) -> Result<Loaded, Unreadable> {
    let mut file = File::open(path).map_err(|e| Unreadable::Opening(e.to_string()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut loaded = Loaded {
        size,
        sha256: String::new(),
        bytes: Vec::new(),
        head: Vec::new(),
    };
    let hashed = if size <= large {
        file.read_to_end(&mut loaded.bytes).map(|_| {
            let n = loaded.bytes.len().min(HEAD);
            loaded.head.extend_from_slice(&loaded.bytes[..n]);
            hex(&Sha256::digest(&loaded.bytes))
        })
    } else {
        hash_stream(&mut file, &mut loaded.head)
    };
    loaded.sha256 = hashed.map_err(|e| Unreadable::Reading(e.to_string()))?;
    Ok(loaded)
}

/// The rules that see what streams past a reader of a large file, with their state.
#[derive(Default)]
struct Streamed {
    findings: Vec<Finding>,
    rows: Option<StreamState>,
}

impl Streamed {
    fn check(&mut self, item: read::Streamed<'_>, cx: &Context<'_>) {
        match item {
            read::Streamed::Row(table, row) => {
                let state = self.rows.get_or_insert_with(StreamState::default);
                state.row(table, row, cx, &mut self.findings);
            }
            read::Streamed::Text(text) => rules::check_text(text, cx, &mut self.findings),
        }
    }

    /// The findings that summarise the streamed rows, then all streamed findings, into `out`.
    fn finish(mut self, table: Option<&Table>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if let (Some(state), Some(table)) = (self.rows, table) {
            state.finish(table, cx, &mut self.findings);
        }
        out.append(&mut self.findings);
    }
}

/// Hash a file in one pass, keeping its first bytes.
fn hash_stream(file: &mut File, head: &mut Vec<u8>) -> std::io::Result<String> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        if head.len() < HEAD {
            let take = (HEAD - head.len()).min(n);
            head.extend_from_slice(&buf[..take]);
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// Whether a file is parsed from memory rather than streamed. A delimited table is held whole
/// (every cell parsed and kept, for the whole-table rules) only up to [`TABLE_IN_MEMORY_LIMIT`]:
/// past it, rows stream through the row rules in bounded memory, as an extract of that size is
/// micro-data, not a table to audit.
fn reads_whole(format: Format, size: u64, large: u64) -> bool {
    let limit = if matches!(format, Format::Csv | Format::Tsv | Format::Text) {
        large.min(TABLE_IN_MEMORY_LIMIT)
    } else {
        large
    };
    size <= limit
}

/// Fingerprint, sort and judge a file's findings.
fn finish(report: &mut FileReport) {
    // A table read from the lines of a text (a log, a `.txt` aligned with spaces) is checked as
    // well as the lines themselves: a rule that flags a line in both says it once, at the line.
    let text_lines: std::collections::HashSet<(&str, Option<&str>, u32)> = report
        .findings
        .iter()
        .filter(|f| f.location.table.is_none())
        .filter_map(|f| Some((f.rule, f.location.member.as_deref(), f.location.line?)))
        .collect();
    let repeated: Vec<bool> = report
        .findings
        .iter()
        .map(|f| {
            f.location.table.is_some()
                && f.location.line.is_some_and(|l| {
                    text_lines.contains(&(f.rule, f.location.member.as_deref(), l))
                })
        })
        .collect();
    let mut keep = repeated.iter().map(|r| !r);
    report.findings.retain(|_| keep.next().unwrap_or(true));
    for f in &mut report.findings {
        f.fingerprint(&report.path);
    }
    report.findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.location.member.clone(),
                f.location.sheet.clone(),
                f.location.table,
                f.location.row,
                f.location.line,
                f.location.column,
                f.rule,
                f.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    report.findings.dedup_by(|a, b| a.id == b.id);
    report.verdict = Verdict::of(&report.findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mid_size_tables_stream_and_other_files_keep_the_large_limit() {
        let mib = 1024 * 1024;
        assert!(reads_whole(Format::Csv, 2 * mib, IN_MEMORY_LIMIT));
        assert!(!reads_whole(Format::Csv, 5 * mib, IN_MEMORY_LIMIT));
        assert!(!reads_whole(Format::Text, 5 * mib, IN_MEMORY_LIMIT));
        assert!(reads_whole(Format::Log, 5 * mib, IN_MEMORY_LIMIT));
        assert!(!reads_whole(Format::Log, 40 * mib, IN_MEMORY_LIMIT));
        // A smaller limit from the options (tests force streaming) still wins.
        assert!(!reads_whole(Format::Csv, 2 * mib, mib));
    }
}
