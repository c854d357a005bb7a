//! Module-level items: records, enums, typedefs, globals and function definitions.

use super::*;

impl<'p, 'a> ModCx<'p, 'a> {
    pub fn item(&mut self, kind: ItemKind, name: &str, n: &Node) -> TResult<TokenStream> {
        match kind {
            ItemKind::Macro => {
                let c = self.prog.macro_consts.get(name).cloned().unwrap();
                let t = self.rty(n, &c.ty)?;
                let lit = RExpr::Lit {
                    text: c.text.clone(),
                    ty: t.prim().unwrap_or("i32"),
                    force_suffix: false,
                };
                let id = ident(name);
                let own = self
                    .prog
                    .source(&c.file)
                    .map(|text| macro_comment(&text, c.offset as usize))
                    .unwrap_or_default();
                let origin = vec![format!("`#define {name}` in {}.", c.file)];
                let doc = doc_attrs(&paragraphs([own, origin]));
                Ok(quote!(#doc pub const #id: #t = #lit;))
            }
            ItemKind::Typedef => self.typedef_item(name, n),
            ItemKind::Record => self.record_item(name, n),
            ItemKind::Enum => self.enum_item(name, n),
            ItemKind::Function => self.function_item(name, n),
            ItemKind::Global => self.global_item(name, n, true),
        }
    }

    pub(super) fn typedef_item(&mut self, name: &str, n: &Node) -> TResult<TokenStream> {
        let info = self.env().typedefs.get(name).cloned().unwrap();
        let target = self.param_or_plain(n, &info.target)?;
        let id = ident(name);
        let doc = self.doc(n);
        Ok(quote!(#doc pub type #id = #target;))
    }

    pub(super) fn param_or_plain(&mut self, n: &Node, q: &QType) -> TResult<RTy> {
        // A typedef of a function type (not a pointer) is used behind pointers only.
        if let CType::Func { .. } = self.env().canon(q).ty {
            return err(
                n,
                "typedef of a function type",
                "typedef the function pointer type instead",
            );
        }
        self.rty(n, q)
    }

    pub(super) fn record_item(&mut self, name: &str, n: &Node) -> TResult<TokenStream> {
        let rec = self.env().records.get(name).cloned().unwrap();
        let mut fields = Vec::new();
        // Atomics are not `Copy`: a struct holding one is neither (C code copying it is refused
        // where the copy is translated).
        let copyable = !self.contains_atomic(&QType::new(CType::Record {
            name: name.to_string(),
            union: rec.union,
        }));
        for (k, f) in rec.fields.iter().enumerate() {
            if f.bits.is_some() {
                // Stored in the bytes of its run (bitfields.rs); a placeholder keeps the index.
                fields.push(quote!());
                continue;
            }
            let mut t = match &self.env().canon(&f.ty).ty {
                // A flexible array member, `T data[];` last in a struct: `[T; 0]` has C's
                // layout (the member's offset and alignment, no size of its own); its elements
                // are reached through `data.as_mut_ptr()` (exprs.rs).
                CType::Array(e, None) if !rec.union && k + 1 == rec.fields.len() => {
                    RTy::Array(Box::new(self.rty(n, e)?), 0)
                }
                _ => self.rty(n, &f.ty)?,
            };
            if let Some(a) = f.align {
                self.aligns.insert(a);
                t = RTy::Aligned(a, Box::new(t));
            }
            let fname = ident(&f.name);
            let fdoc = ast::inner(n)
                .iter()
                .find(|c| ast::kind(c) == "FieldDecl" && ast::name(c) == Some(f.name.as_str()))
                .map(|c| self.doc(c))
                .unwrap_or_default();
            fields.push(quote!(#fdoc pub #fname: #t));
        }
        let derive = if copyable {
            quote!(#[derive(Clone, Copy)])
        } else {
            quote!()
        };
        let id = ident(name);
        let doc = self.doc(n);
        // `packed` and a record-level `aligned(N)` change the layout: keep it the C compiler's.
        let packed = rec.packed;
        if packed && crate::program::aligned_attr(n).is_some() {
            return err(
                n,
                "packed and aligned struct",
                "a struct both packed and aligned has no Rust repr",
            );
        }
        if self.has_bitfields(&rec) {
            // `packed` on one member changes where its bits go: not computed here.
            if let Some(m) = ast::inner(n).iter().find(|m| {
                ast::kind(m) == "FieldDecl"
                    && ast::inner(m).iter().any(|a| ast::kind(a) == "PackedAttr")
            }) {
                return err(
                    m,
                    "packed member beside bit-fields",
                    "a member's own packed attribute changes the bit-field layout: not translated",
                );
            }
            return self.bitfield_record(name, n, &rec, &fields, derive);
        }
        let repr = match (packed, crate::program::aligned_attr(n)) {
            (true, Some(_)) => {
                return err(
                    n,
                    "packed and aligned struct",
                    "a struct both packed and aligned has no Rust repr",
                );
            }
            (true, None) => quote!(#[repr(C, packed)]),
            (false, Some(a)) => {
                let a = proc_macro2::Literal::u32_unsuffixed(a);
                quote!(#[repr(C, align(#a))])
            }
            (false, None) => quote!(#[repr(C)]),
        };
        if rec.union {
            Ok(quote! {
                #doc
                #repr
                #derive
                pub union #id { #(#fields),* }
            })
        } else {
            Ok(quote! {
                #doc
                #repr
                #derive
                pub struct #id { #(#fields),* }
            })
        }
    }

    /// Does a value of this type hold an `_Atomic` object (directly, in an array or a member)?
    pub(super) fn contains_atomic(&self, q: &QType) -> bool {
        let c = self.env().canon(q);
        match &c.ty {
            CType::Atomic(_) => true,
            CType::Array(e, _) => self.contains_atomic(e),
            CType::Record { name, .. } => self
                .env()
                .records
                .get(name)
                .is_some_and(|r| r.fields.iter().any(|f| self.contains_atomic(&f.ty))),
            _ => false,
        }
    }

    pub(super) fn enum_item(&mut self, name: &str, n: &Node) -> TResult<TokenStream> {
        let mut out = TokenStream::new();
        let signed = self.env().enums.get(name).is_some_and(|e| e.signed);
        if !name.is_empty() {
            let id = ident(name);
            let t = RTy::Prim(if signed { "i32" } else { "u32" });
            let doc = self.doc(n);
            out.extend(quote!(#doc pub type #id = #t;));
        }
        let mut prev: Option<String> = None;
        // Enumerators have their enum's type, so `kind != LF_SIMPLE` needs no cast.
        let ty = if signed || name.is_empty() {
            "i32"
        } else {
            "u32"
        };
        let rty = RTy::Prim(ty);
        let ty_name = if name.is_empty() {
            quote!(i32)
        } else {
            let id = ident(name);
            quote!(#id)
        };
        for c in ast::inner(n) {
            if ast::kind(c) != "EnumConstantDecl" {
                continue;
            }
            let cname = ast::name(c).unwrap_or("");
            let value = match ast::inner(c).iter().find(|x| ast::kind(x) != "FullComment") {
                Some(init) => {
                    let init = strip_constant(init);
                    let mut f = FnCx::new_const();
                    let te = self.expr(&mut f, init)?;
                    self.coerce(te, &rty, true)
                }
                None => match &prev {
                    Some(p) => RExpr::binary("+", RExpr::path(p), RExpr::lit(1, ty)),
                    None => RExpr::lit(0, ty),
                },
            };
            prev = Some(cname.to_string());
            let id = ident(cname);
            // An anonymous enum has no item of its own for its comment: its first enumerator
            // takes it.
            let doc = if name.is_empty() && prev.as_deref() == Some(cname) && out.is_empty() {
                doc_attrs(&paragraphs([
                    self.doc_lines(self.tu, n),
                    self.doc_lines(self.tu, c),
                ]))
            } else {
                self.doc(c)
            };
            out.extend(quote!(#doc pub const #id: #ty_name = #value;));
        }
        Ok(out)
    }

    pub(super) fn global_item(
        &mut self,
        name: &str,
        n: &Node,
        module_level: bool,
    ) -> TResult<TokenStream> {
        let q = self.qtype(n)?;
        let mut t = self.rty(n, &q)?;
        if let Some(a) = aligned_attr(n) {
            self.aligns.insert(a);
            t = RTy::Aligned(a, Box::new(t));
        }
        let mut f = FnCx::new_const();
        let init = match ast::inner(n).iter().rev().find(|c| !is_attr(c)) {
            Some(init) if ast::str_field(n, "init").is_some() => {
                self.init_value(&mut f, init, &q)?
            }
            _ => self.zero_value(n, &q, true)?,
        };
        let init = match &t {
            RTy::Aligned(a, _) => {
                let id =
                    proc_macro2::Ident::new(&format!("Align{a}"), proc_macro2::Span::call_site());
                RExpr::tokens(quote!(crate::#id(#init)))
            }
            _ => init,
        };
        let id = ident(name);
        let is_mut = !self.prog.is_immutable(&q);
        let vis = if module_level
            && (ast::str_field(n, "storageClass") != Some("static") || self.module_is_header())
        {
            quote!(pub)
        } else {
            quote!()
        };
        let doc = if module_level {
            let is_static = ast::str_field(n, "storageClass") == Some("static");
            self.definition_doc(name, n, is_static)
        } else {
            self.doc(n)
        };
        if ast::str_field(n, "tls").is_some() {
            if !module_level {
                return err(
                    n,
                    "_Thread_local",
                    "function-local thread-local statics are not supported",
                );
            }
            // One copy per thread, reached through `Cell::as_ptr` like any C object.
            Ok(quote! {
                thread_local! {
                    #doc #vis static #id: core::cell::Cell<#t> = const { core::cell::Cell::new(#init) };
                }
            })
        } else if is_mut {
            Ok(quote!(#doc #vis static mut #id: #t = #init;))
        } else {
            Ok(quote!(#doc #vis static #id: #t = #init;))
        }
    }

    /// `#[doc = ...]` lines from the comment clang attached to a declaration
    /// (`-fparse-all-comments`), taken verbatim from the source file.
    pub(super) fn doc(&self, n: &Node) -> TokenStream {
        doc_attrs(&self.doc_lines(self.tu, n))
    }

    /// The doc of a function or object definition: the comments of its declarations that
    /// define nothing (a header's prototype documents the API, `program.rs` `decl_docs`), then
    /// its own, each text once, as paragraphs.
    pub(super) fn definition_doc(&self, name: &str, n: &Node, is_static: bool) -> TokenStream {
        let key = (is_static.then_some(self.tu), name.to_string());
        let mut texts: Vec<Vec<String>> = Vec::new();
        let decls = self.prog.decl_docs.get(&key).into_iter().flatten();
        // `/* cpu.c */` above a prototype names the file that defines what follows, not the
        // declaration (clang joins it to a comment on the next line: that one is kept).
        let names_a_file = |l: &String| {
            let stem = l.strip_suffix(".c").or_else(|| l.strip_suffix(".h"));
            stem.is_some_and(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/'))
            })
        };
        let decl_texts = decls.map(|&(tu, d)| {
            let mut lines = self.doc_lines(tu, d);
            if lines.first().is_some_and(names_a_file) {
                lines.remove(0);
                trim_blank_edges(&mut lines);
            }
            lines
        });
        for lines in decl_texts.chain([self.doc_lines(self.tu, n)]) {
            if !texts.contains(&lines) {
                texts.push(lines);
            }
        }
        doc_attrs(&paragraphs(texts))
    }

    /// The doc of a C library function the crate root declares from its prototype: the
    /// comments of the project's own prototypes of it (`long random(void);` under a comment),
    /// which have no definition to go to.
    pub(super) fn prototype_doc(&self, name: &str) -> TokenStream {
        let mut texts: Vec<Vec<String>> = Vec::new();
        for &(tu, d) in self
            .prog
            .decl_docs
            .get(&(None, name.to_string()))
            .into_iter()
            .flatten()
        {
            let lines = self.doc_lines(tu, d);
            if !texts.contains(&lines) {
                texts.push(lines);
            }
        }
        doc_attrs(&paragraphs(texts))
    }

    /// The lines of the comment clang attached to a declaration read in translation unit
    /// `tu` (whose folder its file name is relative to), without the comment marks.
    fn doc_lines(&self, tu: usize, n: &Node) -> Vec<String> {
        let Some(c) = n.get("comment") else {
            return Vec::new();
        };
        let range = c.get("range");
        let begin = range.and_then(|r| r.get("begin"));
        let end = range.and_then(|r| r.get("end"));
        let (Some(b), Some(e)) = (
            begin.and_then(|b| b.get("offset")).and_then(Value::as_u64),
            end.and_then(|e| e.get("offset")).and_then(Value::as_u64),
        ) else {
            return Vec::new();
        };
        // The end is the start of the comment's last token: a `//` comment's last character.
        let e = e + end
            .and_then(|e| e.get("tokLen"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let Some(file) = begin.and_then(|b| b.get("file")).and_then(Value::as_str) else {
            return Vec::new();
        };
        let Some(ws) = self.prog.ws_path(tu, file) else {
            return Vec::new();
        };
        let Some(text) = self.prog.source(&ws) else {
            return Vec::new();
        };
        let (Some(head), Some(tail)) = (text.get(..b as usize), text.get(e as usize..)) else {
            return Vec::new();
        };
        // clang's range of a block comment is its text without the `/*` and `*/` (from the
        // first line's text on): the whole comment, so its lines' indentation can be read
        // against each other's.
        let h = head.trim_end_matches([' ', '\t', '\n']);
        let marks = h.trim_end_matches(['*', '!']);
        let opened = marks.len() < h.len() && h[marks.len()..].starts_with('*');
        let (b, e) = match (
            marks.strip_suffix('/'),
            tail.trim_start().strip_prefix("*/"),
        ) {
            (Some(open), Some(t)) if opened => (open.len(), text.len() - t.len()),
            _ => (b as usize, e as usize),
        };
        let Some(raw) = text.get(b..e) else {
            return Vec::new();
        };
        comment_lines(raw)
    }

    pub(super) fn module_is_header(&self) -> bool {
        self.prog
            .module_file
            .get(&self.module)
            .is_some_and(|f| f.ends_with(".h"))
    }

    pub(super) fn function_item(&mut self, name: &str, n: &Node) -> TResult<TokenStream> {
        let q = self.qtype(n)?;
        let CType::Func { ret, .. } = &q.ty else {
            return err(n, "function", "not a function type");
        };
        let ret_ty = self.rty(n, ret)?;
        let body = ast::inner(n)
            .iter()
            .find(|c| ast::kind(c) == "CompoundStmt")
            .unwrap();
        let (params, stmts) = match self.structured_body(n, body, &ret_ty) {
            Err(e) if state_machine::is_fallback(&e) => {
                // Control flow labelled blocks cannot express: the function as a state machine.
                let mut f = FnCx::new(ret_ty.clone());
                // The comments of the statements kept whole inside the states, and of those cut
                // into states (before the first code they put in a state: state_machine.rs).
                f.comments = self.body_comments(body);
                let cx = self.prepare_state_machine(&mut f, body)?;
                let params = self.params(&mut f, n)?;
                let stmts = self.state_machine_body(&mut f, body, &cx, ret_ty == RTy::Unit)?;
                (params, stmts)
            }
            r => r?,
        };
        let storage_static = ast::str_field(n, "storageClass") == Some("static");
        let in_header = self.module_is_header();
        let vis = if !storage_static || in_header {
            quote!(pub)
        } else {
            quote!()
        };
        let ret = if ret_ty == RTy::Unit {
            quote!()
        } else {
            quote!(-> #ret_ty)
        };
        let inline = if has_attr(n, "AlwaysInlineAttr") {
            quote!(#[inline(always)])
        } else if ast::bool_field(n, "inline") {
            quote!(#[inline])
        } else {
            quote!()
        };
        let (params, stmts) = self.with_signature_comments(n, body, params, stmts);
        let id = ident(name);
        let is_static = ast::str_field(n, "storageClass") == Some("static");
        let doc = self.definition_doc(name, n, is_static);
        let qualifiers = if self.prog.plain_fns.contains(name) {
            quote!()
        } else {
            quote!(unsafe extern "C")
        };
        Ok(quote! {
            #doc
            #inline
            #vis #qualifiers fn #id(#(#params),*) #ret {
                #(#stmts)*
            }
        })
    }

    /// The comments of the module's file between its declarations (`comments::file_level`),
    /// by item (`items`: the module's, in order).
    pub fn file_comments(&mut self, items: &[Item]) -> comments::FileComments {
        let empty = comments::FileComments {
            before: vec![Vec::new(); items.len()],
            after: vec![Vec::new(); items.len()],
            at_end: Vec::new(),
        };
        let (Some(first), Some(ws)) = (items.first(), self.prog.module_file.get(&self.module))
        else {
            return empty;
        };
        let prog = self.prog;
        let in_file = |tu: usize, n: &Node| -> Option<(String, usize)> {
            let (f, b, _) = comments::span(n)?;
            (prog.ws_path(tu, &f).as_deref() == Some(ws.as_str())).then_some((f, b))
        };
        let decls: Vec<&Node> = ast::inner(&prog.tus[first.tu].root)
            .iter()
            .filter(|n| !ast::bool_field(n, "isImplicit"))
            .collect();
        // The file as this translation unit's clang names it.
        let (Some((file, _)), Some(src)) = (
            decls.iter().find_map(|d| in_file(first.tu, d)),
            prog.source(ws),
        ) else {
            return empty;
        };
        let starts: Vec<Option<usize>> = items
            .iter()
            .map(|it| in_file(it.tu, it.node).map(|(_, b)| b))
            .collect();
        comments::file_level(&file, &src, &decls, &starts, true)
    }

    /// A function's parameters with the comments written beside them, and its statements after
    /// the comments written between its `)` and `{` (`comments::signature`).
    fn with_signature_comments(
        &mut self,
        n: &Node,
        body: &Node,
        params: Vec<TokenStream>,
        stmts: Vec<TokenStream>,
    ) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let decls: Vec<&Node> = ast::inner(n)
            .iter()
            .filter(|c| ast::kind(c) == "ParmVarDecl")
            .collect();
        let dir = self.prog.tus[self.tu].clang_dir.clone();
        let sources = &mut self.sources;
        let found = comments::signature(n, &decls, body, &mut |file| {
            sources
                .entry(file.to_string())
                .or_insert_with(|| std::fs::read_to_string(dir.join(file)).ok().map(Into::into))
                .clone()
        });
        let params = if found.params.len() == params.len() {
            let attrs = Self::comment_attrs(found.params);
            params
                .into_iter()
                .zip(attrs)
                .map(|(p, a)| quote!(#a #p))
                .collect()
        } else {
            params
        };
        let mut out = Vec::new();
        self.comment_markers(Some(&found.before_body), &mut out);
        out.extend(stmts);
        (params, out)
    }

    /// The parameters of a function definition, registered as locals of `f` (analyzed).
    fn params(&mut self, f: &mut FnCx, n: &Node) -> TResult<Vec<TokenStream>> {
        let mut params = Vec::new();
        for p in ast::inner(n)
            .iter()
            .filter(|c| ast::kind(c) == "ParmVarDecl")
        {
            let pq = self.qtype(p)?;
            let pt = self.param_rty(p, &pq)?;
            let pname = ast::name(p).unwrap_or("_unused");
            let id = ast::str_field(p, "id").unwrap_or("").to_string();
            let rust_name = f.local_name(self, pname);
            f.hoisted_names.insert(rust_name.clone());
            f.locals.insert(
                id.clone(),
                Local {
                    name: rust_name.clone(),
                    aligned: false,
                },
            );
            let m = if f.mutated.contains(&id) {
                quote!(mut)
            } else {
                quote!()
            };
            let pid = ident(&rust_name);
            params.push(quote!(#m #pid: #pt));
        }
        Ok(params)
    }

    /// A body laid out as structured Rust (blocks, loops, labelled blocks for gotos).
    fn structured_body(
        &mut self,
        n: &Node,
        body: &Node,
        ret_ty: &RTy,
    ) -> TResult<(Vec<TokenStream>, Vec<TokenStream>)> {
        let routed = goto_into::route_inward_gotos(body)?;
        let body = routed.as_ref().unwrap_or(body);
        let mut f = FnCx::new(ret_ty.clone());
        f.analyze(self, body)?;
        f.comments = self.body_comments(body);
        f.first_assigns = self.first_assigns(&f, body);
        let params = self.params(&mut f, n)?;
        let mut stmts = Vec::new();
        self.stmt_list(&mut f, ast::inner(body), &mut stmts)?;
        self.block_end_comments(&f, body, &mut stmts);
        // C lets a non-void function fall off its end (the value is then unusable); Rust needs a
        // value. An infinite loop needs none.
        if *ret_ty != RTy::Unit && !body_ends(body) {
            stmts.push(quote!(#[allow(unreachable_code)] return core::mem::zeroed();));
        }
        Ok((params, stmts))
    }
}

/// The text of a C comment (or of consecutive ones) without its marks: `//`, `/*`, `*/` and
/// the ` * ` that decorates the lines of a block comment; blank first and last lines dropped.
pub(super) fn comment_lines(raw: &str) -> Vec<String> {
    // One block comment: its lines keep their indentation relative to each other.
    if let Some(body) = raw
        .strip_prefix("/*")
        .and_then(|r| r.strip_suffix("*/"))
        .filter(|b| !b.contains("*/"))
    {
        return comments::block_comment_lines(body);
    }
    let mut lines: Vec<String> = raw
        .lines()
        .map(|l| {
            // The closing mark first: on a line of its own, ` */` would leave its `/`.
            let l = l.trim().strip_suffix("*/").unwrap_or(l.trim()).trim_end();
            let l = l
                .strip_prefix("//")
                .or_else(|| l.strip_prefix('*'))
                .unwrap_or(l);
            let l = l.strip_prefix("/*").unwrap_or(l);
            let l = l.trim_end();
            l.strip_prefix(' ').unwrap_or(l).to_string()
        })
        .collect();
    trim_blank_edges(&mut lines);
    lines
}

/// `#[doc = " line"]` attributes, escaped for rustdoc.
/// Comment texts as one doc, a blank line between them; empty ones left out.
fn paragraphs(texts: impl IntoIterator<Item = Vec<String>>) -> Vec<String> {
    let texts: Vec<Vec<String>> = texts.into_iter().filter(|t| !t.is_empty()).collect();
    texts.join(&[String::new()][..])
}

pub(super) fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = doc_texts(lines).into_iter().map(|s| quote!(#[doc = #s]));
    quote!(#(#attrs)*)
}

/// A doc's lines as the texts of its `#[doc]` (or `#![doc]`) attributes: a space before each
/// (`/// text`), escaped for rustdoc outside the fences of [`fence_indented_runs`].
pub(crate) fn doc_texts(lines: &[String]) -> Vec<String> {
    fence_indented_runs(lines)
        .into_iter()
        .map(|(l, verbatim)| {
            if l.is_empty() {
                String::new()
            } else if verbatim {
                format!(" {l}")
            } else {
                format!(" {}", escape_doc(&l))
            }
        })
        .collect()
}

/// A doc's lines, those CommonMark would read as an indented code block (four columns in from
/// the least indented line, as rustdoc strips the indentation all lines share, after a blank
/// line or first) made safe for rustdoc, which would compile such a block as a Rust doctest,
/// and fail: with whether a line is to be written verbatim (inside a fence, where `\[` would
/// show its backslash). A run followed by a blank line or the doc's end (an example or a table
/// a C comment indents under its text: stb_image's format list) is fenced as ```` ```text
/// ````, and still reads preformatted. A run followed at once by less indented text is the
/// indented first line of a paragraph (zlib's style: `     This is another version` over
/// lines indented three); fenced, it would cut the paragraph in two, so its lines come in to
/// three columns instead. A tab reaches the next multiple of four. A doc holding a fence of
/// its own is left as it is.
fn fence_indented_runs(lines: &[String]) -> Vec<(String, bool)> {
    let column = |l: &str| {
        let mut c = 0;
        for ch in l.chars() {
            match ch {
                ' ' => c += 1,
                '\t' => c = c / 4 * 4 + 4,
                _ => break,
            }
        }
        c
    };
    if lines.iter().any(|l| {
        let t = l.trim_start();
        t.starts_with("```") || t.starts_with("~~~")
    }) {
        return lines.iter().map(|l| (l.clone(), false)).collect();
    }
    let base = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| column(l))
        .min()
        .unwrap_or(0);
    let mut out: Vec<(String, bool)> = Vec::new();
    // The lines of the run being read, blank ones included.
    let mut run: Vec<String> = Vec::new();
    let flush = |out: &mut Vec<(String, bool)>, run: &mut Vec<String>, into_text: bool| {
        if into_text {
            for l in run.drain(..) {
                let c = column(&l).min(base + 3);
                out.push((format!("{}{}", " ".repeat(c), l.trim_start()), false));
            }
            return;
        }
        let blanks = run.iter().rev().take_while(|l| l.trim().is_empty()).count();
        let tail = run.split_off(run.len() - blanks);
        out.push(("```text".to_string(), true));
        out.extend(run.drain(..).map(|l| (l, true)));
        out.push(("```".to_string(), true));
        out.extend(tail.into_iter().map(|_| (String::new(), false)));
    };
    let mut after_blank = true;
    for l in lines {
        let blank = l.trim().is_empty();
        let code = !blank && column(l) >= base + 4;
        if !run.is_empty() {
            if blank || code {
                run.push(l.clone());
                after_blank = blank;
                continue;
            }
            let into_text = run.last().is_some_and(|r| !r.trim().is_empty());
            flush(&mut out, &mut run, into_text);
        }
        if code && after_blank {
            run.push(l.clone());
        } else {
            out.push((l.clone(), false));
        }
        after_blank = blank;
    }
    if !run.is_empty() {
        flush(&mut out, &mut run, false);
    }
    out
}

/// The comment of a `#define` whose value token starts at `offset` in `text` (clang attaches
/// none to a macro): the comment lines right above it (`/* … */` or a run of `//` lines, no
/// blank line between), then one after the value on the definition's line.
fn macro_comment(text: &str, offset: usize) -> Vec<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let rest = &text[offset..line_end];
    let mut lines = comment_above(&text[..line_start]);
    if let Some(i) = rest.find("/*").or_else(|| rest.find("//")) {
        let trailing = comment_lines(&rest[i..]);
        if !lines.is_empty() && !trailing.is_empty() {
            lines.push(String::new());
        }
        lines.extend(trailing);
    }
    lines
}

/// The comment ending on the last line of `before` (the text up to a line's start).
fn comment_above(before: &str) -> Vec<String> {
    let above = before.strip_suffix('\n').unwrap_or("");
    let mut start = above.len();
    for line in above.lines().rev() {
        let t = line.trim();
        let line_begin = start - line.len();
        if t.starts_with("//") {
            start = line_begin.saturating_sub(1);
            continue;
        }
        if start == above.len() && t.ends_with("*/") {
            // The block comment ending on the line above, if it starts a line of its own.
            let end = line_begin + line.trim_end().len();
            let Some(open) = above[..end].rfind("/*") else {
                break;
            };
            let open_line = above[..open].rfind('\n').map_or(0, |i| i + 1);
            if above[open_line..open].trim().is_empty() && !above[open..end].contains("\n\n") {
                return comment_lines(&above[open..end]);
            }
        }
        break;
    }
    let start = if start == above.len() {
        return Vec::new();
    } else {
        start
    };
    let from = above[..start.min(above.len())].len();
    comment_lines(above[from..].trim_start_matches('\n'))
}
