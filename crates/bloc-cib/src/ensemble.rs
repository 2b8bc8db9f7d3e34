//! Ensembles of matrices (several experts judging the same descriptors) and the rules that
//! combine them (design cib.md §2.6).
//!
//! * **Mean** (the default): a scenario is consistent within tolerance t if it is consistent
//!   within t in the mean matrix of the K members. The mean is not integral, so the search
//!   runs on the sum matrix with tolerance K·t, which accepts exactly the same scenarios
//!   (IC scales with the matrix, invariance IO-3). This is Weimer-Jehle's "sum matrix" of an
//!   expert group.
//! * **Quorum q**: a scenario is accepted if it is consistent within t in at least q of the
//!   K members (q = K: in every member; q = 1: in any). Every such scenario is consistent in
//!   some member, so the union of the members' exact sets, counted, is exact.
//!
//! Members must have the same descriptors and variants, in the same order (each matched by
//! id or by name; the first member's names are kept): a member whose variants are listed in
//! another order is refused, never added cell by cell to the wrong variants.

use super::search::{SearchError, SearchOptions, consistent_scenarios};
use super::system::{CibSystem, Scenario};
use std::collections::BTreeMap;

/// How the members of an ensemble are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combination {
    /// Consistent in the mean matrix.
    Mean,
    /// Consistent in at least this many members.
    Quorum(usize),
}

/// Why an ensemble could not be formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnsembleError {
    /// A member differs from the first in its descriptors or variants.
    #[error("member {member} does not have the first member's descriptors and variants: {what}")]
    Mismatch {
        /// 1-based member number.
        member: usize,
        /// What differs.
        what: String,
    },
    /// A quorum of 0 or above the number of members.
    #[error("a quorum of {quorum} is impossible with {members} members")]
    Quorum {
        /// The quorum asked.
        quorum: usize,
        /// Number of members.
        members: usize,
    },
    /// The tolerance times the number of members does not fit the engine's integers.
    #[error("a tolerance of {0} is too large for an ensemble of this size")]
    Tolerance(i32),
    /// The search failed.
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// Checks that every member has the first member's structure.
pub fn check_members(members: &[CibSystem]) -> Result<(), EnsembleError> {
    let first = &members[0];
    for (m, other) in members.iter().enumerate().skip(1) {
        if other.descriptor_count() != first.descriptor_count() {
            return Err(EnsembleError::Mismatch {
                member: m + 1,
                what: format!(
                    "{} descriptors instead of {}",
                    other.descriptor_count(),
                    first.descriptor_count()
                ),
            });
        }
        for (a, b) in first.descriptors().iter().zip(other.descriptors()) {
            // A descriptor matches by id or by name, and its variants must be the same, in the
            // same order (by id or by name): a member that lists them in another order would
            // otherwise be added cell by cell to the wrong variants.
            let same_descriptor = a.id == b.id || a.name == b.name;
            let same_variants =
                a.variant_ids == b.variant_ids || a.variant_names == b.variant_names;
            if !same_descriptor || !same_variants {
                return Err(EnsembleError::Mismatch {
                    member: m + 1,
                    what: format!(
                        "descriptor '{}' with variants [{}] against '{}' with [{}] in member 1",
                        b.id,
                        b.variant_ids.join(", "),
                        a.id,
                        a.variant_ids.join(", ")
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The sum matrix of the members, as a system with the first member's names.
pub fn sum_system(members: &[CibSystem]) -> Result<CibSystem, EnsembleError> {
    check_members(members)?;
    let mut sum = vec![0i32; members[0].matrix().len()];
    for m in members {
        for (s, x) in sum.iter_mut().zip(m.matrix()) {
            *s += x;
        }
    }
    members[0]
        .with_matrix(sum)
        .map_err(|e| EnsembleError::Mismatch {
            member: 1,
            what: e.to_string(),
        })
}

/// A scenario accepted by the ensemble, with the number of members in which it is
/// consistent within the tolerance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnsembleScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// Members in which it is consistent within the tolerance.
    pub members: usize,
}

/// The scenarios the ensemble accepts under `combination`, sorted lexicographically.
pub fn ensemble_consistent(
    members: &[CibSystem],
    combination: Combination,
    options: &SearchOptions,
) -> Result<Vec<EnsembleScenario>, EnsembleError> {
    check_members(members)?;
    let k = members.len();
    let mut counts: BTreeMap<Scenario, usize> = BTreeMap::new();
    for m in members {
        for z in consistent_scenarios(m, options)? {
            *counts.entry(z).or_default() += 1;
        }
    }
    let accepted = match combination {
        Combination::Quorum(q) => {
            if q == 0 || q > k {
                return Err(EnsembleError::Quorum {
                    quorum: q,
                    members: k,
                });
            }
            counts
                .into_iter()
                .filter(|(_, c)| *c >= q)
                .map(|(scenario, members)| EnsembleScenario { scenario, members })
                .collect()
        }
        Combination::Mean => {
            let sum = sum_system(members)?;
            let tolerance = i32::try_from(k)
                .ok()
                .and_then(|k| options.tolerance.checked_mul(k))
                .ok_or(EnsembleError::Tolerance(options.tolerance))?;
            let scaled = SearchOptions {
                tolerance,
                ..options.clone()
            };
            consistent_scenarios(&sum, &scaled)?
                .into_iter()
                .map(|scenario| {
                    let members = counts.get(&scenario).copied().unwrap_or(0);
                    EnsembleScenario { scenario, members }
                })
                .collect()
        }
    };
    Ok(accepted)
}
