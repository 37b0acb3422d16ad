//! `file-type`: data sets, executables, archives under other names and hidden files under
//! `fixtures/cases/file-type/`.

use crate::common::places::by_cell::{findings, places};
use crate::common::report;

use export_check::finding::Verdict;

#[test]
fn data_sets_executables_junk_and_renamed_archives_fail() {
    for f in [
        "file-type/cohort.sas7bdat",
        "file-type/tool.bin",
        "file-type/junk.dat",
        "file-type/renamed_archive.csv",
    ] {
        let r = report(f);
        assert_eq!(r.verdict, Verdict::Fail, "{f}");
        assert_eq!(places(&r, "file-type").len(), 1, "{f}: {:?}", findings(&r));
    }
    let r = report("file-type/renamed_archive.csv");
    assert!(
        r.files[0].findings[0].message.contains("zip"),
        "{}",
        r.files[0].findings[0].message
    );
}

#[test]
fn hidden_files_need_review() {
    let r = report("file-type/.Rhistory");
    assert_eq!(r.verdict, Verdict::Review, "{:?}", findings(&r));
}
