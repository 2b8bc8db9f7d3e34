//! `bloc calibrate`: ABC-SMC of a scenario's values that carry a prior on the history suite
//! of 1953–1988 (docs/calibration.md): a progress bar, a line per generation, an atomic
//! checkpoint after every generation, resumable; the result is the posterior file (JSON),
//! a summary table or the particles as CSV.

use crate::args::OverrideArgs;
use crate::output::{Report, RunOutputArgs, pretty_json, write_report};
use crate::{CliError, input};
use bloc_calibrate::smc::{self, Observer, Settings, State, Stop, weighted_quantile};
use bloc_validate::history::calibration::{HistoryProblem, POSTERIOR_FORMAT, PosteriorFile};
use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;

/// Most simulations of the record when `--budget` is not given.
const DEFAULT_BUDGET: u64 = 2000;

/// Arguments of `bloc calibrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario whose values with a prior are calibrated (default: the embedded flagship).
    scenario: Option<PathBuf>,
    #[command(flatten)]
    overrides: OverrideArgs,
    /// Particles per generation.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(2..=100_000))]
    particles: u64,
    /// Most generations, the first (drawn from the prior) included [default: 8; with
    /// --resume: the checkpoint's, or this to go on further].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1000))]
    generations: Option<u64>,
    /// Most simulations of the record (each runs every case --runs-per-case times and every
    /// calm start once); a generation the budget cannot finish is dropped [default: 2000;
    /// with --resume: the checkpoint's, or this to go on further].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    budget: Option<u64>,
    /// Runs of each crisis case in one simulation of the record.
    #[arg(long, default_value_t = bloc_validate::history::calibration::RUNS_PER_CASE,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    runs_per_case: u64,
    /// Master seed of the calibration.
    #[arg(long, default_value_t = bloc_validate::history::SEED)]
    seed: u64,
    /// Write the state after every generation to this file, atomically (JSON, the posterior
    /// file's form); an interrupted calibration goes on from it with --resume.
    #[arg(long)]
    checkpoint: Option<PathBuf>,
    /// Go on from a checkpoint (or a posterior file) written by bloc calibrate: its settings
    /// are kept except --generations and --budget, which may be raised to go on further. The
    /// result is the same as one uninterrupted calibration with the final settings.
    #[arg(long, conflicts_with_all = ["particles", "runs_per_case", "seed"])]
    resume: Option<PathBuf>,
    /// Leave-one-crisis-out instead of one calibration: for each crisis, calibrate on the
    /// others and the calm starts with these settings, then forecast it from that posterior;
    /// reports the held-out scores, a reliability diagram's numbers and the coverage of the
    /// 90 % intervals (docs/calibration.md). 21 calibrations: lower --budget to keep it short.
    #[arg(long, conflicts_with_all = ["checkpoint", "resume"])]
    leave_one_out: bool,
    /// With --leave-one-out: parameter draws from each fold's posterior for its held-out
    /// forecast (each runs the case --runs-per-case times).
    #[arg(long, default_value_t = 200, requires = "leave_one_out",
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    draws: u64,
    #[command(flatten)]
    common: RunOutputArgs,
}

