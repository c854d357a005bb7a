//! The public API (include/vp8/vp8.h): decoder lifetime, settings, the per-frame entry point with
//! its error policy, picture hand-out and error strings.
//!
//! Error policy: any frame that fails leaves the references possibly stale (the frame may have been
//! meant to update them), so inter frames are refused until the next key frame. A zero-length
//! frame is the exception: it carries nothing and changes nothing.
#![cfg_attr(rustfmt, rustfmt::skip)]
#![allow(
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    dead_code,
    unused_mut,
    unused_unsafe,
    unused_parens,
    unused_imports,
    unused_assignments,
    unused_variables,
    unreachable_code,
    unsafe_op_in_unsafe_fn,
    static_mut_refs,
    clippy::all
)]
#[rustfmt::skip]
pub mod bool_h;
#[rustfmt::skip]
pub mod common_h;
#[rustfmt::skip]
pub mod cpu;
#[rustfmt::skip]
pub mod decode;
pub mod error;
#[rustfmt::skip]
pub mod header;
#[rustfmt::skip]
pub mod idct;
#[rustfmt::skip]
pub mod idct_h;
#[rustfmt::skip]
pub mod internal_h;
#[rustfmt::skip]
pub mod ipred;
#[rustfmt::skip]
pub mod ipred_h;
#[rustfmt::skip]
pub mod loopfilter;
#[rustfmt::skip]
pub mod loopfilter_h;
pub mod mb_grid;
#[rustfmt::skip]
pub mod mc;
#[rustfmt::skip]
pub mod mc_h;
#[rustfmt::skip]
pub mod modes;
#[rustfmt::skip]
pub mod tables;
#[rustfmt::skip]
pub mod tables_h;
#[rustfmt::skip]
pub mod tokens;
#[rustfmt::skip]
pub mod vp8_h;
#[rustfmt::skip]
pub mod x86;
pub mod stage;
/// A C object declared `__attribute__((aligned(16)))`.
#[repr(C, align(16))]
#[derive(Clone, Copy)]
pub struct Align16<T>(pub T);
use crate::cpu::vp8_cpu_flags;
use crate::decode::{vp8_alloc_frames, vp8_decode_frame_data, vp8_free_frames};
use crate::error::{DecodeError, Vp8Result};
use crate::mb_grid::MbGrid;
use vp8_stage::ErrorKind;
use crate::header::{Vp8Partitions, vp8_parse_frame_header};
use crate::idct::vp8_idct_dsp_init;
use crate::idct_h::Vp8IdctDsp;
use crate::internal_h::{Vp8Decoder, Vp8Dsp, Vp8Frame, Vp8FrameHeader};
use crate::ipred::vp8_ipred_dsp_init;
use crate::ipred_h::Vp8IpredDsp;
use crate::loopfilter::vp8_loopfilter_dsp_init;
use crate::loopfilter_h::Vp8LoopfilterDsp;
use crate::mc::vp8_mc_dsp_init;
use crate::mc_h::Vp8McDsp;
use crate::vp8_h::{
    VP8_CPU_ALL, VP8_ERR_AGAIN, VP8_ERR_CORRUPT, VP8_ERR_EMPTY_FRAME,
    VP8_ERR_INVALID_ARG, VP8_ERR_NEED_KEYFRAME, VP8_ERR_NO_MEMORY, VP8_ERR_TOO_LARGE,
    VP8_ERR_TRUNCATED, VP8_ERR_UNSUPPORTED, VP8_OK, Vp8Picture, Vp8Settings,
};
pub unsafe extern "C" fn vp8_set_error(
    dec: *mut Vp8Decoder,
    code: i32,
    fmt: *const i8,
    a: i32,
    b: i32,
) -> i32 {
    libc::snprintf(
        (*dec).error.as_mut_ptr(),
        core::mem::size_of::<[i8; 256]>(),
        fmt,
        a,
        b,
    );
    return code;
}
/// Record `e`'s message as the decoder's last error (NUL-terminated, cut at 255 bytes as the
/// C stage's snprintf does) and return its code.
pub fn set_error(dec: &mut Vp8Decoder, e: &DecodeError) -> i32 {
    let n = e.message.len().min(dec.error.len() - 1);
    for (d, &b) in dec.error.iter_mut().zip(&e.message.as_bytes()[..n]) {
        *d = b as i8;
    }
    dec.error[n] = 0;
    e.code()
}
/// The decoder's last error message, as written by vp8_set_error or set_error.
fn last_error_message(dec: &Vp8Decoder) -> String {
    let bytes: Vec<u8> = dec.error.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}
