// A child process for the preference tests (bundled by esbuild, run by node in a temporary project): runs
// commands given as arguments and prints one JSON line with the preference at start, results, warnings and
// infos. Commands: `select`, `set=NAME`, `count=KEY:N` (N read-increment-write updates of KEY under the file
// lock, as another tool sharing the file would), `flip=N` (N atomic overwrites of the file alternating
// between two large contents, for the crash test: the parent kills it part way).
import { loadFsSync } from "./runtime.js";
import {
  gpuBackend,
  gpuDevice,
  preferencesPath,
  registerGpuBackend,
  resetGpuDevice,
  setGpuBackend,
} from "./index.js";
import { updatePreferencesFile } from "./preferencesFile.js";
import { fakeGpuProvider } from "./testBackends.js";

registerGpuBackend("fakeA", fakeGpuProvider("fakeA"));
registerGpuBackend("fakeB", fakeGpuProvider("fakeB"));
const logs: string[] = [];
console.warn = (m: unknown) => logs.push(`warn: ${String(m)}`);
console.info = (m: unknown) => logs.push(`info: ${String(m)}`);

/** The two contents the crash test alternates between: big enough that a write takes a while. */
export const FLIP = ["a", "b"].map((v) => ({
  gpuBackend: "fakeA",
  version: v,
  padding: v.repeat(256 * 1024),
}));

const out: Record<string, unknown> = { GPU_BACKEND: gpuBackend(), results: [] as unknown[] };
const results = out.results as unknown[];
for (const cmd of process.argv.slice(2)) {
  try {
    if (cmd === "select") {
      results.push(String(await gpuDevice()));
      resetGpuDevice();
    } else if (cmd.startsWith("set=")) {
      await setGpuBackend(cmd.slice(4));
      results.push("ok");
    } else if (cmd.startsWith("count=")) {
      const [key, n] = cmd.slice(6).split(":") as [string, string];
      const fs = loadFsSync()!;
      for (let i = 0; i < Number(n); i++)
        updatePreferencesFile(fs, preferencesPath(fs)!, (o) => ({ ...o, [key]: Number(o[key] ?? 0) + 1 }));
      results.push("ok");
    } else if (cmd.startsWith("flip=")) {
      const fs = loadFsSync()!;
      process.stdout.write("flipping\n");
      for (let i = 0; i < Number(cmd.slice(5)); i++)
        updatePreferencesFile(fs, preferencesPath(fs)!, () => FLIP[i % 2]!);
      results.push("ok");
    } else throw new Error(`unknown command ${cmd}`);
  } catch (e) {
    const err = e as { name: string; code?: string; message: string };
    results.push({ name: err.name, code: err.code, message: err.message });
  }
}
out.logs = logs;
process.stdout.write(`${JSON.stringify(out)}\n`);
