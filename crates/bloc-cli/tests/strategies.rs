//! `bloc compare` and `bloc playbook` through the binary: the shipped strategies and
//! playbook, the JSON contracts, thread independence, and errors (a malformed strategy or
//! playbook at its line and column, a bad objective).

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const STRATEGIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/strategies");

fn bloc(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("bloc")
        .expect("the bloc binary is built")
        .args(args)
        .output()
        .expect("bloc runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

fn shipped(name: &str) -> String {
    format!("{STRATEGIES}/{name}.toml")
}

#[test]
fn the_shipped_strategies_compare_and_the_json_holds_paired_differences() {
    let names = [
        "status-quo-1988",
        "minimum-program",
        "brezhnev-doctrine",
        "push-reform",
        "disengage",
    ];
    let files: Vec<String> = names.iter().map(|n| shipped(n)).collect();
    let mut args: Vec<&str> = vec!["compare"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--runs", "8"]);
    let mut json_args = args.clone();
    json_args.extend(["--format", "json", "--threads", "1"]);
    let (code, out, err) = bloc(&json_args);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["meta"]["baseline"], "status-quo-1988");
    let strategies = v["strategies"].as_array().unwrap();
    assert_eq!(strategies.len(), 5);
    assert!(strategies[0]["score_difference"].is_null());
    let d = &strategies[2]["score_difference"];
    assert!(d["paired"][0].as_f64().unwrap() <= d["mean"].as_f64().unwrap());
    assert_eq!(strategies[1]["countries"].as_array().unwrap().len(), 6);
    // The same on two threads, byte for byte.
    let mut two = args.clone();
    two.extend(["--format", "json", "--threads", "2"]);
    assert_eq!(bloc(&two).1, out);
    // The table names every strategy.
    let (code, table, _) = bloc(&args);
    assert_eq!(code, Some(0));
    for n in names {
        assert!(table.contains(n), "{n} missing");
    }
}

#[test]
fn from_the_posterior_each_run_keeps_its_draw_across_strategies() {
    // The baseline against a copy of itself under another name: with every run on the same
    // draw and the same random streams, every paired difference is exactly zero.
    let dir = TempDir::new().unwrap();
    let sq = shipped("status-quo-1988");
    let text = std::fs::read_to_string(&sq).unwrap();
    let name = "name = \"status-quo-1988\"";
    assert!(text.contains(name));
    let copy = dir.path().join("copy.toml");
    std::fs::write(&copy, text.replacen(name, "name = \"copy\"", 1)).unwrap();
    let copy = copy.to_str().unwrap();
    let reform = shipped("push-reform");
    let args = [
        "compare", &sq, copy, &reform, "--runs", "6", "--format", "json",
    ];
    let (code, out, err) = bloc(&args);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let distinct = v["meta"]["posterior"]["distinct_draws"]
        .as_u64()
        .unwrap_or(0);
    assert!((1..=6).contains(&distinct), "{}", v["meta"]);
    assert!(v["meta"]["posterior"]["file"].is_string(), "{}", v["meta"]);
    let copy_of_baseline = &v["strategies"][1];
    let mut differences: Vec<&Value> = vec![&copy_of_baseline["score_difference"]];
    if let Some(m) = copy_of_baseline["bloc_differences"].as_object() {
        differences.extend(m.values());
    }
    for c in copy_of_baseline["countries"].as_array().unwrap() {
        if let Some(m) = c["differences"].as_object() {
            differences.extend(m.values());
        }
    }
    assert!(differences.len() > 20, "{}", differences.len());
    for d in differences {
        assert_eq!(d["mean"].as_f64(), Some(0.0), "{d}");
        assert_eq!(d["paired"][0].as_f64(), Some(0.0), "{d}");
        assert_eq!(d["paired"][1].as_f64(), Some(0.0), "{d}");
    }
    // A strategy that differs is compared on the same draws: not identical to the baseline.
    assert_ne!(v["strategies"][2]["score"], v["strategies"][0]["score"]);
    // At the scenario's own values there is no posterior in the provenance, and the scores
    // differ from those drawn from the posterior.
    let mut own = args.to_vec();
    own.push("--no-posterior");
    let (code, out, err) = bloc(&own);
    assert_eq!(code, Some(0), "{err}");
    let w: Value = serde_json::from_str(&out).unwrap();
    assert!(w["meta"].get("posterior").is_none());
    assert_ne!(w["strategies"], v["strategies"]);
    // A value the posterior draws cannot be --set at the same time, however it is spelled.
    for set in [
        "security.base_loyalty=0.5",
        "security.base_loyalty.value = 0.5",
    ] {
        let (code, _, err) = bloc(&["compare", &sq, "--runs", "2", "--set", set]);
        assert_eq!(code, Some(2), "{set}: {err}");
        assert!(err.contains("--no-posterior"), "{set}: {err}");
    }
    // The table says where the draws come from.
    let (code, table, _) = bloc(&["compare", &sq, "--runs", "2"]);
    assert_eq!(code, Some(0));
    assert!(table.contains("calibrated values from"), "{table}");
}

#[test]
fn a_malformed_strategy_is_reported_at_its_line_and_column() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "[strategy]\nkind = \"strategy\"\nname = \"bad\"\n\n[[lever_schedule]]\nlever = \"debt_relief\"\ncountry = \"GDRR\"\nstart = \"1989-02-06\"\nweeks = 10\nintensity = 0.5\nsource = \"t\"\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let (code, _, err) = bloc(&["compare", &shipped("status-quo-1988"), p, "--runs", "2"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("bad.toml:7:"), "{err}");
    assert!(err.contains("did you mean \"GDR\""), "{err}");
}

#[test]
fn a_bad_objective_and_duplicate_names_are_usage_errors() {
    let sq = shipped("status-quo-1988");
    let (code, _, err) = bloc(&["compare", &sq, "--objective", "aliance=1", "--runs", "2"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean \"alliance\""), "{err}");
    let (code, _, err) = bloc(&["compare", &sq, &sq, "--runs", "2"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("names must differ"), "{err}");
}

const PLAYBOOK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/playbooks/eastern-europe-1989.toml"
);

#[test]
fn the_shipped_playbook_runs_and_names_every_turn_and_reaction() {
    let (code, out, err) = bloc(&["playbook", PLAYBOOK, "--runs", "3", "--threads", "1"]);
    assert_eq!(code, Some(0), "{err}");
    for turn in [
        "poland-election-lost",
        "hungary-opens-border",
        "mass-protest-gdr",
        "lethal-order",
        "party-collapse",
        "opposition-unites",
    ] {
        assert!(
            out.contains(&format!("## {turn}")),
            "{turn} missing:\n{out}"
        );
    }
    let (code, json, err) = bloc(&[
        "playbook",
        PLAYBOOK,
        "--runs",
        "3",
        "--format",
        "json",
        "--threads",
        "2",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["triggers"].as_array().unwrap().len(), 6);
    let (_, json1, _) = bloc(&[
        "playbook",
        PLAYBOOK,
        "--runs",
        "3",
        "--format",
        "json",
        "--threads",
        "1",
    ]);
    assert_eq!(json, json1, "the same playbook whatever the thread count");
    let (code, out, _) = bloc(&["check", PLAYBOOK]);
    assert_eq!(code, Some(0));
    assert!(out.contains("ok"));
}

#[test]
fn playbook_outputs_that_cannot_be_written_are_refused_before_the_runs() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let file = file.to_str().unwrap();
    // A million runs would take an hour: only a refusal before them ends at once.
    let many = [
        "playbook",
        PLAYBOOK,
        "--runs",
        "1000000",
        "--allow-large",
        "--no-posterior",
    ];
    let mut snapshots = many.to_vec();
    snapshots.extend(["--snapshots", file, "--snapshot-runs", "0"]);
    let (code, _, err) = bloc(&snapshots);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("--snapshots") && err.contains("a-file"),
        "{err}"
    );
    let missing = dir.path().join("no-such-dir").join("out.json");
    let mut out = many.to_vec();
    out.extend(["--out", missing.to_str().unwrap()]);
    let (code, _, err) = bloc(&out);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        std::fs::read_to_string(file).unwrap(),
        "x",
        "the file is untouched"
    );
    // The same for compare, forecast (its --out and --trajectories) and sensitivity.
    let missing = missing.to_str().unwrap();
    let sq = shipped("status-quo-1988");
    for args in [
        vec!["compare", &sq, "--runs", "1000000", "--out", missing],
        vec!["forecast", "--runs", "10000000", "--out", missing],
        vec!["forecast", "--runs", "10000000", "--trajectories", missing],
        vec!["sensitivity", "--runs", "10000000", "--out", missing],
    ] {
        let (code, _, err) = bloc(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("no-such-dir"), "{args:?}: {err}");
    }
}

