// The workgroup-wide sums and max of the kernels that give each line a workgroup (layernorm, softmax and
// their gradients): every invocation brings its value, a shared-memory tree combines them, and every
// invocation gets the result. They hold barriers, so the whole workgroup calls them, in the same order.
// The tree carries pairs so that a kernel needing two sums (layernorm_grad) pays for one tree, not two.
// @include workgroup.inc.wgsl

var<workgroup> partial: array<vec2<f32>, WG>;

fn workgroup_sum(v: f32, lid: u32) -> f32 {
  return workgroup_combine(vec2<f32>(v, 0.0), lid, false).x;
}

// Two sums at once, one per component.
fn workgroup_sum2(v: vec2<f32>, lid: u32) -> vec2<f32> {
  return workgroup_combine(v, lid, false);
}

fn workgroup_max(v: f32, lid: u32) -> f32 {
  return workgroup_combine(vec2<f32>(v, 0.0), lid, true).x;
}

fn workgroup_combine(v: vec2<f32>, lid: u32, take_max: bool) -> vec2<f32> {
  partial[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let a = partial[lid];
      let b = partial[lid + s];
      partial[lid] = select(a + b, max(a, b), take_max);
    }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}
