//! `bloc validate`: run every check against published results and the 1989 record, print a
//! table (check, expected, got, result), and exit 1 if any check fails.

use crate::CliError;
use crate::output::{Format, RunOutputArgs, emit};
use bloc_validate::Validation;

/// Arguments of `bloc validate`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: RunOutputArgs,
}

/// Runs all checks; fails if any fails.
pub fn run(args: Args) -> Result<(), CliError> {
    let bar = crate::render::progress_bar(0);
    let v: Validation = bloc_validate::all_checks(args.common.threads, |stage, done, total| {
        bar.set_message(stage.to_string());
        bar.set_length(total);
        bar.set_position(done);
    })
    .map_err(|e| CliError::Usage(e.to_string()))?;
    bar.finish_and_clear();
    let failed = v.checks.iter().filter(|r| !r.passed).count();
    let text = match args.common.format {
        Format::Json => {
            serde_json::to_string_pretty(&v).map_err(|e| CliError::Usage(e.to_string()))? + "\n"
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let row = |w: &mut csv::Writer<Vec<u8>>, r: [&str; 5]| {
                w.write_record(r)
                    .map_err(|e| CliError::Usage(e.to_string()))
            };
            row(&mut w, ["check", "source", "expected", "got", "result"])?;
            for r in &v.checks {
                let result = if r.passed { "pass" } else { "fail" };
                row(&mut w, [&r.name, &r.source, &r.expected, &r.got, result])?;
            }
            String::from_utf8(w.into_inner().map_err(|e| CliError::Usage(e.to_string()))?)
                .map_err(|e| CliError::Usage(e.to_string()))?
        }
        Format::Table => {
            let mut t = crate::render::table(["check", "expected", "got", "result"]);
            for r in &v.checks {
                t.add_row([
                    r.name.clone(),
                    r.expected.clone(),
                    r.got.clone(),
                    if r.passed { "pass" } else { "FAIL" }.to_string(),
                ]);
            }
            format!(
                "{t}\n{} passed, {} failed\n",
                v.checks.len() - failed,
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
