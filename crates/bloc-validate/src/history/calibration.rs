//! The history suite as a calibration problem (docs/calibration.md, written before the first
//! run): the flagship's values that carry a prior are the parameters; one simulation of the
//! record runs every crisis case `runs_per_case` times and every calm start once; its summary
//! statistics are each case's class shares, intervention and party-in-power shares and each
//! calm start's crisis onsets; [`HistoryDistance`] compares them with the record.
//!
//! Each case's legitimacy is derived once by the calm-start rule at the flagship's own values
//! and held at every parameter vector (docs/calibration.md says why and how it is checked).

use super::data::{self, Crisis};
use super::{HistoryError, calm, cases, read_case};
use bloc_base::ensemble::EnsembleError;
use bloc_base::seeding::{SimRng, run_rng};
use bloc_calibrate::prior::{Parameter, PriorError};
use bloc_calibrate::smc::{Distance, Model};
use bloc_model::calm_start;
use bloc_model::case::HistoryCase;
use bloc_model::overrides::scenario_with;
use bloc_model::parameters::{ValueKind, sourced_values};
use bloc_model::run::Simulation;
use bloc_model::sourced::Fraction;
use bloc_model::{BlocScenario, OutcomeClass};
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// Runs per crisis case in one simulation of the record, by default.
pub const RUNS_PER_CASE: u64 = 2;
/// Runs per calm start in one simulation of the record.
pub const CALM_RUNS: u64 = 1;
/// Statistics per case: the class shares, intervention, party in power.
const PER_CASE: usize = OutcomeClass::COUNT + 2;

/// Why the problem cannot be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalibrationError {
    /// The suite could not run.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// A value's prior does not fit it (the file's checks prevent this).
    #[error("{path}: {source}")]
    Prior {
        /// The value.
        path: String,
        /// Why.
        source: PriorError,
    },
    /// The scenario has no value with a prior.
    #[error("no value of the scenario carries a prior, so there is nothing to calibrate")]
    NoPriors,
}

impl From<EnsembleError> for CalibrationError {
    fn from(e: EnsembleError) -> Self {
        Self::History(HistoryError::Ensemble(e))
    }
}

/// One case or calm start, with the legitimacy it keeps at every parameter vector.
#[derive(Debug, Clone)]
struct Prepared {
    id: String,
    case: HistoryCase,
    scored: usize,
    legitimacy: Vec<Fraction>,
}

/// The design of the problem as the posterior file records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// Runs per crisis case in one simulation of the record.
    pub runs_per_case: u64,
    /// Runs per calm start.
    pub calm_runs: u64,
    /// The crisis cases, in order, with the scored country's legitimacy held.
    pub cases: Vec<(String, f64)>,
    /// The calm starts, in order, with the country's legitimacy held.
    pub calm: Vec<(String, f64)>,
    /// The calibrated values' paths, in order.
    pub paths: Vec<String>,
}

/// The calibration problem of the history suite.
#[derive(Debug, Clone)]
pub struct HistoryProblem {
    text: String,
    parameters: Vec<(String, ValueKind, Parameter)>,
    cases: Vec<(Prepared, Crisis)>,
    calm: Vec<(Prepared, f64)>,
    runs_per_case: u64,
}

/// Derives a case's legitimacy at `base` by the calm-start rule.
fn prepare(
    id: &str,
    text: &str,
    base: &BlocScenario,
    threads: usize,
) -> Result<Prepared, CalibrationError> {
    let case = read_case(id, text)?;
    let mut s = case.to_scenario(base);
    calm_start::apply(&mut s, threads)?;
    Ok(Prepared {
        id: id.to_string(),
        scored: case.scored_index().unwrap_or(0),
        legitimacy: s.countries.iter().map(|c| c.legitimacy.clone()).collect(),
        case,
    })
}

/// The values of `s` with a prior, as calibration parameters.
fn parameters(s: &BlocScenario) -> Result<Vec<(String, ValueKind, Parameter)>, CalibrationError> {
    sourced_values(s)
        .into_iter()
        .filter_map(|v| v.prior.map(|p| (v, p)))
        .map(|(v, p)| {
            Parameter::new(&v.path, p, v.kind.bounds())
                .map(|par| (v.path.clone(), v.kind, par))
                .map_err(|source| CalibrationError::Prior {
                    path: v.path,
                    source,
                })
        })
        .collect()
}

