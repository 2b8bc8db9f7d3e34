//! Morris's elementary effects (Morris 1991, Technometrics 33(2):161-174), with the mean of
//! the absolute effects μ* of Campolongo, Cariboni & Saltelli (2007).
//!
//! The k factors live on the unit cube [0, 1]^k, discretized into a grid of `p` levels
//! {0, 1/(p-1), ..., 1}; `p` is even and the step is Δ = p / (2(p-1)) (Morris §3), so that
//! every level from which a step of Δ stays in the cube is equally likely. A trajectory is
//! the paper's random orientation matrix
//!
//! B* = (J_{k+1,1} x* + (Δ/2) [(2B - J_{k+1,k}) D* + J_{k+1,k}]) P*,
//!
//! where B is the (k+1)×k strictly lower triangular matrix of ones, J a matrix of ones, x*
//! a random base point whose coordinates are drawn uniformly from the levels
//! {0, 1/(p-1), ..., 1 - Δ}, D* a diagonal matrix of independent random signs ±1 and P* a
//! random permutation matrix. Its k+1 rows are the points; consecutive rows differ in exactly
//! one factor, by ±Δ, and each factor changes exactly once. The elementary effect of factor i
//! between rows j and j+1 is
//!
//! d_i = [y(x^(j+1)) - y(x^(j))] / (x^(j+1)_i - x^(j)_i),
//!
//! which is Morris's [y(x + Δ e_i) - y(x)] / Δ whichever way the step goes. Over the r
//! trajectories each factor gets r effects per output, summarized by their mean μ, the mean
//! of their absolute values μ* (Campolongo et al. 2007) and their sample standard deviation σ
//! (divisor r - 1; Morris's S).
//!
//! Randomness: trajectory t of a design keyed by `seed` draws, in this order, x* (k draws
//! from the base levels, factor by factor), D* (k fair signs) and P* (a Fisher-Yates shuffle
//! of 0..k, from the last position down) from `seeding::branch_rng(seed, t, MORRIS_BRANCH)`.
//! A design therefore depends only on (k, p, r, seed), and its first r trajectories are the
//! same whatever larger r is asked for. Model evaluations may run on several threads; each
//! result goes to the slot of its point, so results never depend on the thread count.

use bloc_base::seeding::{SimRng, branch_rng, branches};
use rand::RngExt;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// The branch of the seeding policy Morris designs draw from ([`branches::MORRIS`]).
pub const MORRIS_BRANCH: u64 = branches::MORRIS;

/// The largest number of factors, levels or trajectories a plan may ask for.
pub const MAX_SIZE: usize = 1_000_000;

/// Why a Morris design or analysis could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MorrisError {
    /// No factors.
    #[error("a Morris design needs at least one factor")]
    NoFactors,
    /// The number of levels is not an even number of at least 2.
    #[error(
        "{0} levels: Morris's design needs an even number of levels p >= 2 (so that the step p/(2(p-1)) is a whole number of grid steps)"
    )]
    Levels(u32),
    /// Fewer than two trajectories.
    #[error(
        "{0} trajectories: at least 2 are needed (σ is the sample standard deviation of the effects)"
    )]
    Trajectories(usize),
    /// A size beyond [`MAX_SIZE`].
    #[error("{what} = {value} is beyond the limit of {MAX_SIZE}")]
    TooLarge {
        /// Which size.
        what: &'static str,
        /// Its value.
        value: usize,
    },
    /// The outputs do not match the points.
    #[error("{0}")]
    Shape(String),
    /// Two consecutive points of a trajectory do not differ in exactly one factor.
    #[error(
        "trajectory {trajectory}, step {step}: consecutive points must differ in exactly one factor"
    )]
    NotOneAtATime {
        /// Trajectory index.
        trajectory: usize,
        /// Step (0: between the first and second points).
        step: usize,
    },
    /// An output is not a finite number.
    #[error("point {point}, output {output}: the model returned {value}, not a finite number")]
    NotFinite {
        /// Index of the point (over all trajectories).
        point: usize,
        /// Index of the output.
        output: usize,
        /// The value.
        value: f64,
    },
    /// A factor has fewer than two effects.
    #[error("factor {factor} has {effects} elementary effect(s): σ needs at least 2")]
    FewEffects {
        /// Factor index.
        factor: usize,
        /// Number of effects.
        effects: usize,
    },
}

