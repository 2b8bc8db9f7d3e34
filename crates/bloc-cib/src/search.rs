//! Exact enumeration of the consistent scenarios by branch-and-bound on the partial impact
//! balance (design cib.md §3), with a tolerance, fixed descriptors (intervention analysis),
//! independent islands of the influence graph, streaming output and a parallel split.
//!
//! Descriptors are assigned one at a time. For an assigned descriptor j with variant a and a
//! rival variant b, the descriptors still unassigned can add at most
//! Σ_i max_v [C_ij(v, a) − C_ij(v, b)] to a's lead over b; a branch is cut as soon as, for some
//! j and b, the lead so far plus that bound is below −tolerance, since then every completion
//! has ic_j > tolerance. The slack of each (j, a, b) can only shrink as descriptors are
//! assigned, so only descriptors the newly assigned one influences need a new look; at a full
//! assignment the bound is zero and the test is exact: nothing consistent is cut and nothing
//! inconsistent is kept.
//!
//! **Islands.** Two descriptors are linked when either can change which variant of the other
//! wins (a judgement group that is not constant; constant groups never matter, invariance
//! IO-1). The consistent set (at any tolerance, since IC is a maximum over descriptors) is the
//! Cartesian product of the islands' own consistent sets, so islands are searched separately
//! and their sets multiplied; a count needs no listing at all.
//!
//! **Order and determinism.** Within an island the search visits descriptors in the system's
//! order and variants in index order, so an island's scenarios come in lexicographic order.
//! The parallel split searches the subtrees below a fixed set of prefixes (4096 per thread)
//! in batches of 32 per thread and writes them in prefix order: the output is the same for
//! every thread count, and memory holds one batch.

use super::system::{CibSystem, Scenario, is_free};
use num_bigint::BigUint;
use rayon::prelude::*;
use serde::Serialize;
use std::ops::ControlFlow;

/// What to search for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// Largest scenario inconsistency accepted (0 = strictly consistent; ties count).
    pub tolerance: i32,
    /// Per descriptor, a variant it is fixed at (intervention analysis: it keeps its variant,
    /// its impacts count, its own balance is not checked), or `None`. Empty = none fixed.
    pub fixed: Vec<Option<u8>>,
    /// Whether to split the influence graph into independent islands.
    pub islands: bool,
    /// Worker threads (1 = on the calling thread; 0 = rayon's default pool).
    pub threads: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            tolerance: 0,
            fixed: Vec::new(),
            islands: true,
            threads: 1,
        }
    }
}

/// Counters of one search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchStats {
    /// Scenarios found, exactly (the product of the islands' counts can exceed `u128::MAX`:
    /// 81 free descriptors of 3 variants give 3^81). Serialized as a JSON number.
    #[serde(serialize_with = "serialize_decimal")]
    pub count: BigUint,
    /// Search-tree nodes visited (partial assignments tested).
    pub nodes: u64,
    /// Free descriptors of each island, in the order islands are listed.
    pub islands: Vec<Vec<usize>>,
    /// Consistent partial scenarios of each island.
    pub island_counts: Vec<u128>,
}

/// Writes a count as a number: a `u128` where it fits, else (past `u128::MAX`) its decimal
/// digits as a JSON number through serde_json's raw value, which only serde_json's own
/// serializer writes as a number (others get a wrapped string).
fn serialize_decimal<S: serde::Serializer>(n: &BigUint, s: S) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    if let Ok(small) = u128::try_from(n) {
        return s.serialize_u128(small);
    }
    let raw = serde_json::value::RawValue::from_string(n.to_string())
        .map_err(serde::ser::Error::custom)?;
    raw.serialize(s)
}

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// `fixed` names a variant a descriptor does not have, or has the wrong length.
    #[error("fixed variants do not fit the system: {0}")]
    BadFixed(String),
    /// The tolerance is negative.
    #[error("the tolerance must be 0 or more, got {0}")]
    NegativeTolerance(i32),
    /// Scores would overflow the engine's 32-bit integers (a huge tolerance or scale).
    #[error("the tolerance or the judgements are too large for the engine's integers")]
    Overflow,
    /// `--draw-steps` so fine that the scaled scores would overflow the engine's integers.
    #[error(
        "--draw-steps {steps} is too fine for this matrix: scores would overflow the engine's 32-bit integers; at most {max} steps fit"
    )]
    DrawSteps {
        /// The steps asked for.
        steps: i32,
        /// The most that fit.
        max: u64,
    },
    /// The thread pool could not be built.
    #[error("could not start {0} threads")]
    Threads(usize),
}

