//! Ground-truth differential test of the back-calculation audit (issue part C.3).
//!
//! A seeded generator (`differential/gen.rs`) draws random delivered tables across what real
//! exports look like, each with its truth: the true counts, the true structure (which cells are
//! totals of which) and which cells were suppressed. An exact reference
//! (`differential/reference.rs`) builds the reader's linear system from the true structure,
//! never from the tool's detection, and computes every hidden cell's exact interval (LP over
//! the non-negative reals with good_lp, integers where the LP point is not integral), then
//! applies the project's verdict rules. Each table is rendered (`differential/render.rs`),
//! written to a temporary file and checked through the public API
//! (`export_check::check`) under its profile.
//!
//! A **false pass** is a table the reference says must fail (an error-level B1, B2 or B3, or
//! a recovered 0 under the `uk` profile) whose report has no `back-calculation` error; or a
//! shown small count without a `small-count` error. A **false alarm** is an error the reference
//! does not call for: a `back-calculation` error on a table the reference finds safe, a
//! `small-count` error where no small count is shown, or an error of any other rule. Every
//! mismatching table is re-rendered with one presentation feature changed at a time (word
//! headers, totals last, comma CSV …) to name the feature the tool trips on.
//!
//! `cargo test --test differential` runs the harness self-checks, 300 tables of the full mix
//! (`random_tables_agree_with_the_exact_reference`) and 300 of the presentations the tool has
//! long read (`tables_the_tool_reads_agree_with_the_exact_reference`). Thousands of tables are
//! one command (see the README, and `EXPORT_CHECK_DIFF_TABLES`, `EXPORT_CHECK_DIFF_SEED`,
//! `EXPORT_CHECK_DIFF_SHOW`).

#[path = "differential/gen.rs"]
mod gen;
#[path = "differential/reference.rs"]
mod reference;
#[path = "differential/render.rs"]
mod render;
#[path = "differential/rng.rs"]
mod rng;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use export_check::config::Rules;
use export_check::finding::Severity;
use export_check::{check, Options};

use gen::{Case, HierStyle, Kind, LabelKind, Mix, Profile, Sep, Style, Thousands};
use reference::{Judgement, Params};
use render::Rendered;

const BC: &str = "back-calculation";
const SC: &str = "small-count";

/// The profiles' rules, loaded once.
struct Profiles {
    rules: Vec<(Profile, Rules)>,
}

impl Profiles {
    fn load() -> Profiles {
        let rules = Profile::ALL
            .iter()
            .map(|&p| {
                let r = Rules::load(p.name(), None, None).expect("embedded profile loads");
                assert_eq!(
                    i64::from(r.thresholds.min_count),
                    p.threshold(),
                    "threshold of profile {}",
                    p.name()
                );
                (p, r)
            })
            .collect();
        Profiles { rules }
    }

    fn rules(&self, p: Profile) -> &Rules {
        &self
            .rules
            .iter()
            .find(|(q, _)| *q == p)
            .expect("every profile loaded")
            .1
    }

    fn params(&self, p: Profile) -> Params {
        let r = self.rules(p);
        Params {
            t: i64::from(r.thresholds.min_count),
            narrow_max_values: i64::from(r.back_calculation.narrow_max_values),
            zero_is_unsafe: r.thresholds.zero_is_unsafe,
            recovered_zero_fails: r.back_calculation.recovered_zero_fails,
        }
    }
}

/// One finding of the tool, as the harness compares and prints it.
#[derive(Clone, Debug)]
struct ToolFinding {
    severity: Severity,
    rule: &'static str,
    cell: String,
    message: String,
}

#[derive(Clone, Debug, Default)]
struct ToolOutcome {
    findings: Vec<ToolFinding>,
}

impl ToolOutcome {
    fn error(&self, rule: &str) -> bool {
        self.findings
            .iter()
            .any(|f| f.rule == rule && f.severity == Severity::Error)
    }

    fn other_errors(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.rule != BC && f.rule != SC)
            .map(|f| f.rule)
            .collect();
        v.dedup();
        v
    }

    /// What the tool's own findings say about a miss: no structure, a mismatch, a downgrade.
    fn hint(&self) -> &'static str {
        let bc = |s: &str| {
            self.findings
                .iter()
                .any(|f| f.rule == BC && f.message.contains(s))
        };
        if bc("no totals or sub-totals detected") {
            "tool: no structure detected"
        } else if bc("structure mismatch S1") {
            "tool: S1 mismatch"
        } else if bc("rests on an assumed structure") {
            "tool: error downgraded (assumed structure)"
        } else if self.findings.iter().any(|f| {
            f.rule == BC
                && f.severity == Severity::Warning
                && (f.message.contains("[B1]")
                    || f.message.contains("[B2]")
                    || f.message.contains("[B3]"))
        }) {
            "tool: B1/B2/B3 only as a warning"
        } else if self.findings.iter().any(|f| f.rule == BC) {
            "tool: structure found, other findings"
        } else {
            "tool: no back-calculation finding"
        }
    }
}

/// Writes the table to `dir` and checks it under the profile.
fn run_tool(dir: &Path, r: &Rendered, rules: &Rules) -> ToolOutcome {
    let path = dir.join(format!("table.{}", r.ext));
    std::fs::write(&path, &r.text).expect("write the table");
    let opts = Options {
        jobs: Some(1),
        ..Options::default()
    };
    let report = check(&path, rules, &opts).expect("check runs");
    std::fs::remove_file(&path).expect("remove the table");
    let findings = report
        .files
        .iter()
        .flat_map(|f| f.findings.iter())
        .map(|f| ToolFinding {
            severity: f.severity,
            rule: f.rule,
            cell: f
                .location
                .cell
                .clone()
                .unwrap_or_else(|| f.location.describe()),
            message: f.message.clone(),
        })
        .collect();
    ToolOutcome { findings }
}

