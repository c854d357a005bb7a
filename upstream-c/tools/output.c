/*
 * Output writers of the vp8dec CLI (what each prints: see output.h).
 */
#include "output.h"

#include <errno.h>
#include <string.h>

/* Width and height of plane p (0 = Y, 1 = U, 2 = V) of pic. */
static void plane_size(const Vp8Picture *pic, int p, int *w, int *h) {
    *w = p == 0 ? pic->width : (pic->width + 1) / 2;
    *h = p == 0 ? pic->height : (pic->height + 1) / 2;
}

void output_picture_md5(Md5 *md5, const Vp8Picture *pic) {
    for (int p = 0; p < 3; p++) {
        int w, h;
        plane_size(pic, p, &w, &h);
        const uint8_t *row = pic->data[p];
        for (int y = 0; y < h; y++) {
            md5_update(md5, row, (size_t)w);
            row += pic->stride[p];
        }
    }
}

int output_muxer_from_name(const char *name, OutputMuxer *muxer) {
    static const char *const names[5] = {"yuv", "y4m", "md5", "framemd5", "null"};
    static const OutputMuxer kinds[5] = {MUXER_YUV, MUXER_Y4M, MUXER_MD5, MUXER_FRAMEMD5, MUXER_NULL};
    for (int i = 0; i < 5; i++) {
        if (strcmp(name, names[i]) == 0) {
            *muxer = kinds[i];
            return 0;
        }
    }
    return -1;
}

int output_muxer_from_path(const char *path, OutputMuxer *muxer) {
    if (strcmp(path, "-") == 0) {
        *muxer = MUXER_YUV;
        return 0;
    }
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot == NULL || (slash != NULL && dot < slash)) {
        return -1;
    }
    return output_muxer_from_name(dot + 1, muxer);
}

const char *output_muxer_name(OutputMuxer muxer) {
    switch (muxer) {
    case MUXER_YUV: return "yuv";
    case MUXER_Y4M: return "y4m";
    case MUXER_MD5: return "md5";
    case MUXER_FRAMEMD5: return "framemd5";
    case MUXER_NULL: return "null";
    }
    return "?";
}

/* The y4m frame rate from the IVF header's time base, read exactly as vpxdec (libvpx ivfdec.c)
 * does, so our y4m header says what vpxdec's says: a time base below 1000 ticks per second is
 * taken as 1/(2*fps) as old vpxenc wrote it; anything else (e.g. vpxenc's 1/1000) is unknown
 * and becomes 30 fps. */
static void output_y4m_rate(uint32_t rate, uint32_t scale, uint32_t *num, uint32_t *den) {
    if (scale > 0 && scale < 1000000000u && rate > 0 && rate < 1000) {
        *num = (rate & 1) ? rate : rate / 2;
        *den = (rate & 1) ? scale * 2 : scale;
    } else {
        *num = 30;
        *den = 1;
    }
}

static int output_write_error(Output *out) {
    snprintf(out->error, sizeof(out->error), "write error on %s: %s", out->name, strerror(errno));
    return -1;
}

int output_open(Output *out, OutputMuxer muxer, const char *path, uint32_t rate, uint32_t scale) {
    memset(out, 0, sizeof(*out));
    out->muxer = muxer;
    output_y4m_rate(rate, scale, &out->rate, &out->scale);
    md5_init(&out->md5);
    if (muxer == MUXER_NULL) {
        out->name = "null";
        return 0;
    }
    if (path == NULL || strcmp(path, "-") == 0) {
        out->file = stdout;
        out->name = "stdout";
    } else {
        out->file = fopen(path, "wb");
        out->name = path;
        if (out->file == NULL) {
            snprintf(out->error, sizeof(out->error), "cannot create %s: %s", path, strerror(errno));
            return -1;
        }
        out->owns_file = 1;
    }
    /* Pictures go out row by row: a large buffer keeps that from becoming many small writes. */
    setvbuf(out->file, NULL, _IOFBF, 1 << 20);
    return 0;
}

static int output_write_planes(Output *out, const Vp8Picture *pic) {
    for (int p = 0; p < 3; p++) {
        int w, h;
        plane_size(pic, p, &w, &h);
        const uint8_t *row = pic->data[p];
        for (int y = 0; y < h; y++) {
            if (fwrite(row, 1, (size_t)w, out->file) != (size_t)w) {
                return output_write_error(out);
            }
            row += pic->stride[p];
        }
    }
    return 0;
}

int output_write(Output *out, const Vp8Picture *pic) {
    int size_changed = out->frames > 0 && (pic->width != out->width || pic->height != out->height);
    if (size_changed && out->muxer == MUXER_Y4M) {
        snprintf(out->error, sizeof(out->error),
                 "the picture size changes from %dx%d to %dx%d at output frame %llu; a y4m file "
                 "holds one size: use --muxer yuv, md5 or framemd5 for this stream",
                 out->width, out->height, pic->width, pic->height,
                 (unsigned long long)out->frames);
        return -1;
    }
    if (size_changed && out->muxer == MUXER_YUV) {
        fprintf(stderr,
                "vp8dec: warning: the picture size changes from %dx%d to %dx%d at output frame "
                "%llu; the raw yuv output now mixes sizes\n",
                out->width, out->height, pic->width, pic->height, (unsigned long long)out->frames);
    }
    out->width = pic->width;
    out->height = pic->height;
    switch (out->muxer) {
    case MUXER_Y4M:
        if (out->frames == 0 &&
            fprintf(out->file, "YUV4MPEG2 W%d H%d F%lu:%lu Ip A0:0 C420jpeg\n", pic->width,
                    pic->height, (unsigned long)out->rate, (unsigned long)out->scale) < 0) {
            return output_write_error(out);
        }
        if (fputs("FRAME\n", out->file) == EOF) {
            return output_write_error(out);
        }
        if (output_write_planes(out, pic) != 0) {
            return -1;
        }
        break;
    case MUXER_YUV:
        if (output_write_planes(out, pic) != 0) {
            return -1;
        }
        break;
    case MUXER_MD5:
        output_picture_md5(&out->md5, pic);
        break;
    case MUXER_FRAMEMD5: {
        Md5 md5;
        uint8_t digest[16];
        char hex[33];
        md5_init(&md5);
        output_picture_md5(&md5, pic);
        md5_final(&md5, digest);
        md5_hex(digest, hex);
        if (fprintf(out->file, "%llu %dx%d %s\n", (unsigned long long)out->frames, pic->width,
                    pic->height, hex) < 0) {
            return output_write_error(out);
        }
        break;
    }
    case MUXER_NULL:
        break;
    }
    out->frames++;
    return 0;
}

int output_close(Output *out) {
    int status = 0;
    /* No picture, no MD5: the MD5 of nothing would look like a result. */
    if (out->muxer == MUXER_MD5 && out->file != NULL && out->frames > 0) {
        uint8_t digest[16];
        char hex[33];
        md5_final(&out->md5, digest);
        md5_hex(digest, hex);
        if (fprintf(out->file, "%s\n", hex) < 0) {
            status = output_write_error(out);
        }
    }
    if (out->file != NULL) {
        if (fflush(out->file) != 0 && status == 0) {
            status = output_write_error(out);
        }
        if (out->owns_file && fclose(out->file) != 0 && status == 0) {
            status = output_write_error(out);
        }
        out->file = NULL;
    }
    return status;
}
