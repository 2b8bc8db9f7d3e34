//! The hindcast of 1989: the default forecast scored against the shipped record
//! (data/1989/outcomes_1989.csv and events_1989.csv).
//!
//! Nothing here feeds the forecast: the scenario is the embedded one, dated 1989-02-06, and
//! the record's later rows are only what its runs are scored against. Every criterion was
//! written before the first run and is stated in the check; docs/validation.md reports the
//! figures. Scores ([`bloc_base::scoring`]):
//!
//! * per country, the probability of the observed class and its rank among the five;
//! * Brier and logarithmic scores of the class forecasts against two baselines: uniform
//!   (1/5 each) and a leave-one-out climatology (the observed classes of the *other* five
//!   countries; for the log score, like the ensemble, with half a count added to every
//!   class). With six cases the leave-one-out climatology under-counts each country's own
//!   class, so it is no harder to beat than the uniform;
//! * CRPS of each regime's fall week (a run without a fall counts as horizon + 1) against
//!   a uniform date over the horizon, and Spearman's rank correlation between the mean fall
//!   week of the runs and the observed order of the falls;
//! * Brier scores of "party in power" (lost where the record has a `regime_fall_date`) and
//!   "alliance intact" at the horizon against 1/2;
//! * GDR emigration in 1989 and the largest Leipzig Monday demonstration: the recorded value
//!   (the whole recorded range) must lie inside the forecast's 5-95 % range by 1989-12-31;
//!   the share of runs in which Romania is the only eruption, against what independent
//!   uniform guesses would give (0.2 × 0.8⁵).

use super::CheckResult;
use crate::record::{Quantity, Record};
use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use bloc_base::scoring::{
    brier, brier_binary, crps_ensemble, crps_uniform, log_score, skill, smoothed_share, spearman,
};
use bloc_base::stats::{mean, quantile};
use bloc_model::BlocScenario;
use bloc_model::outcome::{ClassMap, OutcomeClass};
use bloc_model::paths::{CountryPath, country_paths};
use serde::Serialize;

/// What the record says happened to one country by the end of 1990.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observed {
    /// Country id.
    pub id: String,
    /// The observed class.
    pub class: OutcomeClass,
    /// The second-best class where the coding is arguable.
    pub alt_class: Option<OutcomeClass>,
    /// Week of the regime's fall (`regime_fall_date`), if it fell.
    pub fall_week: Option<i64>,
    /// Whether the alliance was intact at the end of 1990 (the GDR's was not: it ceased to
    /// exist; the other five were still Warsaw Pact members).
    pub alliance_intact: bool,
}

/// One country's scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryScore {
    /// Country id.
    pub id: String,
    /// The observed class.
    pub observed: OutcomeClass,
    /// Its probability in the forecast.
    pub p_observed: f64,
    /// Its rank among the five classes (1: the most likely; ties share the better rank).
    pub rank: usize,
    /// The arguable alternative and its probability.
    pub alt: Option<(OutcomeClass, f64)>,
    /// The forecast's class probabilities (a list in report order in the JSON).
    #[serde(serialize_with = "ClassMap::serialize_as_list")]
    pub probabilities: ClassMap<f64>,
    /// Brier score of the class forecast; of the uniform and climatological baselines.
    pub brier: [f64; 3],
    /// Log score of the class forecast; of the uniform and climatological baselines.
    pub log: [f64; 3],
    /// Observed fall week, and the CRPS (weeks) of the forecast and the uniform baseline.
    pub fall: Option<(i64, f64, f64)>,
    /// Mean fall week over the runs (no fall: horizon + 1).
    pub mean_fall_week: f64,
    /// Probability that the party holds power at the horizon (observed: no, for all six).
    pub party_in_power: f64,
    /// Probability that the alliance is intact at the horizon, and what was observed.
    pub alliance_intact: (f64, bool),
    /// Whether its first concession comes at week 0 in every run (its inputs decide its
    /// path before the model does: a forecast of it shows the inputs, not the mechanisms).
    pub decided_at_start: bool,
}

