//! The centre's levers in a week: which are paid for within the budget, which act after
//! their delay on which countries, and what each lever does. Every lever's whole effect is
//! stated once, in [`LeverEffects::new`]; the mechanisms read the named effects.

use crate::config::{BlocScenario, LeverKind};
use crate::levers::{LeverIntensities, lever_index};
use crate::state::RunState;

/// What the levers acting on one country in one week do, each as the mechanism reads it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct LeverEffects {
    /// Hardship relief from reliable contracts, debt relief and military conversion
    /// (economy).
    pub(crate) hardship_relief: f64,
    /// Western credit arranged by the centre (`western_integration`), in credit intensity
    /// (economy).
    pub(crate) arranged_credit: f64,
    /// `western_integration`'s intensity: the rival pole's pull is multiplied by one plus
    /// it (perception).
    pub(crate) western_exposure: f64,
    /// `push_reform`: the reformers' capability gained (decision) and the alignment lost
    /// while the party holds power (alliance).
    pub(crate) reform_push: f64,
    /// `army_partnership`: the share of the distance the army moves toward the centre's
    /// representative, at most 1 (decision).
    pub(crate) army_pull: f64,
    /// `leadership_contacts`: the lethal-order line lowered by 100 x this (actions).
    pub(crate) lethal_relief: f64,
    /// `contacts_all_forces`: contacts gained, which a new government's alignment rewards
    /// (alliance).
    pub(crate) contacts: f64,
    /// `troop_withdrawal`: the share of the remaining troops withdrawn and of the belief
    /// in intervention lost, at most 1 (alliance).
    pub(crate) withdrawal: f64,
    /// Alignment gained: leadership contacts, half of army partnership, troop withdrawal
    /// (alliance).
    pub(crate) alignment_gain: f64,
}

impl LeverEffects {
    /// The effects of one country's row of lever intensities (a lever's intensity times
    /// its `effect` in the scenario's `[levers]` table).
    pub(crate) fn new(s: &BlocScenario, row: &[f64; LeverKind::ALL.len()]) -> Self {
        let lv = |k: LeverKind| row[lever_index(k)];
        let effect = |k: LeverKind| s.levers.get(&k).map_or(0.0, |l| l.effect.value);
        let acting = |k: LeverKind| lv(k) * effect(k);
        let mut hardship_relief = 0.0;
        for k in [
            LeverKind::ReliableContracts,
            LeverKind::DebtRelief,
            LeverKind::MilitaryConversion,
        ] {
            hardship_relief += acting(k);
        }
        let mut alignment_gain = 0.0;
        alignment_gain += acting(LeverKind::LeadershipContacts);
        alignment_gain += acting(LeverKind::ArmyPartnership) * 0.5;
        alignment_gain += acting(LeverKind::TroopWithdrawal);
        LeverEffects {
            hardship_relief,
            arranged_credit: acting(LeverKind::WesternIntegration),
            western_exposure: lv(LeverKind::WesternIntegration),
            reform_push: acting(LeverKind::PushReform),
            army_pull: acting(LeverKind::ArmyPartnership).min(1.0),
            lethal_relief: acting(LeverKind::LeadershipContacts),
            contacts: acting(LeverKind::ContactsAllForces),
            withdrawal: acting(LeverKind::TroopWithdrawal).min(1.0),
            alignment_gain,
        }
    }
}

impl RunState {
    /// The levers acting this week. A lever is paid for in each week of use while the budget
    /// lasts; the effect of a paid week comes `delay` weeks later (an unpaid week has none).
    pub(crate) fn lever_intensities(&mut self, s: &BlocScenario, week: i64) -> LeverIntensities {
        let n = self.countries.len();
        let mut out: LeverIntensities = vec![[0.0; LeverKind::ALL.len()]; n];
        for p in 0..self.levers.len() {
            let plan = &self.levers[p];
            let Some(spec) = s.levers.get(&plan.lever) else {
                continue;
            };
            // Troops can only be withdrawn where the centre has them: a country without a
            // garrison is no target of troop withdrawal (no cost, no savings, no effect).
            let target = |c: usize| {
                plan.applies_to(c)
                    && (plan.lever != LeverKind::TroopWithdrawal
                        || s.countries[c].centre_troops.value > 0)
            };
            let targets = (0..n).filter(|&c| target(c)).count() as f64;
            if targets == 0.0 {
                continue;
            }
            if plan.in_use(week) {
                let cost = spec.cost.value * plan.intensity * targets;
                let savings =
                    spec.savings.as_ref().map_or(0.0, |v| v.value) * plan.intensity * targets;
                if cost <= self.budget_left + savings {
                    self.budget_left += savings - cost;
                    self.cost += cost - savings;
                    self.paid[p][(week - plan.start) as usize] = true;
                }
            }
            let paid_week = week - plan.start - spec.delay.value as i64;
            let acting = paid_week >= 0
                && (paid_week as usize) < self.paid[p].len()
                && self.paid[p][paid_week as usize];
            if !acting {
                continue;
            }
            for (c, row) in out.iter_mut().enumerate() {
                if target(c) {
                    row[lever_index(plan.lever)] += plan.intensity;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_lever_acts_through_its_effect_and_only_there() {
        let s = crate::BlocScenario::eastern_europe_1989();
        for k in LeverKind::ALL {
            let e = s.levers.get(&k).map_or(0.0, |l| l.effect.value);
            assert!(e > 0.0, "the flagship sets every lever's effect: {k:?}");
            let mut row = [0.0; LeverKind::ALL.len()];
            row[lever_index(k)] = 0.5;
            let fx = LeverEffects::new(&s, &row);
            let mut expected = LeverEffects::default();
            match k {
                LeverKind::ReliableContracts
                | LeverKind::DebtRelief
                | LeverKind::MilitaryConversion => expected.hardship_relief = 0.5 * e,
                LeverKind::WesternIntegration => {
                    expected.arranged_credit = 0.5 * e;
                    expected.western_exposure = 0.5;
                }
                LeverKind::PushReform => expected.reform_push = 0.5 * e,
                LeverKind::ArmyPartnership => {
                    expected.army_pull = (0.5 * e).min(1.0);
                    expected.alignment_gain = 0.5 * e * 0.5;
                }
                LeverKind::LeadershipContacts => {
                    expected.lethal_relief = 0.5 * e;
                    expected.alignment_gain = 0.5 * e;
                }
                LeverKind::ContactsAllForces => expected.contacts = 0.5 * e,
                LeverKind::TroopWithdrawal => {
                    expected.withdrawal = (0.5 * e).min(1.0);
                    expected.alignment_gain = 0.5 * e;
                }
            }
            assert_eq!(fx, expected, "{k:?}");
        }
    }

    #[test]
    fn the_army_pull_and_the_withdrawal_are_capped_at_one() {
        let s = crate::BlocScenario::eastern_europe_1989();
        let row = [1.0e6; LeverKind::ALL.len()];
        let fx = LeverEffects::new(&s, &row);
        assert_eq!(fx.army_pull, 1.0);
        assert_eq!(fx.withdrawal, 1.0);
        assert!(fx.alignment_gain > 1.0);
    }
}
