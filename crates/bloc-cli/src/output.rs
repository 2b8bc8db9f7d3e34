//! Writing results: to stdout, or atomically to a file (a temporary file in the same
//! directory, renamed over the target only when complete).

use crate::CliError;
use std::io::Write;
use std::path::Path;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable tables.
    Table,
    /// JSON with metadata.
    Json,
    /// Comma-separated values.
    Csv,
}

/// The options every command that runs ensembles shares.
#[derive(Debug, clap::Args)]
pub struct RunOutputArgs {
    /// Worker threads (0: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Output format (csv where the command has a table of rows; validate prints a table).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

/// Writes `content` to `path` atomically, or to stdout when `path` is `None`.
pub fn emit(path: Option<&Path>, content: &str) -> Result<(), CliError> {
    emit_with(path, |w| w.write_all(content.as_bytes()))
}

/// Streams output through `write` into `path` atomically (a temporary file beside it,
/// renamed into place only when complete), or to stdout when `path` is `None`. A broken pipe
/// on stdout (`bloc ... | head`) is not an error.
pub fn emit_with(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    match path {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out)
                .and_then(|()| out.flush())
                .or_else(|e| {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })
                .map_err(|e| CliError::Usage(format!("cannot write to stdout: {e}")))
        }
        Some(p) => {
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let fail =
                |e: std::io::Error| CliError::Usage(format!("cannot write {}: {e}", p.display()));
            let mut builder = tempfile::Builder::new();
            builder.prefix(".bloc-").suffix(".tmp");
            // A result file is an ordinary file (rw-r--r--), not a private temporary one.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o644));
            }
            let tmp = builder.tempfile_in(dir).map_err(fail)?;
            let mut out = std::io::BufWriter::new(tmp);
            write(&mut out).and_then(|()| out.flush()).map_err(fail)?;
            let tmp = out.into_inner().map_err(|e| fail(e.into_error()))?;
            tmp.as_file().sync_all().map_err(fail)?;
            tmp.persist(p).map_err(|e| fail(e.error))?;
            Ok(())
        }
    }
}
