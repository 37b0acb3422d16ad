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
    ("default", include_str!("../../rules/default.toml")),
    ("be", include_str!("../../rules/be.toml")),
    ("dk", include_str!("../../rules/dk.toml")),
    ("fi", include_str!("../../rules/fi.toml")),
    ("uk", include_str!("../../rules/uk.toml")),
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

mod links;
mod sections;
mod vocabulary;

pub use links::{CellRef, Link, LinkKind, TableRef};
pub use sections::{
    BackCalculation, Differencing, EmbeddedData, ExtremeValues, FileTypes, Magnitude, Profile,
    Suppression, Thresholds,
};
pub use vocabulary::Vocabulary;

use links::LinkEntry;
use sections::{
    BackCalculationLayer, DifferencingLayer, EmbeddedDataLayer, ExtremeValuesLayer, FileTypesLayer,
    MagnitudeLayer, ProfileLayer, SuppressionLayer, ThresholdsLayer,
};
use vocabulary::VocabularyLayer;

/// One rules file: every section optional, unknown sections and keys rejected.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    profile: Option<ProfileLayer>,
    thresholds: Option<ThresholdsLayer>,
    suppression: Option<SuppressionLayer>,
    file_types: Option<FileTypesLayer>,
    vocabulary: Option<VocabularyLayer>,
    back_calculation: Option<BackCalculationLayer>,
    extreme_values: Option<ExtremeValuesLayer>,
    differencing: Option<DifferencingLayer>,
    magnitude: Option<MagnitudeLayer>,
    embedded_data: Option<EmbeddedDataLayer>,
    /// `[[link]]`: relations between tables that only a person can know (`docs/tables.md`
    /// §8.7).
    #[serde(default, skip_serializing)]
    link: Vec<toml::Spanned<LinkEntry>>,
}

/// The rules in force for one run: `rules/default.toml`, then the profile, then a user's file,
/// then `--threshold`. Every section's values come from those files; none are written in code.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Rules {
    pub profile: Profile,
    pub thresholds: Thresholds,
    pub suppression: Suppression,
    pub file_types: FileTypes,
    pub vocabulary: Vocabulary,
    pub back_calculation: BackCalculation,
    pub extreme_values: ExtremeValues,
    pub differencing: Differencing,
    pub magnitude: Magnitude,
    pub embedded_data: EmbeddedData,
    /// User-declared links between tables (`[[link]]`), from every layer in order.
    pub links: Vec<Link>,
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
        let mut rules = Rules::default();
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
            rules.thresholds.min_count = t;
            rules.layers.push(format!("--threshold {t}"));
        }
        rules.profile.name = profile.to_string();
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
        fn update<S, L>(section: &mut S, layer: &Option<L>, apply: fn(&mut S, &L)) {
            if let Some(l) = layer {
                apply(section, l);
            }
        }
        update(&mut self.profile, &file.profile, Profile::update);
        update(&mut self.thresholds, &file.thresholds, Thresholds::update);
        update(
            &mut self.suppression,
            &file.suppression,
            Suppression::update,
        );
        update(&mut self.file_types, &file.file_types, FileTypes::update);
        update(&mut self.vocabulary, &file.vocabulary, Vocabulary::update);
        update(
            &mut self.back_calculation,
            &file.back_calculation,
            BackCalculation::update,
        );
        update(
            &mut self.extreme_values,
            &file.extreme_values,
            ExtremeValues::update,
        );
        update(
            &mut self.differencing,
            &file.differencing,
            Differencing::update,
        );
        update(&mut self.magnitude, &file.magnitude, Magnitude::update);
        update(
            &mut self.embedded_data,
            &file.embedded_data,
            EmbeddedData::update,
        );
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
        if self.file_types.blocked.iter().any(|b| b == format) {
            Some(false)
        } else if self.file_types.allowed.iter().any(|a| a == format) {
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
    fn the_default_rules_set_every_key_of_every_section() {
        // Defaults live only in rules/default.toml: every key of every section is set there.
        let file = parse("rules/default.toml", PROFILES[0].1).unwrap();
        let value = serde_json::to_value(&file).unwrap();
        let mut unset = Vec::new();
        for (section, keys) in value.as_object().unwrap() {
            match keys.as_object() {
                Some(keys) => unset.extend(
                    keys.iter()
                        .filter(|(_, v)| v.is_null())
                        .map(|(k, _)| format!("[{section}] {k}")),
                ),
                None => unset.push(format!("[{section}]")),
            }
        }
        assert!(
            unset.is_empty(),
            "rules/default.toml does not set {unset:?}"
        );
    }

    #[test]
    fn every_embedded_profile_loads() {
        for (name, _) in PROFILES {
            let r = Rules::load(name, None, None).expect(name);
            assert!(r.thresholds.min_count >= 1, "{name}");
            assert!(!r.profile.sources.is_empty(), "{name} cites no source");
            assert!(!r.suppression.markers.is_empty(), "{name}");
            assert!(!r.vocabulary.count.is_empty(), "{name}");
        }
    }

    #[test]
    fn profiles_set_their_thresholds() {
        assert_eq!(
            Rules::load("uk", None, None).unwrap().thresholds.min_count,
            10
        );
        assert_eq!(
            Rules::load("dk", None, None).unwrap().thresholds.min_count,
            5
        );
        assert!(Rules::load("dk", None, None)
            .unwrap()
            .suppression
            .markers
            .iter()
            .any(|m| m == "n<5"));
        assert_eq!(
            Rules::load("dk", None, Some(3))
                .unwrap()
                .thresholds
                .min_count,
            3
        );
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
        assert_eq!(r.thresholds.min_count, 11);
        assert!(r.vocabulary.count.iter().any(|w| w == "hoveder"));
        assert!(r.vocabulary.count.iter().any(|w| w == "antal"));
        assert_eq!(r.layers.len(), 3);
    }
}
