//! The bloc model's contracts: Model I intact when every extension is off, the same result
//! whatever the thread count, people conserved, states in range, class probabilities that
//! sum to one, and no panic on random valid scenarios.

use bloc_base::ensemble::EnsemblePlan;
use bloc_citizens::epstein::World;
use bloc_model::config::Mechanisms;
use bloc_model::overrides::apply_overrides;
use bloc_model::run::{country_rng, lattice_scenario};
use bloc_model::{
    BlocScenario, ForecastMeta, ForecastPlan, OutcomeClass, ParameterDraws, SeriesRequest,
    Simulation, TWO_ALLIES_TOML, run_forecast, run_forecast_drawn,
};
use proptest::prelude::*;

fn two_allies() -> BlocScenario {
    BlocScenario::from_toml(TWO_ALLIES_TOML).expect("two allies")
}

fn meta() -> ForecastMeta {
    ForecastMeta {
        scenario: "test".into(),
        scenario_hash: String::new(),
        start: String::new(),
        weeks: 0,
        runs: 0,
        seed: 0,
        version: String::new(),
        rng: String::new(),
        events_files: vec![],
        overrides: vec![],
        posterior: None,
    }
}

/// The forecast of `s` over `runs` runs from `seed` on `threads` threads.
fn forecast(
    s: &BlocScenario,
    runs: u64,
    seed: u64,
    threads: usize,
    series: SeriesRequest,
) -> bloc_model::Forecast {
    let plan = ForecastPlan {
        ensemble: EnsemblePlan {
            runs,
            master_seed: seed,
            threads,
        },
        series,
    };
    run_forecast(s, &plan, meta(), None, |_| {}).expect("forecast")
}

#[test]
fn with_every_mechanism_off_each_country_is_model_one() {
    let mut s = two_allies();
    s.mechanisms = Mechanisms::none();
    s.lever_schedule.clear();
    s.events.clear();
    for run in 0..3u64 {
        let mut sim = Simulation::new(&s, 11, run, false);
        let mut worlds: Vec<(World, _)> = (0..s.countries.len())
            .map(|c| {
                let mut rng = country_rng(11, run, &s.countries[c].id);
                let mut w = World::new(&lattice_scenario(&s, c), &mut rng);
                for _ in 0..s.citizens.burn_in_weeks {
                    w.step(&mut rng);
                }
                (w, rng)
            })
            .collect();
        for week in 1..=40 {
            sim.step(week);
            for (c, (w, rng)) in worlds.iter_mut().enumerate() {
                let expected = w.step(rng);
                let got = sim.countries()[c].world().counts();
                assert_eq!(got, expected, "run {run} week {week} country {c}");
                assert_eq!(sim.countries()[c].world().citizens(), w.citizens());
            }
        }
    }
}

#[test]
fn model_one_check_can_fail() {
    // Control: with the extensions on, the lattice must differ from plain Model I.
    let s = two_allies();
    let mut sim = Simulation::new(&s, 11, 0, false);
    let mut rng = country_rng(11, 0, &s.countries[0].id);
    let mut w = World::new(&lattice_scenario(&s, 0), &mut rng);
    let mut differs = false;
    for week in 1..=40 {
        sim.step(week);
        differs |= w.step(&mut rng) != sim.countries()[0].world().counts();
    }
    assert!(differs);
}

fn forecast_json(s: &BlocScenario, threads: usize, series: SeriesRequest) -> String {
    let f = forecast(s, 48, 5, threads, series);
    let mut text = serde_json::to_string(&f).unwrap();
    text.push_str(&serde_json::to_string(&f.trajectories).unwrap());
    text
}

fn drawn(s: &BlocScenario, draws: &ParameterDraws, threads: usize) -> bloc_model::Forecast {
    let plan = ForecastPlan {
        ensemble: EnsemblePlan {
            runs: draws.of_run.len() as u64,
            master_seed: 5,
            threads,
        },
        series: SeriesRequest::None,
    };
    run_forecast_drawn(s, draws, &plan, meta(), None, |_| {}).expect("forecast")
}

#[test]
fn runs_drawn_from_copies_of_one_scenario_repeat_its_runs() {
    // Each run keeps its own stream whatever its draw: the common random numbers.
    let s = two_allies();
    let draws = ParameterDraws {
        scenarios: vec![s.clone(), s.clone(), s.clone()],
        of_run: (0..48).map(|i| i % 3).collect(),
    };
    let plain = forecast(&s, 48, 5, 2, SeriesRequest::None);
    let one = drawn(&s, &draws, 1);
    assert_eq!(one, drawn(&s, &draws, 2));
    for (a, b) in one.countries.iter().zip(&plain.countries) {
        assert_eq!(a.outcomes, b.outcomes);
        assert_eq!(a.party_in_power, b.party_in_power);
        assert_eq!(a.regime_fall, b.regime_fall);
        assert!(b.variance.is_none());
        let v = a.variance.as_ref().expect("a split per country");
        assert_eq!(v.len(), OutcomeClass::ALL.len() + 3, "{v:?}");
    }
}

