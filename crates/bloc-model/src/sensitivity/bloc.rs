//! Morris's elementary effects of a bloc forecast's outcome probabilities with respect to
//! every estimated parameter of a scenario (`bloc sensitivity`).
//!
//! **Factors.** Every numeric parameter whose source is an estimate
//! (`source_kind(source) == SourceKind::Estimate`), found generically by
//! [`sourced_values`]: the `{ value, source }` pairs, the attention weights (their row's
//! source), lever intensities and event values. Paths are those `--set` takes. A value set
//! with `--set` before the analysis has the override as its source, so it is held fixed.
//!
//! **Ranges** (no scenario format carries one; this is the rule). An estimate v varies over
//! v ± spread·|v| (relative; `--spread`, default 25 %), clipped to its type's bounds: Fraction
//! [0, 1], Shift [-1, 1], Position [0, 100], Amount ≥ 0; a Count's range is widened outward to
//! whole numbers and its values are rounded. A zero estimate has an empty relative range: it
//! is held fixed and listed (`fixed`), as is any estimate whose range is empty after
//! clipping. Two rules of the format tie estimates together, and the ranges respect them so
//! that every point of the design is a valid scenario:
//! * order rules (`lethal_below <= repression_below <= dialogue_at <= legalize_at <=
//!   elections_at`; each cohort's `hardship_low <= hardship_high` and `risk_low <= risk_high`):
//!   where two neighbours' ranges overlap, both are cut at the midpoint of their values (at
//!   the other's value if only one of them is varied);
//! * cohort shares sum to 1: a share is varied as a weight, and the shares applied at a
//!   point are all the cohorts' shares divided by their sum;
//! * a value with a `prior` must have a positive prior density: its range is cut to the
//!   prior's support (an end of zero density, as a beta's at its bound, moved a millionth of
//!   the width inside).
//!
//! Any other rule a point might break (e.g. citizen and cop densities summing past 1 in
//! another scenario) is found before any run: every point is built and checked first, and the
//! first invalid one is reported with the rule it breaks.
//!
//! **Outputs.** Per country: the probabilities of the five outcome classes (smooth, leaps,
//! suppression, eruption, stable), that the party is in power and the alliance intact at the
//! horizon, and of an intervention, each the forecast's share of `runs` runs.
//!
//! **Evaluation.** A point of [0, 1]^k maps each factor to low + x (high - low); the scenario
//! text is rewritten with `apply_overrides` (as `--set` does), read back with every check of
//! a file, and forecast by `run_forecast` with the same master seed at every point (common
//! random numbers: run i of every point draws from the same streams, so an elementary effect
//! is the effect of the parameter, not a new Monte Carlo sample). Each point is one
//! single-threaded forecast; points run in parallel and land in their own slots, so the
//! result is byte-identical whatever the thread count. Any point can be reproduced with
//! `bloc forecast --runs N --seed S --set PATH=VALUE ...`.
//!
//! **Statistics and ranking.** Effects are per unit of the factor's range (x in [0, 1]), so
//! μ* is the change in a probability, extrapolated linearly, when an estimate moves across
//! its whole range. Parameters are ranked by their largest μ* over all outputs (the output
//! reported with it), ties broken by the mean μ* over outputs, then by file order.

use super::morris::{self, Design, EvaluationError, MorrisAnalysis, MorrisPlan};
use crate::config::BlocScenario;
use crate::forecast::{Forecast, ForecastMeta, ForecastPlan, SeriesRequest, run_forecast};
use crate::outcome::OutcomeClass;
use crate::overrides::apply_overrides;
use crate::parameters::{SourcedValue, ValueKind, sourced_values};
use crate::sourced::{SourceKind, source_kind};
use bloc_base::ensemble::EnsemblePlan;
use serde::Serialize;
use std::collections::BTreeMap;

/// Default number of trajectories r.
pub const DEFAULT_TRAJECTORIES: usize = 4;
/// Default number of levels p.
pub const DEFAULT_LEVELS: u32 = 4;
/// Default runs per point.
pub const DEFAULT_RUNS: u64 = 16;
/// Default relative spread of an estimate.
pub const DEFAULT_SPREAD: f64 = 0.25;

