//! One contract for every stage (DESIGN.md): open with [`Settings`], decode one compressed frame,
//! take the next [`Picture`] (I420 planes, strides, size), close on drop, with the same
//! [`ErrorKind`]s whatever the stage.
//!
//! [`Vp8Stage`] is implemented by the C stage ([`CStage`], through `vp8-c`) and the transpiled
//! stage ([`TranspiledStage`], through `vp8-transpiled`'s generated C-like API, behind the
//! `transpiled` cargo feature, on by default). `vp8dec --stage X`, `portlab verify` and the
//! criterion benches pick stages by name through [`stage_by_name`] / [`all_stages`], so a new
//! stage (safe/) needs one more adapter here and nothing else.
//!
//! ```no_run
//! use portlab::stage::{Settings, stage_by_name};
//! let stage = stage_by_name("c").unwrap();
//! let mut decoder = stage.open(&Settings::default()).unwrap();
//! let frame: &[u8] = &[]; // one IVF frame payload
//! match decoder.decode(frame) {
//!     Ok(()) => {
//!         if let Some(picture) = decoder.picture() {
//!             println!("{}x{} {}", picture.width, picture.height, picture.md5_hex());
//!         }
//!     }
//!     Err(e) => eprintln!("{e}"),
//! }
//! ```

use std::fmt;
use std::io::{self, Write};

use md5::{Digest, Md5};

/// CPU feature bits of [`Settings::cpu_mask`] (the `VP8_CPU_*` of vp8.h, the same in every stage).
pub use vp8_c::cpu;

/// The `--cpumask` words: "none", "sse2", "ssse3", "avx2" (each includes the ones before it) or
/// "all" (what `vp8_parse_cpu_mask` accepts). `None` for anything else.
pub fn parse_cpu_mask(word: &str) -> Option<u32> {
    match word {
        "none" => Some(cpu::NONE),
        "sse2" => Some(cpu::SSE2),
        "ssse3" => Some(cpu::SSE2 | cpu::SSSE3),
        "avx2" => Some(cpu::SSE2 | cpu::SSSE3 | cpu::AVX2),
        "all" => Some(cpu::ALL),
        _ => None,
    }
}

/// The word for a mask made by [`parse_cpu_mask`] (or `0x…` for any other mask).
pub fn cpu_mask_word(mask: u32) -> String {
    for w in ["none", "sse2", "ssse3", "avx2", "all"] {
        if parse_cpu_mask(w) == Some(mask) {
            return w.to_string();
        }
    }
    format!("{mask:#x}")
}

/// The CPU features this process can use (cpuid + OS support), as [`cpu`] bits. Every stage
/// detects them the same way; this asks the C stage.
pub fn cpu_flags() -> u32 {
    vp8_c::cpu_flags()
}

/// Decoder settings (`Vp8Settings`), the same for every stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// [`cpu`] bits the decoder may use; it uses their intersection with [`cpu_flags`].
    pub cpu_mask: u32,
    /// Decoding threads; 0 = one per core. Output never depends on it.
    pub threads: u32,
    /// Refuse key frames with width * height above this; 0 = no limit.
    pub max_frame_area: u64,
}

impl Default for Settings {
    /// vp8.h's defaults: all CPU features, automatic threads, no size limit.
    fn default() -> Self {
        Settings {
            cpu_mask: cpu::ALL,
            threads: 0,
            max_frame_area: 0,
        }
    }
}

/// The kinds of failure (`enum Vp8Error` of vp8.h), the same in every stage: the C stage's own
/// type, so codes, names and kinds are defined once.
pub use vp8_c::ErrorKind;

/// A failure of a stage's decoder: the kind, the name the stage gave it and the detail
/// (`vp8_last_error`, "" if none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageError {
    pub kind: ErrorKind,
    /// The stage's `vp8_error_string` for the code.
    pub name: String,
    /// What exactly went wrong, e.g. "partition 2 size 4000 exceeds the 1200 bytes left".
    pub detail: String,
}

impl StageError {
    pub fn code(&self) -> i32 {
        self.kind.code()
    }
}

impl fmt::Display for StageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}: {}", self.name, self.detail)
        }
    }
}

impl std::error::Error for StageError {}

