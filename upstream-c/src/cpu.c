/*
 * Runtime CPU feature detection and the --cpumask
 * vocabulary shared by every front end.
 */
#include <string.h>

#include "internal.h"

#if defined(__x86_64__) || defined(__i386__)
/* The compiler's runtime (libgcc / compiler-rt) runs cpuid once and, for AVX2, also checks that
 * the OS saves YMM state (OSXSAVE + XCR0), which a bare cpuid bit would not tell us. */
unsigned vp8_detect_cpu_flags(void) {
    unsigned flags = 0;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse2")) {
        flags |= VP8_CPU_SSE2;
    }
    if (__builtin_cpu_supports("ssse3")) {
        flags |= VP8_CPU_SSSE3;
    }
    if (__builtin_cpu_supports("avx2")) {
        flags |= VP8_CPU_AVX2;
    }
    return flags;
}
#else
unsigned vp8_detect_cpu_flags(void) { return 0; }
#endif

unsigned vp8_cpu_flags(void) { return vp8_detect_cpu_flags(); }

int vp8_parse_cpu_mask(const char *word, unsigned *mask) {
    static const char *const words[] = { "none", "sse2", "ssse3", "avx2" };
    unsigned m = 0;
    int i;
    if (!word || !mask) {
        return VP8_ERR_INVALID_ARG;
    }
    if (strcmp(word, "all") == 0) {
        *mask = VP8_CPU_ALL;
        return VP8_OK;
    }
    for (i = 0; i < 4; i++) {
        if (i > 0) {
            m |= 1u << (i - 1);
        }
        if (strcmp(word, words[i]) == 0) {
            *mask = m;
            return VP8_OK;
        }
    }
    return VP8_ERR_INVALID_ARG;
}
