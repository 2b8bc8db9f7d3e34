//! ABC-SMC: approximate Bayesian computation by sequential Monte Carlo, with the population
//! Monte Carlo kernel of Beaumont, Cornuet, Marin & Robert (2009, Biometrika 96(4), 983-990)
//! and adaptive tolerances.
//!
//! Generation 0 draws `particles` parameter vectors from the prior and keeps them all (the
//! tolerance is infinite). Generation `t` sets its tolerance `eps_t` to the weighted
//! `quantile` of generation `t-1`'s distances (Drovandi & Pettitt 2011; pyabc's
//! `QuantileEpsilon`, whose default is the median), then repeats: pick a particle `j` of
//! generation `t-1` with probability `w_j`, move it by a normal kernel with twice the
//! population's weighted covariance (Beaumont et al. 2009, §3), drop it if the prior is zero
//! there, simulate, and accept it if its distance is at most `eps_t`, until `particles` are
//! accepted. An accepted `theta` is weighted `pi(theta) / sum_j w_j K(theta | theta_j)`.
//! The kernel works in each parameter's kernel coordinate ([`Parameter::to_kernel`]: the
//! logarithm under a log-uniform prior), and both densities of the weight are taken there
//! (the prior's times the Jacobian).
//! Should the quantile not fall below `eps_{t-1}` (a discrete distance), the tolerance drops
//! to the largest distance of `t-1` below it.
//!
//! The run stops after the generation whose tolerance reaches `min_epsilon`, after
//! `max_generations`, when a generation's acceptance rate falls below `min_acceptance`,
//! when the tolerance can fall no further, or when the simulation budget runs out in the
//! middle of a generation (that generation is dropped; the last complete one stands).
//!
//! **Determinism.** Proposal `k` of generation `t` draws every random number (the parent,
//! the move, the simulation) from its own stream ([`bloc_base::seeding::branch_rng`] with
//! branch `ABC + t` and stream `k`). Proposals are evaluated in parallel in batches and
//! accepted in the order of `k`, so the result depends on the seed alone, not on the thread
//! count or the batch size; resuming from a saved state repeats the same generations.

use bloc_base::seeding::{SimRng, branch_rng};
use rand::RngExt;
use rand_distr::StandardNormal;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;

use crate::prior::Parameter;

/// The stream branch of ABC-SMC proposals ("abcsmc" in ASCII); generation `t` uses this plus
/// `t`. A country's branch (an FNV hash) meets one of these only by a chance of about 2^-48
/// per country.
pub const ABC_BRANCH: u64 = 0x6162_6373_6d63_0000;

/// Proposals outside the prior's support per particle after which a generation gives up
/// ([`Stop::OffPrior`]).
pub const OFF_PRIOR_LIMIT: usize = 10_000;

/// A simulator: the summary statistics of one simulation at parameters `theta`.
pub trait Model: Sync {
    /// Simulates once with `rng` and returns the summary statistics.
    fn simulate(&self, theta: &[f64], rng: &mut SimRng) -> Vec<f64>;
}

impl<F: Fn(&[f64], &mut SimRng) -> Vec<f64> + Sync> Model for F {
    fn simulate(&self, theta: &[f64], rng: &mut SimRng) -> Vec<f64> {
        self(theta, rng)
    }
}

/// The distance of simulated summary statistics from the observed ones.
pub trait Distance: Sync {
    /// The distance (non-negative; NaN counts as infinite).
    fn distance(&self, simulated: &[f64]) -> f64;
}

/// The Euclidean distance of scaled statistics: `sqrt(sum ((s_i - o_i) / scale_i)^2)`;
/// infinite when the simulated statistics are not as many as the observed ones or a scale is
/// not positive and finite (a model or a distance set up wrong never matches).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaledEuclidean {
    /// The observed statistics.
    pub observed: Vec<f64>,
    /// One positive scale per statistic.
    pub scales: Vec<f64>,
}

