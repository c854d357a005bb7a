//! Expressions: operators with C's conversions made explicit, calls and builtins, initializers.

use super::*;

impl<'p, 'a> ModCx<'p, 'a> {
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
            RExpr::Cast(inner, RTy::Prim("i32"), _)
                if from == RTy::Prim("i32") && is_bool_expr(&inner) =>
            {
                *inner
            }
            e => e,
        };
        // A computation in `u64` wanted as `usize` (clang's canonical `unsigned long` for a
        // `size_t`), or `i64` as `isize`, made of casts and literals: the same computation in
        // the wanted type, without a cast at the end.
        if let (RTy::Prim(a), RTy::Prim(b)) = (&from, &target) {
            if prim_int_range(a).is_some() && prim_int_range(a) == prim_int_range(b) {
                if let Some(e) = retype(&e, a, b) {
                    return e;
                }
            }
        }
        match e {
            RExpr::Cast(inner, _, Some(t0))
                if round_trip_free(&t0, &from, &target) && !inner.is_untyped() =>
            {
                if t0 == target {
                    *inner
                } else {
                    RExpr::Cast(inner, to.clone(), Some(t0))
                }
            }
            e => RExpr::Cast(Box::new(e), to.clone(), Some(from)),
        }
    }

    /// A Rust `bool` for a C scalar used as a condition.
    pub(super) fn truthy(&mut self, te: TE) -> RExpr {
        let ty = self.canon_rty(&te.ty);
        match ty {
            RTy::Prim("bool") => te.e,
            RTy::Ptr { .. } => te.e.method("is_null", vec![]).negated(),
            RTy::FnPtr { .. } => te.e.method("is_some", vec![]),
            RTy::Prim("f32") | RTy::Prim("f64") => {
                RExpr::binary("!=", te.e, RExpr::tokens(quote!(0.0)))
            }
            _ => match te.e {
                RExpr::Cast(inner, _, _) if is_bool_expr(&inner) => *inner,
                e => RExpr::binary("!=", e, RExpr::lit(0, "i32")),
            },
        }
    }

    /// Translate a C expression used as a condition (a Rust `bool`).
    pub fn cond(&mut self, f: &mut FnCx, n: &Node) -> TResult<RExpr> {
        let n = strip_parens(n);
        match ast::kind(n) {
            // goto_into.rs: the flag of a jump into a loop or an if, tested first.
            k @ ("PortlabFlag" | "PortlabNotFlag" | "PortlabFlagOr" | "PortlabFlagAndNot") => {
                let flag = RExpr::Path(ident(ast::str_field(n, "flag").unwrap_or_default()));
                return Ok(match k {
                    "PortlabFlag" => flag,
                    "PortlabNotFlag" => negate(flag),
                    "PortlabFlagOr" => RExpr::binary("||", flag, self.cond(f, &ast::inner(n)[0])?),
                    _ => RExpr::binary("&&", negate(flag), self.cond(f, &ast::inner(n)[0])?),
                });
            }
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

    pub(super) fn comparison(&mut self, f: &mut FnCx, n: &Node, op: &str) -> TResult<RExpr> {
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
        // Both operands have one C type (clang converted them), perhaps two spellings of it in
        // Rust (`i < n` with `int i` and `size_t n`: `i as u64` and `n`, a usize).
        let lt = self.operands_type(&l, Some(&r), &l.ty.clone());
        let l = self.coerce(l, &lt, false);
        let r = self.coerce(r, &lt, false);
        let ct = self.canon_rty(&lt);
        if let Some((a, b)) = unwiden_comparison(&l, &r, &ct) {
            return Ok(RExpr::binary(op, a, b));
        }
        Ok(RExpr::binary(op, l, r))
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
                let lhs = self.read_place(f, &ast::inner(n)[0])?;
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
                let b = self.expr(f, &parts[2])?;
                let t = self.operands_type(&a, Some(&b), &t);
                let a = self.coerce(a, &t, true);
                let mut b = self.coerce(b, &t, true);
                // `c ? NULL : NULL` (stb_image's error macros): nothing else names the pointee.
                let is_null = |e: &RExpr| matches!(e, RExpr::Atom(ts) if ts.to_string().starts_with("core :: ptr :: null"));
                if let (true, true, RTy::Ptr { mutable, to }) =
                    (is_null(&a), is_null(&b), self.canon_rty(&t))
                {
                    b = if mutable {
                        RExpr::tokens(quote!(core::ptr::null_mut::<#to>()))
                    } else {
                        RExpr::tokens(quote!(core::ptr::null::<#to>()))
                    };
                }
                Ok(TE::new(RExpr::If(Box::new(c), Box::new(a), Box::new(b)), t))
            }
            "CallExpr" => self.call(f, n),
            "AtomicExpr" => self.atomic_expr(f, n),
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
            "OffsetOfExpr" => self.offset_of(f, n),
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
            // `__func__` as a pointer is translated where the array decays (`decay`).
            "PredefinedExpr" => err(n, "__func__", "used other than as a pointer"),
            k => err(n, k, "unsupported expression"),
        }
    }

    pub(super) fn decl_ref(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let r = n.get("referencedDecl").cloned().unwrap_or(Value::Null);
        let kind = ast::kind(&r);
        let name = ast::name(&r).unwrap_or("").to_string();
        let id = ast::str_field(&r, "id").unwrap_or("").to_string();
        let t = match self.node_rty(n) {
            Ok(t) => t,
            // `extern T table[];` seen from another file: the definition has the size.
            Err(e) => match self.prog.lookup_global(self.tu, &name).cloned() {
                Some(g) if kind == "VarDecl" => self.rty(n, &g.ty)?,
                _ => return Err(e),
            },
        };
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
                        if g.tls {
                            // This thread's copy, as a place: `*X.with(Cell::as_ptr)`.
                            let id = ident(&name);
                            RExpr::Atom(quote!(#id.with(core::cell::Cell::as_ptr))).deref()
                        } else {
                            RExpr::path(&name)
                        }
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
                if let Some(l) = f.locals.get(&id) {
                    return Ok(TE::new(RExpr::path(&l.name), RTy::Prim("i32")));
                }
                let Some(info) = self.prog.enum_consts.get(&name).cloned() else {
                    if name.starts_with("memory_order") {
                        return err(
                            n,
                            "enumerator",
                            format!("`{name}` outside an explicit <stdatomic.h> call"),
                        );
                    }
                    // A C library enumerator (`_SC_NPROCESSORS_ONLN`): the libc crate declares
                    // them as c_int constants, C's type for an enumerator.
                    self.uses_libc = true;
                    return Ok(TE::new(
                        RExpr::Path(path(&format!("libc::{name}"))),
                        RTy::Prim("i32"),
                    ));
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
    pub(super) fn fn_path(&mut self, n: &Node, name: &str) -> TResult<RExpr> {
        let Some(info) = self.prog.lookup_fn(self.tu, name).cloned() else {
            // A function called with no declaration in scope: clang declares it implicitly, as
            // C89 did, without a prototype (`int ()`), and prints that declaration nowhere but
            // in the reference. Under -std=c11 the C library's headers hide their POSIX and GNU
            // functions, so `random()` gets here after `#include <stdlib.h>`.
            let decl = n.get("referencedDecl");
            let decl_id = decl.and_then(|d| ast::str_field(d, "id"));
            let declared = ast::inner(&self.prog.tus[self.tu].root)
                .iter()
                .any(|d| ast::str_field(d, "id") == decl_id);
            let implicit = !declared
                && decl
                    .and_then(|d| ast::qual_type(d))
                    .is_some_and(|t| t.ends_with("()"));
            if implicit {
                return err(
                    n,
                    "implicit function declaration",
                    format!(
                        "`{name}` is called without a declaration: include its header (a POSIX or GNU function needs -D_DEFAULT_SOURCE or -D_GNU_SOURCE under --std c11)"
                    ),
                );
            }
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
                // The libc crate lacks many (`random`, `strsep`, most of <math.h>, glibc's
                // `__assert_fail` under `assert`): those get C's prototype, as callbacks do.
                if self.takes_fn_pointer(&info.ty) || !libc_crate_declares(name) {
                    return self.declare_libc_fn(n, name, &info.ty);
                }
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

    /// Does a function type take a function pointer (`pthread_create`, `qsort`, `atexit`)?
    fn takes_fn_pointer(&self, ty: &QType) -> bool {
        let CType::Func { params, .. } = self.env().canon(ty).ty else {
            return false;
        };
        params.iter().any(|p| match self.env().canon(p).ty {
            CType::Pointer(q) => matches!(self.env().canon(&q).ty, CType::Func { .. }),
            _ => false,
        })
    }

    /// A C library function the libc crate lacks, or one taking a callback, declared in the
    /// crate root from its C prototype. For a callback, the libc crate types such parameters as
    /// safe `extern "C" fn`s, which a translated (`unsafe`) function is not, while C's
    /// prototype is an `Option<unsafe extern "C" fn>` with the same ABI.
    fn declare_libc_fn(&mut self, n: &Node, name: &str, ty: &QType) -> TResult<RExpr> {
        let CType::Func {
            ret,
            params,
            variadic,
        } = self.env().canon(ty).ty
        else {
            return err(n, name, "not a function");
        };
        // The same parameter spelling as call sites of C library functions use.
        let names = libc_param_names(self.prog.prototype_params.get(name), params.len());
        let mut ps = Vec::new();
        for (p, id) in params.iter().zip(&names) {
            let t = self.libc_rty(n, name, p, false)?;
            let id = ident(id);
            ps.push(quote!(#id: #t));
        }
        let ret = self.libc_rty(n, name, &ret, true)?;
        let ret = if ret == RTy::Unit {
            quote!()
        } else {
            quote!(-> #ret)
        };
        let id = ident(name);
        // The arguments past the prototype's are passed as C's default promotions left them,
        // as `call_args` does for the libc crate's variadic functions (`printf`).
        let dots = variadic.then(|| quote!(...));
        let sep = (variadic && !ps.is_empty()).then(|| quote!(,));
        let doc = self.prototype_doc(name);
        self.c_fns.insert((
            name.to_string(),
            quote!(#doc pub fn #id(#(#ps),* #sep #dots) #ret;).to_string(),
        ));
        self.import(&Vec::new(), name);
        Ok(RExpr::path(name))
    }

    /// The type to compute a binary operation (or a `?:`) in. clang types it canonically
    /// (`size_t + size_t` and `ptrdiff_t * int` are `unsigned long` and `long`: a `usize` or
    /// `isize` operand, a `u64` or `i64` result). With the same values it is the same operation:
    /// compute in the type of an operand that is not a cast when the other one has that type
    /// too, or is a cast or a literal (re-cast to it for nothing: `stride.wrapping_mul(i as
    /// isize)`, not `(stride as i64).wrapping_mul(i as i64)`); failing that, in the type of an
    /// operand that is a cast (`(size_t)cols * 16`: `(cols as usize).wrapping_mul(16)`). Only
    /// clang's type when it is an operand's too (`(uint64_t)w * (uint64_t)h`) or none fits.
    pub(super) fn operands_type(&self, l: &TE, r: Option<&TE>, t: &RTy) -> RTy {
        let ct = self.canon_rty(t);
        let range = |t: &RTy| t.prim().and_then(prim_int_range);
        if range(&ct).is_none() {
            return t.clone();
        }
        let is_cast = |e: &RExpr| matches!(e, RExpr::Cast(..));
        let is_lit = |e: &RExpr| matches!(e, RExpr::Lit { .. });
        let ops: Vec<(&TE, Option<&TE>)> = match r {
            None => vec![(l, None)],
            Some(r) => vec![(l, Some(r)), (r, Some(l))],
        };
        let plain = |e: &RExpr| !is_cast(e) && !is_lit(e);
        if ops
            .iter()
            .any(|(a, _)| self.canon_rty(&a.ty) == ct && plain(&a.e))
        {
            return t.clone();
        }
        for casts in [false, true] {
            for (a, b) in &ops {
                let own = self.canon_rty(&a.ty);
                if own == ct || range(&own) != range(&ct) || is_lit(&a.e) || is_cast(&a.e) != casts
                {
                    continue;
                }
                if b.is_none_or(|b| self.canon_rty(&b.ty) == own || is_cast(&b.e) || is_lit(&b.e)) {
                    return a.ty.clone();
                }
            }
        }
        t.clone()
    }

    /// A parameter or result type of C library function `name` as the libc crate spells it.
    /// clang prints the prototypes of the functions it knows as builtins canonically (`unsigned
    /// long` for `size_t`: `memcpy`, `strlen`), and the libc crate spells those `usize`; so in
    /// a builtin's prototype a plain `unsigned long` is `usize`, except in the strtoul family's
    /// results (`c_ulong`, `u64`). Other prototypes keep their header's spelling: `size_t` is a
    /// typedef name there (`qsort`), and an `unsigned long` is one (`getauxval`, `ioctl`'s
    /// request: `c_ulong`, `u64`). A typedef name keeps its own mapping, and `long` is `i64` as
    /// the crate's `c_long`.
    fn libc_rty(&mut self, n: &Node, name: &str, q: &QType, result: bool) -> TResult<RTy> {
        if q.ty == CType::Int(IntKind::ULong)
            && self.prog.builtin_fns.contains(name)
            && !(result && name.starts_with("strto"))
        {
            return Ok(RTy::Prim("usize"));
        }
        self.param_rty(n, q)
    }

    pub(super) fn cast_expr(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let ck = ast::str_field(n, "castKind").unwrap_or("");
        let inner = &ast::inner(n)[0];
        let t = self.node_rty(n)?;
        match ck {
            "AtomicToNonAtomic" | "NonAtomicToAtomic" => err(
                n,
                "plain access to an _Atomic object",
                "read and write atomics with atomic_load_explicit / atomic_store_explicit (or another explicit <stdatomic.h> call)",
            ),
            "LValueToRValue" | "NoOp" => {
                // `(const T *)&x`: take a const pointer directly.
                let si = strip_parens(inner);
                if ck == "NoOp"
                    && ast::kind(si) == "UnaryOperator"
                    && ast::str_field(si, "opcode") == Some("&")
                {
                    return self.addr_of(f, &ast::inner(si)[0], &t);
                }
                if ck == "LValueToRValue" {
                    // Reading a whole record is copying it: a record holding an atomic is no
                    // `Copy` type in Rust (`AtomicI32` is not), so the crate would not build.
                    let q = self.qtype(n)?;
                    if matches!(self.env().canon(&q).ty, CType::Record { .. })
                        && self.contains_atomic(&q)
                    {
                        return err(
                            n,
                            "copy of a struct holding an atomic",
                            "its Rust type holds core::sync::atomic values, which are not Copy: copy the members one by one (atomic_load_explicit)",
                        );
                    }
                    let te = self.read_place(f, inner)?;
                    return Ok(TE::new(te.e, t));
                }
                let te = self.expr(f, inner)?;
                let e = self.coerce(te, &t, false);
                Ok(TE::new(e, t))
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
                if ck == "BitCast" {
                    if let Some(e) = self.bitfield_alloc(f, n, inner, &t)? {
                        return Ok(e);
                    }
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
                // `(*fp)(..)`: dereferencing a function pointer gives back the function.
                if ast::kind(inner) == "UnaryOperator"
                    && ast::str_field(inner, "opcode") == Some("*")
                {
                    let fp = self.expr(f, &ast::inner(inner)[0])?;
                    return Ok(TE::new(fp.e, t));
                }
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
    pub(super) fn decay(&mut self, f: &mut FnCx, inner: &Node, t: &RTy) -> TResult<TE> {
        let mut inner = strip_parens(inner);
        if ast::kind(inner) == "UnaryOperator"
            && ast::str_field(inner, "opcode") == Some("__extension__")
            && ast::kind(&ast::inner(inner)[0]) == "PredefinedExpr"
        {
            inner = &ast::inner(inner)[0];
        }
        if ast::kind(inner) == "PredefinedExpr" {
            // `__func__`, `__PRETTY_FUNCTION__` (glibc's `assert`): the name as a literal.
            inner = ast::inner(inner).first().unwrap_or(inner);
        }
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
        // A flexible array member's elements lie past its `[T; 0]` field: a pointer taken from
        // a reference to that field would cover none of them, a raw one to the place covers
        // what the record's pointer covers.
        if self.is_static_mut_place(inner) || self.flexible_elem(inner)?.is_some() {
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

    pub(super) fn is_static_mut_place(&self, n: &Node) -> bool {
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

    pub(super) fn unary(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
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
                if is_volatile_place(inner) {
                    // One volatile read and one write, as in C: `{ let tmp = read; write(tmp + 1);
                    // tmp }`, or for `++x` `{ let tmp = read + 1; write(tmp); tmp }`.
                    let target = self.expr(f, inner)?;
                    let tmp = f.tmp();
                    let a = place_addr(target.e.clone(), false);
                    let read = TE::new(
                        RExpr::tokens(quote!(core::ptr::read_volatile(#a))),
                        target.ty.clone(),
                    );
                    let tid = ident(&tmp);
                    let stmts = if ast::bool_field(n, "isPostfix") {
                        let cur = TE::new(RExpr::path(&tmp), target.ty.clone());
                        let next = self.inc_dec_value(n, op, inner, cur)?;
                        let r = read.e;
                        let w = volatile_write(target.e, next);
                        vec![quote!(let #tid = #r;), quote!(#w;)]
                    } else {
                        let next = self.inc_dec_value(n, op, inner, read)?;
                        let w = volatile_write(target.e, RExpr::path(&tmp));
                        vec![quote!(let #tid = #next;), quote!(#w;)]
                    };
                    return Ok(TE::new(
                        RExpr::Block(stmts, Some(Box::new(RExpr::path(&tmp)))),
                        t,
                    ));
                }
                if self.is_bitfield_place(inner) {
                    // `{ let tmp = s.a(); s.set_a(tmp + 1); tmp }`; `++s.a` is the value stored,
                    // cut to the field's width: `{ s.set_a(s.a() + 1); s.a() }`.
                    let cur = self.expr(f, inner)?;
                    if ast::bool_field(n, "isPostfix") {
                        let tmp = f.tmp();
                        let tid = ident(&tmp);
                        let old = TE::new(RExpr::path(&tmp), cur.ty.clone());
                        let next = self.inc_dec_value(n, op, inner, old)?;
                        let set = self.bitfield_store(f, inner, next)?;
                        let c = cur.e;
                        return Ok(TE::new(
                            RExpr::Block(
                                vec![quote!(let #tid = #c;), quote!(#set;)],
                                Some(Box::new(RExpr::path(&tmp))),
                            ),
                            t,
                        ));
                    }
                    let next = self.inc_dec_value(n, op, inner, cur.clone())?;
                    let set = self.bitfield_store(f, inner, next)?;
                    return Ok(TE::new(
                        RExpr::Block(vec![quote!(#set;)], Some(Box::new(cur.e))),
                        t,
                    ));
                }
                let stmt = self.inc_dec_stmt(f, n)?;
                let place = self.read_place(f, inner)?;
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

    pub(super) fn addr_of(&mut self, f: &mut FnCx, inner: &Node, t: &RTy) -> TResult<TE> {
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
    pub(super) fn ptr_offset(
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

    pub(super) fn binary(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let op = ast::str_field(n, "opcode").unwrap_or("");
        let parts = ast::inner(n);
        let t = self.node_rty(n)?;
        match op {
            "=" => {
                if !is_pure(&parts[0]) && is_volatile_place(&parts[0]) {
                    return err(
                        n,
                        "volatile",
                        "the value of an assignment to a volatile place with side effects",
                    );
                }
                if !is_pure(&parts[0]) && self.is_bitfield_place(&parts[0]) {
                    return err(
                        n,
                        "bit-field",
                        "the value of an assignment to a bit-field with side effects",
                    );
                }
                if !is_pure(&parts[0]) {
                    // Evaluate the place once: `{ let p = &raw mut place; *p = v; *p }`.
                    let lt = self.node_rty(&parts[0])?;
                    let pt = RTy::Ptr {
                        mutable: true,
                        to: Box::new(lt.clone()),
                    };
                    let addr = self.addr_of(f, &parts[0], &pt)?;
                    let r = self.expr(f, &parts[1])?;
                    let r = self.coerce(r, &lt, true);
                    let tmp = ident(&f.tmp());
                    let a = addr.e;
                    return Ok(TE::new(
                        RExpr::Block(
                            vec![quote!(let #tmp = #a;), quote!(*#tmp = #r;)],
                            Some(Box::new(RExpr::tokens(quote!(*#tmp)))),
                        ),
                        t,
                    ));
                }
                let a = self.assign(f, n)?;
                let lhs = self.read_place(f, &parts[0])?;
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

    pub(super) fn arith(&mut self, f: &mut FnCx, n: &Node, op: &str, t: &RTy) -> TResult<TE> {
        let parts = ast::inner(n);
        let shift = op == "<<" || op == ">>";
        let l = self.expr(f, &parts[0])?;
        let r = if shift {
            None
        } else {
            Some(self.expr(f, &parts[1])?)
        };
        let t = &self.operands_type(&l, r.as_ref(), t);
        let ct = self.canon_rty(t);
        let is_float = matches!(ct, RTy::Prim("f32" | "f64"));
        let l = self.coerce(l, t, false);
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
        let r = r.expect("translated above unless a shift");
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
    pub(super) fn fits(&self, f: &FnCx, n: &Node) -> bool {
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
    pub(super) fn assign(&mut self, f: &mut FnCx, n: &Node) -> TResult<RExpr> {
        let parts = ast::inner(n);
        let lhs = self.expr(f, &parts[0])?;
        let rhs = self.expr(f, &parts[1])?;
        let lt = lhs.ty.clone();
        let r = self.coerce(rhs, &lt, true);
        if is_volatile_place(&parts[0]) {
            return Ok(volatile_write(lhs.e, r));
        }
        if self.is_bitfield_place(&parts[0]) {
            return self.bitfield_store(f, &parts[0], r);
        }
        Ok(RExpr::Assign("=", Box::new(lhs.e), Box::new(r)))
    }

    /// The value of an lvalue: a plain read, or `read_volatile` for a `volatile` object (every
    /// access the C makes stays one access).
    pub(super) fn read_place(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let te = self.expr(f, n)?;
        if !is_volatile_place(n) {
            return Ok(te);
        }
        let a = place_addr(te.e, false);
        Ok(TE::new(
            RExpr::call(RExpr::tokens(quote!(core::ptr::read_volatile)), vec![a]),
            te.ty,
        ))
    }

    pub(super) fn compound_assign(&mut self, f: &mut FnCx, n: &Node) -> TResult<RExpr> {
        let parts = ast::inner(n);
        let op = ast::str_field(n, "opcode")
            .unwrap_or("")
            .trim_end_matches('=')
            .to_string();
        let lhs_n = &parts[0];
        if !is_pure(lhs_n) {
            return err(n, "compound assignment", "left-hand side with side effects");
        }
        let vol = is_volatile_place(lhs_n);
        let place = self.expr(f, lhs_n)?;
        let lhs = self.read_place(f, lhs_n)?;
        let lq = self.qtype(lhs_n)?;
        if self.env().is_pointer(&lq) {
            let e = self.ptr_offset(f, lhs.e.clone(), &parts[1], op == "-")?;
            if vol {
                return Ok(volatile_write(place.e, e));
            }
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
        let mut ct = self.rty(n, &comp_q)?;
        let mut cct = self.canon_rty(&ct);
        let is_float = matches!(cct, RTy::Prim("f32" | "f64"));
        let lt = lhs.ty.clone();
        // clang's computation type, when the result is the same in the left side's own type:
        // `u64 -= u64` computed as `unsigned long` (usize, the same values), or `u8 += int`
        // (`+ - * & | ^` keep the low bits of their operands' low bits, and the result is cut
        // to the left side's bits anyway). Then `x = x.wrapping_add(y)` replaces
        // `x = (x as i32).wrapping_add(y) as u8`.
        let clt = self.canon_rty(&lt);
        if let (Some(pl), Some(pc)) = (clt.prim(), cct.prim()) {
            let (rl, rc) = (prim_int_range(pl), prim_int_range(pc));
            let same_values = rl.is_some() && rl == rc;
            let modular = rl.is_some()
                && rc.is_some()
                && prim_bits(pl) < prim_bits(pc)
                && matches!(op.as_str(), "+" | "-" | "*" | "&" | "|" | "^");
            if same_values || modular {
                ct = lt.clone();
                cct = clt;
            }
        }
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
        if vol {
            return Ok(volatile_write(place.e, v));
        }
        if self.is_bitfield_place(lhs_n) {
            return self.bitfield_store(f, lhs_n, v);
        }
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
    pub(super) fn inc_dec_stmt(&mut self, f: &mut FnCx, n: &Node) -> TResult<RExpr> {
        let op = ast::str_field(n, "opcode").unwrap_or("");
        let inner = &ast::inner(n)[0];
        if !is_pure(inner) {
            return err(n, op, "increment of an lvalue with side effects");
        }
        let vol = is_volatile_place(inner);
        let target = self.expr(f, inner)?;
        let place = self.read_place(f, inner)?;
        let v = self.inc_dec_value(n, op, inner, place.clone())?;
        if vol {
            return Ok(volatile_write(target.e, v));
        }
        if self.is_bitfield_place(inner) {
            return self.bitfield_store(f, inner, v);
        }
        Ok(RExpr::Assign("=", Box::new(place.e), Box::new(v)))
    }

    /// `cur` plus or minus one, as `++`/`--` on `place` (of C type `q`) computes it.
    fn inc_dec_value(&mut self, n: &Node, op: &str, place: &Node, cur: TE) -> TResult<RExpr> {
        let q = self.qtype(place)?;
        Ok(if self.env().is_pointer(&q) {
            cur.e.method(
                if op == "++" { "add" } else { "sub" },
                vec![RExpr::lit(1, "usize")],
            )
        } else if self.env().is_float(&q) {
            RExpr::binary(
                if op == "++" { "+" } else { "-" },
                cur.e,
                RExpr::tokens(quote!(1.0)),
            )
        } else if self.env().is_bool(&q) {
            return err(n, op, "increment of _Bool");
        } else {
            let t = self.canon_rty(&cur.ty);
            let one = RExpr::lit(1, t.prim().unwrap_or("i32"));
            cur.e.method(
                if op == "++" {
                    "wrapping_add"
                } else {
                    "wrapping_sub"
                },
                vec![one],
            )
        })
    }

    pub(super) fn member(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let base_n = &ast::inner(n)[0];
        let base = self.expr(f, base_n)?;
        let t = match self.flexible_elem(n)? {
            // A flexible array member (`int data[];`) is the record's `[T; 0]` field.
            Some(e) => RTy::Array(Box::new(e), 0),
            None => self.node_rty(n)?,
        };
        let arrow = ast::bool_field(n, "isArrow");
        let b = if arrow { base.e.deref() } else { base.e };
        // The record of the base, for the field's alignment wrapper.
        let bq = self.qtype(base_n)?;
        let rq = if arrow {
            self.env().pointee(&bq).unwrap_or(bq)
        } else {
            bq
        };
        let rec = match self.env().canon(&rq).ty {
            CType::Record { name, .. } => self.env().records.get(&name).cloned(),
            _ => None,
        };
        let mut fname = ast::name(n).unwrap_or("").to_string();
        if fname.is_empty() {
            // The hidden step through an anonymous member (`x.i` is `x.<anon>.i` in clang's
            // tree): the base's field of this member's type, named when the record was collected.
            let mq = self.qtype(n)?;
            let want = self.env().canon(&mq).ty;
            let found = rec
                .as_ref()
                .and_then(|r| r.fields.iter().find(|x| self.env().canon(&x.ty).ty == want))
                .map(|x| x.name.clone());
            let Some(found) = found else {
                return err(n, "anonymous member", "no field of the member's type");
            };
            fname = found;
        }
        let fi = rec
            .as_ref()
            .and_then(|r| r.fields.iter().find(|x| x.name == fname));
        if fi.is_some_and(|x| x.bits.is_some()) {
            // A bit-field: its getter (bitfields.rs).
            return Ok(TE::new(RExpr::call(b.field(&fname), vec![]), t));
        }
        let aligned = fi.is_some_and(|x| x.align.is_some());
        let mut e = b.field(&fname);
        if aligned {
            e = RExpr::Field(Box::new(e), quote!(0));
        }
        Ok(TE::new(e, t))
    }

    /// The element type of a flexible array member (`s->data` of `struct s { int n; int data[];
    /// }`), or None for any other expression.
    pub(super) fn flexible_elem(&mut self, n: &Node) -> TResult<Option<RTy>> {
        let n = strip_parens(n);
        if ast::kind(n) != "MemberExpr" {
            return Ok(None);
        }
        match self.env().canon(&self.qtype(n)?).ty {
            CType::Array(e, None) => Ok(Some(self.rty(n, &e)?)),
            _ => Ok(None),
        }
    }

    /// `offsetof(T, a.b)` as `core::mem::offset_of!(T, a.b)`. clang's JSON gives the node no
    /// type or member path, so both are read from the source text of the use; a member inside an
    /// anonymous member takes the path through its generated field (`i` -> `anon_0.i`).
    pub(super) fn offset_of(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let dir = self.prog.tus[self.tu].clang_dir.clone();
        let sources = &mut self.sources;
        let text = comments::call_text(n, &mut |file| {
            sources
                .entry(file.to_string())
                .or_insert_with(|| std::fs::read_to_string(dir.join(file)).ok().map(Into::into))
                .clone()
        })
        .unwrap_or_default();
        let args = text
            .split_once('(')
            .filter(|(name, _)| matches!(name.trim(), "offsetof" | "__builtin_offsetof"))
            .and_then(|(_, rest)| rest.trim_end().strip_suffix(')'))
            .and_then(|a| a.rsplit_once(','));
        let Some((ty_text, path)) = args else {
            return err(
                n,
                "offsetof",
                format!("`{text}`: only `offsetof(type, member.member)` written out is translated"),
            );
        };
        // The member designator: names after `.`, and `[index]`s, whose expressions clang
        // gives as the node's children, in order.
        let mut parts: Vec<Option<String>> = Vec::new();
        let mut rest = path.trim();
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                rest = r.trim_start();
            } else if let Some(r) = rest.strip_prefix('[') {
                let Some(close) = r.find(']') else { break };
                parts.push(None);
                rest = r[close + 1..].trim_start();
                continue;
            }
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if end == 0 {
                return err(
                    n,
                    "offsetof",
                    format!("`{text}`: unexpected member designator"),
                );
            }
            parts.push(Some(rest[..end].to_string()));
            rest = rest[end..].trim_start();
        }
        let indices: Vec<&Node> = ast::inner(n).iter().collect();
        if parts.iter().filter(|p| p.is_none()).count() != indices.len() || parts.is_empty() {
            return err(
                n,
                "offsetof",
                format!("`{text}`: unexpected member designator"),
            );
        }
        let q = parse_type(ty_text.trim()).or_else(|e| err(n, "offsetof", e))?;
        // offset_of! of each run of members, plus index × element size at each subscript.
        let mut terms: Vec<RExpr> = Vec::new();
        let mut base = q.clone();
        let mut cur = q;
        let mut rust_path: Vec<String> = Vec::new();
        let mut next_index = indices.iter();
        for (k, p) in parts.iter().enumerate() {
            match p {
                Some(m) => {
                    let Some(steps) = self.member_path(&cur, m) else {
                        return err(n, "offsetof", format!("`{text}`: no member `{m}`"));
                    };
                    for (name, ty, aligned) in steps {
                        rust_path.push(name);
                        // A member with its own alignment is wrapped (`AlignN(T)`): its value
                        // is `.0`.
                        if aligned && matches!(parts.get(k + 1), Some(Some(_))) {
                            rust_path.push("0".to_string());
                        }
                        cur = ty;
                    }
                }
                None => {
                    if !rust_path.is_empty() {
                        terms.push(RExpr::tokens(self.offset_of_path(n, &base, &rust_path)?));
                        rust_path.clear();
                    }
                    let CType::Array(e, _) = self.env().canon(&cur).ty else {
                        return err(n, "offsetof", format!("`{text}`: subscript of a non-array"));
                    };
                    let et = self.rty(n, &e)?;
                    let idx = next_index.next().copied().unwrap_or(n);
                    let i = self.index_usize(f, idx)?;
                    let size = RExpr::tokens(quote!(core::mem::size_of::<#et>()));
                    terms.push(RExpr::binary("*", i, size));
                    base = (*e).clone();
                    cur = *e;
                }
            }
        }
        if !rust_path.is_empty() {
            terms.push(RExpr::tokens(self.offset_of_path(n, &base, &rust_path)?));
        }
        let mut terms = terms.into_iter();
        let first = terms.next().unwrap_or(RExpr::lit(0, "usize"));
        let sum = terms.fold(first, |acc, t| RExpr::binary("+", acc, t));
        Ok(TE::new(sum, RTy::Prim("usize")))
    }

    /// `core::mem::offset_of!(T, a.b)` for the Rust field path `a.b` of C type `q`.
    fn offset_of_path(&mut self, n: &Node, q: &QType, path: &[String]) -> TResult<TokenStream> {
        let t = self.rty(n, q)?;
        let parts = path.iter().map(|p| match p.as_str() {
            "0" => quote!(0),
            name => {
                let id = ident(name);
                quote!(#id)
            }
        });
        Ok(quote!(core::mem::offset_of!(#t, #(#parts).*)))
    }

    /// The fields from a record of type `q` to its member `m` (C's name): one, or more through
    /// anonymous members (`anon_0`, then `m`); each with its type and whether it is aligned.
    fn member_path(&self, q: &QType, m: &str) -> Option<Vec<(String, QType, bool)>> {
        let CType::Record { name, .. } = self.env().canon(q).ty else {
            return None;
        };
        let rec = self.env().records.get(&name)?;
        if let Some(fi) = rec.fields.iter().find(|f| f.name == m) {
            return Some(vec![(fi.name.clone(), fi.ty.clone(), fi.align.is_some())]);
        }
        for fi in &rec.fields {
            let anon = matches!(&self.env().canon(&fi.ty).ty,
                CType::Record { name: r, .. } if *r == format!("{name}_{}", fi.name));
            if !anon || !fi.name.contains("anon_") {
                continue;
            }
            if let Some(rest) = self.member_path(&fi.ty, m) {
                let mut out = vec![(fi.name.clone(), fi.ty.clone(), fi.align.is_some())];
                out.extend(rest);
                return Some(out);
            }
        }
        None
    }

    pub(super) fn subscript(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
        let (base, idx) = subscript_parts(n);
        let t = self.node_rty(n)?;
        // An array (not a pointer) is indexed directly.
        let b = strip_parens(base);
        if ast::kind(b) == "ImplicitCastExpr"
            && ast::str_field(b, "castKind") == Some("ArrayToPointerDecay")
        {
            let arr_n = &ast::inner(b)[0];
            // A flexible array member extends past its `[T; 0]` field, and `__func__[0]` is a
            // string literal's: both through their pointer.
            let named_string = matches!(
                ast::kind(strip_parens(arr_n)),
                "StringLiteral" | "PredefinedExpr"
            ) || ast::inner(strip_parens(arr_n))
                .first()
                .is_some_and(|i| ast::kind(i) == "PredefinedExpr");
            if !named_string && self.flexible_elem(arr_n)?.is_none() {
                let arr = self.expr(f, arr_n)?;
                let i = self.index_usize(f, idx)?;
                return Ok(TE::new(arr.e.index(i), t));
            }
        }
        let p = self.expr(f, base)?;
        let e = self.ptr_offset(f, p.e, idx, false)?;
        Ok(TE::new(e.deref(), t))
    }

    pub(super) fn index_usize(&mut self, f: &mut FnCx, idx: &Node) -> TResult<RExpr> {
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

    pub(super) fn call(&mut self, f: &mut FnCx, n: &Node) -> TResult<TE> {
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
                if let Some(e) = self.untyped_malloc(f, n, &name, args)? {
                    return Ok(e);
                }
                let fe = self.fn_path(target, &name)?;
                let libc = matches!(
                    self.prog.lookup_fn(self.tu, &name).map(|i| &i.owner),
                    Some(Owner::Libc)
                );
                let mut ps = Vec::new();
                for p in &params {
                    ps.push(if libc {
                        self.libc_rty(n, &name, p, false)?
                    } else {
                        self.param_rty(n, p)?
                    });
                }
                let t = if libc {
                    let q = self.qtype(n)?;
                    self.libc_rty(n, &name, &q, true)?
                } else {
                    t
                };
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

    pub(super) fn call_args(
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
        self.with_arg_comments(n, args, &mut out);
        Ok(out)
    }

    /// Builtins and C library functions with a Rust equivalent. None: an ordinary call.
    pub(super) fn builtin_call(
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
            // x86's `pause`: what Rust's spin-wait hint emits there.
            "__builtin_ia32_pause" => {
                TE::new(RExpr::tokens(quote!(core::hint::spin_loop())), RTy::Unit)
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
    pub(super) fn special_call_stmt(
        &mut self,
        f: &mut FnCx,
        n: &Node,
    ) -> TResult<Option<Vec<TokenStream>>> {
        let parts = ast::inner(n);
        let Some(name) = direct_callee_name(n) else {
            return Ok(None);
        };
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

    pub(super) fn mem_call(
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

/// Is this lvalue a `volatile` object (its own type qualified, not just what it points to)?
pub(super) fn is_volatile_place(n: &Node) -> bool {
    let Some(t) = ast::qual_type(n) else {
        return false;
    };
    // Qualifiers after the last `*` (or anywhere, for a non-pointer) apply to the object itself.
    let own = match t.rfind('*') {
        Some(i) => &t[i + 1..],
        None => t,
    };
    own.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|w| w == "volatile")
}

/// The address of a place for `read_volatile`/`write_volatile`: `p` for `*p`, else `&raw const x`.
fn place_addr(place: RExpr, mutable: bool) -> RExpr {
    match place {
        RExpr::Unary("*", p) => *p,
        p if mutable => RExpr::tokens(quote!(&raw mut #p)),
        p => RExpr::tokens(quote!(&raw const #p)),
    }
}

/// `core::ptr::write_volatile(&raw mut place, v)`.
fn volatile_write(place: RExpr, v: RExpr) -> RExpr {
    RExpr::call(
        RExpr::tokens(quote!(core::ptr::write_volatile)),
        vec![place_addr(place, true), v],
    )
}

/// May `(e as t1) as t2`, with `e` of type `t0`, be written `e as t2` (and `e` alone when `t2` is
/// `t0`)? Integer `as` in Rust keeps the value modulo 2^bits of the target. So when `t1` has at
/// least `t2`'s bits, the first cast's wrap-around is invisible after the second; and when `t1`
/// holds every value of `t0` it changed nothing. (`usize` and `isize` have 64 bits: x86_64 LP64,
/// the transpiler's one target.) A `bool` source is the values 0 and 1.
pub(super) fn round_trip_free(t0: &RTy, t1: &RTy, t2: &RTy) -> bool {
    let int = |t: &RTy| t.prim().filter(|p| prim_int_range(p).is_some());
    let (Some(p0), Some(p1), Some(p2)) = (t0.prim(), int(t1), int(t2)) else {
        return false;
    };
    let r0 = if p0 == "bool" {
        (0, 1)
    } else {
        match prim_int_range(p0) {
            Some(r) => r,
            None => return false,
        }
    };
    let r1 = prim_int_range(p1).unwrap();
    prim_bits(p1) >= prim_bits(p2) || (r1.0 <= r0.0 && r0.1 <= r1.1)
}

/// `e`, an integer computation in type `from`, as the same computation in `to`, a type with the
/// same values (`u64` and `usize`): its literals and the results of its casts retyped, through
/// wrapping arithmetic, `/ % & | ^`, negation, shifted values and `if` branches. Rust's
/// operations on two types with the same values and width give the same bits. None if a leaf
/// is anything else.
fn retype(e: &RExpr, from: &str, to: &'static str) -> Option<RExpr> {
    let re = |x: &RExpr| retype(x, from, to);
    Some(match e {
        RExpr::Lit {
            text,
            ty,
            force_suffix,
        } if *ty == from => RExpr::Lit {
            text: text.clone(),
            ty: to,
            force_suffix: *force_suffix,
        },
        RExpr::Cast(inner, RTy::Prim(t1), t0) if *t1 == from => match t0 {
            Some(RTy::Prim(p)) if *p == to => (**inner).clone(),
            _ => RExpr::Cast(inner.clone(), RTy::Prim(to), t0.clone()),
        },
        RExpr::Method(recv, m, args)
            if matches!(*m, "wrapping_add" | "wrapping_sub" | "wrapping_mul") =>
        {
            let args = args.iter().map(re).collect::<Option<Vec<_>>>()?;
            RExpr::Method(Box::new(re(recv)?), m, args)
        }
        RExpr::Method(recv, m, args)
            if matches!(*m, "wrapping_neg" | "wrapping_shl" | "wrapping_shr") =>
        {
            RExpr::Method(Box::new(re(recv)?), m, args.clone())
        }
        RExpr::Binary(op, a, b) if matches!(*op, "+" | "-" | "*" | "/" | "%" | "&" | "|" | "^") => {
            RExpr::Binary(op, Box::new(re(a)?), Box::new(re(b)?))
        }
        RExpr::Binary(op, a, b) if matches!(*op, "<<" | ">>") => {
            RExpr::Binary(op, Box::new(re(a)?), b.clone())
        }
        RExpr::Unary("-", x) => RExpr::Unary("-", Box::new(re(x)?)),
        RExpr::If(c, a, b) => RExpr::If(c.clone(), Box::new(re(a)?), Box::new(re(b)?)),
        RExpr::Paren(x) => RExpr::Paren(Box::new(re(x)?)),
        _ => return None,
    })
}

/// The values of a Rust integer type (LP64), None for any other type.
fn prim_int_range(p: &str) -> Option<(i128, i128)> {
    Some(match p {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "u8" => (0, u8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        _ => return None,
    })
}

/// `a as i32 < b as i32` where `a` and `b` have one type that `i32` holds entirely (C's integer
/// promotion of two `u8`s), or `a as i32 != 0x9d` with a literal of that type: the same
/// comparison without the casts, since a widening conversion keeps order and equality.
fn unwiden_comparison(l: &RExpr, r: &RExpr, ct: &RTy) -> Option<(RExpr, RExpr)> {
    let widened = |e: &RExpr| match e {
        RExpr::Cast(x, _, Some(t0)) if !x.is_untyped() => {
            let p0 = t0.prim()?;
            let (lo, hi) = prim_int_range(p0)?;
            let (clo, chi) = prim_int_range(ct.prim()?)?;
            (clo <= lo && hi <= chi).then(|| ((**x).clone(), p0))
        }
        _ => None,
    };
    let narrow_lit = |e: &RExpr, p0: &'static str| match e {
        RExpr::Lit { text, .. } if lit_value(text).is_some_and(|v| prim_fits(p0, v)) => {
            Some(RExpr::Lit {
                text: text.clone(),
                ty: p0,
                force_suffix: false,
            })
        }
        _ => None,
    };
    match (widened(l), widened(r)) {
        (Some((a, pa)), Some((b, pb))) if pa == pb => Some((a, b)),
        (Some((a, pa)), None) => Some((a, narrow_lit(r, pa)?)),
        (None, Some((b, pb))) => Some((narrow_lit(l, pb)?, b)),
        _ => None,
    }
}

/// The parameter names of a C library function declared from its prototype: the prototype's
/// own (`__stringp`, `__delim`: glibc's headers name them so that no user macro can clash), or
/// `argN` for one it leaves unnamed, so the declaration says what each argument is. A name
/// that would repeat one before it once written as a Rust identifier (`_` is `__`; a given
/// `arg1` beside an unnamed second parameter) takes the next free `argN`, `argN_`, …; `names`
/// counts only when it has one entry per parameter (not from a K&R `int f();`).
fn libc_param_names(names: Option<&Vec<Option<String>>>, n: usize) -> Vec<String> {
    let names = names.filter(|p| p.len() == n);
    let written = |s: &str| ident(s).to_string();
    let mut taken = BTreeSet::new();
    let mut given: Vec<Option<String>> = (0..n)
        .map(|i| {
            let s = names.and_then(|p| p[i].clone())?;
            taken.insert(written(&s)).then_some(s)
        })
        .collect();
    for (i, g) in given.iter_mut().enumerate() {
        if g.is_none() {
            let mut s = format!("arg{i}");
            while !taken.insert(written(&s)) {
                s.push('_');
            }
            *g = Some(s);
        }
    }
    given.into_iter().flatten().collect()
}
