//! Granovetter (1978)'s two worked examples as exact checks of [`bloc_citizens::granovetter`].

use super::CheckResult;
use bloc_citizens::granovetter::{
    critical_spread, equilibrium_of_normal, equilibrium_of_thresholds,
};

const SOURCE: &str = "Granovetter 1978, AJS 83(6), pp. 1424-1428";

/// The 100-person crowd with thresholds 0, 1, ..., 99: everyone riots; move the threshold
/// of the person at 1 to 2 and only the instigator riots.
pub fn uniform_crowd() -> CheckResult {
    let uniform: Vec<f64> = (0..100).map(f64::from).collect();
    let mut perturbed = uniform.clone();
    perturbed[1] = 2.0;
    let all = equilibrium_of_thresholds(&uniform).rioters;
    let one = equilibrium_of_thresholds(&perturbed).rioters;
    CheckResult {
        name: "granovetter/uniform-crowd".into(),
        source: SOURCE.into(),
        expected: "thresholds 0..99: 100 riot; threshold 1 moved to 2: 1 riots".into(),
        got: format!("{all} riot; {one} riots"),
        passed: all == 100.0 && one == 1.0,
    }
}

/// The normal example: 100 people, thresholds normal with mean 25. As the standard
/// deviation rises past a critical value (12.2 in the paper) the equilibrium jumps from a
/// handful of rioters to nearly all. Checked to the paper's precision (one decimal): the
/// critical spread, found by bisection to 1e-6, lies in [12.2, 12.3); just below it fewer
/// than 10 riot, just above it more than 99.
pub fn normal_crowd() -> CheckResult {
    let (n, mean) = (100.0, 25.0);
    let critical = critical_spread(n, mean, 0.5, (1.0, 50.0), 1e-6);
    let (got, passed) = match critical {
        Some(sd) => {
            let below = equilibrium_of_normal(n, mean, sd - 1e-3).rioters;
            let above = equilibrium_of_normal(n, mean, sd + 1e-3).rioters;
            (
                format!(
                    "critical s.d. {sd:.4}; equilibrium {below:.2} just below, {above:.2} just above"
                ),
                (12.2..12.3).contains(&sd) && below < 10.0 && above > 99.0,
            )
        }
        None => ("no jump between s.d. 1 and 50".into(), false),
    };
    CheckResult {
        name: "granovetter/normal-crowd".into(),
        source: format!("{SOURCE}, Fig. 2"),
        expected:
            "N = 100, mean 25: the equilibrium jumps from a handful (< 10) to nearly all (> 99) at an s.d. in [12.2, 12.3) (the paper: 12.2)"
                .into(),
        got,
        passed,
    }
}
