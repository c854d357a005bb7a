"""IVF container (the 32-byte DKIF file header, then a 12-byte header per frame), read and
written in one place for the corpus scripts: vp8_headers.py and synth/vp8synth.py.
Standard library only."""

import struct

HEADER_LEN = 32
FOURCC_VP8 = b"VP80"


class IvfError(ValueError):
    pass


def parse(data, name="IVF data", truncated_ok=False):
    """Return (header dict, [(pts, frame bytes)]).  A truncated last frame raises IvfError,
    unless truncated_ok, which keeps the bytes there are (a frame header cut short is dropped)."""
    if len(data) < HEADER_LEN or data[:4] != b"DKIF":
        raise IvfError("%s: not an IVF file" % name)
    hdr_len = struct.unpack_from("<H", data, 6)[0]
    w, h, rate, scale, count = struct.unpack_from("<HHIII", data, 12)
    header = {"fourcc": data[8:12], "width": w, "height": h, "rate": rate, "scale": scale,
              "frame_count": count, "header_len": hdr_len, "file_size": len(data)}
    frames = []
    pos = hdr_len
    while pos < len(data):
        if pos + 12 > len(data):
            if truncated_ok:
                break
            raise IvfError("%s: truncated IVF frame header" % name)
        size, pts = struct.unpack_from("<IQ", data, pos)
        pos += 12
        if pos + size > len(data) and not truncated_ok:
            raise IvfError("%s: truncated IVF frame" % name)
        frames.append((pts, data[pos:pos + size]))
        pos += size
    return header, frames


def read(path, truncated_ok=False):
    with open(path, "rb") as fh:
        return parse(fh.read(), path, truncated_ok)


def write(width, height, frames, rate=30, scale=1, fourcc=FOURCC_VP8):
    """IVF bytes of `frames` (a list of frame bytes), frame i with pts i."""
    out = bytearray(b"DKIF")
    out += struct.pack("<HH4sHHIII", 0, HEADER_LEN, fourcc, width, height, rate, scale,
                       len(frames))
    out += bytes(4)  # unused
    for pts, data in enumerate(frames):
        out += struct.pack("<IQ", len(data), pts) + data
    return bytes(out)
