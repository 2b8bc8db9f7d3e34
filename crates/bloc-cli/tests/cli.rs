//! Integration tests of the `bloc` binary: diagnostics of `bloc check`, exit codes, output
//! formats, determinism across thread counts and atomic output files.

use crate::common::{Run, bloc, run_command as run, write};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The valid paper scenario every malformed case starts from.
const PAPER: &str = include_str!("../../../scenarios/epstein-paper.toml");
/// The Mesa scenario, read by the binary from disk.
const MESA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/epstein-mesa.toml"
);

/// `PAPER` with each `(old, new)` applied; each `old` must occur exactly once.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = PAPER.to_string();
    for (old, new) in edits {
        assert_eq!(
            text.matches(old).count(),
            1,
            "edit anchor {old:?} must occur exactly once"
        );
        text = text.replacen(old, new, 1);
    }
    text
}

/// Lines of `stderr` that look like `FILE:LINE:COL: message`.
fn problem_lines<'a>(stderr: &'a str, file: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|l| {
            l.strip_prefix(file)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|rest| {
                    let mut parts = rest.splitn(3, ':');
                    let line = parts.next().unwrap_or("");
                    let col = parts.next().unwrap_or("");
                    let tail = parts.next().unwrap_or("");
                    !line.is_empty()
                        && !col.is_empty()
                        && line.chars().all(|c| c.is_ascii_digit())
                        && col.chars().all(|c| c.is_ascii_digit())
                        && tail.starts_with(' ')
                })
        })
        .collect()
}

fn found_line(n: usize) -> String {
    format!("{n} problem{} found", if n == 1 { "" } else { "s" })
}

/// A malformed scenario: the paper file with some edits, where the (first) problem is, a
/// substring of its message, an optional hint, and how many problems are reported in all.
struct Case {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    line: usize,
    col: usize,
    message: &'static str,
    hint: Option<&'static str>,
    problems: usize,
}

const END: &str = "min_calm_steps = 1\n";

