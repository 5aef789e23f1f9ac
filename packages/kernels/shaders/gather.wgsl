// gather along one axis: the output is [inner, nIdx, outer] (column-major) and reads x[inner, idx[j], outer].
// @param dtype: f32 | i32 | u32
// @param wg: 64u | 256u
// @include gather.inc.wgsl
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let inner = i % u.inner;
  let j = (i / u.inner) % u.nIdx;
  let outer = i / (u.inner * u.nIdx);
  out[i] = x[inner + u.inner * (u32(idx[j]) + u.axisLen * outer)];
}
