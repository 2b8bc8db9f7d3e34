//! Succession (design cib.md §2.4): from an inconsistent scenario, let descriptors move to the
//! variants their impact balance favours until a fixed point (a consistent scenario) or a
//! cycle is reached; attractors and their basin weights.
//!
//! * **Global**: every descriptor at once moves to a variant of maximal impact score; it keeps
//!   its variant if that is among the maxima, otherwise it takes the lowest-index maximum
//!   (the rule of cibsa and JuCIB, which reproduces ScenarioWizard's basin weights of
//!   CIB_global exactly).
//! * **Adiabatic**: one descriptor per step, the most inconsistent one (largest ic_j; the
//!   lowest index among equals), moves to its lowest-index maximum.
//!
//! Fixed descriptors (intervention analysis) never move. Both rules have the consistent
//! scenarios (tolerance 0) as their fixed points.

use super::system::{CibSystem, Scenario, is_free};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How descriptors move in one succession step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuccessionRule {
    /// Every descriptor at once.
    Global,
    /// Only the most inconsistent descriptor.
    Adiabatic,
}

/// Where a succession path ends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Attractor {
    /// A consistent scenario (with the fixed descriptors, consistent in the others).
    FixedPoint {
        /// The scenario.
        scenario: Scenario,
    },
    /// A periodic orbit of inconsistent scenarios, starting at its smallest member.
    Cycle {
        /// The members in the order the succession visits them.
        members: Vec<Scenario>,
    },
}

impl Attractor {
    /// Whether this is a cycle.
    pub fn is_cycle(&self) -> bool {
        matches!(self, Attractor::Cycle { .. })
    }
}

/// One succession path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuccessionPath {
    /// The start and every scenario after it, up to the first repeated one.
    pub steps: Vec<Scenario>,
    /// Where it ends.
    pub attractor: Attractor,
}

/// One succession step from `z`.
pub fn step(system: &CibSystem, z: &[u8], rule: SuccessionRule, fixed: &[Option<u8>]) -> Scenario {
    let theta = system.impact_scores(z);
    let mut next = z.to_vec();
    let best = |j: usize| -> (i32, usize) {
        let b = &theta[system.offset(j)..system.offset(j) + system.variant_count(j)];
        let max = b.iter().copied().max().unwrap_or(0);
        let first = b.iter().position(|&x| x == max).unwrap_or(0);
        (max - b[usize::from(z[j])], first)
    };
    match rule {
        SuccessionRule::Global => {
            for (j, slot) in next.iter_mut().enumerate() {
                if is_free(fixed, j) {
                    let (gap, first) = best(j);
                    if gap > 0 {
                        *slot = first as u8;
                    }
                }
            }
        }
        SuccessionRule::Adiabatic => {
            let mut worst: Option<(i32, usize, usize)> = None;
            for j in (0..z.len()).filter(|&j| is_free(fixed, j)) {
                let (gap, first) = best(j);
                if gap > 0 && worst.is_none_or(|(g, _, _)| gap > g) {
                    worst = Some((gap, j, first));
                }
            }
            if let Some((_, j, first)) = worst {
                next[j] = first as u8;
            }
        }
    }
    next
}

fn cycle_from(states: &[Scenario]) -> Attractor {
    let start = (0..states.len())
        .min_by(|&a, &b| states[a].cmp(&states[b]))
        .unwrap_or(0);
    let mut members = states[start..].to_vec();
    members.extend_from_slice(&states[..start]);
    Attractor::Cycle { members }
}

/// Follows the succession from `start` until a scenario repeats.
pub fn follow(
    system: &CibSystem,
    start: &[u8],
    rule: SuccessionRule,
    fixed: &[Option<u8>],
) -> SuccessionPath {
    let mut seen: HashMap<Scenario, usize> = HashMap::new();
    let mut steps = vec![start.to_vec()];
    seen.insert(start.to_vec(), 0);
    loop {
        let last = steps.last().expect("a path has a start");
        let next = step(system, last, rule, fixed);
        if &next == last {
            let attractor = Attractor::FixedPoint { scenario: next };
            return SuccessionPath { steps, attractor };
        }
        if let Some(&at) = seen.get(&next) {
            let attractor = cycle_from(&steps[at..]);
            return SuccessionPath { steps, attractor };
        }
        seen.insert(next.clone(), steps.len());
        steps.push(next);
    }
}

/// Which start scenarios a basin count uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starts {
    /// Every scenario (fixed descriptors held at their variants).
    All,
    /// `count` scenarios drawn uniformly (with replacement) from seed `seed`.
    Sample {
        /// Number of starts.
        count: u64,
        /// Master seed.
        seed: u64,
    },
}

/// An attractor with the number of starts that end in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Basin {
    /// The attractor.
    pub attractor: Attractor,
    /// Number of start scenarios whose path ends in it.
    pub weight: u64,
}

