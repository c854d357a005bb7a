//! `portlab census`: how much unsafety, raw-pointer code and casting each stage carries, per
//! module, counted from the source.
//!
//! - **Rust stages** (`transpiled/src/**` and `safe/src/**` once it exists, without the programs
//!   in `src/bin/`; or any `.rs` path) are
//!   parsed with `syn` (full syntax tree) and walked with [`syn::visit::Visit`]. The categories are
//!   cargo-geiger's, plus a few it lacks, each decided by the syntax node alone
//!   ([`RustCounts`] documents every column). "Unsafe context" means *lexically* inside an
//!   `unsafe { }` block or the body of an `unsafe fn`; a nested item (`fn`, `const`, `static`, an
//!   `impl`) starts a fresh context, as in the compiler. That is the whole rule: an attribute such
//!   as `#[no_mangle]` on a safe function changes nothing, for that function or the rest of the
//!   file. (cargo-geiger 0.11 flips into "unsafe" at a `#[no_mangle]` and stays there for the
//!   rest of the file; a unit test below pins that case.)
//! - **The C stage** (`upstream-c/src/**`) gets lines of code always, and, when clang is
//!   available, the C analogues of the Rust categories from clang's JSON AST (the same parse the
//!   transpiler reads): pointer-typed declarations, explicit casts, pointer dereferences,
//!   subscripts, mutable globals ([`CCounts`]). Headers count once, in the first translation unit
//!   that uses them.
//!
//! Lines of code are non-blank lines with something outside comments (doc comments are comments).
//! Expressions written inside macro invocations (`println!(..)`, `assert!(..)`) are not parsed by
//! syn and are not counted; the transpiled stage writes none.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::{Value, json};
use syn::visit::{self, Visit};

use crate::host::files_under;
use crate::stage::{Language, STAGES, stage_info};
use crate::transpile::ast;

/// `portlab census` arguments.
#[derive(clap::Args, Debug, Clone)]
pub struct CensusArgs {
    /// Comma-separated stages (c, transpiled, safe) or paths (a folder or a .rs/.c/.h file);
    /// default: every stage that exists.
    #[arg(long, value_delimiter = ',')]
    pub stages: Vec<String>,
    /// Write the results as JSON: to stdout with --json (instead of the Markdown), to FILE with
    /// --json=FILE (the Markdown then still goes to stdout).
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-", require_equals = true)]
    pub json: Option<String>,
    /// Also write the Markdown report to FILE.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Rewrite the generated census blocks (between `<!-- census:begin ... -->` and
    /// `<!-- census:end -->`) of these documents with the totals of every stage, so that the
    /// figures docs quote cannot go stale (the workspace's tests check they are current).
    /// Without a value: docs/tools-census-inspect.md and docs/findings.md.
    #[arg(long, value_name = "FILES", num_args = 0..=1, value_delimiter = ',', default_missing_value = "docs/tools-census-inspect.md,docs/findings.md")]
    pub update_docs: Option<Vec<PathBuf>>,
    /// Only the per-stage totals, not every module.
    #[arg(long)]
    pub totals: bool,
    /// Workspace root (default: the enclosing Cargo workspace).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// clang for the C stage's AST (default: $CLANG or clang); "none" counts C lines only.
    #[arg(long)]
    pub clang: Option<String>,
}

// ------------------------------------------------------------------------------------------------
// Rust.

/// Counts for Rust source. Every field is a number of syntax nodes (or lines) in the module.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RustCounts {
    /// Non-blank lines with code outside comments.
    pub loc: usize,
    /// Functions with a body: `fn` items, methods, default trait methods.
    pub fns: usize,
    /// Of those, the ones declared `unsafe` (`unsafe fn`, `unsafe extern "C" fn`).
    pub unsafe_fns: usize,
    /// `unsafe { .. }` blocks (nested ones count too).
    pub unsafe_blocks: usize,
    /// `unsafe impl` and `unsafe trait` items.
    pub unsafe_impls: usize,
    /// Attributes that are unsafe to write (`no_mangle`, `export_name`, `link_section`, spelled
    /// bare or as `#[unsafe(..)]`). They do not make any code unsafe context.
    pub unsafe_attrs: usize,
    /// All `syn::Expr` nodes (outside macro invocations and attributes).
    pub exprs: usize,
    /// `syn::Expr` nodes in unsafe context: inside an `unsafe` block (not counting the block
    /// expression itself unless it is nested in another unsafe context) or an `unsafe fn` body.
    pub unsafe_exprs: usize,
    /// Raw pointer types written (`*const T`, `*mut T`; `*mut *mut T` is two).
    pub raw_ptr_types: usize,
    /// `static mut` items (including ones declared in `extern` blocks).
    pub static_mut: usize,
    /// Items declared inside `extern "ABI" { .. }` blocks.
    pub extern_decls: usize,
    /// `expr as Type` casts.
    pub as_casts: usize,
}

