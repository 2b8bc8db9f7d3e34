//! The integration tests of bloc-citizens, one binary (modules named by behaviour).

mod determinism;
mod invariants;
mod parse_never_panics;
