// col2im for the input gradient: each input element sums, over the taps that read it, the matching entry
// of dcols[p, q, n]. Gathering per input element (instead of scattering per column entry) needs no atomics.
// @param dtype: f32
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include conv.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

@group(0) @binding(1) var<storage, read> dcols: array<T>;
@group(0) @binding(2) var<storage, read_write> dx: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let iw = i32(i % u.W);
  let ih = i32((i / u.W) % u.H);
  let ch = (i / (u.W * u.H)) % u.C;
  let img = i / (u.W * u.H * u.C);
  let P = u.oW * u.oH;
  let K = u.kW * u.kH * u.C;
  var acc = T(0);
  for (var kh = 0u; kh < u.kH; kh++) {
    let dh = ih - tap_h(kh);
    if (dh < 0 || dh % i32(u.sh) != 0 || u32(dh) / u.sh >= u.oH) {
      continue;
    }
    let oh = u32(dh) / u.sh;
    for (var kw = 0u; kw < u.kW; kw++) {
      let dw = iw - tap_w(kw);
      if (dw < 0 || dw % i32(u.sw) != 0 || u32(dw) / u.sw >= u.oW) {
        continue;
      }
      let ow = u32(dw) / u.sw;
      let q = kw + u.kW * (kh + u.kH * ch);
      acc += dcols[ow + u.oW * oh + P * (q + K * img)];
    }
  }
  dx[i] = acc;
}
