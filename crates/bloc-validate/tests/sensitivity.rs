//! Tests of the sensitivity analysis: the Morris method against its published results (and
//! controls that fail), every estimate's path round-tripping through `--set`, ranges that keep
//! every design point a valid scenario, results independent of the thread count, and clear
//! errors on bad input.

use bloc_model::overrides::apply_overrides;
use bloc_model::parameters::{ValueKind, sourced_values};
use bloc_model::sensitivity::bloc::{assignments, factors, scenario_at};
use bloc_model::sensitivity::morris::{self, MorrisPlan};
use bloc_model::sensitivity::{SensitivityError, SensitivityPlan, run_sensitivity};
use bloc_model::{BlocScenario, EASTERN_EUROPE_1989_TOML, TWO_ALLIES_TOML};
use bloc_validate::morris::{
    DESIGN_SEED, MorrisFunction, TRAJECTORIES, morris_function_check, morris_primer,
    morris_published, primer_deviations, screen_function,
};

#[test]
fn morris_function_screening_reproduces_the_paper() {
    let c = morris_published();
    assert!(c.passed, "{c:#?}");
    assert_eq!(c.name, "sensitivity/morris-morris1991");
}

#[test]
fn morris_screening_holds_for_other_coefficients_and_designs() {
    // The classification is a property of the function, not of one lucky draw.
    for coefficients in 1..=5 {
        let f = MorrisFunction::with_seed(coefficients);
        for seed in 1..=10 {
            let c = morris_function_check(&f, TRAJECTORIES, seed);
            assert!(
                c.passed,
                "coefficients {coefficients}, design {seed}: {c:#?}"
            );
        }
    }
}

#[test]
fn morris_controls_fail() {
    // A negligible factor made important.
    let mut f = MorrisFunction::published();
    f.b1[10] = 20.0;
    assert!(!morris_function_check(&f, TRAJECTORIES, DESIGN_SEED).passed);
    // Two linear factors made to interact.
    let mut f = MorrisFunction::published();
    f.b2[7][8] = -15.0;
    let s = screen_function(&f, TRAJECTORIES, DESIGN_SEED).unwrap();
    assert_ne!(s.linear, [8, 9, 10], "{s:?}");
    assert!(!morris_function_check(&f, TRAJECTORIES, DESIGN_SEED).passed);
    // An important factor made negligible.
    let mut f = MorrisFunction::published();
    f.b1[7] = 0.0;
    let s = screen_function(&f, TRAJECTORIES, DESIGN_SEED).unwrap();
    assert!(!s.important.contains(&8), "{s:?}");
    assert!(!morris_function_check(&f, TRAJECTORIES, DESIGN_SEED).passed);
}

#[test]
fn primer_exercises_are_reproduced_and_a_perturbed_output_is_not() {
    let c = morris_primer();
    assert!(c.passed, "{c:#?}");
    let outputs = [
        [0.97, 0.71, 2.39],
        [0.97, 2.30, 2.39],
        [1.87, 2.40, 0.87],
        [2.15, 1.71, 1.54],
        [2.15, 2.17, 1.54],
        [2.20, 1.87, 1.0],
    ];
    let (ex4, ex5) = primer_deviations(&outputs).unwrap();
    assert!(ex4 <= 0.011 && ex5 <= 0.011, "{ex4} {ex5}");
    let mut perturbed = outputs;
    perturbed[2][1] += 0.05;
    let (ex4, _) = primer_deviations(&perturbed).unwrap();
    assert!(ex4 > 0.02, "{ex4}");
}

#[test]
fn exact_statistics_on_a_fixed_design() {
    // The Primer's Exercise 4 effects recomputed from its outputs: factor 1 has effects
    // 2.52, 1.995, 2.295, -0.66, -0.945, -1.305.
    let pts = vec![
        vec![vec![0.0, 1.0 / 3.0], vec![0.0, 1.0], vec![2.0 / 3.0, 1.0]],
        vec![
            vec![0.0, 1.0 / 3.0],
            vec![2.0 / 3.0, 1.0 / 3.0],
            vec![2.0 / 3.0, 1.0],
        ],
    ];
    let ys = vec![
        vec![vec![0.97], vec![0.71], vec![2.39]],
        vec![vec![0.97], vec![2.30], vec![2.39]],
    ];
    let a = morris::analyze(2, &pts, &ys).unwrap();
    let e = &a.effects[0][0];
    assert!((e[0] - 2.52).abs() < 1e-12 && (e[1] - 1.995).abs() < 1e-12);
    let s = a.stats[0][0];
    assert!((s.mu - 2.2575).abs() < 1e-12 && (s.mu_star - 2.2575).abs() < 1e-12);
    assert!((s.sigma - 0.525 / 2f64.sqrt()).abs() < 1e-12);
}

