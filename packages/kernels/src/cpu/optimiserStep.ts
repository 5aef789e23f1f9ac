// The fused optimiser step on the CPU: every op of the step and then `x -= d` in ONE pass over the
// parameter, the gradient and the state (the unfused rules cross memory 10-20 times per step and allocate as
// many temporaries).
//
// f32 runs in wasm SIMD (assembly/optimiser.ts): blocks of 4096 elements are copied into the module's slots,
// transformed there and copied back: Adam over 200k parameters (in cache) moves 8-15 GB/s of parameter +
// state traffic on the 2-core dev machine, the element-wise chain well under 1 GB/s (2.5 GB/s when quiet).
// Beyond the cache it is bound by memory bandwidth like any other pass. f64 (and f32 where wasm SIMD is
// missing) runs the same formulas as JS loops. Both round every operation to the dtype (f32: `Math.fround`
// after each exact double operation, which equals the f32 operation), so the result is bit-identical to the
// unfused ops.
//
// One thread only: the storage is ordinary (unshared) JS memory, so the copies into and out of a wasm memory
// that workers could share would stay on the calling thread, and they are about a third of the step;
// splitting the rest costs a worker wake-up (15-40 us here) per step for at most ~1.3x on 200k parameters.
import type { TypedArray } from "../dtype.js";
import {
  OPTIMISER_STEP_KINDS,
  OPTIMISER_STEP_OPS,
  type OptimiserStepKind,
  type PackedOptimiserOp,
} from "../optimiserOps.js";
import { lazyKernel } from "./wasm/lazyKernel.js";
import { optimiserSimdBytes } from "./wasm/wasmBinaries.js";

type Scalars = readonly number[];
type Round = (v: number) => number;

/**
 * One op over `n` elements of a block: `d` (indices 0..n) is the running value, `x` and the op's state
 * arrays `s` are read at `o + i`. `R` rounds a result to the dtype.
 */
type JsOp = (
  n: number,
  x: TypedArray,
  o: number,
  d: Float64Array,
  s: TypedArray[],
  k: Scalars,
  R: Round,
) => void;

const sign = (v: number) => +(v > 0) - +(v < 0);

// The Adam family's moments at element i: writes m and v back to the state and returns them.
function moments(i: number, o: number, d: number, s: TypedArray[], k: Scalars, R: Round): [number, number] {
  const m = R(R(s[0]![o + i]! * k[0]!) + R(d * k[1]!));
  const v = R(R(s[1]![o + i]! * k[2]!) + R(R(d * d) * k[3]!));
  s[0]![o + i] = m;
  s[1]![o + i] = v;
  return [m, v];
}

