/*
 * vp8dec: the C stage's command-line decoder. Reads an IVF file of VP8 frames, decodes them with
 * libvp8 (include/vp8/vp8.h) and writes the pictures through one of the muxers of output.h.
 * `vp8dec --help` is the user documentation; the exit codes are listed there and in EXIT_* below.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ivf.h"
#include "md5.h"
#include "output.h"
#include "vp8/vp8.h"

enum {
    EXIT_OK = 0,            /* every frame decoded (and --verify, if given, matched) */
    EXIT_ERROR = 1,         /* stopped: bad input file, I/O error, --strict error, --verify mismatch */
    EXIT_USAGE = 2,         /* bad command line */
    EXIT_FRAMES_FAILED = 3, /* went to the end, but some frames failed to decode (skipped) */
};

/* After this many decode warnings the rest are only counted. */
#define MAX_WARNINGS 50

static void print_help(FILE *f) {
    fputs(
        "vp8dec: decode a VP8 stream (IVF file) with Portlab's C decoder.\n"
        "\n"
        "Usage: vp8dec -i IN.ivf [-o OUT] [--muxer NAME] [options]\n"
        "\n"
        "Examples:\n"
        "  vp8dec -i in.ivf -o out.y4m              decode to a y4m file (plays in ffplay/mpv)\n"
        "  vp8dec -i in.ivf -o out.yuv              raw I420, same bytes as `vpxdec --i420`\n"
        "  vp8dec -i in.ivf --muxer md5             print the MD5 of the raw I420 output\n"
        "  vp8dec -i in.ivf --muxer framemd5        print one MD5 per output frame\n"
        "  vp8dec -i in.ivf --verify 0123...cdef    check the output MD5, exit 1 if it differs\n"
        "  vp8dec -i in.ivf --muxer null --cpumask none   decode with the C code only, no output\n"
        "  cat in.ivf | vp8dec -i - -o - | ffplay -f rawvideo -pix_fmt yuv420p -video_size WxH -\n"
        "\n"
        "Input and output:\n"
        "  -i, --input FILE      IVF file with fourcc VP80; - reads stdin. IVF only: for WebM\n"
        "                        use the Rust vp8dec (`cargo run --release -p portlab --bin\n"
        "                        vp8dec -- -i IN.webm ...`) or remux with `ffmpeg -i IN.webm\n"
        "                        -c copy OUT.ivf`\n"
        "  -o, --output FILE     output file; - writes stdout. The muxer follows the extension\n"
        "                        (.y4m, .yuv, .md5, .framemd5; - means yuv) unless --muxer is given\n"
        "      --muxer NAME      what to write:\n"
        "                          yuv       raw I420 planes at the coded size, no stride padding,\n"
        "                                    chroma (w+1)/2 x (h+1)/2\n"
        "                          y4m       YUV4MPEG2 header (W, H, frame rate from the IVF header)\n"
        "                                    and a FRAME line before each picture; fails if the\n"
        "                                    picture size changes mid-stream\n"
        "                          md5       one line: the MD5 of the bytes yuv would write, i.e.\n"
        "                                    `vpxdec --i420 -o - in.ivf | md5sum`\n"
        "                          framemd5  per output frame: \"<index> <W>x<H> <md5>\", index from 0\n"
        "                          null      nothing; decode only\n"
        "                        md5, framemd5 and null need no -o (they print to stdout)\n"
        "      --limit N         stop after N output frames\n"
        "      --verify MD5      compare the MD5 of the decoded I420 output (what --muxer md5\n"
        "                        prints) with MD5; exit 1 on a mismatch. Without -o or --muxer\n"
        "                        nothing else is written\n"
        "\n"
        "Decoder:\n"
        "      --cpumask WORD    none, sse2, ssse3, avx2 (each includes the ones before it) or\n"
        "                        all (default): the CPU features the decoder may use\n"
        "      --threads N       decoding threads; 0 (default) = one per core. At most 3 are\n"
        "                        used (one per chain of row tasks: parsing, reconstruction,\n"
        "                        loop filter). Output never depends on it\n"
        "      --sizelimit L     refuse key frames larger than L: WxH (e.g. 1920x1080, compared\n"
        "                        as the area W*H) or a pixel count; 0 = no limit (default)\n"
        "\n"
        "Errors:\n"
        "      --keep-going      (default) a frame that fails to decode is skipped with a warning\n"
        "                        naming the frame and the reason; the decoder resumes at the next\n"
        "                        key frame\n"
        "      --strict          stop with exit code 1 at the first frame that fails to decode\n"
        "                        (a zero-length frame is only a warning in both modes)\n"
        "\n"
        "Other:\n"
        "  -q, --quiet           no progress or summary; warnings and errors still print\n"
        "  -h, --help            this text\n"
        "      --version         the decoder API version\n"
        "  Progress (frames, fps) is shown on stderr when stderr is a terminal.\n"
        "\n"
        "Exit codes:\n"
        "  0  every frame decoded (and --verify matched)\n"
        "  1  stopped by an error: unreadable or bad IVF file, I/O error, --strict decode error,\n"
        "     --verify mismatch, y4m size change\n"
        "  2  bad command line\n"
        "  3  reached the end, but some frames failed to decode and were skipped (--keep-going)\n",
        f);
}

