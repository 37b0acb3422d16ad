//! The command line, as docs/report.md §1 gives it.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// Checks a folder of research results for disclosure risks before it leaves a secure data
/// environment: small counts, back-calculation, micro-data, identifiers, data hidden in files.
#[derive(Debug, Parser)]
#[command(name = "export-check", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 nothing blocks export (pass or review), 1 at least one blocking finding, \
2 the check could not run.\nExamples:\n  export-check Results/\n  export-check --profile dk --format json -o report.json Results/\n  export-check --explain small-count"
)]
pub struct Cli {
    /// The folder to check (normally Results/); a single file is also accepted.
    #[arg(required_unless_present_any = ["list_rules", "explain"])]
    pub path: Option<PathBuf>,

    /// Rule profile: default, be, dk, fi, uk.
    #[arg(short, long, default_value = "default", value_name = "NAME")]
    pub profile: String,

    /// A rules file (TOML) applied on top of the profile.
    #[arg(short, long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Minimum count per cell, overriding the profile.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub threshold: Option<u32>,

    /// Report format.
    #[arg(short, long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,

    /// Write the report to FILE instead of standard output (the verdict line still goes to
    /// standard error).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 1 also when findings need review.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Print only the verdict line.
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads (default: all cores).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,

    /// Print every rule: id, default severity, one-line summary.
    #[arg(long)]
    pub list_rules: bool,

    /// Print a rule's documentation.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Html,
}