const CASES: &[Case] = &[
    // TOML syntax.
    Case {
        name: "unclosed string",
        edits: &[(
            "name = \"Epstein (2002) Model I, Run 2 (paper's rules)\"",
            "name = \"Epstein (2002",
        )],
        line: 10,
        col: 22,
        message: "invalid TOML: invalid basic string",
        hint: None,
        problems: 1,
    },
    Case {
        name: "missing =",
        edits: &[("width = 40 ", "width 40 ")],
        line: 14,
        col: 7,
        message: "invalid TOML: key with no value, expected `=`",
        hint: None,
        problems: 1,
    },
    Case {
        name: "duplicate key",
        edits: &[("height = 40\n", "height = 40\nheight = 41\n")],
        line: 16,
        col: 1,
        message: "invalid TOML: duplicate key",
        hint: None,
        problems: 1,
    },
    Case {
        name: "duplicate table",
        edits: &[(END, "min_calm_steps = 1\n\n[lattice]\nwidth = 10\n")],
        line: 50,
        col: 2,
        message: "invalid TOML: duplicate key",
        hint: None,
        problems: 2,
    },
    // Structure: unknown keys and tables.
    Case {
        name: "unknown top-level table",
        edits: &[(END, "min_calm_steps = 1\n\n[weather]\nrain = 1\n")],
        line: 50,
        col: 2,
        message: "unknown key `weather`, expected one of citizens, cop_schedule, cops",
        hint: None,
        problems: 1,
    },
    Case {
        name: "misspelt key",
        edits: &[("legitimacy = 0.82", "legitimcy = 0.82")],
        line: 24,
        col: 1,
        message: "unknown key `legitimcy`",
        hint: Some("did you mean `legitimacy`?"),
        // ... and `legitimacy` is then missing from [citizens] (reported at line 22).
        problems: 2,
    },
    Case {
        name: "missing required key",
        edits: &[("height = 40\n", "")],
        line: 13,
        col: 1,
        message: "missing key `height` in [lattice]",
        hint: None,
        problems: 1,
    },
    // Structure: wrong types.
    Case {
        name: "string for integer",
        edits: &[("width = 40 ", "width = \"40\" ")],
        line: 14,
        col: 9,
        message: "wrong type: found a string, expected an integer",
        hint: None,
        problems: 1,
    },
    Case {
        name: "integer where a table is expected",
        edits: &[
            ("[cops]\nvision = 7.0", "# no cops table"),
            ("[scenario]\n", "cops = 3\n\n[scenario]\n"),
        ],
        line: 8,
        col: 8,
        message: "wrong type: found an integer, expected a table",
        hint: None,
        problems: 1,
    },
    Case {
        name: "array where a number is expected",
        edits: &[("[cops]\nvision = 7.0", "[cops]\nvision = [7.0]")],
        line: 30,
        col: 10,
        message: "wrong type: found an array, expected a number",
        hint: None,
        problems: 1,
    },
    Case {
        name: "boolean for number",
        edits: &[("threshold = 0.1", "threshold = true")],
        line: 25,
        col: 13,
        message: "wrong type: found a boolean, expected a number",
        hint: None,
        problems: 1,
    },
    Case {
        name: "float for integer",
        edits: &[("runs = 100", "runs = 2.0")],
        line: 42,
        col: 8,
        message: "wrong type: found a float, expected an integer",
        hint: None,
        problems: 1,
    },
    Case {
        name: "array of tables for a table",
        edits: &[("[lattice]\n", "[[lattice]]\n")],
        line: 13,
        col: 1,
        message: "wrong type: found an array, expected a table",
        hint: None,
        problems: 1,
    },
    Case {
        name: "wrong type inside an inline table",
        edits: &[
            (
                "[lattice]\nwidth = 40             # Table 2: \"40 x 40 torus\"\nheight = 40\n",
                "",
            ),
            (
                "[scenario]\n",
                "lattice = { width = 40, height = \"40\" }\n\n[scenario]\n",
            ),
        ],
        line: 8,
        col: 34,
        message: "wrong type: found a string, expected an integer",
        hint: None,
        problems: 1,
    },
    // Structure: out of range.
    Case {
        name: "negative citizen_density",
        edits: &[("citizen_density = 0.7", "citizen_density = -0.1")],
        line: 18,
        col: 19,
        message: "-0.1 is out of range, expected a value at least 0 and at most 1",
        hint: None,
        problems: 1,
    },
    Case {
        name: "cop_density above 1",
        edits: &[("cop_density = 0.04", "cop_density = 1.5")],
        line: 19,
        col: 15,
        message: "1.5 is out of range, expected a value at least 0 and at most 1",
        hint: None,
        problems: 1,
    },
    Case {
        name: "legitimacy 1.5",
        edits: &[("legitimacy = 0.82", "legitimacy = 1.5")],
        line: 24,
        col: 14,
        message: "1.5 is out of range, expected a value at least 0 and at most 1",
        hint: None,
        problems: 1,
    },
    Case {
        name: "threshold 2",
        edits: &[("threshold = 0.1", "threshold = 2")],
        line: 25,
        col: 13,
        message: "2 is out of range, expected a value at least -1 and at most 1",
        hint: None,
        problems: 1,
    },
    Case {
        name: "negative vision",
        edits: &[("[citizens]\nvision = 7.0", "[citizens]\nvision = -1.0")],
        line: 23,
        col: 10,
        message: "-1 is out of range, expected a value at least 0 and at most 31",
        hint: None,
        problems: 1,
    },
    Case {
        name: "runs = 0",
        edits: &[("runs = 100", "runs = 0")],
        line: 42,
        col: 8,
        message: "0 is out of range, expected a value at least 1",
        hint: None,
        problems: 1,
    },
    Case {
        name: "steps = 0",
        edits: &[("steps = 500", "steps = 0")],
        line: 43,
        col: 9,
        message: "0 is out of range, expected a value at least 1",
        hint: None,
        problems: 1,
    },
    Case {
        name: "width = 0",
        edits: &[("width = 40 ", "width = 0 ")],
        line: 14,
        col: 9,
        message: "0 is out of range, expected a value at least 1 and at most 4096",
        hint: None,
        problems: 1,
    },
    Case {
        name: "negative width",
        edits: &[("width = 40 ", "width = -5 ")],
        line: 14,
        col: 9,
        message: "-5 is out of range",
        hint: None,
        problems: 1,
    },
    Case {
        name: "integer too large for u32",
        edits: &[("max_jail_term = 30", "max_jail_term = 99999999999")],
        line: 27,
        col: 17,
        message: "99999999999 is out of range",
        hint: None,
        problems: 1,
    },
    Case {
        name: "negative seed",
        edits: &[("seed = 2002", "seed = -1")],
        line: 44,
        col: 8,
        message: "-1 is out of range, expected a value at least 0",
        hint: None,
        problems: 1,
    },
    Case {
        name: "seed too large for u64",
        edits: &[("seed = 2002", "seed = 99999999999999999999")],
        line: 44,
        col: 8,
        message: "99999999999999999999 is out of range",
        hint: None,
        problems: 1,
    },
    Case {
        name: "integer too large for any machine integer",
        edits: &[(
            "seed = 2002",
            "seed = 999999999999999999999999999999999999999999999999",
        )],
        line: 44,
        col: 8,
        message: "number cannot be read",
        hint: None,
        problems: 1,
    },
    Case {
        name: "nan",
        edits: &[("legitimacy = 0.82", "legitimacy = nan")],
        line: 24,
        col: 14,
        message: "is not finite, expected a finite number",
        hint: None,
        problems: 1,
    },
    Case {
        name: "inf",
        edits: &[("arrest_constant = 2.3", "arrest_constant = inf")],
        line: 26,
        col: 19,
        message: "inf is not finite, expected a finite number",
        hint: None,
        problems: 1,
    },
    // Structure: enums and constants.
    Case {
        name: "unknown neighbourhood",
        edits: &[("neighbourhood = \"cross\"", "neighbourhood = \"moore\"")],
        line: 33,
        col: 17,
        message: "unknown value \"moore\", expected one of \"cross\", \"diamond\", \"disc\", \"square\"",
        hint: None,
        problems: 1,
    },
    Case {
        name: "unknown arrest_ratio",
        edits: &[("arrest_ratio = \"exact\"", "arrest_ratio = \"ceil\"")],
        line: 34,
        col: 16,
        message: "unknown value \"ceil\", expected one of \"exact\", \"round\", \"floor\"",
        hint: None,
        problems: 1,
    },
    Case {
        name: "misspelt enum value",
        edits: &[(
            "update = \"random_sequential\"",
            "update = \"random_sequentail\"",
        )],
        line: 37,
        col: 10,
        message: "unknown value \"random_sequentail\"",
        hint: Some("did you mean \"random_sequential\"?"),
        problems: 1,
    },
    Case {
        name: "wrong scenario kind",
        edits: &[("kind = \"epstein\"", "kind = \"schelling\"")],
        line: 9,
        col: 8,
        message: "wrong value, expected \"epstein\"",
        hint: None,
        problems: 1,
    },
    // Semantic rules.
    Case {
        name: "densities over 1",
        edits: &[("cop_density = 0.04", "cop_density = 0.4")],
        line: 19,
        col: 15,
        message: "citizen_density + cop_density = 1.1 exceeds 1",
        hint: None,
        problems: 1,
    },
    Case {
        name: "vision larger than the grid",
        edits: &[("[citizens]\nvision = 7.0", "[citizens]\nvision = 25.0")],
        line: 23,
        col: 10,
        message: "vision 25 sees past itself on a 40x40 torus, expected a vision below 20",
        hint: None,
        problems: 1,
    },
    Case {
        name: "cop vision larger than a small grid",
        edits: &[("height = 40", "height = 9")],
        line: 23,
        col: 10,
        message: "vision 7 sees past itself on a 40x9 torus, expected a vision below 5",
        // Both the citizens' and the cops' vision (line 30).
        problems: 2,
        hint: None,
    },
    Case {
        name: "vision below 1 with movement",
        edits: &[("[citizens]\nvision = 7.0", "[citizens]\nvision = 0.5")],
        line: 23,
        col: 10,
        message: "a vision below 1 sees no site",
        hint: None,
        problems: 1,
    },
    Case {
        name: "legitimacy schedule past the end",
        edits: &[(
            END,
            "min_calm_steps = 1\n\n[[legitimacy_schedule]]\nstart = 600\nvalue = 0.5\n",
        )],
        line: 51,
        col: 9,
        message: "step 600 is past the end of a run (500 steps)",
        hint: None,
        problems: 1,
    },
    Case {
        name: "overlapping legitimacy schedule",
        edits: &[(
            END,
            "min_calm_steps = 1\n\n[[legitimacy_schedule]]\nstart = 10\nramp_steps = 20\nvalue = 0.5\n\n[[legitimacy_schedule]]\nstart = 20\nvalue = 0.6\n",
        )],
        line: 56,
        col: 9,
        message: "change starts at step 20 before the previous one ends at 30",
        hint: None,
        problems: 1,
    },
    Case {
        name: "cop schedule density over 1",
        edits: &[(
            END,
            "min_calm_steps = 1\n\n[[cop_schedule]]\nstart = 5\ndensity = 0.5\n",
        )],
        line: 52,
        col: 11,
        message: "cop density 0.5 plus citizen density 0.7 exceeds 1",
        hint: None,
        problems: 1,
    },
];

