// pool2d (max, mean) over [W, H, C, N]: one invocation per output; padding counts towards mean's divisor.
// @param dtype: f32
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include pool.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = flat_index(gid, nwg, WG);
  if (o >= u.n) {
    return;
  }
  let win = window_of(o);
  var acc = select(0.0, neg_inf(), u.isMax != 0u);
  for (var h = win.y; h < win.w; h++) {
    for (var w = win.x; w < win.z; w++) {
      let v = f32(x[win_plane(o) + w + u.W * h]);
      acc = select(acc + v, max(acc, v), u.isMax != 0u);
    }
  }
  out[o] = T(select(acc / f32(u.kW * u.kH), acc, u.isMax != 0u));
}
