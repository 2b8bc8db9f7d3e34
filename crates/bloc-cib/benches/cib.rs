//! Criterion benchmark of the CIB engine (issue #8): all consistent scenarios of the
//! published cases, single-threaded, at tolerance 0 (targets: bench_50x50 and CIB_nested
//! under 0.1 s), with and without islands, at tolerance 2, counting only, and with two
//! threads; basin weights of Somewhereland and the 1989 matrix's exact search. Figures are
//! recorded in docs/performance.md next to PyCIB's (scripts/cib-vs-pycib.sh).

use bloc_base::seeding::run_rng;
use bloc_cib::EASTERN_EUROPE_1989_CIB_TOML;
use bloc_cib::file::read_cib_toml;
use bloc_cib::published::case;
use bloc_cib::search::{SearchOptions, consistent_scenarios, count_consistent};
use bloc_cib::succession::{Starts, SuccessionRule, basins};
use bloc_cib::system::{CibSystem, Descriptor};
use criterion::{Criterion, criterion_group, criterion_main};
use rand::RngExt;
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

/// A random system of `n` descriptors with 4 variants each, half of the sections judged with
/// cells uniform in −3..=3 (ChaCha8, master seed `seed`): a space of 4^n for the thread
/// scaling of the search, where the published cases are too quick to split.
fn random_system(n: usize, seed: u64) -> CibSystem {
    let mut rng = run_rng(seed, 0);
    let descriptors: Vec<Descriptor> = (0..n)
        .map(|j| Descriptor::named(format!("d{j}"), &["v1", "v2", "v3", "v4"]))
        .collect();
    let mut system = CibSystem::new("random", descriptors, vec![0; 16 * n * n]).expect("shape");
    for i in 0..n {
        for j in 0..n {
            if i != j && rng.random_bool(0.5) {
                for k in 0..4 {
                    for l in 0..4 {
                        system.set_cell(i, k, j, l, rng.random_range(-3..=3));
                    }
                }
            }
        }
    }
    system
}

/// Counting the consistent scenarios of a random 4^20 space on 1 and 2 threads.
fn threads(c: &mut Criterion) {
    let mut group = c.benchmark_group("cib_threads");
    group.sample_size(10);
    let system = random_system(20, 7);
    for threads in [1, 2] {
        let options = SearchOptions {
            threads,
            ..SearchOptions::default()
        };
        group.bench_function(format!("count_t0_random_20x4/{threads}_threads"), |b| {
            b.iter(|| black_box(count_consistent(black_box(&system), &options, &|_, _| {})))
        });
    }
    group.finish();
}

criterion_group!(benches, search, threads);
criterion_main!(benches);
