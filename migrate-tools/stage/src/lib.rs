//! `vp8-stage`: the contract every stage of Portlab's VP8 decoder implements (DESIGN.md, "One
//! contract for every stage"): open with [`Settings`], decode one compressed frame, take the next
//! [`Picture`] (I420 planes, strides, size), close on drop, with the same [`ErrorKind`]s whatever
//! the stage. Also what every tool and test around the stages shares: the [`cpu`] bits and
//! `--cpumask` words, the [`ivf`] container, the [`md5`] references of the corpus, the
//! [`fuzz`]ing harness rules, and the [`registry`] of stages.
//!
//! It depends on no stage: `vp8-c`, `vp8-transpiled` (its tests) and `vp8-safe` depend on it, and
//! the tools reach the stages through [`Vp8Stage`] (docs/architecture.md).
//!
//! ```no_run
//! use vp8_stage::{StageDecoder, ivf::IvfReader};
//! fn decode_all(decoder: &mut dyn StageDecoder, path: &str) -> Vec<String> {
//!     let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
//!     let mut ivf = IvfReader::new(file).unwrap();
//!     let mut md5s = Vec::new();
//!     while let Some(frame) = ivf.next_frame().unwrap() {
//!         match decoder.decode(&frame.data) {
//!             Ok(()) => md5s.extend(decoder.picture().map(|p| p.md5_hex())),
//!             Err(e) => eprintln!("frame {}: {e}", frame.index),
//!         }
//!     }
//!     md5s
//! }
//! ```

pub mod corpus;
pub mod corrupt;
pub mod fuzz;
pub mod ivf;
pub mod md5;
pub mod registry;
pub mod rng;

use std::fmt;
use std::io::{self, Write};

use ::md5::{Digest, Md5};

pub use crate::md5::hex;
pub use crate::registry::{Language, STAGES, StageInfo, stage_info};

/// CPU feature bits of [`Settings::cpu_mask`] (the `VP8_CPU_*` of vp8.h, the same in every
/// stage; `vp8-c` checks them against the C header).
pub mod cpu {
    pub const SSE2: u32 = 1 << 0;
    pub const SSSE3: u32 = 1 << 1;
    pub const AVX2: u32 = 1 << 2;
    /// Whatever the CPU has.
    pub const ALL: u32 = 0xffff_ffff;
    /// The C fallbacks only.
    pub const NONE: u32 = 0;
}

/// The `--cpumask` words: "none", "sse2", "ssse3", "avx2" (each includes the ones before it) or
/// "all" (what `vp8_parse_cpu_mask` accepts). `None` for anything else.
pub fn parse_cpu_mask(word: &str) -> Option<u32> {
    match word {
        "none" => Some(cpu::NONE),
        "sse2" => Some(cpu::SSE2),
        "ssse3" => Some(cpu::SSE2 | cpu::SSSE3),
        "avx2" => Some(cpu::SSE2 | cpu::SSSE3 | cpu::AVX2),
        "all" => Some(cpu::ALL),
        _ => None,
    }
}

/// Every `--cpumask` word, weakest first.
pub const CPU_MASK_WORDS: [&str; 5] = ["none", "sse2", "ssse3", "avx2", "all"];

/// The word for a mask made by [`parse_cpu_mask`] (or `0x…` for any other mask).
pub fn cpu_mask_word(mask: u32) -> String {
    for w in CPU_MASK_WORDS {
        if parse_cpu_mask(w) == Some(mask) {
            return w.to_string();
        }
    }
    format!("{mask:#x}")
}

/// The CPU features this process can use (cpuid and OS support, through std's
/// `is_x86_feature_detected!`), as [`cpu`] bits. `vp8-c` tests that the C stage's
/// `vp8_cpu_flags` agrees.
pub fn cpu_flags() -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        let mut flags = cpu::NONE;
        if std::arch::is_x86_feature_detected!("sse2") {
            flags |= cpu::SSE2;
        }
        if std::arch::is_x86_feature_detected!("ssse3") {
            flags |= cpu::SSSE3;
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            flags |= cpu::AVX2;
        }
        flags
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        cpu::NONE
    }
}

