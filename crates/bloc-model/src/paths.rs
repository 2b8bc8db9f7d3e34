//! Per-run summaries of a bloc ensemble, for scoring against a record or comparing two
//! ensembles run by run: each country's class and fate at the horizon, and what it had
//! reached by a checkpoint week (emigrants, peak weekly protest).
//!
//! Runs are driven by the one weekly loop of every ensemble ([`crate::runs`]; same seeds,
//! same order), so a summary describes the same run that `bloc forecast` counts.

use super::config::BlocScenario;
use super::outcome::CountryRun;
use super::outcome::OutcomeClass;
use super::run::{BlocRun, Observer, Simulation};
use crate::runs::{RunScenarios, RunWatch, run_bloc_ensemble_on};
use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use serde::Serialize;

/// One country in one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryPath {
    /// The outcome class at the horizon.
    pub class: OutcomeClass,
    /// Whether the ruling party holds power at the horizon.
    pub party_in_power: bool,
    /// Whether the alliance is intact at the horizon.
    pub alliance_intact: bool,
    /// Whether the centre intervened.
    pub intervention: bool,
    /// Whether the country had a crisis week.
    pub crisis: bool,
    /// Week of the first concession.
    pub first_concession_week: Option<i64>,
    /// Week the regime fell.
    pub fell_week: Option<i64>,
    /// Emigrants (people) by the end of the checkpoint week.
    pub emigrants_by_checkpoint: f64,
    /// Largest weekly protest (people) up to the checkpoint week.
    pub peak_protest_by_checkpoint: f64,
    /// The week of that peak (0 if there was no protest).
    pub peak_protest_week: i64,
    /// Deaths (people) by the horizon.
    pub deaths: f64,
    /// Emigrants (people) by the horizon.
    pub emigrants: f64,
}

impl CountryPath {
    /// A finished country run, with what it had reached by the checkpoint: emigrants, and
    /// the peak weekly protest with its week.
    pub fn new(r: &CountryRun, emigrants_by_checkpoint: f64, peak_protest: (f64, i64)) -> Self {
        CountryPath {
            class: r.class,
            party_in_power: r.party_in_power,
            alliance_intact: r.alliance_intact,
            intervention: r.intervention,
            crisis: r.crisis_weeks > 0,
            first_concession_week: r.first_concession_week,
            fell_week: r.fell_week,
            emigrants_by_checkpoint,
            peak_protest_by_checkpoint: peak_protest.0,
            peak_protest_week: peak_protest.1,
            deaths: r.deaths,
            emigrants: r.emigrants,
        }
    }
}

/// One run: its countries' paths and what the centre spent on levers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunPath {
    /// Each country's path, in the scenario's order.
    pub countries: Vec<CountryPath>,
    /// Lever cost spent by the centre.
    pub cost: f64,
}

impl RunPath {
    /// A finished run with the horizon as checkpoint (the peak protest's week unknown: 0).
    pub fn at_horizon(run: &BlocRun) -> Self {
        RunPath {
            countries: run
                .countries
                .iter()
                .map(|r| CountryPath::new(r, r.emigrants, (r.peak_protest, 0)))
                .collect(),
            cost: run.cost,
        }
    }
}

/// Runs the ensemble of `s` and returns, for every run in order, each country's path;
/// `checkpoint_week` (clamped to the horizon) is when emigrants and peak protest are read.
pub fn country_paths(
    s: &BlocScenario,
    plan: EnsemblePlan,
    checkpoint_week: i64,
    progress: impl FnMut(u64),
) -> Result<Vec<Vec<CountryPath>>, EnsembleError> {
    Ok(run_paths(s, plan, checkpoint_week, progress)?
        .into_iter()
        .map(|r| r.countries)
        .collect())
}

/// As [`country_paths`], each run on its parameter draw of `draws` (which share `s`'s
/// countries and calendar), as [`crate::run_forecast_drawn`] runs them.
pub fn country_paths_drawn(
    s: &BlocScenario,
    draws: &crate::ParameterDraws,
    plan: EnsemblePlan,
    checkpoint_week: i64,
    progress: impl FnMut(u64),
) -> Result<Vec<Vec<CountryPath>>, EnsembleError> {
    let on = RunScenarios::Drawn {
        scenarios: &draws.scenarios,
        of_run: &draws.of_run,
    };
    Ok(paths_on(s, on, plan, checkpoint_week, progress)?
        .into_iter()
        .map(|r| r.countries)
        .collect())
}

/// As [`country_paths`], with each run's lever cost.
pub fn run_paths(
    s: &BlocScenario,
    plan: EnsemblePlan,
    checkpoint_week: i64,
    progress: impl FnMut(u64),
) -> Result<Vec<RunPath>, EnsembleError> {
    paths_on(s, RunScenarios::One(s), plan, checkpoint_week, progress)
}

fn paths_on(
    s: &BlocScenario,
    on: RunScenarios<'_>,
    plan: EnsemblePlan,
    checkpoint_week: i64,
    progress: impl FnMut(u64),
) -> Result<Vec<RunPath>, EnsembleError> {
    let watch = Checkpoint {
        week: checkpoint_week.clamp(0, i64::from(s.scenario.weeks)),
        countries: s.countries.len(),
    };
    on.check(s, plan.runs)?;
    let mut out = Vec::with_capacity(plan.runs as usize);
    run_bloc_ensemble_on(on, plan, &watch, |_, path| out.push(path), progress)?;
    Ok(out)
}

/// Reads each country's emigrants at the checkpoint week and its peak weekly protest (and
/// its week) up to it.
struct Checkpoint {
    week: i64,
    countries: usize,
}

/// What a run's [`Checkpoint`] saw.
struct CheckpointObserver {
    week: i64,
    emigrants: Vec<f64>,
    peak: Vec<(f64, i64)>,
}

impl CheckpointObserver {
    fn read_emigrants(&mut self, sim: &Simulation<'_>) {
        for (c, state) in sim.countries().iter().enumerate() {
            self.emigrants[c] = state.emigrants_in_people();
        }
    }
}

impl Observer for CheckpointObserver {
    fn start(&mut self, sim: &Simulation<'_>) {
        if self.week == 0 {
            self.read_emigrants(sim);
        }
    }

    fn week(&mut self, sim: &mut Simulation<'_>, week: i64) {
        if week <= self.week {
            for (c, state) in sim.countries().iter().enumerate() {
                let protest = state.week_state().protest;
                if protest > self.peak[c].0 {
                    self.peak[c] = (protest, week);
                }
            }
        }
        if week == self.week {
            self.read_emigrants(sim);
        }
    }
}

impl RunWatch for Checkpoint {
    type Observer = CheckpointObserver;
    type Summary = RunPath;

    fn start(&self, _run: u64) -> (bool, CheckpointObserver) {
        let observer = CheckpointObserver {
            week: self.week,
            emigrants: vec![0.0; self.countries],
            peak: vec![(0.0, 0); self.countries],
        };
        (false, observer)
    }

    fn summarize(&self, _run: u64, run: BlocRun, seen: CheckpointObserver) -> RunPath {
        let countries = run
            .countries
            .iter()
            .enumerate()
            .map(|(c, r)| CountryPath::new(r, seen.emigrants[c], seen.peak[c]))
            .collect();
        RunPath {
            countries,
            cost: run.cost,
        }
    }
}
