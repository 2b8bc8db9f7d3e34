//! Model I's summary statistics against Mesa's example on equal parameters (issue #6,
//! check 1).
//!
//! `data/epstein/mesa-reference.json` holds what Mesa 3.3.1's `epstein_civil_violence`
//! example gives, run by `scripts/mesa-vs-bloc.sh` (20 seeds x 500 steps per configuration),
//! in two configurations, both under Mesa's own rules (`scenarios/epstein-mesa.toml`):
//! `mesa-defaults`, the example's defaults, and `run2`, the paper's Run 2 parameters (cop
//! density 0.04, legitimacy 0.82, J_max 30), where outbursts happen. bloc runs the same
//! scenarios and computes per run the same statistics, with the same definitions
//! ([`RunStatistics`]); each statistic's mean is then compared with Mesa's.
//!
//! The criterion, fixed before any comparison was run: the runs of each side are independent
//! and identically distributed, so the difference of the means has the standard error
//! `se = sqrt(sd_M^2 / n_M + sd_b^2 / n_b)`; bloc agrees with Mesa on a statistic when
//! `|mean_b - mean_M| <= 3 se + 0.01 |mean_M|`. Three standard errors is a two-sided
//! Welch test at about alpha = 0.005 (with Mesa's 20 runs and bloc's 50, about 30 degrees
//! of freedom), so that over the ten statistics that are not degenerate a correct bloc fails
//! one by chance in about 5 % of reference files; the 1 % of Mesa's mean is a practical
//! equivalence margin, which also lets a statistic that is constant on both sides (no
//! outburst in any run) agree when it is equal. A statistic undefined in every run of both
//! sides (the size of outbursts when there are none) agrees; defined in fewer than two runs
//! of either side otherwise, it cannot be compared and the check fails.

use super::CheckResult;
use bloc_base::ensemble::{EnsembleError, EnsemblePlan, run_ensemble};
use bloc_base::stats::{mean, std_dev};
use bloc_citizens::epstein::config::{EpsteinScenario, OutburstRule};
use bloc_citizens::epstein::{MESA_SCENARIO_TOML, simulate_run};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The reference file written by `scripts/mesa-vs-bloc.sh`.
pub const MESA_REFERENCE_JSON: &str = include_str!("../../../data/epstein/mesa-reference.json");

/// bloc's runs per configuration in [`mesa_summary_statistics`]: 50 runs x 500 steps of each
/// of the two configurations take 6.5 s of CPU in release mode, about 3.3 s on 2 threads
/// (docs/validation.md).
pub const MESA_CHECK_RUNS: u64 = 50;

/// bloc's master seed in [`mesa_summary_statistics`].
pub const MESA_CHECK_SEED: u64 = 42;

/// Standard errors of the difference allowed by the criterion.
pub const K_SE: f64 = 3.0;

/// Practical equivalence margin of the criterion, as a share of Mesa's mean.
pub const RELATIVE_MARGIN: f64 = 0.01;

/// The statistics compared, in order: their names in the reference file.
pub const STATISTICS: [&str; 7] = [
    "mean_active_share",
    "mean_jailed_share",
    "peak_active",
    "calm_share",
    "outbursts",
    "outburst_activation",
    "mean_wait",
];

/// The reference file.
#[derive(Debug, Clone, Deserialize)]
pub struct MesaReference {
    /// How it was made.
    pub meta: ReferenceMeta,
    /// One entry per configuration.
    pub configurations: Vec<ReferenceConfiguration>,
}

/// How the reference file was made.
#[derive(Debug, Clone, Deserialize)]
pub struct ReferenceMeta {
    /// Mesa's version.
    pub mesa_version: String,
    /// Mesa's seeds, one run each.
    pub seeds: Vec<u64>,
    /// Steps per run.
    pub steps: u32,
    /// When it was made (UTC).
    pub date: String,
    /// The script that made it.
    pub script: String,
}

