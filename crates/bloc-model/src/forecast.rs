//! A forecast: the ensemble of bloc runs, reduced as it streams in to probabilities with
//! intervals, date distributions and joint patterns. Its serialization is the JSON contract
//! of `bloc forecast --format json`.

use super::config::BlocScenario;
use super::outcome::{ClassMap, CountryRun, OutcomeClass};
use super::run::WeekState;
use crate::runs::{KeepSeries, run_bloc_ensemble};
use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use bloc_base::stats::{Band, band, quantile, wilson_interval};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which weekly series to keep.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SeriesRequest {
    /// None.
    #[default]
    None,
    /// Quantile bands over all runs.
    Bands,
    /// The series of these runs.
    Runs(Vec<u64>),
}

/// How to run a forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastPlan {
    /// Runs, seed, threads.
    pub ensemble: EnsemblePlan,
    /// Trajectories to keep.
    pub series: SeriesRequest,
}

/// A probability with its 95 % Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Probability {
    /// The share of runs.
    pub p: f64,
    /// Lower end of the 95 % interval.
    pub lo: f64,
    /// Upper end of the 95 % interval.
    pub hi: f64,
}

impl Probability {
    fn of(k: u64, n: u64) -> Self {
        let (lo, hi) = wilson_interval(k, n);
        Probability {
            p: if n == 0 { 0.0 } else { k as f64 / n as f64 },
            lo,
            hi,
        }
    }
}

/// The distribution of a date over the runs in which the event happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateDistribution {
    /// Share of runs in which it happened by the horizon.
    pub share: f64,
    /// Median date (empty if it never happened).
    pub median: String,
    /// 5 % quantile date.
    pub q05: String,
    /// 95 % quantile date.
    pub q95: String,
    /// Median week.
    pub median_week: Option<f64>,
}

/// The forecast for one country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryForecast {
    /// Country id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Probability of each outcome class.
    pub outcomes: ClassMap<f64>,
    /// 95 % intervals of the class probabilities: `class -> [lo, hi]`.
    pub outcome_intervals: BTreeMap<String, [f64; 2]>,
    /// Probability that the ruling party holds power at the horizon.
    pub party_in_power: f64,
    /// Its interval.
    pub party_in_power_interval: [f64; 2],
    /// Probability that the alliance is intact at the horizon.
    pub alliance_intact: f64,
    /// Its interval.
    pub alliance_intact_interval: [f64; 2],
    /// Probability of an intervention by the centre.
    pub intervention: f64,
    /// Probability that the opposition is legalized (the policy reaches `legalize_at`)
    /// while the party rules.
    pub opposition_legalized: f64,
    /// Its interval.
    pub intervention_interval: [f64; 2],
    /// Date of the first concession.
    pub first_concession: DateDistribution,
    /// Date of the regime's fall.
    pub regime_fall: DateDistribution,
    /// Peak weekly protest, people.
    pub peak_protest: Band,
    /// Deaths, people.
    pub deaths: Band,
    /// Emigrants, people.
    pub emigrants: Band,
}

/// One joint pattern of outcome classes across the allies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JointPattern {
    /// Classes in country order, e.g. `POL:leaps HUN:smooth ...`.
    pub pattern: String,
    /// Share of runs.
    pub p: f64,
    /// Whether this is the observed pattern given to the forecast.
    pub observed: bool,
}

/// Bloc-wide results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlocForecast {
    /// Share of runs with k regimes fallen by the horizon, k = 0..=countries.
    pub regimes_fallen: Vec<f64>,
    /// Mean number of regimes fallen.
    pub regimes_fallen_mean: f64,
    /// Joint patterns of outcome classes, most likely first (all that occurred, and the
    /// observed one).
    pub patterns: Vec<JointPattern>,
    /// Probability of the observed pattern, if one was given.
    pub observed_pattern: Option<f64>,
    /// The centre's lever cost per run.
    pub cost: Band,
}

/// Provenance of a forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastMeta {
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the scenario text as run (after overrides).
    pub scenario_hash: String,
    /// First day.
    pub start: String,
    /// Weeks simulated.
    pub weeks: u32,
    /// Number of runs.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// bloc version (`bloc_base::VERSION`).
    pub version: String,
    /// Random generator and its crate versions.
    pub rng: String,
    /// Events files replayed on top of the scenario.
    pub events_files: Vec<String>,
    /// Overrides given with --set.
    pub overrides: Vec<String>,
}

/// A quantile band of one variable in one week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrajectoryRow {
    /// Country id.
    pub country: String,
    /// Week.
    pub week: u32,
    /// Calendar date of the week's first day.
    pub date: String,
    /// Run index (for chosen runs), or `None` for bands over runs.
    pub run: Option<u64>,
    /// Variable name.
    pub variable: &'static str,
    /// Mean over runs (or the run's value).
    pub mean: f64,
    /// 5 % quantile.
    pub q05: f64,
    /// Median.
    pub q50: f64,
    /// 95 % quantile.
    pub q95: f64,
}

