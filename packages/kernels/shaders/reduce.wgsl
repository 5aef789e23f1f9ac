// reduce (sum prod max min, REDUCE_OPS order) over any set of axes: one workgroup per output element;
// its invocations stride over the reduced elements, then combine in a shared-memory tree. The host merges
// adjacent dims, so "all", "first dim" and "last dim" reductions walk a single stride. The identity travels
// as bits in `init` (±Inf cannot be written as a WGSL constant).
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

var<workgroup> partial: array<A, WG>;

fn combine(op: u32, a: A, b: A) -> A {
  switch op {
    case REDUCE_SUM: { return a + b; }
    case REDUCE_PROD: { return a * b; }
    case REDUCE_MAX: { return max(a, b); }
    case REDUCE_MIN, default: { return min(a, b); }
  }
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let o = wid.x + wid.y * nwg.x;
  var acc = bitcast<A>(u.init);
  if (o < u.nOut) {
    let base = strided_offset(o, u.keptRank, u.keptShape, u.keptStrides);
    for (var r = lid; r < u.nRed; r += WG) {
      acc = combine(u.op, acc, A(x[base + strided_offset(r, u.redRank, u.redShape, u.redStrides)]));
    }
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] = combine(u.op, partial[lid], partial[lid + s]);
    }
    workgroupBarrier();
  }
  if (lid == 0u && o < u.nOut) {
    out[o] = T(partial[0]);
  }
}
