//! x86-64 ipred kernels: installs the checked slots of the asm kernels (`vp8_asm::safe::ipred`)
//! into the ipred table for the instruction sets the CPU tokens allow, each level overriding the
//! one below, as upstream-c/src/x86/ipred_init.c does.
use crate::ipred_h::{BMode, IpredMode, Vp8IpredDsp};
use vp8_asm::safe::{CpuTokens, ipred};

pub fn ipred_dsp_init_x86(dsp: &mut Vp8IpredDsp, cpu: CpuTokens) {
    let (p16, p8, p4) = (&mut dsp.pred16x16, &mut dsp.pred8x8, &mut dsp.pred4x4);
    if let Some(t) = cpu.sse2 {
        p16[IpredMode::Dc as usize] = ipred::pred16x16_dc_sse2(t);
        p16[IpredMode::V as usize] = ipred::pred16x16_v_sse2(t);
        p16[IpredMode::H as usize] = ipred::pred16x16_h_sse2(t);
        p16[IpredMode::Tm as usize] = ipred::pred16x16_tm_sse2(t);
        p16[IpredMode::DcLeft as usize] = ipred::pred16x16_dc_left_sse2(t);
        p16[IpredMode::DcTop as usize] = ipred::pred16x16_dc_top_sse2(t);
        p16[IpredMode::Dc128 as usize] = ipred::pred16x16_dc_128_sse2(t);
        p8[IpredMode::Dc as usize] = ipred::pred8x8_dc_sse2(t);
        p8[IpredMode::V as usize] = ipred::pred8x8_v_sse2(t);
        p8[IpredMode::H as usize] = ipred::pred8x8_h_sse2(t);
        p8[IpredMode::Tm as usize] = ipred::pred8x8_tm_sse2(t);
        p8[IpredMode::DcLeft as usize] = ipred::pred8x8_dc_left_sse2(t);
        p8[IpredMode::DcTop as usize] = ipred::pred8x8_dc_top_sse2(t);
        p8[IpredMode::Dc128 as usize] = ipred::pred8x8_dc_128_sse2(t);
        p4[BMode::Dc as usize] = ipred::pred4x4_dc_sse2(t);
        p4[BMode::Tm as usize] = ipred::pred4x4_tm_sse2(t);
        p4[BMode::Ve as usize] = ipred::pred4x4_ve_sse2(t);
        p4[BMode::He as usize] = ipred::pred4x4_he_sse2(t);
        p4[BMode::Ld as usize] = ipred::pred4x4_ld_sse2(t);
        p4[BMode::Rd as usize] = ipred::pred4x4_rd_sse2(t);
        p4[BMode::Hu as usize] = ipred::pred4x4_hu_sse2(t);
    }
    if let Some(t) = cpu.ssse3 {
        p4[BMode::Vr as usize] = ipred::pred4x4_vr_ssse3(t);
        p4[BMode::Vl as usize] = ipred::pred4x4_vl_ssse3(t);
        p4[BMode::Hd as usize] = ipred::pred4x4_hd_ssse3(t);
    }
    if let Some(t) = cpu.avx2 {
        p16[IpredMode::H as usize] = ipred::pred16x16_h_avx2(t);
        p16[IpredMode::Tm as usize] = ipred::pred16x16_tm_avx2(t);
        p8[IpredMode::Tm as usize] = ipred::pred8x8_tm_avx2(t);
    }
}
