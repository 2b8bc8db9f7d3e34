//! Bit grids on a torus, and neighbourhoods as runs of row segments.
//!
//! Each lattice row is stored three times in a row of machine words (bits `x`, `x + width` and
//! `x + 2 width`), so that any wrapped segment of up to 64 sites around a site is one
//! branch-free shifted load, and counting the agents of a kind within vision is one popcount
//! per neighbourhood row. Every neighbourhood shape bloc
//! knows (cross, diamond, disc, square) is symmetric per row, so it is a list of
//! [`RowSpan`]s.

use super::config::Neighbourhood as Shape;

/// A set of sites of a `width x height` torus.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BitGrid {
    width: usize,
    height: usize,
    stride: usize,
    words: Vec<u64>,
    /// The same set transposed (row `x` holds column `x`, tripled), so that a vertical
    /// segment is one window too (the cross neighbourhood's arm).
    columns: Vec<u64>,
    column_stride: usize,
}

impl BitGrid {
    /// An empty set.
    pub fn new(width: usize, height: usize) -> Self {
        let stride = (3 * width).div_ceil(64) + 1;
        let column_stride = (3 * height).div_ceil(64) + 1;
        BitGrid {
            width,
            height,
            stride,
            words: vec![0; stride * height],
            columns: vec![0; column_stride * width],
            column_stride,
        }
    }

    /// Adds site `(x, y)`.
    #[inline]
    pub fn set(&mut self, x: usize, y: usize) {
        let base = y * self.stride;
        for b in [x, x + self.width, x + 2 * self.width] {
            self.words[base + (b >> 6)] |= 1 << (b & 63);
        }
        let base = x * self.column_stride;
        for b in [y, y + self.height, y + 2 * self.height] {
            self.columns[base + (b >> 6)] |= 1 << (b & 63);
        }
    }

    /// Removes site `(x, y)`.
    #[inline]
    pub fn clear(&mut self, x: usize, y: usize) {
        let base = y * self.stride;
        for b in [x, x + self.width, x + 2 * self.width] {
            self.words[base + (b >> 6)] &= !(1 << (b & 63));
        }
        let base = x * self.column_stride;
        for b in [y, y + self.height, y + 2 * self.height] {
            self.columns[base + (b >> 6)] &= !(1 << (b & 63));
        }
    }

    /// Whether site `(x, y)` is in the set.
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> bool {
        self.words[y * self.stride + (x >> 6)] >> (x & 63) & 1 == 1
    }

    /// The bits of the 64 sites from bit `start` of the tripled row that begins at word
    /// `row_offset`, lowest bit first. `start` is below `2 width`.
    #[inline]
    fn window(&self, row_offset: usize, start: usize) -> u64 {
        let i = row_offset + (start >> 6);
        let pair = &self.words[i..i + 2];
        let v = (u128::from(pair[1]) << 64) | u128::from(pair[0]);
        (v >> (start & 63)) as u64
    }

    /// The bits of the 64 sites of column `x` from bit `start` of its tripled column,
    /// lowest (topmost) bit first. `start` is below `2 height`.
    #[inline]
    fn column_window(&self, x: usize, start: usize) -> u64 {
        let i = x * self.column_stride + (start >> 6);
        let pair = &self.columns[i..i + 2];
        let v = (u128::from(pair[1]) << 64) | u128::from(pair[0]);
        (v >> (start & 63)) as u64
    }

    /// The `j`-th site (row by row, left to right) NOT in the set, if there are more than `j`.
    pub fn nth_unset(&self, mut j: usize) -> Option<(usize, usize)> {
        for y in 0..self.height {
            let base = y * self.stride;
            let mut x0 = 0;
            while x0 < self.width {
                let len = (self.width - x0).min(64);
                let mask = if len == 64 {
                    u64::MAX
                } else {
                    (1u64 << len) - 1
                };
                let mut bits = !self.window(base, x0) & mask;
                let c = bits.count_ones() as usize;
                if j < c {
                    for _ in 0..j {
                        bits &= bits - 1;
                    }
                    return Some((x0 + bits.trailing_zeros() as usize, y));
                }
                j -= c;
                x0 += 64;
            }
        }
        None
    }

    /// Number of sites in the set.
    pub fn count(&self) -> usize {
        (0..self.height)
            .map(|y| {
                let base = y * self.stride;
                let full = self.width >> 6;
                let mut n: u32 = self.words[base..base + full]
                    .iter()
                    .map(|w| w.count_ones())
                    .sum();
                let rest = self.width & 63;
                if rest > 0 {
                    n += (self.words[base + full] & ((1u64 << rest) - 1)).count_ones();
                }
                n as usize
            })
            .sum()
    }
}