#[test]
fn draws_that_do_not_fit_the_ensemble_are_an_error_not_a_panic() {
    let s = two_allies();
    let plan = |runs| ForecastPlan {
        ensemble: EnsemblePlan {
            runs,
            master_seed: 5,
            threads: 2,
        },
        series: SeriesRequest::None,
    };
    let run =
        |d: &ParameterDraws, runs| run_forecast_drawn(&s, d, &plan(runs), meta(), None, |_| {});
    let short = ParameterDraws {
        scenarios: vec![s.clone()],
        of_run: vec![0; 3],
    };
    assert!(run(&short, 4).is_err());
    let beyond = ParameterDraws {
        scenarios: vec![s.clone()],
        of_run: vec![0, 1, 0, 0],
    };
    assert!(run(&beyond, 4).is_err());
    let mut other = s.clone();
    other.countries.pop();
    let other = ParameterDraws {
        scenarios: vec![s.clone(), other],
        of_run: vec![0, 1, 0, 0],
    };
    assert!(run(&other, 4).is_err());
    let empty = ParameterDraws {
        scenarios: vec![],
        of_run: vec![0; 4],
    };
    assert!(run(&empty, 4).is_err());
    assert!(run(&short, 3).is_ok());
}

#[test]
fn the_variance_split_credits_a_parameter_that_decides_the_outcome() {
    // SOU at legitimacy 0.95 stays calm; at 0.05 its regime is contested. Alternating the
    // two draws, almost all of the variance of SOU's stable class is the parameter's.
    let at = |l: &str| {
        let t = apply_overrides(TWO_ALLIES_TOML, &[format!("countries.SOU.legitimacy={l}")]);
        BlocScenario::from_toml(&t.unwrap()).unwrap()
    };
    let draws = ParameterDraws {
        scenarios: vec![at("0.95"), at("0.05")],
        of_run: (0..60).map(|i| i % 2).collect(),
    };
    let f = drawn(&two_allies(), &draws, 2);
    let v = f.countries[1].variance.as_ref().unwrap();
    let stable = v[OutcomeClass::Stable.name()];
    assert!(stable.total > 0.1, "{stable:?}");
    assert!(stable.parameter_share > 0.8, "{stable:?}");
}

#[test]
fn same_seed_same_forecast_whatever_the_threads() {
    let s = two_allies();
    let one = forecast_json(&s, 1, SeriesRequest::Bands);
    assert_eq!(one, forecast_json(&s, 2, SeriesRequest::Bands));
    assert_eq!(one, forecast_json(&s, 4, SeriesRequest::Bands));
    let runs = SeriesRequest::Runs(vec![3, 17]);
    assert_eq!(
        forecast_json(&s, 1, runs.clone()),
        forecast_json(&s, 3, runs)
    );
}

fn check_run_invariants(s: &BlocScenario, seed: u64, run: u64, weeks: i64) {
    let mut sim = Simulation::new(s, seed, run, false);
    for week in 1..=weeks {
        sim.step(week);
        for (c, country) in sim.countries().iter().enumerate() {
            let w = country.world();
            w.check_invariants()
                .unwrap_or_else(|e| panic!("week {week} country {c}: {e}"));
            let k = w.counts();
            assert_eq!(
                k.quiet + k.active + k.jailed + w.dead() + w.emigrated(),
                country.citizens_initial(),
                "people are conserved (week {week}, country {c})"
            );
            let st = country.week_state();
            for (name, v) in [
                ("legitimacy", st.legitimacy),
                ("belief", st.belief),
                ("alignment", st.alignment),
                ("loyalty", st.loyalty),
            ] {
                assert!((0.0..=1.0).contains(&v), "{name} = {v} out of [0, 1]");
            }
            assert!((0.0..=100.0).contains(&st.policy), "policy {}", st.policy);
        }
    }
    let result = sim.finish();
    for c in &result.countries {
        assert!(c.deaths >= 0.0 && c.emigrants >= 0.0 && c.peak_protest >= 0.0);
    }
}

#[test]
fn people_are_conserved_and_states_stay_in_range() {
    let s = two_allies();
    for run in 0..6 {
        check_run_invariants(&s, 3, run, 52);
    }
}