/// Runs the calibration.
pub fn run(args: Args) -> Result<(), CliError> {
    let (scenario, text) = args.overrides.scenario(args.scenario.as_deref())?;
    let hash = scenario.hash();
    let resumed = args.resume.as_deref().map(read_checkpoint).transpose()?;
    check_outputs(&args)?;
    let runs_per_case = resumed
        .as_ref()
        .map_or(args.runs_per_case, |f| f.design.runs_per_case);
    let threads = args.common.threads;
    let bar = crate::render::progress_bar(0);
    bar.set_message("calm starts");
    let problem = HistoryProblem::new(&text, runs_per_case, threads, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .map_err(|e| CliError::Invalid(e.to_string()))?;
    if let (Some(f), Some(path)) = (&resumed, &args.resume) {
        check_resumable(f, &problem, &hash)
            .map_err(|e| CliError::Invalid(format!("{}: {e}", path.display())))?;
    }
    let settings = Settings {
        particles: args.particles as usize,
        seed: args.seed,
        max_generations: args.generations.unwrap_or(8) as usize,
        max_simulations: args.budget.unwrap_or(DEFAULT_BUDGET),
        batch: 32,
        ..Settings::default()
    };
    if args.leave_one_out {
        bar.finish_and_clear();
        return crate::leave_one_out::run(
            &problem,
            &settings,
            args.draws as usize,
            threads,
            &args.common,
        );
    }
    let resumed = resumed.map(|f| extend(f.state, args.generations, args.budget));
    let mut observer = Progress {
        bar,
        checkpoint: args.checkpoint.clone(),
        resumed_from: args.resume.clone(),
        problem: &problem,
        hash: &hash,
        error: None,
    };
    let distance = problem.distance();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start {threads} threads: {e}")))?;
    let state = pool.install(|| match resumed {
        Some(state) => smc::resume(&problem, &distance, state, &mut observer),
        None => smc::run(
            &problem,
            &distance,
            problem.parameters(),
            settings,
            &mut observer,
        ),
    });
    observer.bar.finish_and_clear();
    if let Some(e) = observer.error {
        return Err(e);
    }
    let state = state.map_err(|e| CliError::Usage(e.to_string()))?;
    write_report(&args.common, &Calibration(problem.file(&hash, state)))
}

/// Refuses, before any work, outputs that cannot be written: --out or --checkpoint where no
/// output may go (an input, a directory), the two the same file, or a budget smaller than a
/// generation.
fn check_outputs(args: &Args) -> Result<(), CliError> {
    if let Some(out) = &args.common.out {
        crate::output::check_target(out)?;
    }
    if let Some(ck) = &args.checkpoint {
        if args.resume.as_deref() != Some(ck.as_path()) {
            crate::output::check_target(ck)?;
        }
        let same = args
            .common
            .out
            .as_ref()
            .is_some_and(|o| o == ck || crate::output::same_file(o, ck));
        if same {
            return Err(CliError::Usage(format!(
                "--out and --checkpoint are the same file ({}): the result would replace the checkpoint",
                ck.display()
            )));
        }
    }
    let budget = args.budget.unwrap_or(DEFAULT_BUDGET);
    if args.leave_one_out {
        let folds = bloc_validate::history::cases::CASES.len() as u64;
        crate::limits::CALIBRATION_SIMULATIONS.check(budget.saturating_mul(folds))?;
        crate::limits::HELD_OUT_RUNS.check(
            args.draws
                .saturating_mul(args.runs_per_case)
                .saturating_mul(folds),
        )?;
    } else {
        crate::limits::CALIBRATION_SIMULATIONS.check(budget)?;
    }
    if args.resume.is_none() && budget < args.particles {
        return Err(CliError::Usage(format!(
            "--budget {budget} is smaller than one generation (--particles {})",
            args.particles
        )));
    }
    Ok(())
}

/// Reads a checkpoint, located on error.
fn read_checkpoint(path: &std::path::Path) -> Result<PosteriorFile, CliError> {
    let name = path.display().to_string();
    let text = input::utf8_text(&name, input::read_bytes(path)?)?;
    let f: PosteriorFile = serde_json::from_str(&text).map_err(|e| {
        CliError::Invalid(format!(
            "{}:{}:{}: {e} (expected a checkpoint written by bloc calibrate --checkpoint)",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    if f.format != POSTERIOR_FORMAT {
        return Err(CliError::Invalid(format!(
            "{}: format \"{}\" is not \"{POSTERIOR_FORMAT}\"",
            path.display(),
            f.format
        )));
    }
    Ok(f)
}

/// A saved state with its limits raised to `generations` and `budget` where given: a state
/// stopped by the old limits goes on.
fn extend(mut state: State, generations: Option<u64>, budget: Option<u64>) -> State {
    let s = &mut state.settings;
    let more_generations = generations.is_some_and(|g| g as usize > s.max_generations);
    let more_budget = budget.is_some_and(|b| b > s.max_simulations);
    if let Some(g) = generations {
        s.max_generations = g as usize;
    }
    if let Some(b) = budget {
        s.max_simulations = b;
    }
    let go_on = match state.stopped {
        Some(Stop::MaxGenerations) => more_generations,
        Some(Stop::Budget) => more_budget,
        _ => false,
    };
    if go_on {
        state.stopped = None;
    }
    state
}

/// Refuses a checkpoint of another scenario or design.
fn check_resumable(
    f: &PosteriorFile,
    problem: &HistoryProblem,
    hash: &str,
) -> Result<(), CliError> {
    if f.scenario_hash != hash {
        return Err(CliError::Invalid(format!(
            "the checkpoint was computed on a scenario of hash {}, not this one ({hash})",
            f.scenario_hash
        )));
    }
    if f.design != problem.design() || f.observed != problem.observed() {
        return Err(CliError::Invalid(
            "the checkpoint's design (cases, held legitimacy, parameters or record) differs \
             from this bloc's"
                .to_string(),
        ));
    }
    Ok(())
}

/// Shows progress, reports each generation on stderr and writes the checkpoint.
struct Progress<'a> {
    bar: indicatif::ProgressBar,
    checkpoint: Option<PathBuf>,
    resumed_from: Option<PathBuf>,
    problem: &'a HistoryProblem,
    hash: &'a str,
    error: Option<CliError>,
}

impl Observer for Progress<'_> {
    fn progress(&mut self, generation: usize, accepted: usize, simulations: u64) {
        self.bar
            .set_message(format!("generation {generation}: {accepted} accepted"));
        self.bar.set_position(simulations);
    }

    fn generation(&mut self, state: &State) -> ControlFlow<()> {
        self.bar.set_length(state.settings.max_simulations);
        if let Some(g) = state.generations.last() {
            self.bar.suspend(|| {
                crate::render::to_stderr(&format!(
                    "generation {}: tolerance {}, {} simulations, acceptance {:.3}, ESS {:.1}\n",
                    g.index,
                    g.epsilon.map_or("-".to_string(), |e| format!("{e:.4}")),
                    g.simulations,
                    g.acceptance,
                    g.ess
                ));
            });
        }
        let Some(path) = &self.checkpoint else {
            return ControlFlow::Continue(());
        };
        let file = self.problem.file(self.hash, state.clone());
        let written = serde_json::to_string_pretty(&file)
            .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))
            .and_then(|text| {
                crate::output::write_now(path, &(text + "\n"), self.resumed_from.as_deref())
            });
        match written {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                self.error = Some(e);
                ControlFlow::Break(())
            }
        }
    }
}

