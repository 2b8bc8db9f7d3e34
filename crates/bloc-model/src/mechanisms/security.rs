//! The security forces: their loyalty moves toward a target (the base, backing believed from
//! the centre, minus being overwhelmed by the actives, the elite's split and the strain of a
//! lethal order; full during an intervention), the cops on the lattice follow repression and
//! intervention, arrests follow loyalty, and loyalty below the line in a crisis is defection.
//! Last, the lattice's lethality: a lethal order carried out by loyal forces kills (backlash).

use crate::config::{BlocScenario, Country, Role};
use crate::country::CountryState;

/// One week of country `i`'s security forces in `week`.
pub(crate) fn week(s: &BlocScenario, i: usize, c: &mut CountryState, week: i64, crisis: bool) {
    if s.mechanisms.security {
        let intervening = c.intervention_until.is_some_and(|until| week <= until);
        loyalty(s, i, c, intervening);
        cops(s, c, intervening);
        if c.loyalty < s.security.defection_threshold.value && crisis && c.record.party_in_power {
            c.record.defected = true;
            if c.lethal {
                c.record.defected_under_lethal = true;
            }
        }
    }
    lethality(s, c);
}

/// Loyalty moves by `security.adjustment` of the way to its target.
fn loyalty(s: &BlocScenario, i: usize, c: &mut CountryState, intervening: bool) {
    let sec = &s.security;
    let counts = c.world.counts();
    let cops = c.world.cop_count().max(1) as f64;
    let ratio = f64::from(counts.active) / cops;
    let split = elite_split(&s.countries[i], &c.capability, &c.position);
    let backing = if s.mechanisms.beliefs { c.belief } else { 0.0 };
    let mut target = sec.base_loyalty.value + sec.backing_weight.value * backing
        - sec.overwhelm_weight.value * (ratio - sec.overwhelm_ratio.value).max(0.0)
        - sec.split_weight.value * split;
    if c.lethal {
        target -= sec.lethal_strain.value;
    }
    if intervening {
        target = 1.0;
    }
    c.loyalty += sec.adjustment.value * (target.clamp(0.0, 1.0) - c.loyalty);
    c.loyalty = c.loyalty.clamp(0.0, 1.0);
}

/// The cops on the lattice: the base force, raised under repression and more during an
/// intervention (while the party holds power), within the free sites; arrests as loyal.
fn cops(s: &BlocScenario, c: &mut CountryState, intervening: bool) {
    let counts = c.world.counts();
    let mut boost = if c.repression {
        s.security.repression_boost.value
    } else {
        1.0
    };
    if intervening {
        boost *= s.centre.intervention_boost.value;
    }
    if !c.record.party_in_power {
        boost = 1.0;
    }
    let (w, h) = c.world.dimensions();
    let free_sites = w * h - (counts.quiet + counts.active) as usize;
    let target_cops =
        ((c.base_cops as f64 * boost).round() as usize).min(free_sites + c.world.cop_count());
    c.world.set_cop_target(target_cops);
    c.world.set_arrest_share(Some(c.loyalty));
}

/// The lattice's kill probability: `backlash.kill_probability` while a lethal order stands
/// and the forces are loyal enough to carry it out.
fn lethality(s: &BlocScenario, c: &mut CountryState) {
    let m = &s.mechanisms;
    if !(m.backlash || m.decision) {
        return;
    }
    let lethal = c.lethal && c.loyalty >= s.security.defection_threshold.value;
    c.world.set_lethality(if lethal && m.backlash {
        s.backlash.kill_probability.value
    } else {
        0.0
    });
}

/// How split the elite is: the distance between the party wings' positions (0-1), times how
/// evenly matched they are.
pub(crate) fn elite_split(cfg: &Country, capability: &[f64], position: &[f64]) -> f64 {
    let find = |role: Role| cfg.actors.iter().position(|a| a.role == role);
    match (find(Role::Hardliners), find(Role::Reformers)) {
        (Some(h), Some(r)) => {
            let (ch, cr) = (capability[h], capability[r]);
            if ch <= 0.0 || cr <= 0.0 {
                return 0.0;
            }
            (ch.min(cr) / ch.max(cr)) * (position[h] - position[r]).abs() / 100.0
        }
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, two_allies};

    #[test]
    fn an_intervention_restores_loyalty() {
        let s = two_allies();
        let (mut alone, mut helped) = (country(&s, 0), country(&s, 0));
        alone.loyalty = 0.1;
        helped.loyalty = 0.1;
        helped.intervention_until = Some(10);
        week(&s, 0, &mut alone, 5, true);
        week(&s, 0, &mut helped, 5, true);
        // During an intervention the target is full loyalty.
        let adjustment = s.security.adjustment.value;
        assert_eq!(helped.loyalty, 0.1 + adjustment * (1.0 - 0.1));
        assert!(helped.loyalty > alone.loyalty);
        // After it, the target is the country's own again.
        let mut after = country(&s, 0);
        after.loyalty = 0.1;
        after.intervention_until = Some(4);
        week(&s, 0, &mut after, 5, true);
        assert_eq!(after.loyalty, alone.loyalty);
    }

    #[test]
    fn low_loyalty_in_a_crisis_is_defection_and_not_outside_one() {
        let s = two_allies();
        let mut calm = country(&s, 0);
        calm.loyalty = 0.0;
        week(&s, 0, &mut calm, 1, false);
        assert!(!calm.record.defected);
        let mut crisis = country(&s, 0);
        crisis.loyalty = 0.0;
        crisis.lethal = true;
        week(&s, 0, &mut crisis, 1, true);
        assert!(crisis.record.defected && crisis.record.defected_under_lethal);
    }

    #[test]
    fn an_even_split_of_distant_wings_is_largest() {
        let s = two_allies();
        let cfg = &s.countries[0];
        let n = cfg.actors.len();
        let h = cfg.actors.iter().position(|a| a.role == Role::Hardliners);
        let r = cfg.actors.iter().position(|a| a.role == Role::Reformers);
        let (Some(h), Some(r)) = (h, r) else {
            panic!("both wings in the fixture")
        };
        let mut pos = vec![50.0; n];
        pos[h] = 0.0;
        pos[r] = 100.0;
        assert_eq!(elite_split(cfg, &vec![1.0; n], &pos), 1.0);
        let mut cap = vec![1.0; n];
        cap[r] = 0.5;
        assert_eq!(elite_split(cfg, &cap, &pos), 0.5);
    }
}
