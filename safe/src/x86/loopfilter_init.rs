//! x86-64 loopfilter kernels: installs the asm/x86_64 implementations into the loopfilter table for the
//! instruction sets cpu_flags allows, each level overriding the one below.
use vp8_asm::{
    vp8_lf_inner_left_uv_sse2, vp8_lf_inner_left_y_sse2, vp8_lf_inner_top_uv_sse2,
    vp8_lf_inner_top_y_sse2, vp8_lf_mb_left_uv_sse2, vp8_lf_mb_left_uv_ssse3,
    vp8_lf_mb_left_y_sse2, vp8_lf_mb_left_y_ssse3, vp8_lf_mb_top_uv_sse2,
    vp8_lf_mb_top_uv_ssse3, vp8_lf_mb_top_y_sse2, vp8_lf_mb_top_y_ssse3,
    vp8_lf_simple_inner_left_sse2, vp8_lf_simple_inner_top_sse2,
    vp8_lf_simple_mb_left_sse2, vp8_lf_simple_mb_top_sse2,
};
use crate::loopfilter_h::{
    Vp8LoopfilterDsp, vp8_lf_chroma_fn, vp8_lf_luma_fn, vp8_lf_simple_fn,
};
use crate::vp8_h::{VP8_CPU_SSE2, VP8_CPU_SSSE3};
pub unsafe extern "C" fn vp8_loopfilter_dsp_init_x86(
    dsp: *mut Vp8LoopfilterDsp,
    cpu_flags: u32,
) {
    if cpu_flags & VP8_CPU_SSE2 as u32 != 0 {
        (*dsp).mb_top_y = Some(vp8_lf_mb_top_y_sse2);
        (*dsp).mb_left_y = Some(vp8_lf_mb_left_y_sse2);
        (*dsp).inner_top_y = Some(vp8_lf_inner_top_y_sse2);
        (*dsp).inner_left_y = Some(vp8_lf_inner_left_y_sse2);
        (*dsp).mb_top_uv = Some(vp8_lf_mb_top_uv_sse2);
        (*dsp).mb_left_uv = Some(vp8_lf_mb_left_uv_sse2);
        (*dsp).inner_top_uv = Some(vp8_lf_inner_top_uv_sse2);
        (*dsp).inner_left_uv = Some(vp8_lf_inner_left_uv_sse2);
        (*dsp).simple_mb_top = Some(vp8_lf_simple_mb_top_sse2);
        (*dsp).simple_mb_left = Some(vp8_lf_simple_mb_left_sse2);
        (*dsp).simple_inner_top = Some(vp8_lf_simple_inner_top_sse2);
        (*dsp).simple_inner_left = Some(vp8_lf_simple_inner_left_sse2);
    }
    if cpu_flags & VP8_CPU_SSSE3 as u32 != 0 {
        (*dsp).mb_top_y = Some(vp8_lf_mb_top_y_ssse3);
        (*dsp).mb_left_y = Some(vp8_lf_mb_left_y_ssse3);
        (*dsp).mb_top_uv = Some(vp8_lf_mb_top_uv_ssse3);
        (*dsp).mb_left_uv = Some(vp8_lf_mb_left_uv_ssse3);
    }
}
