//! The transpiler's C semantics, checked by behaviour: each C snippet below is compiled by `cc`
//! and run, transpiled by `portlab transpile`, compiled by `rustc` (with overflow checks on, so
//! any arithmetic the transpiler left panicking would abort) and run; both must print the same.
//!
//! Each snippet defines functions `long long t_<name>(void)`; the C driver and the Rust `main`
//! print `<name> <value>` for each. Signed overflow is undefined in C, so the C side is built
//! with `-fwrapv`, which defines it as the wrap-around the Rust side must reproduce.
//!
//! Needs clang (for the AST) and cc; without clang the tests fail under CI and print SKIPPED
//! elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use portlab_transpile::program::Layout;
use portlab_transpile::{self as transpile, Options};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("transpile-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

fn clang_missing() -> bool {
    if transpile::clang_available("clang") {
        return false;
    }
    vp8_stage::missing_tool("clang", "the transpiler's C semantics");
    true
}

fn options(dir: &Path, file: &str) -> Options {
    let mut o = Options::project_default(dir);
    o.files = vec![file.to_string()];
    o.includes = vec![];
    o.out_dir = dir.join("out");
    o.clang = "clang".to_string();
    o.layout = Layout {
        root: dir.to_path_buf(),
        src_dir: String::new(),
        root_file: Some(file.to_string()),
        asm_include_dirs: vec![],
        asm_rust_crate: None,
        extern_crate: None,
    };
    o.asm_crate = None;
    o
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The generated crate root for a one-file C snippet (None without clang).
fn transpile_snippet(name: &str, src: &str) -> Option<String> {
    if clang_missing() {
        return None;
    }
    let dir = scratch(name);
    std::fs::write(dir.join("snippet.c"), src).unwrap();
    let files = transpile::transpile(&options(&dir, "snippet.c"))
        .unwrap_or_else(|e| panic!("transpile: {e}"));
    Some(files["src/lib.rs"].clone())
}

/// Compile and run `src` as C and as transpiled Rust; compare their output.
fn check(name: &str, src: &str) {
    if clang_missing() {
        return;
    }
    let dir = scratch(name);
    std::fs::write(dir.join("snippet.c"), src).unwrap();
    let tests: Vec<String> = src
        .split("long long t_")
        .skip(1)
        .map(|rest| rest.split('(').next().unwrap().trim().to_string())
        .collect();
    assert!(!tests.is_empty());

    // C: the snippet plus a driver.
    let mut driver = String::from("#include <stdio.h>\n");
    for t in &tests {
        driver += &format!("long long t_{t}(void);\n");
    }
    driver += "int main(void) {\n";
    for t in &tests {
        driver += &format!("    printf(\"{t} %lld\\n\", t_{t}());\n");
    }
    driver += "    return 0;\n}\n";
    std::fs::write(dir.join("driver.c"), driver).unwrap();
    run(Command::new("cc").current_dir(&dir).args([
        "-std=c11",
        "-O1",
        "-fwrapv",
        "-o",
        "c.out",
        "snippet.c",
        "driver.c",
        // <math.h>'s functions live in libm (the Rust build gets it through std).
        "-lm",
    ]));
    let c_out = run(&mut Command::new(dir.join("c.out")));

    // Rust: transpile, add a main, build with overflow checks and debug assertions, run.
    let files = transpile::transpile(&options(&dir, "snippet.c"))
        .unwrap_or_else(|e| panic!("transpile: {e}"));
    let out = dir.join("out");
    transpile::write(&out, &files).unwrap();
    let lib = out.join("src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).unwrap();
    text += "\nfn main() {\n";
    for t in &tests {
        text += &format!("    println!(\"{t} {{}}\", unsafe {{ t_{t}() }});\n");
    }
    text += "}\n";
    std::fs::write(&lib, text).unwrap();
    run(rustc_with_libc().current_dir(&out).args([
        "--edition",
        "2024",
        "--crate-type",
        "bin",
        "-C",
        "overflow-checks=on",
        "-C",
        "debug-assertions=on",
        "-o",
        "rust.out",
        "src/lib.rs",
    ]));
    let rust_out = run(&mut Command::new(out.join("rust.out")));
    assert_eq!(
        rust_out, c_out,
        "{name}: transpiled Rust and C disagree\n--- Rust:\n{rust_out}\n--- C:\n{c_out}"
    );
}

/// rustc with the libc crate as cargo built it for this test (generated code calls libc::...).
fn rustc_with_libc() -> Command {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let libc_rlib = std::fs::read_dir(&deps)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("liblibc-") && n.ends_with(".rlib")
        })
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    let mut rustc = Command::new("rustc");
    rustc
        .arg("-L")
        .arg(format!("dependency={}", deps.display()));
    if let Some(rlib) = libc_rlib {
        rustc
            .arg("--extern")
            .arg(format!("libc={}", rlib.display()));
    }
    rustc
}

/// The transpiler must refuse `src` with an error naming `construct` at `line`.
fn check_refused(name: &str, src: &str, construct: &str, line: u32) {
    if clang_missing() {
        return;
    }
    let dir = scratch(name);
    std::fs::write(dir.join("snippet.c"), src).unwrap();
    match transpile::transpile(&options(&dir, "snippet.c")) {
        Ok(_) => panic!("{name}: transpiled without error"),
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.contains(&format!("snippet.c:{line}:")),
                "{name}: no file:line in {msg}"
            );
            assert!(
                msg.contains(construct),
                "{name}: `{construct}` not named in {msg}"
            );
        }
    }
}

#[test]
fn integer_promotions_and_conversions() {
    check(
        "promotions",
        r#"
#include <stdint.h>
long long t_u8_times_u8(void) { uint8_t a = 200, b = 200; return a * b; }
long long t_u8_sum_stored(void) { uint8_t a = 200, b = 100; uint8_t c = a + b; return c; }
long long t_u16_mul_int(void) { uint16_t a = 65535; return a * a; }
long long t_u8_compound(void) { uint8_t b = 250; b += 10; return b; }
long long t_i8_compound(void) { int8_t c = 100; c += 100; return c; }
long long t_i16_narrow(void) { int x = 40000; int16_t s = (int16_t)x; return s; }
long long t_neg_to_unsigned(void) { return (unsigned)-5; }
long long t_neg_to_u8(void) { return (uint8_t)-1; }
long long t_char_arith(void) { char c = 'a'; c += 1; return c * 2; }
long long t_u64_product(void) { int w = 70000, h = 70000; uint64_t a = (uint64_t)w * (uint64_t)h; return (long long)a; }
long long t_size_arith(void) { int n = 3; unsigned long s = (unsigned long)n * 16 + sizeof(int); return (long long)s; }
long long t_bool_results(void) { int z = !5 + (3 && 0) + (0 || 7) + (2 > 1); return z; }
long long t_not_zero(void) { int x = 0; return !x; }
long long t_uchar_cmp(void) { unsigned char c = 200; return c > 127; }
long long t_complement(void) { uint8_t b = 0x0f; int r = ~b; return r; }
long long t_unsigned_complement64(void) { return (long long)(~(uint64_t)31 & 0xffff); }
long long t_uint_widen(void) { uint32_t u = 0xffffffffu; uint64_t w = u; return (long long)w; }
long long t_int_widen(void) { int32_t s = -2; uint64_t w = (uint64_t)s; return (long long)(w >> 32); }
"#,
    );
}

#[test]
fn unsigned_wraparound_and_signed_overflow() {
    check(
        "wrap",
        r#"
#include <stdint.h>
#include <limits.h>
long long t_unsigned_underflow(void) { unsigned x = 0; x -= 1; return x; }
long long t_unsigned_mul_wrap(void) { uint32_t m = 0xffffffffu; m *= 3u; return m; }
long long t_unsigned_add_wrap(void) { uint32_t a = 4000000000u, b = 1000000000u; return a + b; }
long long t_u64_wrap(void) { uint64_t a = UINT64_MAX; a += 2; return (long long)a; }
long long t_signed_add_overflow(void) { int x = INT_MAX; x = x + 1; return x; }
long long t_signed_mul_overflow(void) { int x = 65536; int y = x * x; return y; }
long long t_signed_sub_overflow(void) { int x = INT_MIN; x -= 1; return x; }
long long t_signed_increment(void) { int x = INT_MAX; x++; return x; }
long long t_negate_min(void) { int x = INT_MIN; return -x; }
long long t_long_overflow(void) { long x = LONG_MAX; x += 1; return x == LONG_MIN; }
long long t_division(void) { int a = -7, b = 2; return a / b * 1000 + a % b; }
long long t_unsigned_division(void) { unsigned a = 7, b = 2; return a / b * 1000 + a % b; }
long long t_decrement_u8(void) { uint8_t b = 0; b--; return b; }
"#,
    );
}

#[test]
fn mixed_sign_comparisons() {
    check(
        "mixed_sign",
        r#"
long long t_minus_one_lt_one_u(void) { return -1 < 1u; }
long long t_minus_one_long_lt_one_u(void) { return (long)-1 < 1u; }
long long t_int_vs_unsigned_var(void) { int a = -1; unsigned b = 1; return a < b; }
long long t_uchar_vs_int(void) { unsigned char a = 255; int b = -1; return a > b; }
long long t_size_vs_int(void) { unsigned long n = 5; int i = -1; return i < n; }
long long t_eq_after_conversion(void) { unsigned u = 4294967295u; int i = -1; return u == i; }
"#,
    );
}

#[test]
fn shifts() {
    check(
        "shifts",
        r#"
#include <stdint.h>
long long t_shl_unsigned_top(void) { return 1u << 31; }
long long t_shr_negative(void) { int x = -16; return x >> 2; }
long long t_shr_negative_var(void) { int x = -1000; int n = 3; return x >> n; }
long long t_shl_var(void) { unsigned x = 3; int n = 30; return x << n; }
long long t_shl_narrow(void) { uint8_t b = 200; return (uint8_t)(b << 1); }
long long t_shl_promoted(void) { uint8_t b = 200; return b << 1; }
long long t_shl_64(void) { return (long long)(1ULL << 40); }
long long t_shift_compound(void) { uint32_t r = 0x80; int s = 3; r <<= s; r >>= 1; return r; }
long long t_u64_shift_by_int(void) { uint64_t v = 0xff; int loaded = 8; return (long long)(v << (56 - loaded)); }
long long t_signed_shl_into_sign(void) { int v = 0x40000000; return v << 1; }
"#,
    );
}

