//! Comments inside function bodies, recovered from the source text.
//!
//! clang's JSON AST attaches comments to declarations only, so a comment between two statements
//! has no node. It does give every statement its source range: the text between the end of one
//! statement of a block and the start of the next (or the block's braces) holds only `;`,
//! whitespace, comments and preprocessor lines, and the comments found there are those of the
//! block. [`collect`] maps each to the statement it precedes (a comment on the same line as the
//! end of a statement, `x = 1; /* one */`, to that statement), or to the end of the block.
//!
//! The translation emits each comment as a marker statement, `__portlab_comment!(N);`, because
//! `prettyplease` drops comments; [`place`] replaces every marker line of the formatted text by
//! comment N's `//` lines at the marker's indentation. Comments of a conditional region that may
//! have been skipped, and on the directive lines of a region that holds no statement, are
//! dropped (docs/transpiler.md); a comment before or after a directive is
//! kept.
//!
//! Comments inside a statement's own text, not between statements: in an expression
//! (`a + /* x */ b`), a macro's arguments, a controlling expression (`if (x /* why */)`), between
//! `}` and `else` ([`BodyComments::inner`]). They have no place of their own in the Rust
//! expression, so they go before the statement of the block that holds them, after its
//! translation has taken those that have a place (below: call arguments, initializer items).
//!
//! Comments between the items of an array or struct initializer ([`init_list`]: `{ 1, 2 },
//! /* row */`) and between the arguments of a call ([`call_args`]) travel as `#[comment = "…"]` attributes on the item (on a struct literal's
//! field), which prettyplease prints as `//` lines before it; [`place`] then moves an "after" comment to the end of the item's last line.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use super::ast::{self, Node};

/// The marker macro's name: no C identifier starts with two underscores and `portlab`.
pub const MARKER: &str = "__portlab_comment";
/// The marker of a comment that ends the line before it (after an item's closing `}`).
pub const TRAILING_MARKER: &str = "__portlab_trailing";

/// The comments of one function body, each already rendered as `//` lines joined by `\n`.
#[derive(Clone, Debug, Default)]
pub struct BodyComments {
    /// By clang statement id: the comments written before the statement (and after it on its
    /// last line), in source order.
    pub before: HashMap<String, Vec<String>>,
    /// By clang id of a compound statement: the comments after its last statement.
    pub at_end: HashMap<String, Vec<String>>,
    /// By clang id of a statement of a block (of the statement a label labels): the comments
    /// inside its text, outside the blocks nested in it (whose statements have their own).
    /// Those a call's arguments or an initializer's items take are not emitted a second time
    /// ([`ItemComments::taken`]).
    pub inner: HashMap<String, Vec<Inner>>,
}

/// A comment inside a statement's text.
#[derive(Clone, Debug)]
pub struct Inner {
    /// Where it starts: the file as clang spells it, and the byte offset there.
    pub at: (String, usize),
    /// Its `//` lines, joined by `\n`.
    pub text: String,
}

/// A source location as clang wrote it, resolved to the text the preprocessor read: for a
/// location inside a macro expansion, where the macro is used.
struct Loc {
    file: String,
    offset: usize,
    tok_len: usize,
}

fn loc(v: &Value) -> Option<Loc> {
    let v = v.get("expansionLoc").unwrap_or(v);
    Some(Loc {
        file: ast::normalize(v.get("file")?.as_str()?),
        offset: usize::try_from(v.get("offset")?.as_u64()?).ok()?,
        tok_len: v
            .get("tokLen")
            .and_then(Value::as_u64)
            .and_then(|l| usize::try_from(l).ok())
            .unwrap_or(0),
    })
}

/// A node's source span `(file, first byte, byte after its last token)`.
pub fn span(n: &Node) -> Option<(String, usize, usize)> {
    let r = n.get("range")?;
    let (b, e) = (loc(r.get("begin")?)?, loc(r.get("end")?)?);
    (b.file == e.file).then_some((b.file, b.offset, e.offset + e.tok_len))
}

/// The statement a comment before `n` is emitted with: labels (`case 1:`, `default:`, `L:`) are
/// not translated as statements of their own, the statement they label is.
fn target(n: &Node) -> &Node {
    let mut n = n;
    while matches!(ast::kind(n), "CaseStmt" | "DefaultStmt" | "LabelStmt") {
        match ast::inner(n).last() {
            Some(s) => n = s,
            None => break,
        }
    }
    n
}

/// Every block of `body` (itself included): its comments, read from the source files through
/// `text` (a file as clang spells it -> its contents, if readable).
pub fn collect(body: &Node, text: &mut dyn FnMut(&str) -> Option<Rc<str>>) -> BodyComments {
    let mut out = BodyComments::default();
    let mut seen = HashSet::new();
    ast::walk(body, &mut |n| {
        if ast::kind(n) == "CompoundStmt" {
            block(n, text, &mut out);
            for s in ast::inner(n) {
                let t = target(s);
                let found = inside(t, text, &mut seen);
                if let (false, Some(id)) = (found.is_empty(), ast::str_field(t, "id")) {
                    out.inner.entry(id.to_string()).or_default().extend(found);
                }
            }
        }
    });
    out
}

/// The comments inside the text of statement `s`, except in the blocks nested in it and those in
/// `seen` (statements of one macro expansion share its text); all are added to `seen`. None when
/// the text holds a directive line: a conditional region inside a statement may have been
/// skipped, and whether it was is not in clang's tree.
fn inside(
    s: &Node,
    text: &mut dyn FnMut(&str) -> Option<Rc<str>>,
    seen: &mut HashSet<(String, usize)>,
) -> Vec<Inner> {
    let Some((file, b, e)) = span(s).filter(|_| ast::kind(s) != "CompoundStmt") else {
        return Vec::new();
    };
    let Some(src) = text(&file) else {
        return Vec::new();
    };
    let e = macro_call_end(s, &src, e);
    let Some(found) = src.get(b..e).and_then(comments_in) else {
        return Vec::new();
    };
    let mut holes = Vec::new();
    ast::walk(s, &mut |c| {
        if ast::kind(c) == "CompoundStmt" {
            if let Some((_, cb, ce)) = span(c).filter(|(cf, ..)| *cf == file) {
                holes.push((cb, ce));
            }
        }
    });
    let mut out = Vec::new();
    for (rel, text) in found {
        let at = b + rel;
        if holes.iter().any(|&(hb, he)| hb <= at && at < he) || !seen.insert((file.clone(), at)) {
            continue;
        }
        if let Some(text) = text {
            out.push(Inner {
                at: (file.clone(), at),
                text,
            });
        }
    }
    out
}

