//! The linked binary as `inspect` sees it: function symbols with their stage, the GOT and PLT
//! resolved through the dynamic relocations, function pointers stored in data, and `.eh_frame`.
//!
//! Symbols come from `.symtab` (the release profile keeps it: `debug = "line-tables-only"`
//! means cargo does not strip). A function's stage:
//! - a Rust symbol (legacy `_ZN..E` or v0 `_R..`) whose demangled path starts with a stage crate
//!   (the registry's `lib_name`, `vp8_transpiled` -> "transpiled"): module = the path between the
//!   crate and the function name (`decode`, `x86::mc_init`); closures and shims keep their
//!   parent's name, with the suffix as `variant`;
//! - an unmangled symbol named like an asm kernel (`asm/x86_64/*.S`, `asm/include`) -> "asm";
//! - an unmangled local symbol after an ELF `FILE` symbol naming one of the C stage's sources
//!   (its `source_dir`, `upstream-c/src/**/*.c`), or an unmangled global one defined in those
//!   files -> the C stage, "c" (module = that file). GCC's clones (`name.constprop.0`,
//!   `name.part.0`, `name.isra.0`, `name.cold`) keep `name`, with the suffix as `variant`;
//! - anything else (std, libc glue, the CLI) -> "other".

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use iced_x86::{Decoder, DecoderOptions, Instruction};
use object::read::elf::ElfFile64;
use object::{
    Object, ObjectSection, ObjectSymbol, ObjectSymbolTable, RelocationFlags, RelocationTarget,
    SymbolKind,
};

use super::source;
use crate::stage::{Language, STAGES, stage_info};

/// How symbols map to stages (see the module doc).
#[derive(Debug, Clone, Default)]
pub struct Classifier {
    /// The stage the C functions below belong to.
    pub c_stage: String,
    /// C function name -> files (below the C stage's sources) defining it.
    pub c_fns: BTreeMap<String, Vec<String>>,
    /// Basename of a C source file -> its path below the C stage's sources.
    pub c_files: BTreeMap<String, String>,
    pub asm: BTreeSet<String>,
    /// Rust crate name (as in symbols, `vp8_transpiled`) -> stage name.
    pub rust_crates: BTreeMap<String, String>,
}

impl Classifier {
    /// The project's stages (the registry), from the sources under `root`.
    pub fn project(root: &Path) -> Classifier {
        let mut c = Classifier::default();
        for st in STAGES {
            match st.language {
                Language::C => {
                    c.c_stage = st.name.to_string();
                    for f in source::c_functions(&root.join(st.source_dir)) {
                        if f.module.ends_with(".c") {
                            c.c_fns
                                .entry(f.name.clone())
                                .or_default()
                                .push(f.module.clone());
                            let base = f.module.rsplit('/').next().unwrap_or(&f.module);
                            c.c_files.insert(base.to_string(), f.module.clone());
                        }
                    }
                }
                Language::Rust => {
                    c.rust_crates
                        .insert(st.lib_name.to_string(), st.name.to_string());
                }
            }
        }
        c.asm = source::asm_kernels(&root.join("asm"));
        c
    }

    /// Only Rust crates (for fixtures): `[("mycrate", "fixture")]`.
    pub fn rust_only(crates: &[(&str, &str)]) -> Classifier {
        Classifier {
            rust_crates: crates
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            ..Classifier::default()
        }
    }
}

/// Where a function symbol comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// "c", "transpiled", "safe", "asm", a fixture's stage, or "other".
    pub stage: String,
    /// C: file below src/ (`decode.c`); Rust: module path below the crate (`decode`); else "".
    pub module: String,
    /// The source function's name (C name, last Rust path segment that is not a closure/shim).
    pub name: String,
    /// GCC clone suffix (`constprop.0`, `cold`) or Rust closure/shim segments; "" for the
    /// function itself.
    pub variant: String,
}

#[derive(Debug, Clone)]
pub struct Func {
    /// The symbol as in `.symtab`.
    pub sym: String,
    /// Demangled, without the hash (= `sym` for C and asm).
    pub demangled: String,
    pub addr: u64,
    pub size: u64,
    pub global: bool,
    pub origin: Origin,
}

