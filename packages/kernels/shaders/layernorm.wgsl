// Layer normalisation of consecutive lines of `len` elements (the leading dims of a column-major tensor):
// out = (x - mean) / sqrt(var + eps), var the biased (population) variance. A workgroup per line: a tree
// sum for the mean, then one for the squared deviations (two passes, so no cancellation).
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
@group(0) @binding(2) var<storage, read_write> out: array<T>;

var<workgroup> partial: array<f32, WG>;

fn line_sum(lid: u32) -> f32 {
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] += partial[lid + s];
    }
    workgroupBarrier();
  }
  let total = partial[0];
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
  let mean = line_sum(lid) / n;
  acc = 0.0;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let d = f32(x[base + r]) - mean;
      acc += d * d;
    }
  }
  partial[lid] = acc;
  let rstd = inverseSqrt(line_sum(lid) / n + u.eps);
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      out[base + r] = T((f32(x[base + r]) - mean) * rstd);
    }
  }
}
