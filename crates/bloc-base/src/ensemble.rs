//! The deterministic parallel ensemble runner.
//!
//! Runs are independent: run `i` uses only `seeding::run_rng(master_seed, i)`. Runs are
//! computed in chunks with rayon (`into_par_iter().map().collect()` keeps order) and handed
//! to the caller's sink one by one in run order, so any reduction the sink does is sequential
//! and the result is bit-identical whatever the number of threads. Only one chunk of results
//! is held at a time.

use crate::seeding::{SimRng, run_rng};
use rayon::prelude::*;

/// Why an ensemble could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnsembleError {
    /// The thread pool could not be built (fatal).
    #[error("could not start {threads} worker threads: {message}")]
    ThreadPool {
        /// Requested threads.
        threads: usize,
        /// The reason.
        message: String,
    },
    /// The ensemble has no runs, and its result needs at least one (recoverable: ask for
    /// more).
    #[error("no run")]
    NoRuns,
    /// Runs drawn on scenarios that do not fit the ensemble (fatal: a defect of the caller).
    #[error("parameter draws do not fit the ensemble: {0}")]
    Draws(String),
}

/// How an ensemble is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnsemblePlan {
    /// Number of runs.
    pub runs: u64,
    /// Master seed.
    pub master_seed: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

/// Runs `plan.runs` runs of `simulate` in parallel and passes each result, in run order, to
/// `sink`; `progress` is told how many runs are done after each chunk.
pub fn run_ensemble<R, F, S, P>(
    plan: EnsemblePlan,
    simulate: F,
    mut sink: S,
    mut progress: P,
) -> Result<(), EnsembleError>
where
    R: Send,
    F: Fn(u64, &mut SimRng) -> R + Sync,
    S: FnMut(u64, R),
    P: FnMut(u64),
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(|e| EnsembleError::ThreadPool {
            threads: plan.threads,
            message: e.to_string(),
        })?;
    let chunk = (pool.current_num_threads() as u64 * 8).max(16);
    let mut start = 0;
    while start < plan.runs {
        let end = (start + chunk).min(plan.runs);
        let results: Vec<R> = pool.install(|| {
            (start..end)
                .into_par_iter()
                .map(|i| {
                    let mut rng = run_rng(plan.master_seed, i);
                    simulate(i, &mut rng)
                })
                .collect()
        });
        for (k, r) in results.into_iter().enumerate() {
            sink(start + k as u64, r);
        }
        progress(end);
        start = end;
    }
    Ok(())
}