/// Attractors and basin weights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasinReport {
    /// The rule used.
    pub rule: SuccessionRule,
    /// Start scenarios followed.
    pub starts: u64,
    /// Whether every scenario was a start (otherwise a uniform sample).
    pub exhaustive: bool,
    /// Fixed points first (lexicographic), then cycles.
    pub basins: Vec<Basin>,
}

/// The most start scenarios an exhaustive basin count takes (one `u32` each is memoized).
pub const MAX_EXHAUSTIVE_STARTS: u128 = 1 << 28;

/// Why a basin count could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BasinError {
    /// Too many scenarios to start from every one.
    #[error("{} start scenarios are more than the {max} an exhaustive count holds; sample starts instead", start_count(*.0), max = MAX_EXHAUSTIVE_STARTS)]
    TooLarge(u128),
}

/// A number of start scenarios for a message: exact, or "more than u128::MAX" where the
/// saturating product reached it.
fn start_count(n: u128) -> String {
    if n == u128::MAX {
        format!("more than {}", u128::MAX)
    } else {
        n.to_string()
    }
}

/// Follows the succession from every start (or a sample of starts) and counts where the
/// paths end. The exhaustive count memoizes the attractor of every scenario it passes, so
/// each scenario's step is computed once.
pub fn basins(
    system: &CibSystem,
    rule: SuccessionRule,
    fixed: &[Option<u8>],
    starts: Starts,
) -> Result<BasinReport, BasinError> {
    let n = system.descriptor_count();
    let free: Vec<usize> = (0..n).filter(|&j| is_free(fixed, j)).collect();
    let base: Scenario = (0..n)
        .map(|j| fixed.get(j).copied().flatten().unwrap_or(0))
        .collect();
    let mut ids: BTreeMap<Attractor, usize> = BTreeMap::new();
    let mut weights: Vec<u64> = Vec::new();
    let record = |a: Attractor, ids: &mut BTreeMap<Attractor, usize>| -> usize {
        let next = ids.len();
        *ids.entry(a).or_insert(next)
    };
    let (total, exhaustive) = match starts {
        Starts::All => {
            let space = system.free_space(fixed);
            if space > MAX_EXHAUSTIVE_STARTS {
                return Err(BasinError::TooLarge(space));
            }
            let index = |z: &[u8]| -> usize {
                free.iter().fold(0usize, |acc, &j| {
                    acc * system.variant_count(j) + usize::from(z[j])
                })
            };
            // memo[k] = 1 + attractor id, 0 = not yet known.
            let mut memo = vec![0u32; space as usize];
            let mut z = base.clone();
            let mut path: Vec<Scenario> = Vec::new();
            let mut on_path: HashMap<Scenario, usize> = HashMap::new();
            for k in 0..space as usize {
                // Decode start k.
                let mut rest = k;
                for &j in free.iter().rev() {
                    z[j] = (rest % system.variant_count(j)) as u8;
                    rest /= system.variant_count(j);
                }
                if memo[k] == 0 {
                    path.clear();
                    on_path.clear();
                    let mut cur = z.clone();
                    let id = loop {
                        let known = memo[index(&cur)];
                        if known != 0 {
                            break (known - 1) as usize;
                        }
                        if let Some(&at) = on_path.get(&cur) {
                            let a = if at + 1 == path.len() {
                                Attractor::FixedPoint {
                                    scenario: cur.clone(),
                                }
                            } else {
                                cycle_from(&path[at..])
                            };
                            break record(a, &mut ids);
                        }
                        on_path.insert(cur.clone(), path.len());
                        path.push(cur.clone());
                        cur = step(system, &cur, rule, fixed);
                    };
                    for s in &path {
                        memo[index(s)] = id as u32 + 1;
                    }
                }
                let id = (memo[k] - 1) as usize;
                if weights.len() <= id {
                    weights.resize(id + 1, 0);
                }
                weights[id] += 1;
            }
            (space as u64, true)
        }
        Starts::Sample { count, seed } => {
            let mut rng = bloc_base::seeding::run_rng(seed, 0);
            let mut z = base.clone();
            for _ in 0..count {
                for &j in &free {
                    z[j] = rng.random_range(0..system.variant_count(j)) as u8;
                }
                let id = record(follow(system, &z, rule, fixed).attractor, &mut ids);
                if weights.len() <= id {
                    weights.resize(id + 1, 0);
                }
                weights[id] += 1;
            }
            (count, false)
        }
    };
    let basins = ids
        .into_iter()
        .map(|(attractor, id)| Basin {
            attractor,
            weight: weights.get(id).copied().unwrap_or(0),
        })
        .collect();
    Ok(BasinReport {
        rule,
        starts: total,
        exhaustive,
        basins,
    })
}
