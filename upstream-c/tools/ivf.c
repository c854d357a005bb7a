/*
 * IVF container reader (format in ivf.h). Sequential reads only, so stdin works.
 */
#include "ivf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint32_t ivf_le16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }

static uint32_t ivf_le32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t ivf_le64(const uint8_t *p) {
    return (uint64_t)ivf_le32(p) | ((uint64_t)ivf_le32(p + 4) << 32);
}

static const uint8_t ivf_no_bytes[1] = {0};

/* Read up to n bytes; returns how many were read (short only at end of file or on error). */
static size_t ivf_read(IvfReader *r, uint8_t *dst, size_t n) {
    size_t got = fread(dst, 1, n, r->file);
    r->offset += got;
    return got;
}

static void ivf_printable_fourcc(const uint8_t *p, char out[5]) {
    for (int i = 0; i < 4; i++) {
        out[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
    }
    out[4] = '\0';
}

int ivf_open(IvfReader *r, FILE *file, const char *name) {
    uint8_t h[32];
    memset(r, 0, sizeof(*r));
    r->file = file;
    r->name = name;
    size_t got = ivf_read(r, h, sizeof(h));
    if (got < sizeof(h) && ferror(file)) {
        snprintf(r->error, sizeof(r->error), "%s: read error in the IVF file header: %s", name,
                 strerror(errno));
        return -1;
    }
    /* A short file that does not start like an IVF file is named as such, not as truncated. */
    if (got < sizeof(h) && (got < 4 || memcmp(h, "DKIF", 4) == 0)) {
        if (got == 0) {
            snprintf(r->error, sizeof(r->error), "%s: empty file, not an IVF file", name);
        } else {
            snprintf(r->error, sizeof(r->error),
                     "%s: truncated IVF file header (%zu of 32 bytes)", name, got);
        }
        return -1;
    }
    if (memcmp(h, "DKIF", 4) != 0) {
        char sig[5];
        ivf_printable_fourcc(h, sig);
        snprintf(r->error, sizeof(r->error),
                 "%s: not an IVF file (starts with \"%s\", expected \"DKIF\"); vp8dec reads IVF only",
                 name, sig);
        return -1;
    }
    ivf_printable_fourcc(h + 8, r->header.fourcc);
    if (memcmp(h + 8, "VP80", 4) != 0) {
        snprintf(r->error, sizeof(r->error),
                 "%s: IVF fourcc is \"%s\", not \"VP80\": this stream is not VP8%s", name,
                 r->header.fourcc,
                 memcmp(h + 8, "VP90", 4) == 0 ? " (it is VP9; use vpxdec or dav1d-style tools)" : "");
        return -1;
    }
    r->header.header_size = ivf_le16(h + 6);
    r->header.width = ivf_le16(h + 12);
    r->header.height = ivf_le16(h + 14);
    r->header.rate = ivf_le32(h + 16);
    r->header.scale = ivf_le32(h + 20);
    r->header.frame_count = ivf_le32(h + 24);
    /* A header larger than 32 bytes is allowed by the format: skip the extra bytes. */
    if (r->header.header_size > 32) {
        uint8_t skip[64];
        size_t left = r->header.header_size - 32u;
        while (left > 0) {
            size_t n = left < sizeof(skip) ? left : sizeof(skip);
            if (ivf_read(r, skip, n) != n) {
                snprintf(r->error, sizeof(r->error),
                         "%s: truncated IVF file header (header size field says %u bytes)", name,
                         r->header.header_size);
                return -1;
            }
            left -= n;
        }
    }
    return 0;
}

int ivf_read_frame(IvfReader *r, const uint8_t **data, size_t *size, uint64_t *pts) {
    uint8_t h[12];
    uint64_t header_offset = r->offset;
    size_t got = ivf_read(r, h, sizeof(h));
    if (got == 0 && !ferror(r->file)) {
        return 0;
    }
    if (got < sizeof(h)) {
        if (ferror(r->file)) {
            snprintf(r->error, sizeof(r->error), "%s: read error in frame %llu: %s", r->name,
                     (unsigned long long)r->frame_index, strerror(errno));
        } else {
            snprintf(r->error, sizeof(r->error),
                     "%s: frame %llu: truncated IVF frame header at byte %llu (%zu of 12 bytes)",
                     r->name, (unsigned long long)r->frame_index,
                     (unsigned long long)header_offset, got);
        }
        return -1;
    }
    uint32_t frame_size = ivf_le32(h);
    if (frame_size > IVF_MAX_FRAME_SIZE) {
        snprintf(r->error, sizeof(r->error),
                 "%s: frame %llu: IVF frame size %lu bytes exceeds the %u MiB limit (corrupt file?)",
                 r->name, (unsigned long long)r->frame_index, (unsigned long)frame_size,
                 IVF_MAX_FRAME_SIZE >> 20);
        return -1;
    }
    /* Grow the buffer as bytes arrive, so a huge size field on a short file costs no more memory
     * than the file holds. */
    size_t have = 0;
    while (have < frame_size) {
        if (have == r->cap) {
            size_t want = r->cap < 65536 ? 65536 : r->cap * 2;
            if (want > frame_size) {
                want = frame_size;
            }
            uint8_t *grown = realloc(r->buf, want);
            if (grown == NULL) {
                snprintf(r->error, sizeof(r->error), "%s: frame %llu: out of memory (%lu bytes)",
                         r->name, (unsigned long long)r->frame_index, (unsigned long)frame_size);
                return -1;
            }
            r->buf = grown;
            r->cap = want;
        }
        size_t chunk = (frame_size < r->cap ? frame_size : r->cap) - have;
        size_t n = ivf_read(r, r->buf + have, chunk);
        have += n;
        if (n < chunk) {
            if (ferror(r->file)) {
                snprintf(r->error, sizeof(r->error), "%s: read error in frame %llu: %s", r->name,
                         (unsigned long long)r->frame_index, strerror(errno));
            } else {
                snprintf(r->error, sizeof(r->error),
                         "%s: frame %llu: truncated: the IVF frame header says %lu bytes, the file "
                         "ends after %zu",
                         r->name, (unsigned long long)r->frame_index, (unsigned long)frame_size,
                         have);
            }
            return -1;
        }
    }
    /* A zero-length frame still gets a valid pointer: the decoder reports it as an empty
     * frame rather than as a NULL argument. */
    *data = r->buf != NULL ? r->buf : ivf_no_bytes;
    *size = frame_size;
    *pts = ivf_le64(h + 4);
    r->frame_index++;
    return 1;
}

void ivf_close(IvfReader *r) {
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}
