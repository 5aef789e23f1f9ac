// affine_act: out = act(a * x + b) with broadcasting of all three operands, in ONE pass (Julia's muladd
// with a fused activation, NNlib's bias_act!). `op` is a UNARY_OPS code, or IDENTITY for none; the
// activation runs in f32, so the backend sends only f32 here (other dtypes are composed exactly).
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include unaryops.inc.wgsl
// @include opcodes.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

struct Params {
  n: u32,
  rank: u32,
  op: u32,
  param: f32,
  shape: array<vec4<u32>, 2>,
  sa: array<vec4<u32>, 2>,
  sx: array<vec4<u32>, 2>,
  sb: array<vec4<u32>, 2>,
}

@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let av = a[strided_offset(i, u.rank, u.shape, u.sa)];
  let z = av * x[strided_offset(i, u.rank, u.shape, u.sx)] + b[strided_offset(i, u.rank, u.shape, u.sb)];
  out[i] = select(unary_float(u.op, z, u.param), z, u.op == ACT_IDENTITY);
}
