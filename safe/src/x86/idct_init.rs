//! x86-64 idct kernels: installs the asm/x86_64 implementations into the idct table for the
//! instruction sets cpu_flags allows, each level overriding the one below.
use vp8_asm::{
    vp8_idct_add_sse2, vp8_idct_add_uv_avx2, vp8_idct_add_uv_sse2, vp8_idct_add_y_avx2,
    vp8_idct_add_y_sse2, vp8_idct_dc_add_sse2, vp8_iwht_dc_sse2, vp8_iwht_sse2,
};
use crate::idct_h::{
    Vp8IdctDsp, vp8_idct_add_fn, vp8_idct_add_uv_fn, vp8_idct_add_y_fn,
    vp8_idct_dc_add_fn, vp8_iwht_fn,
};
use crate::vp8_h::{VP8_CPU_AVX2, VP8_CPU_SSE2};
pub unsafe extern "C" fn vp8_idct_dsp_init_x86(dsp: *mut Vp8IdctDsp, cpu_flags: u32) {
    if cpu_flags & VP8_CPU_SSE2 as u32 != 0 {
        (*dsp).idct_add = Some(vp8_idct_add_sse2);
        (*dsp).idct_dc_add = Some(vp8_idct_dc_add_sse2);
        (*dsp).idct_add_y = Some(vp8_idct_add_y_sse2);
        (*dsp).idct_add_uv = Some(vp8_idct_add_uv_sse2);
        (*dsp).iwht = Some(vp8_iwht_sse2);
        (*dsp).iwht_dc = Some(vp8_iwht_dc_sse2);
    }
    if cpu_flags & VP8_CPU_AVX2 as u32 != 0 {
        (*dsp).idct_add_y = Some(vp8_idct_add_y_avx2);
        (*dsp).idct_add_uv = Some(vp8_idct_add_uv_avx2);
    }
}