const JS_OPS: Record<OptimiserStepKind, JsOp> = {
  descent: (n, _x, _o, d, _s, k, R) => {
    for (let i = 0; i < n; i++) d[i] = R(d[i]! * k[0]!);
  },
  momentum: (n, _x, o, d, s, k, R) => {
    const v = s[0]!;
    for (let i = 0; i < n; i++) {
      const w = R(R(v[o + i]! * k[0]!) + R(d[i]! * k[1]!));
      v[o + i] = w;
      d[i] = w;
    }
  },
  nesterov: (n, _x, o, d, s, k, R) => {
    const v = s[0]!;
    for (let i = 0; i < n; i++) {
      const vi = v[o + i]!;
      const di = d[i]!;
      d[i] = R(R(vi * k[0]!) + R(di * k[1]!));
      v[o + i] = R(R(vi * k[2]!) - R(di * k[3]!));
    }
  },
  rmsprop: (n, _x, o, d, s, k, R) => {
    const q = s[0]!;
    for (let i = 0; i < n; i++) {
      const di = d[i]!;
      const qi = R(R(q[o + i]! * k[0]!) + R(R(di * di) * k[1]!));
      q[o + i] = qi;
      d[i] = R(R(di * k[2]!) / R(R(Math.sqrt(qi)) + k[3]!));
    }
  },
  rmspropCentred: (n, _x, o, d, s, k, R) => {
    const q = s[0]!;
    const l = s[1]!;
    for (let i = 0; i < n; i++) {
      const di = d[i]!;
      const qi = R(R(q[o + i]! * k[0]!) + R(R(di * di) * k[1]!));
      const li = R(R(l[o + i]! * k[0]!) + R(di * k[1]!));
      q[o + i] = qi;
      l[o + i] = li;
      const spread = R(qi - R(li * li));
      d[i] = R(R(di * k[2]!) / R(R(Math.sqrt(spread)) + k[3]!));
    }
  },
  adam: (n, _x, o, d, s, k, R) => {
    for (let i = 0; i < n; i++) {
      const [m, v] = moments(i, o, d[i]!, s, k, R);
      const denom = R(R(Math.sqrt(R(v / k[5]!))) + k[6]!);
      d[i] = R(R(R(m / k[4]!) / denom) * k[7]!);
    }
  },
  adamw: (n, x, o, d, s, k, R) => {
    const couple = k[9] !== 0;
    for (let i = 0; i < n; i++) {
      const [m, v] = moments(i, o, d[i]!, s, k, R);
      const denom = R(R(Math.sqrt(R(v / k[5]!))) + k[6]!);
      const u = R(R(m / k[4]!) / denom);
      const xl = R(x[o + i]! * k[8]!);
      d[i] = couple ? R(R(u + xl) * k[7]!) : R(R(u * k[7]!) + xl);
    }
  },
  nadam: (n, _x, o, d, s, k, R) => {
    for (let i = 0; i < n; i++) {
      const di = d[i]!;
      const [m, v] = moments(i, o, di, s, k, R);
      const num = R(R(R(m * k[0]!) / k[4]!) + R(R(di * k[1]!) / k[5]!));
      const denom = R(R(Math.sqrt(R(R(v * k[2]!) / k[6]!))) + k[7]!);
      d[i] = R(R(num / denom) * k[8]!);
    }
  },
  radam: (n, _x, o, d, s, k, R) => {
    const rectified = k[9] !== 0;
    for (let i = 0; i < n; i++) {
      const [m, v] = moments(i, o, d[i]!, s, k, R);
      const mhat = R(m / k[4]!);
      if (rectified) {
        const denom = R(R(Math.sqrt(R(v / k[5]!))) + k[6]!);
        d[i] = R(R(R(mhat / denom) * k[7]!) * k[8]!);
      } else {
        d[i] = R(mhat * k[7]!);
      }
    }
  },
  adamax: (n, _x, o, d, s, k, R) => {
    const mt = s[0]!;
    const ut = s[1]!;
    for (let i = 0; i < n; i++) {
      const di = d[i]!;
      const m = R(R(mt[o + i]! * k[0]!) + R(di * k[1]!));
      const u = Math.max(R(ut[o + i]! * k[2]!), Math.abs(di));
      mt[o + i] = m;
      ut[o + i] = u;
      d[i] = R(R(m / R(u + k[3]!)) * k[4]!);
    }
  },
  adagrad: (n, _x, o, d, s, k, R) => {
    const acc = s[0]!;
    for (let i = 0; i < n; i++) {
      const di = d[i]!;
      const a = R(acc[o + i]! + R(di * di));
      acc[o + i] = a;
      d[i] = R(R(di * k[0]!) / R(R(Math.sqrt(a)) + k[1]!));
    }
  },
  adadelta: (n, _x, o, d, s, k, R) => {
    const acc = s[0]!;
    const dacc = s[1]!;
    for (let i = 0; i < n; i++) {
      const di = d[i]!;
      const a = R(R(acc[o + i]! * k[0]!) + R(R(di * di) * k[1]!));
      const b = dacc[o + i]!;
      const step = R(R(di * R(Math.sqrt(R(b + k[2]!)))) / R(Math.sqrt(R(a + k[2]!))));
      acc[o + i] = a;
      dacc[o + i] = R(R(b * k[0]!) + R(R(step * step) * k[1]!));
      d[i] = step;
    }
  },
  lion: (n, _x, o, d, s, k, R) => {
    const mt = s[0]!;
    for (let i = 0; i < n; i++) {
      const di = d[i]!;
      const m = R(R(di * k[1]!) + R(mt[o + i]! * k[2]!));
      mt[o + i] = m;
      d[i] = R(sign(R(R(di * k[3]!) + R(m * k[0]!))) * k[4]!);
    }
  },
  clipgrad: (n, _x, _o, d, _s, k) => {
    const hi = k[0]!;
    for (let i = 0; i < n; i++) d[i] = Math.min(Math.max(d[i]!, -hi), hi);
  },
  weightdecay: (n, x, o, d, _s, k, R) => {
    for (let i = 0; i < n; i++) d[i] = R(d[i]! + R(x[o + i]! * k[0]!));
  },
  signdecay: (n, x, o, d, _s, k, R) => {
    for (let i = 0; i < n; i++) d[i] = R(d[i]! + R(sign(x[o + i]!) * k[0]!));
  },
  scale: (n, _x, _o, d, s, _k, R) => {
    const f = s[0]![0]!;
    for (let i = 0; i < n; i++) d[i] = R(d[i]! * f);
  },
};

