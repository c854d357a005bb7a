//! x86-64 loopfilter kernels: installs the safe wrappers of the asm kernels
//! (`vp8_asm::safe::loopfilter`) into the loopfilter table for the instruction sets the CPU tokens
//! allow, each level overriding the one below, as upstream-c/src/x86/loopfilter_init.c does.
use crate::loopfilter_h::Vp8LoopfilterDsp;
use vp8_asm::safe::{CpuTokens, loopfilter as lf};

pub fn loopfilter_dsp_init_x86(dsp: &mut Vp8LoopfilterDsp, cpu: CpuTokens) {
    if let Some(t) = cpu.sse2 {
        dsp.mb_top_y = lf::mb_top_y_sse2(t);
        dsp.mb_left_y = lf::mb_left_y_sse2(t);
        dsp.inner_top_y = lf::inner_top_y_sse2(t);
        dsp.inner_left_y = lf::inner_left_y_sse2(t);
        dsp.mb_top_uv = lf::mb_top_uv_sse2(t);
        dsp.mb_left_uv = lf::mb_left_uv_sse2(t);
        dsp.inner_top_uv = lf::inner_top_uv_sse2(t);
        dsp.inner_left_uv = lf::inner_left_uv_sse2(t);
        dsp.simple_mb_top = lf::simple_mb_top_sse2(t);
        dsp.simple_mb_left = lf::simple_mb_left_sse2(t);
        dsp.simple_inner_top = lf::simple_inner_top_sse2(t);
        dsp.simple_inner_left = lf::simple_inner_left_sse2(t);
    }
    if let Some(t) = cpu.ssse3 {
        dsp.mb_top_y = lf::mb_top_y_ssse3(t);
        dsp.mb_left_y = lf::mb_left_y_ssse3(t);
        dsp.mb_top_uv = lf::mb_top_uv_ssse3(t);
        dsp.mb_left_uv = lf::mb_left_uv_ssse3(t);
    }
}