/// Kinds of disagreement: false passes (`Pass…`) and false alarms (`Alarm…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Miss {
    /// The reference finds an error-level back-calculation; the tool has no such error.
    PassBackCalc,
    /// A small count is shown; the tool has no `small-count` error.
    PassSmall,
    /// A `back-calculation` error on a table the reference finds safe.
    AlarmBackCalc,
    /// A `small-count` error where no small count is shown.
    AlarmSmall,
    /// An error of another rule.
    AlarmOther,
}

impl Miss {
    fn name(self) -> &'static str {
        match self {
            Miss::PassBackCalc => "false pass (back-calculation)",
            Miss::PassSmall => "false pass (small-count)",
            Miss::AlarmBackCalc => "false alarm (back-calculation)",
            Miss::AlarmSmall => "false alarm (small-count)",
            Miss::AlarmOther => "false alarm (other rule)",
        }
    }

    fn is_false_pass(self) -> bool {
        matches!(self, Miss::PassBackCalc | Miss::PassSmall)
    }
}

fn misses(j: &Judgement, tool: &ToolOutcome) -> Vec<Miss> {
    let mut m = Vec::new();
    match (j.backcalc_error(), tool.error(BC)) {
        (true, false) => m.push(Miss::PassBackCalc),
        (false, true) => m.push(Miss::AlarmBackCalc),
        _ => {}
    }
    match (j.small_count(), tool.error(SC)) {
        (true, false) => m.push(Miss::PassSmall),
        (false, true) => m.push(Miss::AlarmSmall),
        _ => {}
    }
    if !tool.other_errors().is_empty() {
        m.push(Miss::AlarmOther);
    }
    m
}

/// The presentation features of a case, for the figures.
fn features(c: &Case) -> Vec<(&'static str, String)> {
    let s = &c.style;
    let mut f = vec![
        ("kind", c.kind.name().to_string()),
        ("profile", c.profile.name().to_string()),
        ("language", s.lang.name().to_string()),
        ("separator", s.sep.name().to_string()),
        ("thousands", s.thousands.name().to_string()),
        (
            "markers",
            if s.primary_bounded {
                "<t + bare".to_string()
            } else {
                "bare".to_string()
            },
        ),
        ("secondary", c.secondary.name().to_string()),
        (
            "title",
            if s.title.is_some() { "yes" } else { "no" }.to_string(),
        ),
        (
            "share column",
            if s.share.is_some() { "yes" } else { "no" }.to_string(),
        ),
        (
            "total row/category",
            if s.total_row_first { "first" } else { "last" }.to_string(),
        ),
    ];
    if s.col_kind == LabelKind::Letters && s.col_labels.len() > 1 {
        f.push(("letter headers", letter_hazard(c).to_string()));
    }
    match c.kind {
        Kind::Wide => {
            f.push(("column header", s.col_kind.name().to_string()));
            f.push(("row stub", s.row_kind.name().to_string()));
            f.push((
                "total column",
                if s.total_col_first { "first" } else { "last" }.to_string(),
            ));
        }
        Kind::Hierarchy => {
            let h = s.hier.as_ref().expect("hierarchy labels");
            f.push(("hierarchy", h.style.name().to_string()));
            f.push((
                "sub-total row",
                if h.parent_first { "first" } else { "last" }.to_string(),
            ));
            if s.col_labels.len() > 1 {
                f.push(("column header", s.col_kind.name().to_string()));
            }
        }
        Kind::Long => {
            let l = s.long.as_ref().expect("long labels");
            f.push(("long dims", l.cats.len().to_string()));
        }
    }
    f
}

/// Whether letter headers include a single-letter estimate word of the vocabulary (`b`, `f`,
/// `p`, `t`, `z`: beta, F, p, t and z statistics) or a bare marker of the profile (`c`, `s`,
/// `x` in `rules/default.toml`, only `x` in the `dk`, `fi` and `be` lists).
fn letter_hazard(c: &Case) -> &'static str {
    let markers: &[&str] = match c.profile {
        Profile::Default | Profile::Uk => &["C", "S", "X"],
        _ => &["X"],
    };
    let labels = &c.style.col_labels;
    let estimate = labels
        .iter()
        .any(|l| ["B", "F", "P", "T", "Z"].contains(&l.as_str()));
    let marker = labels.iter().any(|l| markers.contains(&l.as_str()));
    match (estimate, marker) {
        (true, true) => "estimate and marker letters",
        (true, false) => "an estimate letter (B F P T Z)",
        (false, true) => "a marker letter (C S X)",
        (false, false) => "neither",
    }
}

const V_WORDS: &str = "word headers (Gruppe A …)";
const V_SUBTOTAL_FIRST: &str = "sub-total rows first";
const V_NO_THOUSANDS: &str = "no thousands separators";
const V_NAMED_STUB: &str = "named stub header";
const V_NO_SHARE: &str = "no share column";

