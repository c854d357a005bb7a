//! CPU tokens: zero-sized proofs that this process may execute an instruction set.
//!
//! A token can only be made by [`Sse2::detect`], [`Ssse3::detect`], [`Avx2::detect`] (runtime
//! detection with std's `is_x86_feature_detected!`, which for AVX2 also checks that the OS saves
//! the YMM registers) or by narrowing a stronger token, so holding one proves the feature exists
//! here; the kernel getters in this module's siblings take one by value. [`CpuTokens`] applies a
//! `--cpumask` mask on top of detection, the way the C stage intersects `vp8_cpu_flags()` with
//! `Vp8Settings.cpu_mask`.

/// `VP8_CPU_SSE2` of `upstream-c/include/vp8/vp8.h`.
pub const CPU_SSE2: u32 = 1 << 0;
/// `VP8_CPU_SSSE3`.
pub const CPU_SSSE3: u32 = 1 << 1;
/// `VP8_CPU_AVX2`.
pub const CPU_AVX2: u32 = 1 << 2;
/// `VP8_CPU_ALL`: whatever the CPU has.
pub const CPU_ALL: u32 = u32::MAX;
/// `VP8_CPU_NONE`: the Rust fallbacks only.
pub const CPU_NONE: u32 = 0;

/// Proof that SSE2 is available (every x86-64 CPU has it; still detected, not assumed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sse2 {
    _proof: (),
}

/// Proof that SSSE3 (and so SSE2) is available.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ssse3 {
    _proof: (),
}

/// Proof that AVX2 with OS support for the YMM state (and so SSSE3 and SSE2) is available.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Avx2 {
    _proof: (),
}

// `is_x86_feature_detected!` caches its cpuid results, so detecting again is a load and a test.
#[cfg(target_arch = "x86_64")]
macro_rules! detected {
    ($($feature:tt),+) => { $(std::arch::is_x86_feature_detected!($feature))&&+ };
}

#[cfg(not(target_arch = "x86_64"))]
macro_rules! detected {
    ($($feature:tt),+) => {
        false
    };
}

impl Sse2 {
    /// The token if this CPU has SSE2.
    pub fn detect() -> Option<Sse2> {
        detected!("sse2").then_some(Sse2 { _proof: () })
    }
}

impl Ssse3 {
    /// The token if this CPU has SSSE3 (and SSE2).
    pub fn detect() -> Option<Ssse3> {
        detected!("sse2", "ssse3").then_some(Ssse3 { _proof: () })
    }

    /// SSSE3 implies SSE2.
    pub fn sse2(self) -> Sse2 {
        Sse2 { _proof: () }
    }
}

impl Avx2 {
    /// The token if this CPU and OS support AVX2 (and the CPU SSSE3 and SSE2).
    pub fn detect() -> Option<Avx2> {
        detected!("sse2", "ssse3", "avx2").then_some(Avx2 { _proof: () })
    }

    /// AVX2 implies SSSE3 ([`Avx2::detect`] checked it too).
    pub fn ssse3(self) -> Ssse3 {
        Ssse3 { _proof: () }
    }

    /// AVX2 implies SSE2.
    pub fn sse2(self) -> Sse2 {
        Sse2 { _proof: () }
    }
}

/// The tokens a decoder may use: those the CPU has, restricted by a `VP8_CPU_*` mask.
///
/// Each level is kept or dropped on its own bit, as in the C stage's `x86/*_init.c` (which test
/// each flag separately): with the mask [`CPU_AVX2`] alone, `avx2` is `Some` and `ssse3` `None`.
/// The `--cpumask` words give nested masks (`ssse3` = SSE2 | SSSE3, ...), so a decoder that
/// installs level by level sees the same kernels as the C stage under every word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuTokens {
    /// SSE2, if detected and allowed by the mask's [`CPU_SSE2`] bit.
    pub sse2: Option<Sse2>,
    /// SSSE3, if detected and allowed by [`CPU_SSSE3`].
    pub ssse3: Option<Ssse3>,
    /// AVX2, if detected and allowed by [`CPU_AVX2`].
    pub avx2: Option<Avx2>,
}

impl CpuTokens {
    /// The detected tokens that `mask` (`VP8_CPU_*` bits, e.g. from a `--cpumask` word) allows.
    pub fn new(mask: u32) -> CpuTokens {
        CpuTokens {
            sse2: Sse2::detect().filter(|_| mask & CPU_SSE2 != 0),
            ssse3: Ssse3::detect().filter(|_| mask & CPU_SSSE3 != 0),
            avx2: Avx2::detect().filter(|_| mask & CPU_AVX2 != 0),
        }
    }

    /// Every token this CPU has ([`CpuTokens::new`] with [`CPU_ALL`]).
    pub fn detect() -> CpuTokens {
        CpuTokens::new(CPU_ALL)
    }

    /// The tokens held, as `VP8_CPU_*` bits (what `vp8_cpu_flags() & mask` is in the C stage).
    pub fn flags(&self) -> u32 {
        (if self.sse2.is_some() { CPU_SSE2 } else { 0 })
            | (if self.ssse3.is_some() { CPU_SSSE3 } else { 0 })
            | (if self.avx2.is_some() { CPU_AVX2 } else { 0 })
    }
}
