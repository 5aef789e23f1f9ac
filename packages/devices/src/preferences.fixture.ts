// A child process for preferences.test.ts (bundled by esbuild, run by node in a temporary project): runs
// commands given as arguments and prints one JSON line with GPU_BACKEND, results, warnings and infos.
import { GPU_BACKEND, gpuDevice, registerGpuBackend, resetGpuDevice, setGpuBackend } from "./index";
import { fakeGpuProvider } from "./testBackends";

registerGpuBackend("fakeA", fakeGpuProvider("fakeA"));
registerGpuBackend("fakeB", fakeGpuProvider("fakeB"));
const logs: string[] = [];
console.warn = (m: unknown) => logs.push(`warn: ${String(m)}`);
console.info = (m: unknown) => logs.push(`info: ${String(m)}`);

const out: Record<string, unknown> = { GPU_BACKEND, results: [] as unknown[] };
const results = out.results as unknown[];
for (const cmd of process.argv.slice(2)) {
  try {
    if (cmd === "select") {
      results.push(String(await gpuDevice()));
      resetGpuDevice();
    } else if (cmd.startsWith("set=")) {
      await setGpuBackend(cmd.slice(4));
      results.push("ok");
    } else throw new Error(`unknown command ${cmd}`);
  } catch (e) {
    const err = e as { name: string; code?: string; message: string };
    results.push({ name: err.name, code: err.code, message: err.message });
  }
}
out.logs = logs;
process.stdout.write(`${JSON.stringify(out)}\n`);
