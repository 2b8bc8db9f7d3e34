//! Integration tests of `bloc sensitivity`: the JSON, CSV and table outputs on a small run,
//! byte-identical results across thread counts, atomic output files, and clear errors (exit
//! 1 for an invalid scenario or override, 2 for usage) without panics.

use crate::common::{Run, run as bloc};
use serde_json::Value;
use tempfile::TempDir;

const TWO_ALLIES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/two-allies.toml"
);

/// A small analysis of the two-allies scenario.
fn small(extra: &[&str]) -> Run {
    let mut args = vec![
        "sensitivity",
        TWO_ALLIES,
        "--runs",
        "2",
        "--trajectories",
        "2",
        "--horizon",
        "20",
    ];
    args.extend_from_slice(extra);
    bloc(&args)
}

#[test]
fn json_holds_the_settings_and_every_statistic() {
    let r = small(&["--format", "json", "--threads", "1"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("JSON");
    let meta = &v["meta"];
    for (key, want) in [
        ("runs", 2.0),
        ("trajectories", 2.0),
        ("levels", 4.0),
        ("spread", 0.25),
        ("weeks", 20.0),
    ] {
        assert_eq!(meta[key].as_f64(), Some(want), "{key}");
    }
    assert_eq!(meta["scenario_hash"].as_str().unwrap().len(), 64);
    assert!(meta["version"].is_string() && meta["seed"].is_u64());
    let k = meta["factors"].as_u64().unwrap() as usize;
    let outputs = v["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 16);
    assert_eq!(outputs[0], "NOR.smooth");
    let params = v["parameters"].as_array().unwrap();
    assert_eq!(params.len(), k);
    for (i, p) in params.iter().enumerate() {
        assert_eq!(p["rank"].as_u64(), Some(i as u64 + 1));
        assert!(p["source"].as_str().unwrap().starts_with("estimate"));
        for key in ["mu_star_all", "mu_all", "sigma_all"] {
            assert_eq!(p[key].as_array().unwrap().len(), outputs.len(), "{key}");
        }
        assert!(p["low"].as_f64() <= p["value"].as_f64());
        assert!(p["value"].as_f64() <= p["high"].as_f64());
    }
    assert!(
        v["fixed"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["value"] == 0.0)
    );
}

#[test]
fn results_do_not_depend_on_threads() {
    let one = small(&["--format", "json", "--threads", "1"]);
    let two = small(&["--format", "json", "--threads", "2"]);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn table_csv_and_atomic_file() {
    let r = small(&["--top", "5"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("Morris elementary effects"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Top 5 by the largest mu*"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Held fixed"), "{}", r.stdout);
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("ranking.csv");
    let r = small(&["--format", "csv", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("rank,parameter,kind,value,low,high,mu_star_max,output,"));
    assert!(csv.lines().count() > 10);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn bad_input_is_reported_without_panicking() {
    let r = bloc(&["sensitivity", "no-such-scenario.toml"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("cannot read no-such-scenario.toml"),
        "{}",
        r.stderr
    );

    let r = small(&["--set", "centre.resolv=0.5"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("unknown key `resolv`"), "{}", r.stderr);

    let r = small(&["--set", "centr.resolve=0.5"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("did you mean \"centre\""), "{}", r.stderr);

    let r = small(&["--set", "countries.NOR.legitimacy=1.5"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("legitimacy"), "{}", r.stderr);

    for spread in ["1.5", "-0.1", "0", "abc"] {
        let r = small(&["--spread", spread]);
        assert_eq!(r.code, Some(2), "--spread {spread}: {}", r.stderr);
        assert!(r.stderr.contains("spread"), "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }

    let r = small(&["--levels", "3"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("even number of levels"), "{}", r.stderr);

    let r = small(&["--trajectories", "1"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}

/// A small Sobol' analysis of the flagship's values with a prior.
fn sobol(extra: &[&str]) -> Run {
    let mut args = vec![
        "sensitivity",
        "--method",
        "sobol",
        "--samples",
        "3",
        "--runs",
        "2",
        "--horizon",
        "8",
    ];
    args.extend_from_slice(extra);
    bloc(&args)
}

#[test]
fn sobol_indices_over_the_priors() {
    let one = sobol(&["--format", "json", "--threads", "1"]);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    let two = sobol(&["--format", "json", "--threads", "2"]);
    assert_eq!(
        one.stdout, two.stdout,
        "the result must not depend on threads"
    );
    let v: Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(v["evaluations"], 3 * (13 + 2));
    let outputs = v["outputs"].as_array().unwrap().len();
    assert_eq!(outputs, 6 * 8);
    let factors = v["factors"].as_array().unwrap();
    assert_eq!(factors.len(), 13);
    let ranks: Vec<u64> = factors
        .iter()
        .map(|f| f["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, (1..=13).collect::<Vec<_>>());
    for f in factors {
        assert_eq!(f["indices"].as_array().unwrap().len(), outputs);
        assert!(f["prior"].as_str().unwrap().starts_with('{'), "{f}");
        // No intervention comes within 8 weeks, so with common random numbers the centre's
        // intervention boost changes no output at any point: its partial variances are 0.
        if f["path"] == "centre.intervention_boost" {
            for s in f["indices"].as_array().unwrap() {
                assert_eq!(s["total_variance"].as_f64(), Some(0.0), "{f}");
            }
        }
    }
    assert!(
        factors
            .iter()
            .any(|f| f["total_variance_max"].as_f64().unwrap() > 0.0),
        "some value must move some output"
    );
    // A value set with --set is held at it.
    let held = sobol(&["--format", "json", "--set", "security.base_loyalty=0.9"]);
    let v: Value = serde_json::from_str(&held.stdout).unwrap();
    assert_eq!(
        v["factors"].as_array().unwrap().len(),
        12,
        "{}",
        held.stderr
    );
    let csv = sobol(&["--format", "csv"]);
    assert_eq!(csv.stdout.lines().count(), 1 + 13 * outputs);
    assert_ne!(
        one.stdout,
        sobol(&["--format", "json", "--seed", "2"]).stdout,
        "the seed must matter"
    );
    // A scenario with no value that has a prior: a usage error, no panic.
    let r = bloc(&["sensitivity", TWO_ALLIES, "--method", "sobol"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("no value with a prior"), "{}", r.stderr);
}
