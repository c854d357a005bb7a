//! The fallback for control flow that labelled blocks and loops cannot express (case labels
//! nested inside the statements of a switch, gotos into a switch, crossing gotos): the function
//! becomes a state machine, `'sm: loop { match state { .. } }` over its basic blocks, with one
//! state per C label and case label and its locals hoisted in front (docs/transpiler.md, "goto").
//!
//! Only the statements that hold a jump target are cut into states: a statement without a label
//! or a case of a lowered switch inside it is translated as usual, in one piece, inside its state
//! (its gotos, and its `break`/`continue` leaving a lowered loop, set `state` and `continue 'sm`).

use super::*;

/// The states of one function, built while its body is lowered.
struct Sm {
    /// (name, statements) per state; the enum's variants in this order.
    states: Vec<(String, Vec<TokenStream>)>,
    taken: BTreeSet<String>,
    /// The state being filled, and whether control can fall off its end so far.
    cur: usize,
    open: bool,
    /// Label decl id -> state; case statement id -> state.
    labels: HashMap<String, usize>,
    cases: HashMap<String, usize>,
    /// The names of the state enum and variable.
    ty: TokenStream,
    var: TokenStream,
    counter: usize,
    /// The states in the order they were first filled (the source order).
    order: Vec<usize>,
    /// Empty states that only fall through into another one.
    forwards: HashMap<usize, usize>,
    /// States named by the translator (`while_3`), not by a C label or case.
    generated: HashSet<usize>,
    /// Comment markers of statements cut into states, waiting for the next code pushed (the
    /// statement's first test or jump, or the first statement of its body), so that a
    /// comment never makes a state of its own.
    pending: Vec<TokenStream>,
}

impl Sm {
    fn new_state(&mut self, name: &str) -> usize {
        let mut n = name.to_string();
        let mut k = 1;
        while !self.taken.insert(n.clone()) {
            k += 1;
            n = format!("{name}_{k}");
        }
        self.states.push((n, Vec::new()));
        self.states.len() - 1
    }

    fn numbered(&mut self, kind: &str) -> usize {
        self.counter += 1;
        let n = format!("{kind}_{}", self.counter);
        let s = self.new_state(&n);
        self.generated.insert(s);
        s
    }

