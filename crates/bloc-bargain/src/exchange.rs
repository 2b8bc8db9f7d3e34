//! The Stokman–van Oosten exchange model in its equal-gain variant, as the PyPI package
//! `decide-exchange-model` 2022.1.28 implements it (`EqualGainModel(randomized_value=None)`).
//! Line numbers below are `decide/<file>:<line>` of that package; bugs of the code that change
//! results are copied and marked **quirk**.
//!
//! Positions are scaled to 0..100: `(v − lower) · 100/(upper − lower)` (`model/base.py:34-50`).
//! Each round (`model/utils.py:15-76`):
//! 1. **NBS.** Per issue D = Σ c s and NBS = Σ c s x / D (0 when D = 0), actors in file order
//!    (`base.py:887-901`, `calculations.py:16-71`).
//! 2. **Candidates.** For each issue pair (p, q), p before q in file order
//!    (`base.py:911-915`), every actor with both stakes is left (x ≤ NBS) or right of the NBS
//!    on each; A = right on both, D = left on both, B = left on p only, C = left on q only.
//!    A candidate is built for every (a ∈ A, d ∈ D), then every (b ∈ B, c ∈ C), in actor order
//!    (`base.py:917-968`). The actor with the relatively higher salience on p becomes `i`: it
//!    supplies q and demands p; `j` supplies p and demands q (`base.py:530-582`). Every side
//!    keeps its own copy of its supply position (`base.py:255-260`).
//! 3. **Equal gain** (`model/equalgain.py:360-425`): j moves all the way to i on p, shifting
//!    the NBS of p by dp = |x_ip − x_jp| s_jp c_jp / D_p; i moves on q so that
//!    dq = dp (s_ip + s_jp)/(s_iq + s_jq); if that overshoots j's position on q, i moves all the
//!    way instead and dp follows from dq (`calculations.py:136-193`). The gain is
//!    |dq s_iq − dp s_ip|. A candidate is valid when both moves pass `is_move_valid`
//!    (`base.py:282-304`: 1e-10 < |move| ≤ 100, the new position in [0, 100], the **signed** sum
//!    of the side's move history ≤ 100, all moves of the history of one sign) and the gain is at
//!    least 1e-10. A valid candidate then runs `check_nbs` for i and then for j
//!    (`base.py:389-489`): when the move would push the NBS of the supply issue past the
//!    opposite actor's position t, the move is cut to the one that brings the NBS exactly to
//!    t, and the other side's move follows by equal gain. Note: the code reads as if it took
//!    the absolute value of a *position* here (`base.py:417-426` with
//!    `calculations.py:101-131`), and our notes said so, but the actor-exclusion test
//!    `key is not actor` compares identities against deep-copied keys and never matches, so
//!    the function returns the signed *move*; the round-0 reference (e.g. sample_data
//!    candidate 19, whose NBS lands exactly on t = 50) confirms this.
//! 4. **Realisation** (`utils.py:26-39`, `equalgain.py:635-666`): the list is sorted by gain,
//!    highest first (stable), and the first is popped. If the next one ties with it, one uniform
//!    draw decides: ≥ 0.5 takes the runner-up (the popped one goes to the end of the list),
//!    otherwise the first is kept and **quirk**: the runner-up is appended to the end as well,
//!    so it is in the list twice and is recalculated twice per realisation; copied (the list
//!    holds indices into one arena, so both entries are the same exchange). An invalid popped
//!    exchange is dropped. After a valid one is realised, every other still-valid exchange is
//!    recalculated (`base.py:970-993`, `base.py:588-705`): a side with the same actor and
//!    supply issue takes over the realised voting position, and a realised move on an issue
//!    that the exchange's actor demands is recorded in the exchange's own `updates`
//!    (`update_updates`, `base.py:635-659`), with the move history bookkeeping of the code.
//! 5. **End of round** (`utils.py:41-76`): the voting positions y of the realised exchanges are
//!    applied in order (later wins); the NBS of these is the round's result (`nbs_end`); then
//!    each realised side's next start position is
//!    (1 − s)·0.4·y + 0.1·y + (1 − (1 − s)·0.4 − 0.1)·x₀ with x₀ the round-start position
//!    (`base.py:306-319`, `calculations.py:324-330`, constants `base.py:752-753`).
//!
//! The only random draw is the tie-break, taken from the [`SimRng`] passed in.
//!
//! **f64 instead of Decimal.** decide computes in Python `Decimal` with 28 significant digits.
//! This port uses f64, so:
//! * ties are detected with |g₁ − g₂| ≤ `tie_tolerance` · max(1, |g₁|, |g₂|) (default 1e-12)
//!   instead of decide's |g₁ − g₂| < 1e-20, and the hard error of `is_gain_equal`
//!   (`calculations.py:222-236`) and the 1e-4 check of `check_nbs` are dropped;
//! * salience ratios that are equal in decimal (0.75/0.45 and 0.5/0.3, cop21) differ by an
//!   ulp in f64; when roles are assigned (`base.py:566`) ratios within 1e-12 relative count as
//!   equal, which reproduces decide's roles on all 2094 cop21 candidates;
//! * the [0, 100] bound and the "sum of moves ≤ 100" test of `is_move_valid` allow
//!   [`BOUND_TOLERANCE`] (1e-9), because moves that land exactly on 0 or 100 in decimal can
//!   overshoot by one ulp in f64;
//! * exactly tied gains come out of the sort in an order set by rounding noise, in decide as
//!   here (decide's own results change with the decimal precision), so individual seeds cannot
//!   agree past the first tie; and our RNG is ChaCha8, not CPython's MT19937. Agreement is
//!   therefore checked on the deterministic round-0 candidate list (to 1e-9), on the round-1
//!   realisations up to the first tie, and on the distribution over seeds of the final NBS:
//!   the mean over 20 seeds must lie within 2 reference standard deviations + 1 point of
//!   decide's mean over its 20 seeds (`tests/exchange_peers.rs`). Measured: every issue of
//!   the three data sets is within 1.8 points of decide's mean (at most 0.73 reference sd);
//!   tie counts and realisations per round fall in decide's ranges.