/// A decoded I420 picture borrowed from its decoder: valid until the next `decode`.
#[derive(Debug, Clone, Copy)]
pub struct Picture<'a> {
    /// Y, U, V: from the first pixel to the last pixel of the last row; row `y` of plane `p`
    /// starts at `y * strides[p]`.
    pub planes: [&'a [u8]; 3],
    pub strides: [usize; 3],
    /// Coded size in pixels; chroma planes are `(w+1)/2 x (h+1)/2`.
    pub width: usize,
    pub height: usize,
    pub keyframe: bool,
    /// Index (from 0) of the compressed frame that produced it.
    pub frame_number: u64,
}

/// Width and height of plane `p` of a `width` x `height` I420 picture.
pub fn plane_size(width: usize, height: usize, p: usize) -> (usize, usize) {
    if p == 0 {
        (width, height)
    } else {
        (width.div_ceil(2), height.div_ceil(2))
    }
}

impl<'a> Picture<'a> {
    /// Build a picture from raw plane pointers (the C API's `Vp8Picture`), checking sizes.
    ///
    /// # Safety
    /// For each plane, `height_p` rows of `width_p` bytes at `data[p] + y * stride[p]` must be
    /// readable and unchanged for `'a` (vp8.h's promise for `vp8_get_picture`).
    pub unsafe fn from_raw(
        data: [*const u8; 3],
        stride: [isize; 3],
        width: i32,
        height: i32,
        keyframe: bool,
        frame_number: u64,
    ) -> Picture<'a> {
        assert!(
            width > 0 && height > 0,
            "a stage returned a picture of size {width}x{height}"
        );
        let (width, height) = (width as usize, height as usize);
        let mut planes: [&'a [u8]; 3] = [&[], &[], &[]];
        let mut strides = [0usize; 3];
        for p in 0..3 {
            let (w, h) = plane_size(width, height, p);
            assert!(
                !data[p].is_null() && stride[p] >= w as isize,
                "a stage returned plane {p} with data {:?} and stride {} for a width of {w}",
                data[p],
                stride[p]
            );
            strides[p] = stride[p] as usize;
            let len = (h - 1) * strides[p] + w;
            // SAFETY: guaranteed by the caller: h rows of w bytes, stride apart, live for 'a.
            planes[p] = unsafe { std::slice::from_raw_parts(data[p], len) };
        }
        Picture {
            planes,
            strides,
            width,
            height,
            keyframe,
            frame_number,
        }
    }

    /// Width and height of plane `p` (0 = Y, 1 = U, 2 = V).
    pub fn plane_size(&self, p: usize) -> (usize, usize) {
        plane_size(self.width, self.height, p)
    }

    /// The visible rows of plane `p`, without stride padding.
    pub fn rows(&self, p: usize) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        let (w, h) = self.plane_size(p);
        let stride = self.strides[p];
        let plane = self.planes[p];
        (0..h).map(move |y| &plane[y * stride..y * stride + w])
    }

    /// Feed the I420 bytes (what `vpxdec --i420` writes for this picture) to `md5`.
    pub fn md5_update(&self, md5: &mut Md5) {
        for p in 0..3 {
            for row in self.rows(p) {
                md5.update(row);
            }
        }
    }

    /// MD5 of the picture's I420 bytes, lower-case hex (a `.framemd5` line's last field).
    pub fn md5_hex(&self) -> String {
        let mut md5 = Md5::new();
        self.md5_update(&mut md5);
        hex(&md5.finalize())
    }

    /// Write the raw I420 bytes.
    pub fn write_i420(&self, out: &mut impl Write) -> io::Result<()> {
        for p in 0..3 {
            for row in self.rows(p) {
                out.write_all(row)?;
            }
        }
        Ok(())
    }

    /// An owned, tightly packed copy.
    pub fn to_frame(&self) -> Frame {
        let mut planes: [Vec<u8>; 3] = Default::default();
        for (p, plane) in planes.iter_mut().enumerate() {
            for row in self.rows(p) {
                plane.extend_from_slice(row);
            }
        }
        Frame {
            width: self.width,
            height: self.height,
            planes,
        }
    }
}

/// An owned I420 picture, planes tightly packed (stride = plane width).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub width: usize,
    pub height: usize,
    pub planes: [Vec<u8>; 3],
}

impl Frame {
    pub fn plane_size(&self, p: usize) -> (usize, usize) {
        plane_size(self.width, self.height, p)
    }

