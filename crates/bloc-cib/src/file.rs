//! bloc's own CIB file (TOML): named descriptors and variants, judgement sections each with
//! an optional one-line justification and confidence, the judgement scale, and optional
//! rules that name classes of scenarios (the memo's scenarios for the 1989 matrix).
//!
//! ```toml
//! [cib]
//! kind = "cib"
//! name = "Somewhereland"
//! scale = { min = -3, max = 3 }
//!
//! [[descriptors]]
//! id = "government"
//! name = "A. Government"
//! variants = [{ id = "patriots", name = "Patriots party" }, ...]
//!
//! [[judgements]]
//! source = "government"      # rows: the source's variants, in order
//! target = "foreign_policy"  # columns: the target's variants, in order
//! why = "one line: the source of the judgement"
//! confidence = 4             # 1 (very uncertain) .. 5 (certain), PyCIB's coding
//! impacts = [[-2, 1, 1], [2, 1, -3], [0, 0, 0]]
//! ```
//!
//! Sections not written are zero (no direct influence). A section of a descriptor on itself
//! is a self-impact: against the method's convention, but counted as ScenarioWizard counts
//! it, so that its projects convert without loss. Every problem is reported at its line
//! and column.

use super::system::{CibSystem, Descriptor};
use bloc_base::diagnostics::Diagnostics;
use bloc_base::document::{Checked, SemanticProblems, parse};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CibHeader {
    /// Must be "cib" for this format.
    #[schemars(extend("const" = "cib"))]
    pub kind: String,
    /// A title.
    #[schemars(length(min = 1, max = 120))]
    pub name: String,
    /// What the matrix describes, when and by whom it was judged.
    #[serde(default)]
    pub description: String,
    /// The judgement scale (default −3 … +3).
    #[serde(default)]
    pub scale: Scale,
}

/// The judgement scale: every cell lies in `min ..= max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Strongest restriction.
    #[schemars(range(min = -100, max = 0))]
    pub min: i32,
    /// Strongest promotion.
    #[schemars(range(min = 0, max = 100))]
    pub max: i32,
}

impl Scale {
    /// The usual −3 … +3, widened to every cell of `system`.
    pub fn covering(system: &CibSystem) -> Self {
        let lo = system.matrix().iter().copied().min().unwrap_or(0);
        let hi = system.matrix().iter().copied().max().unwrap_or(0);
        Scale {
            min: lo.min(-3),
            max: hi.max(3),
        }
    }
}

impl Default for Scale {
    fn default() -> Self {
        Scale { min: -3, max: 3 }
    }
}

/// A variant of a descriptor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    /// Identifier, unique within the descriptor.
    #[schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9_\-]*$"), length(max = 40))]
    pub id: String,
    /// Display name.
    #[schemars(length(min = 1, max = 120))]
    pub name: String,
    /// What the variant means.
    #[serde(default)]
    pub description: String,
}

/// A descriptor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DescriptorSpec {
    /// Identifier, unique in the file.
    #[schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9_\-]*$"), length(max = 40))]
    pub id: String,
    /// Display name.
    #[schemars(length(min = 1, max = 120))]
    pub name: String,
    /// What the descriptor means.
    #[serde(default)]
    pub description: String,
    /// Its variants, 2 to 255.
    #[schemars(length(min = 2, max = 255))]
    pub variants: Vec<VariantSpec>,
}

/// One judgement section: how each variant of `source` promotes (+) or restricts (−) each
/// variant of `target`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JudgementSection {
    /// Source descriptor id (rows).
    pub source: String,
    /// Target descriptor id (columns).
    pub target: String,
    /// One line: why, and on what source.
    #[serde(default)]
    pub why: String,
    /// Confidence in the section, 1 (very uncertain) to 5 (certain); used by the
    /// uncertainty analysis (PyCIB's coding: σ = 1.5, 1.2, 0.8, 0.5, 0.2).
    #[serde(default)]
    #[schemars(range(min = 1, max = 5))]
    pub confidence: Option<u8>,
    /// One row per source variant, one column per target variant.
    #[schemars(length(min = 2))]
    pub impacts: Vec<Vec<i32>>,
}

