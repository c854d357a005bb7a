//! C types as clang prints them in its JSON AST (`"qualType": "const uint8_t (*)[3][11]"`), parsed
//! into a small model. Typedef names stay as names ([`CType::Typedef`]); [`TypeEnv`] resolves them.

use std::collections::BTreeMap;
use std::fmt;

/// The integer types of C on x86_64 Linux (LP64; plain `char` is signed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntKind {
    Char,
    SChar,
    UChar,
    Short,
    UShort,
    Int,
    UInt,
    Long,
    ULong,
    LongLong,
    ULongLong,
    Int128,
    UInt128,
}

impl IntKind {
    pub fn bits(self) -> u32 {
        use IntKind::*;
        match self {
            Char | SChar | UChar => 8,
            Short | UShort => 16,
            Int | UInt => 32,
            Long | ULong | LongLong | ULongLong => 64,
            Int128 | UInt128 => 128,
        }
    }

    pub fn signed(self) -> bool {
        use IntKind::*;
        matches!(self, Char | SChar | Short | Int | Long | LongLong | Int128)
    }

    /// The Rust primitive with the same width and signedness. C's `long` and `unsigned long` are
    /// `i64`/`u64`, as the libc crate's `c_long`/`c_ulong` are on x86_64 Linux, so a translated
    /// `long` mixes with a C library's (`struct timespec`'s `tv_sec`, `sysconf`'s result).
    /// `size_t`, `ptrdiff_t` and their kin stay `usize`/`isize` by their typedef names
    /// (`translate::system_typedef`), as the libc crate spells them too.
    pub fn rust(self) -> &'static str {
        match (self.bits(), self.signed()) {
            (8, true) => "i8",
            (8, false) => "u8",
            (16, true) => "i16",
            (16, false) => "u16",
            (32, true) => "i32",
            (32, false) => "u32",
            (64, true) => "i64",
            (64, false) => "u64",
            (128, true) => "i128",
            _ => "u128",
        }
    }

    /// Inclusive value range.
    pub fn range(self) -> (i128, i128) {
        let bits = self.bits().min(127);
        if self.signed() {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        } else if bits >= 127 {
            (0, i128::MAX)
        } else {
            (0, (1i128 << bits) - 1)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CType {
    Void,
    Bool,
    Int(IntKind),
    Float,
    Double,
    LongDouble,
    Pointer(Box<QType>),
    /// `None`: incomplete (`extern int x[];`, flexible array member).
    Array(Box<QType>, Option<u64>),
    Func {
        ret: Box<QType>,
        params: Vec<QType>,
        variadic: bool,
    },
    /// `struct X` / `union X` by tag.
    Record {
        name: String,
        union: bool,
    },
    Enum(String),
    Typedef(String),
    /// `_Atomic(T)`: an object only touched through `<stdatomic.h>`'s explicit calls.
    Atomic(Box<QType>),
    /// Anything we only pass around by name (`__va_list_tag`, `<builtin fn type>`).
    Opaque(String),
}

/// A type with its top-level `const`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QType {
    pub ty: CType,
    pub is_const: bool,
}

impl QType {
    pub fn new(ty: CType) -> QType {
        QType {
            ty,
            is_const: false,
        }
    }
    pub fn int(k: IntKind) -> QType {
        QType::new(CType::Int(k))
    }
}

impl fmt::Display for QType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_const {
            write!(f, "const ")?;
        }
        match &self.ty {
            CType::Void => write!(f, "void"),
            CType::Bool => write!(f, "_Bool"),
            CType::Int(k) => write!(f, "{k:?}"),
            CType::Float => write!(f, "float"),
            CType::Double => write!(f, "double"),
            CType::LongDouble => write!(f, "long double"),
            CType::Pointer(p) => write!(f, "ptr<{p}>"),
            CType::Array(e, n) => write!(f, "array<{e}; {n:?}>"),
            CType::Func {
                ret,
                params,
                variadic,
            } => {
                write!(f, "fn(")?;
                for p in params {
                    write!(f, "{p}, ")?;
                }
                if *variadic {
                    write!(f, "...")?;
                }
                write!(f, ") -> {ret}")
            }
            CType::Record { name, union } => {
                write!(f, "{} {name}", if *union { "union" } else { "struct" })
            }
            CType::Enum(n) => write!(f, "enum {n}"),
            CType::Typedef(n) => write!(f, "{n}"),
            CType::Atomic(t) => write!(f, "atomic<{t}>"),
            CType::Opaque(n) => write!(f, "opaque {n}"),
        }
    }
}

