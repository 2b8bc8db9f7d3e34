//! The bloc scenario file: a centre, its allies, the rival pole, their actors, beliefs,
//! levers, dated events and the rules that classify outcomes.
//!
//! Every parameter is a sourced value (see [`super::sourced`]). docs/model.md §2 gives the
//! equation each parameter enters; the comments here say what it means.

use super::sourced::{Amount, Count, Fraction, Position, Shift};
use bloc_base::document::{Checked, SemanticProblems};
use bloc_citizens::epstein::config::Variant;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A complete bloc scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlocScenario {
    /// What this file is and when it starts.
    pub scenario: Header,
    /// Size and seed of the ensemble.
    #[serde(default)]
    pub ensemble: EnsembleSize,
    /// Switches of the mechanisms beyond Model I (all on unless set to false).
    #[serde(default)]
    pub mechanisms: Mechanisms,
    /// The citizens' lattice: Epstein's Model I and its parameters, shared by all countries.
    pub citizens: CitizenRules,
    /// National signal, preference falsification, demonstration effect.
    pub cascade: Cascade,
    /// Emigration when an exit route is open.
    pub exit: Exit,
    /// Deaths: backlash against deterrence.
    pub backlash: Backlash,
    /// Population groups with their own hardship, risk aversion and media exposure.
    #[serde(default)]
    pub cohorts: Vec<Cohort>,
    /// Security forces: loyalty and defection.
    pub security: Security,
    /// The regime's collective decision and the actions its policy maps to.
    pub decision: Decision,
    /// Slow hardship from the economy.
    pub economy: Economy,
    /// Alignment with the centre.
    pub alliance: Alliance,
    /// The centre (the bloc's leading power): doctrine, credibility, budget.
    pub centre: Centre,
    /// The rival pole (the West).
    pub rival_pole: RivalPole,
    /// The centre's levers: channel strength, cost and delay of each.
    #[serde(default)]
    pub levers: BTreeMap<LeverKind, LeverSpec>,
    /// Levers applied on a schedule.
    #[serde(default)]
    pub lever_schedule: Vec<LeverUse>,
    /// The allies.
    pub countries: Vec<Country>,
    /// Who watches whom: `attention.OBSERVER.weights.OBSERVED`.
    #[serde(default)]
    pub attention: BTreeMap<String, AttentionRow>,
    /// Dated events known (or decided) at the start.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Rules that classify a country's path into the memo's scenarios.
    pub outcomes: OutcomeRules,
    /// How lattice counts are scaled to people.
    pub report: Report,
}

/// Descriptive header and clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Must be "bloc" for this format.
    #[schemars(extend("const" = "bloc"))]
    pub kind: String,
    /// A short name.
    pub name: String,
    /// What the scenario describes and what it deliberately leaves out.
    #[serde(default)]
    pub description: String,
    /// The first day (YYYY-MM-DD); step 0 is this week.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub start: String,
    /// Number of weekly steps.
    #[schemars(range(min = 1, max = 2000))]
    pub weeks: u32,
}

/// Ensemble size and master seed (the CLI's --runs and --seed override them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnsembleSize {
    /// Number of runs.
    #[schemars(range(min = 1, max = 10_000_000))]
    pub runs: u64,
    /// The master seed.
    pub master_seed: u64,
}

impl Default for EnsembleSize {
    fn default() -> Self {
        EnsembleSize {
            runs: 1000,
            master_seed: 1989,
        }
    }
}

/// Switches of every mechanism beyond Model I. With all of them off, each country's
/// citizens are exactly Model I with constant legitimacy and cops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Mechanisms {
    /// National signal and preference falsification (Granovetter 1978; Kuran 1991; Lohmann 1994).
    pub cascade: bool,
    /// Exit through open routes, and exit as a signal (Hirschman 1993).
    pub exit: bool,
    /// Deaths raise grievance (backlash) and perceived risk (deterrence).
    pub backlash: bool,
    /// Cohorts with their own distributions; off: one cohort, H and R from U(0, 1).
    pub cohorts: bool,
    /// The rival pole's media raise the reference point of hardship.
    pub rival_pole: bool,
    /// Security forces' loyalty, repression orders and defection.
    pub security: bool,
    /// The regime's collective decision (policy), its actions and elections.
    pub decision: bool,
    /// Hardship moves with the economy and the levers that act on it.
    pub economy: bool,
    /// Alignment with the centre moves.
    pub alliance: bool,
    /// Beliefs about the doctrine update from what actors observe.
    pub beliefs: bool,
    /// Countries watch each other (attention matrix) and exit routes run through neighbours.
    pub coupling: bool,
    /// The centre's levers act.
    pub levers: bool,
    /// The centre may intervene by force under its doctrine.
    pub intervention: bool,
    /// Legitimacy moves with deaths (backlash), the centre's intervention and the regime's
    /// fall (a new government's legitimacy); legitimacy events act regardless.
    pub legitimacy: bool,
}

