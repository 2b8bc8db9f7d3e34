//! The history suite (issue #16): the crises of 1953–1988 as cases run on the flagship's
//! one set of mechanism parameters, scored like the 1989 hindcast, and the calm years'
//! crisis hazard per country against the panel's (docs/history.md says how the cases were
//! written; docs/validation.md reports the figures).

pub mod calibration;
pub mod calm;
pub mod cases;
pub mod data;
pub mod leave_one_out;
pub mod suite;

use crate::CheckResult;
use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use bloc_model::BlocScenario;
use bloc_model::case::HistoryCase;
use serde::Serialize;

/// Master seed of the suite's ensembles.
pub const SEED: u64 = 1953;
/// Runs per case by default.
pub const RUNS: u64 = 200;
/// Runs per calm start by default (each over its horizon of 104 weeks).
pub const CALM_RUNS: u64 = 100;

/// Why the suite could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// An ensemble could not run.
    #[error(transparent)]
    Ensemble(#[from] EnsembleError),
    /// The embedded record is unreadable (a defect of the shipped files: fatal).
    #[error(transparent)]
    Data(#[from] data::HistoryDataError),
    /// An embedded case is invalid (a defect of the shipped files: fatal).
    #[error("scenarios/history/{id}: {message}")]
    Case {
        /// The case.
        id: String,
        /// The first problem.
        message: String,
    },
}

/// Everything the suite computes.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// Runs per case.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Each case's forecast.
    pub forecasts: Vec<suite::CaseForecast>,
    /// Scores under the main coding.
    pub main: suite::SuiteScore,
    /// Scores under the README's alternative codings.
    pub alternative: suite::SuiteScore,
    /// The calm years per country.
    pub calm: Vec<calm::CalmHazard>,
}

fn read_case(id: &str, text: &str) -> Result<HistoryCase, HistoryError> {
    HistoryCase::from_toml(text).map_err(|d| HistoryError::Case {
        id: id.to_string(),
        message: d.iter().next().map(|x| x.summary()).unwrap_or_default(),
    })
}

/// Runs every case with `runs` runs and every calm start with `calm_runs`; `progress` is told
/// the stage and how many of its cases are done.
pub fn run(
    runs: u64,
    calm_runs: u64,
    threads: usize,
    progress: impl FnMut(&str, u64, u64),
) -> Result<History, HistoryError> {
    run_on(
        &BlocScenario::eastern_europe_1989(),
        runs,
        calm_runs,
        threads,
        progress,
    )
}

/// [`run`] on the mechanisms of `base` instead of the flagship's (a calibration's posterior
/// mean, for instance).
pub fn run_on(
    base: &BlocScenario,
    runs: u64,
    calm_runs: u64,
    threads: usize,
    mut progress: impl FnMut(&str, u64, u64),
) -> Result<History, HistoryError> {
    let record = data::crises()?;
    let plan = EnsemblePlan {
        runs,
        master_seed: SEED,
        threads,
    };
    let total = cases::CASES.len() as u64;
    let mut forecasts = Vec::with_capacity(cases::CASES.len());
    for (k, (id, text)) in cases::CASES.iter().enumerate() {
        progress("history", k as u64, total);
        forecasts.push(suite::forecast_case(&read_case(id, text)?, base, plan)?);
    }
    let panel = data::panel_hazard()?;
    let calm_plan = EnsemblePlan {
        runs: calm_runs,
        ..plan
    };
    progress("history", total, total);
    let mut calm = Vec::with_capacity(cases::CALM.len());
    for (k, (id, text)) in cases::CALM.iter().enumerate() {
        progress("calm years", k as u64, cases::CALM.len() as u64);
        let p = panel.get(*id).copied().unwrap_or(0.0);
        calm.push(calm::calm_hazard(
            &read_case(id, text)?,
            base,
            calm_plan,
            p,
        )?);
    }
    progress(
        "calm years",
        cases::CALM.len() as u64,
        cases::CALM.len() as u64,
    );
    Ok(History {
        runs,
        seed: SEED,
        main: suite::score(&forecasts, &record, false),
        alternative: suite::score(&forecasts, &record, true),
        forecasts,
        calm,
    })
}

/// The targets as checks (docs/validation.md reports them; they are targets, not
/// tuned to pass).
pub fn checks(h: &History) -> Vec<CheckResult> {
    let n = h.main.cases.len();
    let source = "issue #16 targets; data/history (docs/history.md)";
    let check = |name: &str, expected: String, got: String, passed: bool| CheckResult {
        name: format!("history/{name}"),
        source: source.to_string(),
        expected,
        got,
        passed,
    };
    let mut out = Vec::new();
    for s in [&h.main, &h.alternative] {
        let tag = if s.coding == "main" { "" } else { "-alt" };
        out.push(check(
            &format!("class-ranks{tag}"),
            format!(
                "observed class first in >= 14 of {n}, top two in >= 18 ({} coding)",
                s.coding
            ),
            format!("first {}, top two {}", s.first, s.top_two),
            s.first >= 14 && s.top_two >= 18,
        ));
        out.push(check(
            &format!("brier{tag}"),
            format!(
                "mean Brier <= 0.45 ({} coding; uniform {:.2})",
                s.coding, s.mean_brier[1]
            ),
            format!(
                "{:.3} (base rate {:.3}); log {:.3} (uniform {:.3}, base rate {:.3})",
                s.mean_brier[0], s.mean_brier[2], s.mean_log[0], s.mean_log[1], s.mean_log[2]
            ),
            s.mean_brier[0] <= 0.45,
        ));
    }
    out.push(check(
        "intervention",
        "mean Brier of intervention <= 0.12".to_string(),
        format!("{:.3}", h.main.intervention_brier),
        h.main.intervention_brier <= 0.12,
    ));
    out.push(check(
        "alliance",
        "mean Brier of alliance intact <= 0.15".to_string(),
        format!(
            "{:.3} (party in power {:.3})",
            h.main.alliance_brier, h.main.party_brier
        ),
        h.main.alliance_brier <= 0.15,
    ));
    for c in &h.calm {
        let r = c.ratio();
        out.push(check(
            &format!("calm-hazard/{}", c.country),
            format!(
                "weekly crisis hazard within x2 of the panel's {:.4}",
                c.panel
            ),
            format!(
                "{:.4} ({} onsets in {} weeks; x{r:.1})",
                c.hazard, c.onsets, c.weeks
            ),
            (0.5..=2.0).contains(&r),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_is_a_crisis_of_the_record_on_its_country_and_start_date() {
        let record = data::crises().expect("record");
        assert_eq!(cases::CASES.len(), record.len());
        for (id, text) in cases::CASES {
            let case = read_case(id, text).expect("a valid case");
            let row = record.iter().find(|c| c.id == *id).expect("a record row");
            assert_eq!(case.case.id, *id);
            assert_eq!(case.case.country, row.country, "{id}");
            assert_eq!(case.scenario.start, row.start, "{id}");
        }
        for (id, text) in cases::CALM {
            let case = read_case(id, text).expect("a valid calm start");
            assert_eq!(case.case.country, *id);
            assert!(case.events.is_empty(), "{id}: a calm start has no events");
        }
    }
}
