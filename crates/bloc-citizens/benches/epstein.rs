//! Criterion benchmark of Model I steps: one step of a warmed-up 40x40 world under each
//! shipped configuration, reported as time per step; agent-steps per second follow from the
//! agent count printed once per configuration. Figures are recorded in docs/performance.md.

use bloc_base::seeding::run_rng;
use bloc_citizens::epstein::{EpsteinScenario, MESA_SCENARIO_TOML, NETLOGO_SCENARIO_TOML, World};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn steps(c: &mut Criterion) {
    let configs = [
        ("paper", EpsteinScenario::paper_default()),
        (
            "netlogo",
            EpsteinScenario::from_toml(NETLOGO_SCENARIO_TOML).expect("valid"),
        ),
        (
            "mesa",
            EpsteinScenario::from_toml(MESA_SCENARIO_TOML).expect("valid"),
        ),
    ];
    let mut group = c.benchmark_group("epstein_step");
    for (name, scenario) in configs {
        let mut rng = run_rng(1, 0);
        let mut world = World::new(&scenario, &mut rng);
        for _ in 0..50 {
            world.step(&mut rng);
        }
        group.throughput(Throughput::Elements(world.agent_count() as u64));
        group.bench_function(name, |b| b.iter(|| black_box(world.step(&mut rng))));
    }
    group.finish();
}

criterion_group!(benches, steps);
criterion_main!(benches);
