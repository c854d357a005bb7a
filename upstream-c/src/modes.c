/*
 * Macroblock header parsing (RFC 6386 sections 10, 11, 16, 17, 19.3): segment ids, skip flags,
 * intra modes with their key-frame contexts, reference frames, the near/nearest/best vector
 * survey, inter modes, split partitions and motion vectors. The whole first partition is parsed
 * before any residual so that rows can be reconstructed independently afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The subblock mode a 16x16 luma mode implies for its neighbours' key-frame contexts. */
static const uint8_t implied_bmode[4] = { VP8_B_DC, VP8_B_VE, VP8_B_HE, VP8_B_TM };

static void parse_kf_modes(Vp8BoolDecoder *bd, Vp8MbInfo *mb, const Vp8MbInfo *above, const Vp8MbInfo *left) {
    int i;
    mb->ymode = (uint8_t)vp8_read_tree(bd, vp8_kf_ymode_tree, vp8_kf_ymode_prob);
    if (mb->ymode == VP8_B_PRED) {
        for (i = 0; i < 16; i++) {
            int a = i < 4 ? above->bmodes[i + 12] : mb->bmodes[i - 4];
            int l = (i & 3) == 0 ? left->bmodes[i + 3] : mb->bmodes[i - 1];
            mb->bmodes[i] = (uint8_t)vp8_read_tree(bd, vp8_bmode_tree, vp8_kf_bmode_prob[a][l]);
        }
    } else {
        uint8_t m = implied_bmode[mb->ymode];
        for (i = 0; i < 16; i++) {
            mb->bmodes[i] = m;
        }
    }
    mb->uvmode = (uint8_t)vp8_read_tree(bd, vp8_uv_mode_tree, vp8_kf_uv_mode_prob);
}

static void parse_intra_modes(Vp8BoolDecoder *bd, const Vp8Probs *probs, Vp8MbInfo *mb) {
    int i;
    mb->ymode = (uint8_t)vp8_read_tree(bd, vp8_ymode_tree, probs->ymode);
    if (mb->ymode == VP8_B_PRED) {
        /* Inter frames code subblock modes without neighbour contexts. */
        for (i = 0; i < 16; i++) {
            mb->bmodes[i] = (uint8_t)vp8_read_tree(bd, vp8_bmode_tree, vp8_bmode_prob);
        }
    }
    mb->uvmode = (uint8_t)vp8_read_tree(bd, vp8_uv_mode_tree, probs->uvmode);
}

static int read_mv_component(Vp8BoolDecoder *bd, const uint8_t *p) {
    int x = 0;
    int i;
    if (vp8_read_bool(bd, p[VP8_MVP_IS_SHORT])) {
        for (i = 0; i < 3; i++) {
            x += vp8_read_bool(bd, p[VP8_MVP_BITS + i]) << i;
        }
        for (i = 9; i > 3; i--) {
            x += vp8_read_bool(bd, p[VP8_MVP_BITS + i]) << i;
        }
        /* Long vectors are >= 8, so bit 3 is implied when no higher bit is set. */
        if (!(x & 0xfff0) || vp8_read_bool(bd, p[VP8_MVP_BITS + 3])) {
            x += 8;
        }
    } else {
        x = vp8_read_tree(bd, vp8_small_mv_tree, p + VP8_MVP_SHORT);
    }
    if (x && vp8_read_bool(bd, p[VP8_MVP_SIGN])) {
        x = -x;
    }
    return x;
}

static Vp8Mv read_mv(Vp8BoolDecoder *bd, const Vp8Probs *probs, Vp8Mv base) {
    Vp8Mv mv;
    mv.row = (int16_t)(base.row + read_mv_component(bd, probs->mv[0]));
    mv.col = (int16_t)(base.col + read_mv_component(bd, probs->mv[1]));
    return mv;
}

static int mv_equal(Vp8Mv a, Vp8Mv b) { return a.row == b.row && a.col == b.col; }
static int mv_is_zero(Vp8Mv a) { return a.row == 0 && a.col == 0; }

/* Bounds a vector may reach: 16 pixels beyond the frame edges (quarter pels). */
typedef struct MvBounds {
    int min_col, max_col, min_row, max_row;
} MvBounds;

static Vp8Mv clamp_mv(Vp8Mv mv, const MvBounds *b) {
    Vp8Mv r;
    r.col = (int16_t)(mv.col < b->min_col ? b->min_col : (mv.col > b->max_col ? b->max_col : mv.col));
    r.row = (int16_t)(mv.row < b->min_row ? b->min_row : (mv.row > b->max_row ? b->max_row : mv.row));
    return r;
}

enum { CNT_ZERO = 0, CNT_NEAREST, CNT_NEAR, CNT_SPLIT };