/// One island's search over a compact copy of its part of the matrix.
struct IslandSearch {
    /// System descriptors of this island, in search order.
    descriptors: Vec<usize>,
    /// Variants per position.
    counts: Vec<usize>,
    /// First local column of each position, plus the total.
    offsets: Vec<usize>,
    /// Local rows: row (offsets[p] + v), columns = local variants.
    rows: Vec<i32>,
    /// Impact scores before any assignment (from fixed descriptors).
    base: Vec<i32>,
    /// bound[level][slot(p, a, b)]: the most the positions >= level can add to a's lead
    /// over b in position p.
    bound: Vec<i32>,
    /// Start of position p's a×b block in one level of `bound`; its last entry is the level size.
    slots: Vec<usize>,
    /// For each position m, the positions <= m whose slack changes when m is assigned.
    touched: Vec<Vec<usize>>,
    tolerance: i32,
}

impl IslandSearch {
    fn new(
        system: &CibSystem,
        descriptors: Vec<usize>,
        fixed: &[Option<u8>],
        tolerance: i32,
    ) -> Self {
        let counts: Vec<usize> = descriptors
            .iter()
            .map(|&j| system.variant_count(j))
            .collect();
        let mut offsets = vec![0];
        for c in &counts {
            offsets.push(offsets.last().unwrap() + c);
        }
        let width = *offsets.last().unwrap();
        let mut rows = vec![0; width * width];
        for (p, &i) in descriptors.iter().enumerate() {
            for v in 0..counts[p] {
                for (q, &j) in descriptors.iter().enumerate() {
                    for l in 0..counts[q] {
                        rows[(offsets[p] + v) * width + offsets[q] + l] = system.cell(i, v, j, l);
                    }
                }
            }
        }
        let mut base = vec![0; width];
        for (i, f) in fixed.iter().enumerate() {
            if let Some(v) = f {
                for (q, &j) in descriptors.iter().enumerate() {
                    for l in 0..counts[q] {
                        base[offsets[q] + l] += system.cell(i, usize::from(*v), j, l);
                    }
                }
            }
        }
        let mut slots = vec![0];
        for c in &counts {
            slots.push(slots.last().unwrap() + c * c);
        }
        let level_size = *slots.last().unwrap();
        let n = descriptors.len();
        // The best gain of source position s for (p, a, b).
        let gain = |s: usize, p: usize, a: usize, b: usize| -> i32 {
            (0..counts[s])
                .map(|v| {
                    let r = (offsets[s] + v) * width;
                    rows[r + offsets[p] + a] - rows[r + offsets[p] + b]
                })
                .max()
                .unwrap_or(0)
        };
        let mut bound = vec![0; (n + 1) * level_size];
        for level in (0..n).rev() {
            let (head, tail) = bound.split_at_mut((level + 1) * level_size);
            let next = &tail[..level_size];
            let this = &mut head[level * level_size..];
            this.copy_from_slice(next);
            for p in 0..n {
                if p == level {
                    continue;
                }
                for a in 0..counts[p] {
                    for b in 0..counts[p] {
                        if a != b {
                            this[slots[p] + a * counts[p] + b] += gain(level, p, a, b);
                        }
                    }
                }
            }
        }
        let influences = |s: usize, p: usize| system.influences(descriptors[s], descriptors[p]);
        let touched = (0..n)
            .map(|m| {
                (0..=m)
                    .filter(|&p| p == m || influences(m, p))
                    .collect::<Vec<_>>()
            })
            .collect();
        IslandSearch {
            descriptors,
            counts,
            offsets,
            rows,
            base,
            bound,
            slots,
            touched,
            tolerance,
        }
    }

    fn width(&self) -> usize {
        *self.offsets.last().unwrap()
    }