#[test]
fn class_probabilities_sum_to_one() {
    let s = two_allies();
    let f = forecast(&s, 64, 9, 2, SeriesRequest::None);
    for c in &f.countries {
        let o = &c.outcomes;
        let sum = o[OutcomeClass::Smooth]
            + o[OutcomeClass::Leaps]
            + o[OutcomeClass::Suppression]
            + o[OutcomeClass::Eruption]
            + o[OutcomeClass::Stable];
        assert!((sum - 1.0).abs() < 1e-12, "{}: {sum}", c.id);
    }
    let fallen: f64 = f.bloc.regimes_fallen.iter().sum();
    assert!((fallen - 1.0).abs() < 1e-12);
    let patterns: f64 = f.bloc.patterns.iter().map(|p| p.p).sum();
    assert!((patterns - 1.0).abs() < 1e-12);
}

#[test]
fn a_border_with_the_west_needs_its_source() {
    let from = "travel_source = \"estimate: illustrative\"\n";
    assert!(TWO_ALLIES_TOML.contains(from));
    let without = TWO_ALLIES_TOML.replacen(from, &format!("{from}west_border = false\n"), 1);
    let diags = BlocScenario::from_toml(&without).expect_err("refused");
    assert!(
        diags
            .iter()
            .any(|d| d.summary().contains("west_border has no source")),
        "{diags:?}"
    );
    let with = TWO_ALLIES_TOML.replacen(
        from,
        &format!("{from}west_border = false\nwest_border_source = \"estimate: illustrative\"\n"),
        1,
    );
    let s = BlocScenario::from_toml(&with).expect("a sourced border is read");
    assert_eq!(s.countries[0].west_border, Some(false));
    assert!(!s.countries[0].borders_west());
}

/// Issue #16 item 7: every class is reached on the small two-allies scenario with settings
/// made for it (the class order itself is tested in `outcome.rs`).
#[test]
fn each_class_is_reachable_on_a_small_scenario_made_for_it() {
    let cases: [(&[&str], &str, OutcomeClass); 5] = [
        // Reformers ahead at the start: a concession with no crisis before it.
        (&[], "NOR", OutcomeClass::Smooth),
        // Hard-liners and a low legitimacy: the crisis is met by repression.
        (&[], "SOU", OutcomeClass::Suppression),
        // A legitimate regime: nothing happens.
        (
            &["countries.SOU.legitimacy=0.95"],
            "SOU",
            OutcomeClass::Stable,
        ),
        // No repression at all and an opposition that gains fast: concessions under a crisis.
        (
            &[
                "countries.SOU.legitimacy=0.3",
                "decision.repression_below=5",
                "decision.lethal_below=0",
                "decision.mobilization_gain=50",
            ],
            "SOU",
            OutcomeClass::Leaps,
        ),
        // Disloyal forces under a lethal order: they defect and the regime falls.
        (
            &["countries.SOU.legitimacy=0.2", "security.base_loyalty=0.2"],
            "SOU",
            OutcomeClass::Eruption,
        ),
    ];
    for (sets, id, class) in cases {
        let sets: Vec<String> = sets.iter().map(ToString::to_string).collect();
        let text = apply_overrides(TWO_ALLIES_TOML, &sets).expect("the settings apply");
        let s = BlocScenario::from_toml(&text).expect("valid");
        let f = forecast(&s, 40, 5, 2, SeriesRequest::None);
        let c = f.countries.iter().find(|c| c.id == id).expect("country");
        assert!(
            c.outcomes[class] > 0.0,
            "{class:?} not reached in {id} with {sets:?}: {:?}",
            c.outcomes
        );
    }
}

/// Values that random scenarios vary, each with its schema range.
const KNOBS: &[(&str, f64, f64)] = &[
    ("cascade.signal_weight", 0.0, 3.0),
    ("cascade.risk_relief", 0.0, 1.0),
    ("exit.weekly_probability", 0.0, 1.0),
    ("exit.grievance_threshold", 0.0, 1.0),
    ("backlash.kill_probability", 0.0, 1.0),
    ("backlash.legitimacy_per_death", 0.0, 1.0),
    ("security.base_loyalty", 0.0, 1.0),
    ("security.repression_boost", 0.0, 10.0),
    ("security.defection_threshold", 0.0, 1.0),
    ("decision.mobilization_gain", 0.0, 50.0),
    ("centre.resolve", 0.0, 1.0),
    ("centre.intervention_boost", 0.0, 10.0),
    ("countries.NOR.legitimacy", 0.0, 1.0),
    ("countries.SOU.legitimacy", 0.0, 1.0),
    ("countries.SOU.cop_density", 0.0, 0.3),
    ("countries.NOR.hardship", -1.0, 1.0),
    ("countries.NOR.belief", 0.0, 1.0),
    ("countries.SOU.west_acceptance", 0.0, 1.0),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn random_valid_scenarios_never_panic(
        values in proptest::collection::vec(0.0f64..=1.0, KNOBS.len()),
        doctrine in 0usize..3,
        rule in 0usize..4,
        seed in 0u64..1000,
    ) {
        let mut sets: Vec<String> = KNOBS
            .iter()
            .zip(&values)
            .map(|((path, lo, hi), u)| format!("{path}={}", lo + (hi - lo) * u))
            .collect();
        let doctrines = ["when_regime_falls", "external_armed_interference_only", "never"];
        sets.push(format!("centre.doctrine=\"{}\"", doctrines[doctrine]));
        let rules = ["weighted_median", "weighted_mean", "bdm_round_table", "compromise_at_round_table"];
        sets.push(format!("decision.rule=\"{}\"", rules[rule]));
        let text = apply_overrides(TWO_ALLIES_TOML, &sets).unwrap();
        if let Ok(s) = BlocScenario::from_toml(&text) {
            check_run_invariants(&s, seed, 0, 30);
        }
    }
}

