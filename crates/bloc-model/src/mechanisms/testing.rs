//! Fixtures for the mechanisms' unit tests: the shipped two-allies scenario and a country
//! set up on it as a run would set it up.

use crate::config::BlocScenario;
use crate::country::{CountryState, country_rng, new_country};

/// The shipped stylized scenario of a centre and two allies.
pub(crate) fn two_allies() -> BlocScenario {
    BlocScenario::from_toml(crate::TWO_ALLIES_TOML).expect("the shipped scenario is valid")
}

/// Country `i` of `s` at the start of run 0 of seed 1.
pub(crate) fn country(s: &BlocScenario, i: usize) -> CountryState {
    new_country(s, i, country_rng(1, 0, &s.countries[i].id))
}

/// Run 0 of seed 1 of `s` before its start day.
pub(crate) fn run_state(s: &BlocScenario) -> crate::state::RunState {
    let centre = bloc_base::seeding::run_rng(1, 0);
    crate::state::RunState::new(s, 1, 0, centre, false)
}