/* Print "vp8dec: <before><arg><after>" and where to find help. The message comes in pieces
 * rather than as a format string so that the CLI stays in the transpilable subset
 * (docs/c-subset.md: no variadic definitions) while any argv text is printed whole. */
static void usage_error(const char *before, const char *arg, const char *after) {
    fprintf(stderr, "vp8dec: %s%s%s\nvp8dec: see `vp8dec --help`\n", before, arg, after);
}

/* Parse a non-negative decimal integer that fits in uint64_t. Returns 0 or -1. */
static int parse_u64(const char *s, uint64_t *value) {
    if (s[0] < '0' || s[0] > '9') {
        return -1;
    }
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0') {
        return -1;
    }
    *value = (uint64_t)v;
    return 0;
}

/* "WxH" (area W*H) or "N" (pixels). Returns 0 or -1. */
static int parse_size_limit(const char *s, uint64_t *area) {
    const char *x = strchr(s, 'x');
    if (x == NULL) {
        return parse_u64(s, area);
    }
    char w_text[24];
    size_t w_len = (size_t)(x - s);
    if (w_len == 0 || w_len >= sizeof(w_text)) {
        return -1;
    }
    memcpy(w_text, s, w_len);
    w_text[w_len] = '\0';
    uint64_t w, h;
    if (parse_u64(w_text, &w) != 0 || parse_u64(x + 1, &h) != 0) {
        return -1;
    }
    if (w > 0xffffffffu || h > 0xffffffffu) {
        return -1;
    }
    *area = w * h;
    return 0;
}

/* 32 hex digits -> lower case copy. Returns 0 or -1. */
static int parse_md5(const char *s, char out[33]) {
    if (strlen(s) != 32) {
        return -1;
    }
    for (int i = 0; i < 32; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F') {
            c = (char)(c - 'A' + 'a');
        }
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return -1;
        }
        out[i] = c;
    }
    out[32] = '\0';
    return 0;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct Options {
    const char *input;
    const char *output;
    int have_muxer;
    OutputMuxer muxer;
    uint64_t limit; /* 0: none */
    int verify;
    char verify_md5[33];
    int quiet;
    int strict;
    Vp8Settings settings;
} Options;

enum {
    OPT_MUXER = 256,
    OPT_LIMIT,
    OPT_VERIFY,
    OPT_CPUMASK,
    OPT_THREADS,
    OPT_SIZELIMIT,
    OPT_KEEP_GOING,
    OPT_STRICT,
    OPT_VERSION,
};

