//! Statistics bloc reports: exact quantiles (numpy's default "linear" definition, Hyndman &
//! Fan type 7) from integer histograms and from samples, means and binomial intervals.
//!
//! Histograms of integer counts are exact and order-independent, so merging runs in any
//! order gives bit-identical quantiles and means.

use serde::Serialize;
use std::collections::BTreeMap;

/// A histogram of non-negative integer values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    bins: BTreeMap<u32, u64>,
    n: u64,
    sum: u128,
}

impl Histogram {
    /// Adds one observation.
    pub fn add(&mut self, value: u32) {
        *self.bins.entry(value).or_insert(0) += 1;
        self.n += 1;
        self.sum += u128::from(value);
    }

    /// Number of observations.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// Whether there are no observations.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Mean of the observations (0 if none).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum as f64 / self.n as f64
        }
    }

    /// The value of 0-based rank `k` in sorted order.
    fn at_rank(&self, k: u64) -> u32 {
        let mut seen = 0;
        for (&v, &c) in &self.bins {
            seen += c;
            if k < seen {
                return v;
            }
        }
        self.bins.keys().next_back().copied().unwrap_or(0)
    }

    /// The `q`-quantile (type 7: linear interpolation between order statistics).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let h = (self.n - 1) as f64 * q;
        let lo = h.floor() as u64;
        let hi = h.ceil() as u64;
        let (a, b) = (f64::from(self.at_rank(lo)), f64::from(self.at_rank(hi)));
        a + (h - lo as f64) * (b - a)
    }

    /// Mean and the 5 %, 50 % and 95 % quantiles.
    pub fn band(&self) -> Band {
        Band {
            mean: self.mean(),
            q05: self.quantile(0.05),
            q50: self.quantile(0.5),
            q95: self.quantile(0.95),
        }
    }
}

/// A mean with the 5 %, 50 % and 95 % quantiles of a sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    /// Mean.
    pub mean: f64,
    /// 5 % quantile.
    pub q05: f64,
    /// Median.
    pub q50: f64,
    /// 95 % quantile.
    pub q95: f64,
}

/// The `q`-quantile (type 7) of a sample; NaN for an empty sample.
pub fn quantile(sample: &[f64], q: f64) -> f64 {
    if sample.is_empty() {
        return f64::NAN;
    }
    let mut s = sample.to_vec();
    s.sort_by(f64::total_cmp);
    let h = (s.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    s[lo] + (h - lo as f64) * (s[hi] - s[lo])
}

/// Mean of a sample (summed in order); NaN for an empty sample.
pub fn mean(sample: &[f64]) -> f64 {
    if sample.is_empty() {
        f64::NAN
    } else {
        sample.iter().sum::<f64>() / sample.len() as f64
    }
}

/// Sample standard deviation; NaN for fewer than two values.
pub fn std_dev(sample: &[f64]) -> f64 {
    if sample.len() < 2 {
        return f64::NAN;
    }
    let m = mean(sample);
    (sample.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (sample.len() - 1) as f64).sqrt()
}

/// Mean and quantiles of a sample.
pub fn band(sample: &[f64]) -> Band {
    Band {
        mean: mean(sample),
        q05: quantile(sample, 0.05),
        q50: quantile(sample, 0.5),
        q95: quantile(sample, 0.95),
    }
}

/// Wilson score interval for a proportion `k / n` at about 95 %.
pub fn wilson_interval(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / denom;
    // At k = 0 (k = n) the bound is exactly 0 (1); rounding would leave about 1e-19.
    let lo = if k == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if k == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

/// Mann-Whitney U test of whether values in `a` tend to exceed those in `b`: the one-sided
/// p-value from the normal approximation with tie correction.
pub fn mann_whitney_greater(a: &[f64], b: &[f64]) -> f64 {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    if a.is_empty() || b.is_empty() {
        return 1.0;
    }
    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&x| (x, true))
        .chain(b.iter().map(|&x| (x, false)))
        .collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let n = all.len();
    let mut ranks = vec![0.0; n];
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for rank in &mut ranks[i..=j] {
            *rank = r;
        }
        let t = (j - i + 1) as f64;
        tie_term += t * t * t - t;
        i = j + 1;
    }
    let r1: f64 = all
        .iter()
        .zip(&ranks)
        .filter(|(v, _)| v.1)
        .map(|(_, r)| r)
        .sum();
    let u1 = r1 - n1 * (n1 + 1.0) / 2.0;
    let mu = n1 * n2 / 2.0;
    let nn = n1 + n2;
    let sigma = (n1 * n2 / 12.0 * ((nn + 1.0) - tie_term / (nn * (nn - 1.0)))).sqrt();
    if sigma == 0.0 {
        return if u1 > mu { 0.0 } else { 1.0 };
    }
    let z = (u1 - mu - 0.5) / sigma;
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// `x * x`: the square without `powi`, whose result the standard library leaves
/// unspecified across platforms.
pub fn square(x: f64) -> f64 {
    x * x
}

/// The normal distribution function with the given mean and standard deviation (through
/// Numerical Recipes' erfcc, absolute error below 1e-7).
pub fn normal_cdf(x: f64, mean: f64, sd: f64) -> f64 {
    0.5 * erfc(-(x - mean) / (sd * std::f64::consts::SQRT_2))
}

/// A probability's variance over an ensemble whose runs draw their parameters from a
/// posterior, split by the law of total variance, Var(Y) = Var(E[Y | theta]) +
/// E[Var(Y | theta)], into the part the parameters explain and the part each run's own
/// randomness adds.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct VarianceSplit {
    /// Var(Y) over the runs (the variance with divisor N; p (1 - p) for an indicator).
    pub total: f64,
    /// Var(E[Y | theta]): the variance of the outcome's conditional mean over parameter draws.
    pub parameter: f64,
    /// E[Var(Y | theta)]: the rest, `total - parameter`.
    pub noise: f64,
    /// `parameter / total` (0 when the total is 0).
    pub parameter_share: f64,
}

