// What reduce (a workgroup per output) and reduce_small (an invocation per output) share: the types, the
// uniforms (kept and reduced index spaces, each with its own shape and strides, merged by the host), the
// bindings and the combining step of each op. The identity travels as bits in `init` (±Inf cannot be
// written as a WGSL constant).
// @include opcodes.inc.wgsl
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl

alias T = /*@dtype*/f32;
// The accumulator type: T itself, or f32 for f16 tensors (sums of many halves lose every digit in f16).
alias A = /*@acc*/f32;

struct Params {
  nOut: u32,
  nRed: u32,
  op: u32,
  init: u32,
  keptRank: u32,
  redRank: u32,
  _p0: u32,
  _p1: u32,
  keptShape: array<vec4<u32>, 2>,
  keptStrides: array<vec4<u32>, 2>,
  redShape: array<vec4<u32>, 2>,
  redStrides: array<vec4<u32>, 2>,
}

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;

fn combine(op: u32, a: A, b: A) -> A {
  switch op {
    case REDUCE_SUM: { return a + b; }
    case REDUCE_PROD: { return a * b; }
    case REDUCE_MAX: { return max(a, b); }
    case REDUCE_MIN, default: { return min(a, b); }
  }
}

// Where output o starts in x, and where its r-th reduced element sits from there.
fn kept_offset(o: u32) -> u32 {
  return strided_offset(o, u.keptRank, u.keptShape, u.keptStrides);
}

fn reduced_offset(r: u32) -> u32 {
  return strided_offset(r, u.redRank, u.redShape, u.redStrides);
}