/* The survey of RFC 16.3: up to three distinct vectors of the above, left and above-left
 * neighbours, weighted 2, 2, 1, sign-corrected for the reference frame's sign bias. */
static void find_near_mvs(const Vp8Decoder *dec, const Vp8MbInfo *mb, int ref_frame, Vp8Mv near_mvs[4],
                          int cnt[4]) {
    const Vp8MbInfo *neighbours[3];
    static const int weights[3] = { 2, 2, 1 };
    const int *bias = dec->hdr.sign_bias;
    int top = 0; /* index of the last vector entered; near_mvs[0] stays zero */
    int i;
    neighbours[0] = mb - dec->mb_stride;
    neighbours[1] = mb - 1;
    neighbours[2] = mb - dec->mb_stride - 1;
    for (i = 0; i < 4; i++) {
        near_mvs[i].row = 0;
        near_mvs[i].col = 0;
        cnt[i] = 0;
    }
    for (i = 0; i < 3; i++) {
        const Vp8MbInfo *n = neighbours[i];
        Vp8Mv mv;
        if (n->ref_frame == VP8_INTRA_FRAME) {
            continue;
        }
        if (mv_is_zero(n->mv)) {
            cnt[CNT_ZERO] += weights[i];
            continue;
        }
        mv = n->mv;
        if (bias[n->ref_frame] != bias[ref_frame]) {
            mv.row = (int16_t)-mv.row;
            mv.col = (int16_t)-mv.col;
        }
        /* Only the most recently entered vector is compared: the list is a run-length record. */
        if (i == 0 || !mv_equal(mv, near_mvs[top])) {
            top++;
            near_mvs[top] = mv;
        }
        cnt[top] += weights[i];
    }
    /* With three distinct vectors, the above-left one may still equal the nearest. */
    if (cnt[CNT_SPLIT] && mv_equal(near_mvs[top], near_mvs[CNT_NEAREST])) {
        cnt[CNT_NEAREST] += 1;
    }
    cnt[CNT_SPLIT] = ((neighbours[0]->ymode == VP8_SPLITMV) + (neighbours[1]->ymode == VP8_SPLITMV)) * 2 +
                     (neighbours[2]->ymode == VP8_SPLITMV);
    if (cnt[CNT_NEAR] > cnt[CNT_NEAREST]) {
        int t = cnt[CNT_NEAREST];
        Vp8Mv m = near_mvs[CNT_NEAREST];
        cnt[CNT_NEAREST] = cnt[CNT_NEAR];
        cnt[CNT_NEAR] = t;
        near_mvs[CNT_NEAREST] = near_mvs[CNT_NEAR];
        near_mvs[CNT_NEAR] = m;
    }
    if (cnt[CNT_NEAREST] >= cnt[CNT_ZERO]) {
        near_mvs[CNT_ZERO] = near_mvs[CNT_NEAREST];
    }
}

/* A neighbouring subblock's vector: inside this macroblock, or in the left/above one (whose
 * vector covers all its subblocks unless it was split). */
static Vp8Mv left_block_mv(const Vp8MbInfo *mb, const Vp8MbInfo *left, int b) {
    if (b & 3) {
        return mb->bmv[b - 1];
    }
    return left->ymode == VP8_SPLITMV ? left->bmv[b + 3] : left->mv;
}

static Vp8Mv above_block_mv(const Vp8MbInfo *mb, const Vp8MbInfo *above, int b) {
    if (b >= 4) {
        return mb->bmv[b - 4];
    }
    return above->ymode == VP8_SPLITMV ? above->bmv[b + 12] : above->mv;
}

static void parse_split_mvs(Vp8BoolDecoder *bd, const Vp8Probs *probs, Vp8MbInfo *mb, const Vp8MbInfo *above,
                            const Vp8MbInfo *left, Vp8Mv best) {
    int kind = vp8_read_tree(bd, vp8_split_mv_tree, vp8_split_mv_prob);
    const uint8_t *map = vp8_split_mv_map[kind];
    int part;
    mb->split_kind = (uint8_t)kind;
    for (part = 0; part < vp8_split_mv_count[kind]; part++) {
        int first = 0;
        int b;
        Vp8Mv lmv, amv, mv;
        int ctx;
        while (map[first] != part) {
            first++;
        }
        lmv = left_block_mv(mb, left, first);
        amv = above_block_mv(mb, above, first);
        if (mv_equal(lmv, amv)) {
            ctx = mv_is_zero(amv) ? 4 : 3;
        } else if (mv_is_zero(amv)) {
            ctx = 2;
        } else if (mv_is_zero(lmv)) {
            ctx = 1;
        } else {
            ctx = 0;
        }
        switch (vp8_read_tree(bd, vp8_sub_mv_ref_tree, vp8_sub_mv_ref_prob[ctx])) {
        case VP8_LEFT4x4:
            mv = lmv;
            break;
        case VP8_ABOVE4x4:
            mv = amv;
            break;
        case VP8_ZERO4x4:
            mv.row = 0;
            mv.col = 0;
            break;
        default:
            mv = read_mv(bd, probs, best);
            break;
        }
        for (b = first; b < 16; b++) {
            if (map[b] == part) {
                mb->bmv[b] = mv;
            }
        }
    }
    mb->mv = mb->bmv[15];
}

