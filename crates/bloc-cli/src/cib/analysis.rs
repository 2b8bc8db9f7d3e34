//! The analyses of one matrix beyond the consistent set: the balances of a scenario, a
//! succession path, attractors with their basins, and judgement uncertainty.

use super::files::Loaded;
use super::{Args, csv_text, usage};
use crate::CliError;
use crate::output::{Format, emit};
use bloc_base::stats::wilson_interval;
use bloc_cib::file::classify;
use bloc_cib::succession::{Attractor, BasinReport, Starts, basins, follow};
use bloc_cib::system::{Scenario, parse_scenario};
use bloc_cib::uncertainty::{UncertaintyPlan, judgement_uncertainty, section_sigmas};
use serde_json::json;
use std::collections::BTreeMap;

fn scenario_arg(doc: &Loaded, flag: &str, text: &str) -> Result<Scenario, CliError> {
    parse_scenario(&doc.system, text).map_err(|e| CliError::Usage(format!("{flag} {text}: {e}")))
}

fn class_of(doc: &Loaded, z: &[u8]) -> String {
    if doc.classes.is_empty() {
        return String::new();
    }
    classify(&doc.system, &doc.classes, z).map_or_else(|| "unclassified".into(), |c| c.id.clone())
}

fn json_text(v: &serde_json::Value) -> Result<String, CliError> {
    Ok(serde_json::to_string_pretty(v).map_err(usage)? + "\n")
}

/// `--balances`: the impact balance of every descriptor in one scenario.
pub fn balances(args: &Args, doc: &Loaded, text: &str) -> Result<(), CliError> {
    let s = &doc.system;
    let z = scenario_arg(doc, "--balances", text)?;
    let balances = s.balances(&z);
    let ic = s.descriptor_inconsistencies(&z);
    let total = s.inconsistency(&z, &[]);
    let tis = s.total_impact_score(&z);
    let consistent = total <= args.tolerance;
    let out = match args.format {
        Format::Json => json_text(&json!({
            "scenario": s.describe(&z),
            "descriptors": s.descriptors().iter().enumerate().map(|(j, d)| json!({
                "descriptor": d.id,
                "variant": d.variant_ids[usize::from(z[j])],
                "balance": d.variant_ids.iter().cloned().zip(balances[j].iter().copied()).collect::<Vec<_>>(),
                "inconsistency": ic[j],
            })).collect::<Vec<_>>(),
            "inconsistency": total,
            "total_impact_score": tis,
            "consistent": consistent,
            "tolerance": args.tolerance,
            "class": class_of(doc, &z),
            "outcomes": doc.outcomes.iter().map(|o| (o.id.clone(), o.holds(s, &z))).collect::<BTreeMap<_, _>>(),
        }))?,
        Format::Csv => {
            let mut rows = Vec::new();
            for (j, d) in s.descriptors().iter().enumerate() {
                for (l, v) in d.variant_ids.iter().enumerate() {
                    rows.push(vec![
                        d.id.clone(),
                        v.clone(),
                        balances[j][l].to_string(),
                        (usize::from(z[j]) == l).to_string(),
                        ic[j].to_string(),
                    ]);
                }
            }
            csv_text(
                &[
                    "descriptor",
                    "variant",
                    "impact_score",
                    "chosen",
                    "descriptor_inconsistency",
                ],
                &rows,
            )?
        }
        Format::Table => {
            let mut t = crate::render::table([
                "descriptor",
                "chosen",
                "impact balance (chosen in [ ])",
                "inconsistency",
            ]);
            for (j, d) in s.descriptors().iter().enumerate() {
                let cells: Vec<String> = d
                    .variant_ids
                    .iter()
                    .enumerate()
                    .map(|(l, v)| {
                        if usize::from(z[j]) == l {
                            format!("[{v} {}]", balances[j][l])
                        } else {
                            format!("{v} {}", balances[j][l])
                        }
                    })
                    .collect();
                t.add_row([
                    d.id.clone(),
                    d.variant_ids[usize::from(z[j])].clone(),
                    cells.join("  "),
                    ic[j].to_string(),
                ]);
            }
            let class = class_of(doc, &z);
            format!(
                "{}\n{t}\nscenario inconsistency {total}, total impact score {tis}: {} (tolerance {}){}\n",
                s.describe(&z),
                if consistent {
                    "consistent"
                } else {
                    "inconsistent"
                },
                args.tolerance,
                if class.is_empty() {
                    String::new()
                } else {
                    format!("; class {class}")
                }
            )
        }
    };
    emit(args.out.as_deref(), &out)
}