    fn add_row(&self, theta: &mut [i32], p: usize, v: usize, sign: i32) {
        let w = self.width();
        let r = (self.offsets[p] + v) * w;
        for (t, x) in theta.iter_mut().zip(&self.rows[r..r + w]) {
            *t += sign * x;
        }
    }

    /// Whether the assignment of positions 0..=m can still be completed (exact when m is last).
    fn feasible(&self, m: usize, theta: &[i32], z: &[u8]) -> bool {
        let level = &self.bound[(m + 1) * (*self.slots.last().unwrap())..];
        for &p in &self.touched[m] {
            let n = self.counts[p];
            let a = usize::from(z[p]);
            let col = self.offsets[p];
            let lead = theta[col + a];
            let slot = &level[self.slots[p] + a * n..self.slots[p] + a * n + n];
            for b in 0..n {
                if b != a && lead - theta[col + b] + slot[b] < -self.tolerance {
                    return false;
                }
            }
        }
        true
    }

    /// Depth-first search below the assignment of positions 0..m, visiting every feasible
    /// assignment of positions 0..stop (`stop` = the island's size for whole scenarios, less
    /// for the prefixes the search is split at).
    fn search<F>(
        &self,
        m: usize,
        stop: usize,
        theta: &mut [i32],
        z: &mut [u8],
        nodes: &mut u64,
        visit: &mut F,
    ) -> ControlFlow<()>
    where
        F: FnMut(&[u8]) -> ControlFlow<()>,
    {
        if m == stop {
            return visit(&z[..stop]);
        }
        for v in 0..self.counts[m] {
            *nodes += 1;
            self.add_row(theta, m, v, 1);
            z[m] = v as u8;
            let go = if self.feasible(m, theta, z) {
                self.search(m + 1, stop, theta, z, nodes, visit)
            } else {
                ControlFlow::Continue(())
            };
            self.add_row(theta, m, v, -1);
            go?;
        }
        ControlFlow::Continue(())
    }

    /// The feasible prefixes of length `depth`, in lexicographic order.
    fn prefixes(&self, depth: usize, nodes: &mut u64) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut theta = self.base.clone();
        let mut z = vec![0u8; self.descriptors.len()];
        let _ = self.search(
            0,
            depth,
            &mut theta,
            &mut z,
            nodes,
            &mut |prefix: &[u8]| {
                out.push(prefix.to_vec());
                ControlFlow::Continue(())
            },
        );
        out
    }

    /// The shallowest split depth with at least `subtrees` prefixes (before pruning): enough
    /// for the progress bar, and for the threads to share unevenly sized subtrees.
    fn split_depth(&self, subtrees: usize) -> usize {
        let mut product = 1usize;
        for (d, c) in self.counts.iter().enumerate() {
            if product >= subtrees {
                return d;
            }
            product = product.saturating_mul(*c);
        }
        self.counts.len()
    }

    /// The feasible prefixes to split the search at: the shallowest depth with at least
    /// `subtrees` of them after pruning (pruning can leave far fewer prefixes than the
    /// variants multiply to, and then one subtree would hold most of the work). Only the
    /// final enumeration's nodes are counted, so the total is the same at every depth.
    fn split(&self, subtrees: usize, nodes: &mut u64) -> Vec<Vec<u8>> {
        let mut depth = self.split_depth(subtrees);
        loop {
            let mut counted = 0;
            let prefixes = self.prefixes(depth, &mut counted);
            if prefixes.len() >= subtrees || depth >= self.descriptors.len() {
                *nodes += counted;
                return prefixes;
            }
            depth += 1;
        }
    }

    /// Searches the subtree below `prefix`, visiting scenarios (local order).
    fn search_below<F>(&self, prefix: &[u8], nodes: &mut u64, visit: &mut F) -> ControlFlow<()>
    where
        F: FnMut(&[u8]) -> ControlFlow<()>,
    {
        let mut theta = self.base.clone();
        let mut z = vec![0u8; self.descriptors.len()];
        for (p, &v) in prefix.iter().enumerate() {
            self.add_row(&mut theta, p, usize::from(v), 1);
            z[p] = v;
        }
        let n = self.descriptors.len();
        self.search(prefix.len(), n, &mut theta, &mut z, nodes, visit)
    }
}

