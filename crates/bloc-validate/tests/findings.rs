//! Epstein's (2002) qualitative findings of Model I, as statistical tests over seeds under
//! the paper's own reading of the rules (the embedded default). Each can fail: the
//! thresholds are stated in `bloc_validate` and were fixed before the runs.

use bloc_citizens::epstein::EpsteinScenario;

#[test]
fn punctuated_equilibrium() {
    let c = bloc_validate::punctuated_equilibrium(&EpsteinScenario::paper_default(), 30, 1000, 0)
        .expect("a thread pool");
    assert!(
        c.passed,
        "{} expected {}; got {}",
        c.name, c.expected, c.got
    );
}

#[test]
fn a_sudden_drop_of_legitimacy_gives_an_outburst_a_gradual_one_does_not() {
    let c = bloc_validate::legitimacy_drop(&EpsteinScenario::paper_default(), 30, 0)
        .expect("a thread pool");
    assert!(
        c.passed,
        "{} expected {}; got {}",
        c.name, c.expected, c.got
    );
}

#[test]
fn fewer_cops_give_larger_outbursts() {
    let c = bloc_validate::fewer_cops(&EpsteinScenario::paper_default(), 30, 500, 0)
        .expect("a thread pool");
    assert!(
        c.passed,
        "{} expected {}; got {}",
        c.name, c.expected, c.got
    );
}

/// The checks are not vacuous: with legitimacy so high that no one has a grievance above
/// the threshold, there is no punctuated equilibrium, and the check says so.
#[test]
fn the_punctuated_equilibrium_check_fails_on_a_society_without_grievance() {
    let mut s = EpsteinScenario::paper_default();
    s.citizens.legitimacy = 0.95;
    let c = bloc_validate::punctuated_equilibrium(&s, 10, 300, 0).expect("a thread pool");
    assert!(!c.passed, "{}", c.got);
}
