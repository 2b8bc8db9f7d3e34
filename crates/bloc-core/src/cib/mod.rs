//! Cross-impact balance analysis (Weimer-Jehle 2006; design cib.md): descriptors with
//! variants and a matrix of judgements of how each variant promotes or restricts the others;
//! the self-consistent scenarios, succession and its attractors, intervention analysis,
//! ensembles of matrices and the uncertainty of judgements.
//!
//! * [`system`]: the system, impact balances, inconsistency, total impact score.
//! * [`search`]: exact enumeration by branch-and-bound, islands, streaming.
//! * [`succession`]: global and adiabatic succession, attractors and basin weights.
//! * [`scw`]: ScenarioWizard's `.scw` project file, read and written.
//! * [`solution_list`]: ScenarioWizard's `.sl` solution list, read, re-verified, written.
//! * [`pycib`]: PyCIB's JSON exchange format (format_version 2), read and written.

pub mod published;
pub mod pycib;
pub mod scw;
pub mod search;
pub mod solution_list;
pub mod succession;
pub mod system;

pub use search::{
    SearchOptions, SearchStats, consistent_scenarios, count_consistent, for_each_consistent,
};
pub use succession::{Attractor, SuccessionRule};
pub use system::{CibSystem, Descriptor, Scenario};
