//! `bloc sensitivity --method sobol`: Sobol' indices of the forecast's outcome probabilities
//! over the values with a prior, and their report (table, JSON, CSV).

use crate::CliError;
use crate::output::{Report, RunOutputArgs, pretty_json, write_report};
use bloc_model::sensitivity::SensitivityError;
use bloc_model::sensitivity::prior_sobol::{PriorSobol, SobolPlan, run_prior_sobol};
use std::io::Write;

/// Runs the analysis on the scenario `text` and writes its report with `top` rows.
pub fn run(
    text: &str,
    plan: &SobolPlan,
    common: &RunOutputArgs,
    top: usize,
) -> Result<(), CliError> {
    let bar = crate::render::progress_bar(0);
    let result = run_prior_sobol(text, plan, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let result = result.map_err(|e| match e {
        SensitivityError::Plan(_) => CliError::Usage(e.to_string()),
        other => CliError::Invalid(other.to_string()),
    })?;
    write_report(common, &Ranked(&result, top))
}

/// A result with the rows of its table.
struct Ranked<'a>(&'a PriorSobol, usize);

impl Report for Ranked<'_> {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, self.0)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(to_table(self.0, self.1).as_bytes())
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write_csv(w, self.0)
    }
}

fn to_table(r: &PriorSobol, top: usize) -> String {
    let mut out = format!(
        "{}: Sobol' indices of the outcome probabilities over the priors\n\
         {} values with a prior, N = {} base samples, {} points, {} runs per point, seed {}\n\n\
         Top {} by the largest total partial variance over outputs (sd: its square root, in \
         percentage points of the probability); the indices for that output (± bootstrap \
         standard error; over so few runs and samples an output that seldom varies has \
         indices beyond 1)\n",
        r.scenario,
        r.factors.len(),
        r.samples,
        r.evaluations,
        r.runs,
        r.seed,
        top.min(r.factors.len())
    );
    let mut t = crate::render::table(vec![
        "rank",
        "parameter",
        "prior",
        "sd (pp)",
        "total",
        "first order",
        "output",
    ]);
    for f in r.factors.iter().take(top) {
        let at = r.outputs.iter().position(|o| *o == f.output);
        let s = at
            .and_then(|i| f.indices.get(i))
            .copied()
            .unwrap_or_default();
        t.add_row(vec![
            f.rank.to_string(),
            f.factor.path.clone(),
            f.factor.prior.clone(),
            format!("{:.1}", 100.0 * libm::sqrt(s.total_variance)),
            format!("{:.2} ± {:.2}", s.total, s.total_se),
            format!("{:.2} ± {:.2}", s.first, s.first_se),
            f.output.clone(),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    let still = r.variances.iter().filter(|v| **v == 0.0).count();
    out.push_str(&format!(
        "{still} of {} outputs took one value at every point of A and B (no indices)\n",
        r.outputs.len()
    ));
    out
}

fn write_csv(w: &mut dyn Write, r: &PriorSobol) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record([
        "parameter",
        "output",
        "first",
        "first_se",
        "total",
        "total_se",
        "total_variance",
        "output_variance",
    ])?;
    for f in &r.factors {
        for ((o, s), v) in r.outputs.iter().zip(&f.indices).zip(&r.variances) {
            csv.write_record([
                f.factor.path.clone(),
                o.clone(),
                s.first.to_string(),
                s.first_se.to_string(),
                s.total.to_string(),
                s.total_se.to_string(),
                s.total_variance.to_string(),
                v.to_string(),
            ])?;
        }
    }
    csv.flush()
}
