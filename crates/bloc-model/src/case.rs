//! A historical case: the facts of one crisis's country on the crisis's start date, run
//! with the one set of mechanism parameters that serves every case.
//!
//! A case file (`scenarios/history/ID.toml`) holds only facts: the header and clock, the
//! centre's doctrine and resolve of the day, the West's credit offer, the countries (people,
//! forces, economy, media, borders, beliefs, actors) and the dated events known on the
//! start date (the trigger among them). Every mechanism table (citizens, cascade, exit,
//! backlash, cohorts, security, decision, economy, alliance, the centre's other parameters,
//! the rival pole's pull, levers, outcomes, report) is taken from a base scenario, by
//! default the embedded flagship, so the same parameters serve 1953 and 1989 by
//! construction: a case file that sets one is rejected as an unknown field, located.
//!
//! Legitimacy is not a fact of the record (there were no free polls): a case has none, and
//! [`crate::calm_start`] derives it by the flagship's calm-start rule from the case's other
//! facts, without the case's events.

use crate::config::{Actor, AttentionRow, BlocScenario, Country, Doctrine, Event, Header};
use crate::sourced::{Count, Fraction, Shift};
use bloc_base::document::{Checked, SemanticProblems};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `scenario.kind` of a case file.
pub const CASE_KIND: &str = "bloc-case";

/// One historical case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryCase {
    /// Which crisis of the record this is.
    pub case: CaseId,
    /// What this file is, when it starts and for how long.
    pub scenario: CaseHeader,
    /// The centre's doctrine and resolve on the start date.
    pub centre: CentreFacts,
    /// The West's offer of credit on the start date (the base scenario's if omitted).
    #[serde(default)]
    pub rival_pole: Option<WestFacts>,
    /// The countries, with their facts (no legitimacy: see the module's doc).
    pub countries: Vec<CaseCountry>,
    /// Who watches whom, where a case has more than one country.
    #[serde(default)]
    pub attention: BTreeMap<String, AttentionRow>,
    /// Dated events known on the start date, the trigger among them.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// Descriptive header and clock of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseHeader {
    /// Must be "bloc-case" for this format.
    #[schemars(extend("const" = "bloc-case"))]
    pub kind: String,
    /// A short name.
    pub name: String,
    /// What the case describes and what it deliberately leaves out.
    #[serde(default)]
    pub description: String,
    /// The first day (YYYY-MM-DD), the crisis's start date; step 0 is this week.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub start: String,
    /// Number of weekly steps.
    #[schemars(range(min = 1, max = 2000))]
    pub weeks: u32,
}

/// The crisis a case stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseId {
    /// The crisis's id in data/history/crises_1953_1988.csv (e.g. "GDR1953").
    pub id: String,
    /// The country (a `countries` id) whose path is scored.
    pub country: String,
}

/// The centre's facts on a case's start date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CentreFacts {
    /// The doctrine in force.
    pub doctrine: Doctrine,
    /// Where the doctrine comes from.
    pub doctrine_source: String,
    /// Probability that the centre acts when its doctrine calls for force.
    pub resolve: Fraction,
}

/// The West's facts on a case's start date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WestFacts {
    /// Credit offered to reforming regimes (share of the full intensity).
    pub credit_offer: Fraction,
}

/// One country's facts: [`Country`] without legitimacy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseCountry {
    /// Id (e.g. "GDR").
    pub id: String,
    /// Name.
    pub name: String,
    /// Population.
    pub population: Count,
    /// Hardship shift added to every citizen's H at the start.
    pub hardship: Shift,
    /// Hardship change per week.
    pub hardship_drift: Shift,
    /// Share of lattice sites holding a cop.
    pub cop_density: Fraction,
    /// The centre's troops stationed in the country.
    pub centre_troops: Count,
    /// Reach of the rival pole's media.
    pub media_reach: Fraction,
    /// Share of would-be emigrants the rival pole takes.
    pub west_acceptance: Fraction,
    /// Alignment with the centre at the start.
    pub alignment: Fraction,
    /// Belief that the centre would use force to save the regime, at the start.
    pub belief: Fraction,
    /// The belief under which the actors' positions were read, after the events before the
    /// start (default: that belief as the run computes it).
    #[serde(default)]
    pub positions_belief: Option<Fraction>,
    /// Weeks since the last crisis before the start.
    #[serde(default)]
    pub crisis_weeks_before_start: Option<Count>,
    /// Allies whose territory this country's citizens may travel to.
    #[serde(default)]
    pub travel_to: Vec<String>,
    /// Source of `travel_to`.
    #[serde(default)]
    pub travel_source: String,
    /// Whether allies' citizens it lets through can reach the West across one of its land
    /// borders (as a scenario's `west_border`; omitted: yes).
    #[serde(default)]
    pub west_border: Option<bool>,
    /// Source of `west_border`.
    #[serde(default)]
    pub west_border_source: String,
    /// The actors of the collective decision.
    pub actors: Vec<Actor>,
}

/// The source written for a legitimacy that the calm-start rule has not yet derived.
pub const LEGITIMACY_PENDING: &str = "rule: calm start (not yet derived)";

impl CaseCountry {
    fn to_country(&self) -> Country {
        Country {
            id: self.id.clone(),
            name: self.name.clone(),
            population: self.population.clone(),
            legitimacy: Fraction::new(0.9, LEGITIMACY_PENDING),
            hardship: self.hardship.clone(),
            hardship_drift: self.hardship_drift.clone(),
            cop_density: self.cop_density.clone(),
            centre_troops: self.centre_troops.clone(),
            media_reach: self.media_reach.clone(),
            west_acceptance: self.west_acceptance.clone(),
            alignment: self.alignment.clone(),
            belief: self.belief.clone(),
            positions_belief: self.positions_belief.clone(),
            crisis_weeks_before_start: self.crisis_weeks_before_start.clone(),
            travel_to: self.travel_to.clone(),
            travel_source: self.travel_source.clone(),
            west_border: self.west_border,
            west_border_source: self.west_border_source.clone(),
            actors: self.actors.clone(),
        }
    }
}