impl HistoryProblem {
    /// Sets the problem up on the scenario `text` (the flagship or a file in its format):
    /// reads the record and derives every case's legitimacy (about 27 calm-start searches);
    /// `progress` is told how many of them are done.
    pub fn new(
        text: &str,
        runs_per_case: u64,
        threads: usize,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<Self, CalibrationError> {
        let base = BlocScenario::from_toml(text).map_err(|d| HistoryError::Case {
            id: "scenario".to_string(),
            message: d.iter().next().map(|x| x.summary()).unwrap_or_default(),
        })?;
        let parameters = parameters(&base)?;
        if parameters.is_empty() {
            return Err(CalibrationError::NoPriors);
        }
        let record = data::crises().map_err(HistoryError::from)?;
        let panel = data::panel_hazard().map_err(HistoryError::from)?;
        let total = (cases::CASES.len() + cases::CALM.len()) as u64;
        let mut done = 0;
        let mut out = Self {
            text: text.to_string(),
            parameters,
            cases: Vec::with_capacity(cases::CASES.len()),
            calm: Vec::with_capacity(cases::CALM.len()),
            runs_per_case,
        };
        for (id, t) in cases::CASES {
            progress(done, total);
            let row = record.iter().find(|c| c.id == *id).cloned();
            let row = row.ok_or_else(|| HistoryError::Case {
                id: id.to_string(),
                message: "no row of the record".to_string(),
            })?;
            out.cases.push((prepare(id, t, &base, threads)?, row));
            done += 1;
        }
        for (id, t) in cases::CALM {
            progress(done, total);
            let p = panel.get(*id).copied().ok_or_else(|| HistoryError::Case {
                id: id.to_string(),
                message: "no hazard in the record's panel".to_string(),
            })?;
            out.calm.push((prepare(id, t, &base, threads)?, p));
            done += 1;
        }
        progress(total, total);
        Ok(out)
    }

    /// Runs of each crisis case in one simulation of the record.
    pub fn runs_per_case(&self) -> u64 {
        self.runs_per_case
    }

    /// The record's row of each crisis case, in order.
    pub fn records(&self) -> Vec<Crisis> {
        self.cases.iter().map(|(_, c)| c.clone()).collect()
    }

    /// The crisis cases' ids, in order.
    pub fn case_ids(&self) -> Vec<String> {
        self.cases.iter().map(|(p, _)| p.id.clone()).collect()
    }

    /// The problem without crisis case `id` (its fold of leave-one-crisis-out: the other
    /// cases and every calm start); `None` if it has no such case.
    #[must_use]
    pub fn without(&self, id: &str) -> Option<Self> {
        let at = self.cases.iter().position(|(p, _)| p.id == id)?;
        let mut out = self.clone();
        out.cases.remove(at);
        Some(out)
    }

    /// The problem of crisis case `id` alone (no other case, no calm start), to simulate
    /// its predictive forecast; `None` if it has no such case.
    #[must_use]
    pub fn only(&self, id: &str) -> Option<Self> {
        let case = self.cases.iter().find(|(p, _)| p.id == id)?.clone();
        Some(Self {
            text: self.text.clone(),
            parameters: self.parameters.clone(),
            cases: vec![case],
            calm: Vec::new(),
            runs_per_case: self.runs_per_case,
        })
    }

    /// The parameters with their priors, in file order.
    pub fn parameters(&self) -> Vec<Parameter> {
        self.parameters.iter().map(|(_, _, p)| p.clone()).collect()
    }

    /// The design, as the posterior file records it.
    pub fn design(&self) -> Design {
        let held = |p: &Prepared| (p.id.clone(), p.legitimacy[p.scored].value);
        Design {
            runs_per_case: self.runs_per_case,
            calm_runs: CALM_RUNS,
            cases: self.cases.iter().map(|(p, _)| held(p)).collect(),
            calm: self.calm.iter().map(|(p, _)| held(p)).collect(),
            paths: self.parameters.iter().map(|(p, _, _)| p.clone()).collect(),
        }
    }

    /// The names of the summary statistics, in order.
    pub fn statistic_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (p, _) in &self.cases {
            for c in OutcomeClass::ALL {
                out.push(format!("{}.{}", p.id, c.name()));
            }
            out.push(format!("{}.intervention", p.id));
            out.push(format!("{}.party_in_power", p.id));
        }
        for (p, _) in &self.calm {
            out.push(format!("calm.{}.onsets", p.id));
        }
        out
    }

