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
//! error.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: only approved file types pass the
//! transfer tool; data sets are micro-data. Sundhedsdatastyrelsen, Forskermaskinen: limits on file
//! types. Findata, exporting results: variables and result types must be understandable.

pub const ID: &str = "file-type";
pub const SUMMARY: &str =
    "a file type that may not be exported (data sets, executables, unknown binaries) or whose content does not match its name";