impl HistoryCase {
    /// Reads a case from TOML text, reporting every problem at once, located.
    pub fn from_toml(text: &str) -> Result<Self, bloc_base::diagnostics::Diagnostics> {
        bloc_base::document::parse(text)
    }

    /// The case as a bloc scenario: the facts of this file on the mechanisms of `base`
    /// (its lever schedule, events, attention and countries dropped). Legitimacy is left at
    /// a placeholder ([`LEGITIMACY_PENDING`]) for [`crate::calm_start`] to derive.
    pub fn to_scenario(&self, base: &BlocScenario) -> BlocScenario {
        let mut s = base.clone();
        s.scenario = Header {
            kind: "bloc".to_string(),
            name: self.scenario.name.clone(),
            description: self.scenario.description.clone(),
            start: self.scenario.start.clone(),
            weeks: self.scenario.weeks,
        };
        s.centre.doctrine = self.centre.doctrine;
        s.centre.resolve = self.centre.resolve.clone();
        if let Some(w) = &self.rival_pole {
            s.rival_pole.credit_offer = w.credit_offer.clone();
        }
        s.countries = self.countries.iter().map(CaseCountry::to_country).collect();
        s.attention = self.attention.clone();
        s.events = self.events.clone();
        s.lever_schedule.clear();
        s
    }

    /// Index of the scored country.
    pub fn scored_index(&self) -> Option<usize> {
        self.countries
            .iter()
            .position(|c| c.id == self.case.country)
    }
}

impl Checked for HistoryCase {
    fn check(&self, p: &mut SemanticProblems) {
        if self.scenario.kind != CASE_KIND {
            p.error(
                "scenario.kind",
                format!("kind \"{}\" is not this format", self.scenario.kind),
                format!("\"{CASE_KIND}\""),
            );
        }
        if self.scored_index().is_none() {
            p.error(
                "case.country",
                format!(
                    "\"{}\" is not one of the case's countries",
                    self.case.country
                ),
                "the id of a [[countries]] table",
            );
        }
        if self.centre.doctrine_source.trim().is_empty() {
            p.error(
                "centre.doctrine_source",
                "the doctrine has no source",
                "a source for the doctrine of the day",
            );
        }
        // Every rule of the scenario format holds for the case on the flagship's mechanisms;
        // its paths (scenario, countries, events, attention) are the case file's own.
        self.to_scenario(&BlocScenario::eastern_europe_1989())
            .check(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[case]
id = "TST1960"
country = "TST"

[scenario]
kind = "bloc-case"
name = "test"
start = "1960-01-04"
weeks = 10

[centre]
doctrine = "when_regime_falls"
doctrine_source = "test"
resolve = { value = 0.8, source = "estimate: test" }

[[countries]]
id = "TST"
name = "Testland"
population = { value = 1000000, source = "estimate: test" }
hardship = { value = 0.1, source = "estimate: test" }
hardship_drift = { value = 0.0, source = "estimate: test" }
cop_density = { value = 0.04, source = "estimate: test" }
centre_troops = { value = 0, source = "estimate: test" }
media_reach = { value = 0.5, source = "estimate: test" }
west_acceptance = { value = 0.0, source = "estimate: test" }
alignment = { value = 0.8, source = "estimate: test" }
belief = { value = 0.8, source = "estimate: test" }

[[countries.actors]]
role = "hardliners"
position = { value = 20.0, source = "estimate: test" }
capability = { value = 40.0, source = "estimate: test" }
salience = { value = 0.9, source = "estimate: test" }
"#;

    #[test]
    fn a_case_runs_on_the_flagships_mechanisms() {
        let case = HistoryCase::from_toml(MINIMAL).expect("valid case");
        let base = BlocScenario::eastern_europe_1989();
        let s = case.to_scenario(&base);
        assert_eq!(s.decision, base.decision);
        assert_eq!(s.citizens, base.citizens);
        assert_eq!(s.centre.belief_learning, base.centre.belief_learning);
        assert_eq!(s.centre.doctrine, Doctrine::WhenRegimeFalls);
        assert_eq!(s.centre.resolve.value, 0.8);
        assert_eq!(s.countries[0].legitimacy.source, LEGITIMACY_PENDING);
        assert!(s.lever_schedule.is_empty());
        assert_eq!(s.scenario.weeks, 10);
    }

    #[test]
    fn a_mechanism_table_in_a_case_is_rejected_where_it_stands() {
        let text =
            format!("{MINIMAL}\n[decision]\ndeference = {{ value = 0.1, source = \"x\" }}\n");
        let e = HistoryCase::from_toml(&text).expect_err("a mechanism table");
        let first = &e.0[0];
        let line = text[..first.span.start].lines().count();
        assert_eq!(text.lines().nth(line - 1), Some("[decision]"), "{e:?}");
    }

    #[test]
    fn a_scored_country_must_exist_and_flagship_rules_apply() {
        let text = MINIMAL
            .replace("country = \"TST\"", "country = \"XYZ\"")
            .replace(
                "cop_density = { value = 0.04",
                "cop_density = { value = 0.5",
            );
        let e = HistoryCase::from_toml(&text).expect_err("two problems");
        let messages: Vec<String> = e.iter().map(|d| d.message.clone()).collect();
        assert!(messages.iter().any(|m| m.contains("XYZ")), "{messages:?}");
        assert!(
            messages.iter().any(|m| m.contains("exceeds 1")),
            "{messages:?}"
        );
    }
}
