#!/usr/bin/env python3
"""Parse the frame headers of VP8 streams in IVF files and report which
bitstream features they use.

Written from RFC 6386 (/work/shared/spec/rfc6386-vp8-spec.txt): the frame tag
and key-frame start code (sections 9.1 and 19.1), the boolean entropy decoder
(section 7.3) and the first-partition frame header (sections 9.2-9.11 and
19.2), stopping after mb_no_skip_coeff / prob_skip_false.  Token partition
sizes (section 9.5) are checked against the frame length.  Standard library
only.

Usage:
  vp8_headers.py STREAM.ivf...              one summary block per stream
  vp8_headers.py --frames STREAM.ivf...     plus one line per frame
  vp8_headers.py --json STREAM.ivf...       machine-readable summaries
  vp8_headers.py --coverage-md OUT.md DIR   write the stream x feature table
                                            for every *.ivf in DIR
"""

import argparse
import collections
import json
import os
import signal
import struct
import sys

import ivf

# Section 13.4: probabilities that each token probability is updated,
# coeff_update_probs[4][8][3][11], flattened in the spec's order.
COEFF_UPDATE_PROBS = [
    # block type 0
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    176, 246, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    223, 241, 252, 255, 255, 255, 255, 255, 255, 255, 255,
    249, 253, 253, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 244, 252, 255, 255, 255, 255, 255, 255, 255, 255,
    234, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    253, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 246, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    239, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    254, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 248, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    251, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    251, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    254, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 254, 253, 255, 254, 255, 255, 255, 255, 255, 255,
    250, 255, 254, 255, 254, 255, 255, 255, 255, 255, 255,
    254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    # block type 1
    217, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    225, 252, 241, 253, 255, 255, 254, 255, 255, 255, 255,
    234, 250, 241, 250, 253, 255, 253, 254, 255, 255, 255,
    255, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    223, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    238, 253, 254, 254, 255, 255, 255, 255, 255, 255, 255,
    255, 248, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    249, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 253, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    247, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    252, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    253, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 254, 253, 255, 255, 255, 255, 255, 255, 255, 255,
    250, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    # block type 2
    186, 251, 250, 255, 255, 255, 255, 255, 255, 255, 255,
    234, 251, 244, 254, 255, 255, 255, 255, 255, 255, 255,
    251, 251, 243, 253, 254, 255, 254, 255, 255, 255, 255,
    255, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    236, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    251, 253, 253, 254, 254, 255, 255, 255, 255, 255, 255,
    255, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    254, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    254, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    # block type 3
    248, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    250, 254, 252, 254, 255, 255, 255, 255, 255, 255, 255,
    248, 254, 249, 253, 255, 255, 255, 255, 255, 255, 255,
    255, 253, 253, 255, 255, 255, 255, 255, 255, 255, 255,
    246, 253, 253, 255, 255, 255, 255, 255, 255, 255, 255,
    252, 254, 251, 254, 254, 255, 255, 255, 255, 255, 255,
    255, 254, 252, 255, 255, 255, 255, 255, 255, 255, 255,
    248, 254, 253, 255, 255, 255, 255, 255, 255, 255, 255,
    253, 255, 254, 254, 255, 255, 255, 255, 255, 255, 255,
    255, 251, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    245, 251, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    253, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 251, 253, 255, 255, 255, 255, 255, 255, 255, 255,
    252, 253, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 252, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    249, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 254, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 253, 255, 255, 255, 255, 255, 255, 255, 255,
    250, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
]
assert len(COEFF_UPDATE_PROBS) == 4 * 8 * 3 * 11