/// A quantity of the forecast by a date against the record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangeScore {
    /// What is compared.
    pub what: String,
    /// The recorded value (low and high end; equal if a single number).
    pub recorded: (f64, f64),
    /// The forecast's median and 5-95 % range.
    pub median: f64,
    /// 5 % quantile.
    pub q05: f64,
    /// 95 % quantile.
    pub q95: f64,
    /// CRPS of the forecast against the middle of the recorded range.
    pub crps: f64,
}

/// The whole hindcast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hindcast {
    /// Runs and master seed.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Per country.
    pub countries: Vec<CountryScore>,
    /// Spearman's correlation between mean fall weeks and the observed order (`None`: no
    /// variation in the forecast, e.g. no regime ever falls).
    pub fall_order: Option<f64>,
    /// GDR emigrants by 1989-12-31.
    pub gdr_emigration: Option<RangeScore>,
    /// GDR's largest weekly protest by 1989-12-31 against the largest Leipzig Monday
    /// demonstration.
    pub leipzig: Option<RangeScore>,
    /// Share of runs in which Romania is the only eruption.
    pub romania_only_eruption: f64,
    /// Share of runs with exactly the observed joint pattern.
    pub observed_pattern: f64,
    /// The posterior the runs drew their calibrated values from (`None`: the scenario's
    /// own values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posterior: Option<bloc_model::PosteriorMeta>,
}

/// The observed outcomes of the record for the scenario's countries (those the record
/// has), with fall weeks counted from the scenario's start.
pub fn observed_outcomes(s: &BlocScenario, record: &Record) -> Vec<Observed> {
    s.countries
        .iter()
        .filter_map(|c| {
            let o = record.outcome(&c.id)?;
            let class = OutcomeClass::from_name(o.outcome_class.trim())?;
            let column = |name: &str| {
                o.columns
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.trim().to_string())
                    .unwrap_or_default()
            };
            let fall_week = s.week_of(&column("regime_fall_date"));
            let alliance = column("alliance_intact_end_1990");
            Some(Observed {
                id: c.id.clone(),
                class,
                alt_class: OutcomeClass::from_name(o.alt_class.trim()),
                fall_week,
                alliance_intact: !alliance.to_lowercase().contains("ceas"),
            })
        })
        .collect()
}

/// Runs the default forecast's ensemble and scores it against the record.
pub fn hindcast(
    s: &BlocScenario,
    record: &Record,
    plan: EnsemblePlan,
    progress: impl FnMut(u64),
) -> Result<Hindcast, EnsembleError> {
    let checkpoint = s
        .week_of("1989-12-31")
        .unwrap_or(i64::from(s.scenario.weeks));
    let paths = country_paths(s, plan, checkpoint, progress)?;
    Ok(score(s, record, plan, &paths))
}