fn attractor_text(doc: &Loaded, a: &Attractor) -> (String, String) {
    match a {
        Attractor::FixedPoint { scenario } => ("fixed point".into(), doc.system.describe(scenario)),
        Attractor::Cycle { members } => (
            format!("cycle of {}", members.len()),
            members
                .iter()
                .map(|m| doc.system.describe(m))
                .collect::<Vec<_>>()
                .join(" -> "),
        ),
    }
}

/// `--from`: the succession path from one scenario.
pub fn path(args: &Args, doc: &Loaded, text: &str, fixed: &[Option<u8>]) -> Result<(), CliError> {
    let s = &doc.system;
    let z = scenario_arg(doc, "--from", text)?;
    for (j, f) in fixed.iter().enumerate() {
        if let Some(v) = f
            && z[j] != *v
        {
            let d = &s.descriptors()[j];
            return Err(CliError::Usage(format!(
                "--from gives {} = {} but --fix holds it at {}",
                d.id,
                d.variant_ids[usize::from(z[j])],
                d.variant_ids[usize::from(*v)]
            )));
        }
    }
    let p = follow(s, &z, args.succession.into(), fixed);
    let changed = |k: usize| -> Vec<String> {
        if k == 0 {
            return Vec::new();
        }
        (0..s.descriptor_count())
            .filter(|&j| p.steps[k][j] != p.steps[k - 1][j])
            .map(|j| {
                let d = &s.descriptors()[j];
                format!(
                    "{}: {} -> {}",
                    d.id,
                    d.variant_ids[usize::from(p.steps[k - 1][j])],
                    d.variant_ids[usize::from(p.steps[k][j])]
                )
            })
            .collect()
    };
    let (kind, what) = attractor_text(doc, &p.attractor);
    let out = match args.format {
        Format::Json => json_text(&json!({
            "rule": format!("{:?}", args.succession).to_lowercase(),
            "steps": p.steps.iter().enumerate().map(|(k, st)| json!({
                "scenario": s.describe(st),
                "inconsistency": s.inconsistency(st, fixed),
                "changed": changed(k),
            })).collect::<Vec<_>>(),
            "attractor": p.attractor,
            "attractor_text": what,
        }))?,
        Format::Csv => {
            let rows: Vec<Vec<String>> = p
                .steps
                .iter()
                .enumerate()
                .map(|(k, st)| {
                    vec![
                        k.to_string(),
                        s.describe(st),
                        s.inconsistency(st, fixed).to_string(),
                        changed(k).join("; "),
                    ]
                })
                .collect();
            csv_text(&["step", "scenario", "inconsistency", "changed"], &rows)?
        }
        Format::Table => {
            let mut t = crate::render::table(["step", "scenario", "IC", "changed"]);
            for (k, st) in p.steps.iter().enumerate() {
                t.add_row([
                    k.to_string(),
                    s.describe(st),
                    s.inconsistency(st, fixed).to_string(),
                    changed(k).join("; "),
                ]);
            }
            format!(
                "{:?} succession\n{t}\nends in a {kind}: {what}\n",
                args.succession
            )
        }
    };
    emit(args.out.as_deref(), &out)
}

