//! A forecast: the ensemble of bloc runs, reduced as it streams in to probabilities with
//! intervals, date distributions and joint patterns. Its serialization is the JSON contract
//! of `bloc forecast --format json`.

use super::config::BlocScenario;
use super::outcome::{ClassMap, CountryRun, OutcomeClass};
use super::run::{BlocRun, WeekState};
use crate::runs::{KeepSeries, RunScenarios, run_bloc_ensemble_on};
use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use bloc_base::stats::{Band, VarianceSplit, band, quantile, variance_split, wilson_interval};
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
    /// Probability that the country is still a member of the alliance at the horizon.
    pub alliance_intact: f64,
    /// Its interval.
    pub alliance_intact_interval: [f64; 2],
    /// Probability that its alignment is at or above `alliance.intact_threshold` at the
    /// horizon (reported apart from membership: a government may stay in the alliance
    /// unaligned).
    pub aligned: f64,
    /// Its interval.
    pub aligned_interval: [f64; 2],
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
    /// With parameters drawn per run: each probability's variance split into its parameter
    /// and noise parts (`class name`, `party_in_power`, `alliance_intact`, `intervention`
    /// -> split; a key is missing where the split cannot be estimated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variance: Option<BTreeMap<String, VarianceSplit>>,
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
    /// The posterior each run drew its parameters from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posterior: Option<PosteriorMeta>,
}

/// Which posterior a forecast's runs drew their parameters from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PosteriorMeta {
    /// The posterior file (or the embedded one's name).
    pub file: String,
    /// Hash of the scenario the posterior was calibrated on.
    pub scenario_hash: String,
    /// The calibrated values' paths.
    pub parameters: Vec<String>,
    /// Particles in the posterior.
    pub particles: usize,
    /// Distinct particles the runs drew.
    pub distinct_draws: usize,
    /// The last tolerance of the calibration (`None`: generation 0, the prior).
    pub tolerance: Option<f64>,
}

/// Parameter vectors drawn per run: run `i` is simulated on `scenarios[of_run[i]]`.
#[derive(Debug, Clone)]
pub struct ParameterDraws {
    /// The scenario at each distinct parameter vector drawn.
    pub scenarios: Vec<BlocScenario>,
    /// Which of them each run uses (one entry per run).
    pub of_run: Vec<u32>,
}

impl ForecastMeta {
    /// The provenance of a forecast of `s` (as run, after overrides and events) with `runs`
    /// runs from `seed`; `events_files` and `overrides` name what was added to the file.
    pub fn new(
        s: &BlocScenario,
        runs: u64,
        seed: u64,
        events_files: Vec<String>,
        overrides: Vec<String>,
    ) -> Self {
        ForecastMeta {
            scenario: s.scenario.name.clone(),
            scenario_hash: s.hash(),
            start: s.scenario.start.clone(),
            weeks: s.scenario.weeks,
            runs,
            seed,
            version: bloc_base::VERSION.to_string(),
            rng: RNG_DESCRIPTION.to_string(),
            events_files,
            overrides,
            posterior: None,
        }
    }
}

/// How a bloc ensemble draws its random numbers, as its results' metadata say it.
pub const RNG_DESCRIPTION: &str = "ChaCha8 (rand_chacha 0.10.0, rand 0.10.4); stream = run index; \
                                   each country on the branch FNV-1a(id) | 1, the centre on branch 0";

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
    aligned: u64,
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
    forecast_on(s, None, plan, meta, observed, progress)
}

/// As [`run_forecast`], each run on its parameter draw of `draws` (its outcomes and people
/// reported on `s`, whose countries and calendar every draw shares), with each
/// probability's variance split into parameter and noise parts.
pub fn run_forecast_drawn(
    s: &BlocScenario,
    draws: &ParameterDraws,
    plan: &ForecastPlan,
    meta: ForecastMeta,
    observed: Option<&BTreeMap<String, OutcomeClass>>,
    progress: impl FnMut(u64),
) -> Result<Forecast, EnsembleError> {
    forecast_on(s, Some(draws), plan, meta, observed, progress)
}

fn forecast_on(
    s: &BlocScenario,
    draws: Option<&ParameterDraws>,
    plan: &ForecastPlan,
    meta: ForecastMeta,
    observed: Option<&BTreeMap<String, OutcomeClass>>,
    progress: impl FnMut(u64),
) -> Result<Forecast, EnsembleError> {
    let mut acc = Accumulator::new(s, plan);
    let (keep_bands, chosen) = (acc.keep_bands, acc.chosen.clone());
    let watch = KeepSeries(|i: u64| keep_bands || chosen.contains(&i));
    let on = match draws {
        Some(d) => {
            acc.groups = Some(&d.of_run);
            RunScenarios::Drawn {
                scenarios: &d.scenarios,
                of_run: &d.of_run,
            }
        }
        None => RunScenarios::One(s),
    };
    on.check(s, plan.ensemble.runs)?;
    run_bloc_ensemble_on(
        on,
        plan.ensemble,
        &watch,
        |i, run| acc.add(i, run),
        progress,
    )?;
    Ok(acc.finish(meta, observed, plan.ensemble.runs))
}

