//! The whole state of a run in progress: every country, the centre (its stream, doctrine,
//! levers and budget), what the allies observed this week, and the weekly series if kept.
//! One struct, so that a snapshot serializes it as it is (no copy of its fields).

use crate::config::{BlocScenario, Doctrine};
use crate::country::{CountryState, WeekState, country_rng, new_country};
use crate::levers::LeverPlan;
use bloc_base::seeding::SimRng;
use serde::{Deserialize, Serialize};

/// Something every ally observes about another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Observation {
    /// The regime of this country fell and no force came.
    FellWithoutForce(usize),
    /// The centre intervened in this country.
    Intervened(usize),
}

/// The state of a run. Field order is the snapshot's JSON layout.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RunState {
    /// The centre's stream (branch 0): its decisions to intervene.
    pub(crate) rng: SimRng,
    pub(crate) countries: Vec<CountryState>,
    /// `attention[i][j]`: how much country i watches country j.
    pub(crate) attention: Vec<Vec<f64>>,
    pub(crate) doctrine: Doctrine,
    pub(crate) levers: Vec<LeverPlan>,
    pub(crate) budget_left: f64,
    pub(crate) cost: f64,
    pub(crate) series: Option<Vec<Vec<WeekState>>>,
    /// What the allies saw this week, applied at the end of the week.
    pub(crate) observed: Vec<Observation>,
    /// Border states of last week (`open`, `lets allies through`), read by exit routes.
    pub(crate) borders: Vec<(bool, bool)>,
    /// For each scheduled lever, whether each of its weeks was paid for.
    pub(crate) paid: Vec<Vec<bool>>,
}

impl RunState {
    /// Run `run` of the ensemble keyed by `master_seed` before anything of the start day
    /// happened: the countries set up on their own streams, the centre on `centre`, the run's
    /// own stream (branch [`bloc_base::seeding::branches::RUN`]).
    pub(crate) fn new(
        s: &BlocScenario,
        master_seed: u64,
        run: u64,
        centre: SimRng,
        keep_series: bool,
    ) -> Self {
        let n = s.countries.len();
        let countries = (0..n)
            .map(|i| new_country(s, i, country_rng(master_seed, run, &s.countries[i].id)))
            .collect();
        let levers = if s.mechanisms.levers {
            LeverPlan::from_scenario(s)
        } else {
            Vec::new()
        };
        let paid = levers
            .iter()
            .map(|p| vec![false; p.weeks as usize])
            .collect();
        RunState {
            rng: centre,
            countries,
            attention: attention(s),
            doctrine: s.centre.doctrine,
            levers,
            budget_left: s.centre.budget.value,
            cost: 0.0,
            series: keep_series.then(|| vec![Vec::new(); n]),
            observed: Vec::new(),
            borders: vec![(false, false); n],
            paid,
        }
    }

    /// Appends every country's state now to the series, if kept.
    pub(crate) fn record_week(&mut self) {
        let Some(series) = self.series.as_mut() else {
            return;
        };
        for (i, c) in self.countries.iter().enumerate() {
            series[i].push(c.week_state());
        }
    }
}

/// Who watches whom, from the scenario's attention table (all zero without coupling).
fn attention(s: &BlocScenario) -> Vec<Vec<f64>> {
    let n = s.countries.len();
    let mut attention = vec![vec![0.0; n]; n];
    if !s.mechanisms.coupling {
        return attention;
    }
    for (observer, row) in &s.attention {
        let Some(i) = s.country_index(observer) else {
            continue;
        };
        for (observed, &w) in &row.weights {
            if let Some(j) = s.country_index(observed) {
                attention[i][j] = w;
            }
        }
    }
    attention
}
