//! `bloc schema`: print the JSON Schema of a scenario format.

use crate::CliError;
use bloc_core::epstein::EpsteinScenario;

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
        Kind::Epstein => bloc_core::document::schema_json::<EpsteinScenario>(),
        Kind::Bloc => bloc_core::document::schema_json::<bloc_core::bloc::BlocScenario>(),
        Kind::Events => {
            bloc_core::document::schema_json::<bloc_core::bloc::overrides::EventsFile>()
        }
        Kind::Strategy => bloc_core::document::schema_json::<bloc_core::strategy::Strategy>(),
        Kind::Playbook => {
            bloc_core::document::schema_json::<bloc_core::strategy::playbook::Playbook>()
        }
        Kind::Cib => bloc_core::document::schema_json::<bloc_core::cib::file::CibFile>(),
    };
    let text = serde_json::to_string_pretty(&schema).map_err(|e| CliError::Usage(e.to_string()))?;
    crate::output::emit(None, &(text + "\n"))
}
