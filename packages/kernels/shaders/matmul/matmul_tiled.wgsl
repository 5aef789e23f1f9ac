// Shared-memory tiled matmul (tfjs's scheme): a workgroup of 8×8 invocations computes a 32×32 tile of C,
// each invocation a 4×4 block; per 32-deep k-slice the group stages op(A)[32×32] and op(B)[32×32] in
// workgroup memory (zero-padded at the edges) and reads them back as vec4. Fast on real GPUs, where
// shared memory is on-chip; slow on SwiftShader, where barriers are costly.
// @param transA: false | true
// @param transB: false | true
// @param dtype: f32 | f16
// @include matmul.inc.wgsl
// @include matmul_store.inc.wgsl

const TRANS_A: bool = /*@transA*/false;
const TRANS_B: bool = /*@transB*/false;
// The storage type of A, B and C; products accumulate in f32 either way.
alias T = /*@dtype*/f32;
const TILE: u32 = 32u;

@group(0) @binding(1) var<storage, read> a: array<T>;
@group(0) @binding(2) var<storage, read> b: array<T>;
@group(0) @binding(3) var<storage, read_write> c: array<T>;

// tileA[k][i/4] holds op(A)(i0 + i, p + k); tileB[k][j/4] holds op(B)(p + k, j0 + j).
var<workgroup> tileA: array<array<vec4<f32>, 8>, TILE>;
var<workgroup> tileB: array<array<vec4<f32>, 8>, TILE>;

fn load_a(base: u32, i: u32, p: u32) -> f32 {
  if (i < u.M && p < u.K) {
    return f32(a[base + a_index(i, p)]);
  }
  return 0.0;
}

fn load_b(base: u32, p: u32, j: u32) -> f32 {
  if (p < u.K && j < u.N) {
    return f32(b[base + b_index(p, j)]);
  }
  return 0.0;
}

@compute @workgroup_size(8, 8, 1)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
) {
  let tileI = wid.x * TILE;
  let tileJ = wid.y * TILE;
  let batch = wid.z;
  let aBase = batch * u.batchA;
  let bBase = batch * u.batchB;
  let tx = lid.x;
  let ty = lid.y;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var p = 0u; p < u.K; p += TILE) {
    // Each invocation stages 4 k-rows × one vec4 of A and of B: (8×8 invocations) × 16 = 32×32 each.
    for (var q = 0u; q < 4u; q++) {
      let k = ty * 4u + q;
      let i = tileI + tx * 4u;
      tileA[k][tx] = vec4<f32>(
        load_a(aBase, i, p + k),
        load_a(aBase, i + 1u, p + k),
        load_a(aBase, i + 2u, p + k),
        load_a(aBase, i + 3u, p + k),
      );
      let j = tileJ + tx * 4u;
      tileB[k][tx] = vec4<f32>(
        load_b(bBase, p + k, j),
        load_b(bBase, p + k, j + 1u),
        load_b(bBase, p + k, j + 2u),
        load_b(bBase, p + k, j + 3u),
      );
    }
    workgroupBarrier();
    for (var k = 0u; k < TILE; k++) {
      let av = tileA[k][tx];
      let bv = tileB[k][ty];
      acc0 += av * bv.x;
      acc1 += av * bv.y;
      acc2 += av * bv.z;
      acc3 += av * bv.w;
    }
    workgroupBarrier();
  }
  store_block(batch, tileI + tx * 4u, tileJ + ty * 4u, array<vec4<f32>, 4>(acc0, acc1, acc2, acc3));
}
