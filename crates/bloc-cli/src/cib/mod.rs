//! `bloc cib [FILE]`: cross-impact balance analysis of a CIB file (bloc's TOML,
//! ScenarioWizard `.scw`, or PyCIB JSON; default: the embedded 1989 matrix).
//!
//! One mode per call: the consistent scenarios (default; `--count-only` for huge sets),
//! the balances of one scenario (`--balances`), a succession path (`--from`), attractors
//! and basins (`--attractors`), judgement uncertainty (`--uncertainty`), the re-verification
//! of a ScenarioWizard solution list (`--solutions`), or a conversion (`--export-*`).
//! Fixed descriptors (`--fix`), the tolerance and an ensemble of matrices (`--ensemble`)
//! apply where they make sense.

mod analysis;
mod files;
mod list;

use crate::CliError;
use crate::output::Format;
use bloc_cib::succession::SuccessionRule;
use bloc_cib::system::{CibSystem, parse_assignments};
use std::path::PathBuf;

/// Arguments of `bloc cib`.
#[derive(clap::Args)]
pub struct Args {
    /// The CIB file: `.toml` (bloc's format), `.scw` (ScenarioWizard) or `.json` (PyCIB,
    /// format_version 2). Default: the embedded Eastern Europe 1989 matrix.
    pub file: Option<PathBuf>,
    /// Largest scenario inconsistency accepted (0: strictly consistent; ties count).
    #[arg(long, default_value_t = 0)]
    pub tolerance: i32,
    /// Fix descriptors at a variant (intervention analysis): `D=V`, repeatable or
    /// comma-separated; descriptors and variants by id, name or 1-based number.
    #[arg(long, value_name = "D=V")]
    pub fix: Vec<String>,
    /// Only count the consistent scenarios (islands are counted separately and multiplied).
    #[arg(long)]
    pub count_only: bool,
    /// List at most this many scenarios in the table (by total impact score); JSON and CSV
    /// list every scenario.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    /// Search the whole influence graph as one, without splitting it into islands.
    #[arg(long)]
    pub no_islands: bool,
    /// The balances, inconsistencies and total impact score of one scenario
    /// (`A2 B1 C3 ...` in descriptor order, or `A=A2, B=B1, ...`).
    #[arg(long, value_name = "SCENARIO")]
    pub balances: Option<String>,
    /// Follow the succession from this scenario to its attractor.
    #[arg(long, value_name = "SCENARIO")]
    pub from: Option<String>,
    /// Succession rule for `--from` and `--attractors`.
    #[arg(long, value_enum, default_value_t = Rule::Global)]
    pub succession: Rule,
    /// Attractors (fixed points and cycles) and their basin weights.
    #[arg(long)]
    pub attractors: bool,
    /// Start scenarios for `--attractors`: `all`, or a number of random starts. Default: all
    /// up to 4,000,000 scenarios, else 10,000 random starts.
    #[arg(long)]
    pub starts: Option<String>,
    /// Judgement uncertainty: this many Monte Carlo draws of the matrix (at most 1,000,000
    /// without --allow-large: about 0.6 GB and 5 minutes on 2 cores for the 1989 matrix).
    #[arg(long, value_name = "DRAWS")]
    pub uncertainty: Option<u64>,
    /// σ of every judged section for `--uncertainty` (default: from each section's
    /// confidence, PyCIB's coding; 0.8 where none is given).
    #[arg(long)]
    pub sigma: Option<f64>,
    /// Drawn judgements are rounded to 1/N of a scale point: 1 (default) keeps the scale's
    /// integers, so a draw is a matrix another expert could have written and ties survive;
    /// 100 is close to PyCIB's continuous draws, where ties almost never survive.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub draw_steps: i32,
    /// Master seed of random starts and draws.
    #[arg(long, default_value_t = 1989)]
    pub seed: u64,
    /// Further matrices of the same descriptors (an ensemble of experts). The conversions
    /// (`--export-toml`, `--export-scw`, `--export-pycib`) write one matrix and are refused
    /// with it: convert each file on its own.
    #[arg(long, num_args = 1.., value_name = "FILE",
          conflicts_with_all = ["export_toml", "export_scw", "export_pycib"])]
    pub ensemble: Vec<PathBuf>,
    /// How an ensemble is combined: `mean` (consistent in the mean matrix) or `quorum=Q`
    /// (consistent in at least Q members).
    #[arg(long, default_value = "mean")]
    pub combine: String,
    /// Re-verify a ScenarioWizard solution list (`.sl`) against the matrix.
    #[arg(long, value_name = "FILE.sl")]
    pub solutions: Option<PathBuf>,
    /// Write the matrix as a ScenarioWizard project file.
    #[arg(long, value_name = "FILE.scw")]
    pub export_scw: Option<PathBuf>,
    /// Write the consistent scenarios as a ScenarioWizard solution list (with `.scw`
    /// export, ScenarioWizard opens both).
    #[arg(long, value_name = "FILE.sl")]
    pub export_sl: Option<PathBuf>,
    /// Write the matrix in bloc's TOML format.
    #[arg(long, value_name = "FILE.toml")]
    pub export_toml: Option<PathBuf>,
    /// Write the matrix as PyCIB JSON (format_version 2).
    #[arg(long, value_name = "FILE.json")]
    pub export_pycib: Option<PathBuf>,
    /// Worker threads for the search and the draws (0: one per core; 1: none). Results do
    /// not depend on it.
    #[arg(long, default_value_t = 1, value_parser = crate::args::threads)]
    pub threads: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The succession rules on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Rule {
    /// Every descriptor moves at once.
    Global,
    /// Only the most inconsistent descriptor moves.
    Adiabatic,
}

