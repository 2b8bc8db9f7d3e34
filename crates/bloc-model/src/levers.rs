//! The centre's levers in effect in a given week: which lever acts on which country with
//! what intensity, after its delay, within the budget.

use super::config::{BlocScenario, LeverKind};

/// One scheduled lever, resolved to weeks and country indices.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LeverPlan {
    /// Which lever.
    pub lever: LeverKind,
    /// Country index, or `None` for all.
    pub country: Option<usize>,
    /// First week of use (the effect starts `delay` weeks later).
    pub start: i64,
    /// Weeks of use.
    pub weeks: u32,
    /// Intensity in [0, 1].
    pub intensity: f64,
}

impl LeverPlan {
    /// Resolves the scenario's lever schedule.
    pub fn from_scenario(s: &BlocScenario) -> Vec<LeverPlan> {
        s.lever_schedule
            .iter()
            .map(|u| LeverPlan {
                lever: u.lever,
                country: s.country_index(&u.country),
                start: s.week_of(&u.start).unwrap_or(0),
                weeks: u.weeks,
                intensity: u.intensity,
            })
            .collect()
    }

    /// Whether the lever is in use (paid for) in `week`.
    pub fn in_use(&self, week: i64) -> bool {
        week >= self.start && week < self.start + i64::from(self.weeks)
    }

    /// Whether it applies to country `c`.
    pub fn applies_to(&self, c: usize) -> bool {
        self.country.is_none_or(|k| k == c)
    }
}

/// Intensity of each lever acting on each country in one week: `[country][lever]`.
pub type LeverIntensities = Vec<[f64; LeverKind::ALL.len()]>;

/// Index of a lever in [`LeverKind::ALL`].
pub fn lever_index(lever: LeverKind) -> usize {
    LeverKind::ALL
        .iter()
        .position(|&l| l == lever)
        .expect("every lever is in ALL")
}