/// Counterfactual presentations: one feature changed toward what the tool is known to read.
fn variants(c: &Case) -> Vec<(&'static str, Style)> {
    let s = &c.style;
    let mut v: Vec<(&'static str, Style)> = Vec::new();
    let mut push = |name: &'static str, f: &dyn Fn(&mut Style)| {
        let mut t = s.clone();
        f(&mut t);
        if format!("{t:?}") != format!("{s:?}") {
            v.push((name, t));
        }
    };
    push(V_WORDS, &|t| t.group_word_columns());
    push("region row labels", &|t| t.region_rows());
    push("totals last", &|t| {
        t.total_row_first = false;
        t.total_col_first = false;
    });
    push(V_SUBTOTAL_FIRST, &|t| {
        if let Some(h) = t.hier.as_mut() {
            h.parent_first = true;
        }
    });
    push("comma CSV without thousands separators", &|t| {
        t.sep = Sep::Comma;
        t.thousands = Thousands::None;
        t.decimal_comma = false;
    });
    push("no thousands separators", &|t| {
        t.thousands = Thousands::None
    });
    push("no title or note", &|t| {
        t.title = None;
        t.note = None;
    });
    push(V_NO_SHARE, &|t| t.share = None);
    push("total label 'Total'", &|t| {
        t.total_label = "Total".to_string();
        if let Some(l) = t.long.as_mut() {
            for x in &mut l.totals {
                *x = "Total".to_string();
            }
        }
    });
    push("bare marker x everywhere", &|t| {
        t.primary_marker = "x".to_string();
        t.secondary_marker = "x".to_string();
        t.primary_bounded = false;
    });
    push(V_NAMED_STUB, &|t| {
        if t.stub_header.is_empty() {
            t.stub_header = "Region".to_string();
        }
    });
    push("LF line ends, no BOM", &|t| {
        t.crlf = false;
        t.bom = false;
    });
    push("indented children", &|t| {
        if let Some(h) = t.hier.as_mut() {
            for g in &mut h.children {
                for x in g.iter_mut() {
                    if !x.starts_with(' ') {
                        *x = format!("  {x}");
                    }
                }
            }
        }
    });
    v
}

/// The known classes of mismatch (diagnosed in /work/notes/differential.md), from a case's
/// features and the counterfactual that removes the mismatch; a new kind of mismatch is
/// `unclassified`.
fn known_class(o: &Outcome) -> &'static str {
    let c = &o.case;
    let s = &c.style;
    let fixed = |v: &str| o.fixes.contains(&v);
    let hier = s.hier.as_ref().map(|h| (h.style, h.parent_first));
    if s.col_kind == LabelKind::Letters && s.col_labels.len() > 1 {
        match letter_hazard(c) {
            "an estimate letter (B F P T Z)" => return "L1 letter headers: an estimate letter",
            "a marker letter (C S X)" => return "L2 letter headers: a marker letter",
            "estimate and marker letters" => {
                return "L1+L2 letter headers: estimate and marker letters"
            }
            _ => {}
        }
    }
    let numeric_codes = s.col_kind == LabelKind::Codes
        && s.col_labels.len() > 1
        && s.col_labels
            .iter()
            .all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    if numeric_codes && fixed(V_WORDS) {
        return "N numeric code headers";
    }
    match hier {
        Some((HierStyle::Indent, false)) => return "H1 sub-total row after its indented children",
        Some((HierStyle::Unmarked, _)) => return "H2 unmarked sub-totals",
        Some((HierStyle::LabelledSubtotal, true)) => {
            return "H3 labelled sub-total row above its children"
        }
        Some((HierStyle::CodePrefix, _)) if s.stub_header.is_empty() && fixed(V_NAMED_STUB) => {
            return "S codes of mixed width under an empty stub header"
        }
        _ => {}
    }
    if s.thousands != Thousands::None && fixed(V_NO_THOUSANDS) {
        return "T thousands separators without decimal evidence";
    }
    if s.share.is_some() && fixed(V_NO_SHARE) {
        return "P share column read as the share of a hidden cell";
    }
    "unclassified"
}

/// Everything normalised at once toward the presentation the tool reads best.
fn normalised(c: &Case) -> Style {
    let mut t = c.style.clone();
    t.group_word_columns();
    t.region_rows();
    t.total_row_first = false;
    t.total_col_first = false;
    t.sep = Sep::Comma;
    t.thousands = Thousands::None;
    t.decimal_comma = false;
    t.title = None;
    t.note = None;
    t.share = None;
    t.total_label = "Total".to_string();
    if let Some(l) = t.long.as_mut() {
        for x in &mut l.totals {
            *x = "Total".to_string();
        }
    }
    t.crlf = false;
    t.bom = false;
    if let Some(h) = t.hier.as_mut() {
        h.parent_first = true;
    }
    if t.stub_header.is_empty() {
        t.stub_header = "Region".to_string();
    }
    t
}

/// The result of one table.
struct Outcome {
    case: Case,
    rendered: Rendered,
    judgement: Judgement,
    tool: ToolOutcome,
    misses: Vec<Miss>,
    /// Single changes that remove every miss, and whether normalising everything does.
    fixes: Vec<&'static str>,
    normalised_fixes: bool,
}

impl Outcome {
    /// For a table both call disclosive: whether some back-calculation error of the tool is at
    /// a place the reference flags (a hidden cell of an error, or the total of a B2 relation).
    fn same_place(&self) -> Option<bool> {
        if !self.judgement.backcalc_error() || !self.tool.error(BC) {
            return None;
        }
        let places: Vec<&str> = self
            .judgement
            .findings
            .iter()
            .filter(|f| f.code.is_error() && f.code != reference::Code::Small)
            .flat_map(|f| f.cells.iter().chain(f.total.iter()))
            .map(|&c| self.rendered.cell_ref[c].as_str())
            .collect();
        Some(self.tool.findings.iter().any(|f| {
            f.rule == BC && f.severity == Severity::Error && places.contains(&f.cell.as_str())
        }))
    }

