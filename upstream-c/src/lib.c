/*
 * The public API (include/vp8/vp8.h): decoder lifetime, settings, the per-frame entry point with
 * its error policy, picture hand-out and error strings.
 *
 * Threads (thread.c) are started here and joined in vp8_close; vp8_decode_frame runs a frame on
 * them and returns when it is done, so nothing here depends on the thread count.
 *
 * Error policy: any frame that fails leaves the references possibly stale (the frame may have been
 * meant to update them), so inter frames are refused until the next key frame. A zero-length
 * frame is the exception: it carries nothing and changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int vp8_set_error(Vp8Decoder *dec, int code, const char *fmt, int a, int b) {
    snprintf(dec->error, sizeof(dec->error), fmt, a, b);
    return code;
}

void vp8_default_settings(Vp8Settings *settings) {
    settings->cpu_mask = VP8_CPU_ALL;
    settings->n_threads = 0;
    settings->max_frame_area = 0;
}

static void init_dsp(Vp8Decoder *dec) {
    vp8_mc_dsp_init(&dec->dsp.mc, dec->cpu_flags);
    vp8_idct_dsp_init(&dec->dsp.idct, dec->cpu_flags);
    vp8_ipred_dsp_init(&dec->dsp.ipred, dec->cpu_flags);
    vp8_loopfilter_dsp_init(&dec->dsp.lf, dec->cpu_flags);
}

int vp8_open(Vp8Decoder **out, const Vp8Settings *settings) {
    Vp8Decoder *dec;
    if (!out) {
        return VP8_ERR_INVALID_ARG;
    }
    *out = NULL;
    if (settings && settings->n_threads < 0) {
        return VP8_ERR_INVALID_ARG;
    }
    /* Aligned as the struct's cache-line-aligned members require (sizeof is a multiple of 64). */
    dec = aligned_alloc(64, sizeof(*dec));
    if (!dec) {
        return VP8_ERR_NO_MEMORY;
    }
    memset(dec, 0, sizeof(*dec));
    if (settings) {
        dec->settings = *settings;
    } else {
        vp8_default_settings(&dec->settings);
    }
    dec->cpu_flags = vp8_cpu_flags() & dec->settings.cpu_mask;
    init_dsp(dec);
    vp8_threads_start(dec, dec->settings.n_threads);
    *out = dec;
    return VP8_OK;
}

void vp8_close(Vp8Decoder **dec) {
    if (!dec || !*dec) {
        return;
    }
    vp8_threads_stop(*dec);
    vp8_free_frames(*dec);
    free(*dec);
    *dec = NULL;
}

int vp8_decode_frame(Vp8Decoder *dec, const uint8_t *data, size_t size) {
    int ret;
    if (!dec || (!data && size)) {
        return VP8_ERR_INVALID_ARG;
    }
    dec->error[0] = 0;
    dec->picture_ready = 0;
    dec->frame_count++;
    if (size == 0) {
        return vp8_set_error(dec, VP8_ERR_EMPTY_FRAME, "frame %d is empty (zero bytes): nothing decoded",
                             (int)(dec->frame_count - 1), 0);
    }
    ret = vp8_parse_frame_header(dec, data, size);
    if (ret == VP8_OK) {
        ret = vp8_decode_frame_data(dec);
    }
    if (ret < 0) {
        dec->have_keyframe = 0;
        return ret;
    }
    if (dec->hdr.keyframe) {
        dec->have_keyframe = 1;
    }
    if (dec->hdr.show_frame) {
        Vp8Picture *p = &dec->picture;
        int i;
        for (i = 0; i < 3; i++) {
            p->data[i] = dec->cur->plane[i];
            p->stride[i] = dec->cur->stride[i];
        }
        p->width = dec->width;
        p->height = dec->height;
        p->horiz_scale = dec->hscale;
        p->vert_scale = dec->vscale;
        p->color_space = dec->color_space;
        p->clamping_type = dec->clamping_type;
        p->keyframe = dec->hdr.keyframe;
        p->frame_number = dec->frame_count - 1;
        dec->picture_ready = 1;
    }
    return VP8_OK;
}

int vp8_get_picture(Vp8Decoder *dec, Vp8Picture *out) {
    if (!dec || !out) {
        return VP8_ERR_INVALID_ARG;
    }
    if (!dec->picture_ready) {
        return VP8_ERR_AGAIN;
    }
    *out = dec->picture;
    dec->picture_ready = 0;
    return VP8_OK;
}

const char *vp8_error_string(int err) {
    switch (err) {
    case VP8_OK:
        return "success";
    case VP8_ERR_INVALID_ARG:
        return "invalid argument";
    case VP8_ERR_NO_MEMORY:
        return "out of memory";
    case VP8_ERR_TRUNCATED:
        return "truncated frame";
    case VP8_ERR_CORRUPT:
        return "corrupt frame";
    case VP8_ERR_UNSUPPORTED:
        return "unsupported feature";
    case VP8_ERR_TOO_LARGE:
        return "frame too large";
    case VP8_ERR_NEED_KEYFRAME:
        return "waiting for a key frame";
    case VP8_ERR_EMPTY_FRAME:
        return "empty frame";
    case VP8_ERR_AGAIN:
        return "no picture available";
    default:
        return "unknown error";
    }
}

const char *vp8_last_error(const Vp8Decoder *dec) {
    return dec ? dec->error : "";
}
