//! The sourced record of 1989 shipped in `data/1989/` (copied unchanged from the project's
//! shared data; its README explains every column and marks estimates): country facts, the
//! timeline of events and the observed outcomes, embedded so that a forecast's scenario and
//! `bloc validate`'s hindcast work on a machine without the shared folder.
//!
//! The flagship scenario may take from this record only what was known on its start date;
//! later events and the outcomes are what a hindcast is scored against, never inputs.

use serde::{Deserialize, Serialize};

const COUNTRIES_CSV: &str = include_str!("../../../data/1989/countries_1989.csv");
const EVENTS_CSV: &str = include_str!("../../../data/1989/events_1989.csv");
const OUTCOMES_CSV: &str = include_str!("../../../data/1989/outcomes_1989.csv");

/// A value of the record: a number, a range given as `a to b` (sources disagree), or text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Quantity {
    /// A single number.
    Number(f64),
    /// A range `a to b`, both ends sourced.
    Range(f64, f64),
    /// Anything else (names, lists, qualitative statements), verbatim.
    Text(String),
}

impl Quantity {
    /// Reads a value as the record writes it.
    pub fn parse(raw: &str) -> Quantity {
        let raw = raw.trim();
        if let Ok(x) = raw.parse::<f64>() {
            return Quantity::Number(x);
        }
        if let Some((a, b)) = raw.split_once(" to ")
            && let (Ok(a), Ok(b)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>())
        {
            return Quantity::Range(a, b);
        }
        Quantity::Text(raw.to_string())
    }

    /// The number, or the midpoint of a range.
    pub fn central(&self) -> Option<f64> {
        match self {
            Quantity::Number(x) => Some(*x),
            Quantity::Range(a, b) => Some((a + b) / 2.0),
            Quantity::Text(_) => None,
        }
    }
}

/// How a value was established (the record's `confidence` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Read in the named source.
    Sourced,
    /// Derived or approximate; the note says how.
    Estimate,
    /// General knowledge, not confirmed in a source read.
    Unverified,
}

/// One row of `countries_1989.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryFact {
    /// Country code (POL, HUN, GDR, CSK, BGR, ROU, SUN, ...).
    pub country: String,
    /// Variable name.
    pub variable: String,
    /// The value.
    pub value: Quantity,
    /// Unit.
    pub unit: String,
    /// Reference year of the value.
    pub year: String,
    /// Sources, `Title (year) <URL>` separated by ` | `.
    pub source: String,
    /// How the value was established.
    pub confidence: Confidence,
    /// Notes.
    pub note: String,
}

/// One row of `events_1989.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// ISO date, or `YYYY-MM` where only the month is known.
    pub date: String,
    /// Country code.
    pub country: String,
    /// What happened.
    pub event: String,
    /// protest, concession, election, border, leadership_change, repression, violence,
    /// emigration, soviet_statement, alliance, round_table or other.
    pub kind: String,
    /// Size, if given.
    pub size: Option<Quantity>,
    /// What the size counts.
    pub unit: String,
    /// Sources.
    pub source: String,
    /// How the row was established.
    pub confidence: Confidence,
}

/// One row of `outcomes_1989.csv`, kept as the record writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Country code.
    pub country: String,
    /// Observed outcome class (smooth, leaps, suppression, eruption, stable).
    pub outcome_class: String,
    /// Second-best class where the coding is arguable.
    pub alt_class: String,
    /// Every column, by header name, verbatim.
    pub columns: Vec<(String, String)>,
}

/// The whole record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Country facts.
    pub facts: Vec<CountryFact>,
    /// The timeline.
    pub events: Vec<Event>,
    /// Observed outcomes, one per country.
    pub outcomes: Vec<Outcome>,
}

/// Why the embedded record could not be read (a defect of the shipped files: fatal).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// A file is not valid CSV or a row is short.
    #[error("{file}, line {line}: {message}")]
    Malformed {
        /// File name.
        file: &'static str,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
}

fn rows(file: &'static str, text: &str) -> Result<Vec<csv::StringRecord>, RecordError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map_err(|e| RecordError::Malformed {
                file,
                line: e.position().map_or(0, |p| p.line()),
                message: e.to_string(),
            })
        })
        .collect()
}

