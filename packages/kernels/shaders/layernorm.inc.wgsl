// The line statistics shared by layernorm and layernorm_grad: lines of `len` consecutive elements of their
// input `x` (binding 1), a workgroup per line.
// @include linereduce.inc.wgsl
// @include uniforms.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  nLines: u32,
  len: u32,
  eps: f32,
  pad: u32,
}

@group(0) @binding(1) var<storage, read> x: array<T>;

// The mean and 1 / sqrt(var + eps) of the line starting at `base`, var the biased (population) variance,
// from the squared deviations (two passes, so no cancellation). `live` is false in the grid's spare
// workgroups, which still take part in the barriers.
fn line_moments(base: u32, live: bool, lid: u32) -> vec2<f32> {
  let n = f32(u.len);
  var acc = 0.0;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      acc += f32(x[base + r]);
    }
  }
  let mean = workgroup_sum(acc, lid) / n;
  acc = 0.0;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let d = f32(x[base + r]) - mean;
      acc += d * d;
    }
  }
  return vec2<f32>(mean, inverseSqrt(workgroup_sum(acc, lid) / n + u.eps));
}
