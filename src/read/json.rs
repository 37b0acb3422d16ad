//! JSON results (`.json`, `.geojson`, and JSON Lines in a `.json` file): the tables a JSON
//! document holds, each placed by its JSON path in `location.member` (`$.summary`,
//! `$.by_region[2]`), and its long strings as text.
//!
//! What is a table, by its shape (the shapes `pandas.DataFrame.to_json`, `json.dump` of a dict
//! of counts and R's `jsonlite::write_json` give):
//!
//! - an array of objects: one row per object, a column per key (records; `orient="records"`,
//!   jsonlite's default for a data frame);
//! - an array of arrays of scalars: the rows of a grid (`orient="values"`), its header found as
//!   in a CSV;
//! - an object with `columns` and `data` (and perhaps `index`): `orient="split"`;
//! - an object of objects of scalars: one row per outer key, a column per inner key
//!   (`orient="index"`, a dict of dicts of counts); when the inner keys are a row index
//!   (`"0"`, `"1"`, … as `orient="columns"` writes) the outer keys are the columns;
//! - an object of arrays of scalars: one column per key, a table per length (`orient="list"`;
//!   a lone `{"counts": [...]}` is a table of one column);
//! - the scalar entries of any object: a table of two columns, key and value
//!   (`{"num_practices": 6367}`).
//!
//! Nested values are read the same way wherever they are, so a table inside a record is found
//! too. A string of several lines or over [`LONG_STRING`] characters is output text for the log
//! rules (a printed table or log kept in a JSON field). The document is parsed whole (serde_json,
//! which never expands anything and stops at a depth of 128); past the caps below the file is
//! not passed: a fact says what was not read.

use serde_json::{Map, Value};

use crate::decode::decode;
use crate::model::{Document, Fact, FactKind, Location, Table, Text, TextKind, Unreadable};
use crate::read::{ReadError, Readers, Source, IN_MEMORY_LIMIT};
use crate::table::grid::{Builder, GridRow};

/// Most tables taken out of one JSON document.
const MAX_TABLES: usize = 2_000;
/// Most columns of one table.
const MAX_COLUMNS: usize = 1_000;
/// Most values visited in one document.
const MAX_VALUES: usize = 5_000_000;
/// A string at least this long (or of several lines) is read as text.
const LONG_STRING: usize = 200;

/// Read a JSON document into its tables and texts.
pub fn read(source: Source<'_>, readers: &Readers<'_>) -> Result<Document, ReadError> {
    let Source::Bytes(bytes) = source else {
        return Ok(limit(format!(
            "a JSON file over {} MiB is not read",
            IN_MEMORY_LIMIT / (1024 * 1024)
        )));
    };
    let text = decode(bytes)?.text;
    let value = parse(&text)?;
    let mut reader = JsonReader {
        builder: Builder {
            parser: readers.parser,
            lexicon: readers.lexicon,
            style: None,
        },
        doc: Document::default(),
        visited: 0,
        limited: None,
    };
    reader.value("$", &value);
    reader
        .doc
        .facts
        .extend(crate::read::acro_results::outputs(&value));
    if let Some(what) = reader.limited.take() {
        reader.doc.facts.push(limit_fact(what));
    }
    for (i, t) in reader.doc.tables.iter_mut().enumerate() {
        t.index = i as u32 + 1;
    }
    Ok(reader.doc)
}

/// The whole document, or JSON Lines (one value per line) read as an array of them.
fn parse(text: &str) -> Result<Value, ReadError> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => Ok(v),
        Err(whole) => {
            let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            if lines.len() < 2 {
                return Err(ReadError::Parse(format!("not valid JSON: {whole}")));
            }
            let values: Result<Vec<Value>, _> =
                lines.iter().map(|l| serde_json::from_str(l)).collect();
            values
                .map(Value::Array)
                .map_err(|_| ReadError::Parse(format!("not valid JSON: {whole}")))
        }
    }
}

fn limit_fact(what: String) -> Fact {
    Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(what)))
}

fn limit(what: String) -> Document {
    Document {
        facts: vec![limit_fact(what)],
        ..Document::default()
    }
}

struct JsonReader<'a> {
    builder: Builder<'a>,
    doc: Document,
    visited: usize,
    /// The first cap reached, said once.
    limited: Option<String>,
}

/// A scalar as a cell shows it; `None` for an array or object.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A string read as text rather than as a cell: long, or of several lines.
fn is_text(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.len() >= LONG_STRING || s.contains('\n'))
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// The path of a member of an object: `$.key`, or `$["a key"]` for a key that is not a plain
/// name.
fn key_path(path: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_string()))
    }
}

