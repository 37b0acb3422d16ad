//! The sections of a rules file. Each section is declared once with [`section!`]: the effective
//! struct the rules read (every key set: `rules/default.toml` sets them all, and a test checks
//! it), and the layer a rules file gives (every key optional, unknown keys rejected), which
//! updates it. A key a layer sets replaces the key below it, unless the section merges it
//! otherwise (word lists are added to).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Declares a section: `pub struct Effective / Layer { fields }`. A field is `pub name: Type`,
/// optionally `as Parsed` (a checked type the file's value is read as, converted with `From`)
/// and `[merge path]` (a function `fn(&mut Type, &Parsed)` that merges instead of replacing).
macro_rules! section {
    (
        $(#[$meta:meta])*
        pub struct $name:ident / $layer:ident {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty $(as $via:ty)? $([merge $merge:path])?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Serialize, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        /// A rules file's keys of this section.
        #[derive(Debug, Default, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub(crate) struct $layer {
            $( $field: Option<section!(@parsed $ty $(, $via)?)>, )*
        }

        impl $name {
            /// Apply a layer: what it sets replaces (or merges into) what is here.
            pub(crate) fn update(&mut self, layer: &$layer) {
                $(
                    if let Some(value) = &layer.$field {
                        section!(@set self.$field, value $(, $merge)?);
                    }
                )*
            }
        }
    };
    (@parsed $ty:ty) => { $ty };
    (@parsed $ty:ty, $via:ty) => { $via };
    (@set $place:expr, $value:ident) => { $place = $value.clone().into() };
    (@set $place:expr, $value:ident, $merge:path) => { $merge(&mut $place, $value) };
}

pub(crate) use section;

/// A whole number of at least 1, so that a bad value is reported at its line.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(try_from = "i64")]
pub struct Positive(u32);

impl TryFrom<i64> for Positive {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        if (1..=1_000_000).contains(&v) {
            Ok(Positive(v as u32))
        } else {
            Err(format!("must be a whole number from 1 to 1000000, not {v}"))
        }
    }
}

impl From<Positive> for u32 {
    fn from(p: Positive) -> u32 {
        p.0
    }
}

/// A percentage above 0 and at most 100 (`k`, `q`).
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(try_from = "f64")]
pub struct Percentage(f64);

impl TryFrom<f64> for Percentage {
    type Error = String;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        if v > 0.0 && v <= 100.0 {
            Ok(Percentage(v))
        } else {
            Err(format!(
                "must be a percentage above 0 and at most 100, not {v}"
            ))
        }
    }
}

impl From<Percentage> for f64 {
    fn from(p: Percentage) -> f64 {
        p.0
    }
}

/// A positive percentage that may exceed 100 (`p`).
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(try_from = "f64")]
pub struct Ratio(f64);

impl TryFrom<f64> for Ratio {
    type Error = String;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        if v > 0.0 && v <= 1000.0 {
            Ok(Ratio(v))
        } else {
            Err(format!("must be above 0 and at most 1000, not {v}"))
        }
    }
}

impl From<Ratio> for f64 {
    fn from(p: Ratio) -> f64 {
        p.0
    }
}

/// Add the words a layer lists to a list, keeping the order and no word twice.
pub(crate) fn add_words(into: &mut Vec<String>, from: &Vec<String>) {
    for w in from {
        if !into.contains(w) {
            into.push(w.clone());
        }
    }
}

/// Add or replace named word lists.
pub(crate) fn add_groups(
    into: &mut BTreeMap<String, Vec<String>>,
    from: &BTreeMap<String, Vec<String>>,
) {
    for (name, words) in from {
        into.insert(name.clone(), words.clone());
    }
}

section! {
    /// `[profile]`: what the profile is and the guidance it encodes.
    pub struct Profile / ProfileLayer {
        /// Its name (the report records the name it was selected by).
        pub name: String,
        pub title: String,
        /// The guidelines it encodes.
        pub sources: Vec<String>,
    }
}

