// The write-back of the scalar-C variants (matmul_reg, matmul_tiled), where each invocation owns a 4×4 block
// of C: accs[cc][r] is C(i0 + r, j0 + cc) of batch `batch`; rows and columns past the edge are dropped.

fn store_block(batch: u32, i0: u32, j0: u32, accs: array<vec4<f32>, 4>) {
  let cBase = batch * u.M * u.N;
  for (var cc = 0u; cc < 4u; cc++) {
    let j = j0 + cc;
    if (j < u.N) {
      for (var r = 0u; r < 4u; r++) {
        let i = i0 + r;
        if (i < u.M) {
          c[cBase + i + j * u.M] = T(accs[cc][r]);
        }
      }
    }
  }
}
