// The geometry gather and its adjoint scatter_add share, column-major: the gathered tensor is
// [inner, nIdx, outer] and the source [inner, axisLen, outer]; slice j of the first is slice idx[j] of the
// second.
// @include uniforms.inc.wgsl

struct Params {
  n: u32,
  inner: u32,
  nIdx: u32,
  axisLen: u32,
}
