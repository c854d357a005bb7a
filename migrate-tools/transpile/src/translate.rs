//! C declarations, statements and expressions to Rust.
//!
//! Every conversion C makes implicitly is in clang's AST as an `ImplicitCastExpr`; each becomes an
//! explicit Rust conversion here. Integer arithmetic that may overflow uses `wrapping_*` (C unsigned
//! arithmetic wraps; signed overflow is undefined in C and must not panic in Rust), unless a simple
//! interval analysis proves the result in range. Pointer arithmetic uses `offset`/`add`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::ast::{self, Node};
use super::ctype::{CType, IntKind, QType, parse_type};
use super::program::{
    ItemKind, ModPath, Owner, Program, TErr, TResult, aligned_attr, const_value, err, wrap_to,
};
use super::rust::{RExpr, RTy, ident, lifetime, lit_value, path};

/// A translated expression and its Rust type.
#[derive(Clone, Debug)]
pub struct TE {
    pub e: RExpr,
    pub ty: RTy,
}

impl TE {
    fn new(e: RExpr, ty: RTy) -> TE {
        TE { e, ty }
    }
}

/// Per-module state: what the module imports and which support items it needs.
pub struct ModCx<'p, 'a> {
    pub prog: &'p Program<'a>,
    pub module: ModPath,
    pub tu: usize,
    /// (owner module, name) of everything used from another module.
    pub imports: BTreeSet<(ModPath, String)>,
    /// `AlignN<T>` wrappers used.
    pub aligns: BTreeSet<u32>,
    pub uses_libc: bool,
    /// Asm kernels used (declared once in the asm module or taken from vp8-asm).
    pub asm_used: BTreeSet<String>,
    /// C library objects the libc crate lacks: (name, Rust type), declared in the crate root.
    pub c_globals: BTreeSet<(String, String)>,
}

impl<'p, 'a> ModCx<'p, 'a> {
    pub fn new(prog: &'p Program<'a>, module: ModPath) -> Self {
        ModCx {
            prog,
            module,
            tu: 0,
            imports: BTreeSet::new(),
            aligns: BTreeSet::new(),
            uses_libc: false,
            asm_used: BTreeSet::new(),
            c_globals: BTreeSet::new(),
        }
    }

    fn import(&mut self, owner: &ModPath, name: &str) {
        if *owner != self.module {
            self.imports.insert((owner.clone(), name.to_string()));
        }
    }

    fn env(&self) -> &super::ctype::TypeEnv {
        &self.prog.env
    }

    // ---- types ----------------------------------------------------------------------------------

    pub fn rty(&mut self, n: &Node, q: &QType) -> TResult<RTy> {
        Ok(match &q.ty {
            CType::Void => RTy::Unit,
            CType::Bool => RTy::Prim("bool"),
            CType::Int(k) => RTy::Prim(k.rust()),
            CType::Float => RTy::Prim("f32"),
            CType::Double => RTy::Prim("f64"),
            CType::LongDouble => return err(n, "long double", "no Rust equivalent"),
            CType::Pointer(p) => {
                let pc = self.env().canon(p);
                match &pc.ty {
                    CType::Func {
                        ret,
                        params,
                        variadic,
                    } => {
                        let mut ps = Vec::new();
                        for p in params {
                            ps.push(self.param_rty(n, p)?);
                        }
                        let ret = self.rty(n, ret)?;
                        RTy::FnPtr {
                            params: ps,
                            ret: Box::new(ret),
                            variadic: *variadic,
                        }
                    }
                    CType::Void => RTy::Ptr {
                        mutable: !p.is_const,
                        to: Box::new(RTy::CVoid),
                    },
                    _ => {
                        let to = self.rty(n, p)?;
                        RTy::Ptr {
                            mutable: !self.deep_const(p),
                            to: Box::new(to),
                        }
                    }
                }
            }
            CType::Array(e, Some(len)) => RTy::Array(Box::new(self.rty(n, e)?), *len),
            CType::Array(_, None) => {
                return err(n, "incomplete array type", "array without a size");
            }
            CType::Func { .. } => {
                return err(
                    n,
                    "function type",
                    "function types only exist behind pointers in Rust",
                );
            }
            CType::Record { name, .. } => {
                let rec = self.env().records.get(name);
                match rec {
                    Some(r) if !r.system => {
                        let owner = self.prog.type_owner.get(name).cloned();
                        if let Some(o) = owner {
                            self.import(&o, name);
                        }
                        RTy::Named(name.clone())
                    }
                    // Opaque here, defined by the linked crate.
                    None if self.prog.type_owner.contains_key(name) => {
                        let o = self.prog.type_owner[name].clone();
                        self.import(&o, name);
                        RTy::Named(name.clone())
                    }
                    _ => {
                        self.uses_libc = true;
                        RTy::Extern(format!("libc::{name}"))
                    }
                }
            }
            CType::Enum(name) => {
                let system = self.env().enums.get(name).is_none_or(|e| e.system);
                if system {
                    RTy::Prim(self.env().int_kind(q).unwrap_or(IntKind::UInt).rust())
                } else {
                    if let Some(o) = self.prog.type_owner.get(name).cloned() {
                        self.import(&o, name);
                    }
                    RTy::Named(name.clone())
                }
            }
            CType::Typedef(name) => {
                let info = self.env().typedefs.get(name).cloned();
                let Some(info) = info else {
                    return err(n, "type", format!("unknown typedef `{name}`"));
                };
                if info.system {
                    if let Some(t) = system_typedef(name) {
                        if let RTy::Extern(_) = t {
                            self.uses_libc = true;
                        }
                        return Ok(t);
                    }
                    return self.rty(n, &info.target);
                }
                match &info.target.ty {
                    CType::Record { name: tag, .. } | CType::Enum(tag) if tag == name => {
                        return self.rty(n, &info.target);
                    }
                    _ => {}
                }
                if let Some(o) = self.prog.type_owner.get(name).cloned() {
                    self.import(&o, name);
                }
                RTy::Named(name.clone())
            }
            CType::Opaque(name) => return err(n, name, "unsupported type"),
        })
    }

    /// Const, or an array of const elements (C qualifies an array through its elements).
    fn deep_const(&self, q: &QType) -> bool {
        let c = self.env().canon(q);
        c.is_const
            || match &c.ty {
                CType::Array(e, _) => self.deep_const(e),
                _ => false,
            }
    }

    /// Function parameters: arrays are pointers.
    fn param_rty(&mut self, n: &Node, q: &QType) -> TResult<RTy> {
        let c = self.env().canon(q);
        match c.ty {
            CType::Array(e, _) => {
                let to = self.rty(n, &e)?;
                Ok(RTy::Ptr {
                    mutable: !self.deep_const(&e),
                    to: Box::new(to),
                })
            }
            _ => self.rty(n, q),
        }
    }

    /// Expand type aliases of the crate for comparisons.
    pub fn canon_rty(&self, t: &RTy) -> RTy {
        match t {
            RTy::Named(name) => {
                if let Some(info) = self.env().typedefs.get(name) {
                    if !info.system {
                        let same = matches!(&info.target.ty,
                            CType::Record { name: tag, .. } | CType::Enum(tag) if tag == name);
                        if !same {
                            // rty needs &mut for imports; use a scratch context.
                            let mut scratch = ModCx::new(self.prog, self.module.clone());
                            if let Ok(r) = scratch.rty(&Value::Null, &info.target) {
                                return self.canon_rty(&r);
                            }
                        }
                    }
                }
                if let Some(e) = self.env().enums.get(name) {
                    return RTy::Prim(if e.signed { "i32" } else { "u32" });
                }
                t.clone()
            }
            RTy::Ptr { mutable, to } => RTy::Ptr {
                mutable: *mutable,
                to: Box::new(self.canon_rty(to)),
            },
            RTy::Array(e, n) => RTy::Array(Box::new(self.canon_rty(e)), *n),
            RTy::FnPtr {
                params,
                ret,
                variadic,
            } => RTy::FnPtr {
                params: params.iter().map(|p| self.canon_rty(p)).collect(),
                ret: Box::new(self.canon_rty(ret)),
                variadic: *variadic,
            },
            RTy::Aligned(_, inner) => self.canon_rty(inner),
            other => other.clone(),
        }
    }

    /// The node's C type.
    pub fn qtype(&self, n: &Node) -> TResult<QType> {
        let Some(text) = ast::qual_type(n) else {
            return err(n, ast::kind(n), "no type");
        };
        if crate::program::has_volatile(text) {
            return err(n, "volatile", crate::program::VOLATILE);
        }
        parse_type(text).or_else(|e| {
            if is_vla(text) {
                err(
                    n,
                    "variable-length array",
                    format!("`{text}` has a run-time size (use a fixed size or the heap)"),
                )
            } else {
                err(n, ast::kind(n), e)
            }
        })
    }

    fn node_rty(&mut self, n: &Node) -> TResult<RTy> {
        let q = self.qtype(n)?;
        self.rty(n, &q)
    }

    // ---- items ----------------------------------------------------------------------------------