/// Where the text of `s` ends (`e` as [`span`] gives it) when its last token comes from a
/// function-like macro: clang locates that token at the macro's name, so the arguments
/// (`TWICE(a + /* x */ 1)`) follow `e`; the end is then the parenthesis closing them.
fn macro_call_end(s: &Node, src: &str, e: usize) -> usize {
    let from_macro = s
        .get("range")
        .and_then(|r| r.get("end"))
        .is_some_and(|end| end.get("expansionLoc").is_some());
    let rest = src.get(e..).unwrap_or("");
    let open = rest.len() - rest.trim_start().len();
    if !from_macro || !rest[open..].starts_with('(') {
        return e;
    }
    let b = rest.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return e + i + 1;
                }
            }
            b'"' | b'\'' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if rest[i..].starts_with("/*") => {
                i = rest[i + 2..].find("*/").map_or(b.len(), |k| i + 2 + k + 1);
            }
            b'/' if rest[i..].starts_with("//") => {
                i = rest[i..].find('\n').map_or(b.len(), |k| i + k);
            }
            _ => {}
        }
        i += 1;
    }
    e
}

/// Every comment of a piece of code, by offset, rendered as `//` lines (None for an empty
/// one); string and character literals skipped. Comments inside a conditional region opened in
/// the code are left out (the region may have been skipped); None if the code starts inside a
/// region (an `#else` or `#endif` closing one opened before it).
/// The index just past the string or character literal that opens at `b[i]` (its quote),
/// escapes included, so that comment markers inside literals are not taken for comments.
fn past_literal(b: &[u8], mut i: usize) -> usize {
    let quote = b[i];
    i += 1;
    while i < b.len() && b[i] != quote {
        if b[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    i + 1
}

fn comments_in(code: &str) -> Option<Vec<(usize, Option<String>)>> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut line_start = false;
    // How deep in conditional regions opened inside this text: their comments may describe
    // skipped code (whether the preprocessor took a region is not in clang's tree), so only
    // those outside every region, and on the lines of the directives around them, are kept.
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' && line_start {
            let (end, on_line) = directive_line(code, i);
            let word = directive_word(&code[i + 1..end]);
            // The lines of `#if`, `#else` and `#endif` belong to a region inside this text,
            // which holds no statement of its own: their comments go with it.
            match word.as_str() {
                "if" | "ifdef" | "ifndef" => depth += 1,
                // A part of a region opened before this text: the text itself began in a
                // region, and what follows may have been skipped; nothing is kept.
                "elif" | "else" | "elifdef" | "elifndef" if depth == 0 => return None,
                "endif" if depth == 0 => return None,
                "elif" | "else" | "elifdef" | "elifndef" => {}
                "endif" => depth -= 1,
                _ => {
                    if depth == 0 {
                        out.extend(on_line.into_iter().map(|(o, t)| (o, Some(t))));
                    }
                }
            }
            i = end;
            line_start = false;
            continue;
        }
        line_start = false;
        // Inside a conditional region (depth > 0) comments are skipped, not kept.
        if code[i..].starts_with("//") {
            let end = line_comment_end(code, i);
            if depth == 0 {
                out.push((
                    i,
                    Some(render_line(code[i + 2..end].trim_start_matches('/'))),
                ));
            }
            i = end;
        } else if code[i..].starts_with("/*") {
            let end = block_comment_end(code, i);
            if depth == 0 {
                let body = &code[i + 2..end.saturating_sub(2).max(i + 2)];
                out.push((i, render_block_comment(body)));
            }
            i = end;
        } else if c == b'"' || c == b'\'' {
            i = past_literal(b, i);
        } else {
            i += 1;
        }
    }
    Some(out)
}

/// The end of the `//` comment starting at `g[i]`: its newline (not included), or the text's end.
fn line_comment_end(g: &str, i: usize) -> usize {
    g[i..].find('\n').map_or(g.len(), |e| i + e)
}

/// The end of the `/* */` comment starting at `g[i]`: just past its `*/`, or the text's end.
fn block_comment_end(g: &str, i: usize) -> usize {
    g[i + 2..].find("*/").map_or(g.len(), |e| i + 2 + e + 2)
}

/// The directive's name (`if`, `endif`, ...) from the text after its `#`.
fn directive_word(after_hash: &str) -> String {
    after_hash
        .trim_start()
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect()
}

/// The end of the directive line starting at `g[i]` (`#`), with its continuation lines and
/// the comments on it (a block comment may run past the line: the directive ends with it),
/// each with its offset in `g`, rendered.
fn directive_line(g: &str, mut i: usize) -> (usize, Found) {
    let b = g.as_bytes();
    let mut found = Vec::new();
    while i < b.len() && b[i] != b'\n' {
        if b[i] == b'\\' && i + 1 < b.len() {
            i += 2;
        } else if g[i..].starts_with("//") {
            let end = line_comment_end(g, i);
            found.push((i, render_line(g[i + 2..end].trim_start_matches('/'))));
            i = end;
        } else if g[i..].starts_with("/*") {
            let end = block_comment_end(g, i);
            let body = &g[i + 2..end.saturating_sub(2).max(i + 2)];
            if let Some(c) = render_block_comment(body) {
                found.push((i, c));
            }
            i = end;
        } else if b[i] == b'"' {
            // `#include "a.h"`: a literal, to the line's end at most (`'` is left alone:
            // `#error don't` holds no literal).
            let rest = &g[i + 1..];
            i = rest.find(['"', '\n']).map_or(b.len(), |e| {
                i + 1 + e + usize::from(rest.as_bytes()[e] == b'"')
            });
        } else {
            i += 1;
        }
    }
    (i, found)
}

