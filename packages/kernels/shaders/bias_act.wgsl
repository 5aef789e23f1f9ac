// bias_act: the dense layer's epilogue, in place on the matmul's output y [rows, cols] (column-major):
// y = act(y + bias[row]), bias optional (has_bias = 0u: no bias). One pass instead of an add and an
// activation, each with its own allocation. `op` as in affine_act.wgsl.
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include unaryops.inc.wgsl
// @include opcodes.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

struct Params {
  n: u32,
  rows: u32,
  op: u32,
  param: f32,
  has_bias: u32,
  _p0: u32,
  _p1: u32,
  _p2: u32,
}

@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  var z = y[i];
  if (u.has_bias != 0u) {
    z += bias[i % u.rows];
  }
  y[i] = select(unary_float(u.op, z, u.param), z, u.op == ACT_IDENTITY);
}
