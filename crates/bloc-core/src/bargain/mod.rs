//! Collective decisions among stakeholders on one issue: the weighted median and mean
//! ([`median`]), Bueno de Mesquita's expected utility model as specified by Scholz, Calbert
//! and Smith (2011) ([`bdm`]), and the stakeholder tables they read ([`table`]).

pub mod median;
pub mod table;

pub use median::{weighted_mean, weighted_median, weights};
pub use table::{Stakeholder, StakeholderTable, read_stakeholders};