/// The islands of the free descriptors: connected components of the influence graph, each
/// sorted, listed by their smallest descriptor.
pub fn islands(system: &CibSystem, fixed: &[Option<u8>]) -> Vec<Vec<usize>> {
    let n = system.descriptor_count();
    let free: Vec<bool> = (0..n).map(|j| is_free(fixed, j)).collect();
    let mut island = vec![usize::MAX; n];
    let mut out: Vec<Vec<usize>> = Vec::new();
    for start in 0..n {
        if !free[start] || island[start] != usize::MAX {
            continue;
        }
        let id = out.len();
        let mut members = vec![start];
        island[start] = id;
        let mut k = 0;
        while k < members.len() {
            let i = members[k];
            for j in 0..n {
                if free[j]
                    && island[j] == usize::MAX
                    && (system.influences(i, j) || system.influences(j, i))
                {
                    island[j] = id;
                    members.push(j);
                }
            }
            k += 1;
        }
        members.sort_unstable();
        out.push(members);
    }
    out
}

/// The groups of free descriptors searched separately: the islands, or all free
/// descriptors as one group (none when every descriptor is fixed).
fn search_groups(system: &CibSystem, fixed: &[Option<u8>], split: bool) -> Vec<Vec<usize>> {
    if split {
        return islands(system, fixed);
    }
    let free: Vec<usize> = (0..system.descriptor_count())
        .filter(|&j| is_free(fixed, j))
        .collect();
    if free.is_empty() { vec![] } else { vec![free] }
}

fn check_options(
    system: &CibSystem,
    options: &SearchOptions,
) -> Result<Vec<Option<u8>>, SearchError> {
    if options.tolerance < 0 {
        return Err(SearchError::NegativeTolerance(options.tolerance));
    }
    let n = system.descriptor_count();
    let fixed = if options.fixed.is_empty() {
        vec![None; n]
    } else {
        options.fixed.clone()
    };
    if fixed.len() != n {
        return Err(SearchError::BadFixed(format!(
            "{} entries for {n} descriptors",
            fixed.len()
        )));
    }
    for (j, f) in fixed.iter().enumerate() {
        if let Some(v) = f
            && usize::from(*v) >= system.variant_count(j)
        {
            return Err(SearchError::BadFixed(format!(
                "descriptor {} has no variant {}",
                system.descriptors()[j].id,
                v + 1
            )));
        }
    }
    Ok(fixed)
}

/// Where parallel work runs (the search's subtrees, the uncertainty's draws): on the calling
/// thread, in rayon's global pool, or in a pool of a given size. Results come back in order
/// and are visited on the caller.
pub(crate) enum Workers {
    Caller,
    Global,
    Pool(rayon::ThreadPool),
}

impl Workers {
    pub(crate) fn new(threads: usize) -> Result<Self, SearchError> {
        match threads {
            1 => Ok(Workers::Caller),
            0 => Ok(Workers::Global),
            n => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map(Workers::Pool)
                .map_err(|_| SearchError::Threads(n)),
        }
    }

    /// How many subtrees to split a search into: 256 on one thread (for the progress), many
    /// more with several, so that a few large subtrees do not leave threads idle.
    fn subtrees(&self) -> usize {
        if self.is_parallel() {
            4096 * self.threads()
        } else {
            256
        }
    }

    fn is_parallel(&self) -> bool {
        !matches!(self, Workers::Caller)
    }

    fn threads(&self) -> usize {
        match self {
            Workers::Caller => 1,
            Workers::Global => rayon::current_num_threads(),
            Workers::Pool(p) => p.current_num_threads(),
        }
    }

    /// `f` over `items` in parallel, results in order.
    pub(crate) fn map<P: Sync, T: Send>(
        &self,
        items: &[P],
        f: impl Fn(&P) -> T + Sync + Send,
    ) -> Vec<T> {
        match self {
            Workers::Caller => items.iter().map(f).collect(),
            Workers::Global => items.par_iter().map(f).collect(),
            Workers::Pool(pool) => pool.install(|| items.par_iter().map(f).collect()),
        }
    }
}