/// `v mod n` for `v < 3 n` (a coordinate of the tripled rows), without a division.
#[inline]
fn wrap(mut v: usize, n: usize) -> usize {
    while v >= n {
        v -= n;
    }
    v
}

/// Position of the `j`-th set bit of `x` (lowest first); `j` must be below the number of
/// set bits. Halves the word by popcounts before stepping bit by bit.
#[inline]
fn nth_set_bit(mut x: u64, mut j: u32) -> u32 {
    let mut base = 0;
    for width in [32u32, 16, 8] {
        let low = x & ((1u64 << width) - 1);
        let c = low.count_ones();
        if j >= c {
            j -= c;
            x >>= width;
            base += width;
        } else {
            x = low;
        }
    }
    for _ in 0..j {
        x &= x - 1;
    }
    base + x.trailing_zeros()
}

/// One row of a neighbourhood: sites `x + dx_lo ..= x + dx_lo + len - 1` of row `y + dy`,
/// less the bits cleared in `mask` (the centre site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowSpan {
    /// Row offset.
    pub dy: i32,
    /// Offset of the first site of the segment.
    pub dx_lo: i32,
    /// Which of the segment's sites belong to the neighbourhood, lowest bit first.
    pub mask: u64,
}

/// The sites within vision of a site, excluding the site itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Neighbourhood {
    spans: Vec<RowSpan>,
    width: usize,
    height: usize,
    reach: usize,
    /// Word offset of row `(y + i - reach) mod height` at index `i`.
    row_offsets: Vec<usize>,
    size: u32,
    /// For the cross: its vertical arm as one column segment (bits `0 ..= 2 reach` of the
    /// column from `y - reach`, centre cleared), read from the grids' transposed copies;
    /// `spans` then holds only the horizontal arm. Site order is unchanged: the arm above
    /// the centre, then the row, then the arm below.
    vertical: Option<u64>,
}

impl Neighbourhood {
    /// The neighbourhood of the given shape and vision on a `width x height` torus.
    /// The caller guarantees `2 floor(vision) + 1 <= min(width, height)` and `vision < 32`.
    pub fn new(shape: Shape, vision: f64, width: usize, height: usize) -> Self {
        let r = vision.floor() as i32;
        let mut spans = Vec::new();
        for dy in -r..=r {
            let half = match shape {
                Shape::Cross => {
                    if dy == 0 {
                        r
                    } else {
                        0
                    }
                }
                Shape::Diamond => r - dy.abs(),
                Shape::Square => r,
                Shape::Disc => {
                    let rest = vision * vision - f64::from(dy * dy);
                    // Largest dx with dx^2 + dy^2 <= v^2, computed in integers.
                    let mut h = rest.max(0.0).sqrt().floor() as i32;
                    while f64::from((h + 1) * (h + 1)) <= rest {
                        h += 1;
                    }
                    while h > 0 && f64::from(h * h) > rest {
                        h -= 1;
                    }
                    h
                }
            };
            let len = (2 * half + 1) as u32;
            let mut mask = if len == 64 {
                u64::MAX
            } else {
                (1u64 << len) - 1
            };
            if dy == 0 {
                mask &= !(1u64 << half);
            }
            if mask != 0 {
                spans.push(RowSpan {
                    dy,
                    dx_lo: -half,
                    mask,
                });
            }
        }
        let size = spans.iter().map(|s| s.mask.count_ones()).sum();
        let reach = r.max(0) as usize;
        let mut vertical = None;
        if shape == Shape::Cross && reach > 0 {
            let full = (1u64 << (2 * reach + 1)) - 1;
            vertical = Some(full & !(1u64 << reach));
            spans.retain(|s| s.dy == 0);
        }
        let stride = BitGrid::new(width, 1).stride;
        let row_offsets = (0..height + 2 * reach)
            .map(|i| ((i + height - reach % height) % height) * stride)
            .collect();
        Neighbourhood {
            spans,
            width,
            height,
            reach,
            row_offsets,
            size,
            vertical,
        }
    }

    /// Number of sites in the neighbourhood.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// The row spans.
    pub fn spans(&self) -> &[RowSpan] {
        &self.spans
    }

    /// Bit offset of row `y - reach` in a tripled column.
    #[inline]
    fn column_start(&self, y: usize) -> usize {
        y + self.height - self.reach
    }

    /// Word offset of the span's row and bit offset of its first site in the tripled row.
    #[inline]
    fn row_and_start(&self, x: usize, y: usize, s: &RowSpan) -> (usize, usize) {
        let row = self.row_offsets[(y + self.reach).wrapping_add_signed(s.dy as isize)];
        let start = (x + self.width).wrapping_add_signed(s.dx_lo as isize);
        (row, start)
    }