class BoolDecoder:
    """Boolean entropy decoder of RFC 6386 section 7.3.

    Reads past the end of the partition return zero bytes; the number of
    such bytes is counted in `overrun`.
    """

    def __init__(self, buf, start, end):
        self.buf = buf
        self.pos = start
        self.end = min(end, len(buf))
        self.overrun = 0
        self.value = (self._byte() << 8) | self._byte()  # first 2 bytes
        self.range = 255
        self.bit_count = 0

    def _byte(self):
        if self.pos < self.end:
            b = self.buf[self.pos]
            self.pos += 1
            return b
        self.overrun += 1
        return 0

    def read_bool(self, prob):
        split = 1 + (((self.range - 1) * prob) >> 8)
        big_split = split << 8
        if self.value >= big_split:
            ret = 1
            self.range -= split
            self.value -= big_split
        else:
            ret = 0
            self.range = split
        while self.range < 128:
            self.value <<= 1
            self.range <<= 1
            self.bit_count += 1
            if self.bit_count == 8:
                self.bit_count = 0
                self.value |= self._byte()
        return ret

    def flag(self):
        """L(1)"""
        return self.read_bool(128)

    def literal(self, nbits):
        """L(n): n bits, high to low, each at probability 128."""
        v = 0
        for _ in range(nbits):
            v = (v << 1) | self.read_bool(128)
        return v

    def magnitude_sign(self, nbits):
        """An L(n) magnitude followed by an L(1) sign (1 = negative), as
        used for quantizer, segment and loop-filter deltas."""
        m = self.literal(nbits)
        return -m if self.flag() else m

    def optional(self, nbits):
        """L(1) present flag, then magnitude and sign if set; None if not."""
        return self.magnitude_sign(nbits) if self.flag() else None


class HeaderError(Exception):
    pass


def parse_frame(data):
    """Parse one compressed frame; returns a dict of header fields."""
    f = {"length": len(data)}
    if len(data) == 0:
        f["empty"] = True
        return f
    if len(data) < 3:
        raise HeaderError("frame shorter than the 3-byte frame tag")
    tag = data[0] | (data[1] << 8) | (data[2] << 16)
    f["key"] = key = (tag & 1) == 0  # frame type 0 = key frame
    f["version"] = (tag >> 1) & 7
    f["show"] = (tag >> 4) & 1
    f["first_part_size"] = first = (tag >> 5) & 0x7FFFF
    pos = 3
    if key:
        if len(data) < 10:
            raise HeaderError("key frame shorter than 10 bytes")
        if data[3:6] != b"\x9d\x01\x2a":
            raise HeaderError("bad start code %s" % data[3:6].hex())
        w, h = struct.unpack_from("<HH", data, 6)
        f["width"], f["hscale"] = w & 0x3FFF, w >> 14
        f["height"], f["vscale"] = h & 0x3FFF, h >> 14
        pos = 10
    if pos + first > len(data):
        raise HeaderError("first partition (%d bytes) overruns the frame" % first)

    d = BoolDecoder(data, pos, pos + first)
    if key:
        f["color_space"] = d.flag()
        f["clamping_type"] = d.flag()

    # 9.3 segmentation
    f["seg_enabled"] = d.flag()
    if f["seg_enabled"]:
        f["seg_update_map"] = d.flag()
        f["seg_update_data"] = d.flag()
        if f["seg_update_data"]:
            f["seg_abs"] = d.flag()
            f["seg_quant"] = [d.optional(7) for _ in range(4)]
            f["seg_lf"] = [d.optional(6) for _ in range(4)]
        if f["seg_update_map"]:
            f["seg_probs"] = [d.literal(8) if d.flag() else 255 for _ in range(3)]

    # 9.4 loop filter
    f["filter_type"] = d.flag()  # 0 normal, 1 simple
    f["filter_level"] = d.literal(6)
    f["sharpness"] = d.literal(3)
    f["lf_adj_enable"] = d.flag()
    if f["lf_adj_enable"]:
        f["lf_delta_update"] = d.flag()
        if f["lf_delta_update"]:
            f["ref_lf_deltas"] = [d.optional(6) for _ in range(4)]
            f["mode_lf_deltas"] = [d.optional(6) for _ in range(4)]

    # 9.5 token partitions
    f["log2_parts"] = d.literal(2)
    nparts = 1 << f["log2_parts"]
    f["parts"] = nparts
    p = pos + first
    sizes_end = p + 3 * (nparts - 1)
    if sizes_end > len(data):
        raise HeaderError("partition size table overruns the frame")
    sizes = []
    q = sizes_end
    for i in range(nparts - 1):
        s = data[p + 3 * i] | (data[p + 3 * i + 1] << 8) | (data[p + 3 * i + 2] << 16)
        sizes.append(s)
        q += s
    if q > len(data):
        raise HeaderError("token partitions overrun the frame")
    sizes.append(len(data) - q)
    f["part_sizes"] = sizes

    # 9.6 quantizer indices
    f["y_ac_qi"] = d.literal(7)
    for name in ("y_dc_delta", "y2_dc_delta", "y2_ac_delta", "uv_dc_delta", "uv_ac_delta"):
        v = d.optional(4)
        f[name] = 0 if v is None else v

    # 9.7 / 9.8 reference updates
    if key:
        f["refresh_entropy_probs"] = d.flag()
    else:
        f["refresh_golden"] = d.flag()
        f["refresh_alt"] = d.flag()
        f["copy_to_golden"] = 0 if f["refresh_golden"] else d.literal(2)
        f["copy_to_alt"] = 0 if f["refresh_alt"] else d.literal(2)
        f["sign_bias_golden"] = d.flag()
        f["sign_bias_alt"] = d.flag()
        f["refresh_entropy_probs"] = d.flag()
        f["refresh_last"] = d.flag()

    # 9.9 / 13.4 token probability updates
    n = 0
    for p_upd in COEFF_UPDATE_PROBS:
        if d.read_bool(p_upd):
            d.literal(8)
            n += 1
    f["coeff_prob_updates"] = n

    # 9.10 / 9.11 (stop after prob_skip_false)
    f["mb_no_coeff_skip"] = d.flag()
    if f["mb_no_coeff_skip"]:
        f["prob_skip_false"] = d.literal(8)
    if d.overrun > 2:
        raise HeaderError("header runs past the end of the first partition")
    return f