    /// Weeks one calm start simulates in one simulation of the record.
    fn calm_weeks(p: &Prepared) -> f64 {
        (CALM_RUNS * u64::from(p.case.scenario.weeks)) as f64
    }

    /// The observed statistics: the record's class (main coding, one-hot), intervention and
    /// party in power per case; the panel's expected onsets per calm start.
    pub fn observed(&self) -> Vec<f64> {
        let mut out = Vec::new();
        for (_, c) in &self.cases {
            out.extend(OutcomeClass::ALL.map(|k| f64::from(u8::from(k == c.class))));
            out.push(f64::from(u8::from(c.intervention)));
            out.push(f64::from(u8::from(c.party_in_power)));
        }
        for (p, hazard) in &self.calm {
            out.push(hazard * Self::calm_weeks(p));
        }
        out
    }

    /// The distance of docs/calibration.md.
    pub fn distance(&self) -> HistoryDistance {
        HistoryDistance {
            observed: self.observed(),
            cases: self.cases.len(),
        }
    }

    /// The scenario at parameter vector `theta`: the text with each value set, read with every
    /// check of a file.
    pub fn scenario_at(&self, theta: &[f64]) -> Result<BlocScenario, String> {
        let set: Vec<String> = self
            .parameters
            .iter()
            .zip(theta)
            .map(|((path, kind, _), v)| format!("{path}={}", kind.literal(*v)))
            .collect();
        scenario_with(&self.text, &set)
    }

    /// One simulation of the record on `base` with the runs' master seed `seed`.
    pub fn simulate_on(&self, base: &BlocScenario, seed: u64) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.cases.len() * PER_CASE + self.calm.len());
        for (k, (p, _)) in self.cases.iter().enumerate() {
            let s = p.scenario(base);
            let mut shares = [0.0; PER_CASE];
            for r in 0..self.runs_per_case {
                let i = k as u64 * self.runs_per_case + r;
                let mut sim = Simulation::on_stream(&s, seed, i, run_rng(seed, i), false);
                sim.run_from(0, &mut ());
                let run = sim.finish();
                let c = &run.countries[p.scored];
                shares[c.class.index()] += 1.0;
                shares[OutcomeClass::COUNT] += f64::from(u8::from(c.intervention));
                shares[OutcomeClass::COUNT + 1] += f64::from(u8::from(c.party_in_power));
            }
            out.extend(shares.map(|x| x / self.runs_per_case as f64));
        }
        let first_calm = (self.cases.len() as u64) * self.runs_per_case;
        for (k, (p, _)) in self.calm.iter().enumerate() {
            let s = p.scenario(base);
            let mut onsets = 0;
            for r in 0..CALM_RUNS {
                let i = first_calm + k as u64 * CALM_RUNS + r;
                let mut sim = Simulation::on_stream(&s, seed, i, run_rng(seed, i), false);
                let mut o = calm::Onsets::new(p.scored);
                bloc_model::run::Observer::start(&mut o, &sim);
                sim.run_from(0, &mut o);
                onsets += o.onsets();
            }
            out.push(onsets as f64);
        }
        out
    }
}

impl Prepared {
    /// The case on `base`'s mechanisms with its held legitimacy.
    fn scenario(&self, base: &BlocScenario) -> BlocScenario {
        let mut s = self.case.to_scenario(base);
        for (c, l) in s.countries.iter_mut().zip(&self.legitimacy) {
            c.legitimacy = l.clone();
        }
        s
    }
}

impl Model for HistoryProblem {
    /// A parameter vector the file's checks refuse (none inside the priors' supports should
    /// be) gives NaN statistics, which never match.
    fn simulate(&self, theta: &[f64], rng: &mut SimRng) -> Vec<f64> {
        let seed: u64 = rng.random();
        match self.scenario_at(theta) {
            Ok(s) => self.simulate_on(&s, seed),
            Err(_) => vec![f64::NAN; self.cases.len() * PER_CASE + self.calm.len()],
        }
    }
}