fn block(n: &Node, text: &mut dyn FnMut(&str) -> Option<Rc<str>>, out: &mut BodyComments) {
    let Some((file, open, close_end)) = span(n) else {
        return;
    };
    let Some(src) = text(&file) else {
        return;
    };
    // The block's own braces: `{` at its first byte, `}` its last token.
    // (A block written by a macro starts or ends elsewhere: its gaps are unknown.)
    if close_end == 0
        || src.as_bytes().get(open) != Some(&b'{')
        || src.as_bytes().get(close_end - 1) != Some(&b'}')
    {
        return;
    }
    let close = close_end - 1;
    let mut prev: Option<&Node> = None;
    let mut gap_start = Some(open + 1);
    for s in ast::inner(n) {
        let Some((_, b, e)) = span(s).filter(|(sf, ..)| *sf == file) else {
            // From another file (an #include'd statement): its gaps are unknown.
            gap_start = None;
            prev = None;
            continue;
        };
        if let Some(g) = gap_start.filter(|&g| g <= b) {
            let (trailing, leading) = gap(src.get(g..b).unwrap_or(""), prev.is_some());
            if let Some(p) = prev {
                add(&mut out.before, target(p), trailing);
            }
            add(&mut out.before, target(s), leading);
        }
        // `case 1: // text` or `L:` and a comment before the statement they label.
        let mut label = s;
        while matches!(ast::kind(label), "CaseStmt" | "DefaultStmt" | "LabelStmt") {
            let Some(sub) = ast::inner(label).last() else {
                break;
            };
            if let Some((_, lb, _)) = span(label).filter(|(lf, ..)| *lf == file) {
                if let Some((_, sb, _)) = span(sub).filter(|(sf, _, sb)| *sf == file && *sb >= lb) {
                    let (_, leading) = gap(src.get(lb..sb).unwrap_or(""), false);
                    add(&mut out.before, target(sub), leading);
                }
            }
            label = sub;
        }
        // A statement inside a macro expansion ends where the macro is used; a later statement
        // of the same expansion starts before that: no gap.
        gap_start = Some(e.max(gap_start.unwrap_or(0)));
        prev = Some(s);
    }
    if let Some(g) = gap_start.filter(|&g| g <= close) {
        let (trailing, leading) = gap(src.get(g..close).unwrap_or(""), prev.is_some());
        if let Some(p) = prev {
            add(&mut out.before, target(p), trailing);
        }
        if !leading.is_empty() {
            if let Some(id) = ast::str_field(n, "id") {
                out.at_end
                    .entry(id.to_string())
                    .or_default()
                    .extend(leading);
            }
        }
    }
}

fn add(map: &mut HashMap<String, Vec<String>>, n: &Node, comments: Vec<String>) {
    if comments.is_empty() {
        return;
    }
    if let Some(id) = ast::str_field(n, "id") {
        map.entry(id.to_string()).or_default().extend(comments);
    }
}

/// The comments of the text between two statements: `(trailing, leading)`, those on the line
/// the previous statement ends on (when `after_stmt`) and the others. Anything but `;`,
/// whitespace and comments (a directive line, a macro's arguments) discards the comments before
/// it: they belong to something that is not a statement of this block.
fn gap(g: &str, after_stmt: bool) -> (Vec<String>, Vec<String>) {
    let (t, l) = gap_between(g, after_stmt, b';');
    let text = |v: Vec<(usize, String)>| v.into_iter().map(|(_, c)| c).collect();
    (text(t), text(l))
}

/// A comment's offset in the text it was found in, and its `//` lines.
type Found = Vec<(usize, String)>;

/// [`gap`] with `sep` (`;` between statements, `,` between initializers) as the separator, and
/// each comment's offset in `g`.
fn gap_between(g: &str, after_stmt: bool, sep: u8) -> (Found, Found) {
    let b = g.as_bytes();
    let (mut trailing, mut leading) = (Vec::new(), Vec::new());
    let mut same_line = after_stmt;
    let mut line_start = true;
    // For each conditional region opened in this gap: how many comments came before it.
    let mut conds: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            same_line = false;
            line_start = true;
            i += 1;
        } else if c.is_ascii_whitespace() || c == sep {
            i += 1;
        } else if g[i..].starts_with("//") || g[i..].starts_with("/*") {
            let (text, end) = if g[i..].starts_with("//") {
                let end = line_comment_end(g, i);
                (
                    Some(render_line(g[i + 2..end].trim_start_matches('/'))),
                    end,
                )
            } else {
                let end = block_comment_end(g, i);
                let body = &g[i + 2..end.saturating_sub(2).max(i + 2)];
                (render_block_comment(body), end)
            };
            if let Some(c) = text {
                if same_line {
                    &mut trailing
                } else {
                    &mut leading
                }
                .push((i, c));
            }
            i = end;
        } else if c == b'#' && line_start {
            // A directive, with its continuation lines (comments on them go with it). It is no
            // code, so the comments before it stay, except those of a conditional region that
            // closes in this gap: the preprocessor may have skipped it, and whether it did is
            // not in clang's tree. A region left open at the gap's end holds the next
            // statement, so was taken; one whose `#if` came before the previous statement
            // held that statement, so its `#else` part was skipped.
            let start = i;
            let (end, on_line) = directive_line(g, i);
            i = end;
            let word = directive_word(&g[start + 1..i]);
            // The comments on the directive's own line (`#endif /* X */`) belong to the
            // conditional region it opens, continues or closes: kept when that region holds
            // statements (opened before the previous statement, or left open for the next),
            // dropped with a region that opens and closes in this gap (it holds no statement:
            // skipped, or only directives). Those of other directives are kept.
            match word.as_str() {
                "if" | "ifdef" | "ifndef" => {
                    conds.push(leading.len());
                    leading.extend(on_line);
                }
                "elif" | "else" | "elifdef" | "elifndef" => {
                    match conds.last() {
                        Some(&m) => leading.truncate(m),
                        None => conds.push(leading.len()),
                    }
                    leading.extend(on_line);
                }
                "endif" => match conds.pop() {
                    Some(m) => leading.truncate(m),
                    None => leading.extend(on_line),
                },
                _ => leading.extend(on_line),
            }
            line_start = false;
            continue;
        } else {
            // Not a comment: whatever came before belongs to it; inside a conditional region
            // opened in this gap, the text is skipped code and takes the region's comments.
            match conds.first() {
                Some(&m) => leading.truncate(m),
                None => {
                    trailing.clear();
                    leading.clear();
                }
            }
            if c == b'"' || c == b'\'' {
                i = past_literal(b, i);
            } else {
                i += 1;
            }
            line_start = false;
            continue;
        }
        if c != b'\n' && !c.is_ascii_whitespace() {
            line_start = false;
        }
    }
    (trailing, leading)
}

