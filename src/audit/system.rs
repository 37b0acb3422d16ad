//! The linear system the audit works on: unknowns with nominal boxes and integer relations.
//!
//! Every coefficient and right-hand side is an exact [`Int`]. Ratio rows (percentages, rates)
//! are turned into two integer `≤` rows when they are added, so nothing here is a float.

use thiserror::Error;

/// Exact integer type for counts, coefficients and right-hand sides.
pub type Int = i128;

/// Index of an unknown inside one [`System`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarId(pub usize);

/// Index of a relation inside one [`System`]. A ratio adds two relations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelId(pub usize);

/// Where an unknown comes from; decides which verdict a small exact value gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A suppressed or interval-labelled cell (`x`, `<5`, `[REDACTED]`).
    Suppressed,
    /// The true value behind a rounded published value.
    Rounded,
    /// An implied residual category (`N − Σ categories`).
    Residual,
    /// A hidden atom or complement cell of a merged (differencing) system.
    Atom,
    /// A derived difference of a cumulative series (for example exits between "at risk" counts).
    Cumulative,
}

/// One unknown with its nominal box, the interval the display itself implies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// Name used in reports and derivations, for example `"B4"` or `"HD 21-30"`.
    pub name: String,
    /// Nominal lower bound (0 for counts).
    pub low: Int,
    /// Nominal upper bound; `None` means unbounded (a bare suppression).
    pub high: Option<Int>,
    /// What kind of unknown this is.
    pub origin: Origin,
    /// Labelled as a primary suppression ("<t"), or its box lies below `t`.
    pub primary_style: bool,
}

impl Unknown {
    /// A bare suppression: box `[0, ∞)`, not primary-style.
    pub fn suppressed(name: &str) -> Self {
        Unknown {
            name: name.to_string(),
            low: 0,
            high: None,
            origin: Origin::Suppressed,
            primary_style: false,
        }
    }

    /// A cell labelled `<t`: box `[0, t−1]`, primary-style.
    pub fn below(name: &str, t: Int) -> Self {
        Unknown {
            name: name.to_string(),
            low: 0,
            high: Some(t.saturating_sub(1).max(0)),
            origin: Origin::Suppressed,
            primary_style: true,
        }
    }

    /// The true value behind a rounded value, with the scheme's box (see
    /// [`rounding_box`](crate::audit::rounding_box)).
    pub fn rounded(name: &str, low: Int, high: Int) -> Self {
        Unknown {
            name: name.to_string(),
            low,
            high: Some(high),
            origin: Origin::Rounded,
            primary_style: false,
        }
    }

    /// An unknown of the given origin with box `[0, ∞)`.
    pub fn of(name: &str, origin: Origin) -> Self {
        Unknown {
            name: name.to_string(),
            low: 0,
            high: None,
            origin,
            primary_style: false,
        }
    }

    /// The same unknown marked primary-style (a sensitive cell: singleton, "<t", p%-unsafe).
    pub fn primary(mut self) -> Self {
        self.primary_style = true;
        self
    }

    /// The same unknown with another nominal box.
    pub fn with_box(mut self, low: Int, high: Option<Int>) -> Self {
        self.low = low;
        self.high = high;
        self
    }
}

/// Whether a relation is an equality or a `≤`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    /// `Σ a·x = rhs`
    Eq,
    /// `Σ a·x ≤ rhs`
    Le,
}

/// What a relation stands for; used for wording and for the group-sum rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelationKind {
    /// A sum relation (a total, sub-total, residual or cumulative difference).
    Sum,
    /// An "of which" or other plain inequality.
    Bound,
    /// One side of a percentage or rate.
    Ratio,
}

/// One relation `Σ a·x (= | ≤) rhs`, with published constants already moved to the right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// Unknowns with their non-zero coefficients, each unknown once.
    pub terms: Vec<(VarId, Int)>,
    /// Right-hand side.
    pub rhs: Int,
    /// Equality or inequality.
    pub sense: Sense,
    /// What the relation stands for.
    pub kind: RelationKind,
    /// Human label such as `"row 'Total'"`.
    pub label: String,
    /// How many published cells were folded into `rhs` (for derivation wording).
    pub visible: usize,
    /// Which table or file the relation comes from; two or more sources in one derivation mark
    /// a finding as differencing.
    pub source: Option<String>,
}

/// A side of a ratio: an unknown or a published constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// An unknown.
    Var(VarId),
    /// A published exact value.
    Const(Int),
}

