//! The centre's strategies: a strategy file (doctrine, resolve, belief statements, budget and
//! lever schedules) applied on top of a scenario; [`compare`], the paired comparison of
//! strategies on common random numbers; [`trigger`], conditions on a run's state; and
//! [`playbook`], reactions to triggers ranked by branching runs (design model.md §4).
//!
//! A strategy changes only what the centre decides: its doctrine and resolve, its budget, and
//! the levers it schedules (added to the scenario's own schedule, which holds what was
//! already decided on the start date, such as the troop cuts announced on 1988-12-07). Lever
//! costs, delays and effects come from the scenario's `[levers]`. Problems are reported in
//! the strategy file, at line and column.

pub mod compare;
pub mod playbook;
pub mod trigger;

use crate::config::{BlocScenario, Doctrine, LeverUse};
use crate::sourced::{Amount, Fraction};
use bloc_base::diagnostics::Diagnostics;
use bloc_base::document::{Checked, SemanticProblems, locate_problems, parse};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The header of a strategy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategyHeader {
    /// Must be "strategy" for this format.
    #[schemars(extend("const" = "strategy"))]
    pub kind: String,
    /// A short name, used in the comparison's tables.
    #[schemars(length(min = 1, max = 60))]
    pub name: String,
    /// What the strategy is and which line of the memo or which historical policy it encodes.
    #[serde(default)]
    pub description: String,
}

/// What the centre decides from the start (each absent field keeps the scenario's value).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CentreChoices {
    /// The doctrine from the start.
    #[serde(default)]
    pub doctrine: Option<Doctrine>,
    /// The centre's resolve to act when its doctrine calls for force.
    #[serde(default)]
    pub resolve: Option<Fraction>,
    /// What every ally believes about the centre's force from the start (a statement of the
    /// doctrine that is believed).
    #[serde(default)]
    pub belief: Option<Fraction>,
    /// The centre's budget for levers over the horizon.
    #[serde(default)]
    pub budget: Option<Amount>,
}

/// A reaction rule: when the condition first holds in a run, the levers start the next week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactionRule {
    /// A short name.
    #[schemars(length(min = 1, max = 60))]
    pub name: String,
    /// What it encodes.
    #[serde(default)]
    pub description: String,
    /// The trigger.
    pub when: trigger::Condition,
    /// The levers (`country = "trigger"`: where the trigger fired).
    #[schemars(length(min = 1))]
    pub levers: Vec<playbook::ReactionLever>,
}

/// A strategy of the centre, as written in a strategy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// Name and description.
    pub strategy: StrategyHeader,
    /// Doctrine, resolve, belief and budget (default: the scenario's).
    #[serde(default)]
    pub centre: CentreChoices,
    /// Levers scheduled by this strategy, added to the scenario's schedule.
    #[serde(default)]
    pub lever_schedule: Vec<LeverUse>,
    /// Reaction rules: trigger -> levers, once per run each.
    #[serde(default)]
    pub reactions: Vec<ReactionRule>,
}

impl Checked for Strategy {
    /// Lever countries and dates need the scenario: they are checked by [`apply_strategy`].
    /// The centre's values' priors are checked here.
    fn check(&self, p: &mut SemanticProblems) {
        use crate::parameters::ValueKind;
        let c = &self.centre;
        let values = [
            (
                "centre.resolve",
                c.resolve.as_ref().map(|f| (f.value, f.prior)),
                ValueKind::Fraction,
            ),
            (
                "centre.belief",
                c.belief.as_ref().map(|f| (f.value, f.prior)),
                ValueKind::Fraction,
            ),
            (
                "centre.budget",
                c.budget.as_ref().map(|a| (a.value, a.prior)),
                ValueKind::Amount,
            ),
        ];
        for (location, value, kind) in values {
            if let Some((value, Some(prior))) = value {
                crate::config::check_prior(location, value, prior, kind, p);
            }
        }
    }
}

