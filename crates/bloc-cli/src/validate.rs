//! `bloc validate`: run every check against published results and the 1989 record, print a
//! table (check, expected, got, result), and exit 1 if any check fails.

use crate::CliError;
use crate::output::{Report, RunOutputArgs, pretty_json, write_report};
use bloc_validate::Validation;
use std::io::Write;

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
    write_report(&args.common, &v)?;
    if failed > 0 {
        Err(CliError::Failed(format!("{failed} check(s) failed")))
    } else {
        Ok(())
    }
}

impl Report for Validation {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, self)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let mut t = crate::render::table(["check", "expected", "got", "result"]);
        for r in &self.checks {
            t.add_row([
                r.name.clone(),
                r.expected.clone(),
                r.got.clone(),
                if r.passed { "pass" } else { "FAIL" }.to_string(),
            ]);
        }
        let failed = self.checks.iter().filter(|r| !r.passed).count();
        let passed = self.checks.len() - failed;
        writeln!(w, "{t}")?;
        history_table(&self.history, w)?;
        writeln!(w, "{passed} passed, {failed} failed")
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["check", "source", "expected", "got", "result"])?;
        for r in &self.checks {
            let result = if r.passed { "pass" } else { "fail" };
            csv.write_record([&r.name, &r.source, &r.expected, &r.got, result])?;
        }
        csv.flush()
    }
}

/// The history suite, case by case (main coding; the alternative class in brackets), and
/// the calm years.
fn history_table(h: &bloc_validate::history::History, w: &mut dyn Write) -> std::io::Result<()> {
    use bloc_model::OutcomeClass;
    let mut header = vec![
        "case".to_string(),
        "observed".to_string(),
        "rank".to_string(),
    ];
    header.extend(OutcomeClass::ALL.iter().map(|c| c.name().to_string()));
    header.extend(["intervention".to_string(), "L".to_string()]);
    let mut t = crate::render::table(header);
    for s in &h.main.cases {
        let (Some(alt), Some(f)) = (
            h.alternative.cases.iter().find(|a| a.id == s.id),
            h.forecasts.iter().find(|f| f.id == s.id),
        ) else {
            continue;
        };
        let observed = if alt.observed == s.observed {
            s.observed.name().to_string()
        } else {
            format!("{} ({})", s.observed.name(), alt.observed.name())
        };
        let mut row = vec![s.id.clone(), observed, s.rank.to_string()];
        row.extend(s.probabilities.values().iter().map(|p| format!("{p:.3}")));
        let (p, o) = s.intervention;
        row.push(format!("{p:.2} ({})", if o { "yes" } else { "no" }));
        row.push(format!("{:.3}", f.legitimacy));
        t.add_row(row);
    }
    write!(
        w,
        "\nHistory suite 1953-1988: {} runs per case, seed {}\n{t}\n",
        h.runs, h.seed
    )?;
    let mut c = crate::render::table(["country", "calm L", "onsets", "weeks", "hazard", "panel"]);
    for x in &h.calm {
        c.add_row([
            x.country.clone(),
            format!("{:.3}", x.legitimacy),
            x.onsets.to_string(),
            x.weeks.to_string(),
            format!("{:.4}", x.hazard),
            format!("{:.4}", x.panel),
        ]);
    }
    write!(w, "\nCalm years (weekly crisis hazard)\n{c}\n")
}