    fn miss_names(&self) -> String {
        self.misses
            .iter()
            .map(|m| m.name())
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// A one-line class of a mismatch.
    fn class(&self) -> String {
        let cause = match self.fixes.len() {
            0 if self.normalised_fixes => "fixed only by normalising several features".to_string(),
            0 => "not fixed by presentation".to_string(),
            1 => format!("fixed by: {}", self.fixes[0]),
            _ => format!("fixed by any of: {}", self.fixes.join(" | ")),
        };
        format!("{cause} [{}]", self.tool.hint())
    }
}

fn judge_style(case: &Case, style: &Style, profiles: &Profiles) -> Judgement {
    reference::judge(
        &case.truth,
        style.primary_bounded,
        profiles.params(case.profile),
    )
}

fn run_case(case: Case, profiles: &Profiles, dir: &Path, attribute: bool) -> Outcome {
    let rules = profiles.rules(case.profile);
    let judgement = judge_style(&case, &case.style, profiles);
    let rendered = render::render(&case.truth, &case.style);
    let tool = run_tool(dir, &rendered, rules);
    let m = misses(&judgement, &tool);
    let mut fixes = Vec::new();
    let mut normalised_fixes = false;
    if attribute && !m.is_empty() {
        for (name, style) in variants(&case) {
            let j = if style.primary_bounded == case.style.primary_bounded {
                None
            } else {
                Some(judge_style(&case, &style, profiles))
            };
            // A change that alters what the reader can calculate is no fix of the tool.
            if j.as_ref()
                .is_some_and(|j| j.backcalc_error() != judgement.backcalc_error())
            {
                continue;
            }
            let r = render::render(&case.truth, &style);
            let t = run_tool(dir, &r, rules);
            if misses(j.as_ref().unwrap_or(&judgement), &t).is_empty() {
                fixes.push(name);
            }
        }
        if fixes.is_empty() {
            let style = normalised(&case);
            let r = render::render(&case.truth, &style);
            let t = run_tool(dir, &r, rules);
            normalised_fixes = misses(&judgement, &t).is_empty();
        }
    }
    Outcome {
        case,
        rendered,
        judgement,
        tool,
        misses: m,
        fixes,
        normalised_fixes,
    }
}

/// Full report of one mismatching table: seed, features, text, the reference's reasoning and
/// the tool's findings.
fn describe(o: &Outcome) -> String {
    let c = &o.case;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "=== seed {} ({}, profile {}, t = {}): {}",
        c.seed,
        c.kind.name(),
        c.profile.name(),
        c.truth.t,
        o.misses
            .iter()
            .map(|m| m.name())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(s, "class: {}; {}", known_class(o), o.class());
    let feats: Vec<String> = features(c)
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let _ = writeln!(s, "features: {}", feats.join("; "));
    let _ = writeln!(s, "--- table ({}):", o.rendered.ext);
    for line in o.rendered.text.trim_start_matches('\u{feff}').lines() {
        let _ = writeln!(s, "  {}", line.replace('\t', "⇥"));
    }
    let _ = writeln!(
        s,
        "--- reference ({} unknowns, {} relations with unknowns):",
        o.judgement.unknowns.len(),
        o.judgement.relations.len()
    );
    for (i, u) in o.judgement.unknowns.iter().enumerate() {
        let (lo, hi) = o.judgement.intervals[i];
        let _ = writeln!(
            s,
            "  {} {}: box [{}, {}], exact interval [{}, {}], true {}",
            o.rendered.cell_ref[u.cell],
            o.rendered.cell_desc[u.cell],
            u.lo,
            u.hi.map_or("∞".to_string(), |h| h.to_string()),
            lo,
            hi.map_or("∞".to_string(), |h| h.to_string()),
            c.truth.values[u.cell]
        );
    }
    for f in &o.judgement.findings {
        let cells: Vec<&str> = f
            .cells
            .iter()
            .map(|&x| o.rendered.cell_ref[x].as_str())
            .collect();
        let _ = writeln!(
            s,
            "  {} {} at {}: {}",
            if f.code.is_error() { "ERROR" } else { "warn " },
            f.code.name(),
            cells.join(" "),
            f.detail
        );
    }
    if o.judgement.findings.is_empty() {
        let _ = writeln!(s, "  (nothing to report: the table is safe)");
    }
    let _ = writeln!(s, "--- export-check:");
    for f in &o.tool.findings {
        let _ = writeln!(
            s,
            "  {}[{}] {}: {}",
            f.severity.as_str(),
            f.rule,
            f.cell,
            f.message
        );
    }
    if o.tool.findings.is_empty() {
        let _ = writeln!(s, "  (no finding)");
    }
    s
}

/// Figures of a run.
#[derive(Default)]
struct Figures {
    tables: usize,
    by_kind: BTreeMap<&'static str, usize>,
    disclosive: usize,
    by_code: BTreeMap<&'static str, usize>,
    warnings_only: usize,
    leaked: usize,
    unknowns: usize,
    lp_solves: usize,
    milp_solves: usize,
    misses: BTreeMap<Miss, usize>,
    /// Tables both call disclosive, and those where the tool's error is at a reference place.
    both_disclosive: usize,
    same_place: usize,
    other_place_seeds: Vec<u64>,
    misses_by_kind: BTreeMap<(Miss, &'static str), usize>,
    /// feature → value → (tables, disclosive, false passes, false alarms)
    by_feature: BTreeMap<&'static str, BTreeMap<String, [usize; 4]>>,
    classes: BTreeMap<(String, String), Vec<u64>>,
    /// known class → miss → seeds
    known: BTreeMap<&'static str, BTreeMap<Miss, Vec<u64>>>,
    other_rules: BTreeMap<&'static str, usize>,
}

impl Figures {
    fn add(&mut self, o: &Outcome) {
        let c = &o.case;
        self.tables += 1;
        *self.by_kind.entry(c.kind.name()).or_default() += 1;
        let j = &o.judgement;
        self.unknowns += j.unknowns.len();
        self.lp_solves += j.lp_solves;
        self.milp_solves += j.milp_solves;
        if let Some(code) = j.main_code() {
            self.disclosive += 1;
            *self.by_code.entry(code.name()).or_default() += 1;
        } else if !j.findings.is_empty() && !j.small_count() {
            self.warnings_only += 1;
        }
        if j.small_count() {
            self.leaked += 1;
        }
        if let Some(same) = o.same_place() {
            self.both_disclosive += 1;
            self.same_place += usize::from(same);
            if !same {
                self.other_place_seeds.push(c.seed);
            }
        }
        let fp = o.misses.iter().any(|m| m.is_false_pass());
        let fa = o.misses.iter().any(|m| !m.is_false_pass());
        for &m in &o.misses {
            *self.misses.entry(m).or_default() += 1;
            *self.misses_by_kind.entry((m, c.kind.name())).or_default() += 1;
        }
        for r in o.tool.other_errors() {
            *self.other_rules.entry(r).or_default() += 1;
        }
        for (k, v) in features(c) {
            let e = self.by_feature.entry(k).or_default().entry(v).or_default();
            e[0] += 1;
            e[1] += usize::from(j.backcalc_error());
            e[2] += usize::from(fp);
            e[3] += usize::from(fa);
        }
        for &m in &o.misses {
            self.known
                .entry(known_class(o))
                .or_default()
                .entry(m)
                .or_default()
                .push(c.seed);
        }
        if !o.misses.is_empty() {
            self.classes
                .entry((o.miss_names(), format!("{} — {}", c.kind.name(), o.class())))
                .or_default()
                .push(c.seed);
        }
    }

