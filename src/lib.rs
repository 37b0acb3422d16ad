//! export-check: checks a folder of research results for disclosure risks before it leaves a
//! secure data environment.
//!
//! The pipeline: [`walk`] the folder, [`detect`] each file's format, [`read`] it into the neutral
//! [`model`], run the [`rules`], and render a [`report`]. Layers stay apart: readers know nothing
//! of thresholds, rules never open files, renderers decide nothing.

pub mod config;
pub mod ident;
pub mod model;
pub mod table;
