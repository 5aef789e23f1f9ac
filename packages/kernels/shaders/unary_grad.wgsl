// unaryGrad: dy .* op'(x) for float dtypes (integer tensors are not differentiated).
// @param dtype: f32 | f16
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include unaryops.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  n: u32,
  op: u32,
  param: f32,
  _pad: u32,
}

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read> y: array<T>;
@group(0) @binding(3) var<storage, read> dy: array<T>;
@group(0) @binding(4) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  out[i] = T(unary_grad_float(u.op, f32(x[i]), f32(y[i]), f32(dy[i]), u.param));
}