/** Elements per block of the JS path (the running value `d` lives in one Float64Array of this size). */
const JS_BLOCK = 4096;
const jsD = new Float64Array(JS_BLOCK);
const identity: Round = (v) => v;

function stepJs(ops: readonly PackedOptimiserOp[], x: TypedArray, g: TypedArray, state: TypedArray[]): void {
  const R: Round = x instanceof Float32Array ? Math.fround : identity;
  const n = x.length;
  const states = ops.map((op) => state.slice(op.state, op.state + stateCount(op.kind)));
  for (let o = 0; o < n; o += JS_BLOCK) {
    const len = Math.min(JS_BLOCK, n - o);
    for (let i = 0; i < len; i++) jsD[i] = g[o + i]!;
    for (const [j, op] of ops.entries()) JS_OPS[op.kind](len, x, o, jsD, states[j]!, op.scalars, R);
    for (let i = 0; i < len; i++) x[o + i] = R(x[o + i]! - jsD[i]!);
  }
}

function stateCount(kind: OptimiserStepKind): number {
  return OPTIMISER_STEP_OPS[kind].state.length;
}

// ---- the wasm SIMD path ----

/** One op over `n` elements: its state slots start at byte `s`, its scalars at byte `k` of the args area. */
type SimdFn = (n: number, s: number, k: number) => void;

interface SimdKernel {
  readonly ops: Record<OptimiserStepKind, SimdFn>;
  readonly finish: (n: number) => void;
  /** Slot 0 (x), slot 1 (d), then the state slots, as Float32Array views of the module's memory. */
  readonly slots: Float32Array[];
  /** Byte offset of each state slot, as the op functions take it. */
  readonly stateOffsets: number[];
  /** The ops' scalars area (to the end of memory), and its byte offset. */
  readonly args: Float32Array;
  readonly argsOffset: number;
  readonly block: number;
}

const kernelFor = lazyKernel(optimiserSimdBytes, (e): SimdKernel => {
  const block = e.global("BLOCK");
  const maxState = e.global("MAX_STATE");
  const stateOffset = e.fn("stateOffset");
  const argsOffset = e.global("ARGS");
  return {
    ops: Object.fromEntries(OPTIMISER_STEP_KINDS.map((kind) => [kind, e.fn(kind) as SimdFn])) as Record<
      OptimiserStepKind,
      SimdFn
    >,
    finish: e.fn("finish"),
    // Slot k starts k blocks of f32 after SCRATCH.
    slots: Array.from(
      { length: maxState + 2 },
      (_, k) => new Float32Array(e.buffer, e.global("SCRATCH") + k * block * 4, block),
    ),
    stateOffsets: Array.from({ length: maxState }, (_, k) => stateOffset(k)),
    args: new Float32Array(e.buffer, argsOffset),
    argsOffset,
    block,
  };
});

