//! Inverse transforms and residual add (RFC 6386 section 14): the function-pointer table and the
//! kernel contract shared by the C fallbacks (idct.c) and the asm kernels.
//!
//! Coefficient blocks are int16_t[16] in raster order (row-major 4x4), already dequantized
//! (the token decoder multiplies as it stores, wrapping to int16 as libvpx does).
//! Every kernel that consumes a block leaves the coefficients it read zeroed, so the decoder's
//! coefficient storage is all-zero again after reconstruction.
pub type vp8_idct_add_fn = Option<unsafe extern "C" fn(*mut u8, isize, *mut i16)>;
pub type vp8_idct_dc_add_fn = Option<unsafe extern "C" fn(*mut u8, isize, *mut i16)>;
pub type vp8_idct_add_y_fn = Option<
    unsafe extern "C" fn(*mut u8, isize, *mut [i16; 16], *const u8),
>;
pub type vp8_idct_add_uv_fn = Option<
    unsafe extern "C" fn(*mut u8, *mut u8, isize, *mut [i16; 16], *const u8),
>;
pub type vp8_iwht_fn = Option<unsafe extern "C" fn(*mut [i16; 16], *mut i16)>;
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Vp8IdctDsp {
    pub idct_add: vp8_idct_add_fn,
    pub idct_dc_add: vp8_idct_dc_add_fn,
    pub idct_add_y: vp8_idct_add_y_fn,
    pub idct_add_uv: vp8_idct_add_uv_fn,
    pub iwht: vp8_iwht_fn,
    pub iwht_dc: vp8_iwht_fn,
}
