//! The CIB features beyond the consistent set, each against an independent computation:
//! ensembles (mean rule with its K·t tolerance, quorum, mismatched members refused),
//! judgement uncertainty (σ = 0 gives the base set in every draw; threads do not matter),
//! bloc's TOML format (every problem located), and succession with fixed descriptors.

use bloc_base::diagnostics::line_col;
use bloc_cib::ensemble::{Combination, EnsembleError, ensemble_consistent};
use bloc_cib::file::read_cib_toml;
use bloc_cib::published::case;
use bloc_cib::search::{SearchError, SearchOptions, brute_force, consistent_scenarios};
use bloc_cib::succession::{Attractor, Starts, SuccessionRule, basins, follow};
use bloc_cib::system::{CibSystem, Descriptor};
use bloc_cib::uncertainty::{UncertaintyPlan, judgement_uncertainty, section_sigmas};
use std::collections::BTreeMap;

fn somewhereland() -> CibSystem {
    case("somewhereland").unwrap().1
}

/// Somewhereland with one judgement group changed, as a second expert's matrix.
fn second_expert() -> CibSystem {
    let mut s = somewhereland();
    for (l, v) in [(0, 1), (1, -2), (2, 1)] {
        s.set_cell(0, 0, 1, l, v);
    }
    s
}

#[test]
fn ensemble_mean_is_the_mean_matrix_at_every_tolerance() {
    let members = [somewhereland(), second_expert()];
    for t in 0..=2 {
        let options = SearchOptions {
            tolerance: t,
            ..SearchOptions::default()
        };
        let got: Vec<_> = ensemble_consistent(&members, Combination::Mean, &options)
            .unwrap()
            .into_iter()
            .map(|e| e.scenario)
            .collect();
        // The mean matrix's set by brute force: IC(mean) <= t, i.e. IC(sum) <= 2t, checked
        // on every scenario with the sum's balances halved in exact rational arithmetic.
        let a = &members[0];
        let b = &members[1];
        let want: Vec<_> = brute_force(a, i32::MAX, &[])
            .into_iter()
            .filter(|z| {
                let (ba, bb) = (a.balances(z), b.balances(z));
                ba.iter().zip(&bb).zip(z).all(|((x, y), &v)| {
                    let sum: Vec<i32> = x.iter().zip(y).map(|(p, q)| p + q).collect();
                    let best = *sum.iter().max().unwrap();
                    // (best - chosen) / 2 <= t
                    best - sum[usize::from(v)] <= 2 * t
                })
            })
            .collect();
        assert_eq!(got, want, "t={t}");
    }
}

#[test]
fn ensemble_quorum_counts_members() {
    let members = [somewhereland(), second_expert()];
    let a = consistent_scenarios(&members[0], &SearchOptions::default()).unwrap();
    let b = consistent_scenarios(&members[1], &SearchOptions::default()).unwrap();
    let both: Vec<_> = a.iter().filter(|z| b.contains(z)).cloned().collect();
    let mut any: Vec<_> = a.iter().chain(&b).cloned().collect();
    any.sort();
    any.dedup();
    assert_ne!(a, b, "the second expert must differ");
    let q = |k| -> Vec<_> {
        ensemble_consistent(&members, Combination::Quorum(k), &SearchOptions::default())
            .unwrap()
            .into_iter()
            .map(|e| e.scenario)
            .collect()
    };
    assert_eq!(q(2), both);
    assert_eq!(q(1), any);
    assert!(matches!(
        ensemble_consistent(&members, Combination::Quorum(3), &SearchOptions::default()),
        Err(EnsembleError::Quorum { .. })
    ));
}

#[test]
fn a_member_with_reordered_variants_is_refused() {
    let mut d = somewhereland().descriptors().to_vec();
    d[1].variant_ids.swap(0, 1);
    d[1].variant_names.swap(0, 1);
    let reordered = CibSystem::new("reordered", d, somewhereland().matrix().to_vec()).unwrap();
    let err = ensemble_consistent(
        &[somewhereland(), reordered],
        Combination::Mean,
        &SearchOptions::default(),
    );
    assert!(
        matches!(err, Err(EnsembleError::Mismatch { member: 2, .. })),
        "{err:?}"
    );
}

fn plan(system: &CibSystem, sigma: Option<f64>, steps: i32, threads: usize) -> UncertaintyPlan {
    UncertaintyPlan {
        sigma: section_sigmas(system, &BTreeMap::new(), sigma),
        scale: (-3, 3),
        draws: 30,
        seed: 5,
        tolerance: 0,
        steps,
        fixed: Vec::new(),
        threads,
    }
}

#[test]
fn uncertainty_without_noise_is_the_base_set_in_every_draw() {
    let s = somewhereland();
    let base = consistent_scenarios(&s, &SearchOptions::default()).unwrap();
    for steps in [1, 100] {
        let r = judgement_uncertainty(&s, &plan(&s, Some(0.0), steps, 1), &|_| {}).unwrap();
        assert_eq!(r.scenarios.len(), base.len());
        assert!(r.scenarios.iter().all(|f| f.draws == 30 && f.in_base));
        assert_eq!((r.count_min, r.count_max), (base.len(), base.len()));
    }
}