/// For tests: an external tool (clang, vpxdec, valgrind...) a test needs is missing. Under CI
/// (the environment variable `CI` is set, and `.ci/run` installs every tool) that is a failure;
/// elsewhere the test prints a SKIPPED banner saying what was not checked, and the caller returns.
pub fn missing_tool(tool: &str, not_checked: &str) {
    let message = format!("{tool} is not installed: {not_checked} was NOT checked");
    if std::env::var_os("CI").is_some() {
        panic!("{message} (CI is set: .ci/run installs {tool}, so a missing {tool} is a failure)");
    }
    eprintln!("==================================================================");
    eprintln!("SKIPPED: {message}");
    eprintln!("==================================================================");
}

/// Decoder settings (`Vp8Settings`), the same for every stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// [`cpu`] bits the decoder may use; it uses their intersection with [`cpu_flags`].
    pub cpu_mask: u32,
    /// Decoding threads; 0 = one per core. Output never depends on it.
    pub threads: u32,
    /// Refuse key frames with width * height above this; 0 = no limit.
    pub max_frame_area: u64,
}

impl Default for Settings {
    /// vp8.h's defaults: all CPU features, automatic threads, no size limit.
    fn default() -> Self {
        Settings {
            cpu_mask: cpu::ALL,
            threads: 0,
            max_frame_area: 0,
        }
    }
}

/// The kinds of failure (`enum Vp8Error` of vp8.h), the same in every stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A NULL pointer or out-of-range setting from the caller.
    InvalidArg,
    /// An allocation failed.
    NoMemory,
    /// The frame ends before its headers or partitions do.
    Truncated,
    /// A header field or partition size is impossible.
    Corrupt,
    /// Valid VP8 the decoder does not handle.
    Unsupported,
    /// Frame dimensions above [`Settings::max_frame_area`].
    TooLarge,
    /// An inter frame with no valid reference: waiting for a key frame.
    NeedKeyframe,
    /// A zero-length frame: nothing decoded, decoder state unchanged.
    EmptyFrame,
    /// No new picture to output.
    Again,
    /// A code this contract does not know.
    Other(i32),
}

impl ErrorKind {
    /// Every kind with a code, in code order (-1, -2, ...).
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::InvalidArg,
        ErrorKind::NoMemory,
        ErrorKind::Truncated,
        ErrorKind::Corrupt,
        ErrorKind::Unsupported,
        ErrorKind::TooLarge,
        ErrorKind::NeedKeyframe,
        ErrorKind::EmptyFrame,
        ErrorKind::Again,
    ];

    /// The kind of a negative `VP8_ERR_*` code.
    pub fn from_code(code: i32) -> ErrorKind {
        match code {
            -9..=-1 => ErrorKind::ALL[(-code - 1) as usize],
            other => ErrorKind::Other(other),
        }
    }

    /// The negative `VP8_ERR_*` code.
    pub fn code(self) -> i32 {
        match self {
            ErrorKind::Other(c) => c,
            kind => -1 - ErrorKind::ALL.iter().position(|k| *k == kind).unwrap() as i32,
        }
    }

    /// The short name `vp8_error_string` gives the code ("truncated frame", ...).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidArg => "invalid argument",
            ErrorKind::NoMemory => "out of memory",
            ErrorKind::Truncated => "truncated frame",
            ErrorKind::Corrupt => "corrupt frame",
            ErrorKind::Unsupported => "unsupported feature",
            ErrorKind::TooLarge => "frame too large",
            ErrorKind::NeedKeyframe => "waiting for a key frame",
            ErrorKind::EmptyFrame => "empty frame",
            ErrorKind::Again => "no picture available",
            ErrorKind::Other(0) => "success",
            ErrorKind::Other(_) => "unknown error",
        }
    }
}

/// A failure of a stage's decoder: the kind, the name the stage gave it and the detail
/// (`vp8_last_error`, "" if none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageError {
    pub kind: ErrorKind,
    /// The stage's `vp8_error_string` for the code.
    pub name: String,
    /// What exactly went wrong, e.g. "partition 2 size 4000 exceeds the 1200 bytes left".
    pub detail: String,
}

impl StageError {
    /// An error of `kind` with its standard name.
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> StageError {
        StageError {
            kind,
            name: kind.name().to_string(),
            detail: detail.into(),
        }
    }

    pub fn code(&self) -> i32 {
        self.kind.code()
    }
}

impl fmt::Display for StageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}: {}", self.name, self.detail)
        }
    }
}

impl std::error::Error for StageError {}

