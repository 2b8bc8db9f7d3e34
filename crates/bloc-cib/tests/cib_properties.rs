//! Properties of the CIB engine on random systems: the branch-and-bound search equals brute
//! force (any tolerance, fixed descriptors, islands on or off, any thread count), the
//! invariance operations IO-1..IO-4 keep the tolerance-0 set, and succession's fixed points
//! are the consistent scenarios.

use bloc_cib::search::{SearchOptions, brute_force, consistent_scenarios, count_consistent};
use bloc_cib::succession::{Attractor, Starts, SuccessionRule, basins};
use bloc_cib::system::{CibSystem, Descriptor};
use bloc_cib::transform;
use proptest::prelude::*;

/// A random system: 2-6 descriptors of 2-4 variants, cells in -3..=3, some sections empty
/// (so that islands occur), some judgement groups constant and non-zero (they link no
/// islands but shift balances), self-impacts allowed.
fn system() -> impl Strategy<Value = CibSystem> {
    prop::collection::vec(2usize..=4, 2..=6).prop_flat_map(|counts| {
        let total: usize = counts.iter().sum();
        let n = counts.len();
        (
            Just(counts),
            prop::collection::vec(-3i32..=3, total * total),
            prop::collection::vec(prop::bool::weighted(0.6), n * n),
            prop::collection::vec(prop::bool::weighted(0.2), total),
        )
            .prop_map(|(counts, cells, judged, constant_rows)| {
                let n = counts.len();
                let descriptors: Vec<Descriptor> = counts
                    .iter()
                    .enumerate()
                    .map(|(j, &c)| {
                        let names: Vec<String> = (0..c).map(|k| format!("v{k}")).collect();
                        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                        Descriptor::named(format!("d{j}"), &refs)
                    })
                    .collect();
                let total: usize = counts.iter().sum();
                let mut cells = cells;
                // A constant row: every cell of the row equal to its first cell in that section.
                let offsets: Vec<usize> = counts
                    .iter()
                    .scan(0, |a, c| {
                        let o = *a;
                        *a += c;
                        Some(o)
                    })
                    .collect();
                for (r, &constant) in constant_rows.iter().enumerate() {
                    if constant {
                        for j in 0..n {
                            let first = cells[r * total + offsets[j]];
                            for l in 0..counts[j] {
                                cells[r * total + offsets[j] + l] = first;
                            }
                        }
                    }
                }
                let mut s = CibSystem::new("random", descriptors, cells).unwrap();
                for i in 0..n {
                    for j in 0..n {
                        if !judged[i * n + j] {
                            for k in 0..counts[i] {
                                for l in 0..counts[j] {
                                    s.set_cell(i, k, j, l, 0);
                                }
                            }
                        }
                    }
                }
                s
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn search_equals_brute_force(s in system(), tolerance in 0i32..=3, islands: bool, fix in prop::collection::vec(any::<(prop::sample::Index, u8)>(), 0..=2)) {
        let n = s.descriptor_count();
        let mut fixed = vec![None; n];
        for (idx, v) in fix {
            let j = idx.index(n);
            fixed[j] = Some(v % s.variant_count(j) as u8);
        }
        let opts = SearchOptions { tolerance, fixed: fixed.clone(), islands, threads: 1 };
        let fast = consistent_scenarios(&s, &opts).unwrap();
        let slow = brute_force(&s, tolerance, &fixed);
        prop_assert_eq!(&fast, &slow);
        let count = count_consistent(&s, &opts, &|_, _| {}).unwrap().count;
        prop_assert_eq!(count, slow.len().into());
        let parallel = consistent_scenarios(&s, &SearchOptions { threads: 2, ..opts }).unwrap();
        prop_assert_eq!(fast, parallel);
    }

    #[test]
    fn invariance_operations_keep_the_consistent_set(s in system(), c in 1i32..=4, pick in any::<(prop::sample::Index, prop::sample::Index)>()) {
        let n = s.descriptor_count();
        let j = pick.0.index(n);
        let i = (j + 1 + pick.1.index(n - 1)) % n;
        let want = brute_force(&s, 0, &[]);
        for changed in [
            transform::add_to_group(&s, i, 0, j, c),
            transform::add_to_group(&s, i, 1, j, -c),
            transform::scale_target(&s, j, c),
            transform::scale_matrix(&s, c),
            transform::move_between_groups(&s, i, 0, 1, j, c),
        ] {
            prop_assert_eq!(&consistent_scenarios(&changed, &SearchOptions::default()).unwrap(), &want);
        }
    }

    #[test]
    fn fixed_points_of_succession_are_the_consistent_scenarios(s in system(), fix in any::<Option<(prop::sample::Index, u8)>>()) {
        let n = s.descriptor_count();
        let mut fixed = vec![None; n];
        if let Some((idx, v)) = fix {
            let j = idx.index(n);
            fixed[j] = Some(v % s.variant_count(j) as u8);
        }
        let want = brute_force(&s, 0, &fixed);
        let free_space: u128 = (0..n).filter(|&j| fixed[j].is_none()).map(|j| s.variant_count(j) as u128).product();
        for rule in [SuccessionRule::Global, SuccessionRule::Adiabatic] {
            let report = basins(&s, rule, &fixed, Starts::All).unwrap();
            let fixed_points: Vec<_> = report.basins.iter().filter_map(|b| match &b.attractor {
                Attractor::FixedPoint { scenario } => Some(scenario.clone()),
                Attractor::Cycle { .. } => None,
            }).collect();
            prop_assert_eq!(&fixed_points, &want);
            prop_assert_eq!(report.basins.iter().map(|b| b.weight).sum::<u64>() as u128, free_space);
        }
    }
}

/// A control: an operation outside IO-1..IO-4 (adding a constant to one cell only) does
/// change the consistent set of a published case, so the invariance check can fail.
#[test]
fn a_non_invariant_change_is_detected() {
    let (_, s) = bloc_cib::published::case("somewhereland").unwrap();
    let want = consistent_scenarios(&s, &SearchOptions::default()).unwrap();
    let mut changed = s.clone();
    changed.set_cell(0, 0, 1, 0, s.cell(0, 0, 1, 0) + 3);
    assert_ne!(
        consistent_scenarios(&changed, &SearchOptions::default()).unwrap(),
        want
    );
}
