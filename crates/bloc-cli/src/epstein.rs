//! `bloc epstein`: run an ensemble of Epstein's Model I and report per-step bands and
//! per-run summaries.

use crate::output::{Report, RunOutputArgs, write_report};
use crate::{CliError, input};
use bloc_base::ensemble::EnsemblePlan;
use bloc_base::stats::{Band, band};
use bloc_citizens::epstein::ensemble::{EnsembleResult, StepBands, run_epstein_ensemble};
use bloc_citizens::epstein::{Counts, EpsteinScenario, PAPER_SCENARIO_TOML, RunSummary};
use serde::Serialize;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `bloc epstein`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (default: the embedded paper configuration, scenarios/epstein-paper.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Number of runs (default: the file's ensemble.runs; at most 10,000,000 without
    /// --allow-large).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    runs: Option<u32>,
    /// Steps per run (default: the file's ensemble.steps; at most 1,000,000, about 0.7 GB,
    /// without --allow-large).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    steps: Option<u32>,
    /// Master seed (default: the file's ensemble.seed).
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    common: RunOutputArgs,
    /// Report every run's per-step counts instead of bands over runs.
    #[arg(long)]
    per_run: bool,
    /// In the table, show every N-th step (default: about 20 rows).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    every: Option<u32>,
}

/// Refuses an ensemble beyond the limits, and announces a long one. Measured (release, 2
/// cores, docs/reliability.md): about 60 us per step of a 40 x 40 lattice, 0.7 kB per step
/// for the bands, 24 bytes per run-step kept by --per-run.
fn check_size(s: &EpsteinScenario, per_run: bool, threads: usize) -> Result<(), CliError> {
    use crate::limits::{EPSTEIN_RUNS, EPSTEIN_STEPS, PER_RUN, announce, workers};
    let (runs, steps) = (u64::from(s.ensemble.runs), u64::from(s.ensemble.steps));
    EPSTEIN_RUNS.check(runs)?;
    EPSTEIN_STEPS.check(steps)?;
    if per_run {
        PER_RUN.check(runs * steps)?;
    }
    let cells = f64::from(s.lattice.width) * f64::from(s.lattice.height);
    let seconds = (runs * steps) as f64 * 60e-6 * cells / 1600.0 / workers(threads);
    let kept = if per_run {
        (runs * steps) as f64 * 24.0
    } else {
        0.0
    };
    announce(seconds, steps as f64 * 720.0 + kept);
    Ok(())
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), CliError> {
    let source = input::read(
        args.config.as_deref(),
        "<embedded epstein-paper.toml>",
        PAPER_SCENARIO_TOML,
    )?;
    let mut scenario =
        EpsteinScenario::from_toml(&source.text).map_err(|d| input::report(&source, &d))?;
    if let Some(r) = args.runs {
        scenario.ensemble.runs = r;
    }
    if let Some(s) = args.steps {
        scenario.ensemble.steps = s;
    }
    if let Some(s) = args.seed {
        scenario.ensemble.seed = s;
    }
    // Overrides can break rules that involve the run length (schedules): check again.
    let mut problems = bloc_base::document::SemanticProblems::default();
    bloc_base::document::Checked::check(&scenario, &mut problems);
    if let Some((path, message, expected)) = problems.into_vec().into_iter().next() {
        return Err(CliError::Usage(format!(
            "with the overrides given, {path}: {message}, expected {expected}"
        )));
    }
    check_size(&scenario, args.per_run, args.common.threads)?;
    let plan = EnsemblePlan {
        runs: u64::from(scenario.ensemble.runs),
        master_seed: scenario.ensemble.seed,
        threads: args.common.threads,
    };
    let steps = scenario.ensemble.steps;
    let bar = crate::render::progress_bar(plan.runs);
    let result = run_epstein_ensemble(&scenario, plan, steps, args.per_run, |done| {
        bar.set_position(done)
    })
    .map_err(|e| CliError::Usage(e.to_string()))?;
    bar.finish_and_clear();
    let report = EpsteinReport {
        scenario: &scenario,
        result: &result,
        every: args.every,
    };
    write_report(&args.common, &report)
}

/// A Model I ensemble with its scenario and the table's step interval.
struct EpsteinReport<'a> {
    scenario: &'a EpsteinScenario,
    result: &'a EnsembleResult,
    every: Option<u32>,
}