#[test]
fn control_flow() {
    check(
        "control",
        r#"
static int classify(int k) {
    int r = 0;
    switch (k) {
    case 0:
        r += 1;
    case 1:
        r += 10;
        break;
    case 2:
    case 3:
        r += 100;
    default:
        r += 1000;
        break;
    case 9:
        return -9;
    }
    return r;
}
long long t_switch_fallthrough(void) {
    long long s = 0;
    for (int k = 0; k < 11; k++) s = s * 7 + classify(k);
    return s;
}
static int plain_switch(unsigned k) {
    switch (k) {
    case 1: return 5;
    case 2: { int x = 3; if (x > 2) break; return 0; }
    case 4000000000u: return 7;
    }
    return 11;
}
long long t_switch_no_fallthrough(void) { return plain_switch(1) * 10000 + plain_switch(2) * 100 + plain_switch(4000000000u) * 10 + plain_switch(3); }
long long t_comma(void) { int x = 1; int a = (x++, x * 2); return a * 10 + x; }
long long t_ternary(void) { int c = 0; unsigned u = c ? 1u : -1; return u; }
long long t_nested_ternary(void) { int v = 70; return v < 0 ? -1 : v > 63 ? 63 : v; }
long long t_for_continue(void) {
    int s = 0;
    for (int i = 0; i < 10; i++) { if (i % 3 == 0) continue; s += i; }
    return s;
}
long long t_for_outer_var_used_after(void) { int i; for (i = 0; i < 5; i++) {} return i; }
long long t_do_while_continue(void) {
    int i = 0, s = 0;
    do { i++; if (i == 2) continue; s += i; } while (i < 5);
    return s;
}
long long t_nested_break(void) {
    int n = 0;
    for (int i = 0; i < 5; i++) { for (int j = 0; j < 5; j++) { if (j == i) break; n++; } }
    return n;
}
static int next_value(int *state) { return (*state)-- > 0 ? *state : -1; }
long long t_assign_in_condition(void) {
    int state = 4, c, s = 0;
    while ((c = next_value(&state)) != -1) s = s * 10 + c;
    return s;
}
long long t_chained_assignment(void) { int a, b, c; a = b = c = 7; return a + b + c; }
long long t_post_increment_value(void) { int x = 5; int y = x++ + 10; return y * 100 + x; }
long long t_pre_decrement_value(void) { int x = 5; int y = --x * 2; return y * 100 + x; }
long long t_for_step(void) { int s = 0; for (int p = 4; p < 16; p += 4) s = s * 100 + p; return s; }
long long t_for_down(void) { int s = 0; for (int i = 9; i > 3; i--) s = s * 10 + i; return s; }
long long t_infinite_for(void) { int i = 0; for (;;) { if (++i == 7) break; } return i; }
"#,
    );
}

#[test]
fn pointers_arrays_structs_function_pointers() {
    check(
        "pointers",
        r#"
#include <stdint.h>
#include <stddef.h>
#include <string.h>
typedef struct Pt { int16_t x, y; } Pt;
typedef struct Box { Pt a, b; uint8_t tag[4]; } Box;
typedef int (*binop)(int, int);
static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
typedef struct Ops { binop f[2]; binop missing; } Ops;
static const int table[3][4] = { { 1, 2, 3, 4 }, { 5, 6 }, { 9 } };
static const char *const words[] = { "one", "three", "eleven" };

long long t_pointer_walk(void) {
    int a[6] = { 1, 2, 3, 4, 5, 6 };
    int *p = a + 1, *end = a + 6, s = 0;
    while (p < end) s = s * 10 + *p++;
    return s;
}
long long t_pointer_diff(void) { int a[10]; int *p = &a[7], *q = a + 2; return p - q; }
long long t_negative_index(void) { uint8_t buf[8] = { 0, 1, 2, 3, 4, 5, 6, 7 }; uint8_t *p = buf + 5; return p[-2] * 10 + p[1]; }
long long t_store_through_pointer(void) { uint8_t b[4] = { 0 }; uint8_t *p = b; *p++ = 9; *p = 8; p[1] = 7; return b[0] * 100 + b[1] * 10 + b[2]; }
long long t_2d_table(void) { return table[0][3] * 100 + table[1][1] * 10 + table[2][0] + table[2][3]; }
long long t_2d_pointer(void) { int16_t blocks[3][16] = { { 0 } }; int16_t (*row)[16] = blocks + 1; row[1][2] = 5; return blocks[2][2]; }
long long t_struct_copy(void) { Box a = { { 1, 2 }, { 3, 4 }, { 5, 6, 7, 8 } }; Box b = a; b.a.x = 100; return a.a.x * 1000 + b.a.x + b.tag[3]; }
long long t_struct_pointer(void) { Box bx; Box *p = &bx; memset(p, 0, sizeof(*p)); p->b.y = -3; p->tag[1] = 200; return p->b.y * 1000 + bx.tag[1]; }
long long t_array_of_structs(void) { Pt pts[3] = { { 1, 2 }, { 3, 4 } }; Pt *q = &pts[1]; q->y += 10; return pts[1].y * 10 + pts[2].x; }
long long t_memcpy(void) { int a[4] = { 1, 2, 3, 4 }, b[4]; memcpy(b, a, sizeof(a)); return b[0] + b[3] * 10; }
long long t_function_pointers(void) {
    Ops ops = { { add, mul }, NULL };
    int r = ops.f[0](3, 4) * 100 + ops.f[1](3, 4);
    if (ops.missing == NULL) r += 10000;
    binop g = mul;
    return r + (g != NULL ? g(2, 2) : 0);
}
long long t_string_literal(void) { const char *s = "ab\n"; return s[0] + s[1] + s[2] + s[3]; }
long long t_string_table(void) { return words[1][2] * 100 + (long long)strlen(words[2]); }
long long t_char_array_init(void) { char s[8] = "hi"; return s[0] + s[1] + s[2] + sizeof(s); }
long long t_sizeof(void) { return sizeof(Box) * 100 + sizeof(Pt) * 10 + sizeof(int16_t); }
long long t_null_pointer(void) { int *p = NULL; return p == NULL ? 1 : 2; }
long long t_pointer_truthiness(void) { int x = 0; int *p = &x; return p && !(p == 0) ? 3 : 4; }
long long t_address_of_local(void) { int v = 1; int *p = &v; *p += 41; return v; }
"#,
    );
}

#[test]
fn globals_enums_statics() {
    check(
        "globals",
        r#"
enum Color { RED, GREEN = 5, BLUE };
enum { NEG = -2, POS = 3 };
typedef enum Kind { K_A, K_B, K_C } Kind;
static int counter;
int shared_total = 10;
static int bump(void) { static int calls = 0; calls++; counter += 2; return calls; }
static int kind_value(Kind k) { switch (k) { case K_A: return 1; case K_B: return 2; default: return 3; } }
long long t_enums(void) { return RED + GREEN * 10 + BLUE * 100 + NEG * 1000 + POS; }
long long t_statics(void) { bump(); bump(); int c = bump(); return c * 100 + counter + shared_total; }
long long t_enum_switch(void) { return kind_value(K_A) * 100 + kind_value(K_B) * 10 + kind_value(K_C); }
long long t_enum_unsigned_compare(void) { Kind k = K_C; return k > K_A; }
"#,
    );
}

#[test]
fn goto_forward_backward_out_of_loops_and_switches() {
    check(
        "goto",
        r#"
#include <stdlib.h>
long long t_cleanup(void) {
    long long rc = -1;
    int *a = malloc(16 * sizeof(int));
    if (!a) goto fail;
    int *b = malloc(16 * sizeof(int));
    if (!b) goto free_a;
    for (int i = 0; i < 16; i++) {
        a[i] = i;
        for (int j = 0; j < 16; j++) {
            b[j] = a[i] * j;
            if (b[j] > 100) goto done;
        }
    }
    rc = 0;
done:
    rc += b[15] + 1000;
    free(b);
free_a:
    free(a);
fail:
    return rc;
}
long long t_retry(void) {
    int n = 0, tries = 0;
again:
    tries++;
    n += tries;
    if (n < 50) goto again;
    return n * 100 + tries;
}
long long t_both(void) {
    int x = 0, k = 0;
    if (x == 0) goto mid;
    x = 100;
mid:
    x += 3;
    k++;
    if (k < 4) goto mid;
    return x;
}
long long t_state(void) {
    int s = 0, steps = 0;
    while (1) {
        steps++;
        if (steps > 20) goto out;
        switch (s) {
        case 0: s = 2; break;
        case 1: s = 3; continue;
        case 2: s = 1; break;
        default: goto out;
        }
    }
out:
    return s * 100 + steps;
}
long long t_skip_init(void) {
    int r = 5;
    if (r) goto tail;
    int y = 7;
    r += y;
tail:
    y = 2;
    return r + y;
}
"#,
    );
}

/// What LZ4 and stb_image needed (docs/transpiler.md, "Generality"): types declared inside
/// functions, a `default:` before the other cases, `assert` (`__PRETTY_FUNCTION__`,
/// `__assert_fail`), `__func__`, `c ? NULL : NULL`, a literal loop bound, a file's `static`
/// object written by a function.
#[test]
fn local_types_default_first_assert_and_func() {
    check(
        "lz4_stb_constructs",
        r#"
#include <assert.h>
#include <stddef.h>
#include <string.h>
#define STATIC_ASSERT(c) { enum { static_assert_ok = 1/(int)(!!(c)) }; }
static float gamma_ = 2.2f;
static void set_gamma(float g) { gamma_ = g; }
long long t_local_enum_and_union(void) {
    STATIC_ASSERT(sizeof(int) == 4);
    enum { A = 3, B, C = B * 10 };
    const union { unsigned u; unsigned char c[4]; } one = { 1 };
    typedef struct { char c; long long t; } pad_t;
    return one.c[0] * 1000 + C * 10 + (long long)(sizeof(pad_t) - sizeof(long long));
}
static int pick(int kind) {
    switch (kind) {
    default: return -1;
    case 1: return 10;
    case 2: return 20;
    }
}
long long t_default_first(void) { return pick(1) * 10000 + pick(2) * 100 + pick(7); }
long long t_assert_and_func(void) {
    int x = 3;
    assert(x == 3);
    const char *name = __func__;
    return (long long)strlen(__func__) * 100 + (name[0] == 't') + __func__[2] * 1000;
}
long long t_null_null_and_literal_bound(void) {
    int n = 0;
    size_t z = (size_t)(n ? NULL : NULL);
    long long s = 0;
    for (int i = 0; i < 1 << 9; i++) s += i & 7;
    set_gamma(1.5f);
    return s * 10 + (long long)z + (long long)(gamma_ * 2);
}
"#,
    );
}

/// Gotos into nested blocks, loop bodies and if branches (goto_into.rs): the jump skips what C
/// skips (a loop's condition, declarations with initializers, the statements before the label).
/// Locals of functions with gotos declared in the labelled block holding their uses (at their
/// declaration, or at their first assignment), or hoisted when a label past that block reads
/// them (`scan`'s `limit`): run against the C build, on paths through every label.
#[test]
fn goto_locals_declared_in_their_labelled_blocks() {
    check(
        "goto_lets",
        r#"
static int checksum(const unsigned char *s, int n) {
    int total;
    int code;
    if (n <= 0) {
        code = -1;
        goto done;
    }
    total = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] == 0)
            goto done_zero;
        total = total * 31 + s[i];
    }
    int folded = total ^ (total >> 16);
    code = folded & 0x7fff;
    goto done;
done_zero:
    code = 0;
