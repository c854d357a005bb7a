#!/usr/bin/env python3
"""vp8synth -- hand-crafted VP8 test streams.

Writes VP8 frames field by field (every frame-header field settable), so that
bitstream features the libvpx encoder never produces can be tested: colour
space / clamping bits, golden sign bias, buffer copies, absolute segment
values, mb_no_coeff_skip=0, loop-filter delta updates on inter frames,
version 1-3 combinations, zero-length frames, motion vectors far outside the
frame, intra modes at frame edges, refresh_last=0, refresh_entropy_probs=0,
coefficient / mode / MV probability updates and key-frame size changes.

Everything here was written from the text of RFC 6386 (sections 7-19).  The
tool contains

  * a boolean entropy encoder (RFC 7.3) and decoder, tree coders (RFC 8.1);
  * a frame writer (uncompressed chunk, frame header of RFC 9 / 19.2,
    per-macroblock modes of RFC 19.3 incl. find_near_mvs of RFC 16.3, split
    MVs of RFC 16.4, MV coding of RFC 17, DCT tokens of RFC 13 with their
    contexts, 1/2/4/8 token partitions);
  * a model decoder (parser + reconstruction) used to dump headers, to
    cross-check the writer and to compare against vpxdec;
  * an IVF writer and the stream recipes.

Usage:
  vp8synth.py --out DIR          regenerate every synth-* stream + references
  vp8synth.py --out DIR --only NAME [--only NAME ...]
  vp8synth.py dump FILE.ivf [-v]  re-parse a stream and print header fields
  vp8synth.py check FILE.ivf      compare the model decoder with vpxdec
  vp8synth.py list                list the stream recipes
  vp8synth.py fuzz [SEED:COUNT]   random streams: writer+model vs vpxdec

Python 3 standard library only.  Output is byte-reproducible (fixed seeds).
"""

import hashlib
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

# The IVF reader and writer are shared with ../vp8_headers.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import ivf  # noqa: E402

# ---------------------------------------------------------------------------
# Enumerations (numbering as in RFC 6386 sections 8, 11, 16)
# ---------------------------------------------------------------------------

DC_PRED, V_PRED, H_PRED, TM_PRED, B_PRED = range(5)
YMODE_NAMES = ['DC', 'V', 'H', 'TM', 'B']

(B_DC_PRED, B_TM_PRED, B_VE_PRED, B_HE_PRED, B_LD_PRED, B_RD_PRED,
 B_VR_PRED, B_VL_PRED, B_HD_PRED, B_HU_PRED) = range(10)
BMODE_NAMES = ['B_DC', 'B_TM', 'B_VE', 'B_HE', 'B_LD', 'B_RD', 'B_VR',
               'B_VL', 'B_HD', 'B_HU']

# inter macroblock modes (values chosen for our own trees)
MV_NEAREST, MV_NEAR, MV_ZERO, MV_NEW, MV_SPLIT = range(5, 10)
INTER_MODE_NAMES = {MV_NEAREST: 'NEAREST', MV_NEAR: 'NEAR', MV_ZERO: 'ZERO',
                    MV_NEW: 'NEW', MV_SPLIT: 'SPLIT'}
MODE_BY_NAME = {'nearest': MV_NEAREST, 'near': MV_NEAR, 'zero': MV_ZERO,
                'new': MV_NEW, 'split': MV_SPLIT}

# split partition types
SPLIT_16X8, SPLIT_8X16, SPLIT_8X8, SPLIT_4X4 = range(4)
SPLIT_NAMES = ['16x8', '8x16', '8x8', '4x4']
# subset index of each of the 16 luma subblocks, per partition type
SPLIT_MAPS = [
    [0] * 8 + [1] * 8,
    [0, 0, 1, 1] * 4,
    [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3],
    list(range(16)),
]
SPLIT_COUNTS = [2, 2, 4, 16]

# sub-block MV modes
SUB_LEFT, SUB_ABOVE, SUB_ZERO, SUB_NEW = range(4)
SUB_BY_NAME = {'left': SUB_LEFT, 'above': SUB_ABOVE, 'zero': SUB_ZERO,
               'new': SUB_NEW}
SUB_NAMES = ['LEFT4x4', 'ABOVE4x4', 'ZERO4x4', 'NEW4x4']

# reference frames
INTRA_FRAME, LAST_FRAME, GOLDEN_FRAME, ALTREF_FRAME = range(4)
REF_NAMES = ['intra', 'last', 'golden', 'altref']

# DCT tokens
(DCT_0, DCT_1, DCT_2, DCT_3, DCT_4, DCT_CAT1, DCT_CAT2, DCT_CAT3, DCT_CAT4,
 DCT_CAT5, DCT_CAT6, DCT_EOB) = range(12)
TOKEN_NAMES = ['ZERO', 'ONE', 'TWO', 'THREE', 'FOUR', 'CAT1', 'CAT2', 'CAT3',
               'CAT4', 'CAT5', 'CAT6', 'EOB']
CAT_BASE = {DCT_CAT1: 5, DCT_CAT2: 7, DCT_CAT3: 11, DCT_CAT4: 19,
            DCT_CAT5: 35, DCT_CAT6: 67}
CAT_PROBS = {
    DCT_CAT1: [159],
    DCT_CAT2: [165, 145],
    DCT_CAT3: [173, 148, 140],
    DCT_CAT4: [176, 155, 140, 135],
    DCT_CAT5: [180, 157, 141, 134, 130],
    DCT_CAT6: [254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129],
}

# block types for the coefficient probability table (RFC 13.3)
BT_Y_AFTER_Y2, BT_Y2, BT_UV, BT_Y_WITH_DC = range(4)

COEFF_BANDS = [0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7]
ZIGZAG = [0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15]

# ---------------------------------------------------------------------------
# Trees (RFC 6386 array representation: positive entries index the next
# node pair, non-positive entries -v are leaves with value v)
# ---------------------------------------------------------------------------

KF_YMODE_TREE = [-B_PRED, 2, 4, 6, -DC_PRED, -V_PRED, -H_PRED, -TM_PRED]
YMODE_TREE = [-DC_PRED, 2, 4, 6, -V_PRED, -H_PRED, -TM_PRED, -B_PRED]
UV_MODE_TREE = [-DC_PRED, 2, -V_PRED, 4, -H_PRED, -TM_PRED]
BMODE_TREE = [-B_DC_PRED, 2, -B_TM_PRED, 4, -B_VE_PRED, 6, 8, 12,
              -B_HE_PRED, 10, -B_RD_PRED, -B_VR_PRED, -B_LD_PRED, 14,
              -B_VL_PRED, 16, -B_HD_PRED, -B_HU_PRED]
SEGMENT_TREE = [2, 4, 0, -1, -2, -3]
MV_REF_TREE = [-MV_ZERO, 2, -MV_NEAREST, 4, -MV_NEAR, 6, -MV_NEW, -MV_SPLIT]
SPLIT_TREE = [-SPLIT_4X4, 2, -SPLIT_8X8, 4, -SPLIT_16X8, -SPLIT_8X16]
SUB_MV_REF_TREE = [-SUB_LEFT, 2, -SUB_ABOVE, 4, -SUB_ZERO, -SUB_NEW]
SMALL_MV_TREE = [2, 8, 4, 6, 0, -1, -2, -3, 10, 12, -4, -5, -6, -7]
COEFF_TREE = [-DCT_EOB, 2, -DCT_0, 4, -DCT_1, 6, 8, 12, -DCT_2, 10,
              -DCT_3, -DCT_4, 14, 16, -DCT_CAT1, -DCT_CAT2, 18, 20,
              -DCT_CAT3, -DCT_CAT4, -DCT_CAT5, -DCT_CAT6]

# Fixed probabilities
KF_YMODE_PROBS = [145, 156, 163, 128]
KF_UV_MODE_PROBS = [142, 114, 183]
DEFAULT_YMODE_PROBS = [112, 86, 140, 37]
DEFAULT_UV_MODE_PROBS = [162, 101, 204]
INTER_BMODE_PROBS = [120, 90, 79, 133, 87, 85, 80, 111, 151]
SPLIT_PROBS = [110, 111, 150]
SUB_MV_REF_PROBS = [[147, 136, 18], [106, 145, 1], [179, 121, 1],
                    [223, 1, 34], [208, 1, 1]]

# MV probability vector layout (RFC 17.1)
MVP_IS_SHORT, MVP_SIGN, MVP_SHORT, MVP_BITS = 0, 1, 2, 9
MVP_COUNT = 19
MV_LONG_BITS = 10

# Tables transcribed from RFC 6386 (sections 11.5, 13.4, 13.5, 14.1, 16.3, 17.2)
KF_BMODE_PROBS = [
    [[231, 120,  48,  89, 115, 113, 120, 152, 112],
     [152, 179,  64, 126, 170, 118,  46,  70,  95],
     [175,  69, 143,  80,  85,  82,  72, 155, 103],
     [ 56,  58,  10, 171, 218, 189,  17,  13, 152],
     [144,  71,  10,  38, 171, 213, 144,  34,  26],
     [114,  26,  17, 163,  44, 195,  21,  10, 173],
     [121,  24,  80, 195,  26,  62,  44,  64,  85],
     [170,  46,  55,  19, 136, 160,  33, 206,  71],
     [ 63,  20,   8, 114, 114, 208,  12,   9, 226],
     [ 81,  40,  11,  96, 182,  84,  29,  16,  36]],
    [[134, 183,  89, 137,  98, 101, 106, 165, 148],
     [ 72, 187, 100, 130, 157, 111,  32,  75,  80],
     [ 66, 102, 167,  99,  74,  62,  40, 234, 128],
     [ 41,  53,   9, 178, 241, 141,  26,   8, 107],
     [104,  79,  12,  27, 217, 255,  87,  17,   7],
     [ 74,  43,  26, 146,  73, 166,  49,  23, 157],
     [ 65,  38, 105, 160,  51,  52,  31, 115, 128],
     [ 87,  68,  71,  44, 114,  51,  15, 186,  23],
     [ 47,  41,  14, 110, 182, 183,  21,  17, 194],
     [ 66,  45,  25, 102, 197, 189,  23,  18,  22]],
    [[ 88,  88, 147, 150,  42,  46,  45, 196, 205],
     [ 43,  97, 183, 117,  85,  38,  35, 179,  61],
     [ 39,  53, 200,  87,  26,  21,  43, 232, 171],
     [ 56,  34,  51, 104, 114, 102,  29,  93,  77],
     [107,  54,  32,  26,  51,   1,  81,  43,  31],
     [ 39,  28,  85, 171,  58, 165,  90,  98,  64],
     [ 34,  22, 116, 206,  23,  34,  43, 166,  73],
     [ 68,  25, 106,  22,  64, 171,  36, 225, 114],
     [ 34,  19,  21, 102, 132, 188,  16,  76, 124],
     [ 62,  18,  78,  95,  85,  57,  50,  48,  51]],
    [[193, 101,  35, 159, 215, 111,  89,  46, 111],
     [ 60, 148,  31, 172, 219, 228,  21,  18, 111],
     [112, 113,  77,  85, 179, 255,  38, 120, 114],
     [ 40,  42,   1, 196, 245, 209,  10,  25, 109],
     [100,  80,   8,  43, 154,   1,  51,  26,  71],
     [ 88,  43,  29, 140, 166, 213,  37,  43, 154],
     [ 61,  63,  30, 155,  67,  45,  68,   1, 209],
     [142,  78,  78,  16, 255, 128,  34, 197, 171],
     [ 41,  40,   5, 102, 211, 183,   4,   1, 221],
     [ 51,  50,  17, 168, 209, 192,  23,  25,  82]],
    [[125,  98,  42,  88, 104,  85, 117, 175,  82],
     [ 95,  84,  53,  89, 128, 100, 113, 101,  45],
     [ 75,  79, 123,  47,  51, 128,  81, 171,   1],
     [ 57,  17,   5,  71, 102,  57,  53,  41,  49],
     [115,  21,   2,  10, 102, 255, 166,  23,   6],
     [ 38,  33,  13, 121,  57,  73,  26,   1,  85],
     [ 41,  10,  67, 138,  77, 110,  90,  47, 114],
     [101,  29,  16,  10,  85, 128, 101, 196,  26],
     [ 57,  18,  10, 102, 102, 213,  34,  20,  43],
     [117,  20,  15,  36, 163, 128,  68,   1,  26]],
    [[138,  31,  36, 171,  27, 166,  38,  44, 229],
     [ 67,  87,  58, 169,  82, 115,  26,  59, 179],
     [ 63,  59,  90, 180,  59, 166,  93,  73, 154],
     [ 40,  40,  21, 116, 143, 209,  34,  39, 175],
     [ 57,  46,  22,  24, 128,   1,  54,  17,  37],
     [ 47,  15,  16, 183,  34, 223,  49,  45, 183],
     [ 46,  17,  33, 183,   6,  98,  15,  32, 183],
     [ 65,  32,  73, 115,  28, 128,  23, 128, 205],
     [ 40,   3,   9, 115,  51, 192,  18,   6, 223],
     [ 87,  37,   9, 115,  59,  77,  64,  21,  47]],
    [[104,  55,  44, 218,   9,  54,  53, 130, 226],
     [ 64,  90,  70, 205,  40,  41,  23,  26,  57],
     [ 54,  57, 112, 184,   5,  41,  38, 166, 213],
     [ 30,  34,  26, 133, 152, 116,  10,  32, 134],
     [ 75,  32,  12,  51, 192, 255, 160,  43,  51],
     [ 39,  19,  53, 221,  26, 114,  32,  73, 255],
     [ 31,   9,  65, 234,   2,  15,   1, 118,  73],
     [ 88,  31,  35,  67, 102,  85,  55, 186,  85],
     [ 56,  21,  23, 111,  59, 205,  45,  37, 192],
     [ 55,  38,  70, 124,  73, 102,   1,  34,  98]],
    [[102,  61,  71,  37,  34,  53,  31, 243, 192],
     [ 69,  60,  71,  38,  73, 119,  28, 222,  37],
     [ 68,  45, 128,  34,   1,  47,  11, 245, 171],
     [ 62,  17,  19,  70, 146,  85,  55,  62,  70],
     [ 75,  15,   9,   9,  64, 255, 184, 119,  16],
     [ 37,  43,  37, 154, 100, 163,  85, 160,   1],
     [ 63,   9,  92, 136,  28,  64,  32, 201,  85],
     [ 86,   6,  28,   5,  64, 255,  25, 248,   1],
     [ 56,   8,  17, 132, 137, 255,  55, 116, 128],
     [ 58,  15,  20,  82, 135,  57,  26, 121,  40]],
    [[164,  50,  31, 137, 154, 133,  25,  35, 218],
     [ 51, 103,  44, 131, 131, 123,  31,   6, 158],
     [ 86,  40,  64, 135, 148, 224,  45, 183, 128],
     [ 22,  26,  17, 131, 240, 154,  14,   1, 209],
     [ 83,  12,  13,  54, 192, 255,  68,  47,  28],
     [ 45,  16,  21,  91,  64, 222,   7,   1, 197],
     [ 56,  21,  39, 155,  60, 138,  23, 102, 213],
     [ 85,  26,  85,  85, 128, 128,  32, 146, 171],
     [ 18,  11,   7,  63, 144, 171,   4,   4, 246],
     [ 35,  27,  10, 146, 174, 171,  12,  26, 128]],
    [[190,  80,  35,  99, 180,  80, 126,  54,  45],
     [ 85, 126,  47,  87, 176,  51,  41,  20,  32],
     [101,  75, 128, 139, 118, 146, 116, 128,  85],
     [ 56,  41,  15, 176, 236,  85,  37,   9,  62],
     [146,  36,  19,  30, 171, 255,  97,  27,  20],
     [ 71,  30,  17, 119, 118, 255,  17,  18, 138],
     [101,  38,  60, 138,  55,  70,  43,  26, 142],
     [138,  45,  61,  62, 219,   1,  81, 188,  64],
     [ 32,  41,  20, 117, 151, 142,  20,  21, 163],
     [112,  19,  12,  61, 195, 128,  48,   4,  24]]]

