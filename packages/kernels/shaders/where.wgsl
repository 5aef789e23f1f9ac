// where: cond ? a : b with broadcasting of all three operands.
// @param dtype: f32 | i32 | u32 | f16
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  n: u32,
  rank: u32,
  _p0: u32,
  _p1: u32,
  shape: array<vec4<u32>, 2>,
  sc: array<vec4<u32>, 2>,
  sa: array<vec4<u32>, 2>,
  sb: array<vec4<u32>, 2>,
}

@group(0) @binding(1) var<storage, read> c: array<u32>;
@group(0) @binding(2) var<storage, read> a: array<T>;
@group(0) @binding(3) var<storage, read> b: array<T>;
@group(0) @binding(4) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let pick = c[strided_offset(i, u.rank, u.shape, u.sc)] != 0u;
  let x = a[strided_offset(i, u.rank, u.shape, u.sa)];
  let y = b[strided_offset(i, u.rank, u.shape, u.sb)];
  out[i] = select(y, x, pick);
}
