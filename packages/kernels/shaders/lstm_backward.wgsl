// lstm_backward: one time step t of the fused LSTM's backward pass (src/webgpu/ops/recurrent.ts), one
// invocation per hidden unit j and sequence b, steps dispatched from the last to the first. The cotangent
// reaching h is the output's plus `Whᵀ * dgates` of step t + 1 (read from the block written by the previous
// dispatch); with dc (carried in place) and the forward pass's saved gates, tanh(c) and cells it writes the
// step's pre-activation cotangents dgates and the dc reaching the step before. Layouts as lstm_forward.wgsl;
// dy [n, T, B]; dc [n, B].
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

struct Params {
  n: u32,
  batch: u32,
  steps: u32,
  t: u32,
}

@group(0) @binding(1) var<storage, read> wh: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> cells: array<f32>;
@group(0) @binding(4) var<storage, read> tanhs: array<f32>;
@group(0) @binding(5) var<storage, read> dy: array<f32>;
@group(0) @binding(6) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(7) var<storage, read_write> dc: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  let n = u.n;
  if (i >= n * u.batch) {
    return;
  }
  let j = i % n;
  let b = i / n;
  let col = b + u.batch * u.t;
  let g0 = col * 4u * n;
  var dh = dy[j + n * (u.t + u.steps * b)];
  if (u.t + 1u < u.steps) {
    // Whᵀ * dgates of step t + 1: column j of Wh against that step's column b.
    let d0 = (col + u.batch) * 4u * n;
    let w0 = 4u * n * j;
    for (var r = 0u; r < 4u * n; r++) {
      dh += wh[w0 + r] * dgates[d0 + r];
    }
  }
  let ig = gates[g0 + j];
  let fg = gates[g0 + n + j];
  let gg = gates[g0 + 2u * n + j];
  let og = gates[g0 + 3u * n + j];
  let tc = tanhs[col * n + j];
  let dcv = dc[b * n + j] + dh * og * (1.0 - tc * tc);
  let cprev = cells[col * n + j]; // block t of [n, B, T + 1]: c of the step before
  dgates[g0 + j] = dcv * gg * ig * (1.0 - ig);
  dgates[g0 + n + j] = dcv * cprev * fg * (1.0 - fg);
  dgates[g0 + 2u * n + j] = dcv * ig * (1.0 - gg * gg);
  dgates[g0 + 3u * n + j] = dh * tc * og * (1.0 - og);
  dc[b * n + j] = dcv * fg;
}
