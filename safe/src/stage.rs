//! The safe stage's adapter to the stage contract (`vp8-stage`): [`SafeStage`] opens a
//! [`Decoder`] and hands its results over as they are; a [`DecodeError`] becomes a
//! [`StageError`] with the kind's name (the C stage's `vp8_error_string`).

use vp8_stage::{Picture, Settings, StageDecoder, StageError, StageInfo, Vp8Stage};

use crate::Decoder;
use crate::error::DecodeError;

/// The safe stage (`safe/`) as a [`Vp8Stage`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SafeStage;

fn stage_error(e: DecodeError) -> StageError {
    StageError {
        kind: e.kind,
        name: e.kind.name().to_string(),
        detail: e.message,
    }
}

impl Vp8Stage for SafeStage {
    fn info(&self) -> &'static StageInfo {
        vp8_stage::stage_info("safe").expect("the registry lists the safe stage")
    }

    fn open(&self, settings: &Settings) -> Result<Box<dyn StageDecoder>, StageError> {
        Decoder::new(*settings)
            .map(|d| Box::new(d) as Box<dyn StageDecoder>)
            .map_err(stage_error)
    }
}

impl StageDecoder for Decoder {
    fn decode(&mut self, data: &[u8]) -> Result<(), StageError> {
        Decoder::decode(self, data).map_err(stage_error)
    }

    fn picture(&mut self) -> Option<Picture<'_>> {
        Decoder::picture(self)
    }
}
