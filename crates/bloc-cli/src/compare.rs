//! `bloc compare STRATEGY...`: the centre's strategies on one ensemble (common random
//! numbers), each compared run by run with the first, and scored by an objective.

use crate::args::{ObjectiveArgs, OverrideArgs, PairedRunsArgs, SeedArgs};
use crate::output::{Report, RunOutputArgs, pretty_json, write_report};
use crate::posterior::{PosteriorArgs, with_strategy};
use crate::{CliError, input};
use bloc_base::ensemble::EnsemblePlan;
use bloc_model::PosteriorMeta;
use bloc_model::strategy::apply_strategy;
use bloc_model::strategy::compare::{
    Candidate, Difference, Metric, Objective, StrategyResult, compare,
};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `bloc compare`.
#[derive(clap::Args)]
pub struct Args {
    /// Strategy files (the first is the baseline), e.g. scenarios/strategies/*.toml.
    #[arg(required = true, num_args = 1..)]
    strategies: Vec<PathBuf>,
    /// Scenario file (default: the embedded scenarios/eastern-europe-1989.toml).
    #[arg(long)]
    scenario: Option<PathBuf>,
    #[command(flatten)]
    runs: PairedRunsArgs,
    #[command(flatten)]
    seed: SeedArgs,
    #[command(flatten)]
    overrides: OverrideArgs,
    #[command(flatten)]
    objective: ObjectiveArgs,
    #[command(flatten)]
    posterior: PosteriorArgs,
    #[command(flatten)]
    common: RunOutputArgs,
}

#[derive(Serialize)]
struct Meta {
    scenario: String,
    scenario_hash: String,
    strategies: Vec<String>,
    baseline: String,
    runs: u64,
    seed: u64,
    objective: Objective,
    intervals: &'static str,
    /// The posterior each run's calibrated values were drawn from (the same draw for every
    /// strategy in a run), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    posterior: Option<PosteriorMeta>,
    version: String,
}

#[derive(Serialize)]
struct Output {
    meta: Meta,
    strategies: Vec<StrategyResult>,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), CliError> {
    args.common.check_out()?;
    let posterior = args
        .posterior
        .posterior(args.scenario.as_deref(), &args.overrides.set)?;
    let (scenario, text) = args.overrides.scenario(args.scenario.as_deref())?;
    let objective = args.objective.parse()?;
    let mut candidates = Vec::new();
    let mut texts = Vec::new();
    for path in &args.strategies {
        let file = input::read(Some(path), "", "")?;
        let (strategy, applied) =
            apply_strategy(&scenario, &file.text).map_err(|d| input::report(&file, &d))?;
        if candidates
            .iter()
            .any(|c: &Candidate| c.name == strategy.strategy.name)
        {
            return Err(CliError::Usage(format!(
                "two strategies are named \"{}\" ({}): names must differ",
                strategy.strategy.name, file.name
            )));
        }
        candidates.push(Candidate {
            name: strategy.strategy.name.clone(),
            description: strategy.strategy.description.clone(),
            scenario: applied,
            reactions: strategy.reactions.clone(),
            draws: None,
        });
        texts.push(file);
    }
    let runs = args.runs.or_scenario(&scenario)?;
    let seed = args.seed.or_scenario(&scenario);
    let plan = EnsemblePlan {
        runs,
        master_seed: seed,
        threads: args.common.threads,
    };
    let posterior_meta = match &posterior {
        Some(p) => {
            let (draws, meta) = p.draws_on_text(
                args.scenario.as_deref(),
                &args.overrides.set,
                &scenario,
                &text,
                runs,
                seed,
                args.common.threads,
            )?;
            for (c, file) in candidates.iter_mut().zip(&texts) {
                c.draws = Some(with_strategy(&draws, file)?);
            }
            Some(meta)
        }
        None => None,
    };
    let bar = crate::render::progress_bar(runs * candidates.len() as u64);
    let results = compare(&candidates, plan, &objective, |k, done| {
        bar.set_position(k as u64 * runs + done)
    })
    .map_err(|e| CliError::Usage(e.to_string()))?;
    bar.finish_and_clear();
    let out = Output {
        meta: Meta {
            scenario: scenario.scenario.name.clone(),
            scenario_hash: scenario.hash(),
            strategies: candidates.iter().map(|c| c.name.clone()).collect(),
            baseline: candidates[0].name.clone(),
            runs,
            seed,
            objective,
            intervals: "95 %, normal approximation: paired = run-by-run differences on common \
                        random numbers; unpaired = as if the runs were independent",
            posterior: posterior_meta,
            version: bloc_base::VERSION.to_string(),
        },
        strategies: results,
    };
    write_report(&args.common, &out)
}

impl Report for Output {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, self)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(to_table(self).as_bytes())
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write_csv(w, self)
    }
}

