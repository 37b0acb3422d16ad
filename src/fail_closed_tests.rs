//! Fail closed, held over every fixture: each table that any reader makes of any file under
//! `fixtures/` (members of archives, workbooks and documents included) is either audited by
//! `back-calculation`, or has nothing the audit could relate, or carries a `back-calculation`
//! finding that says why it was not audited. "Nothing to relate" is checked here apart from the
//! rule's own reading: the table's count cells must stand in one row or one column. It lives at
//! the crate's root because it spans the readers and a rule, which import neither each other.

use std::path::{Path, PathBuf};

use crate::config::Rules;
use crate::detect::detect;
use crate::model::{Kind, Table, Value};
use crate::read::{self, Readers, Source};
use crate::rules::back_calculation::{check, Outcome, RULE};
use crate::rules::{Compiled, Context};
use crate::table::cell::CellParser;
use crate::table::structure;

/// Deepest container nesting followed (a zip in a workbook in a zip).
const DEPTH: usize = 3;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_symlink() {
            continue;
        }
        if p.is_dir() {
            files(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// The tables of a file's content, members followed to [`DEPTH`].
fn tables(name: &str, bytes: &[u8], readers: &Readers<'_>, depth: usize, out: &mut Vec<Table>) {
    let format = detect(name, bytes, None).format;
    let Ok(doc) = read::read(format, Source::Bytes(bytes), readers, &mut |_| {}) else {
        return;
    };
    out.extend(doc.tables);
    if depth < DEPTH {
        for m in &doc.members {
            tables(&m.name, &m.bytes, readers, depth + 1, out);
        }
    }
}

/// Whether every count cell of the table stands in one row or in one column.
fn counts_in_one_line(table: &Table) -> bool {
    let mut cells = Vec::new();
    for row in &table.rows {
        for cell in &row.cells {
            let count = table.cell_kind(row, cell) == Kind::Count
                && matches!(cell.value, Value::Number(_) | Value::Suppressed(_));
            if count {
                cells.push((cell.row, cell.col));
            }
        }
    }
    let one_row = cells.windows(2).all(|w| w[0].0 == w[1].0);
    let one_col = cells.windows(2).all(|w| w[0].1 == w[1].1);
    one_row || one_col
}

#[test]
fn every_table_of_every_fixture_is_audited_or_says_why_not() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    assert!(
        paths.len() > 100,
        "fixtures not found under {}",
        root.display()
    );
    let mut tally = [0usize; 4];
    let mut failures = Vec::new();
    for profile in ["default", "uk"] {
        let rules = Rules::load(profile, None, None).expect("bundled profile");
        let parser = CellParser::new(&rules);
        let compiled = Compiled::new(&rules);
        let cx = Context::new(&rules, &compiled);
        let readers = Readers {
            parser: &parser,
            lexicon: &compiled.lexicon,
        };
        for path in &paths {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let name = path
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            let mut found = Vec::new();
            tables(&name, &bytes, &readers, 0, &mut found);
            for table in &found {
                let s = structure::detect(table, cx.lexicon);
                let mut out = Vec::new();
                let outcome = check(table, &s, &cx, &mut out);
                tally[outcome as usize] += 1;
                let said = out.iter().any(|f| f.rule == RULE.id);
                let ok = match outcome {
                    Outcome::Audited | Outcome::NothingHidden => true,
                    Outcome::NothingToRelate => counts_in_one_line(table),
                    Outcome::Unaudited => said,
                };
                if !ok {
                    let rel = path.strip_prefix(&root).unwrap_or(path);
                    failures.push(format!(
                        "{profile}: {} table {}: {outcome:?}",
                        rel.display(),
                        table.index
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "tables passed unexamined:\n{}",
        failures.join("\n")
    );
    // The walk saw every kind of ending, and audited many tables.
    let [nothing, hidden, audited, unaudited] = tally;
    assert!(audited >= 50, "only {audited} tables audited: {tally:?}");
    assert!(nothing > 0 && hidden > 0 && unaudited > 0, "{tally:?}");
}
