//! The stages built into this binary, behind the contract of `vp8-stage` (re-exported here, so
//! tools write `portlab::stage::Settings` etc.).
//!
//! Each entry of [`vp8_stage::registry::STAGES`] gets its adapter in [`adapter`]: the C stage's
//! is `vp8_c::CStage` and the safe stage's `vp8_safe::stage::SafeStage` (each in its own crate);
//! the transpiled stage's is here, since its crate is generated: it calls over raw pointers as a
//! C caller of vp8.h would. `vp8dec --stage X`,
//! `portlab verify`, `bench`, `profile` and the criterion benches pick stages through
//! [`all_stages`] / [`stage_by_name`] / [`parse_stage_list`]; a new stage is a registry entry plus
//! one arm of [`adapter`].
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

pub use vp8_stage::registry::{self, Language, STAGES, StageInfo, stage_info};
pub use vp8_stage::{
    CPU_MASK_WORDS, ErrorKind, Frame, Picture, Settings, StageDecoder, StageError, Vp8Stage, cpu,
    cpu_flags, cpu_mask_word, hex, parse_cpu_mask, plane_size,
};

pub use vp8_c::CStage;

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
}

// ------------------------------------------------------------------------------------------------
// The registry.

/// The adapter of a registry entry, if that stage is built into this binary.
fn adapter(info: &StageInfo) -> Option<&'static dyn Vp8Stage> {
    match info.name {
        "c" => Some(&CStage),
        #[cfg(feature = "transpiled")]
        "transpiled" => Some(&TranspiledStage),
        "safe" => Some(&vp8_safe::stage::SafeStage),
        _ => None,
    }
}

/// Every stage built into this binary, in migration order.
pub fn all_stages() -> Vec<&'static dyn Vp8Stage> {
    STAGES.iter().filter_map(adapter).collect()
}

/// The stage called `name`, or a message saying which stages exist.
pub fn stage_by_name(name: &str) -> Result<&'static dyn Vp8Stage, String> {
    if let Some(s) = all_stages().into_iter().find(|s| s.name() == name) {
        return Ok(s);
    }
    let built: Vec<&str> = all_stages().iter().map(|s| s.name()).collect();
    if stage_info(name).is_some() {
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
    fn every_built_stage_is_its_registry_entry() {
        for stage in all_stages() {
            assert_eq!(stage_info(stage.name()), Some(stage.info()));
        }
        assert_eq!(all_stages()[0].name(), "c");
    }

    #[test]
    fn stages_by_name() {
        assert_eq!(stage_by_name("c").unwrap().name(), "c");
        assert!(stage_by_name("rust").unwrap_err().contains("unknown stage"));
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
}
