//! The exchange model as an ensemble over seeds: ties between equal gains are broken at
//! random, so one run is one possible course of the negotiation, and the ensemble gives the
//! spread of the Nash bargaining solution (NBS) per issue.

use crate::decide_format::MultiIssueInput;
use crate::exchange::{ExchangeOptions, ExchangeRun, run_exchange};
use bloc_base::ensemble::{EnsembleError, EnsemblePlan, run_ensemble};
use bloc_base::stats::{Band, band, mean, std_dev};
use serde::Serialize;

/// The ensemble's summary of one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueSummary {
    /// The issue's id.
    pub issue: String,
    /// The NBS before the first round.
    pub nbs_start: f64,
    /// Final NBS over runs: mean and 5/50/95 % quantiles.
    pub nbs_final: Band,
    /// Standard deviation of the final NBS over runs.
    pub nbs_final_sd: f64,
    /// Mean NBS over runs after each round.
    pub nbs_mean_by_round: Vec<f64>,
}

/// An ensemble of exchange-model runs: the JSON contract of `bloc bargain --model exchange`
/// (besides its `meta`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeEnsemble {
    /// The model's options.
    pub options: ExchangeOptions,
    /// Runs (seeds).
    pub runs: u32,
    /// Master seed.
    pub seed: u64,
    /// The decision read.
    pub input: MultiIssueInput,
    /// Per issue, the NBS over runs.
    pub issues: Vec<IssueSummary>,
    /// Exchanges realised per run, over runs.
    pub exchanges_per_run: Band,
    /// Run 0 in full.
    pub first_run: ExchangeRun,
    /// The NBS of every run after every round: `[run][round][issue]`.
    #[serde(skip)]
    pub nbs: Vec<Vec<Vec<f64>>>,
    /// Exchanges realised in each run.
    #[serde(skip)]
    pub realised: Vec<usize>,
}

/// Runs the exchange model `plan.runs` times on `model` (run `i` on the ensemble's stream
/// `i`) and summarizes. Bit-identical whatever the threads.
pub fn run_exchange_ensemble(
    model: &MultiIssueInput,
    options: ExchangeOptions,
    plan: EnsemblePlan,
) -> Result<ExchangeEnsemble, EnsembleError> {
    let mut first: Option<ExchangeRun> = None;
    let mut nbs: Vec<Vec<Vec<f64>>> = Vec::new();
    let mut realised: Vec<usize> = Vec::new();
    run_ensemble(
        plan,
        |_, rng| run_exchange(model, &options, rng),
        |i, run| {
            nbs.push(run.rounds.iter().map(|r| r.nbs_end.clone()).collect());
            realised.push(run.rounds.iter().map(|r| r.exchanges.len()).sum());
            if i == 0 {
                first = Some(run);
            }
        },
        |_| {},
    )?;
    let first = first.ok_or(EnsembleError::NoRuns)?;
    let issues = summarize(model, &first, &nbs);
    Ok(ExchangeEnsemble {
        options,
        runs: plan.runs as u32,
        seed: plan.master_seed,
        input: model.clone(),
        issues,
        exchanges_per_run: band(&realised.iter().map(|&n| n as f64).collect::<Vec<_>>()),
        first_run: first,
        nbs,
        realised,
    })
}

/// Per issue: the NBS at the start (run 0), at the end over runs, and by round.
fn summarize(
    model: &MultiIssueInput,
    first: &ExchangeRun,
    nbs: &[Vec<Vec<f64>>],
) -> Vec<IssueSummary> {
    let rounds = first.rounds.len();
    model
        .issues
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            let finals: Vec<f64> = nbs
                .iter()
                .filter_map(|run| run.last().map(|r| r[k]))
                .collect();
            let by_round = (0..rounds)
                .map(|t| mean(&nbs.iter().map(|run| run[t][k]).collect::<Vec<_>>()))
                .collect();
            IssueSummary {
                issue: issue.id.clone(),
                nbs_start: first.rounds.first().map_or(f64::NAN, |r| r.nbs_start[k]),
                nbs_final: band(&finals),
                nbs_final_sd: std_dev(&finals),
                nbs_mean_by_round: by_round,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide_format::read_decide;

    fn sample() -> MultiIssueInput {
        let text = include_str!("../../../data/bargain/decide/sample_data.txt");
        read_decide(text).expect("the shipped sample reads")
    }

    #[test]
    fn the_ensemble_does_not_depend_on_threads_and_keeps_every_run() {
        let model = sample();
        let plan = |threads| EnsemblePlan {
            runs: 6,
            master_seed: 3,
            threads,
        };
        let one = run_exchange_ensemble(&model, ExchangeOptions::default(), plan(1)).unwrap();
        let two = run_exchange_ensemble(&model, ExchangeOptions::default(), plan(2)).unwrap();
        assert_eq!(one, two);
        assert_eq!(one.nbs.len(), 6);
        assert_eq!(one.issues.len(), model.issues.len());
        assert_eq!(one.realised.len(), 6);
    }

    #[test]
    fn no_run_is_an_error() {
        let plan = EnsemblePlan {
            runs: 0,
            master_seed: 3,
            threads: 1,
        };
        let e = run_exchange_ensemble(&sample(), ExchangeOptions::default(), plan);
        assert!(matches!(e, Err(EnsembleError::NoRuns)));
    }
}
