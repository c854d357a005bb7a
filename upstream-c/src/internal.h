/*
 * The decoder's private state: per-decoder context (persistent probabilities, segmentation,
 * loop-filter deltas, reference frames), the per-frame header, per-macroblock mode records and the
 * per-row context a row decoder needs. No mutable globals: everything a frame decode touches hangs
 * off Vp8Decoder, so rows can later be spread over threads.
 */
#ifndef VP8_SRC_INTERNAL_H
#define VP8_SRC_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "vp8/vp8.h"

#include "bool.h"
#include "common.h"
#include "idct.h"
#include "ipred.h"
#include "loopfilter.h"
#include "mc.h"
#include "tables.h"

/* Pixels of replicated edge around every plane. Motion vectors reaching further than this are
 * served from an emulated-edge copy, so the value only trades memory for speed. */
#define VP8_BORDER 32
#define VP8_MAX_PARTITIONS 8

enum Vp8RefFrame { VP8_INTRA_FRAME = 0, VP8_LAST_FRAME = 1, VP8_GOLDEN_FRAME = 2, VP8_ALTREF_FRAME = 3,
                   VP8_NUM_REFS = 4 };

/* Block types of the coefficient probabilities (RFC 13.3). */
enum { VP8_BLOCK_Y_AFTER_Y2 = 0, VP8_BLOCK_Y2 = 1, VP8_BLOCK_UV = 2, VP8_BLOCK_Y_WITH_DC = 3 };

typedef struct Vp8Dsp {
    Vp8McDsp mc;
    Vp8IdctDsp idct;
    Vp8IpredDsp ipred;
    Vp8LoopfilterDsp lf;
} Vp8Dsp;

/* Motion vector in quarter pels (the bitstream's unit). */
typedef struct Vp8Mv {
    int16_t row, col;
} Vp8Mv;

/* A picture buffer with VP8_BORDER pixels around each plane, shared by reference count between
 * the last/golden/altref slots. Planes are allocated at the macroblock-aligned size. */
typedef struct Vp8Frame {
    uint8_t *alloc;
    uint8_t *plane[3];
    ptrdiff_t stride[3];
    int refs;
} Vp8Frame;

/* Probabilities that persist from frame to frame (and are saved/restored around frames with
 * refresh_entropy_probs == 0). */
typedef struct Vp8Probs {
    uint8_t coeff[4][8][3][VP8_NUM_TOKENS - 1];
    uint8_t ymode[VP8_NUM_YMODES - 1];
    uint8_t uvmode[VP8_NUM_UVMODES - 1];
    uint8_t mv[2][VP8_MV_PROBS];
} Vp8Probs;

typedef struct Vp8Segmentation {
    int enabled;
    int update_map;
    int update_data;
    int absolute;             /* segment_feature_mode: 1 = absolute values, 0 = deltas */
    int8_t quant[4];
    int8_t lf_level[4];
    uint8_t tree_probs[3];
} Vp8Segmentation;

typedef struct Vp8LfDeltas {
    int enabled;
    int8_t ref[VP8_NUM_REFS];   /* intra, last, golden, altref */
    int8_t mode[4];             /* B_PRED, ZEROMV, other MV modes, SPLITMV */
} Vp8LfDeltas;

typedef struct Vp8FrameHeader {
    int keyframe;
    int version;
    int show_frame;
    uint32_t first_part_size;
    int width, height, hscale, vscale;
    int color_space, clamping_type;
    int filter_type;            /* 0 normal, 1 simple */
    int filter_level;
    int sharpness;
    int num_partitions;
    int qindex;
    int dq_y1_dc, dq_y2_dc, dq_y2_ac, dq_uv_dc, dq_uv_ac;
    int refresh_golden, refresh_altref;
    int copy_to_golden, copy_to_altref; /* 0 none, 1 last, 2 the other of golden/altref */
    int sign_bias[VP8_NUM_REFS];
    int refresh_entropy;
    int refresh_last;
    int mb_no_coeff_skip;
    int prob_skip_false, prob_intra, prob_last, prob_golden;
} Vp8FrameHeader;