/// A decoded I420 picture borrowed from its decoder: valid until the next `decode`.
#[derive(Debug, Clone, Copy)]
pub struct Picture<'a> {
    /// Y, U, V: from the first pixel to the last pixel of the last row; row `y` of plane `p`
    /// starts at `y * strides[p]`.
    pub planes: [&'a [u8]; 3],
    pub strides: [usize; 3],
    /// Coded size in pixels; chroma planes are `(w+1)/2 x (h+1)/2`.
    pub width: usize,
    pub height: usize,
    pub keyframe: bool,
    /// Index (from 0) of the compressed frame that produced it.
    pub frame_number: u64,
}

/// Width and height of plane `p` of a `width` x `height` I420 picture.
pub fn plane_size(width: usize, height: usize, p: usize) -> (usize, usize) {
    if p == 0 {
        (width, height)
    } else {
        (width.div_ceil(2), height.div_ceil(2))
    }
}

impl<'a> Picture<'a> {
    /// Build a picture from raw plane pointers (the C API's `Vp8Picture`), checking sizes.
    ///
    /// # Safety
    /// For each plane, `height_p` rows of `width_p` bytes at `data[p] + y * stride[p]` must be
    /// readable and unchanged for `'a` (vp8.h's promise for `vp8_get_picture`).
    pub unsafe fn from_raw(
        data: [*const u8; 3],
        stride: [isize; 3],
        width: i32,
        height: i32,
        keyframe: bool,
        frame_number: u64,
    ) -> Picture<'a> {
        assert!(
            width > 0 && height > 0,
            "a stage returned a picture of size {width}x{height}"
        );
        let (width, height) = (width as usize, height as usize);
        let mut planes: [&'a [u8]; 3] = [&[], &[], &[]];
        let mut strides = [0usize; 3];
        for p in 0..3 {
            let (w, h) = plane_size(width, height, p);
            assert!(
                !data[p].is_null() && stride[p] >= w as isize,
                "a stage returned plane {p} with data {:?} and stride {} for a width of {w}",
                data[p],
                stride[p]
            );
            strides[p] = stride[p] as usize;
            let len = (h - 1) * strides[p] + w;
            // SAFETY: guaranteed by the caller: h rows of w bytes, stride apart, live for 'a.
            planes[p] = unsafe { std::slice::from_raw_parts(data[p], len) };
        }
        Picture {
            planes,
            strides,
            width,
            height,
            keyframe,
            frame_number,
        }
    }

    /// Width and height of plane `p` (0 = Y, 1 = U, 2 = V).
    pub fn plane_size(&self, p: usize) -> (usize, usize) {
        plane_size(self.width, self.height, p)
    }

    /// The visible rows of plane `p`, without stride padding.
    pub fn rows(&self, p: usize) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        let (w, h) = self.plane_size(p);
        let stride = self.strides[p];
        let plane = self.planes[p];
        (0..h).map(move |y| &plane[y * stride..y * stride + w])
    }

    /// Feed the I420 bytes (what `vpxdec --i420` writes for this picture) to `md5`.
    pub fn md5_update(&self, md5: &mut Md5) {
        for p in 0..3 {
            for row in self.rows(p) {
                md5.update(row);
            }
        }
    }

    /// MD5 of the picture's I420 bytes, lower-case hex (a `.framemd5` line's last field).
    pub fn md5_hex(&self) -> String {
        let mut md5 = Md5::new();
        self.md5_update(&mut md5);
        hex(&md5.finalize())
    }

    /// Write the raw I420 bytes.
    pub fn write_i420(&self, out: &mut impl Write) -> io::Result<()> {
        for p in 0..3 {
            for row in self.rows(p) {
                out.write_all(row)?;
            }
        }
        Ok(())
    }

    /// An owned, tightly packed copy.
    pub fn to_frame(&self) -> Frame {
        let mut planes: [Vec<u8>; 3] = Default::default();
        for (p, plane) in planes.iter_mut().enumerate() {
            for row in self.rows(p) {
                plane.extend_from_slice(row);
            }
        }
        Frame {
            width: self.width,
            height: self.height,
            planes,
        }
    }
}

/// An owned I420 picture, planes tightly packed (stride = plane width).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub width: usize,
    pub height: usize,
    pub planes: [Vec<u8>; 3],
}

impl Frame {
    pub fn plane_size(&self, p: usize) -> (usize, usize) {
        plane_size(self.width, self.height, p)
    }