use super::decide_format::MultiIssueInput;
use bloc_base::seeding::SimRng;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// Slack on the [0, 100] bounds and on the sum of moves in the move-validity test.
pub const BOUND_TOLERANCE: f64 = 1e-9;

/// Smallest move and smallest gain that count (`base.py:289`, `equalgain.py:415`).
const MIN_MOVE: f64 = 1e-10;

/// Relative tolerance under which two salience ratios count as equal when roles are assigned.
const RATIO_TOLERANCE: f64 = 1e-12;

/// Options of the exchange model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExchangeOptions {
    /// Number of rounds (decide's `--iterations`, default 10; there is no convergence test).
    pub rounds: u32,
    /// Weight of (1 − salience) on the voting position in the next start position
    /// (`SALIENCE_WEIGHT`, 0.4).
    pub salience_weight: f64,
    /// Fixed weight of the voting position in the next start position (`FIXED_WEIGHT`, 0.1).
    pub fixed_weight: f64,
    /// Relative tolerance under which two gains tie (scaled by max(1, |gain|)); 1e-12.
    pub tie_tolerance: f64,
    /// Break ties at random (decide's `ALLOW_RANDOM`, true). When false, ties go to the first
    /// exchange in sorted order and no random number is drawn (ties are still recorded).
    pub allow_random: bool,
}

impl Default for ExchangeOptions {
    fn default() -> Self {
        ExchangeOptions {
            rounds: 10,
            salience_weight: 0.4,
            fixed_weight: 0.1,
            tie_tolerance: 1e-12,
            allow_random: true,
        }
    }
}

/// One actor's side of an exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeSide {
    /// Actor index into the input's actors.
    pub actor: usize,
    /// Issue on which this actor moves (index into the input's issues).
    pub supply_issue: usize,
    /// Issue on which the other actor moves towards this one.
    pub demand_issue: usize,
    /// Position on the supply issue before this exchange (0..100).
    pub x: f64,
    /// Voting position on the supply issue after it (0..100).
    pub y: f64,
    /// The move y − x.
    pub shift: f64,
    /// Whether `check_nbs` recomputed the move.
    pub adjusted_by_nbs: bool,
}

