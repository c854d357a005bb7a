/*
 * Output writers ("muxers") of the vp8dec CLI. Every muxer sees the same pictures; they differ in
 * what they print:
 *
 *   yuv       raw I420: per picture the Y, U and V planes at the coded size, rows without stride
 *             padding, chroma (w+1)/2 x (h+1)/2. Byte-identical to `vpxdec --i420 -o out.yuv`.
 *   y4m       YUV4MPEG2: a header "YUV4MPEG2 W<w> H<h> F<num>:<den> Ip A0:0 C420jpeg" (frame
 *             rate from the IVF header's time base, read as vpxdec reads it), then "FRAME" and the
 *             yuv bytes per picture. A picture size change mid-stream is an error (y4m has one
 *             size per file).
 *   md5       one line: the MD5 of exactly the bytes the yuv muxer would write, so it equals
 *             `vpxdec --i420 -o - in.ivf | md5sum`; nothing when no picture was decoded.
 *   framemd5  one line per picture: "<index> <width>x<height> <md5 of that picture's yuv bytes>",
 *             index counting output pictures from 0 (the format of the
 *             corpus files bench/corpus/streams/NAME.framemd5).
 *   null      nothing (decode only: timing, --verify, crash tests).
 */
#ifndef VP8DEC_OUTPUT_H
#define VP8DEC_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "md5.h"
#include "vp8/vp8.h"

typedef enum OutputMuxer {
    MUXER_YUV,
    MUXER_Y4M,
    MUXER_MD5,
    MUXER_FRAMEMD5,
    MUXER_NULL,
} OutputMuxer;

typedef struct Output {
    OutputMuxer muxer;
    FILE *file;          /* NULL for the null muxer */
    int owns_file;       /* 1 if output_close() must fclose() it */
    const char *name;    /* for messages ("stdout" or the path) */
    uint32_t rate, scale; /* y4m frame rate rate/scale */
    int width, height;   /* size of the previous picture; 0 before the first */
    uint64_t frames;     /* pictures written */
    Md5 md5;             /* running MD5 of the md5 muxer */
    char error[256];     /* message of the last failure */
} Output;

/* "yuv", "y4m", "md5", "framemd5", "null" -> muxer. Returns 0, or -1 for an unknown name. */
int output_muxer_from_name(const char *name, OutputMuxer *muxer);

/* Infer the muxer from an output path: "-" is yuv, "*.yuv" yuv, "*.y4m" y4m, "*.md5" md5,
 * "*.framemd5" framemd5. Returns 0, or -1 if the extension says nothing. */
int output_muxer_from_path(const char *path, OutputMuxer *muxer);

const char *output_muxer_name(OutputMuxer muxer);

/* Open an output. path NULL or "-" means stdout; the null muxer opens nothing. rate/scale is the
 * IVF header's time base (bytes 16..19 and 20..23), from which the y4m frame rate is derived.
 * Returns 0, or -1 with out->error set. */
int output_open(Output *out, OutputMuxer muxer, const char *path, uint32_t rate, uint32_t scale);

/* Write one picture. Returns 0, or -1 with out->error set (write error, y4m size change). */
int output_write(Output *out, const Vp8Picture *pic);

/* Finish (the md5 muxer prints its line here), flush and close. Returns 0, or -1 with out->error
 * set. */
int output_close(Output *out);

/* Feed the I420 bytes of pic (what the yuv muxer writes for it) to md5. */
void output_picture_md5(Md5 *md5, const Vp8Picture *pic);

#endif
