//! Criterion benchmark of the collective decision models: Bueno de Mesquita's model (Scholz
//! et al. 2011), 10 rounds on the emission standards case (target: under 1 ms), and the
//! weighted median; and one round of the equal-gain exchange model on cop21 (target: under
//! 10 ms). Figures are recorded in docs/performance.md.

use bloc_bargain::bdm::{BdmOptions, run_bdm};
use bloc_bargain::decide_format::read_decide;
use bloc_bargain::exchange::{ExchangeOptions, run_exchange};
use bloc_bargain::published::{BDM_CASES, DECIDE_CASES};
use bloc_bargain::{read_stakeholders, weighted_median, weights};
use bloc_base::seeding::run_rng;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn models(c: &mut Criterion) {
    let mut group = c.benchmark_group("bargain");
    for case in [&BDM_CASES[0], &BDM_CASES[2]] {
        let table = read_stakeholders(case.table).expect("shipped data set");
        let actors = table.stakeholders;
        group.bench_function(format!("bdm_10_rounds/{}", case.name), |b| {
            b.iter(|| black_box(run_bdm(black_box(&actors), 10, BdmOptions::default())))
        });
        let positions: Vec<f64> = actors.iter().map(|a| a.position).collect();
        let w = weights(&actors);
        group.bench_function(format!("weighted_median/{}", case.name), |b| {
            b.iter(|| black_box(weighted_median(black_box(&positions), black_box(&w))))
        });
    }
    for case in &DECIDE_CASES {
        let input = read_decide(case.input).expect("shipped data set");
        let options = ExchangeOptions {
            rounds: 1,
            ..ExchangeOptions::default()
        };
        group.bench_function(format!("exchange_first_round/{}", case.name), |b| {
            b.iter(|| {
                black_box(run_exchange(
                    black_box(&input),
                    &options,
                    &mut run_rng(1, 0),
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, models);
criterion_main!(benches);