#[test]
fn with_every_mechanism_off_nothing_is_conceded_or_repressed() {
    // Regression (review of issue #5): the placeholder policy must not count as a concession.
    let mut s = two_allies();
    s.mechanisms = Mechanisms::none();
    s.events.clear();
    let f = forecast(&s, 16, 2, 1, SeriesRequest::None);
    for c in &f.countries {
        assert_eq!(
            c.outcomes[OutcomeClass::Stable],
            1.0,
            "{}: {:?}",
            c.id,
            c.outcomes
        );
        assert_eq!(c.party_in_power, 1.0);
        assert_eq!(c.first_concession.share, 0.0);
    }
}

#[test]
fn the_order_of_countries_in_the_file_does_not_matter() {
    let s = two_allies();
    let mut reversed = s.clone();
    reversed.countries.reverse();
    let a = forecast(&s, 24, 4, 2, SeriesRequest::None);
    let b = forecast(&reversed, 24, 4, 2, SeriesRequest::None);
    for c in &a.countries {
        let other = b.countries.iter().find(|x| x.id == c.id).unwrap();
        assert_eq!(
            serde_json::to_string(c).unwrap(),
            serde_json::to_string(other).unwrap(),
            "{}",
            c.id
        );
    }
}

/// Issue #16 item 5: believing the centre will not intervene never makes the bloc calmer.
/// Every ally's belief set to 0.1, 0.5 and 0.9 on the flagship (its positions stated under
/// the recorded beliefs, which the counterfactual keeps): the mean number of regimes fallen
/// must not rise with the belief (common random numbers, 200 runs; a tolerance of 0.02 for
/// Monte Carlo noise), and the lowest belief must bring more falls than the highest.
#[test]
fn the_response_to_belief_in_intervention_is_monotone() {
    let flagship = BlocScenario::eastern_europe_1989();
    let falls: Vec<f64> = [0.1, 0.5, 0.9]
        .iter()
        .map(|&b| {
            let mut s = flagship.clone();
            for c in &mut s.countries {
                c.belief.value = b;
            }
            forecast(&s, 200, 1989, 0, SeriesRequest::default())
                .bloc
                .regimes_fallen_mean
        })
        .collect();
    assert!(falls.windows(2).all(|w| w[1] <= w[0] + 0.02), "{falls:?}");
    assert!(falls[0] > falls[2], "{falls:?}");
}

#[test]
fn a_fall_alone_does_not_end_the_alliance_where_the_centres_troops_stay() {
    // Two allies whose regimes both fall on the same day: the new governments start at
    // alignment 0.4, under the file's threshold 0.5. North has the centre's troops and stays
    // a member; South has none and leaves (docs/model.md 2.7).
    let events = r#"
[[events]]
date = "2001-02-05"
country = "NOR"
kind = "regime_falls"
source = "test"

[[events]]
date = "2001-02-05"
country = "SOU"
kind = "regime_falls"
source = "test"
"#;
    let s = bloc_model::overrides::merge_events(&two_allies(), events).expect("valid events");
    assert!(s.countries[0].centre_troops.value > 0 && s.countries[1].centre_troops.value == 0);
    let mut sim = Simulation::new(&s, 11, 0, false);
    sim.run_from(0, &mut ());
    let run = sim.finish();
    let (north, south) = (&run.countries[0], &run.countries[1]);
    assert!(!north.party_in_power && !south.party_in_power);
    assert!(north.alliance_intact && !north.aligned, "{north:?}");
    assert!(
        !south.alliance_intact && south.left_alliance_week.is_some(),
        "{south:?}"
    );
}