impl Distance for ScaledEuclidean {
    fn distance(&self, simulated: &[f64]) -> f64 {
        if simulated.len() != self.observed.len()
            || self.scales.len() != self.observed.len()
            || !self.scales.iter().all(|s| s.is_finite() && *s > 0.0)
        {
            return f64::INFINITY;
        }
        let sum: f64 = self
            .observed
            .iter()
            .zip(&self.scales)
            .zip(simulated)
            .map(|((o, s), x)| {
                let d = (x - o) / s;
                d * d
            })
            .sum();
        sum.sqrt()
    }
}

/// The settings of a calibration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Particles per generation.
    pub particles: usize,
    /// The master seed.
    pub seed: u64,
    /// The quantile of the previous generation's distances that sets the next tolerance.
    pub quantile: f64,
    /// Stop after the generation whose tolerance reaches this.
    pub min_epsilon: f64,
    /// Stop after this many generations (generation 0 included).
    pub max_generations: usize,
    /// Stop when a generation accepts fewer than this share of its simulations.
    pub min_acceptance: f64,
    /// Stop when the simulations of the run would exceed this.
    pub max_simulations: u64,
    /// Proposals evaluated in parallel at a time (does not change the result).
    pub batch: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            particles: 1000,
            seed: 1,
            quantile: 0.5,
            min_epsilon: 0.0,
            max_generations: 20,
            min_acceptance: 0.0,
            max_simulations: u64::MAX,
            batch: 256,
        }
    }
}

/// One generation's particles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Population {
    /// Its tolerance (`None`: generation 0, every prior draw kept).
    pub epsilon: Option<f64>,
    /// The parameter vectors.
    pub particles: Vec<Vec<f64>>,
    /// Their normalized weights.
    pub weights: Vec<f64>,
    /// Their distances (an infinite one, kept in generation 0, is `null` in JSON).
    #[serde(with = "non_finite::list")]
    pub distances: Vec<f64>,
    /// Their summary statistics (a number that is not finite is `null` in JSON).
    #[serde(with = "non_finite::lists")]
    pub statistics: Vec<Vec<f64>>,
}

/// JSON has no infinity or NaN: such a number is written `null` and read back as NaN, except
/// a distance, read back as infinity (the only non-finite distance the engine keeps).
mod non_finite {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    fn out(v: &[f64]) -> Vec<Option<f64>> {
        v.iter().map(|x| x.is_finite().then_some(*x)).collect()
    }

    /// A list of distances.
    pub mod list {
        use super::*;
        pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
            out(v).serialize(s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
            let v: Vec<Option<f64>> = Vec::deserialize(d)?;
            Ok(v.into_iter().map(|x| x.unwrap_or(f64::INFINITY)).collect())
        }
    }

    /// A list of lists of statistics.
    pub mod lists {
        use super::*;
        pub fn serialize<S: Serializer>(v: &[Vec<f64>], s: S) -> Result<S::Ok, S::Error> {
            v.iter().map(|x| out(x)).collect::<Vec<_>>().serialize(s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<f64>>, D::Error> {
            let v: Vec<Vec<Option<f64>>> = Vec::deserialize(d)?;
            Ok(v.into_iter()
                .map(|x| x.into_iter().map(|y| y.unwrap_or(f64::NAN)).collect())
                .collect())
        }
    }
}

/// What one generation cost and gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    /// Its index (0 for the prior).
    pub index: usize,
    /// Its tolerance (`None` for generation 0).
    pub epsilon: Option<f64>,
    /// Simulations run until its last particle was accepted.
    pub simulations: u64,
    /// Accepted particles over simulations.
    pub acceptance: f64,
    /// The effective sample size of its weights, `(sum w)^2 / sum w^2`.
    pub ess: f64,
}

/// Why a calibration stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// The tolerance reached `min_epsilon`.
    MinEpsilon,
    /// `max_generations` were run.
    MaxGenerations,
    /// A generation's acceptance rate fell below `min_acceptance`.
    MinAcceptance,
    /// The tolerance could fall no further: no distance of the last generation lies below it.
    NoProgress,
    /// The simulation budget ran out during a generation, which was dropped.
    Budget,
    /// A generation's moves left the prior's support [`OFF_PRIOR_LIMIT`] times per particle
    /// (the kernel cannot reach the support); the generation was dropped.
    OffPrior,
    /// The observer asked to stop (an interrupt); the state can be resumed.
    Interrupted,
}