/// decode.rs's allocation of the picture buffers and mode records, as the header parser wants
/// it: a Result carrying the message decode.rs wrote.
fn alloc_frames(dec: &mut Vp8Decoder) -> Vp8Result {
    let ret = unsafe { vp8_alloc_frames(dec) };
    if ret < 0 {
        return Err(DecodeError::new(ErrorKind::from_code(ret), last_error_message(dec)));
    }
    Ok(())
}
pub unsafe extern "C" fn vp8_default_settings(settings: *mut Vp8Settings) {
    (*settings).cpu_mask = VP8_CPU_ALL;
    (*settings).n_threads = 0;
    (*settings).max_frame_area = 0;
}
unsafe extern "C" fn init_dsp(dec: *mut Vp8Decoder) {
    vp8_mc_dsp_init(&raw mut (*dec).dsp.mc, (*dec).cpu_flags);
    vp8_idct_dsp_init(&raw mut (*dec).dsp.idct, (*dec).cpu_flags);
    vp8_ipred_dsp_init(&raw mut (*dec).dsp.ipred, (*dec).cpu_flags);
    vp8_loopfilter_dsp_init(&raw mut (*dec).dsp.lf, (*dec).cpu_flags);
}
pub unsafe extern "C" fn vp8_open(
    out: *mut *mut Vp8Decoder,
    settings: *const Vp8Settings,
) -> i32 {
    let mut dec: *mut Vp8Decoder = core::ptr::null_mut();
    if out.is_null() {
        return VP8_ERR_INVALID_ARG;
    }
    *out = core::ptr::null_mut();
    if !settings.is_null() && (*settings).n_threads < 0 {
        return VP8_ERR_INVALID_ARG;
    }
    // All-zero is the C stage's initial state for every field but the mode grid and the above
    // contexts, which are written empty before the Box is assumed initialised.
    let mut boxed = Box::<Vp8Decoder>::new_zeroed();
    core::ptr::write(&raw mut (*boxed.as_mut_ptr()).mb_grid, MbGrid::default());
    core::ptr::write(&raw mut (*boxed.as_mut_ptr()).above_nz, Vec::new());
    dec = Box::into_raw(boxed.assume_init());
    if !settings.is_null() {
        (*dec).settings = *settings;
    } else {
        vp8_default_settings(&raw mut (*dec).settings);
    }
    (*dec).cpu_flags = vp8_cpu_flags() & (*dec).settings.cpu_mask;
    init_dsp(dec);
    *out = dec;
    return VP8_OK;
}
pub unsafe extern "C" fn vp8_close(dec: *mut *mut Vp8Decoder) {
    if dec.is_null() || (*dec).is_null() {
        return;
    }
    vp8_free_frames(*dec);
    drop(Box::from_raw(*dec));
    *dec = core::ptr::null_mut();
}
pub unsafe extern "C" fn vp8_decode_frame(
    dec: *mut Vp8Decoder,
    data: *const u8,
    size: usize,
) -> i32 {
    let mut ret: i32 = 0;
    if dec.is_null() || data.is_null() && size != 0 {
        return VP8_ERR_INVALID_ARG;
    }
    (*dec).error[0] = 0;
    (*dec).picture_ready = 0;
    (*dec).frame_count = (*dec).frame_count.wrapping_add(1);
    if size == 0 {
        return vp8_set_error(
            dec,
            VP8_ERR_EMPTY_FRAME,
            c"frame %d is empty (zero bytes): nothing decoded".as_ptr(),
            ((*dec).frame_count as usize).wrapping_sub(1) as i32,
            0,
        );
    }
    // size != 0 and data non-null here (checked above); the bytes live for this call.
    let frame = core::slice::from_raw_parts(data, size);
    let mut parts = Vp8Partitions::new();
    ret = match vp8_parse_frame_header(&mut *dec, frame, &mut parts, alloc_frames) {
        Ok(()) => VP8_OK,
        Err(e) => set_error(&mut *dec, &e),
    };
    if ret == VP8_OK {
        ret = vp8_decode_frame_data(dec, &mut parts);
    }
    if ret < 0 {
        (*dec).have_keyframe = 0;
        return ret;
    }
    if (*dec).hdr.keyframe != 0 {
        (*dec).have_keyframe = 1;
    }
    if (*dec).hdr.show_frame != 0 {
        let p: *mut Vp8Picture = &raw mut (*dec).picture;
        for i in 0i32..3 {
            (*p).data[i as usize] = (*(*dec).cur).plane[i as usize] as *const u8;
            (*p).stride[i as usize] = (*(*dec).cur).stride[i as usize];
        }
        (*p).width = (*dec).width;
        (*p).height = (*dec).height;
        (*p).horiz_scale = (*dec).hscale;
        (*p).vert_scale = (*dec).vscale;
        (*p).color_space = (*dec).color_space;
        (*p).clamping_type = (*dec).clamping_type;
        (*p).keyframe = (*dec).hdr.keyframe;
        (*p).frame_number = ((*dec).frame_count as usize).wrapping_sub(1) as u64;
        (*dec).picture_ready = 1;
    }
    return VP8_OK;
}
pub unsafe extern "C" fn vp8_get_picture(
    dec: *mut Vp8Decoder,
    out: *mut Vp8Picture,
) -> i32 {
    if dec.is_null() || out.is_null() {
        return VP8_ERR_INVALID_ARG;
    }
    if (*dec).picture_ready == 0 {
        return VP8_ERR_AGAIN;
    }
    *out = (*dec).picture;
    (*dec).picture_ready = 0;
    return VP8_OK;
}
pub unsafe extern "C" fn vp8_error_string(err: i32) -> *const i8 {
    match err {
        VP8_OK => {
            return c"success".as_ptr();
        }
        VP8_ERR_INVALID_ARG => {
            return c"invalid argument".as_ptr();
        }
        VP8_ERR_NO_MEMORY => {
            return c"out of memory".as_ptr();
        }
        VP8_ERR_TRUNCATED => {
            return c"truncated frame".as_ptr();
        }
        VP8_ERR_CORRUPT => {
            return c"corrupt frame".as_ptr();
        }
        VP8_ERR_UNSUPPORTED => {
            return c"unsupported feature".as_ptr();
        }
        VP8_ERR_TOO_LARGE => {
            return c"frame too large".as_ptr();
        }
        VP8_ERR_NEED_KEYFRAME => {
            return c"waiting for a key frame".as_ptr();
        }
        VP8_ERR_EMPTY_FRAME => {
            return c"empty frame".as_ptr();
        }
        VP8_ERR_AGAIN => {
            return c"no picture available".as_ptr();
        }
        _ => {
            return c"unknown error".as_ptr();
        }
    }
    #[allow(unreachable_code)] return core::mem::zeroed();
}
pub unsafe extern "C" fn vp8_last_error(dec: *const Vp8Decoder) -> *const i8 {
    return if !dec.is_null() { (*dec).error.as_ptr() } else { c"".as_ptr() };
}
