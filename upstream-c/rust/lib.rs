//! `vp8-c`: Portlab's C-stage VP8 decoder (`upstream-c/src`, RFC 6386) for Rust callers.
//!
//! - [`ffi`]: the raw, hand-written declarations of `include/vp8/vp8.h`;
//! - the crate root: a small safe wrapper, [`Decoder`], [`Picture`], [`Error`], and [`CStage`],
//!   the C stage's adapter to the stage contract of `vp8-stage` (whose [`Settings`], [`ErrorKind`]
//!   and [`cpu`] bits it uses).
//!
//! ```no_run
//! use vp8_c::{Decoder, Settings};
//! use vp8_stage::ivf::IvfReader;
//! let file = std::fs::File::open("bench/corpus/streams/sample.ivf").unwrap();
//! let mut ivf = IvfReader::new(std::io::BufReader::new(file)).unwrap();
//! let mut decoder = Decoder::new(Settings::default()).unwrap();
//! let mut out = Vec::new();
//! while let Some(frame) = ivf.next_frame().unwrap() {
//!     match decoder.decode(&frame.data) {
//!         Ok(()) => {
//!             if let Some(picture) = decoder.picture() {
//!                 picture.write_i420(&mut out).unwrap();
//!             }
//!         }
//!         Err(e) => eprintln!("frame {}: {e}", frame.index),
//!     }
//! }
//! ```

pub mod ffi;

// Links the asm kernels the C tables reference (a dependency nothing names is not linked).
use vp8_asm as _;

use std::ffi::{CStr, CString, c_char, c_int};
use std::fmt;
use std::ops::Deref;
use std::ptr::NonNull;

pub use vp8_stage::{ErrorKind, Settings, cpu};
use vp8_stage::{StageDecoder, StageError, StageInfo, Vp8Stage};

/// A failure of the C decoder: the code, its static name (`vp8_error_string`) and the detail the
/// decoder gave for it (`vp8_last_error`, "" if none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: i32,
    name: &'static str,
    detail: String,
}

impl Error {
    fn from_code(code: c_int, detail: String) -> Error {
        Error {
            code,
            name: error_name(code),
            detail,
        }
    }

    fn invalid_arg(detail: &str) -> Error {
        Error::from_code(ffi::VP8_ERR_INVALID_ARG, detail.to_string())
    }

    /// The negative `VP8_ERR_*` code.
    pub fn code(&self) -> i32 {
        self.code
    }

    pub fn kind(&self) -> ErrorKind {
        ErrorKind::from_code(self.code)
    }

    /// The short static name of the code, e.g. "truncated frame".
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// What exactly went wrong, e.g. "partition 2 size 4000 exceeds the 1200 bytes left".
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            write!(f, "{} ({})", self.name, self.code)
        } else {
            write!(f, "{} ({}): {}", self.name, self.code, self.detail)
        }
    }
}

impl std::error::Error for Error {}

/// `vp8_error_string` as a `&'static str`.
pub fn error_name(code: i32) -> &'static str {
    // SAFETY: vp8_error_string accepts any int and returns a pointer to a static, NUL-terminated
    // string (vp8.h: "a short, static name"), so borrowing it for 'static is sound.
    let name: &'static CStr = unsafe {
        let p = ffi::vp8_error_string(code);
        if p.is_null() {
            return "unknown error";
        }
        CStr::from_ptr(p)
    };
    name.to_str().unwrap_or("unknown error")
}

/// The CPU features this process can use (`vp8_cpu_flags`), as [`cpu`] bits.
pub fn cpu_flags() -> u32 {
    // SAFETY: no arguments, no preconditions.
    unsafe { ffi::vp8_cpu_flags() }
}

/// Parse a `--cpumask` word ("none", "sse2", "ssse3", "avx2", "all") into [`cpu`] bits.
pub fn parse_cpu_mask(word: &str) -> Result<u32, Error> {
    let c_word =
        CString::new(word).map_err(|_| Error::invalid_arg("cpu mask word contains NUL"))?;
    let mut mask = 0;
    // SAFETY: c_word is a valid NUL-terminated string and mask a valid out-pointer for the call.
    let err = unsafe { ffi::vp8_parse_cpu_mask(c_word.as_ptr(), &mut mask) };
    if err == ffi::VP8_OK {
        Ok(mask)
    } else {
        Err(Error::from_code(
            err,
            format!("unknown cpu mask word {word:?}"),
        ))
    }
}