/// The whole state of a calibration after a complete generation: what a checkpoint holds
/// and what the posterior file is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// The parameters and their priors.
    pub parameters: Vec<Parameter>,
    /// The settings.
    pub settings: Settings,
    /// Every generation so far: the tolerance schedule, cost and effective sample sizes.
    pub generations: Vec<Generation>,
    /// The last complete generation.
    pub population: Population,
    /// Why it stopped (`None` while it can go on).
    pub stopped: Option<Stop>,
}

impl State {
    /// The weighted mean of the last population, per parameter.
    pub fn posterior_mean(&self) -> Vec<f64> {
        let p = &self.population;
        let total: f64 = p.weights.iter().sum();
        (0..self.parameters.len())
            .map(|k| {
                p.particles
                    .iter()
                    .zip(&p.weights)
                    .map(|(x, w)| x[k] * w)
                    .sum::<f64>()
                    / total
            })
            .collect()
    }
}

/// Told of progress, and asked whether to go on.
pub trait Observer {
    /// After each batch of proposals of generation `generation`.
    fn progress(&mut self, _generation: usize, _accepted: usize, _simulations: u64) {}
    /// After each complete generation (a checkpoint); `Break` stops the run, resumable.
    fn generation(&mut self, _state: &State) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

/// An observer that does nothing.
pub struct Silent;
impl Observer for Silent {}

/// Why a calibration could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AbcError {
    /// Settings that cannot work.
    #[error("invalid settings: {0}")]
    Settings(String),
    /// No parameter to calibrate.
    #[error("there is no parameter to calibrate")]
    NoParameters,
}

/// Runs a calibration from the prior.
pub fn run(
    model: &dyn Model,
    distance: &dyn Distance,
    parameters: Vec<Parameter>,
    settings: Settings,
    observer: &mut dyn Observer,
) -> Result<State, AbcError> {
    check(&parameters, &settings)?;
    let sampler = Sampler {
        model,
        distance,
        parameters: &parameters,
        settings: &settings,
    };
    let (population, first) = match sampler.generation(0, None, None, 0, observer) {
        Ok(g) => g,
        Err(stop) => {
            return Ok(State {
                generations: Vec::new(),
                population: empty_population(),
                stopped: Some(stop),
                parameters,
                settings,
            });
        }
    };
    let state = State {
        generations: vec![first],
        population,
        stopped: None,
        parameters,
        settings,
    };
    resume(model, distance, state, observer)
}

/// Goes on from a saved state (a checkpoint) until a stopping rule holds. A state that
/// stopped on an interrupt goes on; one that stopped for any other reason is returned as it is.
pub fn resume(
    model: &dyn Model,
    distance: &dyn Distance,
    mut state: State,
    observer: &mut dyn Observer,
) -> Result<State, AbcError> {
    check(&state.parameters, &state.settings)?;
    let d = state.parameters.len();
    let p = &state.population;
    if state.generations.is_empty()
        || p.particles.iter().any(|x| x.len() != d)
        || p.weights.len() != p.particles.len()
        || p.distances.len() != p.particles.len()
    {
        return Err(AbcError::Settings(
            "the saved state is not a complete generation of these parameters".into(),
        ));
    }
    if state.stopped == Some(Stop::Interrupted) {
        state.stopped = None;
    }
    if state.stopped.is_none() && observer.generation(&state).is_break() {
        state.stopped = Some(Stop::Interrupted);
    }
    while state.stopped.is_none() {
        state = step(model, distance, state, observer);
        if state.stopped.is_none() && observer.generation(&state).is_break() {
            state.stopped = Some(Stop::Interrupted);
        }
    }
    Ok(state)
}

