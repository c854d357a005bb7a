//! Raw declarations of `include/vp8/vp8.h`, written by hand.
//!
//! Why not bindgen: bindgen needs libclang at build time, which would make every build of the
//! workspace (and CI) depend on an LLVM installation for one 90-line header. The header is small
//! and frozen (`VP8_API_VERSION`), so it is mirrored here instead, and a unit test
//! (`tests::ffi_layout_matches_c` in `lib.rs`) compares every struct size, alignment, field
//! offset and constant with what the C compiler sees (`rust/layout_check.c`), so a drift between
//! the two fails `cargo test` instead of corrupting memory.
//!
//! Everything here is `unsafe` to call; the safe API is in the crate root.

use std::ffi::{c_char, c_int, c_uint};

pub const VP8_API_VERSION: c_int = 1;

pub const VP8_CPU_SSE2: c_uint = 1 << 0;
pub const VP8_CPU_SSSE3: c_uint = 1 << 1;
pub const VP8_CPU_AVX2: c_uint = 1 << 2;
pub const VP8_CPU_ALL: c_uint = 0xffff_ffff;
pub const VP8_CPU_NONE: c_uint = 0;

pub const VP8_OK: c_int = 0;
pub const VP8_ERR_INVALID_ARG: c_int = -1;
pub const VP8_ERR_NO_MEMORY: c_int = -2;
pub const VP8_ERR_TRUNCATED: c_int = -3;
pub const VP8_ERR_CORRUPT: c_int = -4;
pub const VP8_ERR_UNSUPPORTED: c_int = -5;
pub const VP8_ERR_TOO_LARGE: c_int = -6;
pub const VP8_ERR_NEED_KEYFRAME: c_int = -7;
pub const VP8_ERR_EMPTY_FRAME: c_int = -8;
pub const VP8_ERR_AGAIN: c_int = -9;

/// `Vp8Settings`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Vp8Settings {
    pub cpu_mask: c_uint,
    pub n_threads: c_int,
    pub max_frame_area: u64,
}

/// `Vp8Picture`: borrowed planes, valid until the next decode or close on its decoder.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Vp8Picture {
    pub data: [*const u8; 3],
    pub stride: [isize; 3],
    pub width: c_int,
    pub height: c_int,
    pub horiz_scale: c_int,
    pub vert_scale: c_int,
    pub color_space: c_int,
    pub clamping_type: c_int,
    pub keyframe: c_int,
    pub frame_number: u64,
}

impl Default for Vp8Picture {
    fn default() -> Self {
        Vp8Picture {
            data: [std::ptr::null(); 3],
            stride: [0; 3],
            width: 0,
            height: 0,
            horiz_scale: 0,
            vert_scale: 0,
            color_space: 0,
            clamping_type: 0,
            keyframe: 0,
            frame_number: 0,
        }
    }
}

/// The opaque `Vp8Decoder`.
#[repr(C)]
#[derive(Debug)]
pub struct Vp8Decoder {
    _opaque: [u8; 0],
    // Not Send/Sync/Unpin: the C object is only ever touched through a pointer.
    _marker: std::marker::PhantomData<(*mut u8, std::marker::PhantomPinned)>,
}

unsafe extern "C" {
    pub fn vp8_default_settings(settings: *mut Vp8Settings);
    pub fn vp8_open(out: *mut *mut Vp8Decoder, settings: *const Vp8Settings) -> c_int;
    pub fn vp8_decode_frame(dec: *mut Vp8Decoder, data: *const u8, size: usize) -> c_int;
    pub fn vp8_get_picture(dec: *mut Vp8Decoder, out: *mut Vp8Picture) -> c_int;
    pub fn vp8_close(dec: *mut *mut Vp8Decoder);
    pub fn vp8_error_string(err: c_int) -> *const c_char;
    pub fn vp8_last_error(dec: *const Vp8Decoder) -> *const c_char;
    pub fn vp8_cpu_flags() -> c_uint;
    pub fn vp8_parse_cpu_mask(word: *const c_char, mask: *mut c_uint) -> c_int;
}
