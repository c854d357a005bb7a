/*
 * checkasm: every asm kernel against its C fallback, at every ISA level the CPU has.
 *
 * This is the small API the per-domain test files (idct.c, mc.c, loopfilter.c, ipred.c) use;
 * checkasm.c holds main, the ISA loop and the bookkeeping, x86_64/checked_call.S the ABI
 * trampoline. README.md in this folder explains how to write a domain file. In short:
 *
 *     void checkasm_check_idct(void)                      // one per domain, found by name
 *     {
 *         Vp8IdctDsp ref, dsp;
 *         vp8_idct_dsp_init(&ref, 0);                     // the C fallbacks
 *         vp8_idct_dsp_init(&dsp, checkasm_cpu_flags());  // what this ISA level installs
 *         if (checkasm_check_func(dsp.idct_add, "idct_add")) {
 *             for (int i = 0; i < CHECKASM_ITERATIONS; i++) {
 *                 ...random inputs, copied for both...
 *                 ref.idct_add(dst_c, stride, coef_c);
 *                 checkasm_call_checked(dsp.idct_add, dst_a, stride, coef_a);
 *                 if (!checkasm_check_u8("dst", dst_c, stride, dst_a, stride, 4, 4)) break;
 *             }
 *             CHECKASM_BENCH(memcpy(coef, saved, sizeof coef), dsp.idct_add, ref.idct_add,
 *                            dst, stride, coef);
 *         }
 *     }
 *
 * The domain function runs once per ISA level (C first, then sse2, ssse3, avx2 as far as the CPU
 * and --isa allow). checkasm_check_func() says whether the slot holds a kernel that is new at this
 * level (pointer differs from the level below) and matches --test; it also names the kernel
 * ("vp8_<name>_<isa>"), reseeds the generator from --seed and that name (so a failure reproduces
 * with --seed=N --test=<kernel>), and closes the previous kernel's report. Failures print the
 * kernel, ISA, seed and what differed; each kernel reports its first failure in full.
 *
 * This is test code, not decoder code: the C subset rules (docs/c-subset.md) do not apply here.
 */
#ifndef VP8_CHECKASM_H
#define VP8_CHECKASM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vp8/vp8.h"

/* Random cases per kernel per ISA level; tests may scale it (e.g. fewer for 16x16 kernels). */
enum { CHECKASM_ITERATIONS = 1000 };

#define CHECKASM_ALIGN(n) __attribute__((aligned(n)))

/* Any function pointer, for bookkeeping (never called through this type). */
typedef void (*checkasm_fn)(void);

/* ---- random inputs --------------------------------------------------------------------------- */

uint32_t checkasm_rand(void);                       /* 32 random bits (xorshift, seeded per kernel) */
int checkasm_rand_range(int lo, int hi);            /* uniform in lo..hi inclusive */
void checkasm_rand_bytes(void *buf, size_t n);      /* n random bytes */

/* ---- the kernel under test ------------------------------------------------------------------ */

/* VP8_CPU_* flags of the ISA level being run: the level's flag and every level below it (0 for the
 * first, C-only pass). Pass it to vp8_<domain>_dsp_init. */
unsigned checkasm_cpu_flags(void);
/* Name of the ISA level being run: "c", "sse2", "ssse3", "avx2". */
const char *checkasm_isa(void);

/* Nonzero iff `func` (the table slot at this level) should be tested now: it differs from the
 * slot at the level below and "vp8_<name>_<isa>" matches --test. Always 0 on the C pass and in
 * --list mode (which prints the name instead). Call it for every slot the domain has, every level:
 * the bookkeeping (which pointer was seen at which level) depends on it. */
#define checkasm_check_func(func, name) checkasm_check_func_impl((checkasm_fn)(func), (name))
int checkasm_check_func_impl(checkasm_fn func, const char *name);

/* Full name of the kernel under test, e.g. "vp8_idct_add_sse2". */
const char *checkasm_kernel(void);

/* Record a failure of the kernel under test (printf-style detail). The first failure of a kernel
 * prints "FAIL <kernel> [isa] seed=N: <detail>"; later ones are only counted. */
void checkasm_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Nonzero once the kernel under test has failed (tests usually stop iterating then). */
int checkasm_failed(void);

/* Compare a w x h block of bytes / int16 (strides in elements). Returns 1 if equal; otherwise
 * fails with "<what> differs at (x,y): C <ref> asm <new>" (the first difference in raster
 * order) and returns 0. */
int checkasm_check_u8(const char *what, const uint8_t *ref, ptrdiff_t ref_stride,
                      const uint8_t *new_, ptrdiff_t new_stride, int w, int h);
int checkasm_check_i16(const char *what, const int16_t *ref, ptrdiff_t ref_stride,
                       const int16_t *new_, ptrdiff_t new_stride, int w, int h);