fn confidence(
    file: &'static str,
    row: &csv::StringRecord,
    field: &str,
) -> Result<Confidence, RecordError> {
    match field {
        "sourced" => Ok(Confidence::Sourced),
        "estimate" => Ok(Confidence::Estimate),
        "unverified" => Ok(Confidence::Unverified),
        other => Err(RecordError::Malformed {
            file,
            line: row.position().map_or(0, |p| p.line()),
            message: format!("confidence \"{other}\" is not sourced, estimate or unverified"),
        }),
    }
}

impl Record {
    /// Reads the embedded record.
    pub fn load() -> Result<Record, RecordError> {
        let get = |r: &csv::StringRecord, i: usize| r.get(i).unwrap_or("").to_string();
        let facts = rows("countries_1989.csv", COUNTRIES_CSV)?
            .iter()
            .map(|r| {
                Ok(CountryFact {
                    country: get(r, 0),
                    variable: get(r, 1),
                    value: Quantity::parse(&get(r, 2)),
                    unit: get(r, 3),
                    year: get(r, 4),
                    source: get(r, 5),
                    confidence: confidence("countries_1989.csv", r, r.get(6).unwrap_or(""))?,
                    note: get(r, 7),
                })
            })
            .collect::<Result<_, RecordError>>()?;
        let events = rows("events_1989.csv", EVENTS_CSV)?
            .iter()
            .map(|r| {
                let size = get(r, 4);
                Ok(Event {
                    date: get(r, 0),
                    country: get(r, 1),
                    event: get(r, 2),
                    kind: get(r, 3),
                    size: (!size.is_empty()).then(|| Quantity::parse(&size)),
                    unit: get(r, 5),
                    source: get(r, 6),
                    confidence: confidence("events_1989.csv", r, r.get(7).unwrap_or(""))?,
                })
            })
            .collect::<Result<_, RecordError>>()?;
        let header: Vec<String> = OUTCOMES_CSV
            .lines()
            .next()
            .unwrap_or("")
            .split(',')
            .map(str::to_string)
            .collect();
        let outcomes = rows("outcomes_1989.csv", OUTCOMES_CSV)?
            .iter()
            .map(|r| Outcome {
                country: get(r, 0),
                outcome_class: get(r, 1),
                alt_class: get(r, 2),
                columns: header
                    .iter()
                    .cloned()
                    .zip(r.iter().map(str::to_string))
                    .collect(),
            })
            .collect();
        Ok(Record {
            facts,
            events,
            outcomes,
        })
    }

    /// The fact `variable` of `country`, if the record has it.
    pub fn fact(&self, country: &str, variable: &str) -> Option<&CountryFact> {
        self.facts
            .iter()
            .find(|f| f.country == country && f.variable == variable)
    }

    /// The observed outcome of `country`.
    pub fn outcome(&self, country: &str) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.country == country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_reads_and_holds_known_values() {
        let r = Record::load().unwrap();
        assert_eq!(r.facts.len(), 143);
        assert_eq!(r.events.len(), 111);
        assert_eq!(r.outcomes.len(), 6);
        assert_eq!(
            r.fact("POL", "population").unwrap().value,
            Quantity::Number(37_776_725.0)
        );
        assert_eq!(
            r.fact("POL", "real_gnp_growth").unwrap().value,
            Quantity::Range(-2.0, -1.6)
        );
        assert_eq!(
            r.fact("POL", "avg_growth_1985_89").unwrap().confidence,
            Confidence::Estimate
        );
        let classes: Vec<&str> = ["POL", "HUN", "GDR", "CSK", "BGR", "ROU"]
            .iter()
            .map(|c| r.outcome(c).unwrap().outcome_class.as_str())
            .collect();
        assert_eq!(
            classes,
            ["leaps", "smooth", "leaps", "leaps", "smooth", "eruption"]
        );
    }

    /// The shipped copy is the shared record, byte for byte (checked where the shared folder
    /// is present, as in CI).
    #[test]
    fn the_shipped_copy_equals_the_shared_record() {
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");
        if !std::path::Path::new(shared).exists() {
            return;
        }
        for (name, text) in [
            ("countries_1989.csv", COUNTRIES_CSV),
            ("events_1989.csv", EVENTS_CSV),
            ("outcomes_1989.csv", OUTCOMES_CSV),
        ] {
            let original = std::fs::read_to_string(format!("{shared}/{name}")).unwrap();
            assert_eq!(original, text, "{name} differs from the shared record");
        }
    }
}