/// The whole forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Provenance.
    pub meta: ForecastMeta,
    /// Per country, in the scenario's order.
    pub countries: Vec<CountryForecast>,
    /// For the bloc as a whole.
    pub bloc: BlocForecast,
    /// Weekly trajectories, if asked for.
    #[serde(skip)]
    pub trajectories: Vec<TrajectoryRow>,
}

/// Names of the trajectory variables, in output order.
pub const TRAJECTORY_VARIABLES: [&str; 11] = [
    "protest",
    "actives",
    "jailed",
    "emigrants",
    "dead",
    "legitimacy",
    "policy",
    "belief",
    "alignment",
    "loyalty",
    "hardship",
];

/// A week's values in output order: protest, emigrants and deaths in people; actives and
/// jailed in lattice citizens; the rest on their own scales.
fn week_values(w: &WeekState, people_per_citizen: f64, deaths_per_killed: f64) -> [f64; 11] {
    [
        w.protest,
        f64::from(w.actives),
        f64::from(w.jailed),
        f64::from(w.emigrated) * people_per_citizen,
        f64::from(w.dead) * deaths_per_killed,
        w.legitimacy,
        w.policy,
        w.belief,
        w.alignment,
        w.loyalty,
        w.hardship,
    ]
}

fn date_distribution(s: &BlocScenario, weeks: &[f64], runs: u64) -> DateDistribution {
    let share = if runs == 0 {
        0.0
    } else {
        weeks.len() as f64 / runs as f64
    };
    if weeks.is_empty() {
        return DateDistribution {
            share,
            median: String::new(),
            q05: String::new(),
            q95: String::new(),
            median_week: None,
        };
    }
    let (m, lo, hi) = (
        quantile(weeks, 0.5),
        quantile(weeks, 0.05),
        quantile(weeks, 0.95),
    );
    DateDistribution {
        share,
        median: s.date_of_week(m),
        q05: s.date_of_week(lo),
        q95: s.date_of_week(hi),
        median_week: Some(m),
    }
}

/// Per-country accumulators.
#[derive(Default)]
struct Tally {
    classes: ClassMap<u64>,
    in_power: u64,
    intact: u64,
    intervention: u64,
    legalized: u64,
    concession_weeks: Vec<f64>,
    fall_weeks: Vec<f64>,
    peak: Vec<f64>,
    deaths: Vec<f64>,
    emigrants: Vec<f64>,
}

