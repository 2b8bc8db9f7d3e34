//! Dated events of the scenario (and of `--events` files), applied at the start of their
//! week; those dated before the start take effect at week 0. Each kind acts on its country,
//! or on every country when it names none.

use crate::config::{BlocScenario, Doctrine, Event, EventKind};
use crate::state::RunState;

impl RunState {
    /// Applies the events due in `week` (with `before_start`, those dated on or before the
    /// start, at week 0).
    pub(crate) fn apply_events(&mut self, s: &BlocScenario, week: i64, before_start: bool) {
        for e in &s.events {
            let Some(w) = s.week_of(&e.date) else {
                continue;
            };
            let due = if before_start { w <= 0 } else { w == week };
            if !due || (before_start && week != 0) {
                continue;
            }
            let targets: Vec<usize> = match s.country_index(&e.country) {
                Some(i) => vec![i],
                None => (0..self.countries.len()).collect(),
            };
            self.apply_event(s, e, w, week, &targets);
        }
    }

    /// One event dated week `w`, applied in `week` to the `targets`.
    fn apply_event(&mut self, s: &BlocScenario, e: &Event, w: i64, week: i64, targets: &[usize]) {
        let v = e.value.unwrap_or(0.0);
        match e.kind {
            EventKind::Statement => {
                if s.mechanisms.beliefs {
                    for &i in targets {
                        let c = &mut self.countries[i];
                        c.belief = (c.belief + v).clamp(0.0, 1.0);
                    }
                }
            }
            EventKind::Doctrine => {
                if let Some(d) = e.doctrine {
                    self.doctrine = d;
                }
            }
            EventKind::BorderOpen | EventKind::BorderClose => {
                for &i in targets {
                    self.countries[i].border_forced = Some(e.kind == EventKind::BorderOpen);
                }
            }
            EventKind::PolicyFloor => {
                for &i in targets {
                    let c = &mut self.countries[i];
                    c.policy_floor = c.policy_floor.max(v);
                }
            }
            EventKind::RoundTable => {
                for &i in targets {
                    let c = &mut self.countries[i];
                    c.policy_floor = c.policy_floor.max(s.decision.dialogue_at.value);
                }
            }
            EventKind::Election => {
                for &i in targets {
                    let contested = e.value.unwrap_or(1.0);
                    // An election dated before the start is held in the first week.
                    self.countries[i].election_week = Some((w.max(week).max(1), contested));
                    self.countries[i].contested = Some(contested);
                }
            }
            EventKind::LethalOrder => {
                for &i in targets {
                    self.countries[i].lethal_forced = true;
                }
            }
            EventKind::ExternalInterference => {
                if s.mechanisms.intervention && self.doctrine != Doctrine::Never {
                    for &i in targets {
                        self.try_intervention(s, i, week, true);
                    }
                }
            }
            EventKind::RegimeFalls => {
                for &i in targets {
                    // A replayed fall still meets the doctrine: under `when_regime_falls`
                    // the centre may save the regime.
                    self.regime_falls(s, i, week, true);
                }
            }
            EventKind::LegitimacyShock => {
                for &i in targets {
                    let c = &mut self.countries[i];
                    c.legitimacy = (c.legitimacy + v).clamp(0.0, 1.0);
                }
            }
            EventKind::HardshipShock => {
                let lim = s.economy.limit.value;
                for &i in targets {
                    let c = &mut self.countries[i];
                    c.hardship = (c.hardship + v).clamp(-lim, lim);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::mechanisms::testing::{run_state, two_allies};
    use crate::overrides::merge_events;

    #[test]
    fn an_event_acts_in_its_week_only() {
        let s = two_allies();
        let id = &s.countries[0].id;
        let date = s.date_of_week(3.0);
        let events = format!(
            "[[events]]\ndate = \"{date}\"\ncountry = \"{id}\"\nkind = \"legitimacy_shock\"\nvalue = -0.5\nsource = \"test\"\n"
        );
        let s = merge_events(&s, &events).expect("a valid events file");
        let mut run = run_state(&s);
        let before = run.countries[0].legitimacy;
        run.apply_events(&s, 2, false);
        assert_eq!(run.countries[0].legitimacy, before);
        run.apply_events(&s, 3, false);
        assert_eq!(run.countries[0].legitimacy, (before - 0.5).clamp(0.0, 1.0));
    }
}
