//! The record of the crises of 1953–1988 (data/history, a copy of ../shared/data/history):
//! what each crisis's scores are computed against, and the panel's calm-years hazard.

use bloc_model::OutcomeClass;
use std::collections::{BTreeMap, BTreeSet};

const CRISES_CSV: &str = include_str!("../../../../data/history/crises_1953_1988.csv");
const PANEL_CSV: &str = include_str!("../../../../data/history/panel_1953_1988.csv");

/// Weeks in the panel per country (36 years of 52 weeks, as the data's README counts them).
pub const PANEL_WEEKS: f64 = 36.0 * 52.0;

/// The arguable codings the data's README names, as (crisis, alternative class): written
/// from the README, not parsed from the free-text notes.
pub const ALTERNATIVE_CODINGS: [(&str, OutcomeClass); 5] = [
    ("POL1956O", OutcomeClass::Smooth),
    ("HUN1956", OutcomeClass::Suppression),
    ("POL1970", OutcomeClass::Leaps),
    ("POL1971", OutcomeClass::Leaps),
    ("HUN1988", OutcomeClass::Stable),
];

/// How one crisis ended, by the record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Crisis {
    /// Id (e.g. "GDR1953").
    pub id: String,
    /// Country id (POL, HUN, GDR, CSK, BGR, ROU).
    pub country: String,
    /// Start date.
    pub start: String,
    /// The class by the main coding.
    pub class: OutcomeClass,
    /// The alternative the README names, if the coding is arguable.
    pub alt_class: Option<OutcomeClass>,
    /// Soviet troops used against the population or the government (`yes`).
    pub intervention: bool,
    /// The ruling party held power at the end.
    pub party_in_power: bool,
    /// The alliance was intact at the end.
    pub alliance_intact: bool,
}

/// Why the embedded record could not be read (a defect of the shipped files: fatal).
#[derive(Debug, thiserror::Error)]
#[error("data/history/{file}, line {line}: {message}")]
pub struct HistoryDataError {
    file: &'static str,
    line: u64,
    message: String,
}

/// The country id of a name in the data.
pub fn country_id(name: &str) -> Option<&'static str> {
    match name {
        "Poland" => Some("POL"),
        "Hungary" => Some("HUN"),
        "East Germany (GDR)" => Some("GDR"),
        "Czechoslovakia" => Some("CSK"),
        "Bulgaria" => Some("BGR"),
        "Romania" => Some("ROU"),
        _ => None,
    }
}

fn rows(file: &'static str, text: &str) -> Result<Vec<csv::StringRecord>, HistoryDataError> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.map_err(|e| HistoryDataError {
                file,
                line: e.position().map_or(0, |p| p.line()),
                message: e.to_string(),
            })
        })
        .collect()
}

fn bad(file: &'static str, row: &csv::StringRecord, message: String) -> HistoryDataError {
    HistoryDataError {
        file,
        line: row.position().map_or(0, |p| p.line()),
        message,
    }
}

/// The crises of the record, in file order.
pub fn crises() -> Result<Vec<Crisis>, HistoryDataError> {
    const FILE: &str = "crises_1953_1988.csv";
    rows(FILE, CRISES_CSV)?
        .iter()
        .map(|r| {
            let get = |i: usize| r.get(i).unwrap_or("").trim().to_string();
            let id = get(0);
            let country = country_id(&get(1))
                .ok_or_else(|| bad(FILE, r, format!("unknown country \"{}\"", get(1))))?;
            let class = OutcomeClass::from_name(&get(13))
                .ok_or_else(|| bad(FILE, r, format!("unknown class \"{}\"", get(13))))?;
            let alt_class = ALTERNATIVE_CODINGS
                .iter()
                .find(|(c, _)| *c == id)
                .map(|(_, a)| *a);
            Ok(Crisis {
                country: country.to_string(),
                start: get(2),
                class,
                alt_class,
                intervention: get(12).starts_with("yes"),
                party_in_power: !get(15).starts_with("no"),
                alliance_intact: get(16).starts_with("yes"),
                id,
            })
        })
        .collect()
}

/// The panel's weekly crisis hazard per country: crises per country-week over 1953–1988,
/// each named crisis counted once and each withheld one once per year it appears (as the
/// data's README counts them: 26 crises, 0.0023 per country-week).
pub fn panel_hazard() -> Result<BTreeMap<String, f64>, HistoryDataError> {
    const FILE: &str = "panel_1953_1988.csv";
    let mut named: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut withheld: BTreeMap<String, u32> = BTreeMap::new();
    for r in rows(FILE, PANEL_CSV)? {
        let name = r.get(0).unwrap_or("");
        let country =
            country_id(name).ok_or_else(|| bad(FILE, &r, format!("unknown country \"{name}\"")))?;
        named.entry(country.to_string()).or_default();
        for id in r.get(2).unwrap_or("").split(';').map(str::trim) {
            match id {
                "" => {}
                "withheld" => *withheld.entry(country.to_string()).or_default() += 1,
                id => {
                    named
                        .entry(country.to_string())
                        .or_default()
                        .insert(id.to_string());
                }
            }
        }
    }
    Ok(named
        .into_iter()
        .map(|(c, ids)| {
            let n = ids.len() as f64 + f64::from(withheld.get(&c).copied().unwrap_or(0));
            (c, n / PANEL_WEEKS)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_reads_as_its_readme_counts_it() {
        let c = crises().expect("crises");
        assert_eq!(c.len(), 21);
        let suppression = c
            .iter()
            .filter(|x| x.class == OutcomeClass::Suppression)
            .count();
        assert_eq!(suppression, 15);
        let yes: Vec<&str> = c
            .iter()
            .filter(|x| x.intervention)
            .map(|x| x.id.as_str())
            .collect();
        assert_eq!(yes, ["GDR1953", "HUN1956", "HUN1956W", "CSK1968"]);
        assert!(c.iter().all(|x| x.party_in_power && x.alliance_intact));
        assert_eq!(c.iter().filter(|x| x.alt_class.is_some()).count(), 5);
    }

    #[test]
    fn the_panel_hazard_matches_the_readme() {
        let h = panel_hazard().expect("panel");
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        assert_eq!(round(h["POL"]), 0.0064);
        assert_eq!(round(h["CSK"]), 0.0027);
        assert_eq!(round(h["HUN"]), 0.0016);
        for c in ["GDR", "BGR", "ROU"] {
            assert_eq!(round(h[c]), 0.0011, "{c}");
        }
        let total: f64 = h.values().sum::<f64>() * PANEL_WEEKS;
        assert_eq!(total.round(), 26.0);
    }

    #[test]
    fn the_shipped_copy_equals_the_shared_data() {
        let shared =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/history");
        if !shared.exists() {
            return;
        }
        for (name, shipped) in [
            ("crises_1953_1988.csv", CRISES_CSV),
            ("panel_1953_1988.csv", PANEL_CSV),
        ] {
            let text = std::fs::read_to_string(shared.join(name)).expect("shared file");
            assert_eq!(text, shipped, "{name}");
        }
    }
}
