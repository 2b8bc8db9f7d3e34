//! The history suite's case files, embedded so that `bloc validate` runs on a machine
//! without the source tree (scenarios/history/; a test checks the list against the folder).

/// The crises of 1953–1988 as cases: (crisis id, TOML text).
pub const CASES: &[(&str, &str)] = &[
    (
        "BGR1953",
        include_str!("../../../../scenarios/history/BGR1953.toml"),
    ),
    (
        "GDR1953",
        include_str!("../../../../scenarios/history/GDR1953.toml"),
    ),
    (
        "POL1956O",
        include_str!("../../../../scenarios/history/POL1956O.toml"),
    ),
    (
        "HUN1956",
        include_str!("../../../../scenarios/history/HUN1956.toml"),
    ),
    (
        "HUN1956W",
        include_str!("../../../../scenarios/history/HUN1956W.toml"),
    ),
    (
        "GDR1961",
        include_str!("../../../../scenarios/history/GDR1961.toml"),
    ),
    (
        "CSK1968",
        include_str!("../../../../scenarios/history/CSK1968.toml"),
    ),
    (
        "POL1968",
        include_str!("../../../../scenarios/history/POL1968.toml"),
    ),
    (
        "CSK1969",
        include_str!("../../../../scenarios/history/CSK1969.toml"),
    ),
    (
        "POL1970",
        include_str!("../../../../scenarios/history/POL1970.toml"),
    ),
    (
        "POL1971",
        include_str!("../../../../scenarios/history/POL1971.toml"),
    ),
    (
        "ROU1977",
        include_str!("../../../../scenarios/history/ROU1977.toml"),
    ),
    (
        "POL1980",
        include_str!("../../../../scenarios/history/POL1980.toml"),
    ),
    (
        "POL1982",
        include_str!("../../../../scenarios/history/POL1982.toml"),
    ),
    (
        "POL1983",
        include_str!("../../../../scenarios/history/POL1983.toml"),
    ),
    (
        "POL1984",
        include_str!("../../../../scenarios/history/POL1984.toml"),
    ),
    (
        "BGR1984",
        include_str!("../../../../scenarios/history/BGR1984.toml"),
    ),
    (
        "HUN1988",
        include_str!("../../../../scenarios/history/HUN1988.toml"),
    ),
    (
        "CSK1988M",
        include_str!("../../../../scenarios/history/CSK1988M.toml"),
    ),
    (
        "POL1988S",
        include_str!("../../../../scenarios/history/POL1988S.toml"),
    ),
    (
        "POL1988A",
        include_str!("../../../../scenarios/history/POL1988A.toml"),
    ),
];

/// The calm starts of the 1970s, one per country: (country id, TOML text).
pub const CALM: &[(&str, &str)] = &[
    (
        "POL",
        include_str!("../../../../scenarios/history/calm/POL.toml"),
    ),
    (
        "HUN",
        include_str!("../../../../scenarios/history/calm/HUN.toml"),
    ),
    (
        "GDR",
        include_str!("../../../../scenarios/history/calm/GDR.toml"),
    ),
    (
        "CSK",
        include_str!("../../../../scenarios/history/calm/CSK.toml"),
    ),
    (
        "BGR",
        include_str!("../../../../scenarios/history/calm/BGR.toml"),
    ),
    (
        "ROU",
        include_str!("../../../../scenarios/history/calm/ROU.toml"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_file_is_embedded_and_every_embedded_case_is_a_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/history");
        let stems = |d: std::path::PathBuf| -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .expect("scenarios/history")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect();
            v.sort();
            v
        };
        let mut cases: Vec<String> = CASES.iter().map(|(id, _)| (*id).to_string()).collect();
        cases.sort();
        assert_eq!(stems(dir.clone()), cases);
        let calm_dir = dir.join("calm");
        if calm_dir.exists() || !CALM.is_empty() {
            let mut calm: Vec<String> = CALM.iter().map(|(id, _)| (*id).to_string()).collect();
            calm.sort();
            assert_eq!(stems(calm_dir), calm);
        }
    }
}
