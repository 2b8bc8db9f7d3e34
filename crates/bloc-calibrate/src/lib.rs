//! # bloc-calibrate
//!
//! Likelihood-free Bayesian calibration of a simulator's parameters, and the checks that the
//! engine gets exact answers right. No terminal or file I/O: a front end saves the
//! [`smc::State`] it is handed after each generation (a checkpoint) and resumes from it.
//!
//! * [`prior`]: the priors of estimated parameters (uniform, log-uniform, beta, truncated
//!   normal) on their bounds, as a scenario writes them.
//! * [`smc`]: ABC-SMC with the population Monte Carlo kernel (Beaumont et al. 2009) and
//!   adaptive tolerances; deterministic whatever the thread count, resumable.
//! * [`toy`]: toy models with exact posteriors (beta-binomial, normal mean) and the checks.
//! * [`sbc`]: simulation-based calibration (Talts et al. 2018) with a chi-square test.

pub mod prior;
pub mod sbc;
pub mod smc;
pub mod toy;
