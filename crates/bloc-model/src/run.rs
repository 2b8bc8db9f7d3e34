//! One run of the bloc model: the driver of a week. The mechanisms themselves live in
//! `mechanisms`, one module each; this module calls them in order and keeps the
//! run's state (`state`) between weeks.
//!
//! The order of one week (docs/model.md §2.1): dated events; the centre's levers; then for
//! each country in file order: economy, collective decision and its actions, security
//! forces, the citizens' perception, one Model I step of the lattice, exit, deaths, and the
//! regime's fate (elections, overthrow, defection, the centre's intervention); last,
//! alliance and beliefs. Each country draws from its own stream, keyed by its id
//! ([`country_rng`]), the centre from branch 0, so that a country's citizens with every
//! mechanism off are exactly Model I on that stream, and a country draws the same numbers
//! wherever it stands in the file.

use crate::config::BlocScenario;
use crate::levers::LeverPlan;
use crate::mechanisms::levers::LeverEffects;
use crate::mechanisms::{
    actions, alliance, beliefs, citizens, deaths, decision, economy, exit, fate, perception,
    security,
};
use crate::outcome::{CountryRun, classify};
use crate::state::RunState;
use bloc_base::seeding::{SimRng, branch_rng, branches};
use serde::{Deserialize, Serialize};

pub use crate::country::{CountryState, WeekState, country_branch, country_rng, lattice_scenario};

/// What one run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct BlocRun {
    /// Per country, in the scenario's order.
    pub countries: Vec<CountryRun>,
    /// Weekly states per country (`[country][week]`, week 0 = initial), if kept.
    pub series: Option<Vec<Vec<WeekState>>>,
    /// Lever cost spent by the centre.
    pub cost: f64,
}

/// Runs the whole bloc once. `keep_series` keeps the weekly states.
pub fn simulate_bloc(s: &BlocScenario, master_seed: u64, run: u64, keep_series: bool) -> BlocRun {
    let mut sim = Simulation::new(s, master_seed, run, keep_series);
    sim.run_from(0, &mut ());
    sim.finish()
}

/// What watches a run week by week, as ripgrep's `Sink` serves every printer: the hindcast's
/// checkpoints, the strategies' reaction rules and the playbook's triggers all observe the
/// one weekly loop ([`Simulation::run_from`]). An observer may act on the run (a reaction
/// adds levers; a trigger branches a clone of it) but does not step it.
pub trait Observer {
    /// Called once on the run as set up, before its first week (the ensembles call it).
    fn start(&mut self, _sim: &Simulation<'_>) {}
    /// Called after week `week` was stepped.
    fn week(&mut self, sim: &mut Simulation<'_>, week: i64);
}

/// No observer: the run alone.
impl Observer for () {
    fn week(&mut self, _sim: &mut Simulation<'_>, _week: i64) {}
}

/// A run in progress (kept as a value so that a run can be stepped and inspected).
#[derive(Debug, Clone)]
pub struct Simulation<'a> {
    s: &'a BlocScenario,
    state: RunState,
}

/// The whole state of a run in progress at the end of a week, as a serde document: every
/// lattice, regime, economy and alliance, the centre's beliefs and budget, the levers and the
/// positions of every random stream. [`Simulation::resume`] continues it exactly where it
/// stopped (a test checks that a run resumed from its snapshot's JSON finishes byte-identical
/// to the run never stopped).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    /// The scenario's canonical hash: a snapshot resumes only on the scenario it came from.
    pub scenario_hash: String,
    /// The last week stepped.
    pub week: i64,
    /// The run's state (serde's `flatten` cannot read back the streams' u128 positions, so
    /// the state is a field of its own).
    state: RunState,
}

/// Why a snapshot cannot be resumed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the snapshot was taken on scenario {snapshot}, not on this one ({scenario})")]
pub struct SnapshotMismatch {
    /// The snapshot's scenario hash.
    pub snapshot: String,
    /// The scenario's.
    pub scenario: String,
}

impl<'a> Simulation<'a> {
    /// Sets up run `run` of the ensemble keyed by `master_seed`: the countries, the events
    /// dated before the start, the first concessions already made, and what the allies
    /// learned from them.
    pub fn new(s: &'a BlocScenario, master_seed: u64, run: u64, keep_series: bool) -> Self {
        let centre = branch_rng(master_seed, run, branches::RUN);
        Self::on_stream(s, master_seed, run, centre, keep_series)
    }

    /// As [`Simulation::new`], with the run's own stream given (the ensemble's stream of run
    /// `run`, [`bloc_base::seeding::run_rng`]): the centre draws from it.
    pub fn on_stream(
        s: &'a BlocScenario,
        master_seed: u64,
        run: u64,
        stream: SimRng,
        keep_series: bool,
    ) -> Self {
        let mut state = RunState::new(s, master_seed, run, stream, keep_series);
        // Events dated before the start take effect at week 0.
        state.apply_events(s, 0, true);
        for c in &mut state.countries {
            c.policy = c.policy.max(c.policy_floor);
            let decides = s.mechanisms.decision || c.policy_floor > 0.0;
            if decides && c.policy >= s.decision.dialogue_at.value {
                c.pending_signal = true;
                c.record_first_concession(s, 0);
            }
        }
        state.learn(s);
        // The file's positions are those stated on the start day, under the beliefs of that
        // day (after the events before it, or as `positions_belief` records them): the
        // ideals behind them are recovered with those.
        for (i, c) in state.countries.iter_mut().enumerate() {
            let cfg = &s.countries[i];
            let under = cfg.positions_belief.as_ref().map_or(c.belief, |b| b.value);
            c.ideal = cfg
                .actors
                .iter()
                .map(|a| beliefs::ideal_position(s, a.position.value, under))
                .collect();
        }
        state.record_week();
        Simulation { s, state }
    }

