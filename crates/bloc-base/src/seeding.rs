//! The one seeding policy of bloc.
//!
//! An ensemble has one master seed. Run `i` draws all its random numbers, in a fixed
//! sequential order, from a ChaCha8 generator keyed by the master seed with stream `i`
//! (`set_stream`). Nothing is ever seeded from a thread index, the clock or the operating
//! system, so a run's result depends only on (scenario, master seed, run index).

use rand::SeedableRng;
pub use rand_chacha::ChaCha8Rng;

/// The random generator every simulation in bloc uses.
pub type SimRng = ChaCha8Rng;

/// The generator and the pinned crate versions that fix its value streams, as results'
/// metadata name them (a test checks them against the workspace's pins).
pub const GENERATOR: &str = "ChaCha8 (rand_chacha 0.10.0, rand 0.10.4)";

/// Every branch of a run's streams that bloc draws from, listed once. A branch is a key
/// derived from the master seed ([`branch_rng`]); its stream is always the run index.
pub mod branches {
    /// The run itself ([`super::run_rng`]): Model I's lattice in `bloc epstein`, the centre's
    /// decisions in a bloc run, a CIB uncertainty draw or basin sample.
    pub const RUN: u64 = 0;
    /// The trajectories of a Morris design ("morris" in ASCII): an even number, so that it
    /// never meets a country's branch.
    pub const MORRIS: u64 = 0x6d6f_7272_6973_0000;
    /// The parameter draw of each run of a forecast from a posterior ("draw" in ASCII):
    /// even, as [`MORRIS`] is.
    pub const DRAW: u64 = 0x6472_6177_0000;
    /// The bootstrap resamples of Sobol' indices (even).
    pub const SOBOL_BOOTSTRAP: u64 = MORRIS + 2;
    /// The rows of a Sobol' design's matrix A (even).
    pub const SOBOL_A: u64 = MORRIS + 4;
    /// The rows of a Sobol' design's matrix B (even).
    pub const SOBOL_B: u64 = MORRIS + 6;

    /// A country of a bloc run: FNV-1a of its id with the low bit set, so never [`RUN`] or
    /// [`MORRIS`], and the same wherever the country stands in the file.
    pub fn country(id: &str) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in id.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h | 1
    }
}

/// The generator for run `run_index` of an ensemble keyed by `master_seed`.
pub fn run_rng(master_seed: u64, run_index: u64) -> SimRng {
    let mut rng = ChaCha8Rng::seed_from_u64(master_seed);
    rng.set_stream(run_index);
    rng
}

/// The generator of branch `branch` of run `run_index`: a distinct key derived from the
/// master seed and the branch, with the run index as stream. Branch 0 is the run itself.
pub fn branch_rng(master_seed: u64, run_index: u64, branch: u64) -> SimRng {
    if branch == branches::RUN {
        return run_rng(master_seed, run_index);
    }
    // SplitMix64 finaliser mixes the branch into the key so branch keys do not collide
    // with other master seeds in practice.
    let mut z = master_seed ^ branch.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let mut rng = ChaCha8Rng::seed_from_u64(z);
    rng.set_stream(run_index);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn the_generator_names_the_pinned_versions() {
        let manifest = include_str!("../../../Cargo.toml");
        for (krate, version) in [("rand", "0.10.4"), ("rand_chacha", "0.10.0")] {
            let pin = format!("{krate} = {{ version = \"={version}\"");
            assert!(manifest.contains(&pin), "{pin} in Cargo.toml");
            assert!(
                GENERATOR.contains(&format!("{krate} {version}")),
                "{krate} {version}"
            );
        }
    }

    #[test]
    fn streams_differ_and_repeat() {
        let a: u64 = run_rng(7, 0).random();
        let b: u64 = run_rng(7, 1).random();
        let a2: u64 = run_rng(7, 0).random();
        assert_ne!(a, b);
        assert_eq!(a, a2);
        let c: u64 = branch_rng(7, 0, 1).random();
        assert_ne!(a, c);
        assert_eq!(
            branch_rng(7, 3, 0).random::<u64>(),
            run_rng(7, 3).random::<u64>()
        );
    }
}
