//! The check of a folder: walk, then each file on a thread pool (detect, read, rules), then the
//! sorted report. Per-file work is pure, so output never depends on thread timing.

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
use crate::model::Location;
use crate::read::{self, Readers, Source, Streamed, IN_MEMORY_LIMIT, TABLE_IN_MEMORY_LIMIT};
use crate::report::{FileReport, Report};
use crate::rules::differencing::FileTables;
use crate::rules::people::People;
use crate::rules::{self, file_type, unreadable, Context, StreamState};
use crate::table::cell::CellParser;
use crate::table::classify::Lexicon;
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
    let lexicon = Lexicon::new(&rules.vocabulary);
    let people = People::new(&rules.vocabulary);
    let shared = Shared {
        people: &people,
        large: options.large_file_bytes,
        rules,
        parser: &parser,
        lexicon: &lexicon,
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
    let cx = Context {
        rules: shared.rules,
        lexicon: shared.lexicon,
        people: shared.people,
    };
    let found = run_cross_file_rules(tables, &cx);
    let mut touched = vec![false; files.len()];
    for (i, f) in found {
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

/// Cross-file rules, guarded like a reader: an internal failure becomes a warning on every file
/// whose tables were to be compared, never a crash of the whole check or a silent pass.
fn run_cross_file_rules(tables: &[FileTables], cx: &Context<'_>) -> Vec<(usize, Finding)> {
    match catch_unwind(AssertUnwindSafe(|| rules::check_folder(tables, cx))) {
        Ok(found) => found,
        Err(_) => tables
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.tables.is_empty())
            .map(|(i, t)| {
                (
                    i,
                    Finding::new(
                        rules::differencing::ID,
                        Severity::Warning,
                        "the comparison of this file's tables with the other files failed (an internal error); a person must check for differencing",
                        Location::default(),
                        basis(&[t.path.as_bytes(), b"cross-file failed"]),
                    ),
                )
            })
            .collect(),
    }
}

struct Shared<'a> {
    large: u64,
    rules: &'a Rules,
    parser: &'a CellParser,
    lexicon: &'a Lexicon,
    people: &'a People,
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
    let whole = || Location::default();
    let entry_basis = basis(&[entry.rel.as_bytes()]);
    match &entry.kind {
        EntryKind::Symlink => {
            report.format = "symlink".into();
            report.findings.push(Finding::new(
                file_type::ID,
                Severity::Error,
                "symbolic link: links are not followed, and the export would not carry what it points to",
                whole(),
                entry_basis,
            ));
        }
        EntryKind::Special(kind) => {
            report.format = "special".into();
            report.findings.push(Finding::new(
                file_type::ID,
                Severity::Error,
                format!("{kind}: not a regular file, never opened"),
                whole(),
                entry_basis,
            ));
        }
        EntryKind::Error(reason) => {
            report.format = "unknown".into();
            report.findings.push(Finding::new(
                unreadable::ID,
                Severity::Error,
                format!("cannot be read: {reason}"),
                whole(),
                entry_basis,
            ));
        }
        EntryKind::File => check_file(entry, shared, &mut report, &mut tables),
    }
    if entry.hidden {
        report.findings.push(Finding::new(
            file_type::ID,
            Severity::Warning,
            "hidden file or folder: it leaves with the export although a file browser may not show it",
            whole(),
            entry_basis,
        ));
    }
    finish(&mut report);
    (report, tables)
}

