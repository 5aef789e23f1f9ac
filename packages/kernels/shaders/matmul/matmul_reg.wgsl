// Register-blocked matmul WITHOUT shared memory: each invocation owns a 4×4 block of C and walks k,
// loading 4 values of op(A) and 4 of op(B) per step for 16 FMAs. Out-of-range rows/columns are clamped
// (loads stay in bounds, their results are never stored) so the inner loop has no branches. On CPU-backed
// adapters (SwiftShader) this beats shared-memory tiling, whose barriers are expensive there.
// @param transA: false | true
// @param transB: false | true
// @param dtype: f32 | f16
// @include matmul.inc.wgsl
// @include matmul_store.inc.wgsl

const TRANS_A: bool = /*@transA*/false;
const TRANS_B: bool = /*@transB*/false;
// The storage type of A, B and C; products accumulate in f32 either way.
alias T = /*@dtype*/f32;

@group(0) @binding(1) var<storage, read> a: array<T>;
@group(0) @binding(2) var<storage, read> b: array<T>;
@group(0) @binding(3) var<storage, read_write> c: array<T>;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i0 = gid.x * 4u;
  let j0 = gid.y * 4u;
  let batch = gid.z;
  if (i0 >= u.M || j0 >= u.N) {
    return;
  }
  let aBase = batch * u.batchA;
  let bBase = batch * u.batchB;
  let rows = vec4<u32>(i0, min(i0 + 1u, u.M - 1u), min(i0 + 2u, u.M - 1u), min(i0 + 3u, u.M - 1u));
  let cols = vec4<u32>(j0, min(j0 + 1u, u.N - 1u), min(j0 + 2u, u.N - 1u), min(j0 + 3u, u.N - 1u));
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var p = 0u; p < u.K; p++) {
    let av = vec4<f32>(
      f32(a[aBase + a_index(rows.x, p)]),
      f32(a[aBase + a_index(rows.y, p)]),
      f32(a[aBase + a_index(rows.z, p)]),
      f32(a[aBase + a_index(rows.w, p)]),
    );
    acc0 += av * f32(b[bBase + b_index(p, cols.x)]);
    acc1 += av * f32(b[bBase + b_index(p, cols.y)]);
    acc2 += av * f32(b[bBase + b_index(p, cols.z)]);
    acc3 += av * f32(b[bBase + b_index(p, cols.w)]);
  }
  store_block(batch, i0, j0, array<vec4<f32>, 4>(acc0, acc1, acc2, acc3));
}
