//! The consistent scenarios: a table ranked by total impact score, or every scenario as
//! JSON or CSV written as it is found (streaming), or a count only; ensembles of matrices.

use super::files::{Loaded, load};
use super::{Args, csv_text, usage};
use crate::CliError;
use crate::output::{Format, emit, emit_with};
use bloc_cib::ensemble::{Combination, ensemble_consistent, sum_system};
use bloc_cib::file::classify;
use bloc_cib::search::{SearchOptions, SearchStats, count_consistent, for_each_consistent};
use bloc_cib::system::{CibSystem, Scenario, is_free};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::Write;
use std::ops::ControlFlow;
use std::time::Instant;

/// One listed scenario.
#[derive(Serialize)]
struct Row {
    /// Variant ids in descriptor order.
    variants: Vec<String>,
    /// Total impact score (of the mean matrix for an ensemble).
    total_impact_score: f64,
    /// Scenario inconsistency (≤ the tolerance).
    inconsistency: f64,
    /// The first class that holds, if classes are defined.
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<String>,
    /// Outcome id → holds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    outcomes: Vec<(String, bool)>,
    /// Members in which it is consistent (ensembles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    consistent_in_members: Option<usize>,
}

fn row(doc: &Loaded, system: &CibSystem, members: usize, z: &[u8], fixed: &[Option<u8>]) -> Row {
    let k = members.max(1) as f64;
    Row {
        variants: z
            .iter()
            .enumerate()
            .map(|(j, &v)| doc.system.descriptors()[j].variant_ids[usize::from(v)].clone())
            .collect(),
        total_impact_score: f64::from(system.total_impact_score(z)) / k,
        inconsistency: f64::from(system.inconsistency(z, fixed)) / k,
        class: (!doc.classes.is_empty()).then(|| {
            classify(&doc.system, &doc.classes, z)
                .map_or_else(|| "unclassified".to_string(), |c| c.id.clone())
        }),
        outcomes: doc
            .outcomes
            .iter()
            .map(|o| (o.id.clone(), o.holds(&doc.system, z)))
            .collect(),
        consistent_in_members: None,
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

fn csv_header(doc: &Loaded, ensemble: bool) -> Vec<String> {
    let mut h: Vec<String> = doc
        .system
        .descriptors()
        .iter()
        .map(|d| d.id.clone())
        .collect();
    h.extend([
        "total_impact_score".to_string(),
        "inconsistency".to_string(),
    ]);
    if !doc.classes.is_empty() {
        h.push("class".into());
    }
    h.extend(doc.outcomes.iter().map(|o| o.id.clone()));
    if ensemble {
        h.push("consistent_in_members".into());
    }
    h
}

fn csv_record(r: &Row) -> Vec<String> {
    let mut rec = r.variants.clone();
    rec.extend([fmt_num(r.total_impact_score), fmt_num(r.inconsistency)]);
    if let Some(c) = &r.class {
        rec.push(c.clone());
    }
    rec.extend(r.outcomes.iter().map(|(_, h)| h.to_string()));
    if let Some(m) = r.consistent_in_members {
        rec.push(m.to_string());
    }
    rec
}

/// Metadata of a listing.
#[derive(Serialize)]
struct Meta<'a> {
    bloc_version: &'a str,
    file: &'a str,
    system: &'a str,
    descriptors: Vec<&'a str>,
    space: String,
    tolerance: i32,
    fixed: Vec<(String, String)>,
}

fn meta<'a>(doc: &'a Loaded, args: &Args, fixed: &[Option<u8>]) -> Meta<'a> {
    Meta {
        bloc_version: bloc_base::VERSION,
        file: &doc.name,
        system: &doc.system.name,
        descriptors: doc
            .system
            .descriptors()
            .iter()
            .map(|d| d.id.as_str())
            .collect(),
        space: doc.system.space_size_exact().to_string(),
        tolerance: args.tolerance,
        fixed: fixed
            .iter()
            .enumerate()
            .filter_map(|(j, f)| {
                f.map(|v| {
                    let d = &doc.system.descriptors()[j];
                    (d.id.clone(), d.variant_ids[usize::from(v)].clone())
                })
            })
            .collect(),
    }
}

