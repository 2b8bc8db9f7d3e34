//! Integration tests of `bloc forecast`: the JSON contract, determinism across threads,
//! overrides and events files validated like scenario files, trajectories, and malformed
//! bloc scenarios reported at their line and column.

use crate::common::{json, run as bloc, write};
use serde_json::Value;
use tempfile::TempDir;

const TWO_ALLIES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/two-allies.toml"
);
const TWO_ALLIES_TEXT: &str = include_str!("../../../scenarios/two-allies.toml");

#[test]
fn json_output_is_the_documented_contract() {
    let v = json(&bloc(&[
        "forecast", TWO_ALLIES, "--runs", "16", "--format", "json",
    ]));
    assert_eq!(v["meta"]["runs"], 16);
    assert!(v["meta"]["scenario_hash"].as_str().unwrap().len() == 64);
    let countries = v["countries"].as_array().unwrap();
    assert_eq!(countries.len(), 2);
    for c in countries {
        let o = &c["outcomes"];
        let sum: f64 = ["smooth", "leaps", "suppression", "eruption", "stable"]
            .iter()
            .map(|k| o[k].as_f64().expect(k))
            .sum();
        assert!((sum - 1.0).abs() < 1e-9);
        for key in ["party_in_power", "alliance_intact", "intervention"] {
            let p = c[key].as_f64().expect(key);
            assert!((0.0..=1.0).contains(&p));
        }
        assert!(c["first_concession"]["share"].is_number());
        assert!(c["regime_fall"]["median"].is_string());
        assert!(c["peak_protest"]["mean"].is_number());
        assert!(c["deaths"]["q95"].is_number());
        assert!(c["emigrants"]["q50"].is_number());
        assert_eq!(c["outcome_intervals"]["leaps"].as_array().unwrap().len(), 2);
    }
    assert_eq!(v["bloc"]["regimes_fallen"].as_array().unwrap().len(), 3);
    assert!(!v["bloc"]["patterns"].as_array().unwrap().is_empty());
}

#[test]
fn the_default_is_the_1989_flagship_with_the_observed_pattern() {
    let v = json(&bloc(&[
        "forecast",
        "--runs",
        "8",
        "--horizon",
        "10",
        "--format",
        "json",
    ]));
    let ids: Vec<&str> = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["POL", "HUN", "GDR", "CSK", "BGR", "ROU"]);
    assert_eq!(v["meta"]["start"], "1989-02-06");
    assert_eq!(v["meta"]["weeks"], 10);
    let observed: Vec<&Value> = v["bloc"]["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["observed"] == true)
        .collect();
    assert_eq!(observed.len(), 1);
    assert_eq!(
        observed[0]["pattern"],
        "POL:leaps HUN:smooth GDR:leaps CSK:leaps BGR:smooth ROU:eruption"
    );
    assert!(v["bloc"]["observed_pattern"].is_number());
}

#[test]
fn the_table_names_every_country_and_the_bloc() {
    let r = bloc(&["forecast", "--runs", "8", "--horizon", "10"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for needle in [
        "POL",
        "ROU",
        "smooth",
        "party in power",
        "Regimes fallen",
        "observed 1989",
    ] {
        assert!(r.stdout.contains(needle), "missing {needle}:\n{}", r.stdout);
    }
}

#[test]
fn output_does_not_depend_on_threads() {
    let args = |t: &'static str| {
        vec![
            "forecast",
            TWO_ALLIES,
            "--runs",
            "40",
            "--seed",
            "3",
            "--format",
            "json",
            "--threads",
            t,
        ]
    };
    let one = bloc(&args("1"));
    let two = bloc(&args("2"));
    let four = bloc(&args("4"));
    assert_eq!(one.code, Some(0));
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, four.stdout);
    let other_seed = bloc(&[
        "forecast", TWO_ALLIES, "--runs", "40", "--seed", "4", "--format", "json",
    ]);
    assert_ne!(one.stdout, other_seed.stdout, "the seed must matter");
}

#[test]
fn csv_has_one_row_per_country() {
    let r = bloc(&["forecast", TWO_ALLIES, "--runs", "8", "--format", "csv"]);
    assert_eq!(r.code, Some(0));
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("country,smooth,leaps,suppression,eruption,stable"));
    assert!(lines[1].starts_with("NOR,"));
}

