//! ## What it does
//! Flags statistical models whose residual degrees of freedom are below the profile's minimum
//! (10 by default), wherever the output prints them:
//!
//! - R: `Residual standard error: … on N degrees of freedom` (`lm`), `Residual deviance: … on N
//!   degrees of freedom` (`glm`);
//! - Stata: the `Residual | SS df MS` row of the `regress` ANOVA table;
//! - statsmodels: `Df Residuals:` in a model summary;
//! - tables (CSV, spreadsheets, printed ANOVA tables in SAS listings and R output): a row
//!   labelled `Df Residuals` or `Residual df`, or an `Error`/`Residual(s)` row of a table with a
//!   `DF` column.
//!
//! It also flags residuals listed per observation: R's `residuals(fit)` printed, `summary(lm)`
//! printing every residual (R does so when there are 5 or fewer residual degrees of freedom),
//! and a table column named `resid`/`residual` with a row per observation (a warning).
//!
//! ## Why is this bad?
//! A model with few residual degrees of freedom is close to a description of the few
//! observations it was fitted to: with as many parameters as observations, the fitted values
//! are the data. Residuals listed per observation are, with the fitted values, the observed
//! values of single individuals.
//!
//! ## Example
//! ```text
//! Residual standard error: 1.204 on 4 degrees of freedom   <- low-dof: 4 is below 10
//! ```
//! Fit the model to more observations, or use fewer parameters; export coefficients and fit
//! statistics, never residuals per observation.
//!
//! ## Options
//! `[thresholds] min_residual_dof` (default 10).
//!
//! ## References
//! Eurostat/ESSnet Guidelines for the checking of output based on microdata research (2015):
//! regression output is safe when the residual degrees of freedom are at least 10. ACRO/SACRO
//! (AI-SDC): the residual degrees-of-freedom check on model outputs (`dof` threshold 10).
//! Statistics Denmark: no micro-data in results, residuals included.

use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{basis, Finding, Severity};
use crate::model::{Location, Table, Text, Value};
use crate::rules::words::Words;
use crate::rules::{Checks, Context, Rule, TableInput, TableRule, TextRule};
use crate::table::classify::tokens;
use crate::text::Role;

pub const RULE: Rule = Rule {
    id: "low-dof",
    severity: Severity::Error,
    summary: "a statistical model with fewer residual degrees of freedom than the profile allows, or residuals listed per observation",
    source: include_str!("low_dof.rs"),
    checks: Checks {
        table: Some(&LowDof),
        text: Some(&LowDof),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct LowDof;

impl TableRule for LowDof {
    fn check(&self, input: &TableInput<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check_table(input.table, cx, out);
    }
}

impl TextRule for LowDof {
    fn check(&self, text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check_text(text, cx, out);
    }
}

fn regex(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("static regex: {e}"))
}

/// Text patterns whose first group is a residual degrees of freedom, with what they are.
static DOF_LINES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    vec![
        (
            regex(r"Residual standard error:\s*\S+\s+on\s+(\d+)\s+degrees? of freedom"),
            "linear model (R)",
        ),
        (
            regex(r"Residual deviance:\s*\S+\s+on\s+(\d+)\s+degrees? of freedom"),
            "generalised linear model (R)",
        ),
        (
            regex(r"Df Residuals:\s+(\d+)\b"),
            "model summary (statsmodels)",
        ),
        (
            regex(r"^\s*Residual\s*\|\s*[-+]?[\d.eE+-]+\s+(\d+)\s+[-+]?[\d.eE+-]+"),
            "regression ANOVA table (Stata)",
        ),
    ]
});
static RESID_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?:>|\.|>>>)\s*(?:print\s*\(\s*|head\s*\(\s*)?(?:residuals|resid|rstandard|rstudent)\s*\(|\$resid",
    )
});

