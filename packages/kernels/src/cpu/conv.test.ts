import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Conv2dGeometry } from "../backend.js";
import { CpuBackend } from "./backend.js";
import {
  conv2dBackwardFilterInto,
  conv2dBackwardInputInto,
  conv2dInto,
  forgetConvInput,
  trimConvScratch,
} from "./conv.js";
import { placeConvChunk } from "./wasm/convSimd.js";

// The definition, one multiply-add at a time: y[ow,oh,co,n] = Σ x[iw,ih,c,n] * w[kw,kh,c,co] over the taps
// whose input lies inside the image, with NNlib's flip unless `flipped`. The backward passes are the
// adjoints of the same sum, so all three share this walk.
function forEachTerm(g: Conv2dGeometry, fn: (xi: number, wi: number, yi: number) => void): void {
  const [W, H, C, N] = g.inShape;
  const [kW, kH, , Cout] = g.weightShape;
  const [oW, oH] = g.outShape;
  for (let n = 0; n < N; n++)
    for (let co = 0; co < Cout; co++)
      for (let oh = 0; oh < oH; oh++)
        for (let ow = 0; ow < oW; ow++)
          for (let c = 0; c < C; c++)
            for (let kh = 0; kh < kH; kh++)
              for (let kw = 0; kw < kW; kw++) {
                const ew = g.flipped ? kw : kW - 1 - kw;
                const eh = g.flipped ? kh : kH - 1 - kh;
                const iw = ow * g.stride[0] + ew * g.dilation[0] - g.pad[0];
                const ih = oh * g.stride[1] + eh * g.dilation[1] - g.pad[2];
                if (iw < 0 || iw >= W || ih < 0 || ih >= H) continue;
                fn(
                  iw + W * (ih + H * (c + C * n)),
                  kw + kW * (kh + kH * (c + C * co)),
                  ow + oW * (oh + oH * (co + Cout * n)),
                );
              }
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The definition's output y and the two gradients dx and dw (from dy), all in f64. */
function definition(g: Conv2dGeometry, x: ArrayLike<number>, w: ArrayLike<number>, dy: ArrayLike<number>) {
  const [y, dx, dw] = [g.outShape, g.inShape, g.weightShape].map((s) => new Float64Array(size(s))) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  forEachTerm(g, (xi, wi, yi) => {
    y[yi]! += x[xi]! * w[wi]!;
    dx[xi]! += dy[yi]! * w[wi]!;
    dw[wi]! += x[xi]! * dy[yi]!;
  });
  return { y, dx, dw };
}

// Deterministic values in [-1, 1) from a seed.
function values(n: number, seed: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++)
    v[i] = ((Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453) % 1) as number;
  return v;
}

const geometry = fc
  .record({
    W: fc.integer({ min: 1, max: 9 }),
    H: fc.integer({ min: 1, max: 9 }),
    C: fc.integer({ min: 1, max: 3 }),
    N: fc.integer({ min: 1, max: 5 }),
    Cout: fc.integer({ min: 1, max: 3 }),
    kW: fc.integer({ min: 1, max: 3 }),
    kH: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    sh: fc.integer({ min: 1, max: 3 }),
    pad: fc.tuple(...[0, 1, 2, 3].map(() => fc.integer({ min: 0, max: 2 }))),
    dw: fc.integer({ min: 1, max: 2 }),
    dh: fc.integer({ min: 1, max: 2 }),
    flipped: fc.boolean(),
    // 1: one image per chunk (the GEMM writes in place); otherwise several chunks, the last one partial.
    colBudget: fc.integer({ min: 1, max: 400 }),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map((p) => {
    const oW = Math.floor((p.W + p.pad[0]! + p.pad[1]! - p.dw * (p.kW - 1) - 1) / p.sw) + 1;
    const oH = Math.floor((p.H + p.pad[2]! + p.pad[3]! - p.dh * (p.kH - 1) - 1) / p.sh) + 1;
    const g: Conv2dGeometry = {
      stride: [p.sw, p.sh],
      pad: p.pad as [number, number, number, number],
      dilation: [p.dw, p.dh],
      flipped: p.flipped,
      inShape: [p.W, p.H, p.C, p.N],
      weightShape: [p.kW, p.kH, p.C, p.Cout],
      outShape: [oW, oH, p.Cout, p.N],
    };
    return { g, colBudget: p.colBudget, seed: p.seed };
  })
  .filter(({ g }) => g.outShape[0] >= 1 && g.outShape[1] >= 1);

// f64 through the TypeScript dgemm: the chunked result must equal the definition to rounding.
const close = (got: Float64Array, want: Float64Array) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 10);
};

