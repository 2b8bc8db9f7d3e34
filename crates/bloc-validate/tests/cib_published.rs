//! The CIB engine against the four published cases (data/cib/published).

use bloc_cib::published::case;
use bloc_cib::search::{SearchOptions, brute_force, consistent_scenarios};

#[test]
fn somewhereland_and_global_match_brute_force_and_published() {
    for name in ["somewhereland", "CIB_global"] {
        let (c, sys) = case(name).unwrap();
        for t in 0..=2 {
            let fast = consistent_scenarios(
                &sys,
                &SearchOptions {
                    tolerance: t,
                    ..Default::default()
                },
            )
            .unwrap();
            let slow = brute_force(&sys, t, &[]);
            assert_eq!(fast, slow, "{name} t={t}");
        }
        let fast = consistent_scenarios(&sys, &SearchOptions::default()).unwrap();
        let mut want = c.consistent.clone();
        want.sort();
        assert_eq!(fast, want, "{name}");
    }
}

#[test]
fn big_cases_match_published() {
    for name in ["bench_50x50", "CIB_nested"] {
        let (c, sys) = case(name).unwrap();
        let t0 = std::time::Instant::now();
        let fast = consistent_scenarios(&sys, &SearchOptions::default()).unwrap();
        eprintln!("{name}: {:?}", t0.elapsed());
        let mut want = c.consistent.clone();
        want.sort();
        assert_eq!(fast, want, "{name}");
    }
}

#[test]
fn every_published_cib_check_passes() {
    let checks = bloc_validate::cib::cib_checks();
    for c in &checks {
        eprintln!(
            "{} {}: {} / {}",
            if c.passed { "ok  " } else { "FAIL" },
            c.name,
            c.expected,
            c.got
        );
    }
    assert_eq!(checks.len(), 21);
    assert!(checks.iter().all(|c| c.passed));
}