    fn report(&self, seed: u64) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "differential: {} tables from seed {seed} ({})",
            self.tables,
            self.by_kind
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            s,
            "reference: {} disclosive ({}), {} with warnings only, {} with a small count shown; {} unknowns, {} LPs, {} integer programs",
            self.disclosive,
            self.by_code
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            self.warnings_only,
            self.leaked,
            self.unknowns,
            self.lp_solves,
            self.milp_solves
        );
        let _ = writeln!(
            s,
            "agreement on disclosive tables: {} flagged by both, {} of them with a tool error at a cell the reference flags (others: seeds {})",
            self.both_disclosive,
            self.same_place,
            self.other_place_seeds
                .iter()
                .take(10)
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        );
        let total_misses: usize = self.misses.values().sum();
        let _ = writeln!(s, "mismatches: {total_misses}");
        for (m, n) in &self.misses {
            let kinds: Vec<String> = self
                .misses_by_kind
                .iter()
                .filter(|((mm, _), _)| mm == m)
                .map(|((_, k), n)| format!("{k} {n}"))
                .collect();
            let _ = writeln!(s, "  {}: {n} ({})", m.name(), kinds.join(", "));
        }
        for (r, n) in &self.other_rules {
            let _ = writeln!(s, "  other rule with errors: {r}: {n}");
        }
        let _ = writeln!(
            s,
            "by feature (tables / disclosive / false passes / false alarms):"
        );
        for (k, vals) in &self.by_feature {
            let parts: Vec<String> = vals
                .iter()
                .map(|(v, [n, d, fp, fa])| format!("{v} {n}/{d}/{fp}/{fa}"))
                .collect();
            let _ = writeln!(s, "  {k}: {}", parts.join(", "));
        }
        let _ = writeln!(s, "known classes (mismatches, first seeds):");
        for (class, by_miss) in &self.known {
            for (m, seeds) in by_miss {
                let shown: Vec<String> = seeds.iter().take(6).map(|x| x.to_string()).collect();
                let _ = writeln!(
                    s,
                    "  {:>4}  {class}: {}  seeds {}{}",
                    seeds.len(),
                    m.name(),
                    shown.join(" "),
                    if seeds.len() > 6 { " …" } else { "" }
                );
            }
        }
        let _ = writeln!(s, "counterfactual classes (seeds):");
        for ((miss, class), seeds) in &self.classes {
            let shown: Vec<String> = seeds.iter().take(8).map(|x| x.to_string()).collect();
            let _ = writeln!(
                s,
                "  {:>4}  {miss}: {class}  seeds {}{}",
                seeds.len(),
                shown.join(" "),
                if seeds.len() > 8 { " …" } else { "" }
            );
        }
        s
    }
}

fn env_num(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {v:?}")),
        Err(_) => default,
    }
}

/// Runs `n` tables from `seed` of a mix, on a few threads; returns the figures and the
/// descriptions of the mismatches.
fn run(mix: &Mix, seed: u64, n: u64, attribute: bool) -> (Figures, Vec<String>, Vec<String>) {
    let profiles = Profiles::load();
    let threads = std::thread::available_parallelism()
        .map_or(2, |x| x.get())
        .clamp(1, 8) as u64;
    let mut outcomes: Vec<(u64, Outcome)> = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|w| {
                let profiles = &profiles;
                scope.spawn(move || {
                    let dir = tempfile::tempdir().expect("temporary folder");
                    let mut out = Vec::new();
                    let mut i = w;
                    while i < n {
                        let case = gen::generate(seed + i, mix);
                        out.push((i, run_case(case, profiles, dir.path(), attribute)));
                        i += threads;
                    }
                    out
                })
            })
            .collect();
        for h in handles {
            outcomes.extend(h.join().expect("worker finished"));
        }
    });
    outcomes.sort_by_key(|(i, _)| *i);
    let mut figures = Figures::default();
    let mut details = Vec::new();
    let mut lines = Vec::new();
    let print_all = env_num("EXPORT_CHECK_DIFF_ALL", 0) != 0;
    for (_, o) in &outcomes {
        figures.add(o);
        if print_all {
            println!("{}", describe(o));
        }
        if !o.misses.is_empty() {
            details.push(describe(o));
            lines.push(format!(
                "seed {} {}: {}: {}",
                o.case.seed,
                o.case.kind.name(),
                o.miss_names(),
                o.class()
            ));
        }
    }
    (figures, details, lines)
}

/// Prints the figures and up to `EXPORT_CHECK_DIFF_SHOW` mismatches in full; fails on any.
fn run_and_assert(mix: &Mix, default_tables: u64) {
    let n = env_num("EXPORT_CHECK_DIFF_TABLES", default_tables);
    let seed = env_num("EXPORT_CHECK_DIFF_SEED", 1);
    let show = env_num("EXPORT_CHECK_DIFF_SHOW", 5) as usize;
    let (figures, details, lines) = run(mix, seed, n, true);
    println!("{}", figures.report(seed));
    for d in details.iter().take(show) {
        println!("{d}");
    }
    if details.len() > show {
        println!("… and {} more mismatches:", details.len() - show);
        for l in lines.iter().skip(show) {
            println!("  {l}");
        }
    }
    assert!(
        details.is_empty(),
        "{} of {n} tables disagree with the exact reference (seeds from {seed}); rerun one with \
         EXPORT_CHECK_DIFF_SEED=<seed> EXPORT_CHECK_DIFF_TABLES=1",
        details.len()
    );
}

