//! The words of headers and labels: [`tokens`] (lower-cased, folded, split) and the compiled
//! [`Lexicon`] of `[vocabulary]`, which names the kind a header or row label says and the
//! totals (docs/tables.md §2.6, §3.2).

use std::collections::HashMap;

use crate::config::Vocabulary;
use crate::model::Kind;
use crate::table::interval::IntervalWords;

/// Lower-case, fold diacritics for matching (æ→ae, ø→oe, å→aa, ä→a, ö→o, ü→u, é→e …), and split
/// into tokens on everything that is not a letter or a digit (spaces, `_`, `-`, `.`, `/`, `(`,
/// `)`, `:`, `,`, `[`, `|`, `*`, superscript footnote marks …); `%` is a token of its own.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in text.chars() {
        if ch == '%' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push("%".to_string());
            continue;
        }
        // Combining marks (decomposed diacritics) are dropped.
        if ('\u{0300}'..='\u{036f}').contains(&ch) {
            continue;
        }
        let word_char = ch.is_alphabetic() || ch.is_ascii_digit();
        if !word_char {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        for lc in ch.to_lowercase() {
            fold(lc, &mut cur);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The token runs of a word list, folded like a header (`Care home` → `care`, `home`); empty
/// entries are left out.
pub fn token_runs(list: &[String]) -> Vec<Vec<String>> {
    list.iter()
        .map(|w| tokens(w))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether `run` (not empty) occurs in `toks` as consecutive tokens.
pub fn contains_run(toks: &[String], run: &[String]) -> bool {
    !run.is_empty() && run.len() <= toks.len() && toks.windows(run.len()).any(|w| w == run)
}

fn fold(c: char, out: &mut String) {
    let s = match c {
        'æ' => "ae",
        'ø' => "oe",
        'å' => "aa",
        'œ' => "oe",
        'ß' => "ss",
        'þ' => "th",
        'ä' | 'á' | 'à' | 'â' | 'ã' | 'ā' => "a",
        'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ő' => "o",
        'ü' | 'ú' | 'ù' | 'û' | 'ű' => "u",
        'é' | 'è' | 'ê' | 'ë' | 'ė' | 'ę' => "e",
        'í' | 'ì' | 'î' | 'ï' => "i",
        'ý' | 'ÿ' => "y",
        'ç' | 'č' | 'ć' => "c",
        'ñ' | 'ń' => "n",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ð' | 'đ' => "d",
        'ł' => "l",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(s);
}

/// The kinds a header can name, highest priority first.
const PRIORITY: [Kind; 6] = [
    Kind::Extreme,
    Kind::Estimate,
    Kind::Rate,
    Kind::Percent,
    Kind::Count,
    Kind::Label,
];

fn slot(kind: Kind) -> usize {
    PRIORITY
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(PRIORITY.len() - 1)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Header,
    Row,
}

/// Compiled vocabulary (build once per run; `Send + Sync`).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Single-token words and the kinds they name.
    words: HashMap<String, Vec<Kind>>,
    /// Multi-token phrases and the kind each names.
    phrases: Vec<(Vec<String>, Kind)>,
    /// Total words and phrases, with whether they may begin or end a longer label.
    totals: Vec<(Vec<String>, bool)>,
    /// Two-letter words that name no row's kind (`[vocabulary] row_kind_codes`).
    row_short_excluded: Vec<String>,
    /// Words that name no row's kind (`[vocabulary] row_kind_excluded`).
    row_words_excluded: Vec<String>,
    /// Header words of a frequency column (`[vocabulary] frequency_header`).
    pub(crate) frequency_headers: Vec<String>,
    /// Whole column names of code columns, lower-cased (`[vocabulary] code_column`).
    pub(crate) code_columns: Vec<String>,
    /// Header words of an axis (`[vocabulary] axis_column`), as single tokens.
    pub(crate) axis_words: Vec<String>,
    /// "Of which" words, as tokens (`[vocabulary] of_which`).
    pub(crate) of_which: Vec<Vec<String>>,
    /// Rounding words, lower-cased (`[vocabulary] rounding`, `rounding_random`,
    /// `rounding_midpoint_6`).
    pub(crate) rounding: RoundingWords,
    /// The words of interval and band labels.
    pub(crate) intervals: IntervalWords,
}

/// The words of declared rounding, lower-cased, matched inside lower-cased text.
#[derive(Debug, Clone, Default)]
pub(crate) struct RoundingWords {
    pub(crate) rounding: Vec<String>,
    pub(crate) random: Vec<String>,
    pub(crate) midpoint_6: Vec<String>,
}

/// The single tokens of a word list (an entry of several tokens can never equal one token).
fn single_tokens(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for entry in list {
        if let [t] = tokens(entry).as_slice() {
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
    }
    out
}

/// A word list lower-cased, for matching inside lower-cased text.
fn lower(list: &[String]) -> Vec<String> {
    list.iter().map(|w| w.to_lowercase()).collect()
}

impl Lexicon {
    pub fn new(vocab: &Vocabulary) -> Self {
        let mut lex = Lexicon::default();
        let lists: [(&Vec<String>, Kind); 6] = [
            (&vocab.count, Kind::Count),
            (&vocab.percent, Kind::Percent),
            (&vocab.rate, Kind::Rate),
            (&vocab.estimate, Kind::Estimate),
            (&vocab.extreme, Kind::Extreme),
            (&vocab.label, Kind::Label),
        ];
        for (list, kind) in lists {
            for entry in list {
                let toks = tokens(entry);
                match toks.len() {
                    0 => {}
                    1 => {
                        let kinds = lex.words.entry(toks[0].clone()).or_default();
                        if !kinds.contains(&kind) {
                            kinds.push(kind);
                        }
                    }
                    _ => {
                        if !lex.phrases.iter().any(|(p, k)| *p == toks && *k == kind) {
                            lex.phrases.push((toks, kind));
                        }
                    }
                }
            }
        }
        let weak_totals = single_tokens(&vocab.total_whole_label_only);
        for entry in &vocab.total {
            let toks = tokens(entry);
            if toks.is_empty() {
                continue;
            }
            let strong = !(toks.len() == 1 && weak_totals.contains(&toks[0]));
            if !lex.totals.iter().any(|(p, _)| *p == toks) {
                lex.totals.push((toks, strong));
            }
        }
        lex.row_short_excluded = single_tokens(&vocab.row_kind_codes);
        lex.row_words_excluded = single_tokens(&vocab.row_kind_excluded);
        lex.code_columns = lower(&vocab.code_column);
        lex.frequency_headers = single_tokens(&vocab.frequency_header);
        lex.axis_words = single_tokens(&vocab.axis_column);
        lex.of_which = vocab
            .of_which
            .iter()
            .map(|w| tokens(w))
            .filter(|t| !t.is_empty())
            .collect();
        lex.rounding = RoundingWords {
            rounding: lower(&vocab.rounding),
            random: lower(&vocab.rounding_random),
            midpoint_6: lower(&vocab.rounding_midpoint_6),
        };
        lex.intervals = IntervalWords::new(vocab);
        lex
    }

    /// Kind a header or row label names, if any. Phrases (`odds ratio`, `i alt`, `per 1000`)
    /// match a run of tokens; single words match whole tokens. When several match, the highest
    /// of Extreme > Estimate > Rate > Percent > Count > Label wins, except that a count word
    /// before a percent word (`n (%)`, `Antal (%)`) names a count (the cells are `n (%)`), while
    /// `% of total` names a percentage.
    ///
    /// A one-letter word other than `n` (`b`, `p`, `t`, `z`, `f`) does not count when it follows
    /// a word that names no measure (`Group B`, `Pr(>|t|)`): there it is a name, not a statistic.
    pub fn header_kind(&self, header: &str) -> Option<Kind> {
        self.kind_of(header, Mode::Header)
    }

    /// Kind a row label names. Stricter than [`Lexicon::header_kind`]: one-letter words other
    /// than `n` and two-letter codes (`SE`, `NO`) do not count, and a label word names nothing
    /// (a row `Year 2015` holds what its columns hold).
    pub(super) fn row_kind(&self, label: &str) -> Option<Kind> {
        match self.kind_of(label, Mode::Row) {
            Some(Kind::Label) => None,
            k => k,
        }
    }

    fn kind_of(&self, text: &str, mode: Mode) -> Option<Kind> {
        let toks = tokens(text);
        if toks.is_empty() {
            return None;
        }
        let mut first: [Option<usize>; 6] = [None; 6];
        let mut note = |kind: Kind, pos: usize| {
            let s = slot(kind);
            if first[s].is_none_or(|p| pos < p) {
                first[s] = Some(pos);
            }
        };
        for (i, t) in toks.iter().enumerate() {
            let Some(kinds) = self.words.get(t) else {
                continue;
            };
            if !self.word_counts(&toks, i, mode) {
                continue;
            }
            for k in kinds {
                note(*k, i);
            }
        }
        for (phrase, kind) in &self.phrases {
            if phrase.len() > toks.len() {
                continue;
            }
            if let Some(pos) = toks
                .windows(phrase.len())
                .position(|w| w == phrase.as_slice())
            {
                note(*kind, pos);
            }
        }
        let best = PRIORITY
            .iter()
            .copied()
            .find(|k| first[slot(*k)].is_some())?;
        if best == Kind::Percent {
            if let (Some(c), Some(p)) = (first[slot(Kind::Count)], first[slot(Kind::Percent)]) {
                if c < p {
                    return Some(Kind::Count);
                }
            }
        }
        Some(best)
    }

    /// Whether the single word at `i` may name a kind (see [`Lexicon::header_kind`]).
    fn word_counts(&self, toks: &[String], i: usize, mode: Mode) -> bool {
        let t = toks[i].as_str();
        if mode == Mode::Row && self.row_words_excluded.iter().any(|w| w == t) {
            return false;
        }
        let letters = t.chars().count();
        if t == "n" || letters > 2 || t.chars().any(|c| c.is_ascii_digit()) {
            return true;
        }
        match mode {
            Mode::Row => letters == 2 && !self.row_short_excluded.iter().any(|w| w == t),
            Mode::Header => {
                if letters == 2 || i == 0 {
                    return true;
                }
                let prev = toks[i - 1].as_str();
                let prev_is_word = prev.chars().any(char::is_alphabetic);
                let prev_names_measure = self
                    .words
                    .get(prev)
                    .is_some_and(|ks| ks.iter().any(|k| *k != Kind::Label));
                !prev_is_word || prev_names_measure
            }
        }
    }

    /// Whether a row/column label names a total or sub-total (`Total`, `I alt`, `Yhteensä`,
    /// `Totalt`, `Totaal`, `Insgesamt`, `Ensemble`, `All`, `Overall`, `Region Nord, i alt`,
    /// `Total (excl. x)`).
    pub fn is_total(&self, label: &str) -> bool {
        let toks = tokens(label);
        if toks.is_empty() {
            return false;
        }
        self.totals.iter().any(|(p, strong)| {
            toks == *p
                || (*strong && p.len() <= toks.len() && (toks.starts_with(p) || toks.ends_with(p)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Rules;
    use crate::table::cell::CellParser;

    fn lexicon() -> Lexicon {
        Lexicon::new(&Rules::default_rules().vocabulary)
    }

    use Kind::*;

    #[test]
    fn tokens_fold_and_split() {
        assert_eq!(tokens("Ikäryhmä"), ["ikaryhma"]);
        assert_eq!(tokens("Dødsfald_i alt"), ["doedsfald", "i", "alt"]);
        assert_eq!(tokens("  Antal   år "), ["antal", "aar"]);
        assert_eq!(tokens("Andel (%)"), ["andel", "%"]);
        assert_eq!(tokens("95%CI"), ["95", "%", "ci"]);
        assert_eq!(tokens("P>|z|"), ["p", "z"]);
        assert_eq!(tokens("Rate per 100,000"), ["rate", "per", "100", "000"]);
        assert_eq!(tokens("Écart-type"), ["ecart", "type"]);
        assert_eq!(tokens("Total¹"), ["total"]);
        assert_eq!(tokens("Fälle"), ["falle"]);
        assert!(tokens("  ").is_empty());
    }

    #[test]
    fn header_kinds() {
        let lx = lexicon();
        let cases: &[(&str, Option<Kind>)] = &[
            ("Deaths", Some(Count)),
            ("Year", Some(Label)),
            ("Mean count", Some(Estimate)),
            ("n (%)", Some(Count)),
            ("Male n (%)", Some(Count)),
            ("Antal (%)", Some(Count)),
            ("% of total", Some(Percent)),
            ("Andel (%)", Some(Percent)),
            ("Osuus %", Some(Percent)),
            ("Rate per 100,000", Some(Rate)),
            ("Incidens pr. 1000", Some(Rate)),
            ("Deaths per 1000", Some(Rate)),
            ("Min", Some(Extreme)),
            ("Maks", Some(Extreme)),
            ("Maximum", Some(Extreme)),
            ("Suurin", Some(Extreme)),
            ("Coefficient", Some(Estimate)),
            ("OR", Some(Estimate)),
            ("95% CI", Some(Estimate)),
            ("p", Some(Estimate)),
            ("P>|z|", Some(Estimate)),
            ("z", Some(Estimate)),
            ("Std. Error", Some(Estimate)),
            ("[95% Conf. Interval]", Some(Estimate)),
            ("Odds ratio", Some(Estimate)),
            ("Group B", Some(Label)),
            ("Lukumäärä", Some(Count)),
            ("Anzahl", Some(Count)),
            ("Effectif", Some(Count)),
            ("Pourcentage", Some(Percent)),
            ("Anteil", Some(Percent)),
            ("Aantal", Some(Count)),
            ("Kommune", Some(Label)),
            ("Statistic", None),
            ("", None),
        ];
        for (h, want) in cases {
            assert_eq!(lx.header_kind(h), *want, "{h:?}");
        }
    }

    #[test]
    fn totals() {
        let lx = lexicon();
        for t in [
            "Total",
            "I alt",
            "Yhteensä",
            "Totalt",
            "Totaal",
            "Insgesamt",
            "Ensemble",
            "All",
            "Overall",
            "Region Nord, i alt",
            "Total (excl. x)",
            "TOTAL:",
            "Grand total",
            "Both sexes",
            "Hele landet",
            "Total*",
        ] {
            assert!(lx.is_total(t), "{t}");
        }
        for t in [
            "All other",
            "Women",
            "Alle andre",
            "Totalitarian",
            "",
            "Sum insured?x",
            "Aalborg",
        ] {
            assert!(!lx.is_total(t), "{t}");
        }
    }

    #[test]
    fn lexicon_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Lexicon>();
        assert_send_sync::<CellParser>();
    }
}
