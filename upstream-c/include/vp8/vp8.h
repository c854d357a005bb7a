/*
 * Portlab VP8 decoder (RFC 6386), C stage: the public API.
 *
 * This header is all a caller sees. A decoder is opened with settings, fed one compressed frame at
 * a time (the payload of one IVF/WebM frame), and asked for the picture that frame produced, if it
 * is shown. Pictures are I420 at the coded size, exactly what `vpxdec --i420` writes.
 */
#ifndef VP8_VP8_H
#define VP8_VP8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VP8_API_VERSION 1

/* CPU feature bits. The decoder uses the intersection of what the CPU reports and
 * Vp8Settings.cpu_mask, so a mask can only take features away. */
enum Vp8CpuFlags {
    VP8_CPU_SSE2 = 1 << 0,
    VP8_CPU_SSSE3 = 1 << 1,
    VP8_CPU_AVX2 = 1 << 2,
};
#define VP8_CPU_ALL 0xffffffffu
#define VP8_CPU_NONE 0u

/* Error codes: always negative; VP8_OK is zero. vp8_error_string() names them;
 * vp8_last_error() gives the detail of the most recent failure. */
enum Vp8Error {
    VP8_OK = 0,
    VP8_ERR_INVALID_ARG = -1,   /* a NULL pointer or out-of-range setting from the caller */
    VP8_ERR_NO_MEMORY = -2,     /* an allocation failed */
    VP8_ERR_TRUNCATED = -3,     /* the frame ends before its headers or partitions do */
    VP8_ERR_CORRUPT = -4,       /* a header field or partition size is impossible */
    VP8_ERR_UNSUPPORTED = -5,   /* valid VP8 we do not handle (none known today) */
    VP8_ERR_TOO_LARGE = -6,     /* frame dimensions above Vp8Settings.max_frame_area */
    VP8_ERR_NEED_KEYFRAME = -7, /* an inter frame arrived with no valid reference: waiting for a key frame */
    VP8_ERR_EMPTY_FRAME = -8,   /* a zero-length frame: nothing decoded, decoder state unchanged */
    VP8_ERR_AGAIN = -9,         /* vp8_get_picture(): no new picture to output */
};

typedef struct Vp8Settings {
    unsigned cpu_mask;      /* VP8_CPU_* bits the decoder may use (VP8_CPU_ALL: whatever the CPU has) */
    int n_threads;          /* decoding threads; 0 = one per core; at most 3 are used. Output never depends on it. */
    uint64_t max_frame_area; /* refuse key frames with width*height above this; 0 = no limit */
} Vp8Settings;

/* One decoded picture, valid until the next vp8_decode_frame() or vp8_close() on its decoder. */
typedef struct Vp8Picture {
    const uint8_t *data[3];   /* Y, U, V */
    ptrdiff_t stride[3];
    int width, height;        /* coded size in pixels; chroma planes are (w+1)/2 x (h+1)/2 */
    int horiz_scale, vert_scale; /* the key frame's scaling bits (0..3): parsed, not applied */
    int color_space;          /* 0: YUV (BT.601), 1: reserved */
    int clamping_type;        /* 0: decoder must clamp, 1: no clamping needed */
    int keyframe;             /* 1 if this picture came from a key frame */
    uint64_t frame_number;    /* index of the compressed frame that produced it, from 0 */
} Vp8Picture;

typedef struct Vp8Decoder Vp8Decoder;

/* Fill settings with defaults: all CPU features, automatic threads, no size limit. */
void vp8_default_settings(Vp8Settings *settings);

/* Open a decoder. settings may be NULL for defaults. Returns VP8_OK or a negative error. */
int vp8_open(Vp8Decoder **out, const Vp8Settings *settings);

/* Decode one compressed frame. On error the decoder stays usable: the frame is dropped and, if
 * the references may be damaged, inter frames are refused until the next key frame. */
int vp8_decode_frame(Vp8Decoder *dec, const uint8_t *data, size_t size);

/* Take the picture of the last decoded frame if it is shown and not yet taken;
 * VP8_ERR_AGAIN otherwise. */
int vp8_get_picture(Vp8Decoder *dec, Vp8Picture *out);

/* Close a decoder and set *dec to NULL. Accepts NULL and a pointer to NULL. */
void vp8_close(Vp8Decoder **dec);

/* A short, static name of an error code ("truncated frame", ...). */
const char *vp8_error_string(int err);

/* The detail of the last error on this decoder ("partition 2 size 4000 exceeds the 1200 bytes
 * left"); "" if none. Valid until the next call on the decoder. */
const char *vp8_last_error(const Vp8Decoder *dec);

/* The CPU features this process can use (cpuid + OS support), as VP8_CPU_* bits. */
unsigned vp8_cpu_flags(void);

/* Parse a --cpumask word: "none", "sse2", "ssse3", "avx2" (each includes the ones before it) or
 * "all". Returns 0 and sets *mask, or VP8_ERR_INVALID_ARG for an unknown word. */
int vp8_parse_cpu_mask(const char *word, unsigned *mask);

#ifdef __cplusplus
}
#endif

#endif /* VP8_VP8_H */
