//! Stack frame sizes, two ways.
//!
//! - **`.eh_frame`**: the largest `CFA = rsp + N` of the function's FDE rows. N counts every byte
//!   between the caller's `rsp` before the `call` and the function's lowest `rsp`, return address
//!   included (so a leaf that touches no stack has 8; GCC's `-fstack-usage` reports the same N).
//! - **Disassembly**: a forward walk over the function's control-flow graph tracking how far
//!   `rsp` is below the CFA: `push`/`pop`, `sub`/`add rsp, imm`, `lea rsp, [rsp±d]`,
//!   `sub rsp, reg` after `mov reg, imm` (the `__rust_probestack` sequence), probe loops
//!   (`lea r11, [rsp-N]` … `sub rsp, 4096; or/mov qword [rsp], 0` … `cmp rsp, r11; jne`), frame
//!   pointers (`mov rbp, rsp` remembered; `mov rsp, rbp`, `lea rsp, [rbp-d]`, `leave` restore it)
//!   and `and rsp, -A` realignment (counted as its worst case, `A - 8` or `A - 16` bytes of
//!   padding). Targets of indirect jumps (switch tables) are walked from the depth of the code
//!   just before them.
//!
//! The reported frame is the CFI figure when the CFA is rsp-based throughout; with a frame
//! pointer the CFI stops describing `rsp` (after `mov rbp, rsp` the CFA is `rbp + 16` whatever
//! `rsp` does), so the disassembly figure is used; for functions without an FDE (hand-written asm
//! without CFI directives) too. Both are reported.

use std::collections::{BTreeMap, HashMap, VecDeque};

use iced_x86::{Code, Instruction, Mnemonic, OpKind, Register};

use super::binary::Binary;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct State {
    /// Bytes between the CFA and rsp.
    depth: i64,
    /// `depth` when rbp was set from rsp.
    rbp: Option<i64>,
    /// A known constant in rax/eax (for `sub rsp, rax`).
    rax: Option<i64>,
    /// `lea r11, [rsp - N]`: the depth the probe loop ends at.
    r11: Option<i64>,
}

/// What the disassembly walk found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DisasmFrame {
    /// Largest depth (bytes below the CFA, return address included).
    pub max_depth: i64,
    pub frame_pointer: bool,
    /// `and rsp, -A` seen (the A).
    pub realign: u64,
    /// Calls `__rust_probestack` or runs an inline probe loop / probe stores.
    pub probes: bool,
}

fn imm(ins: &Instruction, op: u32) -> Option<i64> {
    match ins.op_kind(op) {
        OpKind::Immediate8
        | OpKind::Immediate16
        | OpKind::Immediate32
        | OpKind::Immediate64
        | OpKind::Immediate8to16
        | OpKind::Immediate8to32
        | OpKind::Immediate8to64
        | OpKind::Immediate32to64 => Some(ins.immediate(op) as i64),
        _ => None,
    }
}

fn is_rsp(ins: &Instruction, op: u32) -> bool {
    ins.op_kind(op) == OpKind::Register && ins.op_register(op) == Register::RSP
}

fn mem_base_rsp_only(ins: &Instruction) -> bool {
    ins.memory_base() == Register::RSP && ins.memory_index() == Register::None
}