impl Default for Mechanisms {
    fn default() -> Self {
        Mechanisms {
            cascade: true,
            exit: true,
            backlash: true,
            cohorts: true,
            rival_pole: true,
            security: true,
            decision: true,
            economy: true,
            alliance: true,
            beliefs: true,
            coupling: true,
            levers: true,
            intervention: true,
            legitimacy: true,
        }
    }
}

impl Mechanisms {
    /// Every mechanism off: Model I per country.
    pub fn none() -> Self {
        Mechanisms {
            cascade: false,
            exit: false,
            backlash: false,
            cohorts: false,
            rival_pole: false,
            security: false,
            decision: false,
            economy: false,
            alliance: false,
            beliefs: false,
            coupling: false,
            levers: false,
            intervention: false,
            legitimacy: false,
        }
    }
}

/// Model I on each country's lattice (Epstein 2002).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CitizenRules {
    /// Lattice columns per country (a sample of the population; see `report`).
    #[schemars(range(min = 5, max = 1024))]
    pub lattice_width: u32,
    /// Lattice rows per country.
    #[schemars(range(min = 5, max = 1024))]
    pub lattice_height: u32,
    /// Share of sites holding a citizen.
    pub citizen_density: Fraction,
    /// Citizens' vision v (sites).
    pub vision: Amount,
    /// Cops' vision v* (sites).
    pub cop_vision: Amount,
    /// Threshold T of agent rule A.
    pub threshold: Fraction,
    /// Arrest constant k of P = 1 - exp(-k C/A).
    pub arrest_constant: Amount,
    /// Maximum jail term J_max, in weeks.
    pub max_jail_term: Count,
    /// Weeks of Model I run before the start with the initial values and no other mechanism,
    /// so that the lattice starts from its own steady state rather than from empty jails
    /// (not reported, not classified).
    #[serde(default)]
    #[schemars(range(min = 0, max = 520))]
    pub burn_in_weeks: u32,
    /// Readings of the paper on which implementations differ.
    #[serde(default)]
    pub variant: Variant,
}

/// The national signal (Kuran 1991; Lohmann 1994; Granovetter 1978).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cascade {
    /// How much the visible national share of actives lowers the threshold T:
    /// T_eff = T - signal_weight * S.
    pub signal_weight: Amount,
    /// Weight of last week's emigration share in S (exit seen as regime weakness).
    pub exit_weight: Amount,
    /// Weight of regimes fallen elsewhere without intervention in S, times attention.
    pub neighbour_weight: Amount,
    /// How much a large visible turnout lowers perceived risk: k_eff = k (1 - risk_relief * S).
    pub risk_relief: Fraction,
}

/// Exit (Hirschman 1993).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exit {
    /// A citizen considers leaving when its grievance G exceeds this.
    pub grievance_threshold: Fraction,
    /// Weekly probability that such a citizen leaves when a route is fully open.
    pub weekly_probability: Fraction,
    /// Openness of an exit route through a neighbour, relative to an open border of one's own.
    pub transit_openness: Fraction,
}

/// Deaths: backlash and deterrence (Francisco 2004; Lichbach 1987).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Backlash {
    /// Probability that an arrest kills while a lethal order stands.
    pub kill_probability: Fraction,
    /// Legitimacy lost per death per 10,000 lattice citizens (backlash).
    pub legitimacy_per_death: Amount,
    /// Rise of the arrest constant k per death per 10,000 lattice citizens (deterrence).
    pub deterrence_per_death: Amount,
    /// Weekly decay of the deterrence effect (share lost per week).
    pub deterrence_decay: Fraction,
}

/// A population group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cohort {
    /// Name, e.g. "youth".
    pub name: String,
    /// Share of citizens in this cohort (the shares must sum to 1).
    pub share: Fraction,
    /// Hardship H is uniform on [hardship_low, hardship_high].
    pub hardship_low: Fraction,
    /// Upper end of H.
    pub hardship_high: Fraction,
    /// Risk aversion R is uniform on [risk_low, risk_high].
    pub risk_low: Fraction,
    /// Upper end of R.
    pub risk_high: Fraction,
    /// Exposure to the rival pole's media (multiplies the country's media reach).
    pub media_exposure: Fraction,
}

/// Security forces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// Loyalty target with no pressure and no backing.
    pub base_loyalty: Fraction,
    /// Share of the gap to its target that loyalty closes each week.
    pub adjustment: Fraction,
    /// Actives per cop above which loyalty erodes.
    pub overwhelm_ratio: Amount,
    /// Loss of loyalty target per unit of actives per cop above the ratio.
    pub overwhelm_weight: Amount,
    /// Loss of loyalty target per unit of elite split.
    pub split_weight: Amount,
    /// Loyalty target gained per unit of belief that the centre would back the regime.
    pub backing_weight: Amount,
    /// Loss of loyalty target while a lethal order stands (firing on one's own people).
    pub lethal_strain: Amount,
    /// Loyalty below which the forces defect.
    pub defection_threshold: Fraction,
    /// Cop numbers multiply by this under a repression order.
    pub repression_boost: Amount,
}

