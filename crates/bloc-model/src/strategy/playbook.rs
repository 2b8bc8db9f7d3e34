//! `bloc playbook`: reactions prepared ahead of time for the sharp turns of a playbook file.
//!
//! The base ensemble runs the scenario (with an optional strategy applied). In each run, the
//! first week a trigger fires, the run is **branched**: the whole state is cloned and every
//! candidate reaction is added to a clone as levers starting the next week, and each branch
//! runs to the horizon. The branch's random streams are the run's own streams continued from
//! the branch point (the clone holds their positions), so every reaction and the run without
//! a reaction see the same draws until their states differ: branches are reproducible, and
//! each reaction is compared with "no reaction" run by run (paired intervals). Only the
//! state of the run being branched is held, one trigger at a time: memory does not grow
//! with the number of runs.
//!
//! Reactions are ranked per trigger by the objective's mean difference from no reaction.

use super::compare::{Difference, Objective, difference};
use super::trigger::Condition;
use crate::config::{BlocScenario, LeverKind};
use crate::levers::LeverPlan;
use crate::paths::RunPath;
use crate::run::{BlocRun, Observer, Simulation, Snapshot};
use crate::runs::{RunScenarios, RunWatch, WeeklyEmigrants, run_bloc_ensemble_on};
use bloc_base::diagnostics::Diagnostics;
use bloc_base::document::{Checked, SemanticProblems, locate_problems, parse};
use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use bloc_base::stats::{quantile, wilson_interval};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The header of a playbook file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaybookHeader {
    /// Must be "playbook" for this format.
    #[schemars(extend("const" = "playbook"))]
    pub kind: String,
    /// A short name.
    pub name: String,
    /// What the playbook prepares for.
    #[serde(default)]
    pub description: String,
}

/// A sharp turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// A short name, unique in the file.
    #[schemars(length(min = 1, max = 60))]
    pub name: String,
    /// What it stands for (the memo's line or the 1989 event).
    #[serde(default)]
    pub description: String,
    /// The condition.
    pub when: Condition,
}

/// One lever of a reaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactionLever {
    /// Which lever.
    pub lever: LeverKind,
    /// "trigger" (the country where the trigger fired), "all", or a country id.
    pub country: String,
    /// Weeks of use, from the week after the trigger.
    #[schemars(range(min = 1, max = 2000))]
    pub weeks: u32,
    /// Intensity in [0, 1].
    #[schemars(range(min = 0.0, max = 1.0))]
    pub intensity: f64,
}

impl ReactionLever {
    /// The lever as a plan from `start`, `"trigger"` resolved to `country`.
    pub fn plan(&self, s: &BlocScenario, country: usize, start: i64) -> LeverPlan {
        LeverPlan {
            lever: self.lever,
            country: match self.country.as_str() {
                "trigger" => Some(country),
                "all" => None,
                id => s.country_index(id),
            },
            start,
            weeks: self.weeks,
            intensity: self.intensity,
        }
    }

    /// Reports a country or lever the scenario does not have, under `path`.
    pub fn check(&self, s: &BlocScenario, path: &str, p: &mut SemanticProblems) {
        if self.country != "trigger"
            && self.country != "all"
            && s.country_index(&self.country).is_none()
        {
            p.error(
                format!("{path}.country"),
                format!("unknown country \"{}\"", self.country),
                "\"trigger\", \"all\" or a country id of the scenario",
            );
        }
        if !s.levers.contains_key(&self.lever) {
            p.error(
                format!("{path}.lever"),
                format!("the scenario has no [levers.{}]", self.lever.name()),
                "a lever the scenario defines (its effect, cost and delay)",
            );
        }
    }
}

/// A candidate reaction: a bundle of levers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reaction {
    /// A short name, unique in the file.
    #[schemars(length(min = 1, max = 60))]
    pub name: String,
    /// Which point of the memo's program it draws on.
    #[serde(default)]
    pub description: String,
    /// Its levers.
    #[schemars(length(min = 1))]
    pub levers: Vec<ReactionLever>,
}

/// A playbook file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// Name and description.
    pub playbook: PlaybookHeader,
    /// The sharp turns.
    #[schemars(length(min = 1))]
    pub triggers: Vec<Trigger>,
    /// The candidate reactions, tried at every trigger.
    #[schemars(length(min = 1))]
    pub reactions: Vec<Reaction>,
}

impl Checked for Playbook {
    /// Every rule is checked at once, with the scenario, by [`read_playbook`].
    fn check(&self, _p: &mut SemanticProblems) {}
}

/// Names used twice.
fn check_names(pb: &Playbook, p: &mut SemanticProblems) {
    for (i, t) in pb.triggers.iter().enumerate() {
        if pb.triggers[..i].iter().any(|u| u.name == t.name) {
            p.error(
                format!("triggers[{i}].name"),
                format!("a second trigger named \"{}\"", t.name),
                "a name not used by another trigger",
            );
        }
    }
    for (i, r) in pb.reactions.iter().enumerate() {
        if pb.reactions[..i].iter().any(|u| u.name == r.name) {
            p.error(
                format!("reactions[{i}].name"),
                format!("a second reaction named \"{}\"", r.name),
                "a name not used by another reaction",
            );
        }
    }
}