/// Apply one instruction to the state; returns whether it is a probe store/call.
fn step(b: &Binary, ins: &Instruction, s: &mut State) -> bool {
    let mut probe = false;
    match ins.mnemonic() {
        Mnemonic::Push => s.depth += 8,
        Mnemonic::Pushfq => s.depth += 8,
        Mnemonic::Pop | Mnemonic::Popfq => {
            if ins.op_kind(0) == OpKind::Register && ins.op_register(0) == Register::RBP {
                s.rbp = None;
            }
            s.depth -= 8;
        }
        Mnemonic::Sub if is_rsp(ins, 0) => {
            if let Some(v) = imm(ins, 1) {
                s.depth += v;
            } else if ins.op_kind(1) == OpKind::Register
                && matches!(ins.op_register(1), Register::RAX | Register::EAX)
            {
                if let Some(v) = s.rax {
                    s.depth += v;
                }
            }
        }
        Mnemonic::Add if is_rsp(ins, 0) => {
            if let Some(v) = imm(ins, 1) {
                s.depth -= v;
            }
        }
        Mnemonic::Lea if is_rsp(ins, 0) => {
            let d = ins.memory_displacement64() as i64;
            if mem_base_rsp_only(ins) {
                s.depth -= d;
            } else if ins.memory_base() == Register::RBP && ins.memory_index() == Register::None {
                if let Some(r) = s.rbp {
                    s.depth = r - d;
                }
            }
        }
        Mnemonic::Lea
            if ins.op_kind(0) == OpKind::Register
                && ins.op_register(0) == Register::R11
                && mem_base_rsp_only(ins) =>
        {
            s.r11 = Some(s.depth - ins.memory_displacement64() as i64);
        }
        Mnemonic::Cmp
            if is_rsp(ins, 0)
                && ins.op_kind(1) == OpKind::Register
                && ins.op_register(1) == Register::R11 =>
        {
            // End of a probe loop: rsp == r11 on the way out.
            if let Some(t) = s.r11 {
                s.depth = t;
            }
            probe = true;
        }
        Mnemonic::And if is_rsp(ins, 0) => {
            if let Some(v) = imm(ins, 1) {
                let align = (-v) as u64;
                if align > 8 {
                    s.depth += align as i64 - if s.depth % 16 == 0 { 16 } else { 8 };
                }
            }
        }
        Mnemonic::Mov => {
            if ins.op_kind(0) == OpKind::Register && ins.op_kind(1) == OpKind::Register {
                match (ins.op_register(0), ins.op_register(1)) {
                    (Register::RBP, Register::RSP) => s.rbp = Some(s.depth),
                    (Register::RSP, Register::RBP) => {
                        if let Some(r) = s.rbp {
                            s.depth = r;
                        }
                    }
                    _ => {}
                }
            } else if ins.op_kind(0) == OpKind::Register
                && matches!(ins.op_register(0), Register::RAX | Register::EAX)
            {
                s.rax = imm(ins, 1);
            } else if ins.op_kind(0) == OpKind::Memory
                && mem_base_rsp_only(ins)
                && ins.memory_displacement64() == 0
                && imm(ins, 1) == Some(0)
            {
                probe = true;
            }
        }
        Mnemonic::Or if ins.op_kind(0) == OpKind::Memory && mem_base_rsp_only(ins) => {
            probe = true;
        }
        Mnemonic::Leave => {
            if let Some(r) = s.rbp {
                s.depth = r;
            }
            s.depth -= 8;
            s.rbp = None;
        }
        Mnemonic::Call => {
            if let Some(c) = b.callee(ins) {
                if b.callee_name(&c).contains("probestack") {
                    probe = true;
                }
            }
        }
        _ => {
            // Any other write to rax forgets its constant.
            if ins.op_count() > 0
                && ins.op_kind(0) == OpKind::Register
                && matches!(ins.op_register(0), Register::RAX | Register::EAX)
            {
                s.rax = None;
            }
        }
    }
    probe
}