    /// Pixel (x, y) of plane `p`.
    pub fn pixel(&self, p: usize, x: usize, y: usize) -> u8 {
        self.planes[p][y * self.plane_size(p).0 + x]
    }

    /// The first differing pixel in Y, U, V order, row by row: (plane, x, y, ours, theirs).
    /// `None` if equal; a size difference is reported as plane 0 at (0, 0).
    pub fn first_difference(&self, other: &Frame) -> Option<(usize, usize, usize, u8, u8)> {
        if (self.width, self.height) != (other.width, other.height) {
            return Some((0, 0, 0, self.planes[0][0], other.planes[0][0]));
        }
        for p in 0..3 {
            let (w, _) = self.plane_size(p);
            if let Some(i) = self.planes[p]
                .iter()
                .zip(&other.planes[p])
                .position(|(a, b)| a != b)
            {
                return Some((p, i % w, i / w, self.planes[p][i], other.planes[p][i]));
            }
        }
        None
    }

    /// Write a one-frame YUV4MPEG2 file (plays in ffplay/mpv).
    pub fn write_y4m(&self, out: &mut impl Write) -> io::Result<()> {
        write!(
            out,
            "YUV4MPEG2 W{} H{} F30:1 Ip A0:0 C420jpeg\nFRAME\n",
            self.width, self.height
        )?;
        for plane in &self.planes {
            out.write_all(plane)?;
        }
        Ok(())
    }
}

/// An open decoder of some stage; closed on drop.
pub trait StageDecoder {
    /// Decode one compressed frame (the payload of one IVF frame). On error the decoder stays
    /// usable: the frame is dropped and decoding resumes at the next key frame if needed.
    fn decode(&mut self, data: &[u8]) -> Result<(), StageError>;

    /// The picture of the last decoded frame, if it is shown and not yet taken.
    fn picture(&mut self) -> Option<Picture<'_>>;
}

/// One stage of the decoder: its registry entry and a way to open decoders.
pub trait Vp8Stage: Sync {
    /// The stage's entry in [`registry::STAGES`].
    fn info(&self) -> &'static StageInfo;

    /// "c", "transpiled", ...: what `--stage` and `--stages` accept.
    fn name(&self) -> &'static str {
        self.info().name
    }

    /// One line for `--help` and reports.
    fn description(&self) -> &'static str {
        self.info().description
    }

    fn open(&self, settings: &Settings) -> Result<Box<dyn StageDecoder>, StageError>;
}

impl fmt::Debug for dyn Vp8Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Vp8Stage({})", self.name())
    }
}

impl fmt::Debug for dyn StageDecoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StageDecoder")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_round_trip() {
        for code in -12..=0 {
            assert_eq!(ErrorKind::from_code(code).code(), code);
        }
        assert_eq!(ErrorKind::from_code(-3), ErrorKind::Truncated);
        assert_eq!(ErrorKind::Again.code(), -9);
    }

    #[test]
    fn cpu_words_round_trip() {
        for w in CPU_MASK_WORDS {
            assert_eq!(cpu_mask_word(parse_cpu_mask(w).unwrap()), w);
        }
        assert_eq!(parse_cpu_mask("AVX2"), None);
        assert_eq!(cpu_mask_word(cpu::AVX2), "0x4");
    }

    #[test]
    fn frame_difference_names_plane_and_position() {
        let a = Frame {
            width: 3,
            height: 3,
            planes: [vec![0; 9], vec![0; 4], vec![0; 4]],
        };
        let mut b = a.clone();
        assert_eq!(a.first_difference(&b), None);
        b.planes[1][3] = 7;
        assert_eq!(a.first_difference(&b), Some((1, 1, 1, 0, 7)));
    }

    #[test]
    fn picture_rows_skip_stride_padding() {
        let y = [1u8, 2, 0, 3, 4];
        let (u, v) = ([5u8], [6u8]);
        let p = Picture {
            planes: [&y, &u, &v],
            strides: [3, 1, 1],
            width: 2,
            height: 2,
            keyframe: true,
            frame_number: 0,
        };
        let mut out = Vec::new();
        p.write_i420(&mut out).unwrap();
        assert_eq!(out, [1, 2, 3, 4, 5, 6]);
        assert_eq!(p.md5_hex(), crate::md5::md5_hex(&out));
        assert_eq!(p.to_frame().planes[0], [1, 2, 3, 4]);
    }
}