/// The distance of docs/calibration.md: the mean of four terms in [0, 1] (class, intervention,
/// party in power, calm hazard).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryDistance {
    /// The observed statistics ([`HistoryProblem::observed`]).
    pub observed: Vec<f64>,
    /// How many of them are crisis cases (the rest are calm starts).
    pub cases: usize,
}

impl HistoryDistance {
    /// The four terms: class (half the Brier score), intervention, party in power, calm.
    /// Statistics of the wrong length give infinite terms.
    pub fn terms(&self, sim: &[f64]) -> [f64; 4] {
        if sim.len() != self.observed.len() || self.observed.len() < self.cases * PER_CASE {
            return [f64::INFINITY; 4];
        }
        let n = self.cases.max(1) as f64;
        let (mut class, mut intervention, mut party) = (0.0, 0.0, 0.0);
        for k in 0..self.cases {
            let (o, s) = (&self.observed[k * PER_CASE..], &sim[k * PER_CASE..]);
            class += 0.5
                * (0..OutcomeClass::COUNT)
                    .map(|c| (s[c] - o[c]) * (s[c] - o[c]))
                    .sum::<f64>();
            let sq = |j: usize| (s[j] - o[j]) * (s[j] - o[j]);
            intervention += sq(OutcomeClass::COUNT);
            party += sq(OutcomeClass::COUNT + 1);
        }
        let calm_at = self.cases * PER_CASE;
        let calm: Vec<f64> = self.observed[calm_at..]
            .iter()
            .zip(&sim[calm_at..])
            .map(|(mu, n)| (libm::log((n + 0.5) / (mu + 0.5)).abs() / libm::log(10.0)).min(1.0))
            .collect();
        let calm_mean = calm.iter().sum::<f64>() / calm.len().max(1) as f64;
        [class / n, intervention / n, party / n, calm_mean]
    }
}

impl Distance for HistoryDistance {
    fn distance(&self, simulated: &[f64]) -> f64 {
        if simulated.len() != self.observed.len() || simulated.iter().any(|x| !x.is_finite()) {
            return f64::INFINITY;
        }
        self.terms(simulated).iter().sum::<f64>() / 4.0
    }
}

/// What a calibration writes (as its checkpoint after every generation, and at the end): the
/// state of ABC-SMC (particles, weights, distances, statistics, the priors, the settings, the
/// tolerance schedule and effective sample sizes) with what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PosteriorFile {
    /// Always [`POSTERIOR_FORMAT`].
    pub format: String,
    /// The bloc version that wrote it.
    pub bloc_version: String,
    /// Hash of the calibrated scenario as read (before any parameter was set).
    pub scenario_hash: String,
    /// The problem's design (runs, cases, held legitimacy, parameter paths).
    pub design: Design,
    /// Names of the summary statistics.
    pub statistics: Vec<String>,
    /// The observed statistics.
    pub observed: Vec<f64>,
    /// The distance, as docs/calibration.md defines it.
    pub distance: String,
    /// The calibration's state.
    pub state: bloc_calibrate::smc::State,
}

/// The `format` of a posterior file.
pub const POSTERIOR_FORMAT: &str = "bloc-posterior/1";

/// The distance's description in a posterior file.
pub const DISTANCE: &str = "(C + I + P + H) / 4: class half-Brier, intervention and party-in-power \
     squared errors, calm onsets' |ln((n + 1/2) / (mu + 1/2))| / ln 10 capped at 1 \
     (docs/calibration.md)";

impl HistoryProblem {
    /// A posterior file of `state` on this problem, for the scenario of hash `scenario_hash`.
    pub fn file(&self, scenario_hash: &str, state: bloc_calibrate::smc::State) -> PosteriorFile {
        PosteriorFile {
            format: POSTERIOR_FORMAT.to_string(),
            bloc_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_hash: scenario_hash.to_string(),
            design: self.design(),
            statistics: self.statistic_names(),
            observed: self.observed(),
            distance: DISTANCE.to_string(),
            state,
        }
    }
}

/// The stream branch of posterior predictive draws ("ppc").
pub const PREDICTIVE_BRANCH: u64 = 0x0070_7063;

