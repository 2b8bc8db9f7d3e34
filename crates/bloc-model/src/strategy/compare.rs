//! `bloc compare`: strategies run on the same ensemble (the same master seed, so run i of
//! every strategy draws from the same streams: common random numbers) and compared run by
//! run with the first strategy, the baseline.
//!
//! For every metric the difference of the means comes with two 95 % intervals (normal
//! approximation, 1.96 standard errors): the **paired** one from the run-by-run differences
//! d_i = x_i(strategy) − x_i(baseline), sd(d)/√n, and the **unpaired** one that ignores the
//! pairing, √(var_a/n + var_b/n). Common random numbers make the paired interval narrower
//! whenever a run's outcomes under the two strategies are positively correlated.
//!
//! The objective scores a run as Σ over countries and metrics of weight × value, plus the
//! cost weight × the centre's lever cost. The default follows the memo: an intact alliance
//! counts +1 per ally, an eruption −1, an intervention −1 (force is admissible only against
//! external armed interference), each death −0.001, each unit of lever cost −0.01 (the whole
//! budget of 100 counts like one ally); the ruling party's fate counts 0.

use crate::config::BlocScenario;
use crate::outcome::OutcomeClass;
use crate::paths::{CountryPath, RunPath};
use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use bloc_base::stats::square;
use serde::Serialize;
use std::collections::BTreeMap;

/// A per-country metric of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Class smooth (1 or 0).
    Smooth,
    /// Class leaps.
    Leaps,
    /// Class suppression.
    Suppression,
    /// Class eruption.
    Eruption,
    /// Class stable.
    Stable,
    /// The ruling party holds power at the horizon.
    Party,
    /// The alliance is intact at the horizon.
    Alliance,
    /// The centre intervened.
    Intervention,
    /// Deaths, people.
    Deaths,
    /// Emigrants, people.
    Emigrants,
}

impl Metric {
    /// All metrics, in report order.
    pub const ALL: [Metric; 10] = [
        Metric::Smooth,
        Metric::Leaps,
        Metric::Suppression,
        Metric::Eruption,
        Metric::Stable,
        Metric::Party,
        Metric::Alliance,
        Metric::Intervention,
        Metric::Deaths,
        Metric::Emigrants,
    ];

    /// The name used in `--objective` and the output.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Smooth => "smooth",
            Metric::Leaps => "leaps",
            Metric::Suppression => "suppression",
            Metric::Eruption => "eruption",
            Metric::Stable => "stable",
            Metric::Party => "party",
            Metric::Alliance => "alliance",
            Metric::Intervention => "intervention",
            Metric::Deaths => "deaths",
            Metric::Emigrants => "emigrants",
        }
    }

    /// The metric's value for one country in one run.
    pub fn of(self, p: &CountryPath) -> f64 {
        let class = |c: OutcomeClass| f64::from(u8::from(p.class == c));
        match self {
            Metric::Smooth => class(OutcomeClass::Smooth),
            Metric::Leaps => class(OutcomeClass::Leaps),
            Metric::Suppression => class(OutcomeClass::Suppression),
            Metric::Eruption => class(OutcomeClass::Eruption),
            Metric::Stable => class(OutcomeClass::Stable),
            Metric::Party => f64::from(u8::from(p.party_in_power)),
            Metric::Alliance => f64::from(u8::from(p.alliance_intact)),
            Metric::Intervention => f64::from(u8::from(p.intervention)),
            Metric::Deaths => p.deaths,
            Metric::Emigrants => p.emigrants,
        }
    }
}

/// The objective's weights: per metric (summed over countries) and per unit of lever cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    /// Weight of each metric, per country and run.
    pub weights: BTreeMap<Metric, f64>,
    /// Weight of a unit of the centre's lever cost.
    pub cost: f64,
}

impl Default for Objective {
    /// The memo's objective (module doc).
    fn default() -> Self {
        Objective {
            weights: BTreeMap::from([
                (Metric::Alliance, 1.0),
                (Metric::Eruption, -1.0),
                (Metric::Intervention, -1.0),
                (Metric::Deaths, -0.001),
            ]),
            cost: -0.01,
        }
    }
}