/// The per-country outputs besides the class probabilities, in order.
const FATES: [&str; 3] = ["party_in_power", "alliance_intact", "intervention"];

/// The per-country outputs, in order (`COUNTRY.name`): every outcome class, then the fates
/// of the party, the alliance and the centre's intervention.
pub fn outputs() -> impl Iterator<Item = &'static str> + Clone {
    OutcomeClass::ALL
        .into_iter()
        .map(OutcomeClass::name)
        .chain(FATES)
}

/// How to run a sensitivity analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityPlan {
    /// Morris trajectories r (at least 2).
    pub trajectories: usize,
    /// Grid levels p (even, at least 2).
    pub levels: u32,
    /// Runs of the forecast at each point.
    pub runs: u64,
    /// Master seed of every forecast and of the design.
    pub seed: u64,
    /// Relative half-width of each estimate's range, in (0, 1].
    pub spread: f64,
    /// Weeks to simulate (default: the scenario's).
    pub horizon: Option<u32>,
    /// Worker threads (0: one per core); the result does not depend on it.
    pub threads: usize,
}

impl SensitivityPlan {
    /// The default plan with this seed.
    pub fn with_seed(seed: u64) -> Self {
        SensitivityPlan {
            trajectories: DEFAULT_TRAJECTORIES,
            levels: DEFAULT_LEVELS,
            runs: DEFAULT_RUNS,
            seed,
            spread: DEFAULT_SPREAD,
            horizon: None,
            threads: 0,
        }
    }

    /// Checks the plan's numbers (the Morris sizes are checked with the factors).
    pub fn validate(&self) -> Result<(), SensitivityError> {
        check_spread(self.spread)?;
        if self.runs == 0 || self.runs > 10_000_000 {
            return Err(SensitivityError::Plan(format!(
                "{} runs per point: expected 1 to 10000000",
                self.runs
            )));
        }
        if let Some(h) = self.horizon
            && !(1..=2000).contains(&h)
        {
            return Err(SensitivityError::Plan(format!(
                "horizon {h} weeks: expected 1 to 2000"
            )));
        }
        Ok(())
    }
}

/// Checks a relative spread: a number in (0, 1].
pub fn check_spread(spread: f64) -> Result<(), SensitivityError> {
    if spread.is_finite() && spread > 0.0 && spread <= 1.0 {
        Ok(())
    } else {
        Err(SensitivityError::Plan(format!(
            "spread {spread}: expected a relative half-width in (0, 1], e.g. 0.25 for ±25 %"
        )))
    }
}

/// Why a sensitivity analysis could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SensitivityError {
    /// A number of the plan is out of range.
    #[error("{0}")]
    Plan(String),
    /// The scenario itself is not valid.
    #[error("the scenario is not valid: {0}")]
    Scenario(String),
    /// The scenario has no estimate with a non-empty range.
    #[error(
        "the scenario has no estimated parameter to vary (no source starts with \"estimate\", or all such values are zero)"
    )]
    NoFactors,
    /// A point of the design is not a valid scenario.
    #[error(
        "design point {point} (trajectory {trajectory}, row {row}) is not a valid scenario: {message}. The estimates' ranges combine into a value a rule of the format forbids: narrow --spread, or fix one of the values concerned with --set"
    )]
    InvalidPoint {
        /// Index of the point.
        point: usize,
        /// Its trajectory.
        trajectory: usize,
        /// Its row in the trajectory.
        row: usize,
        /// The problems found.
        message: String,
    },
    /// The Morris design or analysis failed.
    #[error("{0}")]
    Morris(#[from] morris::MorrisError),
    /// A forecast or a worker thread failed.
    #[error("{0}")]
    Run(String),
}