/// Predictive simulations of the record: `draws` parameter vectors, each simulated once
/// (every case `runs_per_case` times, every calm start once), in draw order. Draw `d`'s
/// parameters come from `theta(d, rng)` and its runs' master seed from the same stream.
pub fn predictive_statistics(
    problem: &HistoryProblem,
    draws: usize,
    seed: u64,
    theta: impl Fn(usize, &mut SimRng) -> Vec<f64> + Sync,
) -> Vec<Vec<f64>> {
    use rayon::prelude::*;
    (0..draws)
        .into_par_iter()
        .map(|d| {
            let mut rng = bloc_base::seeding::branch_rng(seed, d as u64, PREDICTIVE_BRANCH);
            let x = theta(d, &mut rng);
            problem.simulate(&x, &mut rng)
        })
        .collect()
}

/// Whether `value` lies between the 5 % and 95 % quantiles of column `at` over the draws.
fn inside_quantiles(stats: &[Vec<f64>], at: usize, value: f64) -> bool {
    let xs: Vec<f64> = stats.iter().map(|s| s[at]).collect();
    let w = vec![1.0; xs.len()];
    let q = |l| bloc_calibrate::smc::weighted_quantile(&xs, &w, l);
    q(0.05) <= value && value <= q(0.95)
}

/// A draw from a posterior file's last population (by weight).
pub fn posterior_draw(file: &PosteriorFile, rng: &mut SimRng) -> Vec<f64> {
    let p = &file.state.population;
    let u: f64 = rng.random();
    if p.particles.is_empty() {
        return Vec::new();
    }
    p.particles[bloc_calibrate::smc::pick(&p.weights, u)].clone()
}

/// A posterior (or prior) predictive check of one case: the predictive probability of each
/// class, of the observed class, of intervention and of the party in power, and whether
/// each observed value lies inside the central 90 % predictive interval of one run's
/// outcome (its predictive probability at least 5 %).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseCheck {
    /// The crisis.
    pub id: String,
    /// The observed class (main coding).
    pub observed: OutcomeClass,
    /// Predictive probability of each class, in [`OutcomeClass::ALL`] order.
    pub classes: Vec<f64>,
    /// Predictive probability of the observed class, intervention record, party record.
    pub p_observed: [f64; 3],
    /// Whether each lies inside the 90 % predictive interval of one run's outcome (its
    /// predictive probability at least 5 %).
    pub inside: [bool; 3],
    /// Whether each observed value (1 for the observed class, the record's 0 or 1) lies
    /// between the 5 % and 95 % quantiles of its share over the draws (each draw's share of
    /// `runs_per_case` runs): the definition docs/calibration.md fixed before the first run.
    pub share_inside: [bool; 3],
}

/// A predictive check of one calm start: the 5 % and 95 % predictive quantiles of its onsets
/// in one run against the panel's expected onsets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalmCheck {
    /// The country.
    pub id: String,
    /// The panel's expected onsets over one run's weeks.
    pub expected: f64,
    /// Predictive mean of the onsets.
    pub mean: f64,
    /// The 90 % predictive interval.
    pub interval: (f64, f64),
    /// Whether the expected onsets lie inside it.
    pub inside: bool,
}

/// The predictive checks and the history suite's scores of the predictive forecast.
#[derive(Debug, Clone, Serialize)]
pub struct PredictiveCheck {
    /// Parameter draws.
    pub draws: usize,
    /// Per case.
    pub cases: Vec<CaseCheck>,
    /// Per calm start.
    pub calm: Vec<CalmCheck>,
    /// Share of the case patterns (3 per case) and calm hazards inside their one-run
    /// intervals.
    pub coverage: f64,
    /// The pre-registered coverage: per pattern (class, intervention, party in power), the
    /// share of cases whose observed value lies inside the 90 % interval of its share.
    pub share_coverage: [f64; 3],
    /// Cases with all three patterns inside by that definition.
    pub cases_inside: usize,
    /// The suite's scores of the predictive class forecast (main coding).
    pub scores: super::suite::SuiteScore,
    /// The predictive forecast of each case as run counts (draws × runs per case), which
    /// the scores read.
    #[serde(skip)]
    pub forecasts: Vec<super::suite::CaseForecast>,
}

