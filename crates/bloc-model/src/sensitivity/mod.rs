//! Sensitivity analysis: which estimates matter.
//!
//! [`morris`] is Morris's (1991) elementary-effects method on the unit cube, for any model
//! with several outputs, with Campolongo et al.'s (2007) μ*; [`bloc`] applies it to a bloc
//! scenario, with every estimated parameter as a factor over a relative range around its
//! value and the forecast's outcome probabilities as outputs (`bloc sensitivity`);
//! [`sobol`] is Saltelli et al.'s (2010) design and estimators of the first-order and total
//! Sobol' indices, checked on the Ishigami function.

pub mod bloc;
pub mod morris;
pub mod prior_sobol;
pub mod sobol;

pub use bloc::{
    ParameterSensitivity, Sensitivity, SensitivityError, SensitivityMeta, SensitivityPlan,
    run_sensitivity,
};
pub use morris::{FactorStats, MorrisAnalysis, MorrisError, MorrisPlan};