/// An estimate varied by the analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Its path (as `--set` takes it).
    pub path: String,
    /// Its value in the scenario.
    pub value: f64,
    /// Lower end of its range.
    pub low: f64,
    /// Upper end of its range.
    pub high: f64,
    /// Its type.
    pub kind: ValueKind,
    /// Its source.
    pub source: String,
    /// How its range or its use departs from the plain rule, if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Factor {
    /// The value at position `x` in [0, 1] of the range (rounded for a Count).
    pub fn at(&self, x: f64) -> f64 {
        let v = self.low + x * (self.high - self.low);
        if self.kind == ValueKind::Count {
            v.round()
        } else {
            v
        }
    }
}

/// An estimate held fixed, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixedValue {
    /// Its path.
    pub path: String,
    /// Its value.
    pub value: f64,
    /// Why it is not varied.
    pub reason: String,
}

/// Adds a note to a factor.
fn note(f: &mut Factor, text: String) {
    f.note = Some(match f.note.take() {
        Some(n) => format!("{n}; {text}"),
        None => text,
    });
}

/// A factor's range cut to where its prior has a positive density (a file whose value lies
/// elsewhere is refused): the prior's support, an end of zero density moved inside by a
/// millionth of the support's width.
fn within_prior(mut f: Factor, prior: Option<crate::sourced::Prior>) -> Factor {
    let Some(p) = prior else {
        return f;
    };
    let bounds = f.kind.bounds();
    let (lo, hi) = p.support(bounds);
    let inset = 1e-6 * (hi - lo);
    let positive = |x: f64| p.log_density(x, bounds).is_finite();
    let lo = if positive(lo) { lo } else { lo + inset };
    let hi = if positive(hi) { hi } else { hi - inset };
    if f.low < lo {
        f.low = lo;
        note(
            &mut f,
            format!("lower end cut at {lo} (its prior's support)"),
        );
    }
    if f.high > hi {
        f.high = hi;
        note(
            &mut f,
            format!("upper end cut at {hi} (its prior's support)"),
        );
    }
    f
}

/// The relative range of `v` of type `kind`, clipped to the type's bounds; `None` if empty.
fn relative_range(v: f64, kind: ValueKind, spread: f64) -> Option<(f64, f64)> {
    let (lo_bound, hi_bound) = kind.bounds();
    let half = spread * v.abs();
    let (mut lo, mut hi) = ((v - half).max(lo_bound), (v + half).min(hi_bound));
    if kind == ValueKind::Count {
        lo = lo.floor().max(lo_bound);
        hi = hi.ceil().min(hi_bound);
    }
    (hi > lo).then_some((lo, hi))
}

/// The chains of values a rule of the format keeps in order (low to high).
fn order_chains(s: &BlocScenario) -> Vec<Vec<String>> {
    let mut chains = vec![
        [
            "lethal_below",
            "repression_below",
            "dialogue_at",
            "legalize_at",
            "elections_at",
        ]
        .iter()
        .map(|k| format!("decision.{k}"))
        .collect(),
    ];
    if s.mechanisms.cohorts {
        for c in &s.cohorts {
            for (lo, hi) in [("hardship_low", "hardship_high"), ("risk_low", "risk_high")] {
                chains.push(vec![
                    format!("cohorts.{}.{lo}", c.name),
                    format!("cohorts.{}.{hi}", c.name),
                ]);
            }
        }
    }
    chains
}

/// Whether a path is a cohort's share (varied as a weight).
fn is_cohort_share(path: &str) -> bool {
    path.starts_with("cohorts.") && path.ends_with(".share")
}