fn check_case(dir: &Path, i: usize, case: &Case) -> Result<(), String> {
    let text = edited(case.edits);
    let path = write(dir, &format!("case{i}.toml"), &text);
    let file = path.display().to_string();
    let r = run(bloc().arg("check").arg(&path));
    let ctx = || format!("case {:?}\nstderr:\n{}", case.name, r.stderr);
    if r.code != Some(1) {
        return Err(format!("exit {:?}, expected 1; {}", r.code, ctx()));
    }
    if !r.stdout.is_empty() {
        return Err(format!("stdout not empty: {:?}; {}", r.stdout, ctx()));
    }
    let prefix = format!("{file}:{}:{}: ", case.line, case.col);
    let lines = problem_lines(&r.stderr, &file);
    if !lines
        .iter()
        .any(|l| l.starts_with(&prefix) && l.contains(case.message))
    {
        return Err(format!(
            "no line starting with {prefix:?} containing {:?}; {}",
            case.message,
            ctx()
        ));
    }
    if lines.len() != case.problems {
        return Err(format!(
            "{} problem lines, expected {}; {}",
            lines.len(),
            case.problems,
            ctx()
        ));
    }
    let last = format!("{file}: {}", found_line(case.problems));
    if r.stderr.lines().last() != Some(last.as_str()) {
        return Err(format!("last line is not {last:?}; {}", ctx()));
    }
    if let Some(h) = case.hint
        && !r.stderr.contains(h)
    {
        return Err(format!("hint {h:?} missing; {}", ctx()));
    }
    Ok(())
}