/* Everything the reconstruction of one macroblock, and its neighbours' parsing, needs. */
typedef struct Vp8MbInfo {
    uint8_t ymode;       /* VP8_DC_PRED..VP8_B_PRED or VP8_NEARESTMV..VP8_SPLITMV */
    uint8_t uvmode;
    uint8_t ref_frame;
    uint8_t segment;     /* persists across frames unless the map is updated */
    uint8_t skip;        /* mb_skip_coeff; after token decoding: 1 if no coefficient was coded */
    uint8_t split_kind;  /* VP8_SPLIT_* when ymode == VP8_SPLITMV */
    Vp8Mv mv;            /* the macroblock's vector (the last subblock's for SPLITMV); 0 if intra */
    uint8_t bmodes[16];  /* subblock intra modes (implied ones for 16x16 modes) */
    Vp8Mv bmv[16];       /* subblock vectors, valid when ymode == VP8_SPLITMV */
} Vp8MbInfo;

/* Dequantization factors of one segment, [dc, ac]. */
typedef struct Vp8Dequant {
    int16_t y1[2], y2[2], uv[2];
} Vp8Dequant;

/* The residual of one macroblock, from token decoding to reconstruction. The coefficients are
 * all zero whenever the block is free: the inverse transforms clear what they consume. */
typedef struct Vp8MbCoeffs {
    VP8_ALIGN(16) int16_t coeffs[25][16];
    uint8_t eobs[25];
    uint8_t has_coeffs;          /* any block had a token; eobs are valid only then */
} Vp8MbCoeffs;

/* Per-row decoding state. Token parsing uses bd and left_nz, reconstruction emu; with threads the
 * parse chain and the reconstruct chain each own one (a chain runs on one thread at a time). */
typedef struct Vp8RowCtx {
    Vp8BoolDecoder *bd;          /* the token partition of this row */
    uint8_t left_nz[9];          /* non-zero flags left: 4 Y, 2 U, 2 V, 1 Y2 */
    /* Emulated-edge source for motion vectors reaching beyond the border. */
    VP8_ALIGN(16) uint8_t emu[(16 + 5) * (16 + 5)];
} Vp8RowCtx;

/* Threads a frame can use: the reconstruct and filter chains and up to two parsing tasks. */
#define VP8_MAX_THREADS 3
/* Rows of parsed residual that may wait for reconstruction (the token parsers' lead). */
#define VP8_PARSE_SLOTS 8

/* The row-task pool (thread.c). Within a frame four kinds of row tasks run: M(r) parses the
 * modes of row r (first partition), T(r) its tokens into slot r % VP8_PARSE_SLOTS, R(r)
 * reconstructs row r from it, F(r) loop-filters row r. M, R and F are chains; T(r) runs beside
 * T(r-1) when they read different token partitions, a macroblock behind it (tok_cols).
 * Everything below `lock` is protected by it, except `generation` (a hint for spinning waiters,
 * changed only under the lock), `tok_cols` and `tok_sleepers`. */
typedef struct Vp8ThreadPool {
    int n_threads;               /* resolved thread count; 1 = the serial row loop, no pool */
    int n_workers;               /* threads started (n_threads - 1) */
    pthread_t workers[VP8_MAX_THREADS - 1];
    pthread_mutex_t lock;
    pthread_cond_t wake;
    /* Cache lines of their own: spinning threads read `generation` all the time, and the row
     * contexts are written per macroblock by different threads. */
    VP8_ALIGN(64) atomic_int generation; /* bumped whenever a task completes or a frame starts */
    VP8_ALIGN(64) int sleepers;  /* threads in pthread_cond_wait */
    int quit;
    int rows;                    /* rows of the frame being decoded; 0 between frames */
    int parts;                   /* its token partitions */
    int m_done, r_done, f_done;  /* rows the chains completed */
    int m_busy, r_busy, f_busy;  /* a thread is running the chain's next row */
    int t_taken, t_done;         /* token rows started and completed (completed in order) */
    Vp8MbCoeffs *slots;          /* VP8_PARSE_SLOTS rows of mb_cols macroblocks */
    /* Macroblocks of its row the token task of each slot has parsed: T(r) parses macroblock x
     * once T(r-1) parsed x (the above non-zero contexts of x are final then). */
    VP8_ALIGN(64) atomic_int tok_cols[VP8_PARSE_SLOTS];
    atomic_int tok_sleepers;     /* token tasks asleep in vp8_threads_wait_tokens */
    VP8_ALIGN(64) Vp8RowCtx tok_row[VP8_MAX_PARTITIONS]; /* one per partition: T(r) starts after T(r-K) */
    VP8_ALIGN(64) Vp8RowCtx recon_row;
} Vp8ThreadPool;

