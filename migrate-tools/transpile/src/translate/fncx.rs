//! Per-function state (`FnCx`: locals, loop and switch frames, labels) and the analyses run
//! before a body is translated (which locals are mutated or address-taken, which `for` loops
//! can be Rust ranges, value intervals that let arithmetic skip `wrapping_*`).

use super::*;

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

pub(super) enum Frame {
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
    /// A loop or switch of a function translated as a state machine (`state_machine.rs`):
    /// `break` and `continue` are jumps to other states.
    Lowered {
        brk: TokenStream,
        cont: Option<TokenStream>,
        /// The states `break` and `continue` go to.
        brk_state: usize,
        cont_state: Option<usize>,
    },
}

pub struct FnCx<'n> {
    pub locals: HashMap<String, Local>,
    pub mutated: HashSet<String>,
    pub addr_taken: HashSet<String>,
    pub range_loops: HashMap<String, RangePlan<'n>>,
    pub dropped: HashSet<String>,
    pub range_vars: HashMap<String, Option<(i128, i128)>>,
    pub(super) frames: Vec<Frame>,
    pub(super) labels: u32,
    pub(super) tmps: u32,
    pub ret: RTy,
    pub const_ctx: bool,
    /// How each goto (by clang id) leaves or repeats its region: `break 'L;` / `continue 'L;`.
    pub(super) gotos: HashMap<String, TokenStream>,
    /// Declaring a local of a block with goto regions: its `let` goes to `hoisted`.
    pub(super) hoisting: bool,
    pub(super) hoisted: Vec<TokenStream>,
    /// The names of the hoisted locals (a second local of the same name is renamed).
    pub(super) hoisted_names: HashSet<String>,
    /// `for` loops (clang ids) that may not become Rust ranges: a state machine lowers them.
    pub(super) no_range: HashSet<String>,
    /// The body's comments, emitted before their statements (`comments.rs`).
    pub(super) comments: super::comments::BodyComments,
    /// Locals declared at their first assignment (`lets.rs`), and the Rust type of each one
    /// whose C declaration has been passed (its `let` waits for the assignment).
    pub(super) first_assigns: super::lets::FirstAssigns,
    pub(super) deferred_ty: HashMap<String, RTy>,
    /// The comments of such a declaration, emitted with its `let`.
    pub(super) deferred_comments: HashMap<String, Vec<String>>,
    /// `malloc` calls (clang ids) converted straight to a pointer to a type without
    /// bit-fields: they stay `malloc` (`bitfields.rs`, `untyped_malloc`).
    pub(super) typed_allocs: HashSet<String>,
}