    pub fn item(&mut self, kind: ItemKind, name: &str, n: &Node) -> TResult<TokenStream> {
        match kind {
            ItemKind::Macro => {
                let c = self.prog.macro_consts.get(name).cloned().unwrap();
                let t = self.rty(n, &c.ty)?;
                let lit = RExpr::Lit {
                    text: c.text.clone(),
                    ty: t.prim().unwrap_or("i32"),
                    force_suffix: false,
                };
                let id = ident(name);
                let doc = format!(" `#define {name}` in {}.", c.file);
                Ok(quote!(#[doc = #doc] pub const #id: #t = #lit;))
            }
            ItemKind::Typedef => self.typedef_item(name, n),
            ItemKind::Record => self.record_item(name, n),
            ItemKind::Enum => self.enum_item(name, n),
            ItemKind::Function => self.function_item(name, n),
            ItemKind::Global => self.global_item(name, n, true),
        }
    }

    fn typedef_item(&mut self, name: &str, n: &Node) -> TResult<TokenStream> {
        let info = self.env().typedefs.get(name).cloned().unwrap();
        let target = self.param_or_plain(n, &info.target)?;
        let id = ident(name);
        Ok(quote!(pub type #id = #target;))
    }

    fn param_or_plain(&mut self, n: &Node, q: &QType) -> TResult<RTy> {
        // A typedef of a function type (not a pointer) is used behind pointers only.
        if let CType::Func { .. } = self.env().canon(q).ty {
            return err(
                n,
                "typedef of a function type",
                "typedef the function pointer type instead",
            );
        }
        self.rty(n, q)
    }

    fn record_item(&mut self, name: &str, n: &Node) -> TResult<TokenStream> {
        let rec = self.env().records.get(name).cloned().unwrap();
        let mut fields = Vec::new();
        let mut copyable = true;
        for f in &rec.fields {
            let mut t = self.rty(n, &f.ty)?;
            if let Some(a) = f.align {
                self.aligns.insert(a);
                t = RTy::Aligned(a, Box::new(t));
            }
            if rec.union {
                copyable &= true;
            }
            let fname = ident(&f.name);
            let fdoc = ast::inner(n)
                .iter()
                .find(|c| ast::kind(c) == "FieldDecl" && ast::name(c) == Some(f.name.as_str()))
                .map(|c| self.doc(c))
                .unwrap_or_default();
            fields.push(quote!(#fdoc pub #fname: #t));
        }
        let _ = copyable;
        let id = ident(name);
        let doc = self.doc(n);
        // `packed` and a record-level `aligned(N)` change the layout: keep it the C compiler's.
        let packed = ast::inner(n).iter().any(|a| ast::kind(a) == "PackedAttr");
        let repr = match (packed, crate::program::aligned_attr(n)) {
            (true, Some(_)) => {
                return err(
                    n,
                    "packed and aligned struct",
                    "a struct both packed and aligned has no Rust repr",
                );
            }
            (true, None) => quote!(#[repr(C, packed)]),
            (false, Some(a)) => {
                let a = proc_macro2::Literal::u32_unsuffixed(a);
                quote!(#[repr(C, align(#a))])
            }
            (false, None) => quote!(#[repr(C)]),
        };
        if rec.union {
            Ok(quote! {
                #doc
                #repr
                #[derive(Clone, Copy)]
                pub union #id { #(#fields),* }
            })
        } else {
            Ok(quote! {
                #doc
                #repr
                #[derive(Clone, Copy)]
                pub struct #id { #(#fields),* }
            })
        }
    }

    fn enum_item(&mut self, name: &str, n: &Node) -> TResult<TokenStream> {
        let mut out = TokenStream::new();
        let signed = self.env().enums.get(name).is_some_and(|e| e.signed);
        if !name.is_empty() {
            let id = ident(name);
            let t = RTy::Prim(if signed { "i32" } else { "u32" });
            let doc = self.doc(n);
            out.extend(quote!(#doc pub type #id = #t;));
        }
        let mut prev: Option<String> = None;
        // Enumerators have their enum's type, so `kind != LF_SIMPLE` needs no cast.
        let ty = if signed || name.is_empty() {
            "i32"
        } else {
            "u32"
        };
        let rty = RTy::Prim(ty);
        let ty_name = if name.is_empty() {
            quote!(i32)
        } else {
            let id = ident(name);
            quote!(#id)
        };
        for c in ast::inner(n) {
            if ast::kind(c) != "EnumConstantDecl" {
                continue;
            }
            let cname = ast::name(c).unwrap_or("");
            let value = match ast::inner(c).iter().find(|x| ast::kind(x) != "FullComment") {
                Some(init) => {
                    let init = strip_constant(init);
                    let mut f = FnCx::new_const();
                    let te = self.expr(&mut f, init)?;
                    self.coerce(te, &rty, true)
                }
                None => match &prev {
                    Some(p) => RExpr::binary("+", RExpr::path(p), RExpr::lit(1, ty)),
                    None => RExpr::lit(0, ty),
                },
            };
            prev = Some(cname.to_string());
            let id = ident(cname);
            let doc = self.doc(c);
            out.extend(quote!(#doc pub const #id: #ty_name = #value;));
        }
        Ok(out)
    }

    fn global_item(&mut self, name: &str, n: &Node, module_level: bool) -> TResult<TokenStream> {
        let q = self.qtype(n)?;
        let mut t = self.rty(n, &q)?;
        if let Some(a) = aligned_attr(n) {
            self.aligns.insert(a);
            t = RTy::Aligned(a, Box::new(t));
        }
        let mut f = FnCx::new_const();
        let init = match ast::inner(n).iter().rev().find(|c| !is_attr(c)) {
            Some(init) if ast::str_field(n, "init").is_some() => {
                self.init_value(&mut f, init, &q)?
            }
            _ => self.zero_value(n, &q, true)?,
        };
        let init = match &t {
            RTy::Aligned(a, _) => {
                let id =
                    proc_macro2::Ident::new(&format!("Align{a}"), proc_macro2::Span::call_site());
                RExpr::tokens(quote!(crate::#id(#init)))
            }
            _ => init,
        };
        let id = ident(name);
        let is_mut = !self.prog.is_immutable(&q);
        let vis = if module_level
            && (ast::str_field(n, "storageClass") != Some("static") || self.module_is_header())
        {
            quote!(pub)
        } else {
            quote!()
        };
        let doc = self.doc(n);
        if is_mut {
            Ok(quote!(#doc #vis static mut #id: #t = #init;))
        } else {
            Ok(quote!(#doc #vis static #id: #t = #init;))
        }
    }

    /// `#[doc = ...]` lines from the comment clang attached to a declaration
    /// (`-fparse-all-comments`), taken verbatim from the source file.
    fn doc(&self, n: &Node) -> TokenStream {
        let Some(c) = n.get("comment") else {
            return quote!();
        };
        let range = c.get("range");
        let begin = range.and_then(|r| r.get("begin"));
        let end = range.and_then(|r| r.get("end"));
        let (Some(b), Some(e)) = (
            begin.and_then(|b| b.get("offset")).and_then(Value::as_u64),
            end.and_then(|e| e.get("offset")).and_then(Value::as_u64),
        ) else {
            return quote!();
        };
        // The end is the start of the comment's last token: a `//` comment's last character.
        let e = e + end
            .and_then(|e| e.get("tokLen"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let Some(file) = begin.and_then(|b| b.get("file")).and_then(Value::as_str) else {
            return quote!();
        };
        let Some(ws) = self.prog.ws_path(self.tu, file) else {
            return quote!();
        };
        let Some(text) = self.prog.source(&ws) else {
            return quote!();
        };
        let Some(raw) = text.get(b as usize..e as usize) else {
            return quote!();
        };
        let mut lines: Vec<String> = raw
            .lines()
            .map(|l| {
                let l = l.trim_start();
                let l = l
                    .strip_prefix("//")
                    .or_else(|| l.strip_prefix('*'))
                    .unwrap_or(l);
                let l = l.strip_prefix("/*").unwrap_or(l);
                let l = l.trim_end().trim_end_matches("*/").trim_end();
                l.strip_prefix(' ').unwrap_or(l).to_string()
            })
            .collect();
        trim_blank_edges(&mut lines);
        let attrs = lines.iter().map(|l| {
            let s = if l.is_empty() {
                String::new()
            } else {
                format!(" {}", escape_doc(l))
            };
            quote!(#[doc = #s])
        });
        quote!(#(#attrs)*)
    }

    fn module_is_header(&self) -> bool {
        self.prog
            .module_file
            .get(&self.module)
            .is_some_and(|f| f.ends_with(".h"))
    }

    fn function_item(&mut self, name: &str, n: &Node) -> TResult<TokenStream> {
        let q = self.qtype(n)?;
        let CType::Func { ret, .. } = &q.ty else {
            return err(n, "function", "not a function type");
        };
        let ret_ty = self.rty(n, ret)?;
        let body = ast::inner(n)
            .iter()
            .find(|c| ast::kind(c) == "CompoundStmt")
            .unwrap();
        let mut f = FnCx::new(ret_ty.clone());
        f.analyze(self, body)?;
        let mut params = Vec::new();
        for p in ast::inner(n)
            .iter()
            .filter(|c| ast::kind(c) == "ParmVarDecl")
        {
            let pq = self.qtype(p)?;
            let pt = self.param_rty(p, &pq)?;
            let pname = ast::name(p).unwrap_or("_unused");
            let id = ast::str_field(p, "id").unwrap_or("").to_string();
            let rust_name = f.local_name(self, pname);
            f.locals.insert(
                id.clone(),
                Local {
                    name: rust_name.clone(),
                    aligned: false,
                },
            );
            let m = if f.mutated.contains(&id) {
                quote!(mut)
            } else {
                quote!()
            };
            let pid = ident(&rust_name);
            params.push(quote!(#m #pid: #pt));
        }
        let mut stmts = Vec::new();
        self.stmt_list(&mut f, ast::inner(body), &mut stmts)?;
        // C lets a non-void function fall off its end (the value is then unusable); Rust needs a
        // value. An infinite loop needs none.
        if ret_ty != RTy::Unit {
            let mut last = ast::inner(body).last();
            while let Some(l) = last.filter(|l| ast::kind(l) == "LabelStmt") {
                last = ast::inner(l).first();
            }
            let ends = last.is_some_and(|l| ast::kind(l) == "ReturnStmt" || is_infinite_loop(l));
            if !ends {
                stmts.push(quote!(#[allow(unreachable_code)] return core::mem::zeroed();));
            }
        }
        let storage_static = ast::str_field(n, "storageClass") == Some("static");
        let in_header = self.module_is_header();
        let vis = if !storage_static || in_header {
            quote!(pub)
        } else {
            quote!()
        };
        let ret = if ret_ty == RTy::Unit {
            quote!()
        } else {
            quote!(-> #ret_ty)
        };
        let inline = if has_attr(n, "AlwaysInlineAttr") {
            quote!(#[inline(always)])
        } else if ast::bool_field(n, "inline") {
            quote!(#[inline])
        } else {
            quote!()
        };
        let id = ident(name);
        let doc = self.doc(n);
        let qualifiers = if self.prog.plain_fns.contains(name) {
            quote!()
        } else {
            quote!(unsafe extern "C")
        };
        Ok(quote! {
            #doc
            #inline
            #vis #qualifiers fn #id(#(#params),*) #ret {
                #(#stmts)*
            }
        })
    }

    // ---- statements -----------------------------------------------------------------------------

    fn stmt(&mut self, f: &mut FnCx, n: &Node, out: &mut Vec<TokenStream>) -> TResult<()> {
        match ast::kind(n) {
            "CompoundStmt" => {
                let mut inner = Vec::new();
                self.stmt_list(f, ast::inner(n), &mut inner)?;
                out.push(quote!({ #(#inner)* }));
            }
            "DeclStmt" => {
                for d in ast::inner(n) {
                    self.local_decl(f, d, out)?;
                }
            }
            "NullStmt" => {}
            "ReturnStmt" => match ast::inner(n).first() {
                Some(e) => {
                    let te = self.expr(f, e)?;
                    let ret = f.ret.clone();
                    let v = self.coerce(te, &ret, true);
                    out.push(quote!(return #v;));
                }
                None => out.push(quote!(return;)),
            },
            "IfStmt" => {
                let t = self.if_stmt(f, n)?;
                out.push(t);
            }
            "WhileStmt" => {
                let parts = ast::inner(n);
                let (cond, body) = (&parts[parts.len() - 2], &parts[parts.len() - 1]);
                let c = self.cond(f, cond)?;
                let frame = f.push_loop(false);
                let b = self.body_block(f, body)?;
                let label = f.pop_loop(frame);
                out.push(quote!(#label while #c { #(#b)* }));
            }
            "DoStmt" => {
                let parts = ast::inner(n);
                let (body, cond) = (&parts[0], &parts[1]);
                let has_continue = contains_continue(body);
                let frame = f.push_loop(has_continue);
                let b = self.body_block(f, body)?;
                let c = self.cond(f, cond)?;
                let body_label = f.loop_body_label(frame);
                let label = f.pop_loop(frame);
                let not_c = negate(c);
                let b = match body_label {
                    Some(bl) => quote!(#bl: { #(#b)* }),
                    None => quote!(#(#b)*),
                };
                out.push(quote!(#label loop { #b if #not_c { break; } }));
            }
            "ForStmt" => self.for_stmt(f, n, out)?,
            "SwitchStmt" => self.switch_stmt(f, n, out)?,
            "BreakStmt" => {
                let t = f.break_tokens();
                let t = t.ok_or_else(|| TErr {
                    pos: ast::pos(n),
                    construct: "break".into(),
                    msg: "outside of a loop or switch".into(),
                })?;
                out.push(t);
            }
            "ContinueStmt" => {
                let t = f.continue_tokens();
                let t = t.ok_or_else(|| TErr {
                    pos: ast::pos(n),
                    construct: "continue".into(),
                    msg: "outside of a loop".into(),
                })?;
                out.push(t);
            }
            "GotoStmt" => match ast::str_field(n, "id").and_then(|id| f.gotos.get(id)) {
                Some(t) => out.push(t.clone()),
                None => {
                    return err(
                        n,
                        "goto",
                        "a jump into a block or into a switch is not supported (the label must \
                         be a statement of a block that contains the goto)",
                    );
                }
            },
            "LabelStmt" => {
                return err(
                    n,
                    "label",
                    "a label must be a statement of a block (not the body of an if, a loop or \
                     a switch case)",
                );
            }
            "IndirectGotoStmt" => {
                return err(n, "computed goto", "`goto *p` is not supported");
            }
            "CaseStmt" | "DefaultStmt" => {
                return err(
                    n,
                    "case label",
                    "case labels nested inside statements of a switch are not supported",
                );
            }
            "GCCAsmStmt" | "MSAsmStmt" => {
                return err(n, "inline asm", "inline assembly is not supported");
            }
            _ => self.expr_stmt(f, n, out)?,
        }
        Ok(())
    }

    /// Statements of a loop or if body (a compound statement is flattened).
    /// Opens a counted loop's scope (both of its Rust forms): the counter's proven interval, the
    /// loop frame (with a labeled body when `continue` must skip to the increment) and the local.
    fn enter_counted_loop(&self, f: &mut FnCx, plan: &RangePlan, labeled_body: bool) -> usize {
        f.range_vars
            .insert(plan.var_id.clone(), f.loop_var_range(self, plan));
        let frame = f.push_loop(labeled_body);
        f.locals.insert(
            plan.var_id.clone(),
            Local {
                name: plan.var_name.clone(),
                aligned: false,
            },
        );
        frame
    }

    fn body_block(&mut self, f: &mut FnCx, n: &Node) -> TResult<Vec<TokenStream>> {
        let mut out = Vec::new();
        if ast::kind(n) == "CompoundStmt" {
            self.stmt_list(f, ast::inner(n), &mut out)?;
        } else {
            self.stmt(f, n, &mut out)?;
        }
        Ok(out)
    }

    fn if_stmt(&mut self, f: &mut FnCx, n: &Node) -> TResult<TokenStream> {
        let parts = ast::inner(n);
        let c = self.cond(f, &parts[0])?;
        let then = self.body_block(f, &parts[1])?;
        if parts.len() > 2 {
            let els = &parts[2];
            if ast::kind(els) == "IfStmt" {
                let e = self.if_stmt(f, els)?;
                Ok(quote!(if #c { #(#then)* } else #e))
            } else {
                let e = self.body_block(f, els)?;
                Ok(quote!(if #c { #(#then)* } else { #(#e)* }))
            }
        } else {
            Ok(quote!(if #c { #(#then)* }))
        }
    }

    fn for_stmt(&mut self, f: &mut FnCx, n: &Node, out: &mut Vec<TokenStream>) -> TResult<()> {
        let parts = ast::inner(n);
        let (init, cond, inc, body) = (&parts[0], &parts[2], &parts[3], &parts[4]);
        let id = ast::str_field(n, "id").unwrap_or("").to_string();
        if let Some(plan) = f.range_loops.get(&id).cloned() {
            // `for v in a..b`: only when analyze() proved it equivalent.
            let vt = self.rty(n, &plan.var_ty)?;
            let start = self.expr(f, plan.start)?;
            let mut start = self.coerce(start, &vt, true);
            let end = self.expr(f, plan.end)?;
            let end = self.coerce(end, &vt, true);
            if let (RExpr::Lit { force_suffix, .. }, RExpr::Lit { .. }) = (&mut start, &end) {
                *force_suffix = true;
            }
            if contains_continue(body) {
                // `for v in a..b` would turn each `continue` into a jump back into
                // `Range::next`, and LLVM then keeps the loop rolled with a run-time trip count
                // (measured: a 3-iteration loop with two `continue`s cost 7.8 M more instructions
                // on the 720p stream). The C shape, a `while` with the increment after a labeled
                // body, is unrolled as gcc and clang unroll the C. The variable keeps the loop's
                // interval inside the body, and `v < b` makes the increment exact.
                let frame = self.enter_counted_loop(f, &plan, true);
                let b = self.body_block(f, body)?;
                let body_label = f.loop_body_label(frame);
                let label = f.pop_loop(frame);
                let b = match body_label {
                    Some(bl) => quote!(#bl: { #(#b)* }),
                    None => quote!(#(#b)*),
                };
                let v = ident(&plan.var_name);
                let mut start = start;
                if let RExpr::Lit { force_suffix, .. } = &mut start {
                    *force_suffix = false;
                }
                out.push(quote!({
                    let mut #v: #vt = #start;
                    #label while #v < #end { #b #v += 1; }
                }));
                return Ok(());
            }
            let range = if plan.descending {
                // `for (v = a; v > b; v--)`: b+1 ..= a reversed (b exclusive) or b ..= a.
                let low = if plan.inclusive {
                    end
                } else {
                    match &end {
                        RExpr::Lit {
                            text,
                            ty,
                            force_suffix,
                        } => {
                            let v: i128 = lit_value(text).unwrap_or(0) + 1;
                            RExpr::Lit {
                                text: v.to_string(),
                                ty,
                                force_suffix: *force_suffix,
                            }
                        }
                        _ => RExpr::binary("+", end, RExpr::lit(1, "i32")),
                    }
                };
                if let RExpr::Lit { force_suffix, .. } = &mut start {
                    *force_suffix = false;
                }
                let mut low = low;
                if let RExpr::Lit { force_suffix, .. } = &mut low {
                    *force_suffix = true;
                }
                RExpr::Paren(Box::new(RExpr::Range {
                    start: Box::new(low),
                    end: Box::new(start),
                    inclusive: true,
                }))
                .method("rev", vec![])
            } else {
                let r = RExpr::Range {
                    start: Box::new(start),
                    end: Box::new(end),
                    inclusive: plan.inclusive,
                };
                if plan.step != 1 {
                    RExpr::Paren(Box::new(r))
                        .method("step_by", vec![RExpr::lit(plan.step, "usize")])
                } else {
                    r
                }
            };
            let frame = self.enter_counted_loop(f, &plan, false);
            let b = self.body_block(f, body)?;
            let label = f.pop_loop(frame);
            let v = ident(&plan.var_name);
            out.push(quote!(#label for #v in #range { #(#b)* }));
            return Ok(());
        }
        // General form: init; while cond { body; inc; } (in a block if init declares variables).
        let mut block = Vec::new();
        if !ast::is_empty(init) {
            self.stmt(f, init, &mut block)?;
        }
        let has_continue = contains_continue(body) && !ast::is_empty(inc);
        let frame = f.push_loop(has_continue);
        let b = self.body_block(f, body)?;
        let mut inc_stmts = Vec::new();
        if !ast::is_empty(inc) {
            self.expr_stmt(f, inc, &mut inc_stmts)?;
        }
        let body_label = f.loop_body_label(frame);
        let label = f.pop_loop(frame);
        let b = match body_label {
            Some(bl) => quote!(#bl: { #(#b)* }),
            None => quote!(#(#b)*),
        };
        if ast::is_empty(cond) {
            block.push(quote!(#label loop { #b #(#inc_stmts)* }));
        } else {
            let c = self.cond(f, cond)?;
            block.push(quote!(#label while #c { #b #(#inc_stmts)* }));
        }
        if ast::kind(init) == "DeclStmt" {
            out.push(quote!({ #(#block)* }));
        } else {
            out.extend(block);
        }
        Ok(())
    }

    fn switch_stmt(&mut self, f: &mut FnCx, n: &Node, out: &mut Vec<TokenStream>) -> TResult<()> {
        let parts = ast::inner(n);
        let (cond_n, body) = (&parts[parts.len() - 2], &parts[parts.len() - 1]);
        let cond = self.expr(f, cond_n)?;
        let cond_kind = self.env().int_kind(&self.qtype(cond_n)?);
        let Some(cond_kind) = cond_kind else {
            return err(n, "switch", "condition is not an integer");
        };
        // Flatten the body into groups of labels and the statements after them.
        struct Group<'n> {
            labels: Vec<Option<&'n Node>>, // None = default
            stmts: Vec<&'n Node>,
        }
        let mut groups: Vec<Group> = Vec::new();
        let stmts: Vec<&Node> = if ast::kind(body) == "CompoundStmt" {
            ast::inner(body).iter().collect()
        } else {
            vec![body]
        };
        for s in stmts {
            let mut s = s;
            let mut labels = Vec::new();
            loop {
                match ast::kind(s) {
                    "CaseStmt" => {
                        let inner = ast::inner(s);
                        if inner.len() > 2 {
                            return err(s, "case range", "GNU case ranges are not supported");
                        }
                        labels.push(Some(&inner[0]));
                        s = inner.last().unwrap();
                    }
                    "DefaultStmt" => {
                        labels.push(None);
                        s = ast::inner(s).last().unwrap();
                    }
                    _ => break,
                }
            }
            if !labels.is_empty() {
                match groups.last_mut() {
                    Some(g) if g.stmts.is_empty() => g.labels.extend(labels),
                    _ => groups.push(Group {
                        labels,
                        stmts: Vec::new(),
                    }),
                }
            }
            if ast::kind(s) == "NullStmt" && ast::inner(s).is_empty() {
                continue;
            }
            match groups.last_mut() {
                Some(g) => g.stmts.push(s),
                None => {
                    if ast::kind(s) != "DeclStmt" {
                        return err(s, "switch", "statement before the first case label");
                    }
                    return err(s, "switch", "declaration before the first case label");
                }
            }
        }
        // Patterns.
        let cond_ty = cond.ty.clone();
        let mut pats: Vec<Vec<Option<TokenStream>>> = Vec::new();
        for g in &groups {
            let mut ps = Vec::new();
            for l in &g.labels {
                ps.push(match l {
                    None => None,
                    Some(v) => Some(self.case_pattern(v, cond_kind, &cond_ty)?),
                });
            }
            pats.push(ps);
        }
        let fallthrough = groups
            .iter()
            .enumerate()
            .any(|(i, g)| i + 1 < groups.len() && !terminates(&g.stmts));
        let cond_e = cond.e;
        if !fallthrough {
            let frame = f.push_switch(false);
            let mut arms = Vec::new();
            let mut has_default = false;
            for (g, ps) in groups.iter().zip(&pats) {
                let mut stmts = g.stmts.clone();
                if stmts.last().is_some_and(|s| ast::kind(s) == "BreakStmt") {
                    stmts.pop();
                }
                let mut body = Vec::new();
                for s in stmts {
                    self.stmt(f, s, &mut body)?;
                }
                let pat = if ps.iter().any(Option::is_none) {
                    has_default = true;
                    quote!(_)
                } else {
                    let ps: Vec<&TokenStream> = ps.iter().flatten().collect();
                    quote!(#(#ps)|*)
                };
                arms.push(quote!(#pat => { #(#body)* }));
            }
            if !has_default {
                arms.push(quote!(_ => {}));
            }
            let label = f.pop_switch(frame);
            let m = quote!(match #cond_e { #(#arms)* });
            match label {
                Some(l) => out.push(quote!(#l: { #m })),
                None => out.push(m),
            }
            return Ok(());
        }
        // Fallthrough: nested labeled blocks; the match jumps to the end of block i, where the
        // code of case group i starts, and falls through into the next group's code.
        let frame = f.push_switch(true);
        let sw = f.switch_label(frame);
        let case_labels: Vec<TokenStream> = (0..groups.len())
            .map(|i| lifetime(&format!("{}_{}", f.label_base(frame), i)))
            .collect();
        let mut arms = Vec::new();
        let mut default_target = None;
        for (i, ps) in pats.iter().enumerate() {
            let target = &case_labels[i];
            let mut concrete = Vec::new();
            for p in ps {
                match p {
                    None => default_target = Some(target.clone()),
                    Some(p) => concrete.push(p.clone()),
                }
            }
            if !concrete.is_empty() {
                arms.push(quote!(#(#concrete)|* => break #target,));
            }
        }
        let default_arm = match default_target {
            Some(t) => quote!(_ => break #t,),
            None => quote!(_ => break #sw,),
        };
        let mut inner = quote!(match #cond_e { #(#arms)* #default_arm });
        for (i, g) in groups.iter().enumerate() {
            f.push_block();
            let mut body = Vec::new();
            for s in &g.stmts {
                self.stmt(f, s, &mut body)?;
            }
            f.pop_block();
            let l = &case_labels[i];
            inner = quote!(#l: { #inner } #(#body)*);
        }
        f.pop_switch(frame);
        out.push(quote!(#sw: { #inner }));
        Ok(())
    }

    fn case_pattern(
        &mut self,
        v: &Node,
        cond_kind: IntKind,
        cond_ty: &RTy,
    ) -> TResult<TokenStream> {
        let Some(value) = self.prog.eval_const(v) else {
            return err(v, "case label", "not a constant");
        };
        let value = wrap_to(value, cond_kind);
        // Use the enumerator's name when its type (i32) is the condition's type.
        let mut inner = v;
        while matches!(
            ast::kind(inner),
            "ConstantExpr" | "ImplicitCastExpr" | "ParenExpr"
        ) {
            if ast::kind(inner) == "ImplicitCastExpr" {
                break;
            }
            inner = &ast::inner(inner)[0];
        }
        if ast::kind(inner) == "DeclRefExpr" {
            if let Some(name) = referenced_enum_const(inner) {
                if let Some(info) = self
                    .prog
                    .enum_consts
                    .get(name)
                    .filter(|i| self.canon_rty(cond_ty) == RTy::Prim(i.ty))
                    .cloned()
                {
                    self.import(&info.owner, name);
                    return Ok(ident(name));
                }
            }
        }
        let lit = RExpr::lit(value, cond_kind.rust());
        Ok(quote!(#lit))
    }

    fn local_decl(&mut self, f: &mut FnCx, d: &Node, out: &mut Vec<TokenStream>) -> TResult<()> {
        match ast::kind(d) {
            "VarDecl" => {}
            "TypedefDecl" | "RecordDecl" | "EnumDecl" => {
                return err(d, "local type declaration", "declare types at file scope");
            }
            k => return err(d, k, "unsupported declaration in a function"),
        }
        let id = ast::str_field(d, "id").unwrap_or("").to_string();
        let cname = ast::name(d).unwrap_or("");
        if f.dropped.contains(&id) {
            return Ok(());
        }
        if ast::str_field(d, "storageClass") == Some("static") {
            let item = self.global_item(cname, d, false)?;
            f.locals.insert(
                id,
                Local {
                    name: cname.to_string(),
                    aligned: aligned_attr(d).is_some(),
                },
            );
            out.push(item);
            return Ok(());
        }
        if ast::str_field(d, "storageClass") == Some("extern") {
            return err(d, "block-scope extern", "declare it at file scope");
        }
        let q = self.qtype(d)?;
        let mut t = self.rty(d, &q)?;
        let align = aligned_attr(d);
        let init = match ast::inner(d).iter().rev().find(|c| !is_attr(c)) {
            Some(init) if ast::str_field(d, "init").is_some() => self.init_value(f, init, &q)?,
            _ => self.zero_value(d, &q, false)?,
        };
        let init = if let Some(a) = align {
            self.aligns.insert(a);
            t = RTy::Aligned(a, Box::new(t));
            let id = proc_macro2::Ident::new(&format!("Align{a}"), proc_macro2::Span::call_site());
            RExpr::tokens(quote!(crate::#id(#init)))
        } else {
            init
        };
        let name = f.local_name(self, cname);
        let m = if f.mutated.contains(&id) {
            quote!(mut)
        } else {
            quote!()
        };
        f.locals.insert(
            id,
            Local {
                name: name.clone(),
                aligned: align.is_some(),
            },
        );
        let v = ident(&name);
        if f.hoisting {
            // A goto region wraps this declaration's block: declare it before the regions so
            // code after a label still sees it (C lets a jump skip the initialization).
            let mut zero = self.zero_value(d, &q, false)?;
            if let Some(a) = align {
                let id =
                    proc_macro2::Ident::new(&format!("Align{a}"), proc_macro2::Span::call_site());
                zero = RExpr::tokens(quote!(crate::#id(#zero)));
            }
            if ast::str_field(d, "init").is_some() {
                f.hoisted
                    .push(quote!(#[allow(unused_assignments)] let mut #v: #t = #zero;));
                out.push(quote!(#v = #init;));
            } else {
                f.hoisted.push(quote!(let #m #v: #t = #zero;));
            }
            return Ok(());
        }
        out.push(quote!(let #m #v: #t = #init;));
        Ok(())
    }

    /// The statements of a block. A block holding labels is laid out as labelled Rust blocks
    /// (a forward `goto L` leaves `'L: { .. }`, which ends where `L:` stands) and labelled loops
    /// (a backward `goto L` continues `'L: loop { .. break; }`, which starts at `L:`). The
    /// regions must nest: a forward block may start earlier and a loop may end later than
    /// needed, and jumps that cross in a way neither fixes are refused.
    fn stmt_list(
        &mut self,
        f: &mut FnCx,
        stmts: &[Node],
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
        if !stmts.iter().any(|s| ast::kind(s) == "LabelStmt") {
            for s in stmts {
                self.stmt(f, s, out)?;
            }
            return Ok(());
        }
        let mut regions: Vec<GotoRegion> = Vec::new();
        for (l, s) in stmts.iter().enumerate() {
            if ast::kind(s) != "LabelStmt" {
                continue;
            }
            let decl = ast::str_field(s, "declId").unwrap_or("").to_string();
            let name = ast::name(s).unwrap_or("label").to_string();
            let (mut fwd, mut back) = (Vec::new(), Vec::new());
            let (mut first, mut last) = (None, None);
            for (j, c) in stmts.iter().enumerate() {
                let mut ids = Vec::new();
                gotos_to(c, &decl, &mut ids);
                if ids.is_empty() {
                    continue;
                }
                if j < l {
                    first.get_or_insert(j);
                    fwd.extend(ids);
                } else {
                    last = Some(j);
                    back.extend(ids);
                }
            }
            let both = first.is_some() && last.is_some();
            if let Some(start) = first {
                regions.push(GotoRegion {
                    start,
                    end: l,
                    forward: true,
                    label: name.clone(),
                    gotos: fwd,
                });
            }
            if let Some(j) = last {
                regions.push(GotoRegion {
                    start: l,
                    end: j + 1,
                    forward: false,
                    label: if both {
                        format!("{name}_loop")
                    } else {
                        name.clone()
                    },
                    gotos: back,
                });
            }
        }
        // Make the regions nest.
        loop {
            let mut changed = false;
            for a in 0..regions.len() {
                for b in 0..regions.len() {
                    let (ra, rb) = (&regions[a], &regions[b]);
                    if ra.start < rb.start && rb.start < ra.end && ra.end < rb.end {
                        if rb.forward {
                            regions[b].start = regions[a].start;
                        } else if !ra.forward {
                            regions[a].end = regions[b].end;
                        } else {
                            let at = &stmts[regions[b].start];
                            return err(
                                at,
                                "goto",
                                format!(
                                    "the jumps to `{}` and to `{}` cross each other (irreducible \
                                     control flow is not supported)",
                                    regions[a].label, regions[b].label
                                ),
                            );
                        }
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        for r in &regions {
            let l = lifetime(&r.label);
            let t = if r.forward {
                quote!(break #l;)
            } else {
                quote!(continue #l;)
            };
            for g in &r.gotos {
                f.gotos.insert(g.clone(), t.clone());
            }
        }
        let all: Vec<usize> = (0..regions.len()).collect();
        let mut body = Vec::new();
        let hoisted_before = std::mem::take(&mut f.hoisted);
        self.goto_range(f, stmts, 0, stmts.len(), &regions, &all, false, &mut body)?;
        let hoisted = std::mem::replace(&mut f.hoisted, hoisted_before);
        out.extend(hoisted);
        out.extend(body);
        Ok(())
    }

    /// Statements `lo..hi` of a block with goto regions `within` (indices into `regions`).
    #[allow(clippy::too_many_arguments)]
    fn goto_range(
        &mut self,
        f: &mut FnCx,
        stmts: &[Node],
        lo: usize,
        hi: usize,
        regions: &[GotoRegion],
        within: &[usize],
        in_region: bool,
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
        let mut i = lo;
        while i < hi {
            // The outermost region starting here.
            let outer = within
                .iter()
                .copied()
                .filter(|&r| regions[r].start == i && regions[r].end <= hi)
                .max_by_key(|&r| (regions[r].end, !regions[r].forward));
            if let Some(r) = outer {
                let reg = &regions[r];
                let inner: Vec<usize> = within
                    .iter()
                    .copied()
                    .filter(|&x| {
                        x != r && regions[x].start >= reg.start && regions[x].end <= reg.end
                    })
                    .collect();
                f.push_block();
                let mut body = Vec::new();
                self.goto_range(
                    f, stmts, reg.start, reg.end, regions, &inner, true, &mut body,
                )?;
                f.pop_block();
                let l = lifetime(&reg.label);
                if reg.forward {
                    out.push(quote!(#l: { #(#body)* }));
                } else {
                    out.push(quote!(#l: loop { #(#body)* break; }));
                }
                i = reg.end;
                continue;
            }
            let mut s = &stmts[i];
            if ast::kind(s) == "LabelStmt" {
                s = &ast::inner(s)[0];
            }
            if in_region && ast::kind(s) == "DeclStmt" {
                f.hoisting = true;
                let r = self.stmt(f, s, out);
                f.hoisting = false;
                r?;
            } else {
                self.stmt(f, s, out)?;
            }
            i += 1;
        }
        Ok(())
    }

    /// The value of an initializer for an object of type `q`.
    fn init_value(&mut self, f: &mut FnCx, n: &Node, q: &QType) -> TResult<RExpr> {
        let c = self.env().canon(q);
        match ast::kind(n) {
            "InitListExpr" => {
                // With an array filler (fewer initializers than elements), clang 14 writes the
                // filler and then the initializers into "array_filler".
                let mut items: Vec<&Node> = Vec::new();
                if let Some(af) = n.get("array_filler").and_then(Value::as_array) {
                    items.extend(af.iter().skip(1));
                }
                items.extend(ast::inner(n).iter());
                match &c.ty {
                    CType::Array(e, Some(len)) => {
                        let mut out = Vec::new();
                        for it in &items {
                            out.push(self.init_value(f, it, e)?);
                        }
                        if (out.len() as u64) < *len {
                            if out.is_empty() {
                                return self.zero_value(n, q, f.const_ctx);
                            }
                            for _ in out.len() as u64..*len {
                                out.push(self.zero_value(n, e, f.const_ctx)?);
                            }
                        }
                        Ok(RExpr::ArrayLit(out))
                    }
                    CType::Record { name, union: false } => {
                        let rec = self.env().records.get(name).cloned().unwrap();
                        let rt = self.rty(n, &QType::new(c.ty.clone()))?;
                        let mut fields = Vec::new();
                        for (i, fi) in rec.fields.iter().enumerate() {
                            let mut v = match items.get(i) {
                                Some(it) => self.init_value(f, it, &fi.ty)?,
                                None => self.zero_value(n, &fi.ty, f.const_ctx)?,
                            };
                            if let Some(a) = fi.align {
                                let id = proc_macro2::Ident::new(
                                    &format!("Align{a}"),
                                    proc_macro2::Span::call_site(),
                                );
                                v = RExpr::tokens(quote!(crate::#id(#v)));
                            }
                            fields.push((ident(&fi.name), v));
                        }
                        Ok(RExpr::StructLit(quote!(#rt), fields))
                    }
                    CType::Record { union: true, .. } => {
                        err(n, "union initializer", "initialize unions by assignment")
                    }
                    _ => match items.first() {
                        Some(it) => self.init_value(f, it, q),
                        None => self.zero_value(n, q, f.const_ctx),
                    },
                }
            }
            "ImplicitValueInitExpr" => self.zero_value(n, q, f.const_ctx),
            "StringLiteral" if matches!(c.ty, CType::Array(..)) => {
                let CType::Array(e, Some(len)) = &c.ty else {
                    return err(n, "string initializer", "unsized array");
                };
                let mut bytes = string_bytes(n)?;
                bytes.resize(*len as usize, 0);
                let et = self.rty(n, e)?;
                let items = bytes
                    .iter()
                    .map(|b| {
                        if et == RTy::Prim("u8") {
                            RExpr::lit(*b as i128, "u8")
                        } else {
                            RExpr::lit(*b as i8 as i128, "i8")
                        }
                    })
                    .collect();
                Ok(RExpr::ArrayLit(items))
            }
            _ => {
                let te = self.expr(f, n)?;
                let t = self.rty(n, q)?;
                Ok(self.coerce(te, &t, true))
            }
        }
    }

    fn zero_value(&mut self, n: &Node, q: &QType, const_ctx: bool) -> TResult<RExpr> {
        let c = self.env().canon(q);
        let t = self.rty(n, q)?;
        Ok(match &c.ty {
            CType::Int(k) => RExpr::lit(0, k.rust()),
            CType::Enum(_) => RExpr::lit(0, "u32"),
            CType::Bool => RExpr::tokens(quote!(false)),
            CType::Float | CType::Double => RExpr::tokens(quote!(0.0)),
            CType::Pointer(_) => match t {
                RTy::FnPtr { .. } => RExpr::tokens(quote!(None)),
                RTy::Ptr { mutable: true, .. } => RExpr::tokens(quote!(core::ptr::null_mut())),
                _ => RExpr::tokens(quote!(core::ptr::null())),
            },
            CType::Array(e, Some(len)) => {
                let z = self.zero_value(n, e, const_ctx)?;
                match z {
                    RExpr::Lit { .. } | RExpr::ArrayRepeat(..) => {
                        RExpr::ArrayRepeat(Box::new(z), *len)
                    }
                    RExpr::Atom(ref t)
                        if t.to_string() != "core :: mem :: zeroed ()"
                            && !t.to_string().contains("zeroed") =>
                    {
                        RExpr::ArrayRepeat(Box::new(z), *len)
                    }
                    _ => zeroed(const_ctx),
                }
            }
            _ => zeroed(const_ctx),
        })
    }

    fn expr_stmt(&mut self, f: &mut FnCx, n: &Node, out: &mut Vec<TokenStream>) -> TResult<()> {
        let n = strip_parens(n);
        match ast::kind(n) {
            "BinaryOperator" => {
                let op = ast::str_field(n, "opcode").unwrap_or("");
                let parts = ast::inner(n);
                match op {
                    "=" => {
                        // `a = b = c;` as `b = c; a = b;` when b can be read again.
                        let rhs = strip_parens(&parts[1]);
                        if ast::kind(rhs) == "BinaryOperator"
                            && ast::str_field(rhs, "opcode") == Some("=")
                            && is_pure(&ast::inner(rhs)[0])
                        {
                            self.expr_stmt(f, rhs, out)?;
                            let lhs = self.expr(f, &parts[0])?;
                            let inner_lhs = self.expr(f, &ast::inner(rhs)[0])?;
                            let v = self.coerce(inner_lhs, &lhs.ty, true);
                            let a = RExpr::Assign("=", Box::new(lhs.e), Box::new(v));
                            out.push(quote!(#a;));
                            return Ok(());
                        }
                        let a = self.assign(f, n)?;
                        out.push(quote!(#a;));
                        return Ok(());
                    }
                    "," => {
                        self.expr_stmt(f, &parts[0], out)?;
                        self.expr_stmt(f, &parts[1], out)?;
                        return Ok(());
                    }
                    _ => {}
                }
            }
            "CompoundAssignOperator" => {
                let a = self.compound_assign(f, n)?;
                out.push(quote!(#a;));
                return Ok(());
            }
            "UnaryOperator" => {
                let op = ast::str_field(n, "opcode").unwrap_or("");
                if op == "++" || op == "--" {
                    let a = self.inc_dec_stmt(f, n)?;
                    out.push(quote!(#a;));
                    return Ok(());
                }
            }
            "CStyleCastExpr" if ast::str_field(n, "castKind") == Some("ToVoid") => {
                let inner = &ast::inner(n)[0];
                if is_pure(inner) {
                    let te = self.expr(f, inner)?;
                    let e = te.e;
                    out.push(quote!(let _ = #e;));
                } else {
                    self.expr_stmt(f, inner, out)?;
                }
                return Ok(());
            }
            "ConditionalOperator" => {
                let parts = ast::inner(n);
                let c = self.cond(f, &parts[0])?;
                let mut a = Vec::new();
                self.expr_stmt(f, &parts[1], &mut a)?;
                let mut b = Vec::new();
                self.expr_stmt(f, &parts[2], &mut b)?;
                out.push(quote!(if #c { #(#a)* } else { #(#b)* }));
                return Ok(());
            }
            "CallExpr" => {
                if let Some(t) = self.special_call_stmt(f, n)? {
                    out.extend(t);
                    return Ok(());
                }
            }
            _ => {}
        }
        let te = self.expr(f, n)?;
        let e = te.e;
        if te.ty == RTy::Unit || matches!(e, RExpr::Call(..) | RExpr::Method(..) | RExpr::Block(..))
        {
            out.push(quote!(#e;));
        } else {
            out.push(quote!(let _ = #e;));
        }
        Ok(())
    }

    // ---- expressions ----------------------------------------------------------------------------

    /// Convert `te` to type `to`; `site`: Rust coerces `*mut T` to `*const T` here by itself.
    pub fn coerce(&mut self, te: TE, to: &RTy, site: bool) -> RExpr {
        let from = self.canon_rty(&te.ty);
        let target = self.canon_rty(to);
        if from == target || *to == RTy::Unit {
            return te.e;
        }
        if let (
            RTy::Ptr {
                mutable: true,
                to: a,
            },
            RTy::Ptr {
                mutable: false,
                to: b,
            },
        ) = (&from, &target)
        {
            if a == b && site {
                return te.e;
            }
        }
        // Literals adapt to any integer type they fit.
        if let (RExpr::Lit { text, .. }, RTy::Prim(p)) = (&te.e, &target) {
            if let Some(v) = lit_value(text) {
                if prim_fits(p, v) {
                    return RExpr::Lit {
                        text: text.clone(),
                        ty: p,
                        force_suffix: false,
                    };
                }
            }
        }
        if let RTy::FnPtr { .. } = target {
            // Function pointers of different C types: transmute (same ABI representation).
            let t = to.clone();
            let e = te.e;
            return RExpr::tokens(quote!(core::mem::transmute::<_, #t>(#e)));
        }
        if target == RTy::Prim("bool") {
            return self.truthy(te);
        }
        let e = match te.e {
            // `(a < b) as i32 as u8` is `(a < b) as u8`.
            RExpr::Cast(inner, RTy::Prim("i32"))
                if from == RTy::Prim("i32") && is_bool_expr(&inner) =>
            {
                *inner
            }
            e => e,
        };
        e.cast(to.clone())
    }

    /// A Rust `bool` for a C scalar used as a condition.
    fn truthy(&mut self, te: TE) -> RExpr {
        let ty = self.canon_rty(&te.ty);
        match ty {
            RTy::Prim("bool") => te.e,
            RTy::Ptr { .. } => te.e.method("is_null", vec![]).negated(),
            RTy::FnPtr { .. } => te.e.method("is_some", vec![]),
            RTy::Prim("f32") | RTy::Prim("f64") => {
                RExpr::binary("!=", te.e, RExpr::tokens(quote!(0.0)))
            }
            _ => match te.e {
                RExpr::Cast(inner, _) if is_bool_expr(&inner) => *inner,
                e => RExpr::binary("!=", e, RExpr::lit(0, "i32")),
            },
        }
    }

    /// Translate a C expression used as a condition (a Rust `bool`).
    pub fn cond(&mut self, f: &mut FnCx, n: &Node) -> TResult<RExpr> {
        let n = strip_parens(n);
        match ast::kind(n) {
            "BinaryOperator" => {
                let op = ast::str_field(n, "opcode").unwrap_or("");
                let parts = ast::inner(n);
                match op {
                    "&&" | "||" => {
                        let l = self.cond(f, &parts[0])?;
                        let r = self.cond(f, &parts[1])?;
                        let op: &'static str = if op == "&&" { "&&" } else { "||" };
                        return Ok(RExpr::binary(op, l, r));
                    }
                    "==" | "!=" | "<" | ">" | "<=" | ">=" => return self.comparison(f, n, op),
                    _ => {}
                }
            }
            "UnaryOperator" if ast::str_field(n, "opcode") == Some("!") => {
                let inner = &ast::inner(n)[0];
                let c = self.cond(f, inner)?;
                return Ok(negate(c));
            }
            "ImplicitCastExpr"
                if matches!(
                    ast::str_field(n, "castKind"),
                    Some("IntegralToBoolean" | "PointerToBoolean" | "FloatingToBoolean")
                ) =>
            {
                return self.cond(f, &ast::inner(n)[0]);
            }
            _ => {}
        }
        let te = self.expr(f, n)?;
        Ok(self.truthy(te))
    }

    fn comparison(&mut self, f: &mut FnCx, n: &Node, op: &str) -> TResult<RExpr> {
        let parts = ast::inner(n);
        let op: &'static str = match op {
            "==" => "==",
            "!=" => "!=",
            "<" => "<",
            ">" => ">",
            "<=" => "<=",
            _ => ">=",
        };
        // Comparisons with a null pointer constant.
        for (a, b) in [(&parts[0], &parts[1]), (&parts[1], &parts[0])] {
            if is_null_const(b) && (op == "==" || op == "!=") {
                let te = self.expr(f, a)?;
                let test = match self.canon_rty(&te.ty) {
                    RTy::FnPtr { .. } => te.e.method("is_none", vec![]),
                    _ => te.e.method("is_null", vec![]),
                };
                return Ok(if op == "==" { test } else { test.negated() });
            }
        }
        let l = self.expr(f, &parts[0])?;
        let r = self.expr(f, &parts[1])?;
        let lt = l.ty.clone();
        let r = self.coerce(r, &lt, false);
        Ok(RExpr::binary(op, l.e, r))
    }

    pub fn expr(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        match ast::kind(n) {
            "ParenExpr" => self.expr(f, &ast::inner(n)[0]),
            "ConstantExpr" => self.expr(f, &ast::inner(n)[0]),
            "IntegerLiteral" => {
                let t = self.node_rty(n)?;
                // A macro that names this literal (`#define VP8_BORDER 32`): its const.
                if let Some((name, owner)) = self.prog.macro_const_of(self.tu, n) {
                    self.import(&owner, &name);
                    return Ok(TE::new(RExpr::path(&name), t));
                }
                let v = ast::str_field(n, "value").unwrap_or("0").to_string();
                // Keep the literal as written (hex stays hex) when it means the same.
                let text = self
                    .prog
                    .literal_spelling(self.tu, n)
                    .filter(|s| lit_value(s).map(|x| x.to_string()) == Some(v.clone()))
                    .unwrap_or(v);
                let p = t.prim().unwrap_or("i32");
                Ok(TE::new(
                    RExpr::Lit {
                        text,
                        ty: p,
                        force_suffix: false,
                    },
                    t,
                ))
            }
            "CharacterLiteral" => {
                let v = const_value(n).unwrap_or(0);
                Ok(TE::new(RExpr::lit(v, "i32"), RTy::Prim("i32")))
            }
            "FloatingLiteral" => {
                let t = self.node_rty(n)?;
                let v = ast::str_field(n, "value").unwrap_or("0").to_string();
                let v = if v.contains(['.', 'e', 'E', 'n', 'i']) {
                    v
                } else {
                    format!("{v}.0")
                };
                let p = t.prim().unwrap_or("f64");
                Ok(TE::new(
                    RExpr::Lit {
                        text: v,
                        ty: p,
                        force_suffix: false,
                    },
                    t,
                ))
            }
            "StringLiteral" => err(n, "string literal", "string literal used as an array value"),
            "DeclRefExpr" => self.decl_ref(f, n),
            "ImplicitCastExpr" | "CStyleCastExpr" => self.cast_expr(f, n),
            "UnaryOperator" => self.unary(f, n),
            "BinaryOperator" => self.binary(f, n),
            "CompoundAssignOperator" => {
                let a = self.compound_assign(f, n)?;
                let t = self.node_rty(n)?;
                let lhs = self.expr(f, &ast::inner(n)[0])?;
                if !is_pure(&ast::inner(n)[0]) {
                    return err(
                        n,
                        "compound assignment",
                        "value of a compound assignment with side effects",
                    );
                }
                Ok(TE::new(
                    RExpr::Block(vec![quote!(#a;)], Some(Box::new(lhs.e))),
                    t,
                ))
            }
            "ConditionalOperator" => {
                let parts = ast::inner(n);
                let t = self.node_rty(n)?;
                let c = self.cond(f, &parts[0])?;
                let a = self.expr(f, &parts[1])?;
                let a = self.coerce(a, &t, true);
                let b = self.expr(f, &parts[2])?;
                let b = self.coerce(b, &t, true);
                Ok(TE::new(RExpr::If(Box::new(c), Box::new(a), Box::new(b)), t))
            }
            "CallExpr" => self.call(f, n),
            "MemberExpr" => self.member(f, n),
            "ArraySubscriptExpr" => self.subscript(f, n),
            "UnaryExprOrTypeTraitExpr" => {
                let name = ast::str_field(n, "name").unwrap_or("");
                let q = match n
                    .get("argType")
                    .and_then(|t| t.get("qualType"))
                    .and_then(Value::as_str)
                {
                    Some(t) => parse_type(t).or_else(|e| err(n, "sizeof", e))?,
                    None => self.qtype(&ast::inner(n)[0])?,
                };
                let t = self.rty(n, &q)?;
                let func = match name {
                    "sizeof" => "size_of",
                    "alignof" | "_Alignof" | "__alignof" => "align_of",
                    _ => return err(n, name, "unsupported type trait"),
                };
                let func = proc_macro2::Ident::new(func, proc_macro2::Span::call_site());
                Ok(TE::new(
                    RExpr::tokens(quote!(core::mem::#func::<#t>())),
                    RTy::Prim("usize"),
                ))
            }
            "CompoundLiteralExpr" => {
                let q = self.qtype(n)?;
                let t = self.rty(n, &q)?;
                let v = self.init_value(f, &ast::inner(n)[0], &q)?;
                Ok(TE::new(v, t))
            }
            "InitListExpr" => {
                let q = self.qtype(n)?;
                let t = self.rty(n, &q)?;
                let v = self.init_value(f, n, &q)?;
                Ok(TE::new(v, t))
            }
            "ImplicitValueInitExpr" => {
                let q = self.qtype(n)?;
                let t = self.rty(n, &q)?;
                let v = self.zero_value(n, &q, f.const_ctx)?;
                Ok(TE::new(v, t))
            }
            "StmtExpr" => err(
                n,
                "statement expression",
                "GNU statement expressions are not supported",
            ),
            "VAArgExpr" => err(n, "va_arg", "variadic arguments are not supported"),
            "BinaryConditionalOperator" => {
                err(n, "?: with omitted operand", "GNU extension not supported")
            }
            "PredefinedExpr" => err(n, "__func__", "not supported"),
            k => err(n, k, "unsupported expression"),
        }
    }

    fn decl_ref(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let r = n.get("referencedDecl").cloned().unwrap_or(Value::Null);
        let kind = ast::kind(&r);
        let name = ast::name(&r).unwrap_or("").to_string();
        let id = ast::str_field(&r, "id").unwrap_or("").to_string();
        let t = self.node_rty(n)?;
        match kind {
            "VarDecl" | "ParmVarDecl" => {
                if let Some(l) = f.locals.get(&id) {
                    let mut e = RExpr::path(&l.name);
                    if l.aligned {
                        e = RExpr::Field(Box::new(e), quote!(0));
                    }
                    return Ok(TE::new(e, t));
                }
                let Some(g) = self.prog.lookup_global(self.tu, &name).cloned() else {
                    return err(
                        n,
                        "variable",
                        format!("`{name}` is declared but never defined"),
                    );
                };
                let mut e = match &g.owner {
                    Owner::Module(m) => {
                        self.import(m, &name);
                        RExpr::path(&name)
                    }
                    // A C library object (`stdout`, `optarg`, ...): the libc crate declares few
                    // of them, so the crate root declares each one used, with its C type.
                    Owner::Libc => {
                        self.uses_libc = true;
                        let ty = self.rty(n, &g.ty)?;
                        self.c_globals
                            .insert((name.clone(), quote!(#ty).to_string()));
                        self.import(&Vec::new(), &name);
                        RExpr::path(&name)
                    }
                    Owner::Asm => {
                        return err(
                            n,
                            "variable",
                            format!("`{name}`: asm headers declare functions only"),
                        );
                    }
                };
                if aligned_attr_global(self.prog, &name) {
                    e = RExpr::Field(Box::new(e), quote!(0));
                }
                Ok(TE::new(e, t))
            }
            "EnumConstantDecl" => {
                let Some(info) = self.prog.enum_consts.get(&name).cloned() else {
                    return err(
                        n,
                        "enumerator",
                        format!("`{name}` comes from a system header"),
                    );
                };
                self.import(&info.owner, &name);
                Ok(TE::new(RExpr::path(&name), RTy::Prim(info.ty)))
            }
            "FunctionDecl" => {
                let fe = self.fn_path(n, &name)?;
                Ok(TE::new(fe, RTy::Never))
            }
            k => err(n, k, "unsupported reference"),
        }
    }

    /// The path of a function, importing it.
    fn fn_path(&mut self, n: &Node, name: &str) -> TResult<RExpr> {
        let Some(info) = self.prog.lookup_fn(self.tu, name).cloned() else {
            return err(
                n,
                "function",
                format!("`{name}` is declared but defined in no translated file"),
            );
        };
        Ok(match &info.owner {
            Owner::Module(m) => {
                self.import(m, name);
                RExpr::path(name)
            }
            Owner::Libc => {
                self.uses_libc = true;
                RExpr::Path(path(&format!("libc::{name}")))
            }
            Owner::Asm => match self.prog.layout.asm_rust_crate.clone() {
                Some(krate) => {
                    self.import(&vec![format!("@{krate}")], name);
                    RExpr::path(name)
                }
                None => {
                    self.asm_used.insert(name.to_string());
                    self.import(&vec!["asm".to_string()], name);
                    RExpr::path(name)
                }
            },
        })
    }

    fn cast_expr(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let ck = ast::str_field(n, "castKind").unwrap_or("");
        let inner = &ast::inner(n)[0];
        let t = self.node_rty(n)?;
        match ck {
            "LValueToRValue" | "NoOp" | "AtomicToNonAtomic" | "NonAtomicToAtomic" => {
                // `(const T *)&x`: take a const pointer directly.
                let si = strip_parens(inner);
                if ck == "NoOp"
                    && ast::kind(si) == "UnaryOperator"
                    && ast::str_field(si, "opcode") == Some("&")
                {
                    return self.addr_of(f, &ast::inner(si)[0], &t);
                }
                let te = self.expr(f, inner)?;
                if ck == "NoOp" {
                    let e = self.coerce(te, &t, false);
                    return Ok(TE::new(e, t));
                }
                Ok(TE::new(te.e, t))
            }
            "IntegralCast"
            | "IntegralToFloating"
            | "FloatingToIntegral"
            | "FloatingCast"
            | "BitCast"
            | "IntegralToPointer"
            | "PointerToIntegral"
            | "BooleanToSignedIntegral" => {
                // Comparisons and logical operators: (a < b) as T.
                if ck == "IntegralCast" && is_c_bool_op(inner) {
                    let c = self.cond(f, inner)?;
                    if self.canon_rty(&t) == RTy::Prim("bool") {
                        return Ok(TE::new(c, t));
                    }
                    return Ok(TE::new(c.cast(t.clone()), t));
                }
                if ck == "BitCast" && is_null_const(inner) {
                    // `(fnptr)(void *)0` and the like: a null of the target type.
                    let e = match self.canon_rty(&t) {
                        RTy::FnPtr { .. } => RExpr::tokens(quote!(None)),
                        RTy::Ptr { mutable: true, .. } => {
                            RExpr::tokens(quote!(core::ptr::null_mut()))
                        }
                        _ => RExpr::tokens(quote!(core::ptr::null())),
                    };
                    return Ok(TE::new(e, t));
                }
                let te = self.expr(f, inner)?;
                if ck == "IntegralCast" || ck == "IntegralToFloating" {
                    if let RExpr::Lit { text, .. } = &te.e {
                        if let (Some(v), Some(p)) = (lit_value(text), self.canon_rty(&t).prim()) {
                            if prim_fits(p, v) && ck == "IntegralCast" {
                                return Ok(TE::new(
                                    RExpr::Lit {
                                        text: text.clone(),
                                        ty: p,
                                        force_suffix: false,
                                    },
                                    t,
                                ));
                            }
                        }
                    }
                }
                let e = self.coerce(te, &t, false);
                Ok(TE::new(e, t))
            }
            "IntegralToBoolean" | "PointerToBoolean" | "FloatingToBoolean" => {
                let c = self.cond(f, inner)?;
                Ok(TE::new(c, t))
            }
            "ArrayToPointerDecay" => self.decay(f, inner, &t),
            "FunctionToPointerDecay" => {
                let inner = strip_parens(inner);
                if ast::kind(inner) != "DeclRefExpr" {
                    return err(
                        n,
                        "function designator",
                        "only function names decay to pointers",
                    );
                }
                let name = n_ref_name(inner);
                let p = self.fn_path(inner, &name)?;
                let e = RExpr::call(RExpr::path("Some"), vec![p]);
                Ok(TE::new(e, t))
            }
            "NullToPointer" => {
                let e = match &t {
                    RTy::FnPtr { .. } => RExpr::tokens(quote!(None)),
                    RTy::Ptr { mutable: true, .. } => RExpr::tokens(quote!(core::ptr::null_mut())),
                    _ => {
                        if matches!(self.canon_rty(&t), RTy::FnPtr { .. }) {
                            RExpr::tokens(quote!(None))
                        } else if matches!(self.canon_rty(&t), RTy::Ptr { mutable: true, .. }) {
                            RExpr::tokens(quote!(core::ptr::null_mut()))
                        } else {
                            RExpr::tokens(quote!(core::ptr::null()))
                        }
                    }
                };
                Ok(TE::new(e, t))
            }
            "ToVoid" => {
                let te = self.expr(f, inner)?;
                let e = te.e;
                Ok(TE::new(
                    RExpr::Block(vec![quote!(let _ = #e;)], None),
                    RTy::Unit,
                ))
            }
            k => err(n, &format!("cast ({k})"), "unsupported conversion"),
        }
    }

    /// An array used as a pointer to its first element.
    fn decay(&mut self, f: &mut FnCx, inner: &Node, t: &RTy) -> TResult<TE> {
        let inner = strip_parens(inner);
        let mutable = matches!(self.canon_rty(t), RTy::Ptr { mutable: true, .. });
        if ast::kind(inner) == "StringLiteral" {
            let bytes = string_bytes(inner)?;
            let e = c_string_ptr(&bytes);
            return Ok(TE::new(
                e,
                RTy::Ptr {
                    mutable: false,
                    to: Box::new(RTy::Prim("i8")),
                },
            ));
        }
        let elem = match self.canon_rty(t) {
            RTy::Ptr { to, .. } => *to,
            _ => return err(inner, "array decay", "not a pointer"),
        };
        let place = self.expr(f, inner)?;
        let result_ty = RTy::Ptr {
            mutable,
            to: Box::new(elem.clone()),
        };
        if self.is_static_mut_place(inner) {
            let addr = RExpr::RawAddr {
                mutable,
                place: Box::new(place.e),
            };
            let e = RExpr::MethodTurbofish(Box::new(addr), "cast", elem, vec![]);
            return Ok(TE::new(e, result_ty));
        }
        let m = if mutable { "as_mut_ptr" } else { "as_ptr" };
        Ok(TE::new(place.e.method(m, vec![]), result_ty))
    }

    fn is_static_mut_place(&self, n: &Node) -> bool {
        let n = strip_parens(n);
        match ast::kind(n) {
            "DeclRefExpr" => {
                let r = n.get("referencedDecl").unwrap_or(&Value::Null);
                let name = ast::name(r).unwrap_or("");
                if ast::kind(r) != "VarDecl" {
                    return false;
                }
                // Locals (including function statics) are looked up by the caller's FnCx; a
                // function-level static mut is rare: treat by its own const-ness.
                match self.prog.lookup_global(self.tu, name) {
                    Some(g) => g.is_mut,
                    None => {
                        let q = ast::qual_type(r).and_then(|t| parse_type(t).ok());
                        ast::str_field(r, "storageClass") == Some("static")
                            && q.is_some_and(|q| !self.prog.is_immutable(&q))
                    }
                }
            }
            "MemberExpr" if !ast::bool_field(n, "isArrow") => {
                self.is_static_mut_place(&ast::inner(n)[0])
            }
            "ArraySubscriptExpr" => {
                let base = &ast::inner(n)[0];
                ast::kind(base) == "ImplicitCastExpr"
                    && ast::str_field(base, "castKind") == Some("ArrayToPointerDecay")
                    && self.is_static_mut_place(&ast::inner(base)[0])
            }
            _ => false,
        }
    }

    fn unary(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let op = ast::str_field(n, "opcode").unwrap_or("");
        let inner = &ast::inner(n)[0];
        let t = self.node_rty(n)?;
        match op {
            "-" => {
                let te = self.expr(f, inner)?;
                let e = self.coerce(te, &t, false);
                if let RExpr::Lit { text, ty, .. } = &e {
                    if let Some(v) = lit_value(text) {
                        if prim_fits(ty, -v) && v != 0 {
                            return Ok(TE::new(RExpr::lit(-v, ty), t));
                        }
                    }
                }
                let ct = self.canon_rty(&t);
                let is_float = matches!(ct, RTy::Prim("f32" | "f64"));
                let fits = self.fits(f, n);
                if is_float || fits {
                    Ok(TE::new(RExpr::unary("-", e), t))
                } else {
                    Ok(TE::new(e.method("wrapping_neg", vec![]), t))
                }
            }
            "+" => {
                let te = self.expr(f, inner)?;
                let e = self.coerce(te, &t, false);
                Ok(TE::new(e, t))
            }
            "~" => {
                let te = self.expr(f, inner)?;
                let e = self.coerce(te, &t, false);
                Ok(TE::new(RExpr::unary("!", e), t))
            }
            "!" => {
                let c = self.cond(f, n)?;
                Ok(TE::new(c.cast(RTy::Prim("i32")), RTy::Prim("i32")))
            }
            "*" => {
                let te = self.expr(f, inner)?;
                if let RTy::FnPtr { .. } = self.canon_rty(&te.ty) {
                    // `*fp` is the function itself: keep the pointer (callers call it).
                    return Ok(te);
                }
                Ok(TE::new(te.e.deref(), t))
            }
            "&" => self.addr_of(f, inner, &t),
            "++" | "--" => {
                if !is_pure(inner) {
                    return err(
                        n,
                        op,
                        "increment of an lvalue with side effects used as a value",
                    );
                }
                let stmt = self.inc_dec_stmt(f, n)?;
                let place = self.expr(f, inner)?;
                if ast::bool_field(n, "isPostfix") {
                    let tmp = f.tmp();
                    let tid = ident(&tmp);
                    let pe = place.e;
                    Ok(TE::new(
                        RExpr::Block(
                            vec![quote!(let #tid = #pe;), quote!(#stmt;)],
                            Some(Box::new(RExpr::path(&tmp))),
                        ),
                        t,
                    ))
                } else {
                    Ok(TE::new(
                        RExpr::Block(vec![quote!(#stmt;)], Some(Box::new(place.e))),
                        t,
                    ))
                }
            }
            "__extension__" => self.expr(f, inner),
            _ => err(n, &format!("unary {op}"), "unsupported operator"),
        }
    }

    fn addr_of(&mut self, f: &mut FnCx, inner: &Node, t: &RTy) -> TResult<TE> {
        let inner = strip_parens(inner);
        let mutable = matches!(self.canon_rty(t), RTy::Ptr { mutable: true, .. });
        match ast::kind(inner) {
            "UnaryOperator" if ast::str_field(inner, "opcode") == Some("*") => {
                let p = self.expr(f, &ast::inner(inner)[0])?;
                let e = self.coerce(p, t, false);
                return Ok(TE::new(e, t.clone()));
            }
            "ArraySubscriptExpr" => {
                let (base, idx) = subscript_parts(inner);
                let bt = self.qtype(base)?;
                if self.env().is_pointer(&bt) {
                    let p = self.expr(f, base)?;
                    let p_ty = p.ty.clone();
                    let e = self.ptr_offset(f, p.e, idx, false)?;
                    let e = self.coerce(TE::new(e, p_ty), t, false);
                    return Ok(TE::new(e, t.clone()));
                }
            }
            "DeclRefExpr"
                if ast::kind(inner.get("referencedDecl").unwrap_or(&Value::Null))
                    == "FunctionDecl" =>
            {
                let name = n_ref_name(inner);
                let p = self.fn_path(inner, &name)?;
                return Ok(TE::new(
                    RExpr::call(RExpr::path("Some"), vec![p]),
                    t.clone(),
                ));
            }
            _ => {}
        }
        let place = self.expr(f, inner)?;
        let pointee = self.canon_rty(&place.ty);
        let e = RExpr::RawAddr {
            mutable,
            place: Box::new(place.e),
        };
        let raw_ty = RTy::Ptr {
            mutable,
            to: Box::new(pointee),
        };
        let e = self.coerce(TE::new(e, raw_ty), t, false);
        Ok(TE::new(e, t.clone()))
    }

    /// `p + idx` for a pointer expression.
    fn ptr_offset(
        &mut self,
        f: &mut FnCx,
        p: RExpr,
        idx: &Node,
        negate_idx: bool,
    ) -> TResult<RExpr> {
        let it = self.qtype(idx)?;
        let kind = self.env().int_kind(&it);
        let idx_n = strip_int_promotions(self, idx);
        let te = self.expr(f, idx_n)?;
        if let RExpr::Lit { text, .. } = &te.e {
            if let Some(v) = lit_value(text) {
                let v = if negate_idx { -v } else { v };
                if v == 0 {
                    return Ok(p);
                }
                if v > 0 {
                    return Ok(p.method("add", vec![RExpr::lit(v, "usize")]));
                }
                return Ok(p.method("sub", vec![RExpr::lit(-v, "usize")]));
            }
        }
        let unsigned = kind.is_some_and(|k| !k.signed());
        let non_negative = f.range_of(self, idx).is_some_and(|(lo, _)| lo >= 0);
        if unsigned || non_negative {
            let e = self.coerce(te, &RTy::Prim("usize"), true);
            Ok(p.method(if negate_idx { "sub" } else { "add" }, vec![e]))
        } else {
            let e = self.coerce(te, &RTy::Prim("isize"), true);
            let e = if negate_idx {
                e.method("wrapping_neg", vec![])
            } else {
                e
            };
            Ok(p.method("offset", vec![e]))
        }
    }

    fn binary(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let op = ast::str_field(n, "opcode").unwrap_or("");
        let parts = ast::inner(n);
        let t = self.node_rty(n)?;
        match op {
            "=" => {
                if !is_pure(&parts[0]) {
                    return err(
                        n,
                        "assignment",
                        "value of an assignment to an lvalue with side effects",
                    );
                }
                let a = self.assign(f, n)?;
                let lhs = self.expr(f, &parts[0])?;
                Ok(TE::new(
                    RExpr::Block(vec![quote!(#a;)], Some(Box::new(lhs.e))),
                    t,
                ))
            }
            "," => {
                let mut stmts = Vec::new();
                self.expr_stmt(f, &parts[0], &mut stmts)?;
                let r = self.expr(f, &parts[1])?;
                Ok(TE::new(RExpr::Block(stmts, Some(Box::new(r.e))), r.ty))
            }
            "&&" | "||" | "==" | "!=" | "<" | ">" | "<=" | ">=" => {
                let c = self.cond(f, n)?;
                Ok(TE::new(c.cast(RTy::Prim("i32")), RTy::Prim("i32")))
            }
            "+" | "-" | "*" | "/" | "%" | "<<" | ">>" | "&" | "|" | "^" => {
                let lq = self.qtype(&parts[0])?;
                let rq = self.qtype(&parts[1])?;
                let lp = self.env().is_pointer(&lq);
                let rp = self.env().is_pointer(&rq);
                if lp && rp && op == "-" {
                    let l = self.expr(f, &parts[0])?;
                    let r = self.expr(f, &parts[1])?;
                    let lt = l.ty.clone();
                    let r = self.coerce(r, &lt, false);
                    let e = l.e.method("offset_from", vec![r]);
                    return Ok(TE::new(e, RTy::Prim("isize")));
                }
                if lp || rp {
                    let (p, i) = if lp {
                        (&parts[0], &parts[1])
                    } else {
                        (&parts[1], &parts[0])
                    };
                    let pe = self.expr(f, p)?;
                    let pt = pe.ty.clone();
                    let e = self.ptr_offset(f, pe.e, i, op == "-")?;
                    return Ok(TE::new(e, pt));
                }
                self.arith(f, n, op, &t)
            }
            _ => err(n, &format!("binary {op}"), "unsupported operator"),
        }
    }

    fn arith(&mut self, f: &mut FnCx, n: &Node, op: &str, t: &RTy) -> TResult<TE> {
        let parts = ast::inner(n);
        let ct = self.canon_rty(t);
        let is_float = matches!(ct, RTy::Prim("f32" | "f64"));
        let l = self.expr(f, &parts[0])?;
        let l = self.coerce(l, t, false);
        let shift = op == "<<" || op == ">>";
        let bits = match ct {
            RTy::Prim(p) => prim_bits(p),
            _ => 64,
        };
        if shift {
            let count = const_value(&parts[1]).or_else(|| {
                f.range_of(self, &parts[1])
                    .and_then(|(a, b)| (a == b).then_some(a))
            });
            let op_s: &'static str = if op == "<<" { "<<" } else { ">>" };
            if let Some(c) = count {
                if c >= 0 && (c as u32) < bits {
                    let r = RExpr::lit(c, "i32");
                    return Ok(TE::new(RExpr::binary(op_s, l, r), t.clone()));
                }
            }
            let r = self.expr(f, &parts[1])?;
            let r = self.coerce(r, &RTy::Prim("u32"), false);
            let m = if op == "<<" {
                "wrapping_shl"
            } else {
                "wrapping_shr"
            };
            return Ok(TE::new(l.method(m, vec![r]), t.clone()));
        }
        let r = self.expr(f, &parts[1])?;
        let r = self.coerce(r, t, false);
        let op_s: &'static str = match op {
            "+" => "+",
            "-" => "-",
            "*" => "*",
            "/" => "/",
            "%" => "%",
            "&" => "&",
            "|" => "|",
            _ => "^",
        };
        let wrapping = matches!(op, "+" | "-" | "*")
            && !is_float
            && !self.fits(f, n)
            && !f.const_ctx_signed(&ct);
        if wrapping {
            let m = match op {
                "+" => "wrapping_add",
                "-" => "wrapping_sub",
                _ => "wrapping_mul",
            };
            return Ok(TE::new(l.method(m, vec![r]), t.clone()));
        }
        Ok(TE::new(RExpr::binary(op_s, l, r), t.clone()))
    }

    /// Does the interval analysis prove that `n`'s value fits its type (no wrap-around)?
    fn fits(&self, f: &FnCx, n: &Node) -> bool {
        let Ok(q) = self.qtype(n) else { return false };
        let Some(k) = self.env().int_kind(&q) else {
            return false;
        };
        let Some((lo, hi)) = f.range_of(self, n) else {
            return false;
        };
        let (tlo, thi) = k.range();
        lo >= tlo && hi <= thi
    }

    /// `lhs = rhs` (statement form).
    fn assign(&mut self, f: &mut FnCx, n: &Node) -> TResult<RExpr> {
        let parts = ast::inner(n);
        let lhs = self.expr(f, &parts[0])?;
        let rhs = self.expr(f, &parts[1])?;
        let lt = lhs.ty.clone();
        let r = self.coerce(rhs, &lt, true);
        Ok(RExpr::Assign("=", Box::new(lhs.e), Box::new(r)))
    }

    fn compound_assign(&mut self, f: &mut FnCx, n: &Node) -> TResult<RExpr> {
        let parts = ast::inner(n);
        let op = ast::str_field(n, "opcode")
            .unwrap_or("")
            .trim_end_matches('=')
            .to_string();
        let lhs_n = &parts[0];
        if !is_pure(lhs_n) {
            return err(n, "compound assignment", "left-hand side with side effects");
        }
        let lhs = self.expr(f, lhs_n)?;
        let lq = self.qtype(lhs_n)?;
        if self.env().is_pointer(&lq) {
            let e = self.ptr_offset(f, lhs.e.clone(), &parts[1], op == "-")?;
            return Ok(RExpr::Assign("=", Box::new(lhs.e), Box::new(e)));
        }
        let comp_q = n
            .get("computeResultType")
            .and_then(|t| t.get("qualType"))
            .and_then(Value::as_str)
            .map(parse_type)
            .transpose()
            .map_err(|e| TErr {
                pos: ast::pos(n),
                construct: "compound assignment".into(),
                msg: e,
            })?
            .unwrap_or(lq.clone());
        let ct = self.rty(n, &comp_q)?;
        let cct = self.canon_rty(&ct);
        let is_float = matches!(cct, RTy::Prim("f32" | "f64"));
        let lt = lhs.ty.clone();
        let l_in = self.coerce(lhs.clone(), &ct, false);
        let shift = op == "<<" || op == ">>";
        let bits = cct.prim().map(prim_bits).unwrap_or(64);
        let value = if shift {
            let count = const_value(&parts[1]);
            match count {
                Some(c) if c >= 0 && (c as u32) < bits => RExpr::binary(
                    if op == "<<" { "<<" } else { ">>" },
                    l_in,
                    RExpr::lit(c, "i32"),
                ),
                _ => {
                    let r = self.expr(f, &parts[1])?;
                    let r = self.coerce(r, &RTy::Prim("u32"), false);
                    l_in.method(
                        if op == "<<" {
                            "wrapping_shl"
                        } else {
                            "wrapping_shr"
                        },
                        vec![r],
                    )
                }
            }
        } else {
            let r = self.expr(f, &parts[1])?;
            let r = self.coerce(r, &ct, false);
            match op.as_str() {
                "+" | "-" | "*" if !is_float => {
                    let m = match op.as_str() {
                        "+" => "wrapping_add",
                        "-" => "wrapping_sub",
                        _ => "wrapping_mul",
                    };
                    l_in.method(m, vec![r])
                }
                o => {
                    let o: &'static str = match o {
                        "+" => "+",
                        "-" => "-",
                        "*" => "*",
                        "/" => "/",
                        "%" => "%",
                        "&" => "&",
                        "|" => "|",
                        "^" => "^",
                        _ => return err(n, "compound assignment", format!("operator {o}=")),
                    };
                    RExpr::binary(o, l_in, r)
                }
            }
        };
        let v = self.coerce(TE::new(value, ct), &lt, false);
        // Readable forms for the common cases.
        if let RExpr::Binary(bop, l, r) = &v {
            if ["|", "&", "^", "/", "%", "<<", ">>"].contains(bop) && same_expr(l, &lhs.e) {
                let aop: &'static str = match *bop {
                    "|" => "|=",
                    "&" => "&=",
                    "^" => "^=",
                    "/" => "/=",
                    "%" => "%=",
                    "<<" => "<<=",
                    _ => ">>=",
                };
                return Ok(RExpr::Assign(aop, Box::new(lhs.e), r.clone()));
            }
        }
        Ok(RExpr::Assign("=", Box::new(lhs.e), Box::new(v)))
    }

    /// `x++` / `--p` as a statement.
    fn inc_dec_stmt(&mut self, f: &mut FnCx, n: &Node) -> TResult<RExpr> {
        let op = ast::str_field(n, "opcode").unwrap_or("");
        let inner = &ast::inner(n)[0];
        if !is_pure(inner) {
            return err(n, op, "increment of an lvalue with side effects");
        }
        let place = self.expr(f, inner)?;
        let q = self.qtype(inner)?;
        let v = if self.env().is_pointer(&q) {
            place.e.clone().method(
                if op == "++" { "add" } else { "sub" },
                vec![RExpr::lit(1, "usize")],
            )
        } else if self.env().is_float(&q) {
            RExpr::binary(
                if op == "++" { "+" } else { "-" },
                place.e.clone(),
                RExpr::tokens(quote!(1.0)),
            )
        } else if self.env().is_bool(&q) {
            return err(n, op, "increment of _Bool");
        } else {
            let t = self.canon_rty(&place.ty);
            let one = RExpr::lit(1, t.prim().unwrap_or("i32"));
            place.e.clone().method(
                if op == "++" {
                    "wrapping_add"
                } else {
                    "wrapping_sub"
                },
                vec![one],
            )
        };
        Ok(RExpr::Assign("=", Box::new(place.e), Box::new(v)))
    }

    fn member(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let base_n = &ast::inner(n)[0];
        let base = self.expr(f, base_n)?;
        let fname = ast::name(n).unwrap_or("");
        let t = self.node_rty(n)?;
        let arrow = ast::bool_field(n, "isArrow");
        let b = if arrow { base.e.deref() } else { base.e };
        // The record of the base, for the field's alignment wrapper.
        let bq = self.qtype(base_n)?;
        let rq = if arrow {
            self.env().pointee(&bq).unwrap_or(bq)
        } else {
            bq
        };
        let aligned = match self.env().canon(&rq).ty {
            CType::Record { name, .. } => self
                .env()
                .records
                .get(&name)
                .and_then(|r| r.fields.iter().find(|x| x.name == fname))
                .is_some_and(|x| x.align.is_some()),
            _ => false,
        };
        let mut e = b.field(fname);
        if aligned {
            e = RExpr::Field(Box::new(e), quote!(0));
        }
        Ok(TE::new(e, t))
    }

    fn subscript(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let (base, idx) = subscript_parts(n);
        let t = self.node_rty(n)?;
        // An array (not a pointer) is indexed directly.
        let b = strip_parens(base);
        if ast::kind(b) == "ImplicitCastExpr"
            && ast::str_field(b, "castKind") == Some("ArrayToPointerDecay")
        {
            let arr_n = &ast::inner(b)[0];
            if ast::kind(strip_parens(arr_n)) != "StringLiteral" {
                let arr = self.expr(f, arr_n)?;
                let i = self.index_usize(f, idx)?;
                return Ok(TE::new(arr.e.index(i), t));
            }
        }
        let p = self.expr(f, base)?;
        let e = self.ptr_offset(f, p.e, idx, false)?;
        Ok(TE::new(e.deref(), t))
    }

    fn index_usize(&mut self, f: &mut FnCx, idx: &Node) -> TResult<RExpr> {
        let idx_n = strip_int_promotions(self, idx);
        let te = self.expr(f, idx_n)?;
        if let RExpr::Lit { text, .. } = &te.e {
            if let Some(v) = lit_value(text) {
                if v >= 0 {
                    return Ok(RExpr::lit(v, "usize"));
                }
            }
        }
        Ok(self.coerce(te, &RTy::Prim("usize"), true))
    }

    fn call(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let parts = ast::inner(n);
        let callee = &parts[0];
        let args = &parts[1..];
        let t = self.node_rty(n)?;
        // Direct calls: FunctionToPointerDecay / BuiltinFnToFnPtr of a function name.
        let c = strip_parens(callee);
        if ast::kind(c) == "ImplicitCastExpr"
            && matches!(
                ast::str_field(c, "castKind"),
                Some("FunctionToPointerDecay" | "BuiltinFnToFnPtr")
            )
        {
            let target = strip_parens(&ast::inner(c)[0]);
            if ast::kind(target) == "DeclRefExpr" {
                let name = n_ref_name(target);
                if let Some(e) = self.builtin_call(f, n, &name, args, &t)? {
                    return Ok(e);
                }
                if self.prog.lookup_fn(self.tu, &name).is_none() && name.starts_with("__builtin") {
                    return err(n, &name, "unsupported builtin");
                }
                let fq = self.qtype(target)?;
                let CType::Func {
                    params, variadic, ..
                } = self.env().canon(&fq).ty
                else {
                    return err(n, "call", "callee is not a function");
                };
                if self.prog.lookup_fn(self.tu, &name).is_none() && name.starts_with("__builtin") {
                    return err(n, &name, "unsupported builtin");
                }
                let fe = self.fn_path(target, &name)?;
                let mut ps = Vec::new();
                for p in &params {
                    ps.push(self.param_rty(n, p)?);
                }
                let mut t = t;
                if matches!(
                    self.prog.lookup_fn(self.tu, &name).map(|i| &i.owner),
                    Some(Owner::Libc)
                ) {
                    // clang prints the C library's prototypes canonically (`unsigned long` for
                    // size_t); the libc crate spells those parameters usize.
                    // `long` is c_long (i64) there; `unsigned long` is size_t (usize) except
                    // in the strtoul family's results.
                    for p in ps.iter_mut() {
                        if *p == RTy::Prim("isize") {
                            *p = RTy::Prim("i64");
                        }
                    }
                    if t == RTy::Prim("isize") {
                        t = RTy::Prim("i64");
                    }
                    if t == RTy::Prim("usize") && name.starts_with("strto") {
                        t = RTy::Prim("u64");
                    }
                }
                let a = self.call_args(f, n, args, &ps, variadic)?;
                return Ok(TE::new(RExpr::call(fe, a), t));
            }
        }
        // Through a function pointer.
        let fp = self.expr(f, callee)?;
        let RTy::FnPtr {
            params, variadic, ..
        } = self.canon_rty(&fp.ty)
        else {
            return err(n, "call", "callee is not a function pointer");
        };
        let a = self.call_args(f, n, args, &params, variadic)?;
        let e = RExpr::call(fp.e.method("unwrap", vec![]), a);
        Ok(TE::new(e, t))
    }

    fn call_args(
        &mut self,
        f: &mut FnCx,
        n: &Node,
        args: &[Node],
        params: &[RTy],
        variadic: bool,
    ) -> TResult<Vec<RExpr>> {
        if args.len() < params.len() || (!variadic && args.len() != params.len()) {
            return err(n, "call", "argument count does not match the prototype");
        }
        let mut out = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let te = self.expr(f, a)?;
            out.push(match params.get(i) {
                Some(p) => self.coerce(te, p, true),
                None => te.e,
            });
        }
        Ok(out)
    }

    /// Builtins and C library functions with a Rust equivalent. None: an ordinary call.
    fn builtin_call(
        &mut self,
        f: &mut FnCx,
        n: &Node,
        name: &str,
        args: &[Node],
        t: &RTy,
    ) -> TResult<Option<TE>> {
        let is_project = matches!(
            self.prog.lookup_fn(self.tu, name).map(|i| &i.owner),
            Some(Owner::Module(_))
        );
        if is_project {
            return Ok(None);
        }
        let arg =
            |this: &mut Self, f: &mut FnCx, i: usize| -> TResult<TE> { this.expr(f, &args[i]) };
        let name = builtin_alias(name);
        if let Some((method, float)) = math_fn(name) {
            // <math.h>: the libc crate has no maths; Rust's float methods are the same functions.
            let fty = RTy::Prim(float);
            let mut a = Vec::new();
            for i in 0..args.len() {
                let x = arg(self, f, i)?;
                a.push(self.coerce(x, &fty, true));
            }
            let Some((x, rest)) = a.split_first() else {
                return err(n, name, "expected an argument");
            };
            return Ok(Some(TE::new(x.clone().method(method, rest.to_vec()), fty)));
        }
        Ok(Some(match name {
            "__builtin_clz"
            | "__builtin_clzl"
            | "__builtin_clzll"
            | "__builtin_ctz"
            | "__builtin_ctzl"
            | "__builtin_ctzll"
            | "__builtin_popcount"
            | "__builtin_popcountl"
            | "__builtin_popcountll" => {
                let a = arg(self, f, 0)?;
                let m = if name.contains("clz") {
                    "leading_zeros"
                } else if name.contains("ctz") {
                    "trailing_zeros"
                } else {
                    "count_ones"
                };
                // clz/ctz of 0 is undefined in C, so the operand may be taken as non-zero as
                // gcc and clang do: `leading_zeros` on a plain integer must also handle 0, which
                // costs x86 an extra instruction around `bsr`/`bsf` on every call.
                let operand = if m == "count_ones" {
                    a.e
                } else {
                    let (ty, v) = (&a.ty, &a.e);
                    RExpr::tokens(quote!(core::num::NonZero::<#ty>::new_unchecked(#v)))
                };
                let e = operand.method(m, vec![]).cast(RTy::Prim("i32"));
                TE::new(e, RTy::Prim("i32"))
            }
            "__builtin_expect" => {
                let a = arg(self, f, 0)?;
                let e = self.coerce(a, t, true);
                TE::new(e, t.clone())
            }
            "__builtin_cpu_init" => TE::new(RExpr::tokens(quote!(())), RTy::Unit),
            "__builtin_cpu_supports" => {
                let a = strip_parens(&args[0]);
                let lit = find_string_literal(a).ok_or_else(|| TErr {
                    pos: ast::pos(n),
                    construct: name.into(),
                    msg: "argument is not a string literal".into(),
                })?;
                let feature = String::from_utf8_lossy(&lit).to_string();
                let feature = Literal::string(&feature);
                let e = RExpr::tokens(quote!(std::arch::is_x86_feature_detected!(#feature)));
                TE::new(e, RTy::Prim("bool"))
            }
            "__builtin_unreachable" => TE::new(
                RExpr::tokens(quote!(core::hint::unreachable_unchecked())),
                RTy::Unit,
            ),
            "__builtin_trap" | "abort" => {
                TE::new(RExpr::tokens(quote!(std::process::abort())), RTy::Unit)
            }
            "__builtin_bswap32" | "__builtin_bswap64" | "__builtin_bswap16" => {
                let a = arg(self, f, 0)?;
                let e = self.coerce(a, t, true).method("swap_bytes", vec![]);
                TE::new(e, t.clone())
            }
            "memcpy" | "memmove" | "memset" => {
                // Only in statement context (their return value is rarely used).
                let mut out = Vec::new();
                self.mem_call(f, n, name, args, &mut out)?;
                let d = self.expr(f, strip_void_cast(&args[0]))?;
                let dt = self.coerce(
                    d,
                    &RTy::Ptr {
                        mutable: true,
                        to: Box::new(RTy::CVoid),
                    },
                    false,
                );
                let _ = dt;
                return err(n, name, "the value of memcpy/memset is used");
            }
            _ => return Ok(None),
        }))
    }

    /// memcpy/memset/memmove as statements.
    fn special_call_stmt(&mut self, f: &mut FnCx, n: &Node) -> TResult<Option<Vec<TokenStream>>> {
        let parts = ast::inner(n);
        let c = strip_parens(&parts[0]);
        if ast::kind(c) != "ImplicitCastExpr" {
            return Ok(None);
        }
        let target = strip_parens(&ast::inner(c)[0]);
        if ast::kind(target) != "DeclRefExpr" {
            return Ok(None);
        }
        let name = n_ref_name(target);
        if matches!(
            self.prog.lookup_fn(self.tu, &name).map(|i| &i.owner),
            Some(Owner::Module(_))
        ) {
            return Ok(None);
        }
        match builtin_alias(&name) {
            name @ ("memcpy" | "memmove" | "memset") => {
                let mut out = Vec::new();
                self.mem_call(f, n, name, &parts[1..], &mut out)?;
                Ok(Some(out))
            }
            "__builtin_cpu_init" => Ok(Some(Vec::new())),
            _ => Ok(None),
        }
    }

    fn mem_call(
        &mut self,
        f: &mut FnCx,
        n: &Node,
        name: &str,
        args: &[Node],
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
        if args.len() != 3 {
            return err(n, name, "expected three arguments");
        }
        let u8p = |m: bool| RTy::Ptr {
            mutable: m,
            to: Box::new(RTy::Prim("u8")),
        };
        let d = self.expr(f, strip_void_cast(&args[0]))?;
        let d = self.coerce(d, &u8p(true), false);
        let len = self.expr(f, &args[2])?;
        let len = self.coerce(len, &RTy::Prim("usize"), true);
        if name == "memset" {
            let v = self.expr(f, &args[1])?;
            let v = self.coerce(v, &RTy::Prim("u8"), false);
            out.push(quote!(core::ptr::write_bytes(#d, #v, #len);));
        } else {
            let s = self.expr(f, strip_void_cast(&args[1]))?;
            let s = self.coerce(s, &u8p(false), true);
            if name == "memcpy" {
                out.push(quote!(core::ptr::copy_nonoverlapping(#s, #d, #len);));
            } else {
                out.push(quote!(core::ptr::copy(#s, #d, #len);));
            }
        }
        Ok(())
    }
}

// ---- per-function state ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Local {
    pub name: String,
    pub aligned: bool,
}

#[derive(Clone, Debug)]
pub struct RangePlan<'n> {
    pub var_id: String,
    pub var_name: String,
    pub var_ty: QType,
    pub start: &'n Node,
    pub end: &'n Node,
    pub inclusive: bool,
    pub descending: bool,
    pub step: i128,
}

#[derive(Debug)]
/// A stretch of a block's statements that a goto jumps across: a labelled block left by
/// forward gotos, or a labelled loop continued by backward ones.
struct GotoRegion {
    start: usize,
    end: usize,
    forward: bool,
    label: String,
    /// The clang ids of the gotos that jump with this region.
    gotos: Vec<String>,
}

/// The ids of the goto statements under `n` that jump to the label `decl`.
fn gotos_to(n: &Node, decl: &str, out: &mut Vec<String>) {
    if ast::kind(n) == "GotoStmt" && ast::str_field(n, "targetLabelDeclId") == Some(decl) {
        if let Some(id) = ast::str_field(n, "id") {
            out.push(id.to_string());
        }
    }
    for c in ast::inner(n) {
        gotos_to(c, decl, out);
    }
}

enum Frame {
    Loop {
        label: String,
        used: bool,
        body_label: Option<String>,
    },
    Switch {
        label: String,
        used: bool,
        always_labeled: bool,
    },
    Block,
}

pub struct FnCx<'n> {
    pub locals: HashMap<String, Local>,
    pub mutated: HashSet<String>,
    pub addr_taken: HashSet<String>,
    pub range_loops: HashMap<String, RangePlan<'n>>,
    pub dropped: HashSet<String>,
    pub range_vars: HashMap<String, Option<(i128, i128)>>,
    frames: Vec<Frame>,
    labels: u32,
    tmps: u32,
    pub ret: RTy,
    pub const_ctx: bool,
    /// How each goto (by clang id) leaves or repeats its region: `break 'L;` / `continue 'L;`.
    gotos: HashMap<String, TokenStream>,
    /// Declaring a local of a block with goto regions: its `let` goes to `hoisted`.
    hoisting: bool,
    hoisted: Vec<TokenStream>,
}

impl<'n> FnCx<'n> {
    fn new(ret: RTy) -> Self {
        FnCx {
            locals: HashMap::new(),
            mutated: HashSet::new(),
            addr_taken: HashSet::new(),
            range_loops: HashMap::new(),
            dropped: HashSet::new(),
            range_vars: HashMap::new(),
            frames: Vec::new(),
            labels: 0,
            tmps: 0,
            ret,
            const_ctx: false,
            gotos: HashMap::new(),
            hoisting: false,
            hoisted: Vec::new(),
        }
    }

    fn new_const() -> Self {
        let mut f = FnCx::new(RTy::Unit);
        f.const_ctx = true;
        f
    }

    /// In static initializers signed arithmetic is evaluated by the compiler (overflow is a compile
    /// error, as it is a constraint violation in C), so plain operators read better.
    fn const_ctx_signed(&self, t: &RTy) -> bool {
        self.const_ctx && matches!(t, RTy::Prim(p) if p.starts_with('i'))
    }

    fn tmp(&mut self) -> String {
        self.tmps += 1;
        if self.tmps == 1 {
            "tmp".to_string()
        } else {
            format!("tmp{}", self.tmps)
        }
    }

    fn local_name(&self, cx: &ModCx, c_name: &str) -> String {
        // A `let` named like a const or static in scope would be a pattern, not a binding.
        if cx.prog.value_names.contains(c_name) {
            format!("{c_name}_")
        } else {
            c_name.to_string()
        }
    }

    fn new_label(&mut self, kind: &str) -> String {
        self.labels += 1;
        format!("{kind}{}", self.labels)
    }

    fn push_loop(&mut self, body_block: bool) -> usize {
        let label = self.new_label("loop");
        let body_label = body_block.then(|| format!("{label}_body"));
        self.frames.push(Frame::Loop {
            label,
            used: false,
            body_label,
        });
        if body_block {
            self.frames.push(Frame::Block);
        }
        self.frames.len() - 1
    }

    fn loop_body_label(&self, frame: usize) -> Option<TokenStream> {
        // frame is the index of the Block (if any) or the Loop.
        let i = self.loop_index(frame);
        match &self.frames[i] {
            Frame::Loop {
                body_label: Some(b),
                ..
            } => Some(lifetime(b)),
            _ => None,
        }
    }

    fn loop_index(&self, frame: usize) -> usize {
        match self.frames[frame] {
            Frame::Block => frame - 1,
            _ => frame,
        }
    }

    /// Pop a loop; its label (`'loopN:`) if a break/continue needed it.
    fn pop_loop(&mut self, frame: usize) -> TokenStream {
        let i = self.loop_index(frame);
        let f = self.frames.remove(i);
        self.frames.truncate(i);
        match f {
            Frame::Loop {
                label, used: true, ..
            } => {
                let l = lifetime(&label);
                quote!(#l:)
            }
            _ => quote!(),
        }
    }

    fn push_switch(&mut self, always_labeled: bool) -> usize {
        let label = self.new_label("switch");
        self.frames.push(Frame::Switch {
            label,
            used: false,
            always_labeled,
        });
        self.frames.len() - 1
    }

    fn switch_label(&self, frame: usize) -> TokenStream {
        match &self.frames[frame] {
            Frame::Switch { label, .. } => lifetime(label),
            _ => unreachable!(),
        }
    }

    fn label_base(&self, frame: usize) -> String {
        match &self.frames[frame] {
            Frame::Switch { label, .. } => format!("{label}_case"),
            _ => unreachable!(),
        }
    }

    fn pop_switch(&mut self, frame: usize) -> Option<TokenStream> {
        let f = self.frames.remove(frame);
        self.frames.truncate(frame);
        match f {
            Frame::Switch {
                label, used: true, ..
            } => Some(lifetime(&label)),
            _ => None,
        }
    }

    fn push_block(&mut self) {
        self.frames.push(Frame::Block);
    }

    fn pop_block(&mut self) {
        self.frames.pop();
    }

    fn break_tokens(&mut self) -> Option<TokenStream> {
        let mut crossed_block = false;
        for i in (0..self.frames.len()).rev() {
            match &mut self.frames[i] {
                Frame::Block => crossed_block = true,
                Frame::Loop { label, used, .. } => {
                    if crossed_block {
                        *used = true;
                        let l = lifetime(label);
                        return Some(quote!(break #l;));
                    }
                    return Some(quote!(break;));
                }
                Frame::Switch { label, used, .. } => {
                    *used = true;
                    let l = lifetime(label);
                    return Some(quote!(break #l;));
                }
            }
        }
        None
    }

    fn continue_tokens(&mut self) -> Option<TokenStream> {
        let mut crossed = false;
        for i in (0..self.frames.len()).rev() {
            match &mut self.frames[i] {
                Frame::Block => crossed = true,
                Frame::Switch { always_labeled, .. } => {
                    let _ = always_labeled;
                    crossed = true;
                }
                Frame::Loop {
                    label,
                    used,
                    body_label,
                } => {
                    if let Some(b) = body_label {
                        let l = lifetime(b);
                        return Some(quote!(break #l;));
                    }
                    if crossed {
                        *used = true;
                        let l = lifetime(label);
                        return Some(quote!(continue #l;));
                    }
                    return Some(quote!(continue;));
                }
            }
        }
        None
    }

    fn loop_var_range(&self, cx: &ModCx, plan: &RangePlan) -> Option<(i128, i128)> {
        let (s0, s1) = self.range_of(cx, plan.start)?;
        let (e0, e1) = self.range_of(cx, plan.end)?;
        if plan.descending {
            let low = if plan.inclusive { e0 } else { e0 + 1 };
            Some((low.min(s0), s1))
        } else {
            let high = if plan.inclusive { e1 } else { e1 - 1 };
            Some((s0, high.max(s0)))
        }
    }

    // ---- analysis -------------------------------------------------------------------------------

    /// Before translating a body: which locals are modified or address-taken, and which `for`
    /// loops can become Rust ranges.
    fn analyze(&mut self, cx: &ModCx, body: &'n Node) -> TResult<()> {
        let mut w = Walk::default();
        w.walk(body, &mut Vec::new());
        self.mutated = w.mutated.clone();
        self.addr_taken = w.addr_taken.clone();
        // Candidate range loops.
        let mut candidates: BTreeMap<String, RangePlan<'n>> = BTreeMap::new();
        for (for_id, n) in &w.fors {
            if let Some(plan) = self.range_plan(cx, n, &w) {
                candidates.insert(for_id.clone(), plan);
            }
        }
        // A loop variable declared outside its loops: every use must be inside candidate loops
        // that own it, so its value after a loop is never read.
        let mut by_var: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (fid, p) in &candidates {
            by_var
                .entry(p.var_id.clone())
                .or_default()
                .push(fid.clone());
        }
        for (var, loops) in by_var {
            let declared_in_loop = w.for_decl_vars.contains(&var);
            if declared_in_loop {
                continue;
            }
            let owned: HashSet<&String> = loops.iter().collect();
            let all_inside = w.refs.get(&var).is_none_or(|refs| {
                refs.iter().all(|enclosing| {
                    enclosing
                        .iter()
                        .any(|(fid, v)| v == &var && owned.contains(fid))
                })
            });
            if all_inside {
                self.dropped.insert(var.clone());
            } else {
                for l in loops {
                    candidates.remove(&l);
                }
            }
        }
        self.range_loops = candidates.into_iter().collect();
        Ok(())
    }

    fn range_plan(&self, cx: &ModCx, n: &'n Node, w: &Walk) -> Option<RangePlan<'n>> {
        let parts = ast::inner(n);
        let (init, cond, inc, body) = (&parts[0], &parts[2], &parts[3], &parts[4]);
        // init: `int v = a` or `v = a`.
        let (var_id, var_name, var_ty, start) = match ast::kind(init) {
            "DeclStmt" => {
                let ds = ast::inner(init);
                if ds.len() != 1
                    || ast::kind(&ds[0]) != "VarDecl"
                    || ast::str_field(&ds[0], "init").is_none()
                {
                    return None;
                }
                let d = &ds[0];
                (
                    ast::str_field(d, "id")?.to_string(),
                    ast::name(d)?.to_string(),
                    parse_type(ast::qual_type(d)?).ok()?,
                    ast::inner(d).last()?,
                )
            }
            "BinaryOperator" if ast::str_field(init, "opcode") == Some("=") => {
                let lhs = &ast::inner(init)[0];
                let (id, name) = local_ref(lhs)?;
                (
                    id,
                    name,
                    parse_type(ast::qual_type(lhs)?).ok()?,
                    &ast::inner(init)[1],
                )
            }
            _ => return None,
        };
        let kind = cx.env().int_kind(&var_ty)?;
        if !matches!(cx.env().canon(&var_ty).ty, CType::Int(_)) || kind.bits() < 32 {
            return None;
        }
        // cond: `v < b`, `v <= b`, `v > b`, `v >= b` with v uncast.
        if ast::kind(cond) != "BinaryOperator" {
            return None;
        }
        let op = ast::str_field(cond, "opcode")?;
        let cl = &ast::inner(cond)[0];
        if !(ast::kind(cl) == "ImplicitCastExpr"
            && ast::str_field(cl, "castKind") == Some("LValueToRValue"))
        {
            return None;
        }
        let (cid, _) = local_ref(&ast::inner(cl)[0])?;
        if cid != var_id {
            return None;
        }
        let end = &ast::inner(cond)[1];
        // inc: v++ / ++v / v += k / v-- / --v.
        let (step, descending) = match ast::kind(inc) {
            "UnaryOperator" => {
                let (iid, _) = local_ref(&ast::inner(inc)[0])?;
                if iid != var_id {
                    return None;
                }
                match ast::str_field(inc, "opcode")? {
                    "++" => (1, false),
                    "--" => (1, true),
                    _ => return None,
                }
            }
            "CompoundAssignOperator" if ast::str_field(inc, "opcode") == Some("+=") => {
                let (iid, _) = local_ref(&ast::inner(inc)[0])?;
                if iid != var_id {
                    return None;
                }
                let k = const_value(&ast::inner(inc)[1])?;
                if k <= 0 {
                    return None;
                }
                (k, false)
            }
            _ => return None,
        };
        let inclusive = match (op, descending) {
            ("<", false) | (">", true) => false,
            ("<=", false) | (">=", true) => true,
            _ => return None,
        };
        if descending && const_value(end).is_none() {
            return None;
        }
        // The variable is not changed by the body, nor through a pointer.
        if w.addr_taken.contains(&var_id) {
            return None;
        }
        let mut bw = Walk::default();
        bw.walk(body, &mut Vec::new());
        if bw.mutated.contains(&var_id) {
            return None;
        }
        // With a `continue` the loop is emitted as a counted `while` instead (see `stmt`), which
        // is only written for the plain `v < b; v++` shape.
        if contains_continue(body) && (step != 1 || descending || inclusive) {
            return None;
        }
        // The bound is the same on every iteration.
        if !invariant(end, &bw, w) {
            return None;
        }
        // Start/end types match the variable (no conversions in the comparison).
        let et = parse_type(ast::qual_type(end)?).ok()?;
        if cx.env().int_kind(&et)? != kind {
            return None;
        }
        Some(RangePlan {
            var_id,
            var_name,
            var_ty,
            start,
            end,
            inclusive,
            descending,
            step,
        })
    }

    /// Interval of an integer expression's value, if the analysis can tell.
    pub fn range_of(&self, cx: &ModCx, n: &Node) -> Option<(i128, i128)> {
        let q = cx.qtype(n).ok();
        let ty_range = q
            .as_ref()
            .and_then(|q| cx.env().int_kind(q))
            .map(|k| k.range());
        let clamp = |r: (i128, i128)| -> Option<(i128, i128)> {
            match ty_range {
                Some((lo, hi)) if r.0 >= lo && r.1 <= hi => Some(r),
                Some(t) => Some(t),
                None => Some(r),
            }
        };
        if let Some(v) = n
            .get("value")
            .and_then(Value::as_str)
            .and_then(|v| v.parse::<i128>().ok())
        {
            return Some((v, v));
        }
        match ast::kind(n) {
            "IntegerLiteral" | "CharacterLiteral" => const_value(n).map(|v| (v, v)),
            "ParenExpr" | "ConstantExpr" => self.range_of(cx, &ast::inner(n)[0]),
            "DeclRefExpr" => {
                let r = n.get("referencedDecl")?;
                let name = ast::name(r)?;
                if ast::kind(r) == "EnumConstantDecl" {
                    let v = cx.prog.enum_consts.get(name)?.value;
                    return Some((v, v));
                }
                let id = ast::str_field(r, "id")?;
                if let Some(Some(rv)) = self.range_vars.get(id) {
                    return clamp(*rv);
                }
                ty_range
            }
            "ImplicitCastExpr" | "CStyleCastExpr" => {
                let ck = ast::str_field(n, "castKind")?;
                match ck {
                    "LValueToRValue" | "IntegralCast" | "NoOp" => {
                        let inner = self.range_of(cx, &ast::inner(n)[0]);
                        match inner {
                            Some(r) => clamp(r),
                            None => ty_range,
                        }
                    }
                    _ => ty_range,
                }
            }
            "UnaryOperator" => {
                let op = ast::str_field(n, "opcode")?;
                let r = || self.range_of(cx, &ast::inner(n)[0]);
                match op {
                    "-" => r().map(|(a, b)| (-b, -a)),
                    "+" => r(),
                    "~" => r().map(|(a, b)| (-b - 1, -a - 1)),
                    "!" => Some((0, 1)),
                    _ => ty_range,
                }
            }
            "BinaryOperator" => {
                let op = ast::str_field(n, "opcode")?;
                let parts = ast::inner(n);
                match op {
                    "==" | "!=" | "<" | ">" | "<=" | ">=" | "&&" | "||" => return Some((0, 1)),
                    "," => return self.range_of(cx, &parts[1]),
                    _ => {}
                }
                let l = self.range_of(cx, &parts[0]);
                let r = self.range_of(cx, &parts[1]);
                let res = match (op, l, r) {
                    ("+", Some(a), Some(b)) => Some((a.0 + b.0, a.1 + b.1)),
                    ("-", Some(a), Some(b)) => Some((a.0 - b.1, a.1 - b.0)),
                    ("*", Some(a), Some(b)) => {
                        let c = [
                            a.0.checked_mul(b.0)?,
                            a.0.checked_mul(b.1)?,
                            a.1.checked_mul(b.0)?,
                            a.1.checked_mul(b.1)?,
                        ];
                        Some((*c.iter().min()?, *c.iter().max()?))
                    }
                    ("/", Some(a), Some(b)) if b.0 > 0 => {
                        let c = [a.0 / b.0, a.0 / b.1, a.1 / b.0, a.1 / b.1];
                        Some((*c.iter().min()?, *c.iter().max()?))
                    }
                    ("%", Some(a), Some(b)) if b.0 > 0 => {
                        let m = b.1 - 1;
                        Some((if a.0 < 0 { -m } else { 0 }, if a.1 > 0 { m } else { 0 }))
                    }
                    ("&", Some(a), Some(b)) if a.0 >= 0 || b.0 >= 0 => {
                        let hi = match (a.0 >= 0, b.0 >= 0) {
                            (true, true) => a.1.min(b.1),
                            (true, false) => a.1,
                            _ => b.1,
                        };
                        Some((0, hi))
                    }
                    ("|" | "^", Some(a), Some(b)) if a.0 >= 0 && b.0 >= 0 => {
                        let m = a.1.max(b.1);
                        let p = if m <= 0 {
                            0
                        } else {
                            (1i128 << (128 - (m as u128).leading_zeros())) - 1
                        };
                        Some((0, p))
                    }
                    (">>", Some(a), Some(b)) if b.0 == b.1 && (0..64).contains(&b.0) => {
                        Some((a.0 >> b.0, a.1 >> b.0))
                    }
                    ("<<", Some(a), Some(b))
                        if b.0 == b.1
                            && (0..64).contains(&b.0)
                            && a.0 >= 0
                            && a.1 < (1i128 << 63) =>
                    {
                        Some((a.0 << b.0, a.1 << b.0))
                    }
                    _ => None,
                };
                match res {
                    Some(r) => Some(r),
                    None => ty_range.filter(|_| false),
                }
            }
            "ConditionalOperator" => {
                let parts = ast::inner(n);
                let a = self.range_of(cx, &parts[1])?;
                let b = self.range_of(cx, &parts[2])?;
                Some((a.0.min(b.0), a.1.max(b.1)))
            }
            "UnaryExprOrTypeTraitExpr" => None,
            "MemberExpr" | "ArraySubscriptExpr" | "CallExpr" => ty_range,
            _ => None,
        }
    }
}

/// What a function body does to its locals, and where its `for` loops are.
#[derive(Default)]
struct Walk<'n> {
    mutated: HashSet<String>,
    addr_taken: HashSet<String>,
    fors: Vec<(String, &'n Node)>,
    /// Variables declared in a for-init.
    for_decl_vars: HashSet<String>,
    /// For each local: the stack of (for id, var assigned by that for's init) around each use.
    refs: HashMap<String, Vec<Vec<(String, String)>>>,
}

impl<'n> Walk<'n> {
    /// `n` (an `&x` or an array decaying to a pointer) yields a pointer to a local: the local is
    /// address-taken, and may be changed through the pointer unless it points to const.
    fn address_taken(&mut self, n: &Node) {
        let Some(id) = root_local(&ast::inner(n)[0]) else {
            return;
        };
        self.addr_taken.insert(id.clone());
        let const_target = ast::qual_type(n)
            .and_then(|t| parse_type(t).ok())
            .is_some_and(|q| matches!(q.ty, CType::Pointer(p) if p.is_const));
        if !const_target {
            self.mutated.insert(id);
        }
    }

    fn walk(&mut self, n: &'n Node, fors: &mut Vec<(String, String)>) {
        match ast::kind(n) {
            "BinaryOperator" if ast::str_field(n, "opcode") == Some("=") => {
                if let Some(id) = root_local(&ast::inner(n)[0]) {
                    self.mutated.insert(id);
                }
            }
            "CompoundAssignOperator" => {
                if let Some(id) = root_local(&ast::inner(n)[0]) {
                    self.mutated.insert(id);
                }
            }
            "UnaryOperator" => match ast::str_field(n, "opcode") {
                Some("++" | "--") => {
                    if let Some(id) = root_local(&ast::inner(n)[0]) {
                        self.mutated.insert(id);
                    }
                }
                Some("&") => self.address_taken(n),
                _ => {}
            },
            "ImplicitCastExpr" if ast::str_field(n, "castKind") == Some("ArrayToPointerDecay") => {
                self.address_taken(n)
            }
            "DeclRefExpr" => {
                if let Some(r) = n.get("referencedDecl") {
                    if matches!(ast::kind(r), "VarDecl" | "ParmVarDecl") {
                        if let Some(id) = ast::str_field(r, "id") {
                            self.refs
                                .entry(id.to_string())
                                .or_default()
                                .push(fors.clone());
                        }
                    }
                }
            }
            "ForStmt" => {
                let id = ast::str_field(n, "id").unwrap_or("").to_string();
                self.fors.push((id.clone(), n));
                let init = &ast::inner(n)[0];
                let var = match ast::kind(init) {
                    "DeclStmt" => {
                        let mut v = String::new();
                        for d in ast::inner(init) {
                            if let Some(did) = ast::str_field(d, "id") {
                                self.for_decl_vars.insert(did.to_string());
                                v = did.to_string();
                            }
                        }
                        v
                    }
                    "BinaryOperator" if ast::str_field(init, "opcode") == Some("=") => {
                        local_ref(&ast::inner(init)[0])
                            .map(|x| x.0)
                            .unwrap_or_default()
                    }
                    _ => String::new(),
                };
                fors.push((id, var));
                for c in ast::inner(n) {
                    self.walk(c, fors);
                }
                fors.pop();
                return;
            }
            _ => {}
        }
        for c in ast::inner(n) {
            self.walk(c, fors);
        }
    }
}

/// Is a loop bound the same on every iteration? Constants, and locals the loop does not modify
/// and whose address is never taken, combined with side-effect-free operators.
fn invariant(n: &Node, body: &Walk, func: &Walk) -> bool {
    match ast::kind(n) {
        "IntegerLiteral" | "CharacterLiteral" | "UnaryExprOrTypeTraitExpr" => true,
        "ConstantExpr" => true,
        "ParenExpr" => invariant(&ast::inner(n)[0], body, func),
        "ImplicitCastExpr" | "CStyleCastExpr" => {
            matches!(
                ast::str_field(n, "castKind"),
                Some("LValueToRValue" | "IntegralCast" | "NoOp")
            ) && invariant(&ast::inner(n)[0], body, func)
        }
        "DeclRefExpr" => {
            let Some(r) = n.get("referencedDecl") else {
                return false;
            };
            match ast::kind(r) {
                "EnumConstantDecl" => true,
                "VarDecl" | "ParmVarDecl" => {
                    let id = ast::str_field(r, "id").unwrap_or("");
                    // Globals are not tracked: only locals qualify.
                    let is_local =
                        func.refs.contains_key(id) && ast::str_field(r, "storageClass").is_none();
                    let q = ast::qual_type(r).and_then(|t| parse_type(t).ok());
                    let _ = q;
                    is_local
                        && !body.mutated.contains(id)
                        && !func.addr_taken.contains(id)
                        && local_declared(id, func)
                }
                _ => false,
            }
        }
        "MemberExpr" => !ast::bool_field(n, "isArrow") && invariant(&ast::inner(n)[0], body, func),
        "BinaryOperator" => {
            let op = ast::str_field(n, "opcode").unwrap_or("");
            ["+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"].contains(&op)
                && ast::inner(n).iter().all(|c| invariant(c, body, func))
        }
        "UnaryOperator" => {
            matches!(ast::str_field(n, "opcode"), Some("-" | "~" | "!" | "+"))
                && invariant(&ast::inner(n)[0], body, func)
        }
        _ => false,
    }
}

fn local_declared(_id: &str, _func: &Walk) -> bool {
    true
}

// ---- helpers --------------------------------------------------------------------------------------

fn zeroed(const_ctx: bool) -> RExpr {
    if const_ctx {
        RExpr::tokens(quote!(unsafe { core::mem::zeroed() }))
    } else {
        RExpr::tokens(quote!(core::mem::zeroed()))
    }
}

fn is_attr(n: &Node) -> bool {
    ast::kind(n).ends_with("Attr") || ast::kind(n) == "FullComment"
}

fn has_attr(n: &Node, kind: &str) -> bool {
    ast::inner(n).iter().any(|c| ast::kind(c) == kind)
}

fn aligned_attr_global(prog: &Program, name: &str) -> bool {
    prog.items
        .values()
        .flatten()
        .any(|i| i.kind == ItemKind::Global && i.name == name && aligned_attr(i.node).is_some())
}

fn strip_parens(n: &Node) -> &Node {
    let mut n = n;
    while ast::kind(n) == "ParenExpr" {
        n = &ast::inner(n)[0];
    }
    n
}

fn strip_constant(n: &Node) -> &Node {
    let mut n = n;
    while ast::kind(n) == "ConstantExpr" {
        n = &ast::inner(n)[0];
    }
    n
}

fn strip_void_cast(n: &Node) -> &Node {
    let mut n = strip_parens(n);
    while matches!(ast::kind(n), "ImplicitCastExpr" | "CStyleCastExpr")
        && ast::str_field(n, "castKind") == Some("BitCast")
        && ast::qual_type(n).is_some_and(|t| t.contains("void"))
    {
        n = strip_parens(&ast::inner(n)[0]);
    }
    n
}

/// Drop widening integer conversions (int promotions) under an index: `x as usize` of a narrower
/// integer gives the same value as widening first.
fn strip_int_promotions<'n>(cx: &ModCx, n: &'n Node) -> &'n Node {
    let mut n = n;
    loop {
        let s = strip_parens(n);
        if ast::kind(s) == "ImplicitCastExpr"
            && ast::str_field(s, "castKind") == Some("IntegralCast")
        {
            let inner = &ast::inner(s)[0];
            let (Ok(to), Ok(from)) = (cx.qtype(s), cx.qtype(inner)) else {
                return n;
            };
            let (Some(kt), Some(kf)) = (cx.env().int_kind(&to), cx.env().int_kind(&from)) else {
                return n;
            };
            let widening = kf.bits() < kt.bits() && (kt.signed() || !kf.signed());
            if widening {
                n = inner;
                continue;
            }
        }
        return n;
    }
}

fn subscript_parts(n: &Node) -> (&Node, &Node) {
    let p = ast::inner(n);
    // C allows `i[p]`: the base is the operand of pointer type.
    let first_is_ptr = ast::qual_type(&p[0])
        .and_then(|t| parse_type(t).ok())
        .is_some_and(|q| {
            matches!(
                q.ty,
                CType::Pointer(_) | CType::Array(..) | CType::Typedef(_)
            )
        });
    if first_is_ptr
        || ast::kind(&p[0]) == "ImplicitCastExpr"
            && ast::str_field(&p[0], "castKind") == Some("ArrayToPointerDecay")
    {
        (&p[0], &p[1])
    } else {
        (&p[1], &p[0])
    }
}

fn n_ref_name(n: &Node) -> String {
    n.get("referencedDecl")
        .and_then(ast::name)
        .unwrap_or("")
        .to_string()
}

fn referenced_enum_const(n: &Node) -> Option<&str> {
    let r = n.get("referencedDecl")?;
    if ast::kind(r) == "EnumConstantDecl" {
        ast::name(r)
    } else {
        None
    }
}

/// (decl id, name) of a reference to a local variable or parameter.
fn local_ref(n: &Node) -> Option<(String, String)> {
    let n = strip_parens(n);
    if ast::kind(n) != "DeclRefExpr" {
        return None;
    }
    let r = n.get("referencedDecl")?;
    if !matches!(ast::kind(r), "VarDecl" | "ParmVarDecl") {
        return None;
    }
    Some((
        ast::str_field(r, "id")?.to_string(),
        ast::name(r)?.to_string(),
    ))
}

/// The local variable an lvalue is part of (through `.` and array indexing, not through pointers).
fn root_local(n: &Node) -> Option<String> {
    let n = strip_parens(n);
    match ast::kind(n) {
        "DeclRefExpr" => local_ref(n).map(|x| x.0),
        "MemberExpr" if !ast::bool_field(n, "isArrow") => root_local(&ast::inner(n)[0]),
        "ArraySubscriptExpr" => {
            let (base, _) = subscript_parts(n);
            let b = strip_parens(base);
            if ast::kind(b) == "ImplicitCastExpr"
                && ast::str_field(b, "castKind") == Some("ArrayToPointerDecay")
            {
                root_local(&ast::inner(b)[0])
            } else {
                None
            }
        }
        _ => None,
    }
}

/// An expression that can be evaluated twice with the same result and no side effect.
fn is_pure(n: &Node) -> bool {
    match ast::kind(n) {
        "DeclRefExpr"
        | "IntegerLiteral"
        | "CharacterLiteral"
        | "FloatingLiteral"
        | "StringLiteral"
        | "UnaryExprOrTypeTraitExpr" => true,
        "ParenExpr" | "ImplicitCastExpr" | "CStyleCastExpr" | "MemberExpr" | "ConstantExpr" => {
            ast::inner(n).iter().all(is_pure)
        }
        "ArraySubscriptExpr" => ast::inner(n).iter().all(is_pure),
        "UnaryOperator" => {
            !matches!(ast::str_field(n, "opcode"), Some("++" | "--"))
                && ast::inner(n).iter().all(is_pure)
        }
        "BinaryOperator" => {
            !matches!(ast::str_field(n, "opcode"), Some("=" | ","))
                && ast::inner(n).iter().all(is_pure)
        }
        _ => false,
    }
}

/// Does the C expression produce a truth value (comparison, logical operator, `!`)?
fn is_c_bool_op(n: &Node) -> bool {
    let n = strip_parens(n);
    match ast::kind(n) {
        "BinaryOperator" => {
            matches!(
                ast::str_field(n, "opcode"),
                Some("==" | "!=" | "<" | ">" | "<=" | ">=" | "&&" | "||")
            )
        }
        "UnaryOperator" => ast::str_field(n, "opcode") == Some("!"),
        _ => false,
    }
}

/// Is the Rust expression a bool-valued comparison/logical expression?
fn is_bool_expr(e: &RExpr) -> bool {
    match e {
        RExpr::Binary(op, ..) => matches!(*op, "==" | "!=" | "<" | ">" | "<=" | ">=" | "&&" | "||"),
        RExpr::Unary("!", inner) => is_bool_expr(inner),
        RExpr::Method(_, m, _) => matches!(*m, "is_null" | "is_none" | "is_some"),
        _ => false,
    }
}

/// A null pointer constant (`0`, `NULL`, `(void *)0`), possibly converted to another pointer type.
fn is_null_const(n: &Node) -> bool {
    let n = strip_parens(n);
    match ast::kind(n) {
        "ImplicitCastExpr" | "CStyleCastExpr" => match ast::str_field(n, "castKind") {
            Some("NullToPointer") => true,
            Some("BitCast" | "NoOp") => is_null_const(&ast::inner(n)[0]),
            _ => false,
        },
        _ => false,
    }
}

fn negate(c: RExpr) -> RExpr {
    match c {
        RExpr::Binary("==", l, r) => RExpr::Binary("!=", l, r),
        RExpr::Binary("!=", l, r) => RExpr::Binary("==", l, r),
        RExpr::Unary("!", inner) if is_bool_expr(&inner) || matches!(*inner, RExpr::Method(..)) => {
            *inner
        }
        other => RExpr::unary("!", other),
    }
}

trait Negated {
    fn negated(self) -> RExpr;
}
impl Negated for RExpr {
    fn negated(self) -> RExpr {
        RExpr::unary("!", self)
    }
}

fn same_expr(a: &RExpr, b: &RExpr) -> bool {
    use quote::ToTokens;
    a.to_token_stream().to_string() == b.to_token_stream().to_string()
}

fn prim_bits(p: &str) -> u32 {
    match p {
        "i8" | "u8" => 8,
        "i16" | "u16" => 16,
        "i32" | "u32" => 32,
        "i128" | "u128" => 128,
        _ => 64,
    }
}

fn prim_fits(p: &str, v: i128) -> bool {
    let k = match p {
        "i8" => IntKind::SChar,
        "u8" => IntKind::UChar,
        "i16" => IntKind::Short,
        "u16" => IntKind::UShort,
        "i32" => IntKind::Int,
        "u32" => IntKind::UInt,
        "i64" | "isize" => IntKind::Long,
        "u64" | "usize" => IntKind::ULong,
        _ => return false,
    };
    let (lo, hi) = k.range();
    v >= lo && v <= hi
}

fn contains_continue(n: &Node) -> bool {
    match ast::kind(n) {
        "ContinueStmt" => true,
        "ForStmt" | "WhileStmt" | "DoStmt" => false,
        _ => ast::inner(n).iter().any(contains_continue),
    }
}

/// Does a statement list end in an unconditional jump (no fallthrough into the next case)?
fn terminates(stmts: &[&Node]) -> bool {
    match stmts.last() {
        None => false,
        Some(s) => stmt_terminates(s),
    }
}

fn stmt_terminates(s: &Node) -> bool {
    match ast::kind(s) {
        "BreakStmt" | "ReturnStmt" | "ContinueStmt" => true,
        "CompoundStmt" => ast::inner(s).last().is_some_and(stmt_terminates),
        "IfStmt" => {
            let p = ast::inner(s);
            p.len() > 2 && stmt_terminates(&p[1]) && stmt_terminates(&p[2])
        }
        "CallExpr" => {
            let name = ast::inner(s)
                .first()
                .and_then(|c| ast::inner(c).first())
                .and_then(|d| d.get("referencedDecl"))
                .and_then(ast::name)
                .unwrap_or("");
            matches!(
                name,
                "abort" | "exit" | "__builtin_unreachable" | "__builtin_trap"
            )
        }
        _ => false,
    }
}

fn is_infinite_loop(n: &Node) -> bool {
    match ast::kind(n) {
        "ForStmt" => ast::is_empty(&ast::inner(n)[2]) && !contains_break(&ast::inner(n)[4]),
        "WhileStmt" => {
            let p = ast::inner(n);
            const_value(&p[p.len() - 2]).is_some_and(|v| v != 0) && !contains_break(&p[p.len() - 1])
        }
        _ => false,
    }
}

fn contains_break(n: &Node) -> bool {
    match ast::kind(n) {
        "BreakStmt" => true,
        "ForStmt" | "WhileStmt" | "DoStmt" | "SwitchStmt" => false,
        _ => ast::inner(n).iter().any(contains_break),
    }
}

fn find_string_literal(n: &Node) -> Option<Vec<u8>> {
    if ast::kind(n) == "StringLiteral" {
        return string_bytes(n).ok();
    }
    ast::inner(n).iter().find_map(find_string_literal)
}

/// The bytes of a C string literal (without the terminating NUL).
pub fn string_bytes(n: &Node) -> TResult<Vec<u8>> {
    let Some(v) = ast::str_field(n, "value") else {
        return err(n, "string literal", "no value");
    };
    let mut out = Vec::new();
    let b = v.as_bytes();
    // clang writes the literal as spelled: "..." (possibly several concatenated pieces? no: one).
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if !in_str {
            if c == b'"' {
                in_str = true;
            } else if c == b'L' || c == b'u' || c == b'U' || c == b'8' {
                return err(
                    n,
                    "wide string literal",
                    "only plain char strings are supported",
                );
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_str = false;
                i += 1;
            }
            b'\\' => {
                i += 1;
                let e = b[i];
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'v' => out.push(11),
                    b'\\' | b'\'' | b'"' | b'?' => out.push(e),
                    b'x' => {
                        let mut v: u32 = 0;
                        while i < b.len() && (b[i] as char).is_ascii_hexdigit() {
                            v = v * 16 + (b[i] as char).to_digit(16).unwrap();
                            i += 1;
                        }
                        out.push(v as u8);
                    }
                    b'0'..=b'7' => {
                        let mut v: u32 = (e - b'0') as u32;
                        let mut k = 1;
                        while k < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                            v = v * 8 + (b[i] - b'0') as u32;
                            i += 1;
                            k += 1;
                        }
                        out.push(v as u8);
                    }
                    _ => {
                        return err(
                            n,
                            "string literal",
                            format!("unknown escape \\{}", e as char),
                        );
                    }
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// A `*const i8` to a NUL-terminated copy of `bytes`.
fn c_string_ptr(bytes: &[u8]) -> RExpr {
    if !bytes.contains(&0) {
        let cs = std::ffi::CString::new(bytes.to_vec()).unwrap();
        let lit = Literal::c_string(&cs);
        RExpr::tokens(quote!(#lit.as_ptr()))
    } else {
        let mut b = bytes.to_vec();
        b.push(0);
        let lit = Literal::byte_string(&b);
        RExpr::tokens(quote!(#lit.as_ptr())).cast(RTy::Ptr {
            mutable: false,
            to: Box::new(RTy::Prim("i8")),
        })
    }
}

/// Rust types for the C library's typedefs that have a better name than their canonical type.
fn system_typedef(name: &str) -> Option<RTy> {
    Some(match name {
        // On LP64 these are `long`s, which we map to isize/usize: keep their fixed width.
        "uint64_t" | "__uint64_t" | "uint_least64_t" | "uint_fast64_t" | "uintmax_t" => {
            RTy::Prim("u64")
        }
        "int64_t" | "__int64_t" | "int_least64_t" | "int_fast64_t" | "intmax_t" => RTy::Prim("i64"),
        "size_t" | "uintptr_t" => RTy::Prim("usize"),
        "ssize_t" | "ptrdiff_t" | "intptr_t" => RTy::Prim("isize"),
        "FILE" => RTy::Extern("libc::FILE".into()),
        _ => return None,
    })
}

/// A type spelling with an array bound that is not a number: clang prints VLAs as `int[n]`.
fn is_vla(text: &str) -> bool {
    text.split('[').skip(1).any(|rest| {
        let bound = rest.split(']').next().unwrap_or("").trim();
        !bound.is_empty() && !bound.chars().all(|c| c.is_ascii_digit())
    })
}

/// `__builtin_memcpy` and friends are the C library functions under another name.
fn builtin_alias(name: &str) -> &str {
    match name {
        "__builtin_memcpy" => "memcpy",
        "__builtin_memmove" => "memmove",
        "__builtin_memset" => "memset",
        "__builtin_sqrt" => "sqrt",
        "__builtin_fabs" => "fabs",
        _ => name,
    }
}

/// `<math.h>` functions with a Rust float method of the same meaning: (method, float type).
pub(crate) fn math_fn(name: &str) -> Option<(&'static str, &'static str)> {
    const METHODS: &[(&str, &str)] = &[
        ("sqrt", "sqrt"),
        ("fabs", "abs"),
        ("floor", "floor"),
        ("ceil", "ceil"),
        ("round", "round"),
        ("trunc", "trunc"),
        ("exp", "exp"),
        ("exp2", "exp2"),
        ("log", "ln"),
        ("log2", "log2"),
        ("log10", "log10"),
        ("pow", "powf"),
        ("sin", "sin"),
        ("cos", "cos"),
        ("tan", "tan"),
        ("asin", "asin"),
        ("acos", "acos"),
        ("atan", "atan"),
        ("atan2", "atan2"),
        ("sinh", "sinh"),
        ("cosh", "cosh"),
        ("tanh", "tanh"),
        ("hypot", "hypot"),
        ("cbrt", "cbrt"),
        ("fmin", "min"),
        ("fmax", "max"),
        ("copysign", "copysign"),
    ];
    let (base, float) = match name.strip_suffix('f') {
        Some(b) if METHODS.iter().any(|(c, _)| *c == b) => (b, "f32"),
        _ => (name, "f64"),
    };
    METHODS
        .iter()
        .find(|(c, _)| *c == base)
        .map(|(_, m)| (*m, float))
}

/// C comment text as rustdoc Markdown that renders as written: brackets (`L[3]` would be an
/// intra-doc link) and `<` (`<stdio.h>` would open an HTML tag) are escaped outside code spans.
pub fn escape_doc(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && matches!(c, '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Drops blank lines at both ends of a comment's text (the doc comment starts and ends with text).
pub(super) fn trim_blank_edges(lines: &mut Vec<String>) {
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    lines.drain(..first);
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
}