/// `--attractors`: every attractor and its basin weight.
#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn attractors(args: &Args, doc: &Loaded, fixed: &[Option<u8>]) -> Result<(), CliError> {
    let s = &doc.system;
    let free_space = s.free_space(fixed);
    let starts = match args.starts.as_deref() {
        Some("all") => Starts::All,
        Some(n) => {
            let count: u64 = n.parse().map_err(|_| {
                CliError::Usage(format!(
                    "--starts {n}: expected 'all' or a number of starts"
                ))
            })?;
            crate::limits::CIB_STARTS.check(count)?;
            Starts::Sample {
                count,
                seed: args.seed,
            }
        }
        None if free_space <= 4_000_000 => Starts::All,
        None => Starts::Sample {
            count: 10_000,
            seed: args.seed,
        },
    };
    let report: BasinReport = basins(s, args.succession.into(), fixed, starts).map_err(usage)?;
    let n = report.starts;
    let rows: Vec<(String, String, u64, f64, f64, f64, String)> = report
        .basins
        .iter()
        .map(|b| {
            let (kind, what) = attractor_text(doc, &b.attractor);
            let (lo, hi) = wilson_interval(b.weight, n);
            let class = match &b.attractor {
                Attractor::FixedPoint { scenario } => class_of(doc, scenario),
                Attractor::Cycle { .. } => String::new(),
            };
            (
                kind,
                what,
                b.weight,
                b.weight as f64 / n.max(1) as f64,
                lo,
                hi,
                class,
            )
        })
        .collect();
    let out = match args.format {
        Format::Json => json_text(&json!({
            "rule": report.rule,
            "starts": report.starts,
            "exhaustive": report.exhaustive,
            "seed": (!report.exhaustive).then_some(args.seed),
            "basins": report.basins.iter().zip(&rows).map(|(b, r)| json!({
                "attractor": b.attractor,
                "text": r.1,
                "weight": b.weight,
                "share": r.3,
                "share_interval_95": if report.exhaustive { None } else { Some([r.4, r.5]) },
                "class": r.6,
            })).collect::<Vec<_>>(),
        }))?,
        Format::Csv => csv_text(
            &["kind", "attractor", "weight", "share", "class"],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.0.clone(),
                        r.1.clone(),
                        r.2.to_string(),
                        format!("{:.6}", r.3),
                        r.6.clone(),
                    ]
                })
                .collect::<Vec<_>>(),
        )?,
        Format::Table => {
            let mut t =
                crate::render::table(["attractor", "kind", "basin weight", "share", "class"]);
            for r in &rows {
                let share = if report.exhaustive {
                    format!("{:.1} %", 100.0 * r.3)
                } else {
                    format!(
                        "{:.1} % [{:.1}, {:.1}]",
                        100.0 * r.3,
                        100.0 * r.4,
                        100.0 * r.5
                    )
                };
                t.add_row([
                    r.1.clone(),
                    r.0.clone(),
                    r.2.to_string(),
                    share,
                    r.6.clone(),
                ]);
            }
            let starts = if report.exhaustive {
                format!("all {} scenarios", report.starts)
            } else {
                format!(
                    "{} random starts (seed {}; 95 % Wilson intervals)",
                    report.starts, args.seed
                )
            };
            format!(
                "{:?} succession from {starts}: {} attractors\n{t}\n",
                report.rule,
                report.basins.len()
            )
        }
    };
    emit(args.out.as_deref(), &out)
}

