//! export-check: checks a folder of research results for disclosure risks before it leaves a
//! secure data environment.
//!
//! The pipeline: [`walk`] the folder, [`detect`] each file's format, [`read`] it into the neutral
//! [`model`], run the [`rules`], and render a [`report`]. Layers stay apart: readers know nothing
//! of thresholds, rules never open files, renderers decide nothing. [`engine`] ties them together.

pub mod audit;
pub mod cli;
pub mod config;
pub mod decode;
pub mod detect;
pub mod digest;
pub mod engine;
pub mod finding;
pub mod ident;
pub mod model;
pub mod read;
pub mod redact;
pub mod report;
pub mod rules;
pub mod table;
#[cfg(test)]
mod testutil;
pub mod text;
pub mod walk;