fn check_file(entry: &Entry, shared: &Shared<'_>, report: &mut FileReport, kept: &mut FileTables) {
    let unreadable_finding = |msg: String| {
        Finding::new(
            unreadable::ID,
            Severity::Error,
            msg,
            Location::default(),
            basis(&[entry.rel.as_bytes()]),
        )
    };
    let mut file = match File::open(&entry.path) {
        Ok(f) => f,
        Err(e) => {
            report.format = "unknown".into();
            report
                .findings
                .push(unreadable_finding(format!("cannot be opened: {e}")));
            return;
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    report.bytes = size;
    // Small files are read whole (hash and parse from memory); large ones are hashed in one
    // streaming pass and parsed in another.
    let mut bytes = Vec::new();
    let mut head = Vec::new();
    let hashed = if size <= shared.large {
        match file.read_to_end(&mut bytes) {
            Ok(_) => {
                head.extend_from_slice(&bytes[..bytes.len().min(HEAD)]);
                Ok(hex(&Sha256::digest(&bytes)))
            }
            Err(e) => Err(e),
        }
    } else {
        hash_stream(&mut file, &mut head)
    };
    match hashed {
        Ok(h) => report.sha256 = Some(h),
        Err(e) => {
            report.format = "unknown".into();
            report
                .findings
                .push(unreadable_finding(format!("cannot be read: {e}")));
            return;
        }
    }
    let name = entry
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let detected = detect(&name, &head, None);
    let format = detected.format;
    report.format = format.name().to_string();
    let content_basis = basis(&[report.sha256.as_deref().unwrap_or("").as_bytes(), b"file"]);
    if let Some(mismatch) = &detected.mismatch {
        report.findings.push(Finding::new(
            file_type::ID,
            Severity::Error,
            format!("content does not match the name: {mismatch}"),
            Location::default(),
            content_basis,
        ));
    }
    match shared.rules.format_policy(format.name()) {
        Some(false) => {
            report.findings.push(Finding::new(
                file_type::ID,
                Severity::Error,
                format!("{} may not be exported", format.describe()),
                Location::default(),
                content_basis,
            ));
            return;
        }
        None => {
            report.findings.push(Finding::new(
                file_type::ID,
                Severity::Error,
                format!(
                    "{} is not an approved file type in profile '{}'",
                    format.describe(),
                    shared.rules.profile
                ),
                Location::default(),
                content_basis,
            ));
            return;
        }
        Some(true) => {}
    }
    if detected.mismatch.is_some() {
        // What it really is decides how it is read; a renamed container is not opened as text.
        if !matches!(format, Format::Csv | Format::Tsv | Format::Text) {
            return;
        }
    }
    let source = if reads_whole(format, size, shared.large) {
        Source::Bytes(&bytes)
    } else {
        Source::Stream {
            path: &entry.path,
            head: &head,
        }
    };
    let cx = Context {
        rules: shared.rules,
        lexicon: shared.lexicon,
        people: shared.people,
    };
    let readers = Readers {
        parser: shared.parser,
        lexicon: shared.lexicon,
    };
    let mut streamed: Vec<Finding> = Vec::new();
    let mut stream_state: Option<StreamState> = None;
    let result = catch_unwind(AssertUnwindSafe(|| {
        read::read(format, source, &readers, &mut |item| match item {
            Streamed::Row(table, row) => {
                let state = stream_state.get_or_insert_with(StreamState::default);
                rules::check_streamed_row(table, row, &cx, state, &mut streamed);
            }
            Streamed::Text(text) => rules::check_text(text, &cx, &mut streamed),
        })
    }));
    let doc = match result {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => {
            report.findings.push(unreadable_finding(format!(
                "cannot be read as {}: {e}",
                format.describe()
            )));
            return;
        }
        Err(_) => {
            report.findings.push(unreadable_finding(format!(
                "the {} reader failed on this file (an internal error); the file was not checked",
                format.describe()
            )));
            return;
        }
    };
    for notice in &doc.notices {
        let severity = if notice.rule == unreadable::ID {
            Severity::Error
        } else {
            Severity::Warning
        };
        report.findings.push(Finding::new(
            notice.rule,
            severity,
            notice.message.clone(),
            notice.location.clone(),
            content_basis,
        ));
    }
    for table in &doc.tables {
        rules::check_table(table, &cx, &mut report.findings);
    }
    for text in &doc.texts {
        if format == Format::Code {
            rules::check_code(text, &cx, &mut report.findings);
        } else {
            rules::check_text(text, &cx, &mut report.findings);
        }
    }
    if let (Some(state), Some(table)) = (stream_state, doc.tables.last()) {
        state.finish(table, &cx, &mut streamed);
    }
    report.findings.append(&mut streamed);
    keep_tables(doc.tables, shared.rules, kept);
}

/// Keep a file's small tables for the cross-file rules; note where the others were.
fn keep_tables(tables: Vec<crate::model::Table>, rules: &Rules, kept: &mut FileTables) {
    if !rules.differencing.enabled {
        return;
    }
    let limit = u64::from(rules.differencing.max_table_cells);
    for table in tables {
        let cells: u64 = table.rows.iter().map(|r| r.cells.len() as u64).sum();
        if table.streamed_rows > 0 || cells > limit {
            kept.too_large.push(table.location());
        } else {
            kept.tables.push(table);
        }
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

/// Fingerprint, sort and judge a file's findings.
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
