//! Forecasts from a posterior file of `bloc calibrate`: which particle each run draws, and the
//! scenario at each particle drawn (`bloc forecast --posterior`, and the default forecast on
//! the shipped posterior).
//!
//! Run `i` draws its particle by weight from its own stream branch ([`DRAW_BRANCH`] of the
//! master seed), apart from the stream its simulation uses, so a forecast from a posterior
//! keeps each run's randomness: the same runs at fixed parameters differ only by the draw.

use crate::history::calibration::{POSTERIOR_FORMAT, PosteriorFile};
pub use bloc_model::overrides::{first_problem, scenario_with};
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

/// The stream branch of a run's posterior draw.
pub const DRAW_BRANCH: u64 = bloc_base::seeding::branches::DRAW;

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
    let total: f64 = p.weights.iter().sum();
    if p.particles.is_empty()
        || p.particles.len() != p.weights.len()
        || !p.weights.iter().all(|w| w.is_finite() && *w >= 0.0)
        || !(total.is_finite() && total > 0.0)
    {
        return Err(format!(
            "{name}: state.population needs as many weights as particles, finite and \
             non-negative, with a positive finite sum"
        ));
    }
    if let Some(j) = p
        .particles
        .iter()
        .position(|x| x.len() != f.design.paths.len() || !x.iter().all(|v| v.is_finite()))
    {
        return Err(format!(
            "{name}: particle {j} of state.population needs one finite value per path of \
             design.paths ({})",
            f.design.paths.len()
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
    threads: usize,
    build: impl Fn(&[String]) -> Result<BlocScenario, String> + Sync,
) -> Result<ParameterDraws, String> {
    use rayon::prelude::*;
    let kinds = kinds(file, base)?;
    let of_particle = particles_of_runs(file, runs, seed);
    let mut distinct = of_particle.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let particles = &file.state.population.particles;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("could not start {threads} worker threads: {e}"))?;
    // Built in parallel, the first error in particle order reported whatever the threads.
    let built: Vec<Result<BlocScenario, String>> = pool.install(|| {
        distinct
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
            .collect()
    });
    let scenarios = built.into_iter().collect::<Result<Vec<_>, _>>()?;
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
    threads: usize,
) -> Result<(PosteriorFile, ParameterDraws, PosteriorMeta), String> {
    let file = read(HISTORY_POSTERIOR_NAME, HISTORY_POSTERIOR_JSON)?;
    let base = BlocScenario::eastern_europe_1989();
    let draws = parameter_draws(&file, &base, runs, seed, threads, |set| {
        scenario_with(bloc_model::EASTERN_EUROPE_1989_TOML, set)
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

    #[test]
    fn weights_and_values_that_cannot_be_drawn_are_refused() {
        let good = read("shipped", HISTORY_POSTERIOR_JSON).unwrap();
        let text = |f: &PosteriorFile| serde_json::to_string(f).unwrap();
        let mut f = good.clone();
        f.state.population.weights[0] = 1e308;
        f.state.population.weights[1] = 1e308;
        let e = read("p", &text(&f)).unwrap_err();
        assert!(e.contains("positive finite sum"), "{e}");
        let mut f = good.clone();
        f.state.population.weights[3] = -0.1;
        assert!(read("p", &text(&f)).is_err());
        let mut f = good.clone();
        f.state.population.particles[7].pop();
        let e = read("p", &text(&f)).unwrap_err();
        assert!(e.contains("particle 7"), "{e}");
        // NaN is written `null` in JSON and refused when read back.
        let mut f = good.clone();
        f.state.population.particles[9][0] = f64::NAN;
        let e = read("p", &text(&f)).unwrap_err();
        assert!(e.contains("particle 9") || e.contains("p:"), "{e}");
    }
}