/// Scores per-run paths (as [`country_paths`] returns them) against the record.
#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn score(
    s: &BlocScenario,
    record: &Record,
    plan: EnsemblePlan,
    paths: &[Vec<CountryPath>],
) -> Hindcast {
    let observed = observed_outcomes(s, record);
    let horizon = i64::from(s.scenario.weeks);
    let runs = paths.len().max(1) as f64;
    let index_of = |id: &str| s.country_index(id).unwrap_or(0);
    let column = |c: usize| paths.iter().map(move |run| &run[c]);
    let countries: Vec<CountryScore> = observed
        .iter()
        .map(|o| {
            let c = index_of(&o.id);
            let mut counts = ClassMap::<u64>::default();
            for p in column(c) {
                counts[p.class] += 1;
            }
            // Leave-one-out climatology: the other countries' observed classes.
            let mut clim_counts = ClassMap::<u64>::default();
            for other in observed.iter().filter(|x| x.id != o.id) {
                clim_counts[other.class] += 1;
            }
            let scores = score_classes(&counts, o.class, &clim_counts);
            let probabilities = scores.probabilities;
            let fall_weeks: Vec<f64> = column(c)
                .map(|p| match (p.fell_week, p.party_in_power) {
                    (Some(w), false) => w as f64,
                    _ => (horizon + 1) as f64,
                })
                .collect();
            let fall = o.fall_week.map(|w| {
                let y = w as f64;
                (
                    w,
                    crps_ensemble(&fall_weeks, y).unwrap_or(f64::NAN),
                    crps_uniform(0.0, (horizon + 1) as f64, y),
                )
            });
            CountryScore {
                id: o.id.clone(),
                observed: o.class,
                p_observed: scores.p_observed,
                rank: scores.rank,
                alt: o.alt_class.map(|a| (a, probabilities[a])),
                probabilities,
                brier: scores.brier,
                log: scores.log,
                fall,
                mean_fall_week: mean(&fall_weeks),
                party_in_power: column(c).filter(|p| p.party_in_power).count() as f64 / runs,
                alliance_intact: (
                    column(c).filter(|p| p.alliance_intact).count() as f64 / runs,
                    o.alliance_intact,
                ),
                decided_at_start: column(c).all(|p| p.first_concession_week == Some(0)),
            }
        })
        .collect();
    let fallen: Vec<&CountryScore> = countries.iter().filter(|c| c.fall.is_some()).collect();
    let fall_order = spearman(
        &fallen.iter().map(|c| c.mean_fall_week).collect::<Vec<_>>(),
        &fallen
            .iter()
            .map(|c| c.fall.map_or(0.0, |f| f.0 as f64))
            .collect::<Vec<_>>(),
    );
    let gdr = s.country_index("GDR");
    let gdr_emigration = gdr.and_then(|c| {
        let recorded = record
            .outcome("GDR")?
            .columns
            .iter()
            .find(|(k, _)| k == "emigrants_1989")
            .and_then(|(_, v)| Quantity::parse(v).central())?;
        let sample: Vec<f64> = column(c).map(|p| p.emigrants_by_checkpoint).collect();
        Some(range_score(
            "GDR emigrants by 1989-12-31",
            (recorded, recorded),
            &sample,
        ))
    });
    let leipzig = gdr.and_then(|c| {
        let sizes: Vec<(f64, f64)> = record
            .events
            .iter()
            .filter(|e| e.country == "GDR" && e.kind == "protest" && e.event.contains("Leipzig"))
            .filter_map(|e| match e.size.as_ref()? {
                Quantity::Number(x) => Some((*x, *x)),
                Quantity::Range(a, b) => Some((*a, *b)),
                Quantity::Text(_) => None,
            })
            .collect();
        if sizes.is_empty() {
            return None;
        }
        let lo = sizes.iter().map(|x| x.0).fold(0.0, f64::max);
        let hi = sizes.iter().map(|x| x.1).fold(0.0, f64::max);
        let sample: Vec<f64> = column(c).map(|p| p.peak_protest_by_checkpoint).collect();
        Some(range_score(
            "GDR's largest weekly protest by 1989-12-31 vs the largest Leipzig Monday demonstration",
            (lo, hi),
            &sample,
        ))
    });
    let romania_only_eruption = match s.country_index("ROU") {
        Some(rou) => {
            paths
                .iter()
                .filter(|run| {
                    run.iter()
                        .enumerate()
                        .all(|(c, p)| (p.class == OutcomeClass::Eruption) == (c == rou))
                })
                .count() as f64
                / runs
        }
        None => 0.0,
    };
    let observed_pattern = paths
        .iter()
        .filter(|run| {
            observed
                .iter()
                .all(|o| run[index_of(&o.id)].class == o.class)
        })
        .count() as f64
        / runs;
    Hindcast {
        runs: plan.runs,
        seed: plan.master_seed,
        countries,
        fall_order,
        gdr_emigration,
        leipzig,
        romania_only_eruption,
        observed_pattern,
        posterior: None,
    }
}

/// A class forecast scored against what happened, as the hindcast and the history suite
/// score it.
pub(crate) struct ClassScores {
    /// The forecast's class probabilities (the runs' shares).
    pub(crate) probabilities: ClassMap<f64>,
    /// Probability of the observed class.
    pub(crate) p_observed: f64,
    /// Its rank among the classes (1: the most likely; ties share the better rank).
    pub(crate) rank: usize,
    /// Brier score of the forecast, the uniform forecast and the reference.
    pub(crate) brier: [f64; 3],
    /// Log score of the forecast (smoothed shares), the uniform forecast and the reference
    /// (smoothed shares).
    pub(crate) log: [f64; 3],
}