#[test]
fn check_reports_each_malformed_scenario_at_its_line_and_column() {
    assert!(CASES.len() >= 22);
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CASES.len(), "case names are distinct");
    let texts: std::collections::BTreeSet<String> = CASES.iter().map(|c| edited(c.edits)).collect();
    assert_eq!(texts.len(), CASES.len(), "case inputs are distinct");

    let dir = TempDir::new().unwrap();
    let failures: Vec<String> = CASES
        .iter()
        .enumerate()
        .filter_map(|(i, c)| check_case(dir.path(), i, c).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

// An empty file was accepted here as a Model I config with every default until issue #20
// (finding 6) asked for it to be refused; tests/hardening.rs checks that it is.
#[test]
fn check_accepts_the_shipped_scenarios() {
    let dir = TempDir::new().unwrap();
    let paper = write(dir.path(), "paper.toml", PAPER);
    for path in [paper, PathBuf::from(MESA)] {
        let r = run(bloc().arg("check").arg(&path));
        assert_eq!(r.code, Some(0), "{}: {}", path.display(), r.stderr);
        assert_eq!(r.stdout, format!("{}: ok\n", path.display()));
        assert!(r.stderr.is_empty(), "{}", r.stderr);
    }
}

#[test]
fn check_accepts_the_edges_of_the_ranges() {
    let dir = TempDir::new().unwrap();
    let text = edited(&[
        ("seed = 2002", "seed = 18446744073709551615"),
        ("max_jail_term = 30", "max_jail_term = 1_000_000"),
        ("threshold = 0.1", "threshold = -1"),
        ("legitimacy = 0.82", "legitimacy = 1"),
        ("runs = 100", "runs = 0x10"),
    ]);
    let path = write(dir.path(), "edges.toml", &text);
    let r = run(bloc().arg("check").arg(&path));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn check_reports_every_problem_of_a_file_at_once() {
    let dir = TempDir::new().unwrap();
    let text = edited(&[
        ("width = 40 ", "width = \"40\" "),
        ("legitimacy = 0.82", "legitimacy = 1.5"),
        ("neighbourhood = \"cross\"", "neighbourhood = \"moore\""),
        ("runs = 100", "runs = 0"),
        ("[cops]\nvision = 7.0", "[cops]\nvison = 7.0"),
    ]);
    let path = write(dir.path(), "multi.toml", &text);
    let file = path.display().to_string();
    let r = run(bloc().arg("check").arg(&path));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines = problem_lines(&r.stderr, &file);
    let positions: Vec<String> = lines
        .iter()
        .map(|l| {
            l[file.len() + 1..]
                .splitn(3, ':')
                .take(2)
                .collect::<Vec<_>>()
                .join(":")
        })
        .collect();
    // Sorted by position; the misspelt `vison` also leaves `vision` missing in [cops].
    assert_eq!(
        positions,
        ["14:9", "24:14", "29:1", "30:1", "33:17", "42:8"],
        "{}",
        r.stderr
    );
    assert!(lines[0].contains("wrong type: found a string"));
    assert!(lines[1].contains("1.5 is out of range"));
    assert!(lines[2].contains("missing key `vision` in [cops]"));
    assert!(lines[3].contains("unknown key `vison`"));
    assert!(lines[4].contains("unknown value \"moore\""));
    assert!(lines[5].contains("0 is out of range"));
    assert!(r.stderr.contains("did you mean `vision`?"), "{}", r.stderr);
    assert_eq!(
        r.stderr.lines().last(),
        Some(format!("{file}: 6 problems found").as_str())
    );
}

#[test]
fn check_reports_several_syntax_errors() {
    let dir = TempDir::new().unwrap();
    let text = edited(&[("width = 40 ", "width 40 "), ("height = 40", "height 40")]);
    let path = write(dir.path(), "syntax.toml", &text);
    let file = path.display().to_string();
    let r = run(bloc().arg("check").arg(&path));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines = problem_lines(&r.stderr, &file);
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(lines[0].starts_with(&format!("{file}:14:7: invalid TOML")));
    assert!(lines[1].starts_with(&format!("{file}:15:8: invalid TOML")));
    assert!(r.stderr.ends_with(&format!("{file}: 2 problems found\n")));
}

#[test]
fn check_counts_columns_in_characters() {
    let dir = TempDir::new().unwrap();
    let text = edited(&[(
        "name = \"Epstein (2002) Model I, Run 2 (paper's rules)\"",
        "name = \"Épstéin\" ; oops",
    )]);
    let path = write(dir.path(), "chars.toml", &text);
    let file = path.display().to_string();
    let r = run(bloc().arg("check").arg(&path));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{file}:10:18: invalid TOML")),
        "{}",
        r.stderr
    );
}

#[test]
fn check_handles_crlf_line_endings() {
    let dir = TempDir::new().unwrap();
    let text = edited(&[("width = 40 ", "width = \"40\" ")]).replace('\n', "\r\n");
    let path = write(dir.path(), "crlf.toml", &text);
    let file = path.display().to_string();
    let r = run(bloc().arg("check").arg(&path));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines = problem_lines(&r.stderr, &file);
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].starts_with(&format!("{file}:14:9: wrong type: found a string")),
        "{}",
        r.stderr
    );
}

