// onehot: column j of a [nclasses, n] matrix is 1 at row idx[j] (none when idx[j] is -1).
// @param dtype: f32 | i32 | u32
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  n: u32,
  nclasses: u32,
  _p0: u32,
  _p1: u32,
}

@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let row = i32(i % u.nclasses);
  out[i] = select(T(0), T(1), idx[i / u.nclasses] == row);
}
