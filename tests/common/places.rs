//! The helpers of the exact-place tests: the places, severities and messages of the findings
//! of a report, as each group of tests has always read them.

/// Single-file reports, a place as its cell (`B4`) or else the location text.
pub mod by_cell {
    use export_check::report::Report;

    /// `(rule, place)` of every finding of a single-file report, place as `B4` or the location
    /// text.
    pub fn findings(r: &Report) -> Vec<(String, String)> {
        assert_eq!(r.files.len(), 1);
        r.files[0]
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule.to_string(),
                    f.location
                        .cell
                        .clone()
                        .unwrap_or_else(|| f.location.describe()),
                )
            })
            .collect()
    }

    pub fn places(r: &Report, rule: &str) -> Vec<String> {
        findings(r)
            .into_iter()
            .filter(|(id, _)| id == rule)
            .map(|(_, p)| p)
            .collect()
    }
}

/// Single-file reports, a place with its severity.
pub mod with_severity {
    use export_check::finding::Severity;
    use export_check::report::Report;

    /// `(severity, place)` of the findings of one rule in a single-file report.
    pub fn places(r: &Report, rule: &str) -> Vec<(Severity, String)> {
        assert_eq!(r.files.len(), 1);
        r.files[0]
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| {
                (
                    f.severity,
                    f.location
                        .cell
                        .clone()
                        .unwrap_or_else(|| f.location.describe()),
                )
            })
            .collect()
    }

    /// The places of one rule's errors and warnings (info findings left out).
    pub fn said(r: &Report, rule: &str) -> Vec<String> {
        places(r, rule)
            .into_iter()
            .filter(|(severity, _)| *severity != Severity::Info)
            .map(|(_, place)| place)
            .collect()
    }

    pub fn errors(r: &Report, rule: &str) -> Vec<String> {
        places(r, rule)
            .into_iter()
            .filter(|(s, _)| *s == Severity::Error)
            .map(|(_, p)| p)
            .collect()
    }

    pub const BC: &str = "back-calculation";
    pub const PC: &str = "percent-back-calculation";
}

/// Folder reports: the findings of one file.
pub mod in_folder {
    use export_check::finding::Verdict;
    use export_check::report::Report;

    /// Places (`B4`) of the findings of `rule` in the file `file` of a folder report.
    pub fn places(r: &Report, file: &str, rule: &str) -> Vec<String> {
        let f = r
            .files
            .iter()
            .find(|f| f.path == file)
            .unwrap_or_else(|| panic!("{file} not in report"));
        f.findings
            .iter()
            .filter(|x| x.rule == rule)
            .map(|x| {
                x.location
                    .cell
                    .clone()
                    .unwrap_or_else(|| x.location.describe())
            })
            .collect()
    }

    pub fn verdict(r: &Report, file: &str) -> Verdict {
        r.files
            .iter()
            .find(|f| f.path == file)
            .map(|f| f.verdict)
            .unwrap_or_else(|| panic!("{file} not in report"))
    }

    /// The messages of the findings of `rule` in `file` of a folder report.
    pub fn messages(r: &Report, file: &str, rule: &str) -> Vec<String> {
        r.files
            .iter()
            .filter(|f| f.path == file)
            .flat_map(|f| f.findings.iter())
            .filter(|x| x.rule == rule)
            .map(|x| x.message.clone())
            .collect()
    }

    /// Places of the findings in `file` whose message contains `word`.
    pub fn m_places(r: &Report, file: &str, word: &str) -> Vec<String> {
        r.files
            .iter()
            .filter(|f| f.path == file)
            .flat_map(|f| f.findings.iter())
            .filter(|x| x.message.contains(word))
            .filter_map(|x| x.location.cell.clone())
            .collect()
    }
}

/// Single-file reports, a place as the location text (`table 1, column 1`, `line 4`).
pub mod described {
    use export_check::report::Report;

    /// `(rule, place)` of every finding of a single-file report.
    pub fn findings(r: &Report) -> Vec<(String, String)> {
        assert_eq!(r.files.len(), 1);
        r.files[0]
            .findings
            .iter()
            .map(|f| (f.rule.to_string(), f.location.describe()))
            .collect()
    }

    pub fn places(r: &Report, rule: &str) -> Vec<String> {
        findings(r)
            .into_iter()
            .filter(|(id, _)| id == rule)
            .map(|(_, p)| p)
            .collect()
    }

    pub fn messages(r: &Report, rule: &str) -> Vec<String> {
        r.files[0]
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.message.clone())
            .collect()
    }
}