fn interval(d: &Difference, scale: f64, digits: usize) -> String {
    format!(
        "{:+.*} [{:+.*}, {:+.*}]",
        digits,
        d.mean * scale,
        digits,
        d.paired[0] * scale,
        digits,
        d.paired[1] * scale
    )
}

const SHOWN: [(Metric, &str, f64, usize); 6] = [
    (Metric::Alliance, "alliance intact (pp)", 100.0, 1),
    (Metric::Party, "party in power (pp)", 100.0, 1),
    (Metric::Eruption, "eruption (pp)", 100.0, 1),
    (Metric::Suppression, "suppression (pp)", 100.0, 1),
    (Metric::Intervention, "intervention (pp)", 100.0, 1),
    (Metric::Deaths, "deaths", 1.0, 0),
];

fn to_table(out: &Output) -> String {
    let m = &out.meta;
    let mut s = format!(
        "{}: {} strategies x {} runs, seed {} (common random numbers); baseline {}\n\n",
        m.scenario,
        m.strategies.len(),
        m.runs,
        m.seed,
        m.baseline
    );
    if let Some(p) = &m.posterior {
        s.push_str(&format!(
            "Each run draws {} calibrated values from {} ({} particles, {} drawn), the same \
             draw for every strategy\n\n",
            p.parameters.len(),
            p.file,
            p.particles,
            p.distinct_draws
        ));
    }
    s.push_str("Objective score per run (mean [95 %]), and its difference from the baseline (paired 95 %)\n");
    let mut t = crate::render::table([
        "strategy",
        "score",
        "vs baseline",
        "allies intact",
        "regimes in power",
        "eruptions",
        "interventions",
        "deaths",
        "emigrants",
        "lever cost",
    ]);
    for r in &out.strategies {
        t.add_row([
            r.name.clone(),
            format!("{:.2} [{:.2}, {:.2}]", r.score.mean, r.score.lo, r.score.hi),
            r.score_difference
                .as_ref()
                .map_or("baseline".to_string(), |d| interval(d, 1.0, 2)),
            format!("{:.2}", r.bloc[&Metric::Alliance]),
            format!("{:.2}", r.bloc[&Metric::Party]),
            format!("{:.2}", r.bloc[&Metric::Eruption]),
            format!("{:.2}", r.bloc[&Metric::Intervention]),
            format!("{:.0}", r.bloc[&Metric::Deaths]),
            format!("{:.0}", r.bloc[&Metric::Emigrants]),
            format!("{:.1}", r.cost),
        ]);
    }
    s.push_str(&format!("{t}\n\n"));
    s.push_str("Per country: difference from the baseline (paired 95 %); pp = percentage points\n");
    let mut header = vec!["strategy".to_string(), "country".to_string()];
    header.extend(SHOWN.iter().map(|x| x.1.to_string()));
    let mut t = crate::render::table(header);
    for r in out.strategies.iter().skip(1) {
        for c in &r.countries {
            let Some(d) = &c.differences else { continue };
            let mut row = vec![r.name.clone(), c.id.clone()];
            row.extend(
                SHOWN
                    .iter()
                    .map(|(metric, _, scale, digits)| interval(&d[metric], *scale, *digits)),
            );
            t.add_row(row);
        }
    }
    s.push_str(&format!("{t}\n"));
    s
}

fn write_csv(w: &mut dyn Write, out: &Output) -> std::io::Result<()> {
    let mut c = csv::Writer::from_writer(w);
    c.write_record([
        "strategy",
        "country",
        "metric",
        "mean",
        "difference",
        "paired_lo",
        "paired_hi",
        "unpaired_lo",
        "unpaired_hi",
    ])?;
    let num = |x: f64| format!("{x}");
    for r in &out.strategies {
        let mut row = |country: &str, metric: &str, mean: f64, d: Option<&Difference>| {
            let (diff, p0, p1, u0, u1) = match d {
                Some(d) => (
                    num(d.mean),
                    num(d.paired[0]),
                    num(d.paired[1]),
                    num(d.unpaired[0]),
                    num(d.unpaired[1]),
                ),
                None => Default::default(),
            };
            c.write_record([
                r.name.as_str(),
                country,
                metric,
                &num(mean),
                &diff,
                &p0,
                &p1,
                &u0,
                &u1,
            ])
        };
        row("bloc", "score", r.score.mean, r.score_difference.as_ref())?;
        for m in Metric::ALL {
            row(
                "bloc",
                m.name(),
                r.bloc[&m],
                r.bloc_differences.as_ref().map(|d| &d[&m]),
            )?;
        }
        for country in &r.countries {
            for m in Metric::ALL {
                row(
                    &country.id,
                    m.name(),
                    country.means[&m],
                    country.differences.as_ref().map(|d| &d[&m]),
                )?;
            }
        }
    }
    c.flush()
}
