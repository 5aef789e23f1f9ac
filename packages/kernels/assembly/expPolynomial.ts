// Cephes' expf polynomial, shared by the vectorised exps of activation.ts and recurrent.ts (which differ in
// their range reduction and limits): e^r ≈ 1 + r + r² p(r) for a reduced argument |r| ≤ ln2 / 2, about
// 1 ulp in f32. Binaryen inlines it at -O3 into each caller.

/** e^r in four lanes, for |r| ≤ ln2 / 2. */
export function expPolynomial(r: v128): v128 {
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  return f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
}