/// One configuration of the reference file.
#[derive(Debug, Clone, Deserialize)]
pub struct ReferenceConfiguration {
    /// `mesa-defaults` or `run2`.
    pub name: String,
    /// The bloc scenario it was made from.
    pub scenario: String,
    /// The keyword arguments given to Mesa's `EpsteinCivilViolence`.
    pub parameters: MesaParameters,
    /// The outburst rule of the statistics.
    pub outburst_rule: OutburstRule,
    /// Per statistic, its moments over Mesa's runs.
    pub statistics: BTreeMap<String, Moments>,
}

/// The keyword arguments given to Mesa's `EpsteinCivilViolence`.
#[derive(Debug, Clone, Deserialize)]
pub struct MesaParameters {
    /// Grid width.
    pub width: u32,
    /// Grid height.
    pub height: u32,
    /// Probability that a cell holds a citizen.
    pub citizen_density: f64,
    /// Probability that a cell holds a cop.
    pub cop_density: f64,
    /// The citizens' radius.
    pub citizen_vision: u32,
    /// The cops' radius.
    pub cop_vision: u32,
    /// Legitimacy L.
    pub legitimacy: f64,
    /// J_max.
    pub max_jail_term: u32,
    /// T.
    pub active_threshold: f64,
    /// k.
    pub arrest_prob_constant: f64,
    /// Whether agents move.
    pub movement: bool,
}

/// Mean, sample standard deviation and number of runs where a statistic is defined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    /// Mean over the runs (none if `n` = 0).
    pub mean: Option<f64>,
    /// Sample standard deviation, n - 1 (none if `n` < 2).
    pub sd: Option<f64>,
    /// Number of runs where the statistic is defined.
    pub n: u64,
}

impl Moments {
    /// The moments of a sample.
    pub fn of(sample: &[f64]) -> Self {
        Moments {
            mean: (!sample.is_empty()).then(|| mean(sample)),
            sd: (sample.len() >= 2).then(|| std_dev(sample)),
            n: sample.len() as u64,
        }
    }
}

/// The statistics of one run (over steps 1..=T, as [`bloc_citizens::epstein::run::summarize`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RunStatistics {
    /// Mean over steps of actives / citizens.
    pub mean_active_share: f64,
    /// Mean over steps of jailed / citizens.
    pub mean_jailed_share: f64,
    /// Largest number of actives at any step.
    pub peak_active: f64,
    /// Share of steps at or below the outburst threshold.
    pub calm_share: f64,
    /// Number of outbursts.
    pub outbursts: f64,
    /// Mean over the run's outbursts of their total activation (none without an outburst).
    pub outburst_activation: Option<f64>,
    /// Mean steps between the starts of consecutive outbursts (none with fewer than two).
    pub mean_wait: Option<f64>,
}

impl RunStatistics {
    /// The statistic called `name` (one of [`STATISTICS`]).
    pub fn get(&self, name: &str) -> Option<f64> {
        match name {
            "mean_active_share" => Some(self.mean_active_share),
            "mean_jailed_share" => Some(self.mean_jailed_share),
            "peak_active" => Some(self.peak_active),
            "calm_share" => Some(self.calm_share),
            "outbursts" => Some(self.outbursts),
            "outburst_activation" => self.outburst_activation,
            "mean_wait" => self.mean_wait,
            _ => None,
        }
    }
}

/// Parses the embedded reference file.
pub fn reference() -> Result<MesaReference, serde_json::Error> {
    serde_json::from_str(MESA_REFERENCE_JSON)
}

/// The bloc scenario of a reference configuration: Mesa's reading with the example's
/// defaults (`mesa-defaults`), or with the paper's Run 2 parameters (`run2`).
pub fn configuration_scenario(name: &str) -> Option<EpsteinScenario> {
    let mesa = EpsteinScenario::from_toml(MESA_SCENARIO_TOML).ok()?;
    match name {
        "mesa-defaults" => Some(mesa),
        "run2" => Some(super::with_run_parameters(&mesa, 2)),
        _ => None,
    }
}

