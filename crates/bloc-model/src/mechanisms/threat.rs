//! The centre weighs a threat to its control (issue #16 item 1), under the doctrine
//! `when_regime_falls`: not only a regime about to fall ([`super::fate`]) but a crisis the
//! regime is not containing (the actives at the overthrow line, `outcomes.overthrow_share`:
//! GDR 17 June 1953, Hungary 23 October 1956) and a ruling party that crosses the tolerated
//! line while it keeps power (`decision.tolerated_line`: Czechoslovakia 1968). At the first
//! week of such a threat the centre decides once, with probability `centre.resolve`: a
//! threat that persists (through an intervention, or to the regime's fall: see
//! [`RunState::regime_falls`]) is not decided again until it has ended, and no decision is
//! taken while an intervention's forces are in the country.
//!
//! Source of the triggers: the Brezhnev doctrine's own terms (force when "socialism" in an
//! ally is threatened, Pravda 26 September 1968) and the three interventions of 1953–1968
//! (data/history: GDR1953, HUN1956, CSK1968). Not modelled: a leader's request, a
//! declaration of neutrality, and the costs the centre weighs (the West, the bloc's
//! alignment, its budget); left for the rest of issue #16.

use crate::config::{BlocScenario, Doctrine};
use crate::country::CountryState;
use crate::state::RunState;

/// Whether country `c` poses a threat to the centre's control this week.
pub(crate) fn threat(s: &BlocScenario, c: &CountryState) -> bool {
    c.record.party_in_power
        && (c.overthrow_streak >= 1 || c.policy > s.decision.tolerated_line.value)
}

impl RunState {
    /// The centre weighs the threat in country `i` this week, if its doctrine allows force.
    pub(crate) fn weigh_threat(&mut self, s: &BlocScenario, i: usize, week: i64) {
        if !s.mechanisms.intervention || self.doctrine != Doctrine::WhenRegimeFalls {
            return;
        }
        let c = &self.countries[i];
        if c.intervention_until.is_some_and(|u| u >= week) {
            return;
        }
        let now = threat(s, c);
        let onset = now && !c.threatened;
        self.countries[i].threatened = now;
        if onset {
            self.try_intervention(s, i, week, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{run_state, two_allies};

    fn brezhnev() -> BlocScenario {
        let mut s = two_allies();
        s.centre.doctrine = Doctrine::WhenRegimeFalls;
        s.centre.resolve.value = 1.0;
        s
    }

    #[test]
    fn a_party_crossing_the_tolerated_line_brings_force_before_any_fall() {
        let s = brezhnev();
        let mut run = run_state(&s);
        let line = s.decision.tolerated_line.value;
        run.countries[0].policy = line;
        run.weigh_threat(&s, 0, 4);
        assert!(
            !run.countries[0].record.intervention,
            "at the line, no threat"
        );
        run.countries[0].policy = line + 1.0;
        run.weigh_threat(&s, 0, 5);
        let c = &run.countries[0];
        assert!(c.record.intervention && c.record.party_in_power);
        assert_eq!(
            c.intervention_until,
            Some(5 + s.centre.intervention_weeks.value as i64)
        );
    }

    #[test]
    fn an_uncontained_crisis_brings_force_and_a_new_threat_can_bring_it_again() {
        let s = brezhnev();
        let mut run = run_state(&s);
        run.countries[0].policy = s.decision.tolerated_line.value - 10.0;
        run.weigh_threat(&s, 0, 4);
        assert!(
            !run.countries[0].record.intervention,
            "a contained regime is no threat"
        );
        run.countries[0].overthrow_streak = 1;
        run.weigh_threat(&s, 0, 5);
        assert!(run.countries[0].record.intervention);
        let until = run.countries[0]
            .intervention_until
            .expect("an intervention");
        // While the forces are in the country, nothing is decided; a threat that outlasts
        // them is not decided again.
        run.weigh_threat(&s, 0, until);
        run.weigh_threat(&s, 0, until + 1);
        assert_eq!(run.countries[0].intervention_until, Some(until));
        // Once it has ended, a new threat is decided again.
        run.countries[0].overthrow_streak = 0;
        run.weigh_threat(&s, 0, until + 2);
        run.countries[0].overthrow_streak = 1;
        run.weigh_threat(&s, 0, until + 3);
        assert!(
            run.countries[0]
                .intervention_until
                .is_some_and(|u| u > until)
        );
    }

    #[test]
    fn a_persisting_threat_is_decided_once_and_other_doctrines_never_act() {
        let mut s = brezhnev();
        s.centre.resolve.value = 0.0;
        let mut run = run_state(&s);
        run.countries[0].policy = s.decision.tolerated_line.value - 10.0;
        run.countries[0].overthrow_streak = 1;
        run.weigh_threat(&s, 0, 5);
        assert!(run.countries[0].threatened && !run.countries[0].record.intervention);
        // Nor is the threat decided again when the regime falls under it.
        s.centre.resolve.value = 1.0;
        run.regime_falls(&s, 0, 6, true);
        assert!(
            !run.countries[0].record.party_in_power,
            "one draw per threat"
        );
        let mut run = run_state(&s);
        run.countries[0].policy = s.decision.tolerated_line.value - 10.0;
        run.countries[0].overthrow_streak = 1;
        s.centre.resolve.value = 0.0;
        run.weigh_threat(&s, 0, 5);
        s.centre.resolve.value = 1.0;
        run.weigh_threat(&s, 0, 6);
        assert!(
            !run.countries[0].record.intervention,
            "decided at the onset only"
        );
        for doctrine in [Doctrine::ExternalArmedInterferenceOnly, Doctrine::Never] {
            let mut s = brezhnev();
            s.centre.doctrine = doctrine;
            let mut run = run_state(&s);
            run.doctrine = doctrine;
            run.countries[0].overthrow_streak = 1;
            run.weigh_threat(&s, 0, 5);
            assert!(!run.countries[0].record.intervention);
        }
    }
}
