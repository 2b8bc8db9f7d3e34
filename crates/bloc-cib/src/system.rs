//! A CIB system: descriptors with variants and the cross-impact matrix, with the impact
//! balances, inconsistencies and total impact score of a scenario (Weimer-Jehle 2006; design
//! cib.md §2).
//!
//! The matrix is held whole (one row and one column per variant of every descriptor, rows =
//! source, columns = target), as ScenarioWizard and the published cases hold it. Judgements
//! are integers, as in every CIB tool's scale. The diagonal blocks (a descriptor on itself)
//! are zero by the method's convention; where a file has judgements there (self-impacts,
//! as three of cibsa's ScenarioWizard projects do), they are kept and counted in the
//! balances, as ScenarioWizard counts them: its solution lists for those projects are
//! exactly the scenarios consistent with them (see [`super::scw`]).

use serde::Serialize;
use thiserror::Error;

/// A scenario: one variant index (0-based) per descriptor.
pub type Scenario = Vec<u8>;

/// Whether descriptor `j` is free, not held at a variant by `fixed` (one entry per
/// descriptor, or empty when none is fixed).
pub fn is_free(fixed: &[Option<u8>], j: usize) -> bool {
    fixed.get(j).copied().flatten().is_none()
}

/// The most variants a descriptor may have (a scenario stores a variant in a byte).
pub const MAX_VARIANTS: usize = 255;

/// A descriptor (system factor) with its mutually exclusive variants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Descriptor {
    /// Short identifier (unique in the system), used on the command line.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Variant identifiers, in order (unique within the descriptor).
    pub variant_ids: Vec<String>,
    /// Variant display names, in order.
    pub variant_names: Vec<String>,
}

impl Descriptor {
    /// A descriptor whose variant names double as their identifiers.
    pub fn named(name: impl Into<String>, variants: &[&str]) -> Self {
        let name = name.into();
        Descriptor {
            id: name.clone(),
            name,
            variant_ids: variants.iter().map(|v| v.to_string()).collect(),
            variant_names: variants.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// Number of variants.
    pub fn len(&self) -> usize {
        self.variant_ids.len()
    }

    /// Whether the descriptor has no variants (never true of a valid system).
    pub fn is_empty(&self) -> bool {
        self.variant_ids.is_empty()
    }
}

/// Why a system could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SystemError {
    /// Fewer than two descriptors.
    #[error("a CIB system needs at least 2 descriptors, found {0}")]
    TooFewDescriptors(usize),
    /// A descriptor with fewer than two or more than 255 variants.
    #[error("descriptor '{descriptor}' has {count} variants, expected 2 to 255")]
    VariantCount {
        /// The descriptor.
        descriptor: String,
        /// Its number of variants.
        count: usize,
    },
    /// The matrix does not have one row and one column per variant.
    #[error("the matrix has {got} cells, expected {expected} ({variants} x {variants})")]
    MatrixShape {
        /// Cells found.
        got: usize,
        /// Cells expected.
        expected: usize,
        /// Total number of variants.
        variants: usize,
    },
    /// Two descriptors share an identifier.
    #[error("descriptor id '{0}' is used twice")]
    DuplicateDescriptor(String),
    /// Two variants of one descriptor share an identifier.
    #[error("variant id '{variant}' is used twice in descriptor '{descriptor}'")]
    DuplicateVariant {
        /// The descriptor.
        descriptor: String,
        /// The repeated variant id.
        variant: String,
    },
}

/// Descriptors, variants and the cross-impact matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CibSystem {
    /// Optional title.
    pub name: String,
    descriptors: Vec<Descriptor>,
    /// First variant (row and column) index of each descriptor, plus the total at the end.
    offsets: Vec<usize>,
    /// Row-major, `total × total`; diagonal blocks are zero.
    matrix: Vec<i32>,
}