/// The collective decision and the actions it maps to (positions on 0-100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// How the actors' positions become the policy.
    #[serde(default)]
    pub rule: DecisionRule,
    /// Rounds of Bueno de Mesquita's model per week while a round table is open
    /// (`rule = "bdm_round_table"`).
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 20))]
    pub round_table_rounds: u32,
    /// Policy below this during a crisis: repression order.
    pub repression_below: Position,
    /// Policy below this during a crisis: lethal order.
    pub lethal_below: Position,
    /// Policy at or above this: dialogue / round table (a concession).
    pub dialogue_at: Position,
    /// Policy at or above this: the opposition is legalized.
    pub legalize_at: Position,
    /// Policy at or above this: competitive elections are scheduled.
    pub elections_at: Position,
    /// Policy at or above this: the country opens its own border to the West.
    pub open_border_at: Position,
    /// Policy at or above this: citizens of allies may pass through to the West.
    pub let_through_at: Position,
    /// Opposition capability gained per week per unit of national active share above
    /// `outcomes.crisis_share`.
    pub mobilization_gain: Amount,
    /// Reformers' capability gained per week per unit of hardship above 0.5.
    pub economic_gain: Amount,
    /// Hard-liners' capability multiplier per unit of belief in the centre's backing.
    pub backing_gain: Amount,
    /// Share of the gap to the initial capability that capabilities close per week.
    pub capability_reversion: Fraction,
    /// Weeks from scheduling competitive elections to the vote.
    pub election_delay: Count,
    /// Share of seats contested when elections are first conceded at `elections_at`.
    pub min_contested: Fraction,
    /// Share of the contested vote below which the ruling party's allies defect (it falls).
    pub coalition_collapse_vote: Fraction,
    /// Legitimacy of a new government after the regime falls.
    pub new_government_legitimacy: Fraction,
    /// The most liberal policy the centre has historically tolerated (the line whose crossing
    /// brought force in 1956 and 1968). Actors whose ideal lies beyond it state a position
    /// pulled back toward it by `deference` x belief (elite preference falsification under
    /// the Soviet constraint); the file's positions are the stated ones at the start.
    pub tolerated_line: Position,
    /// How far an actor defers to the tolerated line when certain that force would come
    /// (0 = never).
    pub deference: Fraction,
    /// A new election is called when the share of seats the policy implies exceeds the share
    /// contested last time by at least this much.
    pub reelection_step: Fraction,
    /// Weeks the opposition must keep the national active share above
    /// `outcomes.overthrow_share` to topple a regime whose forces do not fire.
    pub overthrow_weeks: Count,
}

fn one() -> u32 {
    1
}

/// How the actors' positions become the regime's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRule {
    /// The weighted median (weights capability x salience; Black 1948; design model.md §1.3).
    #[default]
    WeightedMedian,
    /// The weighted mean (the compromise model of Achen 2006).
    WeightedMean,
    /// While a round table is open (policy at or above `dialogue_at`), actors bargain by
    /// Bueno de Mesquita's expected-utility model (Scholz et al. 2011 reading; bloc bargain
    /// --model bdm) and their positions move; the policy is the weighted median of the
    /// moved positions. Otherwise the weighted median.
    BdmRoundTable,
    /// The weighted median while the regime decides alone; while a round table is open, the
    /// negotiated compromise, the weighted mean of all actors' positions (the compromise
    /// model of Achen 2006, among the best forecasters of negotiated outcomes in Thomson et
    /// al. 2006, The European Union Decides).
    CompromiseAtRoundTable,
}

/// Slow hardship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Economy {
    /// Hardship relief per unit of Western credit intensity per week.
    pub credit_relief: Amount,
    /// Hardship bounds: the shift stays within [-limit, limit].
    pub limit: Fraction,
    /// Standard deviation of the weekly random change of each country's hardship shift
    /// (economic shocks: harvests, supply breakdowns, price rises); 0 = a deterministic
    /// economy.
    pub volatility: Fraction,
}

/// Alignment with the centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alliance {
    /// A government whose alignment is under this leaves the alliance in a week when none of
    /// the centre's troops are stationed in its country (membership is then lost for good);
    /// at the horizon, alignment at or above it is reported as `aligned`.
    pub intact_threshold: Fraction,
    /// Alignment lost by every ally per unit attention when the centre intervenes anywhere.
    pub coercion_cost: Fraction,
    /// Alignment lost per week per unit of the rival pole's pull (media reach) after a fall.
    pub pull_weight: Amount,
    /// Alignment lost per week per unit of the centre's troops per citizen seen as occupation
    /// (troops per 1,000 people), after a regime's fall.
    pub occupation_weight: Amount,
    /// Alignment of a new government before contacts count.
    pub new_government_base: Fraction,
    /// Alignment a new government gains per unit of the centre's accumulated contacts with
    /// all forces.
    pub contacts_weight: Amount,
}

