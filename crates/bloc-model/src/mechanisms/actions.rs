//! What the regime does with its policy: its first concession (dialogue), legalizing the
//! opposition, calling elections, repression and lethal orders against a crisis, and the
//! border to the West (open, and letting other allies' citizens through).

use super::levers::LeverEffects;
use crate::config::BlocScenario;
use crate::country::CountryState;

/// One week of the regime's actions in `week`, `crisis` telling whether the active share is
/// above the crisis line.
pub(crate) fn week(
    s: &BlocScenario,
    c: &mut CountryState,
    fx: &LeverEffects,
    week: i64,
    crisis: bool,
) {
    if c.record.party_in_power {
        concessions(s, c, week);
        orders(s, c, fx, crisis);
    } else {
        c.repression = false;
        c.lethal = false;
    }
    let d = &s.decision;
    let m = &s.mechanisms;
    c.border_open = c
        .border_forced
        .unwrap_or(m.decision && c.policy >= d.open_border_at.value);
    // A border forced open by an event lets everyone through; one forced closed lets no one.
    c.let_through = c
        .border_forced
        .unwrap_or(m.decision && c.policy >= d.let_through_at.value);
}

/// Dialogue, legalization and elections, each when the policy first reaches its line (and
/// elections again when the policy implies a clearly larger contested share).
fn concessions(s: &BlocScenario, c: &mut CountryState, week: i64) {
    let d = &s.decision;
    let decides = s.mechanisms.decision || c.policy_floor > 0.0;
    if decides && c.policy >= d.dialogue_at.value && c.record.first_concession_week.is_none() {
        c.pending_signal = true;
        c.record_first_concession(s, week);
    }
    if decides && c.policy >= d.legalize_at.value && c.record.legalized_week.is_none() {
        c.record.legalized_week = Some(week);
    }
    if s.mechanisms.decision && c.policy >= d.elections_at.value {
        let span = (100.0 - d.elections_at.value).max(1e-9);
        let contested = (d.min_contested.value
            + (1.0 - d.min_contested.value) * (c.policy - d.elections_at.value) / span)
            .clamp(0.0, 1.0);
        let call = match c.contested {
            None => true,
            Some(last) => contested >= last + d.reelection_step.value - 1e-12,
        };
        if call && c.election_week.is_none() {
            c.contested = Some(contested);
            c.election_week = Some((week + d.election_delay.value as i64, contested));
        }
    }
}

/// Repression and lethal orders against a crisis, below their policy lines (leadership
/// contacts lower the lethal line); a forced lethal order stands regardless.
fn orders(s: &BlocScenario, c: &mut CountryState, fx: &LeverEffects, crisis: bool) {
    let d = &s.decision;
    let m = &s.mechanisms;
    let hard = m.security || m.decision;
    c.repression = hard && m.decision && crisis && c.policy < d.repression_below.value;
    c.lethal = c.lethal_forced
        || (m.decision && crisis && c.policy < d.lethal_below.value - 100.0 * fx.lethal_relief);
    if c.repression {
        c.record.repressed_crisis = true;
    }
    if c.lethal {
        c.record.lethal_order = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, two_allies};

    #[test]
    fn dialogue_is_a_first_concession_once() {
        let s = two_allies();
        let mut c = country(&s, 0);
        c.policy = s.decision.dialogue_at.value;
        week(&s, &mut c, &LeverEffects::default(), 5, false);
        assert_eq!(c.record.first_concession_week, Some(5));
        assert!(c.pending_signal);
        week(&s, &mut c, &LeverEffects::default(), 9, false);
        assert_eq!(c.record.first_concession_week, Some(5));
    }

    #[test]
    fn a_crisis_below_the_lines_brings_repression_and_a_lethal_order() {
        let s = two_allies();
        let mut c = country(&s, 0);
        c.policy = 0.0;
        week(&s, &mut c, &LeverEffects::default(), 1, true);
        assert!(c.repression && c.lethal);
        assert!(c.record.repressed_crisis && c.record.lethal_order);
        week(&s, &mut c, &LeverEffects::default(), 2, false);
        assert!(!c.repression && !c.lethal);
    }

    #[test]
    fn leadership_contacts_lower_the_lethal_line() {
        let s = two_allies();
        let mut c = country(&s, 0);
        c.policy = s.decision.lethal_below.value - 1.0;
        let fx = LeverEffects {
            lethal_relief: 0.02,
            ..LeverEffects::default()
        };
        week(&s, &mut c, &fx, 1, true);
        assert!(!c.lethal);
    }

    #[test]
    fn a_forced_border_overrides_the_policy() {
        let s = two_allies();
        let mut c = country(&s, 0);
        c.border_forced = Some(true);
        week(&s, &mut c, &LeverEffects::default(), 1, false);
        assert!(c.border_open && c.let_through);
    }
}