impl Func {
    /// `decode.c:filter_mb_row`, `transpiled decode::filter_mb_row`, `asm vp8_sixtap_16x16_ssse3`.
    pub fn label(&self) -> String {
        let o = &self.origin;
        let c = stage_info(&o.stage).is_some_and(|s| s.language == Language::C);
        let mut s = match o.stage.as_str() {
            _ if c => format!("{}:{}", o.module, o.name),
            "other" => self.demangled.clone(),
            _ if o.module.is_empty() => o.name.clone(),
            _ => format!("{}::{}", o.module, o.name),
        };
        if !o.variant.is_empty() && o.stage != "other" {
            s.push_str(&format!(" [{}]", o.variant));
        }
        s
    }
}

/// What a GOT slot holds once the dynamic loader is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    Addr(u64),
    Import(String),
}

/// The target of a call or jump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callee {
    /// A function of this binary (index into [`Binary::funcs`]).
    Func(usize),
    /// A shared-library function (through the PLT or GOT).
    Import(String),
    /// An address that starts no known function (inside one: `Func` is not used for that).
    Addr(u64),
    /// Through a register or non-GOT memory.
    Indirect,
}

#[derive(Debug, Clone)]
struct Sect {
    name: String,
    addr: u64,
    size: u64,
    data_offset: Option<(u64, u64)>,
}

/// One frame-description entry's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EhInfo {
    /// FDE range.
    pub start: u64,
    pub len: u64,
    /// Largest `CFA = rsp + N` offset over the rows (includes the return address: 8 at entry).
    pub max_rsp_offset: i64,
    /// Some row defines the CFA from rbp (a frame pointer): `rsp` moves after that are invisible
    /// to the CFI.
    pub uses_rbp: bool,
    /// Some row defines the CFA from a register other than rsp or rbp (or by expression).
    pub other_cfa: bool,
}

#[derive(Debug)]
pub struct Binary {
    pub path: PathBuf,
    data: Vec<u8>,
    sections: Vec<Sect>,
    pub funcs: Vec<Func>,
    /// Start address -> index of the first function symbol there.
    by_addr: BTreeMap<u64, usize>,
    /// GOT slot address -> what the loader puts there.
    got: HashMap<u64, Slot>,
    /// PLT entry address -> imported name.
    plt: HashMap<u64, String>,
    /// Addresses stored in data by relocations outside the GOT (function-pointer tables) -> count.
    data_refs: HashMap<u64, usize>,
    /// Data objects (start -> (size, short name)) for symbolizing rip-relative operands.
    objects: BTreeMap<u64, (u64, String)>,
    /// FDE start -> summary.
    pub eh: BTreeMap<u64, EhInfo>,
}

fn strip_version(n: &str) -> String {
    n.split('@').next().unwrap_or(n).to_string()
}

/// Demangled path without hash, and whether the symbol was Rust.
pub fn demangle(sym: &str) -> (String, bool) {
    match rustc_demangle::try_demangle(sym) {
        Ok(d) => (format!("{d:#}"), true),
        Err(_) => (sym.to_string(), false),
    }
}

/// Split a Rust path at `::` outside `<>`, `[]`, `()`, `{}`.
pub fn split_path(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let b: Vec<char> = p.chars().collect();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            '<' | '[' | '(' | '{' => depth += 1,
            '>' | ']' | ')' | '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 && c == ':' && b.get(i + 1) == Some(&':') {
            out.push(std::mem::take(&mut cur));
            i += 2;
            continue;
        }
        cur.push(c);
        i += 1;
    }
    out.push(cur);
    out
}

