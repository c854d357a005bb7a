/*
 * Frame header parsing (RFC 6386 sections 9 and 19.2): the uncompressed data chunk, the header
 * fields at the start of the first partition, the probability updates, the token partition
 * layout and the per-segment dequantization factors. Every size the frame declares is checked
 * against the bytes actually present before anything is read from them.
 */
#include <string.h>

#include "internal.h"

static void reset_keyframe_state(Vp8Decoder *dec) {
    memcpy(dec->probs.coeff, vp8_default_coeff_prob, sizeof(dec->probs.coeff));
    memcpy(dec->probs.ymode, vp8_default_ymode_prob, sizeof(dec->probs.ymode));
    memcpy(dec->probs.uvmode, vp8_default_uv_mode_prob, sizeof(dec->probs.uvmode));
    memcpy(dec->probs.mv, vp8_default_mv_prob, sizeof(dec->probs.mv));
    /* Segment values fall back to deltas of zero; whether segmentation is on is re-read from
     * every frame header, and the map itself is handled per macroblock (modes.c). */
    memset(dec->seg.quant, 0, sizeof(dec->seg.quant));
    memset(dec->seg.lf_level, 0, sizeof(dec->seg.lf_level));
    dec->seg.absolute = 0;
    memset(dec->lf_deltas.ref, 0, sizeof(dec->lf_deltas.ref));
    memset(dec->lf_deltas.mode, 0, sizeof(dec->lf_deltas.mode));
}

static void parse_segmentation(Vp8Segmentation *seg, Vp8BoolDecoder *bd) {
    int i;
    seg->enabled = vp8_read_bit(bd);
    if (!seg->enabled) {
        seg->update_map = 0;
        seg->update_data = 0;
        return;
    }
    seg->update_map = vp8_read_bit(bd);
    seg->update_data = vp8_read_bit(bd);
    if (seg->update_data) {
        seg->absolute = vp8_read_bit(bd);
        /* A value not sent is zero, not "unchanged". */
        for (i = 0; i < 4; i++) {
            seg->quant[i] = (int8_t)vp8_read_optional_signed(bd, 7);
        }
        for (i = 0; i < 4; i++) {
            seg->lf_level[i] = (int8_t)vp8_read_optional_signed(bd, 6);
        }
    }
    if (seg->update_map) {
        for (i = 0; i < 3; i++) {
            seg->tree_probs[i] = (uint8_t)(vp8_read_bit(bd) ? vp8_read_literal(bd, 8) : 255);
        }
    }
}

static void parse_lf_deltas(Vp8LfDeltas *lfd, Vp8BoolDecoder *bd) {
    int i;
    lfd->enabled = vp8_read_bit(bd);
    if (!lfd->enabled || !vp8_read_bit(bd)) {
        return;
    }
    /* Deltas not sent keep their previous value. */
    for (i = 0; i < 4; i++) {
        if (vp8_read_bit(bd)) {
            lfd->ref[i] = (int8_t)vp8_read_signed(bd, 6);
        }
    }
    for (i = 0; i < 4; i++) {
        if (vp8_read_bit(bd)) {
            lfd->mode[i] = (int8_t)vp8_read_signed(bd, 6);
        }
    }
}

/* Token partitions follow the first partition: (n - 1) 3-byte little-endian sizes, then the
 * partitions; the last one takes whatever remains. libvpx refuses empty or overlong ones. */
static int setup_partitions(Vp8Decoder *dec, const uint8_t *data, size_t size) {
    int n = dec->hdr.num_partitions;
    size_t table_size = (size_t)(n - 1) * 3;
    size_t pos = 10 * (size_t)dec->hdr.keyframe + 3 * (size_t)!dec->hdr.keyframe + dec->hdr.first_part_size;
    const uint8_t *sizes = data + pos;
    size_t left;
    int i;
    if (size - pos < table_size) {
        return vp8_set_error(dec, VP8_ERR_TRUNCATED,
                             "the %d token partition sizes do not fit in the frame (%d bytes left)", n - 1,
                             (int)(size - pos));
    }
    pos += table_size;
    left = size - pos;
    for (i = 0; i < n; i++) {
        size_t part_size = left;
        if (i < n - 1) {
            part_size = (size_t)sizes[3 * i] | ((size_t)sizes[3 * i + 1] << 8) | ((size_t)sizes[3 * i + 2] << 16);
        }
        if (part_size == 0 || part_size > left) {
            return vp8_set_error(dec, VP8_ERR_TRUNCATED,
                                 "token partition %d: declared size %d does not fit the bytes left", i,
                                 (int)part_size);
        }
        vp8_bool_init(&dec->part_bd[i], data + pos, part_size);
        pos += part_size;
        left -= part_size;
    }
    return VP8_OK;
}

