//! Portlab VP8 decoder (RFC 6386), C stage: the public API.
//!
//! This header is all a caller sees. A decoder is opened with settings, fed one compressed frame at
//! a time (the payload of one IVF/WebM frame), and asked for the picture that frame produced, if it
//! is shown. Pictures are I420 at the coded size, exactly what `vpxdec --i420` writes.
/// CPU feature bits. The decoder uses the intersection of what the CPU reports and
/// Vp8Settings.cpu_mask, so a mask can only take features away.
pub type Vp8CpuFlags = u32;
pub const VP8_CPU_SSE2: i32 = 1 << 0;
pub const VP8_CPU_SSSE3: i32 = 1 << 1;
pub const VP8_CPU_AVX2: i32 = 1 << 2;
/// `#define VP8_CPU_ALL` in upstream-c/include/vp8/vp8.h.
pub const VP8_CPU_ALL: u32 = 0xffffffff;
/// Error codes: always negative; VP8_OK is zero. vp8_error_string() names them;
/// vp8_last_error() gives the detail of the most recent failure.
pub type Vp8Error = i32;
pub const VP8_OK: i32 = 0;
/// a NULL pointer or out-of-range setting from the caller
pub const VP8_ERR_INVALID_ARG: i32 = -1;
/// an allocation failed
pub const VP8_ERR_NO_MEMORY: i32 = -2;
/// the frame ends before its headers or partitions do
pub const VP8_ERR_TRUNCATED: i32 = -3;
/// a header field or partition size is impossible
pub const VP8_ERR_CORRUPT: i32 = -4;
/// valid VP8 we do not handle (none known today)
pub const VP8_ERR_UNSUPPORTED: i32 = -5;
/// frame dimensions above Vp8Settings.max_frame_area
pub const VP8_ERR_TOO_LARGE: i32 = -6;
/// an inter frame arrived with no valid reference: waiting for a key frame
pub const VP8_ERR_NEED_KEYFRAME: i32 = -7;
/// a zero-length frame: nothing decoded, decoder state unchanged
pub const VP8_ERR_EMPTY_FRAME: i32 = -8;
/// vp8_get_picture(): no new picture to output
pub const VP8_ERR_AGAIN: i32 = -9;
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Vp8Settings {
    /// VP8_CPU_* bits the decoder may use (VP8_CPU_ALL: whatever the CPU has)
    pub cpu_mask: u32,
    /// decoding threads; 0 = one per core. Output never depends on it.
    pub n_threads: i32,
    /// refuse key frames with width*height above this; 0 = no limit
    pub max_frame_area: u64,
}
/// What the C API's picture says besides its planes, which Decoder::picture takes from the
/// current frame (valid until the next decode).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Vp8Picture {
    /// coded size in pixels (14 bits each); chroma planes are (w+1)/2 x (h+1)/2
    pub width: u16,
    pub height: u16,
    /// the key frame's scaling bits (0..3): parsed, not applied
    pub horiz_scale: u8,
    /// the key frame's scaling bits (0..3): parsed, not applied
    pub vert_scale: u8,
    /// 0: YUV (BT.601), 1: reserved
    pub color_space: u8,
    /// 0: decoder must clamp, 1: no clamping needed
    pub clamping_type: u8,
    /// whether this picture came from a key frame
    pub keyframe: bool,
    /// index of the compressed frame that produced it, from 0
    pub frame_number: u64,
}
