//! What the integration tests of the `bloc` binary share: running it, its outcome, JSON
//! output and fixture files. Each test file uses part of it.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The built `bloc` binary, ready for arguments.
pub fn bloc() -> Command {
    Command::cargo_bin("bloc").expect("the bloc binary is built")
}

/// What a run of the binary gave.
pub struct Run {
    /// The exit code.
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `cmd` and checks that it did not panic.
pub fn run_command(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("bloc runs");
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !r.stderr.contains("panicked") && !r.stdout.contains("panicked"),
        "bloc panicked:\n{}",
        r.stderr
    );
    r
}

/// Runs `bloc ARGS...` and checks that it did not panic.
pub fn run(args: &[&str]) -> Run {
    run_command(bloc().args(args))
}

/// The JSON a successful run printed.
pub fn json(r: &Run) -> Value {
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    serde_json::from_str(&r.stdout).expect("valid JSON output")
}

/// Writes a fixture file `name` with `text` into `dir`.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}
