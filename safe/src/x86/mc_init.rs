//! x86-64 mc kernels: installs the checked slots of the asm kernels (`vp8_asm::safe::mc`) into the
//! mc table for the instruction sets the CPU tokens allow, each level overriding the one below, as
//! upstream-c/src/x86/mc_init.c does. AVX2 only replaces the six-tap 16x16 and 8x8 kernels;
//! everything else keeps its SSSE3 version (see mc_avx2.S).
use crate::mc_h::{McFilter, Vp8McDsp};
use vp8_asm::safe::{CpuTokens, mc};

pub fn mc_dsp_init_x86(dsp: &mut Vp8McDsp, cpu: CpuTokens) {
    let (six, bil) = (McFilter::Sixtap as usize, McFilter::Bilinear as usize);
    if let Some(t) = cpu.sse2 {
        dsp.put16x16[six] = mc::sixtap_16x16_sse2(t);
        dsp.put8x8[six] = mc::sixtap_8x8_sse2(t);
        dsp.put8x4[six] = mc::sixtap_8x4_sse2(t);
        dsp.put4x4[six] = mc::sixtap_4x4_sse2(t);
        dsp.put16x16[bil] = mc::bilinear_16x16_sse2(t);
        dsp.put8x8[bil] = mc::bilinear_8x8_sse2(t);
        dsp.put8x4[bil] = mc::bilinear_8x4_sse2(t);
        dsp.put4x4[bil] = mc::bilinear_4x4_sse2(t);
    }
    if let Some(t) = cpu.ssse3 {
        dsp.put16x16[six] = mc::sixtap_16x16_ssse3(t);
        dsp.put8x8[six] = mc::sixtap_8x8_ssse3(t);
        dsp.put8x4[six] = mc::sixtap_8x4_ssse3(t);
        dsp.put4x4[six] = mc::sixtap_4x4_ssse3(t);
        dsp.put16x16[bil] = mc::bilinear_16x16_ssse3(t);
        dsp.put8x8[bil] = mc::bilinear_8x8_ssse3(t);
        dsp.put8x4[bil] = mc::bilinear_8x4_ssse3(t);
        dsp.put4x4[bil] = mc::bilinear_4x4_ssse3(t);
    }
    if let Some(t) = cpu.avx2 {
        dsp.put16x16[six] = mc::sixtap_16x16_avx2(t);
        dsp.put8x8[six] = mc::sixtap_8x8_avx2(t);
    }
}
