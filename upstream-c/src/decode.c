/*
 * Frame reconstruction (RFC 6386 sections 5, 12, 14, 15, 18): picture buffers and their
 * reference counting, the macroblock-row loop (tokens, intra or inter prediction, residual add),
 * the loop filter run one row behind reconstruction, border extension, and the golden/altref/last
 * updates at the end of a frame. DSP work goes through dec->dsp only.
 *
 * Intra prediction reads the frame being built. Its out-of-frame edges (127 above, 129 left) are
 * written into the border before the first row, and the loop filter trails one row behind so a
 * row is predicted from unfiltered neighbours, as RFC 12 requires.
 *
 * With one thread a frame is one fused row loop. With more, the same per-macroblock functions run
 * as row tasks (modes, tokens, reconstruct, filter; thread.c schedules them): the residual of a
 * parsed row waits in a slot of dec->pool until its reconstruction.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void free_frame(Vp8Frame *f) {
    free(f->alloc);
    memset(f, 0, sizeof(*f));
}

void vp8_free_frames(Vp8Decoder *dec) {
    int i;
    for (i = 0; i < VP8_NUM_REFS + 1; i++) {
        free_frame(&dec->frames[i]);
    }
    for (i = 0; i < VP8_NUM_REFS; i++) {
        dec->ref[i] = NULL;
    }
    dec->cur = NULL;
    free(dec->mb_info_alloc);
    free(dec->above_nz);
    free(dec->pool.slots);
    dec->mb_info_alloc = NULL;
    dec->mb_info = NULL;
    dec->above_nz = NULL;
    dec->pool.slots = NULL;
}

/* (Re)allocate everything sized by the frame dimensions; references are dropped. The pictures
 * are not cleared: a frame writes every pixel and border byte it later reads, so clearing would
 * only commit memory (gigabytes for a 16383x16383 key frame) that the stream has not paid for. */
int vp8_alloc_frames(Vp8Decoder *dec) {
    int i;
    size_t luma_w, luma_h, y_stride, uv_stride, y_size, uv_size, cells;
    vp8_free_frames(dec);
    dec->mb_cols = (dec->width + 15) >> 4;
    dec->mb_rows = (dec->height + 15) >> 4;
    luma_w = (size_t)dec->mb_cols * 16;
    luma_h = (size_t)dec->mb_rows * 16;
    /* Rows start 32-byte aligned so SIMD kernels can use aligned loads on macroblock columns. */
    y_stride = (luma_w + 2 * VP8_BORDER + 31) & ~(size_t)31;
    uv_stride = (luma_w / 2 + 2 * VP8_BORDER + 31) & ~(size_t)31;
    y_size = y_stride * (luma_h + 2 * VP8_BORDER);
    uv_size = uv_stride * (luma_h / 2 + 2 * VP8_BORDER);
    for (i = 0; i < VP8_NUM_REFS + 1; i++) {
        Vp8Frame *f = &dec->frames[i];
        f->alloc = aligned_alloc(32, (y_size + 2 * uv_size + 31) & ~(size_t)31);
        if (!f->alloc) {
            vp8_free_frames(dec);
            return vp8_set_error(dec, VP8_ERR_NO_MEMORY, "cannot allocate picture buffers for %dx%d", dec->width,
                                 dec->height);
        }
        f->stride[0] = (ptrdiff_t)y_stride;
        f->stride[1] = f->stride[2] = (ptrdiff_t)uv_stride;
        f->plane[0] = f->alloc + y_stride * VP8_BORDER + VP8_BORDER;
        f->plane[1] = f->alloc + y_size + uv_stride * VP8_BORDER + VP8_BORDER;
        f->plane[2] = f->alloc + y_size + uv_size + uv_stride * VP8_BORDER + VP8_BORDER;
        f->refs = 0;
    }
    dec->mb_stride = dec->mb_cols + 1;
    cells = (size_t)dec->mb_stride * (size_t)(dec->mb_rows + 1);
    dec->mb_info_alloc = calloc(cells, sizeof(Vp8MbInfo));
    dec->above_nz = calloc((size_t)dec->mb_cols, 9);
    if (!dec->mb_info_alloc || !dec->above_nz) {
        vp8_free_frames(dec);
        return vp8_set_error(dec, VP8_ERR_NO_MEMORY, "cannot allocate macroblock records for %dx%d", dec->width,
                             dec->height);
    }
    dec->mb_info = dec->mb_info_alloc + dec->mb_stride + 1;
    if (dec->pool.n_threads > 1) {
        /* Zeroed once: afterwards every slot is handed back all zero (Vp8MbCoeffs). */
        size_t bytes = (size_t)VP8_PARSE_SLOTS * (size_t)dec->mb_cols * sizeof(Vp8MbCoeffs);
        dec->pool.slots = aligned_alloc(16, bytes);
        if (!dec->pool.slots) {
            vp8_free_frames(dec);
            return vp8_set_error(dec, VP8_ERR_NO_MEMORY, "cannot allocate coefficient rows for %dx%d", dec->width,
                                 dec->height);
        }
        memset(dec->pool.slots, 0, bytes);
    }
    return VP8_OK;
}

