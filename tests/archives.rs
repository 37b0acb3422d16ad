//! Archives (zip, tar, tar.gz, gzip, tar.bz2, bzip2, tar.xz, xz): members are checked like files under `location.member`,
//! nested archives to the depth limit, and every limit, link or encrypted member keeps the
//! archive from passing. The fixtures under `fixtures/cases/archives/` are built here.

mod common;

use std::io::Write;

use common::{assert_fixtures_current, report};
use export_check::finding::{Severity, Verdict};
use export_check::report::Report;
use zip::write::SimpleFileOptions;

/// A table with one count below every threshold.
const SMALL_COUNT_CSV: &str = "Region,Deaths\nNorth,412\nSouth,398\nIsland,2\n";

/// A table of large aggregates.
const CLEAN_CSV: &str = "Year,Deaths,Population\n2016,412,101230\n2017,398,101870\n\
                         2018,431,102455\n2019,405,103010\n2020,466,103582\n";

/// A zip of `(name, bytes)` members, deflated, with fixed times so the bytes never change.
/// A tar of regular members and symbolic links `(name, target)`.
fn tar_of(members: &[(&str, &[u8])], links: &[(&str, &str)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in members {
        let mut h = tar::Header::new_ustar();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, name, *bytes)
            .expect("member appended");
    }
    for (name, target) in links {
        let mut h = tar::Header::new_ustar();
        h.set_size(0);
        h.set_mode(0o777);
        h.set_mtime(0);
        h.set_entry_type(tar::EntryType::Symlink);
        b.append_link(&mut h, name, target).expect("link appended");
    }
    b.into_inner().expect("tar finishes")
}

fn gzip(bytes: &[u8], name: Option<&str>) -> Vec<u8> {
    let mut g = flate2::GzBuilder::new().mtime(0);
    if let Some(n) = name {
        g = g.filename(n);
    }
    let mut w = g.write(Vec::new(), flate2::Compression::best());
    w.write_all(bytes).expect("gzip written");
    w.finish().expect("gzip finishes")
}

fn bzip2(bytes: &[u8]) -> Vec<u8> {
    let mut w = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    w.write_all(bytes).expect("bzip2 written");
    w.finish().expect("bzip2 finishes")
}

fn xz(bytes: &[u8]) -> Vec<u8> {
    let options = lzma_rust2::XzOptions::with_preset(6);
    let mut w = lzma_rust2::XzWriter::new(Vec::new(), options).expect("xz starts");
    w.write_all(bytes).expect("xz written");
    w.finish().expect("xz finishes")
}

/// A zip whose only member is marked encrypted (general purpose flag bit 0) in both headers.
fn encrypted_zip() -> Vec<u8> {
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("secret.csv", options).expect("member starts");
    w.write_all(CLEAN_CSV.as_bytes()).expect("member written");
    let mut bytes = w.finish().expect("zip finishes").into_inner();
    let local = find(&bytes, b"PK\x03\x04").expect("a local header");
    bytes[local + 6] |= 1;
    let central = find(&bytes, b"PK\x01\x02").expect("a central header");
    bytes[central + 8] |= 1;
    bytes
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A zip inside a zip ... `levels` deep, the table at the bottom.
fn nested(levels: usize) -> Vec<u8> {
    let mut inner = common::zip_of(&[("RQ5.csv", SMALL_COUNT_CSV.as_bytes())]);
    for level in (1..levels).rev() {
        let name = format!("level{level}.zip");
        inner = common::zip_of(&[(name.as_str(), &inner)]);
    }
    inner
}

fn generated() -> Vec<(&'static str, Vec<u8>)> {
    let tables = common::zip_of(&[("RQ5.csv", SMALL_COUNT_CSV.as_bytes())]);
    let tar = tar_of(
        &[
            ("results/RQ5.csv", SMALL_COUNT_CSV.as_bytes()),
            ("results/trend.csv", CLEAN_CSV.as_bytes()),
        ],
        &[],
    );
    vec![
        ("cases/archives/small_count.zip", tables.clone()),
        (
            "cases/archives/clean.zip",
            common::zip_of(&[("tables/trend.csv", CLEAN_CSV.as_bytes())]),
        ),
        (
            "cases/archives/nested.zip",
            common::zip_of(&[("tables.zip", &tables), ("trend.csv", CLEAN_CSV.as_bytes())]),
        ),
        ("cases/archives/deep.zip", nested(7)),
        ("cases/archives/results.tar.gz", gzip(&tar, None)),
        (
            "cases/archives/links.tar",
            tar_of(
                &[("trend.csv", CLEAN_CSV.as_bytes())],
                &[("cohort.csv", "/data/cohort.csv")],
            ),
        ),
        (
            "cases/archives/trend.csv.gz",
            gzip(CLEAN_CSV.as_bytes(), Some("trend.csv")),
        ),
        (
            "cases/archives/bomb.zip",
            common::zip_of(&[("zeros.txt", &vec![b'0'; 4 * 1024 * 1024])]),
        ),
        ("cases/archives/corrupt.zip", {
            let mut z = common::zip_of(&[("trend.csv", CLEAN_CSV.as_bytes())]);
            z.truncate(z.len() / 2);
            z
        }),
        ("cases/archives/encrypted.zip", encrypted_zip()),
        ("cases/archives/results.tar.bz2", bzip2(&tar)),
        ("cases/archives/results.txz", xz(&tar)),
        ("cases/archives/trend.csv.bz2", bzip2(CLEAN_CSV.as_bytes())),
        ("cases/archives/trend.csv.xz", xz(CLEAN_CSV.as_bytes())),
        (
            "cases/archives/bomb.bz2",
            bzip2(&vec![b'0'; 4 * 1024 * 1024]),
        ),
        ("cases/archives/bomb.xz", xz(&vec![b'0'; 4 * 1024 * 1024])),
        (
            "cases/archives/lock.zip",
            common::zip_of(&[
                ("trend.csv", CLEAN_CSV.as_bytes()),
                ("~$tables.xlsx", b"\x0bJane Analyst"),
            ]),
        ),
    ]
}

#[test]
fn generated_fixtures_are_committed_and_current() {
    assert_fixtures_current(&generated());
}

/// `(rule, severity, member)` of every finding of a single-file report.
fn places(r: &Report) -> Vec<(String, Severity, Option<String>)> {
    assert_eq!(r.files.len(), 1);
    r.files[0]
        .findings
        .iter()
        .map(|f| (f.rule.to_string(), f.severity, f.location.member.clone()))
        .collect()
}

fn errors_of<'a>(r: &'a Report, rule: &str) -> Vec<&'a export_check::finding::Finding> {
    r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == rule && f.severity == Severity::Error)
        .collect()
}

