// reduce for many outputs with few reduced elements each (e.g. summing a [2, 100000] matrix over dim 1):
// one invocation per output element walks its reduced elements serially, so no invocations idle.
// @param dtype: f32 | i32 | u32 | f16
// @param acc: f32 | i32 | u32
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include opcodes.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;
// The accumulator type: T itself, or f32 for f16 tensors (sums of many halves lose every digit in f16).
alias A = /*@acc*/f32;

struct Params {
  nOut: u32,
  nRed: u32,
  op: u32,
  init: u32,
  keptRank: u32,
  redRank: u32,
  _p0: u32,
  _p1: u32,
  keptShape: array<vec4<u32>, 2>,
  keptStrides: array<vec4<u32>, 2>,
  redShape: array<vec4<u32>, 2>,
  redStrides: array<vec4<u32>, 2>,
}

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = flat_index(gid, nwg, WG);
  if (o >= u.nOut) {
    return;
  }
  let base = strided_offset(o, u.keptRank, u.keptShape, u.keptStrides);
  var acc = bitcast<A>(u.init);
  for (var r = 0u; r < u.nRed; r++) {
    let v = A(x[base + strided_offset(r, u.redRank, u.redShape, u.redStrides)]);
    switch u.op {
      case REDUCE_SUM: { acc += v; }
      case REDUCE_PROD: { acc *= v; }
      case REDUCE_MAX: { acc = max(acc, v); }
      case REDUCE_MIN, default: { acc = min(acc, v); }
    }
  }
  out[o] = T(acc);
}
