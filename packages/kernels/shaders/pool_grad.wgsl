// The input gradient of pooling, gathered per input element over the windows that contain it: mean
// spreads dy evenly; max routes each window's dy to its FIRST maximum (the CPU's rule), found by rescanning.
// @param dtype: f32
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include pool.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read> y: array<T>;
@group(0) @binding(3) var<storage, read> dy: array<T>;
@group(0) @binding(4) var<storage, read_write> dx: array<T>;

// Whether input (w, h) is the first position of window o's clipped area holding value m.
fn is_first_max(o: u32, plane: u32, w: u32, h: u32, m: T) -> bool {
  let win = window_of(o);
  for (var hh = win.y; hh < win.w; hh++) {
    for (var ww = win.x; ww < win.z; ww++) {
      if (x[plane + ww + u.W * hh] == m) {
        return ww == w && hh == h;
      }
    }
  }
  return false;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let w = i % u.W;
  let h = (i / u.W) % u.H;
  let planeIndex = i / (u.W * u.H);
  let plane = planeIndex * u.W * u.H;
  // Output windows starting at ow·sw - padW cover w when start <= w < start + kW.
  let owLo = max(i32(w) + i32(u.padW) - i32(u.kW) + 1, 0);
  let ohLo = max(i32(h) + i32(u.padH) - i32(u.kH) + 1, 0);
  var acc = T(0);
  for (var oh = u32((ohLo + i32(u.sh) - 1) / i32(u.sh)); oh < u.oH; oh++) {
    if (i32(oh * u.sh) - i32(u.padH) > i32(h)) {
      break;
    }
    for (var ow = u32((owLo + i32(u.sw) - 1) / i32(u.sw)); ow < u.oW; ow++) {
      if (i32(ow * u.sw) - i32(u.padW) > i32(w)) {
        break;
      }
      let o = ow + u.oW * (oh + u.oH * planeIndex);
      if (u.isMax == 0u) {
        acc += dy[o] / T(u.kW * u.kH);
      } else if (is_first_max(o, plane, w, h, y[o])) {
        acc += dy[o];
      }
    }
  }
  dx[i] = acc;
}