/// What to sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MorrisPlan {
    /// Number of factors k.
    pub factors: usize,
    /// Number of grid levels p (even, at least 2; Morris's and Campolongo's usual 4).
    pub levels: u32,
    /// Number of trajectories r (at least 2).
    pub trajectories: usize,
    /// Seed of the design.
    pub seed: u64,
}

impl MorrisPlan {
    /// Checks the sizes.
    pub fn validate(&self) -> Result<(), MorrisError> {
        if self.factors == 0 {
            return Err(MorrisError::NoFactors);
        }
        if self.levels < 2 || !self.levels.is_multiple_of(2) {
            return Err(MorrisError::Levels(self.levels));
        }
        if self.trajectories < 2 {
            return Err(MorrisError::Trajectories(self.trajectories));
        }
        for (what, value) in [
            ("factors", self.factors),
            ("levels", self.levels as usize),
            ("trajectories", self.trajectories),
        ] {
            if value > MAX_SIZE {
                return Err(MorrisError::TooLarge { what, value });
            }
        }
        Ok(())
    }

    /// Morris's step Δ = p / (2(p-1)).
    pub fn delta(&self) -> f64 {
        delta(self.levels)
    }

    /// Number of model evaluations: r (k + 1).
    pub fn evaluations(&self) -> usize {
        self.trajectories * (self.factors + 1)
    }
}

/// Morris's step Δ = p / (2(p-1)) for `levels` = p.
pub fn delta(levels: u32) -> f64 {
    let p = f64::from(levels);
    p / (2.0 * (p - 1.0))
}

/// One trajectory: k+1 points of [0, 1]^k, each differing from the one before in one factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trajectory {
    /// The points, in order.
    pub points: Vec<Vec<f64>>,
}

/// A sampled design: r trajectories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Design {
    /// What was sampled.
    pub plan: MorrisPlan,
    /// The step Δ.
    pub delta: f64,
    /// The trajectories.
    pub trajectories: Vec<Trajectory>,
}

impl Design {
    /// Every point, trajectory by trajectory: the order in which outputs are expected.
    pub fn points(&self) -> Vec<&[f64]> {
        self.trajectories
            .iter()
            .flat_map(|t| t.points.iter().map(Vec::as_slice))
            .collect()
    }
}

/// The random parts of one orientation matrix, on the integer grid 0..p-1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orientation {
    /// x*: base level of each factor, in 0..=p/2-1.
    pub base: Vec<u32>,
    /// D*: the sign of each factor's step.
    pub signs: Vec<i8>,
    /// P*: column c of B* is column `permutation[c]` of the unpermuted matrix
    /// (`P*[permutation[c]][c] = 1`).
    pub permutation: Vec<usize>,
}

impl Orientation {
    /// Draws x*, D* and P* for `factors` factors and `levels` levels (see the module
    /// documentation for the order of the draws).
    pub fn draw(factors: usize, levels: u32, rng: &mut SimRng) -> Self {
        let base_levels = levels / 2; // levels 0 ..= p/2 - 1 leave room for a step of p/2
        let base = (0..factors)
            .map(|_| rng.random_range(0..base_levels))
            .collect();
        let signs = (0..factors)
            .map(|_| if rng.random_bool(0.5) { 1 } else { -1 })
            .collect();
        let mut permutation: Vec<usize> = (0..factors).collect();
        for i in (1..factors).rev() {
            let j = rng.random_range(0..=i);
            permutation.swap(i, j);
        }
        Orientation {
            base,
            signs,
            permutation,
        }
    }

    /// B* on the integer grid: row j, column c, as a level in 0..p-1. The matrix formula of
    /// the paper with Δ = (p/2) grid steps: before the permutation, column i is
    /// `x*_i + Δ·[j > i]` when `D*_ii = +1` and `x*_i + Δ·[j <= i]` when `D*_ii = -1`.
    pub fn grid_rows(&self, levels: u32) -> Vec<Vec<u32>> {
        let k = self.base.len();
        let step = levels / 2;
        (0..=k)
            .map(|j| {
                // Row j of J x* + (Δ/2)[(2B - J) D* + J]: (2B - J)[j][i] = +1 if j > i else -1.
                let unpermuted: Vec<u32> = (0..k)
                    .map(|i| {
                        let b = if j > i { 1i32 } else { -1 };
                        // The entry of (2B - J) D* + J: 0 or 2, times Δ/2.
                        let entry = b * i32::from(self.signs[i]) + 1;
                        // x*_i enters through J x*, before the permutation, as in the paper.
                        self.base[i] + step * (entry as u32) / 2
                    })
                    .collect();
                (0..k).map(|c| unpermuted[self.permutation[c]]).collect()
            })
            .collect()
    }
}

