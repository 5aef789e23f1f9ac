// unary: one pipeline per dtype; the op is a uniform code (a uniform branch costs nothing next to a memory
// access, and keeps the pipeline count small). Float math runs in f32; integer dtypes only reach the
// integer-safe ops (neg, abs, sign, square), computed in their own type.
// @param dtype: f32 | i32 | u32 | f16
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include unaryops.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  n: u32,
  op: u32,
  param: f32,
  _pad: u32,
}

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let v = x[i];
  switch u.op {
    case UNARY_NEG: { out[i] = T(0) - v; }
    case UNARY_ABS: { out[i] = select(v, T(0) - v, v < T(0)); }
    // sign(NaN) is NaN, as Julia's: a NaN is neither <= 0 nor > 0 (never so for the integer dtypes). Not
    // written `v != v`, which the WGSL compiler may fold to false.
    case UNARY_SIGN: { out[i] = select(select(T(0), T(1), v > T(0)) - select(T(0), T(1), v < T(0)), v, !(v <= T(0)) && !(v > T(0))); }
    case UNARY_SQUARE: { out[i] = v * v; }
    default: { out[i] = T(unary_float(u.op, f32(v), u.param)); }
  }
}
