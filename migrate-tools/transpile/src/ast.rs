//! Access to clang's JSON AST (`clang -Xclang -ast-dump=json -fsyntax-only`).
//!
//! clang writes source locations incrementally: a location only names its `file` (and `line`) when
//! they differ from the previously written location. [`fill_locations`] walks the document in
//! output order (serde_json's `preserve_order`) and writes the missing fields back, so every
//! location can be read on its own afterwards.

use serde_json::Value;

pub type Node = Value;

/// Complete every bare source location (`{"offset", "line"?, "file"?, "col", ...}`) with the file
/// and line it inherits from the locations written before it.
pub fn fill_locations(root: &mut Value) {
    let mut file = String::new();
    let mut line = 0u64;
    fill(root, &mut file, &mut line);
    move_comments(root);
}

/// Comments (`-fparse-all-comments`) come as `FullComment` children of the declaration they
/// precede; move them to a `comment` field so `inner` holds only the C constructs.
fn move_comments(v: &mut Value) {
    if let Some(map) = v.as_object_mut() {
        let mut comment = None;
        if let Some(Value::Array(items)) = map.get_mut("inner") {
            if let Some(i) = items.iter().position(|c| kind(c) == "FullComment") {
                comment = Some(items.remove(i));
            }
            for c in items.iter_mut() {
                move_comments(c);
            }
        }
        if let Some(c) = comment {
            map.insert("comment".into(), c);
        }
    }
}

fn fill(v: &mut Value, file: &mut String, line: &mut u64) {
    match v {
        Value::Object(map) => {
            if map.contains_key("offset") {
                match map.get("file").and_then(Value::as_str) {
                    Some(f) => *file = f.to_string(),
                    None => {
                        map.insert("file".into(), Value::String(file.clone()));
                    }
                }
                match map.get("line").and_then(Value::as_u64) {
                    Some(l) => *line = l,
                    None => {
                        map.insert("line".into(), Value::from(*line));
                    }
                }
                return;
            }
            for (_, child) in map.iter_mut() {
                fill(child, file, line);
            }
        }
        Value::Array(items) => {
            for child in items {
                fill(child, file, line);
            }
        }
        _ => {}
    }
}

pub fn kind(n: &Node) -> &str {
    n.get("kind").and_then(Value::as_str).unwrap_or("")
}

pub fn inner(n: &Node) -> &[Node] {
    n.get("inner")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

pub fn name(n: &Node) -> Option<&str> {
    n.get("name").and_then(Value::as_str)
}

pub fn str_field<'a>(n: &'a Node, key: &str) -> Option<&'a str> {
    n.get(key).and_then(Value::as_str)
}

pub fn bool_field(n: &Node, key: &str) -> bool {
    n.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The node's `type.qualType`.
pub fn qual_type(n: &Node) -> Option<&str> {
    n.get("type")
        .and_then(|t| t.get("qualType"))
        .and_then(Value::as_str)
}

/// Is this an empty placeholder (`{}`), as clang writes for absent children of ForStmt/IfStmt?
pub fn is_empty(n: &Node) -> bool {
    n.as_object().is_none_or(|m| m.is_empty())
}

/// A resolved position: file as clang spelled it, line, column.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub file: String,
    pub line: u64,
    pub col: u64,
    pub offset: u64,
}

fn bare(loc: &Value) -> Option<Pos> {
    // Macro expansions: report where the macro was used.
    let loc = loc.get("expansionLoc").unwrap_or(loc);
    Some(Pos {
        file: normalize(loc.get("file")?.as_str()?),
        line: loc.get("line")?.as_u64()?,
        col: loc.get("col").and_then(Value::as_u64).unwrap_or(0),
        offset: loc.get("offset").and_then(Value::as_u64).unwrap_or(0),
    })
}

/// The position of a node: its `loc` (declarations) or the beginning of its range.
pub fn pos(n: &Node) -> Option<Pos> {
    n.get("loc")
        .and_then(bare)
        .or_else(|| n.get("range").and_then(|r| r.get("begin")).and_then(bare))
}

/// The spelling file of a declaration's own location (where its name is written).
pub fn decl_file(n: &Node) -> Option<String> {
    let loc = n.get("loc")?;
    let loc = loc.get("spellingLoc").unwrap_or(loc);
    loc.get("file").and_then(Value::as_str).map(str::to_string)
}

/// Depth-first search for nodes satisfying `f`.
pub fn walk<'a>(n: &'a Node, f: &mut dyn FnMut(&'a Node)) {
    f(n);
    for c in inner(n) {
        walk(c, f);
    }
}

/// Lexically resolve `.` and `..` in a path as clang spells it (`src/x86/../mc.h` -> `src/mc.h`).
pub fn normalize(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "." => {}
            ".." if out.last().is_some_and(|l| *l != ".." && !l.is_empty()) => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}
