//! Bit-fields (`struct s { unsigned a : 3; int b : 5; char c; };`): the C layout of a struct
//! holding them, as byte-array storage fields with getter and setter methods, and the accesses.
//! (In a union each bit-field has a storage field of its own, at offset 0.)
//!
//! Each run of consecutive bit-fields becomes one field `_bitfield_K: [u8; N]` that starts where
//! the run starts (right after the member before it, where `repr(C)` puts a byte array) and ends
//! at the run's last bit; its bit-fields are placed by the System V x86-64 rules that gcc and
//! clang follow: a bit-field starts at the next free bit unless it would then cross a boundary of
//! its declared type's alignment, where it starts instead; `T : 0` moves to that boundary; a
//! named bit-field gives the struct its declared type's alignment, an unnamed one does not. The
//! struct gets that alignment with `repr(C, align(N))`, and the generated module asserts at
//! compile time that the size, the alignment and each storage field's offset are the ones
//! computed here, so a layout this module got wrong cannot build.
//!
//! `s.a` reads `s.a()`, `s.a = v` is `s.set_a(v)`, and `s.a += v`, `s.a++` read once and write
//! once through them. The methods are `const fn`, so initializers of statics can call them.

use super::*;
use crate::ctype::{FieldInfo, RecordInfo};

/// Where a bit-field's bits are.
#[derive(Clone, Debug)]
pub(super) struct BitPlace {
    /// The storage field's name.
    storage: String,
    /// The first byte of the storage holding the field's bits, and how many bytes (at most 8:
    /// a bit-field never crosses an aligned unit of its declared type).
    first: usize,
    bytes: usize,
    /// Its lowest bit within those bytes (little-endian), and its width.
    shift: u32,
    width: u32,
}

/// One member of the Rust struct, in order.
enum Slot {
    /// The C member `rec.fields[i]`.
    Field(usize),
    /// A storage field for a run of bit-fields: name, bytes, byte offset.
    Storage(String, u64, u64),
}

/// The layout of a struct with bit-fields.
struct Layout {
    slots: Vec<Slot>,
    places: Vec<(usize, BitPlace)>,
    size: u64,
    align: u64,
}

impl<'p, 'a> ModCx<'p, 'a> {
    /// The C size and alignment of a type, where this module can know it.
    fn c_size_align(&self, q: &QType) -> Option<(u64, u64)> {
        // A C library type held by value: its glibc x86-64 size and alignment, when listed.
        // (The module's layout assertion would fail to build if the libc crate disagreed.)
        let mut t = q.clone();
        let mut guard = 0;
        loop {
            let name = match &t.ty {
                CType::Typedef(n) => n.clone(),
                CType::Record { name, .. } => name.clone(),
                _ => break,
            };
            let system = match &t.ty {
                CType::Typedef(n) => self.env().typedefs.get(n).is_some_and(|i| i.system),
                _ => self.env().records.get(&name).is_some_and(|r| r.system),
            };
            if system {
                if let Some(sa) = libc_layout(&name) {
                    return Some(sa);
                }
            }
            match (&t.ty, self.env().typedefs.get(&name)) {
                (CType::Typedef(_), Some(i)) if guard < 32 => {
                    t = i.target.clone();
                    guard += 1;
                }
                _ => break,
            }
        }
        let c = self.env().canon(q);
        Some(match &c.ty {
            CType::Bool => (1, 1),
            CType::Int(k) => (u64::from(k.bits() / 8), u64::from(k.bits() / 8)),
            CType::Enum(_) => (4, 4),
            CType::Float => (4, 4),
            CType::Double | CType::Pointer(_) => (8, 8),
            CType::Array(e, n) => {
                let (s, a) = self.c_size_align(e)?;
                (s * n.unwrap_or(0), a)
            }
            CType::Atomic(t) => self.c_size_align(t)?,
            CType::Record { name, union } => {
                let rec = self.env().records.get(name)?;
                if rec.system {
                    return None;
                }
                if rec.fields.iter().any(|f| f.bits.is_some()) {
                    let l = self.layout(rec).ok()?;
                    return Some((l.size, l.align));
                }
                let (mut size, mut align) = (0u64, 1u64);
                for f in &rec.fields {
                    let (s, a) = self.c_size_align(&f.ty)?;
                    let a = if rec.packed {
                        1
                    } else {
                        a.max(u64::from(f.align.unwrap_or(1)))
                    };
                    align = align.max(a);
                    size = if *union {
                        size.max(s)
                    } else {
                        size.next_multiple_of(a) + s
                    };
                }
                (size.next_multiple_of(align), align)
            }
            _ => return None,
        })
    }

