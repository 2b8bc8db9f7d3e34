//! One run of the bloc model: every country's lattice, its regime, economy and alliance,
//! coupled through the centre, the rival pole and each other, week by week.
//!
//! The order of one week (docs/model.md §2.1): dated events; the centre's levers; then for
//! each country in file order: economy, collective decision and its actions, security
//! forces, the citizens' perception, one Model I step of the lattice, exit, deaths, and the
//! regime's fate (elections, overthrow, defection, the centre's intervention); last,
//! beliefs and alignments. Each country draws from its own stream, keyed by its id
//! ([`country_rng`]), the centre from branch 0, so that a country's citizens with every
//! mechanism off are exactly Model I on that stream, and a country draws the same numbers
//! wherever it stands in the file.

use super::config::DecisionRule;
use super::config::{BlocScenario, Doctrine, EventKind, LeverKind, Role};
use super::levers::{LeverIntensities, LeverPlan, lever_index};
use super::outcome::{CountryRun, classify};
use bloc_bargain::bdm::{BdmOptions, run_bdm};
use bloc_bargain::median::{weighted_mean, weighted_median};
use bloc_bargain::table::Stakeholder;
use bloc_base::seeding::{SimRng, branch_rng};
use bloc_citizens::epstein::config::{
    Citizens as EpCitizens, Cops, EpsteinScenario, Lattice, Population,
};
use bloc_citizens::epstein::world::{CitizenState, World};
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// One week of one country, for trajectories.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct WeekState {
    /// Active citizens on the lattice.
    pub actives: u32,
    /// Jailed citizens.
    pub jailed: u32,
    /// Emigrants so far (lattice citizens).
    pub emigrated: u32,
    /// Killed so far (lattice citizens).
    pub dead: u32,
    /// Weekly protest scaled to people.
    pub protest: f64,
    /// Legitimacy L.
    pub legitimacy: f64,
    /// Policy on the liberalization scale.
    pub policy: f64,
    /// Belief that the centre would use force.
    pub belief: f64,
    /// Alignment with the centre.
    pub alignment: f64,
    /// Security forces' loyalty.
    pub loyalty: f64,
    /// Hardship shift from the economy.
    pub hardship: f64,
}

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

/// The state of one country during a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CountryState {
    world: World,
    rng: SimRng,
    base_hardship: Vec<f64>,
    exposure: Vec<f64>,
    population: f64,
    street_fraction: f64,
    citizens_initial: u32,
    base_cops: usize,
    legitimacy: f64,
    hardship: f64,
    loyalty: f64,
    alignment: f64,
    belief: f64,
    capability: Vec<f64>,
    position: Vec<f64>,
    /// Ideal positions: the stated positions at the start with the deference to the
    /// tolerated line taken out.
    ideal: Vec<f64>,
    policy: f64,
    policy_floor: f64,
    border_open: bool,
    border_forced: Option<bool>,
    let_through: bool,
    repression: bool,
    lethal: bool,
    lethal_forced: bool,
    deterrence: f64,
    overthrow_streak: u64,
    election_week: Option<(i64, f64)>,
    contested: Option<f64>,
    intervention_until: Option<i64>,
    contacts: f64,
    /// Share of the centre's troops still stationed (troop withdrawal lowers it for good).
    troops_left: f64,
    last_dead: u32,
    last_emigrated: u32,
    /// A first concession this week, not yet seen by the others.
    pending_signal: bool,
    record: CountryRun,
}

impl CountryState {
    /// Citizens on the lattice at the start.
    pub fn citizens_initial(&self) -> u32 {
        self.citizens_initial
    }

    /// The lattice.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The regime's policy now (0-100).
    pub fn policy(&self) -> f64 {
        self.policy
    }

    /// Whether the border to the West is open this week.
    pub fn border_open(&self) -> bool {
        self.border_open
    }

    /// Whether a lethal order stands this week.
    pub fn lethal_order(&self) -> bool {
        self.lethal
    }

    /// The actors' stated positions now, in the order of the scenario's actors.
    pub fn positions(&self) -> &[f64] {
        &self.position
    }

    /// The path so far (falls, elections, concessions), as the run will report it.
    pub fn path_so_far(&self) -> &CountryRun {
        &self.record
    }

    /// Emigrants so far, in people: lattice emigrants x population / lattice citizens.
    pub fn emigrants_in_people(&self) -> f64 {
        let per = if self.citizens_initial == 0 {
            0.0
        } else {
            self.population / f64::from(self.citizens_initial)
        };
        f64::from(self.world.emigrated()) * per
    }

    /// The state of this country now, as in the trajectories.
    pub fn week_state(&self) -> WeekState {
        let counts = self.world.counts();
        WeekState {
            actives: counts.active,
            jailed: counts.jailed,
            emigrated: self.world.emigrated(),
            dead: self.world.dead(),
            protest: self.protest(self.active_share()),
            legitimacy: self.legitimacy,
            policy: self.policy,
            belief: self.belief,
            alignment: self.alignment,
            loyalty: self.loyalty,
            hardship: self.hardship,
        }
    }

    /// Weekly protest in people for a national active share: share x population x
    /// `report.street_fraction`.
    fn protest(&self, share: f64) -> f64 {
        share * self.population * self.street_fraction
    }

    fn active_share(&self) -> f64 {
        let c = self.world.counts();
        let home = c.quiet + c.active + c.jailed;
        if home == 0 {
            0.0
        } else {
            f64::from(c.active) / f64::from(home)
        }
    }

