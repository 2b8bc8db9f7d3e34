//! Sobol' variance-based sensitivity indices by the design and estimators of Saltelli et al.
//! (2010), "Variance based sensitivity analysis of model output. Design and estimator for
//! the total sensitivity index", Computer Physics Communications 181(2):259-270.
//!
//! Two independent N × k matrices A and B of draws from the factors' distribution, and for
//! each factor i the matrix A_B^(i): A with its column i taken from B. The model is evaluated
//! at the N (k + 2) rows, in the order A, B, A_B^(1), ..., A_B^(k) ([`saltelli_points`]).
//! With V the variance of the outputs at A and B (2N values, divisor 2N), the first-order
//! and total indices of factor i are
//!
//! S_i  = (1/N) Σ_j f(B)_j (f(A_B^(i))_j - f(A)_j) / V        (Table 2 (b), Saltelli 2010)
//! S_Ti = (1/2N) Σ_j (f(A)_j - f(A_B^(i))_j)² / V             (Table 2 (f), Jansen 1999)
//!
//! The paper draws A and B from a quasi-random (LP_τ) sequence; the draws here are the
//! caller's (pseudo-random from a seeded stream, or any distribution, e.g. a prior), which
//! the estimators allow at a larger Monte Carlo error. Each index comes with a bootstrap
//! standard error over the N rows, resampled jointly across A, B and every A_B^(i) (as SALib
//! reports its confidence intervals), on the seeded branch [`branches::SOBOL_BOOTSTRAP`] of
//! the caller's seed; a resample whose outputs at A and B are all equal has no index and is
//! left out (how many were used is reported). An output whose values at A and B are all
//! equal has no index at all: its variance and indices are 0.

use bloc_base::seeding::{branch_rng, branches};
use rand::RngExt;
use serde::Serialize;

/// The stream branch of the bootstrap resamples.
pub const SOBOL_BRANCH: u64 = branches::SOBOL_BOOTSTRAP;

/// The N (k + 2) points of the design, in the order A, B, A_B^(1), ..., A_B^(k), from the
/// rows of `a` and `b` (both N × k).
pub fn saltelli_points(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = a.first().map_or(0, Vec::len);
    let mut out: Vec<Vec<f64>> = a.iter().chain(b).cloned().collect();
    for i in 0..k {
        out.extend(a.iter().zip(b).map(|(ra, rb)| {
            let mut r = ra.clone();
            r[i] = rb[i];
            r
        }));
    }
    out
}

/// One factor's indices with their bootstrap standard errors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SobolIndex {
    /// First-order index S_i.
    pub first: f64,
    /// Its bootstrap standard error.
    pub first_se: f64,
    /// Total index S_Ti.
    pub total: f64,
    /// Its bootstrap standard error.
    pub total_se: f64,
    /// The total partial variance V_Ti = S_Ti · V, in the output's squared units: how much
    /// of the output's variance the factor accounts for, comparable across outputs (an
    /// index of an output that hardly varies can be large and mean little).
    pub total_variance: f64,
    /// Bootstrap resamples behind the standard errors (those whose outputs at A and B vary;
    /// fewer than 2 leave the standard errors undefined: NaN, `null` in JSON).
    pub resamples: usize,
}

/// The indices of every factor for one output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolIndices {
    /// The output's variance V over A and B.
    pub variance: f64,
    /// Per factor, in the factors' order.
    pub factors: Vec<SobolIndex>,
}

/// The point estimates (S_i, S_Ti, V_Ti) of factor `i` over the rows `rows` of the design
/// with outputs `y` (in [`saltelli_points`] order, N rows per block).
/// `None` when the outputs at A and B over those rows are all equal (no variance: a
/// rounding residue of their mean must not pass for one).
fn estimate(y: &[f64], n: usize, i: usize, rows: &[usize]) -> Option<(f64, f64, f64)> {
    let (fa, fb, fab) = (&y[..n], &y[n..2 * n], &y[(2 + i) * n..(3 + i) * n]);
    let first_value = fa[*rows.first()?];
    if rows
        .iter()
        .all(|&j| fa[j] == first_value && fb[j] == first_value)
    {
        return None;
    }
    let m = rows.len() as f64;
    let mean = rows.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2.0 * m);
    let v = rows
        .iter()
        .map(|&j| (fa[j] - mean) * (fa[j] - mean) + (fb[j] - mean) * (fb[j] - mean))
        .sum::<f64>()
        / (2.0 * m);
    let first = rows.iter().map(|&j| fb[j] * (fab[j] - fa[j])).sum::<f64>() / m / v;
    let total_variance = rows
        .iter()
        .map(|&j| (fa[j] - fab[j]) * (fa[j] - fab[j]))
        .sum::<f64>()
        / (2.0 * m);
    Some((first, total_variance / v, total_variance))
}