    /// The declared type's size in bytes, for a bit-field (an integer, `_Bool` or enum).
    fn bit_unit(&self, f: &FieldInfo) -> Option<u64> {
        let c = self.env().canon(&f.ty);
        match c.ty {
            CType::Bool => Some(1),
            CType::Int(k) if k.bits() <= 64 => Some(u64::from(k.bits() / 8)),
            CType::Enum(_) => Some(4),
            _ => None,
        }
    }

    /// Lays out a struct with bit-fields (module doc).
    fn layout(&self, rec: &RecordInfo) -> Result<Layout, String> {
        if rec.union {
            return self.union_layout(rec);
        }
        let taken: HashSet<&str> = rec.fields.iter().map(|f| f.name.as_str()).collect();
        let mut slots = Vec::new();
        let mut places = Vec::new();
        let (mut pos, mut align) = (0u64, 1u64); // pos in bits
        let mut runs = 0;
        // The open run: its first byte and its storage field's name.
        let mut run: Option<(u64, String)> = None;
        let close = |run: &mut Option<(u64, String)>, pos: u64, slots: &mut Vec<Slot>| {
            if let Some((start, name)) = run.take() {
                slots.push(Slot::Storage(name, pos.div_ceil(8) - start, start));
            }
        };
        for (i, f) in rec.fields.iter().enumerate() {
            let Some(w) = f.bits else {
                close(&mut run, pos, &mut slots);
                let (s, a) = self
                    .c_size_align(&f.ty)
                    .ok_or_else(|| format!("the layout of member `{}` is unknown", f.name))?;
                if rec.packed && f.align.is_some() {
                    return Err(format!("member `{}` is aligned in a packed record", f.name));
                }
                // A packed record's members start at the next byte.
                let a = if rec.packed {
                    1
                } else {
                    a.max(u64::from(f.align.unwrap_or(1)))
                };
                align = align.max(a);
                pos = (pos.div_ceil(8).next_multiple_of(a) + s) * 8;
                slots.push(Slot::Field(i));
                continue;
            };
            let unit = self
                .bit_unit(f)
                .ok_or_else(|| format!("bit-field `{}` is not of an integer type", f.name))?;
            if f.align.is_some() {
                return Err(format!("bit-field `{}` is aligned", f.name));
            }
            let ubits = unit * 8;
            if u64::from(w) > ubits {
                return Err(format!("bit-field `{}` is wider than its type", f.name));
            }
            let (start, storage) = run
                .get_or_insert_with(|| {
                    let mut name = format!("_bitfield_{runs}");
                    while taken.contains(name.as_str()) {
                        name.insert(0, '_');
                    }
                    runs += 1;
                    (pos.div_ceil(8), name)
                })
                .clone();
            if w == 0 {
                // Also in a packed record (gcc and clang agree).
                pos = pos.next_multiple_of(ubits);
                continue;
            }
            // A packed record's bit-fields start at the next free bit, crossing units.
            if !rec.packed && pos / ubits != (pos + u64::from(w) - 1) / ubits {
                pos = pos.next_multiple_of(ubits);
            }
            if !f.name.is_empty() {
                if !rec.packed {
                    align = align.max(unit);
                }
                let rel = pos - start * 8;
                let (first, last) = (rel / 8, (rel + u64::from(w) - 1) / 8);
                places.push((
                    i,
                    BitPlace {
                        storage,
                        first: first as usize,
                        bytes: (last - first + 1) as usize,
                        shift: (rel % 8) as u32,
                        width: w,
                    },
                ));
            }
            pos += u64::from(w);
        }
        close(&mut run, pos, &mut slots);
        let size = pos.div_ceil(8).next_multiple_of(align);
        Ok(Layout {
            slots,
            places,
            size,
            align,
        })
    }

