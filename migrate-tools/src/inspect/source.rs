//! What the source says exists: the functions each stage defines (C: a small scanner over the
//! comment- and string-free text; Rust: `syn`), and the asm kernels' names. `inspect` matches
//! binary symbols against these lists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::visit::{self, Visit};

use crate::host::files_under;

/// A function defined in a stage's source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SrcFn {
    /// C: the file below `src/` (`decode.c`, `x86/mc_init.c`); Rust: the module path
    /// (`decode`, `x86::mc_init`).
    pub module: String,
    pub name: String,
    /// C `static`; Rust: not `pub`.
    pub local: bool,
    /// `inline` (C) or `#[inline]` / `#[inline(always)]` (Rust): "inline", "always" or "".
    pub inline: String,
    /// How many times the name appears as an identifier in the stage's code outside its own
    /// definition line (0 = nothing uses it, so a missing symbol means "unused", not "inlined").
    pub uses: usize,
}

/// Blank out comments, string and char literals (keeping newlines), so a scan for identifiers and
/// braces sees only code.
pub fn strip_c(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let n = b.get(i + 1).copied();
        if c == b'/' && n == Some(b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'/' && n == Some(b'*') {
            out.extend_from_slice(b"  ");
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                out.push(if b[i] == b'\n' { b'\n' } else { b' ' });
                i += 1;
            }
            out.extend_from_slice(b"  ");
            i += 2;
        } else if c == b'"' || c == b'\'' {
            out.push(b' ');
            i += 1;
            while i < b.len() && b[i] != c && b[i] != b'\n' {
                if b[i] == b'\\' {
                    out.push(b' ');
                    i += 1;
                }
                out.push(b' ');
                i += 1;
            }
            out.push(b' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out.truncate(b.len());
    String::from_utf8_lossy(&out).into_owned()
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Identifier occurrences in stripped text.
fn ident_counts(stripped: &str, into: &mut BTreeMap<String, usize>) {
    let b = stripped.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if is_ident_byte(b[i]) && (i == 0 || !is_ident_byte(b[i - 1])) {
            let s = i;
            while i < b.len() && is_ident_byte(b[i]) {
                i += 1;
            }
            if !b[s].is_ascii_digit() {
                *into.entry(stripped[s..i].to_string()).or_insert(0) += 1;
            }
        } else {
            i += 1;
        }
    }
}

/// Function definitions in one C file's text: at brace depth 0, `name ( ... )` followed by `{`.
/// Preprocessor lines are skipped. (name, static, inline).
pub fn c_function_defs(src: &str) -> Vec<(String, bool, bool)> {
    c_functions_in(src, b'{')
}

/// Function prototypes (`name ( ... ) ;` at depth 0, not typedefs) in one C header's text.
pub fn c_function_decls(src: &str) -> Vec<String> {
    c_functions_in(src, b';').into_iter().map(|d| d.0).collect()
}

fn c_functions_in(src: &str, follow: u8) -> Vec<(String, bool, bool)> {
    let text = strip_c(src);
    // Drop preprocessor lines (with continuations).
    let mut code = String::with_capacity(text.len());
    let mut in_pp = false;
    for line in text.lines() {
        let t = line.trim_start();
        if in_pp || t.starts_with('#') {
            in_pp = line.trim_end().ends_with('\\');
            code.push('\n');
            continue;
        }
        code.push_str(line);
        code.push('\n');
    }
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    // `extern "C" {` (C++ guards) opens no scope for our purpose.
    let mut extern_blocks = 0;
    let mut stmt_start = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                if depth == 0 && code[stmt_start..i].trim() == "extern" {
                    extern_blocks += 1;
                    stmt_start = i + 1;
                } else {
                    depth += 1;
                }
                i += 1;
            }
            b'}' if depth == 0 && extern_blocks > 0 => {
                extern_blocks -= 1;
                i += 1;
                stmt_start = i;
            }
            b'}' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    stmt_start = i;
                }
            }
            b';' if depth == 0 => {
                i += 1;
                stmt_start = i;
            }
            b'(' if depth == 0 => {
                // The identifier right before '('.
                let mut e = i;
                while e > 0 && b[e - 1].is_ascii_whitespace() {
                    e -= 1;
                }
                let mut s = e;
                while s > 0 && is_ident_byte(b[s - 1]) {
                    s -= 1;
                }
                // Matching ')'.
                let mut j = i;
                let mut pd = 0;
                while j < b.len() {
                    if b[j] == b'(' {
                        pd += 1;
                    } else if b[j] == b')' {
                        pd -= 1;
                        if pd == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                let mut k = j + 1;
                while k < b.len() && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                let head = &code[stmt_start..s];
                let is_decl = !head.contains('=')
                    && !head.contains('(')
                    && !head
                        .split(|c: char| !is_ident_byte(c as u8))
                        .any(|w| w == "typedef");
                if s < e && k < b.len() && b[k] == follow && is_decl {
                    let name = code[s..e].to_string();
                    let words: Vec<&str> = head.split(|c: char| !is_ident_byte(c as u8)).collect();
                    let is_static = words.contains(&"static");
                    let is_inline = words.contains(&"inline") || words.contains(&"__inline__");
                    out.push((name, is_static, is_inline));
                }
                i = j.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// Every function defined in the C files under `src_dir` (`upstream-c/src`).
pub fn c_functions(src_dir: &Path) -> Vec<SrcFn> {
    let files = files_under(src_dir, &["c"]);
    let hfiles = files_under(src_dir, &["h"]);
    let mut idents = BTreeMap::new();
    let mut defs = Vec::new();
    for f in files.iter().chain(&hfiles) {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        ident_counts(&strip_c(&text), &mut idents);
        let module = f
            .strip_prefix(src_dir)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        for (name, is_static, is_inline) in c_function_defs(&text) {
            // One entry per name and file (`#if`/`#else` branches may define it twice).
            if !defs
                .iter()
                .any(|d: &(String, String, bool, bool)| d.0 == module && d.1 == name)
            {
                defs.push((module.clone(), name, is_static, is_inline));
            }
        }
    }
    let mut def_count: BTreeMap<String, usize> = BTreeMap::new();
    for d in &defs {
        *def_count.entry(d.1.clone()).or_insert(0) += 1;
    }
    defs.into_iter()
        .map(|(module, name, local, inl)| SrcFn {
            uses: idents
                .get(&name)
                .copied()
                .unwrap_or(0)
                .saturating_sub(def_count[&name]),
            module,
            name,
            local,
            inline: if inl { "inline".into() } else { String::new() },
        })
        .collect()
}

struct RustFns<'a> {
    module: &'a str,
    out: Vec<SrcFn>,
    idents: BTreeMap<String, usize>,
}

fn inline_attr(attrs: &[syn::Attribute]) -> String {
    for a in attrs {
        if a.path().is_ident("inline") {
            return match &a.meta {
                syn::Meta::List(l) if l.tokens.to_string().contains("always") => "always".into(),
                syn::Meta::List(l) if l.tokens.to_string().contains("never") => "never".into(),
                _ => "inline".into(),
            };
        }
    }
    String::new()
}

impl<'ast> Visit<'ast> for RustFns<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.out.push(SrcFn {
            module: self.module.to_string(),
            name: f.sig.ident.to_string(),
            local: !matches!(f.vis, syn::Visibility::Public(_)),
            inline: inline_attr(&f.attrs),
            uses: 0,
        });
        visit::visit_item_fn(self, f);
    }
    fn visit_ident(&mut self, i: &'ast syn::Ident) {
        *self.idents.entry(i.to_string()).or_insert(0) += 1;
    }
}