/// How a displayed ratio was rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RatioRounding {
    /// Round half (the usual): true value within `±0.5·10^−d` of the shown value.
    Half,
    /// Truncation: true value in `[shown, shown + 10^−d)`.
    Truncate,
}

/// A ratio as displayed: `mantissa · 10^−decimals`, for example 22.2 is `(222, 1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The displayed digits without the decimal point.
    pub mantissa: Int,
    /// Number of decimals displayed.
    pub decimals: u8,
}

impl Shown {
    /// From a float and the number of decimals displayed; `None` if it is not finite or too large.
    pub fn from_f64(value: f64, decimals: u8) -> Option<Self> {
        let scale = 10f64.powi(i32::from(decimals));
        let m = (value * scale).round();
        if !m.is_finite() || m.abs() > 1e30 {
            return None;
        }
        Some(Shown {
            mantissa: m as Int,
            decimals,
        })
    }
}

/// Errors while building a [`System`].
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SystemError {
    /// A relation names an unknown that is not in this system.
    #[error("relation {label:?} refers to unknown #{var} which is not in the system")]
    UnknownVar { var: usize, label: String },
    /// Integer overflow while folding constants or scaling a ratio.
    #[error("relation {label:?}: numbers too large for exact arithmetic")]
    Overflow { label: String },
    /// A ratio value that is not finite or has too many decimals.
    #[error("relation {label:?}: ratio value is not usable")]
    BadRatio { label: String },
}

/// The audit's linear system: unknowns and relations. Build it, then call
/// [`audit`](crate::audit::audit).
#[derive(Clone, Debug, Default)]
pub struct System {
    pub(crate) unknowns: Vec<Unknown>,
    pub(crate) relations: Vec<Relation>,
}

impl System {
    /// An empty system.
    pub fn new() -> Self {
        System::default()
    }

    /// Adds an unknown and returns its id.
    pub fn add_unknown(&mut self, u: Unknown) -> VarId {
        self.unknowns.push(u);
        VarId(self.unknowns.len() - 1)
    }

    /// The unknowns, indexed by [`VarId`].
    pub fn unknowns(&self) -> &[Unknown] {
        &self.unknowns
    }

    /// The relations, indexed by [`RelId`].
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    /// One unknown, if the id belongs to this system.
    pub fn unknown(&self, v: VarId) -> Option<&Unknown> {
        self.unknowns.get(v.0)
    }

    /// One relation, if the id belongs to this system.
    pub fn relation(&self, r: RelId) -> Option<&Relation> {
        self.relations.get(r.0)
    }

    /// Adds the equality `Σ a·x = rhs` (published constants already on the right).
    pub fn add_eq(
        &mut self,
        terms: Vec<(VarId, Int)>,
        rhs: Int,
        label: &str,
    ) -> Result<RelId, SystemError> {
        self.push(terms, rhs, Sense::Eq, RelationKind::Sum, label, 0)
    }

    /// Adds the equality `Σ a·x = rhs` and records how many published cells were folded into
    /// `rhs` (used in derivation wording: "from row 'Total' and 3 visible cells").
    pub fn add_eq_visible(
        &mut self,
        terms: Vec<(VarId, Int)>,
        rhs: Int,
        label: &str,
        visible: usize,
    ) -> Result<RelId, SystemError> {
        self.push(terms, rhs, Sense::Eq, RelationKind::Sum, label, visible)
    }

    /// Adds the inequality `Σ a·x ≤ rhs`, for example an "of which" row.
    pub fn add_le(
        &mut self,
        terms: Vec<(VarId, Int)>,
        rhs: Int,
        label: &str,
    ) -> Result<RelId, SystemError> {
        self.push(terms, rhs, Sense::Le, RelationKind::Bound, label, 0)
    }

    /// Marks the table or file a relation comes from (for differencing tags).
    pub fn set_source(&mut self, rel: RelId, source: &str) {
        if let Some(r) = self.relations.get_mut(rel.0) {
            r.source = Some(source.to_string());
        }
    }

    /// Adds a displayed ratio `shown ≈ scale · num / den` with round-half rounding:
    /// `(shown − h)·den ≤ scale·num ≤ (shown + h)·den`, `h = 0.5·10^−d`.
    /// A percentage has `scale = 100`; a rate per 1,000 person-years has `scale = 1000`.
    /// Returns the two relations added.
    pub fn add_ratio(
        &mut self,
        num: Operand,
        den: Operand,
        shown: f64,
        decimals: u8,
        scale: Int,
        label: &str,
    ) -> Result<(RelId, RelId), SystemError> {
        let s = Shown::from_f64(shown, decimals).ok_or_else(|| SystemError::BadRatio {
            label: label.to_string(),
        })?;
        self.add_ratio_exact(num, den, s, scale, RatioRounding::Half, label)
    }

