//! `bloc bargain FILE`: a collective decision among stakeholders on one issue, by the
//! weighted median, Bueno de Mesquita's model (Scholz et al. 2011) or, on decide's
//! multi-issue format, Stokman's exchange model (an ensemble over seeds, since its ties are
//! broken at random).

use crate::output::{Format, Report, pretty_json, write_as};
use crate::{CliError, input};
use bloc_bargain::bdm::{BdmOptions, BdmRun, Capitulation, CompromiseChoice, run_bdm};
use bloc_bargain::{StakeholderTable, read_stakeholders, weighted_mean, weighted_median, weights};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `bloc bargain`.
#[derive(clap::Args)]
pub struct Args {
    /// Stakeholder table (CSV or TSV: actor, capability, position, salience), or for the
    /// exchange model a file in decide's multi-issue format.
    file: PathBuf,
    /// The decision model.
    #[arg(long, value_enum, default_value_t = Model::Bdm)]
    model: Model,
    /// Number of rounds (bdm, exchange).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    rounds: u32,
    /// Number of runs over seeds (exchange).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Master seed (exchange).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (0: one per core); results do not depend on it (exchange).
    #[arg(long, default_value_t = 0, value_parser = crate::args::threads)]
    threads: usize,
    /// Probability Q that the status quo holds (bdm).
    #[arg(long, default_value_t = 1.0)]
    status_quo_probability: f64,
    /// Which compromise an actor takes (bdm).
    #[arg(long, value_enum, default_value_t = CompromiseArg::ScholzCode)]
    compromise: CompromiseArg,
    /// When an actor capitulates (bdm).
    #[arg(long, value_enum, default_value_t = CapitulationArg::WhenLossExceedsGain)]
    capitulation: CapitulationArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Model {
    /// Weighted median and mean of the positions (weights capability x salience).
    Median,
    /// Bueno de Mesquita's expected utility model as specified by Scholz et al. (2011).
    Bdm,
    /// Stokman and van Oosten's exchange model, equal-gain variant (decide's format).
    Exchange,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CompromiseArg {
    /// As Scholz's code: the smallest EU-weighted mean of the two positions.
    ScholzCode,
    /// As the papers' text: the compromise that moves the actor least.
    LeastMove,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CapitulationArg {
    /// When the actor's expected loss exceeds the other's expected gain.
    WhenLossExceedsGain,
    /// Never (reproduces the jmckib code's test, which is never true).
    Never,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), CliError> {
    if !(0.0..=1.0).contains(&args.status_quo_probability) {
        return Err(CliError::Usage(format!(
            "--status-quo-probability {} is out of range, expected a value from 0 to 1",
            args.status_quo_probability
        )));
    }
    let source = input::read(Some(&args.file), "", "")?;
    let out = args.out.as_deref();
    match args.model {
        Model::Exchange => crate::exchange::run(&source, &args.exchange_args()),
        Model::Median => {
            let table = read_table(&source)?;
            let positions = table.positions();
            let w = weights(&table.stakeholders);
            let median = weighted_median(&positions, &w);
            let mean = weighted_mean(&positions, &w);
            let doc = json!({"meta": meta(&source.name, "median"), "input": table, "median": median, "mean": mean});
            let report = MedianReport {
                name: &source.name,
                doc,
                median,
                mean,
            };
            write_as(args.format, out, &report)
        }
        Model::Bdm => {
            let table = read_table(&source)?;
            let options = BdmOptions {
                status_quo_probability: args.status_quo_probability,
                compromise_choice: match args.compromise {
                    CompromiseArg::ScholzCode => CompromiseChoice::ScholzCode,
                    CompromiseArg::LeastMove => CompromiseChoice::LeastMove,
                },
                capitulation: match args.capitulation {
                    CapitulationArg::WhenLossExceedsGain => Capitulation::WhenLossExceedsGain,
                    CapitulationArg::Never => Capitulation::Never,
                },
            };
            let run = run_bdm(&table.stakeholders, args.rounds, options);
            let doc = json!({"meta": meta(&source.name, "bdm"), "options": options, "input": table, "run": run});
            let report = BdmReport {
                name: &source.name,
                doc,
                table: &table,
                run: &run,
            };
            write_as(args.format, out, &report)
        }
    }
}

/// The weighted median and mean of a stakeholder table.
struct MedianReport<'a> {
    name: &'a str,
    /// The JSON document (a value: its keys sorted, the layout since the first release).
    doc: serde_json::Value,
    median: Option<f64>,
    mean: Option<f64>,
}

impl Report for MedianReport<'_> {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, &self.doc)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let (median, mean) = (fmt(self.median), fmt(self.mean));
        writeln!(
            w,
            "{}\nweighted median {median}, weighted mean {mean}",
            self.name
        )
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        writeln!(w, "median,mean\n{},{}", fmt(self.median), fmt(self.mean))
    }
}

