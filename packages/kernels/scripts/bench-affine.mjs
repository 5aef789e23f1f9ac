#!/usr/bin/env node
// Loop variants of relu(a*x + b) over 1M f32, next to the built `muladd(a, x, b, { activation: "relu" })`,
// to find what the fused op loses against a bare loop. A measurement script, not a timed test.
// GB/s counts 8 bytes per element (4 read + 4 written), like apps/bench's axpb-relu-1M cell.
// Usage: node packages/kernels/scripts/bench-affine.mjs   (env: AFFINE_SECONDS=0.3 per variant per round,
//        AFFINE_ROUNDS=3; the built kernels are used when dist/ exists: npm run build -w @flux/kernels)
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const N = 1 << 20;
const SECONDS = Number(process.env.AFFINE_SECONDS ?? 0.3);
const ROUNDS = Number(process.env.AFFINE_ROUNDS ?? 3);
const A = 1.5;
const B = -0.25;

const x = new Float32Array(N);
for (let i = 0; i < N; i++) x[i] = Math.sin(i * 12.9898) * 2; // random-looking signs: a branch mispredicts
const reused = new Float32Array(N);
const big = new Float32Array(N + 64);
const xSub = big.subarray(16, 16 + N);
xSub.set(x);

// Each variant is its own closure so every loop site sees one element kind (monomorphic).
const abs = (a, x, b, o) => {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = a * x[i] + b;
    o[i] = 0.5 * (v + Math.abs(v));
  }
};
const absFolded = (a, x, b, o) => {
  const n = x.length;
  const ha = 0.5 * a;
  const hb = 0.5 * b;
  for (let i = 0; i < n; i++) {
    const v = ha * x[i] + hb;
    o[i] = v + Math.abs(v);
  }
};
const max = (a, x, b, o) => {
  const n = x.length;
  for (let i = 0; i < n; i++) o[i] = Math.max(a * x[i] + b, 0);
};
const mulCmp = (a, x, b, o) => {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = a * x[i] + b;
    o[i] = v * +(v > 0);
  }
};
const ternary = (a, x, b, o) => {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = a * x[i] + b;
    // biome-ignore lint/complexity/useMathMinMax: the ternary is the variant being measured
    o[i] = v > 0 ? v : 0;
  }
};
// The same loop as `absFolded`, but ONE function fed Float32Array and Float64Array (like a kernel shared by
// dtypes): its element loads and stores go polymorphic.
const shared = (a, x, b, o) => {
  const n = x.length;
  const ha = 0.5 * a;
  const hb = 0.5 * b;
  for (let i = 0; i < n; i++) {
    const v = ha * x[i] + hb;
    o[i] = v + Math.abs(v);
  }
};
// The offset/stride signature of the CPU backend's line kernels (affine.ts), scalar a and b in arrays.
const lineKernel = (a, ia, x, ix, b, ib, o, io, n) => {
  const ha = 0.5 * a[ia];
  const hb = 0.5 * b[ib];
  for (let i = 0; i < n; i++) {
    const v = ha * x[ix + i] + hb;
    o[io + i] = v + Math.abs(v);
  }
};
if (process.argv[2] !== undefined) {
  const f64 = new Float64Array(N);
  for (let r = 0; r < 20; r++) shared(A, f64, B, f64);
}
const aArr = new Float32Array([A]);
const bArr = new Float32Array([B]);
const pooled = new ArrayBuffer(N * 4);

/** @type {[string, () => void][]} */
const variants = [
  ["0.5*(v+|v|), out reused", () => abs(A, x, B, reused)],
  ["(v+|v|) with 0.5 folded into a, b, out reused", () => absFolded(A, x, B, reused)],
  ["Math.max(v, 0), out reused", () => max(A, x, B, reused)],
  ["v*(v>0), out reused", () => mulCmp(A, x, B, reused)],
  ["v>0 ? v : 0, out reused", () => ternary(A, x, B, reused)],
  ["folded, out = new Float32Array(n)", () => absFolded(A, x, B, new Float32Array(N))],
  ["folded, out = pooled buffer, new view", () => absFolded(A, x, B, new Float32Array(pooled, 0, N))],
  ["folded, x a subarray, out reused", () => absFolded(A, xSub, B, reused)],
  ["folded, one function for f32 and f64", () => shared(A, x, B, reused)],
  ["folded, line-kernel signature", () => lineKernel(aArr, 0, x, 0, bArr, 0, reused, 0, N)],
];

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "../dist/index.js");
if (existsSync(dist)) {
  const K = await import(pathToFileURL(dist).href);
  const t = K.tensor(x, [N]);
  if (typeof K.muladd === "function") {
    variants.push([
      "muladd(a, x, b, { activation: relu }) (built)",
      () => K.muladd(A, t, B, { activation: "relu" }).dispose(),
    ]);
  }
  variants.push([
    "op chain relu(add(mul(x, a), b)) (built)",
    () => K.tidy(() => K.relu(K.add(K.mul(t, A), B))).dispose(),
  ]);
}

// Median seconds per call over samples of at least 2 ms, after two warm-up calls.
function time(fn) {
  fn();
  fn();
  const samples = [];
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end || samples.length < 3) {
    let reps = 0;
    const t0 = performance.now();
    let t1 = t0;
    do {
      fn();
      reps++;
      t1 = performance.now();
    } while (t1 - t0 < 2);
    samples.push((t1 - t0) / 1000 / reps);
  }
  samples.sort((p, q) => p - q);
  return samples[samples.length >> 1];
}

// Each variant runs in its own process: loops that share a function literal share V8's type feedback, and
// one variant's arrays would otherwise slow another's loop. Rounds interleave the variants so a busy moment
// on a shared machine does not land on one of them; the best round's median is reported.
const only = process.argv[2];
if (only !== undefined) {
  const [, fn] = variants[Number(only)];
  console.log(JSON.stringify(time(fn)));
} else {
  const { execFileSync } = await import("node:child_process");
  const best = new Map();
  for (let r = 0; r < ROUNDS; r++) {
    for (let v = 0; v < variants.length; v++) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(v)], {
        encoding: "utf8",
      });
      best.set(v, Math.min(best.get(v) ?? Number.POSITIVE_INFINITY, Number(out.trim())));
    }
  }
  const load = (await import("node:os")).loadavg()[0].toFixed(1);
  console.log(
    `node ${process.version}, 2^20 f32, one process per variant, best of ${ROUNDS} medians, load ${load}`,
  );
  console.log("| variant | ms/call | GB/s |\n| --- | ---: | ---: |");
  variants.forEach(([name], v) => {
    const s = best.get(v);
    console.log(`| ${name} | ${(s * 1e3).toFixed(3)} | ${((8 * N) / s / 1e9).toFixed(2)} |`);
  });
}
