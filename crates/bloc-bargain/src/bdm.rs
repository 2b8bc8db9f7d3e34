//! Bueno de Mesquita's expected utility model of group decisions, as specified by Scholz,
//! Calbert and Smith, "Unravelling Bueno De Mesquita's group decision model", *Journal of
//! Theoretical Politics* 23(4), 2011, 510–531, and implemented in their code as ported by
//! jmckib/bdm-scholz-expected-utility-model (`bdm_scholz_model.py`; line numbers below refer
//! to it). Every choice where the peers differ is an option; docs/bargaining.md discusses them.
//!
//! Each round:
//! 1. **Risk exponents.** With every r = 1, each actor's danger level is the sum over the
//!    others of the expected utility, to them, of challenging it (L77-84); its risk acceptance
//!    is R_i = (2 D_i − D_max − D_min) / (D_max − D_min) (L119-123), and its risk exponent
//!    r_i = (1 − R_i/3) / (1 + R_i/3) (L125-127).
//! 2. **Offers.** For every pair, actor i computes (with its own r_i) EU_ij, the expected
//!    utility of challenging j, and EU_ji, of being challenged by j (L189-191):
//!    EU_ij = s_j (P U_s + (1 − P) U_f) + (1 − s_j) U_s − Q U_sq (L59-75), with
//!    U_s = 2 − 4 (0.5 − 0.5 d)^r, U_f = 2 − 4 (0.5 + 0.5 d)^r, U_sq = 2 − 4 · 0.5^r, d the
//!    distance of the positions over the initial range of positions (L43-57), and P the
//!    probability that i's position beats j's: the capability- and salience-weighted votes for
//!    x_i over x_j over the sum of all absolute votes over all pairs of positions (L266-291).
//!    Then: EU_ji > EU_ij > 0: i loses a confrontation and moves to x_j; EU_ji > 0 > EU_ij and
//!    EU_ji > |EU_ij|: i compromises, moving |EU_ij / EU_ji| of the way to x_j; EU_ji > 0 >
//!    EU_ij and EU_ji < |EU_ij|: i capitulates to x_j (L193-204).
//! 3. **Moves.** Each actor takes one offer, confrontations before compromises before
//!    capitulations (L155-161), and all move at once (L302-308).
//!
//! The forecast of a round is the weighted median of the positions (weights c s).

use super::median::{weighted_mean, weighted_median};
use super::table::Stakeholder;
use serde::{Deserialize, Serialize};

/// Options on which the specification's readings differ.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BdmOptions {
    /// Q, the probability that the status quo holds if i does not challenge (jmckib: 1.0).
    pub status_quo_probability: f64,
    /// Which compromise offer an actor takes.
    pub compromise_choice: CompromiseChoice,
    /// When an actor capitulates.
    pub capitulation: Capitulation,
}

impl Default for BdmOptions {
    fn default() -> Self {
        BdmOptions {
            status_quo_probability: 1.0,
            compromise_choice: CompromiseChoice::ScholzCode,
            capitulation: Capitulation::WhenLossExceedsGain,
        }
    }
}

/// Which compromise offer an actor takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompromiseChoice {
    /// The one whose EU-weighted mean of the two positions is smallest, as Scholz's code
    /// does (jmckib L150-159, "faithful to Scholz' original code").
    ScholzCode,
    /// The one that moves the actor least, as the text of Scholz et al. and of Bueno de
    /// Mesquita states (jmckib's comment at L143-149).
    LeastMove,
}

/// When an actor capitulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capitulation {
    /// EU_ji > 0 > EU_ij and EU_ji < |EU_ij|: the other side of the compromise condition.
    WhenLossExceedsGain,
    /// Never: jmckib's L200 tests `eu_ji < abs(eu_ji)`, which is never true; this reproduces
    /// that code.
    Never,
}

/// The kind of offer an actor accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    /// Lost a confrontation: moves to the other's position.
    Confrontation,
    /// Compromise: moves part of the way.
    Compromise,
    /// Capitulation: moves to the other's position.
    Capitulation,
}

