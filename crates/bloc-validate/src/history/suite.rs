//! Runs each crisis case and scores its forecast against how the crisis ended.
//!
//! A case's forecast: its facts on the flagship's mechanisms, legitimacy by the calm-start
//! rule, `runs` runs from the master seed over the case's horizon; the scored country's
//! class, party in power, alliance intact and intervention at the horizon, counted. Scores
//! ([`bloc_base::scoring`]) as the 1989 hindcast's: the observed class's probability and
//! rank; Brier and log scores against the uniform forecast and a leave-one-out base rate
//! (the other cases' classes: their shares for the Brier score, with half a count added to
//! every class for the log score, as the model's own shares); Brier scores of
//! intervention, party in power and alliance intact; all under the main coding and under
//! the README's alternative codings.

use super::data::Crisis;
use crate::hindcast::score_classes;
use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use bloc_base::scoring::brier_binary;
use bloc_base::stats::mean;
use bloc_model::calm_start::{self, CalmStart};
use bloc_model::case::HistoryCase;
use bloc_model::runs::{KeepSeries, run_bloc_ensemble};
use bloc_model::{BlocScenario, ClassMap, OutcomeClass};
use serde::Serialize;

/// What the runs of one case gave for its scored country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseForecast {
    /// The crisis id.
    pub id: String,
    /// The scored country.
    pub country: String,
    /// Legitimacy by the calm-start rule.
    pub legitimacy: f64,
    /// Crisis rate one grid step below it (`None`: calm to the bottom of the grid).
    pub rate_below: Option<f64>,
    /// Runs.
    pub runs: u64,
    /// Runs per class.
    pub classes: ClassMap<u64>,
    /// Runs with the party in power at the horizon.
    pub party_in_power: u64,
    /// Runs with the alliance intact at the horizon.
    pub alliance_intact: u64,
    /// Runs in which the centre intervened.
    pub intervention: u64,
}

/// Runs one case.
pub fn forecast_case(
    case: &HistoryCase,
    base: &BlocScenario,
    plan: EnsemblePlan,
) -> Result<CaseForecast, EnsembleError> {
    let mut s = case.to_scenario(base);
    let c = case.scored_index().unwrap_or(0);
    let derived: Vec<CalmStart> = calm_start::apply(&mut s, plan.threads)?;
    let mut f = CaseForecast {
        id: case.case.id.clone(),
        country: case.case.country.clone(),
        legitimacy: derived[c].legitimacy,
        rate_below: derived[c].rate_below,
        runs: plan.runs,
        classes: ClassMap::default(),
        party_in_power: 0,
        alliance_intact: 0,
        intervention: 0,
    };
    run_bloc_ensemble(
        &s,
        plan,
        &KeepSeries(|_| false),
        |_, run| {
            let r = &run.countries[c];
            f.classes[r.class] += 1;
            f.party_in_power += u64::from(r.party_in_power);
            f.alliance_intact += u64::from(r.alliance_intact);
            f.intervention += u64::from(r.intervention);
        },
        |_| {},
    )?;
    Ok(f)
}

/// One case's scores under one coding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseScore {
    /// The crisis id.
    pub id: String,
    /// The class scored against.
    pub observed: OutcomeClass,
    /// The forecast's class probabilities.
    #[serde(serialize_with = "ClassMap::serialize_as_list")]
    pub probabilities: ClassMap<f64>,
    /// Probability of the observed class.
    pub p_observed: f64,
    /// Its rank among the classes (1: most likely; ties share the better rank).
    pub rank: usize,
    /// Brier score of the forecast, the uniform forecast and the base rate.
    pub brier: [f64; 3],
    /// Log score of the forecast (smoothed shares), the uniform forecast and the base rate.
    pub log: [f64; 3],
    /// Probability of intervention, and whether the centre's troops were used.
    pub intervention: (f64, bool),
    /// Probability of the party in power at the horizon, and the record.
    pub party_in_power: (f64, bool),
    /// Probability of the alliance intact at the horizon, and the record.
    pub alliance_intact: (f64, bool),
}

/// The suite's scores under one coding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuiteScore {
    /// "main" or "alternative".
    pub coding: String,
    /// Per case.
    pub cases: Vec<CaseScore>,
    /// Cases whose observed class is the forecast's first (rank 1; a class no run reached
    /// is never counted, though it shares the rank of the others no run reached).
    pub first: usize,
    /// Cases whose observed class is in the forecast's top two (reached by some run).
    pub top_two: usize,
    /// Mean Brier score of the forecast, the uniform forecast and the base rate.
    pub mean_brier: [f64; 3],
    /// Mean log score of the forecast, the uniform forecast and the base rate.
    pub mean_log: [f64; 3],
    /// Mean Brier score of intervention.
    pub intervention_brier: f64,
    /// Mean Brier score of party in power.
    pub party_brier: f64,
    /// Mean Brier score of alliance intact.
    pub alliance_brier: f64,
}

/// The class a crisis is scored against under a coding.
fn coded(c: &Crisis, alternative: bool) -> OutcomeClass {
    if alternative {
        c.alt_class.unwrap_or(c.class)
    } else {
        c.class
    }
}

