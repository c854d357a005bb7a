//! x86-64 idct kernels: installs the checked slots of the asm kernels (`vp8_asm::safe::idct`)
//! into the idct table for the instruction sets the CPU tokens allow, each level overriding the
//! one below, as upstream-c/src/x86/idct_init.c does.
use crate::idct_h::Vp8IdctDsp;
use vp8_asm::safe::{CpuTokens, idct};

pub fn idct_dsp_init_x86(dsp: &mut Vp8IdctDsp, cpu: CpuTokens) {
    if let Some(t) = cpu.sse2 {
        dsp.idct_add = idct::idct_add_sse2(t);
        dsp.idct_dc_add = idct::idct_dc_add_sse2(t);
        dsp.idct_add_y = idct::idct_add_y_sse2(t);
        dsp.idct_add_uv = idct::idct_add_uv_sse2(t);
        dsp.iwht = idct::iwht_sse2(t);
        dsp.iwht_dc = idct::iwht_dc_sse2(t);
    }
    if let Some(t) = cpu.avx2 {
        dsp.idct_add_y = idct::idct_add_y_avx2(t);
        dsp.idct_add_uv = idct::idct_add_uv_avx2(t);
    }
}