fn flagship() -> BlocScenario {
    BlocScenario::from_toml(EASTERN_EUROPE_1989_TOML).unwrap()
}

#[test]
fn sourced_values_have_their_types() {
    let s = flagship();
    let all = sourced_values(&s);
    let kind = |p: &str| all.iter().find(|v| v.path == p).map(|v| v.kind);
    assert_eq!(kind("countries.GDR.legitimacy"), Some(ValueKind::Fraction));
    assert_eq!(kind("countries.GDR.hardship"), Some(ValueKind::Shift));
    assert_eq!(kind("decision.dialogue_at"), Some(ValueKind::Position));
    assert_eq!(kind("countries.GDR.population"), Some(ValueKind::Count));
    assert_eq!(kind("cascade.signal_weight"), Some(ValueKind::Amount));
    assert_eq!(
        kind("countries.GDR.actors.reformers.position"),
        Some(ValueKind::Position)
    );
    assert_eq!(kind("attention.GDR.weights.POL"), Some(ValueKind::Fraction));
    assert_eq!(
        kind("lever_schedule[0].intensity"),
        Some(ValueKind::Fraction)
    );
    assert_eq!(
        kind("levers.troop_withdrawal.savings"),
        Some(ValueKind::Amount)
    );
    // Every { value, source } pair of the file is found (with or without a prior).
    let text: toml::Table = toml::from_str(EASTERN_EUROPE_1989_TOML).unwrap();
    fn pairs(v: &toml::Value) -> usize {
        match v {
            toml::Value::Table(t)
                if t.contains_key("value")
                    && t.contains_key("source")
                    && t.keys()
                        .all(|k| ["value", "source", "prior"].contains(&k.as_str())) =>
            {
                1
            }
            toml::Value::Table(t) => t.values().map(pairs).sum(),
            toml::Value::Array(a) => a.iter().map(pairs).sum(),
            _ => 0,
        }
    }
    let weights = all.iter().filter(|v| v.path.contains(".weights.")).count();
    let schedule = all
        .iter()
        .filter(|v| v.path.starts_with("lever_schedule["))
        .count();
    let events = all.iter().filter(|v| v.path.starts_with("events[")).count();
    assert_eq!(
        all.len() - weights - schedule - events,
        pairs(&toml::Value::Table(text))
    );
    for v in &all {
        let (lo, hi) = v.kind.bounds();
        assert!((lo..=hi).contains(&v.value), "{v:?}");
    }
}

/// A nearby value of the same type that keeps the flagship valid.
fn nudged(value: f64, kind: ValueKind) -> f64 {
    let (_, hi) = kind.bounds();
    match kind {
        ValueKind::Count => value + 1.0,
        _ if value + 1e-9 <= hi => value + 1e-9 * value.abs().max(1.0),
        _ => value - 1e-9,
    }
}

#[test]
fn every_flagship_path_round_trips_through_set() {
    let s = flagship();
    let before = sourced_values(&s);
    for v in &before {
        let new = nudged(v.value, v.kind);
        let literal = if v.kind == ValueKind::Count {
            format!("{}", new as u64)
        } else {
            format!("{new:?}")
        };
        let text = apply_overrides(EASTERN_EUROPE_1989_TOML, &[format!("{}={literal}", v.path)])
            .unwrap_or_else(|e| panic!("{}: {e}", v.path));
        let t = BlocScenario::from_toml(&text)
            .unwrap_or_else(|d| panic!("{}: {:?}", v.path, d.iter().next()));
        let after = sourced_values(&t);
        assert_eq!(after.len(), before.len(), "{}", v.path);
        for (a, b) in after.iter().zip(&before) {
            assert_eq!(a.path, b.path);
            if a.path == v.path {
                assert_eq!(a.value, new, "{} was not set", v.path);
            } else {
                assert_eq!(a.value, b.value, "--set {} also changed {}", v.path, a.path);
            }
        }
    }
}