    /// Pixel (x, y) of plane `p`.
    pub fn pixel(&self, p: usize, x: usize, y: usize) -> u8 {
        self.planes[p][y * self.plane_size(p).0 + x]
    }

    /// The first differing pixel in Y, U, V order, row by row: (plane, x, y, ours, theirs).
    /// `None` if equal; a size difference is reported as plane 0 at (0, 0).
    pub fn first_difference(&self, other: &Frame) -> Option<(usize, usize, usize, u8, u8)> {
        if (self.width, self.height) != (other.width, other.height) {
            return Some((0, 0, 0, self.planes[0][0], other.planes[0][0]));
        }
        for p in 0..3 {
            let (w, _) = self.plane_size(p);
            if let Some(i) = self.planes[p]
                .iter()
                .zip(&other.planes[p])
                .position(|(a, b)| a != b)
            {
                return Some((p, i % w, i / w, self.planes[p][i], other.planes[p][i]));
            }
        }
        None
    }

    /// Write a one-frame YUV4MPEG2 file (plays in ffplay/mpv).
    pub fn write_y4m(&self, out: &mut impl Write) -> io::Result<()> {
        write!(
            out,
            "YUV4MPEG2 W{} H{} F30:1 Ip A0:0 C420jpeg\nFRAME\n",
            self.width, self.height
        )?;
        for plane in &self.planes {
            out.write_all(plane)?;
        }
        Ok(())
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        write!(s, "{b:02x}").unwrap();
    }
    s
}

/// An open decoder of some stage; closed on drop.
pub trait StageDecoder {
    /// Decode one compressed frame (the payload of one IVF frame). On error the decoder stays
    /// usable: the frame is dropped and decoding resumes at the next key frame if needed.
    fn decode(&mut self, data: &[u8]) -> Result<(), StageError>;

    /// The picture of the last decoded frame, if it is shown and not yet taken.
    fn picture(&mut self) -> Option<Picture<'_>>;
}

/// One stage of the decoder: a name and a way to open decoders.
pub trait Vp8Stage: Sync {
    /// "c", "transpiled", ...: what `--stage` and `--stages` accept.
    fn name(&self) -> &'static str;

    /// One line for `--help` and reports.
    fn description(&self) -> &'static str;

    fn open(&self, settings: &Settings) -> Result<Box<dyn StageDecoder>, StageError>;
}

impl fmt::Debug for dyn Vp8Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Vp8Stage({})", self.name())
    }
}

impl fmt::Debug for dyn StageDecoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StageDecoder")
    }
}

// ------------------------------------------------------------------------------------------------
// The C stage.

/// The C stage (`upstream-c/`), through the `vp8-c` crate.
#[derive(Debug, Clone, Copy, Default)]
pub struct CStage;

struct CDecoder(vp8_c::Decoder);

fn from_c_error(e: vp8_c::Error) -> StageError {
    StageError {
        kind: ErrorKind::from_code(e.code()),
        name: e.name().to_string(),
        detail: e.detail().to_string(),
    }
}

impl Vp8Stage for CStage {
    fn name(&self) -> &'static str {
        "c"
    }

    fn description(&self) -> &'static str {
        "the C decoder (upstream-c/, crate vp8-c)"
    }

    fn open(&self, settings: &Settings) -> Result<Box<dyn StageDecoder>, StageError> {
        let decoder = vp8_c::Decoder::new(vp8_c::Settings {
            cpu_mask: settings.cpu_mask,
            threads: settings.threads,
            max_frame_area: settings.max_frame_area,
        })
        .map_err(from_c_error)?;
        Ok(Box::new(CDecoder(decoder)))
    }
}

impl StageDecoder for CDecoder {
    fn decode(&mut self, data: &[u8]) -> Result<(), StageError> {
        self.0.decode(data).map_err(from_c_error)
    }

    fn picture(&mut self) -> Option<Picture<'_>> {
        let p = self.0.picture()?;
        Some(Picture {
            planes: [p.plane(0), p.plane(1), p.plane(2)],
            strides: [p.stride(0), p.stride(1), p.stride(2)],
            width: p.width(),
            height: p.height(),
            keyframe: p.keyframe(),
            frame_number: p.frame_number(),
        })
    }
}

// ------------------------------------------------------------------------------------------------
// The transpiled stage.