/// The comments around the items of one initializer list (`{ 1, 2 }, /* row */`), by item.
#[derive(Clone, Debug, Default)]
pub struct ItemComments {
    /// On lines of their own before the item, or after the list's `{` on its line (for the
    /// first item: a table's `{ /* above = B_DC */` labels the rows that follow).
    pub before: Vec<String>,
    /// After the item on the line where it ends (`{ 231, … }, /* left = B_DC */`), and before
    /// the list's `}` for the last item.
    pub after: Vec<String>,
    /// Where the comments of `before` and `after` start (file, byte offset): the statement
    /// holding the list does not emit them again ([`BodyComments::inner`]).
    pub taken: Vec<(String, usize)>,
}

/// The comments between the items of the initializer list `list` (`items` as translated, in
/// source order), read from its source text; empty when the list or an item was written by a
/// macro or in another file (their gaps are unknown).
pub fn init_list(
    list: &Node,
    items: &[&Node],
    text: &mut dyn FnMut(&str) -> Option<Rc<str>>,
) -> Vec<ItemComments> {
    let out = vec![ItemComments::default(); items.len()];
    let Some((file, open, close_end)) = span(list) else {
        return out;
    };
    let Some(src) = text(&file) else {
        return out;
    };
    if close_end == 0
        || src.as_bytes().get(open) != Some(&b'{')
        || src.as_bytes().get(close_end - 1) != Some(&b'}')
    {
        return out;
    }
    between_items(&src, &file, open, close_end, items)
}

/// The comments between the arguments of the call `call` to `callee` (as [`init_list`]'s):
/// `f(a, /* why */ b)`.
pub fn call_args(
    call: &Node,
    callee: &Node,
    args: &[&Node],
    text: &mut dyn FnMut(&str) -> Option<Rc<str>>,
) -> Vec<ItemComments> {
    let out = vec![ItemComments::default(); args.len()];
    let (Some((file, _, close_end)), Some((cfile, _, callee_end))) = (span(call), span(callee))
    else {
        return out;
    };
    let Some(src) = text(&file) else {
        return out;
    };
    let open = src
        .get(callee_end..)
        .and_then(|r| r.find(|c: char| !c.is_whitespace()))
        .map(|k| callee_end + k);
    match open {
        Some(open)
            if cfile == file
                && close_end > open
                && src.as_bytes().get(open) == Some(&b'(')
                && src.as_bytes().get(close_end - 1) == Some(&b')') =>
        {
            between_items(&src, &file, open, close_end, args)
        }
        _ => out,
    }
}

/// The comments of the items of a list from its opening bracket at `open` to the byte after its
/// closing one.
fn between_items(
    src: &str,
    file: &str,
    open: usize,
    close_end: usize,
    items: &[&Node],
) -> Vec<ItemComments> {
    let mut out = vec![ItemComments::default(); items.len()];
    let mut taken = Vec::new();
    // The comments of a gap starting at `g`, their offsets noted in `taken`.
    let mut take = |g: usize, found: Found| -> Vec<String> {
        found
            .into_iter()
            .map(|(o, c)| {
                taken.push(g + o);
                c
            })
            .collect()
    };
    let mut prev: Option<usize> = None;
    let mut gap_start = Some(open + 1);
    for (i, it) in items.iter().enumerate() {
        let Some((_, b, e)) = span(it).filter(|(f, ..)| *f == file) else {
            gap_start = None;
            prev = None;
            continue;
        };
        if let Some(g) = gap_start.filter(|&g| g <= b) {
            // After the `{`, a comment on its line is the first item's (`after_stmt`: true), and
            // so is one followed by the item on the same line (`1, /* x */ 2`).
            let text = src.get(g..b).unwrap_or("");
            let (trailing, leading) = gap_between(text, true, b',');
            let (trailing, leading) = (take(g, trailing), take(g, leading));
            let tail = text.contains('\n');
            match prev {
                Some(p) if tail => out[p].after.extend(trailing),
                _ => out[i].before.extend(trailing),
            }
            out[i].before.extend(leading);
        }
        gap_start = Some(e.max(gap_start.unwrap_or(0)));
        prev = Some(i);
    }
    if let (Some(g), Some(p)) = (gap_start.filter(|&g| g < close_end), prev) {
        let (trailing, leading) = gap_between(src.get(g..close_end - 1).unwrap_or(""), true, b',');
        out[p].after.extend(take(g, trailing));
        out[p].after.extend(take(g, leading));
    }
    if let Some(first) = out.first_mut() {
        first.taken = taken.into_iter().map(|o| (file.to_string(), o)).collect();
    }
    out
}

/// The comments of a function definition's signature: between its parameters (`int a, /* why */
/// int b`), by parameter as [`init_list`]'s (with those inside a parameter's text, `int /* c */
/// a`, before it), and between its `)` and its body's `{`
/// (`f(void) /* why */ {`), which have no place in a Rust signature and open the body instead.
#[derive(Clone, Debug, Default)]
pub struct Signature {
    pub params: Vec<ItemComments>,
    pub before_body: Vec<String>,
}