impl Objective {
    /// Reads `name=weight,...` (names of [`Metric`] and `cost`). Unnamed metrics weigh 0.
    pub fn parse(text: &str) -> Result<Objective, String> {
        let mut o = Objective {
            weights: BTreeMap::new(),
            cost: 0.0,
        };
        for item in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| format!("\"{item}\": expected name=weight"))?;
            let w: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|w: &f64| w.is_finite())
                .ok_or_else(|| format!("\"{item}\": the weight must be a finite number"))?;
            let name = name.trim();
            if name == "cost" {
                o.cost = w;
                continue;
            }
            let metric = Metric::ALL
                .into_iter()
                .find(|m| m.name() == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                    let hint = bloc_base::document::closest(name, names.iter().copied())
                        .map(|c| format!(" (did you mean \"{c}\"?)"))
                        .unwrap_or_default();
                    format!(
                        "unknown objective term \"{name}\"{hint}; expected one of {}, cost",
                        names.join(", ")
                    )
                })?;
            o.weights.insert(metric, w);
        }
        Ok(o)
    }

    /// The score of one run.
    pub fn score(&self, run: &RunPath) -> f64 {
        let countries: f64 = run
            .countries
            .iter()
            .map(|p| self.weights.iter().map(|(m, w)| w * m.of(p)).sum::<f64>())
            .sum();
        countries + self.cost * run.cost
    }
}

/// A mean with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The mean over runs.
    pub mean: f64,
    /// Lower end of the 95 % interval.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// A strategy's difference from the baseline in one metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    /// Mean of (strategy − baseline).
    pub mean: f64,
    /// The paired 95 % interval (run-by-run differences).
    pub paired: [f64; 2],
    /// The unpaired 95 % interval (as if the runs were independent).
    pub unpaired: [f64; 2],
}

/// The difference of two samples of equal length, paired and unpaired; with fewer than two
/// runs the intervals are undefined (NaN, `null` in JSON), and so is the mean of none.
pub fn difference(a: &[f64], base: &[f64]) -> Difference {
    let n = a.len().min(base.len()).max(1) as f64;
    let mean = |x: &[f64]| x.iter().sum::<f64>() / n;
    let var = |x: &[f64]| {
        let m = mean(x);
        if n < 2.0 {
            0.0
        } else {
            x.iter().map(|v| square(v - m)).sum::<f64>() / (n - 1.0)
        }
    };
    debug_assert_eq!(a.len(), base.len(), "paired samples have equal length");
    let d: Vec<f64> = a.iter().zip(base).map(|(x, y)| x - y).collect();
    let md = mean(&d);
    if a.len() < 2 {
        // No interval from fewer than two runs (JSON: null).
        return Difference {
            mean: if a.is_empty() { f64::NAN } else { md },
            paired: [f64::NAN; 2],
            unpaired: [f64::NAN; 2],
        };
    }
    let paired = 1.96 * (var(&d) / n).sqrt();
    let unpaired = 1.96 * ((var(a) + var(base)) / n).sqrt();
    Difference {
        mean: md,
        paired: [md - paired, md + paired],
        unpaired: [md - unpaired, md + unpaired],
    }
}

fn estimate(x: &[f64]) -> Estimate {
    let n = x.len().max(1) as f64;
    let m = x.iter().sum::<f64>() / n;
    let sd = if x.len() < 2 {
        0.0
    } else {
        (x.iter().map(|v| square(v - m)).sum::<f64>() / (n - 1.0)).sqrt()
    };
    let h = 1.96 * sd / n.sqrt();
    Estimate {
        mean: m,
        lo: m - h,
        hi: m + h,
    }
}

/// One country under one strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryResult {
    /// Country id.
    pub id: String,
    /// Mean of every metric.
    pub means: BTreeMap<Metric, f64>,
    /// Difference from the baseline in every metric (absent for the baseline).
    pub differences: Option<BTreeMap<Metric, Difference>>,
}

/// One strategy's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyResult {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// The objective's mean score with its interval.
    pub score: Estimate,
    /// Its difference from the baseline's score (absent for the baseline).
    pub score_difference: Option<Difference>,
    /// Mean lever cost per run.
    pub cost: f64,
    /// For the bloc: every metric summed over the countries, then averaged over runs.
    pub bloc: BTreeMap<Metric, f64>,
    /// For the bloc: differences from the baseline of the summed metrics.
    pub bloc_differences: Option<BTreeMap<Metric, Difference>>,
    /// Per country.
    pub countries: Vec<CountryResult>,
}

