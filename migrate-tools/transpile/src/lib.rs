//! `portlab-transpile`: Portlab's own C-to-Rust transpiler, behind `portlab transpile`.
//!
//! clang parses each C file (`clang -Xclang -ast-dump=json -fsyntax-only`); the JSON AST carries
//! the type of every expression and every implicit conversion. [`program`] gathers the
//! declarations of all files and decides which module emits each one (once); [`translate`] turns
//! them into Rust built with `quote`, formatted by `prettyplease`. One module per C file (headers
//! become `<name>_h` modules), written to `transpiled/src`. See docs/transpiler.md.

pub mod ast;
pub mod cli;
pub mod ctype;
pub mod program;
pub mod rust;
pub mod safety;
pub mod translate;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use proc_macro2::TokenStream;
use quote::quote;

use program::{Layout, ModPath, Owner, Program, TErr, Tu, is_foreign};
use rust::ident;
use translate::ModCx;

/// The command that regenerates the transpiled stage (named in every generated file).
pub const REGENERATE: &str = "cargo run -p portlab -- transpile";

/// What to transpile and where to.
#[derive(Clone, Debug)]
pub struct Options {
    /// Workspace root (absolute).
    pub root: PathBuf,
    /// C files, workspace-relative.
    pub files: Vec<String>,
    /// `-I` folders, workspace-relative (or absolute).
    pub includes: Vec<String>,
    /// `-D` definitions (`NAME` or `NAME=VALUE`).
    pub defines: Vec<String>,
    /// `-std=` value.
    pub std: String,
    /// Extra clang flags.
    pub extra_flags: Vec<String>,
    pub clang: String,
    /// Output crate folder (absolute or workspace-relative).
    pub out_dir: PathBuf,
    pub layout: Layout,
    /// Name of the generated package.
    pub crate_name: String,
    /// Path (workspace-relative) of the vp8-asm crate, if it exists: the generated crate depends
    /// on it so the kernels' objects are linked.
    pub asm_crate: Option<String>,
    /// Transpiling the project's own C stage (the generated Cargo.toml gets the test deps).
    pub project: bool,
    /// A C program transpiled after the library, into a binary of the same crate that calls
    /// the library's Rust items (the project's CLI, `upstream-c/tools`).
    pub bin: Option<BinOptions>,
    /// The command that regenerates the output, named in every generated file's first line.
    pub regenerate: String,
}

/// A C program (with `main`) that becomes `src/bin/<name>/` of the generated crate. Its own files
/// are translated; whatever it uses from the library's files comes from the library crate.
#[derive(Clone, Debug)]
pub struct BinOptions {
    /// The binary's name (also its folder under `src/bin/`).
    pub name: String,
    /// C files, workspace-relative.
    pub files: Vec<String>,
    /// `-I` folders (the library's `-D` and `-std` apply too).
    pub includes: Vec<String>,
    /// The folder whose layout its modules mirror.
    pub src_dir: String,
}

