//! The weighted median and the weighted mean of positions (Black 1948; the first stage of
//! Bueno de Mesquita's model), with weights w_i = c_i s_i.
//!
//! Tie rule of the median: positions are sorted; the median is the smallest position at
//! which the cumulative weight reaches at least half of the total. With linear (distance)
//! preferences this position beats every other actor's position in a capability- and
//! salience-weighted pairwise vote, or ties it.

use super::table::Stakeholder;

/// The weight c_i s_i of each stakeholder.
pub fn weights(stakeholders: &[Stakeholder]) -> Vec<f64> {
    stakeholders
        .iter()
        .map(|s| s.capability * s.salience)
        .collect()
}

/// The weighted median of `positions` with `weights`; `None` if the total weight is 0.
pub fn weighted_median(positions: &[f64], weights: &[f64]) -> Option<f64> {
    let total: f64 = weights.iter().sum();
    if total.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by(|&a, &b| positions[a].total_cmp(&positions[b]).then(a.cmp(&b)));
    let mut cumulative = 0.0;
    for &i in &order {
        cumulative += weights[i];
        if cumulative >= total / 2.0 {
            return Some(positions[i]);
        }
    }
    order.last().map(|&i| positions[i])
}

/// The weighted mean Σ w_i x_i / Σ w_i; `None` if the total weight is 0.
pub fn weighted_mean(positions: &[f64], weights: &[f64]) -> Option<f64> {
    let total: f64 = weights.iter().sum();
    if total.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    Some(
        positions
            .iter()
            .zip(weights)
            .map(|(x, w)| x * w)
            .sum::<f64>()
            / total,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_mean() {
        // weights 1, 1, 3 at 0, 10, 20: half of 5 is 2.5, reached at 20
        assert_eq!(
            weighted_median(&[0.0, 10.0, 20.0], &[1.0, 1.0, 3.0]),
            Some(20.0)
        );
        // exactly half at 10: the smaller position
        assert_eq!(
            weighted_median(&[20.0, 0.0, 10.0], &[2.0, 1.0, 1.0]),
            Some(10.0)
        );
        assert_eq!(weighted_mean(&[0.0, 10.0], &[1.0, 3.0]), Some(7.5));
        assert_eq!(weighted_median(&[1.0], &[0.0]), None);
    }
}