static void parse_inter_modes(Vp8Decoder *dec, Vp8BoolDecoder *bd, Vp8MbInfo *mb, int mb_x, int mb_y) {
    const Vp8FrameHeader *h = &dec->hdr;
    Vp8Mv near_mvs[4];
    int cnt[4];
    MvBounds bounds;
    int ref;

    if (vp8_read_bool(bd, h->prob_last)) {
        ref = vp8_read_bool(bd, h->prob_golden) ? VP8_ALTREF_FRAME : VP8_GOLDEN_FRAME;
    } else {
        ref = VP8_LAST_FRAME;
    }
    mb->ref_frame = (uint8_t)ref;
    mb->uvmode = VP8_DC_PRED;
    find_near_mvs(dec, mb, ref, near_mvs, cnt);

    bounds.min_col = -((mb_x * 16) << 2) - (16 << 2);
    bounds.max_col = (((dec->mb_cols - 1 - mb_x) * 16) << 2) + (16 << 2);
    bounds.min_row = -((mb_y * 16) << 2) - (16 << 2);
    bounds.max_row = (((dec->mb_rows - 1 - mb_y) * 16) << 2) + (16 << 2);

    if (!vp8_read_bool(bd, vp8_mode_contexts[cnt[CNT_ZERO]][0])) {
        mb->ymode = VP8_ZEROMV;
        mb->mv.row = 0;
        mb->mv.col = 0;
    } else if (!vp8_read_bool(bd, vp8_mode_contexts[cnt[CNT_NEAREST]][1])) {
        mb->ymode = VP8_NEARESTMV;
        mb->mv = clamp_mv(near_mvs[CNT_NEAREST], &bounds);
    } else if (!vp8_read_bool(bd, vp8_mode_contexts[cnt[CNT_NEAR]][2])) {
        mb->ymode = VP8_NEARMV;
        mb->mv = clamp_mv(near_mvs[CNT_NEAR], &bounds);
    } else {
        Vp8Mv best = clamp_mv(near_mvs[CNT_ZERO], &bounds);
        if (!vp8_read_bool(bd, vp8_mode_contexts[cnt[CNT_SPLIT]][3])) {
            mb->ymode = VP8_NEWMV;
            mb->mv = read_mv(bd, &dec->probs, best);
        } else {
            mb->ymode = VP8_SPLITMV;
            parse_split_mvs(bd, &dec->probs, mb, mb - dec->mb_stride, mb - 1, best);
        }
    }
}

/* One row of macroblock headers. The first partition is one bool-decoder stream, so rows must be
 * parsed in order; a row reads the mode records of the row above and to its left only. */
void vp8_decode_modes_row(Vp8Decoder *dec, int mb_y) {
    const Vp8FrameHeader *h = &dec->hdr;
    Vp8BoolDecoder *bd = &dec->first_bd;
    int mb_x;
    for (mb_x = 0; mb_x < dec->mb_cols; mb_x++) {
        Vp8MbInfo *mb = vp8_mb_at(dec, mb_x, mb_y);
        if (dec->seg.update_map) {
            mb->segment = (uint8_t)vp8_read_tree(bd, vp8_mb_segment_tree, dec->seg.tree_probs);
        } else if (h->keyframe) {
            /* Without a map update a key frame starts every macroblock in segment 0; inter
             * frames keep the map of the previous frame. */
            mb->segment = 0;
        }
        mb->skip = (uint8_t)(h->mb_no_coeff_skip ? vp8_read_bool(bd, h->prob_skip_false) : 0);
        if (h->keyframe) {
            mb->ref_frame = VP8_INTRA_FRAME;
            mb->mv.row = 0;
            mb->mv.col = 0;
            parse_kf_modes(bd, mb, mb - dec->mb_stride, mb - 1);
        } else if (vp8_read_bool(bd, h->prob_intra)) {
            parse_inter_modes(dec, bd, mb, mb_x, mb_y);
        } else {
            mb->ref_frame = VP8_INTRA_FRAME;
            mb->mv.row = 0;
            mb->mv.col = 0;
            parse_intra_modes(bd, &dec->probs, mb);
        }
    }
}

void vp8_decode_modes(Vp8Decoder *dec) {
    int mb_y;
    for (mb_y = 0; mb_y < dec->mb_rows; mb_y++) {
        vp8_decode_modes_row(dec, mb_y);
    }
}

