// @flux/kernels on WebGPU as a user meets it, on every runtime (Node and Bun through the `webgpu` package,
// Deno and Chromium through navigator.gpu): the backend loads lazily, computes a matmul and a softmax that
// match the CPU, and refuses synchronous reads. Where no adapter exists the checks are not registered,
// unless FLUX_REQUIRE_WEBGPU=1 (then that absence is a failure: ../webgpuGate.mjs).
import * as k from "@flux/kernels";
import { listAdapters } from "@flux/kernels/webgpu";
import { webgpuGate } from "../webgpuGate.mjs";

function seeded(n, seed) {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (2 * s) / 2 ** 32 - 1;
  });
}

function maxRelErr(got, want) {
  let worst = 0;
  for (let i = 0; i < want.length; i++)
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  return worst;
}

export default async function (t) {
  if (!(await webgpuGate(t, "webgpu checks"))) return;

  t.check("lists at least one adapter with a name and limits", async () => {
    const adapters = await listAdapters();
    t.ok(adapters.length >= 1, "adapter count");
    t.equal(adapters[0].id, 0);
    t.ok(adapters[0].limits.maxBufferSize > 0, "maxBufferSize");
  });

  t.check("matmul (with a transpose) matches the CPU", async () => {
    const a = seeded(37 * 48, 1);
    const b = seeded(40 * 48, 2);
    const want = k.matmul(k.tensor(a, [37, 48]), k.tensor(b, [40, 48]), { transB: true }).dataSync();
    const ga = k.tensor(a, [37, 48], { device: "webgpu" });
    const gb = k.tensor(b, [40, 48], { device: "webgpu" });
    const gc = k.matmul(ga, gb, { transB: true });
    t.equal(String(gc.device), "webgpu:0");
    t.deepEqual([...gc.shape], [37, 40]);
    const err = maxRelErr(await gc.data(), want);
    t.ok(err < 1e-4, `max relative error ${err}`);
    for (const x of [ga, gb, gc]) x.dispose();
  });

  t.check("softmax along dims=1 matches the CPU", async () => {
    const x = seeded(10 * 300, 3).map((v) => 8 * v);
    const want = k.softmax(k.tensor(x, [10, 300]), { dims: 1 }).dataSync();
    const gx = k.tensor(x, [10, 300], { device: "webgpu" });
    const gy = k.softmax(gx, { dims: 1 });
    const err = maxRelErr(await gy.data(), want);
    t.ok(err < 1e-5, `max relative error ${err}`);
    gx.dispose();
    gy.dispose();
  });

  t.check("dataSync on a GPU tensor throws SyncReadError", () => {
    const g = k.ones([2], { device: "webgpu" });
    const e = t.throws(() => g.dataSync());
    t.equal(e.code, "ERR_SYNC_READ");
    g.dispose();
  });
}