/// Walk a function's control flow (its instructions, in address order) and report the deepest
/// `rsp`.
pub fn disasm_frame(b: &Binary, insns: &[Instruction]) -> DisasmFrame {
    let mut out = DisasmFrame {
        max_depth: 8,
        ..DisasmFrame::default()
    };
    if insns.is_empty() {
        return out;
    }
    let index: HashMap<u64, usize> = insns.iter().enumerate().map(|(i, x)| (x.ip(), i)).collect();
    let mut seen: Vec<Option<State>> = vec![None; insns.len()];
    let mut work: VecDeque<(usize, State)> = VecDeque::new();
    work.push_back((
        0,
        State {
            depth: 8,
            ..State::default()
        },
    ));
    loop {
        while let Some((i, st)) = work.pop_front() {
            if i >= insns.len() || seen[i].is_some() {
                continue;
            }
            seen[i] = Some(st);
            let ins = &insns[i];
            let mut s = st;
            if step(b, ins, &mut s) {
                out.probes = true;
            }
            if s.rbp.is_some() {
                out.frame_pointer = true;
            }
            if ins.mnemonic() == Mnemonic::And && is_rsp(ins, 0) {
                out.realign = out.realign.max(imm(ins, 1).map_or(0, |v| (-v) as u64));
            }
            out.max_depth = out.max_depth.max(s.depth);
            let code = ins.code();
            let is_ret = matches!(
                ins.mnemonic(),
                Mnemonic::Ret | Mnemonic::Ud2 | Mnemonic::Int3 | Mnemonic::Hlt
            ) || matches!(code, Code::Retnq | Code::Retnq_imm16);
            let target_inside = |t: u64| index.get(&t).copied();
            if ins.is_jmp_short_or_near() {
                if let Some(t) = target_inside(ins.near_branch_target()) {
                    work.push_back((t, s));
                }
                continue; // tail call or jump out of the function otherwise
            }
            if ins.is_jmp_near_indirect() || is_ret {
                continue;
            }
            if ins.flow_control() == iced_x86::FlowControl::ConditionalBranch {
                if let Some(t) = target_inside(ins.near_branch_target()) {
                    work.push_back((t, s));
                }
            }
            work.push_back((i + 1, s));
        }
        // Unreached code (switch-table targets): continue from the nearest walked instruction
        // before it.
        let Some(u) = (0..insns.len()).find(|&i| seen[i].is_none()) else {
            break;
        };
        let prev = (0..u).rev().find_map(|j| seen[j]);
        let st = prev.unwrap_or(State {
            depth: 8,
            ..State::default()
        });
        // Ignore trailing padding (int3/nop) after the last instruction of the function.
        if insns[u..]
            .iter()
            .all(|x| matches!(x.mnemonic(), Mnemonic::Int3 | Mnemonic::Nop))
        {
            break;
        }
        work.push_back((u, st));
    }
    out
}

/// The frame of one function, both ways.
#[derive(Debug, Clone)]
pub struct Frame {
    pub func: usize,
    /// From `.eh_frame` (rsp-based rows only); `None` without an FDE.
    pub eh: Option<i64>,
    pub disasm: DisasmFrame,
    /// The figure reported: `eh` when the CFA stays rsp-based, else `disasm.max_depth`.
    pub frame: i64,
    /// "eh_frame" or "disasm".
    pub source: &'static str,
}

pub fn frame_of(b: &Binary, fi: usize, insns: &[Instruction]) -> Frame {
    let f = &b.funcs[fi];
    let eh = b.eh.get(&f.addr);
    let d = disasm_frame(b, insns);
    let (frame, source) = match eh {
        Some(e) if !e.uses_rbp && !e.other_cfa => (e.max_rsp_offset, "eh_frame"),
        _ => (d.max_depth, "disasm"),
    };
    Frame {
        func: fi,
        eh: eh.map(|e| e.max_rsp_offset),
        disasm: d,
        frame,
        source,
    }
}

/// Frames of every function of the given stages.
pub fn frames(b: &Binary, stages: &[String]) -> Vec<Frame> {
    let mut out = Vec::new();
    for (i, f) in b.funcs.iter().enumerate() {
        if stages.contains(&f.origin.stage) {
            let insns = b.decode(i);
            out.push(frame_of(b, i, &insns));
        }
    }
    out
}

/// Key matching a C function with its transpiled counterpart: (module without `.c`, `/` as
/// `::`), name.
pub fn match_key(b: &Binary, fi: usize) -> (String, String) {
    let o = &b.funcs[fi].origin;
    let m = o.module.trim_end_matches(".c").replace('/', "::");
    (m, o.name.clone())
}

/// Group frames by (module, name) keeping the largest copy (GCC clones and Rust per-CGU copies of
/// `#[inline]` functions are separate symbols), only for the main body (no closures/`.cold`).
pub fn by_key(
    b: &Binary,
    frames: &[Frame],
    stage: &str,
) -> BTreeMap<(String, String), (i64, usize, usize)> {
    let mut m: BTreeMap<(String, String), (i64, usize, usize)> = BTreeMap::new();
    for fr in frames {
        let f = &b.funcs[fr.func];
        if f.origin.stage != stage
            || f.origin.variant == "cold"
            || f.origin.variant.starts_with('{')
        {
            continue;
        }
        let e = m.entry(match_key(b, fr.func)).or_insert((0, fr.func, 0));
        e.2 += 1;
        if fr.frame > e.0 {
            e.0 = fr.frame;
            e.1 = fr.func;
        }
    }
    m
}
