//! Limits as data: the largest request each command accepts, why, and how to lift it, in one
//! place (docs/reliability.md prints the same table), and the estimate of time and memory
//! printed before a long job.
//!
//! A request beyond a limit is refused before any work, naming the flag (and the file's key
//! where a file can set it) and the limit; `--allow-large` lifts every liftable limit. The
//! thread count's limit is not liftable.

use crate::CliError;
use std::sync::atomic::{AtomicBool, Ordering};

/// One limit.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// What is limited, as the user sets it: the flag, and the file's key if a file can set it.
    pub what: &'static str,
    /// The largest accepted value.
    pub max: u64,
    /// Why: the memory or time at the limit, measured (docs/reliability.md).
    pub why: &'static str,
    /// Whether `--allow-large` lifts it.
    pub liftable: bool,
}

/// Worker threads of any command.
pub const THREADS: Limit = Limit {
    what: "--threads",
    max: 1024,
    why: "more threads than that cannot run faster; 100,000 ran a minute before failing",
    liftable: false,
};
/// Runs of an ensemble of the bloc model (forecast, compare, playbook, sensitivity).
pub const RUNS: Limit = Limit {
    what: "--runs of forecast",
    max: 10_000_000,
    why: "about 20 ms per run on one core: more than a day on 2 cores at the limit",
    liftable: true,
};
/// Runs of `bloc compare` and `bloc playbook`, which keep every run of every strategy or
/// reaction for the paired differences.
pub const PAIRED_RUNS: Limit = Limit {
    what: "--runs of compare and playbook",
    max: 1_000_000,
    why: "every run of every strategy is kept, about 630 bytes each (an estimate from the kept run's fields, not measured): 0.63 GB per strategy at the limit",
    liftable: true,
};
/// Steps of a Model I run.
pub const EPSTEIN_STEPS: Limit = Limit {
    what: "--steps (or the file's ensemble.steps)",
    max: 1_000_000,
    why: "the bands over runs keep about 0.7 kB per step: 0.7 GB at the limit",
    liftable: true,
};
/// Runs of a Model I ensemble.
pub const EPSTEIN_RUNS: Limit = Limit {
    what: "--runs (or the file's ensemble.runs)",
    max: 10_000_000,
    why: "as the bloc model's runs",
    liftable: true,
};
/// Counts kept by `bloc epstein --per-run` (runs x steps).
pub const PER_RUN: Limit = Limit {
    what: "--per-run with --runs x --steps",
    max: 50_000_000,
    why: "every run's every step is kept: about 1.2 GB at the limit",
    liftable: true,
};
/// Monte Carlo draws of `bloc cib --uncertainty`.
pub const CIB_DRAWS: Limit = Limit {
    what: "--uncertainty",
    max: 1_000_000,
    why: "583 MB and 316 s measured on the 1989 matrix at the limit",
    liftable: true,
};

/// Runs of `bloc bargain --model exchange`.
pub const EXCHANGE_RUNS: Limit = Limit {
    what: "--runs of bargain --model exchange",
    max: 1_000_000,
    why: "about 20 ms and 1.3 kB per run of the shipped cop21 file on 2 cores (measured at 1,000 and 10,000 runs): 6 hours and 1.3 GB at the limit",
    liftable: true,
};
/// Random starts of `bloc cib --attractors`.
pub const CIB_STARTS: Limit = Limit {
    what: "--starts of cib --attractors",
    max: 1_000_000_000,
    why: "about 2 µs per start on the shipped 1989 matrix, memory constant (20 s for 10,000,000, measured): half an hour at the limit on that matrix, longer on larger ones",
    liftable: true,
};
/// Points of a Sobol' design of `bloc sensitivity --method sobol`.
pub const SOBOL_POINTS: Limit = Limit {
    what: "--samples x (values with a prior + 2) of sensitivity --method sobol",
    max: 1_000_000,
    why: "each point is a forecast of --runs runs: at 16 runs, about 4 days on 2 cores at the limit (an estimate from the forecast's 20 ms per run)",
    liftable: true,
};
/// Simulations of the record of `bloc calibrate` (every fold's together with
/// `--leave-one-out`).
pub const CALIBRATION_SIMULATIONS: Limit = Limit {
    what: "--budget of calibrate (x 21 folds with --leave-one-out)",
    max: 1_000_000,
    why: "10.85 simulations of the record per second on 2 cores (docs/performance.md): about 26 hours at the limit",
    liftable: true,
};
/// Runs of the held-out cases of `bloc calibrate --leave-one-out`.
pub const HELD_OUT_RUNS: Limit = Limit {
    what: "--draws x --runs-per-case x 21 folds of calibrate --leave-one-out",
    max: 10_000_000,
    why: "as the bloc model's runs: about 20 ms per run on one core, more than a day on 2 cores at the limit",
    liftable: true,
};
/// Problems of one file printed on stderr (`bloc check --json` lists them all).
pub const PROBLEMS_PRINTED: Limit = Limit {
    what: "problems printed per file",
    max: 100,
    why: "each is drawn with its source line; 16,000 took 10 s (`bloc check --json` lists all)",
    liftable: true,
};

