//! Uncertain judgements by Monte Carlo over the cells (design cib.md §2.6, after PyCIB):
//! each draw perturbs every cell of every judged section with a normal error of the
//! section's σ, clipped to the scale, and enumerates the draw's consistent scenarios
//! exactly; a scenario's frequency over the draws estimates P(consistent).
//!
//! σ follows PyCIB's confidence coding: confidence 1 → 1.5, 2 → 1.2, 3 → 0.8, 4 → 0.5,
//! 5 → 0.2 (a section without a confidence counts as 3, unless a σ is given for all).
//! Sections with no non-zero cell and no confidence are "no direct influence" and stay zero.
//!
//! A drawn cell is rounded to 1/`steps` of a scale point (the engine takes integers, so the
//! matrix and the tolerance are multiplied by `steps`). With `steps` = 1, the default, a draw
//! is a matrix of integer judgements on the file's scale, one another expert could have
//! written, and the ties that make many scenarios consistent (a tied descriptor counts as
//! consistent) survive where the draw leaves the cells alone. With fine steps (100, near
//! PyCIB's continuous draws) exact ties all but vanish, so a scenario that is consistent only
//! through a tie is consistent in few draws however small σ is: the analysis then measures
//! tie-breaking as much as robustness.
//!
//! Draw d uses the ChaCha8 stream d of the master seed (the seeding policy), and draws are
//! merged in order: results are identical for every thread count.

use super::search::{SearchError, SearchOptions, Workers, consistent_scenarios};
use super::system::{CibSystem, Scenario};
use rand_distr::{Distribution, Normal};
use serde::Serialize;
use std::collections::BTreeMap;

/// σ of a judgement given its confidence (1..5), PyCIB's coding.
pub fn sigma_of_confidence(confidence: u8) -> f64 {
    match confidence {
        1 => 1.5,
        2 => 1.2,
        3 => 0.8,
        4 => 0.5,
        _ => 0.2,
    }
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyPlan {
    /// σ per section (source, target), row-major N×N; 0 = not perturbed.
    pub sigma: Vec<f64>,
    /// Lowest and highest value a cell may take.
    pub scale: (i32, i32),
    /// Number of draws.
    pub draws: u64,
    /// Master seed.
    pub seed: u64,
    /// Tolerance, in scale points.
    pub tolerance: i32,
    /// Drawn cells are rounded to 1/`steps` of a scale point (1: the scale's integers).
    pub steps: i32,
    /// Fixed descriptors (intervention), or empty.
    pub fixed: Vec<Option<u8>>,
    /// Worker threads (0 = rayon's default).
    pub threads: usize,
}

/// How often a scenario was consistent over the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioFrequency {
    /// The scenario.
    pub scenario: Scenario,
    /// Draws in which it was consistent within the tolerance.
    pub draws: u64,
    /// draws / total.
    pub share: f64,
    /// Whether it is consistent within the tolerance in the undisturbed matrix.
    pub in_base: bool,
}

/// The result of an uncertainty analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncertaintyReport {
    /// Number of draws.
    pub draws: u64,
    /// Consistent scenarios per draw: mean, min and max.
    pub count_mean: f64,
    /// Fewest consistent scenarios in a draw.
    pub count_min: usize,
    /// Most consistent scenarios in a draw.
    pub count_max: usize,
    /// Every scenario consistent in at least one draw, most frequent first.
    pub scenarios: Vec<ScenarioFrequency>,
}

/// σ per section from the confidences given (absent: `default_sigma` if the section is
/// judged, 0 otherwise); `override_sigma` replaces every judged section's σ.
pub fn section_sigmas(
    system: &CibSystem,
    confidences: &BTreeMap<(usize, usize), Option<u8>>,
    override_sigma: Option<f64>,
) -> Vec<f64> {
    let n = system.descriptor_count();
    let mut sigma = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let declared = confidences.get(&(i, j));
            let judged = declared.is_some() || system.section_is_judged(i, j);
            if !judged {
                continue;
            }
            sigma[i * n + j] = match override_sigma {
                Some(s) => s,
                None => sigma_of_confidence(declared.copied().flatten().unwrap_or(3)),
            };
        }
    }
    sigma
}

