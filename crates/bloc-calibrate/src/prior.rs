//! Prior distributions of estimated parameters: what a scenario's `prior = { ... }` holds.
//!
//! A prior lives on its parameter's bounds (the type's range, or a narrower range the
//! scenario states): a uniform or log-uniform range, a beta distribution stretched over the
//! bounds, or a normal distribution truncated to them. Densities are normalized on the
//! bounds, so they are comparable across parameters; sampling and densities use only `libm`
//! and `rand_distr`, seeded by the caller.

use bloc_base::seeding::SimRng;
use rand::RngExt;
use rand_distr::{Beta, Distribution, StandardNormal};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A prior distribution, written in a file as `{ beta = [8, 2] }`, `{ uniform = [0.1, 0.9] }`,
/// `{ log_uniform = [0.01, 1] }` or `{ normal = [0.5, 0.1] }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Prior {
    /// Uniform on `[low, high]`.
    Uniform(f64, f64),
    /// Uniform in the logarithm on `[low, high]`, both positive.
    LogUniform(f64, f64),
    /// A beta distribution with shapes `(a, b)`, stretched from `[0, 1]` over the bounds.
    Beta(f64, f64),
    /// A normal distribution `(mean, sd)` truncated to the bounds.
    Normal(f64, f64),
}

/// Why a prior cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriorError {
    /// The bounds are not finite or not increasing.
    #[error("the bounds [{0}, {1}] must be finite with the first below the second")]
    Bounds(f64, f64),
    /// A range prior reaches outside the bounds or is empty.
    #[error("the range [{0}, {1}] must be increasing and lie within the bounds [{2}, {3}]")]
    Range(f64, f64, f64, f64),
    /// A log-uniform range that does not lie above zero.
    #[error("a log-uniform range must lie above zero, found [{0}, {1}]")]
    LogRange(f64, f64),
    /// A shape or a standard deviation that is not positive and finite.
    #[error("{0} must be positive and finite, found {1}")]
    NotPositive(&'static str, f64),
    /// A truncated normal that keeps almost none of its mass.
    #[error(
        "the normal ({0}, {1}) keeps {2:.2e} of its mass on the bounds; at least 0.01 is needed"
    )]
    Mass(f64, f64, f64),
}

/// A parameter to calibrate: its name (a scenario path), its prior and its bounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    /// The parameter's path in the scenario, e.g. `centre.resolve`.
    pub name: String,
    /// Its prior.
    pub prior: Prior,
    /// The interval it lives on.
    pub bounds: (f64, f64),
}

impl Parameter {
    /// A parameter, with its prior checked against its bounds.
    pub fn new(name: &str, prior: Prior, bounds: (f64, f64)) -> Result<Self, PriorError> {
        prior.check(bounds)?;
        Ok(Self {
            name: name.to_owned(),
            prior,
            bounds,
        })
    }

    /// The coordinate ABC-SMC's kernel moves this parameter in: `ln x` under a log-uniform
    /// prior (whose density is flat there), `x` otherwise.
    pub fn to_kernel(&self, x: f64) -> f64 {
        match self.prior {
            Prior::LogUniform(..) => libm::log(x),
            _ => x,
        }
    }

    /// The value at kernel coordinate `u` (the inverse of [`Parameter::to_kernel`]).
    pub fn from_kernel(&self, u: f64) -> f64 {
        match self.prior {
            Prior::LogUniform(..) => libm::exp(u),
            _ => u,
        }
    }

    /// `ln |dx/du|` at `x`: what turns the prior's log density into the kernel coordinate's
    /// (`ln x` under a log-uniform prior, 0 otherwise).
    pub fn log_jacobian(&self, x: f64) -> f64 {
        match self.prior {
            Prior::LogUniform(..) => libm::log(x),
            _ => 0.0,
        }
    }

    /// A draw from the prior.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        self.prior.sample(self.bounds, rng)
    }

    /// The prior's log density at `x` (`-inf` off its support).
    pub fn log_density(&self, x: f64) -> f64 {
        self.prior.log_density(x, self.bounds)
    }
}

