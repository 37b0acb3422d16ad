//! ## What it does
//! Compares the tables of a folder (and the tables within one file) that describe nested
//! populations and flags a count from 1 to the threshold minus one that only their combination
//! reveals.
//!
//! Tables **align** when they count the same measure (a count column, by its header without
//! population words), their row variable is the same (the same stub header, mostly the same
//! categories, or two bandings of one extent; bands are compared as intervals whatever their
//! notation: `0-39`, `0–39 år`, `0 to 39`, `<40`, `under 40`, `40+`, `85 år+`, `65 and over`,
//! `65 år og derover`, `65 år och äldre`, `65 ja yli`, `75-`) and their populations nest: a
//! table of all persons and one of a sub-group (`Men`, `Mænd`, `Miehet`, `Women` … from a
//! constant column, the headers, the title or the file name; every sub-group cell at most its
//! all-persons cell), or two tables of the same population (no shared category with different
//! counts). A table whose count columns are populations (`Men`, `Women`, `Total`) counts each
//! population in its column and aligns population by population. Aligned tables become one
//! linear system over **atoms**, the common refinement of their categories: one non-negative
//! unknown per sub-group (and the rest of the population) × elementary interval (`0-15` and
//! `0-17` give `0-15`, `16-17`) or label. Every published cell is an equation, suppressed cells
//! (`x`, `<5`) and rounded cells (rounding to 5 or 10 or midpoint 6, declared or seen in the
//! values) are unknowns with their boxes, **each table's own relations** (its Total column,
//! total and sub-total rows, as `back-calculation` finds and confirms them; not for rounded
//! tables) join the system, and the back-calculation audit (presolve, bound propagation,
//! Gaussian elimination, LP and integer programs) runs over it. An atom or a suppressed cell
//! recovered exactly, or narrowed to at most `narrow_max_values` values, below the threshold,
//! is an error at the cell of the table that subtracts; `related` names the other files. This
//! covers the complement `all − men`, overlapping bands, **three-term differences** (`all − men
//! − women`), a **suppressed cell that another table's banding gives back**, a derivation
//! through **one table's Total column and another table's cell** (Men `<5` beside Women `x` and
//! Total, and a table of women), and tables within one file. A suppressed cell that the tables
//! together give back exactly as a value of at least the threshold (the suppression hides
//! nothing, B5), or narrow below the threshold to more values (B3w), is a warning. Only what
//! needs two tables is reported: a result one table's own relations give is
//! `back-calculation`'s. A merged system with no non-negative solution links nothing: its tables
//! cannot be one population, and they are combined in no other measure either.
//!
//! **Partitions across files.** A table of a whole population per key (a week: `date,
//! long_covid / All patients`) and a table of the same count per category, keyed the same way
//! (a pivot `long_covid / 0-49`, `long_covid / 50-59`, … or a long table `date, age_group,
//! long_covid`), are linked when every key shown in full adds up (two at least) and none
//! contradicts; a blank (redacted) or suppressed cell that the total minus the other categories
//! gives back below the threshold is an error at that cell.
//!
//! **Repeated analyses.** A table that equals another cell by cell except for a few persons
//! fewer (the same layout and labels, every cell at most the other's, at least half of the
//! non-zero cells exactly equal, some differences from 1 to the threshold minus one) is the
//! other minus a small group, and the difference table describes that group, its category
//! included: an error at each cell that differs by less than the threshold, `related` naming the
//! other file. Two years of one register table (cells going both ways) are not nested, and
//! tables rounded to 5 or 10 are not compared this way. The same total or group size in two
//! tables differing by less than the threshold (`N = 1023` and `N = 1025`) without that evidence
//! is a warning: a person must decide whether the populations really differ.
//!
//! **Restrictions in column headers.** A count column headed with a restriction (`Patients
//! (18+)`, `18 år+`, `65+ år`, `voksne`, `excluding …`) is a part of the column of the same
//! measure without it, in the same table or another: at most it in every row, each difference
//! from 1 to the threshold minus one is an error at the restricted cell.
//!
//! **Releases again.** Files of the same name in two folders of one parent (`release/`,
//! `release2/`) are two releases of one output: their tables are matched in order (same stub,
//! mostly the same cells, every count within 5 % of its counterpart), and unrounded counts that
//! changed by 1 to the threshold minus one are a warning on the later release.
//!
//! When the merged system has more than `max_atoms` atoms, the tables are compared pair by pair
//! instead (complements, nested bands) and an info finding says the audit was partial.
//!
//! **Declared links.** Relations only a person can know are declared in a rules file or profile
//! as `[[link]]` entries: `kind = "contains"` with `tables = [outer, inner]` (the first table's
//! population contains the second's cell by cell, such as an enumeration district and an output
//! area: the difference is the count of the part outside), and `kind = "equal_population"` with
//! `cells = [a, b]` (two cells of different tables count the same people). A table is written
//! `path` or `path#N` (the N-th table of the file), a path relative to the checked folder; a cell
//! is `path[#N]:row label` when the table has one count column, else `path[#N]:row label/column`.
//! A link that matches no table or cell of the checked folder is a warning; a malformed one stops
//! the run (exit 2) naming the rules file, line and entry.
//!
//! ## Why is this bad?
//! Each table may be safe on its own and still disclose in combination: the total-population
//! table minus the table for men gives the table for women, and a cell of 1 there identifies a
//! woman. Two age groupings that differ by two years give the count of those two years. A
//! repeated analysis after a late exclusion (N = 1023, then N = 1025) describes the excluded
//! two persons. Output checkers are asked to look at all tables of a release together.
//!
//! ## Example
//! ```text
//! all.csv                 men.csv
//! Age,HD,Pop              Age,HD,Pop
//! 21-30,8,20              21-30,7,19    <- differencing: all.csv minus this table gives a
//! 31-40,10,25             31-40,5,15       count below 5 for women, row '21-30'
//!
//! bands_a.csv             bands_b.csv
//! Age,Admissions          Age,Admissions
//! 0-15,120                0-17,123
//! 16-17,<5   <- recovered exactly: bands_b.csv's 0-17 minus this table's 0-15
//! 18-64,x    <- warning: bands_b.csv shows it, the suppression hides nothing (B5)
//! Total,420               18-64,297
//!
//! by_sex.csv              women.csv
//! Age,Men,Women,Total     Age,Women
//! 0-39,<5,x,23   <- Men recovered exactly: Total minus women.csv's 0-39
//! 40-64,40,45,85          0-39,20
//!
//! deaths_all.csv          deaths_excl.csv
//! Age,Deaths              Age,Deaths
//! 0-39,40                 0-39,40
//! 40-64,120               40-64,118    <- error: this table is deaths_all.csv minus a few
//! 65+,300                 65+,300         persons, and they were aged 40-64
//! Total,460               Total,458    <- error
//! ```
//! ```toml
//! [[link]]                           # rules file, -r links.toml
//! kind = "contains"
//! tables = ["ed1991.csv", "oa2001.csv"]
//! dimension = "area"
//! [[link]]
//! kind = "equal_population"
//! cells = ["emp.csv:Employed", "workplace.csv:Total/Number"]
//! ```
//! Publish the complement consistently suppressed in both tables, use the same bands in every
//! table, or publish only one of the overlapping tables.
//!
//! ## Options
//! `[differencing] enabled`, `max_table_cells` (default 2,000) and `max_total_cells` (default
//! 50,000: larger folders are compared in part and an info finding says so), `max_atoms`
//! (default 50,000: larger merged systems are compared pairwise), `[[link]]` entries, `all` (words for
//! the whole population) and `[differencing.groups]` (each sub-population and its words in
//! Danish, Finnish, Swedish, Norwegian, Dutch, French, German and English);
//! `[thresholds] min_count` and `zero_is_unsafe`; `[back_calculation] narrow_max_values`.
//!
//! ## References
//! Statistics Denmark, rules on transfer of analysis results: it must not be possible to
//! calculate back to a value under 5, also from differences between tables. Eurostat/ESSnet,
//! Handbook on Statistical Disclosure Control (2010), §5.2: disclosure by differencing
//! (sub-population tables, linked tables, overlapping geographies). OpenSAFELY documentation,
//! output checking: "disclosure by differencing" and repeated analyses (N versus N+1).
//! Duke-Williams and Rees (1998), differencing of small-area geographies. SSB `ComputeIntervals`
//! (atoms of linked tables as inner cells).