/// A strategy to compare: its name, description and the scenario with it applied.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The scenario with the strategy applied.
    pub scenario: BlocScenario,
    /// The strategy's reaction rules.
    pub reactions: Vec<super::ReactionRule>,
    /// With a posterior: the strategy applied to each parameter draw's scenario, and the
    /// draw of each run (the same for every candidate, so that runs stay paired).
    pub draws: Option<crate::ParameterDraws>,
}

/// Runs every candidate on the same plan and compares each with the first.
pub fn compare(
    candidates: &[Candidate],
    plan: EnsemblePlan,
    objective: &Objective,
    mut progress: impl FnMut(usize, u64),
) -> Result<Vec<StrategyResult>, EnsembleError> {
    let mut runs: Vec<Vec<RunPath>> = Vec::with_capacity(candidates.len());
    for (k, c) in candidates.iter().enumerate() {
        runs.push(super::run_with_reactions_drawn(
            &c.scenario,
            c.draws.as_ref(),
            &c.reactions,
            plan,
            |done| progress(k, done),
        )?);
    }
    let column = |k: usize, c: usize, m: Metric| -> Vec<f64> {
        runs[k].iter().map(|r| m.of(&r.countries[c])).collect()
    };
    let bloc_column = |k: usize, m: Metric| -> Vec<f64> {
        runs[k]
            .iter()
            .map(|r| r.countries.iter().map(|p| m.of(p)).sum())
            .collect()
    };
    let scores: Vec<Vec<f64>> = runs
        .iter()
        .map(|rs| rs.iter().map(|r| objective.score(r)).collect())
        .collect();
    let n = plan.runs.max(1) as f64;
    let results = candidates
        .iter()
        .enumerate()
        .map(|(k, cand)| {
            let countries = cand
                .scenario
                .countries
                .iter()
                .enumerate()
                .map(|(c, country)| CountryResult {
                    id: country.id.clone(),
                    means: Metric::ALL
                        .iter()
                        .map(|&m| (m, column(k, c, m).iter().sum::<f64>() / n))
                        .collect(),
                    differences: (k > 0).then(|| {
                        Metric::ALL
                            .iter()
                            .map(|&m| (m, difference(&column(k, c, m), &column(0, c, m))))
                            .collect()
                    }),
                })
                .collect();
            StrategyResult {
                name: cand.name.clone(),
                description: cand.description.clone(),
                score: estimate(&scores[k]),
                score_difference: (k > 0).then(|| difference(&scores[k], &scores[0])),
                cost: runs[k].iter().map(|r| r.cost).sum::<f64>() / n,
                bloc: Metric::ALL
                    .iter()
                    .map(|&m| (m, bloc_column(k, m).iter().sum::<f64>() / n))
                    .collect(),
                bloc_differences: (k > 0).then(|| {
                    Metric::ALL
                        .iter()
                        .map(|&m| (m, difference(&bloc_column(k, m), &bloc_column(0, m))))
                        .collect()
                }),
                countries,
            }
        })
        .collect();
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objective_parses_and_rejects_unknown_terms() {
        let o = Objective::parse("alliance=1, eruption=-1,deaths=-0.001,cost=-0.1").unwrap();
        assert_eq!(o.weights[&Metric::Alliance], 1.0);
        assert_eq!(o.cost, -0.1);
        let e = Objective::parse("aliance=1").unwrap_err();
        assert!(e.contains("did you mean \"alliance\""), "{e}");
        assert!(Objective::parse("alliance").is_err());
        assert!(Objective::parse("alliance=x").is_err());
        assert!(Objective::parse("alliance=inf").is_err());
    }

    #[test]
    fn pairing_narrows_the_interval_of_correlated_samples() {
        let base: Vec<f64> = (0..100).map(|i| f64::from(i % 7)).collect();
        let a: Vec<f64> = base.iter().map(|x| x + 0.5).collect();
        let d = difference(&a, &base);
        assert!((d.mean - 0.5).abs() < 1e-12);
        assert!(
            d.paired[1] - d.paired[0] < 1e-9,
            "identical shifts: zero width"
        );
        assert!(d.unpaired[1] - d.unpaired[0] > 0.5);
    }
}