    /// Number of sites of `grid` within the neighbourhood of `(x, y)`.
    #[inline]
    pub fn count(&self, grid: &BitGrid, x: usize, y: usize) -> u32 {
        let mut n = match self.vertical {
            Some(mask) => (grid.column_window(x, self.column_start(y)) & mask).count_ones(),
            None => 0,
        };
        for s in &self.spans {
            let (row, start) = self.row_and_start(x, y, s);
            n += (grid.window(row, start) & s.mask).count_ones();
        }
        n
    }

    /// Numbers of sites of `a` and of `b` within the neighbourhood of `(x, y)`.
    #[inline]
    pub fn count2(&self, a: &BitGrid, b: &BitGrid, x: usize, y: usize) -> (u32, u32) {
        let (mut na, mut nb) = match self.vertical {
            Some(mask) => {
                let start = self.column_start(y);
                (
                    (a.column_window(x, start) & mask).count_ones(),
                    (b.column_window(x, start) & mask).count_ones(),
                )
            }
            None => (0, 0),
        };
        for s in &self.spans {
            let (row, start) = self.row_and_start(x, y, s);
            na += (a.window(row, start) & s.mask).count_ones();
            nb += (b.window(row, start) & s.mask).count_ones();
        }
        (na, nb)
    }

    /// The `j`-th site (in row-span order, then left to right) of the neighbourhood of
    /// `(x, y)` that is in `grid` (or, with `free`, not in it).
    #[inline]
    pub fn select(
        &self,
        grid: &BitGrid,
        x: usize,
        y: usize,
        j: u32,
        free: bool,
    ) -> Option<(usize, usize)> {
        let mut rows = [0u64; 64];
        let n = self.gather(grid, x, y, free, &mut rows);
        (j < n).then(|| self.pick(&rows, x, y, j))
    }

    /// In one pass: gathers the sites NOT in `occupied` as [`Neighbourhood::gather`] does, and
    /// counts the sites in `a` and in `b`. Returns (free sites, sites in a, sites in b).
    #[inline]
    pub fn gather_free_and_count2(
        &self,
        occupied: &BitGrid,
        a: &BitGrid,
        b: &BitGrid,
        x: usize,
        y: usize,
        rows: &mut [u64; 64],
    ) -> (u32, u32, u32) {
        let (mut free, mut na, mut nb) = (0, 0, 0);
        let first = usize::from(self.vertical.is_some());
        if let Some(mask) = self.vertical {
            let start = self.column_start(y);
            let bits = !occupied.column_window(x, start) & mask;
            rows[0] = bits;
            free += bits.count_ones();
            na += (a.column_window(x, start) & mask).count_ones();
            nb += (b.column_window(x, start) & mask).count_ones();
        }
        for (k, s) in self.spans.iter().enumerate() {
            let k = k + first;
            let (row, start) = self.row_and_start(x, y, s);
            let bits = !occupied.window(row, start) & s.mask;
            rows[k] = bits;
            free += bits.count_ones();
            na += (a.window(row, start) & s.mask).count_ones();
            nb += (b.window(row, start) & s.mask).count_ones();
        }
        (free, na, nb)
    }

    /// Stores the neighbourhood's sites of each span that are in `grid` (or, with `free`,
    /// not in it) as bits in `rows`, and returns how many there are in all.
    #[inline]
    pub fn gather(
        &self,
        grid: &BitGrid,
        x: usize,
        y: usize,
        free: bool,
        rows: &mut [u64; 64],
    ) -> u32 {
        let flip = if free { u64::MAX } else { 0 };
        let mut n = 0;
        let first = usize::from(self.vertical.is_some());
        if let Some(mask) = self.vertical {
            let bits = (grid.column_window(x, self.column_start(y)) ^ flip) & mask;
            rows[0] = bits;
            n += bits.count_ones();
        }
        for (k, s) in self.spans.iter().enumerate() {
            let k = k + first;
            let (row, start) = self.row_and_start(x, y, s);
            let bits = (grid.window(row, start) ^ flip) & s.mask;
            rows[k] = bits;
            n += bits.count_ones();
        }
        n
    }

