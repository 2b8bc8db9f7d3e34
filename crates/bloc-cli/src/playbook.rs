//! `bloc playbook PLAYBOOK`: for each sharp turn of a playbook file, how likely and when it
//! comes, and the candidate reactions ranked by branching the runs where it fires.

use crate::args::{ObjectiveArgs, OverrideArgs, PairedRunsArgs, SeedArgs};
use crate::output::{Report, RunOutputArgs, emit_with, pretty_json, write_report};
use crate::posterior::{PosteriorArgs, with_strategy};
use crate::{CliError, input};
use bloc_base::ensemble::EnsemblePlan;
use bloc_model::PosteriorMeta;
use bloc_model::strategy::apply_strategy;
use bloc_model::strategy::compare::Objective;
use bloc_model::strategy::playbook::{PlaybookResult, read_playbook, run_playbook_drawn};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `bloc playbook`.
#[derive(clap::Args)]
pub struct Args {
    /// The playbook file, e.g. scenarios/playbooks/eastern-europe-1989.toml.
    playbook: PathBuf,
    /// Scenario file (default: the embedded scenarios/eastern-europe-1989.toml).
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// A strategy applied to the scenario before the runs (the centre's line in the base
    /// ensemble; default: none).
    #[arg(long)]
    strategy: Option<PathBuf>,
    #[command(flatten)]
    runs: PairedRunsArgs,
    #[command(flatten)]
    seed: SeedArgs,
    #[command(flatten)]
    overrides: OverrideArgs,
    #[command(flatten)]
    objective: ObjectiveArgs,
    /// Write the state at each branch point of the runs in `--snapshot-runs` to this
    /// directory, one JSON file per run and trigger (`run-<i>-<trigger>.json`); a snapshot
    /// resumes exactly (`bloc_model::run::Simulation::resume`).
    #[arg(long, value_name = "DIR", requires = "snapshot_runs")]
    snapshots: Option<PathBuf>,
    /// Runs whose branch points `--snapshots` writes (comma-separated indices).
    #[arg(long, value_delimiter = ',', requires = "snapshots")]
    snapshot_runs: Vec<u64>,
    #[command(flatten)]
    posterior: PosteriorArgs,
    #[command(flatten)]
    common: RunOutputArgs,
}

#[derive(Serialize)]
struct Meta {
    playbook: String,
    scenario: String,
    scenario_hash: String,
    strategy: Option<String>,
    runs: u64,
    seed: u64,
    objective: Objective,
    branching: &'static str,
    /// The posterior each base run's calibrated values were drawn from (its branches keep
    /// the draw), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    posterior: Option<PosteriorMeta>,
    version: String,
}

#[derive(Serialize)]
struct Output {
    meta: Meta,
    #[serde(flatten)]
    result: PlaybookResult,
}