impl CibSystem {
    /// A system from descriptors and the full matrix (row-major, rows = source variants;
    /// diagonal blocks, normally zero, are self-impacts and are counted).
    pub fn new(
        name: impl Into<String>,
        descriptors: Vec<Descriptor>,
        matrix: Vec<i32>,
    ) -> Result<Self, SystemError> {
        if descriptors.len() < 2 {
            return Err(SystemError::TooFewDescriptors(descriptors.len()));
        }
        let mut offsets = Vec::with_capacity(descriptors.len() + 1);
        let mut total = 0;
        for (j, d) in descriptors.iter().enumerate() {
            if d.len() < 2 || d.len() > MAX_VARIANTS || d.variant_names.len() != d.len() {
                return Err(SystemError::VariantCount {
                    descriptor: d.id.clone(),
                    count: d.len(),
                });
            }
            if descriptors[..j].iter().any(|e| e.id == d.id) {
                return Err(SystemError::DuplicateDescriptor(d.id.clone()));
            }
            for (k, v) in d.variant_ids.iter().enumerate() {
                if d.variant_ids[..k].contains(v) {
                    return Err(SystemError::DuplicateVariant {
                        descriptor: d.id.clone(),
                        variant: v.clone(),
                    });
                }
            }
            offsets.push(total);
            total += d.len();
        }
        offsets.push(total);
        if matrix.len() != total * total {
            return Err(SystemError::MatrixShape {
                got: matrix.len(),
                expected: total * total,
                variants: total,
            });
        }
        Ok(CibSystem {
            name: name.into(),
            descriptors,
            offsets,
            matrix,
        })
    }

    /// The descriptors, in order.
    pub fn descriptors(&self) -> &[Descriptor] {
        &self.descriptors
    }

    /// Number of descriptors.
    pub fn descriptor_count(&self) -> usize {
        self.descriptors.len()
    }

    /// Number of variants of descriptor `j`.
    pub fn variant_count(&self, j: usize) -> usize {
        self.offsets[j + 1] - self.offsets[j]
    }

    /// Index of the first variant of descriptor `j` in the matrix's rows and columns.
    pub fn offset(&self, j: usize) -> usize {
        self.offsets[j]
    }

    /// Total number of variants (rows and columns of the matrix).
    pub fn total_variants(&self) -> usize {
        *self.offsets.last().expect("offsets end with the total")
    }

    /// The whole matrix, row-major.
    pub fn matrix(&self) -> &[i32] {
        &self.matrix
    }

    /// The matrix row of variant `k` of source descriptor `i` (all columns).
    pub fn row(&self, i: usize, k: usize) -> &[i32] {
        let t = self.total_variants();
        let r = self.offsets[i] + k;
        &self.matrix[r * t..(r + 1) * t]
    }

    /// C_ij(k, l): the impact of variant `k` of descriptor `i` on variant `l` of descriptor `j`.
    pub fn cell(&self, i: usize, k: usize, j: usize, l: usize) -> i32 {
        self.matrix[(self.offsets[i] + k) * self.total_variants() + self.offsets[j] + l]
    }

    /// Sets C_ij(k, l) (i = j sets a self-impact).
    pub fn set_cell(&mut self, i: usize, k: usize, j: usize, l: usize, value: i32) {
        let t = self.total_variants();
        self.matrix[(self.offsets[i] + k) * t + self.offsets[j] + l] = value;
    }

    /// Whether some descriptor judges itself (a non-zero cell in a diagonal block).
    pub fn has_self_impacts(&self) -> bool {
        (0..self.descriptor_count()).any(|j| self.section_is_judged(j, j))
    }

    /// Whether the judgement section (i, j) has any non-zero cell.
    pub fn section_is_judged(&self, i: usize, j: usize) -> bool {
        (0..self.variant_count(i))
            .any(|k| (0..self.variant_count(j)).any(|l| self.cell(i, k, j, l) != 0))
    }

    /// Whether descriptor `i` can change which variant of `j` wins: some judgement group of
    /// the section (i, j) is not constant (a constant group shifts every variant of `j`
    /// alike, invariance IO-1, so it never matters).
    pub fn influences(&self, i: usize, j: usize) -> bool {
        i != j
            && (0..self.variant_count(i)).any(|k| {
                let first = self.cell(i, k, j, 0);
                (1..self.variant_count(j)).any(|l| self.cell(i, k, j, l) != first)
            })
    }

    /// Number of scenarios, ∏ n_j (saturating at `u128::MAX`; [`Self::space_size_exact`]
    /// for output).
    pub fn space_size(&self) -> u128 {
        self.free_space(&[])
    }

    /// Number of scenarios, ∏ n_j, exactly (3^81 exceeds `u128::MAX`).
    pub fn space_size_exact(&self) -> num_bigint::BigUint {
        (0..self.descriptor_count())
            .map(|j| num_bigint::BigUint::from(self.variant_count(j)))
            .product()
    }