    /// The `j`-th site of bits gathered by [`Neighbourhood::gather`] around `(x, y)`.
    /// `j` must be below the number gathered.
    #[inline]
    pub fn pick(&self, rows: &[u64; 64], x: usize, y: usize, mut j: u32) -> (usize, usize) {
        if self.vertical.is_some() {
            // Above the centre, then the row, then below: the order of the row spans.
            let above_mask = (1u64 << self.reach) - 1;
            let above = rows[0] & above_mask;
            let below = rows[0] & !above_mask;
            let row = rows[1];
            let (bits, dx_lo, dy) = if j < above.count_ones() {
                (above, 0, -(self.reach as isize))
            } else if j < above.count_ones() + row.count_ones() {
                j -= above.count_ones();
                (row, self.spans[0].dx_lo as isize, 0)
            } else {
                j -= above.count_ones() + row.count_ones();
                (below, 0, -(self.reach as isize))
            };
            let pos = nth_set_bit(bits, j) as usize;
            return if dy == 0 {
                let col = (x + self.width).wrapping_add_signed(dx_lo) + pos;
                (wrap(col, self.width), y)
            } else {
                let row = (y + self.height).wrapping_add_signed(dy) + pos;
                (x, wrap(row, self.height))
            };
        }
        for (k, s) in self.spans.iter().enumerate() {
            let bits = rows[k];
            let c = bits.count_ones();
            if j < c {
                let pos = nth_set_bit(bits, j) as usize;
                let col = (x + self.width).wrapping_add_signed(s.dx_lo as isize) + pos;
                let row = (y + self.height).wrapping_add_signed(s.dy as isize);
                return (wrap(col, self.width), wrap(row, self.height));
            }
            j -= c;
        }
        (x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(shape: Shape, v: f64, dx: i32, dy: i32) -> bool {
        let r = v.floor() as i32;
        if dx == 0 && dy == 0 {
            return false;
        }
        match shape {
            Shape::Cross => (dx == 0 && dy.abs() <= r) || (dy == 0 && dx.abs() <= r),
            Shape::Diamond => dx.abs() + dy.abs() <= r,
            Shape::Square => dx.abs() <= r && dy.abs() <= r,
            Shape::Disc => f64::from(dx * dx + dy * dy) <= v * v,
        }
    }

    #[test]
    fn nth_set_bit_agrees_with_stepping() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200 {
            x = x.rotate_left(7) ^ (x >> 3) ^ 0xD1B5_4A32_D192_ED03;
            let mut bits = x;
            for j in 0..x.count_ones() {
                assert_eq!(nth_set_bit(x, j), bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
    }

    #[test]
    fn sizes_match_the_peers() {
        assert_eq!(Neighbourhood::new(Shape::Cross, 7.0, 40, 40).size(), 28);
        // Mesa 3.3: len(cell.get_neighborhood(radius=7)) == 112
        assert_eq!(Neighbourhood::new(Shape::Diamond, 7.0, 40, 40).size(), 112);
        // NetLogo in-radius 7: 149 patches including the centre
        assert_eq!(Neighbourhood::new(Shape::Disc, 7.0, 40, 40).size(), 148);
        // v = 1.7 as a Euclidean radius is the Moore neighbourhood
        assert_eq!(Neighbourhood::new(Shape::Disc, 1.7, 40, 40).size(), 8);
        assert_eq!(Neighbourhood::new(Shape::Square, 2.0, 40, 40).size(), 24);
    }

    #[test]
    fn counts_agree_with_brute_force_on_a_wrapping_torus() {
        for &(w, h) in &[(40usize, 40usize), (15, 17), (100, 33), (64, 20), (130, 9)] {
            let mut g = BitGrid::new(w, h);
            let mut state = 12345u64;
            for y in 0..h {
                for x in 0..w {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    if state >> 61 < 3 {
                        g.set(x, y);
                    }
                }
            }
            assert_eq!(
                g.count(),
                (0..h)
                    .flat_map(|y| (0..w).map(move |x| (x, y)))
                    .filter(|&(x, y)| g.get(x, y))
                    .count()
            );
            for shape in [Shape::Cross, Shape::Diamond, Shape::Disc, Shape::Square] {
                let v = ((w.min(h) - 1) / 2).min(7) as f64;
                let nb = Neighbourhood::new(shape, v, w, h);
                for &(x, y) in &[(0, 0), (w - 1, h - 1), (w / 2, 1), (3, h / 2)] {
                    let r = v as i32;
                    let mut expect = 0;
                    let mut expect_sites = Vec::new();
                    for dy in -r..=r {
                        for dx in -r..=r {
                            if brute(shape, v, dx, dy) {
                                let xx = (x as i32 + dx).rem_euclid(w as i32) as usize;
                                let yy = (y as i32 + dy).rem_euclid(h as i32) as usize;
                                if g.get(xx, yy) {
                                    expect += 1;
                                    expect_sites.push((xx, yy));
                                }
                            }
                        }
                    }
                    assert_eq!(nb.count(&g, x, y), expect, "{shape:?} {w}x{h} at {x},{y}");
                    let mut rows = [0u64; 64];
                    assert_eq!(
                        nb.count(&g, x, y) + nb.gather(&g, x, y, true, &mut rows),
                        nb.size()
                    );
                    let mut selected: Vec<_> = (0..expect)
                        .map(|j| nb.select(&g, x, y, j, false).unwrap())
                        .collect();
                    selected.sort();
                    expect_sites.sort();
                    assert_eq!(selected, expect_sites);
                    assert_eq!(nb.select(&g, x, y, expect, false), None);
                }
            }
        }
    }
}
