//! Beliefs about the centre: what the allies learn at the end of a week (a fall without force
//! lowers the belief that the centre would intervene, by `centre.belief_learning` x
//! attention; an intervention raises it and costs alignment; a concession made without the
//! centre's intervention lowers it by `concession_signal` times a fall's lesson), and how a
//! belief makes actors defer to the tolerated line (their stated positions).

use crate::config::BlocScenario;
use crate::state::{Observation, RunState};

impl RunState {
    /// What the allies saw this week, applied at its end.
    pub(crate) fn learn(&mut self, s: &BlocScenario) {
        let n = self.countries.len();
        for observation in std::mem::take(&mut self.observed) {
            let (j, intervened) = match observation {
                Observation::FellWithoutForce(j) => (j, false),
                Observation::Intervened(j) => (j, true),
            };
            for i in 0..n {
                let a = if i == j { 1.0 } else { self.attention[i][j] };
                if intervened && s.mechanisms.alliance {
                    let al = &mut self.countries[i].alignment;
                    *al = (*al - s.alliance.coercion_cost.value * a).max(0.0);
                }
                if s.mechanisms.beliefs {
                    let learning = s.centre.belief_learning.value;
                    let b = &mut self.countries[i].belief;
                    if intervened {
                        *b += learning * a * (1.0 - *b);
                    } else {
                        *b -= learning * a * *b;
                    }
                }
            }
        }
        self.learn_from_concessions(s);
    }

    /// A first concession made without the centre's intervention, seen by every ally.
    fn learn_from_concessions(&mut self, s: &BlocScenario) {
        let n = self.countries.len();
        for j in 0..n {
            if !std::mem::take(&mut self.countries[j].pending_signal) {
                continue;
            }
            if !s.mechanisms.beliefs || self.countries[j].record.intervention {
                continue;
            }
            let learning = s.centre.belief_learning.value * s.centre.concession_signal.value;
            for i in 0..n {
                let a = if i == j { 1.0 } else { self.attention[i][j] };
                let b = &mut self.countries[i].belief;
                *b -= learning * a * *b;
            }
        }
    }
}

/// The stated position of an actor with ideal `ideal` who believes force would come with
/// probability `belief`: pulled back toward the tolerated line by deference x belief.
pub(crate) fn stated_position(s: &BlocScenario, ideal: f64, belief: f64) -> f64 {
    let line = s.decision.tolerated_line.value;
    if !s.mechanisms.beliefs || ideal <= line {
        return ideal;
    }
    ideal - s.decision.deference.value * belief * (ideal - line)
}

/// The inverse of [`stated_position`]: the ideal behind a stated position.
pub(crate) fn ideal_position(s: &BlocScenario, stated: f64, belief: f64) -> f64 {
    let line = s.decision.tolerated_line.value;
    let pull = s.decision.deference.value * belief;
    if !s.mechanisms.beliefs || stated <= line || pull >= 1.0 {
        return stated;
    }
    (line + (stated - line) / (1.0 - pull)).min(100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{run_state, two_allies};

    #[test]
    fn the_ideal_and_the_stated_position_are_inverses_below_the_scale_end() {
        let s = two_allies();
        for belief in [0.0, 0.3, 0.9] {
            for x in [10.0, 50.0, 60.0, 80.0] {
                let ideal = ideal_position(&s, x, belief);
                if ideal < 100.0 {
                    let back = stated_position(&s, ideal, belief);
                    assert!((back - x).abs() < 1e-9, "{x} at {belief}: {back}");
                } else {
                    assert!(stated_position(&s, 100.0, belief) <= x, "{x} at {belief}");
                }
            }
        }
        // An ideal beyond the scale is cut at 100 (80 stated at belief 0.9 with the line at
        // 50 and deference 0.5 would be 104.5).
        assert_eq!(ideal_position(&s, 80.0, 0.9), 100.0);
    }

    #[test]
    fn a_counterfactual_belief_keeps_the_ideals_read_under_the_recorded_one() {
        use crate::run::Simulation;
        use crate::sourced::Fraction;
        // Through a run as set up (the pre-start events applied), not a bare country.
        let ideals = |belief: f64, stated_under: Option<f64>| {
            let mut s = two_allies();
            s.countries[0].belief.value = belief;
            s.countries[0].positions_belief = stated_under.map(|b| Fraction::new(b, "test"));
            Simulation::new(&s, 1, 0, false).countries()[0]
                .ideal
                .clone()
        };
        // Positions read under a recorded belief of 0.5: the ideals do not depend on the
        // belief the run starts with.
        assert_eq!(ideals(0.1, Some(0.5)), ideals(0.9, Some(0.5)));
        // Without it, the start belief is taken as the one they were read under, and a
        // lower belief would make the opposition's ideal less radical (the inversion of
        // issue #16).
        let (low, high) = (ideals(0.1, None), ideals(0.9, None));
        let opposition = 2;
        assert!(low[opposition] < high[opposition], "{low:?} {high:?}");
    }

    #[test]
    fn a_fall_without_force_lowers_beliefs_and_an_intervention_raises_them() {
        let s = two_allies();
        let mut run = run_state(&s);
        let before = run.countries[0].belief;
        run.observed.push(Observation::FellWithoutForce(0));
        run.learn(&s);
        assert!(run.countries[0].belief < before);
        let mid = run.countries[0].belief;
        run.observed.push(Observation::Intervened(0));
        run.learn(&s);
        assert!(run.countries[0].belief > mid);
        assert!(run.observed.is_empty());
    }
}