impl Report for EpsteinReport<'_> {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write_json(w, self.scenario, self.result)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(to_table(self.scenario, self.result, self.every).as_bytes())
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write_csv(w, self.result)
    }
}

struct RunStats {
    mean_active_share: Band,
    peak_active: Band,
    outbursts: Band,
    mean_wait: Band,
    final_jailed: Band,
    outburst_activation: Band,
    total_outbursts: usize,
}

fn run_stats(r: &EnsembleResult) -> RunStats {
    let s = &r.summaries;
    let collect = |f: &dyn Fn(&bloc_citizens::epstein::RunSummary) -> f64| -> Vec<f64> {
        s.iter().map(f).collect()
    };
    let waits: Vec<f64> = s.iter().filter_map(|x| x.mean_wait()).collect();
    let activation: Vec<f64> = s
        .iter()
        .flat_map(|x| x.outbursts.iter().map(|o| o.activation as f64))
        .collect();
    RunStats {
        mean_active_share: band(&collect(&|x| x.mean_active_share)),
        peak_active: band(&collect(&|x| f64::from(x.peak_active))),
        outbursts: band(&collect(&|x| x.outbursts.len() as f64)),
        mean_wait: band(&waits),
        final_jailed: band(&collect(&|x| f64::from(x.final_jailed))),
        outburst_activation: band(&activation),
        total_outbursts: activation.len(),
    }
}

fn meta(scenario: &EpsteinScenario) -> serde_json::Value {
    json!({
        "tool": "bloc",
        "bloc_version": env!("CARGO_PKG_VERSION"),
        "bloc_core_version": bloc_base::VERSION,
        "model": "Epstein 2002 civil violence Model I",
        "scenario_name": scenario.scenario.name,
        "scenario_hash": scenario.hash(),
        "seed": scenario.ensemble.seed,
        "runs": scenario.ensemble.runs,
        "steps": scenario.ensemble.steps,
        "rng": bloc_citizens::epstein::RNG_DESCRIPTION,
        "outburst_rule": scenario.outburst,
    })
}

/// One run's entry in the JSON output.
#[derive(Serialize)]
struct RunEntry<'a> {
    run: usize,
    mean_wait: Option<f64>,
    #[serde(flatten)]
    summary: &'a RunSummary,
}

/// The JSON document, serialized straight from the results (no intermediate tree), so a
/// large ensemble needs no more memory for its output than the results themselves.
#[derive(Serialize)]
struct JsonDoc<'a> {
    meta: serde_json::Value,
    scenario: &'a EpsteinScenario,
    summary: serde_json::Value,
    runs: Vec<RunEntry<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    steps: Option<Vec<StepBands>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_run_steps: Option<&'a Vec<Vec<Counts>>>,
}

fn write_json(
    w: &mut dyn Write,
    scenario: &EpsteinScenario,
    r: &EnsembleResult,
) -> std::io::Result<()> {
    let st = run_stats(r);
    let doc = JsonDoc {
        meta: meta(scenario),
        scenario,
        summary: json!({
            "mean_active_share": st.mean_active_share,
            "peak_active": st.peak_active,
            "outbursts_per_run": st.outbursts,
            "mean_wait_between_outbursts": st.mean_wait,
            "final_jailed": st.final_jailed,
            "outburst_activation": st.outburst_activation,
            "total_outbursts": st.total_outbursts,
        }),
        runs: r
            .summaries
            .iter()
            .enumerate()
            .map(|(run, summary)| RunEntry {
                run,
                mean_wait: summary.mean_wait(),
                summary,
            })
            .collect(),
        steps: r.series.is_none().then(|| r.step_bands()),
        per_run_steps: r.series.as_ref(),
    };
    serde_json::to_writer_pretty(&mut *w, &doc).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

fn write_csv(w: &mut dyn Write, r: &EnsembleResult) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    match &r.series {
        Some(series) => {
            w.write_record(["run", "step", "quiet", "active", "jailed"])?;
            for (run, counts) in series.iter().enumerate() {
                for (step, c) in counts.iter().enumerate() {
                    w.write_record([
                        run.to_string(),
                        step.to_string(),
                        c.quiet.to_string(),
                        c.active.to_string(),
                        c.jailed.to_string(),
                    ])?;
                }
            }
        }
        None => {
            let mut header = vec!["step".to_string()];
            for state in ["quiet", "active", "jailed"] {
                for stat in ["mean", "q05", "q50", "q95"] {
                    header.push(format!("{state}_{stat}"));
                }
            }
            w.write_record(&header)?;
            for b in r.step_bands() {
                let mut row = vec![b.step.to_string()];
                for band in [b.quiet, b.active, b.jailed] {
                    row.extend([band.mean, band.q05, band.q50, band.q95].map(|x| x.to_string()));
                }
                w.write_record(&row)?;
            }
        }
    }
    w.flush()
}