impl RustCounts {
    fn add(&mut self, o: &RustCounts) {
        self.loc += o.loc;
        self.fns += o.fns;
        self.unsafe_fns += o.unsafe_fns;
        self.unsafe_blocks += o.unsafe_blocks;
        self.unsafe_impls += o.unsafe_impls;
        self.unsafe_attrs += o.unsafe_attrs;
        self.exprs += o.exprs;
        self.unsafe_exprs += o.unsafe_exprs;
        self.raw_ptr_types += o.raw_ptr_types;
        self.static_mut += o.static_mut;
        self.extern_decls += o.extern_decls;
        self.as_casts += o.as_casts;
    }

    fn to_json(self) -> Value {
        json!({
            "loc": self.loc,
            "fns": self.fns,
            "unsafe_fns": self.unsafe_fns,
            "unsafe_blocks": self.unsafe_blocks,
            "unsafe_impls": self.unsafe_impls,
            "unsafe_attrs": self.unsafe_attrs,
            "exprs": self.exprs,
            "unsafe_exprs": self.unsafe_exprs,
            "raw_ptr_types": self.raw_ptr_types,
            "static_mut": self.static_mut,
            "extern_decls": self.extern_decls,
            "as_casts": self.as_casts,
        })
    }
}

#[derive(Default)]
struct RustVisitor {
    c: RustCounts,
    /// > 0 inside unsafe context.
    unsafe_depth: u32,
}

impl RustVisitor {
    /// Visit a function-like body with its own context: unsafe iff the signature says so.
    fn in_fn(&mut self, sig: &syn::Signature, f: impl FnOnce(&mut Self)) {
        self.c.fns += 1;
        let is_unsafe = sig.unsafety.is_some();
        if is_unsafe {
            self.c.unsafe_fns += 1;
        }
        let saved = self.unsafe_depth;
        self.unsafe_depth = u32::from(is_unsafe);
        f(self);
        self.unsafe_depth = saved;
    }

    /// Visit a nested item with a fresh (safe) context.
    fn fresh(&mut self, f: impl FnOnce(&mut Self)) {
        let saved = self.unsafe_depth;
        self.unsafe_depth = 0;
        f(self);
        self.unsafe_depth = saved;
    }
}

fn is_unsafe_attr_name(path: &syn::Path) -> bool {
    path.is_ident("no_mangle") || path.is_ident("export_name") || path.is_ident("link_section")
}

impl<'ast> Visit<'ast> for RustVisitor {
    fn visit_item(&mut self, i: &'ast syn::Item) {
        self.fresh(|v| visit::visit_item(v, i));
    }
    fn visit_impl_item(&mut self, i: &'ast syn::ImplItem) {
        self.fresh(|v| visit::visit_impl_item(v, i));
    }
    fn visit_trait_item(&mut self, i: &'ast syn::TraitItem) {
        self.fresh(|v| visit::visit_trait_item(v, i));
    }
    fn visit_item_fn(&mut self, i: &'ast syn::ItemFn) {
        self.in_fn(&i.sig, |v| visit::visit_item_fn(v, i));
    }
    fn visit_impl_item_fn(&mut self, i: &'ast syn::ImplItemFn) {
        self.in_fn(&i.sig, |v| visit::visit_impl_item_fn(v, i));
    }
    fn visit_trait_item_fn(&mut self, i: &'ast syn::TraitItemFn) {
        if i.default.is_some() {
            self.in_fn(&i.sig, |v| visit::visit_trait_item_fn(v, i));
        } else {
            visit::visit_trait_item_fn(self, i);
        }
    }
    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if i.unsafety.is_some() {
            self.c.unsafe_impls += 1;
        }
        visit::visit_item_impl(self, i);
    }
    fn visit_item_trait(&mut self, i: &'ast syn::ItemTrait) {
        if i.unsafety.is_some() {
            self.c.unsafe_impls += 1;
        }
        visit::visit_item_trait(self, i);
    }
    fn visit_expr_unsafe(&mut self, e: &'ast syn::ExprUnsafe) {
        self.c.unsafe_blocks += 1;
        self.unsafe_depth += 1;
        visit::visit_expr_unsafe(self, e);
        self.unsafe_depth -= 1;
    }
    fn visit_expr(&mut self, e: &'ast syn::Expr) {
        self.c.exprs += 1;
        if self.unsafe_depth > 0 {
            self.c.unsafe_exprs += 1;
        }
        visit::visit_expr(self, e);
    }
    fn visit_expr_cast(&mut self, e: &'ast syn::ExprCast) {
        self.c.as_casts += 1;
        visit::visit_expr_cast(self, e);
    }
    fn visit_type_ptr(&mut self, t: &'ast syn::TypePtr) {
        self.c.raw_ptr_types += 1;
        visit::visit_type_ptr(self, t);
    }
    fn visit_item_static(&mut self, i: &'ast syn::ItemStatic) {
        if matches!(i.mutability, syn::StaticMutability::Mut(_)) {
            self.c.static_mut += 1;
        }
        visit::visit_item_static(self, i);
    }
    fn visit_foreign_item_static(&mut self, i: &'ast syn::ForeignItemStatic) {
        if matches!(i.mutability, syn::StaticMutability::Mut(_)) {
            self.c.static_mut += 1;
        }
        visit::visit_foreign_item_static(self, i);
    }
    fn visit_item_foreign_mod(&mut self, i: &'ast syn::ItemForeignMod) {
        self.c.extern_decls += i.items.len();
        visit::visit_item_foreign_mod(self, i);
    }
    fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
        let path = a.path();
        if is_unsafe_attr_name(path) {
            self.c.unsafe_attrs += 1;
        } else if path.is_ident("unsafe") {
            if let Ok(inner) = a.parse_args::<syn::Meta>() {
                if is_unsafe_attr_name(inner.path()) {
                    self.c.unsafe_attrs += 1;
                }
            }
        }
        // Not descending: attributes are not code (`#[doc = ".."]` would count as an Expr).
    }
}

