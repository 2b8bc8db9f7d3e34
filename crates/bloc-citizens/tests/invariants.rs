//! Property tests: random valid scenarios never panic, and the world's invariants hold at
//! every step (grids agree with agents; quiet + active + jailed = citizens).

use bloc_base::seeding::run_rng;
use bloc_citizens::epstein::World;
use bloc_citizens::epstein::config::*;
use proptest::prelude::*;

fn scenario() -> impl Strategy<Value = EpsteinScenario> {
    (
        (5u32..30, 5u32..30, 0.0f64..0.8, 0.0f64..0.2),
        (0.0f64..6.0, 0.0f64..6.0, 0.0f64..1.0, 0u32..20),
        (
            0usize..4,
            0usize..3,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        (any::<bool>(), 0u32..30, 0.0f64..1.0, 0.0f64..0.2),
    )
        .prop_map(
            |(
                (w, h, cd, pd),
                (cv, pv, l, j),
                (shape, ratio, keep, own, sync, act_first, moving),
                (bern, start, lv, cops),
            )| {
                let mut s = EpsteinScenario::paper_default();
                s.lattice = Lattice {
                    width: w,
                    height: h,
                };
                s.population.citizen_density = cd;
                s.population.cop_density = pd;
                s.population.placement = if bern {
                    Placement::Bernoulli
                } else {
                    Placement::Exact
                };
                let max_v = f64::from((w.min(h) - 1) / 2);
                s.citizens.vision = cv.min(max_v).max(1.0_f64.min(max_v));
                s.cops.vision = pv.min(max_v);
                s.citizens.legitimacy = l;
                s.citizens.max_jail_term = j;
                s.variant = Variant {
                    neighbourhood: [
                        Neighbourhood::Cross,
                        Neighbourhood::Diamond,
                        Neighbourhood::Disc,
                        Neighbourhood::Square,
                    ][shape],
                    arrest_ratio: [ArrestRatio::Exact, ArrestRatio::Round, ArrestRatio::Floor]
                        [ratio],
                    jail: if keep {
                        JailPlacement::KeepCell
                    } else {
                        JailPlacement::Removed
                    },
                    jail_countdown: if own {
                        JailCountdown::OwnTurn
                    } else {
                        JailCountdown::EndOfStep
                    },
                    update: if sync {
                        UpdateSchedule::Synchronous
                    } else {
                        UpdateSchedule::RandomSequential
                    },
                    turn: if act_first {
                        TurnOrder::ActThenMove
                    } else {
                        TurnOrder::MoveThenAct
                    },
                    movement: moving && s.citizens.vision >= 1.0,
                    self_count: if act_first {
                        SelfCount::TwiceIfActive
                    } else {
                        SelfCount::Once
                    },
                    arrest_move: if keep {
                        ArrestMove::Stay
                    } else {
                        ArrestMove::ToArrestee
                    },
                };
                s.ensemble.steps = 40;
                s.legitimacy_schedule = vec![LegitimacyChange {
                    start: start.min(39),
                    ramp_steps: 5,
                    value: lv,
                }];
                s.cop_schedule = vec![CopChange {
                    start: 10,
                    ramp_steps: 10,
                    density: cops.min(1.0 - cd),
                }];
                s
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_valid_scenarios_keep_their_invariants(s in scenario(), seed in any::<u64>()) {
        prop_assume!(EpsteinScenario::from_toml(&toml::to_string(&s).unwrap()).is_ok());
        let mut rng = run_rng(seed, 0);
        let mut world = World::new(&s, &mut rng);
        let citizens = world.citizens().len() as u32;
        world.check_invariants().map_err(TestCaseError::fail)?;
        for _ in 0..40 {
            let c = world.step(&mut rng);
            prop_assert_eq!(c.quiet + c.active + c.jailed, citizens);
            world.check_invariants().map_err(TestCaseError::fail)?;
            prop_assert!((0.0..=1.0).contains(&world.legitimacy()));
        }
    }
}
