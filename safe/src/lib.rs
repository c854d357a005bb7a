//! The public API: [`Decoder`] (the C stage's include/vp8/vp8.h as a Rust type): a decoder is
//! opened with [`vp8_stage::Settings`], fed one compressed frame at a time with
//! [`Decoder::decode`], which fails with a [`DecodeError`] (the C stage's kind and exact message),
//! and asked for the picture that frame produced with [`Decoder::picture`].
//!
//! Error policy: any frame that fails leaves the references possibly stale (the frame may have been
//! meant to update them), so inter frames are refused until the next key frame. A zero-length
//! frame is the exception: it carries nothing and changes nothing.
//!
//! The crate holds no raw-pointer code (the attribute below forbids it): the only such code on its
//! path is in vp8-asm's `vp8_asm::safe` wrappers, which the dsp tables hold as safe fns behind CPU
//! tokens.
#![forbid(unsafe_code)]
pub mod bool_h;
pub mod cpu;
pub mod decode;
pub mod error;
pub mod header;
pub mod idct;
pub mod idct_h;
pub mod internal_h;
pub mod ipred;
pub mod ipred_h;
pub mod loopfilter;
pub mod loopfilter_h;
pub mod mb_grid;
pub mod mc;
pub mod mc_h;
pub mod modes;
pub mod plane;
pub mod stage;
pub mod tables;
pub mod tables_h;
pub mod thread;
pub mod tokens;
pub mod trees;
pub mod vp8_h;
pub mod workers;
pub mod x86;
/// A C object declared `__attribute__((aligned(16)))`.
#[repr(C, align(16))]
#[derive(Debug, Clone, Copy)]
pub struct Align16<T>(pub T);
use vp8_stage::{ErrorKind, Picture, Settings, plane_size};

use crate::cpu::cpu_tokens;
use crate::decode::{vp8_alloc_frames, vp8_decode_frame_data};
use crate::error::DecodeError;
use crate::header::{Vp8Partitions, vp8_parse_frame_header};
use crate::internal_h::{Vp8Decoder, Vp8Dsp};
use crate::vp8_h::Vp8Settings;

/// A VP8 decoder. Error policy: any frame that fails leaves the references possibly stale (the
/// frame may have been meant to update them), so inter frames are refused until the next key
/// frame. A zero-length frame is the exception: it carries nothing and changes nothing.
#[derive(Debug)]
pub struct Decoder {
    dec: Box<Vp8Decoder>,
}

impl Decoder {
    pub fn new(settings: Settings) -> Result<Decoder, DecodeError> {
        // The other stages pass the count to C as an int; the same refusal keeps the stages'
        // errors equal for every setting.
        if i32::try_from(settings.threads).is_err() {
            return Err(DecodeError::new(
                ErrorKind::InvalidArg,
                "thread count does not fit a C int",
            ));
        }
        let settings = Vp8Settings {
            cpu_mask: settings.cpu_mask,
            n_threads: settings.threads as usize,
            max_frame_area: settings.max_frame_area,
        };
        let dec = Vp8Decoder::new(settings, Vp8Dsp::new(cpu_tokens(settings.cpu_mask)));
        Ok(Decoder { dec })
    }

    /// Decode one compressed frame (the payload of one IVF/WebM frame).
    pub fn decode(&mut self, data: &[u8]) -> Result<(), DecodeError> {
        let dec = &mut *self.dec;
        dec.error.clear();
        dec.picture_ready = false;
        dec.frame_count += 1;
        let frame_number = dec.frame_count - 1;
        if data.is_empty() {
            let e = DecodeError::new(
                ErrorKind::EmptyFrame,
                format!("frame {frame_number} is empty (zero bytes): nothing decoded"),
            );
            dec.error = e.message.clone();
            return Err(e);
        }
        let mut parts = Vp8Partitions::new();
        let result = vp8_parse_frame_header(dec, data, &mut parts, vp8_alloc_frames)
            .and_then(|()| vp8_decode_frame_data(dec, &mut parts));
        if let Err(e) = result {
            dec.have_keyframe = false;
            dec.error = e.message.clone();
            return Err(e);
        }
        if dec.hdr.keyframe {
            dec.have_keyframe = true;
        }
        if dec.hdr.show_frame {
            let p = &mut dec.picture;
            p.width = dec.width;
            p.height = dec.height;
            p.horiz_scale = dec.hscale;
            p.vert_scale = dec.vscale;
            p.color_space = dec.color_space;
            p.clamping_type = dec.clamping_type;
            p.keyframe = dec.hdr.keyframe;
            p.frame_number = frame_number;
            dec.picture_ready = true;
        }
        Ok(())
    }

    /// The picture the last decoded frame produced, once, if it is shown.
    pub fn picture(&mut self) -> Option<Picture<'_>> {
        if !self.dec.picture_ready {
            return None;
        }
        self.dec.picture_ready = false;
        let p = self.dec.picture;
        // The frame just decoded: cur changes only in the next decode, which needs &mut self,
        // which the returned Picture borrows.
        let cur = self
            .dec
            .fb
            .as_ref()
            .expect("a decoded frame has buffers")
            .cur();
        let (width, height) = (usize::from(p.width), usize::from(p.height));
        let plane = |i: usize| {
            let (w, h) = plane_size(width, height, i);
            cur.planes[i].picture_rows(w, h)
        };
        Some(Picture {
            planes: [plane(0), plane(1), plane(2)],
            strides: [0, 1, 2].map(|i| cur.planes[i].stride()),
            width,
            height,
            keyframe: p.keyframe,
            frame_number: p.frame_number,
        })
    }

    /// The detail of the most recent failure ("" after a success).
    pub fn last_error(&self) -> &str {
        &self.dec.error
    }
}