/// An exchange: `i` supplies issue q and demands p, `j` supplies p and demands q.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RealizedExchange {
    /// The actor with the relatively higher salience on p.
    pub i: ExchangeSide,
    /// The other actor.
    pub j: ExchangeSide,
    /// The (equal) utility gain of each actor.
    pub gain: f64,
}

/// A candidate exchange as built at the start of a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateExchange {
    /// The exchange as calculated.
    pub exchange: RealizedExchange,
    /// Whether it may be realised.
    pub valid: bool,
}

/// One round of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeRound {
    /// Round number, from 1.
    pub round: u32,
    /// NBS per issue on the round's start positions (0..100).
    pub nbs_start: Vec<f64>,
    /// Realised exchanges, in order.
    pub exchanges: Vec<RealizedExchange>,
    /// NBS per issue on the voting positions after the exchanges (0..100).
    pub nbs_end: Vec<f64>,
    /// For each tie met, the number of exchanges realised before it.
    pub ties_at: Vec<usize>,
}

/// A run of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeRun {
    /// Issue identifiers, in input order.
    pub issues: Vec<String>,
    /// The rounds.
    pub rounds: Vec<ExchangeRound>,
    /// `final_positions[a][k]`: actor a's start position on issue k for the next round
    /// (0..100), if it has a stake.
    pub final_positions: Vec<Vec<Option<f64>>>,
}

/// Salience, power and current position of every actor on every issue (0..100 scale).
struct Book {
    /// `stakes[k]`: (actor, salience, power) of the actors with a stake in issue k, in order.
    stakes: Vec<Vec<(usize, f64, f64)>>,
    /// `pos[k][a]`: actor a's position on issue k.
    pos: Vec<Vec<f64>>,
    /// `denom[k]`: Σ c s on issue k.
    denom: Vec<f64>,
    /// `left[k][a]`: position ≤ NBS.
    left: Vec<Vec<bool>>,
}

impl Book {
    fn new(input: &MultiIssueInput) -> Book {
        let n_issues = input.issues.len();
        let mut stakes = vec![Vec::new(); n_issues];
        let mut pos = vec![vec![0.0; input.actors.len()]; n_issues];
        for (k, issue) in input.issues.iter().enumerate() {
            let step = if issue.upper == issue.lower {
                0.0
            } else {
                100.0 / (issue.upper - issue.lower)
            };
            for (a, row) in input.stakes.iter().enumerate() {
                if let Some(s) = row[k] {
                    stakes[k].push((a, s.salience, s.power));
                    pos[k][a] = (s.position - issue.lower) * step;
                }
            }
        }
        let denom = stakes
            .iter()
            .map(|st| st.iter().map(|&(_, s, c)| s * c).sum())
            .collect();
        let left = vec![vec![false; input.actors.len()]; n_issues];
        Book {
            stakes,
            pos,
            denom,
            left,
        }
    }

    fn salience(&self, actor: usize, issue: usize) -> Option<(f64, f64)> {
        self.stakes[issue]
            .iter()
            .find(|s| s.0 == actor)
            .map(|&(_, s, c)| (s, c))
    }

    /// NBS of every issue on the current positions (`base.py:887-901`).
    fn nbs(&self) -> Vec<f64> {
        (0..self.stakes.len())
            .map(|k| self.adjusted_nbs(k, &[], usize::MAX, 0.0))
            .collect()
    }

    /// NBS of issue k with `updates` substituted and `actor` at `at` (`calculations.py:74-98`).
    fn adjusted_nbs(&self, k: usize, updates: &[Update], actor: usize, at: f64) -> f64 {
        if self.denom[k] == 0.0 {
            return 0.0;
        }
        let num: f64 = self.stakes[k]
            .iter()
            .map(|&(a, s, c)| self.position(k, a, updates, actor, at) * s * c)
            .sum();
        num / self.denom[k]
    }

