//! `bloc check FILE`: validate a scenario, history case, events, strategy, playbook or CIB file
//! and print every problem at once.

use crate::CliError;
use crate::input;
use bloc_citizens::epstein::EpsteinScenario;
use bloc_model::BlocScenario;
use std::path::PathBuf;

/// Arguments of `bloc check`.
#[derive(clap::Args)]
pub struct Args {
    /// The scenario file.
    file: PathBuf,
    /// Print the problems as JSON on stdout instead of text on stderr.
    #[arg(long)]
    json: bool,
    /// For an events, strategy or playbook file: the scenario whose countries it names
    /// (default: the embedded Eastern Europe 1989 scenario).
    #[arg(long)]
    scenario: Option<PathBuf>,
}

/// Checks the file.
pub fn run(args: Args) -> Result<(), CliError> {
    let extension = input::extension(&args.file);
    if extension == "scw" || extension == "json" {
        return check_cib_interchange(&args, &extension);
    }
    let source = input::read(Some(&args.file), "", "")?;
    // The format is named by `scenario.kind`; a file without it is read as Model I.
    let table = toml::from_str::<toml::Table>(&source.text).ok();
    let kind = table
        .as_ref()
        .and_then(|t| {
            t.get("scenario")
                .and_then(|s| s.get("kind"))
                .and_then(|k| k.as_str().map(str::to_string))
        })
        .unwrap_or_default();
    // An events file has `events` and no `[scenario]`.
    let events_file = table
        .as_ref()
        .is_some_and(|t| t.contains_key("events") && !t.contains_key("scenario"));
    // A strategy file has a `[strategy]` table.
    let strategy_file = table.as_ref().is_some_and(|t| t.contains_key("strategy"));
    // A playbook has a `[playbook]` table.
    let playbook_file = table.as_ref().is_some_and(|t| t.contains_key("playbook"));
    // A CIB matrix has a `[cib]` table.
    let cib_file = table.as_ref().is_some_and(|t| t.contains_key("cib"));
    // A misspelt kind is read as the closer format, whose schema then names the right kind.
    let closest = bloc_base::document::closest(&kind, ["epstein", "bloc", "bloc-case"]);
    let case = kind == bloc_model::case::CASE_KIND
        || (!kind.is_empty() && closest == Some(bloc_model::case::CASE_KIND));
    let bloc = kind == "bloc" || (!kind.is_empty() && closest == Some("bloc"));
    let empty = table.as_ref().is_some_and(toml::Table::is_empty);
    let result = if empty {
        Err(bloc_base::diagnostics::Diagnostics(vec![
            bloc_base::diagnostics::Diagnostic::new(
                0..0,
                "",
                "the file has no tables or keys",
                "a scenario, history case, events, strategy, playbook or CIB file",
            ),
        ]))
    } else if cib_file {
        bloc_cib::file::read_cib_toml(&source.text).map(|_| ())
    } else if events_file || strategy_file || playbook_file {
        let scenario_source = input::read(
            args.scenario.as_deref(),
            "<embedded eastern-europe-1989.toml>",
            bloc_model::EASTERN_EUROPE_1989_TOML,
        )?;
        let scenario = BlocScenario::from_toml(&scenario_source.text)
            .map_err(|d| input::report(&scenario_source, &d))?;
        if strategy_file {
            bloc_model::strategy::apply_strategy(&scenario, &source.text).map(|_| ())
        } else if playbook_file {
            bloc_model::strategy::playbook::read_playbook(&scenario, &source.text).map(|_| ())
        } else {
            bloc_model::overrides::merge_events(&scenario, &source.text).map(|_| ())
        }
    } else if case {
        bloc_model::case::HistoryCase::from_toml(&source.text).map(|_| ())
    } else if bloc {
        BlocScenario::from_toml(&source.text).map(|_| ())
    } else {
        EpsteinScenario::from_toml(&source.text).map(|_| ())
    };
    report(&args, &source, &result)
}

/// A ScenarioWizard `.scw` or PyCIB `.json` matrix, read as `bloc cib` reads it.
fn check_cib_interchange(args: &Args, extension: &str) -> Result<(), CliError> {
    let name = args.file.display().to_string();
    let bytes = input::read_bytes(&args.file)?;
    let (text, result) = if extension == "scw" {
        let text = bloc_cib::scw::decode_text(&bytes);
        let result = bloc_cib::scw::read_scw_with_warnings(&text).map(|_| ());
        (text, result)
    } else {
        let text = input::utf8_text(&name, bytes)?;
        let result = bloc_cib::pycib::read_pycib_json(&text).map(|_| ());
        (text, result)
    };
    report(args, &input::Source { name, text }, &result)
}

/// Prints the problems (or "ok") as text on stderr or as JSON on stdout.
fn report(
    args: &Args,
    source: &input::Source,
    result: &Result<(), bloc_base::diagnostics::Diagnostics>,
) -> Result<(), CliError> {
    if args.json {
        let diags = result.as_ref().err().cloned().unwrap_or_default();
        let lines = bloc_base::diagnostics::LineIndex::new(&source.text);
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "file": source.name,
            "valid": result.is_ok(),
            "problems": diags.iter().map(|d| {
                let (line, column) = lines.line_col(d.span.start);
                serde_json::json!({"line": line, "column": column, "span": [d.span.start, d.span.end],
                    "path": d.path, "message": d.message, "expected": d.expected, "hint": d.hint})
            }).collect::<Vec<_>>(),
        }))
        .map_err(|e| CliError::Usage(e.to_string()))?;
        crate::output::emit(None, &(text + "\n"))?;
        return if result.is_ok() {
            Ok(())
        } else {
            Err(CliError::Invalid(String::new()))
        };
    }
    match result {
        Ok(_) => crate::output::emit(None, &format!("{}: ok\n", source.name)),
        Err(diags) => Err(input::report(source, diags)),
    }
}
