//! One run of Model I: the lattice, the citizens and cops, and the rules that move them.
//!
//! The rules, in the paper's words (Epstein 2002), with `G = H (1 - L)`,
//! `P = 1 - exp(-k (C/A)_v)` and `N = R P`:
//! * Agent rule A: "If G - N > T be active; otherwise, be quiet."
//! * Cop rule C: "Inspect all sites within v* and arrest a random active agent."
//! * Movement rule M: "Move to a random site within your vision."
//!
//! The readings on which implementations differ are [`Variant`] settings; docs/model.md
//! says which peer chose what. All randomness comes, in a fixed order, from the run's own
//! generator.

use super::config::{
    ArrestMove, ArrestRatio, EpsteinScenario, JailCountdown, JailPlacement, Placement, SelfCount,
    TurnOrder, UpdateSchedule, Variant, scheduled_value,
};
use super::grid::{BitGrid, Neighbourhood};
use bloc_base::seeding::SimRng;
use rand::RngExt;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use std::cell::Cell;

const NONE: u32 = u32::MAX;
const COP: u32 = 1 << 31;

/// A citizen's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CitizenState {
    /// Not rebelling.
    Quiet,
    /// Openly rebelling.
    Active,
    /// In jail.
    Jailed,
    /// Off the lattice for good: dead or emigrated (only in the bloc model's extensions).
    Gone,
}

/// A citizen of Model I.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Citizen {
    /// Column.
    pub x: u16,
    /// Row.
    pub y: u16,
    /// Quiet, active or jailed.
    pub state: CitizenState,
    /// Remaining jail term.
    pub jail_left: u32,
    /// Perceived hardship H, from U(0, 1).
    pub hardship: f64,
    /// Risk aversion R, from U(0, 1).
    pub risk_aversion: f64,
}

/// Numbers of quiet, active and jailed citizens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Quiet citizens.
    pub quiet: u32,
    /// Active citizens.
    pub active: u32,
    /// Jailed citizens.
    pub jailed: u32,
}

/// The state of one run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct World {
    width: usize,
    height: usize,
    occupied: BitGrid,
    cops_grid: BitGrid,
    actives: BitGrid,
    site_agent: Vec<u32>,
    /// Number of occupied sites.
    on_lattice: usize,
    citizens: Vec<Citizen>,
    cops: Vec<(u16, u16)>,
    citizen_vision: Neighbourhood,
    cop_vision: Neighbourhood,
    variant: Variant,
    threshold: f64,
    arrest_constant: f64,
    max_jail_term: u32,
    legitimacy_initial: f64,
    legitimacy_changes: Vec<(u32, u32, f64)>,
    cop_density_initial: f64,
    cop_changes: Vec<(u32, u32, f64)>,
    legitimacy: f64,
    /// P(C, A) = 1 - exp(-k ratio(C, A)) at index `C * (size + 3) + A`, for the citizens'
    /// neighbourhood (computed with the same formula, so results are unchanged). An entry is
    /// valid when its stamp equals `arrest_generation`; a new k only bumps the generation,
    /// and entries are recomputed when first used (an outer model changes k every week).
    arrest_table: Vec<Cell<f64>>,
    arrest_stamp: Vec<Cell<u32>>,
    arrest_generation: u32,
    order: Vec<u32>,
    step: u32,
    counts: Counts,
    /// Hooks through which the bloc model drives the lattice; neutral values leave Model I
    /// exactly as it is (no extra random draws).
    hooks: Hooks,
}

/// The settings through which an outer model drives a Model I lattice. Their defaults are
/// neutral: with them, every rule and every random draw is Model I's.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Hooks {
    /// A cop count set from outside, replacing the cop schedule.
    cop_target: Option<usize>,
    /// Share of cops that carry out their arrest rule in a step (1 = all; the loyal share).
    arrest_share: Option<f64>,
    /// Probability that an arrest kills the arrested citizen (a lethal order); 0 = never.
    lethality: f64,
    /// Citizens killed so far.
    dead: u32,
    /// Citizens who emigrated so far.
    emigrated: u32,
}