/// Census of one Rust source file's text.
pub fn census_rust_source(src: &str) -> Result<RustCounts, String> {
    let file = syn::parse_file(src).map_err(|e| format!(" {e}"))?;
    let mut v = RustVisitor::default();
    v.visit_file(&file);
    v.c.loc = code_lines(src, Lang::Rust);
    Ok(v.c)
}

// ------------------------------------------------------------------------------------------------
// Lines of code.

/// Which comment and literal syntax [`code_lines`] understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// `//`, nested `/* */`, strings, raw strings, char literals vs lifetimes.
    Rust,
    /// `//`, `/* */`, strings, char literals.
    C,
}

/// Non-blank lines that have something besides comments (a line inside a string literal counts).
pub fn code_lines(src: &str, lang: Lang) -> usize {
    #[derive(Clone, Copy, PartialEq)]
    enum St {
        Code,
        Block(u32),
        Str,
        Raw(usize),
    }
    let mut st = St::Code;
    let mut count = 0;
    for line in src.lines() {
        let b: Vec<char> = line.chars().collect();
        let mut code = matches!(st, St::Str | St::Raw(_)) && !line.trim().is_empty();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let next = b.get(i + 1).copied();
            match st {
                St::Block(d) => {
                    if c == '*' && next == Some('/') {
                        st = if d > 1 { St::Block(d - 1) } else { St::Code };
                        i += 2;
                        continue;
                    }
                    if lang == Lang::Rust && c == '/' && next == Some('*') {
                        st = St::Block(d + 1);
                        i += 2;
                        continue;
                    }
                }
                St::Str => {
                    code = true;
                    if c == '\\' {
                        i += 2;
                        continue;
                    }
                    if c == '"' {
                        st = St::Code;
                    }
                }
                St::Raw(h) => {
                    code = true;
                    if c == '"' && b[i + 1..].iter().take(h).filter(|&&x| x == '#').count() == h {
                        st = St::Code;
                        i += 1 + h;
                        continue;
                    }
                }
                St::Code => {
                    if c.is_whitespace() {
                        i += 1;
                        continue;
                    }
                    if c == '/' && next == Some('/') {
                        break;
                    }
                    if c == '/' && next == Some('*') {
                        st = St::Block(1);
                        i += 2;
                        continue;
                    }
                    code = true;
                    if c == '"' {
                        // Rust raw string: r"..", r#".."#, br#".."#.
                        let mut j = i;
                        let mut hashes = 0;
                        while lang == Lang::Rust && j > 0 && b[j - 1] == '#' {
                            hashes += 1;
                            j -= 1;
                        }
                        let raw = lang == Lang::Rust
                            && j > 0
                            && b[j - 1] == 'r'
                            && (j < 2 || !(b[j - 2].is_alphanumeric() || b[j - 2] == '_') || {
                                j >= 2
                                    && matches!(b[j - 2], 'b' | 'c')
                                    && (j < 3 || !(b[j - 3].is_alphanumeric() || b[j - 3] == '_'))
                            });
                        st = if raw { St::Raw(hashes) } else { St::Str };
                    } else if c == '\'' {
                        // A char literal ('x', '\n', '\''), else (Rust) a lifetime or label.
                        if next == Some('\\') {
                            let mut j = i + 2;
                            while j < b.len() && b[j] != '\'' {
                                j += if b[j] == '\\' { 2 } else { 1 };
                            }
                            i = j + 1;
                            continue;
                        }
                        if b.get(i + 2) == Some(&'\'') {
                            i += 3;
                            continue;
                        }
                        if lang == Lang::C {
                            // Multi-char constant: skip to the closing quote.
                            let mut j = i + 1;
                            while j < b.len() && b[j] != '\'' {
                                j += 1;
                            }
                            i = j + 1;
                            continue;
                        }
                    }
                }
            }
            i += 1;
        }
        if code {
            count += 1;
        }
    }
    count
}

