//! The generated fixtures of `person-id`, `micro-data` and `code-literal`.
//!
//! Every fixture under `fixtures/cases/{person-id,micro-data,code-literal}/` is built by
//! [`fixtures`] from synthetic identifiers (`ident::generate`, fixed seeds) and committed; a test
//! fails when a committed file differs from its generator. Regenerate with
//! `EXPORT_CHECK_REGENERATE=1 cargo test --test rules`. No report of the three folders shows an
//! identifier of these fixtures.

use crate::common::report;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use export_check::config::Rules;
use export_check::ident::generate::{self, compact, Rng};
use export_check::ident::IdKind;
use export_check::report::text::{render, Colour};
use export_check::report::{json, Report};
use export_check::{check, Options};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cases")
}

/// A generated fixture: path under `fixtures/cases/`, content, and the identifiers in it.
pub struct Fixture {
    pub path: &'static str,
    pub text: String,
    pub ids: Vec<String>,
}

pub const KOMMUNER: &[&str] = &[
    "101", "147", "151", "153", "155", "157", "159", "161", "163", "165", "167", "169", "173",
    "175", "183", "185", "187", "190", "201", "210",
];

pub const DIAGNOSES: &[&str] = &[
    "E11", "E10", "I21", "I50", "J44", "F32", "C50", "C61", "N18", "G30",
];

pub fn pick<'a>(r: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[r.below(xs.len() as u64) as usize]
}

fn iso_date(r: &mut Rng, lo: u64, hi: u64) -> String {
    let y = r.range(lo, hi);
    let m = r.range(1, 12);
    let d = r.range(1, 28);
    format!("{y}-{m:02}-{d:02}")
}

/// A 12-digit zero-padded pseudonymised person number, as DST's `PNR` is modelled.
pub fn pnr(r: &mut Rng) -> String {
    format!("{:012}", r.range(10_000_000, 99_999_999))
}

fn notes_with_ids() -> Fixture {
    // One line per country, with its context word; the line numbers are asserted below.
    let lines = [
        ("CPR", IdKind::DanishCpr),
        ("Henkilötunnus", IdKind::FinnishHetu),
        ("Personnummer", IdKind::SwedishPersonnummer),
        ("Fødselsnummer", IdKind::NorwegianFodselsnummer),
        ("Kennitala", IdKind::IcelandicKennitala),
        ("Rijksregisternummer", IdKind::BelgianNiss),
        ("BSN", IdKind::DutchBsn),
        ("NHS number", IdKind::UkNhsNumber),
        ("NIR", IdKind::FrenchNir),
        ("Isikukood", IdKind::EstonianIsikukood),
    ];
    let mut text = String::from("Notes from the data manager\n\n");
    let mut ids = Vec::new();
    for (i, (word, kind)) in lines.iter().enumerate() {
        let id = generate::valid(*kind, 100 + i as u64);
        let _ = writeln!(text, "Checked the record of {word} {id} by hand");
        ids.push(id);
    }
    // A pseudonymised trial subject number dumped by a SAS `PUT` (not a national ID).
    let subject = format!(
        "ST-{}-{:04}",
        100 + Rng::new(111).below(900),
        Rng::new(112).below(10_000)
    );
    let _ = writeln!(text, "WARNING: USUBJID={subject} AVAL=. ADT=. _N_=17");
    ids.push(subject);
    text.push_str("\nNo other remarks about pnr or USUBJID values\n");
    Fixture {
        path: "person-id/notes_with_ids.txt",
        text,
        ids,
    }
}

fn notes_that_pass() -> Fixture {
    let text = "\
Notes on the analysis

Call the helpdesk on phone +45 3917 3917 or mobile 0701234567 before 2024-03-31.
The run took 1712345678 seconds since the epoch by the timestamp in the log.
Cohort entry from 1998-01-01 to 2018-12-31 and follow-up to 2023-06-30.
Total costs were 1 234 567 890 DKK and 12 345 678,50 EUR.
The model converged after 1234567 iterations with tolerance 0.0000012345.
Organisation number (orgnr) 5560360793 funded the study.
ICD-10 codes E10 to E14 and ATC A10BA02 defined diabetes.
";
    Fixture {
        path: "person-id/notes_that_pass.txt",
        text: text.to_string(),
        ids: Vec::new(),
    }
}

fn id_column() -> Fixture {
    let mut r = Rng::new(7);
    let mut text = String::from("cpr;alder;koen\n");
    let mut ids = Vec::new();
    for i in 0..30 {
        let id = generate::cpr(1000 + i);
        let _ = writeln!(
            text,
            "{id};{};{}",
            r.range(20, 90),
            pick(&mut r, &["K", "M"])
        );
        ids.push(id);
    }
    Fixture {
        path: "person-id/cpr_column.csv",
        text,
        ids,
    }
}

