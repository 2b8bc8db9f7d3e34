//! Prints the flagship scenario's parameter table (every sourced value with its source), the
//! table that docs/model.md carries between its `parameter-table` markers.
//!
//! `cargo run -p bloc-model --example parameter_table`

use bloc_model::BlocScenario;
use bloc_model::parameters::parameter_table;

fn main() {
    print!("{}", parameter_table(&BlocScenario::eastern_europe_1989()));
}
