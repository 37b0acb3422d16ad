//! ACRO's record of a session (`results.json`, and the early `*_results.json` of
//! `acro.finalise()`): one entry per output with ACRO's verdict, its summary and the files that
//! hold it. Its verdicts are facts about those files, which the folder pass finds beside the
//! record; the record itself holds no values. An output ACRO left for a person (negative or
//! missing values it could not judge, a summary that says fail without saying it suppressed the
//! cells) is what is passed on; an output whose flagged cells ACRO says it suppressed is checked
//! by this tool's own rules, and a custom output (a file ACRO only wrapped) was never judged by
//! ACRO at all.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::model::{Fact, FactKind, Location, PriorCheck, PriorSaid};
use crate::read::workbook::acro::{check, summary, Status};

/// The tool named in messages.
const TOOL: &str = "ACRO";

/// The facts of an ACRO record, if `value` is one; none otherwise.
pub fn outputs(value: &Value) -> Vec<Fact> {
    let Value::Object(top) = value else {
        return Vec::new();
    };
    // v0.4 and later: `{"version": "0.4.12", "results": {name: {status, summary, files}}}`.
    let (entries, versioned) = match (top.get("version"), top.get("results")) {
        (Some(Value::String(_)), Some(Value::Object(results))) => (results, true),
        _ => (top, false),
    };
    let mut out = Vec::new();
    for (name, entry) in entries {
        let Value::Object(e) = entry else {
            continue;
        };
        let text = |k: &str| e.get(k).and_then(Value::as_str);
        // Early records have `command`, `summary` and `output` (the path of the file).
        if !versioned && (text("command").is_none() || text("output").is_none()) {
            continue;
        }
        if text("type") == Some("custom") || text("command") == Some("custom") {
            continue;
        }
        let Some(said) = text("summary").and_then(summary) else {
            continue;
        };
        let status = match text("status") {
            Some("fail") => Status::Fail,
            Some("review") => Status::Review,
            Some("pass") => Status::Pass,
            _ => said.status,
        };
        let verdicts: Vec<PriorSaid> = match status {
            Status::Pass => Vec::new(),
            Status::Review if said.checks.is_empty() => vec![PriorSaid::Review(PriorCheck::Other)],
            Status::Review => said.open.iter().map(|&c| PriorSaid::Review(c)).collect(),
            Status::Fail if said.checks.is_empty() => vec![PriorSaid::Fails(PriorCheck::Other)],
            Status::Fail => said.open.iter().map(|&c| PriorSaid::Fails(c)).collect(),
        };
        let flagged = flagged_cells(e.get("outcome"));
        // Where the grid names the flagged cells, the cells say whether they were suppressed.
        let verdicts: Vec<PriorSaid> = if flagged.is_empty() {
            verdicts
        } else {
            verdicts
                .into_iter()
                .filter(|v| !matches!(v, PriorSaid::Fails(_)))
                .collect()
        };
        if verdicts.is_empty() && flagged.is_empty() {
            continue;
        }
        let location = Location {
            member: Some(format!(
                "$.{}{name}",
                if versioned { "results." } else { "" }
            )),
            ..Location::default()
        };
        for file in files(e) {
            for v in verdicts.iter().chain(&flagged) {
                out.push(Fact {
                    location: location.clone(),
                    kind: FactKind::PriorCheckerOf {
                        tool: TOOL,
                        file: file.clone(),
                        said: v.clone(),
                    },
                });
            }
        }
    }
    out
}

/// The cells an output's risk grid (`outcome`: `{column: {row: "threshold; "}}`, as JSON or as
/// a JSON string) flags for a check that names a disclosure, by their column and row labels.
/// A grid Python printed (single quotes) is not read: the summary speaks for it.
fn flagged_cells(outcome: Option<&Value>) -> Vec<PriorSaid> {
    let parsed;
    let grid = match outcome {
        Some(Value::Object(o)) => o,
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(o)) => {
                parsed = o;
                &parsed
            }
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for (column, rows) in grid {
        let Value::Object(rows) = rows else {
            continue;
        };
        for (row, status) in rows {
            let Some(status) = status.as_str() else {
                continue;
            };
            let check = status
                .split(';')
                .map(str::trim)
                .filter_map(check)
                .filter(|c| c.names_disclosure())
                .min();
            if let Some(check) = check {
                out.push(PriorSaid::FlaggedCell {
                    check,
                    column: column.clone(),
                    row: row.clone(),
                });
            }
        }
    }
    out
}