def read_ivf(path):
    """Return (IVF info, [(pts, frame bytes)]) of a VP8 IVF file."""
    try:
        hdr, frames = ivf.read(path)
    except ivf.IvfError as e:
        raise HeaderError(str(e))
    if hdr["fourcc"] != ivf.FOURCC_VP8:
        raise HeaderError("%s: fourcc %r is not VP80" % (path, hdr["fourcc"]))
    info = {"ivf_width": hdr["width"], "ivf_height": hdr["height"], "ivf_rate": hdr["rate"],
            "ivf_scale": hdr["scale"], "ivf_frame_count": hdr["frame_count"],
            "file_size": hdr["file_size"]}
    return info, frames


def fmt_set(values):
    vals = sorted(set(values))
    if not vals:
        return "-"
    if all(isinstance(v, int) for v in vals) and len(vals) > 3 and vals == list(range(vals[0], vals[-1] + 1)):
        return "%d..%d" % (vals[0], vals[-1])
    return ",".join(str(v) for v in vals)


def fmt_counter(c):
    return ",".join("%s:%d" % (k, c[k]) for k in sorted(c)) if c else "-"


def summarize(path):
    info, frames = read_ivf(path)
    s = {"name": os.path.basename(path)}
    s.update(info)
    parsed = []
    errors = []
    for i, (pts, data) in enumerate(frames):
        try:
            f = parse_frame(data)
        except HeaderError as e:
            f = {"length": len(data), "error": str(e)}
            errors.append("frame %d: %s" % (i, e))
        f["pts"] = pts
        parsed.append(f)
    ok = [f for f in parsed if "error" not in f and not f.get("empty")]
    height = None
    for f in ok:
        if f["key"]:
            height = f["height"]
        f["mb_rows"] = (height + 15) // 16 if height is not None else None
    keys = [f for f in ok if f["key"]]
    inter = [f for f in ok if not f["key"]]
    C = collections.Counter
    sizes = []
    for f in keys:
        wh = "%dx%d" % (f["width"], f["height"])
        if not sizes or sizes[-1] != wh:
            sizes.append(wh)
    pts = [f["pts"] for f in parsed]
    s.update({
        "frames": len(parsed),
        "errors": errors,
        "empty_frames": sum(1 for f in parsed if f.get("empty")),
        "pts_gaps": sum(1 for a, b in zip(pts, pts[1:]) if b - a > 1),
        "versions": sorted(set(f["version"] for f in ok)),
        "sizes": sizes,  # coded sizes of key frames, consecutive repeats removed
        "size_changes": max(0, len(sizes) - 1),
        "scales": sorted(set("%d/%d" % (f["hscale"], f["vscale"]) for f in keys)),
        "key_frames": len(keys),
        "hidden_frames": sum(1 for f in ok if f["show"] == 0),
        "color_space_1": sum(1 for f in keys if f["color_space"]),
        "clamping_type_1": sum(1 for f in keys if f["clamping_type"]),
        "parts": sorted(set(f["parts"] for f in ok)),
        "empty_token_partitions": sum(1 for f in ok for x in f["part_sizes"] if x == 0),
        "parts_over_mb_rows": sum(1 for f in ok if f["mb_rows"] is not None and f["parts"] > f["mb_rows"]),
        "seg_enabled": sum(1 for f in ok if f["seg_enabled"]),
        "seg_map_updates": sum(1 for f in ok if f.get("seg_update_map")),
        "seg_map_kept": sum(1 for f in ok if f["seg_enabled"] and not f["seg_update_map"]),
        "seg_data_updates": sum(1 for f in ok if f.get("seg_update_data")),
        "seg_abs": sum(1 for f in ok if f.get("seg_abs")),
        "seg_quant_values": sorted(set(v for f in ok for v in f.get("seg_quant", []) if v is not None)),
        "seg_lf_values": sorted(set(v for f in ok for v in f.get("seg_lf", []) if v is not None)),
        "filter_types": sorted(set("simple" if f["filter_type"] else "normal" for f in ok)),
        "filter_levels": sorted(set(f["filter_level"] for f in ok)),
        "filter_level_0": sum(1 for f in ok if f["filter_level"] == 0),
        "sharpness": sorted(set(f["sharpness"] for f in ok)),
        "lf_adj_enabled": sum(1 for f in ok if f["lf_adj_enable"]),
        "lf_delta_updates": sum(1 for f in ok if f.get("lf_delta_update")),
        "lf_delta_updates_inter": sum(1 for f in inter if f.get("lf_delta_update")),
        "ref_lf_deltas": sorted(set(str(f["ref_lf_deltas"]) for f in ok if "ref_lf_deltas" in f)),
        "mode_lf_deltas": sorted(set(str(f["mode_lf_deltas"]) for f in ok if "mode_lf_deltas" in f)),
        "refresh_entropy_0": sum(1 for f in ok if f["refresh_entropy_probs"] == 0),
        "refresh_golden": sum(1 for f in inter if f["refresh_golden"]),
        "refresh_alt": sum(1 for f in inter if f["refresh_alt"]),
        "copy_to_golden": dict(C(f["copy_to_golden"] for f in inter)),
        "copy_to_alt": dict(C(f["copy_to_alt"] for f in inter)),
        "sign_bias_golden": sum(1 for f in inter if f["sign_bias_golden"]),
        "sign_bias_alt": sum(1 for f in inter if f["sign_bias_alt"]),
        "refresh_last_0": sum(1 for f in inter if f["refresh_last"] == 0),
        "coeff_prob_update_frames": sum(1 for f in ok if f["coeff_prob_updates"]),
        "mb_no_coeff_skip": dict(C(f["mb_no_coeff_skip"] for f in ok)),
        "y_ac_qi": sorted(set(f["y_ac_qi"] for f in ok)),
    })
    for name in ("y_dc_delta", "y2_dc_delta", "y2_ac_delta", "uv_dc_delta", "uv_ac_delta"):
        s[name] = sorted(set(f[name] for f in ok if f[name]))
    return s, parsed


