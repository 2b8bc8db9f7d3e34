//! The alliance at the end of a week: contacts with all forces accumulate, troop withdrawal
//! removes troops for good and lowers the belief in intervention; the alignment of a regime
//! in power rises with the centre's contacts, army partnership and withdrawal and falls with
//! its push for reform; a new government's drifts away with the rival pole's pull and the
//! troops still stationed (occupation).
//!
//! Formal membership is kept apart from alignment (issue #16 item 6): a fall does not by
//! itself end the alliance. Leaving is a government's action, taken in a week when its
//! alignment is under `alliance.intact_threshold` and none of the centre's troops are
//! stationed in the country (never deployed there, or all withdrawn). Source: after the
//! falls of 1989 the new governments of Poland, Hungary and Czechoslovakia stayed in the
//! Warsaw Pact while Soviet troops were on their soil and negotiated their withdrawal (the
//! Czechoslovak and Hungarian agreements of February and March 1990); the Pact was dissolved
//! jointly on 1 July 1991 (Mastny & Byrne 2005, *A Cardboard Castle?*, pp. 64-74, general
//! knowledge of the dates, unverified here). The one government that declared it was leaving
//! under Soviet troops, Nagy's on 1 November 1956, did so as troops poured in; the rule does
//! not produce it, and the history suite shows the miss if it matters. A ruling party may
//! leave too, as Albania's did in September 1968 with no Soviet troops on its soil since 1961
//! (general knowledge, unverified here); leaving is for good (Albania never returned). With
//! the alliance mechanism off no one leaves.

use super::levers::LeverEffects;
use crate::config::BlocScenario;
use crate::country::CountryState;

/// One week of country `i`'s alignment and membership, with its levers' effects.
pub(crate) fn week(s: &BlocScenario, i: usize, c: &mut CountryState, fx: &LeverEffects, week: i64) {
    c.contacts += fx.contacts;
    let withdrawn = fx.withdrawal.min(c.troops_left);
    c.troops_left -= withdrawn;
    if s.mechanisms.beliefs {
        c.belief = (c.belief * (1.0 - fx.withdrawal)).clamp(0.0, 1.0);
    }
    if !s.mechanisms.alliance {
        return;
    }
    let mut d = fx.alignment_gain;
    if c.record.party_in_power {
        d -= fx.reform_push;
    } else {
        let cfg = &s.countries[i];
        let pull = if s.mechanisms.rival_pole {
            cfg.media_reach.value
        } else {
            0.0
        };
        let troops_per_1000 =
            cfg.centre_troops.value as f64 / (cfg.population.value.max(1) as f64) * 1000.0;
        d -= s.alliance.pull_weight.value * pull
            + s.alliance.occupation_weight.value * troops_per_1000 * c.troops_left;
    }
    c.alignment = (c.alignment + d).clamp(0.0, 1.0);
    let stationed = s.countries[i].centre_troops.value as f64 * c.troops_left;
    if c.record.left_alliance_week.is_none()
        && c.alignment < s.alliance.intact_threshold.value
        && stationed < 1.0
    {
        c.record.left_alliance_week = Some(week);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, two_allies};

    #[test]
    fn withdrawal_is_for_good_and_lowers_belief() {
        let s = two_allies();
        let mut c = country(&s, 0);
        let belief = c.belief;
        let fx = LeverEffects {
            withdrawal: 0.25,
            ..LeverEffects::default()
        };
        week(&s, 0, &mut c, &fx, 1);
        assert_eq!(c.troops_left, 0.75);
        assert_eq!(c.belief, belief * 0.75);
    }

    #[test]
    fn pushing_reform_costs_alignment_while_the_party_rules() {
        let s = two_allies();
        let mut c = country(&s, 0);
        let before = c.alignment;
        let fx = LeverEffects {
            reform_push: 0.01,
            ..LeverEffects::default()
        };
        week(&s, 0, &mut c, &fx, 1);
        assert!(c.alignment < before || before == 0.0);
    }

    #[test]
    fn a_government_leaves_only_when_unaligned_and_free_of_the_centres_troops() {
        let s = two_allies();
        let mut c = country(&s, 0);
        c.alignment = 0.0;
        c.troops_left = 1.0;
        let stationed = s.countries[0].centre_troops.value;
        week(&s, 0, &mut c, &LeverEffects::default(), 3);
        assert_eq!(
            c.record.left_alliance_week.is_some(),
            stationed == 0,
            "troops stationed: {stationed}"
        );
        c.troops_left = 0.0;
        week(&s, 0, &mut c, &LeverEffects::default(), 4);
        assert!(c.record.left_alliance_week.is_some());
        let mut aligned = country(&s, 0);
        aligned.alignment = 1.0;
        aligned.troops_left = 0.0;
        week(&s, 0, &mut aligned, &LeverEffects::default(), 4);
        assert_eq!(aligned.record.left_alliance_week, None);
    }
}