/// An offer an actor accepted in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// The actor who moves.
    pub actor: usize,
    /// The actor whose offer it takes.
    pub from: usize,
    /// Kind of offer.
    pub kind: OfferKind,
    /// EU_ij, to the mover, of challenging the other.
    pub eu_challenge: f64,
    /// EU_ji, to the mover, of the other challenging it.
    pub eu_challenged: f64,
    /// The mover's new position.
    pub position: f64,
}

/// One round of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BdmRound {
    /// Round number (1-based).
    pub round: u32,
    /// Risk exponents r_i used in the round.
    pub risk_exponents: Vec<f64>,
    /// Offers taken.
    pub offers: Vec<Offer>,
    /// Positions after the round.
    pub positions: Vec<f64>,
    /// Weighted median of the positions after the round.
    pub median: f64,
    /// Weighted mean of the positions after the round.
    pub mean: f64,
}

/// A run of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BdmRun {
    /// Weighted median of the initial positions.
    pub initial_median: f64,
    /// Weighted mean of the initial positions.
    pub initial_mean: f64,
    /// The rounds.
    pub rounds: Vec<BdmRound>,
}

struct State<'a> {
    actors: &'a [Stakeholder],
    x: Vec<f64>,
    r: Vec<f64>,
    range: f64,
    q: f64,
    /// `dist[k * n + a]` = (|x_k − x_a| / range)^r_k, for the current positions and exponents.
    dist: Vec<f64>,
    /// Σ_k Σ_a Σ_b |votes of k for x_a over x_b| for the current positions and exponents.
    all_votes: f64,
}

impl State<'_> {
    /// Votes of actor k for actor a's position over actor b's (jmckib `compare`, L34-41).
    #[inline]
    fn compare(&self, k: usize, a: usize, b: usize) -> f64 {
        let n = self.x.len();
        let s = &self.actors[k];
        s.capability * s.salience * (self.dist[k * n + b] - self.dist[k * n + a])
    }

    /// Recomputes the distance table and the sum of all absolute votes after positions or
    /// exponents changed.
    fn refresh_votes(&mut self) {
        let n = self.x.len();
        self.dist = (0..n * n)
            .map(|i| {
                libm::pow(
                    (self.x[i / n] - self.x[i % n]).abs() / self.range,
                    self.r[i / n],
                )
            })
            .collect();
        let mut total = 0.0;
        for k in 0..n {
            for a in 0..n {
                for b in 0..n {
                    total += self.compare(k, a, b).abs();
                }
            }
        }
        self.all_votes = total;
    }

    /// Probability that actor i's position prevails over actor j's (L266-291).
    fn probability(&self, i: usize, j: usize) -> f64 {
        if self.x[i] == self.x[j] || self.all_votes == 0.0 {
            return 0.0;
        }
        let support: f64 = (0..self.x.len())
            .map(|k| self.compare(k, i, j).max(0.0))
            .sum();
        support / self.all_votes
    }

    /// Expected utility to actor i of i challenging j, from the viewpoint (risk exponent)
    /// of actor `me` (L59-75).
    fn eu_challenge(&self, me: usize, i: usize, j: usize) -> f64 {
        let r = self.r[me];
        let d = (self.x[i] - self.x[j]).abs() / self.range;
        let u_success = 2.0 - 4.0 * libm::pow(0.5 - 0.5 * d, r);
        let u_failure = 2.0 - 4.0 * libm::pow(0.5 + 0.5 * d, r);
        let u_status_quo = 2.0 - 4.0 * libm::pow(0.5, r);
        let p = self.probability(i, j);
        let sj = self.actors[j].salience;
        sj * (p * u_success + (1.0 - p) * u_failure) + (1.0 - sj) * u_success
            - self.q * u_status_quo
    }

    fn danger(&self, i: usize) -> f64 {
        (0..self.x.len())
            .filter(|&o| o != i)
            .map(|o| self.eu_challenge(i, o, i))
            .sum()
    }
}