/// The factors of scenario `s` and the estimates held fixed, under the rules of the module
/// documentation.
pub fn factors(
    s: &BlocScenario,
    spread: f64,
) -> Result<(Vec<Factor>, Vec<FixedValue>), SensitivityError> {
    check_spread(spread)?;
    let all = sourced_values(s);
    let value_of: BTreeMap<&str, f64> = all.iter().map(|v| (v.path.as_str(), v.value)).collect();
    let mut factors = Vec::new();
    let mut fixed = Vec::new();
    for SourcedValue {
        path,
        value,
        source,
        kind,
        prior,
        ..
    } in &all
    {
        if !matches!(source_kind(source), SourceKind::Estimate(_)) {
            continue;
        }
        match relative_range(*value, *kind, spread) {
            Some((low, high)) => factors.push(within_prior(
                Factor {
                    path: path.clone(),
                    value: *value,
                    low,
                    high,
                    kind: *kind,
                    source: source.clone(),
                    note: None,
                },
                *prior,
            )),
            None => fixed.push(FixedValue {
                path: path.clone(),
                value: *value,
                reason: if *value == 0.0 {
                    "zero: a relative range around 0 is empty".into()
                } else {
                    format!("its range is empty within the bounds of a {}", kind.name())
                },
            }),
        }
    }
    let index: BTreeMap<String, usize> = factors
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.clone(), i))
        .collect();
    for chain in order_chains(s) {
        for pair in chain.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let (Some(&va), Some(&vb)) = (value_of.get(a.as_str()), value_of.get(b.as_str()))
            else {
                continue;
            };
            let (ia, ib) = (index.get(a).copied(), index.get(b).copied());
            let cut = match (ia, ib) {
                (Some(_), Some(_)) => 0.5 * (va + vb),
                (Some(_), None) => vb,
                (None, Some(_)) => va,
                (None, None) => continue,
            };
            if let Some(i) = ia
                && factors[i].high > cut
            {
                factors[i].high = cut;
                note(&mut factors[i], format!("upper end cut at {cut} (<= {b})"));
            }
            if let Some(i) = ib
                && factors[i].low < cut
            {
                factors[i].low = cut;
                note(&mut factors[i], format!("lower end cut at {cut} (>= {a})"));
            }
        }
    }
    if s.mechanisms.cohorts {
        for f in factors.iter_mut().filter(|f| is_cohort_share(&f.path)) {
            note(
                f,
                "varied as a weight: the cohort shares applied are rescaled to sum to 1".into(),
            );
        }
    }
    // A cut can leave a range empty (two equal values both varied stay valid: each keeps
    // one side).
    let (kept, emptied): (Vec<Factor>, Vec<Factor>) =
        factors.into_iter().partition(|f| f.high > f.low);
    fixed.extend(emptied.into_iter().map(|f| FixedValue {
        path: f.path,
        value: f.value,
        reason: "its range is empty once cut by an order rule".into(),
    }));
    Ok((kept, fixed))
}

/// The `--set` assignments of design point `x`: every factor at its value (cohort shares
/// rescaled to sum to 1, all cohorts' shares written).
pub fn assignments(
    s: &BlocScenario,
    factors: &[Factor],
    x: &[f64],
) -> Result<Vec<String>, SensitivityError> {
    if x.len() != factors.len() {
        return Err(SensitivityError::Plan(format!(
            "a point has {} coordinates for {} factors",
            x.len(),
            factors.len()
        )));
    }
    let mut out = Vec::with_capacity(factors.len() + s.cohorts.len());
    let mut shares: BTreeMap<String, f64> = BTreeMap::new();
    let rescale = s.mechanisms.cohorts && factors.iter().any(|f| is_cohort_share(&f.path));
    if rescale {
        for c in &s.cohorts {
            shares.insert(format!("cohorts.{}.share", c.name), c.share.value);
        }
    }
    for (f, &xi) in factors.iter().zip(x) {
        if !(0.0..=1.0).contains(&xi) {
            return Err(SensitivityError::Plan(format!(
                "coordinate {xi} of {} is outside [0, 1]",
                f.path
            )));
        }
        let v = f.at(xi);
        if rescale && let Some(share) = shares.get_mut(&f.path) {
            *share = v;
            continue;
        }
        out.push(format!("{}={}", f.path, f.kind.literal(v)));
    }
    if rescale {
        let total: f64 = shares.values().sum();
        for c in &s.cohorts {
            let path = format!("cohorts.{}.share", c.name);
            let v = shares[&path] / total;
            out.push(format!("{path}={}", ValueKind::Fraction.literal(v)));
        }
    }
    Ok(out)
}