// ------------------------------------------------------------------------------------------------
// C.

/// Counts for C source. Everything but `loc` needs clang (`None` without it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CCounts {
    /// Non-blank lines with code outside comments (preprocessor lines count).
    pub loc: usize,
    /// Function definitions.
    pub fns: Option<usize>,
    /// Expressions written in the source (clang's `*Expr`/`*Operator`/`*Literal` nodes, not
    /// counting the implicit conversions clang inserts).
    pub exprs: Option<usize>,
    /// Variables, parameters and struct fields of pointer type (after typedefs: a function
    /// pointer typedef counts).
    pub ptr_decls: Option<usize>,
    /// Explicit casts `(T)e`.
    pub casts: Option<usize>,
    /// Pointer dereferences: unary `*p` and `p->field`.
    pub ptr_derefs: Option<usize>,
    /// Subscripts `a[i]` (of arrays and pointers alike).
    pub subscripts: Option<usize>,
    /// Non-const variables of static storage defined here (file-scope and function `static`).
    pub mutable_globals: Option<usize>,
}

impl CCounts {
    fn add(&mut self, o: &CCounts) {
        fn add(a: &mut Option<usize>, b: Option<usize>) {
            *a = match (*a, b) {
                (Some(x), Some(y)) => Some(x + y),
                (x, None) => x,
                (None, y) => y,
            };
        }
        self.loc += o.loc;
        add(&mut self.fns, o.fns);
        add(&mut self.exprs, o.exprs);
        add(&mut self.ptr_decls, o.ptr_decls);
        add(&mut self.casts, o.casts);
        add(&mut self.ptr_derefs, o.ptr_derefs);
        add(&mut self.subscripts, o.subscripts);
        add(&mut self.mutable_globals, o.mutable_globals);
    }

    fn to_json(self) -> Value {
        json!({
            "loc": self.loc,
            "fns": self.fns,
            "exprs": self.exprs,
            "ptr_decls": self.ptr_decls,
            "casts": self.casts,
            "ptr_derefs": self.ptr_derefs,
            "subscripts": self.subscripts,
            "mutable_globals": self.mutable_globals,
        })
    }

    fn zero_ast() -> CCounts {
        CCounts {
            fns: Some(0),
            exprs: Some(0),
            ptr_decls: Some(0),
            casts: Some(0),
            ptr_derefs: Some(0),
            subscripts: Some(0),
            mutable_globals: Some(0),
            ..CCounts::default()
        }
    }
}

fn inc(x: &mut Option<usize>) {
    *x = Some(x.unwrap_or(0) + 1);
}

fn is_pointer_type(n: &ast::Node) -> bool {
    let t = n.get("type");
    let ty = t
        .and_then(|t| t.get("desugaredQualType"))
        .or_else(|| t.and_then(|t| t.get("qualType")))
        .and_then(Value::as_str)
        .unwrap_or("");
    ty.contains('*')
}

/// Is the declared object itself const (`const int`, `const T[4]`, `T *const`; not `const T *`)?
fn is_const_type(n: &ast::Node) -> bool {
    let ty = ast::qual_type(n).unwrap_or("");
    match ty.rfind('*') {
        Some(i) => ty[i..].contains("const"),
        None => ty
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| w == "const"),
    }
}

/// Count the nodes of one clang AST located in the files (workspace-relative) `out` has keys for.
fn census_c_ast(root: &ast::Node, out: &mut BTreeMap<String, CCounts>) {
    fn walk(n: &ast::Node, out: &mut BTreeMap<String, CCounts>, file_scope: bool, in_fn: bool) {
        let kind = ast::kind(n);
        let here = ast::pos(n).map(|p| p.file).filter(|f| out.contains_key(f));
        if let Some(f) = &here {
            let c = out.get_mut(f).unwrap();
            let implicit = ast::bool_field(n, "isImplicit");
            match kind {
                "FunctionDecl" if ast::inner(n).iter().any(|c| ast::kind(c) == "CompoundStmt") => {
                    inc(&mut c.fns)
                }
                "VarDecl" | "ParmVarDecl" | "FieldDecl" if !implicit => {
                    if is_pointer_type(n) {
                        inc(&mut c.ptr_decls);
                    }
                    if kind == "VarDecl" {
                        let storage = ast::str_field(n, "storageClass").unwrap_or("");
                        let static_storage =
                            (file_scope && storage != "extern") || (in_fn && storage == "static");
                        if static_storage && !is_const_type(n) {
                            inc(&mut c.mutable_globals);
                        }
                    }
                }
                "CStyleCastExpr" => inc(&mut c.casts),
                "UnaryOperator" if ast::str_field(n, "opcode") == Some("*") => {
                    inc(&mut c.ptr_derefs)
                }
                "MemberExpr" if ast::bool_field(n, "isArrow") => inc(&mut c.ptr_derefs),
                "ArraySubscriptExpr" => inc(&mut c.subscripts),
                _ => {}
            }
            if kind != "ImplicitCastExpr"
                && (kind.ends_with("Expr")
                    || kind.ends_with("Operator")
                    || kind.ends_with("Literal"))
            {
                inc(&mut c.exprs);
            }
        }
        let child_in_fn = in_fn || kind == "FunctionDecl";
        for ch in ast::inner(n) {
            walk(ch, out, kind == "TranslationUnitDecl", child_in_fn);
        }
    }
    walk(root, out, false, false);
}

