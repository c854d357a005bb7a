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
    Item, ItemKind, ModPath, Owner, Program, TErr, TResult, aligned_attr, const_value, err, wrap_to,
};
use super::rust::{RExpr, RTy, ident, lifetime, lit_value, path};

mod atomics;
mod bitfields;
pub mod comments;
mod exprs;
mod fncx;
mod goto;
mod goto_into;
mod items;
mod lets;
mod state_machine;
mod stmts;
mod types;

pub use fncx::*;
pub(crate) use items::doc_texts;

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
    /// C library functions declared from their C prototype: (name, declaration).
    pub c_fns: BTreeSet<(String, String)>,
    /// Comments of function bodies, by the index their marker statement names
    /// (`comments::place` puts them into the formatted text).
    pub comment_texts: Vec<String>,
    /// Source files read for their comments (as clang spells them; None when unreadable).
    sources: HashMap<String, Option<std::rc::Rc<str>>>,
    /// Comments emitted beside a call's argument or an initializer's item (file, offset): the
    /// statement holding them does not emit them again (`comments::BodyComments::inner`).
    taken: HashSet<(String, usize)>,
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
            c_fns: BTreeSet::new(),
            comment_texts: Vec::new(),
            sources: HashMap::new(),
            taken: HashSet::new(),
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

    /// The comments of a function body (`comments.rs`), read from its source files.
    fn body_comments(&mut self, body: &Node) -> comments::BodyComments {
        let dir = self.prog.tus[self.tu].clang_dir.clone();
        let sources = &mut self.sources;
        comments::collect(body, &mut |file| {
            sources
                .entry(file.to_string())
                .or_insert_with(|| std::fs::read_to_string(dir.join(file)).ok().map(Into::into))
                .clone()
        })
    }

    /// Each item of an initializer list with the comments written around it in the source
    /// (`comments::init_list`), as `#[comment = "…"]` attributes that prettyplease prints as
    /// `//` lines and `comments::place` moves beside the item.
    fn with_list_comments(&mut self, list: &Node, items: &[&Node], values: &mut [RExpr]) {
        for (v, attrs) in values.iter_mut().zip(self.list_comment_attrs(list, items)) {
            if !attrs.is_empty() {
                let e = std::mem::replace(v, RExpr::tokens(quote!()));
                *v = RExpr::tokens(quote!(#attrs #e));
            }
        }
    }

    /// The `#[comment = "…"]` attributes of each item of an initializer list (empty where the
    /// source has no comment beside the item).
    fn list_comment_attrs(&mut self, list: &Node, items: &[&Node]) -> Vec<TokenStream> {
        let dir = self.prog.tus[self.tu].clang_dir.clone();
        let sources = &mut self.sources;
        let found = comments::init_list(list, items, &mut |file| {
            sources
                .entry(file.to_string())
                .or_insert_with(|| std::fs::read_to_string(dir.join(file)).ok().map(Into::into))
                .clone()
        });
        self.taken
            .extend(found.iter().flat_map(|c| c.taken.iter().cloned()));
        Self::comment_attrs(found)
    }

    /// Each argument of a call with the comments written around it (`f(a, /* why */ b)`).
    fn with_arg_comments(&mut self, call: &Node, args: &[Node], values: &mut [RExpr]) {
        let Some(callee) = ast::inner(call).first() else {
            return;
        };
        let items: Vec<&Node> = args.iter().collect();
        let dir = self.prog.tus[self.tu].clang_dir.clone();
        let sources = &mut self.sources;
        let found = comments::call_args(call, callee, &items, &mut |file| {
            sources
                .entry(file.to_string())
                .or_insert_with(|| std::fs::read_to_string(dir.join(file)).ok().map(Into::into))
                .clone()
        });
        self.taken
            .extend(found.iter().flat_map(|c| c.taken.iter().cloned()));
        for (v, attrs) in values.iter_mut().zip(Self::comment_attrs(found)) {
            if !attrs.is_empty() {
                let e = std::mem::replace(v, RExpr::tokens(quote!()));
                *v = RExpr::tokens(quote!(#attrs #e));
            }
        }
    }

    /// The `#[comment = "…"]` attributes carrying each item's comments.
    fn comment_attrs(found: Vec<comments::ItemComments>) -> Vec<TokenStream> {
        let mut out = Vec::new();
        for c in found {
            let lines = |cs: &[String]| -> Vec<String> {
                cs.iter()
                    .flat_map(|c| c.lines().map(str::to_string))
                    .collect()
            };
            let mut attrs: Vec<String> = lines(&c.before)
                .into_iter()
                .map(|l| format!("{}{l}", comments::LIST_BEFORE))
                .collect();
            let after = lines(&c.after);
            // One line goes at the end of the item's line; more would not fit there.
            let prefix = if after.len() == 1 {
                comments::LIST_AFTER
            } else {
                comments::LIST_BEFORE
            };
            attrs.extend(after.into_iter().map(|l| format!("{prefix}{l}")));
            out.push(quote!(#(#[comment = #attrs])*));
        }
        out
    }

    /// The comments inside statement `n`'s text that its translation did not emit beside a call
    /// argument or an initializer item (call after translating it).
    fn inner_comments(&self, f: &FnCx, n: &Node) -> Vec<String> {
        let Some(found) = ast::str_field(n, "id").and_then(|id| f.comments.inner.get(id)) else {
            return Vec::new();
        };
        found
            .iter()
            .filter(|c| !self.taken.contains(&c.at))
            .map(|c| c.text.clone())
            .collect()
    }

    /// Marker items for the comments after an item on its last line (`} /* end of f */`): a
    /// one-line comment goes at the end of the Rust item's last line, a longer one on lines
    /// after it.
    pub fn trailing_comment_markers(&mut self, texts: &[String], out: &mut Vec<TokenStream>) {
        for t in texts {
            let n = Literal::usize_unsuffixed(self.comment_texts.len());
            self.comment_texts.push(t.clone());
            let name = if t.contains('\n') {
                comments::MARKER
            } else {
                comments::TRAILING_MARKER
            };
            let m = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
            out.push(quote!(#m!(#n);));
        }
    }

    /// Marker statements for comments (replaced by the comments after formatting).
    pub fn comment_markers(&mut self, texts: Option<&Vec<String>>, out: &mut Vec<TokenStream>) {
        for t in texts.into_iter().flatten() {
            let n = Literal::usize_unsuffixed(self.comment_texts.len());
            self.comment_texts.push(t.clone());
            let m = proc_macro2::Ident::new(comments::MARKER, proc_macro2::Span::call_site());
            out.push(quote!(#m!(#n);));
        }
    }
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

/// The function a call names directly (its callee a function name, which clang wraps in a decay
/// cast), None for a call through a pointer.
fn direct_callee_name(call: &Node) -> Option<String> {
    let c = strip_parens(ast::inner(call).first()?);
    if ast::kind(c) != "ImplicitCastExpr" {
        return None;
    }
    let target = strip_parens(&ast::inner(c)[0]);
    (ast::kind(target) == "DeclRefExpr").then(|| n_ref_name(target))
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
        "ArraySubscriptExpr" | "ConditionalOperator" => ast::inner(n).iter().all(is_pure),
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

/// Whether a function body cannot fall off its end (its last statement, under any labels, is a
/// `return` or an infinite loop): otherwise a non-void function gets `return core::mem::zeroed()`.
pub(crate) fn body_ends(body: &Node) -> bool {
    let mut last = ast::inner(body).last();
    while let Some(l) = last.filter(|l| ast::kind(l) == "LabelStmt") {
        last = ast::inner(l).first();
    }
    last.is_some_and(|l| ast::kind(l) == "ReturnStmt" || is_infinite_loop(l))
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
        // On LP64 these are `unsigned long` and `long` (`u64`/`i64`, like `uint64_t`), which the
        // libc crate and Rust's pointer offsets spell `usize`/`isize`.
        "size_t" | "uintptr_t" => RTy::Prim("usize"),
        "ssize_t" | "ptrdiff_t" | "intptr_t" => RTy::Prim("isize"),
        "FILE" => RTy::Extern("libc::FILE".into()),
        _ if LIBC_INT_TYPEDEFS.iter().any(|&(n, _)| n == name) => {
            RTy::Extern(format!("libc::{name}"))
        }
        _ => return None,
    })
}

/// The C library's integer typedefs that keep their name, as the libc crate spells them
/// (`libc::time_t`), with the primitive each is on x86_64 Linux (glibc; the crate's `pub type
/// time_t = i64;`), so arithmetic on them needs no cast (`types.rs`, `canon_rty`).
pub(super) const LIBC_INT_TYPEDEFS: [(&str, &str); 6] = [
    ("pthread_t", "u64"),
    ("pthread_key_t", "u32"),
    ("pthread_once_t", "i32"),
    ("pid_t", "i32"),
    ("off_t", "i64"),
    ("time_t", "i64"),
];

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

/// Does the libc crate (the version the generated crates are built with) declare this function
/// for the target? Its list is generated from rustdoc by `libc-fns.sh`, so a name is looked up,
/// not guessed: the crate's declarations differ from glibc's headers in both directions.
pub(crate) fn libc_crate_declares(name: &str) -> bool {
    static NAMES: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            include_str!("../../data/libc-fns.txt")
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .collect()
        })
        .contains(name)
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

#[cfg(test)]
mod tests {
    /// The list of the libc crate's functions must be the one of the version the workspace
    /// builds with: after `cargo update -p libc`, a function the new version added would still be
    /// declared from its C prototype (harmless) and one it dropped would not compile, so rerun
    /// `libc-fns.sh`.
    #[test]
    fn libc_function_list_matches_the_locked_libc_version() {
        let lock =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock"))
                .unwrap();
        let locked = lock
            .split("[[package]]")
            .find(|p| p.contains("\nname = \"libc\"\n"))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
            .expect("libc in Cargo.lock")
            .trim_matches('"')
            .to_string();
        let list = include_str!("../../data/libc-fns.txt");
        let header = list.lines().next().unwrap();
        assert!(
            header.contains(&format!("libc {locked},")),
            "data/libc-fns.txt was made for another libc than Cargo.lock's {locked} ({header}): \
             run migrate-tools/transpile/libc-fns.sh"
        );
        // What the transpiler's output relies on either way.
        assert!(super::libc_crate_declares("memcpy") && super::libc_crate_declares("printf"));
        assert!(!super::libc_crate_declares("random") && !super::libc_crate_declares("fmod"));
    }
}
