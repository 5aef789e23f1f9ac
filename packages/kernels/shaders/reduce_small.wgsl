// reduce for many outputs with few reduced elements each (e.g. summing a [2, 100000] matrix over dim 1):
// one invocation per output element walks its reduced elements serially, so no invocations idle.
// @param dtype: f32 | i32 | u32 | f16
// @param acc: f32 | i32 | u32
// @param wg: 64u | 256u
// @include reduce.inc.wgsl
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = flat_index(gid, nwg, WG);
  if (o >= u.nOut) {
    return;
  }
  let base = kept_offset(o);
  var acc = bitcast<A>(u.init);
  for (var r = 0u; r < u.nRed; r++) {
    acc = combine(u.op, acc, A(x[base + reduced_offset(r)]));
  }
  out[o] = T(acc);
}