    fn in_crisis(&self, s: &BlocScenario) -> bool {
        self.active_share() > s.outcomes.crisis_share.value
    }
}

/// The branch of a country's own stream: derived from its id (FNV-1a), never 0 (the centre's
/// branch), so a country draws the same numbers wherever it stands in the file.
pub fn country_branch(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h | 1
}

/// The generator of country `id`'s lattice, exits and elections in run `run`.
pub fn country_rng(master_seed: u64, run: u64, id: &str) -> SimRng {
    branch_rng(master_seed, run, country_branch(id))
}

/// The Model I scenario of one country's lattice.
pub fn lattice_scenario(s: &BlocScenario, country: usize) -> EpsteinScenario {
    let c = &s.countries[country];
    let r = &s.citizens;
    EpsteinScenario {
        lattice: Lattice {
            width: r.lattice_width,
            height: r.lattice_height,
        },
        population: Population {
            citizen_density: r.citizen_density.value,
            cop_density: c.cop_density.value,
            placement: Default::default(),
        },
        citizens: EpCitizens {
            vision: r.vision.value,
            legitimacy: c.legitimacy.value,
            threshold: r.threshold.value,
            arrest_constant: r.arrest_constant.value,
            max_jail_term: r.max_jail_term.value.min(10_000) as u32,
        },
        cops: Cops {
            vision: r.cop_vision.value,
        },
        variant: r.variant.clone(),
        ..EpsteinScenario::paper_default()
    }
}

/// Runs the whole bloc once. `keep_series` keeps the weekly states.
pub fn simulate_bloc(s: &BlocScenario, master_seed: u64, run: u64, keep_series: bool) -> BlocRun {
    let mut sim = Simulation::new(s, master_seed, run, keep_series);
    for week in 1..=i64::from(s.scenario.weeks) {
        sim.step(week);
    }
    sim.finish()
}

/// A run in progress (kept as a value so that a run can be stepped and inspected).
#[derive(Debug, Clone)]
pub struct Simulation<'a> {
    s: &'a BlocScenario,
    rng: SimRng,
    countries: Vec<CountryState>,
    attention: Vec<Vec<f64>>,
    doctrine: Doctrine,
    levers: Vec<LeverPlan>,
    budget_left: f64,
    cost: f64,
    series: Option<Vec<Vec<WeekState>>>,
    /// What the allies saw this week, applied at the end of the week.
    observed: Vec<Observation>,
    /// Border states of last week (`open`, `lets allies through`), read by exit routes.
    borders: Vec<(bool, bool)>,
    /// For each scheduled lever, whether each of its weeks was paid for.
    paid: Vec<Vec<bool>>,
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
    rng: SimRng,
    countries: Vec<CountryState>,
    attention: Vec<Vec<f64>>,
    doctrine: Doctrine,
    levers: Vec<LeverPlan>,
    budget_left: f64,
    cost: f64,
    series: Option<Vec<Vec<WeekState>>>,
    observed: Vec<Observation>,
    borders: Vec<(bool, bool)>,
    paid: Vec<Vec<bool>>,
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

/// Something every ally observes about another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Observation {
    /// The regime of this country fell and no force came.
    FellWithoutForce(usize),
    /// The centre intervened in this country.
    Intervened(usize),
}

impl<'a> Simulation<'a> {
    /// Sets up run `run` of the ensemble keyed by `master_seed`.
    pub fn new(s: &'a BlocScenario, master_seed: u64, run: u64, keep_series: bool) -> Self {
        let n = s.countries.len();
        let mut attention = vec![vec![0.0; n]; n];
        if s.mechanisms.coupling {
            for (observer, row) in &s.attention {
                if let Some(i) = s.country_index(observer) {
                    for (observed, &w) in &row.weights {
                        if let Some(j) = s.country_index(observed) {
                            attention[i][j] = w;
                        }
                    }
                }
            }
        }
        let countries = (0..n)
            .map(|i| new_country(s, i, country_rng(master_seed, run, &s.countries[i].id)))
            .collect();
        let mut sim = Simulation {
            s,
            rng: branch_rng(master_seed, run, 0),
            countries,
            attention,
            doctrine: s.centre.doctrine,
            levers: if s.mechanisms.levers {
                LeverPlan::from_scenario(s)
            } else {
                Vec::new()
            },
            budget_left: s.centre.budget.value,
            cost: 0.0,
            series: keep_series.then(|| vec![Vec::new(); n]),
            observed: Vec::new(),
            borders: vec![(false, false); n],
            paid: Vec::new(),
        };
        sim.paid = sim
            .levers
            .iter()
            .map(|p| vec![false; p.weeks as usize])
            .collect();
        // Events dated before the start take effect at week 0.
        sim.apply_events(0, true);
        for c in &mut sim.countries {
            c.policy = c.policy.max(c.policy_floor);
            let decides = s.mechanisms.decision || c.policy_floor > 0.0;
            if decides && c.policy >= s.decision.dialogue_at.value {
                c.pending_signal = true;
                c.record.first_concession_week = Some(0);
                c.record.crisis_before_concession = c
                    .record
                    .last_crisis_week
                    .is_some_and(|w| -w <= s.outcomes.smooth_window.value as i64);
            }
        }
        sim.learn_from_concessions();
        // The file's positions are those stated on the start day, under the beliefs of that
        // day (after the events before it): the ideals behind them are recovered with those.
        for (i, c) in sim.countries.iter_mut().enumerate() {
            let cfg = &s.countries[i];
            c.ideal = cfg
                .actors
                .iter()
                .map(|a| ideal_position(s, a.position.value, c.belief))
                .collect();
        }
        sim.record_week();
        sim
    }

