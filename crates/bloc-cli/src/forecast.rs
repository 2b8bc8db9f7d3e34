//! `bloc forecast [SCENARIO]`: the ensemble of the bloc model on a scenario (by default the
//! embedded Eastern Europe 1989 flagship), reported per country and for the bloc.

use crate::args::{HorizonArgs, OverrideArgs, SeedArgs};
use crate::output::{Report, RunOutputArgs, emit_with, pretty_json, write_report};
use crate::posterior::PosteriorArgs;
use crate::{CliError, input};
use bloc_base::ensemble::EnsemblePlan;
use bloc_model::forecast::{CountryForecast, DateDistribution, Forecast, TrajectoryRow};
use bloc_model::overrides::merge_events;
use bloc_model::{
    BlocScenario, ForecastMeta, ForecastPlan, OutcomeClass, SeriesRequest, run_forecast,
    run_forecast_drawn,
};
use bloc_validate::record::Record;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `bloc forecast`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (default: the embedded scenarios/eastern-europe-1989.toml).
    scenario: Option<PathBuf>,
    /// Number of runs (default: the file's ensemble.runs, 1000 for the flagship).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    runs: Option<u64>,
    #[command(flatten)]
    seed: SeedArgs,
    #[command(flatten)]
    horizon: HorizonArgs,
    #[command(flatten)]
    overrides: OverrideArgs,
    #[command(flatten)]
    posterior: PosteriorArgs,
    /// Replay the events of this file on top of the scenario (repeatable), e.g.
    /// scenarios/events/observed-1989.toml.
    #[arg(long = "events", value_name = "FILE")]
    events: Vec<PathBuf>,
    /// Write weekly trajectories per country to this file (CSV, or JSON if it ends in .json).
    #[arg(long, value_name = "PATH")]
    trajectories: Option<PathBuf>,
    /// Trajectories of these runs (comma-separated indices) instead of bands over all runs.
    #[arg(long, value_delimiter = ',', requires = "trajectories")]
    trajectory_runs: Vec<u64>,
    #[command(flatten)]
    common: RunOutputArgs,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), CliError> {
    args.common.check_out()?;
    if let Some(path) = &args.trajectories {
        crate::output::check_target(path)?;
    }
    let posterior = args
        .posterior
        .posterior(args.scenario.as_deref(), &args.overrides.set)?;
    let (base, text) = args.overrides.scenario(args.scenario.as_deref())?;
    let mut events = Vec::new();
    let mut scenario = base.clone();
    for path in &args.events {
        let ev = input::read(Some(path), "", "")?;
        scenario = merge_events(&scenario, &ev.text).map_err(|d| input::report(&ev, &d))?;
        events.push(ev);
    }
    if let Some(h) = args.horizon.horizon {
        scenario.scenario.weeks = h;
    }
    let events_files = events.iter().map(|e| e.name.clone()).collect();
    let runs = args.runs.unwrap_or(scenario.ensemble.runs);
    crate::limits::RUNS.check(runs)?;
    // Memory does not grow with the runs (13 MB measured at 200 and at 2,000 runs), except
    // that runs drawing from a posterior keep their draw and their binary outcomes (about 40
    // bytes and 12 per country).
    let per_run =
        crate::limits::seconds_per_bloc_run(scenario.countries.len(), scenario.scenario.weeks);
    let per_run_bytes = if posterior.is_some() {
        40.0 + 12.0 * scenario.countries.len() as f64
    } else {
        0.0
    };
    crate::limits::announce(
        runs as f64 * per_run / crate::limits::workers(args.common.threads),
        13e6 + runs as f64 * per_run_bytes,
    );
    let seed = args.seed.or_scenario(&scenario);
    let series = match (&args.trajectories, args.trajectory_runs.is_empty()) {
        (None, _) => SeriesRequest::None,
        (Some(_), true) => SeriesRequest::Bands,
        (Some(_), false) => {
            if let Some(r) = args.trajectory_runs.iter().find(|&&r| r >= runs) {
                return Err(CliError::Usage(format!(
                    "--trajectory-runs {r} is not a run of this ensemble (runs 0 to {})",
                    runs - 1
                )));
            }
            SeriesRequest::Runs(args.trajectory_runs.clone())
        }
    };
    let plan = ForecastPlan {
        ensemble: EnsemblePlan {
            runs,
            master_seed: seed,
            threads: args.common.threads,
        },
        series,
    };
    let mut meta = ForecastMeta::new(
        &scenario,
        runs,
        seed,
        events_files,
        args.overrides.set.clone(),
    );
    let observed = observed_classes(&scenario);
    let draws = match &posterior {
        Some(p) => {
            if !args.overrides.set.is_empty() {
                let (unset, _) = input::bloc_scenario(args.scenario.as_deref(), &[])?;
                p.refuse_drawn_sets(&base, &unset)?;
            }
            let on = Particles {
                text: &text,
                events: &events,
                weeks: scenario.scenario.weeks,
            };
            let (draws, m) =
                p.draws(&base, runs, seed, args.common.threads, |set| on.build(set))?;
            meta.posterior = Some(m);
            Some(draws)
        }
        None => None,
    };
    let bar = crate::render::progress_bar(runs);
    let progress = |done| bar.set_position(done);
    let forecast = match &draws {
        Some(d) => run_forecast_drawn(&scenario, d, &plan, meta, observed.as_ref(), progress),
        None => run_forecast(&scenario, &plan, meta, observed.as_ref(), progress),
    }
    .map_err(|e| CliError::Usage(e.to_string()))?;
    bar.finish_and_clear();
    if let Some(path) = &args.trajectories {
        let json = path.extension().is_some_and(|e| e == "json");
        emit_with(Some(path), |w| {
            if json {
                write_trajectories_json(w, &forecast)
            } else {
                write_trajectories_csv(w, &forecast.trajectories)
            }
        })?;
    }
    write_report(&args.common, &forecast)
}