static void parse_coeff_updates(Vp8Probs *probs, Vp8BoolDecoder *bd) {
    int i, j, k, l;
    for (i = 0; i < 4; i++) {
        for (j = 0; j < 8; j++) {
            for (k = 0; k < 3; k++) {
                for (l = 0; l < VP8_NUM_TOKENS - 1; l++) {
                    if (vp8_read_bool(bd, vp8_coeff_update_prob[i][j][k][l])) {
                        probs->coeff[i][j][k][l] = (uint8_t)vp8_read_literal(bd, 8);
                    }
                }
            }
        }
    }
}

static void parse_mv_updates(Vp8Probs *probs, Vp8BoolDecoder *bd) {
    int i, j;
    for (i = 0; i < 2; i++) {
        for (j = 0; j < VP8_MV_PROBS; j++) {
            if (vp8_read_bool(bd, vp8_mv_update_prob[i][j])) {
                int v = vp8_read_literal(bd, 7);
                /* 7 bits carry the upper bits of an 8-bit probability; zero would be invalid. */
                probs->mv[i][j] = (uint8_t)(v ? v << 1 : 1);
            }
        }
    }
}

static int qlookup_dc(int q) { return vp8_dc_qlookup[vp8_clamp_int(q, 0, 127)]; }
static int qlookup_ac(int q) { return vp8_ac_qlookup[vp8_clamp_int(q, 0, 127)]; }

static void compute_dequant(Vp8Decoder *dec) {
    const Vp8FrameHeader *h = &dec->hdr;
    int s;
    for (s = 0; s < 4; s++) {
        Vp8Dequant *dq = &dec->dequant[s];
        int q = h->qindex;
        int y2ac;
        int uvdc;
        if (dec->seg.enabled) {
            q = dec->seg.absolute ? dec->seg.quant[s] : q + dec->seg.quant[s];
        }
        q = vp8_clamp_int(q, 0, 127);
        dq->y1[0] = (int16_t)qlookup_dc(q + h->dq_y1_dc);
        dq->y1[1] = (int16_t)qlookup_ac(q);
        dq->y2[0] = (int16_t)(qlookup_dc(q + h->dq_y2_dc) * 2);
        y2ac = qlookup_ac(q + h->dq_y2_ac) * 155 / 100;
        dq->y2[1] = (int16_t)(y2ac < 8 ? 8 : y2ac);
        uvdc = qlookup_dc(q + h->dq_uv_dc);
        dq->uv[0] = (int16_t)(uvdc > 132 ? 132 : uvdc);
        dq->uv[1] = (int16_t)qlookup_ac(q + h->dq_uv_ac);
    }
}

/* Parse everything before the per-macroblock data. On success the first partition's bool decoder
 * is positioned at the first macroblock header and the token partitions are set up. */
