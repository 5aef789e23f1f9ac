// Pooling geometry shared by pool and pool_grad.
// @include uniforms.inc.wgsl

struct Params {
  n: u32,
  W: u32,
  H: u32,
  oW: u32,
  oH: u32,
  kW: u32,
  kH: u32,
  sw: u32,
  sh: u32,
  padW: u32,
  padH: u32,
  isMax: u32,
}

// The window of output o clipped to the image: (w0, h0, w1, h1), half-open.
fn window_of(o: u32) -> vec4<u32> {
  let ow = o % u.oW;
  let oh = (o / u.oW) % u.oH;
  let ws = i32(ow * u.sw) - i32(u.padW);
  let hs = i32(oh * u.sh) - i32(u.padH);
  return vec4<u32>(
    u32(max(ws, 0)),
    u32(max(hs, 0)),
    u32(min(ws + i32(u.kW), i32(u.W))),
    u32(min(hs + i32(u.kH), i32(u.H))),
  );
}

// Offset of the (channel, image) plane output o belongs to.
fn win_plane(o: u32) -> u32 {
  return (o / (u.oW * u.oH)) * u.W * u.H;
}