fn ids_in_cells() -> Fixture {
    let hetu = generate::hetu(31);
    let fnr = generate::fodselsnummer(32);
    let text = format!(
        "Group;Antal;Comment\n\
         A;120;checked\n\
         B;340;case {hetu} excluded after review\n\
         C;210;\n\
         D;95;see fnr {fnr}\n\
         E;400;phone 0701234567\n"
    );
    Fixture {
        path: "person-id/ids_in_cells.csv",
        text,
        ids: vec![hetu, fnr],
    }
}

fn large_amounts() -> Fixture {
    // A ten-digit amount that happens to validate as a CPR number, in a column of amounts.
    let amount = compact(&generate::cpr(33));
    let text = format!(
        "Region;Antal;Udgifter (kr)\n\
         Nord;1204;1234567890\n\
         Syd;3310;{amount}\n\
         Øst;2250;2045678913\n\
         Vest;1876;1876543210\n"
    );
    Fixture {
        path: "person-id/large_amounts.csv",
        text,
        ids: vec![amount],
    }
}

fn pnr_extract() -> Fixture {
    let mut r = Rng::new(11);
    let mut text = String::from("pnr;foed_dato;koen;kommune;c_adiag\n");
    let mut ids = Vec::new();
    for _ in 0..60 {
        let p = pnr(&mut r);
        let _ = writeln!(
            text,
            "{p};{};{};{};{}",
            iso_date(&mut r, 1930, 2005),
            pick(&mut r, &["K", "M"]),
            pick(&mut r, KOMMUNER),
            pick(&mut r, DIAGNOSES)
        );
        ids.push(p);
    }
    Fixture {
        path: "micro-data/pnr_extract.csv",
        text,
        ids,
    }
}

fn extract_without_id() -> Fixture {
    let mut r = Rng::new(12);
    let mut text = String::from("birth_date;sex;municipality;diagnosis;weight_kg\n");
    for _ in 0..200 {
        let _ = writeln!(
            text,
            "{};{};{};{};{}",
            iso_date(&mut r, 1930, 2005),
            pick(&mut r, &["F", "M"]),
            pick(&mut r, KOMMUNER),
            pick(&mut r, DIAGNOSES),
            r.range(45, 120)
        );
    }
    Fixture {
        path: "micro-data/extract_without_id.csv",
        text,
        ids: Vec::new(),
    }
}

fn year_age_sex_listing() -> Fixture {
    // No dates and no ID: age, sex and region of each person, with a lab value.
    let mut r = Rng::new(13);
    let mut text = String::from("age,sex,region,hba1c\n");
    for _ in 0..120 {
        let _ = writeln!(
            text,
            "{},{},{},{}.{}",
            r.range(18, 95),
            pick(&mut r, &["F", "M"]),
            pick(&mut r, &["North", "South", "East", "West", "Capital"]),
            r.range(30, 90),
            r.below(10)
        );
    }
    Fixture {
        path: "micro-data/age_sex_region_listing.csv",
        text,
        ids: Vec::new(),
    }
}

fn provider_numbers() -> Fixture {
    let mut r = Rng::new(14);
    let mut text = String::from("ydernr;antal_patienter\n");
    let mut ids = Vec::new();
    for _ in 0..25 {
        let y = format!("{:06}", r.range(100_000, 999_999));
        let _ = writeln!(text, "{y};{}", r.range(200, 3000));
        ids.push(y);
    }
    Fixture {
        path: "micro-data/provider_numbers.csv",
        text,
        ids,
    }
}

fn aggregate_with_counts() -> Fixture {
    let mut r = Rng::new(15);
    let mut text = String::from("sex;age;municipality;n\n");
    for sex in ["F", "M"] {
        for age in ["0-19", "20-39", "40-59", "60-79", "80+"] {
            for k in &KOMMUNER[..6] {
                let _ = writeln!(text, "{sex};{age};{k};{}", r.range(20, 900));
            }
        }
    }
    Fixture {
        path: "micro-data/aggregate_with_counts.csv",
        text,
        ids: Vec::new(),
    }
}

fn aggregate_rates() -> Fixture {
    let mut r = Rng::new(16);
    let mut text = String::from("sex,age_group,region,rate_per_1000\n");
    for sex in ["Female", "Male"] {
        for age in ["0-19", "20-39", "40-59", "60-79", "80+"] {
            for region in ["North", "South", "East", "West"] {
                let _ = writeln!(
                    text,
                    "{sex},{age},{region},{}.{}",
                    r.range(1, 90),
                    r.below(10)
                );
            }
        }
    }
    Fixture {
        path: "micro-data/aggregate_rates.csv",
        text,
        ids: Vec::new(),
    }
}