    /// The move of `actor` from `from` that brings the NBS of issue k to `nbs`, the others at
    /// their positions with `updates` (`adjusted_nbs_by_position`, `calculations.py:101-131`).
    /// The code means to leave `actor` out of the sum (`if key is not actor`), but the keys are
    /// deep copies, so the identity test never matches: its own term (at `from`, or at its
    /// entry in `updates`) stays in, and the result is the signed distance, not a position.
    fn move_for_nbs(&self, k: usize, updates: &[Update], actor: usize, from: f64, nbs: f64) -> f64 {
        let mut num = 0.0;
        let mut own = 1.0;
        for &(a, s, c) in &self.stakes[k] {
            let x = if a == actor {
                own = s * c;
                updates
                    .iter()
                    .find(|u| u.issue == k && u.actor == a)
                    .map_or(from, |u| u.position)
            } else {
                self.position(k, a, updates, usize::MAX, 0.0)
            };
            num += x * s * c;
        }
        (nbs * self.denom[k] - num) / own
    }

    fn position(&self, k: usize, a: usize, updates: &[Update], actor: usize, at: f64) -> f64 {
        if a == actor {
            return at;
        }
        updates
            .iter()
            .find(|u| u.issue == k && u.actor == a)
            .map_or(self.pos[k][a], |u| u.position)
    }
}

/// A position recorded in an exchange's `updates` (`base.py:555`).
#[derive(Debug, Clone, Copy)]
struct Update {
    issue: usize,
    actor: usize,
    position: f64,
}

/// An exchange-actor (`base.py:236-304`), with copies of its supply and demand stakes.
#[derive(Debug, Clone)]
struct Side {
    actor: usize,
    supply: usize,
    demand: usize,
    /// Copied supply position (updated by earlier realisations in the round).
    x: f64,
    s_sup: f64,
    c_sup: f64,
    /// Copied demand position (never updated within the round).
    x_dem: f64,
    s_dem: f64,
    start: f64,
    y: f64,
    shift: f64,
    moves: Vec<f64>,
    adjusted: bool,
}

impl Side {
    fn new(book: &Book, actor: usize, supply: usize, demand: usize) -> Side {
        let (s_sup, c_sup) = book.salience(actor, supply).unwrap_or((0.0, 0.0));
        let (s_dem, _) = book.salience(actor, demand).unwrap_or((0.0, 0.0));
        let x = book.pos[supply][actor];
        Side {
            actor,
            supply,
            demand,
            x,
            s_sup,
            c_sup,
            x_dem: book.pos[demand][actor],
            s_dem,
            start: x,
            y: x,
            shift: 0.0,
            moves: Vec::new(),
            adjusted: false,
        }
    }

    /// `is_move_valid` (`base.py:282-304`), with [`BOUND_TOLERANCE`] on the bounds.
    fn move_valid(&self) -> bool {
        let m = self.shift;
        if m.abs() > 100.0 || m.abs() <= MIN_MOVE {
            return false;
        }
        let to = self.x + m;
        if !(-BOUND_TOLERANCE..=100.0 + BOUND_TOLERANCE).contains(&to) {
            return false;
        }
        if self.moves.iter().sum::<f64>() > 100.0 + BOUND_TOLERANCE {
            return false;
        }
        let min = self.moves.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.moves.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (min < 0.0 && max < 0.0) || (min > 0.0 && max > 0.0)
    }

    /// The move `ratio · D / (c s)` that shifts the supply issue's NBS by `ratio`
    /// (`calculations.py:136-150`).
    fn reverse_move(&self, book: &Book, ratio: f64) -> f64 {
        ratio * book.denom[self.supply] / (self.c_sup * self.s_sup)
    }

    /// The NBS shift on the supply issue of a move of `delta` (`calculations.py:174-207`).
    fn exchange_ratio(&self, book: &Book, delta: f64) -> f64 {
        delta * self.s_sup * self.c_sup / book.denom[self.supply]
    }

    fn snapshot(&self) -> ExchangeSide {
        ExchangeSide {
            actor: self.actor,
            supply_issue: self.supply,
            demand_issue: self.demand,
            x: self.x,
            y: self.y,
            shift: self.shift,
            adjusted_by_nbs: self.adjusted,
        }
    }
}

