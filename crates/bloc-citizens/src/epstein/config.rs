//! The scenario file of Epstein's Model I: typed, documented, with ranges in its JSON Schema.
//!
//! Defaults are the paper's (Epstein 2002, Table 2, Run 2, with the rules as the paper words
//! them); `scenarios/epstein-mesa.toml` and `scenarios/epstein-netlogo.toml` express the two
//! peer implementations in the same settings. docs/model.md discusses each setting.

use bloc_base::document::{Checked, SemanticProblems};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A complete Model I scenario: lattice, population, rules, variants, ensemble size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EpsteinScenario {
    /// What this file is.
    #[serde(default)]
    pub scenario: ScenarioInfo,
    /// The torus lattice.
    #[serde(default)]
    pub lattice: Lattice,
    /// How many citizens and cops.
    #[serde(default)]
    pub population: Population,
    /// The citizens' rule (agent rule A) and its parameters.
    #[serde(default)]
    pub citizens: Citizens,
    /// The cops' rule (cop rule C) and its parameters.
    #[serde(default)]
    pub cops: Cops,
    /// Readings of the paper on which implementations differ.
    #[serde(default)]
    pub variant: Variant,
    /// Changes of legitimacy over time (empty: constant legitimacy).
    #[serde(default)]
    pub legitimacy_schedule: Vec<LegitimacyChange>,
    /// Changes of the number of cops over time (empty: constant).
    #[serde(default)]
    pub cop_schedule: Vec<CopChange>,
    /// Size and seed of the ensemble.
    #[serde(default)]
    pub ensemble: Ensemble,
    /// What counts as an outburst in the summaries.
    #[serde(default)]
    pub outburst: OutburstRule,
}

/// Descriptive information about a scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioInfo {
    /// The kind of scenario; must be "epstein" for this format.
    #[serde(default = "default_kind")]
    #[schemars(extend("const" = "epstein"))]
    pub kind: String,
    /// A short name.
    #[serde(default)]
    pub name: String,
    /// Where the parameters come from.
    #[serde(default)]
    pub source: String,
}

fn default_kind() -> String {
    "epstein".to_string()
}

impl Default for ScenarioInfo {
    fn default() -> Self {
        ScenarioInfo {
            kind: default_kind(),
            name: "Epstein (2002) Model I, Run 2 (paper's rules)".into(),
            source: "Epstein 2002, PNAS 99 suppl. 3, Table 2, Run 2".into(),
        }
    }
}

/// The torus lattice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lattice {
    /// Number of columns (the lattice wraps around).
    #[schemars(range(min = 1, max = 4096))]
    pub width: u32,
    /// Number of rows (the lattice wraps around).
    #[schemars(range(min = 1, max = 4096))]
    pub height: u32,
}

impl Default for Lattice {
    fn default() -> Self {
        Lattice {
            width: 40,
            height: 40,
        }
    }
}

/// Initial population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Share of sites holding a citizen at the start.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub citizen_density: f64,
    /// Share of sites holding a cop at the start.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub cop_density: f64,
    /// How densities become agents.
    #[serde(default)]
    pub placement: Placement,
}

impl Default for Population {
    fn default() -> Self {
        Population {
            citizen_density: 0.7,
            cop_density: 0.04,
            placement: Placement::Exact,
        }
    }
}

/// How densities become agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// round(density x sites) agents of each kind on distinct random sites (NetLogo).
    #[default]
    Exact,
    /// Each site independently holds a citizen, a cop or nothing with the densities as
    /// probabilities (Mesa 3.3: `random.choices` per cell).
    Bernoulli,
}

/// Citizens: agent rule A.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Citizens {
    /// Vision v: how far a citizen sees (sites; a real number, as the paper's 1.7).
    #[schemars(range(min = 0.0, max = 31.0))]
    pub vision: f64,
    /// Legitimacy L, equal for all citizens, at the start.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub legitimacy: f64,
    /// Threshold T: active iff G - N > T.
    #[schemars(range(min = -1.0, max = 1.0))]
    pub threshold: f64,
    /// k in P = 1 - exp(-k (C/A)); 2.3 makes P about 0.9 when C = A = 1.
    #[schemars(range(min = 0.0, max = 100.0))]
    pub arrest_constant: f64,
    /// J_max: jail terms are drawn uniformly from the integers 0..=J_max.
    #[schemars(range(min = 0, max = 1_000_000))]
    pub max_jail_term: u32,
}