/* Returns -1 to continue, or an exit code. */
static int parse_args(int argc, char **argv, Options *o) {
    static const struct option long_options[] = {
        {"input", required_argument, NULL, 'i'},
        {"output", required_argument, NULL, 'o'},
        {"muxer", required_argument, NULL, OPT_MUXER},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"verify", required_argument, NULL, OPT_VERIFY},
        {"quiet", no_argument, NULL, 'q'},
        {"cpumask", required_argument, NULL, OPT_CPUMASK},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"sizelimit", required_argument, NULL, OPT_SIZELIMIT},
        {"keep-going", no_argument, NULL, OPT_KEEP_GOING},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof(*o));
    vp8_default_settings(&o->settings);
    opterr = 0; /* we print our own messages */
    int c;
    while ((c = getopt_long(argc, argv, ":i:o:qh", long_options, NULL)) != -1) {
        uint64_t n;
        switch (c) {
        case 'i':
            o->input = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case OPT_MUXER:
            if (output_muxer_from_name(optarg, &o->muxer) != 0) {
                usage_error("unknown muxer '", optarg, "': choose yuv, y4m, md5, framemd5 or null");
                return EXIT_USAGE;
            }
            o->have_muxer = 1;
            break;
        case OPT_LIMIT:
            if (parse_u64(optarg, &n) != 0 || n == 0) {
                usage_error("--limit wants a positive number of frames, not '", optarg, "'");
                return EXIT_USAGE;
            }
            o->limit = n;
            break;
        case OPT_VERIFY:
            if (parse_md5(optarg, o->verify_md5) != 0) {
                usage_error("--verify wants an MD5 of 32 hex digits, not '", optarg, "'");
                return EXIT_USAGE;
            }
            o->verify = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case OPT_CPUMASK:
            if (vp8_parse_cpu_mask(optarg, &o->settings.cpu_mask) != VP8_OK) {
                usage_error("unknown --cpumask '", optarg,
                            "': choose none, sse2, ssse3, avx2 or all");
                return EXIT_USAGE;
            }
            break;
        case OPT_THREADS:
            if (parse_u64(optarg, &n) != 0 || n > 1024) {
                usage_error("--threads wants a number from 0 (automatic) to 1024, not '", optarg,
                            "'");
                return EXIT_USAGE;
            }
            o->settings.n_threads = (int)n;
            break;
        case OPT_SIZELIMIT:
            if (parse_size_limit(optarg, &o->settings.max_frame_area) != 0) {
                usage_error("--sizelimit wants WxH (e.g. 1920x1080) or a pixel count, not '",
                            optarg, "'");
                return EXIT_USAGE;
            }
            break;
        case OPT_KEEP_GOING:
            o->strict = 0;
            break;
        case OPT_STRICT:
            o->strict = 1;
            break;
        case 'h':
            print_help(stdout);
            return EXIT_OK;
        case OPT_VERSION:
            printf("vp8dec (Portlab C stage), VP8 API version %d\n", VP8_API_VERSION);
            return EXIT_OK;
        case ':':
            if (optopt != 0 && optopt < 256) {
                char flag[2] = {(char)optopt, '\0'};
                usage_error("option '-", flag, "' needs a value");
            } else {
                usage_error("option '", argv[optind - 1], "' needs a value");
            }
            return EXIT_USAGE;
        default:
            if (optopt != 0) {
                char flag[2] = {(char)optopt, '\0'};
                usage_error("unknown option '-", flag, "'");
            } else {
                usage_error("unknown option '", argv[optind - 1], "'");
            }
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        usage_error("unexpected argument '", argv[optind], "' (the input file goes after -i)");
        return EXIT_USAGE;
    }
    if (o->input == NULL) {
        usage_error("no input: give -i IN.ivf (- for stdin)", "", "");
        return EXIT_USAGE;
    }
    if (!o->have_muxer) {
        if (o->output != NULL) {
            if (output_muxer_from_path(o->output, &o->muxer) != 0) {
                usage_error("cannot tell the output format from '", o->output,
                            "': name it .y4m, .yuv, .md5 or .framemd5, or add --muxer "
                            "yuv|y4m|md5|framemd5|null");
                return EXIT_USAGE;
            }
        } else if (o->verify) {
            o->muxer = MUXER_NULL;
        } else {
            usage_error("no output: give -o OUT (.y4m, .yuv, or - for yuv on stdout) or "
                        "--muxer md5|framemd5|null",
                        "", "");
            return EXIT_USAGE;
        }
    } else if (o->output == NULL && (o->muxer == MUXER_YUV || o->muxer == MUXER_Y4M)) {
        usage_error("--muxer ", output_muxer_name(o->muxer), " needs -o FILE (or -o - for stdout)");
        return EXIT_USAGE;
    }
    return -1;
}

