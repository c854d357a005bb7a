//! C types as Rust types: `RTy` for every clang type spelling, and the conversions between them.

use super::*;

impl<'p, 'a> ModCx<'p, 'a> {
    pub fn rty(&mut self, n: &Node, q: &QType) -> TResult<RTy> {
        Ok(match &q.ty {
            CType::Void => RTy::Unit,
            CType::Bool => RTy::Prim("bool"),
            CType::Int(k) => RTy::Prim(k.rust()),
            CType::Float => RTy::Prim("f32"),
            CType::Double => RTy::Prim("f64"),
            CType::LongDouble => return err(n, "long double", "no Rust equivalent"),
            CType::Pointer(p) => {
                let pc = self.env().canon(p);
                match &pc.ty {
                    CType::Func {
                        ret,
                        params,
                        variadic,
                    } => {
                        let mut ps = Vec::new();
                        for p in params {
                            ps.push(self.param_rty(n, p)?);
                        }
                        let ret = self.rty(n, ret)?;
                        RTy::FnPtr {
                            params: ps,
                            ret: Box::new(ret),
                            variadic: *variadic,
                        }
                    }
                    CType::Void => RTy::Ptr {
                        mutable: !p.is_const,
                        to: Box::new(RTy::CVoid),
                    },
                    _ => {
                        let to = self.rty(n, p)?;
                        RTy::Ptr {
                            mutable: !self.deep_const(p),
                            to: Box::new(to),
                        }
                    }
                }
            }
            CType::Array(e, Some(len)) => RTy::Array(Box::new(self.rty(n, e)?), *len),
            CType::Array(_, None) => {
                return err(n, "incomplete array type", "array without a size");
            }
            CType::Func { .. } => {
                return err(
                    n,
                    "function type",
                    "function types only exist behind pointers in Rust",
                );
            }
            CType::Record { name, .. } => {
                let rec = self.env().records.get(name);
                match rec {
                    Some(r) if !r.system => {
                        let owner = self.prog.type_owner.get(name).cloned();
                        if let Some(o) = owner {
                            self.import(&o, name);
                        }
                        RTy::Named(name.clone())
                    }
                    // Opaque here, defined by the linked crate.
                    None if self.prog.type_owner.contains_key(name) => {
                        let o = self.prog.type_owner[name].clone();
                        self.import(&o, name);
                        RTy::Named(name.clone())
                    }
                    _ => {
                        self.uses_libc = true;
                        RTy::Extern(format!("libc::{name}"))
                    }
                }
            }
            CType::Enum(name) => {
                let system = self.env().enums.get(name).is_none_or(|e| e.system);
                if system {
                    RTy::Prim(self.env().int_kind(q).unwrap_or(IntKind::UInt).rust())
                } else {
                    if let Some(o) = self.prog.type_owner.get(name).cloned() {
                        self.import(&o, name);
                    }
                    RTy::Named(name.clone())
                }
            }
            CType::Typedef(name) => {
                let info = self.env().typedefs.get(name).cloned();
                let Some(info) = info else {
                    return err(n, "type", format!("unknown typedef `{name}`"));
                };
                if info.system {
                    if let Some(t) = system_typedef(name) {
                        if let RTy::Extern(_) = t {
                            self.uses_libc = true;
                        }
                        return Ok(t);
                    }
                    // A C library struct behind its public typedef (glibc's `typedef __sigset_t
                    // sigset_t;`, `typedef struct __dirstream DIR;`): the libc crate names it
                    // after the typedef, not after glibc's internal name.
                    let record = matches!(self.env().canon(&info.target).ty, CType::Record { .. });
                    if record && !name.starts_with('_') {
                        self.uses_libc = true;
                        return Ok(RTy::Extern(format!("libc::{name}")));
                    }
                    return self.rty(n, &info.target);
                }
                match &info.target.ty {
                    CType::Record { name: tag, .. } | CType::Enum(tag) if tag == name => {
                        return self.rty(n, &info.target);
                    }
                    // Monocypher's `typedef uint8_t u8;`: no alias (it would name itself), the
                    // target's type is used.
                    _ if crate::program::is_rust_primitive(name) => {
                        return self.rty(n, &info.target);
                    }
                    _ => {}
                }
                if let Some(o) = self.prog.type_owner.get(name).cloned() {
                    self.import(&o, name);
                }
                RTy::Named(name.clone())
            }
            CType::Atomic(inner) => RTy::Extern(self.atomic_rty(n, inner)?),
            CType::Opaque(name) => return err(n, name, "unsupported type"),
        })
    }