/// One generation more, or the reason to stop.
fn step(
    model: &dyn Model,
    distance: &dyn Distance,
    mut state: State,
    observer: &mut dyn Observer,
) -> State {
    let s = &state.settings;
    let t = state.generations.len();
    let last = state.generations.last().expect("generation 0 exists");
    if let Some(stop) = stop_after(s, last, t) {
        state.stopped = Some(stop);
        return state;
    }
    let Some(epsilon) = next_epsilon(&state.population, s.quantile, s.min_epsilon) else {
        state.stopped = Some(Stop::NoProgress);
        return state;
    };
    let used: u64 = state.generations.iter().map(|g| g.simulations).sum();
    let sampler = Sampler {
        model,
        distance,
        parameters: &state.parameters,
        settings: s,
    };
    match sampler.generation(t, Some(epsilon), Some(&state.population), used, observer) {
        Ok((population, generation)) => {
            state.population = population;
            state.generations.push(generation);
        }
        Err(stop) => state.stopped = Some(stop),
    }
    state
}

/// The rule that stops the run after generation `last`, if any holds.
fn stop_after(s: &Settings, last: &Generation, next_index: usize) -> Option<Stop> {
    if last.epsilon.is_some_and(|e| e <= s.min_epsilon) {
        Some(Stop::MinEpsilon)
    } else if next_index >= s.max_generations {
        Some(Stop::MaxGenerations)
    } else if last.index > 0 && last.acceptance < s.min_acceptance {
        Some(Stop::MinAcceptance)
    } else {
        None
    }
}

fn check(parameters: &[Parameter], s: &Settings) -> Result<(), AbcError> {
    if parameters.is_empty() {
        return Err(AbcError::NoParameters);
    }
    for p in parameters {
        p.prior
            .check(p.bounds)
            .map_err(|e| AbcError::Settings(format!("the prior of {}: {e}", p.name)))?;
    }
    let bad = |m: &str| Err(AbcError::Settings(m.to_owned()));
    if s.particles < 2 {
        return bad("at least 2 particles are needed");
    }
    if !(s.quantile > 0.0 && s.quantile < 1.0) {
        return bad("the quantile must lie strictly between 0 and 1");
    }
    if !(s.min_epsilon >= 0.0 && s.min_epsilon.is_finite()) {
        return bad("min_epsilon must be a finite number at least 0");
    }
    if s.max_generations == 0 || s.batch == 0 {
        return bad("max_generations and batch must be at least 1");
    }
    if !(0.0..=1.0).contains(&s.min_acceptance) {
        return bad("min_acceptance must lie in [0, 1]");
    }
    Ok(())
}

fn empty_population() -> Population {
    Population {
        epsilon: None,
        particles: Vec::new(),
        weights: Vec::new(),
        distances: Vec::new(),
        statistics: Vec::new(),
    }
}

/// The next tolerance: the weighted quantile of the population's distances, or, if that
/// does not fall below the current tolerance, the largest distance below it; never below
/// `min_epsilon`. `None` when no distance lies below the current tolerance.
fn next_epsilon(p: &Population, quantile: f64, min_epsilon: f64) -> Option<f64> {
    let q = weighted_quantile(&p.distances, &p.weights, quantile);
    let eps = match p.epsilon {
        Some(current) if q >= current => p
            .distances
            .iter()
            .copied()
            .filter(|&d| d < current)
            .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))))?,
        _ => q,
    };
    Some(eps.max(min_epsilon))
}

/// The weighted `q`-quantile: the smallest value whose cumulative weight reaches `q`.
pub fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let total: f64 = weights.iter().sum();
    let mut cum = 0.0;
    for &i in &order {
        cum += weights[i];
        if cum >= q * total {
            return values[i];
        }
    }
    order.last().map_or(f64::NAN, |&i| values[i])
}

/// The effective sample size of weights.
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    let s: f64 = weights.iter().sum();
    let s2: f64 = weights.iter().map(|w| w * w).sum();
    s * s / s2
}