// ---- parsing -------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Num(u64),
    Punct(char),
    Ellipsis,
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && ((b[i] as char).is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Tok::Ident(s[start..i].to_string()));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i] as char).is_ascii_alphanumeric() {
                i += 1;
            }
            let text = s[start..i].trim_end_matches(['u', 'U', 'l', 'L']);
            let v = if let Some(hex) = text.strip_prefix("0x") {
                u64::from_str_radix(hex, 16)
            } else {
                text.parse()
            };
            out.push(Tok::Num(
                v.map_err(|_| format!("bad number in type `{s}`"))?,
            ));
        } else if s[i..].starts_with("...") {
            out.push(Tok::Ellipsis);
            i += 3;
        } else if "*()[],".contains(c) {
            out.push(Tok::Punct(c));
            i += 1;
        } else {
            return Err(format!("unexpected character `{c}` in type `{s}`"));
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    text: &'a str,
}

const QUALIFIERS: &[&str] = &[
    "const",
    "volatile",
    "restrict",
    "__restrict",
    "__restrict__",
];

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.pos + n)
    }
    fn eat_punct(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Punct(c)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expect_punct(&mut self, c: char) -> Result<(), String> {
        if self.eat_punct(c) {
            Ok(())
        } else {
            Err(format!("expected `{c}` in type `{}`", self.text))
        }
    }
    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} in type `{}`", self.text))
    }

    /// declaration-specifiers: qualifiers and base type words.
    fn specifiers(&mut self) -> Result<QType, String> {
        let mut is_const = false;
        let mut signed = None::<bool>;
        let mut short = false;
        let mut longs = 0;
        let mut base: Option<&'static str> = None;
        let mut named: Option<CType> = None;
        while let Some(Tok::Ident(w)) = self.peek().cloned() {
            match w.as_str() {
                "const" => is_const = true,
                // Clang spells atomic types `_Atomic(T)`; the bare qualifier form would be lost.
                "_Atomic" => {
                    if self.peek_at(1) != Some(&Tok::Punct('(')) {
                        return self.err("`_Atomic` qualifier");
                    }
                    self.pos += 2;
                    let spec = self.specifiers()?;
                    let inner = self.declarator(spec)?;
                    self.expect_punct(')')?;
                    named = Some(CType::Atomic(Box::new(inner)));
                    continue;
                }
                q if QUALIFIERS.contains(&q) => {}
                "signed" | "__signed" | "__signed__" => signed = Some(true),
                "unsigned" => signed = Some(false),
                "short" => short = true,
                "long" => longs += 1,
                "int" => base = Some("int"),
                "char" => base = Some("char"),
                "void" => base = Some("void"),
                "float" => base = Some("float"),
                "double" => base = Some("double"),
                "_Bool" => base = Some("_Bool"),
                "__int128" => base = Some("__int128"),
                "struct" | "union" | "enum" => {
                    self.pos += 1;
                    let name = match self.peek().cloned() {
                        Some(Tok::Ident(n)) => n,
                        Some(Tok::Punct('(')) => return self.err("anonymous struct/union/enum"),
                        _ => return self.err("missing tag"),
                    };
                    named = Some(match w.as_str() {
                        "struct" => CType::Record { name, union: false },
                        "union" => CType::Record { name, union: true },
                        _ => CType::Enum(name),
                    });
                }
                _ => {
                    // A typedef name, unless we already have a type (then it is not ours).
                    if base.is_some() || named.is_some() || signed.is_some() || short || longs > 0 {
                        break;
                    }
                    named = Some(match w.as_str() {
                        "__va_list_tag" | "__builtin_va_list" => CType::Opaque(w.clone()),
                        _ => CType::Typedef(w.clone()),
                    });
                }
            }
            self.pos += 1;
        }
        if self.peek() == Some(&Tok::Punct('<')) {
            return self.err("builtin type");
        }
        let ty = if let Some(t) = named {
            t
        } else {
            use IntKind::*;
            match (base, signed, short, longs) {
                (Some("void"), None, false, 0) => CType::Void,
                (Some("_Bool"), None, false, 0) => CType::Bool,
                (Some("float"), None, false, 0) => CType::Float,
                (Some("double"), None, false, 0) => CType::Double,
                (Some("double"), None, false, 1) => CType::LongDouble,
                (Some("char"), None, false, 0) => CType::Int(Char),
                (Some("char"), Some(true), false, 0) => CType::Int(SChar),
                (Some("char"), Some(false), false, 0) => CType::Int(UChar),
                (Some("__int128"), s, false, 0) => {
                    CType::Int(if s == Some(false) { UInt128 } else { Int128 })
                }
                (Some("int") | None, s, true, 0) if base.is_some() || s.is_some() || short => {
                    CType::Int(if s == Some(false) { UShort } else { Short })
                }
                (Some("int") | None, s, false, 0) if base.is_some() || s.is_some() => {
                    CType::Int(if s == Some(false) { UInt } else { Int })
                }
                (Some("int") | None, s, false, 1) => {
                    CType::Int(if s == Some(false) { ULong } else { Long })
                }
                (Some("int") | None, s, false, 2) => CType::Int(if s == Some(false) {
                    ULongLong
                } else {
                    LongLong
                }),
                _ => return self.err("unknown base type"),
            }
        };
        Ok(QType { ty, is_const })
    }

    /// An abstract declarator applied to `base`.
    fn declarator(&mut self, mut base: QType) -> Result<QType, String> {
        // Pointers (each may carry qualifiers that apply to the pointer itself).
        while self.eat_punct('*') {
            base = QType::new(CType::Pointer(Box::new(base)));
            while let Some(Tok::Ident(w)) = self.peek() {
                if w == "const" {
                    base.is_const = true;
                } else if !QUALIFIERS.contains(&w.as_str()) {
                    break;
                }
                self.pos += 1;
            }
        }
        // Grouping parenthesis: `(*)`, `(*const)`, `(*[3])`.
        if self.peek() == Some(&Tok::Punct('('))
            && matches!(self.peek_at(1), Some(Tok::Punct('*' | '(' | '[')))
        {
            self.pos += 1;
            let inner_start = self.pos;
            let mut depth = 1;
            while depth > 0 {
                match self.peek() {
                    Some(Tok::Punct('(')) => depth += 1,
                    Some(Tok::Punct(')')) => depth -= 1,
                    None => return self.err("unbalanced parenthesis"),
                    _ => {}
                }
                self.pos += 1;
            }
            let inner_end = self.pos - 1;
            let outer = self.suffixes(base)?;
            let after = self.pos;
            // Parse the inner declarator against the outer type.
            let saved = std::mem::take(&mut self.toks);
            self.toks = saved[inner_start..inner_end].to_vec();
            self.pos = 0;
            let result = self.declarator(outer)?;
            if self.pos != self.toks.len() {
                return self.err("trailing tokens in declarator");
            }
            self.toks = saved;
            self.pos = after;
            return Ok(result);
        }
        self.suffixes(base)
    }

    /// `[N]` and `(params)` suffixes, applied right to left.
    fn suffixes(&mut self, base: QType) -> Result<QType, String> {
        enum Suffix {
            Array(Option<u64>),
            Func(Vec<QType>, bool),
        }
        let mut list = Vec::new();
        loop {
            if self.eat_punct('[') {
                let n = match self.peek().cloned() {
                    Some(Tok::Num(n)) => {
                        self.pos += 1;
                        Some(n)
                    }
                    _ => None,
                };
                self.expect_punct(']')?;
                list.push(Suffix::Array(n));
            } else if self.eat_punct('(') {
                let mut params = Vec::new();
                let mut variadic = false;
                if !self.eat_punct(')') {
                    loop {
                        if self.peek() == Some(&Tok::Ellipsis) {
                            self.pos += 1;
                            variadic = true;
                        } else {
                            let spec = self.specifiers()?;
                            let p = self.declarator(spec)?;
                            params.push(p);
                        }
                        if self.eat_punct(')') {
                            break;
                        }
                        self.expect_punct(',')?;
                    }
                }
                if params.len() == 1 && params[0].ty == CType::Void {
                    params.clear();
                }
                list.push(Suffix::Func(params, variadic));
            } else {
                break;
            }
        }
        let mut t = base;
        for s in list.into_iter().rev() {
            t = match s {
                Suffix::Array(n) => QType::new(CType::Array(Box::new(t), n)),
                Suffix::Func(params, variadic) => QType::new(CType::Func {
                    ret: Box::new(t),
                    params,
                    variadic,
                }),
            };
        }
        Ok(t)
    }
}

