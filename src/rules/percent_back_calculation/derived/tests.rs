use super::*;
use crate::config::Rules;
use crate::table::cell::CellParser;
use crate::table::classify::Lexicon;
use crate::table::grid::{Builder as GridBuilder, GridRow};

fn table(text: &str, sep: char) -> Table {
    let rules = Rules::default_rules();
    let parser = CellParser::new(&rules);
    let lexicon = Lexicon::new(&rules.vocabulary);
    let rows: Vec<GridRow> = text
        .lines()
        .enumerate()
        .map(|(i, l)| GridRow {
            row: i as u32 + 1,
            line: Some(i as u32 + 1),
            cells: l.split(sep).map(str::to_string).collect(),
        })
        .collect();
    let b = GridBuilder {
        parser: &parser,
        lexicon: &lexicon,
        style: None,
    };
    b.tables(&rows, None, None).remove(0)
}

#[test]
fn pairs_under_a_repeated_group_header() {
    let t = table(
        "\tAll\tAll\tWest\tWest\nA\t120\t60.0\t30\t50.0\nB\t80\t40.0\t30\t50.0\n",
        '\t',
    );
    assert_eq!(
        pair_columns(&t),
        vec![PairCol { count: 2, pct: 3 }, PairCol { count: 4, pct: 5 }]
    );
}

#[test]
fn n_percent_cells_are_pairs() {
    let t = table("Group,Cases\nA,100 (48.1%)\nB,105 (50.5%)\n", ',');
    assert_eq!(pair_columns(&t), vec![PairCol { count: 2, pct: 2 }]);
}

#[test]
fn two_count_columns_are_not_pairs() {
    // Proportional counts agree on a "denominator" but nothing says they are percentages.
    let t = table("Group,Men,Women\nA,10,20\nB,12,24\nC,15,30\nD,20,40\n", ',');
    assert!(pair_columns(&t).is_empty());
}

#[test]
fn a_mean_beside_its_n_is_not_a_pair() {
    // Decimals, but the ratios n/mean do not agree on one denominator.
    let t = table("Group,n,Mean age\nA,120,45.3\nB,80,61.2\nC,33,38.9\n", ',');
    assert!(pair_columns(&t).is_empty());
}
