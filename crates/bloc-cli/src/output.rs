//! Writing results: to stdout, or atomically to files.
//!
//! A file is written to a temporary file beside its target (`.bloc-XXXXXX.tmp`), and every
//! file a command writes is put in place only when the command has finished ([`commit`]):
//! a command that fails leaves every target as it was ([`discard`]), an interrupt (SIGINT,
//! SIGTERM, SIGHUP) removes the temporary files before the process exits
//! ([`remove_temporaries`]), and no output may replace a file the command read. A target
//! that is a symbolic link is written through the link (the link stays); anything but a
//! regular file (a directory, a device, a FIFO, a socket) is refused; `-` is standard
//! output. Only SIGKILL can still leave a temporary file behind; such files beside a target
//! are reported, not removed (another bloc may be writing them).

use crate::CliError;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tempfile::NamedTempFile;

/// Written files waiting for the command to finish: each temporary file and its target.
static PENDING: Mutex<Vec<(NamedTempFile, PathBuf)>> = Mutex::new(Vec::new());

/// The paths of this command's temporary files, held only for a moment at a time, so that
/// a signal handler can remove them while a file is being written.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

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
    #[arg(long, default_value_t = 0, value_parser = crate::args::threads)]
    pub threads: usize,
    /// Output format (csv where the command has a table of rows; validate prints a table).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

impl RunOutputArgs {
    /// Refuses, before any work, an `--out` that cannot be written (its directory missing,
    /// or not a regular file): a long run must not end in that error.
    pub fn check_out(&self) -> Result<(), CliError> {
        self.out.as_deref().map_or(Ok(()), check_target)
    }
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

/// Streams output through `write` into `path` (a temporary file beside it, put in place by
/// [`commit`] when the command has finished), or to stdout when `path` is `None`. A broken
/// pipe on stdout (`bloc ... | head`) is not an error.
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
        Some(p) if p.as_os_str() == "-" => emit_with(None, write),
        Some(p) => write_pending(p, destination(p)?, write),
    }
}

/// The regular file output for `p` goes to, as an absolute path (its directory
/// canonicalized; a symbolic link `p` resolved to the file it points to), or why it cannot go
/// there.
fn destination(p: &Path) -> Result<PathBuf, CliError> {
    let refuse = |why: &str| CliError::Usage(format!("cannot write {}: {why}", p.display()));
    if p.as_os_str()
        .to_string_lossy()
        .ends_with(std::path::MAIN_SEPARATOR)
    {
        return Err(refuse(
            "it ends with a separator, so it names a directory, not a file",
        ));
    }
    let target = match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(p)
            .map_err(|_| refuse("it is a symbolic link to a file that does not exist"))?,
        Ok(_) => p.to_path_buf(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => p.to_path_buf(),
        Err(e) => return Err(refuse(&e.to_string())),
    };
    let Some(name) = target.file_name() else {
        return Err(refuse("it names a directory, not a file"));
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let dir = std::fs::canonicalize(dir)
        .ok()
        .filter(|d| d.is_dir())
        .ok_or_else(|| refuse("its directory does not exist"))?;
    let target = dir.join(name);
    let Ok(meta) = std::fs::metadata(&target) else {
        return Ok(target);
    };
    let kind = meta.file_type();
    if kind.is_file() {
        refuse_an_input(p, &target)?;
        return Ok(target);
    }
    if kind.is_dir() {
        return Err(refuse("it is a directory"));
    }
    Err(refuse(
        "it is not a regular file (a device, a FIFO or a socket); write to standard output \
         with `--out -` or without --out",
    ))
}

/// Refuses a target that is one of the files this command read (the same path, or the same
/// file by another name: a hard or symbolic link).
fn refuse_an_input(p: &Path, target: &Path) -> Result<(), CliError> {
    if crate::input::was_read(target) {
        return Err(CliError::Usage(format!(
            "cannot write {}: it is an input of this command (choose another output path)",
            p.display()
        )));
    }
    Ok(())
}

/// A new temporary file of bloc's pattern (`.bloc-XXXXXX.tmp`) in `dir`, an ordinary file
/// (rw-r--r--), not a private temporary one, created and registered under one lock, so that
/// an interrupt removes it whenever it comes.
fn registered_temporary(dir: &Path) -> std::io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".bloc-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut temporaries = lock(&TEMPORARIES);
    let tmp = builder.tempfile_in(dir)?;
    temporaries.push(tmp.path().to_path_buf());
    Ok(tmp)
}

