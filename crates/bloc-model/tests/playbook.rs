//! Playbooks: triggers and reactions read with their problems located, branching that is
//! reproducible and paired (a reaction that changes nothing has an effect of exactly zero),
//! and results independent of the thread count.

use bloc_base::ensemble::EnsemblePlan;
use bloc_model::strategy::compare::Objective;
use bloc_model::strategy::playbook::{read_playbook, run_playbook};
use bloc_model::{BlocScenario, TWO_ALLIES_TOML};

fn two_allies() -> BlocScenario {
    BlocScenario::from_toml(TWO_ALLIES_TOML).unwrap()
}

const PLAYBOOK: &str = r#"[playbook]
kind = "playbook"
name = "test"

[[triggers]]
name = "protest"
when = { kind = "protest_above", country = "any", people = 0.0 }

[[triggers]]
name = "never"
when = { kind = "protest_above", country = "NOR", people = 1e15 }

[[reactions]]
name = "nothing"
levers = [{ lever = "leadership_contacts", country = "trigger", weeks = 4, intensity = 0.0 }]

[[reactions]]
name = "relief"
levers = [{ lever = "debt_relief", country = "all", weeks = 20, intensity = 1.0 }]
"#;

fn plan(threads: usize) -> EnsemblePlan {
    EnsemblePlan {
        runs: 12,
        master_seed: 5,
        threads,
    }
}

#[test]
fn problems_are_located_in_the_playbook_file() {
    let s = two_allies();
    let bad = PLAYBOOK
        .replace("country = \"NOR\"", "country = \"NORD\"")
        .replace("name = \"relief\"", "name = \"nothing\"");
    let d = read_playbook(&s, &bad).unwrap_err();
    let text = format!("{d:?}");
    assert!(
        text.contains("NORD") && text.contains("did you mean"),
        "{text}"
    );
    assert!(text.contains("a second reaction named"), "{text}");
    let unknown_kind = PLAYBOOK.replace(
        "protest_above\", country = \"any\"",
        "protest\", country = \"any\"",
    );
    assert!(read_playbook(&s, &unknown_kind).is_err());
    let no_lever = PLAYBOOK.replace("lever = \"debt_relief\"", "lever = \"troop_withdrawal\"");
    let d = read_playbook(&s, &no_lever).unwrap_err();
    assert!(format!("{d:?}").contains("no [levers.troop_withdrawal]"));
}

#[test]
fn a_reaction_that_changes_nothing_has_exactly_zero_effect() {
    let s = two_allies();
    let pb = read_playbook(&s, PLAYBOOK).unwrap();
    let r = run_playbook(&s, &pb, plan(2), &Objective::default(), &[], |_| {}).unwrap();
    let protest = &r.triggers[0];
    assert_eq!(protest.runs, 12, "protest above 0 comes in every run");
    let nothing = protest
        .ranking
        .iter()
        .find(|x| x.reaction == "nothing")
        .unwrap();
    // The branch continues the run's own streams: with no effect and no cost it is the run.
    assert_eq!(nothing.effect.mean, 0.0);
    assert_eq!(nothing.effect.paired, [0.0, 0.0]);
    let never = &r.triggers[1];
    assert_eq!(never.runs, 0);
    assert_eq!(never.probability[0], 0.0);
    assert!(never.dates[0].is_empty());
}

#[test]
fn playbooks_do_not_depend_on_threads() {
    let s = two_allies();
    let pb = read_playbook(&s, PLAYBOOK).unwrap();
    let one = run_playbook(&s, &pb, plan(1), &Objective::default(), &[], |_| {}).unwrap();
    let two = run_playbook(&s, &pb, plan(2), &Objective::default(), &[], |_| {}).unwrap();
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap()
    );
}

#[test]
fn a_run_resumed_from_its_snapshot_json_finishes_identically() {
    use bloc_model::run::{Simulation, Snapshot};
    let s = BlocScenario::eastern_europe_1989();
    let weeks = i64::from(s.scenario.weeks);
    let whole = bloc_model::simulate_bloc(&s, 3, 7, false);
    let mut sim = Simulation::new(&s, 3, 7, false);
    for week in 1..=40 {
        sim.step(week);
    }
    let json = serde_json::to_string(&sim.snapshot(40)).unwrap();
    drop(sim);
    let snapshot: Snapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(snapshot.week, 40);
    let mut resumed = Simulation::resume(&s, snapshot).unwrap();
    for week in 41..=weeks {
        resumed.step(week);
    }
    let finished = resumed.finish();
    assert_eq!(
        serde_json::to_string(&finished.countries).unwrap(),
        serde_json::to_string(&whole.countries).unwrap()
    );
    assert_eq!(finished.cost, whole.cost);
    // A snapshot resumes only on its own scenario.
    let other = two_allies();
    let snapshot: Snapshot = serde_json::from_str(&json).unwrap();
    assert!(Simulation::resume(&other, snapshot).is_err());
}
