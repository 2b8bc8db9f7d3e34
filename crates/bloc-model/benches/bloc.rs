//! Criterion benchmark of the bloc model: one run of the embedded Eastern Europe 1989
//! scenario (100 weeks, six allies) and one week of it. The whole default forecast (1000
//! runs) is timed by scripts/bench-forecast.sh; figures are recorded in docs/performance.md.

use bloc_model::{BlocScenario, Simulation, simulate_bloc};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bloc_runs(c: &mut Criterion) {
    let s = BlocScenario::eastern_europe_1989();
    let mut group = c.benchmark_group("bloc");
    group.sample_size(20);
    let mut run = 0u64;
    group.bench_function("flagship_run_100_weeks", |b| {
        b.iter(|| {
            run += 1;
            black_box(simulate_bloc(black_box(&s), 1989, run, false))
        })
    });
    let start = Simulation::new(&s, 1989, 0, false);
    group.bench_function("flagship_week", |b| {
        b.iter_batched(
            || start.clone(),
            |mut sim| {
                sim.step(1);
                black_box(sim)
            },
            criterion::BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bloc_runs);
criterion_main!(benches);