done:
    return code;
}
static int scan(const char *s) {
    int n = 0;
    if (!s)
        goto out;
    int limit = 100;
    while (n < limit && s[n])
        n++;
    if (n == limit)
        goto out;
    limit = n;
out:
    return s ? limit : n;
}
/* A local declared and first assigned inside a loop of gotos, re-assigned on each pass. */
static int retry(int x) {
    int tries;
    tries = 0;
again:
    tries++;
    int half;
    half = x / 2;
    if (half > 3) {
        x = half + tries;
        goto again;
    }
    return x * 100 + tries;
}
long long t_checksum(void) {
    const unsigned char a[] = "hello, world", b[] = {1, 2, 0, 4};
    return (long long)checksum(a, 12) * 1000000 + checksum(b, 4) * 1000 + checksum(a, 0);
}
long long t_scan(void) {
    static char longer[150];
    for (int i = 0; i < 149; i++) longer[i] = 'x';
    return scan("abc def") * 1000000 + scan(longer) * 1000 + scan(0);
}
static int through_pointer(int c) {
    int *p = 0;
    if (c)
        goto out;
    int x = c + 5;
    p = &x;
out:
    return p ? *p : -1;
}
long long t_retry(void) { return retry(100) * 1000 + retry(5); }
long long t_through_pointer(void) { return through_pointer(0) * 100 + through_pointer(1); }
"#,
    );
}

#[test]
fn gotos_into_nested_blocks_and_loops() {
    check(
        "goto_into",
        r#"
/* C89-style locals beside a jump into a loop body: declared at their first assignment where
   the jump cannot skip it before a use. `carry` lives outside the loop here (golden/goto_into.c
   has it inside): the jump skips its assignment, and reading it unassigned would be undefined,
   which a comparison with the C build cannot test. */
static int resume(const int *v, int n, int skip) {
    int i, total, carry = 0;
    total = 0;
    i = 0;
    if (skip)
        goto inside;
    while (i < n) {
        int step, last;
        step = v[i] * 2;
        carry = step & 1;
        total += step;
    inside:
        last = v[i];
        total += last + carry;
        i++;
    }
    return total;
}
long long t_resume(void) {
    const int v[] = {3, 5, 8, 13};
    return resume(v, 4, 0) * 1000 + resume(v, 4, 1);
}
long long t_into_block(void) {
    int x = 5, y = 0;
    if (x) goto in;
    { x = 1;
      int z = 7;
      y += z;
    in: x++; }
    return x * 10 + y;
}
/* lz4's decoder: a fast loop hands over to the middle of a safe loop's body. */
long long t_loop_to_loop(void) {
    const unsigned char in[] = {3, 1, 2, 3, 200, 2, 9, 9, 0, 4, 4, 4, 4, 250};
    int ip = 0, n = 0, len = 0;
    long long sum = 0;
    while (ip < 14) {
        len = in[ip++];
        if (len > 100) goto tail;
        if (len > 2) goto copy;
        ip += len;
        sum = sum * 3 + len;
    }
    return -1;
    while (ip < 14) {
        len = in[ip++] % 5;
        int skipped = 1000;
        sum += skipped;
    copy:
        for (int i = 0; i < len && ip < 14; i++) sum = sum * 7 + in[ip++];
        n++;
    }
tail:
    return sum * 100 + n * 10 + ip;
}
long long t_into_if_branches(void) {
    long long r = 0;
    for (int k = 0; k < 4; k++) {
        int c = k & 1;
        if (k == 2) goto in_then;
        if (k == 3) goto in_else;
        if (c) {
            r = r * 5 + 1;
        in_then:
            r = r * 5 + 2;
        } else {
            r = r * 5 + 3;
        in_else:
            r = r * 5 + 4;
        }
    }
    return r;
}
long long t_into_do_while_backward(void) {
    int i = 0, hits = 0;
    do {
        i += 3;
    mid:
        hits++;
        i++;
    } while (i < 20);
    if (hits < 9) goto mid;
    return i * 100 + hits;
}
/* stb_image's HDR reader jumps into two nested counted loops, skipping both initializers. */
long long t_into_counted_loops(void) {
    int i = 7, j = 2;
    long long r = 0;
    if (i > 0) goto inside;
    for (j = 0; j < 4; j++) {
        for (i = 0; i < 9; i++) {
            r = r * 3 + 1;
        inside:
            r = r * 5 + i + j;
        }
    }
    return r;
}
long long t_sibling_blocks(void) {
    long long r = 1;
    for (int rep = 0; rep < 3; rep++) {
        {
            r = r * 2;
            if (rep == 1) goto there;
            r = r + 1;
        }
        {
            r = r * 3;
            {
                r = r + 5;
            there:
                r = r * 11 % 1000003;
            }
        }
    }
    return r;
}
"#,
    );
}

/// Control flow labelled blocks cannot express, translated as a state machine
/// (state_machine.rs): Duff's device, a bzip2-style coroutine whose reads are case labels inside
/// loops of a switch and which jumps to a label under a case, gotos into a switch and into a
/// `for` declaring its counter, and crossing (irreducible) gotos.
#[test]
fn state_machines_for_unstructured_control_flow() {
    check(
        "state_machine",
        r#"
#include <string.h>
static void duff(char *to, const char *from, int count) {
    int n = (count + 7) / 8;
    switch (count % 8) {
    case 0: do { *to++ = *from++;
    case 7:      *to++ = *from++;
    case 6:      *to++ = *from++;
    case 5:      *to++ = *from++;
    case 4:      *to++ = *from++;
    case 3:      *to++ = *from++;
    case 2:      *to++ = *from++;
    case 1:      *to++ = *from++;
            } while (--n > 0);
    }
}
long long t_duff(void) {
    char src[40], dst[40];
    long long r = 0;
    for (int len = 1; len < 20; len += 3) {
        for (int i = 0; i < 40; i++) { src[i] = (char)(i * 7 + len); dst[i] = 0; }
        duff(dst, src, len);
        for (int i = 0; i < 40; i++) r = r * 31 % 1000000007 + dst[i];
    }
    return r;
}

/* A resumable bit reader in bzip2's style: each read is a case label inside a loop, so a call
   that runs out of input returns and the next call resumes in the middle of the loop. */
#define NEED 7
#define MORE 3
enum { S_START = 10, S_LEN = 11, S_BITS = 12, S_TAIL = 13, S_DONE = 14 };
struct dec { int state, live, len, i, sum; unsigned buf; const unsigned char *in; int avail; };
#define GET(lab, out, nb)                                       \
    case lab: d->state = lab;                                   \
    while (1) {                                                 \
        if (d->live >= nb) {                                    \
            out = (d->buf >> (d->live - nb)) & ((1u << nb) - 1);\
            d->live -= nb; break;                               \
        }                                                       \
        if (d->avail == 0) { ret = MORE; goto save; }           \
        d->buf = (d->buf << 8) | *d->in++; d->avail--; d->live += 8; \
    }
static int step(struct dec *d) {
    int ret = 0;
    unsigned v;
    switch (d->state) {
    case S_START:
        d->sum = 0;
        GET(S_LEN, v, 4);
        if (v == 15) goto tail;
        d->len = (int)v;
        for (d->i = 0; d->i < d->len; d->i++) {
            GET(S_BITS, v, 5);
            d->sum = d->sum * 3 + (int)v;
        }
    tail:
        GET(S_TAIL, v, 3);
        d->sum += (int)v * 1000;
        d->state = S_DONE;
        ret = NEED;
        goto save;
    case S_DONE:
        ret = -1;
        break;
    default:
        ret = -2;
    }
save:
    return ret;
}
long long t_coroutine(void) {
    const unsigned char data[] = {0x5a, 0x13, 0xc4, 0x7e, 0x91, 0x08, 0xff, 0x33};
    long long r = 0;
    for (int chunk = 1; chunk <= 3; chunk++) {
        struct dec d;
        memset(&d, 0, sizeof d);
        d.state = S_START;
        int used = 0, calls = 0, ret;
        do {
            int n = (int)sizeof data - used < chunk ? (int)sizeof data - used : chunk;
            d.in = data + used; d.avail = n; used += n;
            ret = step(&d);
            calls++;
        } while (ret == MORE && used < (int)sizeof data);
        r = r * 1000003 + d.sum * 100 + calls * 10 + ret;
        r = r * 7 + step(&d);
    }
    struct dec e;
    memset(&e, 0, sizeof e);
    e.state = 99;
    return r * 10 + step(&e);
}

static int into_switch(int x) {
    int r = 0;
    if (x > 5) goto in;
    switch (x) {
    case 1: r += 10;
    case 2: { r += 20;
    in:   r += x; }
            break;
    default: r -= 1;
    }
    return r;
}
long long t_goto_into_switch(void) {
    long long r = 0;
    for (int x = 0; x < 9; x++) r = r * 100 + into_switch(x) + 50;
    return r;
}

static int into_for(int x) {
    if (x) goto in;
    for (int i = 0; i < 4; i++) {
        if (i == 2) continue;
        x += i * 10;
        if (0) {
    in:     i = 1;
        }
        x *= 2;
        if (x > 1000) break;
    }
    return x;
}
long long t_goto_into_for(void) { return into_for(0) * 100000 + into_for(3); }

/* A loop with two entries: `a` is reached by falling in and by jumping over it to `b`. */
static int crossing(int x) {
    if (x & 1) goto b;
a:  x += 3;
    x *= 2;
b:  x--;
    if (x < 100) goto a;
    return x;
}
long long t_irreducible(void) { return crossing(1) * 10000 + crossing(2); }
"#,
    );
}

#[test]
fn variadic_definition_is_refused_with_location() {
    check_refused(
        "variadic",
        "#include <stdarg.h>\nint sum(int n, ...) {\n    return n;\n}\n",
        "variadic function definition",
        2,
    );
}

/// A struct holding an atomic has no `Copy` Rust type: copying one (assignment, initializer,
/// argument, `return`) is refused by name instead of making a crate that does not build.
#[test]
fn copying_a_struct_that_holds_an_atomic_is_refused_with_location() {
    let head = "#include <stdatomic.h>\nstruct counter { atomic_int n; int id; };\n";
    for (name, body, line) in [
        (
            "atomic_copy_assign",
            "void f(struct counter *a, struct counter *b) {\n    *a = *b;\n}\n",
            4,
        ),
        (
            "atomic_copy_init",
            "int f(struct counter *b) {\n    struct counter c = *b;\n    return c.id;\n}\n",
            4,
        ),
        (
            "atomic_copy_arg",
            "int g(struct counter c) { return c.id; }\nint f(struct counter *b) {\n    return g(*b);\n}\n",
            5,
        ),
    ] {
        check_refused(
            name,
            &format!("{head}{body}"),
            "copy of a struct holding an atomic",
            line,
        );
    }
}

/// `realloc` leaves the grown bytes uninitialized, which a bit-field setter would read.
#[test]
fn realloc_of_a_record_with_bitfields_is_refused_with_location() {
    check_refused(
        "bitfield_realloc",
        "#include <stdlib.h>\nstruct S { unsigned a : 3, b : 4; };\nstruct S *grow(struct S *p, int n) {\n    return realloc(p, n * sizeof *p);\n}\n",
        "realloc of a record with bit-fields",
        4,
    );
}

