// gru_forward: one time step t of the fused GRU (src/webgpu/ops/recurrent.ts), one invocation per hidden
// unit j and sequence b (Flux's GRUCell: gates r, z, n). The step's three rows for (j, b) hold the input
// projection `Wi * x` (one matmul for every step before the loop); the invocation computes its three rows
// of `Wh * h`, adds the bias, and writes r, z and the candidate h̃ in place, `Wh_n * h` (read again by the
// backward pass), and h' = (1 - z) h̃ + z h. Time-major buffers: gates [3n, B, T]; hs [n, B, T + 1] with h0
// in block 0; ghn [n, B, T]; y [n, T, B]. One dispatch per step, nothing read back.
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
@group(0) @binding(5) var<storage, read_write> ghn: array<f32>;
@group(0) @binding(6) var<storage, read_write> y: array<f32>;

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
  let hprev = s.col * n; // block t of hs: the previous step's h
  // Wh is [3n, n] column-major: row r, column m at r + 3n m.
  var gh = vec3<f32>(0.0, 0.0, 0.0);
  for (var m = 0u; m < n; m++) {
    let w = 3u * n * m + j;
    gh += hs[hprev + m] * vec3<f32>(wh[w], wh[w + n], wh[w + 2u * n]);
  }
  var gx = gate_rows3(s);
  if (u.has_bias != 0u) {
    gx += vec3<f32>(bias[j], bias[n + j], bias[2u * n + j]);
  }
  let r = sigmoid_f(gx.x + gh.x);
  let z = sigmoid_f(gx.y + gh.y);
  let c = tanh_f(gx.z + r * gh.z);
  let h = z * (hs[hprev + j] - c) + c;
  gates[g0 + j] = r;
  gates[g0 + n + j] = z;
  gates[g0 + 2u * n + j] = c;
  ghn[s.col * n + j] = gh.z;
  hs[hprev + u.batch * n + j] = h;
  y[out_index(s)] = h;
}
