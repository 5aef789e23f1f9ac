// The VJP of layernorm.wgsl from its input: with y = (x - mean) * rstd over each line of `len` elements,
// dx = rstd * (dy - mean(dy) - y * mean(dy .* y)). A workgroup per line; the mean and variance are
// recomputed (two tree sums) rather than stored by the forward pass, then two more sums for dy and dy .* y.
// @param dtype: f32 | f16
// @param wg: 64u | 256u
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  nLines: u32,
  len: u32,
  eps: f32,
  pad: u32,
}

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read> dy: array<T>;
@group(0) @binding(3) var<storage, read_write> out: array<T>;

var<workgroup> partial: array<f32, WG>;
var<workgroup> partial2: array<f32, WG>;

// Sums `partial` and `partial2` over the workgroup at once.
fn line_sums(lid: u32) -> vec2<f32> {
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] += partial[lid + s];
      partial2[lid] += partial2[lid + s];
    }
    workgroupBarrier();
  }
  let total = vec2<f32>(partial[0], partial2[0]);
  workgroupBarrier();
  return total;
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let line = wid.x + wid.y * nwg.x;
  let live = line < u.nLines;
  let base = line * u.len;
  let n = f32(u.len);
  var acc = 0.0;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      acc += f32(x[base + r]);
    }
  }
  partial[lid] = acc;
  partial2[lid] = 0.0;
  let mean = line_sums(lid).x / n;
  acc = 0.0;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let d = f32(x[base + r]) - mean;
      acc += d * d;
    }
  }
  partial[lid] = acc;
  partial2[lid] = 0.0;
  let rstd = inverseSqrt(line_sums(lid).x / n + u.eps);
  var sdy = 0.0;
  var sdyy = 0.0;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let g = f32(dy[base + r]);
      sdy += g;
      sdyy += g * (f32(x[base + r]) - mean) * rstd;
    }
  }
  partial[lid] = sdy;
  partial2[lid] = sdyy;
  let sums = line_sums(lid) / n;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let y = (f32(x[base + r]) - mean) * rstd;
      out[base + r] = T(rstd * (f32(dy[base + r]) - sums.x - y * sums.y));
    }
  }
}
