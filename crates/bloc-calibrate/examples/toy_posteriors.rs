//! The engine's toy checks as JSON: ABC-SMC's posterior beside the exact one on the
//! beta-binomial and the normal-mean problems (`bloc_calibrate::toy`), for the seeds given.
//!
//! What it shows: the figures `scripts/abc-vs-pyabc.sh` puts beside pyabc's, and the Monte
//! Carlo spread of the checks over seeds, with the seconds each check took (wall clock, all
//! cores). Run with
//! `cargo run --release -p bloc-calibrate --example toy_posteriors -- [SEED...]` (default 1).

fn main() {
    let seeds: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("a seed is an unsigned integer"))
        .collect();
    let seeds = if seeds.is_empty() { vec![1] } else { seeds };
    let timed = |check: fn(u64) -> bloc_calibrate::toy::ToyCheck, seed: u64| {
        let start = std::time::Instant::now();
        let c = check(seed);
        serde_json::json!({ "seed": seed, "seconds": start.elapsed().as_secs_f64(), "check": c })
    };
    let checks: Vec<_> = seeds
        .iter()
        .flat_map(|&s| {
            [
                timed(bloc_calibrate::toy::beta_binomial_check, s),
                timed(bloc_calibrate::toy::normal_mean_check, s),
            ]
        })
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&checks).expect("serializable")
    );
}
