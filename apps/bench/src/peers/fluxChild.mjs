// Our side of the model table in a child process, for variants that must be chosen before the kernels load:
// the parent starts it with FLUX_CPU_BLAS=0 to time the wasm GEMM next to the system BLAS. A line server
// like torch_bench.py: one {"info"} line, then one {"result"} or {"error"} line per request line.

import { createInterface } from "node:readline";
import { cpuKernelDescription, loadFluxLib, measureModelCell } from "./flux.mjs";

const lib = await loadFluxLib((n) => import(`@flux/${n}`));
const kernel = await cpuKernelDescription(lib.K);
process.stdout.write(`${JSON.stringify({ info: { cpuKernel: kernel } })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  let out;
  try {
    const req = JSON.parse(line);
    const { cell, threads, ...options } = req;
    out = { result: await measureModelCell(lib, cell, threads, options) };
  } catch (e) {
    out = { error: String(/** @type {Error} */ (e)?.message ?? e) };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
process.exit(0);