def frame_line(i, f):
    if "error" in f:
        return "  %4d ERROR %s" % (i, f["error"])
    if f.get("empty"):
        return "  %4d pts=%d empty (0 bytes)" % (i, f["pts"])
    parts = ["  %4d pts=%-4d %s v%d show=%d len=%d p1=%d" % (
        i, f["pts"], "KEY" if f["key"] else "int", f["version"], f["show"],
        f["length"], f["first_part_size"])]
    if f["key"]:
        parts.append("%dx%d scale=%d/%d cs=%d clamp=%d" % (
            f["width"], f["height"], f["hscale"], f["vscale"], f["color_space"], f["clamping_type"]))
    if f["seg_enabled"]:
        seg = "seg(map=%d data=%d" % (f["seg_update_map"], f["seg_update_data"])
        if f["seg_update_data"]:
            seg += " %s q=%s lf=%s" % ("abs" if f["seg_abs"] else "delta", f["seg_quant"], f["seg_lf"])
        parts.append(seg + ")")
    parts.append("lf=%s/%d/sh%d" % ("simple" if f["filter_type"] else "normal",
                                   f["filter_level"], f["sharpness"]))
    if f["lf_adj_enable"]:
        if f.get("lf_delta_update"):
            parts.append("lfdelta(ref=%s mode=%s)" % (f["ref_lf_deltas"], f["mode_lf_deltas"]))
        else:
            parts.append("lfadj")
    parts.append("parts=%d%s" % (f["parts"], str(f["part_sizes"]) if f["parts"] > 1 else ""))
    q = "q=%d" % f["y_ac_qi"]
    for name in ("y_dc_delta", "y2_dc_delta", "y2_ac_delta", "uv_dc_delta", "uv_ac_delta"):
        if f[name]:
            q += " %s=%d" % (name[:-6], f[name])
    parts.append(q)
    if not f["key"]:
        parts.append("gf=%d arf=%d cpg=%d cpa=%d sb=%d%d last=%d" % (
            f["refresh_golden"], f["refresh_alt"], f["copy_to_golden"], f["copy_to_alt"],
            f["sign_bias_golden"], f["sign_bias_alt"], f["refresh_last"]))
    parts.append("ent=%d upd=%d skip=%s" % (
        f["refresh_entropy_probs"], f["coeff_prob_updates"],
        f["prob_skip_false"] if f["mb_no_coeff_skip"] else "off"))
    return " ".join(parts)


