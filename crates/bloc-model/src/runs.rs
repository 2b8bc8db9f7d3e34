//! The bloc model's ensembles: every run of an ensemble is set up on the ensemble's own
//! stream for that run and driven by the one weekly loop ([`Simulation::run_from`]), with an
//! observer of the caller's; forecasts, per-run paths, strategies with reaction rules and
//! playbooks differ only in what they observe and how they summarize a run.

use crate::config::BlocScenario;
use crate::run::{BlocRun, Observer, Simulation};
use bloc_base::ensemble::{EnsembleError, EnsemblePlan, run_ensemble};

/// How each run of an ensemble is watched and summarized.
pub trait RunWatch: Sync {
    /// What watches run `run`.
    type Observer: Observer;
    /// What a run leaves behind for the ensemble.
    type Summary: Send;
    /// Whether run `run` keeps its weekly series, and its observer.
    fn start(&self, run: u64) -> (bool, Self::Observer);
    /// The summary of run `run` from its result and its observer.
    fn summarize(&self, run: u64, result: BlocRun, observer: Self::Observer) -> Self::Summary;
}

/// Runs the ensemble `plan` of `s` with `watch`, passing each run's summary to `sink` in run
/// order; `progress` is told how many runs are done. Bit-identical whatever the threads.
pub fn run_bloc_ensemble<W: RunWatch>(
    s: &BlocScenario,
    plan: EnsemblePlan,
    watch: &W,
    sink: impl FnMut(u64, W::Summary),
    progress: impl FnMut(u64),
) -> Result<(), EnsembleError> {
    run_bloc_ensemble_on(RunScenarios::One(s), plan, watch, sink, progress)
}

/// The scenario each run of an ensemble is simulated on.
#[derive(Debug, Clone, Copy)]
pub enum RunScenarios<'a> {
    /// One scenario for every run.
    One(&'a BlocScenario),
    /// Run `i` on `scenarios[of_run[i]]`: parameter vectors drawn per run (from a posterior),
    /// each run keeping its own stream, so the draws and the runs' randomness stay paired
    /// with the same runs of a forecast at fixed parameters.
    Drawn {
        /// The scenario at each parameter vector drawn.
        scenarios: &'a [BlocScenario],
        /// Which of them each run uses.
        of_run: &'a [u32],
    },
}

impl<'a> RunScenarios<'a> {
    /// Each run on its draw of `draws` when given, else every run on `s`.
    pub fn drawn_or_one(s: &'a BlocScenario, draws: Option<&'a crate::ParameterDraws>) -> Self {
        match draws {
            Some(d) => RunScenarios::Drawn {
                scenarios: &d.scenarios,
                of_run: &d.of_run,
            },
            None => RunScenarios::One(s),
        }
    }

    /// The scenario of run `run`.
    pub fn of(&self, run: u64) -> &'a BlocScenario {
        match *self {
            RunScenarios::One(s) => s,
            RunScenarios::Drawn { scenarios, of_run } => &scenarios[of_run[run as usize] as usize],
        }
    }
}

impl RunScenarios<'_> {
    /// Refuses draws that do not fit an ensemble of `runs` runs reported on `s`: a run
    /// without a draw, a draw that is not one of the scenarios, or a scenario whose
    /// countries are not `s`'s.
    pub fn check(&self, s: &BlocScenario, runs: u64) -> Result<(), EnsembleError> {
        let RunScenarios::Drawn { scenarios, of_run } = *self else {
            return Ok(());
        };
        let ids = |x: &BlocScenario| x.countries.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        let bad = |m: String| Err(EnsembleError::Draws(m));
        if (of_run.len() as u64) < runs {
            return bad(format!("{} draws for {runs} runs", of_run.len()));
        }
        if let Some(i) = of_run.iter().position(|&k| k as usize >= scenarios.len()) {
            return bad(format!(
                "run {i} draws scenario {} of {}",
                of_run[i],
                scenarios.len()
            ));
        }
        if let Some(k) = scenarios.iter().position(|x| ids(x) != ids(s)) {
            return bad(format!("scenario {k} has other countries"));
        }
        Ok(())
    }
}

/// As [`run_bloc_ensemble`], each run on its scenario of `scenarios` (checked first:
/// [`RunScenarios::check`]).
pub fn run_bloc_ensemble_on<W: RunWatch>(
    scenarios: RunScenarios<'_>,
    plan: EnsemblePlan,
    watch: &W,
    sink: impl FnMut(u64, W::Summary),
    progress: impl FnMut(u64),
) -> Result<(), EnsembleError> {
    if let RunScenarios::Drawn {
        scenarios: list, ..
    } = scenarios
    {
        match list.first() {
            Some(first) => scenarios.check(first, plan.runs)?,
            None if plan.runs > 0 => {
                return Err(EnsembleError::Draws("no scenario to draw from".into()));
            }
            None => {}
        }
    }
    run_ensemble(
        plan,
        |i, stream| {
            let (keep_series, mut observer) = watch.start(i);
            let s = scenarios.of(i);
            let mut sim =
                Simulation::on_stream(s, plan.master_seed, i, stream.clone(), keep_series);
            observer.start(&sim);
            sim.run_from(0, &mut observer);
            watch.summarize(i, sim.finish(), observer)
        },
        sink,
        progress,
    )
}

/// Watches nothing; keeps the weekly series of the runs the function chooses; a run's
/// summary is its result.
pub struct KeepSeries<F>(pub F);

impl<F: Fn(u64) -> bool + Sync> RunWatch for KeepSeries<F> {
    type Observer = ();
    type Summary = BlocRun;

    fn start(&self, run: u64) -> (bool, ()) {
        ((self.0)(run), ())
    }

    fn summarize(&self, _run: u64, result: BlocRun, _observer: ()) -> BlocRun {
        result
    }
}

/// Each week's emigrants in people per country (the difference of the running totals), as
/// triggers and reaction rules read them.
#[derive(Debug, Clone, Default)]
pub(crate) struct WeeklyEmigrants {
    before: Vec<f64>,
    /// Emigrants this week, per country.
    pub(crate) this_week: Vec<f64>,
}

impl WeeklyEmigrants {
    /// Starts from the running totals of the run as set up.
    pub(crate) fn start(&mut self, sim: &Simulation<'_>) {
        self.before = totals(sim);
    }

    /// Reads the running totals after a week and keeps the week's differences.
    pub(crate) fn update(&mut self, sim: &Simulation<'_>) {
        let now = totals(sim);
        self.this_week = now.iter().zip(&self.before).map(|(a, b)| a - b).collect();
        self.before = now;
    }
}

/// Emigrants so far in people, per country.
fn totals(sim: &Simulation<'_>) -> Vec<f64> {
    sim.countries()
        .iter()
        .map(|c| c.emigrants_in_people())
        .collect()
}
