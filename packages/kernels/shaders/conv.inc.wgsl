// Convolution geometry shared by im2col and col2im (Flux layout: x [W, H, C, N], w [kW, kH, C, Cout]).
// NNlib's conv (flipped = false) flips the kernel; a tap (kw, kh) reads input position
// (ow·sw + ew·dw - padW, oh·sh + eh·dh - padH) with ew = kW-1-kw (or kw when flipped).
// @include uniforms.inc.wgsl

struct Params {
  n: u32,
  W: u32,
  H: u32,
  C: u32,
  kW: u32,
  kH: u32,
  oW: u32,
  oH: u32,
  sw: u32,
  sh: u32,
  dw: u32,
  dh: u32,
  padW: u32,
  padH: u32,
  flipped: u32,
  _pad: u32,
}

fn tap_w(kw: u32) -> i32 {
  let e = select(u.kW - 1u - kw, kw, u.flipped != 0u);
  return i32(e * u.dw) - i32(u.padW);
}

fn tap_h(kh: u32) -> i32 {
  let e = select(u.kH - 1u - kh, kh, u.flipped != 0u);
  return i32(e * u.dh) - i32(u.padH);
}