/// One decoder instance (`Vp8Decoder`), closed on drop.
///
/// Not `Send`/`Sync`: nothing in vp8.h promises that a decoder may move between threads.
#[derive(Debug)]
pub struct Decoder {
    raw: NonNull<ffi::Vp8Decoder>,
}

impl Decoder {
    pub fn new(settings: Settings) -> Result<Decoder, Error> {
        let raw_settings = ffi::Vp8Settings {
            cpu_mask: settings.cpu_mask,
            n_threads: c_int::try_from(settings.threads)
                .map_err(|_| Error::invalid_arg("thread count does not fit a C int"))?,
            max_frame_area: settings.max_frame_area,
        };
        let mut raw: *mut ffi::Vp8Decoder = std::ptr::null_mut();
        // SAFETY: both pointers are valid for the call; vp8_open copies the settings.
        let err = unsafe { ffi::vp8_open(&mut raw, &raw_settings) };
        if err != ffi::VP8_OK {
            return Err(Error::from_code(err, String::new()));
        }
        match NonNull::new(raw) {
            Some(raw) => Ok(Decoder { raw }),
            None => Err(Error::from_code(
                ffi::VP8_ERR_NO_MEMORY,
                "vp8_open returned VP8_OK and a NULL decoder".to_string(),
            )),
        }
    }

    /// Decode one compressed frame (the payload of one IVF frame). On error the decoder stays
    /// usable: the frame is dropped and decoding resumes at the next key frame if needed.
    pub fn decode(&mut self, data: &[u8]) -> Result<(), Error> {
        // SAFETY: self.raw is an open decoder we own exclusively (&mut self); data is valid for
        // data.len() bytes, and the C side does not keep the pointer after returning.
        let err = unsafe { ffi::vp8_decode_frame(self.raw.as_ptr(), data.as_ptr(), data.len()) };
        if err == ffi::VP8_OK {
            Ok(())
        } else {
            Err(Error::from_code(err, self.last_error()))
        }
    }

    /// The picture of the last decoded frame, if it is shown and not yet taken. It borrows the
    /// decoder: the planes stay valid until the next `decode` (which needs `&mut self` again).
    pub fn picture(&mut self) -> Option<Picture<'_>> {
        let mut raw = ffi::Vp8Picture::default();
        // SAFETY: self.raw is an open decoder; raw is a valid out-pointer.
        let err = unsafe { ffi::vp8_get_picture(self.raw.as_ptr(), &mut raw) };
        if err != ffi::VP8_OK {
            return None;
        }
        // SAFETY: vp8.h: the planes stay valid until the next vp8_decode_frame()/vp8_close() on
        // this decoder; the returned Picture borrows self mutably, which rules out both.
        Some(unsafe { Picture::from_raw(raw) })
    }

    /// `vp8_last_error`: the detail of the last failure on this decoder, "" if none.
    pub fn last_error(&self) -> String {
        // SAFETY: self.raw is an open decoder; the returned string is NUL-terminated and valid
        // until the next call on the decoder, and it is copied out before any such call.
        unsafe {
            let p = ffi::vp8_last_error(self.raw.as_ptr());
            if p.is_null() {
                String::new()
            } else {
                cstr_lossy(p)
            }
        }
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        let mut raw = self.raw.as_ptr();
        // SAFETY: raw is the decoder vp8_open gave us, closed exactly once, here.
        unsafe { ffi::vp8_close(&mut raw) };
    }
}

/// # Safety
/// `p` must point to a NUL-terminated string valid for the duration of the call.
unsafe fn cstr_lossy(p: *const c_char) -> String {
    // SAFETY: guaranteed by the caller.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// A decoded I420 picture borrowed from its [`Decoder`]: the contract's
/// [`vp8_stage::Picture`] (planes, strides, rows, I420 and MD5 output, through `Deref`) plus
/// what only the C API reports (scaling bits, color space, clamping type).
pub struct Picture<'a> {
    picture: vp8_stage::Picture<'a>,
    raw: ffi::Vp8Picture,
}

