//! The calm years: the model's weekly crisis hazard per country from a calm start of the
//! 1970s (scenarios/history/calm/CTRY.toml), against the panel's 1953–1988 hazard.
//!
//! An onset is a crisis week (active share above `outcomes.crisis_share`) that follows a
//! week without one; the hazard is onsets per country-week over every run's horizon.

use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use bloc_model::BlocScenario;
use bloc_model::calm_start;
use bloc_model::case::HistoryCase;
use bloc_model::run::{BlocRun, Observer, Simulation};
use bloc_model::runs::{RunWatch, run_bloc_ensemble};
use serde::Serialize;

/// Counts crisis onsets of one country, week by week.
pub struct Onsets {
    country: usize,
    in_crisis: bool,
    onsets: u64,
}

impl Observer for Onsets {
    fn start(&mut self, sim: &Simulation<'_>) {
        // A crisis under way before the start is not an onset of the watched weeks.
        self.in_crisis = sim.countries()[self.country].path_so_far().last_crisis_week == Some(-1);
    }

    fn week(&mut self, sim: &mut Simulation<'_>, week: i64) {
        let now = sim.countries()[self.country].path_so_far().last_crisis_week == Some(week);
        if now && !self.in_crisis {
            self.onsets += 1;
        }
        self.in_crisis = now;
    }
}

struct WatchOnsets(usize);

impl RunWatch for WatchOnsets {
    type Observer = Onsets;
    type Summary = u64;

    fn start(&self, _run: u64) -> (bool, Onsets) {
        let o = Onsets {
            country: self.0,
            in_crisis: false,
            onsets: 0,
        };
        (false, o)
    }

    fn summarize(&self, _run: u64, _result: BlocRun, observer: Onsets) -> u64 {
        observer.onsets
    }
}

/// One country's calm years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalmHazard {
    /// Country id.
    pub country: String,
    /// Legitimacy by the calm-start rule.
    pub legitimacy: f64,
    /// Onsets over all runs.
    pub onsets: u64,
    /// Country-weeks over all runs.
    pub weeks: u64,
    /// The model's hazard: onsets per country-week.
    pub hazard: f64,
    /// The panel's hazard.
    pub panel: f64,
}

impl CalmHazard {
    /// Model over panel (0 if the panel has no crisis).
    pub fn ratio(&self) -> f64 {
        if self.panel > 0.0 {
            self.hazard / self.panel
        } else {
            0.0
        }
    }
}

/// Runs one calm start and counts its onsets.
pub fn calm_hazard(
    case: &HistoryCase,
    base: &BlocScenario,
    plan: EnsemblePlan,
    panel: f64,
) -> Result<CalmHazard, EnsembleError> {
    let mut s = case.to_scenario(base);
    let c = case.scored_index().unwrap_or(0);
    let derived = calm_start::apply(&mut s, plan.threads)?;
    let mut onsets = 0;
    run_bloc_ensemble(&s, plan, &WatchOnsets(c), |_, n| onsets += n, |_| {})?;
    let weeks = plan.runs * u64::from(s.scenario.weeks);
    Ok(CalmHazard {
        country: case.case.country.clone(),
        legitimacy: derived[c].legitimacy,
        onsets,
        weeks,
        hazard: onsets as f64 / weeks.max(1) as f64,
        panel,
    })
}
