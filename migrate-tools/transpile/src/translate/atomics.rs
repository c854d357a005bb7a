//! C11 atomics (`<stdatomic.h>`) as `core::sync::atomic` method calls.
//!
//! `_Atomic(T)` objects become `AtomicI32`, `AtomicU8`, ... (same size and layout as `T`), and
//! every explicit operation on them (`atomic_load_explicit`, `atomic_store_explicit`,
//! `atomic_fetch_add_explicit`, ...) becomes the method of the same meaning with the same memory
//! order. clang's JSON AST does not name the operation of an `AtomicExpr`; its location does: the
//! expression begins at the `__c11_atomic_*` builtin the `<stdatomic.h>` macro expands to, so the
//! operation is read from the source text there. Plain reads and writes of an atomic object (C's
//! implicit sequentially consistent accesses) are refused by name: each would have to become a
//! `SeqCst` call, which hides the cost the C author did not spell out either.

use super::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

thread_local! {
    /// Source files read for the names of atomic operations, by path.
    static SOURCES: RefCell<HashMap<PathBuf, Option<String>>> = RefCell::default();
}

/// The text of `len` bytes at `offset` of `file` (relative to the folder clang ran in).
fn source_token(dir: &Path, file: &str, offset: u64, len: u64) -> Option<String> {
    let p = dir.join(file);
    SOURCES.with(|m| {
        let mut m = m.borrow_mut();
        let text = m
            .entry(p.clone())
            .or_insert_with(|| std::fs::read_to_string(&p).ok());
        let t = text.as_deref()?;
        t.get(offset as usize..(offset + len) as usize)
            .map(str::to_string)
    })
}

/// A constant memory order: an enumerator (`memory_order_acquire`) or its value (the non-explicit
/// `<stdatomic.h>` forms pass `__ATOMIC_SEQ_CST`, an integer).
fn memory_order(n: &Node) -> Option<&'static str> {
    let mut n = n;
    while matches!(
        ast::kind(n),
        "ParenExpr" | "ConstantExpr" | "ImplicitCastExpr" | "CStyleCastExpr"
    ) {
        n = ast::inner(n).first()?;
    }
    let v = match ast::kind(n) {
        "DeclRefExpr" => match n_ref_name(n).as_str() {
            "memory_order_relaxed" => 0,
            "memory_order_consume" => 1,
            "memory_order_acquire" => 2,
            "memory_order_release" => 3,
            "memory_order_acq_rel" => 4,
            "memory_order_seq_cst" => 5,
            _ => return None,
        },
        "IntegerLiteral" => ast::str_field(n, "value")?.parse::<u32>().ok()?,
        _ => return None,
    };
    Some(match v {
        0 => "Relaxed",
        // Rust has no consume ordering; acquire is what compilers implement it as.
        1 | 2 => "Acquire",
        3 => "Release",
        4 => "AcqRel",
        5 => "SeqCst",
        _ => return None,
    })
}

impl<'p, 'a> ModCx<'p, 'a> {
    /// The `__c11_atomic_*` operation an `AtomicExpr` performs.
    fn atomic_op(&self, n: &Node) -> Option<String> {
        let begin = n.get("range")?.get("begin")?;
        let loc = begin.get("spellingLoc").unwrap_or(begin);
        let file = loc.get("file")?.as_str()?;
        let offset = loc.get("offset")?.as_u64()?;
        let len = loc.get("tokLen")?.as_u64()?;
        let dir = &self.prog.tus[self.tu].clang_dir;
        source_token(dir, file, offset, len)
    }

    pub(super) fn atomic_expr(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let Some(op) = self.atomic_op(n) else {
            return err(n, "atomic operation", "cannot find which operation it is");
        };
        let parts = ast::inner(n);
        let t = self.node_rty(n)?;
        let order = |i: usize| -> TResult<TokenStream> {
            let Some(o) = parts.get(i).and_then(memory_order) else {
                return err(n, &op, "the memory order must be a constant");
            };
            let id = proc_macro2::Ident::new(o, proc_macro2::Span::call_site());
            Ok(quote!(core::sync::atomic::Ordering::#id))
        };
        // The value type: what the pointer operand points at, inside `_Atomic(...)`.
        let pq = self.qtype(&parts[0])?;
        let pq = self.env().canon(&pq);
        let CType::Pointer(target) = &pq.ty else {
            return err(n, &op, "the first operand is not a pointer");
        };
        let CType::Atomic(vq) = &self.env().canon(target).ty else {
            return err(n, &op, "the object is not `_Atomic`");
        };
        let vq = (**vq).clone();
        let vt = self.rty(n, &vq)?;
        // `&s->n` is the usual operand: call the method on the place itself (`(*s).n.load(..)`)
        // rather than on `*&raw mut (*s).n`.
        let operand = strip_parens(&parts[0]);
        let obj = if ast::kind(operand) == "UnaryOperator"
            && ast::str_field(operand, "opcode") == Some("&")
        {
            self.expr(f, &ast::inner(operand)[0])?.e
        } else {
            let p = self.expr(f, &parts[0])?;
            RExpr::Paren(Box::new(RExpr::Unary("*", Box::new(p.e))))
        };
        let value = |cx: &mut Self, f: &mut FnCx, i: usize| -> TResult<RExpr> {
            let te = cx.expr(f, &parts[i])?;
            Ok(cx.coerce(te, &vt, true))
        };
        let name = op.trim_start_matches("__c11_atomic_");
        let (method, with_value): (&'static str, bool) = match name {
            "load" => ("load", false),
            "store" | "init" => ("store", true),
            "exchange" => ("swap", true),
            "fetch_add" => ("fetch_add", true),
            "fetch_sub" => ("fetch_sub", true),
            "fetch_and" => ("fetch_and", true),
            "fetch_or" => ("fetch_or", true),
            "fetch_xor" => ("fetch_xor", true),
            "compare_exchange_strong" | "compare_exchange_weak" => {
                // C writes the value it found into *expected on failure and returns a _Bool.
                let ord_ok = order(1)?;
                let ord_fail = order(3)?;
                let expected = self.expr(f, &parts[2])?.e;
                let desired = value(self, f, 4)?;
                let m = if name.ends_with("weak") {
                    quote!(compare_exchange_weak)
                } else {
                    quote!(compare_exchange)
                };
                let e = quote!({
                    let expected = #expected;
                    match #obj.#m(*expected, #desired, #ord_ok, #ord_fail) {
                        Ok(_) => true,
                        Err(found) => {
                            *expected = found;
                            false
                        }
                    }
                });
                return Ok(TE::new(RExpr::Atom(e), RTy::Prim("bool")));
            }
            _ => {
                return err(
                    n,
                    &op,
                    "this atomic operation has no translation (load, store, exchange, fetch_add/sub/and/or/xor and compare_exchange do)",
                );
            }
        };
        let ord = if name == "init" {
            // Initialization is not an atomic access in C; a relaxed store is the same thing.
            quote!(core::sync::atomic::Ordering::Relaxed)
        } else {
            order(1)?
        };
        let ord_name = ord.to_string();
        let bad = match method {
            "load" => ord_name.ends_with("Release") || ord_name.ends_with("AcqRel"),
            "store" => ord_name.ends_with("Acquire") || ord_name.ends_with("AcqRel"),
            _ => false,
        };
        if bad {
            return err(
                n,
                &op,
                format!("memory order {ord_name} is not valid for a {method}"),
            );
        }
        let mut args = Vec::new();
        if with_value {
            args.push(value(self, f, 2)?);
        }
        args.push(RExpr::Atom(ord));
        Ok(TE::new(obj.method(method, args), t))
    }
}