impl World {
    /// Sets up a run: places agents and draws their hardship and risk aversion.
    pub fn new(s: &EpsteinScenario, rng: &mut SimRng) -> Self {
        let (w, h) = (s.lattice.width as usize, s.lattice.height as usize);
        let sites = w * h;
        let mut world = World {
            width: w,
            height: h,
            occupied: BitGrid::new(w, h),
            cops_grid: BitGrid::new(w, h),
            actives: BitGrid::new(w, h),
            site_agent: vec![NONE; sites],
            on_lattice: 0,
            citizens: Vec::new(),
            cops: Vec::new(),
            citizen_vision: Neighbourhood::new(s.variant.neighbourhood, s.citizens.vision, w, h),
            cop_vision: Neighbourhood::new(s.variant.neighbourhood, s.cops.vision, w, h),
            variant: s.variant.clone(),
            threshold: s.citizens.threshold,
            arrest_constant: s.citizens.arrest_constant,
            max_jail_term: s.citizens.max_jail_term,
            legitimacy_initial: s.citizens.legitimacy,
            legitimacy_changes: s
                .legitimacy_schedule
                .iter()
                .map(|c| (c.start, c.ramp_steps, c.value))
                .collect(),
            cop_density_initial: s.population.cop_density,
            cop_changes: s
                .cop_schedule
                .iter()
                .map(|c| (c.start, c.ramp_steps, c.density))
                .collect(),
            legitimacy: s.citizens.legitimacy,
            arrest_table: Vec::new(),
            arrest_stamp: Vec::new(),
            arrest_generation: 0,
            order: Vec::new(),
            step: 0,
            counts: Counts::default(),
            hooks: Hooks::default(),
        };
        let size = world.citizen_vision.size();
        world.arrest_table = (0..=size)
            .flat_map(|c| (0..size + 3).map(move |a| (c, a)))
            .map(|(c, a)| Cell::new(world.arrest_probability(c, a.max(1))))
            .collect();
        world.arrest_stamp = vec![Cell::new(0); world.arrest_table.len()];
        let mut citizen_sites = Vec::new();
        let mut cop_sites = Vec::new();
        match s.population.placement {
            Placement::Exact => {
                let n_cit = (s.population.citizen_density * sites as f64).round() as usize;
                let n_cop = (s.population.cop_density * sites as f64).round() as usize;
                let n = (n_cit + n_cop).min(sites);
                let mut all: Vec<u32> = (0..sites as u32).collect();
                let (chosen, _) = all.partial_shuffle(rng, n);
                citizen_sites.extend_from_slice(&chosen[..n_cit.min(n)]);
                cop_sites.extend_from_slice(&chosen[n_cit.min(n)..]);
            }
            Placement::Bernoulli => {
                let cd = s.population.citizen_density;
                let pd = cd + s.population.cop_density;
                for site in 0..sites as u32 {
                    let r: f64 = rng.random();
                    if r < cd {
                        citizen_sites.push(site);
                    } else if r < pd {
                        cop_sites.push(site);
                    }
                }
            }
        }
        for site in citizen_sites {
            let (x, y) = (site as usize % w, site as usize / w);
            let hardship = rng.random::<f64>();
            let risk_aversion = rng.random::<f64>();
            let id = world.citizens.len() as u32;
            world.citizens.push(Citizen {
                x: x as u16,
                y: y as u16,
                state: CitizenState::Quiet,
                jail_left: 0,
                hardship,
                risk_aversion,
            });
            world.put(id, x, y);
        }
        for site in cop_sites {
            let (x, y) = (site as usize % w, site as usize / w);
            world.add_cop(x, y);
        }
        world.counts = Counts {
            quiet: world.citizens.len() as u32,
            active: 0,
            jailed: 0,
        };
        world
    }

