//! The transpiled stage's adapter to the stage contract. It lives here and not in its crate
//! because `transpiled/` is generated; it depends only on `vp8-stage` and `vp8-transpiled`, so
//! the fuzz crate (`fuzz/`, its own workspace, kept light) includes this same file by path.

/// The transpiled stage (`transpiled/`, crate `vp8-transpiled`), through the generated
/// functions `vp8_open` / `vp8_decode_frame` / `vp8_get_picture` / `vp8_close`, called over raw
/// pointers exactly as a C caller of vp8.h would.
#[derive(Debug, Clone, Copy, Default)]
pub struct TranspiledStage;

use std::ffi::CStr;
use std::ptr::{self, NonNull};
use vp8_stage::{
    ErrorKind, Picture, Settings, StageDecoder, StageError, StageInfo, Vp8Stage, stage_info,
};
use vp8_transpiled::internal_h::Vp8Decoder;
use vp8_transpiled::vp8_h::{Vp8Picture, Vp8Settings};

struct TranspiledDecoder {
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
    fn info(&self) -> &'static StageInfo {
        stage_info("transpiled").expect("the registry lists the transpiled stage")
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
