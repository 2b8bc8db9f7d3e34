//! The same ensemble in thread pools of 1, 2 and 4 threads gives bit-identical results.

use bloc_base::ensemble::EnsemblePlan;
use bloc_citizens::epstein::ensemble::run_epstein_ensemble;
use bloc_citizens::epstein::{EpsteinScenario, MESA_SCENARIO_TOML};

fn fingerprint(scenario: &EpsteinScenario, threads: usize) -> (String, String) {
    let plan = EnsemblePlan {
        runs: 24,
        master_seed: 77,
        threads,
    };
    let r = run_epstein_ensemble(scenario, plan, 120, true, |_| {}).unwrap();
    let bands = serde_json::to_string(&r.step_bands()).unwrap();
    let runs = serde_json::to_string(&(&r.summaries, &r.series)).unwrap();
    (bands, runs)
}

#[test]
fn ensembles_are_bit_identical_across_thread_counts() {
    for scenario in [
        EpsteinScenario::paper_default(),
        EpsteinScenario::from_toml(MESA_SCENARIO_TOML).unwrap(),
    ] {
        let one = fingerprint(&scenario, 1);
        assert_eq!(one, fingerprint(&scenario, 2), "2 threads differ from 1");
        assert_eq!(one, fingerprint(&scenario, 4), "4 threads differ from 1");
    }
}

#[test]
fn a_different_master_seed_gives_a_different_ensemble() {
    let s = EpsteinScenario::paper_default();
    let a = run_epstein_ensemble(
        &s,
        EnsemblePlan {
            runs: 4,
            master_seed: 1,
            threads: 1,
        },
        100,
        true,
        |_| {},
    )
    .unwrap();
    let b = run_epstein_ensemble(
        &s,
        EnsemblePlan {
            runs: 4,
            master_seed: 2,
            threads: 1,
        },
        100,
        true,
        |_| {},
    )
    .unwrap();
    assert_ne!(a.series, b.series);
}

/// NetLogo's two quirks are live settings: each changes the runs.
#[test]
fn netlogo_self_count_and_arrest_move_change_the_runs() {
    use bloc_citizens::epstein::NETLOGO_SCENARIO_TOML;
    use bloc_citizens::epstein::config::{ArrestMove, SelfCount};
    let netlogo = EpsteinScenario::from_toml(NETLOGO_SCENARIO_TOML).unwrap();
    let series = |s: &EpsteinScenario| {
        run_epstein_ensemble(
            s,
            EnsemblePlan {
                runs: 3,
                master_seed: 5,
                threads: 1,
            },
            100,
            true,
            |_| {},
        )
        .unwrap()
        .series
    };
    let base = series(&netlogo);
    let mut once = netlogo.clone();
    once.variant.self_count = SelfCount::Once;
    assert_ne!(series(&once), base);
    let mut stay = netlogo.clone();
    stay.variant.arrest_move = ArrestMove::Stay;
    assert_ne!(series(&stay), base);
}