#[test]
fn uncertainty_does_not_depend_on_threads_and_noise_moves_the_set() {
    let s = somewhereland();
    let one = judgement_uncertainty(&s, &plan(&s, Some(1.0), 1, 1), &|_| {}).unwrap();
    let two = judgement_uncertainty(&s, &plan(&s, Some(1.0), 1, 2), &|_| {}).unwrap();
    assert_eq!(one, two);
    assert!(
        one.scenarios.iter().any(|f| f.draws < 30),
        "σ = 1 changes some draw"
    );
    let too_big = UncertaintyPlan {
        tolerance: i32::MAX / 2,
        steps: 100,
        ..plan(&s, Some(1.0), 100, 1)
    };
    assert!(matches!(
        judgement_uncertainty(&s, &too_big, &|_| {}),
        Err(SearchError::Overflow)
    ));
}

const SMALL: &str = r#"[cib]
kind = "cib"
name = "two"

[[descriptors]]
id = "a"
name = "A"
variants = [{ id = "a1", name = "A1" }, { id = "a2", name = "A2" }]

[[descriptors]]
id = "b"
name = "B"
variants = [{ id = "b1", name = "B1" }, { id = "b2", name = "B2" }]

[[judgements]]
source = "a"
target = "b"
why = "a test"
impacts = [[2, -2], [-2, 2]]

[[judgements]]
source = "b"
target = "a"
impacts = [[1, -1], [-1, 1]]

[[classes]]
id = "agree"
name = "A and B agree"
when = { a = ["a1"], b = ["b1"] }
or_when = [{ a = ["a2"], b = ["b2"] }]
"#;

#[test]
fn the_toml_format_reads_and_locates_its_problems() {
    let doc = read_cib_toml(SMALL).unwrap();
    let all = consistent_scenarios(&doc.system, &SearchOptions::default()).unwrap();
    assert_eq!(all, vec![vec![0, 0], vec![1, 1]]);
    assert!(all.iter().all(|z| doc.classes[0].holds(&doc.system, z)));
    assert!(!doc.classes[0].holds(&doc.system, &[0, 1]));
    let cases = [
        (
            SMALL.replacen("[[2, -2], [-2, 2]]", "[[2, -2], [-2, 9]]", 1),
            "9 is outside the scale",
            "[-2, 9]",
        ),
        (
            SMALL.replacen("target = \"b\"", "target = \"c\"", 1),
            "unknown descriptor 'c'",
            "\"c\"",
        ),
        (
            SMALL.replacen("[[1, -1], [-1, 1]]", "[[1, -1]]", 1),
            "too few elements",
            "[[1, -1]]",
        ),
        (
            SMALL.replacen("[[1, -1], [-1, 1]]", "[[1, -1], [-1]]", 1),
            "1 values",
            "[-1]]",
        ),
        (
            SMALL.replacen("id = \"b\"", "id = \"a\"", 1),
            "descriptor id 'a' is used twice",
            "\"a\"\nname = \"B\"",
        ),
        (
            SMALL.replacen("b = [\"b1\"] }", "b = [\"b3\"] }", 1),
            "'b' has no variant 'b3'",
            "\"b3\"",
        ),
    ];
    for (text, message, at) in cases {
        let diags = read_cib_toml(&text)
            .err()
            .unwrap_or_else(|| panic!("{message}: must fail"));
        let d = diags
            .iter()
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("{message}: {diags:?}"));
        // The problem points at the offending value.
        let expected_offset = text.rfind(at).unwrap();
        let line = line_col(&text, d.span.start).0;
        let want_line = line_col(&text, expected_offset).0;
        assert_eq!(
            line,
            want_line,
            "{message}: at {:?}",
            line_col(&text, d.span.start)
        );
    }
}

#[test]
fn succession_keeps_fixed_descriptors_and_ends_in_their_consistent_scenarios() {
    let s = somewhereland();
    for v in 0..3u8 {
        let fixed = vec![Some(v), None, None, None, None, None];
        let consistent = consistent_scenarios(
            &s,
            &SearchOptions {
                fixed: fixed.clone(),
                ..SearchOptions::default()
            },
        )
        .unwrap();
        let report = basins(&s, SuccessionRule::Adiabatic, &fixed, Starts::All).unwrap();
        assert_eq!(report.starts, 162);
        let fixed_points: Vec<_> = report
            .basins
            .iter()
            .filter_map(|b| match &b.attractor {
                Attractor::FixedPoint { scenario } => Some(scenario.clone()),
                Attractor::Cycle { .. } => None,
            })
            .collect();
        assert!(
            fixed_points
                .iter()
                .all(|z| z[0] == v && consistent.contains(z))
        );
        let path = follow(&s, &[v, 0, 0, 0, 0, 0], SuccessionRule::Global, &fixed);
        assert!(path.steps.iter().all(|z| z[0] == v));
    }
}

#[test]
fn descriptors_must_have_two_variants() {
    let d = vec![
        Descriptor::named("a", &["x"]),
        Descriptor::named("b", &["y", "z"]),
    ];
    assert!(CibSystem::new("bad", d, vec![0; 9]).is_err());
}
