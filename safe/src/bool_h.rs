//! The boolean entropy decoder (RFC 6386 section 7) and tree reader (section 8.1), as a reader
//! borrowing one partition's bytes.
//!
//! Guarantees: every read is in bounds (the reader holds a `&[u8]` and a position, never a raw
//! pointer), and reading past the end yields zero bits exactly as the C decoder (and libvpx) does:
//! an encoder's final bytes may rely on it. `overrun()` counts those phantom bytes so callers can
//! tell a frame that ran out of data. Replaces the transpiled `ptr`/`end` pointer pair and the
//! C-ABI free functions taking `*mut Vp8BoolDecoder`.
//!
//! The window is 64 bits wide so refills happen once per ~6 bytes; it is the innermost loop of
//! the decoder (every mode, vector and token bit goes through `read_bool`), so all methods are
//! `#[inline]` and the reader is `Copy` for callers that keep a local copy in registers.
//!
//! Cost, measured at step 28 with `portlab profile --stages c,safe --no-perf --limit 10` (callgrind, first 10 frames of
//! bench-720p-mandel-1280x720), per source file with `callgrind_annotate
//! target/portlab-profile/callgrind.b-safe.out`: the token loop built on it executes 1.090x the C's
//! instructions (vp8_decode_mb_tokens 50.12 M vs 45.99 M), the mode parser 1.188x (20.54 M vs
//! 17.29 M). Steps 25 and 27 took the token loop from 1.282x to there: each arm of a decision
//! renormalises on its own (no cmovs plus a second compare), and the position keeps counting
//! past the end instead of a separate overrun counter (one register fewer in the hot loops).
//!
//! Port step 74: a refill away from the end is one eight-byte load taking the same 7 or 8 bytes
//! as the C's byte loop (so positions and overruns, which error messages report, stay the C's);
//! the byte loop is kept, out of line and by value, for the last bytes of a partition. Decoder
//! instructions on the 1080p streams (lowrate 15 / motion 10 / noisy 5 frames): 97.09 / 129.86 /
//! 108.79 M -> 97.83 / 125.88 / 106.09 M. This is not a cost of safety removed but a faster
//! refill the C stage does not have; what the same change does to the C is in
//! docs/safe-stage.md (port step 74).
use crate::tables_h::TreeIndex;

#[derive(Debug, Clone, Copy)]
pub struct Vp8BoolDecoder<'a> {
    data: &'a [u8],
    /// next byte of `data` to load; past `data.len()` it counts the zero bytes fed after the end
    pos: usize,
    /// the top 8 bits are compared with the split; bits below are buffered
    value: u64,
    /// buffered bits below the top 8
    count: i32,
    /// 128..255 between calls
    range: u32,
}

impl<'a> Vp8BoolDecoder<'a> {
    /// A reader positioned at the first bit of `data` (RFC 7.3's init_bool_decoder).
    #[inline]
    pub fn new(data: &'a [u8]) -> Self {
        let mut bd = Vp8BoolDecoder {
            data,
            pos: 0,
            value: 0,
            count: -8,
            range: 255,
        };
        bd.fill();
        bd
    }

    #[inline]
    fn fill(&mut self) {
        let loaded = self.count + 8;
        // The whole bytes that fit below the window's top `loaded` (0..=7) bits: 8 into an
        // empty window, else 7. The same number the C's byte loop takes, so the position and
        // the overrun (which error messages report) stay the C's.
        let n = 7 + i32::from(loaded == 0);
        // Away from the end, in one load.
        if let Some(bytes) = self.data.get(self.pos..self.pos + 8) {
            let word = u64::from_be_bytes(bytes.try_into().unwrap());
            self.value |= (word & (u64::MAX << (64 - 8 * n))) >> loaded;
        } else {
            self.value = fill_tail(self.data, self.pos, self.value, loaded);
        }
        self.pos += n as usize;
        self.count = loaded + 8 * n - 8;
    }

    /// `(range, count)` when every bit still to come is zero: the data is used up and the window
    /// holds no set bit. The key-frame probe (modes.rs) memoises macroblocks read from there.
    #[inline]
    pub fn zero_tail_state(&self) -> Option<(u32, i32)> {
        (self.pos >= self.data.len() && self.value == 0).then_some((self.range, self.count))
    }

    /// Jump, inside a zero tail, to the state `(range, count)` reached `overrun` phantom bytes
    /// later (a transition `zero_tail_state` and the probe recorded).
    #[inline]
    pub fn skip_zero_tail(&mut self, range: u32, count: i32, overrun: u32) {
        self.range = range;
        self.count = count;
        self.pos += overrun as usize;
    }

    /// One bool whose probability of being 0 is `prob / 256`.
    #[inline]
    pub fn read_bool(&mut self, prob: u8) -> bool {
        let split = 1 + (((self.range - 1) * prob as u32) >> 8);
        let bigsplit = (split as u64) << 56;
        if self.count < 0 {
            self.fill();
        }
        // Each arm renormalises on its own: with one shared tail LLVM turned the two arms into
        // cmovs and the caller branched on the bit again (about 4 more instructions per bool
        // than the C's branches; step 25).
        if self.value >= bigsplit {
            self.range -= split;
            self.value -= bigsplit;
            self.normalise();
            true
        } else {
            self.range = split;
            self.normalise();
            false
        }
    }

    #[inline(always)]
    fn normalise(&mut self) {
        // range stays >= 1, so leading_zeros is at most 31; renormalise to 128..255.
        let shift = self.range.leading_zeros() - 24;
        self.range <<= shift;
        self.value <<= shift;
        self.count -= shift as i32;
    }