/* One key-frame macroblock header: segment id and skip flag (values unused) and the modes. */
static void probe_kf_mb(const Vp8Decoder *dec, Vp8BoolDecoder *bd, Vp8MbInfo *mb, const Vp8MbInfo *above,
                        const Vp8MbInfo *left) {
    if (dec->seg.update_map) {
        vp8_read_tree(bd, vp8_mb_segment_tree, dec->seg.tree_probs);
    }
    if (dec->hdr.mb_no_coeff_skip) {
        vp8_read_bool(bd, dec->hdr.prob_skip_false);
    }
    parse_kf_modes(bd, mb, above, left);
}

static int kf_context_is_dc(const Vp8MbInfo *above, const Vp8MbInfo *left) {
    return (above->bmodes[12] | above->bmodes[13] | above->bmodes[14] | above->bmodes[15] | left->bmodes[3] |
            left->bmodes[7] | left->bmodes[11] | left->bmodes[15]) == VP8_B_DC;
}

/* After the last byte of a partition has left the decoder's window (ptr at the end, value 0)
 * every bit read is 0, so a macroblock whose neighbours are all B_DC decodes to B_PRED with
 * B_DC subblocks and changes only (range, count, overrun), as a function of (range, count).
 * Those transitions are memoised here: range 128..255 times count -7..56. */
#define PROBE_STATES (128 * 64)

typedef struct ProbeStep {
    uint8_t known;
    uint8_t range;
    int8_t count;
    uint8_t overrun;
} ProbeStep;

/* The first key frame of a stream is refused when its first partition runs out before its last
 * macroblock header (libvpx does the same). That is found out here, before any picture buffer
 * is allocated: the modes are parsed on a copy of the partition's decoder into two rows of
 * scratch records (key-frame contexts reach only the macroblocks above and left), and the
 * macroblocks past the end of the data go through the memoised transitions above, so a few
 * bytes declaring a huge frame cost neither frame-sized memory nor a bit-by-bit pass. */
int vp8_check_keyframe_modes(Vp8Decoder *dec) {
    Vp8BoolDecoder bd = dec->first_bd;
    int cols = dec->mb_cols + 1; /* column 0 of each row is the zero left border */
    Vp8MbInfo *rows = calloc((size_t)cols * 2, sizeof(Vp8MbInfo));
    ProbeStep *steps = calloc(PROBE_STATES, sizeof(ProbeStep));
    Vp8MbInfo zero_mb;
    int mb_x, mb_y, i;
    if (!rows || !steps) {
        free(rows);
        free(steps);
        return vp8_set_error(dec, VP8_ERR_NO_MEMORY, "cannot allocate macroblock records for %dx%d", dec->width,
                             dec->height);
    }
    memset(&zero_mb, 0, sizeof(zero_mb));
    for (mb_y = 0; mb_y < dec->mb_rows; mb_y++) {
        Vp8MbInfo *cur = rows + (mb_y & 1) * cols;
        const Vp8MbInfo *above = rows + (~mb_y & 1) * cols;
        for (mb_x = 0; mb_x < dec->mb_cols; mb_x++) {
            Vp8MbInfo *mb = &cur[mb_x + 1];
            if (bd.ptr == bd.end && bd.value == 0 && bd.count >= -7 && bd.count <= 56 &&
                kf_context_is_dc(&above[mb_x + 1], &cur[mb_x])) {
                ProbeStep *step = &steps[(int)(bd.range - 128) * 64 + bd.count + 7];
                if (!step->known) {
                    Vp8BoolDecoder z = bd;
                    z.overrun = 0;
                    probe_kf_mb(dec, &z, mb, &zero_mb, &zero_mb);
                    step->known = 1;
                    step->range = (uint8_t)z.range;
                    step->count = (int8_t)z.count;
                    step->overrun = (uint8_t)z.overrun;
                }
                bd.range = step->range;
                bd.count = step->count;
                bd.overrun += step->overrun;
                /* With only zero bits the tree walks all take their first leaf. */
                mb->ymode = VP8_B_PRED;
                mb->uvmode = VP8_DC_PRED;
                for (i = 0; i < 16; i++) {
                    mb->bmodes[i] = VP8_B_DC;
                }
            } else {
                probe_kf_mb(dec, &bd, mb, &above[mb_x + 1], &cur[mb_x]);
            }
        }
    }
    free(rows);
    free(steps);
    if (vp8_bool_exhausted(&bd)) {
        return vp8_set_error(dec, VP8_ERR_TRUNCATED,
                             "the first key frame's mode data runs %d bytes past its partition (size %d)",
                             (int)bd.overrun, (int)dec->hdr.first_part_size);
    }
    return VP8_OK;
}