/// The presentations the tool reads today: word headers over the columns (`Gruppe A` …),
/// regions in the stub, totals and sub-totals where readers expect them (totals last, each
/// sub-total row above its indented children), no thousands separators; every separator,
/// language, profile, marker and suppression strategy; 2-D tables, indented hierarchies and
/// long tables.
fn readable_mix() -> Mix {
    let mut m = Mix::full();
    m.kinds = vec![(Kind::Wide, 50), (Kind::Hierarchy, 25), (Kind::Long, 25)];
    m.col_kinds = vec![(LabelKind::GroupWords, 1)];
    m.row_kinds = vec![(LabelKind::Regions, 1)];
    m.hier_styles = vec![(HierStyle::Indent, 1)];
    m.parent_first = Some(true);
    m.p_thousands = 0.0;
    m.p_total_first = 0.0;
    m
}

#[test]
fn random_tables_agree_with_the_exact_reference() {
    run_and_assert(&Mix::full(), 300);
}

#[test]
fn tables_the_tool_reads_agree_with_the_exact_reference() {
    run_and_assert(&readable_mix(), 300);
}

// ---------------------------------------------------------------------------------------------
// Self-checks of the harness.

#[test]
fn generation_is_deterministic() {
    let mix = Mix::full();
    for seed in [1u64, 7, 12345] {
        let a = render::render(
            &gen::generate(seed, &mix).truth,
            &gen::generate(seed, &mix).style,
        );
        let b = render::render(
            &gen::generate(seed, &mix).truth,
            &gen::generate(seed, &mix).style,
        );
        assert_eq!(a.text, b.text, "seed {seed}");
    }
}

#[test]
fn generated_relations_hold_and_only_inner_cells_are_small() {
    let mix = Mix::full();
    for seed in 0..300u64 {
        let c = gen::generate(seed, &mix);
        let t = &c.truth;
        for r in &t.relations {
            let s: i64 = r.parts.iter().map(|&p| t.values[p]).sum();
            assert_eq!(s, t.values[r.total], "seed {seed}");
        }
        for (i, &v) in t.values.iter().enumerate() {
            if !t.inner[i] {
                assert!(v == 0 || v >= t.t, "seed {seed}: margin {i} is {v}");
            }
            if t.hidden[i] {
                assert!(t.inner[i], "seed {seed}: only inner cells are hidden");
            }
        }
    }
}

/// Exhaustive integer intervals of a small system, for checking the LP reference.
fn enumerate(
    unknowns: &[reference::RefUnknown],
    relations: &[reference::RefRelation],
    limit: u64,
) -> Option<Vec<(i64, i64)>> {
    let n = unknowns.len();
    let mut hi: Vec<i64> = unknowns.iter().map(|u| u.hi.unwrap_or(i64::MAX)).collect();
    for r in relations {
        if r.terms.iter().all(|&(_, a)| a == 1) {
            for &(v, _) in &r.terms {
                hi[v] = hi[v].min(r.rhs);
            }
        }
    }
    let space: f64 = hi.iter().map(|&h| (h + 1) as f64).product();
    if hi.contains(&i64::MAX) || space > limit as f64 {
        return None;
    }
    let mut best = vec![(i64::MAX, i64::MIN); n];
    let mut x = vec![0i64; n];
    fn rec(
        i: usize,
        x: &mut Vec<i64>,
        hi: &[i64],
        rels: &[reference::RefRelation],
        best: &mut [(i64, i64)],
    ) {
        if i == x.len() {
            if rels
                .iter()
                .all(|r| r.terms.iter().map(|&(v, a)| a * x[v]).sum::<i64>() == r.rhs)
            {
                for (b, &v) in best.iter_mut().zip(x.iter()) {
                    b.0 = b.0.min(v);
                    b.1 = b.1.max(v);
                }
            }
            return;
        }
        for v in 0..=hi[i] {
            x[i] = v;
            rec(i + 1, x, hi, rels, best);
        }
    }
    rec(0, &mut x, &hi, relations, &mut best);
    Some(best)
}

