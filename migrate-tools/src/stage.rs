//! The stages built into this binary, behind the contract of `vp8-stage` (re-exported here, so
//! tools write `portlab::stage::Settings` etc.).
//!
//! Each entry of [`vp8_stage::registry::STAGES`] gets its adapter in `adapter`: the C stage's
//! is `vp8_c::CStage` and the safe stage's `vp8_safe::stage::SafeStage` (each in its own crate);
//! the transpiled stage's is here, since its crate is generated: it calls over raw pointers as a
//! C caller of vp8.h would. `vp8dec --stage X`,
//! `portlab verify`, `bench`, `profile` and the criterion benches pick stages through
//! [`all_stages`] / [`stage_by_name`] / [`parse_stage_list`]; a new stage is a registry entry plus
//! one arm of `adapter`.
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

#[cfg(feature = "transpiled")]
mod transpiled;
#[cfg(feature = "transpiled")]
pub use transpiled::TranspiledStage;

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
