// The workgroup-wide sum and max of the kernels that give each line a workgroup (layernorm, softmax and
// their gradients): every invocation brings one f32, a shared-memory tree combines them, and every
// invocation gets the result. They hold barriers, so the whole workgroup calls them, in the same order.
// @include workgroup.inc.wgsl

var<workgroup> partial: array<f32, WG>;

fn workgroup_sum(v: f32, lid: u32) -> f32 {
  return workgroup_combine(v, lid, false);
}

fn workgroup_max(v: f32, lid: u32) -> f32 {
  return workgroup_combine(v, lid, true);
}

// `take_max` is uniform (a constant at each call), so the branch costs nothing per element.
fn workgroup_combine(v: f32, lid: u32, take_max: bool) -> f32 {
  partial[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      if (take_max) {
        partial[lid] = max(partial[lid], partial[lid + s]);
      } else {
        partial[lid] += partial[lid + s];
      }
    }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}