fn rust_origin(path: &str, crates: &BTreeMap<String, String>) -> Option<Origin> {
    let segs = split_path(path);
    let first = segs.first()?;
    // `<vp8_transpiled::x::T as core::clone::Clone>::clone`: the crate of the self type.
    let first_path = first.trim_start_matches('<');
    let krate = first_path.split("::").next()?.split(' ').next()?;
    let stage = crates.get(krate)?;
    let mut names: Vec<&String> = segs.iter().skip(1).collect();
    let mut variant = Vec::new();
    while let Some(l) = names.last() {
        if l.starts_with('{') || l.starts_with('<') {
            variant.insert(0, l.to_string());
            names.pop();
        } else {
            break;
        }
    }
    let name = names
        .pop()
        .map(|s| s.to_string())
        .unwrap_or_else(|| first.clone());
    let module = if first.starts_with('<') {
        first_path
            .split(" as ")
            .next()
            .unwrap_or("")
            .split("::")
            .skip(1)
            .collect::<Vec<_>>()
            .join("::")
    } else {
        names
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("::")
    };
    Some(Origin {
        stage: stage.clone(),
        module,
        name,
        variant: variant.join("::"),
    })
}

impl Binary {
    /// Parse an ELF x86-64 executable.
    pub fn load(path: &Path, cls: &Classifier) -> Result<Binary, String> {
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut b = Binary {
            path: path.to_path_buf(),
            data: Vec::new(),
            sections: Vec::new(),
            funcs: Vec::new(),
            by_addr: BTreeMap::new(),
            got: HashMap::new(),
            plt: HashMap::new(),
            data_refs: HashMap::new(),
            objects: BTreeMap::new(),
            eh: BTreeMap::new(),
        };
        {
            let file = ElfFile64::<object::Endianness>::parse(&*data)
                .map_err(|e| format!("{}: not a 64-bit ELF file: {e}", path.display()))?;
            if file.architecture() != object::Architecture::X86_64 {
                return Err(format!("{}: not x86-64", path.display()));
            }
            b.read_sections(&file);
            b.read_symbols(&file, cls)?;
            b.read_relocations(&file);
            b.read_eh_frame(&file, &data);
        }
        b.data = data;
        b.read_plt();
        Ok(b)
    }

    fn read_sections(&mut self, file: &ElfFile64<object::Endianness>) {
        for s in file.sections() {
            self.sections.push(Sect {
                name: s.name().unwrap_or("").to_string(),
                addr: s.address(),
                size: s.size(),
                data_offset: s.file_range(),
            });
        }
    }

    fn read_symbols(
        &mut self,
        file: &ElfFile64<object::Endianness>,
        cls: &Classifier,
    ) -> Result<(), String> {
        let Some(symtab) = file.symbol_table() else {
            return Err(format!(
                "{}: no .symtab (stripped binary): build without `strip`",
                self.path.display()
            ));
        };
        let mut cur_file: Option<String> = None;
        let mut funcs = Vec::new();
        for s in symtab.symbols() {
            if s.kind() == SymbolKind::File {
                cur_file = s.name().ok().map(str::to_string);
                continue;
            }
            let Ok(name) = s.name() else { continue };
            if name.is_empty() {
                continue;
            }
            if s.kind() == SymbolKind::Data && s.size() > 0 {
                let (d, _) = demangle(name);
                let short = split_path(&d).last().cloned().unwrap_or(d);
                self.objects.insert(s.address(), (s.size(), short));
                continue;
            }
            if s.kind() != SymbolKind::Text || s.is_undefined() || s.address() == 0 {
                continue;
            }
            let (demangled, is_rust) = demangle(name);
            let global = s.is_global();
            let origin = if is_rust {
                rust_origin(&demangled, &cls.rust_crates)
            } else {
                let (base, variant) = match name.split_once('.') {
                    Some((b, v)) => (b, v),
                    None => (name, ""),
                };
                let mk = |stage: &str, module: &str| Origin {
                    stage: stage.to_string(),
                    module: module.to_string(),
                    name: base.to_string(),
                    variant: variant.to_string(),
                };
                if cls.asm.contains(base) && !cls.c_fns.contains_key(base) {
                    Some(mk("asm", ""))
                } else if !global {
                    cur_file
                        .as_deref()
                        .and_then(|f| cls.c_files.get(f))
                        .filter(|m| cls.c_fns.get(base).is_some_and(|fs| fs.contains(m)))
                        .map(|m| mk(&cls.c_stage, m))
                } else {
                    cls.c_fns
                        .get(base)
                        .filter(|fs| fs.len() == 1)
                        .map(|fs| mk(&cls.c_stage, &fs[0]))
                }
            };
            let origin = origin.unwrap_or_else(|| Origin {
                stage: "other".into(),
                module: String::new(),
                name: demangled.clone(),
                variant: String::new(),
            });
            funcs.push(Func {
                sym: name.to_string(),
                demangled,
                addr: s.address(),
                size: s.size(),
                global,
                origin,
            });
        }
        // Symbols without a size (hand-written asm without .size) end at the next symbol.
        funcs.sort_by_key(|f| (f.addr, std::cmp::Reverse(f.size)));
        let starts: Vec<u64> = funcs.iter().map(|f| f.addr).collect();
        for (i, f) in funcs.iter_mut().enumerate() {
            if f.size == 0 {
                let next = starts[i + 1..].iter().find(|&&a| a > f.addr);
                f.size = next.map_or(0, |n| n - f.addr).min(1 << 16);
            }
        }
        for f in funcs {
            if self.by_addr.contains_key(&f.addr) {
                continue; // an alias of a function already listed
            }
            self.by_addr.insert(f.addr, self.funcs.len());
            self.funcs.push(f);
        }
        Ok(())
    }