def summary_text(s):
    lines = ["%s: %d frames, %d bytes" % (s["name"], s["frames"], s["file_size"])]
    order = ["versions", "sizes", "scales", "key_frames", "hidden_frames", "empty_frames",
             "pts_gaps", "parts", "empty_token_partitions", "parts_over_mb_rows", "seg_enabled",
             "seg_map_updates", "seg_map_kept",
             "seg_data_updates", "seg_abs", "seg_quant_values", "seg_lf_values", "filter_types",
             "filter_levels", "sharpness", "lf_adj_enabled", "lf_delta_updates",
             "lf_delta_updates_inter", "ref_lf_deltas", "mode_lf_deltas", "refresh_entropy_0",
             "refresh_golden", "refresh_alt", "copy_to_golden", "copy_to_alt",
             "sign_bias_golden", "sign_bias_alt", "refresh_last_0", "mb_no_coeff_skip",
             "y_ac_qi", "y_dc_delta", "y2_dc_delta", "y2_ac_delta", "uv_dc_delta",
             "uv_ac_delta", "color_space_1", "clamping_type_1", "coeff_prob_update_frames"]
    for k in order:
        v = s[k]
        if isinstance(v, list):
            v = fmt_set(v) if all(isinstance(x, int) for x in v) else (",".join(map(str, v)) or "-")
        elif isinstance(v, dict):
            v = fmt_counter(v)
        lines.append("  %-26s %s" % (k, v))
    for e in s["errors"]:
        lines.append("  ERROR " + e)
    return "\n".join(lines)


def _odd(s):
    return any(int(x) % 2 for wh in s["sizes"] for x in wh.split("x"))


def _not16(s):
    return any(int(x) % 16 for wh in s["sizes"] for x in wh.split("x"))