/// How a particle's scenario is made: the text as read and set, with the particle's
/// values, the events and the horizon, as the forecast's scenario was made.
struct Particles<'a> {
    text: &'a str,
    events: &'a [input::Source],
    weeks: u32,
}

impl Particles<'_> {
    fn build(&self, set: &[String]) -> Result<BlocScenario, String> {
        let mut s = bloc_validate::posterior::scenario_with(self.text, set)?;
        for ev in self.events {
            s = merge_events(&s, &ev.text).map_err(|d| {
                format!(
                    "{}: {}",
                    ev.name,
                    bloc_validate::posterior::first_problem(&d)
                )
            })?;
        }
        s.scenario.weeks = self.weeks;
        Ok(s)
    }
}

impl Report for Forecast {
    fn json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(w, self)
    }

    fn table(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(to_table(self).as_bytes())
    }

    fn csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write_csv(w, self)
    }
}

/// The observed 1989 classes, when the scenario's allies are the record's six countries.
fn observed_classes(s: &BlocScenario) -> Option<BTreeMap<String, OutcomeClass>> {
    let record = Record::load().ok()?;
    s.countries
        .iter()
        .map(|c| {
            let o = record.outcome(&c.id)?;
            Some((c.id.clone(), OutcomeClass::from_name(&o.outcome_class)?))
        })
        .collect()
}

fn pct(p: f64) -> String {
    format!("{:.1}", 100.0 * p)
}

fn people(x: f64) -> String {
    if x >= 1.0e6 {
        format!("{:.2} M", x / 1.0e6)
    } else if x >= 1.0e3 {
        format!("{:.0} k", x / 1.0e3)
    } else {
        format!("{x:.0}")
    }
}

fn dates(d: &DateDistribution) -> String {
    if d.share == 0.0 {
        "never".into()
    } else {
        format!("{} [{} .. {}] ({}%)", d.median, d.q05, d.q95, pct(d.share))
    }
}

/// The header of a table with a column per reported probability.
fn probability_header() -> Vec<&'static str> {
    let mut header = vec!["country"];
    header.extend(OutcomeClass::ALL.map(OutcomeClass::name));
    header.extend(["party in power", "alliance intact", "intervention"]);
    header
}

fn to_table(f: &Forecast) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{}: {} runs of {} weeks from {}, seed {}\n\n",
        f.meta.scenario, f.meta.runs, f.meta.weeks, f.meta.start, f.meta.seed
    ));
    if let Some(p) = &f.meta.posterior {
        out.push_str(&format!(
            "Each run draws {} calibrated values from {} ({} particles, {} drawn): the \
             probabilities are predictive\n\n",
            p.parameters.len(),
            p.file,
            p.particles,
            p.distinct_draws
        ));
    }
    out.push_str("Outcome classes, % of runs (95 % interval in the JSON output)\n");
    let mut t = crate::render::table(probability_header());
    for c in &f.countries {
        let mut row = vec![c.id.clone()];
        row.extend(c.outcomes.values().iter().map(|&p| pct(p)));
        row.extend([
            pct(c.party_in_power),
            pct(c.alliance_intact),
            pct(c.intervention),
        ]);
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n\n"));
    if f.countries.iter().any(|c| c.variance.is_some()) {
        out.push_str(&variance_table(f));
    }
    out.push_str("Dates: median [5 % .. 95 %] (share of runs in which it happened)\n");
    let mut t = crate::render::table(vec!["country", "first concession", "regime falls"]);
    for c in &f.countries {
        t.add_row(vec![
            c.id.clone(),
            dates(&c.first_concession),
            dates(&c.regime_fall),
        ]);
    }
    out.push_str(&format!("{t}\n\n"));
    out.push_str("People: mean [5 % .. 95 %]\n");
    let mut t = crate::render::table(vec![
        "country",
        "peak weekly protest",
        "deaths",
        "emigrants",
    ]);
    let band = |b: &bloc_base::stats::Band| {
        format!(
            "{} [{} .. {}]",
            people(b.mean),
            people(b.q05),
            people(b.q95)
        )
    };
    for c in &f.countries {
        t.add_row(vec![
            c.id.clone(),
            band(&c.peak_protest),
            band(&c.deaths),
            band(&c.emigrants),
        ]);
    }
    out.push_str(&format!("{t}\n\n"));
    out.push_str("Regimes fallen by the horizon, % of runs\n");
    let mut t = crate::render::table(vec!["fallen", "% of runs"]);
    for (k, p) in f.bloc.regimes_fallen.iter().enumerate() {
        t.add_row(vec![k.to_string(), pct(*p)]);
    }
    out.push_str(&format!(
        "{t}\nmean {:.2} regimes fallen\n\n",
        f.bloc.regimes_fallen_mean
    ));
    out.push_str("Most likely joint patterns of outcome classes\n");
    let mut t = crate::render::table(vec!["pattern", "% of runs", ""]);
    let mut shown = 0;
    for p in &f.bloc.patterns {
        if shown < 8 || p.observed {
            t.add_row(vec![
                p.pattern.clone(),
                pct(p.p),
                if p.observed {
                    "observed 1989".into()
                } else {
                    String::new()
                },
            ]);
            shown += 1;
        }
    }
    out.push_str(&format!(
        "{t}\n{} distinct patterns\n",
        f.bloc.patterns.iter().filter(|p| p.p > 0.0).count()
    ));
    out
}