/// Makes the snapshot directory and tries a file in it (before the runs), or says why it
/// cannot take the snapshots.
fn snapshot_dir(dir: &std::path::Path) -> Result<(), CliError> {
    let fail = |e: std::io::Error| {
        CliError::Usage(format!(
            "--snapshots {}: {e} (expected a directory that exists or can be made, and can be \
             written)",
            dir.display()
        ))
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    // The probe is removed when it is dropped.
    tempfile::Builder::new()
        .prefix(".bloc-probe-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(fail)
}

/// `base` with the strategy of the file at `path` applied (one without reaction rules: the
/// playbook's base runs do not apply them), the strategy's name and its file.
fn with_base_strategy(
    base: &bloc_model::BlocScenario,
    path: &std::path::Path,
) -> Result<
    (
        bloc_model::BlocScenario,
        Option<String>,
        Option<input::Source>,
    ),
    CliError,
> {
    let file = input::read(Some(path), "", "")?;
    let (strategy, applied) =
        apply_strategy(base, &file.text).map_err(|d| input::report(&file, &d))?;
    if !strategy.reactions.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: the strategy has reaction rules, which the playbook's base runs do not \
             apply yet; use a strategy without [[reactions]] (its doctrine, budget and \
             lever schedule apply)",
            file.name
        )));
    }
    Ok((applied, Some(strategy.strategy.name), Some(file)))
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), CliError> {
    let posterior = args
        .posterior
        .posterior(args.scenario.as_deref(), &args.overrides.set)?;
    if posterior.is_some() && args.snapshots.is_some() {
        return Err(CliError::Usage(
            "--snapshots resume on the scenario's own values, not on a run's draw from the \
             posterior: add --no-posterior"
                .to_string(),
        ));
    }
    let (base, text) = args.overrides.scenario(args.scenario.as_deref())?;
    let (scenario, strategy_name, strategy_file) = match &args.strategy {
        Some(path) => with_base_strategy(&base, path)?,
        None => (base.clone(), None, None),
    };
    let file = input::read(Some(&args.playbook), "", "")?;
    let pb = read_playbook(&scenario, &file.text).map_err(|d| input::report(&file, &d))?;
    let objective = args.objective.parse()?;
    let runs = args.runs.or_scenario(&scenario)?;
    let seed = args.seed.or_scenario(&scenario);
    let plan = EnsemblePlan {
        runs,
        master_seed: seed,
        threads: args.common.threads,
    };
    if let Some(r) = args.snapshot_runs.iter().find(|&&r| r >= runs) {
        return Err(CliError::Usage(format!(
            "--snapshot-runs {r} is not a run of this ensemble (runs 0 to {})",
            runs - 1
        )));
    }
    // Where the results go is checked before the runs, not after them.
    args.common.check_out()?;
    if let Some(dir) = &args.snapshots {
        snapshot_dir(dir)?;
    }
    let (draws, posterior_meta) = match &posterior {
        Some(p) => {
            let (draws, meta) = p.draws_on_text(
                args.scenario.as_deref(),
                &args.overrides.set,
                &base,
                &text,
                runs,
                seed,
                args.common.threads,
            )?;
            let draws = match &strategy_file {
                Some(file) => with_strategy(&draws, file)?,
                None => draws,
            };
            (Some(draws), Some(meta))
        }
        None => (None, None),
    };
    let bar = crate::render::progress_bar(runs);
    let result = run_playbook_drawn(
        &scenario,
        draws.as_ref(),
        &pb,
        plan,
        &objective,
        &args.snapshot_runs,
        |done| bar.set_position(done),
    )
    .map_err(|e| CliError::Usage(e.to_string()))?;
    bar.finish_and_clear();
    if let Some(dir) = &args.snapshots {
        for saved in &result.snapshots {
            let path = dir.join(format!("run-{}-{}.json", saved.run, saved.trigger));
            emit_with(Some(&path), |w| {
                serde_json::to_writer(&mut *w, &saved.snapshot)?;
                writeln!(w)
            })?;
        }
    }
    let out = Output {
        meta: Meta {
            playbook: pb.playbook.name.clone(),
            scenario: scenario.scenario.name.clone(),
            scenario_hash: scenario.hash(),
            strategy: strategy_name,
            runs,
            seed,
            objective,
            branching: "each run is cloned the week a trigger first fires; every reaction starts \
                        the next week on a clone that continues the run's own random streams; \
                        effects are paired differences from the run without a reaction",
            posterior: posterior_meta,
            version: bloc_base::VERSION.to_string(),
        },
        result,
    };
    write_report(&args.common, &out)
}

impl Report for Output {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, self)
    }

    /// The playbook's table is Markdown.
    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(to_markdown(self).as_bytes())
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write_csv(w, self)
    }
}

