// The VJP of layernorm.wgsl from its input: with y = (x - mean) * rstd over each line of `len` elements,
// dx = rstd * (dy - mean(dy) - y * mean(dy .* y)). A workgroup per line; the mean and variance are
// recomputed (two tree sums) rather than stored by the forward pass, then two more sums for dy and dy .* y.
// @param dtype: f32 | f16
// @param wg: 64u | 256u
// @include layernorm.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

// x (binding 1) and T come with layernorm.inc.wgsl.
@group(0) @binding(2) var<storage, read> dy: array<T>;
@group(0) @binding(3) var<storage, read_write> out: array<T>;

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
  let moments = line_moments(base, live, lid);
  let mean = moments.x;
  let rstd = moments.y;
  var sdy = 0.0;
  var sdyy = 0.0;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let g = f32(dy[base + r]);
      sdy += g;
      sdyy += g * (f32(x[base + r]) - mean) * rstd;
    }
  }
  let means = vec2<f32>(workgroup_sum(sdy, lid), workgroup_sum(sdyy, lid)) / n;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let y = (f32(x[base + r]) - mean) * rstd;
      out[base + r] = T(rstd * (f32(dy[base + r]) - means.x - y * means.y));
    }
  }
}