/// A member's own `packed` attribute moves the bit-fields after it: not computed, refused.
#[test]
fn a_packed_member_beside_bitfields_is_refused_with_location() {
    check_refused(
        "bitfield_packed_member",
        "struct P {\n    char c;\n    int a : 3;\n    int x __attribute__((packed));\n};\nint f(struct P *p) { return p->a; }\n",
        "packed member beside bit-fields",
        4,
    );
}

/// Bit-fields in packed records (each at the next free bit, crossing the units of its type;
/// `T : 0` still moving to a unit boundary; alignment 1), unnamed bit-fields in unions (their
/// bytes count, their type's alignment does not), and a packed record inside another: sizes,
/// alignments, offsets and the bytes of the objects (hashed) against gcc's.
#[test]
fn packed_bitfields_and_unnamed_bitfields_in_unions() {
    check(
        "bitfield_packed_union",
        r#"
#include <stddef.h>
#include <string.h>
struct __attribute__((packed)) p1 { char c; int a : 3; };
struct __attribute__((packed)) p2 { char c; int a : 30; short b : 9; long long d : 40; char e; };
struct __attribute__((packed)) p4 { char c; int a : 3; int : 0; char e; _Bool f : 1; };
struct __attribute__((packed)) p5 { int a : 31; unsigned b : 7; int x; };
union __attribute__((packed)) pu { int a : 31; char c; };
struct outer { char c; struct p2 p; short s; };
union u1 { char c; int : 20; };
union u2 { char c; int : 0; };
union u3 { int a : 3; int : 5; char c; };
union u4 { char c; long long : 40; unsigned char k : 2; };
struct __attribute__((packed)) pk { char a; int b; };
struct hb { unsigned f : 3; struct pk k; unsigned g : 5; };
long long t_packed_member(void) {
    struct hb h;
    memset(&h, 0, sizeof h);
    h.f = 5;
    h.k.b = -77;
    h.g = 19;
    return (long long)sizeof(struct hb) * 1000000 + _Alignof(struct hb) * 100000
        + offsetof(struct hb, k) * 10000 + h.f * 1000 + h.k.b + h.g;
}
static unsigned long long hash(const void *p, unsigned long n) {
    const unsigned char *b = p;
    unsigned long long h = 1469598103934665603ull;
    for (unsigned long i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h % 1000000007;
}
long long t_packed_layout(void) {
    return (long long)sizeof(struct p1) * 10000000000 + sizeof(struct p2) * 100000000
        + sizeof(struct p4) * 1000000 + sizeof(struct p5) * 10000 + sizeof(union pu) * 1000
        + sizeof(struct outer) * 10 + _Alignof(struct p2) + _Alignof(union pu)
        + offsetof(struct p4, e) * 100 + offsetof(struct p5, x) * 1000
        + offsetof(struct outer, s) * 100000;
}
long long t_union_layout(void) {
    return (long long)sizeof(union u1) * 10000000 + _Alignof(union u1) * 1000000
        + sizeof(union u2) * 100000 + sizeof(union u3) * 10000 + _Alignof(union u3) * 1000
        + sizeof(union u4) * 10 + _Alignof(union u4);
}
long long t_packed_values(void) {
    struct p2 q;
    memset(&q, 0, sizeof q);
    q.c = 7;
    q.a = -1;
    q.b = 0x55;
    q.d = -123456789;
    q.e = 'z';
    q.a -= 5;
    q.b++;
    struct p4 r;
    memset(&r, 0, sizeof r);
    r.a = 3;
    r.e = 1;
    r.f = 1;
    struct p5 t = { -77, 100, 123456 };
    t.b += 30;
    struct outer o;
    memset(&o, 0, sizeof o);
    o.p = q;
    o.p.d += 1000;
    o.s = -2;
    union pu u;
    memset(&u, 0, sizeof u);
    u.a = -1000000;
    return hash(&q, sizeof q) * 1000000 + hash(&r, sizeof r) * 1000 + hash(&t, sizeof t)
        + hash(&o, sizeof o) + hash(&u, sizeof u) + q.a + q.b + q.d % 1000 + t.a + t.b + t.x
        + o.p.d % 100 + u.a;
}
long long t_union_values(void) {
    union u3 x;
    memset(&x, 0, sizeof x);
    x.a = -3;
    x.c |= 0x40;
    union u4 y;
    memset(&y, 0, sizeof y);
    y.c = 5;
    y.k = 2;
    return hash(&x, sizeof x) * 1000 + hash(&y, sizeof y) + x.a * 10 + y.k;
}
"#,
    );
}

/// Bit-fields beside C library types held by value whose glibc layout the transpiler lists
/// (a mutex, a condition variable, a `timespec`): layout against gcc's, and the mutex used.
#[test]
fn bitfields_beside_c_library_types() {
    check(
        "bitfield_libc",
        r#"
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
struct job { unsigned ready : 1; pthread_mutex_t lock; unsigned prio : 3; int state : 5;
             struct timespec due; pthread_cond_t cv; short tail : 9; };
long long t_layout(void) {
    return (long long)sizeof(struct job) * 1000000000 + _Alignof(struct job) * 100000000
        + offsetof(struct job, lock) * 1000000 + offsetof(struct job, due) * 1000
        + offsetof(struct job, cv);
}
long long t_use(void) {
    struct job j;
    memset(&j, 0, sizeof j);
    pthread_mutex_init(&j.lock, NULL);
    pthread_mutex_lock(&j.lock);
    j.ready = 1;
    j.prio = 6;
    j.state = -9;
    j.due.tv_sec = 42;
    j.tail = -200;
    pthread_mutex_unlock(&j.lock);
    pthread_mutex_destroy(&j.lock);
    return j.ready * 100000 + j.prio * 10000 + j.state * 100 + j.due.tv_sec + j.tail;
}
"#,
    );
}

/// Bit-fields beside the other C library types the transpiler knows the layout of (`<time.h>`,
/// `<sys/stat.h>`, `<signal.h>`, sockets, `<poll.h>`, `<termios.h>`, ...): the sizes and offsets
/// gcc gives, and values through them. Public typedefs of glibc's internal structs are the libc
/// crate's names (`sigset_t`, not `__sigset_t`; `DIR`, not `__dirstream`).
#[test]
fn bitfields_beside_more_c_library_types() {
    check(
        "bitfield_libc_more",
        r#"
#define _GNU_SOURCE
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <time.h>
#include <wchar.h>
struct rec {
    unsigned a : 3; struct tm tm; unsigned b : 5; struct stat st; int c : 7; sigset_t set;
    unsigned char d : 1; struct sigaction sa; unsigned e : 2; struct sockaddr sock; unsigned f : 3;
    struct sockaddr_in sin; unsigned g : 1; struct sockaddr_in6 sin6; unsigned h : 4;
    struct sockaddr_un sun; unsigned i : 5; struct sockaddr_storage ss; unsigned j : 1;
    struct in_addr ia; unsigned k : 2; struct in6_addr i6; unsigned l : 3; fd_set fds;
    unsigned m : 1; struct pollfd pfd; unsigned n : 6; struct rlimit rl; unsigned o : 1;
    struct rusage ru; unsigned p : 2; struct iovec iov; unsigned q : 3; struct termios tio;
    unsigned r : 1; struct winsize ws; unsigned s : 2; struct dirent de; unsigned t : 3;
    struct itimerspec its; unsigned u : 1; struct itimerval itv; unsigned v : 2; mbstate_t mb;
    unsigned z : 5;
};
long long t_layout(void) {
    return (long long)sizeof(struct rec) * 1000000000000 + _Alignof(struct rec) * 10000000000
        + offsetof(struct rec, st) * 10000000 + offsetof(struct rec, ws) * 1000
        + offsetof(struct rec, mb) % 1000;
}
long long t_use(void) {
    struct rec r;
    memset(&r, 0, sizeof r);
    r.a = 5;
    r.z = 17;
    r.c = -3;
    r.tm.tm_year = 126;
    r.ws.ws_col = 80;
    sigemptyset(&r.set);
    sigaddset(&r.set, SIGUSR1);
    r.v = 3;
    DIR *d = opendir("/");
    long long opened = d != NULL;
    if (d)
        closedir(d);
    return r.a * 1000000 + r.z * 10000 + r.c * 100 + r.tm.tm_year + r.ws.ws_col * 3
        + sigismember(&r.set, SIGUSR1) * 7 + r.v + opened * 11;
}
"#,
    );
}

/// C's `long` and `unsigned long` against the C library's: members of its structs declared
/// `long` or as a typedef of it (`tv_sec`, `tv_nsec`, `tm_gmtoff`), results (`sysconf`, `strtol`,
/// `strtoul`, `labs`) and `time_t`, mixed in plain arithmetic with translated `long`s, `int`s,
/// `size_t`s, `ptrdiff_t`s and `uint64_t`s (the libc crate types them `i64`/`u64`, which a
/// translated `long` typed `isize` did not compile with).
#[test]
fn longs_mix_with_c_library_longs() {
    check(
        "c_library_longs",
        r#"
#define _DEFAULT_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
static long later(const struct timespec *ts, long delay) { return ts->tv_sec + delay; }
long long t_timespec(void) {
    struct timespec ts;
    memset(&ts, 0, sizeof ts);
    long base = 1700000000L;
    ts.tv_sec = base + 3;
    ts.tv_nsec = 999999999L - base % 1000;
    ts.tv_sec += ts.tv_nsec / 1000000;
    long total = ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - later(&ts, -7);
    unsigned long u = ts.tv_sec;
    return total + (long)(u % 97) + (ts.tv_sec > base) + (base < ts.tv_nsec);
}
long long t_tm_and_time_t(void) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_gmtoff = 3600;
    time_t t = 86400;
    long l = t + tm.tm_gmtoff * 2;
    t = l - 1;
    return t + tm.tm_gmtoff;
}
long long t_results(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    long v = strtol("-1234567", NULL, 10) + labs(-40L) * n / n;
    unsigned long w = strtoul("4000000000", NULL, 10) * 3 + (unsigned long)v;
    return v + (long long)(w % 1000003) + (n > 0);
}
long long t_sizes(void) {
    unsigned char buf[64];
    for (int i = 0; i < 64; i++) buf[i] = (unsigned char)(i * 7);
    ptrdiff_t stride = 8;
    int y = 3;
    long off = stride * y + 2;
    size_t w = 5, h = 4;
    int pad = -3;
    size_t n = w * h + pad;
    uint64_t big = 0xfffffffffffULL;
    unsigned long ul = big + n;
    ssize_t s = (ssize_t)n - off;
    long mixed = s + off * (long)n;
    if (pad < n) n += (size_t)off;
    size_t q = y * 4UL;
    ptrdiff_t back = -(long)y * 4;
    return buf[off] + buf[stride * y] + (long long)n * 1000 + (long long)(ul % 100000) + s + mixed
        + (long long)q * 7 + back;
}
"#,
    );
}

