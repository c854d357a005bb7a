#!/usr/bin/env bash
# make_corpus.sh - regenerate the vpxenc-made VP8 test streams of bench/corpus/streams/
# and their reference outputs from vpxdec.
#
# Usage:
#   bench/corpus/make_corpus.sh            regenerate every stream, its .md5 and .framemd5,
#                                          and COVERAGE.md
#   bench/corpus/make_corpus.sh --check    regenerate into a temporary folder and compare
#                                          byte for byte with what is in streams/
#   bench/corpus/make_corpus.sh NAME...    regenerate only the streams whose names match
#                                          one of the shell patterns NAME (e.g. 'tp*')
#
# Sources are synthetic (ffmpeg lavfi); the encoder is libvpx's vpxenc (Debian vpx-tools),
# single-threaded and with fixed settings, so a re-run writes the same bytes.  Only files
# named after the streams listed below are written: other files in streams/ (such as the
# hand-made synth-* streams) are never touched.
set -euo pipefail
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/streams"
CHECK=0
PATTERNS=()
for arg in "$@"; do
    case "$arg" in
        --check) CHECK=1 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        -*) echo "unknown option $arg" >&2; exit 2 ;;
        *) PATTERNS+=("$arg") ;;
    esac
done

need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "make_corpus.sh: '$1' not found; install it with: apt-get install -y $2" >&2
        exit 1
    fi
}
need vpxenc vpx-tools
need vpxdec vpx-tools
need ffmpeg ffmpeg
need md5sum coreutils
need python3 python3

echo "vpxenc: $(vpxenc --help 2>&1 | grep -m1 'VP8 Encoder' | sed 's/^ *vp8 *- *//')"
echo "vpxdec: $(vpxdec --help 2>&1 | grep -m1 'VP8 Decoder' | sed 's/^ *vp8 *- *//')"
echo "ffmpeg: $(ffmpeg -version | head -n 1 | cut -d' ' -f3)"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
if [[ $CHECK == 1 ]]; then
    OUT="$TMP/check"
fi
mkdir -p "$OUT"

die() { echo "make_corpus.sh: $*" >&2; exit 1; }

NAMES=()   # every stream this script owns, in order

