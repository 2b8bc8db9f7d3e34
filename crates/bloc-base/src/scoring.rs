//! Proper scores of probabilistic forecasts against what happened, and rank correlation.
//!
//! * Brier score of a categorical forecast (Brier 1950): Σ_k (p_k − o_k)², 0 is perfect,
//!   2 the worst; of a binary event: (p − o)².
//! * Logarithmic score (Good 1952): −ln p of the observed category, in nats, lower is better.
//!   An ensemble's shares are smoothed by adding one half to every category's count
//!   (Jeffreys' prior), so a category no run reached scores finitely: p = (k + ½)/(n + K/2).
//! * Continuous ranked probability score of an ensemble (Gneiting & Raftery 2007, eq. 21):
//!   E|X − y| − ½·E|X − X′|, in the unit of the quantity; of a uniform distribution on
//!   [a, b] in closed form.
//! * Skill score: 1 − score / reference score (positive: better than the reference).
//! * Spearman's rank correlation with average ranks for ties.

use crate::stats::square;
/// Brier score of a categorical forecast `p` when category `observed` happened.
pub fn brier(p: &[f64], observed: usize) -> f64 {
    p.iter()
        .enumerate()
        .map(|(k, &pk)| {
            let o = if k == observed { 1.0 } else { 0.0 };
            (pk - o) * (pk - o)
        })
        .sum()
}

/// Brier score of a binary forecast `p` of an event that did (`true`) or did not happen.
pub fn brier_binary(p: f64, happened: bool) -> f64 {
    let o = if happened { 1.0 } else { 0.0 };
    (p - o) * (p - o)
}

/// The smoothed probability of category `k` out of `counts` (half a count added to each).
pub fn smoothed_share(counts: &[u64], k: usize) -> f64 {
    let n: u64 = counts.iter().sum();
    (counts[k] as f64 + 0.5) / (n as f64 + 0.5 * counts.len() as f64)
}

/// Logarithmic score −ln p of a probability given to what happened.
pub fn log_score(p_observed: f64) -> f64 {
    -libm::log(p_observed)
}

/// CRPS of an ensemble `sample` against the observation `y`: E|X − y| − ½·E|X − X′|,
/// computed exactly from the sorted sample. `None` for an empty sample.
pub fn crps_ensemble(sample: &[f64], y: f64) -> Option<f64> {
    if sample.is_empty() {
        return None;
    }
    let mut x = sample.to_vec();
    x.sort_by(f64::total_cmp);
    let m = x.len() as f64;
    let to_observation = x.iter().map(|v| (v - y).abs()).sum::<f64>() / m;
    // Σ_i Σ_j |x_i − x_j| = 2 Σ_i (2i − m + 1) x_(i) for the sorted sample (i from 0).
    let pairs: f64 = x
        .iter()
        .enumerate()
        .map(|(i, v)| (2.0 * i as f64 - m + 1.0) * v)
        .sum::<f64>()
        * 2.0;
    Some(to_observation - 0.5 * pairs / (m * m))
}

/// CRPS of the uniform distribution on [a, b] (a < b) against `y`.
pub fn crps_uniform(a: f64, b: f64, y: f64) -> f64 {
    let w = b - a;
    let centre = (a + b) / 2.0;
    if y < a {
        centre - y - w / 6.0
    } else if y > b {
        y - centre - w / 6.0
    } else {
        (square(y - a) + square(b - y)) / (2.0 * w) - w / 6.0
    }
}

/// Skill of `score` against `reference` (both lower-is-better): 1 − score/reference.
pub fn skill(score: f64, reference: f64) -> f64 {
    1.0 - score / reference
}

/// Ranks from 1, ties sharing their average rank.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}

/// Spearman's rank correlation (Pearson's on average ranks); `None` if either side has no
/// variation or the lengths differ.
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let (ra, rb) = (average_ranks(a), average_ranks(b));
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| square(x - ma)).sum();
    let vb: f64 = rb.iter().map(|y| square(y - mb)).sum();
    if va == 0.0 || vb == 0.0 {
        None
    } else {
        Some(cov / (va * vb).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brier_of_a_sure_right_and_a_sure_wrong_forecast() {
        assert_eq!(brier(&[1.0, 0.0, 0.0], 0), 0.0);
        assert_eq!(brier(&[1.0, 0.0, 0.0], 1), 2.0);
        assert!((brier(&[0.2; 5], 3) - 0.8).abs() < 1e-12);
    }

    #[test]
    fn crps_of_an_ensemble_equals_the_pairwise_formula() {
        let x: [f64; 7] = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0];
        let y = 2.5;
        let m = x.len() as f64;
        let a: f64 = x.iter().map(|v| (v - y).abs()).sum::<f64>() / m;
        let b: f64 = x
            .iter()
            .flat_map(|u| x.iter().map(move |v| (u - v).abs()))
            .sum::<f64>()
            / (m * m);
        assert!((crps_ensemble(&x, y).unwrap() - (a - 0.5 * b)).abs() < 1e-12);
        assert_eq!(crps_ensemble(&[4.0], 4.0), Some(0.0));
    }

    #[test]
    fn crps_of_a_uniform_matches_a_fine_ensemble() {
        let sample: Vec<f64> = (0..20_000).map(|i| (f64::from(i) + 0.5) / 2000.0).collect();
        for y in [-3.0, 0.0, 2.5, 7.0, 10.0, 14.0] {
            let exact = crps_uniform(0.0, 10.0, y);
            let approx = crps_ensemble(&sample, y).unwrap();
            assert!((exact - approx).abs() < 1e-3, "y {y}: {exact} vs {approx}");
        }
    }

    #[test]
    fn spearman_with_ties_and_without_variation() {
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), Some(1.0));
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[3.0, 2.0, 1.0]), None);
        assert_eq!(
            average_ranks(&[5.0, 1.0, 5.0, 2.0]),
            vec![3.5, 1.0, 3.5, 2.0]
        );
    }

    #[test]
    fn smoothing_keeps_unreached_categories_finite() {
        let p = smoothed_share(&[10, 0, 0, 0, 0], 1);
        assert!((p - 0.5 / 12.5).abs() < 1e-12);
        assert!(log_score(p).is_finite());
    }
}
