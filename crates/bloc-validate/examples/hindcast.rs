//! The 1989 hindcast of the flagship under changed values, one row per variant: how the
//! scores depend on a parameter (docs/validation.md, "Model changes and their effect").
//!
//! `cargo run --release -p bloc-validate --example hindcast -- 'decision.mobilization_gain=2' 'decision.mobilization_gain=20'`
//!
//! Each argument is one variant: `;`-separated `key.path=value` overrides (as `--set`), or
//! `default` for the shipped scenario. 1000 runs, the scenario's seed, all cores.

use bloc_base::ensemble::EnsemblePlan;
use bloc_model::overrides::apply_overrides;
use bloc_model::{BlocScenario, EASTERN_EUROPE_1989_TOML};
use bloc_validate::hindcast::{hindcast, hindcast_checks};
use bloc_validate::record::Record;

fn main() {
    let record = Record::load().expect("the embedded record reads");
    let variants: Vec<String> = std::env::args().skip(1).collect();
    println!("| variant | check | got | result |\n| --- | --- | --- | --- |");
    for variant in &variants {
        let sets: Vec<String> = if variant == "default" {
            Vec::new()
        } else {
            variant.split(';').map(str::to_string).collect()
        };
        let text = match apply_overrides(EASTERN_EUROPE_1989_TOML, &sets) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
        let s = match BlocScenario::from_toml(&text) {
            Ok(s) => s,
            Err(d) => {
                eprintln!("{variant}: invalid: {:?}", d.0.first());
                std::process::exit(2);
            }
        };
        let plan = EnsemblePlan {
            runs: 1000,
            master_seed: s.ensemble.master_seed,
            threads: 0,
        };
        let h = hindcast(&s, &record, plan, |_| {}).expect("the ensemble runs");
        for c in hindcast_checks(&h) {
            println!(
                "| {variant} | {} | {} | {} |",
                c.name,
                c.got,
                if c.passed { "pass" } else { "fail" }
            );
        }
    }
}
