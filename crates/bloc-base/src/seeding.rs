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

/// The generator for run `run_index` of an ensemble keyed by `master_seed`.
pub fn run_rng(master_seed: u64, run_index: u64) -> SimRng {
    let mut rng = ChaCha8Rng::seed_from_u64(master_seed);
    rng.set_stream(run_index);
    rng
}

/// The generator of branch `branch` of run `run_index`: a distinct key derived from the
/// master seed and the branch, with the run index as stream. Branch 0 is the run itself.
pub fn branch_rng(master_seed: u64, run_index: u64, branch: u64) -> SimRng {
    if branch == 0 {
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
