//! `low-dof`: models with few residual degrees of freedom and residuals listed per observation,
//! under `fixtures/cases/logs/` (each file through the whole pipeline) and
//! `fixtures/cases/low-dof/`.

use crate::common::logs::{findings, only, report};

use export_check::finding::{Severity, Verdict};

#[test]
fn residual_degrees_of_freedom_in_tables_and_residual_listings() {
    // The `Error` row of a SAS ANOVA table, its DF column (the label `Corrected Total` stays one
    // cell although its words stand over a gutter).
    let (verdict, f) = findings("sas_reg_small.lst");
    assert_eq!(verdict, Verdict::Fail);
    assert_eq!(f, vec![("low-dof".to_string(), Severity::Error, 11)]);
    let r = report("sas_reg_small.lst");
    assert_eq!(r.files[0].findings[0].location.cell.as_deref(), Some("B11"));
    // A `Df Residuals` row of a CSV model summary.
    let r = report("model_summary.csv");
    let f = &r.files[0].findings;
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].rule, f[0].location.cell.as_deref()),
        ("low-dof", Some("B4"))
    );
    only("r_residuals.Rout", "low-dof", Severity::Warning, &[2]);
}