/// When the centre uses force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Doctrine {
    /// Intervene when a regime falls (the Brezhnev doctrine, 1968).
    WhenRegimeFalls,
    /// Force only against external armed interference (the memo's line).
    ExternalArmedInterferenceOnly,
    /// Never.
    Never,
}

/// The centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Centre {
    /// Id, e.g. "SUN".
    pub id: String,
    /// Name.
    pub name: String,
    /// The doctrine in force at the start.
    pub doctrine: Doctrine,
    /// Probability that the centre acts when its doctrine calls for force.
    pub resolve: Fraction,
    /// Budget for levers over the horizon (in lever cost units).
    pub budget: Amount,
    /// Share of the gap that beliefs close toward what an observed event implies, per unit
    /// attention.
    pub belief_learning: Fraction,
    /// How informative a concession made without intervention is, relative to a fall without
    /// intervention, for the allies' beliefs (0 = beliefs learn only from falls).
    pub concession_signal: Fraction,
    /// Weeks an intervention keeps the reinforced security forces in a country.
    pub intervention_weeks: Count,
    /// Cops multiply by this during an intervention.
    pub intervention_boost: Amount,
    /// Legitimacy a regime loses when it is saved by the centre's force.
    pub intervention_legitimacy_loss: Fraction,
    /// How much the belief that force would come raises the citizens' perceived risk:
    /// k_eff = k (1 + risk_weight * belief).
    pub risk_weight: Amount,
}

/// The rival pole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RivalPole {
    /// Name.
    pub name: String,
    /// Hardship reference raised per unit media reach times cohort exposure:
    /// H_eff = H + pull * reach * exposure.
    pub pull: Amount,
    /// Western credit intensity offered per week to a country whose policy is at least
    /// `decision.dialogue_at` (0 = none).
    pub credit_offer: Fraction,
}

/// The centre's levers (the memo's minimum program).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LeverKind {
    /// Leadership contacts: alignment up; hard-liners less desperate (fewer lethal orders).
    LeadershipContacts,
    /// Pushing reform: reformers' capability up, the regime's alignment down.
    PushReform,
    /// Keep ties while integrating with the West: Western credit lowers hardship; pull rises.
    WesternIntegration,
    /// Army partnership: the army's position moves toward the centre's representative and
    /// the army's loyalty to the alliance rises.
    ArmyPartnership,
    /// Reduce or withdraw troops: alignment up, belief in intervention down, savings.
    TroopWithdrawal,
    /// Contacts with all forces, incl. churches: a new government's alignment up.
    ContactsAllForces,
    /// Reliable supply contracts: hardship down.
    ReliableContracts,
    /// Debt relief: hardship down.
    DebtRelief,
    /// Conversion of military industry: hardship down after a long delay.
    MilitaryConversion,
}

impl LeverKind {
    /// All levers, in a fixed order.
    pub const ALL: [LeverKind; 9] = [
        LeverKind::LeadershipContacts,
        LeverKind::PushReform,
        LeverKind::WesternIntegration,
        LeverKind::ArmyPartnership,
        LeverKind::TroopWithdrawal,
        LeverKind::ContactsAllForces,
        LeverKind::ReliableContracts,
        LeverKind::DebtRelief,
        LeverKind::MilitaryConversion,
    ];

    /// The snake_case name used in files.
    pub fn name(self) -> &'static str {
        match self {
            LeverKind::LeadershipContacts => "leadership_contacts",
            LeverKind::PushReform => "push_reform",
            LeverKind::WesternIntegration => "western_integration",
            LeverKind::ArmyPartnership => "army_partnership",
            LeverKind::TroopWithdrawal => "troop_withdrawal",
            LeverKind::ContactsAllForces => "contacts_all_forces",
            LeverKind::ReliableContracts => "reliable_contracts",
            LeverKind::DebtRelief => "debt_relief",
            LeverKind::MilitaryConversion => "military_conversion",
        }
    }
}

/// Strength, cost and delay of one lever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeverSpec {
    /// Effect per week at intensity 1, in the units of the lever's channel.
    pub effect: Amount,
    /// Cost per week at intensity 1 against the centre's budget (negative savings are
    /// written as `savings`).
    pub cost: Amount,
    /// Savings per week at intensity 1 (troop withdrawal).
    #[serde(default)]
    pub savings: Option<Amount>,
    /// Weeks from the start of the lever to its first effect.
    pub delay: Count,
}

/// One scheduled use of a lever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeverUse {
    /// Which lever.
    pub lever: LeverKind,
    /// A country id, or "all".
    pub country: String,
    /// First day (YYYY-MM-DD).
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub start: String,
    /// Number of weeks it runs.
    #[schemars(range(min = 1, max = 2000))]
    pub weeks: u32,
    /// Intensity in [0, 1].
    #[schemars(range(min = 0.0, max = 1.0))]
    pub intensity: f64,
    /// Why (the memo's line or the historical policy).
    pub source: String,
}

/// An actor's role in a country's collective decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The ruling party's hard-line wing.
    Hardliners,
    /// The ruling party's reform wing.
    Reformers,
    /// The security apparatus.
    Security,
    /// The army.
    Army,
    /// The organized opposition.
    Opposition,
    /// The churches.
    Churches,
    /// The centre's representative.
    Centre,
}

