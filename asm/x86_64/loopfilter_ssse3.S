/*
 * VP8 loop filter kernels, SSSE3: the four macroblock-edge kernels vp8_lf_mb_{top,left}_{y,uv}
 * _ssse3, which form the 27/18/9 weights with pmulhrsw (exactness argument in
 * loopfilter_core.inc); everything else is as in loopfilter_sse2.S. The other eight kernels
 * would be the same code as their SSE2 versions, so they are not built here.
 */
#define LF_SUFFIX _ssse3
#define LF_SSSE3 1
#define LF_MB_ONLY 1
#include "loopfilter_core.inc"

    .section .note.GNU-stack,"",@progbits
