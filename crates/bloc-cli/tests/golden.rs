//! Golden outputs: every command's JSON (and the tables and CSV the CLI renders) on the shipped
//! files at fixed seeds, compared with the snapshots in `tests/snapshots/` (insta). A change
//! to any number, field or layout fails here; review it and accept it with
//! `INSTA_UPDATE=always cargo test -p bloc-cli golden` only when it is intended, and say so
//! in the commit.

use crate::common::{Run, bloc, run_command};
use std::path::Path;

/// The workspace root: commands run from it with relative paths, so outputs that name their
/// input files are the same on every machine.
fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Runs `bloc ARGS` from the workspace root and snapshots its exit code and output, with the
/// CIB search's wall-clock time (`search_seconds` in JSON, `N nodes, T s` in the table)
/// masked.
fn golden(name: &str, expected_code: i32, args: &[&str]) {
    let r: Run = run_command(bloc().current_dir(root()).args(args));
    assert_eq!(r.code, Some(expected_code), "{name}: {}", r.stderr);
    let timing = regex_lite_mask(&r.stdout, "\"search_seconds\":");
    let timing = regex_lite_mask(&timing, " nodes, ");
    insta::assert_snapshot!(name, timing);
}

/// `text` with the number after every `key` replaced by `"(timing)"`.
fn regex_lite_mask(text: &str, key: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(key) {
        let (head, tail) = rest.split_at(i + key.len());
        out.push_str(head);
        let end = tail
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(tail.len());
        out.push_str("\"(timing)\"");
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

const STRATEGIES: [&str; 5] = [
    "scenarios/strategies/status-quo-1988.toml",
    "scenarios/strategies/minimum-program.toml",
    "scenarios/strategies/brezhnev-doctrine.toml",
    "scenarios/strategies/push-reform.toml",
    "scenarios/strategies/disengage.toml",
];

#[test]
fn forecast() {
    // At the flagship's own values (the forecast before posteriors, byte for byte), and
    // drawing from the shipped posterior (the default).
    golden(
        "forecast.json",
        0,
        &[
            "forecast",
            "--runs",
            "40",
            "--no-posterior",
            "--format",
            "json",
        ],
    );
    golden(
        "forecast-posterior.json",
        0,
        &["forecast", "--runs", "40", "--format", "json"],
    );
    golden("forecast.table", 0, &["forecast", "--runs", "40"]);
    golden(
        "forecast.csv",
        0,
        &["forecast", "--runs", "40", "--format", "csv"],
    );
    golden(
        "forecast-two-allies-events.json",
        0,
        &[
            "forecast",
            "scenarios/two-allies.toml",
            "--runs",
            "40",
            "--horizon",
            "30",
            "--set",
            "centre.doctrine=\"when_regime_falls\"",
            "--format",
            "json",
        ],
    );
}

#[test]
fn epstein() {
    let args = [
        "epstein", "--runs", "3", "--steps", "60", "--format", "json",
    ];
    golden("epstein.json", 0, &args);
    golden("epstein.table", 0, &args[..5]);
}

#[test]
fn cib() {
    golden("cib.json", 0, &["cib", "--format", "json"]);
    golden("cib.table", 0, &["cib"]);
    golden(
        "cib-attractors.json",
        0,
        &[
            "cib",
            "--attractors",
            "--succession",
            "adiabatic",
            "--format",
            "json",
        ],
    );
    golden(
        "cib-uncertainty.json",
        0,
        &["cib", "--uncertainty", "20", "--format", "json"],
    );
}

#[test]
fn bargain() {
    let bdm = "data/bargain/bdm/emission_standards_bdm1994.csv";
    golden(
        "bargain-bdm.json",
        0,
        &["bargain", bdm, "--model", "bdm", "--format", "json"],
    );
    golden(
        "bargain-median.json",
        0,
        &["bargain", bdm, "--model", "median", "--format", "json"],
    );
    golden(
        "bargain-exchange.json",
        0,
        &[
            "bargain",
            "data/bargain/decide/cop21.csv",
            "--model",
            "exchange",
            "--runs",
            "5",
            "--rounds",
            "2",
            "--format",
            "json",
        ],
    );
}

#[test]
fn compare() {
    let mut args = vec!["compare"];
    args.extend(STRATEGIES);
    args.extend(["--runs", "20", "--format", "json", "--no-posterior"]);
    golden("compare.json", 0, &args);
}

#[test]
fn playbook() {
    golden(
        "playbook.json",
        0,
        &[
            "playbook",
            "scenarios/playbooks/eastern-europe-1989.toml",
            "--runs",
            "8",
            "--format",
            "json",
            "--no-posterior",
        ],
    );
}

#[test]
fn sensitivity() {
    golden(
        "sensitivity.json",
        0,
        &[
            "sensitivity",
            "--trajectories",
            "2",
            "--runs",
            "2",
            "--horizon",
            "12",
            "--format",
            "json",
        ],
    );
}

#[test]
fn validate() {
    // 24 of the 89 checks fail today (docs/validation.md), so validate exits 1.
    golden("validate.json", 1, &["validate", "--format", "json"]);
}

#[test]
fn check_and_schema() {
    golden(
        "check-flagship.json",
        0,
        &["check", "scenarios/eastern-europe-1989.toml", "--json"],
    );
    golden("schema-bloc.json", 0, &["schema", "bloc"]);
}

#[test]
fn the_timing_mask_keeps_everything_else() {
    assert_eq!(
        regex_lite_mask(
            r#"{"a":1,"search_seconds":0.00123,"b":2}"#,
            "\"search_seconds\":"
        ),
        r#"{"a":1,"search_seconds":"(timing)","b":2}"#
    );
}