/// The other side's NBS shift that gives equal gain to a shift `ratio` by `a`
/// (`by_exchange_ratio`, `calculations.py:153-171`).
fn by_exchange_ratio(a: &Side, b: &Side, ratio: f64) -> f64 {
    ((a.s_sup + b.s_dem) / (a.s_dem + b.s_sup)) * ratio
}

/// `expected_utility` (`calculations.py:216-227`).
fn expected_utility(a: &Side, demand_ratio: f64, supply_ratio: f64) -> f64 {
    (demand_ratio * a.s_sup - supply_ratio * a.s_dem).abs()
}

/// An exchange under calculation (`base.py:521-705`, `equalgain.py:350-440`).
#[derive(Debug, Clone)]
struct Exchange {
    i: Side,
    j: Side,
    gain: f64,
    dp: f64,
    dq: f64,
    valid: bool,
    updates: Vec<Update>,
}

/// What a recalculation needs of a realised side.
#[derive(Debug, Clone, Copy)]
struct Done {
    actor: usize,
    supply: usize,
    demand: usize,
    y: f64,
    last_move: f64,
    start: f64,
}

impl Done {
    fn of(s: &Side) -> Done {
        Done {
            actor: s.actor,
            supply: s.supply,
            demand: s.demand,
            y: s.y,
            last_move: s.moves.last().copied().unwrap_or(0.0),
            start: s.start,
        }
    }
}

impl Exchange {
    /// Builds the exchange between i0 and j0 on (p, q) and calculates it (`base.py:530-582`).
    fn new(book: &Book, i0: usize, j0: usize, p: usize, q: usize) -> Exchange {
        let s = |a, k| book.salience(a, k).map_or(0.0, |v| v.0);
        let (r0, r1) = (s(i0, p) / s(i0, q), s(j0, p) / s(j0, q));
        // Equal ratios (0.75/0.45 against 0.5/0.3) must compare equal, as in decimal.
        let (i, j) = if r0 < r1 && !ties(r0, r1, RATIO_TOLERANCE) {
            (j0, i0)
        } else {
            (i0, j0)
        };
        let mut e = Exchange {
            i: Side::new(book, i, q, p),
            j: Side::new(book, j, p, q),
            gain: 0.0,
            dp: 0.0,
            dq: 0.0,
            valid: true,
            updates: Vec::new(),
        };
        e.calculate(book);
        e
    }

    /// `EqualGainExchange.calculate` (`equalgain.py:360-425`).
    fn calculate(&mut self, book: &Book) {
        let (i, j) = (&mut self.i, &mut self.j);
        self.dp = j.exchange_ratio(book, (i.x_dem - j.x).abs());
        self.dq = by_exchange_ratio(j, i, self.dp);
        i.shift = i.reverse_move(book, self.dq);
        j.shift = (i.x_dem - j.x).abs();
        if i.shift.abs() > (j.x_dem - i.x).abs() {
            self.dq = i.exchange_ratio(book, (j.x_dem - i.x).abs());
            self.dp = by_exchange_ratio(i, j, self.dq);
            i.shift = (j.x_dem - i.x).abs();
            j.shift = j.reverse_move(book, self.dp);
        }
        if i.x > j.x_dem {
            i.shift = -i.shift;
        }
        if j.x > i.x_dem {
            j.shift = -j.shift;
        }
        i.moves.push(i.shift);
        j.moves.push(j.shift);
        i.y = i.x + i.shift;
        j.y = j.x + j.shift;
        self.gain = expected_utility(i, self.dq, self.dp);
        self.valid = i.move_valid() && j.move_valid();
        if self.gain < MIN_MOVE {
            self.valid = false;
        }
        if !self.valid {
            return;
        }
        self.check_nbs(book, true);
        self.check_nbs(book, false);
        self.valid = self.i.move_valid() && self.j.move_valid();
    }