impl Prior {
    /// Checks the prior against the bounds it lives on.
    pub fn check(&self, (lo, hi): (f64, f64)) -> Result<(), PriorError> {
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(PriorError::Bounds(lo, hi));
        }
        match *self {
            Self::Uniform(a, b) | Self::LogUniform(a, b) => {
                if !(a.is_finite() && b.is_finite() && a < b && a >= lo && b <= hi) {
                    return Err(PriorError::Range(a, b, lo, hi));
                }
                if matches!(self, Self::LogUniform(..)) && a <= 0.0 {
                    return Err(PriorError::LogRange(a, b));
                }
            }
            Self::Beta(a, b) => {
                positive("the first beta shape", a)?;
                positive("the second beta shape", b)?;
            }
            Self::Normal(mean, sd) => {
                if !mean.is_finite() {
                    return Err(PriorError::NotPositive("the normal's mean (finite)", mean));
                }
                positive("the normal's standard deviation", sd)?;
                let mass = normal_mass(mean, sd, lo, hi);
                if mass.is_nan() || mass < 0.01 {
                    return Err(PriorError::Mass(mean, sd, mass));
                }
            }
        }
        Ok(())
    }

    /// The support of the prior within `bounds`.
    pub fn support(&self, bounds: (f64, f64)) -> (f64, f64) {
        match *self {
            Self::Uniform(a, b) | Self::LogUniform(a, b) => (a, b),
            Self::Beta(..) | Self::Normal(..) => bounds,
        }
    }

    /// A draw from the prior on `bounds` (checked with [`Prior::check`]).
    pub fn sample(&self, (lo, hi): (f64, f64), rng: &mut SimRng) -> f64 {
        match *self {
            Self::Uniform(a, b) => a + (b - a) * rng.random::<f64>(),
            Self::LogUniform(a, b) => {
                let (la, lb) = (libm::log(a), libm::log(b));
                libm::exp(la + (lb - la) * rng.random::<f64>()).clamp(a, b)
            }
            Self::Beta(a, b) => {
                let beta = Beta::new(a, b).expect("shapes checked positive");
                lo + (hi - lo) * beta.sample(rng)
            }
            // Rejection: check() guarantees at least 1 % of the mass lies on the bounds.
            Self::Normal(mean, sd) => loop {
                let z: f64 = rng.sample(StandardNormal);
                let x = mean + sd * z;
                if (lo..=hi).contains(&x) {
                    break x;
                }
            },
        }
    }

    /// The log density at `x`, normalized on `bounds`; `-inf` off the support.
    pub fn log_density(&self, x: f64, (lo, hi): (f64, f64)) -> f64 {
        let (s0, s1) = self.support((lo, hi));
        if !(s0..=s1).contains(&x) {
            return f64::NEG_INFINITY;
        }
        match *self {
            Self::Uniform(a, b) => -libm::log(b - a),
            Self::LogUniform(a, b) => -libm::log(x) - libm::log(libm::log(b) - libm::log(a)),
            Self::Beta(a, b) => {
                let u = (x - lo) / (hi - lo);
                let ln_beta = libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b);
                // A shape of exactly 1 contributes nothing, also at the bound (0 * -inf).
                let term = |shape: f64, ln: f64| {
                    if shape == 1.0 {
                        0.0
                    } else {
                        (shape - 1.0) * ln
                    }
                };
                term(a, libm::log(u)) + term(b, libm::log1p(-u)) - ln_beta - libm::log(hi - lo)
            }
            Self::Normal(mean, sd) => {
                let z = (x - mean) / sd;
                -0.5 * z * z
                    - libm::log(sd)
                    - 0.5 * libm::log(2.0 * std::f64::consts::PI)
                    - libm::log(normal_mass(mean, sd, lo, hi))
            }
        }
    }
}

fn positive(what: &'static str, v: f64) -> Result<(), PriorError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(PriorError::NotPositive(what, v))
    }
}