/// A `'name': '…'` entry of a list Python printed.
static NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"['"]name['"]\s*:\s*(?:'([^']*)'|"([^"]*)")"#).ok());

/// The names of an output's files: `files` as a list of `{"name": …}` (or, as ACRO 0.4 writes
/// it, that list printed by Python into a string), or the early `output` path's last part.
fn files(e: &serde_json::Map<String, Value>) -> Vec<String> {
    match e.get("files") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.get("name").and_then(Value::as_str))
            .map(str::to_string)
            .collect(),
        Some(Value::String(printed)) => {
            let Some(re) = NAME.as_ref() else {
                return Vec::new();
            };
            re.captures_iter(printed)
                .filter_map(|c| c.get(1).or_else(|| c.get(2)))
                .map(|m| m.as_str().to_string())
                .collect()
        }
        _ => e
            .get("output")
            .and_then(Value::as_str)
            .and_then(|p| p.rsplit(['/', '\\']).next())
            .filter(|n| !n.is_empty())
            .map(|n| vec![n.to_string()])
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(v: &str) -> Vec<(String, PriorSaid)> {
        let value: Value = serde_json::from_str(v).unwrap();
        outputs(&value)
            .into_iter()
            .map(|f| match f.kind {
                FactKind::PriorCheckerOf { file, said, .. } => (file, said),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_versioned_record_passes_on_what_acro_left_for_a_person() {
        let v = r#"{"version": "0.4.12", "results": {
            "a": {"status": "review", "type": "table", "summary": "review; negative values found",
                  "files": "[{'name': 'means_0.csv', 'sdc': {}}]"},
            "b": {"status": "review", "type": "table",
                  "summary": "review; threshold: 1 cells suppressed; ",
                  "files": [{"name": "counts_0.csv"}]},
            "c": {"status": "review", "type": "custom", "summary": "review",
                  "files": [{"name": "figure.png"}]},
            "d": {"status": "pass", "type": "table", "summary": "pass",
                  "files": [{"name": "fine_0.csv"}]}
        }}"#;
        assert_eq!(
            said(v),
            vec![(
                "means_0.csv".into(),
                PriorSaid::Review(PriorCheck::Negative)
            )]
        );
    }

    #[test]
    fn an_early_record_names_its_file_by_path() {
        let v = r#"{
            "output_0": {"command": "acro.crosstab(a, b)", "summary": "fail; threshold: 6 cells suppressed; ", "output": "c:\\out\\output_0.csv"},
            "output_1": {"command": "acro.crosstab(a, b)", "summary": "fail; threshold: 2 cells", "output": "/home/x/output_1.csv"},
            "output_2": {"command": "acro.crosstab(a, b, values=c)", "summary": "review; missing values found", "output": "/home/x/output_2.csv"}
        }"#;
        assert_eq!(
            said(v),
            vec![
                (
                    "output_1.csv".into(),
                    PriorSaid::Fails(PriorCheck::Threshold)
                ),
                (
                    "output_2.csv".into(),
                    PriorSaid::Review(PriorCheck::Missing)
                ),
            ]
        );
    }

    #[test]
    fn a_grid_written_as_a_json_string_names_its_flagged_cells() {
        let v = r#"{"output_0": {"command": "acro.crosstab(a, b)",
            "summary": "fail; threshold: 1 cells suppressed; ",
            "outcome": "{\"N\":{\"0.0\":\"threshold; \",\"1.0\":\"ok\"},\"G\":{\"0.0\":\"ok\"}}",
            "output": "/x/output_0.csv"}}"#;
        assert_eq!(
            said(v),
            vec![(
                "output_0.csv".into(),
                PriorSaid::FlaggedCell {
                    check: PriorCheck::Threshold,
                    column: "N".into(),
                    row: "0.0".into()
                }
            )]
        );
    }

    #[test]
    fn other_json_is_not_a_record() {
        assert!(said(r#"{"summary": "fail", "n": 3}"#).is_empty());
        assert!(said(r#"{"x": {"summary": "review; negative values found"}}"#).is_empty());
        assert!(said(r#"[1, 2]"#).is_empty());
    }
}
