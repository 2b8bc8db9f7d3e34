//! `bloc sensitivity [SCENARIO]`: Morris's elementary effects of the forecast's outcome
//! probabilities with respect to every estimated parameter of a scenario (by default the
//! embedded Eastern Europe 1989 flagship), ranked.

use crate::CliError;
use crate::args::{HorizonArgs, OverrideArgs, SeedArgs};
use crate::output::{Report, RunOutputArgs, pretty_json, write_report};
use bloc_model::sensitivity::bloc::{
    DEFAULT_LEVELS, DEFAULT_RUNS, DEFAULT_SPREAD, DEFAULT_TRAJECTORIES, check_spread,
};
use bloc_model::sensitivity::{Sensitivity, SensitivityError, SensitivityPlan, run_sensitivity};
use std::io::Write;
use std::path::PathBuf;

/// What the help says about ranges, outputs and cost.
const AFTER_HELP: &str = "\
Factors: every parameter whose source starts with \"estimate\" (the { value, source } pairs, \
attention weights, lever intensities, event values). Range of an estimate v: v ± spread·|v|, \
clipped to its type (Fraction [0, 1], Shift [-1, 1], Position [0, 100], Amount >= 0; a Count \
widened to whole numbers and rounded). Zero estimates have no relative range and are held \
fixed (listed). Order rules (lethal_below <= repression_below <= dialogue_at <= legalize_at <= \
elections_at; a cohort's low <= high) cut overlapping ranges at the midpoint; cohort shares are \
rescaled to sum to 1. Every point of the design is checked before any run.

Outputs: per country the probabilities of smooth, leaps, suppression, eruption, stable, party in \
power, alliance intact and intervention. Every point runs the same master seed (common random \
numbers). mu* is the mean absolute elementary effect (Campolongo et al. 2007), per unit of the \
estimate's range: the change in a probability when the estimate crosses its whole range. \
Ranked by the largest mu* over outputs.

Cost: (trajectories x (estimates + 1) + 1) x runs forecast runs. The defaults on the flagship \
(303 estimates: (4 x 304 + 1) x 16 = 19,472 runs) take about 3 minutes on 2 cores (345 s of \
CPU; docs/validation.md). A value given with --set gets the override as its source, so it is \
held fixed. Results do not depend on --threads.

--method sobol: the factors are the values with a prior (13 mechanism estimates of the \
flagship), drawn from their priors into two matrices A and B of --samples rows; the N (k + 2) \
points of Saltelli et al. (2010) (A, B, and A with one column from B) are each forecast with \
--runs runs from the same seed (common random numbers: the indices describe the forecast at \
that seed, and the jitter of few runs shows up as effects, mostly interactions). First-order \
and total indices per output (Saltelli et al. 2010, Table 2 (b) and (f)) with bootstrap \
standard errors; ranked by the largest total partial variance over outputs (an output that \
seldom varies can have indices beyond 1). A value given with --set is held fixed. \
--trajectories, --levels and --spread are Morris's; --samples is Sobol's.";

/// Arguments of `bloc sensitivity`.
#[derive(clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Scenario file (default: the embedded scenarios/eastern-europe-1989.toml).
    scenario: Option<PathBuf>,
    /// Morris trajectories r: elementary effects per estimate and output (at least 2).
    #[arg(long, default_value_t = DEFAULT_TRAJECTORIES as u32,
          value_parser = clap::value_parser!(u32).range(2..=100_000))]
    trajectories: u32,
    /// Grid levels p (even; the step is p/(2(p-1)) of each range).
    #[arg(long, default_value_t = DEFAULT_LEVELS)]
    levels: u32,
    /// Forecast runs at each point.
    #[arg(long, default_value_t = DEFAULT_RUNS,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    runs: u64,
    #[command(flatten)]
    seed: SeedArgs,
    /// Relative half-width of each estimate's range, in (0, 1]: 0.25 is ±25 %.
    #[arg(long, default_value_t = DEFAULT_SPREAD, allow_negative_numbers = true)]
    spread: f64,
    #[command(flatten)]
    horizon: HorizonArgs,
    #[command(flatten)]
    overrides: OverrideArgs,
    /// Rows of the ranking in the table (JSON and CSV hold every estimate).
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// morris: every estimate over ±spread of its value; sobol: first-order and total
    /// Sobol' indices of the values with a prior, drawn from their priors (Saltelli et al.
    /// 2010; --samples, --runs).
    #[arg(long, value_enum, default_value_t = Method::Morris)]
    method: Method,
    /// Sobol' base samples N: N (k + 2) points for k values with a prior.
    #[arg(long, default_value_t = 16,
          value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
    samples: u64,
    #[command(flatten)]
    common: RunOutputArgs,
}

