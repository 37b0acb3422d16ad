//! What counts as a differencing finding (`docs/tables.md` §8.4): the verdicts of a merged
//! audit that need two tables, checked against each table's audit alone.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::audit::{
    audit, AuditConfig, AuditResult, Origin, Severity as ASeverity, System, VarId, Verdict,
    VerdictCode,
};
use crate::finding::Severity;

use super::system::Meaning;

/// The verdicts of a merged audit that are differencing findings: atoms and cells recovered
/// exactly or narrowed below the threshold (not implied residuals), suppressions another table
/// undoes or narrows, and group sums the tables give together; then only those that need two
/// tables.
pub(super) fn flagged<'r>(
    sys: &System,
    meaning: &[Meaning],
    res: &'r AuditResult,
    cfg: &AuditConfig,
) -> Vec<&'r Verdict> {
    let hidden_cell = |x: VarId| {
        matches!(
            meaning.get(x.0),
            Some(Meaning::Form { .. } | Meaning::Loose { .. })
        ) && sys
            .unknown(x)
            .is_some_and(|u| u.origin == Origin::Suppressed)
    };
    let flagged: Vec<&Verdict> = res
        .verdicts
        .iter()
        .filter(|v| match v.code {
            VerdictCode::ExactSmall | VerdictCode::NarrowedSmall => !matches!(
                v.vars.first().and_then(|x| meaning.get(x.0)),
                Some(Meaning::Residual)
            ),
            // A suppression another table undoes (B5), or narrows below the threshold (B3w).
            VerdictCode::IneffectiveSuppression | VerdictCode::NarrowedWarn => {
                v.vars.first().is_some_and(|&x| hidden_cell(x))
            }
            // A group of persons whose size the tables give together (all − men = women plus
            // anyone of another sex, when the women's cell is hidden): B2 across tables.
            VerdictCode::GroupSumSmall => {
                let sources: BTreeSet<&str> = v
                    .relations
                    .iter()
                    .filter_map(|r| sys.relation(*r).and_then(|x| x.source.as_deref()))
                    .collect();
                v.vars.len() >= 2
                    && sources.len() >= 2
                    && v.vars
                        .iter()
                        .all(|x| !matches!(meaning.get(x.0), Some(Meaning::Residual)))
            }
            _ => false,
        })
        .collect();
    // A finding must need two tables: what one table's own relations already give is
    // back-calculation's (the audit's own derivation tag is not enough, as bound propagation
    // names only the last relation it used).
    let alone = audits_alone(sys, &flagged, cfg);
    flagged
        .into_iter()
        .filter(|v| v.code == VerdictCode::GroupSumSmall || !single_table(sys, res, v, &alone))
        .collect()
}

/// The severity of a verdict's finding: warnings for suppressions that hide nothing or are
/// narrowed, errors for failures.
pub(super) fn severity(v: &Verdict) -> Severity {
    match (v.code, v.severity) {
        (VerdictCode::IneffectiveSuppression | VerdictCode::NarrowedWarn, _) => Severity::Warning,
        (_, ASeverity::Fail) => Severity::Error,
        _ => Severity::Warning,
    }
}

/// The audit of each source (table) alone whose relations a verdict rests on.
fn audits_alone(
    sys: &System,
    verdicts: &[&Verdict],
    cfg: &AuditConfig,
) -> HashMap<String, AuditResult> {
    let sources: BTreeSet<&str> =
        sources_of(sys, verdicts.iter().filter_map(|v| v.vars.first().copied()))
            .into_iter()
            .collect();
    let mut out = HashMap::new();
    for src in sources {
        let mut one = System::new();
        for u in sys.unknowns() {
            one.add_unknown(u.clone());
        }
        for r in sys.relations() {
            if r.source.as_deref() != Some(src) {
                continue;
            }
            // Relations were valid in the merged system; they stay valid here.
            let _ = match r.sense {
                crate::audit::Sense::Eq => one.add_eq(r.terms.clone(), r.rhs, &r.label),
                crate::audit::Sense::Le => one.add_le(r.terms.clone(), r.rhs, &r.label),
            };
        }
        out.insert(src.to_string(), audit(&one, cfg));
    }
    out
}

/// Whether one source (table) alone gives the unknown of a verdict the same interval as the
/// merged system: then the finding is that table's own (back-calculation), not differencing.
fn single_table(
    sys: &System,
    res: &AuditResult,
    v: &Verdict,
    alone: &HashMap<String, AuditResult>,
) -> bool {
    let Some(&var) = v.vars.first() else {
        return false;
    };
    let merged = res.interval(var);
    sources_of(sys, std::iter::once(var))
        .into_iter()
        .filter_map(|src| alone.get(src))
        .any(|a| merged.is_some() && a.interval(var) == merged)
}

/// The sources (tables) of the relations that hold any of the unknowns.
fn sources_of(sys: &System, vars: impl Iterator<Item = VarId>) -> BTreeSet<&str> {
    let vars: HashSet<VarId> = vars.collect();
    sys.relations()
        .iter()
        .filter(|r| r.terms.iter().any(|(v, _)| vars.contains(v)))
        .filter_map(|r| r.source.as_deref())
        .collect()
}
