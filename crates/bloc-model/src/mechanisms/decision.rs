//! The regime's collective decision on its policy (0-100, the liberalization scale): each
//! actor's capability moves (reversion to its base, the opposition's mobilization, the
//! reformers' economic gain and the centre's push, the army pulled toward the centre's
//! representative), stated positions defer to the tolerated line by the belief in
//! intervention, and the scenario's rule decides: weighted median or mean, or a round table
//! (Bueno de Mesquita's model, or a compromise) once the regime is in dialogue.

use super::beliefs::stated_position;
use super::levers::LeverEffects;
use crate::config::{Actor, BlocScenario, DecisionRule, Role};
use crate::country::CountryState;
use bloc_bargain::bdm::{BdmOptions, run_bdm};
use bloc_bargain::median::{weighted_mean, weighted_median};
use bloc_bargain::table::Stakeholder;

/// An actor's weight in the collective decision: capability times salience, the
/// hard-liners' capability raised by the belief that the centre would back them.
pub(crate) fn weight(s: &BlocScenario, actor: &Actor, capability: f64, belief: f64) -> f64 {
    let mut cap = capability;
    if actor.role == Role::Hardliners && s.mechanisms.beliefs {
        cap *= 1.0 + s.decision.backing_gain.value * belief;
    }
    cap * actor.salience.value
}

/// One week of country `i`'s decision, with `share` of its citizens active. A fallen regime
/// decides nothing; with the mechanism off the policy only keeps to its floor.
pub(crate) fn week(
    s: &BlocScenario,
    i: usize,
    c: &mut CountryState,
    fx: &LeverEffects,
    share: f64,
) {
    if !c.record.party_in_power {
        return;
    }
    if !s.mechanisms.decision {
        c.policy = c.policy.max(c.policy_floor);
        return;
    }
    move_actors(s, i, c, fx, share);
    let decided = decide(s, i, c);
    c.policy = decided
        .unwrap_or(c.policy)
        .clamp(0.0, 100.0)
        .max(c.policy_floor);
}

/// The actors' capabilities and stated positions this week.
fn move_actors(s: &BlocScenario, i: usize, c: &mut CountryState, fx: &LeverEffects, share: f64) {
    let cfg = &s.countries[i];
    let belief = c.belief;
    let mean_hardship = 0.5 + c.hardship;
    for (a, actor) in cfg.actors.iter().enumerate() {
        let base = actor.capability.value;
        let mut cap = c.capability[a];
        cap += s.decision.capability_reversion.value * (base - cap);
        match actor.role {
            // Mobilization comes from crises, not from the lattice's everyday activity: only
            // the active share above the crisis line builds the opposition's capability.
            Role::Opposition => {
                let above = (share - s.outcomes.crisis_share.value).max(0.0);
                cap += s.decision.mobilization_gain.value * above;
            }
            Role::Reformers => {
                cap += s.decision.economic_gain.value * (mean_hardship - 0.5).max(0.0);
                cap += fx.reform_push;
            }
            Role::Army => {
                let centre_pos = cfg
                    .actors
                    .iter()
                    .find(|x| x.role == Role::Centre)
                    .map(|x| x.position.value);
                if let Some(target) = centre_pos {
                    c.position[a] += fx.army_pull * (target - c.position[a]);
                }
            }
            _ => {}
        }
        c.capability[a] = cap.max(0.0);
        if s.mechanisms.beliefs && actor.role != Role::Centre && actor.role != Role::Army {
            c.position[a] = stated_position(s, c.ideal[a], belief);
        }
    }
}

