// The functional probe @flux/devices calls before offering a GPU: a real kernel and a readback, not just
// "an adapter object exists" (an adapter can exist while its driver cannot run anything).
import { getBackend } from "../registry.js";
import type { WebGPUBackend } from "./backend.js";

/** The probe's answer. */
export type WebGPUProbe =
  | { readonly ok: true; readonly adapter: WebGPUBackend["adapter"] }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether WebGPU device `id` really computes: uploads [1, 2, 3], runs `neg` and an `add` on it, reads back.
 *
 * Never throws; `reason` says what failed (no package, no adapter, wrong values, device lost).
 *
 * @example
 * const p = await webgpuFunctional(); if (!p.ok) console.log(p.reason);
 */
export async function webgpuFunctional(id = 0): Promise<WebGPUProbe> {
  try {
    const b = (await getBackend("webgpu", id)) as WebGPUBackend;
    const x = b.upload(new Float32Array([1, 2, 3]), "f32");
    const view = { storage: x, shape: [3], dtype: "f32" as const };
    const y = b.unary("neg", view, 0);
    const z = b.binary("add", { ...view, storage: y }, view, [3]);
    const got = await b.read({ ...view, storage: z });
    const want = await b.read({ ...view, storage: y });
    for (const s of [x, y, z]) b.dispose(s);
    if (got.some((v) => v !== 0) || want[0] !== -1 || want[2] !== -3) {
      return {
        ok: false,
        reason: `webgpu:${id} computed wrong values (${Array.from(want)}): driver problem`,
      };
    }
    return { ok: true, adapter: b.adapter };
  } catch (e) {
    return { ok: false, reason: (e as Error)?.message ?? String(e) };
  }
}