/// Reads a playbook and checks it against the scenario (countries, levers); every problem is
/// located in the playbook file.
pub fn read_playbook(scenario: &BlocScenario, text: &str) -> Result<Playbook, Diagnostics> {
    let pb: Playbook = parse(text)?;
    let mut p = SemanticProblems::default();
    check_names(&pb, &mut p);
    for (i, t) in pb.triggers.iter().enumerate() {
        t.when
            .check(scenario, &format!("triggers[{i}].when"), &mut p);
    }
    for (i, r) in pb.reactions.iter().enumerate() {
        for (j, l) in r.levers.iter().enumerate() {
            let path = format!("reactions[{i}].levers[{j}]");
            if l.country != "trigger"
                && l.country != "all"
                && scenario.country_index(&l.country).is_none()
            {
                p.error(
                    format!("{path}.country"),
                    format!("unknown country \"{}\"", l.country),
                    "\"trigger\", \"all\" or a country id of the scenario",
                );
            }
            if !scenario.levers.contains_key(&l.lever) {
                p.error(
                    format!("{path}.lever"),
                    format!("the scenario has no [levers.{}]", l.lever.name()),
                    "a lever the scenario defines (its effect, cost and delay)",
                );
            }
        }
    }
    let problems = p.into_vec();
    if problems.is_empty() {
        Ok(pb)
    } else {
        Err(locate_problems(text, problems))
    }
}

/// What one trigger did in one run.
#[derive(Debug, Clone, PartialEq)]
struct Fired {
    week: i64,
    country: usize,
    reaction_scores: Vec<f64>,
}

/// One reaction's effect at one trigger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReactionEffect {
    /// Its name.
    pub reaction: String,
    /// The objective's difference from no reaction (paired over the runs where the trigger
    /// fired).
    pub effect: Difference,
    /// Runs behind the figure.
    pub runs: u64,
}

/// One trigger's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriggerResult {
    /// Its name.
    pub trigger: String,
    /// Its description.
    pub description: String,
    /// Share of runs in which it fired, with its 95 % Wilson interval.
    pub probability: [f64; 3],
    /// Runs in which it fired.
    pub runs: u64,
    /// Median, 5 % and 95 % firing dates (empty if it never fired).
    pub dates: [String; 3],
    /// Where it fired: country id and share of the firing runs.
    pub countries: BTreeMap<String, f64>,
    /// The reactions, best first (by the mean effect).
    pub ranking: Vec<ReactionEffect>,
}

/// A run's state the week a trigger first fired, kept for the runs asked for.
#[derive(Debug, Clone, Serialize)]
pub struct SavedSnapshot {
    /// The run.
    pub run: u64,
    /// The trigger.
    pub trigger: String,
    /// The state at the end of the firing week (the branch point).
    pub snapshot: Snapshot,
}

/// The playbook's results.
#[derive(Debug, Clone, Serialize)]
pub struct PlaybookResult {
    /// Per trigger, in the file's order.
    pub triggers: Vec<TriggerResult>,
    /// The branch points of the runs whose snapshots were asked for (not in the JSON
    /// report; `bloc playbook --snapshots DIR` writes each to its own file).
    #[serde(skip)]
    pub snapshots: Vec<SavedSnapshot>,
}

/// A playbook's triggers as an ensemble's watch.
struct Triggers<'a> {
    s: &'a BlocScenario,
    pb: &'a Playbook,
    objective: &'a Objective,
    keep_snapshots: &'a [u64],
}

/// One run's triggers: the first week each holds, the run is branched once per reaction and
/// each branch is driven to the horizon and scored.
struct TriggerObserver<'a> {
    watch: &'a Triggers<'a>,
    run: u64,
    fired: Vec<Option<Fired>>,
    kept: Vec<SavedSnapshot>,
    emigrants: WeeklyEmigrants,
}

impl TriggerObserver<'_> {
    /// The objective's score of each reaction, each on its own branch of the run from the
    /// end of `week`, its levers acting on `country` from the next week.
    fn branch_scores(&self, sim: &Simulation<'_>, week: i64, country: usize) -> Vec<f64> {
        let w = self.watch;
        w.pb.reactions
            .iter()
            .map(|r| {
                let mut branch = sim.clone();
                for l in &r.levers {
                    branch.add_lever(l.plan(w.s, country, week + 1));
                }
                branch.run_from(week, &mut ());
                w.objective.score(&RunPath::at_horizon(&branch.finish()))
            })
            .collect()
    }
}

