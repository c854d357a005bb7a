//! The c stage alone on fuzzed IVF input (rules: vp8_stage::fuzz; docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| portlab_fuzz::decode_one(&vp8_c::CStage, input));
