//! Strategy files and `compare`: problems located in the strategy file, what a strategy
//! changes, thread independence, and common random numbers narrowing the paired intervals.

use bloc_base::ensemble::EnsemblePlan;
use bloc_model::config::Doctrine;
use bloc_model::strategy::apply_strategy;
use bloc_model::strategy::compare::{Candidate, Metric, Objective, compare};
use bloc_model::{BlocScenario, TWO_ALLIES_TOML};

const HEADER: &str = "[strategy]\nkind = \"strategy\"\nname = \"s\"\n";

fn two_allies() -> BlocScenario {
    BlocScenario::from_toml(TWO_ALLIES_TOML).unwrap()
}

fn candidate(s: &BlocScenario, text: &str) -> Candidate {
    let (strategy, scenario) = apply_strategy(s, text).unwrap();
    Candidate {
        name: strategy.strategy.name,
        description: String::new(),
        scenario,
        reactions: strategy.reactions,
        draws: None,
    }
}

#[test]
fn a_strategy_sets_the_centre_and_adds_levers_to_the_schedule() {
    let s = two_allies();
    let text = format!(
        "{HEADER}\n[centre]\ndoctrine = \"never\"\nbelief = {{ value = 0.1, source = \"estimate: t\" }}\n\n[[lever_schedule]]\nlever = \"debt_relief\"\ncountry = \"NOR\"\nstart = \"{}\"\nweeks = 10\nintensity = 0.5\nsource = \"t\"\n",
        s.scenario.start
    );
    let (_, applied) = apply_strategy(&s, &text).unwrap();
    assert_eq!(applied.centre.doctrine, Doctrine::Never);
    assert!(applied.countries.iter().all(|c| c.belief.value == 0.1));
    assert_eq!(applied.lever_schedule.len(), s.lever_schedule.len() + 1);
    assert_eq!(applied.centre.resolve, s.centre.resolve, "unset: unchanged");
}

#[test]
fn problems_are_located_in_the_strategy_file() {
    let s = two_allies();
    let text = format!(
        "{HEADER}\n[[lever_schedule]]\nlever = \"debt_relief\"\ncountry = \"NORTH\"\nstart = \"1989-13-01\"\nweeks = 10\nintensity = 0.5\nsource = \"t\"\n"
    );
    let d = apply_strategy(&s, &text).unwrap_err();
    let shown = format!("{d:?}");
    assert!(shown.contains("NORTH"), "{shown}");
    assert!(shown.contains("not a calendar date"), "{shown}");
    // Line 7 holds the country: the problem is reported there, not in the scenario.
    let lines: Vec<usize> =
        d.0.iter()
            .map(|p| bloc_base::diagnostics::line_col(&text, p.span.start).0)
            .collect();
    assert!(lines.contains(&7), "{lines:?}");
    // Out-of-range intensity and an unknown key are caught by the schema.
    let bad = format!("{HEADER}\n[centre]\nresolv = 0.3\n");
    assert!(apply_strategy(&s, &bad).is_err());
    let bad = format!(
        "{HEADER}\n[[lever_schedule]]\nlever = \"debt_relief\"\ncountry = \"NOR\"\nstart = \"2001-01-01\"\nweeks = 10\nintensity = 1.5\nsource = \"t\"\n"
    );
    let d = apply_strategy(&s, &bad).expect_err("refused");
    assert!(d.iter().all(|p| p.path.ends_with("intensity")), "{d:?}");
}

fn plan(threads: usize) -> EnsemblePlan {
    EnsemblePlan {
        runs: 60,
        master_seed: 11,
        threads,
    }
}

fn candidates() -> Vec<Candidate> {
    let s = two_allies();
    let base = candidate(&s, HEADER);
    let mut relief = candidate(
        &s,
        &format!(
            "[strategy]\nkind = \"strategy\"\nname = \"relief\"\n\n[[lever_schedule]]\nlever = \"debt_relief\"\ncountry = \"all\"\nstart = \"{}\"\nweeks = 40\nintensity = 1.0\nsource = \"t\"\n",
            s.scenario.start
        ),
    );
    relief.name = "relief".into();
    vec![base, relief]
}

#[test]
fn comparisons_do_not_depend_on_threads() {
    let c = candidates();
    let o = Objective::default();
    let one = compare(&c, plan(1), &o, |_, _| {}).unwrap();
    let two = compare(&c, plan(2), &o, |_, _| {}).unwrap();
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap()
    );
}

#[test]
fn a_strategy_compared_with_itself_differs_by_exactly_zero() {
    let s = two_allies();
    let c = vec![candidate(&s, HEADER), candidate(&s, HEADER)];
    let r = compare(&c, plan(2), &Objective::default(), |_, _| {}).unwrap();
    let d = r[1].score_difference.unwrap();
    assert_eq!(d.mean, 0.0);
    assert_eq!(
        d.paired,
        [0.0, 0.0],
        "common random numbers: identical runs"
    );
    assert!(d.unpaired[1] > 0.0 || r[0].score.hi == r[0].score.lo);
}

#[test]
fn common_random_numbers_make_paired_intervals_no_wider_than_unpaired() {
    let c = candidates();
    let r = compare(&c, plan(2), &Objective::default(), |_, _| {}).unwrap();
    let width = |x: [f64; 2]| x[1] - x[0];
    let d = r[1].score_difference.unwrap();
    assert!(
        width(d.paired) <= width(d.unpaired),
        "score: paired {:?} vs unpaired {:?}",
        d.paired,
        d.unpaired
    );
    let party = r[1].bloc_differences.as_ref().unwrap()[&Metric::Party];
    assert!(width(party.paired) <= width(party.unpaired) + 1e-12);
}

#[test]
fn a_reaction_rule_fires_once_and_its_levers_cost_money() {
    let s = two_allies();
    let with_rule = format!(
        "{HEADER}\n[[reactions]]\nname = \"relief-on-protest\"\nwhen = {{ kind = \"protest_above\", country = \"any\", people = 0.0 }}\nlevers = [{{ lever = \"debt_relief\", country = \"trigger\", weeks = 10, intensity = 1.0 }}]\n"
    );
    let c = vec![candidate(&s, HEADER), candidate(&s, &with_rule)];
    let r = compare(&c, plan(2), &Objective::default(), |_, _| {}).unwrap();
    // Debt relief costs 1 a week at full intensity: 10 weeks, paid while the budget lasts.
    let extra = r[1].cost - r[0].cost;
    assert!(extra > 0.0 && extra <= 10.0 + 1e-9, "extra cost {extra}");
    // A rule naming an unknown country is located in the strategy file.
    let bad = with_rule.replace("country = \"any\"", "country = \"NORD\"");
    let d = apply_strategy(&s, &bad).unwrap_err();
    assert!(format!("{d:?}").contains("NORD"));
}