/// What a forecast keeps of its runs as they come in, in run order.
struct Accumulator<'a> {
    s: &'a BlocScenario,
    tallies: Vec<Tally>,
    /// Runs by the number of regimes fallen.
    fallen_counts: Vec<u64>,
    patterns: BTreeMap<Vec<OutcomeClass>, u64>,
    costs: Vec<f64>,
    keep_bands: bool,
    /// `[country][week][variable]` -> samples over runs, for the bands.
    band_samples: Vec<Vec<[Vec<f64>; 11]>>,
    /// The runs whose own trajectories are reported.
    chosen: Vec<u64>,
    chosen_rows: Vec<TrajectoryRow>,
    /// Population per country.
    people_per: Vec<f64>,
    /// The parameter draw of each run, when the runs draw their parameters.
    groups: Option<&'a [u32]>,
    /// `[country][run]` -> the run's binary outcomes ([`Outcomes`]), when they do.
    outcomes: Vec<Vec<Outcomes>>,
}

/// The outcomes of one country in one run whose probabilities a forecast reports with a
/// variance split: its class and three yes-or-no outcomes.
#[derive(Debug, Clone, Copy)]
struct Outcomes {
    class: OutcomeClass,
    party_in_power: bool,
    alliance_intact: bool,
    intervention: bool,
}

/// The yes-or-no outcomes whose probabilities are split beside the classes.
const SPLIT_OUTCOMES: [&str; 3] = ["party_in_power", "alliance_intact", "intervention"];

impl Outcomes {
    /// Whether the run has the outcome `name`: a class name or one of [`SPLIT_OUTCOMES`].
    fn has(&self, name: &str) -> bool {
        match name {
            "party_in_power" => self.party_in_power,
            "alliance_intact" => self.alliance_intact,
            "intervention" => self.intervention,
            class => self.class.name() == class,
        }
    }
}

/// Each probability's variance split over the runs' parameter draws `groups`.
fn variance_of(groups: &[u32], runs: &[Outcomes]) -> BTreeMap<String, VarianceSplit> {
    OutcomeClass::ALL
        .map(OutcomeClass::name)
        .into_iter()
        .chain(SPLIT_OUTCOMES)
        .filter_map(|name| {
            let y: Vec<f64> = runs
                .iter()
                .map(|o| f64::from(u8::from(o.has(name))))
                .collect();
            variance_split(groups, &y).map(|v| (name.to_string(), v))
        })
        .collect()
}

impl<'a> Accumulator<'a> {
    fn new(s: &'a BlocScenario, plan: &ForecastPlan) -> Self {
        let n = s.countries.len();
        let weeks = s.scenario.weeks as usize;
        let keep_bands = plan.series == SeriesRequest::Bands;
        let band_samples = if keep_bands {
            (0..n)
                .map(|_| (0..=weeks).map(|_| Default::default()).collect())
                .collect()
        } else {
            Vec::new()
        };
        let chosen = match &plan.series {
            SeriesRequest::Runs(r) => r.clone(),
            _ => Vec::new(),
        };
        Accumulator {
            s,
            tallies: (0..n).map(|_| Tally::default()).collect(),
            fallen_counts: vec![0u64; n + 1],
            patterns: BTreeMap::new(),
            costs: Vec::new(),
            keep_bands,
            band_samples,
            chosen,
            chosen_rows: Vec::new(),
            people_per: s
                .countries
                .iter()
                .map(|c| c.population.value as f64)
                .collect(),
            groups: None,
            outcomes: vec![Vec::new(); n],
        }
    }

    /// Counts run `i`.
    fn add(&mut self, i: u64, run: BlocRun) {
        let mut fallen = 0;
        let mut pattern = Vec::with_capacity(run.countries.len());
        for (c, r) in run.countries.iter().enumerate() {
            tally(&mut self.tallies[c], r);
            if self.groups.is_some() {
                self.outcomes[c].push(Outcomes {
                    class: r.class,
                    party_in_power: r.party_in_power,
                    alliance_intact: r.alliance_intact,
                    intervention: r.intervention,
                });
            }
            fallen += usize::from(r.fell_week.is_some() && !r.party_in_power);
            pattern.push(r.class);
        }
        self.fallen_counts[fallen] += 1;
        *self.patterns.entry(pattern).or_default() += 1;
        self.costs.push(run.cost);
        if let Some(series) = &run.series {
            self.add_series(i, &run, series);
        }
    }

