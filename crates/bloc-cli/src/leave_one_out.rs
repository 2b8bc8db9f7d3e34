//! `bloc calibrate --leave-one-out`: leave-one-crisis-out over the history suite (issue #17
//! item 5; docs/calibration.md): a calibration without each crisis in turn, then that
//! crisis forecast from the fold's posterior; the report is a table per fold, the held-out
//! scores, the reliability diagram's numbers and the coverage of the 90 % intervals.

use crate::CliError;
use crate::output::{Report, RunOutputArgs, pretty_json, write_report};
use bloc_calibrate::smc::{Observer, Settings, State};
use bloc_model::OutcomeClass;
use bloc_validate::history::calibration::HistoryProblem;
use bloc_validate::history::leave_one_out::{self as loo, Fold, LeaveOneOut};
use std::io::Write;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Runs every fold on `threads` threads and writes the report.
pub fn run(
    problem: &HistoryProblem,
    settings: &Settings,
    draws: usize,
    threads: usize,
    output: &RunOutputArgs,
) -> Result<(), CliError> {
    let folds = problem.case_ids().len() as u64;
    let bar = crate::render::progress_bar(folds * settings.max_simulations);
    let done = Arc::new(AtomicU64::new(0));
    let mut progress = FoldProgress {
        bar: bar.clone(),
        done: Arc::clone(&done),
        budget: settings.max_simulations,
        fold: 0,
        before: 0,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start {threads} threads: {e}")))?;
    let result = pool.install(|| {
        loo::leave_one_out(problem, settings, draws, &mut progress, |f| {
            let k = done.fetch_add(1, Ordering::Relaxed) + 1;
            bar.suspend(|| {
                crate::render::to_stderr(&format!(
                    "fold {k}/{folds} ({}): p(observed class) {:.3}, {} generations, {} simulations\n",
                    f.id, f.check.p_observed[0], f.generations, f.simulations
                ));
            });
        })
    });
    bar.finish_and_clear();
    let result = result.map_err(|e| CliError::Usage(e.to_string()))?;
    write_report(output, &Folds(result))
}

/// The progress bar over all folds' simulations (`done`: folds finished; `fold`: the fold
/// `before` belongs to; `before`: the simulations of its complete generations).
struct FoldProgress {
    bar: indicatif::ProgressBar,
    done: Arc<AtomicU64>,
    budget: u64,
    fold: u64,
    before: u64,
}

impl FoldProgress {
    /// The folds finished, starting the count of a new fold's generations when one begins.
    fn folds_done(&mut self) -> u64 {
        let done = self.done.load(Ordering::Relaxed);
        if done != self.fold {
            self.fold = done;
            self.before = 0;
        }
        done
    }
}

impl Observer for FoldProgress {
    fn progress(&mut self, generation: usize, accepted: usize, simulations: u64) {
        let done = self.folds_done();
        self.bar.set_message(format!(
            "fold {}: generation {generation}, {accepted} accepted",
            done + 1
        ));
        self.bar
            .set_position(done * self.budget + self.before + simulations);
    }

    fn generation(&mut self, state: &State) -> ControlFlow<()> {
        self.folds_done();
        self.before = state.generations.iter().map(|g| g.simulations).sum();
        ControlFlow::Continue(())
    }
}

/// The result as a report.
struct Folds(LeaveOneOut);

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

impl Folds {
    /// One row per fold: the held-out forecast and its calibration.
    fn fold_rows(&self) -> Vec<Vec<String>> {
        let l = &self.0;
        l.folds
            .iter()
            .zip(&l.scores.cases)
            .map(|(f, s): (&Fold, _)| {
                let mut row = vec![
                    f.id.clone(),
                    s.observed.name().to_string(),
                    format!("{:.3}", s.p_observed),
                    s.rank.to_string(),
                ];
                row.extend(f.check.classes.iter().map(|p| format!("{p:.3}")));
                row.extend([
                    format!("{:.3} ({})", s.intervention.0, yes(s.intervention.1)),
                    format!("{:.3} ({})", s.party_in_power.0, yes(s.party_in_power.1)),
                    f.check.share_inside.map(yes).join("/"),
                    f.generations.to_string(),
                    f.simulations.to_string(),
                    format!("{:.1}", f.ess),
                ]);
                row
            })
            .collect()
    }

    fn header() -> Vec<String> {
        let mut h: Vec<String> = ["case", "observed", "p(observed)", "rank"]
            .map(String::from)
            .to_vec();
        h.extend(OutcomeClass::ALL.iter().map(|c| c.name().to_string()));
        h.extend(
            [
                "intervention (record)",
                "party in power (record)",
                "inside 90 % (class/interv./party)",
                "generations",
                "simulations",
                "ESS",
            ]
            .map(String::from),
        );
        h
    }

    fn summary(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let l = &self.0;
        for s in [&l.scores, &l.alternative] {
            writeln!(
                w,
                "held out, {} coding: first {} / top two {} of {}; mean Brier {:.3} (uniform {:.3}, base rate {:.3}); mean log {:.3} (uniform {:.3}, base rate {:.3}); intervention Brier {:.3}; party Brier {:.3}",
                s.coding,
                s.first,
                s.top_two,
                s.cases.len(),
                s.mean_brier[0],
                s.mean_brier[1],
                s.mean_brier[2],
                s.mean_log[0],
                s.mean_log[1],
                s.mean_log[2],
                s.intervention_brier,
                s.party_brier
            )?;
        }
        let [c, i, p] = l.share_coverage;
        let [rc, ri, rp] = l.run_coverage;
        writeln!(
            w,
            "coverage of the 90 % predictive interval of the share: class {}, intervention {}, party {}; of one run's outcome: {}, {}, {}",
            pct(c),
            pct(i),
            pct(p),
            pct(rc),
            pct(ri),
            pct(rp)
        )?;
        writeln!(
            w,
            "each fold: ABC-SMC with {} particles, at most {} generations and {} simulations, seed {}; {} draws x {} runs of the held-out case",
            l.settings.particles,
            l.settings.max_generations,
            l.settings.max_simulations,
            l.settings.seed,
            l.draws,
            l.runs_per_case
        )
    }
}

impl Report for Folds {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, &self.0)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let mut t = crate::render::table(Self::header());
        for row in self.fold_rows() {
            t.add_row(row);
        }
        writeln!(w, "{t}")?;
        let mut r = crate::render::table([
            "predicted",
            "class forecasts",
            "mean predicted",
            "observed frequency",
        ]);
        let opt = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.3}"));
        for b in &self.0.reliability {
            r.add_row([
                format!("{:.1}-{:.1}", b.lower, b.upper),
                b.forecasts.to_string(),
                opt(b.mean_predicted),
                opt(b.observed_frequency),
            ]);
        }
        writeln!(w, "reliability (class probabilities, main coding):\n{r}")?;
        self.summary(w)
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(Self::header())?;
        for row in self.fold_rows() {
            csv.write_record(&row)?;
        }
        csv.flush()
    }
}