/// Whether `scenario` has the parameters Mesa was run with (so that the comparison is on
/// equal parameters); returns the first that differs.
pub fn parameters_differ(scenario: &EpsteinScenario, p: &MesaParameters) -> Option<String> {
    let s = scenario;
    let pairs: [(&str, f64, f64); 11] = [
        ("width", f64::from(s.lattice.width), f64::from(p.width)),
        ("height", f64::from(s.lattice.height), f64::from(p.height)),
        (
            "citizen_density",
            s.population.citizen_density,
            p.citizen_density,
        ),
        ("cop_density", s.population.cop_density, p.cop_density),
        (
            "citizen_vision",
            s.citizens.vision,
            f64::from(p.citizen_vision),
        ),
        ("cop_vision", s.cops.vision, f64::from(p.cop_vision)),
        ("legitimacy", s.citizens.legitimacy, p.legitimacy),
        (
            "max_jail_term",
            f64::from(s.citizens.max_jail_term),
            f64::from(p.max_jail_term),
        ),
        ("active_threshold", s.citizens.threshold, p.active_threshold),
        (
            "arrest_prob_constant",
            s.citizens.arrest_constant,
            p.arrest_prob_constant,
        ),
        (
            "movement",
            f64::from(u8::from(s.variant.movement)),
            f64::from(u8::from(p.movement)),
        ),
    ];
    pairs
        .iter()
        .find(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name}: bloc {a}, Mesa {b}"))
}

/// Runs `runs` runs of `steps` steps of `scenario` from `seed` and returns each run's
/// statistics under `rule`.
pub fn bloc_statistics(
    scenario: &EpsteinScenario,
    rule: &OutburstRule,
    runs: u64,
    steps: u32,
    seed: u64,
    threads: usize,
) -> Result<Vec<RunStatistics>, EnsembleError> {
    let mut s = scenario.clone();
    s.outburst = rule.clone();
    let plan = EnsemblePlan {
        runs,
        master_seed: seed,
        threads,
    };
    let mut out = Vec::with_capacity(runs as usize);
    run_ensemble(
        plan,
        |_, rng| {
            let run = simulate_run(&s, steps, rng);
            let sum = &run.summary;
            let after_start = &run.counts[1.min(run.counts.len())..];
            let jailed = after_start.iter().map(|c| f64::from(c.jailed)).sum::<f64>();
            let n = after_start.len().max(1) as f64;
            let activation: Vec<f64> = sum.outbursts.iter().map(|o| o.activation as f64).collect();
            RunStatistics {
                mean_active_share: sum.mean_active_share,
                mean_jailed_share: if sum.citizens == 0 {
                    0.0
                } else {
                    jailed / n / f64::from(sum.citizens)
                },
                peak_active: f64::from(sum.peak_active),
                calm_share: sum.calm_share,
                outbursts: sum.outbursts.len() as f64,
                outburst_activation: (!activation.is_empty()).then(|| mean(&activation)),
                mean_wait: sum.mean_wait(),
            }
        },
        |_, r| out.push(r),
        |_| {},
    )?;
    Ok(out)
}

/// The moments of each statistic over runs.
pub fn moments(runs: &[RunStatistics]) -> BTreeMap<String, Moments> {
    STATISTICS
        .iter()
        .map(|&name| {
            let sample: Vec<f64> = runs.iter().filter_map(|r| r.get(name)).collect();
            (name.to_string(), Moments::of(&sample))
        })
        .collect()
}

/// The verdict of the criterion on one statistic (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Within the tolerance.
    Agree {
        /// The tolerance, 3 se + 1 % of Mesa's mean.
        tolerance: f64,
    },
    /// Outside the tolerance.
    Differ {
        /// The tolerance, 3 se + 1 % of Mesa's mean.
        tolerance: f64,
    },
    /// Undefined in every run of both sides.
    BothUndefined,
    /// Defined in fewer than two runs of one side only, or of both: cannot be compared.
    TooFewRuns,
}