/// One actor of a country's collective decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Role.
    pub role: Role,
    /// Position on the liberalization scale (0 = total repression, 100 = full pluralism).
    pub position: Position,
    /// Capability (relative weight).
    pub capability: Amount,
    /// Salience (share of attention the actor gives to this question).
    pub salience: Fraction,
}

/// One allied country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// Id (e.g. "GDR").
    pub id: String,
    /// Name.
    pub name: String,
    /// Population (for scaling lattice counts to people).
    pub population: Count,
    /// Perceived legitimacy L of the regime at the start.
    pub legitimacy: Fraction,
    /// Hardship shift added to every citizen's H at the start (economy).
    pub hardship: Shift,
    /// Hardship change per week without levers (the economy's drift).
    pub hardship_drift: Shift,
    /// Share of lattice sites holding a cop (the security forces' capacity).
    pub cop_density: Fraction,
    /// The centre's troops stationed in the country.
    pub centre_troops: Count,
    /// Reach of the rival pole's media (share of the population).
    pub media_reach: Fraction,
    /// Whether the rival pole accepts this country's emigrants (share of would-be emigrants
    /// it takes).
    pub west_acceptance: Fraction,
    /// Alignment with the centre at the start.
    pub alignment: Fraction,
    /// Belief that the centre would use force to save the regime, at the start.
    pub belief: Fraction,
    /// The belief under which the actors' positions were read: the start day's, after the
    /// events dated before it (default: that belief as the run computes it from `belief`).
    /// The actors' ideals are their positions with this belief's deference taken out; a
    /// counterfactual that changes `belief` and keeps this one keeps their ideals, so only
    /// what they dare to state moves (issue #16 item 5).
    #[serde(default)]
    pub positions_belief: Option<Fraction>,
    /// Weeks since the last crisis before the start (omit if none in living memory of the
    /// rules' window).
    #[serde(default)]
    pub crisis_weeks_before_start: Option<Count>,
    /// Allies whose territory this country's citizens may travel to (exit via neighbours).
    #[serde(default)]
    pub travel_to: Vec<String>,
    /// Source of `travel_to`.
    #[serde(default)]
    pub travel_source: String,
    /// Whether allies' citizens this country lets through can reach the West across one of
    /// its land borders: one with the rival pole, or with a state that lets them on to it
    /// (geography, and for a non-aligned neighbour a judgement). A neighbour without one is
    /// no exit route for them (issue #16). Omitted: assumed yes (the rule before this field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub west_border: Option<bool>,
    /// Source of `west_border`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub west_border_source: String,
    /// The actors of the collective decision.
    pub actors: Vec<Actor>,
}

impl Country {
    /// Whether allies' citizens this country lets through reach the West (`west_border`,
    /// yes when omitted).
    #[must_use]
    pub fn borders_west(&self) -> bool {
        self.west_border.unwrap_or(true)
    }
}

/// Attention of one observer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttentionRow {
    /// Weight given to each observed country (0-1).
    pub weights: BTreeMap<String, f64>,
    /// Where the weights come from.
    pub source: String,
}

/// A dated event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Day (YYYY-MM-DD).
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub date: String,
    /// A country id, or "all".
    pub country: String,
    /// What happens.
    pub kind: EventKind,
    /// Size, where the kind needs one (a belief shift in [-1, 1], a doctrine, ...).
    #[serde(default)]
    pub value: Option<f64>,
    /// The new doctrine (for `doctrine` events).
    #[serde(default)]
    pub doctrine: Option<Doctrine>,
    /// What happened, in words.
    #[serde(default)]
    pub note: String,
    /// Source.
    pub source: String,
}

/// Kinds of dated events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A statement of the centre: beliefs shift by `value` (negative: force less likely).
    Statement,
    /// The centre's doctrine changes to `doctrine`.
    Doctrine,
    /// The country opens its border to the West.
    BorderOpen,
    /// The country closes its border again.
    BorderClose,
    /// Round table / dialogue opens: the policy is at least `decision.dialogue_at` from now.
    RoundTable,
    /// Competitive elections held on this date (`value` = share of seats contested).
    Election,
    /// A lethal order is given.
    LethalOrder,
    /// External armed interference (the memo's only ground for force).
    ExternalInterference,
    /// The regime falls (for replaying the record); under `when_regime_falls` the centre may
    /// still intervene.
    RegimeFalls,
    /// Legitimacy shifts by `value`.
    LegitimacyShock,
    /// Hardship shifts by `value`.
    HardshipShock,
    /// The regime commits to a policy of at least `value` (0-100) from now: a decision
    /// taken (legalizing the opposition, accepting multiparty elections) that binds it.
    PolicyFloor,
}

