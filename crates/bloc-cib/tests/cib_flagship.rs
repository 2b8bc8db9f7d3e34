//! The shipped 1989 cross-impact matrix keeps its promises: every judged section has a
//! one-line justification and a confidence, every judgement group is standardised (sums to 0,
//! the CIB convention the file declares), and the memo's scenarios and outcomes are defined.

use bloc_cib::EASTERN_EUROPE_1989_CIB_TOML;
use bloc_cib::file::read_cib_toml;
use bloc_cib::search::{SearchOptions, consistent_scenarios};

#[test]
fn every_judgement_section_is_justified_and_standardised() {
    let doc = read_cib_toml(EASTERN_EUROPE_1989_CIB_TOML).expect("the shipped matrix reads");
    assert!(doc.file.judgements.len() >= 40);
    for (k, section) in doc.file.judgements.iter().enumerate() {
        let what = format!("judgements[{k}] {} -> {}", section.source, section.target);
        assert!(
            section.why.trim().len() >= 10,
            "{what} has no justification"
        );
        assert!(
            !section.why.contains('\n'),
            "{what}: the justification is one line"
        );
        assert!(section.confidence.is_some(), "{what} has no confidence");
        assert_ne!(section.source, section.target, "{what} judges itself");
        for row in &section.impacts {
            assert_eq!(
                row.iter().sum::<i32>(),
                0,
                "{what}: a judgement group does not sum to 0"
            );
        }
    }
    for d in &doc.file.descriptors {
        assert!(
            !d.description.trim().is_empty(),
            "descriptor {} has no description",
            d.id
        );
    }
    let classes: Vec<&str> = doc.classes.iter().map(|c| c.id.as_str()).collect();
    for memo in ["smooth", "leaps", "suppression", "eruption"] {
        assert!(
            classes.contains(&memo),
            "the memo's scenario {memo} has no rule"
        );
    }
    let outcomes: Vec<&str> = doc.outcomes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(outcomes, ["party_keeps_power", "alliance_survives"]);
}

#[test]
fn the_documented_consistent_sets() {
    // docs/cib-1989.md §4: 11 at tolerance 0, 75 at 1, 1,333 at 2; the best TIS is 65.
    let system = read_cib_toml(EASTERN_EUROPE_1989_CIB_TOML).unwrap().system;
    let count = |t| {
        consistent_scenarios(
            &system,
            &SearchOptions {
                tolerance: t,
                ..SearchOptions::default()
            },
        )
        .unwrap()
    };
    let t0 = count(0);
    assert_eq!(t0.len(), 11);
    assert_eq!(
        t0.iter().map(|z| system.total_impact_score(z)).max(),
        Some(65)
    );
    assert_eq!(count(1).len(), 75);
    assert_eq!(count(2).len(), 1333);
}