#[test]
fn reference_intervals_match_enumeration() {
    let profiles = Profiles::load();
    let mix = Mix::full();
    let mut checked = 0;
    let mut seed = 0u64;
    while checked < 40 && seed < 20_000 {
        let c = gen::generate(seed, &mix);
        seed += 1;
        let (u, r) = reference::system(&c.truth, c.style.primary_bounded);
        if u.len() < 2 {
            continue;
        }
        let Some(brute) = enumerate(&u, &r, 200_000) else {
            continue;
        };
        let j = reference::judge(
            &c.truth,
            c.style.primary_bounded,
            profiles.params(c.profile),
        );
        for (i, &(lo, hi)) in brute.iter().enumerate() {
            assert_eq!(
                j.intervals[i],
                (lo, Some(hi)),
                "seed {}: unknown {i} of {}",
                c.seed,
                u.len()
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} small systems found");
}

/// The Danish table of issue part C.1: nine `x`, one of which (B2, true value 3) comes back by
/// combining rows `Aarhus` and `Odense` with columns `B` and `C`.
const C1_LETTERS: &str = "\
Kommune;A;B;C;D;E;I alt
Aarhus;x;x;x;20;15;59
Odense;10;x;x;14;16;58
Aalborg;x;13;17;x;21;65
Esbjerg;x;19;10;x;12;53
Randers;14;9;18;22;11;74
I alt;41;60;65;68;75;309
";

fn check_text(text: &str, ext: &str, profile: &str) -> ToolOutcome {
    let dir = tempfile::tempdir().expect("temporary folder");
    let rules = Rules::load(profile, None, None).expect("profile loads");
    let r = Rendered {
        text: text.to_string(),
        ext: if ext == "tsv" { "tsv" } else { "csv" },
        cell_ref: Vec::new(),
        cell_desc: Vec::new(),
    };
    run_tool(dir.path(), &r, &rules)
}

#[test]
fn c1_word_headers_fail_with_b1() {
    let text = C1_LETTERS.replace(
        ";A;B;C;D;E;",
        ";Gruppe A;Gruppe B;Gruppe C;Gruppe D;Gruppe E;",
    );
    let out = check_text(&text, "csv", "dk");
    assert!(
        out.findings.iter().any(|f| f.rule == BC
            && f.severity == Severity::Error
            && f.cell == "B2"
            && f.message.contains("[B1]")),
        "{:?}",
        out.findings
    );
}

#[test]
fn c1_letter_headers_fail_with_b1() {
    let out = check_text(C1_LETTERS, "csv", "dk");
    assert!(out.error(BC), "{:?}", out.findings);
}

#[test]
fn c1_reference_pins_the_cell_to_3() {
    let x = true;
    let o = false;
    let inner = vec![
        vec![3, 12, 9, 20, 15],
        vec![10, 7, 11, 14, 16],
        vec![6, 13, 17, 8, 21],
        vec![8, 19, 10, 4, 12],
        vec![14, 9, 18, 22, 11],
    ];
    let hidden = vec![
        vec![x, x, x, o, o],
        vec![o, x, x, o, o],
        vec![x, o, o, x, o],
        vec![x, o, o, x, o],
        vec![o, o, o, o, o],
    ];
    let truth = gen::wide_truth(&inner, &hidden, 5);
    let profiles = Profiles::load();
    let j = reference::judge(&truth, false, profiles.params(Profile::Dk));
    let b1: Vec<(i64, Option<i64>)> = j
        .findings
        .iter()
        .filter(|f| f.code == reference::Code::B1)
        .flat_map(|f| f.cells.iter())
        .map(|&c| (truth.values[c], Some(truth.values[c])))
        .collect();
    assert_eq!(b1, vec![(3, Some(3))], "{:?}", j.findings);
    assert!(j.backcalc_error());
    // The same table as the generator renders it is the C.1 text.
    let Some(first) = j.unknowns.first() else {
        panic!("nine unknowns")
    };
    assert_eq!(j.unknowns.len(), 9);
    assert_eq!(j.intervals[0], (3, Some(3)), "{first:?}");
}

// ---------------------------------------------------------------------------------------------
// One minimal table per class of mismatch the differential run found, each stating the correct
// behaviour, beside its control, which differs in one presentation feature only.

/// A single-letter estimate word (`B`, beta) as a column header: the column is not a count
/// column, so `North / B` (3 = 15 − 12) is not audited.
const ESTIMATE_LETTER: &str = "\
Region,A,B,Total
North,12,x,15
South,10,7,17
Total,22,10,32
";

#[test]
fn estimate_letter_header_hides_a_recoverable_cell() {
    let out = check_text(ESTIMATE_LETTER, "csv", "default");
    assert!(out.error(BC), "{:?}", out.findings);
}

#[test]
fn estimate_letter_control_with_word_headers_fails_with_b1() {
    let text = ESTIMATE_LETTER.replace(",A,B,", ",Group A,Group B,");
    let out = check_text(&text, "csv", "default");
    assert!(
        out.findings
            .iter()
            .any(|f| f.severity == Severity::Error && f.cell == "C2" && f.message.contains("[B1]")),
        "{:?}",
        out.findings
    );
}

/// A small count shown under a one-letter estimate header.
const SMALL_UNDER_F: &str = "\
Region,E,F,Total
North,20,2,22
South,14,15,29
Total,34,17,51
";

#[test]
fn small_count_under_an_estimate_letter_header_fails() {
    let out = check_text(SMALL_UNDER_F, "csv", "default");
    assert!(out.error(SC), "{:?}", out.findings);
}

#[test]
fn small_count_control_with_word_headers_fails() {
    let text = SMALL_UNDER_F.replace(",E,F,", ",Group E,Group F,");
    let out = check_text(&text, "csv", "default");
    assert!(out.error(SC), "{:?}", out.findings);
}

/// A header `C` is a bare marker of `rules/default.toml` (`c`, `s`, `x`): the header line is
/// read as a body row and `C` as a suppressed cell, which the `uk` profile then finds
/// "recovered exactly" (as 0) from the column totals.
const MARKER_LETTER: &str = "\
Region,C,D,Total
North,21,0,21
South,14,15,29
Total,35,15,50
";

#[test]
fn marker_letter_header_is_not_a_suppressed_cell() {
    let out = check_text(MARKER_LETTER, "csv", "uk");
    assert!(!out.error(BC), "{:?}", out.findings);
    assert!(
        out.findings.iter().all(|f| f.cell != "B1"),
        "{:?}",
        out.findings
    );
}

#[test]
fn marker_letter_control_with_word_headers_passes() {
    let text = MARKER_LETTER.replace(",C,D,", ",Group C,Group D,");
    let out = check_text(&text, "csv", "uk");
    assert!(!out.error(BC), "{:?}", out.findings);
}

/// Indented children above their sub-total row: `Leeds` is 17 − 13 = 4.
const SUBTOTAL_AFTER_CHILDREN: &str = "\
Region,Patients
  Leeds,x
  York,13
North,17
  Hull,20
  Bath,11
South,31
Total,48
";

#[test]
fn subtotal_after_indented_children_fails_with_b1() {
    let out = check_text(SUBTOTAL_AFTER_CHILDREN, "csv", "default");
    assert!(out.error(BC), "{:?}", out.findings);
}

#[test]
fn subtotal_control_above_its_children_fails_with_b1() {
    let text = "\
Region,Patients
North,17
  Leeds,x
  York,13
South,31
  Hull,20
  Bath,11
Total,48
";
    let out = check_text(text, "csv", "default");
    assert!(out.error(BC), "{:?}", out.findings);
}

/// Sub-totals marked by nothing but their numbers, in a single count column.
const UNMARKED_SUBTOTALS: &str = "\
Region,Patients
Leeds,x
York,13
North,17
Hull,20
Bath,11
South,31
Total,48
";

#[test]
fn unmarked_subtotals_fail_with_b1() {
    let out = check_text(UNMARKED_SUBTOTALS, "csv", "default");
    assert!(out.error(BC), "{:?}", out.findings);
}

/// Danish thousands separators (`1.208`) in a file with no decimal comma to tell the style.
const DOT_THOUSANDS: &str = "\
Kommune\tGruppe A\tGruppe B\tI alt
Aarhus\t1.208\tx\t1.211
Odense\t205\t1.401\t1.606
I alt\t1.413\t1.404\t2.817
";

#[test]
fn dot_thousands_without_decimal_commas_fail_with_b1() {
    let out = check_text(DOT_THOUSANDS, "tsv", "dk");
    assert!(out.error(BC), "{:?}", out.findings);
}

#[test]
fn dot_thousands_control_without_separators_fails_with_b1() {
    let text = DOT_THOUSANDS
        .replace("1.2", "12")
        .replace("1.4", "14")
        .replace("1.6", "16")
        .replace("2.8", "28");
    let out = check_text(&text, "tsv", "dk");
    assert!(out.error(BC), "{:?}", out.findings);
}

/// Hierarchical codes of two widths (`01` over `011`) under an empty stub header.
const UNNAMED_CODE_STUB: &str = "\
,N
01,34
011,20
012,14
02,24
021,13
022,11
";

#[test]
fn unnamed_code_stub_is_not_a_count_column() {
    let out = check_text(UNNAMED_CODE_STUB, "csv", "default");
    assert!(!out.error(SC), "{:?}", out.findings);
}

#[test]
fn code_stub_control_with_a_code_header_passes() {
    let text = UNNAMED_CODE_STUB.replace(",N\n", "Kode,N\n");
    let out = check_text(&text, "csv", "default");
    assert!(
        out.findings.iter().all(|f| f.severity != Severity::Error),
        "{:?}",
        out.findings
    );
}

/// Municipality numbers as column headers: the header line is all whole numbers outside
/// 1900–2100, so it is read as a body row.
const NUMERIC_CODE_HEADERS: &str = "\
Region,101,147,Total
North,12,x,15
South,10,7,17
Total,22,10,32
";

#[test]
fn numeric_code_headers_fail_with_b1() {
    let out = check_text(NUMERIC_CODE_HEADERS, "csv", "default");
    assert!(out.error(BC), "{:?}", out.findings);
}

#[test]
fn numeric_code_control_with_letter_prefixed_codes_fails_with_b1() {
    let text = NUMERIC_CODE_HEADERS.replace(",101,147,", ",K01,K02,");
    let out = check_text(&text, "csv", "default");
    assert!(out.error(BC), "{:?}", out.findings);
}

/// Labelled sub-total rows above their children, two hidden cells in each group: `Leeds` and
/// `Hull` sum to 3.
const LABELLED_SUBTOTALS_FIRST: &str = "\
Region,Patients
North total,18
Leeds,x
York,15
Hull,x
South total,60
Bath,31
Bristol,x
Exeter,x
Total,78
";

#[test]
fn labelled_subtotals_above_their_children_fail_with_b2() {
    let out = check_text(LABELLED_SUBTOTALS_FIRST, "csv", "default");
    assert!(out.error(BC), "{:?}", out.findings);
}

#[test]
fn labelled_subtotals_control_below_their_children_fail_with_b2() {
    let text = "\
Region,Patients
Leeds,x
York,15
Hull,x
North total,18
Bath,31
Bristol,x
Exeter,x
South total,60
Total,78
";
    let out = check_text(text, "csv", "default");
    assert!(
        out.findings
            .iter()
            .any(|f| f.severity == Severity::Error && f.message.contains("[B2]")),
        "{:?}",
        out.findings
    );
}

/// A share column after the total column (each row's share of the grand total).
const SHARE_AFTER_TOTAL: &str = "\
Group;Men;Women;Total;Share (%)
A;x;x;19;26.4
B;x;x;9;12.5
C;13;x;28;38.9
D;10;x;16;22.2
Total;40;32;72;100.0
";

#[test]
fn share_of_the_row_total_is_not_a_share_of_a_hidden_cell() {
    let out = check_text(SHARE_AFTER_TOTAL, "csv", "default");
    assert!(
        out.findings.iter().all(|f| f.severity != Severity::Error),
        "{:?}",
        out.findings
    );
}

#[test]
fn share_control_without_the_share_column_passes_with_warnings() {
    let text: String = SHARE_AFTER_TOTAL
        .lines()
        .map(|l| format!("{}\n", l.rsplit_once(';').map_or(l, |x| x.0)))
        .collect();
    let out = check_text(&text, "csv", "default");
    assert!(
        out.findings.iter().all(|f| f.severity != Severity::Error),
        "{:?}",
        out.findings
    );
}

/// Unmarked sub-totals that two cuts of the rows satisfy together (`A` over `B`, `C`, or `C`
/// over `A`, `B`), beside the plain reading: the tool cannot settle which rows are sub-totals
/// and says so (fail closed).
#[test]
fn unsettled_sub_totals_get_a_warning() {
    let text = "Group,N\nA,10\nB,x\nC,x\nD,10\nE,x\nF,x\nTotal,20\n";
    let out = check_text(text, "csv", "default");
    assert!(
        out.findings.iter().any(|f| f.rule == BC
            && f.severity == Severity::Warning
            && f.message.contains("could not be settled")),
        "{:?}",
        out.findings
    );
}