/// `--uncertainty`: how often each scenario is consistent when the judgements are drawn.
#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn uncertainty(
    args: &Args,
    doc: &Loaded,
    draws: u64,
    fixed: &[Option<u8>],
) -> Result<(), CliError> {
    if draws == 0 {
        return Err(CliError::Usage(
            "--uncertainty needs at least 1 draw".into(),
        ));
    }
    crate::limits::CIB_DRAWS.check(draws)?;
    // Measured on the 1989 matrix (docs/reliability.md): 316 us and 583 bytes per draw.
    crate::limits::announce(
        draws as f64 * 316e-6 * 2.0 / crate::limits::workers(args.threads),
        draws as f64 * 583.0,
    );
    if let Some(sigma) = args.sigma
        && !(sigma.is_finite() && sigma >= 0.0)
    {
        return Err(CliError::Usage(format!(
            "--sigma {sigma}: expected a number of 0 or more"
        )));
    }
    let s = &doc.system;
    let confidences = doc
        .sections
        .iter()
        .map(|(k, n)| (*k, n.confidence))
        .collect();
    let plan = UncertaintyPlan {
        sigma: section_sigmas(s, &confidences, args.sigma),
        scale: doc.scale,
        draws,
        seed: args.seed,
        tolerance: args.tolerance,
        steps: args.draw_steps,
        fixed: fixed.to_vec(),
        threads: args.threads,
    };
    if args.draw_steps < 1 {
        return Err(CliError::Usage(format!(
            "--draw-steps {}: expected 1 or more",
            args.draw_steps
        )));
    }
    let bar = crate::render::progress_bar(draws);
    let report = judgement_uncertainty(s, &plan, &|done| bar.set_position(done)).map_err(usage)?;
    bar.finish_and_clear();
    let limit = args.limit;
    let out = match args.format {
        Format::Json => json_text(&json!({
            "draws": report.draws,
            "seed": args.seed,
            "tolerance": args.tolerance,
            "sigma": args.sigma,
            "draw_steps": args.draw_steps,
            "count_mean": report.count_mean,
            "count_min": report.count_min,
            "count_max": report.count_max,
            "scenarios": report.scenarios.iter().map(|f| {
                let (lo, hi) = wilson_interval(f.draws, report.draws);
                json!({ "scenario": s.describe(&f.scenario), "draws": f.draws, "share": f.share, "interval_95": [lo, hi], "in_base": f.in_base, "class": class_of(doc, &f.scenario) })
            }).collect::<Vec<_>>(),
        }))?,
        Format::Csv => csv_text(
            &[
                "scenario", "draws", "share", "low_95", "high_95", "in_base", "class",
            ],
            &report
                .scenarios
                .iter()
                .map(|f| {
                    let (lo, hi) = wilson_interval(f.draws, report.draws);
                    vec![
                        s.describe(&f.scenario),
                        f.draws.to_string(),
                        format!("{:.6}", f.share),
                        format!("{lo:.6}"),
                        format!("{hi:.6}"),
                        f.in_base.to_string(),
                        class_of(doc, &f.scenario),
                    ]
                })
                .collect::<Vec<_>>(),
        )?,
        Format::Table => {
            let mut t = crate::render::table([
                "scenario",
                "P(consistent)",
                "95 %",
                "in base matrix",
                "class",
            ]);
            for f in report.scenarios.iter().take(limit) {
                let (lo, hi) = wilson_interval(f.draws, report.draws);
                t.add_row([
                    s.describe(&f.scenario),
                    format!("{:.3}", f.share),
                    format!("[{lo:.3}, {hi:.3}]"),
                    if f.in_base { "yes" } else { "no" }.to_string(),
                    class_of(doc, &f.scenario),
                ]);
            }
            let sigma = args
                .sigma
                .map_or("σ from each section's confidence".to_string(), |x| {
                    format!("σ = {x} for every judged section")
                });
            let sigma = if args.draw_steps == 1 {
                format!("{sigma}, integer judgements")
            } else {
                format!("{sigma}, judgements in steps of 1/{}", args.draw_steps)
            };
            format!(
                "{} draws ({sigma}; seed {}): {:.1} consistent scenarios per draw (min {}, max {}); {} scenarios consistent in some draw{}\n{t}\n",
                report.draws,
                args.seed,
                report.count_mean,
                report.count_min,
                report.count_max,
                report.scenarios.len(),
                if report.scenarios.len() > limit {
                    format!(", the {limit} most frequent shown")
                } else {
                    String::new()
                }
            )
        }
    };
    emit(args.out.as_deref(), &out)
}