fn aggregate_with_id_columns() -> Fixture {
    // A row number `id` and a region code `region_id` in a table that counts: not person keys.
    let mut r = Rng::new(17);
    let mut text = String::from("id;region_id;sex;n\n");
    let mut row = 0;
    for region in 0..10 {
        for sex in ["F", "M"] {
            row += 1;
            let _ = writeln!(
                text,
                "{row};{};{sex};{}",
                10_000_000 + region * 1_117,
                r.range(40, 900)
            );
        }
    }
    Fixture {
        path: "micro-data/aggregate_with_id_columns.csv",
        text,
        ids: Vec::new(),
    }
}

fn list_of(ids: &[String], quote: &str, sep: &str) -> String {
    ids.iter()
        .map(|i| format!("{quote}{i}{quote}"))
        .collect::<Vec<_>>()
        .join(sep)
}

fn sas_with_ids() -> Fixture {
    let mut r = Rng::new(21);
    let keys: Vec<String> = (0..6).map(|_| pnr(&mut r)).collect();
    let cpr = generate::cpr(22);
    let text = format!(
        "/* Exclusions after data review */\n\
         data cohort2;\n\
         \x20 set cohort;\n\
         \x20 if pnr in ({}) then delete;\n\
         \x20 * patient {cpr} moved abroad;\n\
         \x20 if foed_dato = '17MAR1962'd then flag = 1;\n\
         \x20 if lbnr = {} then delete;\n\
         run;\n",
        list_of(&keys, "", " "),
        keys[0],
    );
    let mut ids = keys;
    ids.push(cpr);
    Fixture {
        path: "code-literal/exclusions.sas",
        text,
        ids,
    }
}

fn sas_clean() -> Fixture {
    let text = "\
/* Cohort definition */
data cohort;
  set raw.population;
  where foed_dato >= '01JAN1950'd and foed_dato < '01JAN2000'd;
  age = intck('year', foed_dato, '31DEC2020'd);
  if age >= 18 and age <= 65;
  if c_adiag in ('DE10', 'DE11', 'DE12', 'DE13', 'DE14') then diabetes = 1;
  keep pnr age koen kommune diabetes;
run;

proc freq data=cohort;
  tables koen*diabetes / nopercent;
run;
";
    Fixture {
        path: "code-literal/cohort.sas",
        text: text.to_string(),
        ids: Vec::new(),
    }
}

fn r_with_ids() -> Fixture {
    let mut r = Rng::new(23);
    let keys: Vec<String> = (0..7).map(|_| pnr(&mut r)).collect();
    let text = format!(
        "library(dplyr)\n\
         # drop the duplicates found in the review\n\
         drop_ids <- c(\n  {}\n)\n\
         cohort <- cohort %>% filter(!pnr %in% drop_ids)\n\
         cohort <- cohort %>% filter(birth_date != as.Date(\"1962-03-17\"))\n\
         check <- cohort %>% filter(birth_date == as.Date(\"1971-11-05\"))\n",
        list_of(&keys, "\"", ",\n  "),
    );
    Fixture {
        path: "code-literal/exclusions.R",
        text,
        ids: keys,
    }
}