impl HistoryProblem {
    /// Checks predictive statistics (from [`predictive_statistics`]) against the record.
    pub fn check(&self, stats: &[Vec<f64>]) -> PredictiveCheck {
        let n = stats.len().max(1) as f64;
        let mean_at = |i: usize| stats.iter().map(|s| s[i]).sum::<f64>() / n;
        let mut cases = Vec::new();
        let mut forecasts = Vec::new();
        for (k, (p, c)) in self.cases.iter().enumerate() {
            let at = k * PER_CASE;
            let classes: Vec<f64> = (0..OutcomeClass::COUNT).map(|j| mean_at(at + j)).collect();
            let (pi, pp) = (
                mean_at(at + OutcomeClass::COUNT),
                mean_at(at + OutcomeClass::COUNT + 1),
            );
            let of = |p: f64, record: bool| if record { p } else { 1.0 - p };
            let p_observed = [
                classes[c.class.index()],
                of(pi, c.intervention),
                of(pp, c.party_in_power),
            ];
            let runs = (stats.len() as u64) * self.runs_per_case;
            let count = |x: f64| (x * runs as f64).round() as u64;
            let mut counts = bloc_model::ClassMap::<u64>::default();
            for (j, class) in OutcomeClass::ALL.iter().enumerate() {
                counts[*class] = count(classes[j]);
            }
            forecasts.push(super::suite::CaseForecast {
                id: p.id.clone(),
                country: p.case.case.country.clone(),
                legitimacy: p.legitimacy[p.scored].value,
                rate_below: None,
                runs,
                classes: counts,
                party_in_power: count(pp),
                // Not simulated here: in every pre-1989 case alliance intact equals party
                // in power (docs/calibration.md), and the scores read it only for its own
                // Brier score, which the check does not report.
                alliance_intact: count(pp),
                intervention: count(pi),
            });
            let record = [
                1.0,
                f64::from(u8::from(c.intervention)),
                f64::from(u8::from(c.party_in_power)),
            ];
            let columns = [
                at + c.class.index(),
                at + OutcomeClass::COUNT,
                at + OutcomeClass::COUNT + 1,
            ];
            let share_inside = [0, 1, 2].map(|j| inside_quantiles(stats, columns[j], record[j]));
            cases.push(CaseCheck {
                id: p.id.clone(),
                observed: c.class,
                classes,
                p_observed,
                inside: p_observed.map(|x| x >= 0.05),
                share_inside,
            });
        }
        let calm_at = self.cases.len() * PER_CASE;
        let calm: Vec<CalmCheck> = self
            .calm
            .iter()
            .enumerate()
            .map(|(j, (p, hazard))| {
                let xs: Vec<f64> = stats.iter().map(|s| s[calm_at + j]).collect();
                let w = vec![1.0; xs.len()];
                let q = |l| bloc_calibrate::smc::weighted_quantile(&xs, &w, l);
                let expected = hazard * Self::calm_weeks(p);
                let interval = (q(0.05), q(0.95));
                CalmCheck {
                    id: p.id.clone(),
                    expected,
                    mean: mean_at(calm_at + j),
                    interval,
                    inside: interval.0 <= expected && expected <= interval.1,
                }
            })
            .collect();
        let inside = cases.iter().flat_map(|c| c.inside).filter(|&b| b).count()
            + calm.iter().filter(|c| c.inside).count();
        let total = 3 * cases.len() + calm.len();
        let record: Vec<Crisis> = self.cases.iter().map(|(_, c)| c.clone()).collect();
        let share_coverage = [0, 1, 2].map(|j| {
            cases.iter().filter(|c| c.share_inside[j]).count() as f64 / cases.len().max(1) as f64
        });
        PredictiveCheck {
            share_coverage,
            cases_inside: cases
                .iter()
                .filter(|c| c.share_inside.iter().all(|&b| b))
                .count(),
            draws: stats.len(),
            coverage: inside as f64 / total.max(1) as f64,
            scores: super::suite::score(&forecasts, &record, false),
            forecasts,
            cases,
            calm,
        }
    }