static Vp8Frame *take_free_frame(Vp8Decoder *dec) {
    int i;
    for (i = 0; i < VP8_NUM_REFS + 1; i++) {
        if (dec->frames[i].refs == 0) {
            return &dec->frames[i];
        }
    }
    return NULL;
}

static void set_ref(Vp8Decoder *dec, int slot, Vp8Frame *f) {
    if (dec->ref[slot]) {
        dec->ref[slot]->refs--;
    }
    dec->ref[slot] = f;
    f->refs++;
}

/* The out-of-frame values intra prediction sees: 127 on the row above (corner included),
 * 129 on the column to the left. */
static void setup_intra_edges(const Vp8Decoder *dec, Vp8Frame *f) {
    int p, y;
    for (p = 0; p < 3; p++) {
        int w = p ? dec->mb_cols * 8 : dec->mb_cols * 16;
        int h = p ? dec->mb_rows * 8 : dec->mb_rows * 16;
        uint8_t *row = f->plane[p] - f->stride[p];
        memset(row - VP8_BORDER, 127, (size_t)(w + 2 * VP8_BORDER));
        for (y = 0; y < h; y++) {
            f->plane[p][y * f->stride[p] - 1] = 129;
        }
    }
}

/* Replicate the left and right pixels of macroblock row mb_y into the border (threaded frames do
 * this row by row once the loop filter is done with it, see vp8_filter_row_task). */
static void extend_row_sides(const Vp8Decoder *dec, Vp8Frame *f, int mb_y) {
    int p, y;
    for (p = 0; p < 3; p++) {
        int w = p ? dec->mb_cols * 8 : dec->mb_cols * 16;
        int lines = p ? 8 : 16;
        ptrdiff_t stride = f->stride[p];
        uint8_t *base = f->plane[p] + (ptrdiff_t)mb_y * lines * stride;
        for (y = 0; y < lines; y++) {
            uint8_t *row = base + y * stride;
            memset(row - VP8_BORDER, row[0], VP8_BORDER);
            memset(row + w, row[w - 1], VP8_BORDER);
        }
    }
}

/* Copy the extended first and last lines into the top and bottom borders. */
static void extend_top_bottom(const Vp8Decoder *dec, Vp8Frame *f) {
    int p, y;
    for (p = 0; p < 3; p++) {
        int w = p ? dec->mb_cols * 8 : dec->mb_cols * 16;
        int h = p ? dec->mb_rows * 8 : dec->mb_rows * 16;
        ptrdiff_t stride = f->stride[p];
        uint8_t *base = f->plane[p];
        for (y = 1; y <= VP8_BORDER; y++) {
            memcpy(base - y * stride - VP8_BORDER, base - VP8_BORDER, (size_t)(w + 2 * VP8_BORDER));
            memcpy(base + (h - 1 + y) * stride - VP8_BORDER, base + (h - 1) * stride - VP8_BORDER,
                   (size_t)(w + 2 * VP8_BORDER));
        }
    }
}

/* Replicate the outermost pixels into the border so motion vectors may point outside. */
static void extend_borders(const Vp8Decoder *dec, Vp8Frame *f) {
    int mb_y;
    for (mb_y = 0; mb_y < dec->mb_rows; mb_y++) {
        extend_row_sides(dec, f, mb_y);
    }
    extend_top_bottom(dec, f);
}