/// Reads a strategy file and applies it to `scenario`; every problem, including a lever
/// naming a country the scenario does not have, is located in the strategy file.
pub fn apply_strategy(
    scenario: &BlocScenario,
    strategy_text: &str,
) -> Result<(Strategy, BlocScenario), Diagnostics> {
    let strategy: Strategy = parse(strategy_text)?;
    let offset = scenario.lever_schedule.len();
    let mut s = scenario.clone();
    let choices = &strategy.centre;
    if let Some(d) = choices.doctrine {
        s.centre.doctrine = d;
    }
    if let Some(r) = &choices.resolve {
        s.centre.resolve = r.clone();
    }
    if let Some(b) = &choices.belief {
        for c in &mut s.countries {
            c.belief = b.clone();
        }
    }
    if let Some(b) = &choices.budget {
        s.centre.budget = b.clone();
    }
    s.lever_schedule
        .extend(strategy.lever_schedule.iter().cloned());
    let mut problems = SemanticProblems::default();
    s.check(&mut problems);
    let mut own = SemanticProblems::default();
    for (i, r) in strategy.reactions.iter().enumerate() {
        r.when
            .check(scenario, &format!("reactions[{i}].when"), &mut own);
        for (j, l) in r.levers.iter().enumerate() {
            l.check(scenario, &format!("reactions[{i}].levers[{j}]"), &mut own);
        }
    }
    let mine: Vec<(String, String, String)> = problems
        .into_vec()
        .into_iter()
        .filter_map(|(path, msg, exp)| {
            let rest = path.strip_prefix("lever_schedule[")?;
            let (idx, tail) = rest.split_once(']')?;
            let i: usize = idx.parse().ok()?;
            (i >= offset).then(|| (format!("lever_schedule[{}]{tail}", i - offset), msg, exp))
        })
        .chain(own.into_vec())
        .collect();
    if mine.is_empty() {
        Ok((strategy, s))
    } else {
        Err(locate_problems(strategy_text, mine))
    }
}

/// Runs the ensemble of `s` with a strategy's reaction rules: each rule fires at most once per
/// run, the first week its condition holds, and its levers start the next week. With no rules
/// this steps every run exactly as [`crate::simulate_bloc`] does.
pub fn run_with_reactions(
    s: &BlocScenario,
    rules: &[ReactionRule],
    plan: bloc_base::ensemble::EnsemblePlan,
    progress: impl FnMut(u64),
) -> Result<Vec<crate::paths::RunPath>, bloc_base::ensemble::EnsembleError> {
    run_with_reactions_drawn(s, None, rules, plan, progress)
}

/// As [`run_with_reactions`], each run on its parameter draw of `draws` when given (the
/// strategy applied to every draw's scenario; they share `s`'s countries and calendar), as
/// [`crate::run_forecast_drawn`] runs them.
pub fn run_with_reactions_drawn(
    s: &BlocScenario,
    draws: Option<&crate::ParameterDraws>,
    rules: &[ReactionRule],
    plan: bloc_base::ensemble::EnsemblePlan,
    progress: impl FnMut(u64),
) -> Result<Vec<crate::paths::RunPath>, bloc_base::ensemble::EnsembleError> {
    use crate::runs::RunScenarios;
    let watch = Reactions { s, rules };
    let on = RunScenarios::drawn_or_one(s, draws);
    on.check(s, plan.runs)?;
    let mut out = Vec::with_capacity(plan.runs as usize);
    crate::runs::run_bloc_ensemble_on(on, plan, &watch, |_, run| out.push(run), progress)?;
    Ok(out)
}

/// Reaction rules as an ensemble's watch: each rule fires at most once per run, the first
/// week its trigger holds, and its levers start the week after.
struct Reactions<'a> {
    s: &'a BlocScenario,
    rules: &'a [ReactionRule],
}

/// One run's reaction rules: which have fired, and the week's emigrants they read.
struct ReactionObserver<'a> {
    s: &'a BlocScenario,
    rules: &'a [ReactionRule],
    fired: Vec<bool>,
    emigrants: crate::runs::WeeklyEmigrants,
}

impl crate::run::Observer for ReactionObserver<'_> {
    fn start(&mut self, sim: &crate::run::Simulation<'_>) {
        self.emigrants.start(sim);
    }

    fn week(&mut self, sim: &mut crate::run::Simulation<'_>, week: i64) {
        if self.rules.is_empty() {
            return;
        }
        self.emigrants.update(sim);
        for (r, rule) in self.rules.iter().enumerate() {
            if self.fired[r] {
                continue;
            }
            if let Some(country) = rule.when.holds(sim, &self.emigrants.this_week) {
                self.fired[r] = true;
                for l in &rule.levers {
                    sim.add_lever(l.plan(self.s, country, week + 1));
                }
            }
        }
    }
}

impl<'a> crate::runs::RunWatch for Reactions<'a> {
    type Observer = ReactionObserver<'a>;
    type Summary = crate::paths::RunPath;

    fn start(&self, _run: u64) -> (bool, ReactionObserver<'a>) {
        let observer = ReactionObserver {
            s: self.s,
            rules: self.rules,
            fired: vec![false; self.rules.len()],
            emigrants: crate::runs::WeeklyEmigrants::default(),
        };
        (false, observer)
    }

    fn summarize(
        &self,
        _run: u64,
        result: crate::run::BlocRun,
        _observer: ReactionObserver<'a>,
    ) -> crate::paths::RunPath {
        crate::paths::RunPath::at_horizon(&result)
    }
}