#[test]
fn flagship_factors_are_the_estimates_with_ranges_that_keep_it_valid() {
    let s = flagship();
    let (fs, fixed) = factors(&s, 0.25).unwrap();
    assert!(fs.len() > 250, "{}", fs.len());
    assert!(fixed.iter().all(|f| f.value == 0.0), "{fixed:?}");
    for f in &fs {
        assert!(f.source.starts_with("estimate"), "{f:?}");
        let (lo, hi) = f.kind.bounds();
        assert!(lo <= f.low && f.low < f.high && f.high <= hi, "{f:?}");
        assert!(f.low <= f.value && f.value <= f.high, "{f:?}");
    }
    let get = |p: &str| fs.iter().find(|f| f.path == p).unwrap();
    // Order rules: repression_below 40 and dialogue_at 50 meet at 45.
    assert_eq!(get("decision.repression_below").high, 45.0);
    assert_eq!(get("decision.dialogue_at").low, 45.0);
    assert_eq!(
        get("countries.GDR.legitimacy").low,
        0.75 * get("countries.GDR.legitimacy").value
    );
    // The corners and random grid points of the cube are valid scenarios.
    let k = fs.len();
    let mut points = vec![vec![0.0; k], vec![1.0; k]];
    points.push((0..k).map(|i| (i % 2) as f64).collect());
    points.push((0..k).map(|i| ((i + 1) % 2) as f64).collect());
    let design = morris::sample(&MorrisPlan {
        factors: k,
        levels: 4,
        trajectories: 2,
        seed: 3,
    })
    .unwrap();
    points.extend(design.points().into_iter().step_by(37).map(<[f64]>::to_vec));
    for x in &points {
        let t = scenario_at(EASTERN_EUROPE_1989_TOML, &s, &fs, x, None)
            .unwrap_or_else(|e| panic!("{e}"));
        let shares: f64 = t.cohorts.iter().map(|c| c.share.value).sum();
        assert!((shares - 1.0).abs() < 1e-9);
    }
    // Cohort shares are rescaled to sum to 1.
    let set = assignments(&s, &fs, &vec![1.0; k]).unwrap();
    assert!(set.iter().any(|a| a.starts_with("cohorts.youth.share=")));
}

fn tiny(threads: usize) -> SensitivityPlan {
    SensitivityPlan {
        trajectories: 2,
        levels: 4,
        runs: 2,
        seed: 5,
        spread: 0.25,
        horizon: Some(20),
        threads,
    }
}

#[test]
fn results_do_not_depend_on_threads() {
    let one = run_sensitivity(TWO_ALLIES_TOML, &tiny(1), |_, _| {}).unwrap();
    let json = serde_json::to_string(&one).unwrap();
    for threads in [2, 3] {
        let other = run_sensitivity(TWO_ALLIES_TOML, &tiny(threads), |_, _| {}).unwrap();
        assert_eq!(
            serde_json::to_string(&other).unwrap(),
            json,
            "{threads} threads"
        );
    }
    assert_eq!(one.meta.evaluations, 2 * (one.meta.factors + 1));
    assert_eq!(one.outputs.len(), 2 * 8);
    assert_eq!(one.parameters.len(), one.meta.factors);
    assert!(
        one.parameters
            .windows(2)
            .all(|w| w[0].mu_star_max >= w[1].mu_star_max)
    );
    // Probabilities are shares of runs: every effect is a multiple of 1/(runs Δ).
    for p in &one.parameters {
        let unit = 1.0 / (2.0 * one.meta.delta);
        let k = p.mu_star_max * 2.0 / unit; // mu* over 2 effects
        assert!((k - k.round()).abs() < 1e-9, "{p:?}");
    }
}

#[test]
fn bad_input_gives_clear_errors() {
    for spread in [1.5, -0.1, 0.0, f64::NAN] {
        let plan = SensitivityPlan { spread, ..tiny(1) };
        let e = run_sensitivity(TWO_ALLIES_TOML, &plan, |_, _| {}).unwrap_err();
        assert!(matches!(e, SensitivityError::Plan(_)), "{e}");
        assert!(e.to_string().contains("(0, 1]"), "{e}");
    }
    let e = run_sensitivity(
        TWO_ALLIES_TOML,
        &SensitivityPlan {
            levels: 3,
            ..tiny(1)
        },
        |_, _| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("even number of levels"), "{e}");
    let e = run_sensitivity(
        TWO_ALLIES_TOML,
        &SensitivityPlan {
            trajectories: 1,
            ..tiny(1)
        },
        |_, _| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("at least 2"), "{e}");
    let e = run_sensitivity("not = [toml", &tiny(1), |_, _| {}).unwrap_err();
    assert!(matches!(e, SensitivityError::Scenario(_)), "{e}");
    // Densities at the edge: citizens 0.95 and SOU's cops 0.05 (an estimate) sum to 1, and
    // the cops' range crosses it. The first invalid point is named before any run.
    let edge = TWO_ALLIES_TOML.replacen(
        "citizen_density = { value = 0.7,",
        "citizen_density = { value = 0.95,",
        1,
    );
    assert_ne!(edge, TWO_ALLIES_TOML);
    let e = run_sensitivity(&edge, &tiny(2), |_, _| {}).unwrap_err();
    match &e {
        SensitivityError::InvalidPoint { message, .. } => {
            assert!(message.contains("cop_density"), "{e}");
        }
        other => panic!("{other}"),
    }
    assert!(e.to_string().contains("narrow --spread"), "{e}");
}
