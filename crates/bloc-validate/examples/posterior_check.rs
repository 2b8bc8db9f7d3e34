//! The checks of a calibration's result (docs/calibration.md, "Checks of the result"): the
//! prior and posterior predictive checks of the history suite (every case's observed class,
//! intervention and party in power, every calm hazard, against the 90 % predictive
//! intervals) with the suite's scores of both predictive forecasts, and the calm-start
//! legitimacy recomputed at posterior draws beside the values held, and the history suite
//! as `bloc validate` runs it (200 runs per case) at the posterior mean. Prints JSON. Run with
//! `cargo run --release -p bloc-validate --example posterior_check -- POSTERIOR.json [DRAWS [LEGITIMACY_DRAWS]]`.

use bloc_validate::history::calibration::{
    HistoryProblem, PosteriorFile, posterior_draw, predictive_statistics,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: posterior_check POSTERIOR.json [DRAWS [LEGITIMACY_DRAWS]]");
        std::process::exit(2);
    };
    let draws: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let legitimacy_draws: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    let file: PosteriorFile =
        serde_json::from_str(&text).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    let problem = HistoryProblem::new(
        bloc_model::EASTERN_EUROPE_1989_TOML,
        file.design.runs_per_case,
        0,
        |_, _| {},
    )
    .unwrap_or_else(|e| fail(&e.to_string()));
    if problem.design() != file.design {
        fail("the posterior's design is not this bloc's");
    }
    let parameters = problem.parameters();
    let seed = file.state.settings.seed;
    let prior = predictive_statistics(&problem, draws, seed, |_, rng| {
        parameters.iter().map(|p| p.sample(rng)).collect()
    });
    let posterior =
        predictive_statistics(&problem, draws, seed, |_, rng| posterior_draw(&file, rng));
    let mut rng = bloc_base::seeding::branch_rng(seed, 0, 0x6c65_6769);
    let legitimacy: Vec<_> = (0..legitimacy_draws)
        .map(|_| {
            let theta = posterior_draw(&file, &mut rng);
            problem
                .legitimacy_at(&theta, 0)
                .unwrap_or_else(|e| fail(&e.to_string()))
        })
        .collect();
    if file.state.population.particles.is_empty() {
        fail("the posterior has no particles");
    }
    let mean = file.state.posterior_mean();
    let at_mean = problem.scenario_at(&mean).unwrap_or_else(|e| fail(&e));
    let suite = bloc_validate::history::run_on(
        &at_mean,
        bloc_validate::history::RUNS,
        bloc_validate::history::CALM_RUNS,
        0,
        |_, _, _| {},
    )
    .unwrap_or_else(|e| fail(&e.to_string()));
    let out = serde_json::json!({
        "posterior_mean": mean,
        "suite_at_posterior_mean": { "main": suite.main, "calm": suite.calm },
        "prior": problem.check(&prior),
        "posterior": problem.check(&posterior),
        "legitimacy": legitimacy,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}
