/*
 * checkasm main: argument parsing, the ISA-level loop, kernel bookkeeping, failure reports, the
 * coverage check (installed kernels vs tested ones), guarded buffers and benchmark helpers.
 * See README.md in this folder and checkasm.h for the API the domain files use.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "checkasm.h"
#include "idct.h"
#include "ipred.h"
#include "loopfilter.h"
#include "mc.h"

/* The domain files are optional at link time: a missing one leaves its pointer null. */
#pragma weak checkasm_check_idct
#pragma weak checkasm_check_mc
#pragma weak checkasm_check_loopfilter
#pragma weak checkasm_check_ipred

/* ---- the domains and their tables ------------------------------------------------------------- */

static void init_idct(void *t, unsigned f) { vp8_idct_dsp_init(t, f); }
static void init_mc(void *t, unsigned f) { vp8_mc_dsp_init(t, f); }
static void init_loopfilter(void *t, unsigned f) { vp8_loopfilter_dsp_init(t, f); }
static void init_ipred(void *t, unsigned f) { vp8_ipred_dsp_init(t, f); }

enum { MAX_SLOTS = 64, MAX_KERNELS = 512, MAX_GUARDED = 1024 };

typedef struct Domain {
    const char *name;
    void (*test)(void);
    void (*init)(void *table, unsigned flags);
    size_t table_size; /* every table is a struct of function pointers only */
} Domain;

static const Domain domains[] = {
    { "idct", checkasm_check_idct, init_idct, sizeof(Vp8IdctDsp) },
    { "mc", checkasm_check_mc, init_mc, sizeof(Vp8McDsp) },
    { "loopfilter", checkasm_check_loopfilter, init_loopfilter, sizeof(Vp8LoopfilterDsp) },
    { "ipred", checkasm_check_ipred, init_ipred, sizeof(Vp8IpredDsp) },
};
enum { NUM_DOMAINS = sizeof(domains) / sizeof(domains[0]) };

typedef struct Isa {
    const char *name;
    unsigned flag;
} Isa;

/* Level 0 is the C pass: it only records which pointers the fallbacks are. */
static const Isa isas[] = {
    { "c", 0 },
    { "sse2", VP8_CPU_SSE2 },
    { "ssse3", VP8_CPU_SSSE3 },
    { "avx2", VP8_CPU_AVX2 },
};
enum { NUM_ISAS = sizeof(isas) / sizeof(isas[0]) };

/* ---- state ------------------------------------------------------------------------------------ */

typedef struct Seen {
    char name[64];      /* base name, e.g. "idct_add" (domain-qualified in the key below) */
    const Domain *domain;
    checkasm_fn func;   /* the pointer at the latest level run */
} Seen;

static struct {
    /* options */
    unsigned seed;
    const char *pattern;
    const char *only_isa;
    int bench, list, verbose, selftest;
    /* run */
    unsigned cpu;             /* what the CPU has */
    int level;                /* index into isas */
    unsigned level_flags;
    const Domain *domain;
    int testing_level;        /* this level is selected by --isa */
    Seen seen[MAX_KERNELS];
    int nseen;
    /* kernel under test */
    char kernel[96];
    int in_kernel;
    int kernel_failures;
    uint64_t rng;
    int have_bench;
    double bench_asm, bench_c;
    int tested_this_domain;
    /* totals */
    int passed, failed;
    int tested_per_level[NUM_ISAS][NUM_DOMAINS];
    /* guarded buffers of the kernel under test */
    struct { void *map; size_t len; } guarded[MAX_GUARDED];
    int nguarded;
} st;

/* ---- random ----------------------------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t checkasm_rand(void)
{
    /* xorshift64*: plenty for test inputs, and identical everywhere. */
    uint64_t x = st.rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    st.rng = x;
    return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

int checkasm_rand_range(int lo, int hi)
{
    uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
    return (int)(lo + (int64_t)(checkasm_rand() % span));
}

void checkasm_rand_bytes(void *buf, size_t n)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)checkasm_rand();
}

static void reseed(const char *name)
{
    /* FNV-1a of the kernel name mixed with the seed: each kernel's inputs depend on nothing else. */
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *c = name; *c; c++)
        h = (h ^ (uint8_t)*c) * 0x100000001b3ull;
    uint64_t x = h ^ ((uint64_t)st.seed << 17) ^ st.seed;
    st.rng = splitmix64(&x) | 1;
}

/* ---- kernels ---------------------------------------------------------------------------------- */

