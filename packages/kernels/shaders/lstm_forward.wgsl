// lstm_forward: one time step t of the fused LSTM (src/webgpu/ops/recurrent.ts), one invocation per hidden
// unit j and sequence b. The step's four gate rows for (j, b) start as the input projection `Wi * x` (one
// matmul for every step before the loop); the invocation adds the bias and its four rows of `Wh * h`, applies
// the activations, and writes c', tanh(c'), h' and the activated gates, which the backward pass reads again.
// Time-major buffers ([rows, B, T], a step's columns contiguous): gates [4n, B, T]; hs and cells
// [n, B, T + 1] with the initial state in block 0; tanhs [n, B, T]; y [n, T, B] (the layer's output).
// Invocations of one step touch disjoint columns and read only the previous block of hs and cells, so a
// step is one dispatch and the time loop is T dispatches with nothing read back.
// @param wg: 64u | 256u
// @include recurrent.inc.wgsl
// @include strided.inc.wgsl
// @include unaryops.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

@group(0) @binding(1) var<storage, read> wh: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> gates: array<f32>;
@group(0) @binding(4) var<storage, read_write> hs: array<f32>;
@group(0) @binding(5) var<storage, read_write> cells: array<f32>;
@group(0) @binding(6) var<storage, read_write> tanhs: array<f32>;
@group(0) @binding(7) var<storage, read_write> y: array<f32>;

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
  let hprev = s.col * n; // block t of hs and cells: the previous step's h and c
  var z = gate_rows4(s);
  if (u.has_bias != 0u) {
    z += vec4<f32>(bias[j], bias[n + j], bias[2u * n + j], bias[3u * n + j]);
  }
  // Wh is [4n, n] column-major: row r, column m at r + 4n m.
  for (var m = 0u; m < n; m++) {
    let h = hs[hprev + m];
    let w = 4u * n * m + j;
    z += h * vec4<f32>(wh[w], wh[w + n], wh[w + 2u * n], wh[w + 3u * n]);
  }
  // The unary kernels' sigmoid and tanh: finite for any |z| on every implementation.
  let ig = sigmoid_f(z.x);
  let fg = sigmoid_f(z.y);
  let gg = tanh_f(z.z);
  let og = sigmoid_f(z.w);
  let c = fg * cells[hprev + j] + ig * gg;
  let tc = tanh_f(c);
  let h = og * tc;
  let next = hprev + u.batch * n + j; // block t + 1
  cells[next] = c;
  hs[next] = h;
  tanhs[s.col * n + j] = tc;
  y[out_index(s)] = h;
  gates[g0 + j] = ig;
  gates[g0 + n + j] = fg;
  gates[g0 + 2u * n + j] = gg;
  gates[g0 + 3u * n + j] = og;
}