/// The analysis `bloc sensitivity` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Method {
    /// Morris's elementary effects of every estimate.
    Morris,
    /// Sobol' indices of the values with a prior, over their priors.
    Sobol,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), CliError> {
    args.common.check_out()?;
    check_spread(args.spread).map_err(|e| CliError::Usage(format!("--{e}")))?;
    let (scenario, text) = args.overrides.scenario(args.scenario.as_deref())?;
    if args.method == Method::Sobol {
        let k = bloc_model::parameters::sourced_values(&scenario)
            .iter()
            .filter(|v| v.prior.is_some())
            .count() as u64;
        let points = args.samples * (k + 2);
        crate::limits::SOBOL_POINTS.check(points)?;
        // Each point a forecast of --runs runs; the points' outputs and draws kept.
        let weeks = args.horizon.horizon.unwrap_or(scenario.scenario.weeks);
        let per_run = crate::limits::seconds_per_bloc_run(scenario.countries.len(), weeks);
        crate::limits::announce(
            (points * args.runs) as f64 * per_run / crate::limits::workers(args.common.threads),
            13e6 + points as f64 * 8.0 * (k as f64 + 8.0 * scenario.countries.len() as f64),
        );
        let plan = bloc_model::sensitivity::prior_sobol::SobolPlan {
            samples: args.samples as usize,
            runs: args.runs,
            seed: args.seed.or_scenario(&scenario),
            horizon: args.horizon.horizon,
            threads: args.common.threads,
        };
        return crate::sobol::run(&text, &plan, &args.common, args.top);
    }
    announce_morris(&args, &scenario);
    let plan = SensitivityPlan {
        trajectories: args.trajectories as usize,
        levels: args.levels,
        runs: args.runs,
        seed: args.seed.or_scenario(&scenario),
        spread: args.spread,
        horizon: args.horizon.horizon,
        threads: args.common.threads,
    };
    let bar = crate::render::progress_bar(0);
    let result = run_sensitivity(&text, &plan, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let mut result = result.map_err(|e| match e {
        SensitivityError::Scenario(_)
        | SensitivityError::InvalidPoint { .. }
        | SensitivityError::NoFactors => CliError::Invalid(e.to_string()),
        SensitivityError::Morris(m) => CliError::Usage(m.to_string()),
        other => CliError::Usage(other.to_string()),
    })?;
    result.meta.overrides = args.overrides.set.clone();
    write_report(&args.common, &Ranked(&result, args.top))
}

/// Prints the time estimate of a Morris analysis of more than a minute: (r (k + 1) + 1)
/// forecasts of --runs runs, each run about 20 ms of six allies over 100 weeks on one core
/// (docs/performance.md); the design and the outputs are small.
fn announce_morris(args: &Args, scenario: &bloc_model::BlocScenario) {
    let Ok((factors, _)) = bloc_model::sensitivity::bloc::factors(scenario, args.spread) else {
        return;
    };
    let points = u64::from(args.trajectories) * (factors.len() as u64 + 1) + 1;
    let weeks = args.horizon.horizon.unwrap_or(scenario.scenario.weeks);
    let per_run = crate::limits::seconds_per_bloc_run(scenario.countries.len(), weeks);
    crate::limits::announce(
        (points * args.runs) as f64 * per_run / crate::limits::workers(args.common.threads),
        13e6,
    );
}

/// A sensitivity result with the rows of its table's ranking.
struct Ranked<'a>(&'a Sensitivity, usize);

impl Report for Ranked<'_> {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, self.0)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(to_table(self.0, self.1).as_bytes())
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write_csv(w, self.0)
    }
}

