//! The one integration-test binary of bloc-calibrate: the engine against exact posteriors,
//! its determinism and resumption, and simulation-based calibration.

use std::ops::ControlFlow;

use bloc_base::seeding::SimRng;
use bloc_calibrate::sbc::{self, SBC_TOY, rank_histogram};
use bloc_calibrate::smc::{self, Model, Observer, Settings, Silent, State, Stop};
use bloc_calibrate::toy::{self, BetaBinomial, NormalMean};
use rand_distr::Distribution;

const NORMAL: NormalMean = NormalMean {
    n: 10,
    observed_mean: 1.2,
    prior: (0.0, 3.0),
};

fn normal_run(settings: Settings, observer: &mut dyn Observer) -> State {
    smc::run(
        &NORMAL,
        &NORMAL.distance(),
        vec![NORMAL.parameter()],
        settings,
        observer,
    )
    .unwrap()
}

fn small() -> Settings {
    Settings {
        particles: 300,
        seed: 11,
        min_epsilon: 0.02,
        ..Settings::default()
    }
}

#[test]
fn the_beta_binomial_posterior_is_the_exact_one() {
    let c = toy::beta_binomial_check(1);
    println!("{c:#?}");
    assert!(c.passed, "{c:#?}");
    assert_eq!(c.epsilon, 0.0);
}

#[test]
fn an_informative_prior_is_weighted_as_the_exact_posterior_says() {
    let c = toy::informative_prior_check(1);
    println!("{c:#?}");
    assert!(c.passed, "{c:#?}");
}

#[test]
fn a_model_whose_statistics_do_not_fit_never_matches() {
    let wrong = |_: &[f64], _: &mut SimRng| Vec::new();
    let s = smc::run(
        &wrong,
        &NORMAL.distance(),
        vec![NORMAL.parameter()],
        small(),
        &mut Silent,
    )
    .unwrap();
    assert_eq!(s.stopped, Some(Stop::NoProgress));
    assert!(s.population.distances.iter().all(|d| d.is_infinite()));
}

#[test]
fn a_checkpoint_with_statistics_that_are_not_finite_reloads() {
    // NaN statistics above mu = 2: kept in generation 0 with an infinite distance.
    let half = |theta: &[f64], rng: &mut SimRng| {
        let mut s = NORMAL.simulate(theta, rng);
        if theta[0] > 2.0 {
            s[0] = f64::NAN;
        }
        s
    };
    let cut = smc::run(
        &half,
        &NORMAL.distance(),
        vec![NORMAL.parameter()],
        small(),
        &mut StopAfter(1),
    )
    .unwrap();
    assert!(cut.population.statistics.iter().any(|s| s[0].is_nan()));
    let saved = serde_json::to_string(&cut).unwrap();
    let loaded: State = serde_json::from_str(&saved).unwrap();
    assert_eq!(serde_json::to_string(&loaded).unwrap(), saved);
    assert!(loaded.population.distances.iter().any(|d| d.is_infinite()));
    let resumed = smc::resume(&half, &NORMAL.distance(), loaded, &mut Silent).unwrap();
    let whole = smc::run(
        &half,
        &NORMAL.distance(),
        vec![NORMAL.parameter()],
        small(),
        &mut Silent,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_string(&resumed).unwrap(),
        serde_json::to_string(&whole).unwrap()
    );
}

#[test]
fn the_normal_mean_posterior_is_the_exact_one() {
    let c = toy::normal_mean_check(1);
    println!("{c:#?}");
    assert!(c.passed, "{c:#?}");
    assert!(c.epsilon <= 0.01);
}

#[test]
fn a_calibration_is_the_same_on_one_thread_and_on_two_and_whatever_the_batch() {
    let on = |threads: usize, batch: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| normal_run(Settings { batch, ..small() }, &mut Silent))
    };
    let one = on(1, 256);
    assert!(one == on(2, 256), "one thread and two differ");
    let small_batches = on(2, 7);
    assert!(
        one.population == small_batches.population && one.generations == small_batches.generations,
        "batches of 7 and of 256 differ"
    );
    assert!(one.generations.len() > 3);
}

