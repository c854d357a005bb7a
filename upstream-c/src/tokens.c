/*
 * Residual token decoding (RFC 6386 section 13): the coefficient token tree walked by hand for
 * speed, the band/context probability selection, extra bits of the large categories, the
 * non-zero contexts carried between neighbouring blocks, and dequantization as coefficients are
 * stored (wrapping to 16 bits as libvpx's short arithmetic does).
 */
#include <string.h>

#include "internal.h"

typedef const uint8_t (*Vp8CoeffProbs)[3][VP8_NUM_TOKENS - 1];

VP8_ALWAYS_INLINE int read_extra(Vp8BoolDecoder *bd, int cat) {
    const uint8_t *p = vp8_dct_cat_prob[cat];
    int v = 0;
    while (*p) {
        v = (v << 1) | vp8_read_bool(bd, *p);
        p++;
    }
    return vp8_dct_cat_base[cat] + v;
}

/* Decode one block's tokens starting at position `first` into block (raster order).
 * Returns 0 if the first token was end-of-block, else the position after the last token. */
VP8_ALWAYS_INLINE int decode_block_tokens(Vp8BoolDecoder *bd, Vp8CoeffProbs probs, int ctx, int first, const int16_t dq[2],
                               int16_t *block) {
    int i = first;
    const uint8_t *p = probs[vp8_coeff_bands[i]][ctx];
    if (!vp8_read_bool(bd, p[0])) {
        return 0;
    }
    for (;;) {
        int v;
        if (!vp8_read_bool(bd, p[1])) {
            /* A zero is never followed by end-of-block, so its check is skipped. */
            i++;
            if (i == 16) {
                return 16;
            }
            p = probs[vp8_coeff_bands[i]][0];
            continue;
        }
        if (!vp8_read_bool(bd, p[2])) {
            v = 1;
            ctx = 1;
        } else {
            if (!vp8_read_bool(bd, p[3])) {
                if (!vp8_read_bool(bd, p[4])) {
                    v = 2;
                } else {
                    v = 3 + vp8_read_bool(bd, p[5]);
                }
            } else if (!vp8_read_bool(bd, p[6])) {
                v = read_extra(bd, vp8_read_bool(bd, p[7]));
            } else if (!vp8_read_bool(bd, p[8])) {
                v = read_extra(bd, 2 + vp8_read_bool(bd, p[9]));
            } else {
                v = read_extra(bd, 4 + vp8_read_bool(bd, p[10]));
            }
            ctx = 2;
        }
        if (vp8_read_bit(bd)) {
            v = -v;
        }
        block[vp8_zigzag[i]] = (int16_t)(v * dq[i > 0]);
        i++;
        if (i == 16) {
            return 16;
        }
        p = probs[vp8_coeff_bands[i]][ctx];
        if (!vp8_read_bool(bd, p[0])) {
            return i;
        }
    }
}

/* Decode all residual blocks of a macroblock; returns non-zero if any block had a token.
 * Fills out->coeffs and out->eobs (Y 0..15, U 16..19, V 20..23, Y2 24); out->coeffs must be all
 * zero on entry (the inverse transforms clear what they consume). */
int vp8_decode_mb_tokens(const Vp8Decoder *dec, Vp8RowCtx *row, uint8_t *above_nz, const Vp8MbInfo *mb,
                         Vp8MbCoeffs *out) {
    const Vp8Dequant *dq = &dec->dequant[dec->seg.enabled ? mb->segment : 0];
    const Vp8Probs *probs = &dec->probs;
    /* The bool decoder is copied into a local for the macroblock so its state can live in
     * registers: through the row's pointer every coefficient store would force it back to memory. */
    Vp8BoolDecoder local = *row->bd;
    Vp8BoolDecoder *bd = &local;
    /* A local copy too: then the row is needed only at the ends, and one base register (out)
     * serves all coefficient stores. */
    uint8_t left_nz[9];
    int has_y2 = mb->ymode != VP8_B_PRED && mb->ymode != VP8_SPLITMV;
    int any = 0;
    int first = 0;
    Vp8CoeffProbs yprobs;
    int i;
    memcpy(left_nz, row->left_nz, sizeof(left_nz));

    if (has_y2) {
        int ctx = above_nz[8] + left_nz[8];
        int eob = decode_block_tokens(bd, probs->coeff[VP8_BLOCK_Y2], ctx, 0, dq->y2, out->coeffs[24]);
        above_nz[8] = left_nz[8] = eob > 0;
        out->eobs[24] = (uint8_t)eob;
        any |= eob;
        first = 1;
        yprobs = probs->coeff[VP8_BLOCK_Y_AFTER_Y2];
    } else {
        yprobs = probs->coeff[VP8_BLOCK_Y_WITH_DC];
    }
    for (i = 0; i < 16; i++) {
        int x = i & 3;
        int y = i >> 2;
        int ctx = above_nz[x] + left_nz[y];
        int eob = decode_block_tokens(bd, yprobs, ctx, first, dq->y1, out->coeffs[i]);
        above_nz[x] = left_nz[y] = eob > 0;
        out->eobs[i] = (uint8_t)eob;
        any |= eob;
    }
    for (i = 16; i < 24; i++) {
        /* U flags are entries 4-5 of each context, V flags 6-7. */
        int plane = i < 20 ? 4 : 6;
        int x = plane + (i & 1);
        int y = plane + ((i >> 1) & 1);
        int ctx = above_nz[x] + left_nz[y];
        int eob = decode_block_tokens(bd, probs->coeff[VP8_BLOCK_UV], ctx, 0, dq->uv, out->coeffs[i]);
        above_nz[x] = left_nz[y] = eob > 0;
        out->eobs[i] = (uint8_t)eob;
        any |= eob;
    }
    *row->bd = local;
    memcpy(row->left_nz, left_nz, sizeof(left_nz));
    return any != 0;
}

/* A macroblock without coded residual clears its contexts; the Y2 flags only when it would have
 * had a Y2 block, so a skipped B_PRED/SPLITMV macroblock leaves them to its neighbours. */
void vp8_reset_mb_tokens_ctx(Vp8RowCtx *row, uint8_t *above_nz, const Vp8MbInfo *mb) {
    int i;
    for (i = 0; i < 8; i++) {
        above_nz[i] = 0;
        row->left_nz[i] = 0;
    }
    if (mb->ymode != VP8_B_PRED && mb->ymode != VP8_SPLITMV) {
        above_nz[8] = 0;
        row->left_nz[8] = 0;
    }
}
