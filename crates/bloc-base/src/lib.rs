//! # bloc-base
//!
//! What every domain of bloc shares, and nothing domain-specific: every number bloc reports is
//! decided in the domain crates built on this one, and front ends (the CLI, later a web page
//! and Python bindings) only drive them. No terminal or file I/O.
//!
//! * [`diagnostics`]: problems found in an input file, each with a byte span, a message and
//!   what was expected, all reported at once.
//! * [`document`]: reading a TOML input file into a typed value, checked against the JSON
//!   Schema of that type and then against its semantic rules.
//! * [`seeding`]: the one seeding policy (ChaCha8, master seed, stream = run index).
//! * [`ensemble`]: the deterministic parallel runner of Monte Carlo ensembles.
//! * [`stats`]: exact quantiles from integer histograms and other summaries.
//! * [`scoring`]: proper scores (Brier, log, CRPS) and rank correlation for hindcasts.

pub mod diagnostics;
pub mod document;
pub mod ensemble;
pub mod scoring;
pub mod seeding;
pub mod stats;

/// The version of bloc, recorded in every result's metadata.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
