//! Changing a scenario from the command line: `--set key.path=value` and `--events FILE`.
//!
//! An override edits the scenario's TOML tree and the result is read again with every
//! check of a file, so an override is validated exactly like the file. Paths are dotted;
//! an array element is named by index (`countries[2]`) or, in arrays of tables with an
//! `id`, by id (`countries.GDR`). Setting a sourced value (`{ value, source }`) directly
//! sets its `value` and records the override as its source.

use super::config::{BlocScenario, Event};
use bloc_base::diagnostics::Diagnostics;
use bloc_base::document::{Checked, SemanticProblems, closest, locate_problems, parse};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::{Table, Value};

/// Why an override could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--set {assignment}: {message}")]
pub struct OverrideError {
    /// The assignment as given.
    pub assignment: String,
    /// What is wrong.
    pub message: String,
    /// Whether the assignment itself is malformed (no `=`, a value on several lines, a number
    /// TOML cannot hold): a usage error, where a path the scenario lacks is bad input.
    pub malformed: bool,
}

/// The scenario `text` with the assignments `set`, read with every check of a file; an
/// error names the first problem by its path (a scenario at a calibrated or sampled point,
/// where one line says what went wrong).
pub fn scenario_with(text: &str, set: &[String]) -> Result<BlocScenario, String> {
    let t = apply_overrides(text, set).map_err(|e| e.to_string())?;
    BlocScenario::from_toml(&t).map_err(|d| first_problem(&d))
}

/// The first problem of a diagnostics list, with its path.
pub fn first_problem(d: &Diagnostics) -> String {
    d.iter()
        .next()
        .map(|p| format!("{}: {}", p.path, p.summary()))
        .unwrap_or_default()
}

/// Applies `key.path=value` assignments to scenario text and returns the new text.
pub fn apply_overrides(text: &str, assignments: &[String]) -> Result<String, OverrideError> {
    if assignments.is_empty() {
        return Ok(text.to_string());
    }
    let mut table: Table = toml::from_str(text).map_err(|e| OverrideError {
        assignment: String::new(),
        message: format!("the scenario is not valid TOML: {}", e.message()),
        malformed: false,
    })?;
    for a in assignments {
        let err = |malformed: bool| {
            move |message: String| OverrideError {
                assignment: a.clone(),
                message,
                malformed,
            }
        };
        let (path, raw) = a
            .split_once('=')
            .ok_or_else(|| err(true)("expected key.path=value".into()))?;
        let value = parse_value(raw.trim()).map_err(err(true))?;
        set_path(&mut table, path.trim(), value, a).map_err(err(false))?;
    }
    toml::to_string(&table).map_err(|e| OverrideError {
        assignment: String::new(),
        message: e.to_string(),
        malformed: false,
    })
}

/// A `--set` value as TOML: a number, boolean, string, array or inline table; a bare word
/// is a string. A value on several lines, or a number TOML cannot hold, is refused (a
/// second line used to be dropped, and an overflowing integer read as a string).
fn parse_value(raw: &str) -> Result<Value, String> {
    if raw.contains(['\n', '\r']) {
        return Err("the value must be on one line".into());
    }
    match toml::from_str::<Table>(&format!("v = {raw}")) {
        Ok(mut t) => Ok(t.remove("v").unwrap_or(Value::String(raw.into()))),
        Err(_) if looks_numeric(raw) => Err(format!(
            "\"{raw}\" is not a number bloc can read: integers from {} to {}, or a decimal",
            i64::MIN,
            i64::MAX
        )),
        Err(_) => Ok(Value::String(raw.to_string())),
    }
}

/// Whether `raw` has a number's shape: an optional sign, a digit, then digits, `_`, `.` and
/// an exponent (`e`, `E`, a sign only right after it). A word that merely starts with a
/// digit (`1989 rerun`, `1990-01`) is not a number and stays a string.
fn looks_numeric(raw: &str) -> bool {
    let body = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut previous = ' ';
    body.chars().all(|c| {
        let ok = c.is_ascii_digit()
            || matches!(c, '_' | '.' | 'e' | 'E')
            || (matches!(c, '+' | '-') && matches!(previous, 'e' | 'E'));
        previous = c;
        ok
    })
}

fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        while let Some(open) = rest.find('[') {
            if open > 0 {
                out.push(rest[..open].to_string());
            }
            let close = rest[open..].find(']').map_or(rest.len(), |c| open + c);
            out.push(rest[open..=close.min(rest.len() - 1)].to_string());
            rest = &rest[(close + 1).min(rest.len())..];
        }
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

fn set_path(root: &mut Table, path: &str, value: Value, assignment: &str) -> Result<(), String> {
    let segs = segments(path);
    if segs.is_empty() {
        return Err("empty key path".into());
    }
    let current: &mut Value = &mut Value::Table(std::mem::take(root));
    // Walk with an owned root so that we can put it back.
    let result = walk(current, &segs, value, assignment);
    if let Value::Table(t) = std::mem::replace(current, Value::Boolean(false)) {
        *root = t;
    }
    result
}

