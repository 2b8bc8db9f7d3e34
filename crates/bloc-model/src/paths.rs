//! Per-run summaries of a bloc ensemble, for scoring against a record or comparing two
//! ensembles run by run: each country's class and fate at the horizon, and what it had
//! reached by a checkpoint week (emigrants, peak weekly protest).
//!
//! Runs are stepped exactly as [`super::simulate_bloc`] steps them (same seeds, same order),
//! so a summary describes the same run that `bloc forecast` counts.

use super::config::BlocScenario;
use super::outcome::CountryRun;
use super::outcome::OutcomeClass;
use super::run::{BlocRun, Simulation};
use bloc_base::ensemble::{EnsembleError, EnsemblePlan, run_ensemble};
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

/// As [`country_paths`], with each run's lever cost.
pub fn run_paths(
    s: &BlocScenario,
    plan: EnsemblePlan,
    checkpoint_week: i64,
    progress: impl FnMut(u64),
) -> Result<Vec<RunPath>, EnsembleError> {
    let weeks = i64::from(s.scenario.weeks);
    let checkpoint = checkpoint_week.clamp(0, weeks);
    let mut out = Vec::with_capacity(plan.runs as usize);
    run_ensemble(
        plan,
        |i, _rng| {
            let mut sim = Simulation::new(s, plan.master_seed, i, false);
            let n = s.countries.len();
            let mut emigrants = vec![0.0; n];
            let mut peak = vec![(0.0, 0i64); n];
            let read = |sim: &Simulation, emigrants: &mut [f64]| {
                for (c, state) in sim.countries().iter().enumerate() {
                    emigrants[c] = state.emigrants_in_people();
                }
            };
            if checkpoint == 0 {
                read(&sim, &mut emigrants);
            }
            for week in 1..=weeks {
                sim.step(week);
                if week <= checkpoint {
                    for (c, state) in sim.countries().iter().enumerate() {
                        let protest = state.week_state().protest;
                        if protest > peak[c].0 {
                            peak[c] = (protest, week);
                        }
                    }
                }
                if week == checkpoint {
                    read(&sim, &mut emigrants);
                }
            }
            let run = sim.finish();
            let countries = run
                .countries
                .iter()
                .enumerate()
                .map(|(c, r)| CountryPath::new(r, emigrants[c], peak[c]))
                .collect::<Vec<_>>();
            RunPath {
                countries,
                cost: run.cost,
            }
        },
        |_, paths| out.push(paths),
        progress,
    )?;
    Ok(out)
}
