//! `bloc calibrate` through the binary (issue #17): the same posterior whatever the thread
//! count, a checkpoint resumed to the same result as one uninterrupted run, the posterior
//! file's contents, a bad checkpoint refused at its line and column, and leave-one-crisis-out.

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
    // A budget that the second generation cannot finish within (it is dropped), on one
    // thread; then resumed from the checkpoint with the final budget and generations,
    // writing the checkpoint it read.
    let mut first = SMALL.to_vec();
    first.extend([
        "--generations",
        "3",
        "--budget",
        "8",
        "--threads",
        "1",
        "--checkpoint",
        ck,
    ]);
    let first = json(&run(&first));
    assert_eq!(first["state"]["stopped"], "budget");
    assert_eq!(
        first["state"]["generations"].as_array().map(Vec::len),
        Some(1)
    );
    let resumed = json(&run(&[
        "calibrate",
        "--resume",
        ck,
        "--checkpoint",
        ck,
        "--budget",
        "200",
        "--format",
        "json",
        "--threads",
        "1",
    ]));
    assert_eq!(resumed, whole, "resumed differs from one run");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ck).expect("checkpoint written"))
            .expect("checkpoint is JSON");
    assert_eq!(saved["state"]["generations"], whole["state"]["generations"]);
    // The posterior file: what it was computed from and the tolerance schedule.
    assert_eq!(whole["format"], "bloc-posterior/1");
    assert_eq!(whole["design"]["cases"].as_array().map(Vec::len), Some(21));
    assert_eq!(whole["design"]["paths"].as_array().map(Vec::len), Some(13));
    assert_eq!(
        whole["state"]["generations"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(whole["state"]["stopped"], "max_generations");
}

#[test]
fn outputs_that_cannot_be_written_are_refused_before_the_calibration_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let same = dir.path().join("same.json");
    let same = same.to_str().expect("UTF-8 path");
    let r = run(&["calibrate", "--out", same, "--checkpoint", same]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("the same file"), "{}", r.stderr);
    let r = run(&[
        "calibrate",
        "--out",
        dir.path().to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("is a directory"), "{}", r.stderr);
    let r = run(&["calibrate", "--particles", "10", "--budget", "5"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("smaller than one generation"),
        "{}",
        r.stderr
    );
    assert!(!std::path::Path::new(same).exists());
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

#[test]
fn leave_one_out_holds_out_each_crisis_and_is_the_same_whatever_the_threads() {
    let small = [
        "--leave-one-out",
        "--generations",
        "1",
        "--budget",
        "6",
        "--draws",
        "3",
    ];
    let on = |threads: &str| {
        let mut a = SMALL.to_vec();
        a.extend(small);
        a.extend(["--threads", threads]);
        json(&run(&a))
    };
    let one = on("1");
    assert_eq!(one, on("2"), "leave-one-out depends on the thread count");
    let folds = one["folds"].as_array().expect("folds");
    assert_eq!(folds.len(), 21);
    assert_eq!(folds[0]["id"], "BGR1953");
    for f in folds {
        let classes = f["check"]["classes"].as_array().expect("classes");
        let sum: f64 = classes.iter().filter_map(serde_json::Value::as_f64).sum();
        assert!(
            (sum - 1.0).abs() < 1e-9,
            "{}: class probabilities sum to {sum}",
            f["id"]
        );
        assert_eq!(f["generations"], 1);
        assert_eq!(f["simulations"], 6);
    }
    assert_eq!(one["scores"]["cases"].as_array().map(Vec::len), Some(21));
    let bins = one["reliability"].as_array().expect("reliability");
    let forecasts: u64 = bins.iter().filter_map(|b| b["forecasts"].as_u64()).sum();
    assert_eq!(forecasts, 21 * 5, "every case gives one forecast per class");
    // --draws only with --leave-one-out; not with a checkpoint.
    for args in [
        &["calibrate", "--draws", "3"][..],
        &["calibrate", "--leave-one-out", "--resume", "x.json"][..],
    ] {
        let bad = run(args);
        assert_eq!(bad.code, Some(2), "{args:?}");
        assert!(bad.stderr.contains("--leave-one-out"), "{}", bad.stderr);
    }
}