/// Reads the scenario of design point `x`: `text` rewritten with its assignments and read
/// back with every check of a file, with the horizon applied.
pub fn scenario_at(
    text: &str,
    base: &BlocScenario,
    factors: &[Factor],
    x: &[f64],
    horizon: Option<u32>,
) -> Result<BlocScenario, String> {
    let set = assignments(base, factors, x).map_err(|e| e.to_string())?;
    let rewritten = apply_overrides(text, &set).map_err(|e| e.to_string())?;
    let mut s = BlocScenario::from_toml(&rewritten).map_err(|d| {
        d.iter()
            .map(|p| {
                if p.path.is_empty() {
                    p.summary()
                } else {
                    format!("{}: {}", p.path, p.summary())
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    if let Some(h) = horizon {
        s.scenario.weeks = h;
    }
    Ok(s)
}

/// The outputs of a forecast, in the order of [`output_names`].
pub fn outputs_of(f: &Forecast) -> Vec<f64> {
    let mut out = Vec::with_capacity(f.countries.len() * outputs().count());
    for c in &f.countries {
        for class in OutcomeClass::ALL {
            out.push(c.outcomes[class]);
        }
        out.extend([c.party_in_power, c.alliance_intact, c.intervention]);
    }
    out
}

/// The names of the outputs of scenario `s`: `COUNTRY.output` for each country and each of
/// [`outputs`].
pub fn output_names(s: &BlocScenario) -> Vec<String> {
    s.countries
        .iter()
        .flat_map(|c| outputs().map(move |o| format!("{}.{o}", c.id)))
        .collect()
}

/// A forecast of `s` with `runs` runs from `seed` on one thread, with the metadata an
/// analysis point needs (no scenario hash).
pub(super) fn forecast(s: &BlocScenario, runs: u64, seed: u64) -> Result<Forecast, String> {
    let plan = ForecastPlan {
        ensemble: EnsemblePlan {
            runs,
            master_seed: seed,
            threads: 1,
        },
        series: SeriesRequest::None,
    };
    let meta = ForecastMeta {
        scenario: s.scenario.name.clone(),
        scenario_hash: String::new(),
        start: s.scenario.start.clone(),
        weeks: s.scenario.weeks,
        runs,
        seed,
        version: bloc_base::VERSION.to_string(),
        rng: String::new(),
        events_files: Vec::new(),
        overrides: Vec::new(),
        posterior: None,
    };
    run_forecast(s, &plan, meta, None, |_| {}).map_err(|e| e.to_string())
}

/// Provenance and settings of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityMeta {
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the scenario as analysed (after `--set` and the horizon), at its values.
    pub scenario_hash: String,
    /// First day.
    pub start: String,
    /// Weeks simulated.
    pub weeks: u32,
    /// bloc version (`bloc_base::VERSION`).
    pub version: String,
    /// The method.
    pub method: String,
    /// Random generators.
    pub rng: String,
    /// Master seed of the design and of every forecast.
    pub seed: u64,
    /// Runs of the forecast at each point.
    pub runs: u64,
    /// Trajectories r (= elementary effects per factor and output).
    pub trajectories: usize,
    /// Grid levels p.
    pub levels: u32,
    /// Step Δ = p / (2(p-1)), as a share of each range.
    pub delta: f64,
    /// Relative spread of the ranges.
    pub spread: f64,
    /// The range rule.
    pub ranges: String,
    /// The ranking rule.
    pub ranking: String,
    /// Number of factors k.
    pub factors: usize,
    /// Points of the design, r (k + 1).
    pub evaluations: usize,
    /// Model runs: (points + 1 nominal) x runs.
    pub model_runs: u64,
    /// Overrides given with `--set` before the analysis.
    pub overrides: Vec<String>,
}

/// One parameter's sensitivities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterSensitivity {
    /// Rank (1: most influential).
    pub rank: usize,
    /// The factor: path, value, range, kind, source.
    #[serde(flatten)]
    pub factor: Factor,
    /// The largest μ* over all outputs.
    pub mu_star_max: f64,
    /// The output with that μ*.
    pub output: String,
    /// μ for that output.
    pub mu: f64,
    /// σ for that output.
    pub sigma: f64,
    /// Mean of μ* over all outputs.
    pub mu_star_mean: f64,
    /// μ* for every output, in the order of [`Sensitivity::outputs`].
    pub mu_star_all: Vec<f64>,
    /// μ for every output.
    pub mu_all: Vec<f64>,
    /// σ for every output.
    pub sigma_all: Vec<f64>,
}

/// The result of `bloc sensitivity`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Provenance and settings.
    pub meta: SensitivityMeta,
    /// Output names, `COUNTRY.output`.
    pub outputs: Vec<String>,
    /// The outputs at the scenario's own values (same runs and seed).
    pub nominal: Vec<f64>,
    /// Every factor, most influential first.
    pub parameters: Vec<ParameterSensitivity>,
    /// Estimates held fixed, and why.
    pub fixed: Vec<FixedValue>,
}

/// The method, as recorded in the metadata.
pub const METHOD: &str = "Morris (1991) elementary effects on a p-level grid, random orientation matrices B*; mu* = mean |effect| (Campolongo, Cariboni & Saltelli 2007); sigma = sample s.d. (n-1); effects per unit of each factor's range; common random numbers (same master seed at every point)";

/// Runs the analysis on scenario `text` (the text as given, after any `--set`).
/// `progress(done, total)` counts forecast runs.
pub fn run_sensitivity(
    text: &str,
    plan: &SensitivityPlan,
    mut progress: impl FnMut(u64, u64),
) -> Result<Sensitivity, SensitivityError> {
    plan.validate()?;
    let base = BlocScenario::from_toml(text).map_err(|d| {
        SensitivityError::Scenario(d.iter().map(|p| p.summary()).collect::<Vec<_>>().join("; "))
    })?;
    let (factors, fixed) = factors(&base, plan.spread)?;
    if factors.is_empty() {
        return Err(SensitivityError::NoFactors);
    }
    let mplan = MorrisPlan {
        factors: factors.len(),
        levels: plan.levels,
        trajectories: plan.trajectories,
        seed: plan.seed,
    };
    let design: Design = morris::sample(&mplan)?;
    let points = design.points();
    let per = factors.len() + 1;
    let locate = |point: usize, message: String| SensitivityError::InvalidPoint {
        point,
        trajectory: point / per,
        row: point % per,
        message,
    };
    // Every point is checked before any run, so an invalid one is reported at once.
    morris::evaluate(
        &points,
        plan.threads,
        |_, x| scenario_at(text, &base, &factors, x, plan.horizon).map(|_| Vec::new()),
        |_| {},
    )
    .map_err(|e| match e {
        EvaluationError::Model { point, error } => locate(point, error),
        EvaluationError::Thread(t) => SensitivityError::Run(t),
    })?;
    let mut nominal_scenario = base.clone();
    if let Some(h) = plan.horizon {
        nominal_scenario.scenario.weeks = h;
    }
    let total = (points.len() as u64 + 1) * plan.runs;
    let nominal = outputs_of(
        &forecast(&nominal_scenario, plan.runs, plan.seed).map_err(SensitivityError::Run)?,
    );
    progress(plan.runs, total);
    let outputs = morris::evaluate(
        &points,
        plan.threads,
        |_, x| {
            let s = scenario_at(text, &base, &factors, x, plan.horizon)?;
            forecast(&s, plan.runs, plan.seed).map(|f| outputs_of(&f))
        },
        |done| progress((done as u64 + 1) * plan.runs, total),
    )
    .map_err(|e| match e {
        EvaluationError::Model { point, error } => locate(point, error),
        EvaluationError::Thread(t) => SensitivityError::Run(t),
    })?;
    let analysis = morris::analyze_design(&design, &outputs)?;
    Ok(Sensitivity {
        meta: SensitivityMeta {
            scenario: nominal_scenario.scenario.name.clone(),
            scenario_hash: nominal_scenario.hash(),
            start: nominal_scenario.scenario.start.clone(),
            weeks: nominal_scenario.scenario.weeks,
            version: bloc_base::VERSION.to_string(),
            method: METHOD.into(),
            rng: format!(
                "{}; design trajectory t on branch {:#x} of the seed, stream t; forecast runs as bloc forecast",
                bloc_base::seeding::GENERATOR,
                morris::MORRIS_BRANCH
            ),
            seed: plan.seed,
            runs: plan.runs,
            trajectories: plan.trajectories,
            levels: plan.levels,
            delta: design.delta,
            spread: plan.spread,
            ranges: format!(
                "value ± {}·|value|, clipped to the type's bounds (Fraction [0, 1], Shift [-1, 1], Position [0, 100], Amount >= 0; Count widened to whole numbers); zeros fixed; order rules cut at midpoints; cohort shares rescaled to sum to 1",
                plan.spread
            ),
            ranking: "largest mu* over outputs, then mean mu*, then file order".into(),
            factors: factors.len(),
            evaluations: points.len(),
            model_runs: total,
            overrides: Vec::new(),
        },
        outputs: output_names(&nominal_scenario),
        nominal,
        parameters: rank(factors, &analysis, &output_names(&nominal_scenario)),
        fixed,
    })
}

/// Ranks the factors by their largest μ* (see the module documentation).
fn rank(
    factors: Vec<Factor>,
    analysis: &MorrisAnalysis,
    names: &[String],
) -> Vec<ParameterSensitivity> {
    let mut rows: Vec<ParameterSensitivity> = factors
        .into_iter()
        .zip(&analysis.stats)
        .map(|(factor, stats)| {
            let mut best = 0;
            for (o, s) in stats.iter().enumerate() {
                if s.mu_star > stats[best].mu_star {
                    best = o;
                }
            }
            ParameterSensitivity {
                rank: 0,
                factor,
                mu_star_max: stats[best].mu_star,
                output: names.get(best).cloned().unwrap_or_default(),
                mu: stats[best].mu,
                sigma: stats[best].sigma,
                mu_star_mean: stats.iter().map(|s| s.mu_star).sum::<f64>() / stats.len() as f64,
                mu_star_all: stats.iter().map(|s| s.mu_star).collect(),
                mu_all: stats.iter().map(|s| s.mu).collect(),
                sigma_all: stats.iter().map(|s| s.sigma).collect(),
            }
        })
        .collect();
    // Stable sort: ties beyond both keys keep file order.
    rows.sort_by(|a, b| {
        b.mu_star_max
            .total_cmp(&a.mu_star_max)
            .then(b.mu_star_mean.total_cmp(&a.mu_star_mean))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_ranges_follow_the_rule() {
        let close = |v, k, want: Option<(f64, f64)>| {
            let got = relative_range(v, k, 0.25);
            match (got, want) {
                (Some((a, b)), Some((c, d))) => {
                    assert!((a - c).abs() < 1e-12 && (b - d).abs() < 1e-12, "{got:?}")
                }
                _ => assert_eq!(got, want),
            }
        };
        close(0.5, ValueKind::Fraction, Some((0.375, 0.625)));
        close(0.9, ValueKind::Fraction, Some((0.675, 1.0)));
        close(-0.2, ValueKind::Shift, Some((-0.25, -0.15)));
        close(90.0, ValueKind::Position, Some((67.5, 100.0)));
        close(2.0, ValueKind::Amount, Some((1.5, 2.5)));
        close(1.0, ValueKind::Count, Some((0.0, 2.0)));
        close(39.0, ValueKind::Count, Some((29.0, 49.0)));
        close(0.0, ValueKind::Fraction, None);
        close(0.0, ValueKind::Count, None);
    }

    #[test]
    fn literals_read_back_as_the_same_number() {
        for v in [0.1, 1.0, 1e-7, 0.30000000000000004, -0.25, 62.5, 1e16] {
            let t: toml::Table = toml::from_str(&format!("v = {}", ValueKind::Amount.literal(v)))
                .expect("a TOML float");
            assert_eq!(t["v"].as_float(), Some(v));
        }
        assert_eq!(ValueKind::Count.literal(7.0), "7");
    }

    #[test]
    fn bad_spreads_are_refused() {
        for s in [0.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
            assert!(check_spread(s).is_err(), "{s}");
        }
        assert!(check_spread(1.0).is_ok() && check_spread(0.25).is_ok());
    }
}