/// Streams one island's scenarios (island-local variant vectors, lexicographic) to `visit`,
/// splitting into subtrees that are searched in parallel batches when `threads` ≠ 1.
/// `progress(done, total)` is called after each subtree.
fn stream_island<F>(
    search: &IslandSearch,
    workers: &Workers,
    nodes: &mut u64,
    progress: &(dyn Fn(u64, u64) + Sync),
    visit: &mut F,
) -> ControlFlow<()>
where
    F: FnMut(&[u8]) -> ControlFlow<()>,
{
    let prefixes = search.split(workers.subtrees(), nodes);
    let total = prefixes.len() as u64;
    if !workers.is_parallel() {
        for (k, prefix) in prefixes.iter().enumerate() {
            search.search_below(prefix, nodes, visit)?;
            progress(k as u64 + 1, total);
        }
        return ControlFlow::Continue(());
    }
    // A batch of a few subtrees per thread is searched in parallel and written in order
    // before the next starts: memory holds one batch's scenarios (the split is deep, so a
    // subtree is a small part of the space).
    let batch = 32 * workers.threads().max(1);
    let mut done = 0u64;
    for chunk in prefixes.chunks(batch) {
        let found: Vec<(Vec<Vec<u8>>, u64)> = workers.map(chunk, |prefix| {
            let mut local = Vec::new();
            let mut n = 0u64;
            let _ = search.search_below(prefix, &mut n, &mut |z: &[u8]| {
                local.push(z.to_vec());
                ControlFlow::Continue(())
            });
            (local, n)
        });
        for (list, n) in found {
            *nodes += n;
            for z in &list {
                visit(z)?;
            }
            done += 1;
            progress(done, total);
        }
    }
    ControlFlow::Continue(())
}