/// Runs the forecast. `observed` is the observed class per country id (for the joint
/// pattern), if known. `progress` gets the number of finished runs.
pub fn run_forecast(
    s: &BlocScenario,
    plan: &ForecastPlan,
    meta: ForecastMeta,
    observed: Option<&BTreeMap<String, OutcomeClass>>,
    progress: impl FnMut(u64),
) -> Result<Forecast, EnsembleError> {
    let n = s.countries.len();
    let mut tallies: Vec<Tally> = (0..n).map(|_| Tally::default()).collect();
    let mut fallen_counts = vec![0u64; n + 1];
    let mut patterns: BTreeMap<Vec<OutcomeClass>, u64> = BTreeMap::new();
    let mut costs = Vec::new();
    let weeks = s.scenario.weeks as usize;
    // Bands: values[country][week][variable] -> samples over runs.
    let keep_bands = plan.series == SeriesRequest::Bands;
    let mut band_samples: Vec<Vec<[Vec<f64>; 11]>> = if keep_bands {
        (0..n)
            .map(|_| (0..=weeks).map(|_| Default::default()).collect())
            .collect()
    } else {
        Vec::new()
    };
    let chosen: Vec<u64> = match &plan.series {
        SeriesRequest::Runs(r) => r.clone(),
        _ => Vec::new(),
    };
    let mut chosen_rows = Vec::new();
    let people_per: Vec<f64> = s
        .countries
        .iter()
        .map(|c| c.population.value as f64)
        .collect();
    let runs = plan.ensemble.runs;
    let watch = KeepSeries(|i: u64| keep_bands || chosen.contains(&i));
    run_bloc_ensemble(
        s,
        plan.ensemble,
        &watch,
        |i, run| {
            let mut fallen = 0;
            let mut pattern = Vec::with_capacity(n);
            for (c, r) in run.countries.iter().enumerate() {
                tally(&mut tallies[c], r);
                fallen += usize::from(r.fell_week.is_some() && !r.party_in_power);
                pattern.push(r.class);
            }
            fallen_counts[fallen] += 1;
            *patterns.entry(pattern).or_default() += 1;
            costs.push(run.cost);
            if let Some(series) = run.series {
                for (c, weeks_of_c) in series.iter().enumerate() {
                    let per = if run.countries[c].lattice_citizens == 0 {
                        0.0
                    } else {
                        people_per[c] / f64::from(run.countries[c].lattice_citizens)
                    };
                    for (t, w) in weeks_of_c.iter().enumerate() {
                        let v = week_values(w, per, s.report.deaths_per_killed.value);
                        if keep_bands {
                            for (k, x) in v.iter().enumerate() {
                                band_samples[c][t][k].push(*x);
                            }
                        }
                        if chosen.contains(&i) {
                            for (k, x) in v.iter().enumerate() {
                                chosen_rows.push(TrajectoryRow {
                                    country: s.countries[c].id.clone(),
                                    week: t as u32,
                                    date: s.date_of_week(t as f64),
                                    run: Some(i),
                                    variable: TRAJECTORY_VARIABLES[k],
                                    mean: *x,
                                    q05: *x,
                                    q50: *x,
                                    q95: *x,
                                });
                            }
                        }
                    }
                }
            }
        },
        progress,
    )?;
    let countries = s
        .countries
        .iter()
        .zip(&tallies)
        .map(|(c, t)| country_forecast(s, &c.id, &c.name, t, runs))
        .collect();
    let total: u64 = fallen_counts.iter().sum();
    let regimes_fallen: Vec<f64> = fallen_counts
        .iter()
        .map(|&k| k as f64 / total.max(1) as f64)
        .collect();
    let regimes_fallen_mean = regimes_fallen
        .iter()
        .enumerate()
        .map(|(k, p)| k as f64 * p)
        .sum();
    let observed_key: Option<Vec<OutcomeClass>> = observed.and_then(|o| {
        s.countries
            .iter()
            .map(|c| o.get(&c.id).copied())
            .collect::<Option<Vec<_>>>()
    });
    let name = |p: &[OutcomeClass]| {
        s.countries
            .iter()
            .zip(p)
            .map(|(c, k)| format!("{}:{}", c.id, k.name()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut list: Vec<JointPattern> = patterns
        .iter()
        .map(|(p, &k)| JointPattern {
            pattern: name(p),
            p: k as f64 / runs.max(1) as f64,
            observed: observed_key.as_deref() == Some(p.as_slice()),
        })
        .collect();
    if let Some(key) = &observed_key
        && !patterns.contains_key(key)
    {
        list.push(JointPattern {
            pattern: name(key),
            p: 0.0,
            observed: true,
        });
    }
    // Most likely first; ties in pattern order (stable sort keeps the BTreeMap order).
    list.sort_by(|a, b| b.p.total_cmp(&a.p));
    let observed_pattern = observed_key
        .as_ref()
        .map(|k| patterns.get(k).copied().unwrap_or(0) as f64 / runs.max(1) as f64);
    let mut trajectories = chosen_rows;
    if keep_bands {
        for (c, per_week) in band_samples.iter().enumerate() {
            for (t, vars) in per_week.iter().enumerate() {
                for (k, sample) in vars.iter().enumerate() {
                    let b = band(sample);
                    trajectories.push(TrajectoryRow {
                        country: s.countries[c].id.clone(),
                        week: t as u32,
                        date: s.date_of_week(t as f64),
                        run: None,
                        variable: TRAJECTORY_VARIABLES[k],
                        mean: b.mean,
                        q05: b.q05,
                        q50: b.q50,
                        q95: b.q95,
                    });
                }
            }
        }
    }
    Ok(Forecast {
        meta,
        countries,
        bloc: BlocForecast {
            regimes_fallen,
            regimes_fallen_mean,
            patterns: list,
            observed_pattern,
            cost: band(&costs),
        },
        trajectories,
    })
}

fn tally(t: &mut Tally, r: &CountryRun) {
    t.classes[r.class] += 1;
    t.in_power += u64::from(r.party_in_power);
    t.intact += u64::from(r.alliance_intact);
    t.intervention += u64::from(r.intervention);
    t.legalized += u64::from(r.legalized_week.is_some());
    if let Some(w) = r.first_concession_week {
        t.concession_weeks.push(w as f64);
    }
    if let Some(w) = r.fell_week
        && !r.party_in_power
    {
        t.fall_weeks.push(w as f64);
    }
    t.peak.push(r.peak_protest);
    t.deaths.push(r.deaths);
    t.emigrants.push(r.emigrants);
}

fn interval(p: Probability) -> [f64; 2] {
    [p.lo, p.hi]
}

fn country_forecast(
    s: &BlocScenario,
    id: &str,
    name: &str,
    t: &Tally,
    runs: u64,
) -> CountryForecast {
    let class = |c: OutcomeClass| Probability::of(t.classes[c], runs);
    let outcome_intervals = OutcomeClass::ALL
        .iter()
        .map(|&c| (c.name().to_string(), interval(class(c))))
        .collect();
    let in_power = Probability::of(t.in_power, runs);
    let intact = Probability::of(t.intact, runs);
    let intervention = Probability::of(t.intervention, runs);
    CountryForecast {
        id: id.to_string(),
        name: name.to_string(),
        outcomes: ClassMap::from_fn(|c| class(c).p),
        outcome_intervals,
        party_in_power: in_power.p,
        party_in_power_interval: interval(in_power),
        alliance_intact: intact.p,
        alliance_intact_interval: interval(intact),
        intervention: intervention.p,
        intervention_interval: interval(intervention),
        opposition_legalized: Probability::of(t.legalized, runs).p,
        first_concession: date_distribution(s, &t.concession_weeks, runs),
        regime_fall: date_distribution(s, &t.fall_weeks, runs),
        peak_protest: band(&t.peak),
        deaths: band(&t.deaths),
        emigrants: band(&t.emigrants),
    }
}
