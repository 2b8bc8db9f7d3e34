//! Integration tests of `bloc cib`: the embedded 1989 matrix, every mode and format,
//! determinism across thread counts, conversions, and errors located in the file.

use crate::common::{Run, json, run};
use bloc_cib::file::{Scale, write_cib_toml};
use bloc_cib::published::case;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A published case written as a bloc TOML file in `dir`.
fn case_file(dir: &Path, name: &str) -> PathBuf {
    let (_, system) = case(name).expect("published case");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        write_cib_toml(&system, &BTreeMap::new(), Scale::covering(&system), &[]),
    )
    .unwrap();
    path
}

#[test]
fn the_embedded_1989_matrix_lists_its_consistent_scenarios_with_classes_and_outcomes() {
    let r = run(&["cib"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("11 consistent scenarios of 1062882 (tolerance 0)"),
        "{}",
        r.stdout
    );
    let v = json(&run(&["cib", "--format", "json"]));
    assert_eq!(v["count"], 11);
    let scenarios = v["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 11);
    for s in scenarios {
        assert_eq!(s["variants"].as_array().unwrap().len(), 13);
        assert_eq!(s["inconsistency"], 0.0);
        assert!(s["class"].is_string());
        assert_eq!(s["outcomes"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn the_shipped_file_equals_the_embedded_matrix() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/eastern-europe-1989.cib.toml"
    );
    let a = run(&["cib", file, "--format", "csv"]);
    let b = run(&["cib", "--format", "csv"]);
    assert_eq!(a.code, Some(0));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn published_cases_through_the_binary() {
    let dir = TempDir::new().unwrap();
    let cases = [("somewhereland", 10, 15, 32), ("CIB_global", 4, 6, 7)];
    for (name, t0, t1, t2) in cases {
        let f = case_file(dir.path(), name);
        let f = f.to_str().unwrap();
        for (t, want) in [("0", t0), ("1", t1), ("2", t2)] {
            let v = json(&run(&["cib", f, "--tolerance", t, "--format", "json"]));
            assert_eq!(v["count"], want, "{name} t={t}");
            let c = json(&run(&[
                "cib",
                f,
                "--tolerance",
                t,
                "--count-only",
                "--format",
                "json",
            ]));
            assert_eq!(c["count"], want, "{name} t={t} count-only");
        }
    }
    let big = case_file(dir.path(), "bench_50x50");
    let v = json(&run(&["cib", big.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["count"], 5);
}

#[test]
fn somewhereland_balances_intervention_succession_and_basins() {
    let dir = TempDir::new().unwrap();
    let f = case_file(dir.path(), "somewhereland");
    let f = f.to_str().unwrap();
    // The manual's test scenario A2 B1 C3 D1 E1 F1 (1-based numbers work too).
    let v = json(&run(&[
        "cib",
        f,
        "--balances",
        "2 1 3 1 1 1",
        "--format",
        "json",
    ]));
    assert_eq!(v["inconsistency"], 14);
    let c = &v["descriptors"][2]["balance"];
    assert_eq!(
        c.as_array()
            .unwrap()
            .iter()
            .map(|p| p[1].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![-9, -1, 10]
    );
    // Intervention: A fixed at each variant gives 5, 2 and 5 scenarios.
    for (variant, want) in [("1", 5), ("2", 2), ("3", 5)] {
        let fix = format!("1={variant}");
        let v = json(&run(&["cib", f, "--fix", &fix, "--format", "json"]));
        assert_eq!(v["count"], want, "A={variant}");
    }
    // Global basins sum to the space and name the 10 consistent scenarios as fixed points.
    let v = json(&run(&["cib", f, "--attractors", "--format", "json"]));
    let basins = v["basins"].as_array().unwrap();
    assert_eq!(
        basins
            .iter()
            .map(|b| b["weight"].as_u64().unwrap())
            .sum::<u64>(),
        486
    );
    assert_eq!(
        basins
            .iter()
            .filter(|b| b["attractor"]["kind"] == "fixed_point")
            .count(),
        10
    );
    assert_eq!(v["exhaustive"], true);
    // A path ends in an attractor.
    let v = json(&run(&[
        "cib",
        f,
        "--from",
        "2 1 3 1 1 1",
        "--format",
        "json",
    ]));
    assert!(v["steps"].as_array().unwrap().len() >= 2);
    assert!(v["attractor"]["kind"].is_string());
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("search_seconds");
        v
    };
    let one = strip(json(&run(&[
        "cib",
        "--tolerance",
        "2",
        "--format",
        "json",
        "--threads",
        "1",
    ])));
    let two = strip(json(&run(&[
        "cib",
        "--tolerance",
        "2",
        "--format",
        "json",
        "--threads",
        "2",
    ])));
    assert_eq!(one, two);
    let u1 = run(&[
        "cib",
        "--uncertainty",
        "40",
        "--format",
        "csv",
        "--threads",
        "1",
    ]);
    let u2 = run(&[
        "cib",
        "--uncertainty",
        "40",
        "--format",
        "csv",
        "--threads",
        "2",
    ]);
    assert_eq!(u1.code, Some(0), "{}", u1.stderr);
    assert_eq!(u1.stdout, u2.stdout);
}

#[test]
fn an_ensemble_of_one_matrix_twice_is_that_matrix() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/eastern-europe-1989.cib.toml"
    );
    for combine in ["mean", "quorum=2"] {
        let v = json(&run(&[
            "cib",
            file,
            "--ensemble",
            file,
            "--combine",
            combine,
            "--format",
            "json",
        ]));
        assert_eq!(v["count"], 11, "{combine}");
    }
    let r = run(&["cib", file, "--ensemble", file, "--combine", "quorum=3"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("quorum of 3 is impossible with 2 members"),
        "{}",
        r.stderr
    );
}

#[test]
fn conversion_to_toml_round_trips() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("copy.toml");
    let r = run(&["cib", "--export-toml", out.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let again = json(&run(&[
        "cib",
        out.to_str().unwrap(),
        "--tolerance",
        "1",
        "--format",
        "json",
    ]));
    let original = json(&run(&["cib", "--tolerance", "1", "--format", "json"]));
    // The same scenarios, variant by variant, with the same scores, classes and outcomes.
    assert_eq!(again["scenarios"], original["scenarios"]);
    assert_eq!(again["count"], 75);
}

#[test]
fn bad_input_is_located_and_nothing_panics() {
    let dir = TempDir::new().unwrap();
    let good = include_str!("../../../scenarios/eastern-europe-1989.cib.toml");
    // An unknown target, reported at its line; then a value outside the scale, at its line
    // (semantic rules run on a file whose structure is valid).
    let line_of =
        |text: &str, what: &str| text[..text.find(what).unwrap()].matches('\n').count() + 1;
    let bad = good.replacen("target = \"party_course\"", "target = \"party_curse\"", 1);
    assert_ne!(bad, good, "the replacement must apply");
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, &bad).unwrap();
    let r = run(&["cib", path.to_str().unwrap()]);
    assert_eq!(r.code, Some(1));
    let at = format!("bad.toml:{}:", line_of(&bad, "target = \"party_curse\""));
    assert!(
        r.stderr
            .contains(&format!("{at}10: unknown descriptor 'party_curse'")),
        "{}",
        r.stderr
    );
    let bad = good.replacen("  [ 2,  0, -2],", "  [ 9,  0, -2],", 1);
    assert_ne!(bad, good, "the replacement must apply");
    std::fs::write(&path, &bad).unwrap();
    let r = run(&["cib", path.to_str().unwrap()]);
    assert_eq!(r.code, Some(1));
    let at = format!("bad.toml:{}:", line_of(&bad, "[ 9,"));
    assert!(
        r.stderr.contains(&format!("{at}5: 9 is outside the scale")),
        "{}",
        r.stderr
    );
    // Usage errors: an unknown descriptor in --fix, a scenario of the wrong length,
    // an unknown file type.
    let r = run(&["cib", "--fix", "tsar=force"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("unknown descriptor 'tsar'"),
        "{}",
        r.stderr
    );
    let r = run(&["cib", "--balances", "force reversed"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("expected one for each of the 13 descriptors"),
        "{}",
        r.stderr
    );
    let other = dir.path().join("matrix.xlsx");
    std::fs::write(&other, "x").unwrap();
    let r = run(&["cib", other.to_str().unwrap()]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("unknown CIB file type"), "{}", r.stderr);
}

#[test]
fn scenariowizard_and_pycib_files_round_trip_and_solution_lists_are_verified() {
    let dir = TempDir::new().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let r = run(&[
        "cib",
        "--tolerance",
        "1",
        "--export-scw",
        &p("e.scw"),
        "--export-pycib",
        &p("e.json"),
        "--export-sl",
        &p("e.sl"),
        "--format",
        "json",
    ]);
    let original = json(&r);
    assert_eq!(original["count"], 75);
    // The same scenarios (ScenarioWizard and PyCIB know names only: compare the TIS column).
    let tis = |v: &Value| {
        v["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["total_impact_score"].as_f64().unwrap())
            .collect::<Vec<_>>()
    };
    for file in [p("e.scw"), p("e.json")] {
        let v = json(&run(&[
            "cib",
            &file,
            "--tolerance",
            "1",
            "--format",
            "json",
        ]));
        assert_eq!(tis(&v), tis(&original), "{file}");
    }
    // The exported list holds tolerance-1 scenarios: it verifies at tolerance 1, and at
    // tolerance 0 only its 11 strictly consistent entries pass.
    let v = json(&run(&["cib", "--solutions", &p("e.sl"), "--format", "json"]).with_code(1));
    assert_eq!(v["listed"], 75);
    assert_eq!(v["consistent"], 11);
    assert_eq!(v["inconsistent"], 64);
    let v = json(&run(&[
        "cib",
        "--solutions",
        &p("e.sl"),
        "--tolerance",
        "1",
        "--format",
        "json",
    ]));
    assert_eq!(v["consistent"], 75);
    assert_eq!(v["clean"], true);
    // A stale list: one entry edited to a scenario that is not consistent.
    let t0 = p("t0.sl");
    assert_eq!(
        run(&[
            "cib",
            "--export-sl",
            &t0,
            "--format",
            "csv",
            "--out",
            &p("x.csv")
        ])
        .code,
        Some(0)
    );
    let ok = run(&["cib", "--solutions", &t0]);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    let text = std::fs::read_to_string(&t0).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("\" 1 3 3 1 1 2 1 1 2 1 1 1 1\""))
        .expect("the TIS 65 scenario")
        .to_string();
    let stale = text.replace(&line, &line.replacen("\" 1 3 3", "\" 2 3 3", 1));
    std::fs::write(p("stale.sl"), stale).unwrap();
    let r = run(&["cib", "--solutions", &p("stale.sl")]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stdout.contains("10 consistent, 1 inconsistent"),
        "{}",
        r.stdout
    );
    // A list with a consistent scenario left out (and its count fixed) is incomplete.
    let mut short: Vec<String> = text
        .lines()
        .filter(|l| *l != line)
        .map(str::to_string)
        .collect();
    let declared = short
        .iter()
        .position(|l| l.trim() == "11")
        .expect("the declared count");
    short[declared] = " 10 ".to_string();
    std::fs::write(p("short.sl"), short.join("\r\n") + "\r\n").unwrap();
    let r = run(&["cib", "--solutions", &p("short.sl"), "--format", "json"]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["missing"].as_array().unwrap().len(), 1);
    assert_eq!(v["listed"], 10);
}

#[test]
fn malformed_scenariowizard_and_pycib_files_are_located() {
    let dir = TempDir::new().unwrap();
    let scw = dir.path().join("e.scw");
    assert_eq!(
        run(&["cib", "--export-scw", scw.to_str().unwrap()]).code,
        Some(0)
    );
    let text = std::fs::read_to_string(&scw).unwrap();
    // Break one matrix cell.
    let row_start = text.find("\r\n 0 , 0 , 0 ,").expect("a matrix row") + 2;
    let mut broken = text.clone();
    broken.replace_range(row_start + 1..row_start + 2, "x");
    let bad = dir.path().join("bad.scw");
    std::fs::write(&bad, broken).unwrap();
    let r = run(&["cib", bad.to_str().unwrap()]);
    assert_eq!(r.code, Some(1));
    let line = text[..row_start].matches('\n').count() + 1;
    assert!(
        r.stderr.contains(&format!("bad.scw:{line}:")),
        "{}",
        r.stderr
    );
    let json_file = dir.path().join("bad.json");
    std::fs::write(&json_file, "{\"format_version\": 2, \"descriptors\": {\"A\": [\"a1\", \"a2\"], \"B\": [\"b1\", \"b2\"]},\n \"impacts\": [{\"src_desc\": \"A\", \"src_state\": \"a3\", \"tgt_desc\": \"B\", \"tgt_state\": \"b1\", \"impact\": 1}]}").unwrap();
    let r = run(&["cib", json_file.to_str().unwrap()]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("bad.json:2:"), "{}", r.stderr);
}

trait WithCode {
    fn with_code(self, code: i32) -> Run;
}

impl WithCode for Run {
    /// Asserts the exit code and returns the run as if it had succeeded (for `json`).
    fn with_code(mut self, code: i32) -> Run {
        assert_eq!(self.code, Some(code), "{}", self.stderr);
        self.code = Some(0);
        self
    }
}

#[test]
fn check_and_schema_know_the_cib_format() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/eastern-europe-1989.cib.toml"
    );
    let r = run(&["check", file]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = run(&["schema", "cib"]);
    let schema: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(schema["properties"]["judgements"].is_object());
    let dir = TempDir::new().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = include_str!("../../../scenarios/eastern-europe-1989.cib.toml").replacen(
        "confidence = 2",
        "confidence = 7",
        1,
    );
    std::fs::write(&bad, &text).unwrap();
    let r = run(&["check", bad.to_str().unwrap()]);
    assert_eq!(r.code, Some(1));
    let line = text[..text.find("confidence = 7").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert!(
        r.stderr.contains(&format!("bad.toml:{line}:")),
        "{}",
        r.stderr
    );
}

#[test]
fn a_conversion_with_an_ensemble_is_refused_not_silently_of_the_first_matrix() {
    let dir = TempDir::new().unwrap();
    let shipped = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/eastern-europe-1989.cib.toml"
    );
    for flag in ["--export-toml", "--export-scw", "--export-pycib"] {
        let target = dir.path().join("out");
        let r = run(&[
            "cib",
            shipped,
            "--ensemble",
            shipped,
            flag,
            target.to_str().unwrap(),
        ]);
        assert_eq!(r.code, Some(2), "{flag}: {}", r.stderr);
        assert!(r.stderr.contains("--ensemble"), "{flag}: {}", r.stderr);
        assert!(!target.exists(), "{flag} wrote a file");
    }
}