impl EventKind {
    /// The snake_case name used in files.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Statement => "statement",
            EventKind::Doctrine => "doctrine",
            EventKind::BorderOpen => "border_open",
            EventKind::BorderClose => "border_close",
            EventKind::RoundTable => "round_table",
            EventKind::Election => "election",
            EventKind::LethalOrder => "lethal_order",
            EventKind::ExternalInterference => "external_interference",
            EventKind::RegimeFalls => "regime_falls",
            EventKind::LegitimacyShock => "legitimacy_shock",
            EventKind::HardshipShock => "hardship_shock",
            EventKind::PolicyFloor => "policy_floor",
        }
    }
}

/// Outcome-class rules (model.md §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRules {
    /// A week is a crisis when the national active share (actives over citizens at home)
    /// is above this.
    pub crisis_share: Fraction,
    /// A concession is `smooth` if no crisis came in this many weeks before it.
    pub smooth_window: Count,
    /// Deaths (people) at or above which the path is an eruption.
    pub eruption_deaths: Count,
    /// Active share that topples a regime whose forces do not fire, if kept for
    /// `decision.overthrow_weeks`.
    pub overthrow_share: Fraction,
}

/// How lattice counts become people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Share of the population that one lattice active stands for on the street in a week,
    /// relative to its share of the lattice: protest = actives / citizens x population x this.
    pub street_fraction: Fraction,
    /// People dead per lattice citizen killed (a lattice citizen stands for a crowd).
    pub deaths_per_killed: Amount,
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, if it is a valid date.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

impl BlocScenario {
    /// The week (step) of a date: 0 for the start week; negative before the start.
    pub fn week_of(&self, date: &str) -> Option<i64> {
        let start = parse_date(&self.scenario.start)?;
        let d = parse_date(date)?;
        Some((d - start).num_days().div_euclid(7))
    }

    /// The calendar date of the first day of week `week`.
    pub fn date_of_week(&self, week: f64) -> String {
        match parse_date(&self.scenario.start) {
            Some(start) => {
                let days = (week * 7.0).round() as i64;
                (start + chrono::Duration::days(days))
                    .format("%Y-%m-%d")
                    .to_string()
            }
            None => String::new(),
        }
    }

    /// Index of the country with this id.
    pub fn country_index(&self, id: &str) -> Option<usize> {
        self.countries.iter().position(|c| c.id == id)
    }
}

fn check_country_ref(
    s: &BlocScenario,
    p: &mut SemanticProblems,
    path: String,
    id: &str,
    allow_all: bool,
) {
    if allow_all && (id == "all" || id == s.centre.id) {
        return;
    }
    if s.country_index(id).is_none() {
        let ids: Vec<&str> = s.countries.iter().map(|c| c.id.as_str()).collect();
        let hint = match bloc_base::document::closest(id, ids.iter().copied()) {
            Some(c) => format!(" (did you mean \"{c}\"?)"),
            None => String::new(),
        };
        p.error(
            path,
            format!("unknown country \"{id}\"{hint}"),
            format!(
                "one of {}{}",
                ids.join(", "),
                if allow_all { ", or \"all\"" } else { "" }
            ),
        );
    }
}

