//! Which translated functions can be plain `fn`s: those whose address is never taken (so no
//! `unsafe extern "C" fn` pointer type must hold them) and whose body performs no operation that
//! Rust calls unsafe once translated — no pointer dereference, `->`, pointer arithmetic,
//! subscript of a pointer, union member, mutable global, call through a pointer or to the C
//! library, and nothing the translation writes with `core::mem::zeroed` or another unsafe helper.
//! The check reads clang's AST, so it errs on the side of `unsafe`: a function it keeps unsafe
//! loses nothing but readability, while one wrongly made safe would not compile.

use std::collections::BTreeSet;

use super::ast::{self, Node};
use super::program::{ItemKind, Owner, Program};

/// Functions that do not need to be `unsafe`, by name (a name defined twice, by `static`
/// functions of two files, counts only if both qualify).
pub fn plain_fns(prog: &Program) -> BTreeSet<String> {
    let mut defs: Vec<(&str, &Node)> = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for items in prog.items.values() {
        for item in items {
            if item.kind != ItemKind::Function {
                continue;
            }
            let Some(body) = ast::inner(item.node)
                .iter()
                .find(|c| ast::kind(c) == "CompoundStmt")
            else {
                continue;
            };
            defs.push((item.name.as_str(), item.node));
            addresses_taken(body, false, &mut taken);
        }
    }
    for items in prog.items.values() {
        for item in items {
            if item.kind == ItemKind::Global {
                addresses_taken(item.node, false, &mut taken);
            }
        }
    }
    // Start from every candidate and drop those calling a function that is not plain, until
    // nothing changes.
    let mut plain: BTreeSet<String> = defs
        .iter()
        .filter(|(name, n)| *name != "main" && !taken.contains(*name) && own_ops_safe(prog, n))
        .map(|(name, _)| name.to_string())
        .collect();
    for (name, n) in &defs {
        if !own_ops_safe(prog, n) {
            plain.remove(*name);
        }
    }
    loop {
        let before = plain.len();
        for (name, n) in &defs {
            if plain.contains(*name) && !calls_only(n, &plain) {
                plain.remove(*name);
            }
        }
        if plain.len() == before {
            break;
        }
    }
    plain
}

/// Functions named other than as the callee of a direct call.
fn addresses_taken(n: &Node, callee: bool, out: &mut BTreeSet<String>) {
    if ast::kind(n) == "DeclRefExpr" && !callee {
        if let Some(r) = n.get("referencedDecl") {
            if ast::kind(r) == "FunctionDecl" {
                if let Some(name) = ast::name(r) {
                    out.insert(name.to_string());
                }
            }
        }
    }
    let kids = ast::inner(n);
    for (i, c) in kids.iter().enumerate() {
        let is_callee = ast::kind(n) == "CallExpr" && i == 0
            || callee
                && ast::kind(n) == "ImplicitCastExpr"
                && matches!(
                    ast::str_field(n, "castKind"),
                    Some("FunctionToPointerDecay" | "BuiltinFnToFnPtr")
                )
            || callee && ast::kind(n) == "ParenExpr";
        addresses_taken(c, is_callee, out);
    }
}

fn qual(n: &Node) -> &str {
    ast::qual_type(n).unwrap_or("")
}

fn is_pointer(n: &Node) -> bool {
    let t = n
        .get("type")
        .and_then(|t| t.get("desugaredQualType").or_else(|| t.get("qualType")))
        .and_then(|t| t.as_str())
        .unwrap_or("");
    t.trim_end().ends_with('*')
}

/// Every direct call goes to a plain function or a safe builtin (calls through pointers and
/// to unsafe helpers were already refused by `own_ops_safe`).
fn calls_only(n: &Node, plain: &BTreeSet<String>) -> bool {
    if ast::kind(n) == "CallExpr" {
        if let Some(name) = direct_callee(n) {
            if !plain.contains(name) && !safe_builtin(name) {
                return false;
            }
        }
    }
    ast::inner(n).iter().all(|c| calls_only(c, plain))
}

fn direct_callee(call: &Node) -> Option<&str> {
    let mut c = ast::inner(call).first()?;
    while matches!(ast::kind(c), "ImplicitCastExpr" | "ParenExpr") {
        c = ast::inner(c).first()?;
    }
    if ast::kind(c) != "DeclRefExpr" {
        return None;
    }
    let r = c.get("referencedDecl")?;
    (ast::kind(r) == "FunctionDecl").then(|| ast::name(r))?
}

/// Builtins the translation writes as safe Rust (see `translate.rs`, `builtin_call`).
fn safe_builtin(name: &str) -> bool {
    name.starts_with("__builtin_popcount")
        || name.starts_with("__builtin_bswap")
        || matches!(name, "__builtin_expect")
        || super::translate::math_fn(name).is_some()
}