/// Every free function (`fn` item) in the Rust library source under `src_dir`, by module path.
/// The crate's binaries (`src/bin/**`, `src/main.rs`) are other link units: the transpiled
/// crate's `vp8dec-transpiled` CLI (`ivf_*`, `md5_*`, `main`) is not in the binary inspected, and
/// counting its functions would call them "inlined".
pub fn rust_functions(src_dir: &Path) -> Vec<SrcFn> {
    let files: Vec<_> = files_under(src_dir, &["rs"])
        .into_iter()
        .filter(|f| {
            let r = f.strip_prefix(src_dir).unwrap_or(f);
            !r.starts_with("bin") && r != Path::new("main.rs")
        })
        .collect();
    let mut all = Vec::new();
    let mut idents: BTreeMap<String, usize> = BTreeMap::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let Ok(file) = syn::parse_file(&text) else {
            continue;
        };
        let r = f.strip_prefix(src_dir).unwrap_or(f);
        let mut parts: Vec<String> = r.iter().map(|s| s.to_string_lossy().into_owned()).collect();
        if let Some(l) = parts.last_mut() {
            *l = l.trim_end_matches(".rs").to_string();
        }
        if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
            parts.pop();
        }
        let module = parts.join("::");
        let mut v = RustFns {
            module: &module,
            out: Vec::new(),
            idents: BTreeMap::new(),
        };
        v.visit_file(&file);
        for (k, n) in v.idents {
            *idents.entry(k).or_insert(0) += n;
        }
        all.extend(v.out);
    }
    let mut def_count: BTreeMap<String, usize> = BTreeMap::new();
    for d in &all {
        *def_count.entry(d.name.clone()).or_insert(0) += 1;
    }
    for d in &mut all {
        let n = idents.get(&d.name).copied().unwrap_or(0);
        // `use` lines name a function without using it; count them as uses anyway (the
        // generated code only imports what it calls).
        d.uses = n.saturating_sub(def_count[&d.name]);
    }
    all
}