mod atoms;
mod bands;
mod folder;
mod links;
mod nested;
mod pairs;
mod partition;
mod prepare;
mod releases;
mod report;
mod restricted;

use crate::finding::Severity;
use crate::model::Table;
use crate::rules::{Checks, Context, FileTables, FolderRule, Rule};

use report::Placed;

pub const RULE: Rule = Rule {
    id: "differencing",
    severity: Severity::Error,
    summary: "two tables in the folder whose difference reveals a count from 1 to threshold-1",
    source: include_str!("differencing.rs"),
    checks: Checks {
        folder: Some(&DifferencingRule),
        ..Checks::NONE
    },
};

const ID: &str = RULE.id;

struct DifferencingRule;

impl FolderRule for DifferencingRule {
    fn check(&self, files: &[FileTables], cx: &Context<'_>) -> Vec<Placed> {
        folder::check(files, cx)
    }

    fn enabled(&self, rules: &crate::config::Rules) -> bool {
        rules.differencing.enabled
    }

    fn keeps(&self, table: &Table, rules: &crate::config::Rules) -> bool {
        let cells: u64 = table.rows.iter().map(|r| r.cells.len() as u64).sum();
        table.streamed_rows == 0 && cells <= u64::from(rules.differencing.max_table_cells)
    }
}