/// Parse `tu` (workspace-relative .c file) with clang and count into `out` the nodes located in
/// the files it has keys for.
fn clang_census(
    root: &Path,
    clang: &str,
    tu: &str,
    includes: &[String],
    out: &mut BTreeMap<String, CCounts>,
) -> Result<(), String> {
    let mut cmd = Command::new(clang);
    cmd.current_dir(root).args([
        "-Xclang",
        "-ast-dump=json",
        "-fsyntax-only",
        "-std=c11",
        "--target=x86_64-unknown-linux-gnu",
    ]);
    for i in includes {
        cmd.arg(format!("-I{i}"));
    }
    cmd.arg(tu);
    let o = cmd.output().map_err(|e| format!("{clang}: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "clang failed on {tu}:\n{}",
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(&o.stdout);
    de.disable_recursion_limit();
    let mut v: Value =
        serde::Deserialize::deserialize(&mut de).map_err(|e| format!("{tu}: clang's JSON: {e}"))?;
    ast::fill_locations(&mut v);
    census_c_ast(&v, out);
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Stages and modules.

/// The counts of one module (file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counts {
    Rust(RustCounts),
    C(CCounts),
}

#[derive(Debug, Clone)]
pub struct ModuleCensus {
    /// Rust: the module path (`decode`, `x86::mc_init`, `lib`); C: the file below the source
    /// folder (`decode.c`, `x86/mc_init.c`).
    pub module: String,
    /// Workspace-relative path.
    pub path: String,
    pub counts: Counts,
}

#[derive(Debug, Clone)]
pub struct StageCensus {
    /// `c`, `transpiled`, `safe`, or the path given.
    pub stage: String,
    pub root: String,
    pub modules: Vec<ModuleCensus>,
    pub total: Counts,
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `transpiled/src/x86/mod.rs` -> `x86`, `decode.rs` -> `decode`, `lib.rs` -> `lib`.
fn rust_module_name(src_root: &Path, file: &Path) -> String {
    let r = file.strip_prefix(src_root).unwrap_or(file);
    let mut parts: Vec<String> = r.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
    }
    if parts.len() > 1 && parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// Census of a Rust source tree (or one file).
pub fn census_rust_dir(root: &Path, stage: &str, dir: &Path) -> Result<StageCensus, String> {
    // A known stage is its decoder library, the counterpart of upstream-c/src: the programs in
    // its src/bin (the transpiled CLI, whose C is upstream-c/tools) are not part of it.
    let programs = dir.join("bin");
    let files: Vec<PathBuf> = files_under(dir, &["rs"])
        .into_iter()
        .filter(|f| stage_info(stage).is_none() || !f.starts_with(&programs))
        .collect();
    if files.is_empty() {
        return Err(format!("{}: no .rs files", dir.display()));
    }
    let src_root = if dir.is_file() {
        dir.parent().unwrap_or(dir)
    } else {
        dir
    };
    let mut modules = Vec::new();
    let mut total = RustCounts::default();
    for f in &files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let c = census_rust_source(&text).map_err(|e| format!("{}:{e}", rel(root, f)))?;
        total.add(&c);
        modules.push(ModuleCensus {
            module: rust_module_name(src_root, f),
            path: rel(root, f),
            counts: Counts::Rust(c),
        });
    }
    Ok(StageCensus {
        stage: stage.to_string(),
        root: rel(root, dir),
        modules,
        total: Counts::Rust(total),
    })
}

/// Census of a C source tree (or one file): lines always, the AST counts through `clang` unless
/// it is `None` or cannot run.
pub fn census_c_dir(
    root: &Path,
    stage: &str,
    dir: &Path,
    clang: Option<&str>,
) -> Result<StageCensus, String> {
    let files = files_under(dir, &["c", "h"]);
    if files.is_empty() {
        return Err(format!("{}: no .c/.h files", dir.display()));
    }
    let src_root = if dir.is_file() {
        dir.parent().unwrap_or(dir)
    } else {
        dir
    };
    let wanted: BTreeSet<String> = files.iter().map(|f| rel(root, f)).collect();
    let clang = clang.filter(|c| crate::transpile::clang_available(c));
    let mut counts: BTreeMap<String, CCounts> = BTreeMap::new();
    if let Some(clang) = clang {
        let mut includes: Vec<String> = Vec::new();
        // The public headers of the C stages, and the asm kernels' prototypes.
        let c_stages = STAGES.iter().filter(|s| s.language == Language::C);
        for inc in c_stages
            .map(|s| format!("{}/include", s.folder))
            .chain(["asm/include".to_string()])
        {
            if root.join(&inc).is_dir() {
                includes.push(inc);
            }
        }
        includes.push(rel(root, src_root));
        // Each .c file is parsed on its own; a header is counted in the first translation unit
        // that has any node in it (headers parse the same in every unit).
        let mut headers_done: BTreeSet<String> = BTreeSet::new();
        for tu in wanted.iter().filter(|f| f.ends_with(".c")) {
            let mut here: BTreeMap<String, CCounts> = wanted
                .iter()
                .filter(|f| *f == tu || (f.ends_with(".h") && !headers_done.contains(*f)))
                .map(|f| (f.clone(), CCounts::zero_ast()))
                .collect();
            clang_census(root, clang, tu, &includes, &mut here)?;
            for (f, c) in here {
                let touched = c != CCounts::zero_ast();
                if f == *tu || touched {
                    if f.ends_with(".h") {
                        headers_done.insert(f.clone());
                    }
                    counts.insert(f, c);
                }
            }
        }
    }
    let mut modules = Vec::new();
    let mut total = if clang.is_some() {
        CCounts::zero_ast()
    } else {
        CCounts::default()
    };
    for f in &files {
        let path = rel(root, f);
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let mut c = match (clang, counts.get(&path)) {
            (Some(_), Some(c)) => *c,
            (Some(_), None) => CCounts::zero_ast(),
            (None, _) => CCounts::default(),
        };
        c.loc = code_lines(&text, Lang::C);
        total.add(&c);
        modules.push(ModuleCensus {
            module: rel(src_root, f),
            path,
            counts: Counts::C(c),
        });
    }
    Ok(StageCensus {
        stage: stage.to_string(),
        root: rel(root, dir),
        modules,
        total: Counts::C(total),
    })
}

/// Census of a stage name (`c`, `transpiled`, `safe`) or a path.
pub fn census_target(
    root: &Path,
    target: &str,
    clang: Option<&str>,
) -> Result<StageCensus, String> {
    let stage = stage_info(target);
    let dir = match stage {
        Some(s) => root.join(s.source_dir),
        None => {
            let p = PathBuf::from(target);
            if p.exists() { p } else { root.join(target) }
        }
    };
    if !dir.exists() {
        return Err(format!("{}: not found", dir.display()));
    }
    let is_c = match stage {
        Some(s) => s.language == Language::C,
        None if dir.is_file() => dir.extension().is_some_and(|e| e == "c" || e == "h"),
        None => files_under(&dir, &["rs"]).is_empty(),
    };
    if is_c {
        census_c_dir(root, target, &dir, clang)
    } else {
        census_rust_dir(root, target, &dir)
    }
}

// ------------------------------------------------------------------------------------------------
// Output.

fn opt(x: Option<usize>) -> String {
    x.map_or("–".to_string(), |v| v.to_string())
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".to_string()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

const RUST_HEADER: &str = "| stage | module | LoC | fns | unsafe fns | unsafe blocks | unsafe exprs | of exprs | raw ptr types | static mut | extern decls | `as` casts | unsafe impls | unsafe attrs |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";

fn rust_row(stage: &str, module: &str, c: &RustCounts) -> String {
    format!(
        "| {stage} | {module} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        c.loc,
        c.fns,
        c.unsafe_fns,
        c.unsafe_blocks,
        c.unsafe_exprs,
        pct(c.unsafe_exprs, c.exprs),
        c.raw_ptr_types,
        c.static_mut,
        c.extern_decls,
        c.as_casts,
        c.unsafe_impls,
        c.unsafe_attrs
    )
}

const C_HEADER: &str = "| stage | file | LoC | fns | exprs | pointer decls | casts | pointer derefs | subscripts | mutable globals |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";

fn c_row(stage: &str, module: &str, c: &CCounts) -> String {
    format!(
        "| {stage} | {module} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        c.loc,
        opt(c.fns),
        opt(c.exprs),
        opt(c.ptr_decls),
        opt(c.casts),
        opt(c.ptr_derefs),
        opt(c.subscripts),
        opt(c.mutable_globals)
    )
}

/// The Markdown report: a side-by-side totals table, then one table per language.
pub fn markdown(stages: &[StageCensus], totals_only: bool) -> String {
    let mut s = String::new();
    s.push_str("## Census totals\n\n");
    s.push_str("| stage | LoC | fns | exprs | unsafe exprs | unsafe fns | unsafe blocks | pointer types / decls | casts | static mut / mutable globals |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for st in stages {
        match &st.total {
            Counts::Rust(c) => {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} |",
                    st.stage,
                    c.loc,
                    c.fns,
                    c.exprs,
                    c.unsafe_exprs,
                    pct(c.unsafe_exprs, c.exprs),
                    c.unsafe_fns,
                    c.unsafe_blocks,
                    c.raw_ptr_types,
                    c.as_casts,
                    c.static_mut
                );
            }
            Counts::C(c) => {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | (all C) | – | – | {} | {} | {} |",
                    st.stage,
                    c.loc,
                    opt(c.fns),
                    opt(c.exprs),
                    opt(c.ptr_decls),
                    opt(c.casts),
                    opt(c.mutable_globals)
                );
            }
        }
    }
    if totals_only {
        return s;
    }
    let rust: Vec<&StageCensus> = stages
        .iter()
        .filter(|s| matches!(s.total, Counts::Rust(_)))
        .collect();
    let c: Vec<&StageCensus> = stages
        .iter()
        .filter(|s| matches!(s.total, Counts::C(_)))
        .collect();
    if !rust.is_empty() {
        s.push_str("\n## Rust stages by module\n\n");
        s.push_str(RUST_HEADER);
        for st in &rust {
            for m in &st.modules {
                if let Counts::Rust(c) = &m.counts {
                    s.push_str(&rust_row(&st.stage, &m.module, c));
                }
            }
            if let Counts::Rust(c) = &st.total {
                s.push_str(&rust_row(&st.stage, "**total**", c));
            }
        }
    }
    if !c.is_empty() {
        s.push_str("\n## C stage by file\n\n");
        s.push_str(C_HEADER);
        for st in &c {
            for m in &st.modules {
                if let Counts::C(c) = &m.counts {
                    s.push_str(&c_row(&st.stage, &m.module, c));
                }
            }
            if let Counts::C(c) = &st.total {
                s.push_str(&c_row(&st.stage, "**total**", c));
            }
        }
    }
    s
}