    fn section_of(&self, addr: u64) -> Option<&Sect> {
        self.sections
            .iter()
            .find(|s| s.addr != 0 && addr >= s.addr && addr < s.addr + s.size)
    }

    fn read_relocations(&mut self, file: &ElfFile64<object::Endianness>) {
        let got: Vec<(u64, u64)> = self
            .sections
            .iter()
            .filter(|s| s.name == ".got" || s.name == ".got.plt")
            .map(|s| (s.addr, s.addr + s.size))
            .collect();
        let in_got = |a: u64| got.iter().any(|&(s, e)| a >= s && a < e);
        let dynsyms = file.dynamic_symbol_table();
        let Some(relocs) = file.dynamic_relocations() else {
            return;
        };
        for (offset, r) in relocs {
            let RelocationFlags::Elf { r_type } = r.flags() else {
                continue;
            };
            let target = match r_type {
                // R_X86_64_RELATIVE: base + addend.
                8 => Some(Slot::Addr(r.addend() as u64)),
                // R_X86_64_64, GLOB_DAT, JUMP_SLOT: a symbol's address.
                1 | 6 | 7 => match (r.target(), &dynsyms) {
                    (RelocationTarget::Symbol(i), Some(t)) => t.symbol_by_index(i).ok().map(|s| {
                        if s.is_undefined() || s.address() == 0 {
                            Slot::Import(strip_version(s.name().unwrap_or("?")))
                        } else {
                            Slot::Addr(s.address().wrapping_add(r.addend() as u64))
                        }
                    }),
                    _ => None,
                },
                _ => None,
            };
            let Some(t) = target else { continue };
            if in_got(offset) {
                self.got.insert(offset, t);
            } else if let Slot::Addr(a) = t {
                *self.data_refs.entry(a).or_insert(0) += 1;
            }
        }
    }

    fn read_plt(&mut self) {
        let plts: Vec<Sect> = self
            .sections
            .iter()
            .filter(|s| s.name.starts_with(".plt") || s.name == ".iplt")
            .cloned()
            .collect();
        for s in plts {
            let Some(bytes) = self.bytes(s.addr, s.size) else {
                continue;
            };
            let mut dec = Decoder::with_ip(64, bytes, s.addr, DecoderOptions::NONE);
            let mut ins = Instruction::default();
            let mut found = Vec::new();
            while dec.can_decode() {
                dec.decode_out(&mut ins);
                if ins.is_jmp_near_indirect() && ins.is_ip_rel_memory_operand() {
                    let slot = ins.ip_rel_memory_address();
                    if let Some(Slot::Import(n)) = self.got.get(&slot) {
                        let entry = s.addr + (ins.ip() - s.addr) / 16 * 16;
                        found.push((entry, n.clone()));
                    }
                }
            }
            self.plt.extend(found);
        }
    }