/// A BDM run, round by round.
struct BdmReport<'a> {
    name: &'a str,
    /// The JSON document (a value: its keys sorted, the layout since the first release).
    doc: serde_json::Value,
    table: &'a StakeholderTable,
    run: &'a BdmRun,
}

impl Report for BdmReport<'_> {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, &self.doc)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(bdm_table(self.name, self.table, self.run).as_bytes())
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        bdm_csv(w, self.table, self.run)
    }
}

/// Reads a stakeholder table, pointing users of decide's format to the exchange model.
fn read_table(source: &input::Source) -> Result<StakeholderTable, CliError> {
    if source.text.trim_start().starts_with("'#") {
        return Err(CliError::Usage(format!(
            "{} is in decide's multi-issue format: use --model exchange",
            source.name
        )));
    }
    read_stakeholders(&source.text).map_err(|d| input::report(source, &d))
}

impl Args {
    fn exchange_args(&self) -> crate::exchange::ExchangeArgs {
        crate::exchange::ExchangeArgs {
            rounds: self.rounds,
            runs: self.runs,
            seed: self.seed,
            threads: self.threads,
            format: self.format,
            out: self.out.clone(),
        }
    }
}

/// Metadata of every `bloc bargain` output.
pub fn meta(file: &str, model: &str) -> serde_json::Value {
    json!({"tool": "bloc", "bloc_version": env!("CARGO_PKG_VERSION"), "bloc_core_version": bloc_base::VERSION,
           "model": model, "file": file})
}

fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.4}"))
}

fn bdm_csv(w: &mut dyn Write, table: &StakeholderTable, run: &BdmRun) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record([
        "round",
        "actor",
        "position",
        "risk_exponent",
        "offer",
        "offer_from",
        "median",
        "mean",
    ])?;
    for s in &table.stakeholders {
        w.write_record([
            "0".to_string(),
            s.name.clone(),
            s.position.to_string(),
            String::new(),
            String::new(),
            String::new(),
            run.initial_median.to_string(),
            run.initial_mean.to_string(),
        ])?;
    }
    for r in &run.rounds {
        for (i, s) in table.stakeholders.iter().enumerate() {
            let offer = r.offers.iter().find(|o| o.actor == i);
            w.write_record([
                r.round.to_string(),
                s.name.clone(),
                r.positions[i].to_string(),
                r.risk_exponents[i].to_string(),
                offer.map_or(String::new(), |o| format!("{:?}", o.kind).to_lowercase()),
                offer.map_or(String::new(), |o| table.stakeholders[o.from].name.clone()),
                r.median.to_string(),
                r.mean.to_string(),
            ])?;
        }
    }
    w.flush()
}

fn bdm_table(name: &str, table: &StakeholderTable, run: &BdmRun) -> String {
    let mut out = format!(
        "{name}: Bueno de Mesquita's model (Scholz et al. 2011), {} rounds\n\nForecast per round\n",
        run.rounds.len()
    );
    let mut t = crate::render::table(["round", "weighted median", "weighted mean", "moves"]);
    t.add_row([
        "0".to_string(),
        format!("{:.3}", run.initial_median),
        format!("{:.3}", run.initial_mean),
        String::new(),
    ]);
    for r in &run.rounds {
        let moves: Vec<String> = r
            .offers
            .iter()
            .map(|o| {
                format!(
                    "{} {:?} {} -> {:.3}",
                    table.stakeholders[o.actor].name,
                    o.kind,
                    table.stakeholders[o.from].name,
                    o.position
                )
            })
            .collect();
        t.add_row([
            r.round.to_string(),
            format!("{:.3}", r.median),
            format!("{:.3}", r.mean),
            moves.join("; "),
        ]);
    }
    out.push_str(&format!(
        "{t}\n\nPositions (risk exponent of the last round)\n"
    ));
    let mut header = vec!["actor".to_string(), "c".into(), "s".into(), "start".into()];
    header.extend(run.rounds.iter().map(|r| r.round.to_string()));
    header.push("r".into());
    let mut t = crate::render::table(header);
    for (i, s) in table.stakeholders.iter().enumerate() {
        let mut row = vec![
            s.name.clone(),
            format!("{}", s.capability),
            format!("{}", s.salience),
            format!("{}", s.position),
        ];
        row.extend(run.rounds.iter().map(|r| format!("{:.2}", r.positions[i])));
        row.push(
            run.rounds
                .last()
                .map_or(String::new(), |r| format!("{:.2}", r.risk_exponents[i])),
        );
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n"));
    out
}