impl Options {
    /// The project's C stage: `upstream-c/src/*.c` and `src/x86/*.c` into `transpiled/`, and the
    /// CLI `upstream-c/tools/*.c` into its binary `vp8dec-transpiled`.
    pub fn project_default(root: &Path) -> Options {
        let c_files = |dirs: &[&str]| {
            let mut files = Vec::new();
            for dir in dirs {
                if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
                    let mut v: Vec<String> = entries
                        .filter_map(|e| e.ok())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| n.ends_with(".c"))
                        .map(|n| format!("{dir}/{n}"))
                        .collect();
                    v.sort();
                    files.extend(v);
                }
            }
            files
        };
        let files = c_files(&["upstream-c/src", "upstream-c/src/x86"]);
        let tools = c_files(&["upstream-c/tools"]);
        let bin = (!tools.is_empty()).then(|| BinOptions {
            name: "vp8dec-transpiled".to_string(),
            files: tools,
            includes: vec![
                "upstream-c/include".to_string(),
                "upstream-c/tools".to_string(),
            ],
            src_dir: "upstream-c/tools".to_string(),
        });
        let mut includes = vec![
            "upstream-c/include".to_string(),
            "upstream-c/src".to_string(),
        ];
        let mut asm_include_dirs = Vec::new();
        if root.join("asm/include").is_dir() {
            includes.push("asm/include".to_string());
            asm_include_dirs.push("asm/include".to_string());
        }
        let asm_crate = root
            .join("asm/Cargo.toml")
            .is_file()
            .then(|| "asm".to_string());
        Options {
            root: root.to_path_buf(),
            files,
            includes,
            defines: Vec::new(),
            std: "c11".to_string(),
            extra_flags: Vec::new(),
            clang: std::env::var("CLANG").unwrap_or_else(|_| "clang".to_string()),
            out_dir: root.join("transpiled"),
            layout: Layout {
                root: root.to_path_buf(),
                src_dir: "upstream-c/src".to_string(),
                root_file: Some("upstream-c/src/lib.c".to_string()),
                asm_include_dirs,
                asm_rust_crate: asm_crate.as_ref().map(|_| "vp8_asm".to_string()),
                extern_crate: None,
            },
            crate_name: "vp8-transpiled".to_string(),
            asm_crate,
            project: true,
            bin,
            regenerate: REGENERATE.to_string(),
        }
    }
}

impl Options {
    /// C that is not the project's: the given files (relative to `root`) into a standalone crate
    /// at `out_dir` (its own `[workspace]`, no workspace inheritance, no asm crate), named after
    /// the output folder.
    pub fn standalone(root: &Path, files: Vec<String>, out_dir: PathBuf) -> Options {
        let crate_name = out_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .map(|n| {
                n.chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '_' {
                            c
                        } else {
                            '-'
                        }
                    })
                    .collect::<String>()
            })
            .filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic()))
            .unwrap_or_else(|| "transpiled".to_string());
        Options {
            root: root.to_path_buf(),
            files,
            includes: Vec::new(),
            defines: Vec::new(),
            std: "c11".to_string(),
            extra_flags: Vec::new(),
            clang: std::env::var("CLANG").unwrap_or_else(|_| "clang".to_string()),
            out_dir,
            layout: Layout {
                root: root.to_path_buf(),
                src_dir: String::new(),
                root_file: None,
                asm_include_dirs: Vec::new(),
                asm_rust_crate: None,
                extern_crate: None,
            },
            crate_name,
            asm_crate: None,
            project: false,
            bin: None,
            regenerate: "portlab transpile".to_string(),
        }
    }
}

#[derive(Debug)]
pub enum Error {
    /// clang could not be run at all.
    NoClang(String),
    /// clang rejected a file.
    Clang {
        file: String,
        stderr: String,
    },
    /// Constructs the transpiler cannot translate (each with file:line:col).
    Translate(Vec<TErr>),
    Io(String),
    /// `--check`: the committed output differs.
    Stale {
        report: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NoClang(e) => write!(f, "cannot run clang: {e}"),
            Error::Clang { file, stderr } => write!(f, "clang failed on {file}:\n{stderr}"),
            Error::Translate(errs) => {
                // A header seen by several files reports the same problem once.
                let unique: BTreeSet<String> = errs.iter().map(|e| e.to_string()).collect();
                for e in &unique {
                    writeln!(f, "{e}")?;
                }
                write!(f, "{} construct(s) could not be translated", unique.len())
            }
            Error::Io(e) => write!(f, "{e}"),
            Error::Stale { report } => write!(f, "{report}"),
        }
    }
}

impl std::error::Error for Error {}

