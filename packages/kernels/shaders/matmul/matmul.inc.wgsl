// What every matmul variant shares: column-major C[m×n] = op(A)[m×k] · op(B)[k×n] per batch index
// (workgroup z); a batch stride of 0 reuses one operand for every batch.
// @include uniforms.inc.wgsl

struct Params {
  M: u32,
  N: u32,
  K: u32,
  batchA: u32,
  batchB: u32,
  _p0: u32,
  _p1: u32,
  _p2: u32,
}

// Linear offset of op(A)(i, p) and op(B)(p, j) inside one batch.
fn a_index(i: u32, p: u32) -> u32 {
  return select(i + p * u.M, p + i * u.K, TRANS_A);
}

fn b_index(p: u32, j: u32) -> u32 {
  return select(p + j * u.K, j + p * u.N, TRANS_B);
}
