//! `bloc bargain FILE --model exchange`: Stokman and van Oosten's exchange model (equal gain)
//! on decide's multi-issue format, as an ensemble over seeds: ties between equal gains are
//! broken at random, so one run is one possible course of the negotiation.

use crate::output::{Format, Report, pretty_json, write_as};
use crate::{CliError, input};
use bloc_bargain::decide_format::{MultiIssueInput, read_decide};
use bloc_bargain::ensemble::{ExchangeEnsemble, run_exchange_ensemble};
use bloc_bargain::exchange::ExchangeOptions;
use bloc_base::ensemble::EnsemblePlan;
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

/// Runs the ensemble and writes the result.
pub fn run(source: &input::Source, args: &ExchangeArgs) -> Result<(), CliError> {
    crate::limits::EXCHANGE_RUNS.check(u64::from(args.runs))?;
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
    let e =
        run_exchange_ensemble(&model, options, plan).map_err(|e| CliError::Usage(e.to_string()))?;
    // Through a JSON value, whose keys are sorted: the document's layout since the first
    // release.
    let mut doc = serde_json::to_value(&e).map_err(|e| CliError::Usage(e.to_string()))?;
    doc["meta"] = crate::bargain::meta(&source.name, "exchange");
    let report = ExchangeReport {
        name: &source.name,
        args,
        doc,
        ensemble: &e,
    };
    write_as(args.format, args.out.as_deref(), &report)
}

/// An exchange-model ensemble with its document.
struct ExchangeReport<'a> {
    name: &'a str,
    args: &'a ExchangeArgs,
    doc: serde_json::Value,
    ensemble: &'a ExchangeEnsemble,
}

impl Report for ExchangeReport<'_> {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, &self.doc)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(table(self.name, self.args, self.ensemble).as_bytes())
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write_csv(w, &self.ensemble.input, &self.ensemble.nbs)
    }
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

fn table(name: &str, args: &ExchangeArgs, e: &ExchangeEnsemble) -> String {
    let (model, first, summaries) = (&e.input, &e.first_run, &e.issues);
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
    let x = &e.exchanges_per_run;
    out.push_str(&format!(
        "{t}\nExchanges realised per run: mean {:.1} [{:.0} - {:.0}]\n\n",
        x.mean, x.q05, x.q95
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
