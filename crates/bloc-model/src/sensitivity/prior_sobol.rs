//! Sobol' indices of a bloc forecast's outcome probabilities over the values that carry a
//! prior, drawn from their priors (`bloc sensitivity --method sobol`): which calibrated
//! mechanism, across its whole prior, moves which outcome, alone (first order) and with the
//! others (total).
//!
//! **Design.** The factors are the scenario's values with a `prior` (13 mechanism estimates
//! of the flagship; [`sourced_values`]), except those set with `--set` (their source is the
//! override): they are held at the value given, as in the Morris analysis. Matrices A and B have N rows of independent draws
//! from the priors: row j of A from the stream branch [`A_BRANCH`] of the seed, run j, of B
//! from [`B_BRANCH`], each factor in file order. The N (k + 2) points of
//! [`sobol::saltelli_points`] are each a scenario rewritten with the point's values (as
//! `--set` does, every check of a file) and forecast with `runs` runs from the same master
//! seed (common random numbers, as in the Morris analysis: the indices describe the forecast
//! at that seed, so the Monte Carlo jitter of `runs` runs shows up as effects, mostly as
//! interactions, and more runs per point reduce it). Indices per output by
//! [`sobol::indices`] (Saltelli et al. 2010), with bootstrap standard errors. Each point is
//! a single-threaded forecast; points run in parallel into their own slots, so the result
//! does not depend on the threads.
//!
//! **Outputs** are those of the Morris analysis ([`super::bloc::outputs`]). An output whose
//! values at A and B are all equal has no indices (reported as 0 with variance 0).
//!
//! **Ranking**: factors by their largest total partial variance V_Ti over outputs (in
//! squared probability: the share of an output's variance times that variance), then by
//! file order. Not by the largest index S_Ti: an output that hardly varies over a small
//! design (one run in a few hundred) has indices far above 1 that mean nothing, while V_Ti
//! stays comparable across outputs. The output reported with a factor is the one with its
//! largest V_Ti.

use super::bloc::{SensitivityError, output_names, outputs_of};
use super::morris::{self, EvaluationError};
use super::sobol;
use crate::config::BlocScenario;
use crate::overrides::scenario_with;
use crate::parameters::{ValueKind, sourced_values};
use bloc_base::seeding::{SimRng, branch_rng, branches};
use serde::Serialize;

/// The stream branch of matrix A's draws.
pub const A_BRANCH: u64 = branches::SOBOL_A;
/// The stream branch of matrix B's draws.
pub const B_BRANCH: u64 = branches::SOBOL_B;
/// How the source of a value set with `--set` begins ([`crate::overrides`]).
const OVERRIDE_SOURCE: &str = "override:";

/// Bootstrap resamples of each index's standard error.
pub const RESAMPLES: usize = 200;

/// How to run the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolPlan {
    /// Base samples N (rows of A and of B; at least 2).
    pub samples: usize,
    /// Runs of the forecast at each point.
    pub runs: u64,
    /// Master seed of the draws and of every forecast.
    pub seed: u64,
    /// Weeks to simulate (default: the scenario's).
    pub horizon: Option<u32>,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

/// A factor: a value with a prior.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorFactor {
    /// Its path.
    pub path: String,
    /// Its value in the scenario.
    pub value: f64,
    /// Its prior, as the file writes it.
    pub prior: String,
    #[serde(skip)]
    kind: ValueKind,
    #[serde(skip)]
    parameter: bloc_calibrate::prior::Parameter,
}

/// One factor's indices for every output (ranked by [`FactorIndices::total_variance_max`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorIndices {
    /// Rank (1: the largest total partial variance).
    pub rank: usize,
    /// The factor.
    #[serde(flatten)]
    pub factor: PriorFactor,
    /// The largest total partial variance V_Ti over outputs.
    pub total_variance_max: f64,
    /// The output with it.
    pub output: String,
    /// Per output, in the order of [`PriorSobol::outputs`].
    pub indices: Vec<sobol::SobolIndex>,
}

/// The result of `bloc sensitivity --method sobol`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorSobol {
    /// Scenario name.
    pub scenario: String,
    /// Its hash, as analysed.
    pub scenario_hash: String,
    /// bloc version.
    pub version: String,
    /// The method.
    pub method: String,
    /// Random generators and branches.
    pub rng: String,
    /// Master seed.
    pub seed: u64,
    /// Base samples N.
    pub samples: usize,
    /// Runs per point.
    pub runs: u64,
    /// Points, N (k + 2).
    pub evaluations: usize,
    /// Output names.
    pub outputs: Vec<String>,
    /// Each output's variance over A and B.
    pub variances: Vec<f64>,
    /// The factors, largest total partial variance first.
    pub factors: Vec<FactorIndices>,
}

/// The method, as recorded.
pub const METHOD: &str = "Sobol' first-order and total indices, Saltelli et al. (2010) design (A, B, A_B^(i)) and estimators (Table 2 (b), (f) Jansen); A and B drawn from the priors (pseudo-random); bootstrap standard errors (200 resamples); common random numbers";

/// The values of `s` with a prior, in file order.
fn prior_factors(s: &BlocScenario) -> Result<Vec<PriorFactor>, SensitivityError> {
    sourced_values(s)
        .into_iter()
        .filter(|v| !v.source.starts_with(OVERRIDE_SOURCE))
        .filter_map(|v| v.prior.map(|p| (v, p)))
        .map(|(v, p)| {
            let parameter = bloc_calibrate::prior::Parameter::new(&v.path, p, v.kind.bounds())
                .map_err(|e| SensitivityError::Scenario(format!("{}: {e}", v.path)))?;
            Ok(PriorFactor {
                prior: serde_json::to_string(&p).unwrap_or_default(),
                path: v.path,
                value: v.value,
                kind: v.kind,
                parameter,
            })
        })
        .collect()
}

