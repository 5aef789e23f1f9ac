// The two broadcast operands of binary (arithmetic) and compare: each operand has its own strides over
// the output shape (0 on a broadcast dim); `op` is the op's code (opcodes.inc.wgsl). The output, binding 3,
// is the shader's: T for arithmetic, bool stored as u32 for comparisons.
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  n: u32,
  op: u32,
  rank: u32,
  _pad: u32,
  shape: array<vec4<u32>, 2>,
  sa: array<vec4<u32>, 2>,
  sb: array<vec4<u32>, 2>,
}

@group(0) @binding(1) var<storage, read> a: array<T>;
@group(0) @binding(2) var<storage, read> b: array<T>;

// The operands at output element i.
fn lhs(i: u32) -> T {
  return a[strided_offset(i, u.rank, u.shape, u.sa)];
}

fn rhs(i: u32) -> T {
  return b[strided_offset(i, u.rank, u.shape, u.sb)];
}
