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
//!
//! The modules: [`words`] (tokens and the lexicon), `evidence` (what a column's values show and
//! the kind they give), `columns` (corrections from neighbouring columns); this module runs the
//! steps.

mod columns;
mod evidence;
mod words;

use std::collections::HashMap;

use crate::model::{Kind, Table, Value};
use columns::{
    axis_columns, code_columns, ensure_columns, key_columns, model_levels, pair_counts_with_shares,
    percent_distributions, percent_signed_headers,
};
use evidence::{column_kind, evidence};

pub(crate) use words::RoundingWords;
pub use words::{contains_run, token_runs, tokens, Lexicon};

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
    // Letters naming columns (`A;B;C`) say nothing of what the columns hold.
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let letters = crate::table::cell::letter_names(&names);
    let headers: Vec<Option<Kind>> = (table.columns.iter().zip(&letters))
        .map(|(c, &letter)| (!letter).then(|| lexicon.header_kind(&c.name)).flatten())
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
    axis_columns(table, lexicon);
    key_columns(table, lexicon);
    model_levels(table);
    percent_distributions(table);
    percent_signed_headers(table, lexicon);
}

/// For a frequency table (a `Frequency`, `Freq.`, `Count` or `N` column): whether every
/// frequency outside the total row is 1 over three rows or more, a list of the values of an
/// identifier. `None` for a block without a frequency column.
pub fn every_frequency_one(block: &crate::text::Block, lexicon: &Lexicon) -> Option<bool> {
    let col = block.header_cells().iter().position(|h| {
        let t = tokens(h);
        t.len() == 1
            && lexicon.frequency_headers.contains(&t[0])
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
    use crate::model::{Cell, Column, Row};
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

    /// A 0/1 column before a label column keys a long table with it (a pandas `groupby` printed
    /// with its row index: `care_home_type` 0 or 1 and `date` tell the rows apart together).
    #[test]
    fn an_indicator_before_a_label_keys_the_rows() {
        let rows: &[&[&str]] = &[
            &["0", "0", "2020-01-01", "299", "1493", "0.200268"],
            &["1", "0", "2020-02-01", "305", "1469", "0.207624"],
            &["2", "0", "2020-03-01", "303", "1476", "0.205285"],
            &["3", "1", "2020-01-01", "301", "1507", "0.199735"],
            &["4", "1", "2020-02-01", "295", "1531", "0.192685"],
            &["5", "1", "2020-03-01", "297", "1524", "0.194882"],
        ];
        let header = ["", "home_type", "date", "had_review", "population", "value"];
        let k = kinds(&header, rows);
        assert_eq!(&k[..5], [Label, Label, Label, Count, Count]);
        // Without the dates the 0/1 column tells nothing apart: it stays a count.
        let cut: Vec<Vec<&str>> = rows.iter().map(|r| vec![r[0], r[1], r[3], r[4]]).collect();
        let cut: Vec<&[&str]> = cut.iter().map(|r| r.as_slice()).collect();
        let k = kinds(&["", "home_type", "had_review", "population"], &cut);
        assert_eq!(k, [Label, Count, Count, Count]);
        // Counts right of the labels that merely repeat do not join the key when the labels
        // alone tell the rows apart.
        let k = kinds(
            &["Region", "Sex", "Deaths"],
            &[
                &["North", "M", "6"],
                &["North", "F", "6"],
                &["South", "M", "8"],
                &["South", "F", "8"],
            ],
        );
        assert_eq!(k, [Label, Label, Count]);
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