/// The transpiled stage (`transpiled/`, crate `vp8-transpiled`), through the generated
/// functions `vp8_open` / `vp8_decode_frame` / `vp8_get_picture` / `vp8_close`, called over raw
/// pointers exactly as a C caller of vp8.h would.
#[cfg(feature = "transpiled")]
#[derive(Debug, Clone, Copy, Default)]
pub struct TranspiledStage;

#[cfg(feature = "transpiled")]
mod transpiled {
    use super::*;
    use std::ffi::CStr;
    use std::ptr::{self, NonNull};
    use vp8_transpiled::internal_h::Vp8Decoder;
    use vp8_transpiled::vp8_h::{Vp8Picture, Vp8Settings};

    pub(super) struct TranspiledDecoder {
        raw: NonNull<Vp8Decoder>,
    }

    fn error_name(code: i32) -> String {
        // SAFETY: vp8_error_string accepts any int and returns a static NUL-terminated string.
        unsafe {
            let p = vp8_transpiled::vp8_error_string(code);
            if p.is_null() {
                return "unknown error".to_string();
            }
            CStr::from_ptr(p.cast()).to_string_lossy().into_owned()
        }
    }

    fn error(code: i32, detail: String) -> StageError {
        StageError {
            kind: ErrorKind::from_code(code),
            name: error_name(code),
            detail,
        }
    }

    impl Vp8Stage for TranspiledStage {
        fn name(&self) -> &'static str {
            "transpiled"
        }

        fn description(&self) -> &'static str {
            "the C decoder transpiled to unsafe Rust (transpiled/, crate vp8-transpiled)"
        }

        fn open(&self, settings: &Settings) -> Result<Box<dyn StageDecoder>, StageError> {
            let raw_settings = Vp8Settings {
                cpu_mask: settings.cpu_mask,
                n_threads: i32::try_from(settings.threads)
                    .map_err(|_| error(-1, "thread count does not fit a C int".to_string()))?,
                max_frame_area: settings.max_frame_area,
            };
            let mut raw: *mut Vp8Decoder = ptr::null_mut();
            // SAFETY: both pointers are valid for the call; vp8_open copies the settings.
            let err = unsafe { vp8_transpiled::vp8_open(&mut raw, &raw_settings) };
            if err != 0 {
                return Err(error(err, String::new()));
            }
            match NonNull::new(raw) {
                Some(raw) => Ok(Box::new(TranspiledDecoder { raw })),
                None => Err(error(
                    -2,
                    "vp8_open returned VP8_OK and a NULL decoder".into(),
                )),
            }
        }
    }

    impl TranspiledDecoder {
        fn last_error(&self) -> String {
            // SAFETY: raw is an open decoder; the string is NUL-terminated and copied out before
            // any further call on the decoder.
            unsafe {
                let p = vp8_transpiled::vp8_last_error(self.raw.as_ptr());
                if p.is_null() {
                    String::new()
                } else {
                    CStr::from_ptr(p.cast()).to_string_lossy().into_owned()
                }
            }
        }
    }

    impl StageDecoder for TranspiledDecoder {
        fn decode(&mut self, data: &[u8]) -> Result<(), StageError> {
            // SAFETY: raw is an open decoder owned exclusively (&mut self); data is valid for
            // data.len() bytes and not kept after the call.
            let err = unsafe {
                vp8_transpiled::vp8_decode_frame(self.raw.as_ptr(), data.as_ptr(), data.len())
            };
            if err == 0 {
                Ok(())
            } else {
                Err(error(err, self.last_error()))
            }
        }

        fn picture(&mut self) -> Option<Picture<'_>> {
            // SAFETY: an all-zero Vp8Picture (null pointers, zero numbers) is a valid value.
            let mut pic: Vp8Picture = unsafe { std::mem::zeroed() };
            // SAFETY: raw is an open decoder; pic a valid out-pointer.
            let err = unsafe { vp8_transpiled::vp8_get_picture(self.raw.as_ptr(), &mut pic) };
            if err != 0 {
                return None;
            }
            // SAFETY: the planes stay valid until the next decode or close, both of which need
            // &mut self, which the returned Picture borrows.
            Some(unsafe {
                Picture::from_raw(
                    pic.data,
                    pic.stride,
                    pic.width,
                    pic.height,
                    pic.keyframe != 0,
                    pic.frame_number,
                )
            })
        }
    }

    impl Drop for TranspiledDecoder {
        fn drop(&mut self) {
            let mut raw = self.raw.as_ptr();
            // SAFETY: the decoder vp8_open gave us, closed exactly once, here.
            unsafe { vp8_transpiled::vp8_close(&mut raw) };
        }
    }
}