/// Keys `"0"`, `"1"`, … in order: a row index written as object keys.
fn is_row_index<'k>(keys: impl Iterator<Item = &'k String>) -> bool {
    let mut n = 0usize;
    for k in keys {
        if k.parse::<usize>().ok() != Some(n) {
            return false;
        }
        n += 1;
    }
    n > 0
}

/// The union of the keys of objects, in the order first seen.
fn union_keys<'v>(objects: impl Iterator<Item = &'v Map<String, Value>>) -> Vec<&'v String> {
    let mut keys: Vec<&String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for o in objects {
        for k in o.keys() {
            if seen.insert(k) {
                keys.push(k);
            }
        }
    }
    keys
}

impl JsonReader<'_> {
    fn full(&mut self, what: &str) -> bool {
        if self.doc.tables.len() >= MAX_TABLES {
            self.limited
                .get_or_insert_with(|| format!("tables past the first {MAX_TABLES}"));
            return true;
        }
        if self.visited >= MAX_VALUES {
            self.limited
                .get_or_insert_with(|| format!("{what} past the first {MAX_VALUES} values"));
            return true;
        }
        false
    }

    /// Tables of a grid of cell texts, the first row its header.
    fn grid(&mut self, path: &str, rows: Vec<Vec<String>>) {
        if rows.len() < 2 || self.full("tables") {
            return;
        }
        let rows: Vec<GridRow> = rows
            .into_iter()
            .enumerate()
            .map(|(i, mut cells)| {
                cells.truncate(MAX_COLUMNS);
                GridRow {
                    row: i as u32 + 1,
                    line: None,
                    cells,
                }
            })
            .collect();
        let tables: Vec<Table> = self.builder.tables(&rows, Some(path), None);
        self.doc.tables.extend(tables);
    }

    /// Numbers that no key names (an array of number arrays, a bare array of numbers): what
    /// they count is not known, so a person must look (coordinates, a matrix, a series).
    fn unnamed(&mut self, path: &str) {
        self.doc.facts.push(Fact {
            location: Location {
                member: Some(path.to_string()),
                ..Location::default()
            },
            kind: FactKind::UnnamedNumbers,
        });
    }

    fn value(&mut self, path: &str, v: &Value) {
        self.visited += 1;
        if self.full("values") {
            return;
        }
        match v {
            Value::String(s) if is_text(v) => {
                let mut text = Text::of(TextKind::Output, s);
                text.member = Some(path.to_string());
                self.doc.texts.push(text);
            }
            Value::Array(items) => self.array(path, items),
            Value::Object(map) => self.object(path, map),
            _ => {}
        }
    }

    fn array(&mut self, path: &str, items: &[Value]) {
        let objects: Vec<&Map<String, Value>> = items.iter().filter_map(Value::as_object).collect();
        if !items.is_empty() && objects.len() == items.len() {
            self.records(path, &objects);
            return;
        }
        if !items.is_empty()
            && items
                .iter()
                .all(|i| i.as_array().is_some_and(|r| r.iter().all(is_scalar)))
        {
            let rows = items
                .iter()
                .filter_map(Value::as_array)
                .map(|r| r.iter().filter_map(scalar).collect())
                .collect();
            if items
                .iter()
                .flat_map(|r| r.as_array().into_iter().flatten())
                .any(Value::is_string)
            {
                self.grid(path, rows);
            } else {
                self.unnamed(path);
            }
            return;
        }
        if items.iter().any(Value::is_number) && items.iter().all(is_scalar) {
            self.unnamed(path);
            return;
        }
        for (i, item) in items.iter().enumerate() {
            if !is_scalar(item) || is_text(item) {
                self.value(&format!("{path}[{i}]"), item);
            }
        }
    }

    /// An array of objects: a row per object, a column per scalar key; nested values are read
    /// apart.
    fn records(&mut self, path: &str, objects: &[&Map<String, Value>]) {
        let keys: Vec<&String> = union_keys(objects.iter().copied())
            .into_iter()
            .filter(|k| objects.iter().any(|o| o.get(*k).is_some_and(is_scalar)))
            .collect();
        if !keys.is_empty() {
            let mut rows = vec![keys.iter().map(|k| k.to_string()).collect::<Vec<_>>()];
            for o in objects {
                rows.push(
                    keys.iter()
                        .map(|k| o.get(*k).and_then(scalar).unwrap_or_default())
                        .collect(),
                );
            }
            self.grid(path, rows);
        }
        // What the table did not hold: nested values, and long strings as text.
        for (i, o) in objects.iter().enumerate() {
            for (k, v) in o.iter() {
                if !is_scalar(v) || is_text(v) {
                    self.value(&key_path(&format!("{path}[{i}]"), k), v);
                }
            }
        }
    }

    fn object(&mut self, path: &str, map: &Map<String, Value>) {
        // pandas `orient="split"`.
        if let (Some(Value::Array(columns)), Some(Value::Array(data))) =
            (map.get("columns"), map.get("data"))
        {
            if columns.iter().all(is_scalar)
                && data
                    .iter()
                    .all(|r| r.as_array().is_some_and(|r| r.iter().all(is_scalar)))
            {
                let index = map.get("index").and_then(Value::as_array);
                let mut header: Vec<String> = columns.iter().filter_map(scalar).collect();
                if index.is_some() {
                    header.insert(0, String::new());
                }
                let mut rows = vec![header];
                for (i, r) in data.iter().filter_map(Value::as_array).enumerate() {
                    let mut row: Vec<String> = r.iter().filter_map(scalar).collect();
                    if let Some(index) = index {
                        row.insert(0, index.get(i).and_then(scalar).unwrap_or_default());
                    }
                    rows.push(row);
                }
                self.grid(path, rows);
                return;
            }
        }
        let inner: Vec<(&String, &Map<String, Value>)> = map
            .iter()
            .filter_map(|(k, v)| v.as_object().map(|o| (k, o)))
            .filter(|(_, o)| !o.is_empty() && o.values().all(is_scalar))
            .collect();
        if inner.len() >= 2 || (inner.len() == 1 && map.len() == 1) {
            self.object_of_objects(path, &inner);
        }
        // Arrays of scalars under their keys: the columns of a table, one table per length
        // (`orient="list"`; a lone `{"counts": [...]}` is a table of one column).
        let columns: Vec<(&String, &Vec<Value>)> = map
            .iter()
            .filter_map(|(k, v)| v.as_array().map(|a| (k, a)))
            .filter(|(_, a)| !a.is_empty() && a.iter().all(is_scalar))
            .collect();
        let mut lengths: Vec<usize> = columns.iter().map(|(_, a)| a.len()).collect();
        lengths.sort_unstable();
        lengths.dedup();
        for n in lengths {
            let group: Vec<(&String, &Vec<Value>)> = columns
                .iter()
                .filter(|(_, a)| a.len() == n)
                .copied()
                .collect();
            self.object_of_arrays(path, &group);
        }
        // The scalar entries of the object, key and value.
        let scalars: Vec<(&String, String)> = map
            .iter()
            .filter(|(_, v)| is_scalar(v) && !is_text(v))
            .filter_map(|(k, v)| scalar(v).map(|s| (k, s)))
            .collect();
        if !scalars.is_empty() {
            let mut rows = vec![vec!["key".to_string(), "value".to_string()]];
            rows.extend(scalars.into_iter().map(|(k, v)| vec![k.clone(), v]));
            self.grid(path, rows);
        }
        let tabled =
            |k: &String| inner.iter().any(|(i, _)| *i == k) || columns.iter().any(|(c, _)| *c == k);
        for (k, v) in map {
            if (!is_scalar(v) && !tabled(k)) || is_text(v) {
                self.value(&key_path(path, k), v);
            }
        }
    }

    /// An object of objects of scalars: a row per outer key, or a column per outer key when the
    /// inner keys are a row index.
    fn object_of_objects(&mut self, path: &str, inner: &[(&String, &Map<String, Value>)]) {
        let keys = union_keys(inner.iter().map(|(_, o)| *o));
        let cell =
            |o: &Map<String, Value>, k: &String| o.get(k).and_then(scalar).unwrap_or_default();
        let rows = if is_row_index(keys.iter().copied()) {
            let mut rows = vec![std::iter::once(String::new())
                .chain(inner.iter().map(|(k, _)| k.to_string()))
                .collect::<Vec<_>>()];
            for k in &keys {
                rows.push(
                    std::iter::once(k.to_string())
                        .chain(inner.iter().map(|(_, o)| cell(o, k)))
                        .collect(),
                );
            }
            rows
        } else {
            let mut rows = vec![std::iter::once(String::new())
                .chain(keys.iter().map(|k| k.to_string()))
                .collect::<Vec<_>>()];
            for (name, o) in inner {
                rows.push(
                    std::iter::once(name.to_string())
                        .chain(keys.iter().map(|k| cell(o, k)))
                        .collect(),
                );
            }
            rows
        };
        self.grid(path, rows);
    }

    /// Equally long arrays of scalars under their keys: a column per key.
    fn object_of_arrays(&mut self, path: &str, columns: &[(&String, &Vec<Value>)]) {
        let n = columns.first().map_or(0, |(_, a)| a.len());
        let mut rows = vec![columns
            .iter()
            .map(|(k, _)| k.to_string())
            .collect::<Vec<_>>()];
        for i in 0..n {
            rows.push(
                columns
                    .iter()
                    .map(|(_, a)| a.get(i).and_then(scalar).unwrap_or_default())
                    .collect(),
            );
        }
        self.grid(path, rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::testutil::with_readers;

    fn try_read(json: &str) -> Result<Document, ReadError> {
        with_readers(|readers| read(Source::Bytes(json.as_bytes()), readers))
    }

    fn doc(json: &str) -> Document {
        try_read(json).expect("reads")
    }

    fn shape(t: &Table) -> (Option<&str>, usize, usize) {
        (t.member.as_deref(), t.rows.len(), t.columns.len())
    }

    #[test]
    fn records_are_a_table_with_a_column_per_key() {
        let d = doc(
            r#"[{"region":"North","cases":120},{"region":"South","cases":3},{"region":"East","cases":45}]"#,
        );
        assert_eq!(d.tables.len(), 1);
        assert_eq!(shape(&d.tables[0]), (Some("$"), 3, 2));
        assert_eq!(d.tables[0].columns[1].kind, Kind::Count);
    }

    #[test]
    fn a_dict_of_dicts_is_a_row_per_outer_key() {
        let d = doc(
            r#"{"gi_bleed":{"numerator":551,"denominator":10881},"monitoring":{"numerator":1102,"denominator":3358}}"#,
        );
        assert_eq!(d.tables.len(), 1);
        assert_eq!(shape(&d.tables[0]), (Some("$"), 2, 3));
    }

    #[test]
    fn pandas_orient_columns_is_transposed_by_its_row_index() {
        let d = doc(
            r#"{"region":{"0":"North","1":"South","2":"East"},"cases":{"0":120,"1":3,"2":45}}"#,
        );
        assert_eq!(d.tables.len(), 1);
        assert_eq!(shape(&d.tables[0]), (Some("$"), 3, 3));
    }

    #[test]
    fn split_lists_and_scalars_are_tables() {
        let d = doc(r#"{"columns":["a","n"],"index":[0,1],"data":[["x",12],["y",40]]}"#);
        assert_eq!(shape(&d.tables[0]), (Some("$"), 2, 3));
        let d = doc(r#"{"age":[34,51,29],"sex":["F","M","F"]}"#);
        assert_eq!(shape(&d.tables[0]), (Some("$"), 3, 2));
        let d = doc(r#"{"summary":{"num_practices":6367,"num_events":6343}}"#);
        assert_eq!(d.tables.len(), 1);
        let d = doc(r#"{"num_practices":6367,"num_events":3,"nested":{"deep":[{"a":1,"b":2}]}}"#);
        let members: Vec<_> = d.tables.iter().map(|t| t.member.as_deref()).collect();
        assert_eq!(members, [Some("$"), Some("$.nested.deep")]);
    }

    #[test]
    fn json_lines_long_strings_and_bad_input() {
        let d = doc("{\"a\":\"x\",\"n\":12}\n{\"a\":\"y\",\"n\":40}\n");
        assert_eq!(shape(&d.tables[0]), (Some("$"), 2, 2));
        let d = doc(r#"{"log":"line one\nline two"}"#);
        assert_eq!(d.texts.len(), 1);
        assert_eq!(d.texts[0].member.as_deref(), Some("$.log"));
        for bad in ["{\"a\": [1, 2", "\u{0}\u{1}junk", ""] {
            assert!(try_read(bad).is_err(), "{bad:?}");
        }
        assert!(try_read(&"[".repeat(10_000)).is_err());
    }

    #[test]
    fn numbers_no_key_names_are_a_fact_not_a_table() {
        for unnamed in [r#"{"cells":[[0,1],[2,3]]}"#, r#"[3, 120, 45]"#] {
            let d = doc(unnamed);
            assert!(d.tables.is_empty(), "{unnamed}");
            assert!(d.facts.iter().any(|f| f.kind == FactKind::UnnamedNumbers));
        }
        // Named by a header row of strings, or by their key: tables.
        let d = doc(r#"[["region","cases"],["North",120],["South",3]]"#);
        assert_eq!(shape(&d.tables[0]), (Some("$"), 2, 2));
        let d = doc(r#"{"counts":[3,120,45]}"#);
        assert_eq!(shape(&d.tables[0]), (Some("$"), 3, 1));
        assert!(d.facts.is_empty());
    }

    #[test]
    fn the_table_cap_is_said() {
        let many: Vec<String> = (0..MAX_TABLES + 5)
            .map(|i| format!("{{\"t{i}\":[{{\"a\":1,\"b\":2}},{{\"a\":3,\"b\":4}}]}}"))
            .collect();
        let d = doc(&format!("[{}]", many.join(",")));
        assert!(d.tables.len() <= MAX_TABLES);
        assert!(d
            .facts
            .iter()
            .any(|f| matches!(&f.kind, FactKind::Unreadable(_))));
    }
}