/// One proposal's fate.
enum Proposal {
    /// Outside the prior's support: not simulated.
    OffPrior,
    /// Simulated.
    Simulated {
        theta: Vec<f64>,
        statistics: Vec<f64>,
        distance: f64,
    },
}

/// What one generation needs.
struct Sampler<'a> {
    model: &'a dyn Model,
    distance: &'a dyn Distance,
    parameters: &'a [Parameter],
    settings: &'a Settings,
}

/// Accepted particles, in the order of their proposals.
#[derive(Default)]
struct Accepted {
    particles: Vec<Vec<f64>>,
    statistics: Vec<Vec<f64>>,
    distances: Vec<f64>,
}

impl Sampler<'_> {
    /// Generation `t` with tolerance `epsilon` from `previous` (the prior for `None`), or
    /// why it was dropped: the budget (`used` simulations spent before) ran out first
    /// ([`Stop::Budget`]), or its moves kept leaving the prior's support ([`Stop::OffPrior`]).
    fn generation(
        &self,
        t: usize,
        epsilon: Option<f64>,
        previous: Option<&Population>,
        used: u64,
        observer: &mut dyn Observer,
    ) -> Result<(Population, Generation), Stop> {
        let n = self.settings.particles;
        let kernel = previous.map(|p| Kernel::fit(p, self.parameters));
        let mut acc = Accepted::default();
        let mut simulations = 0u64;
        let mut next = 0usize;
        let mut off_prior = 0usize;
        while acc.particles.len() < n {
            let batch: Vec<Proposal> = (next..next + self.settings.batch)
                .into_par_iter()
                .map(|k| self.propose(t, k, previous.zip(kernel.as_ref())))
                .collect();
            next += self.settings.batch;
            for p in batch {
                let Proposal::Simulated {
                    theta,
                    statistics,
                    distance,
                } = p
                else {
                    off_prior += 1;
                    if off_prior >= OFF_PRIOR_LIMIT.saturating_mul(n) {
                        return Err(Stop::OffPrior);
                    }
                    continue;
                };
                if used + simulations >= self.settings.max_simulations {
                    return Err(Stop::Budget);
                }
                simulations += 1;
                if epsilon.is_none_or(|e| distance <= e) {
                    acc.particles.push(theta);
                    acc.statistics.push(statistics);
                    acc.distances.push(distance);
                    if acc.particles.len() == n {
                        break;
                    }
                }
            }
            observer.progress(t, acc.particles.len(), simulations);
        }
        let weights = match (previous, kernel.as_ref()) {
            (Some(p), Some(k)) => self.importance_weights(&acc.particles, p, k),
            _ => vec![1.0 / n as f64; n],
        };
        let generation = Generation {
            index: t,
            epsilon,
            simulations,
            acceptance: n as f64 / simulations as f64,
            ess: effective_sample_size(&weights),
        };
        let population = Population {
            epsilon,
            particles: acc.particles,
            weights,
            distances: acc.distances,
            statistics: acc.statistics,
        };
        Ok((population, generation))
    }

    /// Proposal `k` of generation `t`: a prior draw, or a moved particle of `previous`.
    fn propose(&self, t: usize, k: usize, previous: Option<(&Population, &Kernel)>) -> Proposal {
        let mut rng = branch_rng(self.settings.seed, k as u64, ABC_BRANCH + t as u64);
        let theta: Vec<f64> = match previous {
            None => self.parameters.iter().map(|p| p.sample(&mut rng)).collect(),
            Some((pop, kernel)) => {
                let parent = pick(&pop.weights, rng.random::<f64>());
                kernel.perturb(parent, &mut rng)
            }
        };
        if self.log_prior(&theta) == f64::NEG_INFINITY {
            return Proposal::OffPrior;
        }
        let statistics = self.model.simulate(&theta, &mut rng);
        let d = self.distance.distance(&statistics);
        Proposal::Simulated {
            theta,
            statistics,
            distance: if d.is_nan() { f64::INFINITY } else { d },
        }
    }

    fn log_prior(&self, theta: &[f64]) -> f64 {
        self.parameters
            .iter()
            .zip(theta)
            .map(|(p, &x)| p.log_density(x))
            .sum()
    }

    /// `pi(theta) / sum_j w_j K(theta | theta_j)`, normalized to sum to one, with both
    /// densities in the kernel's coordinates (the prior's times the Jacobian of
    /// [`Parameter::from_kernel`]).
    fn importance_weights(
        &self,
        particles: &[Vec<f64>],
        previous: &Population,
        kernel: &Kernel,
    ) -> Vec<f64> {
        let log_prev: Vec<f64> = previous.weights.iter().map(|w| libm::log(*w)).collect();
        let log_w: Vec<f64> = particles
            .par_iter()
            .map(|theta| {
                let u = to_kernel(self.parameters, theta);
                let terms: Vec<f64> = log_prev
                    .iter()
                    .enumerate()
                    .map(|(parent, lw)| lw + kernel.log_density(&u, parent))
                    .collect();
                let jacobian: f64 = self
                    .parameters
                    .iter()
                    .zip(theta)
                    .map(|(p, &x)| p.log_jacobian(x))
                    .sum();
                self.log_prior(theta) + jacobian - log_sum_exp(&terms)
            })
            .collect();
        let max = log_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let w: Vec<f64> = log_w.iter().map(|l| libm::exp(l - max)).collect();
        let total: f64 = w.iter().sum();
        w.into_iter().map(|x| x / total).collect()
    }
}