/// The comments of the signature of function definition `f` (`params`: its parameters, `body`:
/// its body), read from its source text; empty when a macro wrote the signature (its `(` is then
/// not where the name ends).
pub fn signature(
    f: &Node,
    params: &[&Node],
    body: &Node,
    text: &mut dyn FnMut(&str) -> Option<Rc<str>>,
) -> Signature {
    let mut out = Signature {
        params: vec![ItemComments::default(); params.len()],
        before_body: Vec::new(),
    };
    // A name written by a macro (bzip2's `BZ_API(name)`): the text after it is the macro's.
    let from_macro = f
        .get("loc")
        .is_some_and(|l| l.get("expansionLoc").is_some() || l.get("spellingLoc").is_some());
    let (Some(name), Some((file, body_start, _))) = (f.get("loc").and_then(loc), span(body)) else {
        return out;
    };
    if from_macro {
        return out;
    }
    let Some(src) = text(&file).filter(|_| name.file == file) else {
        return out;
    };
    let b = src.as_bytes();
    let name_end = name.offset + name.tok_len;
    let Some(open) = src
        .get(name_end..)
        .and_then(|r| r.find(|c: char| !c.is_whitespace()))
        .map(|k| name_end + k)
        .filter(|&o| b.get(o) == Some(&b'('))
    else {
        return out;
    };
    // The `)` matching it: parentheses inside comments and literals do not count.
    let (mut depth, mut i) = (0usize, open);
    let close_end = loop {
        if i >= body_start.min(b.len()) {
            return out;
        }
        if src[i..].starts_with("//") {
            i = line_comment_end(&src, i);
            continue;
        }
        if src[i..].starts_with("/*") {
            i = block_comment_end(&src, i);
            continue;
        }
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    break i + 1;
                }
            }
            b'"' | b'\'' => {
                i = past_literal(b, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    };
    // Parameters outside the parentheses found: not the text they were read from.
    let inside = params
        .iter()
        .all(|p| span(p).is_none_or(|(pf, pb, pe)| pf != file || (open < pb && pe < close_end)));
    if !inside {
        return out;
    }
    out.params = between_items(&src, &file, open, close_end, params);
    // A comment inside a parameter's own text (`int /* c */ a`, `char *p /* c */ []`) has no
    // place in a Rust parameter: it goes on the lines before it, after those written there.
    for (p, c) in params.iter().zip(&mut out.params) {
        let Some((_, pb, pe)) = span(p).filter(|(f, ..)| *f == file) else {
            continue;
        };
        let inner = src.get(pb..pe).and_then(comments_in).unwrap_or_default();
        c.before.extend(inner.into_iter().filter_map(|(_, t)| t));
    }
    let (trailing, leading) = gap(src.get(close_end..body_start).unwrap_or(""), true);
    // Parameters laid out one a line (`int factor) // a small factor`): a comment at the end
    // of the last one's line, after the `)`, is that parameter's, as one after its comma
    // would be. Otherwise it is the function's (`f(void) // why` and `{` on the next line).
    let last_line = params
        .last()
        .and_then(|p| span(p))
        .is_some_and(|(_, _, e)| !src[e..close_end].contains('\n'));
    match out.params.last_mut() {
        Some(last) if last_line && src[open..close_end].contains('\n') => {
            last.after.extend(trailing)
        }
        _ => out.before_body.extend(trailing),
    }
    out.before_body.extend(leading);
    out
}

/// The comments of a file that lie between its top-level declarations, by the item each goes
/// with ([`file_level`]).
#[derive(Clone, Debug, Default)]
pub struct FileComments {
    /// By item: on lines before its declaration and not the declaration's own (a heading over
    /// a group of declarations, separated from the first one's comment by a blank line).
    pub before: Vec<Vec<String>>,
    /// By item: after its declaration on the line where it ends (`} /* end of f */`).
    pub after: Vec<Vec<String>>,
    /// After the file's last declaration.
    pub at_end: Vec<String>,
}

/// The comments of `file` (its text `src`) outside its top-level declarations `decls` (the
/// translation unit's, in source order; those of other files are skipped) and not attached to
/// one by clang, which makes them the declaration's doc. `items`: where each emitted item's
/// declaration starts in `file` (None for one written elsewhere). Left out: comments before or
/// on a directive's line (they describe an `#include`, a `#define`, an include guard, none of
/// which the Rust has as such; a `#define` constant takes its own comments as its doc), those
/// in a conditional region that may have been skipped (as between statements: `gap`), the
/// file's leading comment when `skip_first` (the module's `//!` doc), and those before or after a
/// declaration that produced no item (they describe something the Rust does not have, such as
/// a prototype: clang's comment of a prototype goes to the definition's doc instead).
pub fn file_level(
    file: &str,
    src: &str,
    decls: &[&Node],
    items: &[Option<usize>],
    skip_first: bool,
) -> FileComments {
    let mut out = FileComments {
        before: vec![Vec::new(); items.len()],
        after: vec![Vec::new(); items.len()],
        at_end: Vec::new(),
    };
    // Each declaration's span, and its body's: the items of types declared in a function
    // body follow the function's item, but it is the function that a comment beside the
    // declaration goes with.
    let mut spans: Vec<(usize, usize, (usize, usize))> = Vec::new();
    let mut attached: Vec<(usize, usize)> = Vec::new();
    for d in decls {
        let Some((f, b, e)) = span(d) else { continue };
        if f != file {
            continue;
        }
        let body = ast::inner(d)
            .iter()
            .find(|c| ast::kind(c) == "CompoundStmt")
            .and_then(span)
            .map_or((0, 0), |(_, bb, be)| (bb, be));
        spans.push((b, e, body));
        let c = d.get("comment").and_then(|c| c.get("range"));
        let cb = c.and_then(|r| r.get("begin")).and_then(loc);
        let ce = c.and_then(|r| r.get("end")).and_then(loc);
        if let (Some(cb), Some(ce)) = (cb, ce) {
            attached.push((cb.offset, ce.offset + ce.tok_len));
        }
    }
    spans.sort_unstable();
    // The items of the declaration spanning `b..e` (outside its body), in order.
    let items_in = |b: usize, e: usize, (bb, be): (usize, usize)| -> Vec<usize> {
        (0..items.len())
            .filter(|&i| items[i].is_some_and(|o| b <= o && o < e && !(bb <= o && o < be)))
            .collect()
    };
    let leading_doc = src
        .find(|c: char| !c.is_whitespace())
        .filter(|&o| skip_first && src[o..].starts_with("/*"));
    // Comments found in the gap at `g`, without those left out above.
    let keep = |g: usize, found: Found| -> Vec<String> {
        found
            .into_iter()
            .filter(|&(o, _)| {
                let at = g + o;
                let end = if src[at..].starts_with("//") {
                    line_comment_end(src, at)
                } else {
                    block_comment_end(src, at)
                };
                Some(at) != leading_doc
                    && !in_directive(src, at)
                    && next_code(src, end) != Some(b'#')
                    && !attached.iter().any(|&(cb, ce)| cb < end && at < ce)
            })
            .map(|(_, c)| c)
            .collect()
    };
    let mut gap_start = 0;
    // The items of the declaration before the gap (None: the file's start). After one that
    // made no item the comments are dropped up to the next declaration: zlib documents each
    // prototype below it, so they are more likely about the missing declaration than a
    // heading of the next one.
    let mut prev: Option<Vec<usize>> = None;
    for (b, e, body) in spans {
        if b >= gap_start {
            let (trailing, leading) =
                gap_between(src.get(gap_start..b).unwrap_or(""), prev.is_some(), b';');
            let (trailing, leading) = (keep(gap_start, trailing), keep(gap_start, leading));
            let prev_items = prev.take();
            if let Some(&last) = prev_items.as_ref().and_then(|p| p.last()) {
                out.after[last].extend(trailing);
            }
            let after_nothing = prev_items.is_some_and(|p| p.is_empty());
            if let (Some(&first), false) = (items_in(b, e, body).first(), after_nothing) {
                out.before[first].extend(leading);
            }
        }
        // Declarations sharing text (`typedef struct {…} t;`, `int a, b;`) are one.
        prev.get_or_insert_with(Vec::new)
            .extend(items_in(b, e, body));
        gap_start = gap_start.max(e);
    }
    let (trailing, leading) = gap_between(src.get(gap_start..).unwrap_or(""), prev.is_some(), b';');
    match prev.as_deref() {
        Some([.., last]) => {
            out.after[*last].extend(keep(gap_start, trailing));
            out.at_end = keep(gap_start, leading);
        }
        Some([]) => {}
        None => out.at_end = keep(gap_start, leading),
    }
    for list in out.before.iter_mut().chain(&mut out.after) {
        tidy(list);
    }
    tidy(&mut out.at_end);
    out
}