    /// The levers acting this week. A lever is paid for in each week of use while the budget
    /// lasts; the effect of a paid week comes `delay` weeks later (an unpaid week has none).
    fn lever_intensities(&mut self, week: i64) -> LeverIntensities {
        let n = self.countries.len();
        let mut out: LeverIntensities = vec![[0.0; LeverKind::ALL.len()]; n];
        for p in 0..self.levers.len() {
            let plan = &self.levers[p];
            let Some(spec) = self.s.levers.get(&plan.lever) else {
                continue;
            };
            // Troops can only be withdrawn where the centre has them: a country without a
            // garrison is no target of troop withdrawal (no cost, no savings, no effect).
            let s = self.s;
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

    fn apply_events(&mut self, week: i64, before_start: bool) {
        let s = self.s;
        for e in &s.events {
            let Some(w) = s.week_of(&e.date) else {
                continue;
            };
            let due = if before_start { w <= 0 } else { w == week };
            if !due || (before_start && week != 0) {
                continue;
            }
            let targets: Vec<usize> = match s.country_index(&e.country) {
                Some(i) => vec![i],
                None => (0..self.countries.len()).collect(),
            };
            let v = e.value.unwrap_or(0.0);
            match e.kind {
                EventKind::Statement => {
                    if s.mechanisms.beliefs {
                        for i in targets {
                            let c = &mut self.countries[i];
                            c.belief = (c.belief + v).clamp(0.0, 1.0);
                        }
                    }
                }
                EventKind::Doctrine => {
                    if let Some(d) = e.doctrine {
                        self.doctrine = d;
                    }
                }
                EventKind::BorderOpen | EventKind::BorderClose => {
                    for i in targets {
                        self.countries[i].border_forced = Some(e.kind == EventKind::BorderOpen);
                    }
                }
                EventKind::PolicyFloor => {
                    for i in targets {
                        let c = &mut self.countries[i];
                        c.policy_floor = c.policy_floor.max(v);
                    }
                }
                EventKind::RoundTable => {
                    for i in targets {
                        let floor = s.decision.dialogue_at.value;
                        let c = &mut self.countries[i];
                        c.policy_floor = c.policy_floor.max(floor);
                    }
                }
                EventKind::Election => {
                    for i in targets {
                        let contested = e.value.unwrap_or(1.0);
                        // An election dated before the start is held in the first week.
                        self.countries[i].election_week = Some((w.max(week).max(1), contested));
                        self.countries[i].contested = Some(contested);
                    }
                }
                EventKind::LethalOrder => {
                    for i in targets {
                        self.countries[i].lethal_forced = true;
                    }
                }
                EventKind::ExternalInterference => {
                    if s.mechanisms.intervention && self.doctrine != Doctrine::Never {
                        for i in targets {
                            self.try_intervention(i, week, true);
                        }
                    }
                }
                EventKind::RegimeFalls => {
                    for i in targets {
                        // A replayed fall still meets the doctrine: under
                        // `when_regime_falls` the centre may save the regime.
                        self.regime_falls(i, week, true);
                    }
                }
                EventKind::LegitimacyShock => {
                    for i in targets {
                        let c = &mut self.countries[i];
                        c.legitimacy = (c.legitimacy + v).clamp(0.0, 1.0);
                    }
                }
                EventKind::HardshipShock => {
                    for i in targets {
                        let lim = s.economy.limit.value;
                        let c = &mut self.countries[i];
                        c.hardship = (c.hardship + v).clamp(-lim, lim);
                    }
                }
            }
        }
    }

    /// Advances the run to week `week` (1-based).
    pub fn step(&mut self, week: i64) {
        self.apply_events(week, false);
        let levers = self.lever_intensities(week);
        let n = self.countries.len();
        self.borders = self
            .countries
            .iter()
            .map(|c| (c.border_open, c.let_through))
            .collect();
        // Signals every country sees this week, from last week's states.
        let fallen: Vec<f64> = self
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
        for (i, lever) in levers.iter().enumerate() {
            let neighbour_falls: f64 = (0..n).map(|j| self.attention[i][j] * fallen[j]).sum();
            self.country_week(i, week, lever, neighbour_falls);
        }
        self.alliance_week(&levers);
        self.learn_from_concessions();
        self.record_week();
    }

    /// What the allies saw this week, applied at its end: a fall without force lowers beliefs
    /// (`belief_learning` x attention); an intervention raises them and costs alignment
    /// (`coercion_cost` x attention); a concession made without the centre's intervention
    /// lowers them by `concession_signal` times a fall's lesson.
    fn learn_from_concessions(&mut self) {
        let s = self.s;
        let n = self.countries.len();
        for observation in std::mem::take(&mut self.observed) {
            let (j, intervened) = match observation {
                Observation::FellWithoutForce(j) => (j, false),
                Observation::Intervened(j) => (j, true),
            };
            for i in 0..n {
                let a = if i == j { 1.0 } else { self.attention[i][j] };
                if intervened && s.mechanisms.alliance {
                    let al = &mut self.countries[i].alignment;
                    *al = (*al - s.alliance.coercion_cost.value * a).max(0.0);
                }
                if s.mechanisms.beliefs {
                    let learning = s.centre.belief_learning.value;
                    let b = &mut self.countries[i].belief;
                    if intervened {
                        *b += learning * a * (1.0 - *b);
                    } else {
                        *b -= learning * a * *b;
                    }
                }
            }
        }
        for j in 0..n {
            if !std::mem::take(&mut self.countries[j].pending_signal) {
                continue;
            }
            if !s.mechanisms.beliefs || self.countries[j].record.intervention {
                continue;
            }
            let learning = s.centre.belief_learning.value * s.centre.concession_signal.value;
            for i in 0..n {
                let a = if i == j { 1.0 } else { self.attention[i][j] };
                let b = &mut self.countries[i].belief;
                *b -= learning * a * *b;
            }
        }
    }

    fn country_week(&mut self, i: usize, week: i64, lever: &[f64; 9], neighbour_falls: f64) {
        let s = self.s;
        let m = &s.mechanisms;
        let lv = |k: LeverKind| lever[lever_index(k)];
        let effect = |k: LeverKind| s.levers.get(&k).map_or(0.0, |l| l.effect.value);
        let credit_offer = s.rival_pole.credit_offer.value;
        // --- economy ---
        if m.economy {
            let c = &mut self.countries[i];
            let mut relief = 0.0;
            for k in [
                LeverKind::ReliableContracts,
                LeverKind::DebtRelief,
                LeverKind::MilitaryConversion,
            ] {
                relief += lv(k) * effect(k);
            }
            // Western credit: offered to a regime in dialogue, and arranged by the centre's
            // western_integration lever (its effect is credit intensity per unit intensity).
            let offered = if m.rival_pole && c.policy >= s.decision.dialogue_at.value {
                credit_offer
            } else {
                0.0
            };
            let credit =
                offered + lv(LeverKind::WesternIntegration) * effect(LeverKind::WesternIntegration);
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
        let crisis = self.countries[i].in_crisis(s);
        let share = self.countries[i].active_share();
        // --- collective decision ---
        if m.decision && self.countries[i].record.party_in_power {
            let cfg = &s.countries[i];
            let belief = self.countries[i].belief;
            let mean_hardship = 0.5 + self.countries[i].hardship;
            let c = &mut self.countries[i];
            for (a, actor) in cfg.actors.iter().enumerate() {
                let base = actor.capability.value;
                let mut cap = c.capability[a];
                cap += s.decision.capability_reversion.value * (base - cap);
                match actor.role {
                    Role::Opposition => cap += s.decision.mobilization_gain.value * share,
                    Role::Reformers => {
                        cap += s.decision.economic_gain.value * (mean_hardship - 0.5).max(0.0);
                        cap += lv(LeverKind::PushReform) * effect(LeverKind::PushReform);
                    }
                    Role::Army => {
                        let centre_pos = cfg
                            .actors
                            .iter()
                            .find(|x| x.role == Role::Centre)
                            .map(|x| x.position.value);
                        if let Some(target) = centre_pos {
                            let pull = (lv(LeverKind::ArmyPartnership)
                                * effect(LeverKind::ArmyPartnership))
                            .min(1.0);
                            c.position[a] += pull * (target - c.position[a]);
                        }
                    }
                    _ => {}
                }
                c.capability[a] = cap.max(0.0);
                if m.beliefs && actor.role != Role::Centre && actor.role != Role::Army {
                    c.position[a] = stated_position(s, c.ideal[a], belief);
                }
            }
            let weights: Vec<(f64, f64)> = cfg
                .actors
                .iter()
                .enumerate()
                .map(|(a, actor)| {
                    (
                        c.position[a],
                        decision_weight(s, actor, c.capability[a], belief),
                    )
                })
                .collect();
            let mut positions: Vec<f64> = weights.iter().map(|w| w.0).collect();
            let w: Vec<f64> = weights.iter().map(|w| w.1).collect();
            let round_table = c.policy >= s.decision.dialogue_at.value;
            let decided = match s.decision.rule {
                DecisionRule::WeightedMedian => weighted_median(&positions, &w),
                DecisionRule::WeightedMean => weighted_mean(&positions, &w),
                DecisionRule::BdmRoundTable if round_table => {
                    let actors: Vec<Stakeholder> = cfg
                        .actors
                        .iter()
                        .enumerate()
                        .map(|(a, actor)| Stakeholder {
                            name: format!("{:?}", actor.role),
                            capability: weights[a].1 / actor.salience.value.max(1e-12),
                            position: positions[a],
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
                            c.ideal[a] = (c.ideal[a] + x - positions[a]).clamp(0.0, 100.0);
                        }
                        positions.clone_from(&last.positions);
                        c.position.clone_from(&last.positions);
                    }
                    weighted_median(&positions, &w)
                }
                DecisionRule::BdmRoundTable => weighted_median(&positions, &w),
                DecisionRule::CompromiseAtRoundTable if round_table => {
                    weighted_mean(&positions, &w)
                }
                DecisionRule::CompromiseAtRoundTable => weighted_median(&positions, &w),
            };
            c.policy = decided
                .unwrap_or(c.policy)
                .clamp(0.0, 100.0)
                .max(c.policy_floor);
        } else if self.countries[i].record.party_in_power {
            let c = &mut self.countries[i];
            c.policy = c.policy.max(c.policy_floor);
        }
        // --- actions ---
        {
            let d = &s.decision;
            let c = &mut self.countries[i];
            if c.record.party_in_power {
                let decides = m.decision || c.policy_floor > 0.0;
                if decides
                    && c.policy >= d.dialogue_at.value
                    && c.record.first_concession_week.is_none()
                {
                    c.pending_signal = true;
                    c.record.first_concession_week = Some(week);
                    c.record.crisis_before_concession = c
                        .record
                        .last_crisis_week
                        .is_some_and(|w| week - w <= s.outcomes.smooth_window.value as i64);
                }
                if decides && c.policy >= d.legalize_at.value && c.record.legalized_week.is_none() {
                    c.record.legalized_week = Some(week);
                }
                if m.decision && c.policy >= d.elections_at.value {
                    let span = (100.0 - d.elections_at.value).max(1e-9);
                    let contested = (d.min_contested.value
                        + (1.0 - d.min_contested.value) * (c.policy - d.elections_at.value) / span)
                        .clamp(0.0, 1.0);
                    // Elections are called when first conceded, and again when the policy
                    // implies a clearly larger contested share than last time.
                    let call = match c.contested {
                        None => true,
                        Some(last) => contested >= last + d.reelection_step.value - 1e-12,
                    };
                    if call && c.election_week.is_none() {
                        c.contested = Some(contested);
                        c.election_week = Some((week + d.election_delay.value as i64, contested));
                    }
                }
                let hard = m.security || m.decision;
                c.repression = hard && m.decision && crisis && c.policy < d.repression_below.value;
                let relief =
                    lv(LeverKind::LeadershipContacts) * effect(LeverKind::LeadershipContacts);
                c.lethal = c.lethal_forced
                    || (m.decision && crisis && c.policy < d.lethal_below.value - 100.0 * relief);
                if c.repression {
                    c.record.repressed_crisis = true;
                }
                if c.lethal {
                    c.record.lethal_order = true;
                }
            } else {
                c.repression = false;
                c.lethal = false;
            }
            let open = c
                .border_forced
                .unwrap_or(m.decision && c.policy >= d.open_border_at.value);
            c.border_open = open;
            c.let_through = c.border_forced.unwrap_or(false)
                || (m.decision && c.policy >= d.let_through_at.value);
        }
        // --- security forces ---
        let intervening = self.countries[i]
            .intervention_until
            .is_some_and(|until| week <= until);
        if m.security {
            let sec = &s.security;
            let cfg = &s.countries[i];
            let c = &mut self.countries[i];
            let counts = c.world.counts();
            let cops = c.world.cop_count().max(1) as f64;
            let ratio = f64::from(counts.active) / cops;
            let split = elite_split(cfg, &c.capability, &c.position);
            let backing = if m.beliefs { c.belief } else { 0.0 };
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
            let mut boost = if c.repression {
                sec.repression_boost.value
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
            let target_cops = ((c.base_cops as f64 * boost).round() as usize)
                .min(free_sites + c.world.cop_count());
            c.world.set_cop_target(target_cops);
            c.world.set_arrest_share(Some(c.loyalty));
            if c.loyalty < sec.defection_threshold.value && crisis && c.record.party_in_power {
                c.record.defected = true;
                if c.lethal {
                    c.record.defected_under_lethal = true;
                }
            }
        }
        if m.backlash || m.decision {
            let c = &mut self.countries[i];
            let lethal = c.lethal && c.loyalty >= s.security.defection_threshold.value;
            c.world.set_lethality(if lethal && m.backlash {
                s.backlash.kill_probability.value
            } else {
                0.0
            });
        }
        // --- citizens' perception ---
        {
            let c = &mut self.countries[i];
            let exit_signal = if c.citizens_initial > 0 {
                f64::from(c.world.emigrated() - c.last_emigrated) / f64::from(c.citizens_initial)
            } else {
                0.0
            };
            let mut signal = 0.0;
            if m.cascade {
                signal = share
                    + s.cascade.exit_weight.value * exit_signal * if m.exit { 1.0 } else { 0.0 }
                    + s.cascade.neighbour_weight.value * neighbour_falls;
            }
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
                    s.rival_pole.pull.value
                        * s.countries[i].media_reach.value
                        * (1.0 + lv(LeverKind::WesternIntegration))
                } else {
                    0.0
                };
                let shift = if m.economy { c.hardship } else { 0.0 };
                set_hardship(&mut c.world, &c.base_hardship, &c.exposure, shift, pull);
            }
        }
        // --- one Model I step ---
        {
            let c = &mut self.countries[i];
            c.last_emigrated = c.world.emigrated();
            c.world.step(&mut c.rng);
        }
        // --- exit ---
        if m.exit {
            let route = self.exit_route(i);
            let acceptance = s.countries[i].west_acceptance.value;
            let p = s.exit.weekly_probability.value * route * acceptance;
            if p > 0.0 {
                let c = &mut self.countries[i];
                let l = c.legitimacy;
                let threshold = s.exit.grievance_threshold.value;
                for idx in 0..c.world.citizens().len() {
                    let citizen = c.world.citizens()[idx];
                    if matches!(citizen.state, CitizenState::Jailed | CitizenState::Gone) {
                        continue;
                    }
                    if citizen.hardship * (1.0 - l) > threshold && c.rng.random::<f64>() < p {
                        c.world.emigrate(idx);
                    }
                }
            }
        }
        // --- deaths ---
        {
            let c = &mut self.countries[i];
            let dead = c.world.dead();
            let new = dead - c.last_dead;
            c.last_dead = dead;
            let per = if c.citizens_initial > 0 {
                1.0e4 / f64::from(c.citizens_initial)
            } else {
                0.0
            };
            if m.backlash {
                c.deterrence *= 1.0 - s.backlash.deterrence_decay.value;
                if new > 0 {
                    let x = f64::from(new) * per;
                    c.deterrence += s.backlash.deterrence_per_death.value * x;
                    if m.legitimacy {
                        c.legitimacy =
                            (c.legitimacy - s.backlash.legitimacy_per_death.value * x).max(0.0);
                    }
                }
            }
        }
        // --- record and the regime's fate ---
        let share_now = self.countries[i].active_share();
        {
            let c = &mut self.countries[i];
            let protest = c.protest(share_now);
            c.record.peak_protest = c.record.peak_protest.max(protest);
            if share_now > s.outcomes.crisis_share.value {
                c.record.last_crisis_week = Some(week);
                c.record.crisis_weeks += 1;
            }
            if share_now >= s.outcomes.overthrow_share.value {
                c.overthrow_streak += 1;
            } else {
                c.overthrow_streak = 0;
            }
        }
        if !self.countries[i].record.party_in_power {
            return;
        }
        if let Some((when, contested)) = self.countries[i].election_week
            && when == week
            && m.decision
        {
            self.countries[i].election_week = None;
            let c = &mut self.countries[i];
            let l = c.legitimacy;
            let mut voters = 0u32;
            let mut for_party = 0u32;
            for idx in 0..c.world.citizens().len() {
                let citizen = c.world.citizens()[idx];
                if citizen.state == CitizenState::Gone {
                    continue;
                }
                voters += 1;
                // The citizen's own perceived legitimacy: the regime's, discounted by its own
                // hardship (a secret ballot reveals private support; Kuran 1991).
                if c.rng.random::<f64>() < l * (1.0 - citizen.hardship) {
                    for_party += 1;
                }
            }
            let vote = if voters == 0 {
                0.0
            } else {
                f64::from(for_party) / f64::from(voters)
            };
            c.record.election_vote = Some(vote);
            let seats = (1.0 - contested) + contested * vote;
            let collapse = contested < 1.0 && vote < s.decision.coalition_collapse_vote.value;
            if seats < 0.5 || collapse {
                c.record.lost_election = true;
                self.regime_falls(i, week, true);
                return;
            }
        }
        let c = &self.countries[i];
        let overthrown = m.decision
            && c.overthrow_streak >= s.decision.overthrow_weeks.value.max(1)
            && !(c.lethal && c.loyalty >= s.security.defection_threshold.value);
        let defected = c.record.defected;
        if overthrown || defected {
            self.regime_falls(i, week, true);
        }
    }

    /// How open an exit route to the West is for country `i`'s citizens (0-1).
    fn exit_route(&self, i: usize) -> f64 {
        if self.borders[i].0 {
            return 1.0;
        }
        if !self.s.mechanisms.coupling {
            return 0.0;
        }
        let transit = self.s.exit.transit_openness.value;
        let mut best: f64 = 0.0;
        for to in &self.s.countries[i].travel_to {
            if let Some(j) = self.s.country_index(to)
                && self.borders[j] == (true, true)
            {
                best = best.max(transit);
            }
        }
        best
    }

    /// The regime of country `i` is about to fall; the centre may intervene first.
    fn regime_falls(&mut self, i: usize, week: i64, may_intervene: bool) {
        if !self.countries[i].record.party_in_power {
            return;
        }
        if may_intervene
            && self.s.mechanisms.intervention
            && self.doctrine == Doctrine::WhenRegimeFalls
            && self.try_intervention(i, week, false)
        {
            return;
        }
        let s = self.s;
        let c = &mut self.countries[i];
        if !c.record.party_in_power {
            return;
        }
        c.record.party_in_power = false;
        c.record.fell_week = Some(week);
        if c.record.first_concession_week.is_none() {
            c.record.first_concession_week = Some(week);
            c.record.crisis_before_concession = c
                .record
                .last_crisis_week
                .is_some_and(|w| week - w <= s.outcomes.smooth_window.value as i64);
        }
        c.policy = 100.0;
        c.repression = false;
        c.lethal = false;
        c.lethal_forced = false;
        if s.mechanisms.legitimacy {
            c.legitimacy = s.decision.new_government_legitimacy.value;
        }
        if s.mechanisms.alliance {
            c.alignment = (s.alliance.new_government_base.value
                + s.alliance.contacts_weight.value * c.contacts)
                .clamp(0.0, 1.0);
        }
        c.world.set_lethality(0.0);
        // Everyone who watches sees it at the end of the week (not earlier in the same week,
        // so the order of the countries in the file does not matter).
        self.observed.push(Observation::FellWithoutForce(i));
    }

    /// The centre decides whether to use force in country `i`; returns whether it did.
    fn try_intervention(&mut self, i: usize, week: i64, external: bool) -> bool {
        let s = self.s;
        if !external && self.countries[i].record.intervention {
            // One intervention per country: a second fall is final.
            return false;
        }
        let resolve = s.centre.resolve.value;
        if self.rng.random::<f64>() >= resolve {
            return false;
        }
        let weeks = s.centre.intervention_weeks.value as i64;
        {
            let c = &mut self.countries[i];
            c.record.intervention = true;
            c.intervention_until = Some(week + weeks);
            c.loyalty = 1.0;
            c.record.defected = false;
            c.record.defected_under_lethal = false;
            c.overthrow_streak = 0;
            c.record.repressed_crisis = true;
            if s.mechanisms.legitimacy {
                c.legitimacy =
                    (c.legitimacy - s.centre.intervention_legitimacy_loss.value).max(0.0);
            }
        }
        self.observed.push(Observation::Intervened(i));
        true
    }

    fn alliance_week(&mut self, levers: &LeverIntensities) {
        let s = self.s;
        let effect = |k: LeverKind| s.levers.get(&k).map_or(0.0, |l| l.effect.value);
        for (i, c) in self.countries.iter_mut().enumerate() {
            let lv = |k: LeverKind| levers[i][lever_index(k)];
            c.contacts += lv(LeverKind::ContactsAllForces) * effect(LeverKind::ContactsAllForces);
            let withdraw =
                (lv(LeverKind::TroopWithdrawal) * effect(LeverKind::TroopWithdrawal)).min(1.0);
            let withdrawn = withdraw.min(c.troops_left);
            c.troops_left -= withdrawn;
            if s.mechanisms.beliefs {
                c.belief = (c.belief * (1.0 - withdraw)).clamp(0.0, 1.0);
            }
            if !s.mechanisms.alliance {
                continue;
            }
            let mut d = 0.0;
            d += lv(LeverKind::LeadershipContacts) * effect(LeverKind::LeadershipContacts);
            d += lv(LeverKind::ArmyPartnership) * effect(LeverKind::ArmyPartnership) * 0.5;
            d += lv(LeverKind::TroopWithdrawal) * effect(LeverKind::TroopWithdrawal);
            if c.record.party_in_power {
                d -= lv(LeverKind::PushReform) * effect(LeverKind::PushReform);
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
    }

    fn record_week(&mut self) {
        let Some(series) = self.series.as_mut() else {
            return;
        };
        for (i, c) in self.countries.iter().enumerate() {
            series[i].push(c.week_state());
        }
    }

    /// Adds a lever to the run in progress (a reaction decided during the run): it is paid
    /// and acts like a scheduled lever from `plan.start` on. Ignored when the scenario turns
    /// the levers mechanism off.
    pub fn add_lever(&mut self, plan: LeverPlan) {
        if self.s.mechanisms.levers {
            self.paid.push(vec![false; plan.weeks as usize]);
            self.levers.push(plan);
        }
    }

    /// The run's state after `week` (the last week stepped), as a serde document.
    pub fn snapshot(&self, week: i64) -> Snapshot {
        Snapshot {
            scenario_hash: self.s.hash(),
            week,
            rng: self.rng.clone(),
            countries: self.countries.clone(),
            attention: self.attention.clone(),
            doctrine: self.doctrine,
            levers: self.levers.clone(),
            budget_left: self.budget_left,
            cost: self.cost,
            series: self.series.clone(),
            observed: self.observed.clone(),
            borders: self.borders.clone(),
            paid: self.paid.clone(),
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
            rng: snapshot.rng,
            countries: snapshot.countries,
            attention: snapshot.attention,
            doctrine: snapshot.doctrine,
            levers: snapshot.levers,
            budget_left: snapshot.budget_left,
            cost: snapshot.cost,
            series: snapshot.series,
            observed: snapshot.observed,
            borders: snapshot.borders,
            paid: snapshot.paid,
        })
    }

    /// The scenario this run belongs to.
    pub fn scenario(&self) -> &'a BlocScenario {
        self.s
    }

    /// The countries' states now.
    pub fn countries(&self) -> &[CountryState] {
        &self.countries
    }

    /// Ends the run: classifies each country's path.
    pub fn finish(self) -> BlocRun {
        let s = self.s;
        let countries = self
            .countries
            .into_iter()
            .map(|c| {
                let emigrants = c.emigrants_in_people();
                let mut r = c.record;
                r.deaths = f64::from(c.world.dead()) * s.report.deaths_per_killed.value;
                r.emigrants = emigrants;
                r.alignment = c.alignment;
                r.alliance_intact = c.alignment >= s.alliance.intact_threshold.value;
                r.lattice_dead = c.world.dead();
                r.lattice_emigrated = c.world.emigrated();
                r.lattice_citizens = c.citizens_initial;
                r.class = classify(&r, s);
                r
            })
            .collect();
        BlocRun {
            countries,
            series: self.series,
            cost: self.cost,
        }
    }
}

/// Sets every citizen's perceived hardship: its own draw plus the economy's shift plus the
/// rival pole's pull times its media exposure, within [0, 1].
fn set_hardship(world: &mut World, base: &[f64], exposure: &[f64], shift: f64, pull: f64) {
    for (idx, citizen) in world.citizens_mut().iter_mut().enumerate() {
        citizen.hardship = (base[idx] + shift + pull * exposure[idx]).clamp(0.0, 1.0);
    }
}

/// The stated position of an actor with ideal `ideal` who believes force would come with
/// probability `belief`: pulled back toward the tolerated line by deference x belief.
fn stated_position(s: &BlocScenario, ideal: f64, belief: f64) -> f64 {
    let line = s.decision.tolerated_line.value;
    if !s.mechanisms.beliefs || ideal <= line {
        return ideal;
    }
    ideal - s.decision.deference.value * belief * (ideal - line)
}

/// The inverse of [`stated_position`]: the ideal behind a stated position.
fn ideal_position(s: &BlocScenario, stated: f64, belief: f64) -> f64 {
    let line = s.decision.tolerated_line.value;
    let pull = s.decision.deference.value * belief;
    if !s.mechanisms.beliefs || stated <= line || pull >= 1.0 {
        return stated;
    }
    (line + (stated - line) / (1.0 - pull)).min(100.0)
}

/// An actor's weight in the collective decision: capability times salience, the
/// hard-liners' capability raised by the belief that the centre would back them.
fn decision_weight(
    s: &BlocScenario,
    actor: &super::config::Actor,
    capability: f64,
    belief: f64,
) -> f64 {
    let mut cap = capability;
    if actor.role == Role::Hardliners && s.mechanisms.beliefs {
        cap *= 1.0 + s.decision.backing_gain.value * belief;
    }
    cap * actor.salience.value
}

/// How split the elite is: the distance between the party wings' positions (0-1), times how
/// evenly matched they are.
fn elite_split(cfg: &super::config::Country, capability: &[f64], position: &[f64]) -> f64 {
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

fn new_country(s: &BlocScenario, i: usize, mut rng: SimRng) -> CountryState {
    let cfg = &s.countries[i];
    let scenario = lattice_scenario(s, i);
    let mut world = World::new(&scenario, &mut rng);
    let n = world.citizens().len();
    let mut base_hardship: Vec<f64> = world.citizens().iter().map(|c| c.hardship).collect();
    let mut exposure = vec![1.0; n];
    if s.mechanisms.cohorts && !s.cohorts.is_empty() {
        // Cohort membership and the draws within it come after Model I's own draws, from the
        // same stream; H and R are then mapped into the cohort's ranges.
        for (idx, citizen) in world.citizens_mut().iter_mut().enumerate() {
            let u: f64 = rng.random();
            let mut acc = 0.0;
            let mut cohort = &s.cohorts[s.cohorts.len() - 1];
            for c in &s.cohorts {
                acc += c.share.value;
                if u < acc {
                    cohort = c;
                    break;
                }
            }
            let h = cohort.hardship_low.value
                + (cohort.hardship_high.value - cohort.hardship_low.value) * citizen.hardship;
            let r = cohort.risk_low.value
                + (cohort.risk_high.value - cohort.risk_low.value) * citizen.risk_aversion;
            citizen.hardship = h;
            citizen.risk_aversion = r;
            base_hardship[idx] = h;
            exposure[idx] = cohort.media_exposure.value;
        }
    }
    let citizens_initial = n as u32;
    let base_cops = world.cop_count();
    let capability: Vec<f64> = cfg.actors.iter().map(|a| a.capability.value).collect();
    let position: Vec<f64> = cfg.actors.iter().map(|a| a.position.value).collect();
    let ideal: Vec<f64> = position
        .iter()
        .map(|&x| ideal_position(s, x, cfg.belief.value))
        .collect();
    let policy = if s.mechanisms.decision {
        let w: Vec<f64> = cfg
            .actors
            .iter()
            .map(|a| decision_weight(s, a, a.capability.value, cfg.belief.value))
            .collect();
        match s.decision.rule {
            DecisionRule::WeightedMean => weighted_mean(&position, &w),
            _ => weighted_median(&position, &w),
        }
        .unwrap_or(50.0)
    } else {
        50.0
    };
    // Burn-in: Model I alone with the initial values, so that week 0 is the lattice's own
    // steady state and not the burst that empty jails produce.
    if s.citizens.burn_in_weeks > 0 {
        let shift = if s.mechanisms.economy {
            cfg.hardship.value
        } else {
            0.0
        };
        let pull = if s.mechanisms.rival_pole {
            s.rival_pole.pull.value * cfg.media_reach.value
        } else {
            0.0
        };
        set_hardship(&mut world, &base_hardship, &exposure, shift, pull);
        for _ in 0..s.citizens.burn_in_weeks {
            world.step(&mut rng);
        }
    }
    let last_crisis_week = cfg
        .crisis_weeks_before_start
        .as_ref()
        .map(|w| -(w.value as i64));
    CountryState {
        world,
        rng,
        base_hardship,
        exposure,
        population: cfg.population.value as f64,
        street_fraction: s.report.street_fraction.value,
        citizens_initial,
        base_cops,
        legitimacy: cfg.legitimacy.value,
        hardship: if s.mechanisms.economy {
            cfg.hardship.value
        } else {
            0.0
        },
        loyalty: 1.0,
        alignment: cfg.alignment.value,
        belief: cfg.belief.value,
        capability,
        position,
        ideal,
        policy,
        policy_floor: 0.0,
        border_open: false,
        border_forced: None,
        let_through: false,
        repression: false,
        lethal: false,
        lethal_forced: false,
        deterrence: 0.0,
        overthrow_streak: 0,
        election_week: None,
        contested: None,
        intervention_until: None,
        contacts: 0.0,
        troops_left: 1.0,
        last_dead: 0,
        last_emigrated: 0,
        pending_signal: false,
        record: CountryRun {
            party_in_power: true,
            last_crisis_week,
            ..CountryRun::default()
        },
    }
}
