//! Statements: blocks, declarations, loops (as Rust ranges when an analysis allows), switch.

use super::*;

impl<'p, 'a> ModCx<'p, 'a> {
    pub(super) fn stmt(
        &mut self,
        f: &mut FnCx,
        n: &Node,
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
        if let Some(id) = ast::str_field(n, "id") {
            let cs = f.comments.before.get(id).cloned();
            match moved_decl(f, n) {
                // The comments of a declaration that moves to its assignment go with it.
                Some(var) => {
                    let mut cs = cs.unwrap_or_default();
                    cs.extend(self.inner_comments(f, n));
                    if !cs.is_empty() {
                        f.deferred_comments.insert(var, cs);
                    }
                    return self.stmt_kind(f, n, out);
                }
                None => self.comment_markers(cs.as_ref(), out),
            }
        }
        // Comments inside the statement's text go before it, once its translation has placed
        // those beside call arguments and initializer items.
        let at = out.len();
        self.stmt_kind(f, n, out)?;
        let inner = self.inner_comments(f, n);
        if !inner.is_empty() {
            let mut markers = Vec::new();
            self.comment_markers(Some(&inner), &mut markers);
            out.splice(at..at, markers);
        }
        Ok(())
    }

    /// [`Self::stmt`] without the statement's comments.
    fn stmt_kind(&mut self, f: &mut FnCx, n: &Node, out: &mut Vec<TokenStream>) -> TResult<()> {
        match ast::kind(n) {
            "CompoundStmt" => {
                let mut inner = Vec::new();
                self.stmt_list(f, ast::inner(n), &mut inner)?;
                self.block_end_comments(f, n, &mut inner);
                out.push(quote!({ #(#inner)* }));
            }
            "DeclStmt" => {
                for d in ast::inner(n) {
                    self.local_decl(f, d, out)?;
                }
            }
            "NullStmt" => {}
            // goto_into.rs: the flag steering a jump into a nested block.
            "PortlabFlagDecl" => {
                let flag = ident(ast::str_field(n, "flag").unwrap_or_default());
                out.push(quote!(let mut #flag = false;));
            }
            "PortlabFlagSet" => {
                let flag = ident(ast::str_field(n, "flag").unwrap_or_default());
                let v = ast::bool_field(n, "value");
                out.push(quote!(#flag = #v;));
            }
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
                        "a jump into a switch is not supported (the label stands under a `case` \
                         or is not a statement of a block)",
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
    pub(super) fn enter_counted_loop(
        &self,
        f: &mut FnCx,
        plan: &RangePlan,
        labeled_body: bool,
    ) -> usize {
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

    /// The comments after a block's last statement.
    pub(super) fn block_end_comments(&mut self, f: &FnCx, n: &Node, out: &mut Vec<TokenStream>) {
        if let Some(id) = ast::str_field(n, "id") {
            let cs = f.comments.at_end.get(id).cloned();
            self.comment_markers(cs.as_ref(), out);
        }
    }

    pub(super) fn body_block(&mut self, f: &mut FnCx, n: &Node) -> TResult<Vec<TokenStream>> {
        let mut out = Vec::new();
        if ast::kind(n) == "CompoundStmt" {
            self.stmt_list(f, ast::inner(n), &mut out)?;
            self.block_end_comments(f, n, &mut out);
        } else {
            self.stmt(f, n, &mut out)?;
        }
        Ok(out)
    }

    pub(super) fn if_stmt(&mut self, f: &mut FnCx, n: &Node) -> TResult<TokenStream> {
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

    pub(super) fn for_stmt(
        &mut self,
        f: &mut FnCx,
        n: &Node,
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
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
            if let RExpr::Lit { force_suffix, .. } = &mut start {
                // `0..1 << 9`: no operand names the type.
                *force_suffix |= literal_only(&end);
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

    pub(super) fn switch_stmt(
        &mut self,
        f: &mut FnCx,
        n: &Node,
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
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
            // A `default:` may come first in C; Rust's `_` must be the last arm.
            let mut default_arm = None;
            for (g, ps) in groups.iter().zip(&pats) {
                let mut stmts = g.stmts.clone();
                let mut end = None;
                if stmts.last().is_some_and(|s| ast::kind(s) == "BreakStmt") {
                    end = stmts.pop();
                }
                let mut body = Vec::new();
                for s in stmts {
                    self.stmt(f, s, &mut body)?;
                }
                // The comments before a `break` that ends the case end the arm.
                if let Some(id) = end.and_then(|b| ast::str_field(b, "id")) {
                    let cs = f.comments.before.get(id).cloned();
                    self.comment_markers(cs.as_ref(), &mut body);
                }
                if ps.iter().any(Option::is_none) {
                    default_arm = Some(quote!(_ => { #(#body)* }));
                } else {
                    let ps: Vec<&TokenStream> = ps.iter().flatten().collect();
                    arms.push(quote!(#(#ps)|* => { #(#body)* }));
                }
            }
            arms.push(default_arm.unwrap_or(quote!(_ => {})));
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
        // The switch's own label only when something breaks out of it (rustc warns about an
        // unused label); the block stays, as the scope of the cases' declarations.
        if inner.to_string().contains(&format!("break {sw} ")) {
            out.push(quote!(#sw: { #inner }));
        } else {
            out.push(quote!({ #inner }));
        }
        Ok(())
    }

    pub(super) fn case_pattern(
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

    /// An anonymous enum declared in a function (lz4's static assertions, `{ enum { ok =
    /// 1/(int)(!!(cond)) }; }`): each enumerator a local `const` of C's enumerator type `int`,
    /// with the value clang computed.
    fn local_enum(&mut self, f: &mut FnCx, d: &Node, out: &mut Vec<TokenStream>) -> TResult<()> {
        let mut next: i128 = 0;
        for c in ast::inner(d) {
            if ast::kind(c) != "EnumConstantDecl" {
                continue;
            }
            let v = match ast::inner(c).iter().find(|x| ast::kind(x) != "FullComment") {
                Some(init) => {
                    let clang = ast::str_field(init, "value").and_then(|v| v.parse().ok());
                    match clang.or_else(|| self.prog.eval_const(init)) {
                        Some(v) => v,
                        None => return err(c, "enumerator", "no constant value"),
                    }
                }
                None => next,
            };
            next = v + 1;
            let cname = ast::name(c).unwrap_or("");
            let name = f.local_name(self, cname);
            let id = ast::str_field(c, "id").unwrap_or("").to_string();
            f.locals.insert(
                id,
                Local {
                    name: name.clone(),
                    aligned: false,
                },
            );
            let (n, lit) = (ident(&name), RExpr::lit(v, "i32"));
            out.push(quote!(const #n: i32 = #lit;));
        }
        Ok(())
    }

    pub(super) fn local_decl(
        &mut self,
        f: &mut FnCx,
        d: &Node,
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
        match ast::kind(d) {
            "VarDecl" => {}
            "EnumDecl" if ast::name(d).is_none() => {
                let mut consts = Vec::new();
                self.local_enum(f, d, &mut consts)?;
                if f.hoisting {
                    f.hoisted.extend(consts);
                } else {
                    out.extend(consts);
                }
                return Ok(());
            }
            // Emitted at module level (program.rs, collect_local_types).
            "RecordDecl" | "TypedefDecl" => return Ok(()),
            "EnumDecl" => {
                return err(
                    d,
                    "local type declaration",
                    "declare named enums at file scope",
                );
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
            if f.hoisting {
                f.hoisted.push(item);
            } else {
                out.push(item);
            }
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
        let mut name = f.local_name(self, cname);
        if f.hoisting {
            // Hoisted next to locals of other C scopes: a repeated name gets a suffix.
            let base = name.clone();
            let mut k = 1;
            while f.hoisted_names.contains(&name) {
                k += 1;
                name = format!("{base}_{k}");
            }
            f.hoisted_names.insert(name.clone());
        }
        let m = if f.mutated.contains(&id) {
            quote!(mut)
        } else {
            quote!()
        };
        f.locals.insert(
            id.clone(),
            Local {
                name: name.clone(),
                aligned: align.is_some(),
            },
        );
        let v = ident(&name);
        if f.first_assigns.vars.contains_key(&id) {
            // Declared by its first assignment (`lets.rs`), also when another local of the
            // same C declaration (`int step, carry;`) is hoisted in front of goto regions.
            f.deferred_ty.insert(id, t);
            return Ok(());
        }
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

    /// The value of an initializer for an object of type `q`.
    pub(super) fn init_value(&mut self, f: &mut FnCx, n: &Node, q: &QType) -> TResult<RExpr> {
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
                        self.with_list_comments(n, &items, &mut out);
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
                        if self.has_bitfields(&rec) {
                            return self.bitfield_init(f, &rec, &rt, &items);
                        }
                        let mut fields = Vec::new();
                        // A member's comments go before its name (`a: 1, // why`).
                        let mut attrs = self.list_comment_attrs(n, &items).into_iter();
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
                            let id = ident(&fi.name);
                            let a = attrs.next().unwrap_or_default();
                            fields.push((quote!(#a #id), v));
                        }
                        Ok(RExpr::StructLit(quote!(#rt), fields))
                    }
                    CType::Record { name, union: true } => {
                        // clang names the member an initializer list sets (the first, unless
                        // designated); a Rust union literal sets exactly one.
                        let rec = self.env().records.get(name).cloned().unwrap();
                        let field = n.get("field");
                        let mut member = field
                            .and_then(|m| m.get("name"))
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .or_else(|| rec.fields.first().map(|fi| fi.name.clone()));
                        // An anonymous member has no name: the field of its (generated) type.
                        if member.as_deref() == Some("") {
                            let want = field
                                .and_then(|m| m.get("type"))
                                .and_then(|t| t.get("qualType"))
                                .and_then(Value::as_str)
                                .and_then(|t| parse_type(t).ok())
                                .map(|q| self.env().canon(&q).ty);
                            member = rec
                                .fields
                                .iter()
                                .find(|fi| Some(self.env().canon(&fi.ty).ty) == want)
                                .map(|fi| fi.name.clone());
                        }
                        let Some(fi) =
                            member.and_then(|m| rec.fields.iter().find(|fi| fi.name == m).cloned())
                        else {
                            return err(n, "union initializer", "a union without members");
                        };
                        let v = match items.first() {
                            Some(it) => self.init_value(f, it, &fi.ty)?,
                            None => self.zero_value(n, &fi.ty, f.const_ctx)?,
                        };
                        let rt = self.rty(n, &QType::new(c.ty.clone()))?;
                        if fi.bits.is_some() {
                            // A bit-field member: set through its setter (bitfields.rs).
                            let tmp = ident(&f.tmp());
                            let zero = zeroed(f.const_ctx);
                            let set = ident(&format!("set_{}", fi.name));
                            return Ok(RExpr::Block(
                                vec![quote!(let mut #tmp: #rt = #zero;), quote!(#tmp.#set(#v);)],
                                Some(Box::new(RExpr::tokens(quote!(#tmp)))),
                            ));
                        }
                        // The item's comments go before the member's name, as in a struct's.
                        let a = self
                            .list_comment_attrs(n, &items)
                            .into_iter()
                            .next()
                            .unwrap_or_default();
                        let id = ident(&fi.name);
                        Ok(RExpr::StructLit(quote!(#rt), vec![(quote!(#a #id), v)]))
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

    pub(super) fn zero_value(&mut self, n: &Node, q: &QType, const_ctx: bool) -> TResult<RExpr> {
        let c = self.env().canon(q);
        let t = self.rty(n, q)?;
        Ok(match &c.ty {
            CType::Int(k) => RExpr::lit(0, k.rust()),
            CType::Enum(_) => RExpr::lit(0, "u32"),
            CType::Bool => RExpr::tokens(quote!(false)),
            CType::Float | CType::Double => RExpr::tokens(quote!(0.0)),
            CType::Pointer(_) => match self.canon_rty(&t) {
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

    pub(super) fn expr_stmt(
        &mut self,
        f: &mut FnCx,
        n: &Node,
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
        let n = strip_parens(n);
        if let Some((stmt, incs)) = split_post_increments(f, n) {
            self.expr_stmt(f, &stmt, out)?;
            for i in &incs {
                self.expr_stmt(f, i, out)?;
            }
            return Ok(());
        }
        match ast::kind(n) {
            "BinaryOperator" => {
                let op = ast::str_field(n, "opcode").unwrap_or("");
                let parts = ast::inner(n);
                match op {
                    "=" => {
                        if let Some(t) = ast::str_field(n, "id")
                            .and_then(|id| f.first_assigns.at_assign.get(id))
                            .and_then(|var| f.deferred_ty.remove(var))
                        {
                            // The local's declaration, moved here (`lets.rs`).
                            let var =
                                f.first_assigns.at_assign[ast::str_field(n, "id").unwrap()].clone();
                            let m = if f.first_assigns.vars[&var] {
                                quote!(mut)
                            } else {
                                quote!()
                            };
                            let lhs = self.expr(f, &parts[0])?;
                            let rhs = self.expr(f, &parts[1])?;
                            let r = self.coerce(rhs, &lhs.ty, true);
                            let v = lhs.e;
                            let cs = f.deferred_comments.remove(&var);
                            self.comment_markers(cs.as_ref(), out);
                            out.push(quote!(let #m #v: #t = #r;));
                            return Ok(());
                        }
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
                            let a = if self.is_bitfield_place(&parts[0]) {
                                self.bitfield_store(f, &parts[0], v)?
                            } else {
                                RExpr::Assign("=", Box::new(lhs.e), Box::new(v))
                            };
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
}

/// The variable of a declaration statement that declares one local, moved to its first
/// assignment (`lets.rs`).
fn moved_decl(f: &FnCx, n: &Node) -> Option<String> {
    if ast::kind(n) != "DeclStmt" || f.hoisting {
        return None;
    }
    match ast::inner(n) {
        [d] => ast::str_field(d, "id")
            .filter(|id| f.first_assigns.vars.contains_key(*id))
            .map(str::to_string),
        _ => None,
    }
}

/// An expression of literals only (`1 << 9`), whose integer type Rust cannot infer.
fn literal_only(e: &RExpr) -> bool {
    match e {
        RExpr::Lit { .. } => true,
        RExpr::Binary(_, l, r) => literal_only(l) && literal_only(r),
        RExpr::Unary(_, x) | RExpr::Paren(x) => literal_only(x),
        _ => false,
    }
}

/// `*p++ = *q++;`, `a[i++] = v;`, `sum += *p++;`: an assignment whose post-increments of locals
/// move after it (`*p = *q; p = p.add(1); q = q.add(1);`), instead of a block per increment.
/// Only for locals whose address is never taken, in statements without calls (nothing else can
/// see them change: C sequences the increment anywhere up to the end of the statement), that
/// appear once in it (a second read of the variable in the statement is undefined in C anyway),
/// and never under `?:`, `&&`, `||` or `,` (evaluated conditionally or in order).
fn split_post_increments(f: &FnCx, n: &Node) -> Option<(Node, Vec<Node>)> {
    let top = ast::kind(n);
    let assign = (top == "BinaryOperator" && ast::str_field(n, "opcode") == Some("="))
        || top == "CompoundAssignOperator";
    if !assign {
        return None;
    }
    // A callee could see a static local change (through recursion): no calls at all.
    let mut call = false;
    ast::walk(n, &mut |c| call |= ast::kind(c) == "CallExpr");
    if call {
        return None;
    }
    let mut found: Vec<Vec<usize>> = Vec::new();
    find_post_increments(f, n, &mut Vec::new(), &mut found);
    if found.is_empty() {
        return None;
    }
    let mut refs: HashMap<String, usize> = HashMap::new();
    ast::walk(n, &mut |c| {
        if let Some((id, _)) = local_ref(c) {
            *refs.entry(id).or_default() += 1;
        }
    });
    let mut stmt = n.clone();
    let mut incs = Vec::new();
    for path in found {
        let at = path.iter().fold(&stmt, |x, &i| &ast::inner(x)[i]);
        let operand = &ast::inner(at)[0];
        let (id, _) = local_ref(operand)?;
        if refs.get(&id) != Some(&1) {
            return None;
        }
        incs.push(at.clone());
        // The increment's value is the variable's value before it.
        let read = serde_json::json!({
            "kind": "ImplicitCastExpr",
            "castKind": "LValueToRValue",
            "type": at.get("type").cloned().unwrap_or(Value::Null),
            "inner": [operand.clone()],
        });
        let mut slot = &mut stmt;
        for &i in &path {
            slot = &mut slot.get_mut("inner")?.as_array_mut()?[i];
        }
        *slot = read;
    }
    Some((stmt, incs))
}

fn find_post_increments(f: &FnCx, n: &Node, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, c) in ast::inner(n).iter().enumerate() {
        path.push(i);
        match ast::kind(c) {
            "ConditionalOperator" | "BinaryConditionalOperator" | "StmtExpr" => {}
            "BinaryOperator" if matches!(ast::str_field(c, "opcode"), Some("&&" | "||" | ",")) => {}
            "UnaryOperator"
                if ast::bool_field(c, "isPostfix")
                    && matches!(ast::str_field(c, "opcode"), Some("++" | "--")) =>
            {
                // A local or parameter (globals are not in `f.locals`).
                let operand = &ast::inner(c)[0];
                if local_ref(operand).is_some_and(|(id, _)| {
                    f.locals.contains_key(&id) && !f.addr_taken.contains(&id)
                }) {
                    out.push(path.clone());
                }
            }
            _ => find_post_increments(f, c, path, out),
        }
        path.pop();
    }
}
