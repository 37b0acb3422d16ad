//! ## What it does
//! Flags figures and pages that carry their data points: an SVG or PDF scatter plot whose
//! markers each stand for one unit (circles, `use` symbols, small paths; censor ticks on a
//! survival curve), chart JSON in an HTML page or a notebook (Plotly, Vega/Vega-Lite, Bokeh,
//! htmlwidgets, Highcharts, ECharts) or the cached series of an Office chart (XLSX, XLSM, DOCX,
//! PPTX) with one point per person or unit, and data written into an image's metadata. A series
//! of single markers at scattered positions is an error: each marker
//! is an individual, whose values anyone can read back from the file; fewer than 50 scattered
//! markers are a warning. Markers that each sit on an interval bar of their own (point
//! estimates with their confidence intervals: a forest plot, an error-bar plot) are estimates,
//! an info finding on a regular grid or below 50 of them, else a warning. Markers on a regular grid
//! (one per category or time step) are a warning, since they may be aggregates. Lines and bars
//! of aggregates (a monthly series, a bar chart) are not flagged. An image whose metadata (a
//! PNG text chunk, a JPEG comment, EXIF or XMP) holds a table or many numbers is an error: the
//! data leaves with the picture, unseen. A raster image whose metadata holds no data cannot be
//! read by this tool: an info finding asks a person to look at it. How the readers count marks
//! is in `docs/figures.md`.
//!
//! ## Why is this bad?
//! A figure is micro-data when its marks are individuals: an SVG keeps the exact coordinates of
//! every point, a Plotly page the whole data frame behind it, whatever the picture shows. Text
//! drawn in a figure (an at-risk table, `excluded (N = 1)`) is checked by the text and table
//! rules; this rule is about the data points themselves.
//!
//! ## Example
//! ```text
//! Results/fig2.svg    <- embedded-data: SVG: series 'points' draws 412 markers at 409
//!                        distinct positions (one per individual)
//! Results/trend.html  (36 monthly points on a line: not flagged)
//! ```
//! Export the figure as a raster image (PNG) at a resolution that does not resolve single
//! points, or show aggregates (binned counts, smoothed curves) instead of individuals.
//!
//! ## Options
//! `[embedded_data] review_raster_figures` (default `false`; `true` in the `uk` profile): a
//! raster figure with nothing readable is a warning, so that a person reviews it, instead of an
//! info finding.
//!
//! ## References
//! Eurostat/ESSnet Guidelines for the checking of output based on microdata research (2015):
//! graphs are checked like the tables behind them; scatter plots of individual values are not
//! released. OpenSAFELY and SACRO output-checking guidance: vector figures carry their data.

use crate::finding::{basis, Finding, Severity};
use crate::model::{FactKind, Figure, Mark};
use crate::redact::safe_label;
use crate::rules::{Checks, Context, FigureRule, FileFacts, FileRule, Rule};

