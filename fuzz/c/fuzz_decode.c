/*
 * libFuzzer harness of the C stage alone (vp8.h), built by fuzz/fuzz.sh with clang
 * -fsanitize=fuzzer,address,undefined: any out-of-bounds access, use after free, leak or UB in
 * the C decoder is a finding.
 *
 * The input rules are those of the Rust targets (migrate-tools/stage/src/fuzz.rs), so one saved
 * input means the same to every target and to the regression test: an IVF file; byte 28 of its
 * header (unused by the format) modulo 5 picks the CPU mask (all, avx2, ssse3, sse2, none); key
 * frames above FUZZ_MAX_FRAME_AREA pixels are refused by the decoder's own limit; at most
 * FUZZ_MAX_FRAMES frames are decoded, up to the first container error.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vp8/vp8.h"

#define FUZZ_MAX_FRAME_AREA (1u << 17)
#define FUZZ_MAX_FRAMES 32
#define FUZZ_CPU_MASK_BYTE 28
#define IVF_HEADER 32
#define IVF_FRAME_HEADER 12
#define IVF_MAX_FRAME_SIZE (256u * 1024 * 1024)

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned cpu_mask(uint8_t pick) {
    /* "all", "avx2", "ssse3", "sse2", "none": 0, what muxers write, is "all". */
    static const unsigned masks[5] = {
        VP8_CPU_ALL,
        VP8_CPU_SSE2 | VP8_CPU_SSSE3 | VP8_CPU_AVX2,
        VP8_CPU_SSE2 | VP8_CPU_SSSE3,
        VP8_CPU_SSE2,
        VP8_CPU_NONE,
    };
    return masks[pick % 5];
}

/* Read every visible byte of a picture, so ASan checks the planes the API hands out. */
static unsigned touch_picture(const Vp8Picture *pic) {
    unsigned sum = 0;
    for (int p = 0; p < 3; p++) {
        int w = p ? (pic->width + 1) / 2 : pic->width;
        int h = p ? (pic->height + 1) / 2 : pic->height;
        for (int y = 0; y < h; y++) {
            const uint8_t *row = pic->data[p] + (ptrdiff_t)y * pic->stride[p];
            for (int x = 0; x < w; x++) sum += row[x];
        }
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < IVF_HEADER || memcmp(data, "DKIF", 4) != 0 || memcmp(data + 8, "VP80", 4) != 0)
        return 0;
    size_t header_size = (size_t)data[6] | (size_t)data[7] << 8;
    size_t pos = header_size > IVF_HEADER ? header_size : IVF_HEADER;
    if (pos > size) return 0;

    Vp8Settings settings;
    vp8_default_settings(&settings);
    settings.cpu_mask = cpu_mask(data[FUZZ_CPU_MASK_BYTE]);
    settings.n_threads = 1;
    settings.max_frame_area = FUZZ_MAX_FRAME_AREA;
    Vp8Decoder *dec = NULL;
    if (vp8_open(&dec, &settings) != VP8_OK) __builtin_trap();

    volatile unsigned sink = 0;
    for (int n = 0; n < FUZZ_MAX_FRAMES && size - pos >= IVF_FRAME_HEADER; n++) {
        uint32_t frame_size = le32(data + pos);
        if (frame_size > IVF_MAX_FRAME_SIZE || frame_size > size - pos - IVF_FRAME_HEADER) break;
        pos += IVF_FRAME_HEADER;
        int err = vp8_decode_frame(dec, data + pos, frame_size);
        pos += frame_size;
        if (err != VP8_OK) {
            sink += (unsigned)strlen(vp8_last_error(dec)) + (unsigned)strlen(vp8_error_string(err));
            continue;
        }
        Vp8Picture pic;
        while (vp8_get_picture(dec, &pic) == VP8_OK) sink += touch_picture(&pic);
    }
    (void)sink;
    vp8_close(&dec);
    return 0;
}
