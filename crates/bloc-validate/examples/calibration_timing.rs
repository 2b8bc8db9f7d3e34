//! Times one simulation of the record at the flagship's values and at prior draws (for
//! docs/performance.md). Run with
//! `cargo run --release -p bloc-validate --example calibration_timing [DRAWS]`.

use bloc_base::seeding::run_rng;
use bloc_validate::history::calibration::HistoryProblem;
use std::time::Instant;

fn main() {
    let draws: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(4);
    let t = Instant::now();
    let p = HistoryProblem::new(bloc_model::EASTERN_EUROPE_1989_TOML, 1, 0, |_, _| {})
        .expect("problem");
    eprintln!("prepared in {:.1} s", t.elapsed().as_secs_f64());
    if let Some(n) = std::env::args().nth(2).and_then(|a| a.parse().ok()) {
        small(&p, n);
        return;
    }
    let d = p.distance();
    let params = p.parameters();
    let mut rng = run_rng(1, 0);
    for k in 0..draws {
        let theta: Vec<f64> = params.iter().map(|q| q.sample(&mut rng)).collect();
        let t = Instant::now();
        let s = p.scenario_at(&theta).expect("scenario");
        let parsed = t.elapsed().as_secs_f64();
        let stats = p.simulate_on(&s, k as u64);
        eprintln!(
            "draw {k}: parse {parsed:.3} s, total {:.3} s, distance {:.4} {:?}",
            t.elapsed().as_secs_f64(),
            bloc_calibrate::smc::Distance::distance(&d, &stats),
            d.terms(&stats)
        );
    }
}

/// Prints every batch.
struct Loud(Instant);
impl bloc_calibrate::smc::Observer for Loud {
    fn progress(&mut self, g: usize, a: usize, s: u64) {
        eprintln!(
            "{:.1} s: generation {g}: {a} accepted of {s}",
            self.0.elapsed().as_secs_f64()
        );
    }
}

/// A small calibration, printing every batch (`... calibration_timing 0 PARTICLES`).
pub fn small(p: &HistoryProblem, particles: usize) {
    let settings = bloc_calibrate::smc::Settings {
        particles,
        max_generations: 3,
        batch: 8,
        ..Default::default()
    };
    let s = bloc_calibrate::smc::run(
        p,
        &p.distance(),
        p.parameters(),
        settings,
        &mut Loud(Instant::now()),
    );
    eprintln!("{:?}", s.map(|s| s.generations));
}