selected() {
    [[ ${#PATTERNS[@]} == 0 ]] && return 0
    local p
    for p in "${PATTERNS[@]}"; do
        # shellcheck disable=SC2053
        [[ $1 == $p ]] && return 0
    done
    return 1
}

# src W H N GRAPH: render N frames of the lavfi graph GRAPH, scaled to WxH, as raw I420
# into $TMP/src.yuv.  Single-threaded, bit-exact swscale flags.
src() {
    local w=$1 h=$2 n=$3 graph=$4
    ffmpeg -nostdin -hide_banner -loglevel error -filter_threads 1 -threads 1 \
        -f lavfi -i "$graph" \
        -vf "scale=${w}:${h}:flags=bicubic+accurate_rnd+full_chroma_int+bitexact,format=yuv420p" \
        -frames:v "$n" -fflags +bitexact -f rawvideo -pix_fmt yuv420p -y "$TMP/src.yuv"
    local want=$(( n * (w * h + 2 * ((w + 1) / 2) * ((h + 1) / 2)) ))
    local got; got=$(stat -c %s "$TMP/src.yuv")
    [[ $got == "$want" ]] || die "source for ${w}x${h}x$n has $got bytes, expected $want"
}

# refs NAME: write NAME.md5 (md5 of all of vpxdec's I420 output) and NAME.framemd5
# (one line per output frame: index WxH md5).
refs() {
    local name=$1
    local ivf="$OUT/$name.ivf" fr="$TMP/frames"
    local whole viamd5 f wh idx
    whole=$(vpxdec --i420 -o - "$ivf" | md5sum | cut -d' ' -f1)
    viamd5=$(vpxdec --i420 --md5 "$ivf" | cut -d' ' -f1)
    [[ $whole == "$viamd5" ]] || die "$name: vpxdec -o - ($whole) and --md5 ($viamd5) disagree"
    rm -rf "$fr"
    mkdir "$fr"
    vpxdec --i420 -o "$fr/f-%9-%wx%h.i420" "$ivf"
    # vpxdec numbers the files by input frame (hidden alt-ref frames leave gaps); the
    # index in .framemd5 counts output frames.
    : > "$TMP/framemd5"
    idx=0
    for f in "$fr"/f-*.i420; do
        wh=${f##*-}
        wh=${wh%.i420}
        echo "$idx $wh $(md5sum < "$f" | cut -d' ' -f1)" >> "$TMP/framemd5"
        idx=$((idx + 1))
    done
    [[ -s $TMP/framemd5 ]] || die "$name: vpxdec wrote no frames"
    [[ $(cat "$fr"/f-*.i420 | md5sum | cut -d' ' -f1) == "$whole" ]] \
        || die "$name: per-frame files do not add up to the whole output"
    echo "$whole" > "$OUT/$name.md5"
    mv "$TMP/framemd5" "$OUT/$name.framemd5"
    rm -rf "$fr"
}

# enc NAME W H N GRAPH [vpxenc options...]: encode N frames of GRAPH at WxH into NAME.ivf.
enc() {
    local name=$1 w=$2 h=$3 n=$4 graph=$5
    shift 5
    [[ $name != synth-* ]] || die "$name: synth-* names belong to the hand-made streams"
    NAMES+=("$name")
    selected "$name" || return 0
    src "$w" "$h" "$n" "$graph"
    vpxenc --codec=vp8 --ivf --threads=1 --quiet --disable-warning-prompt \
        --i420 --width="$w" --height="$h" --fps=30/1 --timebase=1/30 --limit="$n" \
        "$@" -o "$OUT/$name.ivf" "$TMP/src.yuv" < /dev/null 2> "$TMP/vpxenc.log" \
        || { cat "$TMP/vpxenc.log" >&2; die "$name: vpxenc failed"; }
    refs "$name"
    printf '%-48s %8d bytes\n' "$name.ivf" "$(stat -c %s "$OUT/$name.ivf")"
}

# ---------------------------------------------------------------------------------------
# Sources.  Every generator with a random element has a fixed seed.
ts2()     { echo "testsrc2=size=$1:rate=30"; }
mandel()  { echo "mandelbrot=size=$1:rate=30"; }
bars()    { echo "smptehdbars=size=$1:rate=30"; }
life()    { echo "life=size=$1:rate=30:seed=1234:ratio=0.25:mold=8:life_color=#30e040:death_color=#c03030:mold_color=#202080"; }
cellauto(){ echo "cellauto=size=$1:rate=30:rule=30:seed=99:random_fill_ratio=0.5:scroll=1:start_full=1"; }
# random noise in every plane, new each frame (geq's random() with fixed seeds)
gnoise()  { echo "nullsrc=size=$1:rate=30,geq=lum='random(1)*255':cb='128+64*sin(T*5+X/9)':cr='random(2)*255'"; }
# colour bars with strong temporal noise
nbars()   { echo "smptehdbars=size=$1:rate=30,noise=alls=40:allf=t+u:all_seed=4321"; }
# testsrc2 scrolling fast in both directions (high motion)
scroll()  { echo "testsrc2=size=$1:rate=30,scroll=horizontal=0.031:vertical=0.017"; }
# a WxH window panning quickly over a static Mandelbrot set of (W+960)x(H+720)
pan()     { echo "mandelbrot=size=$(( $2 + 960 ))x$(( $3 + 720 )):rate=30:maxiter=256:start_scale=2.5:end_scale=2.5,crop=w=$2:h=$3:x='mod(t*1500,960)':y='mod(t*700,720)'"; }

# ---------------------------------------------------------------------------------------
# The streams.

# sample.ivf: a small, ordinary stream (default good-quality settings).
enc sample 176 144 30 "$(ts2 176x144)"

# Bitstream versions (profiles) 0-3.
enc p0-sixtap-testsrc2-176x144          176 144 20 "$(ts2 176x144)" --profile=0
enc p1-bilinear-testsrc2-176x144        176 144 20 "$(ts2 176x144)" --profile=1
enc p2-bilinear-nolf-testsrc2-176x144   176 144 20 "$(ts2 176x144)" --profile=2
enc p3-fullpel-testsrc2-176x144         176 144 20 "$(ts2 176x144)" --profile=3
enc p1-bilinear-mandel-160x120          160 120 15 "$(mandel 160x120)" --profile=1
enc p2-bilinear-nolf-scroll-160x120     160 120 15 "$(scroll 160x120)" --profile=2
enc p3-fullpel-pan-mandel-160x120       160 120 15 "$(pan 160x120 160 120)" --profile=3
enc p3-fullpel-scroll-odd-99x73         99 73 15 "$(scroll 99x73)" --profile=3

# Token partitions: 1, 2, 4, 8.
enc tp0-1part-mandel-352x288            352 288 8 "$(mandel 352x288)" --token-parts=0
enc tp1-2parts-mandel-352x288           352 288 8 "$(mandel 352x288)" --token-parts=1
enc tp2-4parts-testsrc2-352x288         352 288 8 "$(ts2 352x288)" --token-parts=2
enc tp3-8parts-mandel-352x288           352 288 8 "$(mandel 352x288)" --token-parts=3
# more token partitions than macroblock rows: the spare partitions carry no macroblocks
# (libvpx still writes 1 byte for each)
enc tp3-8parts-3mbrows-life-96x40       96 40 10 "$(life 96x40)" --token-parts=3
enc tp3-8parts-1mbrow-scroll-160x16     160 16 10 "$(scroll 160x16)" --token-parts=3
enc tp2-4parts-p1-scroll-200x120        200 120 10 "$(scroll 200x120)" --token-parts=2 --profile=1

# Error resilient mode: refresh_entropy_probs=0 on every frame.
enc er-resilient-testsrc2-176x144       176 144 20 "$(ts2 176x144)" --error-resilient=1
enc er-resilient-tp2-rt-cbr-mandel-176x144 176 144 20 "$(mandel 176x144)" --error-resilient=1 \
    --token-parts=2 --rt --cpu-used=-6 --end-usage=cbr --target-bitrate=150

# Real-time mode.  A negative --cpu-used fixes the speed; a positive one lets libvpx pick
# the speed from measured encode times, which would make the output machine dependent.
enc rt-cbr-cyclic-testsrc2-320x240      320 240 20 "$(ts2 320x240)" --rt --cpu-used=-6 \
    --end-usage=cbr --target-bitrate=250
enc rt-cbr-cyclic-life-176x144          176 144 20 "$(life 176x144)" --rt --cpu-used=-8 \
    --end-usage=cbr --target-bitrate=200
enc rt-speed16-simplelf-testsrc2-176x144 176 144 20 "$(ts2 176x144)" --rt --cpu-used=-16
enc rt-speed16-simplelf-cbr-mandel-176x144 176 144 20 "$(mandel 176x144)" --rt --cpu-used=-16 \
    --end-usage=cbr --target-bitrate=150

# Two-pass with automatic alt-ref frames: hidden frames (show_frame=0), alt-ref sign bias.
enc altref-2pass-testsrc2-176x144       176 144 45 "$(ts2 176x144)" --passes=2 --auto-alt-ref=1 \
    --lag-in-frames=25
enc altref-2pass-mandel-128x96          128 96 60 "$(mandel 128x96)" --passes=2 --auto-alt-ref=1 \
    --lag-in-frames=25
enc altref-2pass-arnr-life-128x96       128 96 60 "$(life 128x96)" --passes=2 --auto-alt-ref=1 \
    --lag-in-frames=25 --arnr-maxframes=7 --arnr-strength=5 --arnr-type=3
enc altref-2pass-tp1-p1-scroll-odd-129x97 129 97 45 "$(scroll 129x97)" --passes=2 --auto-alt-ref=1 \
    --lag-in-frames=16 --token-parts=1 --profile=1

# Spatial resampling: a starved CBR rate makes the encoder code smaller key frames
# (scale bits in the key frame header, coded size changes).
enc resize-down-cbr-starved-testsrc2-320x240 320 240 60 "$(ts2 320x240)" --resize-allowed=1 \
    --end-usage=cbr --target-bitrate=20 --kf-max-dist=10 --resize-down=60 --resize-up=100 \
    --buf-sz=1000 --buf-initial-sz=500 --buf-optimal-sz=600
# busy for 1.5 s, then a fade to black: the size goes down to 1/2 and back up to full
enc resize-updown-cbr-fade-testsrc2-320x240 320 240 90 "$(ts2 320x240),fade=out:st=1.5:d=0.3" \
    --resize-allowed=1 --end-usage=cbr --target-bitrate=30 --kf-max-dist=8 --resize-down=50 \
    --resize-up=60 --buf-sz=1000 --buf-initial-sz=500 --buf-optimal-sz=600

# Sharpness 0-7.
for s in 0 1 2 3 4 5 6 7; do
    enc "sharp$s-testsrc2-96x80" 96 80 10 "$(ts2 96x80)" --sharpness=$s --min-q=40 --max-q=56
done

# Quantizer extremes.
enc q0-minq0-maxq0-testsrc2-64x48       64 48 6 "$(ts2 64x48)" --min-q=0 --max-q=0
enc q127-minq63-maxq63-mandel-176x144   176 144 15 "$(mandel 176x144)" --min-q=63 --max-q=63
enc qlow-minq1-maxq2-life-96x64         96 64 8 "$(life 96x64)" --min-q=1 --max-q=2
enc qhigh-cq-level63-scroll-160x120     160 120 15 "$(scroll 160x120)" --end-usage=q --cq-level=63 \
    --min-q=50 --max-q=63
enc screen-content-testsrc2-176x144     176 144 20 "$(ts2 176x144)" --screen-content-mode=1
enc screen-content-rt-cbr-bars-160x90   160 90 20 "$(nbars 160x90)" --screen-content-mode=1 --rt \
    --cpu-used=-8 --end-usage=cbr --target-bitrate=100

# Frame sizes.  1x1 cannot come from testsrc2 directly (it needs 2x2 at least), so it is
# scaled down from 32x32.
enc size-1x1-testsrc2                   1 1 6 "$(ts2 32x32)"
enc size-2x2-testsrc2                   2 2 6 "$(ts2 32x32)"
enc size-1x31-testsrc2                  1 31 6 "$(ts2 32x32)"
enc size-47x1-testsrc2                  47 1 6 "$(ts2 64x32)"
enc size-15x17-testsrc2                 15 17 8 "$(ts2 15x17)"
enc size-16x16-mandel                   16 16 8 "$(mandel 16x16)"
enc size-33x31-life                     33 31 8 "$(life 33x31)"
enc size-175x143-scroll                 175 143 10 "$(scroll 175x143)"
enc size-1432x888-short-mandel          1432 888 3 "$(mandel 1432x888)" --target-bitrate=3000

# Motion and texture.
enc motion-fast-scroll-testsrc2-256x192 256 192 20 "$(scroll 256x192)"
enc motion-pan-mandel-320x240           320 240 20 "$(pan 320x240 320 240)"
enc motion-noise-geq-96x64              96 64 8 "$(gnoise 96x64)"
enc motion-noise-bars-192x108           192 108 12 "$(nbars 192x108)"
enc motion-life-160x120                 160 120 20 "$(life 160x120)"
enc motion-cellauto-160x120             160 120 20 "$(cellauto 160x120)"

# Key frames.
enc kf-every-frame-testsrc2-128x96      128 96 10 "$(ts2 128x96)" --kf-max-dist=1
enc kf-every4-mandel-128x96             128 96 20 "$(mandel 128x96)" --kf-min-dist=0 --kf-max-dist=4
enc kf-every7-cbr-life-128x96           128 96 22 "$(life 128x96)" --kf-min-dist=0 --kf-max-dist=7 \
    --end-usage=cbr --target-bitrate=200

# Dropped frames: the encoder leaves them out of the IVF (gaps in the timestamps).
enc drop-frame-rt-cbr-nbars-176x144     176 144 30 "$(nbars 176x144)" --rt --cpu-used=-6 \
    --end-usage=cbr --target-bitrate=30 --drop-frame=60
enc drop-frame-cbr-nbars-176x144        176 144 30 "$(nbars 176x144)" --end-usage=cbr \
    --target-bitrate=20 --drop-frame=70 --buf-sz=200 --buf-initial-sz=100 --buf-optimal-sz=150

# Other encoder modes.
enc best-deadline-testsrc2-128x96       128 96 10 "$(ts2 128x96)" --best
enc tune-ssim-mandel-128x96             128 96 10 "$(mandel 128x96)" --tune=ssim
enc static-thresh-bars-160x90           160 90 12 "$(nbars 160x90)" --static-thresh=1000

# Larger streams, mainly for decoding speed measurements.
enc bench-vga-testsrc2-640x480          640 480 60 "$(ts2 640x480)" --target-bitrate=1000
enc bench-720p-mandel-1280x720          1280 720 30 "$(mandel 1280x720)" --target-bitrate=2500
enc bench-720p-tp2-pan-1280x720         1280 720 30 "$(pan 1280x720 1280 720)" --target-bitrate=2500 \
    --token-parts=2

# ---------------------------------------------------------------------------------------
if [[ $CHECK == 1 ]]; then
    bad=0
    for n in "${NAMES[@]}"; do
        selected "$n" || continue
        for ext in ivf md5 framemd5; do
            if ! cmp -s "$OUT/$n.$ext" "$HERE/streams/$n.$ext"; then
                echo "DIFFERS: $n.$ext"
                bad=1
            fi
        done
    done
    [[ $bad == 0 ]] && echo "all regenerated files are identical to streams/"
    exit $bad
fi

# Leftovers of streams this script used to make (not in NAMES) are not deleted: delete
# them by hand.  Regenerate the coverage table over the whole folder.
if [[ ${#PATTERNS[@]} == 0 ]]; then
    ( cd "$HERE" && python3 vp8_headers.py --coverage-md COVERAGE.md \
        --command "python3 bench/corpus/vp8_headers.py --coverage-md bench/corpus/COVERAGE.md bench/corpus/streams" \
        streams ) || echo "warning: vp8_headers.py found frame headers it could not parse (see COVERAGE.md)" >&2
fi
total=0
for n in "${NAMES[@]}"; do
    if [[ -f $OUT/$n.ivf ]]; then
        total=$(( total + $(stat -c %s "$OUT/$n.ivf") ))
    fi
done
echo "${#NAMES[@]} streams, $total bytes of IVF in total"