/// Names of the asm kernels under `asm_dir` (the `asm/` crate): functions defined in `*.S`
/// (`.globl name`, or a `*FUNC name` macro with a literal name) and the prototypes of its C
/// headers (`include/**/*.h`), which also cover names the preprocessor builds in the `.S` files.
pub fn asm_kernels(asm_dir: &Path) -> BTreeSet<String> {
    let files = files_under(asm_dir, &["S"]);
    let mut names = BTreeSet::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        for line in text.lines() {
            let t = line.trim();
            let mut w = t.split(|c: char| c.is_whitespace() || c == ',');
            let first = w.next().unwrap_or("");
            let second = w.find(|s| !s.is_empty()).unwrap_or("");
            if second.is_empty() || !second.bytes().all(is_ident_byte) {
                continue;
            }
            let func_macro = first.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                && first.contains("FUNC")
                && !first.starts_with("END");
            if matches!(first, ".globl" | ".global") || func_macro {
                names.insert(second.to_string());
            }
        }
    }
    let headers = files_under(&asm_dir.join("include"), &["h"]);
    for h in &headers {
        if let Ok(text) = std::fs::read_to_string(h) {
            names.extend(c_function_decls(&text));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_definitions_not_declarations_or_calls() {
        let src = r#"
#include "x.h"
#define MAX(a, b) ((a) > (b) ? (a) : (b))
static int helper(int x);
/* int fake(void) { } */
static inline int helper(int x) { return x + 1; }
int table[3] = { 1, 2, 3 };
void (*fp)(int) = 0;
const char *name(int code)
{
    if (code) { return "a{"; }
    return helper(code) ? "b" : "c";
}
int
vp8_thing(void *p,
          int n) { return n; }
"#;
        let defs = c_function_defs(src);
        let names: Vec<&str> = defs.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(names, ["helper", "name", "vp8_thing"]);
        assert!(defs[0].1 && defs[0].2);
        assert!(!defs[1].1);
        let decls = c_function_decls(
            "typedef void (*fn_t)(int);\n#ifdef __cplusplus\nextern \"C\" {\n#endif\nvoid vp8_a_sse2(uint8_t *d,\n int n);\nint x = f(2);\n#ifdef __cplusplus\n}\n#endif\n",
        );
        assert_eq!(decls, ["vp8_a_sse2"]);
    }
}
