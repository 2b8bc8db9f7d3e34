//! `bloc calibrate` through the binary (issue #17): the same posterior whatever the thread
//! count, a checkpoint resumed to the same result as one uninterrupted run, the posterior
//! file's contents, and a bad checkpoint refused at its line and column.

use crate::common::{json, run, write};

/// A small calibration's arguments (each call derives the 27 calm starts first: ~30 s).
const SMALL: [&str; 9] = [
    "calibrate",
    "--particles",
    "6",
    "--runs-per-case",
    "1",
    "--seed",
    "7",
    "--format",
    "json",
];

#[test]
fn a_calibration_resumed_from_its_checkpoint_equals_one_run_whatever_the_threads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ck = dir.path().join("checkpoint.json");
    let ck = ck.to_str().expect("UTF-8 path");
    let mut whole = SMALL.to_vec();
    whole.extend(["--generations", "3", "--budget", "200", "--threads", "2"]);
    let whole = json(&run(&whole));
    // One generation on one thread, then resumed with the final settings on one thread.
    let mut first = SMALL.to_vec();
    first.extend([
        "--generations",
        "1",
        "--budget",
        "200",
        "--threads",
        "1",
        "--checkpoint",
        ck,
    ]);
    let first = json(&run(&first));
    assert_eq!(first["state"]["stopped"], "max_generations");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ck).expect("checkpoint written"))
            .expect("checkpoint is JSON");
    assert_eq!(
        saved["state"]["generations"].as_array().map(Vec::len),
        Some(1)
    );
    let resumed = json(&run(&[
        "calibrate",
        "--resume",
        ck,
        "--generations",
        "3",
        "--format",
        "json",
        "--threads",
        "1",
    ]));
    assert_eq!(resumed, whole, "resumed differs from one run");
    // The posterior file: what it was computed from and the tolerance schedule.
    assert_eq!(whole["format"], "bloc-posterior/1");
    assert_eq!(whole["design"]["cases"].as_array().map(Vec::len), Some(21));
    assert_eq!(whole["design"]["paths"].as_array().map(Vec::len), Some(13));
    let generations = whole["state"]["generations"]
        .as_array()
        .expect("generations");
    assert_eq!(generations.len(), 3);
    let eps: Vec<f64> = generations[1..]
        .iter()
        .map(|g| g["epsilon"].as_f64().expect("a tolerance"))
        .collect();
    assert!(eps[1] <= eps[0], "tolerances fall: {eps:?}");
    let distances = whole["state"]["population"]["distances"]
        .as_array()
        .expect("distances");
    assert!(
        distances
            .iter()
            .all(|d| d.as_f64().expect("a distance") <= eps[1])
    );
}

#[test]
fn a_checkpoint_that_is_not_one_is_refused_at_its_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = write(
        dir.path(),
        "ck.json",
        "{\n  \"format\": \"bloc-posterior/1\",\n  oops\n}\n",
    );
    let r = run(&["calibrate", "--resume", bad.to_str().expect("UTF-8 path")]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("ck.json:3:3"), "{}", r.stderr);
    assert!(r.stderr.contains("expected a checkpoint"), "{}", r.stderr);
    let r = run(&[
        "calibrate",
        "--resume",
        bad.to_str().expect("UTF-8 path"),
        "--seed",
        "1",
    ]);
    assert_eq!(
        r.code,
        Some(2),
        "--seed cannot change on resume: {}",
        r.stderr
    );
}
