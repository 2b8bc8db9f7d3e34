//! `bloc bargain FILE --model exchange`: Stokman and van Oosten's exchange model (equal gain)
//! on decide's multi-issue format, as an ensemble over seeds: ties between equal gains are
//! broken at random, so one run is one possible course of the negotiation.

use crate::output::{Format, emit, emit_with};
use crate::{CliError, input};
use bloc_bargain::decide_format::{MultiIssueInput, read_decide};
use bloc_bargain::exchange::{ExchangeOptions, ExchangeRun, run_exchange};
use bloc_base::ensemble::{EnsemblePlan, run_ensemble};
use bloc_base::stats::{Band, band, std_dev};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

/// What `bloc bargain` passes on for the exchange model.
pub struct ExchangeArgs {
    /// Rounds per run.
    pub rounds: u32,
    /// Runs (seeds).
    pub runs: u32,
    /// Master seed.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// Output format.
    pub format: Format,
    /// Output file.
    pub out: Option<PathBuf>,
}

/// The ensemble's summary of one issue.
#[derive(Serialize)]
struct IssueSummary {
    issue: String,
    nbs_start: f64,
    /// Final NBS over runs: mean and 5/50/95 % quantiles.
    nbs_final: Band,
    nbs_final_sd: f64,
    /// Mean NBS over runs after each round.
    nbs_mean_by_round: Vec<f64>,
}

/// Runs the ensemble and writes the result.
pub fn run(source: &input::Source, args: &ExchangeArgs) -> Result<(), CliError> {
    let model = read_decide(&source.text).map_err(|d| input::report(source, &d))?;
    let options = ExchangeOptions {
        rounds: args.rounds,
        ..ExchangeOptions::default()
    };
    let plan = EnsemblePlan {
        runs: u64::from(args.runs),
        master_seed: args.seed,
        threads: args.threads,
    };
    let mut first: Option<ExchangeRun> = None;
    // nbs[run][round][issue]; small: runs x rounds x issues numbers.
    let mut nbs: Vec<Vec<Vec<f64>>> = Vec::new();
    let mut realised: Vec<usize> = Vec::new();
    run_ensemble(
        plan,
        |_, rng| run_exchange(&model, &options, rng),
        |i, run| {
            nbs.push(run.rounds.iter().map(|r| r.nbs_end.clone()).collect());
            realised.push(run.rounds.iter().map(|r| r.exchanges.len()).sum());
            if i == 0 {
                first = Some(run);
            }
        },
        |_| {},
    )
    .map_err(|e| CliError::Usage(e.to_string()))?;
    let first = first.ok_or_else(|| CliError::Usage("no run".into()))?;
    let summaries = summarize(&model, &first, &nbs);
    let out = args.out.as_deref();
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "meta": crate::bargain::meta(&source.name, "exchange"),
                "options": options,
                "runs": args.runs,
                "seed": args.seed,
                "input": model,
                "issues": summaries,
                "exchanges_per_run": band(&realised.iter().map(|&n| n as f64).collect::<Vec<_>>()),
                "first_run": first,
            });
            let text =
                serde_json::to_string_pretty(&doc).map_err(|e| CliError::Usage(e.to_string()))?;
            emit(out, &(text + "\n"))
        }
        Format::Csv => emit_with(out, |w| write_csv(w, &model, &nbs)),
        Format::Table => emit(
            out,
            &table(&source.name, args, &model, &first, &summaries, &realised),
        ),
    }
}

fn summarize(
    model: &MultiIssueInput,
    first: &ExchangeRun,
    nbs: &[Vec<Vec<f64>>],
) -> Vec<IssueSummary> {
    let rounds = first.rounds.len();
    model
        .issues
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            let finals: Vec<f64> = nbs
                .iter()
                .filter_map(|run| run.last().map(|r| r[k]))
                .collect();
            let by_round = (0..rounds)
                .map(|t| {
                    bloc_base::stats::mean(&nbs.iter().map(|run| run[t][k]).collect::<Vec<_>>())
                })
                .collect();
            IssueSummary {
                issue: issue.id.clone(),
                nbs_start: first.rounds.first().map_or(f64::NAN, |r| r.nbs_start[k]),
                nbs_final: band(&finals),
                nbs_final_sd: std_dev(&finals),
                nbs_mean_by_round: by_round,
            }
        })
        .collect()
}

fn write_csv(
    w: &mut dyn Write,
    model: &MultiIssueInput,
    nbs: &[Vec<Vec<f64>>],
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(["run", "round", "issue", "nbs"])?;
    for (run, rounds) in nbs.iter().enumerate() {
        for (t, values) in rounds.iter().enumerate() {
            for (issue, v) in model.issues.iter().zip(values) {
                w.write_record([
                    run.to_string(),
                    (t + 1).to_string(),
                    issue.id.clone(),
                    v.to_string(),
                ])?;
            }
        }
    }
    w.flush()
}

fn table(
    name: &str,
    args: &ExchangeArgs,
    model: &MultiIssueInput,
    first: &ExchangeRun,
    summaries: &[IssueSummary],
    realised: &[usize],
) -> String {
    let mut out = format!(
        "{name}: exchange model (Stokman & van Oosten, equal gain), {} rounds, {} runs from seed {}\n\
         Nash bargaining solution per issue, 0-100 scale\n",
        args.rounds, args.runs, args.seed
    );
    let mut t = crate::render::table([
        "issue",
        "start",
        "final mean",
        "sd",
        "5 %",
        "median",
        "95 %",
    ]);
    for s in summaries {
        t.add_row([
            s.issue.clone(),
            format!("{:.2}", s.nbs_start),
            format!("{:.2}", s.nbs_final.mean),
            format!("{:.2}", s.nbs_final_sd),
            format!("{:.2}", s.nbs_final.q05),
            format!("{:.2}", s.nbs_final.q50),
            format!("{:.2}", s.nbs_final.q95),
        ]);
    }
    let e = band(&realised.iter().map(|&n| n as f64).collect::<Vec<_>>());
    out.push_str(&format!(
        "{t}\nExchanges realised per run: mean {:.1} [{:.0} - {:.0}]\n\n",
        e.mean, e.q05, e.q95
    ));
    out.push_str(
        "Run 0, round 1: the first realised exchanges (actor gives on issue -> to position)\n",
    );
    let mut t = crate::render::table([
        "#",
        "i",
        "i gives on",
        "i to",
        "j",
        "j gives on",
        "j to",
        "gain",
    ]);
    if let Some(r) = first.rounds.first() {
        for (n, x) in r.exchanges.iter().take(10).enumerate() {
            t.add_row([
                (n + 1).to_string(),
                model.actors[x.i.actor].clone(),
                model.issues[x.i.supply_issue].id.clone(),
                format!("{:.2}", x.i.y),
                model.actors[x.j.actor].clone(),
                model.issues[x.j.supply_issue].id.clone(),
                format!("{:.2}", x.j.y),
                format!("{:.4}", x.gain),
            ]);
        }
    }
    out.push_str(&format!("{t}\n"));
    out
}