unsigned checkasm_cpu_flags(void) { return st.level_flags; }
const char *checkasm_isa(void) { return isas[st.level].name; }
const char *checkasm_kernel(void) { return st.kernel; }
int checkasm_bench_enabled(void) { return st.bench; }
int checkasm_failed(void) { return st.in_kernel && st.kernel_failures > 0; }

static void free_guarded(void)
{
    for (int i = 0; i < st.nguarded; i++)
        munmap(st.guarded[i].map, st.guarded[i].len);
    st.nguarded = 0;
}

static void close_kernel(void)
{
    if (!st.in_kernel)
        return;
    if (st.kernel_failures) {
        st.failed++;
        if (st.kernel_failures > 1)
            printf("     (%d failures in %s)\n", st.kernel_failures, st.kernel);
    } else {
        st.passed++;
        if (st.verbose)
            printf("  ok   %s\n", st.kernel);
    }
    if (st.have_bench) {
        printf("  bench %-34s %9.2f ns/call   C %9.2f ns/call   x%.2f\n", st.kernel,
               st.bench_asm, st.bench_c, st.bench_c / st.bench_asm);
    }
    fflush(stdout);
    free_guarded();
    st.in_kernel = 0;
    st.have_bench = 0;
}

static int matches(const char *kernel)
{
    const char *p = st.pattern;
    if (!p)
        return 1;
    if (strpbrk(p, "*?["))
        return fnmatch(p, kernel, 0) == 0 || fnmatch(p, st.domain->name, 0) == 0;
    return strstr(kernel, p) != NULL || strcmp(p, st.domain->name) == 0;
}

int checkasm_check_func_impl(checkasm_fn func, const char *name)
{
    close_kernel();
    /* Find this slot's pointer at the previous level. */
    Seen *s = NULL;
    for (int i = 0; i < st.nseen; i++) {
        if (st.seen[i].domain == st.domain && strcmp(st.seen[i].name, name) == 0) {
            s = &st.seen[i];
            break;
        }
    }
    if (!s) {
        if (st.nseen == MAX_KERNELS || strlen(name) >= sizeof(s->name)) {
            fflush(stdout);
            fprintf(stderr, "checkasm: too many kernels or name too long: %s\n", name);
            exit(2);
        }
        s = &st.seen[st.nseen++];
        snprintf(s->name, sizeof s->name, "%s", name);
        s->domain = st.domain;
        s->func = NULL;
        if (st.level != 0) {
            /* First seen above the C pass: the domain file calls check_func conditionally. */
            fflush(stdout);
            fprintf(stderr, "checkasm: %s: slot \"%s\" was not registered on the C pass; call "
                            "checkasm_check_func for every slot at every level\n",
                    st.domain->name, name);
            exit(2);
        }
    }
    checkasm_fn prev = s->func;
    s->func = func;
    if (st.level == 0 || func == prev || func == NULL)
        return 0;
    snprintf(st.kernel, sizeof st.kernel, "vp8_%s_%s", name, isas[st.level].name);
    if (!st.testing_level || !matches(st.kernel))
        return 0;
    st.tested_this_domain++;
    if (st.list) {
        printf("%-12s %-6s %s\n", st.domain->name, isas[st.level].name, st.kernel);
        return 0;
    }
    st.in_kernel = 1;
    st.kernel_failures = 0;
    reseed(st.kernel);
    return 1;
}

void checkasm_fail(const char *fmt, ...)
{
    if (!st.in_kernel) {
        fprintf(stderr, "checkasm: checkasm_fail outside a kernel test\n");
        exit(2);
    }
    if (st.kernel_failures++ == 0 && !st.selftest) {
        printf("FAIL %s [%s] seed=%u: ", st.kernel, isas[st.level].name, st.seed);
        va_list ap;
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n     reproduce: checkasm --seed=%u --test=%s\n", st.seed, st.kernel);
        fflush(stdout);
    }
}

int checkasm_check_u8(const char *what, const uint8_t *ref, ptrdiff_t ref_stride,
                      const uint8_t *new_, ptrdiff_t new_stride, int w, int h)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (ref[y * ref_stride + x] != new_[y * new_stride + x]) {
                checkasm_fail("%s differs at (%d,%d): C %d asm %d", what, x, y,
                              ref[y * ref_stride + x], new_[y * new_stride + x]);
                return 0;
            }
    return 1;
}