COEFF_UPDATE_PROBS = [
    [
        [[255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[176, 246, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [223, 241, 252, 255, 255, 255, 255, 255, 255, 255, 255],
         [249, 253, 253, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 244, 252, 255, 255, 255, 255, 255, 255, 255, 255],
         [234, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [253, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 246, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [239, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [254, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 248, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [251, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [251, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [254, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 254, 253, 255, 254, 255, 255, 255, 255, 255, 255],
         [250, 255, 254, 255, 254, 255, 255, 255, 255, 255, 255],
         [254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]]],
    [
        [[217, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [225, 252, 241, 253, 255, 255, 254, 255, 255, 255, 255],
         [234, 250, 241, 250, 253, 255, 253, 254, 255, 255, 255]],
        [[255, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [223, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [238, 253, 254, 254, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 248, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [249, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 253, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [247, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [252, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [253, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 254, 253, 255, 255, 255, 255, 255, 255, 255, 255],
         [250, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]]],
    [
        [[186, 251, 250, 255, 255, 255, 255, 255, 255, 255, 255],
         [234, 251, 244, 254, 255, 255, 255, 255, 255, 255, 255],
         [251, 251, 243, 253, 254, 255, 254, 255, 255, 255, 255]],
        [[255, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [236, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [251, 253, 253, 254, 254, 255, 255, 255, 255, 255, 255]],
        [[255, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [254, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [254, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]]],
    [
        [[248, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [250, 254, 252, 254, 255, 255, 255, 255, 255, 255, 255],
         [248, 254, 249, 253, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 253, 253, 255, 255, 255, 255, 255, 255, 255, 255],
         [246, 253, 253, 255, 255, 255, 255, 255, 255, 255, 255],
         [252, 254, 251, 254, 254, 255, 255, 255, 255, 255, 255]],
        [[255, 254, 252, 255, 255, 255, 255, 255, 255, 255, 255],
         [248, 254, 253, 255, 255, 255, 255, 255, 255, 255, 255],
         [253, 255, 254, 254, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 251, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [245, 251, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [253, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 251, 253, 255, 255, 255, 255, 255, 255, 255, 255],
         [252, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 252, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [249, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 255, 253, 255, 255, 255, 255, 255, 255, 255, 255],
         [250, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
        [[255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255],
         [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]]]]

DEFAULT_COEFF_PROBS = [
    [
        [[128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128],
         [128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128],
         [128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128]],
        [[253, 136, 254, 255, 228, 219, 128, 128, 128, 128, 128],
         [189, 129, 242, 255, 227, 213, 255, 219, 128, 128, 128],
         [106, 126, 227, 252, 214, 209, 255, 255, 128, 128, 128]],
        [[  1,  98, 248, 255, 236, 226, 255, 255, 128, 128, 128],
         [181, 133, 238, 254, 221, 234, 255, 154, 128, 128, 128],
         [ 78, 134, 202, 247, 198, 180, 255, 219, 128, 128, 128]],
        [[  1, 185, 249, 255, 243, 255, 128, 128, 128, 128, 128],
         [184, 150, 247, 255, 236, 224, 128, 128, 128, 128, 128],
         [ 77, 110, 216, 255, 236, 230, 128, 128, 128, 128, 128]],
        [[  1, 101, 251, 255, 241, 255, 128, 128, 128, 128, 128],
         [170, 139, 241, 252, 236, 209, 255, 255, 128, 128, 128],
         [ 37, 116, 196, 243, 228, 255, 255, 255, 128, 128, 128]],
        [[  1, 204, 254, 255, 245, 255, 128, 128, 128, 128, 128],
         [207, 160, 250, 255, 238, 128, 128, 128, 128, 128, 128],
         [102, 103, 231, 255, 211, 171, 128, 128, 128, 128, 128]],
        [[  1, 152, 252, 255, 240, 255, 128, 128, 128, 128, 128],
         [177, 135, 243, 255, 234, 225, 128, 128, 128, 128, 128],
         [ 80, 129, 211, 255, 194, 224, 128, 128, 128, 128, 128]],
        [[  1,   1, 255, 128, 128, 128, 128, 128, 128, 128, 128],
         [246,   1, 255, 128, 128, 128, 128, 128, 128, 128, 128],
         [255, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128]]],
    [
        [[198,  35, 237, 223, 193, 187, 162, 160, 145, 155,  62],
         [131,  45, 198, 221, 172, 176, 220, 157, 252, 221,   1],
         [ 68,  47, 146, 208, 149, 167, 221, 162, 255, 223, 128]],
        [[  1, 149, 241, 255, 221, 224, 255, 255, 128, 128, 128],
         [184, 141, 234, 253, 222, 220, 255, 199, 128, 128, 128],
         [ 81,  99, 181, 242, 176, 190, 249, 202, 255, 255, 128]],
        [[  1, 129, 232, 253, 214, 197, 242, 196, 255, 255, 128],
         [ 99, 121, 210, 250, 201, 198, 255, 202, 128, 128, 128],
         [ 23,  91, 163, 242, 170, 187, 247, 210, 255, 255, 128]],
        [[  1, 200, 246, 255, 234, 255, 128, 128, 128, 128, 128],
         [109, 178, 241, 255, 231, 245, 255, 255, 128, 128, 128],
         [ 44, 130, 201, 253, 205, 192, 255, 255, 128, 128, 128]],
        [[  1, 132, 239, 251, 219, 209, 255, 165, 128, 128, 128],
         [ 94, 136, 225, 251, 218, 190, 255, 255, 128, 128, 128],
         [ 22, 100, 174, 245, 186, 161, 255, 199, 128, 128, 128]],
        [[  1, 182, 249, 255, 232, 235, 128, 128, 128, 128, 128],
         [124, 143, 241, 255, 227, 234, 128, 128, 128, 128, 128],
         [ 35,  77, 181, 251, 193, 211, 255, 205, 128, 128, 128]],
        [[  1, 157, 247, 255, 236, 231, 255, 255, 128, 128, 128],
         [121, 141, 235, 255, 225, 227, 255, 255, 128, 128, 128],
         [ 45,  99, 188, 251, 195, 217, 255, 224, 128, 128, 128]],
        [[  1,   1, 251, 255, 213, 255, 128, 128, 128, 128, 128],
         [203,   1, 248, 255, 255, 128, 128, 128, 128, 128, 128],
         [137,   1, 177, 255, 224, 255, 128, 128, 128, 128, 128]]],
    [
        [[253,   9, 248, 251, 207, 208, 255, 192, 128, 128, 128],
         [175,  13, 224, 243, 193, 185, 249, 198, 255, 255, 128],
         [ 73,  17, 171, 221, 161, 179, 236, 167, 255, 234, 128]],
        [[  1,  95, 247, 253, 212, 183, 255, 255, 128, 128, 128],
         [239,  90, 244, 250, 211, 209, 255, 255, 128, 128, 128],
         [155,  77, 195, 248, 188, 195, 255, 255, 128, 128, 128]],
        [[  1,  24, 239, 251, 218, 219, 255, 205, 128, 128, 128],
         [201,  51, 219, 255, 196, 186, 128, 128, 128, 128, 128],
         [ 69,  46, 190, 239, 201, 218, 255, 228, 128, 128, 128]],
        [[  1, 191, 251, 255, 255, 128, 128, 128, 128, 128, 128],
         [223, 165, 249, 255, 213, 255, 128, 128, 128, 128, 128],
         [141, 124, 248, 255, 255, 128, 128, 128, 128, 128, 128]],
        [[  1,  16, 248, 255, 255, 128, 128, 128, 128, 128, 128],
         [190,  36, 230, 255, 236, 255, 128, 128, 128, 128, 128],
         [149,   1, 255, 128, 128, 128, 128, 128, 128, 128, 128]],
        [[  1, 226, 255, 128, 128, 128, 128, 128, 128, 128, 128],
         [247, 192, 255, 128, 128, 128, 128, 128, 128, 128, 128],
         [240, 128, 255, 128, 128, 128, 128, 128, 128, 128, 128]],
        [[  1, 134, 252, 255, 255, 128, 128, 128, 128, 128, 128],
         [213,  62, 250, 255, 255, 128, 128, 128, 128, 128, 128],
         [ 55,  93, 255, 128, 128, 128, 128, 128, 128, 128, 128]],
        [[128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128],
         [128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128],
         [128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128]]],
    [
        [[202,  24, 213, 235, 186, 191, 220, 160, 240, 175, 255],
         [126,  38, 182, 232, 169, 184, 228, 174, 255, 187, 128],
         [ 61,  46, 138, 219, 151, 178, 240, 170, 255, 216, 128]],
        [[  1, 112, 230, 250, 199, 191, 247, 159, 255, 255, 128],
         [166, 109, 228, 252, 211, 215, 255, 174, 128, 128, 128],
         [ 39,  77, 162, 232, 172, 180, 245, 178, 255, 255, 128]],
        [[  1,  52, 220, 246, 198, 199, 249, 220, 255, 255, 128],
         [124,  74, 191, 243, 183, 193, 250, 221, 255, 255, 128],
         [ 24,  71, 130, 219, 154, 170, 243, 182, 255, 255, 128]],
        [[  1, 182, 225, 249, 219, 240, 255, 224, 128, 128, 128],
         [149, 150, 226, 252, 216, 205, 255, 171, 128, 128, 128],
         [ 28, 108, 170, 242, 183, 194, 254, 223, 255, 255, 128]],
        [[  1,  81, 230, 252, 204, 203, 255, 192, 128, 128, 128],
         [123, 102, 209, 247, 188, 196, 255, 233, 128, 128, 128],
         [ 20,  95, 153, 243, 164, 173, 255, 203, 128, 128, 128]],
        [[  1, 222, 248, 255, 216, 213, 128, 128, 128, 128, 128],
         [168, 175, 246, 252, 235, 205, 255, 255, 128, 128, 128],
         [ 47, 116, 215, 255, 211, 212, 255, 255, 128, 128, 128]],
        [[  1, 121, 236, 253, 212, 214, 255, 255, 128, 128, 128],
         [141,  84, 213, 252, 201, 202, 255, 219, 128, 128, 128],
         [ 42,  80, 160, 240, 162, 185, 255, 205, 128, 128, 128]],
        [[  1,   1, 255, 128, 128, 128, 128, 128, 128, 128, 128],
         [244,   1, 255, 128, 128, 128, 128, 128, 128, 128, 128],
         [238,   1, 255, 128, 128, 128, 128, 128, 128, 128, 128]]]]

DC_QLOOKUP = [
    4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 13, 14, 15, 16, 17, 17, 18, 19, 20, 20, 21, 21, 22, 22,
    23, 23, 24, 25, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 37, 38, 39, 40, 41, 42,
    43, 44, 45, 46, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64,
    65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86,
    87, 88, 89, 91, 93, 95, 96, 98, 100, 101, 102, 104, 106, 108, 110, 112, 114, 116, 118, 122,
    124, 126, 128, 130, 132, 134, 136, 138, 140, 143, 145, 148, 151, 154, 157]

AC_QLOOKUP = [
    4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
    28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
    51, 52, 53, 54, 55, 56, 57, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80, 82, 84, 86, 88,
    90, 92, 94, 96, 98, 100, 102, 104, 106, 108, 110, 112, 114, 116, 119, 122, 125, 128, 131,
    134, 137, 140, 143, 146, 149, 152, 155, 158, 161, 164, 167, 170, 173, 177, 181, 185, 189,
    193, 197, 201, 205, 209, 213, 217, 221, 225, 229, 234, 239, 245, 249, 254, 259, 264, 269,
    274, 279, 284]

MV_UPDATE_PROBS = [
    [237, 246, 253, 253, 254, 254, 254, 254, 254, 254, 254, 254, 254, 254,
     250, 250, 252, 254, 254],
    [231, 243, 245, 253, 254, 254, 254, 254, 254, 254, 254, 254, 254, 254,
     251, 251, 254, 254, 254]]

DEFAULT_MV_PROBS = [
    [162, 128, 225, 146, 172, 147, 214, 39, 156,           # row
     128, 129, 132, 75, 145, 178, 206, 239, 254, 254],
    [164, 128, 204, 170, 119, 235, 140, 230, 228,          # column
     128, 130, 130, 74, 148, 180, 203, 236, 254, 254]]

MODE_CONTEXTS = [[7, 1, 1, 143], [14, 18, 14, 107], [135, 64, 57, 68],
                 [60, 56, 128, 65], [159, 134, 128, 34], [234, 188, 128, 28]]


# ---------------------------------------------------------------------------
# Boolean entropy coder (RFC 6386 section 7)
# ---------------------------------------------------------------------------

class BoolEncoder:
    """Boolean arithmetic encoder.

    The coded number is kept exactly as one Python integer: `low` is the left
    end of the current interval, measured in units of 2**-(8 + shifts), and
    `rng` its width (kept in 128..255 by renormalisation).  Carries simply
    propagate inside the integer, so no byte-level carry handling is needed.
    """

    def __init__(self):
        self.low = 0
        self.rng = 255
        self.shifts = 0
        self.count = 0          # number of bools written (statistics)

    def put(self, prob, bit):
        assert 0 <= prob <= 255
        split = 1 + (((self.rng - 1) * prob) >> 8)
        if bit:
            self.low += split
            self.rng -= split
        else:
            self.rng = split
        if self.rng < 128:
            n = 8 - self.rng.bit_length()
            self.rng <<= n
            self.low <<= n
            self.shifts += n
        self.count += 1

    def put_flag(self, bit):
        self.put(128, 1 if bit else 0)

    def put_literal(self, nbits, value):
        assert 0 <= value < (1 << nbits), (nbits, value)
        for i in range(nbits - 1, -1, -1):
            self.put(128, (value >> i) & 1)

    def put_signed(self, nbits, value):
        """magnitude L(nbits) followed by a sign flag (header deltas)."""
        self.put_literal(nbits, abs(value))
        self.put_flag(value < 0)

    def finish(self):
        """Return the coded bytes: the value `low` written MSB first with
        enough zero padding that a decoder never runs off the end."""
        nbits = 8 + self.shifts
        nbytes = (nbits + 7) // 8 + 2
        return (self.low << (nbytes * 8 - nbits)).to_bytes(nbytes, 'big')


class BoolDecoder:
    """Boolean arithmetic decoder (bit-serial formulation of RFC 7.3)."""

    def __init__(self, data):
        self.data = bytes(data)
        self.nbits = len(self.data) * 8
        self.pos = 0
        self.rng = 255
        self.val = 0
        for _ in range(8):
            self.val = (self.val << 1) | self._bit()

    def _bit(self):
        p = self.pos
        self.pos = p + 1
        if p >= self.nbits:
            return 0
        return (self.data[p >> 3] >> (7 - (p & 7))) & 1

    def get(self, prob):
        split = 1 + (((self.rng - 1) * prob) >> 8)
        if self.val >= split:
            self.val -= split
            self.rng -= split
            bit = 1
        else:
            self.rng = split
            bit = 0
        while self.rng < 128:
            self.rng <<= 1
            self.val = (self.val << 1) | self._bit()
        return bit

    def get_flag(self):
        return self.get(128)

    def get_literal(self, nbits):
        v = 0
        for _ in range(nbits):
            v = (v << 1) | self.get(128)
        return v

    def get_signed(self, nbits):
        v = self.get_literal(nbits)
        return -v if self.get(128) else v

    def overrun_bits(self):
        """bits consumed beyond the end of the data (8 are always pending)."""
        return max(0, self.pos - 8 - self.nbits)


# ---------------------------------------------------------------------------
# Tree coding (RFC 6386 section 8.1)
# ---------------------------------------------------------------------------

_PATH_CACHE = {}


def tree_paths(tree):
    """map leaf value -> list of (node index, branch bit) from the root."""
    key = id(tree)
    if key in _PATH_CACHE:
        return _PATH_CACHE[key]
    paths = {}

    def walk(node, prefix):
        for bit in (0, 1):
            nxt = tree[node + bit]
            step = prefix + [(node, bit)]
            if nxt > 0:
                walk(nxt, step)
            else:
                paths[-nxt] = step
    walk(0, [])
    _PATH_CACHE[key] = paths
    return paths


def write_tree(enc, tree, probs, value, start=0):
    path = tree_paths(tree)[value]
    if start:
        # drop the steps above the starting node
        while path and path[0][0] != start:
            path = path[1:]
        assert path, 'value not reachable from start node'
    for node, bit in path:
        enc.put(probs[node >> 1], bit)


def read_tree(dec, tree, probs, start=0):
    node = start
    while True:
        nxt = tree[node + dec.get(probs[node >> 1])]
        if nxt <= 0:
            return -nxt
        node = nxt


# ---------------------------------------------------------------------------
# IVF container
# ---------------------------------------------------------------------------

def ivf_bytes(width, height, frames, rate=30, scale=1):
    return ivf.write(width, height, frames, rate, scale)


def ivf_read(path):
    hdr, frames = ivf.read(path, truncated_ok=True)
    return (hdr['width'], hdr['height']), [data for _, data in frames]


# ---------------------------------------------------------------------------
# Frame header description and persistent codec state
# ---------------------------------------------------------------------------

class FrameHeader:
    """Every field of the uncompressed chunk and of the frame header.

    None for an optional item means "not transmitted".  Probabilities left at
    None ('auto') are derived by the writer from the macroblock data."""

    DEFAULTS = dict(
        key_frame=False, version=0, show_frame=True,
        width=None, height=None, hscale=0, vscale=0,
        color_space=0, clamping_type=0,
        segmentation_enabled=False, update_mb_segmentation_map=False,
        update_segment_feature_data=False, segment_feature_mode=0,
        segment_quant=None, segment_lf=None, segment_probs='auto',
        filter_type=0, loop_filter_level=0, sharpness=0,
        lf_adj_enable=False, lf_delta_update=False,
        ref_lf_deltas=None, mode_lf_deltas=None,
        log2_partitions=0,
        q_index=40, ydc_delta=None, y2dc_delta=None, y2ac_delta=None,
        uvdc_delta=None, uvac_delta=None,
        refresh_golden=False, refresh_alt=False, copy_to_golden=0,
        copy_to_alt=0, sign_bias_golden=0, sign_bias_alt=0,
        refresh_entropy=True, refresh_last=True,
        coef_updates=None,
        mb_no_coeff_skip=True, prob_skip_false='auto',
        prob_intra='auto', prob_last='auto', prob_gf='auto',
        ymode_probs=None, uvmode_probs=None,
        mv_prob_updates=None,
    )

    def __init__(self, **kw):
        for k, v in self.DEFAULTS.items():
            setattr(self, k, v)
        for k, v in kw.items():
            if k not in self.DEFAULTS:
                raise KeyError('unknown header field %s' % k)
            setattr(self, k, v)
        if self.segment_quant is None:
            self.segment_quant = [None] * 4
        if self.segment_lf is None:
            self.segment_lf = [None] * 4
        if self.ref_lf_deltas is None:
            self.ref_lf_deltas = [None] * 4
        if self.mode_lf_deltas is None:
            self.mode_lf_deltas = [None] * 4
        if self.coef_updates is None:
            self.coef_updates = {}
        if self.mv_prob_updates is None:
            self.mv_prob_updates = {}

    def copy(self):
        h = FrameHeader()
        for k in self.DEFAULTS:
            v = getattr(self, k)
            if isinstance(v, list):
                v = list(v)
            elif isinstance(v, dict):
                v = dict(v)
            setattr(h, k, v)
        return h


def deep_copy_probs(p):
    if isinstance(p, list):
        return [deep_copy_probs(x) for x in p]
    return p


# Deliberate decoder mistakes, used only by the model decoder to show that a
# stream is sensitive to a feature (see ModelDecoder and 'verify').
FAULTS = set()


class CodecState:
    """State that persists from frame to frame (identical in the writer and
    the model decoder)."""

    def __init__(self):
        self.width = self.height = 0
        self.mbw = self.mbh = 0
        self.seg_map = []
        self.reset_key()

    def reset_key(self):
        self.coef_probs = deep_copy_probs(DEFAULT_COEFF_PROBS)
        self.ymode_probs = list(DEFAULT_YMODE_PROBS)
        self.uvmode_probs = list(DEFAULT_UV_MODE_PROBS)
        self.mv_probs = deep_copy_probs(DEFAULT_MV_PROBS)
        if 'no_key_seg_data_reset' not in FAULTS or not hasattr(self,
                                                                 'seg_abs'):
            self.seg_abs = 0
            self.seg_quant = [0] * 4
            self.seg_lf = [0] * 4
        if 'no_key_lf_delta_reset' not in FAULTS or not hasattr(
                self, 'ref_lf_deltas'):
            self.ref_lf_deltas = [0] * 4
            self.mode_lf_deltas = [0] * 4
        self.saved = None

    def set_size(self, w, h):
        if (w, h) != (self.width, self.height):
            self.width, self.height = w, h
            self.mbw = (w + 15) >> 4
            self.mbh = (h + 15) >> 4
            self.seg_map = [0] * (self.mbw * self.mbh)

    def save_entropy(self):
        self.saved = (deep_copy_probs(self.coef_probs), list(self.ymode_probs),
                      list(self.uvmode_probs), deep_copy_probs(self.mv_probs))

    def restore_entropy(self):
        (self.coef_probs, self.ymode_probs, self.uvmode_probs,
         self.mv_probs) = self.saved
        self.saved = None

    def apply_segment_and_lf(self, hdr):
        if hdr.segmentation_enabled and hdr.update_segment_feature_data:
            self.seg_abs = hdr.segment_feature_mode
            self.seg_quant = [v or 0 for v in hdr.segment_quant]
            self.seg_lf = [v or 0 for v in hdr.segment_lf]
        if hdr.lf_adj_enable and hdr.lf_delta_update:
            for i in range(4):
                if hdr.ref_lf_deltas[i] is not None:
                    self.ref_lf_deltas[i] = hdr.ref_lf_deltas[i]
                if hdr.mode_lf_deltas[i] is not None:
                    self.mode_lf_deltas[i] = hdr.mode_lf_deltas[i]


# ---------------------------------------------------------------------------
# Macroblock mode information and the shared context derivations
# ---------------------------------------------------------------------------

class MBInfo:
    """Decoded/chosen prediction data of one macroblock."""
    __slots__ = ('segment', 'skip', 'ref', 'ymode', 'bmodes', 'uvmode',
                 'mv', 'sub_mvs', 'part', 'sub_modes', 'coeffs', 'has_coeffs',
                 'nonzero_blocks')

    def __init__(self):
        self.segment = 0
        self.skip = False
        self.ref = INTRA_FRAME
        self.ymode = DC_PRED
        self.bmodes = None
        self.uvmode = DC_PRED
        self.mv = (0, 0)
        self.sub_mvs = None
        self.part = None
        self.sub_modes = None
        self.coeffs = None
        self.has_coeffs = False
        self.nonzero_blocks = 0

    @property
    def has_y2(self):
        return self.ymode not in (B_PRED, MV_SPLIT)

    def block_mv(self, b):
        """MV of luma subblock b as seen by neighbouring split contexts."""
        if self.ref == INTRA_FRAME:
            return (0, 0)
        if self.ymode == MV_SPLIT:
            return self.sub_mvs[b]
        return self.mv


def implied_bmode(info):
    """subblock mode implied by a 16x16 mode for key-frame contexts."""
    return {DC_PRED: B_DC_PRED, V_PRED: B_VE_PRED, H_PRED: B_HE_PRED,
            TM_PRED: B_TM_PRED}[info.ymode]


def kf_bmode_context(grid, r, c, bmodes_so_far, b):
    """(above, left) subblock modes for subblock b of MB (r, c) in a key frame."""
    if b >= 4:
        above = bmodes_so_far[b - 4]
    elif r == 0:
        above = B_DC_PRED
    else:
        a = grid[r - 1][c]
        above = a.bmodes[b + 12] if a.ymode == B_PRED else implied_bmode(a)
    if b & 3:
        left = bmodes_so_far[b - 1]
    elif c == 0:
        left = B_DC_PRED
    else:
        lm = grid[r][c - 1]
        left = lm.bmodes[b + 3] if lm.ymode == B_PRED else implied_bmode(lm)
    return above, left


def clamp_mv_to_frame(mv, r, c, mbw, mbh):
    """RFC 16.3 vp8_clamp_mv: keep a predicted vector within 16 pixels
    (64 quarter pels) outside the frame.  mv in quarter pels."""
    if 'no_near_clamp' in FAULTS:
        return mv
    lo_c = -(c * 16 + 16) * 4
    hi_c = ((mbw - 1 - c) * 16 + 16) * 4
    lo_r = -(r * 16 + 16) * 4
    hi_r = ((mbh - 1 - r) * 16 + 16) * 4
    row, col = mv
    col = min(max(col, lo_c), hi_c)
    row = min(max(row, lo_r), hi_r)
    return (row, col)


def find_near_mvs(grid, r, c, ref, sign_bias, mbw, mbh):
    """RFC 16.3.  Returns (best, nearest, near, probs) with the three vectors
    already clamped and probs the 4 mv_ref tree probabilities."""
    neigh = []
    if r > 0:
        neigh.append((grid[r - 1][c], 2))
    else:
        neigh.append((None, 2))
    if c > 0:
        neigh.append((grid[r][c - 1], 2))
    else:
        neigh.append((None, 2))
    if r > 0 and c > 0:
        neigh.append((grid[r - 1][c - 1], 1))
    else:
        neigh.append((None, 1))

    mvs = [(0, 0)]          # slot 0 unused ("zero" slot)
    cnt = [0, 0, 0, 0]
    for idx, (m, weight) in enumerate(neigh):
        if m is None or m.ref == INTRA_FRAME:
            continue
        if m.mv == (0, 0):
            cnt[0] += weight
            continue
        v = m.mv
        if sign_bias[m.ref] != sign_bias[ref] and 'no_sign_bias' not in FAULTS:
            v = (-v[0], -v[1])
        if idx == 0:
            mvs.append(v)
            cnt[1] += weight
        elif v == mvs[-1]:
            cnt[len(mvs) - 1] += weight
        else:
            mvs.append(v)
            cnt[len(mvs) - 1] += weight
    while len(mvs) < 4:
        mvs.append((0, 0))
    # three distinct vectors: merge above-left into nearest if equal
    if cnt[3] and mvs[3] == mvs[1]:
        cnt[1] += 1
    split_cnt = 0
    for m, weight in neigh:
        if m is not None and m.ref != INTRA_FRAME and m.ymode == MV_SPLIT:
            split_cnt += weight
    cnt[3] = split_cnt
    if cnt[2] > cnt[1]:
        cnt[1], cnt[2] = cnt[2], cnt[1]
        mvs[1], mvs[2] = mvs[2], mvs[1]
    best = mvs[1] if cnt[1] >= cnt[0] else (0, 0)
    probs = [MODE_CONTEXTS[cnt[i]][i] for i in range(4)]
    return (clamp_mv_to_frame(best, r, c, mbw, mbh),
            clamp_mv_to_frame(mvs[1], r, c, mbw, mbh),
            clamp_mv_to_frame(mvs[2], r, c, mbw, mbh), probs)


def split_neighbour_mvs(grid, r, c, cur_sub_mvs, k):
    """(left, above) vectors of luma subblock k for the split-mode contexts.
    Vectors outside the frame or of intra macroblocks are zero."""
    if k & 3:
        left = cur_sub_mvs[k - 1]
    elif c == 0:
        left = (0, 0)
    else:
        left = grid[r][c - 1].block_mv(k + 3)
    if k >= 4:
        above = cur_sub_mvs[k - 4]
    elif r == 0:
        above = (0, 0)
    else:
        above = grid[r - 1][c].block_mv(k + 12)
    return left, above


def sub_mv_context(left, above):
    if left == above:
        return 4 if left == (0, 0) else 3
    if above == (0, 0):
        return 2
    if left == (0, 0):
        return 1
    return 0


class TokenContext:
    """'has nonzero coefficients' flags of the blocks above and to the left
    (RFC 13.3), for Y (4 per MB), U, V (2 each) and Y2 (1)."""

    def __init__(self, mbw):
        self.above = {'y': [0] * (4 * mbw), 'u': [0] * (2 * mbw),
                      'v': [0] * (2 * mbw), 'y2': [0] * mbw}
        self.new_row()

    def new_row(self):
        self.left = {'y': [0] * 4, 'u': [0] * 2, 'v': [0] * 2, 'y2': [0]}

    @staticmethod
    def slot(b, c):
        """plane key and (above index, left index) of block b in MB column c."""
        if b < 16:
            return 'y', 4 * c + (b & 3), b >> 2
        if b < 20:
            i = b - 16
            return 'u', 2 * c + (i & 1), i >> 1
        if b < 24:
            i = b - 20
            return 'v', 2 * c + (i & 1), i >> 1
        return 'y2', c, 0

    def get(self, b, c):
        pl, a, l = self.slot(b, c)
        return self.above[pl][a] + self.left[pl][l]

    def set(self, b, c, flag):
        pl, a, l = self.slot(b, c)
        self.above[pl][a] = flag
        self.left[pl][l] = flag

    def clear_skipped(self, c, has_y2):
        for b in range(24):
            self.set(b, c, 0)
        if has_y2:
            self.set(24, c, 0)


def mb_blocks(info):
    """(block index, block type, first coefficient) in coding order."""
    out = []
    if info.has_y2:
        out.append((24, BT_Y2, 0))
        ytype, first = BT_Y_AFTER_Y2, 1
    else:
        ytype, first = BT_Y_WITH_DC, 0
    for b in range(16):
        out.append((b, ytype, first))
    for b in range(16, 24):
        out.append((b, BT_UV, 0))
    return out


# ---------------------------------------------------------------------------
# Frame writer
# ---------------------------------------------------------------------------

def token_of(a):
    if a <= 4:
        return a            # DCT_0 .. DCT_4 have values 0..4
    for tok in (DCT_CAT1, DCT_CAT2, DCT_CAT3, DCT_CAT4, DCT_CAT5, DCT_CAT6):
        top = CAT_BASE[tok] + (1 << len(CAT_PROBS[tok])) - 1
        if a <= top:
            return tok
    raise ValueError('coefficient magnitude %d too large' % a)


def write_block_tokens(e, probs, btype, ctx, zz, first, stats=None):
    """Write one block's tokens; returns 1 if it has a nonzero coefficient."""
    last = -1
    for i in range(15, first - 1, -1):
        if zz[i]:
            last = i
            break
    prev_zero = False
    for i in range(first, 16):
        p = probs[btype][COEFF_BANDS[i]][ctx]
        if i > last:
            write_tree(e, COEFF_TREE, p, DCT_EOB)
            if stats is not None:
                stats[DCT_EOB] = stats.get(DCT_EOB, 0) + 1
            break
        v = zz[i]
        a = abs(v)
        tok = token_of(a)
        write_tree(e, COEFF_TREE, p, tok, start=2 if prev_zero else 0)
        if stats is not None:
            stats[tok] = stats.get(tok, 0) + 1
        if tok >= DCT_CAT1:
            extra = a - CAT_BASE[tok]
            cp = CAT_PROBS[tok]
            for k, pr in enumerate(cp):
                e.put(pr, (extra >> (len(cp) - 1 - k)) & 1)
        if a:
            e.put_flag(v < 0)
        ctx = 0 if a == 0 else (1 if a == 1 else 2)
        prev_zero = (a == 0)
    return 1 if last >= first else 0


def write_mv_component(e, v, p):
    a = abs(v)
    assert a <= 1023, 'MV component %d out of range' % v
    if a < 8:
        e.put(p[MVP_IS_SHORT], 0)
        write_tree(e, SMALL_MV_TREE, p[MVP_SHORT:MVP_SHORT + 7], a)
    else:
        e.put(p[MVP_IS_SHORT], 1)
        for i in range(3):
            e.put(p[MVP_BITS + i], (a >> i) & 1)
        for i in range(MV_LONG_BITS - 1, 3, -1):
            e.put(p[MVP_BITS + i], (a >> i) & 1)
        if a & 0xFFF0:
            e.put(p[MVP_BITS + 3], (a >> 3) & 1)
    if a:
        e.put(p[MVP_SIGN], 1 if v < 0 else 0)


def write_mv(e, mv, mv_probs):
    write_mv_component(e, mv[0], mv_probs[0])
    write_mv_component(e, mv[1], mv_probs[1])


def prob_from_counts(n0, n):
    if n == 0:
        return 128
    return min(255, max(1, (256 * n0 + n // 2) // n))


def segment_tree_probs(ids):
    n01 = sum(1 for s in ids if s < 2)
    n0 = sum(1 for s in ids if s == 0)
    n2 = sum(1 for s in ids if s == 2)
    return [prob_from_counts(n01, len(ids)), prob_from_counts(n0, n01),
            prob_from_counts(n2, len(ids) - n01)]


def frame_tag(key, version, show, first_size):
    assert first_size < (1 << 19)
    v = (0 if key else 1) | (version << 1) | ((1 if show else 0) << 4) | \
        (first_size << 5)
    return bytes([v & 255, (v >> 8) & 255, (v >> 16) & 255])


def write_header(e, hdr, st):
    """Frame header bits (RFC 19.2); updates the persistent state exactly
    as a decoder does while reading them."""
    if hdr.key_frame:
        e.put_flag(hdr.color_space)
        e.put_flag(hdr.clamping_type)
    e.put_flag(hdr.segmentation_enabled)
    if hdr.segmentation_enabled:
        e.put_flag(hdr.update_mb_segmentation_map)
        e.put_flag(hdr.update_segment_feature_data)
        if hdr.update_segment_feature_data:
            e.put_flag(hdr.segment_feature_mode)
            for vals, nbits in ((hdr.segment_quant, 7), (hdr.segment_lf, 6)):
                for v in vals:
                    e.put_flag(v is not None)
                    if v is not None:
                        e.put_signed(nbits, v)
        if hdr.update_mb_segmentation_map:
            for p in hdr.segment_probs:
                e.put_flag(p is not None)
                if p is not None:
                    e.put_literal(8, p)
    e.put_flag(hdr.filter_type)
    e.put_literal(6, hdr.loop_filter_level)
    e.put_literal(3, hdr.sharpness)
    e.put_flag(hdr.lf_adj_enable)
    if hdr.lf_adj_enable:
        e.put_flag(hdr.lf_delta_update)
        if hdr.lf_delta_update:
            for v in hdr.ref_lf_deltas + hdr.mode_lf_deltas:
                e.put_flag(v is not None)
                if v is not None:
                    e.put_signed(6, v)
    st.apply_segment_and_lf(hdr)
    e.put_literal(2, hdr.log2_partitions)
    e.put_literal(7, hdr.q_index)
    for d in (hdr.ydc_delta, hdr.y2dc_delta, hdr.y2ac_delta, hdr.uvdc_delta,
              hdr.uvac_delta):
        e.put_flag(d is not None)
        if d is not None:
            e.put_signed(4, d)
    if hdr.key_frame:
        e.put_flag(hdr.refresh_entropy)
    else:
        e.put_flag(hdr.refresh_golden)
        e.put_flag(hdr.refresh_alt)
        if not hdr.refresh_golden:
            e.put_literal(2, hdr.copy_to_golden)
        if not hdr.refresh_alt:
            e.put_literal(2, hdr.copy_to_alt)
        e.put_flag(hdr.sign_bias_golden)
        e.put_flag(hdr.sign_bias_alt)
        e.put_flag(hdr.refresh_entropy)
        e.put_flag(hdr.refresh_last)
    if not hdr.refresh_entropy:
        st.save_entropy()
    for i in range(4):
        for j in range(8):
            for k in range(3):
                for l in range(11):
                    newp = hdr.coef_updates.get((i, j, k, l))
                    e.put(COEFF_UPDATE_PROBS[i][j][k][l], newp is not None)
                    if newp is not None:
                        e.put_literal(8, newp)
                        st.coef_probs[i][j][k][l] = newp
    e.put_flag(hdr.mb_no_coeff_skip)
    if hdr.mb_no_coeff_skip:
        e.put_literal(8, hdr.prob_skip_false)
    if not hdr.key_frame:
        e.put_literal(8, hdr.prob_intra)
        e.put_literal(8, hdr.prob_last)
        e.put_literal(8, hdr.prob_gf)
        e.put_flag(hdr.ymode_probs is not None)
        if hdr.ymode_probs is not None:
            for p in hdr.ymode_probs:
                e.put_literal(8, p)
            st.ymode_probs = list(hdr.ymode_probs)
        e.put_flag(hdr.uvmode_probs is not None)
        if hdr.uvmode_probs is not None:
            for p in hdr.uvmode_probs:
                e.put_literal(8, p)
            st.uvmode_probs = list(hdr.uvmode_probs)
        for comp in range(2):
            for idx in range(MVP_COUNT):
                x = hdr.mv_prob_updates.get((comp, idx))
                e.put(MV_UPDATE_PROBS[comp][idx], x is not None)
                if x is not None:
                    e.put_literal(7, x)
                    st.mv_probs[comp][idx] = (x << 1) if x else 1


class FrameWriter:
    """Turns (FrameHeader, macroblock specs) into VP8 frames.

    Macroblock spec (dict), raster order:
      common : 'seg' segment id (used when the map is updated),
               'skip' None (auto) / True / False,
               'coeffs' {block: 16 ints in zig-zag order}; blocks 0-15 Y,
               16-19 U, 20-23 V, 24 Y2 (Y blocks of Y2 macroblocks start
               at position 1).
      intra  : 'y' DC_PRED..B_PRED, 'b' 16 subblock modes (B_PRED), 'uv'.
      inter  : 'ref' LAST/GOLDEN/ALTREF_FRAME, 'mode' one of
               'zero' 'nearest' 'near' 'new' 'split'; 'mv' (row, col) in
               quarter pels = the wanted absolute vector for 'new';
               'part' SPLIT_*, 'subs' [(sub mode, mv or None)] per subset.
    """

    def __init__(self):
        self.state = CodecState()
        self.last_stats = None

    def encode(self, hdr, specs):
        st = self.state
        hdr = hdr.copy()
        if hdr.key_frame:
            st.set_size(hdr.width, hdr.height)
            st.reset_key()
        mbw, mbh = st.mbw, st.mbh
        if len(specs) != mbw * mbh:
            raise ValueError('need %d macroblock specs, got %d' %
                             (mbw * mbh, len(specs)))

        # --- segment ids ---------------------------------------------------
        upd_map = hdr.segmentation_enabled and hdr.update_mb_segmentation_map
        if upd_map:
            for i, s in enumerate(specs):
                st.seg_map[i] = s.get('seg', 0)
        elif hdr.key_frame:
            st.seg_map = [0] * (mbw * mbh)

        # --- static per-MB data ----------------------------------------------
        infos = []
        for i, s in enumerate(specs):
            info = MBInfo()
            info.segment = st.seg_map[i]
            if 'ref' in s and s['ref'] != INTRA_FRAME:
                if hdr.key_frame:
                    raise ValueError('inter macroblock in a key frame')
                info.ref = s['ref']
                info.ymode = MODE_BY_NAME[s['mode']]
            else:
                info.ref = INTRA_FRAME
                info.ymode = s.get('y', DC_PRED)
                info.bmodes = list(s['b']) if info.ymode == B_PRED else None
                info.uvmode = s.get('uv', DC_PRED)
            coeffs = {}
            for b, zz in s.get('coeffs', {}).items():
                zz = list(zz) + [0] * (16 - len(zz))
                if b < 16 and info.has_y2:
                    zz[0] = 0
                if b == 24 and not info.has_y2:
                    continue
                if any(zz):
                    coeffs[b] = zz
            info.coeffs = coeffs
            info.has_coeffs = bool(coeffs)
            if hdr.mb_no_coeff_skip:
                sk = s.get('skip')
                if sk is None:
                    sk = not info.has_coeffs
                if sk and info.has_coeffs:
                    raise ValueError('skip requested for MB with coefficients')
                info.skip = bool(sk)
            else:
                info.skip = False
            infos.append(info)

        # --- automatic probabilities -------------------------------------------
        n = len(infos)
        if hdr.prob_skip_false == 'auto':
            hdr.prob_skip_false = prob_from_counts(
                sum(1 for x in infos if not x.skip), n)
        inter = [x for x in infos if x.ref != INTRA_FRAME]
        if hdr.prob_intra == 'auto':
            hdr.prob_intra = prob_from_counts(n - len(inter), n)
        gold_alt = [x for x in inter if x.ref != LAST_FRAME]
        if hdr.prob_last == 'auto':
            hdr.prob_last = prob_from_counts(len(inter) - len(gold_alt),
                                             len(inter))
        if hdr.prob_gf == 'auto':
            hdr.prob_gf = prob_from_counts(
                sum(1 for x in gold_alt if x.ref == GOLDEN_FRAME),
                len(gold_alt))
        if upd_map and hdr.segment_probs == 'auto':
            hdr.segment_probs = segment_tree_probs(st.seg_map)
        seg_probs = [255 if p is None else p for p in hdr.segment_probs] \
            if upd_map else None

        # --- first partition -------------------------------------------------
        e = BoolEncoder()
        write_header(e, hdr, st)
        sign_bias = [0, 0, hdr.sign_bias_golden, hdr.sign_bias_alt]
        grid = [[None] * mbw for _ in range(mbh)]
        for r in range(mbh):
            for c in range(mbw):
                info = infos[r * mbw + c]
                spec = specs[r * mbw + c]
                if upd_map:
                    write_tree(e, SEGMENT_TREE, seg_probs, info.segment)
                if hdr.mb_no_coeff_skip:
                    e.put(hdr.prob_skip_false, info.skip)
                if hdr.key_frame:
                    self._write_kf_modes(e, grid, r, c, info)
                else:
                    e.put(hdr.prob_intra, info.ref != INTRA_FRAME)
                    if info.ref == INTRA_FRAME:
                        write_tree(e, YMODE_TREE, st.ymode_probs, info.ymode)
                        if info.ymode == B_PRED:
                            for b in range(16):
                                write_tree(e, BMODE_TREE, INTER_BMODE_PROBS,
                                           info.bmodes[b])
                        write_tree(e, UV_MODE_TREE, st.uvmode_probs,
                                   info.uvmode)
                    else:
                        self._write_inter_modes(e, hdr, st, grid, r, c, info,
                                                spec, sign_bias)
                grid[r][c] = info
        first = e.finish()

        # --- token partitions ---------------------------------------------------
        nparts = 1 << hdr.log2_partitions
        parts = [BoolEncoder() for _ in range(nparts)]
        tctx = TokenContext(mbw)
        tok_stats = {}
        for r in range(mbh):
            tctx.new_row()
            pe = parts[r % nparts]
            for c in range(mbw):
                info = grid[r][c]
                if info.skip:
                    tctx.clear_skipped(c, info.has_y2)
                    continue
                for b, btype, fst in mb_blocks(info):
                    zz = info.coeffs.get(b, [0] * 16)
                    nz = write_block_tokens(pe, st.coef_probs, btype,
                                            tctx.get(b, c), zz, fst, tok_stats)
                    tctx.set(b, c, nz)
        part_bytes = [p.finish() for p in parts]
        if not hdr.refresh_entropy:
            st.restore_entropy()

        out = bytearray(frame_tag(hdr.key_frame, hdr.version, hdr.show_frame,
                                  len(first)))
        if hdr.key_frame:
            out += bytes([0x9d, 0x01, 0x2a])
            out += struct.pack('<HH', hdr.width | (hdr.hscale << 14),
                               hdr.height | (hdr.vscale << 14))
        out += first
        for pb in part_bytes[:-1]:
            out += struct.pack('<I', len(pb))[:3]
        for pb in part_bytes:
            out += pb
        self.last_stats = {'tokens': tok_stats}
        return bytes(out), hdr, grid

    @staticmethod
    def _write_kf_modes(e, grid, r, c, info):
        write_tree(e, KF_YMODE_TREE, KF_YMODE_PROBS, info.ymode)
        if info.ymode == B_PRED:
            for b in range(16):
                a, l = kf_bmode_context(grid, r, c, info.bmodes, b)
                write_tree(e, BMODE_TREE, KF_BMODE_PROBS[a][l], info.bmodes[b])
        write_tree(e, UV_MODE_TREE, KF_UV_MODE_PROBS, info.uvmode)

    @staticmethod
    def _write_inter_modes(e, hdr, st, grid, r, c, info, spec, sign_bias):
        e.put(hdr.prob_last, info.ref != LAST_FRAME)
        if info.ref != LAST_FRAME:
            e.put(hdr.prob_gf, info.ref == ALTREF_FRAME)
        best, nearest, near, probs = find_near_mvs(
            grid, r, c, info.ref, sign_bias, st.mbw, st.mbh)
        write_tree(e, MV_REF_TREE, probs, info.ymode)
        if info.ymode == MV_NEAREST:
            info.mv = nearest
        elif info.ymode == MV_NEAR:
            info.mv = near
        elif info.ymode == MV_ZERO:
            info.mv = (0, 0)
        elif info.ymode == MV_NEW:
            target = tuple(spec['mv'])
            write_mv(e, (target[0] - best[0], target[1] - best[1]), st.mv_probs)
            info.mv = target
        else:
            part = spec['part']
            subs = spec['subs']
            assert len(subs) == SPLIT_COUNTS[part]
            write_tree(e, SPLIT_TREE, SPLIT_PROBS, part)
            smap = SPLIT_MAPS[part]
            sub_mvs = [None] * 16
            modes = []
            for j, (sname, target) in enumerate(subs):
                k = smap.index(j)
                left, above = split_neighbour_mvs(grid, r, c, sub_mvs, k)
                sm = SUB_BY_NAME[sname]
                write_tree(e, SUB_MV_REF_TREE,
                           SUB_MV_REF_PROBS[sub_mv_context(left, above)], sm)
                if sm == SUB_LEFT:
                    mv = left
                elif sm == SUB_ABOVE:
                    mv = above
                elif sm == SUB_ZERO:
                    mv = (0, 0)
                else:
                    mv = tuple(target)
                    write_mv(e, (mv[0] - best[0], mv[1] - best[1]),
                             st.mv_probs)
                modes.append(sm)
                for b in range(16):
                    if smap[b] == j:
                        sub_mvs[b] = mv
            info.part = part
            info.sub_mvs = sub_mvs
            info.sub_modes = modes
            info.mv = sub_mvs[15]


# ---------------------------------------------------------------------------
# Model decoder: parser
# ---------------------------------------------------------------------------

class ParseError(Exception):
    pass


def read_header(d, hdr, st):
    """Counterpart of write_header (fills hdr, updates st)."""
    if hdr.key_frame:
        hdr.color_space = d.get_flag()
        hdr.clamping_type = d.get_flag()
    hdr.segmentation_enabled = d.get_flag()
    hdr.update_mb_segmentation_map = 0
    hdr.update_segment_feature_data = 0
    if hdr.segmentation_enabled:
        hdr.update_mb_segmentation_map = d.get_flag()
        hdr.update_segment_feature_data = d.get_flag()
        if hdr.update_segment_feature_data:
            hdr.segment_feature_mode = d.get_flag()
            hdr.segment_quant = [d.get_signed(7) if d.get_flag() else None
                                 for _ in range(4)]
            hdr.segment_lf = [d.get_signed(6) if d.get_flag() else None
                              for _ in range(4)]
        if hdr.update_mb_segmentation_map:
            hdr.segment_probs = [d.get_literal(8) if d.get_flag() else None
                                 for _ in range(3)]
    hdr.filter_type = d.get_flag()
    hdr.loop_filter_level = d.get_literal(6)
    hdr.sharpness = d.get_literal(3)
    hdr.lf_adj_enable = d.get_flag()
    if hdr.lf_adj_enable:
        hdr.lf_delta_update = d.get_flag()
        if hdr.lf_delta_update:
            vals = [d.get_signed(6) if d.get_flag() else None
                    for _ in range(8)]
            hdr.ref_lf_deltas, hdr.mode_lf_deltas = vals[:4], vals[4:]
    st.apply_segment_and_lf(hdr)
    hdr.log2_partitions = d.get_literal(2)
    hdr.q_index = d.get_literal(7)
    deltas = [d.get_signed(4) if d.get_flag() else None for _ in range(5)]
    (hdr.ydc_delta, hdr.y2dc_delta, hdr.y2ac_delta, hdr.uvdc_delta,
     hdr.uvac_delta) = deltas
    if hdr.key_frame:
        hdr.refresh_entropy = d.get_flag()
        hdr.refresh_golden = hdr.refresh_alt = hdr.refresh_last = 1
    else:
        hdr.refresh_golden = d.get_flag()
        hdr.refresh_alt = d.get_flag()
        hdr.copy_to_golden = 0 if hdr.refresh_golden else d.get_literal(2)
        hdr.copy_to_alt = 0 if hdr.refresh_alt else d.get_literal(2)
        hdr.sign_bias_golden = d.get_flag()
        hdr.sign_bias_alt = d.get_flag()
        hdr.refresh_entropy = d.get_flag()
        hdr.refresh_last = d.get_flag()
    if not hdr.refresh_entropy:
        st.save_entropy()
    hdr.coef_updates = {}
    for i in range(4):
        for j in range(8):
            for k in range(3):
                for l in range(11):
                    if d.get(COEFF_UPDATE_PROBS[i][j][k][l]):
                        v = d.get_literal(8)
                        hdr.coef_updates[(i, j, k, l)] = v
                        st.coef_probs[i][j][k][l] = v
    hdr.mb_no_coeff_skip = d.get_flag()
    hdr.prob_skip_false = d.get_literal(8) if hdr.mb_no_coeff_skip else None
    if not hdr.key_frame:
        hdr.prob_intra = d.get_literal(8)
        hdr.prob_last = d.get_literal(8)
        hdr.prob_gf = d.get_literal(8)
        hdr.ymode_probs = None
        if d.get_flag():
            hdr.ymode_probs = [d.get_literal(8) for _ in range(4)]
            st.ymode_probs = list(hdr.ymode_probs)
        hdr.uvmode_probs = None
        if d.get_flag():
            hdr.uvmode_probs = [d.get_literal(8) for _ in range(3)]
            st.uvmode_probs = list(hdr.uvmode_probs)
        hdr.mv_prob_updates = {}
        for comp in range(2):
            for idx in range(MVP_COUNT):
                if d.get(MV_UPDATE_PROBS[comp][idx]):
                    x = d.get_literal(7)
                    hdr.mv_prob_updates[(comp, idx)] = x
                    st.mv_probs[comp][idx] = (x << 1) if x else 1


def read_mv_component(d, p):
    if d.get(p[MVP_IS_SHORT]):
        a = 0
        for i in range(3):
            a += d.get(p[MVP_BITS + i]) << i
        for i in range(MV_LONG_BITS - 1, 3, -1):
            a += d.get(p[MVP_BITS + i]) << i
        if not (a & 0xFFF0) or d.get(p[MVP_BITS + 3]):
            a += 8
    else:
        a = read_tree(d, SMALL_MV_TREE, p[MVP_SHORT:MVP_SHORT + 7])
    if a and d.get(p[MVP_SIGN]):
        a = -a
    return a


def read_mv(d, mv_probs):
    row = read_mv_component(d, mv_probs[0])
    col = read_mv_component(d, mv_probs[1])
    return (row, col)


def read_block_tokens(d, probs, btype, ctx, first, stats=None):
    zz = [0] * 16
    i = first
    prev_zero = False
    while i < 16:
        p = probs[btype][COEFF_BANDS[i]][ctx]
        tok = read_tree(d, COEFF_TREE, p, start=2 if prev_zero else 0)
        if stats is not None:
            stats[tok] = stats.get(tok, 0) + 1
        if tok == DCT_EOB:
            break
        if tok >= DCT_CAT1:
            extra = 0
            for pr in CAT_PROBS[tok]:
                extra = (extra << 1) | d.get(pr)
            a = CAT_BASE[tok] + extra
        else:
            a = tok
        if a and d.get_flag():
            zz[i] = -a
        else:
            zz[i] = a
        ctx = 0 if a == 0 else (1 if a == 1 else 2)
        prev_zero = (a == 0)
        i += 1
    nonzero = 1 if any(zz[first:]) else 0
    # a run of zero tokens up to position 15 also counts as "coded"
    eob = i if i < 16 else 16
    return zz, nonzero, eob


def parse_frame(data, st):
    """Parse one frame.  Returns (hdr, grid, partition info) and updates the
    persistent state st (entropy save/restore included)."""
    if len(data) < 3:
        raise ParseError('frame shorter than 3 bytes (%d)' % len(data))
    tag = data[0] | (data[1] << 8) | (data[2] << 16)
    hdr = FrameHeader()
    hdr.key_frame = not (tag & 1)
    hdr.version = (tag >> 1) & 7
    hdr.show_frame = (tag >> 4) & 1
    first_size = tag >> 5
    pos = 3
    if hdr.key_frame:
        if data[3:6] != b'\x9d\x01\x2a':
            raise ParseError('bad start code')
        w, h = struct.unpack('<HH', data[6:10])
        hdr.width, hdr.hscale = w & 0x3fff, w >> 14
        hdr.height, hdr.vscale = h & 0x3fff, h >> 14
        pos = 10
        st.set_size(hdr.width, hdr.height)
        st.reset_key()
    elif st.mbw == 0:
        raise ParseError('inter frame before any key frame')
    if pos + first_size > len(data):
        raise ParseError('first partition size %d exceeds frame' % first_size)
    d = BoolDecoder(data[pos:pos + first_size])
    read_header(d, hdr, st)
    mbw, mbh = st.mbw, st.mbh
    nparts = 1 << hdr.log2_partitions
    ppos = pos + first_size
    sizes_at = ppos
    ppos += 3 * (nparts - 1)
    part_sizes = []
    for i in range(nparts - 1):
        b = data[sizes_at + 3 * i:sizes_at + 3 * i + 3]
        part_sizes.append(b[0] | (b[1] << 8) | (b[2] << 16))
    part_sizes.append(len(data) - ppos - sum(part_sizes))
    if part_sizes[-1] < 0:
        raise ParseError('partition sizes exceed frame')
    parts = []
    for sz in part_sizes:
        parts.append(BoolDecoder(data[ppos:ppos + sz]))
        ppos += sz

    upd_map = hdr.segmentation_enabled and hdr.update_mb_segmentation_map
    seg_probs = [255 if p is None else p for p in hdr.segment_probs] \
        if upd_map else None
    if not upd_map and hdr.key_frame and 'no_key_seg_reset' not in FAULTS:
        st.seg_map = [0] * (mbw * mbh)
    sign_bias = [0, 0, hdr.sign_bias_golden, hdr.sign_bias_alt]
    grid = [[None] * mbw for _ in range(mbh)]
    for r in range(mbh):
        for c in range(mbw):
            info = MBInfo()
            if upd_map:
                st.seg_map[r * mbw + c] = read_tree(d, SEGMENT_TREE, seg_probs)
            info.segment = st.seg_map[r * mbw + c]
            info.skip = d.get(hdr.prob_skip_false) if hdr.mb_no_coeff_skip \
                else 0
            if hdr.key_frame:
                info.ymode = read_tree(d, KF_YMODE_TREE, KF_YMODE_PROBS)
                if info.ymode == B_PRED:
                    info.bmodes = []
                    for b in range(16):
                        a, l = kf_bmode_context(grid, r, c, info.bmodes, b)
                        info.bmodes.append(read_tree(d, BMODE_TREE,
                                                     KF_BMODE_PROBS[a][l]))
                info.uvmode = read_tree(d, UV_MODE_TREE, KF_UV_MODE_PROBS)
            elif not d.get(hdr.prob_intra):
                info.ymode = read_tree(d, YMODE_TREE, st.ymode_probs)
                if info.ymode == B_PRED:
                    info.bmodes = [read_tree(d, BMODE_TREE, INTER_BMODE_PROBS)
                                   for _ in range(16)]
                info.uvmode = read_tree(d, UV_MODE_TREE, st.uvmode_probs)
            else:
                info.ref = LAST_FRAME
                if d.get(hdr.prob_last):
                    info.ref = ALTREF_FRAME if d.get(hdr.prob_gf) \
                        else GOLDEN_FRAME
                best, nearest, near, probs = find_near_mvs(
                    grid, r, c, info.ref, sign_bias, mbw, mbh)
                info.ymode = read_tree(d, MV_REF_TREE, probs)
                if info.ymode == MV_NEAREST:
                    info.mv = nearest
                elif info.ymode == MV_NEAR:
                    info.mv = near
                elif info.ymode == MV_ZERO:
                    info.mv = (0, 0)
                elif info.ymode == MV_NEW:
                    dv = read_mv(d, st.mv_probs)
                    info.mv = (best[0] + dv[0], best[1] + dv[1])
                    if 'clamp_newmv' in FAULTS:
                        info.mv = clamp_mv_to_frame(info.mv, r, c, mbw, mbh)
                else:
                    part = read_tree(d, SPLIT_TREE, SPLIT_PROBS)
                    smap = SPLIT_MAPS[part]
                    sub_mvs = [None] * 16
                    modes = []
                    for j in range(SPLIT_COUNTS[part]):
                        k = smap.index(j)
                        left, above = split_neighbour_mvs(grid, r, c,
                                                          sub_mvs, k)
                        sm = read_tree(d, SUB_MV_REF_TREE,
                                       SUB_MV_REF_PROBS[
                                           sub_mv_context(left, above)])
                        if sm == SUB_LEFT:
                            mv = left
                        elif sm == SUB_ABOVE:
                            mv = above
                        elif sm == SUB_ZERO:
                            mv = (0, 0)
                        else:
                            dv = read_mv(d, st.mv_probs)
                            mv = (best[0] + dv[0], best[1] + dv[1])
                            if 'clamp_split' in FAULTS:
                                mv = clamp_mv_to_frame(mv, r, c, mbw, mbh)
                        modes.append(sm)
                        for b in range(16):
                            if smap[b] == j:
                                sub_mvs[b] = mv
                    info.part = part
                    info.sub_mvs = sub_mvs
                    info.sub_modes = modes
                    info.mv = sub_mvs[15]
            grid[r][c] = info
    first_overrun = d.overrun_bits()

    tctx = TokenContext(mbw)
    tok_stats = {}
    for r in range(mbh):
        tctx.new_row()
        pd = parts[r % nparts]
        for c in range(mbw):
            info = grid[r][c]
            info.coeffs = {}
            if info.skip:
                tctx.clear_skipped(c, info.has_y2)
                continue
            total = 0
            for b, btype, fst in mb_blocks(info):
                zz, nz, eob = read_block_tokens(pd, st.coef_probs, btype,
                                                tctx.get(b, c), fst, tok_stats)
                tctx.set(b, c, 1 if eob > fst else 0)
                if nz:
                    info.coeffs[b] = zz
                    info.nonzero_blocks += 1
                total += max(0, eob - fst)
            info.has_coeffs = total > 0
    if not hdr.refresh_entropy:
        if 'ignore_refresh_entropy' in FAULTS:
            st.saved = None
        else:
            st.restore_entropy()
    pinfo = {'first_size': first_size, 'part_sizes': part_sizes,
             'first_overrun': first_overrun,
             'part_overrun': [p.overrun_bits() for p in parts],
             'tokens': tok_stats}
    return hdr, grid, pinfo


# ---------------------------------------------------------------------------
# Model decoder: reconstruction
# ---------------------------------------------------------------------------

SUBPEL_6TAP = [
    [0, 0, 128, 0, 0, 0],
    [0, -6, 123, 12, -1, 0],
    [2, -11, 108, 36, -8, 1],
    [0, -9, 93, 50, -6, 0],
    [3, -16, 77, 77, -16, 3],
    [0, -6, 50, 93, -9, 0],
    [1, -8, 36, 108, -11, 2],
    [0, -1, 12, 123, -6, 0],
]


def clamp255(v):
    return 0 if v < 0 else (255 if v > 255 else v)


class Plane:
    __slots__ = ('w', 'h', 'px')

    def __init__(self, w, h, fill=0):
        self.w, self.h = w, h
        self.px = bytearray([fill]) * (w * h)

    def copy(self):
        p = Plane(0, 0)
        p.w, p.h, p.px = self.w, self.h, bytearray(self.px)
        return p


class Image:
    def __init__(self, mbw, mbh):
        self.planes = [Plane(mbw * 16, mbh * 16), Plane(mbw * 8, mbh * 8),
                       Plane(mbw * 8, mbh * 8)]

    def copy(self):
        im = Image(0, 0)
        im.planes = [p.copy() for p in self.planes]
        return im

    def i420(self, width, height):
        out = bytearray()
        for i, p in enumerate(self.planes):
            w = width if i == 0 else (width + 1) >> 1
            h = height if i == 0 else (height + 1) >> 1
            for y in range(h):
                out += p.px[y * p.w:y * p.w + w]
        return bytes(out)


def dequant_factors(q, hdr):
    def idx(delta):
        return min(127, max(0, q + (delta or 0)))
    y2ac = AC_QLOOKUP[idx(hdr.y2ac_delta)] * 155 // 100
    return {
        'y1dc': DC_QLOOKUP[idx(hdr.ydc_delta)],
        'y1ac': AC_QLOOKUP[idx(0)],
        'y2dc': DC_QLOOKUP[idx(hdr.y2dc_delta)] * 2,
        'y2ac': max(8, y2ac),
        'uvdc': min(132, DC_QLOOKUP[idx(hdr.uvdc_delta)]),
        'uvac': AC_QLOOKUP[idx(hdr.uvac_delta)],
    }


def s16(v):
    """wrap to a signed 16-bit value (the transforms store shorts)."""
    v &= 0xFFFF
    return v - 0x10000 if v & 0x8000 else v


TRANSFORM_PEAK = [0]   # largest magnitude seen inside the transforms


def _peak(vals):
    m = max(max(vals), -min(vals))
    if m > TRANSFORM_PEAK[0]:
        TRANSFORM_PEAK[0] = m


def inverse_wht(c):
    """RFC 14.3 inverse Walsh-Hadamard transform of 16 dequantised values
    (raster order); returns 16 values."""
    _peak(c)
    t = [0] * 16
    for i in range(4):
        a = c[i] + c[12 + i]
        b = c[4 + i] + c[8 + i]
        cc = c[4 + i] - c[8 + i]
        dd = c[i] - c[12 + i]
        t[i] = s16(a + b)
        t[4 + i] = s16(cc + dd)
        t[8 + i] = s16(a - b)
        t[12 + i] = s16(dd - cc)
    out = [0] * 16
    for i in range(4):
        r = t[4 * i:4 * i + 4]
        a = r[0] + r[3]
        b = r[1] + r[2]
        cc = r[1] - r[2]
        dd = r[0] - r[3]
        out[4 * i + 0] = s16((a + b + 3) >> 3)
        out[4 * i + 1] = s16((cc + dd + 3) >> 3)
        out[4 * i + 2] = s16((a - b + 3) >> 3)
        out[4 * i + 3] = s16((dd - cc + 3) >> 3)
    _peak(t)
    return out


C1 = 20091     # cos(pi/8)*sqrt(2) - 1, 16-bit fixed point
S1 = 35468     # sin(pi/8)*sqrt(2), 16-bit fixed point


def inverse_dct(c):
    """RFC 14.4 inverse DCT of 16 dequantised values (raster order)."""
    _peak(c)
    t = [0] * 16
    for i in range(4):
        x0, x1, x2, x3 = c[i], c[4 + i], c[8 + i], c[12 + i]
        a = x0 + x2
        b = x0 - x2
        cc = ((x1 * S1) >> 16) - (x3 + ((x3 * C1) >> 16))
        dd = (x1 + ((x1 * C1) >> 16)) + ((x3 * S1) >> 16)
        t[i] = s16(a + dd)
        t[12 + i] = s16(a - dd)
        t[4 + i] = s16(b + cc)
        t[8 + i] = s16(b - cc)
    out = [0] * 16
    for i in range(4):
        x0, x1, x2, x3 = t[4 * i:4 * i + 4]
        a = x0 + x2
        b = x0 - x2
        cc = ((x1 * S1) >> 16) - (x3 + ((x3 * C1) >> 16))
        dd = (x1 + ((x1 * C1) >> 16)) + ((x3 * S1) >> 16)
        out[4 * i + 0] = s16((a + dd + 4) >> 3)
        out[4 * i + 3] = s16((a - dd + 4) >> 3)
        out[4 * i + 1] = s16((b + cc + 4) >> 3)
        out[4 * i + 2] = s16((b - cc + 4) >> 3)
        _peak((a + dd, a - dd, b + cc, b - cc))
    _peak(t)
    return out


def add_residual(plane, x0, y0, res, counter=None):
    w = plane.w
    px = plane.px
    for i in range(4):
        base = (y0 + i) * w + x0
        for j in range(4):
            v = px[base + j] + res[4 * i + j]
            if v < 0 or v > 255:
                if counter is not None:
                    counter[0] += 1
                v = 0 if v < 0 else 255
            px[base + j] = v


def avg2(x, y):
    return (x + y + 1) >> 1


def avg3(x, y, z):
    return (x + 2 * y + z + 2) >> 2


def predict_subblock(mode, A, L, P):
    """4x4 intra prediction (RFC 12.3).  A: 8 pixels above (incl. the 4
    above-right), L: 4 pixels left, P: above-left.  Returns 16 values."""
    B = [[0] * 4 for _ in range(4)]
    E = [L[3], L[2], L[1], L[0], P, A[0], A[1], A[2], A[3]]
    if mode == B_DC_PRED:
        v = (sum(A[:4]) + sum(L) + 4) >> 3
        return [v] * 16
    if mode == B_TM_PRED:
        return [clamp255(L[r] + A[c] - P) for r in range(4) for c in range(4)]
    if mode == B_VE_PRED:
        above = [P] + A[:5]
        row = [avg3(above[c], above[c + 1], above[c + 2]) for c in range(4)]
        return row * 4
    if mode == B_HE_PRED:
        col = [avg3(P, L[0], L[1]), avg3(L[0], L[1], L[2]),
               avg3(L[1], L[2], L[3]), avg3(L[2], L[3], L[3])]
        return [col[r] for r in range(4) for _ in range(4)]
    if mode == B_LD_PRED:
        for r in range(4):
            for c in range(4):
                s = r + c
                if s < 6:
                    B[r][c] = avg3(A[s], A[s + 1], A[s + 2])
                else:
                    B[r][c] = avg3(A[6], A[7], A[7])
    elif mode == B_RD_PRED:
        for r in range(4):
            for c in range(4):
                i = 4 - r + c
                B[r][c] = avg3(E[i - 1], E[i], E[i + 1])
    elif mode == B_VR_PRED:
        def a3(i):
            return avg3(E[i - 1], E[i], E[i + 1])

        def a2(i):
            return avg2(E[i], E[i + 1])
        B[3][0] = a3(2)
        B[2][0] = a3(3)
        B[3][1] = B[1][0] = a3(4)
        B[2][1] = B[0][0] = a2(4)
        B[3][2] = B[1][1] = a3(5)
        B[2][2] = B[0][1] = a2(5)
        B[3][3] = B[1][2] = a3(6)
        B[2][3] = B[0][2] = a2(6)
        B[1][3] = a3(7)
        B[0][3] = a2(7)
    elif mode == B_VL_PRED:
        def a3(i):
            return avg3(A[i - 1], A[i], A[i + 1])

        def a2(i):
            return avg2(A[i], A[i + 1])
        B[0][0] = a2(0)
        B[1][0] = a3(1)
        B[2][0] = B[0][1] = a2(1)
        B[1][1] = B[3][0] = a3(2)
        B[2][1] = B[0][2] = a2(2)
        B[3][1] = B[1][2] = a3(3)
        B[2][2] = B[0][3] = a2(3)
        B[3][2] = B[1][3] = a3(4)
        B[2][3] = a3(5)
        B[3][3] = a3(6)
    elif mode == B_HD_PRED:
        def a3(i):
            return avg3(E[i - 1], E[i], E[i + 1])

        def a2(i):
            return avg2(E[i], E[i + 1])
        B[3][0] = a2(0)
        B[3][1] = a3(1)
        B[2][0] = B[3][2] = a2(1)
        B[2][1] = B[3][3] = a3(2)
        B[2][2] = B[1][0] = a2(2)
        B[2][3] = B[1][1] = a3(3)
        B[1][2] = B[0][0] = a2(3)
        B[1][3] = B[0][1] = a3(4)
        B[0][2] = a3(5)
        B[0][3] = a3(6)
    elif mode == B_HU_PRED:
        B[0][0] = avg2(L[0], L[1])
        B[0][1] = avg3(L[0], L[1], L[2])
        B[0][2] = B[1][0] = avg2(L[1], L[2])
        B[0][3] = B[1][1] = avg3(L[1], L[2], L[3])
        B[1][2] = B[2][0] = avg2(L[2], L[3])
        B[1][3] = B[2][1] = avg3(L[2], L[3], L[3])
        B[2][2] = B[2][3] = B[3][0] = B[3][1] = B[3][2] = B[3][3] = L[3]
    else:
        raise ValueError('bad subblock mode %r' % mode)
    return [B[r][c] for r in range(4) for c in range(4)]


def mb_edges(plane, x0, y0, n, r, c, extra_right):
    """above row (n + extra_right values), left column (n), above-left pixel
    for intra prediction of an n x n block at (x0, y0); frame edges use 127
    above and 129 to the left (RFC 12.2)."""
    w = plane.w
    px = plane.px
    top, lft = (128, 128) if 'edge128' in FAULTS else (127, 129)
    if r == 0:
        above = [top] * (n + extra_right)
        P = top
    else:
        row = (y0 - 1) * w
        above = list(px[row + x0:row + x0 + n])
        for i in range(extra_right):
            x = x0 + n + i
            if x < w:
                above.append(px[row + x])
            else:
                above.append(127 if 'aboveright127' in FAULTS
                             else px[row + w - 1])
        P = lft if c == 0 else px[row + x0 - 1]
    if c == 0:
        left = [lft] * n
    else:
        left = [px[(y0 + i) * w + x0 - 1] for i in range(n)]
    return above, left, P


def predict_whole(mode, above, left, P, n, r, c):
    if mode == DC_PRED:
        shift = n.bit_length() - 1          # log2(n)
        if r > 0 and c > 0:
            v = (sum(above[:n]) + sum(left) + n) >> (shift + 1)
        elif r > 0:
            v = (sum(above[:n]) + (n >> 1)) >> shift
        elif c > 0:
            v = (sum(left) + (n >> 1)) >> shift
        else:
            v = 128
        return [[v] * n for _ in range(n)]
    if mode == V_PRED:
        return [list(above[:n]) for _ in range(n)]
    if mode == H_PRED:
        return [[left[i]] * n for i in range(n)]
    if mode == TM_PRED:
        return [[clamp255(left[i] + above[j] - P) for j in range(n)]
                for i in range(n)]
    raise ValueError('bad mode %r' % mode)


def put_block(plane, x0, y0, rows):
    w = plane.w
    for i, row in enumerate(rows):
        b = (y0 + i) * w + x0
        plane.px[b:b + len(row)] = bytes(row)


def fetch_rows(plane, x, y, w, h):
    """w x h window at (x, y) with the frame edges replicated without
    limit."""
    pw, ph = plane.w, plane.h
    px = plane.px
    xs = [min(max(x + j, 0), pw - 1) for j in range(w)]
    inside = x >= 0 and x + w <= pw
    rows = []
    for i in range(h):
        yy = min(max(y + i, 0), ph - 1) * pw
        if inside:
            rows.append(px[yy + x:yy + x + w])
        else:
            rows.append(bytes(px[yy + xx] for xx in xs))
    return rows


def predict_inter(plane, x, y, w, h, mv_row8, mv_col8, bilinear):
    """w x h prediction at block position (x, y) displaced by a vector in
    1/8 pel units of this plane (RFC 18)."""
    ix = x + (mv_col8 >> 3)
    iy = y + (mv_row8 >> 3)
    fx = mv_col8 & 7
    fy = mv_row8 & 7
    if fx == 0 and fy == 0:
        return [list(r) for r in fetch_rows(plane, ix, iy, w, h)]
    if bilinear:
        src = fetch_rows(plane, ix, iy, w + 1, h + 1)
        h0, h1 = 128 - 16 * fx, 16 * fx
        tmp = [[(r[j] * h0 + r[j + 1] * h1 + 64) >> 7 for j in range(w)]
               for r in src]
        v0, v1 = 128 - 16 * fy, 16 * fy
        return [[(tmp[i][j] * v0 + tmp[i + 1][j] * v1 + 64) >> 7
                 for j in range(w)] for i in range(h)]
    src = fetch_rows(plane, ix - 2, iy - 2, w + 5, h + 5)
    hf = SUBPEL_6TAP[fx]
    if fx:
        tmp = []
        for r in src:
            tmp.append([clamp255((r[j] * hf[0] + r[j + 1] * hf[1] +
                                  r[j + 2] * hf[2] + r[j + 3] * hf[3] +
                                  r[j + 4] * hf[4] + r[j + 5] * hf[5] + 64)
                                 >> 7) for j in range(w)])
    else:
        tmp = [list(r[2:2 + w]) for r in src]
    if not fy:
        return tmp[2:2 + h]
    vf = SUBPEL_6TAP[fy]
    out = []
    for i in range(h):
        r0, r1, r2, r3, r4, r5 = tmp[i:i + 6]
        out.append([clamp255((r0[j] * vf[0] + r1[j] * vf[1] + r2[j] * vf[2] +
                              r3[j] * vf[3] + r4[j] * vf[4] + r5[j] * vf[5] +
                              64) >> 7) for j in range(w)])
    return out


def chroma_mv_avg(mvs):
    """average of four luma vectors (quarter pel) as a chroma vector in 1/8
    chroma pel (RFC 18.1, applied to the doubled luma vectors)."""
    out = []
    for comp in range(2):
        s = sum(2 * m[comp] for m in mvs)
        out.append((s + 4) >> 3 if s >= 0 else -((-s + 4) >> 3))
    return out


# --- loop filter (RFC 15) -----------------------------------------------------

def _c8(v):
    return -128 if v < -128 else (127 if v > 127 else v)


def _common_adjust(use_outer, p1, p0, q0, q1):
    a = _c8((_c8(p1 - q1) if use_outer else 0) + 3 * (q0 - p0))
    b = _c8(a + 3) >> 3
    a = _c8(a + 4) >> 3
    return a, _c8(q0 - a), _c8(p0 + b)


def filter_edge(px, start, step, stride_along, count, kind, E, I, T):
    """Filter `count` segments across one edge.  `start` indexes the first
    pixel after the edge (q0), `step` moves across the edge, stride_along
    moves along it.  kind: 'mb', 'sub' (normal filter) or 'simple'."""
    for n in range(count):
        q0i = start + n * stride_along
        p0 = px[q0i - step] - 128
        q0 = px[q0i] - 128
        p1 = px[q0i - 2 * step] - 128
        q1 = px[q0i + step] - 128
        if abs(p0 - q0) * 2 + (abs(p1 - q1) >> 1) > E:
            continue
        if kind == 'simple':
            a, nq0, np0 = _common_adjust(True, p1, p0, q0, q1)
            px[q0i] = nq0 + 128
            px[q0i - step] = np0 + 128
            continue
        p3 = px[q0i - 4 * step] - 128
        p2 = px[q0i - 3 * step] - 128
        q2 = px[q0i + 2 * step] - 128
        q3 = px[q0i + 3 * step] - 128
        if (abs(p3 - p2) > I or abs(p2 - p1) > I or abs(p1 - p0) > I or
                abs(q3 - q2) > I or abs(q2 - q1) > I or abs(q1 - q0) > I):
            continue
        hev = abs(p1 - p0) > T or abs(q1 - q0) > T
        if kind == 'mb':
            if hev:
                a, nq0, np0 = _common_adjust(True, p1, p0, q0, q1)
                px[q0i] = nq0 + 128
                px[q0i - step] = np0 + 128
            else:
                w = _c8(_c8(p1 - q1) + 3 * (q0 - p0))
                a = _c8((27 * w + 63) >> 7)
                px[q0i] = _c8(q0 - a) + 128
                px[q0i - step] = _c8(p0 + a) + 128
                a = _c8((18 * w + 63) >> 7)
                px[q0i + step] = _c8(q1 - a) + 128
                px[q0i - 2 * step] = _c8(p1 + a) + 128
                a = _c8((9 * w + 63) >> 7)
                px[q0i + 2 * step] = _c8(q2 - a) + 128
                px[q0i - 3 * step] = _c8(p2 + a) + 128
        else:
            a, nq0, np0 = _common_adjust(hev, p1, p0, q0, q1)
            px[q0i] = nq0 + 128
            px[q0i - step] = np0 + 128
            if not hev:
                a = (a + 1) >> 1
                px[q0i + step] = _c8(q1 - a) + 128
                px[q0i - 2 * step] = _c8(p1 + a) + 128


def mb_filter_level(hdr, st, info):
    if hdr.segmentation_enabled:
        lvl = st.seg_lf[info.segment]
        if not st.seg_abs or 'seg_abs_as_delta' in FAULTS:
            lvl += hdr.loop_filter_level
        lvl = min(63, max(0, lvl))
    else:
        lvl = hdr.loop_filter_level
    if hdr.lf_adj_enable and 'no_lf_deltas' not in FAULTS:
        lvl += st.ref_lf_deltas[info.ref]
        if info.ref == INTRA_FRAME:
            if info.ymode == B_PRED:
                lvl += st.mode_lf_deltas[0]
        elif info.ymode == MV_ZERO:
            lvl += st.mode_lf_deltas[1]
        elif info.ymode == MV_SPLIT:
            lvl += st.mode_lf_deltas[3]
        else:
            lvl += st.mode_lf_deltas[2]
        lvl = min(63, max(0, lvl))
    return lvl


def loop_filter(img, hdr, st, grid):
    if hdr.loop_filter_level == 0:
        return
    sharp = hdr.sharpness
    for r in range(st.mbh):
        for c in range(st.mbw):
            info = grid[r][c]
            lvl = mb_filter_level(hdr, st, info)
            if lvl == 0:
                continue
            I = lvl
            if sharp:
                I >>= 2 if sharp > 4 else 1
                I = min(I, 9 - sharp)
            I = max(I, 1)
            if hdr.key_frame:
                T = 2 if lvl >= 40 else (1 if lvl >= 15 else 0)
            else:
                T = 3 if lvl >= 40 else (2 if lvl >= 20 else
                                         (1 if lvl >= 15 else 0))
            mbE = (lvl + 2) * 2 + I
            subE = lvl * 2 + I
            inner = info.ymode in (B_PRED, MV_SPLIT) or info.has_coeffs or \
                'lf_inner_always' in FAULTS
            planes = img.planes[:1] if hdr.filter_type else img.planes
            for pi, pl in enumerate(planes):
                n = 16 if pi == 0 else 8
                w = pl.w
                x0, y0 = c * n, r * n
                base = y0 * w + x0
                if hdr.filter_type:
                    kmb = ksub = 'simple'
                else:
                    kmb, ksub = 'mb', 'sub'
                if c > 0:
                    filter_edge(pl.px, base, 1, w, n, kmb, mbE, I, T)
                if inner:
                    for xo in range(4, n, 4):
                        filter_edge(pl.px, base + xo, 1, w, n, ksub, subE, I, T)
                if r > 0:
                    filter_edge(pl.px, base, w, 1, n, kmb, mbE, I, T)
                if inner:
                    for yo in range(4, n, 4):
                        filter_edge(pl.px, base + yo * w, w, 1, n, ksub, subE,
                                    I, T)


def libvpx_skips_chroma(mv, r, c, mbw, mbh, fullpixel):
    """True if libvpx would silently skip the chroma prediction of a
    non-split inter MB (its output then depends on stale buffer contents).

    libvpx derives the chroma vector from the (possibly border-clamped) luma
    vector, truncates it to full pixels in version 3 and gives up if twice
    the result lies more than 19 px (left/top) or 18 px (right/bottom)
    beyond the frame.  Without the full-pixel truncation that never happens;
    with it, vectors about 18-19 px beyond the left or top edge trigger it.
    Streams must avoid this case."""
    if not fullpixel:
        return False
    lo = [-(r * 16) * 8, -(c * 16) * 8]                  # 1/8 luma pel
    hi = [(mbh - 1 - r) * 16 * 8, (mbw - 1 - c) * 16 * 8]
    for k in range(2):
        v = 2 * mv[k]
        if v < lo[k] - 19 * 8:                           # umv-border clamp
            v = lo[k] - 16 * 8
        elif v > hi[k] + 18 * 8:
            v = hi[k] + 16 * 8
        cv = v + 1 if v >= 0 else v - 1
        cv = int(cv / 2) & ~7
        if 2 * cv < lo[k] - 19 * 8 or 2 * cv > hi[k] + 18 * 8:
            return True
    return False


class ModelDecoder:
    """Reference model used for dumps and self-checks (not normative: the
    references stored with the streams always come from vpxdec)."""

    def __init__(self):
        self.st = CodecState()
        self.refs = None
        self.clamp_events = 0
        self.libvpx_undefined = 0       # see libvpx_skips_chroma

    def decode(self, data):
        """Returns dict(hdr, grid, pinfo, image) where image is the I420
        output bytes or None for a frame that is not shown."""
        st = self.st
        hdr, grid, pinfo = parse_frame(data, st)
        img = Image(st.mbw, st.mbh)
        counter = [0]
        bilinear = hdr.version != 0 and 'sixtap_always' not in FAULTS
        fullpixel = hdr.version == 3 and 'no_fullpixel' not in FAULTS
        for r in range(st.mbh):
            for c in range(st.mbw):
                info = grid[r][c]
                if info.ref == INTRA_FRAME:
                    self._intra_mb(img, r, c, info, hdr, st, counter)
                else:
                    self._inter_mb(img, r, c, info, hdr, st, bilinear,
                                   fullpixel, counter)
        self.clamp_events = counter[0]
        loop_filter(img, hdr, st, grid)
        if hdr.key_frame:
            self.refs = {LAST_FRAME: img, GOLDEN_FRAME: img, ALTREF_FRAME: img}
        else:
            old = dict(self.refs)
            if 'copy_new_last' in FAULTS and hdr.refresh_last:
                old[LAST_FRAME] = img
            if 'refresh_before_copy' in FAULTS:
                if hdr.refresh_golden:
                    old[GOLDEN_FRAME] = img
                if hdr.refresh_alt:
                    old[ALTREF_FRAME] = img
                self.refs = dict(old)
            if hdr.copy_to_alt == 1:
                self.refs[ALTREF_FRAME] = old[LAST_FRAME]
            elif hdr.copy_to_alt == 2:
                self.refs[ALTREF_FRAME] = old[GOLDEN_FRAME]
            if hdr.copy_to_golden == 1:
                self.refs[GOLDEN_FRAME] = old[LAST_FRAME]
            elif hdr.copy_to_golden == 2:
                # libvpx applies the alt-ref copy first
                self.refs[GOLDEN_FRAME] = old[ALTREF_FRAME] \
                    if 'golden_copy_first' in FAULTS \
                    else self.refs[ALTREF_FRAME]
            if hdr.refresh_golden and 'refresh_before_copy' not in FAULTS:
                self.refs[GOLDEN_FRAME] = img
            if hdr.refresh_alt and 'refresh_before_copy' not in FAULTS:
                self.refs[ALTREF_FRAME] = img
            if hdr.refresh_last or 'refresh_last_always' in FAULTS:
                self.refs[LAST_FRAME] = img
        out = img.i420(st.width, st.height) if hdr.show_frame else None
        return {'hdr': hdr, 'grid': grid, 'pinfo': pinfo, 'image': out}

    def _residual_blocks(self, info, hdr, st):
        """dequantised + inverse transformed residual per block (16 values)
        or None if the block has none."""
        q = hdr.q_index
        if hdr.segmentation_enabled:
            absq = st.seg_abs and 'seg_abs_as_delta' not in FAULTS
            q = st.seg_quant[info.segment] + (0 if absq else q)
            q = min(127, max(0, q))
        f = dequant_factors(q, hdr)
        res = {}
        coeffs = info.coeffs or {}
        y2dc = None
        if info.has_y2 and not info.skip:
            zz = coeffs.get(24)
            if zz:
                raster = [0] * 16
                for i, v in enumerate(zz):
                    raster[ZIGZAG[i]] = s16(v * (f['y2dc'] if i == 0
                                                 else f['y2ac']))
                y2dc = inverse_wht(raster)
        for b in range(24):
            zz = coeffs.get(b)
            if b < 16:
                dcf, acf = f['y1dc'], f['y1ac']
            else:
                dcf, acf = f['uvdc'], f['uvac']
            raster = [0] * 16
            any_c = False
            if zz:
                for i, v in enumerate(zz):
                    if v:
                        raster[ZIGZAG[i]] = s16(v * (dcf if i == 0 else acf))
                        any_c = True
            if b < 16 and y2dc is not None:
                raster[0] = y2dc[b]
                any_c = any_c or y2dc[b] != 0
            if any_c:
                res[b] = inverse_dct(raster)
        return res

    def _intra_mb(self, img, r, c, info, hdr, st, counter):
        res = self._residual_blocks(info, hdr, st)
        Y = img.planes[0]
        x0, y0 = c * 16, r * 16
        if info.ymode == B_PRED:
            above, left, P = mb_edges(Y, x0, y0, 16, r, c, 4)
            for b in range(16):
                bi, bj = b >> 2, b & 3
                bx, by = x0 + 4 * bj, y0 + 4 * bi
                w = Y.w
                if bi == 0:
                    A = above[4 * bj:4 * bj + 8]
                    Pb = P if bj == 0 else above[4 * bj - 1]
                else:
                    row = (by - 1) * w
                    A = list(Y.px[row + bx:row + bx + 4])
                    if bj == 3:
                        A += above[16:20]
                    else:
                        A += list(Y.px[row + bx + 4:row + bx + 8])
                    Pb = left[4 * bi - 1] if bj == 0 else Y.px[row + bx - 1]
                if bj == 0:
                    L = left[4 * bi:4 * bi + 4]
                else:
                    L = [Y.px[(by + i) * w + bx - 1] for i in range(4)]
                pred = predict_subblock(info.bmodes[b], A, L, Pb)
                put_block(Y, bx, by, [pred[4 * i:4 * i + 4] for i in range(4)])
                if b in res:
                    add_residual(Y, bx, by, res[b], counter)
        else:
            above, left, P = mb_edges(Y, x0, y0, 16, r, c, 0)
            put_block(Y, x0, y0, predict_whole(info.ymode, above, left, P,
                                               16, r, c))
            for b in range(16):
                if b in res:
                    add_residual(Y, x0 + 4 * (b & 3), y0 + 4 * (b >> 2),
                                 res[b], counter)
        for pi in (1, 2):
            pl = img.planes[pi]
            cx, cy = c * 8, r * 8
            above, left, P = mb_edges(pl, cx, cy, 8, r, c, 0)
            put_block(pl, cx, cy, predict_whole(info.uvmode, above, left, P,
                                                8, r, c))
            for i in range(4):
                b = 16 + 4 * (pi - 1) + i
                if b in res:
                    add_residual(pl, cx + 4 * (i & 1), cy + 4 * (i >> 1),
                                 res[b], counter)

    def _inter_mb(self, img, r, c, info, hdr, st, bilinear, fullpixel,
                  counter):
        ref = self.refs[info.ref]
        res = self._residual_blocks(info, hdr, st)
        Y = img.planes[0]
        x0, y0 = c * 16, r * 16
        if info.ymode == MV_SPLIT:
            for b in range(16):
                mv = info.sub_mvs[b]
                bx, by = x0 + 4 * (b & 3), y0 + 4 * (b >> 2)
                put_block(Y, bx, by, predict_inter(ref.planes[0], bx, by, 4, 4,
                                                   2 * mv[0], 2 * mv[1],
                                                   bilinear))
            for pi in (1, 2):
                for i in range(4):
                    by_, bx_ = i >> 1, i & 1
                    ks = [8 * by_ + 2 * bx_ + d for d in (0, 1, 4, 5)]
                    cmv = chroma_mv_avg([info.sub_mvs[k] for k in ks])
                    if fullpixel:
                        cmv = [v & ~7 for v in cmv]
                    bx, by = c * 8 + 4 * bx_, r * 8 + 4 * by_
                    put_block(img.planes[pi], bx, by,
                              predict_inter(ref.planes[pi], bx, by, 4, 4,
                                            cmv[0], cmv[1], bilinear))
        else:
            mv = info.mv
            if libvpx_skips_chroma(mv, r, c, st.mbw, st.mbh, fullpixel):
                self.libvpx_undefined += 1
            put_block(Y, x0, y0, predict_inter(ref.planes[0], x0, y0, 16, 16,
                                               2 * mv[0], 2 * mv[1], bilinear))
            cmv = [mv[0], mv[1]]
            if fullpixel:
                cmv = [v & ~7 for v in cmv]
            for pi in (1, 2):
                put_block(img.planes[pi], c * 8, r * 8,
                          predict_inter(ref.planes[pi], c * 8, r * 8, 8, 8,
                                        cmv[0], cmv[1], bilinear))
        for b in range(24):
            if b not in res:
                continue
            if b < 16:
                add_residual(Y, x0 + 4 * (b & 3), y0 + 4 * (b >> 2), res[b],
                             counter)
            else:
                pi = 1 if b < 20 else 2
                i = (b - 16) & 3
                add_residual(img.planes[pi], c * 8 + 4 * (i & 1),
                             r * 8 + 4 * (i >> 1), res[b], counter)


# ---------------------------------------------------------------------------
# Content helpers for the recipes
# ---------------------------------------------------------------------------

def rand_zz(rng, amp, nmax=6, first=0):
    """random zig-zag coefficient list, amplitude decaying with frequency."""
    zz = [0] * 16
    n = rng.randint(1, nmax)
    for i in range(first, min(16, first + n)):
        a = max(1, int(amp / (1.0 + 0.5 * (i - first))))
        zz[i] = rng.randint(-a, a)
    if not any(zz):
        zz[first] = rng.choice((-1, 1))
    return zz


def mb_coeffs(rng, has_y2, amp=4, density=0.6, uv_amp=3, y2_amp=10):
    co = {}
    if has_y2 and rng.random() < min(1.0, density + 0.3):
        co[24] = rand_zz(rng, y2_amp, 5)
    for b in range(16):
        if rng.random() < density:
            co[b] = rand_zz(rng, amp, 5, first=1 if has_y2 else 0)
    for b in range(16, 24):
        if rng.random() < density * 0.7:
            co[b] = rand_zz(rng, uv_amp, 3)
    return co


def intra_mb(rng, y=None, uv=None, b=None, amp=4, density=0.6, **kw):
    if y is None:
        y = rng.choice((B_PRED, B_PRED, TM_PRED, DC_PRED, V_PRED, H_PRED))
    s = {'y': y, 'uv': rng.randrange(4) if uv is None else uv}
    if y == B_PRED:
        s['b'] = list(b) if b is not None else [rng.randrange(10)
                                                for _ in range(16)]
    s['coeffs'] = mb_coeffs(rng, y != B_PRED, amp, density) if amp else {}
    s.update(kw)
    return s


def inter_mb(rng, ref=LAST_FRAME, mode='new', mv=None, part=None, subs=None,
             amp=2, density=0.35, **kw):
    s = {'ref': ref, 'mode': mode}
    if mode == 'new':
        s['mv'] = mv if mv is not None else (rng.randint(-24, 24),
                                             rng.randint(-24, 24))
    if mode == 'split':
        s['part'] = part
        s['subs'] = subs
    if amp and rng.random() < 0.8:
        s['coeffs'] = mb_coeffs(rng, mode != 'split', amp, density, 2, 6)
    else:
        s['coeffs'] = {}
    s.update(kw)
    return s


def rand_split(rng, part=None, far=0, modes=('left', 'above', 'zero', 'new')):
    if part is None:
        part = rng.randrange(4)
    subs = []
    for _ in range(SPLIT_COUNTS[part]):
        m = rng.choice(modes)
        mv = None
        if m == 'new':
            lim = far or 20
            mv = (rng.randint(-lim, lim), rng.randint(-lim, lim))
        subs.append((m, mv))
    return part, subs


def textured_key(rng, mbw, mbh, amp=5, **kw):
    return [intra_mb(rng, amp=amp, **kw) for _ in range(mbw * mbh)]


def moving_inter(rng, mbw, mbh, refs=(LAST_FRAME,), intra_share=0.1,
                 modes=('new', 'new', 'nearest', 'near', 'zero', 'split'),
                 mvlim=24, amp=2):
    out = []
    for _ in range(mbw * mbh):
        if rng.random() < intra_share:
            out.append(intra_mb(rng, amp=3))
            continue
        mode = rng.choice(modes)
        ref = rng.choice(refs)
        if mode == 'split':
            part, subs = rand_split(rng)
            out.append(inter_mb(rng, ref, 'split', part=part, subs=subs,
                                amp=amp))
        else:
            mv = (rng.randint(-mvlim, mvlim), rng.randint(-mvlim, mvlim))
            out.append(inter_mb(rng, ref, mode, mv=mv, amp=amp))
    return out


def KEY(w, h, **kw):
    kw.setdefault('q_index', 36)
    kw.setdefault('loop_filter_level', 16)
    return FrameHeader(key_frame=True, width=w, height=h, **kw)


def INTER(**kw):
    kw.setdefault('q_index', 36)
    kw.setdefault('loop_filter_level', 16)
    return FrameHeader(**kw)


# ---------------------------------------------------------------------------
# Stream recipes.  Each returns (width, height, [(header, specs) or None]);
# None stands for a zero-length frame.  `v` selects a variant used only for
# the sensitivity checks (never written to the corpus).
# ---------------------------------------------------------------------------

RECIPES = []


def recipe(name, desc, variants=(), faults=()):
    """variants: (variant name, 'same'|'differ', explanation)
    faults: (model fault, explanation) -- the model decoder with that
    deliberate mistake must disagree with vpxdec on the stream."""
    def deco(fn):
        RECIPES.append({'name': name, 'desc': desc, 'build': fn,
                        'variants': list(variants), 'faults': list(faults)})
        return fn
    return deco


@recipe('synth-colorspace1-clamp1',
        'key frame with color_space=1 and clamping_type=1 (reserved colour '
        'space, "no clamping needed"), followed by inter frames; the content '
        'never needs clamping (pixel sums stay within 0..255)',
        variants=[('cs0', 'same', 'color_space=0, clamping_type=0: libvpx '
                   'ignores both bits, output must be identical')])
def r_colorspace(v=None):
    rng = random.Random(101)
    W, H = 64, 48
    mbw, mbh = 4, 3
    cs = 0 if v == 'cs0' else 1
    frames = [(KEY(W, H, color_space=cs, clamping_type=cs, q_index=44,
                   loop_filter_level=20),
               textured_key(rng, mbw, mbh, amp=2))]
    for i in range(3):
        frames.append((INTER(q_index=44, loop_filter_level=20),
                       moving_inter(rng, mbw, mbh, mvlim=16, amp=1)))
    return W, H, frames


CORNER_BMODES = [B_TM_PRED, B_VE_PRED, B_HE_PRED, B_RD_PRED, B_VR_PRED,
                 B_HD_PRED]


def edge_bpred_modes(r, c, mbw, mbh, phase):
    """subblock modes that, over the phases, put every submode at the top
    row, the left column and the right column of the frame, and the modes
    that use the above-left pixel at the top-left corner."""
    off = CORNER_BMODES[phase % len(CORNER_BMODES)] + 10 * (phase // 6)
    return [(off + r * 7 + c * 5 + (b >> 2) * 3 + (b & 3)) % 10
            for b in range(16)]


@recipe('synth-intra-edges-key',
        'key frames (72x40, not a multiple of 16) whose edge macroblocks use '
        'every B_PRED submode in the top row / left column (127/129 edges), '
        'the submodes that use the above-left pixel at the top-left corner, '
        'every submode in the rightmost column (above-right pixels '
        'replicated from the row above), and all 16x16 luma and chroma '
        'modes (DC/V/H/TM) at the edges and the corner',
        faults=[('edge128', 'edge pixels 128 instead of 127/129'),
                ('aboveright127', 'above-right of the rightmost MB = 127')])
def r_intra_edges_key(v=None):
    rng = random.Random(202)
    W, H = 72, 40
    mbw, mbh = 5, 3
    frames = []
    for phase in range(6):
        specs = []
        for r in range(mbh):
            for c in range(mbw):
                specs.append(intra_mb(rng, y=B_PRED, uv=(r + c + phase) & 3,
                                      b=edge_bpred_modes(r, c, mbw, mbh, phase),
                                      amp=4))
        frames.append((KEY(W, H, q_index=30 + 6 * phase,
                           loop_filter_level=8 * phase), specs))
    # 16x16 modes at the edges, chroma modes at the edges
    ymodes = [DC_PRED, V_PRED, H_PRED, TM_PRED]
    for phase in range(4):
        specs = []
        for r in range(mbh):
            for c in range(mbw):
                y = ymodes[(r * mbw + c + phase) % 4]
                specs.append(intra_mb(rng, y=y, uv=(r * 3 + c + phase) % 4,
                                      amp=4))
        frames.append((KEY(W, H, q_index=40, loop_filter_level=12), specs))
    return W, H, frames


@recipe('synth-intra-in-inter',
        'inter frames whose edge macroblocks are intra coded with all 16x16 '
        'modes and all B_PRED submodes (inter-frame fixed submode '
        'probabilities, 127/129 edges, TM at edges), intra MBs predicted '
        'from inter-coded neighbours, plus Y/UV mode probability updates',
        faults=[('edge128', 'edge pixels 128 instead of 127/129'),
                ('aboveright127', 'above-right of the rightmost MB = 127')])
def r_intra_in_inter(v=None):
    rng = random.Random(303)
    W, H = 64, 48
    mbw, mbh = 4, 3
    frames = [(KEY(W, H), textured_key(rng, mbw, mbh))]
    for phase in range(6):
        specs = []
        for r in range(mbh):
            for c in range(mbw):
                edge = r == 0 or c == 0 or c == mbw - 1 or r == mbh - 1
                if (r, c) == (0, 0) or (edge and (r + c + phase) % 3 != 2):
                    k = (r * 3 + c * 2 + phase) % 6
                    if k >= 4:
                        specs.append(intra_mb(rng, y=B_PRED,
                                              b=edge_bpred_modes(r, c, mbw,
                                                                 mbh, phase),
                                              amp=3))
                    else:
                        specs.append(intra_mb(rng, y=k, uv=(k + phase) % 4,
                                              amp=3))
                else:
                    specs.append(inter_mb(rng, LAST_FRAME, 'new'))
        hdr = INTER()
        if phase in (2, 4):
            hdr.ymode_probs = [60, 140, 90, 120] if phase == 2 else \
                [200, 30, 160, 70]
            hdr.uvmode_probs = [90, 160, 100] if phase == 2 else [40, 200, 50]
        frames.append((hdr, specs))
    return W, H, frames


def signbias_frames(rng, W, H, mbw, mbh, sbg, sba):
    frames = [(KEY(W, H), textured_key(rng, mbw, mbh))]
    # F1: LAST only with assorted vectors -> last = F1, golden = alt = key
    frames.append((INTER(), moving_inter(rng, mbw, mbh, modes=('new',),
                                         mvlim=28)))
    refs_cycle = [LAST_FRAME, GOLDEN_FRAME, LAST_FRAME, ALTREF_FRAME,
                  GOLDEN_FRAME]
    for fi, (g, a) in enumerate(((sbg, 0), (sbg, sba), (0, sba))):
        specs = []
        for r in range(mbh):
            for c in range(mbw):
                ref = refs_cycle[(r * 2 + c + fi) % 5]
                k = (r * mbw + c + fi) % 6
                if k in (0, 3):
                    specs.append(inter_mb(rng, ref, 'new',
                                          mv=(rng.randint(-30, 30),
                                              rng.randint(-30, 30))))
                elif k in (1, 4):
                    specs.append(inter_mb(rng, ref, 'nearest'))
                elif k == 2:
                    specs.append(inter_mb(rng, ref, 'near'))
                else:
                    part, subs = rand_split(rng, SPLIT_8X8,
                                            modes=('left', 'above', 'new'))
                    specs.append(inter_mb(rng, ref, 'split', part=part,
                                          subs=subs))
        frames.append((INTER(sign_bias_golden=g, sign_bias_alt=a), specs))
    return frames


@recipe('synth-golden-signbias',
        'sign_bias_golden=1 (and sign_bias_alt=1) with macroblocks that mix '
        'LAST, GOLDEN and ALTREF references, so find_near_mvs must invert '
        'neighbouring vectors for NEAREST/NEAR/NEW/SPLIT',
        variants=[('nobias', 'differ', 'same decisions with both sign '
                   'biases 0')],
        faults=[('no_sign_bias', 'decoder ignores ref_frame_sign_bias')])
def r_signbias(v=None):
    rng = random.Random(404)
    W, H = 64, 48
    sb = 0 if v == 'nobias' else 1
    return W, H, signbias_frames(rng, W, H, 4, 3, sb, sb)


def ref_probe(rng, mbw, mbh, refs, amp=1):
    """inter frame showing the content of several reference buffers."""
    specs = []
    for r in range(mbh):
        for c in range(mbw):
            ref = refs[(r * mbw + c) % len(refs)]
            mode = 'zero' if (r + c) % 2 else 'new'
            specs.append(inter_mb(rng, ref, mode,
                                  mv=(rng.randint(-8, 8), rng.randint(-8, 8)),
                                  amp=amp))
    return specs


def changed_content(rng, mbw, mbh):
    """inter frame that differs clearly from its reference."""
    specs = []
    for i in range(mbw * mbh):
        if i % 3 == 0:
            specs.append(intra_mb(rng, amp=5))
        else:
            specs.append(inter_mb(rng, LAST_FRAME, 'new',
                                  mv=(rng.randint(-40, 40),
                                      rng.randint(-40, 40)), amp=4))
    return specs


@recipe('synth-copy-gf1-arf1',
        'copy_buffer_to_golden=1 and copy_buffer_to_alternate=1 (last frame '
        'copied into golden / alt-ref, using the last frame from before the '
        'current frame is stored) followed by frames predicting from golden '
        'and alt-ref; also golden copy combined with an alt-ref refresh',
        variants=[('nocopy', 'differ', 'no buffer copies')],
        faults=[('copy_new_last', 'copies take the newly decoded frame '
                 'instead of the previous last frame')])
def r_copy1(v=None):
    rng = random.Random(505)
    W, H = 64, 48
    mbw, mbh = 4, 3
    cp = 0 if v == 'nocopy' else 1
    allrefs = (LAST_FRAME, GOLDEN_FRAME, ALTREF_FRAME)
    frames = [(KEY(W, H), textured_key(rng, mbw, mbh))]
    frames.append((INTER(), changed_content(rng, mbw, mbh)))            # F1
    frames.append((INTER(copy_to_golden=cp, copy_to_alt=cp),
                   changed_content(rng, mbw, mbh)))                     # F2
    frames.append((INTER(), ref_probe(rng, mbw, mbh, allrefs)))         # F3
    frames.append((INTER(copy_to_golden=cp, refresh_alt=1),
                   changed_content(rng, mbw, mbh)))                     # F4
    frames.append((INTER(), ref_probe(rng, mbw, mbh, allrefs)))         # F5
    return W, H, frames


@recipe('synth-copy-gf2-arf2',
        'copy_buffer_to_golden=2 together with copy_buffer_to_alternate=2 in '
        'one frame (libvpx copies alt-ref<-golden first, so golden stays '
        'unchanged and both end up holding the old golden); '
        'copy_buffer_to_alternate=2 in a frame that also refreshes golden '
        '(the copy takes the golden from before the refresh); and '
        'copy_buffer_to_golden=2 with copy_buffer_to_alternate=1 (golden '
        'receives the *new* alt-ref, i.e. the last frame)',
        variants=[('nocopy', 'differ', 'no buffer copies')],
        faults=[('golden_copy_first', 'golden copy done before the alt-ref '
                 'copy (swap semantics)'),
                ('refresh_before_copy', 'refreshes applied before the '
                 'buffer copies')])
def r_copy2(v=None):
    rng = random.Random(606)
    W, H = 64, 48
    mbw, mbh = 4, 3
    n = v == 'nocopy'
    GA = (GOLDEN_FRAME, ALTREF_FRAME)
    frames = [(KEY(W, H), textured_key(rng, mbw, mbh))]              # K0
    frames.append((INTER(refresh_golden=1),                          # F1
                   changed_content(rng, mbw, mbh)))                  # G=F1
    frames.append((INTER(refresh_alt=1),                             # F2
                   changed_content(rng, mbw, mbh)))                  # A=F2
    frames.append((INTER(copy_to_golden=0 if n else 2,               # F3
                         copy_to_alt=0 if n else 2),                 # A=G=F1
                   changed_content(rng, mbw, mbh)))
    frames.append((INTER(), ref_probe(rng, mbw, mbh, GA)))           # F4
    frames.append((INTER(refresh_golden=1),                          # F5
                   changed_content(rng, mbw, mbh)))                  # G=F5
    frames.append((INTER(refresh_golden=1,                           # F6
                         copy_to_alt=0 if n else 2),                 # A=F5
                   changed_content(rng, mbw, mbh)))                  # G=F6
    frames.append((INTER(), ref_probe(rng, mbw, mbh,                 # F7
                                      GA + (LAST_FRAME,))))
    frames.append((INTER(copy_to_golden=0 if n else 2,               # F8
                         copy_to_alt=0 if n else 1),                 # A=G=F7
                   changed_content(rng, mbw, mbh)))
    frames.append((INTER(), ref_probe(rng, mbw, mbh, GA)))           # F9
    return W, H, frames


SEG_MAP_A = [0, 1, 2, 3, 1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2]
SEG_MAP_B = [3, 3, 2, 2, 3, 1, 1, 2, 0, 1, 1, 0, 0, 0, 3, 3]


def seg_specs(rng, mbw, mbh, segmap, inter):
    specs = []
    for i in range(mbw * mbh):
        if inter and i % 4:
            s = inter_mb(rng, LAST_FRAME, 'new', amp=2, density=0.6)
        else:
            s = intra_mb(rng, amp=2, density=0.7)
            s['coeffs'] = mb_coeffs(rng, s['y'] != B_PRED, 2, 0.7, 2, 4)
        s['seg'] = segmap[i] if segmap else 0
        specs.append(s)
    return specs


@recipe('synth-absolute-segments',
        'segmentation with segment_feature_mode=1 (absolute quantizer and '
        'loop-filter values, incl. q 0/127 and lf 0/63), explicit segment '
        'tree probabilities, map and data persistence across frames (data '
        'only, map only, segmentation off then on again without updates), '
        'delta mode with clamping, frame loop_filter_level 0 with absolute '
        'segment levels (no filtering at all in libvpx), and key frames that '
        'reset the map (data updated, map not) and the data (map updated, '
        'data not)',
        variants=[('delta', 'differ', 'segment_feature_mode=0 (delta) with '
                   'the same values')],
        faults=[('seg_abs_as_delta', 'absolute values treated as deltas'),
                ('no_key_seg_reset', 'key frame keeps the old segment map'),
                ('no_key_seg_data_reset', 'key frame keeps the old segment '
                 'feature data')])
def r_abs_segments(v=None):
    rng = random.Random(707)
    W, H = 64, 64
    mbw, mbh = 4, 4
    mode = 0 if v == 'delta' else 1
    frames = []
    frames.append((KEY(W, H, q_index=50, loop_filter_level=30,
                       segmentation_enabled=1, update_mb_segmentation_map=1,
                       update_segment_feature_data=1,
                       segment_feature_mode=mode,
                       segment_quant=[5, 40, 90, 127],
                       segment_lf=[0, 15, 40, 63],
                       segment_probs=[120, None, 90]),
                   seg_specs(rng, mbw, mbh, SEG_MAP_A, False)))
    # F1: new absolute data, map persists
    frames.append((INTER(q_index=60, loop_filter_level=25,
                         segmentation_enabled=1,
                         update_segment_feature_data=1,
                         segment_feature_mode=mode,
                         segment_quant=[100, 0, None, 70],
                         segment_lf=[63, None, 20, 5]),
                   seg_specs(rng, mbw, mbh, None, True)))
    # F2: new map, data persists
    frames.append((INTER(q_index=20, loop_filter_level=35,
                         segmentation_enabled=1,
                         update_mb_segmentation_map=1),
                   seg_specs(rng, mbw, mbh, SEG_MAP_B, True)))
    # F3: segmentation off (map kept)
    frames.append((INTER(q_index=45, loop_filter_level=20),
                   seg_specs(rng, mbw, mbh, None, True)))
    # F4: on again, no updates: map of F2, data of F1
    frames.append((INTER(q_index=45, loop_filter_level=20,
                         segmentation_enabled=1),
                   seg_specs(rng, mbw, mbh, None, True)))
    # F5: delta mode, clamping at both ends
    frames.append((INTER(q_index=70, loop_filter_level=40,
                         segmentation_enabled=1, update_mb_segmentation_map=1,
                         update_segment_feature_data=1,
                         segment_feature_mode=0,
                         segment_quant=[-80, 70, -20, 20],
                         segment_lf=[-63, 30, -10, 10]),
                   seg_specs(rng, mbw, mbh, SEG_MAP_A, True)))
    # F6: absolute levels again, but frame level 0 -> loop filter skipped
    frames.append((INTER(q_index=45, loop_filter_level=0,
                         segmentation_enabled=1,
                         update_segment_feature_data=1,
                         segment_feature_mode=mode,
                         segment_quant=[30, 60, 90, 120],
                         segment_lf=[20, 40, 50, 63]),
                   seg_specs(rng, mbw, mbh, None, True)))
    # F7: key frame with new (absolute) data but no map update: libvpx
    # resets the segment map to 0 on key frames
    frames.append((KEY(W, H, q_index=40, loop_filter_level=20,
                       segmentation_enabled=1, update_segment_feature_data=1,
                       segment_feature_mode=mode,
                       segment_quant=[20, 70, 110, 127],
                       segment_lf=[10, 30, 50, 63]),
                   seg_specs(rng, mbw, mbh, None, False)))
    # F8: inter frame with a new map (data of F7 persists)
    frames.append((INTER(q_index=40, loop_filter_level=20,
                         segmentation_enabled=1, update_mb_segmentation_map=1),
                   seg_specs(rng, mbw, mbh, SEG_MAP_B, True)))
    # F9: key frame with a new map but no data update: libvpx resets the
    # feature data to 0 (delta mode) on key frames
    frames.append((KEY(W, H, q_index=40, loop_filter_level=20,
                       segmentation_enabled=1, update_mb_segmentation_map=1),
                   seg_specs(rng, mbw, mbh, SEG_MAP_A, False)))
    return W, H, frames


@recipe('synth-no-skip-flag',
        'mb_no_coeff_skip=0 on key and inter frames: every macroblock codes '
        'its tokens; MBs whose blocks are all EOB skip the inner loop-filter '
        'edges (non-B_PRED/non-SPLIT) while B_PRED/SPLIT MBs without '
        'coefficients keep them',
        variants=[('skipflag', 'same', 'mb_no_coeff_skip=1 with the same '
                   'content decodes identically')],
        faults=[('lf_inner_always', 'inner edges filtered for MBs without '
                 'coefficients')])
def r_no_skip(v=None):
    rng = random.Random(808)
    W, H = 64, 48
    mbw, mbh = 4, 3
    skipflag = 1 if v == 'skipflag' else 0
    frames = []
    specs = []
    for i in range(mbw * mbh):
        y = [DC_PRED, B_PRED, TM_PRED, V_PRED][i % 4]
        specs.append(intra_mb(rng, y=y, amp=0 if i % 3 == 1 else 5))
    frames.append((KEY(W, H, mb_no_coeff_skip=skipflag, q_index=60,
                       loop_filter_level=40), specs))
    for fi in range(3):
        specs = []
        for i in range(mbw * mbh):
            k = (i + fi) % 4
            if k == 0:
                specs.append(inter_mb(rng, LAST_FRAME, 'new', amp=0))
            elif k == 1:
                part, subs = rand_split(rng)
                specs.append(inter_mb(rng, LAST_FRAME, 'split', part=part,
                                      subs=subs, amp=0))
            elif k == 2:
                specs.append(intra_mb(rng, amp=0))
            else:
                specs.append(inter_mb(rng, LAST_FRAME, 'new', amp=3))
        frames.append((INTER(mb_no_coeff_skip=skipflag, q_index=60,
                             loop_filter_level=40 + 5 * fi, sharpness=fi),
                       specs))
    return W, H, frames


def lf_mix(rng, mbw, mbh, fi):
    kinds = ['bpred', 'tm', 'zero_last', 'new_last', 'nearest_gold',
             'split_alt', 'zero_alt', 'split_gold', 'near_last', 'new_alt']
    specs = []
    for i in range(mbw * mbh):
        k = kinds[(i + 3 * fi) % len(kinds)]
        if k == 'bpred':
            specs.append(intra_mb(rng, y=B_PRED, amp=4))
        elif k == 'tm':
            specs.append(intra_mb(rng, y=TM_PRED, amp=4))
        elif k.startswith('split'):
            part, subs = rand_split(rng)
            ref = GOLDEN_FRAME if k.endswith('gold') else ALTREF_FRAME
            specs.append(inter_mb(rng, ref, 'split', part=part, subs=subs,
                                  amp=3))
        else:
            mode, refn = k.split('_')
            ref = {'last': LAST_FRAME, 'gold': GOLDEN_FRAME,
                   'alt': ALTREF_FRAME}[refn]
            specs.append(inter_mb(rng, ref, mode, amp=3))
    return specs


@recipe('synth-lf-deltas-inter',
        'loop_filter_adj_enable with non-default reference and mode deltas '
        'updated on inter frames (all 4 ref and 4 mode deltas, levels '
        'clamped to 0 and 63), partial updates, deltas persisting across '
        'frames, adjustments switched off and on again, sharpness changes '
        'and one simple-filter frame; a final key frame with adjustments '
        'enabled but not updated (deltas reset to 0 at key frames)',
        variants=[('nodeltas', 'differ', 'loop_filter_adj_enable=0')],
        faults=[('no_lf_deltas', 'decoder ignores the ref/mode deltas'),
                ('no_key_lf_delta_reset', 'key frame keeps the old deltas')])
def r_lf_deltas(v=None):
    rng = random.Random(909)
    W, H = 80, 64
    mbw, mbh = 5, 4
    on = 0 if v == 'nodeltas' else 1
    frames = [(KEY(W, H, loop_filter_level=24, sharpness=3,
                   lf_adj_enable=on, lf_delta_update=1,
                   ref_lf_deltas=[10, None, None, None],
                   mode_lf_deltas=[-6, None, None, None]),
               textured_key(rng, mbw, mbh))]
    frames.append((INTER(refresh_golden=1), moving_inter(rng, mbw, mbh)))
    frames.append((INTER(loop_filter_level=32, lf_adj_enable=on,
                         lf_delta_update=1,
                         ref_lf_deltas=[-8, 12, -20, 30],
                         mode_lf_deltas=[20, -24, 9, -30]),
                   lf_mix(rng, mbw, mbh, 0)))
    frames.append((INTER(loop_filter_level=45, sharpness=5,
                         lf_adj_enable=on, lf_delta_update=1,
                         ref_lf_deltas=[None, -40, None, None],
                         mode_lf_deltas=[None, None, 25, None]),
                   lf_mix(rng, mbw, mbh, 1)))
    frames.append((INTER(loop_filter_level=28, sharpness=1, filter_type=1,
                         lf_adj_enable=on),
                   lf_mix(rng, mbw, mbh, 2)))
    frames.append((INTER(loop_filter_level=28, lf_adj_enable=0),
                   lf_mix(rng, mbw, mbh, 3)))
    frames.append((INTER(loop_filter_level=50, sharpness=7, lf_adj_enable=on),
                   lf_mix(rng, mbw, mbh, 4)))
    # key frame with adjustments enabled but no update: libvpx has reset
    # the deltas to 0 at the key frame
    frames.append((KEY(W, H, loop_filter_level=30, lf_adj_enable=on),
                   textured_key(rng, mbw, mbh)))
    return W, H, frames


def version_stream(rng, W, H, version, filter_types, levels, v=None):
    mbw, mbh = (W + 15) >> 4, (H + 15) >> 4
    frames = [(KEY(W, H, version=version, filter_type=filter_types[0],
                   loop_filter_level=levels[0]),
               textured_key(rng, mbw, mbh))]
    for i in range(1, len(levels)):
        specs = []
        for j in range(mbw * mbh):
            k = (i + j) % 5
            mv = (rng.randint(-30, 30), rng.randint(-30, 30))
            if k == 4:
                part, subs = rand_split(rng, rng.choice((SPLIT_8X8,
                                                         SPLIT_4X4)))
                specs.append(inter_mb(rng, LAST_FRAME, 'split', part=part,
                                      subs=subs))
            elif k == 3 and i > 1:
                specs.append(inter_mb(rng, GOLDEN_FRAME, 'new', mv=mv))
            else:
                specs.append(inter_mb(rng, LAST_FRAME, 'new', mv=mv))
        frames.append((INTER(version=version, filter_type=filter_types[i],
                             loop_filter_level=levels[i],
                             log2_partitions=i % 3), specs))
    return frames


@recipe('synth-version1',
        'version 1 (bilinear prediction) with fractional luma/chroma vectors '
        'and split MVs; simple loop filter on some frames and the normal '
        'loop filter on others (header filter_type decides, not the version)',
        variants=[('v0', 'differ', 'version 0 (six-tap)')],
        faults=[('sixtap_always', 'six-tap filter regardless of version')])
def r_version1(v=None):
    rng = random.Random(1001)
    return 64, 48, version_stream(rng, 64, 48, 0 if v == 'v0' else 1,
                                  [1, 1, 0, 1, 0], [30, 24, 36, 18, 44])


@recipe('synth-version2',
        'version 2 (bilinear, "no loop filter" profile) that nevertheless '
        'signals non-zero loop filter levels (normal and simple), with '
        'fractional and split vectors',
        variants=[('v0', 'differ', 'version 0 (six-tap)')],
        faults=[('sixtap_always', 'six-tap filter regardless of version')])
def r_version2(v=None):
    rng = random.Random(1002)
    return 64, 48, version_stream(rng, 64, 48, 0 if v == 'v0' else 2,
                                  [0, 0, 1, 0], [36, 30, 22, 48])


@recipe('synth-version3-fullpixel',
        'version 3: bilinear luma prediction with fractional vectors, chroma '
        'vectors truncated to full pixels (incl. negative split averages), '
        'combined with normal/simple loop filtering at non-zero levels',
        variants=[('v1', 'differ', 'version 1 (fractional chroma)')],
        faults=[('no_fullpixel', 'chroma vectors keep their fraction')])
def r_version3(v=None):
    rng = random.Random(1003)
    return 64, 48, version_stream(rng, 64, 48, 1 if v == 'v1' else 3,
                                  [0, 0, 1, 0, 0], [20, 26, 30, 16, 40])


@recipe('synth-zero-length-frame',
        'a zero-length frame (IVF frame size 0) between inter frames; '
        'references taken with vpxdec --keep-going (see README)')
def r_zero_length(v=None):
    rng = random.Random(1100)
    W, H = 64, 48
    mbw, mbh = 4, 3
    frames = [(KEY(W, H), textured_key(rng, mbw, mbh))]
    for i in range(2):
        frames.append((INTER(), moving_inter(rng, mbw, mbh)))
    frames.append(None)
    for i in range(2):
        frames.append((INTER(), moving_inter(rng, mbw, mbh)))
    return W, H, frames


def far(mbw, mbh, r, c, drow, dcol):
    """vector (quarter pel) placing MB (r, c) drow/dcol pixels beyond the
    frame edge it is near (negative = up/left of the frame)."""
    row = ((-16 * r - 16 + drow) if drow < 0 else
           (16 * (mbh - r) + drow)) * 4 if drow else 0
    col = ((-16 * c - 16 + dcol) if dcol < 0 else
           (16 * (mbw - c) + dcol)) * 4 if dcol else 0
    return (row, col)


@recipe('synth-far-mvs',
        'NEWMV vectors far outside the frame in every direction (up to '
        '~200 px, with fractional parts), vectors 0..20 px beyond the edge '
        'around the 16/19 px clamp thresholds, NEAREST/NEAR/best_mv taken '
        'from far neighbours (clamped to 16 px beyond the edge), golden / '
        'alt-ref references with far vectors',
        variants=[('near', 'differ', 'same modes with small vectors')],
        faults=[('no_near_clamp', 'NEAREST/NEAR/best not clamped'),
                ('clamp_newmv', 'NEWMV result clamped like NEAREST')])
def r_far_mvs(v=None):
    rng = random.Random(1200)
    W, H = 64, 64
    mbw, mbh = 4, 4
    frames = [(KEY(W, H, q_index=30), textured_key(rng, mbw, mbh, amp=8,
                                                   density=0.8))]
    small = v == 'near'

    def fv(r, c, dr, dc):
        if small:
            return (rng.randint(-12, 12), rng.randint(-12, 12))
        m = far(mbw, mbh, r, c, dr, dc)
        return (m[0] + rng.choice((0, 1, 2, 3)), m[1] - rng.choice((0, 1, 2)))
    # F1: far NEWMV at corners/edges; NEAREST/NEAR next to them
    plan = {
        (0, 0): ('new', (-150, 0)), (0, 1): ('nearest', None),
        (0, 2): ('near', None), (0, 3): ('new', (0, 160)),
        (1, 0): ('nearest', None), (1, 1): ('new', (0, -180)),
        (1, 2): ('nearest', None), (1, 3): ('new', (40, 130)),
        (2, 0): ('new', (0, -60)), (2, 1): ('near', None),
        (2, 2): ('new', (200, 0)), (2, 3): ('nearest', None),
        (3, 0): ('new', (170, -170)), (3, 1): ('nearest', None),
        (3, 2): ('new', (90, 0)), (3, 3): ('new', (0, 190)),
    }
    specs = []
    for r in range(mbh):
        for c in range(mbw):
            mode, d = plan[(r, c)]
            mv = fv(r, c, *d) if d else None
            specs.append(inter_mb(rng, LAST_FRAME, mode, mv=mv, amp=1))
    frames.append((INTER(q_index=30), specs))
    # F2: vectors placing MBs 0..20 px beyond the nearest edge
    specs = []
    for r in range(mbh):
        for c in range(mbw):
            i = r * mbw + c
            dist = [0, 3, 15, 16, 17, 18, 19, 20][i % 8]
            dr = -dist if r < 2 else dist
            dc = -dist if c < 2 else dist
            if i % 3 == 0:
                dr = 0
            elif i % 3 == 1:
                dc = 0
            if small:
                mv = (rng.randint(-12, 12), rng.randint(-12, 12))
            else:
                m = far(mbw, mbh, r, c, dr, dc)
                mv = (m[0] + (i % 4) - 1, m[1] - (i % 3))
            specs.append(inter_mb(rng, LAST_FRAME, 'new', mv=mv, amp=1))
    frames.append((INTER(q_index=30), specs))
    # F3: golden/alt-ref with far vectors, NEAR/NEAREST chains
    specs = []
    for r in range(mbh):
        for c in range(mbw):
            ref = (GOLDEN_FRAME, ALTREF_FRAME, LAST_FRAME)[(r + c) % 3]
            if (r * mbw + c) % 3 == 0:
                dr = -rng.randint(40, 200) if r < 2 else rng.randint(40, 200)
                dc = -rng.randint(40, 200) if c < 2 else rng.randint(40, 200)
                if (r + c) % 2:
                    dr = 0
                else:
                    dc = 0
                specs.append(inter_mb(rng, ref, 'new', mv=fv(r, c, dr, dc),
                                      amp=1))
            else:
                specs.append(inter_mb(rng, ref, ('nearest', 'near')[c & 1],
                                      amp=1))
    frames.append((INTER(q_index=30, sign_bias_alt=1), specs))
    return W, H, frames


@recipe('synth-split-far-mvs',
        'SPLITMV macroblocks at the frame corners and edges with NEW4x4 '
        'vectors far outside the frame (16x8, 8x16, 8x8 and 4x4 '
        'partitions), LEFT4x4/ABOVE4x4 inheriting unclamped far sub-vectors '
        'from neighbouring split MBs, odd negative chroma averages, and '
        'NEAREST/NEAR MBs next to split MBs (clamped copies of sub-vector 15)',
        variants=[('near', 'differ', 'same modes with small vectors')],
        faults=[('clamp_split', 'split vectors clamped like NEAREST'),
                ('no_near_clamp', 'NEAREST/NEAR/best not clamped')])
def r_split_far(v=None):
    rng = random.Random(1300)
    W, H = 64, 64
    mbw, mbh = 4, 4
    small = v == 'near'
    frames = [(KEY(W, H, q_index=30), textured_key(rng, mbw, mbh, amp=8,
                                                   density=0.8))]

    def fv(r, c):
        if small:
            return (rng.randint(-14, 14), rng.randint(-14, 14))
        dr = -rng.randint(8, 150) if r < 2 else rng.randint(8, 150)
        dc = -rng.randint(8, 150) if c < 2 else rng.randint(8, 150)
        sel = rng.randrange(3)
        m = far(mbw, mbh, r, c, dr if sel != 1 else 0, dc if sel != 2 else 0)
        return (m[0] - rng.randrange(4), m[1] + rng.randrange(4))

    for fi in range(3):
        specs = []
        for r in range(mbh):
            for c in range(mbw):
                edge = r in (0, mbh - 1) or c in (0, mbw - 1)
                k = (r * mbw + c + fi) % 4
                if edge and k != 3:
                    part = (SPLIT_4X4, SPLIT_8X8, SPLIT_16X8,
                            SPLIT_8X16)[(r + c + fi) % 4]
                    subs = []
                    for j in range(SPLIT_COUNTS[part]):
                        m = ('new', 'left', 'above', 'new', 'zero')[
                            (j + r + fi) % 5]
                        subs.append((m, fv(r, c) if m == 'new' else None))
                    specs.append(inter_mb(rng, LAST_FRAME, 'split', part=part,
                                          subs=subs, amp=1))
                else:
                    specs.append(inter_mb(rng, LAST_FRAME,
                                          ('nearest', 'near', 'new')[k % 3],
                                          mv=fv(r, c), amp=1))
        frames.append((INTER(q_index=30), specs))
    return W, H, frames


@recipe('synth-refresh-last0-hidden',
        'refresh_last=0 on shown frames (the next frame still predicts from '
        'the older last frame), a hidden frame (show_frame=0) that only '
        'refreshes the alt-ref, and a golden refresh without last refresh',
        variants=[('refreshlast', 'differ', 'refresh_last=1 everywhere')],
        faults=[('refresh_last_always', 'decoder always refreshes last')])
def r_refresh_last0(v=None):
    rng = random.Random(1400)
    W, H = 64, 48
    mbw, mbh = 4, 3
    rl = 1 if v == 'refreshlast' else 0
    frames = [(KEY(W, H), textured_key(rng, mbw, mbh))]
    frames.append((INTER(refresh_last=rl), changed_content(rng, mbw, mbh)))
    frames.append((INTER(), ref_probe(rng, mbw, mbh, (LAST_FRAME,))))
    frames.append((INTER(show_frame=0, refresh_alt=1, refresh_last=rl),
                   changed_content(rng, mbw, mbh)))
    frames.append((INTER(), ref_probe(rng, mbw, mbh,
                                      (ALTREF_FRAME, LAST_FRAME))))
    frames.append((INTER(refresh_golden=1, refresh_last=rl),
                   changed_content(rng, mbw, mbh)))
    frames.append((INTER(), ref_probe(rng, mbw, mbh,
                                      (GOLDEN_FRAME, LAST_FRAME))))
    return W, H, frames


def coef_update_set(rng, n, extreme=False):
    ups = {}
    while len(ups) < n:
        key = (rng.randrange(4), rng.randrange(8), rng.randrange(3),
               rng.randrange(11))
        if extreme:
            ups[key] = rng.choice((1, 2, 254, 255, rng.randint(1, 255)))
        else:
            ups[key] = rng.randint(20, 240)
    return ups


def mv_updates(rng, n):
    ups = {}
    while len(ups) < n:
        ups[(rng.randrange(2), rng.randrange(MVP_COUNT))] = rng.randint(0, 127)
    return ups


@recipe('synth-entropy-save',
        'refresh_entropy_probs=0 on a key frame and on an inter frame that '
        'carry coefficient, Y/UV mode and MV probability updates; the '
        'following frames code with the saved probabilities; later updates '
        'with refresh_entropy_probs=1 persist',
        faults=[('ignore_refresh_entropy', 'updated probabilities kept '
                 'after a refresh_entropy_probs=0 frame')])
def r_entropy(v=None):
    rng = random.Random(1500)
    W, H = 64, 48
    mbw, mbh = 4, 3

    def busy_inter():
        out = []
        for i in range(mbw * mbh):
            if i % 4 == 0:
                out.append(intra_mb(rng, amp=5))
            else:
                out.append(inter_mb(rng, LAST_FRAME,
                                    ('new', 'split', 'nearest')[i % 3],
                                    mv=(rng.randint(-60, 60),
                                        rng.randint(-60, 60)),
                                    part=SPLIT_4X4,
                                    subs=[('new', (rng.randint(-40, 40),
                                                   rng.randint(-40, 40)))
                                          for _ in range(16)],
                                    amp=4, density=0.6))
        return out
    frames = [(KEY(W, H, refresh_entropy=0,
                   coef_updates=coef_update_set(rng, 150)),
               textured_key(rng, mbw, mbh))]
    frames.append((INTER(), busy_inter()))
    frames.append((INTER(refresh_entropy=0,
                         coef_updates=coef_update_set(rng, 150),
                         ymode_probs=[30, 200, 60, 90],
                         uvmode_probs=[220, 40, 130],
                         mv_prob_updates=mv_updates(rng, 20)), busy_inter()))
    frames.append((INTER(), busy_inter()))
    frames.append((INTER(coef_updates=coef_update_set(rng, 100),
                         ymode_probs=[150, 100, 100, 150],
                         mv_prob_updates=mv_updates(rng, 12)), busy_inter()))
    frames.append((INTER(), busy_inter()))
    return W, H, frames


@recipe('synth-tokens-partitions',
        'all DCT token categories (up to DCT_CAT6) at low quantizers, '
        'coefficient probability updates with extreme values (1, 2, 254, '
        '255) accumulating over frames, and 8, 4, 2 and 1 token partitions '
        '(8 partitions with only 4 macroblock rows leaves some empty)')
def r_tokens(v=None):
    rng = random.Random(1600)
    W, H = 80, 64
    mbw, mbh = 5, 4

    def big_specs(inter):
        out = []
        for i in range(mbw * mbh):
            if inter and i % 3:
                s = inter_mb(rng, LAST_FRAME, 'new', amp=0)
                has_y2 = True
            else:
                s = intra_mb(rng, amp=0)
                has_y2 = s['y'] != B_PRED
            co = {}
            for b in range(25 if has_y2 else 24):
                if rng.random() < 0.5:
                    zz = [0] * 16
                    first = 1 if (b < 16 and has_y2) else 0
                    big = rng.choice((3, 8, 15, 30, 60, 200, 500) if b < 24
                                     else (3, 8, 15, 30, 70, 150))
                    zz[first] = rng.randint(-big, big) or 1
                    for k in range(first + 1, 16):
                        if rng.random() < 0.3:
                            zz[k] = rng.randint(-12, 12)
                    co[b] = zz
            s['coeffs'] = co
            out.append(s)
        return out
    frames = [(KEY(W, H, q_index=2, log2_partitions=3, loop_filter_level=8,
                   coef_updates=coef_update_set(rng, 60, True)),
               big_specs(False))]
    for i, lp in enumerate((2, 1, 0, 3)):
        frames.append((INTER(q_index=4 + 2 * i, log2_partitions=lp,
                             loop_filter_level=8,
                             coef_updates=coef_update_set(rng, 40, True)),
                       big_specs(True)))
    return W, H, frames


@recipe('synth-key-size-change',
        'key frames that change the coded size (64x48 -> 32x32 -> 80x64 -> '
        '40x24) with non-zero horizontal/vertical scale bits, each followed '
        'by inter frames; the IVF header keeps the first size')
def r_size_change(v=None):
    rng = random.Random(1700)
    frames = []
    for (W, H, hs, vs) in ((64, 48, 0, 0), (32, 32, 1, 2), (80, 64, 3, 1),
                           (40, 24, 2, 3)):
        mbw, mbh = (W + 15) >> 4, (H + 15) >> 4
        frames.append((KEY(W, H, hscale=hs, vscale=vs),
                       textured_key(rng, mbw, mbh)))
        frames.append((INTER(), moving_inter(rng, mbw, mbh)))
    return 64, 48, frames


def build_stream(rec, variant=None):
    """returns (ivf bytes, list of frame bytes, ivf size)"""
    W, H, plan = rec['build'](variant)
    fw = FrameWriter()
    frames = []
    for item in plan:
        if item is None:
            frames.append(b'')
            continue
        hdr, specs = item
        data, _, _ = fw.encode(hdr, specs)
        frames.append(data)
    return ivf_bytes(W, H, frames), frames, (W, H)


# ---------------------------------------------------------------------------
# vpxdec, model comparison, generation
# ---------------------------------------------------------------------------

PEAK_LIMIT = 12000   # keep transforms far from 16-bit overflow


def run_vpxdec(path, keep_going=False):
    """decode with vpxdec: whole output + one file per shown frame."""
    exe = shutil.which('vpxdec')
    if not exe:
        raise SystemExit('vpxdec not found (apt-get install -y vpx-tools)')
    extra = ['--keep-going'] if keep_going else []
    full = subprocess.run([exe, '--i420', '-o', '-'] + extra + [path],
                          capture_output=True)
    frames = []
    with tempfile.TemporaryDirectory() as td:
        pat = os.path.join(td, 'f-%wx%h-%9.i420')
        subprocess.run([exe, '--i420', '-o', pat] + extra + [path],
                       capture_output=True)
        names = []
        for fn in os.listdir(td):
            stem = fn[2:-5]                      # WxH-NNNNNNNNN
            size, num = stem.rsplit('-', 1)
            w, h = (int(x) for x in size.split('x'))
            names.append((int(num), w, h, fn))
        for num, w, h, fn in sorted(names):
            with open(os.path.join(td, fn), 'rb') as f:
                frames.append((w, h, f.read()))
    return {'rc': full.returncode, 'stderr': full.stderr.decode(errors='replace'),
            'data': full.stdout, 'frames': frames}


def model_decode(frames, faults=()):
    """Decode frame list with the model.  Zero-length frames are skipped,
    as vpxdec --keep-going does (they never reach the decoder)."""
    FAULTS.clear()
    FAULTS.update(faults)
    TRANSFORM_PEAK[0] = 0
    md = ModelDecoder()
    outs = []
    clamps = 0
    try:
        for f in frames:
            if not f:
                continue
            o = md.decode(f)
            clamps += md.clamp_events
            if o['image'] is not None:
                outs.append(o['image'])
    finally:
        FAULTS.clear()
    model_decode.libvpx_undefined = md.libvpx_undefined
    return outs, TRANSFORM_PEAK[0], clamps


def md5hex(b):
    return hashlib.md5(b).hexdigest()


def framemd5_text(vres):
    return ''.join('%d %dx%d %s\n' % (i, w, h, md5hex(d))
                   for i, (w, h, d) in enumerate(vres['frames']))


def check_vpxdec_clean(vres, zero_length):
    err = vres['stderr']
    if zero_length:
        ok = vres['rc'] != 0 and 'Failed to decode frame' in err
    else:
        ok = vres['rc'] == 0 and not any(
            w in err for w in ('Failed', 'Warning', 'WARNING', 'Error',
                               'corrupt'))
    return ok


def generate(outdir, only=None, verify=True, log=print):
    os.makedirs(outdir, exist_ok=True)
    failures = 0
    report = []
    for rec in RECIPES:
        name = rec['name']
        if only and name not in only:
            continue
        ivf, frames, (W, H) = build_stream(rec)
        path = os.path.join(outdir, name + '.ivf')
        with open(path, 'wb') as f:
            f.write(ivf)
        zero = any(len(fr) == 0 for fr in frames)
        vres = run_vpxdec(path, keep_going=zero)
        clean = check_vpxdec_clean(vres, zero)
        concat = b''.join(d for _, _, d in vres['frames'])
        if concat != vres['data']:
            clean = False
            log('  per-frame output does not add up to the full output!')
        with open(os.path.join(outdir, name + '.md5'), 'w') as f:
            f.write(md5hex(vres['data']) + '\n')
        with open(os.path.join(outdir, name + '.framemd5'), 'w') as f:
            f.write(framemd5_text(vres))
        line = '%-30s %2d frames -> %2d shown, %6d bytes, vpxdec %s' % (
            name, len(frames), len(vres['frames']), len(ivf),
            'ok' if clean else 'PROBLEM rc=%d %s' % (vres['rc'],
                                                    vres['stderr'].strip()))
        if not clean:
            failures += 1
        if verify:
            outs, peak, clamps = model_decode(frames)
            same = outs == [d for _, _, d in vres['frames']]
            line += '; model %s' % ('== vpxdec' if same else 'MISMATCH')
            if not same:
                failures += 1
            if peak >= PEAK_LIMIT:
                line += ' (transform peak %d!)' % peak
                failures += 1
            if model_decode.libvpx_undefined:
                line += ' (%d MBs hit libvpx\'s chroma skip!)' % (
                    model_decode.libvpx_undefined)
                failures += 1
            if name == 'synth-colorspace1-clamp1' and clamps:
                line += ' (%d clamped pixels!)' % clamps
                failures += 1
            for vname, expect, why in rec['variants']:
                vivf, _, _ = build_stream(rec, vname)
                with tempfile.NamedTemporaryFile(suffix='.ivf') as tf:
                    tf.write(vivf)
                    tf.flush()
                    vv = run_vpxdec(tf.name)
                differs = md5hex(vv['data']) != md5hex(vres['data'])
                good = differs == (expect == 'differ')
                line += '; variant %s %s%s' % (
                    vname, 'differs' if differs else 'identical',
                    '' if good else ' (UNEXPECTED)')
                if not good:
                    failures += 1
            for fault, why in rec['faults']:
                try:
                    fouts, _, _ = model_decode(frames, {fault})
                except Exception:
                    fouts = None
                differs = fouts != [d for _, _, d in vres['frames']]
                line += '; fault %s %s' % (fault, 'detected' if differs
                                           else 'NOT DETECTED')
                if not differs:
                    failures += 1
        log(line)
        report.append(line)
    return failures


# ---------------------------------------------------------------------------
# Header dump
# ---------------------------------------------------------------------------

def mv_outside(mv, x, y, w, h, fw, fh):
    """pixels by which a w x h block at (x, y) displaced by mv (quarter pel)
    lies beyond the frame (0 if it overlaps the frame)."""
    bx = x + (mv[1] >> 2)
    by = y + (mv[0] >> 2)
    dx = max(0, -(bx + w), bx - fw)
    dy = max(0, -(by + h), by - fh)
    return max(dx, dy)


def fmt_list(v):
    return '[' + ', '.join('-' if x is None else str(x) for x in v) + ']'


def dump(path, verbose=False, out=sys.stdout):
    (iw, ih), frames = ivf_read(path)
    p = lambda *a: print(*a, file=out)
    p('%s: IVF %dx%d, %d frames' % (path, iw, ih, len(frames)))
    st = CodecState()
    for fi, data in enumerate(frames):
        if len(data) == 0:
            p('frame %d: ZERO-LENGTH (0 bytes)' % fi)
            continue
        hdr, grid, pi = parse_frame(data, st)
        h = hdr
        p('frame %d: %d bytes, %s, version %d, show_frame %d, '
          'first_partition %d bytes' % (fi, len(data),
                                        'KEY' if h.key_frame else 'inter',
                                        h.version, h.show_frame,
                                        pi['first_size']))
        if h.key_frame:
            p('  size %dx%d hscale %d vscale %d color_space %d '
              'clamping_type %d' % (h.width, h.height, h.hscale, h.vscale,
                                    h.color_space, h.clamping_type))
        p('  segmentation_enabled %d' % h.segmentation_enabled +
          (' update_map %d update_data %d' % (h.update_mb_segmentation_map,
                                              h.update_segment_feature_data)
           if h.segmentation_enabled else ''))
        if h.segmentation_enabled and h.update_segment_feature_data:
            p('    segment_feature_mode %d (%s) quant %s lf %s' % (
                h.segment_feature_mode,
                'absolute' if h.segment_feature_mode else 'delta',
                fmt_list(h.segment_quant), fmt_list(h.segment_lf)))
        if h.segmentation_enabled and h.update_mb_segmentation_map:
            p('    segment tree probs %s' % fmt_list(h.segment_probs))
        p('  filter_type %d (%s) loop_filter_level %d sharpness %d' % (
            h.filter_type, 'simple' if h.filter_type else 'normal',
            h.loop_filter_level, h.sharpness))
        p('  loop_filter_adj_enable %d' % h.lf_adj_enable +
          (' delta_update %d' % h.lf_delta_update if h.lf_adj_enable else '') +
          (' ref %s mode %s' % (fmt_list(h.ref_lf_deltas),
                                fmt_list(h.mode_lf_deltas))
           if h.lf_adj_enable and h.lf_delta_update else ''))
        p('  partitions %d sizes %s' % (1 << h.log2_partitions,
                                        pi['part_sizes']))
        p('  q_index %d deltas ydc %s y2dc %s y2ac %s uvdc %s uvac %s' % (
            h.q_index, h.ydc_delta, h.y2dc_delta, h.y2ac_delta, h.uvdc_delta,
            h.uvac_delta))
        if not h.key_frame:
            p('  refresh_golden %d refresh_alt %d copy_to_golden %d '
              'copy_to_alt %d sign_bias_golden %d sign_bias_alt %d' % (
                  h.refresh_golden, h.refresh_alt, h.copy_to_golden,
                  h.copy_to_alt, h.sign_bias_golden, h.sign_bias_alt))
        p('  refresh_entropy_probs %d refresh_last %d coef_prob_updates %d' % (
            h.refresh_entropy, h.refresh_last, len(h.coef_updates)))
        p('  mb_no_coeff_skip %d prob_skip_false %s' % (h.mb_no_coeff_skip,
                                                       h.prob_skip_false))
        if not h.key_frame:
            p('  prob_intra %d prob_last %d prob_gf %d ymode_probs %s '
              'uvmode_probs %s mv_prob_updates %d' % (
                  h.prob_intra, h.prob_last, h.prob_gf, h.ymode_probs,
                  h.uvmode_probs, len(h.mv_prob_updates)))
        # macroblock statistics
        counts = {}

        def inc(k):
            counts[k] = counts.get(k, 0) + 1
        far_mb = far_sub = 0
        maxmv = 0
        fw, fh = st.mbw * 16, st.mbh * 16
        for r, row in enumerate(grid):
            for c, m in enumerate(row):
                inc('skip' if m.skip else 'coded')
                inc('seg%d' % m.segment)
                if m.ref == INTRA_FRAME:
                    inc('intra ' + YMODE_NAMES[m.ymode])
                    if m.ymode == B_PRED:
                        for b, bm in enumerate(m.bmodes):
                            inc('sub ' + BMODE_NAMES[bm])
                else:
                    inc('%s %s' % (REF_NAMES[m.ref],
                                   INTER_MODE_NAMES[m.ymode]))
                    if m.ymode == MV_SPLIT:
                        inc('split ' + SPLIT_NAMES[m.part])
                        for sm in m.sub_modes:
                            inc(SUB_NAMES[sm])
                        for b in range(16):
                            mv = m.sub_mvs[b]
                            maxmv = max(maxmv, abs(mv[0]), abs(mv[1]))
                            if mv_outside(mv, c * 16 + 4 * (b & 3),
                                          r * 16 + 4 * (b >> 2), 4, 4, fw, fh):
                                far_sub += 1
                    else:
                        maxmv = max(maxmv, abs(m.mv[0]), abs(m.mv[1]))
                        if mv_outside(m.mv, c * 16, r * 16, 16, 16, fw, fh):
                            far_mb += 1
                if verbose:
                    desc = ('intra %s' % YMODE_NAMES[m.ymode]
                            if m.ref == INTRA_FRAME else
                            '%s %s mv %s' % (REF_NAMES[m.ref],
                                             INTER_MODE_NAMES[m.ymode], m.mv))
                    if m.ymode == B_PRED:
                        desc += ' ' + ','.join(BMODE_NAMES[x][2:]
                                               for x in m.bmodes)
                    if m.ymode == MV_SPLIT:
                        desc += ' %s [%s] sub_mvs %s' % (
                            SPLIT_NAMES[m.part],
                            ' '.join(SUB_NAMES[s] for s in m.sub_modes),
                            m.sub_mvs)
                    p('    mb(%d,%d) seg %d skip %d %s nzblocks %d' % (
                        r, c, m.segment, m.skip, desc, m.nonzero_blocks))
        p('  macroblocks: ' + ', '.join('%s %d' % kv
                                        for kv in sorted(counts.items())))
        if not h.key_frame:
            p('  max |mv| %d qpel; MBs entirely outside the frame %d; '
              'split 4x4 blocks entirely outside %d' % (maxmv, far_mb,
                                                        far_sub))
        p('  tokens: ' + ', '.join('%s %d' % (TOKEN_NAMES[t], n) for t, n in
                                   sorted(pi['tokens'].items())))


def check(path):
    (iw, ih), frames = ivf_read(path)
    zero = any(len(f) == 0 for f in frames)
    vres = run_vpxdec(path, keep_going=zero)
    outs, peak, clamps = model_decode(frames)
    ref = [d for _, _, d in vres['frames']]
    print('vpxdec rc %d, %d frames; model %d frames; transform peak %d; '
          'clamped pixels %d; libvpx chroma skips %d' % (
              vres['rc'], len(ref), len(outs), peak, clamps,
              model_decode.libvpx_undefined))
    bad = [i for i, (a, b) in enumerate(zip(outs, ref)) if a != b]
    if len(outs) != len(ref) or bad:
        print('MISMATCH in frames %s' % bad)
        return 1
    print('model output identical to vpxdec')
    return 0


# ---------------------------------------------------------------------------
# Random streams: writer + model decoder against vpxdec
# ---------------------------------------------------------------------------

def random_stream(seed):
    """A random multi-frame stream exercising most syntax elements."""
    rng = random.Random(seed)

    def rand_mv(big):
        lim = 900 if big else 40
        return (rng.randint(-lim, lim), rng.randint(-lim, lim))

    def rand_header(key, W, H):
        h = FrameHeader(key_frame=key, width=W, height=H)
        h.version = rng.choice((0, 0, 0, 1, 2, 3))
        h.q_index = rng.randint(0, 127)
        for f in ('ydc_delta', 'y2dc_delta', 'y2ac_delta', 'uvdc_delta',
                  'uvac_delta'):
            if rng.random() < 0.3:
                setattr(h, f, rng.randint(-15, 15))
        h.filter_type = rng.randrange(2)
        h.loop_filter_level = rng.choice((0, rng.randint(0, 63)))
        h.sharpness = rng.randrange(8)
        h.log2_partitions = rng.randrange(4)
        if rng.random() < 0.5:
            h.segmentation_enabled = 1
            h.update_mb_segmentation_map = rng.randrange(2)
            h.update_segment_feature_data = rng.randrange(2)
            h.segment_feature_mode = rng.randrange(2)
            h.segment_quant = [rng.choice((None, rng.randint(-127, 127)))
                               for _ in range(4)]
            h.segment_lf = [rng.choice((None, rng.randint(-63, 63)))
                            for _ in range(4)]
        if rng.random() < 0.5:
            h.lf_adj_enable = 1
            h.lf_delta_update = rng.randrange(2)
            h.ref_lf_deltas = [rng.choice((None, rng.randint(-63, 63)))
                               for _ in range(4)]
            h.mode_lf_deltas = [rng.choice((None, rng.randint(-63, 63)))
                                for _ in range(4)]
        h.mb_no_coeff_skip = rng.randrange(2)
        h.refresh_entropy = rng.random() < 0.7
        if rng.random() < 0.3:
            h.coef_updates = coef_update_set(rng, rng.randint(1, 30), True)
        if not key:
            h.refresh_golden = rng.random() < 0.3
            h.refresh_alt = rng.random() < 0.3
            h.copy_to_golden = rng.randrange(3)
            h.copy_to_alt = rng.randrange(3)
            h.sign_bias_golden = rng.randrange(2)
            h.sign_bias_alt = rng.randrange(2)
            h.refresh_last = rng.random() < 0.7
            if rng.random() < 0.3:
                h.ymode_probs = [rng.randint(1, 255) for _ in range(4)]
            if rng.random() < 0.3:
                h.uvmode_probs = [rng.randint(1, 255) for _ in range(3)]
            if rng.random() < 0.3:
                h.mv_prob_updates = mv_updates(rng, rng.randint(1, 10))
            h.show_frame = rng.random() < 0.9
        return h

    W = rng.randint(1, 5) * 16 - rng.choice((0, 0, 3, 7))
    H = rng.randint(1, 4) * 16 - rng.choice((0, 0, 5))
    ivf_size = (W, H)
    plan = []
    for fi in range(rng.randint(2, 6)):
        key = fi == 0 or rng.random() < 0.1
        if key and fi and rng.random() < 0.5:
            W = rng.randint(1, 5) * 16 - rng.choice((0, 0, 3))
            H = rng.randint(1, 4) * 16 - rng.choice((0, 5))
        hdr = rand_header(key, W, H)
        amp = rng.choice((2, 6, 12))
        specs = []
        for _ in range(((W + 15) >> 4) * ((H + 15) >> 4)):
            if key or rng.random() < 0.2:
                s = intra_mb(rng, amp=amp, density=0.4)
            else:
                big = rng.random() < 0.3
                mode = rng.choice(('zero', 'nearest', 'near', 'new', 'new',
                                   'split'))
                ref = rng.choice((LAST_FRAME, LAST_FRAME, GOLDEN_FRAME,
                                  ALTREF_FRAME))
                part, subs = rand_split(rng, far=900 if big else 40)
                s = inter_mb(rng, ref, mode, mv=rand_mv(big), part=part,
                             subs=subs, amp=amp, density=0.3)
            s['seg'] = rng.randrange(4)
            specs.append(s)
        plan.append((hdr, specs))
    return ivf_size, plan


def fuzz(first, count):
    bad = 0
    tally = {}
    for seed in range(first, first + count):
        (W, H), plan = random_stream(seed)
        fw = FrameWriter()
        try:
            frames = [fw.encode(h, s)[0] for h, s in plan]
        except AssertionError:          # an MV delta out of range
            tally['skipped'] = tally.get('skipped', 0) + 1
            continue
        with tempfile.NamedTemporaryFile(suffix='.ivf') as tf:
            tf.write(ivf_bytes(W, H, frames))
            tf.flush()
            vres = run_vpxdec(tf.name)
        outs, peak, _ = model_decode(frames)
        same = vres['rc'] == 0 and \
            outs == [d for _, _, d in vres['frames']]
        if same:
            res = 'match'
        elif peak >= PEAK_LIMIT:
            res = 'overflow (ignored)'
        elif model_decode.libvpx_undefined:
            res = 'libvpx chroma skip (ignored)'
        else:
            res = 'MISMATCH'
            bad += 1
            print('seed %d: model and vpxdec disagree (rc %d %s)' % (
                seed, vres['rc'], vres['stderr'].strip()))
        tally[res] = tally.get(res, 0) + 1
    print(', '.join('%s %d' % kv for kv in sorted(tally.items())))
    return 1 if bad else 0


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', help='write all synth-* streams + references')
    ap.add_argument('--only', action='append',
                    help='restrict --out to this stream (repeatable)')
    ap.add_argument('--no-verify', action='store_true',
                    help='skip model / variant / fault checks')
    ap.add_argument('cmd', nargs='?', choices=('dump', 'check', 'list', 'fuzz'))
    ap.add_argument('file', nargs='?',
                    help='IVF file (dump, check) or FIRST_SEED:COUNT (fuzz)')
    ap.add_argument('-v', '--verbose', action='store_true')
    a = ap.parse_intermixed_args(argv)
    if a.out:
        n = generate(a.out, a.only, not a.no_verify)
        if n:
            print('%d problem(s)' % n)
            return 1
        return 0
    if a.cmd == 'dump':
        dump(a.file, a.verbose)
        return 0
    if a.cmd == 'check':
        return check(a.file)
    if a.cmd == 'fuzz':
        first, count = (int(x) for x in (a.file or '0:50').split(':'))
        return fuzz(first, count)
    if a.cmd == 'list':
        for r in RECIPES:
            print('%s\n    %s' % (r['name'], r['desc']))
        return 0
    ap.print_help()
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
