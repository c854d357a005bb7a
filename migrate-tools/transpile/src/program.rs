//! The whole C program as the transpiler sees it: every translation unit's AST, the types of all
//! of them ([`TypeEnv`]), and for every name the module that owns (emits) it. Declarations that
//! several translation units see through a header (struct definitions, `static inline` helpers)
//! belong to the header's module and are emitted once there.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::ast::{self, Node, Pos};
use super::ctype::{
    CType, EnumInfo, FieldInfo, IntKind, QType, RecordInfo, TypeEnv, TypedefInfo, parse_type,
};

/// Module path inside the generated crate; empty = crate root.
pub type ModPath = Vec<String>;

/// A module of another crate (`@name` first): its items are referenced, never emitted here.
pub fn is_foreign(m: &ModPath) -> bool {
    m.first().is_some_and(|f| f.starts_with('@'))
}

pub fn mod_path_str(m: &ModPath) -> String {
    match m.first() {
        None => "crate".to_string(),
        // Another crate: `@name`.
        Some(first) if first.starts_with('@') => m.join("::")[1..].to_string(),
        Some(_) => format!("crate::{}", m.join("::")),
    }
}

/// A translation error: where, which construct, why.
#[derive(Clone, Debug)]
pub struct TErr {
    pub pos: Option<Pos>,
    pub construct: String,
    pub msg: String,
}

impl fmt::Display for TErr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pos {
            Some(p) => write!(f, "{}:{}:{}: ", p.file, p.line, p.col)?,
            None => write!(f, "<unknown location>: ")?,
        }
        write!(f, "cannot translate `{}`: {}", self.construct, self.msg)
    }
}

pub type TResult<T> = Result<T, TErr>;

pub fn err<T>(n: &Node, construct: &str, msg: impl Into<String>) -> TResult<T> {
    Err(TErr {
        pos: ast::pos(n),
        construct: construct.to_string(),
        msg: msg.into(),
    })
}

/// One parsed C file.
#[derive(Debug)]
pub struct Tu {
    /// The .c file, relative to the workspace root.
    pub file: String,
    pub root: Value,
    /// How clang's file names (relative to the directory clang ran in) map to workspace paths.
    pub clang_dir: PathBuf,
}

/// Where a referenced name comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    /// Emitted by the transpiler in this module.
    Module(ModPath),
    /// A C library function or object (`libc::name`), or one of our special cases.
    Libc,
    /// An asm kernel declared in the asm headers.
    Asm,
}

#[derive(Clone, Debug)]
pub struct FnInfo {
    pub owner: Owner,
    pub ty: QType,
}

#[derive(Clone, Debug)]
pub struct GlobalInfo {
    pub owner: Owner,
    pub ty: QType,
    /// Emitted as `static mut` (C object not const, or holding raw pointers).
    pub is_mut: bool,
    /// `_Thread_local`: a `thread_local!` `Cell`, used through the pointer to this thread's copy.
    pub tls: bool,
}

#[derive(Clone, Debug)]
pub struct EnumConstInfo {
    pub owner: ModPath,
    pub value: i128,
    /// The Rust type of the constant: its enum's (`u32`, or `i32` when a value is negative);
    /// `i32`, C's type of every enumerator, for an anonymous enum, which has no type name.
    pub ty: &'static str,
}

/// A `#define NAME literal` emitted as `pub const NAME: T = literal;`.
#[derive(Clone, Debug)]
pub struct MacroConst {
    pub name: String,
    pub owner: ModPath,
    pub file: String,
    pub offset: u64,
    /// The literal in Rust syntax.
    pub text: String,
    pub ty: QType,
    /// Its value (decimal).
    pub value: String,
}

static MACRO_NODE: Value = Value::Null;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    Macro,
    Typedef,
    Record,
    Enum,
    Function,
    Global,
}

/// A definition to emit.
#[derive(Clone, Debug)]
pub struct Item<'a> {
    pub kind: ItemKind,
    pub name: String,
    pub node: &'a Node,
    pub tu: usize,
    pub pos: Pos,
}

/// Settings of one transpilation.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Workspace root (absolute).
    pub root: PathBuf,
    /// The main source folder (workspace-relative, e.g. `upstream-c/src`): its files become
    /// modules by their path below it, subfolders becoming nested modules.
    pub src_dir: String,
    /// The file whose module is the crate root (e.g. `upstream-c/src/lib.c`), if any.
    pub root_file: Option<String>,
    /// Headers below these folders declare asm kernels.
    pub asm_include_dirs: Vec<String>,
    /// The Rust crate that declares the asm kernels at its root (`vp8_asm`): kernels are
    /// imported from it. None: the transpiler declares them itself in `asm.rs`.
    pub asm_rust_crate: Option<String>,
    /// A crate transpiled before this one whose definitions this program uses (the CLI uses the
    /// decoder library): declarations of the files it owns are imported from it, not emitted.
    pub extern_crate: Option<ExternCrate>,
}

/// What another transpiled crate defines, and where, as seen by a program that links it.
#[derive(Clone, Debug, Default)]
pub struct ExternCrate {
    /// Its Rust name (`vp8_transpiled`).
    pub name: String,
    /// Its module of each workspace file whose declarations it emits.
    pub files: BTreeMap<String, ModPath>,
    /// Its functions and objects with external linkage: name -> module.
    pub values: BTreeMap<String, ModPath>,
    /// Its named types: name -> module.
    pub types: BTreeMap<String, ModPath>,
    /// Its `#define NAME literal` consts: name -> (defining file, module).
    pub macros: BTreeMap<String, (String, ModPath)>,
}

impl ExternCrate {
    /// A module of that crate as seen from this one (`@name` first, then its path).
    pub fn path(&self, m: &ModPath) -> ModPath {
        let mut out = vec![format!("@{}", self.name)];
        out.extend(m.iter().cloned());
        out
    }

    fn file_module(&self, ws_file: &str) -> Option<ModPath> {
        self.files.get(ws_file).map(|m| self.path(m))
    }

    fn value_module(&self, name: &str) -> Option<ModPath> {
        self.values.get(name).map(|m| self.path(m))
    }
}

/// Which declarations share a doc: (the translation unit of a `static` one, name).
pub type DocKey = (Option<usize>, String);