#[test]
fn a_small_count_in_a_zipped_table_fails_at_its_member() {
    let r = report("archives/small_count.zip");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", places(&r));
    let sc = errors_of(&r, "small-count");
    assert_eq!(sc.len(), 1, "{:?}", places(&r));
    assert_eq!(sc[0].location.member.as_deref(), Some("RQ5.csv"));
    assert_eq!(sc[0].location.cell.as_deref(), Some("B4"));
    assert_eq!(r.files[0].format, "zip");
}

#[test]
fn a_zip_of_aggregates_passes() {
    let r = report("archives/clean.zip");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", places(&r));
}

#[test]
fn nested_archives_name_every_level() {
    let r = report("archives/nested.zip");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", places(&r));
    let sc = errors_of(&r, "small-count");
    assert_eq!(sc.len(), 1, "{:?}", places(&r));
    assert_eq!(sc[0].location.member.as_deref(), Some("tables.zip!RQ5.csv"));
}

#[test]
fn nesting_stops_at_the_depth_limit() {
    let r = report("archives/deep.zip");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", places(&r));
    let limit = errors_of(&r, "unreadable");
    assert_eq!(limit.len(), 1, "{:?}", places(&r));
    assert!(
        limit[0].message.contains("nested past the depth limit"),
        "{}",
        limit[0].message
    );
    let member = limit[0].location.member.as_deref().unwrap_or("");
    assert_eq!(member.matches('!').count(), 4, "{member}");
    // The table below the limit is never reached.
    assert!(errors_of(&r, "small-count").is_empty(), "{:?}", places(&r));
}

#[test]
fn a_tar_gz_is_read_member_by_member() {
    let r = report("archives/results.tar.gz");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", places(&r));
    let sc = errors_of(&r, "small-count");
    assert_eq!(sc.len(), 1, "{:?}", places(&r));
    assert_eq!(sc[0].location.member.as_deref(), Some("results/RQ5.csv"));
    assert_eq!(r.files[0].format, "gzip");
}

#[test]
fn a_gzipped_table_is_read_under_its_own_name() {
    let r = report("archives/trend.csv.gz");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", places(&r));
}

#[test]
fn a_tar_bz2_and_a_txz_are_read_member_by_member() {
    for (name, format) in [("results.tar.bz2", "bzip2"), ("results.txz", "xz")] {
        let r = report(&format!("archives/{name}"));
        assert_eq!(r.verdict, Verdict::Fail, "{name}: {:?}", places(&r));
        let sc = errors_of(&r, "small-count");
        assert_eq!(sc.len(), 1, "{name}: {:?}", places(&r));
        assert_eq!(sc[0].location.member.as_deref(), Some("results/RQ5.csv"));
        assert_eq!(r.files[0].format, format);
    }
}

