//! The header and label words of `back-calculation`, `percent-back-calculation`, `low-dof` and
//! `group-disclosure` (`[vocabulary]` in the rules files), compiled once per run.

use std::collections::HashSet;

use crate::config::Vocabulary;
use crate::table::classify::{token_runs, tokens};

/// The compiled word sets (build once per run; `Send + Sync`).
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// Substrings of a lower-cased label of a cumulative series (`at_risk`).
    at_risk: Vec<String>,
    denominator: HashSet<String>,
    /// Person-time phrases, folded like a header's tokens and joined by spaces.
    person_time: Vec<String>,
    indicator_mean: HashSet<String>,
    indicator: HashSet<String>,
    pub(crate) mean_statistic: HashSet<String>,
    pub(crate) sum_statistic: HashSet<String>,
    mean_filler: HashSet<String>,
    mean_comparison: HashSet<String>,
    residual_df_row: Vec<Vec<String>>,
    error_row: Vec<Vec<String>>,
    df_column: Vec<Vec<String>>,
    residual_column: Vec<Vec<String>>,
    share_words: HashSet<String>,
    pair_percent: HashSet<String>,
    risk_ratio: Vec<Vec<String>>,
    odds_ratio: Vec<Vec<String>>,
    event_count: HashSet<String>,
    organisation_unit: Vec<Vec<String>>,
    unit_counted_before: Vec<Vec<String>>,
    unit_counted_after: Vec<Vec<String>>,
    person_unit: HashSet<String>,
}

fn set(list: &[String]) -> HashSet<String> {
    list.iter().cloned().collect()
}

