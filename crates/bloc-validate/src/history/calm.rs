//! The calm years: the model's weekly crisis hazard per country from a calm start of the
//! 1970s (scenarios/history/calm/CTRY.toml), against the panel's 1953–1988 hazard.
//!
//! An onset is a crisis week (active share above `outcomes.crisis_share`) after more than
//! [`CALM_GAP_WEEKS`] weeks without one (the record's rule for a new row); the hazard is
//! onsets per country-week over every run's horizon.

use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use bloc_model::BlocScenario;
use bloc_model::calm_start;
use bloc_model::case::HistoryCase;
use bloc_model::run::{BlocRun, Observer, Simulation};
use bloc_model::runs::{RunWatch, run_bloc_ensemble};
use serde::Serialize;

/// Calm weeks that separate two crises: the record starts a new row for "a new wave more
/// than about a month later" (data/history/README.md).
pub const CALM_GAP_WEEKS: i64 = 4;

/// Counts crisis onsets of one country, week by week.
pub(crate) struct Onsets {
    country: usize,
    /// Weeks since the last crisis week (large if none).
    since_crisis: i64,
    onsets: u64,
}

impl Observer for Onsets {
    fn start(&mut self, sim: &Simulation<'_>) {
        // A crisis before the start counts through the path's memory of it.
        let last = sim.countries()[self.country].path_so_far().last_crisis_week;
        self.since_crisis = last.map_or(i64::MAX / 2, |w| -w);
    }

    fn week(&mut self, sim: &mut Simulation<'_>, week: i64) {
        let crisis = sim.countries()[self.country].path_so_far().last_crisis_week == Some(week);
        self.see(crisis);
    }
}

impl Onsets {
    /// Counts the onsets of country `country` (call [`Observer::start`] before the run).
    pub(crate) fn new(country: usize) -> Self {
        Self {
            country,
            since_crisis: 0,
            onsets: 0,
        }
    }

    /// The onsets counted.
    pub(crate) fn onsets(&self) -> u64 {
        self.onsets
    }

    /// Counts one week, a crisis week or a calm one.
    fn see(&mut self, crisis: bool) {
        if crisis {
            if self.since_crisis > CALM_GAP_WEEKS {
                self.onsets += 1;
            }
            self.since_crisis = 0;
        } else {
            self.since_crisis += 1;
        }
    }
}

struct WatchOnsets(usize);

impl RunWatch for WatchOnsets {
    type Observer = Onsets;
    type Summary = u64;

    fn start(&self, _run: u64) -> (bool, Onsets) {
        let o = Onsets {
            country: self.0,
            since_crisis: 0,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds a sequence of crisis (true) and calm weeks to the counting rule.
    fn count(weeks: &[bool], since_start: i64) -> u64 {
        let mut o = Onsets {
            country: 0,
            since_crisis: since_start,
            onsets: 0,
        };
        for &crisis in weeks {
            o.see(crisis);
        }
        o.onsets
    }

    #[test]
    fn a_crisis_is_new_only_after_more_than_a_month_of_calm() {
        let (c, q) = (true, false);
        assert_eq!(count(&[q, c, c, q, c], 100), 1, "a flicker is one crisis");
        assert_eq!(
            count(&[c, q, q, q, q, q, c], 100),
            2,
            "five calm weeks between"
        );
        assert_eq!(count(&[c, q, q, q, q, c], 100), 1, "four are not enough");
        assert_eq!(
            count(&[c], 2),
            0,
            "a crisis two weeks before the start continues"
        );
    }
}