    /// Keeps run `i`'s weekly values for the bands, and as rows if it is a chosen run.
    fn add_series(&mut self, i: u64, run: &BlocRun, series: &[Vec<WeekState>]) {
        let s = self.s;
        let chosen = self.chosen.contains(&i);
        for (c, weeks_of_c) in series.iter().enumerate() {
            let per = if run.countries[c].lattice_citizens == 0 {
                0.0
            } else {
                self.people_per[c] / f64::from(run.countries[c].lattice_citizens)
            };
            for (t, w) in weeks_of_c.iter().enumerate() {
                let v = week_values(w, per, s.report.deaths_per_killed.value);
                if self.keep_bands {
                    for (k, x) in v.iter().enumerate() {
                        self.band_samples[c][t][k].push(*x);
                    }
                }
                if chosen {
                    for (k, x) in v.iter().enumerate() {
                        self.chosen_rows.push(TrajectoryRow {
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

    /// The forecast of the `runs` runs counted.
    fn finish(
        self,
        meta: ForecastMeta,
        observed: Option<&BTreeMap<String, OutcomeClass>>,
        runs: u64,
    ) -> Forecast {
        let s = self.s;
        let countries = s
            .countries
            .iter()
            .zip(&self.tallies)
            .zip(&self.outcomes)
            .map(|((c, t), o)| {
                let mut f = country_forecast(s, &c.id, &c.name, t, runs);
                f.variance = self.groups.map(|g| variance_of(g, o));
                f
            })
            .collect();
        let total: u64 = self.fallen_counts.iter().sum();
        let regimes_fallen: Vec<f64> = self
            .fallen_counts
            .iter()
            .map(|&k| k as f64 / total.max(1) as f64)
            .collect();
        let regimes_fallen_mean = regimes_fallen
            .iter()
            .enumerate()
            .map(|(k, p)| k as f64 * p)
            .sum();
        let (patterns, observed_pattern) = joint_patterns(s, &self.patterns, observed, runs);
        let mut trajectories = self.chosen_rows;
        if self.keep_bands {
            trajectories.extend(band_rows(s, &self.band_samples));
        }
        Forecast {
            meta,
            countries,
            bloc: BlocForecast {
                regimes_fallen,
                regimes_fallen_mean,
                patterns,
                observed_pattern,
                cost: band(&self.costs),
            },
            trajectories,
        }
    }
}

/// The joint patterns of classes, most likely first (ties in pattern order), with the
/// observed one marked (and listed at 0 if no run had it), and the observed one's share.
fn joint_patterns(
    s: &BlocScenario,
    patterns: &BTreeMap<Vec<OutcomeClass>, u64>,
    observed: Option<&BTreeMap<String, OutcomeClass>>,
    runs: u64,
) -> (Vec<JointPattern>, Option<f64>) {
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
    (list, observed_pattern)
}

/// The weekly bands (mean, 5/50/95 % quantiles over runs) of every country and variable.
fn band_rows(s: &BlocScenario, band_samples: &[Vec<[Vec<f64>; 11]>]) -> Vec<TrajectoryRow> {
    let mut rows = Vec::new();
    for (c, per_week) in band_samples.iter().enumerate() {
        for (t, vars) in per_week.iter().enumerate() {
            for (k, sample) in vars.iter().enumerate() {
                let b = band(sample);
                rows.push(TrajectoryRow {
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
    rows
}

fn tally(t: &mut Tally, r: &CountryRun) {
    t.classes[r.class] += 1;
    t.in_power += u64::from(r.party_in_power);
    t.intact += u64::from(r.alliance_intact);
    t.aligned += u64::from(r.aligned);
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
    let aligned = Probability::of(t.aligned, runs);
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
        aligned: aligned.p,
        aligned_interval: interval(aligned),
        intervention: intervention.p,
        intervention_interval: interval(intervention),
        opposition_legalized: Probability::of(t.legalized, runs).p,
        first_concession: date_distribution(s, &t.concession_weeks, runs),
        regime_fall: date_distribution(s, &t.fall_weeks, runs),
        peak_protest: band(&t.peak),
        deaths: band(&t.deaths),
        emigrants: band(&t.emigrants),
        variance: None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rng_description_names_the_pinned_generator() {
        assert!(super::RNG_DESCRIPTION.starts_with(bloc_base::seeding::GENERATOR));
    }
}
