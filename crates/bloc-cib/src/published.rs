//! The four published CIB test cases shipped in `data/cib/published/` (sources in each
//! file's `meta` and in data/cib/README.md), embedded so that `bloc validate` needs no files.
//!
//! Each holds the full matrix (rows = source variants) and the answer: the consistent
//! scenarios at tolerance 0 (and 1 and 2 where given), their total impact scores, and for
//! some the basin weights of succession, intervention results and a test scenario's
//! published balances.

use super::system::{CibSystem, Descriptor, Scenario, SystemError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A published test case as stored (0-based variant indices).
#[derive(Debug, Clone, Deserialize)]
pub struct PublishedCase {
    /// Descriptor names.
    pub descriptors: Vec<String>,
    /// Variant names per descriptor.
    pub variants: Vec<Vec<String>>,
    /// The full matrix, rows = source variants.
    pub matrix: Vec<Vec<i32>>,
    /// Number of scenarios.
    pub space: u128,
    /// Consistent scenarios at tolerance 0.
    pub consistent: Vec<Scenario>,
    /// Their total impact scores, in the same order.
    pub consistent_tis: Vec<i32>,
    /// Consistent scenarios at tolerance 1, if given.
    #[serde(default)]
    pub consistent_tol1: Option<Vec<Scenario>>,
    /// Consistent scenarios at tolerance 2, if given.
    #[serde(default)]
    pub consistent_tol2: Option<Vec<Scenario>>,
    /// Basin weights of global succession from every scenario ("cycle" = all cycles).
    #[serde(default)]
    pub global_succession_basins: Option<BTreeMap<String, u64>>,
    /// Basin weights of adiabatic succession from every scenario.
    #[serde(default)]
    pub adiabatic_succession_basins: Option<BTreeMap<String, u64>>,
    /// Consistent scenarios with descriptor 0 fixed (`"A=k"`).
    #[serde(default)]
    pub interventions: Option<BTreeMap<String, Vec<Scenario>>>,
    /// A scenario with published impact balances.
    #[serde(default)]
    pub test_scenario: Option<TestScenario>,
}

/// A scenario whose impact balances were published.
#[derive(Debug, Clone, Deserialize)]
pub struct TestScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// Its balances, one vector per descriptor.
    pub published_balances: Vec<Vec<i32>>,
    /// Its scenario inconsistency.
    pub inconsistency: i32,
}

impl PublishedCase {
    /// The case's system.
    pub fn system(&self, name: &str) -> Result<CibSystem, SystemError> {
        let descriptors = self
            .descriptors
            .iter()
            .zip(&self.variants)
            .map(|(d, v)| {
                Descriptor::named(d.clone(), &v.iter().map(String::as_str).collect::<Vec<_>>())
            })
            .collect();
        CibSystem::new(name, descriptors, self.matrix.concat())
    }
}

/// A case by name with its JSON text.
pub struct CaseFile {
    /// Name (the file stem).
    pub name: &'static str,
    /// The JSON.
    pub json: &'static str,
}

/// The four published cases.
pub const CASES: [CaseFile; 4] = [
    CaseFile {
        name: "somewhereland",
        json: include_str!("../../../data/cib/published/somewhereland.json"),
    },
    CaseFile {
        name: "CIB_global",
        json: include_str!("../../../data/cib/published/CIB_global.json"),
    },
    CaseFile {
        name: "CIB_nested",
        json: include_str!("../../../data/cib/published/CIB_nested.json"),
    },
    CaseFile {
        name: "bench_50x50",
        json: include_str!("../../../data/cib/published/bench_50x50.json"),
    },
];

/// Reads the case named `name` (panics never: an unknown name or a bad file is `None`).
pub fn case(name: &str) -> Option<(PublishedCase, CibSystem)> {
    let file = CASES.iter().find(|c| c.name == name)?;
    let case: PublishedCase = serde_json::from_str(file.json).ok()?;
    let system = case.system(name).ok()?;
    Some((case, system))
}