describe("conv2d (chunked im2col + one GEMM per chunk) against the definition", () => {
  // Each pass against the definition, its output first filled with values it must overwrite.
  type Operands = { g: Conv2dGeometry; x: Float64Array; w: Float64Array; dy: Float64Array; budget: number };
  const passes = [
    {
      name: "forward, for any stride, padding, dilation, flip and chunk size",
      want: "y",
      stale: Number.NaN,
      run: (o: Operands, out: Float64Array) => conv2dInto(o.x, o.w, o.g, out, "f64", o.budget),
    },
    {
      name: "backward input: dx[i] = Σ dy * w over the terms that read x[i]",
      want: "dx",
      stale: 7,
      run: (o: Operands, out: Float64Array) => conv2dBackwardInputInto(o.dy, o.w, o.g, out, "f64", o.budget),
    },
    {
      name: "backward filter: dw[j] = Σ x * dy over the batch, however it is chunked",
      want: "dw",
      stale: 7,
      run: (o: Operands, out: Float64Array) => conv2dBackwardFilterInto(o.x, o.dy, o.g, out, "f64", o.budget),
    },
  ] as const;

  it.each(passes)("$name", ({ want, stale, run }) => {
    fc.assert(
      fc.property(geometry, ({ g, colBudget, seed }) => {
        const x = values(size(g.inShape), seed);
        const w = values(size(g.weightShape), seed + 1);
        const dy = values(size(g.outShape), seed + 2);
        const expected = definition(g, x, w, dy)[want];
        const got = new Float64Array(expected.length).fill(stale);
        run({ g, x, w, dy, budget: colBudget }, got);
        close(got, expected);
      }),
      { numRuns: 150 },
    );
  });

  it("f32 (the SIMD im2col and col2im for rows read at stride 1, JS loops otherwise): every pass, any geometry", () => {
    // The same geometries in f32: the col matrix built and scattered by the wasm kernel in its own memory
    // (handed to sgemm as a view), grown as the chunks need; strides along W keep the JS loops.
    fc.assert(
      fc.property(geometry, ({ g, colBudget, seed }) => {
        const x = Float32Array.from(values(size(g.inShape), seed));
        const w = Float32Array.from(values(size(g.weightShape), seed + 1));
        const dy = Float32Array.from(values(size(g.outShape), seed + 2));
        const want = definition(g, x, w, dy);
        const y = new Float32Array(want.y.length).fill(Number.NaN);
        const dx = new Float32Array(want.dx.length).fill(7);
        const dw = new Float32Array(want.dw.length).fill(7);
        conv2dInto(x, w, g, y, "f32", colBudget);
        conv2dBackwardInputInto(dy, w, g, dx, "f32", colBudget);
        conv2dBackwardFilterInto(x, dy, g, dw, "f32", colBudget);
        forgetConvInput(x);
        for (const [got, exact] of [
          [y, want.y],
          [dx, want.dx],
          [dw, want.dw],
        ] as const) {
          for (let i = 0; i < exact.length; i++)
            expect(Math.abs(got[i]! - exact[i]!)).toBeLessThan(1e-5 * (8 + Math.abs(exact[i]!)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("3-wide kernels at stride 1 (the three-taps-per-row copy paths): all passes match the definition", () => {
    // Widths down to the kernel's (one output column), flipped or not, with and without padding along H
    // (padding along W leaves these paths for the general ones).
    for (const [W, H, flipped, padH] of [
      [3, 3, false, 0],
      [4, 5, true, 0],
      [13, 11, false, 0],
      [9, 6, true, 1],
      [5, 4, false, 2],
    ] as const) {
      const g: Conv2dGeometry = {
        stride: [1, 1],
        pad: [0, 0, padH, padH],
        dilation: [1, 1],
        flipped,
        inShape: [W, H, 2, 3],
        weightShape: [3, 3, 2, 2],
        outShape: [W - 2, H + 2 * padH - 2, 2, 3],
      };
      const x = values(size(g.inShape), W);
      const w = values(size(g.weightShape), H);
      const dy = values(size(g.outShape), W + H);
      const { y: wantY, dx: wantDx, dw: wantDw } = definition(g, x, w, dy);
      const y = new Float64Array(wantY.length);
      const dx = new Float64Array(wantDx.length).fill(7);
      const dw = new Float64Array(wantDw.length);
      conv2dInto(x, w, g, y, "f64");
      conv2dBackwardInputInto(dy, w, g, dx, "f64");
      conv2dBackwardFilterInto(x, dy, g, dw, "f64");
      close(y, wantY);
      close(dx, wantDx);
      close(dw, wantDw);
    }
  });

  it("f32 through sgemm, one product per image where the GEMM reads views in place: all passes", () => {
    // 26x26 outputs: past the per-image threshold of the backward passes too; one chunk, then chunks of 2.
    const g: Conv2dGeometry = {
      stride: [1, 1],
      pad: [0, 0, 0, 0],
      dilation: [1, 1],
      flipped: false,
      inShape: [28, 28, 2, 5],
      weightShape: [3, 3, 2, 3],
      outShape: [26, 26, 3, 5],
    };
    const x = Float32Array.from(values(size(g.inShape), 5));
    const w = Float32Array.from(values(size(g.weightShape), 6));
    const dy = Float32Array.from(values(size(g.outShape), 7));
    const { y: wantY, dx: wantDx, dw: wantDw } = definition(g, x, w, dy);
    const near = (got: Float32Array, want: Float64Array, tol: number) => {
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(tol);
    };
    for (const budget of [undefined, 2 * 676 * 18]) {
      const y = new Float32Array(wantY.length).fill(Number.NaN);
      const dx = new Float32Array(wantDx.length).fill(7);
      const dw = new Float32Array(wantDw.length).fill(7);
      conv2dInto(x, w, g, y, "f32", budget);
      conv2dBackwardInputInto(dy, w, g, dx, "f32", budget);
      conv2dBackwardFilterInto(x, dy, g, dw, "f32", budget);
      forgetConvInput(x);
      near(y, wantY, 1e-4);
      near(dx, wantDx, 1e-4);
      near(dw, wantDw, 1e-3);
    }
  });

  it("f32 through sgemm: a LeNet-sized layer over a batch matches the definition", () => {
    const g: Conv2dGeometry = {
      stride: [1, 1],
      pad: [0, 0, 0, 0],
      dilation: [1, 1],
      flipped: false,
      inShape: [13, 13, 16, 6],
      weightShape: [3, 3, 16, 32],
      outShape: [11, 11, 32, 6],
    };
    const x = Float32Array.from(values(size(g.inShape), 3));
    const w = Float32Array.from(values(size(g.weightShape), 4));
    const want = definition(g, x, w, new Float64Array(size(g.outShape))).y;
    // One chunk for the whole batch, then chunks of 2 images: the same values either way.
    for (const budget of [undefined, 2 * 121 * 144]) {
      const got = new Float32Array(want.length);
      conv2dInto(x, w, g, got, "f32", budget);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-4);
    }
  });
});

describe("im2col's 3-wide fast path (stride 1, no padding along W)", () => {
  for (const flipped of [false, true]) {
    it(`forward and both gradients match the definition (flipped: ${flipped}, padding along H)`, () => {
      const g: Conv2dGeometry = {
        stride: [1, 1],
        pad: [0, 0, 1, 2],
        dilation: [1, 2],
        flipped,
        inShape: [8, 5, 3, 2],
        weightShape: [3, 2, 3, 4],
        outShape: [6, 6, 4, 2],
      };
      const x = values(size(g.inShape), 41);
      const w = values(size(g.weightShape), 42);
      const dy = values(size(g.outShape), 43);
      const { y, dx, dw } = definition(g, x, w, dy);
      const got = new Float64Array(y.length).fill(Number.NaN);
      conv2dInto(x, w, g, got, "f64", 1); // one image per chunk
      close(got, y);
      conv2dInto(x, w, g, got, "f64"); // the whole batch, col matrix kept
      close(got, y);
      const gw = new Float64Array(dw.length).fill(7);
      conv2dBackwardFilterInto(x, dy, g, gw, "f64");
      close(gw, dw);
      const gx = new Float64Array(dx.length).fill(7);
      conv2dBackwardInputInto(dy, w, g, gx, "f64");
      close(gx, dx);
    });
  }
});

describe("the col matrix kept from the forward pass for the weight gradient", () => {
  const g: Conv2dGeometry = {
    stride: [1, 1],
    pad: [1, 0, 1, 1],
    dilation: [1, 1],
    flipped: false,
    inShape: [7, 6, 2, 3],
    weightShape: [3, 3, 2, 4],
    outShape: [7, 4, 4, 3],
  };
  // The weight gradient does not depend on w.
  const reference = (x: Float64Array, dy: Float64Array) =>
    definition(g, x, new Float64Array(size(g.weightShape)), dy).dw;
  const filter = (x: Float64Array, dy: Float64Array) => {
    const got = new Float64Array(size(g.weightShape)).fill(7);
    conv2dBackwardFilterInto(x, dy, g, got, "f64");
    return got;
  };

  it("gives the same weight gradient as building it again, and is used once", () => {
    const x = values(size(g.inShape), 11);
    const dy = values(size(g.outShape), 12);
    conv2dInto(x, values(size(g.weightShape), 13), g, new Float64Array(size(g.outShape)), "f64");
    close(filter(x, dy), reference(x, dy)); // from the cache
    close(filter(x, dy), reference(x, dy)); // built again
  });

  it("dy interleaved by the input gradient serves the weight gradient, and only for that dy", () => {
    const x = values(size(g.inShape), 31);
    const dy = values(size(g.outShape), 32);
    const w = values(size(g.weightShape), 33);
    conv2dBackwardInputInto(dy, w, g, new Float64Array(size(g.inShape)), "f64");
    close(filter(x, dy), reference(x, dy)); // uses the kept interleave
    conv2dBackwardInputInto(dy, w, g, new Float64Array(size(g.inShape)), "f64");
    forgetConvInput(dy); // dy disposed: its storage may come back with other values
    dy.set(values(size(g.outShape), 34));
    close(filter(x, dy), reference(x, dy));
    const other = values(size(g.outShape), 35);
    close(filter(x, other), reference(x, other));
  });

  it("is dropped when the input's storage is written in place or disposed", () => {
    const backend = new CpuBackend();
    const x = values(size(g.inShape), 21);
    const dy = values(size(g.outShape), 22);
    const w = values(size(g.weightShape), 23);
    const fresh = values(size(g.inShape), 24);
    conv2dInto(x, w, g, new Float64Array(size(g.outShape)), "f64");
    // `assign` writes new values into the same storage: the col matrix of the old values must not be used.
    backend.write(
      { storage: x, shape: g.inShape, dtype: "f64" },
      { storage: fresh, shape: g.inShape, dtype: "f64" },
    );
    close(filter(x, dy), reference(fresh, dy));
    conv2dInto(x, w, g, new Float64Array(size(g.outShape)), "f64");
    forgetConvInput(x); // what dispose does before the pool may hand the storage out again
    x.set(values(size(g.inShape), 25));
    close(filter(x, dy), reference(x, dy));
  });
});

describe("the SIMD im2col kernel's memory", () => {
  it("grows for a large chunk, is handed back by trim, and conv works on after", () => {
    const big = placeConvChunk(1 << 20, 4 << 20, new Float32Array(1));
    if (big === null) return; // no wasm SIMD here: the JS loops serve, nothing to hand back
    expect(big.col.buffer.byteLength).toBeGreaterThanOrEqual(20 << 20);
    trimConvScratch();
    const small = placeConvChunk(16, 16, new Float32Array(1))!;
    expect(small.col.buffer.byteLength).toBeLessThan(1 << 20);
    const g: Conv2dGeometry = {
      stride: [1, 1],
      pad: [1, 1, 1, 1],
      dilation: [1, 1],
      flipped: false,
      inShape: [6, 5, 2, 3],
      weightShape: [3, 3, 2, 2],
      outShape: [6, 5, 2, 3],
    };
    const x = Float32Array.from(values(size(g.inShape), 1));
    const w = Float32Array.from(values(size(g.weightShape), 2));
    const want = definition(g, x, w, new Float64Array(size(g.outShape))).y;
    const y = new Float32Array(want.length);
    conv2dInto(x, w, g, y, "f32");
    for (let i = 0; i < want.length; i++) expect(Math.abs(y[i]! - want[i]!)).toBeLessThan(1e-5);
  });
});