    /// `check_nbs` of side i (`first`) or j (`base.py:389-489`).
    fn check_nbs(&mut self, book: &Book, first: bool) {
        let (a, b) = if first {
            (&mut self.i, &mut self.j)
        } else {
            (&mut self.j, &mut self.i)
        };
        let k = a.supply;
        let nbs0 = book.adjusted_nbs(k, &self.updates, a.actor, a.x);
        let nbs1 = book.adjusted_nbs(k, &self.updates, a.actor, a.y);
        let t = b.x_dem;
        if (t - nbs0 >= 0.0 && t - nbs1 >= 0.0) || (t - nbs0 <= 0.0 && t - nbs1 <= 0.0) {
            return;
        }
        let delta = book.move_for_nbs(k, &self.updates, a.actor, a.x, t).abs();
        self.dp = a.exchange_ratio(book, delta);
        self.dq = by_exchange_ratio(a, b, self.dp);
        b.shift = b.reverse_move(book, self.dq).abs();
        a.shift = delta;
        if b.x > a.x_dem {
            b.shift = -b.shift;
        }
        if a.x > t {
            a.shift = -a.shift;
        }
        b.moves.pop();
        a.moves.pop();
        b.moves.push(b.shift);
        a.moves.push(a.shift);
        b.y = b.x + b.shift;
        a.y = a.x + a.shift;
        self.gain = expected_utility(b, self.dq, self.dp);
        self.valid = b.move_valid() && a.move_valid();
        a.adjusted = true;
    }

    /// `recalculate` after `x` was realised (`base.py:592-705`).
    fn recalculate(&mut self, book: &Book, x: [Done; 2]) {
        let mut re_calc = false;
        for side in [&mut self.i, &mut self.j] {
            if let Some(d) = x
                .iter()
                .find(|d| d.actor == side.actor && d.supply == side.supply)
            {
                side.x = d.y;
                side.moves.push(d.last_move);
                re_calc = true;
            }
        }
        if re_calc {
            self.invalidate_move();
        }
        // x.j's demand issue is x.i's supply issue, and the reverse.
        for (demander, mover) in [(x[1], x[0]), (x[0], x[1])] {
            let hit = [&self.j, &self.i]
                .iter()
                .any(|s| s.actor == demander.actor && s.demand == demander.demand);
            if !hit {
                continue;
            }
            self.update(demander.demand, mover);
            if !re_calc {
                self.invalidate_move();
                re_calc = true;
            }
        }
        if re_calc {
            self.calculate(book);
        }
    }

    /// Records `mover`'s voting position on `issue` (`base.py:674-684`, `update_updates`
    /// `base.py:635-659`).
    fn update(&mut self, issue: usize, mover: Done) {
        match self
            .updates
            .iter_mut()
            .find(|u| u.issue == issue && u.actor == mover.actor)
        {
            Some(u) => {
                let old = u.position;
                u.position = if mover.start <= old {
                    if old < mover.y { old } else { mover.y }
                } else if old > mover.y {
                    old
                } else {
                    mover.y
                };
            }
            None => self.updates.push(Update {
                issue,
                actor: mover.actor,
                position: mover.y,
            }),
        }
    }

    /// `invalidate_move` (`base.py:588-590`).
    fn invalidate_move(&mut self) {
        self.i.moves.pop();
        self.j.moves.pop();
    }

    fn snapshot(&self) -> RealizedExchange {
        RealizedExchange {
            i: self.i.snapshot(),
            j: self.j.snapshot(),
            gain: self.gain,
        }
    }
}

/// Sets left/right of the NBS and builds every candidate exchange (`base.py:903-968`).
fn candidates(book: &mut Book, nbs: &[f64]) -> Vec<Exchange> {
    for (k, st) in book.stakes.iter().enumerate() {
        for &(a, _, _) in st {
            book.left[k][a] = book.pos[k][a] <= nbs[k];
        }
    }
    let n_actors = book.left.first().map_or(0, Vec::len);
    let n_issues = book.stakes.len();
    let mut out = Vec::new();
    for p in 0..n_issues {
        for q in p + 1..n_issues {
            let mut groups: [Vec<usize>; 4] = Default::default();
            for a in 0..n_actors {
                if book.salience(a, p).is_some() && book.salience(a, q).is_some() {
                    let g = usize::from(book.left[p][a]) | (usize::from(book.left[q][a]) << 1);
                    groups[g].push(a);
                }
            }
            for (first, second) in [(0, 3), (1, 2)] {
                for &i in &groups[first] {
                    for &j in &groups[second] {
                        out.push(Exchange::new(book, i, j, p, q));
                    }
                }
            }
        }
    }
    out
}