impl From<Rule> for SuccessionRule {
    fn from(r: Rule) -> Self {
        match r {
            Rule::Global => SuccessionRule::Global,
            Rule::Adiabatic => SuccessionRule::Adiabatic,
        }
    }
}

/// Runs `bloc cib`.
pub fn run(args: Args) -> Result<(), CliError> {
    let modes = [
        args.balances.is_some(),
        args.from.is_some(),
        args.attractors,
        args.uncertainty.is_some(),
        args.solutions.is_some(),
    ]
    .iter()
    .filter(|&&m| m)
    .count();
    if modes > 1 {
        return Err(CliError::Usage(
            "choose one of --balances, --from, --attractors, --uncertainty, --solutions".into(),
        ));
    }
    if args.tolerance < 0 {
        return Err(CliError::Usage(format!(
            "--tolerance must be 0 or more, got {}",
            args.tolerance
        )));
    }
    let doc = files::load(args.file.as_deref())?;
    let fixed = fixed_variants(&doc.system, &args.fix)?;
    let exported = files::export(&args, &doc)?;
    if let Some(sl) = &args.solutions {
        return files::verify(&args, &doc, sl, &fixed);
    }
    if let Some(text) = &args.balances {
        return analysis::balances(&args, &doc, text);
    }
    if let Some(text) = &args.from {
        return analysis::path(&args, &doc, text, &fixed);
    }
    if args.attractors {
        return analysis::attractors(&args, &doc, &fixed);
    }
    if let Some(draws) = args.uncertainty {
        return analysis::uncertainty(&args, &doc, draws, &fixed);
    }
    if exported && args.export_sl.is_none() && args.out.is_none() {
        // A conversion only: nothing else was asked.
        return Ok(());
    }
    list::consistent(&args, &doc, &fixed)
}

/// An error of the analysis or of writing its output, as a usage error (exit 2).
fn usage(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

/// A CSV table (quoted where needed) with a header row.
fn csv_text<H: AsRef<[u8]>>(header: &[H], rows: &[Vec<String>]) -> Result<String, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(usage)?;
    for r in rows {
        w.write_record(r).map_err(usage)?;
    }
    String::from_utf8(w.into_inner().map_err(usage)?).map_err(usage)
}

/// The `--fix` assignments as a per-descriptor vector (empty when none).
fn fixed_variants(system: &CibSystem, fix: &[String]) -> Result<Vec<Option<u8>>, CliError> {
    if fix.is_empty() {
        return Ok(Vec::new());
    }
    let mut fixed = vec![None; system.descriptor_count()];
    for text in fix {
        for (j, v) in parse_assignments(system, text)
            .map_err(|e| CliError::Usage(format!("--fix {text}: {e}")))?
        {
            fixed[j] = Some(v);
        }
    }
    Ok(fixed)
}