/// N rows of draws from the priors, row j from branch `branch` of `seed`, stream j.
fn draws(factors: &[PriorFactor], n: usize, seed: u64, branch: u64) -> Vec<Vec<f64>> {
    (0..n)
        .map(|j| {
            let mut rng: SimRng = branch_rng(seed, j as u64, branch);
            factors
                .iter()
                .map(|f| f.parameter.sample(&mut rng))
                .collect()
        })
        .collect()
}

/// The scenario at point `x`.
fn scenario_at(
    text: &str,
    factors: &[PriorFactor],
    x: &[f64],
    horizon: Option<u32>,
) -> Result<BlocScenario, String> {
    let set: Vec<String> = factors
        .iter()
        .zip(x)
        .map(|(f, v)| format!("{}={}", f.path, f.kind.literal(*v)))
        .collect();
    let mut s = scenario_with(text, &set)?;
    if let Some(h) = horizon {
        s.scenario.weeks = h;
    }
    Ok(s)
}

/// The outputs of a forecast of `s` with `runs` runs from `seed`, on one thread (Morris's
/// forecast: no scenario hash is computed for a point's metadata, which no output reads).
fn outputs_at(s: &BlocScenario, runs: u64, seed: u64) -> Result<Vec<f64>, String> {
    super::bloc::forecast(s, runs, seed).map(|f| outputs_of(&f))
}

/// Runs the analysis on scenario `text`; `progress(done, total)` counts points.
pub fn run_prior_sobol(
    text: &str,
    plan: &SobolPlan,
    mut progress: impl FnMut(u64, u64),
) -> Result<PriorSobol, SensitivityError> {
    if plan.samples < 2 || plan.runs == 0 {
        return Err(SensitivityError::Plan(
            "expected at least 2 samples and 1 run per point".into(),
        ));
    }
    let base = BlocScenario::from_toml(text).map_err(|d| {
        SensitivityError::Scenario(d.iter().map(|p| p.summary()).collect::<Vec<_>>().join("; "))
    })?;
    let factors = prior_factors(&base)?;
    if factors.is_empty() {
        return Err(SensitivityError::Plan(
            "the scenario has no value with a prior: give the values to analyse a `prior`".into(),
        ));
    }
    let k = factors.len();
    let a = draws(&factors, plan.samples, plan.seed, A_BRANCH);
    let b = draws(&factors, plan.samples, plan.seed, B_BRANCH);
    let points = sobol::saltelli_points(&a, &b);
    let refs: Vec<&[f64]> = points.iter().map(Vec::as_slice).collect();
    let total = refs.len() as u64;
    let y = morris::evaluate(
        &refs,
        plan.threads,
        |_, x| {
            let s = scenario_at(text, &factors, x, plan.horizon)?;
            outputs_at(&s, plan.runs, plan.seed)
        },
        |done| progress(done as u64, total),
    )
    .map_err(|e| match e {
        EvaluationError::Model { point, error } => {
            SensitivityError::Run(format!("design point {point}: {error}"))
        }
        EvaluationError::Thread(t) => SensitivityError::Run(t),
    })?;
    let mut analysed = base.clone();
    if let Some(h) = plan.horizon {
        analysed.scenario.weeks = h;
    }
    let names = output_names(&analysed);
    let per_output: Vec<sobol::SobolIndices> = (0..names.len())
        .map(|o| {
            let column: Vec<f64> = y.iter().map(|row| row[o]).collect();
            sobol::indices(&column, k, RESAMPLES, plan.seed).ok_or_else(|| {
                SensitivityError::Run(format!("output {} is not finite at some point", names[o]))
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(PriorSobol {
        scenario: analysed.scenario.name.clone(),
        scenario_hash: analysed.hash(),
        version: bloc_base::VERSION.to_string(),
        method: METHOD.into(),
        rng: format!(
            "{}; row j of A on branch {A_BRANCH:#x} and of B on branch {B_BRANCH:#x} of the seed, \
             stream j; bootstrap on branch {:#x}; forecast runs as bloc forecast",
            bloc_base::seeding::GENERATOR,
            sobol::SOBOL_BRANCH
        ),
        seed: plan.seed,
        samples: plan.samples,
        runs: plan.runs,
        evaluations: points.len(),
        variances: per_output.iter().map(|s| s.variance).collect(),
        factors: rank(factors, &per_output, &names),
        outputs: names,
    })
}

/// The factors with their indices, largest total index first (ties in file order).
fn rank(
    factors: Vec<PriorFactor>,
    per_output: &[sobol::SobolIndices],
    names: &[String],
) -> Vec<FactorIndices> {
    let mut rows: Vec<FactorIndices> = factors
        .into_iter()
        .enumerate()
        .map(|(i, factor)| {
            let indices: Vec<sobol::SobolIndex> = per_output.iter().map(|s| s.factors[i]).collect();
            let best = (0..indices.len())
                .max_by(|&x, &y| {
                    indices[x]
                        .total_variance
                        .total_cmp(&indices[y].total_variance)
                        .then(y.cmp(&x))
                })
                .unwrap_or(0);
            FactorIndices {
                rank: 0,
                factor,
                total_variance_max: indices.get(best).map_or(0.0, |s| s.total_variance),
                output: names.get(best).cloned().unwrap_or_default(),
                indices,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.total_variance_max.total_cmp(&a.total_variance_max));
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    rows
}
