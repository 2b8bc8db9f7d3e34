//! `bloc`: simulate a bloc of allied states in a transitional period.
//!
//! This binary only drives the bloc libraries: it parses arguments, reads files, renders
//! results and diagnostics, and maps outcomes to exit codes (0 success, 1 invalid input or a
//! failed check, 2 usage or I/O error). One module per subcommand.

mod args;
mod bargain;
mod calibrate;
mod check;
mod cib;
mod compare;
mod epstein;
mod exchange;
mod forecast;
mod input;
mod leave_one_out;
mod limits;
mod output;
mod playbook;
mod posterior;
mod render;
mod schema;
mod sensitivity;
mod sobol;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit codes of bloc.
pub mod exit {
    /// Invalid input file, or a check that failed.
    pub const INVALID: u8 = 1;
    /// Usage or I/O error.
    pub const USAGE: u8 = 2;
}

/// The errors a command can end with.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input has problems; they were already printed.
    #[error("{0}")]
    Invalid(String),
    /// Reading or writing failed, or the arguments do not make sense.
    #[error("{0}")]
    Usage(String),
    /// The command's result was written, and it reports a failure (a check that failed).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    fn code(&self) -> u8 {
        match self {
            CliError::Invalid(_) | CliError::Failed(_) => exit::INVALID,
            CliError::Usage(_) => exit::USAGE,
        }
    }
}

#[derive(Parser)]
#[command(name = "bloc", version, about = "Simulate a bloc of allied states in a transitional period", long_about = None)]
struct Cli {
    /// Lift the limits on runs, steps and draws (docs/reliability.md lists them).
    #[arg(long, global = true)]
    allow_large: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Forecast the bloc: an ensemble of futures per country and for the bloc (default: the
    /// embedded Eastern Europe 1989 scenario).
    Forecast(forecast::Args),
    /// Run an ensemble of Epstein's civil violence Model I (the citizens layer).
    Epstein(epstein::Args),
    /// Check a scenario file and print every problem with its line and column.
    Check(check::Args),
    /// Print the JSON Schema of a scenario format.
    Schema(schema::Args),
    /// Run every validation check against published results.
    Validate(validate::Args),
    /// Forecast a collective decision among stakeholders (weighted median, Bueno de Mesquita).
    Bargain(bargain::Args),
    /// Which estimates matter: Morris elementary effects of the outcome probabilities with
    /// respect to every estimated parameter, ranked.
    Sensitivity(sensitivity::Args),
    /// Compare the centre's strategies on one ensemble (common random numbers): paired
    /// differences from the first strategy and an objective's score.
    Compare(compare::Args),
    /// Prepare reactions ahead of time: for each sharp turn of a playbook, how likely and when
    /// it comes, and the candidate reactions ranked by branching the runs where it comes.
    Playbook(playbook::Args),
    /// Cross-impact balance analysis: consistent scenarios, succession and attractors,
    /// intervention, ensembles, judgement uncertainty; reads bloc TOML, ScenarioWizard .scw
    /// and PyCIB JSON (default: the embedded Eastern Europe 1989 matrix).
    Cib(cib::Args),
    /// Calibrate the scenario's values that carry a prior on the crises of 1953-1988
    /// (ABC-SMC; docs/calibration.md): the posterior file, resumable from a checkpoint.
    Calibrate(calibrate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    limits::allow_large(cli.allow_large);
    // An interrupt removes the temporary files of the outputs; the targets stay as they were.
    let _ = ctrlc::set_handler(|| output::interrupted());
    // A panic (a bug) removes them too before the default report.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        output::remove_temporaries();
        report(info);
    }));
    let result = run(cli.command);
    // Outputs are put in place when the command has a result, even one reporting a failed
    // check; on an error every target stays as it was.
    let result = match result {
        Ok(()) => output::commit(),
        Err(e @ CliError::Failed(_)) => output::commit().and(Err(e)),
        Err(e) => {
            output::discard();
            Err(e)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = e.to_string();
            if !msg.is_empty() {
                render::to_stderr(&format!("error: {msg}\n"));
            }
            ExitCode::from(e.code())
        }
    }
}

/// Runs one command.
fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Forecast(a) => forecast::run(a),
        Command::Epstein(a) => epstein::run(a),
        Command::Check(a) => check::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Bargain(a) => bargain::run(a),
        Command::Sensitivity(a) => sensitivity::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Playbook(a) => playbook::run(a),
        Command::Cib(a) => cib::run(a),
        Command::Calibrate(a) => calibrate::run(a),
    }
}