/// Stops the run after `after` generations, as an interrupt would.
struct StopAfter(usize);
impl Observer for StopAfter {
    fn generation(&mut self, state: &State) -> ControlFlow<()> {
        if state.generations.len() >= self.0 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

#[test]
fn a_run_resumed_from_its_checkpoint_ends_where_an_uninterrupted_one_does() {
    let whole = normal_run(small(), &mut Silent);
    let cut = normal_run(small(), &mut StopAfter(3));
    assert_eq!(cut.stopped, Some(Stop::Interrupted));
    assert_eq!(cut.generations.len(), 3);
    let saved = serde_json::to_string(&cut).unwrap();
    let loaded: State = serde_json::from_str(&saved).unwrap();
    assert!(loaded == cut, "the checkpoint round-trips exactly");
    let resumed = smc::resume(&NORMAL, &NORMAL.distance(), loaded, &mut Silent).unwrap();
    assert!(resumed == whole, "the resumed run differs");
    assert_eq!(whole.stopped, Some(Stop::MinEpsilon));
}

#[test]
fn a_spent_budget_keeps_the_last_complete_generation() {
    let budget = 2_000;
    let s = normal_run(
        Settings {
            max_simulations: budget,
            min_epsilon: 0.0,
            ..small()
        },
        &mut Silent,
    );
    assert_eq!(s.stopped, Some(Stop::Budget));
    let spent: u64 = s.generations.iter().map(|g| g.simulations).sum();
    assert!(spent <= budget, "{spent}");
    assert_eq!(s.population.particles.len(), 300);
    let last = s.generations.last().unwrap();
    assert_eq!(s.population.epsilon, last.epsilon);
    // Each generation's tolerance falls, and the effective sample size is reported.
    for w in s.generations.windows(2) {
        assert!(w[1].epsilon.unwrap() < w[0].epsilon.unwrap_or(f64::INFINITY));
    }
    assert!(
        s.generations
            .iter()
            .all(|g| g.ess > 1.0 && g.ess <= 300.0 + 1e-9)
    );
}

#[test]
fn settings_that_cannot_work_are_refused() {
    for bad in [
        Settings {
            particles: 1,
            ..small()
        },
        Settings {
            quantile: 1.0,
            ..small()
        },
        Settings {
            min_epsilon: f64::NAN,
            ..small()
        },
        Settings {
            batch: 0,
            ..small()
        },
    ] {
        let r = smc::run(
            &NORMAL,
            &NORMAL.distance(),
            vec![NORMAL.parameter()],
            bad,
            &mut Silent,
        );
        assert!(matches!(r, Err(smc::AbcError::Settings(_))), "{r:?}");
    }
}

#[test]
fn simulation_based_calibration_finds_abc_smc_uniform() {
    let r = sbc::abc_sbc(1, 400, 300);
    println!("{r:#?}");
    assert!(r.passed, "{r:#?}");
}

/// Exact posterior draws for the toy, with the data's counts multiplied by `overweight`.
fn exact_draws(toy: &BetaBinomial, seed: u64, overweight: f64) -> Vec<f64> {
    let (a, b) = toy.prior;
    let k = toy.successes as f64 * overweight;
    let n = toy.trials as f64 * overweight;
    let beta = rand_distr::Beta::new(a + k, b + n - k).unwrap();
    let mut rng: SimRng = bloc_base::seeding::run_rng(seed, 0);
    (0..19).map(|_| beta.sample(&mut rng)).collect()
}

#[test]
fn simulation_based_calibration_passes_the_exact_posterior_and_fails_an_overconfident_one() {
    let truth = |rng: &mut SimRng| sbc::toy_truth(SBC_TOY, rng);
    let exact = rank_histogram(400, 19, 2, 0.01, truth, |t, s| exact_draws(t, s, 1.0));
    assert!(exact.passed, "{exact:#?}");
    // Counting every observation twice narrows the posterior: ranks pile up at the ends.
    let twice = rank_histogram(400, 19, 2, 0.01, truth, |t, s| exact_draws(t, s, 2.0));
    assert!(!twice.passed, "{twice:#?}");
    assert!(twice.counts[0] + twice.counts[19] > exact.counts[0] + exact.counts[19]);
}

/// The 90 % interval's width, averaged over six seeds, against the exact one: a test of the
/// importance weights' kernel term, which the single-seed checks cannot see. On a normal mean
/// with an informative prior (Normal(0, 0.5), one observation of 2) the engine's mean width
/// is within 0.3 % of the exact 1.4712; with the kernel density in the weights given half the
/// proposal's variance it is 5.8 % wider. The 3 % tolerance was chosen after seeing both
/// (docs/validation.md).
#[test]
fn the_interval_width_over_seeds_is_the_exact_one() {
    let toy = NormalMean {
        n: 1,
        observed_mean: 2.0,
        prior: (0.0, 0.5),
    };
    let exact = toy.exact_summary();
    let exact_width = exact.q95 - exact.q05;
    let widths: Vec<f64> = (1..=6)
        .map(|seed| {
            let settings = Settings {
                particles: 2000,
                seed,
                min_epsilon: 0.01,
                ..Settings::default()
            };
            let s = smc::run(
                &toy,
                &toy.distance(),
                vec![toy.parameter()],
                settings,
                &mut Silent,
            )
            .unwrap();
            let a = toy::summarize(&s, 0);
            a.q95 - a.q05
        })
        .collect();
    let mean = widths.iter().sum::<f64>() / widths.len() as f64;
    let off = mean / exact_width - 1.0;
    assert!(
        off.abs() < 0.03,
        "mean width {mean:.4} against {exact_width:.4} ({widths:?})"
    );
}

/// ln(theta) observed with normal noise of sd 0.3 (one observation at ln 100).
fn log_scale_model(theta: &[f64], rng: &mut SimRng) -> Vec<f64> {
    let z: f64 = rand_distr::StandardNormal.sample(rng);
    vec![libm::log(theta[0]) + 0.3 * z]
}

#[test]
fn a_log_uniform_prior_on_a_wide_type_is_moved_in_its_logarithm() {
    // A log-uniform prior on 25-400 for a value whose type spans 0-10^12 (an Amount). The
    // kernel's floor once took a millionth of the type's width (10^6) and no move landed in
    // the support; the kernel now moves ln(theta), and the weights carry the Jacobian: the
    // posterior of ln(theta) is N(ln 100, 0.3), which the weights without it would shift
    // by -0.09.
    let parameter = bloc_calibrate::prior::Parameter::new(
        "decision.mobilization_gain",
        bloc_calibrate::prior::Prior::LogUniform(25.0, 400.0),
        (0.0, 1.0e12),
    )
    .unwrap();
    let distance = smc::ScaledEuclidean {
        observed: vec![libm::log(100.0)],
        scales: vec![1.0],
    };
    let settings = Settings {
        particles: 400,
        seed: 5,
        min_epsilon: 0.02,
        max_generations: 12,
        ..Settings::default()
    };
    let s = smc::run(
        &log_scale_model,
        &distance,
        vec![parameter],
        settings,
        &mut Silent,
    )
    .unwrap();
    assert!(
        matches!(s.stopped, Some(Stop::MinEpsilon | Stop::MaxGenerations)),
        "{:?}",
        s.stopped
    );
    assert!(
        s.generations.iter().all(|g| g.ess > 100.0),
        "{:?}",
        s.generations
    );
    let p = &s.population;
    let logs: Vec<f64> = p.particles.iter().map(|x| libm::log(x[0])).collect();
    let mean: f64 = logs.iter().zip(&p.weights).map(|(l, w)| l * w).sum();
    let var: f64 = logs
        .iter()
        .zip(&p.weights)
        .map(|(l, w)| w * (l - mean) * (l - mean))
        .sum();
    assert!(
        (mean - libm::log(100.0)).abs() < 0.05,
        "mean of ln theta {mean}"
    );
    let sd = var.sqrt();
    assert!((0.27..0.33).contains(&sd), "sd of ln theta {sd}");
}