    fn read_eh_frame(&mut self, file: &ElfFile64<object::Endianness>, data: &[u8]) {
        use gimli::{BaseAddresses, CfaRule, CieOrFde, EhFrame, UnwindContext, UnwindSection};
        let sect = |n: &str| file.section_by_name(n);
        let Some(eh) = sect(".eh_frame") else { return };
        let Some((off, size)) = eh.file_range() else {
            return;
        };
        let bytes = &data[off as usize..(off + size) as usize];
        let mut bases = BaseAddresses::default().set_eh_frame(eh.address());
        if let Some(t) = sect(".text") {
            bases = bases.set_text(t.address());
        }
        if let Some(h) = sect(".eh_frame_hdr") {
            bases = bases.set_eh_frame_hdr(h.address());
        }
        if let Some(g) = sect(".got") {
            bases = bases.set_got(g.address());
        }
        let eh_frame = EhFrame::new(bytes, gimli::LittleEndian);
        let mut ctx = Box::new(UnwindContext::new());
        let mut entries = eh_frame.entries(&bases);
        const RSP: gimli::Register = gimli::X86_64::RSP;
        const RBP: gimli::Register = gimli::X86_64::RBP;
        while let Ok(Some(entry)) = entries.next() {
            let CieOrFde::Fde(partial) = entry else {
                continue;
            };
            let Ok(fde) = partial.parse(EhFrame::cie_from_offset) else {
                continue;
            };
            let mut info = EhInfo {
                start: fde.initial_address(),
                len: fde.len(),
                max_rsp_offset: 8,
                ..EhInfo::default()
            };
            let Ok(mut table) = fde.rows(&eh_frame, &bases, &mut ctx) else {
                continue;
            };
            while let Ok(Some(row)) = table.next_row() {
                match row.cfa() {
                    CfaRule::RegisterAndOffset { register, offset } if *register == RSP => {
                        info.max_rsp_offset = info.max_rsp_offset.max(*offset);
                    }
                    CfaRule::RegisterAndOffset { register, .. } if *register == RBP => {
                        info.uses_rbp = true;
                    }
                    _ => info.other_cfa = true,
                }
            }
            self.eh.insert(info.start, info);
        }
    }

    /// `len` bytes of the file image at virtual address `addr`.
    pub fn bytes(&self, addr: u64, len: u64) -> Option<&[u8]> {
        let s = self.section_of(addr)?;
        let (off, size) = s.data_offset?;
        let start = addr - s.addr;
        let end = (start + len).min(size);
        let data = if self.data.is_empty() {
            return None;
        } else {
            &self.data
        };
        data.get((off + start) as usize..(off + end) as usize)
    }

    /// The instructions of function `i`.
    pub fn decode(&self, i: usize) -> Vec<Instruction> {
        let f = &self.funcs[i];
        let Some(bytes) = self.bytes(f.addr, f.size) else {
            return Vec::new();
        };
        let mut dec = Decoder::with_ip(64, bytes, f.addr, DecoderOptions::NONE);
        let mut out = Vec::with_capacity(bytes.len() / 4);
        while dec.can_decode() {
            out.push(dec.decode());
        }
        out
    }

    /// The function starting exactly at `addr`.
    pub fn func_at(&self, addr: u64) -> Option<usize> {
        self.by_addr.get(&addr).copied()
    }

    /// The function containing `addr`.
    pub fn func_containing(&self, addr: u64) -> Option<usize> {
        let (_, &i) = self.by_addr.range(..=addr).next_back()?;
        let f = &self.funcs[i];
        (addr < f.addr + f.size.max(1)).then_some(i)
    }

    /// What a GOT slot holds: from the dynamic relocations, else (non-PIE) from the file image.
    pub fn got_slot(&self, slot: u64) -> Option<Slot> {
        if let Some(s) = self.got.get(&slot) {
            return Some(s.clone());
        }
        let b = self.bytes(slot, 8)?;
        let v = u64::from_le_bytes(b.try_into().ok()?);
        (v != 0).then_some(Slot::Addr(v))
    }

