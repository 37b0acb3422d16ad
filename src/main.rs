//! The `export-check` binary: parses the command line, runs the check, prints the report and
//! exits 0 (nothing blocks export), 1 (something does) or 2 (the check could not run).

use std::fs;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use clap::Parser;

mod cli;

use cli::{Cli, Format};
use export_check::report::{json, text};
use export_check::Rules;
use export_check::{check, Options};
use export_check::{lookup, REGISTRY};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("export-check: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> Result<u8> {
    let mut stdout = std::io::stdout().lock();
    if cli.list_rules {
        let width = REGISTRY.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for r in REGISTRY {
            writeln!(
                stdout,
                "{:width$}  {:7}  {}",
                r.id,
                r.severity.as_str(),
                r.summary
            )?;
        }
        return Ok(0);
    }
    if let Some(id) = &cli.explain {
        let Some(rule) = lookup(id) else {
            let ids: Vec<&str> = REGISTRY.iter().map(|r| r.id).collect();
            bail!("unknown rule '{id}' (rules: {})", ids.join(", "));
        };
        writeln!(
            stdout,
            "{} ({})\n\n{}",
            rule.id,
            rule.severity.as_str(),
            rule.documentation()
        )?;
        return Ok(0);
    }
    let Some(path) = &cli.path else {
        bail!("no PATH given");
    };
    if matches!(cli.format, Format::Sarif | Format::Html) {
        bail!(
            "the {:?} report format is not available in this version (use text or json)",
            cli.format
        );
    }
    let rules = Rules::load(&cli.profile, cli.rules.as_deref(), cli.threshold)?;
    if std::io::stderr().is_terminal() && !cli.quiet {
        eprintln!(
            "export-check: checking {} with profile {} ...",
            path.display(),
            rules.profile.name
        );
    }
    let options = Options {
        jobs: cli.jobs.map(|j| j as usize),
        ..Options::default()
    };
    let report = check(path, &rules, &options)?;
    let code = report.exit_code(cli.deny_warnings) as u8;
    let verdict_line = report.verdict_line();

    // `-q` prints only the verdict line; with `-o FILE` the report is still written there.
    if cli.quiet && cli.output.is_none() {
        writeln!(stdout, "{verdict_line}")?;
        return Ok(code);
    }
    let to_terminal = cli.output.is_none() && std::io::stdout().is_terminal();
    let colour = if to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
        text::Colour::Always
    } else {
        text::Colour::Never
    };
    let rendered = match cli.format {
        Format::Json => json::render(&report),
        _ => text::render(&report, colour),
    };
    match &cli.output {
        Some(out) => {
            fs::write(out, rendered)
                .with_context(|| format!("cannot write the report to {}", out.display()))?;
            if cli.quiet {
                writeln!(stdout, "{verdict_line}")?;
            } else {
                eprintln!("{verdict_line}");
            }
        }
        None => {
            stdout.write_all(rendered.as_bytes())?;
            if cli.format == Format::Json {
                eprintln!("{verdict_line}");
            }
        }
    }
    Ok(code)
}