/// Is clang runnable?
pub fn clang_available(clang: &str) -> bool {
    Command::new(clang)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Parse one file with clang into a JSON AST with complete locations.
fn parse_file(opts: &Options, includes: &[String], file: &str) -> Result<Tu, Error> {
    let mut cmd = Command::new(&opts.clang);
    cmd.current_dir(&opts.root)
        .args([
            "-Xclang",
            "-ast-dump=json",
            "-fsyntax-only",
            "-fparse-all-comments",
        ])
        .arg(format!("-std={}", opts.std))
        .arg("--target=x86_64-unknown-linux-gnu");
    for i in includes {
        cmd.arg(format!("-I{i}"));
    }
    for d in &opts.defines {
        cmd.arg(format!("-D{d}"));
    }
    cmd.args(&opts.extra_flags);
    cmd.arg(file);
    let out = cmd
        .output()
        .map_err(|e| Error::NoClang(format!("{}: {e}", opts.clang)))?;
    if !out.status.success() {
        return Err(Error::Clang {
            file: file.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    let mut de = serde_json::Deserializer::from_slice(&out.stdout);
    de.disable_recursion_limit();
    let mut root: serde_json::Value = serde::Deserialize::deserialize(&mut de)
        .map_err(|e| Error::Io(format!("{file}: clang's JSON: {e}")))?;
    ast::fill_locations(&mut root);
    Ok(Tu {
        file: file.to_string(),
        root,
        clang_dir: opts.root.clone(),
    })
}

/// Generated files: path relative to the output folder -> contents.
pub type Files = BTreeMap<String, String>;

/// Run the whole transpilation in memory.
pub fn transpile(opts: &Options) -> Result<Files, Error> {
    // Deeply nested ASTs recurse deeply: give the work a large stack.
    let opts = opts.clone();
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(move || transpile_inner(&opts))
        .map_err(|e| Error::Io(e.to_string()))?
        .join()
        .unwrap_or_else(|_| Err(Error::Io("transpiler thread panicked".into())))
}

fn transpile_inner(opts: &Options) -> Result<Files, Error> {
    let mut tus = Vec::new();
    for f in &opts.files {
        tus.push(parse_file(opts, &opts.includes, f)?);
    }
    let prog = Program::collect(&tus, opts.layout.clone()).map_err(Error::Translate)?;
    nothing_dropped(&prog, opts)?;
    let (mut files, mut deps) = emit(&prog, opts, "src")?;
    if let Some(bin) = &opts.bin {
        let mut bin_tus = Vec::new();
        for f in &bin.files {
            bin_tus.push(parse_file(opts, &bin.includes, f)?);
        }
        let layout = Layout {
            src_dir: bin.src_dir.clone(),
            root_file: None,
            extern_crate: Some(prog.as_extern_crate(&opts.crate_name.replace('-', "_"))),
            ..opts.layout.clone()
        };
        let bin_prog = Program::collect(&bin_tus, layout).map_err(Error::Translate)?;
        if main_fn(&bin_prog).is_none() {
            return Err(Error::Io(format!(
                "{}: no translated file defines `main`, so there is no program to build",
                bin.src_dir
            )));
        }
        let (bin_files, bin_deps) = emit(&bin_prog, opts, &format!("src/bin/{}", bin.name))?;
        files.extend(bin_files);
        deps.libc |= bin_deps.libc;
        deps.asm_crate |= bin_deps.asm_crate;
    }
    files.insert("Cargo.toml".to_string(), cargo_toml(opts, &deps));
    Ok(files)
}

/// Refuse to write a crate in which an input file left no trace: that happens when the file lies
/// outside the translation root (its declarations are then taken for system headers) or holds no
/// definitions, and an empty module with exit status 0 would hide it.
fn nothing_dropped(prog: &Program, opts: &Options) -> Result<(), Error> {
    let translated: BTreeSet<&str> = prog
        .items
        .iter()
        .filter(|(_, items)| !items.is_empty())
        .filter_map(|(m, _)| prog.module_file.get(m).map(String::as_str))
        .collect();
    let empty: Vec<&String> = opts
        .files
        .iter()
        .filter(|f| !translated.contains(f.as_str()))
        .collect();
    if empty.is_empty() {
        return Ok(());
    }
    let list = empty
        .iter()
        .map(|f| format!("  {f}"))
        .collect::<Vec<_>>()
        .join("\n");
    Err(Error::Io(format!(
        "nothing was translated from {} of the input files (no definitions, or outside the \
         translation root {}):\n{list}",
        empty.len(),
        opts.root.display()
    )))
}

/// The crates a generated crate's code uses.
#[derive(Default)]
struct Deps {
    libc: bool,
    asm_crate: bool,
}

/// The module defining C's `main`, if the program has one.
fn main_fn(prog: &Program) -> Option<ModPath> {
    match &prog.fns.get("main")?.owner {
        Owner::Module(m) if !is_foreign(m) => Some(m.clone()),
        _ => None,
    }
}

struct ModuleOut {
    file: String,
    items: TokenStream,
    imports: BTreeSet<(ModPath, String)>,
    /// The body comments its items' marker statements name.
    comments: Vec<String>,
}

/// One crate's sources (`src` is the folder of its root, `src` or `src/bin/NAME`). A program that
/// defines `main` gets `main.rs` as root, with a Rust `fn main` that calls it.
fn emit(prog: &Program, opts: &Options, src: &str) -> Result<(Files, Deps), Error> {
    let mut errors = Vec::new();
    let mut modules: BTreeMap<ModPath, ModuleOut> = BTreeMap::new();
    let mut aligns = BTreeSet::new();
    let mut uses_libc = false;
    let mut asm_used = BTreeSet::new();
    let mut uses_asm_crate = false;
    let mut c_globals: BTreeSet<(String, String)> = BTreeSet::new();
    let mut c_fns: BTreeSet<(String, String)> = BTreeSet::new();
    // Every translation unit is a module, even an empty one (stubs), so the tree mirrors the C.
    let mut all_modules: BTreeSet<ModPath> = prog.module_file.keys().cloned().collect();
    all_modules.extend(prog.items.keys().cloned());
    for m in &all_modules {
        let mut cx = ModCx::new(prog, m.clone());
        let mut items = TokenStream::new();
        let module_items = prog.items.get(m).map(Vec::as_slice).unwrap_or(&[]);
        // The file's comments outside its declarations, as marker items beside them.
        let file_comments = cx.file_comments(module_items);
        let mut markers = Vec::new();
        for (i, item) in module_items.iter().enumerate() {
            cx.tu = item.tu;
            let t = match cx.item(item.kind, &item.name, item.node) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            // An item that writes nothing (`typedef struct s s;`) has no line for its
            // comments: beside another item they would describe it.
            if t.is_empty() {
                continue;
            }
            cx.comment_markers(Some(&file_comments.before[i]), &mut markers);
            items.extend(markers.drain(..));
            items.extend(t);
            cx.trailing_comment_markers(&file_comments.after[i], &mut markers);
            items.extend(markers.drain(..));
        }
        cx.comment_markers(Some(&file_comments.at_end), &mut markers);
        items.extend(markers);
        aligns.extend(cx.aligns.iter().copied());
        uses_libc |= cx.uses_libc;
        if let Some(krate) = &prog.layout.asm_rust_crate {
            let asm = format!("@{krate}");
            uses_asm_crate |= cx.imports.iter().any(|(m, _)| m.first() == Some(&asm));
        }
        c_globals.extend(cx.c_globals.iter().cloned());
        c_fns.extend(cx.c_fns.iter().cloned());
        asm_used.extend(cx.asm_used.iter().cloned());
        let file = prog.module_file.get(m).cloned().unwrap_or_default();
        modules.insert(
            m.clone(),
            ModuleOut {
                file,
                items,
                imports: cx.imports,
                comments: cx.comment_texts,
            },
        );
    }
    let main_module = main_fn(prog);
    let mut start = TokenStream::new();
    if let Some(m) = &main_module {
        match main_wrapper(prog, m) {
            Ok(t) => start = t,
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Translate(errors));
    }
    let root_file = if main_module.is_some() {
        "main.rs"
    } else {
        "lib.rs"
    };
    let mut files = Files::new();
    // Module tree: children of every module path.
    let mut children: BTreeMap<ModPath, BTreeSet<String>> = BTreeMap::new();
    for m in modules.keys() {
        for i in 0..m.len() {
            children
                .entry(m[..i].to_vec())
                .or_default()
                .insert(m[i].clone());
        }
    }
    if !asm_used.is_empty() {
        children
            .entry(Vec::new())
            .or_default()
            .insert("asm".to_string());
    }
    let mut paths: BTreeSet<ModPath> = modules.keys().cloned().collect();
    paths.extend(children.keys().cloned());
    paths.insert(Vec::new());
    for m in &paths {
        let out = modules.get(m);
        let is_root = m.is_empty();
        let has_children = children.get(m).is_some_and(|c| !c.is_empty());
        let rel = if is_root {
            format!("{src}/{root_file}")
        } else if has_children {
            format!("{src}/{}/mod.rs", m.join("/"))
        } else {
            format!("{src}/{}.rs", m.join("/"))
        };
        let source = out.map(|o| o.file.clone()).filter(|f| !f.is_empty());
        let mut body = TokenStream::new();
        if let Some(src) = &source {
            body.extend(file_doc(&opts.root.join(src)));
        } else if let (true, Some(m)) = (is_root, &main_module) {
            let d = format!(
                " The C program of `{}` (its `main` is in `{}`), one module per C file.",
                prog.layout.src_dir,
                m.join("::")
            );
            body.extend(quote!(#![doc = #d]));
        } else if !is_root {
            let d = format!(
                " The module tree of `{}/{}`.",
                prog.layout.src_dir,
                m.join("/")
            );
            body.extend(quote!(#![doc = #d]));
        }
        if is_root {
            // The output is prettyplease's and CI checks it byte for byte against the generator, so
            // `cargo fmt` must leave it alone: the crate root skips itself (the cfg_attr form is the
            // stable spelling of an inner skip) and every module item below carries
            // `#[rustfmt::skip]`.
            body.extend(quote!(#![cfg_attr(rustfmt, rustfmt::skip)]));
            body.extend(quote! {
                #![allow(
                    non_camel_case_types,
                    non_snake_case,
                    non_upper_case_globals,
                    dead_code,
                    unused_mut,
                    unused_unsafe,
                    unused_parens,
                    unused_imports,
                    unused_assignments,
                    unused_variables,
                    unreachable_code,
                    unsafe_op_in_unsafe_fn,
                    static_mut_refs,
                    clippy::all
                )]
            });
            if main_module.is_some() {
                // Under `cargo test` the harness brings its own main.
                body.extend(quote!(#![cfg_attr(not(test), no_main)]));
            }
        }
        if let Some(kids) = children.get(m) {
            for k in kids {
                let id = ident(k);
                body.extend(quote!(#[rustfmt::skip] pub mod #id;));
            }
        }
        if is_root {
            if !c_globals.is_empty() {
                // C library objects the libc crate does not declare (stdout, stderr, ...).
                let decls = c_globals.iter().map(|(name, ty)| {
                    let id = ident(name);
                    let t: TokenStream = ty.parse().unwrap();
                    quote!(pub static mut #id: #t;)
                });
                body.extend(quote!(unsafe extern "C" { #(#decls)* }));
            }
            if !c_fns.is_empty() {
                // C library functions the libc crate lacks or that take callbacks, with C's own
                // prototype (see `declare_libc_fn`).
                let decls = c_fns.iter().map(|(_, d)| d.parse::<TokenStream>().unwrap());
                body.extend(quote!(unsafe extern "C" { #(#decls)* }));
            }
            for a in &aligns {
                let id =
                    proc_macro2::Ident::new(&format!("Align{a}"), proc_macro2::Span::call_site());
                let n = proc_macro2::Literal::u32_unsuffixed(*a);
                let doc = format!(" A C object declared `__attribute__((aligned({a})))`.");
                body.extend(quote! {
                    #[doc = #doc]
                    #[repr(C, align(#n))]
                    #[derive(Clone, Copy)]
                    pub struct #id<T>(pub T);
                });
            }
        }
        if is_root {
            body.extend(start.clone());
        }
        if let Some(o) = out {
            // Imports, grouped by module.
            let mut by_mod: BTreeMap<&ModPath, Vec<&String>> = BTreeMap::new();
            for (mp, name) in &o.imports {
                by_mod.entry(mp).or_default().push(name);
            }
            for (mp, names) in by_mod {
                let p = rust::path(&program::mod_path_str(mp));
                let ids = names.iter().map(|n| ident(n));
                body.extend(quote!(use #p::{#(#ids),*};));
            }
            body.extend(o.items.clone());
        }
        let header = match &source {
            Some(src) => format!(
                "// Generated by `{}` from {src}; do not edit.\n",
                opts.regenerate
            ),
            None if is_root => format!("// Generated by `{}`; do not edit.\n", opts.regenerate),
            None => format!(
                "// Generated by `{}` (module index); do not edit.\n",
                opts.regenerate
            ),
        };
        let comments = out.map_or(&[][..], |o| &o.comments);
        let text = format_file(&rel, body, comments)?;
        files.insert(rel, header + &text);
    }
    if !asm_used.is_empty() {
        let rel = format!("{src}/asm.rs");
        let mut decls = TokenStream::new();
        let mut sources = BTreeSet::new();
        for name in &asm_used {
            let info = prog.fns.get(name).unwrap();
            debug_assert_eq!(info.owner, Owner::Asm);
            let t = asm_decl(prog, name, &info.ty).map_err(|e| Error::Translate(vec![e]))?;
            decls.extend(t);
            sources.insert(name.clone());
        }
        let dirs = opts.layout.asm_include_dirs.join(", ");
        let doc = format!(
            " The asm kernels the C stage installs, declared once (from the headers in {dirs})."
        );
        let body = quote! {
            #![doc = #doc]
            unsafe extern "C" { #decls }
        };
        let text = format_file(&rel, body, &[])?;
        files.insert(
            rel,
            format!(
                "// Generated by `{}` from {dirs}; do not edit.\n",
                opts.regenerate
            ) + &text,
        );
    }
    Ok((
        files,
        Deps {
            libc: uses_libc,
            asm_crate: uses_asm_crate,
        },
    ))
}

/// Rust's `fn main` for a C program: C's startup passes `main` the arguments as modifiable
/// NUL-terminated strings followed by a null pointer, and returning from `main` is `exit` with
/// its value (which also flushes C's stdio buffers). `int main(void)` gets no arguments.
fn main_wrapper(prog: &Program, module: &ModPath) -> Result<TokenStream, TErr> {
    let info = &prog.fns["main"];
    let bad = |msg: &str| {
        let pos = prog
            .items
            .get(module)
            .and_then(|items| items.iter().find(|i| i.name == "main"))
            .map(|i| i.pos.clone());
        TErr {
            pos,
            construct: "main".into(),
            msg: msg.into(),
        }
    };
    if module.is_empty() {
        return Err(bad(
            "the file defining `main` cannot be the crate root file: Rust's `fn main` goes there",
        ));
    }
    let ctype::CType::Func { ret, params, .. } = &prog.env.canon(&info.ty).ty else {
        return Err(bad("not a function"));
    };
    let mut cx = ModCx::new(prog, module.clone());
    let null = serde_json::Value::Null;
    let int = rust::RTy::Prim("i32");
    let argv_ty = rust::RTy::Ptr {
        mutable: true,
        to: Box::new(rust::RTy::Ptr {
            mutable: true,
            to: Box::new(rust::RTy::Prim("i8")),
        }),
    };
    let mut ps = Vec::new();
    for p in params {
        let t = match &prog.env.canon(p).ty {
            ctype::CType::Array(e, _) => ctype::QType::new(ctype::CType::Pointer(e.clone())),
            _ => p.clone(),
        };
        let r = cx.rty(&null, &t)?;
        ps.push(cx.canon_rty(&r));
    }
    let r = cx.rty(&null, ret)?;
    if cx.canon_rty(&r) != int {
        return Err(bad("`main` must return int"));
    }
    let path = rust::path(&format!("{}::main", program::mod_path_str(module)));
    let call = if ps.is_empty() {
        quote!(#path())
    } else if ps == [int, argv_ty] {
        quote!(#path(argc, argv))
    } else {
        return Err(bad(
            "`main` must be `int main(void)` or `int main(int argc, char **argv)`",
        ));
    };
    Ok(quote! {
        /// C's entry point (the crate is `#![no_main]`): C's start-up code passes the program's
        /// `argc`/`argv` and turns the return into `exit`, which flushes C's stdio. Rust's own
        /// start-up is skipped because it would reopen a closed stdout on /dev/null and ignore
        /// SIGPIPE, which a C program neither expects nor reports.
        #[cfg(not(test))]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn main(argc: i32, argv: *mut *mut i8) -> i32 {
            unsafe { #call }
        }
    })
}

fn asm_decl(prog: &Program, name: &str, ty: &ctype::QType) -> Result<TokenStream, TErr> {
    let mut cx = ModCx::new(prog, vec!["asm".to_string()]);
    let ctype::CType::Func { ret, params, .. } = &ty.ty else {
        return Err(TErr {
            pos: None,
            construct: name.into(),
            msg: "not a function".into(),
        });
    };
    let null = serde_json::Value::Null;
    let mut ps = Vec::new();
    for (i, p) in params.iter().enumerate() {
        let t = cx.rty(
            &null,
            &match &cx.prog.env.canon(p).ty {
                ctype::CType::Array(e, _) => ctype::QType::new(ctype::CType::Pointer(e.clone())),
                _ => p.clone(),
            },
        )?;
        let a = proc_macro2::Ident::new(&format!("arg{i}"), proc_macro2::Span::call_site());
        ps.push(quote!(#a: #t));
    }
    let r = cx.rty(&null, ret)?;
    let r = if r == rust::RTy::Unit {
        quote!()
    } else {
        quote!(-> #r)
    };
    let id = ident(name);
    Ok(quote!(pub fn #id(#(#ps),*) #r;))
}

/// The C file's leading block comment as the module's `//!` documentation.
fn file_doc(path: &Path) -> TokenStream {
    let Ok(text) = std::fs::read_to_string(path) else {
        return quote!();
    };
    let t = text.trim_start();
    let Some(rest) = t.strip_prefix("/*") else {
        return quote!();
    };
    let Some(end) = rest.find("*/") else {
        return quote!();
    };
    // Its lines keep their indentation relative to each other, as `///` docs' do.
    let lines = translate::comments::block_comment_lines(&rest[..end]);
    let attrs = translate::doc_texts(&lines)
        .into_iter()
        .map(|l| quote!(#![doc = #l]));
    quote!(#(#attrs)*)
}

/// Parse and format a generated file, then put the body comments in place of their markers
/// (prettyplease would drop comments).
fn format_file(rel: &str, body: TokenStream, comments: &[String]) -> Result<String, Error> {
    let file: syn::File = syn::parse2(body.clone()).map_err(|e| {
        Error::Io(format!(
            "internal error: generated {rel} does not parse: {e}\n{}",
            excerpt(&body.to_string(), &e)
        ))
    })?;
    let text = prettyplease::unparse(&file);
    translate::comments::place(&text, comments)
        .map_err(|e| Error::Io(format!("internal error: generated {rel}: {e}")))
}

fn excerpt(text: &str, e: &syn::Error) -> String {
    // Keep the unparsable tokens for inspection.
    let path = std::env::temp_dir().join("portlab-unparsable.rs.txt");
    let _ = std::fs::write(&path, text);
    format!("({e}; tokens written to {})", path.display())
}

fn cargo_toml(opts: &Options, deps: &Deps) -> String {
    let (uses_libc, uses_asm_crate) = (deps.libc, deps.asm_crate);
    let mut s = String::new();
    writeln!(s, "# Generated by `{}`; do not edit.", opts.regenerate).unwrap();
    writeln!(s, "[package]").unwrap();
    writeln!(s, "name = \"{}\"", opts.crate_name).unwrap();
    let what = if opts.project {
        "Portlab's transpiled stage: the C decoder (upstream-c) as unsafe Rust generated by `portlab transpile`"
    } else {
        "C translated to unsafe Rust by `portlab transpile`"
    };
    writeln!(s, "description = \"{what}\"").unwrap();
    if opts.project {
        for k in ["version", "edition", "rust-version", "publish"] {
            writeln!(s, "{k}.workspace = true").unwrap();
        }
    } else {
        writeln!(
            s,
            "version = \"0.1.0\"\nedition = \"2024\"\npublish = false"
        )
        .unwrap();
    }
    writeln!(s, "\n[dependencies]").unwrap();
    if uses_libc {
        writeln!(s, "libc = \"0.2\"").unwrap();
    }
    match &opts.asm_crate {
        // The kernels' objects are linked from vp8-asm, which declares them at its root.
        Some(p) if uses_asm_crate => writeln!(s, "vp8-asm = {{ path = \"../{p}\" }}").unwrap(),
        Some(_) => {}
        None if opts.project => writeln!(
            s,
            "# vp8-asm: added automatically once asm/Cargo.toml exists (the kernels' objects are linked from it)."
        )
        .unwrap(),
        None => {}
    }
    if let Some(bin) = &opts.bin {
        writeln!(
            s,
            "\n# {}/*.c transpiled into a program that calls this library (no unit tests).",
            bin.src_dir
        )
        .unwrap();
        writeln!(
            s,
            "[[bin]]\nname = \"{0}\"\npath = \"src/bin/{0}/main.rs\"\ntest = false",
            bin.name
        )
        .unwrap();
    }
    if !opts.project {
        writeln!(
            s,
            "\n# A crate of its own, wherever it is written (not a member of a surrounding workspace).\n[workspace]"
        )
        .unwrap();
    }
    if opts.project {
        writeln!(
            s,
            "\n# For the hand-written tests/: the corpus through the stage contract's IVF and MD5\n\
             # helpers; tests/kernels.rs compares the transpiled DSP code with the C stage's."
        )
        .unwrap();
        writeln!(
            s,
            "[dev-dependencies]\nvp8-stage = {{ path = \"../migrate-tools/stage\" }}\n\
             vp8-c = {{ path = \"../upstream-c\" }}"
        )
        .unwrap();
    }
    s
}

/// Write the files into `out_dir`, removing generated `.rs` files that are no longer produced.
pub fn write(out_dir: &Path, files: &Files) -> Result<(), Error> {
    let io = |e: std::io::Error, p: &Path| Error::Io(format!("{}: {e}", p.display()));
    for (rel, text) in files {
        let p = out_dir.join(rel);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(e, dir))?;
        }
        let same = std::fs::read_to_string(&p).is_ok_and(|old| old == *text);
        if !same {
            std::fs::write(&p, text).map_err(|e| io(e, &p))?;
        }
    }
    for stale in existing_generated(out_dir) {
        if !files.contains_key(&stale) {
            let p = out_dir.join(&stale);
            std::fs::remove_file(&p).map_err(|e| io(e, &p))?;
        }
    }
    Ok(())
}

/// The `.rs` files under `out_dir/src` (relative paths).
fn existing_generated(out_dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(out_dir.join("src"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            e.path()
                .strip_prefix(out_dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

/// Compare freshly generated files with `out_dir`; a report of every difference, or None.
pub fn check(out_dir: &Path, files: &Files) -> Option<String> {
    let mut report = String::new();
    for (rel, text) in files {
        let p = out_dir.join(rel);
        match std::fs::read_to_string(&p) {
            Ok(old) if old == *text => {}
            Ok(old) => {
                let diff = similar::TextDiff::from_lines(&old, text);
                write!(
                    report,
                    "{}",
                    diff.unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{rel}"), &format!("b/{rel}"))
                )
                .unwrap();
            }
            Err(_) => writeln!(report, "missing: {} (would be generated)", p.display()).unwrap(),
        }
    }
    for stale in existing_generated(out_dir) {
        if !files.contains_key(&stale) {
            writeln!(
                report,
                "stale: {} (no longer generated)",
                out_dir.join(&stale).display()
            )
            .unwrap();
        }
    }
    if report.is_empty() {
        None
    } else {
        Some(report)
    }
}