/// Check a text for model output with few residual degrees of freedom.
pub fn check_text(text: &Text, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let min = cx.rules.thresholds.min_residual_dof;
    let lines = &text.lines;
    let roles = text.roles();
    let locate = |line: u32| Location {
        member: text.member.clone(),
        ..Location::line(line)
    };
    for (i, (no, line)) in lines.iter().enumerate() {
        for (re, what) in DOF_LINES.iter() {
            let Some(df) = re
                .captures(line)
                .and_then(|c| c.get(1))
                .and_then(|m| m.as_str().parse::<u64>().ok())
            else {
                continue;
            };
            if df < u64::from(min) {
                out.push(Finding::new(
                    ID,
                    Severity::Error,
                    format!("{what} with residual degrees of freedom below {min}"),
                    locate(*no),
                    basis(&[ID.as_bytes(), line.as_bytes()]),
                ));
            }
        }
        // `summary(lm)` prints every residual when there are 5 or fewer residual df: a line
        // `Residuals:` over a line of observation numbers.
        if line.trim() == "Residuals:" {
            if let Some((_, next)) = lines.get(i + 1) {
                let names: Vec<&str> = next.split_whitespace().collect();
                if names.len() >= 2 && names.iter().all(|n| n.parse::<u64>().is_ok()) {
                    out.push(Finding::new(
                        ID,
                        Severity::Error,
                        "residuals listed per observation (model summary)",
                        locate(*no),
                        basis(&[ID.as_bytes(), b"summary residuals", next.as_bytes()]),
                    ));
                }
            }
        }
        if roles[i] == Role::Command && RESID_COMMAND.is_match(line) && !line.contains("<-") {
            let printed = lines
                .iter()
                .zip(roles)
                .skip(i + 1)
                .take_while(|(_, r)| matches!(r, Role::Output | Role::Blank))
                .filter(|((_, l), _)| l.split_whitespace().count() >= 2)
                .count();
            if printed >= 1 {
                out.push(Finding::new(
                    ID,
                    Severity::Warning,
                    "residuals printed per observation",
                    locate(*no),
                    basis(&[ID.as_bytes(), b"printed residuals", line.as_bytes()]),
                ));
            }
        }
    }
}

fn whole(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_integer(),
        _ => None,
    }
}

/// Check a table: residual df rows and residual columns.
pub fn check_table(table: &Table, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let min = i64::from(cx.rules.thresholds.min_residual_dof);
    let df_cols: Vec<u32> = table
        .columns
        .iter()
        .filter(|c| cx.words.names_df(&tokens(&c.name)))
        .map(|c| c.col)
        .collect();
    for row in &table.rows {
        let label_text: String = row
            .cells
            .iter()
            .filter(|c| matches!(c.value, Value::Label))
            .map(|c| c.text.as_str())
            .next()
            .unwrap_or("")
            .to_string();
        let label = if row.label.is_empty() {
            label_text.as_str()
        } else {
            row.label.as_str()
        };
        let words = cx.words;
        let names = |test: fn(&Words, &[String]) -> bool| {
            test(words, &tokens(label)) || test(words, &tokens(&label_text))
        };
        let cell = if names(Words::names_residual_df) {
            // The first whole number after the label.
            row.cells.iter().find(|c| whole(&c.value).is_some())
        } else if names(Words::names_error_row) {
            row.cells
                .iter()
                .find(|c| df_cols.contains(&c.col) && whole(&c.value).is_some())
        } else {
            None
        };
        if let Some(cell) = cell {
            if whole(&cell.value).is_some_and(|df| df >= 0 && df < min) {
                out.push(Finding::new(
                    ID,
                    Severity::Error,
                    format!("model with residual degrees of freedom below {min}"),
                    table.locate(cell),
                    basis(&[&table.digest, ID.as_bytes(), cell.text.as_bytes()]),
                ));
            }
        }
    }
    for column in table
        .columns
        .iter()
        .filter(|c| cx.words.names_residual_column(&tokens(&c.name)))
    {
        let numeric = table
            .rows
            .iter()
            .filter(|r| {
                r.cells
                    .iter()
                    .any(|c| c.col == column.col && matches!(c.value, Value::Number(_)))
            })
            .count();
        if numeric >= 3 {
            let first = table
                .header
                .last()
                .and_then(|h| h.iter().find(|c| c.col == column.col));
            let location = match first {
                Some(c) => table.locate(c),
                None => Location {
                    column: Some(column.col),
                    ..table.location()
                },
            };
            out.push(Finding::new(
                ID,
                Severity::Warning,
                format!(
                    "residuals listed per observation in column {}",
                    table.column_label(column.col)
                ),
                location,
                basis(&[&table.digest, ID.as_bytes(), b"resid column"]),
            ));
        }
    }
}