/// The index whose cumulative weight first exceeds `u` times the total (a draw by weight
/// for `u` uniform on [0, 1)).
pub fn pick(weights: &[f64], u: f64) -> usize {
    let total: f64 = weights.iter().sum();
    let target = u * total;
    let mut cum = 0.0;
    for (i, w) in weights.iter().enumerate() {
        cum += w;
        if cum > target {
            return i;
        }
    }
    weights.len() - 1
}

fn log_sum_exp(terms: &[f64]) -> f64 {
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + libm::log(terms.iter().map(|t| libm::exp(t - max)).sum::<f64>())
}

/// The population Monte Carlo kernel: a normal with twice the population's weighted
/// covariance, held as its lower Cholesky factor.
struct Kernel {
    chol: Vec<Vec<f64>>,
    parameters: Vec<Parameter>,
    /// The fitted population's particles in kernel coordinates (the moves' centres).
    centres: Vec<Vec<f64>>,
}

impl Kernel {
    /// The kernel of population `p`, in the parameters' kernel coordinates
    /// ([`Parameter::to_kernel`]).
    fn fit(p: &Population, parameters: &[Parameter]) -> Self {
        let d = parameters.len();
        let u: Vec<Vec<f64>> = p
            .particles
            .iter()
            .map(|x| to_kernel(parameters, x))
            .collect();
        let mean: Vec<f64> = (0..d)
            .map(|i| u.iter().zip(&p.weights).map(|(x, w)| w * x[i]).sum())
            .collect();
        let mut cov = vec![vec![0.0; d]; d];
        for (x, w) in u.iter().zip(&p.weights) {
            for i in 0..d {
                for j in 0..=i {
                    cov[i][j] += 2.0 * w * (x[i] - mean[i]) * (x[j] - mean[j]);
                }
            }
        }
        // A parameter on which every particle agrees still moves a little: a millionth of
        // the width of its prior's support (in kernel coordinates; not its type's bounds,
        // which may be 10^12 wide), squared, on the diagonal. Only the lower triangle is used.
        for (i, par) in parameters.iter().enumerate() {
            let (lo, hi) = par.prior.support(par.bounds);
            let mut width = par.to_kernel(hi) - par.to_kernel(lo);
            // A normal prior on a wide type: its spread, not the type's range.
            if let crate::prior::Prior::Normal(_, sd) = par.prior {
                width = width.min(10.0 * sd);
            }
            let floor = 1e-6 * width;
            cov[i][i] = cov[i][i].max(floor * floor);
        }
        Self {
            chol: cholesky(cov),
            parameters: parameters.to_vec(),
            centres: u,
        }
    }