int checkasm_check_i16(const char *what, const int16_t *ref, ptrdiff_t ref_stride,
                       const int16_t *new_, ptrdiff_t new_stride, int w, int h)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (ref[y * ref_stride + x] != new_[y * new_stride + x]) {
                checkasm_fail("%s differs at (%d,%d): C %d asm %d", what, x, y,
                              ref[y * ref_stride + x], new_[y * new_stride + x]);
                return 0;
            }
    return 1;
}

void *checkasm_guarded_alloc(size_t n, int at_end)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t body = (n + page - 1) / page * page;
    size_t len = body + 2 * page;
    if (st.nguarded == MAX_GUARDED) {
        fflush(stdout);
        fprintf(stderr, "checkasm: more than %d guarded buffers in one kernel\n", MAX_GUARDED);
        exit(2);
    }
    uint8_t *map = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED || mprotect(map + page, body, PROT_READ | PROT_WRITE) != 0) {
        perror("checkasm: mmap");
        exit(2);
    }
    st.guarded[st.nguarded].map = map;
    st.guarded[st.nguarded].len = len;
    st.nguarded++;
    uint8_t *p = at_end ? map + page + body - n : map + page;
    memset(p, 0, n);
    return p;
}

/* ---- checked calls ---------------------------------------------------------------------------- */

/* Shared with x86_64/checked_call.S. */
extern uint64_t checkasm_regs_in[6], checkasm_regs_out[6];
extern int64_t checkasm_sp_delta;
extern uint64_t checkasm_flags_out, checkasm_ymm_check, checkasm_ymm_dirty;
static const char *const callee_saved[6] = { "rbx", "rbp", "r12", "r13", "r14", "r15" };

uint64_t checkasm_arg_i32(int32_t v)
{
    return (uint64_t)(uint32_t)v | ((uint64_t)checkasm_rand() << 32 | 0x8000000000000000ull);
}

uint64_t checkasm_arg_u32(uint32_t v)
{
    return (uint64_t)v | ((uint64_t)checkasm_rand() << 32 | 0x8000000000000000ull);
}

void checkasm_prepare_call(void)
{
    for (int i = 0; i < 6; i++)
        checkasm_regs_in[i] = ((uint64_t)checkasm_rand() << 32) | checkasm_rand();
}

void checkasm_finish_call(const char *call)
{
    (void)call; /* the expression the test called (e.g. "fn"); the kernel's name says more */
    for (int i = 0; i < 6; i++)
        if (checkasm_regs_out[i] != checkasm_regs_in[i]) {
            checkasm_fail("clobbered callee-saved %s (0x%016llx -> 0x%016llx)", callee_saved[i],
                          (unsigned long long)checkasm_regs_in[i],
                          (unsigned long long)checkasm_regs_out[i]);
            return;
        }
    if (checkasm_sp_delta != 0) {
        checkasm_fail("changed the stack pointer by %lld", (long long)checkasm_sp_delta);
        return;
    }
    if (checkasm_flags_out & 0x400) {
        checkasm_fail("returned with the direction flag set");
        return;
    }
    if (checkasm_ymm_dirty) {
        checkasm_fail("returned with dirty upper YMM state (missing vzeroupper)");
        return;
    }
}

/* ---- bench ------------------------------------------------------------------------------------ */

uint64_t checkasm_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double checkasm_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void checkasm_bench_result(double asm_ns, double c_ns)
{
    st.have_bench = 1;
    st.bench_asm = asm_ns;
    st.bench_c = c_ns;
}

/* ---- crashes ---------------------------------------------------------------------------------- */

static void on_crash(int sig)
{
    /* Only async-signal-safe calls: build the message by hand. */
    char msg[256];
    size_t n = 0;
    const char *parts[] = { "\nCRASH (signal ", sig == SIGSEGV ? "SEGV" : sig == SIGBUS ? "BUS"
                            : sig == SIGILL ? "ILL" : "FPE", ") in ",
                            st.in_kernel ? st.kernel : "(no kernel)", " [", isas[st.level].name,
                            "]: out-of-contract access? reproduce with --test=",
                            st.in_kernel ? st.kernel : "", " and the seed above\n" };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        for (const char *c = parts[i]; *c && n < sizeof msg - 1; c++)
            msg[n++] = *c;
    if (write(1, msg, n) < 0) {
        /* nothing more to do */
    }
    _exit(3);
}

/* ---- coverage --------------------------------------------------------------------------------- */