impl Verdict {
    /// Whether the check passes.
    pub fn passed(self) -> bool {
        matches!(self, Verdict::Agree { .. } | Verdict::BothUndefined)
    }
}

/// The criterion: `|mean_b - mean_M| <= 3 sqrt(sd_M^2/n_M + sd_b^2/n_b) + 0.01 |mean_M|`.
pub fn criterion(mesa: &Moments, bloc: &Moments) -> Verdict {
    if mesa.n == 0 && bloc.n == 0 {
        return Verdict::BothUndefined;
    }
    let (Some(mm), Some(ms), Some(bm), Some(bs)) = (mesa.mean, mesa.sd, bloc.mean, bloc.sd) else {
        return Verdict::TooFewRuns;
    };
    if mesa.n < 2 || bloc.n < 2 {
        return Verdict::TooFewRuns;
    }
    let se = (ms * ms / mesa.n as f64 + bs * bs / bloc.n as f64).sqrt();
    let tolerance = K_SE * se + RELATIVE_MARGIN * mm.abs();
    if (bm - mm).abs() <= tolerance {
        Verdict::Agree { tolerance }
    } else {
        Verdict::Differ { tolerance }
    }
}

fn show(m: &Moments) -> String {
    match (m.mean, m.sd) {
        (Some(mean), Some(sd)) => format!("{} ± {} (n {})", g(mean), g(sd), m.n),
        (Some(mean), None) => format!("{} (n {})", g(mean), m.n),
        _ => "undefined (n 0)".into(),
    }
}