#[test]
fn set_overrides_change_the_result_and_are_validated() {
    let base = json(&bloc(&[
        "forecast", TWO_ALLIES, "--runs", "16", "--format", "json",
    ]));
    let changed = json(&bloc(&[
        "forecast",
        TWO_ALLIES,
        "--runs",
        "16",
        "--format",
        "json",
        "--set",
        "countries.SOU.legitimacy=0.95",
    ]));
    assert_ne!(base["countries"][1], changed["countries"][1]);
    assert_eq!(
        changed["meta"]["overrides"][0],
        "countries.SOU.legitimacy=0.95"
    );

    let r = bloc(&[
        "forecast",
        TWO_ALLIES,
        "--set",
        "countries.SOU.legitimacy=1.5",
    ]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("with --set countries.SOU.legitimacy=1.5"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("at most 1"), "{}", r.stderr);

    let r = bloc(&[
        "forecast",
        TWO_ALLIES,
        "--set",
        "countries.XYZ.legitimacy=0.5",
    ]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("no element with id \"XYZ\""),
        "{}",
        r.stderr
    );

    let r = bloc(&["forecast", TWO_ALLIES, "--set", "cascad.signal_weight=1"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("did you mean \"cascade\""),
        "{}",
        r.stderr
    );

    let r = bloc(&[
        "forecast",
        TWO_ALLIES,
        "--set",
        "centre.doctrine=\"brezhnev\"",
    ]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("when_regime_falls"), "{}", r.stderr);
}

#[test]
fn events_files_replay_and_bad_ones_are_located() {
    let dir = TempDir::new().unwrap();
    let good = write(
        dir.path(),
        "ok.toml",
        "[[events]]\ndate = \"2001-02-05\"\ncountry = \"SOU\"\nkind = \"regime_falls\"\nsource = \"test\"\n",
    );
    let v = json(&bloc(&[
        "forecast",
        TWO_ALLIES,
        "--runs",
        "8",
        "--format",
        "json",
        "--events",
        good.to_str().unwrap(),
    ]));
    assert_eq!(v["countries"][1]["party_in_power"], 0.0);
    assert_eq!(v["countries"][1]["regime_fall"]["median"], "2001-02-05");

    let bad = write(
        dir.path(),
        "bad.toml",
        "[[events]]\ndate = \"2001-02-05\"\ncountry = \"SUO\"\nkind = \"regime_falls\"\nsource = \"test\"\n",
    );
    let r = bloc(&["forecast", TWO_ALLIES, "--events", bad.to_str().unwrap()]);
    assert_eq!(r.code, Some(1));
    let expect = format!(
        "{}:3:11: unknown country \"SUO\" (did you mean \"SOU\"?)",
        bad.display()
    );
    assert!(r.stderr.contains(&expect), "{}", r.stderr);

    let bad_date = write(
        dir.path(),
        "date.toml",
        "[[events]]\ndate = \"2001-02-30\"\ncountry = \"SOU\"\nkind = \"border_open\"\nsource = \"test\"\n",
    );
    let r = bloc(&[
        "forecast",
        TWO_ALLIES,
        "--events",
        bad_date.to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains(":2:8: \"2001-02-30\" is not a calendar date"),
        "{}",
        r.stderr
    );
}

#[test]
fn trajectories_are_written_as_bands_or_chosen_runs() {
    let dir = TempDir::new().unwrap();
    let csv = dir.path().join("t.csv");
    let r = bloc(&[
        "forecast",
        TWO_ALLIES,
        "--runs",
        "8",
        "--trajectories",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "country,week,date,run,variable,mean,q05,q50,q95"
    );
    // 2 countries x 53 weeks (0..=52) x 11 variables.
    assert_eq!(lines.count(), 2 * 53 * 11);
    assert!(text.contains("NOR,52,2001-12-31,,alignment,"));

    let js = dir.path().join("t.json");
    let r = bloc(&[
        "forecast",
        TWO_ALLIES,
        "--runs",
        "8",
        "--trajectories",
        js.to_str().unwrap(),
        "--trajectory-runs",
        "2,5",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&js).unwrap()).unwrap();
    let rows = v["trajectories"].as_array().unwrap();
    assert_eq!(rows.len(), 2 * 2 * 53 * 11);
    assert!(rows.iter().all(|r| r["run"] == 2 || r["run"] == 5));

    let r = bloc(&[
        "forecast",
        TWO_ALLIES,
        "--runs",
        "8",
        "--trajectories",
        js.to_str().unwrap(),
        "--trajectory-runs",
        "8",
    ]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("not a run of this ensemble"),
        "{}",
        r.stderr
    );
}

/// Malformed bloc scenarios: (edit of the two-allies file, line, column, message part).
const MALFORMED: &[(&str, &str, usize, usize, &str)] = &[
    (
        "legitimacy = { value = 0.6,",
        "legitimacy = { value = -0.6,",
        148,
        24,
        "at least 0",
    ),
    (
        "travel_to = [\"SOU\"]",
        "travel_to = [\"SUD\"]",
        157,
        14,
        "did you mean \"SOU\"",
    ),
    ("kind = \"bloc\"", "kind = \"blok\"", 7, 8, "\"bloc\""),
    (
        "start = \"2001-01-01\"\nweeks = 52\n\n",
        "start = \"2001-13-01\"\nweeks = 52\n\n",
        10,
        9,
        "not a calendar date",
    ),
    (
        "doctrine = \"external_armed_interference_only\"",
        "doctrine = \"sometimes\"",
        111,
        12,
        "when_regime_falls",
    ),
    (
        "[cascade]\nsignal_weight",
        "[cascade]\nsignal_wieght",
        29,
        1,
        "unknown key `signal_wieght`",
    ),
    (
        "name = \"youth\"\nshare = { value = 0.3,",
        "name = \"youth\"\nshare = { value = 0.4,",
        45,
        1,
        "sum to 1",
    ),
];

#[test]
fn malformed_bloc_scenarios_are_reported_at_their_line_and_column() {
    let dir = TempDir::new().unwrap();
    for (i, (old, new, line, col, message)) in MALFORMED.iter().enumerate() {
        assert_eq!(TWO_ALLIES_TEXT.matches(old).count(), 1, "anchor {old:?}");
        let text = TWO_ALLIES_TEXT.replacen(old, new, 1);
        let path = write(dir.path(), &format!("case{i}.toml"), &text);
        for cmd in ["check", "forecast"] {
            let r = bloc(&[cmd, path.to_str().unwrap()]);
            assert_eq!(r.code, Some(1), "case {i} ({cmd}): {}", r.stderr);
            let want = format!("{}:{line}:{col}:", path.display());
            let hit = r.stderr.lines().find(|l| l.starts_with(&want));
            assert!(
                hit.is_some_and(|l| l.contains(message)),
                "case {i} ({cmd}): expected {want} ... {message}\n{}",
                r.stderr
            );
        }
    }
}

#[test]
fn check_reads_events_files_against_a_scenario() {
    let observed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/events/observed-1989.toml"
    );
    let r = bloc(&["check", observed]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // The 1989 record names countries the two-allies bloc does not have.
    let r = bloc(&["check", observed, "--scenario", TWO_ALLIES]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("unknown country \"POL\""), "{}", r.stderr);
}

#[test]
fn set_reaches_default_tables_and_actors_by_role() {
    let r = bloc(&[
        "forecast",
        TWO_ALLIES,
        "--runs",
        "4",
        "--format",
        "json",
        "--set",
        "mechanisms.exit=false",
        "--set",
        "countries.NOR.actors.reformers.position=70",
        "--set",
        "cohorts.youth.share=0.3",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = bloc(&["forecast", TWO_ALLIES, "--set", "mechanisms.exitt=false"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("unknown key `exitt`"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn output_files_are_ordinary_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("f.json");
    let r = bloc(&[
        "forecast",
        TWO_ALLIES,
        "--runs",
        "2",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "mode {mode:o}");
}

const POSTERIOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../posteriors/history-1953-1988.json"
);

/// The flagship's forecast of `runs` runs of 20 weeks with `extra` arguments, as JSON.
fn flagship(runs: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec![
        "forecast",
        "--runs",
        runs,
        "--horizon",
        "20",
        "--format",
        "json",
    ];
    args.extend(extra);
    bloc(&args)
}

#[test]
fn the_default_forecast_draws_from_the_shipped_posterior() {
    let drawn = flagship("24", &[]);
    assert_eq!(drawn.code, Some(0), "{}", drawn.stderr);
    // The shipped posterior was calibrated on the embedded flagship as it is: no note.
    assert!(!drawn.stderr.contains("calibrated on"), "{}", drawn.stderr);
    let v = json(&drawn);
    let p = &v["meta"]["posterior"];
    assert_eq!(p["particles"], 200);
    assert_eq!(p["parameters"].as_array().unwrap().len(), 13);
    assert!(p["distinct_draws"].as_u64().unwrap() > 1);
    for c in v["countries"].as_array().unwrap() {
        // The split's total is the probability's own variance p (1 - p).
        let p = c["party_in_power"].as_f64().unwrap();
        let total = c["variance"]["party_in_power"]["total"].as_f64().unwrap();
        assert!((total - p * (1.0 - p)).abs() < 1e-12, "{c}");
    }
    // The same file named on the command line gives the same forecast.
    let named = json(&flagship("24", &["--posterior", POSTERIOR]));
    assert_eq!(named["countries"], v["countries"]);
    assert_eq!(named["bloc"], v["bloc"]);
    // At the scenario's own values: no posterior, no split, other numbers.
    let fixed = json(&flagship("24", &["--no-posterior"]));
    assert!(fixed["meta"].get("posterior").is_none());
    assert!(fixed["countries"][0].get("variance").is_none());
    assert_ne!(fixed["countries"], v["countries"]);
}

#[test]
fn a_forecast_from_a_posterior_does_not_depend_on_threads() {
    // 40 runs: more than one chunk of the ensemble on one thread (16), fewer on four (32).
    let one = flagship("40", &["--threads", "1"]);
    let four = flagship("40", &["--threads", "4"]);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn events_are_replayed_on_every_draw() {
    let events = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/events/observed-1989.toml"
    );
    let with = flagship("16", &["--events", events]);
    assert_eq!(with.code, Some(0), "{}", with.stderr);
    let v = json(&with);
    assert!(v["meta"]["posterior"]["distinct_draws"].as_u64().unwrap() > 1);
    assert_ne!(v["countries"], json(&flagship("16", &[]))["countries"]);
    // The same forecast on one thread and on two.
    assert_eq!(
        with.stdout,
        flagship("16", &["--events", events, "--threads", "1"]).stdout
    );
}

#[test]
fn a_posterior_is_checked_before_it_is_drawn_from() {
    for spelling in [
        "security.base_loyalty=0.9",
        "security.base_loyalty = 0.9",
        "security.base_loyalty.value=0.9",
    ] {
        let r = flagship("4", &["--set", spelling]);
        assert_eq!(r.code, Some(2), "{spelling}: {}", r.stderr);
        assert!(r.stderr.contains("--no-posterior"), "{}", r.stderr);
    }
    let r = flagship(
        "4",
        &["--set", "security.base_loyalty=0.9", "--no-posterior"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // Another value set: the posterior is drawn from, with a note that it was calibrated on
    // another scenario.
    let r = flagship("4", &["--set", "centre.resolve=0.5"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("calibrated on a scenario of hash"),
        "{}",
        r.stderr
    );

    let dir = TempDir::new().unwrap();
    let bad = write(
        dir.path(),
        "bad.json",
        "{\n  \"format\": \"bloc-posterior/1\",\n  x\n}\n",
    );
    let r = flagship("4", &["--posterior", bad.to_str().unwrap()]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("bad.json:3:3"), "{}", r.stderr);
    let text = std::fs::read_to_string(POSTERIOR)
        .unwrap()
        .replace("\"security.base_loyalty\"", "\"security.no_such_value\"");
    let other = write(dir.path(), "other.json", &text);
    let r = flagship("4", &["--posterior", other.to_str().unwrap()]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("security.no_such_value is not a sourced value"),
        "{}",
        r.stderr
    );
}
