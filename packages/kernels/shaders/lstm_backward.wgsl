// lstm_backward: one time step t of the fused LSTM's backward pass (src/webgpu/ops/recurrent.ts), one
// invocation per hidden unit j and sequence b, steps dispatched from the last to the first. The cotangent
// reaching h is the output's plus `Whᵀ * dgates` of step t + 1 (read from the block written by the previous
// dispatch); with dc (carried in place) and the forward pass's saved gates, tanh(c) and cells it writes the
// step's pre-activation cotangents dgates and the dc reaching the step before. Layouts as lstm_forward.wgsl;
// dy [n, T, B]; dc [n, B].
// @param wg: 64u | 256u
// @include recurrent.inc.wgsl
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

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
  if (i >= u.n * u.batch) {
    return;
  }
  let s = step_at(i, 4u);
  let n = u.n;
  let j = s.j;
  let g0 = s.g0;
  var dh = dy[out_index(s)];
  if (u.t + 1u < u.steps) {
    // Whᵀ * dgates of step t + 1: column j of Wh against that step's column b.
    let d0 = (s.col + u.batch) * 4u * n;
    let w0 = 4u * n * j;
    for (var r = 0u; r < 4u * n; r++) {
      dh += wh[w0 + r] * dgates[d0 + r];
    }
  }
  let g = gate_rows4(s);
  let ig = g.x;
  let fg = g.y;
  let gg = g.z;
  let og = g.w;
  let tc = tanhs[s.col * n + j];
  let dcv = dc[s.b * n + j] + dh * og * (1.0 - tc * tc);
  let cprev = cells[s.col * n + j]; // block t of [n, B, T + 1]: c of the step before
  dgates[g0 + j] = dcv * gg * ig * (1.0 - ig);
  dgates[g0 + n + j] = dcv * cprev * fg * (1.0 - fg);
  dgates[g0 + 2u * n + j] = dcv * ig * (1.0 - gg * gg);
  dgates[g0 + 3u * n + j] = dh * tc * og * (1.0 - og);
  dc[s.b * n + j] = dcv * fg;
}