/// Drops the empty `//` lines at both ends of a run of comments and all but one of several in
/// a row: what is left of a banner of slashes (`//////`) or of the blank `//` lines around
/// a part of it that clang took as a declaration's doc.
fn tidy(list: &mut Vec<String>) {
    let empty = |c: &String| c == "//";
    while list.first().is_some_and(empty) {
        list.remove(0);
    }
    while list.last().is_some_and(empty) {
        list.pop();
    }
    list.dedup_by(|a, b| empty(a) && empty(b));
}

/// Is `at` on a directive's line, or on one of the lines a `\` continues it on (a comment in a
/// multi-line `#define`'s body)?
fn in_directive(src: &str, at: usize) -> bool {
    let mut line = src[..at].rfind('\n').map_or(0, |k| k + 1);
    loop {
        if src[line..at].trim_start().starts_with('#') {
            return true;
        }
        // The line before, if it ends with a continuation `\`.
        let Some(prev_end) = line.checked_sub(1) else {
            return false;
        };
        if !src[..prev_end]
            .trim_end_matches([' ', '\t', '\r'])
            .ends_with('\\')
        {
            return false;
        }
        line = src[..prev_end].rfind('\n').map_or(0, |k| k + 1);
    }
}

/// The first byte of `src` from `i` on that is neither whitespace nor in a comment.
fn next_code(src: &str, mut i: usize) -> Option<u8> {
    let b = src.as_bytes();
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
        } else if src[i..].starts_with("//") {
            i = line_comment_end(src, i);
        } else if src[i..].starts_with("/*") {
            i = block_comment_end(src, i);
        } else {
            return Some(b[i]);
        }
    }
    None
}

/// The call-like text `name(…)` starting where `n` starts in the text the preprocessor read
/// (for a macro, its use: `offsetof(struct s, f)`; clang gives a location inside a macro only
/// the expansion's first token, so the end is the parenthesis matching the first one).
pub fn call_text(n: &Node, text: &mut dyn FnMut(&str) -> Option<Rc<str>>) -> Option<String> {
    let b = loc(n.get("range")?.get("begin")?)?;
    let src = text(&b.file)?;
    let rest = src.get(b.offset..)?;
    let open = rest.find('(')?;
    let mut depth = 0usize;
    for (k, c) in rest[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(rest[..open + k + 1].to_string());
                }
            }
            _ => {}
        }
    }
    None
}

/// The prefixes of the `#[comment = "…"]` attributes an initializer's comments travel in:
/// prettyplease prints such an attribute as a `//` line before the expression, and [`place`]
/// moves an "after" one to the end of the item's last line.
pub const LIST_BEFORE: &str = "__portlab_list_before";
pub const LIST_AFTER: &str = "__portlab_list_after";

/// One line of comment text as a Rust `//` comment. Text starting with `/` or `!` gets a space
/// first: `///` or `//!` would be a doc comment, which Rust attaches to the statement after it
/// (an error on an expression statement). C's `/// text` comes here without its third slash.
fn render_line(text: &str) -> String {
    let t = text.trim_end();
    if t.is_empty() {
        "//".to_string()
    } else if t.starts_with(char::is_whitespace) {
        format!("//{t}")
    } else {
        format!("// {t}")
    }
}