#[test]
fn the_playbook_draws_from_the_posterior_by_default_and_refuses_snapshots_then() {
    let args = ["playbook", PLAYBOOK, "--runs", "3", "--format", "json"];
    let (code, json, err) = bloc(&args);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&json).unwrap();
    assert!(v["meta"]["posterior"]["file"].is_string(), "{}", v["meta"]);
    let mut own = args.to_vec();
    own.push("--no-posterior");
    let (code, json, err) = bloc(&own);
    assert_eq!(code, Some(0), "{err}");
    let w: Value = serde_json::from_str(&json).unwrap();
    assert!(w["meta"].get("posterior").is_none());
    let (code, markdown, _) = bloc(&["playbook", PLAYBOOK, "--runs", "3"]);
    assert_eq!(code, Some(0));
    assert!(markdown.contains("calibrated values from"), "{markdown}");
    // With a strategy too: the strategy is applied to each run's draw.
    let mut with = args.to_vec();
    let sq = shipped("brezhnev-doctrine");
    with.extend(["--strategy", &sq]);
    let (code, _, err) = bloc(&with);
    assert_eq!(code, Some(0), "{err}");
    // A snapshot resumes on the scenario's own values: refused with a posterior.
    let dir = TempDir::new().unwrap();
    let snaps = dir.path().join("snaps");
    let mut snapshot = args.to_vec();
    snapshot.extend([
        "--snapshots",
        snaps.to_str().unwrap(),
        "--snapshot-runs",
        "0",
    ]);
    let (code, _, err) = bloc(&snapshot);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--no-posterior"), "{err}");
    assert!(!snaps.exists(), "nothing made");
}

