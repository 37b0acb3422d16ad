//! Classifying columns and rows of a table as labels, counts, percentages, rates, estimates or
//! extremes.
//!
//! Header words (the profile's `[vocabulary]`) and cell values both count. The steps of
//! [`classify`]:
//!
//! 1. a first pass over every row finds the stub: the columns that hold words;
//! 2. each row's label (its stub cells, or `row.label` as the reader filled it) may name what the
//!    row holds (`N`, `Mean`, `Min`: wide summary tables);
//! 3. each column's kind comes from its header and from the values of the rows that do not say
//!    what they hold, so a `Mean` row never makes a column an estimate column and the `N` row's
//!    counts stay counts.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::config::Vocabulary;
use crate::model::{Cell, Column, Kind, Table, Value};
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
    /// Whole column names of code columns, lower-cased (`[vocabulary] code_column`).
    pub(crate) code_columns: Vec<String>,
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

    /// The lexicon of `rules/default.toml` alone, for callers that have no rules at hand.
    pub(crate) fn defaults() -> &'static Lexicon {
        static DEFAULT: LazyLock<Lexicon> =
            LazyLock::new(|| Lexicon::new(&crate::config::Rules::default_rules().vocabulary));
        &DEFAULT
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
    fn row_kind(&self, label: &str) -> Option<Kind> {
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

/// Whether a number's decimals are all zeros (`35.0`, `12,00`).
fn zero_decimals(text: &str) -> bool {
    let t = text.trim();
    match t.rfind(['.', ',']) {
        Some(i) => {
            let frac = &t[i + 1..];
            !frac.is_empty() && frac.len() <= 2 && frac.bytes().all(|b| b == b'0')
        }
        None => false,
    }
}

/// What the values of one column (over some rows) show.
#[derive(Debug, Default)]
struct Evidence {
    nonempty: usize,
    /// Words.
    words: usize,
    /// Periods, bands and ranges (label-like).
    labelish: usize,
    /// Whole numbers: `(text, value)`.
    whole: Vec<(String, i64)>,
    decimal: usize,
    percent: usize,
    negative: usize,
    suppressed: usize,
    count_share: usize,
    estimate: usize,
    fraction: usize,
}

impl Evidence {
    fn add(&mut self, cell: &Cell) {
        match &cell.value {
            Value::Empty => return,
            Value::Label => self.words += 1,
            Value::Year | Value::Band | Value::Range { .. } => self.labelish += 1,
            Value::Number(n) => {
                if n.value < 0.0 {
                    self.negative += 1;
                }
                let sci = cell.text.contains(['e', 'E']);
                if n.percent {
                    self.percent += 1;
                } else if !sci && n.decimals > 0 && zero_decimals(&cell.text) && n.value >= 0.0 {
                    // `35.0`: a whole number written by a tool that stores counts as floats
                    // (pandas, Stata); it is count evidence like `35`.
                    self.whole
                        .push((cell.text.trim().to_string(), n.value as i64));
                } else if sci || n.decimals > 0 {
                    self.decimal += 1;
                } else if let Some(k) = n.as_integer() {
                    self.whole.push((cell.text.trim().to_string(), k));
                } else {
                    self.decimal += 1;
                }
            }
            Value::Suppressed(_) => self.suppressed += 1,
            Value::CountShare { .. } => self.count_share += 1,
            Value::Estimate { value } => {
                self.estimate += 1;
                if value.value < 0.0 {
                    self.negative += 1;
                }
            }
            Value::Fraction { .. } => self.fraction += 1,
        }
        self.nonempty += 1;
    }

    fn numeric(&self) -> usize {
        self.whole.len()
            + self.decimal
            + self.percent
            + self.suppressed
            + self.count_share
            + self.estimate
            + self.fraction
    }

    /// Whole numbers that name categories: years (`2015`), codes of fixed width with leading
    /// zeros (`0101`), or the sequence 1..k (0..k) in the first column.
    fn whole_are_labels(&self, first_column: bool) -> bool {
        if self.whole.is_empty() || self.suppressed > 0 {
            return false;
        }
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        let years = self
            .whole
            .iter()
            .all(|(t, v)| t.len() == 4 && digits(t) && (1900..=2100).contains(v));
        if years {
            return true;
        }
        let width = self.whole[0].0.len();
        let codes = width >= 2
            && self
                .whole
                .iter()
                .all(|(t, _)| t.len() == width && digits(t))
            && self.whole.iter().any(|(t, _)| t.starts_with('0'));
        if codes {
            return true;
        }
        if first_column && self.whole.len() >= 2 {
            let start = self.whole[0].1;
            let sequence = (start == 0 || start == 1)
                && self
                    .whole
                    .iter()
                    .enumerate()
                    .all(|(i, (_, v))| *v == start + i as i64);
            if sequence {
                return true;
            }
        }
        false
    }

    /// The kind the values alone say; `None` when there are none.
    fn kind(&self, first_column: bool) -> Option<Kind> {
        if self.nonempty == 0 {
            return None;
        }
        let numeric = self.numeric();
        let wordy = self.words + self.labelish;
        if numeric == 0 || wordy > numeric {
            return Some(Kind::Label);
        }
        // `<18` beside `18-64` and `65+` is an age band, not a hidden count.
        if numeric == self.suppressed && self.labelish > 0 {
            return Some(Kind::Label);
        }
        if self.negative > 0 {
            return Some(Kind::Estimate);
        }
        if self.percent > 0 && self.percent >= self.decimal + self.estimate {
            return Some(Kind::Percent);
        }
        if self.decimal + self.estimate > 0 {
            return Some(Kind::Estimate);
        }
        if self.count_share > 0 || self.fraction > 0 {
            return Some(Kind::Count);
        }
        if self.whole_are_labels(first_column) {
            return Some(Kind::Label);
        }
        Some(Kind::Count)
    }
}

/// The kind of a column from its header's kind and its values.
fn column_kind(header: Option<Kind>, ev: &Evidence, first_column: bool) -> Kind {
    let values = ev.kind(first_column);
    let numeric = ev.numeric();
    // A column of words holds labels, whatever its header says (`Coefficient` above variable
    // names). Ranges keep a header's kind (`95% CI` over `0.98-1.50`, `Antal` over `1-4`).
    if numeric == 0 && ev.labelish == 0 && ev.words > 0 {
        return Kind::Label;
    }
    match header {
        None => values.unwrap_or(Kind::Unknown),
        Some(Kind::Label) => {
            let wordy = ev.words + ev.labelish;
            if numeric == 0 || wordy >= numeric || first_column || ev.whole_are_labels(first_column)
            {
                return Kind::Label;
            }
            match values {
                Some(Kind::Label) | None => Kind::Label,
                Some(k) => k,
            }
        }
        Some(Kind::Count) => {
            if ev.negative > 0 {
                return Kind::Estimate;
            }
            match values {
                Some(k @ (Kind::Percent | Kind::Estimate))
                    if ev.whole.is_empty() && ev.count_share == 0 && ev.suppressed == 0 =>
                {
                    k
                }
                _ => Kind::Count,
            }
        }
        Some(Kind::Percent) => {
            if ev.count_share > 0 && 2 * ev.count_share >= numeric {
                Kind::Count
            } else {
                Kind::Percent
            }
        }
        Some(k) => k,
    }
}

/// Set `table.columns[i].kind` and each `table.rows[j].kind`; `row.label` is left as the reader
/// filled it. A table without columns gets one per column number its header rows and cells use.
pub fn classify(table: &mut Table, lexicon: &Lexicon) {
    ensure_columns(table);
    let first_col = table.columns.iter().map(|c| c.col).min().unwrap_or(1);
    let index: HashMap<u32, usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.col, i))
        .collect();
    let headers: Vec<Option<Kind>> = table
        .columns
        .iter()
        .map(|c| lexicon.header_kind(&c.name))
        .collect();

    // An empty corner above a first column, with names over the others, marks the first column
    // as the stub whatever it holds: category codes (`0`, `1`, `2-3`), an R or pandas row index.
    let corner_stub = !table.header.is_empty()
        && table
            .columns
            .iter()
            .find(|c| c.col == first_col)
            .is_some_and(|c| c.name.trim().is_empty())
        && table
            .columns
            .iter()
            .filter(|c| c.col != first_col && !c.name.trim().is_empty())
            .count()
            >= 2;
    let is_corner_stub = |col: u32| corner_stub && col == first_col;

    // 1. A first look over every row: which columns hold words (the stub).
    let mut all = evidence(table, &index, |_| true);
    let stub: Vec<bool> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            is_corner_stub(c.col)
                || column_kind(headers[i], &all[i], c.col == first_col) == Kind::Label
        })
        .collect();

    // 2. Rows that say what they hold.
    for row in &mut table.rows {
        let label = if row.label.trim().is_empty() {
            let parts: Vec<&str> = row
                .cells
                .iter()
                .filter(|cell| index.get(&cell.col).is_some_and(|&i| stub[i]))
                .filter(|cell| matches!(cell.value, Value::Label))
                .map(|cell| cell.text.trim())
                .collect();
            parts.join(" / ")
        } else {
            row.label.clone()
        };
        row.kind = lexicon.row_kind(&label).unwrap_or(Kind::Unknown);
    }

    // 3. Columns, from their headers and the rows that do not say what they hold.
    let plain = evidence(table, &index, |k| matches!(k, Kind::Unknown | Kind::Count));
    for (i, column) in table.columns.iter_mut().enumerate() {
        let first = column.col == first_col;
        column.kind = if is_corner_stub(column.col) && all[i].suppressed == 0 {
            Kind::Label
        } else if plain[i].nonempty == 0 && headers[i].is_none() {
            // Every row says what it holds: the column is a stub or holds what its rows say.
            match column_kind(None, &all[i], first) {
                Kind::Label => Kind::Label,
                _ => Kind::Unknown,
            }
        } else if plain[i].nonempty == 0 {
            column_kind(headers[i], &std::mem::take(&mut all[i]), first)
        } else {
            column_kind(headers[i], &plain[i], first)
        };
    }
    pair_counts_with_shares(table);
    code_columns(table, lexicon);
    percent_signed_headers(table, lexicon);
}

