//! One country's state during a run: its lattice of citizens and their stream, its regime,
//! economy, security forces and alignment, and the path it has taken so far; how it is set up
//! at the start of a run; and what the trajectories record of it each week.

use crate::config::{BlocScenario, DecisionRule};
use crate::mechanisms::{beliefs, decision, perception};
use crate::outcome::CountryRun;
use bloc_bargain::median::{weighted_mean, weighted_median};
use bloc_base::seeding::{SimRng, branch_rng, branches};
use bloc_citizens::epstein::config::{
    Citizens as EpCitizens, Cops, EpsteinScenario, Lattice, Population,
};
use bloc_citizens::epstein::world::World;
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

/// The state of one country during a run. The mechanisms (`crate::mechanisms`) read and
/// write its fields; outside the crate it is read through its methods.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CountryState {
    pub(crate) world: World,
    pub(crate) rng: SimRng,
    pub(crate) base_hardship: Vec<f64>,
    pub(crate) exposure: Vec<f64>,
    pub(crate) population: f64,
    pub(crate) street_fraction: f64,
    pub(crate) citizens_initial: u32,
    pub(crate) base_cops: usize,
    pub(crate) legitimacy: f64,
    pub(crate) hardship: f64,
    pub(crate) loyalty: f64,
    pub(crate) alignment: f64,
    pub(crate) belief: f64,
    pub(crate) capability: Vec<f64>,
    pub(crate) position: Vec<f64>,
    /// Ideal positions: the stated positions at the start with the deference to the
    /// tolerated line taken out.
    pub(crate) ideal: Vec<f64>,
    pub(crate) policy: f64,
    pub(crate) policy_floor: f64,
    pub(crate) border_open: bool,
    pub(crate) border_forced: Option<bool>,
    pub(crate) let_through: bool,
    pub(crate) repression: bool,
    pub(crate) lethal: bool,
    pub(crate) lethal_forced: bool,
    pub(crate) deterrence: f64,
    pub(crate) overthrow_streak: u64,
    pub(crate) election_week: Option<(i64, f64)>,
    pub(crate) contested: Option<f64>,
    pub(crate) intervention_until: Option<i64>,
    pub(crate) contacts: f64,
    /// Share of the centre's troops still stationed (troop withdrawal lowers it for good).
    pub(crate) troops_left: f64,
    pub(crate) last_dead: u32,
    pub(crate) last_emigrated: u32,
    /// A first concession this week, not yet seen by the others.
    pub(crate) pending_signal: bool,
    pub(crate) record: CountryRun,
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
    pub(crate) fn protest(&self, share: f64) -> f64 {
        share * self.population * self.street_fraction
    }

    /// Active citizens as a share of those at home (quiet, active or jailed).
    pub(crate) fn active_share(&self) -> f64 {
        let c = self.world.counts();
        let home = c.quiet + c.active + c.jailed;
        if home == 0 {
            0.0
        } else {
            f64::from(c.active) / f64::from(home)
        }
    }

    /// Whether the active share is above the crisis line.
    pub(crate) fn in_crisis(&self, s: &BlocScenario) -> bool {
        self.active_share() > s.outcomes.crisis_share.value
    }

    /// Records a first concession in `week`, and whether a crisis came in the smooth window
    /// before it (what tells smooth democratization from leaps and bounds).
    pub(crate) fn record_first_concession(&mut self, s: &BlocScenario, week: i64) {
        let window = s.outcomes.smooth_window.value as i64;
        self.record.first_concession_week = Some(week);
        self.record.crisis_before_concession = self
            .record
            .last_crisis_week
            .is_some_and(|w| week - w <= window);
    }
}

/// The branch of a country's own stream ([`branches::country`]): derived from its id, never
/// the centre's branch, so a country draws the same numbers wherever it stands in the file.
pub fn country_branch(id: &str) -> u64 {
    branches::country(id)
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

/// Country `i` at the start of a run, on its own stream: Model I's lattice, the cohorts'
/// draws, the actors and the policy they decide, and the lattice's burn-in.
pub(crate) fn new_country(s: &BlocScenario, i: usize, mut rng: SimRng) -> CountryState {
    let cfg = &s.countries[i];
    let mut world = World::new(&lattice_scenario(s, i), &mut rng);
    let (base_hardship, exposure) = draw_cohorts(s, &mut world, &mut rng);
    let citizens_initial = world.citizens().len() as u32;
    let base_cops = world.cop_count();
    let capability: Vec<f64> = cfg.actors.iter().map(|a| a.capability.value).collect();
    let position: Vec<f64> = cfg.actors.iter().map(|a| a.position.value).collect();
    // Provisional: `Simulation::on_stream` recovers the ideals after the pre-start events.
    let ideal: Vec<f64> = position
        .iter()
        .map(|&x| beliefs::ideal_position(s, x, cfg.belief.value))
        .collect();
    let policy = initial_policy(s, i, &position);
    let hardship = if s.mechanisms.economy {
        cfg.hardship.value
    } else {
        0.0
    };
    burn_in(s, i, &mut world, &base_hardship, &exposure, &mut rng);
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
        hardship,
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

/// Cohort membership and the draws within it, after Model I's own draws and from the same
/// stream; H and R are then mapped into the cohort's ranges. Returns every citizen's own
/// hardship and media exposure.
fn draw_cohorts(s: &BlocScenario, world: &mut World, rng: &mut SimRng) -> (Vec<f64>, Vec<f64>) {
    let mut base_hardship: Vec<f64> = world.citizens().iter().map(|c| c.hardship).collect();
    let mut exposure = vec![1.0; base_hardship.len()];
    if !s.mechanisms.cohorts || s.cohorts.is_empty() {
        return (base_hardship, exposure);
    }
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
    (base_hardship, exposure)
}

/// The policy the actors decide on the start day (50 when the decision mechanism is off).
fn initial_policy(s: &BlocScenario, i: usize, position: &[f64]) -> f64 {
    if !s.mechanisms.decision {
        return 50.0;
    }
    let cfg = &s.countries[i];
    let w: Vec<f64> = cfg
        .actors
        .iter()
        .map(|a| decision::weight(s, a, a.capability.value, cfg.belief.value))
        .collect();
    match s.decision.rule {
        DecisionRule::WeightedMean => weighted_mean(position, &w),
        _ => weighted_median(position, &w),
    }
    .unwrap_or(50.0)
}

/// Burn-in: Model I alone with the initial values, so that week 0 is the lattice's own
/// steady state and not the burst that empty jails produce.
fn burn_in(
    s: &BlocScenario,
    i: usize,
    world: &mut World,
    base_hardship: &[f64],
    exposure: &[f64],
    rng: &mut SimRng,
) {
    if s.citizens.burn_in_weeks == 0 {
        return;
    }
    let cfg = &s.countries[i];
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
    perception::set_hardship(world, base_hardship, exposure, shift, pull);
    for _ in 0..s.citizens.burn_in_weeks {
        world.step(rng);
    }
}
