//! Leave-one-crisis-out (issue #17 item 5; docs/calibration.md): for each crisis k of the
//! history suite, calibrate on the other crises and the calm starts (the same ABC-SMC and
//! settings for every fold), then forecast k from that fold's posterior: `draws` parameter
//! vectors drawn by weight, each running k `runs_per_case` times. The held-out forecasts are
//! scored like the suite (Brier and log against uniform and the leave-one-out base rate),
//! binned into a reliability diagram's numbers, and checked for the coverage of their 90 %
//! predictive intervals (the posterior predictive check's definitions, applied out of
//! sample).

use super::calibration::{CaseCheck, HistoryProblem, predictive_statistics};
use super::data::Crisis;
use super::suite::{self, CaseForecast, SuiteScore};
use bloc_calibrate::smc::{self, AbcError, Observer, Settings, State};
use bloc_model::OutcomeClass;
use rand::RngExt;
use serde::Serialize;

/// Bins of the reliability diagram (equal widths on [0, 1]).
pub const BINS: usize = 10;

/// One fold: crisis `id` held out.
#[derive(Debug, Clone, Serialize)]
pub struct Fold {
    /// The crisis held out.
    pub id: String,
    /// Its predictive check out of sample: class probabilities, the probability of each
    /// observed pattern and whether it lies inside the 90 % intervals.
    pub check: CaseCheck,
    /// Generations the fold's calibration ran.
    pub generations: usize,
    /// Simulations of the record it ran.
    pub simulations: u64,
    /// Its last tolerance.
    pub tolerance: Option<f64>,
    /// The effective sample size of its last generation.
    pub ess: f64,
    /// The held-out forecast as run counts (scored with the other folds').
    #[serde(skip)]
    forecast: Option<CaseForecast>,
}

/// One bin of the reliability diagram: the class forecasts whose probability falls in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityBin {
    /// Lower edge (inclusive).
    pub lower: f64,
    /// Upper edge (exclusive; the last bin includes 1).
    pub upper: f64,
    /// Class forecasts in the bin (each case gives one per class).
    pub forecasts: usize,
    /// Their mean predicted probability (`None`: empty bin).
    pub mean_predicted: Option<f64>,
    /// The share of them whose class was the observed one (`None`: empty bin).
    pub observed_frequency: Option<f64>,
}

/// Everything leave-one-crisis-out computes.
#[derive(Debug, Clone, Serialize)]
pub struct LeaveOneOut {
    /// The calibration settings of every fold.
    pub settings: Settings,
    /// Parameter draws per held-out forecast.
    pub draws: usize,
    /// Runs of the held-out case per draw.
    pub runs_per_case: u64,
    /// The folds, in the suite's order.
    pub folds: Vec<Fold>,
    /// The held-out forecasts' scores, main coding.
    pub scores: SuiteScore,
    /// The same under the alternative coding.
    pub alternative: SuiteScore,
    /// The reliability diagram of the class probabilities (main coding).
    pub reliability: Vec<ReliabilityBin>,
    /// Per pattern (class, intervention, party in power): the share of held-out cases whose
    /// observed value lies inside the 90 % predictive interval of its share.
    pub share_coverage: [f64; 3],
    /// The same for the 90 % interval of one run's outcome (predictive probability ≥ 5 %).
    pub run_coverage: [f64; 3],
}

/// Runs every fold of `problem`: calibrations with `settings` (told to `observer`), then
/// `draws` predictive draws of the held-out case; `done` is told of each fold as it ends.
/// Byte-identical across thread counts, like the calibration it repeats.
pub fn leave_one_out(
    problem: &HistoryProblem,
    settings: &Settings,
    draws: usize,
    observer: &mut dyn Observer,
    mut done: impl FnMut(&Fold),
) -> Result<LeaveOneOut, AbcError> {
    let mut folds = Vec::new();
    let mut record = Vec::new();
    for id in problem.case_ids() {
        let (Some(train), Some(held)) = (problem.without(&id), problem.only(&id)) else {
            continue;
        };
        let distance = train.distance();
        let state = smc::run(
            &train,
            &distance,
            train.parameters(),
            settings.clone(),
            observer,
        )?;
        let fold = held_out(&held, &id, &state, settings.seed, draws)?;
        done(&fold);
        folds.push(fold);
        record.extend(held.records());
    }
    Ok(summarize(
        settings,
        draws,
        problem.runs_per_case(),
        folds,
        &record,
    ))
}