    /// A union with bit-fields: each bit-field its own storage at offset 0 (the low bits of the
    /// union's first bytes), giving the union its declared type's alignment.
    fn union_layout(&self, rec: &RecordInfo) -> Result<Layout, String> {
        let taken: HashSet<&str> = rec.fields.iter().map(|f| f.name.as_str()).collect();
        let (mut slots, mut places) = (Vec::new(), Vec::new());
        let (mut size, mut align) = (0u64, 1u64);
        let mut unnamed = 0;
        for (i, f) in rec.fields.iter().enumerate() {
            let Some(w) = f.bits else {
                let (s, a) = self
                    .c_size_align(&f.ty)
                    .ok_or_else(|| format!("the layout of member `{}` is unknown", f.name))?;
                if rec.packed && f.align.is_some() {
                    return Err(format!("member `{}` is aligned in a packed record", f.name));
                }
                if !rec.packed {
                    align = align.max(a.max(u64::from(f.align.unwrap_or(1))));
                }
                size = size.max(s);
                slots.push(Slot::Field(i));
                continue;
            };
            let unit = self.bit_unit(f).ok_or_else(|| {
                format!("bit-field `{}` is not of an integer type", display_name(f))
            })?;
            if f.align.is_some() || u64::from(w) > unit * 8 {
                return Err(format!(
                    "bit-field `{}` is aligned or wider than its type",
                    display_name(f)
                ));
            }
            let bytes = u64::from(w).div_ceil(8);
            if f.name.is_empty() {
                // An unnamed bit-field gives the union its bytes (`int : 20` three), not its
                // type's alignment; `T : 0` gives nothing. Its storage has no accessors.
                if w > 0 {
                    let mut name = format!("_bitfield_unnamed_{unnamed}");
                    unnamed += 1;
                    while taken.contains(name.as_str()) {
                        name.insert(0, '_');
                    }
                    size = size.max(bytes);
                    slots.push(Slot::Storage(name, bytes, 0));
                }
                continue;
            }
            if w == 0 {
                return Err(format!("bit-field `{}` has width 0", f.name));
            }
            let mut name = format!("_bitfield_{}", f.name);
            while taken.contains(name.as_str()) {
                name.insert(0, '_');
            }
            if !rec.packed {
                align = align.max(unit);
            }
            size = size.max(bytes);
            slots.push(Slot::Storage(name.clone(), bytes, 0));
            places.push((
                i,
                BitPlace {
                    storage: name,
                    first: 0,
                    bytes: bytes as usize,
                    shift: 0,
                    width: w,
                },
            ));
        }
        Ok(Layout {
            slots,
            places,
            size: size.next_multiple_of(align),
            align,
        })
    }

    /// Does a value of this type hold a bit-field (a record with bit-fields, an array of them,
    /// a member that holds one)?
    pub(super) fn holds_bitfields(&self, q: &QType) -> bool {
        let c = self.env().canon(q);
        match &c.ty {
            CType::Array(e, _) => self.holds_bitfields(e),
            CType::Record { name, .. } => self.env().records.get(name).is_some_and(|r| {
                self.has_bitfields(r) || r.fields.iter().any(|f| self.holds_bitfields(&f.ty))
            }),
            _ => false,
        }
    }