/* A buffer of n bytes with an inaccessible page right after it (at_end != 0) or right before it
 * (at_end == 0): reading or writing outside the kernel's contract crashes, and the SIGSEGV handler
 * names the kernel. Freed automatically when the next kernel starts. */
void *checkasm_guarded_alloc(size_t n, int at_end);

/* ---- checked calls --------------------------------------------------------------------------- */

/* Call an asm kernel through the trampoline in x86_64/checked_call.S, then fail the kernel if it
 * did not preserve what the System V ABI says the callee must: rbx, rbp, r12-r15, rsp, the
 * direction flag; and, for AVX2 code, if it returned with the upper YMM halves dirty (no
 * vzeroupper: a large penalty for the SSE code that runs next). xmm6-15 are caller-saved on SysV
 * and are not checked. `int` arguments (and narrower ones) are passed with garbage in bits 32-63
 * of their register, which the ABI allows, so a kernel using a 32-bit argument as 64 bits fails.
 * Up to 13 arguments (6 in registers, the rest on the stack). */
#define checkasm_call_checked(func, ...)                                                          \
    do {                                                                                          \
        checkasm_prepare_call();                                                                  \
        checkasm_checked_call((checkasm_fn)(func), CHECKASM_MAP(__VA_ARGS__), CHECKASM_PAD);      \
        checkasm_finish_call(#func);                                                              \
    } while (0)

void checkasm_prepare_call(void);
void checkasm_finish_call(const char *call);
/* The trampoline: calls func with the arguments that follow (assembled for up to 13). */
uint64_t checkasm_checked_call(checkasm_fn func, ...);

/* Argument transforms: widen every argument to a full 64-bit slot, dirtying the upper half of
 * 32-bit-or-narrower integers. (Pointers and 64-bit integers pass unchanged.) */
uint64_t checkasm_arg_i32(int32_t v);
uint64_t checkasm_arg_u32(uint32_t v);
static inline uint64_t checkasm_arg_i64(int64_t v) { return (uint64_t)v; }
static inline uint64_t checkasm_arg_u64(uint64_t v) { return v; }
static inline uint64_t checkasm_arg_ptr(const volatile void *p) { return (uint64_t)(uintptr_t)p; }
#define CHECKASM_ARG(x)                                                                           \
    _Generic((x),                                                                                 \
        signed char: checkasm_arg_i32, short: checkasm_arg_i32, int: checkasm_arg_i32,            \
        unsigned char: checkasm_arg_u32, unsigned short: checkasm_arg_u32,                        \
        unsigned int: checkasm_arg_u32, _Bool: checkasm_arg_u32,                                  \
        long: checkasm_arg_i64, long long: checkasm_arg_i64,                                      \
        unsigned long: checkasm_arg_u64, unsigned long long: checkasm_arg_u64,                    \
        default: checkasm_arg_ptr)(x)
/* Enough zero slots after the real arguments that the trampoline's fixed-size copy of the stack
 * arguments only ever reads what the caller passed. */
#define CHECKASM_PAD 0ull, 0ull, 0ull, 0ull, 0ull, 0ull, 0ull, 0ull, 0ull, 0ull, 0ull, 0ull, 0ull, 0ull
#define CHECKASM_NARGS(...) CHECKASM_NARGS_(__VA_ARGS__, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define CHECKASM_NARGS_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, n, ...) n
#define CHECKASM_CAT(a, b) CHECKASM_CAT_(a, b)
#define CHECKASM_CAT_(a, b) a##b
#define CHECKASM_MAP(...) CHECKASM_CAT(CHECKASM_MAP, CHECKASM_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define CHECKASM_MAP1(a) CHECKASM_ARG(a)
#define CHECKASM_MAP2(a, ...) CHECKASM_ARG(a), CHECKASM_MAP1(__VA_ARGS__)
#define CHECKASM_MAP3(a, ...) CHECKASM_ARG(a), CHECKASM_MAP2(__VA_ARGS__)
#define CHECKASM_MAP4(a, ...) CHECKASM_ARG(a), CHECKASM_MAP3(__VA_ARGS__)
#define CHECKASM_MAP5(a, ...) CHECKASM_ARG(a), CHECKASM_MAP4(__VA_ARGS__)
#define CHECKASM_MAP6(a, ...) CHECKASM_ARG(a), CHECKASM_MAP5(__VA_ARGS__)
#define CHECKASM_MAP7(a, ...) CHECKASM_ARG(a), CHECKASM_MAP6(__VA_ARGS__)
#define CHECKASM_MAP8(a, ...) CHECKASM_ARG(a), CHECKASM_MAP7(__VA_ARGS__)
#define CHECKASM_MAP9(a, ...) CHECKASM_ARG(a), CHECKASM_MAP8(__VA_ARGS__)
#define CHECKASM_MAP10(a, ...) CHECKASM_ARG(a), CHECKASM_MAP9(__VA_ARGS__)
#define CHECKASM_MAP11(a, ...) CHECKASM_ARG(a), CHECKASM_MAP10(__VA_ARGS__)
#define CHECKASM_MAP12(a, ...) CHECKASM_ARG(a), CHECKASM_MAP11(__VA_ARGS__)
#define CHECKASM_MAP13(a, ...) CHECKASM_ARG(a), CHECKASM_MAP12(__VA_ARGS__)

/* ---- benchmarks (--bench) -------------------------------------------------------------------- */

/* Nonzero in --bench mode. */
int checkasm_bench_enabled(void);
uint64_t checkasm_now_ns(void);            /* clock_gettime(CLOCK_MONOTONIC) */
/* Record ns per call of the asm kernel and of the C fallback for the kernel under test; printed
 * (with the speedup) when the kernel's report closes. */
void checkasm_bench_result(double asm_ns, double c_ns);
/* Timed batches per measurement; the median batch is used. */
enum { CHECKASM_BENCH_BATCHES = 15 };
double checkasm_median(double *v, int n);

/* Time one call form: `prep` (a statement restoring inputs the call consumes, e.g. coefficients
 * it zeroes; may be empty) followed by func(args). Calibrates a batch size of >= ~50 us, then
 * takes the median of CHECKASM_BENCH_BATCHES batches; the cost of `prep` alone is measured the
 * same way and subtracted. Stores ns per call in out_ns (a double lvalue). */
#define CHECKASM_BENCH_ONE(out_ns, prep, func, ...)                                               \
    do {                                                                                          \
        double checkasm_t_[CHECKASM_BENCH_BATCHES], checkasm_p_[CHECKASM_BENCH_BATCHES];          \
        long checkasm_n_ = 16;                                                                    \
        for (;;) {                                                                                \
            uint64_t checkasm_t0_ = checkasm_now_ns();                                            \
            for (long checkasm_i_ = 0; checkasm_i_ < checkasm_n_; checkasm_i_++) {                \
                prep;                                                                             \
                (func)(__VA_ARGS__);                                                              \
            }                                                                                     \
            if (checkasm_now_ns() - checkasm_t0_ >= 50000 || checkasm_n_ >= (1L << 22))           \
                break;                                                                            \
            checkasm_n_ *= 2;                                                                     \
        }                                                                                         \
        for (int checkasm_b_ = 0; checkasm_b_ < CHECKASM_BENCH_BATCHES; checkasm_b_++) {          \
            uint64_t checkasm_t0_ = checkasm_now_ns();                                            \
            for (long checkasm_i_ = 0; checkasm_i_ < checkasm_n_; checkasm_i_++) {                \
                prep;                                                                             \
                (func)(__VA_ARGS__);                                                              \
            }                                                                                     \
            uint64_t checkasm_t1_ = checkasm_now_ns();                                            \
            for (long checkasm_i_ = 0; checkasm_i_ < checkasm_n_; checkasm_i_++) {                \
                prep;                                                                             \
                __asm__ volatile("" ::: "memory");                                                \
            }                                                                                     \
            uint64_t checkasm_t2_ = checkasm_now_ns();                                            \
            checkasm_t_[checkasm_b_] = (double)(checkasm_t1_ - checkasm_t0_) / checkasm_n_;       \
            checkasm_p_[checkasm_b_] = (double)(checkasm_t2_ - checkasm_t1_) / checkasm_n_;       \
        }                                                                                         \
        (out_ns) = checkasm_median(checkasm_t_, CHECKASM_BENCH_BATCHES) -                         \
                   checkasm_median(checkasm_p_, CHECKASM_BENCH_BATCHES);                          \
        if ((out_ns) < 0.01)                                                                      \
            (out_ns) = 0.01;                                                                      \
    } while (0)

/* In --bench mode: time the asm kernel and the C fallback on the same arguments and record both
 * (see CHECKASM_BENCH_ONE for `prep`). A no-op otherwise, and after a failure. */
#define CHECKASM_BENCH(prep, asm_func, c_func, ...)                                               \
    do {                                                                                          \
        if (checkasm_bench_enabled() && !checkasm_failed()) {                                     \
            double checkasm_asm_ns_, checkasm_c_ns_;                                              \
            CHECKASM_BENCH_ONE(checkasm_asm_ns_, prep, asm_func, __VA_ARGS__);                    \
            CHECKASM_BENCH_ONE(checkasm_c_ns_, prep, c_func, __VA_ARGS__);                        \
            checkasm_bench_result(checkasm_asm_ns_, checkasm_c_ns_);                              \
        }                                                                                         \
    } while (0)

/* ---- domains ---------------------------------------------------------------------------------- */

/* One per domain file; checkasm.c declares them weak, so a missing file is reported (as a failure
 * if that domain installs kernels nobody tests) rather than breaking the link. */
void checkasm_check_idct(void);
void checkasm_check_mc(void);
void checkasm_check_loopfilter(void);
void checkasm_check_ipred(void);

#endif