    /// `_Atomic(T)` as the `core::sync::atomic` type of the same size and layout.
    pub(super) fn atomic_rty(&mut self, n: &Node, inner: &QType) -> TResult<String> {
        let c = self.env().canon(inner);
        let name = match &c.ty {
            CType::Bool => "AtomicBool".to_string(),
            CType::Int(k) if k.bits() <= 64 => {
                let r = k.rust();
                let mut chars = r.chars();
                let first = chars.next().unwrap_or('i').to_ascii_uppercase();
                format!("Atomic{first}{}", chars.as_str())
            }
            _ => {
                return err(
                    n,
                    "_Atomic type",
                    format!(
                        "`_Atomic({inner})`: only integer and _Bool atomics map to core::sync::atomic"
                    ),
                );
            }
        };
        Ok(format!("core::sync::atomic::{name}"))
    }

    /// Const, or an array of const elements (C qualifies an array through its elements).
    pub(super) fn deep_const(&self, q: &QType) -> bool {
        let c = self.env().canon(q);
        c.is_const
            || match &c.ty {
                CType::Array(e, _) => self.deep_const(e),
                _ => false,
            }
    }

    /// Function parameters: arrays are pointers.
    pub(super) fn param_rty(&mut self, n: &Node, q: &QType) -> TResult<RTy> {
        let c = self.env().canon(q);
        match c.ty {
            CType::Array(e, _) => {
                let to = self.rty(n, &e)?;
                Ok(RTy::Ptr {
                    mutable: !self.deep_const(&e),
                    to: Box::new(to),
                })
            }
            _ => self.rty(n, q),
        }
    }

    /// Expand type aliases of the crate for comparisons.
    pub fn canon_rty(&self, t: &RTy) -> RTy {
        match t {
            RTy::Named(name) => {
                if let Some(info) = self.env().typedefs.get(name) {
                    if !info.system {
                        let same = matches!(&info.target.ty,
                            CType::Record { name: tag, .. } | CType::Enum(tag) if tag == name);
                        if !same {
                            // rty needs &mut for imports; use a scratch context.
                            let mut scratch = ModCx::new(self.prog, self.module.clone());
                            if let Ok(r) = scratch.rty(&Value::Null, &info.target) {
                                return self.canon_rty(&r);
                            }
                        }
                    }
                }
                if let Some(e) = self.env().enums.get(name) {
                    return RTy::Prim(if e.signed { "i32" } else { "u32" });
                }
                t.clone()
            }
            RTy::Ptr { mutable, to } => RTy::Ptr {
                mutable: *mutable,
                to: Box::new(self.canon_rty(to)),
            },
            RTy::Array(e, n) => RTy::Array(Box::new(self.canon_rty(e)), *n),
            RTy::FnPtr {
                params,
                ret,
                variadic,
            } => RTy::FnPtr {
                params: params.iter().map(|p| self.canon_rty(p)).collect(),
                ret: Box::new(self.canon_rty(ret)),
                variadic: *variadic,
            },
            RTy::Aligned(_, inner) => self.canon_rty(inner),
            // The libc crate's integer typedefs are aliases: `t + 5` on a `time_t` needs no
            // `t as i64`.
            RTy::Extern(name) => match libc_alias(name) {
                Some(p) => RTy::Prim(p),
                None => t.clone(),
            },
            other => other.clone(),
        }
    }

    /// The node's C type.
    pub fn qtype(&self, n: &Node) -> TResult<QType> {
        let Some(text) = ast::qual_type(n) else {
            return err(n, ast::kind(n), "no type");
        };
        parse_type(text).or_else(|e| {
            if is_vla(text) {
                err(
                    n,
                    "variable-length array",
                    format!("`{text}` has a run-time size (use a fixed size or the heap)"),
                )
            } else {
                err(n, ast::kind(n), e)
            }
        })
    }

    pub(super) fn node_rty(&mut self, n: &Node) -> TResult<RTy> {
        let q = self.qtype(n)?;
        self.rty(n, &q)
    }
}

/// The primitive a libc crate integer typedef the transpiler names (`system_typedef`) stands for.
fn libc_alias(name: &str) -> Option<&'static str> {
    let bare = name.strip_prefix("libc::")?;
    super::LIBC_INT_TYPEDEFS
        .iter()
        .find(|&&(n, _)| n == bare)
        .map(|&(_, prim)| prim)
}