pub const RULE: Rule = Rule {
    id: "embedded-data",
    severity: Severity::Error,
    summary: "a figure or page that carries its data points (SVG markers, chart JSON in HTML, image metadata text, PDF attachments)",
    source: include_str!("embedded_data.rs"),
    checks: Checks {
        figure: Some(&EmbeddedData),
        file: Some(&EmbeddedData),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

/// Fewest markers of one series that make it a set of individuals rather than a few labelled
/// points (a legend, an annotation).
const MIN_MARKERS: u64 = 3;

/// Fewest scattered markers of one series that are taken for individuals on their own. A
/// forest plot or a dot plot of estimates draws a handful of scattered markers (one per model
/// term or group); a series below this is a warning for a person to judge, never a pass.
const MIN_INDIVIDUALS: u64 = 50;

struct EmbeddedData;

impl FigureRule for EmbeddedData {
    fn check(&self, figure: &Figure, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, series) in figure.series.iter().enumerate() {
            if series.mark != Mark::Point || series.points < MIN_MARKERS {
                continue;
            }
            // An unnamed series is not numbered: a number in a message reads as a count.
            let name = if series.name.trim().is_empty() {
                "without a name".to_string()
            } else {
                // Digits of a name (`PathCollection_1`) are hidden: a number in a message
                // reads as a count, and the file's text is not repeated.
                let label =
                    safe_label(series.name.trim()).replace(|c: char| c.is_ascii_digit(), "#");
                format!("'{label}'")
            };
            let (severity, kind) =
                if series.on_intervals && (series.regular || series.points < MIN_INDIVIDUALS) {
                    (
                        Severity::Info,
                        "each on an interval bar of its own: estimates with their confidence \
                     intervals (a forest or error-bar plot), not individuals",
                    )
                } else if series.on_intervals {
                    (
                        Severity::Warning,
                        "each on an interval bar of its own (estimates with their intervals); so \
                     many may be one per unit: a person must check that no marker is an individual",
                    )
                } else if series.regular {
                    (
                    Severity::Warning,
                    "on a regular grid; a person must check whether each marker is an individual",
                )
                } else if series.points < MIN_INDIVIDUALS {
                    (
                        Severity::Warning,
                        "at scattered positions, too few to be taken for individuals on their own \
                     (estimates of a forest plot are drawn so); a person must check them",
                    )
                } else {
                    (Severity::Error, "(one per individual)")
                };
            out.push(Finding::new(
                ID,
                severity,
                format!(
                    "{}: series {name} draws {} markers at {} distinct positions {kind}",
                    figure.source, series.points, series.distinct
                ),
                figure.location.clone(),
                basis(&[
                    b"embedded-data",
                    figure.source.as_bytes(),
                    series.name.as_bytes(),
                    &series.points.to_le_bytes(),
                    &(i as u64).to_le_bytes(),
                ]),
            ));
        }
    }
}

impl FileRule for EmbeddedData {
    fn check(&self, file: &FileFacts<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for fact in file.facts {
            match &fact.kind {
                FactKind::LookAtFigure => out.push(Finding::new(
                    ID,
                    if cx.rules.embedded_data.review_raster_figures {
                        Severity::Warning
                    } else {
                        Severity::Info
                    },
                    "a raster figure: its pixels are not read by this tool; a person must look at it",
                    fact.location.clone(),
                    file.content_basis_of(b"look at figure"),
                )),
                FactKind::DataInMetadata { part } => out.push(Finding::new(
                    ID,
                    Severity::Error,
                    format!(
                        "image metadata '{}' holds data (a table or many numbers) that the picture does not show",
                        safe_label(part)
                    ),
                    fact.location.clone(),
                    file.content_basis_of(part.as_bytes()),
                )),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Location, Series};
    use crate::rules::Compiled;

    fn findings(series: Vec<Series>) -> Vec<Finding> {
        let rules = crate::config::Rules::default_rules();
        let compiled = Compiled::new(&rules);
        let cx = Context::new(&rules, &compiled);
        let figure = Figure {
            location: Location::default(),
            source: "SVG".into(),
            series,
        };
        let mut out = Vec::new();
        FigureRule::check(&EmbeddedData, &figure, &cx, &mut out);
        out
    }

    fn series(mark: Mark, points: u64, regular: bool) -> Series {
        Series {
            name: "s".into(),
            mark,
            points,
            distinct: points,
            regular,
            on_intervals: false,
        }
    }

    #[test]
    fn scattered_markers_are_errors_and_aggregates_pass() {
        let f = findings(vec![series(Mark::Point, 400, false)]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        let f = findings(vec![series(Mark::Point, 36, true)]);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(findings(vec![series(Mark::Line, 36, true)]).is_empty());
        assert!(findings(vec![series(Mark::Bar, 12, true)]).is_empty());
        assert!(findings(vec![series(Mark::Point, 2, false)]).is_empty());
        // A forest plot's handful of scattered estimates is for a person to judge.
        let f = findings(vec![series(Mark::Point, 9, false)]);
        assert_eq!(f[0].severity, Severity::Warning);
        let f = findings(vec![series(Mark::Point, MIN_INDIVIDUALS, false)]);
        assert_eq!(f[0].severity, Severity::Error);
    }
}