/// The policy the scenario's rule decides from the actors' positions and weights.
fn decide(s: &BlocScenario, i: usize, c: &mut CountryState) -> Option<f64> {
    let cfg = &s.countries[i];
    let w: Vec<f64> = cfg
        .actors
        .iter()
        .enumerate()
        .map(|(a, actor)| weight(s, actor, c.capability[a], c.belief))
        .collect();
    let round_table = c.policy >= s.decision.dialogue_at.value;
    match s.decision.rule {
        DecisionRule::WeightedMedian => weighted_median(&c.position, &w),
        DecisionRule::WeightedMean => weighted_mean(&c.position, &w),
        DecisionRule::BdmRoundTable if round_table => {
            bdm_round_table(s, i, c, &w);
            weighted_median(&c.position, &w)
        }
        DecisionRule::BdmRoundTable => weighted_median(&c.position, &w),
        DecisionRule::CompromiseAtRoundTable if round_table => weighted_mean(&c.position, &w),
        DecisionRule::CompromiseAtRoundTable => weighted_median(&c.position, &w),
    }
}

/// A round table as Bueno de Mesquita's model: the actors' positions after its rounds
/// become their stated positions, and their ideals move by as much.
fn bdm_round_table(s: &BlocScenario, i: usize, c: &mut CountryState, w: &[f64]) {
    let cfg = &s.countries[i];
    let actors: Vec<Stakeholder> = cfg
        .actors
        .iter()
        .enumerate()
        .map(|(a, actor)| Stakeholder {
            name: format!("{:?}", actor.role),
            capability: w[a] / actor.salience.value.max(1e-12),
            position: c.position[a],
            salience: actor.salience.value,
        })
        .collect();
    let run = run_bdm(
        &actors,
        s.decision.round_table_rounds,
        BdmOptions::default(),
    );
    if let Some(last) = run.rounds.last() {
        for (a, &x) in last.positions.iter().enumerate() {
            c.ideal[a] = (c.ideal[a] + x - c.position[a]).clamp(0.0, 100.0);
        }
        c.position.clone_from(&last.positions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, two_allies};

    /// Index of the first country's opposition.
    fn opposition(s: &BlocScenario) -> usize {
        s.countries[0]
            .actors
            .iter()
            .position(|a| a.role == Role::Opposition)
            .expect("an opposition")
    }

    #[test]
    fn the_policy_keeps_to_its_floor() {
        let s = two_allies();
        let mut c = country(&s, 0);
        c.policy_floor = 99.0;
        week(&s, 0, &mut c, &LeverEffects::default(), 0.0);
        assert!(c.policy >= 99.0);
    }

    #[test]
    fn mobilization_raises_the_opposition_and_moves_the_policy_its_way() {
        let s = two_allies();
        let opp = opposition(&s);
        let (mut calm, mut crisis) = (country(&s, 0), country(&s, 0));
        for _ in 0..20 {
            week(&s, 0, &mut calm, &LeverEffects::default(), 0.0);
            week(&s, 0, &mut crisis, &LeverEffects::default(), 0.5);
        }
        assert!(crisis.capability[opp] > calm.capability[opp]);
        assert!(crisis.policy >= calm.policy);
    }

    #[test]
    fn only_activity_above_the_crisis_line_mobilizes() {
        let s = two_allies();
        let opp = opposition(&s);
        let line = s.outcomes.crisis_share.value;
        let base = s.countries[0].actors[opp].capability.value;
        // Everyday activity at the crisis line leaves the opposition at its base.
        let mut calm = country(&s, 0);
        for _ in 0..52 {
            week(&s, 0, &mut calm, &LeverEffects::default(), line);
        }
        assert_eq!(calm.capability[opp], base);
        // One week at the line + 0.1 adds mobilization_gain x 0.1 (no reversion at the base).
        let mut crisis = country(&s, 0);
        week(&s, 0, &mut crisis, &LeverEffects::default(), line + 0.1);
        let gained = crisis.capability[opp] - base;
        assert!(
            (gained - s.decision.mobilization_gain.value * 0.1).abs() < 1e-9,
            "{gained}"
        );
    }

    #[test]
    fn hardliners_weigh_more_when_backing_is_believed() {
        let s = two_allies();
        let hard = s.countries[0]
            .actors
            .iter()
            .find(|a| a.role == Role::Hardliners)
            .expect("hard-liners");
        assert!(weight(&s, hard, 10.0, 0.9) > weight(&s, hard, 10.0, 0.0));
    }
}
