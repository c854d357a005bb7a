//! The decoder's private state: per-decoder context (persistent probabilities, segmentation,
//! loop-filter deltas, reference frames), the per-frame header, per-macroblock mode records and the
//! per-row context a row decoder needs. No mutable globals: everything a frame decode touches hangs
//! off Vp8Decoder, so rows can later be spread over threads.
use crate::idct_h::Vp8IdctDsp;
use crate::ipred_h::{BMode, Vp8IpredDsp};
use crate::loopfilter_h::Vp8LoopfilterDsp;
use crate::mb_grid::MbGrid;
use crate::mc_h::Vp8McDsp;
use crate::plane::Plane;
use crate::tables_h::{IntraMode, MbMode, SplitKind};
use crate::vp8_h::{Vp8Picture, Vp8Settings};
/// The frame a macroblock predicts from (RFC 6386 section 9.7), numbered as the C's
/// `VP8_*_FRAME`: the index of its slot in the reference table and in `sign_bias` (port step 61).
#[repr(u8)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RefFrame {
    /// `VP8_INTRA_FRAME`: intra prediction from the frame itself; the border record's.
    #[default]
    Intra = 0,
    Last,
    Golden,
    AltRef,
}
pub const VP8_NUM_REFS: i32 = 4;
/// The four kinds of residual block, each with its own token probabilities (RFC 6386 section
/// 13.3's "type"), the index of their table in `Vp8Probs::coeff` (the C's `VP8_BLOCK_*`, port
/// step 66).
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockType {
    /// Luma blocks whose DC is in the Y2 block (they start at position 1).
    YAfterY2 = 0,
    Y2,
    /// Chroma blocks.
    Uv,
    /// Luma blocks of B_PRED and SPLITMV macroblocks, which have no Y2.
    YWithDc,
}
/// The four dispatch tables.
#[derive(Debug, Clone, Copy)]
pub struct Vp8Dsp {
    pub mc: Vp8McDsp,
    pub idct: Vp8IdctDsp,
    pub ipred: Vp8IpredDsp,
    pub lf: Vp8LoopfilterDsp,
}
impl Vp8Dsp {
    /// Every table: the Rust fallbacks, with the asm kernels the CPU tokens allow.
    pub fn new(cpu: vp8_asm::safe::CpuTokens) -> Vp8Dsp {
        Vp8Dsp {
            mc: crate::mc::mc_dsp_init(cpu),
            idct: crate::idct::idct_dsp_init(cpu),
            ipred: crate::ipred::ipred_dsp_init(cpu),
            lf: crate::loopfilter::loopfilter_dsp_init(cpu),
        }
    }
}
/// Motion vector in quarter pels (the bitstream's unit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Vp8Mv {
    pub row: i16,
    pub col: i16,
}
/// A picture: three owned planes (plane.rs) with VP8_BORDER pixels around each, shared by
/// reference count between the last/golden/altref slots. Planes have the macroblock-aligned size.
#[derive(Debug)]
pub struct Vp8Frame {
    pub planes: [Plane; 3],
    pub refs: i32,
}
/// The decoder's picture buffers and who uses them: references and the frame being decoded are
/// indices into `frames` (the transpiled code kept `*mut Vp8Frame` pointers into the array).
#[derive(Debug)]
pub struct Vp8Frames {
    pub frames: [Vp8Frame; 5],
    /// \[0\] unused; last, golden, altref
    pub r#ref: [Option<usize>; 4],
    /// the frame being decoded (a free one, never a reference while it is decoded)
    pub cur: usize,
}
impl Vp8Frames {
    #[inline(always)]
    pub fn cur(&self) -> &Vp8Frame {
        &self.frames[self.cur]
    }
    #[inline(always)]
    pub fn cur_mut(&mut self) -> &mut Vp8Frame {
        &mut self.frames[self.cur]
    }
    /// The frame being decoded and the reference slots' planes, borrowed together.
    pub fn split_cur(&mut self) -> (&mut Vp8Frame, [Option<&[Plane; 3]>; 4]) {
        let (cur, slots) = (self.cur, self.r#ref);
        let mut others: [Option<&[Plane; 3]>; 5] = [None; 5];
        let mut cur_frame = None;
        for (i, f) in self.frames.iter_mut().enumerate() {
            if i == cur {
                cur_frame = Some(f);
            } else {
                others[i] = Some(&f.planes);
            }
        }
        let refs = slots.map(|s| s.and_then(|i| others[i]));
        (
            cur_frame.expect("the current frame is one of the five"),
            refs,
        )
    }
}
/// Probabilities that persist from frame to frame (and are saved/restored around frames with
/// refresh_entropy_probs == 0).
#[derive(Debug, Clone, Copy, Default)]
pub struct Vp8Probs {
    pub coeff: [[[[u8; 11]; 3]; 8]; 4],
    pub ymode: [u8; 4],
    pub uvmode: [u8; 3],
    pub mv: [[u8; 19]; 2],
}
#[derive(Debug, Clone, Copy, Default)]
pub struct Vp8Segmentation {
    pub enabled: bool,
    pub update_map: bool,
    pub update_data: bool,
    /// segment_feature_mode: absolute values, not deltas
    pub absolute: bool,
    pub quant: [i8; 4],
    pub lf_level: [i8; 4],
    pub tree_probs: [u8; 3],
}
#[derive(Debug, Clone, Copy, Default)]
pub struct Vp8LfDeltas {
    pub enabled: bool,
    /// intra, last, golden, altref
    pub r#ref: [i8; 4],
    /// B_PRED, ZEROMV, other MV modes, SPLITMV
    pub mode: [i8; 4],
}
#[derive(Debug, Clone, Copy, Default)]
pub struct Vp8FrameHeader {
    pub keyframe: bool,
    /// 3 bits: the reconstruction filter and whether vectors are full-pixel (RFC 9.1)
    pub version: u8,
    pub show_frame: bool,
    pub first_part_size: u32,
    /// 14 bits each (RFC 9.2)
    pub width: u16,
    pub height: u16,
    /// 2 bits each: the scaling the key frame asks the application for
    pub hscale: u8,
    pub vscale: u8,
    /// 1 bit each (RFC 9.2)
    pub color_space: u8,
    pub clamping_type: u8,
    pub filter_type: FilterType,
    /// 0..=63
    pub filter_level: u8,
    /// 0..=7
    pub sharpness: u8,
    pub num_partitions: usize,
    /// 0..=127
    pub qindex: u8,
    /// the quantizer deltas, -15..=15 (RFC 9.6)
    pub dq_y1_dc: i8,
    pub dq_y2_dc: i8,
    pub dq_y2_ac: i8,
    pub dq_uv_dc: i8,
    pub dq_uv_ac: i8,
    pub refresh_golden: bool,
    pub refresh_altref: bool,
    /// The buffer copied into the golden slot when it is not refreshed: last or altref.
    pub copy_to_golden: Option<RefFrame>,
    /// The buffer copied into the altref slot when it is not refreshed: last or golden.
    pub copy_to_altref: Option<RefFrame>,
    /// Whether a reference frame's vectors point the other way (RFC 9.7), by `RefFrame`.
    pub sign_bias: [bool; 4],
    pub refresh_entropy: bool,
    pub refresh_last: bool,
    pub mb_no_coeff_skip: bool,
    pub prob_skip_false: u8,
    pub prob_intra: u8,
    pub prob_last: u8,
    pub prob_golden: u8,
}
/// The loop filter of a frame (RFC 15): `filter_type` 0 in the header, or 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FilterType {
    #[default]
    Normal,
    Simple,
}
/// Everything the reconstruction of one macroblock, and its neighbours' parsing, needs.
/// All-zero (`Default`) is the border record: intra, DC_PRED, zero vectors.
/// `repr(C)` keeps the declared order, the mode bytes ahead of the vectors: in the order rustc
/// picks, the decoder ran 0.4% more instructions (port step 71).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Vp8MbInfo {
    pub ymode: MbMode,
    pub uvmode: IntraMode,
    pub ref_frame: RefFrame,
    /// persists across frames unless the map is updated
    pub segment: u8,
    /// mb_skip_coeff; after token decoding: whether no coefficient was coded
    pub skip: bool,
    /// the partitioning when ymode is SPLITMV
    pub split_kind: SplitKind,
    /// the macroblock's vector (the last subblock's for SPLITMV); 0 if intra
    pub mv: Vp8Mv,
    /// subblock intra modes (implied ones for 16x16 modes)
    pub bmodes: [BMode; 16],
    /// subblock vectors, valid when ymode == VP8_SPLITMV
    pub bmv: [Vp8Mv; 16],
}
/// Dequantization factors of one segment, [dc, ac].
#[derive(Debug, Clone, Copy, Default)]
pub struct Vp8Dequant {
    pub y1: [i16; 2],
    pub y2: [i16; 2],
    pub uv: [i16; 2],
}
/// Per-row decoding state: what a thread decoding one macroblock row owns.
/// `repr(C)` keeps the declared order (rustc's cost 0.1% more decoder instructions, step 71).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Vp8RowCtx {
    /// non-zero flags left: 4 Y, 2 U, 2 V, 1 Y2 (bools: a block's context, the sum of two
    /// flags, is then known to be 0..2 and indexes the probabilities without a check)
    pub left_nz: [bool; 9],
    pub coeffs: crate::Align16<[[i16; 16]; 25]>,
    pub eobs: [u8; 25],
    /// Emulated-edge source for motion vectors reaching beyond the border.
    pub emu: crate::Align16<[u8; 441]>,
}
impl Default for Vp8RowCtx {
    fn default() -> Self {
        Vp8RowCtx {
            left_nz: [false; 9],
            coeffs: crate::Align16([[0; 16]; 25]),
            eobs: [0; 25],
            emu: crate::Align16([0; 441]),
        }
    }
}
#[derive(Debug)]
pub struct Vp8Decoder {
    pub settings: Vp8Settings,
    pub dsp: Vp8Dsp,
    pub hdr: Vp8FrameHeader,
    pub seg: Vp8Segmentation,
    pub lf_deltas: Vp8LfDeltas,
    pub probs: Vp8Probs,
    pub saved_probs: Vp8Probs,
    pub dequant: [Vp8Dequant; 4],
    /// Size of the current stream in pixels (from the last key frame); 0 before the first.
    /// Set with the macroblock counts by `set_size`.
    pub width: u16,
    pub height: u16,
    /// The same size in macroblocks, rounded up.
    pub mb_cols: usize,
    pub mb_rows: usize,
    /// The last key frame's scaling and colour fields, for the pictures.
    pub hscale: u8,
    pub vscale: u8,
    pub color_space: u8,
    pub clamping_type: u8,
    /// Mode records with one border row above and one border column left (all zero: intra,
    /// DC_PRED, zero vectors), so neighbours outside the frame need no special case.
    pub mb_grid: MbGrid,
    /// 9 flags per macroblock column
    pub above_nz: Vec<[bool; 9]>,
    pub row: Vp8RowCtx,
    /// None until the first key frame sizes them.
    pub fb: Option<Box<Vp8Frames>>,
    /// references valid: a key frame was decoded since the last error
    pub have_keyframe: bool,
    pub picture_ready: bool,
    pub picture: Vp8Picture,
    pub frame_count: u64,
    /// the detail of the most recent failure
    pub error: String,
    /// Threads a frame is decoded on (`thread::resolve_threads` of the settings).
    pub threads: usize,
    /// The rows in flight when `threads > 1` (thread.rs).
    pub slots: crate::thread::Slots,
    /// The threads that decode frames with the caller, kept from frame to frame (workers.rs).
    pub workers: crate::workers::Workers,
}
impl Vp8Decoder {
    /// The stream's size in pixels, and in macroblocks (rounded up).
    pub fn set_size(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.mb_cols = usize::from(width).div_ceil(16);
        self.mb_rows = usize::from(height).div_ceil(16);
    }

    /// A decoder before its first frame: what the C stage's calloc gave (zero numbers, no
    /// buffers), with the given settings and dsp tables.
    pub fn new(settings: Vp8Settings, dsp: Vp8Dsp) -> Box<Vp8Decoder> {
        Box::new(Vp8Decoder {
            settings,
            dsp,
            hdr: Vp8FrameHeader::default(),
            seg: Vp8Segmentation::default(),
            lf_deltas: Vp8LfDeltas::default(),
            probs: Vp8Probs::default(),
            saved_probs: Vp8Probs::default(),
            dequant: [Vp8Dequant::default(); 4],
            width: 0,
            height: 0,
            mb_cols: 0,
            mb_rows: 0,
            hscale: 0,
            vscale: 0,
            color_space: 0,
            clamping_type: 0,
            mb_grid: MbGrid::default(),
            above_nz: Vec::new(),
            row: Vp8RowCtx::default(),
            fb: None,
            have_keyframe: false,
            picture_ready: false,
            picture: Vp8Picture::default(),
            frame_count: 0,
            error: String::new(),
            threads: crate::thread::resolve_threads(settings.n_threads),
            slots: crate::thread::Slots::default(),
            workers: crate::workers::Workers::default(),
        })
    }
}
