//! A function's disassembly as normalised text, and a diff of two of them.
//!
//! Normalisation (so the diff shows code differences, not layout): branch targets inside the
//! function become labels `L1`, `L2`… numbered in address order; calls and jumps to other
//! functions name the callee by its source name (`vp8_transpiled::decode::foo` -> `foo`, the
//! C `foo` -> `foo`, so the same callee reads the same in both stages); calls through a GOT slot
//! name its target (`[got:memcpy]`); rip-relative data operands name the object they hit
//! (`crop_table+0x20`) or become `DATA`. With `loose`, stack slots (`[rsp+38h]`, `[rbp-40h]`)
//! all read `[stack]`, so frame layout and frame pointers do not show as differences.

use std::collections::{BTreeMap, HashMap};

use iced_x86::{Formatter, Instruction, IntelFormatter, OpKind, SymbolResolver, SymbolResult};

use super::binary::{Binary, Callee, Slot, split_path};

/// Names of the addresses one function's operands refer to, computed up front (the formatter
/// wants an owned resolver).
struct Names<'a> {
    b: &'a Binary,
    start: u64,
    end: u64,
    labels: &'a BTreeMap<u64, usize>,
}

/// The formatter's resolver: address -> name, branch targets and rip-relative operands only.
struct Resolver {
    names: HashMap<u64, String>,
}

fn short(b: &Binary, i: usize) -> String {
    let f = &b.funcs[i];
    match f.origin.stage.as_str() {
        "other" => {
            let segs = split_path(&f.demangled);
            if segs.len() > 1 {
                segs[segs.len() - 2..].join("::")
            } else {
                f.demangled.clone()
            }
        }
        _ => {
            if f.origin.variant.is_empty() {
                f.origin.name.clone()
            } else {
                format!("{}.{}", f.origin.name, f.origin.variant)
            }
        }
    }
}

impl Names<'_> {
    fn name_addr(&self, addr: u64) -> String {
        if addr >= self.start && addr < self.end {
            return match self.labels.get(&addr) {
                Some(l) => format!("L{l}"),
                None => format!("L?+{:#x}", addr - self.start),
            };
        }
        if let Some(i) = self.b.func_at(addr) {
            return short(self.b, i);
        }
        if let Some(i) = self.b.func_containing(addr) {
            return format!("{}+{:#x}", short(self.b, i), addr - self.b.funcs[i].addr);
        }
        if let Some(n) = self.b.object_name(addr) {
            return n;
        }
        if let Some(s) = self.b.got_slot(addr) {
            return match s {
                Slot::Import(n) => format!("got:{n}"),
                Slot::Addr(a) => match self.b.func_at(a) {
                    Some(i) => format!("got:{}", short(self.b, i)),
                    None => "got:DATA".to_string(),
                },
            };
        }
        "DATA".to_string()
    }

    fn resolver(&self, insns: &[Instruction]) -> Resolver {
        let mut names = HashMap::new();
        for ins in insns {
            if ins.is_ip_rel_memory_operand() {
                let a = ins.ip_rel_memory_address();
                names.insert(a, self.name_addr(a));
            }
            for op in 0..ins.op_count() {
                if matches!(
                    ins.op_kind(op),
                    OpKind::NearBranch16 | OpKind::NearBranch32 | OpKind::NearBranch64
                ) {
                    let t = ins.near_branch_target();
                    let n = match self.b.callee(ins) {
                        Some(Callee::Import(n)) => format!("{n}@plt"),
                        _ => self.name_addr(t),
                    };
                    names.insert(t, n);
                }
            }
        }
        Resolver { names }
    }
}

impl SymbolResolver for Resolver {
    fn symbol(
        &mut self,
        instruction: &Instruction,
        _operand: u32,
        instruction_operand: Option<u32>,
        address: u64,
        _address_size: u32,
    ) -> Option<SymbolResult<'_>> {
        let op = instruction_operand?;
        match instruction.op_kind(op) {
            OpKind::NearBranch16 | OpKind::NearBranch32 | OpKind::NearBranch64 | OpKind::Memory => {
                let n = self.names.get(&address)?;
                Some(SymbolResult::with_str(address, n.as_str()))
            }
            _ => None,
        }
    }
}

/// One normalised line per instruction: (offset in the function, text).
pub fn normalised(b: &Binary, fi: usize, insns: &[Instruction], loose: bool) -> Vec<(u64, String)> {
    let f = &b.funcs[fi];
    let (start, end) = (f.addr, f.addr + f.size);
    let mut targets: Vec<u64> = insns
        .iter()
        .filter(|i| i.is_jcc_short_or_near() || i.is_jmp_short_or_near() || i.is_loop())
        .map(|i| i.near_branch_target())
        .filter(|&t| t >= start && t < end)
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let labels: BTreeMap<u64, usize> = targets
        .iter()
        .enumerate()
        .map(|(n, &t)| (t, n + 1))
        .collect();
    let resolver = Names {
        b,
        start,
        end,
        labels: &labels,
    }
    .resolver(insns);
    let mut fmt = IntelFormatter::with_options(Some(Box::new(resolver)), None);
    fmt.options_mut().set_rip_relative_addresses(false);
    fmt.options_mut().set_show_branch_size(false);
    fmt.options_mut().set_branch_leading_zeros(false);
    fmt.options_mut().set_space_after_operand_separator(true);
    let mut out = Vec::with_capacity(insns.len() + labels.len());
    for ins in insns {
        let mut s = String::new();
        if let Some(l) = labels.get(&ins.ip()) {
            out.push((ins.ip() - start, format!("L{l}:")));
        }
        fmt.format(ins, &mut s);
        if loose {
            s = blank_stack_offsets(&s);
        }
        out.push((ins.ip() - start, format!("    {s}")));
    }
    out
}

