// Shared helpers for kernels that walk a column-major index space with per-operand strides (broadcasting,
// permutes, concatenation). Shapes and strides travel in uniforms as two vec4<u32> (rank <= 8), so one
// compiled pipeline serves every shape.

const MAX_RANK: u32 = 8u;

fn dim_at(v: array<vec4<u32>, 2>, d: u32) -> u32 {
  return v[d / 4u][d % 4u];
}

// Offset of linear (column-major) index `i` of `shape` in an operand laid out with `strides`.
fn strided_offset(i: u32, rank: u32, shape: array<vec4<u32>, 2>, strides: array<vec4<u32>, 2>) -> u32 {
  var rest = i;
  var off = 0u;
  for (var d = 0u; d < rank; d++) {
    let n = dim_at(shape, d);
    off += (rest % n) * dim_at(strides, d);
    rest /= n;
  }
  return off;
}

// The flat invocation index of a 1-D problem dispatched as a 2-D grid (to stay under 65535 groups per dim).
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>, wg: u32) -> u32 {
  return gid.x + gid.y * nwg.x * wg;
}

// -Inf and NaN as runtime values: written as constants, WGSL rejects them at shader creation.
fn neg_inf() -> f32 {
  var bits = 0xff800000u;
  return bitcast<f32>(bits);
}

fn nan_f32() -> f32 {
  var bits = 0x7fc00000u;
  return bitcast<f32>(bits);
}