# (feature, predicate, expected from vpxenc?)  vpxenc=False marks features that
# libvpx's encoder never writes (see shared/spec/vpxenc-features.md); those can
# only come from hand-made streams.
FEATURES = [
    ("version 0 (6-tap, normal filter)", lambda s: 0 in s["versions"], True),
    ("version 1 (bilinear, simple filter)", lambda s: 1 in s["versions"], True),
    ("version 2 (bilinear, no filter)", lambda s: 2 in s["versions"], True),
    ("version 3 (full-pixel chroma)", lambda s: 3 in s["versions"], True),
    ("1 token partition", lambda s: 1 in s["parts"], True),
    ("2 token partitions", lambda s: 2 in s["parts"], True),
    ("4 token partitions", lambda s: 4 in s["parts"], True),
    ("8 token partitions", lambda s: 8 in s["parts"], True),
    ("more token partitions than macroblock rows", lambda s: s["parts_over_mb_rows"] > 0, True),
    ("zero-length token partition", lambda s: s["empty_token_partitions"] > 0, False),
    ("odd width or height", _odd, True),
    ("size not a multiple of 16", _not16, True),
    ("1x1 frame", lambda s: "1x1" in s["sizes"], True),
    ("coded size change on a key frame", lambda s: s["size_changes"] > 0, True),
    ("scale bits != 0", lambda s: any(x != "0/0" for x in s["scales"]), True),
    ("every frame a key frame", lambda s: s["frames"] > 1 and s["key_frames"] == s["frames"], True),
    ("several key frames (not every frame)", lambda s: 1 < s["key_frames"] < s["frames"], True),
    ("hidden frame (show_frame=0)", lambda s: s["hidden_frames"] > 0, True),
    ("dropped frames (pts gaps)", lambda s: s["pts_gaps"] > 0, True),
    ("zero-length frame", lambda s: s["empty_frames"] > 0, False),
    ("segmentation enabled", lambda s: s["seg_enabled"] > 0, True),
    ("segment map update", lambda s: s["seg_map_updates"] > 0, True),
    ("segment feature data update", lambda s: s["seg_data_updates"] > 0, True),
    ("segmentation on, map kept from the previous frame", lambda s: s["seg_map_kept"] > 0, False),
    ("segment quantizer values", lambda s: bool(s["seg_quant_values"]), True),
    ("segment loop-filter values", lambda s: bool(s["seg_lf_values"]), False),
    ("segment values absolute (segment_feature_mode=1)", lambda s: s["seg_abs"] > 0, False),
    ("simple loop filter", lambda s: "simple" in s["filter_types"], True),
    ("simple loop filter in a version-0 stream", lambda s: "simple" in s["filter_types"] and s["versions"] == [0], True),
    ("loop filter level 0", lambda s: s["filter_level_0"] > 0, True),
    ("loop filter level 63", lambda s: 63 in s["filter_levels"], True),
    ("loop filter deltas enabled", lambda s: s["lf_adj_enabled"] > 0, True),
    ("loop filter delta update", lambda s: s["lf_delta_updates"] > 0, True),
    ("loop filter delta update on an inter frame", lambda s: s["lf_delta_updates_inter"] > 0, True),
    ("refresh_entropy_probs=0", lambda s: s["refresh_entropy_0"] > 0, True),
    ("refresh_golden_frame=1 (inter frame)", lambda s: s["refresh_golden"] > 0, True),
    ("refresh_alternate_frame=1 (inter frame)", lambda s: s["refresh_alt"] > 0, True),
    ("copy_buffer_to_golden=1 (last)", lambda s: s["copy_to_golden"].get(1, 0) > 0, False),
    ("copy_buffer_to_golden=2 (alt-ref)", lambda s: s["copy_to_golden"].get(2, 0) > 0, False),
    ("copy_buffer_to_alternate=1 (last)", lambda s: s["copy_to_alt"].get(1, 0) > 0, False),
    ("copy_buffer_to_alternate=2 (golden)", lambda s: s["copy_to_alt"].get(2, 0) > 0, True),
    ("sign_bias_golden=1", lambda s: s["sign_bias_golden"] > 0, False),
    ("sign_bias_alternate=1", lambda s: s["sign_bias_alt"] > 0, True),
    ("refresh_last=0", lambda s: s["refresh_last_0"] > 0, True),
    ("mb_no_coeff_skip=0", lambda s: s["mb_no_coeff_skip"].get(0, 0) > 0, False),
    ("color_space=1", lambda s: s["color_space_1"] > 0, False),
    ("clamping_type=1", lambda s: s["clamping_type_1"] > 0, False),
    ("quantizer index 0", lambda s: 0 in s["y_ac_qi"], True),
    ("quantizer index 127", lambda s: 127 in s["y_ac_qi"], True),
    ("y_dc delta", lambda s: bool(s["y_dc_delta"]), False),
    ("y2_dc delta", lambda s: bool(s["y2_dc_delta"]), True),
    ("y2_ac delta", lambda s: bool(s["y2_ac_delta"]), False),
    ("uv_dc delta", lambda s: bool(s["uv_dc_delta"]), True),
    ("uv_ac delta", lambda s: bool(s["uv_ac_delta"]), True),
] + [("sharpness %d" % n, (lambda n: lambda s: n in s["sharpness"])(n), True) for n in range(8)]