/// The posterior file as a report.
struct Calibration(PosteriorFile);

impl Report for Calibration {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, &self.0)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let s = &self.0.state;
        let mut g = crate::render::table([
            "generation",
            "tolerance",
            "simulations",
            "acceptance",
            "ESS",
        ]);
        for x in &s.generations {
            g.add_row([
                x.index.to_string(),
                x.epsilon.map_or("-".to_string(), |e| format!("{e:.4}")),
                x.simulations.to_string(),
                format!("{:.3}", x.acceptance),
                format!("{:.1}", x.ess),
            ]);
        }
        writeln!(w, "{g}")?;
        let mut t = crate::render::table([
            "parameter",
            "prior",
            "posterior mean",
            "5 %",
            "50 %",
            "95 %",
        ]);
        let p = &s.population;
        let means = s.posterior_mean();
        for (k, par) in s.parameters.iter().enumerate() {
            let xs: Vec<f64> = p.particles.iter().map(|x| x[k]).collect();
            let mean = means[k];
            let q = |level| format!("{:.4}", weighted_quantile(&xs, &p.weights, level));
            t.add_row([
                par.name.clone(),
                format!("{:?}", par.prior),
                format!("{mean:.4}"),
                q(0.05),
                q(0.5),
                q(0.95),
            ]);
        }
        writeln!(w, "{t}")?;
        let stop = s
            .stopped
            .map_or("not stopped".to_string(), |x| format!("{x:?}"));
        writeln!(
            w,
            "{} particles, stopped: {stop}; the posterior file is the JSON output (--format json)",
            p.particles.len()
        )
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let s = &self.0.state;
        let mut csv = csv::Writer::from_writer(w);
        let mut header = vec!["weight".to_string(), "distance".to_string()];
        header.extend(s.parameters.iter().map(|p| p.name.clone()));
        csv.write_record(&header)?;
        let p = &s.population;
        for ((x, w), d) in p.particles.iter().zip(&p.weights).zip(&p.distances) {
            let mut row = vec![format!("{w:?}"), format!("{d:?}")];
            row.extend(x.iter().map(|v| format!("{v:?}")));
            csv.write_record(&row)?;
        }
        csv.flush()
    }
}