/// The indices of `k` factors from the outputs `y` at the N (k + 2) points of
/// [`saltelli_points`], with standard errors from `resamples` bootstrap resamples of the N
/// rows (drawn from the branch [`SOBOL_BRANCH`] of `seed`). `None` if `y` does not have
/// N (k + 2) values for some N ≥ 2, or a value is not finite.
pub fn indices(y: &[f64], k: usize, resamples: usize, seed: u64) -> Option<SobolIndices> {
    let n = y.len() / (k + 2);
    if n < 2 || y.len() != n * (k + 2) || !y.iter().all(|v| v.is_finite()) {
        return None;
    }
    let all: Vec<usize> = (0..n).collect();
    let (fa, fb) = (&y[..n], &y[n..2 * n]);
    if fa.iter().chain(fb).all(|v| *v == fa[0]) {
        return Some(SobolIndices {
            variance: 0.0,
            factors: vec![SobolIndex::default(); k],
        });
    }
    let mean = fa.iter().chain(fb).sum::<f64>() / (2 * n) as f64;
    let variance = fa
        .iter()
        .chain(fb)
        .map(|v| (v - mean) * (v - mean))
        .sum::<f64>()
        / (2 * n) as f64;
    let mut rng = branch_rng(seed, 0, SOBOL_BRANCH);
    let samples: Vec<Vec<usize>> = (0..resamples)
        .map(|_| (0..n).map(|_| rng.random_range(0..n)).collect())
        .collect();
    let factors = (0..k)
        .map(|i| {
            let (first, total, total_variance) = estimate(y, n, i, &all).unwrap_or_default();
            let boot: Vec<(f64, f64, f64)> = samples
                .iter()
                .filter_map(|r| estimate(y, n, i, r))
                .collect();
            let sd = |xs: Vec<f64>| {
                if xs.len() < 2 {
                    f64::NAN
                } else {
                    bloc_base::stats::std_dev(&xs)
                }
            };
            SobolIndex {
                first,
                first_se: sd(boot.iter().map(|b| b.0).collect()),
                total,
                total_se: sd(boot.iter().map(|b| b.1).collect()),
                total_variance,
                resamples: boot.len(),
            }
        })
        .collect();
    Some(SobolIndices { variance, factors })
}

/// The Ishigami function (Ishigami & Homma 1990), sin x1 + a sin² x2 + b x3⁴ sin x1, on
/// x_i uniform on [-π, π]: the test function of variance-based methods.
pub fn ishigami(x: [f64; 3], a: f64, b: f64) -> f64 {
    let s1 = libm::sin(x[0]);
    let s2 = libm::sin(x[1]);
    let x3 = x[2] * x[2];
    s1 + a * s2 * s2 + b * x3 * x3 * s1
}

/// The Ishigami function's exact indices ([S_1, S_2, S_3], [S_T1, S_T2, S_T3]) from its
/// analytic variances (Sobol' & Levitan 1999; Marrel et al. 2009): V = a²/8 + bπ⁴/5 +
/// b²π⁸/18 + 1/2, V_1 = (1 + bπ⁴/5)²/2, V_2 = a²/8, V_3 = 0, V_13 = b²π⁸ (1/18 - 1/50).
pub fn ishigami_indices(a: f64, b: f64) -> ([f64; 3], [f64; 3]) {
    let pi2 = std::f64::consts::PI * std::f64::consts::PI;
    let pi4 = pi2 * pi2;
    let pi8 = pi4 * pi4;
    let v = a * a / 8.0 + b * pi4 / 5.0 + b * b * pi8 / 18.0 + 0.5;
    let v1 = (1.0 + b * pi4 / 5.0) * (1.0 + b * pi4 / 5.0) / 2.0;
    let v2 = a * a / 8.0;
    let v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ishigami_indices_are_the_published_ones() {
        // The values every implementation is checked on (a = 7, b = 0.1; e.g. Marrel et al.
        // 2009): S = 0.3139, 0.4424, 0; S_T = 0.5576, 0.4424, 0.2437.
        let (s, st) = ishigami_indices(7.0, 0.1);
        for (got, want) in s
            .iter()
            .chain(&st)
            .zip([0.3139, 0.4424, 0.0, 0.5576, 0.4424, 0.2437])
        {
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
    }

    #[test]
    fn the_points_are_a_b_and_a_with_one_column_of_b() {
        let a = vec![vec![1.0, 2.0], vec![3.0, 4.0]];
        let b = vec![vec![5.0, 6.0], vec![7.0, 8.0]];
        let p = saltelli_points(&a, &b);
        assert_eq!(p.len(), 2 * 4);
        assert_eq!(p[4], vec![5.0, 2.0]);
        assert_eq!(p[7], vec![3.0, 8.0]);
        assert!(indices(&[1.0; 7], 2, 10, 1).is_none());
    }

    #[test]
    fn an_additive_model_has_first_equal_total() {
        // y = x1 + 2 x2 with x uniform: S_1 = 1/5, S_2 = 4/5, no interactions.
        let mut rng = branch_rng(3, 0, 1);
        let mut draw = || -> Vec<Vec<f64>> {
            (0..4000)
                .map(|_| vec![rng.random::<f64>(), rng.random::<f64>()])
                .collect()
        };
        let (a, b) = (draw(), draw());
        let y: Vec<f64> = saltelli_points(&a, &b)
            .iter()
            .map(|x| x[0] + 2.0 * x[1])
            .collect();
        let s = indices(&y, 2, 50, 1).unwrap();
        for (f, want) in s.factors.iter().zip([0.2, 0.8]) {
            assert!((f.first - want).abs() < 0.05, "{f:?}");
            assert!((f.total - want).abs() < 0.05, "{f:?}");
            assert!(f.first_se > 0.0 && f.first_se < 0.05, "{f:?}");
            assert!(f.total_se > 0.0 && f.total_se < 0.05, "{f:?}");
            assert_eq!(f.resamples, 50);
        }
        // A constant output has no indices, whatever rounding its mean leaves.
        let c = indices(&vec![0.1; 4000 * 4], 2, 10, 1).unwrap();
        assert_eq!(c.variance, 0.0);
        assert!(c.factors.iter().all(|f| f.total == 0.0 && f.first == 0.0));
    }
}