/// Each probability's variance split: the share the parameters explain.
fn variance_table(f: &Forecast) -> String {
    let mut out = String::from(
        "Parameter share of each probability's variance, % (the rest is the runs' own noise;\n\
         law of total variance over the posterior draws; - where the probability is 0 or 1)\n",
    );
    let mut keys: Vec<&str> = OutcomeClass::ALL.map(OutcomeClass::name).to_vec();
    keys.extend(["party_in_power", "alliance_intact", "intervention"]);
    let mut t = crate::render::table(probability_header());
    for c in &f.countries {
        let mut row = vec![c.id.clone()];
        let v = c.variance.as_ref();
        row.extend(keys.iter().map(|k| match v.and_then(|v| v.get(*k)) {
            Some(s) if s.total > 0.0 => format!("{:.0}", 100.0 * s.parameter_share),
            Some(_) => "-".into(),
            None => "n/a".into(),
        }));
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n\n"));
    out
}

fn write_csv(w: &mut dyn Write, f: &Forecast) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    let mut header = vec!["country"];
    header.extend(OutcomeClass::ALL.map(OutcomeClass::name));
    header.extend([
        "party_in_power",
        "alliance_intact",
        "intervention",
        "first_concession_median",
        "first_concession_q05",
        "first_concession_q95",
        "first_concession_share",
        "regime_fall_median",
        "regime_fall_q05",
        "regime_fall_q95",
        "regime_fall_share",
        "peak_protest_mean",
        "deaths_mean",
        "emigrants_mean",
    ]);
    csv.write_record(header)?;
    for c in &f.countries {
        csv.write_record(country_row(c))?;
    }
    csv.flush()
}

fn country_row(c: &CountryForecast) -> Vec<String> {
    let d = |x: &DateDistribution| {
        vec![
            x.median.clone(),
            x.q05.clone(),
            x.q95.clone(),
            x.share.to_string(),
        ]
    };
    let mut row = vec![c.id.clone()];
    row.extend(c.outcomes.values().iter().map(f64::to_string));
    row.extend([
        c.party_in_power.to_string(),
        c.alliance_intact.to_string(),
        c.intervention.to_string(),
    ]);
    row.extend(d(&c.first_concession));
    row.extend(d(&c.regime_fall));
    row.push(c.peak_protest.mean.to_string());
    row.push(c.deaths.mean.to_string());
    row.push(c.emigrants.mean.to_string());
    row
}

fn write_trajectories_csv(w: &mut dyn Write, rows: &[TrajectoryRow]) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record([
        "country", "week", "date", "run", "variable", "mean", "q05", "q50", "q95",
    ])?;
    for r in rows {
        csv.write_record([
            r.country.clone(),
            r.week.to_string(),
            r.date.clone(),
            r.run.map(|x| x.to_string()).unwrap_or_default(),
            r.variable.to_string(),
            r.mean.to_string(),
            r.q05.to_string(),
            r.q50.to_string(),
            r.q95.to_string(),
        ])?;
    }
    csv.flush()
}

fn write_trajectories_json(w: &mut dyn Write, f: &Forecast) -> std::io::Result<()> {
    serde_json::to_writer(
        &mut *w,
        &serde_json::json!({"meta": f.meta, "trajectories": f.trajectories}),
    )?;
    writeln!(w)
}
