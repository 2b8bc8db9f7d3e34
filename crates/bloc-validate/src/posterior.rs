//! Forecasts from a posterior file of `bloc calibrate`: which particle each run draws, and the
//! scenario at each particle drawn (`bloc forecast --posterior`, and the default forecast on
//! the shipped posterior).
//!
//! Run `i` draws its particle by weight from its own stream branch ([`DRAW_BRANCH`] of the
//! master seed), apart from the stream its simulation uses, so a forecast from a posterior
//! keeps each run's randomness: the same runs at fixed parameters differ only by the draw.

use crate::history::calibration::{POSTERIOR_FORMAT, PosteriorFile};
use bloc_model::parameters::{ValueKind, sourced_values};
use bloc_model::{BlocScenario, ParameterDraws, PosteriorMeta};
use rand::RngExt;
use std::collections::BTreeMap;

/// The posterior computed from the history suite of 1953-1988 only, shipped with bloc
/// (`posteriors/history-1953-1988.json`; docs/calibration.md gives the command that
/// reproduces it).
pub const HISTORY_POSTERIOR_JSON: &str = include_str!("../../../posteriors/history-1953-1988.json");

/// The name the shipped posterior goes by in a forecast's metadata.
pub const HISTORY_POSTERIOR_NAME: &str = "<embedded posteriors/history-1953-1988.json>";

/// The stream branch of a run's posterior draw ("draw").
pub const DRAW_BRANCH: u64 = 0x6472_6177;

/// Reads a posterior file's text; the error says where (line:column) and what was expected.
pub fn read(name: &str, text: &str) -> Result<PosteriorFile, String> {
    let f: PosteriorFile = serde_json::from_str(text).map_err(|e| {
        format!(
            "{name}:{}:{}: {e} (expected a posterior written by bloc calibrate)",
            e.line(),
            e.column()
        )
    })?;
    if f.format != POSTERIOR_FORMAT {
        return Err(format!(
            "{name}: format \"{}\" is not \"{POSTERIOR_FORMAT}\"",
            f.format
        ));
    }
    let p = &f.state.population;
    if p.particles.is_empty()
        || p.particles.len() != p.weights.len()
        || p.particles.iter().any(|x| x.len() != f.design.paths.len())
        || !p.weights.iter().all(|w| w.is_finite() && *w >= 0.0)
        || p.weights.iter().sum::<f64>() <= 0.0
    {
        return Err(format!(
            "{name}: the last population needs particles with one value per path in \
             design.paths and finite, non-negative weights with a positive sum"
        ));
    }
    Ok(f)
}

/// The particle each of `runs` runs draws (by weight), run `i` from its own stream.
pub fn particles_of_runs(file: &PosteriorFile, runs: u64, seed: u64) -> Vec<usize> {
    let w = &file.state.population.weights;
    (0..runs)
        .map(|i| {
            let u: f64 = bloc_base::seeding::branch_rng(seed, i, DRAW_BRANCH).random();
            bloc_calibrate::smc::pick(w, u)
        })
        .collect()
}

/// The types of the posterior's paths in `base`; an error names a path `base` does not have.
fn kinds(file: &PosteriorFile, base: &BlocScenario) -> Result<Vec<ValueKind>, String> {
    let values: BTreeMap<String, ValueKind> = sourced_values(base)
        .into_iter()
        .map(|v| (v.path, v.kind))
        .collect();
    file.design
        .paths
        .iter()
        .map(|p| {
            values.get(p).copied().ok_or_else(|| {
                format!("the posterior's parameter {p} is not a sourced value of this scenario")
            })
        })
        .collect()
}

/// The parameter draws of a forecast of `runs` runs from `seed` on `base`: the scenario at
/// each distinct particle drawn, made by `build` from the `path=value` assignments of that
/// particle (in particle order, built in parallel), and which of them each run uses.
pub fn parameter_draws(
    file: &PosteriorFile,
    base: &BlocScenario,
    runs: u64,
    seed: u64,
    build: impl Fn(&[String]) -> Result<BlocScenario, String> + Sync,
) -> Result<ParameterDraws, String> {
    use rayon::prelude::*;
    let kinds = kinds(file, base)?;
    let of_particle = particles_of_runs(file, runs, seed);
    let mut distinct = of_particle.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let particles = &file.state.population.particles;
    let scenarios = distinct
        .par_iter()
        .map(|&j| {
            let set: Vec<String> = file
                .design
                .paths
                .iter()
                .zip(&kinds)
                .zip(&particles[j])
                .map(|((path, kind), v)| format!("{path}={}", kind.literal(*v)))
                .collect();
            build(&set).map_err(|e| format!("the posterior's particle {j}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let index: BTreeMap<usize, u32> = distinct
        .iter()
        .enumerate()
        .map(|(k, &j)| (j, k as u32))
        .collect();
    Ok(ParameterDraws {
        scenarios,
        of_run: of_particle.iter().map(|j| index[j]).collect(),
    })
}

/// The shipped posterior and the draws of the embedded flagship's default forecast of `runs`
/// runs from `seed` (what `bloc forecast` runs when given no scenario).
pub fn flagship_draws(
    runs: u64,
    seed: u64,
) -> Result<(PosteriorFile, ParameterDraws, PosteriorMeta), String> {
    let file = read(HISTORY_POSTERIOR_NAME, HISTORY_POSTERIOR_JSON)?;
    let base = BlocScenario::eastern_europe_1989();
    let draws = parameter_draws(&file, &base, runs, seed, |set| {
        let text =
            bloc_model::overrides::apply_overrides(bloc_model::EASTERN_EUROPE_1989_TOML, set)
                .map_err(|e| e.to_string())?;
        BlocScenario::from_toml(&text).map_err(|d| format!("{d:?}"))
    })?;
    let meta = meta(HISTORY_POSTERIOR_NAME, &file, &draws);
    Ok((file, draws, meta))
}

/// What a forecast's metadata says of the posterior `file` (named `name`) and its draws.
pub fn meta(name: &str, file: &PosteriorFile, draws: &ParameterDraws) -> PosteriorMeta {
    PosteriorMeta {
        file: name.to_string(),
        scenario_hash: file.scenario_hash.clone(),
        parameters: file.design.paths.clone(),
        particles: file.state.population.particles.len(),
        distinct_draws: draws.scenarios.len(),
        tolerance: file.state.population.epsilon,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_posterior_reads_and_draws_by_weight() {
        let f = read("shipped", HISTORY_POSTERIOR_JSON).unwrap();
        let of_run = particles_of_runs(&f, 20_000, 1);
        let w = &f.state.population.weights;
        let total: f64 = w.iter().sum();
        // The heaviest particle's share of the runs against its normalized weight.
        let (heavy, wmax) = w
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap();
        let share = of_run.iter().filter(|&&j| j == heavy).count() as f64 / 20_000.0;
        let p = wmax / total;
        assert!((share - p).abs() < 4.0 * (p * (1.0 - p) / 20_000.0).sqrt() + 1e-9);
        assert_eq!(of_run, particles_of_runs(&f, 20_000, 1));
        assert_ne!(of_run, particles_of_runs(&f, 20_000, 2));
    }

    #[test]
    fn a_bad_posterior_is_located() {
        let e = read("p.json", "{\n  \"format\": 3\n}").unwrap_err();
        assert!(e.starts_with("p.json:2:"), "{e}");
    }
}
