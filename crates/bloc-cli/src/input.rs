//! Reading scenario files: from a path, or the embedded default.

use crate::CliError;
use bloc_base::diagnostics::Diagnostics;
use bloc_model::overrides::apply_overrides;
use bloc_model::{BlocScenario, EASTERN_EUROPE_1989_TOML};
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
            let name = p.display().to_string();
            let text = utf8_text(&name, read_bytes(p)?)?;
            Ok(Source { name, text })
        }
    }
}

/// The files this command has read: canonical path and, on Unix, device and inode (no output
/// may replace one, by whatever name).
static READ: std::sync::Mutex<Vec<ReadFile>> = std::sync::Mutex::new(Vec::new());

/// A file read: its canonical path and, on Unix, its device and inode.
type ReadFile = (std::path::PathBuf, Option<(u64, u64)>);

/// A file's device and inode, which name it whatever its path (Unix only).
fn file_id(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The extension of `path` in lower case (empty if it has none): what tells file types apart.
pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// The bytes of the file at `path`, which is remembered as an input of this command.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
    if let Ok(canonical) = std::fs::canonicalize(path) {
        READ.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((canonical, file_id(path)));
    }
    Ok(bytes)
}

/// Whether this command read the file at `path` (by its canonical path, or as the same
/// device and inode).
pub fn was_read(path: &Path) -> bool {
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let id = file_id(path);
    READ.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .any(|(p, i)| *p == canonical || (id.is_some() && *i == id))
}

/// `bytes` as UTF-8 text, or an error naming the file `name` and the first bad byte with its
/// line and column.
pub fn utf8_text(name: &str, bytes: Vec<u8>) -> Result<String, CliError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..at]);
        let (line, col) = bloc_base::diagnostics::line_col(&valid, valid.len());
        CliError::Usage(format!(
            "{name}:{line}:{col}: {name} is not UTF-8 text (byte {at}), expected UTF-8 (save the file as UTF-8)"
        ))
    })
}

/// Prints the diagnostics of `source` to stderr and turns them into an error.
pub fn report(source: &Source, diags: &Diagnostics) -> CliError {
    crate::render::to_stderr(&crate::render::diagnostics(
        &source.name,
        &source.text,
        diags,
    ));
    CliError::Invalid(String::new())
}

/// A bloc scenario as the commands read it: the file at `path` (default: the embedded
/// flagship), then the `--set` overrides applied to its text and read again like a file.
/// Returns the scenario and its text after the overrides. Problems of the file point into
/// the file as written; problems an override causes point into the rewritten text.
pub fn bloc_scenario(
    path: Option<&Path>,
    set: &[String],
) -> Result<(BlocScenario, String), CliError> {
    let source = read(
        path,
        "<embedded eastern-europe-1989.toml>",
        EASTERN_EUROPE_1989_TOML,
    )?;
    // Parse first so that problems point into the file as written.
    let scenario = BlocScenario::from_toml(&source.text).map_err(|d| report(&source, &d))?;
    if set.is_empty() {
        return Ok((scenario, source.text));
    }
    // A malformed assignment is a usage error (exit 2); a path or value the scenario refuses
    // is bad input (exit 1), as the same mistake in the file would be.
    let text = apply_overrides(&source.text, set).map_err(|e| {
        if e.malformed {
            CliError::Usage(e.to_string())
        } else {
            CliError::Invalid(e.to_string())
        }
    })?;
    let shown = Source {
        name: format!(
            "{} as rewritten with --set {}",
            source.name,
            set.join(" --set ")
        ),
        text,
    };
    let scenario = BlocScenario::from_toml(&shown.text).map_err(|d| report(&shown, &d))?;
    Ok((scenario, shown.text))
}
