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
//! comment N's `//` lines at the marker's indentation. Comments inside an expression, a macro's
//! arguments, a controlling expression, between `}` and `else`, or in a directive line are not
//! between statements and are dropped (docs/transpiler.md).

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

use super::ast::{self, Node};

/// The marker macro's name: no C identifier starts with two underscores and `portlab`.
pub const MARKER: &str = "__portlab_comment";

/// The comments of one function body, each already rendered as `//` lines joined by `\n`.
#[derive(Clone, Debug, Default)]
pub struct BodyComments {
    /// By clang statement id: the comments written before the statement (and after it on its
    /// last line), in source order.
    pub before: HashMap<String, Vec<String>>,
    /// By clang id of a compound statement: the comments after its last statement.
    pub at_end: HashMap<String, Vec<String>>,
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
fn span(n: &Node) -> Option<(String, usize, usize)> {
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
    ast::walk(body, &mut |n| {
        if ast::kind(n) == "CompoundStmt" {
            block(n, text, &mut out);
        }
    });
    out
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
    let b = g.as_bytes();
    let (mut trailing, mut leading) = (Vec::new(), Vec::new());
    let mut same_line = after_stmt;
    let mut line_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            same_line = false;
            line_start = true;
            i += 1;
        } else if c.is_ascii_whitespace() || c == b';' {
            i += 1;
        } else if g[i..].starts_with("//") || g[i..].starts_with("/*") {
            let (text, end) = if g[i..].starts_with("//") {
                let end = g[i..].find('\n').map_or(b.len(), |e| i + e);
                (
                    Some(render_line(g[i + 2..end].trim_start_matches('/'))),
                    end,
                )
            } else {
                let end = g[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                let body = &g[i + 2..end.saturating_sub(2).max(i + 2)];
                (render_block_comment(body), end)
            };
            if let Some(c) = text {
                if same_line {
                    &mut trailing
                } else {
                    &mut leading
                }
                .push(c);
            }
            i = end;
        } else {
            // Not a comment: whatever came before belongs to it.
            trailing.clear();
            leading.clear();
            if c == b'#' && line_start {
                // A directive, with its continuation lines.
                while i < b.len() && b[i] != b'\n' {
                    if b[i] == b'\\' && i + 1 < b.len() {
                        i += 1;
                    }
                    i += 1;
                }
            } else if c == b'"' || c == b'\'' {
                i += 1;
                while i < b.len() && b[i] != c {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
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

/// `/* text */` as `//` lines: the leading ` * ` decoration of continuation lines and blank
/// first and last lines dropped. None for an empty comment.
fn render_block_comment(body: &str) -> Option<String> {
    let body = body.trim_start_matches(['*', '!']);
    let mut lines: Vec<String> = body
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                return l.trim().to_string();
            }
            // ` * text` keeps the indentation after the decoration's one space.
            let t = l.trim_start();
            match t.strip_prefix('*') {
                Some(rest) => rest
                    .strip_prefix(' ')
                    .unwrap_or(rest)
                    .trim_end()
                    .to_string(),
                None => t.trim_end().to_string(),
            }
        })
        .collect();
    super::trim_blank_edges(&mut lines);
    if lines.is_empty() {
        return None;
    }
    Some(
        lines
            .iter()
            .map(|l| render_line(l))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Replace each marker line `__portlab_comment!(N);` of formatted Rust by comment N's lines,
/// indented like the marker. Fails on a marker not alone on its line (it could not become a
/// comment without changing the code around it).
pub fn place(text: &str, comments: &[String]) -> Result<String, String> {
    if !text.contains(MARKER) {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !line.contains(MARKER) {
            out.push_str(line);
            continue;
        }
        let t = line.trim_start();
        let indent = &line[..line.len() - t.len()];
        let n = t
            .trim_end()
            .strip_prefix(MARKER)
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
        for l in c.lines() {
            out.push_str(indent);
            out.push_str(l);
            out.push('\n');
        }
    }
    Ok(out)
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
        let (_, l) = gap("\n// a\n#if X // b\n// c\n", true);
        assert_eq!(l, vec!["// c"]);
        let (_, l) = gap("(a, \"//x\") /* d */;\n", true);
        assert!(l.is_empty());
    }

    #[test]
    fn block_comments_become_line_comments() {
        assert_eq!(
            render_block_comment("*\n * Two\n *   lines\n ").unwrap(),
            "// Two\n//  lines"
        );
        assert_eq!(render_line("/ doc"), "// / doc");
        assert_eq!(render_block_comment("  "), None);
    }

    #[test]
    fn markers_become_indented_comments() {
        let text = "fn f() {\n    __portlab_comment!(0);\n    x();\n}\n";
        let got = place(text, &["// a\n// b".to_string()]).unwrap();
        assert_eq!(got, "fn f() {\n    // a\n    // b\n    x();\n}\n");
        assert!(place("x(__portlab_comment!(0));\n", &["//".into()]).is_err());
    }
}
