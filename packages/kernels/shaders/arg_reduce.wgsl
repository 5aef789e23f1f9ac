// argmax / argmin along one axis: a workgroup per line, a shared-memory tree over (value, index) pairs
// that keeps the FIRST index on ties (the CPU's and Julia's rule). op 0 = argmax, 1 = argmin.
// @param dtype: f32 | i32 | u32
// @param wg: 64u | 256u
// @include axisline.inc.wgsl
// @include opcodes.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

alias T = /*@dtype*/f32;

struct Params {
  nLines: u32,
  len: u32,
  inner: u32,
  op: u32,
  init: u32,
  _p0: u32,
  _p1: u32,
  _p2: u32,
}

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<i32>;

var<workgroup> vals: array<T, WG>;
var<workgroup> idxs: array<u32, WG>;

// Whether (v, i) beats (w, j): strictly better value, or equal value and a smaller index.
fn better(v: T, i: u32, w: T, j: u32) -> bool {
  let strict = select((v < w), (v > w), u.op == ARG_REDUCE_ARGMAX);
  return strict || (v == w && i < j);
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let line = wid.x + wid.y * nwg.x;
  var best = bitcast<T>(u.init);
  var bestI = 0xffffffffu;
  if (line < u.nLines) {
    let base = axis_line_base(line);
    for (var r = lid; r < u.len; r += WG) {
      let v = x[base + r * u.inner];
      if (bestI == 0xffffffffu || better(v, r, best, bestI)) {
        best = v;
        bestI = r;
      }
    }
  }
  vals[lid] = best;
  idxs[lid] = bestI;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let j = idxs[lid + s];
      if (j != 0xffffffffu && (idxs[lid] == 0xffffffffu || better(vals[lid + s], j, vals[lid], idxs[lid]))) {
        vals[lid] = vals[lid + s];
        idxs[lid] = j;
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u && line < u.nLines) {
    out[line] = i32(idxs[0]);
  }
}