    /// Adds a displayed ratio given exactly, with an explicit rounding mode.
    ///
    /// Half: `(2M−1)·den ≤ 2·10^d·scale·num ≤ (2M+1)·den`.
    /// Truncate: `M·den ≤ 10^d·scale·num ≤ (M+1)·den − 1` (valid because every term is an integer).
    pub fn add_ratio_exact(
        &mut self,
        num: Operand,
        den: Operand,
        shown: Shown,
        scale: Int,
        rounding: RatioRounding,
        label: &str,
    ) -> Result<(RelId, RelId), SystemError> {
        let ovf = || SystemError::Overflow {
            label: label.to_string(),
        };
        let pow = 10i128
            .checked_pow(u32::from(shown.decimals))
            .ok_or_else(ovf)?;
        let m = shown.mantissa;
        // lower: a_lo·den − k·num ≤ c_lo ; upper: k·num − a_hi·den ≤ c_hi
        let (a_lo, a_hi, k, c_lo, c_hi) = match rounding {
            RatioRounding::Half => (
                m.checked_mul(2)
                    .and_then(|x| x.checked_sub(1))
                    .ok_or_else(ovf)?,
                m.checked_mul(2)
                    .and_then(|x| x.checked_add(1))
                    .ok_or_else(ovf)?,
                pow.checked_mul(2)
                    .and_then(|x| x.checked_mul(scale))
                    .ok_or_else(ovf)?,
                0,
                0,
            ),
            RatioRounding::Truncate => (
                m,
                m.checked_add(1).ok_or_else(ovf)?,
                pow.checked_mul(scale).ok_or_else(ovf)?,
                0,
                -1,
            ),
        };
        let lo = self.ratio_row(num, den, a_lo, k, c_lo, true, label)?;
        let hi = self.ratio_row(num, den, a_hi, k, c_hi, false, label)?;
        Ok((lo, hi))
    }

    /// One side of a ratio. Lower: `a·den − k·num ≤ c`; upper: `k·num − a·den ≤ c`.
    #[allow(clippy::too_many_arguments)]
    fn ratio_row(
        &mut self,
        num: Operand,
        den: Operand,
        a: Int,
        k: Int,
        c: Int,
        lower: bool,
        label: &str,
    ) -> Result<RelId, SystemError> {
        let ovf = || SystemError::Overflow {
            label: label.to_string(),
        };
        let (a_den, k_num) = if lower { (a, -k) } else { (-a, k) };
        let mut terms = Vec::new();
        let mut rhs = c;
        for (op, coef) in [(den, a_den), (num, k_num)] {
            match op {
                Operand::Var(v) => terms.push((v, coef)),
                Operand::Const(value) => {
                    let prod = coef.checked_mul(value).ok_or_else(ovf)?;
                    rhs = rhs.checked_sub(prod).ok_or_else(ovf)?;
                }
            }
        }
        self.push(terms, rhs, Sense::Le, RelationKind::Ratio, label, 0)
    }

    fn push(
        &mut self,
        terms: Vec<(VarId, Int)>,
        rhs: Int,
        sense: Sense,
        kind: RelationKind,
        label: &str,
        visible: usize,
    ) -> Result<RelId, SystemError> {
        let mut merged: Vec<(VarId, Int)> = Vec::with_capacity(terms.len());
        for (v, a) in terms {
            if v.0 >= self.unknowns.len() {
                return Err(SystemError::UnknownVar {
                    var: v.0,
                    label: label.to_string(),
                });
            }
            if let Some(slot) = merged.iter_mut().find(|(w, _)| *w == v) {
                slot.1 = slot.1.checked_add(a).ok_or_else(|| SystemError::Overflow {
                    label: label.to_string(),
                })?;
            } else {
                merged.push((v, a));
            }
        }
        merged.retain(|&(_, a)| a != 0);
        self.relations.push(Relation {
            terms: merged,
            rhs,
            sense,
            kind,
            label: label.to_string(),
            visible,
            source: None,
        });
        Ok(RelId(self.relations.len() - 1))
    }
}
