//! `bloc schema`: print the JSON Schema of a scenario format.

use crate::CliError;
use bloc_citizens::epstein::EpsteinScenario;

/// Arguments of `bloc schema`.
#[derive(clap::Args)]
pub struct Args {
    /// The format.
    #[arg(value_enum, default_value_t = Kind::Epstein)]
    kind: Kind,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Kind {
    /// Epstein's civil violence Model I (`bloc epstein --config`).
    Epstein,
    /// A bloc scenario (`bloc forecast SCENARIO`).
    Bloc,
    /// A historical case (`scenarios/history/ID.toml`, scored by `bloc validate`).
    Case,
    /// An events file (`bloc forecast --events FILE`).
    Events,
    /// A strategy of the centre (`bloc compare STRATEGY...`).
    Strategy,
    /// A playbook of triggers and reactions (`bloc playbook PLAYBOOK`).
    Playbook,
    /// A cross-impact matrix (`bloc cib FILE.toml`).
    Cib,
}

/// Prints the schema.
pub fn run(args: Args) -> Result<(), CliError> {
    let schema = match args.kind {
        Kind::Epstein => bloc_base::document::schema_json::<EpsteinScenario>(),
        Kind::Bloc => bloc_base::document::schema_json::<bloc_model::BlocScenario>(),
        Kind::Case => bloc_base::document::schema_json::<bloc_model::case::HistoryCase>(),
        Kind::Events => bloc_base::document::schema_json::<bloc_model::overrides::EventsFile>(),
        Kind::Strategy => bloc_base::document::schema_json::<bloc_model::strategy::Strategy>(),
        Kind::Playbook => {
            bloc_base::document::schema_json::<bloc_model::strategy::playbook::Playbook>()
        }
        Kind::Cib => bloc_base::document::schema_json::<bloc_cib::file::CibFile>(),
    };
    let text = serde_json::to_string_pretty(&schema).map_err(|e| CliError::Usage(e.to_string()))?;
    crate::output::emit(None, &(text + "\n"))
}
