//! Criterion benchmark of the CIB engine (issue #8): all consistent scenarios of the
//! published cases, single-threaded, at tolerance 0 (targets: bench_50x50 and CIB_nested
//! under 0.1 s), with and without islands, at tolerance 2, counting only, and with two
//! threads; basin weights of Somewhereland and the 1989 matrix's exact search. Figures are
//! recorded in docs/performance.md next to PyCIB's (scripts/cib-vs-pycib.sh).

use bloc_core::cib::EASTERN_EUROPE_1989_CIB_TOML;
use bloc_core::cib::file::read_cib_toml;
use bloc_core::cib::published::case;
use bloc_core::cib::search::{SearchOptions, consistent_scenarios, count_consistent};
use bloc_core::cib::succession::{Starts, SuccessionRule, basins};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn search(c: &mut Criterion) {
    let mut group = c.benchmark_group("cib");
    group.sample_size(20);
    for name in ["bench_50x50", "CIB_nested", "somewhereland"] {
        let (_, system) = case(name).expect("published case");
        group.bench_function(format!("consistent_t0/{name}"), |b| {
            b.iter(|| {
                black_box(consistent_scenarios(
                    black_box(&system),
                    &SearchOptions::default(),
                ))
            })
        });
        let whole = SearchOptions {
            islands: false,
            ..SearchOptions::default()
        };
        group.bench_function(format!("consistent_t0_no_islands/{name}"), |b| {
            b.iter(|| black_box(consistent_scenarios(black_box(&system), &whole)))
        });
        let t2 = SearchOptions {
            tolerance: 2,
            ..SearchOptions::default()
        };
        group.bench_function(format!("consistent_t2/{name}"), |b| {
            b.iter(|| black_box(consistent_scenarios(black_box(&system), &t2)))
        });
        group.bench_function(format!("count_t0/{name}"), |b| {
            b.iter(|| {
                black_box(count_consistent(
                    black_box(&system),
                    &SearchOptions::default(),
                    &|_, _| {},
                ))
            })
        });
    }
    let (_, bench) = case("bench_50x50").expect("published case");
    let two = SearchOptions {
        threads: 2,
        ..SearchOptions::default()
    };
    group.bench_function("consistent_t0_2_threads/bench_50x50", |b| {
        b.iter(|| black_box(consistent_scenarios(black_box(&bench), &two)))
    });
    let (_, somewhereland) = case("somewhereland").expect("published case");
    group.bench_function("global_basins/somewhereland", |b| {
        b.iter(|| {
            black_box(basins(
                black_box(&somewhereland),
                SuccessionRule::Global,
                &[],
                Starts::All,
            ))
        })
    });
    let eastern = read_cib_toml(EASTERN_EUROPE_1989_CIB_TOML)
        .expect("shipped matrix")
        .system;
    group.bench_function("consistent_t0/eastern-europe-1989", |b| {
        b.iter(|| {
            black_box(consistent_scenarios(
                black_box(&eastern),
                &SearchOptions::default(),
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