    /// Numbers of citizens in each state now.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The citizens.
    pub fn citizens(&self) -> &[Citizen] {
        &self.citizens
    }

    /// Number of cops on the lattice now.
    pub fn cop_count(&self) -> usize {
        self.cops.len()
    }

    /// Legitimacy now.
    pub fn legitimacy(&self) -> f64 {
        self.legitimacy
    }

    /// The threshold T of agent rule A now.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The arrest constant k now.
    pub fn arrest_constant(&self) -> f64 {
        self.arrest_constant
    }

    /// Number of agents that act in a step (citizens, jailed or not, and cops).
    pub fn agent_count(&self) -> usize {
        self.citizens.len() + self.cops.len()
    }

    /// Sets legitimacy from outside (the bloc model); a legitimacy schedule, if any, still
    /// applies from the next step on.
    pub fn set_legitimacy(&mut self, legitimacy: f64) {
        self.legitimacy_initial = legitimacy;
        self.legitimacy = legitimacy;
    }

    /// Sets the threshold T of agent rule A (the bloc model lowers it with the national
    /// signal).
    pub fn set_threshold(&mut self, threshold: f64) {
        self.threshold = threshold;
    }

    /// Sets the arrest constant k of P = 1 - exp(-k C/A) (the bloc model scales it with
    /// deterrence and the belief in intervention); the table of P is refreshed lazily.
    pub fn set_arrest_constant(&mut self, k: f64) {
        if k.to_bits() == self.arrest_constant.to_bits() {
            return;
        }
        self.arrest_constant = k;
        self.arrest_generation = self.arrest_generation.wrapping_add(1);
        if self.arrest_generation == 0 {
            // After 2^32 changes, invalidate every entry explicitly.
            for stamp in &self.arrest_stamp {
                stamp.set(u32::MAX);
            }
        }
    }

    /// Sets the number of cops from the next step on (replaces the cop schedule).
    pub fn set_cop_target(&mut self, cops: usize) {
        self.hooks.cop_target = Some(cops);
    }

    /// Sets the share of cops that carry out their arrest rule each step (the loyal share;
    /// `None` = all, with no random draw, as in Model I).
    pub fn set_arrest_share(&mut self, share: Option<f64>) {
        self.hooks.arrest_share = share;
    }

    /// Sets the probability that an arrest kills (a lethal order); 0 = Model I.
    pub fn set_lethality(&mut self, probability: f64) {
        self.hooks.lethality = probability;
    }

    /// Mutable access to the citizens, for an outer model that sets their hardship.
    pub fn citizens_mut(&mut self) -> &mut [Citizen] {
        &mut self.citizens
    }

    /// Citizen `i` leaves the country for good (exit). Only a quiet or active citizen on the
    /// lattice can leave; returns whether it left.
    pub fn emigrate(&mut self, i: usize) -> bool {
        let c = self.citizens[i];
        if matches!(c.state, CitizenState::Jailed | CitizenState::Gone) {
            return false;
        }
        self.set_state(i, CitizenState::Gone);
        self.lift(c.x as usize, c.y as usize);
        self.hooks.emigrated += 1;
        true
    }

    /// Citizens killed so far (by lethal arrests).
    pub fn dead(&self) -> u32 {
        self.hooks.dead
    }

    /// Citizens who emigrated so far.
    pub fn emigrated(&self) -> u32 {
        self.hooks.emigrated
    }

    /// Lattice width and height.
    pub fn dimensions(&self) -> (usize, usize) {
        (self.width, self.height)
    }

    /// Whether citizen `i` would be active now, by agent rule A where it stands.
    pub fn would_be_active(&self, i: usize) -> bool {
        self.decides_active(i)
    }

