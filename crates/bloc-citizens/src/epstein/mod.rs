//! Epstein's civil violence Model I (PNAS 2002): the citizens layer of bloc.
//!
//! [`config`] is the scenario file, [`grid`] the bit-parallel lattice, [`world`] the rules,
//! [`run`] one run and its summary, [`ensemble`] many runs aggregated.

pub mod config;
pub mod ensemble;
pub mod grid;
pub mod run;
pub mod world;

pub use config::EpsteinScenario;
pub use run::{RunResult, RunSummary, simulate_run};
pub use world::{Counts, World};

/// How a Model I ensemble draws its random numbers, as its results' metadata say it.
pub const RNG_DESCRIPTION: &str = "ChaCha8 (rand_chacha 0.10.0), stream = run index; rand 0.10.4";

/// The embedded default scenario: the paper's Run 2 with the paper's rules
/// (`scenarios/epstein-paper.toml`).
pub const PAPER_SCENARIO_TOML: &str = include_str!("../../../../scenarios/epstein-paper.toml");

/// Mesa 3.3's example expressed in bloc's settings (`scenarios/epstein-mesa.toml`).
pub const MESA_SCENARIO_TOML: &str = include_str!("../../../../scenarios/epstein-mesa.toml");

/// NetLogo's Rebellion expressed in bloc's settings (`scenarios/epstein-netlogo.toml`).
pub const NETLOGO_SCENARIO_TOML: &str = include_str!("../../../../scenarios/epstein-netlogo.toml");

impl EpsteinScenario {
    /// Reads a scenario from TOML text, reporting every problem at once.
    pub fn from_toml(text: &str) -> Result<Self, bloc_base::diagnostics::Diagnostics> {
        bloc_base::document::parse(text)
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
    fn the_rng_description_names_the_pinned_versions() {
        // GENERATOR is "ChaCha8 (rand_chacha X, rand Y)"; this description words it
        // differently (kept for its output), with the same versions.
        let g = bloc_base::seeding::GENERATOR;
        let versions = g
            .trim_start_matches("ChaCha8 (")
            .trim_end_matches(')')
            .split(", ");
        for v in versions {
            assert!(RNG_DESCRIPTION.contains(v), "{v} in {RNG_DESCRIPTION}");
        }
    }

    #[test]
    fn shipped_scenarios_parse_and_the_paper_file_is_the_default() {
        let paper = EpsteinScenario::from_toml(PAPER_SCENARIO_TOML).expect("paper scenario");
        assert_eq!(paper, EpsteinScenario::paper_default());
        EpsteinScenario::from_toml(MESA_SCENARIO_TOML).expect("mesa scenario");
        EpsteinScenario::from_toml(NETLOGO_SCENARIO_TOML).expect("netlogo scenario");
    }
}
