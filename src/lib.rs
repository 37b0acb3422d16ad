//! export-check: checks a folder of research results for disclosure risks before it leaves a
//! secure data environment.
//!
//! ```no_run
//! use export_check::{check, Options, Rules, Verdict};
//!
//! let rules = Rules::load("dk", None, None)?;
//! let report = check("Results".as_ref(), &rules, &Options::default())?;
//! if report.verdict == Verdict::Fail {
//!     println!("{}", export_check::report::json::render(&report));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The pipeline: walk the folder, detect each file's format, read it into the neutral document
//! model (tables, text, facts, figures, members), run the rules, and render a [`report`]. Layers
//! stay apart: readers report facts and know nothing of thresholds, rules never open files,
//! renderers decide nothing. The README's "How the code is laid out" names the module of each
//! step; those modules are private to the crate.

pub mod config;
pub mod finding;
pub mod report;

mod decode;
mod detect;
mod digest;
mod engine;
#[cfg(test)]
mod fail_closed_tests;
mod model;
mod read;
mod redact;
mod rules;
mod table;
#[cfg(test)]
mod testutil;
mod text;
mod walk;

pub use config::{ConfigError, Rules, PROFILES};
pub use engine::{check, CheckError, Options};
pub use finding::{Finding, Severity, Verdict};
pub use model::Location;
pub use report::Report;
pub use rules::{lookup, Rule, DOC_SECTIONS, REGISTRY};

/// The back-calculation audit's solver, driven directly by the crate's tests and benchmarks on
/// hand-built systems. Not a stable interface.
#[doc(hidden)]
pub mod audit;
/// National identifiers: the generator and scanner the crate's tests and benchmarks use. Not a
/// stable interface.
#[doc(hidden)]
pub mod ident;