impl<'a> Picture<'a> {
    /// # Safety
    /// `raw`'s planes must stay valid and unchanged for `'a`.
    unsafe fn from_raw(raw: ffi::Vp8Picture) -> Picture<'a> {
        // SAFETY: the C API guarantees h rows of w bytes at data[p] + y * stride (vp8.h,
        // Vp8Picture); the caller guarantees they live for 'a.
        let picture = unsafe {
            vp8_stage::Picture::from_raw(
                raw.data,
                raw.stride,
                raw.width,
                raw.height,
                raw.keyframe != 0,
                raw.frame_number,
            )
        };
        Picture { picture, raw }
    }

    /// The contract's picture (what every stage returns).
    pub fn picture(&self) -> vp8_stage::Picture<'a> {
        self.picture
    }

    /// Coded width in pixels.
    pub fn width(&self) -> usize {
        self.picture.width
    }

    /// Coded height in pixels.
    pub fn height(&self) -> usize {
        self.picture.height
    }

    /// Plane `p` (0 = Y, 1 = U, 2 = V): from its first pixel to the last pixel of its last row;
    /// row `y` starts at `y * stride(p)`.
    pub fn plane(&self, p: usize) -> &'a [u8] {
        self.picture.planes[p]
    }

    /// Bytes from one row of plane `p` to the next.
    pub fn stride(&self, p: usize) -> usize {
        self.picture.strides[p]
    }

    /// 1 if the picture came from a key frame.
    pub fn keyframe(&self) -> bool {
        self.picture.keyframe
    }

    /// Index (from 0) of the compressed frame that produced this picture.
    pub fn frame_number(&self) -> u64 {
        self.picture.frame_number
    }

    /// The key frame's scaling bits (0..3): parsed, not applied.
    pub fn scaling(&self) -> (i32, i32) {
        (self.raw.horiz_scale, self.raw.vert_scale)
    }

    /// 0: YUV (BT.601); 1: reserved.
    pub fn color_space(&self) -> i32 {
        self.raw.color_space
    }

    /// 0: the decoder must clamp; 1: no clamping needed.
    pub fn clamping_type(&self) -> i32 {
        self.raw.clamping_type
    }
}

impl<'a> Deref for Picture<'a> {
    type Target = vp8_stage::Picture<'a>;

    fn deref(&self) -> &vp8_stage::Picture<'a> {
        &self.picture
    }
}

impl fmt::Debug for Picture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Picture")
            .field("picture", &self.picture)
            .field("scaling", &self.scaling())
            .finish_non_exhaustive()
    }
}

// ------------------------------------------------------------------------------------------------
// The C stage's adapter to the stage contract.

/// The C stage (`upstream-c/`) as a [`Vp8Stage`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CStage;

impl From<Error> for StageError {
    fn from(e: Error) -> StageError {
        StageError {
            kind: e.kind(),
            name: e.name().to_string(),
            detail: e.detail().to_string(),
        }
    }
}

impl Vp8Stage for CStage {
    fn info(&self) -> &'static StageInfo {
        vp8_stage::stage_info("c").expect("the registry lists the C stage")
    }

    fn open(&self, settings: &Settings) -> Result<Box<dyn StageDecoder>, StageError> {
        Ok(Box::new(Decoder::new(*settings)?))
    }
}

impl StageDecoder for Decoder {
    fn decode(&mut self, data: &[u8]) -> Result<(), StageError> {
        Ok(Decoder::decode(self, data)?)
    }

    fn picture(&mut self) -> Option<vp8_stage::Picture<'_>> {
        Decoder::picture(self).map(|p| p.picture())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    unsafe extern "C" {
        static vp8c_layout: [usize; 17];
        static vp8c_layout_len: usize;
        static vp8c_constants: [i64; 16];
        static vp8c_constants_len: usize;
    }

