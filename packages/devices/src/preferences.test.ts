// The preference across processes (SPEC §3): set in one node process, honoured by the next, overridden by
// FLUX_GPU_BACKEND, deleted, and a corrupt or unknown stored value handled with one warning, never a crash.
// The child (preferences.fixture.ts) is bundled once with esbuild so plain `node` runs our TypeScript.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

interface ChildOutput {
  GPU_BACKEND: string | null;
  results: (string | { name: string; code?: string; message: string })[];
  logs: string[];
}

let work: string;
let bundle: string;
let project: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "flux-devices-prefs-"));
  bundle = join(work, "child.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./preferences.fixture.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@flux/source"],
    external: ["webgpu", "koffi"],
    outfile: bundle,
    logLevel: "error",
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeEach(() => {
  project = mkdtempSync(join(work, "project-"));
  writeFileSync(join(project, "package.json"), '{ "name": "app" }\n');
});

function child(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): ChildOutput {
  const env: Record<string, string | undefined> = {
    ...process.env,
    FLUX_SILENCE_WARN_NO_GPU: "1",
    ...opts.env,
  };
  delete env.FLUX_GPU_BACKEND;
  if (opts.env?.FLUX_GPU_BACKEND) env.FLUX_GPU_BACKEND = opts.env.FLUX_GPU_BACKEND;
  const r = spawnSync(process.execPath, [bundle, ...args], {
    cwd: opts.cwd ?? project,
    env,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildOutput;
}

const prefFile = () => join(project, "flux.config.json");
const AUTO = ["GPUDevice(webgpu:0)", "GPUDevice(fakeA:0)"];

describe("setGpuBackend across processes", () => {
  it("persists to flux.config.json at the project root; the next process selects it", () => {
    const sub = join(project, "src", "deep");
    mkdirSync(sub, { recursive: true });
    const a = child(["set=fakeB"], { cwd: sub });
    expect(a.results).toEqual(["ok"]);
    expect(a.logs.join("\n")).toContain(`set to "fakeB" (${prefFile()})`);
    expect(JSON.parse(readFileSync(prefFile(), "utf8"))).toEqual({ gpuBackend: "fakeB" });
    const b = child(["select"]);
    expect(b.GPU_BACKEND).toBe("fakeB");
    expect(b.results).toEqual(["GPUDevice(fakeB:0)"]);
    expect(b.logs.filter((l) => l.startsWith("warn"))).toEqual([]);
  });

  it("takes effect in the same process without a restart", () => {
    const r = child(["set=fakeB", "select", "set=fakeA", "select"]);
    expect(r.results).toEqual(["ok", "GPUDevice(fakeB:0)", "ok", "GPUDevice(fakeA:0)"]);
  });

  it("says so when the value is already set, and keeps other keys of the file", () => {
    writeFileSync(prefFile(), '{ "other": 1 }\n');
    child(["set=fakeB"]);
    const again = child(["set=fakeB"]);
    expect(again.logs.join("\n")).toContain('already "fakeB"');
    expect(JSON.parse(readFileSync(prefFile(), "utf8"))).toEqual({ other: 1, gpuBackend: "fakeB" });
  });

  it("is overridden by FLUX_GPU_BACKEND", () => {
    child(["set=fakeB"]);
    const r = child(["select"], { env: { FLUX_GPU_BACKEND: "fakeA" } });
    expect(r.GPU_BACKEND).toBe("fakeA");
    expect(r.results).toEqual(["GPUDevice(fakeA:0)"]);
  });

  it('is deleted by setGpuBackend("") (the file goes when nothing else is in it)', () => {
    child(["set=fakeB"]);
    const d = child(["set="]);
    expect(d.logs.join("\n")).toContain("deleted the GPU backend preference");
    expect(existsSync(prefFile())).toBe(false);
    const r = child(["select"]);
    expect(r.GPU_BACKEND).toBeNull();
    expect(AUTO).toContain(r.results[0]);
  });

  it("rejects an invalid name, listing the valid ones, and stores nothing", () => {
    const r = child(["set=cuda"]);
    const err = r.results[0] as { name: string; code: string; message: string };
    expect(err.name).toBe("InvalidBackendError");
    expect(err.code).toBe("ERR_INVALID_BACKEND");
    expect(err.message).toContain('Valid backends are "webgpu", "fakeA", "fakeB"');
    expect(existsSync(prefFile())).toBe(false);
  });
});

describe("a bad stored preference", () => {
  it("corrupt JSON: one warning, automatic selection, no crash; setGpuBackend repairs it", () => {
    writeFileSync(prefFile(), "{ gpuBackend: webgpu");
    const r = child(["select", "select"]);
    expect(r.GPU_BACKEND).toBeNull();
    expect(AUTO).toContain(r.results[0]);
    const warns = r.logs.filter((l) => l.startsWith("warn"));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain("cannot be read: it is not valid JSON");
    child(["set=fakeB"]);
    expect(child(["select"]).results).toEqual(["GPUDevice(fakeB:0)"]);
  });

  it("an unknown backend name: one warning naming the valid ones, automatic selection", () => {
    writeFileSync(prefFile(), '{ "gpuBackend": "metal" }');
    const r = child(["select", "select"]);
    expect(r.GPU_BACKEND).toBe("metal");
    expect(AUTO).toContain(r.results[0]);
    const warns = r.logs.filter((l) => l.startsWith("warn"));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain('"metal"');
    expect(warns[0]).toContain("not a valid backend");
  });

  it("a value of the wrong type counts as corrupt", () => {
    writeFileSync(prefFile(), '{ "gpuBackend": 42 }');
    const r = child(["select"]);
    expect(r.logs.join("\n")).toContain('"gpuBackend" is 42, not a string');
  });
});