/// Scores the forecasts (matched to the record by id; forecasts without a row are left out).
pub fn score(forecasts: &[CaseForecast], record: &[Crisis], alternative: bool) -> SuiteScore {
    let pairs: Vec<(&CaseForecast, &Crisis)> = forecasts
        .iter()
        .filter_map(|f| record.iter().find(|c| c.id == f.id).map(|c| (f, c)))
        .collect();
    let cases: Vec<CaseScore> = pairs
        .iter()
        .map(|(f, c)| {
            let mut base = ClassMap::<u64>::default();
            for (_, other) in pairs.iter().filter(|(_, o)| o.id != c.id) {
                base[coded(other, alternative)] += 1;
            }
            score_case(f, c, coded(c, alternative), &base)
        })
        .collect();
    let column = |k: usize, pick: fn(&CaseScore) -> [f64; 3]| {
        mean(&cases.iter().map(|s| pick(s)[k]).collect::<Vec<_>>())
    };
    let binary = |pick: fn(&CaseScore) -> (f64, bool)| {
        mean(
            &cases
                .iter()
                .map(|s| {
                    let (p, o) = pick(s);
                    brier_binary(p, o)
                })
                .collect::<Vec<_>>(),
        )
    };
    SuiteScore {
        coding: if alternative { "alternative" } else { "main" }.to_string(),
        first: cases
            .iter()
            .filter(|s| s.rank == 1 && s.p_observed > 0.0)
            .count(),
        top_two: cases
            .iter()
            .filter(|s| s.rank <= 2 && s.p_observed > 0.0)
            .count(),
        mean_brier: [0, 1, 2].map(|k| column(k, |s| s.brier)),
        mean_log: [0, 1, 2].map(|k| column(k, |s| s.log)),
        intervention_brier: binary(|s| s.intervention),
        party_brier: binary(|s| s.party_in_power),
        alliance_brier: binary(|s| s.alliance_intact),
        cases,
    }
}

fn score_case(
    f: &CaseForecast,
    c: &Crisis,
    observed: OutcomeClass,
    base: &ClassMap<u64>,
) -> CaseScore {
    let runs = f.runs.max(1) as f64;
    let scores = score_classes(&f.classes, observed, base);
    CaseScore {
        id: f.id.clone(),
        observed,
        probabilities: scores.probabilities,
        p_observed: scores.p_observed,
        rank: scores.rank,
        brier: scores.brier,
        log: scores.log,
        intervention: (f.intervention as f64 / runs, c.intervention),
        party_in_power: (f.party_in_power as f64 / runs, c.party_in_power),
        alliance_intact: (f.alliance_intact as f64 / runs, c.alliance_intact),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crisis(id: &str, class: OutcomeClass, alt: Option<OutcomeClass>) -> Crisis {
        Crisis {
            id: id.to_string(),
            country: "TST".to_string(),
            start: String::new(),
            class,
            alt_class: alt,
            intervention: class == OutcomeClass::Suppression,
            party_in_power: true,
            alliance_intact: true,
        }
    }

    fn forecast(id: &str, counts: [u64; 5]) -> CaseForecast {
        CaseForecast {
            id: id.to_string(),
            country: "TST".to_string(),
            legitimacy: 0.8,
            rate_below: None,
            runs: counts.iter().sum(),
            classes: ClassMap::from_fn(|c| counts[c.index()]),
            party_in_power: 10,
            alliance_intact: 10,
            intervention: 5,
        }
    }

    #[test]
    fn scores_equal_hand_computed_values() {
        use OutcomeClass::*;
        let record = [
            crisis("A", Suppression, None),
            crisis("B", Leaps, Some(Smooth)),
            crisis("C", Suppression, None),
        ];
        // A: all suppression; B: 5 smooth, 5 leaps; C: all stable.
        let f = [
            forecast("A", [0, 0, 10, 0, 0]),
            forecast("B", [5, 5, 0, 0, 0]),
            forecast("C", [0, 0, 0, 0, 10]),
        ];
        let main = score(&f, &record, false);
        assert_eq!(main.first, 2); // A first; B tied first (ties share the better rank)
        assert_eq!(main.top_two, 2); // C's suppression shares rank 2 at 0: not counted
        assert_eq!(main.cases[2].rank, 2);
        let b = &main.cases[1];
        assert_eq!(b.rank, 1);
        assert!((b.brier[0] - 0.5).abs() < 1e-12); // 0.25 + 0.25
        // B's base rate: A and C are suppression: Brier = 1 (suppression) + 1 (leaps) = 2.
        assert!((b.brier[2] - 2.0).abs() < 1e-12);
        // C: Brier of a sure wrong forecast is 2; log of (0 + 1/2)/(10 + 5/2).
        assert!((main.cases[2].brier[0] - 2.0).abs() < 1e-12);
        assert!((main.cases[2].log[0] - (-libm::log(0.5 / 12.5))).abs() < 1e-12);
        assert!((main.mean_brier[0] - (0.0 + 0.5 + 2.0) / 3.0).abs() < 1e-12);
        // Intervention: p = 0.5 everywhere; A and C observed yes, B no: Brier 0.25 each.
        assert!((main.intervention_brier - 0.25).abs() < 1e-12);
        let alt = score(&f, &record, true);
        assert_eq!(alt.cases[1].observed, Smooth);
        assert_eq!(alt.cases[0].observed, Suppression);
    }
}