/// `/* text */` as `//` lines, each written `// ` and its line of `block_comment_lines`. None
/// for an empty comment.
fn render_block_comment(body: &str) -> Option<String> {
    let lines = block_comment_lines(body);
    if lines.is_empty() {
        return None;
    }
    Some(
        lines
            .iter()
            .map(|l| {
                if l.is_empty() {
                    "//".to_string()
                } else {
                    format!("// {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The lines of a block comment's text (`body`, between `/*` and `*/`), written after `// `
/// or `/// ` so that they keep the places they had relative to each other: a decorated line
/// (` * text`) loses its ` * `, whose one space stands for the space after `//`, and keeps the
/// indentation after it (`*   more`: two columns in from `text`, as in C); the undecorated
/// lines (stb_image's revision history, indented under `revision history:`) lose only the
/// leading whitespace they all share. No blank first or last line; none at all for an empty
/// comment. A doc comment's `/**` or `/*!` marks go with the first line's spaces.
pub(crate) fn block_comment_lines(body: &str) -> Vec<String> {
    let body = body.trim_start_matches(['*', '!']);
    let mut raw = body.lines();
    let first = raw.next().unwrap_or("").trim().to_string();
    // (decorated, text without the decoration)
    let rest: Vec<(bool, &str)> = raw
        .map(|l| {
            let t = l.trim_start();
            match t.strip_prefix('*') {
                Some(r) => (true, r.strip_prefix(' ').unwrap_or(r).trim_end()),
                None => (false, l.trim_end()),
            }
        })
        .collect();
    let mut shared: Option<&str> = None;
    for &(_, l) in rest.iter().filter(|(d, l)| !d && !l.trim().is_empty()) {
        let ws = &l[..l.len() - l.trim_start().len()];
        shared = Some(match shared {
            None => ws,
            Some(s) => {
                let n = s
                    .bytes()
                    .zip(ws.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                &s[..n]
            }
        });
    }
    let shared = shared.map_or(0, str::len);
    let mut lines = vec![first];
    lines.extend(rest.iter().map(|&(d, l)| {
        if l.trim().is_empty() {
            String::new()
        } else if d {
            l.to_string()
        } else {
            l[shared..].to_string()
        }
    }));
    super::trim_blank_edges(&mut lines);
    lines
}

/// Replace each marker line `__portlab_comment!(N);` of formatted Rust by comment N's lines,
/// indented like the marker. Fails on a marker not alone on its line (it could not become a
/// comment without changing the code around it).
pub fn place(text: &str, comments: &[String]) -> Result<String, String> {
    let text = place_list_comments(text);
    if !text.contains(MARKER) && !text.contains(TRAILING_MARKER) {
        return Ok(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trailing = line.contains(TRAILING_MARKER);
        if !line.contains(MARKER) && !trailing {
            out.push_str(line);
            continue;
        }
        let t = line.trim_start();
        let indent = &line[..line.len() - t.len()];
        let n = t
            .trim_end()
            .strip_prefix(if trailing { TRAILING_MARKER } else { MARKER })
            .and_then(|r| r.strip_prefix("!("))
            .and_then(|r| r.strip_suffix(");"))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| comments.get(n));
        let Some(c) = n else {
            return Err(format!(
                "a comment marker is not alone on its line: {}",
                line.trim()
            ));
        };
        if trailing && out.ends_with('\n') {
            // At the end of the line before, which ends the item it follows.
            out.pop();
            out.push(' ');
            out.push_str(c);
            out.push('\n');
            continue;
        }
        for l in c.lines() {
            out.push_str(indent);
            out.push_str(l);
            out.push('\n');
        }
    }
    Ok(out)
}

/// Initializer comments ([`LIST_BEFORE`], [`LIST_AFTER`] lines, as prettyplease printed their
/// attributes) in their place: a "before" comment as a line at the item's indentation; an
/// "after" one at the end of the item's last line (where its brackets close). Where the item
/// shares its line with others (prettyplease fills short integer arrays), both become lines
/// of their own after the items before it, so a comment never seems to follow the wrong item.
fn place_list_comments(text: &str) -> String {
    if !text.contains(LIST_BEFORE) && !text.contains(LIST_AFTER) {
        return text.to_string();
    }
    let mut st = ListPlacer::default();
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = &body[..body.len() - body.trim_start().len()];
        let found = [LIST_BEFORE, LIST_AFTER]
            .iter()
            .filter_map(|m| body.find(&format!("//{m}")).map(|i| (i, *m)))
            .min();
        let Some((i, m)) = found else {
            st.code(body, indent, line.ends_with('\n'));
            continue;
        };
        let comment = &body[i + 2 + m.len()..];
        let head = body[..i].trim_end();
        if !head.trim().is_empty() {
            st.code(head, indent, true);
        }
        if m == LIST_AFTER {
            st.pending.push(comment.to_string());
        } else {
            st.out.push_str(indent);
            st.out.push_str(comment);
            st.out.push('\n');
        }
    }
    st.out
}

/// The state of [`place_list_comments`].
#[derive(Default)]
struct ListPlacer {
    out: String,
    /// "After" comments of the item that starts with the next code.
    pending: Vec<String>,
    /// Those of an item spread over lines: (its brackets still open, comments).
    open: Option<(i64, Vec<String>)>,
}

impl ListPlacer {
    /// One line of code (`nl`: it ends with a newline).
    fn code(&mut self, body: &str, indent: &str, nl: bool) {
        let nl = if nl { "\n" } else { "" };
        let mut depth = 0i64;
        let mut first_comma = None;
        let mut in_str = false;
        let mut esc = false;
        for (k, c) in body.char_indices() {
            if in_str {
                match (esc, c) {
                    (true, _) => esc = false,
                    (false, '\\') => esc = true,
                    (false, '"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 && first_comma.is_none() => first_comma = Some(k),
                _ => {}
            }
        }
        let after = |out: &mut String, cs: &[String]| {
            for c in cs {
                out.push(' ');
                out.push_str(c);
            }
        };
        if !self.pending.is_empty() && self.open.is_none() {
            let cs = std::mem::take(&mut self.pending);
            match first_comma {
                // More items follow on this line (a filled integer array): the item ends at
                // its comma, so the line is split there.
                Some(k) if !body[k + 1..].trim().is_empty() => {
                    self.out.push_str(&body[..=k]);
                    after(&mut self.out, &cs);
                    self.out.push('\n');
                    self.out.push_str(indent);
                    self.out.push_str(body[k + 1..].trim_start());
                }
                _ if depth <= 0 => {
                    self.out.push_str(body);
                    after(&mut self.out, &cs);
                }
                _ => {
                    self.out.push_str(body);
                    self.open = Some((depth, cs));
                }
            }
            self.out.push_str(nl);
            return;
        }
        self.out.push_str(body);
        if let Some((d, cs)) = self.open.as_mut() {
            *d += depth;
            if *d <= 0 {
                after(&mut self.out, cs);
                self.open = None;
            }
        }
        self.out.push_str(nl);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_trailing_and_leading_comments() {
        let (t, l) = gap("; /* one */\n  // two\n  ", true);
        assert_eq!(t, vec!["// one"]);
        assert_eq!(l, vec!["// two"]);
        let (t, l) = gap(" /* first */\n", false);
        assert!(t.is_empty());
        assert_eq!(l, vec!["// first"]);
    }

    #[test]
    fn directives_and_other_tokens_discard_earlier_comments() {
        // Before a directive, on its line, and inside a region the next statement is in: kept.
        let (_, l) = gap("\n// a\n#if X // b\n// c\n", true);
        assert_eq!(l, vec!["// a", "// b", "// c"]);
        // On the lines of a region opened and closed in the gap: dropped with it.
        let (_, l) = gap("\n#if 0 // d\n#else /* e */\n#endif /* f */\n", true);
        assert!(l.is_empty());
        // On the `#endif` of a region that held the previous statement: kept; a block comment
        // running past the directive's line ends the directive.
        let (_, l) = gap("\n// a\n#endif /* g\n   h */\n#define N 1 // i\n", true);
        assert_eq!(l, vec!["// a", "// g\n// h", "// i"]);
        // Inside a region closed in the gap (perhaps skipped): dropped.
        let (_, l) = gap("\n// a\n#if 0\n// b\n#else\n// c\n#endif\n// d\n", true);
        assert_eq!(l, vec!["// a", "// d"]);
        // Skipped code takes only its region's comments.
        let (_, l) = gap("\n// a\n#ifdef X\n// b\nx = 0;\n#else\n// c\n", true);
        assert_eq!(l, vec!["// a", "// c"]);
        // After an `#else` whose `#if` holds the previous statement: skipped.
        let (_, l) = gap("\n// a\n#else\n// b\n#endif\n// c\n", true);
        assert_eq!(l, vec!["// a", "// c"]);
        let (_, l) = gap("(a, \"//x\") /* d */;\n", true);
        assert!(l.is_empty());
    }

    #[test]
    fn comments_inside_a_statement() {
        let found = comments_in("f(\"/* no */\", '\\'', a /* one */) // two").unwrap();
        let texts: Vec<_> = found.iter().map(|(_, t)| t.clone().unwrap()).collect();
        assert_eq!(texts, vec!["// one", "// two"]);
        assert_eq!(found[0].0, 22);
        // A conditional region inside the statement may have been skipped: its comments (and
        // those on its directives' lines) are dropped, those outside it kept.
        let found = comments_in(
            "x = a /* k */\n#if 0 /* on */\n/* c */ + b\n#else /* e */\n#endif /* end */\n",
        )
        .unwrap();
        let texts: Vec<_> = found.iter().map(|(_, t)| t.clone().unwrap()).collect();
        assert_eq!(texts, vec!["// k"]);
        // Text starting inside a region (an `#else` of one opened before it): nothing kept.
        assert!(comments_in("x = a\n#else\n/* c */ + b\n#endif\n").is_none());
    }

    #[test]
    fn block_comments_become_line_comments() {
        assert_eq!(
            render_block_comment("*\n * Two\n *   lines\n ").unwrap(),
            "// Two\n//   lines"
        );
        // Undecorated lines keep their indentation relative to each other.
        assert_eq!(
            render_block_comment("\n   history:\n      2.20  utf8\n\n      2.19  fix\n").unwrap(),
            "// history:\n//    2.20  utf8\n//\n//    2.19  fix"
        );
        assert_eq!(
            render_block_comment(" Text\n    more\n      deeper ").unwrap(),
            "// Text\n// more\n//   deeper"
        );
        assert_eq!(render_line("/ doc"), "// / doc");
        assert_eq!(render_block_comment("  "), None);
    }

    #[test]
    fn initializer_comments_go_beside_their_item() {
        let text = format!(
            "const T: [[u8; 2]; 2] = [\n    //{LIST_BEFORE}// above\n    //{LIST_AFTER}// one\n    [1, 2],\n    //{LIST_AFTER}// two\n    [\n        3,\n        4,\n    ],\n];\n"
        );
        assert_eq!(
            place_list_comments(&text),
            "const T: [[u8; 2]; 2] = [\n    // above\n    [1, 2], // one\n    [\n        3,\n        4,\n    ], // two\n];\n"
        );
        let filled = format!("    1, 2, //{LIST_BEFORE}// three\n    3, 4,\n");
        assert_eq!(
            place_list_comments(&filled),
            "    1, 2,\n    // three\n    3, 4,\n"
        );
        let filled = format!("    1, 2, //{LIST_AFTER}// three\n    3, 4, 5,\n");
        assert_eq!(
            place_list_comments(&filled),
            "    1, 2,\n    3, // three\n    4, 5,\n"
        );
    }

    #[test]
    fn comments_in_a_multi_line_define_are_on_its_lines() {
        let src = "#define F(x) \\\n  ((x) /* in */)\nint y; /* out */\n";
        assert!(in_directive(src, src.find("/* in").unwrap()));
        assert!(!in_directive(src, src.find("/* out").unwrap()));
    }

    #[test]
    fn trailing_markers_end_the_line_before() {
        let text = "fn f() {\n    x();\n}\n__portlab_trailing!(0);\nfn g() {}\n";
        let got = place(text, &["// end of f".to_string()]).unwrap();
        assert_eq!(got, "fn f() {\n    x();\n} // end of f\nfn g() {}\n");
    }

    #[test]
    fn markers_become_indented_comments() {
        let text = "fn f() {\n    __portlab_comment!(0);\n    x();\n}\n";
        let got = place(text, &["// a\n// b".to_string()]).unwrap();
        assert_eq!(got, "fn f() {\n    // a\n    // b\n    x();\n}\n");
        assert!(place("x(__portlab_comment!(0));\n", &["//".into()]).is_err());
    }
}
