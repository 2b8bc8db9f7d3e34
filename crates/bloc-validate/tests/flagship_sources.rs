//! The flagship scenario's sources: every `record:` value agrees with the shipped record,
//! every source is given and every estimate says why, nothing after the start is an input,
//! the observed record merges as events after the start, and docs/model.md carries the
//! current parameter table.

use bloc_model::config::{EventKind, parse_date};
use bloc_model::overrides::merge_events;
use bloc_model::parameters::parameter_table;
use bloc_model::sourced::{SourceKind, source_kind};
use bloc_model::{BlocScenario, EASTERN_EUROPE_1989_TOML, OBSERVED_1989_EVENTS_TOML};
use bloc_validate::record::{Quantity, Record};
use serde_json::Value;

fn flagship() -> BlocScenario {
    BlocScenario::from_toml(EASTERN_EUROPE_1989_TOML).expect("the flagship parses")
}

/// Every `{ value, source }` table of a JSON tree, with its path.
fn sourced_values(path: &str, v: &Value, out: &mut Vec<(String, f64, String)>) {
    match v {
        Value::Object(m) => {
            if m.len() == 2
                && let (Some(value), Some(Value::String(source))) =
                    (m.get("value"), m.get("source"))
            {
                let x = value.as_f64().unwrap_or(f64::NAN);
                out.push((path.to_string(), x, source.clone()));
                return;
            }
            for (k, child) in m {
                sourced_values(&format!("{path}.{k}"), child, out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                sourced_values(&format!("{path}[{i}]"), child, out);
            }
        }
        _ => {}
    }
}

/// Every string under a key `source`, `travel_source` or `west_border_source` (where the
/// value it sources is given), with its path.
fn all_sources(path: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = format!("{path}.{k}");
                match (k.as_str(), child) {
                    ("source", Value::String(s)) => out.push((p, s.clone())),
                    ("travel_source", Value::String(s)) => {
                        let routes = m.get("travel_to").and_then(Value::as_array);
                        if routes.is_some_and(|r| !r.is_empty()) {
                            out.push((p, s.clone()));
                        }
                    }
                    ("west_border_source", Value::String(s)) => {
                        if m.get("west_border").is_some_and(|b| !b.is_null()) {
                            out.push((p, s.clone()));
                        }
                    }
                    _ => all_sources(&p, child, out),
                }
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                all_sources(&format!("{path}[{i}]"), child, out);
            }
        }
        _ => {}
    }
}

fn agrees(value: f64, q: &Quantity) -> bool {
    match q {
        Quantity::Number(x) => (value - x).abs() <= 1e-9 * x.abs(),
        Quantity::Range(a, b) => (*a..=*b).contains(&value),
        Quantity::Text(_) => false,
    }
}