fn walk(node: &mut Value, segs: &[String], value: Value, assignment: &str) -> Result<(), String> {
    let (head, tail) = (&segs[0], &segs[1..]);
    let child: &mut Value = if let Some(index) = head.strip_prefix('[') {
        let i: usize = index
            .trim_end_matches(']')
            .parse()
            .map_err(|_| format!("\"{head}\" is not an array index"))?;
        let arr = node
            .as_array_mut()
            .ok_or_else(|| format!("\"{head}\" indexes something that is not an array"))?;
        let len = arr.len();
        arr.get_mut(i)
            .ok_or_else(|| format!("index {i} is out of range (the array has {len} elements)"))?
    } else {
        match node {
            Value::Table(t) => {
                if !t.contains_key(head.as_str()) {
                    let near = closest(head, t.keys().map(String::as_str));
                    if tail.is_empty() {
                        t.insert(head.clone(), Value::Boolean(false));
                    } else if let Some(c) = near {
                        return Err(format!("no key \"{head}\" (did you mean \"{c}\"?)"));
                    } else {
                        // A table the file leaves at its defaults (e.g. [mechanisms]): create
                        // it; reading the result again checks that the key exists.
                        t.insert(head.clone(), Value::Table(Table::new()));
                    }
                }
                t.get_mut(head.as_str()).expect("present")
            }
            Value::Array(arr) => {
                // Elements are named by their `id` (countries), `role` (actors) or `name`
                // (cohorts).
                let name_of = |v: &Value| {
                    ["id", "role", "name"]
                        .iter()
                        .find_map(|k| v.get(*k).and_then(Value::as_str))
                        .map(str::to_string)
                };
                let ids: Vec<String> = arr.iter().filter_map(name_of).collect();
                let pos = arr
                    .iter()
                    .position(|v| name_of(v).as_deref() == Some(head.as_str()));
                match pos {
                    Some(p) => &mut arr[p],
                    None => {
                        return Err(format!(
                            "no element with id \"{head}\" (ids: {})",
                            ids.join(", ")
                        ));
                    }
                }
            }
            _ => return Err(format!("\"{head}\" is inside a value that is not a table")),
        }
    };
    if tail.is_empty() {
        match child {
            Value::Table(t) if t.contains_key("value") && t.contains_key("source") => {
                t.insert("value".into(), value);
                t.insert(
                    "source".into(),
                    Value::String(format!("override: --set {assignment}")),
                );
            }
            _ => *child = value,
        }
        return Ok(());
    }
    walk(child, tail, value, assignment)
}

/// An events file: dated events to replay on top of a scenario (`bloc forecast --events`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventsFile {
    /// What the file records.
    #[serde(default)]
    pub description: String,
    /// The events.
    pub events: Vec<Event>,
}

impl Checked for EventsFile {
    /// Every rule of an event (dates, values, countries) needs the scenario; they are checked
    /// all at once by [`merge_events`].
    fn check(&self, _p: &mut SemanticProblems) {}
}

/// Adds the events of an events file to a scenario; problems are located in the events file.
pub fn merge_events(
    scenario: &BlocScenario,
    events_text: &str,
) -> Result<BlocScenario, Diagnostics> {
    let file: EventsFile = parse(events_text)?;
    let offset = scenario.events.len();
    let mut merged = scenario.clone();
    merged.events.extend(file.events);
    let mut problems = SemanticProblems::default();
    merged.check(&mut problems);
    let mine: Vec<(String, String, String)> = problems
        .into_vec()
        .into_iter()
        .filter_map(|(path, msg, exp)| {
            let rest = path.strip_prefix("events[")?;
            let (idx, tail) = rest.split_once(']')?;
            let i: usize = idx.parse().ok()?;
            (i >= offset).then(|| (format!("events[{}]{tail}", i - offset), msg, exp))
        })
        .collect();
    if mine.is_empty() {
        Ok(merged)
    } else {
        Err(locate_problems(events_text, mine))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_keys_and_indices() {
        assert_eq!(segments("a.b[2].c"), vec!["a", "b", "[2]", "c"]);
        assert_eq!(
            segments("countries.GDR.legitimacy"),
            vec!["countries", "GDR", "legitimacy"]
        );
    }

    #[test]
    fn sets_values_by_path_and_id() {
        let text = "[x]\ny = 1\n[[countries]]\nid = \"A\"\nl = { value = 0.5, source = \"s\" }\n";
        let out = apply_overrides(text, &["x.y=2".into(), "countries.A.l=0.25".into()]).unwrap();
        let t: Table = toml::from_str(&out).unwrap();
        assert_eq!(t["x"]["y"].as_integer(), Some(2));
        assert_eq!(t["countries"][0]["l"]["value"].as_float(), Some(0.25));
        assert!(
            t["countries"][0]["l"]["source"]
                .as_str()
                .unwrap()
                .starts_with("override")
        );
        let e = apply_overrides(text, &["countries.B.l=1".into()]).unwrap_err();
        assert!(e.message.contains("no element with id \"B\""), "{e}");
        let e = apply_overrides(text, &["xx.y=1".into()]).unwrap_err();
        assert!(e.message.contains("did you mean \"x\""), "{e}");
        let out = apply_overrides(text, &["mechanisms.exit=false".into()]).unwrap();
        let t: Table = toml::from_str(&out).unwrap();
        assert_eq!(t["mechanisms"]["exit"].as_bool(), Some(false));
        let text2 = "[[countries]]\nid = \"A\"\n[[countries.actors]]\nrole = \"army\"\nx = 1\n";
        let out = apply_overrides(text2, &["countries.A.actors.army.x=2".into()]).unwrap();
        let t: Table = toml::from_str(&out).unwrap();
        assert_eq!(t["countries"][0]["actors"][0]["x"].as_integer(), Some(2));
        let e = apply_overrides(text, &["novalue".into()]).unwrap_err();
        assert!(e.message.contains("key.path=value"), "{e}");
    }
}