/// The split of `y`'s variance between groups of runs that share a parameter draw
/// (`group[i]` is run `i`'s draw) and the runs within them, by the one-way random-effects
/// analysis of variance for unequal group sizes (Searle, Casella & McCulloch 1992,
/// *Variance Components*, §3.5): the parameter part is (MSB - MSW) / n0 with
/// n0 = (N - Σ n_j² / N) / (k - 1), cut to [0, total]. It is unbiased for fixed group
/// sizes and equal noise within groups; with draws by weight and noise that differs by
/// draw it is an approximation (the plug-in between-group variance would count a share of
/// the noise as parameter at every size). `None` when it cannot be estimated: fewer than
/// two draws, no draw with two runs, or a value that is not finite.
pub fn variance_split(group: &[u32], y: &[f64]) -> Option<VarianceSplit> {
    let n = y.len();
    let mut sums: std::collections::BTreeMap<u32, (f64, f64)> = std::collections::BTreeMap::new();
    for (&g, &v) in group.iter().zip(y) {
        let e = sums.entry(g).or_insert((0.0, 0.0));
        e.0 += 1.0;
        e.1 += v;
    }
    let k = sums.len();
    if group.len() != n || k < 2 || k == n {
        return None;
    }
    let nf = n as f64;
    let grand = mean(y);
    let total = y.iter().map(|&v| square(v - grand)).sum::<f64>() / nf;
    let ssb: f64 = sums.values().map(|&(c, s)| c * square(s / c - grand)).sum();
    let ssw = (total * nf - ssb).max(0.0);
    let msb = ssb / (k - 1) as f64;
    let msw = ssw / (n - k) as f64;
    let n0 = (nf - sums.values().map(|&(c, _)| c * c).sum::<f64>() / nf) / (k - 1) as f64;
    if !(total.is_finite() && msb.is_finite() && msw.is_finite()) {
        return None;
    }
    let parameter = ((msb - msw) / n0).clamp(0.0, total);
    Some(VarianceSplit {
        total,
        parameter,
        noise: total - parameter,
        parameter_share: if total > 0.0 { parameter / total } else { 0.0 },
    })
}

/// Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let exponent = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * libm::exp(exponent);
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_match_numpy_linear() {
        let mut h = Histogram::default();
        for v in [1, 2, 3, 4, 10] {
            h.add(v);
        }
        // numpy.quantile([1,2,3,4,10], [0.05, 0.5, 0.95]) = [1.2, 3.0, 8.8]
        assert!((h.quantile(0.05) - 1.2).abs() < 1e-12);
        assert_eq!(h.quantile(0.5), 3.0);
        assert!((h.quantile(0.95) - 8.8).abs() < 1e-12);
        assert_eq!(h.mean(), 4.0);
        let s = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile(&s, 0.95) - 8.8).abs() < 1e-12);
    }

    #[test]
    fn variance_split_is_the_unbalanced_anova_estimate() {
        // Groups [1, 0, 1, 1], [0, 0], [1, 1, 0]: by exact fractions, MSB = 29/72,
        // MSW = 17/72, n0 = 26/9, so the parameter part is 3/52; the total is 20/81.
        let group = [0, 0, 0, 0, 1, 1, 2, 2, 2];
        let y = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0];
        let v = variance_split(&group, &y).unwrap();
        assert!((v.total - 20.0 / 81.0).abs() < 1e-12, "{v:?}");
        assert!((v.parameter - 3.0 / 52.0).abs() < 1e-12, "{v:?}");
        assert_eq!(variance_split(&[0, 0], &[1.0, 0.0]), None);
        assert_eq!(variance_split(&[0, 1], &[1.0, 0.0]), None);
    }

    #[test]
    fn variance_split_recovers_a_known_parameter_variance() {
        // 4,000 draws of p in {0.2, 0.8} with 5 runs each: Var(p) = 0.09, E[p (1 - p)] = 0.16.
        // The plug-in between-group variance would give about 0.09 + 0.16 / 5 = 0.122.
        use rand::RngExt;
        let mut rng = crate::seeding::run_rng(7, 0);
        let (mut group, mut y) = (Vec::new(), Vec::new());
        for g in 0..4000u32 {
            let p = if g % 2 == 0 { 0.2 } else { 0.8 };
            for _ in 0..5 {
                group.push(g);
                y.push(f64::from(u8::from(rng.random::<f64>() < p)));
            }
        }
        let v = variance_split(&group, &y).unwrap();
        assert!((v.parameter - 0.09).abs() < 0.01, "{v:?}");
        assert!((v.noise - 0.16).abs() < 0.01, "{v:?}");
    }

    #[test]
    fn variance_split_holds_with_unequal_groups_and_unequal_noise() {
        // 3,000 draws with 1 to 9 runs each and p in {0.05, 0.5, 0.95} (noise 0.0475 and
        // 0.25): the variance of p over the runs is 0.1350 (by hand: each p on a third of
        // the runs, mean 0.5, squared deviations 0.2025, 0, 0.2025).
        use rand::RngExt;
        let mut rng = crate::seeding::run_rng(11, 0);
        let (mut group, mut y) = (Vec::new(), Vec::new());
        for g in 0..3000u32 {
            let p = [0.05, 0.5, 0.95][(g % 3) as usize];
            for _ in 0..=(g / 3) % 9 {
                group.push(g);
                y.push(f64::from(u8::from(rng.random::<f64>() < p)));
            }
        }
        let v = variance_split(&group, &y).unwrap();
        assert!((v.parameter - 0.135).abs() < 0.01, "{v:?}");
        assert_eq!(
            variance_split(&[0, 0, 1, 1], &[1.0, f64::NAN, 0.0, 0.0]),
            None
        );
    }

    #[test]
    fn wilson_matches_reference() {
        // 8 of 10: Wilson 95 % interval (0.4902, 0.9433)
        let (lo, hi) = wilson_interval(8, 10);
        assert!((lo - 0.4902).abs() < 1e-4 && (hi - 0.9433).abs() < 1e-4);
    }

    #[test]
    fn mann_whitney_detects_a_shift_and_not_its_absence() {
        let a: Vec<f64> = (0..30).map(|i| f64::from(i) + 10.0).collect();
        let b: Vec<f64> = (0..30).map(f64::from).collect();
        assert!(mann_whitney_greater(&a, &b) < 0.01);
        assert!(mann_whitney_greater(&b, &a) > 0.9);
        // By hand: U = 28, mean 18, tie-corrected sd 6.201, z = (28 - 18 - 0.5) / 6.201 = 1.532,
        // one-sided p = 0.0628 (as scipy.stats.mannwhitneyu(a, b, alternative='greater')).
        let a = [3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let b = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let p = mann_whitney_greater(&a, &b);
        assert!((p - 0.0628).abs() < 5e-4, "{p}");
    }
}
