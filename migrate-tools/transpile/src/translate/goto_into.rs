//! Gotos into nested blocks and loops (docs/transpiler.md, "goto"): rewritten, before a body is
//! translated, into gotos that `goto.rs` can structure, steered by a flag per target label.
//!
//! `goto L` where `L:` stands in a block that does not hold the goto becomes `goto_L = true;
//! goto L_entry;`, with `L_entry:` placed just before the statement of the innermost block
//! holding both that leads down to `L`. On the way down, each block starts with `if (goto_L)
//! goto <next entry or L>;`, a `while` or `for` condition becomes `goto_L || cond` (so it is not
//! evaluated on entry, as in C), an `if` enters the branch holding `L`, and `L:` clears the flag.
//! While the flag is set nothing else runs, so the jump lands where C's does and skips the same
//! statements. A `for` with an initializer, and a `switch`, on the way in are refused.
//!
//! The synthetic nodes are JSON nodes of kinds clang never writes (`PortlabFlag...`), read by
//! `stmts.rs` and `exprs.rs`.

use serde_json::{Value, json};

use super::*;

/// A label's place: the path of `inner` indices from the body down to its `LabelStmt`.
struct LabelAt {
    path: Vec<usize>,
    name: String,
}

fn collect(
    n: &Node,
    path: &mut Vec<usize>,
    labels: &mut BTreeMap<String, LabelAt>,
    gotos: &mut Vec<(Vec<usize>, String, String)>,
) {
    match ast::kind(n) {
        "LabelStmt" => {
            if let Some(d) = ast::str_field(n, "declId") {
                labels.insert(
                    d.to_string(),
                    LabelAt {
                        path: path.clone(),
                        name: ast::name(n).unwrap_or("label").to_string(),
                    },
                );
            }
        }
        "GotoStmt" => {
            if let (Some(t), Some(id)) = (
                ast::str_field(n, "targetLabelDeclId"),
                ast::str_field(n, "id"),
            ) {
                gotos.push((path.clone(), t.to_string(), id.to_string()));
            }
        }
        _ => {}
    }
    for (i, c) in ast::inner(n).iter().enumerate() {
        path.push(i);
        collect(c, path, labels, gotos);
        path.pop();
    }
}

fn at<'v>(n: &'v Node, path: &[usize]) -> &'v Node {
    path.iter().fold(n, |n, &i| &ast::inner(n)[i])
}

fn at_mut<'v>(n: &'v mut Node, path: &[usize]) -> &'v mut Node {
    path.iter().fold(n, |n, &i| &mut inner_mut(n)[i])
}

fn inner_mut(n: &mut Node) -> &mut Vec<Value> {
    n.get_mut("inner")
        .and_then(Value::as_array_mut)
        .expect("a node with children")
}

/// The flag names already taken: every declared name in the body.
fn names_in(n: &Node, out: &mut BTreeSet<String>) {
    if let Some(s) = ast::name(n) {
        out.insert(s.to_string());
    }
    for c in ast::inner(n) {
        names_in(c, out);
    }
}

fn flag_cond(kind: &str, flag: &str, cond: Option<Value>) -> Value {
    let mut v = json!({ "kind": kind, "flag": flag });
    if let Some(c) = cond {
        v["inner"] = json!([c]);
    }
    v
}

fn goto_node(id: String, decl: &str) -> Value {
    json!({ "kind": "GotoStmt", "id": id, "targetLabelDeclId": decl })
}

