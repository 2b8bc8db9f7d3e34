//! # bloc-citizens
//!
//! Models of citizens' collective action, the bottom layer of the bloc model and checked on
//! their own against their papers and peers:
//!
//! * [`epstein`]: Epstein's civil violence Model I (PNAS 2002), grievance, risk and
//!   thresholds on a lattice with cops and jail.
//! * [`granovetter`]: Granovetter's (1978) threshold model of collective behaviour.
//!
//! ```
//! use bloc_citizens::epstein::{EpsteinScenario, simulate_run};
//! use bloc_base::seeding::run_rng;
//!
//! let scenario = EpsteinScenario::paper_default();
//! let mut rng = run_rng(42, 0);
//! let run = simulate_run(&scenario, 50, &mut rng);
//! assert_eq!(run.counts.len(), 51); // the initial state and 50 steps
//! ```

pub mod epstein;
pub mod granovetter;