#[test]
fn a_malformed_playbook_is_reported_at_its_line_and_column() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("pb.toml");
    std::fs::write(
        &path,
        "[playbook]\nkind = \"playbook\"\nname = \"x\"\n\n[[triggers]]\nname = \"t\"\nwhen = { kind = \"border_opens\", country = \"HUNG\" }\n\n[[reactions]]\nname = \"r\"\nlevers = [{ lever = \"debt_relief\", country = \"trigger\", weeks = 4, intensity = 2.0 }]\n",
    )
    .unwrap();
    let (code, _, err) = bloc(&["playbook", path.to_str().unwrap(), "--runs", "2"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("pb.toml:11:"), "{err}");
}

#[test]
fn playbook_snapshots_are_written_for_the_runs_asked_for() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("snaps");
    let (code, _, err) = bloc(&[
        "playbook",
        PLAYBOOK,
        "--runs",
        "2",
        "--snapshots",
        out.to_str().unwrap(),
        "--snapshot-runs",
        "1",
        "--no-posterior",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(!names.is_empty());
    assert!(names.iter().all(|n| n.starts_with("run-1-")), "{names:?}");
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(&names[0])).unwrap()).unwrap();
    assert!(v["week"].as_i64().unwrap() >= 1);
    assert!(v["scenario_hash"].is_string());
}

#[test]
fn a_playbook_refuses_a_base_strategy_with_reaction_rules() {
    let (code, _, err) = bloc(&[
        "playbook",
        PLAYBOOK,
        "--runs",
        "2",
        "--strategy",
        &shipped("minimum-program"),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("reaction rules"), "{err}");
    let (code, _, err) = bloc(&[
        "playbook",
        PLAYBOOK,
        "--runs",
        "2",
        "--strategy",
        &shipped("disengage"),
    ]);
    assert_eq!(code, Some(0), "{err}");
}