    /// A move from the fitted population's particle `parent`, returned as a parameter vector.
    fn perturb(&self, parent: usize, rng: &mut SimRng) -> Vec<f64> {
        let u = &self.centres[parent];
        let z: Vec<f64> = (0..u.len())
            .map(|_| rng.sample::<f64, _>(StandardNormal))
            .collect();
        u.iter()
            .zip(&self.parameters)
            .enumerate()
            .map(|(i, (c, p))| {
                p.from_kernel(c + (0..=i).map(|j| self.chol[i][j] * z[j]).sum::<f64>())
            })
            .collect()
    }

    /// The log density of the move from the fitted population's particle `parent` to `to`
    /// (given in kernel coordinates), up to a constant.
    fn log_density(&self, to: &[f64], parent: usize) -> f64 {
        let from = &self.centres[parent];
        let d = to.len();
        let mut y = vec![0.0; d];
        for i in 0..d {
            let s: f64 = (0..i).map(|j| self.chol[i][j] * y[j]).sum();
            y[i] = (to[i] - from[i] - s) / self.chol[i][i];
        }
        -0.5 * y.iter().map(|v| v * v).sum::<f64>()
    }
}

/// A parameter vector in kernel coordinates.
fn to_kernel(parameters: &[Parameter], x: &[f64]) -> Vec<f64> {
    parameters
        .iter()
        .zip(x)
        .map(|(p, v)| p.to_kernel(*v))
        .collect()
}

/// The lower Cholesky factor of a symmetric matrix given by its lower triangle; a pivot that is not positive (a matrix
/// that is not positive definite in rounding) is replaced by a small positive one.
fn cholesky(a: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let d = a.len();
    let mut l = vec![vec![0.0; d]; d];
    for i in 0..d {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let pivot = a[i][i] - s;
                l[i][i] = pivot.max(a[i][i] * 1e-9).max(f64::MIN_POSITIVE).sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weighted_quantile_takes_the_smallest_value_reaching_q() {
        let v = [3.0, 1.0, 2.0, 4.0];
        let w = [0.25; 4];
        assert_eq!(weighted_quantile(&v, &w, 0.5), 2.0);
        assert_eq!(weighted_quantile(&v, &w, 0.51), 3.0);
        assert_eq!(weighted_quantile(&v, &[0.0, 0.0, 0.0, 1.0], 0.5), 4.0);
    }

    #[test]
    fn a_discrete_distance_that_stalls_drops_to_the_next_value_below() {
        let p = Population {
            epsilon: Some(2.0),
            particles: vec![vec![0.0]; 4],
            weights: vec![0.25; 4],
            distances: vec![2.0, 2.0, 2.0, 1.0],
            statistics: vec![vec![]; 4],
        };
        assert_eq!(next_epsilon(&p, 0.5, 0.0), Some(1.0));
        let all_zero = Population {
            epsilon: Some(0.0),
            distances: vec![0.0; 4],
            ..p
        };
        assert_eq!(next_epsilon(&all_zero, 0.5, 0.0), None);
    }

    #[test]
    fn the_cholesky_factor_reproduces_the_matrix() {
        let a = vec![
            vec![4.0, 2.0, 0.4],
            vec![2.0, 5.0, 1.0],
            vec![0.4, 1.0, 3.0],
        ];
        let l = cholesky(a.clone());
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| l[i][k] * l[j][k]).sum();
                assert!((v - a[i][j]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn pick_follows_the_weights() {
        let w = [0.1, 0.0, 0.6, 0.3];
        assert_eq!(pick(&w, 0.05), 0);
        assert_eq!(pick(&w, 0.1), 2);
        assert_eq!(pick(&w, 0.69), 2);
        assert_eq!(pick(&w, 0.7), 3);
        assert_eq!(pick(&w, 0.999), 3);
    }
}
