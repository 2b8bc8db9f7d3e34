//! The invariance operations of a cross-impact matrix (Weimer-Jehle 2009, as implemented in
//! PyCIB's `apply_io1..4`): each leaves the consistent set at tolerance 0 unchanged, and
//! the property tests and `bloc validate` use them to test the engine.

use super::system::CibSystem;

/// IO-1: adds `constant` to every cell of the judgement group of variant `k` of source `i`
/// on target `j`.
pub fn add_to_group(system: &CibSystem, i: usize, k: usize, j: usize, constant: i32) -> CibSystem {
    let mut s = system.clone();
    if i != j {
        for l in 0..s.variant_count(j) {
            let v = s.cell(i, k, j, l);
            s.set_cell(i, k, j, l, v + constant);
        }
    }
    s
}

/// IO-2: multiplies every column of target descriptor `j` by `factor` (> 0).
pub fn scale_target(system: &CibSystem, j: usize, factor: i32) -> CibSystem {
    let mut s = system.clone();
    for i in 0..s.descriptor_count() {
        for k in 0..s.variant_count(i) {
            for l in 0..s.variant_count(j) {
                let v = s.cell(i, k, j, l);
                s.set_cell(i, k, j, l, v * factor);
            }
        }
    }
    s
}

/// IO-3: multiplies the whole matrix by `factor` (> 0).
pub fn scale_matrix(system: &CibSystem, factor: i32) -> CibSystem {
    let m = system.matrix().iter().map(|x| x * factor).collect();
    system.with_matrix(m).expect("same shape")
}

/// IO-4: moves `constant` from judgement group `from` to group `to` of the section (i, j):
/// every cell of one source variant's row gains it, every cell of the other's loses it.
pub fn move_between_groups(
    system: &CibSystem,
    i: usize,
    from: usize,
    to: usize,
    j: usize,
    constant: i32,
) -> CibSystem {
    let s = add_to_group(system, i, from, j, -constant);
    add_to_group(&s, i, to.min(system.variant_count(i) - 1), j, constant)
}