/// The number of scenarios searched, exactly: the variants of the free descriptors multiplied
/// (every free descriptor is in one island; fixed ones are not).
fn searched_space(doc: &Loaded, stats: &SearchStats) -> num_bigint::BigUint {
    stats
        .islands
        .iter()
        .flatten()
        .map(|&j| num_bigint::BigUint::from(doc.system.variant_count(j)))
        .product()
}

fn island_names(doc: &Loaded, stats: &SearchStats) -> Vec<Vec<String>> {
    stats
        .islands
        .iter()
        .map(|g| {
            g.iter()
                .map(|&j| doc.system.descriptors()[j].id.clone())
                .collect()
        })
        .collect()
}

/// Lists (or counts) the consistent scenarios.
#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn consistent(args: &Args, doc: &Loaded, fixed: &[Option<u8>]) -> Result<(), CliError> {
    if !args.ensemble.is_empty() {
        return ensemble(args, doc, fixed);
    }
    let options = SearchOptions {
        tolerance: args.tolerance,
        fixed: fixed.to_vec(),
        islands: !args.no_islands,
        threads: args.threads,
    };
    let bar = crate::render::progress_bar(0);
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let m = meta(doc, args, fixed);
    if args.count_only {
        let start = Instant::now();
        let stats = count_consistent(&doc.system, &options, &progress).map_err(usage)?;
        let seconds = start.elapsed().as_secs_f64();
        bar.finish_and_clear();
        return emit(
            args.out.as_deref(),
            &count_text(args, doc, &m, &stats, seconds)?,
        );
    }
    let keep_all = args.export_sl.is_some();
    let mut all: Vec<Scenario> = Vec::new();
    let start = Instant::now();
    let result = match args.format {
        Format::Table => {
            // The `limit` best by total impact score (then lexicographic), in bounded memory.
            let mut best: BinaryHeap<(Reverse<i32>, Scenario)> = BinaryHeap::new();
            let stats = for_each_consistent(&doc.system, &options, &progress, |z| {
                if keep_all {
                    all.push(z.to_vec());
                }
                best.push((Reverse(doc.system.total_impact_score(z)), z.to_vec()));
                if best.len() > args.limit {
                    best.pop();
                }
                ControlFlow::Continue(())
            })
            .map_err(usage)?;
            let seconds = start.elapsed().as_secs_f64();
            bar.finish_and_clear();
            let mut rows: Vec<(Reverse<i32>, Scenario)> = best.into_vec();
            rows.sort();
            let rows: Vec<Row> = rows
                .iter()
                .map(|(_, z)| row(doc, &doc.system, 1, z, fixed))
                .collect();
            emit(
                args.out.as_deref(),
                &table_text(args, doc, &rows, &stats, seconds, None),
            )
        }
        Format::Json => {
            let written = emit_with(args.out.as_deref(), |w: &mut dyn Write| {
                let mut failure: Option<std::io::Error> = None;
                let mut first = true;
                write!(
                    w,
                    "{{\"meta\":{},\"scenarios\":[",
                    serde_json::to_string(&m)?
                )?;
                let stats = for_each_consistent(&doc.system, &options, &progress, |z| {
                    if keep_all {
                        all.push(z.to_vec());
                    }
                    let sep = if first { "\n" } else { ",\n" };
                    first = false;
                    let r = row(doc, &doc.system, 1, z, fixed);
                    match serde_json::to_string(&r)
                        .map_err(std::io::Error::other)
                        .and_then(|s| write!(w, "{sep}{s}"))
                    {
                        Ok(()) => ControlFlow::Continue(()),
                        Err(e) => {
                            failure = Some(e);
                            ControlFlow::Break(())
                        }
                    }
                })
                .map_err(std::io::Error::other)?;
                if let Some(e) = failure {
                    return Err(e);
                }
                let seconds = start.elapsed().as_secs_f64();
                writeln!(
                    w,
                    "\n],\"count\":{},\"search_seconds\":{seconds},\"nodes\":{},\"islands\":{},\"island_counts\":{}}}",
                    stats.count,
                    stats.nodes,
                    serde_json::to_string(&island_names(doc, &stats))?,
                    serde_json::to_string(&stats.island_counts)?
                )
            });
            bar.finish_and_clear();
            written
        }
        Format::Csv => {
            let written = emit_with(args.out.as_deref(), |w: &mut dyn Write| {
                // One CSV writer (buffered, quoting where needed) for the whole stream.
                let mut out = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_writer(w);
                out.write_record(csv_header(doc, false))?;
                let mut failure: Option<csv::Error> = None;
                for_each_consistent(&doc.system, &options, &progress, |z| {
                    if keep_all {
                        all.push(z.to_vec());
                    }
                    match out.write_record(csv_record(&row(doc, &doc.system, 1, z, fixed))) {
                        Ok(()) => ControlFlow::Continue(()),
                        Err(e) => {
                            failure = Some(e);
                            ControlFlow::Break(())
                        }
                    }
                })
                .map_err(std::io::Error::other)?;
                if let Some(e) = failure {
                    return Err(e.into());
                }
                out.flush()
            });
            bar.finish_and_clear();
            written
        }
    };
    result?;
    if let Some(p) = &args.export_sl {
        super::files::write_solution_list(p, doc, &all)?;
    }
    Ok(())
}

