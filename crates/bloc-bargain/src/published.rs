//! The published stakeholder data sets shipped in `data/bargain/` (sources in its README),
//! embedded so that `bloc validate` needs no files, and the reference runs of the peers.

/// A published BDM data set and the run of Scholz's code on it (10 rounds, made with
/// dmasad's Python 3 port of jmckib's `bdm_scholz_model.py`; see docs/bargaining.md).
pub struct BdmCase {
    /// Name of the data set.
    pub name: &'static str,
    /// The stakeholder table (CSV or TSV).
    pub table: &'static str,
    /// The reference run as JSON: `initial_median`, `initial_mean`, and per round
    /// `risk_exponents`, `positions`, `median`, `mean`.
    pub reference: &'static str,
}

macro_rules! case {
    ($name:literal, $ext:literal) => {
        BdmCase {
            name: $name,
            table: include_str!(concat!("../../../data/bargain/bdm/", $name, ".", $ext)),
            reference: include_str!(concat!(
                "../../../data/bargain/reference/bdm/",
                $name,
                ".jmckib.json"
            )),
        }
    };
}

/// The seven published BDM data sets.
pub const BDM_CASES: [BdmCase; 7] = [
    case!("emission_standards_bdm1994", "csv"),
    case!("sultan_bdm1997", "csv"),
    case!("china_dmasad2014", "csv"),
    case!("honduras_dmasad2014", "csv"),
    case!("greece_eu_2015_thirdwave", "csv"),
    case!("iranian_election_eum", "tsv"),
    case!("argentina_eum", "tsv"),
];

/// A published exchange-model data set (decide's text format).
pub struct DecideCase {
    /// Name of the data set (the key in [`DECIDE_SUMMARY`]).
    pub name: &'static str,
    /// The input, in decide's text format.
    pub input: &'static str,
}

/// The three data sets shipped with `decide-exchange-model`.
pub const DECIDE_CASES: [DecideCase; 3] = [
    DecideCase {
        name: "sample_data",
        input: include_str!("../../../data/bargain/decide/sample_data.txt"),
    },
    DecideCase {
        name: "copenhagen",
        input: include_str!("../../../data/bargain/decide/copenhagen.csv"),
    },
    DecideCase {
        name: "cop21",
        input: include_str!("../../../data/bargain/decide/cop21.csv"),
    },
];

/// decide's final Nash bargaining solution per issue (0-100 scale) after 10 rounds of the
/// equal-gain model: mean and population standard deviation over its seeds 0-19, per data
/// set (made by running decide-exchange-model 2022.1.28; see docs/bargaining.md).
pub const DECIDE_SUMMARY: &str =
    include_str!("../../../data/bargain/reference/decide/summary.json");
