//! Collective decisions among stakeholders on one issue: the weighted median and mean
//! ([`median`]), Bueno de Mesquita's expected utility model as specified by Scholz, Calbert
//! and Smith (2011) ([`bdm`]), Stokman and van Oosten's exchange model ([`exchange`], and
//! as an ensemble over seeds, [`ensemble`]), and the files they read ([`table`],
//! [`decide_format`]).

pub mod bdm;
pub mod decide_format;
pub mod ensemble;
pub mod exchange;
pub mod median;
pub mod published;
pub mod table;

pub use median::{weighted_mean, weighted_median, weights};
pub use table::{Stakeholder, StakeholderTable, read_stakeholders};

#[cfg(test)]
mod tests {
    /// Every shipped data set reads without a problem.
    #[test]
    fn shipped_data_sets_read() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/bargain");
        for entry in std::fs::read_dir(format!("{dir}/bdm")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let t = super::read_stakeholders(&text).unwrap_or_else(|d| panic!("{path:?}: {d:?}"));
            assert!(t.stakeholders.len() >= 4, "{path:?}");
        }
        for entry in std::fs::read_dir(format!("{dir}/decide")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let m = super::decide_format::read_decide(&text)
                .unwrap_or_else(|d| panic!("{path:?}: {d:?}"));
            assert!(m.actors.len() >= 4 && !m.issues.is_empty(), "{path:?}");
        }
    }
}
