//! `bloc validate`: run every check against published results and print a table.

use crate::CliError;
use crate::output::{Format, RunOutputArgs, emit};
use bloc_core::validation::{self, CheckResult};

/// Arguments of `bloc validate`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: RunOutputArgs,
}

/// Runs all checks; fails if any fails.
pub fn run(args: Args) -> Result<(), CliError> {
    let results: Vec<CheckResult> =
        validation::all_checks(args.common.threads).map_err(|e| CliError::Usage(e.to_string()))?;
    let failed = results.iter().filter(|r| !r.passed).count();
    let text = match args.common.format {
        Format::Json => {
            serde_json::to_string_pretty(&results).map_err(|e| CliError::Usage(e.to_string()))?
                + "\n"
        }
        Format::Csv | Format::Table => {
            let mut t = crate::render::table(["check", "expected", "got", "result"]);
            for r in &results {
                t.add_row([
                    r.name.clone(),
                    r.expected.clone(),
                    r.got.clone(),
                    if r.passed { "pass" } else { "FAIL" }.to_string(),
                ]);
            }
            format!(
                "{t}\n{} passed, {} failed\n",
                results.len() - failed,
                failed
            )
        }
    };
    emit(args.common.out.as_deref(), &text)?;
    if failed > 0 {
        Err(CliError::Invalid(format!("{failed} check(s) failed")))
    } else {
        Ok(())
    }
}