/// Counts one island's scenarios without listing them (parallel over subtrees).
fn count_island(
    search: &IslandSearch,
    workers: &Workers,
    nodes: &mut u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> u128 {
    let prefixes = search.split(workers.subtrees(), nodes);
    let total = prefixes.len() as u64;
    let count_one = |prefix: &Vec<u8>| {
        let mut c = 0u128;
        let mut n = 0u64;
        let _ = search.search_below(prefix, &mut n, &mut |_| {
            c += 1;
            ControlFlow::Continue(())
        });
        (c, n)
    };
    let done = std::sync::atomic::AtomicU64::new(0);
    let results: Vec<(u128, u64)> = workers.map(&prefixes, |p| {
        let r = count_one(p);
        let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(d, total);
        r
    });
    let mut count = 0u128;
    for (c, n) in results {
        count = count.saturating_add(c);
        *nodes += n;
    }
    count
}

/// Visits every scenario consistent within the tolerance (with the fixed descriptors at
/// their variants), as soon as it is found; `visit` may stop the search early with
/// `ControlFlow::Break`. Without islands, or with one island, scenarios come in
/// lexicographic order of variant indices; with several islands the largest island is
/// streamed and the others' (small) sets are held in memory and multiplied in.
pub fn for_each_consistent<F>(
    system: &CibSystem,
    options: &SearchOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
    mut visit: F,
) -> Result<SearchStats, SearchError>
where
    F: FnMut(&[u8]) -> ControlFlow<()>,
{
    let fixed = check_options(system, options)?;
    let groups = search_groups(system, &fixed, options.islands);
    let template: Scenario = fixed.iter().map(|f| f.unwrap_or(0)).collect();
    let workers = Workers::new(options.threads)?;
    {
        let mut stats = SearchStats {
            islands: groups.clone(),
            ..SearchStats::default()
        };
        if groups.is_empty() {
            // Every descriptor is fixed: the one scenario is accepted (no balance is checked).
            stats.count = BigUint::from(1u8);
            let _ = visit(&template);
            return Ok(stats);
        }
        let searches: Vec<IslandSearch> = groups
            .iter()
            .map(|g| IslandSearch::new(system, g.clone(), &fixed, options.tolerance))
            .collect();
        // The largest island (by space) is streamed; the others are listed first.
        let streamed = (0..searches.len())
            .max_by_key(|&k| {
                (
                    libm::log2(
                        searches[k]
                            .counts
                            .iter()
                            .map(|&c| c as f64)
                            .product::<f64>(),
                    ) as i64,
                    std::cmp::Reverse(k),
                )
            })
            .unwrap_or(0);
        let mut kernels: Vec<Vec<Vec<u8>>> = vec![Vec::new(); searches.len()];
        stats.island_counts = vec![0; searches.len()];
        for (k, s) in searches.iter().enumerate() {
            if k == streamed {
                continue;
            }
            let mut list = Vec::new();
            let _ = stream_island(
                s,
                &workers,
                &mut stats.nodes,
                &|_, _| {},
                &mut |z: &[u8]| {
                    list.push(z.to_vec());
                    ControlFlow::Continue(())
                },
            );
            stats.island_counts[k] = list.len() as u128;
            kernels[k] = list;
            if kernels[k].is_empty() {
                return Ok(stats);
            }
        }
        let others: Vec<usize> = (0..searches.len()).filter(|&k| k != streamed).collect();
        let mut z = template.clone();
        let mut streamed_count = 0u128;
        let mut emitted = 0u128;
        let main = &searches[streamed];
        let _ = stream_island(
            main,
            &workers,
            &mut stats.nodes,
            progress,
            &mut |local: &[u8]| {
                streamed_count += 1;
                for (p, &j) in main.descriptors.iter().enumerate() {
                    z[j] = local[p];
                }
                // Odometer over the other islands' sets.
                let mut pick = vec![0usize; others.len()];
                loop {
                    for (o, &k) in others.iter().enumerate() {
                        let part = &kernels[k][pick[o]];
                        for (p, &j) in searches[k].descriptors.iter().enumerate() {
                            z[j] = part[p];
                        }
                    }
                    emitted += 1;
                    visit(&z)?;
                    let mut o = others.len();
                    loop {
                        if o == 0 {
                            return ControlFlow::Continue(());
                        }
                        o -= 1;
                        pick[o] += 1;
                        if pick[o] < kernels[others[o]].len() {
                            break;
                        }
                        pick[o] = 0;
                    }
                }
            },
        );
        stats.island_counts[streamed] = streamed_count;
        stats.count = BigUint::from(emitted);
        Ok(stats)
    }
}

/// Counts the scenarios consistent within the tolerance without listing them: each island
/// is counted on its own and the counts are multiplied.
pub fn count_consistent(
    system: &CibSystem,
    options: &SearchOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<SearchStats, SearchError> {
    let fixed = check_options(system, options)?;
    let groups = search_groups(system, &fixed, options.islands);
    let workers = Workers::new(options.threads)?;
    {
        let mut stats = SearchStats {
            islands: groups.clone(),
            count: BigUint::from(1u8),
            ..SearchStats::default()
        };
        for g in &groups {
            let s = IslandSearch::new(system, g.clone(), &fixed, options.tolerance);
            let c = count_island(&s, &workers, &mut stats.nodes, progress);
            stats.island_counts.push(c);
            stats.count *= c;
        }
        Ok(stats)
    }
}

/// All scenarios consistent within the tolerance, sorted lexicographically.
pub fn consistent_scenarios(
    system: &CibSystem,
    options: &SearchOptions,
) -> Result<Vec<Scenario>, SearchError> {
    let mut out = Vec::new();
    for_each_consistent(system, options, &|_, _| {}, |z| {
        out.push(z.to_vec());
        ControlFlow::Continue(())
    })?;
    out.sort_unstable();
    Ok(out)
}

/// All scenarios consistent within the tolerance by trying every scenario (for tests and
/// small systems only: it visits the whole space).
pub fn brute_force(system: &CibSystem, tolerance: i32, fixed: &[Option<u8>]) -> Vec<Scenario> {
    let n = system.descriptor_count();
    let mut z: Scenario = (0..n)
        .map(|j| fixed.get(j).copied().flatten().unwrap_or(0))
        .collect();
    let mut out = Vec::new();
    loop {
        if system.inconsistency(&z, fixed) <= tolerance {
            out.push(z.clone());
        }
        let mut j = n;
        loop {
            if j == 0 {
                return out;
            }
            j -= 1;
            if !is_free(fixed, j) {
                continue;
            }
            z[j] += 1;
            if usize::from(z[j]) < system.variant_count(j) {
                break;
            }
            z[j] = 0;
        }
    }
}