/* DC prediction uses only the edges inside the frame. */
static int whole_block_mode(int mode, int mb_x, int mb_y) {
    if (mode != VP8_DC_PRED) {
        return mode;
    }
    if (mb_x == 0 && mb_y == 0) {
        return VP8_IPRED_DC_128;
    }
    if (mb_y == 0) {
        return VP8_IPRED_DC_LEFT;
    }
    if (mb_x == 0) {
        return VP8_IPRED_DC_TOP;
    }
    return VP8_IPRED_DC;
}

VP8_ALWAYS_INLINE void predict_intra(const Vp8Decoder *dec, const Vp8MbInfo *mb, uint8_t *dst[3], int mb_x, int mb_y,
                          Vp8MbCoeffs *c) {
    const Vp8Dsp *dsp = &dec->dsp;
    ptrdiff_t ys = dec->cur->stride[0];
    ptrdiff_t uvs = dec->cur->stride[1];
    int uvmode = whole_block_mode(mb->uvmode, mb_x, mb_y);
    if (mb->ymode == VP8_B_PRED) {
        /* Subblocks on the right column all use the pixels above-right of the macroblock; on the
         * last column (below the top row) those lie outside the frame and repeat pixel (-1, 15). */
        uint8_t edge[4];
        const uint8_t *above_right = dst[0] - ys + 16;
        int i;
        if (mb_y > 0 && mb_x == dec->mb_cols - 1) {
            memset(edge, above_right[-1], sizeof(edge));
            above_right = edge;
        }
        for (i = 0; i < 16; i++) {
            uint8_t *b = dst[0] + (i >> 2) * 4 * ys + (i & 3) * 4;
            const uint8_t *tr = (i & 3) == 3 ? above_right : b - ys + 4;
            dsp->ipred.pred4x4[mb->bmodes[i]](b, ys, tr);
            if (c->has_coeffs && c->eobs[i]) {
                if (c->eobs[i] > 1) {
                    dsp->idct.idct_add(b, ys, c->coeffs[i]);
                } else {
                    dsp->idct.idct_dc_add(b, ys, c->coeffs[i]);
                }
            }
        }
    } else {
        dsp->ipred.pred16x16[whole_block_mode(mb->ymode, mb_x, mb_y)](dst[0], ys);
    }
    dsp->ipred.pred8x8[uvmode](dst[1], uvs);
    dsp->ipred.pred8x8[uvmode](dst[2], uvs);
}

/* Predict a w x h block of one plane from the reference at eighth-pel vector (mvx, mvy).
 * Vectors may point anywhere: beyond the border the block is read through an emulated edge
 * (coordinates clamped into the plane), which equals an infinitely replicated border. */
VP8_ALWAYS_INLINE void predict_block(const Vp8Decoder *dec, Vp8RowCtx *row, int plane, uint8_t *dst, const Vp8Frame *ref,
                          int bx, int by, int mvx, int mvy, int size) {
    static const int widths[VP8_MC_SIZES] = { 16, 8, 8, 4 };
    static const int heights[VP8_MC_SIZES] = { 16, 8, 4, 4 };
    int w = widths[size];
    int h = heights[size];
    int pw = plane ? dec->mb_cols * 8 : dec->mb_cols * 16;
    int ph = plane ? dec->mb_rows * 8 : dec->mb_rows * 16;
    ptrdiff_t stride = ref->stride[plane];
    ptrdiff_t dst_stride = dec->cur->stride[plane];
    int x = bx + (mvx >> 3);
    int y = by + (mvy >> 3);
    const uint8_t *src;
    ptrdiff_t src_stride = stride;
    int filter = dec->hdr.version == 0 || dec->hdr.version > 3 ? VP8_MC_SIXTAP : VP8_MC_BILINEAR;
    if (x - 2 < -VP8_BORDER || y - 2 < -VP8_BORDER || x + w + 3 > pw + VP8_BORDER || y + h + 3 > ph + VP8_BORDER) {
        const uint8_t *base = ref->plane[plane];
        int ew = w + 5;
        int i, j;
        for (j = 0; j < h + 5; j++) {
            int sy = vp8_clamp_int(y - 2 + j, 0, ph - 1);
            for (i = 0; i < ew; i++) {
                int sx = vp8_clamp_int(x - 2 + i, 0, pw - 1);
                row->emu[j * ew + i] = base[sy * stride + sx];
            }
        }
        src = row->emu + 2 * ew + 2;
        src_stride = ew;
    } else {
        src = ref->plane[plane] + y * stride + x;
    }
    dec->dsp.mc.put[filter][size](dst, dst_stride, src, src_stride, mvx & 7, mvy & 7);
}