impl<'n> FnCx<'n> {
    pub(super) fn new(ret: RTy) -> Self {
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
            hoisted_names: HashSet::new(),
            no_range: HashSet::new(),
            comments: Default::default(),
            first_assigns: Default::default(),
            deferred_ty: HashMap::new(),
            deferred_comments: HashMap::new(),
            typed_allocs: HashSet::new(),
        }
    }

    pub(super) fn new_const() -> Self {
        let mut f = FnCx::new(RTy::Unit);
        f.const_ctx = true;
        f
    }

    /// In static initializers signed arithmetic is evaluated by the compiler (overflow is a compile
    /// error, as it is a constraint violation in C), so plain operators read better.
    pub(super) fn const_ctx_signed(&self, t: &RTy) -> bool {
        self.const_ctx && matches!(t, RTy::Prim(p) if p.starts_with('i'))
    }

    pub(super) fn tmp(&mut self) -> String {
        self.tmps += 1;
        if self.tmps == 1 {
            "tmp".to_string()
        } else {
            format!("tmp{}", self.tmps)
        }
    }

    pub(super) fn local_name(&self, cx: &ModCx, c_name: &str) -> String {
        // A `let` named like a const or static in scope would be a pattern, not a binding.
        if cx.prog.value_names.contains(c_name) {
            format!("{c_name}_")
        } else {
            c_name.to_string()
        }
    }

    pub(super) fn new_label(&mut self, kind: &str) -> String {
        self.labels += 1;
        format!("{kind}{}", self.labels)
    }

    pub(super) fn push_loop(&mut self, body_block: bool) -> usize {
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

    pub(super) fn loop_body_label(&self, frame: usize) -> Option<TokenStream> {
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

    pub(super) fn loop_index(&self, frame: usize) -> usize {
        match self.frames[frame] {
            Frame::Block => frame - 1,
            _ => frame,
        }
    }

    /// Pop a loop; its label (`'loopN:`) if a break/continue needed it.
    pub(super) fn pop_loop(&mut self, frame: usize) -> TokenStream {
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

    pub(super) fn push_switch(&mut self, always_labeled: bool) -> usize {
        let label = self.new_label("switch");
        self.frames.push(Frame::Switch {
            label,
            used: false,
            always_labeled,
        });
        self.frames.len() - 1
    }

    pub(super) fn switch_label(&self, frame: usize) -> TokenStream {
        match &self.frames[frame] {
            Frame::Switch { label, .. } => lifetime(label),
            _ => unreachable!(),
        }
    }

    pub(super) fn label_base(&self, frame: usize) -> String {
        match &self.frames[frame] {
            Frame::Switch { label, .. } => format!("{label}_case"),
            _ => unreachable!(),
        }
    }

    pub(super) fn pop_switch(&mut self, frame: usize) -> Option<TokenStream> {
        let f = self.frames.remove(frame);
        self.frames.truncate(frame);
        match f {
            Frame::Switch {
                label, used: true, ..
            } => Some(lifetime(&label)),
            _ => None,
        }
    }

    pub(super) fn push_block(&mut self) {
        self.frames.push(Frame::Block);
    }

    pub(super) fn pop_block(&mut self) {
        self.frames.pop();
    }

    pub(super) fn break_tokens(&mut self) -> Option<TokenStream> {
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
                Frame::Lowered { brk, .. } => return Some(brk.clone()),
            }
        }
        None
    }

    pub(super) fn continue_tokens(&mut self) -> Option<TokenStream> {
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
                Frame::Lowered { cont, .. } => {
                    if let Some(c) = cont {
                        return Some(c.clone());
                    }
                    crossed = true;
                }
            }
        }
        None
    }

    pub(super) fn loop_var_range(&self, cx: &ModCx, plan: &RangePlan) -> Option<(i128, i128)> {
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
    pub(super) fn analyze(&mut self, cx: &ModCx, body: &'n Node) -> TResult<()> {
        let mut w = Walk::default();
        w.walk(body, &mut Vec::new());
        self.mutated = w.mutated.clone();
        self.addr_taken = w.addr_taken.clone();
        // Candidate range loops.
        let mut candidates: BTreeMap<String, RangePlan<'n>> = BTreeMap::new();
        for (for_id, n) in &w.fors {
            if self.no_range.contains(for_id) {
                continue;
            }
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

    pub(super) fn range_plan(&self, cx: &ModCx, n: &'n Node, w: &Walk) -> Option<RangePlan<'n>> {
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
pub(super) struct Walk<'n> {
    pub(super) mutated: HashSet<String>,
    pub(super) addr_taken: HashSet<String>,
    pub(super) fors: Vec<(String, &'n Node)>,
    /// Variables declared in a for-init.
    pub(super) for_decl_vars: HashSet<String>,
    /// For each local: the stack of (for id, var assigned by that for's init) around each use.
    pub(super) refs: HashMap<String, Vec<Vec<(String, String)>>>,
}

impl<'n> Walk<'n> {
    /// `n` (an `&x` or an array decaying to a pointer) yields a pointer to a local: the local is
    /// address-taken, and may be changed through the pointer unless it points to const.
    pub(super) fn address_taken(&mut self, n: &Node) {
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

    pub(super) fn walk(&mut self, n: &'n Node, fors: &mut Vec<(String, String)>) {
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
pub(super) fn invariant(n: &Node, body: &Walk, func: &Walk) -> bool {
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

pub(super) fn local_declared(_id: &str, _func: &Walk) -> bool {
    true
}