    /// Number of scenarios of the free descriptors, the product of their variant counts
    /// (saturating), with the `fixed` ones held at their variants.
    pub fn free_space(&self, fixed: &[Option<u8>]) -> u128 {
        (0..self.descriptor_count())
            .filter(|&j| is_free(fixed, j))
            .map(|j| self.variant_count(j) as u128)
            .fold(1u128, |a, n| a.saturating_mul(n))
    }

    /// The descriptor ids, comma-separated (for messages).
    pub fn descriptor_ids(&self) -> String {
        self.descriptors
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether `z` names one valid variant for every descriptor.
    pub fn is_scenario(&self, z: &[u8]) -> bool {
        z.len() == self.descriptor_count()
            && z.iter()
                .enumerate()
                .all(|(j, &v)| usize::from(v) < self.variant_count(j))
    }

    /// The impact scores θ_j,l(z) = Σ_i C_ij(z_i, l) of every variant of every descriptor
    /// (the sum runs over i ≠ j unless the system has self-impacts), flat (index = the
    /// variant's column).
    pub fn impact_scores(&self, z: &[u8]) -> Vec<i32> {
        let mut theta = vec![0; self.total_variants()];
        for (i, &v) in z.iter().enumerate() {
            let row = self.row(i, usize::from(v));
            for (t, r) in theta.iter_mut().zip(row) {
                *t += r;
            }
        }
        theta
    }

    /// The impact balance of every descriptor in `z` (one vector per descriptor).
    pub fn balances(&self, z: &[u8]) -> Vec<Vec<i32>> {
        let theta = self.impact_scores(z);
        (0..self.descriptor_count())
            .map(|j| theta[self.offsets[j]..self.offsets[j + 1]].to_vec())
            .collect()
    }

    /// Descriptor inconsistencies ic_j(z) = max_l θ_j,l − θ_j,z_j (≥ 0).
    pub fn descriptor_inconsistencies(&self, z: &[u8]) -> Vec<i32> {
        let theta = self.impact_scores(z);
        (0..self.descriptor_count())
            .map(|j| {
                let b = &theta[self.offsets[j]..self.offsets[j + 1]];
                b.iter().max().copied().unwrap_or(0) - b[usize::from(z[j])]
            })
            .collect()
    }

    /// Scenario inconsistency IC(z) = max_j ic_j(z), over the descriptors not in `fixed`
    /// (fixed descriptors keep their variant whatever their balance; pass `&[]` for none).
    pub fn inconsistency(&self, z: &[u8], fixed: &[Option<u8>]) -> i32 {
        self.descriptor_inconsistencies(z)
            .into_iter()
            .enumerate()
            .filter(|(j, _)| is_free(fixed, *j))
            .map(|(_, ic)| ic)
            .max()
            .unwrap_or(0)
    }

    /// Whether `z` is consistent within `tolerance` (ties count as consistent).
    pub fn is_consistent(&self, z: &[u8], tolerance: i32) -> bool {
        self.inconsistency(z, &[]) <= tolerance
    }

    /// Total impact score TIS(z) = Σ_j θ_j,z_j(z).
    pub fn total_impact_score(&self, z: &[u8]) -> i32 {
        let theta = self.impact_scores(z);
        (0..self.descriptor_count())
            .map(|j| theta[self.offsets[j] + usize::from(z[j])])
            .sum()
    }

    /// Index of a descriptor named by its id, its name, or its 1-based number.
    pub fn find_descriptor(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.descriptors
            .iter()
            .position(|d| d.id == key)
            .or_else(|| self.descriptors.iter().position(|d| d.name == key))
            .or_else(|| {
                self.descriptors
                    .iter()
                    .position(|d| d.id.eq_ignore_ascii_case(key))
            })
            .or_else(|| {
                key.parse::<usize>()
                    .ok()
                    .filter(|&n| n >= 1 && n <= self.descriptor_count())
                    .map(|n| n - 1)
            })
    }

    /// Index of a variant of descriptor `j` named by its id, its name, the first word of its
    /// name (ScenarioWizard's `A1 "Patriots party"` is `A1`), or its 1-based number.
    pub fn find_variant(&self, j: usize, key: &str) -> Option<u8> {
        let key = key.trim();
        let d = &self.descriptors[j];
        let first_word = |s: &str| s.split_whitespace().next().unwrap_or("").to_string();
        let found = d
            .variant_ids
            .iter()
            .position(|v| v == key)
            .or_else(|| d.variant_names.iter().position(|v| v == key))
            .or_else(|| {
                d.variant_ids
                    .iter()
                    .position(|v| v.eq_ignore_ascii_case(key))
            })
            .or_else(|| {
                let hits: Vec<usize> = (0..d.len())
                    .filter(|&k| first_word(&d.variant_names[k]) == key)
                    .collect();
                (hits.len() == 1).then(|| hits[0])
            })
            .or_else(|| {
                key.parse::<usize>()
                    .ok()
                    .filter(|&n| n >= 1 && n <= d.len())
                    .map(|n| n - 1)
            });
        found.map(|k| k as u8)
    }

    /// A scenario written as the variant ids in descriptor order (`force reform_led ...`).
    pub fn describe(&self, z: &[u8]) -> String {
        z.iter()
            .enumerate()
            .map(|(j, &v)| self.descriptors[j].variant_ids[usize::from(v)].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The same system with another matrix of the same shape (for ensembles and draws).
    pub fn with_matrix(&self, matrix: Vec<i32>) -> Result<Self, SystemError> {
        CibSystem::new(self.name.clone(), self.descriptors.clone(), matrix)
    }
}

/// Why a written scenario could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct ScenarioError(pub String);

/// Reads a scenario written either as one variant per descriptor in order, separated by
/// spaces or commas (`A2 B1 C3 D1 E1 F1`, or the 1-based `2 1 3 1 1 1`), or as
/// `descriptor=variant` pairs naming every descriptor (`A=A2, B=B1, ...`).
pub fn parse_scenario(system: &CibSystem, text: &str) -> Result<Scenario, ScenarioError> {
    let tokens: Vec<&str> = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    let n = system.descriptor_count();
    if tokens.iter().any(|t| t.contains('=')) {
        let mut z: Vec<Option<u8>> = vec![None; n];
        for (j, v) in parse_assignments(system, text)? {
            if z[j].is_some() {
                return Err(ScenarioError(format!(
                    "descriptor '{}' is given twice",
                    system.descriptors[j].id
                )));
            }
            z[j] = Some(v);
        }
        let missing: Vec<&str> = (0..n)
            .filter(|&j| z[j].is_none())
            .map(|j| system.descriptors[j].id.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(ScenarioError(format!(
                "the scenario gives no variant for: {}",
                missing.join(", ")
            )));
        }
        return Ok(z.into_iter().map(|v| v.unwrap_or(0)).collect());
    }
    if tokens.len() != n {
        return Err(ScenarioError(format!(
            "the scenario names {} variants, expected one for each of the {n} descriptors ({})",
            tokens.len(),
            system.descriptor_ids()
        )));
    }
    tokens
        .iter()
        .enumerate()
        .map(|(j, t)| {
            system
                .find_variant(j, t)
                .ok_or_else(|| unknown_variant(system, j, t))
        })
        .collect()
}

/// Reads `descriptor=variant` pairs separated by commas or spaces (`A=A2, C=3`).
pub fn parse_assignments(
    system: &CibSystem,
    text: &str,
) -> Result<Vec<(usize, u8)>, ScenarioError> {
    let mut out = Vec::new();
    for part in text
        .split([',', ';'])
        .flat_map(|p| split_pairs(p.trim()))
        .filter(|p| !p.is_empty())
    {
        let Some((d, v)) = part.split_once('=') else {
            return Err(ScenarioError(format!(
                "'{part}' is not of the form descriptor=variant"
            )));
        };
        let j = system.find_descriptor(d).ok_or_else(|| {
            ScenarioError(format!(
                "unknown descriptor '{}', expected one of: {}",
                d.trim(),
                system.descriptor_ids()
            ))
        })?;
        let k = system
            .find_variant(j, v)
            .ok_or_else(|| unknown_variant(system, j, v.trim()))?;
        out.push((j, k));
    }
    Ok(out)
}

/// Splits one comma-separated part into pairs: `A=A1 B=B2` holds two (split at spaces),
/// `A. Government=A1` one (a name with spaces needs commas between pairs).
fn split_pairs(text: &str) -> Vec<String> {
    if text.matches('=').count() > 1 {
        text.split_whitespace().map(str::to_string).collect()
    } else {
        vec![text.to_string()]
    }
}

fn unknown_variant(system: &CibSystem, j: usize, key: &str) -> ScenarioError {
    let d = &system.descriptors()[j];
    ScenarioError(format!(
        "descriptor '{}' has no variant '{key}', expected one of: {} (or 1 to {})",
        d.id,
        d.variant_ids.join(", "),
        d.len()
    ))
}
