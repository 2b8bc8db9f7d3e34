//! The history suite alone, as `bloc validate` runs it, printed as JSON: the forecasts,
//! the scores under both codings and the calm years. Run with
//! `cargo run --release -p bloc-validate --example history_suite [RUNS [CALM_RUNS]]`.

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>().ok());
    let runs = args
        .next()
        .flatten()
        .unwrap_or(bloc_validate::history::RUNS);
    let calm = args
        .next()
        .flatten()
        .unwrap_or(bloc_validate::history::CALM_RUNS);
    let h = bloc_validate::history::run(runs, calm, 0, |stage, k, n| {
        eprintln!("{stage} {k}/{n}");
    });
    match h {
        Ok(h) => {
            for c in bloc_validate::history::checks(&h) {
                eprintln!("{} | {} | {} | {}", c.name, c.expected, c.got, c.passed);
            }
            println!("{}", serde_json::to_string_pretty(&h).unwrap_or_default());
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