thread_local! {
    /// Names given to records that C leaves anonymous (a union defined inside a struct), by the
    /// location clang spells in their type (`union (unnamed union at ./deflate.h:73:5)`):
    /// `deflate.h:73:5` -> `ct_data_s_fc`.
    static ANON_RECORDS: std::cell::RefCell<std::collections::HashMap<String, String>> =
        Default::default();
}

/// Name the anonymous record defined at `file:line:col` (only the file's name counts: clang
/// spells the path as the including file found it).
pub fn name_anon_record(file: &str, line: u64, col: u64, name: &str) {
    let key = anon_key(file, line, col);
    ANON_RECORDS.with(|m| m.borrow_mut().insert(key, name.to_string()));
}

fn anon_key(file: &str, line: u64, col: u64) -> String {
    let base = std::path::Path::new(file)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{base}:{line}:{col}")
}

/// `union (unnamed union at ./deflate.h:73:5)` with the record's given name, `union ct_data_s_fc`.
fn name_anon_spellings(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("(unnamed ").or_else(|| rest.find("(anonymous ")) {
        let Some(j) = rest[i..].find(')') else { break };
        let inner = &rest[i + 1..i + j];
        let named = inner.rsplit_once(" at ").and_then(|(_, loc)| {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            let key = anon_key(parts.next()?, line, col);
            ANON_RECORDS.with(|m| m.borrow().get(&key).cloned())
        });
        // An anonymous member's type is spelled inside its parent (`union s::(anonymous at
        // a.c:1:22)`); C has no such scope, so the given name stands alone.
        let mut before = &rest[..i];
        if named.is_some() {
            while let Some(q) = before.strip_suffix("::") {
                let start = q
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(0, |k| k + 1);
                before = &q[..start];
            }
        }
        out.push_str(before);
        match named {
            Some(n) => out.push_str(&n),
            None => out.push_str(&rest[i..i + j + 1]),
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    out
}

/// Parse a clang type string.
pub fn parse_type(text: &str) -> Result<QType, String> {
    let named;
    let text = if text.contains("(unnamed ") || text.contains("(anonymous ") {
        named = name_anon_spellings(text);
        named.as_str()
    } else {
        text
    };
    // clang spells some things we do not need: attributes after function types.
    let clean = match text.find("__attribute__") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut p = Parser {
        toks: tokenize(clean)?,
        pos: 0,
        text,
    };
    let spec = p.specifiers()?;
    let t = p.declarator(spec)?;
    if p.pos != p.toks.len() {
        return p.err("trailing tokens");
    }
    Ok(t)
}

// ---- environment ---------------------------------------------------------------------------------

/// What a typedef name stands for, and where it was declared.
#[derive(Clone, Debug)]
pub struct TypedefInfo {
    pub target: QType,
    /// Declared in a system header (uint8_t, size_t, FILE...): never emitted, resolved to Rust
    /// primitives or the libc crate.
    pub system: bool,
}

#[derive(Clone, Debug)]
pub struct FieldInfo {
    pub name: String,
    pub ty: QType,
    /// `__attribute__((aligned(n)))` on the field.
    pub align: Option<u32>,
    /// A bit-field's width (`unsigned a : 3;`); an unnamed one (`int : 0;`) has an empty name.
    pub bits: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct RecordInfo {
    pub fields: Vec<FieldInfo>,
    pub union: bool,
    pub system: bool,
    /// `__attribute__((packed))` on the record: no padding, alignment 1.
    pub packed: bool,
}

#[derive(Clone, Debug)]
pub struct EnumInfo {
    pub signed: bool,
    pub system: bool,
}

/// Typedefs, records and enums of the whole program (all translation units), by name.
#[derive(Default, Debug)]
pub struct TypeEnv {
    pub typedefs: BTreeMap<String, TypedefInfo>,
    pub records: BTreeMap<String, RecordInfo>,
    pub enums: BTreeMap<String, EnumInfo>,
}

impl TypeEnv {
    /// Strip typedefs (and a top-level const) until a non-typedef type remains.
    pub fn canon(&self, t: &QType) -> QType {
        let mut cur = t.clone();
        let mut guard = 0;
        while let CType::Typedef(name) = &cur.ty {
            let Some(info) = self.typedefs.get(name) else {
                break;
            };
            let is_const = cur.is_const || info.target.is_const;
            cur = QType {
                ty: info.target.ty.clone(),
                is_const,
            };
            guard += 1;
            if guard > 64 {
                break;
            }
        }
        cur
    }

    /// Integer kind of an integer-like type (int types, enums, _Bool counts as unsigned char).
    pub fn int_kind(&self, t: &QType) -> Option<IntKind> {
        match self.canon(t).ty {
            CType::Int(k) => Some(k),
            CType::Enum(name) => Some(if self.enums.get(&name).is_some_and(|e| e.signed) {
                IntKind::Int
            } else {
                IntKind::UInt
            }),
            _ => None,
        }
    }

    pub fn is_pointer(&self, t: &QType) -> bool {
        matches!(self.canon(t).ty, CType::Pointer(_))
    }
    pub fn is_array(&self, t: &QType) -> bool {
        matches!(self.canon(t).ty, CType::Array(..))
    }
    pub fn is_float(&self, t: &QType) -> bool {
        matches!(
            self.canon(t).ty,
            CType::Float | CType::Double | CType::LongDouble
        )
    }
    pub fn is_bool(&self, t: &QType) -> bool {
        matches!(self.canon(t).ty, CType::Bool)
    }
    pub fn pointee(&self, t: &QType) -> Option<QType> {
        match self.canon(t).ty {
            CType::Pointer(p) => Some(*p),
            CType::Array(e, _) => Some(*e),
            _ => None,
        }
    }
    /// A pointer to a function type (possibly through typedefs).
    pub fn is_fn_pointer(&self, t: &QType) -> bool {
        match self.canon(t).ty {
            CType::Pointer(p) => matches!(self.canon(&p).ty, CType::Func { .. }),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_declarators() {
        let t = parse_type("const uint8_t (*)[3][11]").unwrap();
        let CType::Pointer(p) = t.ty else { panic!() };
        let CType::Array(inner, Some(3)) = p.ty else {
            panic!()
        };
        assert!(matches!(inner.ty, CType::Array(_, Some(11))));
        let t = parse_type("void (*)(uint8_t *, ptrdiff_t, const uint8_t *)").unwrap();
        let CType::Pointer(p) = t.ty else { panic!() };
        assert!(matches!(p.ty, CType::Func { .. }));
        let t = parse_type("const char *const[4]").unwrap();
        let CType::Array(e, Some(4)) = t.ty else {
            panic!()
        };
        assert!(e.is_const);
        assert_eq!(
            parse_type("unsigned long long").unwrap(),
            QType::int(IntKind::ULongLong)
        );
        assert_eq!(parse_type("unsigned").unwrap(), QType::int(IntKind::UInt));
        assert_eq!(parse_type("long").unwrap(), QType::int(IntKind::Long));
        let t = parse_type("int (Vp8BoolDecoder *, int)").unwrap();
        assert!(matches!(t.ty, CType::Func { .. }));
        let t = parse_type("int (*(*)[2])(void)").unwrap();
        let CType::Pointer(p) = t.ty else { panic!() };
        let CType::Array(e, Some(2)) = p.ty else {
            panic!("{p}")
        };
        assert!(matches!(e.ty, CType::Pointer(_)));
    }
}
