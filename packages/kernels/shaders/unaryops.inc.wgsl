// Float definitions of the unary ops and their derivatives, one `case` per op declared in src/opNames.ts
// (UNARY_OP_SPECS; the UNARY_* constants are generated from it into opcodes.inc.wgsl). Ops declared with a
// zero gradient have no case in unary_grad_float. Activations follow NNlib; softplus and sigmoid are
// written to stay finite for large |x|.
// @include opcodes.inc.wgsl

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

fn softplus_f(v: f32) -> f32 {
  return log1p_f(exp(-abs(v))) + max(v, 0.0);
}

fn round_even(v: f32) -> f32 {
  let r = floor(v + 0.5);
  return select(r, r - 1.0, r - v == 0.5 && (r - 2.0 * floor(r * 0.5)) != 0.0);
}

fn unary_float(op: u32, v: f32, a: f32) -> f32 {
  switch op {
    case UNARY_NEG: { return -v; }
    case UNARY_ABS: { return abs(v); }
    case UNARY_SIGN: { return sign(v); }
    case UNARY_SQUARE: { return v * v; }
    case UNARY_EXP: { return exp(v); }
    case UNARY_LOG: { return log(v); }
    case UNARY_SQRT: { return sqrt(v); }
    case UNARY_RSQRT: { return 1.0 / sqrt(v); }
    case UNARY_RECIPROCAL: { return 1.0 / v; }
    case UNARY_LOG1P: { return log1p_f(v); }
    case UNARY_EXPM1: { return expm1_f(v); }
    case UNARY_SIN: { return sin(v); }
    case UNARY_COS: { return cos(v); }
    case UNARY_FLOOR: { return floor(v); }
    case UNARY_CEIL: { return ceil(v); }
    case UNARY_ROUND: { return round_even(v); }
    case UNARY_TANH: { return tanh_f(v); }
    case UNARY_SIGMOID: { return sigmoid_f(v); }
    case UNARY_RELU: { return max(v, 0.0); }
    case UNARY_LEAKYRELU: { return max(v, 0.0) + a * min(v, 0.0); }
    case UNARY_ELU: { return max(v, 0.0) + a * expm1_f(min(v, 0.0)); }
    case UNARY_GELU: { return 0.5 * v * (1.0 + tanh_f(GELU_C * (v + GELU_K * v * v * v))); }
    case UNARY_SOFTPLUS: { return softplus_f(v); }
    case UNARY_SWISH: { return v * sigmoid_f(v); }
    case UNARY_MISH: { return v * tanh_f(softplus_f(v)); }
    default: { return v; }
  }
}

// dy * op'(x), given the forward output y.
fn unary_grad_float(op: u32, x: f32, y: f32, dy: f32, a: f32) -> f32 {
  let pos = max(sign(x), 0.0);
  switch op {
    case UNARY_NEG: { return -dy; }
    case UNARY_ABS: { return dy * sign(x); }
    case UNARY_SQUARE: { return 2.0 * x * dy; }
    case UNARY_EXP: { return y * dy; }
    case UNARY_LOG: { return dy / x; }
    case UNARY_SQRT: { return 0.5 * dy / y; }
    case UNARY_RSQRT: { return -0.5 * dy * y * y * y; }
    case UNARY_RECIPROCAL: { return -dy * y * y; }
    case UNARY_LOG1P: { return dy / (1.0 + x); }
    case UNARY_EXPM1: { return dy * (y + 1.0); }
    case UNARY_SIN: { return dy * cos(x); }
    case UNARY_COS: { return -dy * sin(x); }
    case UNARY_TANH: { return dy * (1.0 - y * y); }
    case UNARY_SIGMOID: { return dy * y * (1.0 - y); }
    case UNARY_RELU: { return dy * pos; }
    case UNARY_LEAKYRELU: { return dy * (pos + a * (1.0 - pos)); }
    case UNARY_ELU: { return dy * (pos + (1.0 - pos) * (y + a)); }
    case UNARY_GELU: {
      let t = tanh_f(GELU_C * (x + GELU_K * x * x * x));
      return dy * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GELU_C * (1.0 + 3.0 * GELU_K * x * x));
    }
    case UNARY_SOFTPLUS: { return dy * sigmoid_f(x); }
    case UNARY_SWISH: {
      let s = sigmoid_f(x);
      return dy * s * (1.0 + x * (1.0 - s));
    }
    case UNARY_MISH: {
      let t = tanh_f(softplus_f(x));
      return dy * (t + x * (1.0 - t * t) * sigmoid_f(x));
    }
    // sign, floor, ceil, round: zero almost everywhere.
    default: { return 0.0; }
  }
}
