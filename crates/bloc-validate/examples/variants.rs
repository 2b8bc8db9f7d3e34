//! Runs the paper's Run 2 under every combination of the contested readings and prints
//! outburst statistics: how docs/model.md's table of readings was made.
//!
//! Then runs `bloc validate`'s checks under the paper's, NetLogo's and Mesa's readings.
//!
//! `cargo run --release -p bloc-validate --example variants -- [runs] [steps]`

use bloc_base::ensemble::EnsemblePlan;
use bloc_base::stats::mean;
use bloc_citizens::epstein::EpsteinScenario;
use bloc_citizens::epstein::config::{ArrestRatio, Neighbourhood, TurnOrder};
use bloc_citizens::epstein::ensemble::run_epstein_ensemble;
use bloc_citizens::epstein::{MESA_SCENARIO_TOML, NETLOGO_SCENARIO_TOML};

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let runs = args.first().copied().unwrap_or(20);
    let steps = args.get(1).copied().unwrap_or(1000) as u32;
    println!(
        "shape    ratio  turn           outb/run  wait  activation  calm%  peak  mean_active%"
    );
    for shape in [
        Neighbourhood::Cross,
        Neighbourhood::Diamond,
        Neighbourhood::Disc,
    ] {
        for ratio in [ArrestRatio::Exact, ArrestRatio::Round, ArrestRatio::Floor] {
            for turn in [TurnOrder::MoveThenAct, TurnOrder::ActThenMove] {
                let mut s = EpsteinScenario::paper_default();
                s.variant.neighbourhood = shape;
                s.variant.arrest_ratio = ratio;
                s.variant.turn = turn;
                let plan = EnsemblePlan {
                    runs,
                    master_seed: 1,
                    threads: 0,
                };
                let r = run_epstein_ensemble(&s, plan, steps, false, |_| {}).unwrap();
                let outb: Vec<f64> = r
                    .summaries
                    .iter()
                    .map(|x| x.outbursts.len() as f64)
                    .collect();
                let waits: Vec<f64> = r
                    .summaries
                    .iter()
                    .flat_map(|x| x.waits.iter().map(|&w| f64::from(w)))
                    .collect();
                let act: Vec<f64> = r
                    .summaries
                    .iter()
                    .flat_map(|x| x.outbursts.iter().map(|o| o.activation as f64))
                    .collect();
                let calm: Vec<f64> = r.summaries.iter().map(|x| x.calm_share).collect();
                let peak: Vec<f64> = r
                    .summaries
                    .iter()
                    .map(|x| f64::from(x.peak_active))
                    .collect();
                let ma: Vec<f64> = r.summaries.iter().map(|x| x.mean_active_share).collect();
                println!(
                    "{:8} {:6} {:14} {:8.1} {:5.1} {:11.0} {:6.1} {:5.0} {:6.2}",
                    format!("{shape:?}"),
                    format!("{ratio:?}"),
                    format!("{turn:?}"),
                    mean(&outb),
                    mean(&waits),
                    mean(&act),
                    100.0 * mean(&calm),
                    mean(&peak),
                    100.0 * mean(&ma)
                );
            }
        }
    }
    println!();
    let parse = |t: &str| EpsteinScenario::from_toml(t).expect("shipped scenario");
    for (name, reading) in [
        ("paper", EpsteinScenario::paper_default()),
        ("netlogo", parse(NETLOGO_SCENARIO_TOML)),
        (
            "mesa",
            bloc_validate::with_run_parameters(&parse(MESA_SCENARIO_TOML), 2),
        ),
    ] {
        for c in [
            bloc_validate::punctuated_equilibrium(&reading, 40, 1000, 0).expect("a thread pool"),
            bloc_validate::legitimacy_drop(&reading, 40, 0).expect("a thread pool"),
            bloc_validate::fewer_cops(&reading, 40, 500, 0).expect("a thread pool"),
        ] {
            println!(
                "[{name}] {}: {} -> {}",
                c.name,
                c.got,
                if c.passed { "pass" } else { "FAIL" }
            );
        }
    }
}