fn r_clean() -> Fixture {
    let text = "\
library(dplyr)
cohort <- readRDS(\"cohort.rds\") %>%
  filter(age >= 18, year %in% c(2015, 2016, 2017, 2018, 2019)) %>%
  filter(icd10 %in% c(\"E10\", \"E11\", \"E12\", \"E13\", \"E14\"))
cohort$patient_id <- NULL
snomed_diabetes <- c(\"44054006\", \"73211009\", \"46635009\", \"38341003\", \"22298006\")
summary_tab <- cohort %>% count(sex, age_group)
set.seed(20240101)
";
    Fixture {
        path: "code-literal/analysis.R",
        text: text.to_string(),
        ids: Vec::new(),
    }
}

fn stata_with_ids() -> Fixture {
    let mut r = Rng::new(24);
    let keys: Vec<String> = (0..5)
        .map(|_| format!("{}", r.range(100_000_000, 999_999_999)))
        .collect();
    let text = format!(
        "* remove outliers found by hand\n\
         use cohort, clear\n\
         drop if inlist(lopnr, {})\n\
         keep if koen == 2\n",
        keys.join(", ")
    );
    Fixture {
        path: "code-literal/outliers.do",
        text,
        ids: keys,
    }
}

fn stata_clean() -> Fixture {
    let text = "\
use cohort, clear
keep if inrange(alder, 18, 65)
gen diab = inlist(icd, \"E10\", \"E11\", \"E12\", \"E13\", \"E14\")
collapse (count) n=lopnr, by(koen aldersgruppe)
list koen aldersgruppe n if n >= 5
";
    Fixture {
        path: "code-literal/tables.do",
        text: text.to_string(),
        ids: Vec::new(),
    }
}

fn python_with_ids() -> Fixture {
    let uuids: Vec<String> = (0..5).map(|i| generate::uuid(40 + i)).collect();
    let hetu = generate::hetu(45);
    let text = format!(
        "import pandas as pd\n\
         df = pd.read_parquet(\"cohort.parquet\")\n\
         # {hetu} asked to be removed\n\
         df = df[~df.patient_id.isin([{}])]\n",
        list_of(&uuids, "\"", ", ")
    );
    let mut ids = uuids;
    ids.push(hetu);
    Fixture {
        path: "code-literal/clean_cohort.py",
        text,
        ids,
    }
}

fn python_clean() -> Fixture {
    let text = "\
import pandas as pd
df = pd.read_parquet(\"cohort.parquet\")
df = df[df.age.between(18, 65) & df.icd10.isin([\"E10\", \"E11\", \"E12\", \"E13\", \"E14\"])]
table = df.groupby([\"sex\", \"age_group\"]).size().reset_index(name=\"n\")
table = table[table.n >= 5]
print(df.USUBJID.nunique())
";
    Fixture {
        path: "code-literal/summarise.py",
        text: text.to_string(),
        ids: Vec::new(),
    }
}

/// A fixed-width data file with no header (weight, a fused household code, income, age), as an
/// `.asc` extract from a micro-data tool looks.
fn raw_extract() -> Fixture {
    let mut r = Rng::new(41);
    let mut text = String::new();
    for _ in 0..120 {
        let weight = r.range(1000, 9999) as f64 / 100.0;
        text.push_str(&format!(
            "  {weight:7.4} {:5} {:3} {:2}\n",
            r.range(10000, 39999),
            150 * r.below(4),
            r.range(18, 79)
        ));
    }
    Fixture {
        path: "micro-data/raw_extract.asc",
        text,
        ids: Vec::new(),
    }
}

pub fn fixtures() -> Vec<Fixture> {
    vec![
        raw_extract(),
        notes_with_ids(),
        notes_that_pass(),
        id_column(),
        ids_in_cells(),
        large_amounts(),
        pnr_extract(),
        extract_without_id(),
        year_age_sex_listing(),
        provider_numbers(),
        aggregate_with_counts(),
        aggregate_rates(),
        aggregate_with_id_columns(),
        sas_with_ids(),
        sas_clean(),
        r_with_ids(),
        r_clean(),
        stata_with_ids(),
        stata_clean(),
        python_with_ids(),
        python_clean(),
    ]
}

#[test]
fn generated_fixtures_are_committed_and_current() {
    let regenerate = std::env::var_os("EXPORT_CHECK_REGENERATE").is_some();
    for f in fixtures() {
        let path = root().join(f.path);
        if regenerate {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &f.text).unwrap();
        }
        let on_disk = fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{}: {e}; regenerate with EXPORT_CHECK_REGENERATE=1", f.path)
        });
        assert_eq!(
            on_disk, f.text,
            "{} differs from its generator; regenerate with EXPORT_CHECK_REGENERATE=1",
            f.path
        );
    }
}

/// The forms of an identifier a leak could take: as written, without separators, and the
/// digits alone.
pub fn forms(id: &str) -> Vec<String> {
    let mut out = vec![id.to_string(), compact(id)];
    let digits: String = id.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    out.push(digits);
    out.sort();
    out.dedup();
    out
}

#[test]
fn no_report_contains_an_identifier() {
    for folder in ["person-id", "micro-data", "code-literal"] {
        let r = report(folder);
        let text = render(&r, Colour::Never);
        let json = json::render(&r);
        for f in fixtures().iter().filter(|f| f.path.starts_with(folder)) {
            for id in &f.ids {
                for form in forms(id) {
                    assert!(!text.contains(&form), "{folder}: text report shows an ID");
                    assert!(!json.contains(&form), "{folder}: JSON report shows an ID");
                }
            }
        }
    }
}

/// Check one file written to a temporary folder, streaming it when it is over 1 KiB.
pub fn check_streamed(name: &str, text: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), text).unwrap();
    let options = Options {
        large_file_bytes: 1024,
        ..Options::default()
    };
    check(dir.path(), &Rules::default_rules(), &options).unwrap()
}
