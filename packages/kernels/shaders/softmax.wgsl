// softmax / logsoftmax along one axis, stably: a workgroup per line; tree max, then tree sum of exp(x - max).
// @param dtype: f32 | f16
// @param wg: 64u | 256u
// @include axisline.inc.wgsl
// @include linereduce.inc.wgsl
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  nLines: u32,
  len: u32,
  inner: u32,
  log: u32,
}

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let line = wid.x + wid.y * nwg.x;
  let live = line < u.nLines;
  let base = axis_line_base(line);
  var m = neg_inf();
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      m = max(m, f32(x[base + r * u.inner]));
    }
  }
  m = workgroup_max(m, lid);
  // A line holding +Inf takes NNlib's limit: weight 1 shared by its +Inf entries, 0 elsewhere (x - m would be
  // Inf - Inf = NaN there). `total` is then the number of +Inf entries. (m is the same in every invocation.)
  let infLine = bitcast<u32>(m) == 0x7f800000u;
  var acc = 0.0;
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      let v = f32(x[base + r * u.inner]);
      acc += select(exp(v - m), select(0.0, 1.0, v == m), infLine);
    }
  }
  let total = workgroup_sum(acc, lid);
  if (live) {
    let logTotal = log(total);
    for (var r = lid; r < u.len; r += WG) {
      let i = base + r * u.inner;
      let v = f32(x[i]);
      if (infLine) {
        let hit = v == m;
        out[i] = T(select(select(0.0, 1.0 / total, hit), select(neg_inf(), -logTotal, hit), u.log != 0u));
      } else {
        let z = v - m;
        out[i] = T(select(exp(z) / total, z - logTotal, u.log != 0u));
      }
    }
  }
}
