//! `--posterior FILE` / `--no-posterior`: which posterior of `bloc calibrate` an ensemble's
//! runs draw their calibrated parameters from (by default, for the embedded flagship, the
//! shipped posterior of the 1953-1988 history suite), and the draws themselves.

use crate::{CliError, input};
use bloc_model::parameters::sourced_values;
use bloc_model::{BlocScenario, ParameterDraws, PosteriorMeta};
use bloc_validate::history::calibration::PosteriorFile;
use bloc_validate::posterior as post;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The posterior an ensemble draws from.
#[derive(Debug, Clone, clap::Args)]
pub struct PosteriorArgs {
    /// Draw each run's calibrated parameters from this posterior (a file written by `bloc
    /// calibrate --format json`). Default: the embedded flagship draws from the shipped
    /// posteriors/history-1953-1988.json; a scenario file runs at its own values.
    #[arg(long, value_name = "FILE", conflicts_with = "no_posterior")]
    pub posterior: Option<PathBuf>,
    /// Run at the scenario's own values, without drawing from a posterior.
    #[arg(long)]
    pub no_posterior: bool,
}

/// A posterior read, with the name it goes by.
pub struct Posterior {
    name: String,
    file: PosteriorFile,
}

impl PosteriorArgs {
    /// The posterior to draw from for the scenario `scenario` (`None`: the embedded one), if
    /// any; a `--set` of a value the posterior draws is refused (it would be overwritten).
    pub fn posterior(
        &self,
        scenario: Option<&Path>,
        set: &[String],
    ) -> Result<Option<Posterior>, CliError> {
        let posterior = match (&self.posterior, self.no_posterior, scenario) {
            (_, true, _) | (None, false, Some(_)) => return Ok(None),
            (Some(path), false, _) => {
                let name = path.display().to_string();
                let text = input::utf8_text(&name, input::read_bytes(path)?)?;
                let file = post::read(&name, &text).map_err(CliError::Invalid)?;
                Posterior { name, file }
            }
            (None, false, None) => Posterior {
                name: post::HISTORY_POSTERIOR_NAME.to_string(),
                file: post::read(post::HISTORY_POSTERIOR_NAME, post::HISTORY_POSTERIOR_JSON)
                    .map_err(CliError::Invalid)?,
            },
        };
        let drawn = &posterior.file.design.paths;
        if let Some(a) = set.iter().find(|a| {
            a.split_once('=')
                .is_some_and(|(p, _)| drawn.contains(&p.trim().to_string()))
        }) {
            return Err(CliError::Usage(format!(
                "--set {a} sets a value that each run draws from {}; add --no-posterior to \
                 run at a value of your own",
                posterior.name
            )));
        }
        Ok(Some(posterior))
    }
}

impl Posterior {
    /// Refuses a `--set` that changed a value the posterior draws, however it was spelled
    /// (`path = v`, `path.value=v`): `set` is the scenario as read with the assignments,
    /// `unset` without them.
    pub fn refuse_drawn_sets(
        &self,
        set: &BlocScenario,
        unset: &BlocScenario,
    ) -> Result<(), CliError> {
        let values = |s: &BlocScenario| -> BTreeMap<String, (f64, String)> {
            sourced_values(s)
                .into_iter()
                .map(|v| (v.path, (v.value, v.source)))
                .collect()
        };
        let (a, b) = (values(set), values(unset));
        match self
            .file
            .design
            .paths
            .iter()
            .find(|p| a.get(*p) != b.get(*p))
        {
            Some(p) => Err(CliError::Usage(format!(
                "--set changes {p}, a value that each run draws from {}; add --no-posterior \
                 to run at a value of your own",
                self.name
            ))),
            None => Ok(()),
        }
    }

    /// The draws of `runs` runs from `seed` on `base` (the scenario as read, with `--set`),
    /// each scenario made by `build` from its particle's assignments on `threads` threads;
    /// a note on stderr when the posterior was calibrated on another scenario.
    pub fn draws(
        &self,
        base: &BlocScenario,
        runs: u64,
        seed: u64,
        threads: usize,
        build: impl Fn(&[String]) -> Result<BlocScenario, String> + Sync,
    ) -> Result<(ParameterDraws, PosteriorMeta), CliError> {
        let hash = base.hash();
        if self.file.scenario_hash != hash {
            crate::render::to_stderr(&format!(
                "note: {} was calibrated on a scenario of hash {}, not on this one ({hash}); \
                 its particles are drawn all the same\n",
                self.name, self.file.scenario_hash
            ));
        }
        let draws = post::parameter_draws(&self.file, base, runs, seed, threads, build)
            .map_err(|e| CliError::Invalid(format!("{}: {e}", self.name)))?;
        let meta = post::meta(&self.name, &self.file, &draws);
        Ok((draws, meta))
    }
}

impl Posterior {
    /// The draws of `runs` runs from `seed` on `base`, the scenario as read from `text` with
    /// the `--set` assignments `set` (a drawn one refused, however spelled; `path` is the
    /// scenario file, `None` for the embedded one), each draw's scenario made from the text.
    #[allow(clippy::too_many_arguments)]
    pub fn draws_on_text(
        &self,
        path: Option<&Path>,
        set: &[String],
        base: &BlocScenario,
        text: &str,
        runs: u64,
        seed: u64,
        threads: usize,
    ) -> Result<(ParameterDraws, PosteriorMeta), CliError> {
        if !set.is_empty() {
            let (unset, _) = input::bloc_scenario(path, &[])?;
            self.refuse_drawn_sets(base, &unset)?;
        }
        self.draws(base, runs, seed, threads, |assignments| {
            post::scenario_with(text, assignments)
        })
    }
}

/// The strategy of `file` applied to every draw's scenario (each run keeps its draw, so the
/// strategies' runs stay paired).
pub fn with_strategy(
    draws: &ParameterDraws,
    file: &input::Source,
) -> Result<ParameterDraws, CliError> {
    let scenarios = draws
        .scenarios
        .iter()
        .map(|s| bloc_model::strategy::apply_strategy(s, &file.text).map(|(_, applied)| applied))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|d| input::report(file, &d))?;
    Ok(ParameterDraws {
        scenarios,
        of_run: draws.of_run.clone(),
    })
}