/// The mass a normal `(mean, sd)` puts on `[lo, hi]`.
fn normal_mass(mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
    let cdf = |x: f64| 0.5 * libm::erfc(-(x - mean) / (sd * std::f64::consts::SQRT_2));
    cdf(hi) - cdf(lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bloc_base::seeding::run_rng;

    /// The density integrates to one on its support (midpoint rule, 200,000 cells).
    fn integral(p: Prior, bounds: (f64, f64)) -> f64 {
        let (a, b) = p.support(bounds);
        let n = 200_000;
        let h = (b - a) / f64::from(n);
        (0..n)
            .map(|i| libm::exp(p.log_density(a + (f64::from(i) + 0.5) * h, bounds)) * h)
            .sum()
    }

    #[test]
    fn densities_are_normalized_on_their_bounds() {
        for (p, bounds) in [
            (Prior::Uniform(0.2, 0.7), (0.0, 1.0)),
            (Prior::LogUniform(0.01, 10.0), (0.0, 100.0)),
            (Prior::Beta(8.0, 2.0), (0.0, 1.0)),
            (Prior::Beta(2.0, 5.0), (-1.0, 3.0)),
            (Prior::Normal(0.9, 0.2), (0.0, 1.0)),
        ] {
            let total = integral(p, bounds);
            assert!((total - 1.0).abs() < 1e-3, "{p:?}: {total}");
        }
    }

    #[test]
    fn samples_have_the_distributions_mean() {
        let mut rng = run_rng(1, 0);
        // Beta(8, 2) on [0, 1]: mean 0.8; log-uniform on [1, e^2]: mean (e^2 - 1) / 2.
        let n = 40_000;
        let beta = (0..n)
            .map(|_| Prior::Beta(8.0, 2.0).sample((0.0, 1.0), &mut rng))
            .sum::<f64>()
            / f64::from(n);
        assert!((beta - 0.8).abs() < 0.003, "{beta}");
        let e2 = libm::exp(2.0);
        let lu = (0..n)
            .map(|_| Prior::LogUniform(1.0, e2).sample((0.0, 10.0), &mut rng))
            .sum::<f64>()
            / f64::from(n);
        assert!((lu - (e2 - 1.0) / 2.0).abs() < 0.03, "{lu}");
        // A normal truncated at its mean to [0.5, 1]: mean 0.5 + sd * sqrt(2 / pi).
        let tn = (0..n)
            .map(|_| Prior::Normal(0.5, 0.1).sample((0.5, 1.0), &mut rng))
            .sum::<f64>()
            / f64::from(n);
        let exact = 0.5 + 0.1 * (2.0 / std::f64::consts::PI).sqrt();
        assert!((tn - exact).abs() < 0.002, "{tn} against {exact}");
    }

    #[test]
    fn a_beta_with_a_shape_of_one_has_its_density_at_the_bound() {
        // Beta(1, 2) on [0, 1]: density 2 (1 - x), so 2 at 0 and 0 at 1.
        let p = Prior::Beta(1.0, 2.0);
        assert!((libm::exp(p.log_density(0.0, (0.0, 1.0))) - 2.0).abs() < 1e-12);
        assert_eq!(p.log_density(1.0, (0.0, 1.0)), f64::NEG_INFINITY);
        assert!(
            (libm::exp(Prior::Beta(1.0, 1.0).log_density(1.0, (0.0, 1.0))) - 1.0).abs() < 1e-12
        );
    }

    #[test]
    fn bad_priors_are_refused_with_the_reason() {
        let b = (0.0, 1.0);
        assert!(matches!(
            Prior::Uniform(0.5, 1.5).check(b),
            Err(PriorError::Range(..))
        ));
        assert!(matches!(
            Prior::LogUniform(0.0, 0.5).check(b),
            Err(PriorError::LogRange(..))
        ));
        assert!(matches!(
            Prior::Beta(0.0, 2.0).check(b),
            Err(PriorError::NotPositive(..))
        ));
        assert!(matches!(
            Prior::Normal(5.0, 0.1).check(b),
            Err(PriorError::Mass(..))
        ));
        assert!(matches!(
            Prior::Beta(1.0, 1.0).check((1.0, 1.0)),
            Err(PriorError::Bounds(..))
        ));
        assert!(Prior::Normal(0.9, 0.2).check(b).is_ok());
    }

    #[test]
    fn a_prior_reads_as_the_format_writes_it() {
        let p: Prior = serde_json::from_str(r#"{"beta": [8, 2]}"#).unwrap();
        assert_eq!(p, Prior::Beta(8.0, 2.0));
        let p: Prior = serde_json::from_str(r#"{"log_uniform": [0.01, 1]}"#).unwrap();
        assert_eq!(p, Prior::LogUniform(0.01, 1.0));
        assert!(serde_json::from_str::<Prior>(r#"{"gamma": [1, 2]}"#).is_err());
    }
}