/* Chroma vectors of a split macroblock: each 4x4 chroma block takes the average of the four luma
 * vectors it covers, rounded half away from zero, in eighth pels of the chroma plane. */
static int chroma_split_component(int sum) {
    return sum >= 0 ? (sum + 2) >> 2 : -((2 - sum) >> 2);
}

VP8_ALWAYS_INLINE void predict_inter(const Vp8Decoder *dec, Vp8RowCtx *row, const Vp8MbInfo *mb, uint8_t *dst[3], int mb_x,
                          int mb_y) {
    const Vp8Frame *ref = dec->ref[mb->ref_frame];
    ptrdiff_t ys = dec->cur->stride[0];
    ptrdiff_t uvs = dec->cur->stride[1];
    int full_pixel = dec->hdr.version == 3;
    int x = mb_x * 16;
    int y = mb_y * 16;
    if (mb->ymode != VP8_SPLITMV) {
        /* A quarter-pel luma vector is numerically an eighth-pel chroma vector. */
        int cx = mb->mv.col;
        int cy = mb->mv.row;
        predict_block(dec, row, 0, dst[0], ref, x, y, mb->mv.col * 2, mb->mv.row * 2, VP8_MC_16x16);
        if (full_pixel) {
            cx &= ~7;
            cy &= ~7;
        }
        predict_block(dec, row, 1, dst[1], ref, x >> 1, y >> 1, cx, cy, VP8_MC_8x8);
        predict_block(dec, row, 2, dst[2], ref, x >> 1, y >> 1, cx, cy, VP8_MC_8x8);
        return;
    }
    if (mb->split_kind != VP8_SPLIT_4x4) {
        int q;
        for (q = 0; q < 4; q++) {
            int b = (q >> 1) * 8 + (q & 1) * 2;
            int ox = (q & 1) * 8;
            int oy = (q >> 1) * 8;
            predict_block(dec, row, 0, dst[0] + oy * ys + ox, ref, x + ox, y + oy, mb->bmv[b].col * 2,
                          mb->bmv[b].row * 2, VP8_MC_8x8);
        }
    } else {
        int b;
        for (b = 0; b < 16; b++) {
            int ox = (b & 3) * 4;
            int oy = (b >> 2) * 4;
            predict_block(dec, row, 0, dst[0] + oy * ys + ox, ref, x + ox, y + oy, mb->bmv[b].col * 2,
                          mb->bmv[b].row * 2, VP8_MC_4x4);
        }
    }
    {
        int i, j;
        for (i = 0; i < 2; i++) {
            for (j = 0; j < 2; j++) {
                int b = i * 8 + j * 2;
                int sr = mb->bmv[b].row + mb->bmv[b + 1].row + mb->bmv[b + 4].row + mb->bmv[b + 5].row;
                int sc = mb->bmv[b].col + mb->bmv[b + 1].col + mb->bmv[b + 4].col + mb->bmv[b + 5].col;
                int cy = chroma_split_component(sr);
                int cx = chroma_split_component(sc);
                int ox = j * 4;
                int oy = i * 4;
                if (full_pixel) {
                    cx &= ~7;
                    cy &= ~7;
                }
                predict_block(dec, row, 1, dst[1] + oy * uvs + ox, ref, (x >> 1) + ox, (y >> 1) + oy, cx, cy,
                              VP8_MC_4x4);
                predict_block(dec, row, 2, dst[2] + oy * uvs + ox, ref, (x >> 1) + ox, (y >> 1) + oy, cx, cy,
                              VP8_MC_4x4);
            }
        }
    }
}

VP8_ALWAYS_INLINE void add_residual(const Vp8Decoder *dec, const Vp8MbInfo *mb, uint8_t *dst[3], Vp8MbCoeffs *c) {
    const Vp8IdctDsp *idct = &dec->dsp.idct;
    if (mb->ymode != VP8_B_PRED) {
        if (mb->ymode != VP8_SPLITMV) {
            if (c->eobs[24] > 1) {
                idct->iwht(c->coeffs, c->coeffs[24]);
            } else if (c->eobs[24]) {
                idct->iwht_dc(c->coeffs, c->coeffs[24]);
            }
        }
        idct->idct_add_y(dst[0], dec->cur->stride[0], c->coeffs, c->eobs);
    }
    idct->idct_add_uv(dst[1], dst[2], dec->cur->stride[1], c->coeffs + 16, c->eobs + 16);
}