// ------------------------------------------------------------------------------------------------
// The registry.

/// Every stage built into this binary, in migration order.
pub fn all_stages() -> Vec<&'static dyn Vp8Stage> {
    vec![
        &CStage,
        #[cfg(feature = "transpiled")]
        &TranspiledStage,
    ]
}

/// The names every Portlab stage has, built in or not (for messages).
pub const KNOWN_STAGES: [&str; 3] = ["c", "transpiled", "safe"];

/// The stage called `name`, or a message saying which stages exist.
pub fn stage_by_name(name: &str) -> Result<&'static dyn Vp8Stage, String> {
    if let Some(s) = all_stages().into_iter().find(|s| s.name() == name) {
        return Ok(s);
    }
    let built: Vec<&str> = all_stages().iter().map(|s| s.name()).collect();
    if KNOWN_STAGES.contains(&name) {
        Err(format!(
            "stage '{name}' is not built into this binary (built: {}){}",
            built.join(", "),
            if name == "transpiled" {
                "; build with the default features (the `transpiled` feature)"
            } else {
                ""
            }
        ))
    } else {
        Err(format!(
            "unknown stage '{name}': choose {}",
            built.join(" or ")
        ))
    }
}

/// A comma-separated list of stage names ("c,transpiled"; "all" = every built stage).
pub fn parse_stage_list(list: &str) -> Result<Vec<&'static dyn Vp8Stage>, String> {
    if list == "all" {
        return Ok(all_stages());
    }
    let mut out: Vec<&'static dyn Vp8Stage> = Vec::new();
    for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let s = stage_by_name(name)?;
        if !out.iter().any(|o| o.name() == s.name()) {
            out.push(s);
        }
    }
    if out.is_empty() {
        return Err("no stage named".to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_words_match_the_c_parser() {
        for w in ["none", "sse2", "ssse3", "avx2", "all", "AVX2", "", "sse"] {
            assert_eq!(
                parse_cpu_mask(w),
                vp8_c::parse_cpu_mask(w).ok(),
                "word {w:?}"
            );
            if let Some(m) = parse_cpu_mask(w) {
                assert_eq!(cpu_mask_word(m), w);
            }
        }
    }

    #[test]
    fn error_kinds_and_names_match_the_c_stage() {
        for code in -10..=0 {
            let k = ErrorKind::from_code(code);
            assert_eq!(k.code(), code);
            if code != 0 {
                assert_eq!(k.name(), vp8_c::error_name(code), "code {code}");
            }
        }
    }

    #[test]
    fn stages_by_name() {
        assert_eq!(stage_by_name("c").unwrap().name(), "c");
        assert!(stage_by_name("rust").unwrap_err().contains("unknown stage"));
        assert!(stage_by_name("safe").unwrap_err().contains("not built"));
        let list = parse_stage_list("c, c").unwrap();
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn every_stage_refuses_an_empty_frame_the_same_way() {
        for stage in all_stages() {
            let mut d = stage.open(&Settings::default()).unwrap();
            let e = d.decode(&[]).unwrap_err();
            assert_eq!(e.kind, ErrorKind::EmptyFrame, "stage {}", stage.name());
            assert_eq!(e.name, "empty frame");
            assert!(d.picture().is_none());
            let e = d.decode(&[0x91, 0x02, 0x00]).unwrap_err();
            assert!(
                matches!(
                    e.kind,
                    ErrorKind::Truncated | ErrorKind::Corrupt | ErrorKind::NeedKeyframe
                ),
                "stage {}: {e:?}",
                stage.name()
            );
        }
    }

    #[test]
    fn frame_difference_names_plane_and_position() {
        let a = Frame {
            width: 3,
            height: 3,
            planes: [vec![0; 9], vec![0; 4], vec![0; 4]],
        };
        let mut b = a.clone();
        assert_eq!(a.first_difference(&b), None);
        b.planes[1][3] = 7;
        assert_eq!(a.first_difference(&b), Some((1, 1, 1, 0, 7)));
    }
}