/// Samples a design of `plan.trajectories` trajectories (Morris 1991, §3).
pub fn sample(plan: &MorrisPlan) -> Result<Design, MorrisError> {
    plan.validate()?;
    let scale = f64::from(plan.levels - 1);
    let trajectories = (0..plan.trajectories)
        .map(|t| {
            let mut rng = branch_rng(plan.seed, t as u64, MORRIS_BRANCH);
            let o = Orientation::draw(plan.factors, plan.levels, &mut rng);
            Trajectory {
                points: o
                    .grid_rows(plan.levels)
                    .into_iter()
                    .map(|row| row.into_iter().map(|l| f64::from(l) / scale).collect())
                    .collect(),
            }
        })
        .collect();
    Ok(Design {
        plan: *plan,
        delta: plan.delta(),
        trajectories,
    })
}

/// Why evaluating the points failed.
#[derive(Debug)]
pub enum EvaluationError<E> {
    /// The model failed at this point (the first failing point in point order).
    Model {
        /// Index of the point.
        point: usize,
        /// The model's error.
        error: E,
    },
    /// A worker thread could not be started.
    Thread(String),
}

/// Evaluates `model` at every point, on `threads` worker threads (0: one per core), and
/// returns the outputs in point order. The points are handed out in order from a shared
/// counter and each result is stored in its point's slot, so the result does not depend on
/// the number of threads. The workers are plain threads, not a rayon pool, so a model may
/// itself run a rayon ensemble without a waiting worker picking up another point.
/// `progress` is told, on the calling thread, how many points are done. If the model fails,
/// no new point is started and the error of the first failing point in point order is
/// returned (every point before it has been evaluated by then).
pub fn evaluate<E, F>(
    points: &[&[f64]],
    threads: usize,
    model: F,
    mut progress: impl FnMut(usize),
) -> Result<Vec<Vec<f64>>, EvaluationError<E>>
where
    E: Send,
    F: Fn(usize, &[f64]) -> Result<Vec<f64>, E> + Sync,
{
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    } else {
        threads
    }
    .min(points.len().max(1));
    let mut slots: Vec<Option<Vec<f64>>> = vec![None; points.len()];
    let mut first_error: Option<(usize, E)> = None;
    if threads <= 1 {
        for (i, x) in points.iter().enumerate() {
            match model(i, x) {
                Ok(y) => slots[i] = Some(y),
                Err(error) => return Err(EvaluationError::Model { point: i, error }),
            }
            progress(i + 1);
        }
    } else {
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let (tx, rx) = mpsc::channel::<(usize, Result<Vec<f64>, E>)>();
        let spawned = std::thread::scope(|scope| {
            let mut spawned = Ok(());
            for w in 0..threads {
                let tx = tx.clone();
                let (next, stop, model) = (&next, &stop, &model);
                let worker = std::thread::Builder::new()
                    .name(format!("morris-{w}"))
                    .spawn_scoped(scope, move || {
                        while !stop.load(Ordering::Relaxed) {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= points.len() {
                                break;
                            }
                            let result = model(i, points[i]);
                            if result.is_err() {
                                stop.store(true, Ordering::Relaxed);
                            }
                            if tx.send((i, result)).is_err() {
                                break;
                            }
                        }
                    });
                if let Err(e) = worker {
                    stop.store(true, Ordering::Relaxed);
                    spawned = Err(e.to_string());
                    break;
                }
            }
            drop(tx);
            let mut done = 0;
            for (i, result) in rx {
                match result {
                    Ok(y) => {
                        slots[i] = Some(y);
                        done += 1;
                        progress(done);
                    }
                    Err(error) => {
                        if first_error.as_ref().is_none_or(|(j, _)| i < *j) {
                            first_error = Some((i, error));
                        }
                    }
                }
            }
            spawned
        });
        if let Some((point, error)) = first_error {
            return Err(EvaluationError::Model { point, error });
        }
        spawned.map_err(EvaluationError::Thread)?;
    }
    let mut out = Vec::with_capacity(points.len());
    for (i, slot) in slots.into_iter().enumerate() {
        match slot {
            Some(y) => out.push(y),
            None => {
                return Err(EvaluationError::Thread(format!(
                    "point {i} was not evaluated (a worker stopped early)"
                )));
            }
        }
    }
    Ok(out)
}

