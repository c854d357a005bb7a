#!/usr/bin/env python3
"""bench_c.py - whole-process benchmark of the C stage (upstream-c/ vp8dec) against
libvpx (vpxdec) and FFmpeg's VP8 decoder (with and without its asm), on 1080p streams.

    python3 bench/bench_c.py                      full run (10 timed rounds + 1 warm-up)
    python3 bench/bench_c.py --quick              smoke test (30 frames, 3 rounds)
    python3 bench/bench_c.py --json r.json --markdown r.md
    python3 bench/bench_c.py --cc clang --streams noisy,motion --rounds 20

Steps:
  1. make the benchmark streams (ffmpeg lavfi source -> vpxenc, single-threaded, fixed
     settings) unless target/bench-streams/ already holds them (file names carry a hash
     of the settings and tool versions, so a change makes new files);
  2. build vp8dec with make into target/bench-build (target/bench-build-clang for clang);
  3. check that every decoder gives the same MD5 of the I420 output on every stream
     (abort otherwise: timing a decoder that decodes wrongly means nothing);
  4. time R rounds (after W discarded warm-up rounds); each round runs every
     (stream, decoder) command once, in an order shuffled with a fixed seed.  Each run's
     user+sys CPU time comes from os.wait4; wall time is measured too.

Python 3.8+, standard library only.  See bench/README.md for how to read the output.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "target")
STREAM_DIR = os.path.join(TARGET, "bench-streams")

WIDTH, HEIGHT, FPS = 1920, 1080, 30
FULL_FRAMES, QUICK_FRAMES = 120, 30
FULL_ROUNDS, QUICK_ROUNDS = 10, 3

# Common vpxenc settings: one thread, deterministic, no frame dropping or resizing.
VPXENC_COMMON = [
    "--codec=vp8", "--ivf", "--threads=1", "--quiet", "--disable-warning-prompt",
    "--i420", "--width=%d" % WIDTH, "--height=%d" % HEIGHT,
    "--fps=%d/1" % FPS, "--timebase=1/%d" % FPS,
    "--kf-max-dist=60", "--drop-frame=0", "--resize-allowed=0",
]

# The benchmark streams.  "graph" is an ffmpeg lavfi graph producing 1920x1080 frames;
# every random element has a fixed seed.  "vpxenc" holds the per-stream encoder settings.
STREAMS = [
    {
        "name": "noisy",
        "desc": "detailed + noisy: testsrc2 with strong temporal noise; 2-pass VBR, "
                "target 12 Mb/s (token decoding heavy)",
        "graph": "testsrc2=size=1920x1080:rate=30,noise=alls=20:allf=t+u:all_seed=1234",
        "vpxenc": ["--good", "--cpu-used=4", "--passes=2", "--end-usage=vbr",
                   "--target-bitrate=12000", "--auto-alt-ref=1", "--lag-in-frames=16"],
    },
    {
        "name": "motion",
        "desc": "high motion: a 1080p window panning over a Mandelbrot set at 50 px/frame "
                "across and 23 px/frame down; 2-pass VBR, target 6 Mb/s (inter prediction heavy)",
        "graph": "mandelbrot=size=2880x1800:rate=30:maxiter=256:start_scale=2.5:"
                 "end_scale=2.5,crop=w=1920:h=1080:x='mod(t*1500,960)':y='mod(t*700,720)'",
        "vpxenc": ["--good", "--cpu-used=4", "--passes=2", "--end-usage=vbr",
                   "--target-bitrate=6000", "--auto-alt-ref=1", "--lag-in-frames=16"],
    },
    {
        "name": "lowrate",
        "desc": "low bit rate: blurred testsrc2, realtime mode (--rt, speed 8) CBR, "
                "target 300 kb/s, which VP8 cannot reach at 1080p: it ends at max q "
                "(few tokens; prediction, skip and loop filter heavy)",
        "graph": "testsrc2=size=1920x1080:rate=30,gblur=sigma=4",
        # --cpu-used=-8, not 8: in realtime mode a positive value lets VP8 pick its speed
        # from measured encoding times (different bytes on every run); negative = fixed 8.
        "vpxenc": ["--rt", "--cpu-used=-8", "--end-usage=cbr", "--target-bitrate=300",
                   "--lag-in-frames=0"],
    },
    {
        "name": "parts2",
        "desc": "2 token partitions (--token-parts=1): Mandelbrot zoom; 2-pass VBR, "
                "target 4 Mb/s",
        "graph": "mandelbrot=size=1920x1080:rate=30:maxiter=256",
        "vpxenc": ["--good", "--cpu-used=4", "--passes=2", "--end-usage=vbr",
                   "--target-bitrate=4000", "--auto-alt-ref=1", "--lag-in-frames=16",
                   "--token-parts=1"],
    },
]


def die(msg):
    sys.stderr.write("bench_c.py: error: %s\n" % msg)
    sys.exit(1)


def note(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def run_text(cmd, **kw):
    """Run cmd, return stdout as text; abort with its stderr on failure."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, universal_newlines=True, **kw)
    if p.returncode != 0:
        die("command failed (exit %d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                  p.stderr.strip()[-2000:]))
    return p.stdout


def need(tool, pkg):
    if shutil.which(tool) is None:
        die("'%s' not found; install it with: apt-get install -y %s" % (tool, pkg))


# ---------------------------------------------------------------------------------------
# Tool versions (part of the stream cache key and of the report).

def help_text(tool):
    return subprocess.run([tool, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, universal_newlines=True).stdout


def tool_versions():
    v = {}
    m = re.search(r"VP8 Encoder (v\S+)", help_text("vpxenc"))
    v["vpxenc"] = m.group(1) if m else "unknown"
    m = re.search(r"VP8 Decoder (v\S+)", help_text("vpxdec"))
    v["vpxdec"] = m.group(1) if m else "unknown"
    first = run_text(["ffmpeg", "-hide_banner", "-version"]).splitlines()[0]
    m = re.match(r"ffmpeg version (\S+)", first)
    v["ffmpeg"] = m.group(1) if m else first
    return v


# ---------------------------------------------------------------------------------------
# Stream generation and cache.

def stream_key(spec, frames, versions):
    settings = {
        "graph": spec["graph"], "vpxenc": VPXENC_COMMON + spec["vpxenc"],
        "frames": frames, "size": [WIDTH, HEIGHT], "fps": FPS,
        "vpxenc_version": versions["vpxenc"], "ffmpeg_version": versions["ffmpeg"],
    }
    blob = json.dumps(settings, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:12], settings


def ivf_info(path):
    """Frame count, shown-frame count and byte size of an IVF/VP8 file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 32 or data[:4] != b"DKIF" or data[8:12] != b"VP80":
        die("%s is not an IVF file with fourcc VP80" % path)
    hdr_len = struct.unpack_from("<H", data, 6)[0]
    pos, frames, shown = hdr_len, 0, 0
    while pos + 12 <= len(data):
        size = struct.unpack_from("<I", data, pos)[0]
        pos += 12
        if size > 0 and pos < len(data):
            frames += 1
            if (data[pos] >> 4) & 1:    # show_frame bit of the VP8 frame tag
                shown += 1
        pos += size
    return {"frames": frames, "shown": shown, "bytes": len(data)}


def make_stream(spec, frames, versions):
    """Return the path of the cached stream, generating it if needed."""
    key, settings = stream_key(spec, frames, versions)
    base = "%s-%dx%d-%df-%s" % (spec["name"], WIDTH, HEIGHT, frames, key)
    ivf = os.path.join(STREAM_DIR, base + ".ivf")
    if os.path.exists(ivf):
        note("stream %-8s cached    %s" % (spec["name"], os.path.relpath(ivf, ROOT)))
        return ivf, False, 0.0
    os.makedirs(STREAM_DIR, exist_ok=True)
    note("stream %-8s generating %d frames of %dx%d ..." % (spec["name"], frames, WIDTH, HEIGHT))
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=STREAM_DIR) as tmp:
        yuv = os.path.join(tmp, "src.yuv")
        run_text(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                  "-filter_threads", "1", "-threads", "1", "-f", "lavfi", "-i", spec["graph"],
                  "-vf", "scale=%d:%d:flags=bicubic+accurate_rnd+full_chroma_int+bitexact,"
                         "format=yuv420p" % (WIDTH, HEIGHT),
                  "-frames:v", str(frames), "-fflags", "+bitexact",
                  "-f", "rawvideo", "-pix_fmt", "yuv420p", "-y", yuv])
        want = frames * WIDTH * HEIGHT * 3 // 2
        if os.path.getsize(yuv) != want:
            die("%s: source has %d bytes, expected %d" % (spec["name"], os.path.getsize(yuv), want))
        t1 = time.perf_counter()
        out = os.path.join(tmp, "out.ivf")
        run_text(["vpxenc"] + VPXENC_COMMON + ["--limit=%d" % frames] + spec["vpxenc"]
                 + ["-o", out, yuv])
        t2 = time.perf_counter()
        with open(os.path.join(tmp, "settings.json"), "w") as f:
            json.dump(settings, f, indent=1, sort_keys=True)
        os.replace(os.path.join(tmp, "settings.json"),
                   os.path.join(STREAM_DIR, base + ".json"))
        os.replace(out, ivf)  # atomic: a half-made stream never appears in the cache
    info = ivf_info(ivf)
    note("stream %-8s made in %.1f s (source %.1f s, vpxenc %.1f s): %d frames, %.0f kb/s  %s"
         % (spec["name"], t2 - t0, t1 - t0, t2 - t1, info["frames"],
            info["bytes"] * 8 / 1000 / (frames / FPS), os.path.relpath(ivf, ROOT)))
    return ivf, True, t2 - t0


# ---------------------------------------------------------------------------------------
# Build.

def build(cc):
    need("make", "make")
    need(cc, cc)
    bdir = os.path.join(TARGET, "bench-build" if cc == "gcc" else "bench-build-" + os.path.basename(cc))
    jobs = str(os.cpu_count() or 1)
    note("building vp8dec with %s into %s ..." % (cc, os.path.relpath(bdir, ROOT)))
    t0 = time.perf_counter()
    run_text(["make", "-C", os.path.join(ROOT, "upstream-c"), "-j" + jobs,
              "BUILD=" + bdir, "CC=" + cc, "cli"])
    note("build done in %.1f s" % (time.perf_counter() - t0))
    return os.path.join(bdir, "vp8dec")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def git_state():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              universal_newlines=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "upstream-c"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               universal_newlines=True).stdout.strip()
        return head + ("+uncommitted changes in upstream-c/" if dirty else "")
    except OSError:
        return "unknown"


# ---------------------------------------------------------------------------------------
# Decoders.  "time" is the command timed; "md5" prints the MD5 of the whole I420 output.

FF = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error"]
FF_MD5 = ["-c:v", "rawvideo", "-pix_fmt", "yuv420p", "-fps_mode", "passthrough", "-f", "md5", "-"]


def decoders(vp8dec, with_cpumask_none):
    d = [{
        "id": "vp8dec", "label": "vp8dec",
        "time": lambda s: [vp8dec, "-i", s, "--muxer", "null", "-q", "--threads", "1"],
        "md5": lambda s: [vp8dec, "-i", s, "--muxer", "md5", "--threads", "1"],
        "one": lambda s: [vp8dec, "-i", s, "--muxer", "null", "-q", "--threads", "1",
                          "--limit", "1"],
    }]
    if with_cpumask_none:
        d.append({
            "id": "vp8dec-c", "label": "vp8dec --cpumask none",
            "time": lambda s: [vp8dec, "-i", s, "--muxer", "null", "-q", "--threads", "1",
                               "--cpumask", "none"],
            "md5": lambda s: [vp8dec, "-i", s, "--muxer", "md5", "--threads", "1",
                              "--cpumask", "none"],
            "one": lambda s: [vp8dec, "-i", s, "--muxer", "null", "-q", "--threads", "1",
                              "--cpumask", "none", "--limit", "1"],
        })
    d += [{
        "id": "ffmpeg-c", "label": "ffmpeg -cpuflags 0 (pure C)",
        "time": lambda s: FF + ["-cpuflags", "0", "-threads", "1", "-i", s, "-f", "null", "-"],
        "md5": lambda s: FF + ["-cpuflags", "0", "-threads", "1", "-i", s] + FF_MD5,
        "one": lambda s: FF + ["-cpuflags", "0", "-threads", "1", "-i", s, "-frames:v", "1",
                               "-f", "null", "-"],
    }, {
        "id": "vpxdec", "label": "vpxdec (libvpx, SIMD)",
        "time": lambda s: ["vpxdec", "--noblit", "--threads=1", s],
        "md5": lambda s: ["vpxdec", "--i420", "--md5", "--threads=1", s],
        "one": lambda s: ["vpxdec", "--noblit", "--threads=1", "--limit=1", s],
    }, {
        "id": "ffmpeg", "label": "ffmpeg (ffvp8, SIMD)",
        "time": lambda s: FF + ["-threads", "1", "-i", s, "-f", "null", "-"],
        "md5": lambda s: FF + ["-threads", "1", "-i", s] + FF_MD5,
        "one": lambda s: FF + ["-threads", "1", "-i", s, "-frames:v", "1", "-f", "null", "-"],
    }]
    return d


def check_md5s(streams, decs):
    note("checking that all decoders agree (MD5 of the I420 output) ...")
    for st in streams:
        got = {}
        for d in decs:
            out = run_text(d["md5"](st["path"])).strip()
            m = re.search(r"\b([0-9a-f]{32})\b", out)
            if not m:
                die("%s on %s: no MD5 in its output: %r" % (d["id"], st["name"], out))
            got[d["id"]] = m.group(1)
        ref = got["vpxdec"]
        bad = [k for k, v in got.items() if v != ref]
        if bad:
            lines = "\n".join("  %-10s %s%s" % (k, v, "" if v == ref else "   <-- differs")
                              for k, v in got.items())
            die("decoders disagree on stream %s (%s):\n%s\n"
                "refusing to benchmark a decoder whose output is wrong."
                % (st["name"], st["path"], lines))
        st["md5"] = ref
        note("  %-8s %s  (all %d decoders agree)" % (st["name"], ref, len(decs)))


# ---------------------------------------------------------------------------------------
# Timing.

def time_run(cmd):
    """Run cmd once with output discarded; return (cpu user+sys s, wall s)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") \
            else (os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1)
        if p.returncode != 0:
            err.seek(0)
            die("command failed (exit %d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                      err.read().decode(errors="replace")[-2000:]))
    return ru.ru_utime + ru.ru_stime, wall


def summary(xs):
    xs = sorted(xs)
    if len(xs) >= 2:
        q = statistics.quantiles(xs, n=4, method="inclusive")
        q1, q3 = q[0], q[2]
    else:
        q1 = q3 = xs[0]
    return {"median": statistics.median(xs), "min": xs[0], "max": xs[-1], "q1": q1, "q3": q3,
            "n": len(xs)}


def benchmark(streams, decs, rounds, warmup, seed):
    """Each round runs, in a shuffled order, every (stream, decoder, kind) command once;
    kind "full" decodes the whole stream, kind "one" only its first frame (start-up cost)."""
    jobs = [(st, d, kind) for st in streams for d in decs for kind in ("full", "one")]
    rng = random.Random(seed)
    total = (rounds + warmup) * len(jobs)
    done = 0
    tty = sys.stderr.isatty()
    res = {(st["name"], d["id"]): {"cpu": [], "wall": [], "one_cpu": [], "one_wall": []}
           for st, d, _ in jobs}
    t_start = time.perf_counter()
    for r in range(warmup + rounds):
        order = jobs[:]
        rng.shuffle(order)
        tag = "warm-up" if r < warmup else "round %d/%d" % (r - warmup + 1, rounds)
        for st, d, kind in order:
            cpu, wall = time_run(d["time" if kind == "full" else "one"](st["path"]))
            done += 1
            if r >= warmup:
                pre = "" if kind == "full" else "one_"
                res[(st["name"], d["id"])][pre + "cpu"].append(cpu)
                res[(st["name"], d["id"])][pre + "wall"].append(wall)
            el = time.perf_counter() - t_start
            eta = el / done * (total - done)
            line = ("[%4d/%d] %-11s %-8s %-9s %-4s cpu %6.3f s  wall %6.3f s   "
                    "(elapsed %4.0f s, eta %4.0f s)" % (done, total, tag, st["name"], d["id"],
                                                        kind, cpu, wall, el, eta))
            if tty:
                sys.stderr.write("\r" + line + "\033[K")
            else:
                sys.stderr.write(line + "\n")
            sys.stderr.flush()
    if tty:
        sys.stderr.write("\n")
    return res, time.perf_counter() - t_start


OURS = ("vp8dec", "vp8dec-c")   # our variants; every decoder is compared with each of them


def analyse(streams, decs, res):
    ours_ids = [d["id"] for d in decs if d["id"] in OURS]
    out = []
    for st in streams:
        rows = []
        for d in decs:
            r = res[(st["name"], d["id"])]
            net = [f - s for f, s in zip(r["cpu"], r["one_cpu"])]
            cpu, netsum = summary(r["cpu"]), summary(net)
            # per-round ratios (same round = same machine conditions): our time / its time
            ratios = {}
            for oid in ours_ids:
                o = res[(st["name"], oid)]
                o_net = [f - s for f, s in zip(o["cpu"], o["one_cpu"])]
                ratios[oid] = {
                    "whole": summary([a / b for a, b in zip(o["cpu"], r["cpu"])]),
                    "whole_inverse": summary([b / a for a, b in zip(o["cpu"], r["cpu"])]),
                    "net": summary([a / b for a, b in zip(o_net, net)])
                    if min(net) > 0 and min(o_net) > 0 else None,
                }
            rows.append({
                "decoder": d["id"], "label": d["label"], "command": d["time"](st["path"]),
                "startup_command": d["one"](st["path"]),
                "cpu_s": cpu, "wall_s": summary(r["wall"]),
                "first_frame_cpu_s": summary(r["one_cpu"]),
                "net_cpu_s": netsum,
                "fps": st["info"]["shown"] / cpu["median"],
                "net_fps": (st["info"]["shown"] - 1) / netsum["median"]
                if netsum["median"] > 0 else None,
                # ours_over_peer[OURS_ID][whole|net|whole_inverse]
                "ours_over_peer": ratios,
                "samples": r,
            })
        out.append({"stream": st["name"], "rows": rows})
    return out


# ---------------------------------------------------------------------------------------
# Reports.

def f3(x):
    return "%.3f" % x


def f2(x):
    return "%.2f" % x


def rng_str(s, fmt=f3):
    if s is None:
        return "n/a"
    return "%s [%s–%s]" % (fmt(s["median"]), fmt(s["min"]), fmt(s["max"]))


def cmd_str(cmd, meta, path):
    return " ".join("S.ivf" if a == path else ("vp8dec" if a == meta["vp8dec"] else a)
                    for a in cmd)


def markdown(meta, streams, results):
    L = []
    L.append("## C stage benchmark: vp8dec vs libvpx and FFmpeg, %dx%d, single thread"
             % (WIDTH, HEIGHT))
    L.append("")
    L.append("- date: %s; host: %d CPUs, %s (%s); Linux %s"
             % (meta["date"], meta["nproc"], meta["cpu_model"], meta["cpu_simd"], meta["kernel"]))
    L.append("- vp8dec: built with `%s` (%s), source %s, binary sha256 %s…"
             % (meta["cc"], meta["cc_version"], meta["git"], meta["vp8dec_sha256"][:16]))
    L.append("- peers: vpxdec %s (libvpx), ffmpeg %s (ffvp8)"
             % (meta["versions"]["vpxdec"], meta["versions"]["ffmpeg"]))
    L.append("- %d timed rounds after %d discarded warm-up round(s); each round runs every "
             "(stream, decoder, full/start-up) command once, in an order shuffled with "
             "seed %d; timing took %.0f s" % (meta["rounds"], meta["warmup"], meta["seed"],
                                              meta["timing_s"]))
    L.append("- **CPU s** = user+sys CPU seconds of the whole process (os.wait4), so it "
             "includes process start-up, IVF reading and the first frame; all numbers are "
             "**median [min–max]** over the timed rounds (the per-stream tables add the IQR)")
    L.append("- **start-up** = the same command stopped after the first frame "
             "(`--limit 1`, `-frames:v 1`); **net** = CPU s − start-up, per round: the "
             "cost of frames 2..N without process start-up")
    L.append("- **ratio** = our time ÷ peer time, computed within each round and then "
             "summarised; **> 1 means vp8dec is slower** than that peer")
    L.append("- **fps** = output frames ÷ median CPU s; net fps = (frames − 1) ÷ median net")
    L.append("")
    L.append("### Streams")
    L.append("")
    L.append("| stream | content | frames decoded / shown | size | bit rate |")
    L.append("|---|---|---|---|---|")
    for st in streams:
        i = st["info"]
        L.append("| %s | %s | %d / %d | %.2f MB | %.0f kb/s |" % (
            st["name"], st["desc"], i["frames"], i["shown"], i["bytes"] / 1e6,
            i["bytes"] * 8 / 1000 / (st["nframes"] / FPS)))
    L.append("")
    L.append("Before timing, every decoder gave the same MD5 of the I420 output on every "
             "stream (vp8dec `--muxer md5`, `vpxdec --i420 --md5`, ffmpeg `-f md5`).")
    L.append("")
    rows0 = results[0]["rows"]
    ours = [r for r in rows0 if r["decoder"] in OURS]
    peers = [r for r in rows0 if r["decoder"] not in OURS]
    for title, key, tkey in (("whole process", "whole", "cpu_s"),
                             ("net of start-up", "net", "net_cpu_s")):
        L.append("### Summary (%s): our time ÷ peer time" % title)
        L.append("")
        L.append("| stream | ours | our %s | " % ("CPU s" if key == "whole" else "net CPU s")
                 + " | ".join("÷ " + r["label"] for r in peers) + " |")
        L.append("|---|---|---|" + "---|" * len(peers))
        for res in results:
            by_id = {r["decoder"]: r for r in res["rows"]}
            for o in ours:
                cells = [rng_str(by_id[p["decoder"]]["ours_over_peer"][o["decoder"]][key], f2)
                         for p in peers]
                L.append("| %s | %s | %s | %s |" % (
                    res["stream"], o["label"], f3(by_id[o["decoder"]][tkey]["median"]),
                    " | ".join(cells)))
        L.append("")
    L.append("### Per stream")
    head_ratio = "".join(" | %s ÷ it (whole) | %s ÷ it (net)" % (o["label"], o["label"])
                         for o in ours)
    for res in results:
        L.append("")
        L.append("#### %s" % res["stream"])
        L.append("")
        L.append("| decoder | CPU s | CPU IQR | wall s | fps | start-up CPU s | net CPU s "
                 "| net fps" + head_ratio + " |")
        L.append("|---|---|---|---|---|---|---|---|" + "---|---|" * len(ours))
        for r in res["rows"]:
            c = r["cpu_s"]
            cells = []
            for o in ours:
                rr = r["ours_over_peer"][o["decoder"]]
                if r["decoder"] == o["decoder"]:
                    cells += ["1", "1"]
                else:
                    cells += [rng_str(rr["whole"], f2), rng_str(rr["net"], f2)]
            L.append("| %s | %s | %s–%s | %s | %.1f | %s | %s | %s | %s |" % (
                r["label"], rng_str(c), f3(c["q1"]), f3(c["q3"]), rng_str(r["wall_s"]),
                r["fps"], f3(r["first_frame_cpu_s"]["median"]), rng_str(r["net_cpu_s"]),
                "%.1f" % r["net_fps"] if r["net_fps"] else "n/a", " | ".join(cells)))
    L.append("")
    L.append("### Commands timed (S.ivf = the stream; start-up variant in brackets)")
    L.append("")
    p = streams[0]["path"]
    for r in results[0]["rows"]:
        L.append("- %s: `%s` (`%s`)" % (r["label"], cmd_str(r["command"], meta, p),
                                        cmd_str(r["startup_command"], meta, p)))
    L.append("")
    return "\n".join(L)


def cpu_simd():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    fl = set(line.split(":", 1)[1].split())
                    return " ".join(x for x in ("sse2", "ssse3", "sse4_1", "avx", "avx2",
                                                "avx512f", "avx512bw") if x in fl)
    except OSError:
        pass
    return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cc_version(cc):
    try:
        return subprocess.run([cc, "--version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              universal_newlines=True).stdout.splitlines()[0].strip()
    except (OSError, IndexError):
        return "unknown"


# ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(
        description="Benchmark the C stage (vp8dec) against vpxdec and ffmpeg on 1080p streams.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--rounds", type=int, help="timed rounds (default %d, %d with --quick)"
                    % (FULL_ROUNDS, QUICK_ROUNDS))
    ap.add_argument("--warmup", type=int, default=1, help="untimed warm-up rounds")
    ap.add_argument("--frames", type=int, help="frames per stream (default %d, %d with --quick)"
                    % (FULL_FRAMES, QUICK_FRAMES))
    ap.add_argument("--quick", action="store_true", help="smoke test: fewer frames and rounds")
    ap.add_argument("--streams", help="comma-separated subset of: "
                    + ",".join(s["name"] for s in STREAMS))
    ap.add_argument("--cc", default="gcc", help="compiler for vp8dec (gcc or clang)")
    ap.add_argument("--vp8dec", help="use this vp8dec binary instead of building one")
    ap.add_argument("--cpumask-none", choices=["auto", "yes", "no"], default="auto",
                    help="also time `vp8dec --cpumask none`; auto = when asm/x86_64/*.S exists")
    ap.add_argument("--seed", type=int, default=1, help="seed of the run-order shuffle")
    ap.add_argument("--json", metavar="FILE", help="write all results (with raw samples) as JSON")
    ap.add_argument("--markdown", metavar="FILE", help="write the Markdown report to FILE")
    ap.add_argument("--generate-only", action="store_true", help="make the streams and stop")
    a = ap.parse_args()

    rounds = a.rounds if a.rounds is not None else (QUICK_ROUNDS if a.quick else FULL_ROUNDS)
    frames = a.frames if a.frames is not None else (QUICK_FRAMES if a.quick else FULL_FRAMES)
    if rounds < 1 or a.warmup < 0 or frames < 1:
        die("--rounds and --frames must be >= 1, --warmup >= 0")
    specs = STREAMS
    if a.streams:
        names = a.streams.split(",")
        unknown = [n for n in names if n not in {s["name"] for s in STREAMS}]
        if unknown:
            die("unknown stream(s) %s; choose from %s" % (",".join(unknown),
                                                         ",".join(s["name"] for s in STREAMS)))
        specs = [s for s in STREAMS if s["name"] in names]

    need("vpxenc", "vpx-tools")
    need("vpxdec", "vpx-tools")
    need("ffmpeg", "ffmpeg")
    versions = tool_versions()

    # 1. streams
    t0 = time.perf_counter()
    streams = []
    for spec in specs:
        path, made, _ = make_stream(spec, frames, versions)
        st = dict(spec, path=path, nframes=frames, info=ivf_info(path))
        streams.append(st)
    note("streams ready in %.1f s" % (time.perf_counter() - t0))
    if a.generate_only:
        return

    # 2. build
    if a.vp8dec:
        vp8dec = os.path.abspath(a.vp8dec)
        cc = "(prebuilt)"
    else:
        vp8dec = build(a.cc)
        cc = a.cc
    if a.cpumask_none == "auto":
        asm_dir = os.path.join(ROOT, "asm", "x86_64")
        with_none = os.path.isdir(asm_dir) and any(f.endswith(".S") for f in os.listdir(asm_dir))
    else:
        with_none = a.cpumask_none == "yes"
    decs = decoders(vp8dec, with_none)

    # 3. correctness gate
    check_md5s(streams, decs)

    # 4. timing
    note("timing: %d stream(s) x %d decoders x (%d warm-up + %d rounds)"
         % (len(streams), len(decs), a.warmup, rounds))
    res, timing_s = benchmark(streams, decs, rounds, a.warmup, a.seed)
    results = analyse(streams, decs, res)

    meta = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "host": platform.node(), "nproc": os.cpu_count() or 0, "cpu_model": cpu_model(),
        "cpu_simd": cpu_simd(),
        "kernel": platform.release(), "python": platform.python_version(),
        "cc": cc, "cc_version": cc_version(a.cc) if not a.vp8dec else "unknown",
        "git": git_state(), "vp8dec": vp8dec, "vp8dec_sha256": sha256_file(vp8dec),
        "versions": versions, "rounds": rounds, "warmup": a.warmup, "seed": a.seed,
        "frames": frames, "quick": a.quick, "timing_s": timing_s,
        "argv": ["bench/bench_c.py"] + sys.argv[1:],
        "spread": "min-max (and q1-q3 inclusive quartiles) over the timed rounds",
        "ratio": "rows[].ours_over_peer[OURS_ID].whole|net = our cpu / peer cpu, per round "
                 "(whole_inverse = peer / ours)",
    }
    md = markdown(meta, streams, results)
    sys.stdout.write(md + "\n")
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(md + "\n")
    if a.json:
        js = {"meta": meta,
              "streams": [{k: st[k] for k in ("name", "desc", "graph", "vpxenc", "path",
                                              "nframes", "info", "md5")} for st in streams],
              "vpxenc_common": VPXENC_COMMON,
              "results": results}
        for st in js["streams"]:
            st["path"] = os.path.relpath(st["path"], ROOT)
        with open(a.json, "w") as f:
            json.dump(js, f, indent=1)


if __name__ == "__main__":
    main()