/// Every limit, in the order docs/reliability.md lists them.
#[cfg(test)]
pub const ALL: [Limit; 13] = [
    THREADS,
    RUNS,
    PAIRED_RUNS,
    EPSTEIN_STEPS,
    EPSTEIN_RUNS,
    PER_RUN,
    CIB_DRAWS,
    EXCHANGE_RUNS,
    CIB_STARTS,
    SOBOL_POINTS,
    CALIBRATION_SIMULATIONS,
    HELD_OUT_RUNS,
    PROBLEMS_PRINTED,
];

/// The limits as the Markdown table docs/reliability.md holds (a test keeps them in step).
#[cfg(test)]
pub fn markdown_table() -> String {
    let mut out =
        String::from("| what | limit | why | lifted by --allow-large |\n|---|---|---|---|\n");
    for l in ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            l.what,
            l.max,
            l.why,
            if l.liftable { "yes" } else { "no" }
        ));
    }
    out
}

static ALLOW_LARGE: AtomicBool = AtomicBool::new(false);

/// Lifts every liftable limit (`--allow-large`).
pub fn allow_large(yes: bool) {
    ALLOW_LARGE.store(yes, Ordering::Relaxed);
}

/// Whether `--allow-large` was given.
pub fn lifted() -> bool {
    ALLOW_LARGE.load(Ordering::Relaxed)
}

impl Limit {
    /// Refuses `value` beyond the limit (unless lifted), saying the limit, why, and how to lift it.
    pub fn check(&self, value: u64) -> Result<(), CliError> {
        if value <= self.max || (self.liftable && ALLOW_LARGE.load(Ordering::Relaxed)) {
            return Ok(());
        }
        let lift = if self.liftable {
            "; pass --allow-large to run it anyway"
        } else {
            ""
        };
        Err(CliError::Usage(format!(
            "{} {value} is more than the limit {} ({}){lift}",
            self.what, self.max, self.why
        )))
    }
}

/// Prints an estimate to stderr before a job expected to take more than a minute.
pub fn announce(seconds: f64, bytes: f64) {
    if seconds > 60.0 {
        crate::render::to_stderr(&format!(
            "note: this job will take about {} and {} of memory (an estimate from the \
             benchmarks in docs/performance.md and docs/reliability.md)\n",
            duration(seconds),
            size(bytes)
        ));
    }
}

fn duration(s: f64) -> String {
    if s < 3600.0 {
        format!("{:.0} minutes", (s / 60.0).ceil())
    } else {
        format!("{:.1} hours", s / 3600.0)
    }
}

fn size(b: f64) -> String {
    if b < 1e9 {
        format!("{:.0} MB", (b / 1e6).max(1.0))
    } else {
        format!("{:.1} GB", b / 1e9)
    }
}

/// Seconds one run of the bloc model takes on one core: about 20 ms per run of six allies
/// over 100 weeks (the default forecast's 10 s on 2 cores, docs/performance.md), in
/// proportion to the allies and the weeks.
pub fn seconds_per_bloc_run(countries: usize, weeks: u32) -> f64 {
    0.020 * countries as f64 / 6.0 * f64::from(weeks) / 100.0
}

/// The worker threads a pool of `threads` (0: one per core) will have.
pub fn workers(threads: usize) -> f64 {
    let n = if threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        threads
    };
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_reliability_lists_every_limit() {
        let docs = include_str!("../../../docs/reliability.md");
        assert!(
            docs.contains(&markdown_table()),
            "regenerate docs/reliability.md's table:\n{}",
            markdown_table()
        );
    }

    #[test]
    fn a_limit_names_the_flag_the_limit_and_how_to_lift_it() {
        let e = EPSTEIN_STEPS.check(2_000_000).expect_err("beyond");
        let m = e.to_string();
        assert!(
            m.contains(
                "--steps (or the file's ensemble.steps) 2000000 is more than the limit 1000000"
            ),
            "{m}"
        );
        assert!(m.contains("--allow-large"), "{m}");
        assert!(EPSTEIN_STEPS.check(1_000_000).is_ok());
        let t = THREADS.check(1025).expect_err("beyond").to_string();
        assert!(!t.contains("--allow-large"), "{t}");
        // --allow-large lifts the liftable limits only.
        allow_large(true);
        let lifted = (EPSTEIN_STEPS.check(2_000_000), THREADS.check(1025));
        allow_large(false);
        assert!(lifted.0.is_ok() && lifted.1.is_err());
        assert_eq!(duration(90.0), "2 minutes");
        assert_eq!(size(2.5e9), "2.5 GB");
    }
}
