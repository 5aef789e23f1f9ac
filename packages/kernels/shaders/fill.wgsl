// fill and arange: out[i] = start + i * step. The value travels as bits so one pipeline serves every dtype;
// integer dtypes take the integer bits (exact beyond 2^24), floats the f32 bits.
// @param dtype: f32 | i32 | u32 | f16
// @param word: f32 | i32 | u32
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;
// The type start/step travel in as uniform bits: T itself, or f32 for f16 (a u32 cannot bitcast to f16).
alias W = /*@word*/f32;

struct Params {
  n: u32,
  start: u32,
  step: u32,
  _pad: u32,
}

@group(0) @binding(1) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let start = bitcast<W>(u.start);
  let step = bitcast<W>(u.step);
  out[i] = T(start + W(i) * step);
}
