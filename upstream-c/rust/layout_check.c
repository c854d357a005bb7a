/*
 * The layout of vp8.h's types and the values of its constants as the C compiler sees them, for
 * the unit test in rust/lib.rs that checks the hand-written declarations of rust/ffi.rs.
 * Compiled only into the Rust crate (build.rs), never into libvp8.a.
 */
#include <stddef.h>

#include "vp8/vp8.h"

const size_t vp8c_layout[] = {
    sizeof(Vp8Settings),
    _Alignof(Vp8Settings),
    offsetof(Vp8Settings, cpu_mask),
    offsetof(Vp8Settings, n_threads),
    offsetof(Vp8Settings, max_frame_area),
    sizeof(Vp8Picture),
    _Alignof(Vp8Picture),
    offsetof(Vp8Picture, data),
    offsetof(Vp8Picture, stride),
    offsetof(Vp8Picture, width),
    offsetof(Vp8Picture, height),
    offsetof(Vp8Picture, horiz_scale),
    offsetof(Vp8Picture, vert_scale),
    offsetof(Vp8Picture, color_space),
    offsetof(Vp8Picture, clamping_type),
    offsetof(Vp8Picture, keyframe),
    offsetof(Vp8Picture, frame_number),
};
const size_t vp8c_layout_len = sizeof(vp8c_layout) / sizeof(vp8c_layout[0]);

const long long vp8c_constants[] = {
    VP8_API_VERSION,
    VP8_CPU_SSE2,
    VP8_CPU_SSSE3,
    VP8_CPU_AVX2,
    VP8_CPU_ALL,
    VP8_CPU_NONE,
    VP8_OK,
    VP8_ERR_INVALID_ARG,
    VP8_ERR_NO_MEMORY,
    VP8_ERR_TRUNCATED,
    VP8_ERR_CORRUPT,
    VP8_ERR_UNSUPPORTED,
    VP8_ERR_TOO_LARGE,
    VP8_ERR_NEED_KEYFRAME,
    VP8_ERR_EMPTY_FRAME,
    VP8_ERR_AGAIN,
};
const size_t vp8c_constants_len = sizeof(vp8c_constants) / sizeof(vp8c_constants[0]);