pub struct Program<'a> {
    pub tus: &'a [Tu],
    pub layout: Layout,
    pub env: TypeEnv,
    /// Functions with external linkage (and header `static inline` ones), by name.
    pub fns: BTreeMap<String, FnInfo>,
    /// `static` functions of one .c file: (tu, name).
    pub tu_fns: BTreeMap<(usize, String), FnInfo>,
    pub globals: BTreeMap<String, GlobalInfo>,
    pub tu_globals: BTreeMap<(usize, String), GlobalInfo>,
    pub enum_consts: BTreeMap<String, EnumConstInfo>,
    /// Owner module of every emitted type name (struct, union, enum alias, typedef alias).
    pub type_owner: BTreeMap<String, ModPath>,
    /// Items to emit, per module, in source order.
    pub items: BTreeMap<ModPath, Vec<Item<'a>>>,
    /// The source file of each module.
    pub module_file: BTreeMap<ModPath, String>,
    /// Names of module-level values (consts, statics): locals with these names are renamed.
    pub value_names: BTreeSet<String>,
    /// `#define NAME literal` macros used in the code, by name.
    pub macro_consts: BTreeMap<String, MacroConst>,
    /// Anonymous structs/unions named by a typedef (`typedef struct { .. } pair;`): (tu, the
    /// record's clang id) -> the typedef's name, which clang also uses as the type's name.
    anon_tags: BTreeMap<(usize, String), String>,
    /// Functions emitted as plain `fn` rather than `unsafe extern "C" fn` (safety.rs).
    pub plain_fns: BTreeSet<String>,
    /// The commented declarations of a function or object that define nothing (a header's
    /// prototype, an `extern` object): (the translation unit for a `static` one, name) -> (tu,
    /// node), in the order read. A header documents its API there, and the definition the
    /// item is emitted from is often uncommented, so the definition takes these comments too.
    pub decl_docs: BTreeMap<DocKey, Vec<(usize, &'a Node)>>,
    /// Functions clang knows as builtins of the C library (`memcpy`, `strlen`, `strtoul`): it
    /// declares each implicitly and prints its prototype canonically, `size_t` as `unsigned
    /// long`; every other prototype is printed as its header writes it.
    pub builtin_fns: BTreeSet<String>,
    /// The parameter names of functions declared without a body, from the first prototype
    /// that names any (`None` for a parameter it leaves unnamed): a C library function the
    /// crate root declares from its prototype keeps them (`strsep(__stringp, __delim)`).
    pub prototype_params: BTreeMap<String, Vec<Option<String>>>,
    /// Is the file-scope declaration being collected the first of a group (`heads_group`)?
    heading: bool,
    sources: std::cell::RefCell<BTreeMap<String, std::rc::Rc<String>>>,
}

/// Is the comment of declaration `n` the heading of a group rather than its own? So it is when
/// the next declaration follows on the very next line of the same file without a comment of its
/// own (`/* decode.c */` above a run of prototypes; `/* Mode probabilities. */` above five
/// tables): given to the first of the group's definitions only, it would describe that one
/// wrongly.
fn heads_group(n: &Node, next: &Node) -> bool {
    let end = n
        .get("range")
        .and_then(|r| r.get("end"))
        .map(|e| e.get("expansionLoc").unwrap_or(e));
    let (Some(end), Some(start)) = (end, ast::pos(next)) else {
        return false;
    };
    let line = end.get("line").and_then(Value::as_u64);
    let file = end.get("file").and_then(Value::as_str).map(ast::normalize);
    n.get("comment").is_some()
        && next.get("comment").is_none()
        && file.as_deref() == Some(start.file.as_str())
        && line.is_some_and(|l| l + 1 == start.line)
}