#[test]
fn check_json_describes_every_problem() {
    let dir = TempDir::new().unwrap();
    let text = edited(&[
        ("width = 40 ", "width = \"40\" "),
        ("legitimacy = 0.82", "legitimacy = 1.5"),
        ("arrest_ratio = \"exact\"", "arrest_ratio = \"rond\""),
    ]);
    let path = write(dir.path(), "broken.toml", &text);
    let r = run(bloc().args(["check", "--json"]).arg(&path));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(doc["valid"], Value::Bool(false));
    assert_eq!(doc["file"], path.display().to_string());
    let problems = doc["problems"].as_array().expect("problems array");
    let got: Vec<(u64, u64, &str)> = problems
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_u64().unwrap(),
                p["path"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (14, 9, "lattice.width"),
            (24, 14, "citizens.legitimacy"),
            (34, 16, "variant.arrest_ratio"),
        ]
    );
    assert_eq!(problems[0]["message"], "wrong type: found a string");
    assert_eq!(problems[0]["expected"], "an integer");
    assert_eq!(problems[0]["hint"], Value::Null);
    assert_eq!(problems[2]["hint"], "did you mean \"round\"?");
    // The span is the byte range of the offending value.
    let span = &problems[1]["span"];
    let (a, b) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[a..b], "1.5");
}

#[test]
fn check_json_on_a_valid_file() {
    let dir = TempDir::new().unwrap();
    let path = write(dir.path(), "ok.toml", PAPER);
    let r = run(bloc().args(["check", "--json"]).arg(&path));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(doc["valid"], Value::Bool(true));
    assert_eq!(doc["problems"].as_array().map(Vec::len), Some(0));
}

#[test]
fn check_missing_file_is_an_io_error() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("nope.toml");
    let r = run(bloc().arg("check").arg(&path));
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains(&format!("cannot read {}", path.display())),
        "{}",
        r.stderr
    );
}

#[test]
fn check_non_utf8_file_is_an_io_error() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"[scenario]\nname = \"caf\xe9\"\n").unwrap();
    let r = run(bloc().arg("check").arg(&path));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("latin1.toml:2:12: ") && r.stderr.contains("is not UTF-8 text (byte 22)"),
        "{}",
        r.stderr
    );
}

// Bug: config.rs computes `c.start + c.ramp_steps` in u32 for the overlap rule, which
// overflows (a panic in debug builds, a wrong result in release builds).
#[test]
fn check_schedule_with_huge_ramp_does_not_panic() {
    let dir = TempDir::new().unwrap();
    for table in ["legitimacy_schedule", "cop_schedule"] {
        let value = if table == "cop_schedule" {
            "density = 0.05"
        } else {
            "value = 0.5"
        };
        let text = format!(
            "[[{table}]]\nstart = 10\nramp_steps = 4294967295\n{value}\n\n\
             [[{table}]]\nstart = 20\n{value}\n"
        );
        let path = write(dir.path(), "ramp.toml", &text);
        let r = run(bloc().arg("check").arg(&path));
        assert_eq!(r.code, Some(1), "{table}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("{}:7:9: change starts at step 20", path.display())),
            "{table}: {}",
            r.stderr
        );
    }
}

fn json_of(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).expect("stdout is JSON")
}

