//! Runtime CPU feature detection and the --cpumask
//! vocabulary shared by every front end.
use crate::vp8_h::{
    VP8_CPU_ALL, VP8_CPU_AVX2, VP8_CPU_SSE2, VP8_CPU_SSSE3, VP8_ERR_INVALID_ARG, VP8_OK,
};
/// The compiler's runtime (libgcc / compiler-rt) runs cpuid once and, for AVX2, also checks that
/// the OS saves YMM state (OSXSAVE + XCR0), which a bare cpuid bit would not tell us.
pub unsafe extern "C" fn vp8_detect_cpu_flags() -> u32 {
    let mut flags: u32 = 0;
    if std::arch::is_x86_feature_detected!("sse2") {
        flags |= VP8_CPU_SSE2 as u32;
    }
    if std::arch::is_x86_feature_detected!("ssse3") {
        flags |= VP8_CPU_SSSE3 as u32;
    }
    if std::arch::is_x86_feature_detected!("avx2") {
        flags |= VP8_CPU_AVX2 as u32;
    }
    return flags;
}
pub unsafe extern "C" fn vp8_cpu_flags() -> u32 {
    return vp8_detect_cpu_flags();
}
pub unsafe extern "C" fn vp8_parse_cpu_mask(word: *const i8, mask: *mut u32) -> i32 {
    static mut words: [*const i8; 4] = [
        c"none".as_ptr(),
        c"sse2".as_ptr(),
        c"ssse3".as_ptr(),
        c"avx2".as_ptr(),
    ];
    let mut m: u32 = 0;
    if word.is_null() || mask.is_null() {
        return VP8_ERR_INVALID_ARG;
    }
    if libc::strcmp(word, c"all".as_ptr()) == 0 {
        *mask = VP8_CPU_ALL;
        return VP8_OK;
    }
    for i in 0i32..4 {
        if i > 0 {
            m |= 1u32.wrapping_shl((i - 1) as u32);
        }
        if libc::strcmp(word, words[i as usize]) == 0 {
            *mask = m;
            return VP8_OK;
        }
    }
    return VP8_ERR_INVALID_ARG;
}
