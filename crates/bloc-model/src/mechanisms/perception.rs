//! What the citizens perceive before they act (Model I's inputs, set through the lattice's
//! hooks): the cascade's signal (the active share, last week's emigration, neighbours'
//! falls) lowers the threshold and the perceived risk; the belief in intervention and the
//! deterrence of deaths raise the risk; the regime's legitimacy; and each citizen's hardship
//! (its own draw, the economy's shift, the rival pole's pull by its media exposure).

use super::levers::LeverEffects;
use crate::config::BlocScenario;
use crate::country::CountryState;
use bloc_citizens::epstein::world::World;

/// Country `i`'s citizens' perception this week, with `share` active and `neighbour_falls`
/// the attention-weighted falls without force seen last week.
pub(crate) fn week(
    s: &BlocScenario,
    i: usize,
    c: &mut CountryState,
    fx: &LeverEffects,
    share: f64,
    neighbour_falls: f64,
) {
    let m = &s.mechanisms;
    let signal = if m.cascade {
        cascade_signal(s, c, share, neighbour_falls)
    } else {
        0.0
    };
    let threshold = s.citizens.threshold.value - s.cascade.signal_weight.value * signal;
    let mut k = s.citizens.arrest_constant.value;
    if m.cascade {
        k *= (1.0 - s.cascade.risk_relief.value * signal.min(1.0)).max(0.0);
    }
    if m.beliefs {
        k *= 1.0 + s.centre.risk_weight.value * c.belief;
    }
    if m.backlash {
        k *= 1.0 + c.deterrence;
    }
    if m.cascade {
        c.world.set_threshold(threshold);
    }
    if m.cascade || m.beliefs || m.backlash {
        c.world.set_arrest_constant(k);
    }
    c.world.set_legitimacy(c.legitimacy);
    if m.economy || m.rival_pole || m.cohorts {
        let pull = if m.rival_pole {
            s.rival_pole.pull.value * s.countries[i].media_reach.value * (1.0 + fx.western_exposure)
        } else {
            0.0
        };
        let shift = if m.economy { c.hardship } else { 0.0 };
        set_hardship(&mut c.world, &c.base_hardship, &c.exposure, shift, pull);
    }
}

/// The cascade's signal: the active share, plus last week's emigrants as a share of the
/// citizens (when exit is on), plus the neighbours' falls, each by its weight.
fn cascade_signal(s: &BlocScenario, c: &CountryState, share: f64, neighbour_falls: f64) -> f64 {
    let exit_signal = if c.citizens_initial > 0 {
        f64::from(c.world.emigrated() - c.last_emigrated) / f64::from(c.citizens_initial)
    } else {
        0.0
    };
    share
        + s.cascade.exit_weight.value * exit_signal * if s.mechanisms.exit { 1.0 } else { 0.0 }
        + s.cascade.neighbour_weight.value * neighbour_falls
}

/// Sets every citizen's perceived hardship: its own draw plus the economy's shift plus the
/// rival pole's pull times its media exposure, within [0, 1].
pub(crate) fn set_hardship(
    world: &mut World,
    base: &[f64],
    exposure: &[f64],
    shift: f64,
    pull: f64,
) {
    for (idx, citizen) in world.citizens_mut().iter_mut().enumerate() {
        citizen.hardship = (base[idx] + shift + pull * exposure[idx]).clamp(0.0, 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, two_allies};

    #[test]
    fn a_signal_lowers_the_threshold_and_the_risk() {
        let s = two_allies();
        let (mut quiet, mut loud) = (country(&s, 0), country(&s, 0));
        week(&s, 0, &mut quiet, &LeverEffects::default(), 0.0, 0.0);
        week(&s, 0, &mut loud, &LeverEffects::default(), 0.3, 1.0);
        assert!(loud.world.threshold() < quiet.world.threshold());
        assert!(loud.world.arrest_constant() < quiet.world.arrest_constant());
    }

    #[test]
    fn hardship_is_clamped_to_the_unit_interval() {
        let s = two_allies();
        let mut c = country(&s, 0);
        set_hardship(&mut c.world, &c.base_hardship, &c.exposure, 5.0, 0.0);
        assert!(c.world.citizens().iter().all(|x| x.hardship == 1.0));
    }
}