/* Prediction and residual of one macroblock: the one copy of the reconstruction, shared by the
 * serial row loop and the threaded reconstruct task. Leaves c->coeffs all zero. */
VP8_ALWAYS_INLINE void reconstruct_mb(const Vp8Decoder *dec, Vp8RowCtx *row, const Vp8MbInfo *mb, int mb_x,
                                      int mb_y, Vp8MbCoeffs *c) {
    Vp8Frame *cur = dec->cur;
    uint8_t *dst[3];
    dst[0] = cur->plane[0] + mb_y * 16 * cur->stride[0] + mb_x * 16;
    dst[1] = cur->plane[1] + mb_y * 8 * cur->stride[1] + mb_x * 8;
    dst[2] = cur->plane[2] + mb_y * 8 * cur->stride[2] + mb_x * 8;
    if (mb->ref_frame == VP8_INTRA_FRAME) {
        predict_intra(dec, mb, dst, mb_x, mb_y, c);
    } else {
        predict_inter(dec, row, mb, dst, mb_x, mb_y);
    }
    if (c->has_coeffs) {
        add_residual(dec, mb, dst, c);
    }
}

/* The tokens of one macroblock. From here on `skip` means "no residual", which is what the loop
 * filter asks. */
VP8_ALWAYS_INLINE void parse_mb_tokens(Vp8Decoder *dec, Vp8RowCtx *row, Vp8MbInfo *mb, int mb_x, Vp8MbCoeffs *c) {
    uint8_t *above_nz = dec->above_nz + mb_x * 9;
    int has_coeffs = 0;
    if (mb->skip) {
        vp8_reset_mb_tokens_ctx(row, above_nz, mb);
    } else {
        has_coeffs = vp8_decode_mb_tokens(dec, row, above_nz, mb, c);
    }
    c->has_coeffs = (uint8_t)has_coeffs;
    mb->skip = (uint8_t)!has_coeffs;
}

/* The serial row: tokens and reconstruction macroblock by macroblock through one residual buffer. */
static void decode_mb_row(Vp8Decoder *dec, Vp8RowCtx *row, int mb_y) {
    Vp8MbCoeffs *c = &dec->mb_coeffs;
    int mb_x;
    memset(row->left_nz, 0, sizeof(row->left_nz));
    for (mb_x = 0; mb_x < dec->mb_cols; mb_x++) {
        Vp8MbInfo *mb = vp8_mb_at(dec, mb_x, mb_y);
        parse_mb_tokens(dec, row, mb, mb_x, c);
        reconstruct_mb(dec, row, mb, mb_x, mb_y, c);
    }
}

/* M(r): the modes of row r, from the first partition. */
void vp8_modes_row_task(Vp8Decoder *dec, int mb_y) {
    vp8_decode_modes_row(dec, mb_y);
}

/* T(r): the tokens of row r into slot r % VP8_PARSE_SLOTS. Macroblock x reads the above contexts
 * row r - 1 leaves at x, so it waits until T(r - 1) has parsed x (at once when T(r - 1) is
 * done, as it always is with one partition), and says how far it got for T(r + 1). */
void vp8_tokens_row_task(Vp8Decoder *dec, int mb_y) {
    Vp8ThreadPool *p = &dec->pool;
    int part = mb_y & (dec->hdr.num_partitions - 1);
    int s = mb_y % VP8_PARSE_SLOTS;
    int above = (mb_y + VP8_PARSE_SLOTS - 1) % VP8_PARSE_SLOTS;
    Vp8RowCtx *row = &p->tok_row[part];
    Vp8MbCoeffs *slot = p->slots + (size_t)s * (size_t)dec->mb_cols;
    int mb_x;
    row->bd = &dec->part_bd[part];
    memset(row->left_nz, 0, sizeof(row->left_nz));
    for (mb_x = 0; mb_x < dec->mb_cols; mb_x++) {
        if (mb_y > 0) {
            vp8_threads_wait_tokens(p, above, mb_x + 1);
        }
        parse_mb_tokens(dec, row, vp8_mb_at(dec, mb_x, mb_y), mb_x, &slot[mb_x]);
        vp8_threads_tokens_parsed(p, s, mb_x + 1);
    }
}

