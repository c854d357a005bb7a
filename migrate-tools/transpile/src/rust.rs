//! A small model of the Rust we emit: types ([`RTy`]) and expressions ([`RExpr`]), printed with
//! `quote` so that parentheses appear exactly where Rust's precedence needs them (syn's
//! `ToTokens` would print a programmatically built tree without any). Statements and items are
//! plain token streams; the whole file is parsed by syn and formatted by prettyplease.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, quote};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// An identifier for a C name: raw (`r#ref`) if it is a Rust keyword.
pub fn ident(name: &str) -> TokenStream {
    if matches!(name, "self" | "Self" | "super" | "crate" | "_") {
        let id = Ident::new(&format!("{name}_"), Span::call_site());
        return quote!(#id);
    }
    if KEYWORDS.contains(&name) {
        let id = Ident::new_raw(name, Span::call_site());
        quote!(#id)
    } else {
        let id = Ident::new(name, Span::call_site());
        quote!(#id)
    }
}

/// `a::b::c` from a `::`-separated string; each segment an identifier.
pub fn path(p: &str) -> TokenStream {
    let segs: Vec<TokenStream> = p
        .split("::")
        .map(|s| {
            if s == "crate" || s == "core" || s == "std" || s == "libc" || s == "super" {
                let id = Ident::new(s, Span::call_site());
                quote!(#id)
            } else {
                ident(s)
            }
        })
        .collect();
    quote!(#(#segs)::*)
}

pub fn lifetime(name: &str) -> TokenStream {
    // A label may not be a keyword (C's `in:`, `loop:`); raw lifetimes are not allowed either.
    let name = if KEYWORDS.contains(&name) || name == "static" {
        format!("{name}_")
    } else {
        name.to_string()
    };
    let lt = syn::Lifetime::new(&format!("'{name}"), Span::call_site());
    quote!(#lt)
}

// ---- types ----------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RTy {
    /// i8..u128, isize, usize, bool, f32, f64.
    Prim(&'static str),
    Unit,
    /// `core::ffi::c_void` (only behind pointers).
    CVoid,
    Ptr {
        mutable: bool,
        to: Box<RTy>,
    },
    Array(Box<RTy>, u64),
    /// A struct, union or type alias of the transpiled crate (imported by name).
    Named(String),
    /// A type outside the crate, by path (`libc::FILE`).
    Extern(String),
    /// `Option<unsafe extern "C" fn(params) -> ret>`: C function pointers are nullable.
    FnPtr {
        params: Vec<RTy>,
        ret: Box<RTy>,
        variadic: bool,
    },
    /// `AlignN<T>`: a C object with `__attribute__((aligned(N)))`.
    Aligned(u32, Box<RTy>),
    /// `!` placeholder for builtins without a type.
    Never,
}

impl RTy {
    pub fn is_int(&self) -> bool {
        matches!(self, RTy::Prim(p) if p.starts_with('i') || p.starts_with('u'))
    }
    pub fn is_ptr(&self) -> bool {
        matches!(self, RTy::Ptr { .. })
    }
    pub fn prim(&self) -> Option<&'static str> {
        match self {
            RTy::Prim(p) => Some(p),
            _ => None,
        }
    }
}

impl ToTokens for RTy {
    fn to_tokens(&self, out: &mut TokenStream) {
        let t = match self {
            RTy::Prim(p) => {
                let id = Ident::new(p, Span::call_site());
                quote!(#id)
            }
            RTy::Unit => quote!(()),
            RTy::Never => quote!(!),
            RTy::CVoid => quote!(core::ffi::c_void),
            RTy::Ptr { mutable: true, to } => quote!(*mut #to),
            RTy::Ptr { mutable: false, to } => quote!(*const #to),
            RTy::Array(e, n) => {
                let n = Literal::u64_unsuffixed(*n);
                quote!([#e; #n])
            }
            RTy::Named(n) => ident(n),
            RTy::Extern(p) => path(p),
            RTy::FnPtr {
                params,
                ret,
                variadic,
            } => {
                let dots = if *variadic { quote!(, ...) } else { quote!() };
                let ret = if **ret == RTy::Unit {
                    quote!()
                } else {
                    quote!(-> #ret)
                };
                quote!(Option<unsafe extern "C" fn(#(#params),* #dots) #ret>)
            }
            RTy::Aligned(n, inner) => {
                let id = Ident::new(&format!("Align{n}"), Span::call_site());
                quote!(crate::#id<#inner>)
            }
        };
        out.extend(t);
    }
}

// ---- expressions ----------------------------------------------------------------------------------

/// Operator precedence, higher binds tighter (Rust reference order).
pub mod prec {
    pub const ASSIGN: u8 = 3;
    pub const OR: u8 = 5;
    pub const AND: u8 = 6;
    pub const CMP: u8 = 7;
    pub const BITOR: u8 = 8;
    pub const BITXOR: u8 = 9;
    pub const BITAND: u8 = 10;
    pub const SHIFT: u8 = 11;
    pub const ADD: u8 = 12;
    pub const MUL: u8 = 13;
    pub const CAST: u8 = 14;
    pub const UNARY: u8 = 15;
    pub const POSTFIX: u8 = 16;
    /// Blocks and `if` expressions: parenthesized whenever they are an operand.
    pub const BLOCK: u8 = 0;
}

pub fn binop_prec(op: &str) -> u8 {
    match op {
        "*" | "/" | "%" => prec::MUL,
        "+" | "-" => prec::ADD,
        "<<" | ">>" => prec::SHIFT,
        "&" => prec::BITAND,
        "^" => prec::BITXOR,
        "|" => prec::BITOR,
        "==" | "!=" | "<" | ">" | "<=" | ">=" => prec::CMP,
        "&&" => prec::AND,
        "||" => prec::OR,
        _ => panic!("unknown operator {op}"),
    }
}

#[derive(Clone, Debug)]
pub enum RExpr {
    /// An integer or float literal: `text` is the (possibly negative) value, `ty` its Rust type.
    Lit {
        text: String,
        ty: &'static str,
        force_suffix: bool,
    },
    /// A path or identifier (already an identifier-safe token stream).
    Path(TokenStream),
    /// Anything atomic we build by hand: `c"..".as_ptr()`, macros, `core::mem::zeroed()`.
    Atom(TokenStream),
    Unary(&'static str, Box<RExpr>),
    /// `&raw mut place` / `&raw const place`.
    RawAddr {
        mutable: bool,
        place: Box<RExpr>,
    },
    Binary(&'static str, Box<RExpr>, Box<RExpr>),
    /// `e as T`, with the (canonical) type of `e` when the translation knows it: a cast of a
    /// cast can then be shortened (`coerce`).
    Cast(Box<RExpr>, RTy, Option<RTy>),
    Method(Box<RExpr>, &'static str, Vec<RExpr>),
    /// `recv.method::<T>(args)`.
    MethodTurbofish(Box<RExpr>, &'static str, RTy, Vec<RExpr>),
    Call(Box<RExpr>, Vec<RExpr>),
    Field(Box<RExpr>, TokenStream),
    Index(Box<RExpr>, Box<RExpr>),
    Assign(&'static str, Box<RExpr>, Box<RExpr>),
    If(Box<RExpr>, Box<RExpr>, Box<RExpr>),
    Block(Vec<TokenStream>, Option<Box<RExpr>>),
    Range {
        start: Box<RExpr>,
        end: Box<RExpr>,
        inclusive: bool,
    },
    /// Struct literal `Name { f: v, .. }` or array literal `[a, b]` / `[v; n]` (atomic).
    StructLit(TokenStream, Vec<(TokenStream, RExpr)>),
    ArrayLit(Vec<RExpr>),
    ArrayRepeat(Box<RExpr>, u64),
    Paren(Box<RExpr>),
}

impl RExpr {
    pub fn path(name: &str) -> RExpr {
        RExpr::Path(ident(name))
    }
    pub fn lit(v: i128, ty: &'static str) -> RExpr {
        RExpr::Lit {
            text: v.to_string(),
            ty,
            force_suffix: false,
        }
    }
    pub fn tokens(t: TokenStream) -> RExpr {
        RExpr::Atom(t)
    }
    pub fn method(self, name: &'static str, args: Vec<RExpr>) -> RExpr {
        RExpr::Method(Box::new(self), name, args)
    }
    pub fn cast(self, ty: RTy) -> RExpr {
        RExpr::Cast(Box::new(self), ty, None)
    }
    pub fn binary(op: &'static str, l: RExpr, r: RExpr) -> RExpr {
        RExpr::Binary(op, Box::new(l), Box::new(r))
    }
    pub fn unary(op: &'static str, e: RExpr) -> RExpr {
        RExpr::Unary(op, Box::new(e))
    }
    pub fn deref(self) -> RExpr {
        RExpr::Unary("*", Box::new(self))
    }
    pub fn field(self, name: &str) -> RExpr {
        RExpr::Field(Box::new(self), ident(name))
    }
    pub fn index(self, i: RExpr) -> RExpr {
        RExpr::Index(Box::new(self), Box::new(i))
    }
    pub fn call(f: RExpr, args: Vec<RExpr>) -> RExpr {
        RExpr::Call(Box::new(f), args)
    }

    pub fn prec(&self) -> u8 {
        match self {
            RExpr::Lit { text, .. } => {
                if text.starts_with('-') {
                    prec::UNARY
                } else {
                    prec::POSTFIX
                }
            }
            RExpr::Path(_)
            | RExpr::Atom(_)
            | RExpr::Method(..)
            | RExpr::MethodTurbofish(..)
            | RExpr::Call(..)
            | RExpr::Field(..)
            | RExpr::Index(..)
            | RExpr::StructLit(..)
            | RExpr::ArrayLit(..)
            | RExpr::ArrayRepeat(..)
            | RExpr::Paren(_) => prec::POSTFIX,
            RExpr::Unary(..) | RExpr::RawAddr { .. } => prec::UNARY,
            RExpr::Cast(..) => prec::CAST,
            RExpr::Binary(op, ..) => binop_prec(op),
            RExpr::Assign(..) => prec::ASSIGN,
            RExpr::Range { .. } => 4,
            RExpr::If(..) | RExpr::Block(..) => prec::BLOCK,
        }
    }

    /// Does the printed expression end with `as Type`? (Then a following `<` or `<<` would be
    /// read as the start of generic arguments.)
    fn ends_with_cast(&self) -> bool {
        match self {
            RExpr::Cast(..) => true,
            RExpr::Binary(_, _, r) => r.ends_with_cast(),
            RExpr::Unary(_, e) => e.ends_with_cast(),
            RExpr::RawAddr { place, .. } => place.ends_with_cast(),
            _ => false,
        }
    }

    /// Print with parentheses if this expression binds looser than `min`.
    fn print_min(&self, min: u8, out: &mut TokenStream) {
        if self.prec() < min {
            let inner = self.to_token_stream();
            out.extend(quote!((#inner)));
        } else {
            self.to_tokens(out);
        }
    }

    fn lit_tokens(text: &str, ty: &str, suffix: bool) -> TokenStream {
        let (neg, digits) = match text.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, text),
        };
        let lit: Literal = if suffix {
            format!("{digits}{ty}").parse().unwrap()
        } else {
            digits.parse().unwrap()
        };
        if neg { quote!(-#lit) } else { quote!(#lit) }
    }
}

impl ToTokens for RExpr {
    fn to_tokens(&self, out: &mut TokenStream) {
        match self {
            RExpr::Lit {
                text,
                ty,
                force_suffix,
            } => {
                out.extend(RExpr::lit_tokens(text, ty, *force_suffix));
            }
            RExpr::Path(t) | RExpr::Atom(t) => out.extend(t.clone()),
            RExpr::Unary(op, e) => {
                let op: TokenStream = op.parse().unwrap();
                out.extend(op);
                e.print_min(prec::UNARY, out);
            }
            RExpr::RawAddr { mutable, place } => {
                if *mutable {
                    out.extend(quote!(&raw mut));
                } else {
                    out.extend(quote!(&raw const));
                }
                place.print_min(prec::UNARY, out);
            }
            RExpr::Binary(op, l, r) => {
                let p = binop_prec(op);
                let non_assoc = p == prec::CMP;
                if (*op == "<" || *op == "<<") && l.ends_with_cast() {
                    let inner = l.to_token_stream();
                    out.extend(quote!((#inner)));
                } else {
                    l.print_min(if non_assoc { p + 1 } else { p }, out);
                }
                let op: TokenStream = op.parse().unwrap();
                out.extend(op);
                r.print_min(p + 1, out);
            }
            RExpr::Cast(e, ty, _) => {
                // An operand made only of literals would default to i32: give them their type.
                // (Rust would even infer an unsuffixed literal operand as the target type:
                // `-1 as u32` does not compile.)
                if e.is_untyped() {
                    e.with_suffixes(true).print_min(prec::UNARY, out);
                } else {
                    e.print_min(prec::UNARY, out);
                }
                out.extend(quote!(as #ty));
            }
            RExpr::Method(recv, name, args) => {
                print_receiver(recv, out);
                let name = Ident::new(name, Span::call_site());
                out.extend(quote!(.#name(#(#args),*)));
            }
            RExpr::MethodTurbofish(recv, name, ty, args) => {
                print_receiver(recv, out);
                let name = Ident::new(name, Span::call_site());
                out.extend(quote!(.#name::<#ty>(#(#args),*)));
            }
            RExpr::Call(f, args) => {
                f.print_min(prec::POSTFIX, out);
                out.extend(quote!((#(#args),*)));
            }
            RExpr::Field(base, name) => {
                base.print_min(prec::POSTFIX, out);
                out.extend(quote!(.#name));
            }
            RExpr::Index(base, idx) => {
                base.print_min(prec::POSTFIX, out);
                out.extend(quote!([#idx]));
            }
            RExpr::Assign(op, l, r) => {
                l.print_min(prec::UNARY, out);
                let op: TokenStream = op.parse().unwrap();
                out.extend(op);
                r.print_min(prec::ASSIGN, out);
            }
            RExpr::If(c, a, b) => {
                let c = c.to_token_stream();
                let a = a.to_token_stream();
                match &**b {
                    RExpr::If(..) => {
                        let b = b.to_token_stream();
                        out.extend(quote!(if #c { #a } else #b));
                    }
                    _ => {
                        let b = b.to_token_stream();
                        out.extend(quote!(if #c { #a } else { #b }));
                    }
                }
            }
            RExpr::Block(stmts, tail) => {
                let tail = tail.as_ref().map(|t| t.to_token_stream());
                out.extend(quote!({ #(#stmts)* #tail }));
            }
            RExpr::Range {
                start,
                end,
                inclusive,
            } => {
                start.print_min(5, out);
                if *inclusive {
                    out.extend(quote!(..=));
                } else {
                    out.extend(quote!(..));
                }
                end.print_min(5, out);
            }
            RExpr::StructLit(name, fields) => {
                let f = fields.iter().map(|(n, v)| quote!(#n: #v));
                out.extend(quote!(#name { #(#f),* }));
            }
            RExpr::ArrayLit(items) => out.extend(quote!([#(#items),*])),
            RExpr::ArrayRepeat(v, n) => {
                let n = Literal::u64_unsuffixed(*n);
                out.extend(quote!([#v; #n]));
            }
            RExpr::Paren(e) => {
                let inner = e.to_token_stream();
                out.extend(quote!((#inner)));
            }
        }
    }
}

fn print_receiver(recv: &RExpr, out: &mut TokenStream) {
    // A method call on an untyped literal does not compile: suffix every literal.
    if recv.is_untyped() {
        recv.with_suffixes(true).print_min(prec::POSTFIX, out);
    } else {
        recv.print_min(prec::POSTFIX, out);
    }
}

impl RExpr {
    /// Made only of literals (and operators on them): Rust cannot infer its type from inside.
    pub fn is_untyped(&self) -> bool {
        match self {
            RExpr::Lit { force_suffix, .. } => !force_suffix,
            RExpr::Unary(_, e) | RExpr::Paren(e) => e.is_untyped(),
            RExpr::Binary("<<" | ">>", l, _) => l.is_untyped(),
            RExpr::Binary(op, l, r) => {
                !matches!(*op, "==" | "!=" | "<" | ">" | "<=" | ">=" | "&&" | "||")
                    && l.is_untyped()
                    && r.is_untyped()
            }
            RExpr::If(_, a, b) => a.is_untyped() && b.is_untyped(),
            _ => false,
        }
    }

    /// A copy whose literals print their type suffix (all of them, or all but i32's).
    pub fn with_suffixes(&self, include_i32: bool) -> RExpr {
        match self {
            RExpr::Lit { text, ty, .. } => RExpr::Lit {
                text: text.clone(),
                ty,
                force_suffix: include_i32 || *ty != "i32",
            },
            RExpr::Unary(op, e) => RExpr::Unary(op, Box::new(e.with_suffixes(include_i32))),
            RExpr::Paren(e) => RExpr::Paren(Box::new(e.with_suffixes(include_i32))),
            RExpr::Binary(op @ ("<<" | ">>"), l, r) => {
                RExpr::Binary(op, Box::new(l.with_suffixes(include_i32)), r.clone())
            }
            RExpr::Binary(op, l, r) => RExpr::Binary(
                op,
                Box::new(l.with_suffixes(include_i32)),
                Box::new(r.with_suffixes(include_i32)),
            ),
            RExpr::If(c, a, b) => RExpr::If(
                c.clone(),
                Box::new(a.with_suffixes(include_i32)),
                Box::new(b.with_suffixes(include_i32)),
            ),
            other => other.clone(),
        }
    }
}

/// The value of an integer literal's text (`-12`, `0x3fff`, `0o17`).
pub fn lit_value(text: &str) -> Option<i128> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let t = t.replace('_', "");
    let v = if let Some(h) = t.strip_prefix("0x") {
        i128::from_str_radix(h, 16).ok()?
    } else if let Some(o) = t.strip_prefix("0o") {
        i128::from_str_radix(o, 8).ok()?
    } else if let Some(b) = t.strip_prefix("0b") {
        i128::from_str_radix(b, 2).ok()?
    } else {
        t.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

/// A C integer literal's spelling as a Rust literal without suffix (`0xffffu` -> `0xffff`,
/// `0755` -> `0o755`), or None for forms we do not keep.
pub fn c_int_literal(spelled: &str) -> Option<String> {
    let t = spelled.trim_end_matches(['u', 'U', 'l', 'L']);
    let lower = t.to_ascii_lowercase();
    let out = if let Some(h) = lower.strip_prefix("0x") {
        format!("0x{h}")
    } else if let Some(b) = lower.strip_prefix("0b") {
        format!("0b{b}")
    } else if t.len() > 1 && t.starts_with('0') {
        format!("0o{}", &t[1..])
    } else {
        t.to_string()
    };
    if t.chars().all(|c| c.is_ascii_alphanumeric()) && lit_value(&out).is_some() {
        Some(out)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(e: &RExpr) -> String {
        e.to_token_stream().to_string()
    }

    #[test]
    fn parenthesizes_by_precedence() {
        let a = RExpr::path("a");
        let b = RExpr::path("b");
        let sum = RExpr::binary("+", a.clone(), b.clone());
        assert_eq!(
            s(&RExpr::binary("*", sum.clone(), RExpr::lit(2, "i32"))),
            "(a + b) * 2"
        );
        assert_eq!(
            s(&RExpr::binary("-", a.clone(), sum.clone())),
            "a - (a + b)"
        );
        assert_eq!(
            s(&sum.clone().method("wrapping_add", vec![b.clone()])),
            "(a + b) . wrapping_add (b)"
        );
        let c = a.clone().cast(RTy::Prim("u32"));
        assert_eq!(
            s(&RExpr::binary("<", c.clone(), b.clone())),
            "(a as u32) < b"
        );
        assert_eq!(s(&RExpr::binary("+", c.clone(), b.clone())), "a as u32 + b");
        assert_eq!(
            s(&RExpr::lit(-1, "i32").method("wrapping_add", vec![b])),
            "(- 1i32) . wrapping_add (b)"
        );
        assert_eq!(s(&RExpr::unary("-", c)), "- (a as u32)");
    }
}