impl Default for Citizens {
    fn default() -> Self {
        Citizens {
            vision: 7.0,
            legitimacy: 0.82,
            threshold: 0.1,
            arrest_constant: 2.3,
            max_jail_term: 30,
        }
    }
}

/// Cops: cop rule C.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cops {
    /// Vision v* of a cop.
    #[schemars(range(min = 0.0, max = 31.0))]
    pub vision: f64,
}

impl Default for Cops {
    fn default() -> Self {
        Cops { vision: 7.0 }
    }
}

/// The readings of the paper on which implementations differ. Defaults follow the paper's
/// wording; see docs/model.md for each peer's choice and the lines of code it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The set of sites within vision.
    #[serde(default)]
    pub neighbourhood: Neighbourhood,
    /// How the ratio C/A enters P = 1 - exp(-k C/A).
    #[serde(default)]
    pub arrest_ratio: ArrestRatio,
    /// Where a jailed citizen is.
    #[serde(default)]
    pub jail: JailPlacement,
    /// When jail terms count down.
    #[serde(default)]
    pub jail_countdown: JailCountdown,
    /// The update schedule.
    #[serde(default)]
    pub update: UpdateSchedule,
    /// Whether an agent moves before it acts on its turn (the paper) or after (Mesa).
    #[serde(default)]
    pub turn: TurnOrder,
    /// Whether agents move at all (movement rule M).
    #[serde(default = "yes")]
    pub movement: bool,
    /// How a citizen counts itself among the actives A.
    #[serde(default)]
    pub self_count: SelfCount,
    /// Where a cop stands after an arrest.
    #[serde(default)]
    pub arrest_move: ArrestMove,
}

/// How a citizen counts itself among the actives A of its own estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SelfCount {
    /// Once, always: "A is always at least 1, because the agent always counts himself as
    /// active" (the paper, Mesa).
    #[default]
    Once,
    /// Once, and once more if it is active from its last decision: NetLogo's neighbourhood
    /// includes the agent's own patch (`1 + count agents-on neighborhood with [active?]`).
    TwiceIfActive,
}

/// Where a cop stands after an arrest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArrestMove {
    /// Where it was (the paper, Mesa).
    #[default]
    Stay,
    /// On the arrested citizen's site (NetLogo: `move-to suspect`). Needs jailed citizens off
    /// the lattice (`jail = "removed"`), so that the site is free.
    ToArrestee,
}

fn yes() -> bool {
    true
}

impl Default for Variant {
    fn default() -> Self {
        Variant {
            neighbourhood: Neighbourhood::default(),
            arrest_ratio: ArrestRatio::default(),
            jail: JailPlacement::default(),
            jail_countdown: JailCountdown::default(),
            update: UpdateSchedule::default(),
            turn: TurnOrder::default(),
            movement: true,
            self_count: SelfCount::default(),
            arrest_move: ArrestMove::default(),
        }
    }
}

/// The set of sites within vision v (the agent's own site never counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Neighbourhood {
    /// floor(v) sites north, south, east and west: a cross (the paper's wording).
    #[default]
    Cross,
    /// All sites with |dx| + |dy| <= floor(v): a von Neumann diamond (Mesa 3.3).
    Diamond,
    /// All sites with dx^2 + dy^2 <= v^2: a Euclidean disc (NetLogo `in-radius`).
    Disc,
    /// All sites with max(|dx|, |dy|) <= floor(v): a Moore square.
    Square,
}

/// How C/A enters the exponent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArrestRatio {
    /// The real ratio C/A (the paper's formula).
    #[default]
    Exact,
    /// C/A rounded to the nearest integer, ties to even (Mesa 3.3, Python `round`).
    Round,
    /// C/A rounded down (NetLogo Rebellion, `floor`).
    Floor,
}

