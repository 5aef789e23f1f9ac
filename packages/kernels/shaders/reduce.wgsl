// reduce (sum prod max min, REDUCE_OPS order) over any set of axes: one workgroup per output element;
// its invocations stride over the reduced elements, then combine in a shared-memory tree. The host merges
// adjacent dims, so "all", "first dim" and "last dim" reductions walk a single stride.
// @param dtype: f32 | i32 | u32 | f16
// @param acc: f32 | i32 | u32
// @param wg: 64u | 256u
// @include reduce.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

var<workgroup> partial: array<A, WG>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let o = wid.x + wid.y * nwg.x;
  var acc = bitcast<A>(u.init);
  if (o < u.nOut) {
    let base = kept_offset(o);
    for (var r = lid; r < u.nRed; r += WG) {
      acc = combine(u.op, acc, A(x[base + reduced_offset(r)]));
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