/// C library functions whose prototypes really say `unsigned long` (`getauxval`, `ioctl`'s
/// request), called with `unsigned long` variables: their parameters are the libc crate's
/// `c_ulong` (`u64`), not `size_t`, which only the builtins' canonical prototypes mean by it
/// (`memset`, `strlen`, `strtoul`'s `unsigned long` result stays `u64`); and `time_t` values
/// mixed with `long`s without a cast that does nothing.
#[test]
fn c_library_unsigned_long_parameters_and_time_t() {
    check(
        "c_library_ulong",
        r#"
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
long long t_getauxval(void) {
    unsigned long type = AT_PAGESZ;
    unsigned long page = getauxval(type);
    return (page == (unsigned long)sysconf(_SC_PAGESIZE)) + (getauxval(AT_NULL + 0UL) == 0) * 10;
}
long long t_ioctl(void) {
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    if (write(fds[1], "12345", 5) != 5)
        return -2;
    unsigned long request = FIONREAD;
    int pending = 0;
    int r = ioctl(fds[0], request, &pending);
    close(fds[0]);
    close(fds[1]);
    return r * 100 + pending;
}
long long t_builtins(void) {
    char buf[32];
    unsigned long n = sizeof buf;
    memset(buf, 'x', n);
    buf[n - 1] = 0;
    unsigned long len = strlen(buf);
    unsigned long big = strtoul("4000000000", NULL, 10);
    return (long long)(len * 1000 + big % 1000);
}
long long t_time_t(void) {
    time_t t = 1700000000;
    long later = t + 60;
    time_t back = later - t;
    return later - back + (t < later);
}
"#,
    );
}

/// C library functions the libc crate does not declare (`random`, `strsep`, most of <math.h>,
/// the GNU `asprintf`, which is variadic): the generated crate declares each from the C
/// prototype clang read, so it builds, and the calls behave as in the C build. The arguments
/// come from `random()` so that gcc cannot fold the maths at compile time.
#[test]
fn c_library_functions_the_libc_crate_lacks() {
    let src = r#"
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
long long t_random(void) {
    srandom(12345);
    long long sum = 0;
    for (int i = 0; i < 10; i++) sum = sum * 3 + random() % 1000;
    unsigned seed = 7;
    return sum + rand_r(&seed) % 1000;
}
long long t_maths(void) {
    srandom(99);
    double x = (double)(random() % 1000) / 7.0, whole;
    double r = fmod(x, 3.0) + modf(x, &whole) + whole + expm1(x / 1000.0) + erf(x / 500.0)
        + nextafter(x, 0.0) + ldexp(x, 3);
    return (long long)(r * 1e6) + lround(x * 10.0) + llabs(-(long long)x);
}
long long t_strings(void) {
    char text[] = "alpha,beta,,gamma";
    char *rest = text, *tok;
    long long h = 0;
    while ((tok = strsep(&rest, ",")) != NULL) h = h * 31 + (long long)strlen(tok) + ffs((int)strlen(tok) + 8);
    return h * 10 + (strverscmp("file9", "file10") < 0);
}
long long t_asprintf(void) {
    char *s = NULL;
    int n = asprintf(&s, "%d-%s-%.2f", 42, "x", 1.5);
    long long h = n;
    for (char *p = s; *p; p++) h = h * 131 + *p;
    free(s);
    return h;
}
"#;
    check("libc_crate_lacks", src);
    if let Some(lib) = transpile_snippet("libc_crate_lacks_text", src) {
        // Declared by the crate, not looked for in the libc crate, which would not compile.
        for f in ["random", "srandom", "strsep", "fmod", "asprintf"] {
            assert!(!lib.contains(&format!("libc::{f}(")), "{f}:\n{lib}");
            assert!(lib.contains(&format!("pub fn {f}(")), "{f}:\n{lib}");
        }
        assert!(lib.contains("libc::strlen("), "{lib}");
        // Parameters named as glibc's prototypes name them.
        for decl in [
            "pub fn strsep(__stringp: *mut *mut i8, __delim: *const i8) -> *mut i8;",
            "pub fn fmod(__x: f64, __y: f64) -> f64;",
            "pub fn asprintf(__ptr: *mut *mut i8, __fmt: *const i8, ...) -> i32;",
        ] {
            assert!(lib.contains(decl), "{decl}:\n{lib}");
        }
    }
}

/// The prototypes of a C library's header that name parameters in ways of their own name those
/// of the crate root's declarations: a Rust keyword as a raw identifier, C's `_` as `__` (Rust's
/// `_` names nothing), an unnamed parameter `argN`. The header is read from outside the
/// translation root, as a system header is (glibc names every parameter these use).
#[test]
fn c_library_prototypes_name_their_parameters() {
    let sys = scratch("libc_prototype_names_sys");
    std::fs::write(
        sys.join("lib.h"),
        "double expm1(double match);\nint strverscmp(const char *type, const char *);\nint ffs(int _);\n",
    )
    .unwrap();
    let src = format!(
        r#"#include "{}"
long long t_named(void) {{
    return (long long)(expm1(0.5) * 1e6) * 1000 + (strverscmp("a9", "a10") < 0) * 100 + ffs(40);
}}
"#,
        sys.join("lib.h").display()
    );
    check("libc_prototype_names", &src);
    if let Some(lib) = transpile_snippet("libc_prototype_names_text", &src) {
        for decl in [
            "pub fn expm1(r#match: f64) -> f64;",
            "pub fn strverscmp(r#type: *const i8, arg1: *const i8) -> i32;",
            "pub fn ffs(__: i32) -> i32;",
        ] {
            assert!(lib.contains(decl), "{decl}:\n{lib}");
        }
    }
}

/// A function called without a declaration in scope (clang declares it implicitly, as C89
/// did; `-std=c11` hides `random` in `<stdlib.h>`): refused, naming the function and the fix.
#[test]
fn an_implicitly_declared_function_is_refused_with_location() {
    check_refused(
        "implicit_declaration",
        "#include <stdlib.h>\nint f(void) {\n    return (int)random();\n}\n",
        "implicit function declaration",
        3,
    );
    // Declared without a prototype (K&R) but defined nowhere: a declaration, not an implicit one.
    if clang_missing() {
        return;
    }
    let dir = scratch("declared_without_prototype");
    std::fs::write(
        dir.join("snippet.c"),
        "int ext();\nint f(void) { return ext(); }\n",
    )
    .unwrap();
    let e = transpile::transpile(&options(&dir, "snippet.c")).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("snippet.c:2:") && msg.contains("defined in no translated file"),
        "{msg}"
    );
}

/// A C library type whose layout the transpiler does not list, beside bit-fields: refused.
#[test]
fn bitfields_beside_an_unknown_c_library_type_are_refused_with_location() {
    check_refused(
        "bitfield_libc_unknown",
        "#include <stdlib.h>\nstruct when {\n    unsigned set : 1;\n    div_t qr;\n};\nint f(struct when *w) { return w->set; }\n",
        "bit-field",
        2,
    );
}