fn phrases(list: &[String]) -> Vec<Vec<String>> {
    list.iter()
        .map(|p| {
            p.split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// The length of the phrase of `phrases` that `toks` begins with, if any (the longest).
fn phrase_at(toks: &[String], phrases: &[Vec<String>]) -> Option<usize> {
    phrases
        .iter()
        .filter(|p| toks.starts_with(p))
        .map(Vec::len)
        .max()
}

/// Whether the tokens are, in full, one of the phrases.
fn is_phrase(toks: &[String], phrases: &[Vec<String>]) -> bool {
    phrases.iter().any(|p| p.as_slice() == toks)
}

impl Words {
    pub fn new(v: &Vocabulary) -> Words {
        Words {
            at_risk: v.at_risk.iter().map(|w| w.to_lowercase()).collect(),
            denominator: set(&v.denominator),
            person_time: v.person_time.iter().map(|w| tokens(w).join(" ")).collect(),
            indicator_mean: set(&v.indicator_mean),
            indicator: set(&v.indicator),
            mean_statistic: set(&v.mean_statistic),
            sum_statistic: set(&v.sum_statistic),
            mean_filler: set(&v.mean_filler),
            mean_comparison: set(&v.mean_comparison),
            residual_df_row: phrases(&v.residual_df_row),
            error_row: phrases(&v.error_row),
            df_column: phrases(&v.df_column),
            residual_column: phrases(&v.residual_column),
            share_words: set(&v.share_words),
            pair_percent: set(&v.pair_percent),
            risk_ratio: token_runs(&v.risk_ratio),
            odds_ratio: token_runs(&v.odds_ratio),
            event_count: v.event_count.iter().flat_map(|w| tokens(w)).collect(),
            organisation_unit: token_runs(&v.organisation_unit),
            unit_counted_before: token_runs(&v.unit_counted_before),
            unit_counted_after: token_runs(&v.unit_counted_after),
            person_unit: v.person_unit.iter().flat_map(|w| tokens(w)).collect(),
        }
    }

    /// The organisations a table's title says it counts (`Number of care homes per MSOA`,
    /// `Missingness in care home characteristics`), as the title's words name them; `None` when
    /// no line names one so, or when a line names persons (`residents`) as well.
    pub(crate) fn organisation_counted(&self, title: &[String]) -> Option<String> {
        let mut found = None;
        for line in title {
            let toks = tokens(line);
            if toks.iter().any(|t| self.person_unit.contains(t)) {
                return None;
            }
            for i in 0..toks.len() {
                let Some(len) = phrase_at(&toks[i..], &self.organisation_unit) else {
                    continue;
                };
                let before = (0..i).any(|j| {
                    phrase_at(&toks[j..], &self.unit_counted_before).is_some_and(|l| j + l == i)
                });
                let after = phrase_at(&toks[i + len..], &self.unit_counted_after).is_some();
                if (before || after) && found.is_none() {
                    found = Some(toks[i..i + len].join(" "));
                }
            }
        }
        found
    }

    /// Whether a label names a cumulative series whose steps are derived counts (the number at
    /// risk of a survival table, cumulative counts).
    pub(crate) fn is_at_risk(&self, label: &str) -> bool {
        let l = label.to_lowercase();
        self.at_risk.iter().any(|w| l.contains(w.as_str()))
    }

    /// What ratio of two groups a header names: `Some(false)` a risk or rate ratio (`RR`,
    /// `IRR (95% CI)`), `Some(true)` an odds ratio, `None` neither. The header is the phrase, or
    /// begins with it.
    pub(crate) fn group_ratio(&self, header: &str) -> Option<bool> {
        let toks = tokens(header);
        let starts = |phrases: &[Vec<String>]| phrases.iter().any(|p| toks.starts_with(p));
        if starts(&self.risk_ratio) {
            Some(false)
        } else if starts(&self.odds_ratio) {
            Some(true)
        } else {
            None
        }
    }

    /// Whether a header token names events (`events`, `cases`, `deaths`).
    pub(crate) fn is_event_token(&self, token: &str) -> bool {
        self.event_count.contains(token)
    }

    /// Whether a header token is a group size's word (`n`, `total`, `antal`).
    pub(crate) fn is_denominator_token(&self, token: &str) -> bool {
        self.denominator.contains(token)
    }

    /// Whether a header is, as a whole, an n column's (`N`, `Total`, `Antal`).
    pub(crate) fn is_n_column(&self, header: &str) -> bool {
        let toks = tokens(header);
        matches!(toks.as_slice(), [t] if self.denominator.contains(t))
    }

    /// Whether a header names person-time or a population: the whole header, a run of its tokens
    /// at its start or end or within, or one of its tokens.
    pub(crate) fn is_person_time(&self, header: &str) -> bool {
        let toks = tokens(header);
        let joined = toks.join(" ");
        self.person_time.iter().any(|w| {
            joined == *w
                || joined.contains(&format!("{w} "))
                || joined.ends_with(&format!(" {w}"))
                || toks.contains(w)
        })
    }

    /// Whether the header names the mean of a 0/1 indicator: a proportion under another name.
    pub(crate) fn is_indicator_mean(&self, header: &str) -> bool {
        let toks = tokens(header);
        let has = |w: &HashSet<String>| toks.iter().any(|t| w.contains(t));
        has(&self.indicator_mean) && has(&self.indicator)
    }

    /// Whether a token names neither the variable nor the statistic of a mean or sum header.
    pub(crate) fn is_filler(&self, token: &str) -> bool {
        self.mean_filler.contains(token)
    }

    /// Whether a token makes a mean header a comparison of groups (`Mean difference`).
    pub(crate) fn is_comparison(&self, token: &str) -> bool {
        self.mean_comparison.contains(token)
    }

    /// Whether a row label (as tokens) names a residual degrees of freedom.
    pub(crate) fn names_residual_df(&self, toks: &[String]) -> bool {
        is_phrase(toks, &self.residual_df_row)
    }

    /// Whether a row label (as tokens) names the error line of an ANOVA table.
    pub(crate) fn names_error_row(&self, toks: &[String]) -> bool {
        is_phrase(toks, &self.error_row)
    }

    /// Whether a column header (as tokens) names degrees of freedom.
    pub(crate) fn names_df(&self, toks: &[String]) -> bool {
        is_phrase(toks, &self.df_column)
    }

    /// Whether a column header (as tokens) names residuals.
    pub(crate) fn names_residual_column(&self, toks: &[String]) -> bool {
        is_phrase(toks, &self.residual_column)
    }

    /// Whether a header token of a share column says it is a share (`percent`, `andel`).
    pub(crate) fn is_share_word(&self, token: &str) -> bool {
        self.share_words.contains(token)
    }

    /// Whether the header of the second column of a count/percentage pair says it holds
    /// percentages: a `%`, or a token of `pair_percent`.
    pub(crate) fn names_percent(&self, name: &str) -> bool {
        name.contains('%') || tokens(name).iter().any(|t| self.pair_percent.contains(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Rules;

    fn counted(title: &[&str]) -> Option<String> {
        let words = Words::new(&Rules::default_rules().vocabulary);
        let title: Vec<String> = title.iter().map(|s| s.to_string()).collect();
        words.organisation_counted(&title)
    }

    #[test]
    fn a_title_that_counts_organisations_names_them() {
        assert_eq!(
            counted(&["Summary: number of care homes per MSOA"]).as_deref(),
            Some("care homes")
        );
        assert_eq!(
            counted(&["[1] \"Missingness in GP practice characteristics:\""]).as_deref(),
            Some("gp practice")
        );
        assert_eq!(
            counted(&["Antal plejehjem efter region"]).as_deref(),
            Some("plejehjem")
        );
    }

    #[test]
    fn persons_or_no_counting_word_keep_the_count_a_persons_count() {
        // Persons named anywhere in the title: they are what is counted.
        assert_eq!(counted(&["Number of residents by care home type"]), None);
        assert_eq!(
            counted(&["Number of care homes", "patients by region"]),
            None
        );
        // An organisation named without saying it is what is counted.
        assert_eq!(counted(&["Admissions from care homes"]), None);
        assert_eq!(counted(&["Vaccinations by practice"]), None);
        assert_eq!(counted(&[]), None);
    }
}
