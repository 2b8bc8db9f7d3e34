//! The hindcast's scoring and the doctrine counterfactual's bookkeeping, on synthetic runs
//! whose right answers are known, and the Granovetter checks.

use bloc_base::ensemble::EnsemblePlan;
use bloc_model::BlocScenario;
use bloc_model::config::Doctrine;
use bloc_model::outcome::OutcomeClass;
use bloc_model::paths::CountryPath;
use bloc_validate::doctrine::{Counterfactual, brezhnev_doctrine, doctrine_check, shares};
use bloc_validate::granovetter::{normal_crowd, uniform_crowd};
use bloc_validate::hindcast::{hindcast_checks, observed_outcomes, score};
use bloc_validate::record::Record;

fn path(class: OutcomeClass, fell_week: Option<i64>, alliance_intact: bool) -> CountryPath {
    CountryPath {
        class,
        party_in_power: fell_week.is_none(),
        alliance_intact,
        intervention: false,
        crisis: false,
        first_concession_week: None,
        fell_week,
        emigrants_by_checkpoint: 0.0,
        peak_protest_by_checkpoint: 0.0,
        peak_protest_week: 0,
        deaths: 0.0,
        emigrants: 0.0,
    }
}

fn plan(runs: u64) -> EnsemblePlan {
    EnsemblePlan {
        runs,
        master_seed: 1,
        threads: 1,
    }
}

#[test]
fn the_record_gives_the_observed_classes_falls_and_alliances() {
    let s = BlocScenario::eastern_europe_1989();
    let record = Record::load().unwrap();
    let observed = observed_outcomes(&s, &record);
    let get = |id: &str| observed.iter().find(|o| o.id == id).unwrap();
    assert_eq!(observed.len(), 6);
    assert_eq!(get("POL").class, OutcomeClass::Leaps);
    assert_eq!(get("BGR").class, OutcomeClass::Smooth);
    assert_eq!(get("ROU").class, OutcomeClass::Eruption);
    // Mazowiecki's government, 1989-08-24, is week 28 from 1989-02-06.
    assert_eq!(get("POL").fall_week, Some(28));
    assert!(!get("GDR").alliance_intact);
    assert!(get("CSK").alliance_intact);
    // The observed order of the falls: POL, HUN, GDR, CSK, ROU, BGR.
    let weeks: Vec<i64> = ["POL", "HUN", "GDR", "CSK", "ROU", "BGR"]
        .iter()
        .map(|id| get(id).fall_week.unwrap())
        .collect();
    assert!(weeks.windows(2).all(|w| w[0] < w[1]), "{weeks:?}");
}

#[test]
fn a_forecast_that_always_says_what_happened_scores_perfectly() {
    let s = BlocScenario::eastern_europe_1989();
    let record = Record::load().unwrap();
    let observed = observed_outcomes(&s, &record);
    let run: Vec<CountryPath> = s
        .countries
        .iter()
        .map(|c| {
            let o = observed.iter().find(|o| o.id == c.id).unwrap();
            path(o.class, o.fall_week, o.alliance_intact)
        })
        .collect();
    let paths = vec![run; 20];
    let h = score(&s, &record, plan(20), &paths);
    for c in &h.countries {
        assert_eq!(c.p_observed, 1.0);
        assert_eq!(c.rank, 1);
        assert_eq!(c.brier[0], 0.0);
        assert_eq!(c.fall.unwrap().1, 0.0, "CRPS of a sure, right date");
    }
    assert_eq!(h.fall_order, Some(1.0));
    assert_eq!(h.observed_pattern, 1.0);
    assert_eq!(h.romania_only_eruption, 1.0);
    let checks = hindcast_checks(&h);
    for c in checks
        .iter()
        .filter(|c| !c.name.contains("emigration") && !c.name.contains("leipzig"))
    {
        assert!(c.passed, "{c:?}");
    }
}

#[test]
fn a_forecast_that_nothing_happens_fails_the_hindcast() {
    let s = BlocScenario::eastern_europe_1989();
    let record = Record::load().unwrap();
    let run: Vec<CountryPath> = s
        .countries
        .iter()
        .map(|_| path(OutcomeClass::Stable, None, true))
        .collect();
    let h = score(&s, &record, plan(10), &vec![run; 10]);
    assert_eq!(h.fall_order, None, "no variation: undefined");
    let checks = hindcast_checks(&h);
    let failed = |name: &str| checks.iter().any(|c| c.name == name && !c.passed);
    assert!(failed("hindcast/brier-skill"));
    assert!(failed("hindcast/log-skill"));
    assert!(failed("hindcast/fall-order"));
    assert!(failed("hindcast/ROU-observed-class"));
    // The log score stays finite: half a count is added to every class.
    assert!(h.countries.iter().all(|c| c.log[0].is_finite()));
}