/// Bit-fields: the layout (sizes, alignments, and the bytes of the objects, hashed, so every bit
/// must sit where gcc puts it), reads with sign extension, stores cut to the width, compound
/// assignments, increments as values, an assignment's value, accesses through pointers, a
/// static initializer and a struct holding a struct with bit-fields.
#[test]
fn bitfields() {
    check(
        "bitfields",
        r#"
#include <stdlib.h>
#include <string.h>
enum color { RED, GREEN, BLUE = 6 };
struct flags { unsigned a : 3; int b : 5; unsigned : 0; char c; long long d : 40; _Bool e : 1;
               int : 4; short g : 9; };
struct cross { char c; int x : 30; unsigned y : 2; };
struct tiny { unsigned char u : 1; enum color k : 3; };
struct holder { char h; struct tiny t[2]; struct flags f; int tail : 7; };
union either { long long wide : 33; unsigned char narrow : 4; char bytes[5]; };
static const struct flags kf = { 5, -3, 'x', -123456789012LL, 1, -200 };
static unsigned long long hash(const void *p, unsigned long n) {
    const unsigned char *b = p;
    unsigned long long h = 1469598103934665603ull;
    for (unsigned long i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h % 1000000007;
}
long long t_layout(void) {
    return (long long)sizeof(struct flags) * 100000000 + _Alignof(struct flags) * 10000000
        + sizeof(struct cross) * 100000 + _Alignof(struct cross) * 10000
        + sizeof(struct tiny) * 1000 + sizeof(struct holder) * 10 + _Alignof(struct holder);
}
long long t_static(void) {
    return hash(&kf, sizeof kf) * 1000 + kf.a * 100 + kf.b * 10 + kf.e + kf.g + kf.d % 1000;
}
long long t_stores(void) {
    struct flags s;
    memset(&s, 0, sizeof s);
    s.a = 9;
    s.b = -7;
    s.c = 3;
    s.d = 1LL << 39;
    s.e = 5;
    s.g = 255;
    s.b += 20;
    s.a++;
    int x = s.g++;
    int y = ++s.a;
    int z = (s.b = 100);
    s.d -= 3;
    s.g ^= 0x155;
    return hash(&s, sizeof s) * 1000000 + s.a * 100000 + (s.b + 20) * 1000 + x * 10 + y + z
        + s.d % 7 + s.g;
}
long long t_pointers(void) {
    struct holder h;
    memset(&h, 0, sizeof h);
    struct holder *p = &h;
    struct tiny *t = &p->t[1];
    t->u = 3;
    t->k = BLUE;
    p->t[0].k = GREEN;
    p->f.d = -1;
    p->tail = -64;
    p->tail--;
    struct cross c = { 'q', -5, 3 };
    c.x *= 1000;
    return hash(&h, sizeof h) * 1000 + hash(&c, sizeof c) % 1000 + t->u + t->k + p->tail
        + c.x % 100 + c.y;
}
struct ids { unsigned char tag : 8; unsigned seq : 12; unsigned flag : 4; long long big : 64; };
long long t_heap(void) {
    struct flags *p = malloc(2 * sizeof *p);
    p[1].b = -9;
    p[1].g = 77;
    p[0].a = 6;
    p[0].e = 1;
    struct ids *q = malloc(sizeof *q);
    q->seq = 0xabc;
    q->tag = 200;
    q->flag = 9;
    q->seq++;
    q->big = -3;
    long long r = p[1].b * 1000 + p[1].g + p[0].a * 100000 + p[0].e + q->seq + q->tag * 10000
        + q->flag * 7 + q->big;
    free(p);
    free(q);
    return r;
}
long long t_union(void) {
    union either e;
    memset(&e, 0, sizeof e);
    e.wide = -5;
    long long w = e.wide;
    e.narrow += 9;
    union either g = { -2 };
    return (long long)sizeof(union either) * 100000000000 + hash(&e, sizeof e) * 100
        + e.bytes[4] * 10 + e.narrow + (w + g.wide) * 1000000000000;
}
"#,
    );
}

/// Flexible array members: the record's layout (size, the member's offset), elements written and
/// read through a mutable and a const pointer to the record, past the record's own size.
#[test]
fn flexible_array_members() {
    check(
        "flexible_array",
        r#"
#include <stddef.h>
#include <stdlib.h>
struct buf { int n; short tag; int data[]; };
struct wide { char c; double d[]; };
static long long sum(const struct buf *b) {
    long long s = 0;
    for (int i = 0; i < b->n; i++)
        s = s * 31 + b->data[i];
    return s;
}
long long t_layout(void) {
    return (long long)sizeof(struct buf) * 1000000 + offsetof(struct buf, data) * 10000
        + sizeof(struct wide) * 100 + offsetof(struct wide, d);
}
long long t_elements(void) {
    struct buf *b = malloc(sizeof(struct buf) + 7 * sizeof(int));
    b->n = 7;
    b->tag = -3;
    for (int i = 0; i < b->n; i++)
        b->data[i] = i * i - b->tag;
    int *p = b->data;
    p[6] += 100;
    struct buf head = *b;
    long long r = sum(b) + head.n * 1000 + head.tag;
    free(b);
    return r;
}
long long t_doubles(void) {
    struct wide *w = malloc(sizeof(struct wide) + 3 * sizeof(double));
    w->c = 2;
    for (int i = 0; i < 3; i++)
        w->d[i] = 1.5 * i + w->c;
    long long r = (long long)(w->d[0] + w->d[1] * 10 + w->d[2] * 100);
    free(w);
    return r;
}
"#,
    );
}

#[test]
fn bit_count_builtins() {
    check(
        "bit_counts",
        r#"
#include <stdint.h>
long long t_clz_one(void) { unsigned x = 1; return __builtin_clz(x); }
long long t_clz_top(void) { return __builtin_clz(0x80000000u); }
long long t_clz_renormalize(void) { uint32_t r = 37; int s = __builtin_clz(r) - 24; return r << s; }
long long t_clzl(void) { unsigned long x = 1ul << 40; return __builtin_clzl(x); }
long long t_clzll(void) { unsigned long long x = 3; return __builtin_clzll(x); }
long long t_ctz(void) { unsigned x = 96; return __builtin_ctz(x); }
long long t_ctzll(void) { return __builtin_ctzll(1ull << 63); }
long long t_popcount_zero(void) { unsigned x = 0; return __builtin_popcount(x); }
long long t_popcountll(void) { return __builtin_popcountll(0xf0f0ull); }
"#,
    );
}

/// clz/ctz may assume a non-zero operand (0 is undefined in C); popcount of 0 is defined, so it
/// must keep the plain form.
#[test]
fn only_clz_and_ctz_assume_a_nonzero_operand() {
    let lib = transpile_snippet(
        "nonzero",
        "int a(unsigned x) { return __builtin_clz(x); }\n\
         int b(unsigned long long x) { return __builtin_ctzll(x); }\n\
         int c(unsigned x) { return __builtin_popcount(x); }\n",
    );
    let Some(lib) = lib else { return };
    let body = |f: &str| -> String {
        let start = lib.find(&format!("fn {f}(")).unwrap();
        lib[start..].split("\n}").next().unwrap().to_string()
    };
    assert!(
        body("a").contains("NonZero::<u32>::new_unchecked(x).leading_zeros()"),
        "{lib}"
    );
    assert!(
        body("b").contains("NonZero::<u64>::new_unchecked(x).trailing_zeros()"),
        "{lib}"
    );
    assert!(!body("c").contains("NonZero"), "{lib}");
    assert!(body("c").contains("x.count_ones()"), "{lib}");
}

#[test]
fn counted_loops_with_continue() {
    check(
        "loops_continue",
        r#"
#include <limits.h>
static const int w[3] = { 2, 2, 1 };
long long t_continue_twice(void) {
    int s = 0, i;
    for (i = 0; i < 3; i++) {
        if (i == 0) continue;
        if (w[i] == 1) { s += 100; continue; }
        s += w[i] * (i + 1);
    }
    return s;
}
long long t_continue_near_int_max(void) {
    long long s = 0;
    for (int i = INT_MAX - 5; i < INT_MAX; i++) { if (i & 1) continue; s += i - (INT_MAX - 5); }
    return s;
}
long long t_continue_break_and_inner_loop(void) {
    int s = 0;
    for (int i = 0; i < 10; i++) {
        for (int j = 0; j < 4; j++) { if (j == i) continue; s += j; }
        if (i == 2) continue;
        if (i == 7) break;
        s += 1000;
    }
    return s;
}
long long t_continue_in_switch(void) {
    int s = 0;
    for (int i = 0; i < 6; i++) {
        switch (i) { case 1: continue; case 3: s += 50; break; default: s += i; }
        s *= 2;
    }
    return s;
}
long long t_continue_step_two(void) { int s = 0; for (int i = 0; i < 9; i += 2) { if (i == 4) continue; s += i; } return s; }
long long t_continue_down(void) { int s = 0; for (int i = 9; i > 3; i--) { if (i == 5) continue; s = s * 10 + i; } return s; }
long long t_continue_inclusive(void) { int s = 0; for (int i = 0; i <= 4; i++) { if (i == 1) continue; s += i; } return s; }
long long t_continue_var_read_after(void) { int i, s = 0; for (i = 0; i < 8; i++) { if (i & 1) continue; s += i; } return s * 100 + i; }
"#,
    );
}

/// A counted `for` with `continue` becomes a `while` whose counter keeps its proved interval
/// (plain `+= 1`, plain indexing arithmetic); the shapes the proof does not cover keep the
/// general `while` with wrapping arithmetic.
#[test]
fn counted_loops_with_continue_keep_their_interval() {
    let lib = transpile_snippet(
        "continue_shape",
        "int a(const int *p) { int s = 0; for (int i = 0; i < 3; i++) { if (p[i] < 0) continue; s ^= p[i + 1]; } return s; }\n\
         int b(const int *p) { int s = 0; for (int i = 0; i < 9; i += 2) { if (p[i] < 0) continue; s ^= p[i]; } return s; }\n\
         int c(const int *p) { int s = 0, i; for (i = 0; i < 3; i++) { if (p[i] < 0) continue; s ^= p[i]; } return s + i; }\n\
         int d(const int *p, int n) { int s = 0; for (int i = 0; i < n; i++) { if (p[i] < 0) continue; s ^= p[i]; } return s; }\n",
    );
    let Some(lib) = lib else { return };
    let body = |f: &str| -> String {
        let start = lib.find(&format!("fn {f}(")).unwrap();
        lib[start..].split("\n}\n").next().unwrap().to_string()
    };
    let a = body("a");
    assert!(a.contains("while i < 3") && a.contains("i += 1;"), "{a}");
    assert!(a.contains("p.add((i + 1) as usize)"), "{a}");
    assert!(
        !a.contains("for i in") && !a.contains("wrapping_add(1)"),
        "{a}"
    );
    // Step 2 could step past the bound's type; the value after the loop is read: general form.
    for f in ["b", "c"] {
        let t = body(f);
        assert!(t.contains("i = i.wrapping_add("), "{t}");
        assert!(!t.contains("i += "), "{t}");
    }
    // A bound read from a parameter that the body cannot change: proved like a constant one.
    let d = body("d");
    assert!(d.contains("while i < n") && d.contains("i += 1;"), "{d}");
}

#[test]
fn output_is_deterministic() {
    if clang_missing() {
        return;
    }
    let dir = scratch("deterministic");
    let src = "static const int t[4] = {1,2,3,4};\nint f(int i) { int s = 0; for (int k = 0; k < 4; k++) s += t[k] * i; return s; }\n";
    std::fs::write(dir.join("snippet.c"), src).unwrap();
    let a = transpile::transpile(&options(&dir, "snippet.c")).unwrap();
    let b = transpile::transpile(&options(&dir, "snippet.c")).unwrap();
    assert_eq!(a, b);
    let lib = &a["src/lib.rs"];
    assert!(
        lib.starts_with(
            "// Generated by `cargo run -p portlab -- transpile` from snippet.c; do not edit.\n"
        ),
        "{lib}"
    );
    assert!(!lib.contains("no_mangle"), "{lib}");
}

/// Two C files sharing a header: the header's struct, enum, macro and `static inline` function
/// are emitted once, in the header's module, and imported by both files' modules.
#[test]
fn header_items_are_emitted_once() {
    if clang_missing() {
        return;
    }
    let dir = scratch("multi");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("src/shared.h"),
        "#ifndef SHARED_H\n#define SHARED_H\n#define SCALE 3\ntypedef struct Acc { int total; } Acc;\n\
         enum { STEP = 2 };\nstatic inline void acc_add(Acc *a, int v) { a->total += v * SCALE + STEP; }\n\
         int helper(Acc *a);\n#endif\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/helper.c"),
        "#include \"shared.h\"\nint helper(Acc *a) { acc_add(a, 10); return a->total; }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/main.c"),
        "#include \"shared.h\"\nlong long t_multi(void) { Acc a = { 0 }; acc_add(&a, 1); return helper(&a) * SCALE; }\n",
    )
    .unwrap();
    let mut o = options(&dir, "src/main.c");
    o.files = vec!["src/helper.c".into(), "src/main.c".into()];
    o.layout.src_dir = "src".into();
    let files = transpile::transpile(&o).unwrap_or_else(|e| panic!("{e}"));
    let all: String = files.values().cloned().collect();
    for def in [
        "pub struct Acc",
        "fn acc_add(",
        "pub const STEP",
        "pub const SCALE",
    ] {
        assert_eq!(
            all.matches(def).count(),
            1,
            "`{def}` must be defined exactly once:\n{all}"
        );
    }
    assert!(files["src/shared_h.rs"].contains("pub struct Acc"));
    assert!(files["src/helper.rs"].contains("use crate::shared_h::"));
    // And the program runs like the C.
    let out = dir.join("out");
    transpile::write(&out, &files).unwrap();
    let lib = out.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap()
        + "\nfn main() { println!(\"{}\", unsafe { t_multi() }); }\n";
    std::fs::write(&lib, text).unwrap();
    run(Command::new("rustc").current_dir(&out).args([
        "--edition",
        "2024",
        "--crate-type",
        "bin",
        "-C",
        "overflow-checks=on",
        "-o",
        "rust.out",
        "src/lib.rs",
    ]));
    // acc_add(&a, 1): 0 + 1*3 + 2 = 5; helper: 5 + 10*3 + 2 = 37; * SCALE = 111.
    assert_eq!(run(&mut Command::new(out.join("rust.out"))).trim(), "111");
}