/* R(r): prediction and residual of row r from its slot, which it hands back all zero. */
void vp8_reconstruct_row_task(Vp8Decoder *dec, int mb_y) {
    Vp8RowCtx *row = &dec->pool.recon_row;
    Vp8MbCoeffs *slot = dec->pool.slots + (size_t)(mb_y % VP8_PARSE_SLOTS) * (size_t)dec->mb_cols;
    int mb_x;
    for (mb_x = 0; mb_x < dec->mb_cols; mb_x++) {
        reconstruct_mb(dec, row, vp8_mb_at(dec, mb_x, mb_y), mb_x, mb_y, &slot[mb_x]);
    }
}

/* The filter level of a macroblock (RFC 9.3, 9.6, 15.1): frame level, segment override, then
 * the reference-frame and mode deltas. */
static int mb_filter_level(const Vp8Decoder *dec, const Vp8MbInfo *mb) {
    int level = dec->hdr.filter_level;
    if (dec->seg.enabled) {
        level = dec->seg.absolute ? dec->seg.lf_level[mb->segment] : level + dec->seg.lf_level[mb->segment];
        level = vp8_clamp_int(level, 0, 63);
    }
    if (dec->lf_deltas.enabled) {
        level += dec->lf_deltas.ref[mb->ref_frame];
        if (mb->ref_frame == VP8_INTRA_FRAME) {
            if (mb->ymode == VP8_B_PRED) {
                level += dec->lf_deltas.mode[0];
            }
        } else if (mb->ymode == VP8_ZEROMV) {
            level += dec->lf_deltas.mode[1];
        } else if (mb->ymode == VP8_SPLITMV) {
            level += dec->lf_deltas.mode[3];
        } else {
            level += dec->lf_deltas.mode[2];
        }
        level = vp8_clamp_int(level, 0, 63);
    }
    return level;
}

static void filter_mb_row(const Vp8Decoder *dec, int mb_y) {
    const Vp8LoopfilterDsp *lf = &dec->dsp.lf;
    const Vp8FrameHeader *h = &dec->hdr;
    Vp8Frame *cur = dec->cur;
    ptrdiff_t ys = cur->stride[0];
    ptrdiff_t uvs = cur->stride[1];
    int sharp = h->sharpness;
    int mb_x;
    for (mb_x = 0; mb_x < dec->mb_cols; mb_x++) {
        const Vp8MbInfo *mb = vp8_mb_at(dec, mb_x, mb_y);
        int level = mb_filter_level(dec, mb);
        int interior, hev, mb_limit, sub_limit, inner;
        uint8_t *y, *u, *v;
        if (level == 0) {
            continue;
        }
        interior = level;
        if (sharp) {
            interior >>= sharp > 4 ? 2 : 1;
            if (interior > 9 - sharp) {
                interior = 9 - sharp;
            }
        }
        if (interior < 1) {
            interior = 1;
        }
        if (h->keyframe) {
            hev = level >= 40 ? 2 : (level >= 15 ? 1 : 0);
        } else {
            hev = level >= 40 ? 3 : (level >= 20 ? 2 : (level >= 15 ? 1 : 0));
        }
        mb_limit = (level + 2) * 2 + interior;
        sub_limit = level * 2 + interior;
        /* Subblock edges are left alone only in macroblocks predicted whole and without residual. */
        inner = !mb->skip || mb->ymode == VP8_B_PRED || mb->ymode == VP8_SPLITMV;
        y = cur->plane[0] + mb_y * 16 * ys + mb_x * 16;
        u = cur->plane[1] + mb_y * 8 * uvs + mb_x * 8;
        v = cur->plane[2] + mb_y * 8 * uvs + mb_x * 8;
        if (h->filter_type == 0) {
            if (mb_x > 0) {
                lf->mb_left_y(y, ys, mb_limit, interior, hev);
                lf->mb_left_uv(u, v, uvs, mb_limit, interior, hev);
            }
            if (inner) {
                lf->inner_left_y(y, ys, sub_limit, interior, hev);
                lf->inner_left_uv(u, v, uvs, sub_limit, interior, hev);
            }
            if (mb_y > 0) {
                lf->mb_top_y(y, ys, mb_limit, interior, hev);
                lf->mb_top_uv(u, v, uvs, mb_limit, interior, hev);
            }
            if (inner) {
                lf->inner_top_y(y, ys, sub_limit, interior, hev);
                lf->inner_top_uv(u, v, uvs, sub_limit, interior, hev);
            }
        } else {
            if (mb_x > 0) {
                lf->simple_mb_left(y, ys, mb_limit);
            }
            if (inner) {
                lf->simple_inner_left(y, ys, sub_limit);
            }
            if (mb_y > 0) {
                lf->simple_mb_top(y, ys, mb_limit);
            }
            if (inner) {
                lf->simple_inner_top(y, ys, sub_limit);
            }
        }
    }
}