/* Slots whose pointer at level `lvl` differs from level lvl-1: the kernels that level installs. */
static int installed_at(const Domain *d, int lvl)
{
    checkasm_fn cur[MAX_SLOTS], prev[MAX_SLOTS];
    size_t n = d->table_size / sizeof(checkasm_fn);
    if (n > MAX_SLOTS) {
        fprintf(stderr, "checkasm: %s table too large\n", d->name);
        exit(2);
    }
    unsigned f = 0, pf = 0;
    for (int i = 1; i <= lvl; i++) {
        pf = f;
        f |= isas[i].flag;
    }
    d->init(cur, f & st.cpu);
    d->init(prev, pf & st.cpu);
    int count = 0;
    for (size_t i = 0; i < n; i++)
        count += cur[i] != prev[i];
    return count;
}

/* ---- selftest: the checker must catch planted bugs ------------------------------------------ */

uint64_t checkasm_selftest_args(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                uint64_t a5, uint64_t a6, uint64_t a7, uint64_t a8, uint64_t a9,
                                uint64_t a10, uint64_t a11, uint64_t a12);
uint64_t checkasm_selftest_arg64(int x);
void checkasm_selftest_bad(uint64_t which);

static int run_selftest(void)
{
    static const char *const bugs[] = { "clobbers rbx", "clobbers rbp", "clobbers r12",
                                        "clobbers r13", "clobbers r14", "clobbers r15",
                                        "moves rsp", "sets DF", "leaves YMM dirty" };
    int bad = 0, checks = 0;
    st.selftest = 1;
    st.in_kernel = 1;
    snprintf(st.kernel, sizeof st.kernel, "selftest");
    reseed("selftest");

    /* A correct call passes and its 13 arguments arrive (the result comes back in rax). */
    uint64_t a[13], want = 0;
    for (int i = 0; i < 13; i++) {
        a[i] = ((uint64_t)checkasm_rand() << 32) | checkasm_rand();
        want += (uint64_t)(i + 1) * a[i];
    }
    st.kernel_failures = 0;
    checkasm_prepare_call();
    uint64_t got = checkasm_checked_call((checkasm_fn)checkasm_selftest_args, a[0], a[1], a[2], a[3],
                                         a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
                                         CHECKASM_PAD);
    checkasm_finish_call("args");
    checks++;
    if (got != want || st.kernel_failures) {
        printf("selftest FAILED: 13 arguments through the trampoline (sum %llx, want %llx, %d "
               "failures)\n", (unsigned long long)got, (unsigned long long)want,
               st.kernel_failures);
        bad++;
    }

    /* int arguments arrive with dirty upper halves, and the low half intact. */
    int dirty = 0;
    for (int i = 0; i < 8; i++) {
        int x = -12345 + i;
        uint64_t r = checkasm_checked_call((checkasm_fn)checkasm_selftest_arg64, CHECKASM_MAP(x),
                                           CHECKASM_PAD);
        if ((uint32_t)r != (uint32_t)x) {
            printf("selftest FAILED: int argument low half changed\n");
            bad++;
        }
        dirty += (r >> 32) != 0 && (r >> 32) != 0xffffffffu;
    }
    checks++;
    if (dirty != 8) {
        printf("selftest FAILED: int arguments were passed with clean upper halves\n");
        bad++;
    }

    /* Every planted bug is reported. */
    int nbugs = checkasm_ymm_check ? 9 : 8;
    for (int b = 0; b < nbugs; b++) {
        st.kernel_failures = 0;
        checkasm_call_checked(checkasm_selftest_bad, (uint64_t)b);
        checks++;
        if (st.kernel_failures != 1) {
            printf("selftest FAILED: a kernel that %s was not caught\n", bugs[b]);
            bad++;
        }
    }
    st.in_kernel = 0;
    st.selftest = 0;
    printf("checkasm selftest: %d checks, %d failed%s\n", checks, bad,
           checkasm_ymm_check ? "" : " (YMM check unavailable on this CPU)");
    return bad ? 1 : 0;
}

/* ---- main ------------------------------------------------------------------------------------- */

static void usage(FILE *out)
{
    fprintf(out,
            "usage: checkasm [--seed=N] [--test=PATTERN] [--isa=sse2|ssse3|avx2] [--bench] "
            "[--list] [-v]\n"
            "  Tests every asm kernel at every ISA level the CPU supports against its C "
            "fallback.\n"
            "  --seed=N        random seed (default: from the clock; printed)\n"
            "  --test=PATTERN  kernels (vp8_<name>_<isa>) or domains matching the glob, or "
            "containing it\n"
            "  --isa=LEVEL     only kernels new at that level\n"
            "  --bench         also time each kernel and its C fallback (ns/call, speedup)\n"
            "  --list          list the kernels that would be tested\n"
            "  --selftest      check that the ABI checker catches planted bugs\n"
            "  -v              a line per kernel tested\n");
}