/// Morris's statistics of one factor for one output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FactorStats {
    /// μ: mean of the elementary effects.
    pub mu: f64,
    /// μ*: mean of their absolute values (Campolongo et al. 2007).
    pub mu_star: f64,
    /// σ: their sample standard deviation (divisor n - 1).
    pub sigma: f64,
    /// Number of effects n.
    pub effects: usize,
}

impl FactorStats {
    /// The statistics of a sample of elementary effects (at least two), summed in order.
    pub fn of(effects: &[f64]) -> Self {
        let n = effects.len() as f64;
        let mu = effects.iter().sum::<f64>() / n;
        let mu_star = effects.iter().map(|d| d.abs()).sum::<f64>() / n;
        let ss: f64 = effects.iter().map(|d| (d - mu) * (d - mu)).sum();
        FactorStats {
            mu,
            mu_star,
            sigma: (ss / (n - 1.0)).sqrt(),
            effects: effects.len(),
        }
    }
}

/// The result of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MorrisAnalysis {
    /// Number of factors.
    pub factors: usize,
    /// Number of outputs.
    pub outputs: usize,
    /// Statistics, `stats[factor][output]`.
    pub stats: Vec<Vec<FactorStats>>,
    /// The elementary effects, `effects[factor][output]`, in trajectory order.
    pub effects: Vec<Vec<Vec<f64>>>,
}

/// The elementary effects of one trajectory: for each step, the factor that changed and its
/// effect on each output. `outputs[j]` holds the outputs at `points[j]`.
pub fn trajectory_effects(
    trajectory: usize,
    points: &[Vec<f64>],
    outputs: &[Vec<f64>],
) -> Result<Vec<(usize, Vec<f64>)>, MorrisError> {
    let mut out = Vec::with_capacity(points.len().saturating_sub(1));
    for step in 0..points.len().saturating_sub(1) {
        let (a, b) = (&points[step], &points[step + 1]);
        let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        let [i] = changed[..] else {
            return Err(MorrisError::NotOneAtATime { trajectory, step });
        };
        let dx = b[i] - a[i];
        let effects = outputs[step + 1]
            .iter()
            .zip(&outputs[step])
            .map(|(y1, y0)| (y1 - y0) / dx)
            .collect();
        out.push((i, effects));
    }
    Ok(out)
}

/// Computes the elementary effects and μ, μ*, σ of every factor for every output.
/// `trajectories[t]` are the points of trajectory t (each of `factors` coordinates) and
/// `outputs[t][j]` the outputs at its point j; every point has the same number of outputs.
/// Works on any one-at-a-time trajectories (e.g. a published design), not only on
/// [`sample`]'s.
pub fn analyze(
    factors: usize,
    trajectories: &[Vec<Vec<f64>>],
    outputs: &[Vec<Vec<f64>>],
) -> Result<MorrisAnalysis, MorrisError> {
    if factors == 0 {
        return Err(MorrisError::NoFactors);
    }
    if trajectories.len() != outputs.len() {
        return Err(MorrisError::Shape(format!(
            "{} trajectories but outputs for {}",
            trajectories.len(),
            outputs.len()
        )));
    }
    let m = outputs.first().and_then(|t| t.first()).map_or(0, Vec::len);
    if m == 0 {
        return Err(MorrisError::Shape("no outputs".into()));
    }
    let mut effects: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); m]; factors];
    let mut point = 0;
    for (t, (points, ys)) in trajectories.iter().zip(outputs).enumerate() {
        if points.len() != ys.len() {
            return Err(MorrisError::Shape(format!(
                "trajectory {t} has {} points but {} outputs",
                points.len(),
                ys.len()
            )));
        }
        for (x, y) in points.iter().zip(ys) {
            if x.len() != factors {
                return Err(MorrisError::Shape(format!(
                    "point {point} has {} coordinates, not {factors}",
                    x.len()
                )));
            }
            if y.len() != m {
                return Err(MorrisError::Shape(format!(
                    "point {point} has {} outputs, not {m}",
                    y.len()
                )));
            }
            if let Some((output, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(MorrisError::NotFinite {
                    point,
                    output,
                    value,
                });
            }
            point += 1;
        }
        for (i, d) in trajectory_effects(t, points, ys)? {
            for (o, e) in d.into_iter().enumerate() {
                effects[i][o].push(e);
            }
        }
    }
    let mut stats = Vec::with_capacity(factors);
    for (factor, per_output) in effects.iter().enumerate() {
        let n = per_output[0].len();
        if n < 2 {
            return Err(MorrisError::FewEffects { factor, effects: n });
        }
        stats.push(per_output.iter().map(|e| FactorStats::of(e)).collect());
    }
    Ok(MorrisAnalysis {
        factors,
        outputs: m,
        stats,
        effects,
    })
}

