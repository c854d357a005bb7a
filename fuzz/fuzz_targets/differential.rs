//! Every stage on the same fuzzed IVF input; any difference is a finding (docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| portlab_fuzz::decode_differential(input));