/// Scores `counts` (runs per class) against the `observed` class, beside the uniform
/// forecast and a `reference` forecast given as counts (a climatology or base rate: its
/// shares for the Brier score, half a count added to every class for the log score).
pub(crate) fn score_classes(
    counts: &ClassMap<u64>,
    observed: OutcomeClass,
    reference: &ClassMap<u64>,
) -> ClassScores {
    let share = |m: &ClassMap<u64>| {
        let n = m.values().iter().sum::<u64>().max(1) as f64;
        m.map(|&k| k as f64 / n)
    };
    let probabilities = share(counts);
    let p_observed = probabilities[observed];
    let rank = 1 + probabilities
        .values()
        .iter()
        .filter(|&&p| p > p_observed)
        .count();
    let o = observed.index();
    ClassScores {
        p_observed,
        rank,
        brier: [
            brier(probabilities.values(), o),
            brier(ClassMap::uniform().values(), o),
            brier(share(reference).values(), o),
        ],
        log: [
            log_score(smoothed_share(counts.values(), o)),
            log_score(ClassMap::uniform()[observed]),
            log_score(smoothed_share(reference.values(), o)),
        ],
        probabilities,
    }
}

fn range_score(what: &str, recorded: (f64, f64), sample: &[f64]) -> RangeScore {
    let mut sorted = sample.to_vec();
    sorted.sort_by(f64::total_cmp);
    RangeScore {
        what: what.to_string(),
        recorded,
        median: quantile(&sorted, 0.5),
        q05: quantile(&sorted, 0.05),
        q95: quantile(&sorted, 0.95),
        crps: crps_ensemble(sample, 0.5 * (recorded.0 + recorded.1)).unwrap_or(f64::NAN),
    }
}

const SOURCE: &str = "data/1989/outcomes_1989.csv, events_1989.csv";

/// The Brier and log skill checks of the class forecasts of `countries`, named with
/// `suffix`: better than uniform and than the leave-one-out climatology.
fn skill_checks(suffix: &str, countries: &[&CountryScore]) -> Vec<CheckResult> {
    let n = countries.len().max(1) as f64;
    let avg = |f: &dyn Fn(&CountryScore) -> f64| countries.iter().map(|c| f(c)).sum::<f64>() / n;
    let skills = |k: usize, pick: &dyn Fn(&CountryScore) -> [f64; 3]| {
        let s = avg(&|c| pick(c)[0]);
        let r = avg(&|c| pick(c)[k]);
        (s, r, skill(s, r))
    };
    let which = if suffix.is_empty() {
        String::new()
    } else {
        let ids: Vec<&str> = countries.iter().map(|c| c.id.as_str()).collect();
        format!(
            " of the countries not decided at week 0 ({})",
            ids.join(", ")
        )
    };
    let mut checks = Vec::new();
    for (name, pick) in [
        (
            "brier",
            &(|c: &CountryScore| c.brier) as &dyn Fn(&CountryScore) -> [f64; 3],
        ),
        ("log", &|c: &CountryScore| c.log),
    ] {
        let (s, u, su) = skills(1, pick);
        let (_, cl, sc) = skills(2, pick);
        checks.push(CheckResult {
            name: format!("hindcast/{name}-skill{suffix}"),
            source: SOURCE.into(),
            expected: format!(
                "mean {name} score of the classes{which} better than uniform and leave-one-out climatology (skill > 0)"
            ),
            got: format!(
                "{s:.3} vs uniform {u:.3} (skill {su:+.2}), climatology {cl:.3} (skill {sc:+.2})"
            ),
            passed: !countries.is_empty() && su > 0.0 && sc > 0.0,
        });
    }
    checks
}