    /// The calm-start legitimacy of every case and calm start recomputed at `theta`, beside
    /// the value held: (id, held, recomputed).
    pub fn legitimacy_at(
        &self,
        theta: &[f64],
        threads: usize,
    ) -> Result<Vec<(String, f64, f64)>, CalibrationError> {
        let base = self
            .scenario_at(theta)
            .map_err(|message| HistoryError::Case {
                id: "scenario".to_string(),
                message,
            })?;
        let all = self
            .cases
            .iter()
            .map(|(p, _)| p)
            .chain(self.calm.iter().map(|(p, _)| p));
        let mut out = Vec::new();
        for p in all {
            let s = p.case.to_scenario(&base);
            let derived = calm_start::derive(&s, threads)?;
            out.push((
                p.id.clone(),
                p.legitimacy[p.scored].value,
                derived[p.scored].legitimacy,
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first three crises and two calm starts, legitimacy as the case files give it (no
    /// calm-start search: the folds' bookkeeping does not depend on it).
    fn small_problem() -> HistoryProblem {
        let base = BlocScenario::eastern_europe_1989();
        let record = data::crises().expect("the record");
        let prepared = |id: &str, text: &str| {
            let case = read_case(id, text).expect("the case");
            let s = case.to_scenario(&base);
            Prepared {
                id: id.to_string(),
                scored: case.scored_index().unwrap_or(0),
                legitimacy: s.countries.iter().map(|c| c.legitimacy.clone()).collect(),
                case,
            }
        };
        let row = |id: &str| record.iter().find(|c| c.id == id).expect("row").clone();
        HistoryProblem {
            text: bloc_model::EASTERN_EUROPE_1989_TOML.to_string(),
            parameters: parameters(&base).expect("priors"),
            cases: cases::CASES[..3]
                .iter()
                .map(|(id, t)| (prepared(id, t), row(id)))
                .collect(),
            calm: cases::CALM[..2]
                .iter()
                .map(|(id, t)| (prepared(id, t), 0.001))
                .collect(),
            runs_per_case: 2,
        }
    }

    #[test]
    fn a_fold_leaves_out_exactly_its_crisis_and_the_held_out_problem_holds_only_it() {
        let p = small_problem();
        let ids = p.case_ids();
        assert_eq!(ids.len(), 3);
        for id in &ids {
            let train = p.without(id).expect("a fold");
            let kept = train.case_ids();
            assert_eq!(kept.len(), 2);
            assert!(!kept.contains(id), "{id} still in its own fold");
            // Every calm start stays; the statistics shrink by one case.
            assert_eq!(train.observed().len(), 2 * PER_CASE + 2);
            assert_eq!(train.records().len(), 2);
            let held = p.only(id).expect("the held-out case");
            assert_eq!(held.case_ids(), vec![id.clone()]);
            assert_eq!(held.observed().len(), PER_CASE);
            assert_eq!(held.records()[0].id, *id);
        }
        assert!(p.without("XXX1999").is_none());
        assert!(p.only("XXX1999").is_none());
    }

    fn distance() -> HistoryDistance {
        // Two cases (suppression with intervention; stable without), one calm start
        // expecting 1 onset.
        let mut observed = vec![0.0; 2 * PER_CASE + 1];
        observed[2] = 1.0;
        observed[5] = 1.0;
        observed[6] = 1.0;
        observed[PER_CASE + 4] = 1.0;
        observed[PER_CASE + 6] = 1.0;
        observed[2 * PER_CASE] = 1.0;
        HistoryDistance { observed, cases: 2 }
    }

    #[test]
    fn the_distance_is_zero_on_the_record_and_its_terms_are_as_documented() {
        let d = distance();
        assert_eq!(d.distance(&d.observed.clone()), 0.0);
        // Every run of the first case stable instead of suppression, no intervention;
        // the calm start with ten times the onsets... 10.5 / 1.5 = 7: ln 7 / ln 10.
        let mut sim = d.observed.clone();
        sim[2] = 0.0;
        sim[4] = 1.0;
        sim[5] = 0.0;
        sim[2 * PER_CASE] = 10.0;
        let t = d.terms(&sim);
        assert!(
            (t[0] - 0.5).abs() < 1e-12,
            "class: one of two cases wholly wrong: {t:?}"
        );
        assert!((t[1] - 0.5).abs() < 1e-12, "intervention: {t:?}");
        assert_eq!(t[2], 0.0);
        let calm = libm::log(7.0) / libm::log(10.0);
        assert!((t[3] - calm).abs() < 1e-12, "{t:?}");
        assert!((d.distance(&sim) - (1.0 + calm) / 4.0).abs() < 1e-12);
        // A wrong length or a NaN never matches.
        assert_eq!(d.distance(&sim[1..]), f64::INFINITY);
        sim[0] = f64::NAN;
        assert_eq!(d.distance(&sim), f64::INFINITY);
    }
}
