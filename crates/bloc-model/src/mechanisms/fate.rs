//! The regime's fate: the week's record of the path (peak protest, crisis weeks, how long the
//! actives have been above the overthrow line); elections held (a secret ballot of the
//! citizens, Kuran 1991), overthrow by sustained mass protest unless a lethal order is
//! carried out, defection of the security forces; and the fall itself, which the centre may
//! meet with force under its doctrine.

use crate::config::{BlocScenario, Doctrine};
use crate::country::CountryState;
use crate::state::{Observation, RunState};
use bloc_citizens::epstein::world::CitizenState;
use rand::RngExt;

/// Records the week's protest, crisis and overthrow streak of the path.
pub(crate) fn record(s: &BlocScenario, c: &mut CountryState, week: i64) {
    let share = c.active_share();
    let protest = c.protest(share);
    c.record.peak_protest = c.record.peak_protest.max(protest);
    if share > s.outcomes.crisis_share.value {
        c.record.last_crisis_week = Some(week);
        c.record.crisis_weeks += 1;
    }
    if share >= s.outcomes.overthrow_share.value {
        c.overthrow_streak += 1;
    } else {
        c.overthrow_streak = 0;
    }
}

/// Whether the regime of a country falls this week: an election it loses (held if due), or
/// overthrow, or the forces' defection.
pub(crate) fn falls(s: &BlocScenario, c: &mut CountryState, week: i64) -> bool {
    if !c.record.party_in_power {
        return false;
    }
    if let Some((when, contested)) = c.election_week
        && when == week
        && s.mechanisms.decision
    {
        c.election_week = None;
        if loses_election(s, c, contested) {
            c.record.lost_election = true;
            return true;
        }
    }
    let overthrown = s.mechanisms.decision
        && c.overthrow_streak >= s.decision.overthrow_weeks.value.max(1)
        && !(c.lethal && c.loyalty >= s.security.defection_threshold.value);
    overthrown || c.record.defected
}

/// Holds an election with a `contested` share of the seats: each citizen still in the
/// country votes for the party with probability legitimacy x (1 - own hardship). The party
/// loses if its seats fall below half, or if a contested vote collapses its coalition.
fn loses_election(s: &BlocScenario, c: &mut CountryState, contested: f64) -> bool {
    let l = c.legitimacy;
    let mut voters = 0u32;
    let mut for_party = 0u32;
    for idx in 0..c.world.citizens().len() {
        let citizen = c.world.citizens()[idx];
        if citizen.state == CitizenState::Gone {
            continue;
        }
        voters += 1;
        // The citizen's own perceived legitimacy: the regime's, discounted by its own
        // hardship (a secret ballot reveals private support; Kuran 1991).
        if c.rng.random::<f64>() < l * (1.0 - citizen.hardship) {
            for_party += 1;
        }
    }
    let vote = if voters == 0 {
        0.0
    } else {
        f64::from(for_party) / f64::from(voters)
    };
    c.record.election_vote = Some(vote);
    let seats = (1.0 - contested) + contested * vote;
    let collapse = contested < 1.0 && vote < s.decision.coalition_collapse_vote.value;
    seats < 0.5 || collapse
}

impl RunState {
    /// The regime of country `i` is about to fall; the centre may intervene first.
    pub(crate) fn regime_falls(
        &mut self,
        s: &BlocScenario,
        i: usize,
        week: i64,
        may_intervene: bool,
    ) {
        if !self.countries[i].record.party_in_power {
            return;
        }
        if may_intervene
            && s.mechanisms.intervention
            && self.doctrine == Doctrine::WhenRegimeFalls
            && self.try_intervention(s, i, week, false)
        {
            return;
        }
        let c = &mut self.countries[i];
        if !c.record.party_in_power {
            return;
        }
        c.record.party_in_power = false;
        c.record.fell_week = Some(week);
        if c.record.first_concession_week.is_none() {
            c.record_first_concession(s, week);
        }
        c.policy = 100.0;
        c.repression = false;
        c.lethal = false;
        c.lethal_forced = false;
        if s.mechanisms.legitimacy {
            c.legitimacy = s.decision.new_government_legitimacy.value;
        }
        if s.mechanisms.alliance {
            c.alignment = (s.alliance.new_government_base.value
                + s.alliance.contacts_weight.value * c.contacts)
                .clamp(0.0, 1.0);
        }
        c.world.set_lethality(0.0);
        // Everyone who watches sees it at the end of the week (not earlier in the same week,
        // so the order of the countries in the file does not matter).
        self.observed.push(Observation::FellWithoutForce(i));
    }

    /// The centre decides, with probability `centre.resolve`, whether to use force in
    /// country `i`; returns whether it did. Only one intervention per country, unless it is
    /// an external event's.
    pub(crate) fn try_intervention(
        &mut self,
        s: &BlocScenario,
        i: usize,
        week: i64,
        external: bool,
    ) -> bool {
        if !external && self.countries[i].record.intervention {
            // One intervention per country: a second fall is final.
            return false;
        }
        let resolve = s.centre.resolve.value;
        if self.rng.random::<f64>() >= resolve {
            return false;
        }
        let weeks = s.centre.intervention_weeks.value as i64;
        let c = &mut self.countries[i];
        c.record.intervention = true;
        c.intervention_until = Some(week + weeks);
        c.loyalty = 1.0;
        c.record.defected = false;
        c.record.defected_under_lethal = false;
        c.overthrow_streak = 0;
        c.record.repressed_crisis = true;
        if s.mechanisms.legitimacy {
            c.legitimacy = (c.legitimacy - s.centre.intervention_legitimacy_loss.value).max(0.0);
        }
        self.observed.push(Observation::Intervened(i));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, run_state, two_allies};

    #[test]
    fn sustained_mass_protest_overthrows_unless_loyal_forces_shoot() {
        let s = two_allies();
        let mut c = country(&s, 0);
        c.overthrow_streak = s.decision.overthrow_weeks.value.max(1);
        assert!(falls(&s, &mut c, 1));
        c.lethal = true;
        c.loyalty = 1.0;
        assert!(!falls(&s, &mut c, 1));
    }

    #[test]
    fn an_election_at_zero_legitimacy_is_lost() {
        let s = two_allies();
        let mut c = country(&s, 0);
        c.legitimacy = 0.0;
        c.election_week = Some((3, 1.0));
        assert!(!falls(&s, &mut c, 2));
        assert!(falls(&s, &mut c, 3));
        assert_eq!(c.record.election_vote, Some(0.0));
        assert!(c.record.lost_election);
    }

    #[test]
    fn a_fall_is_final_without_intervention() {
        let mut s = two_allies();
        s.centre.doctrine = Doctrine::Never;
        let mut run = run_state(&s);
        run.regime_falls(&s, 0, 7, true);
        let c = &run.countries[0];
        assert!(!c.record.party_in_power);
        assert_eq!(c.record.fell_week, Some(7));
        assert_eq!(c.policy, 100.0);
        assert_eq!(run.observed, vec![Observation::FellWithoutForce(0)]);
    }

    #[test]
    fn a_resolute_centre_saves_a_falling_regime_once() {
        let mut s = two_allies();
        s.centre.doctrine = Doctrine::WhenRegimeFalls;
        s.centre.resolve.value = 1.0;
        let mut run = run_state(&s);
        run.regime_falls(&s, 0, 7, true);
        assert!(run.countries[0].record.party_in_power);
        assert!(run.countries[0].record.intervention);
        run.regime_falls(&s, 0, 9, true);
        assert!(!run.countries[0].record.party_in_power);
    }
}