fn count_text(
    args: &Args,
    doc: &Loaded,
    m: &Meta,
    stats: &SearchStats,
    seconds: f64,
) -> Result<String, CliError> {
    let islands = island_names(doc, stats);
    Ok(match args.format {
        Format::Json => {
            // Counts are written as JSON numbers of any size (the count through its decimal
            // digits, the islands' u128 through the serializer; a `serde_json::Value` would
            // stop at u64).
            #[derive(Serialize)]
            struct CountOut<'a> {
                meta: &'a Meta<'a>,
                count: Box<serde_json::value::RawValue>,
                search_seconds: f64,
                nodes: u64,
                islands: Vec<Vec<String>>,
                island_counts: &'a [u128],
            }
            let out = CountOut {
                meta: m,
                count: serde_json::value::RawValue::from_string(stats.count.to_string())
                    .map_err(usage)?,
                search_seconds: seconds,
                nodes: stats.nodes,
                islands,
                island_counts: &stats.island_counts,
            };
            serde_json::to_string_pretty(&out).map_err(usage)? + "\n"
        }
        Format::Csv => format!(
            "count,space,tolerance,search_seconds,nodes,islands\n{},{},{},{seconds},{},{}\n",
            stats.count,
            m.space,
            args.tolerance,
            stats.nodes,
            islands.len()
        ),
        Format::Table => {
            let mut t = crate::render::table(["island", "descriptors", "consistent"]);
            for (k, g) in islands.iter().enumerate() {
                t.add_row([
                    (k + 1).to_string(),
                    g.join(" "),
                    stats.island_counts[k].to_string(),
                ]);
            }
            format!(
                "{}: {} consistent scenarios of {} (tolerance {}), {} nodes, {:.3} s\n{t}\n",
                doc.name,
                stats.count,
                searched_space(doc, stats),
                args.tolerance,
                stats.nodes,
                seconds
            )
        }
    })
}