/// Where a jailed citizen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JailPlacement {
    /// Off the lattice; on release the citizen returns to a random empty site.
    #[default]
    Removed,
    /// On its site, which stays occupied; released in place (Mesa 3.3).
    KeepCell,
}

/// When jail terms count down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JailCountdown {
    /// At the end of every step, for all jailed citizens (NetLogo).
    #[default]
    EndOfStep,
    /// On the jailed citizen's own turn, which it spends in jail (Mesa 3.3).
    OwnTurn,
}

/// The update schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UpdateSchedule {
    /// Every step, all agents (cops and citizens mixed) act once in a fresh random order,
    /// each seeing the changes made before it (the paper, Mesa, NetLogo).
    #[default]
    RandomSequential,
    /// Every step, all free citizens decide from the state at the start of the step; then
    /// cops arrest in random order; then all agents move in random order.
    Synchronous,
}

/// Order of moving and acting on an agent's turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TurnOrder {
    /// Move to a random empty site within vision, then act there (the paper, NetLogo).
    #[default]
    MoveThenAct,
    /// Act, then move (Mesa 3.3).
    ActThenMove,
}

/// Legitimacy moves linearly from its value at `start` to `value` at `start + ramp_steps`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegitimacyChange {
    /// The step at which the change begins.
    #[schemars(range(min = 0))]
    pub start: u32,
    /// Number of steps over which legitimacy moves (0: a jump).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub ramp_steps: u32,
    /// Legitimacy reached at the end of the change.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub value: f64,
}

/// The number of cops moves linearly to `density x sites`, by removing random cops or adding
/// them on random empty sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CopChange {
    /// The step at which the change begins.
    pub start: u32,
    /// Number of steps over which the number of cops moves (0: a jump).
    #[serde(default)]
    pub ramp_steps: u32,
    /// Cop density reached at the end of the change.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub density: f64,
}

/// Size and seed of the ensemble.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ensemble {
    /// Number of runs (each its own random stream; `bloc epstein` runs at most 10,000,000
    /// without --allow-large).
    #[schemars(range(min = 1, max = 100_000_000))]
    pub runs: u32,
    /// Number of steps per run (`bloc epstein` runs at most 1,000,000 without
    /// --allow-large: the bands over runs keep about 0.7 kB per step).
    #[schemars(range(min = 1, max = 100_000_000))]
    pub steps: u32,
    /// The master seed.
    pub seed: u64,
}

impl Default for Ensemble {
    fn default() -> Self {
        Ensemble {
            runs: 100,
            steps: 500,
            seed: 2002,
        }
    }
}

/// An outburst starts when the number of actives rises above `threshold` after at least
/// `min_calm_steps` steps at or below it, and ends at the first step back at or below it.
/// The paper's Fig. 4 calls more than 50 actives an outburst.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutburstRule {
    /// Number of actives above which a step is part of an outburst.
    pub threshold: u32,
    /// Calm steps needed before a new outburst counts as new.
    #[serde(default = "one")]
    #[schemars(range(min = 1))]
    pub min_calm_steps: u32,
}

fn one() -> u32 {
    1
}

impl Default for OutburstRule {
    fn default() -> Self {
        OutburstRule {
            threshold: 50,
            min_calm_steps: 1,
        }
    }
}

impl EpsteinScenario {
    /// The paper's Run 2 with the paper's own rules (the embedded default).
    pub fn paper_default() -> Self {
        EpsteinScenario {
            scenario: ScenarioInfo::default(),
            lattice: Lattice::default(),
            population: Population::default(),
            citizens: Citizens::default(),
            cops: Cops::default(),
            variant: Variant::default(),
            legitimacy_schedule: Vec::new(),
            cop_schedule: Vec::new(),
            ensemble: Ensemble::default(),
            outburst: OutburstRule::default(),
        }
    }

    /// Number of lattice sites.
    pub fn sites(&self) -> usize {
        self.lattice.width as usize * self.lattice.height as usize
    }
}

/// The largest whole radius a neighbourhood of vision `v` reaches.
pub fn reach(v: f64) -> u32 {
    v.floor() as u32
}

