//! The memo's scenarios as outcome classes of one country's path (design model.md §3), and
//! the facts of a path they are decided from.

use super::config::BlocScenario;
use serde::{Deserialize, Serialize};

/// The memo's scenarios.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeClass {
    /// Democratization led by the ruling party: its first concession came with no crisis in
    /// the window before it.
    Smooth,
    /// "By leaps and bounds": concessions (or the fall) forced by a crisis.
    Leaps,
    /// Power preserved by force: repression against a crisis (or the centre's intervention),
    /// before or after a concession, the party in power at the horizon.
    Suppression,
    /// Violent collapse: the regime falls after deaths at or above the threshold, or the
    /// security forces defect while a lethal order stands.
    Eruption,
    /// None of the above.
    #[default]
    Stable,
}

impl OutcomeClass {
    /// How many classes there are.
    pub const COUNT: usize = 5;

    /// All classes in report order: the one list of the classes, from which every table,
    /// file and tally of them is derived (through [`ClassMap`]).
    pub const ALL: [OutcomeClass; OutcomeClass::COUNT] = [
        OutcomeClass::Smooth,
        OutcomeClass::Leaps,
        OutcomeClass::Suppression,
        OutcomeClass::Eruption,
        OutcomeClass::Stable,
    ];

    /// The name used in files and output.
    pub fn name(self) -> &'static str {
        match self {
            OutcomeClass::Smooth => "smooth",
            OutcomeClass::Leaps => "leaps",
            OutcomeClass::Suppression => "suppression",
            OutcomeClass::Eruption => "eruption",
            OutcomeClass::Stable => "stable",
        }
    }

    /// The class with this name.
    pub fn from_name(name: &str) -> Option<OutcomeClass> {
        OutcomeClass::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Index in [`OutcomeClass::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// One letter, for joint patterns.
    pub fn letter(self) -> char {
        match self {
            OutcomeClass::Smooth => 'S',
            OutcomeClass::Leaps => 'L',
            OutcomeClass::Suppression => 'P',
            OutcomeClass::Eruption => 'E',
            OutcomeClass::Stable => '-',
        }
    }
}

/// One value per outcome class, in report order (the `[_; 5]` arrays and per-class fields
/// it replaces could not grow with the classes). Serializes as a map `name -> value` in
/// report order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClassMap<T>([T; OutcomeClass::COUNT]);

impl<T> ClassMap<T> {
    /// The map with `f(class)` for every class.
    pub fn from_fn(mut f: impl FnMut(OutcomeClass) -> T) -> Self {
        ClassMap(std::array::from_fn(|i| f(OutcomeClass::ALL[i])))
    }

    /// The classes with their values, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (OutcomeClass, &T)> {
        OutcomeClass::ALL.into_iter().zip(&self.0)
    }

    /// The values in report order.
    pub fn values(&self) -> &[T] {
        &self.0
    }

    /// The map of `f` applied to every value.
    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> ClassMap<U> {
        ClassMap::from_fn(|c| f(&self.0[c.index()]))
    }
}

impl ClassMap<f64> {
    /// The uniform forecast: 1 / the number of classes for each.
    pub fn uniform() -> Self {
        ClassMap([1.0 / OutcomeClass::COUNT as f64; OutcomeClass::COUNT])
    }
}

impl<T> std::ops::Index<OutcomeClass> for ClassMap<T> {
    type Output = T;
    fn index(&self, class: OutcomeClass) -> &T {
        &self.0[class.index()]
    }
}

impl<T> std::ops::IndexMut<OutcomeClass> for ClassMap<T> {
    fn index_mut(&mut self, class: OutcomeClass) -> &mut T {
        &mut self.0[class.index()]
    }
}

impl<T: Serialize> Serialize for ClassMap<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(OutcomeClass::COUNT))?;
        for (class, value) in self.iter() {
            map.serialize_entry(class.name(), value)?;
        }
        map.end()
    }
}

impl<T: Serialize> ClassMap<T> {
    /// Serializes as a list in report order (for a field whose file format is a list).
    pub fn serialize_as_list<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// What happened to one country in one run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CountryRun {
    /// The outcome class.
    pub class: OutcomeClass,
    /// Whether the ruling party holds power at the horizon.
    pub party_in_power: bool,
    /// Whether the country is still a member of the alliance at the horizon (no government
    /// left it; a fall alone does not end it).
    pub alliance_intact: bool,
    /// Week a government left the alliance (for good); `None` if the country stayed.
    #[serde(default)]
    pub left_alliance_week: Option<i64>,
    /// Whether alignment at the horizon is at or above `alliance.intact_threshold`.
    #[serde(default)]
    pub aligned: bool,
    /// Alignment at the horizon.
    pub alignment: f64,
    /// Whether the centre intervened by force.
    pub intervention: bool,
    /// Week of the first concession.
    pub first_concession_week: Option<i64>,
    /// Whether a crisis came within the smooth window before the first concession.
    pub crisis_before_concession: bool,
    /// Week the opposition was first legalized (policy at `legalize_at`).
    pub legalized_week: Option<i64>,
    /// Week the regime fell.
    pub fell_week: Option<i64>,
    /// Last week with a crisis (negative: before the start).
    pub last_crisis_week: Option<i64>,
    /// Number of crisis weeks.
    pub crisis_weeks: u32,
    /// Whether repression was ordered against a crisis.
    pub repressed_crisis: bool,
    /// Whether a lethal order was given.
    pub lethal_order: bool,
    /// Whether the security forces defected.
    pub defected: bool,
    /// Whether they defected while a lethal order stood.
    pub defected_under_lethal: bool,
    /// Whether the party lost an election.
    pub lost_election: bool,
    /// The ruling party's share of the vote in its last election.
    pub election_vote: Option<f64>,
    /// Peak weekly protest, in people.
    pub peak_protest: f64,
    /// Deaths, in people.
    pub deaths: f64,
    /// Emigrants, in people.
    pub emigrants: f64,
    /// Lattice citizens at the start.
    pub lattice_citizens: u32,
    /// Lattice citizens killed.
    pub lattice_dead: u32,
    /// Lattice citizens who emigrated.
    pub lattice_emigrated: u32,
}

/// Classifies a path by the scenario's rules, in this order: eruption (the regime fell with
/// deaths at or above the threshold, or its forces defected under a lethal order), then
/// suppression (force used against a crisis, by the regime's repression or the centre's
/// intervention, and the party in power at the horizon, whether the force came before or
/// after a concession: "power kept by force, domestic or Soviet; concessions followed by
/// punishment count as suppression", the coding rule of data/history), then a concession or
/// fall (leaps if a crisis came within the window before the first one, else smooth), else
/// stable. Deaths without a fall are suppression, as in 1953, 1956 and 1968.
pub fn classify(r: &CountryRun, s: &BlocScenario) -> OutcomeClass {
    let fell = !r.party_in_power;
    if (fell && r.deaths >= s.outcomes.eruption_deaths.value as f64) || r.defected_under_lethal {
        return OutcomeClass::Eruption;
    }
    if (r.repressed_crisis || r.intervention) && r.party_in_power {
        return OutcomeClass::Suppression;
    }
    if r.first_concession_week.is_some() {
        return if r.crisis_before_concession {
            OutcomeClass::Leaps
        } else {
            OutcomeClass::Smooth
        };
    }
    OutcomeClass::Stable
}

#[cfg(test)]
mod class_map_tests {
    use super::*;

    #[test]
    fn a_class_map_serializes_by_name_in_report_order_or_as_a_list() {
        let m = ClassMap::from_fn(|c| c.index() as u64 * 10);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"smooth":0,"leaps":10,"suppression":20,"eruption":30,"stable":40}"#
        );
        let mut list = serde_json::Serializer::new(Vec::new());
        m.serialize_as_list(&mut list).unwrap();
        assert_eq!(list.into_inner(), b"[0,10,20,30,40]");
        assert_eq!(m[OutcomeClass::Eruption], 30);
        let classes: Vec<OutcomeClass> = m.iter().map(|(c, _)| c).collect();
        assert_eq!(classes, OutcomeClass::ALL);
    }

    #[test]
    fn the_uniform_forecast_sums_to_one() {
        let u = ClassMap::uniform();
        assert_eq!(u[OutcomeClass::Smooth], 0.2);
        assert!((u.values().iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}

#[cfg(test)]
mod classify_tests {
    use super::*;

    fn path() -> CountryRun {
        CountryRun {
            party_in_power: true,
            ..CountryRun::default()
        }
    }

    #[test]
    fn each_class_in_the_order_of_the_rules() {
        let s = BlocScenario::eastern_europe_1989();
        let crisis_concession = |mut r: CountryRun| {
            r.first_concession_week = Some(10);
            r.crisis_before_concession = true;
            r
        };
        // Nothing happened.
        assert_eq!(classify(&path(), &s), OutcomeClass::Stable);
        // A concession with no crisis before it; one forced by a crisis.
        let mut smooth = path();
        smooth.first_concession_week = Some(3);
        assert_eq!(classify(&smooth, &s), OutcomeClass::Smooth);
        assert_eq!(
            classify(&crisis_concession(path()), &s),
            OutcomeClass::Leaps
        );
        // Force against a crisis before any concession, the party in power.
        let mut crushed = path();
        crushed.repressed_crisis = true;
        assert_eq!(classify(&crushed, &s), OutcomeClass::Suppression);
        // Concessions reversed by force (the regime's or the centre's): suppression.
        let mut reversed = crisis_concession(path());
        reversed.repressed_crisis = true;
        assert_eq!(classify(&reversed, &s), OutcomeClass::Suppression);
        let mut invaded = crisis_concession(path());
        invaded.intervention = true;
        assert_eq!(classify(&invaded, &s), OutcomeClass::Suppression);
        // Force that did not keep the party in power: the concession's class.
        let mut failed = crisis_concession(path());
        failed.repressed_crisis = true;
        failed.party_in_power = false;
        assert_eq!(classify(&failed, &s), OutcomeClass::Leaps);
        // A fall with deaths at the threshold: eruption, before everything else.
        failed.deaths = s.outcomes.eruption_deaths.value as f64;
        assert_eq!(classify(&failed, &s), OutcomeClass::Eruption);
    }
}