fn counts_json(c: &Counts) -> Value {
    match c {
        Counts::Rust(c) => c.to_json(),
        Counts::C(c) => c.to_json(),
    }
}

pub fn to_json(stages: &[StageCensus]) -> Value {
    let v: Vec<Value> = stages
        .iter()
        .map(|st| {
            json!({
                "stage": st.stage,
                "language": if matches!(st.total, Counts::Rust(_)) { "rust" } else { "c" },
                "root": st.root,
                "total": counts_json(&st.total),
                "modules": st.modules.iter().map(|m| json!({
                    "module": m.module,
                    "path": m.path,
                    "counts": counts_json(&m.counts),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "stages": v })
}

pub fn main(a: &CensusArgs) -> ExitCode {
    let root = a.root.clone().unwrap_or_else(crate::host::workspace_root);
    let targets: Vec<String> = if a.stages.is_empty() {
        STAGES
            .iter()
            .filter(|s| root.join(s.source_dir).is_dir())
            .map(|s| s.name.to_string())
            .collect()
    } else {
        a.stages
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let clang_default = std::env::var("CLANG").unwrap_or_else(|_| "clang".to_string());
    let clang = match a.clang.as_deref() {
        Some("none") => None,
        Some(c) => Some(c.to_string()),
        None => Some(clang_default),
    };
    let mut out = Vec::new();
    for t in &targets {
        match census_target(&root, t, clang.as_deref()) {
            Ok(c) => out.push(c),
            Err(e) => {
                eprintln!("portlab census: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(docs) = &a.update_docs {
        let block = doc_block(&out);
        for d in docs {
            let path = if d.is_absolute() {
                d.clone()
            } else {
                root.join(d)
            };
            let result = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|t| update_doc(&t, &block))
                .and_then(|t| std::fs::write(&path, t).map_err(|e| e.to_string()));
            match result {
                Ok(()) => eprintln!("portlab census: updated {}", path.display()),
                Err(e) => {
                    eprintln!("portlab census: {}: {e}", path.display());
                    return ExitCode::from(1);
                }
            }
        }
        return ExitCode::SUCCESS;
    }
    let md = markdown(&out, a.totals);
    match crate::bench::write_report(
        &md,
        &to_json(&out),
        a.json.as_deref(),
        a.markdown.as_deref(),
        true,
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portlab census: {e}");
            ExitCode::from(1)
        }
    }
}

/// Where a generated census block starts in a document (`crate::docblock`'s begin marker of kind
/// `census`, without arguments).
pub const DOC_BEGIN: &str = "<!-- census:begin: generated by `portlab census --update-docs`; edits here are overwritten -->";
/// Where it ends.
pub const DOC_END: &str = "<!-- census:end -->";

/// The generated block: the totals table, and the figures the prose around it would otherwise
/// quote (unsafe share, casts, lines, functions), from the same counts.
/// Only the C and transpiled stages: the docs compare those two, and the safe stage changes with
/// every port step (its figures are `portlab report`'s and `portlab stages`').
pub fn doc_block(stages: &[StageCensus]) -> String {
    let stages: Vec<StageCensus> = stages
        .iter()
        .filter(|st| st.stage == "c" || st.stage == "transpiled")
        .cloned()
        .collect();
    let stages = &stages[..];
    let table = markdown(stages, true);
    let table = table.trim_start_matches("## Census totals\n\n");
    let mut s = format!("{DOC_BEGIN}\n\n{table}\n");
    let find = |name: &str| stages.iter().find(|st| st.stage == name);
    let rust = |name: &str| match find(name).map(|st| &st.total) {
        Some(Counts::Rust(r)) => Some(*r),
        _ => None,
    };
    let c = match find("c").map(|st| &st.total) {
        Some(Counts::C(c)) => Some(*c),
        _ => None,
    };
    if let (Some(c), Some(t)) = (c, rust("transpiled")) {
        let _ = write!(
            s,
            "In figures: the transpiled stage has {} of its {} functions as `unsafe fn` and {} of its \
             expressions in unsafe context; explicit casts go from {} in C to {} `as` casts; lines of \
             code from {} to {}",
            t.unsafe_fns,
            t.fns,
            pct(t.unsafe_exprs, t.exprs),
            opt(c.casts),
            t.as_casts,
            c.loc,
            t.loc,
        );
        if let Some(st) = find("transpiled") {
            let per: Vec<String> = ["decode", "modes", "tokens"]
                .iter()
                .filter_map(|m| {
                    st.modules
                        .iter()
                        .find(|x| x.module == *m)
                        .and_then(|x| match &x.counts {
                            Counts::Rust(r) => {
                                Some(format!("{m} {}", pct(r.unsafe_exprs, r.exprs)))
                            }
                            Counts::C(_) => None,
                        })
                })
                .collect();
            if !per.is_empty() {
                let _ = write!(
                    s,
                    "; its decoder modules are almost wholly unsafe ({}), the total diluted by the \
                     table initialisers of `tables.rs`",
                    per.join(", ")
                );
            }
        }
        s.push('.');
        s.push('\n');
    }
    s.push('\n');
    s.push_str(DOC_END);
    s
}

/// `text` with every generated census block replaced by `block`; an error if it has none or a
/// begin without an end (the markers are `crate::docblock`'s).
pub fn update_doc(text: &str, block: &str) -> Result<String, String> {
    let (out, found) = crate::docblock::replace(text, "census", |_| Ok(block.to_string()))?;
    if found == 0 {
        return Err(format!(
            "no generated census block ({DOC_BEGIN} ... {DOC_END})"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_code_skip_comments_not_strings() {
        let src = "// c\n\n/* a\n b */ x();\n/* only */\nlet s = \"// not\n a comment\";\n'a: loop {}\nlet c = '\"'; // q\n/* /* nested */ still */\n";
        // x();, let s, a comment"; (inside the string), 'a: loop, let c
        assert_eq!(code_lines(src, Lang::Rust), 5);
        let raw = "let r = r#\"a \" // b\n\n/* c */\"#;\nlet b = br\"//\";\n// done\n";
        // The raw string spans 3 lines (the blank one inside it does not count), then `let b`.
        assert_eq!(code_lines(raw, Lang::Rust), 3);
        let c = "#include <x.h>\n/* a\n*/\nchar c = '\"'; /* x\n y */\nint x; // c\n";
        assert_eq!(code_lines(c, Lang::C), 3);
    }

    /// cargo-geiger counts everything after a safe `#[no_mangle]` function as unsafe. Here a
    /// `#[no_mangle]` function (both spellings) is followed by safe code: nothing is unsafe but
    /// the one block at the end.
    #[test]
    fn a_safe_no_mangle_function_leaves_the_rest_of_the_file_safe() {
        let src = r#"
#[no_mangle]
pub extern "C" fn exported(x: i32) -> i32 {
    x + 1
}

#[unsafe(no_mangle)]
pub extern "C" fn exported_2024(x: i32) -> i32 {
    x * 2
}

pub fn after(v: &[u8]) -> u8 {
    v[0]
}

pub fn last(p: *const u8) -> u8 {
    unsafe { *p }
}
"#;
        let c = census_rust_source(src).unwrap();
        assert_eq!(c.fns, 4);
        assert_eq!(c.unsafe_fns, 0);
        assert_eq!(c.unsafe_attrs, 2);
        assert_eq!(c.unsafe_blocks, 1);
        // Only `*p` and `p` inside the block.
        assert_eq!(c.unsafe_exprs, 2);
        // x + 1 (3), x * 2 (3), v[0] (3), unsafe { *p } (1) + *p (1) + p (1)
        assert_eq!(c.exprs, 12);
        assert_eq!(c.raw_ptr_types, 1);
    }
}