int main(int argc, char **argv)
{
    st.seed = (unsigned)(checkasm_now_ns() ^ (uint64_t)getpid());
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--seed=", 7) == 0) {
            char *end;
            st.seed = (unsigned)strtoul(a + 7, &end, 0);
            if (*end || end == a + 7) {
                fprintf(stderr, "checkasm: bad seed %s\n", a + 7);
                return 2;
            }
        } else if (strncmp(a, "--test=", 7) == 0) {
            st.pattern = a + 7;
        } else if (strncmp(a, "--isa=", 6) == 0) {
            st.only_isa = a + 6;
            int ok = 0;
            for (int l = 1; l < NUM_ISAS; l++)
                ok |= strcmp(st.only_isa, isas[l].name) == 0;
            if (!ok) {
                fprintf(stderr, "checkasm: unknown ISA level %s (sse2, ssse3, avx2)\n", a + 6);
                return 2;
            }
        } else if (strcmp(a, "--bench") == 0) {
            st.bench = 1;
        } else if (strcmp(a, "--selftest") == 0) {
            st.selftest = 1;
        } else if (strcmp(a, "--list") == 0) {
            st.list = 1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            st.verbose = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "checkasm: unknown argument %s\n", a);
            usage(stderr);
            return 2;
        }
    }

    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGILL, on_crash);
    signal(SIGFPE, on_crash);

    st.cpu = vp8_cpu_flags();
#if defined(__x86_64__)
    {
        /* xgetbv with ecx=1 (XINUSE) reports whether the upper YMM halves are in use; it exists
         * when CPUID.(EAX=0Dh,ECX=1):EAX bit 2 is set. Only meaningful with AVX. */
        unsigned a, b, c, d;
        if ((st.cpu & VP8_CPU_AVX2) && __get_cpuid_count(0xd, 1, &a, &b, &c, &d) && (a & 4))
            checkasm_ymm_check = 1;
    }
#endif
    printf("checkasm: seed=%u cpu:", st.seed);
    for (int l = 1; l < NUM_ISAS; l++)
        if (st.cpu & isas[l].flag)
            printf(" %s", isas[l].name);
    printf("%s\n", checkasm_ymm_check ? " (ymm state checked)" : "");
    fflush(stdout);
    if (st.selftest)
        return run_selftest();

    int coverage_failures = 0;
    for (int l = 0; l < NUM_ISAS; l++) {
        if (l > 0 && !(st.cpu & isas[l].flag)) {
            printf("isa %s: not supported by this CPU, skipped\n", isas[l].name);
            continue;
        }
        st.level = l;
        st.level_flags |= isas[l].flag;
        st.testing_level = l > 0 && (!st.only_isa || strcmp(st.only_isa, isas[l].name) == 0);
        for (int d = 0; d < NUM_DOMAINS; d++) {
            st.domain = &domains[d];
            st.tested_this_domain = 0;
            if (domains[d].test)
                domains[d].test();
            close_kernel();
            st.tested_per_level[l][d] = st.tested_this_domain;
            /* Coverage: all kernels this level installs must have been tested (unless a pattern
             * narrowed the run, or this level is not selected). */
            if (l > 0 && st.testing_level && !st.pattern) {
                int installed = installed_at(&domains[d], l);
                if (st.tested_this_domain < installed) {
                    printf("FAIL %s [%s]: %d kernels installed, %d tested%s%s%s\n", domains[d].name,
                           isas[l].name, installed, st.tested_this_domain,
                           domains[d].test ? "" : " (no test file: tests/checkasm/",
                           domains[d].test ? "" : domains[d].name, domains[d].test ? "" : ".c)");
                    coverage_failures++;
                }
            }
        }
        if (l > 0 && st.testing_level) {
            int total = 0;
            for (int d = 0; d < NUM_DOMAINS; d++)
                total += st.tested_per_level[l][d];
            printf("isa %s: %d kernels %s (", isas[l].name, total, st.list ? "listed" : "tested");
            for (int d = 0; d < NUM_DOMAINS; d++)
                printf("%s%s %d", d ? ", " : "", domains[d].name, st.tested_per_level[l][d]);
            printf(")\n");
        }
    }
    if (st.list)
        return 0;
    st.failed += coverage_failures;
    printf("checkasm: %d passed, %d failed\n", st.passed, st.failed);
    return st.failed ? 1 : 0;
}