#[test]
fn epstein_table() {
    let r = run(bloc().args(["epstein", "--runs", "3", "--steps", "50"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("Epstein (2002) Model I, Run 2 (paper's rules)\n")
    );
    assert!(
        r.stdout
            .contains("3 runs x 50 steps, seed 2002, scenario hash ")
    );
    assert!(r.stdout.contains("Per-run summaries"));
    assert!(r.stdout.contains("mean active share"));
    assert!(r.stdout.contains("Counts per step over runs"));
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn epstein_json() {
    let r = run(bloc().args([
        "epstein", "--runs", "3", "--steps", "50", "--format", "json",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let doc = json_of(&r);
    let meta = &doc["meta"];
    assert_eq!(meta["seed"], 2002);
    assert_eq!(meta["runs"], 3);
    assert_eq!(meta["steps"], 50);
    let hash = meta["scenario_hash"].as_str().expect("hash");
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    let steps = doc["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 51);
    for (i, s) in steps.iter().enumerate() {
        assert_eq!(s["step"], i);
        let total: f64 = ["quiet", "active", "jailed"]
            .iter()
            .map(|k| s[k]["mean"].as_f64().unwrap())
            .sum();
        assert!((total - 1120.0).abs() < 1e-6, "step {i}: {total}");
    }
    assert_eq!(steps[0]["active"]["mean"], 0.0);
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 3);
    for (i, run) in runs.iter().enumerate() {
        assert_eq!(run["run"], i);
        assert_eq!(run["citizens"], 1120);
        assert_eq!(run["cops"], 64);
    }
    assert_eq!(doc["scenario"]["lattice"]["width"], 40);
    assert!(doc.get("per_run_steps").is_none());
}

#[test]
fn epstein_csv() {
    let r = run(bloc().args(["epstein", "--runs", "3", "--steps", "50", "--format", "csv"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 52);
    assert!(lines[0].starts_with("step,quiet_mean,"), "{}", lines[0]);
    let width = lines[0].split(',').count();
    assert_eq!(width, 13);
    for (i, l) in lines[1..].iter().enumerate() {
        let cells: Vec<&str> = l.split(',').collect();
        assert_eq!(cells.len(), width, "{l}");
        assert_eq!(cells[0], i.to_string());
    }
    assert_eq!(lines[1], "0,1120,1120,1120,1120,0,0,0,0,0,0,0,0");
}

#[test]
fn epstein_per_run_csv() {
    let r = run(bloc().args([
        "epstein",
        "--runs",
        "3",
        "--steps",
        "50",
        "--per-run",
        "--format",
        "csv",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "run,step,quiet,active,jailed");
    let rows = &lines[1..];
    assert_eq!(rows.len(), 3 * 51);
    for (i, l) in rows.iter().enumerate() {
        let n: Vec<u64> = l.split(',').map(|c| c.parse().unwrap()).collect();
        assert_eq!(n.len(), 5, "{l}");
        assert_eq!(n[0], (i / 51) as u64, "{l}");
        assert_eq!(n[1], (i % 51) as u64, "{l}");
        assert_eq!(n[2] + n[3] + n[4], 1120, "{l}");
    }
}

#[test]
fn epstein_per_run_json_and_table() {
    let r = run(bloc().args([
        "epstein",
        "--runs",
        "2",
        "--steps",
        "10",
        "--per-run",
        "--format",
        "json",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let doc = json_of(&r);
    let series = doc["per_run_steps"].as_array().expect("per_run_steps");
    assert_eq!(series.len(), 2);
    assert!(
        series
            .iter()
            .all(|s| s.as_array().map(Vec::len) == Some(11))
    );
    assert!(doc.get("steps").is_none());

    let r = run(bloc().args(["epstein", "--runs", "2", "--steps", "10", "--per-run"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Per-run counts (quiet / active / jailed) at the last step")
    );
}

fn determinism_output(threads: &str, seed: &str) -> String {
    let r = run(bloc().args([
        "epstein",
        "--runs",
        "6",
        "--steps",
        "100",
        "--seed",
        seed,
        "--format",
        "json",
        "--threads",
        threads,
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    r.stdout
}

#[test]
fn epstein_output_does_not_depend_on_threads() {
    let one = determinism_output("1", "9");
    let doc: Value = serde_json::from_str(&one).expect("stdout is JSON");
    assert_eq!(doc["meta"]["seed"], 9);
    assert_eq!(doc["runs"].as_array().map(Vec::len), Some(6));
    for threads in ["2", "4"] {
        let other = determinism_output(threads, "9");
        assert!(one == other, "--threads {threads} changed the output");
    }
    let other_seed = determinism_output("2", "10");
    assert_ne!(one, other_seed, "a different seed gave the same output");
}

#[test]
fn epstein_out_writes_the_file() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("result.csv");
    let r = run(bloc()
        .args([
            "epstein", "--runs", "2", "--steps", "5", "--format", "csv", "--out",
        ])
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let written = std::fs::read_to_string(&out).unwrap();
    let stdout = run(bloc().args(["epstein", "--runs", "2", "--steps", "5", "--format", "csv"]));
    assert_eq!(written, stdout.stdout);
    assert_eq!(written.lines().count(), 7);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["result.csv"]);
}

#[test]
fn epstein_out_into_a_missing_directory_fails() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("no/such/dir/result.json");
    let r = run(bloc()
        .args([
            "epstein", "--runs", "1", "--steps", "5", "--format", "json", "--out",
        ])
        .arg(&out));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
    assert!(!out.exists());
    assert!(!dir.path().join("no").exists());
}

#[test]
fn epstein_invalid_config_leaves_the_output_file_alone() {
    let dir = TempDir::new().unwrap();
    let out = write(dir.path(), "result.json", "old");
    let config = write(
        dir.path(),
        "bad.toml",
        &edited(&[("legitimacy = 0.82", "legitimacy = 1.5")]),
    );
    let r = run(bloc()
        .args([
            "epstein", "--format", "json", "--runs", "1", "--steps", "5", "--config",
        ])
        .arg(&config)
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn epstein_invalid_config_is_reported_with_its_position() {
    let dir = TempDir::new().unwrap();
    let config = write(
        dir.path(),
        "bad.toml",
        &edited(&[("neighbourhood = \"cross\"", "neighbourhood = \"moore\"")]),
    );
    let r = run(bloc().args(["epstein", "--config"]).arg(&config));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let file = config.display().to_string();
    assert!(
        r.stderr
            .contains(&format!("{file}:33:17: unknown value \"moore\"")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(&format!("{file}: 1 problem found")));
}

#[test]
fn epstein_missing_config_is_an_io_error() {
    let dir = TempDir::new().unwrap();
    let r = run(bloc()
        .args(["epstein", "--config"])
        .arg(dir.path().join("nope.toml")));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
}

#[test]
fn epstein_overrides_are_checked_against_the_schedules() {
    let dir = TempDir::new().unwrap();
    let config = write(
        dir.path(),
        "sched.toml",
        &edited(&[(
            END,
            "min_calm_steps = 1\n\n[[legitimacy_schedule]]\nstart = 40\nvalue = 0.5\n",
        )]),
    );
    let ok = run(bloc()
        .args([
            "epstein", "--runs", "1", "--steps", "41", "--format", "csv", "--config",
        ])
        .arg(&config));
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    let r = run(bloc()
        .args(["epstein", "--runs", "1", "--steps", "40", "--config"])
        .arg(&config));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "with the overrides given, legitimacy_schedule[0].start: step 40 is past the end"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn schema_lists_the_tables() {
    let r = run(bloc().arg("schema"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let schema = json_of(&r);
    let props = schema["properties"].as_object().expect("properties");
    for key in [
        "scenario",
        "lattice",
        "population",
        "citizens",
        "cops",
        "variant",
        "legitimacy_schedule",
        "cop_schedule",
        "ensemble",
        "outburst",
    ] {
        assert!(props.contains_key(key), "missing {key}");
    }
    assert_eq!(props.len(), 10);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["epstein", "--runs", "0"][..],
        &["epstein", "--steps", "0"],
        &["epstein", "--every", "0"],
        &["epstein", "--format", "xml"],
        &["epstein", "--runs", "-3"],
        &["epstein", "--bogus"],
        &["check"],
        &["schema", "schelling"],
        &[],
    ] {
        let r = run(bloc().args(args));
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        assert!(!r.stderr.is_empty(), "{args:?}");
    }
    let r = run(bloc().args(["epstein", "--runs", "0"]));
    assert!(r.stderr.contains("--runs"), "{}", r.stderr);
}

#[test]
fn epstein_with_the_mesa_scenario() {
    let r = run(bloc().args([
        "epstein", "--runs", "2", "--steps", "20", "--format", "json", "--config", MESA,
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let doc = json_of(&r);
    assert_eq!(
        doc["meta"]["scenario_name"],
        "Mesa 3.3 epstein_civil_violence defaults"
    );
    assert_eq!(doc["meta"]["seed"], 42);
    assert_eq!(doc["meta"]["runs"], 2);
    assert_eq!(doc["meta"]["steps"], 20);
    assert_eq!(doc["steps"].as_array().map(Vec::len), Some(21));
    assert_eq!(doc["scenario"]["variant"]["neighbourhood"], "diamond");

    let r = run(bloc().args(["epstein", "--runs", "2", "--steps", "20", "--config", MESA]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("Mesa 3.3 epstein_civil_violence defaults\n")
    );
    assert!(r.stdout.contains("2 runs x 20 steps, seed 42"));
}

// ---------------------------------------------------------------------------------------
// bloc bargain

fn data(path: &str) -> String {
    format!("{}/../../data/bargain/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bargain_bdm_reproduces_the_emission_standards_run() {
    let r = run(bloc().args([
        "bargain",
        &data("bdm/emission_standards_bdm1994.csv"),
        "--format",
        "json",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let rounds = v["run"]["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 10);
    assert!((rounds[0]["median"].as_f64().unwrap() - 8.41593).abs() < 1e-4);
    assert_eq!(v["run"]["initial_median"].as_f64(), Some(7.0));
    let table = run(bloc().args(["bargain", &data("bdm/emission_standards_bdm1994.csv")]));
    assert!(
        table.stdout.contains("Belgium Compromise France -> 8.416"),
        "{}",
        table.stdout
    );
    let csv = run(bloc().args([
        "bargain",
        &data("bdm/argentina_eum.tsv"),
        "--format",
        "csv",
        "--rounds",
        "3",
    ]));
    assert!(
        csv.stdout
            .starts_with("round,actor,position,risk_exponent,offer,offer_from,median,mean\n")
    );
    assert_eq!(csv.stdout.lines().count(), 1 + 4 * 17);
}

#[test]
fn bargain_median_of_a_scaled_table() {
    let dir = TempDir::new().unwrap();
    let f = write(
        dir.path(),
        "t.csv",
        "Stakeholder,Clout,Position,Salience\nA,1,0,100\nB,1,10,100\nC,3,20,50\n",
    );
    let r = run(bloc().args([
        "bargain",
        f.to_str().unwrap(),
        "--model",
        "median",
        "--format",
        "csv",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // weights 1, 1, 1.5: half of 3.5 is reached at 10
    assert_eq!(r.stdout, "median,mean\n10.0000,11.4286\n");
}

#[test]
fn bargain_reports_bad_cells_with_line_and_column() {
    let dir = TempDir::new().unwrap();
    let f = write(
        dir.path(),
        "bad.csv",
        "Actor,Capability,Position,Salience\nA,1,0,0.5\nB,x,1,0.5\nC,1,2,-1\n",
    );
    let r = run(bloc().args(["bargain", f.to_str().unwrap()]));
    assert_eq!(r.code, Some(1));
    let name = f.display().to_string();
    assert!(
        r.stderr
            .contains(&format!("{name}:3:3: capability \"x\" is not a number")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("{name}:4:7: salience -1 is out of range")),
        "{}",
        r.stderr
    );
    let wrong = run(bloc().args(["bargain", &data("decide/sample_data.txt"), "--model", "bdm"]));
    assert_eq!(wrong.code, Some(2));
    assert!(wrong.stderr.contains("use --model exchange"));
}

#[test]
fn bargain_exchange_is_an_ensemble_independent_of_threads() {
    let args = |t: &str| {
        run(bloc().args([
            "bargain",
            &data("decide/sample_data.txt"),
            "--model",
            "exchange",
            "--runs",
            "8",
            "--seed",
            "3",
            "--format",
            "json",
            "--threads",
            t,
        ]))
    };
    let (a, b) = (args("1"), args("2"));
    assert_eq!(a.code, Some(0), "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    let v: Value = serde_json::from_str(&a.stdout).unwrap();
    let issues = v["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 6);
    let first = issues[0]["nbs_final"]["mean"].as_f64().unwrap();
    assert!((60.0..80.0).contains(&first), "{first}");
    let csv = run(bloc().args([
        "bargain",
        &data("decide/sample_data.txt"),
        "--model",
        "exchange",
        "--runs",
        "2",
        "--format",
        "csv",
    ]));
    assert_eq!(csv.stdout.lines().count(), 1 + 2 * 10 * 6);
}

/// Issue #16: a history case is checked as a case, and a mechanism parameter in it is
/// refused at its line (the one set of mechanism parameters is the flagship's).
#[test]
fn check_knows_history_cases_and_refuses_a_mechanism_table_in_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/history");
    let shipped = root.join("GDR1953.toml");
    let r = run(bloc().arg("check").arg(&shipped));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let text = std::fs::read_to_string(&shipped).unwrap();
    let line = text.lines().count() + 2;
    let dir = TempDir::new().unwrap();
    let bad = write(
        dir.path(),
        "case.toml",
        &format!("{text}\n[decision]\ndeference = {{ value = 0.1, source = \"x\" }}\n"),
    );
    let r = run(bloc().arg("check").arg(&bad));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("case.toml:{line}:")),
        "expected a problem at line {line}: {}",
        r.stderr
    );
}
