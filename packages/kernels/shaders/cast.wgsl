// cast: element type conversion. Float to integer truncates toward zero through i32, so a negative value
// wraps into u32 as the CPU's typed arrays do; `mask` keeps u8 results in 0..255; `bool` is `x != 0`.
// @param src: f32 | i32 | u32 | f16
// @param dst: f32 | i32 | u32 | f16
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias S = /*@src*/f32;
alias D = /*@dst*/f32;

const MODE_FLOAT: u32 = 0u;
const MODE_INT: u32 = 1u;

struct Params {
  n: u32,
  mode: u32,
  mask: u32,
  _pad: u32,
}

@group(0) @binding(1) var<storage, read> x: array<S>;
@group(0) @binding(2) var<storage, read_write> out: array<D>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let v = x[i];
  if (u.mode == MODE_FLOAT) {
    out[i] = D(v);
  } else if (u.mode == MODE_INT) {
    out[i] = D(bitcast<u32>(i32(v)) & u.mask);
  } else {
    out[i] = D(select(0u, 1u, v != S(0)));
  }
}
