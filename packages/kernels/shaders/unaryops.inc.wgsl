// Float definitions of the unary ops (codes follow UNARY_OPS in src/opNames.ts) and their derivatives.
// Activations follow NNlib; softplus and sigmoid are written to stay finite for large |x|.

const GELU_C: f32 = 0.7978845608028654;
const GELU_K: f32 = 0.044715;

fn sigmoid_f(v: f32) -> f32 {
  // exp of a non-positive number never overflows.
  let e = exp(-abs(v));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), v >= 0.0);
}

fn expm1_f(v: f32) -> f32 {
  // exp(v) - 1 loses every digit near 0: use the series there.
  if (abs(v) < 1e-3) {
    return v + 0.5 * v * v + v * v * v / 6.0;
  }
  return exp(v) - 1.0;
}

fn log1p_f(v: f32) -> f32 {
  let w = 1.0 + v;
  if (w == 1.0) {
    return v;
  }
  return log(w) * v / (w - 1.0);
}

fn tanh_f(v: f32) -> f32 {
  // WGSL's tanh may be NaN for large |v| on some implementations; clamp where tanh is ±1 in f32 anyway.
  return tanh(clamp(v, -15.0, 15.0));
}

fn round_even(v: f32) -> f32 {
  let r = floor(v + 0.5);
  return select(r, r - 1.0, r - v == 0.5 && (r - 2.0 * floor(r * 0.5)) != 0.0);
}

fn unary_float(op: u32, v: f32, a: f32) -> f32 {
  switch op {
    case 0u: { return -v; }
    case 1u: { return abs(v); }
    case 2u: { return sign(v); }
    case 3u: { return v * v; }
    case 4u: { return exp(v); }
    case 5u: { return log(v); }
    case 6u: { return sqrt(v); }
    case 7u: { return 1.0 / sqrt(v); }
    case 8u: { return 1.0 / v; }
    case 9u: { return log1p_f(v); }
    case 10u: { return expm1_f(v); }
    case 11u: { return sin(v); }
    case 12u: { return cos(v); }
    case 13u: { return floor(v); }
    case 14u: { return ceil(v); }
    case 15u: { return round_even(v); }
    case 16u: { return tanh_f(v); }
    case 17u: { return sigmoid_f(v); }
    case 18u: { return max(v, 0.0); }
    case 19u: { return max(v, 0.0) + a * min(v, 0.0); }
    case 20u: { return max(v, 0.0) + a * expm1_f(min(v, 0.0)); }
    case 21u: { return 0.5 * v * (1.0 + tanh_f(GELU_C * (v + GELU_K * v * v * v))); }
    case 22u: { return log1p_f(exp(-abs(v))) + max(v, 0.0); }
    case 23u: { return v * sigmoid_f(v); }
    default: { return v; }
  }
}

// dy * op'(x), given the forward output y.
fn unary_grad_float(op: u32, x: f32, y: f32, dy: f32, a: f32) -> f32 {
  let pos = max(sign(x), 0.0);
  switch op {
    case 0u: { return -dy; }
    case 1u: { return dy * sign(x); }
    case 3u: { return 2.0 * x * dy; }
    case 4u: { return y * dy; }
    case 5u: { return dy / x; }
    case 6u: { return 0.5 * dy / y; }
    case 7u: { return -0.5 * dy * y * y * y; }
    case 8u: { return -dy * y * y; }
    case 9u: { return dy / (1.0 + x); }
    case 10u: { return dy * (y + 1.0); }
    case 11u: { return dy * cos(x); }
    case 12u: { return -dy * sin(x); }
    case 16u: { return dy * (1.0 - y * y); }
    case 17u: { return dy * y * (1.0 - y); }
    case 18u: { return dy * pos; }
    case 19u: { return dy * (pos + a * (1.0 - pos)); }
    case 20u: { return dy * (pos + (1.0 - pos) * (y + a)); }
    case 21u: {
      let t = tanh_f(GELU_C * (x + GELU_K * x * x * x));
      return dy * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GELU_C * (1.0 + 3.0 * GELU_K * x * x));
    }
    case 22u: { return dy * sigmoid_f(x); }
    case 23u: {
      let s = sigmoid_f(x);
      return dy * s * (1.0 + x * (1.0 - s));
    }
    // sign, floor, ceil, round: zero almost everywhere.
    default: { return 0.0; }
  }
}