/// A header with a `%` over plain numbers from 0 to 100 (`Died (%)`, `Verstorben (%)`) holds
/// percentages, even when a count word comes first; an estimate header (`95% CI`) does not.
fn percent_signed_headers(table: &mut Table, lexicon: &Lexicon) {
    for i in 0..table.columns.len() {
        let c = &table.columns[i];
        if c.kind != Kind::Estimate
            || !c.name.contains('%')
            || lexicon.header_kind(&c.name.replace('%', " ")) == Some(Kind::Estimate)
        {
            continue;
        }
        let col = c.col;
        let mut any = false;
        let shares = table.rows.iter().all(|r| {
            match r.cells.iter().find(|x| x.col == col).map(|x| &x.value) {
                Some(Value::Number(n)) => {
                    any = true;
                    (0.0..=100.0).contains(&n.value)
                }
                None | Some(Value::Empty) | Some(Value::Suppressed(_)) => true,
                _ => false,
            }
        });
        if shares && any {
            table.columns[i].kind = Kind::Percent;
        }
    }
}

/// A column headed by a code word alone (`Code`, `Kode`, `Koodi`, `Kod`) over whole numbers
/// holds category codes, wherever it stands (`År;Kode;Beskrivelse;Antal`).
fn code_columns(table: &mut Table, lexicon: &Lexicon) {
    for i in 0..table.columns.len() {
        let name = table.columns[i].name.trim().to_lowercase();
        if !lexicon.code_columns.contains(&name) || table.columns[i].kind == Kind::Label {
            continue;
        }
        let col = table.columns[i].col;
        let mut any = false;
        let all_codes = table.rows.iter().all(|r| {
            match r.cells.iter().find(|c| c.col == col).map(|c| &c.value) {
                None | Some(Value::Empty) => true,
                Some(Value::Number(n)) => {
                    any = true;
                    n.as_integer().is_some_and(|v| v >= 0)
                }
                Some(Value::Label) => true,
                _ => false,
            }
        });
        if all_codes && any {
            table.columns[i].kind = Kind::Label;
        }
    }
}

