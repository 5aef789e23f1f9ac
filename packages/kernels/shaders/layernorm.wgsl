// Layer normalisation of consecutive lines of `len` elements (the leading dims of a column-major tensor):
// out = (x - mean) / sqrt(var + eps), var the biased (population) variance. A workgroup per line: a tree
// sum for the mean, then one for the squared deviations (two passes, so no cancellation).
// @param dtype: f32 | f16
// @param wg: 64u | 256u
// @include layernorm.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

// x (binding 1) and T come with layernorm.inc.wgsl.
@group(0) @binding(2) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let line = wid.x + wid.y * nwg.x;
  let live = line < u.nLines;
  let base = line * u.len;
  let moments = line_moments(base, live, lid);
  if (live) {
    for (var r = lid; r < u.len; r += WG) {
      out[base + r] = T((f32(x[base + r]) - moments.x) * moments.y);
    }
  }
}