/// Whether `a` and `b` name the same existing file (both resolve to one canonical path).
pub fn same_file(a: &Path, b: &Path) -> bool {
    matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// Writes through `write` into a temporary file beside `target` (the user's `p`), kept for
/// [`commit`].
fn write_pending(
    p: &Path,
    target: PathBuf,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::Usage(format!("cannot write {}: {e}", p.display()));
    if lock(&PENDING).iter().any(|(_, t)| *t == target) {
        return Err(CliError::Usage(format!(
            "cannot write {}: another output of this command goes there",
            p.display()
        )));
    }
    let dir = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    let tmp = registered_temporary(&dir).map_err(fail)?;
    report_stale(&dir);
    let mut out = std::io::BufWriter::new(tmp);
    write(&mut out).and_then(|()| out.flush()).map_err(fail)?;
    let tmp = out.into_inner().map_err(|e| fail(e.into_error()))?;
    tmp.as_file().sync_all().map_err(fail)?;
    lock(&PENDING).push((tmp, target));
    Ok(())
}

/// Checks that an output may go to `p` (as [`emit`] will), before any work is done.
pub fn check_target(p: &Path) -> Result<(), CliError> {
    if p.as_os_str() == "-" {
        return Ok(());
    }
    destination(p).map(|_| ())
}

/// Writes `content` to `path` now, atomically (a temporary file beside it, renamed over it),
/// not waiting for the command to finish: a checkpoint, which must survive an interrupt.
/// Among the files the command read it may replace only `may_replace` (the checkpoint it
/// resumed from), through a symbolic link as every output.
pub fn write_now(path: &Path, content: &str, may_replace: Option<&Path>) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::Usage(format!("cannot write {}: {e}", path.display()));
    let target = match (destination(path), may_replace) {
        (Err(_), Some(r)) if same_file(path, r) => std::fs::canonicalize(path).map_err(fail)?,
        (other, _) => other?,
    };
    let dir = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut tmp = registered_temporary(&dir).map_err(fail)?;
    let written = tmp
        .write_all(content.as_bytes())
        .and_then(|()| tmp.as_file().sync_all());
    // Renamed (or removed) under the lock, so that an interrupt never finds half of it.
    let mut temporaries = lock(&TEMPORARIES);
    temporaries.retain(|p| p != tmp.path());
    written.map_err(fail)?;
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Reports (once per directory, on stderr) temporary files of bloc's own pattern beside the
/// target that are not this command's: left by a run killed with SIGKILL, or being written
/// by another bloc now, so they are named, not removed.
fn report_stale(dir: &Path) {
    static REPORTED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    if lock(&REPORTED).iter().any(|d| d == dir) {
        return;
    }
    lock(&REPORTED).push(dir.to_path_buf());
    let ours = lock(&TEMPORARIES).clone();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let stale: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| !ours.contains(p))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| n.starts_with(".bloc-") && n.ends_with(".tmp"))
        .collect();
    if !stale.is_empty() {
        crate::render::to_stderr(&format!(
            "note: {} holds {} temporary file(s) of bloc not written by this command ({}): \
             left by an interrupted run, or being written by another; delete them if no \
             other bloc is running\n",
            dir.display(),
            stale.len(),
            stale.join(", ")
        ));
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Puts every file written by this command in place, in the order written, after checking
/// again that none replaces a file the command read (an input may be read after an output
/// was written). An interrupt waits until all are in place.
pub fn commit() -> Result<(), CliError> {
    let temporaries = lock(&TEMPORARIES);
    let pending = std::mem::take(&mut *lock(&PENDING));
    if let Some((_, target)) = pending.iter().find(|(_, t)| crate::input::was_read(t)) {
        return Err(CliError::Usage(format!(
            "cannot write {}: it is an input of this command (choose another output path); \
             nothing was written",
            target.display()
        )));
    }
    for (tmp, target) in pending {
        tmp.persist(&target).map_err(|e| {
            CliError::Usage(format!("cannot write {}: {}", target.display(), e.error))
        })?;
    }
    drop(temporaries);
    lock(&TEMPORARIES).clear();
    Ok(())
}

/// Drops every file written by this command (their temporary files are removed): the
/// targets stay as they were.
pub fn discard() {
    lock(&PENDING).clear();
    lock(&TEMPORARIES).clear();
}

/// Removes the temporary files of this command and exits with 130, holding the lock so that
/// no new temporary file appears meanwhile (the signal handler).
pub fn interrupted() -> ! {
    let temporaries = lock(&TEMPORARIES);
    for p in temporaries.iter() {
        let _ = std::fs::remove_file(p);
    }
    std::process::exit(130)
}

/// Removes the temporary files of this command if no one holds their list (a panic hook:
/// the panicking thread may hold it).
pub fn remove_temporaries() {
    if let Ok(temporaries) = TEMPORARIES.try_lock() {
        for p in temporaries.iter() {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one test of the pending files (they are process-wide, so one test owns them).
    #[test]
    fn pending_files_are_committed_discarded_or_removed_on_an_interrupt() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("a.txt");
        let temporaries = || -> Vec<PathBuf> {
            std::fs::read_dir(dir.path())
                .expect("list")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
                .collect()
        };
        // Written, then an interrupt: the temporary file goes, the target never appears.
        emit(Some(&target), "one").expect("written");
        assert_eq!(temporaries().len(), 1);
        assert!(
            !target.exists(),
            "nothing is in place before the command ends"
        );
        remove_temporaries();
        assert!(temporaries().is_empty());
        discard();
        // Written, then discarded: same.
        emit(Some(&target), "two").expect("written");
        discard();
        assert!(temporaries().is_empty() && !target.exists());
        // Written, then committed: in place, nothing left beside it.
        emit(Some(&target), "three").expect("written");
        commit().expect("committed");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "three");
        assert!(temporaries().is_empty());
    }
}