/// (a) A `record:CTRY.variable` value is the record's: equal to its number or inside its range.
/// Where the record has several rows for the variable (different years), the value must agree
/// with one of them and the source must name that row's year.
#[test]
fn record_sources_agree_with_the_record() {
    let record = Record::load().expect("the record loads");
    let json = serde_json::to_value(flagship()).unwrap();
    let mut values = Vec::new();
    sourced_values("", &json, &mut values);
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, value, source) in &values {
        let SourceKind::Record { country, variable } = source_kind(source) else {
            continue;
        };
        checked += 1;
        let rows: Vec<_> = record
            .facts
            .iter()
            .filter(|f| f.country == country && f.variable == variable)
            .collect();
        if rows.is_empty() {
            problems.push(format!("{path}: the record has no {country}.{variable}"));
            continue;
        }
        let matching: Vec<_> = rows.iter().filter(|f| agrees(*value, &f.value)).collect();
        if matching.is_empty() {
            let given: Vec<String> = rows.iter().map(|f| format!("{:?}", f.value)).collect();
            problems.push(format!(
                "{path}: {value} disagrees with record {country}.{variable} = {}",
                given.join(" / ")
            ));
        } else if rows.len() > 1 && !matching.iter().any(|f| source.contains(f.year.as_str())) {
            problems.push(format!(
                "{path}: record {country}.{variable} has {} rows; the source must name the year of the one used ({})",
                rows.len(),
                matching.iter().map(|f| f.year.as_str()).collect::<Vec<_>>().join(" or ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Populations and troops of all six countries at least.
    assert!(checked >= 12, "only {checked} record: sources");
}

/// (b) Every source is given, and an estimate says why.
#[test]
fn every_source_is_given_and_every_estimate_has_a_reason() {
    let json = serde_json::to_value(flagship()).unwrap();
    let mut sources = Vec::new();
    all_sources("", &json, &mut sources);
    assert!(sources.len() > 300, "only {} sources found", sources.len());
    let mut problems = Vec::new();
    for (path, source) in &sources {
        if source.trim().is_empty() {
            problems.push(format!("{path}: empty source"));
        } else if let Some(rest) = source.strip_prefix("estimate") {
            let reason = rest.trim_start_matches(':').trim();
            if reason.len() <= 15 {
                problems.push(format!("{path}: estimate without a reason: \"{source}\""));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// (c) Only what was known on the start day is an input: every event is dated before the
/// start, except the Polish Round Table opening on the start day.
#[test]
fn flagship_events_are_known_at_the_start() {
    let s = flagship();
    let start = parse_date(&s.scenario.start).unwrap();
    assert!(!s.events.is_empty());
    for (i, e) in s.events.iter().enumerate() {
        let date = parse_date(&e.date).unwrap();
        assert!(
            date < start || (date == start && e.kind == EventKind::RoundTable),
            "events[{i}] ({} {} {:?}) is not known on {}",
            e.date,
            e.country,
            e.kind,
            s.scenario.start
        );
    }
}

/// (d) The observed record merges onto the flagship, and all of it comes after the start.
#[test]
fn observed_events_merge_and_come_after_the_start() {
    let s = flagship();
    let merged = merge_events(&s, OBSERVED_1989_EVENTS_TOML).expect("the observed events merge");
    let start = parse_date(&s.scenario.start).unwrap();
    let observed = &merged.events[s.events.len()..];
    assert!(
        observed.len() >= 10,
        "only {} observed events",
        observed.len()
    );
    for e in observed {
        let date = parse_date(&e.date).unwrap();
        assert!(
            date > start,
            "observed event {} {} {:?} is not after the start",
            e.date,
            e.country,
            e.kind
        );
    }
    // Each of the six regimes falls on the record's regime_fall_date.
    let record = Record::load().unwrap();
    for c in &s.countries {
        let fall = record
            .outcome(&c.id)
            .and_then(|o| o.columns.iter().find(|(k, _)| k == "regime_fall_date"))
            .map(|(_, v)| v.clone())
            .unwrap();
        assert!(
            observed
                .iter()
                .any(|e| e.kind == EventKind::RegimeFalls && e.country == c.id && e.date == fall),
            "no regime_falls event for {} on {fall}",
            c.id
        );
    }
}

/// Every `event:DATE CTRY` source, in the flagship and in the observed file, names a row of
/// the record's timeline.
#[test]
fn event_sources_name_rows_of_the_timeline() {
    let record = Record::load().unwrap();
    let s = flagship();
    let merged = merge_events(&s, OBSERVED_1989_EVENTS_TOML).unwrap();
    let json = serde_json::to_value(&merged).unwrap();
    let mut sources = Vec::new();
    all_sources("", &json, &mut sources);
    let mut problems = Vec::new();
    for (path, source) in &sources {
        let SourceKind::Event(rest) = source_kind(source) else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let (Some(date), Some(country)) = (words.next(), words.next()) else {
            problems.push(format!("{path}: \"{source}\" is not event:DATE CTRY"));
            continue;
        };
        if !record
            .events
            .iter()
            .any(|e| e.date == date && e.country == country)
        {
            problems.push(format!("{path}: the timeline has no row {date} {country}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// (e) docs/model.md carries the parameter table of the current flagship.
#[test]
fn the_documented_parameter_table_is_current() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/model.md"))
        .expect("docs/model.md");
    let (start, end) = (
        "<!-- parameter-table:start -->",
        "<!-- parameter-table:end -->",
    );
    let from = doc.find(start).expect("the start marker") + start.len();
    let to = doc.find(end).expect("the end marker");
    let documented = doc[from..to].trim();
    let current = parameter_table(&flagship());
    assert!(
        documented == current.trim(),
        "docs/model.md's parameter table is stale: run `cargo run -p bloc-model --example parameter_table` and paste its output between the markers"
    );
}
