//! Triggers: named conditions on a run's weekly state ("sharp turns"), written as structured
//! TOML (`when = { kind = "protest_above", country = "GDR", people = 100000 }`).
//!
//! A trigger is evaluated after every week's step; it fires the first week its condition
//! holds. `country` is an ally's id or `"any"` (the first ally, in the scenario's order, for
//! which the condition holds is the trigger's country).

use crate::config::{BlocScenario, Role};
use crate::run::Simulation;
use bloc_base::document::SemanticProblems;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A condition on the weekly state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The week's protest exceeds `people` (scaled to people as in the forecast).
    ProtestAbove {
        /// Country id or "any".
        country: String,
        /// Threshold, people in the street in the week.
        #[schemars(range(min = 0.0))]
        people: f64,
    },
    /// The country opens its border to the West.
    BorderOpens {
        /// Country id or "any".
        country: String,
    },
    /// A lethal order is given.
    LethalOrder {
        /// Country id or "any".
        country: String,
    },
    /// The opposition unites: the stated positions of the opposition and the churches come
    /// within `within` points of each other on the 0-100 scale, both at or above the
    /// scenario's `decision.legalize_at` (a common platform against the regime's line).
    OppositionUnites {
        /// Country id or "any".
        country: String,
        /// Largest distance between the two positions, points.
        #[schemars(range(min = 0.0, max = 100.0))]
        within: f64,
    },
    /// The ruling party loses an election: its contested vote below the coalition-collapse
    /// share, or fewer than half the seats (the model's `lost_election`). Under doctrines
    /// that do not save it, the regime falls the same week.
    ElectionLost {
        /// Country id or "any".
        country: String,
    },
    /// The week's emigrants exceed `people_per_week`.
    EmigrationAbove {
        /// Country id or "any".
        country: String,
        /// Threshold, emigrants in the week.
        #[schemars(range(min = 0.0))]
        people_per_week: f64,
    },
    /// The regime falls (its party loses power).
    RegimeFalls {
        /// Country id or "any".
        country: String,
    },
}

impl Condition {
    /// The country field.
    pub fn country(&self) -> &str {
        match self {
            Condition::ProtestAbove { country, .. }
            | Condition::BorderOpens { country }
            | Condition::LethalOrder { country }
            | Condition::OppositionUnites { country, .. }
            | Condition::ElectionLost { country }
            | Condition::EmigrationAbove { country, .. }
            | Condition::RegimeFalls { country } => country,
        }
    }

    /// Reports a country the scenario does not have, under `path`.
    pub fn check(&self, s: &BlocScenario, path: &str, p: &mut SemanticProblems) {
        let id = self.country();
        if id != "any" && s.country_index(id).is_none() {
            let ids: Vec<&str> = s.countries.iter().map(|c| c.id.as_str()).collect();
            let hint = bloc_base::document::closest(id, ids.iter().copied())
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            p.error(
                format!("{path}.country"),
                format!("unknown country \"{id}\"{hint}"),
                format!("one of {}, or \"any\"", ids.join(", ")),
            );
        }
    }

    /// The first country (index) for which the condition holds this week, given each
    /// country's emigrants this week (people).
    pub fn holds(&self, sim: &Simulation, emigrants_this_week: &[f64]) -> Option<usize> {
        let s = sim.scenario();
        let candidates: Vec<usize> = match self.country() {
            "any" => (0..s.countries.len()).collect(),
            id => s.country_index(id).into_iter().collect(),
        };
        candidates.into_iter().find(|&c| {
            let state = &sim.countries()[c];
            let path = state.path_so_far();
            match self {
                Condition::ProtestAbove { people, .. } => state.week_state().protest > *people,
                Condition::BorderOpens { .. } => state.border_open(),
                Condition::LethalOrder { .. } => state.lethal_order(),
                Condition::OppositionUnites { within, .. } => {
                    let position = |role: Role| {
                        s.countries[c]
                            .actors
                            .iter()
                            .position(|a| a.role == role)
                            .map(|a| state.positions()[a])
                    };
                    match (position(Role::Opposition), position(Role::Churches)) {
                        (Some(o), Some(ch)) => {
                            let line = s.decision.legalize_at.value;
                            (o - ch).abs() <= *within && o >= line && ch >= line
                        }
                        _ => false,
                    }
                }
                Condition::ElectionLost { .. } => path.lost_election,
                Condition::EmigrationAbove {
                    people_per_week, ..
                } => emigrants_this_week[c] > *people_per_week,
                Condition::RegimeFalls { .. } => !path.party_in_power,
            }
        })
    }
}
