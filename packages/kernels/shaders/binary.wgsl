// binary arithmetic with broadcasting (binary.inc.wgsl); the op is a uniform code, one BINARY_* constant
// per arithmetic op (opcodes.inc.wgsl).
// @param dtype: f32 | i32 | u32 | f16
// @param wg: 64u | 256u
// @include binary.inc.wgsl
// @include strided.inc.wgsl
// @include opcodes.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

@group(0) @binding(3) var<storage, read_write> out: array<T>;

// Julia's ^ on floats: a negative base with an integral exponent keeps its sign by parity.
fn pow_f(x: f32, y: f32) -> f32 {
  if (y == 0.0) {
    return 1.0;
  }
  let m = pow(abs(x), y);
  if (x < 0.0) {
    if (y != trunc(y)) {
      return nan_f32();
    }
    let odd = abs(y - 2.0 * floor(y * 0.5)) == 1.0;
    return select(m, -m, odd);
  }
  return m;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let x = lhs(i);
  let y = rhs(i);
  var r: T;
  switch u.op {
    case BINARY_ADD: { r = x + y; }
    case BINARY_SUB: { r = x - y; }
    case BINARY_MUL: { r = x * y; }
    case BINARY_DIV: { r = x / y; }
    case BINARY_POW: { r = T(pow_f(f32(x), f32(y))); }
    case BINARY_MAX: { r = max(x, y); }
    case BINARY_MIN, default: { r = min(x, y); }
  }
  out[i] = r;
}