    /// A C library allocation converted straight to a pointer to a record holding bit-fields
    /// (`struct s *p = malloc(sizeof *p);`). A bit-field setter reads the bytes it shares with
    /// other bit-fields (it keeps their bits), and the bytes `malloc` returns are uninitialized:
    /// reading them is undefined behaviour in Rust where C only gets unspecified bits. So
    /// `malloc(n)` becomes `calloc(1, n)`, whose bytes are zero, as a local or static record is
    /// (zero-initialized when C leaves it uninitialized). `realloc` and `aligned_alloc` would
    /// leave bytes uninitialized too: refused. `None`: not such a call.
    pub(super) fn bitfield_alloc(
        &mut self,
        f: &mut FnCx,
        n: &Node,
        inner: &Node,
        t: &RTy,
    ) -> TResult<Option<TE>> {
        let call = strip_parens(inner);
        if ast::kind(call) != "CallExpr" {
            return Ok(None);
        }
        let parts = ast::inner(call);
        let Some(name) = direct_callee_name(call) else {
            return Ok(None);
        };
        let libc = matches!(
            self.prog.lookup_fn(self.tu, &name).map(|i| &i.owner),
            Some(Owner::Libc)
        );
        if !libc || !matches!(name.as_str(), "malloc" | "realloc" | "aligned_alloc") {
            return Ok(None);
        }
        let q = self.qtype(n)?;
        let Some(pointee) = self.env().pointee(&q) else {
            return Ok(None);
        };
        if !self.holds_bitfields(&pointee) {
            if name == "malloc" {
                if let Some(id) = ast::str_field(call, "id") {
                    f.typed_allocs.insert(id.to_string());
                }
            }
            return Ok(None);
        }
        if name != "malloc" {
            return err(
                call,
                &format!("{name} of a record with bit-fields"),
                "its bytes would be uninitialized where the bit-field setters read them (use malloc or calloc, or memset it)",
            );
        }
        let e = self.zeroed_malloc(f, call, &parts[1..])?;
        let e = self.coerce(e, t, false);
        Ok(Some(TE::new(e, t.clone())))
    }

    /// `malloc(n)` as `calloc(1, n)`: the same bytes, zeroed.
    fn zeroed_malloc(&mut self, f: &mut FnCx, call: &Node, args: &[Node]) -> TResult<TE> {
        self.uses_libc = true;
        let fe = RExpr::Path(path("libc::calloc"));
        let size = self.call_args(f, call, args, &[RTy::Prim("usize")], false)?;
        let mut a = vec![RExpr::lit(1, "usize")];
        a.extend(size);
        let vt = self.node_rty(call)?;
        Ok(TE::new(RExpr::call(fe, a), vt))
    }

    /// A `malloc` whose result is not converted straight to a typed pointer: kept as `void *`
    /// (`void *p = malloc(n);`, an allocator wrapper's `return malloc(n);`, a zlib-style
    /// `zalloc` callback), so it may become a record with bit-fields later, out of the
    /// translation's sight, whose setters would read its uninitialized bytes. In a program
    /// that defines a record with bit-fields such a call is `calloc(1, n)` too; one converted
    /// at once to a pointer to another type (`char *buf = malloc(n)`) stays `malloc`, and a
    /// program without bit-fields is not touched. `None`: not such a call.
    pub(super) fn untyped_malloc(
        &mut self,
        f: &mut FnCx,
        call: &Node,
        name: &str,
        args: &[Node],
    ) -> TResult<Option<TE>> {
        if name != "malloc"
            || ast::str_field(call, "id").is_some_and(|id| f.typed_allocs.contains(id))
            || !matches!(
                self.prog.lookup_fn(self.tu, name).map(|i| &i.owner),
                Some(Owner::Libc)
            )
        {
            return Ok(None);
        }
        let env = self.env();
        let bitfields = env
            .records
            .values()
            .any(|r| !r.system && self.has_bitfields(r));
        if !bitfields {
            return Ok(None);
        }
        self.zeroed_malloc(f, call, args).map(Some)
    }

    /// Does the record have bit-fields?
    pub(super) fn has_bitfields(&self, rec: &RecordInfo) -> bool {
        rec.fields.iter().any(|f| f.bits.is_some())
    }

