//! Argument groups that several commands share, declared once and flattened into each
//! command's arguments (`#[command(flatten)]`, as typst-cli's args.rs), so that a flag means
//! and reads the same everywhere.

use crate::{CliError, input};
use bloc_model::BlocScenario;
use bloc_model::strategy::compare::Objective;
use std::path::Path;

/// `--set`: overrides of scenario values.
#[derive(Debug, Clone, clap::Args)]
pub struct OverrideArgs {
    /// Override a scenario value before anything else applies (strategies, events, the
    /// analysis): `--set countries.GDR.legitimacy=0.3` (repeatable; checked like the file).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub set: Vec<String>,
}

impl OverrideArgs {
    /// The bloc scenario at `path` (default: the embedded flagship) with the overrides, and
    /// its text after them.
    pub fn scenario(&self, path: Option<&Path>) -> Result<(BlocScenario, String), CliError> {
        input::bloc_scenario(path, &self.set)
    }
}

/// `--seed`: the ensemble's master seed.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct SeedArgs {
    /// Master seed, the same for every strategy, branch and design point (default: the
    /// scenario's ensemble.master_seed).
    #[arg(long)]
    pub seed: Option<u64>,
}

impl SeedArgs {
    /// The seed given, or the scenario's.
    pub fn or_scenario(&self, s: &BlocScenario) -> u64 {
        self.seed.unwrap_or(s.ensemble.master_seed)
    }
}

/// `--horizon`: weeks to simulate.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct HorizonArgs {
    /// Weeks to simulate (default: the scenario's scenario.weeks).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=2000))]
    pub horizon: Option<u32>,
}

/// `--runs` of an ensemble compared run by run (paired intervals need two runs).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct PairedRunsArgs {
    /// Runs of the base ensemble, each paired across strategies or reactions (default: the
    /// scenario's ensemble.runs; at least 2).
    #[arg(long, value_parser = clap::value_parser!(u64).range(2..))]
    pub runs: Option<u64>,
}

impl PairedRunsArgs {
    /// The runs given, or the scenario's, at least 2, within [`crate::limits::PAIRED_RUNS`].
    pub fn or_scenario(&self, s: &BlocScenario) -> Result<u64, crate::CliError> {
        let runs = self.runs.unwrap_or(s.ensemble.runs).max(2);
        crate::limits::PAIRED_RUNS.check(runs)?;
        Ok(runs)
    }
}

/// `--objective`: how the centre scores a run.
#[derive(Debug, Clone, clap::Args)]
pub struct ObjectiveArgs {
    /// The objective's weights, `name=weight,...` over alliance, eruption, intervention,
    /// party, deaths, emigrants, smooth, leaps, suppression, stable (per country and run) and
    /// cost (per unit of lever cost). Default, after the memo:
    /// alliance=1,eruption=-1,intervention=-1,deaths=-0.001,cost=-0.01.
    #[arg(long)]
    pub objective: Option<String>,
}

impl ObjectiveArgs {
    /// The objective given (default: the memo's, [`Objective::default`]).
    pub fn parse(&self) -> Result<Objective, CliError> {
        match &self.objective {
            Some(text) => {
                Objective::parse(text).map_err(|e| CliError::Usage(format!("--objective: {e}")))
            }
            None => Ok(Objective::default()),
        }
    }
}

/// Parses `--threads`: 0 (one per core) to the limit [`crate::limits::THREADS`].
pub fn threads(s: &str) -> Result<usize, String> {
    let n: usize = s
        .parse()
        .map_err(|_| format!("\"{s}\" is not a whole number of threads"))?;
    crate::limits::THREADS
        .check(n as u64)
        .map_err(|e| format!("{e} (0 takes one per core)"))?;
    Ok(n)
}
