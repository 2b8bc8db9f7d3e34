//! Reading scenario files: from a path, or the embedded default.

use crate::CliError;
use bloc_core::diagnostics::Diagnostics;
use std::path::Path;

/// A scenario's text and the name to show in messages.
pub struct Source {
    /// File name as given, or `<embedded ...>`.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Reads `path`, or returns the embedded default.
pub fn read(
    path: Option<&Path>,
    default_name: &str,
    default_text: &str,
) -> Result<Source, CliError> {
    match path {
        None => Ok(Source {
            name: default_name.to_string(),
            text: default_text.to_string(),
        }),
        Some(p) => {
            let bytes = std::fs::read(p)
                .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", p.display())))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                CliError::Usage(format!(
                    "{} is not UTF-8 text (byte {})",
                    p.display(),
                    e.utf8_error().valid_up_to()
                ))
            })?;
            Ok(Source {
                name: p.display().to_string(),
                text,
            })
        }
    }
}

/// Prints the diagnostics of `source` to stderr and turns them into an error.
pub fn report(source: &Source, diags: &Diagnostics) -> CliError {
    eprint!(
        "{}",
        crate::render::diagnostics(&source.name, &source.text, diags)
    );
    CliError::Invalid(String::new())
}
