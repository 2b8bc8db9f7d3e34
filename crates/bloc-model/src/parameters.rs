//! The parameter table of a bloc scenario: every sourced value with its source, in the order
//! of the file, as Markdown (docs/model.md prints the flagship's; a test keeps it in step).
//!
//! The table is read from the scenario's serialized form, so a field added to the format
//! appears in it without a change here. Paths are dotted; an element of a list is named by
//! its `id` (countries), `role` (actors) or `name` (cohorts) where it has one, so a value
//! reads `countries.GDR.actors.reformers.position`. Besides the `{ value, source }` pairs the
//! table lists the attention weights (the row's source), the exit routes (`travel_source`)
//! and borders with the West (`west_border_source`, where given),
//! the lever schedule, the dated events, and the structural settings that carry no source
//! field (clock, ensemble, mechanisms, lattice, the reading of Model I, the decision rule,
//! the doctrine).
//!
//! [`sourced_values`] lists the same numeric values as data, with their type, for tools that
//! vary them (`bloc sensitivity`).

use super::config::BlocScenario;
use serde::Serialize;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Source column of a setting that has no source field in the format.
const STRUCTURAL: &str = "structural setting (no source field)";

/// Scalar settings listed although they carry no source.
const STRUCTURAL_PATHS: [&str; 9] = [
    "scenario.start",
    "scenario.weeks",
    "ensemble.runs",
    "ensemble.master_seed",
    "citizens.lattice_width",
    "citizens.lattice_height",
    "decision.rule",
    "decision.round_table_rounds",
    "centre.doctrine",
];

/// Tables summarized in one row (all their keys are settings without a source).
const SUMMARIZED_PATHS: [&str; 2] = ["mechanisms", "citizens.variant"];

