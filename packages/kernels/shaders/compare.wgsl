// comparisons with broadcasting (COMPARISON_OPS order: eq ne lt le gt ge); the output is bool stored as u32.
// @param dtype: f32 | i32 | u32 | f16
// @param wg: 64u | 256u
// @include binary.inc.wgsl
// @include strided.inc.wgsl
// @include opcodes.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

@group(0) @binding(3) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let x = lhs(i);
  let y = rhs(i);
  var r: bool;
  switch u.op {
    case COMPARE_EQ: { r = x == y; }
    case COMPARE_NE: { r = x != y; }
    case COMPARE_LT: { r = x < y; }
    case COMPARE_LE: { r = x <= y; }
    case COMPARE_GT: { r = x > y; }
    case COMPARE_GE, default: { r = x >= y; }
  }
  out[i] = select(0u, 1u, r);
}