section! {
    /// `[thresholds]`: the minimum count per cell, and what else is unsafe.
    pub struct Thresholds / ThresholdsLayer {
        /// Unsafe iff `0 < n < min_count`.
        pub min_count: u32 as Positive,
        /// A zero count is unsafe too.
        pub zero_is_unsafe: bool,
        /// Minimum residual degrees of freedom of a statistical model (`low-dof`).
        pub min_residual_dof: u32 as Positive,
    }
}

section! {
    /// `[suppression]`: the markers that stand for a hidden value.
    pub struct Suppression / SuppressionLayer {
        /// Bare markers (`x`, `..`, `[REDACTED]`), matched on the whole trimmed cell, case
        /// folded; bounded markers (`<5`) are recognised for any number.
        pub markers: Vec<String>,
        /// `-` and `–` mean zero, not a hidden value.
        pub dash_means_zero: bool,
    }
}

section! {
    /// `[file_types]`: the formats that may leave, and those that never do (`file-type`).
    pub struct FileTypes / FileTypesLayer {
        pub allowed: Vec<String>,
        pub blocked: Vec<String>,
    }
}

section! {
    /// `[back_calculation]`: how narrow an interval must be to fail, and the audit's budget.
    pub struct BackCalculation / BackCalculationLayer {
        /// A suppressed cell narrowed to at most this many values, all below `min_count`, fails
        /// (B3); more values is a warning.
        pub narrow_max_values: u32 as Positive,
        /// Tables with more unknowns than this are not audited (a warning says so), to keep
        /// the work per table bounded.
        pub max_unknowns: u32 as Positive,
        /// A suppressed cell (a marker or a blank) calculated back exactly as 0 is an error when
        /// this is true, a warning (the suppression hides nothing) when false.
        pub recovered_zero_fails: bool,
    }
}

section! {
    /// `[extreme_values]`: the labels of medians, quartiles and percentiles.
    pub struct ExtremeValues / ExtremeValuesLayer {
        /// Row and column labels of medians, quartiles and percentiles.
        pub quantile: Vec<String>,
    }
}

section! {
    /// `[embedded_data]`: how `embedded-data` treats figures.
    pub struct EmbeddedData / EmbeddedDataLayer {
        /// A raster figure with no data in its metadata asks a person to look at it: as an info
        /// finding (`false`), or as a warning that makes the file need review (`true`).
        pub review_raster_figures: bool,
    }
}

section! {
    /// `[magnitude]`: the dominance and p% rules, applied by `extreme-values` only to tables that
    /// carry contributor columns beside a magnitude total.
    pub struct Magnitude / MagnitudeLayer {
        /// p% rule: unsafe when `X − x1 − x2 < (p/q)·x1`.
        pub p: f64 as Ratio,
        /// `(p,q)` prior-posterior rule: what an intruder knows beforehand, in % (100: plain p%).
        pub q: f64 as Percentage,
        /// Dominance `(n,k)`: unsafe when the `n` largest contributions exceed `k` % of the
        /// total.
        pub n: u32 as Positive,
        pub k: f64 as Percentage,
        /// Column names of the largest contribution (or its share of the total).
        pub largest: Vec<String>,
        /// Column names of the second largest contribution.
        pub second: Vec<String>,
        /// Column names of the two largest contributions together.
        pub top_two: Vec<String>,
        /// Words that make a contributor column a share of the total in % (`largest share`).
        pub share: Vec<String>,
        /// Column names of the magnitude total the contributions add up to (costs, turnover).
        pub total: Vec<String>,
    }
}

section! {
    /// `[differencing]`: which tables of a folder are compared, and the budget.
    pub struct Differencing / DifferencingLayer {
        pub enabled: bool,
        /// Tables with more cells than this are not compared.
        pub max_table_cells: u32 as Positive,
        /// At most this many cells of one folder's tables are compared, in path order.
        pub max_total_cells: u32 as Positive,
        /// Words that name the whole population (`all`, `total`, `both sexes`).
        pub all: Vec<String>,
        /// Named sub-populations and the words that name each (`men = ["men", "mænd", …]`); a
        /// layer adds groups or replaces a group's words.
        pub groups: BTreeMap<String, Vec<String>> [merge add_groups],
        /// Aligned tables whose merged system has more atoms than this are compared pairwise
        /// only.
        pub max_atoms: u32 as Positive,
    }
}