fn fmt_band(b: &Band, digits: usize) -> [String; 4] {
    [b.mean, b.q05, b.q50, b.q95].map(|x| {
        if x.is_nan() {
            "-".to_string()
        } else {
            format!("{x:.digits$}")
        }
    })
}

fn to_table(scenario: &EpsteinScenario, r: &EnsembleResult, every: Option<u32>) -> String {
    let st = run_stats(r);
    let mut out = format!(
        "{}\n{} runs x {} steps, seed {}, scenario hash {}\n",
        scenario.scenario.name,
        scenario.ensemble.runs,
        scenario.ensemble.steps,
        scenario.ensemble.seed,
        &scenario.hash()[..16]
    );
    out.push_str(&format!(
        "Outburst: more than {} actives after at least {} calm step(s).\n\nPer-run summaries (over runs)\n",
        scenario.outburst.threshold, scenario.outburst.min_calm_steps
    ));
    let mut t = crate::render::table(["statistic", "mean", "5 %", "median", "95 %"]);
    let rows: [(&str, &Band, usize); 6] = [
        ("mean active share", &st.mean_active_share, 4),
        ("peak actives", &st.peak_active, 1),
        ("outbursts per run", &st.outbursts, 1),
        ("mean wait between outbursts (steps)", &st.mean_wait, 1),
        ("activation per outburst", &st.outburst_activation, 0),
        ("jailed at the end", &st.final_jailed, 1),
    ];
    for (name, b, d) in rows {
        let [m, a, q, z] = fmt_band(b, d);
        t.add_row([name.to_string(), m, a, q, z]);
    }
    out.push_str(&format!(
        "{t}\n{} outbursts in all.\n\n",
        st.total_outbursts
    ));
    match &r.series {
        Some(series) => {
            out.push_str("Per-run counts (quiet / active / jailed) at the last step\n");
            let mut t = crate::render::table([
                "run",
                "quiet",
                "active",
                "jailed",
                "peak actives",
                "outbursts",
            ]);
            for (i, (counts, s)) in series.iter().zip(&r.summaries).enumerate() {
                let c = counts.last().copied().unwrap_or_default();
                t.add_row([
                    i.to_string(),
                    c.quiet.to_string(),
                    c.active.to_string(),
                    c.jailed.to_string(),
                    s.peak_active.to_string(),
                    s.outbursts.len().to_string(),
                ]);
            }
            out.push_str(&format!("{t}\n"));
        }
        None => {
            let bands = r.step_bands();
            let every = every.unwrap_or((scenario.ensemble.steps / 20).max(1)) as usize;
            out.push_str("Counts per step over runs: mean [5 % - 95 %]\n");
            let mut t = crate::render::table(["step", "quiet", "active", "jailed"]);
            for b in bands.iter().filter(|b| {
                (b.step as usize).is_multiple_of(every) || b.step as usize + 1 == bands.len()
            }) {
                let cell = |x: &Band| format!("{:.1} [{:.0} - {:.0}]", x.mean, x.q05, x.q95);
                t.add_row([
                    b.step.to_string(),
                    cell(&b.quiet),
                    cell(&b.active),
                    cell(&b.jailed),
                ]);
            }
            out.push_str(&format!("{t}\n"));
        }
    }
    out
}