/// Runs `rounds` rounds of the model on `actors`.
#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn run_bdm(actors: &[Stakeholder], rounds: u32, options: BdmOptions) -> BdmRun {
    let n = actors.len();
    let x: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    let range = if hi > lo { hi - lo } else { 1.0 };
    let w: Vec<f64> = actors.iter().map(|a| a.capability * a.salience).collect();
    let forecast = |x: &[f64]| {
        (
            weighted_median(x, &w).unwrap_or(f64::NAN),
            weighted_mean(x, &w).unwrap_or(f64::NAN),
        )
    };
    let (initial_median, initial_mean) = forecast(&x);
    let mut st = State {
        actors,
        x,
        r: vec![1.0; n],
        range,
        q: options.status_quo_probability,
        dist: Vec::new(),
        all_votes: 0.0,
    };
    let mut out = Vec::new();
    for round in 1..=rounds {
        // 1. Risk exponents, computed with every r = 1.
        st.r = vec![1.0; n];
        st.refresh_votes();
        let dangers: Vec<f64> = (0..n).map(|i| st.danger(i)).collect();
        let (dmin, dmax) = dangers
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
                (l.min(v), h.max(v))
            });
        let r: Vec<f64> = dangers
            .iter()
            .map(|&d| {
                let risk = if dmax > dmin {
                    (2.0 * d - dmax - dmin) / (dmax - dmin)
                } else {
                    0.0
                };
                (1.0 - risk / 3.0) / (1.0 + risk / 3.0)
            })
            .collect();
        st.r = r.clone();
        st.refresh_votes();
        // 2. Offers, all from the positions at the start of the round.
        let mut offers = Vec::new();
        for i in 0..n {
            let mut best: [Option<(f64, Offer)>; 3] = [None, None, None];
            for j in 0..n {
                if st.x[i] == st.x[j] {
                    continue;
                }
                let eu_ij = st.eu_challenge(i, i, j);
                let eu_ji = st.eu_challenge(i, j, i);
                let (kind, position) = if eu_ji > eu_ij && eu_ij > 0.0 {
                    (OfferKind::Confrontation, st.x[j])
                } else if eu_ji > 0.0 && 0.0 > eu_ij && eu_ji > eu_ij.abs() {
                    (
                        OfferKind::Compromise,
                        st.x[i] + (st.x[j] - st.x[i]) * (eu_ij / eu_ji).abs(),
                    )
                } else if eu_ji > 0.0
                    && 0.0 > eu_ij
                    && eu_ji < eu_ij.abs()
                    && options.capitulation == Capitulation::WhenLossExceedsGain
                {
                    (OfferKind::Capitulation, st.x[j])
                } else {
                    continue;
                };
                let key = match (kind, options.compromise_choice) {
                    (OfferKind::Compromise, CompromiseChoice::ScholzCode) => {
                        (eu_ij.abs() * st.x[i] + eu_ji.abs() * st.x[j])
                            / (eu_ij.abs() + eu_ji.abs())
                    }
                    _ => (st.x[i] - position).abs(),
                };
                let slot = &mut best[kind as usize];
                // Python's min keeps the first of equal keys.
                if slot.as_ref().is_none_or(|(k, _)| key < *k) {
                    *slot = Some((
                        key,
                        Offer {
                            actor: i,
                            from: j,
                            kind,
                            eu_challenge: eu_ij,
                            eu_challenged: eu_ji,
                            position,
                        },
                    ));
                }
            }
            if let Some((_, offer)) = best.into_iter().flatten().next() {
                offers.push(offer);
            }
        }
        // 3. Everyone moves at once.
        for o in &offers {
            st.x[o.actor] = o.position;
        }
        let (median, mean) = forecast(&st.x);
        out.push(BdmRound {
            round,
            risk_exponents: r,
            offers,
            positions: st.x.clone(),
            median,
            mean,
        });
    }
    BdmRun {
        initial_median,
        initial_mean,
        rounds: out,
    }
}