fn draw_system(system: &CibSystem, plan: &UncertaintyPlan, draw: u64) -> CibSystem {
    let n = system.descriptor_count();
    let mut rng = bloc_base::seeding::run_rng(plan.seed, draw);
    let total = system.total_variants();
    let mut matrix = vec![0i32; total * total];
    let (lo, hi) = (f64::from(plan.scale.0), f64::from(plan.scale.1));
    for i in 0..n {
        for k in 0..system.variant_count(i) {
            for j in 0..n {
                let s = plan.sigma[i * n + j];
                for l in 0..system.variant_count(j) {
                    let mu = f64::from(system.cell(i, k, j, l));
                    let x = if s > 0.0 {
                        let normal = Normal::new(mu, s)
                            .unwrap_or_else(|_| Normal::new(mu, 0.0).expect("σ = 0 is valid"));
                        normal.sample(&mut rng).clamp(lo, hi)
                    } else {
                        mu
                    };
                    matrix[(system.offset(i) + k) * total + system.offset(j) + l] =
                        (x * f64::from(plan.steps)).round() as i32;
                }
            }
        }
    }
    system.with_matrix(matrix).expect("the same shape")
}

/// Runs the draws and counts how often each scenario is consistent; `progress(done)` is
/// called as draws finish.
pub fn judgement_uncertainty(
    system: &CibSystem,
    plan: &UncertaintyPlan,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<UncertaintyReport, SearchError> {
    if plan.steps < 1 {
        return Err(SearchError::Overflow);
    }
    // |score| <= max|cell| · steps · N² must fit an i32, and so must the tolerance.
    let per_step = u64::from(plan.scale.0.unsigned_abs().max(plan.scale.1.unsigned_abs()))
        * (system.descriptor_count() as u64).pow(2);
    let bound = per_step * u64::from(plan.steps.unsigned_abs());
    if i32::try_from(bound).is_err() {
        return Err(SearchError::DrawSteps {
            steps: plan.steps,
            max: i32::MAX as u64 / per_step.max(1),
        });
    }
    let tolerance = plan
        .tolerance
        .checked_mul(plan.steps)
        .ok_or(SearchError::Overflow)?;
    let done = std::sync::atomic::AtomicU64::new(0);
    let options = SearchOptions {
        tolerance,
        fixed: plan.fixed.clone(),
        islands: true,
        threads: 1,
    };
    let draws: Vec<u64> = (0..plan.draws).collect();
    let per_draw = Workers::new(plan.threads)?
        .map(&draws, |&d| {
            let found = consistent_scenarios(&draw_system(system, plan, d), &options);
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
            found
        })
        .into_iter()
        .collect::<Result<Vec<Vec<Scenario>>, SearchError>>()?;
    let base: Vec<Scenario> = consistent_scenarios(
        system,
        &SearchOptions {
            tolerance: plan.tolerance,
            fixed: plan.fixed.clone(),
            ..SearchOptions::default()
        },
    )?;
    let mut counts: BTreeMap<Scenario, u64> = BTreeMap::new();
    for set in &per_draw {
        for z in set {
            *counts.entry(z.clone()).or_default() += 1;
        }
    }
    let draws = plan.draws.max(1);
    let mut scenarios: Vec<ScenarioFrequency> = counts
        .into_iter()
        .map(|(scenario, c)| ScenarioFrequency {
            in_base: base.binary_search(&scenario).is_ok(),
            scenario,
            draws: c,
            share: c as f64 / draws as f64,
        })
        .collect();
    for z in &base {
        if !scenarios.iter().any(|f| &f.scenario == z) {
            scenarios.push(ScenarioFrequency {
                scenario: z.clone(),
                draws: 0,
                share: 0.0,
                in_base: true,
            });
        }
    }
    scenarios.sort_by(|a, b| {
        b.draws
            .cmp(&a.draws)
            .then_with(|| a.scenario.cmp(&b.scenario))
    });
    let sizes: Vec<usize> = per_draw.iter().map(Vec::len).collect();
    Ok(UncertaintyReport {
        draws: plan.draws,
        count_mean: sizes.iter().sum::<usize>() as f64 / draws as f64,
        count_min: sizes.iter().copied().min().unwrap_or(0),
        count_max: sizes.iter().copied().max().unwrap_or(0),
        scenarios,
    })
}
