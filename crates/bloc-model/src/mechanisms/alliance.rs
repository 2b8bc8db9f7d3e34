//! The alliance at the end of a week: contacts with all forces accumulate, troop withdrawal
//! removes troops for good and lowers the belief in intervention; the alignment of a regime
//! in power rises with the centre's contacts, army partnership and withdrawal and falls with
//! its push for reform; a new government's drifts away with the rival pole's pull and the
//! troops still stationed (occupation).

use super::levers::LeverEffects;
use crate::config::BlocScenario;
use crate::country::CountryState;

/// One week of country `i`'s alignment, with its levers' effects.
pub(crate) fn week(s: &BlocScenario, i: usize, c: &mut CountryState, fx: &LeverEffects) {
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
        week(&s, 0, &mut c, &fx);
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
        week(&s, 0, &mut c, &fx);
        assert!(c.alignment < before || before == 0.0);
    }
}
