//! The bloc model: allied countries, each a Model I lattice of citizens with security
//! forces, a regime that decides collectively, an economy and an alignment with the centre,
//! coupled through the centre, the rival pole and each other (design model.md §1-3).
//!
//! [`config`] is the scenario file, [`sourced`] its sourced values, [`run`] one run,
//! [`outcome`] the memo's scenarios as outcome classes, [`forecast`] the ensemble and its
//! JSON contract, [`levers`] the centre's levers in time, [`overrides`] `--set` and
//! `--events`, [`paths`] per-run summaries for hindcasts and paired comparisons,
//! [`strategy`] the centre's strategies, their comparison and playbooks, [`sensitivity`]
//! Morris's elementary effects of the forecast with respect to every estimate.

pub mod calm_start;
pub mod case;
pub mod config;
mod country;
pub mod forecast;
pub mod levers;
mod mechanisms;
pub mod outcome;
pub mod overrides;
pub mod parameters;
pub mod paths;
pub mod run;
pub mod runs;
pub mod sensitivity;
pub mod sourced;
mod state;
pub mod strategy;

pub use config::BlocScenario;
pub use forecast::{
    Forecast, ForecastMeta, ForecastPlan, ParameterDraws, PosteriorMeta, SeriesRequest,
    run_forecast, run_forecast_drawn,
};
pub use outcome::{ClassMap, CountryRun, OutcomeClass};
pub use run::{BlocRun, Simulation, simulate_bloc};

/// The embedded default scenario: Eastern Europe from 1989-02-06
/// (`scenarios/eastern-europe-1989.toml`).
pub const EASTERN_EUROPE_1989_TOML: &str =
    include_str!("../../../scenarios/eastern-europe-1989.toml");

/// The record of what happened after 1989-02-06, as an events file to replay on top of the
/// flagship (`scenarios/events/observed-1989.toml`).
pub const OBSERVED_1989_EVENTS_TOML: &str =
    include_str!("../../../scenarios/events/observed-1989.toml");

/// A stylized bloc of a centre and two allies (`scenarios/two-allies.toml`).
pub const TWO_ALLIES_TOML: &str = include_str!("../../../scenarios/two-allies.toml");

impl BlocScenario {
    /// Reads a scenario from TOML text, reporting every problem at once.
    pub fn from_toml(text: &str) -> Result<Self, bloc_base::diagnostics::Diagnostics> {
        bloc_base::document::parse(text)
    }

    /// The embedded flagship scenario.
    pub fn eastern_europe_1989() -> Self {
        Self::from_toml(EASTERN_EUROPE_1989_TOML).expect("the embedded scenario is valid")
    }

    /// A hash of the scenario's canonical form (hex SHA-256 of its JSON), for metadata.
    pub fn hash(&self) -> String {
        bloc_base::document::canonical_hash(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_bloc_files_parse() {
        let s = BlocScenario::from_toml(EASTERN_EUROPE_1989_TOML).expect("flagship");
        assert_eq!(s.countries.len(), 6);
        BlocScenario::from_toml(TWO_ALLIES_TOML).expect("two allies");
        overrides::merge_events(&s, OBSERVED_1989_EVENTS_TOML).expect("observed events");
    }
}