fn table_text(
    args: &Args,
    doc: &Loaded,
    rows: &[Row],
    stats: &SearchStats,
    seconds: f64,
    members: Option<(usize, String)>,
) -> String {
    let mut header: Vec<String> = vec!["#".into()];
    header.extend(doc.system.descriptors().iter().map(|d| d.id.clone()));
    header.extend(["TIS".to_string(), "IC".to_string()]);
    if !doc.classes.is_empty() {
        header.push("class".into());
    }
    header.extend(doc.outcomes.iter().map(|o| o.id.clone()));
    if members.is_some() {
        header.push("members".into());
    }
    let mut t = crate::render::table(header);
    for (k, r) in rows.iter().enumerate() {
        let mut cells = vec![(k + 1).to_string()];
        cells.extend(csv_record(r).into_iter().map(|c| match c.as_str() {
            "true" => "yes".to_string(),
            "false" => "no".to_string(),
            _ => c,
        }));
        t.add_row(cells);
    }
    let shown = if num_bigint::BigUint::from(rows.len()) < stats.count {
        format!(
            ", the {} with the highest total impact score shown (--limit)",
            rows.len()
        )
    } else {
        String::new()
    };
    let ensemble = members.map_or(String::new(), |(k, rule)| {
        format!(" in an ensemble of {k} matrices ({rule})")
    });
    let fixed = if stats.islands.iter().map(Vec::len).sum::<usize>() < doc.system.descriptor_count()
    {
        " with fixed descriptors"
    } else {
        ""
    };
    format!(
        "{}: {} consistent scenarios of {} (tolerance {}){fixed}{ensemble}{shown}; {} island{}, {} nodes, {:.3} s\n{t}\n",
        doc.name,
        stats.count,
        searched_space(doc, stats),
        args.tolerance,
        stats.islands.len(),
        if stats.islands.len() == 1 { "" } else { "s" },
        stats.nodes,
        seconds
    )
}

/// An ensemble of matrices: the first file and `--ensemble` files.
fn ensemble(args: &Args, doc: &Loaded, fixed: &[Option<u8>]) -> Result<(), CliError> {
    let mut members = vec![doc.system.clone()];
    for p in &args.ensemble {
        members.push(load(Some(p))?.system);
    }
    let k = members.len();
    let combination = match args.combine.trim() {
        "mean" => Combination::Mean,
        other => match other
            .strip_prefix("quorum=")
            .and_then(|q| q.parse::<usize>().ok())
        {
            Some(q) => Combination::Quorum(q),
            None => {
                return Err(CliError::Usage(format!(
                    "--combine {other}: expected 'mean' or 'quorum=Q' with Q from 1 to {k}"
                )));
            }
        },
    };
    let options = SearchOptions {
        tolerance: args.tolerance,
        fixed: fixed.to_vec(),
        islands: !args.no_islands,
        threads: args.threads,
    };
    let start = Instant::now();
    let found = ensemble_consistent(&members, combination, &options).map_err(usage)?;
    let seconds = start.elapsed().as_secs_f64();
    let sum = sum_system(&members).map_err(usage)?;
    let mut rows: Vec<Row> = found
        .iter()
        .map(|e| {
            let mut r = row(doc, &sum, k, &e.scenario, fixed);
            r.consistent_in_members = Some(e.members);
            r
        })
        .collect();
    let rule = match combination {
        Combination::Mean => "mean matrix".to_string(),
        Combination::Quorum(q) => format!("consistent in at least {q} of {k}"),
    };
    let stats = SearchStats {
        count: rows.len().into(),
        islands: vec![
            (0..doc.system.descriptor_count())
                .filter(|&j| is_free(fixed, j))
                .collect(),
        ],
        ..SearchStats::default()
    };
    let text = match args.format {
        Format::Table => {
            rows.sort_by(|a, b| b.total_impact_score.total_cmp(&a.total_impact_score));
            rows.truncate(args.limit);
            table_text(args, doc, &rows, &stats, seconds, Some((k, rule)))
        }
        Format::Json => {
            let v = serde_json::json!({
                "meta": meta(doc, args, fixed),
                "members": std::iter::once(doc.name.clone()).chain(args.ensemble.iter().map(|p| p.display().to_string())).collect::<Vec<_>>(),
                "combination": rule,
                "scenarios": rows,
                "count": rows.len(),
                "search_seconds": seconds,
            });
            serde_json::to_string_pretty(&v).map_err(usage)? + "\n"
        }
        Format::Csv => {
            let records: Vec<Vec<String>> = rows.iter().map(csv_record).collect();
            csv_text(&csv_header(doc, true), &records)?
        }
    };
    emit(args.out.as_deref(), &text)?;
    if let Some(p) = &args.export_sl {
        let all: Vec<Scenario> = found.into_iter().map(|e| e.scenario).collect();
        super::files::write_solution_list(p, doc, &all)?;
    }
    Ok(())
}