/// The body with every goto into a nested block rewritten as described above, or `None` when it
/// has none.
pub(super) fn route_inward_gotos(body: &Node) -> TResult<Option<Node>> {
    let mut labels = BTreeMap::new();
    let mut gotos = Vec::new();
    collect(body, &mut Vec::new(), &mut labels, &mut gotos);
    // Per target label: the inward gotos (their ids) and the depth of the innermost block
    // holding both the goto and the label.
    let mut inward: BTreeMap<String, Vec<(String, usize, Vec<usize>)>> = BTreeMap::new();
    for (gpath, decl, id) in &gotos {
        let Some(l) = labels.get(decl) else { continue };
        let parent = &l.path[..l.path.len() - 1];
        if ast::kind(at(body, parent)) != "CompoundStmt" || gpath.starts_with(parent) {
            continue; // structured by goto.rs, or refused there
        }
        let mut c = gpath
            .iter()
            .zip(&l.path)
            .take_while(|(a, b)| a == b)
            .count();
        while ast::kind(at(body, &l.path[..c])) != "CompoundStmt" {
            c -= 1;
        }
        inward
            .entry(decl.clone())
            .or_default()
            .push((id.clone(), c, gpath.clone()));
    }
    if inward.is_empty() {
        return Ok(None);
    }
    let mut taken = BTreeSet::new();
    names_in(body, &mut taken);
    let orig = body;
    let mut body = body.clone();
    let mut flags = Vec::new();
    let mut fresh = 0usize;
    for (decl, jumps) in &inward {
        // Paths move as statements are inserted: find the label again.
        let (mut labels, mut gotos) = (BTreeMap::new(), Vec::new());
        collect(&body, &mut Vec::new(), &mut labels, &mut gotos);
        let LabelAt { path, name } = &labels[decl];
        let mut flag = format!("goto_{name}");
        while !taken.insert(flag.clone()) {
            flag.push('_');
        }
        let cmin = jumps.iter().map(|j| j.1).min().unwrap_or(0);
        // Check the way down before changing anything.
        for d in cmin..path.len() {
            let n = at(&body, &path[..d]);
            // Reported at the (first) goto.
            let refuse = |what: &str| {
                err(
                    at(orig, &jumps[0].2),
                    "goto",
                    format!("a jump to `{name}` into {what} is not supported"),
                )
            };
            match ast::kind(n) {
                "CompoundStmt" | "WhileStmt" | "DoStmt" | "LabelStmt" => {}
                "IfStmt" if path[d] > 0 => {}
                "ForStmt" if path[d] == 4 => {
                    // The initializer moves before the loop (skipped when jumping in), which
                    // needs a block around the loop and an expression, not a declaration.
                    let init = &ast::inner(n)[0];
                    let in_block = d > 0 && ast::kind(at(&body, &path[..d - 1])) == "CompoundStmt";
                    if !ast::is_empty(init) && (ast::kind(init) == "DeclStmt" || !in_block) {
                        return refuse("a `for` loop declaring its counter");
                    }
                }
                "SwitchStmt" | "CaseStmt" | "DefaultStmt" => return refuse("a switch"),
                k => return refuse(&format!("a {k}")),
            }
        }
        // Entry labels of the blocks on the way down, by depth.
        let mut entries: BTreeMap<usize, (String, String)> = BTreeMap::new();
        for d in cmin..path.len() - 1 {
            if ast::kind(at(&body, &path[..d])) == "CompoundStmt" {
                fresh += 1;
                entries.insert(
                    d,
                    (format!("portlab-entry-{fresh}"), format!("{name}_entry{d}")),
                );
            }
        }
        // Deepest first, so that the paths above stay valid. First `L:` clears the flag.
        let parent_d = path.len() - 1;
        {
            let parent = at_mut(&mut body, &path[..parent_d]);
            let k = path[parent_d];
            let list = inner_mut(parent);
            let stmt = std::mem::take(&mut inner_mut(&mut list[k])[0]);
            inner_mut(&mut list[k])[0] =
                json!({ "kind": "PortlabFlagSet", "flag": flag, "value": false });
            list.insert(k + 1, stmt);
        }
        for d in (cmin..parent_d + 1).rev() {
            let n = at_mut(&mut body, &path[..d]);
            let child = path[d];
            match ast::kind(n).to_string().as_str() {
                "CompoundStmt" => {
                    let target = if d == parent_d {
                        decl.clone()
                    } else {
                        let (eid, ename) = &entries[&d];
                        let list = inner_mut(n);
                        list.insert(
                            child,
                            json!({ "kind": "LabelStmt", "name": ename, "declId": eid,
                                    "inner": [{ "kind": "NullStmt" }] }),
                        );
                        eid.clone()
                    };
                    if d > cmin {
                        fresh += 1;
                        inner_mut(n).insert(
                            0,
                            json!({ "kind": "IfStmt", "inner": [
                                flag_cond("PortlabFlag", &flag, None),
                                goto_node(format!("portlab-goto-{fresh}"), &target),
                            ]}),
                        );
                    }
                }
                "ForStmt" if !ast::is_empty(&ast::inner(n)[0]) => {
                    // `for (init; c; inc)` -> `if (!goto_L) init; for (; goto_L || c; inc)`.
                    let list = inner_mut(n);
                    let init = std::mem::replace(&mut list[0], json!({}));
                    let c = std::mem::take(&mut list[2]);
                    list[2] = if ast::is_empty(&c) {
                        c
                    } else {
                        flag_cond("PortlabFlagOr", &flag, Some(c))
                    };
                    let parent = at_mut(&mut body, &path[..d - 1]);
                    inner_mut(parent).insert(
                        path[d - 1],
                        json!({ "kind": "IfStmt", "inner": [
                            flag_cond("PortlabNotFlag", &flag, None), init,
                        ]}),
                    );
                }
                "WhileStmt" | "ForStmt" => {
                    let list = inner_mut(n);
                    let ci = if list.len() == 5 { 2 } else { list.len() - 2 };
                    let always =
                        ast::is_empty(&list[ci]) || const_value(&list[ci]).is_some_and(|v| v != 0);
                    if !always {
                        let c = std::mem::take(&mut list[ci]);
                        list[ci] = flag_cond("PortlabFlagOr", &flag, Some(c));
                    }
                }
                "IfStmt" => {
                    let list = inner_mut(n);
                    let c = std::mem::take(&mut list[0]);
                    let kind = if child == 1 {
                        "PortlabFlagOr"
                    } else {
                        "PortlabFlagAndNot"
                    };
                    list[0] = flag_cond(kind, &flag, Some(c));
                }
                _ => {}
            }
        }
        // The gotos themselves.
        for (id, c, _) in jumps {
            let target = &entries[c].0;
            fresh += 1;
            let new = json!({ "kind": "CompoundStmt", "inner": [
                { "kind": "PortlabFlagSet", "flag": flag, "value": true },
                goto_node(format!("portlab-goto-{fresh}"), target),
            ]});
            replace_goto(&mut body, id, &new);
        }
        flags.push(flag);
    }
    let list = inner_mut(&mut body);
    for (i, flag) in flags.into_iter().enumerate() {
        list.insert(i, json!({ "kind": "PortlabFlagDecl", "flag": flag }));
    }
    Ok(Some(body))
}

fn replace_goto(n: &mut Node, id: &str, new: &Value) -> bool {
    if ast::kind(n) == "GotoStmt" && ast::str_field(n, "id") == Some(id) {
        *n = new.clone();
        return true;
    }
    match n.get_mut("inner").and_then(Value::as_array_mut) {
        Some(list) => list.iter_mut().any(|c| replace_goto(c, id, new)),
        None => false,
    }
}