function stepSimd(
  kernel: SimdKernel,
  ops: readonly PackedOptimiserOp[],
  x: Float32Array,
  g: Float32Array,
  state: Float32Array[],
): void {
  const { slots, block, stateOffsets, args, argsOffset } = kernel;
  const n = x.length;
  // State tensors that live in slots (every one except `scale`'s one-element factor).
  const inSlots: number[] = [];
  // Each op's scalars go into the args area once, one op after the other (the caller checked they fit).
  let nextArg = 0;
  const calls = ops.map((op) => {
    const fn = kernel.ops[op.kind];
    const scalars = op.kind === "scale" ? [state[op.state]![0]!] : op.scalars;
    const k = argsOffset + 4 * nextArg;
    args.set(scalars, nextArg);
    nextArg += scalars.length;
    if (op.kind === "scale") return { fn, s: 0, k };
    for (let j = 0; j < stateCount(op.kind); j++) inSlots.push(op.state + j);
    return { fn, s: stateOffsets[op.state] ?? 0, k };
  });
  const [xs, ds] = [slots[0]!, slots[1]!];
  for (let o = 0; o < n; o += block) {
    const len = Math.min(block, n - o);
    const whole = (len + 3) & ~3;
    xs.set(x.subarray(o, o + len));
    ds.set(g.subarray(o, o + len));
    for (const j of inSlots) slots[j + 2]!.set(state[j]!.subarray(o, o + len));
    for (const c of calls) c.fn(whole, c.s, c.k);
    kernel.finish(whole);
    x.set(len === block ? xs : xs.subarray(0, len), o);
    for (const j of inSlots) {
      const s = slots[j + 2]!;
      state[j]!.set(len === block ? s : s.subarray(0, len), o);
    }
  }
}

/** Whether the step's state tensors fit the kernel's slots and its scalars the args area. */
function fitsSimd(
  kernel: SimdKernel,
  ops: readonly PackedOptimiserOp[],
  state: readonly TypedArray[],
): boolean {
  const scalars = ops.reduce((total, op) => total + (op.kind === "scale" ? 1 : op.scalars.length), 0);
  return state.length <= kernel.stateOffsets.length && scalars <= kernel.args.length;
}

/**
 * Runs a fused optimiser step in place: `d = g`, each op of `ops` in order (reading `x`, updating `d` and its
 * own state arrays), then `x -= d`. Every array has `x`'s length and dtype (f32 or f64), except `scale`'s
 * one-element factor; `state` lists the ops' state arrays in order (`op.state` indexes it). The op layer
 * (ops/optimiserStep.ts) has checked all that.
 *
 * @example
 * optimiserStepInto([{ kind: "descent", scalars: [0.1], state: 0 }], x, g, []); // x -= 0.1 * g
 */
export function optimiserStepInto(
  ops: readonly PackedOptimiserOp[],
  x: TypedArray,
  g: TypedArray,
  state: readonly TypedArray[],
): void {
  if (x.length === 0) return;
  if (x instanceof Float32Array && g instanceof Float32Array) {
    const simd = kernelFor();
    if (simd !== null && fitsSimd(simd, ops, state)) {
      stepSimd(simd, ops, x, g, state as Float32Array[]);
      return;
    }
  }
  stepJs(ops, x, g, [...state]);
}

/** @internal Whether the wasm SIMD kernel serves f32 here (loads it on first call). */
export function optimiserSimdAvailable(): boolean {
  return kernelFor() !== null;
}

/** @internal For tests: run the JS loops even for f32 (the path of runtimes without wasm SIMD). */
export function optimiserStepJs(
  ops: readonly PackedOptimiserOp[],
  x: TypedArray,
  g: TypedArray,
  state: readonly TypedArray[],
): void {
  if (x.length > 0) stepJs(ops, x, g, [...state]);
}