/// A number with about four significant digits, without trailing zeros.
fn num(x: f64) -> String {
    if x == x.round() && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let magnitude = libm::log10(x.abs()).floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 10) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn pp(p: f64) -> String {
    format!("{:.1}", 100.0 * p)
}

fn to_table(r: &Sensitivity, top: usize) -> String {
    let m = &r.meta;
    let mut out = format!(
        "{}: Morris elementary effects of the outcome probabilities\n\
         {} estimates varied by ±{} % of their value, r = {} trajectories, p = {} levels \
         (step {} of each range), {} runs per point, seed {}: {} points, {} forecast runs\n\n",
        m.scenario,
        m.factors,
        num(100.0 * m.spread),
        m.trajectories,
        m.levels,
        num(m.delta),
        m.runs,
        m.seed,
        m.evaluations,
        m.model_runs
    );
    out.push_str(&format!(
        "Top {} by the largest mu* over outputs. mu*, sigma, mu: elementary effects in percentage \
         points of a probability per whole range of the estimate (one step is {} of the range, so \
         an effect above 100 means one step moved the probability by more than {} points); \
         sigma and mu for the output moved most\n",
        top.min(r.parameters.len()),
        num(m.delta),
        num(100.0 * m.delta)
    ));
    let mut t = crate::render::table(vec![
        "rank",
        "parameter",
        "value [range]",
        "mu*",
        "sigma",
        "mu",
        "moves most (nominal %)",
        "mean mu*",
    ]);
    for p in r.parameters.iter().take(top) {
        let nominal = r
            .outputs
            .iter()
            .position(|o| *o == p.output)
            .and_then(|i| r.nominal.get(i))
            .map_or_else(String::new, |v| format!(" ({})", pp(*v)));
        t.add_row(vec![
            p.rank.to_string(),
            p.factor.path.clone(),
            format!(
                "{} [{} .. {}]",
                num(p.factor.value),
                num(p.factor.low),
                num(p.factor.high)
            ),
            pp(p.mu_star_max),
            pp(p.sigma),
            pp(p.mu),
            format!("{}{nominal}", p.output),
            pp(p.mu_star_mean),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    let zero = r.parameters.iter().filter(|p| p.mu_star_max == 0.0).count();
    out.push_str(&format!(
        "{zero} of {} estimates moved no output at any point\n",
        r.parameters.len()
    ));
    if !r.fixed.is_empty() {
        out.push_str(&format!("Held fixed ({}):\n", r.fixed.len()));
        for f in &r.fixed {
            out.push_str(&format!("  {} = {}: {}\n", f.path, num(f.value), f.reason));
        }
    }
    out
}

fn write_csv(w: &mut dyn Write, r: &Sensitivity) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record([
        "rank",
        "parameter",
        "kind",
        "value",
        "low",
        "high",
        "mu_star_max",
        "output",
        "mu",
        "sigma",
        "mu_star_mean",
        "nominal",
        "note",
        "source",
    ])?;
    for p in &r.parameters {
        let nominal = r
            .outputs
            .iter()
            .position(|o| *o == p.output)
            .and_then(|i| r.nominal.get(i))
            .map_or_else(String::new, f64::to_string);
        csv.write_record([
            p.rank.to_string(),
            p.factor.path.clone(),
            p.factor.kind.name().to_string(),
            p.factor.value.to_string(),
            p.factor.low.to_string(),
            p.factor.high.to_string(),
            p.mu_star_max.to_string(),
            p.output.clone(),
            p.mu.to_string(),
            p.sigma.to_string(),
            p.mu_star_mean.to_string(),
            nominal,
            p.factor.note.clone().unwrap_or_default(),
            p.factor.source.clone(),
        ])?;
    }
    csv.flush()
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(0.032), "0.032");
        assert_eq!(num(0.30000000000000004), "0.3");
        assert_eq!(num(62.5), "62.5");
        assert_eq!(num(40.0), "40");
        assert_eq!(num(2.0 / 3.0), "0.6667");
        assert_eq!(num(-0.125), "-0.125");
    }
}