/// A group name printed over a pair of columns (`North`, `North`), the first holding whole
/// numbers and the second numbers with decimals from 0 to 100: the group's count and its share.
fn pair_counts_with_shares(table: &mut Table) {
    let column_of = |table: &Table, col: u32| -> (usize, usize, usize) {
        // (whole or hidden, shares, other) among the non-empty body cells of the column.
        let mut whole = 0;
        let mut shares = 0;
        let mut other = 0;
        for row in &table.rows {
            let Some(cell) = row.cells.iter().find(|c| c.col == col) else {
                continue;
            };
            match &cell.value {
                Value::Empty => {}
                Value::Suppressed(_) => {
                    whole += 1;
                    shares += 1;
                }
                Value::Number(n) if n.as_integer().is_some_and(|v| v >= 0) => {
                    whole += 1;
                    if n.value <= 100.0 {
                        shares += 1;
                    }
                }
                Value::Number(n) if (0.0..=100.0).contains(&n.value) => shares += 1,
                _ => other += 1,
            }
        }
        (whole, shares, other)
    };
    let n = table.columns.len();
    let mut i = 0;
    while i + 1 < n {
        let (a, b) = (&table.columns[i], &table.columns[i + 1]);
        let paired = !a.name.trim().is_empty()
            && a.name.trim() == b.name.trim()
            && b.col == a.col + 1
            && !matches!(a.kind, Kind::Label)
            && !matches!(b.kind, Kind::Label);
        if paired {
            let (wa, _, oa) = column_of(table, a.col);
            let (wb, sb, ob) = column_of(table, b.col);
            let rows = table.rows.len();
            let b_has_decimals = table.rows.iter().any(|r| {
                r.cells.iter().any(|c| {
                    c.col == b.col
                        && matches!(&c.value, Value::Number(x) if x.decimals > 0 || x.percent)
                })
            });
            if oa == 0 && ob == 0 && wa > 0 && sb > 0 && b_has_decimals && wa <= rows && sb >= wb {
                table.columns[i].kind = Kind::Count;
                table.columns[i + 1].kind = Kind::Percent;
                i += 2;
                continue;
            }
        }
        i += 1;
    }
}

