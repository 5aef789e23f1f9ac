// The fused optimiser step on WebGPU: one dispatch of shaders/optimiser_step.wgsl per parameter, which
// reads x, g and the state once and writes x and the state once (the element-wise rules record 10-25
// dispatches and as many temporary buffers per parameter).
import {
  OPTIMISER_STEP_KINDS,
  OPTIMISER_STEP_MAX_SCALARS,
  type PackedOptimiserOp,
} from "../../optimiserOps.js";
import type { GpuStorage } from "../storage.js";
import type { KernelContext, V } from "./context.js";
import { dispatch1d } from "./dispatch.js";

/** What one dispatch takes: the shader's `MAX_OPS` and its state bindings s0..s3. */
export const OPTIMISER_STEP_LIMITS = { ops: 6, state: 4 } as const;

/** Words per op in the uniforms: kind, state, 2 pad, 12 scalars (16 words). */
const OP_WORDS = 4 + OPTIMISER_STEP_MAX_SCALARS;

/**
 * Records `optimiserStep` (see the Backend interface): x and the state are updated in place. f32 only; the
 * op layer has checked operands and limits.
 */
export function optimiserStep(
  ctx: KernelContext,
  ops: readonly PackedOptimiserOp[],
  x: V,
  g: V,
  state: readonly V[],
): void {
  const n = x.storage.length;
  if (n === 0) return;
  // The shader's `ops: array<Op, MAX_OPS>` as raw words (kind, state, 2 pad, 12 f32 scalars per op).
  const opWords = new Uint32Array(OPTIMISER_STEP_LIMITS.ops * OP_WORDS);
  const floats = new Float32Array(opWords.buffer);
  ops.forEach((op, o) => {
    const base = o * OP_WORDS;
    opWords[base] = OPTIMISER_STEP_KINDS.indexOf(op.kind);
    opWords[base + 1] = op.state;
    floats.set(op.scalars, base + 4);
  });
  // Read-only operands (the gradient, `scale`'s factor) that share a buffer with a written one are copied
  // first: WebGPU refuses a buffer bound both read-only and writable in one dispatch.
  const temps: GpuStorage[] = [];
  const seen = new Set<GPUBuffer>([x.storage.buffer]);
  const readOnly = new Set<number>();
  for (const op of ops) if (op.kind === "scale") readOnly.add(op.state);
  state.forEach((s, j) => {
    if (!readOnly.has(j)) seen.add(s.storage.buffer);
  });
  const distinct = (s: GpuStorage): GPUBuffer => {
    if (!seen.has(s.buffer)) {
      seen.add(s.buffer);
      return s.buffer;
    }
    const copy = ctx.alloc(s.length, "f32");
    ctx.exec.copy(s.buffer, 0, copy.buffer, 0, s.length * 4);
    temps.push(copy);
    return copy.buffer;
  };
  const stateBuffers = state.map((s, j) => (readOnly.has(j) ? distinct(s.storage) : s.storage.buffer));
  const gBuffer = distinct(g.storage);
  // Unused state bindings get distinct one-element dummies (writable bindings must not alias).
  while (stateBuffers.length < OPTIMISER_STEP_LIMITS.state) {
    const dummy = ctx.alloc(1, "f32");
    temps.push(dummy);
    stateBuffers.push(dummy.buffer);
  }
  const uniforms = { n, nops: ops.length, ops: opWords };
  dispatch1d(ctx, "optimiser_step", {}, uniforms, [x.storage.buffer, gBuffer, ...stateBuffers], n);
  for (const t of temps) ctx.dispose(t);
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { optimiserStep };