    /// Steps the run from the week after `last` (0 at the start) to the horizon, showing
    /// every week to `observer`: the one weekly loop of every ensemble.
    pub fn run_from(&mut self, last: i64, observer: &mut impl Observer) {
        for week in last + 1..=i64::from(self.s.scenario.weeks) {
            self.step(week);
            observer.week(self, week);
        }
    }

    /// Advances the run to week `week` (1-based).
    pub fn step(&mut self, week: i64) {
        let s = self.s;
        self.state.apply_events(s, week, false);
        let levers = self.state.lever_intensities(s, week);
        let effects: Vec<LeverEffects> =
            levers.iter().map(|row| LeverEffects::new(s, row)).collect();
        self.state.borders = self
            .state
            .countries
            .iter()
            .map(|c| (c.border_open, c.let_through))
            .collect();
        // Signals every country sees this week, from last week's states.
        let fallen: Vec<f64> = self
            .state
            .countries
            .iter()
            .map(|c| {
                if c.record.fell_week.is_some() && !c.record.intervention {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        let n = self.state.countries.len();
        for (i, fx) in effects.iter().enumerate() {
            let neighbour_falls: f64 = (0..n).map(|j| self.state.attention[i][j] * fallen[j]).sum();
            self.country_week(i, week, fx, neighbour_falls);
        }
        for (i, fx) in effects.iter().enumerate() {
            alliance::week(s, i, &mut self.state.countries[i], fx, week);
        }
        self.state.learn(s);
        self.state.record_week();
    }

    /// One week of country `i`: its mechanisms in order, then the regime's fate.
    fn country_week(&mut self, i: usize, week: i64, fx: &LeverEffects, neighbour_falls: f64) {
        let s = self.s;
        let c = &mut self.state.countries[i];
        economy::week(s, i, c, fx);
        let crisis = c.in_crisis(s);
        let share = c.active_share();
        decision::week(s, i, c, fx, share);
        actions::week(s, c, fx, week, crisis);
        security::week(s, i, c, week, crisis);
        perception::week(s, i, c, fx, share, neighbour_falls);
        citizens::step(c);
        exit::week(s, i, c, exit::route(s, i, &self.state.borders));
        deaths::week(s, c);
        fate::record(s, c, week);
        if fate::falls(s, c, week) {
            self.state.regime_falls(s, i, week, true);
        }
    }

    /// Adds a lever to the run in progress (a reaction decided during the run): it is paid
    /// and acts like a scheduled lever from `plan.start` on. Ignored when the scenario turns
    /// the levers mechanism off.
    pub fn add_lever(&mut self, plan: LeverPlan) {
        if self.s.mechanisms.levers {
            self.state.paid.push(vec![false; plan.weeks as usize]);
            self.state.levers.push(plan);
        }
    }

    /// The run's state after `week` (the last week stepped), as a serde document.
    pub fn snapshot(&self, week: i64) -> Snapshot {
        Snapshot {
            scenario_hash: self.s.hash(),
            week,
            state: self.state.clone(),
        }
    }

    /// Continues a run from its snapshot, on the scenario it was taken on; step it from
    /// `snapshot.week + 1`.
    pub fn resume(s: &'a BlocScenario, snapshot: Snapshot) -> Result<Self, SnapshotMismatch> {
        let scenario = s.hash();
        if snapshot.scenario_hash != scenario {
            return Err(SnapshotMismatch {
                snapshot: snapshot.scenario_hash,
                scenario,
            });
        }
        Ok(Simulation {
            s,
            state: snapshot.state,
        })
    }

    /// The scenario this run belongs to.
    pub fn scenario(&self) -> &'a BlocScenario {
        self.s
    }

    /// The countries' states now.
    pub fn countries(&self) -> &[CountryState] {
        &self.state.countries
    }

    /// Ends the run: classifies each country's path.
    pub fn finish(self) -> BlocRun {
        let s = self.s;
        let countries = self
            .state
            .countries
            .into_iter()
            .map(|c| {
                let emigrants = c.emigrants_in_people();
                let mut r = c.record;
                r.deaths = f64::from(c.world.dead()) * s.report.deaths_per_killed.value;
                r.emigrants = emigrants;
                r.alignment = c.alignment;
                r.aligned = c.alignment >= s.alliance.intact_threshold.value;
                r.alliance_intact = r.left_alliance_week.is_none();
                r.lattice_dead = c.world.dead();
                r.lattice_emigrated = c.world.emigrated();
                r.lattice_citizens = c.citizens_initial;
                r.class = classify(&r, s);
                r
            })
            .collect();
        BlocRun {
            countries,
            series: self.state.series,
            cost: self.state.cost,
        }
    }
}
