//! The settings and picture records of the C stage's public header (`include/vp8/vp8.h`) that
//! the safe decoder keeps internally: [`Vp8Settings`] as the decoder was opened, and
//! [`Vp8Picture`], what a shown frame's picture says besides its planes. The header's error
//! codes and CPU bits are not here: errors are [`crate::error::DecodeError`] values, CPU
//! features the tokens of `vp8_asm::safe` (`cpu.rs`); the public API is [`crate::Decoder`].
#[derive(Debug, Clone, Copy)]
pub struct Vp8Settings {
    /// `vp8_stage::cpu` bits the decoder may use (all set: whatever the CPU has)
    pub cpu_mask: u32,
    /// decoding threads; 0 = one per core. Output never depends on it.
    pub n_threads: usize,
    /// refuse key frames with width*height above this; 0 = no limit
    pub max_frame_area: u64,
}
/// What the C API's picture says besides its planes, which Decoder::picture takes from the
/// current frame (valid until the next decode).
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
