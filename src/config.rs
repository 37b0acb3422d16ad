//! Rules as data: the embedded profiles in `rules/*.toml`, a user's `--rules FILE` on top, and
//! `--threshold` last. The effective rules carry a sha256 that the report records.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::digest::hex;

/// The embedded rule files: `default` first, then the profiles.
pub const PROFILES: &[(&str, &str)] = &[
    ("default", include_str!("../rules/default.toml")),
    ("be", include_str!("../rules/be.toml")),
    ("dk", include_str!("../rules/dk.toml")),
    ("fi", include_str!("../rules/fi.toml")),
    ("uk", include_str!("../rules/uk.toml")),
];

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("unknown profile '{name}' (available: {available})")]
    UnknownProfile { name: String, available: String },
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("cannot read rules file {file}: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

// ---------------------------------------------------------------------------------------------
// The file format: every key optional, unknown keys rejected.

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    profile: Option<ProfileSection>,
    thresholds: Option<ThresholdsSection>,
    suppression: Option<SuppressionSection>,
    file_types: Option<FileTypesSection>,
    vocabulary: Option<VocabularySection>,
    back_calculation: Option<BackCalculationSection>,
    extreme_values: Option<ExtremeValuesSection>,
    differencing: Option<DifferencingSection>,
    /// `[[link]]`: relations between tables that only a person can know (spec §3.9.5).
    #[serde(default)]
    link: Vec<toml::Spanned<LinkEntry>>,
    magnitude: Option<MagnitudeSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackCalculationSection {
    narrow_max_values: Option<Positive>,
    max_unknowns: Option<Positive>,
    recovered_zero_fails: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileSection {
    name: Option<String>,
    title: Option<String>,
    sources: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdsSection {
    min_count: Option<Positive>,
    zero_is_unsafe: Option<bool>,
    min_residual_dof: Option<Positive>,
}

/// A whole number of at least 1, so that a bad value is reported at its line.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(try_from = "i64")]
struct Positive(u32);

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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuppressionSection {
    markers: Option<Vec<String>>,
    dash_means_zero: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTypesSection {
    allowed: Option<Vec<String>>,
    blocked: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularySection {
    count: Option<Vec<String>>,
    percent: Option<Vec<String>>,
    rate: Option<Vec<String>>,
    estimate: Option<Vec<String>>,
    extreme: Option<Vec<String>>,
    label: Option<Vec<String>>,
    total: Option<Vec<String>>,
    person_key: Option<Vec<String>>,
    provider_key: Option<Vec<String>>,
    birth_date: Option<Vec<String>>,
    event_date: Option<Vec<String>>,
    sex: Option<Vec<String>>,
    age: Option<Vec<String>>,
    geography: Option<Vec<String>>,
    origin: Option<Vec<String>>,
    diagnosis: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtremeValuesSection {
    quantile: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DifferencingSection {
    enabled: Option<bool>,
    max_table_cells: Option<Positive>,
    max_total_cells: Option<Positive>,
    all: Option<Vec<String>>,
    groups: Option<std::collections::BTreeMap<String, Vec<String>>>,
    max_atoms: Option<Positive>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkEntry {
    kind: LinkKind,
    tables: Option<Vec<String>>,
    cells: Option<Vec<String>>,
    dimension: Option<String>,
}

/// `[magnitude]`: the dominance and p% rules for tables that carry contributor columns.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MagnitudeSection {
    p: Option<Ratio>,
    q: Option<Percentage>,
    n: Option<Positive>,
    k: Option<Percentage>,
    largest: Option<Vec<String>>,
    second: Option<Vec<String>>,
    top_two: Option<Vec<String>>,
    share: Option<Vec<String>>,
    total: Option<Vec<String>>,
}

/// A percentage above 0 and at most 100 (`k`, `q`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(try_from = "f64")]
struct Percentage(f64);

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

/// A positive percentage that may exceed 100 (`p`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(try_from = "f64")]
struct Ratio(f64);

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

/// Options of the magnitude rules (dominance `(n,k)`, p% and `(p,q)`), applied by
/// `extreme-values` only to tables that carry contributor columns beside a magnitude total.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Magnitude {
    /// p% rule: unsafe when `X − x1 − x2 < (p/q)·x1`.
    pub p: f64,
    /// `(p,q)` prior-posterior rule: what an intruder knows beforehand, in % (100: plain p%).
    pub q: f64,
    /// Dominance `(n,k)`: unsafe when the `n` largest contributions exceed `k` % of the total.
    pub n: u32,
    pub k: f64,
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

impl Default for Magnitude {
    fn default() -> Self {
        Magnitude {
            p: 10.0,
            q: 100.0,
            n: 1,
            k: 85.0,
            largest: Vec::new(),
            second: Vec::new(),
            top_two: Vec::new(),
            share: Vec::new(),
            total: Vec::new(),
        }
    }
}

impl Magnitude {
    fn apply(&mut self, m: &MagnitudeSection) {
        if let Some(v) = m.p {
            self.p = v.0;
        }
        if let Some(v) = m.q {
            self.q = v.0;
        }
        if let Some(v) = m.n {
            self.n = v.0;
        }
        if let Some(v) = m.k {
            self.k = v.0;
        }
        for (into, from) in [
            (&mut self.largest, &m.largest),
            (&mut self.second, &m.second),
            (&mut self.top_two, &m.top_two),
            (&mut self.share, &m.share),
            (&mut self.total, &m.total),
        ] {
            if let Some(words) = from {
                *into = words.clone();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The effective rules.

/// Options of the cross-file `differencing` rule.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Differencing {
    pub enabled: bool,
    /// Tables with more cells than this are not compared.
    pub max_table_cells: u32,
    /// At most this many cells of one folder's tables are compared, in path order.
    pub max_total_cells: u32,
    /// Words that name the whole population (`all`, `total`, `both sexes`).
    pub all: Vec<String>,
    /// Named sub-populations and the words that name each (`men = ["men", "mænd", …]`).
    pub groups: std::collections::BTreeMap<String, Vec<String>>,
    /// Aligned tables whose merged system has more atoms than this are compared pairwise only.
    pub max_atoms: u32,
}

/// What a user-declared `[[link]]` says.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The first table's population contains the second's, cell by cell (`ED ⊇ OA`).
    Contains,
    /// Two cells of different tables count the same population.
    EqualPopulation,
}

/// A table named in a link: `path` relative to the checked folder (`/` separators), and
/// optionally `#N`, the table's number within its file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TableRef {
    pub path: String,
    pub table: Option<u32>,
}

/// A cell named in a link: `path[#N]:row label[/column]`. `cell` is the text after the colon;
/// the split between row and column is decided against the table (a label may hold a `/`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CellRef {
    pub table: TableRef,
    pub cell: String,
}

/// A user-declared relation between tables (`[[link]]` in a rules file or profile).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    /// `contains`: the containing table, then the contained one. `equal_population`: empty.
    pub tables: Vec<TableRef>,
    /// `equal_population`: the two cells. `contains`: empty.
    pub cells: Vec<CellRef>,
    /// The dimension along which a `contains` link nests (`area`), for messages.
    pub dimension: Option<String>,
    /// Where it was declared, for messages: `rules.toml, link 2`.
    pub origin: String,
}

impl TableRef {
    /// Parses `path` or `path#N`.
    pub fn parse(text: &str) -> Result<TableRef, String> {
        let text = text.trim();
        let (path, table) = match text.rsplit_once('#') {
            Some((p, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                let n: u32 =
                    n.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                        format!("'{text}': the table number after '#' counts from 1")
                    })?;
                (p, Some(n))
            }
            _ => (text, None),
        };
        if path.is_empty() {
            return Err(format!("'{text}': the file path is empty"));
        }
        if path.starts_with('/')
            || path.contains('\\')
            || path.split('/').any(|c| c == ".." || c.is_empty())
        {
            return Err(format!(
                "'{text}': the path must be relative to the checked folder, with '/' separators and no '..'"
            ));
        }
        Ok(TableRef {
            path: path.strip_prefix("./").unwrap_or(path).to_string(),
            table,
        })
    }
}

impl CellRef {
    /// Parses `path[#N]:row label[/column]`.
    pub fn parse(text: &str) -> Result<CellRef, String> {
        let Some((table, cell)) = text.split_once(':') else {
            return Err(format!(
                "'{text}': a cell is written 'file.csv:row label' or 'file.csv:row label/column'"
            ));
        };
        let table = TableRef::parse(table)?;
        let cell = cell.trim();
        if cell.is_empty() || cell.starts_with('/') {
            return Err(format!("'{text}': the row label is empty"));
        }
        if cell.ends_with('/') {
            return Err(format!("'{text}': the column after '/' is empty"));
        }
        Ok(CellRef {
            table,
            cell: cell.to_string(),
        })
    }
}

impl LinkEntry {
    fn validate(&self, origin: &str) -> Result<Link, String> {
        let mut link = Link {
            kind: self.kind,
            tables: Vec::new(),
            cells: Vec::new(),
            dimension: self.dimension.clone(),
            origin: origin.to_string(),
        };
        match self.kind {
            LinkKind::Contains => {
                if self.cells.is_some() {
                    return Err("kind = \"contains\" takes `tables`, not `cells`".into());
                }
                let tables = self.tables.as_deref().unwrap_or_default();
                if tables.len() != 2 {
                    return Err(format!(
                        "kind = \"contains\" needs `tables` with exactly two files, the containing one first (found {})",
                        tables.len()
                    ));
                }
                for t in tables {
                    link.tables.push(TableRef::parse(t)?);
                }
                if link.tables[0] == link.tables[1] {
                    return Err("`tables` names the same table twice".into());
                }
                if self
                    .dimension
                    .as_deref()
                    .is_some_and(|d| d.trim().is_empty())
                {
                    return Err("`dimension` is empty".into());
                }
            }
            LinkKind::EqualPopulation => {
                if self.tables.is_some() || self.dimension.is_some() {
                    return Err(
                        "kind = \"equal_population\" takes `cells`, not `tables` or `dimension`"
                            .into(),
                    );
                }
                let cells = self.cells.as_deref().unwrap_or_default();
                if cells.len() != 2 {
                    return Err(format!(
                        "kind = \"equal_population\" needs `cells` with exactly two cells (found {})",
                        cells.len()
                    ));
                }
                for c in cells {
                    link.cells.push(CellRef::parse(c)?);
                }
                if link.cells[0] == link.cells[1] {
                    return Err("`cells` names the same cell twice".into());
                }
            }
        }
        Ok(link)
    }
}

/// Header words per kind of column, and the words of totals.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Vocabulary {
    pub count: Vec<String>,
    pub percent: Vec<String>,
    pub rate: Vec<String>,
    pub estimate: Vec<String>,
    pub extreme: Vec<String>,
    pub label: Vec<String>,
    pub total: Vec<String>,
    /// Column names of person keys: national IDs and pseudonymised person numbers.
    pub person_key: Vec<String>,
    /// Column names of provider numbers (GPs, practices), which identify a person too.
    pub provider_key: Vec<String>,
    /// Quasi-identifier column names, by the kind a `micro-data` finding reports.
    pub birth_date: Vec<String>,
    pub event_date: Vec<String>,
    pub sex: Vec<String>,
    pub age: Vec<String>,
    pub geography: Vec<String>,
    pub origin: Vec<String>,
    pub diagnosis: Vec<String>,
}

/// The rules in force for one run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rules {
    pub profile: String,
    pub title: String,
    pub sources: Vec<String>,
    /// Unsafe iff `0 < n < min_count`.
    pub min_count: u32,
    pub zero_is_unsafe: bool,
    pub min_residual_dof: u32,
    pub markers: Vec<String>,
    pub dash_means_zero: bool,
    pub allowed: Vec<String>,
    pub blocked: Vec<String>,
    pub vocabulary: Vocabulary,
    /// `back-calculation`: a suppressed cell narrowed to at most this many values, all below
    /// `min_count`, fails (B3); more values is a warning.
    pub narrow_max_values: u32,
    /// `back-calculation`: tables with more unknowns than this are not audited (an info finding
    /// says so), to keep the work per table bounded.
    pub max_unknowns: u32,
    /// `back-calculation`: a suppressed cell (a marker or a blank) calculated back exactly as 0
    /// is an error when this is true, a warning (the suppression hides nothing) when false.
    pub recovered_zero_fails: bool,
    /// Row and column labels of medians, quartiles and percentiles (`extreme-values`).
    pub quantile: Vec<String>,
    pub differencing: Differencing,
    /// User-declared links between tables (`[[link]]`), from every layer in order.
    pub links: Vec<Link>,
    /// `[magnitude]`: dominance and p% rules for tables with contributor columns.
    pub magnitude: Magnitude,
    /// The rules files applied, in order (`profile:default`, `profile:dk`, a user's path).
    pub layers: Vec<String>,
    /// When set, only these rules run (a rule's own tests check it alone). Not part of a rules
    /// file.
    #[serde(skip)]
    pub only: Option<Vec<String>>,
}

impl Rules {
    /// The embedded `default` rules alone.
    pub fn default_rules() -> Rules {
        Rules::load("default", None, None).unwrap_or_else(|e| {
            // The embedded files are checked by tests; this cannot fail in a released build.
            panic!("embedded rules are invalid: {e}")
        })
    }

    /// `default`, then the named profile, then a user's file, then a threshold override.
    pub fn load(
        profile: &str,
        user_file: Option<&Path>,
        threshold: Option<u32>,
    ) -> Result<Rules, ConfigError> {
        let mut rules = Rules {
            profile: String::new(),
            title: String::new(),
            sources: Vec::new(),
            min_count: 5,
            zero_is_unsafe: false,
            min_residual_dof: 10,
            markers: Vec::new(),
            dash_means_zero: false,
            allowed: Vec::new(),
            blocked: Vec::new(),
            vocabulary: Vocabulary::default(),
            narrow_max_values: 2,
            max_unknowns: 5_000,
            recovered_zero_fails: false,
            quantile: Vec::new(),
            differencing: Differencing::default(),
            links: Vec::new(),
            magnitude: Magnitude::default(),
            layers: Vec::new(),
            only: None,
        };
        let default_text = embedded("default").ok_or_else(|| ConfigError::UnknownProfile {
            name: "default".into(),
            available: available(),
        })?;
        rules.apply_layer(
            &parse("rules/default.toml", default_text)?,
            ("rules/default.toml", default_text),
            "profile:default",
        )?;
        if profile != "default" {
            let text = embedded(profile).ok_or_else(|| ConfigError::UnknownProfile {
                name: profile.to_string(),
                available: available(),
            })?;
            let file = format!("rules/{profile}.toml");
            rules.apply_layer(
                &parse(&file, text)?,
                (&file, text),
                &format!("profile:{profile}"),
            )?;
        }
        if let Some(path) = user_file {
            let text = fs::read_to_string(path).map_err(|source| ConfigError::Io {
                file: path.to_path_buf(),
                source,
            })?;
            let shown = path.display().to_string();
            rules.apply_layer(&parse(&shown, &text)?, (&shown, &text), &shown)?;
        }
        if let Some(t) = threshold {
            if t == 0 {
                return Err(ConfigError::Invalid {
                    file: "--threshold".into(),
                    message: "the threshold must be at least 1".into(),
                });
            }
            rules.min_count = t;
            rules.layers.push(format!("--threshold {t}"));
        }
        rules.profile = profile.to_string();
        Ok(rules)
    }

    /// Checks and adds a layer's links, then applies the rest of it.
    fn apply_layer(
        &mut self,
        file: &RulesFile,
        (name, text): (&str, &str),
        layer: &str,
    ) -> Result<(), ConfigError> {
        for (i, entry) in file.link.iter().enumerate() {
            let origin = format!("{name}, link {}", i + 1);
            let link = entry.get_ref().validate(&origin).map_err(|message| {
                let (line, column) = line_col(text, entry.span().start);
                ConfigError::Parse {
                    file: name.to_string(),
                    line,
                    column,
                    message: format!("[[link]] {}: {message}", i + 1),
                }
            })?;
            self.links.push(link);
        }
        self.apply(file, layer);
        Ok(())
    }

    fn apply(&mut self, file: &RulesFile, layer: &str) {
        if let Some(p) = &file.profile {
            if let Some(n) = &p.name {
                self.profile = n.clone();
            }
            if let Some(t) = &p.title {
                self.title = t.clone();
            }
            if let Some(s) = &p.sources {
                self.sources = s.clone();
            }
        }
        if let Some(t) = &file.thresholds {
            if let Some(v) = t.min_count {
                self.min_count = v.0;
            }
            if let Some(v) = t.zero_is_unsafe {
                self.zero_is_unsafe = v;
            }
            if let Some(v) = t.min_residual_dof {
                self.min_residual_dof = v.0;
            }
        }
        if let Some(s) = &file.suppression {
            if let Some(m) = &s.markers {
                self.markers = m.clone();
            }
            if let Some(d) = s.dash_means_zero {
                self.dash_means_zero = d;
            }
        }
        if let Some(f) = &file.file_types {
            if let Some(a) = &f.allowed {
                self.allowed = a.clone();
            }
            if let Some(b) = &f.blocked {
                self.blocked = b.clone();
            }
        }
        if let Some(v) = &file.vocabulary {
            let add = |into: &mut Vec<String>, from: &Option<Vec<String>>| {
                for w in from.iter().flatten() {
                    if !into.contains(w) {
                        into.push(w.clone());
                    }
                }
            };
            add(&mut self.vocabulary.count, &v.count);
            add(&mut self.vocabulary.percent, &v.percent);
            add(&mut self.vocabulary.rate, &v.rate);
            add(&mut self.vocabulary.estimate, &v.estimate);
            add(&mut self.vocabulary.extreme, &v.extreme);
            add(&mut self.vocabulary.label, &v.label);
            add(&mut self.vocabulary.total, &v.total);
            add(&mut self.vocabulary.person_key, &v.person_key);
            add(&mut self.vocabulary.provider_key, &v.provider_key);
            add(&mut self.vocabulary.birth_date, &v.birth_date);
            add(&mut self.vocabulary.event_date, &v.event_date);
            add(&mut self.vocabulary.sex, &v.sex);
            add(&mut self.vocabulary.age, &v.age);
            add(&mut self.vocabulary.geography, &v.geography);
            add(&mut self.vocabulary.origin, &v.origin);
            add(&mut self.vocabulary.diagnosis, &v.diagnosis);
        }
        if let Some(b) = &file.back_calculation {
            if let Some(v) = b.narrow_max_values {
                self.narrow_max_values = v.0;
            }
            if let Some(v) = b.max_unknowns {
                self.max_unknowns = v.0;
            }
            if let Some(v) = b.recovered_zero_fails {
                self.recovered_zero_fails = v;
            }
        }
        if let Some(e) = &file.extreme_values {
            if let Some(q) = &e.quantile {
                self.quantile = q.clone();
            }
        }
        if let Some(d) = &file.differencing {
            if let Some(v) = d.enabled {
                self.differencing.enabled = v;
            }
            if let Some(v) = d.max_table_cells {
                self.differencing.max_table_cells = v.0;
            }
            if let Some(v) = d.max_total_cells {
                self.differencing.max_total_cells = v.0;
            }
            if let Some(v) = &d.all {
                self.differencing.all = v.clone();
            }
            if let Some(v) = d.max_atoms {
                self.differencing.max_atoms = v.0;
            }
            for (name, words) in d.groups.iter().flatten() {
                self.differencing.groups.insert(name.clone(), words.clone());
            }
        }
        if let Some(m) = &file.magnitude {
            self.magnitude.apply(m);
        }
        self.layers.push(layer.to_string());
    }

    /// These rules with only the rule `id` running.
    pub fn for_rule(mut self, id: &str) -> Rules {
        self.only = Some(vec![id.to_string()]);
        self
    }

    /// Whether the rule `id` runs.
    pub fn runs(&self, id: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| only.iter().any(|o| o == id))
    }

    /// sha256 of the effective rules, as recorded in the report.
    pub fn sha256(&self) -> String {
        let mut canonical = self.clone();
        // The layer names say where rules came from, not what they are.
        canonical.layers.clear();
        let json = serde_json::to_vec(&canonical).unwrap_or_default();
        hex(&Sha256::digest(&json))
    }

    /// Whether a detected format may leave under these rules: `Some(true)` allowed,
    /// `Some(false)` blocked, `None` not listed.
    pub fn format_policy(&self, format: &str) -> Option<bool> {
        if self.blocked.iter().any(|b| b == format) {
            Some(false)
        } else if self.allowed.iter().any(|a| a == format) {
            Some(true)
        } else {
            None
        }
    }
}

/// The names of the embedded profiles.
pub fn available() -> String {
    PROFILES
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

fn embedded(name: &str) -> Option<&'static str> {
    PROFILES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

fn parse(file: &str, text: &str) -> Result<RulesFile, ConfigError> {
    toml::from_str::<RulesFile>(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => line_col(text, span.start),
            None => (1, 1),
        };
        ConfigError::Parse {
            file: file.to_string(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn every_embedded_profile_loads() {
        for (name, _) in PROFILES {
            let r = Rules::load(name, None, None).expect(name);
            assert!(r.min_count >= 1, "{name}");
            assert!(!r.sources.is_empty(), "{name} cites no source");
            assert!(!r.markers.is_empty(), "{name}");
            assert!(!r.vocabulary.count.is_empty(), "{name}");
        }
    }

    #[test]
    fn profiles_set_their_thresholds() {
        assert_eq!(Rules::load("uk", None, None).unwrap().min_count, 10);
        assert_eq!(Rules::load("dk", None, None).unwrap().min_count, 5);
        assert!(Rules::load("dk", None, None)
            .unwrap()
            .markers
            .iter()
            .any(|m| m == "n<5"));
        assert_eq!(Rules::load("dk", None, Some(3)).unwrap().min_count, 3);
    }

    #[test]
    fn sha_differs_between_profiles_and_is_stable() {
        let a = Rules::load("default", None, None).unwrap();
        let b = Rules::load("uk", None, None).unwrap();
        assert_ne!(a.sha256(), b.sha256());
        assert_eq!(
            a.sha256(),
            Rules::load("default", None, None).unwrap().sha256()
        );
        assert_eq!(a.sha256().len(), 64);
    }

    #[test]
    fn unknown_profile_is_an_error() {
        let e = Rules::load("xx", None, None).unwrap_err();
        assert!(e.to_string().contains("unknown profile 'xx'"), "{e}");
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "[thresholds]\nmin_count = 7\n\n[thresholds2]\nx = 1").unwrap();
        let e = Rules::load("default", Some(f.path()), None).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(":4:"), "{msg}");
        assert!(msg.contains("thresholds2"), "{msg}");
    }

    #[test]
    fn bad_value_names_line() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "[thresholds]\nzero_is_unsafe = false\nmin_count = 0").unwrap();
        let msg = Rules::load("default", Some(f.path()), None)
            .unwrap_err()
            .to_string();
        assert!(msg.contains(":3:"), "{msg}");
        assert!(msg.contains("from 1"), "{msg}");
    }

    #[test]
    fn magnitude_section_is_typed() {
        let r = Rules::default_rules();
        assert_eq!(
            (r.magnitude.p, r.magnitude.n, r.magnitude.k),
            (10.0, 1, 85.0)
        );
        assert!(!r.magnitude.largest.is_empty());
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "[magnitude]\np = 15\nn = 2\nk = 90.5").unwrap();
        let r = Rules::load("default", Some(f.path()), None).unwrap();
        assert_eq!(
            (r.magnitude.p, r.magnitude.n, r.magnitude.k),
            (15.0, 2, 90.5)
        );
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "[magnitude]\np = 10\nkk = 90").unwrap();
        let msg = Rules::load("default", Some(f.path()), None)
            .unwrap_err()
            .to_string();
        assert!(msg.contains(":3:") && msg.contains("kk"), "{msg}");
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "[magnitude]\nk = 120").unwrap();
        let msg = Rules::load("default", Some(f.path()), None)
            .unwrap_err()
            .to_string();
        assert!(msg.contains(":2:") && msg.contains("at most 100"), "{msg}");
    }

    #[test]
    fn user_file_overrides_and_adds_words() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(
            f,
            "[thresholds]\nmin_count = 11\n[vocabulary]\ncount = [\"hoveder\"]"
        )
        .unwrap();
        let r = Rules::load("dk", Some(f.path()), None).unwrap();
        assert_eq!(r.min_count, 11);
        assert!(r.vocabulary.count.iter().any(|w| w == "hoveder"));
        assert!(r.vocabulary.count.iter().any(|w| w == "antal"));
        assert_eq!(r.layers.len(), 3);
    }
}