/// A named rule on scenarios: it holds when every condition of `when` holds, or every
/// condition of one of the `or_when` alternatives (each condition: descriptor id → the
/// variant ids allowed). As a class, a scenario belongs to the first class that holds; as an
/// outcome, it is reported as holding or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioClass {
    /// Identifier.
    #[schemars(length(min = 1, max = 40))]
    pub id: String,
    /// Display name.
    #[schemars(length(min = 1, max = 120))]
    pub name: String,
    /// Conditions: descriptor id → allowed variant ids (all must hold).
    #[serde(default)]
    pub when: BTreeMap<String, Vec<String>>,
    /// Alternatives to `when`, each a set of conditions that must all hold.
    #[serde(default)]
    pub or_when: Vec<BTreeMap<String, Vec<String>>>,
}

impl ScenarioClass {
    /// Whether the rule holds for `z`.
    pub fn holds(&self, system: &CibSystem, z: &[u8]) -> bool {
        let all = |conditions: &BTreeMap<String, Vec<String>>| {
            conditions.iter().all(|(d, allowed)| {
                system.find_descriptor(d).is_some_and(|j| {
                    let v = &system.descriptors()[j].variant_ids[usize::from(z[j])];
                    allowed.iter().any(|a| a == v)
                })
            })
        };
        if self.or_when.is_empty() {
            return all(&self.when);
        }
        (!self.when.is_empty() && all(&self.when)) || self.or_when.iter().any(all)
    }
}

/// A CIB file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CibFile {
    /// Name, description and scale.
    pub cib: CibHeader,
    /// Descriptors with their variants, at least 2.
    #[schemars(length(min = 2))]
    pub descriptors: Vec<DescriptorSpec>,
    /// Judgement sections (absent sections are zero).
    #[serde(default)]
    pub judgements: Vec<JudgementSection>,
    /// Classes of scenarios, tried in order.
    #[serde(default)]
    pub classes: Vec<ScenarioClass>,
    /// Outcomes reported for every scenario (holds or not).
    #[serde(default)]
    pub outcomes: Vec<ScenarioClass>,
}

impl CibFile {
    fn descriptor(&self, id: &str) -> Option<usize> {
        self.descriptors.iter().position(|d| d.id == id)
    }
}

