// optimiser_step: the fused optimiser step (src/optimiserOps.ts) in ONE pass: d = g, then each op of the
// step in order (a uniform switch on its code, the index in OPTIMISER_STEP_KINDS), then x -= d. Each op reads
// x, updates d and its own state buffers s0..s3 (the op's `state` is the index of its first one); `scale`
// reads element 0 of its one-element factor. f32 only; unused state bindings hold small dummy buffers.
// Formulas are @flux/optim's rules, operation for operation.
// @param wg: 64u | 256u
// @include strided.inc.wgsl
// @include uniforms.inc.wgsl
// @include workgroup.inc.wgsl

const MAX_OPS: u32 = 6u;

struct Op {
  kind: u32,
  state: u32,
  _p0: u32,
  _p1: u32,
  k: array<vec4<f32>, 3>,
}

struct Params {
  n: u32,
  nops: u32,
  _p0: u32,
  _p1: u32,
  ops: array<Op, MAX_OPS>,
}

@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> s0: array<f32>;
@group(0) @binding(4) var<storage, read_write> s1: array<f32>;
@group(0) @binding(5) var<storage, read_write> s2: array<f32>;
@group(0) @binding(6) var<storage, read_write> s3: array<f32>;

fn ld(k: u32, i: u32) -> f32 {
  switch k {
    case 0u: { return s0[i]; }
    case 1u: { return s1[i]; }
    case 2u: { return s2[i]; }
    default: { return s3[i]; }
  }
}

fn st(k: u32, i: u32, v: f32) {
  switch k {
    case 0u: { s0[i] = v; }
    case 1u: { s1[i] = v; }
    case 2u: { s2[i] = v; }
    default: { s3[i] = v; }
  }
}

// Scalar j of op o.
fn kk(o: u32, j: u32) -> f32 {
  return u.ops[o].k[j / 4u][j % 4u];
}

fn sgn(v: f32) -> f32 {
  return select(0.0, 1.0, v > 0.0) - select(0.0, 1.0, v < 0.0);
}

// The Adam family's moments (scalars 0-3: beta1, 1-beta1, beta2, 1-beta2), written back; returns (m, v).
fn moments(o: u32, s: u32, i: u32, d: f32) -> vec2<f32> {
  let m = ld(s, i) * kk(o, 0u) + d * kk(o, 1u);
  let v = ld(s + 1u, i) * kk(o, 2u) + (d * d) * kk(o, 3u);
  st(s, i, m);
  st(s + 1u, i, v);
  return vec2<f32>(m, v);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= u.n) {
    return;
  }
  let xi = x[i];
  var d = g[i];
  for (var o = 0u; o < u.nops; o++) {
    let s = u.ops[o].state;
    switch u.ops[o].kind {
      // descent
      case 0u: {
        d = d * kk(o, 0u);
      }
      // momentum
      case 1u: {
        let v = ld(s, i) * kk(o, 0u) + d * kk(o, 1u);
        st(s, i, v);
        d = v;
      }
      // nesterov
      case 2u: {
        let v = ld(s, i);
        st(s, i, v * kk(o, 2u) - d * kk(o, 3u));
        d = v * kk(o, 0u) + d * kk(o, 1u);
      }
      // rmsprop
      case 3u: {
        let q = ld(s, i) * kk(o, 0u) + (d * d) * kk(o, 1u);
        st(s, i, q);
        d = (d * kk(o, 2u)) / (sqrt(q) + kk(o, 3u));
      }
      // rmspropCentred
      case 4u: {
        let q = ld(s, i) * kk(o, 0u) + (d * d) * kk(o, 1u);
        let l = ld(s + 1u, i) * kk(o, 0u) + d * kk(o, 1u);
        st(s, i, q);
        st(s + 1u, i, l);
        d = (d * kk(o, 2u)) / (sqrt(q - l * l) + kk(o, 3u));
      }
      // adam
      case 5u: {
        let mv = moments(o, s, i, d);
        let denom = sqrt(mv.y / kk(o, 5u)) + kk(o, 6u);
        d = ((mv.x / kk(o, 4u)) / denom) * kk(o, 7u);
      }
      // adamw
      case 6u: {
        let mv = moments(o, s, i, d);
        let denom = sqrt(mv.y / kk(o, 5u)) + kk(o, 6u);
        let w = (mv.x / kk(o, 4u)) / denom;
        let xl = xi * kk(o, 8u);
        if (kk(o, 9u) != 0.0) {
          d = (w + xl) * kk(o, 7u);
        } else {
          d = w * kk(o, 7u) + xl;
        }
      }
      // nadam
      case 7u: {
        let mv = moments(o, s, i, d);
        let num = (mv.x * kk(o, 0u)) / kk(o, 4u) + (d * kk(o, 1u)) / kk(o, 5u);
        let denom = sqrt((mv.y * kk(o, 2u)) / kk(o, 6u)) + kk(o, 7u);
        d = (num / denom) * kk(o, 8u);
      }
      // radam
      case 8u: {
        let mv = moments(o, s, i, d);
        let mhat = mv.x / kk(o, 4u);
        if (kk(o, 9u) != 0.0) {
          let denom = sqrt(mv.y / kk(o, 5u)) + kk(o, 6u);
          d = ((mhat / denom) * kk(o, 7u)) * kk(o, 8u);
        } else {
          d = mhat * kk(o, 7u);
        }
      }
      // adamax
      case 9u: {
        let m = ld(s, i) * kk(o, 0u) + d * kk(o, 1u);
        let w = max(ld(s + 1u, i) * kk(o, 2u), abs(d));
        st(s, i, m);
        st(s + 1u, i, w);
        d = (m / (w + kk(o, 3u))) * kk(o, 4u);
      }
      // adagrad
      case 10u: {
        let a = ld(s, i) + d * d;
        st(s, i, a);
        d = (d * kk(o, 0u)) / (sqrt(a) + kk(o, 1u));
      }
      // adadelta
      case 11u: {
        let a = ld(s, i) * kk(o, 0u) + (d * d) * kk(o, 1u);
        let b = ld(s + 1u, i);
        let step = (d * sqrt(b + kk(o, 2u))) / sqrt(a + kk(o, 2u));
        st(s, i, a);
        st(s + 1u, i, b * kk(o, 0u) + (step * step) * kk(o, 1u));
        d = step;
      }
      // lion
      case 12u: {
        let m = d * kk(o, 1u) + ld(s, i) * kk(o, 2u);
        st(s, i, m);
        d = sgn(d * kk(o, 3u) + m * kk(o, 0u)) * kk(o, 4u);
      }
      // clipgrad
      case 13u: {
        d = min(max(d, -kk(o, 0u)), kk(o, 0u));
      }
      // weightdecay
      case 14u: {
        d = d + xi * kk(o, 0u);
      }
      // signdecay
      case 15u: {
        d = d + sgn(xi) * kk(o, 0u);
      }
      // scale
      default: {
        d = d * ld(s, 0u);
      }
    }
  }
  x[i] = xi - d;
}