impl Checked for BlocScenario {
    #[expect(
        clippy::cognitive_complexity,
        clippy::too_many_lines,
        reason = "written before the lint was enabled; to be split (issue #15 closing note)"
    )]
    fn check(&self, p: &mut SemanticProblems) {
        if self.scenario.kind != "bloc" {
            p.error(
                "scenario.kind",
                format!("kind \"{}\" is not this format", self.scenario.kind),
                "\"bloc\"",
            );
        }
        if parse_date(&self.scenario.start).is_none() {
            p.error(
                "scenario.start",
                format!("\"{}\" is not a calendar date", self.scenario.start),
                "a date YYYY-MM-DD",
            );
        }
        if self.countries.is_empty() {
            p.error(
                "countries",
                "no countries",
                "at least one [[countries]] table",
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in self.countries.iter().enumerate() {
            if !seen.insert(c.id.as_str()) {
                p.error(
                    format!("countries[{i}].id"),
                    format!("country id \"{}\" appears twice", c.id),
                    "distinct country ids",
                );
            }
            if c.id == "all" || c.id == self.centre.id {
                p.error(
                    format!("countries[{i}].id"),
                    format!("\"{}\" cannot be an ally's id", c.id),
                    "an id other than \"all\" and the centre's",
                );
            }
            if c.actors.is_empty() {
                p.error(
                    format!("countries[{i}].actors"),
                    "a country with no actors has no collective decision",
                    "at least one [[countries.actors]]",
                );
            }
            if c.actors
                .iter()
                .all(|a| a.capability.value * a.salience.value <= 0.0)
            {
                p.error(
                    format!("countries[{i}].actors"),
                    "all actors have zero capability or salience",
                    "at least one actor with positive capability and salience",
                );
            }
            for (t, to) in c.travel_to.iter().enumerate() {
                check_country_ref(self, p, format!("countries[{i}].travel_to[{t}]"), to, false);
                if to == &c.id {
                    p.error(
                        format!("countries[{i}].travel_to[{t}]"),
                        "a country cannot be its own exit route",
                        "another country's id",
                    );
                }
            }
            if !c.travel_to.is_empty() && c.travel_source.trim().is_empty() {
                p.error(
                    format!("countries[{i}].travel_source"),
                    "travel_to has no source",
                    "a source for the travel routes",
                );
            }
            if c.west_border.is_some() && c.west_border_source.trim().is_empty() {
                p.error(
                    format!("countries[{i}].west_border_source"),
                    "west_border has no source",
                    "a source for the border with the West",
                );
            }
            let cops = c.cop_density.value + self.citizens.citizen_density.value;
            if cops > 1.0 {
                p.error(
                    format!("countries[{i}].cop_density.value"),
                    format!("citizen_density + cop_density = {cops} exceeds 1"),
                    "densities that sum to at most 1",
                );
            }
        }
        for (observer, row) in &self.attention {
            check_country_ref(self, p, format!("attention.{observer}"), observer, false);
            for (observed, w) in &row.weights {
                check_country_ref(
                    self,
                    p,
                    format!("attention.{observer}.weights.{observed}"),
                    observed,
                    false,
                );
                if !(0.0..=1.0).contains(w) {
                    p.error(
                        format!("attention.{observer}.weights.{observed}"),
                        format!("weight {w} is out of range"),
                        "a weight in [0, 1]",
                    );
                }
            }
        }
        for (i, e) in self.events.iter().enumerate() {
            check_country_ref(self, p, format!("events[{i}].country"), &e.country, true);
            if parse_date(&e.date).is_none() {
                p.error(
                    format!("events[{i}].date"),
                    format!("\"{}\" is not a calendar date", e.date),
                    "a date YYYY-MM-DD",
                );
            }
            match e.kind {
                EventKind::Statement | EventKind::LegitimacyShock | EventKind::HardshipShock => {
                    match e.value {
                        Some(v) if (-1.0..=1.0).contains(&v) => {}
                        _ => p.error(
                            if e.value.is_some() {
                                format!("events[{i}].value")
                            } else {
                                format!("events[{i}].kind")
                            },
                            format!("a {} event needs a value in [-1, 1]", e.kind.name()),
                            "value = a number in [-1, 1]",
                        ),
                    }
                }
                EventKind::Election => {
                    if let Some(v) = e.value
                        && !(0.0..=1.0).contains(&v)
                    {
                        p.error(
                            format!("events[{i}].value"),
                            format!("contested share {v} is out of range"),
                            "a share in [0, 1]",
                        );
                    }
                }
                EventKind::PolicyFloor => match e.value {
                    Some(v) if (0.0..=100.0).contains(&v) => {}
                    _ => p.error(
                        if e.value.is_some() {
                            format!("events[{i}].value")
                        } else {
                            format!("events[{i}].kind")
                        },
                        "a policy_floor event needs a value in [0, 100]",
                        "value = a position on the liberalization scale",
                    ),
                },
                EventKind::Doctrine if e.doctrine.is_none() => {
                    p.error(
                        format!("events[{i}].kind"),
                        "a doctrine event needs the new doctrine",
                        "doctrine = \"when_regime_falls\", \"external_armed_interference_only\" or \"never\"",
                    );
                }
                _ => {}
            }
        }
        for (i, u) in self.lever_schedule.iter().enumerate() {
            check_country_ref(
                self,
                p,
                format!("lever_schedule[{i}].country"),
                &u.country,
                true,
            );
            if parse_date(&u.start).is_none() {
                p.error(
                    format!("lever_schedule[{i}].start"),
                    format!("\"{}\" is not a calendar date", u.start),
                    "a date YYYY-MM-DD",
                );
            }
            if !self.levers.contains_key(&u.lever) {
                p.error(
                    format!("lever_schedule[{i}].lever"),
                    format!(
                        "lever \"{}\" has no [levers.{}] table",
                        u.lever.name(),
                        u.lever.name()
                    ),
                    "a [levers.NAME] table giving its effect, cost and delay",
                );
            }
        }
        if self.mechanisms.cohorts && !self.cohorts.is_empty() {
            let total: f64 = self.cohorts.iter().map(|c| c.share.value).sum();
            if (total - 1.0).abs() > 1e-6 {
                p.error(
                    "cohorts",
                    format!("cohort shares sum to {total}"),
                    "shares that sum to 1",
                );
            }
            for (i, c) in self.cohorts.iter().enumerate() {
                if c.hardship_low.value > c.hardship_high.value {
                    p.error(
                        format!("cohorts[{i}].hardship_high.value"),
                        "hardship_high is below hardship_low",
                        "hardship_low <= hardship_high",
                    );
                }
                if c.risk_low.value > c.risk_high.value {
                    p.error(
                        format!("cohorts[{i}].risk_high.value"),
                        "risk_high is below risk_low",
                        "risk_low <= risk_high",
                    );
                }
            }
        }
        let d = &self.decision;
        if d.lethal_below.value > d.repression_below.value {
            p.error(
                "decision.lethal_below.value",
                "a lethal order needs a policy below the repression threshold",
                "lethal_below <= repression_below",
            );
        }
        if d.dialogue_at.value > d.legalize_at.value || d.legalize_at.value > d.elections_at.value {
            p.error(
                "decision.legalize_at.value",
                "concession thresholds are out of order",
                "dialogue_at <= legalize_at <= elections_at",
            );
        }
        if d.repression_below.value > d.dialogue_at.value {
            p.error(
                "decision.repression_below.value",
                "repression would be ordered at a policy that also opens dialogue",
                "repression_below <= dialogue_at",
            );
        }
        let smallest = self
            .citizens
            .lattice_width
            .min(self.citizens.lattice_height);
        for (path, v) in [
            ("citizens.vision.value", self.citizens.vision.value),
            ("citizens.cop_vision.value", self.citizens.cop_vision.value),
        ] {
            if 2 * (v.floor() as u32) + 1 > smallest {
                p.error(
                    path,
                    format!("vision {v} sees past itself on a {smallest}-site torus"),
                    format!("a vision below {}", (smallest - 1) / 2 + 1),
                );
            }
        }
        if self.citizens.max_jail_term.value > 10_000 {
            p.error(
                "citizens.max_jail_term.value",
                "a jail term beyond 10,000 weeks",
                "at most 10000",
            );
        }
        if self.citizens.variant.arrest_move
            == bloc_citizens::epstein::config::ArrestMove::ToArrestee
            && self.citizens.variant.jail == bloc_citizens::epstein::config::JailPlacement::KeepCell
        {
            p.error(
                "citizens.variant.arrest_move",
                "a cop cannot step onto the site of a citizen jailed in place",
                "arrest_move = \"stay\", or jail = \"removed\"",
            );
        }
        check_priors(self, p);
        check_dates_within(self, p);
    }
}

/// Every dated event and lever use acts within the scenario's weeks 1 to `weeks`: an event
/// dated after the last week, a lever use that starts after it or whose weeks all come before
/// week 1, would do nothing. (An event dated before the start acts at week 0, as the
/// flagship's known events do.)
fn check_dates_within(s: &BlocScenario, p: &mut SemanticProblems) {
    let (Some(start), weeks) = (parse_date(&s.scenario.start), i64::from(s.scenario.weeks)) else {
        return;
    };
    let date_of = |w: i64| {
        (start + chrono::Duration::weeks(w))
            .format("%Y-%m-%d")
            .to_string()
    };
    let span = format!(
        "the scenario's weeks 1 to {weeks}, from {} to before {}",
        date_of(1),
        date_of(weeks + 1)
    );
    for (i, e) in s.events.iter().enumerate() {
        if s.week_of(&e.date).is_some_and(|w| w > weeks) {
            p.error(
                format!("events[{i}].date"),
                format!(
                    "{} is after the scenario's last week, so the event would never happen",
                    e.date
                ),
                format!(
                    "a date before {} ({span}; an earlier date acts at week 0)",
                    date_of(weeks + 1)
                ),
            );
        }
    }
    for (i, u) in s.lever_schedule.iter().enumerate() {
        let Some(first) = s.week_of(&u.start) else {
            continue;
        };
        if first > weeks || first + i64::from(u.weeks) < 2 {
            p.error(
                format!("lever_schedule[{i}].start"),
                format!(
                    "the use from {} for {} weeks lies outside the scenario, so it would never act",
                    u.start, u.weeks
                ),
                format!("a use that overlaps {span}"),
            );
        }
    }
}

/// Every prior fits its value's type (the type's range is the prior's bounds) and its
/// support holds the value.
fn check_priors(s: &BlocScenario, p: &mut SemanticProblems) {
    for v in crate::parameters::sourced_values(s) {
        if let Some(prior) = v.prior {
            check_prior(&v.location, v.value, prior, v.kind, p);
        }
    }
}

/// The prior of the value at `location` fits its type's range and gives the value a positive
/// density (shared by every format whose values may carry a prior).
pub(crate) fn check_prior(
    location: &str,
    value: f64,
    prior: crate::sourced::Prior,
    kind: crate::parameters::ValueKind,
    p: &mut SemanticProblems,
) {
    let bounds = kind.bounds();
    if let Err(e) = prior.check(bounds) {
        p.error(
            format!("{location}.prior"),
            format!("this prior cannot be used: {e}"),
            format!(
                "a prior on the range of a {} [{}, {}]",
                kind.name(),
                bounds.0,
                bounds.1
            ),
        );
        return;
    }
    let (lo, hi) = prior.support(bounds);
    if !(lo..=hi).contains(&value) {
        p.error(
            format!("{location}.value"),
            format!("the value {value} lies outside its prior's support"),
            format!("a value in [{lo}, {hi}], or a prior that holds it"),
        );
    } else if prior.log_density(value, bounds) == f64::NEG_INFINITY {
        p.error(
            format!("{location}.value"),
            format!("the value {value} has zero density under its prior"),
            "a value the prior gives a positive density, or another prior",
        );
    }
}