    #[inline]
    pub fn read_bit(&mut self) -> bool {
        self.read_bool(128)
    }

    /// An n-bit unsigned literal, most significant bit first (RFC 7.3 / 9); every literal of
    /// the format has at most 8 bits.
    #[inline]
    pub fn read_literal(&mut self, bits: u32) -> u8 {
        debug_assert!(bits <= 8);
        let mut v = 0u8;
        for _ in 0..bits {
            v = (v << 1) | self.read_bit() as u8;
        }
        v
    }

    /// A literal of `bits` bits followed by a sign bit: the signed header fields of RFC 9.3 - 9.6.
    #[inline]
    pub fn read_signed(&mut self, bits: u32) -> i8 {
        debug_assert!(bits <= 7);
        let v = self.read_literal(bits) as i8;
        if self.read_bit() { -v } else { v }
    }

    /// A flag, then if set a signed literal; 0 if the flag is clear.
    #[inline]
    pub fn read_optional_signed(&mut self, bits: u32) -> i8 {
        if self.read_bit() {
            self.read_signed(bits)
        } else {
            0
        }
    }

    /// Walk a tree (RFC 8.1): `probs[i >> 1]` is the probability of the node at tree index i.
    /// The tables are the format's (every node index is inside both slices), so the checked
    /// indexing never fails on any input.
    ///
    /// Always inlined: out of line, each call loaded the reader's state from memory and stored
    /// it back, about 139 instructions per subblock mode on the key frame of the 720p profile
    /// stream, whose modes are parsed twice (the allocation check, then the decode). Inlined,
    /// the state stays in registers across a macroblock's reads (port step 35; at step 28,
    /// before the second key-frame pass, this had saved nothing).
    #[inline(always)]
    pub fn read_tree(&mut self, tree: &[TreeIndex], probs: &[u8]) -> i32 {
        let mut i = 0usize;
        loop {
            let next = tree[i + self.read_bool(probs[i >> 1]) as usize] as i32;
            if next <= 0 {
                return -next;
            }
            i = next as usize;
        }
    }

    /// Zero bytes fed after the end of the data.
    #[inline]
    pub fn overrun(&self) -> u32 {
        self.pos.saturating_sub(self.data.len()) as u32
    }

    /// Bits consumed so far beyond the data (the frame was shorter than its entropy-coded
    /// content).
    #[inline]
    pub fn exhausted(&self) -> bool {
        self.overrun().wrapping_mul(8) > (self.count + 8) as u32
    }
}

/// The refill of the last bytes of a partition and the zeros after it, byte by byte: out of line
/// and by value, so the reader's state stays in registers in the hot loops that inline `fill`.
#[cold]
#[inline(never)]
fn fill_tail(data: &[u8], mut pos: usize, mut value: u64, mut loaded: i32) -> u64 {
    while loaded <= 56 {
        let byte = data.get(pos).copied().unwrap_or(0);
        pos += 1;
        value |= (byte as u64) << (56 - loaded);
        loaded += 8;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::Vp8BoolDecoder;

    /// The C stage's reader (upstream-c/src/bool.h): a byte at a time, an overrun counter.
    struct ByteReader<'a> {
        data: &'a [u8],
        pos: usize,
        overrun: u32,
        value: u64,
        count: i32,
        range: u32,
    }

    impl ByteReader<'_> {
        fn fill(&mut self) {
            let mut loaded = self.count + 8;
            while loaded <= 56 {
                let byte = if self.pos < self.data.len() {
                    self.pos += 1;
                    self.data[self.pos - 1]
                } else {
                    self.overrun += 1;
                    0
                };
                self.value |= u64::from(byte) << (56 - loaded);
                loaded += 8;
            }
            self.count = loaded - 8;
        }

        fn read_bool(&mut self, prob: u8) -> bool {
            let split = 1 + (((self.range - 1) * u32::from(prob)) >> 8);
            if self.count < 0 {
                self.fill();
            }
            let bit = self.value >= u64::from(split) << 56;
            if bit {
                self.range -= split;
                self.value -= u64::from(split) << 56;
            } else {
                self.range = split;
            }
            let shift = self.range.leading_zeros() - 24;
            self.range <<= shift;
            self.value <<= shift;
            self.count -= shift as i32;
            bit
        }
    }

    /// The eight-byte refill reads the same bits and reports the same overrun as the C's byte
    /// loop, across the end of the data and far past it (the overrun is in error messages).
    #[test]
    fn refill_matches_the_byte_loop() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in 0..48 {
            for _ in 0..20 {
                let data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                let mut fast = Vp8BoolDecoder::new(&data);
                let mut bytes = ByteReader {
                    data: &data,
                    pos: 0,
                    overrun: 0,
                    value: 0,
                    count: -8,
                    range: 255,
                };
                bytes.fill();
                for i in 0..(len * 12 + 200) {
                    // Skewed probabilities consume few bits per bool; 128 one bit.
                    let prob = match next() % 3 {
                        0 => 128,
                        1 => (next() % 255 + 1) as u8,
                        _ => 250,
                    };
                    assert_eq!(
                        fast.read_bool(prob),
                        bytes.read_bool(prob),
                        "len {len}, bool {i}"
                    );
                    assert_eq!(fast.overrun(), bytes.overrun, "len {len}, bool {i}");
                    assert_eq!(
                        fast.exhausted(),
                        bytes.overrun * 8 > (bytes.count + 8) as u32
                    );
                }
            }
        }
    }
}
