//! An ensemble of Model I runs, aggregated as it streams in: per-step histograms of the
//! quiet, active and jailed counts (exact quantiles, bounded memory) and every run's
//! summary. Full per-step series of every run are kept only when asked (`keep_series`).

use super::config::EpsteinScenario;
use super::run::{RunSummary, simulate_run};
use super::world::Counts;
use bloc_base::ensemble::{EnsembleError, EnsemblePlan, run_ensemble};
use bloc_base::stats::{Band, Histogram};
use serde::Serialize;

/// Per-step distribution of the counts over runs.
#[derive(Debug, Clone, Serialize)]
pub struct StepBands {
    /// Step (0 is the initial state).
    pub step: u32,
    /// Quiet citizens.
    pub quiet: Band,
    /// Active citizens.
    pub active: Band,
    /// Jailed citizens.
    pub jailed: Band,
}

/// The aggregated result of an ensemble.
#[derive(Debug, Clone)]
pub struct EnsembleResult {
    /// Per-step histograms of quiet, active and jailed counts.
    histograms: Vec<[Histogram; 3]>,
    /// Summary of each run, in run order.
    pub summaries: Vec<RunSummary>,
    /// Per-step counts of each run, in run order, if they were kept.
    pub series: Option<Vec<Vec<Counts>>>,
}

impl EnsembleResult {
    /// Mean and quantiles of the counts at each step.
    pub fn step_bands(&self) -> Vec<StepBands> {
        self.histograms
            .iter()
            .enumerate()
            .map(|(t, [q, a, j])| StepBands {
                step: t as u32,
                quiet: q.band(),
                active: a.band(),
                jailed: j.band(),
            })
            .collect()
    }
}

/// Runs the scenario's ensemble (`runs` runs of `steps` steps from `seed`), keeping every
/// run's series only if `keep_series`. `progress` gets the number of finished runs.
pub fn run_epstein_ensemble(
    scenario: &EpsteinScenario,
    plan: EnsemblePlan,
    steps: u32,
    keep_series: bool,
    progress: impl FnMut(u64),
) -> Result<EnsembleResult, EnsembleError> {
    let mut histograms: Vec<[Histogram; 3]> = (0..=steps).map(|_| Default::default()).collect();
    let mut summaries = Vec::with_capacity(plan.runs as usize);
    let mut series = keep_series.then(Vec::new);
    run_ensemble(
        plan,
        |_, rng| simulate_run(scenario, steps, rng),
        |_, run| {
            for (h, c) in histograms.iter_mut().zip(&run.counts) {
                h[0].add(c.quiet);
                h[1].add(c.active);
                h[2].add(c.jailed);
            }
            summaries.push(run.summary);
            if let Some(s) = series.as_mut() {
                s.push(run.counts);
            }
        },
        progress,
    )?;
    Ok(EnsembleResult {
        histograms,
        summaries,
        series,
    })
}