/* F(r): the loop filter of row r, then the side borders of the rows it made final. Filtering row r
 * changes the bottom lines of row r - 1, so that row is final only now, and row r only after
 * F(r + 1) (or now, for the last row). */
void vp8_filter_row_task(Vp8Decoder *dec, int mb_y) {
    if (dec->hdr.filter_level != 0) {
        filter_mb_row(dec, mb_y);
    }
    if (mb_y > 0) {
        extend_row_sides(dec, dec->cur, mb_y - 1);
    }
    if (mb_y == dec->mb_rows - 1) {
        extend_row_sides(dec, dec->cur, mb_y);
    }
}

static void update_references(Vp8Decoder *dec) {
    const Vp8FrameHeader *h = &dec->hdr;
    /* libvpx order: the altref copy first, so "golden <- altref" sees the new altref. */
    if (h->copy_to_altref == 1) {
        set_ref(dec, VP8_ALTREF_FRAME, dec->ref[VP8_LAST_FRAME]);
    } else if (h->copy_to_altref == 2) {
        set_ref(dec, VP8_ALTREF_FRAME, dec->ref[VP8_GOLDEN_FRAME]);
    }
    if (h->copy_to_golden == 1) {
        set_ref(dec, VP8_GOLDEN_FRAME, dec->ref[VP8_LAST_FRAME]);
    } else if (h->copy_to_golden == 2) {
        set_ref(dec, VP8_GOLDEN_FRAME, dec->ref[VP8_ALTREF_FRAME]);
    }
    if (h->refresh_golden) {
        set_ref(dec, VP8_GOLDEN_FRAME, dec->cur);
    }
    if (h->refresh_altref) {
        set_ref(dec, VP8_ALTREF_FRAME, dec->cur);
    }
    if (h->refresh_last) {
        set_ref(dec, VP8_LAST_FRAME, dec->cur);
    }
}

/* Decode the macroblock data of a frame whose header vp8_parse_frame_header accepted. */
int vp8_decode_frame_data(Vp8Decoder *dec) {
    Vp8RowCtx *row = &dec->row;
    int mb_y;
    int filter = dec->hdr.filter_level != 0;

    dec->cur = take_free_frame(dec);
    if (!dec->cur) {
        return vp8_set_error(dec, VP8_ERR_CORRUPT, "internal: no free picture buffer (%d refs)", VP8_NUM_REFS, 0);
    }
    setup_intra_edges(dec, dec->cur);
    memset(dec->above_nz, 0, (size_t)dec->mb_cols * 9);
    if (dec->pool.n_threads > 1) {
        vp8_threads_run_frame(dec);
        extend_top_bottom(dec, dec->cur);
    } else {
        vp8_decode_modes(dec);
        memset(dec->mb_coeffs.coeffs, 0, sizeof(dec->mb_coeffs.coeffs));
        for (mb_y = 0; mb_y < dec->mb_rows; mb_y++) {
            row->bd = &dec->part_bd[mb_y & (dec->hdr.num_partitions - 1)];
            decode_mb_row(dec, row, mb_y);
            if (filter && mb_y > 0) {
                filter_mb_row(dec, mb_y - 1);
            }
        }
        if (filter) {
            filter_mb_row(dec, dec->mb_rows - 1);
        }
        extend_borders(dec, dec->cur);
    }
    update_references(dec);
    if (!dec->hdr.refresh_entropy) {
        dec->probs = dec->saved_probs;
    }
    return VP8_OK;
}
