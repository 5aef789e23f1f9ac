// The lines of the kernels that work along one axis of a column-major tensor (softmax, softmax_grad,
// arg_reduce): the tensor is [inner, len, outer] around the axis, line `line` (one of inner·outer, inner
// varying fastest) holds elements base + r·inner for r < len. Their Params carry `len` and `inner`.
// @include uniforms.inc.wgsl

fn axis_line_base(line: u32) -> u32 {
  return (line / u.inner) * u.inner * u.len + line % u.inner;
}
