//! The safe stage's adapter to the stage contract (`vp8-stage`): [`SafeStage`] opens decoders
//! through this crate's own C-style API (`vp8_open` / `vp8_decode_frame` / `vp8_get_picture` /
//! `vp8_close`), exactly as the transpiled stage is driven. It shrinks as the port steps replace
//! that API with a Rust one (see docs/safe-stage.md).

use std::ffi::CStr;
use std::ptr::{self, NonNull};

use vp8_stage::{ErrorKind, Picture, Settings, StageDecoder, StageError, StageInfo, Vp8Stage};

use crate::internal_h::Vp8Decoder;
use crate::vp8_h::{Vp8Picture, Vp8Settings};

/// The safe stage (`safe/`) as a [`Vp8Stage`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SafeStage;

struct SafeDecoder {
    raw: NonNull<Vp8Decoder>,
}

fn error(code: i32, detail: String) -> StageError {
    // SAFETY: vp8_error_string accepts any int and returns a static NUL-terminated string.
    let name = unsafe { CStr::from_ptr(crate::vp8_error_string(code).cast()) };
    StageError {
        kind: ErrorKind::from_code(code),
        name: name.to_string_lossy().into_owned(),
        detail,
    }
}

impl Vp8Stage for SafeStage {
    fn info(&self) -> &'static StageInfo {
        vp8_stage::stage_info("safe").expect("the registry lists the safe stage")
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
        let err = unsafe { crate::vp8_open(&mut raw, &raw_settings) };
        if err != 0 {
            return Err(error(err, String::new()));
        }
        NonNull::new(raw)
            .map(|raw| Box::new(SafeDecoder { raw }) as Box<dyn StageDecoder>)
            .ok_or_else(|| error(-2, "vp8_open returned VP8_OK and a NULL decoder".into()))
    }
}

impl StageDecoder for SafeDecoder {
    fn decode(&mut self, data: &[u8]) -> Result<(), StageError> {
        // SAFETY: raw is an open decoder owned exclusively (&mut self); data is valid for
        // data.len() bytes and not kept after the call.
        let err = unsafe { crate::vp8_decode_frame(self.raw.as_ptr(), data.as_ptr(), data.len()) };
        if err == 0 {
            return Ok(());
        }
        // SAFETY: raw is an open decoder; the string is NUL-terminated and copied out at once.
        let detail = unsafe { CStr::from_ptr(crate::vp8_last_error(self.raw.as_ptr()).cast()) };
        Err(error(err, detail.to_string_lossy().into_owned()))
    }

    fn picture(&mut self) -> Option<Picture<'_>> {
        // SAFETY: an all-zero Vp8Picture (null pointers, zero numbers) is a valid value.
        let mut pic: Vp8Picture = unsafe { std::mem::zeroed() };
        // SAFETY: raw is an open decoder; pic a valid out-pointer.
        if unsafe { crate::vp8_get_picture(self.raw.as_ptr(), &mut pic) } != 0 {
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

impl Drop for SafeDecoder {
    fn drop(&mut self) {
        let mut raw = self.raw.as_ptr();
        // SAFETY: the decoder vp8_open gave us, closed exactly once, here.
        unsafe { crate::vp8_close(&mut raw) };
    }
}
