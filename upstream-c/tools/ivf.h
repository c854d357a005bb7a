/*
 * IVF container reader for the vp8dec CLI.
 *
 * IVF is the trivial container libvpx's tools write: a 32-byte file header
 *
 *   bytes  0..3   "DKIF"            signature
 *          4..5   version (0)       little-endian, like every field
 *          6..7   header size (32)
 *          8..11  fourcc            "VP80" for VP8
 *         12..13  width, 14..15 height (the first frame's; informative only)
 *         16..19  time base denominator (frame rate numerator), 20..23 numerator
 *         24..27  frame count (often wrong or 0; never trusted)
 *         28..31  unused
 *
 * then, per frame, a 12-byte header (4-byte payload size, 8-byte timestamp) and the payload.
 */
#ifndef VP8DEC_IVF_H
#define VP8DEC_IVF_H

#include <stdint.h>
#include <stdio.h>

/* Frames larger than this are refused as corrupt rather than allocated: no VP8 frame of a sane
 * picture comes near it (libvpx's vpxdec uses the same 256 MiB limit). */
#define IVF_MAX_FRAME_SIZE (256u * 1024u * 1024u)

typedef struct IvfHeader {
    char fourcc[5];         /* NUL-terminated, e.g. "VP80" */
    unsigned width, height; /* from the file header, informative */
    uint32_t rate, scale;   /* frame rate = rate / scale */
    uint32_t frame_count;   /* as written by the muxer, not trusted */
    unsigned header_size;
} IvfHeader;

typedef struct IvfReader {
    FILE *file;
    const char *name;     /* for messages */
    IvfHeader header;
    uint8_t *buf;         /* the current frame's payload */
    size_t cap;
    uint64_t frame_index; /* index of the next frame to read */
    uint64_t offset;      /* bytes consumed so far */
    char error[256];      /* message of the last failure */
} IvfReader;

/* Read and check the file header. Returns 0, or -1 with reader->error set. The reader does not
 * own file; name is used in messages. */
int ivf_open(IvfReader *reader, FILE *file, const char *name);

/* Read the next frame. Returns 1 and sets *data, *size (valid until the next call) and *pts;
 * 0 at a clean end of file; -1 with reader->error set for a truncated or oversized frame or a
 * read error. */
int ivf_read_frame(IvfReader *reader, const uint8_t **data, size_t *size, uint64_t *pts);

/* Free the frame buffer (the file stays open). */
void ivf_close(IvfReader *reader);

#endif
