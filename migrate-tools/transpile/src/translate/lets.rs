//! Locals declared where they are first assigned: C89-style `int x; ... x = f();` becomes
//! `let x: i32 = f();` at the assignment instead of `let mut x: i32 = 0;` at the top.
//!
//! Only when it cannot change what the program does or fail to compile: the declaration has no
//! initializer, is a plain (no storage class, not `volatile`, `_Atomic`, `const` or aligned)
//! scalar or pointer local, and the first statement of the same block that mentions the
//! variable at all is the expression statement `x = e;` with no `x` in `e`. Nothing before it
//! reads the variable, takes its address or measures it, so its zero value was never
//! observable; and the `let` lands in the same Rust block as every later use, because the block
//! is translated statement by statement into one Rust block. In a block holding labels, whose
//! statements become labelled blocks and loops (goto.rs), the local must also be used only
//! inside the innermost of them holding the assignment ([`scoped_by_regions`]); otherwise it is
//! hoisted in front of the regions as before. Function bodies lowered to a state machine,
//! bodies whose gotos jump into nested blocks (steered by flags, goto_into.rs), and blocks
//! holding `case` labels (a Rust match arm per case would end the scope) keep the declaration
//! where C wrote it, and so does, in a block inside a loop, a local that the loop tests as a
//! truth value more than once (see [`truth_tests`]).

use super::*;

/// The locals that move to their first assignment.
#[derive(Clone, Debug, Default)]
pub struct FirstAssigns {
    /// Clang id of the assignment -> the variable's id.
    pub at_assign: HashMap<String, String>,
    /// Variable id -> whether it is modified again after its first assignment (`let mut`).
    pub vars: HashMap<String, bool>,
}

/// Jumps whose Rust form this module does not follow: a computed goto, and the flags steering
/// a goto into a nested block (`goto_into.rs`), which run code between a label's entry and its
/// statement.
fn has_routed_jumps(n: &Node) -> bool {
    let mut found = false;
    ast::walk(n, &mut |c| {
        found |= ast::kind(c) == "IndirectGotoStmt";
    });
    found
}

fn mentions(n: &Node, var: &str) -> bool {
    let mut found = false;
    ast::walk(n, &mut |c| {
        if ast::kind(c) == "DeclRefExpr"
            && c.get("referencedDecl")
                .and_then(|r| ast::str_field(r, "id"))
                .is_some_and(|id| id == var)
        {
            found = true;
        }
    });
    found
}

/// How many places modify each local (assignments, compound assignments, `++`/`--`, pointers
/// to it that are not pointers to const).
fn mutation_counts(body: &Node) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    ast::walk(body, &mut |n| {
        let target = match ast::kind(n) {
            "BinaryOperator" if ast::str_field(n, "opcode") == Some("=") => {
                root_local(&ast::inner(n)[0])
            }
            "CompoundAssignOperator" => root_local(&ast::inner(n)[0]),
            "UnaryOperator" => match ast::str_field(n, "opcode") {
                Some("++" | "--") => root_local(&ast::inner(n)[0]),
                // Conservatively a modification, whatever the pointer's target type.
                Some("&") => root_local(&ast::inner(n)[0]),
                _ => None,
            },
            "ImplicitCastExpr" if ast::str_field(n, "castKind") == Some("ArrayToPointerDecay") => {
                root_local(&ast::inner(n)[0])
            }
            _ => None,
        };
        if let Some(id) = target {
            *counts.entry(id).or_default() += 1;
        }
    });
    counts
}

/// Every block of a body, with whether it is inside a loop.
fn blocks<'n>(n: &'n Node, in_loop: bool, out: &mut Vec<(&'n Node, bool)>) {
    let in_loop = in_loop || matches!(ast::kind(n), "WhileStmt" | "DoStmt" | "ForStmt");
    if ast::kind(n) == "CompoundStmt" {
        out.push((n, in_loop));
    }
    for c in ast::inner(n) {
        blocks(c, in_loop, out);
    }
}

