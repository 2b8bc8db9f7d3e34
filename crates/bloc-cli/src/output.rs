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

/// A command's result as each output format writes it. Every command that takes
/// [`RunOutputArgs`] implements it, and [`write_report`] is the one place a format is chosen
/// (as every printer of ripgrep implements its `Sink`): a new format is a method here and a
/// `Format` variant, not a new `match` in each command.
pub trait Report {
    /// The JSON document (the result's own serialization: the libraries' contract).
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()>;
    /// The human-readable table.
    fn table(&self, w: &mut dyn Write) -> std::io::Result<()>;
    /// Comma-separated values.
    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()>;
}

/// Writes `report` in the format and to the place `args` ask for.
pub fn write_report(args: &RunOutputArgs, report: &impl Report) -> Result<(), CliError> {
    write_as(args.format, args.out.as_deref(), report)
}

/// Writes `report` in `format` to `out` (atomically), or to stdout.
pub fn write_as(format: Format, out: Option<&Path>, report: &impl Report) -> Result<(), CliError> {
    emit_with(out, |w| match format {
        Format::Json => report.json(w),
        Format::Table => report.table(w),
        Format::Csv => report.csv(w),
    })
}

/// A serializable result as pretty JSON with a final newline.
pub fn pretty_json(w: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
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
