// Strided copy: walks `shape` column-major and copies src[srcBase + idx·srcStrides] to
// dst[dstBase + idx·dstStrides]. expand (stride 0 on broadcast dims), permute (permuted strides) and each
// piece of a concatenation (an offset and the output's strides) are all this one kernel.
// @param dtype: f32 | i32 | u32 | f16
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  n: u32,
  rank: u32,
  srcBase: u32,
  dstBase: u32,
  shape: array<vec4<u32>, 2>,
  ss: array<vec4<u32>, 2>,
  ds: array<vec4<u32>, 2>,
}

@group(0) @binding(1) var<storage, read> src: array<T>;
@group(0) @binding(2) var<storage, read_write> dst: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let s = u.srcBase + strided_offset(i, u.rank, u.shape, u.ss);
  let d = u.dstBase + strided_offset(i, u.rank, u.shape, u.ds);
  dst[d] = src[s];
}
