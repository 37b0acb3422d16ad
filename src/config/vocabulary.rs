//! `[vocabulary]`: the words that say what a column or row holds, the words of totals, and the
//! column names of person keys and quasi-identifiers. A layer's words are added to the words
//! below it, never replace them.

use serde::{Deserialize, Serialize};

use super::sections::{add_words, section};

section! {
    /// Header words per kind of column, the words of totals, and the column names of person keys
    /// and quasi-identifiers.
    pub struct Vocabulary / VocabularyLayer {
        pub count: Vec<String> [merge add_words],
        pub percent: Vec<String> [merge add_words],
        pub rate: Vec<String> [merge add_words],
        pub estimate: Vec<String> [merge add_words],
        pub extreme: Vec<String> [merge add_words],
        pub label: Vec<String> [merge add_words],
        pub total: Vec<String> [merge add_words],
        /// Column names of person keys: national IDs and pseudonymised person numbers.
        pub person_key: Vec<String> [merge add_words],
        /// Person-key words that name a key only as the whole column name, never as its last
        /// part (`n_patient` is a count).
        pub person_key_whole_name_only: Vec<String> [merge add_words],
        /// Column names of provider numbers (GPs, practices), which identify a person too.
        pub provider_key: Vec<String> [merge add_words],
        /// Quasi-identifier column names, by the kind a `micro-data` finding reports.
        pub birth_date: Vec<String> [merge add_words],
        pub event_date: Vec<String> [merge add_words],
        pub sex: Vec<String> [merge add_words],
        /// Values that name a sex: a column of them is a sex column whatever its name.
        pub sex_values: Vec<String> [merge add_words],
        pub age: Vec<String> [merge add_words],
        pub geography: Vec<String> [merge add_words],
        pub origin: Vec<String> [merge add_words],
        pub diagnosis: Vec<String> [merge add_words],
        // differencing
        /// Title words that restrict a table to part of a population (`restricted to age 65+`,
        /// `only women`, `kun …`): such a table inside another, cell by cell, is a sub-population.
        pub population_restriction: Vec<String> [merge add_words],
        // --- Header and label words of the table rules (`back-calculation`, `group-disclosure`,
        // `percent-back-calculation`, `low-dof`); compiled once per run in `rules::words`. ---
        /// Header words of a cumulative series of derived counts (number at risk, cumulative
        /// counts): matched as a substring of the lower-cased label.
        pub at_risk: Vec<String> [merge add_words],
        /// The header of an n column beside percentages: the whole header is one of these tokens.
        pub denominator: Vec<String> [merge add_words],
        /// Headers of person-time or population columns: a rate's denominator, never a count.
        pub person_time: Vec<String> [merge add_words],
        /// Headers of a ratio of two groups' risks or rates (`RR`, `IRR`, `Relative risk`) and of
        /// their odds (`OR`, `Odds ratio`): whole headers, or a run of a header's tokens at its
        /// start (`RR (95% CI)`).
        pub risk_ratio: Vec<String> [merge add_words],
        pub odds_ratio: Vec<String> [merge add_words],
        /// Header tokens of a group's event count beside its size (`Events exposed`, `Cases`).
        pub event_count: Vec<String> [merge add_words],
        /// Organisations a table may count instead of persons (`care homes`, `practices`), and
        /// the title words that say it counts them: `unit_counted_before` a unit (`number of care
        /// homes`), `unit_counted_after` it (`care home characteristics`). A title with a word
        /// of `person_unit` counts persons whatever else it says.
        pub organisation_unit: Vec<String> [merge add_words],
        pub unit_counted_before: Vec<String> [merge add_words],
        pub unit_counted_after: Vec<String> [merge add_words],
        pub person_unit: Vec<String> [merge add_words],
        /// Header tokens of a mean of a 0/1 indicator: one of `indicator_mean` and one of
        /// `indicator`.
        pub indicator_mean: Vec<String> [merge add_words],
        pub indicator: Vec<String> [merge add_words],
        /// Header tokens that name a mean (`Mean age`), a sum (`Total costs`), neither the
        /// variable nor the statistic (`of`, `the`), and a comparison of means (`Mean
        /// difference`) that is no group mean.
        pub mean_statistic: Vec<String> [merge add_words],
        pub sum_statistic: Vec<String> [merge add_words],
        pub mean_filler: Vec<String> [merge add_words],
        pub mean_comparison: Vec<String> [merge add_words],
        /// Phrases (tokens split on spaces) that make up a whole row label of a residual degrees
        /// of freedom, a whole row label of the error line of an ANOVA table, a whole column
        /// header of degrees of freedom, and a whole column header of residuals (`low-dof`).
        pub residual_df_row: Vec<String> [merge add_words],
        pub error_row: Vec<String> [merge add_words],
        pub df_column: Vec<String> [merge add_words],
        pub residual_column: Vec<String> [merge add_words],
        /// Header tokens of a share column that say it is a share, not what it is a share of
        /// (`group-disclosure` compares the rest with the count column's words).
        pub share_words: Vec<String> [merge add_words],
        /// Header tokens that make a column after a count column its percentages
        /// (`percent-back-calculation`, derived denominators).
        pub pair_percent: Vec<String> [merge add_words],
        // Table structure (table/classify, table/structure, table/interval): the words that
        // read a table's rows and columns.
        /// Total words that name a total only as the whole label (`All`, not `All other`).
        pub total_whole_label_only: Vec<String> [merge add_words],
        /// Two-letter words too often codes (`SE`, `NO`) to name what a row holds.
        pub row_kind_codes: Vec<String> [merge add_words],
        /// Header words common in category labels (`Lower secondary`): they name no row's kind.
        pub row_kind_excluded: Vec<String> [merge add_words],
        /// Header words of the frequency column of a frequency table (`Freq.`).
        pub frequency_header: Vec<String> [merge add_words],
        /// Whole column names of category-code columns (`Code`, `Kode`).
        pub code_column: Vec<String> [merge add_words],
        /// Header words of an axis: time steps or a sequence (`time`, `day`, `week`, `order`).
        pub axis_column: Vec<String> [merge add_words],
        /// Words that begin an "of which" row: part of the row above, not a sibling.
        pub of_which: Vec<String> [merge add_words],
        /// Words after which (else before) a table's rounding base is written.
        pub rounding: Vec<String> [merge add_words],
        /// Words of random or controlled rounding (up to a whole base, not half of one).
        pub rounding_random: Vec<String> [merge add_words],
        /// Spellings of midpoint-6 rounding.
        pub rounding_midpoint_6: Vec<String> [merge add_words],
        /// Units a row interval label may end in (`0-4 years`), matched as written.
        pub interval_unit_suffix: Vec<String> [merge add_words],
        /// Words ending a row interval label open at the top (`85 and over`), matched as written.
        pub interval_open_top_suffix: Vec<String> [merge add_words],
        /// Units and connectors a band label may carry besides its numbers (`0 to 39 år`).
        pub band_fillers: Vec<String> [merge add_words],
        /// Words after a band's number that open its top (`65 og derover`).
        pub band_open_top: Vec<String> [merge add_words],
        /// Words before a band's number that mean strictly above it (`over 64`).
        pub band_above: Vec<String> [merge add_words],
        /// Words that mean strictly below a band's number (`under 18`).
        pub band_below: Vec<String> [merge add_words],
        // cell parsing: bands and intervals written in words (`table/interval.rs`); each entry
        // is a phrase, its spaces match any run of whitespace, matched without regard to case
        /// Units a band's number may carry before an open-top phrase (`85 år og derover`).
        pub band_unit: Vec<String> [merge add_words],
        /// Phrases after a number that open a band upwards (`85 and over`, `18 ja yli`).
        pub band_and_over: Vec<String> [merge add_words],
        /// Words before a number that make a band (`under 18`, `over 65`, `yngre end 30`).
        pub band_prefix: Vec<String> [merge add_words],
        /// Words before a small number that hide a count (`alle 5`, `færre end 5`): a
        /// suppression marker in a count column.
        pub count_below: Vec<String> [merge add_words],
        /// Words between the two ends of an interval (`0 to 4`, `0 til 4`, `0 bis 4`).
        pub interval_between: Vec<String> [merge add_words],
    }
}
