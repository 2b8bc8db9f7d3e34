//! Regression tests of issue #20 (hardening), each named after its finding and run through
//! the binary, where the fault was.

use crate::common::{bloc, run, write};
use std::process::Stdio;

#[test]
fn finding_1_an_error_past_column_65535_is_rendered_without_a_panic() {
    // The reproducer: one line of 70,000 characters with the error at its end.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!("name = \"{}\" zz\n", "A".repeat(70_000));
    let path = write(dir.path(), "long.toml", &text);
    let r = run(&["check", path.to_str().expect("UTF-8 path")]);
    assert_eq!(r.code, Some(1), "stderr: {}", r.stderr);
    assert!(r.stderr.contains("long.toml:1:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("of a line of 70012 characters"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("problem found"), "{}", r.stderr);
    assert!(
        r.stderr.lines().all(|l| l.chars().count() < 300),
        "{}",
        r.stderr
    );
}

#[test]
fn finding_6_a_closed_stderr_does_not_panic() {
    // `bloc check bad.toml 2>&1 | head -1`: the reader of stderr goes away before bloc
    // writes its problems; bloc must still exit 1 (invalid input), not 101 (a panic).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "bad.toml", "[scenario\n");
    let mut child = std::process::Command::new(bloc().get_program())
        .args(["check", path.to_str().expect("UTF-8 path")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bloc starts");
    drop(child.stderr.take());
    let status = child.wait().expect("bloc ends");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn finding_6_an_empty_or_comment_only_file_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in [("empty.toml", ""), ("comment.toml", "# only a comment\n")] {
        let path = write(dir.path(), name, text);
        let r = run(&["check", path.to_str().expect("UTF-8 path")]);
        assert_eq!(r.code, Some(1), "{name}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("{name}:1:1: the file has no tables or keys")),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn finding_6_text_after_a_newline_in_a_set_value_is_refused() {
    let r = run(&[
        "forecast",
        "--runs",
        "2",
        "--set",
        "ensemble.master_seed=7\nx = 2",
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("must be on one line"), "{}", r.stderr);
}

#[test]
fn finding_7_a_malformed_set_is_a_usage_error() {
    let r = run(&["forecast", "--runs", "2", "--set", "ensemble.master_seed"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("expected key.path=value"), "{}", r.stderr);
}

#[test]
fn finding_7_an_integer_too_large_for_set_is_named_as_a_number() {
    let r = run(&[
        "forecast",
        "--runs",
        "2",
        "--set",
        "ensemble.master_seed=18446744073709551616",
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("is not a number bloc can read") && !r.stderr.contains("a string"),
        "{}",
        r.stderr
    );
    // A bare word that only starts with a digit is still a string, as the README says.
    let r = run(&[
        "forecast",
        "--runs",
        "2",
        "--set",
        "scenario.name=1989 rerun",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("1989 rerun"), "{}", r.stdout);
}

#[test]
fn finding_2_a_count_beyond_u128_is_exact() {
    // 81 descriptors of 3 variants and no judgements: every one of the 3^81 scenarios is
    // consistent, which is more than u128::MAX (the count used to saturate silently).
    use bloc_cib::file::{Scale, write_cib_toml};
    use bloc_cib::system::{CibSystem, Descriptor};
    let descriptors: Vec<Descriptor> = (0..81)
        .map(|j| Descriptor::named(format!("D{j}"), &["a", "b", "c"]))
        .collect();
    let n = 81 * 3;
    let system = CibSystem::new("empty", descriptors, vec![0; n * n]).expect("a valid system");
    let dir = tempfile::tempdir().expect("temp dir");
    let text = write_cib_toml(
        &system,
        &std::collections::BTreeMap::new(),
        Scale::covering(&system),
        &[],
    );
    let path = write(dir.path(), "empty81.toml", &text);
    let path = path.to_str().expect("UTF-8 path");
    let exact = "443426488243037769948249630619149892803";
    let r = run(&["cib", path, "--count-only", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("\"count\": {exact}")),
        "{}",
        r.stdout
    );
    let csv = run(&["cib", path, "--count-only", "--format", "csv"]);
    assert!(
        csv.stdout.contains(&format!("\n{exact},{exact},")),
        "{}",
        csv.stdout
    );
    let table = run(&["cib", path, "--count-only"]);
    assert!(
        table
            .stdout
            .contains(&format!("{exact} consistent scenarios of {exact}")),
        "{}",
        table.stdout
    );
}

#[test]
fn finding_7_an_unknown_trigger_kind_names_every_kind() {
    // It used to say `expected "border_opens"`, the alternative that came closest.
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped = include_str!("../../../scenarios/playbooks/eastern-europe-1989.toml");
    let text = shipped.replace("kind = \"border_opens\"", "kind = \"zzz\"");
    let path = write(dir.path(), "playbook.toml", &text);
    let r = run(&["check", path.to_str().expect("UTF-8 path")]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let summary = r.stderr.lines().next().unwrap_or("");
    assert!(
        summary.contains("unknown value \"zzz\", expected one of"),
        "{summary}"
    );
    for kind in [
        "election_lost",
        "border_opens",
        "protest_above",
        "regime_falls",
    ] {
        assert!(
            summary.contains(&format!("\"{kind}\"")),
            "{kind}: {summary}"
        );
    }
}

#[test]
fn finding_6_a_duplicate_bdm_actor_is_refused_where_it_repeats() {
    // A second row for an actor used to be accepted, counting its capability twice.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "actor,capability,position,salience\nA,10,20,0.5\nB,5,80,0.9\nA,10,30,0.5\n";
    let path = write(dir.path(), "dup.csv", text);
    let r = run(&["bargain", path.to_str().expect("UTF-8 path")]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("dup.csv:4:1: actor \"A\" appears twice (first on line 2)"),
        "{}",
        r.stderr
    );
}

/// A small forecast that writes `--out` (and any further arguments).
fn quick_forecast(extra: &[&str]) -> crate::common::Run {
    let mut args = vec![
        "forecast",
        "--runs",
        "2",
        "--horizon",
        "2",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn text(p: &std::path::Path) -> String {
    std::fs::read_to_string(p).expect("readable")
}

#[cfg(unix)]
#[test]
fn finding_5_out_through_a_symbolic_link_keeps_the_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let real = write(dir.path(), "real.json", "old\n");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let r = quick_forecast(&["--out", link.to_str().expect("UTF-8")]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(
        text(&real).contains("\"countries\""),
        "the link's target was written"
    );
    // A link to nothing is refused, and stays a link.
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink(dir.path().join("missing/x.json"), &dangling).expect("symlink");
    let r = quick_forecast(&["--out", dangling.to_str().expect("UTF-8")]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("symbolic link to a file that does not exist"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn finding_5_out_onto_a_fifo_or_a_device_is_refused_and_dash_is_stdout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for target in [fifo.to_str().expect("UTF-8"), "/dev/null"] {
        let r = quick_forecast(&["--out", target]);
        assert_eq!(r.code, Some(2), "{target}: {}", r.stderr);
        assert!(
            r.stderr.contains("it is not a regular file"),
            "{}",
            r.stderr
        );
    }
    let still = std::fs::symlink_metadata(&fifo).expect("fifo").file_type();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&still),
        "still a FIFO"
    );
    let r = quick_forecast(&["--out", "-"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("\"countries\""));
}

#[test]
fn finding_5_out_onto_a_directory_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = quick_forecast(&["--out", dir.path().to_str().expect("UTF-8")]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("it is a directory"), "{}", r.stderr);
}

#[test]
fn finding_5_a_failed_output_leaves_every_other_output_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let t = dir.path().join("t.csv");
    let missing = dir.path().join("nonexistent/x.json");
    let r = quick_forecast(&[
        "--trajectories",
        t.to_str().expect("UTF-8"),
        "--out",
        missing.to_str().expect("UTF-8"),
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(!t.exists(), "the trajectories were not written");
    let old = write(dir.path(), "t.csv", "kept\n");
    let r = quick_forecast(&[
        "--trajectories",
        old.to_str().expect("UTF-8"),
        "--out",
        missing.to_str().expect("UTF-8"),
    ]);
    assert_eq!(r.code, Some(2));
    assert_eq!(text(&old), "kept\n");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn finding_5_an_export_is_not_written_when_the_command_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scw = write(dir.path(), "existing.scw", "kept\n");
    let r = run(&[
        "cib",
        "--export-scw",
        scw.to_str().expect("UTF-8"),
        "--balances",
        "garbage",
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(text(&scw), "kept\n");
}

#[test]
fn finding_5_an_output_never_replaces_an_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mine = write(
        dir.path(),
        "mine.toml",
        bloc_model::EASTERN_EUROPE_1989_TOML,
    );
    let path = mine.to_str().expect("UTF-8");
    let r = quick_forecast(&[path, "--out", path]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("it is an input of this command"),
        "{}",
        r.stderr
    );
    assert_eq!(text(&mine), bloc_model::EASTERN_EUROPE_1989_TOML);
    // Two outputs of one command to one path are refused too.
    let same = dir.path().join("same.json");
    let same = same.to_str().expect("UTF-8");
    let r = quick_forecast(&["--trajectories", same, "--out", same]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("another output of this command"),
        "{}",
        r.stderr
    );
    assert!(!std::path::Path::new(same).exists());
}

#[cfg(unix)]
#[test]
fn finding_5_an_interrupted_run_exits_130_and_leaves_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.json");
    let child = std::process::Command::new(bloc().get_program())
        .args(["forecast", "--runs", "100000", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("bloc starts");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait_with_output().expect("bloc ends").status;
    // 130 is the handler's exit; a process killed by the signal itself has no code.
    assert_eq!(status.code(), Some(130));
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn finding_3_requests_beyond_memory_limits_are_refused_naming_the_flag_and_the_limit() {
    for (args, says) in [
        (
            vec!["epstein", "--runs", "1", "--steps", "100000000"],
            "--steps (or the file's ensemble.steps) 100000000 is more than the limit 1000000",
        ),
        (
            vec!["cib", "--uncertainty", "1000000000000"],
            "--uncertainty 1000000000000 is more than the limit 1000000",
        ),
        (
            vec![
                "epstein",
                "--per-run",
                "--runs",
                "1000",
                "--steps",
                "100000",
            ],
            "--per-run with --runs x --steps 100000000 is more than the limit 50000000",
        ),
        (
            vec!["forecast", "--runs", "10000001"],
            "--runs of forecast 10000001 is more than the limit 10000000",
        ),
        (
            vec![
                "bargain",
                concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../data/bargain/decide/cop21.csv"
                ),
                "--model",
                "exchange",
                "--runs",
                "4000000000",
            ],
            "--runs of bargain --model exchange 4000000000 is more than the limit 1000000",
        ),
        (
            vec!["cib", "--attractors", "--starts", "1000000000000"],
            "--starts of cib --attractors 1000000000000 is more than the limit 1000000000",
        ),
        (
            vec!["sensitivity", "--method", "sobol", "--samples", "100000"],
            "of sensitivity --method sobol 1500000 is more than the limit 1000000",
        ),
        (
            vec!["calibrate", "--leave-one-out", "--budget", "50000"],
            "--leave-one-out) 1050000 is more than the limit 1000000",
        ),
    ] {
        let r = run(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("pass --allow-large"), "{}", r.stderr);
    }
    // The same limit holds for the file's own value.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = bloc_citizens::epstein::PAPER_SCENARIO_TOML;
    let long = replace_first(text, "\nsteps = ", "\nsteps = 5000000 #");
    let path = write(dir.path(), "long.toml", &long);
    let r = run(&["epstein", "--config", path.to_str().expect("UTF-8")]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("ensemble.steps) 5000000 is more than the limit"),
        "{}",
        r.stderr
    );
}

/// `text` with the first `from` replaced by `to`.
fn replace_first(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn finding_4_a_thread_count_beyond_the_limit_is_refused_at_once() {
    for args in [
        vec!["forecast", "--threads", "100000"],
        vec!["cib", "--threads", "100000"],
        vec!["bargain", "x.csv", "--threads", "100000"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("more than the limit 1024"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn finding_5_stale_temporary_files_beside_a_target_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), ".bloc-AbC123.tmp", "left by a SIGKILL\n");
    let out = dir.path().join("out.json");
    let r = quick_forecast(&["--out", out.to_str().expect("UTF-8")]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("1 temporary file(s) of bloc not written by this command (.bloc-AbC123.tmp)"),
        "{}",
        r.stderr
    );
    assert!(
        dir.path().join(".bloc-AbC123.tmp").exists(),
        "reported, not removed"
    );
    assert!(out.exists());
}

#[test]
fn finding_6_error_output_is_capped_and_json_lists_every_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("[scenario]\n");
    for i in 0..16_000 {
        text.push_str(&format!("unknown_key_{i} = 1\n"));
    }
    let path = write(dir.path(), "many.toml", &text);
    let p = path.to_str().expect("UTF-8");
    let r = run(&["check", p]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("15900 more problems not shown"),
        "{}",
        r.stderr.len()
    );
    assert!(r.stderr.contains("16000 problems found"));
    let located = r.stderr.lines().filter(|l| l.starts_with(p)).count();
    assert_eq!(located, 100 + 2, "100 problems, the note and the count");
    let j = run(&["check", "--json", p]);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).expect("JSON");
    let problems = v["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 16_000);
    assert_eq!(problems[15_999]["line"], 16_001);
    assert_eq!(problems[15_999]["column"], 1);
}

#[test]
fn finding_6_an_event_after_the_end_or_a_lever_use_outside_the_scenario_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let flagship = bloc_model::EASTERN_EUROPE_1989_TOML;
    let late = replace_first(flagship, "date = \"1988-12-07\"", "date = \"9999-01-01\"");
    let early_lever = replace_first(
        flagship,
        "country = \"GDR\"\nstart = \"1989-02-06\"\nweeks = 95",
        "country = \"GDR\"\nstart = \"1900-01-01\"\nweeks = 95",
    );
    for (name, text, says) in [
        (
            "late.toml",
            late,
            "9999-01-01 is after the scenario's last week",
        ),
        (
            "lever.toml",
            early_lever,
            "the use from 1900-01-01 for 95 weeks lies outside the scenario",
        ),
    ] {
        let path = write(dir.path(), name, &text);
        let r = run(&["check", path.to_str().expect("UTF-8")]);
        assert_eq!(r.code, Some(1), "{name}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{name}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("{name}:")),
            "located: {}",
            r.stderr
        );
    }
    // An event dated before the start acts at week 0, as the flagship's own do: accepted.
    let early = replace_first(flagship, "date = \"1988-12-07\"", "date = \"1900-01-01\"");
    let path = write(dir.path(), "early.toml", &early);
    assert_eq!(run(&["check", path.to_str().expect("UTF-8")]).code, Some(0));
}

#[test]
fn finding_6_a_bdm_or_decide_value_too_large_for_the_sums_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "actor,capability,position,salience\nA,1e308,20,0.5\nB,5,80,0.9\n";
    let path = write(dir.path(), "huge.csv", text);
    let r = run(&[
        "bargain",
        path.to_str().expect("UTF-8 path"),
        "--model",
        "bdm",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "huge.csv:2:3: capability 1e308 is out of range, expected a number from 0 to 1e12"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("NaN") && !r.stdout.contains("NaN"));
}

/// decide's format: two actors and one issue on 0..10, then `stakes`.
fn decide_file(bounds: &str, stakes: &str) -> String {
    format!("'#A'\t'X'\t'X'\t''\n'#A'\t'Y'\t'Y'\t''\n'#P'\t'p'\t'p'\t'p'\n{bounds}{stakes}")
}

#[test]
fn finding_6_a_duplicate_decide_stake_is_refused_where_it_repeats() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bounds = "'#M'\t'p'\t0\n'#M'\t'p'\t10\n";
    let stakes =
        "'#D'\t'X'\t'p'\t3\t0.5\t1\n'#D'\t'Y'\t'p'\t4\t0.5\t1\n'#D'\t'X'\t'p'\t4\t0.5\t1\n";
    let path = write(dir.path(), "dup.csv", &decide_file(bounds, stakes));
    let r = run(&[
        "bargain",
        path.to_str().expect("UTF-8 path"),
        "--model",
        "exchange",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "dup.csv:8:1: actor 'X' has a second stake in issue 'p' (the first is on line 6)"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn finding_7_a_zero_width_decide_range_is_located_at_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bounds = "'#M'\t'p'\t5\n'#M'\t'p'\t5\n";
    let stakes = "'#D'\t'X'\t'p'\t5\t0.5\t1\n";
    let path = write(dir.path(), "zero.csv", &decide_file(bounds, stakes));
    let r = run(&[
        "bargain",
        path.to_str().expect("UTF-8 path"),
        "--model",
        "exchange",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("zero.csv:5:1: issue 'p' has bounds [5.0, 5.0]"),
        "{}",
        r.stderr
    );
}

#[test]
fn finding_6_check_reads_scenariowizard_and_pycib_files_as_cib_matrices() {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("m.json");
    let scw = dir.path().join("m.scw");
    let made = run(&[
        "cib",
        "--count-only",
        "--export-pycib",
        json.to_str().expect("UTF-8"),
        "--export-scw",
        scw.to_str().expect("UTF-8"),
    ]);
    assert_eq!(made.code, Some(0), "{}", made.stderr);
    for p in [&json, &scw] {
        let r = run(&["check", p.to_str().expect("UTF-8")]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(r.stdout.ends_with(": ok\n"), "{}", r.stdout);
    }
    let bad = write(dir.path(), "bad.json", "{\"descriptors\": {}}");
    let r = run(&["check", bad.to_str().expect("UTF-8")]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("format_version is missing"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("TOML"), "{}", r.stderr);
}

#[test]
fn finding_7_a_huge_number_is_shown_in_scientific_notation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = replace_first(
        bloc_model::EASTERN_EUROPE_1989_TOML,
        "legitimacy = { value = 0.875, ",
        "legitimacy = { value = 1e308, ",
    );
    let path = write(dir.path(), "big.toml", &text);
    let r = run(&["check", path.to_str().expect("UTF-8")]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains(": 1e308 is out of range"), "{}", r.stderr);
    assert!(!r.stderr.contains("00000000000000000000"), "{}", r.stderr);
}

#[test]
fn finding_7_draw_steps_too_fine_are_named_with_the_most_that_fit() {
    let r = run(&["cib", "--uncertainty", "10", "--draw-steps", "2147483647"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--draw-steps 2147483647 is too fine for this matrix")
            && r.stderr.contains("at most 4235667 steps fit"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("the tolerance or the judgements"),
        "{}",
        r.stderr
    );
}

#[test]
fn finding_5_an_output_never_replaces_an_input_by_another_name_or_read_later() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = |name: &str| dir.path().join(name);
    let s = |p: &std::path::Path| p.to_str().expect("UTF-8").to_string();
    // A hard link to the scenario is the scenario.
    let mine = write(
        dir.path(),
        "mine.toml",
        bloc_model::EASTERN_EUROPE_1989_TOML,
    );
    std::fs::hard_link(&mine, d("hard.toml")).expect("hard link");
    let r = quick_forecast(&[&s(&mine), "--out", &s(&d("hard.toml"))]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("it is an input of this command"),
        "{}",
        r.stderr
    );
    assert_eq!(text(&mine), bloc_model::EASTERN_EUROPE_1989_TOML);
    // An input read after the output was written (a CIB ensemble member after an export):
    // the combination is refused by the arguments now (a conversion writes one matrix), and
    // the member is left as it was either way.
    let made = run(&["cib", "--count-only", "--export-toml", &s(&d("a.toml"))]);
    assert_eq!(made.code, Some(0), "{}", made.stderr);
    std::fs::copy(d("a.toml"), d("b.toml")).expect("copy");
    let before = text(&d("b.toml"));
    let r = run(&[
        "cib",
        &s(&d("a.toml")),
        "--count-only",
        "--export-toml",
        &s(&d("b.toml")),
        "--ensemble",
        &s(&d("b.toml")),
        "--out",
        &s(&d("listing.json")),
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot be used with '--ensemble"),
        "{}",
        r.stderr
    );
    assert_eq!(text(&d("b.toml")), before);
    assert!(!d("listing.json").exists());
    // One file named two ways is one output.
    let r = quick_forecast(&[
        "--trajectories",
        &s(&d("same.json")),
        "--out",
        &s(&dir.path().join(".").join("same.json")),
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("another output of this command"),
        "{}",
        r.stderr
    );
}

#[test]
fn finding_5_an_output_into_a_missing_directory_is_refused_before_any_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let t = dir.path().join("t.csv");
    let r = quick_forecast(&[
        "--trajectories",
        t.to_str().expect("UTF-8"),
        "--out",
        &format!("{}/new.json/", dir.path().display()),
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(!t.exists());
}

#[test]
fn finding_6_the_date_limits_are_the_weeks_the_run_steps_through() {
    let dir = tempfile::tempdir().expect("temp dir");
    let flagship = bloc_model::EASTERN_EUROPE_1989_TOML;
    // The flagship starts 1989-02-06 and runs weeks 1 to 100: week 100 ends 1991-01-13.
    let lever = "country = \"GDR\"\nstart = \"1989-02-06\"\nweeks = 95";
    for (name, from, to, accepted) in [
        (
            "last.toml",
            "date = \"1988-12-07\"",
            "date = \"1991-01-13\"",
            true,
        ),
        (
            "after.toml",
            "date = \"1988-12-07\"",
            "date = \"1991-01-14\"",
            false,
        ),
        (
            "reaches.toml",
            lever,
            "country = \"GDR\"\nstart = \"1989-01-30\"\nweeks = 3",
            true,
        ),
        (
            "before.toml",
            lever,
            "country = \"GDR\"\nstart = \"1989-01-30\"\nweeks = 2",
            false,
        ),
    ] {
        let path = write(dir.path(), name, &replace_first(flagship, from, to));
        let r = run(&["check", path.to_str().expect("UTF-8")]);
        let want = if accepted { 0 } else { 1 };
        assert_eq!(r.code, Some(want), "{name}: {}", r.stderr);
    }
}