/// Four significant digits.
fn g(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (3 - libm::log10(x.abs()).floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

/// The check's name for a statistic of a configuration: `epstein/mesa-<statistic>` on
/// Mesa's defaults, `epstein/mesa-run2-<statistic>` on Run 2's parameters.
pub fn check_name(configuration: &str, statistic: &str) -> String {
    let statistic = statistic.replace('_', "-");
    match configuration {
        "mesa-defaults" => format!("epstein/mesa-{statistic}"),
        other => format!("epstein/mesa-{other}-{statistic}"),
    }
}

/// Compares `scenario` (bloc, `runs` runs from `seed`) with the reference configuration
/// `configuration`, one check per statistic. Does not require the scenario to have Mesa's
/// parameters (a control runs another scenario against the reference); the caller checks
/// that with [`parameters_differ`].
pub fn compare_with_reference(
    scenario: &EpsteinScenario,
    reference: &MesaReference,
    configuration: &ReferenceConfiguration,
    runs: u64,
    seed: u64,
    threads: usize,
) -> Result<Vec<CheckResult>, EnsembleError> {
    let steps = reference.meta.steps;
    let ours = moments(&bloc_statistics(
        scenario,
        &configuration.outburst_rule,
        runs,
        steps,
        seed,
        threads,
    )?);
    let source = format!(
        "Mesa {} epstein_civil_violence, {} ({}), seeds {}..{} x {} steps ({}, {})",
        reference.meta.mesa_version,
        configuration.name,
        configuration.scenario,
        reference.meta.seeds.first().copied().unwrap_or(0),
        reference.meta.seeds.last().copied().unwrap_or(0),
        steps,
        reference.meta.script,
        reference.meta.date
    );
    Ok(STATISTICS
        .iter()
        .map(|&name| {
            let mesa = configuration
                .statistics
                .get(name)
                .copied()
                .unwrap_or(Moments {
                    mean: None,
                    sd: None,
                    n: 0,
                });
            let bloc = ours[name];
            let verdict = criterion(&mesa, &bloc);
            let how = match verdict {
                Verdict::Agree { tolerance } | Verdict::Differ { tolerance } => format!(
                    "; difference {} (tolerance {})",
                    g(bloc.mean.unwrap_or(f64::NAN) - mesa.mean.unwrap_or(f64::NAN)),
                    g(tolerance)
                ),
                Verdict::BothUndefined => "; undefined on both sides".into(),
                Verdict::TooFewRuns => "; defined in too few runs to compare".into(),
            };
            CheckResult {
                name: check_name(&configuration.name, name),
                source: source.clone(),
                expected: format!(
                    "Mesa {}; bloc's mean within 3 combined standard errors + 1 % of Mesa's",
                    show(&mesa)
                ),
                got: format!("bloc {} ({runs} runs from seed {seed}){how}", show(&bloc)),
                passed: verdict.passed(),
            }
        })
        .collect())
}

/// Every Mesa comparison with `runs` bloc runs per configuration: for each configuration of
/// the reference file, bloc on the same scenario (checked to have the parameters Mesa was
/// run with) against Mesa, one check per statistic.
pub fn mesa_summary_statistics_with(
    runs: u64,
    threads: usize,
) -> Result<Vec<CheckResult>, EnsembleError> {
    let failed = |name: &str, got: String| CheckResult {
        name: name.into(),
        source: "data/epstein/mesa-reference.json".into(),
        expected: "a readable reference on bloc's scenarios".into(),
        got,
        passed: false,
    };
    let reference = match reference() {
        Ok(r) => r,
        Err(e) => {
            return Ok(vec![failed(
                "epstein/mesa-reference",
                format!("reference unreadable: {e}"),
            )]);
        }
    };
    let mut checks = Vec::new();
    for configuration in &reference.configurations {
        let Some(scenario) = configuration_scenario(&configuration.name) else {
            checks.push(failed(
                &check_name(&configuration.name, "scenario"),
                format!("no bloc scenario for configuration {}", configuration.name),
            ));
            continue;
        };
        if let Some(d) = parameters_differ(&scenario, &configuration.parameters) {
            checks.push(failed(
                &check_name(&configuration.name, "parameters"),
                format!("Mesa was run on other parameters ({d}): rerun scripts/mesa-vs-bloc.sh"),
            ));
            continue;
        }
        checks.extend(compare_with_reference(
            &scenario,
            &reference,
            configuration,
            runs,
            MESA_CHECK_SEED,
            threads,
        )?);
    }
    Ok(checks)
}

/// Model I's summary statistics against Mesa's example on equal parameters:
/// [`mesa_summary_statistics_with`] with [`MESA_CHECK_RUNS`] runs per configuration.
pub fn mesa_summary_statistics(threads: usize) -> Result<Vec<CheckResult>, EnsembleError> {
    mesa_summary_statistics_with(MESA_CHECK_RUNS, threads)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(mean: f64, sd: f64, n: u64) -> Moments {
        Moments {
            mean: Some(mean),
            sd: Some(sd),
            n,
        }
    }

    #[test]
    fn the_criterion_allows_three_standard_errors_and_one_percent() {
        // se = sqrt(4/4 + 0/1e6...) : Mesa sd 2 over 4 runs, bloc sd 0.
        let mesa = m(10.0, 2.0, 4);
        let ok = criterion(&mesa, &m(13.0 + 0.1 - 1e-9, 0.0, 100));
        assert!(matches!(ok, Verdict::Agree { tolerance } if (tolerance - 3.1).abs() < 1e-12));
        assert!(!criterion(&mesa, &m(13.2, 0.0, 100)).passed());
        assert!(criterion(&m(0.0, 0.0, 20), &m(0.0, 0.0, 50)).passed());
        assert!(!criterion(&m(0.0, 0.0, 20), &m(0.1, 0.0, 50)).passed());
        let none = Moments {
            mean: None,
            sd: None,
            n: 0,
        };
        assert_eq!(criterion(&none, &none), Verdict::BothUndefined);
        assert_eq!(criterion(&none, &m(1.0, 1.0, 5)), Verdict::TooFewRuns);
    }

    #[test]
    fn check_names() {
        assert_eq!(
            check_name("mesa-defaults", "mean_active_share"),
            "epstein/mesa-mean-active-share"
        );
        assert_eq!(
            check_name("run2", "outbursts"),
            "epstein/mesa-run2-outbursts"
        );
    }
}