int vp8_parse_frame_header(Vp8Decoder *dec, const uint8_t *data, size_t size) {
    Vp8FrameHeader *h = &dec->hdr;
    Vp8BoolDecoder *bd = &dec->first_bd;
    uint32_t tag;
    size_t header_bytes;
    int ret;

    if (size < 3) {
        return vp8_set_error(dec, VP8_ERR_TRUNCATED, "frame of %d bytes is shorter than the 3-byte frame tag",
                             (int)size, 0);
    }
    tag = (uint32_t)data[0] | ((uint32_t)data[1] << 8) | ((uint32_t)data[2] << 16);
    h->keyframe = !(tag & 1);
    h->version = (int)((tag >> 1) & 7);
    h->show_frame = (int)((tag >> 4) & 1);
    h->first_part_size = tag >> 5;
    header_bytes = h->keyframe ? 10 : 3;

    if (h->keyframe) {
        int width, height;
        if (size < 10) {
            return vp8_set_error(dec, VP8_ERR_TRUNCATED, "key frame of %d bytes is shorter than its 10-byte header",
                                 (int)size, 0);
        }
        if (data[3] != 0x9d || data[4] != 0x01 || data[5] != 0x2a) {
            return vp8_set_error(dec, VP8_ERR_CORRUPT, "key frame start code is %06x, expected 9d012a",
                                 (data[3] << 16) | (data[4] << 8) | data[5], 0);
        }
        width = (data[6] | (data[7] << 8)) & 0x3fff;
        height = (data[8] | (data[9] << 8)) & 0x3fff;
        h->hscale = data[7] >> 6;
        h->vscale = data[9] >> 6;
        if (width == 0 || height == 0) {
            return vp8_set_error(dec, VP8_ERR_CORRUPT, "key frame size %dx%d has a zero dimension", width, height);
        }
        if (dec->settings.max_frame_area && (uint64_t)width * (uint64_t)height > dec->settings.max_frame_area) {
            return vp8_set_error(dec, VP8_ERR_TOO_LARGE, "key frame size %dx%d exceeds the configured size limit",
                                 width, height);
        }
        h->width = width;
        h->height = height;
    } else if (!dec->have_keyframe) {
        if (dec->width == 0) {
            return vp8_set_error(dec, VP8_ERR_NEED_KEYFRAME,
                                 "inter frame before any key frame: a stream must start with a key frame", 0, 0);
        }
        return vp8_set_error(dec, VP8_ERR_NEED_KEYFRAME,
                             "inter frame skipped: an earlier frame failed, decoding resumes at the next key frame",
                             0, 0);
    }
    if (h->first_part_size == 0 || h->first_part_size > size - header_bytes) {
        return vp8_set_error(dec, VP8_ERR_TRUNCATED, "first partition size %d exceeds the %d bytes after the header",
                             (int)h->first_part_size, (int)(size - header_bytes));
    }

    if (h->keyframe) {
        /* A new size drops the old buffers now; the new ones are allocated at the end of the
         * header, once the frame has shown it can fill them (vp8_check_keyframe_modes). */
        if (h->width != dec->width || h->height != dec->height) {
            vp8_free_frames(dec);
            dec->width = h->width;
            dec->height = h->height;
            dec->mb_cols = (dec->width + 15) >> 4;
            dec->mb_rows = (dec->height + 15) >> 4;
        }
        dec->hscale = h->hscale;
        dec->vscale = h->vscale;
        reset_keyframe_state(dec);
    }

    vp8_bool_init(bd, data + header_bytes, h->first_part_size);
    if (h->keyframe) {
        h->color_space = vp8_read_bit(bd);
        h->clamping_type = vp8_read_bit(bd);
        dec->color_space = h->color_space;
        dec->clamping_type = h->clamping_type;
    }
    parse_segmentation(&dec->seg, bd);
    h->filter_type = vp8_read_bit(bd);
    h->filter_level = vp8_read_literal(bd, 6);
    h->sharpness = vp8_read_literal(bd, 3);
    parse_lf_deltas(&dec->lf_deltas, bd);
    h->num_partitions = 1 << vp8_read_literal(bd, 2);
    ret = setup_partitions(dec, data, size);
    if (ret < 0) {
        return ret;
    }

    h->qindex = vp8_read_literal(bd, 7);
    h->dq_y1_dc = vp8_read_optional_signed(bd, 4);
    h->dq_y2_dc = vp8_read_optional_signed(bd, 4);
    h->dq_y2_ac = vp8_read_optional_signed(bd, 4);
    h->dq_uv_dc = vp8_read_optional_signed(bd, 4);
    h->dq_uv_ac = vp8_read_optional_signed(bd, 4);

    if (h->keyframe) {
        h->refresh_golden = 1;
        h->refresh_altref = 1;
        h->copy_to_golden = 0;
        h->copy_to_altref = 0;
        h->sign_bias[VP8_GOLDEN_FRAME] = 0;
        h->sign_bias[VP8_ALTREF_FRAME] = 0;
        h->refresh_entropy = vp8_read_bit(bd);
        h->refresh_last = 1;
    } else {
        h->refresh_golden = vp8_read_bit(bd);
        h->refresh_altref = vp8_read_bit(bd);
        h->copy_to_golden = h->refresh_golden ? 0 : vp8_read_literal(bd, 2);
        h->copy_to_altref = h->refresh_altref ? 0 : vp8_read_literal(bd, 2);
        h->sign_bias[VP8_GOLDEN_FRAME] = vp8_read_bit(bd);
        h->sign_bias[VP8_ALTREF_FRAME] = vp8_read_bit(bd);
        h->refresh_entropy = vp8_read_bit(bd);
        h->refresh_last = vp8_read_bit(bd);
    }
    h->sign_bias[VP8_INTRA_FRAME] = 0;
    h->sign_bias[VP8_LAST_FRAME] = 0;
    /* Saved before this frame's updates, restored after the frame (decode.c). */
    if (!h->refresh_entropy) {
        dec->saved_probs = dec->probs;
    }
    parse_coeff_updates(&dec->probs, bd);

    h->mb_no_coeff_skip = vp8_read_bit(bd);
    h->prob_skip_false = h->mb_no_coeff_skip ? vp8_read_literal(bd, 8) : 0;
    if (!h->keyframe) {
        int i;
        h->prob_intra = vp8_read_literal(bd, 8);
        h->prob_last = vp8_read_literal(bd, 8);
        h->prob_golden = vp8_read_literal(bd, 8);
        if (vp8_read_bit(bd)) {
            for (i = 0; i < VP8_NUM_YMODES - 1; i++) {
                dec->probs.ymode[i] = (uint8_t)vp8_read_literal(bd, 8);
            }
        }
        if (vp8_read_bit(bd)) {
            for (i = 0; i < VP8_NUM_UVMODES - 1; i++) {
                dec->probs.uvmode[i] = (uint8_t)vp8_read_literal(bd, 8);
            }
        }
        parse_mv_updates(&dec->probs, bd);
    }
    compute_dequant(dec);
    if (h->keyframe && !dec->have_keyframe) {
        ret = vp8_check_keyframe_modes(dec);
        if (ret < 0) {
            return ret;
        }
    }
    if (h->keyframe && !dec->mb_info_alloc) {
        ret = vp8_alloc_frames(dec);
        if (ret < 0) {
            dec->width = dec->height = 0;
            return ret;
        }
    }
    return VP8_OK;
}