/// The body's own operations are safe Rust once translated (calls are checked separately).
fn own_ops_safe(prog: &Program, f: &Node) -> bool {
    // A non-void function that may fall off its end returns `core::mem::zeroed()`.
    let body = ast::inner(f)
        .iter()
        .find(|c| ast::kind(c) == "CompoundStmt");
    let returns_value = !qual(f).starts_with("void ") && !qual(f).starts_with("void(");
    if returns_value && !body.is_some_and(super::translate::body_ends) {
        return false;
    }
    // Parameters are fine whatever their type: a raw pointer is only unsafe to use.
    body.is_some_and(|b| ops_safe(prog, b))
}

fn ops_safe(prog: &Program, n: &Node) -> bool {
    let kind = ast::kind(n);
    let op = ast::str_field(n, "opcode").unwrap_or("");
    let unsafe_here = match kind {
        "UnaryOperator" => match op {
            "*" => true,
            // `&a[i]` is written as pointer arithmetic.
            "&" => ast::inner(n)
                .first()
                .is_some_and(|o| ast::kind(o) == "ArraySubscriptExpr"),
            "++" | "--" => is_pointer(n),
            _ => false,
        },
        "BinaryOperator" => matches!(op, "+" | "-") && ast::inner(n).iter().any(is_pointer),
        "CompoundAssignOperator" => ast::inner(n).first().is_some_and(is_pointer),
        "MemberExpr" => {
            ast::bool_field(n, "isArrow")
                || ast::inner(n)
                    .first()
                    .is_some_and(|b| qual(b).starts_with("union ") || is_union(prog, qual(b)))
        }
        "ArraySubscriptExpr" => !subscripts_an_array(&ast::inner(n)[0]),
        "CallExpr" => match direct_callee(n) {
            None => true,
            Some(name) => {
                let project = prog
                    .fns
                    .get(name)
                    .or_else(|| {
                        prog.tu_fns
                            .iter()
                            .find(|((_, n), _)| n == name)
                            .map(|(_, i)| i)
                    })
                    .is_some_and(|i| matches!(i.owner, Owner::Module(_)));
                !project && !safe_builtin(name)
            }
        },
        "DeclRefExpr" => n.get("referencedDecl").is_some_and(|r| {
            ast::kind(r) == "VarDecl" && {
                let name = ast::name(r).unwrap_or("");
                // A file's `static` objects (clang's reference carries no storage class) and
                // thread-locals are `static mut`s or pointers when mutable.
                let tu_mut = prog
                    .tu_globals
                    .iter()
                    .any(|((_, n), g)| n == name && g.is_mut);
                let local = ast::str_field(r, "storageClass") != Some("static")
                    && !prog.globals.contains_key(name);
                tu_mut
                    || prog.globals.get(name).is_some_and(|g| g.tls)
                    || !local
                        && !qual(r).starts_with("const ")
                        && prog.globals.get(name).is_none_or(|g| g.is_mut)
            }
        }),
        // Locals left uninitialized, records or arrays filled in part: `core::mem::zeroed`.
        "VarDecl" => {
            ast::str_field(n, "init").is_none() && !scalar(qual(n))
                || ast::str_field(n, "storageClass") == Some("static")
        }
        "InitListExpr" => !scalar(qual(n)) && !qual(n).contains('['),
        "GCCAsmStmt" | "GotoStmt" | "IndirectGotoStmt" => true,
        _ => false,
    };
    !unsafe_here && ast::inner(n).iter().all(|c| ops_safe(prog, c))
}

fn is_union(prog: &Program, ty: &str) -> bool {
    prog.env
        .records
        .get(ty.trim_start_matches("const ").trim())
        .is_some_and(|r| r.union)
}

/// Integers, floats and pointers (zero is a literal or a null pointer, no `zeroed`).
fn scalar(ty: &str) -> bool {
    let t = ty.trim_start_matches("const ").trim();
    t.ends_with('*')
        || matches!(
            t,
            "int"
                | "unsigned int"
                | "char"
                | "signed char"
                | "unsigned char"
                | "short"
                | "unsigned short"
                | "long"
                | "unsigned long"
                | "long long"
                | "unsigned long long"
                | "_Bool"
                | "float"
                | "double"
                | "size_t"
                | "ptrdiff_t"
                | "int8_t"
                | "int16_t"
                | "int32_t"
                | "int64_t"
                | "uint8_t"
                | "uint16_t"
                | "uint32_t"
                | "uint64_t"
        )
}

/// `a[i]` of a declared array (indexed in Rust with a bounds check), not of a pointer.
fn subscripts_an_array(base: &Node) -> bool {
    let mut b = base;
    loop {
        match ast::kind(b) {
            "ParenExpr" => b = &ast::inner(b)[0],
            "ImplicitCastExpr" if ast::str_field(b, "castKind") == Some("ArrayToPointerDecay") => {
                let inner = &ast::inner(b)[0];
                return ast::kind(inner) == "DeclRefExpr";
            }
            _ => return false,
        }
    }
}
