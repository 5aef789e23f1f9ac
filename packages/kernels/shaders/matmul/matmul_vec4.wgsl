// Register-blocked 4×4 matmul with vec4 loads along each operand's contiguous dim (no shared memory).
// The host picks it only when those dims (and batch strides) are multiples of 4, so every vec4 is
// aligned and a 4-row group is entirely in or out of range (columns are clamped when N is not a multiple of 4). Per k-step of 4 it loads a 4×4
// block of op(A) and of op(B) (8 vec4 loads) for 64 FMAs.
// @param transA: false | true
// @param transB: false | true
// @param dtype: f32 | f16
// @include matmul.inc.wgsl

const TRANS_A: bool = /*@transA*/false;
const TRANS_B: bool = /*@transB*/false;
// The storage type of A, B and C; products accumulate in f32 either way.
alias T = /*@dtype*/f32;

@group(0) @binding(1) var<storage, read> a: array<vec4<T>>;
@group(0) @binding(2) var<storage, read> b: array<vec4<T>>;
@group(0) @binding(3) var<storage, read_write> c: array<vec4<T>>;

// op(A)[i0..i0+3, p..p+3] as four columns (one vec4 of rows per k).
fn a_block(base: u32, i0: u32, p: u32) -> mat4x4<f32> {
  if (TRANS_A) {
    // A is stored [K, M]: each row of op(A) is contiguous over k.
    let r0 = vec4<f32>(a[(base + p + i0 * u.K) / 4u]);
    let r1 = vec4<f32>(a[(base + p + (i0 + 1u) * u.K) / 4u]);
    let r2 = vec4<f32>(a[(base + p + (i0 + 2u) * u.K) / 4u]);
    let r3 = vec4<f32>(a[(base + p + (i0 + 3u) * u.K) / 4u]);
    return transpose(mat4x4<f32>(r0, r1, r2, r3));
  }
  return mat4x4<f32>(
    vec4<f32>(a[(base + i0 + p * u.M) / 4u]),
    vec4<f32>(a[(base + i0 + (p + 1u) * u.M) / 4u]),
    vec4<f32>(a[(base + i0 + (p + 2u) * u.M) / 4u]),
    vec4<f32>(a[(base + i0 + (p + 3u) * u.M) / 4u]),
  );
}

// op(B)[p..p+3, j0..j0+3] as four columns (one vec4 over k per output column).
fn b_block(base: u32, p: u32, j0: u32) -> mat4x4<f32> {
  if (TRANS_B) {
    // B is stored [N, K]: each row of op(B) (fixed k) is contiguous over n.
    let r0 = vec4<f32>(b[(base + j0 + p * u.N) / 4u]);
    let r1 = vec4<f32>(b[(base + j0 + (p + 1u) * u.N) / 4u]);
    let r2 = vec4<f32>(b[(base + j0 + (p + 2u) * u.N) / 4u]);
    let r3 = vec4<f32>(b[(base + j0 + (p + 3u) * u.N) / 4u]);
    return transpose(mat4x4<f32>(r0, r1, r2, r3));
  }
  // N need not be a multiple of 4 here: columns past the edge re-read the last one and are never stored.
  let last = u.N - 1u;
  return mat4x4<f32>(
    vec4<f32>(b[(base + p + j0 * u.K) / 4u]),
    vec4<f32>(b[(base + p + min(j0 + 1u, last) * u.K) / 4u]),
    vec4<f32>(b[(base + p + min(j0 + 2u, last) * u.K) / 4u]),
    vec4<f32>(b[(base + p + min(j0 + 3u, last) * u.K) / 4u]),
  );
}

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
  // C's 4×4 block = Ablk · Bblk accumulated over k; mat4x4 * mat4x4 is 64 FMAs.
  var acc = mat4x4<f32>();
  for (var p = 0u; p < u.K; p += 4u) {
    acc += a_block(aBase, i0, p) * b_block(bBase, p, j0);
  }
  let cBase = batch * u.M * u.N;
  for (var cc = 0u; cc < 4u; cc++) {
    if (j0 + cc < u.N) {
      c[(cBase + i0 + (j0 + cc) * u.M) / 4u] = vec4<T>(acc[cc]);
    }
  }
}