impl Checked for EpsteinScenario {
    fn check(&self, p: &mut SemanticProblems) {
        if self.scenario.kind != "epstein" {
            p.error(
                "scenario.kind",
                format!("kind \"{}\" is not this format", self.scenario.kind),
                "\"epstein\"",
            );
        }
        let pop = &self.population;
        if pop.citizen_density + pop.cop_density > 1.0 {
            p.error(
                "population.cop_density",
                format!(
                    "citizen_density + cop_density = {} exceeds 1",
                    pop.citizen_density + pop.cop_density
                ),
                "densities that sum to at most 1",
            );
        }
        let smallest = self.lattice.width.min(self.lattice.height);
        for (path, v) in [
            ("citizens.vision", self.citizens.vision),
            ("cops.vision", self.cops.vision),
        ] {
            if 2 * reach(v) + 1 > smallest {
                p.error(
                    path,
                    format!(
                        "vision {v} sees past itself on a {}x{} torus",
                        self.lattice.width, self.lattice.height
                    ),
                    format!(
                        "a vision below {} (2 floor(v) + 1 <= the lattice's smaller side)",
                        (smallest - 1) / 2 + 1
                    ),
                );
            }
        }
        if self.citizens.vision > 0.0 && self.citizens.vision < 1.0 && self.variant.movement {
            p.error(
                "citizens.vision",
                "a vision below 1 sees no site, so citizens can never move",
                "a vision of at least 1, or variant.movement = false",
            );
        }
        if self.variant.arrest_move == ArrestMove::ToArrestee
            && self.variant.jail == JailPlacement::KeepCell
        {
            p.error(
                "variant.arrest_move",
                "a cop cannot step onto the site of a citizen jailed in place",
                "arrest_move = \"stay\", or jail = \"removed\"",
            );
        }
        let steps = self.ensemble.steps;
        let legitimacy: Vec<(u32, u32)> = self
            .legitimacy_schedule
            .iter()
            .map(|c| (c.start, c.ramp_steps))
            .collect();
        check_schedule(p, "legitimacy_schedule", &legitimacy, steps);
        let cops: Vec<(u32, u32)> = self
            .cop_schedule
            .iter()
            .map(|c| (c.start, c.ramp_steps))
            .collect();
        check_schedule(p, "cop_schedule", &cops, steps);
        for (i, c) in self.cop_schedule.iter().enumerate() {
            if c.density + pop.citizen_density > 1.0 {
                p.error(
                    format!("cop_schedule[{i}].density"),
                    format!(
                        "cop density {} plus citizen density {} exceeds 1",
                        c.density, pop.citizen_density
                    ),
                    "densities that sum to at most 1",
                );
            }
        }
    }
}

/// Checks that the changes `(start, ramp_steps)` of the schedule `name` start within a run of
/// `steps` steps and do not overlap.
fn check_schedule(p: &mut SemanticProblems, name: &str, changes: &[(u32, u32)], steps: u32) {
    let mut previous_end = None;
    for (i, &(start, ramp)) in changes.iter().enumerate() {
        if start >= steps {
            p.error(
                format!("{name}[{i}].start"),
                format!("step {start} is past the end of a run ({steps} steps)"),
                format!("a step below {steps}"),
            );
        }
        if let Some(end) = previous_end
            && start < end
        {
            p.error(
                format!("{name}[{i}].start"),
                format!("change starts at step {start} before the previous one ends at {end}"),
                "changes in time order that do not overlap",
            );
        }
        previous_end = Some(start.saturating_add(ramp));
    }
}

/// The value of a piecewise-linear schedule at `step`, starting from `initial`.
pub(crate) fn scheduled_value(initial: f64, changes: &[(u32, u32, f64)], step: u32) -> f64 {
    let mut value = initial;
    for &(start, ramp, target) in changes {
        if step < start {
            break;
        }
        if ramp == 0 || step >= start.saturating_add(ramp) {
            value = target;
        } else {
            let from = value;
            let f = f64::from(step - start) / f64::from(ramp);
            return from + (target - from) * f;
        }
    }
    value
}
