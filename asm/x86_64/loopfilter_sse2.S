/*
 * VP8 loop filter kernels, SSE2: all twelve of upstream-c/src/loopfilter.h as vp8_lf_*_sse2.
 * The code and the proof that it is bit-exact are in loopfilter_core.inc.
 */
#define LF_SUFFIX _sse2
#define LF_SSSE3 0
#define LF_MB_ONLY 0
#include "loopfilter_core.inc"

    .section .note.GNU-stack,"",@progbits