/* Progress line on a terminal: "\r" rewrites it in place; a warning first ends it. */
typedef struct Progress {
    int enabled;
    int shown;
    double start, last;
} Progress;

static void progress_break(Progress *p) {
    if (p->shown) {
        fputc('\n', stderr);
        p->shown = 0;
    }
}

static void progress_update(Progress *p, uint64_t frames, int final) {
    if (!p->enabled) {
        return;
    }
    double t = now_seconds();
    if (!final && t - p->last < 0.25) {
        return;
    }
    p->last = t;
    double elapsed = t - p->start;
    double fps = elapsed > 0.0 ? (double)frames / elapsed : 0.0;
    fprintf(stderr, "\rvp8dec: %llu frames decoded, %.1f fps  ", (unsigned long long)frames, fps);
    if (final) {
        fprintf(stderr, "(%.2f s)\n", elapsed);
        p->shown = 0;
    } else {
        p->shown = 1;
    }
    fflush(stderr);
}

typedef struct Run {
    Options opt;
    FILE *in;
    IvfReader ivf;
    int ivf_open;
    Vp8Decoder *dec;
    Output out;
    int out_open;
    Md5 verify_md5;
    Progress progress;
    uint64_t failed;   /* frames that failed to decode */
    uint64_t warnings; /* decode warnings printed or counted */
    /* A run of frames refused with VP8_ERR_NEED_KEYFRAME is reported as one warning for its
     * first frame and one line for the rest, not a line per frame. */
    uint64_t waiting_first, waiting_count;
} Run;

/* Report the frames after the first of a run of "waiting for a key frame" refusals. */
static void flush_waiting(Run *run) {
    if (run->waiting_count > 1 && run->warnings <= MAX_WARNINGS) {
        progress_break(&run->progress);
        fprintf(stderr, "vp8dec: warning: frames %llu to %llu: %s (skipped)\n",
                (unsigned long long)(run->waiting_first + 1),
                (unsigned long long)(run->waiting_first + run->waiting_count - 1),
                vp8_error_string(VP8_ERR_NEED_KEYFRAME));
    }
    run->waiting_count = 0;
}

static void warn_frame(Run *run, uint64_t index, int err) {
    run->warnings++;
    if (run->warnings > MAX_WARNINGS) {
        return;
    }
    progress_break(&run->progress);
    const char *detail = vp8_last_error(run->dec);
    fprintf(stderr, "vp8dec: %s: frame %llu: %s%s%s%s\n", run->opt.strict ? "error" : "warning",
            (unsigned long long)index, vp8_error_string(err), detail[0] != '\0' ? ": " : "",
            detail, run->opt.strict || err == VP8_ERR_EMPTY_FRAME ? "" : " (frame skipped)");
    if (run->warnings == MAX_WARNINGS) {
        fprintf(stderr, "vp8dec: further frame warnings are only counted\n");
    }
}

/* Decode the whole input. Returns an exit code. */
static int decode_all(Run *run) {
    const Options *o = &run->opt;
    uint64_t shown = 0;
    for (;;) {
        if (o->limit != 0 && shown >= o->limit) {
            flush_waiting(run);
            return EXIT_OK;
        }
        const uint8_t *data = NULL;
        size_t size = 0;
        uint64_t pts = 0;
        int r = ivf_read_frame(&run->ivf, &data, &size, &pts);
        if (r <= 0) {
            flush_waiting(run);
        }
        if (r == 0) {
            return EXIT_OK;
        }
        if (r < 0) {
            progress_break(&run->progress);
            fprintf(stderr, "vp8dec: error: %s\n", run->ivf.error);
            return EXIT_ERROR;
        }
        uint64_t index = run->ivf.frame_index - 1;
        int err = vp8_decode_frame(run->dec, data, size);
        if (err == VP8_ERR_NEED_KEYFRAME && run->waiting_count > 0 && !o->strict) {
            run->waiting_count++;
            run->failed++;
            continue;
        }
        flush_waiting(run);
        if (err == VP8_ERR_EMPTY_FRAME) {
            warn_frame(run, index, err);
            continue;
        }
        if (err != VP8_OK) {
            if (err == VP8_ERR_NEED_KEYFRAME) {
                run->waiting_first = index;
                run->waiting_count = 1;
            }
            run->failed++;
            warn_frame(run, index, err);
            if (o->strict) {
                return EXIT_ERROR;
            }
            continue;
        }
        Vp8Picture pic;
        while ((o->limit == 0 || shown < o->limit) && vp8_get_picture(run->dec, &pic) == VP8_OK) {
            if (output_write(&run->out, &pic) != 0) {
                progress_break(&run->progress);
                fprintf(stderr, "vp8dec: error: %s\n", run->out.error);
                return EXIT_ERROR;
            }
            if (o->verify) {
                output_picture_md5(&run->verify_md5, &pic);
            }
            shown++;
        }
        progress_update(&run->progress, shown, 0);
    }
}