fn to_markdown(out: &Output) -> String {
    let m = &out.meta;
    let mut s = format!(
        "# Playbook: {}\n\n{} ({} base runs, seed {}{}). Objective per run: {}. Effects are \
         differences from no reaction in the runs where the turn came, paired, with 95 % \
         intervals.\n",
        m.playbook,
        m.scenario,
        m.runs,
        m.seed,
        m.strategy
            .as_ref()
            .map(|n| format!(", strategy {n}"))
            .unwrap_or_default(),
        objective_text(&m.objective)
    );
    if let Some(p) = &m.posterior {
        s.push_str(&format!(
            "\nEach base run draws {} calibrated values from {} ({} particles, {} drawn); its \
             branches keep the draw.\n",
            p.parameters.len(),
            p.file,
            p.particles,
            p.distinct_draws
        ));
    }
    for t in &out.result.triggers {
        s.push_str(&format!("\n## {}\n\n", t.trigger));
        if !t.description.is_empty() {
            s.push_str(&format!("{}\n\n", t.description));
        }
        if t.runs == 0 {
            s.push_str(&format!(
                "Never came in {} runs (95 % upper bound {:.1} %): nothing to prepare.\n",
                m.runs,
                t.probability[2] * 100.0
            ));
            continue;
        }
        let places = t
            .countries
            .iter()
            .map(|(c, p)| format!("{c} {:.0} %", p * 100.0))
            .collect::<Vec<_>>()
            .join(", ");
        s.push_str(&format!(
            "Comes in {:.1} % of runs (95 % {:.1}-{:.1} %), median {} (5-95 %: {} to {}); where: {}.\n\n",
            t.probability[0] * 100.0,
            t.probability[1] * 100.0,
            t.probability[2] * 100.0,
            t.dates[0],
            t.dates[1],
            t.dates[2],
            places
        ));
        let best = &t.ranking[0];
        let prepared = if best.runs < 2 {
            format!(
                "**Prepared reaction: undecided** (the turn came in {} run: too few for an interval; the best mean is {}, {:+.3})",
                best.runs, best.reaction, best.effect.mean
            )
        } else if best.effect.paired[0] > 0.0 {
            format!(
                "**Prepared reaction: {}**, expected {:+.3} [{:+.3}, {:+.3}] on the objective",
                best.reaction, best.effect.mean, best.effect.paired[0], best.effect.paired[1]
            )
        } else {
            format!(
                "**Prepared reaction: none** (no candidate is clearly better than no reaction: the best, {}, gives {:+.3} [{:+.3}, {:+.3}])",
                best.reaction, best.effect.mean, best.effect.paired[0], best.effect.paired[1]
            )
        };
        let runner = t
            .ranking
            .get(1)
            .map(|r| format!("; runner-up: {} ({:+.3})", r.reaction, r.effect.mean))
            .unwrap_or_default();
        s.push_str(&format!("{prepared}{runner}.\n\n"));
        s.push_str(
            "| rank | reaction | effect (paired 95 %) | runs |\n| --- | --- | --- | --- |\n",
        );
        for (i, r) in t.ranking.iter().enumerate() {
            let effect = if r.runs < 2 {
                format!("{:+.3} (n/a: {} run)", r.effect.mean, r.runs)
            } else {
                format!(
                    "{:+.3} [{:+.3}, {:+.3}]",
                    r.effect.mean, r.effect.paired[0], r.effect.paired[1]
                )
            };
            s.push_str(&format!(
                "| {} | {} | {effect} | {} |\n",
                i + 1,
                r.reaction,
                r.runs
            ));
        }
    }
    s
}

fn objective_text(o: &Objective) -> String {
    let mut parts: Vec<String> = o
        .weights
        .iter()
        .map(|(m, w)| format!("{}={w}", m.name()))
        .collect();
    parts.push(format!("cost={}", o.cost));
    parts.join(",")
}

fn write_csv(w: &mut dyn Write, out: &Output) -> std::io::Result<()> {
    let mut c = csv::Writer::from_writer(w);
    c.write_record([
        "trigger",
        "probability",
        "runs",
        "median_date",
        "rank",
        "reaction",
        "effect",
        "paired_lo",
        "paired_hi",
    ])?;
    for t in &out.result.triggers {
        for (i, r) in t.ranking.iter().enumerate() {
            c.write_record([
                t.trigger.as_str(),
                &format!("{}", t.probability[0]),
                &t.runs.to_string(),
                &t.dates[0],
                &(i + 1).to_string(),
                &r.reaction,
                &format!("{}", r.effect.mean),
                &format!("{}", r.effect.paired[0]),
                &format!("{}", r.effect.paired[1]),
            ])?;
        }
    }
    c.flush()
}