/// Lexically normalize a path (resolve `.` and `..`).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl<'a> Program<'a> {
    /// The workspace-relative path of a file as clang names it, or None for a system file.
    pub fn ws_path(&self, tu: usize, clang_file: &str) -> Option<String> {
        file_ws_path(&self.layout, &self.tus[tu].clang_dir, clang_file)
    }

    /// The module a workspace-relative file maps to.
    pub fn module_of(&self, ws_file: &str) -> ModPath {
        module_of(&self.layout, ws_file)
    }

    pub fn is_asm_header(&self, ws_file: &str) -> bool {
        self.layout
            .asm_include_dirs
            .iter()
            .any(|d| ws_file.starts_with(&format!("{d}/")))
    }

    /// What this program's crate offers to a program that links it (see [`ExternCrate`]).
    pub fn as_extern_crate(&self, rust_name: &str) -> ExternCrate {
        let local = |o: &Owner| match o {
            Owner::Module(m) if !is_foreign(m) => Some(m.clone()),
            _ => None,
        };
        let mut values = BTreeMap::new();
        for (name, f) in &self.fns {
            if let Some(m) = local(&f.owner) {
                values.insert(name.clone(), m);
            }
        }
        for (name, g) in &self.globals {
            if let Some(m) = local(&g.owner) {
                values.insert(name.clone(), m);
            }
        }
        ExternCrate {
            name: rust_name.to_string(),
            files: self
                .module_file
                .iter()
                .map(|(m, f)| (f.clone(), m.clone()))
                .collect(),
            values,
            types: self.type_owner.clone(),
            macros: self
                .macro_consts
                .iter()
                .map(|(n, c)| (n.clone(), (c.file.clone(), c.owner.clone())))
                .collect(),
        }
    }

    /// Gather declarations of every translation unit.
    pub fn collect(tus: &'a [Tu], layout: Layout) -> Result<Program<'a>, Vec<TErr>> {
        let mut p = Program {
            tus,
            layout,
            env: TypeEnv::default(),
            fns: BTreeMap::new(),
            tu_fns: BTreeMap::new(),
            globals: BTreeMap::new(),
            tu_globals: BTreeMap::new(),
            enum_consts: BTreeMap::new(),
            type_owner: BTreeMap::new(),
            items: BTreeMap::new(),
            module_file: BTreeMap::new(),
            value_names: BTreeSet::new(),
            macro_consts: BTreeMap::new(),
            anon_tags: BTreeMap::new(),
            plain_fns: BTreeSet::new(),
            decl_docs: BTreeMap::new(),
            heading: false,
            builtin_fns: BTreeSet::new(),
            prototype_params: BTreeMap::new(),
            sources: Default::default(),
        };
        for (ti, tu) in tus.iter().enumerate() {
            for n in ast::inner(&tu.root) {
                if ast::kind(n) != "TypedefDecl" {
                    continue;
                }
                let owned = ast::inner(n)
                    .first()
                    .and_then(|t| t.get("ownedTagDecl"))
                    .filter(|d| d.get("name").and_then(Value::as_str) == Some(""))
                    .and_then(|d| d.get("id").and_then(Value::as_str));
                if let (Some(id), Some(name)) = (owned, ast::name(n)) {
                    p.anon_tags.insert((ti, id.to_string()), name.to_string());
                }
            }
            // `struct { int a, b; } pair;` at file scope: the record (or enum) is `pair_t`, after
            // the first variable it declares.
            let top = ast::inner(&tu.root);
            // A name some type of the translation unit has already (a system header's `mode_t`
            // for `enum { .. } mode;`) is not given: `<variable>_type` then.
            let type_names: BTreeSet<&str> = top
                .iter()
                .filter(|d| matches!(ast::kind(d), "TypedefDecl" | "RecordDecl" | "EnumDecl"))
                .filter_map(|d| ast::name(d))
                .collect();
            for (k, n) in top.iter().enumerate() {
                let id = ast::str_field(n, "id").unwrap_or("").to_string();
                if !matches!(ast::kind(n), "RecordDecl" | "EnumDecl")
                    || !ast::name(n).unwrap_or("").is_empty()
                    || p.anon_tags.contains_key(&(ti, id.clone()))
                {
                    continue;
                }
                let var = top.get(k + 1).filter(|v| {
                    ast::kind(v) == "VarDecl"
                        && ast::qual_type(v).is_some_and(|t| t.contains("(unnamed "))
                });
                let Some(var) = var.and_then(|v| ast::name(v)) else {
                    continue;
                };
                let loc = n.get("loc");
                let num = |key: &str| loc.and_then(|l| l.get(key)).and_then(Value::as_u64);
                let file = loc
                    .and_then(|l| l.get("file"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let given = [format!("{var}_t"), format!("{var}_type")]
                    .into_iter()
                    .find(|g| !type_names.contains(g.as_str()));
                let Some(given) = given else { continue };
                if let (Some(line), Some(col)) = (num("line"), num("col")) {
                    super::ctype::name_anon_record(file, line, col, &given);
                    p.anon_tags.insert((ti, id), given);
                }
            }
        }
        // Types the linked crate defines where this program cannot see them (a struct that is
        // opaque in the public header) are still its types.
        if let Some(x) = &p.layout.extern_crate {
            for (name, m) in &x.types {
                p.type_owner.insert(name.clone(), x.path(m));
            }
        }
        let mut errors = Vec::new();
        // Item identity across translation units: (kind, name, file).
        let mut seen: BTreeSet<(ItemKind, String, String)> = BTreeSet::new();
        // Prototypes of functions never defined: name -> (tu, declaring file).
        let mut prototypes: BTreeMap<String, (usize, Option<String>, QType)> = BTreeMap::new();
        let mut extern_vars: BTreeMap<String, (Option<String>, QType)> = BTreeMap::new();

        for (ti, tu) in tus.iter().enumerate() {
            let tu_module = p.module_of(&tu.file);
            p.module_file
                .entry(tu_module.clone())
                .or_insert_with(|| tu.file.clone());
            for n in ast::inner(&tu.root) {
                if ast::bool_field(n, "isImplicit") && ast::kind(n) == "FunctionDecl" {
                    p.builtin_fns.insert(ast::name(n).unwrap_or("").to_string());
                }
            }
            let top: Vec<&Node> = ast::inner(&tu.root)
                .iter()
                .filter(|n| !ast::bool_field(n, "isImplicit"))
                .collect();
            for (i, n) in top.iter().enumerate() {
                p.heading = top.get(i + 1).is_some_and(|next| heads_group(n, next));
                if let Err(e) = p.collect_decl(
                    ti,
                    n,
                    &tu_module,
                    &mut seen,
                    &mut prototypes,
                    &mut extern_vars,
                ) {
                    errors.push(e);
                }
            }
        }
        // Functions declared but defined in no translation unit: the C library, asm kernels, or
        // the crate this one links.
        let linked = |name: &str| {
            let x = p.layout.extern_crate.as_ref()?;
            x.value_module(name)
        };
        for (name, (_, file, ty)) in prototypes {
            if p.fns.contains_key(&name) || p.tu_fns.keys().any(|(_, n)| *n == name) {
                continue;
            }
            let owner = match &file {
                Some(f) if p.is_asm_header(f) => Owner::Asm,
                None => Owner::Libc,
                Some(_) => match linked(&name) {
                    Some(m) => Owner::Module(m),
                    // A project header declares it but nothing defines it: an error if used.
                    None => continue,
                },
            };
            p.fns.insert(name, FnInfo { owner, ty });
        }
        for (name, (file, ty)) in extern_vars {
            if p.globals.contains_key(&name) {
                continue;
            }
            let owner = match file {
                None => Owner::Libc,
                Some(_) => match linked(&name) {
                    Some(m) => Owner::Module(m),
                    None => continue,
                },
            };
            p.globals.insert(
                name,
                GlobalInfo {
                    owner,
                    ty,
                    is_mut: true,
                    tls: false,
                },
            );
        }
        p.collect_macro_consts(&mut errors);
        let macro_items: Vec<(String, MacroConst)> = p.macro_consts.clone().into_iter().collect();
        for (name, c) in macro_items {
            if is_foreign(&c.owner) {
                continue;
            }
            let pos = Pos {
                file: c.file.clone(),
                line: 0,
                col: 0,
                offset: c.offset,
            };
            p.items.entry(c.owner.clone()).or_default().push(Item {
                kind: ItemKind::Macro,
                name,
                node: &MACRO_NODE,
                tu: 0,
                pos,
            });
        }
        // Module-level values: consts and statics (locals must not take these names).
        p.value_names.extend(p.enum_consts.keys().cloned());
        p.value_names.extend(p.globals.keys().cloned());
        p.value_names
            .extend(p.tu_globals.keys().map(|(_, n)| n.clone()));
        for items in p.items.values_mut() {
            items.sort_by_key(|a| (a.pos.offset, a.kind));
        }
        if errors.is_empty() {
            p.plain_fns = super::safety::plain_fns(&p);
            Ok(p)
        } else {
            Err(errors)
        }
    }

    fn add_item(&mut self, module: &ModPath, ws_file: &str, item: Item<'a>) {
        if is_foreign(module) {
            return; // the linked crate emits it
        }
        self.module_file
            .entry(module.clone())
            .or_insert_with(|| ws_file.to_string());
        self.items.entry(module.clone()).or_default().push(item);
    }

    fn parse_ty(n: &Node, text: &str) -> TResult<QType> {
        parse_type(text).or_else(|e| err(n, "type", e))
    }

    /// Structs, unions and typedefs declared inside a function body become items of the
    /// function's module (C gives them no linkage, so only their names' scope changes): an
    /// anonymous record is named by its typedef or `<function>_<variable>` (lz4's `const union {
    /// U32 u; BYTE c[4]; } one`). A name also declared elsewhere is refused.
    #[allow(clippy::too_many_arguments)]
    fn collect_local_types(
        &mut self,
        ti: usize,
        func: &str,
        n: &'a Node,
        tu_module: &ModPath,
        seen: &mut BTreeSet<(ItemKind, String, String)>,
        prototypes: &mut BTreeMap<String, (usize, Option<String>, QType)>,
        extern_vars: &mut BTreeMap<String, (Option<String>, QType)>,
    ) -> TResult<()> {
        if ast::kind(n) != "DeclStmt" {
            for c in ast::inner(n) {
                self.collect_local_types(ti, func, c, tu_module, seen, prototypes, extern_vars)?;
            }
            return Ok(());
        }
        let decls = ast::inner(n);
        for (k, d) in decls.iter().enumerate() {
            let kind = ast::kind(d);
            if !matches!(kind, "RecordDecl" | "TypedefDecl") {
                continue;
            }
            let id = ast::str_field(d, "id").unwrap_or("").to_string();
            let mut name = ast::name(d).unwrap_or("").to_string();
            if kind == "RecordDecl" && name.is_empty() {
                if !ast::bool_field(d, "completeDefinition") {
                    continue;
                }
                let owner = decls[k + 1..].iter().find_map(|x| match ast::kind(x) {
                    "TypedefDecl" => ast::name(x).map(str::to_string),
                    "VarDecl" => ast::name(x).map(|v| format!("{func}_{v}")),
                    _ => None,
                });
                let Some(given) = owner else { continue };
                let loc = d.get("loc");
                let num = |key: &str| loc.and_then(|l| l.get(key)).and_then(Value::as_u64);
                let file = loc
                    .and_then(|l| l.get("file"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if let (Some(line), Some(col)) = (num("line"), num("col")) {
                    super::ctype::name_anon_record(file, line, col, &given);
                }
                self.anon_tags.insert((ti, id.clone()), given.clone());
                name = given;
            } else if kind == "RecordDecl" && !ast::bool_field(d, "completeDefinition") {
                continue;
            }
            let taken = if kind == "RecordDecl" {
                self.env.records.contains_key(&name)
            } else {
                self.env.typedefs.contains_key(&name)
            };
            if taken {
                return err(
                    d,
                    "local type declaration",
                    format!("`{name}` is declared inside a function and elsewhere too"),
                );
            }
            self.collect_decl(ti, d, tu_module, seen, prototypes, extern_vars)?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_decl(
        &mut self,
        ti: usize,
        n: &'a Node,
        tu_module: &ModPath,
        seen: &mut BTreeSet<(ItemKind, String, String)>,
        prototypes: &mut BTreeMap<String, (usize, Option<String>, QType)>,
        extern_vars: &mut BTreeMap<String, (Option<String>, QType)>,
    ) -> TResult<()> {
        let kind = ast::kind(n);
        let file = ast::decl_file(n).and_then(|f| self.ws_path(ti, &f));
        let system = file.is_none();
        let pos = ast::pos(n).unwrap_or_default();
        // A file the linked crate owns: its declarations are registered with that crate's module
        // as owner (so uses import them) and add_item emits nothing.
        let linked = file
            .as_deref()
            .and_then(|f| self.layout.extern_crate.as_ref()?.file_module(f));
        let module = linked.or_else(|| file.as_deref().map(|f| self.module_of(f)));
        let name = ast::name(n).unwrap_or("").to_string();
        match kind {
            "TypedefDecl" => {
                let text = ast::qual_type(n).unwrap_or("");
                let target = match parse_type(text) {
                    Ok(t) => t,
                    Err(e) if system => {
                        // System typedefs we cannot parse are only a problem if used.
                        let _ = e;
                        QType::new(CType::Opaque(name.clone()))
                    }
                    Err(e) => return err(n, "typedef", e),
                };
                self.env
                    .typedefs
                    .entry(name.clone())
                    .or_insert(TypedefInfo {
                        target: target.clone(),
                        system,
                    });
                if let (Some(file), Some(module)) = (file, module) {
                    // `typedef struct X X;` needs no alias: the struct has the name.
                    let same_name = match &target.ty {
                        CType::Record { name: tag, .. } | CType::Enum(tag) => *tag == name,
                        _ => false,
                    };
                    // `typedef enum {..} X;` (anonymous enum): X is the enum's integer type.
                    if !same_name
                        && !is_rust_primitive(&name)
                        && seen.insert((ItemKind::Typedef, name.clone(), file.clone()))
                    {
                        self.type_owner.insert(name.clone(), module.clone());
                        self.add_item(
                            &module,
                            &file,
                            Item {
                                kind: ItemKind::Typedef,
                                name,
                                node: n,
                                tu: ti,
                                pos,
                            },
                        );
                    }
                }
            }
            "RecordDecl" => {
                let id = n.get("id").and_then(Value::as_str).unwrap_or("");
                let name = match self.anon_tags.get(&(ti, id.to_string())) {
                    Some(typedef) if name.is_empty() => typedef.clone(),
                    _ => name,
                };
                if name.is_empty() {
                    if ast::bool_field(n, "completeDefinition") && !system {
                        return err(
                            n,
                            "anonymous struct",
                            "a struct or union with neither a tag nor a typedef name",
                        );
                    }
                    return Ok(());
                }
                if !ast::bool_field(n, "completeDefinition") {
                    return Ok(());
                }
                let union = ast::str_field(n, "tagUsed") == Some("union");
                // Records defined inside this one without a tag (`union { .. } fc;`) become
                // file-scope records named `<outer>_<field>`, defined before this one. A C11
                // anonymous member (`union { int i; float f; };`, used as `x.i`) becomes a field
                // `anon_<k>` (k counts the record's anonymous members from 0) of type
                // `<outer>_anon_<k>`: the same layout, as C lays it out as a member of that type.
                // Member expressions name the hidden field (clang's MemberExpr with no name).
                let kids = ast::inner(n);
                let taken: BTreeSet<&str> = kids
                    .iter()
                    .filter(|f| ast::kind(f) == "FieldDecl")
                    .filter_map(|f| ast::name(f))
                    .collect();
                let mut anon_fields: BTreeMap<&str, String> = BTreeMap::new();
                for (k, inner) in kids.iter().enumerate() {
                    let untagged_enum =
                        ast::kind(inner) == "EnumDecl" && ast::name(inner).unwrap_or("").is_empty();
                    if !untagged_enum
                        && (ast::kind(inner) != "RecordDecl"
                            || !ast::name(inner).unwrap_or("").is_empty()
                            || !ast::bool_field(inner, "completeDefinition"))
                    {
                        continue;
                    }
                    let next = kids[k + 1..].iter().find(|f| ast::kind(f) == "FieldDecl");
                    // An untagged enum is named after the member it types, if any
                    // (`enum { RED, GREEN } color;` -> `s_color`).
                    if untagged_enum
                        && !next
                            .and_then(|f| ast::qual_type(f))
                            .is_some_and(|t| t.contains("(unnamed enum at"))
                    {
                        continue;
                    }
                    let field = match next.and_then(|f| ast::name(f)).filter(|f| !f.is_empty()) {
                        Some(field) => field.to_string(),
                        None if !system
                            && !untagged_enum
                            && next.is_some_and(|f| ast::bool_field(f, "isImplicit")) =>
                        {
                            let mut field = format!("anon_{}", anon_fields.len());
                            while taken.contains(field.as_str()) {
                                field.insert(0, '_');
                            }
                            let id = next.and_then(|f| ast::str_field(f, "id")).unwrap_or("");
                            anon_fields.insert(id, field.clone());
                            field
                        }
                        None => continue,
                    };
                    let loc = inner.get("loc");
                    let num = |k: &str| loc.and_then(|l| l.get(k)).and_then(Value::as_u64);
                    let file = loc
                        .and_then(|l| l.get("file"))
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let (Some(line), Some(col)) = (num("line"), num("col")) else {
                        continue;
                    };
                    let nested = format!("{name}_{field}");
                    super::ctype::name_anon_record(file, line, col, &nested);
                    let id = inner.get("id").and_then(Value::as_str).unwrap_or("");
                    self.anon_tags.insert((ti, id.to_string()), nested);
                    self.collect_decl(ti, inner, tu_module, seen, prototypes, extern_vars)?;
                }
                let mut fields = Vec::new();
                for f in ast::inner(n) {
                    match ast::kind(f) {
                        "FieldDecl" => {
                            let bits = if f
                                .get("isBitfield")
                                .and_then(Value::as_bool)
                                .unwrap_or(false)
                            {
                                if system {
                                    continue;
                                }
                                // The width, as clang computed it.
                                let width = ast::inner(f)
                                    .iter()
                                    .find(|c| ast::kind(c) == "ConstantExpr")
                                    .and_then(|c| ast::str_field(c, "value"))
                                    .and_then(|v| v.parse::<u32>().ok());
                                match width {
                                    Some(w) => Some(w),
                                    None => return err(f, "bit-field", "width not found"),
                                }
                            } else {
                                None
                            };
                            let mut fname = ast::name(f).unwrap_or("").to_string();
                            if fname.is_empty() && bits.is_none() {
                                let id = ast::str_field(f, "id").unwrap_or("");
                                fname = anon_fields.get(id).cloned().unwrap_or_default();
                            }
                            if fname.is_empty() && !system && bits.is_none() {
                                return err(
                                    f,
                                    "anonymous member",
                                    "unnamed struct/union members are not supported",
                                );
                            }
                            let ty = match parse_type(ast::qual_type(f).unwrap_or("")) {
                                Ok(t) => t,
                                Err(_) if system => QType::new(CType::Opaque(fname.clone())),
                                Err(e) => return err(f, "field type", e),
                            };
                            let align = aligned_attr(f);
                            fields.push(FieldInfo {
                                name: fname,
                                ty,
                                align,
                                bits,
                            });
                        }
                        // `struct a { struct b { int x; } inner; };`: C gives `struct b` file
                        // scope, so it is an item of its own beside `a`; so do enumerators.
                        "RecordDecl" if !system && !ast::name(f).unwrap_or("").is_empty() => {
                            self.collect_decl(ti, f, tu_module, seen, prototypes, extern_vars)?;
                        }
                        "EnumDecl" if !system => {
                            let id = ast::str_field(f, "id").unwrap_or("");
                            let named = !ast::name(f).unwrap_or("").is_empty()
                                || self.anon_tags.contains_key(&(ti, id.to_string()));
                            if named || !ast::inner(f).is_empty() {
                                self.collect_decl(ti, f, tu_module, seen, prototypes, extern_vars)?;
                            }
                        }
                        _ => {}
                    }
                }
                let packed = ast::inner(n).iter().any(|a| ast::kind(a) == "PackedAttr");
                self.env.records.entry(name.clone()).or_insert(RecordInfo {
                    fields,
                    union,
                    system,
                    packed,
                });
                if let (Some(file), Some(module)) = (file, module) {
                    if seen.insert((ItemKind::Record, name.clone(), file.clone())) {
                        self.type_owner.insert(name.clone(), module.clone());
                        self.add_item(
                            &module,
                            &file,
                            Item {
                                kind: ItemKind::Record,
                                name,
                                node: n,
                                tu: ti,
                                pos,
                            },
                        );
                    }
                }
            }
            "EnumDecl" => {
                let id = n.get("id").and_then(Value::as_str).unwrap_or("");
                let name = match self.anon_tags.get(&(ti, id.to_string())) {
                    Some(given) if name.is_empty() => given.clone(),
                    _ => name,
                };
                let mut next: i128 = 0;
                let mut values = Vec::new();
                for c in ast::inner(n) {
                    if ast::kind(c) != "EnumConstantDecl" {
                        continue;
                    }
                    let v = match ast::inner(c).first() {
                        Some(init) => match self.eval_const(init) {
                            Some(v) => v,
                            None => return err(c, "enumerator", "no constant value"),
                        },
                        None => next,
                    };
                    next = v + 1;
                    values.push((ast::name(c).unwrap_or("").to_string(), v));
                }
                let signed = values.iter().any(|(_, v)| *v < 0);
                if !name.is_empty() {
                    self.env
                        .enums
                        .entry(name.clone())
                        .or_insert(EnumInfo { signed, system });
                }
                if let (Some(file), Some(module)) = (file, module) {
                    if values
                        .iter()
                        .any(|(_, v)| *v > i32::MAX as i128 || *v < i32::MIN as i128)
                    {
                        return err(n, "enum", "enumerator value does not fit in int");
                    }
                    let key_name = if name.is_empty() {
                        format!("<anon@{}>", pos.offset)
                    } else {
                        name.clone()
                    };
                    if seen.insert((ItemKind::Enum, key_name, file.clone())) {
                        for (c, v) in &values {
                            self.enum_consts.insert(
                                c.clone(),
                                EnumConstInfo {
                                    owner: module.clone(),
                                    value: *v,
                                    ty: if signed || name.is_empty() {
                                        "i32"
                                    } else {
                                        "u32"
                                    },
                                },
                            );
                        }
                        if !name.is_empty() {
                            self.type_owner.insert(name.clone(), module.clone());
                        }
                        self.add_item(
                            &module,
                            &file,
                            Item {
                                kind: ItemKind::Enum,
                                name,
                                node: n,
                                tu: ti,
                                pos,
                            },
                        );
                    }
                }
            }
            "FunctionDecl" => {
                let ty = Self::parse_ty(n, ast::qual_type(n).unwrap_or(""));
                let has_body = ast::inner(n).iter().any(|c| ast::kind(c) == "CompoundStmt");
                let is_static = ast::str_field(n, "storageClass") == Some("static");
                if !has_body {
                    self.note_decl_doc(ti, n, is_static, file.is_some());
                    let params: Vec<Option<String>> = ast::inner(n)
                        .iter()
                        .filter(|c| ast::kind(c) == "ParmVarDecl")
                        .map(|c| ast::name(c).filter(|s| !s.is_empty()).map(str::to_string))
                        .collect();
                    // clang reads the system header's prototype first (`fmod(__x, __y)`); a
                    // later one counts only when none before it named a parameter (`double
                    // fmod(double, double);` first, the header after it).
                    if params.iter().any(Option::is_some)
                        && !self
                            .prototype_params
                            .get(&name)
                            .is_some_and(|p| p.iter().any(Option::is_some))
                    {
                        self.prototype_params.insert(name.clone(), params);
                    }
                    if let Ok(ty) = ty {
                        prototypes.entry(name).or_insert((ti, file, ty));
                    }
                    return Ok(());
                }
                let (Some(file), Some(module)) = (file, module) else {
                    return Ok(()); // inline functions of system headers: ignored unless used
                };
                let ty = ty?;
                if ast::bool_field(n, "variadic")
                    || matches!(ty.ty, CType::Func { variadic: true, .. })
                {
                    return err(
                        n,
                        "variadic function definition",
                        "Rust cannot define C variadic functions (stable)",
                    );
                }
                let info = FnInfo {
                    owner: Owner::Module(module.clone()),
                    ty,
                };
                if let Some(body) = ast::inner(n)
                    .iter()
                    .find(|c| ast::kind(c) == "CompoundStmt")
                {
                    self.collect_local_types(
                        ti,
                        &name,
                        body,
                        tu_module,
                        seen,
                        prototypes,
                        extern_vars,
                    )?;
                }
                let in_header = file.ends_with(".h");
                if is_static && !in_header {
                    self.tu_fns.insert((ti, name.clone()), info);
                } else {
                    self.fns.insert(name.clone(), info);
                }
                if seen.insert((ItemKind::Function, name.clone(), file.clone())) {
                    self.add_item(
                        &module,
                        &file,
                        Item {
                            kind: ItemKind::Function,
                            name,
                            node: n,
                            tu: ti,
                            pos,
                        },
                    );
                }
            }
            "VarDecl" => {
                let tls = ast::str_field(n, "tls").is_some();
                let ty = match parse_type(ast::qual_type(n).unwrap_or("")) {
                    Ok(t) => t,
                    Err(_) if system => return Ok(()),
                    Err(e) => return err(n, "global variable type", e),
                };
                let storage = ast::str_field(n, "storageClass");
                let has_init = ast::str_field(n, "init").is_some();
                if storage == Some("extern") && !has_init {
                    self.note_decl_doc(ti, n, false, file.is_some());
                    extern_vars.entry(name).or_insert((file, ty));
                    return Ok(());
                }
                let (Some(file), Some(module)) = (file, module) else {
                    return Ok(());
                };
                let is_mut = tls || !self.is_immutable(&ty);
                let info = GlobalInfo {
                    owner: Owner::Module(module.clone()),
                    ty,
                    is_mut,
                    tls,
                };
                if storage == Some("static") && !file.ends_with(".h") {
                    self.tu_globals.insert((ti, name.clone()), info);
                } else {
                    self.globals.insert(name.clone(), info);
                }
                if seen.insert((ItemKind::Global, name.clone(), file.clone())) {
                    self.add_item(
                        &module,
                        &file,
                        Item {
                            kind: ItemKind::Global,
                            name,
                            node: n,
                            tu: ti,
                            pos,
                        },
                    );
                }
            }
            _ => {}
        }
        let _ = tu_module;
        Ok(())
    }

    /// A C object that can be a Rust `static` (not `static mut`): const all the way down, and no
    /// raw pointers (which are not `Sync`).
    pub fn is_immutable(&self, t: &QType) -> bool {
        let c = self.env.canon(t);
        match &c.ty {
            CType::Array(e, _) => {
                let e2 = QType {
                    ty: e.ty.clone(),
                    is_const: e.is_const || c.is_const,
                };
                self.is_immutable(&e2)
            }
            CType::Pointer(_) => false,
            CType::Record { name, .. } => {
                c.is_const
                    && self.env.records.get(name).is_some_and(|r| {
                        r.fields.iter().all(|f| {
                            self.is_immutable(&QType {
                                ty: f.ty.ty.clone(),
                                is_const: true,
                            })
                        })
                    })
            }
            _ => c.is_const,
        }
    }

    /// Evaluate an integer constant expression (case labels, enumerator values): clang only
    /// sometimes records the value.
    pub fn eval_const(&self, n: &Node) -> Option<i128> {
        if let Some(v) = n
            .get("value")
            .and_then(Value::as_str)
            .and_then(|v| v.parse::<i128>().ok())
        {
            return Some(v);
        }
        let first = || ast::inner(n).first();
        let int_kind = |n: &Node| {
            ast::qual_type(n)
                .and_then(|t| parse_type(t).ok())
                .and_then(|q| self.env.int_kind(&q))
        };
        match ast::kind(n) {
            "IntegerLiteral" | "CharacterLiteral" => const_value(n),
            "ConstantExpr" | "ParenExpr" => self.eval_const(first()?),
            "ImplicitCastExpr" | "CStyleCastExpr" => {
                let v = self.eval_const(first()?)?;
                match ast::str_field(n, "castKind") {
                    Some("IntegralCast") => Some(wrap_to(v, int_kind(n)?)),
                    Some("NoOp" | "LValueToRValue") => Some(v),
                    _ => None,
                }
            }
            "DeclRefExpr" => {
                let r = n.get("referencedDecl")?;
                if ast::kind(r) == "EnumConstantDecl" {
                    self.enum_consts.get(ast::name(r)?).map(|e| e.value)
                } else {
                    None
                }
            }
            "UnaryOperator" => {
                let v = self.eval_const(first()?)?;
                let k = int_kind(n)?;
                match ast::str_field(n, "opcode")? {
                    "-" => Some(wrap_to(-v, k)),
                    "+" => Some(v),
                    "~" => Some(wrap_to(!v, k)),
                    "!" => Some((v == 0) as i128),
                    _ => None,
                }
            }
            "BinaryOperator" => {
                let p = ast::inner(n);
                let a = self.eval_const(&p[0])?;
                let b = self.eval_const(&p[1])?;
                let k = int_kind(n)?;
                let v = match ast::str_field(n, "opcode")? {
                    "+" => a + b,
                    "-" => a - b,
                    "*" => a.checked_mul(b)?,
                    "/" if b != 0 => a / b,
                    "%" if b != 0 => a % b,
                    "<<" if (0..64).contains(&b) => a.checked_shl(b as u32)?,
                    ">>" if (0..64).contains(&b) => a >> b,
                    "&" => a & b,
                    "|" => a | b,
                    "^" => a ^ b,
                    "==" => (a == b) as i128,
                    "!=" => (a != b) as i128,
                    "<" => (a < b) as i128,
                    ">" => (a > b) as i128,
                    "<=" => (a <= b) as i128,
                    ">=" => (a >= b) as i128,
                    "&&" => (a != 0 && b != 0) as i128,
                    "||" => (a != 0 || b != 0) as i128,
                    _ => return None,
                };
                Some(wrap_to(v, k))
            }
            _ => None,
        }
    }

    /// The source text of a location object (`{offset, tokLen, file}`), for one token.
    fn token_text(&self, tu: usize, loc: &Value) -> Option<String> {
        let file = loc.get("file")?.as_str()?;
        let off = loc.get("offset")?.as_u64()? as usize;
        let len = loc.get("tokLen")?.as_u64()? as usize;
        let ws = self.ws_path(tu, file)?;
        let text = self.source(&ws)?;
        text.get(off..off + len).map(str::to_string)
    }

    /// An integer literal as written in the source, converted to Rust syntax.
    pub fn literal_spelling(&self, tu: usize, n: &Node) -> Option<String> {
        let begin = n.get("range")?.get("begin")?;
        let loc = begin.get("spellingLoc").unwrap_or(begin);
        super::rust::c_int_literal(&self.token_text(tu, loc)?)
    }

    /// If this integer literal is the whole expansion of an object-like macro defined in a
    /// project header or file (`#define VP8_BORDER 32`), the macro's name and owner module.
    pub fn macro_const_of(&self, tu: usize, n: &Node) -> Option<(String, ModPath)> {
        let begin = n.get("range")?.get("begin")?;
        let spelling = begin.get("spellingLoc")?;
        let expansion = begin.get("expansionLoc")?;
        let name = self.token_text(tu, expansion)?;
        let info = self.macro_consts.get(&name)?;
        // The same definition (a macro may be redefined elsewhere with another value).
        let file = self.ws_path(tu, spelling.get("file")?.as_str()?)?;
        if file != info.file {
            return None;
        }
        Some((name, info.owner.clone()))
    }

    /// Find every integer literal that is the whole expansion of a simple `#define NAME literal`
    /// of a project file: those macros become consts of the file's module.
    fn collect_macro_consts(&mut self, errors: &mut Vec<TErr>) {
        let mut found: BTreeMap<String, MacroConst> = BTreeMap::new();
        for ti in 0..self.tus.len() {
            let mut lits = Vec::new();
            ast::walk(&self.tus[ti].root, &mut |n| {
                if ast::kind(n) == "IntegerLiteral" {
                    lits.push(n);
                }
            });
            for n in lits {
                let Some(c) = self.macro_candidate(ti, n) else {
                    continue;
                };
                if let Some(old) = found.get(&c.name) {
                    if old.file != c.file || old.value != c.value {
                        continue;
                    }
                }
                found.insert(c.name.clone(), c);
            }
        }
        let _ = errors;
        for (name, c) in found {
            self.value_names.insert(name.clone());
            if is_foreign(&c.owner) {
                self.macro_consts.insert(name, c);
                continue;
            }
            self.module_file
                .entry(c.owner.clone())
                .or_insert_with(|| c.file.clone());
            self.macro_consts.insert(name, c);
        }
    }

    fn macro_candidate(&self, tu: usize, n: &Node) -> Option<MacroConst> {
        let begin = n.get("range")?.get("begin")?;
        let spelling = begin.get("spellingLoc")?;
        let expansion = begin.get("expansionLoc")?;
        let name = self.token_text(tu, expansion)?;
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || name.starts_with(|c: char| c.is_ascii_digit())
        {
            return None;
        }
        let file = self.ws_path(tu, spelling.get("file")?.as_str()?)?;
        // A macro of a file the linked crate owns keeps its name only if that crate emits it.
        let linked_owner = match &self.layout.extern_crate {
            Some(x) if x.files.contains_key(&file) => {
                let (f, m) = x.macros.get(&name)?;
                if *f != file {
                    return None;
                }
                Some(x.path(m))
            }
            _ => None,
        };
        let text = self.source(&file)?;
        let off = spelling.get("offset")?.as_u64()? as usize;
        let len = spelling.get("tokLen")?.as_u64()? as usize;
        // The definition line: `#define NAME <literal>` (optionally parenthesized, commented).
        let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[off..].find('\n').map_or(text.len(), |i| off + i);
        let line = &text[line_start..line_end];
        let body = line
            .trim_start()
            .strip_prefix('#')?
            .trim_start()
            .strip_prefix("define")?;
        let body = body.trim_start().strip_prefix(name.as_str())?;
        if body.starts_with('(') {
            return None; // function-like macro
        }
        let body = match body.find("/*") {
            Some(i) => &body[..i],
            None => body,
        };
        let body = match body.find("//") {
            Some(i) => &body[..i],
            None => body,
        };
        let literal = &text[off..off + len];
        let mut b = body.trim();
        while let Some(inner) = b.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            b = inner.trim();
        }
        if b != literal {
            return None;
        }
        let rust = super::rust::c_int_literal(literal)?;
        let ty = parse_type(ast::qual_type(n)?).ok()?;
        let value = n.get("value").and_then(Value::as_str)?.to_string();
        Some(MacroConst {
            name: name.clone(),
            owner: linked_owner.unwrap_or_else(|| self.module_of(&file)),
            file,
            offset: off as u64,
            text: rust,
            ty,
            value,
        })
    }

    /// Keep a project declaration's comment for its definition (see `decl_docs`). A header
    /// read by several translation units gives the same comment once per unit; the emitter
    /// writes each text once.
    fn note_decl_doc(&mut self, ti: usize, n: &'a Node, is_static: bool, project: bool) {
        if !project || n.get("comment").is_none() || self.heading {
            return;
        }
        let Some(name) = ast::name(n) else {
            return;
        };
        let key = (is_static.then_some(ti), name.to_string());
        self.decl_docs.entry(key).or_default().push((ti, n));
    }

    /// The text of a workspace file (cached).
    pub fn source(&self, ws_file: &str) -> Option<std::rc::Rc<String>> {
        let mut cache = self.sources.borrow_mut();
        if let Some(t) = cache.get(ws_file) {
            return Some(t.clone());
        }
        let text = std::rc::Rc::new(std::fs::read_to_string(self.layout.root.join(ws_file)).ok()?);
        cache.insert(ws_file.to_string(), text.clone());
        Some(text)
    }

    pub fn lookup_fn(&self, tu: usize, name: &str) -> Option<&FnInfo> {
        self.tu_fns
            .get(&(tu, name.to_string()))
            .or_else(|| self.fns.get(name))
    }

    pub fn lookup_global(&self, tu: usize, name: &str) -> Option<&GlobalInfo> {
        self.tu_globals
            .get(&(tu, name.to_string()))
            .or_else(|| self.globals.get(name))
    }
}

/// Workspace-relative path of a clang file name, or None if outside the workspace (system).
pub fn file_ws_path(layout: &Layout, clang_dir: &Path, clang_file: &str) -> Option<String> {
    if clang_file.is_empty() || clang_file.starts_with('<') {
        return None;
    }
    let abs = normalize(&clang_dir.join(clang_file));
    let rel = abs.strip_prefix(&layout.root).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

pub fn module_of(layout: &Layout, ws_file: &str) -> ModPath {
    if layout.root_file.as_deref() == Some(ws_file) {
        return Vec::new();
    }
    let path = Path::new(ws_file);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_header = path.extension().is_some_and(|e| e == "h");
    let leaf = sanitize(&if is_header { format!("{stem}_h") } else { stem });
    if let Ok(rel) = path.strip_prefix(&layout.src_dir) {
        let mut m: ModPath = rel
            .parent()
            .map(|p| {
                p.components()
                    .map(|c| sanitize(&c.as_os_str().to_string_lossy()))
                    .collect()
            })
            .unwrap_or_default();
        if m.is_empty() {
            return vec![top_level(leaf)];
        }
        m.push(leaf);
        return m;
    }
    vec![top_level(leaf)]
}

/// `main.c` or a `lib.c` that is not the root would land in `src/main.rs`/`src/lib.rs`, the
/// files of the crate root: their modules take a suffix.
fn top_level(leaf: String) -> String {
    match leaf.as_str() {
        "main" | "lib" => format!("{leaf}_c"),
        _ => leaf,
    }
}

fn sanitize(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A C typedef named like a Rust primitive type (`typedef uint8_t u8;`) gets no alias: uses
/// take the type it names.
pub fn is_rust_primitive(name: &str) -> bool {
    matches!(
        name,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "f32"
            | "f64"
            | "bool"
            | "char"
            | "str"
    )
}

/// `__attribute__((aligned(n)))` on a declaration.
pub fn aligned_attr(n: &Node) -> Option<u32> {
    for c in ast::inner(n) {
        if ast::kind(c) == "AlignedAttr" {
            return ast::inner(c)
                .first()
                .and_then(const_value)
                .map(|v| v as u32)
                .or(Some(16));
        }
    }
    None
}

/// The value clang computed for a constant expression (ConstantExpr `value`), looking through
/// implicit casts and parentheses.
pub fn const_value(n: &Node) -> Option<i128> {
    if let Some(v) = n.get("value").and_then(Value::as_str) {
        if let Ok(x) = v.parse::<i128>() {
            return Some(x);
        }
    }
    match ast::kind(n) {
        "ConstantExpr" | "ImplicitCastExpr" | "ParenExpr" => {
            ast::inner(n).first().and_then(const_value)
        }
        "IntegerLiteral" | "CharacterLiteral" => n.get("value").and_then(|v| match v {
            Value::String(s) => s.parse().ok(),
            Value::Number(x) => x.as_i64().map(i128::from),
            _ => None,
        }),
        _ => None,
    }
}

/// Wrap a value to an integer type (C conversion to an integer type, two's complement).
pub fn wrap_to(v: i128, k: IntKind) -> i128 {
    let bits = k.bits();
    if bits >= 128 {
        return v;
    }
    let m = v & ((1i128 << bits) - 1);
    if k.signed() && m >= (1i128 << (bits - 1)) {
        m - (1i128 << bits)
    } else {
        m
    }
}
