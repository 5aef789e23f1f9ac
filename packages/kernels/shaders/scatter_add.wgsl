// scatterAdd without atomics (WGSL has no float atomics): the host inverts the index list into CSR form
// (for each target position t, the source slices j with idx[j] == t), and each output element sums its own
// sources. Deterministic, and each output is written by exactly one invocation.
// @param dtype: f32 | i32 | u32
// @param wg: 64u | 256u
// @include gather.inc.wgsl
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

@group(0) @binding(1) var<storage, read> dy: array<T>;
// starts[t]..starts[t+1] index into `sources`.
@group(0) @binding(2) var<storage, read> starts: array<u32>;
@group(0) @binding(3) var<storage, read> sources: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let inner = i % u.inner;
  let t = (i / u.inner) % u.axisLen;
  let outer = i / (u.inner * u.axisLen);
  var acc = T(0);
  for (var s = starts[t]; s < starts[t + 1u]; s++) {
    acc += dy[inner + u.inner * (sources[s] + u.nIdx * outer)];
  }
  out[i] = acc;
}