static int run_main(Run *run) {
    const Options *o = &run->opt;
    if (strcmp(o->input, "-") == 0) {
        run->in = stdin;
    } else {
        run->in = fopen(o->input, "rb");
        if (run->in == NULL) {
            fprintf(stderr, "vp8dec: error: cannot open input '%s': %s\n", o->input, strerror(errno));
            return EXIT_ERROR;
        }
    }
    if (ivf_open(&run->ivf, run->in, strcmp(o->input, "-") == 0 ? "stdin" : o->input) != 0) {
        fprintf(stderr, "vp8dec: error: %s\n", run->ivf.error);
        return EXIT_ERROR;
    }
    run->ivf_open = 1;
    int err = vp8_open(&run->dec, &o->settings);
    if (err != VP8_OK) {
        fprintf(stderr, "vp8dec: error: cannot open the decoder: %s\n", vp8_error_string(err));
        return EXIT_ERROR;
    }
    if (output_open(&run->out, o->muxer, o->output, run->ivf.header.rate, run->ivf.header.scale) != 0) {
        fprintf(stderr, "vp8dec: error: %s\n", run->out.error);
        return EXIT_ERROR;
    }
    run->out_open = 1;
    md5_init(&run->verify_md5);
    run->progress.enabled = !o->quiet && isatty(STDERR_FILENO);
    run->progress.start = now_seconds();
    run->progress.last = run->progress.start;

    int status = decode_all(run);

    /* Close the output even after an error, so what was decoded is flushed (and md5 printed). */
    run->out_open = 0;
    if (output_close(&run->out) != 0) {
        progress_break(&run->progress);
        fprintf(stderr, "vp8dec: error: %s\n", run->out.error);
        return EXIT_ERROR;
    }
    progress_update(&run->progress, run->out.frames, 1);
    if (run->warnings > MAX_WARNINGS) {
        fprintf(stderr, "vp8dec: %llu frame warnings in all\n", (unsigned long long)run->warnings);
    }
    if (status == EXIT_OK && run->failed > 0) {
        fprintf(stderr, "vp8dec: %llu of %llu frames failed to decode and were skipped\n",
                (unsigned long long)run->failed, (unsigned long long)run->ivf.frame_index);
        status = EXIT_FRAMES_FAILED;
    }
    if (o->verify) {
        uint8_t digest[16];
        char hex[33];
        md5_final(&run->verify_md5, digest);
        md5_hex(digest, hex);
        if (strcmp(hex, o->verify_md5) != 0) {
            fprintf(stderr,
                    "vp8dec: --verify failed: the decoded output (%llu frames) has md5 %s, "
                    "expected %s\n",
                    (unsigned long long)run->out.frames, hex, o->verify_md5);
            return EXIT_ERROR;
        }
        if (!o->quiet) {
            fprintf(stderr, "vp8dec: --verify: md5 %s matches (%llu frames)\n", hex,
                    (unsigned long long)run->out.frames);
        }
    }
    return status;
}

int main(int argc, char **argv) {
    Run run;
    memset(&run, 0, sizeof(run));
    int status = parse_args(argc, argv, &run.opt);
    if (status >= 0) {
        return status;
    }
    status = run_main(&run);
    if (run.out_open) {
        output_close(&run.out);
    }
    vp8_close(&run.dec);
    if (run.ivf_open) {
        ivf_close(&run.ivf);
    }
    if (run.in != NULL && run.in != stdin) {
        fclose(run.in);
    }
    return status;
}
