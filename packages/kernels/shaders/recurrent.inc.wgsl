// The step geometry shared by the fused LSTM and GRU kernels (lstm_*.wgsl, gru_*.wgsl; host in
// src/webgpu/ops/recurrent.ts): one invocation per hidden unit j and sequence b of step t. Buffers are
// time-major, a step's columns contiguous: a [rows, B, T] buffer holds column b of step t at
// col = b + B t; the layer's output and its cotangent are [n, T, B]. Each including shader binds its gate
// buffer (rows·n per column: 4 gates for the LSTM, 3 for the GRU) as `gates`.
// @include uniforms.inc.wgsl

// One block for the four kernels: n hidden units, `batch` sequences of `steps` steps, this dispatch's step
// t; has_bias (read by the forward kernels) is 0 when the layer has no bias.
struct Params {
  n: u32,
  batch: u32,
  steps: u32,
  t: u32,
  has_bias: u32,
  _p0: u32,
  _p1: u32,
  _p2: u32,
}

struct Step {
  j: u32,
  b: u32,
  // This step's column b in a [rows, B, T] buffer.
  col: u32,
  // Where that column starts in the gate buffers.
  g0: u32,
}

// The unit and sequence of invocation i (i < n·B) of step u.t, with `rows` gates per unit.
fn step_at(i: u32, rows: u32) -> Step {
  let b = i / u.n;
  let col = b + u.batch * u.t;
  return Step(i % u.n, b, col, col * rows * u.n);
}

// (j, t, b) in the [n, T, B] output and its cotangent.
fn out_index(s: Step) -> u32 {
  return s.j + u.n * (u.t + u.steps * s.b);
}

// Unit j's rows of `gates` in the step's column, for the GRU (r, z, n) and the LSTM (i, f, g, o).
fn gate_rows3(s: Step) -> vec3<f32> {
  return vec3<f32>(gates[s.g0 + s.j], gates[s.g0 + u.n + s.j], gates[s.g0 + 2u * u.n + s.j]);
}

fn gate_rows4(s: Step) -> vec4<f32> {
  let n = u.n;
  return vec4<f32>(gates[s.g0 + s.j], gates[s.g0 + n + s.j], gates[s.g0 + 2u * n + s.j], gates[s.g0 + 3u * n + s.j]);
}