/// Analyzes a sampled design from its outputs in point order (as [`Design::points`]).
pub fn analyze_design(
    design: &Design,
    outputs: &[Vec<f64>],
) -> Result<MorrisAnalysis, MorrisError> {
    let per = design.plan.factors + 1;
    if outputs.len() != design.trajectories.len() * per {
        return Err(MorrisError::Shape(format!(
            "{} outputs for {} points",
            outputs.len(),
            design.trajectories.len() * per
        )));
    }
    let trajectories: Vec<Vec<Vec<f64>>> = design
        .trajectories
        .iter()
        .map(|t| t.points.clone())
        .collect();
    let grouped: Vec<Vec<Vec<f64>>> = outputs.chunks(per).map(<[Vec<f64>]>::to_vec).collect();
    analyze(design.plan.factors, &trajectories, &grouped)
}

/// Samples a design, evaluates `model` at its points (see [`evaluate`]) and analyzes it.
pub fn run<E, F>(
    plan: &MorrisPlan,
    threads: usize,
    model: F,
    progress: impl FnMut(usize),
) -> Result<(Design, MorrisAnalysis), RunError<E>>
where
    E: Send,
    F: Fn(usize, &[f64]) -> Result<Vec<f64>, E> + Sync,
{
    let design = sample(plan).map_err(RunError::Morris)?;
    let outputs = evaluate(&design.points(), threads, model, progress).map_err(RunError::Eval)?;
    let analysis = analyze_design(&design, &outputs).map_err(RunError::Morris)?;
    Ok((design, analysis))
}