    /// Checks the internal invariants (grids agree with agents, counts with states).
    /// For tests; returns a description of the first violation.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut counts = Counts::default();
        let mut on_lattice = 0;
        for (i, c) in self.citizens.iter().enumerate() {
            let (x, y) = (c.x as usize, c.y as usize);
            let here = self.site_agent[y * self.width + x] == i as u32;
            match c.state {
                CitizenState::Quiet => counts.quiet += 1,
                CitizenState::Active => counts.active += 1,
                CitizenState::Jailed => counts.jailed += 1,
                CitizenState::Gone => {}
            }
            let should_be_here = c.state != CitizenState::Gone
                && (c.state != CitizenState::Jailed
                    || self.variant.jail == JailPlacement::KeepCell);
            if should_be_here != here {
                return Err(format!(
                    "citizen {i} at ({x},{y}) in state {:?}: on lattice = {here}",
                    c.state
                ));
            }
            if here {
                on_lattice += 1;
                if self.actives.get(x, y) != (c.state == CitizenState::Active) {
                    return Err(format!("active grid disagrees at ({x},{y})"));
                }
            }
        }
        for (j, &(x, y)) in self.cops.iter().enumerate() {
            if self.site_agent[y as usize * self.width + x as usize] != COP | j as u32 {
                return Err(format!("cop {j} not on its site"));
            }
        }
        let gone = self
            .citizens
            .iter()
            .filter(|c| c.state == CitizenState::Gone)
            .count() as u32;
        if gone != self.hooks.dead + self.hooks.emigrated {
            return Err(format!(
                "{gone} citizens gone but {} dead and {} emigrated",
                self.hooks.dead, self.hooks.emigrated
            ));
        }
        if self.actives.count() != counts.active as usize {
            return Err("active grid holds sites of no active citizen".into());
        }
        if counts != self.counts {
            return Err(format!("counts {:?} != recount {:?}", self.counts, counts));
        }
        if self.occupied.count() != on_lattice + self.cops.len()
            || self.on_lattice != on_lattice + self.cops.len()
            || self.cops_grid.count() != self.cops.len()
        {
            return Err("occupancy grid disagrees with agents".into());
        }
        Ok(())
    }

    fn put(&mut self, id: u32, x: usize, y: usize) {
        self.site_agent[y * self.width + x] = id;
        self.occupied.set(x, y);
        self.on_lattice += 1;
    }

    fn lift(&mut self, x: usize, y: usize) {
        self.site_agent[y * self.width + x] = NONE;
        self.occupied.clear(x, y);
        self.on_lattice -= 1;
    }

    fn add_cop(&mut self, x: usize, y: usize) {
        let id = COP | self.cops.len() as u32;
        self.cops.push((x as u16, y as u16));
        self.put(id, x, y);
        self.cops_grid.set(x, y);
    }

    fn remove_cop(&mut self, j: usize) {
        let (x, y) = self.cops[j];
        self.lift(x as usize, y as usize);
        self.cops_grid.clear(x as usize, y as usize);
        self.cops.swap_remove(j);
        if j < self.cops.len() {
            let (mx, my) = self.cops[j];
            self.site_agent[my as usize * self.width + mx as usize] = COP | j as u32;
        }
    }

    /// A uniformly random empty site of the whole lattice, if any.
    fn random_empty_site(&mut self, rng: &mut SimRng) -> Option<(usize, usize)> {
        let free = self.width * self.height - self.on_lattice;
        if free == 0 {
            return None;
        }
        let j = rng.random_range(0..free);
        self.occupied.nth_unset(j)
    }

    /// Movement rule M for the agent `id` at `(x, y)`: to a uniformly random empty site in
    /// vision. Returns the new site.
    fn move_agent(&mut self, id: u32, x: usize, y: usize, rng: &mut SimRng) -> (usize, usize) {
        let nb = if id & COP != 0 {
            &self.cop_vision
        } else {
            &self.citizen_vision
        };
        let mut rows = [0u64; 64];
        let free = nb.gather(&self.occupied, x, y, true, &mut rows);
        if free == 0 {
            return (x, y);
        }
        let j = rng.random_range(0..free);
        let (nx, ny) = nb.pick(&rows, x, y, j);
        self.relocate(id, x, y, nx, ny);
        (nx, ny)
    }

    /// Moves agent `id` from `(x, y)` to the empty site `(nx, ny)`.
    fn relocate(&mut self, id: u32, x: usize, y: usize, nx: usize, ny: usize) {
        self.lift(x, y);
        self.put(id, nx, ny);
        if id & COP != 0 {
            self.cops_grid.clear(x, y);
            self.cops_grid.set(nx, ny);
            self.cops[(id & !COP) as usize] = (nx as u16, ny as u16);
        } else {
            let c = &mut self.citizens[id as usize];
            c.x = nx as u16;
            c.y = ny as u16;
            if c.state == CitizenState::Active {
                self.actives.clear(x, y);
                self.actives.set(nx, ny);
            }
        }
    }

    /// Agent rule A for citizen `i`: whether it would be active where it stands.
    #[inline]
    fn decides_active(&self, i: usize) -> bool {
        let c = &self.citizens[i];
        let (cops, actives) =
            self.citizen_vision
                .count2(&self.cops_grid, &self.actives, c.x as usize, c.y as usize);
        self.rule_a(i, cops, actives)
    }

    /// The estimated arrest probability P = 1 - exp(-k (C/A)) with `cops` = C and
    /// `actives` = A (which includes the citizen itself), under the variant's rounding.
    fn arrest_probability(&self, cops: u32, actives: u32) -> f64 {
        let ratio = f64::from(cops) / f64::from(actives);
        let ratio = match self.variant.arrest_ratio {
            ArrestRatio::Exact => ratio,
            ArrestRatio::Round => ratio.round_ties_even(),
            ArrestRatio::Floor => ratio.floor(),
        };
        1.0 - libm::exp(-self.arrest_constant * ratio)
    }

    /// Agent rule A for citizen `i`, given the cops and the other actives within its vision.
    #[inline]
    fn rule_a(&self, i: usize, cops: u32, other_actives: u32) -> bool {
        let c = &self.citizens[i];
        // "A is always at least 1, because the agent always counts himself as active."
        let width = self.citizen_vision.size() as usize + 3;
        let itself = match self.variant.self_count {
            SelfCount::Once => 1,
            SelfCount::TwiceIfActive => 1 + usize::from(c.state == CitizenState::Active),
        };
        let index = cops as usize * width + other_actives as usize + itself;
        let arrest_probability = if self.arrest_stamp[index].get() == self.arrest_generation {
            self.arrest_table[index].get()
        } else {
            let a = (other_actives as usize + itself).max(1) as u32;
            let p = self.arrest_probability(cops, a);
            self.arrest_table[index].set(p);
            self.arrest_stamp[index].set(self.arrest_generation);
            p
        };
        let grievance = c.hardship * (1.0 - self.legitimacy);
        grievance - c.risk_aversion * arrest_probability > self.threshold
    }

    fn set_state(&mut self, i: usize, state: CitizenState) {
        let c = self.citizens[i];
        if c.state == state {
            return;
        }
        let (x, y) = (c.x as usize, c.y as usize);
        match c.state {
            CitizenState::Quiet => self.counts.quiet -= 1,
            CitizenState::Active => {
                self.counts.active -= 1;
                self.actives.clear(x, y);
            }
            CitizenState::Jailed => self.counts.jailed -= 1,
            CitizenState::Gone => {}
        }
        match state {
            CitizenState::Quiet => self.counts.quiet += 1,
            CitizenState::Active => {
                self.counts.active += 1;
                self.actives.set(x, y);
            }
            CitizenState::Jailed => self.counts.jailed += 1,
            CitizenState::Gone => {}
        }
        self.citizens[i].state = state;
    }

    /// Releases citizen `i` from jail as quiet; a citizen kept off the lattice returns to a
    /// random empty site (or stays jailed if there is none).
    fn release(&mut self, i: usize, rng: &mut SimRng) -> bool {
        if self.variant.jail == JailPlacement::Removed {
            let Some((x, y)) = self.random_empty_site(rng) else {
                return false;
            };
            self.citizens[i].x = x as u16;
            self.citizens[i].y = y as u16;
            self.put(i as u32, x, y);
        }
        self.set_state(i, CitizenState::Quiet);
        true
    }

    /// Cop rule C for cop `j`: arrest a random active within vision.
    fn arrest(&mut self, j: usize, rng: &mut SimRng) {
        if let Some(share) = self.hooks.arrest_share
            && rng.random::<f64>() >= share
        {
            return;
        }
        let (x, y) = (self.cops[j].0 as usize, self.cops[j].1 as usize);
        let mut rows = [0u64; 64];
        let n = self
            .cop_vision
            .gather(&self.actives, x, y, false, &mut rows);
        if n == 0 {
            return;
        }
        let pick = rng.random_range(0..n);
        let (ax, ay) = self.cop_vision.pick(&rows, x, y, pick);
        let i = self.site_agent[ay * self.width + ax] as usize;
        if self.hooks.lethality > 0.0 && rng.random::<f64>() < self.hooks.lethality {
            self.set_state(i, CitizenState::Gone);
            self.lift(ax, ay);
            self.hooks.dead += 1;
            return;
        }
        let term = rng.random_range(0..=self.max_jail_term);
        self.set_state(i, CitizenState::Jailed);
        self.citizens[i].jail_left = term;
        if self.variant.jail == JailPlacement::Removed {
            self.lift(ax, ay);
            if self.variant.arrest_move == ArrestMove::ToArrestee {
                self.relocate(COP | j as u32, x, y, ax, ay);
            }
        }
    }

    fn citizen_turn(&mut self, i: usize, rng: &mut SimRng) {
        if self.citizens[i].state == CitizenState::Gone {
            return;
        }
        if self.citizens[i].state == CitizenState::Jailed {
            if self.variant.jail_countdown == JailCountdown::EndOfStep {
                return;
            }
            if self.citizens[i].jail_left > 0 {
                self.citizens[i].jail_left -= 1;
                return;
            }
            if !self.release(i, rng) {
                return;
            }
        }
        let movement = self.variant.movement;
        let (x, y) = (self.citizens[i].x as usize, self.citizens[i].y as usize);
        if movement && self.variant.turn == TurnOrder::MoveThenAct {
            self.move_agent(i as u32, x, y, rng);
        }
        if movement && self.variant.turn == TurnOrder::ActThenMove {
            // Decide and move from the same site: one pass over the neighbourhood.
            let mut rows = [0u64; 64];
            let (free, cops, actives) = self.citizen_vision.gather_free_and_count2(
                &self.occupied,
                &self.cops_grid,
                &self.actives,
                x,
                y,
                &mut rows,
            );
            let active = self.rule_a(i, cops, actives);
            self.set_state(
                i,
                if active {
                    CitizenState::Active
                } else {
                    CitizenState::Quiet
                },
            );
            if free > 0 {
                let j = rng.random_range(0..free);
                let (nx, ny) = self.citizen_vision.pick(&rows, x, y, j);
                self.relocate(i as u32, x, y, nx, ny);
            }
            return;
        }
        let active = self.decides_active(i);
        self.set_state(
            i,
            if active {
                CitizenState::Active
            } else {
                CitizenState::Quiet
            },
        );
    }

    fn cop_turn(&mut self, j: usize, rng: &mut SimRng) {
        let movement = self.variant.movement;
        if movement && self.variant.turn == TurnOrder::MoveThenAct {
            let (x, y) = self.cops[j];
            self.move_agent(COP | j as u32, x as usize, y as usize, rng);
        }
        self.arrest(j, rng);
        if movement && self.variant.turn == TurnOrder::ActThenMove {
            let (x, y) = self.cops[j];
            self.move_agent(COP | j as u32, x as usize, y as usize, rng);
        }
    }

    fn adjust_cops(&mut self, rng: &mut SimRng) {
        let target = if let Some(target) = self.hooks.cop_target {
            target
        } else {
            if self.cop_changes.is_empty() {
                return;
            }
            let density = scheduled_value(self.cop_density_initial, &self.cop_changes, self.step);
            (density * (self.width * self.height) as f64).round() as usize
        };
        while self.cops.len() > target {
            let j = rng.random_range(0..self.cops.len());
            self.remove_cop(j);
        }
        while self.cops.len() < target {
            let Some((x, y)) = self.random_empty_site(rng) else {
                break;
            };
            self.add_cop(x, y);
        }
    }

    fn rebuild_order(&mut self) {
        let n = self.citizens.len() + self.cops.len();
        if self.order.len() != n {
            self.order.clear();
            self.order.extend(0..self.citizens.len() as u32);
            self.order
                .extend((0..self.cops.len() as u32).map(|j| COP | j));
        }
    }

    /// Advances the run by one step and returns the counts after it.
    pub fn step(&mut self, rng: &mut SimRng) -> Counts {
        self.step += 1;
        self.legitimacy =
            scheduled_value(self.legitimacy_initial, &self.legitimacy_changes, self.step);
        self.adjust_cops(rng);
        match self.variant.update {
            UpdateSchedule::RandomSequential => {
                self.rebuild_order();
                let mut order = std::mem::take(&mut self.order);
                order.shuffle(rng);
                for &id in &order {
                    if id & COP != 0 {
                        self.cop_turn((id & !COP) as usize, rng);
                    } else {
                        self.citizen_turn(id as usize, rng);
                    }
                }
                self.order = order;
            }
            UpdateSchedule::Synchronous => self.synchronous_step(rng),
        }
        if self.variant.jail_countdown == JailCountdown::EndOfStep
            || self.variant.update == UpdateSchedule::Synchronous
        {
            for i in 0..self.citizens.len() {
                if self.citizens[i].state == CitizenState::Jailed {
                    let left = self.citizens[i].jail_left.saturating_sub(1);
                    self.citizens[i].jail_left = left;
                    if left == 0 {
                        self.release(i, rng);
                    }
                }
            }
        }
        self.counts
    }

    fn synchronous_step(&mut self, rng: &mut SimRng) {
        let decisions: Vec<Option<bool>> = (0..self.citizens.len())
            .map(|i| {
                let state = self.citizens[i].state;
                (state != CitizenState::Jailed && state != CitizenState::Gone)
                    .then(|| self.decides_active(i))
            })
            .collect();
        for (i, d) in decisions.into_iter().enumerate() {
            if let Some(active) = d {
                self.set_state(
                    i,
                    if active {
                        CitizenState::Active
                    } else {
                        CitizenState::Quiet
                    },
                );
            }
        }
        let mut cop_order: Vec<u32> = (0..self.cops.len() as u32).collect();
        cop_order.shuffle(rng);
        for j in cop_order {
            self.arrest(j as usize, rng);
        }
        if self.variant.movement {
            self.rebuild_order();
            let mut order = std::mem::take(&mut self.order);
            order.shuffle(rng);
            for &id in &order {
                if id & COP != 0 {
                    let (x, y) = self.cops[(id & !COP) as usize];
                    self.move_agent(id, x as usize, y as usize, rng);
                } else {
                    let c = self.citizens[id as usize];
                    if c.state != CitizenState::Jailed && c.state != CitizenState::Gone {
                        self.move_agent(id, c.x as usize, c.y as usize, rng);
                    }
                }
            }
            self.order = order;
        }
    }
}
