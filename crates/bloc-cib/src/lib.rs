//! Cross-impact balance analysis (Weimer-Jehle 2006; design cib.md): descriptors with
//! variants and a matrix of judgements of how each variant promotes or restricts the others;
//! the self-consistent scenarios, succession and its attractors, intervention analysis,
//! ensembles of matrices and the uncertainty of judgements.
//!
//! * [`system`]: the system, impact balances, inconsistency, total impact score.
//! * [`search`]: exact enumeration by branch-and-bound, islands, streaming.
//! * [`succession`]: global and adiabatic succession, attractors and basin weights.
//! * [`ensemble`]: several matrices (experts) combined by their mean or a quorum.
//! * [`uncertainty`]: judgement uncertainty by Monte Carlo over the cells.
//! * [`file`]: bloc's own TOML format, with justifications and scenario classes.
//! * [`published`]: the four published test cases.
//! * [`transform`]: the invariance operations IO-1..IO-4.
//! * [`scw`]: ScenarioWizard's `.scw` project file, read and written.
//! * [`solution_list`]: ScenarioWizard's `.sl` solution list, read, re-verified, written.
//! * [`pycib`]: PyCIB's JSON exchange format (format_version 2), read and written.

pub mod ensemble;
pub mod file;
pub mod published;
pub mod pycib;
pub mod scw;
pub mod search;
pub mod solution_list;
pub mod succession;
pub mod system;
pub mod transform;
pub mod uncertainty;

/// The embedded cross-impact matrix of the bloc in February 1989
/// (`scenarios/eastern-europe-1989.cib.toml`), used when `bloc cib` is given no file.
pub const EASTERN_EUROPE_1989_CIB_TOML: &str =
    include_str!("../../../scenarios/eastern-europe-1989.cib.toml");

pub use search::{
    SearchOptions, SearchStats, consistent_scenarios, count_consistent, for_each_consistent,
};
pub use succession::{Attractor, SuccessionRule};
pub use system::{CibSystem, Descriptor, Scenario};

/// `text` with `c` inserted near byte `at` and cut near byte `cut` (both moved back to a
/// character boundary): the damaged files the readers' property tests feed them.
#[cfg(test)]
pub(crate) fn damaged(text: &str, at: usize, c: char, cut: usize) -> String {
    let mut text = text.to_string();
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text.insert(at, c);
    let mut cut = cut.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
}
