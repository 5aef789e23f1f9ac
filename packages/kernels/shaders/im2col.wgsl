// im2col: cols[p, q, n] (column-major, P = oW·oH, K = kW·kH·C) is the input value under tap q at output
// position p of image n, or 0 in the padding; conv is then one batched matmul cols · w.
// @param dtype: f32
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include conv.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> cols: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let P = u.oW * u.oH;
  let K = u.kW * u.kH * u.C;
  let p = i % P;
  let q = (i / P) % K;
  let img = i / (P * K);
  let ow = p % u.oW;
  let oh = p / u.oW;
  let kw = q % u.kW;
  let kh = (q / u.kW) % u.kH;
  let ch = q / (u.kW * u.kH);
  let iw = i32(ow * u.sw) + tap_w(kw);
  let ih = i32(oh * u.sh) + tap_h(kh);
  var v = T(0);
  if (iw >= 0 && iw < i32(u.W) && ih >= 0 && ih < i32(u.H)) {
    v = x[u32(iw) + u.W * (u32(ih) + u.H * (ch + u.C * img))];
  }
  cols[i] = v;
}
