//! Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018,
//! arXiv:1804.06788): draw a true parameter from the prior, data from the model at it, `L`
//! draws from the posterior given those data, and the rank of the true value among the draws.
//! If the posterior is right, the rank is uniform on `0..=L`; a chi-square test over the
//! `L + 1` rank bins says whether the histogram is consistent with that.
//!
//! The check applies it to ABC-SMC on the beta-binomial toy problem (the tolerance run to 0,
//! where ABC is exact); [`rank_histogram`] takes any posterior sampler, so a wrong one can be
//! shown to fail.

use bloc_base::seeding::{SimRng, branch_rng};
use rand::RngExt;
use rayon::prelude::*;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::smc::{self, Model, Settings, Silent, State};
use crate::toy::BetaBinomial;

/// The stream branch of the SBC replications ("sbc" in ASCII, shifted; even).
pub const SBC_BRANCH: u64 = 0x0073_6263_0000_0000;

/// A rank histogram and its chi-square test of uniformity.
#[derive(Debug, Clone, Serialize)]
pub struct SbcResult {
    /// Replications (true parameters drawn).
    pub replications: usize,
    /// Posterior draws per replication (`L`).
    pub draws: usize,
    /// Replications per rank `0..=L`.
    pub counts: Vec<u64>,
    /// Pearson's chi-square statistic against a uniform histogram.
    pub chi_square: f64,
    /// Its degrees of freedom (`L`).
    pub degrees_of_freedom: usize,
    /// The p-value.
    pub p_value: f64,
    /// The test's level: uniformity is rejected when the p-value is below it.
    pub level: f64,
    /// Whether uniformity is not rejected.
    pub passed: bool,
}

/// The rank histogram over `replications`. `truth` draws a true parameter and its data from
/// a generator; `posterior` returns `draws` posterior draws given the data, using the seed it
/// is given. Replication `r` draws from stream `r` of branch [`SBC_BRANCH`].
pub fn rank_histogram<D, T, P>(
    replications: usize,
    draws: usize,
    seed: u64,
    level: f64,
    truth: T,
    posterior: P,
) -> SbcResult
where
    T: Fn(&mut SimRng) -> (f64, D) + Sync,
    P: Fn(&D, u64) -> Vec<f64> + Sync,
{
    let ranks: Vec<usize> = (0..replications)
        .into_par_iter()
        .map(|r| {
            let mut rng = branch_rng(seed, r as u64, SBC_BRANCH);
            let (theta, data) = truth(&mut rng);
            let sample = posterior(&data, rng.random::<u64>());
            debug_assert_eq!(sample.len(), draws);
            sample.iter().filter(|&&x| x < theta).count()
        })
        .collect();
    let mut counts = vec![0u64; draws + 1];
    for r in ranks {
        counts[r] += 1;
    }
    let expected = replications as f64 / (draws + 1) as f64;
    let chi_square: f64 = counts
        .iter()
        .map(|&c| {
            let d = c as f64 - expected;
            d * d / expected
        })
        .sum();
    let p_value = ChiSquared::new(draws as f64)
        .expect("positive degrees of freedom")
        .sf(chi_square);
    SbcResult {
        replications,
        draws,
        counts,
        chi_square,
        degrees_of_freedom: draws,
        p_value,
        level,
        passed: p_value >= level,
    }
}

/// `n` draws from a calibration's last population, resampled by weight.
pub fn resample(state: &State, n: usize, rng: &mut SimRng) -> Vec<Vec<f64>> {
    let p = &state.population;
    if p.particles.is_empty() {
        return Vec::new();
    }
    (0..n)
        .map(|_| p.particles[crate::smc::pick(&p.weights, rng.random::<f64>())].clone())
        .collect()
}

/// The beta-binomial toy model of SBC: `Beta(2, 2)` prior, 10 trials.
pub const SBC_TOY: BetaBinomial = BetaBinomial {
    trials: 10,
    successes: 0,
    prior: (2.0, 2.0),
};

/// SBC of ABC-SMC on [`SBC_TOY`]: `replications` calibrations of `particles` particles each,
/// run to tolerance 0, 19 draws each (20 rank bins), tested at level 0.01.
pub fn abc_sbc(seed: u64, replications: usize, particles: usize) -> SbcResult {
    let draws = 19;
    rank_histogram(
        replications,
        draws,
        seed,
        0.01,
        |rng| toy_truth(SBC_TOY, rng),
        |toy: &BetaBinomial, inner_seed| {
            let settings = Settings {
                particles,
                seed: inner_seed,
                ..Settings::default()
            };
            let state = smc::run(
                toy,
                &toy.distance(),
                vec![toy.parameter()],
                settings,
                &mut Silent,
            )
            .expect("valid settings");
            let mut rng = branch_rng(inner_seed, 0, SBC_BRANCH);
            resample(&state, draws, &mut rng)
                .into_iter()
                .map(|x| x[0])
                .collect()
        },
    )
}

/// A true `p` drawn from the toy's prior, and the toy with data simulated at it.
pub fn toy_truth(toy: BetaBinomial, rng: &mut SimRng) -> (f64, BetaBinomial) {
    let p = toy.parameter().sample(rng);
    let k = toy.simulate(&[p], rng)[0] as u64;
    (
        p,
        BetaBinomial {
            successes: k,
            ..toy
        },
    )
}