/// A JSON value that keeps the order of an object's keys (serde_json's `Value` sorts them).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(String),
    List(Vec<Node>),
    Table(Vec<(String, Node)>),
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Table(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Node::Text(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar as it is printed in the table.
    fn show(&self) -> String {
        match self {
            Node::Null => "-".to_string(),
            Node::Bool(b) => b.to_string(),
            Node::Unsigned(x) => x.to_string(),
            Node::Signed(x) => x.to_string(),
            Node::Float(x) => x.to_string(),
            Node::Text(s) => s.clone(),
            Node::List(items) => items.iter().map(Node::show).collect::<Vec<_>>().join(", "),
            Node::Table(entries) => entries
                .iter()
                .map(|(k, v)| format!("{k} = {}", v.show()))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Whether this is a sourced value: a table of exactly `value` and `source`.
    fn is_sourced(&self) -> bool {
        match self {
            Node::Table(entries) => {
                let has = |key: &str| entries.iter().any(|(k, _)| k == key);
                has("value") && has("source") && entries.len() == 2 + usize::from(has("prior"))
            }
            _ => false,
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Unsigned(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Signed(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            entries.push((k, v));
        }
        Ok(Node::Table(entries))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// One row of the table.
struct Row {
    parameter: String,
    value: String,
    /// The prior as written (`beta(8, 2)`), empty for none.
    prior: String,
    source: String,
}

/// A prior as the table shows it: `beta(8, 2)`.
fn show_prior(node: &Node) -> String {
    match node {
        Node::Table(entries) => entries
            .iter()
            .map(|(k, v)| format!("{k}({})", v.show()))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.show(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The name of list element `i` in a path: its id, role or name, else its index.
fn element_name(path: &str, i: usize, item: &Node) -> String {
    for key in ["id", "role", "name"] {
        if let Some(name) = item.get(key).and_then(Node::text) {
            return join(path, name);
        }
    }
    format!("{path}[{i}]")
}

/// The rows of the dated events: date, country and kind, the value (or doctrine), the source.
fn event_rows(items: &[Node], rows: &mut Vec<Row>) {
    for (i, e) in items.iter().enumerate() {
        let field = |k: &str| e.get(k).map_or_else(String::new, Node::show);
        let value = match (e.get("value"), e.get("doctrine")) {
            (Some(v), _) if *v != Node::Null => v.show(),
            (_, Some(d)) if *d != Node::Null => d.show(),
            _ => "-".to_string(),
        };
        rows.push(Row {
            prior: String::new(),
            parameter: format!(
                "events[{i}] {} {} {}",
                field("date"),
                field("country"),
                field("kind")
            ),
            value,
            source: field("source"),
        });
    }
}

/// The rows of the lever schedule: each use's intensity, with its source.
fn schedule_rows(items: &[Node], rows: &mut Vec<Row>) {
    for (i, u) in items.iter().enumerate() {
        let field = |k: &str| u.get(k).map_or_else(String::new, Node::show);
        rows.push(Row {
            prior: String::new(),
            parameter: format!(
                "lever_schedule[{i}] {} {} from {} for {} weeks (intensity)",
                field("lever"),
                field("country"),
                field("start"),
                field("weeks")
            ),
            value: field("intensity"),
            source: field("source"),
        });
    }
}

fn walk(path: &str, node: &Node, rows: &mut Vec<Row>) {
    if node.is_sourced() {
        rows.push(Row {
            prior: node.get("prior").map_or_else(String::new, show_prior),
            parameter: path.to_string(),
            value: node.get("value").map_or_else(String::new, Node::show),
            source: node.get("source").map_or_else(String::new, Node::show),
        });
        return;
    }
    if SUMMARIZED_PATHS.contains(&path) {
        rows.push(Row {
            prior: String::new(),
            parameter: path.to_string(),
            value: summary(path, node),
            source: STRUCTURAL.to_string(),
        });
        return;
    }
    match node {
        Node::Table(entries) => {
            if let (Some(Node::Table(weights)), Some(source)) =
                (node.get("weights"), node.get("source"))
            {
                // An attention row: each weight with the row's source.
                for (observed, w) in weights {
                    rows.push(Row {
                        prior: String::new(),
                        parameter: join(&join(path, "weights"), observed),
                        value: w.show(),
                        source: source.show(),
                    });
                }
                return;
            }
            for (key, value) in entries {
                match key.as_str() {
                    "travel_source" | "west_border_source" => {}
                    "west_border" if matches!(value, Node::Null) => {}
                    "west_border" => rows.push(Row {
                        prior: String::new(),
                        parameter: join(path, key),
                        value: value.show(),
                        source: node
                            .get("west_border_source")
                            .map_or_else(String::new, Node::show),
                    }),
                    "travel_to" => {
                        if matches!(value, Node::List(items) if !items.is_empty()) {
                            rows.push(Row {
                                prior: String::new(),
                                parameter: join(path, key),
                                value: value.show(),
                                source: node
                                    .get("travel_source")
                                    .map_or_else(String::new, Node::show),
                            });
                        }
                    }
                    _ => walk(&join(path, key), value, rows),
                }
            }
        }
        Node::List(items) if path == "events" => event_rows(items, rows),
        Node::List(items) if path == "lever_schedule" => schedule_rows(items, rows),
        Node::List(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(&element_name(path, i, item), item, rows);
            }
        }
        _ => {
            if STRUCTURAL_PATHS.contains(&path) {
                rows.push(Row {
                    prior: String::new(),
                    parameter: path.to_string(),
                    value: node.show(),
                    source: STRUCTURAL.to_string(),
                });
            }
        }
    }
}

/// One line for a table of switches or readings: "all on", the switches that are off, or
/// `key = value` pairs.
fn summary(path: &str, node: &Node) -> String {
    let Node::Table(entries) = node else {
        return node.show();
    };
    if path == "mechanisms" {
        let off: Vec<&str> = entries
            .iter()
            .filter(|(_, v)| *v == Node::Bool(false))
            .map(|(k, _)| k.as_str())
            .collect();
        return if off.is_empty() {
            "all on".to_string()
        } else {
            format!("off: {}", off.join(", "))
        };
    }
    node.show()
}

/// Makes a cell safe inside a Markdown table row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The Markdown table `| parameter | value | prior | source |` of every sourced value of `s` in file
/// order, with the attention weights, exit routes, lever schedule, events and structural
/// settings (see the module documentation). Ends with a newline.
pub fn parameter_table(s: &BlocScenario) -> String {
    let json = serde_json::to_string(s).expect("a scenario serializes to JSON");
    let root: Node = serde_json::from_str(&json).expect("JSON reads back");
    let mut rows = Vec::new();
    walk("", &root, &mut rows);
    let mut out =
        String::from("| parameter | value | prior | source |\n| --- | --- | --- | --- |\n");
    for r in rows {
        let prior = if r.prior.is_empty() { "-" } else { &r.prior };
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(&r.parameter),
            cell(&r.value),
            cell(prior),
            cell(&r.source)
        ));
    }
    out
}

/// The type of a sourced value, which fixes the range its value may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A share or probability in [0, 1] ([`super::sourced::Fraction`]; also the attention
    /// weights and lever intensities, checked to lie in [0, 1]).
    Fraction,
    /// A non-negative real number ([`super::sourced::Amount`]).
    Amount,
    /// A real number in [-1, 1] ([`super::sourced::Shift`]).
    Shift,
    /// A position on the liberalization scale 0-100 ([`super::sourced::Position`]).
    Position,
    /// A whole number ([`super::sourced::Count`]).
    Count,
}

impl ValueKind {
    /// The smallest and largest values the format accepts (the JSON Schema's range).
    pub fn bounds(self) -> (f64, f64) {
        match self {
            ValueKind::Fraction => (0.0, 1.0),
            ValueKind::Amount => (0.0, 1.0e12),
            ValueKind::Shift => (-1.0, 1.0),
            ValueKind::Position => (0.0, 100.0),
            ValueKind::Count => (0.0, 1.0e10),
        }
    }

    /// A TOML literal of value `v` of this kind, as `--set` takes it: a Count rounded to a
    /// whole number; any other kind as the shortest text that reads back to the same f64
    /// (Debug's, with a decimal point or an exponent, which TOML reads as a float).
    pub fn literal(self, v: f64) -> String {
        if self == ValueKind::Count {
            format!("{}", v.round() as u64)
        } else {
            format!("{v:?}")
        }
    }

    /// The type's name in the format (`Fraction`, `Amount`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ValueKind::Fraction => "Fraction",
            ValueKind::Amount => "Amount",
            ValueKind::Shift => "Shift",
            ValueKind::Position => "Position",
            ValueKind::Count => "Count",
        }
    }

    fn of_definition(name: &str) -> Option<ValueKind> {
        [
            ValueKind::Fraction,
            ValueKind::Amount,
            ValueKind::Shift,
            ValueKind::Position,
            ValueKind::Count,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// One numeric parameter of a scenario with its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcedValue {
    /// Its path, as in the parameter table and as `--set` takes it
    /// (`countries.GDR.actors.reformers.position`, `attention.GDR.weights.POL`).
    pub path: String,
    /// Its value.
    pub value: f64,
    /// Its source.
    pub source: String,
    /// Its type.
    pub kind: ValueKind,
    /// Its prior, if the file gives one.
    pub prior: Option<super::sourced::Prior>,
    /// Where it is in the file: its path with list elements by index
    /// (`countries[2].legitimacy`), as [`bloc_base::document::SemanticProblems`] takes it.
    pub location: String,
}

/// The schema a `$ref` points to, with the name of its definition.
fn resolve<'a>(
    schema: &'a serde_json::Value,
    root: &'a serde_json::Value,
) -> (&'a serde_json::Value, Option<&'a str>) {
    let mut schema = schema;
    // An optional value is `anyOf: [{$ref}, {type: null}]`: follow the branch that is not null.
    if let Some(branches) = schema.get("anyOf").and_then(serde_json::Value::as_array)
        && let Some(b) = branches
            .iter()
            .find(|b| b.get("type").and_then(serde_json::Value::as_str) != Some("null"))
    {
        schema = b;
    }
    match schema
        .get("$ref")
        .and_then(serde_json::Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        Some(name) => (
            root.get("$defs")
                .and_then(|d| d.get(name))
                .unwrap_or(&serde_json::Value::Null),
            Some(name),
        ),
        None => (schema, None),
    }
}

/// The kind of an event's value, by the event's kind (see `config::EventKind`).
fn event_value_kind(kind: &str) -> Option<ValueKind> {
    match kind {
        "statement" | "legitimacy_shock" | "hardship_shock" => Some(ValueKind::Shift),
        "election" => Some(ValueKind::Fraction),
        "policy_floor" => Some(ValueKind::Position),
        _ => None,
    }
}

/// A number of the exact serialized value (`serde_json::to_value` keeps every f64 as it is;
/// reading JSON text back may be one unit in the last place off).
fn exact_number(v: Option<&serde_json::Value>) -> Option<f64> {
    v.and_then(serde_json::Value::as_f64)
}

/// Walks `node` (for the file order of keys) beside `exact` (the same value as serde_json
/// holds it, for exact numbers) and `schema` (for the types).
fn walk_sourced(
    path: &str,
    at: &str,
    node: &Node,
    exact: &serde_json::Value,
    schema: &serde_json::Value,
    root: &serde_json::Value,
    out: &mut Vec<SourcedValue>,
) {
    let (schema, definition) = resolve(schema, root);
    if node.is_sourced() {
        if let (Some(kind), Some(value)) = (
            definition.and_then(ValueKind::of_definition),
            exact_number(exact.get("value")),
        ) {
            out.push(SourcedValue {
                path: path.to_string(),
                value,
                source: node.get("source").map_or_else(String::new, Node::show),
                kind,
                prior: exact
                    .get("prior")
                    .and_then(|p| serde_json::from_value(p.clone()).ok()),
                location: at.to_string(),
            });
        }
        return;
    }
    let field = |n: &Node, k: &str| n.get(k).map_or_else(String::new, Node::show);
    match node {
        Node::Table(entries) => {
            if let (Some(Node::Table(weights)), Some(_)) = (node.get("weights"), node.get("source"))
            {
                // An attention row: each weight (checked to lie in [0, 1]) with the row's source.
                for (observed, _) in weights {
                    let w = exact.get("weights").and_then(|w| w.get(observed));
                    if let Some(value) = exact_number(w) {
                        out.push(SourcedValue {
                            path: join(&join(path, "weights"), observed),
                            value,
                            source: field(node, "source"),
                            kind: ValueKind::Fraction,
                            prior: None,
                            location: join(&join(at, "weights"), observed),
                        });
                    }
                }
                return;
            }
            for (key, value) in entries {
                let child = schema
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| schema.get("additionalProperties"))
                    .unwrap_or(&serde_json::Value::Null);
                let exact_child = exact.get(key).unwrap_or(&serde_json::Value::Null);
                walk_sourced(
                    &join(path, key),
                    &join(at, key),
                    value,
                    exact_child,
                    child,
                    root,
                    out,
                );
            }
        }
        Node::List(items) => {
            let item_schema = schema.get("items").unwrap_or(&serde_json::Value::Null);
            for (i, item) in items.iter().enumerate() {
                let exact_item = exact.get(i).unwrap_or(&serde_json::Value::Null);
                let numbered = format!("{at}[{i}]");
                let (key, kind) = match path {
                    "lever_schedule" => ("intensity", Some(ValueKind::Fraction)),
                    "events" => ("value", event_value_kind(&field(item, "kind"))),
                    _ => {
                        let name = element_name(path, i, item);
                        walk_sourced(&name, &numbered, item, exact_item, item_schema, root, out);
                        continue;
                    }
                };
                if let (Some(kind), Some(value)) = (kind, exact_number(exact_item.get(key))) {
                    out.push(SourcedValue {
                        path: join(&numbered, key),
                        value,
                        source: field(item, "source"),
                        kind,
                        prior: None,
                        location: join(&numbered, key),
                    });
                }
            }
        }
        _ => {}
    }
}

/// Every numeric parameter of `s` that carries a source, in file order, with its type:
/// the `{ value, source }` pairs (their type read from the JSON Schema), the attention
/// weights (with their row's source), the lever schedule's intensities and the values of
/// dated events (with the event's source). Paths name list elements as the parameter table
/// does, and `bloc forecast --set PATH=VALUE` accepts them.
pub fn sourced_values(s: &BlocScenario) -> Vec<SourcedValue> {
    let json = serde_json::to_string(s).expect("a scenario serializes to JSON");
    let root: Node = serde_json::from_str(&json).expect("JSON reads back");
    let exact = serde_json::to_value(s).expect("a scenario serializes to JSON");
    let schema = bloc_base::document::schema_json::<BlocScenario>();
    let mut out = Vec::new();
    walk_sourced("", "", &root, &exact, &schema, &schema, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EASTERN_EUROPE_1989_TOML, TWO_ALLIES_TOML};

    /// Counts the `{ value, source }` tables (with or without a `prior`) of a scenario
    /// through serde_json's own `Value`.
    fn sourced_count(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Object(m) => {
                let keys_of_a_value = m
                    .keys()
                    .all(|k| ["value", "source", "prior"].contains(&k.as_str()));
                if keys_of_a_value && m.contains_key("value") && m.contains_key("source") {
                    1
                } else {
                    m.values().map(sourced_count).sum()
                }
            }
            serde_json::Value::Array(a) => a.iter().map(sourced_count).sum(),
            _ => 0,
        }
    }

    #[test]
    fn every_sourced_value_has_a_row_in_file_order() {
        for text in [EASTERN_EUROPE_1989_TOML, TWO_ALLIES_TOML] {
            let s = BlocScenario::from_toml(text).unwrap();
            let json: Node = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
            let mut rows = Vec::new();
            walk("", &json, &mut rows);
            let sourced = rows
                .iter()
                .filter(|r| !r.source.starts_with(STRUCTURAL))
                .filter(|r| !r.parameter.contains(".weights."))
                .filter(|r| !r.parameter.ends_with(".travel_to"))
                .filter(|r| !r.parameter.ends_with(".west_border"))
                .filter(|r| !r.parameter.starts_with("events["))
                .filter(|r| !r.parameter.starts_with("lever_schedule["))
                .count();
            assert_eq!(sourced, sourced_count(&serde_json::to_value(&s).unwrap()));
            // File order: the header first, the report last.
            assert_eq!(rows.first().unwrap().parameter, "scenario.start");
            assert!(rows.last().unwrap().parameter.starts_with("report."));
        }
    }

    #[test]
    fn paths_name_countries_actors_and_cohorts() {
        let s = BlocScenario::from_toml(EASTERN_EUROPE_1989_TOML).unwrap();
        let table = parameter_table(&s);
        for path in [
            "| countries.GDR.legitimacy |",
            "| countries.GDR.actors.reformers.position |",
            "| cohorts.youth.share |",
            "| attention.GDR.weights.POL |",
            "| countries.GDR.travel_to |",
            "| citizens.lattice_width | 20 |",
            "| centre.doctrine | external_armed_interference_only |",
            "| mechanisms | all on |",
        ] {
            assert!(table.contains(path), "{path} missing");
        }
        assert!(
            table
                .lines()
                .all(|l| l.starts_with("| ") && l.ends_with(" |"))
        );
    }
}