fn known(ids: impl Iterator<Item = String>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

impl Checked for CibFile {
    fn check(&self, p: &mut SemanticProblems) {
        for (j, d) in self.descriptors.iter().enumerate() {
            if self.descriptors[..j].iter().any(|e| e.id == d.id) {
                p.error(
                    format!("descriptors[{j}].id"),
                    format!("descriptor id '{}' is used twice", d.id),
                    "a unique id",
                );
            }
            for (k, v) in d.variants.iter().enumerate() {
                if d.variants[..k].iter().any(|w| w.id == v.id) {
                    p.error(
                        format!("descriptors[{j}].variants[{k}].id"),
                        format!("variant id '{}' is used twice in '{}'", v.id, d.id),
                        "ids unique within a descriptor",
                    );
                }
            }
        }
        let ids = || self.descriptors.iter().map(|d| d.id.clone());
        let scale = self.cib.scale;
        if scale.min >= scale.max {
            p.error(
                "cib.scale",
                format!("scale {} .. {} is empty", scale.min, scale.max),
                "min < max",
            );
        }
        let mut seen: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for (s, section) in self.judgements.iter().enumerate() {
            let source = self.descriptor(&section.source);
            let target = self.descriptor(&section.target);
            if source.is_none() {
                p.error(
                    format!("judgements[{s}].source"),
                    format!("unknown descriptor '{}'", section.source),
                    format!("one of: {}", known(ids())),
                );
            }
            if target.is_none() {
                p.error(
                    format!("judgements[{s}].target"),
                    format!("unknown descriptor '{}'", section.target),
                    format!("one of: {}", known(ids())),
                );
            }
            let (Some(i), Some(j)) = (source, target) else {
                continue;
            };
            if let Some(first) = seen.insert((i, j), s) {
                p.error(
                    format!("judgements[{s}]"),
                    format!(
                        "the section {} -> {} is already judged in judgements[{first}]",
                        section.source, section.target
                    ),
                    "one section per pair",
                );
            }
            let rows = self.descriptors[i].variants.len();
            let cols = self.descriptors[j].variants.len();
            if section.impacts.len() != rows {
                p.error(
                    format!("judgements[{s}].impacts"),
                    format!("{} rows", section.impacts.len()),
                    format!("{rows} rows, one per variant of '{}'", section.source),
                );
            }
            for (r, row) in section.impacts.iter().enumerate() {
                if row.len() != cols {
                    p.error(
                        format!("judgements[{s}].impacts[{r}]"),
                        format!("{} values", row.len()),
                        format!("{cols} values, one per variant of '{}'", section.target),
                    );
                }
                for (c, &x) in row.iter().enumerate() {
                    if x < scale.min || x > scale.max {
                        p.error(
                            format!("judgements[{s}].impacts[{r}][{c}]"),
                            format!("{x} is outside the scale"),
                            format!("an integer from {} to {}", scale.min, scale.max),
                        );
                    }
                }
            }
        }
        for (list, rules) in [("classes", &self.classes), ("outcomes", &self.outcomes)] {
            for (c, rule) in rules.iter().enumerate() {
                let alternatives = std::iter::once((format!("{list}[{c}].when"), &rule.when))
                    .chain(
                        rule.or_when
                            .iter()
                            .enumerate()
                            .map(|(a, w)| (format!("{list}[{c}].or_when[{a}]"), w)),
                    );
                for (path, conditions) in alternatives {
                    self.check_conditions(&path, conditions, p);
                }
            }
        }
    }
}

impl CibFile {
    fn check_conditions(
        &self,
        path: &str,
        conditions: &BTreeMap<String, Vec<String>>,
        p: &mut SemanticProblems,
    ) {
        let ids = || self.descriptors.iter().map(|d| d.id.clone());
        for (d, allowed) in conditions {
            match self.descriptor(d) {
                None => p.error(
                    format!("{path}.{d}"),
                    format!("unknown descriptor '{d}'"),
                    format!("one of: {}", known(ids())),
                ),
                Some(j) => {
                    let variants = &self.descriptors[j].variants;
                    for (k, v) in allowed.iter().enumerate() {
                        if !variants.iter().any(|w| &w.id == v) {
                            p.error(
                                format!("{path}.{d}[{k}]"),
                                format!("'{d}' has no variant '{v}'"),
                                format!("one of: {}", known(variants.iter().map(|w| w.id.clone()))),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// A CIB file read into a system, with what the matrix alone does not hold.
#[derive(Debug, Clone)]
pub struct CibDocument {
    /// The system.
    pub system: CibSystem,
    /// The judgement scale.
    pub scale: Scale,
    /// Per judged section (source, target): justification and confidence.
    pub sections: BTreeMap<(usize, usize), SectionNote>,
    /// Classes of scenarios, tried in order.
    pub classes: Vec<ScenarioClass>,
    /// Outcomes reported for every scenario.
    pub outcomes: Vec<ScenarioClass>,
    /// The file as written.
    pub file: CibFile,
}

/// The justification and confidence of one judged section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionNote {
    /// One line: why.
    pub why: String,
    /// Confidence 1..5, if given.
    pub confidence: Option<u8>,
}

/// Reads a CIB file, reporting every problem at its line and column.
pub fn read_cib_toml(text: &str) -> Result<CibDocument, Diagnostics> {
    let file: CibFile = parse(text)?;
    let descriptors: Vec<Descriptor> = file
        .descriptors
        .iter()
        .map(|d| Descriptor {
            id: d.id.clone(),
            name: d.name.clone(),
            variant_ids: d.variants.iter().map(|v| v.id.clone()).collect(),
            variant_names: d.variants.iter().map(|v| v.name.clone()).collect(),
        })
        .collect();
    let total: usize = descriptors.iter().map(Descriptor::len).sum();
    let mut system = CibSystem::new(file.cib.name.clone(), descriptors, vec![0; total * total])
        .map_err(|e| {
            let mut d = Diagnostics::default();
            d.push(bloc_base::diagnostics::Diagnostic::new(
                0..0,
                "",
                e.to_string(),
                "a valid CIB system",
            ));
            d
        })?;
    let mut sections = BTreeMap::new();
    for section in &file.judgements {
        let i = file.descriptor(&section.source).unwrap_or(0);
        let j = file.descriptor(&section.target).unwrap_or(0);
        for (k, row) in section.impacts.iter().enumerate() {
            for (l, &x) in row.iter().enumerate() {
                system.set_cell(i, k, j, l, x);
            }
        }
        sections.insert(
            (i, j),
            SectionNote {
                why: section.why.clone(),
                confidence: section.confidence,
            },
        );
    }
    Ok(CibDocument {
        system,
        scale: file.cib.scale,
        sections,
        classes: file.classes.clone(),
        outcomes: file.outcomes.clone(),
        file,
    })
}

/// The first class that holds for `z`, if any.
pub fn classify<'a>(
    system: &CibSystem,
    classes: &'a [ScenarioClass],
    z: &[u8],
) -> Option<&'a ScenarioClass> {
    classes.iter().find(|class| class.holds(system, z))
}

/// Writes a system as a CIB file (sections with any non-zero cell, with their notes; ids
/// kept if they are valid identifiers, otherwise made from the names; the scale widened to
/// cover every cell), followed by `rules`: (`"classes"` or `"outcomes"`, the rules).
#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn write_cib_toml(
    system: &CibSystem,
    notes: &BTreeMap<(usize, usize), SectionNote>,
    scale: Scale,
    rules: &[(&str, &[ScenarioClass])],
) -> String {
    let cover = Scale::covering(system);
    let scale = Scale {
        min: scale.min.min(cover.min),
        max: scale.max.max(cover.max),
    };
    let name = if system.name.is_empty() {
        "CIB system"
    } else {
        &system.name
    };
    let mut out = String::new();
    out.push_str("[cib]\nkind = \"cib\"\n");
    out.push_str(&format!("name = {}\n", toml_string(name)));
    out.push_str(&format!(
        "scale = {{ min = {}, max = {} }}\n\n",
        scale.min, scale.max
    ));
    let mut ids: Vec<String> = Vec::new();
    for (j, d) in system.descriptors().iter().enumerate() {
        let mut id = identifier(&d.id, &format!("d{}", j + 1));
        if ids.contains(&id) {
            id = format!("{id}_{}", j + 1);
        }
        ids.push(id);
    }
    for (j, d) in system.descriptors().iter().enumerate() {
        out.push_str(&format!(
            "[[descriptors]]\nid = {}\nname = {}\nvariants = [\n",
            toml_string(&ids[j]),
            toml_string(&d.name)
        ));
        let mut used: Vec<String> = Vec::new();
        for k in 0..d.len() {
            let mut id = identifier(&d.variant_ids[k], &format!("v{}", k + 1));
            if used.contains(&id) {
                id = format!("{id}_{}", k + 1);
            }
            used.push(id.clone());
            out.push_str(&format!(
                "  {{ id = {}, name = {} }},\n",
                toml_string(&id),
                toml_string(if d.variant_names[k].is_empty() {
                    &id
                } else {
                    &d.variant_names[k]
                })
            ));
        }
        out.push_str("]\n\n");
    }
    for i in 0..system.descriptor_count() {
        for j in 0..system.descriptor_count() {
            if !system.section_is_judged(i, j) {
                continue;
            }
            out.push_str(&format!(
                "[[judgements]]\nsource = {}\ntarget = {}\n",
                toml_string(&ids[i]),
                toml_string(&ids[j])
            ));
            if let Some(note) = notes.get(&(i, j)) {
                if !note.why.is_empty() {
                    out.push_str(&format!("why = {}\n", toml_string(&note.why)));
                }
                if let Some(c) = note.confidence {
                    out.push_str(&format!("confidence = {c}\n"));
                }
            }
            out.push_str("impacts = [\n");
            for k in 0..system.variant_count(i) {
                let row: Vec<String> = (0..system.variant_count(j))
                    .map(|l| system.cell(i, k, j, l).to_string())
                    .collect();
                out.push_str(&format!("  [{}],\n", row.join(", ")));
            }
            out.push_str("]\n\n");
        }
    }
    // Classes and outcomes refer to descriptor and variant ids, which are kept when valid.
    for (table, list) in rules {
        for rule in *list {
            let conditions = |c: &BTreeMap<String, Vec<String>>| {
                let mut t = toml::map::Map::new();
                for (d, v) in c {
                    t.insert(
                        d.clone(),
                        toml::Value::Array(
                            v.iter().map(|x| toml::Value::String(x.clone())).collect(),
                        ),
                    );
                }
                toml::Value::Table(t).to_string()
            };
            out.push_str(&format!(
                "[[{table}]]\nid = {}\nname = {}\n",
                toml_string(&rule.id),
                toml_string(&rule.name)
            ));
            if !rule.when.is_empty() {
                out.push_str(&format!("when = {}\n", conditions(&rule.when)));
            }
            if !rule.or_when.is_empty() {
                let alternatives: Vec<String> = rule.or_when.iter().map(conditions).collect();
                out.push_str(&format!("or_when = [{}]\n", alternatives.join(", ")));
            }
            out.push('\n');
        }
    }
    out
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `raw` if it is a valid identifier, else one made from it (letters, digits, `_`), else
/// `fallback`.
fn identifier(raw: &str, fallback: &str) -> String {
    let ok = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.len() <= 40
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if ok(raw) {
        return raw.to_string();
    }
    let made: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let made: String = made.chars().take(40).collect();
    if ok(&made) {
        made
    } else {
        fallback.to_string()
    }
}