    fn resolve(&self, addr: u64) -> Callee {
        if let Some(i) = self.func_at(addr) {
            Callee::Func(i)
        } else if let Some(n) = self.plt.get(&addr) {
            Callee::Import(n.clone())
        } else {
            Callee::Addr(addr)
        }
    }

    /// The target of a call or jump instruction (`None` for any other instruction). Calls through
    /// the GOT (`call [rip+slot]`, what PIE code does for functions of other crates) are resolved
    /// through the slot's relocation; calls to PLT stubs through the stub's GOT slot.
    pub fn callee(&self, ins: &Instruction) -> Option<Callee> {
        if ins.is_call_near() || ins.is_jmp_near() {
            return Some(self.resolve(ins.near_branch_target()));
        }
        if ins.is_call_near_indirect() || ins.is_jmp_near_indirect() {
            if ins.is_ip_rel_memory_operand() {
                return Some(match self.got_slot(ins.ip_rel_memory_address()) {
                    Some(Slot::Addr(a)) => self.resolve(a),
                    Some(Slot::Import(n)) => Callee::Import(n),
                    None => Callee::Indirect,
                });
            }
            return Some(Callee::Indirect);
        }
        None
    }

    /// The code address an instruction materialises without calling it: `lea reg, [rip+addr]`, or
    /// a load from a GOT slot holding `addr` (`mov reg, [rip+slot]`, even `movq xmm, [rip+slot]`:
    /// how PIE code takes the address of a global function). `None` for calls and jumps.
    pub fn address_taken(&self, ins: &Instruction) -> Option<u64> {
        if !ins.is_ip_rel_memory_operand()
            || ins.is_call_near_indirect()
            || ins.is_jmp_near_indirect()
        {
            return None;
        }
        let a = ins.ip_rel_memory_address();
        if ins.mnemonic() == iced_x86::Mnemonic::Lea {
            return Some(a);
        }
        match self.got.get(&a) {
            Some(Slot::Addr(t)) => Some(*t),
            _ => None,
        }
    }

    /// A short name for a callee: the C name, the demangled Rust path, the import.
    pub fn callee_name(&self, c: &Callee) -> String {
        match c {
            Callee::Func(i) => self.funcs[*i].demangled.clone(),
            Callee::Import(n) => n.clone(),
            Callee::Addr(a) => format!("{a:#x}"),
            Callee::Indirect => "(indirect)".into(),
        }
    }

    /// How many relocated data words (function-pointer tables, vtables; not the GOT) hold `addr`.
    pub fn data_refs(&self, addr: u64) -> usize {
        self.data_refs.get(&addr).copied().unwrap_or(0)
    }

    /// A short name for a data address (`crop_table`, `crop_table+0x20`), if inside an object.
    pub fn object_name(&self, addr: u64) -> Option<String> {
        let (&start, (size, name)) = self.objects.range(..=addr).next_back()?;
        if addr >= start + size.max(&1) {
            return None;
        }
        Some(if addr == start {
            name.clone()
        } else {
            format!("{name}+{:#x}", addr - start)
        })
    }

    /// Function indices of a stage.
    pub fn stage_funcs<'a>(&'a self, stage: &'a str) -> impl Iterator<Item = usize> + 'a {
        (0..self.funcs.len()).filter(move |&i| self.funcs[i].origin.stage == stage)
    }

    /// The stages present, in migration order.
    pub fn stages(&self) -> Vec<String> {
        let present: BTreeSet<&str> = self.funcs.iter().map(|f| f.origin.stage.as_str()).collect();
        let mut out: Vec<String> = STAGES
            .iter()
            .map(|s| s.name)
            .chain(["asm"])
            .filter(|s| present.contains(s))
            .map(str::to_string)
            .collect();
        for s in present {
            if !out.iter().any(|o| o == s) && s != "other" {
                out.push(s.to_string());
            }
        }
        out
    }
}