def _list(v):
    if not v:
        return "-"
    if all(isinstance(x, int) for x in v):
        return fmt_set(v)
    return " ".join(str(x) for x in v)


def _deltas(s):
    out = []
    for name in ("y_dc_delta", "y2_dc_delta", "y2_ac_delta", "uv_dc_delta", "uv_ac_delta"):
        if s[name]:
            out.append("%s %s" % (name[:-6], fmt_set(s[name])))
    return "; ".join(out) or "-"


def coverage_md(summaries, command):
    out = ["Generated by `%s`; do not edit by hand." % command, ""]
    out.append("# VP8 corpus header coverage")
    out.append("")
    out.append("Per-stream frame-header statistics parsed by `vp8_headers.py` (RFC 6386 "
               "sections 9 and 19.2, first partition up to `prob_skip_false`). "
               "Streams named `synth-*` are hand-made by the project's own tooling; the rest "
               "come from `make_corpus.sh` (libvpx `vpxenc`).")
    out.append("")
    out.append("Columns: **fr** frames in the IVF; **key** key frames; **hid** frames with "
               "show_frame=0; **parts** token partition counts; **seg** frames with "
               "segmentation enabled / with a map update; **lf** filter types and level range; "
               "**sh** sharpness values; **lfΔ** frames updating loop-filter deltas; **ent0** "
               "frames with refresh_entropy_probs=0; **gf/arf** inter frames refreshing golden / "
               "alt-ref; **cp gf**, **cp arf** copy_buffer_to_golden / _alternate values "
               "(value:count); **sb g/a** inter frames with golden / alt-ref sign bias; "
               "**last0** inter frames with refresh_last=0; **skip** mb_no_coeff_skip "
               "values (value:count); **q** y_ac_qi values; **q deltas** non-zero quantizer "
               "deltas.")
    out.append("")
    cols = ["stream", "bytes", "fr", "ver", "coded sizes", "scale", "key", "hid", "parts",
            "seg", "lf", "sh", "lfΔ", "ent0", "gf/arf", "cp gf", "cp arf", "sb g/a",
            "last0", "skip", "q", "q deltas"]
    out.append("| " + " | ".join(cols) + " |")
    out.append("|" + "---|" * len(cols))
    for s in summaries:
        lf = "%s %s" % ("+".join(s["filter_types"]), fmt_set(s["filter_levels"])) if s["frames"] else "-"
        sizes = s["sizes"]
        size_txt = " → ".join(sizes) if len(sizes) <= 4 else "%s → … (%d changes)" % (sizes[0], s["size_changes"])
        row = [
            "`%s`" % s["name"], str(s["file_size"]), str(s["frames"]), _list(s["versions"]),
            size_txt or "-", _list(s["scales"]), str(s["key_frames"]), str(s["hidden_frames"]),
            _list(s["parts"]), "%d/%d" % (s["seg_enabled"], s["seg_map_updates"]), lf,
            _list(s["sharpness"]), str(s["lf_delta_updates"]), str(s["refresh_entropy_0"]),
            "%d/%d" % (s["refresh_golden"], s["refresh_alt"]), fmt_counter(s["copy_to_golden"]),
            fmt_counter(s["copy_to_alt"]), "%d/%d" % (s["sign_bias_golden"], s["sign_bias_alt"]),
            str(s["refresh_last_0"]), fmt_counter(s["mb_no_coeff_skip"]), _list(s["y_ac_qi"]),
            _deltas(s),
        ]
        if s["errors"]:
            row[0] += " (**%d header errors**)" % len(s["errors"])
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append("## Feature checklist")
    out.append("")
    out.append("\"vpxenc?\" says whether libvpx's encoder produces the feature. \"no\" means "
               "it never writes it (see shared/spec/vpxenc-features.md) or no vpxenc setting "
               "was found that does; those features can only come from hand-made `synth-*` "
               "streams.")
    out.append("")
    out.append("| feature | vpxenc? | streams (vpxenc) | streams (synth-) |")
    out.append("|---|---|---|---|")
    missing = []
    for name, pred, from_vpxenc in FEATURES:
        hits = [s["name"] for s in summaries if s["frames"] and pred(s)]
        enc = [h for h in hits if not h.startswith("synth-")]
        syn = [h for h in hits if h.startswith("synth-")]

        def show(lst):
            if not lst:
                return "—"
            shown = ", ".join("`%s`" % h[:-4] if h.endswith(".ivf") else h for h in lst[:4])
            return shown + (" +%d more" % (len(lst) - 4) if len(lst) > 4 else "")
        if from_vpxenc and not enc:
            missing.append(name)
        out.append("| %s | %s | %s | %s |" % (name, "yes" if from_vpxenc else "no",
                                              show(enc), show(syn)))
    out.append("")
    if missing:
        out.append("**Missing from the vpxenc streams:** " + "; ".join(missing))
    else:
        out.append("Every feature marked \"yes\" appears in at least one vpxenc stream.")
    out.append("")
    return "\n".join(out), missing


