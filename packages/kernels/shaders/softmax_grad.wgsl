// The VJP of softmax from its output: y .* (dy .- sum(dy .* y)), or dy .- exp(y) .* sum(dy) for logsoftmax.
// @param dtype: f32 | f16
// @param wg: 64u | 256u
// @include axisline.inc.wgsl
// @include linereduce.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  nLines: u32,
  len: u32,
  inner: u32,
  log: u32,
}

@group(0) @binding(1) var<storage, read> y: array<T>;
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
  let base = axis_line_base(line);
  let isLog = u.log != 0u;
  var acc = 0.0;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let i = base + r * u.inner;
      acc += select(f32(dy[i]) * f32(y[i]), f32(dy[i]), isLog);
    }
  }
  let total = workgroup_sum(acc, lid);
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let i = base + r * u.inner;
      let g = select(f32(y[i]) * (f32(dy[i]) - total), f32(dy[i]) - exp(f32(y[i])) * total, isLog);
      out[i] = T(g);
    }
  }
}
