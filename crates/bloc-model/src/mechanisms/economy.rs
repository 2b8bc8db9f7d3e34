//! The economy: the hardship shift of a country's citizens drifts, is relieved by the centre's
//! economic levers and by Western credit (offered to a regime in dialogue, or arranged by the
//! centre), and takes a normal shock of `economy.volatility` (docs/model.md, the economy).

use super::levers::LeverEffects;
use crate::config::BlocScenario;
use crate::country::CountryState;
use rand::RngExt;

/// One week of country `i`'s economy.
pub(crate) fn week(s: &BlocScenario, i: usize, c: &mut CountryState, fx: &LeverEffects) {
    if !s.mechanisms.economy {
        return;
    }
    let mut relief = fx.hardship_relief;
    let offered = if s.mechanisms.rival_pole && c.policy >= s.decision.dialogue_at.value {
        s.rival_pole.credit_offer.value
    } else {
        0.0
    };
    let credit = offered + fx.arranged_credit;
    relief += credit * s.economy.credit_relief.value;
    let drift = s.countries[i].hardship_drift.value;
    let lim = s.economy.limit.value;
    let shock = if s.economy.volatility.value > 0.0 {
        let z: f64 = c.rng.sample(rand_distr::StandardNormal);
        s.economy.volatility.value * z
    } else {
        0.0
    };
    c.hardship = (c.hardship + drift - relief + shock).clamp(-lim, lim);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, two_allies};

    #[test]
    fn relief_lowers_hardship_within_the_limit() {
        let mut s = two_allies();
        s.economy.volatility.value = 0.0;
        s.mechanisms.rival_pole = false;
        let mut c = country(&s, 0);
        let before = c.hardship;
        let fx = LeverEffects {
            hardship_relief: 0.01,
            ..LeverEffects::default()
        };
        week(&s, 0, &mut c, &fx);
        let drift = s.countries[0].hardship_drift.value;
        let lim = s.economy.limit.value;
        assert_eq!(c.hardship, (before + drift - 0.01).clamp(-lim, lim));
        let fx = LeverEffects {
            hardship_relief: 1e9,
            ..LeverEffects::default()
        };
        week(&s, 0, &mut c, &fx);
        assert_eq!(c.hardship, -s.economy.limit.value);
    }

    #[test]
    fn switched_off_it_does_nothing() {
        let mut s = two_allies();
        s.mechanisms.economy = false;
        let mut c = country(&s, 0);
        let fx = LeverEffects {
            hardship_relief: 0.5,
            ..LeverEffects::default()
        };
        week(&s, 0, &mut c, &fx);
        assert_eq!(c.hardship, 0.0);
    }
}