/// The forecast of the held-out case `held` from a fold's posterior `state`; an error if
/// the fold kept no particle (its budget could not finish the first generation), which
/// would otherwise forecast at the scenario's own values.
fn held_out(
    held: &HistoryProblem,
    id: &str,
    state: &State,
    seed: u64,
    draws: usize,
) -> Result<Fold, AbcError> {
    let population = &state.population;
    if population.particles.is_empty() {
        return Err(AbcError::Settings(format!(
            "the fold without {id} kept no particle: its budget could not finish the first generation"
        )));
    }
    let stats = predictive_statistics(held, draws, seed, |_, rng| {
        let u: f64 = rng.random();
        population.particles[smc::pick(&population.weights, u)].clone()
    });
    let mut check = held.check(&stats);
    let last = state.generations.last();
    Ok(Fold {
        id: id.to_string(),
        check: check.cases.remove(0),
        generations: state.generations.len(),
        simulations: state.generations.iter().map(|g| g.simulations).sum(),
        tolerance: last.and_then(|g| g.epsilon),
        ess: last.map_or(0.0, |g| g.ess),
        forecast: check.forecasts.pop(),
    })
}

/// The folds' scores, reliability and coverage.
fn summarize(
    settings: &Settings,
    draws: usize,
    runs_per_case: u64,
    folds: Vec<Fold>,
    record: &[Crisis],
) -> LeaveOneOut {
    let forecasts: Vec<CaseForecast> = folds.iter().filter_map(|f| f.forecast.clone()).collect();
    let n = folds.len().max(1) as f64;
    let share = |pick: &dyn Fn(&CaseCheck) -> bool| {
        folds.iter().filter(|f| pick(&f.check)).count() as f64 / n
    };
    LeaveOneOut {
        settings: settings.clone(),
        draws,
        runs_per_case,
        scores: suite::score(&forecasts, record, false),
        alternative: suite::score(&forecasts, record, true),
        reliability: reliability(
            folds
                .iter()
                .flat_map(|f| class_forecasts(&f.check))
                .collect::<Vec<_>>()
                .as_slice(),
        ),
        share_coverage: [0, 1, 2].map(|j| share(&|c: &CaseCheck| c.share_inside[j])),
        run_coverage: [0, 1, 2].map(|j| share(&|c: &CaseCheck| c.inside[j])),
        folds,
    }
}

/// A case's class forecasts: (predicted probability, whether that class was observed).
fn class_forecasts(c: &CaseCheck) -> Vec<(f64, bool)> {
    OutcomeClass::ALL
        .iter()
        .zip(&c.classes)
        .map(|(k, &p)| (p, *k == c.observed))
        .collect()
}

/// The reliability diagram's numbers of `forecasts` in [`BINS`] equal bins.
#[must_use]
pub fn reliability(forecasts: &[(f64, bool)]) -> Vec<ReliabilityBin> {
    (0..BINS)
        .map(|b| {
            let (lower, upper) = (b as f64 / BINS as f64, (b + 1) as f64 / BINS as f64);
            let last = b + 1 == BINS;
            let inside: Vec<&(f64, bool)> = forecasts
                .iter()
                .filter(|(p, _)| *p >= lower && (*p < upper || (last && *p <= 1.0)))
                .collect();
            let count = inside.len();
            let mean = |x: f64| (count > 0).then(|| x / count as f64);
            ReliabilityBin {
                lower,
                upper,
                forecasts: count,
                mean_predicted: mean(inside.iter().map(|(p, _)| p).sum()),
                observed_frequency: mean(inside.iter().filter(|(_, o)| *o).count() as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reliability_bins_count_average_and_include_one_in_the_last_bin() {
        let f = [
            (0.0, false),
            (0.05, true),
            (0.95, true),
            (1.0, true),
            (0.5, false),
        ];
        let r = reliability(&f);
        assert_eq!(r.len(), BINS);
        assert_eq!(r[0].forecasts, 2);
        assert!((r[0].mean_predicted.unwrap() - 0.025).abs() < 1e-12);
        assert_eq!(r[0].observed_frequency, Some(0.5));
        assert_eq!(r[5].forecasts, 1);
        assert_eq!(r[5].observed_frequency, Some(0.0));
        assert_eq!(r[9].forecasts, 2);
        assert_eq!(r[9].observed_frequency, Some(1.0));
        assert_eq!(r[3].mean_predicted, None);
        assert_eq!(r.iter().map(|b| b.forecasts).sum::<usize>(), f.len());
    }
}