#[test]
fn the_counterfactual_changes_only_the_doctrine_resolve_and_beliefs() {
    let s = BlocScenario::eastern_europe_1989();
    let cf = brezhnev_doctrine(&s);
    assert_eq!(cf.centre.doctrine, Doctrine::WhenRegimeFalls);
    assert_eq!(cf.centre.resolve.value, 0.9);
    assert!(cf.countries.iter().all(|c| c.belief.value == 0.9));
    let mut back = cf.clone();
    back.centre.doctrine = s.centre.doctrine;
    back.centre.resolve = s.centre.resolve.clone();
    for (b, c) in back.countries.iter_mut().zip(&s.countries) {
        b.belief = c.belief.clone();
    }
    assert_eq!(back, s);
}

#[test]
fn pooled_shares_count_country_runs() {
    let mut crisis_suppressed = path(OutcomeClass::Suppression, None, true);
    crisis_suppressed.crisis = true;
    let mut crisis_conceded = path(OutcomeClass::Leaps, None, true);
    crisis_conceded.crisis = true;
    let calm = path(OutcomeClass::Stable, None, true);
    let sh = shares(&[
        vec![crisis_suppressed, crisis_conceded],
        vec![calm.clone(), calm],
    ]);
    assert_eq!(sh.crisis, 0.5);
    assert_eq!(sh.suppressed_given_crisis, 0.5);
    assert_eq!(sh.conceded_or_fell, 0.25);
    assert_eq!(sh.intervention, 0.0);
    assert_eq!(sh.fell, 0.0);
}

#[test]
fn granovetter_examples_are_reproduced_exactly() {
    let u = uniform_crowd();
    assert!(u.passed, "{u:?}");
    let n = normal_crowd();
    assert!(n.passed, "{n:?}");
}

#[test]
fn granovetter_cascade_breaks_where_the_paper_says() {
    use bloc_citizens::granovetter::{equilibrium_of_normal, equilibrium_of_thresholds};
    // Uniform thresholds 0..99 with the one at 1 moved to 2: only the instigator riots.
    let mut t: Vec<f64> = (0..100).map(f64::from).collect();
    assert_eq!(equilibrium_of_thresholds(&t).rioters, 100.0);
    t[1] = 2.0;
    assert_eq!(equilibrium_of_thresholds(&t).rioters, 1.0);
    // The normal crowd: few below the critical spread, everyone above it.
    assert!(equilibrium_of_normal(100.0, 25.0, 12.0).rioters < 6.0);
    assert!(equilibrium_of_normal(100.0, 25.0, 12.5).rioters > 99.0);
}

#[test]
fn the_doctrine_check_fails_when_the_doctrine_changes_nothing() {
    let mut crisis = path(OutcomeClass::Leaps, Some(30), false);
    crisis.crisis = true;
    let paths = vec![vec![crisis.clone(), path(OutcomeClass::Smooth, Some(40), false)]; 5];
    let same = shares(&paths);
    let unchanged = Counterfactual {
        default: same,
        doctrine: same,
        suppression: Vec::new(),
    };
    assert!(!doctrine_check(&unchanged).passed);
    let mut saved = crisis;
    saved.intervention = true;
    saved.party_in_power = true;
    saved.fell_week = None;
    let cf = shares(&vec![
        vec![
            saved,
            path(OutcomeClass::Smooth, Some(40), false)
        ];
        5
    ]);
    let shifted = Counterfactual {
        default: same,
        doctrine: cf,
        suppression: Vec::new(),
    };
    assert!(
        doctrine_check(&shifted).passed,
        "{:?}",
        doctrine_check(&shifted)
    );
}

#[test]
fn country_paths_describe_the_runs_bloc_forecast_counts() {
    use bloc_model::paths::country_paths;
    use bloc_model::simulate_bloc;
    let s = BlocScenario::from_toml(bloc_model::TWO_ALLIES_TOML).unwrap();
    let weeks = i64::from(s.scenario.weeks);
    let plan = EnsemblePlan {
        runs: 6,
        master_seed: 7,
        threads: 2,
    };
    let paths = country_paths(&s, plan, weeks, |_| {}).unwrap();
    for (i, run_paths) in paths.iter().enumerate() {
        let run = simulate_bloc(&s, 7, i as u64, false);
        for (p, r) in run_paths.iter().zip(&run.countries) {
            assert_eq!(p.class, r.class);
            assert_eq!(p.party_in_power, r.party_in_power);
            assert_eq!(p.fell_week, r.fell_week);
            assert_eq!(p.first_concession_week, r.first_concession_week);
            // At a checkpoint on the horizon, emigrants are the run's total.
            assert_eq!(p.emigrants_by_checkpoint, r.emigrants);
            assert!(p.peak_protest_by_checkpoint <= r.peak_protest + 1e-9);
        }
    }
}