/// Why [`run`] failed.
#[derive(Debug)]
pub enum RunError<E> {
    /// The plan or the outputs.
    Morris(MorrisError),
    /// The model or a thread.
    Eval(EvaluationError<E>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(k: usize, p: u32, r: usize) -> MorrisPlan {
        MorrisPlan {
            factors: k,
            levels: p,
            trajectories: r,
            seed: 7,
        }
    }

    #[test]
    fn trajectories_are_one_factor_at_a_time_steps_of_delta() {
        for (k, p) in [(1, 2), (3, 4), (20, 4), (7, 6), (5, 8)] {
            let d = sample(&plan(k, p, 25)).unwrap();
            let delta = delta(p);
            for t in &d.trajectories {
                assert_eq!(t.points.len(), k + 1);
                let mut changed = vec![0; k];
                for w in t.points.windows(2) {
                    let diff: Vec<usize> = (0..k).filter(|&i| w[0][i] != w[1][i]).collect();
                    assert_eq!(diff.len(), 1);
                    let i = diff[0];
                    assert!(((w[1][i] - w[0][i]).abs() - delta).abs() < 1e-12);
                    changed[i] += 1;
                }
                assert!(changed.iter().all(|&c| c == 1));
                for x in t.points.iter().flatten() {
                    assert!((0.0..=1.0).contains(x));
                    let level = x * f64::from(p - 1);
                    assert!((level - level.round()).abs() < 1e-12);
                }
            }
        }
    }

    #[test]
    fn orientation_matches_the_matrix_formula() {
        // k = 2, p = 4 (Δ = 2 grid steps), x* = (1, 0), D* = diag(+1, -1), P* swaps.
        let o = Orientation {
            base: vec![1, 0],
            signs: vec![1, -1],
            permutation: vec![1, 0],
        };
        // Unpermuted: column 0 = 1 + 2[j > 0] = 1, 3, 3; column 1 = 0 + 2[j <= 1] = 2, 2, 0.
        // Permuted: (col 1, col 0).
        assert_eq!(o.grid_rows(4), vec![vec![2, 1], vec![2, 3], vec![0, 3]]);
    }

    #[test]
    fn designs_are_reproducible_and_prefix_stable() {
        let a = sample(&plan(10, 4, 5)).unwrap();
        let b = sample(&plan(10, 4, 8)).unwrap();
        assert_eq!(a.trajectories[..], b.trajectories[..5]);
        let c = sample(&MorrisPlan {
            seed: 8,
            ..plan(10, 4, 5)
        })
        .unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn base_levels_and_signs_are_balanced() {
        let mut low = 0;
        let mut up = 0;
        let mut n = 0;
        for t in 0..2000 {
            let mut rng = branch_rng(1, t, MORRIS_BRANCH);
            let o = Orientation::draw(4, 4, &mut rng);
            low += o.base.iter().filter(|&&b| b == 0).count();
            up += o.signs.iter().filter(|&&s| s == 1).count();
            n += 4;
            assert!(o.base.iter().all(|&b| b < 2));
        }
        let (fl, fu) = (low as f64 / n as f64, up as f64 / n as f64);
        assert!(
            (fl - 0.5).abs() < 0.02 && (fu - 0.5).abs() < 0.02,
            "{fl} {fu}"
        );
    }

    #[test]
    fn linear_model_has_exact_effects_and_no_spread() {
        let beta = [3.0, -2.0, 0.0, 0.5];
        let (d, a) = run::<(), _>(
            &plan(4, 4, 6),
            2,
            |_, x| {
                Ok(vec![
                    x.iter().zip(beta).map(|(x, b)| x * b).sum(),
                    x[0] * x[1],
                ])
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(d.trajectories.len(), 6);
        for (i, b) in beta.iter().enumerate() {
            let s = a.stats[i][0];
            assert!((s.mu - b).abs() < 1e-12 && (s.mu_star - b.abs()).abs() < 1e-12);
            assert!(s.sigma < 1e-12 && s.effects == 6);
        }
        // x0 x1 interacts: its effects vary.
        assert!(a.stats[0][1].sigma > 0.0 && a.stats[2][1].mu_star == 0.0);
    }

    #[test]
    fn evaluation_is_independent_of_threads_and_reports_the_first_failure() {
        let p = plan(6, 4, 4);
        let d = sample(&p).unwrap();
        let f = |_: usize, x: &[f64]| -> Result<Vec<f64>, String> {
            Ok(vec![x.iter().map(|&v| libm::sin(v)).product::<f64>(), x[0]])
        };
        let one = evaluate(&d.points(), 1, f, |_| {}).unwrap();
        for threads in [2, 3, 8] {
            assert_eq!(evaluate(&d.points(), threads, f, |_| {}).unwrap(), one);
        }
        let failing = |i: usize, _: &[f64]| -> Result<Vec<f64>, String> {
            if i % 5 == 3 {
                Err(format!("bad {i}"))
            } else {
                Ok(vec![0.0])
            }
        };
        for threads in [1, 2, 4] {
            match evaluate(&d.points(), threads, failing, |_| {}) {
                Err(EvaluationError::Model { point, error }) => {
                    assert_eq!((point, error.as_str()), (3, "bad 3"));
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn bad_plans_and_shapes_are_errors() {
        assert_eq!(sample(&plan(0, 4, 4)), Err(MorrisError::NoFactors));
        assert_eq!(sample(&plan(3, 3, 4)), Err(MorrisError::Levels(3)));
        assert_eq!(sample(&plan(3, 0, 4)), Err(MorrisError::Levels(0)));
        assert_eq!(sample(&plan(3, 4, 1)), Err(MorrisError::Trajectories(1)));
        let pts = vec![vec![vec![0.0, 0.0], vec![1.0, 1.0]]];
        let ys = vec![vec![vec![0.0], vec![1.0]]];
        assert!(matches!(
            analyze(2, &pts, &ys),
            Err(MorrisError::NotOneAtATime { .. })
        ));
        let pts = vec![vec![vec![0.0], vec![1.0]]];
        let ys = vec![vec![vec![0.0], vec![f64::NAN]]];
        assert!(matches!(
            analyze(1, &pts, &ys),
            Err(MorrisError::NotFinite { .. })
        ));
        let ys = vec![vec![vec![0.0], vec![1.0]]];
        assert_eq!(
            analyze(1, &pts, &ys),
            Err(MorrisError::FewEffects {
                factor: 0,
                effects: 1
            })
        );
    }
}