/// Evidence per column over the rows whose kind passes `keep`.
fn evidence(
    table: &Table,
    index: &HashMap<u32, usize>,
    keep: impl Fn(Kind) -> bool,
) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = table.columns.iter().map(|_| Evidence::default()).collect();
    for row in table.rows.iter().filter(|r| keep(r.kind)) {
        for cell in &row.cells {
            if let Some(&i) = index.get(&cell.col) {
                ev[i].add(cell);
            }
        }
    }
    ev
}

/// Give a table without columns one column per column number, named by its header rows.
fn ensure_columns(table: &mut Table) {
    if !table.columns.is_empty() {
        return;
    }
    let max_col = table
        .header
        .iter()
        .flatten()
        .chain(table.rows.iter().flat_map(|r| r.cells.iter()))
        .map(|c| c.col)
        .max()
        .unwrap_or(0);
    table.columns = (1..=max_col)
        .map(|col| {
            let parts: Vec<&str> = table
                .header
                .iter()
                .filter_map(|h| h.iter().find(|c| c.col == col))
                .map(|c| c.text.trim())
                .filter(|t| !t.is_empty())
                .collect();
            Column {
                col,
                name: parts.join(" / "),
                kind: Kind::Unknown,
            }
        })
        .collect();
}

/// For a frequency table (a `Frequency`, `Freq.`, `Count` or `N` column): whether every
/// frequency outside the total row is 1 over three rows or more, a list of the values of an
/// identifier. `None` for a block without a frequency column.
pub fn every_frequency_one(block: &crate::text::Block, lexicon: &Lexicon) -> Option<bool> {
    let col = block.header_cells().iter().position(|h| {
        let t = tokens(h);
        t.len() == 1
            && matches!(t[0].as_str(), "frequency" | "freq" | "count" | "n")
            && lexicon.header_kind(h) == Some(Kind::Count)
    })?;
    let values: Vec<&str> = block
        .body()
        .iter()
        .filter(|r| {
            !r.first()
                .is_some_and(|l| lexicon.is_total(l) || l.trim().is_empty())
        })
        .filter_map(|r| r.get(col).map(|s| s.trim()))
        .collect();
    Some(values.len() >= 3 && values.iter().all(|v| *v == "1"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Rules;
    use crate::model::Row;
    use crate::table::cell::{infer_style, CellParser};

    fn lexicon() -> Lexicon {
        Lexicon::new(&Rules::default_rules().vocabulary)
    }

    /// A table with one header row and data rows, values parsed with the default rules and each
    /// column's inferred number style.
    fn table(header: &[&str], rows: &[&[&str]]) -> Table {
        let parser = CellParser::new(&Rules::default_rules());
        let styles: Vec<_> = (0..header.len())
            .map(|j| infer_style(rows.iter().filter_map(|r| r.get(j).copied())))
            .collect();
        let columns = header
            .iter()
            .enumerate()
            .map(|(j, h)| Column {
                col: j as u32 + 1,
                name: h.to_string(),
                kind: Kind::Unknown,
            })
            .collect();
        let rows = rows
            .iter()
            .enumerate()
            .map(|(i, r)| Row {
                cells: r
                    .iter()
                    .enumerate()
                    .map(|(j, t)| Cell {
                        row: i as u32 + 2,
                        col: j as u32 + 1,
                        line: None,
                        text: t.to_string(),
                        value: parser.parse(
                            t,
                            styles
                                .get(j)
                                .copied()
                                .unwrap_or(crate::table::cell::NumberStyle::DecimalPoint),
                        ),
                    })
                    .collect(),
                kind: Kind::Unknown,
                label: String::new(),
                indent: 0,
            })
            .collect();
        Table {
            index: 1,
            columns,
            rows,
            ..Table::default()
        }
    }

    fn kinds(header: &[&str], rows: &[&[&str]]) -> Vec<Kind> {
        let mut t = table(header, rows);
        classify(&mut t, &lexicon());
        t.columns.iter().map(|c| c.kind).collect()
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
    fn years_and_deaths() {
        let k = kinds(
            &["Year", "Deaths"],
            &[
                &["2015", "12"],
                &["2016", "7"],
                &["2017", "3"],
                &["2018", "22"],
                &["2019", "9"],
                &["2020", "14"],
            ],
        );
        assert_eq!(k, [Label, Count]);
        // Without a header word, years are still labels.
        let k = kinds(
            &["", "Value"],
            &[&["2015", "12"], &["2016", "7"], &["2017", "3"]],
        );
        assert_eq!(k, [Label, Count]);
    }

    #[test]
    fn stata_regression_output() {
        let k = kinds(
            &[
                "Variable",
                "Estimate",
                "Std. Error",
                "z",
                "P>|z|",
                "[95% Conf. Interval]",
                "",
            ],
            &[
                &["age", "0.031", "0.004", "7.75", "0.000", "0.023", "0.039"],
                &[
                    "sex", "-0.210", "0.090", "-2.33", "0.020", "-0.386", "-0.034",
                ],
                &["_cons", "1.2", "0.3", "4.0", "0.000", "0.6", "1.8"],
            ],
        );
        assert_eq!(
            k,
            [Label, Estimate, Estimate, Estimate, Estimate, Estimate, Estimate]
        );
    }

    #[test]
    fn danish_municipalities() {
        let k = kinds(
            &["Kommune", "Antal", "Andel (%)"],
            &[
                &["København", "1.234", "12,5"],
                &["Aarhus", "876", "8,9"],
                &["Odense", "3", "0,1"],
            ],
        );
        assert_eq!(k, [Label, Count, Percent]);
    }

    #[test]
    fn n_percent_cells() {
        let k = kinds(
            &["Age group", "Male n (%)", "Female n (%)"],
            &[
                &["0-17", "12 (3.4%)", "<5 (1.1%)"],
                &["18-64", "230 (65.0%)", "250 (70.2%)"],
                &["65+", "112 (31.6%)", "102 (28.7%)"],
            ],
        );
        assert_eq!(k, [Label, Count, Count]);
        // The pair header without words beside it.
        let k = kinds(
            &["", "n (%)"],
            &[&["Men", "12 (3.4)"], &["Women", "30 (8.5)"]],
        );
        assert_eq!(k, [Label, Count]);
    }

    #[test]
    fn languages() {
        assert_eq!(
            kinds(
                &["Ikäryhmä", "Lukumäärä", "Osuus %"],
                &[&["0-14", "12", "3,4"], &["15-64", "120", "34,0"]]
            ),
            [Label, Count, Percent]
        );
        assert_eq!(
            kinds(
                &["Län", "Antal", "Andel"],
                &[&["Stockholm", "120", "0,45"], &["Skåne", "80", "0,30"]]
            ),
            [Label, Count, Percent]
        );
        assert_eq!(
            kinds(&["Leeftijd", "Aantal"], &[&["0-17", "12"], &["18+", "40"]]),
            [Label, Count]
        );
        assert_eq!(
            kinds(
                &["Altersgruppe", "Anzahl", "Anteil"],
                &[&["0-17", "12", "23,1"], &["18+", "40", "76,9"]]
            ),
            [Label, Count, Percent]
        );
        assert_eq!(
            kinds(
                &["Âge", "Effectif", "Pourcentage"],
                &[&["0-17", "12", "23,1"], &["18 et plus", "40", "76,9"]]
            ),
            [Label, Count, Percent]
        );
    }

    #[test]
    fn wide_summary() {
        let mut t = table(
            &["Statistic", "Group A", "Group B"],
            &[
                &["N", "120", "98"],
                &["Mean", "12.3", "11.9"],
                &["SD", "4.1", "3.9"],
                &["Min", "2", "3"],
                &["Max", "40", "38"],
            ],
        );
        classify(&mut t, &lexicon());
        let rk: Vec<Kind> = t.rows.iter().map(|r| r.kind).collect();
        assert_eq!(rk, [Count, Estimate, Estimate, Extreme, Extreme]);
        assert_eq!(t.columns[0].kind, Label);
        for c in &t.columns[1..] {
            assert!(matches!(c.kind, Unknown | Count), "{:?}", c);
        }
        // Cell kinds: the N row holds counts, the Mean row estimates, Min/Max extremes.
        let cell_kind = |r: usize, c: usize| t.cell_kind(&t.rows[r], &t.rows[r].cells[c]);
        assert_eq!(cell_kind(0, 1), Count);
        assert_eq!(cell_kind(1, 1), Estimate);
        assert_eq!(cell_kind(1, 2), Estimate);
        assert_eq!(cell_kind(3, 2), Extreme);
        assert_eq!(cell_kind(4, 1), Extreme);
        // The reader's labels are left alone.
        assert!(t.rows.iter().all(|r| r.label.is_empty()));
    }

    #[test]
    fn reader_row_label_is_used() {
        let mut t = table(&["", "A"], &[&["", "3"], &["", "4.5"]]);
        t.rows[1].label = "Median".into();
        classify(&mut t, &lexicon());
        assert_eq!(t.rows[1].kind, Estimate);
        assert_eq!(t.rows[1].label, "Median");
        assert_eq!(t.columns[1].kind, Count);
    }

    #[test]
    fn estimates_rates_extremes() {
        assert_eq!(
            kinds(
                &["Coefficient", "OR", "95% CI", "p"],
                &[&["age", "1.21", "0.98-1.50", "0.07"]]
            ),
            [Label, Estimate, Estimate, Estimate]
        );
        assert_eq!(
            kinds(
                &["Region", "Rate per 100,000"],
                &[&["North", "12"], &["South", "30"]]
            ),
            [Label, Rate]
        );
        assert_eq!(
            kinds(
                &["Region", "Incidens pr. 1000"],
                &[&["Nord", "1,2"], &["Syd", "3,4"]]
            ),
            [Label, Rate]
        );
        assert_eq!(
            kinds(
                &["Group", "Min", "Maks", "Maximum", "Suurin"],
                &[&["A", "1", "40", "40", "40"]]
            ),
            [Label, Extreme, Extreme, Extreme, Extreme]
        );
        // Estimate cells without a header word.
        assert_eq!(
            kinds(
                &["", ""],
                &[&["Age", "45.2 (12.1)"], &["BMI", "27.1 (4.0)"]]
            ),
            [Label, Estimate]
        );
    }

    #[test]
    fn codes_and_category_numbers_are_labels() {
        assert_eq!(
            kinds(
                &["ID", "Count"],
                &[&["0001", "12"], &["0002", "7"], &["0003", "9"]]
            ),
            [Label, Count]
        );
        assert_eq!(
            kinds(
                &["", "", ""],
                &[
                    &["1", "Men", "12"],
                    &["2", "Women", "30"],
                    &["3", "Other", "7"]
                ]
            ),
            [Label, Label, Count]
        );
        // The same numbers further right are counts.
        assert_eq!(
            kinds(
                &["Region", "Cases"],
                &[&["A", "1"], &["B", "2"], &["C", "3"]]
            ),
            [Label, Count]
        );
    }

    #[test]
    fn values_decide_without_header_words() {
        assert_eq!(
            kinds(&["", "Foo"], &[&["a", "12"], &["b", "<5"], &["c", "x"]]),
            [Label, Count]
        );
        assert_eq!(
            kinds(&["", "Foo"], &[&["a", "12.5"], &["b", "3.0"]]),
            [Label, Estimate]
        );
        assert_eq!(
            kinds(&["", "Foo"], &[&["a", "12.5%"], &["b", "3%"]]),
            [Label, Percent]
        );
        assert_eq!(
            kinds(&["", "Foo"], &[&["a", "12"], &["b", "-3"]]),
            [Label, Estimate]
        );
        assert_eq!(
            kinds(&["", "Foo"], &[&["a", "0.12"], &["b", "0.5"]]),
            [Label, Estimate]
        );
        assert_eq!(
            kinds(&["", "Foo"], &[&["a", "2.3E+04"], &["b", "1e-5"]]),
            [Label, Estimate]
        );
        assert_eq!(
            kinds(&["", "Foo"], &[&["a", "3/45"], &["b", "4/45"]]),
            [Label, Count]
        );
        assert_eq!(
            kinds(&["", "Foo"], &[&["a", ""], &["b", ""]]),
            [Label, Unknown]
        );
        assert_eq!(
            kinds(
                &["Age", "N"],
                &[&["<18", "12"], &["18-64", "40"], &["65+", "30"]]
            ),
            [Label, Count]
        );
    }

    #[test]
    fn count_header_with_decimal_values() {
        assert_eq!(
            kinds(&["", "N"], &[&["a", "12.5%"], &["b", "3.1%"]]),
            [Label, Percent]
        );
        assert_eq!(
            kinds(&["", "Total"], &[&["a", "12.5"], &["b", "3.1"]]),
            [Label, Estimate]
        );
        assert_eq!(
            kinds(&["", "Total"], &[&["a", "12"], &["b", "3.1"]]),
            [Label, Count]
        );
    }

    #[test]
    fn total_rows_are_counts_not_estimates() {
        let mut t = table(&["Region", "Deaths"], &[&["North", "12"], &["Total", "40"]]);
        classify(&mut t, &lexicon());
        assert_eq!(t.rows[1].kind, Count);
        // A category `B` or a country code `SE` does not make a row an estimate.
        let mut t = table(&["Country", "Deaths"], &[&["SE", "12"], &["B", "3"]]);
        classify(&mut t, &lexicon());
        assert_eq!(t.rows[0].kind, Unknown);
        assert_eq!(t.rows[1].kind, Unknown);
        // Category labels that contain a header word of a measure.
        let mut t = table(
            &["Education", "Persons"],
            &[
                &["Lower secondary", "3"],
                &["Upper secondary", "40"],
                &["Highest level", "2"],
                &["Part-time", "1"],
            ],
        );
        classify(&mut t, &lexicon());
        assert!(t.rows.iter().all(|r| r.kind == Unknown));
        assert_eq!(t.columns[1].kind, Count);
    }

    #[test]
    fn columns_are_made_from_headers_when_missing() {
        let mut t = table(&["Year", "Deaths"], &[&["2015", "12"], &["2016", "7"]]);
        t.columns.clear();
        t.header = vec![vec![
            Cell {
                row: 1,
                col: 1,
                line: None,
                text: "Year".into(),
                value: Value::Label,
            },
            Cell {
                row: 1,
                col: 2,
                line: None,
                text: "Deaths".into(),
                value: Value::Label,
            },
        ]];
        classify(&mut t, &lexicon());
        assert_eq!(
            t.columns.iter().map(|c| c.kind).collect::<Vec<_>>(),
            [Label, Count]
        );
        assert_eq!(t.columns[1].name, "Deaths");
    }

    #[test]
    fn lexicon_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Lexicon>();
        assert_send_sync::<CellParser>();
    }

    #[test]
    fn never_panics_on_random_text() {
        let lx = lexicon();
        for s in crate::testutil::random_strings(
            "aeinorst %()[]-_.,:/|*NnPpBb0123456789åæøäöüé\u{0301}¹🙂\t",
            0x2545_f491_4f6c_dd1d,
            20_000,
            16,
        ) {
            let _ = tokens(&s);
            let _ = lx.header_kind(&s);
            let _ = lx.is_total(&s);
            let _ = lx.row_kind(&s);
        }
        // Ragged and empty tables.
        let mut t = table(&["a"], &[&["1", "2", "x"], &[], &["", "1.5"]]);
        classify(&mut t, &lx);
        let mut empty = Table::default();
        classify(&mut empty, &lx);
        assert!(empty.columns.is_empty());
    }
}
