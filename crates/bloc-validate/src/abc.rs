//! The calibration engine's checks: ABC-SMC against exact posteriors on three toy problems,
//! and simulation-based calibration (`bloc_calibrate::toy`, `bloc_calibrate::sbc`). The
//! comparison with pyabc 0.13 on the same toy problems is a peer script
//! (scripts/abc-vs-pyabc.sh); its figures are in docs/validation.md.

use super::CheckResult;
use bloc_calibrate::sbc;
use bloc_calibrate::toy::{self, ToyCheck};

/// The seed of every check here.
const SEED: u64 = 1;

/// SBC's replications and particles per calibration.
const SBC_REPLICATIONS: usize = 400;
const SBC_PARTICLES: usize = 300;

/// The four checks, run on a pool of `threads` workers (0: one per core); their results do
/// not depend on it.
pub fn abc_checks(threads: usize) -> Vec<CheckResult> {
    let run = || {
        vec![
            toy_check(&toy::beta_binomial_check(SEED), "Beta(2, 2) prior, 9 of 30"),
            toy_check(
                &toy::normal_mean_check(SEED),
                "Normal(0, 3) prior, mean 1.2 of 10",
            ),
            toy_check(
                &toy::informative_prior_check(SEED),
                "Beta(20, 5) prior, 1 of 5",
            ),
            sbc_check(),
        ]
    };
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

fn toy_check(c: &ToyCheck, problem: &str) -> CheckResult {
    CheckResult {
        name: format!("abc/{}", c.name.replace(' ', "-")),
        source: format!(
            "exact conjugate posterior ({problem}); ABC-SMC of Beaumont et al. 2009, Biometrika 96"
        ),
        expected: format!(
            "mean {:.4}, 90 % interval [{:.4}, {:.4}], each within {:.4} ({} posterior sd)",
            c.exact.mean,
            c.exact.q05,
            c.exact.q95,
            c.tolerance,
            toy::TOLERANCE_SD
        ),
        got: format!(
            "mean {:.4}, [{:.4}, {:.4}]; {} generations, last tolerance {}, {} simulations, ESS {:.0}",
            c.abc.mean, c.abc.q05, c.abc.q95, c.generations, c.epsilon, c.simulations, c.ess
        ),
        passed: c.passed,
    }
}

fn sbc_check() -> CheckResult {
    let r = sbc::abc_sbc(SEED, SBC_REPLICATIONS, SBC_PARTICLES);
    CheckResult {
        name: "abc/simulation-based-calibration".into(),
        source: "Talts et al. 2018, arXiv:1804.06788; beta-binomial, 10 trials, Beta(2, 2)".into(),
        expected: format!(
            "ranks of {} true values among {} posterior draws uniform: chi-square p >= {}",
            r.replications, r.draws, r.level
        ),
        got: format!(
            "chi-square {:.2} on {} df, p = {:.3}; counts {:?}",
            r.chi_square, r.degrees_of_freedom, r.p_value, r.counts
        ),
        passed: r.passed,
    }
}