/// How often each local's own value is tested as a truth value: the whole condition of an `if`,
/// loop or `?:`, or an operand of `&&`, `||` or `!` (`if (inner)`, `while (!done)`).
///
/// A local of a loop body tested twice or more keeps its hoisted declaration. Declared at its
/// first assignment it is assigned once, so rustc's MIR optimizer (GVN) replaces its repeated
/// `x != 0` tests by one `bool` computed at the assignment; from the zero-initialized
/// declaration it is assigned twice and each test stays a test. LLVM's optimized IR then holds
/// the same loads, calls and arithmetic, but that flag with the opposite polarity, and the
/// register allocator made different choices: in the decoder's `filter_mb_row` (the loop
/// filter's per-macroblock loop, which tests `inner` twice), `u` and `v` were spilled and
/// reloaded around each chroma filter call, 0.67 M more instructions on the 720p stream. Every
/// other local of that loop body moves with no change in the count (docs/transpiler.md).
fn truth_tests(body: &Node) -> HashMap<String, usize> {
    fn tested(n: &Node) -> Option<String> {
        let mut n = strip_parens(n);
        while ast::kind(n) == "ImplicitCastExpr" {
            n = strip_parens(&ast::inner(n)[0]);
        }
        local_ref(n).map(|(id, _)| id)
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    ast::walk(body, &mut |n| {
        let kids = ast::inner(n);
        let conds: Vec<&Node> = match ast::kind(n) {
            "IfStmt" | "ConditionalOperator" => kids.first().into_iter().collect(),
            // `while (cond) body` (a condition variable would come first: C has none).
            "WhileStmt" => kids.iter().rev().nth(1).into_iter().collect(),
            // `for (init; cond; inc) body`: clang leaves absent parts as empty nodes.
            "ForStmt" => kids.get(2).into_iter().collect(),
            "DoStmt" => kids.get(1).into_iter().collect(),
            "BinaryOperator" if matches!(ast::str_field(n, "opcode"), Some("&&" | "||")) => {
                kids.iter().collect()
            }
            "UnaryOperator" if ast::str_field(n, "opcode") == Some("!") => kids.iter().collect(),
            _ => Vec::new(),
        };
        for c in conds {
            if let Some(id) = tested(c) {
                *counts.entry(id).or_default() += 1;
            }
        }
    });
    counts
}

/// In a block holding labels, may a `let` at statement `j` (the local's first assignment)
/// serve every later statement mentioning `var`? The `let` lands in the Rust block of the
/// innermost goto region holding `j` (a labelled block `'L: { … }` that a forward goto leaves,
/// or a loop `'L: loop { … }` that a backward goto continues), and its scope ends with that
/// block: every later mention must be inside it. Then every path to a mention passes the `let`
/// first: a forward goto inside that block skipping the assignment would need a region holding
/// `j` nested inside it, which would be the innermost; a backward goto restarts the loop above
/// `j`, and nothing between the loop's start and `j` mentions the local. A local used after a
/// label that a goto reaches past its assignment (`if (c) goto out; x = 1; out: use(x);`) keeps
/// its declaration at the top, as C may read it there unassigned. No region holding `j`: the
/// `let` is at the block's own level, before everything after it. A local whose address is
/// taken is not put in a region's block (it is hoisted in front of the regions, in the Rust
/// block of its C block): its storage must last as long as C's object.
pub(super) fn scoped_by_regions(
    f: &FnCx,
    regions: &[super::goto::GotoRegion],
    stmts: &[Node],
    j: usize,
    var: &str,
) -> bool {
    let Some(inner) = regions
        .iter()
        .filter(|r| r.holds(j))
        .min_by_key(|r| r.len())
    else {
        return true;
    };
    // A pointer to it may be used past that block, where C's object still lives and the
    // Rust local would not (`p = &x; … out: return *p;`).
    if f.addr_taken.contains(var) {
        return false;
    }
    (j + 1..stmts.len())
        .filter(|&k| mentions(&stmts[k], var))
        .all(|k| inner.holds(k))
}

impl<'p, 'a> ModCx<'p, 'a> {
    /// Plans which locals of a structured body are declared at their first assignment.
    pub(super) fn first_assigns(&self, f: &FnCx, body: &Node) -> FirstAssigns {
        let mut plan = FirstAssigns::default();
        if has_routed_jumps(body) {
            return plan;
        }
        let counts = mutation_counts(body);
        let tests = truth_tests(body);
        let mut all = Vec::new();
        blocks(body, false, &mut all);
        for (block, in_loop) in all {
            let stmts = ast::inner(block);
            if stmts
                .iter()
                .any(|s| matches!(ast::kind(s), "CaseStmt" | "DefaultStmt"))
            {
                continue;
            }
            // A block holding labels is laid out as labelled blocks and loops (goto.rs), each a
            // Rust block of its own: see `scoped_by_regions` below.
            let regions = if stmts.iter().any(|s| ast::kind(s) == "LabelStmt") {
                match super::goto::goto_regions(stmts) {
                    Ok(r) => r,
                    Err(_) => continue,
                }
            } else {
                Vec::new()
            };
            for (i, s) in stmts.iter().enumerate() {
                if ast::kind(s) != "DeclStmt" {
                    continue;
                }
                for d in ast::inner(s) {
                    if !self.movable_decl(f, d) {
                        continue;
                    }
                    let var = ast::str_field(d, "id").unwrap_or("");
                    if in_loop && tests.get(var).copied().unwrap_or(0) > 1 {
                        continue;
                    }
                    let Some(j) = (i + 1..stmts.len()).find(|&t| mentions(&stmts[t], var)) else {
                        continue;
                    };
                    let first = &stmts[j];
                    if !scoped_by_regions(f, &regions, stmts, j, var) {
                        continue;
                    }
                    let a = strip_parens(first);
                    let plain_assign = ast::kind(a) == "BinaryOperator"
                        && ast::str_field(a, "opcode") == Some("=")
                        && local_ref(&ast::inner(a)[0]).is_some_and(|(id, _)| id == var)
                        && !mentions(&ast::inner(a)[1], var);
                    let Some(aid) = ast::str_field(a, "id").filter(|_| plain_assign) else {
                        continue;
                    };
                    plan.at_assign.insert(aid.to_string(), var.to_string());
                    let again = counts.get(var).copied().unwrap_or(0) > 1;
                    plan.vars.insert(var.to_string(), again);
                }
            }
        }
        plan
    }

    /// A local declaration that could move: no initializer, no storage class, a scalar or
    /// pointer type without qualifiers or alignment that would need its own treatment.
    fn movable_decl(&self, f: &FnCx, d: &Node) -> bool {
        if ast::kind(d) != "VarDecl"
            || ast::str_field(d, "init").is_some()
            || ast::str_field(d, "storageClass").is_some()
            || aligned_attr(d).is_some()
        {
            return false;
        }
        let id = ast::str_field(d, "id").unwrap_or("");
        if f.dropped.contains(id) {
            return false;
        }
        let Some(text) = ast::qual_type(d) else {
            return false;
        };
        if text.contains("volatile") || text.contains("_Atomic") {
            return false;
        }
        let Ok(q) = self.qtype(d) else {
            return false;
        };
        if q.is_const {
            return false;
        }
        matches!(
            self.env().canon(&q).ty,
            CType::Int(_)
                | CType::Enum(_)
                | CType::Bool
                | CType::Float
                | CType::Double
                | CType::Pointer(_)
        )
    }
}
