//! ## What it does
//! Flags files that may not leave whatever they contain, and files that are not what their name
//! says. Data sets (SAS `.sas7bdat`, Stata `.dta`, SPSS `.sav`, R `.rds`/`.RData`, Parquet,
//! Arrow/Feather, HDF5), databases (SQLite), executables and unknown binary files are errors, as is
//! any format not on the profile's approved list. A file whose content contradicts its name (a zip
//! archive called `.csv`, a database called `.txt`) is an error. Symbolic links, FIFOs, sockets and
//! devices are errors too: they are never opened, and the export would not carry what a link
//! points to. Hidden files and folders get a warning (they leave with the export although a file
//! browser may not show them), and so does a format this version of export-check cannot check
//! yet: such a file is never passed, a person must review it.
//!
//! Formats are detected from the content first (magic bytes, zip members, text shape) and the
//! name second.
//!
//! ## Why is this bad?
//! A data set is micro-data by definition, and the guidelines allow only approved file types
//! through the transfer tools ("Filtype ikke tilladt"). A renamed file defeats the type check a
//! person or a tool does by name, and whatever hides in it is never looked at.
//!
//! ## Example
//! ```text
//! Results/analysis.sas7bdat   <- file-type: SAS data set, may not be exported
//! Results/table2.csv          <- file-type: content is a zip archive, name says .csv
//! ```
//!
//! ## Options
//! `[file_types] allowed` and `[file_types] blocked` list format names (`csv`, `xlsx`, `pdf`,
//! `sas7bdat`, `stata-dta`, `executable`, `unknown-binary` ...). A format on neither list is an
//! error. An environment that forbids archives outright leaves `zip`, `tar`, `gzip`, `bzip2` and
//! `xz` off `allowed` (in its profile or a `--rules` file): each archive is then an error, and its
//! members are still checked and reported.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: only approved file types pass the
//! transfer tool; data sets are micro-data. Sundhedsdatastyrelsen, Forskermaskinen: limits on file
//! types. Findata, exporting results: variables and result types must be understandable.

use crate::detect::Format;
use crate::finding::{Finding, Severity};
use crate::model::FactKind;
use crate::rules::{Checks, Context, FileFacts, FileRule, Rule};

pub const RULE: Rule = Rule {
    id: "file-type",
    severity: Severity::Error,
    summary: "a file type that may not be exported (data sets, executables, unknown binaries) or whose content does not match its name",
    source: include_str!("file_type.rs"),
    checks: Checks {
        file: Some(&FileType),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct FileType;

impl FileRule for FileType {
    fn check(&self, file: &FileFacts<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        check(file, cx, out);
    }
}

/// Whether the rules let a file of this format be read at all: a format that may not leave is
/// reported as such and not opened.
pub fn admits(format: Format, cx_rules: &crate::config::Rules) -> bool {
    cx_rules.format_policy(format.name()) == Some(true)
}

/// The file's type, and the facts about it that are this rule's: links, special and hidden
/// entries, content that contradicts the name, formats and parts not checked.
pub fn check(file: &FileFacts<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let describe = file.format.map(|f| f.describe()).unwrap_or("this file");
    for fact in file.facts {
        let (severity, message, about_content) = match &fact.kind {
            FactKind::Symlink => (
                Severity::Error,
                "symbolic link: links are not followed, and the export would not carry what it points to".to_string(),
                false,
            ),
            FactKind::Special(kind) => (
                Severity::Error,
                format!("{kind}: not a regular file, never opened"),
                false,
            ),
            FactKind::HiddenEntry => (
                Severity::Warning,
                "hidden file or folder: it leaves with the export although a file browser may not show it".to_string(),
                false,
            ),
            FactKind::NameMismatch(mismatch) => (
                Severity::Error,
                format!("content does not match the name: {mismatch}"),
                true,
            ),
            FactKind::NotReadYet => (
                Severity::Warning,
                format!(
                    "{describe} files are not checked by this version of export-check; a person must review this file"
                ),
                true,
            ),
            FactKind::CodeTooLarge { limit_mib } => (
                Severity::Warning,
                format!(
                    "program code over {limit_mib} MiB is not checked line by line; a person must review this file"
                ),
                true,
            ),
            FactKind::LinesDropped { kept, dropped } => (
                Severity::Warning,
                format!(
                    "log too large: {dropped} lines past the first {kept} were not checked; a person must review them"
                ),
                true,
            ),
            FactKind::UnnamedNumbers => (
                Severity::Warning,
                "numbers that no key names (an array of number arrays or of numbers): what they count is not known; a person must review them".to_string(),
                true,
            ),
            FactKind::SpecialMember { name, kind } => (
                Severity::Error,
                format!(
                    "member '{}' is a {kind}: not opened, and the export would not carry what it points to",
                    crate::redact::safe_label(name)
                ),
                true,
            ),
            FactKind::Unreadable(_)
            | FactKind::Unchecked { .. }
            | FactKind::Hidden { .. }
            | FactKind::LookAtFigure
            | FactKind::DataInMetadata { .. }
            | FactKind::PriorChecker { .. }
            | FactKind::PriorCheckerOf { .. } => continue,
        };
        let basis = if about_content {
            file.content_basis()
        } else {
            file.entry_basis()
        };
        out.push(Finding::new(
            ID,
            severity,
            message,
            fact.location.clone(),
            basis,
        ));
    }
    if let Some(format) = file.format {
        let message = match cx.rules.format_policy(format.name()) {
            Some(true) => return,
            Some(false) => format!("{} may not be exported", format.describe()),
            None => format!(
                "{} is not an approved file type in profile '{}'",
                format.describe(),
                cx.rules.profile.name
            ),
        };
        out.push(Finding::new(
            ID,
            Severity::Error,
            message,
            crate::model::Location::default(),
            file.content_basis(),
        ));
    }
}
