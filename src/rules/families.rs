//! Families of files: several files of one folder that share a header but for one column,
//! named after each file (`code-prevalence_<codelist>__<system>.csv` with the header
//! `ageband,sex,<codelist>,rate_per_1000`). Such files are one output written once per item of
//! a list, so that column holds the same kind of values in every one of them. Where it holds
//! codes in the others (a label column: concept ids, category codes), a file whose column holds
//! a few small whole numbers there (the code `1` of a yes/no codelist) holds codes too, not
//! counts. `small-count` errors in such a column become one warning that says why, for a person
//! to confirm (docs/tables.md §2.6, "Families of files").

use std::collections::HashMap;

use crate::config::Rules;
use crate::model::{Kind, Table};
use crate::rules::FileTables;
use crate::table::classify::{contains_run, tokens};

/// Fewest other files of the family whose column holds codes (they must also outnumber the
/// files where it reads as counts).
const MIN_SIBLINGS: usize = 2;

/// Most columns of one file named after it that are tried as the varying one.
const MAX_NAMED: usize = 4;

/// A column that the file's family shows to hold codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeColumn {
    /// Index of the file in the folder's files.
    pub file: usize,
    /// Number of its table in the file.
    pub table: u32,
    /// Column number.
    pub col: u32,
    /// Its header.
    pub name: String,
    /// Files of the family in all, this one included (never printed: a small number in a
    /// message reads as a count).
    pub family: usize,
    /// Files of the family whose column holds codes.
    pub codes: usize,
}

/// One member of a candidate family: its file, table and the column that varies.
struct Member<'a> {
    file: usize,
    table: &'a Table,
    k: usize,
}

/// The columns that families of files show to hold codes in files where they read as counts.
pub fn code_columns(files: &[FileTables]) -> Vec<CodeColumn> {
    let mut families: HashMap<(String, usize, usize, Vec<String>), Vec<Member<'_>>> =
        HashMap::new();
    for (i, f) in files.iter().enumerate() {
        // A file of one table: one output written per item.
        let [table] = f.tables.as_slice() else {
            continue;
        };
        let (dir, stem) = split_path(&f.path);
        let stem_tokens = tokens(stem);
        let headers: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        // The varying column is named after the file: its words are a run of the name's. A
        // name has few words, so few columns can be; past a few the file is left out.
        let named: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, name)| {
                let words = tokens(name);
                !words.is_empty() && contains_run(&stem_tokens, &words)
            })
            .map(|(k, _)| k)
            .take(MAX_NAMED + 1)
            .collect();
        if named.len() > MAX_NAMED {
            continue;
        }
        for k in named {
            let mut signature = headers.clone();
            signature[k] = String::new();
            families
                .entry((dir.to_string(), headers.len(), k, signature))
                .or_default()
                .push(Member { file: i, table, k });
        }
    }
    let mut out = Vec::new();
    for members in families.values() {
        if members.len() < MIN_SIBLINGS + 1 {
            continue;
        }
        // The column's header must vary with the files (a list item may be written once per
        // system or period: two files of one name).
        let mut names: Vec<&str> = members
            .iter()
            .map(|m| m.table.columns[m.k].name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        if names.len() < 2 {
            continue;
        }
        let codes = members
            .iter()
            .filter(|m| m.table.columns[m.k].kind == Kind::Label)
            .count();
        let counts: Vec<&Member<'_>> = members
            .iter()
            .filter(|m| m.table.columns[m.k].kind == Kind::Count)
            .collect();
        // The other files of the family hold codes there: at least two, more than read as
        // counts, and none of anything else.
        if codes < MIN_SIBLINGS || codes <= counts.len() || codes + counts.len() != members.len() {
            continue;
        }
        for m in counts {
            let column = &m.table.columns[m.k];
            out.push(CodeColumn {
                file: m.file,
                table: m.table.index,
                col: column.col,
                name: column.name.clone(),
                family: members.len(),
                codes,
            });
        }
    }
    out.sort_by_key(|c| (c.file, c.table, c.col));
    out
}

/// Whether a table is kept for the family pass: held in memory and no larger than the
/// cross-file rules keep (`[differencing] max_table_cells`).
pub fn keeps(table: &Table, rules: &Rules) -> bool {
    let cells: u64 = table.rows.iter().map(|r| r.cells.len() as u64).sum();
    table.streamed_rows == 0 && cells <= u64::from(rules.differencing.max_table_cells)
}

/// The folder of a path and its file name without the extension.
fn split_path(path: &str) -> (&str, &str) {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    (dir, stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_folder_and_stem() {
        assert_eq!(
            split_path("out/by-codelist/prev_asthma__tpp.csv"),
            ("out/by-codelist", "prev_asthma__tpp")
        );
        assert_eq!(split_path("table.csv"), ("", "table"));
        assert!(contains_run(
            &tokens("prev_sev_obesity__tpp"),
            &tokens("sev_obesity")
        ));
        assert!(!contains_run(
            &tokens("prev_obesity__tpp"),
            &tokens("sev_obesity")
        ));
    }
}
