//! Granovetter's (1978) threshold model of collective behaviour.
//!
//! Each of N people joins a riot once the number already rioting reaches their threshold.
//! Starting from no one, the number rioting at step t+1 is the number of thresholds at or
//! below the number at step t: r(t+1) = N·F(r(t)), where F is the distribution function of
//! the thresholds. The process only grows, so it stops at the first fixed point above the
//! start: the equilibrium. Granovetter, M. (1978), "Threshold Models of Collective
//! Behavior", American Journal of Sociology 83(6), 1420–1443.
//!
//! Two forms: a list of individual thresholds (the paper's 100-person examples), and a
//! threshold distribution given by its distribution function (the paper's normal example,
//! where N·F is continuous and the equilibrium need not be a whole number).

use bloc_base::stats::normal_cdf;

/// Where a cascade stops and how it got there.
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium {
    /// The number rioting at the equilibrium.
    pub rioters: f64,
    /// The number rioting after each step, from the start (the first entry) to the
    /// equilibrium (the last).
    pub path: Vec<f64>,
}

/// The equilibrium of a crowd given by its individual thresholds (each the number of
/// others who must already riot), starting from no one rioting.
pub fn equilibrium_of_thresholds(thresholds: &[f64]) -> Equilibrium {
    let joined_at = |r: f64| thresholds.iter().filter(|&&t| t <= r).count() as f64;
    iterate(joined_at, 0.0, thresholds.len() + 1)
}

/// The equilibrium of `n` people whose thresholds are normally distributed with `mean`
/// and standard deviation `sd` (in people), starting from no one: r(t+1) = n·Φ((r(t) −
/// mean)/sd), iterated until it moves by less than `1e-9` people.
pub fn equilibrium_of_normal(n: f64, mean: f64, sd: f64) -> Equilibrium {
    let joined_at = |r: f64| n * normal_cdf(r, mean, sd);
    iterate(joined_at, 0.0, 1_000_000)
}

/// The smallest standard deviation in `[low, high]` (within `tolerance`) at which the
/// normal crowd's equilibrium exceeds `share` of `n`: the critical spread, where the
/// equilibrium jumps from a handful to nearly everyone. `None` if the equilibrium at
/// `high` stays below `share` or the one at `low` is already above it.
pub fn critical_spread(
    n: f64,
    mean: f64,
    share: f64,
    (mut low, mut high): (f64, f64),
    tolerance: f64,
) -> Option<f64> {
    let large = |sd: f64| equilibrium_of_normal(n, mean, sd).rioters > share * n;
    if large(low) || !large(high) {
        return None;
    }
    while high - low > tolerance {
        let mid = 0.5 * (low + high);
        if large(mid) {
            high = mid;
        } else {
            low = mid;
        }
    }
    Some(high)
}

fn iterate(joined_at: impl Fn(f64) -> f64, start: f64, max_steps: usize) -> Equilibrium {
    let mut path = vec![start];
    let mut r = start;
    for _ in 0..max_steps {
        let next = joined_at(r);
        if (next - r).abs() < 1e-9 {
            break;
        }
        r = next;
        path.push(r);
    }
    Equilibrium { rioters: r, path }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crowd_with_no_instigator_stays_quiet() {
        let e = equilibrium_of_thresholds(&[1.0, 1.0, 2.0]);
        assert_eq!(e.rioters, 0.0);
        assert_eq!(e.path, vec![0.0]);
    }

    #[test]
    fn the_path_grows_one_person_per_step_in_the_uniform_crowd() {
        let thresholds: Vec<f64> = (0..10).map(f64::from).collect();
        let e = equilibrium_of_thresholds(&thresholds);
        assert_eq!(e.rioters, 10.0);
        assert_eq!(e.path.len(), 11);
    }
}
