//! # bloc-core
//!
//! The library behind the `bloc` tool: every number bloc reports is decided here, and front
//! ends (the CLI, later a web page and Python bindings) only drive it. It does no terminal or
//! file I/O of its own.
//!
//! Modules are top-level nouns with narrow public surfaces:
//!
//! * [`diagnostics`]: problems found in an input file, each with a byte span, a message and
//!   what was expected, all reported at once.
//! * [`document`]: reading a TOML input file into a typed value, checked against the JSON
//!   Schema of that type and then against its semantic rules.
//! * [`seeding`]: the one seeding policy (ChaCha8, master seed, stream = run index).
//! * [`ensemble`]: the deterministic parallel runner of Monte Carlo ensembles.
//! * [`stats`]: exact quantiles from integer histograms and other summaries.
//! * [`epstein`]: Epstein's civil violence Model I (PNAS 2002), the citizens layer.
//! * [`granovetter`]: Granovetter's (1978) threshold model of collective behaviour.
//! * [`bargain`]: collective decisions (weighted median, Bueno de Mesquita, exchange).
//! * [`scoring`]: proper scores (Brier, log, CRPS) and rank correlation for hindcasts.
//! * [`strategy`]: the centre's strategies (files applied to a scenario) and their paired
//!   comparison on common random numbers.
//! * [`record`]: the sourced record of 1989 (facts, timeline, outcomes).
//! * [`sensitivity`]: Morris's elementary effects of the forecast with respect to every
//!   estimated parameter (`bloc sensitivity`).
//! * [`validation`]: the published findings that `bloc validate` checks.
//!
//! ```
//! use bloc_core::epstein::{EpsteinScenario, simulate_run};
//! use bloc_core::seeding::run_rng;
//!
//! let scenario = EpsteinScenario::paper_default();
//! let mut rng = run_rng(42, 0);
//! let run = simulate_run(&scenario, 50, &mut rng);
//! assert_eq!(run.counts.len(), 51); // the initial state and 50 steps
//! ```

pub mod bargain;
pub mod bloc;
pub mod cib;
pub mod diagnostics;
pub mod document;
pub mod ensemble;
pub mod epstein;
pub mod granovetter;
pub mod record;
pub mod scoring;
pub mod seeding;
pub mod sensitivity;
pub mod stats;
pub mod strategy;
pub mod validation;

/// The version of bloc-core, recorded in every result's metadata.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