    fn variant(&self, s: usize) -> TokenStream {
        let (ty, v) = (&self.ty, ident(&self.states[s].0));
        quote!(#ty::#v)
    }

    /// `state = S; continue 'sm;`: a jump from anywhere inside a state.
    fn jump(&self, s: usize) -> TokenStream {
        let (var, v) = (&self.var, self.variant(s));
        quote!(#var = #v; continue 'sm;)
    }

    fn push(&mut self, t: impl IntoIterator<Item = TokenStream>) {
        let t: Vec<TokenStream> = t.into_iter().collect();
        if t.is_empty() {
            return;
        }
        if !self.open {
            // Code after a jump and before the next label: unreachable, but kept (it may declare
            // locals), in a state of its own so it never runs after the jump.
            let s = self.numbered("unreachable");
            self.switch_to(s);
        }
        let cur = self.cur;
        let pending = std::mem::take(&mut self.pending);
        self.states[cur].1.extend(pending);
        self.states[cur].1.extend(t);
    }

    /// Continue in state `s`; the current one falls through into it if control can reach its end.
    fn enter(&mut self, s: usize) {
        self.goto_end(s);
        self.switch_to(s);
    }

    /// Fill state `s` from here on.
    fn switch_to(&mut self, s: usize) {
        self.cur = s;
        self.open = true;
        if !self.order.contains(&s) {
            self.order.push(s);
        }
    }

    /// Ends the current state with a jump to `s`.
    fn goto_end(&mut self, s: usize) {
        if self.open {
            if self.states[self.cur].1.is_empty() && s != self.cur {
                self.forwards.insert(self.cur, s);
            }
            let (var, v) = (&self.var, self.variant(s));
            let t = quote!(#var = #v;);
            // Not `push`: pending comments wait for the code of the state entered next.
            let cur = self.cur;
            self.states[cur].1.push(t);
            self.open = false;
        }
    }

    /// Where a jump to `s` ends up after the empty states that only fall through.
    fn resolve(&self, mut s: usize) -> usize {
        let mut steps = 0;
        while let Some(&t) = self.forwards.get(&s) {
            s = t;
            steps += 1;
            if steps > self.states.len() {
                break; // an empty infinite loop (`a: goto a;`) stays as it is
            }
        }
        s
    }

    /// `tokens` with every `State::x` naming a forwarding state replaced by its target.
    fn retarget(&self, tokens: TokenStream, names: &HashMap<String, String>) -> TokenStream {
        use proc_macro2::{Group, TokenTree};
        let ty = self.ty.to_string();
        let tts: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(tts.len());
        let mut i = 0;
        while i < tts.len() {
            if let (TokenTree::Ident(t), Some(TokenTree::Punct(c1)), Some(TokenTree::Punct(c2))) =
                (&tts[i], tts.get(i + 1), tts.get(i + 2))
            {
                if t == &ty && c1.as_char() == ':' && c2.as_char() == ':' {
                    if let Some(TokenTree::Ident(v)) = tts.get(i + 3) {
                        if let Some(to) = names.get(&v.to_string()) {
                            out.extend(tts[i..i + 3].iter().cloned());
                            out.extend(ident(to));
                            i += 4;
                            continue;
                        }
                    }
                }
            }
            match &tts[i] {
                TokenTree::Group(g) => {
                    let mut ng = Group::new(g.delimiter(), self.retarget(g.stream(), names));
                    ng.set_span(g.span());
                    out.push(TokenTree::Group(ng));
                }
                t => out.push(t.clone()),
            }
            i += 1;
        }
        out.into_iter().collect()
    }
}

/// Does the structured translation's error call for the state machine?
pub(super) fn is_fallback(e: &TErr) -> bool {
    matches!(e.construct.as_str(), "goto" | "label" | "case label")
        && !e.msg.contains("not a constant")
}

/// The switch statements whose case labels are not all at the top level of their body.
fn nested_cases(n: &Node, out: &mut HashSet<String>) {
    if ast::kind(n) == "SwitchStmt" {
        let body = ast::inner(n).last();
        let top: Vec<&Node> = match body {
            Some(b) if ast::kind(b) == "CompoundStmt" => ast::inner(b).iter().collect(),
            Some(b) => vec![b],
            None => vec![],
        };
        let mut nested = false;
        for s in top {
            // Labels stacked at the top (`case 1: case 2: x;`) are at the top level.
            let mut s = s;
            while matches!(ast::kind(s), "CaseStmt" | "DefaultStmt") {
                s = ast::inner(s).last().unwrap();
            }
            nested |= own_case_in(s);
        }
        if nested {
            out.insert(ast::str_field(n, "id").unwrap_or("").to_string());
        }
    }
    for c in ast::inner(n) {
        nested_cases(c, out);
    }
}

/// A case label of the enclosing switch under `n` (not of a switch nested in it).
fn own_case_in(n: &Node) -> bool {
    match ast::kind(n) {
        "CaseStmt" | "DefaultStmt" => true,
        "SwitchStmt" => false,
        _ => ast::inner(n).iter().any(own_case_in),
    }
}

/// The case statements of a switch (not of the switches nested in it).
fn own_cases<'n>(n: &'n Node, out: &mut Vec<&'n Node>) {
    for c in ast::inner(n) {
        match ast::kind(c) {
            "CaseStmt" | "DefaultStmt" => {
                out.push(c);
                own_cases(c, out);
            }
            "SwitchStmt" => {}
            _ => own_cases(c, out),
        }
    }
}

impl<'p, 'a> ModCx<'p, 'a> {
    /// Which statements of a body a state machine cuts into states; runs `f`'s analysis with
    /// the lowered `for`s kept out of Rust ranges.
    pub(super) fn prepare_state_machine<'n>(
        &mut self,
        f: &mut FnCx<'n>,
        body: &'n Node,
    ) -> TResult<Lowering> {
        // Which statements hold a jump target: labels, and the cases of switches that must be
        // lowered (nested cases, or holding a label).
        let mut lowered_switches = HashSet::new();
        nested_cases(body, &mut lowered_switches);
        ast::walk(body, &mut |n| {
            if ast::kind(n) == "SwitchStmt" && has_label(n) {
                lowered_switches.insert(ast::str_field(n, "id").unwrap_or("").to_string());
            }
        });
        let mut lowered = HashSet::new();
        mark_lowered(body, &lowered_switches, false, &mut lowered);
        ast::walk(body, &mut |n| {
            if ast::kind(n) == "ForStmt" {
                let id = ast::str_field(n, "id").unwrap_or("");
                if lowered.contains(id) {
                    f.no_range.insert(id.to_string());
                }
            }
        });
        f.analyze(self, body)?;
        Ok(Lowering {
            lowered,
            switches: lowered_switches,
        })
    }

    /// The body of a function as a state machine (see the module comment); `f` has its
    /// parameters registered.
    pub(super) fn state_machine_body(
        &mut self,
        f: &mut FnCx,
        body: &Node,
        cx: &Lowering,
        void: bool,
    ) -> TResult<Vec<TokenStream>> {
        // Names no C identifier of the function or type of the program uses.
        let mut taken = BTreeSet::new();
        declared_names(body, &mut taken);
        let mut var = "state".to_string();
        while taken.contains(&var) || self.prog.value_names.contains(&var) {
            var.push('_');
        }
        let mut ty = "State".to_string();
        while self.prog.items.values().flatten().any(|i| i.name == ty) || taken.contains(&ty) {
            ty.push('_');
        }
        let mut sm = Sm {
            states: Vec::new(),
            taken: BTreeSet::new(),
            cur: 0,
            open: true,
            labels: HashMap::new(),
            cases: HashMap::new(),
            ty: ident(&ty),
            var: ident(&var),
            counter: 0,
            order: Vec::new(),
            forwards: HashMap::new(),
            generated: HashSet::new(),
            pending: Vec::new(),
        };
        let start = sm.new_state("start");
        sm.switch_to(start);
        let mut labels = Vec::new();
        ast::walk(body, &mut |n| {
            if ast::kind(n) == "LabelStmt" {
                labels.push(n);
            }
        });
        for l in labels {
            let s = sm.new_state(ast::name(l).unwrap_or("label"));
            sm.labels
                .insert(ast::str_field(l, "declId").unwrap_or("").to_string(), s);
        }
        // Every goto jumps to its label's state (also from inside statements kept whole).
        ast::walk(body, &mut |n| {
            if ast::kind(n) == "GotoStmt" {
                if let (Some(id), Some(s)) = (
                    ast::str_field(n, "id"),
                    ast::str_field(n, "targetLabelDeclId").and_then(|d| sm.labels.get(d)),
                ) {
                    f.gotos.insert(id.to_string(), sm.jump(*s));
                }
            }
        });
        for s in ast::inner(body) {
            self.sm_stmt(f, &mut sm, cx, s)?;
        }
        self.block_end_comments(f, body, &mut sm.pending);
        if sm.open {
            let t = if void {
                quote!(return;)
            } else {
                quote!(return core::mem::zeroed();)
            };
            sm.push([t]);
        }
        // Comments after the last code: at the end of the last state.
        let (cur, pending) = (sm.cur, std::mem::take(&mut sm.pending));
        sm.states[cur].1.extend(pending);
        // States that only fall through are dropped and jumps to them retargeted.
        let mut order = sm.order.clone();
        order.extend((0..sm.states.len()).filter(|s| !sm.order.contains(s)));
        // A merged state keeps a C name (`case_0` rather than `do_2`) when it has one.
        let mut shown: HashMap<usize, usize> = HashMap::new();
        for &s in &order {
            let t = sm.resolve(s);
            let cur = *shown.entry(t).or_insert(t);
            if sm.generated.contains(&cur) && !sm.generated.contains(&s) {
                shown.insert(t, s);
            }
        }
        let name_of = |s: usize| sm.states[shown.get(&s).copied().unwrap_or(s)].0.clone();
        let names: HashMap<String, String> = (0..sm.states.len())
            .filter(|&s| name_of(sm.resolve(s)) != sm.states[s].0)
            .map(|s| (sm.states[s].0.clone(), name_of(sm.resolve(s))))
            .collect();
        // Each state where the first of the states merged into it stood.
        let mut kept = Vec::new();
        for &s in &order {
            let t = sm.resolve(s);
            if !kept.contains(&t) {
                kept.push(t);
            }
        }
        let order = kept;
        let (tyi, vari) = (&sm.ty, &sm.var);
        let variants: Vec<TokenStream> = order.iter().map(|&s| ident(&name_of(s))).collect();
        let arms: Vec<TokenStream> = order
            .iter()
            .map(|&s| {
                let v = sm.variant(s);
                let b = &sm.states[s].1;
                sm.retarget(quote!(#v => { #(#b)* }), &names)
            })
            .collect();
        let start = sm.retarget(sm.variant(0), &names);
        let mut out = std::mem::take(&mut f.hoisted);
        out.push(quote! {
            #[derive(Clone, Copy)]
            enum #tyi { #(#variants),* }
        });
        out.push(quote!(let mut #vari = #start;));
        let m = quote!(match #vari { #(#arms)* });
        // rustc warns about an unused loop label.
        if m.to_string().contains("continue 'sm") {
            out.push(quote!('sm: loop { #m }));
        } else {
            out.push(quote!(loop { #m }));
        }
        Ok(out)
    }

    fn sm_stmt(&mut self, f: &mut FnCx, sm: &mut Sm, cx: &Lowering, n: &Node) -> TResult<()> {
        let id = ast::str_field(n, "id").unwrap_or("");
        if !cx.lowered.contains(id) {
            // Kept whole. A jump at the top level of a state just ends it.
            if let Some(t) = direct_target(f, sm, n) {
                sm.goto_end(t);
                return Ok(());
            }
            let mut out = Vec::new();
            if ast::kind(n) == "DeclStmt" {
                f.hoisting = true;
                let r = self.stmt(f, n, &mut out);
                f.hoisting = false;
                r?;
            } else {
                self.stmt(f, n, &mut out)?;
            }
            sm.push(out);
            if matches!(
                ast::kind(n),
                "GotoStmt" | "ReturnStmt" | "BreakStmt" | "ContinueStmt"
            ) || stmt_terminates(n)
            {
                sm.open = false;
            }
            return Ok(());
        }
        // A statement cut into states: its comments (before it, and inside its text outside
        // its blocks: a loop's header) go before the first code it puts in a state.
        let mut cs = f.comments.before.get(id).cloned().unwrap_or_default();
        cs.extend(self.inner_comments(f, n));
        self.comment_markers(Some(&cs), &mut sm.pending);
        let parts = ast::inner(n);
        match ast::kind(n) {
            "CompoundStmt" => {
                for s in parts {
                    self.sm_stmt(f, sm, cx, s)?;
                }
                // Those after its last statement end the state holding that statement; in a
                // state still empty (which may be merged into the next) they wait for code.
                let mut end = Vec::new();
                self.block_end_comments(f, n, &mut end);
                if sm.open && !sm.states[sm.cur].1.is_empty() {
                    let cur = sm.cur;
                    sm.states[cur].1.extend(std::mem::take(&mut sm.pending));
                    sm.states[cur].1.extend(end);
                } else {
                    sm.pending.extend(end);
                }
            }
            "LabelStmt" => {
                let s = sm.labels[ast::str_field(n, "declId").unwrap_or("")];
                sm.enter(s);
                self.sm_stmt(f, sm, cx, &parts[0])?;
            }
            "CaseStmt" | "DefaultStmt" => {
                let Some(&s) = sm.cases.get(id) else {
                    return err(n, "case label", "a case label outside of its switch");
                };
                sm.enter(s);
                self.sm_stmt(f, sm, cx, parts.last().unwrap())?;
            }
            "IfStmt" => {
                let c = self.cond(f, &parts[0])?;
                let has_else = parts.len() > 2;
                let els = if has_else {
                    Some(sm.numbered("if_else"))
                } else {
                    None
                };
                let end = sm.numbered("if_end");
                let not_c = negate(c);
                let j = sm.jump(els.unwrap_or(end));
                sm.push([quote!(if #not_c { #j })]);
                self.sm_stmt(f, sm, cx, &parts[1])?;
                if let Some(e) = els {
                    sm.goto_end(end);
                    sm.switch_to(e);
                    self.sm_stmt(f, sm, cx, &parts[2])?;
                }
                sm.enter(end);
            }
            "WhileStmt" => {
                let (cond, body) = (&parts[parts.len() - 2], &parts[parts.len() - 1]);
                let head = sm.numbered("while");
                let end = sm.numbered("while_end");
                sm.enter(head);
                if const_value(cond).is_none_or(|v| v == 0) {
                    let c = negate(self.cond(f, cond)?);
                    let j = sm.jump(end);
                    sm.push([quote!(if #c { #j })]);
                }
                self.sm_loop_body(f, sm, cx, body, end, head)?;
                sm.goto_end(head);
                sm.switch_to(end);
            }
            "DoStmt" => {
                let (body, cond) = (&parts[0], &parts[1]);
                let top = sm.numbered("do");
                let next = sm.numbered("do_while");
                let end = sm.numbered("do_end");
                sm.enter(top);
                self.sm_loop_body(f, sm, cx, body, end, next)?;
                sm.enter(next);
                let c = self.cond(f, cond)?;
                let j = sm.jump(top);
                sm.push([quote!(if #c { #j })]);
                sm.enter(end);
            }
            "ForStmt" => {
                let (init, cond, inc, body) = (&parts[0], &parts[2], &parts[3], &parts[4]);
                if !ast::is_empty(init) {
                    self.sm_stmt(f, sm, cx, init)?;
                }
                let head = sm.numbered("for");
                let next = if ast::is_empty(inc) {
                    head
                } else {
                    sm.numbered("for_next")
                };
                let end = sm.numbered("for_end");
                sm.enter(head);
                if !ast::is_empty(cond) && const_value(cond).is_none_or(|v| v == 0) {
                    let c = negate(self.cond(f, cond)?);
                    let j = sm.jump(end);
                    sm.push([quote!(if #c { #j })]);
                }
                self.sm_loop_body(f, sm, cx, body, end, next)?;
                if next != head {
                    sm.enter(next);
                    let mut t = Vec::new();
                    self.expr_stmt(f, inc, &mut t)?;
                    sm.push(t);
                }
                sm.goto_end(head);
                sm.switch_to(end);
            }
            "SwitchStmt" if cx.switches.contains(id) => self.sm_switch(f, sm, cx, n)?,
            "SwitchStmt" => {
                // Its cases are structured but a label inside is a target: not expected, as a
                // switch holding a label is lowered.
                return err(n, "switch", "a label inside a switch that is not lowered");
            }
            k => return err(n, k, "a jump target inside this statement is not supported"),
        }
        Ok(())
    }

    /// A lowered loop's body: `break` jumps to `end`, `continue` to `next`.
    fn sm_loop_body(
        &mut self,
        f: &mut FnCx,
        sm: &mut Sm,
        cx: &Lowering,
        body: &Node,
        end: usize,
        next: usize,
    ) -> TResult<()> {
        f.frames.push(Frame::Lowered {
            brk: sm.jump(end),
            cont: Some(sm.jump(next)),
            brk_state: end,
            cont_state: Some(next),
        });
        let r = self.sm_stmt(f, sm, cx, body);
        f.frames.pop();
        r
    }

    fn sm_switch(&mut self, f: &mut FnCx, sm: &mut Sm, cx: &Lowering, n: &Node) -> TResult<()> {
        let parts = ast::inner(n);
        let (cond_n, body) = (&parts[parts.len() - 2], &parts[parts.len() - 1]);
        let cond = self.expr(f, cond_n)?;
        let Some(cond_kind) = self.env().int_kind(&self.qtype(cond_n)?) else {
            return err(n, "switch", "condition is not an integer");
        };
        let mut cases = Vec::new();
        own_cases(body, &mut cases);
        let mut arms = Vec::new();
        let mut default = None;
        for c in cases {
            let s = if ast::kind(c) == "DefaultStmt" {
                let s = sm.new_state("default");
                default = Some(s);
                s
            } else {
                let inner = ast::inner(c);
                if inner.len() > 2 {
                    return err(c, "case range", "GNU case ranges are not supported");
                }
                let name = self.case_state_name(&inner[0]);
                let s = sm.new_state(&name);
                let p = self.case_pattern(&inner[0], cond_kind, &cond.ty)?;
                let v = sm.variant(s);
                arms.push(quote!(#p => #v,));
                s
            };
            sm.cases
                .insert(ast::str_field(c, "id").unwrap_or("").to_string(), s);
        }
        let end = sm.numbered("switch_end");
        let d = sm.variant(default.unwrap_or(end));
        let (var, e) = (&sm.var, cond.e);
        let t = quote!(#var = match #e { #(#arms)* _ => #d, };);
        sm.push([t]);
        sm.open = false;
        f.frames.push(Frame::Lowered {
            brk: sm.jump(end),
            cont: None,
            brk_state: end,
            cont_state: None,
        });
        let r = self.sm_stmt(f, sm, cx, body);
        f.frames.pop();
        r?;
        sm.enter(end);
        Ok(())
    }

    /// A case's state: `case_` and the macro the value was written as (bzip2's
    /// `case BZ_X_MAGIC_1:` inside its `GET_BITS` macro), the enumerator, or the value.
    fn case_state_name(&self, v: &Node) -> String {
        let mut lit = v;
        while matches!(
            ast::kind(lit),
            "ConstantExpr" | "ImplicitCastExpr" | "ParenExpr"
        ) {
            lit = &ast::inner(lit)[0];
        }
        if ast::kind(lit) == "DeclRefExpr" {
            if let Some(name) = referenced_enum_const(lit) {
                return format!("case_{name}");
            }
        }
        if let Some(name) = self.define_name_of(lit) {
            return format!("case_{name}");
        }
        match self.prog.eval_const(v) {
            Some(x) if x < 0 => format!("case_minus_{}", -x),
            Some(x) => format!("case_{x}"),
            None => "case".to_string(),
        }
    }

    /// The name of the `#define NAME literal` a literal was spelled in, if it was.
    fn define_name_of(&self, lit: &Node) -> Option<String> {
        let spelling = lit.get("range")?.get("begin")?.get("spellingLoc")?;
        let file = self
            .prog
            .ws_path(self.tu, spelling.get("file")?.as_str()?)?;
        let text = self.prog.source(&file)?;
        let off = spelling.get("offset")?.as_u64()? as usize;
        let line_start = text.get(..off)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[off..].find('\n').map_or(text.len(), |i| off + i);
        let body = text[line_start..line_end]
            .trim_start()
            .strip_prefix('#')?
            .trim_start()
            .strip_prefix("define")?;
        let name: String = body
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
    }
}

/// Which statements (clang ids) hold a jump target, and which switches are lowered.
pub(super) struct Lowering {
    lowered: HashSet<String>,
    switches: HashSet<String>,
}

fn has_label(n: &Node) -> bool {
    ast::kind(n) == "LabelStmt" || ast::inner(n).iter().any(has_label)
}

/// Marks the statements holding a label, or a case of a lowered switch (`in_lowered`: the
/// innermost switch around `n` is lowered). Returns whether `n` holds one.
fn mark_lowered(
    n: &Node,
    switches: &HashSet<String>,
    in_lowered: bool,
    out: &mut HashSet<String>,
) -> bool {
    let kind = ast::kind(n);
    let inner_lowered = if kind == "SwitchStmt" {
        switches.contains(ast::str_field(n, "id").unwrap_or(""))
    } else {
        in_lowered
    };
    let mut holds =
        kind == "LabelStmt" || (in_lowered && matches!(kind, "CaseStmt" | "DefaultStmt"));
    for c in ast::inner(n) {
        holds |= mark_lowered(c, switches, inner_lowered, out);
    }
    // A lowered switch dispatches to its states even when no label is inside.
    holds |= kind == "SwitchStmt" && inner_lowered;
    if holds {
        if let Some(id) = ast::str_field(n, "id") {
            out.insert(id.to_string());
        }
    }
    holds
}

/// Every name declared or referenced in a body (the state enum and variable must not clash).
fn declared_names(n: &Node, out: &mut BTreeSet<String>) {
    if let Some(s) = ast::name(n).filter(|_| ast::kind(n) != "MemberExpr") {
        out.insert(s.to_string());
    }
    if let Some(s) = n.get("referencedDecl").and_then(ast::name) {
        out.insert(s.to_string());
    }
    for c in ast::inner(n) {
        declared_names(c, out);
    }
}

/// The state a `goto`, `break` or `continue` standing directly in a lowered statement goes to.
fn direct_target(f: &FnCx, sm: &Sm, n: &Node) -> Option<usize> {
    let kind = ast::kind(n);
    if kind == "GotoStmt" {
        return sm
            .labels
            .get(ast::str_field(n, "targetLabelDeclId")?)
            .copied();
    }
    for fr in f.frames.iter().rev() {
        match (kind, fr) {
            (_, Frame::Block) => {}
            ("BreakStmt", Frame::Lowered { brk_state, .. }) => return Some(*brk_state),
            (
                "ContinueStmt",
                Frame::Lowered {
                    cont_state: Some(c),
                    ..
                },
            ) => return Some(*c),
            ("ContinueStmt", Frame::Lowered { .. }) => {}
            _ => return None,
        }
    }
    None
}
