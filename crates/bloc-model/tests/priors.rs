//! Priors in the scenario format: read, listed, shown in the parameter table, and refused
//! at their line and column when they do not fit.

use bloc_base::diagnostics::line_col;
use bloc_model::parameters::{parameter_table, sourced_values};
use bloc_model::sourced::Prior;
use bloc_model::{BlocScenario, EASTERN_EUROPE_1989_TOML};

const RESOLVE: &str = "resolve = { value = 0.3, ";

/// The flagship with `prior` written into the centre's resolve.
fn with_prior(prior: &str) -> String {
    assert!(EASTERN_EUROPE_1989_TOML.contains(RESOLVE));
    EASTERN_EUROPE_1989_TOML.replacen(RESOLVE, &format!("{RESOLVE}prior = {prior}, "), 1)
}

/// The one problem of `text`, as (line, column, message).
fn problem(text: &str) -> (usize, usize, String) {
    let diags = BlocScenario::from_toml(text).expect_err("refused");
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags.0[0];
    let (line, col) = line_col(text, d.span.start);
    (line, col, d.summary())
}

fn resolve_line() -> usize {
    EASTERN_EUROPE_1989_TOML[..EASTERN_EUROPE_1989_TOML.find(RESOLVE).unwrap()]
        .lines()
        .count()
        + 1
}

#[test]
fn a_prior_is_read_listed_and_shown() {
    let s = BlocScenario::from_toml(&with_prior("{ beta = [3, 7] }")).unwrap();
    let v = sourced_values(&s)
        .into_iter()
        .find(|v| v.path == "centre.resolve")
        .unwrap();
    assert_eq!(v.prior, Some(Prior::Beta(3.0, 7.0)));
    assert_eq!(v.location, "centre.resolve");
    assert!(
        parameter_table(&s).contains("| centre.resolve | 0.3 | beta(3, 7) | estimate:"),
        "the table shows the prior"
    );
    // A country's value is located by index, for the file, and named by id, for people.
    let gdr = sourced_values(&s)
        .into_iter()
        .find(|v| v.path == "countries.GDR.legitimacy")
        .unwrap();
    assert!(gdr.location.starts_with("countries[") && gdr.location.ends_with("].legitimacy"));
    assert_eq!(gdr.prior, None);
}

#[test]
fn a_prior_that_does_not_fit_its_type_is_refused_at_the_prior() {
    let line = resolve_line();
    let col = RESOLVE.len() + "prior = ".len() + 1;
    for (prior, says) in [
        ("{ uniform = [0.5, 1.5] }", "within the bounds [0, 1]"),
        (
            "{ normal = [0.8, -1] }",
            "standard deviation must be positive",
        ),
        ("{ beta = [0, 2] }", "first beta shape must be positive"),
        ("{ normal = [5, 0.1] }", "of its mass on the bounds"),
        (
            "{ beta = [8, 2], uniform = [0, 1] }",
            "2 keys (`beta`, `uniform`)",
        ),
        ("{}", "an empty table"),
    ] {
        let (l, c, message) = problem(&with_prior(prior));
        assert_eq!((l, c), (line, col), "{prior}: {message}");
        assert!(message.contains(says), "{prior}: {message}");
    }
}

#[test]
fn an_unknown_distribution_is_named_with_every_known_one() {
    let (_, _, message) = problem(&with_prior("{ betta = [8, 2] }"));
    assert!(
        message.contains("unknown key `betta`")
            && message.contains("`uniform`, `log_uniform`, `beta`, `normal`"),
        "{message}"
    );
    let (_, _, message) = problem(&with_prior("{ beta = [8] }"));
    assert!(message.contains("too few elements"), "{message}");
}

#[test]
fn a_value_outside_its_priors_support_is_refused_at_the_value() {
    let (line, col, message) = problem(&with_prior("{ uniform = [0.4, 0.6] }"));
    assert_eq!(
        (line, col),
        (resolve_line(), "resolve = { value = ".len() + 1)
    );
    assert!(message.contains("outside its prior's support"), "{message}");
}

#[test]
fn a_strategys_priors_are_checked_too() {
    let text = include_str!("../../../scenarios/strategies/brezhnev-doctrine.toml");
    let from = "resolve = { value = 0.9, ";
    assert!(text.contains(from));
    let bad = text.replacen(
        from,
        &format!("{from}prior = {{ normal = [50, 0.001] }}, "),
        1,
    );
    let diags =
        bloc_base::document::parse::<bloc_model::strategy::Strategy>(&bad).expect_err("refused");
    assert!(
        diags.iter().any(|d| d.path == "centre.resolve.prior"),
        "{diags:?}"
    );
    let good = text.replacen(from, &format!("{from}prior = {{ beta = [9, 1] }}, "), 1);
    assert!(bloc_base::document::parse::<bloc_model::strategy::Strategy>(&good).is_ok());
}