/// The hindcast's checks, with the criteria fixed before the first run.
pub fn hindcast_checks(h: &Hindcast) -> Vec<CheckResult> {
    let mut checks = Vec::new();
    for c in &h.countries {
        let alt = c
            .alt
            .map(|(a, p)| format!("; alt {} {:.3}", a.name(), p))
            .unwrap_or_default();
        checks.push(CheckResult {
            name: format!("hindcast/{}-observed-class", c.id),
            source: SOURCE.into(),
            expected: format!("p({}) above the uniform 0.2", c.observed.name()),
            got: format!(
                "p({}) = {:.3}, rank {} of 5{alt}",
                c.observed.name(),
                c.p_observed,
                c.rank
            ),
            passed: c.p_observed > 0.2,
        });
    }
    let n = h.countries.len().max(1) as f64;
    let avg = |f: &dyn Fn(&CountryScore) -> f64| h.countries.iter().map(f).sum::<f64>() / n;
    let undecided: Vec<&CountryScore> =
        h.countries.iter().filter(|c| !c.decided_at_start).collect();
    checks.extend(skill_checks("", &h.countries.iter().collect::<Vec<_>>()));
    checks.extend(skill_checks("-undecided", &undecided));
    let falls: Vec<&(i64, f64, f64)> = h.countries.iter().filter_map(|c| c.fall.as_ref()).collect();
    let (crps, crps_ref) = (
        falls.iter().map(|f| f.1).sum::<f64>() / falls.len().max(1) as f64,
        falls.iter().map(|f| f.2).sum::<f64>() / falls.len().max(1) as f64,
    );
    checks.push(CheckResult {
        name: "hindcast/fall-week-crps".into(),
        source: SOURCE.into(),
        expected: "mean CRPS of the fall weeks below a uniform date over the horizon".into(),
        got: format!(
            "{crps:.1} weeks vs uniform {crps_ref:.1} (skill {:+.2})",
            skill(crps, crps_ref)
        ),
        passed: crps < crps_ref,
    });
    checks.push(CheckResult {
        name: "hindcast/fall-order".into(),
        source: SOURCE.into(),
        expected: "Spearman correlation of mean fall weeks with the observed order > 0".into(),
        got: match h.fall_order {
            Some(r) => format!("rho = {r:+.2}"),
            None => "undefined: every regime has the same mean fall week (none falls)".into(),
        },
        passed: h.fall_order.is_some_and(|r| r > 0.0),
    });
    let party = avg(&|c| brier_binary(c.party_in_power, c.fall.is_none()));
    let alliance = avg(&|c| brier_binary(c.alliance_intact.0, c.alliance_intact.1));
    checks.push(CheckResult {
        name: "hindcast/party-and-alliance".into(),
        source: SOURCE.into(),
        expected: "Brier scores of party in power (lost where the record dates a fall: all six) and alliance intact (GDR not) below 0.25 (a coin)".into(),
        got: format!("party {party:.3}, alliance {alliance:.3}"),
        passed: party < 0.25 && alliance < 0.25,
    });
    for r in [&h.gdr_emigration, &h.leipzig].into_iter().flatten() {
        let inside = r.q05 <= r.recorded.0 && r.recorded.1 <= r.q95;
        let recorded = if r.recorded.0 == r.recorded.1 {
            format!("{:.0}", r.recorded.0)
        } else {
            format!("{:.0}-{:.0}", r.recorded.0, r.recorded.1)
        };
        checks.push(CheckResult {
            name: if r.what.starts_with("GDR emigrants") {
                "hindcast/gdr-emigration-1989".into()
            } else {
                "hindcast/leipzig-peak".into()
            },
            source: SOURCE.into(),
            expected: format!(
                "{}: recorded {recorded} wholly inside the forecast's 5-95 % range",
                r.what
            ),
            got: format!(
                "median {:.0}, 5-95 % {:.0}-{:.0}; CRPS {:.0}",
                r.median, r.q05, r.q95, r.crps
            ),
            passed: inside,
        });
    }
    let chance = 0.2 * libm::pow(0.8, 5.0);
    checks.push(CheckResult {
        name: "hindcast/romania-only-eruption".into(),
        source: SOURCE.into(),
        expected: format!(
            "share of runs with Romania the only eruption above chance ({chance:.3})"
        ),
        got: format!(
            "{:.3}; observed joint pattern {:.3}",
            h.romania_only_eruption, h.observed_pattern
        ),
        passed: h.romania_only_eruption > chance,
    });
    checks
}
