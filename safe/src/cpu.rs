//! CPU features for the dsp tables: the tokens of `vp8_asm::safe` (zero-sized proofs, made only by
//! runtime detection, that an instruction set may run), restricted by the settings' cpu_mask.
//!
//! Replaces the transpiled vp8_detect_cpu_flags/vp8_cpu_flags (a C-style `u32` of VP8_CPU_* bits
//! that the init functions tested) and vp8_parse_cpu_mask (C strings; the front ends parse
//! `--cpumask` words with vp8_stage::parse_cpu_mask): a table slot can now take an asm kernel only
//! through a token, so a mask can only take features away and nothing can install a kernel the CPU
//! lacks.
//!
//! Cost: the tokens are zero-sized and the tables are filled once per decoder (under 150
//! instructions in x86/*_init.rs for a stream). What a kernel call pays is the check of its safe
//! wrapper in `vp8_asm::safe`, measured at step 28 with `portlab profile --stages c,safe
//! --no-perf --limit 10` (10 frames of bench-720p-mandel-1280x720): the `wrapper` functions
//! execute 14.08 M instructions, 8.2% of the safe stage's 171.9 M whole-process instructions
//! (0.26x the 54.18 M of the kernels they guard); the C stage calls the kernels directly.
pub use vp8_asm::safe::CpuTokens;

/// The tokens the decoder may use: detected features that `cpu_mask` (VP8_CPU_* bits) allows.
pub fn cpu_tokens(cpu_mask: u32) -> CpuTokens {
    CpuTokens::new(cpu_mask)
}