/// The candidate exchanges of the first round, before any realisation, in decide's order.
pub fn round0_candidates(input: &MultiIssueInput) -> Vec<CandidateExchange> {
    let mut book = Book::new(input);
    let nbs = book.nbs();
    candidates(&mut book, &nbs)
        .iter()
        .map(|e| CandidateExchange {
            exchange: e.snapshot(),
            valid: e.valid,
        })
        .collect()
}

/// Whether gains `a` and `b` tie.
fn ties(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * 1f64.max(a.abs()).max(b.abs())
}

/// Sorts by gain and pops the exchange to realise, breaking a tie with the runner-up at
/// random (`equalgain.py:635-666`). Returns the arena index and whether there was a tie.
fn highest_gain(
    list: &mut Vec<usize>,
    arena: &[Exchange],
    options: &ExchangeOptions,
    rng: &mut SimRng,
) -> (usize, bool) {
    list.sort_by(|&a, &b| arena[b].gain.total_cmp(&arena[a].gain));
    let mut realize = list.remove(0);
    let Some(&next) = list.first() else {
        return (realize, false);
    };
    if !ties(arena[realize].gain, arena[next].gain, options.tie_tolerance) {
        return (realize, false);
    }
    if !options.allow_random {
        return (realize, true);
    }
    if rng.random::<f64>() >= 0.5 {
        list.push(realize);
        realize = list.remove(0);
    } else {
        // Quirk: the runner-up is now in the list twice.
        list.push(next);
    }
    (realize, true)
}

/// Runs one round on `book`; returns the round record.
fn run_round(
    book: &mut Book,
    round: u32,
    options: &ExchangeOptions,
    rng: &mut SimRng,
) -> ExchangeRound {
    let nbs_start = book.nbs();
    let mut arena = candidates(book, &nbs_start);
    let mut list: Vec<usize> = (0..arena.len()).collect();
    let mut realized = Vec::new();
    let mut exchanges = Vec::new();
    let mut ties_at = Vec::new();
    while !list.is_empty() {
        let (x, tie) = highest_gain(&mut list, &arena, options, rng);
        if tie {
            ties_at.push(realized.len());
        }
        if !arena[x].valid {
            continue;
        }
        let done = [Done::of(&arena[x].i), Done::of(&arena[x].j)];
        list.retain(|&e| {
            if !arena[e].valid {
                return false;
            }
            arena[e].recalculate(book, done);
            arena[e].valid
        });
        exchanges.push(arena[x].snapshot());
        realized.push(x);
    }
    for &x in &realized {
        for s in [&arena[x].i, &arena[x].j] {
            book.pos[s.supply][s.actor] = s.y;
        }
    }
    let nbs_end = book.nbs();
    let (sw, fw) = (options.salience_weight, options.fixed_weight);
    for &x in &realized {
        for s in [&arena[x].i, &arena[x].j] {
            let w = (1.0 - s.s_sup) * sw;
            book.pos[s.supply][s.actor] = w * s.y + fw * s.y + (1.0 - w - fw) * s.start;
        }
    }
    ExchangeRound {
        round,
        nbs_start,
        exchanges,
        nbs_end,
        ties_at,
    }
}

/// Runs the equal-gain exchange model for `options.rounds` rounds.
pub fn run_exchange(
    input: &MultiIssueInput,
    options: &ExchangeOptions,
    rng: &mut SimRng,
) -> ExchangeRun {
    let mut book = Book::new(input);
    let rounds = (1..=options.rounds)
        .map(|r| run_round(&mut book, r, options, rng))
        .collect();
    let final_positions = (0..input.actors.len())
        .map(|a| {
            (0..input.issues.len())
                .map(|k| book.salience(a, k).map(|_| book.pos[k][a]))
                .collect()
        })
        .collect();
    ExchangeRun {
        issues: input.issues.iter().map(|i| i.id.clone()).collect(),
        rounds,
        final_positions,
    }
}