/// A C program with `main(argc, argv)`: the crate gets a Rust `fn main` that passes the
/// arguments and exits with the status, and C library objects the libc crate lacks (`stderr`,
/// `optarg`, `optind`, `opterr`, `optopt`) and `errno` work. Same stdout, stderr and status as C.
#[test]
fn main_with_arguments_stdio_and_libc_globals() {
    if clang_missing() {
        return;
    }
    let dir = scratch("main-argv");
    let src = r#"#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int c;
    opterr = 0;
    while ((c = getopt(argc, argv, "ab:")) != -1) {
        if (c == 'a') {
            printf("flag a\n");
        } else if (c == 'b') {
            printf("b = '%s'\n", optarg);
        } else {
            fprintf(stderr, "unknown -%c\n", optopt);
        }
    }
    for (int i = optind; i < argc; i++) {
        argv[i][0] = '#';
        printf("operand %d: %s\n", i, argv[i]);
    }
    errno = 0;
    strtol("99999999999999999999999", NULL, 10);
    printf("ERANGE: %d, argv[argc] is NULL: %d\n", errno == ERANGE, argv[argc] == NULL);
    fputs("done\n", stderr);
    return argc > 4 ? 7 : 0;
}
"#;
    std::fs::write(dir.join("prog.c"), src).unwrap();
    run(Command::new("cc")
        .current_dir(&dir)
        .args(["-std=c11", "-o", "c.out", "prog.c"]));
    let mut o = options(&dir, "prog.c");
    o.layout.root_file = None;
    let files = transpile::transpile(&o).unwrap_or_else(|e| panic!("transpile: {e}"));
    assert!(
        files["src/main.rs"].contains("extern \"C\" fn main(argc: i32, argv: *mut *mut i8) -> i32"),
        "{}",
        files["src/main.rs"]
    );
    let out = dir.join("out");
    transpile::write(&out, &files).unwrap();
    run(rustc_with_libc().current_dir(&out).args([
        "--edition",
        "2024",
        "-C",
        "overflow-checks=on",
        "-o",
        "rust.out",
        "src/main.rs",
    ]));
    for args in [
        vec![],
        vec!["-a", "-b", "two words", "-z", "x", "yy"],
        vec!["op1", "op2", "op3", "op4"],
    ] {
        let c = Command::new(dir.join("c.out"))
            .args(&args)
            .output()
            .unwrap();
        let r = Command::new(out.join("rust.out"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            (c.status.code(), &c.stdout, &c.stderr),
            (r.status.code(), &r.stdout, &r.stderr),
            "{args:?}: C {} / {}, Rust {} / {}",
            String::from_utf8_lossy(&c.stdout),
            String::from_utf8_lossy(&c.stderr),
            String::from_utf8_lossy(&r.stdout),
            String::from_utf8_lossy(&r.stderr)
        );
    }
}

#[test]
fn refuses_main_with_envp() {
    if clang_missing() {
        return;
    }
    let dir = scratch("main-envp");
    std::fs::write(
        dir.join("prog.c"),
        "int helper(void) { return 1; }\n\nint main(int argc, char **argv, char **envp) {\n    return argc + (argv == envp);\n}\n",
    )
    .unwrap();
    let mut o = options(&dir, "prog.c");
    o.layout.root_file = None;
    let e = transpile::transpile(&o)
        .expect_err("main with envp transpiled")
        .to_string();
    assert!(e.contains("prog.c:3:") && e.contains("`main`"), "{e}");
}

#[test]
fn builtin_memory_functions_and_math_h() {
    check(
        "builtins_math",
        r#"
#include <math.h>
#include <string.h>
long long t_memmove(void) {
    char b[8] = "abcdefg";
    __builtin_memmove(b + 1, b, 4);
    __builtin_memcpy(b + 5, b, 2);
    __builtin_memset(b, 'z', 1);
    return b[0] * 1000000LL + b[1] * 10000 + b[5] * 100 + b[6];
}
long long t_double(void) {
    double r = sqrt(2.0) + pow(2.0, 10) + fabs(-1.5) + floor(2.7) + ceil(-0.5) + atan2(1.0, 1.0);
    return (long long)(r * 1e6);
}
long long t_float(void) { return (long long)((sqrtf(9.0f) + fabsf(-2.0f) + fmaxf(1.0f, 4.5f)) * 100); }
long long t_round(void) { return (long long)(round(-2.5) * 10 + trunc(-2.7)); }
"#,
    );
}

#[test]
fn packed_structs_keep_their_c_layout() {
    check(
        "packed",
        r#"
struct __attribute__((packed)) p { char a; int b; };
struct __attribute__((aligned(16))) q { char a; };
long long t_sizes(void) { return sizeof(struct p) * 100 + sizeof(struct q); }
long long t_field(void) { struct p x; x.a = 1; x.b = 0x01020304; return x.b + x.a; }
"#,
    );
}

/// C11 anonymous members become named fields of generated records (`anon_<k>`); struct
/// definitions nested in structs become items of their own. Layout (sizes and offsets, as gcc
/// lays the C out), initializers through the hidden field and accesses at any depth agree.
#[test]
fn anonymous_members_and_nested_struct_definitions() {
    check(
        "anonymous_members",
        r#"
#include <stddef.h>
struct value {
    char kind;
    union { int i; float f; unsigned char bytes[4]; };
    struct { short lo, hi; };
    double after;
};
struct word {
    union {
        struct { unsigned char b0, b1, b2, b3; };
        unsigned int all;
    };
    int anon_0;
};
struct outer {
    struct inner { char c; long long v; } in;
    struct { int a; } named;
    int tail;
};
long long t_sizes(void) {
    return sizeof(struct value) * 10000 + sizeof(struct word) * 100 + sizeof(struct outer);
}
long long t_offsets(void) {
    struct value v;
    struct outer o;
    return ((char *)&v.i - (char *)&v) * 100000000 + ((char *)&v.lo - (char *)&v) * 1000000
        + ((char *)&v.hi - (char *)&v) * 10000 + ((char *)&v.after - (char *)&v) * 100
        + ((char *)&o.in.v - (char *)&o);
}
enum { OFF_HI = offsetof(struct value, hi), OFF_V = __builtin_offsetof(struct outer, in.v) };
long long t_offsetof(void) {
    return offsetof(struct value, i) * 100000000 + offsetof(struct value, lo) * 1000000
        + OFF_HI * 10000 + offsetof(struct value, after) * 100 + OFF_V
        + offsetof(struct word, b2) * 1000000000LL + offsetof(struct outer, named.a) * 10000000000LL;
}
#include <sys/types.h>
enum { M_READ = 4, M_WRITE } mode; /* `mode_t` is taken (sys/types.h): `mode_type` */
struct tagged { enum { T_INT = 3, T_FLOAT } tag; int v; };
struct { short a; long long b; } file_pair = { 7, 8 };
static struct { char c; int n; } slots[3];
long long t_untagged(void) {
    struct tagged t = { T_FLOAT, 6 };
    slots[2].n = 5;
    slots[1].c = 'x';
    mode = M_WRITE;
    return mode * 100000000000LL + t.tag * 1000 + t.v * 100 + file_pair.a * 10 + file_pair.b + slots[2].n + slots[1].c
        + sizeof(slots) * 100000 + sizeof(file_pair) * 10000000 + sizeof(struct tagged) * 1000000000LL;
}
union halves { struct { unsigned char a, b; }; unsigned short all; };
struct value table[2] = { { 1, { 5 }, { 2, 3 } }, { 2, .f = 1.5f, .hi = 9 } };
struct grid { int w; struct { short x, y; } pts[4]; struct value cells[2][3]; };
long long t_offsetof_subscripts(void) {
    int k = 2;
    return offsetof(struct grid, pts[3].y) * 1000000 + offsetof(struct grid, pts[k]) * 10000
        + offsetof(struct grid, cells[1][2].hi) * 10 + offsetof(struct grid, cells[0][1].after) % 10;
}
long long t_initializers(void) {
    struct value x = { 3, 4, 5, 6 };
    union halves u = { { 1, 2 } };
    union halves *pu = &u;
    pu->b += 1;
    return x.i + x.lo * 10 + x.hi * 100 + table[0].i * 1000 + table[1].hi * 10000
        + (long long)(table[1].f * 2) * 100000 + table[0].lo * 1000000 + u.all * 10000000LL;
}
long long t_union_through(void) {
    struct value v = { .kind = 2, .i = 0x41200000 };
    v.lo = -3;
    v.hi = 5;
    return (long long)(v.f * 10) + v.bytes[3] * 1000 + v.lo * v.hi + v.kind;
}
long long t_deep(void) {
    struct word w;
    w.all = 0;
    w.anon_0 = 9;
    w.b1 = 0x12;
    unsigned char *p = &w.b3;
    *p = 0x34;
    struct word *q = &w;
    return (long long)q->all + q->anon_0 + q->b0;
}
long long t_nested(void) {
    struct inner x = { 'a', 40 };
    struct outer o = { x, { 1 }, 2 };
    o.in.v += o.named.a;
    return o.in.v + o.in.c + o.tail;
}
"#,
    );
}

#[test]
fn offsetof_written_by_another_macro_is_refused_with_location() {
    check_refused(
        "offsetof_macro",
        "#include <stddef.h>\nstruct s { int a[4]; };\n#define OFF(m) offsetof(struct s, m)\nunsigned long f(void) {\n    return OFF(a);\n}\n",
        "offsetof",
        5,
    );
}

/// Monocypher's `typedef uint8_t u8;` and friends: no alias (`pub type u8 = u8;` would name
/// itself), the typedef's target is used.
#[test]
fn typedefs_named_like_rust_primitives() {
    check(
        "primitive_typedefs",
        r#"
#include <stdint.h>
typedef uint8_t u8;
typedef int64_t i64;
typedef uint32_t u32;
typedef int bool;
static u32 load32(const u8 *p) { return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24; }
long long t_primitive_typedefs(void) {
    u8 b[4] = {1, 2, 3, 250};
    i64 x = -(i64)load32(b);
    bool neg = x < 0;
    return x * 10 + neg;
}
"#,
    );
}

/// Post-increments in an assignment (`*p++ = *q++;`, `a[i++] = v;`): moved after the statement
/// for locals, kept in place for globals, under `?:` and `&&`, and next to calls.
#[test]
fn post_increments_in_assignments() {
    check(
        "post_increments",
        r#"
static int gi, garr[8];
static int next(void) { return 7; }
long long t_post_increments(void) {
    char src[8] = "abcdefg", dst[8] = {0};
    char *p = dst;
    const char *q = src;
    int i = 0, j = 1, sum = 0, k = 0;
    *p++ = *q++;
    *p++ = *q++;
    dst[i++ + 2] = src[j++ + 3];
    sum += src[k++];
    sum += k ? src[k++] : 0;
    garr[gi++] = 5;
    garr[gi++] = next();
    int x = 0;
    x = i--;
    return ((long long)sum * 1000 + (p - dst) * 100 + (q - src) * 10 + i + j + k) * 1000
        + dst[2] + garr[0] + garr[1] + gi + x;
}
"#,
    );
}

/// C89-style declarations at the top of a block, moved to their first assignment (`let`), next
/// to ones that must stay: read before, first set in a loop or a branch, address taken first.
#[test]
fn locals_declared_at_first_assignment() {
    check(
        "first_assignment",
        r#"
static int twice(int v) { return v * 2; }
static void set(int *p, int v) { *p = v; }
long long t_first_assignment(void) {
    int a, b, n;
    unsigned char c;
    const char *p;
    int acc, k, in_loop, in_if, addr, shadow;
    char text[4] = "xyz";
    a = twice(21);
    b = a;
    c = (unsigned char)(b * 7);
    c += 200;
    p = text;
    n = *p++;
    n = n + *p;
    acc = 0;
    for (k = 0; k < 4; k++) {
        int t;
        t = k * k;
        acc += t;
    }
    for (k = 0; k < 6; k++) {
        int sq, flag, once;
        if (k == 2)
            continue;
        sq = k * k;
        flag = sq > 4;
        once = sq < 9;
        if (flag)
            acc += sq;
        if (once)
            acc -= 1;
        if (flag)
            acc += 10;
    }
    for (k = 0; k < 3; k++)
        in_loop = k;
    if (acc > 1)
        in_if = 5;
    else
        in_if = 6;
    set(&addr, 9);
    addr = addr + 1;
    {
        int shadow;
        shadow = 4;
        acc += shadow;
    }
    shadow = 3;
    return (((((long long)a * 1000 + b) * 1000 + c) * 1000 + n) * 100 + acc) * 1000
        + in_loop * 100 + in_if * 10 + addr + shadow + (p - text);
}
"#,
    );
}