def main(argv=None):
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", help="IVF files, or a directory (all *.ivf in it)")
    ap.add_argument("--frames", action="store_true", help="also print one line per frame")
    ap.add_argument("--json", action="store_true", help="print summaries as JSON")
    ap.add_argument("--coverage-md", metavar="OUT", help="write the coverage table to OUT")
    ap.add_argument("--command", default=None,
                    help="command recorded on the first line of the coverage file")
    args = ap.parse_args(argv)

    files = []
    for p in args.paths:
        if os.path.isdir(p):
            files += [os.path.join(p, n) for n in sorted(os.listdir(p)) if n.endswith(".ivf")]
        else:
            files.append(p)
    summaries = []
    status = 0
    for path in files:
        try:
            s, frames = summarize(path)
        except HeaderError as e:
            print("ERROR %s" % e, file=sys.stderr)
            status = 1
            continue
        if s["errors"]:
            status = 1
        summaries.append(s)
        if args.coverage_md or args.json:
            continue
        print(summary_text(s))
        if args.frames:
            for i, f in enumerate(frames):
                print(frame_line(i, f))
        print()
    if args.json:
        json.dump(summaries, sys.stdout, indent=1, sort_keys=True)
        print()
    if args.coverage_md:
        cmd = args.command or "python3 %s --coverage-md %s %s" % (
            sys.argv[0], args.coverage_md, " ".join(args.paths))
        text, missing = coverage_md(summaries, cmd)
        with open(args.coverage_md, "w") as fh:
            fh.write(text)
        print("wrote %s (%d streams)" % (args.coverage_md, len(summaries)))
        for m in missing:
            print("missing from the vpxenc streams: %s" % m)
    return status


if __name__ == "__main__":
    sys.exit(main())