impl Observer for TriggerObserver<'_> {
    fn start(&mut self, sim: &Simulation<'_>) {
        self.emigrants.start(sim);
    }

    fn week(&mut self, sim: &mut Simulation<'_>, week: i64) {
        self.emigrants.update(sim);
        let w = self.watch;
        for (t, trigger) in w.pb.triggers.iter().enumerate() {
            if self.fired[t].is_some() {
                continue;
            }
            let Some(country) = trigger.when.holds(sim, &self.emigrants.this_week) else {
                continue;
            };
            if w.keep_snapshots.contains(&self.run) {
                self.kept.push(SavedSnapshot {
                    run: self.run,
                    trigger: trigger.name.clone(),
                    snapshot: sim.snapshot(week),
                });
            }
            let reaction_scores = self.branch_scores(sim, week, country);
            self.fired[t] = Some(Fired {
                week,
                country,
                reaction_scores,
            });
        }
    }
}

impl<'a> RunWatch for &'a Triggers<'a> {
    type Observer = TriggerObserver<'a>;
    type Summary = (f64, Vec<Option<Fired>>, Vec<SavedSnapshot>);

    fn start(&self, run: u64) -> (bool, TriggerObserver<'a>) {
        let observer = TriggerObserver {
            watch: self,
            run,
            fired: vec![None; self.pb.triggers.len()],
            kept: Vec::new(),
            emigrants: WeeklyEmigrants::default(),
        };
        (false, observer)
    }

    fn summarize(&self, _run: u64, result: BlocRun, seen: TriggerObserver<'a>) -> Self::Summary {
        let base = self.objective.score(&RunPath::at_horizon(&result));
        (base, seen.fired, seen.kept)
    }
}

/// Runs the playbook on `s` (a scenario, a strategy applied if any); the branch points of the
/// runs listed in `keep_snapshots` are returned as serde snapshots.
pub fn run_playbook(
    s: &BlocScenario,
    pb: &Playbook,
    plan: EnsemblePlan,
    objective: &Objective,
    keep_snapshots: &[u64],
    progress: impl FnMut(u64),
) -> Result<PlaybookResult, EnsembleError> {
    run_playbook_drawn(s, None, pb, plan, objective, keep_snapshots, progress)
}

/// As [`run_playbook`], each base run (and so each of its branches) on its parameter draw
/// of `draws` when given (they share `s`'s countries, calendar and levers), as
/// [`crate::run_forecast_drawn`] runs them.
pub fn run_playbook_drawn(
    s: &BlocScenario,
    draws: Option<&crate::ParameterDraws>,
    pb: &Playbook,
    plan: EnsemblePlan,
    objective: &Objective,
    keep_snapshots: &[u64],
    progress: impl FnMut(u64),
) -> Result<PlaybookResult, EnsembleError> {
    let on = RunScenarios::drawn_or_one(s, draws);
    on.check(s, plan.runs)?;
    let watch = Triggers {
        s,
        pb,
        objective,
        keep_snapshots,
    };
    // Per trigger: the no-reaction scores and the firing records, in run order.
    let mut fired_runs: Vec<Vec<(f64, Fired)>> = vec![Vec::new(); pb.triggers.len()];
    let mut snapshots = Vec::new();
    let sink = |_, (base, fired, kept): (f64, Vec<Option<Fired>>, Vec<SavedSnapshot>)| {
        snapshots.extend(kept);
        for (t, f) in fired.into_iter().enumerate() {
            if let Some(f) = f {
                fired_runs[t].push((base, f));
            }
        }
    };
    run_bloc_ensemble_on(on, plan, &&watch, sink, progress)?;
    let n = plan.runs;
    let triggers = pb
        .triggers
        .iter()
        .zip(&fired_runs)
        .map(|(t, runs)| {
            let k = runs.len() as u64;
            let (lo, hi) = wilson_interval(k, n);
            let mut weeks_fired: Vec<f64> = runs.iter().map(|(_, f)| f.week as f64).collect();
            weeks_fired.sort_by(f64::total_cmp);
            let date = |q: f64| {
                if weeks_fired.is_empty() {
                    String::new()
                } else {
                    s.date_of_week(quantile(&weeks_fired, q).round())
                }
            };
            let mut countries: BTreeMap<String, f64> = BTreeMap::new();
            for (_, f) in runs {
                *countries
                    .entry(s.countries[f.country].id.clone())
                    .or_default() += 1.0 / k as f64;
            }
            let base: Vec<f64> = runs.iter().map(|(b, _)| *b).collect();
            let mut ranking: Vec<ReactionEffect> = pb
                .reactions
                .iter()
                .enumerate()
                .map(|(r, reaction)| {
                    let scores: Vec<f64> = runs.iter().map(|(_, f)| f.reaction_scores[r]).collect();
                    ReactionEffect {
                        reaction: reaction.name.clone(),
                        effect: difference(&scores, &base),
                        runs: k,
                    }
                })
                .collect();
            // Best first; ties keep the file's order (a stable sort).
            ranking.sort_by(|a, b| b.effect.mean.total_cmp(&a.effect.mean));
            TriggerResult {
                trigger: t.name.clone(),
                description: t.description.clone(),
                probability: [k as f64 / n.max(1) as f64, lo, hi],
                runs: k,
                dates: [date(0.5), date(0.05), date(0.95)],
                countries,
                ranking,
            }
        })
        .collect();
    Ok(PlaybookResult {
        triggers,
        snapshots,
    })
}