struct Vp8Decoder {
    Vp8Settings settings;
    unsigned cpu_flags;
    Vp8Dsp dsp;

    Vp8FrameHeader hdr;
    Vp8Segmentation seg;
    Vp8LfDeltas lf_deltas;
    Vp8Probs probs;
    Vp8Probs saved_probs;
    Vp8Dequant dequant[4];

    /* Size of the current stream (from the last key frame). */
    int width, height, mb_cols, mb_rows;
    int hscale, vscale, color_space, clamping_type;

    /* Mode records with one border row above and one border column left (all zero: intra,
     * DC_PRED, zero vectors), so neighbours outside the frame need no special case. */
    Vp8MbInfo *mb_info_alloc;
    Vp8MbInfo *mb_info;          /* points at macroblock (0, 0); row stride mb_cols + 1 */
    int mb_stride;
    uint8_t *above_nz;           /* 9 flags per macroblock column */
    uint8_t *lf_levels;          /* filter level of each macroblock of the frame being decoded */

    /* The bool decoders change with every bit the parse chain reads: kept off the cache lines
     * the other chains read (64-byte aligned, like the decoder itself, see vp8_open). */
    VP8_ALIGN(64) Vp8BoolDecoder first_bd;
    Vp8BoolDecoder part_bd[VP8_MAX_PARTITIONS];
    VP8_ALIGN(64) Vp8RowCtx row; /* the serial row loop's */
    Vp8MbCoeffs mb_coeffs;       /* the serial row loop's */
    Vp8ThreadPool pool;

    VP8_ALIGN(64) Vp8Frame frames[VP8_NUM_REFS + 1];
    Vp8Frame *ref[VP8_NUM_REFS];    /* [0] unused; last, golden, altref */
    Vp8Frame *cur;

    int have_keyframe;            /* references valid: a key frame was decoded since the last error */
    int picture_ready;
    Vp8Picture picture;
    uint64_t frame_count;

    char error[256];
};

/* header.c */
int vp8_parse_frame_header(Vp8Decoder *dec, const uint8_t *data, size_t size);
/* modes.c */
void vp8_decode_modes(Vp8Decoder *dec);
void vp8_decode_modes_row(Vp8Decoder *dec, int mb_y);
int vp8_check_keyframe_modes(Vp8Decoder *dec);
/* tokens.c */
int vp8_decode_mb_tokens(const Vp8Decoder *dec, Vp8RowCtx *row, uint8_t *above_nz, const Vp8MbInfo *mb,
                         Vp8MbCoeffs *out);
void vp8_reset_mb_tokens_ctx(Vp8RowCtx *row, uint8_t *above_nz, const Vp8MbInfo *mb);
/* decode.c */
int vp8_decode_frame_data(Vp8Decoder *dec);
int vp8_alloc_frames(Vp8Decoder *dec);
void vp8_free_frames(Vp8Decoder *dec);
/* The row tasks of a threaded frame (see Vp8ThreadPool). */
void vp8_modes_row_task(Vp8Decoder *dec, int mb_y);
void vp8_tokens_row_task(Vp8Decoder *dec, int mb_y);
void vp8_reconstruct_row_task(Vp8Decoder *dec, int mb_y);
void vp8_filter_row_task(Vp8Decoder *dec, int mb_y);
/* thread.c */
void vp8_threads_start(Vp8Decoder *dec, int n_threads);
void vp8_threads_stop(Vp8Decoder *dec);
void vp8_threads_run_frame(Vp8Decoder *dec);
void vp8_threads_wait_tokens(Vp8ThreadPool *p, int slot, int cols);
void vp8_threads_tokens_parsed(Vp8ThreadPool *p, int slot, int cols);
/* lib.c */
/* Record an error detail (fmt may hold up to two %d for a and b) and return code. Not variadic,
 * so the transpiler never has to translate a C varargs definition. */
int vp8_set_error(Vp8Decoder *dec, int code, const char *fmt, int a, int b);
/* cpu.c */
unsigned vp8_detect_cpu_flags(void);

static inline Vp8MbInfo *vp8_mb_at(const Vp8Decoder *dec, int mb_x, int mb_y) {
    return dec->mb_info + mb_y * dec->mb_stride + mb_x;
}

#endif
