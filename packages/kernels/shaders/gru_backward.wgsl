// gru_backward: one time step t of the fused GRU's backward pass (src/webgpu/ops/recurrent.ts), one
// invocation per hidden unit j and sequence b, steps dispatched from the last to the first. The cotangent
// reaching h is the output's, plus `Whᵀ * dgh` of step t + 1 (the block the previous dispatch wrote) and
// that step's direct path dh z (carried in `dhz`). It writes the projection's cotangents dgx, the recurrent
// product's dgh (they differ in the candidate's block: dgh_n = dgx_n r) and this step's dh z. Layouts as
// gru_forward.wgsl; dy [n, T, B]; dhz [n, B].
// @param wg: 64u | 256u
// @include recurrent.inc.wgsl
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

@group(0) @binding(1) var<storage, read> wh: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> hs: array<f32>;
@group(0) @binding(4) var<storage, read> ghn: array<f32>;
@group(0) @binding(5) var<storage, read> dy: array<f32>;
@group(0) @binding(6) var<storage, read_write> dgx: array<f32>;
@group(0) @binding(7) var<storage, read_write> dgh: array<f32>;
@group(0) @binding(8) var<storage, read_write> dhz: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n * u.batch) {
    return;
  }
  let s = step_at(i, 3u);
  let n = u.n;
  let j = s.j;
  let g0 = s.g0;
  var dh = dy[out_index(s)];
  if (u.t + 1u < u.steps) {
    let d0 = (s.col + u.batch) * 3u * n;
    let w0 = 3u * n * j;
    for (var r = 0u; r < 3u * n; r++) {
      dh += wh[w0 + r] * dgh[d0 + r];
    }
    dh += dhz[s.b * n + j];
  }
  let g = gate_rows3(s);
  let r = g.x;
  let z = g.y;
  let c = g.z;
  let dpz = dh * (hs[s.col * n + j] - c) * z * (1.0 - z);
  let dpn = dh * (1.0 - z) * (1.0 - c * c);
  let dpr = dpn * ghn[s.col * n + j] * r * (1.0 - r);
  dgx[g0 + j] = dpr;
  dgx[g0 + n + j] = dpz;
  dgx[g0 + 2u * n + j] = dpn;
  dgh[g0 + j] = dpr;
  dgh[g0 + n + j] = dpz;
  dgh[g0 + 2u * n + j] = dpn * r;
  dhz[s.b * n + j] = dh * z;
}