    /// A struct with bit-fields: its fields, accessor methods and layout assertions.
    pub(super) fn bitfield_record(
        &mut self,
        name: &str,
        n: &Node,
        rec: &RecordInfo,
        field_tokens: &[TokenStream],
        derive: TokenStream,
    ) -> TResult<TokenStream> {
        let doc = self.doc(n);
        let record_align = aligned_attr(n);
        let l = self.layout(rec).map_err(|m| TErr {
            pos: ast::pos(n),
            construct: "bit-field".into(),
            msg: m,
        })?;
        let id = ident(name);
        let mut fields = Vec::new();
        let mut asserts = Vec::new();
        let mut natural = 1u64;
        for s in &l.slots {
            match s {
                Slot::Field(i) => {
                    fields.push(field_tokens[*i].clone());
                    natural =
                        natural.max(self.c_size_align(&rec.fields[*i].ty).map_or(1, |(_, a)| a));
                }
                Slot::Storage(sname, bytes, offset) => {
                    let sid = ident(sname);
                    let b = Literal::u64_unsuffixed(*bytes);
                    let o = Literal::u64_unsuffixed(*offset);
                    fields.push(quote!(pub #sid: [u8; #b]));
                    if !rec.union {
                        asserts.push(quote!(core::mem::offset_of!(#id, #sid) == #o));
                    }
                }
            }
        }
        let align = l.align.max(u64::from(record_align.unwrap_or(1)));
        let size = l.size.next_multiple_of(align);
        let repr = if rec.packed {
            quote!(#[repr(C, packed)])
        } else if align > natural {
            let a = Literal::u64_unsuffixed(align);
            quote!(#[repr(C, align(#a))])
        } else {
            quote!(#[repr(C)])
        };
        let mut methods = Vec::new();
        for (i, p) in &l.places {
            let f = &rec.fields[*i];
            let t = self.rty(n, &f.ty)?;
            // The member's C comment documents its getter.
            let fdoc = ast::inner(n)
                .iter()
                .find(|c| ast::kind(c) == "FieldDecl" && ast::name(c) == Some(f.name.as_str()))
                .map(|c| self.doc(c))
                .unwrap_or_default();
            methods.push(self.accessors(f, p, &t, fdoc, rec.union));
        }
        // An impl with no method (a union whose only bit-fields are unnamed) is left out.
        let methods = if methods.is_empty() {
            quote!()
        } else {
            quote!(impl #id { #(#methods)* })
        };
        let (size, align) = (
            Literal::u64_unsuffixed(size),
            Literal::u64_unsuffixed(align),
        );
        let kind = if rec.union { "union" } else { "struct" };
        let msg = format!("{kind} {name}: not the C layout");
        let item = if rec.union {
            quote!(pub union #id { #(#fields),* })
        } else {
            quote!(pub struct #id { #(#fields),* })
        };
        Ok(quote! {
            #doc
            #repr
            #derive
            #item
            #methods
            // The C layout (bitfields.rs), checked when the crate builds.
            const _: () = if !(core::mem::size_of::<#id>() == #size
                && core::mem::align_of::<#id>() == #align
                #(&& #asserts)*)
            {
                panic!(#msg)
            };
        })
    }

    /// The getter `a()` and setter `set_a(v)` of one bit-field.
    fn accessors(
        &self,
        f: &FieldInfo,
        p: &BitPlace,
        t: &RTy,
        fdoc: TokenStream,
        union: bool,
    ) -> TokenStream {
        let s = ident(&p.storage);
        // The bytes holding the field, little-endian, as one u64.
        let terms: Vec<TokenStream> = (0..p.bytes)
            .map(|k| {
                let idx = Literal::usize_unsuffixed(p.first + k);
                if k == 0 {
                    quote!(self.#s[#idx] as u64)
                } else {
                    let sh = Literal::usize_unsuffixed(8 * k);
                    quote!(((self.#s[#idx] as u64) << #sh))
                }
            })
            .collect();
        let read = if terms.len() == 1 {
            terms[0].clone()
        } else {
            quote!(#(#terms)|*)
        };
        let mask = if p.width == 64 {
            u64::MAX
        } else {
            (1u64 << p.width) - 1
        };
        let mask_lit = hex(mask);
        let bits = if p.shift == 0 {
            quote!((#read) & #mask_lit)
        } else {
            let shift = Literal::u32_unsuffixed(p.shift);
            quote!((#read) >> #shift & #mask_lit)
        };
        let q = self.env().canon(&f.ty);
        let value = match q.ty {
            CType::Bool => quote!(v != 0),
            _ if self.env().int_kind(&f.ty).is_some_and(|k| k.signed()) => {
                // Sign-extend the field's top bit.
                let up = Literal::u32_unsuffixed(64 - p.width);
                quote!(((v << #up) as i64 >> #up) as #t)
            }
            _ => quote!(v as #t),
        };
        let getter = ident(&f.name);
        let setter = ident(&format!("set_{}", f.name));
        // The setter writes each byte the field covers: a byte wholly the field's is written
        // without being read; a byte it shares with other bit-fields (or unused bits) keeps
        // their bits, read first. That read is of bytes a C program may never have written
        // (a `malloc`ed record): `malloc` converted to such a record is `calloc` (exprs.rs).
        let writes: Vec<TokenStream> = (0..p.bytes)
            .map(|k| {
                let idx = Literal::usize_unsuffixed(p.first + k);
                let lo = 8 * k as u32;
                let bits = (mask << p.shift >> lo) & 0xff;
                let part = match (k, p.shift) {
                    (0, 0) => quote!(v as u8),
                    (0, s) => {
                        let s = Literal::u32_unsuffixed(s);
                        quote!((v << #s) as u8)
                    }
                    (_, s) => {
                        let s = Literal::u32_unsuffixed(lo - s);
                        quote!((v >> #s) as u8)
                    }
                };
                if bits == 0xff {
                    quote!(self.#s[#idx] = #part;)
                } else {
                    let keep = hex(!bits & 0xff);
                    quote!(self.#s[#idx] = self.#s[#idx] & #keep | #part;)
                }
            })
            .collect();
        let doc = format!(
            " Bit-field `{}`: {} bit{} of `{}` from bit {} of byte {}.",
            f.name,
            p.width,
            if p.width == 1 { "" } else { "s" },
            p.storage,
            p.shift,
            p.first
        );
        let get = quote! {
            let v = #bits;
            #value
        };
        let set = quote! {
            let v = x as u64 & #mask_lit;
            #(#writes)*
        };
        // A union's bytes are read and written through its fields: unsafe in Rust (any
        // member's bytes are valid `u8`s here).
        let (get, set) = if union {
            (quote!(unsafe { #get }), quote!(unsafe { #set }))
        } else {
            (get, set)
        };
        let sep = if fdoc.is_empty() {
            quote!()
        } else {
            quote!(#[doc = ""])
        };
        quote! {
            #fdoc
            #sep
            #[doc = #doc]
            #[inline]
            pub const fn #getter(&self) -> #t {
                #get
            }
            #[inline]
            pub const fn #setter(&mut self, x: #t) {
                #set
            }
        }
    }

    /// Is `n` a bit-field (`s.a`, `p->a` of a struct with bit-fields)?
    pub(super) fn is_bitfield_place(&self, n: &Node) -> bool {
        let n = strip_parens(n);
        if ast::kind(n) != "MemberExpr" {
            return false;
        }
        let Some(name) = ast::name(n).filter(|s| !s.is_empty()) else {
            return false;
        };
        let Ok(bq) = self.qtype(&ast::inner(n)[0]) else {
            return false;
        };
        let rq = if ast::bool_field(n, "isArrow") {
            match self.env().pointee(&bq) {
                Some(q) => q,
                None => return false,
            }
        } else {
            bq
        };
        match self.env().canon(&rq).ty {
            CType::Record { name: r, .. } => self
                .env()
                .records
                .get(&r)
                .is_some_and(|r| r.fields.iter().any(|f| f.name == name && f.bits.is_some())),
            _ => false,
        }
    }

    /// `s.a = v` for the bit-field `n`: `s.set_a(v)`.
    pub(super) fn bitfield_store(&mut self, f: &mut FnCx, n: &Node, v: RExpr) -> TResult<RExpr> {
        let n = strip_parens(n);
        let base_n = &ast::inner(n)[0];
        let base = self.expr(f, base_n)?;
        let b = if ast::bool_field(n, "isArrow") {
            base.e.deref()
        } else {
            base.e
        };
        let name = ast::name(n).unwrap_or("");
        Ok(RExpr::call(b.field(&format!("set_{name}")), vec![v]))
    }

    /// An initializer list for a struct with bit-fields: a zeroed value whose members are then
    /// set one by one (`{ let mut v: S = zeroed(); v.x = 1; v.set_a(2); v }`), since a struct
    /// literal cannot name the bits. clang's list holds the named members only.
    pub(super) fn bitfield_init(
        &mut self,
        f: &mut FnCx,
        rec: &RecordInfo,
        rt: &RTy,
        items: &[&Node],
    ) -> TResult<RExpr> {
        let tmp = ident(&f.tmp());
        let zero = zeroed(f.const_ctx);
        let mut stmts = vec![quote!(let mut #tmp: #rt = #zero;)];
        let named = rec.fields.iter().filter(|fi| !fi.name.is_empty());
        for (fi, it) in named.zip(items.iter()) {
            let v = self.init_value(f, it, &fi.ty)?;
            let fid = ident(&fi.name);
            if fi.bits.is_some() {
                let set = ident(&format!("set_{}", fi.name));
                stmts.push(quote!(#tmp.#set(#v);));
            } else if let Some(a) = fi.align {
                let w =
                    proc_macro2::Ident::new(&format!("Align{a}"), proc_macro2::Span::call_site());
                stmts.push(quote!(#tmp.#fid = crate::#w(#v);));
            } else {
                stmts.push(quote!(#tmp.#fid = #v;));
            }
        }
        Ok(RExpr::Block(
            stmts,
            Some(Box::new(RExpr::tokens(quote!(#tmp)))),
        ))
    }
}

/// The size and alignment of the C library types a record with bit-fields may hold by value,
/// on x86-64 glibc: their layout is not in clang's tree. The threading objects (`<pthread.h>`,
/// `<semaphore.h>`), and the structs and typedefs of `<time.h>`, `<sys/time.h>`,
/// `<sys/stat.h>`, `<signal.h>`, `<sys/select.h>`, `<poll.h>`, `<sys/resource.h>`,
/// `<sys/uio.h>`, `<termios.h>`, `<sys/ioctl.h>`, `<dirent.h>`, `<sys/socket.h>`,
/// `<netinet/in.h>`, `<sys/un.h>` and `<wchar.h>` that a C program commonly holds
/// in its own records (measured with gcc's `sizeof` and `_Alignof`; the libc crate defines each
/// under the same name, and the generated module's layout assertion would not build if the
/// two disagreed). Others are refused (`the layout of member … is unknown`).
fn libc_layout(name: &str) -> Option<(u64, u64)> {
    Some(match name {
        "pthread_mutex_t" => (40, 8),
        "pthread_cond_t" => (48, 8),
        "pthread_rwlock_t" | "pthread_attr_t" => (56, 8),
        "pthread_mutexattr_t" | "pthread_condattr_t" => (4, 4),
        "pthread_barrier_t" => (32, 8),
        "sem_t" => (32, 8),
        "timespec" | "timeval" | "rlimit" | "iovec" => (16, 8),
        "itimerspec" | "itimerval" => (32, 8),
        "tm" => (56, 8),
        "stat" | "rusage" => (144, 8),
        "sigset_t" | "fd_set" | "sockaddr_storage" => (128, 8),
        "sigaction" => (152, 8),
        "dirent" => (280, 8),
        "pollfd" | "mbstate_t" => (8, 4),
        "termios" => (60, 4),
        "winsize" => (8, 2),
        "sockaddr" => (16, 2),
        "sockaddr_in" | "in6_addr" => (16, 4),
        "sockaddr_in6" => (28, 4),
        "sockaddr_un" => (110, 2),
        "in_addr" => (4, 4),
        _ => return None,
    })
}

/// A bit-field's name for messages (`<unnamed>` for `int : 3`).
fn display_name(f: &FieldInfo) -> &str {
    if f.name.is_empty() {
        "<unnamed>"
    } else {
        &f.name
    }
}

/// A mask as a hexadecimal literal.
fn hex(v: u64) -> TokenStream {
    format!("{v:#x}").parse().unwrap_or_default()
}