#[test]
fn a_bzip2_or_xz_table_is_read_as_its_content() {
    for name in ["trend.csv.bz2", "trend.csv.xz"] {
        let r = report(&format!("archives/{name}"));
        assert_eq!(r.verdict, Verdict::Pass, "{name}: {:?}", places(&r));
    }
}

#[test]
fn bzip2_and_xz_past_the_ratio_limit_are_unreadable() {
    for name in ["bomb.bz2", "bomb.xz"] {
        let r = report(&format!("archives/{name}"));
        assert_eq!(r.verdict, Verdict::Fail, "{name}: {:?}", places(&r));
        let limit = errors_of(&r, "unreadable");
        assert_eq!(limit.len(), 1, "{name}: {:?}", places(&r));
        assert!(limit[0].message.contains("times"), "{}", limit[0].message);
    }
}

#[test]
fn links_in_a_tar_are_file_type_errors() {
    let r = report("archives/links.tar");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", places(&r));
    let ft = errors_of(&r, "file-type");
    assert_eq!(ft.len(), 1, "{:?}", places(&r));
    assert_eq!(ft[0].location.member.as_deref(), Some("cohort.csv"));
    assert!(ft[0].message.contains("symbolic link"), "{}", ft[0].message);
}

#[test]
fn a_high_ratio_archive_is_not_checked_past_its_limit() {
    let r = report("archives/bomb.zip");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", places(&r));
    let limit = errors_of(&r, "unreadable");
    assert_eq!(limit.len(), 1, "{:?}", places(&r));
    assert!(limit[0].message.contains("times"), "{}", limit[0].message);
}

#[test]
fn a_corrupt_zip_is_unreadable() {
    let r = report("archives/corrupt.zip");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", places(&r));
    assert_eq!(errors_of(&r, "unreadable").len(), 1, "{:?}", places(&r));
}

#[test]
fn an_encrypted_member_cannot_be_checked() {
    let r = report("archives/encrypted.zip");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", places(&r));
    let u = errors_of(&r, "unreadable");
    assert_eq!(u.len(), 1, "{:?}", places(&r));
    assert_eq!(u[0].location.member.as_deref(), Some("secret.csv"));
    assert!(u[0].message.contains("encrypted"), "{}", u[0].message);
}

#[test]
fn an_office_lock_file_inside_an_archive_is_hidden_content() {
    let r = report("archives/lock.zip");
    let hidden: Vec<_> = places(&r)
        .into_iter()
        .filter(|(rule, _, _)| rule == "hidden-content")
        .collect();
    assert_eq!(
        hidden,
        vec![(
            "hidden-content".to_string(),
            Severity::Warning,
            Some("~$tables.xlsx".to_string())
        )],
        "{:?}",
        places(&r)
    );
    assert_ne!(r.verdict, Verdict::Pass);
}

/// Archives cut short are never passed and never make a reader fail.
#[test]
fn cut_archives_are_never_passed_and_never_a_reader_failure() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, bytes) in generated() {
        let base = name.rsplit('/').next().unwrap_or(name);
        for k in 1..8 {
            let cut = bytes.len() * k / 8;
            std::fs::write(dir.path().join(format!("{k}_{base}")), &bytes[..cut]).expect("written");
        }
    }
    let rules = export_check::config::Rules::default_rules();
    let r = export_check::check(dir.path(), &rules, &Default::default()).expect("runs");
    for f in &r.files {
        assert_ne!(f.verdict, Verdict::Pass, "{} passed", f.path);
        for x in &f.findings {
            assert!(
                !x.message.contains("reader failed"),
                "{}: {}",
                f.path,
                x.message
            );
        }
    }
}

/// A profile or a rules file forbids archives by leaving their formats off `[file_types]
/// allowed`: the archive itself is then a `file-type` error, while its members are still
/// checked (and named) like any other.
#[test]
fn a_rules_file_can_forbid_archives() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("no-archives.toml");
    std::fs::write(
        &path,
        "[file_types]\nallowed = [\"csv\", \"tsv\", \"text\", \"xlsx\", \"pdf\", \"png\"]\n",
    )
    .expect("rules file written");
    let rules = export_check::config::Rules::load("default", Some(&path), None)
        .expect("the rules file loads");
    let r = common::report_with("archives/clean.zip", &rules);
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", places(&r));
    let types = errors_of(&r, "file-type");
    assert_eq!(types.len(), 1, "{:?}", places(&r));
    assert_eq!(types[0].location.member, None);
    // Under the default rules the same archive passes.
    assert_eq!(report("archives/clean.zip").verdict, Verdict::Pass);
}
