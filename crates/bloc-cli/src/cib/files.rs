//! Reading CIB files of every supported format, writing conversions, and re-verifying a
//! ScenarioWizard solution list.

use super::Args;
use crate::CliError;
use crate::input::{Source, report};
use crate::output::{Format, emit};
use bloc_core::cib::EASTERN_EUROPE_1989_CIB_TOML;
use bloc_core::cib::file::{Scale, ScenarioClass, SectionNote, read_cib_toml, write_cib_toml};
use bloc_core::cib::system::CibSystem;
use std::collections::BTreeMap;
use std::path::Path;

/// A CIB system as read, with what its format carries beyond the matrix.
pub struct Loaded {
    /// The file name shown in messages.
    pub name: String,
    /// The system.
    pub system: CibSystem,
    /// The judgement scale (bloc's format), or the range of the matrix's cells (others).
    pub scale: (i32, i32),
    /// Justifications and confidences of judged sections (bloc's format only).
    pub sections: BTreeMap<(usize, usize), SectionNote>,
    /// Scenario classes (bloc's format only).
    pub classes: Vec<ScenarioClass>,
    /// Outcomes (bloc's format only).
    pub outcomes: Vec<ScenarioClass>,
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))
}

fn from_toml(source: &Source) -> Result<Loaded, CliError> {
    let doc = read_cib_toml(&source.text).map_err(|d| report(source, &d))?;
    Ok(Loaded {
        name: source.name.clone(),
        system: doc.system,
        scale: (doc.scale.min, doc.scale.max),
        sections: doc.sections,
        classes: doc.classes,
        outcomes: doc.outcomes,
    })
}

fn bare(name: String, system: CibSystem) -> Loaded {
    let lo = system.matrix().iter().copied().min().unwrap_or(0).min(-3);
    let hi = system.matrix().iter().copied().max().unwrap_or(0).max(3);
    Loaded {
        name,
        system,
        scale: (lo, hi),
        sections: BTreeMap::new(),
        classes: Vec::new(),
        outcomes: Vec::new(),
    }
}

/// Reads the file at `path` by its extension, or the embedded 1989 matrix.
pub fn load(path: Option<&Path>) -> Result<Loaded, CliError> {
    let Some(path) = path else {
        return from_toml(&Source {
            name: "<embedded eastern-europe-1989.cib.toml>".into(),
            text: EASTERN_EUROPE_1989_CIB_TOML.into(),
        });
    };
    let name = path.display().to_string();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let bytes = read_bytes(path)?;
    match extension.as_str() {
        "toml" => {
            let text = String::from_utf8(bytes).map_err(|e| {
                CliError::Usage(format!(
                    "{name} is not UTF-8 text (byte {})",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            from_toml(&Source { name, text })
        }
        other => Err(CliError::Usage(format!(
            "{name}: unknown CIB file type '.{other}', expected .toml (bloc), .scw (ScenarioWizard) or .json (PyCIB)"
        ))),
    }
}

/// Writes the conversions asked for; whether any was.
pub fn export(args: &Args, doc: &Loaded) -> Result<bool, CliError> {
    let mut any = false;
    if let Some(p) = &args.export_toml {
        emit(
            Some(p),
            &write_cib_toml(
                &doc.system,
                &doc.sections,
                Scale {
                    min: doc.scale.0,
                    max: doc.scale.1,
                },
            ),
        )?;
        any = true;
    }
    Ok(any)
}

/// Re-verifies a solution list (`--solutions`).
pub fn verify(_args: &Args, doc: &Loaded, path: &Path) -> Result<(), CliError> {
    let _ = (doc, path, Format::Table);
    Err(CliError::Usage("solution lists are not read yet".into()))
}

/// Writes `scenarios` as a ScenarioWizard solution list.
pub fn write_solution_list(
    path: &Path,
    doc: &Loaded,
    scenarios: &[bloc_core::cib::system::Scenario],
) -> Result<(), CliError> {
    let _ = (path, doc, scenarios);
    Err(CliError::Usage("solution lists are not written yet".into()))
}
