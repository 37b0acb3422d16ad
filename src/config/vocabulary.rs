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
    }
}