/// Casts of casts written as one cast, and compound assignments on narrow or same-sized types
/// computed in the left side's type (`lets` and `casts` golden files show the spelling), at the
/// values where a wrong shortcut would show: negative, wrapping, the top bit.
#[test]
fn shortened_cast_round_trips() {
    check(
        "cast_round_trips",
        r#"
#include <stdint.h>
#include <string.h>
static long long mix(long long acc, long long v) { return acc * 31 + v; }
long long t_cast_round_trips(void) {
    long long acc = 0;
    int8_t s8[] = { -128, -1, 0, 1, 127 };
    int ns[] = { -70000, -129, -1, 0, 255, 256, 70000 };
    for (int i = 0; i < 5; i++) {
        int8_t s = s8[i];
        acc = mix(acc, (int32_t)(uint32_t)s);
        acc = mix(acc, (int64_t)(uint32_t)s);
        acc = mix(acc, (long)(int)s);
        acc = mix(acc, (uint8_t)(int)s);
        acc = mix(acc, (int16_t)(uint64_t)s);
        for (int j = 0; j < 7; j++) {
            int n = ns[j];
            uint8_t c = (uint8_t)s;
            int8_t t = s;
            int16_t h = (int16_t)n;
            uint64_t v = (uint64_t)(int64_t)n, big = 0x8000000000000001ull;
            c += n; acc = mix(acc, c);
            c -= 200; acc = mix(acc, c);
            c *= n; acc = mix(acc, c);
            t *= n; acc = mix(acc, t);
            t ^= n; acc = mix(acc, t);
            h |= n; acc = mix(acc, h);
            h -= n * 3; acc = mix(acc, h);
            v -= big; acc = mix(acc, (long long)(v >> 3));
            v += (uint64_t)n; acc = mix(acc, (long long)(v >> 7));
            uint64_t sum = (v + big) * big; acc = mix(acc, (long long)(sum >> 9));
            acc = mix(acc, (int8_t)(int16_t)n);
            acc = mix(acc, (uint16_t)(int64_t)n);
        }
    }
    uint8_t u8s[] = { 0, 1, 0x7f, 0x80, 0x9d, 0xff };
    int8_t i8s[] = { -128, -100, -1, 0, 1, 127 };
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            uint8_t a = u8s[i], b = u8s[j];
            int8_t s = i8s[i], t = i8s[j];
            acc = mix(acc, (a < b) + 2 * (a >= b) + 4 * (a != 0x9d) + 8 * (a > 0x7f)
                + 16 * (s < t) + 32 * (s <= -100) + 64 * (s < a) + 128 * (t > b)
                + 256 * ((uint16_t)(a * 300) < 70000));
        }
    uint8_t row[8] = { 200, 1, 2, 3, 4, 5, 6, 7 };
    memset(row + 1, row[0], 4);
    return mix(acc, row[4]);
}
"#,
    );
}

#[test]
fn function_local_thread_local_is_refused_with_location() {
    check_refused(
        "thread_local",
        "int a;\nint f(void) {\n  static _Thread_local int t;\n  return t++;\n}\n",
        "_Thread_local",
        3,
    );
}

/// `volatile` objects: every read and write the C makes is one `read_volatile` /
/// `write_volatile` (a plain access could be merged or dropped by the optimizer), including
/// compound assignments, increments used as values, through pointers and struct members.
#[test]
fn volatile_accesses() {
    let src = r#"
volatile int ticks;
struct regs { volatile unsigned ctrl; int plain; };
static int spin(volatile int *p, int n) {
    int seen = 0;
    for (int i = 0; i < n; i++) {
        *p += 2;
        seen += *p;
    }
    return seen;
}
long long t_volatile(void) {
    volatile int local = 5;
    struct regs r = {0, 0};
    int before = ticks++;
    before += ++ticks * 10;
    ticks = ticks * 3 + local;
    local <<= 2;
    r.ctrl |= 0x81u;
    r.ctrl = r.ctrl + 1;
    int *plain = &r.plain;
    *plain = 4;
    int a = (local = 9) + local;
    return (long long)spin(&ticks, 4) * 100000 + before * 10000 + a * 1000 + r.ctrl + r.plain;
}
"#;
    check("volatile", src);
    let Some(lib) = transpile_snippet("volatile_text", src) else {
        return;
    };
    // Spacing aside (prettyplease breaks long calls).
    let flat: String = lib.split_whitespace().collect();
    for needle in [
        "core::ptr::write_volatile(&rawmutticks,",
        "core::ptr::read_volatile(p)",
        "core::ptr::write_volatile(p,",
        "core::ptr::read_volatile(&rawconstr.ctrl)",
    ] {
        assert!(flat.contains(needle), "`{needle}` not in:\n{lib}");
    }
}

/// File-scope `_Thread_local` objects (stb_image's failure reason): one copy per thread, read,
/// written, incremented and addressed like any object; a second thread sees its own zero.
#[test]
fn thread_local_objects() {
    check(
        "thread_local_objects",
        r#"
#include <pthread.h>
static _Thread_local int counter = 5;
_Thread_local const char *reason;
static void *worker(void *arg) {
    (void)arg;
    counter += 100;
    return (void *)(long)counter;
}
long long t_per_thread(void) {
    int *p = &counter;
    counter++;
    *p *= 2;
    reason = "set";
    pthread_t t;
    void *other;
    pthread_create(&t, 0, worker, 0);
    pthread_join(t, &other);
    return counter * 1000 + (long)other + (reason[0] == 's');
}
"#,
    );
}

#[test]
fn variable_length_arrays_are_refused_by_name() {
    check_refused(
        "vla",
        "int sum(int n) {\n  int a[n];\n  a[0] = n;\n  return a[0];\n}\n",
        "variable-length array",
        2,
    );
}

#[test]
fn functions_without_unsafe_operations_are_plain_fns() {
    let Some(lib) = transpile_snippet(
        "plain_fns",
        r#"
static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
int sum3(int a, int b, int c) { return clamp(a + b + c, 0, 255); }
int first(const int *p) { return p[0]; }
int via_first(const int *p) { return first(p) + 1; }
static int twice(int v) { return 2 * v; }
int (*pick(void))(int) { return twice; }
"#,
    ) else {
        return;
    };
    let has = |s: &str| lib.contains(s);
    assert!(has("fn clamp(v: i32, lo: i32, hi: i32) -> i32"), "{lib}");
    assert!(!has("unsafe extern \"C\" fn clamp"), "{lib}");
    assert!(has("pub fn sum3("), "{lib}");
    // A dereference, a caller of an unsafe function, and a function whose address is taken
    // stay `unsafe extern "C"`.
    assert!(has("pub unsafe extern \"C\" fn first("), "{lib}");
    assert!(has("pub unsafe extern \"C\" fn via_first("), "{lib}");
    assert!(has("unsafe extern \"C\" fn twice("), "{lib}");
}

#[test]
fn threads_mutexes_condition_variables_and_atomics() {
    check(
        "threads",
        r#"
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

typedef struct Shared {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    atomic_int counter;
    _Atomic unsigned char flag;
    _Atomic long total;
    int turns;
} Shared;

static void *add_many(void *arg) {
    Shared *s = (Shared *)arg;
    int i;
    for (i = 0; i < 20000; i++) {
        atomic_fetch_add_explicit(&s->counter, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&s->total, (long)i, memory_order_relaxed);
    }
    /* Hand-over: the last thread to finish wakes the waiter. */
    pthread_mutex_lock(&s->lock);
    s->turns++;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

long long t_threads(void) {
    Shared s;
    pthread_t t[4];
    int i, ok = 1;
    s.turns = 0;
    atomic_store_explicit(&s.counter, 0, memory_order_relaxed);
    atomic_store_explicit(&s.total, 0, memory_order_relaxed);
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.cond, NULL);
    for (i = 0; i < 4; i++) {
        ok &= pthread_create(&t[i], NULL, add_many, &s) == 0;
    }
    pthread_mutex_lock(&s.lock);
    while (s.turns < 4) {
        pthread_cond_wait(&s.cond, &s.lock);
    }
    pthread_mutex_unlock(&s.lock);
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    pthread_cond_destroy(&s.cond);
    pthread_mutex_destroy(&s.lock);
    return ok * 1000000000000LL + atomic_load_explicit(&s.counter, memory_order_acquire) +
           atomic_load_explicit(&s.total, memory_order_acquire) * 7;
}

long long t_cas_exchange(void) {
    Shared s;
    int expected = 5, r1, r2, old;
    atomic_store_explicit(&s.counter, 5, memory_order_release);
    atomic_store_explicit(&s.flag, 200, memory_order_relaxed);
    r1 = atomic_compare_exchange_strong_explicit(&s.counter, &expected, 9, memory_order_acq_rel,
                                                 memory_order_acquire);
    r2 = atomic_compare_exchange_strong_explicit(&s.counter, &expected, 11, memory_order_acq_rel,
                                                 memory_order_acquire);
    /* r2 failed: expected now holds what was found (9). */
    old = atomic_exchange_explicit(&s.counter, 3, memory_order_seq_cst);
    atomic_fetch_sub_explicit(&s.counter, 1, memory_order_relaxed);
    atomic_fetch_or_explicit(&s.counter, 8, memory_order_relaxed);
    atomic_fetch_and_explicit(&s.counter, 12, memory_order_relaxed);
    atomic_fetch_xor_explicit(&s.counter, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s.flag, 100, memory_order_relaxed); /* wraps at 256 */
    return r1 * 100000000LL + r2 * 10000000LL + expected * 100000LL + old * 1000LL +
           atomic_load_explicit(&s.counter, memory_order_relaxed) * 100LL +
           atomic_load_explicit(&s.flag, memory_order_relaxed);
}

long long t_cores(void) { return sysconf(_SC_NPROCESSORS_ONLN) > 0; }
"#,
    );
}

#[test]
fn plain_access_to_an_atomic_is_refused_with_location() {
    check_refused(
        "atomic_plain",
        "#include <stdatomic.h>\nstruct S { atomic_int n; };\nint get(struct S *s) {\n    return s->n;\n}\n",
        "plain access to an _Atomic object",
        4,
    );
    check_refused(
        "atomic_bad_order",
        "#include <stdatomic.h>\nstruct S { atomic_int n; };\nint get(struct S *s) {\n    return atomic_load_explicit(&s->n, memory_order_release);\n}\n",
        "not valid for a load",
        4,
    );
}
