//! The flagship's calm-start calibration of legitimacy, reproducibly.
//!
//! The one fact about the allies' legitimacy known on 1989-02-06 is that none of them was in
//! a mass crisis. The rule (header of scenarios/eastern-europe-1989.toml): each country's L
//! is the lowest value on a 0.001 grid at which at most 1 run in 10 has a crisis in weeks 1-4
//! (100 runs, master seed 1989, every other value as in the file, the same L tried for all
//! six at once), taking the lowest value of the calm band that reaches the top of the grid.
//! Run with `cargo run --release -p bloc-model --example calibrate_legitimacy`; it prints the
//! values and the crisis rate just below each, to be written into the file.

use bloc_model::{BlocScenario, simulate_bloc};
use rayon::prelude::*;

const RUNS: u64 = 100;
const SEED: u64 = 1989;
const WEEKS: u32 = 4;
const MAX_RATE: f64 = 0.1;

/// Share of runs with a crisis in weeks 1-4, per country, with every country at `l`.
fn crisis_rates(base: &BlocScenario, l: f64) -> Vec<f64> {
    let mut s = base.clone();
    s.scenario.weeks = WEEKS;
    for c in &mut s.countries {
        c.legitimacy.value = l;
    }
    let runs: Vec<Vec<bool>> = (0..RUNS)
        .into_par_iter()
        .map(|run| {
            simulate_bloc(&s, SEED, run, false)
                .countries
                .iter()
                .map(|c| c.crisis_weeks > 0)
                .collect()
        })
        .collect();
    (0..s.countries.len())
        .map(|c| runs.iter().filter(|r| r[c]).count() as f64 / RUNS as f64)
        .collect()
}

fn main() {
    let base = BlocScenario::eastern_europe_1989();
    let n = base.countries.len();
    // From the top of the grid down; a country's value is the last one of its calm band.
    let mut chosen: Vec<Option<(f64, f64)>> = vec![None; n];
    let mut calm: Vec<Option<f64>> = vec![None; n];
    let mut k = 950;
    while k >= 700 && chosen.iter().any(Option::is_none) {
        let l = f64::from(k) / 1000.0;
        let rates = crisis_rates(&base, l);
        for c in 0..n {
            if chosen[c].is_some() {
                continue;
            }
            if rates[c] <= MAX_RATE {
                calm[c] = Some(l);
            } else if let Some(lowest) = calm[c] {
                chosen[c] = Some((lowest, rates[c]));
            }
        }
        k -= 1;
    }
    for (c, country) in base.countries.iter().enumerate() {
        match chosen[c] {
            Some((l, rate)) => println!(
                "{}: L = {l:.3} (crisis rate at {:.3}: {:.0} %)",
                country.id,
                l - 0.001,
                100.0 * rate
            ),
            None => println!("{}: calm down to the bottom of the grid", country.id),
        }
    }
}
