//! Mechanical checks of docs/c-subset.md on the decoder library's sources (`src/**/*.{c,h}`):
//! no goto, setjmp/longjmp, inline asm, variadic definitions, bit-fields, flexible array members,
//! mutable globals (non-const file-scope or function-static variables), floating point,
//! volatile/_Atomic/#pragma, or printf/exit/abort in the library.
//!
//! A lexical checker, not a C parser: it strips comments and literals, tracks brace depth and
//! looks at declarations. It is conservative where that is cheap (e.g. any `const` in a
//! file-scope declaration passes it, so `const T *p` slips through). The unit tests at the bottom
//! show what it catches.

mod common;

use std::path::{Path, PathBuf};

/// Replace comments, string and character literals by spaces (keeping newlines), so that
/// nothing inside them is taken for code.
fn strip(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            out.extend_from_slice(b"  ");
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                out.push(if b[i] == b'\n' { b'\n' } else { b' ' });
                i += 1;
            }
            out.extend_from_slice(b"  ");
            i += 2;
        } else if b[i] == b'"' || b[i] == b'\'' {
            let quote = b[i];
            out.push(quote);
            i += 1;
            while i < b.len() && b[i] != quote && b[i] != b'\n' {
                if b[i] == b'\\' {
                    out.push(b' ');
                    i += 1;
                }
                out.push(b' ');
                i += 1;
            }
            if i < b.len() {
                out.push(b[i]);
                i += 1;
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Remove preprocessor lines (with continuations), reporting `#pragma`; and the alignment and
/// attribute macros, whose parentheses would look like function declarations.
fn drop_preprocessor(code: &str, problems: &mut Vec<(usize, String)>) -> String {
    let mut out = String::with_capacity(code.len());
    let mut continued = false;
    for (n, line) in code.lines().enumerate() {
        let directive = continued || line.trim_start().starts_with('#');
        if directive {
            if line
                .trim_start()
                .trim_start_matches('#')
                .trim_start()
                .starts_with("pragma")
            {
                problems.push((n + 1, "#pragma".into()));
            }
            continued = line.trim_end().ends_with('\\');
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    for attr in ["VP8_ALIGN(", "__attribute__(("] {
        while let Some(start) = out.find(attr) {
            let mut depth = 0;
            let mut end = start;
            for (i, c) in out[start..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = start + i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let blank: String = out[start..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' })
                .collect();
            out.replace_range(start..end, &blank);
        }
    }
    out
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

fn has_word(text: &str, word: &str) -> bool {
    words(text).any(|w| w == word)
}

const FORBIDDEN_WORDS: &[(&str, &str)] = &[
    ("goto", "goto"),
    ("setjmp", "setjmp"),
    ("longjmp", "longjmp"),
    ("asm", "inline assembly"),
    ("__asm__", "inline assembly"),
    ("__asm", "inline assembly"),
    ("volatile", "volatile"),
    ("_Atomic", "_Atomic"),
    ("_Thread_local", "thread-local variable"),
    ("__thread", "thread-local variable"),
    ("float", "floating point"),
    ("double", "floating point"),
    ("printf", "printf in the library"),
    ("fprintf", "fprintf in the library"),
    ("puts", "puts in the library"),
    ("exit", "exit in the library"),
    ("abort", "abort in the library"),
];

const TYPE_WORDS: &[&str] = &[
    "unsigned", "signed", "int", "char", "short", "long", "_Bool", "bool", "uint8_t", "int8_t",
    "uint16_t", "int16_t", "uint32_t", "int32_t", "uint64_t", "int64_t", "const",
];

/// Every violation in one file: (line, what).
fn check_source(src: &str) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    let code = drop_preprocessor(&strip(src), &mut problems);
    let line_of = |offset: usize| code[..offset].matches('\n').count() + 1;

    for (n, line) in code.lines().enumerate() {
        for (word, what) in FORBIDDEN_WORDS {
            if has_word(line, word) {
                problems.push((n + 1, what.to_string()));
            }
        }
        if line.contains("...") {
            problems.push((n + 1, "variadic function".into()));
        }
    }

    // Bit-fields and flexible array members, declaration by declaration (split at ; { }).
    let mut offset = 0;
    for fragment in code.split([';', '{', '}']) {
        let t = fragment.trim();
        let line = line_of(offset + fragment.len() - fragment.trim_start().len());
        offset += fragment.len() + 1;
        let first = words(t).next().unwrap_or("");
        let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.ends_with("[]") && !t.contains(['=', '(']) && first != "extern" {
            problems.push((line, "flexible array member".into()));
        }
        if !TYPE_WORDS.contains(&first) && !["struct", "union", "enum"].contains(&first)
            || t.contains('(')
        {
            continue;
        }
        // "type name : N" is a bit-field (a ternary would have a '?', a label no type word).
        if let Some((_, width)) = t.rsplit_once(':')
            && !t.contains('?')
            && !width.trim().is_empty()
            && width.trim().chars().all(|c| c.is_ascii_digit())
        {
            problems.push((line, "bit-field".into()));
        }
    }

    // Mutable globals: walk the file at brace depth 0, statement by statement.
    let b = code.as_bytes();
    let mut depth = 0usize;
    let mut stmt_start = 0usize;
    let mut i = 0usize;
    // Whether the braces being skipped at depth 0 belong to a struct/union/enum or typedef, an
    // initializer, or a function body.
    let mut depth0_kind = "";
    while i < b.len() {
        match b[i] {
            b'{' => {
                if depth == 0 {
                    let head = &code[stmt_start..i];
                    depth0_kind = if head.contains('=') {
                        "init"
                    } else if has_word(head, "typedef")
                        || has_word(head, "struct")
                        || has_word(head, "union")
                        || has_word(head, "enum")
                    {
                        "type"
                    } else {
                        "function"
                    };
                }
                depth += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && depth0_kind == "function" {
                    stmt_start = i + 1;
                }
            }
            b';' if depth == 0 => {
                let stmt = code[stmt_start..i].trim();
                // The declarator part: after a type body's closing brace, before any initializer.
                let after_body = match (depth0_kind, stmt.rfind('}')) {
                    ("type", Some(close)) => &stmt[close + 1..],
                    _ => stmt,
                };
                let decl = after_body.split('=').next().unwrap_or("");
                let is_typedef = has_word(stmt, "typedef");
                let is_function = decl.contains('(');
                let only_tag = {
                    let w: Vec<&str> = words(decl).collect();
                    w.len() == 2 && ["struct", "union", "enum"].contains(&w[0])
                };
                let declares_variable = words(decl).count() > 0 && !only_tag;
                if !is_typedef && !is_function && declares_variable && !has_word(stmt, "const") {
                    problems.push((
                        line_of(
                            stmt_start + code[stmt_start..].len()
                                - code[stmt_start..].trim_start().len(),
                        ),
                        format!(
                            "mutable global: {}",
                            stmt.split_whitespace().collect::<Vec<_>>().join(" ")
                        ),
                    ));
                }
                stmt_start = i + 1;
                depth0_kind = "";
            }
            _ => {}
        }
        // Function-static variables.
        if depth > 0 && code[i..].starts_with("static") {
            let before = if i == 0 { ' ' } else { b[i - 1] as char };
            let after = b.get(i + 6).map(|&c| c as char).unwrap_or(' ');
            let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
            if !ident(before) && !ident(after) {
                let rest = &code[i..];
                let end = rest.find([';', '=']).unwrap_or(rest.len());
                if !has_word(&rest[..end], "const") {
                    problems.push((line_of(i), "mutable function-static variable".into()));
                }
            }
        }
        i += 1;
    }
    problems.sort();
    problems.dedup();
    problems
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|x| x == "c" || x == "h") {
            out.push(path);
        }
    }
}

#[test]
fn decoder_sources_stay_in_the_c_subset() {
    let src = common::crate_dir().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no C sources in {}", src.display());
    let mut report = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (line, what) in check_source(&text) {
            report.push(format!(
                "  {}:{line}: {what}",
                file.strip_prefix(&src).unwrap().display()
            ));
        }
    }
    assert!(
        report.is_empty(),
        "upstream-c/src leaves the C subset of docs/c-subset.md ({} findings):\n{}",
        report.len(),
        report.join("\n")
    );
}

#[cfg(test)]
mod checker {
    use super::check_source;

    fn found(src: &str) -> Vec<String> {
        check_source(src)
            .into_iter()
            .map(|(_, what)| what)
            .collect()
    }

    #[test]
    fn clean_code_passes() {
        let src = r#"
#include <stdint.h>
#define VP8_ALIGN(n) __attribute__((aligned(n)))
/* goto in a comment, "goto" in a string, static int in a comment */
typedef struct Foo { int a; VP8_ALIGN(16) uint8_t buf[32]; void (*fn)(int); } Foo;
struct Bar;
enum Baz { A = 1, B = 2 };
static const uint8_t table[2][3] = { {1, 2, 3}, {4, 5, 6} };
extern const int other[];
const char *const names[2] = { "a", "b" };
static inline int f(int x) { return x > 0 ? x : 0; }
int g(Foo *p, const char *fmt) {
    static const int k[2] = {1, 2};
    switch (p->a) { case 1: return k[0]; default: break; }
    char msg[8];
    snprintf(msg, sizeof(msg), fmt, 1);
    return p->a ? 1 : 2;
}
"#;
        assert_eq!(found(src), Vec::<String>::new());
    }

    #[test]
    fn violations_are_found() {
        let cases = [
            ("int f(void) { goto out; out: return 0; }", "goto"),
            (
                "#include <setjmp.h>\njmp_buf b; int f(void) { return setjmp(b); }",
                "setjmp",
            ),
            ("int counter;", "mutable global"),
            ("static uint8_t buf[16] = {0};", "mutable global"),
            ("struct S { int a; } global_s;", "mutable global"),
            (
                "int f(void) { static int n; return n++; }",
                "mutable function-static",
            ),
            ("int log_it(const char *fmt, ...);", "variadic"),
            ("struct S { unsigned flag : 1; };", "bit-field"),
            ("struct S { int n; uint8_t data[]; };", "flexible array"),
            ("struct S { int n; Vp8Thing items[]; };", "flexible array"),
            ("void f(void) { __asm__(\"nop\"); }", "inline assembly"),
            ("double scale;", "floating point"),
            ("#pragma once\nint x(void);", "#pragma"),
            ("void f(void) { printf(\"hi\"); }", "printf"),
        ];
        for (src, what) in cases {
            let got = found(src);
            assert!(
                got.iter().any(|g| g.contains(what)),
                "{src:?}: expected {what:?}, got {got:?}"
            );
        }
    }
}