/// `[rsp+38h]`, `[rbp-10h]`, `[rsp]` -> `[stack]` (a frame-pointer build and one without then
/// read alike).
fn blank_stack_offsets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('[') {
        out.push_str(&rest[..p]);
        let tail = &rest[p..];
        let close = tail.find(']').map_or(tail.len(), |c| c + 1);
        let inner = &tail[..close];
        let simple = |r: &str| {
            inner.strip_prefix(r).is_some_and(|x| {
                x == "]"
                    || (x.starts_with(['+', '-'])
                        && x[1..x.len() - 1]
                            .trim_end_matches('h')
                            .bytes()
                            .all(|c| c.is_ascii_hexdigit()))
            })
        };
        if simple("[rsp") || simple("[rbp") {
            out.push_str("[stack]");
        } else {
            out.push_str(inner);
        }
        rest = &tail[close..];
    }
    out.push_str(rest);
    out
}

/// Unified diff of two normalised listings (`context` lines around each change).
pub fn unified(
    a_name: &str,
    a: &[(u64, String)],
    b_name: &str,
    b: &[(u64, String)],
    context: usize,
) -> String {
    let at: String = a.iter().map(|(_, s)| format!("{s}\n")).collect();
    let bt: String = b.iter().map(|(_, s)| format!("{s}\n")).collect();
    let diff = similar::TextDiff::from_lines(&at, &bt);
    diff.unified_diff()
        .context_radius(context)
        .header(a_name, b_name)
        .to_string()
}

/// Two columns: left and right listing aligned by the diff (`<`, `>`, `|` mark differences).
pub fn side_by_side(a: &[(u64, String)], b: &[(u64, String)], width: usize) -> String {
    let at: Vec<&str> = a.iter().map(|(_, s)| s.as_str()).collect();
    let bt: Vec<&str> = b.iter().map(|(_, s)| s.as_str()).collect();
    let mut out = String::new();
    let cut = |s: &str| -> String {
        let s = s.trim_end();
        if s.chars().count() > width {
            s.chars().take(width - 1).collect::<String>() + "…"
        } else {
            format!("{s:width$}")
        }
    };
    for (l, r, mark) in diff_rows(&at, &bt) {
        let ls = l.map_or(String::new(), |i| format!("{:5x} {}", a[i].0, a[i].1));
        let rs = r.map_or(String::new(), |i| format!("{:5x} {}", b[i].0, b[i].1));
        out.push_str(&format!("{} {mark} {}\n", cut(&ls), rs.trim_end()));
    }
    out
}

/// Rows of a side-by-side view of two sequences aligned by a Myers diff: (left index, right index,
/// mark), the mark `' '` for equal rows, `<` / `>` for rows only on one side, `|` for replaced
/// rows (either side may run out first).
pub fn diff_rows<T: std::hash::Hash + Eq + Ord>(
    a: &[T],
    b: &[T],
) -> Vec<(Option<usize>, Option<usize>, char)> {
    use similar::DiffOp;
    let mut rows = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, a, b) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => rows.extend((0..len).map(|k| (Some(old_index + k), Some(new_index + k), ' '))),
            DiffOp::Delete {
                old_index, old_len, ..
            } => rows.extend((0..old_len).map(|k| (Some(old_index + k), None, '<'))),
            DiffOp::Insert {
                new_index, new_len, ..
            } => rows.extend((0..new_len).map(|k| (None, Some(new_index + k), '>'))),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => rows.extend((0..old_len.max(new_len)).map(|k| {
                (
                    (k < old_len).then_some(old_index + k),
                    (k < new_len).then_some(new_index + k),
                    '|',
                )
            })),
        }
    }
    rows
}

/// Mnemonic histogram (for "what is there more of").
pub fn mnemonics(insns: &[Instruction]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for i in insns {
        *m.entry(format!("{:?}", i.mnemonic()).to_lowercase())
            .or_insert(0) += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    #[test]
    fn stack_slots_blank_out() {
        assert_eq!(
            super::blank_stack_offsets("mov [rbp-40h], eax"),
            "mov [stack], eax"
        );
        assert_eq!(
            super::blank_stack_offsets("mov rcx, qword ptr [rsp+48h]"),
            "mov rcx, qword ptr [stack]"
        );
        assert_eq!(
            super::blank_stack_offsets("lea rax, [rsp+rcx*2+8]"),
            "lea rax, [rsp+rcx*2+8]"
        );
        assert_eq!(
            super::blank_stack_offsets("mov eax, [rdi+18h]"),
            "mov eax, [rdi+18h]"
        );
    }
}