    #[test]
    fn ffi_layout_matches_c() {
        use ffi::{Vp8Picture as P, Vp8Settings as S};
        let rust = [
            size_of::<S>(),
            align_of::<S>(),
            offset_of!(S, cpu_mask),
            offset_of!(S, n_threads),
            offset_of!(S, max_frame_area),
            size_of::<P>(),
            align_of::<P>(),
            offset_of!(P, data),
            offset_of!(P, stride),
            offset_of!(P, width),
            offset_of!(P, height),
            offset_of!(P, horiz_scale),
            offset_of!(P, vert_scale),
            offset_of!(P, color_space),
            offset_of!(P, clamping_type),
            offset_of!(P, keyframe),
            offset_of!(P, frame_number),
        ];
        // SAFETY: plain constant data defined in rust/layout_check.c with these lengths.
        let (c, c_len) = unsafe { (vp8c_layout, vp8c_layout_len) };
        assert_eq!(
            c_len,
            rust.len(),
            "rust/layout_check.c and this test list different items"
        );
        assert_eq!(
            rust, c,
            "rust/ffi.rs struct layout differs from vp8.h (order as in layout_check.c)"
        );
    }

    #[test]
    fn ffi_constants_match_c() {
        let rust: [i64; 16] = [
            ffi::VP8_API_VERSION as i64,
            ffi::VP8_CPU_SSE2 as i64,
            ffi::VP8_CPU_SSSE3 as i64,
            ffi::VP8_CPU_AVX2 as i64,
            ffi::VP8_CPU_ALL as i64,
            ffi::VP8_CPU_NONE as i64,
            ffi::VP8_OK as i64,
            ffi::VP8_ERR_INVALID_ARG as i64,
            ffi::VP8_ERR_NO_MEMORY as i64,
            ffi::VP8_ERR_TRUNCATED as i64,
            ffi::VP8_ERR_CORRUPT as i64,
            ffi::VP8_ERR_UNSUPPORTED as i64,
            ffi::VP8_ERR_TOO_LARGE as i64,
            ffi::VP8_ERR_NEED_KEYFRAME as i64,
            ffi::VP8_ERR_EMPTY_FRAME as i64,
            ffi::VP8_ERR_AGAIN as i64,
        ];
        // SAFETY: plain constant data defined in rust/layout_check.c with these lengths.
        let (c, c_len) = unsafe { (vp8c_constants, vp8c_constants_len) };
        assert_eq!(
            c_len,
            rust.len(),
            "rust/layout_check.c and this test list different items"
        );
        assert_eq!(
            rust, c,
            "rust/ffi.rs constants differ from vp8.h (order as in layout_check.c)"
        );
    }

    #[test]
    fn contract_matches_the_c_api() {
        let mut raw = ffi::Vp8Settings::default();
        // SAFETY: raw is a valid, writable Vp8Settings.
        unsafe { ffi::vp8_default_settings(&mut raw) };
        let d = Settings::default();
        assert_eq!(
            (raw.cpu_mask, raw.n_threads, raw.max_frame_area),
            (d.cpu_mask, d.threads as i32, d.max_frame_area)
        );
        assert_eq!(
            [cpu::SSE2, cpu::SSSE3, cpu::AVX2, cpu::ALL, cpu::NONE],
            [
                ffi::VP8_CPU_SSE2,
                ffi::VP8_CPU_SSSE3,
                ffi::VP8_CPU_AVX2,
                ffi::VP8_CPU_ALL,
                ffi::VP8_CPU_NONE
            ]
        );
        assert_eq!(
            vp8_stage::cpu_flags(),
            cpu_flags(),
            "std and cpuid disagree"
        );
        for code in -11..=0 {
            assert_eq!(
                ErrorKind::from_code(code).name(),
                error_name(code),
                "code {code}"
            );
        }
        for w in ["none", "sse2", "ssse3", "avx2", "all", "AVX2", "", "sse"] {
            assert_eq!(
                vp8_stage::parse_cpu_mask(w),
                parse_cpu_mask(w).ok(),
                "word {w:?}"
            );
        }
    }
}
